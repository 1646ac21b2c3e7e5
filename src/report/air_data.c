/* SPDX-License-Identifier: MIT */
/*
 * What the daily and the monthly air reports load from the store, and the sections they
 * share: the city's figures to date (the month and the year: as /air/stats counts them), the
 * progress towards the year's targets (as /air/targets computes it) and the heavy-pollution
 * alerts of the period (as /air/alerts lists them).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <envwatch/air.h>

#include "report/internal.h"
#include "util/reportair.h"
#include "util/time.h"

static const struct rp_col to_date_cols[] = {
    { "period", "统计时段", 26 },        { "days", "有效天数", 8 },
    { "good_days", "优良天数", 8 },      { "good_share", "优良天数比例(%)", 10 },
    { "heavy_days", "重度及以上污染天数", 10 }, { "pm25", "PM2.5(μg/m³)", 9 },
    { "pm10", "PM10(μg/m³)", 9 },        { "index", "综合指数", 8 },
};
static const struct rp_col target_cols[] = {
    { "target", "指标", 22 },          { "goal", "年度目标", 9 },
    { "ytd", "累计", 9 },              { "needed", "剩余时段需达到", 12 },
    { "status", "完成情况", 12 },
};
static const struct rp_col alert_cols[] = {
    { "level", "当前级别", 12 },       { "max_level", "最高级别", 12 },
    { "start", "发布时间", 18 },       { "end", "解除时间", 18 },
};

/* ---- loaders --------------------------------------------------------------------------- */

static int
keep_row(void *ctx, const struct ew_air_row *row)
{
    struct air_rows *x = ctx;

    if (x->n == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 16;
        struct ew_air_row *v = realloc(x->v, cap * sizeof(*v));
        if (v == NULL)
            return EW_ENOMEM;
        x->v = v;
        x->cap = cap;
    }
    x->v[x->n++] = *row;
    return 0;
}

int
ew__report_rows(struct ew_store *s, int scope, int period, int64_t from, int64_t to,
                struct air_rows *out)
{
    struct ew_air_query q = { .scope = scope, .period = period, .from_unix_s = from,
                              .to_unix_s = to };

    if (scope == EW_AIR_SCOPE_CITY)
        q.name = "";
    return ew_store_air_each(s, &q, keep_row, out);
}

static int
keep_station(void *ctx, const struct ew_point *p)
{
    struct air_points *x = ctx;

    if (strcmp(p->kind, "air") != 0)
        return 0;
    if (x->n == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 16;
        struct ew_point *v = realloc(x->v, cap * sizeof(*v));
        if (v == NULL)
            return EW_ENOMEM;
        x->v = v;
        x->cap = cap;
    }
    x->v[x->n++] = *p;
    return 0;
}

int
ew__report_stations(struct ew_store *s, struct air_points *out)
{
    return ew_store_point_each(s, keep_station, out);
}

const struct ew_point *
ew__report_station(const struct air_points *p, const char *mn)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->v[i].mn, mn) == 0)
            return &p->v[i];
    return NULL;
}

/* ---- to date ----------------------------------------------------------------------------- */

static void
ci_of(const struct ew_air_period *p, struct ew_air_ci *ci)
{
    if (ew_air_ci_compute(p, ci) != EW_OK) {
        ci->sum = NAN;
        ci->main_item = -1;
        ci->valid = 0;
    }
}

/* Progress towards the targets as GET /api/v1/air/targets?date=… computes it. */
static int
targets_load(struct ew_store *s, int year, size_t elapsed, struct air_to_date *out)
{
    struct ew_air_day *days = calloc(elapsed + 1, sizeof(*days));
    int rc;

    out->target = (struct ew_air_target){ .pm25_ugm3 = NAN, .good_share_pct = NAN,
                                          .heavy_days_max = -1 };
    if (days == NULL)
        return EW_ENOMEM;
    rc = ew_store_air_target_get(s, year, &out->target, NULL);
    out->has_target = rc == EW_OK;
    if (rc == EW_ENOTFOUND)
        rc = EW_OK;
    if (rc == EW_OK)
        rc = ew_reportair_days(s, EW_AIR_SCOPE_CITY, "", ew_reportair_period_start(year, 0),
                               elapsed, days);
    if (rc == EW_OK)
        rc = ew_air_target_progress(&out->target, days, elapsed, year, &out->prog);
    free(days);
    return rc;
}

