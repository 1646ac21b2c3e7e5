/* SPDX-License-Identifier: MIT */
/*
 * The air quality index of HJ 633-2012: breakpoint tables, sub-indices, the real-time
 * (hourly) AQI as the national platform computes it, the daily AQI, levels, primary and
 * exceeding pollutants. Pure functions over static constant tables; the statistics of
 * HJ 663 are in airstats.c, not here.
 */
#include <math.h>

#include <envwatch/air.h>
#include <envwatch/err.h>

#include "quality/air_internal.h"

#define NROWS 8

/* IAQI of each row of HJ 633-2012 table 1. */
static const int row_iaqi[NROWS] = { 0, 50, 100, 150, 200, 300, 400, 500 };

/*
 * HJ 633-2012 table 1, one column per table (µg/m3; CO mg/m3). n is the number of rows the
 * standard fills: the SO2 1-hour column stops at 800 (IAQI 200, note 2) and the O3 8-hour
 * column at 800 (IAQI 300, note 3).
 */
static const struct {
    int    n;
    double bp[NROWS];
} tables[EW_AQI_NTABLES] = {
    [EW_AQI_SO2_24H] = { 8, { 0, 50, 150, 475, 800, 1600, 2100, 2620 } },
    [EW_AQI_SO2_1H] = { 5, { 0, 150, 500, 650, 800 } },
    [EW_AQI_NO2_24H] = { 8, { 0, 40, 80, 180, 280, 565, 750, 940 } },
    [EW_AQI_NO2_1H] = { 8, { 0, 100, 200, 700, 1200, 2340, 3090, 3840 } },
    [EW_AQI_PM10_24H] = { 8, { 0, 50, 150, 250, 350, 420, 500, 600 } },
    [EW_AQI_CO_24H] = { 8, { 0, 2, 4, 14, 24, 36, 48, 60 } },
    [EW_AQI_CO_1H] = { 8, { 0, 5, 10, 35, 60, 90, 120, 150 } },
    [EW_AQI_O3_1H] = { 8, { 0, 160, 200, 300, 400, 800, 1000, 1200 } },
    [EW_AQI_O3_8H] = { 6, { 0, 100, 160, 215, 265, 800 } },
    [EW_AQI_PM25_24H] = { 8, { 0, 35, 75, 115, 150, 250, 350, 500 } },
};

/* Slack for binary noise before rounding up: CO 4.1 gives 100.49999999999999, and an exact
 * breakpoint must not round up to the next integer (reference/air.md §1.2). */
#define IAQI_EPS 1e-9

int
ew_aqi_breakpoint(int table, int row, double *conc, int *iaqi)
{
    if (table < 0 || table >= EW_AQI_NTABLES || row < 0 || row >= NROWS)
        return EW_EINVAL;
    if (row >= tables[table].n)
        return EW_ENOTFOUND;
    *conc = tables[table].bp[row];
    *iaqi = row_iaqi[row];
    return EW_OK;
}

int
ew_aqi_iaqi(int table, double conc, int *iaqi)
{
    const double *bp;
    int i, n;
    double x;

    if (table < 0 || table >= EW_AQI_NTABLES || !isfinite(conc) || conc < 0)
        return EW_EINVAL;
    bp = tables[table].bp;
    n = tables[table].n;
    if (conc > bp[n - 1]) {
        /* HJ 633 table 1 notes 2 and 3: no sub-index above the column's end. Elsewhere the
         * standard is silent; the platform publishes 500 for PM above 600/500 [data], and
         * the gases are treated alike (never observed in 2019). */
        if (n < NROWS)
            return EW_ENODATA;
        *iaqi = 500;
        return EW_OK;
    }
    for (i = 1; i < n - 1 && conc > bp[i]; i++)
        ;
    /* HJ 633-2012 formula (1), rounded up to an integer (进位取整) [data: 99.98 % of 2019]. */
    x = (double)(row_iaqi[i] - row_iaqi[i - 1]) * (conc - bp[i - 1]) / (bp[i] - bp[i - 1]) +
        row_iaqi[i - 1];
    *iaqi = (int)ceil(x - IAQI_EPS);
    return EW_OK;
}

/* Tables of the real-time report (HJ 633 §5; PM 1-hour values in the 24-hour columns, as the
 * platform does [data]) and of the daily report, by item; -1: not used in that report. */
