/* SPDX-License-Identifier: MIT */
/* src/store/sqlite_alarm.c and the alarm checks of the front: alarms, their history, the
 * notification outbox and the source limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <envwatch/emission.h>

#include "unit/store/fixture.h"

static struct ew_alarm
exceed_alarm(int64_t point_id, const char *factor, int64_t t)
{
    struct ew_alarm a = { .point_id = point_id, .kind = EW_ALARM_EXCEED, .active = 1,
                          .start_unix_s = t, .end_unix_s = t + 3600, .peak_unix_s = t,
                          .peak = 105, .limit = 35, .multiple = 2, .count = 1,
                          .opened_ms = 1000, .last_seen_ms = 1000 };

    snprintf(a.factor, sizeof(a.factor), "%s", factor);
    return a;
}

static const struct ew_alarm_step opened = { EW_ALARM_STATE_OPEN, "system", 1000, "SO2 105" };

static void
open_then_find_and_get_give_the_same_alarm(void **state)
{
    struct fx *f = *state;
    int64_t pid = fx_add_point(f->s, "STACK1");
    struct ew_alarm a = exceed_alarm(pid, "a21026", fx_t(2019, 1, 15, 10, 0)), got, byid;

    assert_int_equal(EW_OK, ew_store_alarm_open(f->s, &a, &opened));
    assert_true(a.id > 0);
    assert_int_equal(EW_ALARM_STATE_OPEN, a.state);
    assert_int_equal(EW_OK, ew_store_alarm_find(f->s, pid, EW_ALARM_EXCEED, "a21026", &got));
    assert_int_equal(a.id, got.id);
    assert_string_equal("STACK1", got.mn);
    assert_string_equal("point STACK1", got.point_name);
    assert_int_equal(fx_t(2019, 1, 15, 11, 0), got.end_unix_s);
    assert_true(got.peak == 105 && got.limit == 35 && got.multiple == 2);
    assert_int_equal(0, got.closed_ms);
    assert_int_equal(EW_OK, ew_store_alarm_get(f->s, a.id, &byid));
    assert_memory_equal(&got, &byid, sizeof(got));
    /* Another factor or kind is another alarm. */
    assert_int_equal(EW_ENOTFOUND, ew_store_alarm_find(f->s, pid, EW_ALARM_EXCEED, "a21002", &got));
    assert_int_equal(EW_ENOTFOUND, ew_store_alarm_find(f->s, pid, EW_ALARM_ZERO, "a21026", &got));
}

static void
a_second_live_alarm_of_the_same_key_is_refused(void **state)
{
    struct fx *f = *state;
    int64_t pid = fx_add_point(f->s, "STACK1");
    struct ew_alarm a = exceed_alarm(pid, "a21026", fx_t(2019, 1, 15, 10, 0));
    struct ew_alarm b = a;
    const struct ew_alarm_step closing = { EW_ALARM_STATE_CLOSED, "operator", 5000, "done" };

    assert_int_equal(EW_OK, ew_store_alarm_open(f->s, &a, &opened));
    b.id = 0;
    assert_int_equal(EW_EEXIST, ew_store_alarm_open(f->s, &b, &opened));
    assert_int_equal(0, b.id);
    /* Once the first is closed, the same condition opens a new alarm. */
    assert_int_equal(EW_OK, ew_store_alarm_transition(f->s, a.id, EW_ALARM_STATE_OPEN, &closing));
    assert_int_equal(EW_OK, ew_store_alarm_open(f->s, &b, &opened));
    assert_true(b.id > a.id);
}

static void
update_writes_the_condition_and_never_a_closed_alarm(void **state)
{
    struct fx *f = *state;
    int64_t pid = fx_add_point(f->s, "STACK1");
    struct ew_alarm a = exceed_alarm(pid, "a21026", fx_t(2019, 1, 15, 10, 0)), got;
    const struct ew_alarm_step closing = { EW_ALARM_STATE_CLOSED, "operator", 9000, "" };

    assert_int_equal(EW_OK, ew_store_alarm_open(f->s, &a, &opened));
    a.count = 2;
    a.end_unix_s += 3600;
    a.peak = 140;
    a.multiple = 3;
    a.active = 0;
    a.last_seen_ms = 4000;
    a.state = EW_ALARM_STATE_CLOSED;        /* ignored: update never moves the state */
    assert_int_equal(EW_OK, ew_store_alarm_update(f->s, &a));
    assert_int_equal(EW_OK, ew_store_alarm_get(f->s, a.id, &got));
    assert_int_equal(2, got.count);
    assert_int_equal(fx_t(2019, 1, 15, 12, 0), got.end_unix_s);
    assert_true(got.peak == 140 && got.multiple == 3);
    assert_int_equal(0, got.active);
    assert_int_equal(4000, got.last_seen_ms);
    assert_int_equal(EW_ALARM_STATE_OPEN, got.state);

    assert_int_equal(EW_OK, ew_store_alarm_transition(f->s, a.id, EW_ALARM_STATE_OPEN, &closing));
    a.count = 3;
    assert_int_equal(EW_ESTATE, ew_store_alarm_update(f->s, &a));
    a.id = 999;
    assert_int_equal(EW_ENOTFOUND, ew_store_alarm_update(f->s, &a));
}

