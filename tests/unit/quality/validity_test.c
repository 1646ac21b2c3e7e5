/* SPDX-License-Identifier: MIT */
/*
 * src/quality/validity.c: hourly values from minute values (HJ 76-2017 annex B, example C5),
 * the exclusion of every invalid flag, O2 correction of the hour (example C1), daily values,
 * wastewater flow-weighted daily values (example W1), monthly validity, and 传输有效率
 * (reference/standards.md §5, example T1), with the `compliance hourly` and `transmission`
 * commands.
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

#define T0 1538323200           /* 2018-10-01 00:00 CST */

static struct ew_value m[2000], o2[2000];
static struct ew_hour h[64];

/* n_valid minutes with flag N then n_bad with flag bad, in the hour starting at T0. */
static size_t
hour_of_minutes(int n_valid, int n_bad, char bad, double v)
{
    size_t n = 0;

    for (int i = 0; i < n_valid + n_bad; i++)
        m[n++] = (struct ew_value){ T0 + i * 60, v, NAN, NAN, i < n_valid ? 'N' : bad };
    return n;
}

static void
hour_needs_45_valid_minutes_c5(void **state)
{
    static const struct {
        int n_valid, n_bad;
        char bad;
        int want;
    } cases[] = {
        { 60, 0, 0, 1 }, { 50, 10, 'D', 1 }, { 45, 15, 'M', 1 }, { 44, 16, 'C', 0 },
        { 44, 0, 0, 0 },  /* only 44 minutes arrived */
        { 44, 16, 'F', 0 }, { 44, 16, 'B', 0 }, { 44, 16, 'D', 0 }, { 44, 16, 'M', 0 },
        { 44, 16, 'S', 1 }, { 44, 16, 'T', 1 },  /* S and T values count as valid */
    };
    struct ew_hourly_cfg cfg;

    (void)state;
    ew_hourly_cfg_default(&cfg);
    assert_int_equal(45, cfg.min_valid);
    for (size_t i = 0; i < EW_ARRAY_LEN(cases); i++) {
        size_t n = hour_of_minutes(cases[i].n_valid, cases[i].n_bad, cases[i].bad, 20), nh = 0;

        assert_int_equal(EW_OK, ew_hourly(m, n, NULL, 0, &cfg, h, 64, &nh));
        assert_int_equal(1, (int)nh);
        if (h[0].valid != cases[i].want)
            fail_msg("case %zu: %d valid of %d: valid=%d", i, h[0].n_valid, h[0].n_total,
                     h[0].valid);
        assert_int_equal(cases[i].n_valid + cases[i].n_bad, h[0].n_total);
        assert_int_equal(T0, h[0].t_unix_s);
        if (!cases[i].want)
            assert_true(isnan(h[0].corrected));
    }
}

static void
invalid_minutes_do_not_enter_the_mean(void **state)
{
    struct ew_hourly_cfg cfg;
    size_t n, nh = 0;

    (void)state;
    ew_hourly_cfg_default(&cfg);
    n = hour_of_minutes(50, 10, 'C', 30);
    for (size_t i = 50; i < n; i++)
        m[i].value = 900;                       /* calibration gas: must not count */
    m[0].value = 10;
    assert_int_equal(EW_OK, ew_hourly(m, n, NULL, 0, &cfg, h, 64, &nh));
    assert_float_equal((10 + 49 * 30) / 50.0, h[0].mean, 1e-9);
    assert_float_equal(h[0].mean, h[0].corrected, 0);
    assert_float_equal(10, h[0].min, 0);
    assert_float_equal(30, h[0].max, 0);
}

static void
hour_is_o2_corrected_or_uses_zsavg_c1(void **state)
{
    struct ew_hourly_cfg cfg = { 45, 6 };
    size_t n = hour_of_minutes(60, 0, 0, 28), nh = 0;

    (void)state;
    for (size_t i = 0; i < n; i++)
        o2[i] = (struct ew_value){ m[i].t_unix_s, 9.5, NAN, NAN, 'N' };
    assert_int_equal(EW_OK, ew_hourly(m, n, o2, n, &cfg, h, 64, &nh));
    assert_int_equal(1, h[0].valid);
    assert_float_equal(9.5, h[0].o2_pct, 1e-12);
    assert_float_equal(36.52, h[0].corrected, 0.005);     /* 28 × 15 / 11.5 */
    /* The instrument's ZsAvg wins when every valid minute has one. */
    for (size_t i = 0; i < n; i++)
        m[i].zs = 33;
    assert_int_equal(EW_OK, ew_hourly(m, n, o2, n, &cfg, h, 64, &nh));
    assert_float_equal(33, h[0].corrected, 1e-12);
    /* Without a valid O2 hour the value cannot be judged. */
    for (size_t i = 0; i < n; i++) {
        m[i].zs = NAN;
        o2[i].flag = i < 20 ? 'D' : 'N';
    }
    assert_int_equal(EW_OK, ew_hourly(m, n, o2, n, &cfg, h, 64, &nh));
    assert_int_equal(0, h[0].valid);
    assert_int_equal(EW_HOUR_NO_O2, h[0].reason);
}

