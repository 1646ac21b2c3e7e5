/* SPDX-License-Identifier: MIT */
/*
 * The monthly air quality report (环境空气质量月报): the city's days by level, good-day
 * share, heavy days and primary pollutants; the HJ 663 statistics of each item with its
 * share of the comprehensive index and the change against the same month a year earlier;
 * stations and counties ranked by the comprehensive index; the city's daily AQI; the year to
 * the end of the month, the targets and the heavy-pollution alerts.
 *
 * The statistics are GET /api/v1/air/stats?scope=city&period=month&date=YYYY-MM, the
 * rankings /air/ranking?period=month&by=index&of=station|county, both through the loaders of
 * util/reportair.h, so the report and the API cannot differ.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <envwatch/air.h>

#include "report/internal.h"
#include "util/reportair.h"
#include "util/time.h"

#define DAY_S 86400

static const struct rp_col fig_cols[] = {
    { "days", "有效天数", 10 },          { "good_days", "优良天数", 10 },
    { "good_share", "优良天数比例(%)", 12 }, { "heavy_days", "重度及以上污染天数", 12 },
    { "index", "综合指数", 10 },         { "main", "主要污染物", 14 },
};
static const struct rp_col level_cols[] = {
    { "l1", "优", 8 },        { "l2", "良", 8 },        { "l3", "轻度污染", 8 },
    { "l4", "中度污染", 8 },  { "l5", "重度污染", 8 },  { "l6", "严重污染", 8 },
};
static const struct rp_col primary_cols[] = {
    { "so2", "SO2", 7 },      { "no2", "NO2", 7 },      { "co", "CO", 7 },
    { "o3", "O3-1h", 7 },     { "o3_8h", "O3-8h", 7 },  { "pm10", "PM10", 7 },
    { "pm25", "PM2.5", 7 },
};
static const struct rp_col item_cols[] = {
    { "item", "项目", 9 },          { "unit", "单位", 7 },      { "mean", "月均值", 8 },
    { "percentile", "百分位", 7 },  { "pct", "百分位数值", 9 }, { "max", "日最大值", 8 },
    { "days", "有效天数", 7 },      { "exceed_days", "超标天数", 7 },
    { "sub", "单项指数", 8 },       { "change", "同比变化(%)", 9 },
};
static const struct rp_col compare_cols[] = {
    { "metric", "指标", 24 },   { "now", "本月", 10 },   { "prev", "去年同期", 10 },
    { "change", "同比变化", 10 },
};
static const struct rp_col station_cols[] = {
    { "rank", "排名", 5 },      { "name", "点位名称", 12 },    { "mn", "点位编码", 10 },
    { "county", "所属县区", 9 }, { "index", "综合指数", 8 },   { "main", "主要污染物", 14 },
    { "pm25", "PM2.5(μg/m³)", 9 }, { "good_share", "优良天数比例(%)", 10 },
    { "days", "有效天数", 7 },
};
static const struct rp_col county_cols[] = {
    { "rank", "排名", 5 },      { "county", "县（区）", 12 },  { "index", "综合指数", 8 },
    { "main", "主要污染物", 14 }, { "pm25", "PM2.5(μg/m³)", 9 },
    { "good_share", "优良天数比例(%)", 10 }, { "days", "有效天数", 7 },
};
static const struct rp_col daily_cols[] = {
    { "date", "日期", 11 },     { "aqi", "AQI", 6 },           { "level", "级别", 6 },
    { "category", "类别", 9 },  { "primary", "首要污染物", 14 },
    { "so2", "SO2", 6 },        { "no2", "NO2", 6 },           { "co", "CO", 5 },
    { "o3", "O3-1h", 6 },       { "o3_8h", "O3-8h", 6 },       { "pm10", "PM10", 6 },
    { "pm25", "PM2.5", 6 },
};

struct monthly {
    int     year, month, last_day;
    int64_t start;
    struct ew_air_period p, prev;
    int     any, any_prev, has_change;
    struct ew_air_change change;
    struct ew_air_ci ci;
    struct ew_reportair_groups stations, counties;
    struct air_points points;
    struct air_rows days;
    struct air_to_date td;
};

/* ---- loading -------------------------------------------------------------------------------- */

/* The last day "to date" counts: the month's last, or today in the month not over yet. */
static int
last_day(int year, int month, int64_t now)
{
    struct ew_civil c;

    ew_unix_to_civil(now, &c);
    if (c.year == year && c.month == month)
        return c.day;
    return ew_days_in_month(year, month);
}

