/* SPDX-License-Identifier: MIT */
/*
 * envwatch compliance: the pollution-source rules over CSV input, for analysts.
 *   standards     list the emission-standard table (data/standards)
 *   limit         the limit that binds an outlet (profile, tiers, conditions, permit values)
 *   hourly        minute values -> valid hourly values, O2-corrected, judged (or --events)
 *   daily         wastewater measurements -> flow-weighted daily values, loads, judged
 *   alarms        detection rules (offline, constant, zero, range, fault, maintenance) and
 *                 exceedance events
 *   transmission  传输有效率 per point, enterprise or county (cmd_compliance_kpi.c)
 *   totals        emission loads per period and the permitted-quantity check (idem)
 * docs/sources.md documents the input columns, the rules and the source of every number.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <envwatch/emission.h>
#include <envwatch/err.h>

#include "cli/cli.h"
#include "cli/compliance.h"
#include "util/compliance_io.h"

#define O2_FACTOR "a19001"

/* ---- standards ---- */

static const char *const std_cols[] = { "profile", "standard", "source_type", "pollutant",
                                        "name", "tier", "cond", "limit", "limit_lo", "unit",
                                        "ref_o2_pct", "averaging", "from", "confidence",
                                        "source" };

static int
std_row(struct cx_out *w, const struct ew_std_limit *r)
{
    char from[20] = "", conf[2] = { r->confidence, 0 };
    struct cx_cell c[EW_ARRAY_LEN(std_cols)] = {
        { CX_STR, r->profile, 0 },    { CX_STR, r->standard, 0 },
        { CX_STR, r->source_type, 0 }, { CX_STR, r->pollutant, 0 },
        { CX_STR, r->name, 0 },       { CX_STR, r->tier, 0 },
        { CX_STR, r->cond, 0 },       { CX_NUM, NULL, r->limit },
        { CX_NUM, NULL, r->limit_lo }, { CX_STR, r->unit, 0 },
        { CX_NUM, NULL, r->ref_o2_pct },
        { CX_STR, r->averaging == EW_AVG_DAY ? "day" : "hour", 0 },
        { CX_STR, from, 0 },          { CX_STR, conf, 0 },
        { CX_STR, r->source, 0 },
    };

    if (r->from_unix_s != INT64_MIN) {
        cx_time(r->from_unix_s, from);
        from[10] = '\0';                        /* the date */
    }
    return cx_out_row(w, c);
}

static int
cmd_standards(int argc, char **argv)
{
    struct cx_opts o = { 0 };
    struct ew_std_table *t;
    struct cx_out w;
    int rc = EW_OK;

    for (int i = 1; i < argc; i++)
        if (cx_common_opt(argc, argv, &i, &o, "standards") != 1 || o.path != NULL)
            return cx_fail("standards", "usage: standards [--profile PREFIX] [--format csv|json] "
                                     "[--standards DIR]");
    if (cx_standards(&o, "standards", &t) != EW_OK)
        return 1;
    cx_out_begin(&w, o.json, std_cols, EW_ARRAY_LEN(std_cols));
    for (size_t i = 0; i < ew_std_table_count(t) && rc == EW_OK; i++) {
        const struct ew_std_limit *r = ew_std_table_row(t, i);

        if (o.bind.profile == NULL ||
            strncmp(r->profile, o.bind.profile, strlen(o.bind.profile)) == 0)
            rc = std_row(&w, r);
    }
    if (cx_out_end(&w) != EW_OK)
        rc = EW_EIO;
    ew_std_table_destroy(t);
    return rc == EW_OK ? 0 : 1;
}

/* ---- limit ---- */

static const char *const limit_cols[] = { "pollutant", "limit", "limit_lo", "unit",
                                          "ref_o2_pct", "averaging", "basis", "confidence",
                                          "source" };

static int
limit_row(struct cx_out *w, const char *pollutant, const struct ew_limit *l)
{
    char basis[40] = "permit", conf[2] = { l->row ? l->row->confidence : 0, 0 };
    struct cx_cell c[EW_ARRAY_LEN(limit_cols)] = {
        { CX_STR, pollutant, 0 },       { CX_NUM, NULL, l->limit },
        { CX_NUM, NULL, l->limit_lo },  { CX_STR, l->row ? l->row->unit : "", 0 },
        { CX_NUM, NULL, l->ref_o2_pct },
        { CX_STR, l->averaging == EW_AVG_DAY ? "day" : "hour", 0 },
        { CX_STR, basis, 0 },           { CX_STR, conf, 0 },
        { CX_STR, l->row ? l->row->source : "permit value given on the command line", 0 },
    };

    if (l->row != NULL)
        snprintf(basis, sizeof(basis), "%s%s%s", l->row->tier, l->row->cond[0] ? "/" : "",
                 l->row->cond);
    return cx_out_row(w, c);
}

