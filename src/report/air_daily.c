/* SPDX-License-Identifier: MIT */
/*
 * The daily air quality report (环境空气质量日报) of one natural day: the city's daily AQI,
 * level, category, primary pollutants and daily values; every station and county ranked by
 * daily AQI; the month and the year to date (days, good days, good-day share, heavy days,
 * PM2.5, comprehensive index); progress towards the year's targets; the heavy-pollution alert
 * of the day; and, as an annex, the city's hourly AQI.
 *
 * Every number is a stored row of the daemon (GET /api/v1/air/aqi ... period=day|hour) or a
 * statistic of them computed by the same loaders as /air/stats and /air/targets
 * (util/reportair.h). The ranking by daily AQI is the report's own (ew_air_rank: ties share a
 * rank); control stations (对照点) are listed but not ranked.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <envwatch/air.h>

#include "report/internal.h"
#include "util/airrow.h"
#include "util/time.h"

#define DAY_S 86400

/* The columns of a concentration block: the seven daily items in enum ew_air_item order. */
#define ITEM_COLS                                                                              \
    { "so2", "SO2", 6 }, { "no2", "NO2", 6 }, { "co", "CO", 5 }, { "o3", "O3-1h", 6 },          \
        { "o3_8h", "O3-8h", 6 }, { "pm10", "PM10", 6 }, { "pm25", "PM2.5", 6 }

static const struct rp_col city_fig_cols[] = {
    { "aqi", "空气质量指数 AQI", 14 },   { "level", "级别", 10 },
    { "category", "类别", 12 },          { "primary", "首要污染物", 20 },
    { "stations", "评价点位数", 10 },
};
static const struct rp_col city_item_cols[] = { { "item", "项目", 16 }, ITEM_COLS };
static const struct rp_col station_cols[] = {
    { "rank", "排名", 5 },       { "name", "点位名称", 10 }, { "mn", "点位编码", 9 },
    { "county", "所属县区", 8 }, { "aqi", "AQI", 6 },        { "level", "级别", 6 },
    { "category", "类别", 9 },   { "primary", "首要污染物", 14 }, ITEM_COLS,
};
static const struct rp_col county_cols[] = {
    { "rank", "排名", 5 },      { "county", "县（区）", 10 }, { "aqi", "AQI", 6 },
    { "level", "级别", 6 },     { "category", "类别", 9 },     { "primary", "首要污染物", 14 },
    ITEM_COLS,                  { "stations", "点位数", 6 },
};
static const struct rp_col hour_cols[] = {
    { "time", "时段", 12 },     { "aqi", "AQI", 6 },           { "level", "级别", 6 },
    { "category", "类别", 9 },  { "primary", "首要污染物", 14 },
    { "so2", "SO2", 6 },        { "no2", "NO2", 6 },           { "co", "CO", 5 },
    { "o3", "O3", 6 },          { "pm10", "PM10", 6 },         { "pm25", "PM2.5", 6 },
};

static const char units_note[] = "浓度单位：μg/m³（CO为mg/m³）；O3-1h为日最大1小时平均，O3-8h为"
                                 "日最大8小时滑动平均；红色为分指数大于100的超标项。";

struct daily {
    int     year, month, day;
    int64_t day_unix_s;
    struct air_points points;
    struct air_rows stations, counties, hours;
    struct ew_air_row city;
    int     has_city;
    struct air_to_date td;
};

static int
daily_load(struct ew_store *s, const struct ew_report_req *req, struct daily *x)
{
    struct ew_civil c = { req->year, req->month, req->day, 0, 0, 0 };
    int64_t t;
    int rc;

    x->year = req->year;
    x->month = req->month;
    x->day = req->day;
    t = x->day_unix_s = ew_civil_to_unix(&c);
    rc = ew__report_stations(s, &x->points);
    if (rc == EW_OK)
        rc = ew__report_rows(s, EW_AIR_SCOPE_STATION, EW_AIR_PERIOD_DAY, t, t, &x->stations);
    if (rc == EW_OK)
        rc = ew__report_rows(s, EW_AIR_SCOPE_COUNTY, EW_AIR_PERIOD_DAY, t, t, &x->counties);
    if (rc == EW_OK)
        rc = ew__report_rows(s, EW_AIR_SCOPE_CITY, EW_AIR_PERIOD_HOUR, t, t + DAY_S - 1,
                             &x->hours);
    if (rc == EW_OK) {
        rc = ew_store_air_get(s, EW_AIR_SCOPE_CITY, "", EW_AIR_PERIOD_DAY, t, &x->city);
        x->has_city = rc == EW_OK;
        rc = rc == EW_ENOTFOUND ? EW_OK : rc;
    }
    if (rc == EW_OK)
        rc = ew__report_to_date_load(s, x->year, x->month, x->day, &x->td);
    return rc;
}

