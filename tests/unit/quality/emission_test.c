/* SPDX-License-Identifier: MIT */
/*
 * src/quality/{emission,standards,detect}.c: the reference-O2 correction and flue-gas
 * conversions (reference/standards.md §4.1 and examples C1-C4), the standard table in
 * data/standards and the resolution of an outlet's limit, exceedance events, every alarm
 * detection rule, and the `envwatch compliance standards|limit|alarms` commands.
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

/* ---- conversions ---- */

static void
o2_correction_follows_examples_c1_to_c3(void **state)
{
    static const struct {
        double conc, o2, ref, want;
    } cases[] = {
        { 28, 9.5, 6, 36.52 },      /* C1: coal unit, over the ultra-low 35 after correction */
        { 180, 12, 9, 240.0 },      /* C2: GB 13271 coal boiler, over the special 200 */
        { 300, 12, 10, 366.7 },     /* C3: cement kiln, under 400, over the special 320 */
        { 50, 6, 6, 50.0 },         /* at the reference O2 nothing changes */
        { 100, 3, 9, 66.67 },       /* below the reference O2 the value goes down */
    };

    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(cases); i++) {
        double got = -1;

        assert_int_equal(EW_OK, ew_o2_correct(cases[i].conc, cases[i].o2, cases[i].ref, &got));
        assert_float_equal(cases[i].want, got, 0.05);    /* the digits the reference shows */
    }
}

static void
o2_correction_refuses_impossible_oxygen(void **state)
{
    double got = 7;

    (void)state;
    assert_int_equal(EW_EINVAL, ew_o2_correct(10, 21, 6, &got));
    assert_int_equal(EW_EINVAL, ew_o2_correct(10, -1, 6, &got));
    assert_int_equal(EW_EINVAL, ew_o2_correct(10, 9, 21, &got));
    assert_int_equal(EW_EINVAL, ew_o2_correct(-1, 9, 6, &got));
    assert_int_equal(EW_EINVAL, ew_o2_correct(NAN, 9, 6, &got));
    assert_float_equal(7, got, 0);
}

static void
flow_and_unit_conversions_follow_c4(void **state)
{
    double q = 0, kg = 0, c = 0;

    (void)state;
    /* C4: 500 000 m3/h at 50 °C, static −500 Pa, 10 % moisture, 101 325 Pa ambient. */
    assert_int_equal(EW_OK, ew_flow_std_dry(500000, 50, 101325, -500, 10, &q));
    assert_float_equal(378464, q, 1);
    assert_int_equal(EW_OK, ew_load_flue_kg(28, q, 1, &kg));
    assert_float_equal(10.60, kg, 0.005);
    assert_int_equal(EW_OK, ew_load_flue_kg(28, q, 24, &kg));
    assert_float_equal(254.4, kg, 0.5);         /* 0.254 t per 24 valid hours */
    assert_int_equal(EW_OK, ew_ppm_to_mgm3(100, 64, &c));
    assert_float_equal(285.7, c, 0.05);         /* SO2: × 2.86 */
    assert_int_equal(EW_OK, ew_ppm_to_mgm3(100, 46, &c));
    assert_float_equal(205.4, c, 0.05);         /* NO2: × 2.05 */
    assert_int_equal(EW_OK, ew_nox_as_no2(30, 5, &c));
    assert_float_equal(51.0, c, 1e-9);          /* NO × 46/30 + NO2 */
    assert_int_equal(EW_OK, ew_conc_dry(90, 10, &c));
    assert_float_equal(100, c, 1e-9);
    assert_int_equal(EW_EINVAL, ew_conc_dry(90, 100, &c));
    assert_int_equal(EW_EINVAL, ew_flow_std_dry(1, -300, 101325, 0, 0, &q));
}

static void
flags_follow_hj212_table_8(void **state)
{
    static const struct {
        char flag;
        int  valid;
    } cases[] = { { 'N', 1 }, { 0, 1 }, { 'S', 1 }, { 'T', 1 }, { 'n', 1 }, { 'F', 0 },
                  { 'M', 0 }, { 'D', 0 }, { 'C', 0 }, { 'B', 0 }, { 'P', 0 }, { 'X', 0 } };

    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(cases); i++)
        if (ew_flag_valid(cases[i].flag) != cases[i].valid)
            fail_msg("flag '%c': %d", cases[i].flag, ew_flag_valid(cases[i].flag));
}

