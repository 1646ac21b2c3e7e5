/* SPDX-License-Identifier: MIT */
/*
 * src/quality/airstats.c: GB/T 8170 rounding, daily values from hours with the validity
 * rules of GB 3095-2012 table 4 / HJ 663-2013, station means, the appendix A percentile,
 * monthly and annual statistics and their validity, the comprehensive index, and change.
 * Expected values are worked out by hand in the comments.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <envwatch/air.h>
#include <envwatch/err.h>

static void
assert_close(double want, double got, const char *what)
{
    if (!(fabs(want - got) < 1e-9))
        fail_msg("%s: want %.10g, got %.10g", what, want, got);
}

static const struct {
    double v;
    int    dec;
    double want;
} rounding[] = {
    { 0.5, 0, 0 },   { 1.5, 0, 2 },   { 2.5, 0, 2 },    { 3.5, 0, 4 },   { 44.5, 0, 44 },
    { 45.5, 0, 46 }, { 2.4999, 0, 2 }, { 2.5001, 0, 3 }, { 2.6, 0, 3 },   { 0, 0, 0 },
    { 1.25, 1, 1.2 }, { 1.35, 1, 1.4 }, { 1.15, 1, 1.2 }, { 0.05, 1, 0 }, { 2.25, 1, 2.2 },
    { 2.26, 1, 2.3 }, { 6.05, 2, 6.05 }, { 3.055, 2, 3.06 }, { 3.065, 2, 3.06 },
};

static void
rounding_is_half_to_even(void **state)
{
    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(rounding); i++) {
        double got = ew_air_round(rounding[i].v, rounding[i].dec);
        if (fabs(got - rounding[i].want) > 1e-12)
            fail_msg("round(%g, %d): want %g, got %.17g", rounding[i].v, rounding[i].dec,
                     rounding[i].want, got);
    }
    assert_true(isnan(ew_air_round(NAN, 0)));
}

/* 24 hours, every pollutant at the given constant. */
static void
fill_hours(struct ew_air_hour h[24], double so2, double no2, double co, double o3, double pm10,
           double pm25)
{
    for (int i = 0; i < 24; i++)
        h[i] = (struct ew_air_hour){ so2, no2, co, o3, pm10, pm25 };
}

static void
full_day_gives_the_means(void **state)
{
    struct ew_air_hour h[24];
    struct ew_air_day d;
    struct ew_air_day_info info;

    (void)state;
    fill_hours(h, 10, 20, 0.8, 100, 50, 30);
    assert_int_equal(EW_OK, ew_air_day_from_hours(h, &d, &info));
    assert_close(10, d.so2_ugm3, "so2");
    assert_close(20, d.no2_ugm3, "no2");
    assert_close(0.8, d.co_mgm3, "co");
    assert_close(50, d.pm10_ugm3, "pm10");
    assert_close(30, d.pm25_ugm3, "pm25");
    assert_close(100, d.o3_8h_ugm3, "o3 8h");
    assert_close(100, d.o3_1h_ugm3, "o3 1h");
    assert_int_equal(24, info.n_hours[EW_AIR_PM25]);
    assert_int_equal(24, info.n_hours[EW_AIR_O3_1H]);
    assert_int_equal(17, info.n_hours[EW_AIR_O3_8H]);      /* windows ending 08..24 */
}

static void
twenty_hours_make_a_day_nineteen_do_not(void **state)
{
    struct ew_air_hour h[24];
    struct ew_air_day d;
    struct ew_air_day_info info;

    (void)state;
    fill_hours(h, 10, 20, 0.8, 100, 50, 30);
    for (int i = 0; i < 4; i++)
        h[i * 5].pm25_ugm3 = NAN;          /* 20 left */
    for (int i = 0; i < 5; i++)
        h[i].so2_ugm3 = NAN;               /* 19 left */
    for (int i = 0; i < 4; i++)
        h[i * 6].o3_ugm3 = NAN;            /* 20 O3 hours */
    assert_int_equal(EW_OK, ew_air_day_from_hours(h, &d, &info));
    assert_close(30, d.pm25_ugm3, "pm25 with 20 hours");
    assert_int_equal(20, info.n_hours[EW_AIR_PM25]);
    assert_true(isnan(d.so2_ugm3));
    assert_int_equal(19, info.n_hours[EW_AIR_SO2]);
    assert_close(100, d.o3_1h_ugm3, "o3 1h with 20 hours");
    h[23].o3_ugm3 = NAN;                   /* 19 O3 hours: no daily max 1-hour */
    assert_int_equal(EW_OK, ew_air_day_from_hours(h, &d, NULL));
    assert_true(isnan(d.o3_1h_ugm3));
}

