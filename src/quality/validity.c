/* SPDX-License-Identifier: MIT */
/*
 * Data validity of automatic monitoring: hourly values from minute values and daily values
 * from hourly values (HJ 76-2017 annex B: 45 valid minutes, 20 valid hours, 25 valid days),
 * wastewater daily values (flow-weighted, HJ/T 355/356), and the 传输有效率 of a point-factor
 * over a month (reference/standards.md §5). Invalid flags (F M D C B) are excluded everywhere.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <envwatch/emission.h>
#include <envwatch/err.h>

#include "util/time.h"

#define HOUR_S 3600
#define DAY_S 86400
#define O2_AIR_PCT 21.0
#define MAX_MONTH_HOURS (31 * 24)

static int64_t
floor_to(int64_t t, int64_t period)
{
    int64_t r = t % period;

    return r < 0 ? t - r - period : t - r;
}

/* Start of the CST calendar day holding t. */
static int64_t
cst_day(int64_t t)
{
    return floor_to(t + EW_CST_OFFSET_S, DAY_S) - EW_CST_OFFSET_S;
}

static int
ascending(const struct ew_value *v, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (v[i].t_unix_s < v[i - 1].t_unix_s)
            return 0;
    return 1;
}

static int
usable(const struct ew_value *v)
{
    return ew_flag_valid(v->flag) && isfinite(v->value);
}

void
ew_hourly_cfg_default(struct ew_hourly_cfg *cfg)
{
    cfg->min_valid = 45;                /* HJ 76-2017 annex B; permit specifications 2017 */
    cfg->ref_o2_pct = NAN;
}

/* Running sums of one clock hour. */
struct acc {
    int    n_valid, n_total, n_zs, n_cou;
    double sum, sum_zs, min, max, cou;
};

static void
acc_add(struct acc *a, const struct ew_value *v)
{
    a->n_total++;
    if (!usable(v))
        return;
    if (a->n_valid == 0 || v->value < a->min)
        a->min = v->value;
    if (a->n_valid == 0 || v->value > a->max)
        a->max = v->value;
    a->n_valid++;
    a->sum += v->value;
    if (isfinite(v->zs)) {
        a->n_zs++;
        a->sum_zs += v->zs;
    }
    if (isfinite(v->cou)) {
        a->n_cou++;
        a->cou += v->cou;
    }
}

/* Mean of the valid O2 minutes of the hour at *j (advanced past it); NAN when too few. */
static double
o2_hour(const struct ew_value *o2, size_t n, size_t *j, int64_t hour, int min_valid)
{
    double sum = 0;
    int k = 0;

    while (*j < n && o2[*j].t_unix_s < hour)
        (*j)++;
    for (; *j < n && o2[*j].t_unix_s < hour + HOUR_S; (*j)++) {
        if (*j > 0 && o2[*j].t_unix_s <= o2[*j - 1].t_unix_s)
            continue;                   /* a repeated minute counts once */
        if (usable(&o2[*j])) {
            sum += o2[*j].value;
            k++;
        }
    }
    if (k < min_valid)
        return NAN;
    return sum / k;
}

/* Corrects a valid hour to the reference O2, or makes it invalid when O2 is unusable. */
static void
apply_o2(struct ew_hour *h, double o2_pct, double ref_o2_pct)
{
    if (!(o2_pct >= 0 && o2_pct < O2_AIR_PCT)) {
        h->valid = 0;
        h->reason = EW_HOUR_NO_O2;
        h->corrected = NAN;
        return;
    }
    /* The hourly mean is corrected with the hourly mean O2 of the same hour [M: HJ 75 does
     * not say here whether minutes are corrected first]. */
    h->o2_pct = o2_pct;
    h->corrected = h->mean * (O2_AIR_PCT - ref_o2_pct) / (O2_AIR_PCT - o2_pct);
}