struct steps {
    size_t n;
    int    state[8];
    char   by[8][EW_ALARM_BY_MAX + 1];
    char   note[8][64];
    int64_t at[8];
};

static int
keep_step(void *ctx, const struct ew_alarm_step *st)
{
    struct steps *s = ctx;

    if (s->n < 8) {
        s->state[s->n] = st->state;
        s->at[s->n] = st->at_ms;
        snprintf(s->by[s->n], sizeof(s->by[0]), "%s", st->by);
        snprintf(s->note[s->n], sizeof(s->note[0]), "%s", st->note);
    }
    s->n++;
    return 0;
}

static void
transition_checks_the_current_state_and_keeps_history(void **state)
{
    struct fx *f = *state;
    int64_t pid = fx_add_point(f->s, "STACK1");
    struct ew_alarm a = exceed_alarm(pid, "a21026", fx_t(2019, 1, 15, 10, 0)), got;
    const struct ew_alarm_step ack = { EW_ALARM_STATE_ACKNOWLEDGED, "值班员", 2000, "已通知企业" };
    const struct ew_alarm_step expl = { EW_ALARM_STATE_EXPLAINED, "企业", 3000, "脱硫泵故障" };
    const struct ew_alarm_step closing = { EW_ALARM_STATE_CLOSED, "值班员", 4000, NULL };
    struct steps s = { 0 };

    assert_int_equal(EW_OK, ew_store_alarm_open(f->s, &a, &opened));
    assert_int_equal(EW_OK, ew_store_alarm_transition(f->s, a.id, EW_ALARM_STATE_OPEN, &ack));
    /* A second operator acting on the state he saw (open) is refused: it moved on. */
    assert_int_equal(EW_ESTATE, ew_store_alarm_transition(f->s, a.id, EW_ALARM_STATE_OPEN, &ack));
    assert_int_equal(EW_OK,
                     ew_store_alarm_transition(f->s, a.id, EW_ALARM_STATE_ACKNOWLEDGED, &expl));
    assert_int_equal(EW_OK,
                     ew_store_alarm_transition(f->s, a.id, EW_ALARM_STATE_EXPLAINED, &closing));
    assert_int_equal(EW_ENOTFOUND,
                     ew_store_alarm_transition(f->s, a.id + 1, EW_ALARM_STATE_OPEN, &ack));
    assert_int_equal(EW_OK, ew_store_alarm_get(f->s, a.id, &got));
    assert_int_equal(EW_ALARM_STATE_CLOSED, got.state);
    assert_int_equal(4000, got.closed_ms);
    assert_int_equal(EW_OK, ew_store_alarm_history_each(f->s, a.id, keep_step, &s));
    assert_int_equal(4, s.n);
    assert_int_equal(EW_ALARM_STATE_OPEN, s.state[0]);
    assert_string_equal("system", s.by[0]);
    assert_string_equal("SO2 105", s.note[0]);
    assert_int_equal(EW_ALARM_STATE_ACKNOWLEDGED, s.state[1]);
    assert_string_equal("值班员", s.by[1]);
    assert_string_equal("已通知企业", s.note[1]);
    assert_int_equal(2000, s.at[1]);
    assert_string_equal("脱硫泵故障", s.note[2]);
    assert_int_equal(EW_ALARM_STATE_CLOSED, s.state[3]);
    assert_string_equal("", s.note[3]);
    /* The closed alarm is no longer the live one of its key. */
    assert_int_equal(EW_ENOTFOUND, ew_store_alarm_find(f->s, pid, EW_ALARM_EXCEED, "a21026", &got));
}

