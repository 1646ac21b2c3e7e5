/* SPDX-License-Identifier: MIT */
/*
 * What the daily and the monthly air quality reports print alike: pollutant labels, dates in
 * Chinese, the AQI cells (value, level, category in the HJ 633-2012 colours) and the
 * footnotes that cite the rules behind the numbers.
 */
#include <stdio.h>
#include <string.h>

#include <envwatch/air.h>

#include "report/internal.h"

void
ew__report_primary(unsigned primary, char *out, size_t len)
{
    size_t k = 0;

    out[0] = '\0';
    for (int i = 0; i < EW_AIR_NITEMS; i++) {
        int n;
        if (!(primary & (1u << i)))
            continue;
        n = snprintf(out + k, len - k, "%s%s", k > 0 ? "、" : "", ew_air_item_label_zh(i));
        if (n < 0 || (size_t)n >= len - k)
            break;
        k += (size_t)n;
    }
    if (k == 0)
        snprintf(out, len, "—");
}

void
ew__report_date_zh(int year, int month, int day, char *out, size_t len)
{
    if (day > 0)
        snprintf(out, len, "%d年%d月%d日", year, month, day);
    else
        snprintf(out, len, "%d年%d月", year, month);
}

void
ew__report_aqi_cells(struct rp_doc *d, struct rp_table *t, size_t col, int aqi)
{
    const struct ew_aqi_class *k = aqi >= 0 ? ew_aqi_class_of(aqi) : NULL;

    if (k == NULL)
        return;                         /* three empty cells */
    rp_int(d, t, col, aqi);
    rp_style(t, col, k->level, 0);
    rp_text(d, t, col + 1, k->level_zh);
    rp_text(d, t, col + 2, k->category_zh);
    rp_style(t, col + 2, k->level, 0);
}

/*
 * The rules cited below are those the stored rows were computed with (docs/air.md). Some are
 * unconfirmed in reference/air.md and kept as documented defaults: the HJ 663 validity of the
 * daily O3 8-hour maximum (>= 14 windows) and the city mean of the evaluation stations
 * (§4.3, [mem]); the 2018 revision of the ranking rules (§5, [mem]).
 */
void
ew__report_air_notes(struct rp_doc *d)
{
    rp_note(d, "数据为自动监测实时数据，未经审核，仅供参考；时间为北京时间，时段以起始时刻标注"
               "（国家发布平台标注为结束时刻）。");
    rp_note(d, "空气质量指数（AQI）、级别、类别及首要污染物依据《环境空气质量指数（AQI）技术规定"
               "（试行）》（HJ 633-2012）：分指数按表1分段线性计算并进位取整，AQI为各分指数最大值；"
               "AQI大于50时分指数最大者为首要污染物，分指数大于100者为超标污染物。");
    rp_note(d, "日均值依据《环境空气质量评价技术规范（试行）》（HJ 663-2013）及GB 3095-2012："
               "24小时平均需至少20个有效小时值，臭氧8小时滑动平均取当日8时至24时各窗口（每窗口至少"
               "6个有效小时）的最大值；统计结果按GB/T 8170修约（浓度取整，CO保留一位小数）。");
    rp_note(d, "小时AQI按国家空气质量实时发布平台规则计算：仅以SO2、NO2、CO、O3、PM10、PM2.5的"
               "1小时浓度计算分指数，颗粒物使用24小时浓度限值表，SO2小时浓度大于800μg/m³时分指数"
               "记为200。");
    rp_note(d, "县（区）及全市数值为所辖评价点位浓度的算术平均（对照点不参与），再计算AQI；"
               "优良天数比例=AQI不大于100的天数÷有效天数；综合指数依据《城市环境空气质量排名技术"
               "规定》（SO2、NO2、PM10、PM2.5取平均浓度，CO取日均值第95百分位数，O3取日最大8小时"
               "第90百分位数，分别除以二级标准限值后求和），数值越小空气质量越好，"
               "相同数值并列排名。");
}

const char *
ew__report_weekday_zh(int64_t t_unix_s)
{
    static const char *const names[] = { "星期四", "星期五", "星期六", "星期日", "星期一",
                                         "星期二", "星期三" };
    int64_t days = (t_unix_s + 8 * 3600) / 86400;   /* 1970-01-01 (CST) was a Thursday */

    return names[((days % 7) + 7) % 7];
}

void
ew__report_row_aqi(struct rp_doc *d, struct rp_table *t, size_t col, const struct ew_air_row *r)
{
    char prim[128];

    ew__report_aqi_cells(d, t, col, r->aqi.aqi);
    if (r->aqi.aqi >= 0) {
        ew__report_primary(r->aqi.primary, prim, sizeof(prim));
        rp_text(d, t, col + 3, prim);
    }
}

void
ew__report_conc_cells(struct rp_doc *d, struct rp_table *t, size_t col,
                      const struct ew_air_row *row, int with_8h)
{
    size_t c = col;

    for (int i = 0; i < EW_AIR_NITEMS; i++) {
        if (i == EW_AIR_O3_8H && !with_8h)
            continue;
        rp_num(d, t, c, ew_air_round(row->conc[i], ew_air_item_decimals(i)),
               ew_air_item_decimals(i));
        if (row->aqi.exceeding & (1u << i))
            rp_style(t, c, 0, RP_BAD);
        c++;
    }
}
