/* SPDX-License-Identifier: MIT */
/*
 * What one committed upload triggers (docs/sources.md "Alarms in the daemon"):
 *   - an hourly record: exceedance of each pollutant whose limit is hourly (stacks: the
 *     converted value ZsAvg, or the measured value corrected to the reference O2 with the
 *     hour's own O2 when the standard has one, HJ 75-2017; GB 13271-2014 §5.2);
 *   - a daily record: exceedance of each pollutant whose limit is daily (wastewater: the
 *     flow-weighted mean of the day's hourly records, GB 18918-2002 §4.1.4; the datalogger's
 *     daily value when no hourly record exists);
 *   - a record of the series the detection rules watch (minute data of stacks, hourly data
 *     of stations and outlets): constant value, zero or negative, out of range, fault and
 *     maintenance flags lasting longer than their thresholds (ew_detect).
 * The evaluation reads what it needs back from the store inside the batch transaction, so a
 * record split over several packets (PNUM/PNO) is judged once all its parts are in, and
 * judging the same period twice changes nothing (ew_alarm_trigger).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <envwatch/err.h>

#include "alarm/internal.h"
#include "util/buf.h"

#define O2_FACTOR "a19001"              /* HJ 212-2017 appendix B: O2 content of flue gas */
#define FLOW_WATER "w00000"             /* wastewater flow; its Cou is the period's volume, m3 */
#define MAX_ROWS 20000                  /* records read for one evaluation */

int
al_publish(const struct ew_hook_env *env, const struct ew_alarm *a, int outcome)
{
    struct ew_buf b;
    int rc;

    if (outcome == EW_ALARM_UNCHANGED || env->publish == NULL)
        return EW_OK;
    ew_buf_init(&b, 1 << 20);
    rc = ew_alarm_notice_json(&b, env->s, a, ew_alarm_outcome_name(outcome), env->now_ms);
    if (rc == EW_OK)
        env->publish(env->pub_ctx, "alarm", b.ptr);
    ew_buf_fini(&b);
    return rc == EW_ETOOBIG ? EW_OK : rc;      /* an event too big to show is not a failure */
}

/* ---- reading back ---------------------------------------------------------------------- */

struct rows {
    struct ew_reading *v;
    size_t n, cap;
};

static int
keep_row(void *ctx, const struct ew_reading *r)
{
    struct rows *x = ctx;

    if (x->n == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 64;
        struct ew_reading *v = realloc(x->v, cap * sizeof(*v));
        if (v == NULL)
            return EW_ENOMEM;
        x->v = v;
        x->cap = cap;
    }
    x->v[x->n++] = *r;
    return 0;
}

static int
read_rows(struct ew_store *s, int64_t point_id, int kind, int64_t from, int64_t to,
          const char *factor, struct rows *out)
{
    struct ew_reading_query q = { .point_id = point_id, .kind = kind, .from_unix_s = from,
                                  .to_unix_s = to, .factor = factor, .limit = MAX_ROWS };

    out->n = 0;
    return ew_store_reading_each(s, &q, keep_row, out);
}

static const struct ew_reading *
find_factor(const struct rows *x, const char *factor, int64_t t)
{
    for (size_t i = 0; i < x->n; i++)
        if (x->v[i].t_unix_s == t && strcmp(x->v[i].factor, factor) == 0)
            return &x->v[i];
    return NULL;
}

static int
flag_ok(const struct ew_reading *r)
{
    return ew_flag_valid(r->flag[0]) && (r->flag[0] == '\0' || r->flag[1] == '\0');
}

/* ---- opening, re-triggering and clearing ------------------------------------------------- */

struct judge {
    struct al_eval        *ev;
    const struct al_point *p;
    const char            *factor;
    int                    fired;
};

