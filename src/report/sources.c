/* SPDX-License-Identifier: MIT */
/*
 * The monthly pollution-source report (重点污染源自动监控月报): the month's alarms of the
 * source outlets (exceedances one by one, the other rules counted per enterprise), the
 * 传输有效率 of every outlet, enterprise and county (worst first), and the emission of the
 * month and of the year to its end against the permitted quantities.
 *
 * The numbers are those of the API: alarms as stored by the alarm engine (GET
 * /api/v1/alarms), the transmission counts and emission sums of util/reportsrc.h, which
 * /api/v1/sources/transmission and /totals compute too, and the rules of envwatch/emission.h.
 * The report picks the month by the alarms' condition times (data time), where the API's
 * from/to filter the platform's opening and closing times (docs/reports.md).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hj212/codes.h>
#include <envwatch/alarm.h>
#include <envwatch/emission.h>

#include "report/internal.h"
#include "util/reportsrc.h"
#include "util/time.h"

#define TRANS_THRESHOLD_PCT 90.0        /* common provincial requirement [M], as the API */
#define ALARMS_MAX 10000                /* alarms of one month printed at most */

/* Warning levels of the used share of a permit: no national rule sets them [M]. */
static const double quota_levels_pct[] = { 80, 90, 100 };

static const struct rp_col fig_cols[] = {
    { "enterprises", "监控企业(家)", 12 },  { "outlets", "监控点位(个)", 12 },
    { "exceedances", "超标报警(起)", 12 },  { "exceed_periods", "超标时段数", 12 },
    { "effective", "传输有效率(%)", 12 },   { "failing", "传输有效率不达标点位(个)", 14 },
};
static const struct rp_col exceed_cols[] = {
    { "no", "序号", 5 },           { "enterprise", "企业名称", 16 }, { "point", "监控点位", 14 },
    { "county", "县区", 8 },       { "factor", "污染物", 10 },       { "start", "开始时间", 16 },
    { "end", "结束时间", 16 },     { "count", "超标时段数", 8 },     { "peak", "峰值", 8 },
    { "limit", "限值", 7 },        { "multiple", "超标倍数", 8 },    { "state", "处置状态", 9 },
};
static const struct rp_col alarm_sum_cols[] = {
    { "enterprise", "企业名称", 18 }, { "county", "县区", 8 },     { "exceed", "超标", 6 },
    { "offline", "离线", 6 },         { "constant", "恒值", 6 },   { "zero", "零值负值", 7 },
    { "range", "超量程", 6 },         { "flag", "故障维护", 7 },   { "total", "合计", 6 },
};
static const struct rp_col trans_point_cols[] = {
    { "enterprise", "企业名称", 16 }, { "point", "监控点位", 14 }, { "mn", "点位编码", 12 },
    { "county", "县区", 8 },          { "expected", "应传", 7 },   { "received", "实传", 7 },
    { "valid", "有效", 7 },           { "transmission", "传输率(%)", 8 },
    { "validity", "有效率(%)", 8 },   { "effective", "传输有效率(%)", 9 },
    { "pass", "是否达标", 7 },
};
static const struct rp_col trans_ent_cols[] = {
    { "name", "企业名称", 18 },      { "county", "县区", 8 },      { "expected", "应传", 7 },
    { "received", "实传", 7 },       { "valid", "有效", 7 },
    { "transmission", "传输率(%)", 8 }, { "validity", "有效率(%)", 8 },
    { "effective", "传输有效率(%)", 9 }, { "pass", "是否达标", 7 },
};
static const struct rp_col trans_county_cols[] = {
    { "name", "县区", 18 },          { "expected", "应传", 7 },    { "received", "实传", 7 },
    { "valid", "有效", 7 },          { "transmission", "传输率(%)", 8 },
    { "validity", "有效率(%)", 8 },  { "effective", "传输有效率(%)", 9 },
    { "pass", "是否达标", 7 },
};
static const struct rp_col total_outlet_cols[] = {
    { "enterprise", "企业名称", 16 }, { "point", "排放口", 14 },   { "county", "县区", 8 },
    { "factor", "污染物", 10 },       { "month_t", "本月排放量(t)", 11 },
    { "hours", "本月有效小时", 9 },   { "ytd_t", "本年累计(t)", 11 },
};
static const struct rp_col total_ent_cols[] = {
    { "enterprise", "企业名称", 16 }, { "county", "县区", 8 },     { "factor", "污染物", 10 },
    { "month_t", "本月(t)", 10 },     { "ytd_t", "本年累计(t)", 10 },
    { "quota_t", "许可排放量(t/a)", 11 }, { "used", "已用比例(%)", 9 },
    { "elapsed", "时间进度(%)", 9 },  { "projected_t", "预测全年(t)", 10 },
    { "warning", "预警", 10 },
};