/* ---- the standard table ---- */

static struct ew_std_table *
load_shipped(void)
{
    static const char *files[] = { "flue_gas.csv", "wastewater.csv" };
    const char *src = getenv("EW_SRC");
    struct ew_std_table *t = NULL;
    char path[4096];

    assert_non_null(src);
    assert_int_equal(EW_OK, ew_std_table_create(&t));
    for (size_t i = 0; i < EW_ARRAY_LEN(files); i++) {
        FILE *f;
        size_t line = 0;

        snprintf(path, sizeof(path), "%s/data/standards/%s", src, files[i]);
        f = fopen(path, "r");
        assert_non_null(f);
        if (ew_std_table_load(t, f, &line) != EW_OK)
            fail_msg("%s:%zu does not load", path, line);
        fclose(f);
    }
    return t;
}

static int64_t
day(const char *iso)
{
    int64_t t = 0;

    assert_int_equal(EW_OK, ew_time_parse_iso(iso, &t));
    return t;
}

static void
shipped_table_has_a_source_for_every_number(void **state)
{
    struct ew_std_table *t = load_shipped();
    int profiles_2_26 = 0;

    (void)state;
    assert_true(ew_std_table_count(t) > 150);
    for (size_t i = 0; i < ew_std_table_count(t); i++) {
        const struct ew_std_limit *r = ew_std_table_row(t, i);

        assert_true(strlen(r->source) > 10);
        assert_non_null(strchr("VSM", r->confidence));
        assert_true(r->limit > 0);
        profiles_2_26 += strcmp(r->tier, "special") == 0;
    }
    assert_true(profiles_2_26 > 30);
    ew_std_table_destroy(t);
}

struct resolve_case {
    const char *profile, *tiers, *conds, *pollutant, *at;
    double      want, want_o2;
    int         want_avg;
};

static const struct resolve_case resolve_cases[] = {
    /* The 2+26 special limits take over from 2018-10-01 (环境保护部公告2018年第9号). */
    { "GB13271-2014/coal", "existing,special", NULL, "a21026", "2018-09-30", 400, 9, 1 },
    { "GB13271-2014/coal", "existing,special", NULL, "a21026", "2018-10-01", 200, 9, 1 },
    { "GB13271-2014/gas", "new,special", NULL, "a21002", "2019-01-01", 150, 3.5, 1 },
    /* Coal power: ultra-low is the strictest when bound. */
    { "GB13223-2011/coal-boiler", "existing,special,ultralow", NULL, "a21026", "2018-11-01",
      35, 6, 1 },
    { "GB13223-2011/coal-boiler", "existing", NULL, "a21002", "2016-01-01", 100, 6, 1 },
    { "GB13223-2011/coal-boiler", "existing", "legacy-nox", "a21002", "2016-01-01", 200, 6,
      1 },
    { "GB13223-2011/gas-turbine", "existing", NULL, "a21002", "2016-01-01", 50, 15, 1 },
    /* Existing coking plants of 2+26 follow only from 2019-10-01. */
    { "GB16171-2012/coke-oven", "existing,special", NULL, "a21026", "2019-06-01", 50, 8, 1 },
    { "GB16171-2012/coke-oven", "existing,special", NULL, "a21026", "2019-10-01", 30, 8, 1 },
    { "GB4915-2013/kiln", "existing,special", NULL, "a21002", "2018-12-01", 320, 10, 1 },
    { "GB4915-2013/grinding", "existing", NULL, "a34013", "2018-12-01", 20, NAN, 1 },
    /* GB 18918: daily means; bracketed NH3-N at <= 12 °C; TP by construction date. */
    { "GB18918-2002/wwtp", "1A", NULL, "w21011", "2018-06-01", 0.5, NAN, 2 },
    { "GB18918-2002/wwtp", "1A", "pre2006", "w21011", "2018-06-01", 1.0, NAN, 2 },
    { "GB18918-2002/wwtp", "1B", NULL, "w21003", "2018-06-01", 8, NAN, 2 },
    { "GB18918-2002/wwtp", "1B", "cold", "w21003", "2018-06-01", 15, NAN, 2 },
    { "GB18918-2002/wwtp", "1B", NULL, "w20116", "2018-06-01", 0.1, NAN, 2 },
};