int
ew__report_to_date_load(struct ew_store *s, int year, int month, int day,
                        struct air_to_date *out)
{
    size_t doy = (size_t)(ew_days_from_civil(year, month, day) -
                          ew_days_from_civil(year, 1, 1) + 1);
    int any, rc;

    memset(out, 0, sizeof(*out));
    out->year = year;
    out->month = month;
    out->day = day;
    rc = ew_reportair_period(s, EW_AIR_SCOPE_CITY, "", year, month, (size_t)day, &out->mtd,
                             &any);
    if (rc == EW_OK)
        rc = ew_reportair_period(s, EW_AIR_SCOPE_CITY, "", year, 0, doy, &out->ytd, &any);
    if (rc == EW_OK)
        rc = targets_load(s, year, doy, out);
    ci_of(&out->mtd, &out->mtd_ci);
    ci_of(&out->ytd, &out->ytd_ci);
    return rc;
}

static void
to_date_row(struct rp_doc *d, struct rp_table *t, const char *label,
            const struct ew_air_period *p, const struct ew_air_ci *ci)
{
    rp_row(d, t);
    rp_text(d, t, 0, label);
    rp_int(d, t, 1, p->aqi_days);
    rp_int(d, t, 2, p->good_days);
    rp_num(d, t, 3, p->good_share_pct, 1);
    rp_int(d, t, 4, p->heavy_days);
    rp_num(d, t, 5, p->item[EW_AIR_PM25].mean, 0);
    rp_num(d, t, 6, p->item[EW_AIR_PM10].mean, 0);
    rp_num(d, t, 7, ew_air_round(ci->sum, 2), 2);
}

void
ew__report_to_date(struct rp_doc *d, const struct air_to_date *x, int with_month,
                   const char *heading)
{
    struct rp_table *t;
    char label[96];

    rp_heading(d, "%s", heading);
    t = rp_table(d, 0, "to-date", "全市累计空气质量", to_date_cols, EW_ARRAY_LEN(to_date_cols));
    if (with_month) {
        snprintf(label, sizeof(label), "本月累计（%d月1日至%d日）", x->month, x->day);
        to_date_row(d, t, label, &x->mtd, &x->mtd_ci);
    }
    snprintf(label, sizeof(label), "本年累计（1月1日至%d月%d日）", x->month, x->day);
    to_date_row(d, t, label, &x->ytd, &x->ytd_ci);
    rp_table_note(d, t, "%s", "有效天数为有日AQI的天数；浓度为有效日均值的平均；累计时段的综合指数"
                  "仅供参考（数据天数不足时不作为考核依据）。");
}

/* ---- targets ------------------------------------------------------------------------------- */

static const char *
status_zh(int status)
{
    static const char *const names[] = { "未设目标", "已完成", "达到进度要求", "滞后于进度",
                                         "无法完成" };

    return status >= 0 && status < (int)EW_ARRAY_LEN(names) ? names[status] : "";
}

static void
target_status(struct rp_doc *d, struct rp_table *t, int status)
{
    rp_text(d, t, 4, status_zh(status));
    if (status == EW_TARGET_BEHIND || status == EW_TARGET_MISSED)
        rp_style(t, 4, 0, RP_BAD);
}