static void
hours_split_on_the_clock_and_bad_series_are_refused(void **state)
{
    struct ew_hourly_cfg cfg;
    size_t n = 0, nh = 99;

    (void)state;
    ew_hourly_cfg_default(&cfg);
    for (int i = 0; i < 180; i++)               /* three hours; minute 70 sent twice */
        m[n++] = (struct ew_value){ T0 + i * 60, 5, NAN, NAN, 'N' };
    m[n++] = (struct ew_value){ T0 + 70 * 60, 5, NAN, NAN, 'N' };
    for (size_t i = n - 1; i > 71; i--) {
        struct ew_value tmp = m[i];

        m[i] = m[i - 1];
        m[i - 1] = tmp;
    }
    assert_int_equal(EW_OK, ew_hourly(m, n, NULL, 0, &cfg, h, 64, &nh));
    assert_int_equal(3, (int)nh);
    assert_int_equal(60, h[1].n_total);         /* the repeated minute counts once */
    assert_int_equal(T0 + 7200, h[2].t_unix_s);
    nh = 99;
    assert_int_equal(EW_ETOOBIG, ew_hourly(m, n, NULL, 0, &cfg, h, 2, &nh));
    m[5].t_unix_s = T0 - 60;
    assert_int_equal(EW_EINVAL, ew_hourly(m, n, NULL, 0, &cfg, h, 64, &nh));
    assert_int_equal(99, (int)nh);
    cfg.min_valid = 0;
    assert_int_equal(EW_EINVAL, ew_hourly(m, 1, NULL, 0, &cfg, h, 64, &nh));
}

static void
day_needs_20_valid_hours(void **state)
{
    struct ew_hour hours[48];
    struct ew_day d[4];
    size_t nd = 0;

    (void)state;
    for (int i = 0; i < 48; i++)
        hours[i] = (struct ew_hour){ .t_unix_s = T0 + i * 3600, .valid = (i < 24 ? i < 20
                                                                                 : i < 43),
                                     .mean = 10 + i, .corrected = 20 + i };
    assert_int_equal(EW_OK, ew_daily_from_hours(hours, 48, EW_DAY_MIN_HOURS, d, 4, &nd));
    assert_int_equal(2, (int)nd);
    assert_int_equal(1, d[0].valid);            /* 20 valid hours */
    assert_int_equal(20, d[0].n_valid);
    assert_float_equal(20 + 9.5, d[0].corrected, 1e-9);
    assert_float_equal(39, d[0].max, 0);
    assert_int_equal(0, d[1].valid);            /* 19 valid hours */
    assert_int_equal(19, d[1].n_valid);
    assert_int_equal(T0 + 86400, d[1].t_unix_s);
}

static void
wastewater_day_is_flow_weighted_w1(void **state)
{
    struct ew_value v[24];
    struct ew_day d[2];
    size_t nd = 0;

    (void)state;
    for (int i = 0; i < 24; i++)                /* W1: 12 h of 200 m3 at 30, 12 h of 150 at 40 */
        v[i] = (struct ew_value){ T0 + i * 3600, i < 12 ? 30 : 40, NAN, i < 12 ? 200 : 150,
                                  'N' };
    assert_int_equal(EW_OK, ew_daily_wastewater(v, 24, 24, 0.75, d, 2, &nd));
    assert_int_equal(1, (int)nd);
    assert_int_equal(1, d[0].valid);
    assert_float_equal(144.0, d[0].load_kg, 1e-9);
    assert_float_equal(34.29, d[0].mean, 0.005);         /* not the simple mean 35 */
    assert_float_equal(4200, d[0].volume_m3, 1e-9);
    /* Without volumes: the plain mean and no load. */
    for (int i = 0; i < 24; i++)
        v[i].cou = NAN;
    assert_int_equal(EW_OK, ew_daily_wastewater(v, 24, 24, 0.75, d, 2, &nd));
    assert_float_equal(35, d[0].mean, 1e-9);
    assert_true(isnan(d[0].load_kg));
    /* 17 valid of 24 expected is under 75 %: not a valid day; 18 is. */
    for (int i = 0; i < 24; i++)
        v[i].flag = i < 17 ? 'N' : 'D';
    assert_int_equal(EW_OK, ew_daily_wastewater(v, 24, 24, 0.75, d, 2, &nd));
    assert_int_equal(0, d[0].valid);
    v[17].flag = 'N';
    assert_int_equal(EW_OK, ew_daily_wastewater(v, 24, 24, 0.75, d, 2, &nd));
    assert_int_equal(1, d[0].valid);
}

