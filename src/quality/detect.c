/* SPDX-License-Identifier: MIT */
/*
 * Alarm detection as pure functions: given one factor's series, return the events. Exceedance
 * runs on the averaging period of the standard (HJ 76-2017 annex B: an alarm whenever an
 * hourly O2-corrected mean exceeds the limit), and the data-quality rules a monitoring centre
 * watches: offline, constant value, zero or negative, outside the instrument range, fault and
 * maintenance flags lasting too long. The lifecycle of an alarm (open, acknowledged,
 * explained, closed) belongs to src/alarm/, which calls these.
 */
#include <math.h>
#include <string.h>
#include <strings.h>

#include <envwatch/emission.h>
#include <envwatch/err.h>

#define HOUR_S 3600
#define DAY_S 86400

static const char *const kind_names[] = {
    "",
#define X(name, str) str,
    EW_ALARM_KINDS(X)
#undef X
};

const char *
ew_alarm_kind_name(int kind)
{
    return kind > EW_ALARM_NONE && (size_t)kind < EW_ARRAY_LEN(kind_names) ? kind_names[kind]
                                                                          : "";
}

int
ew_alarm_kind_parse(const char *name, int *kind)
{
    if (name == NULL || kind == NULL)
        return EW_EINVAL;
    for (size_t k = 1; k < EW_ARRAY_LEN(kind_names); k++) {
        if (strcasecmp(name, kind_names[k]) == 0) {
            *kind = (int)k;
            return EW_OK;
        }
    }
    return EW_ENOTFOUND;
}

/* ---- exceedance ---- */

/* A run of consecutive offending periods being built. */
struct run {
    int                   active;
    int64_t               next_t;       /* where the run must continue */
    double                worst;        /* how far the peak is outside the limit */
    struct ew_alarm_event e;
};

/* How far v lies outside the limit (> 0 when it exceeds), or 0. */
static double
outside(double v, const struct ew_limit *lim)
{
    if (v > lim->limit)
        return (v - lim->limit) / (lim->limit > 0 ? lim->limit : 1);
    if (!isnan(lim->limit_lo) && v < lim->limit_lo)
        return (lim->limit_lo - v) / (lim->limit_lo > 0 ? lim->limit_lo : 1);
    return 0;
}

static int
run_close(struct run *r, int open, int (*fn)(void *, const struct ew_alarm_event *), void *ctx)
{
    if (!r->active)
        return 0;
    r->active = 0;
    r->e.open = open;
    return fn(ctx, &r->e);
}

static int
exceed_feed(struct run *r, int64_t t, int64_t period, int valid, double v,
            const struct ew_limit *lim, int (*fn)(void *, const struct ew_alarm_event *),
            void *ctx)
{
    double d = valid && isfinite(v) ? outside(v, lim) : 0;
    int rc;

    if (r->active && (t != r->next_t || d <= 0) && (rc = run_close(r, 0, fn, ctx)) != 0)
        return rc;
    if (d <= 0)
        return 0;
    if (!r->active) {
        *r = (struct run){ .active = 1, .worst = -1 };
        r->e = (struct ew_alarm_event){ .kind = EW_ALARM_EXCEED, .start_unix_s = t };
    }
    if (d > r->worst) {
        int upper = v > lim->limit;

        r->worst = d;
        r->e.peak = v;
        r->e.peak_unix_s = t;
        r->e.limit = upper ? lim->limit : lim->limit_lo;
        /* Multiple = (C − L) / L for an upper limit (standards.md §4.3); none for pH's floor. */
        r->e.multiple = upper && lim->limit > 0 ? (v - lim->limit) / lim->limit : NAN;
    }
    r->e.n++;
    r->e.end_unix_s = t + period;
    r->next_t = t + period;
    return 0;
}

static int
limit_ok(const struct ew_limit *lim)
{
    return lim != NULL && isfinite(lim->limit) && lim->limit >= 0;
}

int
ew_exceed_hours(const struct ew_hour *h, size_t n, const struct ew_limit *lim,
                int (*fn)(void *ctx, const struct ew_alarm_event *e), void *ctx)
{
    struct run r = { 0 };
    int rc;

    if ((h == NULL && n > 0) || !limit_ok(lim) || fn == NULL)
        return EW_EINVAL;
    for (size_t i = 0; i < n; i++)
        if ((rc = exceed_feed(&r, h[i].t_unix_s, HOUR_S, h[i].valid, h[i].corrected, lim, fn,
                              ctx)) != 0)
            return rc;
    return run_close(&r, 1, fn, ctx);
}

int
ew_exceed_days(const struct ew_day *d, size_t n, const struct ew_limit *lim,
               int (*fn)(void *ctx, const struct ew_alarm_event *e), void *ctx)
{
    struct run r = { 0 };
    int rc;

    if ((d == NULL && n > 0) || !limit_ok(lim) || fn == NULL)
        return EW_EINVAL;
    for (size_t i = 0; i < n; i++)
        if ((rc = exceed_feed(&r, d[i].t_unix_s, DAY_S, d[i].valid, d[i].corrected, lim, fn,
                              ctx)) != 0)
            return rc;
    return run_close(&r, 1, fn, ctx);
}