static int
monthly_load(struct ew_store *s, const struct ew_report_req *req, struct monthly *x)
{
    int64_t end;
    int rc;

    x->year = req->year;
    x->month = req->month;
    x->last_day = last_day(req->year, req->month, req->now_unix_s);
    x->start = ew_reportair_period_start(req->year, req->month);
    end = x->start + (int64_t)ew_days_in_month(x->year, x->month) * DAY_S - 1;
    rc = ew_reportair_period(s, EW_AIR_SCOPE_CITY, "", x->year, x->month, 0, &x->p, &x->any);
    if (rc == EW_OK && x->year > 2000)
        rc = ew_reportair_period(s, EW_AIR_SCOPE_CITY, "", x->year - 1, x->month, 0, &x->prev,
                                 &x->any_prev);
    x->has_change = rc == EW_OK && x->any && x->any_prev &&
                    ew_air_period_compare(&x->p, &x->prev, &x->change) == EW_OK;
    if (ew_air_ci_compute(&x->p, &x->ci) != EW_OK)
        x->ci = (struct ew_air_ci){ .sum = NAN, .main_item = -1 };
    if (rc == EW_OK)
        rc = ew_reportair_groups_load(s, EW_AIR_SCOPE_STATION, x->year, x->month, 0, 0,
                                      &x->stations);
    if (rc == EW_OK)
        rc = ew_reportair_groups_load(s, EW_AIR_SCOPE_COUNTY, x->year, x->month, 0, 0,
                                      &x->counties);
    if (rc == EW_OK)
        rc = ew__report_stations(s, &x->points);
    if (rc == EW_OK)
        rc = ew__report_rows(s, EW_AIR_SCOPE_CITY, EW_AIR_PERIOD_DAY, x->start, end, &x->days);
    if (rc == EW_OK)
        rc = ew__report_to_date_load(s, x->year, x->month, x->last_day, &x->td);
    return rc;
}

static void
monthly_free(struct monthly *x)
{
    ew_reportair_groups_free(&x->stations);
    ew_reportair_groups_free(&x->counties);
    free(x->points.v);
    free(x->days.v);
    free(x);
}

/* ---- sections ------------------------------------------------------------------------------- */

static const char *
item_label(int item)
{
    return item >= 0 ? ew_air_item_label_zh(item) : "—";
}

static void
summary(struct rp_doc *d, const struct monthly *x)
{
    const struct ew_air_period *p = &x->p;
    char change[96] = "";

    if (p->aqi_days == 0) {
        rp_para(d, "%d年%d月，全市无有效日空气质量数据。", x->year, x->month);
        return;
    }
    if (x->has_change && isfinite(x->change.good_share_pp))
        snprintf(change, sizeof(change), "，同比%s%.1f个百分点",
                 x->change.good_share_pp >= 0 ? "上升" : "下降",
                 fabs(ew_air_round(x->change.good_share_pp, 1)));
    rp_para(d, "%d年%d月，全市有效监测天数%d天，其中优良天数%d天，优良天数比例为%.1f%%%s；"
            "重度及以上污染天数%d天。PM2.5月均浓度为%.0fμg/m³，环境空气质量综合指数为%.2f，"
            "主要污染物为%s。", x->year, x->month, p->aqi_days, p->good_days, p->good_share_pct,
            change, p->heavy_days, p->item[EW_AIR_PM25].mean, ew_air_round(x->ci.sum, 2),
            item_label(x->ci.main_item));
}

static void
overview(struct rp_doc *d, const struct monthly *x)
{
    const struct ew_air_period *p = &x->p;
    struct rp_table *t;

    rp_heading(d, "一、全市空气质量概况 (City)");
    summary(d, x);
    t = rp_table(d, 1, "city", "", fig_cols, EW_ARRAY_LEN(fig_cols));
    rp_row(d, t);
    rp_int(d, t, 0, p->aqi_days);
    rp_int(d, t, 1, p->good_days);
    rp_num(d, t, 2, p->good_share_pct, 1);
    rp_int(d, t, 3, p->heavy_days);
    rp_num(d, t, 4, ew_air_round(x->ci.sum, 2), 2);
    rp_text(d, t, 5, x->ci.main_item >= 0 ? item_label(x->ci.main_item) : "");
    t = rp_table(d, 0, "levels", "各级别天数（天）", level_cols, EW_ARRAY_LEN(level_cols));
    rp_row(d, t);
    for (int i = 0; i < EW_AIR_NLEVELS; i++) {
        rp_int(d, t, (size_t)i, p->level_days[i]);
        rp_style(t, (size_t)i, i + 1, 0);
    }
    t = rp_table(d, 0, "primary-days", "首要污染物天数（天，并列时分别计）", primary_cols,
                 EW_ARRAY_LEN(primary_cols));
    rp_row(d, t);
    for (int i = 0; i < EW_AIR_NITEMS; i++)
        rp_int(d, t, (size_t)i, p->primary_days[i]);
}