static int
on_event(void *ctx, const struct ew_alarm_event *e)
{
    struct judge *j = ctx;
    const struct ew_hook_env *env = j->ev->env;
    struct al_series *se;
    struct ew_alarm a;
    int outcome, rc;

    rc = ew_alarm_trigger(env->s, j->p->id, j->factor, e, env->now_ms, &outcome, &a);
    if (rc != EW_OK)
        return rc;
    j->fired = 1;
    if ((se = al_series_get(j->ev->series, j->p->id, j->factor)) != NULL)
        se->active |= 1u << e->kind;
    return al_publish(env, &a, outcome);
}

/*
 * Ends the condition of kind on (p, factor). Only a condition the engine knows active is
 * looked up in the store, so a normal record costs no search per rule and factor.
 */
static int
clear(struct al_eval *ev, const struct al_point *p, int kind, const char *factor, int64_t at)
{
    struct al_series *se = al_series_get(ev->series, p->id, factor);
    struct ew_alarm a;
    int outcome, rc;

    if (se == NULL)
        return EW_ENOMEM;
    if (!(se->active & (1u << kind)))
        return EW_OK;
    rc = ew_alarm_clear(ev->env->s, p->id, kind, factor, at, ev->env->now_ms, &outcome, &a);
    if (rc != EW_OK)
        return rc;
    if (outcome == EW_ALARM_CLEARED || !a.active)
        se->active &= ~(1u << kind);
    return al_publish(ev->env, &a, outcome);
}

/* ---- exceedance ------------------------------------------------------------------------- */

/*
 * The hour's value on the standard's basis: ZsAvg when the instrument sent it, else the
 * measured value corrected with the hour's O2; measured values for sources judged as
 * measured. 0 when the hour cannot be judged (invalid flag, no value, no valid O2).
 */
static int
hour_value(const struct ew_limit *lim, const struct ew_reading *r, const struct ew_reading *o2,
           double *out)
{
    if (!flag_ok(r))
        return 0;
    if (isnan(lim->ref_o2_pct)) {
        *out = r->value;
        return isfinite(r->value);
    }
    if (isfinite(r->zs)) {
        *out = r->zs;
        return 1;
    }
    return o2 != NULL && flag_ok(o2) && isfinite(r->value) &&
           ew_o2_correct(r->value, o2->value, lim->ref_o2_pct, out) == EW_OK;
}

static int
judge_hour(struct al_eval *ev, const struct al_point *p, const struct ew_reading *r,
           const struct ew_reading *o2, int64_t t)
{
    struct judge j = { ev, p, r->factor, 0 };
    struct ew_hour h = { .t_unix_s = t, .corrected = NAN };
    struct ew_limit lim;
    int rc;

    if (al_limit(ev->table, p, r->factor, t, &lim, NULL, 0) != EW_OK ||
        lim.averaging != EW_AVG_HOUR)
        return EW_OK;
    h.valid = hour_value(&lim, r, o2, &h.corrected);
    if ((rc = ew_exceed_hours(&h, 1, &lim, on_event, &j)) != EW_OK)
        return rc;
    /* A valid compliant hour ends the condition; an invalid one says nothing. */
    return h.valid && !j.fired ? clear(ev, p, EW_ALARM_EXCEED, r->factor, t) : EW_OK;
}

int
al_eval_hour(struct al_eval *ev, const struct al_point *p, int64_t t_unix_s)
{
    struct rows x = { 0 };
    int rc;

    if (!al_kind_judged(p->kind))
        return EW_OK;
    rc = read_rows(ev->env->s, p->id, EW_KIND_HOUR, t_unix_s, t_unix_s, NULL, &x);
    const struct ew_reading *o2 = find_factor(&x, O2_FACTOR, t_unix_s);
    for (size_t i = 0; i < x.n && rc == EW_OK; i++)
        if (strcmp(x.v[i].factor, O2_FACTOR) != 0)
            rc = judge_hour(ev, p, &x.v[i], o2, t_unix_s);
    free(x.v);
    return rc;
}