static void
daily_means_round_half_to_even(void **state)
{
    struct ew_air_hour h[24];
    struct ew_air_day d;

    (void)state;
    fill_hours(h, 0, 0, 0, 0, 0, 0);
    for (int i = 0; i < 24; i++) {
        h[i].pm25_ugm3 = i < 12 ? 35 : 36;     /* 35.5 -> 36 */
        h[i].pm10_ugm3 = i < 12 ? 36 : 37;     /* 36.5 -> 36 */
        h[i].co_mgm3 = i < 12 ? 1.2 : 1.3;     /* 1.25 -> 1.2 despite binary noise */
        h[i].no2_ugm3 = i < 12 ? 1.3 : 1.4;    /* 1.35 -> 1 (integer) */
    }
    assert_int_equal(EW_OK, ew_air_day_from_hours(h, &d, NULL));
    assert_close(36, d.pm25_ugm3, "pm25");
    assert_close(36, d.pm10_ugm3, "pm10");
    assert_close(1.2, d.co_mgm3, "co");
    assert_close(1, d.no2_ugm3, "no2");
}

static void
o3_8h_is_the_best_window_ending_08_to_24(void **state)
{
    struct ew_air_hour h[24];
    struct ew_air_day d;

    (void)state;
    fill_hours(h, 0, 0, 0, 0, 0, 0);
    for (int i = 12; i < 20; i++)
        h[i].o3_ugm3 = 200;                 /* window 12:00-20:00 */
    assert_int_equal(EW_OK, ew_air_day_from_hours(h, &d, NULL));
    assert_close(200, d.o3_8h_ugm3, "8h");
    assert_close(200, d.o3_1h_ugm3, "1h");
    /* The day's first window ends at 08:00: 0:00-1:00 values count in it, nothing earlier. */
    fill_hours(h, 0, 0, 0, 0, 0, 0);
    h[0].o3_ugm3 = 240;                     /* 240 / 8 = 30 */
    assert_int_equal(EW_OK, ew_air_day_from_hours(h, &d, NULL));
    assert_close(30, d.o3_8h_ugm3, "first window");
    /* Windows of 6 valid hours count, of 5 do not: 6 hours of 90 among 2 missing. */
    fill_hours(h, 0, 0, 0, NAN, 0, 0);
    for (int i = 16; i < 22; i++)
        h[i].o3_ugm3 = 90;
    for (int i = 0; i < 16; i++)
        h[i].o3_ugm3 = 10;
    /* Window 14-22 has 2 x 10 + 6 x 90 = 560 / 8 = 70; 16-24 has 6 x 90 / 6 = 90 (6 hours);
     * 17-25 does not exist. Windows ending 23 (15-23: 10 + 6 x 90 = 550 / 7 = 78.6) also. */
    assert_int_equal(EW_OK, ew_air_day_from_hours(h, &d, NULL));
    assert_close(90, d.o3_8h_ugm3, "6-hour window");
}

/* Hours 0..n-1 carry O3 = v, the rest are missing. */
static void
o3_first_hours(struct ew_air_hour h[24], int n, double v)
{
    fill_hours(h, 0, 0, 0, NAN, 0, 0);
    for (int i = 0; i < n; i++)
        h[i].o3_ugm3 = v;
}

