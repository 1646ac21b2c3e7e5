/* SPDX-License-Identifier: MIT */
/*
 * Air quality statistics of HJ 663-2013: daily values from hourly data with the validity
 * rules of GB 3095-2012 table 4, station means for a city or county, the appendix A
 * percentile, monthly and annual statistics, days by level, the comprehensive index of the
 * city ranking, and change between periods. Pure functions; the AQI itself is in aqi.c.
 */
#include <math.h>
#include <stdint.h>

#include <envwatch/air.h>
#include <envwatch/err.h>

#include "quality/air_internal.h"
#include "util/time.h"

/* GB 3095-2012 table 4 and HJ 663-2013 §4 [mem: not re-read, reference/air.md §4.3]. */
#define DAY_MIN_HOURS      20   /* 24-hour mean (and, by analogy, the daily max 1-hour O3) */
#define WIN_MIN_HOURS      6    /* one 8-hour moving mean */
#define DAY_MIN_WINDOWS    14   /* daily max 8-hour O3, of the 17 windows ending 08..24 h */
#define MONTH_MIN_DAYS     27
#define FEB_MIN_DAYS       25
#define YEAR_MIN_DAYS      324
#define TIE_EPS            1e-9

double
ew_air_round(double v, int decimals)
{
    static const double scale[] = { 1, 10, 100, 1e3, 1e4, 1e5, 1e6 };
    double y, f, frac;

    if (!isfinite(v) || decimals < 0 || decimals > 6)
        return v;
    y = v * scale[decimals];
    if (fabs(y) >= 1e15)
        return v;           /* no fraction left at this magnitude */
    f = floor(y);
    frac = y - f;
    /* GB/T 8170 rule: above half up, below half down, exactly half to the even neighbour. */
    if (frac > 0.5 + TIE_EPS || (fabs(frac - 0.5) <= TIE_EPS && ((int64_t)f & 1) != 0))
        f += 1;
    return f / scale[decimals];
}

static int
bad_value(double v)
{
    return !isnan(v) && (v < 0 || isinf(v));
}

/* The daily maximum 8-hour O3 over the windows ending 08:00..24:00 (HJ 663 §4.3 [mem]);
 * o3[i] is the hour i:00-(i+1):00, NAN when missing. Running sums make each window O(1):
 * with values of at most one decimal the sums stay exact far beyond any real concentration. */
static double
o3_8h_max(const double o3[24], int *n_windows)
{
    double sum[25], best = -1;
    int cnt[25], nw = 0;

    sum[0] = 0;
    cnt[0] = 0;
    for (int i = 0; i < 24; i++) {
        int ok = !isnan(o3[i]);
        sum[i + 1] = sum[i] + (ok ? o3[i] : 0);
        cnt[i + 1] = cnt[i] + ok;
    }
    for (int end = 8; end <= 24; end++) {
        int n = cnt[end] - cnt[end - 8];
        if (n < WIN_MIN_HOURS)
            continue;
        nw++;
        if ((sum[end] - sum[end - 8]) / n > best)
            best = (sum[end] - sum[end - 8]) / n;
    }
    *n_windows = nw;
    if (nw == 0)
        return NAN;
    best = ew_air_round(best, 0);
    /* Fewer than 14 windows: still valid when the maximum exceeds the limit (160). */
    return nw >= DAY_MIN_WINDOWS || best > ew_air_item_limit(EW_AIR_O3_8H) ? best : NAN;
}

/* Sums and counts of one pollutant over a day. */
struct acc {
    double sum, max;
    int    n;
};

static int
add(struct acc *a, double v)
{
    if (isnan(v))
        return EW_OK;
    if (v < 0 || isinf(v))
        return EW_EINVAL;
    a->sum += v;
    a->max = a->n == 0 || v > a->max ? v : a->max;
    a->n++;
    return EW_OK;
}

static double
day_mean(const struct acc *a, int item)
{
    return a->n >= DAY_MIN_HOURS ? ew_air_round(a->sum / a->n, ew_air_item_decimals(item)) : NAN;
}