/* The day's value of one factor: flow-weighted from its hourly records (volumes from the
 * flow's Cou), else the datalogger's daily record. */
static void
day_value(const struct rows *hours, const struct ew_reading *daily, const char *factor,
          int64_t day, struct ew_day *out)
{
    struct ew_value v[48];
    struct ew_day d;
    size_t n = 0, nd = 0;

    for (size_t i = 0; i < hours->n && n < EW_ARRAY_LEN(v); i++) {
        const struct ew_reading *r = &hours->v[i], *flow;
        if (strcmp(r->factor, factor) != 0)
            continue;
        flow = find_factor(hours, FLOW_WATER, r->t_unix_s);
        v[n++] = (struct ew_value){ r->t_unix_s, r->value, NAN,
                                    flow != NULL && flag_ok(flow) ? flow->cou : NAN,
                                    r->flag[0] };
    }
    *out = (struct ew_day){ .t_unix_s = day, .corrected = NAN };
    /* 24 hourly records expected, 75 % of them needed [M: no national minimum was found;
     * docs/sources.md]. */
    if (n > 0 && ew_daily_wastewater(v, n, 24, 0.75, &d, 1, &nd) == EW_OK && nd == 1) {
        *out = d;
        out->t_unix_s = day;
    } else if (n == 0 && daily != NULL && flag_ok(daily) && isfinite(daily->value)) {
        out->valid = 1;
        out->corrected = daily->value;
    }
}

static int
judge_day(struct al_eval *ev, const struct al_point *p, const struct rows *hours,
          const struct ew_reading *daily, const char *factor, int64_t day)
{
    struct judge j = { ev, p, factor, 0 };
    struct ew_limit lim;
    struct ew_day d;
    int rc;

    if (strcmp(factor, FLOW_WATER) == 0 ||
        al_limit(ev->table, p, factor, day, &lim, NULL, 0) != EW_OK ||
        lim.averaging != EW_AVG_DAY)
        return EW_OK;
    day_value(hours, daily, factor, day, &d);
    if ((rc = ew_exceed_days(&d, 1, &lim, on_event, &j)) != EW_OK)
        return rc;
    return d.valid && !j.fired ? clear(ev, p, EW_ALARM_EXCEED, factor, day) : EW_OK;
}

int
al_eval_day(struct al_eval *ev, const struct al_point *p, int64_t t_unix_s)
{
    struct rows hours = { 0 }, days = { 0 };
    int rc;

    if (!al_kind_judged(p->kind))
        return EW_OK;
    rc = read_rows(ev->env->s, p->id, EW_KIND_DAY, t_unix_s, t_unix_s, NULL, &days);
    if (rc == EW_OK)
        rc = read_rows(ev->env->s, p->id, EW_KIND_HOUR, t_unix_s, t_unix_s + 86399, NULL,
                       &hours);
    for (size_t i = 0; i < days.n && rc == EW_OK; i++)
        rc = judge_day(ev, p, &hours, &days.v[i], days.v[i].factor, t_unix_s);
    free(hours.v);
    free(days.v);
    return rc;
}

/* ---- detection rules ---------------------------------------------------------------------- */

int
al_detect_kind(const struct al_point *p)
{
    if (!p->has_rules)
        return 0;
    return p->rules.interval_s < 3600 ? EW_KIND_MINUTE : EW_KIND_HOUR;
}

/* The rules ew_detect runs besides offline, with their thresholds. */
static const int detect_kinds[] = { EW_ALARM_CONSTANT, EW_ALARM_ZERO, EW_ALARM_RANGE,
                                    EW_ALARM_FAULT, EW_ALARM_MAINT };

