/* SPDX-License-Identifier: MIT */
/* src/alarm/lifecycle.c and json.c: the moves an operator may make, opening and re-triggering
 * from rule events, the end of a condition, the outbox notices, and the JSON of an alarm. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include <envwatch/alarm.h>

#include "unit/store/fixture.h"
#include "util/buf.h"

#define O EW_ALARM_STATE_OPEN
#define A EW_ALARM_STATE_ACKNOWLEDGED
#define E EW_ALARM_STATE_EXPLAINED
#define C EW_ALARM_STATE_CLOSED

/* Every pair of states: only forward moves out of a state that is not closed. */
static void
moves_follow_the_lifecycle_table(void **state)
{
    static const struct {
        int from, to, allowed;
    } cases[] = {
        { O, O, 0 }, { O, A, 1 }, { O, E, 1 }, { O, C, 1 },
        { A, O, 0 }, { A, A, 0 }, { A, E, 1 }, { A, C, 1 },
        { E, O, 0 }, { E, A, 0 }, { E, E, 0 }, { E, C, 1 },
        { C, O, 0 }, { C, A, 0 }, { C, E, 0 }, { C, C, 0 },
        { 0, A, 0 }, { O, 5, 0 }, { -1, C, 0 },
    };

    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(cases); i++)
        assert_int_equal(cases[i].allowed, ew_alarm_move_allowed(cases[i].from, cases[i].to));
}

static void
names_parse_both_ways(void **state)
{
    static const struct {
        const char *name;
        int         rc;
        unsigned    mask;
    } kinds[] = {
        { "exceedance", EW_OK, 1u << EW_ALARM_EXCEED },
        { "offline", EW_OK, 1u << EW_ALARM_OFFLINE },
        { "constant", EW_OK, 1u << EW_ALARM_CONSTANT },
        { "zero-negative", EW_OK, 1u << EW_ALARM_ZERO },
        { "out-of-range", EW_OK, 1u << EW_ALARM_RANGE },
        { "flag", EW_OK, (1u << EW_ALARM_FAULT) | (1u << EW_ALARM_MAINT) },
        { "maintenance", EW_OK, 1u << EW_ALARM_MAINT },     /* a rule name of emission.h */
        { "exceed", EW_OK, 1u << EW_ALARM_EXCEED },
        { "Exceedance", EW_ENOTFOUND, 0 },
        { "", EW_ENOTFOUND, 0 },
    };
    unsigned mask = 99;
    int st = -1;

    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(kinds); i++) {
        mask = 99;
        assert_int_equal(kinds[i].rc, ew_alarm_kind_mask(kinds[i].name, &mask));
        assert_int_equal(kinds[i].rc == EW_OK ? kinds[i].mask : 99, mask);
    }
    assert_string_equal("zero-negative", ew_alarm_kind_label(EW_ALARM_ZERO));
    assert_string_equal("flag", ew_alarm_kind_label(EW_ALARM_FAULT));
    assert_string_equal("", ew_alarm_kind_label(0));
    assert_string_equal("", ew_alarm_kind_label(EW_ALARM_MAINT + 1));
    for (int s = O; s <= C; s++) {
        assert_int_equal(EW_OK, ew_alarm_state_parse(ew_alarm_state_name(s), &st));
        assert_int_equal(s, st);
    }
    assert_int_equal(EW_ENOTFOUND, ew_alarm_state_parse("opened", &st));
    assert_int_equal(EW_OK, ew_alarm_action_parse("explain", &st));
    assert_int_equal(E, st);
    st = 7;
    assert_int_equal(EW_ENOTFOUND, ew_alarm_action_parse("reopen", &st));
    assert_int_equal(7, st);
}

/* An hourly exceedance of SO2 over 35 mg/m3, as ew_exceed_hours reports it. */
static struct ew_alarm_event
exceed_hour(int64_t t, double peak)
{
    return (struct ew_alarm_event){ .kind = EW_ALARM_EXCEED, .start_unix_s = t,
                                    .end_unix_s = t + 3600, .peak_unix_s = t, .peak = peak,
                                    .limit = 35, .multiple = (peak - 35) / 35, .n = 1,
                                    .open = 1 };
}