/* ---- detection rules ---- */

/*
 * Defaults per point kind. No national text sets these numbers: they are proposals to be
 * agreed with the bureau [M]. The interval is the usual upload period of the kind (minute data
 * for stacks and dust, hourly for air and wastewater, 4-hourly for surface-water stations).
 */
static const struct {
    const char           *kind;
    struct ew_alarm_rules r;
} rule_defaults[] = {
    /* kind          interval offline  constant eps zero    fault   maint */
    { "air",        { 3600,  7200,   21600,  0, 10800,  7200,  28800 } },
    { "water",      { 14400, 28800,  86400,  0, 86400,  28800, 86400 } },
    { "flue",       { 60,    3600,   7200,   0, 3600,   3600,  14400 } },
    { "wastewater", { 3600,  7200,   86400,  0, 14400,  14400, 43200 } },
    { "sewage",     { 3600,  7200,   86400,  0, 14400,  14400, 43200 } },
    { "dust",       { 60,    3600,   7200,   0, 7200,   7200,  28800 } },
    /* Fume monitors read zero whenever the kitchen is idle: the zero rule is off. */
    { "fume",       { 600,   7200,   21600,  0, -1,     7200,  28800 } },
};

int
ew_alarm_rules_default(const char *point_kind, struct ew_alarm_rules *out)
{
    if (point_kind == NULL || out == NULL)
        return EW_EINVAL;
    for (size_t i = 0; i < EW_ARRAY_LEN(rule_defaults); i++) {
        if (strcasecmp(point_kind, rule_defaults[i].kind) == 0) {
            *out = rule_defaults[i].r;
            return EW_OK;
        }
    }
    return EW_ENOTFOUND;
}

/* HJ 212-2017 table 8 flags the rules watch: D fault, B communication fault, M
 * maintenance, C calibration, T above the range (either case). */
static int
flag_is(char flag, char upper)
{
    return flag == upper || flag == upper + ('a' - 'A');
}

/* What the rules need to know of one record, worked out once per record. */
struct look {
    const struct ew_value *v;
    int    usable;              /* valid flag and a finite value */
    int    fault, maint;        /* flags D or B; M or C */
    double out;                 /* how far outside the instrument range (>= 0: outside) */
    double bound;               /* the bound crossed; NAN */
};

static void
look_at(const struct ew_detect_input *in, const struct ew_value *v, struct look *l)
{
    int finite = isfinite(v->value);

    l->v = v;
    l->usable = ew_flag_valid(v->flag) && finite;
    l->fault = flag_is(v->flag, 'D') || flag_is(v->flag, 'B');
    l->maint = flag_is(v->flag, 'M') || flag_is(v->flag, 'C');
    l->out = -1;
    l->bound = NAN;
    if (!finite || !(l->usable || flag_is(v->flag, 'T')))
        return;
    if (!isnan(in->range_hi) && v->value > in->range_hi) {
        l->bound = in->range_hi;
        l->out = v->value - in->range_hi;
    } else if (!isnan(in->range_lo) && v->value < in->range_lo) {
        l->bound = in->range_lo;
        l->out = in->range_lo - v->value;
    } else if (flag_is(v->flag, 'T')) {
        l->out = 0;                             /* T: the instrument says it is over range */
    }
}

/* Whether a record belongs to a run of the rule, given the run's first record. */
static int
matches(int kind, const struct ew_alarm_rules *r, const struct ew_value *first,
        const struct look *l)
{
    switch (kind) {
    case EW_ALARM_CONSTANT:
        /* Zero and negative values are the zero rule's business. */
        return l->usable && l->v->value > 0 &&
               (first == NULL || fabs(l->v->value - first->value) <= r->constant_epsilon);
    case EW_ALARM_ZERO:
        return l->usable && l->v->value <= 0;
    case EW_ALARM_RANGE:
        return l->out >= 0;
    case EW_ALARM_FAULT:
        return l->fault;
    case EW_ALARM_MAINT:
        return l->maint;
    default:
        return 0;
    }
}

/* Keeps the peak of a run: the value itself (constant), the lowest (zero), farthest out. */
static void
run_peak(int kind, const struct look *l, struct ew_alarm_event *e, double *worst)
{
    double d;

    switch (kind) {
    case EW_ALARM_CONSTANT:
        d = e->n == 0 ? 1 : -1;
        break;
    case EW_ALARM_ZERO:
        d = -l->v->value;
        break;
    case EW_ALARM_RANGE:
        d = l->out;
        if (d > *worst || e->n == 0)
            e->limit = l->bound;
        break;
    default:
        return;                                 /* flags carry no value */
    }
    if (e->n == 0 || d > *worst) {
        *worst = d;
        e->peak = l->v->value;
        e->peak_unix_s = l->v->t_unix_s;
    }
}