static void
finish_hour(const struct acc *a, int64_t hour, double o2_pct, const struct ew_hourly_cfg *cfg,
            struct ew_hour *h)
{
    *h = (struct ew_hour){ .t_unix_s = hour, .n_valid = a->n_valid, .n_total = a->n_total,
                           .mean = NAN, .corrected = NAN, .min = NAN, .max = NAN,
                           .o2_pct = NAN, .cou = a->n_cou > 0 ? a->cou : NAN };
    if (a->n_valid > 0) {
        h->mean = a->sum / a->n_valid;
        h->min = a->min;
        h->max = a->max;
    }
    if (a->n_valid < cfg->min_valid) {
        h->reason = EW_HOUR_FEW_MINUTES;
        return;
    }
    h->valid = 1;
    if (a->n_zs == a->n_valid) {
        h->corrected = a->sum_zs / a->n_zs;     /* the instrument's own ZsAvg */
        h->from_zs = 1;
    } else {
        h->corrected = h->mean;                 /* measured, until corrected below */
        if (!isnan(cfg->ref_o2_pct))
            apply_o2(h, o2_pct, cfg->ref_o2_pct);
    }
}

int
ew_hourly(const struct ew_value *m, size_t n, const struct ew_value *o2, size_t n_o2,
          const struct ew_hourly_cfg *cfg, struct ew_hour *out, size_t cap, size_t *n_out)
{
    size_t i = 0, k = 0, j = 0;

    if ((m == NULL && n > 0) || (o2 == NULL && n_o2 > 0) || cfg == NULL || n_out == NULL ||
        (out == NULL && cap > 0) || cfg->min_valid < 1 || cfg->min_valid > 60 ||
        !(isnan(cfg->ref_o2_pct) || (cfg->ref_o2_pct >= 0 && cfg->ref_o2_pct < O2_AIR_PCT)))
        return EW_EINVAL;
    if (!isnan(cfg->ref_o2_pct) && !ascending(o2, n_o2))
        return EW_EINVAL;
    while (i < n) {
        int64_t hour = floor_to(m[i].t_unix_s, HOUR_S);
        struct acc a = { 0 };
        double o2_pct = NAN;

        /* The order is checked here, in the one pass over the minutes. */
        for (; i < n && m[i].t_unix_s < hour + HOUR_S; i++) {
            if (i > 0 && m[i].t_unix_s <= m[i - 1].t_unix_s) {
                if (m[i].t_unix_s < m[i - 1].t_unix_s)
                    return EW_EINVAL;
                continue;               /* a repeated minute counts once */
            }
            acc_add(&a, &m[i]);
        }
        if (k == cap)
            return EW_ETOOBIG;
        if (!isnan(cfg->ref_o2_pct))
            o2_pct = o2_hour(o2, n_o2, &j, hour, cfg->min_valid);
        finish_hour(&a, hour, o2_pct, cfg, &out[k++]);
    }
    *n_out = k;
    return EW_OK;
}

int
ew_hourly_o2(struct ew_hour *h, size_t n, const struct ew_hour *o2h, size_t n_o2,
             double ref_o2_pct)
{
    size_t j = 0;

    if ((h == NULL && n > 0) || (o2h == NULL && n_o2 > 0) || !(ref_o2_pct >= 0) ||
        ref_o2_pct >= O2_AIR_PCT)
        return EW_EINVAL;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && h[i].t_unix_s <= h[i - 1].t_unix_s)
            return EW_EINVAL;
        if (!h[i].valid || h[i].from_zs)
            continue;
        while (j < n_o2 && o2h[j].t_unix_s < h[i].t_unix_s)
            j++;
        apply_o2(&h[i], j < n_o2 && o2h[j].t_unix_s == h[i].t_unix_s && o2h[j].valid
                            ? o2h[j].mean : NAN, ref_o2_pct);
    }
    return EW_OK;
}

int
ew_daily_from_hours(const struct ew_hour *h, size_t n, int min_valid_hours,
                    struct ew_day *out, size_t cap, size_t *n_out)
{
    size_t i = 0, k = 0;