static void
outlet_limit_is_the_strictest_bound_tier_in_force(void **state)
{
    struct ew_std_table *t = load_shipped();

    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(resolve_cases); i++) {
        const struct resolve_case *c = &resolve_cases[i];
        struct ew_std_binding b = { c->profile, c->tiers, c->conds, NULL, 0 };
        struct ew_limit l;

        if (ew_std_resolve(t, &b, c->pollutant, day(c->at), &l) != EW_OK)
            fail_msg("case %zu (%s %s) not resolved", i, c->profile, c->pollutant);
        if (l.limit != c->want)
            fail_msg("case %zu (%s %s %s): %g, want %g", i, c->profile, c->tiers, c->pollutant,
                     l.limit, c->want);
        if (isnan(c->want_o2))
            assert_true(isnan(l.ref_o2_pct));
        else
            assert_float_equal(c->want_o2, l.ref_o2_pct, 1e-9);
        assert_int_equal(c->want_avg, l.averaging);
        assert_non_null(l.row);
    }
    ew_std_table_destroy(t);
}

static void
permits_tighten_and_missing_limits_are_not_found(void **state)
{
    struct ew_std_table *t = load_shipped();
    struct ew_permit_limit tight = { "w01018", 40 }, loose = { "w01018", 80 };
    struct ew_std_binding b = { "GB18918-2002/wwtp", "1A", NULL, &tight, 1 };
    struct ew_limit l = { .limit = -1 };

    (void)state;
    assert_int_equal(EW_OK, ew_std_resolve(t, &b, "w01018", day("2018-06-01"), &l));
    assert_float_equal(40, l.limit, 0);
    assert_null(l.row);
    b.permit = &loose;
    assert_int_equal(EW_OK, ew_std_resolve(t, &b, "w01018", day("2018-06-01"), &l));
    assert_float_equal(50, l.limit, 0);          /* a looser permit does not loosen */
    assert_int_equal(EW_ENOTFOUND, ew_std_resolve(t, &b, "a21026", day("2018-06-01"), &l));
    b.profile = "GB0000-0000/none";
    assert_int_equal(EW_ENOTFOUND, ew_std_resolve(t, &b, "w01018", day("2018-06-01"), &l));
    b.profile = "GB4915-2013/kiln";
    b.tiers = "existing";
    assert_int_equal(EW_ENOTFOUND, ew_std_resolve(t, &b, "a21026", day("2015-01-01"), &l));
    ew_std_table_destroy(t);
}

static const char header[] =
    "profile,pollutant,tier,cond,limit,limit_lo,unit,ref_o2_pct,averaging,from,confidence,"
    "source\n";

static int
load_text(struct ew_std_table *t, const char *body, size_t *line)
{
    char text[2048];
    FILE *f;
    int rc;

    snprintf(text, sizeof(text), "%s%s", header, body);
    f = fmemopen(text, strlen(text), "r");
    assert_non_null(f);
    rc = ew_std_table_load(t, f, line);
    fclose(f);
    return rc;
}