/* Pollutants of the binding's profile, each once, in table order. */
static int
limit_all(const struct ew_std_table *t, const struct cx_opts *o, int64_t at, struct cx_out *w)
{
    int rc = EW_OK, found = 0;

    for (size_t i = 0; i < ew_std_table_count(t) && rc == EW_OK; i++) {
        const struct ew_std_limit *r = ew_std_table_row(t, i);
        struct ew_limit l;
        int seen = 0;

        if (strcmp(r->profile, o->bind.profile) != 0)
            continue;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(ew_std_table_row(t, j)->profile, r->profile) == 0 &&
                   strcmp(ew_std_table_row(t, j)->pollutant, r->pollutant) == 0;
        if (!seen && ew_std_resolve(t, &o->bind, r->pollutant, at, &l) == EW_OK) {
            rc = limit_row(w, r->pollutant, &l);
            found = 1;
        }
    }
    return rc == EW_OK && !found ? EW_ENOTFOUND : rc;
}

static int
cmd_limit(int argc, char **argv)
{
    struct cx_opts o = { 0 };
    struct ew_std_table *t;
    struct ew_limit l;
    struct cx_out w;
    int64_t at = 0;
    int rc;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--at") == 0 && i + 1 < argc) {
            if (ew_cio_time(argv[++i], &at) != EW_OK)
                return cx_fail("limit", "--at needs a date (2018-10-01)");
        } else if (cx_common_opt(argc, argv, &i, &o, "limit") != 1) {
            return cx_fail("limit", "usage: limit --profile P --tiers T[,T] [--cond C] "
                                 "[--permit CODE=V] [--at DATE] [POLLUTANT]");
        }
    }
    if (o.bind.profile == NULL || o.bind.tiers == NULL)
        return cx_fail("limit", "--profile and --tiers are required");
    if (at == 0)
        at = (int64_t)time(NULL);
    if (cx_standards(&o, "limit", &t) != EW_OK)
        return 1;
    cx_out_begin(&w, o.json, limit_cols, EW_ARRAY_LEN(limit_cols));
    if (o.path != NULL && (rc = ew_std_resolve(t, &o.bind, o.path, at, &l)) == EW_OK)
        rc = limit_row(&w, o.path, &l);
    else if (o.path == NULL)
        rc = limit_all(t, &o, at, &w);
    if (cx_out_end(&w) != EW_OK)
        rc = EW_EIO;
    if (rc == EW_ENOTFOUND)
        fprintf(stderr, "envwatch compliance limit: no limit applies to %s in force then\n",
                o.path ? o.path : o.bind.profile);
    ew_std_table_destroy(t);
    return rc == EW_OK ? 0 : 1;
}

/* ---- shared by hourly, daily and alarms ---- */

/* The limit of one series at time t; *have is 0 when none applies or no profile is bound. */
static int
series_limit(const struct ew_std_table *t, const struct cx_opts *o, const char *factor,
             int64_t at, struct ew_limit *l)
{
    if (t == NULL || o->bind.profile == NULL)
        return 0;
    return ew_std_resolve(t, &o->bind, factor, at, l) == EW_OK;
}

/* The O2 minute series of point mn: records [*o2, *o2 + *n). */
static void
o2_series(const struct cx_data *d, uint32_t mn, size_t *o2, size_t *n)
{
    *o2 = 0;
    *n = 0;
    for (size_t i = 0; i < d->n; i = cx_series_end(d, i)) {
        if (d->r[i].mn == mn && strcmp(cx_s(d, d->r[i].factor), O2_FACTOR) == 0) {
            *o2 = i;
            *n = cx_series_end(d, i) - i;
            return;
        }
    }
}

static const char *const event_cols[] = { "mn", "factor", "kind", "start", "end", "records",
                                          "peak_time", "peak", "limit", "multiple", "open" };

struct event_ctx {
    struct cx_out *w;
    const char    *mn, *factor;
};