struct tr_row {
    const struct ew_reportsrc_point *p;
    const char          *key;           /* enterprise or county when pooled */
    struct ew_trans_item it;
};

struct tot_row {
    const struct ew_reportsrc_point *p;
    const char *key;
    char        factor[17];
    double      month_kg, ytd_kg, quota_t;
    int64_t     hours;
};

struct src_month {
    int     year, month;
    int64_t start, end, now;            /* [start, end) the month; now clamps "to date" */
    struct ew_reportsrc_points pts;
    struct ew_reportsrc_limits lim;
    struct tr_row  *tr;                 /* points with limits */
    size_t          ntr;
    struct tot_row *tot;
    size_t          ntot, captot;
    struct ew_alarm *alarms;
    size_t          nalarms, capalarms;
};

/* ---- small helpers ------------------------------------------------------------------------- */

static const char *
factor_name(const char *code)
{
    const struct hj212_factor *f = hj212_factor_find((struct hj212_str){ code, strlen(code) });

    return f != NULL ? f->name_zh : code;
}

/* The fewest decimals (0..3) that show v as stored. */
static int
decimals_of(double v)
{
    for (int d = 0; d < 3; d++) {
        double p = pow(10, d);
        if (fabs(round(v * p) / p - v) < 1e-9 * (fabs(v) + 1))
            return d;
    }
    return 3;
}

/* The lifecycle states as a bureau's ledger words them (envwatch/alarm.h). */
static const char *
state_zh(int state)
{
    switch (state) {
    case EW_ALARM_STATE_OPEN: return "待处置";
    case EW_ALARM_STATE_ACKNOWLEDGED: return "已确认";
    case EW_ALARM_STATE_EXPLAINED: return "已申报";
    case EW_ALARM_STATE_CLOSED: return "已办结";
    default: return "";
    }
}

static void
time_cell(struct rp_doc *d, struct rp_table *t, size_t col, int64_t at)
{
    char s[20];

    if (at <= 0)
        return;
    ew_time_fmt_iso(at, s);
    s[10] = ' ';
    s[16] = '\0';
    rp_text(d, t, col, s);
}

static const struct ew_reportsrc_point *
point_of(const struct src_month *x, int64_t id)
{
    for (size_t i = 0; i < x->pts.n; i++)
        if (x->pts.v[i].id == id)
            return &x->pts.v[i];
    return NULL;
}

/* ---- loading -------------------------------------------------------------------------------- */

static int
keep_alarm(void *ctx, const struct ew_alarm *a)
{
    struct src_month *x = ctx;

    /* the condition overlaps the month (offline alarms have no end while they last) */
    if (a->start_unix_s >= x->end || (a->end_unix_s != 0 && a->end_unix_s <= x->start) ||
        point_of(x, a->point_id) == NULL)
        return 0;
    if (x->nalarms == ALARMS_MAX)
        return 0;
    if (x->nalarms == x->capalarms) {
        size_t cap = x->capalarms ? x->capalarms * 2 : 64;
        struct ew_alarm *v = realloc(x->alarms, cap * sizeof(*v));
        if (v == NULL)
            return EW_ENOMEM;
        x->alarms = v;
        x->capalarms = cap;
    }
    x->alarms[x->nalarms++] = *a;
    return 0;
}

static int
by_start(const void *a, const void *b)
{
    const struct ew_alarm *x = a, *y = b;

    return x->start_unix_s < y->start_unix_s ? -1 : x->start_unix_s > y->start_unix_s ? 1
           : x->id < y->id ? -1 : x->id > y->id;
}

