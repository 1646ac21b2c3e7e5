/* SPDX-License-Identifier: MIT */
/*
 * src/report/sources.c with util/reportsrc.c: the monthly source report on a temporary store
 * with one stack registered on 2019-01-01, its limits, 100 hours of records and three
 * alarms. The counts are worked out here from the definitions of docs/sources.md:
 * 传输有效率 = valid / expected over the monitored limited pollutants; emission from Cou, or
 * C x Q x 1 h x 1e-6; alarms picked by the month of their condition.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <envwatch/emission.h>

#include "unit/report/rfix.h"
#include "util/reportsrc.h"

#define HOURS 100                       /* 2019-01-01 00:00 .. 01-05 03:00 */

static int64_t
hour(int h)
{
    return fx_t(2019, 1, 1, 0, 0) + (int64_t)h * 3600;
}

static void
put(struct ew_store *s, int64_t id, int h, const char *factor, double v, double cou,
    const char *flag)
{
    struct ew_reading r = fx_reading(id, EW_KIND_HOUR, hour(h), factor, v);
    int ins;

    r.cou = cou;
    snprintf(r.flag, sizeof(r.flag), "%s", flag);
    assert_int_equal(EW_OK, ew_store_reading_put(s, &r, &ins));
}

static int64_t
open_alarm(struct ew_store *s, int64_t id, int kind, const char *factor, int64_t start,
           int64_t end, double peak, int64_t count)
{
    struct ew_alarm a = { .point_id = id, .kind = kind, .active = 0, .start_unix_s = start,
                          .end_unix_s = end, .peak_unix_s = start, .peak = peak,
                          .limit = isnan(peak) ? NAN : 35,
                          .multiple = isnan(peak) ? NAN : (peak - 35) / 35, .count = count,
                          .opened_ms = 1, .last_seen_ms = 1 };
    struct ew_alarm_step st = { EW_ALARM_STATE_OPEN, "system", 1, "" };

    snprintf(a.factor, sizeof(a.factor), "%s", factor);
    assert_int_equal(EW_OK, ew_store_alarm_open(s, &a, &st));
    return a.id;
}

/*
 * The stack monitors SO2 and NOx (registry factors); dust has a limit but is not monitored,
 * so it is not expected, yet its emission counts. SO2: hour 10 missing, hours 20-24 flag D.
 * NOx: every hour. Records of hour 100 (the hour of now) are not expected yet.
 */
static void
world(struct ew_store *s)
{
    struct ew_point p = fx_point("STACK1", "flue");
    struct ew_source_limit lim[3] = {
        { .factor = "a21002", .limit = 50, .limit_lo = NAN, .ref_o2_pct = 6,
          .averaging = EW_AVG_HOUR },
        { .factor = "a21026", .limit = 35, .limit_lo = NAN, .ref_o2_pct = 6,
          .averaging = EW_AVG_HOUR },
        { .factor = "a34013", .limit = 10, .limit_lo = NAN, .ref_o2_pct = 6,
          .averaging = EW_AVG_HOUR },
    };
    int64_t closed;

    snprintf(p.name, sizeof(p.name), "1#烟囱");
    snprintf(p.site, sizeof(p.site), "甲电厂");
    snprintf(p.county, sizeof(p.county), "郊区");
    snprintf(p.extra, sizeof(p.extra), "{\"factors\":\"a21026;a21002\","
                                       "\"quota_t\":\"a21026=3\"}");
    p.created_unix_s = hour(0);
    if (ew_store_point_put(s, &p) != EW_OK)
        fail_msg("%s", ew_store_errmsg(s));
    for (size_t i = 0; i < 3; i++)
        lim[i].point_id = p.id;
    assert_int_equal(EW_OK, ew_store_source_limits_set(s, p.id, lim, 3));
    for (int h = 0; h <= HOURS; h++) {
        if (h != 10)
            put(s, p.id, h, "a21026", 20, 0.5, h >= 20 && h <= 24 ? "D" : "N");
        put(s, p.id, h, "a21002", 30, 1.0, "N");
        put(s, p.id, h, "a34013", 5, NAN, "N");
        put(s, p.id, h, "a00000", 100, NAN, "N");          /* 100 m3/s, no Cou */
    }
    open_alarm(s, p.id, EW_ALARM_EXCEED, "a21026", hour(34), hour(36), 105, 2);
    open_alarm(s, p.id, EW_ALARM_OFFLINE, "", hour(80), 0, NAN, 1);
    /* December's exceedance, closed: not in January's report */
    closed = open_alarm(s, p.id, EW_ALARM_EXCEED, "a21002", hour(-4), hour(-2), 80, 2);
    assert_int_equal(EW_OK, ew_store_alarm_transition(
        s, closed, EW_ALARM_STATE_OPEN,
        &(struct ew_alarm_step){ EW_ALARM_STATE_CLOSED, "值班员", 2, "done" }));
}