static void
bad_standard_rows_are_refused_with_their_line(void **state)
{
    static const struct {
        const char *body;
        int         rc;
        size_t      line;
    } cases[] = {
        { "P/x,a21026,new,,abc,,mg/m3,6,hour,2012-01-01,V,src\n", EW_EFORMAT, 2 },
        { "P/x,a21026,new,,100,,mg/m3,6,hour,2012-01-01,V,\n", EW_EFORMAT, 2 },
        { "P/x,a21026,new,,100,,mg/m3,6,week,2012-01-01,V,src\n", EW_EFORMAT, 2 },
        { "P/x,a21026,new,,100,,mg/m3,6,hour,2012-13-01,V,src\n", EW_EFORMAT, 2 },
        { "P/x,a21026,new,,100,,mg/m3,6,hour,2012-01-01,Q,src\n", EW_EFORMAT, 2 },
        { "P/x,a21026,new,,100,,mg/m3,25,hour,2012-01-01,V,src\n", EW_EFORMAT, 2 },
        { "P/x,a21026,new,,100,,mg/m3,6,hour,2012-01-01,V,src\n"
          "P/x,a21002,new,,100,,mg/m3,9,hour,2012-01-01,V,src\n", EW_EFORMAT, 3 },
        { "P/x,a21026,new,,100,,mg/m3,6,hour,2012-01-01,V,src\n"
          "P/x,a21026,new,,90,,mg/m3,6,hour,2012-01-01,V,src\n", EW_EEXIST, 3 },
    };
    struct ew_std_table *t = NULL;

    (void)state;
    assert_int_equal(EW_OK, ew_std_table_create(&t));
    assert_int_equal(EW_OK, load_text(t, "Q/y,a34013,all,,10,,mg/m3,,day,,M,src\n", NULL));
    for (size_t i = 0; i < EW_ARRAY_LEN(cases); i++) {
        size_t line = 0;

        assert_int_equal(cases[i].rc, load_text(t, cases[i].body, &line));
        assert_int_equal(cases[i].line, line);
        assert_int_equal(1, (int)ew_std_table_count(t));   /* earlier rows only */
    }
    ew_std_table_destroy(t);
}

/* ---- exceedance and detection ---- */

#define T0 1538323200           /* 2018-10-01 00:00 CST */

struct events {
    struct ew_alarm_event e[16];
    size_t                n;
};

static int
collect(void *ctx, const struct ew_alarm_event *e)
{
    struct events *ev = ctx;

    if (ev->n < EW_ARRAY_LEN(ev->e))
        ev->e[ev->n++] = *e;
    return 0;
}

static void
hour_at(struct ew_hour *h, int k, int valid, double v)
{
    *h = (struct ew_hour){ .t_unix_s = T0 + k * 3600, .valid = valid, .mean = v,
                           .corrected = v };
}

static void
exceedance_runs_have_start_end_peak_and_multiple(void **state)
{
    static const double v[] = { 30, 60, 75, 40, 55, 55, 55, 20, 70 };
    static const int valid[] = { 1, 1, 1, 1, 1, 0, 1, 1, 1 };
    struct ew_hour h[EW_ARRAY_LEN(v)];
    struct ew_limit lim = { .limit = 50, .limit_lo = NAN, .ref_o2_pct = 6 };
    struct events ev = { .n = 0 };

    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(v); i++)
        hour_at(&h[i], (int)i, valid[i], v[i]);
    assert_int_equal(EW_OK, ew_exceed_hours(h, EW_ARRAY_LEN(v), &lim, collect, &ev));
    assert_int_equal(4, (int)ev.n);
    /* Hours 1-2: peak 75 at hour 2, multiple 0.5. */
    assert_int_equal(EW_ALARM_EXCEED, ev.e[0].kind);
    assert_int_equal(T0 + 3600, ev.e[0].start_unix_s);
    assert_int_equal(T0 + 3 * 3600, ev.e[0].end_unix_s);
    assert_int_equal(T0 + 2 * 3600, ev.e[0].peak_unix_s);
    assert_float_equal(75, ev.e[0].peak, 0);
    assert_float_equal(0.5, ev.e[0].multiple, 1e-12);
    assert_int_equal(2, ev.e[0].n);
    assert_int_equal(0, ev.e[0].open);
    /* The invalid hour 5 splits 4 and 6 into two events. */
    assert_int_equal(T0 + 4 * 3600, ev.e[1].start_unix_s);
    assert_int_equal(1, ev.e[1].n);
    assert_int_equal(T0 + 6 * 3600, ev.e[2].start_unix_s);
    /* The last hour exceeds: the event is still open. */
    assert_int_equal(1, ev.e[3].open);
    assert_float_equal(0.4, ev.e[3].multiple, 1e-12);
}