static int
trans_load(struct ew_store *s, struct src_month *x)
{
    int rc = EW_OK;

    if ((x->tr = calloc(x->pts.n + 1, sizeof(*x->tr))) == NULL)
        return EW_ENOMEM;
    for (size_t i = 0; i < x->pts.n && rc == EW_OK; i++) {
        size_t nlim;
        const struct ew_source_limit *lim = ew_reportsrc_limits_of(&x->lim, x->pts.v[i].id,
                                                                   &nlim);
        struct tr_row *r = &x->tr[x->ntr];
        if (nlim == 0)
            continue;                   /* nothing is expected of a point without limits */
        *r = (struct tr_row){ &x->pts.v[i], x->pts.v[i].mn, { .id = x->pts.v[i].mn } };
        rc = ew_reportsrc_trans(s, &x->pts.v[i], lim, nlim, x->year, x->month, x->now,
                                &r->it.count);
        if (ew_trans_rates(&r->it.count, &r->it.rate) != EW_OK)
            r->it.rate = (struct ew_trans_rate){ NAN, NAN, NAN };
        x->ntr++;
    }
    return rc;
}

/* The month's and the year-to-date emission of every limited pollutant of every outlet. */
static int
totals_load(struct ew_store *s, struct src_month *x)
{
    struct ew_civil c = { x->year, 1, 1, 0, 0, 0 };
    int64_t year_start = ew_civil_to_unix(&c), to = (x->now < x->end ? x->now : x->end) - 1;
    struct ew_reportsrc_total *m = NULL, *y = NULL;
    int rc = EW_OK;

    for (size_t i = 0; i < x->pts.n && rc == EW_OK; i++) {
        size_t nlim;
        const struct ew_source_limit *lim = ew_reportsrc_limits_of(&x->lim, x->pts.v[i].id,
                                                                   &nlim);
        if (nlim == 0)
            continue;
        free(m);
        free(y);
        m = calloc(nlim, sizeof(*m));
        y = calloc(nlim, sizeof(*y));
        if (m == NULL || y == NULL || x->ntot + nlim > RP_TABLE_MAX_ROWS) {
            rc = m == NULL || y == NULL ? EW_ENOMEM : EW_ETOOBIG;
            break;
        }
        rc = ew_reportsrc_totals(s, &x->pts.v[i], lim, nlim, x->start, to, m);
        if (rc == EW_OK)
            rc = ew_reportsrc_totals(s, &x->pts.v[i], lim, nlim, year_start, to, y);
        if (rc == EW_OK && x->ntot + nlim > x->captot) {
            size_t cap = (x->captot + nlim) * 2;
            struct tot_row *v = realloc(x->tot, cap * sizeof(*v));
            if (v == NULL) {
                rc = EW_ENOMEM;
                break;
            }
            x->tot = v;
            x->captot = cap;
        }
        for (size_t k = 0; rc == EW_OK && k < nlim; k++) {
            struct tot_row *t = &x->tot[x->ntot++];
            *t = (struct tot_row){ &x->pts.v[i], NULL, "", m[k].emitted_kg, y[k].emitted_kg,
                                   m[k].quota_t, m[k].hours };
            memcpy(t->factor, m[k].factor, sizeof(t->factor));
        }
    }
    free(m);
    free(y);
    return rc;
}

static int
month_load(struct ew_store *s, const struct ew_report_req *req, struct src_month *x)
{
    struct ew_civil a = { req->year, req->month, 1, 0, 0, 0 };
    struct ew_civil b = { req->month == 12 ? req->year + 1 : req->year,
                          req->month == 12 ? 1 : req->month + 1, 1, 0, 0, 0 };
    struct ew_alarm_query q = { .limit = 0 };
    int rc;

    x->year = req->year;
    x->month = req->month;
    x->start = ew_civil_to_unix(&a);
    x->end = ew_civil_to_unix(&b);
    x->now = req->now_unix_s;
    rc = ew_reportsrc_points_load(s, &x->pts);
    if (rc == EW_OK)
        rc = ew_reportsrc_limits_load(s, &x->lim);
    if (rc == EW_OK)
        rc = ew_store_alarm_each(s, &q, keep_alarm, x);
    if (rc == EW_OK && x->nalarms > 1)
        qsort(x->alarms, x->nalarms, sizeof(*x->alarms), by_start);
    if (rc == EW_OK)
        rc = trans_load(s, x);
    if (rc == EW_OK)
        rc = totals_load(s, x);
    return rc;
}