static void
o3_8h_needs_14_windows_unless_above_the_limit(void **state)
{
    struct ew_air_hour h[24];
    struct ew_air_day d;
    struct ew_air_day_info info;

    (void)state;
    /* Hours 0..18 valid: windows ending 08..21 have >= 6 hours: 14 windows. */
    o3_first_hours(h, 19, 100);
    assert_int_equal(EW_OK, ew_air_day_from_hours(h, &d, &info));
    assert_int_equal(14, info.n_hours[EW_AIR_O3_8H]);
    assert_close(100, d.o3_8h_ugm3, "14 windows");
    /* Hours 0..17: 13 windows, not enough at 100 ... */
    o3_first_hours(h, 18, 100);
    assert_int_equal(EW_OK, ew_air_day_from_hours(h, &d, &info));
    assert_int_equal(13, info.n_hours[EW_AIR_O3_8H]);
    assert_true(isnan(d.o3_8h_ugm3));
    /* ... but enough when the maximum exceeds 160, and not when it equals 160. */
    o3_first_hours(h, 18, 161);
    assert_int_equal(EW_OK, ew_air_day_from_hours(h, &d, NULL));
    assert_close(161, d.o3_8h_ugm3, "13 windows above the limit");
    o3_first_hours(h, 18, 160);
    assert_int_equal(EW_OK, ew_air_day_from_hours(h, &d, NULL));
    assert_true(isnan(d.o3_8h_ugm3));
    /* No window at all. */
    o3_first_hours(h, 5, 300);
    assert_int_equal(EW_OK, ew_air_day_from_hours(h, &d, &info));
    assert_int_equal(0, info.n_hours[EW_AIR_O3_8H]);
    assert_true(isnan(d.o3_8h_ugm3));
}

static void
bad_hours_are_refused_and_out_untouched(void **state)
{
    struct ew_air_hour h[24];
    struct ew_air_day d = { .so2_ugm3 = 7 };

    (void)state;
    fill_hours(h, 1, 1, 1, 1, 1, 1);
    h[5].co_mgm3 = -0.1;
    assert_int_equal(EW_EINVAL, ew_air_day_from_hours(h, &d, NULL));
    h[5].co_mgm3 = INFINITY;
    assert_int_equal(EW_EINVAL, ew_air_day_from_hours(h, &d, NULL));
    assert_close(7, d.so2_ugm3, "untouched");
}

static void
station_mean_skips_missing_and_rounds(void **state)
{
    struct ew_air_hour s[3], m;

    (void)state;
    for (int i = 0; i < 3; i++)
        ew_air_hour_clear(&s[i]);
    s[0].pm25_ugm3 = 30;
    s[1].pm25_ugm3 = 31;                    /* (30 + 31) / 2 = 30.5 -> 30 */
    s[0].co_mgm3 = 1.2;
    s[2].co_mgm3 = 1.3;                     /* 1.25 -> 1.2 */
    s[1].o3_ugm3 = 77;
    assert_int_equal(EW_OK, ew_air_hour_mean(s, 3, &m));
    assert_close(30, m.pm25_ugm3, "pm25");
    assert_close(1.2, m.co_mgm3, "co");
    assert_close(77, m.o3_ugm3, "o3");
    assert_true(isnan(m.so2_ugm3));
    assert_int_equal(EW_OK, ew_air_hour_mean(s, 0, &m));
    assert_true(isnan(m.pm25_ugm3));
    s[2].so2_ugm3 = -1;
    assert_int_equal(EW_EINVAL, ew_air_hour_mean(s, 3, &m));
}

static void
percentile_follows_appendix_a(void **state)
{
    double v[] = { 3, 4, 8, 2, 5, 4 }, one[] = { 42 }, got = -1;
    double *big;

    (void)state;
    /* Sorted 2 3 4 4 5 8; k = 1 + 5 x 0.9 = 5.5: 5 + 0.5 x (8 - 5) = 6.5. */
    assert_int_equal(EW_OK, ew_air_percentile(v, 6, 90, &got));
    assert_close(6.5, got, "p90");
    assert_int_equal(EW_OK, ew_air_percentile(v, 6, 0, &got));
    assert_close(2, got, "p0");
    assert_int_equal(EW_OK, ew_air_percentile(v, 6, 100, &got));
    assert_close(8, got, "p100");
    assert_int_equal(EW_OK, ew_air_percentile(v, 6, 50, &got));
    assert_close(4, got, "p50");        /* k = 3.5: 4 + 0.5 x 0 */
    assert_int_equal(EW_OK, ew_air_percentile(one, 1, 95, &got));
    assert_close(42, got, "one value");
    got = -1;
    assert_int_equal(EW_ENODATA, ew_air_percentile(v, 0, 95, &got));
    assert_int_equal(EW_EINVAL, ew_air_percentile(v, 6, 101, &got));
    assert_int_equal(EW_EINVAL, ew_air_percentile(v, 6, NAN, &got));
    assert_close(-1, got, "untouched");
    /* A long shuffled run with duplicates (the quicksort path): 0..999 twice, p95. Sorted
     * X(i) = floor((i - 1) / 2); k = 1 + 1999 x 0.95 = 1900.05: X(1900) = 949, X(1901) = 950,
     * so 949.05. */
    big = malloc(2000 * sizeof(*big));
    assert_non_null(big);
    for (int i = 0; i < 2000; i++)
        big[i] = (double)((i * 7919) % 1000);
    assert_int_equal(EW_OK, ew_air_percentile(big, 2000, 95, &got));
    assert_close(949.05, got, "p95 of 2000");
    for (int i = 1; i < 2000; i++)
        assert_true(big[i - 1] <= big[i]);
    free(big);
}

