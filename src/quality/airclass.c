/* SPDX-License-Identifier: MIT */
/*
 * The fixed vocabulary of air quality: item names and labels, AQI classes with their colours
 * and health advice (HJ 633-2012 table 2, appendix A), per-item limits, percentiles and
 * reporting decimals, and field access to the hour and day structs. Constant data only.
 */
#include <math.h>
#include <stddef.h>

#include <envwatch/air.h>

#include "quality/air_internal.h"

static const char *const tokens[EW_AIR_NITEMS] = {
    "SO2", "NO2", "CO", "O3", "O3_8h", "PM10", "PM2.5",
};

/* The platform's 首要污染物 labels (reference/air.md §1.3; 臭氧8小时 by analogy). */
static const char *const labels_zh[EW_AIR_NITEMS] = {
    "二氧化硫", "二氧化氮", "一氧化碳", "臭氧1小时", "臭氧8小时", "颗粒物(PM10)",
    "细颗粒物(PM2.5)",
};

const char *
ew_air_item_token(int item)
{
    return item >= 0 && item < EW_AIR_NITEMS ? tokens[item] : NULL;
}

const char *
ew_air_item_label_zh(int item)
{
    return item >= 0 && item < EW_AIR_NITEMS ? labels_zh[item] : NULL;
}

/*
 * HJ 633-2012 table 2 (levels, categories, health effects and advice) and appendix A
 * (colours). The RGB values and the Chinese wording are as commonly reproduced [mem: not
 * re-read against the PDF, reference/air.md §1.4].
 */
static const struct ew_aqi_class classes[EW_AIR_NLEVELS] = {
    { 1, 0, 50, "一级", "优", "excellent", "绿色", "green", { 0, 228, 0 },
      "空气质量令人满意，基本无空气污染", "各类人群可正常活动" },
    { 2, 51, 100, "二级", "良", "good", "黄色", "yellow", { 255, 255, 0 },
      "空气质量可接受，但某些污染物可能对极少数异常敏感人群健康有较弱影响",
      "极少数异常敏感人群应减少户外活动" },
    { 3, 101, 150, "三级", "轻度污染", "lightly polluted", "橙色", "orange", { 255, 126, 0 },
      "易感人群症状有轻度加剧，健康人群出现刺激症状",
      "儿童、老年人及心脏病、呼吸系统疾病患者应减少长时间、高强度的户外锻炼" },
    { 4, 151, 200, "四级", "中度污染", "moderately polluted", "红色", "red", { 255, 0, 0 },
      "进一步加剧易感人群症状，可能对健康人群心脏、呼吸系统有影响",
      "儿童、老年人及心脏病、呼吸系统疾病患者避免长时间、高强度的户外锻炼，"
      "一般人群适量减少户外运动" },
    { 5, 201, 300, "五级", "重度污染", "heavily polluted", "紫色", "purple", { 153, 0, 76 },
      "心脏病和肺病患者症状显著加剧，运动耐受力降低，健康人群普遍出现症状",
      "儿童、老年人和心脏病、肺病患者应停留在室内，停止户外运动，一般人群减少户外运动" },
    { 6, 301, 500, "六级", "严重污染", "severely polluted", "褐红色", "maroon", { 126, 0, 35 },
      "健康人群运动耐受力降低，有明显强烈症状，提前出现某些疾病",
      "儿童、老年人和病人应当留在室内，避免体力消耗，一般人群应避免户外活动" },
};

const struct ew_aqi_class *
ew_aqi_class_of(int aqi)
{
    int i;

    if (aqi < 0)
        return NULL;
    for (i = 0; i < EW_AIR_NLEVELS - 1 && aqi > classes[i].aqi_hi; i++)
        ;
    return &classes[i];
}

/* GB 3095-2012 table 1, grade 2: 24-hour limits, O3 8-hour and 1-hour limits [mem]. */
static const double limits[EW_AIR_NITEMS] = { 150, 80, 4, 200, 160, 150, 75 };

/* HJ 663-2013 §4 percentiles of daily values [mem]; O3 1-hour has none (90 for reference). */
static const double percentiles[EW_AIR_NITEMS] = { 98, 98, 95, 90, 90, 95, 95 };

double
ew_air_item_limit(int item)
{
    return item >= 0 && item < EW_AIR_NITEMS ? limits[item] : NAN;
}

double
ew_air_item_percentile(int item)
{
    return item >= 0 && item < EW_AIR_NITEMS ? percentiles[item] : NAN;
}

int
ew_air_item_decimals(int item)
{
    return item == EW_AIR_CO ? 1 : 0;
}

double
ew_air_day_get(const struct ew_air_day *d, int item)
{
    return ew__air_day_get(d, item);
}

double
ew_air_hour_get(const struct ew_air_hour *h, int item)
{
    return ew__air_hour_get(h, item);
}

void
ew_air_day_set(struct ew_air_day *d, int item, double v)
{
    switch (item) {
    case EW_AIR_SO2: d->so2_ugm3 = v; break;
    case EW_AIR_NO2: d->no2_ugm3 = v; break;
    case EW_AIR_CO: d->co_mgm3 = v; break;
    case EW_AIR_O3_1H: d->o3_1h_ugm3 = v; break;
    case EW_AIR_O3_8H: d->o3_8h_ugm3 = v; break;
    case EW_AIR_PM10: d->pm10_ugm3 = v; break;
    case EW_AIR_PM25: d->pm25_ugm3 = v; break;
    default: break;
    }
}

/* The hour has no O3 8-hour field: setting EW_AIR_O3_8H does nothing. */
void
ew_air_hour_set(struct ew_air_hour *h, int item, double v)
{
    switch (item) {
    case EW_AIR_SO2: h->so2_ugm3 = v; break;
    case EW_AIR_NO2: h->no2_ugm3 = v; break;
    case EW_AIR_CO: h->co_mgm3 = v; break;
    case EW_AIR_O3_1H: h->o3_ugm3 = v; break;
    case EW_AIR_PM10: h->pm10_ugm3 = v; break;
    case EW_AIR_PM25: h->pm25_ugm3 = v; break;
    default: break;
    }
}

void
ew_air_hour_clear(struct ew_air_hour *h)
{
    *h = (struct ew_air_hour){ NAN, NAN, NAN, NAN, NAN, NAN };
}

void
ew_air_day_clear(struct ew_air_day *d)
{
    *d = (struct ew_air_day){ NAN, NAN, NAN, NAN, NAN, NAN, NAN };
}
