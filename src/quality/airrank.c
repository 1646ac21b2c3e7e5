/* SPDX-License-Identifier: MIT */
/*
 * Rankings of stations, counties or cities (smaller is better) and progress towards the
 * annual air targets: what has been achieved so far and what the rest of the year must
 * achieve. Pure functions; the statistics they use come from airstats.c.
 */
#include <math.h>
#include <stdlib.h>

#include <envwatch/air.h>
#include <envwatch/err.h>

#include "util/time.h"

/* a before b in a ranking: ascending, NAN last. */
static int
key_less(double a, double b)
{
    return !isnan(a) && (isnan(b) || a < b);
}

/* Stable merge sort of the indices ord[0..n) by key; tmp has room for n indices. */
static void
sort_indices(size_t *ord, size_t *tmp, size_t n, const double *key)
{
    size_t mid = n / 2, i = 0, j = mid, k = 0;

    if (n < 2)
        return;
    sort_indices(ord, tmp, mid, key);
    sort_indices(ord + mid, tmp, n - mid, key);
    while (i < mid && j < n)
        tmp[k++] = key_less(key[ord[j]], key[ord[i]]) ? ord[j++] : ord[i++];
    while (i < mid)
        tmp[k++] = ord[i++];
    while (j < n)
        tmp[k++] = ord[j++];
    for (k = 0; k < n; k++)
        ord[k] = tmp[k];
}

int
ew_air_rank(const double *values, size_t n, int decimals, int *rank, size_t *order)
{
    double *key;
    size_t *ord, *tmp, i;

    if ((n > 0 && (values == NULL || rank == NULL)) || decimals < 0 || decimals > 6)
        return EW_EINVAL;
    if (n == 0)
        return EW_OK;
    key = malloc(n * sizeof(*key));
    ord = malloc(n * sizeof(*ord));
    tmp = malloc(n * sizeof(*tmp));
    if (key == NULL || ord == NULL || tmp == NULL) {
        free(key);
        free(ord);
        free(tmp);
        return EW_ENOMEM;
    }
    /* Ties are decided on the published precision (并列 for equal published values). */
    for (i = 0; i < n; i++) {
        key[i] = ew_air_round(values[i], decimals);
        ord[i] = i;
    }
    sort_indices(ord, tmp, n, key);
    for (i = 0; i < n; i++) {
        size_t at = ord[i];
        if (isnan(key[at]))
            rank[at] = 0;
        else if (i > 0 && key[ord[i - 1]] == key[at])
            rank[at] = rank[ord[i - 1]];
        else
            rank[at] = (int)i + 1;
    }
    if (order != NULL)
        for (i = 0; i < n; i++)
            order[i] = ord[i];
    free(key);
    free(ord);
    free(tmp);
    return EW_OK;
}

const char *
ew_air_target_status_name(int status)
{
    static const char *const names[] = { "none", "met", "on_track", "behind", "missed" };

    return status >= 0 && status < (int)EW_ARRAY_LEN(names) ? names[status] : NULL;
}

/* PM2.5: mean so far and the mean the remaining days may not exceed. */
static void
pm25_progress(double target, const struct ew_air_day *days, struct ew_air_target_progress *p)
{
    double sum = 0;
    int n = 0, total;

    for (int i = 0; i < p->days_elapsed; i++) {
        if (!isnan(days[i].pm25_ugm3)) {
            sum += days[i].pm25_ugm3;
            n++;
        }
    }
    p->pm25_days = n;
    p->pm25_ytd_ugm3 = n > 0 ? sum / n : NAN;
    p->pm25_needed_ugm3 = NAN;
    p->pm25_status = EW_TARGET_NONE;
    if (isnan(target))
        return;
    total = n + p->days_left;
    if (p->days_left > 0)
        p->pm25_needed_ugm3 = (target * total - sum) / p->days_left;
    if (p->days_left == 0)
        p->pm25_status = n > 0 && p->pm25_ytd_ugm3 <= target ? EW_TARGET_MET : EW_TARGET_MISSED;
    else if (p->pm25_needed_ugm3 < 0)
        p->pm25_status = EW_TARGET_MISSED;
    else if (n > 0 && p->pm25_ytd_ugm3 > target)
        p->pm25_status = EW_TARGET_BEHIND;
    else
        p->pm25_status = EW_TARGET_ON_TRACK;
}

/* Good-day share and heavy days so far; good days the rest of the year must bring. */
static void
days_progress(const struct ew_air_target *t, const struct ew_air_day *days,
              struct ew_air_target_progress *p)
{
    double need;

    for (int i = 0; i < p->days_elapsed; i++) {
        struct ew_aqi_result r;
        if (ew_aqi_day(&days[i], &r) != EW_OK)
            continue;
        p->aqi_days++;
        p->good_days += r.aqi <= 100;
        p->heavy_days += r.aqi > 200;
    }
    p->good_share_ytd_pct = p->aqi_days > 0 ? 100.0 * p->good_days / p->aqi_days : NAN;
    p->good_share_needed_pct = NAN;
    p->good_status = EW_TARGET_NONE;
    if (!isnan(t->good_share_pct)) {
        /* Smallest g with (good + g) / (aqi_days + days_left) >= target. */
        need = ceil(t->good_share_pct / 100.0 * (p->aqi_days + p->days_left) - 1e-9);
        p->good_days_needed = need - p->good_days > 0 ? (int)need - p->good_days : 0;
        if (p->days_left > 0)
            p->good_share_needed_pct = 100.0 * p->good_days_needed / p->days_left;
        if (p->good_days_needed == 0)
            p->good_status = EW_TARGET_MET;
        else if (p->good_days_needed > p->days_left)
            p->good_status = EW_TARGET_MISSED;
        else if (p->good_share_ytd_pct >= t->good_share_pct)
            p->good_status = EW_TARGET_ON_TRACK;
        else
            p->good_status = EW_TARGET_BEHIND;
    }
    p->heavy_days_left = -1;
    p->heavy_status = EW_TARGET_NONE;
    if (t->heavy_days_max >= 0) {
        p->heavy_days_left = p->heavy_days <= t->heavy_days_max
                                 ? t->heavy_days_max - p->heavy_days : 0;
        if (p->heavy_days > t->heavy_days_max)
            p->heavy_status = EW_TARGET_MISSED;
        else
            p->heavy_status = p->days_left == 0 ? EW_TARGET_MET : EW_TARGET_ON_TRACK;
    }
}

int
ew_air_target_progress(const struct ew_air_target *t, const struct ew_air_day *days,
                       size_t days_elapsed, int year, struct ew_air_target_progress *out)
{
    struct ew_air_target_progress p = { 0 };
    int len;

    if (t == NULL || out == NULL || (days == NULL && days_elapsed > 0) || year < 1 ||
        year > 9999 || t->heavy_days_max < -1)
        return EW_EINVAL;
    len = ew_days_in_month(year, 2) == 29 ? 366 : 365;
    if (days_elapsed > (size_t)len)
        return EW_EINVAL;
    for (size_t i = 0; i < days_elapsed; i++)
        for (int item = 0; item < EW_AIR_NITEMS; item++)
            if (ew_air_day_get(&days[i], item) < 0 || isinf(ew_air_day_get(&days[i], item)))
                return EW_EINVAL;
    p.days_elapsed = (int)days_elapsed;
    p.days_left = len - (int)days_elapsed;
    pm25_progress(t->pm25_ugm3, days, &p);
    days_progress(t, days, &p);
    *out = p;
    return EW_OK;
}