/* A period of n days with every item missing. */
static struct ew_air_day *
empty_days(size_t n)
{
    struct ew_air_day *d = malloc(n * sizeof(*d));

    assert_non_null(d);
    for (size_t i = 0; i < n; i++)
        ew_air_day_clear(&d[i]);
    return d;
}

static void
month_statistics_and_27_day_validity(void **state)
{
    struct ew_air_day *d = empty_days(31);
    struct ew_air_period p;

    (void)state;
    for (int i = 0; i < 27; i++)
        d[i].pm25_ugm3 = i + 1;            /* 1..27 */
    assert_int_equal(EW_OK, ew_air_period_stats(d, 31, 2019, 1, &p));
    assert_int_equal(31, p.n_days);
    assert_int_equal(27, p.item[EW_AIR_PM25].n_days);
    assert_close(14, p.item[EW_AIR_PM25].mean, "mean of 1..27");
    /* k = 1 + 26 x 0.95 = 25.7: 25 + 0.7 = 25.7 -> 26. */
    assert_close(26, p.item[EW_AIR_PM25].pct, "p95");
    assert_close(27, p.item[EW_AIR_PM25].max, "max");
    assert_int_equal(1, p.item[EW_AIR_PM25].valid);
    assert_int_equal(0, p.item[EW_AIR_SO2].valid);
    assert_true(isnan(p.item[EW_AIR_SO2].mean));
    d[26].pm25_ugm3 = NAN;                  /* 26 days: not valid, still computed */
    assert_int_equal(EW_OK, ew_air_period_stats(d, 31, 2019, 1, &p));
    assert_int_equal(0, p.item[EW_AIR_PM25].valid);
    assert_close(14, p.item[EW_AIR_PM25].mean, "13.5 -> 14");
    free(d);
}

static void
february_needs_25_days(void **state)
{
    struct ew_air_day *d = empty_days(29);
    struct ew_air_period p;

    (void)state;
    for (int i = 0; i < 25; i++)
        d[i].so2_ugm3 = 10;
    assert_int_equal(EW_OK, ew_air_period_stats(d, 28, 2019, 2, &p));
    assert_int_equal(1, p.item[EW_AIR_SO2].valid);
    d[24].so2_ugm3 = NAN;
    assert_int_equal(EW_OK, ew_air_period_stats(d, 28, 2019, 2, &p));
    assert_int_equal(0, p.item[EW_AIR_SO2].valid);
    /* 2020 is a leap year: February has 29 days. */
    assert_int_equal(EW_EINVAL, ew_air_period_stats(d, 28, 2020, 2, &p));
    assert_int_equal(EW_OK, ew_air_period_stats(d, 29, 2020, 2, &p));
    assert_int_equal(EW_EINVAL, ew_air_period_stats(d, 29, 2019, 13, &p));
    assert_int_equal(EW_EINVAL, ew_air_period_stats(d, 29, 0, 2, &p));
    d[3].pm10_ugm3 = -5;
    assert_int_equal(EW_EINVAL, ew_air_period_stats(d, 29, 2020, 2, &p));
    free(d);
}

/* PM2.5 daily values and the level their AQI falls in (HJ 633 table 1, 24-hour column). */
static const struct {
    double pm25;
    int    level;
} pm_levels[] = {
    { 30, 1 },  /* 42.9 -> 43 */
    { 50, 2 },  /* 68.75 -> 69 */
    { 100, 3 }, /* 131.25 -> 132 */
    { 140, 4 }, /* 185.7 -> 186 */
    { 200, 5 }, /* 250 */
    { 300, 6 }, /* 350 */
};