static void
build(struct ew_store *s, struct rp_doc *d)
{
    struct ew_report_req r = { .kind = EW_REPORT_SOURCES_MONTHLY, .format = EW_REPORT_HTML,
                               .year = 2019, .month = 1, .now_unix_s = hour(HOURS) };
    struct rp_names n = { "测试局", "测试市" };

    rp_doc_init(d);
    assert_int_equal(EW_OK, ew__report_sources(s, &r, &n, d));
    assert_int_equal(EW_OK, d->err);
}

static void
transmission_pools_the_monitored_pollutants(void **state)
{
    struct fx *f = *state;
    const struct rp_table *t;
    struct rp_doc d;

    world(f->s);
    build(f->s, &d);
    t = rf_table(&d, "trans-points");
    assert_int_equal(1, t->nrows);
    assert_string_equal("200", rf_text(t, 0, "expected"));     /* 2 x 100 hours */
    assert_string_equal("199", rf_text(t, 0, "received"));     /* SO2 hour 10 missing */
    assert_string_equal("194", rf_text(t, 0, "valid"));        /* 5 SO2 hours flag D */
    assert_string_equal("99.50", rf_text(t, 0, "transmission"));
    assert_string_equal("97.49", rf_text(t, 0, "validity"));   /* 194 / 199 */
    assert_string_equal("97.00", rf_text(t, 0, "effective"));  /* 194 / 200 */
    assert_string_equal("达标", rf_text(t, 0, "pass"));
    t = rf_table(&d, "trans-counties");
    assert_string_equal("郊区", rf_text(t, 0, "name"));
    assert_string_equal("97.00", rf_text(t, 0, "effective"));
    t = rf_table(&d, "overview");
    assert_string_equal("97.00", rf_text(t, 0, "effective"));
    assert_string_equal("0", rf_text(t, 0, "failing"));
    rp_doc_free(&d);
}

static void
alarms_are_those_of_the_month(void **state)
{
    struct fx *f = *state;
    const struct rp_table *t;
    struct rp_doc d;

    world(f->s);
    build(f->s, &d);
    t = rf_table(&d, "exceedances");
    assert_int_equal(1, t->nrows);                             /* not December's */
    assert_string_equal("二氧化硫", rf_text(t, 0, "factor"));
    assert_string_equal("2019-01-02 10:00", rf_text(t, 0, "start"));
    assert_string_equal("2019-01-02 12:00", rf_text(t, 0, "end"));
    assert_string_equal("2", rf_text(t, 0, "count"));
    assert_string_equal("105", rf_text(t, 0, "peak"));
    assert_string_equal("35", rf_text(t, 0, "limit"));
    assert_string_equal("2.00", rf_text(t, 0, "multiple"));   /* (105 - 35) / 35 */
    assert_string_equal("待处置", rf_text(t, 0, "state"));
    t = rf_table(&d, "alarm-summary");
    assert_string_equal("甲电厂", rf_text(t, 0, "enterprise"));
    assert_string_equal("1", rf_text(t, 0, "exceed"));
    assert_string_equal("1", rf_text(t, 0, "offline"));         /* still offline: no end */
    assert_string_equal("2", rf_text(t, 0, "total"));
    t = rf_table(&d, "overview");
    assert_string_equal("1", rf_text(t, 0, "enterprises"));
    assert_string_equal("1", rf_text(t, 0, "exceedances"));
    assert_string_equal("2", rf_text(t, 0, "exceed_periods"));
    rp_doc_free(&d);
}