static void
daily_exceedance_and_ph_floor(void **state)
{
    struct ew_day d[3] = {
        { .t_unix_s = T0, .valid = 1, .corrected = 7.0 },
        { .t_unix_s = T0 + 86400, .valid = 1, .corrected = 5.5 },
        { .t_unix_s = T0 + 2 * 86400, .valid = 1, .corrected = 9.4 },
    };
    struct ew_limit ph = { .limit = 9, .limit_lo = 6, .ref_o2_pct = NAN };
    struct events ev = { .n = 0 };

    (void)state;
    assert_int_equal(EW_OK, ew_exceed_days(d, 3, &ph, collect, &ev));
    assert_int_equal(1, (int)ev.n);             /* days 2 and 3 are consecutive */
    assert_int_equal(2, ev.e[0].n);
    assert_int_equal(T0 + 3 * 86400, ev.e[0].end_unix_s);
    assert_float_equal(5.5, ev.e[0].peak, 0);   /* 0.5 below 6 is farther than 0.4 above 9 */
    assert_float_equal(6, ev.e[0].limit, 0);
    assert_true(isnan(ev.e[0].multiple));
}

/* A minute series: n minutes from T0 + start minutes, value v, flag f. */
static size_t
minutes(struct ew_value *m, size_t at, int start, int n, double v, char f)
{
    for (int i = 0; i < n; i++)
        m[at + (size_t)i] = (struct ew_value){ T0 + (int64_t)(start + i) * 60, v, NAN, NAN, f };
    return at + (size_t)n;
}

struct detect_case {
    const char *name;
    struct { int start, n; double v; char flag; } runs[4];
    double range_hi;
    int    want_kind;           /* EW_ALARM_NONE: no event expected */
    int    want_n;              /* records in the event */
};

/* Flue-gas defaults: offline 1 h, constant 2 h, zero 1 h, fault 1 h, maintenance 4 h. */
static const struct detect_case detect_cases[] = {
    { "constant 130 min", { { 0, 130, 12.3, 'N' } }, NAN, EW_ALARM_CONSTANT, 130 },
    { "constant 100 min", { { 0, 100, 12.3, 'N' } }, NAN, EW_ALARM_NONE, 0 },
    { "zero 61 min", { { 0, 10, 5, 'N' }, { 10, 61, 0, 'N' }, { 71, 5, 5, 'N' } }, NAN,
      EW_ALARM_ZERO, 61 },
    { "negative 60 min", { { 0, 60, -0.5, 'N' }, { 60, 5, 3, 'N' } }, NAN, EW_ALARM_ZERO, 60 },
    { "zero 59 min", { { 0, 59, 0, 'N' }, { 59, 5, 4, 'N' } }, NAN, EW_ALARM_NONE, 0 },
    { "over range", { { 0, 5, 10, 'N' }, { 5, 3, 2500, 'N' }, { 8, 5, 10, 'N' } }, 2000,
      EW_ALARM_RANGE, 3 },
    { "flag T", { { 0, 5, 10, 'N' }, { 5, 2, 1999, 'T' }, { 7, 5, 11, 'N' } }, NAN,
      EW_ALARM_RANGE, 2 },
    { "fault 61 min", { { 0, 5, 10, 'N' }, { 5, 61, 10, 'D' }, { 66, 5, 11, 'N' } }, NAN,
      EW_ALARM_FAULT, 61 },
    { "comm fault 30 min", { { 0, 5, 10, 'N' }, { 5, 30, 10, 'B' }, { 35, 5, 11, 'N' } }, NAN,
      EW_ALARM_NONE, 0 },
    { "calibration 5 h", { { 0, 300, 10, 'C' }, { 300, 5, 11, 'N' } }, NAN, EW_ALARM_MAINT,
      300 },
    { "maintenance 3 h", { { 0, 180, 10, 'M' }, { 180, 5, 11, 'N' } }, NAN, EW_ALARM_NONE, 0 },
    { "offline 2 h", { { 0, 10, 10, 'N' }, { 130, 10, 11, 'N' } }, NAN, EW_ALARM_OFFLINE,
      120 },
    { "gap of 1 h", { { 0, 10, 10, 'N' }, { 70, 10, 11, 'N' } }, NAN, EW_ALARM_NONE, 0 },
};