static void
month_free(struct src_month *x)
{
    ew_reportsrc_points_free(&x->pts);
    ew_reportsrc_limits_free(&x->lim);
    free(x->tr);
    free(x->tot);
    free(x->alarms);
    free(x);
}

/* ---- overview and alarms -------------------------------------------------------------------- */

static size_t
count_sites(const struct src_month *x)
{
    size_t n = 0;

    for (size_t i = 0; i < x->pts.n; i++)       /* points are ordered by site */
        n += i == 0 || strcmp(x->pts.v[i].site, x->pts.v[i - 1].site) != 0;
    return n;
}

static void
overview(struct rp_doc *d, const struct src_month *x)
{
    struct ew_trans_count all = { 0 };
    struct ew_trans_rate rate = { NAN, NAN, NAN };
    long long exceed = 0, periods = 0, failing = 0;
    char pct[32] = "—";
    struct rp_table *t;

    for (size_t i = 0; i < x->nalarms; i++)
        if (x->alarms[i].kind == EW_ALARM_EXCEED) {
            exceed++;
            periods += x->alarms[i].count;
        }
    for (size_t i = 0; i < x->ntr; i++) {
        ew_trans_add(&all, &x->tr[i].it.count);
        failing += isfinite(x->tr[i].it.rate.effective_pct) &&
                   x->tr[i].it.rate.effective_pct < TRANS_THRESHOLD_PCT;
    }
    (void)ew_trans_rates(&all, &rate);      /* NAN when nothing was expected */
    rp_heading(d, "一、总体情况 (Overview)");
    if (isfinite(rate.effective_pct))
        snprintf(pct, sizeof(pct), "%.2f%%", rate.effective_pct);
    rp_para(d, "%d年%d月，全市纳入自动监控的企业%zu家、监控点位%zu个；发生超标报警%lld起"
            "（超标时段%lld个），其他报警%lld起；全市数据传输有效率为%s，低于%.0f%%的点位%lld个。",
            x->year, x->month, count_sites(x), x->pts.n, exceed, periods,
            (long long)x->nalarms - exceed, pct, TRANS_THRESHOLD_PCT, failing);
    t = rp_table(d, 1, "overview", "", fig_cols, EW_ARRAY_LEN(fig_cols));
    rp_row(d, t);
    rp_int(d, t, 0, (long long)count_sites(x));
    rp_int(d, t, 1, (long long)x->pts.n);
    rp_int(d, t, 2, exceed);
    rp_int(d, t, 3, periods);
    rp_num(d, t, 4, rate.effective_pct, 2);
    rp_int(d, t, 5, failing);
}

static void
exceed_row(struct rp_doc *d, struct rp_table *t, const struct src_month *x,
           const struct ew_alarm *a, size_t no)
{
    const struct ew_reportsrc_point *p = point_of(x, a->point_id);

    rp_row(d, t);
    rp_int(d, t, 0, (long long)no);
    rp_text(d, t, 1, p->site);
    rp_text(d, t, 2, p->name);
    rp_text(d, t, 3, p->county);
    rp_text(d, t, 4, factor_name(a->factor));
    time_cell(d, t, 5, a->start_unix_s);
    time_cell(d, t, 6, a->end_unix_s);
    rp_int(d, t, 7, a->count);
    rp_num(d, t, 8, a->peak, decimals_of(a->peak));
    rp_style(t, 8, 0, RP_BAD);
    rp_num(d, t, 9, a->limit, decimals_of(a->limit));
    rp_num(d, t, 10, a->multiple, 2);
    rp_text(d, t, 11, state_zh(a->state));
}