int
ew_air_day_from_hours(const struct ew_air_hour hours[24], struct ew_air_day *out,
                      struct ew_air_day_info *info)
{
    struct acc a[EW_AIR_NITEMS] = { { 0, 0, 0 } };
    struct ew_air_day d;
    struct ew_air_day_info inf;
    double o3[24];
    int bad = 0;

    if (hours == NULL || out == NULL)
        return EW_EINVAL;
    /* One pass over the day; field by field, no calls, since this runs for every station-day. */
    for (int i = 0; i < 24; i++) {
        const struct ew_air_hour *h = &hours[i];
        bad |= add(&a[EW_AIR_SO2], h->so2_ugm3) | add(&a[EW_AIR_NO2], h->no2_ugm3) |
               add(&a[EW_AIR_CO], h->co_mgm3) | add(&a[EW_AIR_PM10], h->pm10_ugm3) |
               add(&a[EW_AIR_PM25], h->pm25_ugm3) | add(&a[EW_AIR_O3_1H], h->o3_ugm3);
        o3[i] = h->o3_ugm3;
    }
    if (bad)
        return EW_EINVAL;
    d.so2_ugm3 = day_mean(&a[EW_AIR_SO2], EW_AIR_SO2);
    d.no2_ugm3 = day_mean(&a[EW_AIR_NO2], EW_AIR_NO2);
    d.co_mgm3 = day_mean(&a[EW_AIR_CO], EW_AIR_CO);
    d.pm10_ugm3 = day_mean(&a[EW_AIR_PM10], EW_AIR_PM10);
    d.pm25_ugm3 = day_mean(&a[EW_AIR_PM25], EW_AIR_PM25);
    /* Daily maximum 1-hour O3: >= 20 valid hours, like the 24-hour means [M: assumed,
     * HJ 663 not re-read on this point]. */
    d.o3_1h_ugm3 = a[EW_AIR_O3_1H].n >= DAY_MIN_HOURS ? ew_air_round(a[EW_AIR_O3_1H].max, 0)
                                                      : NAN;
    d.o3_8h_ugm3 = o3_8h_max(o3, &inf.n_hours[EW_AIR_O3_8H]);
    for (int item = 0; item < EW_AIR_NITEMS; item++)
        if (item != EW_AIR_O3_8H)
            inf.n_hours[item] = a[item].n;
    *out = d;
    if (info != NULL)
        *info = inf;
    return EW_OK;
}

static int
check_hours(const struct ew_air_hour *h, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (int item = 0; item < EW_AIR_NITEMS; item++)
            if (bad_value(ew__air_hour_get(&h[i], item)))
                return EW_EINVAL;
    return EW_OK;
}

int
ew_air_hour_mean(const struct ew_air_hour *stations, size_t n, struct ew_air_hour *out)
{
    struct ew_air_hour m;

    if ((stations == NULL && n > 0) || out == NULL || check_hours(stations, n) != EW_OK)
        return EW_EINVAL;
    ew_air_hour_clear(&m);
    for (int item = 0; item < EW_AIR_NITEMS; item++) {
        double sum = 0;
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            double v = ew__air_hour_get(&stations[i], item);
            if (!isnan(v)) {
                sum += v;
                k++;
            }
        }
        if (k > 0)
            ew_air_hour_set(&m, item, ew_air_round(sum / (double)k, ew_air_item_decimals(item)));
    }
    *out = m;
    return EW_OK;
}

/* Sorting without a callback: insertion sort for short runs, quicksort otherwise. */
static void
sort_doubles(double *v, size_t n)
{
    while (n > 16) {
        double a = v[0], b = v[n / 2], c = v[n - 1], pivot, t;
        size_t i = 0, j = n - 1;
        pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
        for (;;) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i >= j)
                break;
            t = v[i], v[i] = v[j], v[j] = t;
            i++, j--;
        }
        /* Recurse into the smaller part, loop on the larger: stack depth O(log n). */
        if (j + 1 < n - j - 1) {
            sort_doubles(v, j + 1);
            v += j + 1;
            n -= j + 1;
        } else {
            sort_doubles(v + j + 1, n - j - 1);
            n = j + 1;
        }
    }
    for (size_t i = 1; i < n; i++) {
        double x = v[i];
        size_t k = i;
        for (; k > 0 && v[k - 1] > x; k--)
            v[k] = v[k - 1];
        v[k] = x;
    }
}