static void
bad_alarms_and_steps_are_refused_before_any_write(void **state)
{
    struct fx *f = *state;
    int64_t pid = fx_add_point(f->s, "STACK1");
    struct ew_alarm a = exceed_alarm(pid, "a21026", fx_t(2019, 1, 15, 10, 0)), bad;
    char long_by[EW_ALARM_BY_MAX + 2], long_note[EW_ALARM_NOTE_MAX + 2];
    struct ew_alarm_step st = opened;
    struct steps s = { 0 };

    memset(long_by, 'x', sizeof(long_by) - 1);
    long_by[sizeof(long_by) - 1] = '\0';
    memset(long_note, 'n', sizeof(long_note) - 1);
    long_note[sizeof(long_note) - 1] = '\0';
    bad = a;
    bad.kind = 0;
    assert_int_equal(EW_EINVAL, ew_store_alarm_open(f->s, &bad, &opened));
    bad = a;
    bad.kind = EW_ALARM_MAINT + 1;
    assert_int_equal(EW_EINVAL, ew_store_alarm_open(f->s, &bad, &opened));
    bad = a;
    snprintf(bad.factor, sizeof(bad.factor), "a21026-Avg");
    assert_int_equal(EW_EINVAL, ew_store_alarm_open(f->s, &bad, &opened));
    bad = a;
    bad.point_id = pid + 100;
    assert_int_equal(EW_ENOTFOUND, ew_store_alarm_open(f->s, &bad, &opened));
    st.state = EW_ALARM_STATE_ACKNOWLEDGED;             /* the first step must be "open" */
    assert_int_equal(EW_EINVAL, ew_store_alarm_open(f->s, &a, &st));
    st = opened;
    st.by = "";
    assert_int_equal(EW_EINVAL, ew_store_alarm_open(f->s, &a, &st));
    st.by = long_by;
    assert_int_equal(EW_EINVAL, ew_store_alarm_open(f->s, &a, &st));
    st.by = "ok";
    st.note = long_note;
    assert_int_equal(EW_EINVAL, ew_store_alarm_open(f->s, &a, &st));
    st.note = "bell\a";
    assert_int_equal(EW_EINVAL, ew_store_alarm_open(f->s, &a, &st));
    assert_int_equal(0, a.id);
    assert_int_equal(EW_OK, ew_store_alarm_open(f->s, &a, &opened));
    st = (struct ew_alarm_step){ 7, "x", 1, "" };
    assert_int_equal(EW_EINVAL, ew_store_alarm_transition(f->s, a.id, EW_ALARM_STATE_OPEN, &st));
    assert_int_equal(EW_OK, ew_store_alarm_history_each(f->s, a.id, keep_step, &s));
    assert_int_equal(1, s.n);
    assert_string_not_equal("", ew_store_errmsg(f->s));
}

struct ids {
    size_t  n;
    int64_t id[16];
};

static int
keep_id(void *ctx, const struct ew_alarm *a)
{
    struct ids *x = ctx;

    if (x->n < 16)
        x->id[x->n] = a->id;
    x->n++;
    return 0;
}

/* Four alarms on two points in two counties, one of them closed. */
static void
fill(struct ew_store *s, int64_t id[4])
{
    struct ew_point p1 = fx_point("STACK1", "flue"), p2 = fx_point("OUTLET2", "wastewater");
    const struct ew_alarm_step closing = { EW_ALARM_STATE_CLOSED, "op", 50000, "" };
    struct ew_alarm a;

    snprintf(p1.county, sizeof(p1.county), "郊区");
    snprintf(p2.county, sizeof(p2.county), "盂县");
    assert_int_equal(EW_OK, ew_store_point_put(s, &p1));
    assert_int_equal(EW_OK, ew_store_point_put(s, &p2));
    a = exceed_alarm(p1.id, "a21026", 0);
    a.opened_ms = 10000;
    assert_int_equal(EW_OK, ew_store_alarm_open(s, &a, &opened));
    id[0] = a.id;
    a = exceed_alarm(p1.id, "", 0);
    a.kind = EW_ALARM_OFFLINE;
    a.opened_ms = 20000;
    assert_int_equal(EW_OK, ew_store_alarm_open(s, &a, &opened));
    id[1] = a.id;
    a = exceed_alarm(p2.id, "w01018", 0);
    a.opened_ms = 30000;
    assert_int_equal(EW_OK, ew_store_alarm_open(s, &a, &opened));
    id[2] = a.id;
    a = exceed_alarm(p2.id, "w21003", 0);
    a.kind = EW_ALARM_ZERO;
    a.opened_ms = 40000;
    assert_int_equal(EW_OK, ew_store_alarm_open(s, &a, &opened));
    id[3] = a.id;
    assert_int_equal(EW_OK, ew_store_alarm_transition(s, id[2], EW_ALARM_STATE_OPEN, &closing));
}