static void
alarm_summary(struct rp_doc *d, const struct src_month *x)
{
    static const int kinds[] = { EW_ALARM_EXCEED, EW_ALARM_OFFLINE, EW_ALARM_CONSTANT,
                                 EW_ALARM_ZERO, EW_ALARM_RANGE, EW_ALARM_FAULT };
    struct rp_table *t = rp_table(d, 0, "alarm-summary", "各企业报警统计（起）", alarm_sum_cols,
                                  EW_ARRAY_LEN(alarm_sum_cols));

    for (size_t i = 0; i < x->pts.n; i++) {
        long long n[EW_ARRAY_LEN(kinds)] = { 0 }, total = 0;
        if (i > 0 && strcmp(x->pts.v[i].site, x->pts.v[i - 1].site) == 0)
            continue;
        for (size_t k = 0; k < x->nalarms; k++) {
            const struct ew_reportsrc_point *p = point_of(x, x->alarms[k].point_id);
            int kind = x->alarms[k].kind == EW_ALARM_MAINT ? EW_ALARM_FAULT : x->alarms[k].kind;
            if (strcmp(p->site, x->pts.v[i].site) != 0)
                continue;
            for (size_t j = 0; j < EW_ARRAY_LEN(kinds); j++)
                n[j] += kinds[j] == kind;
            total++;
        }
        if (total == 0)
            continue;
        rp_row(d, t);
        rp_text(d, t, 0, x->pts.v[i].site);
        rp_text(d, t, 1, x->pts.v[i].county);
        for (size_t j = 0; j < EW_ARRAY_LEN(kinds); j++)
            rp_int(d, t, 2 + j, n[j]);
        rp_int(d, t, 8, total);
    }
    rp_table_note(d, t, "离线：超过规定时间无数据；恒值、零值负值、超量程、故障维护依据数据标记和"
                  "检测规则（阈值见 docs/sources.md）。");
}

static void
alarms_section(struct rp_doc *d, const struct src_month *x)
{
    struct rp_table *t;
    size_t no = 0;

    rp_heading(d, "二、超标及异常报警 (Alarms)");
    t = rp_table(d, 0, "exceedances", "超标报警明细（按开始时间）", exceed_cols,
                 EW_ARRAY_LEN(exceed_cols));
    for (size_t i = 0; i < x->nalarms; i++)
        if (x->alarms[i].kind == EW_ALARM_EXCEED)
            exceed_row(d, t, x, &x->alarms[i], ++no);
    rp_table_note(d, t, "超标按排放标准的均值时段判定（烟气为小时均值，折算至基准氧含量；废水为"
                  "日均值）；峰值、限值单位同监测因子（烟气mg/m³，废水mg/L）；"
                  "超标倍数=（峰值−限值）÷限值。");
    alarm_summary(d, x);
}

/* ---- transmission --------------------------------------------------------------------------- */

static void
rate_cells(struct rp_doc *d, struct rp_table *t, size_t col, const struct ew_trans_item *it)
{
    const struct ew_trans_rate *r = &it->rate;

    rp_int(d, t, col, it->count.expected);
    rp_int(d, t, col + 1, it->count.received);
    rp_int(d, t, col + 2, it->count.valid);
    rp_num(d, t, col + 3, r->transmission_pct, 2);
    rp_num(d, t, col + 4, r->validity_pct, 2);
    rp_num(d, t, col + 5, r->effective_pct, 2);
    if (isnan(r->effective_pct))
        return;
    rp_text(d, t, col + 6, r->effective_pct >= TRANS_THRESHOLD_PCT ? "达标" : "不达标");
    if (r->effective_pct < TRANS_THRESHOLD_PCT) {
        rp_style(t, col + 5, 0, RP_BAD);
        rp_style(t, col + 6, 0, RP_BAD);
    }
}

static int
by_trans(const void *a, const void *b)
{
    return ew_trans_cmp(&((const struct tr_row *)a)->it, &((const struct tr_row *)b)->it);
}

/* Pools the rows by enterprise (group 0) or county (1) into out; returns how many. */
static size_t
pool(const struct tr_row *rows, size_t n, int group, struct tr_row *out)
{
    size_t m = 0;

    for (size_t i = 0; i < n; i++) {
        const char *key = group == 0 ? rows[i].p->site : rows[i].p->county;
        size_t k = 0;
        while (k < m && strcmp(out[k].key, key) != 0)
            k++;
        if (k == m)
            out[m++] = (struct tr_row){ rows[i].p, key, { .id = key } };
        ew_trans_add(&out[k].it.count, &rows[i].it.count);
    }
    for (size_t k = 0; k < m; k++)
        if (ew_trans_rates(&out[k].it.count, &out[k].it.rate) != EW_OK)
            out[k].it.rate = (struct ew_trans_rate){ NAN, NAN, NAN };
    qsort(out, m, sizeof(*out), by_trans);
    return m;
}

