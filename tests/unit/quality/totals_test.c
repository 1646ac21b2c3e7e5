/* SPDX-License-Identifier: MIT */
/*
 * src/quality/totals.c: emission loads (reference/standards.md §4.1 example C4, §4.4 example
 * W1), CST period keys, the share of the year elapsed, the permitted-quantity check with
 * warning levels and projection (§6 example Q1), and `envwatch compliance totals`.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <envwatch/emission.h>
#include <envwatch/err.h>

#include "util/time.h"

static int64_t
at(const char *iso)
{
    int64_t t = 0;

    assert_int_equal(EW_OK, ew_time_parse_iso(iso, &t));
    return t;
}

static void
loads_follow_c4_and_w1(void **state)
{
    double kg = -1, day = 0;

    (void)state;
    /* C4: SO2 28 mg/m3 measured dry, Q_snd 378 464 m3/h -> 10.60 kg/h, 0.254 t per day. */
    assert_int_equal(EW_OK, ew_load_flue_kg(28, 378464, 1, &kg));
    assert_float_equal(10.597, kg, 0.001);
    for (int h = 0; h < 24; h++) {
        assert_int_equal(EW_OK, ew_load_flue_kg(28, 378464, 1, &kg));
        day += kg;
    }
    assert_float_equal(0.254, day / 1000, 0.0005);
    /* W1: 12 h × 200 m3 at 30 mg/L and 12 h × 150 m3 at 40 mg/L = 144 kg. */
    day = 0;
    for (int h = 0; h < 24; h++) {
        assert_int_equal(EW_OK, ew_load_water_kg(h < 12 ? 30 : 40, h < 12 ? 200 : 150, &kg));
        day += kg;
    }
    assert_float_equal(144.0, day, 1e-9);
    kg = 5;
    assert_int_equal(EW_EINVAL, ew_load_flue_kg(-1, 10, 1, &kg));
    assert_int_equal(EW_EINVAL, ew_load_water_kg(1, NAN, &kg));
    assert_float_equal(5, kg, 0);
}

static void
period_keys_are_cst(void **state)
{
    static const struct {
        const char *t;
        int         period;
        const char *want;
    } cases[] = {
        { "2018-12-31T15:59:59Z", EW_PERIOD_DAY, "2018-12-31" },
        { "2018-12-31T16:00:00Z", EW_PERIOD_DAY, "2019-01-01" },   /* CST midnight */
        { "2018-12-31T16:00:00Z", EW_PERIOD_YEAR, "2019" },
        { "2018-10-01T08:30", EW_PERIOD_HOUR, "2018-10-01T08" },
        { "2018-02-28T23:59", EW_PERIOD_MONTH, "2018-02" },
    };
    char key[16];
    int p = 0;

    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(cases); i++) {
        assert_int_equal(EW_OK, ew_period_key(at(cases[i].t), cases[i].period, key));
        assert_string_equal(cases[i].want, key);
    }
    assert_int_equal(EW_EINVAL, ew_period_key(0, 9, key));
    assert_int_equal(EW_OK, ew_period_parse("month", &p));
    assert_int_equal(EW_PERIOD_MONTH, p);
    assert_int_equal(EW_EFORMAT, ew_period_parse("week", &p));
}

static void
year_elapsed_is_cst_calendar(void **state)
{
    (void)state;
    assert_float_equal(0, ew_year_elapsed(at("2018-01-01")), 1e-12);
    assert_float_equal(273.0 / 365, ew_year_elapsed(at("2018-10-01")), 1e-12);
    assert_float_equal(182.0 / 366, ew_year_elapsed(at("2020-07-01")), 1e-12);
}

static void
quota_check_follows_q1(void **state)
{
    static const double levels[] = { 80, 90, 100 };
    static const struct {
        double emitted, quota, elapsed;
        int    level, over;
    } cases[] = {
        { 100, 120, 0.75, 1, 1 },   /* Q1: 83.3 % of the quota at 75 % of the year */
        { 60, 120, 0.75, 0, 0 },    /* 50 %, on pace */
        { 108, 120, 0.95, 2, 0 },   /* 90 % reached; projection 113.7 t stays under */
        { 120, 120, 1.0, 3, 0 },    /* exactly used up: the 100 % level, no overrun */
        { 130, 120, 1.0, 3, 1 },
    };
    struct ew_quota_status s;

    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(cases); i++) {
        assert_int_equal(EW_OK, ew_quota_check(cases[i].emitted, cases[i].quota,
                                               cases[i].elapsed, levels, 3, &s));
        if (s.level != cases[i].level || s.projected_over != cases[i].over)
            fail_msg("case %zu: level %d over %d", i, s.level, s.projected_over);
    }
    assert_int_equal(EW_OK, ew_quota_check(100, 120, 0.75, levels, 3, &s));
    assert_float_equal(83.33, s.used_pct, 0.005);
    assert_float_equal(133.33, s.projected, 0.005);
    assert_float_equal(83.33 / 75, s.pace, 0.001);
}

