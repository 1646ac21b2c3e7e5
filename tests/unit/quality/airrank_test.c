/* SPDX-License-Identifier: MIT */
/*
 * src/quality/airrank.c: rankings with ties on the published precision, and progress
 * towards the annual targets (PM2.5 mean, good-day share, heavy days).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <envwatch/air.h>
#include <envwatch/err.h>

static void
ties_share_a_rank_and_missing_values_are_unranked(void **state)
{
    /* Rounded to 2 decimals: 3.06 3.06 2.50 NaN 3.06 -> ranks 2 2 1 0 2. */
    const double ci[] = { 3.061, 3.058, 2.5, NAN, 3.06 };
    int rank[5];
    size_t order[5];

    (void)state;
    assert_int_equal(EW_OK, ew_air_rank(ci, 5, 2, rank, order));
    assert_int_equal(2, rank[0]);
    assert_int_equal(2, rank[1]);
    assert_int_equal(1, rank[2]);
    assert_int_equal(0, rank[3]);
    assert_int_equal(2, rank[4]);
    /* Best first, equals in input order, unranked last. */
    assert_int_equal(2, order[0]);
    assert_int_equal(0, order[1]);
    assert_int_equal(1, order[2]);
    assert_int_equal(4, order[3]);
    assert_int_equal(3, order[4]);
}

static void
competition_ranking_skips_after_ties(void **state)
{
    /* PM2.5 means at integer precision: 35.4 -> 35, 35.5 -> 36 (half to even), 36. */
    const double pm[] = { 36, 35.5, 35.4, 40, 36.4 };
    int rank[5];

    (void)state;
    assert_int_equal(EW_OK, ew_air_rank(pm, 5, 0, rank, NULL));
    assert_int_equal(2, rank[0]);
    assert_int_equal(2, rank[1]);
    assert_int_equal(1, rank[2]);
    assert_int_equal(5, rank[3]);
    assert_int_equal(2, rank[4]);
    assert_int_equal(EW_OK, ew_air_rank(pm, 0, 0, rank, NULL));
    assert_int_equal(EW_EINVAL, ew_air_rank(pm, 5, 7, rank, NULL));
    assert_int_equal(EW_EINVAL, ew_air_rank(NULL, 5, 0, rank, NULL));
}

/* Rank = 1 + the number of strictly better values: checked by brute force on many values. */
static void
ranks_match_their_definition_on_many_values(void **state)
{
    enum { N = 1000 };
    static double v[N];
    static int rank[N];
    static size_t order[N];

    (void)state;
    for (int i = 0; i < N; i++)
        v[i] = i % 97 == 0 ? NAN : (double)((i * 389) % 211) / 10;    /* many ties */
    assert_int_equal(EW_OK, ew_air_rank(v, N, 0, rank, order));
    for (int i = 0; i < N; i++) {
        int better = 0;
        if (isnan(v[i])) {
            assert_int_equal(0, rank[i]);
            continue;
        }
        for (int k = 0; k < N; k++)
            better += !isnan(v[k]) && ew_air_round(v[k], 0) < ew_air_round(v[i], 0);
        if (rank[i] != better + 1)
            fail_msg("value %g: rank %d, want %d", v[i], rank[i], better + 1);
    }
    for (int i = 1; i < N; i++) {
        double a = ew_air_round(v[order[i - 1]], 0), b = ew_air_round(v[order[i]], 0);
        assert_true(isnan(b) || (!isnan(a) && (a < b || (a == b && order[i - 1] < order[i]))));
    }
}

/* n days of 2019, every day with PM2.5 = pm25 (and nothing else). */
static struct ew_air_day *
days_of(size_t n, double pm25)
{
    struct ew_air_day *d = malloc((n ? n : 1) * sizeof(*d));

    assert_non_null(d);
    for (size_t i = 0; i < n; i++) {
        ew_air_day_clear(&d[i]);
        d[i].pm25_ugm3 = pm25;
    }
    return d;
}