static int
transmission(struct rp_doc *d, struct src_month *x)
{
    struct tr_row *groups = calloc(x->ntr + 1, sizeof(*groups));
    struct rp_table *t;

    if (groups == NULL)
        return EW_ENOMEM;
    rp_heading(d, "三、数据传输有效率 (传输有效率)");
    for (int g = 1; g >= 0; g--) {
        size_t n = pool(x->tr, x->ntr, g, groups), col = g ? 1 : 2;
        t = g ? rp_table(d, 0, "trans-counties", "各县区传输有效率（由低到高）",
                         trans_county_cols, EW_ARRAY_LEN(trans_county_cols))
              : rp_table(d, 0, "trans-enterprises", "各企业传输有效率（由低到高）",
                         trans_ent_cols, EW_ARRAY_LEN(trans_ent_cols));
        for (size_t i = 0; i < n; i++) {
            rp_row(d, t);
            rp_text(d, t, 0, groups[i].key);
            if (!g)
                rp_text(d, t, 1, groups[i].p->county);
            rate_cells(d, t, col, &groups[i].it);
        }
    }
    qsort(x->tr, x->ntr, sizeof(*x->tr), by_trans);
    t = rp_table(d, 0, "trans-points", "各点位传输有效率（由低到高）", trans_point_cols,
                 EW_ARRAY_LEN(trans_point_cols));
    for (size_t i = 0; i < x->ntr; i++) {
        rp_row(d, t);
        rp_text(d, t, 0, x->tr[i].p->site);
        rp_text(d, t, 1, x->tr[i].p->name);
        rp_text(d, t, 2, x->tr[i].p->mn);
        rp_text(d, t, 3, x->tr[i].p->county);
        rate_cells(d, t, 4, &x->tr[i].it);
    }
    rp_table_note(d, t, "应传为本月有限值污染物的小时数据条数（登记前及未结束的小时不计）；传输率"
                  "=实传÷应传，有效率=有效÷实传，传输有效率=传输率×有效率；达标要求不低于%.0f%%"
                  "（常见省级考核要求）。", TRANS_THRESHOLD_PCT);
    free(groups);
    return EW_OK;
}

/* ---- totals ------------------------------------------------------------------------------- */

static int
by_key_factor(const void *a, const void *b)
{
    const struct tot_row *x = a, *y = b;
    int c = strcmp(x->key, y->key);

    return c != 0 ? c : strcmp(x->factor, y->factor);
}

/* Pools the outlets' rows by enterprise (0) or county (1) and pollutant; quotas add up. */
static size_t
pool_totals(const struct tot_row *rows, size_t n, int group, struct tot_row *out)
{
    size_t m = 0;

    for (size_t i = 0; i < n; i++) {
        out[i] = rows[i];
        out[i].key = group == 0 ? rows[i].p->site : rows[i].p->county;
    }
    qsort(out, n, sizeof(*out), by_key_factor);
    for (size_t i = 0; i < n; i++) {
        if (m > 0 && by_key_factor(&out[m - 1], &out[i]) == 0) {
            struct tot_row *t = &out[m - 1];
            t->month_kg += out[i].month_kg;
            t->ytd_kg += out[i].ytd_kg;
            t->hours += out[i].hours;
            if (!isnan(out[i].quota_t))
                t->quota_t = (isnan(t->quota_t) ? 0 : t->quota_t) + out[i].quota_t;
        } else {
            out[m++] = out[i];
        }
    }
    return m;
}

static void
quota_cells(struct rp_doc *d, struct rp_table *t, const struct tot_row *r, double elapsed)
{
    struct ew_quota_status st;

    rp_num(d, t, 5, r->quota_t, decimals_of(r->quota_t));
    if (isnan(r->quota_t) ||
        ew_quota_check(r->ytd_kg / 1000, r->quota_t, elapsed, quota_levels_pct,
                       EW_ARRAY_LEN(quota_levels_pct), &st) != EW_OK)
        return;
    rp_num(d, t, 6, st.used_pct, 1);
    rp_num(d, t, 7, st.elapsed_pct, 1);
    rp_num(d, t, 8, st.projected, 3);
    if (st.projected_over) {
        rp_text(d, t, 9, "预计超许可");
        rp_style(t, 9, 0, RP_BAD);
    } else if (st.level > 0) {
        rp_textf(d, t, 9, "已达%.0f%%", quota_levels_pct[st.level - 1]);
    } else {
        rp_text(d, t, 9, "正常");
    }
}