/* The statistic the index and the year-on-year change use: mean, or percentile for CO and
 * the daily maximum 8-hour O3. */
static int
uses_pct(int item)
{
    return item == EW_AIR_CO || item == EW_AIR_O3_8H;
}

static void
item_row(struct rp_doc *d, struct rp_table *t, const struct monthly *x, int i)
{
    const struct ew_air_stat *st = &x->p.item[i];
    int dec = ew_air_item_decimals(i);

    rp_row(d, t);
    rp_text(d, t, 0, ew_air_item_label_zh(i));
    rp_text(d, t, 1, i == EW_AIR_CO ? "mg/m³" : "μg/m³");
    rp_num(d, t, 2, st->mean, dec);
    rp_textf(d, t, 3, "第%g", ew_air_item_percentile(i));
    rp_num(d, t, 4, st->pct, dec);
    rp_num(d, t, 5, st->max, dec);
    rp_int(d, t, 6, st->n_days);
    rp_int(d, t, 7, st->exceed_days);
    if (st->exceed_days > 0)
        rp_style(t, 7, 0, RP_BAD);
    rp_num(d, t, 8, ew_air_round(x->ci.sub[i], 2), 2);
    if (x->has_change)
        rp_num(d, t, 9, ew_air_round(uses_pct(i) ? x->change.pct_pct[i]
                                                  : x->change.mean_pct[i], 1), 1);
}

static void
items(struct rp_doc *d, const struct monthly *x)
{
    static const int order[] = { EW_AIR_PM25, EW_AIR_PM10, EW_AIR_O3_8H, EW_AIR_O3_1H,
                                 EW_AIR_NO2, EW_AIR_SO2, EW_AIR_CO };
    struct rp_table *t;

    rp_heading(d, "二、主要污染物浓度 (Pollutants)");
    t = rp_table(d, 0, "city-items", "全市各项污染物月统计（HJ 663-2013）", item_cols,
                 EW_ARRAY_LEN(item_cols));
    for (size_t k = 0; k < EW_ARRAY_LEN(order); k++)
        item_row(d, t, x, order[k]);
    rp_table_note(d, t, "超标天数为日均值（O3为日最大8小时或1小时值）超过GB 3095-2012二级"
                  "标准限值的天数；单项指数为综合指数的分项（CO、O3-8h取百分位数值），"
                  "同比变化对应该统计量。月均值有效需至少27个日均值（2月25个）。");
}

static void
compare_row(struct rp_doc *d, struct rp_table *t, const char *label, double now, double prev,
            double change, int dec, int change_dec)
{
    rp_row(d, t);
    rp_text(d, t, 0, label);
    rp_num(d, t, 1, now, dec);
    rp_num(d, t, 2, prev, dec);
    rp_num(d, t, 3, change, change_dec);
}

static void
comparison(struct rp_doc *d, const struct monthly *x)
{
    struct ew_air_ci prev_ci;
    struct rp_table *t;

    rp_heading(d, "三、同比变化 (Year on year)");
    if (!x->has_change) {
        rp_para(d, "去年同期（%d年%d月）无有效数据，不作同比。", x->year - 1, x->month);
        return;
    }
    if (ew_air_ci_compute(&x->prev, &prev_ci) != EW_OK)
        prev_ci.sum = NAN;
    t = rp_table(d, 0, "comparison", "与去年同期比较", compare_cols, EW_ARRAY_LEN(compare_cols));
    compare_row(d, t, "综合指数（变化：%）", ew_air_round(x->ci.sum, 2),
                ew_air_round(prev_ci.sum, 2), ew_air_round(x->change.ci_pct, 1), 2, 1);
    compare_row(d, t, "优良天数比例（%；变化：百分点）", x->p.good_share_pct,
                x->prev.good_share_pct, ew_air_round(x->change.good_share_pp, 1), 1, 1);
    compare_row(d, t, "重度及以上污染天数（天；变化：天）", x->p.heavy_days, x->prev.heavy_days,
                x->change.heavy_days_delta, 0, 0);
    compare_row(d, t, "PM2.5月均浓度（μg/m³；变化：%）", x->p.item[EW_AIR_PM25].mean,
                x->prev.item[EW_AIR_PM25].mean,
                ew_air_round(x->change.mean_pct[EW_AIR_PM25], 1), 0, 1);
}