static void
days_by_level_good_and_heavy(void **state)
{
    struct ew_air_day *d = empty_days(30);
    struct ew_air_period p;

    (void)state;
    /* 30 days of June: 5 of each level. */
    for (int i = 0; i < 30; i++)
        d[i].pm25_ugm3 = pm_levels[i % 6].pm25;
    d[29].pm25_ugm3 = NAN;                  /* one day without AQI (a level-6 day) */
    d[28].so2_ugm3 = 5;                     /* a level-5 day with SO2 too: PM2.5 still primary */
    assert_int_equal(EW_OK, ew_air_period_stats(d, 30, 2019, 6, &p));
    assert_int_equal(29, p.aqi_days);
    for (int l = 0; l < 5; l++)
        assert_int_equal(5, p.level_days[l]);
    assert_int_equal(4, p.level_days[5]);
    assert_int_equal(10, p.good_days);
    assert_int_equal(9, p.heavy_days);      /* levels 5 and 6: AQI > 200 */
    assert_close(34.5, p.good_share_pct, "10 / 29 = 34.48 %");
    assert_int_equal(19, p.item[EW_AIR_PM25].exceed_days);     /* above 75 */
    assert_int_equal(24, p.primary_days[EW_AIR_PM25]);         /* AQI > 50 days */
    assert_int_equal(0, p.primary_days[EW_AIR_SO2]);
    free(d);
}