static void
each_detection_rule_fires_past_its_threshold(void **state)
{
    static struct ew_value m[512];
    struct ew_alarm_rules rules;

    (void)state;
    assert_int_equal(EW_OK, ew_alarm_rules_default("flue", &rules));
    for (size_t i = 0; i < EW_ARRAY_LEN(detect_cases); i++) {
        const struct detect_case *c = &detect_cases[i];
        struct events ev = { .n = 0 };
        struct ew_detect_input in = { m, 0, NAN, c->range_hi, 0 };

        for (size_t r = 0; r < 4 && c->runs[r].n > 0; r++)
            in.n = minutes(m, in.n, c->runs[r].start, c->runs[r].n, c->runs[r].v,
                           c->runs[r].flag);
        in.now_unix_s = m[in.n - 1].t_unix_s + 60;
        assert_int_equal(EW_OK, ew_detect(&in, &rules, collect, &ev));
        if (c->want_kind == EW_ALARM_NONE) {
            if (ev.n != 0)
                fail_msg("%s: unexpected %s event", c->name, ew_alarm_kind_name(ev.e[0].kind));
            continue;
        }
        if (ev.n != 1 || ev.e[0].kind != c->want_kind || ev.e[0].n != c->want_n)
            fail_msg("%s: %zu events, first %s with %d records", c->name, ev.n,
                     ev.n ? ew_alarm_kind_name(ev.e[0].kind) : "-", ev.n ? ev.e[0].n : 0);
    }
}

static void
detection_events_carry_times_peaks_and_open_state(void **state)
{
    static struct ew_value m[256];
    struct ew_alarm_rules rules;
    struct events ev = { .n = 0 };
    struct ew_detect_input in = { m, 0, 0, 2000, 0 };
    size_t n;

    (void)state;
    assert_int_equal(EW_OK, ew_alarm_rules_default("flue", &rules));
    n = minutes(m, 0, 0, 10, 10, 'N');
    n = minutes(m, n, 10, 2, 2100, 'N');
    n = minutes(m, n, 12, 1, 2600, 'N');
    n = minutes(m, n, 13, 2, 2200, 'N');
    in.n = n;
    in.now_unix_s = T0 + 3 * 3600;              /* silent since minute 15: offline, open */
    assert_int_equal(EW_OK, ew_detect(&in, &rules, collect, &ev));
    assert_int_equal(2, (int)ev.n);
    /* Both events last to the end of the data: the range run first, then the silence. */
    assert_int_equal(EW_ALARM_RANGE, ev.e[0].kind);
    assert_int_equal(T0 + 10 * 60, ev.e[0].start_unix_s);
    assert_int_equal(T0 + 15 * 60, ev.e[0].end_unix_s);
    assert_int_equal(T0 + 12 * 60, ev.e[0].peak_unix_s);
    assert_float_equal(2600, ev.e[0].peak, 0);
    assert_float_equal(2000, ev.e[0].limit, 0);
    assert_int_equal(1, ev.e[0].open);          /* the last records are still out of range */
    assert_int_equal(EW_ALARM_OFFLINE, ev.e[1].kind);
    assert_int_equal(T0 + 15 * 60, ev.e[1].start_unix_s);
    assert_int_equal(T0 + 3 * 3600, ev.e[1].end_unix_s);
    assert_int_equal(1, ev.e[1].open);
}

static void
rules_exist_for_every_point_kind(void **state)
{
    static const char *kinds[] = { "air", "water", "flue", "wastewater", "sewage", "dust",
                                   "fume" };
    struct ew_alarm_rules r = { .interval_s = -7 };
    struct ew_detect_input in = { NULL, 0, NAN, NAN, 0 };
    int kind = 0;

    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(kinds); i++) {
        assert_int_equal(EW_OK, ew_alarm_rules_default(kinds[i], &r));
        assert_true(r.interval_s > 0 && r.offline_after_s > r.interval_s);
    }
    r.interval_s = -7;
    assert_int_equal(EW_ENOTFOUND, ew_alarm_rules_default("noise", &r));
    assert_int_equal(-7, (int)r.interval_s);
    r.interval_s = 0;
    assert_int_equal(EW_EINVAL, ew_detect(&in, &r, collect, NULL));
    assert_int_equal(EW_OK, ew_alarm_kind_parse("maintenance", &kind));
    assert_int_equal(EW_ALARM_MAINT, kind);
    assert_string_equal("offline", ew_alarm_kind_name(EW_ALARM_OFFLINE));
}