static int
event_row(void *ctx, const struct ew_alarm_event *e)
{
    struct event_ctx *x = ctx;
    char s[20], en[20], p[20];
    struct cx_cell c[EW_ARRAY_LEN(event_cols)] = {
        { CX_STR, x->mn, 0 },   { CX_STR, x->factor, 0 },
        { CX_STR, ew_alarm_kind_name(e->kind), 0 },
        { CX_STR, s, 0 },       { CX_STR, en, 0 },     { CX_INT, NULL, e->n },
        { CX_STR, p, 0 },       { CX_NUM, NULL, e->peak },
        { CX_NUM, NULL, e->limit }, { CX_NUM, NULL, e->multiple },
        { CX_BOOL, NULL, e->open },
    };

    cx_time(e->start_unix_s, s);
    cx_time(e->end_unix_s, en);
    cx_time(e->peak_unix_s, p);
    if (isnan(e->peak))
        p[0] = '\0';
    return cx_out_row(x->w, c);
}

/* Loads the input (sorted) and, when a profile is bound, the standard table. */
static int
load_input(const struct cx_opts *o, const char *cmd, struct cx_data *d,
           struct ew_std_table **t)
{
    FILE *in = cx_open(o, cmd);
    int rc;

    *t = NULL;
    if (in == NULL)
        return EW_EIO;
    rc = cx_read(in, cmd, d);
    if (in != stdin)
        fclose(in);
    if (rc != EW_OK)
        return rc;
    cx_sort(d);
    if (o->bind.profile != NULL && (o->bind.tiers == NULL ||
                                    (rc = cx_standards(o, cmd, t)) != EW_OK)) {
        if (o->bind.tiers == NULL)
            fprintf(stderr, "envwatch compliance %s: --profile needs --tiers\n", cmd);
        cx_free(d);
        return EW_EINVAL;
    }
    return EW_OK;
}

/* ---- hourly ---- */

static const char *const hour_cols[] = { "mn", "factor", "hour", "n_valid", "n_minutes",
                                         "valid", "reason", "mean", "o2_pct", "corrected",
                                         "limit", "exceed", "multiple" };

static int
hour_row(struct cx_out *w, const char *mn, const char *factor, const struct ew_hour *h,
         const struct ew_limit *l, int have)
{
    static const char *const reasons[] = { "", "few-minutes", "no-o2" };
    int over = have && h->valid && (h->corrected > l->limit ||
                                    (!isnan(l->limit_lo) && h->corrected < l->limit_lo));
    char t[20];
    struct cx_cell c[EW_ARRAY_LEN(hour_cols)] = {
        { CX_STR, mn, 0 },  { CX_STR, factor, 0 },  { CX_STR, t, 0 },
        { CX_INT, NULL, h->n_valid },  { CX_INT, NULL, h->n_total },
        { CX_BOOL, NULL, h->valid },   { CX_STR, reasons[h->reason], 0 },
        { CX_NUM, NULL, h->mean },     { CX_NUM, NULL, h->o2_pct },
        { CX_NUM, NULL, h->corrected }, { CX_NUM, NULL, have ? l->limit : NAN },
        { CX_BOOL, NULL, over },
        { CX_NUM, NULL, over && h->corrected > l->limit && l->limit > 0
                            ? (h->corrected - l->limit) / l->limit : NAN },
    };

    cx_time(h->t_unix_s, t);
    return cx_out_row(w, c);
}

struct hourly_args {
    struct cx_opts o;
    int            min_valid, events;
};

/* Hourly values of one series; rows or exceedance events written to w. */
static int
hourly_series(const struct cx_data *d, size_t i, size_t j, const struct ew_std_table *t,
              const struct hourly_args *a, struct ew_value *buf, struct ew_hour *hours,
              struct cx_out *w)
{
    const char *mn = cx_s(d, d->r[i].mn), *factor = cx_s(d, d->r[i].factor);
    struct ew_hourly_cfg cfg = { a->min_valid, NAN };
    struct ew_limit l;
    size_t o2 = 0, n_o2 = 0, nh = 0;
    int have = series_limit(t, &a->o, factor, d->r[i].v.t_unix_s, &l), rc;

