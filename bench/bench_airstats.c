/* SPDX-License-Identifier: MIT */
/*
 * A full year of HJ 663 statistics for 1,500 stations from hourly data: daily values with
 * validity and the daily AQI, 12 monthly and 1 annual statistics per station (means,
 * percentiles, days by level, good-day share), the comprehensive index, and the ranking of
 * the stations by index and by PM2.5. The hourly data (6 pollutants x 8,760 hours x 1,500
 * stations, about 600 MB) are synthetic, generated in memory before timing. The baseline,
 * timed in the same run, is one pass that sums every hourly value. Times are the thread's
 * CPU time (the machine may be shared), median of 3 runs; the wall time is shown too.
 * Target: statistics under 2 s on one core.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <envwatch/air.h>
#include <envwatch/err.h>

#define N_STATIONS 1500
#define YEAR       2019
#define N_DAYS     365
#define N_HOURS    (N_DAYS * 24)
#define RUNS       3

static uint64_t
next_rand(uint64_t *s)
{
    /* xorshift64*: deterministic, fast, good enough for synthetic data. */
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}

static double
uniform(uint64_t *s)
{
    return (double)(next_rand(s) >> 11) / 9007199254740992.0;
}

/* One station-year: a seasonal and diurnal pattern with noise, integer concentrations (CO
 * one decimal) as published, 2 % of values missing and about one missing day a month. */
static void
generate(struct ew_air_hour *h, uint64_t seed)
{
    uint64_t s = seed * 0x9E3779B97F4A7C15ull + 1;
    double level = 0.6 + 0.8 * uniform(&s);

    for (int i = 0; i < N_HOURS; i++) {
        int day = i / 24, hour = i % 24;
        double winter = 1 + 0.6 * cos(2 * M_PI * day / 365.0);
        double sun = sin(M_PI * (hour - 6) / 12.0);
        double noise = 0.5 + uniform(&s);
        double pm25 = floor(level * winter * 45 * noise);
        h[i] = (struct ew_air_hour){
            .so2_ugm3 = floor(level * winter * 18 * noise),
            .no2_ugm3 = floor(level * 35 * (1.2 - 0.4 * sun) * noise),
            .co_mgm3 = floor(level * winter * 10 * noise) / 10,
            .o3_ugm3 = floor((2.2 - winter) * 70 * (1 + 0.8 * sun) * noise),
            .pm10_ugm3 = pm25 + floor(level * 40 * noise),
            .pm25_ugm3 = pm25,
        };
        for (int item = 0; item < EW_AIR_NITEMS; item++)
            if (uniform(&s) < 0.02)
                ew_air_hour_set(&h[i], item, NAN);
        if (day % 30 == (int)(seed % 30))
            ew_air_hour_clear(&h[i]);
    }
}

/* CPU time of this thread: "on one core" even when the machine is shared. */
static double
now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
wall_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
baseline(const struct ew_air_hour *h, double *sum)
{
    double t0 = now_s(), acc = 0;

    for (size_t i = 0; i < (size_t)N_STATIONS * N_HOURS; i++) {
        const double v[6] = { h[i].so2_ugm3, h[i].no2_ugm3, h[i].co_mgm3,
                              h[i].o3_ugm3,  h[i].pm10_ugm3, h[i].pm25_ugm3 };
        for (int k = 0; k < 6; k++)
            if (!isnan(v[k]))
                acc += v[k];
    }
    *sum = acc;
    return now_s() - t0;
}

/* Statistics of one station: days, months, year, indexes. */
static int
station_stats(const struct ew_air_hour *h, struct ew_air_day *days, double *ci_year,
              double *pm_year, double *check)
{
    struct ew_air_period p;
    struct ew_air_ci ci;
    int rc, at = 0;

    for (int d = 0; d < N_DAYS; d++)
        if ((rc = ew_air_day_from_hours(h + d * 24, &days[d], NULL)) != EW_OK)
            return rc;
    for (int m = 1; m <= 12; m++) {
        int len = m == 2 ? 28 : (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31;
        if ((rc = ew_air_period_stats(days + at, (size_t)len, YEAR, m, &p)) != EW_OK)
            return rc;
        if (ew_air_ci_compute(&p, &ci) == EW_OK)
            *check += ci.sum;
        at += len;
    }
    if ((rc = ew_air_period_stats(days, N_DAYS, YEAR, 0, &p)) != EW_OK)
        return rc;
    *ci_year = ew_air_ci_compute(&p, &ci) == EW_OK ? ci.sum : NAN;
    *pm_year = p.item[EW_AIR_PM25].mean;
    *check += p.good_share_pct + p.item[EW_AIR_O3_8H].pct;
    return EW_OK;
}

static double
full_stats(const struct ew_air_hour *h, double *check)
{
    static struct ew_air_day days[N_DAYS];
    static double ci[N_STATIONS], pm[N_STATIONS];
    static int rank_ci[N_STATIONS], rank_pm[N_STATIONS];
    double t0 = now_s();

    *check = 0;
    for (size_t s = 0; s < N_STATIONS; s++)
        if (station_stats(h + s * N_HOURS, days, &ci[s], &pm[s], check) != EW_OK)
            return -1;
    if (ew_air_rank(ci, N_STATIONS, 2, rank_ci, NULL) != EW_OK ||
        ew_air_rank(pm, N_STATIONS, 0, rank_pm, NULL) != EW_OK)
        return -1;
    *check += rank_ci[0] + rank_pm[N_STATIONS - 1];
    return now_s() - t0;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

int
main(void)
{
    size_t n = (size_t)N_STATIONS * N_HOURS;
    struct ew_air_hour *h = malloc(n * sizeof(*h));
    double tb[RUNS], ts[RUNS], tw[RUNS], sum = 0, check = 0, w;

    if (h == NULL) {
        fprintf(stderr, "bench_airstats: out of memory (%zu MB)\n", n * sizeof(*h) >> 20);
        return 1;
    }
    for (size_t s = 0; s < N_STATIONS; s++)
        generate(h + s * N_HOURS, s + 1);
    for (int r = 0; r < RUNS; r++) {
        tb[r] = baseline(h, &sum);
        w = wall_s();
        ts[r] = full_stats(h, &check);
        tw[r] = wall_s() - w;
        if (ts[r] < 0) {
            fprintf(stderr, "bench_airstats: statistics failed\n");
            free(h);
            return 1;
        }
    }
    qsort(tb, RUNS, sizeof(double), cmp_double);
    qsort(ts, RUNS, sizeof(double), cmp_double);
    qsort(tw, RUNS, sizeof(double), cmp_double);
    printf("air statistics, %d stations x %d hours x 6 pollutants (%zu MB), one thread, "
           "CPU time, median of %d:\n", N_STATIONS, N_HOURS, n * sizeof(*h) >> 20, RUNS);
    printf("  baseline (sum every hourly value once): %.3f s\n", tb[RUNS / 2]);
    printf("  full statistics (days, 12 months, year, index, ranking): %.3f s "
           "(%.1fx baseline; target < 2 s; wall %.3f s)\n", ts[RUNS / 2],
           ts[RUNS / 2] / tb[RUNS / 2], tw[RUNS / 2]);
    printf("  (checksums %.6g %.6g)\n", sum, check);
    free(h);
    return 0;
}