static int
totals(struct rp_doc *d, const struct src_month *x)
{
    struct tot_row *g = calloc(x->ntot + 1, sizeof(*g));
    int64_t asof = (x->now < x->end ? x->now : x->end) - 1;
    double elapsed = ew_year_elapsed(asof);
    struct rp_table *t;
    size_t n;

    if (g == NULL)
        return EW_ENOMEM;
    rp_heading(d, "四、污染物排放量 (Emission totals)");
    n = pool_totals(x->tot, x->ntot, 0, g);
    t = rp_table(d, 0, "totals-enterprises", "各企业排放量及许可排放量使用情况", total_ent_cols,
                 EW_ARRAY_LEN(total_ent_cols));
    for (size_t i = 0; i < n; i++) {
        rp_row(d, t);
        rp_text(d, t, 0, g[i].key);
        rp_text(d, t, 1, g[i].p->county);
        rp_text(d, t, 2, factor_name(g[i].factor));
        rp_num(d, t, 3, g[i].month_kg / 1000, 3);
        rp_num(d, t, 4, g[i].ytd_kg / 1000, 3);
        quota_cells(d, t, &g[i], elapsed);
    }
    rp_table_note(d, t, "本年累计截至%d月末（本月未结束时截至报告时刻）；"
                  "预测全年按时间进度线性外推；预警档位为许可量的80%%、90%%、100%%（无国家统一规定，可配置）。", x->month);
    t = rp_table(d, 0, "totals-outlets", "各排放口排放量", total_outlet_cols,
                 EW_ARRAY_LEN(total_outlet_cols));
    for (size_t i = 0; i < x->ntot; i++) {
        rp_row(d, t);
        rp_text(d, t, 0, x->tot[i].p->site);
        rp_text(d, t, 1, x->tot[i].p->name);
        rp_text(d, t, 2, x->tot[i].p->county);
        rp_text(d, t, 3, factor_name(x->tot[i].factor));
        rp_num(d, t, 4, x->tot[i].month_kg / 1000, 3);
        rp_int(d, t, 5, x->tot[i].hours);
        rp_num(d, t, 6, x->tot[i].ytd_kg / 1000, 3);
    }
    rp_table_note(d, t, "排放量：有排放量(Cou)时取其值；否则烟气为浓度×标干流量×1小时×10⁻⁶，"
                  "废水为浓度×水量×10⁻³；无效标记的数据不计（未按HJ 75-2017补遗，结果偏小）。");
    free(g);
    return EW_OK;
}

static void
notes(struct rp_doc *d)
{
    rp_note(d, "数据来源：污染源自动监控（HJ 212-2017）上传的小时数据及平台报警记录；"
               "时间为北京时间。");
    rp_note(d, "超标判定依据排放标准（GB 13223-2011、GB 13271-2014、GB 16171-2012、GB 4915-2013、"
               "GB 18918-2002等）及排污许可限值，取严者；烟气折算基准氧含量，数据有效性依据"
               "HJ 75-2017、HJ 76-2017。");
    rp_note(d, "数据传输有效率=传输率×有效率，按月统计；达标线%.0f%%为常见省级要求（待核实）。",
            TRANS_THRESHOLD_PCT);
    rp_note(d, "本报告的报警按数据时间（超标时段）统计，平台开启、处置时间见报警记录。");
}

int
ew__report_sources(struct ew_store *s, const struct ew_report_req *req,
                   const struct rp_names *n, struct rp_doc *d)
{
    struct src_month *x = calloc(1, sizeof(*x));
    int rc;

    if (x == NULL)
        return EW_ENOMEM;
    rc = month_load(s, req, x);
    rp_set(d, &d->title, "%s重点污染源自动监控月报", n->city);
    rp_set(d, &d->title_en, "Monthly Report on Pollution Source Monitoring");
    rp_set(d, &d->period, "%d年%d月", req->year, req->month);
    d->landscape = 1;
    if (rc == EW_OK) {
        rp_sheet(d, "概况及报警");
        overview(d, x);
        alarms_section(d, x);
        rp_sheet(d, "传输有效率");
        rc = transmission(d, x);
    }
    if (rc == EW_OK) {
        rp_sheet(d, "排放量");
        rc = totals(d, x);
        notes(d);
    }
    month_free(x);
    return rc;
}