    if (have)
        cfg.ref_o2_pct = l.ref_o2_pct;
    if (!isnan(cfg.ref_o2_pct))
        o2_series(d, d->r[i].mn, &o2, &n_o2);
    rc = ew_hourly(buf + i, j - i, buf + o2, n_o2, &cfg, hours, (j - i), &nh);
    if (rc != EW_OK)
        return rc;
    if (a->events) {
        struct event_ctx x = { w, mn, factor };

        return have ? ew_exceed_hours(hours, nh, &l, event_row, &x) : EW_OK;
    }
    for (size_t k = 0; k < nh && rc == EW_OK; k++) {
        have = series_limit(t, &a->o, factor, hours[k].t_unix_s, &l);
        rc = hour_row(w, mn, factor, &hours[k], &l, have);
    }
    return rc;
}

static int
hourly_run(const struct hourly_args *a)
{
    struct cx_data d;
    struct ew_std_table *t;
    struct ew_value *buf;
    struct ew_hour *hours;
    struct cx_out w;
    int rc;

    if (load_input(&a->o, "hourly", &d, &t) != EW_OK)
        return 1;
    buf = calloc(d.n ? d.n : 1, sizeof(*buf));
    hours = calloc(d.n ? d.n : 1, sizeof(*hours));
    rc = buf && hours ? EW_OK : EW_ENOMEM;
    for (size_t i = 0; rc == EW_OK && i < d.n; i++)
        buf[i] = d.r[i].v;
    if (a->events)
        cx_out_begin(&w, a->o.json, event_cols, EW_ARRAY_LEN(event_cols));
    else
        cx_out_begin(&w, a->o.json, hour_cols, EW_ARRAY_LEN(hour_cols));
    for (size_t i = 0; i < d.n && rc == EW_OK; i = cx_series_end(&d, i))
        rc = hourly_series(&d, i, cx_series_end(&d, i), t, a, buf, hours, &w);
    if (cx_out_end(&w) != EW_OK && rc == EW_OK)
        rc = EW_EIO;
    if (rc != EW_OK)
        fprintf(stderr, "envwatch compliance hourly: %s\n", ew_strerror(rc));
    free(buf);
    free(hours);
    ew_std_table_destroy(t);
    cx_free(&d);
    return rc == EW_OK ? 0 : 1;
}

static int
cmd_hourly(int argc, char **argv)
{
    struct hourly_args a = { .min_valid = 45 };
    long v;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--events") == 0) {
            a.events = 1;
        } else if (strcmp(argv[i], "--min-minutes") == 0 && i + 1 < argc &&
                   ew_cio_long(argv[i + 1], 1, 60, &v) == EW_OK) {
            a.min_valid = (int)v;
            i++;
        } else if (cx_common_opt(argc, argv, &i, &a.o, "hourly") != 1) {
            return cx_fail("hourly", "usage: hourly [--profile P --tiers T [--cond C] "
                                  "[--permit CODE=V]] [--min-minutes 45] [--events] "
                                  "[--format csv|json] [FILE]");
        }
    }
    return hourly_run(&a);
}

/* ---- daily (wastewater) ---- */

static const char *const day_cols[] = { "mn", "factor", "day", "n_valid", "n_values", "valid",
                                        "mean", "volume_m3", "load_kg", "limit", "exceed",
                                        "multiple" };

static int
day_row(struct cx_out *w, const char *mn, const char *factor, const struct ew_day *dy,
        const struct ew_limit *l, int have)
{
    int over = have && dy->valid && (dy->corrected > l->limit ||
                                     (!isnan(l->limit_lo) && dy->corrected < l->limit_lo));
    char t[20];
    struct cx_cell c[EW_ARRAY_LEN(day_cols)] = {
        { CX_STR, mn, 0 },  { CX_STR, factor, 0 },  { CX_STR, t, 0 },
        { CX_INT, NULL, dy->n_valid }, { CX_INT, NULL, dy->n_total },
        { CX_BOOL, NULL, dy->valid },  { CX_NUM, NULL, dy->mean },
        { CX_NUM, NULL, dy->volume_m3 }, { CX_NUM, NULL, dy->load_kg },
        { CX_NUM, NULL, have ? l->limit : NAN }, { CX_BOOL, NULL, over },
        { CX_NUM, NULL, over && dy->corrected > l->limit && l->limit > 0
                            ? (dy->corrected - l->limit) / l->limit : NAN },
    };

    cx_time(dy->t_unix_s, t);
    t[10] = '\0';
    return cx_out_row(w, c);
}

struct daily_args {
    struct cx_opts o;
    long           expected;
    double         min_share;
    int            events;
};