static void
targets_on_track_and_behind(void **state)
{
    const struct ew_air_target t = { 35, 80, 5 };
    struct ew_air_day *d = days_of(100, 40);    /* AQI 57: good, not heavy */
    struct ew_air_target_progress p;

    (void)state;
    assert_int_equal(EW_OK, ew_air_target_progress(&t, d, 100, 2019, &p));
    assert_int_equal(100, p.days_elapsed);
    assert_int_equal(265, p.days_left);
    assert_int_equal(100, p.pm25_days);
    assert_true(fabs(p.pm25_ytd_ugm3 - 40) < 1e-9);
    /* (35 x 365 - 4000) / 265 = 33.11 */
    assert_true(fabs(p.pm25_needed_ugm3 - (35.0 * 365 - 4000) / 265) < 1e-9);
    assert_int_equal(EW_TARGET_BEHIND, p.pm25_status);
    /* ceil(0.8 x 365) = 292 good days in all: 192 more among 265. */
    assert_int_equal(100, p.good_days);
    assert_int_equal(192, p.good_days_needed);
    assert_true(fabs(p.good_share_needed_pct - 19200.0 / 265) < 1e-9);
    assert_int_equal(EW_TARGET_ON_TRACK, p.good_status);
    assert_int_equal(0, p.heavy_days);
    assert_int_equal(5, p.heavy_days_left);
    assert_int_equal(EW_TARGET_ON_TRACK, p.heavy_status);
    assert_string_equal("behind", ew_air_target_status_name(p.pm25_status));
    free(d);
}

static void
targets_missed_when_the_rest_of_the_year_cannot_help(void **state)
{
    const struct ew_air_target t = { 35, 80, 5 };
    struct ew_air_day *d = days_of(300, 200);   /* AQI 250: heavy every day */
    struct ew_air_target_progress p;

    (void)state;
    assert_int_equal(EW_OK, ew_air_target_progress(&t, d, 300, 2019, &p));
    assert_true(p.pm25_needed_ugm3 < 0);
    assert_int_equal(EW_TARGET_MISSED, p.pm25_status);
    assert_int_equal(292, p.good_days_needed);  /* more than the 65 days left */
    assert_int_equal(EW_TARGET_MISSED, p.good_status);
    assert_int_equal(300, p.heavy_days);
    assert_int_equal(0, p.heavy_days_left);
    assert_int_equal(EW_TARGET_MISSED, p.heavy_status);
    free(d);
}

static void
targets_met_early_and_at_year_end(void **state)
{
    const struct ew_air_target t = { 35, 80, 5 };
    const struct ew_air_target none = { NAN, NAN, -1 };
    struct ew_air_day *d = days_of(365, 30);
    struct ew_air_target_progress p;

    (void)state;
    /* 292 good days reached on day 292: the good-day target is secured. */
    assert_int_equal(EW_OK, ew_air_target_progress(&t, d, 292, 2019, &p));
    assert_int_equal(0, p.good_days_needed);
    assert_int_equal(EW_TARGET_MET, p.good_status);
    assert_int_equal(EW_TARGET_ON_TRACK, p.pm25_status);
    assert_int_equal(EW_OK, ew_air_target_progress(&t, d, 365, 2019, &p));
    assert_int_equal(0, p.days_left);
    assert_int_equal(EW_TARGET_MET, p.pm25_status);
    assert_int_equal(EW_TARGET_MET, p.heavy_status);
    assert_true(isnan(p.pm25_needed_ugm3));
    assert_true(isnan(p.good_share_needed_pct));
    assert_int_equal(EW_OK, ew_air_target_progress(&none, d, 10, 2019, &p));
    assert_int_equal(EW_TARGET_NONE, p.pm25_status);
    assert_int_equal(EW_TARGET_NONE, p.good_status);
    assert_int_equal(EW_TARGET_NONE, p.heavy_status);
    assert_int_equal(-1, p.heavy_days_left);
    assert_int_equal(EW_EINVAL, ew_air_target_progress(&t, d, 366, 2019, &p));
    assert_int_equal(EW_OK, ew_air_target_progress(&t, d, 0, 2020, &p));
    assert_int_equal(366, p.days_left);
    assert_true(isnan(p.pm25_ytd_ugm3));
    free(d);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ties_share_a_rank_and_missing_values_are_unranked),
        cmocka_unit_test(competition_ranking_skips_after_ties),
        cmocka_unit_test(ranks_match_their_definition_on_many_values),
        cmocka_unit_test(targets_on_track_and_behind),
        cmocka_unit_test(targets_missed_when_the_rest_of_the_year_cannot_help),
        cmocka_unit_test(targets_met_early_and_at_year_end),
    };
    return cmocka_run_group_tests_name("quality/airrank", tests, NULL, NULL);
}