static void
daily_free(struct daily *x)
{
    free(x->points.v);
    free(x->stations.v);
    free(x->counties.v);
    free(x->hours.v);
    free(x);
}

/* ---- the sections --------------------------------------------------------------------------- */

static void
city_section(struct rp_doc *d, const struct daily *x)
{
    struct rp_table *f, *t;
    char date[32], prim[128];

    ew__report_date_zh(x->year, x->month, x->day, date, sizeof(date));
    rp_heading(d, "一、全市环境空气质量 (City)");
    if (!x->has_city) {
        rp_para(d, "%s，全市无有效日均值（no valid daily values）。", date);
        return;
    }
    ew__report_primary(x->city.aqi.primary, prim, sizeof(prim));
    if (x->city.aqi.aqi < 0)
        rp_para(d, "%s，全市各项污染物日均值均无效，未能计算空气质量指数。", date);
    else
        rp_para(d, "%s，全市环境空气质量指数（AQI）为%d，级别为%s，类别为%s，首要污染物为%s。"
                "本月累计优良天数%d天，优良天数比例%.1f%%。", date, x->city.aqi.aqi,
                ew_aqi_class_of(x->city.aqi.aqi)->level_zh,
                ew_aqi_class_of(x->city.aqi.aqi)->category_zh, x->city.aqi.aqi > 50 ? prim : "无",
                x->td.mtd.good_days, x->td.mtd.good_share_pct);
    f = rp_table(d, 1, "city", "", city_fig_cols, EW_ARRAY_LEN(city_fig_cols));
    rp_row(d, f);
    ew__report_row_aqi(d, f, 0, &x->city);
    rp_int(d, f, 4, x->city.stations);
    t = rp_table(d, 0, "city-items", "全市各项污染物日均值及分指数", city_item_cols,
                 EW_ARRAY_LEN(city_item_cols));
    rp_row(d, t);
    rp_text(d, t, 0, "日均值");
    ew__report_conc_cells(d, t, 1, &x->city, 1);
    rp_row(d, t);
    rp_text(d, t, 0, "分指数 IAQI");
    for (int i = 0; i < EW_AIR_NITEMS; i++)
        if (x->city.aqi.iaqi[i] >= 0)
            rp_int(d, t, 1 + (size_t)i, x->city.aqi.iaqi[i]);
    rp_row(d, t);
    rp_text(d, t, 0, "有效小时（窗口）数");
    for (int i = 0; i < EW_AIR_NITEMS; i++)
        rp_int(d, t, 1 + (size_t)i, x->city.n_valid[i]);
    rp_table_note(d, t, "%s", units_note);
}

/* Daily AQI ranks of the evaluation stations (control stations and rows without an AQI get
 * none); order[] lists the rows best first. */
static int
rank_rows(const struct air_rows *rows, int skip_control, int *rank, size_t *order)
{
    double *v = malloc((rows->n + 1) * sizeof(*v));
    int rc;

    if (v == NULL)
        return EW_ENOMEM;
    for (size_t i = 0; i < rows->n; i++)
        v[i] = rows->v[i].aqi.aqi >= 0 && !(skip_control && rows->v[i].control)
                   ? rows->v[i].aqi.aqi : NAN;
    rc = ew_air_rank(v, rows->n, 0, rank, order);
    free(v);
    return rc;
}

static void
station_row(struct rp_doc *d, struct rp_table *t, const struct daily *x,
            const struct ew_air_row *r, int rank)
{
    const struct ew_point *p = ew__report_station(&x->points, r->name);

    rp_row(d, t);
    if (rank > 0)
        rp_int(d, t, 0, rank);
    rp_textf(d, t, 1, "%s%s", p != NULL ? p->name : r->name, r->control ? "（对照点）" : "");
    if (r->control)
        rp_style(t, 1, 0, RP_MUTED);
    rp_text(d, t, 2, r->name);
    rp_text(d, t, 3, r->county);
    ew__report_row_aqi(d, t, 4, r);
    ew__report_conc_cells(d, t, 8, r, 1);
}