static int
daily_series(const struct cx_data *d, size_t i, size_t j, const struct ew_std_table *t,
             const struct daily_args *a, struct ew_value *buf, struct ew_day *days,
             struct cx_out *w)
{
    const char *mn = cx_s(d, d->r[i].mn), *factor = cx_s(d, d->r[i].factor);
    struct ew_limit l;
    size_t nd = 0;
    int have = series_limit(t, &a->o, factor, d->r[i].v.t_unix_s, &l), rc;

    for (size_t k = i; k < j; k++) {
        buf[k - i] = d->r[k].v;
        buf[k - i].cou = d->r[k].volume_m3;     /* the day's weights are volumes */
    }
    rc = ew_daily_wastewater(buf, j - i, (int)a->expected, a->min_share, days, j - i, &nd);
    if (rc != EW_OK)
        return rc;
    if (a->events) {
        struct event_ctx x = { w, mn, factor };

        return have ? ew_exceed_days(days, nd, &l, event_row, &x) : EW_OK;
    }
    for (size_t k = 0; k < nd && rc == EW_OK; k++) {
        have = series_limit(t, &a->o, factor, days[k].t_unix_s, &l);
        rc = day_row(w, mn, factor, &days[k], &l, have);
    }
    return rc;
}

static int
daily_run(const struct daily_args *a)
{
    struct cx_data d;
    struct ew_std_table *t;
    struct ew_value *buf;
    struct ew_day *days;
    struct cx_out w;
    int rc;

    if (load_input(&a->o, "daily", &d, &t) != EW_OK)
        return 1;
    buf = calloc(d.n ? d.n : 1, sizeof(*buf));
    days = calloc(d.n ? d.n : 1, sizeof(*days));
    rc = buf && days ? EW_OK : EW_ENOMEM;
    if (a->events)
        cx_out_begin(&w, a->o.json, event_cols, EW_ARRAY_LEN(event_cols));
    else
        cx_out_begin(&w, a->o.json, day_cols, EW_ARRAY_LEN(day_cols));
    for (size_t i = 0; i < d.n && rc == EW_OK; i = cx_series_end(&d, i))
        rc = daily_series(&d, i, cx_series_end(&d, i), t, a, buf, days, &w);
    if (cx_out_end(&w) != EW_OK && rc == EW_OK)
        rc = EW_EIO;
    if (rc != EW_OK)
        fprintf(stderr, "envwatch compliance daily: %s\n", ew_strerror(rc));
    free(buf);
    free(days);
    ew_std_table_destroy(t);
    cx_free(&d);
    return rc == EW_OK ? 0 : 1;
}

static int
cmd_daily(int argc, char **argv)
{
    struct daily_args a = { .expected = 24, .min_share = 0.75 };

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--events") == 0) {
            a.events = 1;
        } else if (strcmp(argv[i], "--expected") == 0 && i + 1 < argc &&
                   ew_cio_long(argv[i + 1], 1, 1440, &a.expected) == EW_OK) {
            i++;
        } else if (strcmp(argv[i], "--min-share") == 0 && i + 1 < argc &&
                   ew_cio_double(argv[i + 1], &a.min_share) == EW_OK && a.min_share > 0 &&
                   a.min_share <= 1) {
            i++;
        } else if (cx_common_opt(argc, argv, &i, &a.o, "daily") != 1) {
            return cx_fail("daily", "usage: daily [--profile P --tiers T [--cond C] "
                                 "[--permit CODE=V]] [--expected 24] [--min-share 0.75] "
                                 "[--events] [--format csv|json] [FILE]");
        }
    }
    return daily_run(&a);
}

/* ---- alarms ---- */

#define MAX_RANGES 16

struct range_opt {
    const char *factor;
    double      lo, hi;
};

struct alarm_args {
    struct cx_opts        o;
    struct ew_alarm_rules rules;
    struct range_opt      range[MAX_RANGES];
    size_t                n_range;
    int64_t               now;
};

/* "a21026=0:2000": the instrument range of a factor (either bound may be empty). */
static int
parse_range(char *v, struct alarm_args *a)
{
    char *eq = strchr(v, '='), *colon;
    struct range_opt r = { v, NAN, NAN };

    if (eq == NULL || a->n_range == MAX_RANGES || (colon = strchr(eq, ':')) == NULL)
        return 0;
    *eq = *colon = '\0';
    if ((eq[1] != '\0' && ew_cio_double(eq + 1, &r.lo) != EW_OK) ||
        (colon[1] != '\0' && ew_cio_double(colon + 1, &r.hi) != EW_OK))
        return 0;
    a->range[a->n_range++] = r;
    return 1;
}