static void
month_needs_25_valid_days_23_in_february(void **state)
{
    (void)state;
    assert_int_equal(1, ew_month_valid(10, 25));
    assert_int_equal(0, ew_month_valid(10, 24));
    assert_int_equal(1, ew_month_valid(2, 23));
    assert_int_equal(0, ew_month_valid(2, 22));
}

/* ---- 传输有效率 ---- */

static void
transmission_rate_follows_t1(void **state)
{
    static struct ew_value rec[800];
    struct ew_trans_count c;
    struct ew_trans_rate r;
    int64_t nov = T0 + 31 * 86400;              /* 2018-11-01 CST: 720 hours */
    size_t n = 0;

    (void)state;
    for (int i = 0; i < 700; i++)               /* 700 received, 35 of them invalid */
        rec[n++] = (struct ew_value){ nov + i * 3600, 12, NAN, NAN, i < 35 ? 'D' : 'N' };
    rec[n++] = (struct ew_value){ nov + 5 * 3600, 12, NAN, NAN, 'N' };     /* a re-send */
    rec[n++] = (struct ew_value){ nov - 3600, 12, NAN, NAN, 'N' };         /* October */
    assert_int_equal(EW_OK, ew_trans_count_month(2018, 11, rec, n, NULL, 0, &c));
    assert_int_equal(720, (int)c.expected);
    assert_int_equal(700, (int)c.received);
    assert_int_equal(666, (int)c.valid);        /* hour 5 re-sent valid */
    rec[n - 2].flag = 'D';
    assert_int_equal(EW_OK, ew_trans_count_month(2018, 11, rec, n, NULL, 0, &c));
    assert_int_equal(665, (int)c.valid);
    assert_int_equal(EW_OK, ew_trans_rates(&c, &r));
    assert_float_equal(97.2, r.transmission_pct, 0.05);
    assert_float_equal(95.0, r.validity_pct, 0.05);
    assert_float_equal(92.4, r.effective_pct, 0.05);
    assert_float_equal(r.transmission_pct * r.validity_pct / 100, r.effective_pct, 1e-9);
}

static void
reported_outages_leave_the_expected_count(void **state)
{
    static struct ew_value rec[800];
    struct ew_span stop = { T0 + 31 * 86400 + 700 * 3600, T0 + 62 * 86400 };
    struct ew_trans_count c, sum = { 0 };
    struct ew_trans_rate r;
    size_t n = 0;

    (void)state;
    for (int i = 0; i < 700; i++)
        rec[n++] = (struct ew_value){ T0 + 31 * 86400 + i * 3600, 1, NAN, NAN, 'N' };
    assert_int_equal(EW_OK, ew_trans_count_month(2018, 11, rec, n, &stop, 1, &c));
    assert_int_equal(700, (int)c.expected);     /* the last 20 hours were a reported stop */
    assert_int_equal(EW_OK, ew_trans_rates(&c, &r));
    assert_float_equal(100, r.effective_pct, 1e-9);
    ew_trans_add(&sum, &c);
    ew_trans_add(&sum, &(struct ew_trans_count){ 744, 0, 0 });
    assert_int_equal(EW_OK, ew_trans_rates(&sum, &r));
    assert_float_equal(100.0 * 700 / 1444, r.effective_pct, 1e-9);   /* pooled counts */
    assert_int_equal(EW_ENODATA, ew_trans_rates(&(struct ew_trans_count){ 0, 0, 0 }, &r));
    assert_int_equal(EW_EINVAL, ew_trans_count_month(2018, 13, rec, n, NULL, 0, &c));
}

static void
worst_performers_come_first(void **state)
{
    struct ew_trans_item it[4] = {
        { .id = "A", .count = { 720, 720, 720 } }, { .id = "B", .count = { 720, 600, 500 } },
        { .id = "C", .count = { 744, 620, 516 } }, { .id = "D", .count = { 0, 0, 0 } },
    };

    (void)state;
    for (int i = 0; i < 3; i++)
        assert_int_equal(EW_OK, ew_trans_rates(&it[i].count, &it[i].rate));
    it[3].rate = (struct ew_trans_rate){ NAN, NAN, NAN };
    ew_trans_rank(it, 4);
    assert_string_equal("C", it[0].id);         /* 69.35 % */
    assert_string_equal("B", it[1].id);         /* 69.44 % */
    assert_string_equal("A", it[2].id);
    assert_string_equal("D", it[3].id);         /* nothing expected: last */
}