/* ---- the CLI ---- */

static const char *
run(const char *args)
{
    static char out[32768];
    char cmd[4096];
    const char *bin = getenv("EW_BIN"), *src = getenv("EW_SRC");
    FILE *p;
    size_t n;
    int st;

    assert_non_null(bin);
    assert_non_null(src);
    snprintf(cmd, sizeof(cmd), "cd '%s' && '%s' compliance %s 2>&1", src, bin, args);
    p = popen(cmd, "r");
    assert_non_null(p);
    n = fread(out, 1, sizeof(out) - 1, p);
    out[n] = '\0';
    st = pclose(p);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        fail_msg("compliance %s: exit %d: %s", args, WEXITSTATUS(st), out);
    return out;
}

static void
cli_lists_standards_and_resolves_limits(void **state)
{
    const char *out;

    (void)state;
    out = run("standards --profile GB4915-2013/kiln");
    assert_non_null(strstr(out, "GB4915-2013/kiln,GB 4915-2013,"));
    assert_null(strstr(out, "GB13271"));
    out = run("limit --profile GB13271-2014/coal --tiers existing,special --at 2018-11-01 "
              "a21026");
    assert_non_null(strstr(out, "a21026,200,,mg/m3,9,hour,special,V,"));
    out = run("limit --profile GB18918-2002/wwtp --tiers 1B --cond cold --at 2018-12-01 "
              "--format json w21003");
    assert_non_null(strstr(out, "\"limit\":15"));
    assert_non_null(strstr(out, "\"basis\":\"1B/cold\""));
}

static void
cli_alarms_reports_exceedance_and_silence(void **state)
{
    char path[] = "/tmp/ew_alarms_XXXXXX", args[256];
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    const char *out;

    (void)state;
    assert_non_null(f);
    fputs("mn,time,factor,value,flag\n", f);
    /* Two hours of SO2 at 260 mg/m3 (measured at the reference O2 of 9 %), then silence. */
    for (int m = 0; m < 120; m++)
        fprintf(f, "M1,2018-11-01T%02d:%02d:00,a21026,260,N\nM1,2018-11-01T%02d:%02d:00,"
                   "a19001,9,N\n", m / 60, m % 60, m / 60, m % 60);
    fclose(f);
    snprintf(args, sizeof(args), "alarms --kind flue --profile GB13271-2014/coal "
             "--tiers existing,special --now 2018-11-01T05:00 %s", path);
    out = run(args);
    unlink(path);
    assert_non_null(strstr(out, "M1,a21026,offline,2018-11-01T02:00:00,2018-11-01T05:00:00,"
                                "180,,,,,yes"));
    assert_non_null(strstr(out, "M1,a21026,exceed,2018-11-01T00:00:00,2018-11-01T02:00:00,2,"
                                "2018-11-01T00:00:00,260,200,0.3,yes"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(o2_correction_follows_examples_c1_to_c3),
        cmocka_unit_test(o2_correction_refuses_impossible_oxygen),
        cmocka_unit_test(flow_and_unit_conversions_follow_c4),
        cmocka_unit_test(flags_follow_hj212_table_8),
        cmocka_unit_test(shipped_table_has_a_source_for_every_number),
        cmocka_unit_test(outlet_limit_is_the_strictest_bound_tier_in_force),
        cmocka_unit_test(permits_tighten_and_missing_limits_are_not_found),
        cmocka_unit_test(bad_standard_rows_are_refused_with_their_line),
        cmocka_unit_test(exceedance_runs_have_start_end_peak_and_multiple),
        cmocka_unit_test(daily_exceedance_and_ph_floor),
        cmocka_unit_test(each_detection_rule_fires_past_its_threshold),
        cmocka_unit_test(detection_events_carry_times_peaks_and_open_state),
        cmocka_unit_test(rules_exist_for_every_point_kind),
        cmocka_unit_test(cli_lists_standards_and_resolves_limits),
        cmocka_unit_test(cli_alarms_reports_exceedance_and_silence),
    };
    return cmocka_run_group_tests_name("quality/emission", tests, NULL, NULL);
}
