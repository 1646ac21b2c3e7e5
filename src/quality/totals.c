/* SPDX-License-Identifier: MIT */
/*
 * Emission totals (总量控制, reference/standards.md §4.1 and §6): the mass emitted in a period
 * from concentration and flow, period keys for summing hours into days, months and years, and
 * the comparison of an emitted quantity with the permitted quantity: warning levels, pace and
 * the linear projection to the end of the period.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <envwatch/emission.h>
#include <envwatch/err.h>

#include "util/time.h"

static int
nonneg(double v)
{
    return isfinite(v) && v >= 0;
}

int
ew_load_flue_kg(double conc_mgm3, double flow_m3h, double hours, double *out_kg)
{
    /* §4.1: G (kg/h) = C_sn,dry × Q_snd × 1e-6, on the measured, not O2-corrected, value. */
    if (!nonneg(conc_mgm3) || !nonneg(flow_m3h) || !nonneg(hours) || out_kg == NULL)
        return EW_EINVAL;
    *out_kg = conc_mgm3 * flow_m3h * hours * 1e-6;
    return EW_OK;
}

int
ew_load_water_kg(double conc_mgl, double volume_m3, double *out_kg)
{
    /* §4.4: mg/L × m3 = g; × 1e-3 = kg. */
    if (!nonneg(conc_mgl) || !nonneg(volume_m3) || out_kg == NULL)
        return EW_EINVAL;
    *out_kg = conc_mgl * volume_m3 * 1e-3;
    return EW_OK;
}

int
ew_period_parse(const char *s, int *period)
{
    static const char *const names[] = { "hour", "day", "month", "year" };

    if (s == NULL || period == NULL)
        return EW_EINVAL;
    for (int i = 0; i < 4; i++) {
        if (strcasecmp(s, names[i]) == 0) {
            *period = EW_PERIOD_HOUR + i;
            return EW_OK;
        }
    }
    return EW_EFORMAT;
}

int
ew_period_key(int64_t t_unix_s, int period, char out[16])
{
    struct ew_civil c;

    if (out == NULL)
        return EW_EINVAL;
    ew_unix_to_civil(t_unix_s, &c);
    if (c.year < 0 || c.year > 9999)
        return EW_EINVAL;
    switch (period) {
    case EW_PERIOD_HOUR:
        snprintf(out, 16, "%04d-%02d-%02dT%02d", c.year, c.month, c.day, c.hour);
        return EW_OK;
    case EW_PERIOD_DAY:
        snprintf(out, 16, "%04d-%02d-%02d", c.year, c.month, c.day);
        return EW_OK;
    case EW_PERIOD_MONTH:
        snprintf(out, 16, "%04d-%02d", c.year, c.month);
        return EW_OK;
    case EW_PERIOD_YEAR:
        snprintf(out, 16, "%04d", c.year);
        return EW_OK;
    default:
        return EW_EINVAL;
    }
}

double
ew_year_elapsed(int64_t t_unix_s)
{
    struct ew_civil c, jan1 = { 0, 1, 1, 0, 0, 0 };
    int64_t start, end;

    ew_unix_to_civil(t_unix_s, &c);
    jan1.year = c.year;
    start = ew_civil_to_unix(&jan1);
    jan1.year = c.year + 1;
    end = ew_civil_to_unix(&jan1);
    return (double)(t_unix_s - start) / (double)(end - start);
}

static int
levels_ok(const double *levels_pct, size_t n)
{
    if (n > EW_QUOTA_MAX_LEVELS || (levels_pct == NULL && n > 0))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!(levels_pct[i] > 0) || !isfinite(levels_pct[i]) ||
            (i > 0 && levels_pct[i] <= levels_pct[i - 1]))
            return 0;
    return 1;
}

int
ew_quota_check(double emitted, double quota, double elapsed, const double *levels_pct,
               size_t n_levels, struct ew_quota_status *out)
{
    struct ew_quota_status s = { 0 };

    if (!nonneg(emitted) || !(quota > 0) || !isfinite(quota) || !(elapsed > 0) ||
        elapsed > 1 || !levels_ok(levels_pct, n_levels) || out == NULL)
        return EW_EINVAL;
    s.used_pct = 100.0 * emitted / quota;
    s.elapsed_pct = 100.0 * elapsed;
    s.pace = s.used_pct / s.elapsed_pct;
    /* §6: a pace check and a linear projection of the emission to the period end. */
    s.projected = emitted / elapsed;
    s.projected_pct = 100.0 * s.projected / quota;
    s.projected_over = s.projected > quota;
    for (size_t i = 0; i < n_levels; i++)
        if (s.used_pct >= levels_pct[i])
            s.level = (int)i + 1;
    *out = s;
    return EW_OK;
}