/* ---- the CLI ---- */

static const char *
run(const char *args, const char *input)
{
    static char out[65536];
    char path[] = "/tmp/ew_validity_XXXXXX", cmd[4096];
    int fd = mkstemp(path), st;
    FILE *f = fdopen(fd, "w"), *p;
    size_t n;

    assert_non_null(f);
    fputs(input, f);
    fclose(f);
    assert_non_null(getenv("EW_BIN"));
    snprintf(cmd, sizeof(cmd), "cd '%s' && '%s' compliance %s %s 2>&1", getenv("EW_SRC"),
             getenv("EW_BIN"), args, path);
    p = popen(cmd, "r");
    assert_non_null(p);
    n = fread(out, 1, sizeof(out) - 1, p);
    out[n] = '\0';
    st = pclose(p);
    unlink(path);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        fail_msg("compliance %s: exit %d: %s", args, WEXITSTATUS(st), out);
    return out;
}

static void
cli_hourly_corrects_and_judges(void **state)
{
    static char in[200000];
    size_t len = 0;
    const char *out;

    (void)state;
    len += (size_t)snprintf(in, sizeof(in), "mn,time,factor,value,flag\n");
    for (int i = 0; i < 120; i++) {             /* hour 0 valid; hour 1 with 44 valid */
        char flag = i >= 60 && i < 76 ? 'C' : 'N';

        len += (size_t)snprintf(in + len, sizeof(in) - len,
                                "S1,20181101%02d%02d00,a21026,28,%c\nS1,20181101%02d%02d00,"
                                "a19001,9.5,N\n", i / 60, i % 60, flag, i / 60, i % 60);
    }
    out = run("hourly --profile GB13223-2011/coal-boiler --tiers existing,special,ultralow",
              in);
    assert_non_null(strstr(out, "S1,a21026,2018-11-01T00:00:00,60,60,yes,,28,9.5,36.5217,35,"
                                "yes,0.0434783"));
    assert_non_null(strstr(out, "S1,a21026,2018-11-01T01:00:00,44,60,no,few-minutes,28,,,35,"
                                "no,"));
}

static void
cli_transmission_by_point_and_county(void **state)
{
    static char in[100000];
    size_t len = 0;
    const char *out;

    (void)state;
    len += (size_t)snprintf(in, sizeof(in), "mn,time,factor,value,flag,enterprise,county\n");
    for (int d = 1; d <= 30; d++)
        for (int hr = 0; hr < 24; hr++) {
            /* P1 misses the last 20 hours and has 35 invalid; P2 is complete. */
            int k = (d - 1) * 24 + hr;

            if (k < 700)
                len += (size_t)snprintf(in + len, sizeof(in) - len,
                                        "P1,2018-11-%02dT%02d:00,a21026,1,%c,E1,盂县\n", d, hr,
                                        k < 35 ? 'D' : 'N');
            len += (size_t)snprintf(in + len, sizeof(in) - len,
                                    "P2,2018-11-%02dT%02d:00,a21026,1,N,E2,盂县\n", d, hr);
        }
    out = run("transmission --month 2018-11 --worst 1", in);
    assert_non_null(strstr(out, "P1,a21026,E1,盂县,720,700,665,97.2,95,92.4,yes"));
    assert_null(strstr(out, "P2,"));
    out = run("transmission --month 2018-11 --by county --threshold 97", in);
    assert_non_null(strstr(out, "盂县,2,1440,1420,1385,98.6,97.5,96.2,no"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hour_needs_45_valid_minutes_c5),
        cmocka_unit_test(invalid_minutes_do_not_enter_the_mean),
        cmocka_unit_test(hour_is_o2_corrected_or_uses_zsavg_c1),
        cmocka_unit_test(hours_split_on_the_clock_and_bad_series_are_refused),
        cmocka_unit_test(day_needs_20_valid_hours),
        cmocka_unit_test(wastewater_day_is_flow_weighted_w1),
        cmocka_unit_test(month_needs_25_valid_days_23_in_february),
        cmocka_unit_test(transmission_rate_follows_t1),
        cmocka_unit_test(reported_outages_leave_the_expected_count),
        cmocka_unit_test(worst_performers_come_first),
        cmocka_unit_test(cli_hourly_corrects_and_judges),
        cmocka_unit_test(cli_transmission_by_point_and_county),
    };
    return cmocka_run_group_tests_name("quality/validity", tests, NULL, NULL);
}