static void
each_filters_by_state_kind_point_county_and_time(void **state)
{
    struct fx *f = *state;
    int64_t id[4];
    struct ew_point p1;
    struct ids x;

    fill(f->s, id);
    assert_int_equal(EW_OK, ew_store_point_get(f->s, "STACK1", &p1));
    const struct {
        struct ew_alarm_query q;
        size_t n;
        int    want[4];                 /* indexes into id[], newest opened first */
    } cases[] = {
        { { 0 }, 4, { 3, 2, 1, 0 } },
        { { .states = 1u << EW_ALARM_STATE_OPEN }, 3, { 3, 1, 0 } },
        { { .states = 1u << EW_ALARM_STATE_CLOSED }, 1, { 2 } },
        { { .kinds = 1u << EW_ALARM_EXCEED }, 2, { 2, 0 } },
        { { .kinds = (1u << EW_ALARM_OFFLINE) | (1u << EW_ALARM_ZERO) }, 2, { 3, 1 } },
        { { .point_id = p1.id }, 2, { 1, 0 } },
        { { .point_id = p1.id, .factor = "a21026" }, 1, { 0 } },
        { { .county = "盂县" }, 2, { 3, 2 } },
        { { .county = "城区" }, 0, { 0 } },
        /* alive in the window: opened by 'to', not closed before 'from' */
        { { .to_ms = 25000 }, 2, { 1, 0 } },
        { { .from_ms = 60000 }, 3, { 3, 1, 0 } },
        { { .from_ms = 45000, .to_ms = 55000 }, 4, { 3, 2, 1, 0 } },
        { { .limit = 2 }, 2, { 3, 2 } },
    };

    for (size_t i = 0; i < EW_ARRAY_LEN(cases); i++) {
        x = (struct ids){ 0 };
        assert_int_equal(EW_OK, ew_store_alarm_each(f->s, &cases[i].q, keep_id, &x));
        assert_int_equal(cases[i].n, x.n);
        for (size_t k = 0; k < cases[i].n; k++)
            assert_int_equal(id[cases[i].want[k]], x.id[k]);
    }
    x = (struct ids){ 0 };
    assert_int_equal(EW_EINVAL,
                     ew_store_alarm_each(f->s, &(struct ew_alarm_query){ .factor = "a;b" },
                                         keep_id, &x));
}

struct notices {
    size_t  n;
    int64_t id[8], alarm[8];
    char    event[8][32];
};

static int
keep_notice(void *ctx, const struct ew_alarm_notice *n)
{
    struct notices *x = ctx;

    if (x->n < 8) {
        x->id[x->n] = n->id;
        x->alarm[x->n] = n->alarm_id;
        snprintf(x->event[x->n], sizeof(x->event[0]), "%s", n->event);
    }
    x->n++;
    return 0;
}

static void
notices_come_out_oldest_first_until_removed(void **state)
{
    struct fx *f = *state;
    struct notices x = { 0 };

    assert_int_equal(EW_OK, ew_store_alarm_notice_put(f->s, 7, "opened", 100));
    assert_int_equal(EW_OK, ew_store_alarm_notice_put(f->s, 7, "retriggered", 200));
    assert_int_equal(EW_OK, ew_store_alarm_notice_put(f->s, 8, "opened", 300));
    assert_int_equal(EW_EINVAL, ew_store_alarm_notice_put(f->s, 7, "", 300));
    assert_int_equal(EW_EINVAL, ew_store_alarm_notice_put(f->s, 0, "opened", 300));
    assert_int_equal(EW_OK, ew_store_alarm_notice_each(f->s, 2, keep_notice, &x));
    assert_int_equal(2, x.n);
    assert_string_equal("opened", x.event[0]);
    assert_string_equal("retriggered", x.event[1]);
    assert_int_equal(7, x.alarm[1]);
    assert_int_equal(EW_OK, ew_store_alarm_notice_remove(f->s, x.id[1]));
    x = (struct notices){ 0 };
    assert_int_equal(EW_OK, ew_store_alarm_notice_each(f->s, 0, keep_notice, &x));
    assert_int_equal(1, x.n);
    assert_int_equal(8, x.alarm[0]);
    /* Ids never come back once removed: "delivered up to id" must stay true. */
    int64_t last = x.id[0];
    assert_int_equal(EW_OK, ew_store_alarm_notice_remove(f->s, last));
    assert_int_equal(EW_OK, ew_store_alarm_notice_put(f->s, 9, "opened", 400));
    x = (struct notices){ 0 };
    assert_int_equal(EW_OK, ew_store_alarm_notice_each(f->s, 0, keep_notice, &x));
    assert_int_equal(1, x.n);
    assert_true(x.id[0] > last);
}