/* A duration in seconds or "off". */
static int
parse_secs(const char *v, int64_t *out)
{
    long s;

    if (strcmp(v, "off") == 0) {
        *out = -1;
        return 1;
    }
    if (ew_cio_long(v, 0, 366L * 86400, &s) != EW_OK)
        return 0;
    *out = s;
    return 1;
}

static int
alarm_opt(int argc, char **argv, int *i, struct alarm_args *a)
{
    const char *k = argv[*i], *v = *i + 1 < argc ? argv[*i + 1] : NULL;
    struct ew_alarm_rules *r = &a->rules;
    int ok;

    if (v == NULL)
        return 0;
    if (strcmp(k, "--interval") == 0)
        ok = parse_secs(v, &r->interval_s) && r->interval_s > 0;
    else if (strcmp(k, "--offline") == 0)
        ok = parse_secs(v, &r->offline_after_s);
    else if (strcmp(k, "--constant") == 0)
        ok = parse_secs(v, &r->constant_after_s);
    else if (strcmp(k, "--zero") == 0)
        ok = parse_secs(v, &r->zero_after_s);
    else if (strcmp(k, "--fault") == 0)
        ok = parse_secs(v, &r->fault_after_s);
    else if (strcmp(k, "--maint") == 0)
        ok = parse_secs(v, &r->maint_after_s);
    else if (strcmp(k, "--epsilon") == 0)
        ok = ew_cio_double(v, &r->constant_epsilon) == EW_OK && r->constant_epsilon >= 0;
    else if (strcmp(k, "--range") == 0)
        ok = parse_range(argv[*i + 1], a);
    else if (strcmp(k, "--now") == 0)
        ok = ew_cio_time(v, &a->now) == EW_OK;
    else
        return 0;
    *i += ok;
    return ok;
}

/* Exceedance events of one series on the standard's averaging period. */
static int
alarm_exceed(const struct cx_data *d, size_t i, size_t j, const struct ew_limit *l,
             const struct alarm_args *a, struct ew_value *buf, struct event_ctx *x)
{
    int64_t per_hour = 3600 / a->rules.interval_s;
    struct ew_hourly_cfg cfg = { (int)(per_hour > 1 ? (per_hour * 3 + 3) / 4 : 1),
                                 l->ref_o2_pct };
    size_t o2 = 0, n_o2 = 0, n = 0, cap = j - i;
    void *out = calloc(cap, l->averaging == EW_AVG_DAY ? sizeof(struct ew_day)
                                                       : sizeof(struct ew_hour));
    int rc;

    if (out == NULL)
        return EW_ENOMEM;
    if (l->averaging == EW_AVG_DAY) {
        for (size_t k = i; k < j; k++)
            buf[k].cou = d->r[k].volume_m3;
        rc = ew_daily_wastewater(buf + i, cap, (int)(86400 / a->rules.interval_s), 0.75, out,
                                 cap, &n);
        if (rc == EW_OK)
            rc = ew_exceed_days(out, n, l, event_row, x);
    } else {
        /* 45 of 60 minute values, scaled to the series' interval (HJ 76-2017 annex B). */
        if (!isnan(cfg.ref_o2_pct))
            o2_series(d, d->r[i].mn, &o2, &n_o2);
        rc = ew_hourly(buf + i, cap, buf + o2, n_o2, &cfg, out, cap, &n);
        if (rc == EW_OK)
            rc = ew_exceed_hours(out, n, l, event_row, x);
    }
    free(out);
    return rc;
}

static int
alarm_series(const struct cx_data *d, size_t i, size_t j, const struct ew_std_table *t,
             const struct alarm_args *a, struct ew_value *buf, struct cx_out *w)
{
    const char *factor = cx_s(d, d->r[i].factor);
    struct event_ctx x = { w, cx_s(d, d->r[i].mn), factor };
    struct ew_detect_input in = { buf + i, j - i, NAN, NAN, a->now };
    struct ew_limit l;
    int rc;

    for (size_t k = 0; k < a->n_range; k++) {
        if (strcmp(a->range[k].factor, factor) == 0) {
            in.range_lo = a->range[k].lo;
            in.range_hi = a->range[k].hi;
        }
    }
    if ((rc = ew_detect(&in, &a->rules, event_row, &x)) != EW_OK)
        return rc;
    if (series_limit(t, &a->o, factor, d->r[i].v.t_unix_s, &l))
        rc = alarm_exceed(d, i, j, &l, a, buf, &x);
    return rc;
}