    if ((h == NULL && n > 0) || n_out == NULL || (out == NULL && cap > 0) ||
        min_valid_hours < 1 || min_valid_hours > 24)
        return EW_EINVAL;
    for (size_t x = 1; x < n; x++)
        if (h[x].t_unix_s < h[x - 1].t_unix_s)
            return EW_EINVAL;
    while (i < n) {
        int64_t day = cst_day(h[i].t_unix_s);
        struct ew_day d = { .t_unix_s = day, .mean = NAN, .corrected = NAN, .max = NAN,
                            .volume_m3 = NAN, .load_kg = NAN };
        double sum = 0, sum_c = 0;

        for (; i < n && h[i].t_unix_s < day + DAY_S; i++) {
            d.n_total++;
            if (!h[i].valid)
                continue;
            d.n_valid++;
            sum += h[i].mean;
            sum_c += h[i].corrected;
            if (isnan(d.max) || h[i].corrected > d.max)
                d.max = h[i].corrected;
        }
        if (d.n_valid > 0)
            d.mean = sum / d.n_valid;
        if (d.n_valid >= min_valid_hours) {
            d.valid = 1;
            d.corrected = sum_c / d.n_valid;
        }
        if (k == cap)
            return EW_ETOOBIG;
        out[k++] = d;
    }
    *n_out = k;
    return EW_OK;
}

/* Sums of one wastewater day. */
struct wwacc {
    int    n_valid, n_total, n_vol;
    double sum_c, sum_cv, sum_v, max;
};

static void
ww_finish(const struct wwacc *a, int need, struct ew_day *d)
{
    d->n_valid = a->n_valid;
    d->n_total = a->n_total;
    d->max = a->n_valid > 0 ? a->max : NAN;
    if (a->n_valid == 0)
        return;
    /* HJ/T 356 and GB 18918: the daily value is flow-weighted, Σ C·V / Σ V [M for the
     * minimum count]; without volumes for every value only the plain mean is possible. */
    if (a->n_vol == a->n_valid && a->sum_v > 0) {
        d->mean = a->sum_cv / a->sum_v;
        d->volume_m3 = a->sum_v;
        d->load_kg = a->sum_cv * 1e-3;
    } else {
        d->mean = a->sum_c / a->n_valid;
    }
    if (a->n_valid >= need) {
        d->valid = 1;
        d->corrected = d->mean;
    }
}

int
ew_daily_wastewater(const struct ew_value *v, size_t n, int expected_per_day,
                    double min_share, struct ew_day *out, size_t cap, size_t *n_out)
{
    size_t i = 0, k = 0;
    int need;

    if ((v == NULL && n > 0) || n_out == NULL || (out == NULL && cap > 0) ||
        expected_per_day < 1 || expected_per_day > 1440 || !(min_share > 0 && min_share <= 1))
        return EW_EINVAL;
    if (!ascending(v, n))
        return EW_EINVAL;
    need = (int)ceil(min_share * expected_per_day - 1e-9);
    while (i < n) {
        int64_t day = cst_day(v[i].t_unix_s);
        struct wwacc a = { 0 };
        struct ew_day d = { .t_unix_s = day, .mean = NAN, .corrected = NAN,
                            .volume_m3 = NAN, .load_kg = NAN };

        for (; i < n && v[i].t_unix_s < day + DAY_S; i++) {
            a.n_total++;
            if (!usable(&v[i]))
                continue;
            if (a.n_valid == 0 || v[i].value > a.max)
                a.max = v[i].value;
            a.n_valid++;
            a.sum_c += v[i].value;
            if (isfinite(v[i].cou) && v[i].cou >= 0) {
                a.n_vol++;
                a.sum_v += v[i].cou;
                a.sum_cv += v[i].value * v[i].cou;
            }
        }
        ww_finish(&a, need, &d);
        if (k == cap)
            return EW_ETOOBIG;
        out[k++] = d;
    }
    *n_out = k;
    return EW_OK;
}