struct notices {
    size_t n;
    char   event[8][32];
};

static int
keep_notice(void *ctx, const struct ew_alarm_notice *n)
{
    struct notices *x = ctx;

    if (x->n < 8)
        snprintf(x->event[x->n], sizeof(x->event[0]), "%s", n->event);
    x->n++;
    return 0;
}

static void
a_retrigger_updates_the_live_alarm_instead_of_opening_another(void **state)
{
    struct fx *f = *state;
    int64_t pid = fx_add_point(f->s, "STACK1"), t = fx_t(2019, 1, 15, 10, 0);
    struct ew_alarm_event e1 = exceed_hour(t, 105), e2 = exceed_hour(t + 3600, 140);
    struct ew_alarm a, b;
    struct notices n = { 0 };
    int oc = -1;

    assert_int_equal(EW_OK, ew_alarm_trigger(f->s, pid, "a21026", &e1, 1000, &oc, &a));
    assert_int_equal(EW_ALARM_OPENED, oc);
    assert_int_equal(1, a.count);
    assert_int_equal(1, a.active);
    assert_int_equal(t + 3600, a.end_unix_s);
    /* The same hour judged again (a record split over two packets) changes nothing. */
    assert_int_equal(EW_OK, ew_alarm_trigger(f->s, pid, "a21026", &e1, 1500, &oc, &b));
    assert_int_equal(EW_ALARM_UNCHANGED, oc);
    assert_int_equal(1, b.count);
    /* The next hour re-triggers: count, end, last seen and the worse peak. */
    assert_int_equal(EW_OK, ew_alarm_trigger(f->s, pid, "a21026", &e2, 2000, &oc, &b));
    assert_int_equal(EW_ALARM_RETRIGGERED, oc);
    assert_int_equal(a.id, b.id);
    assert_int_equal(2, b.count);
    assert_int_equal(t, b.start_unix_s);
    assert_int_equal(t + 7200, b.end_unix_s);
    assert_int_equal(2000, b.last_seen_ms);
    assert_int_equal(1000, b.opened_ms);
    assert_true(b.peak == 140 && b.peak_unix_s == t + 3600);
    assert_float_equal(3.0, b.multiple, 1e-12);
    /* A milder hour later keeps the peak. */
    e2 = exceed_hour(t + 7200, 40);
    assert_int_equal(EW_OK, ew_alarm_trigger(f->s, pid, "a21026", &e2, 3000, &oc, &b));
    assert_int_equal(3, b.count);
    assert_true(b.peak == 140);
    assert_int_equal(EW_OK, ew_store_alarm_notice_each(f->s, 0, keep_notice, &n));
    assert_int_equal(3, n.n);
    assert_string_equal("opened", n.event[0]);
    assert_string_equal("retriggered", n.event[2]);
}

static void
a_late_earlier_period_widens_the_condition_once(void **state)
{
    struct fx *f = *state;
    int64_t pid = fx_add_point(f->s, "STACK1"), t = fx_t(2019, 1, 15, 10, 0);
    struct ew_alarm_event late = exceed_hour(t - 3600, 50), now = exceed_hour(t, 105);
    struct ew_alarm a;
    int oc;

    assert_int_equal(EW_OK, ew_alarm_trigger(f->s, pid, "a21026", &now, 1000, &oc, &a));
    assert_int_equal(EW_OK, ew_alarm_trigger(f->s, pid, "a21026", &late, 2000, &oc, &a));
    assert_int_equal(EW_ALARM_RETRIGGERED, oc);
    assert_int_equal(t - 3600, a.start_unix_s);
    assert_int_equal(2, a.count);
    assert_true(a.peak == 105);
    assert_int_equal(EW_OK, ew_alarm_trigger(f->s, pid, "a21026", &late, 3000, &oc, &a));
    assert_int_equal(EW_ALARM_UNCHANGED, oc);
    assert_int_equal(2, a.count);
}