static const int hour_table[EW_AIR_NITEMS] = {
    EW_AQI_SO2_1H, EW_AQI_NO2_1H, EW_AQI_CO_1H, EW_AQI_O3_1H, -1, EW_AQI_PM10_24H,
    EW_AQI_PM25_24H,
};
static const int day_table[EW_AIR_NITEMS] = {
    EW_AQI_SO2_24H, EW_AQI_NO2_24H, EW_AQI_CO_24H, EW_AQI_O3_1H, EW_AQI_O3_8H, EW_AQI_PM10_24H,
    EW_AQI_PM25_24H,
};

/* AQI = max IAQI; primary pollutants when AQI > 50, exceeding when IAQI > 100 (HJ 633 §4). */
static int
finish(const int iaqi[EW_AIR_NITEMS], struct ew_aqi_result *out)
{
    struct ew_aqi_result r = { .aqi = -1 };
    int i;

    for (i = 0; i < EW_AIR_NITEMS; i++) {
        r.iaqi[i] = iaqi[i];
        if (iaqi[i] > r.aqi)
            r.aqi = iaqi[i];
        if (iaqi[i] > 100)
            r.exceeding |= 1u << i;
    }
    if (r.aqi < 0)
        return EW_ENODATA;
    for (i = 0; i < EW_AIR_NITEMS && r.aqi > 50; i++)
        if (iaqi[i] == r.aqi)
            r.primary |= 1u << i;
    r.level = ew_aqi_class_of(r.aqi)->level;
    *out = r;
    return EW_OK;
}

/* Sub-index of one value of an item, -1 when missing; EW_EINVAL for a bad value. */
static int
item_iaqi(int table, double conc, int *iaqi)
{
    int rc;

    *iaqi = -1;
    if (isnan(conc) || table < 0)
        return EW_OK;
    rc = ew_aqi_iaqi(table, conc, iaqi);
    if (rc == EW_ENODATA) {
        *iaqi = -1;
        return EW_OK;
    }
    return rc;
}

/* HJ 633 table 1 note 2 as the platform applies it (cap 200), or as the note reads. */
static int
so2_above_800(const struct ew_aqi_hour_opts *o, int *iaqi)
{
    if (o == NULL || o->so2_rule == EW_AQI_SO2_CAP200) {
        *iaqi = 200;
        return EW_OK;
    }
    if (o->so2_rule != EW_AQI_SO2_FROM_24H)
        return EW_EINVAL;
    return item_iaqi(EW_AQI_SO2_24H, o->so2_24h_ugm3, iaqi);
}

int
ew_aqi_hour_ex(const struct ew_air_hour *h, const struct ew_aqi_hour_opts *opts,
               struct ew_aqi_result *out)
{
    int iaqi[EW_AIR_NITEMS], i, rc;

    if (h == NULL || out == NULL)
        return EW_EINVAL;
    for (i = 0; i < EW_AIR_NITEMS; i++) {
        double c = ew__air_hour_get(h, i);    /* NAN for O3_8H */
        if ((rc = item_iaqi(hour_table[i], c, &iaqi[i])) != EW_OK)
            return rc;
    }
    if (h->so2_ugm3 > 800 && (rc = so2_above_800(opts, &iaqi[EW_AIR_SO2])) != EW_OK)
        return rc;
    if (opts != NULL && !isnan(opts->o3_8h_ugm3) &&
        (rc = item_iaqi(EW_AQI_O3_8H, opts->o3_8h_ugm3, &iaqi[EW_AIR_O3_8H])) != EW_OK)
        return rc;
    return finish(iaqi, out);
}

int
ew_aqi_hour(const struct ew_air_hour *h, struct ew_aqi_result *out)
{
    return ew_aqi_hour_ex(h, NULL, out);
}

int
ew_aqi_day(const struct ew_air_day *d, struct ew_aqi_result *out)
{
    int iaqi[EW_AIR_NITEMS], i, rc;

    if (d == NULL || out == NULL)
        return EW_EINVAL;
    /* O3 8-hour above 800 gets no sub-index (item_iaqi leaves it out); the O3 1-hour
     * sub-index, always computed in the daily report, then stands for O3 (note 3). */
    for (i = 0; i < EW_AIR_NITEMS; i++)
        if ((rc = item_iaqi(day_table[i], ew__air_day_get(d, i), &iaqi[i])) != EW_OK)
            return rc;
    return finish(iaqi, out);
}