int
ew_air_percentile(double *v, size_t n, double p, double *out)
{
    size_t s;
    double frac;

    if (v == NULL || out == NULL || !(p >= 0 && p <= 100))
        return EW_EINVAL;
    if (n == 0)
        return EW_ENODATA;
    sort_doubles(v, n);
    /* HJ 663-2013 appendix A: k = 1 + (n-1)p/100; s = int(k); X(s) + (X(s+1)-X(s))(k-s).
     * Integral p is done in integers so that k is exact. */
    if (p == floor(p)) {
        uint64_t num = (uint64_t)(n - 1) * (uint64_t)p;
        s = 1 + (size_t)(num / 100);
        frac = (double)(num % 100) / 100.0;
    } else {
        double k = 1 + (double)(n - 1) * p / 100;
        s = (size_t)k;
        frac = k - (double)s;
    }
    *out = s >= n ? v[n - 1] : v[s - 1] + (v[s] - v[s - 1]) * frac;
    return EW_OK;
}

static int
month_min_days(int month)
{
    return month == 2 ? FEB_MIN_DAYS : MONTH_MIN_DAYS;
}

/* Length of a period, or -1 when year/month are out of range. */
static int
period_days(int year, int month)
{
    if (year < 1 || year > 9999 || month < 0 || month > 12)
        return -1;
    if (month > 0)
        return ew_days_in_month(year, month);
    return ew_days_in_month(year, 2) == 29 ? 366 : 365;
}

/* Mean, percentile, maximum and exceedances of one item over days[0..n). */
static void
item_stat(const struct ew_air_day *days, size_t n, int item, struct ew_air_stat *st)
{
    double v[366], sum = 0, limit = ew_air_item_limit(item), pct;
    int dec = ew_air_item_decimals(item);
    size_t k = 0;

    *st = (struct ew_air_stat){ .mean = NAN, .pct = NAN, .max = NAN };
    for (size_t i = 0; i < n; i++) {
        double x = ew__air_day_get(&days[i], item);
        if (isnan(x))
            continue;
        v[k++] = x;
        sum += x;
        if (x > limit)
            st->exceed_days++;
    }
    st->n_days = (int)k;
    if (k == 0)
        return;
    st->mean = ew_air_round(sum / (double)k, dec);
    if (ew_air_percentile(v, k, ew_air_item_percentile(item), &pct) == EW_OK)
        st->pct = ew_air_round(pct, dec);
    st->max = v[k - 1];     /* sorted by the percentile */
}

/* Validity of the annual statistics: >= 324 days and every month at its minimum. */
static void
year_validity(const struct ew_air_day *days, int year, int item, struct ew_air_stat *st)
{
    size_t at = 0;

    st->months_short = 0;
    for (int m = 1; m <= 12; m++) {
        int len = ew_days_in_month(year, m), k = 0;
        for (int i = 0; i < len; i++)
            k += !isnan(ew__air_day_get(&days[at + (size_t)i], item));
        at += (size_t)len;
        if (k < month_min_days(m))
            st->months_short++;
    }
    st->valid = st->n_days >= YEAR_MIN_DAYS && st->months_short == 0;
}

/* Days by level, good and heavy days, primary pollutants (HJ 663 §4.4 [mem]). */
static void
count_days(const struct ew_air_day *days, size_t n, struct ew_air_period *p)
{
    for (size_t i = 0; i < n; i++) {
        struct ew_aqi_result r;
        if (ew_aqi_day(&days[i], &r) != EW_OK)
            continue;
        p->aqi_days++;
        p->level_days[r.level - 1]++;
        p->good_days += r.aqi <= 100;
        p->heavy_days += r.aqi > 200;
        for (int item = 0; item < EW_AIR_NITEMS; item++)
            p->primary_days[item] += (r.primary >> item) & 1u;
    }
    p->good_share_pct =
        p->aqi_days > 0 ? ew_air_round(100.0 * p->good_days / p->aqi_days, 1) : NAN;
}