static void
clear_ends_the_condition_only_for_a_later_period(void **state)
{
    struct fx *f = *state;
    int64_t pid = fx_add_point(f->s, "STACK1"), t = fx_t(2019, 1, 15, 10, 0);
    struct ew_alarm_event e = exceed_hour(t, 105);
    struct ew_alarm a;
    int oc;

    assert_int_equal(EW_OK, ew_alarm_clear(f->s, pid, EW_ALARM_EXCEED, "a21026", t, 1, &oc, &a));
    assert_int_equal(EW_ALARM_UNCHANGED, oc);               /* nothing to clear */
    assert_int_equal(EW_OK, ew_alarm_trigger(f->s, pid, "a21026", &e, 1000, &oc, &a));
    /* A compliant hour before the offending one says nothing about now. */
    assert_int_equal(EW_OK,
                     ew_alarm_clear(f->s, pid, EW_ALARM_EXCEED, "a21026", t - 3600, 2, &oc, &a));
    assert_int_equal(EW_ALARM_UNCHANGED, oc);
    assert_int_equal(1, a.active);
    assert_int_equal(EW_OK,
                     ew_alarm_clear(f->s, pid, EW_ALARM_EXCEED, "a21026", t + 3600, 3, &oc, &a));
    assert_int_equal(EW_ALARM_CLEARED, oc);
    assert_int_equal(0, a.active);
    assert_int_equal(t + 3600, a.end_unix_s);               /* the condition's end stays */
    /* The condition comes back: the same alarm, active again. */
    e = exceed_hour(t + 7200, 60);
    assert_int_equal(EW_OK, ew_alarm_trigger(f->s, pid, "a21026", &e, 4000, &oc, &a));
    assert_int_equal(EW_ALARM_RETRIGGERED, oc);
    assert_int_equal(1, a.active);
    assert_int_equal(2, a.count);
}

static void
offline_episodes_count_on_one_alarm(void **state)
{
    struct fx *f = *state;
    int64_t pid = fx_add_point(f->s, "OUTLET1");
    struct ew_alarm_event e = { .kind = EW_ALARM_OFFLINE, .start_unix_s = 5000,
                                .end_unix_s = 9000, .peak = NAN, .limit = NAN,
                                .multiple = NAN, .n = 1, .open = 1 };
    struct ew_alarm a;
    int oc;

    assert_int_equal(EW_OK, ew_alarm_trigger(f->s, pid, "", &e, 9000000, &oc, &a));
    assert_int_equal(EW_ALARM_OPENED, oc);
    assert_int_equal(0, a.end_unix_s);                     /* lasts until data resume */
    assert_int_equal(5000, a.start_unix_s);
    e.end_unix_s = 9500;
    assert_int_equal(EW_OK, ew_alarm_trigger(f->s, pid, "", &e, 9500000, &oc, &a));
    assert_int_equal(EW_ALARM_UNCHANGED, oc);               /* the same episode */
    assert_int_equal(EW_OK, ew_alarm_clear(f->s, pid, EW_ALARM_OFFLINE, "", 9900, 9900000, &oc,
                                           &a));
    assert_int_equal(EW_ALARM_CLEARED, oc);
    assert_int_equal(9900, a.end_unix_s);
    e.start_unix_s = 20000;
    assert_int_equal(EW_OK, ew_alarm_trigger(f->s, pid, "", &e, 30000000, &oc, &a));
    assert_int_equal(EW_ALARM_RETRIGGERED, oc);
    assert_int_equal(2, a.count);
    assert_int_equal(0, a.end_unix_s);
    assert_int_equal(5000, a.start_unix_s);
}