static int
alarms_run(struct alarm_args *a)
{
    struct cx_data d;
    struct ew_std_table *t;
    struct ew_value *buf;
    struct cx_out w;
    int rc;

    if (load_input(&a->o, "alarms", &d, &t) != EW_OK)
        return 1;
    buf = calloc(d.n ? d.n : 1, sizeof(*buf));
    rc = buf ? EW_OK : EW_ENOMEM;
    for (size_t i = 0; rc == EW_OK && i < d.n; i++) {
        buf[i] = d.r[i].v;
        if (a->now == INT64_MIN || d.r[i].v.t_unix_s + a->rules.interval_s > a->now)
            a->now = d.r[i].v.t_unix_s + a->rules.interval_s;
    }
    cx_out_begin(&w, a->o.json, event_cols, EW_ARRAY_LEN(event_cols));
    for (size_t i = 0; i < d.n && rc == EW_OK; i = cx_series_end(&d, i))
        rc = alarm_series(&d, i, cx_series_end(&d, i), t, a, buf, &w);
    if (cx_out_end(&w) != EW_OK && rc == EW_OK)
        rc = EW_EIO;
    if (rc != EW_OK)
        fprintf(stderr, "envwatch compliance alarms: %s\n", ew_strerror(rc));
    free(buf);
    ew_std_table_destroy(t);
    cx_free(&d);
    return rc == EW_OK ? 0 : 1;
}

static int
cmd_alarms(int argc, char **argv)
{
    struct alarm_args a = { .now = INT64_MIN };
    const char *kind = "flue";
    int now_given = 0;

    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], "--kind") == 0)
            kind = argv[i + 1];
    if (ew_alarm_rules_default(kind, &a.rules) != EW_OK)
        return cx_fail("alarms", "--kind is one of air water flue wastewater sewage dust fume");
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--kind") == 0 && i + 1 < argc) {
            i++;
        } else if (alarm_opt(argc, argv, &i, &a)) {
            now_given |= strcmp(argv[i - 1], "--now") == 0;
        } else if (cx_common_opt(argc, argv, &i, &a.o, "alarms") != 1) {
            return cx_fail("alarms", "usage: alarms [--kind flue] [--interval S] [--offline S|off]"
                                  " [--constant S|off] [--epsilon X] [--zero S|off] "
                                  "[--fault S|off] [--maint S|off] [--range CODE=LO:HI] "
                                  "[--now TIME] [--profile P --tiers T] [FILE]");
        }
    }
    if (!now_given)
        a.now = INT64_MIN;      /* the end of the data: no offline alarm at the end */
    return alarms_run(&a);
}

/* ---- dispatch ---- */

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} subs[] = {
    { "standards", cmd_standards, "list the emission-standard table" },
    { "limit", cmd_limit, "the limits binding an outlet (profile, tiers, permit values)" },
    { "hourly", cmd_hourly, "minute values -> valid hourly values, O2-corrected, judged" },
    { "daily", cmd_daily, "wastewater values -> flow-weighted daily values and loads" },
    { "alarms", cmd_alarms, "detection rules and exceedance events" },
    { "transmission", ew_compliance_transmission, "传输有效率 per point/enterprise/county" },
    { "totals", ew_compliance_totals, "emission loads per period; permitted quantities" },
};

int
ew_cmd_compliance(int argc, char **argv)
{
    FILE *f = stderr;

    if (argc >= 2) {
        for (size_t i = 0; i < EW_ARRAY_LEN(subs); i++)
            if (strcmp(argv[1], subs[i].name) == 0)
                return subs[i].run(argc - 1, argv + 1);
        if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
            f = stdout;
    }
    fprintf(f, "usage: envwatch compliance <subcommand> [options] [FILE]\n\n");
    for (size_t i = 0; i < EW_ARRAY_LEN(subs); i++)
        fprintf(f, "  %-13s %s\n", subs[i].name, subs[i].summary);
    fprintf(f, "\nInput: CSV with mn,time,factor,value[,zs,cou,flag,flow_m3h,volume_m3,"
               "enterprise,county].\nSee docs/sources.md.\n");
    return f == stdout ? 0 : 2;
}