int
ew_month_valid(int month, int n_valid_days)
{
    /* HJ 76-2017 annex B: a monthly value needs 25 valid days, 23 in February. */
    return n_valid_days >= (month == 2 ? 23 : 25);
}

/* Hour states of the transmission count. */
#define H_EXCLUDED 1u
#define H_RECEIVED 2u
#define H_VALID 4u

int
ew_trans_count_month(int year, int month, const struct ew_value *h, size_t n,
                     const struct ew_span *excluded, size_t n_excluded,
                     struct ew_trans_count *out)
{
    unsigned char st[MAX_MONTH_HOURS] = { 0 };
    struct ew_civil c = { year, month, 1, 0, 0, 0 };
    struct ew_trans_count r = { 0 };
    int64_t start;
    int hours;

    if ((h == NULL && n > 0) || (excluded == NULL && n_excluded > 0) || out == NULL ||
        !ew_civil_valid(&c))
        return EW_EINVAL;
    start = ew_civil_to_unix(&c);
    hours = ew_days_in_month(year, month) * 24;
    for (size_t s = 0; s < n_excluded; s++)
        for (int x = 0; x < hours; x++)
            if (start + (int64_t)x * HOUR_S >= excluded[s].from_unix_s &&
                start + (int64_t)x * HOUR_S < excluded[s].to_unix_s)
                st[x] |= H_EXCLUDED;
    for (size_t i = 0; i < n; i++) {
        int64_t off = h[i].t_unix_s - start;

        if (off < 0 || off >= (int64_t)hours * HOUR_S || (st[off / HOUR_S] & H_EXCLUDED))
            continue;
        st[off / HOUR_S] |= H_RECEIVED | (usable(&h[i]) ? H_VALID : 0u);
    }
    for (int x = 0; x < hours; x++) {
        r.expected += !(st[x] & H_EXCLUDED);
        r.received += (st[x] & H_RECEIVED) != 0;
        r.valid += (st[x] & H_VALID) != 0;
    }
    *out = r;
    return EW_OK;
}

void
ew_trans_add(struct ew_trans_count *sum, const struct ew_trans_count *c)
{
    sum->expected += c->expected;
    sum->received += c->received;
    sum->valid += c->valid;
}

int
ew_trans_rates(const struct ew_trans_count *c, struct ew_trans_rate *out)
{
    if (c == NULL || out == NULL || c->expected < 0 || c->received < 0 || c->valid < 0 ||
        c->valid > c->received)
        return EW_EINVAL;
    if (c->expected == 0)
        return EW_ENODATA;
    /* §5: 传输有效率 = 传输率 × 有效率, which reduces to valid / expected. */
    out->transmission_pct = 100.0 * (double)c->received / (double)c->expected;
    out->validity_pct = c->received > 0 ? 100.0 * (double)c->valid / (double)c->received : 0;
    out->effective_pct = 100.0 * (double)c->valid / (double)c->expected;
    return EW_OK;
}

int
ew_trans_cmp(const struct ew_trans_item *a, const struct ew_trans_item *b)
{
    double ea = a->rate.effective_pct, eb = b->rate.effective_pct;

    if (isnan(ea) != isnan(eb))
        return isnan(ea) ? 1 : -1;              /* nothing expected: not a performer */
    if (ea != eb && !isnan(ea))
        return ea < eb ? -1 : 1;
    if (a->count.expected != b->count.expected)
        return a->count.expected > b->count.expected ? -1 : 1;
    return strcmp(a->id ? a->id : "", b->id ? b->id : "");
}

static int
cmp_trans(const void *pa, const void *pb)
{
    return ew_trans_cmp(pa, pb);
}

void
ew_trans_rank(struct ew_trans_item *items, size_t n)
{
    if (items != NULL && n > 1)
        qsort(items, n, sizeof(*items), cmp_trans);
}