static void
peaks_are_kept_by_the_measure_of_their_rule(void **state)
{
    struct fx *f = *state;
    int64_t pid = fx_add_point(f->s, "STACK1");
    struct ew_alarm_event z = { .kind = EW_ALARM_ZERO, .start_unix_s = 0, .end_unix_s = 600,
                                .peak = -1, .limit = NAN, .multiple = NAN, .open = 1 };
    struct ew_alarm_event r = { .kind = EW_ALARM_RANGE, .start_unix_s = 0, .end_unix_s = 60,
                                .peak = 2100, .limit = 2000, .multiple = NAN, .open = 1 };
    struct ew_alarm a;
    int oc;

    assert_int_equal(EW_OK, ew_alarm_trigger(f->s, pid, "a21026", &z, 1, &oc, &a));
    z.end_unix_s = 1200;
    z.peak = 0;                         /* not lower: kept at -1 */
    assert_int_equal(EW_OK, ew_alarm_trigger(f->s, pid, "a21026", &z, 2, &oc, &a));
    assert_true(a.peak == -1);
    z.end_unix_s = 1800;
    z.peak = -3;
    assert_int_equal(EW_OK, ew_alarm_trigger(f->s, pid, "a21026", &z, 3, &oc, &a));
    assert_true(a.peak == -3);
    assert_int_equal(EW_OK, ew_alarm_trigger(f->s, pid, "a21026", &r, 4, &oc, &a));
    r = (struct ew_alarm_event){ .kind = EW_ALARM_RANGE, .start_unix_s = 60, .end_unix_s = 120,
                                 .peak = -50, .limit = 0, .multiple = NAN, .open = 1 };
    /* 50 below a floor of 0 is farther out than 100 above 2000 (5 %): absolute when the
     * bound is 0. */
    assert_int_equal(EW_OK, ew_alarm_trigger(f->s, pid, "a21026", &r, 5, &oc, &a));
    assert_true(a.peak == -50 && a.limit == 0);
}

static void
act_moves_an_alarm_and_refuses_what_the_lifecycle_forbids(void **state)
{
    struct fx *f = *state;
    int64_t pid = fx_add_point(f->s, "STACK1");
    struct ew_alarm_event e = exceed_hour(fx_t(2019, 1, 15, 10, 0), 105);
    struct ew_alarm a, got;
    struct notices n = { 0 };
    int oc;

    assert_int_equal(EW_OK, ew_alarm_trigger(f->s, pid, "a21026", &e, 1000, &oc, &a));
    assert_int_equal(EW_EINVAL, ew_alarm_act(f->s, a.id, E, "企业", "", 2000, &got));
    assert_int_equal(EW_EINVAL, ew_alarm_act(f->s, a.id, A, "", "x", 2000, &got));
    assert_int_equal(EW_OK, ew_alarm_act(f->s, a.id, E, "企业环保员", "脱硫泵故障", 2000, &got));
    assert_int_equal(E, got.state);
    assert_int_equal(EW_ESTATE, ew_alarm_act(f->s, a.id, A, "值班员", "", 3000, &got));
    assert_int_equal(EW_ESTATE, ew_alarm_act(f->s, a.id, E, "企业环保员", "again", 3000, &got));
    assert_int_equal(EW_ENOTFOUND, ew_alarm_act(f->s, a.id + 10, C, "值班员", "", 3000, &got));
    assert_int_equal(EW_OK, ew_alarm_act(f->s, a.id, C, "值班员", "复核关闭", 4000, &got));
    assert_int_equal(C, got.state);
    assert_int_equal(4000, got.closed_ms);
    assert_int_equal(EW_ESTATE, ew_alarm_act(f->s, a.id, C, "值班员", "", 5000, &got));
    /* Re-triggers never touch a closed alarm: the same condition opens a new one. */
    e = exceed_hour(fx_t(2019, 1, 15, 11, 0), 90);
    assert_int_equal(EW_OK, ew_alarm_trigger(f->s, pid, "a21026", &e, 6000, &oc, &got));
    assert_int_equal(EW_ALARM_OPENED, oc);
    assert_true(got.id != a.id);
    assert_int_equal(EW_OK, ew_store_alarm_notice_each(f->s, 0, keep_notice, &n));
    assert_int_equal(4, n.n);
    assert_string_equal("explained", n.event[1]);
    assert_string_equal("closed", n.event[2]);
}