static int
ranking(struct rp_doc *d, const struct monthly *x, int of_station)
{
    const struct ew_reportair_groups *g = of_station ? &x->stations : &x->counties;
    int *rank = calloc(g->n + 1, sizeof(*rank));
    size_t *order = calloc(g->n + 1, sizeof(*order)), c;
    struct rp_table *t;
    int rc = rank != NULL && order != NULL ? ew_reportair_groups_rank(g, 0, rank, order)
                                           : EW_ENOMEM;

    rp_heading(d, of_station ? "四、各点位综合指数排名 (Stations)"
                             : "五、各县（区）综合指数排名 (Counties)");
    t = of_station ? rp_table(d, 0, "station-ranking", "按综合指数由小到大排名", station_cols,
                              EW_ARRAY_LEN(station_cols))
                   : rp_table(d, 0, "county-ranking", "按综合指数由小到大排名", county_cols,
                              EW_ARRAY_LEN(county_cols));
    for (size_t i = 0; rc == EW_OK && i < g->n; i++) {
        const struct ew_reportair_group *v = &g->v[order[i]];
        const struct ew_point *p = ew__report_station(&x->points, v->name);
        rp_row(d, t);
        if (rank[order[i]] > 0)
            rp_int(d, t, 0, rank[order[i]]);
        rp_text(d, t, 1, of_station && p != NULL ? p->name : v->name);
        c = 2;
        if (of_station) {
            rp_text(d, t, 2, v->name);
            rp_text(d, t, 3, v->county);
            c = 4;
        }
        rp_num(d, t, c, ew_air_round(v->index, 2), 2);
        rp_text(d, t, c + 1, v->main_item >= 0 ? item_label(v->main_item) : "");
        rp_num(d, t, c + 2, v->p.item[EW_AIR_PM25].mean, 0);
        rp_num(d, t, c + 3, v->p.good_share_pct, 1);
        rp_int(d, t, c + 4, v->p.aqi_days);
    }
    free(rank);
    free(order);
    return rc;
}

static void
daily_table(struct rp_doc *d, const struct monthly *x)
{
    struct rp_table *t;

    rp_annex(d, "附表：全市逐日空气质量 (City, daily)");
    t = rp_table(d, 0, "daily", "全市日空气质量指数", daily_cols, EW_ARRAY_LEN(daily_cols));
    for (size_t i = 0; i < x->days.n; i++) {
        const struct ew_air_row *r = &x->days.v[i];
        char date[20];
        ew_time_fmt_iso(r->t_unix_s, date);
        date[10] = '\0';
        rp_row(d, t);
        rp_text(d, t, 0, date);
        ew__report_row_aqi(d, t, 1, r);
        ew__report_conc_cells(d, t, 5, r, 1);
    }
    rp_table_note(d, t, "浓度单位：μg/m³（CO为mg/m³）；红色为分指数大于100的超标项。");
}

int
ew__report_air_monthly(struct ew_store *s, const struct ew_report_req *req,
                       const struct rp_names *n, struct rp_doc *d)
{
    struct monthly *x = calloc(1, sizeof(*x));
    int rc;

    if (x == NULL)
        return EW_ENOMEM;
    rc = monthly_load(s, req, x);
    rp_set(d, &d->title, "%s环境空气质量月报", n->city);
    rp_set(d, &d->title_en, "Monthly Air Quality Report");
    rp_set(d, &d->period, "%d年%d月", req->year, req->month);
    if (rc == EW_OK) {
        overview(d, x);
        items(d, x);
        comparison(d, x);
        rc = ranking(d, x, 1);
    }
    if (rc == EW_OK)
        rc = ranking(d, x, 0);
    if (rc == EW_OK) {
        ew__report_to_date(d, &x->td, 0, "六、年度累计 (Year to date)");
        ew__report_targets(d, &x->td, "七、年度目标进度 (Targets)");
        /* to the month's end included: the last day's AQI decides at 24:00 */
        rc = ew__report_alerts(d, s, x->start,
                               x->start + (int64_t)ew_days_in_month(x->year, x->month) * DAY_S,
                               "八、重污染天气预警 (Alerts)");
    }
    if (rc == EW_OK) {
        daily_table(d, x);
        ew__report_air_notes(d);
    }
    monthly_free(x);
    return rc;
}