static void
year_needs_324_days_and_every_month(void **state)
{
    struct ew_air_day *d = empty_days(365);
    struct ew_air_period p;

    (void)state;
    for (int i = 0; i < 365; i++)
        d[i].no2_ugm3 = i % 2 ? 40 : 41;
    assert_int_equal(EW_OK, ew_air_period_stats(d, 365, 2019, 0, &p));
    assert_int_equal(1, p.item[EW_AIR_NO2].valid);
    assert_int_equal(0, p.item[EW_AIR_NO2].months_short);
    assert_close(41, p.item[EW_AIR_NO2].mean, "(183 x 41 + 182 x 40) / 365 = 40.5 -> 41");
    /* 4 missing days in February (days 31..34): 361 days, but February has 24 < 25. */
    for (int i = 31; i < 35; i++)
        d[i].no2_ugm3 = NAN;
    assert_int_equal(EW_OK, ew_air_period_stats(d, 365, 2019, 0, &p));
    assert_int_equal(361, p.item[EW_AIR_NO2].n_days);
    assert_int_equal(1, p.item[EW_AIR_NO2].months_short);
    assert_int_equal(0, p.item[EW_AIR_NO2].valid);
    /* Every month at its minimum (January one above) but only 323 days in all: 42 missing. */
    for (int i = 0; i < 365; i++)
        d[i].no2_ugm3 = 40;
    for (int m = 0, at = 0; m < 12; m++) {
        static const int len[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
        int drop = len[m] - (m == 1 ? 25 : 27) - (m == 0);
        for (int i = 0; i < drop; i++)
            d[at + i].no2_ugm3 = NAN;
        at += len[m];
    }
    assert_int_equal(EW_OK, ew_air_period_stats(d, 365, 2019, 0, &p));
    assert_int_equal(323, p.item[EW_AIR_NO2].n_days);
    assert_int_equal(0, p.item[EW_AIR_NO2].months_short);
    assert_int_equal(0, p.item[EW_AIR_NO2].valid);
    assert_int_equal(EW_EINVAL, ew_air_period_stats(d, 366, 2019, 0, &p));
    free(d);
}

/* A period whose statistics are given directly. */
static struct ew_air_period
period_of(double so2, double no2, double pm10, double pm25, double co95, double o390)
{
    struct ew_air_period p = { .year = 2019, .month = 0 };

    for (int i = 0; i < EW_AIR_NITEMS; i++)
        p.item[i] = (struct ew_air_stat){ .mean = NAN, .pct = NAN, .max = NAN, .valid = 1 };
    p.item[EW_AIR_SO2].mean = so2;
    p.item[EW_AIR_NO2].mean = no2;
    p.item[EW_AIR_PM10].mean = pm10;
    p.item[EW_AIR_PM25].mean = pm25;
    p.item[EW_AIR_CO].pct = co95;
    p.item[EW_AIR_O3_8H].pct = o390;
    return p;
}

static void
comprehensive_index_worked_example(void **state)
{
    /* reference/air.md section 5: 9/60 + 15/40 + 39/70 + 21/35 + 0.7/4 + 192/160 = 3.057. */
    struct ew_air_period p = period_of(9, 15, 39, 21, 0.7, 192);
    struct ew_air_ci ci;

    (void)state;
    assert_int_equal(EW_OK, ew_air_ci_compute(&p, &ci));
    assert_close(3.06, ew_air_round(ci.sum, 2), "I_sum");
    assert_close(1.2, ci.sub[EW_AIR_O3_8H], "I_O3");
    assert_close(0.175, ci.sub[EW_AIR_CO], "I_CO");
    assert_true(isnan(ci.sub[EW_AIR_O3_1H]));
    assert_int_equal(EW_AIR_O3_8H, ci.main_item);
    assert_int_equal(1, ci.valid);
    p.item[EW_AIR_PM25].valid = 0;
    assert_int_equal(EW_OK, ew_air_ci_compute(&p, &ci));
    assert_int_equal(0, ci.valid);
    p.item[EW_AIR_CO].pct = NAN;
    assert_int_equal(EW_ENODATA, ew_air_ci_compute(&p, &ci));
}

static void
change_between_periods(void **state)
{
    struct ew_air_period now = period_of(9, 15, 39, 21, 0.7, 192);
    struct ew_air_period prev = period_of(12, 15, 52, 28, 0.7, 192);
    struct ew_air_change c;
    double pct = 7;

    (void)state;
    assert_int_equal(EW_OK, ew_air_change_pct(8, 10, &pct));
    assert_close(-20, pct, "10 -> 8");
    assert_int_equal(EW_EINVAL, ew_air_change_pct(8, 0, &pct));
    assert_int_equal(EW_ENODATA, ew_air_change_pct(NAN, 10, &pct));
    assert_close(-20, pct, "untouched");
    now.good_share_pct = 80.5;
    prev.good_share_pct = 75.0;
    now.heavy_days = 2;
    prev.heavy_days = 5;
    assert_int_equal(EW_OK, ew_air_period_compare(&now, &prev, &c));
    assert_close(-25, c.mean_pct[EW_AIR_PM25], "PM2.5 28 -> 21");
    assert_close(-25, c.mean_pct[EW_AIR_SO2], "SO2 12 -> 9");
    assert_close(0, c.mean_pct[EW_AIR_NO2], "NO2");
    /* I_sum 3.0571 against 0.2 + 0.375 + 0.7429 + 0.8 + 0.175 + 1.2 = 3.4929: -12.48 %. */
    assert_close((3.0571428571428571 - 3.4928571428571429) / 3.4928571428571429 * 100,
                 c.ci_pct, "I_sum");
    assert_close(5.5, c.good_share_pp, "good share");
    assert_int_equal(-3, c.heavy_days_delta);
    assert_true(isnan(c.mean_pct[EW_AIR_O3_1H]));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rounding_is_half_to_even),
        cmocka_unit_test(full_day_gives_the_means),
        cmocka_unit_test(twenty_hours_make_a_day_nineteen_do_not),
        cmocka_unit_test(daily_means_round_half_to_even),
        cmocka_unit_test(o3_8h_is_the_best_window_ending_08_to_24),
        cmocka_unit_test(o3_8h_needs_14_windows_unless_above_the_limit),
        cmocka_unit_test(bad_hours_are_refused_and_out_untouched),
        cmocka_unit_test(station_mean_skips_missing_and_rounds),
        cmocka_unit_test(percentile_follows_appendix_a),
        cmocka_unit_test(month_statistics_and_27_day_validity),
        cmocka_unit_test(february_needs_25_days),
        cmocka_unit_test(days_by_level_good_and_heavy),
        cmocka_unit_test(year_needs_324_days_and_every_month),
        cmocka_unit_test(comprehensive_index_worked_example),
        cmocka_unit_test(change_between_periods),
    };
    return cmocka_run_group_tests_name("quality/airstats", tests, NULL, NULL);
}