static void
json_has_the_fields_of_the_api_and_the_history(void **state)
{
    struct fx *f = *state;
    struct ew_point p = fx_point("0101403000000310000E0101", "flue");
    struct ew_alarm_event e = exceed_hour(fx_t(2019, 1, 15, 10, 0), 105.2);
    struct ew_alarm a;
    struct ew_buf b;
    cJSON *j, *al, *h;
    int oc;

    snprintf(p.name, sizeof(p.name), "嘉岭热电 1#机组烟囱");
    snprintf(p.county, sizeof(p.county), "郊区");
    assert_int_equal(EW_OK, ew_store_point_put(f->s, &p));
    assert_int_equal(EW_OK, ew_alarm_trigger(f->s, p.id, "a21026", &e, 1547517600000, &oc, &a));
    assert_int_equal(EW_OK, ew_alarm_act(f->s, a.id, A, "值班员", "已通知", 1547521200000, &a));
    ew_buf_init(&b, 0);
    assert_int_equal(EW_OK, ew_alarm_notice_json(&b, f->s, &a, "acknowledged", 1547521200000));
    j = cJSON_Parse(b.ptr);
    assert_non_null(j);
    assert_string_equal("acknowledged", cJSON_GetObjectItem(j, "event")->valuestring);
    assert_string_equal("2019-01-15T11:00:00", cJSON_GetObjectItem(j, "time")->valuestring);
    assert_non_null(strstr(cJSON_GetObjectItem(j, "message")->valuestring, "二氧化硫"));
    assert_non_null(strstr(cJSON_GetObjectItem(j, "message")->valuestring, "限值 35"));
    al = cJSON_GetObjectItem(j, "alarm");
    assert_string_equal("exceedance", cJSON_GetObjectItem(al, "kind")->valuestring);
    assert_string_equal("exceed", cJSON_GetObjectItem(al, "rule")->valuestring);
    assert_string_equal(p.mn, cJSON_GetObjectItem(al, "mn")->valuestring);
    assert_string_equal("嘉岭热电 1#机组烟囱", cJSON_GetObjectItem(al, "point")->valuestring);
    assert_string_equal("郊区", cJSON_GetObjectItem(al, "county")->valuestring);
    assert_string_equal("a21026", cJSON_GetObjectItem(al, "factor")->valuestring);
    assert_string_equal("mg/m3", cJSON_GetObjectItem(al, "unit")->valuestring);
    assert_string_equal("acknowledged", cJSON_GetObjectItem(al, "state")->valuestring);
    assert_string_equal("2019-01-15T10:00:00", cJSON_GetObjectItem(al, "start")->valuestring);
    assert_string_equal("2019-01-15T11:00:00", cJSON_GetObjectItem(al, "end")->valuestring);
    assert_string_equal("2019-01-15T10:00:00", cJSON_GetObjectItem(al, "opened")->valuestring);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(al, "closed")));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(al, "active")));
    assert_float_equal(105.2, cJSON_GetObjectItem(al, "peak")->valuedouble, 1e-9);
    assert_float_equal(35, cJSON_GetObjectItem(al, "limit")->valuedouble, 1e-9);
    assert_float_equal(2.00571428571, cJSON_GetObjectItem(al, "multiple")->valuedouble, 1e-9);
    assert_int_equal(1, cJSON_GetObjectItem(al, "count")->valueint);
    h = cJSON_GetObjectItem(al, "history");
    assert_int_equal(2, cJSON_GetArraySize(h));
    cJSON *h0 = cJSON_GetArrayItem(h, 0), *h1 = cJSON_GetArrayItem(h, 1);
    assert_string_equal("open", cJSON_GetObjectItem(h0, "state")->valuestring);
    assert_string_equal("system", cJSON_GetObjectItem(h0, "by")->valuestring);
    assert_string_equal("值班员", cJSON_GetObjectItem(h1, "by")->valuestring);
    assert_string_equal("已通知", cJSON_GetObjectItem(h1, "note")->valuestring);
    assert_string_equal("2019-01-15T11:00:00", cJSON_GetObjectItem(h1, "at")->valuestring);
    cJSON_Delete(j);
    ew_buf_fini(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(moves_follow_the_lifecycle_table),
        cmocka_unit_test(names_parse_both_ways),
#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)
        T(a_retrigger_updates_the_live_alarm_instead_of_opening_another),
        T(a_late_earlier_period_widens_the_condition_once),
        T(clear_ends_the_condition_only_for_a_later_period),
        T(offline_episodes_count_on_one_alarm),
        T(peaks_are_kept_by_the_measure_of_their_rule),
        T(act_moves_an_alarm_and_refuses_what_the_lifecycle_forbids),
        T(json_has_the_fields_of_the_api_and_the_history),
#undef T
    };
    return cmocka_run_group_tests_name("alarm/lifecycle", tests, NULL, NULL);
}