static void
totals_sum_cou_or_concentration_times_flow(void **state)
{
    struct fx *f = *state;
    const struct rp_table *t;
    struct rp_doc d;
    double elapsed = (double)(hour(HOURS) - 1 - hour(0)) / (365.0 * 86400), projected;
    char want[32];

    world(f->s);
    build(f->s, &d);
    t = rf_table(&d, "totals-outlets");
    assert_int_equal(3, t->nrows);                             /* by factor code */
    assert_string_equal("氮氧化物", rf_text(t, 0, "factor"));
    assert_string_equal("0.100", rf_text(t, 0, "month_t"));    /* 100 h x 1.0 kg */
    assert_string_equal("100", rf_text(t, 0, "hours"));
    assert_string_equal("0.047", rf_text(t, 1, "month_t"));    /* 94 valid h x 0.5 kg */
    assert_string_equal("94", rf_text(t, 1, "hours"));
    assert_string_equal("0.180", rf_text(t, 2, "month_t"));    /* 5 x 360000 x 1e-6 x 100 */
    t = rf_table(&d, "totals-enterprises");
    assert_string_equal("二氧化硫", rf_text(t, 1, "factor"));
    assert_string_equal("3", rf_text(t, 1, "quota_t"));
    assert_string_equal("1.6", rf_text(t, 1, "used"));         /* 0.047 / 3 */
    projected = 0.047 / elapsed;                               /* linear: 4.1 t > 3 t */
    snprintf(want, sizeof(want), "%.3f", projected);
    assert_string_equal(want, rf_text(t, 1, "projected_t"));
    assert_string_equal("预计超许可", rf_text(t, 1, "warning"));
    assert_string_equal("—", rf_text(t, 0, "quota_t"));        /* NOx: no quota */
    rp_doc_free(&d);
}

static void
a_point_registered_later_expects_nothing(void **state)
{
    struct fx *f = *state;
    struct ew_reportsrc_points pts = { 0 };
    struct ew_reportsrc_limits lim = { 0 };
    struct ew_trans_count c = { 7, 7, 7 };
    const struct ew_source_limit *l;
    size_t n;

    world(f->s);
    assert_int_equal(EW_OK, ew_reportsrc_points_load(f->s, &pts));
    assert_int_equal(EW_OK, ew_reportsrc_limits_load(f->s, &lim));
    l = ew_reportsrc_limits_of(&lim, pts.v[0].id, &n);
    assert_int_equal(3, n);
    pts.v[0].created_unix_s = hour(HOURS);
    assert_int_equal(EW_OK, ew_reportsrc_trans(f->s, &pts.v[0], l, n, 2019, 1, hour(HOURS),
                                               &c));
    assert_int_equal(0, c.expected);
    assert_int_equal(EW_EINVAL, ew_reportsrc_trans(f->s, &pts.v[0], l, n, 2019, 13,
                                                   hour(HOURS), &c));
    ew_reportsrc_points_free(&pts);
    ew_reportsrc_limits_free(&lim);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(transmission_pools_the_monitored_pollutants, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(alarms_are_those_of_the_month, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(totals_sum_cou_or_concentration_times_flow, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(a_point_registered_later_expects_nothing, fx_setup,
                                        fx_teardown),
    };
    return cmocka_run_group_tests_name("report/sources", tests, NULL, NULL);
}