static int
emit_run(const struct ew_alarm_event *e, int64_t min_s,
         int (*fn)(void *, const struct ew_alarm_event *), void *ctx)
{
    return e->end_unix_s - e->start_unix_s >= min_s ? fn(ctx, e) : 0;
}

/* The state of one rule while the series is read once. */
struct scan {
    int                   kind;
    int64_t               min_s;        /* shortest run reported */
    const struct ew_value *first;       /* first record of the current run; NULL: none */
    double                worst;
    struct ew_alarm_event e;
};

/* Feeds record v to one rule's run, closing the run it does not continue. */
static int
scan_step(struct scan *sc, const struct ew_alarm_rules *r, const struct look *l,
          int (*fn)(void *, const struct ew_alarm_event *), void *ctx)
{
    const struct ew_value *v = l->v;
    int rc;

    if (sc->first != NULL && (v->t_unix_s - (sc->e.end_unix_s - r->interval_s) > r->interval_s
                              || !matches(sc->kind, r, sc->first, l))) {
        sc->first = NULL;
        if ((rc = emit_run(&sc->e, sc->min_s, fn, ctx)) != 0)
            return rc;
    }
    if (sc->first == NULL) {
        if (!matches(sc->kind, r, NULL, l))
            return 0;
        sc->first = v;
        sc->e = (struct ew_alarm_event){ .kind = sc->kind, .start_unix_s = v->t_unix_s,
                                         .peak = NAN, .limit = NAN, .multiple = NAN };
    }
    run_peak(sc->kind, l, &sc->e, &sc->worst);
    sc->e.n++;
    sc->e.end_unix_s = v->t_unix_s + r->interval_s;
    return 0;
}

/* A gap in the data from the end of one record's period to the next record (or now). */
static int
offline_step(int64_t from, int64_t to, int open, const struct ew_alarm_rules *r,
             int (*fn)(void *, const struct ew_alarm_event *), void *ctx)
{
    struct ew_alarm_event e = { .kind = EW_ALARM_OFFLINE, .start_unix_s = from,
                                .end_unix_s = to, .peak_unix_s = from, .peak = NAN,
                                .limit = NAN, .multiple = NAN, .open = open };

    if (r->offline_after_s < 0 || to - from <= r->offline_after_s)
        return 0;
    e.n = (int)((to - from) / r->interval_s);   /* records missed */
    return fn(ctx, &e);
}

int
ew_detect(const struct ew_detect_input *in, const struct ew_alarm_rules *rules,
          int (*fn)(void *ctx, const struct ew_alarm_event *e), void *ctx)
{
    struct scan sc[5];
    struct look l;
    size_t ns = 0;
    int rc;

    if (in == NULL || rules == NULL || fn == NULL || (in->v == NULL && in->n > 0) ||
        rules->interval_s <= 0 || !(rules->constant_epsilon >= 0))
        return EW_EINVAL;
    {
        const int kinds[5] = { EW_ALARM_CONSTANT, EW_ALARM_ZERO, EW_ALARM_RANGE,
                               EW_ALARM_FAULT, EW_ALARM_MAINT };
        /* Any value out of range is reported, whatever its duration. */
        const int64_t mins[5] = { rules->constant_after_s, rules->zero_after_s, 0,
                                  rules->fault_after_s, rules->maint_after_s };

        for (int k = 0; k < 5; k++)
            if (mins[k] >= 0)
                sc[ns++] = (struct scan){ .kind = kinds[k], .min_s = mins[k] };
    }
    /* One pass: every rule reads each record once, while it is in cache. */
    for (size_t i = 0; i < in->n; i++) {
        const struct ew_value *v = &in->v[i];

        if (i > 0 && v->t_unix_s <= in->v[i - 1].t_unix_s) {
            if (v->t_unix_s < in->v[i - 1].t_unix_s)
                return EW_EINVAL;               /* not ascending */
            continue;                           /* a repeated record counts once */
        }
        if (i > 0 && (rc = offline_step(in->v[i - 1].t_unix_s + rules->interval_s,
                                        v->t_unix_s, 0, rules, fn, ctx)) != 0)
            return rc;
        look_at(in, v, &l);
        for (size_t k = 0; k < ns; k++)
            if ((rc = scan_step(&sc[k], rules, &l, fn, ctx)) != 0)
                return rc;
    }
    for (size_t k = 0; k < ns; k++) {
        sc[k].e.open = 1;
        if (sc[k].first != NULL && (rc = emit_run(&sc[k].e, sc[k].min_s, fn, ctx)) != 0)
            return rc;
    }
    if (in->n > 0)
        return offline_step(in->v[in->n - 1].t_unix_s + rules->interval_s, in->now_unix_s, 1,
                            rules, fn, ctx);
    return EW_OK;
}