static int64_t
threshold(const struct ew_alarm_rules *r, int kind)
{
    switch (kind) {
    case EW_ALARM_CONSTANT:
        return r->constant_after_s;
    case EW_ALARM_ZERO:
        return r->zero_after_s;
    case EW_ALARM_FAULT:
        return r->fault_after_s;
    case EW_ALARM_MAINT:
        return r->maint_after_s;
    }
    return 0;                           /* out of range: any value, at once */
}

/* The longest window a run needs to be seen whole: the longest threshold and two records. */
static int64_t
window_s(const struct ew_alarm_rules *r, int64_t interval)
{
    int64_t w = 0;

    for (size_t k = 0; k < EW_ARRAY_LEN(detect_kinds); k++)
        if (threshold(r, detect_kinds[k]) > w)
            w = threshold(r, detect_kinds[k]);
    return w + 2 * interval;
}

struct runs {
    struct ew_alarm_event open[EW_ARRAY_LEN(detect_kinds)];
    size_t n;
};

static int
keep_open_run(void *ctx, const struct ew_alarm_event *e)
{
    struct runs *x = ctx;

    if (e->open && e->kind != EW_ALARM_OFFLINE && x->n < EW_ARRAY_LEN(x->open))
        x->open[x->n++] = *e;
    return 0;
}

/* The series of one factor as ew_detect reads it; the smallest step between records. */
static size_t
to_values(const struct rows *x, struct ew_value *v, int64_t *gap)
{
    *gap = 0;
    for (size_t i = 0; i < x->n; i++) {
        const struct ew_reading *r = &x->v[i];
        v[i] = (struct ew_value){ r->t_unix_s, r->value, NAN, NAN, r->flag[0] };
        if (i > 0 && r->t_unix_s > x->v[i - 1].t_unix_s &&
            (*gap == 0 || r->t_unix_s - x->v[i - 1].t_unix_s < *gap))
            *gap = r->t_unix_s - x->v[i - 1].t_unix_s;
    }
    return x->n;
}

/*
 * Runs the rules with every threshold at zero, so that each open run is reported with its
 * start; a run at least as long as its real threshold triggers, and the oldest open run is
 * where the next upload's window starts.
 */
static int
detect_runs(const struct al_point *p, struct al_series *se, const struct rows *x, int64_t t,
            struct runs *out)
{
    struct ew_value *v = malloc((x->n ? x->n : 1) * sizeof(*v));
    struct ew_alarm_rules r0 = p->rules;
    struct ew_detect_input in = { .v = v };
    int64_t gap;
    int rc;

    if (v == NULL)
        return EW_ENOMEM;
    in.n = to_values(x, v, &gap);
    if (gap > 0 && (se->interval_s == 0 || gap < se->interval_s))
        se->interval_s = gap;
    r0.interval_s = se->interval_s > 0 ? se->interval_s : p->rules.interval_s;
    r0.offline_after_s = -1;                    /* offline is the tick's business */
    r0.constant_after_s = r0.constant_after_s < 0 ? -1 : 0;
    r0.zero_after_s = r0.zero_after_s < 0 ? -1 : 0;
    r0.fault_after_s = r0.fault_after_s < 0 ? -1 : 0;
    r0.maint_after_s = r0.maint_after_s < 0 ? -1 : 0;
    al_range(p, se->factor, &in.range_lo, &in.range_hi);
    in.now_unix_s = t + r0.interval_s;
    rc = ew_detect(&in, &r0, keep_open_run, out);
    free(v);
    return rc;
}

/* Where the window of series se starts for a record at t. */
static int64_t
window_from(const struct al_point *p, const struct al_series *se, int64_t t)
{
    int64_t interval = se->interval_s > 0 ? se->interval_s : p->rules.interval_s;
    int64_t from = t - window_s(&p->rules, interval);

    return se->since_unix_s > from ? se->since_unix_s : from;
}