static int
stations_section(struct rp_doc *d, const struct daily *x)
{
    const struct air_rows *rows = &x->stations;
    int *rank = calloc(rows->n + 1, sizeof(*rank));
    size_t *order = calloc(rows->n + 1, sizeof(*order));
    struct rp_table *t;
    int rc = rank != NULL && order != NULL ? rank_rows(rows, 1, rank, order) : EW_ENOMEM;

    rp_heading(d, "二、各监测点位空气质量 (Stations)");
    t = rp_table(d, 0, "stations", "各点位日空气质量指数及排名（按AQI由低到高）", station_cols,
                 EW_ARRAY_LEN(station_cols));
    for (size_t i = 0; rc == EW_OK && i < rows->n; i++)
        station_row(d, t, x, &rows->v[order[i]], rank[order[i]]);
    /* registered stations with no daily row that day */
    for (size_t i = 0; rc == EW_OK && i < x->points.n; i++) {
        struct ew_air_row none;
        int found = 0;
        for (size_t k = 0; k < rows->n; k++)
            found |= strcmp(rows->v[k].name, x->points.v[i].mn) == 0;
        if (found)
            continue;
        ew_air_row_init(&none);
        snprintf(none.name, sizeof(none.name), "%s", x->points.v[i].mn);
        snprintf(none.county, sizeof(none.county), "%s", x->points.v[i].county);
        none.control = ew_airrow_is_control(x->points.v[i].extra);
        station_row(d, t, x, &none, 0);
    }
    rp_table_note(d, t, "%s对照点不参与排名及县区、全市均值；“—”为无有效数据。", units_note);
    free(rank);
    free(order);
    return rc;
}

static int
counties_section(struct rp_doc *d, const struct daily *x)
{
    const struct air_rows *rows = &x->counties;
    int *rank = calloc(rows->n + 1, sizeof(*rank));
    size_t *order = calloc(rows->n + 1, sizeof(*order));
    struct rp_table *t;
    int rc = rank != NULL && order != NULL ? rank_rows(rows, 0, rank, order) : EW_ENOMEM;

    rp_heading(d, "三、各县（区）空气质量 (Counties)");
    t = rp_table(d, 0, "counties", "各县（区）日空气质量指数及排名（按AQI由低到高）",
                 county_cols, EW_ARRAY_LEN(county_cols));
    for (size_t i = 0; rc == EW_OK && i < rows->n; i++) {
        const struct ew_air_row *r = &rows->v[order[i]];
        rp_row(d, t);
        if (rank[order[i]] > 0)
            rp_int(d, t, 0, rank[order[i]]);
        rp_text(d, t, 1, r->name);
        ew__report_row_aqi(d, t, 2, r);
        ew__report_conc_cells(d, t, 6, r, 1);
        rp_int(d, t, 13, r->stations);
    }
    rp_table_note(d, t, "%s", "县（区）数值为所辖评价点位浓度的算术平均。");
    free(rank);
    free(order);
    return rc;
}

static void
hours_section(struct rp_doc *d, const struct daily *x)
{
    struct rp_table *t;

    rp_annex(d, "附表：全市逐时空气质量 (City, hourly)");
    t = rp_table(d, 0, "city-hours", "全市小时空气质量指数（实时报）", hour_cols,
                 EW_ARRAY_LEN(hour_cols));
    for (size_t i = 0; i < x->hours.n; i++) {
        const struct ew_air_row *r = &x->hours.v[i];
        struct ew_civil c;
        ew_unix_to_civil(r->t_unix_s, &c);
        rp_row(d, t);
        rp_textf(d, t, 0, "%02d:00–%02d:00", c.hour, c.hour + 1);
        ew__report_row_aqi(d, t, 1, r);
        ew__report_conc_cells(d, t, 5, r, 0);
    }
    rp_table_note(d, t, "浓度为1小时平均，单位：μg/m³（CO为mg/m³）。");
}

int
ew__report_air_daily(struct ew_store *s, const struct ew_report_req *req,
                     const struct rp_names *n, struct rp_doc *d)
{
    struct daily *x = calloc(1, sizeof(*x));
    char date[32];
    int rc;

    if (x == NULL)
        return EW_ENOMEM;
    rc = daily_load(s, req, x);
    ew__report_date_zh(req->year, req->month, req->day, date, sizeof(date));
    rp_set(d, &d->title, "%s环境空气质量日报", n->city);
    rp_set(d, &d->title_en, "Daily Air Quality Report");
    rp_set(d, &d->period, "%s（%s）", date, ew__report_weekday_zh(x->day_unix_s));
    if (rc == EW_OK) {
        city_section(d, x);
        rc = stations_section(d, x);
    }
    if (rc == EW_OK)
        rc = counties_section(d, x);
    if (rc == EW_OK) {
        ew__report_to_date(d, &x->td, 1, "四、月度及年度累计 (To date)");
        ew__report_targets(d, &x->td, "五、年度目标进度 (Targets)");
        /* An alert decided by the day's AQI takes effect at the day's end (24:00). */
        rc = ew__report_alerts(d, s, x->day_unix_s, x->day_unix_s + DAY_S,
                               "六、重污染天气预警 (Alerts)");
    }
    if (rc == EW_OK) {
        hours_section(d, x);
        ew__report_air_notes(d);
    }
    daily_free(x);
    return rc;
}