void
ew__report_targets(struct rp_doc *d, const struct air_to_date *x, const char *heading)
{
    const struct ew_air_target_progress *p = &x->prog;
    struct rp_table *t;

    rp_heading(d, "%s", heading);
    if (!x->has_target) {
        rp_para(d, "%d年未设定环境空气质量年度目标。", x->year);
        return;
    }
    t = rp_table(d, 0, "targets", "年度目标完成情况", target_cols, EW_ARRAY_LEN(target_cols));
    rp_row(d, t);
    rp_text(d, t, 0, "PM2.5年均浓度(μg/m³)，不高于");
    rp_num(d, t, 1, x->target.pm25_ugm3, 1);
    rp_num(d, t, 2, ew_air_round(p->pm25_ytd_ugm3, 1), 1);
    rp_num(d, t, 3, ew_air_round(p->pm25_needed_ugm3, 1), 1);
    target_status(d, t, p->pm25_status);
    rp_row(d, t);
    rp_text(d, t, 0, "优良天数比例(%)，不低于");
    rp_num(d, t, 1, x->target.good_share_pct, 1);
    rp_num(d, t, 2, ew_air_round(p->good_share_ytd_pct, 1), 1);
    rp_num(d, t, 3, ew_air_round(p->good_share_needed_pct, 1), 1);
    target_status(d, t, p->good_status);
    rp_row(d, t);
    rp_text(d, t, 0, "重度及以上污染天数(天)，不多于");
    if (x->target.heavy_days_max >= 0)
        rp_int(d, t, 1, x->target.heavy_days_max);
    rp_int(d, t, 2, p->heavy_days);
    if (p->heavy_days_left >= 0)
        rp_int(d, t, 3, p->heavy_days_left);
    target_status(d, t, p->heavy_status);
    rp_table_note(d, t, "截至%d月%d日，已过%d天，剩余%d天；“剩余时段需达到”假定剩余每天均有有效"
                  "数据。", x->month, x->day, p->days_elapsed, p->days_left);
}

/* ---- alerts --------------------------------------------------------------------------------- */

struct alerts {
    struct ew_air_alert_rec v[64];
    size_t n;
};

static int
keep_alert(void *ctx, const struct ew_air_alert_rec *a)
{
    struct alerts *x = ctx;

    if (x->n < EW_ARRAY_LEN(x->v))
        x->v[x->n++] = *a;
    return 0;
}

static void
time_cell(struct rp_doc *d, struct rp_table *t, size_t col, int64_t at)
{
    char s[20];

    if (at == 0)
        return;
    ew_time_fmt_iso(at, s);
    s[10] = ' ';
    s[16] = '\0';
    rp_text(d, t, col, s);
}

int
ew__report_alerts(struct rp_doc *d, struct ew_store *s, int64_t from, int64_t to,
                  const char *heading)
{
    struct ew_air_alert_query q = { .scope = EW_AIR_SCOPE_CITY, .name = "",
                                    .from_unix_s = from, .to_unix_s = to,
                                    .limit = 64 };
    struct alerts *x = calloc(1, sizeof(*x));
    struct rp_table *t;
    int rc;

    if (x == NULL)
        return EW_ENOMEM;
    rc = ew_store_air_alert_each(s, &q, keep_alert, x);
    rp_heading(d, "%s", heading);
    if (rc == EW_OK && x->n == 0)
        rp_para(d, "本期未启动重污染天气预警。");
    if (rc == EW_OK && x->n > 0) {
        t = rp_table(d, 0, "alerts", "重污染天气预警", alert_cols, EW_ARRAY_LEN(alert_cols));
        for (size_t i = x->n; i-- > 0;) {       /* oldest first */
            rp_row(d, t);
            rp_text(d, t, 0, x->v[i].level != EW_ALERT_NONE
                                 ? ew_air_alert_level_name_zh(x->v[i].level) : "已解除");
            rp_text(d, t, 1, ew_air_alert_level_name_zh(x->v[i].max_level));
            time_cell(d, t, 2, x->v[i].start_unix_s);
            time_cell(d, t, 3, x->v[i].end_unix_s);
        }
        rp_table_note(d, t, "%s", "预警级别依据重污染天气应急预案，以日AQI判定"
                      "（当前配置见 docs/air.md）。");
    }
    free(x);
    return rc;
}