/* The records of se's factor in its window, out of every factor's records. */
static int
series_rows(const struct rows *all, const struct al_point *p, const struct al_series *se,
            int64_t t, struct rows *out)
{
    int64_t from = window_from(p, se, t);

    out->n = 0;
    for (size_t i = 0; i < all->n; i++)
        if (all->v[i].t_unix_s >= from && strcmp(all->v[i].factor, se->factor) == 0 &&
            keep_row(out, &all->v[i]) != 0)
            return EW_ENOMEM;
    return EW_OK;
}

static int
detect_factor(struct al_eval *ev, const struct al_point *p, struct al_series *se,
              const struct rows *x, int64_t t)
{
    struct runs runs = { .n = 0 };
    int64_t since = t;
    int fired[EW_ALARM_MAINT + 1] = { 0 }, rc;

    rc = detect_runs(p, se, x, t, &runs);
    for (size_t i = 0; i < runs.n && rc == EW_OK; i++) {
        const struct ew_alarm_event *e = &runs.open[i];
        struct judge j = { ev, p, se->factor, 0 };
        if (e->start_unix_s < since)
            since = e->start_unix_s;
        if (e->end_unix_s - e->start_unix_s < threshold(&p->rules, e->kind))
            continue;
        rc = on_event(&j, e);
        fired[e->kind] = 1;
    }
    for (size_t k = 0; k < EW_ARRAY_LEN(detect_kinds) && rc == EW_OK; k++)
        if (!fired[detect_kinds[k]] && threshold(&p->rules, detect_kinds[k]) >= 0)
            rc = clear(ev, p, detect_kinds[k], se->factor, t);
    se->since_unix_s = since;
    return rc;
}

/*
 * While a series is normal its window is the previous record and this one, both known
 * without the store; only a series with a run open past the previous record is read back.
 */
static int
in_memory(const struct al_series *se, const struct ew_reading *r, struct rows *out)
{
    struct ew_reading prev = *r;

    if (se->last_t <= 0 || r->t_unix_s <= se->last_t || se->since_unix_s < se->last_t)
        return 0;
    prev.t_unix_s = se->last_t;
    prev.value = se->last_value;
    memcpy(prev.flag, se->last_flag, sizeof(prev.flag));
    out->n = 0;
    return keep_row(out, &prev) == 0 && keep_row(out, r) == 0;
}

int
al_eval_detect(struct al_eval *ev, const struct al_point *p, const struct ew_hook_frame *f)
{
    const struct ew_reading *r[64];
    struct al_series *se[64];
    struct rows all = { 0 }, one = { 0 };
    int kind = al_detect_kind(p), rc = EW_OK, read = 0;
    int64_t t = f->t_unix_s, from = t;
    size_t n = 0;

    if (kind == 0 || f->data_kind != kind)
        return EW_OK;
    for (size_t i = 0; i < f->n && n < EW_ARRAY_LEN(se); i++) {
        if (!al_watched(p, f->readings[i].factor))
            continue;
        if ((se[n] = al_series_get(ev->series, p->id, f->readings[i].factor)) == NULL)
            return EW_ENOMEM;
        r[n] = &f->readings[i];
        if (window_from(p, se[n], t) < from)
            from = window_from(p, se[n], t);
        n++;
    }
    /* One read of every factor over the widest window: a query costs more than its rows. */
    for (size_t i = 0; i < n && rc == EW_OK; i++) {
        if (!in_memory(se[i], r[i], &one)) {
            if (!read && (rc = read_rows(ev->env->s, p->id, kind, from, t, NULL, &all)) != EW_OK)
                break;
            read = 1;
            rc = series_rows(&all, p, se[i], t, &one);
        }
        if (rc == EW_OK)
            rc = detect_factor(ev, p, se[i], &one, t);
        if (t >= se[i]->last_t) {
            se[i]->last_t = t;
            se[i]->last_value = r[i]->value;
            memcpy(se[i]->last_flag, r[i]->flag, sizeof(se[i]->last_flag));
        }
    }
    free(all.v);
    free(one.v);
    return rc;
}