static void
bad_quota_arguments_are_refused(void **state)
{
    static const double unordered[] = { 90, 80 }, levels[] = { 80 };
    struct ew_quota_status s = { .level = 7 };

    (void)state;
    assert_int_equal(EW_EINVAL, ew_quota_check(1, 0, 0.5, levels, 1, &s));
    assert_int_equal(EW_EINVAL, ew_quota_check(-1, 10, 0.5, levels, 1, &s));
    assert_int_equal(EW_EINVAL, ew_quota_check(1, 10, 0, levels, 1, &s));
    assert_int_equal(EW_EINVAL, ew_quota_check(1, 10, 1.5, levels, 1, &s));
    assert_int_equal(EW_EINVAL, ew_quota_check(1, 10, 0.5, unordered, 2, &s));
    assert_int_equal(7, s.level);
}

/* ---- the CLI ---- */

static const char *
run(const char *args, const char *input, const char *quota)
{
    static char out[65536];
    char in_path[] = "/tmp/ew_totals_XXXXXX", q_path[] = "/tmp/ew_quota_XXXXXX", cmd[4096];
    int fd = mkstemp(in_path), st;
    FILE *f = fdopen(fd, "w"), *p;
    size_t n;

    assert_non_null(f);
    fputs(input, f);
    fclose(f);
    fd = mkstemp(q_path);
    f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(quota, f);
    fclose(f);
    assert_non_null(getenv("EW_BIN"));
    snprintf(cmd, sizeof(cmd), "'%s' compliance %s%s %s 2>&1", getenv("EW_BIN"), args,
             quota[0] ? q_path : "", in_path);
    p = popen(cmd, "r");
    assert_non_null(p);
    n = fread(out, 1, sizeof(out) - 1, p);
    out[n] = '\0';
    st = pclose(p);
    unlink(in_path);
    unlink(q_path);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        fail_msg("compliance %s: exit %d: %s", args, WEXITSTATUS(st), out);
    return out;
}

static void
cli_totals_per_day_enterprise_and_quota(void **state)
{
    static char in[200000];
    size_t len = 0;
    const char *out;

    (void)state;
    len += (size_t)snprintf(in, sizeof(in),
                            "mn,time,factor,value,flow_m3h,volume_m3,cou,flag,enterprise,"
                            "county\n");
    for (int h = 0; h < 48; h++) {
        /* Stack S1: C4 every hour (hour 47 in calibration); outlet W1: the W1 day twice;
         * S2 reports its own Cou of 5 kg per hour. */
        len += (size_t)snprintf(in + len, sizeof(in) - len,
                                "S1,2018-10-%02dT%02d:00,a21026,28,378464,,,%c,E1,平定县\n"
                                "W1,2018-10-%02dT%02d:00,w01018,%d,,%d,,N,E1,平定县\n"
                                "S2,2018-10-%02dT%02d:00,a21026,,,,5,N,E2,郊区\n",
                                1 + h / 24, h % 24, h == 47 ? 'C' : 'N', 1 + h / 24, h % 24,
                                h % 24 < 12 ? 30 : 40, h % 24 < 12 ? 200 : 150, 1 + h / 24,
                                h % 24);
    }
    out = run("totals --period day ", in, "");
    assert_non_null(strstr(out, "S1,a21026,2018-10-01,24,254.328,0.254328"));
    assert_non_null(strstr(out, "S1,a21026,2018-10-02,23,243.731,"));  /* C hour left out */
    assert_non_null(strstr(out, "W1,w01018,2018-10-02,24,144,0.144"));
    assert_non_null(strstr(out, "S2,a21026,2018-10-01,24,120,0.12"));
    out = run("totals --period month --by county ", in, "");
    assert_non_null(strstr(out, "平定县,a21026,2018-10,47,498.059,"));
    assert_non_null(strstr(out, "郊区,a21026,2018-10,48,240,0.24"));
    out = run("totals --as-of 2018-10-02T23:59 --levels 50,80 --quota ", in,
              "enterprise,factor,quota_t\nE1,a21026,0.6\nE2,a21026,0.3\nE3,a21026,1\n");
    assert_non_null(strstr(out, "E1,a21026,2018,0.498059,0.6,83"));
    assert_non_null(strstr(out, ",80,yes\n"));
    assert_non_null(strstr(out, "E2,a21026,2018,0.24,0.3,80,"));
    assert_non_null(strstr(out, "E3,a21026,2018,0,1,0,"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(loads_follow_c4_and_w1),
        cmocka_unit_test(period_keys_are_cst),
        cmocka_unit_test(year_elapsed_is_cst_calendar),
        cmocka_unit_test(quota_check_follows_q1),
        cmocka_unit_test(bad_quota_arguments_are_refused),
        cmocka_unit_test(cli_totals_per_day_enterprise_and_quota),
    };
    return cmocka_run_group_tests_name("quality/totals", tests, NULL, NULL);
}