static int
check_days(const struct ew_air_day *days, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (int item = 0; item < EW_AIR_NITEMS; item++)
            if (bad_value(ew__air_day_get(&days[i], item)))
                return EW_EINVAL;
    return EW_OK;
}

int
ew_air_period_stats(const struct ew_air_day *days, size_t n_days, int year, int month,
                    struct ew_air_period *out)
{
    struct ew_air_period p = { .year = year, .month = month };
    int len = period_days(year, month);

    if (days == NULL || out == NULL || len < 0 || n_days != (size_t)len ||
        check_days(days, n_days) != EW_OK)
        return EW_EINVAL;
    p.n_days = len;
    for (int item = 0; item < EW_AIR_NITEMS; item++) {
        item_stat(days, n_days, item, &p.item[item]);
        if (month > 0)
            p.item[item].valid = p.item[item].n_days >= month_min_days(month);
        else
            year_validity(days, year, item, &p.item[item]);
    }
    count_days(days, n_days, &p);
    *out = p;
    return EW_OK;
}

/* The ranking rules' standards S_i: annual grade-2 limits for the means, the 24-hour CO and
 * 8-hour O3 limits for the percentiles (reference/air.md §5). 0: not in the index. */
static const double ci_std[EW_AIR_NITEMS] = { 60, 40, 4, 0, 160, 70, 35 };

int
ew_air_ci_compute(const struct ew_air_period *p, struct ew_air_ci *out)
{
    struct ew_air_ci ci = { .sum = 0, .main_item = -1, .valid = 1 };

    if (p == NULL || out == NULL)
        return EW_EINVAL;
    for (int item = 0; item < EW_AIR_NITEMS; item++) {
        const struct ew_air_stat *st = &p->item[item];
        /* CO and O3 enter with their percentiles, the others with their means. */
        double c = item == EW_AIR_CO || item == EW_AIR_O3_8H ? st->pct : st->mean;
        ci.sub[item] = NAN;
        if (ci_std[item] == 0)
            continue;
        if (isnan(c))
            return EW_ENODATA;
        ci.sub[item] = c / ci_std[item];
        ci.sum += ci.sub[item];
        ci.valid &= st->valid;
        if (ci.main_item < 0 || ci.sub[item] > ci.sub[ci.main_item])
            ci.main_item = item;
    }
    *out = ci;
    return EW_OK;
}

int
ew_air_change_pct(double now, double prev, double *pct)
{
    if (pct == NULL)
        return EW_EINVAL;
    if (isnan(now) || isnan(prev))
        return EW_ENODATA;
    if (!(prev > 0) || isinf(prev) || isinf(now))
        return EW_EINVAL;
    *pct = (now - prev) / prev * 100.0;
    return EW_OK;
}

static double
change_or_nan(double now, double prev)
{
    double pct;

    return ew_air_change_pct(now, prev, &pct) == EW_OK ? pct : NAN;
}

int
ew_air_period_compare(const struct ew_air_period *now, const struct ew_air_period *prev,
                      struct ew_air_change *out)
{
    struct ew_air_change c;
    struct ew_air_ci a, b;

    if (now == NULL || prev == NULL || out == NULL)
        return EW_EINVAL;
    for (int item = 0; item < EW_AIR_NITEMS; item++) {
        c.mean_pct[item] = change_or_nan(now->item[item].mean, prev->item[item].mean);
        c.pct_pct[item] = change_or_nan(now->item[item].pct, prev->item[item].pct);
    }
    c.ci_pct = NAN;
    if (ew_air_ci_compute(now, &a) == EW_OK && ew_air_ci_compute(prev, &b) == EW_OK)
        c.ci_pct = change_or_nan(a.sum, b.sum);
    c.good_share_pp = now->good_share_pct - prev->good_share_pct;
    c.heavy_days_delta = now->heavy_days - prev->heavy_days;
    *out = c;
    return EW_OK;
}