struct limits {
    size_t n;
    struct ew_source_limit l[8];
};

static int
keep_limit(void *ctx, const struct ew_source_limit *l)
{
    struct limits *x = ctx;

    if (x->n < 8)
        x->l[x->n] = *l;
    x->n++;
    return 0;
}

static void
source_limits_are_replaced_per_point(void **state)
{
    struct fx *f = *state;
    int64_t p1 = fx_add_point(f->s, "STACK1"), p2 = fx_add_point(f->s, "STACK2");
    struct ew_source_limit lim[2] = {
        { .factor = "a21026", .limit = 35, .limit_lo = NAN, .ref_o2_pct = 6,
          .averaging = EW_AVG_HOUR, .standard = "GB 13223-2011 ultralow" },
        { .factor = "w01001", .limit = 9, .limit_lo = 6, .ref_o2_pct = NAN,
          .averaging = EW_AVG_DAY, .standard = "GB 18918-2002 1A" },
    };
    struct limits x = { 0 };

    assert_int_equal(EW_OK, ew_store_source_limits_set(f->s, p1, lim, 2));
    assert_int_equal(EW_OK, ew_store_source_limits_set(f->s, p2, lim, 1));
    assert_int_equal(EW_OK, ew_store_source_limit_each(f->s, 0, keep_limit, &x));
    assert_int_equal(3, x.n);
    assert_string_equal("a21026", x.l[0].factor);
    assert_true(x.l[0].limit == 35 && isnan(x.l[0].limit_lo) && x.l[0].ref_o2_pct == 6);
    assert_string_equal("GB 13223-2011 ultralow", x.l[0].standard);
    assert_true(x.l[1].limit_lo == 6 && isnan(x.l[1].ref_o2_pct));
    assert_int_equal(EW_AVG_DAY, x.l[1].averaging);
    assert_int_equal(p2, x.l[2].point_id);
    /* Replacing with nothing clears one point only. */
    assert_int_equal(EW_OK, ew_store_source_limits_set(f->s, p1, NULL, 0));
    x = (struct limits){ 0 };
    assert_int_equal(EW_OK, ew_store_source_limit_each(f->s, 0, keep_limit, &x));
    assert_int_equal(1, x.n);
    /* A bad row refuses the whole set; a duplicated factor undoes what was written. */
    lim[1].averaging = 0;
    assert_int_equal(EW_EINVAL, ew_store_source_limits_set(f->s, p2, lim, 2));
    lim[1] = lim[0];
    assert_int_equal(EW_EEXIST, ew_store_source_limits_set(f->s, p2, lim, 2));
    x = (struct limits){ 0 };
    assert_int_equal(EW_OK, ew_store_source_limit_each(f->s, p2, keep_limit, &x));
    assert_int_equal(1, x.n);
    assert_int_equal(EW_ENOTFOUND, ew_store_source_limits_set(f->s, p2 + 10, lim, 1));
}

static void
an_alarm_open_inside_a_batch_is_undone_with_it(void **state)
{
    struct fx *f = *state;
    int64_t pid = fx_add_point(f->s, "STACK1");
    struct ew_alarm a = exceed_alarm(pid, "a21026", 0), got;

    assert_int_equal(EW_OK, ew_store_begin(f->s));
    assert_int_equal(EW_OK, ew_store_alarm_open(f->s, &a, &opened));
    assert_int_equal(EW_OK, ew_store_alarm_notice_put(f->s, a.id, "opened", 1));
    assert_int_equal(EW_OK, ew_store_rollback(f->s));
    assert_int_equal(EW_ENOTFOUND, ew_store_alarm_find(f->s, pid, EW_ALARM_EXCEED, "a21026", &got));
    assert_int_equal(EW_ENOTFOUND, ew_store_alarm_get(f->s, a.id, &got));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)
        T(open_then_find_and_get_give_the_same_alarm),
        T(a_second_live_alarm_of_the_same_key_is_refused),
        T(update_writes_the_condition_and_never_a_closed_alarm),
        T(transition_checks_the_current_state_and_keeps_history),
        T(bad_alarms_and_steps_are_refused_before_any_write),
        T(each_filters_by_state_kind_point_county_and_time),
        T(notices_come_out_oldest_first_until_removed),
        T(source_limits_are_replaced_per_point),
        T(an_alarm_open_inside_a_batch_is_undone_with_it),
#undef T
    };
    return cmocka_run_group_tests_name("store/sqlite_alarm", tests, NULL, NULL);
}
