/* SPDX-License-Identifier: MIT */
/*
 * src/alarm/hook.c: the alarm engine as the writer runs it: its settings, the source limits it
 * keeps for the API, offline points found on the tick and their end when data resume, and the
 * outbox when no webhook is configured. Time is the env's clock, driven by the test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <envwatch/alarm.h>

#include "unit/store/fixture.h"

struct world {
    struct fx        fx;
    struct ew_config cfg;
    void            *st;
    int              events;
};

static void
count_event(void *ctx, const char *type, const char *json)
{
    struct world *w = ctx;

    (void)json;
    assert_string_equal("alarm", type);
    w->events++;
}

static int
setup(void **state)
{
    struct world *w = calloc(1, sizeof(*w));
    void *fx = NULL;

    if (w == NULL || fx_setup(&fx) != 0)
        return -1;
    w->fx = *(struct fx *)fx;
    free(fx);
    ew_config_defaults(&w->cfg);
    snprintf(w->cfg.standards_dir, sizeof(w->cfg.standards_dir), "data/standards");
    *state = w;
    return 0;
}

static int
teardown(void **state)
{
    struct world *w = *state;
    struct fx *fx = malloc(sizeof(*fx));
    void *p = fx;

    ew_alarm_hook.destroy(w->st);
    *fx = w->fx;
    free(w);
    return fx_teardown(&p);
}

static struct ew_hook_env
at(struct world *w, int64_t now_ms)
{
    return (struct ew_hook_env){ .s = w->fx.s, .cfg = &w->cfg, .now_ms = now_ms,
                                 .publish = count_event, .pub_ctx = w };
}

static int64_t
add(struct world *w, const char *mn, const char *kind, const char *extra)
{
    struct ew_point p = fx_point(mn, kind);

    snprintf(p.extra, sizeof(p.extra), "%s", extra);
    assert_int_equal(EW_OK, ew_store_point_put(w->fx.s, &p));
    return p.id;
}

static void
settings_that_cannot_work_stop_the_start(void **state)
{
    struct world *w = *state;
    void *st = (void *)&st;

    snprintf(w->cfg.webhook_url, sizeof(w->cfg.webhook_url), "https://sms.example.cn/send");
    assert_int_equal(EW_EINVAL, ew_alarm_hook.create(&w->cfg, &st));
    assert_ptr_equal((void *)&st, st);                  /* untouched */
    w->cfg.webhook_url[0] = '\0';
    snprintf(w->cfg.standards_dir, sizeof(w->cfg.standards_dir), "/nonexistent/standards");
    assert_int_equal(EW_EIO, ew_alarm_hook.create(&w->cfg, &st));
    /* Without a folder named, one is looked for; a missing one is not an error. */
    w->cfg.standards_dir[0] = '\0';
    assert_int_equal(EW_OK, ew_alarm_hook.create(&w->cfg, &w->st));
    assert_string_equal("alarms", ew_alarm_hook.name);
    assert_int_equal(1, ew_alarm_hook.tick_s);
}

struct limits {
    size_t n;
    double so2;
    char   standard[96];
};

static int
keep_limit(void *ctx, const struct ew_source_limit *l)
{
    struct limits *x = ctx;

    if (strcmp(l->factor, "a21026") == 0) {
        x->so2 = l->limit;
        snprintf(x->standard, sizeof(x->standard), "%s", l->standard);
    }
    x->n++;
    return 0;
}

static void
the_tick_keeps_the_resolved_limits_for_readers(void **state)
{
    struct world *w = *state;
    int64_t stack = add(w, "STACK", "flue", "{\"profile\":\"GB13223-2011/coal-boiler\","
                                            "\"tier\":\"ultralow\"}");
    int64_t air = add(w, "AIR", "air", "{}");
    int64_t t = fx_t(2019, 1, 15, 10, 0) * 1000;
    struct ew_hook_env env = at(w, t);
    struct ew_point p;
    struct limits x = { 0 };

    assert_int_equal(EW_OK, ew_alarm_hook.create(&w->cfg, &w->st));
    assert_int_equal(EW_OK, ew_alarm_hook.on_tick(w->st, &env));
    assert_int_equal(EW_OK, ew_store_source_limit_each(w->fx.s, stack, keep_limit, &x));
    assert_true(x.n >= 3);
    assert_float_equal(35, x.so2, 1e-9);
    assert_string_equal("GB 13223-2011 ultralow", x.standard);
    x = (struct limits){ 0 };
    assert_int_equal(EW_OK, ew_store_source_limit_each(w->fx.s, air, keep_limit, &x));
    assert_int_equal(0, x.n);                           /* GB 3095 is not per station */
    /* An edited registry is picked up by the next refresh (every 10 s). */
    assert_int_equal(EW_OK, ew_store_point_get(w->fx.s, "STACK", &p));
    snprintf(p.extra, sizeof(p.extra), "{\"profile\":\"GB13223-2011/coal-boiler\","
                                       "\"tier\":\"ultralow\",\"limits\":\"a21026=20\"}");
    assert_int_equal(EW_OK, ew_store_point_put(w->fx.s, &p));
    env = at(w, t + 5000);
    assert_int_equal(EW_OK, ew_alarm_hook.on_tick(w->st, &env));
    x = (struct limits){ 0 };
    assert_int_equal(EW_OK, ew_store_source_limit_each(w->fx.s, stack, keep_limit, &x));
    assert_float_equal(35, x.so2, 1e-9);
    env = at(w, t + 10000);
    assert_int_equal(EW_OK, ew_alarm_hook.on_tick(w->st, &env));
    x = (struct limits){ 0 };
    assert_int_equal(EW_OK, ew_store_source_limit_each(w->fx.s, stack, keep_limit, &x));
    assert_float_equal(20, x.so2, 1e-9);                /* the permit value tightens */
}

static int
count_notices(void *ctx, const struct ew_alarm_notice *n)
{
    (void)n;
    (*(int *)ctx)++;
    return 0;
}

/*
 * A wastewater outlet whose last record is 3 h old when the engine starts: offline after the
 * kind's 2 h (ew_alarm_rules_default "wastewater" [M]) at the first check; an upload ends the
 * condition; silence past [alarms] offline_after_s opens a second episode on the same alarm.
 */
static void
offline_points_are_found_on_the_tick_and_ended_by_data(void **state)
{
    struct world *w = *state;
    int64_t pid = add(w, "OUTLET", "wastewater", "{\"limits\":\"w01018=50\"}");
    int64_t now = fx_t(2019, 1, 15, 10, 0) * 1000, t = fx_t(2019, 1, 15, 7, 0);
    struct ew_reading r = fx_reading(pid, EW_KIND_HOUR, t, "w01018", 20);
    struct ew_hook_frame f = { .point_id = pid, .mn = "OUTLET", .point_kind = "wastewater",
                               .data_kind = EW_KIND_HOUR, .readings = &r, .n = 1 };
    struct ew_hook_env env = at(w, now);
    struct ew_alarm a;
    int inserted, notices = 0;

    assert_int_equal(EW_OK, ew_store_reading_put(w->fx.s, &r, &inserted));
    assert_int_equal(EW_OK, ew_alarm_hook.create(&w->cfg, &w->st));
    assert_int_equal(EW_OK, ew_alarm_hook.on_tick(w->st, &env));
    assert_int_equal(EW_OK, ew_store_alarm_find(w->fx.s, pid, EW_ALARM_OFFLINE, "", &a));
    assert_int_equal(t, a.start_unix_s);
    assert_int_equal(1, a.active);
    assert_int_equal(1, w->events);
    /* The next tick does not open it again. */
    env = at(w, now + 61000);
    assert_int_equal(EW_OK, ew_alarm_hook.on_tick(w->st, &env));
    assert_int_equal(1, w->events);
    /* Data: the condition ends when they arrive. */
    r.t_unix_s = fx_t(2019, 1, 15, 9, 0);
    f.t_unix_s = r.t_unix_s;
    assert_int_equal(EW_OK, ew_store_reading_put(w->fx.s, &r, &inserted));
    env = at(w, now + 62000);
    assert_int_equal(EW_OK, ew_alarm_hook.on_frame(w->st, &env, &f));
    assert_int_equal(EW_OK, ew_store_alarm_get(w->fx.s, a.id, &a));
    assert_int_equal(0, a.active);
    assert_int_equal((now + 62000) / 1000, a.end_unix_s);
    /* A small offline threshold from the settings: a second episode. */
    w->cfg.alarm_offline_after_s = 30;
    env = at(w, now + 62000 + 121000);
    assert_int_equal(EW_OK, ew_alarm_hook.on_tick(w->st, &env));
    assert_int_equal(EW_OK, ew_store_alarm_get(w->fx.s, a.id, &a));
    assert_int_equal(1, a.active);
    assert_int_equal(2, a.count);
    assert_int_equal(3, w->events);
    /* Without a webhook the outbox is emptied on each tick. */
    assert_int_equal(EW_OK, ew_store_alarm_notice_each(w->fx.s, 0, count_notices, &notices));
    assert_int_equal(0, notices);
}

/* A point registered after the engine loaded is read on its first upload and judged. */
static void
a_point_registered_later_is_judged_at_once(void **state)
{
    struct world *w = *state;
    int64_t t = fx_t(2019, 1, 15, 10, 0);
    struct ew_hook_env env = at(w, t * 1000);
    struct ew_alarm a;
    int64_t pid;
    int inserted;

    assert_int_equal(EW_OK, ew_alarm_hook.create(&w->cfg, &w->st));
    assert_int_equal(EW_OK, ew_alarm_hook.on_tick(w->st, &env));
    pid = add(w, "STACK", "flue", "{\"profile\":\"GB13223-2011/coal-boiler\","
                                  "\"tier\":\"ultralow\"}");
    struct ew_reading r[2] = { fx_reading(pid, EW_KIND_HOUR, t, "a21026", 90),
                               fx_reading(pid, EW_KIND_HOUR, t, "a19001", 6) };
    snprintf(r[0].flag, sizeof(r[0].flag), "N");
    snprintf(r[1].flag, sizeof(r[1].flag), "N");
    for (int i = 0; i < 2; i++)
        assert_int_equal(EW_OK, ew_store_reading_put(w->fx.s, &r[i], &inserted));
    struct ew_hook_frame f = { .point_id = pid, .mn = "STACK", .point_kind = "flue",
                               .data_kind = EW_KIND_HOUR, .t_unix_s = t, .readings = r,
                               .n = 2 };
    assert_int_equal(EW_OK, ew_alarm_hook.on_frame(w->st, &env, &f));
    assert_int_equal(EW_OK, ew_store_alarm_find(w->fx.s, pid, EW_ALARM_EXCEED, "a21026", &a));
    assert_float_equal(90, a.peak, 1e-9);           /* at 6 % O2 the measured value is it */
    /* A frame of an unknown point is passed over. */
    f.point_id = pid + 100;
    f.mn = "NOPE";
    assert_int_equal(EW_OK, ew_alarm_hook.on_frame(w->st, &env, &f));
}

/* After a restart the engine knows which conditions were active: a compliant hour ends the
 * exceedance the previous run opened. */
static void
active_conditions_survive_a_restart(void **state)
{
    struct world *w = *state;
    int64_t pid = add(w, "STACK", "flue", "{\"profile\":\"GB13223-2011/coal-boiler\","
                                          "\"tier\":\"ultralow\"}");
    int64_t t = fx_t(2019, 1, 15, 10, 0);
    struct ew_alarm_event e = { .kind = EW_ALARM_EXCEED, .start_unix_s = t - 3600,
                                .end_unix_s = t, .peak_unix_s = t - 3600, .peak = 90,
                                .limit = 35, .multiple = 55.0 / 35, .n = 1, .open = 1 };
    struct ew_reading r[2] = { fx_reading(pid, EW_KIND_HOUR, t, "a21026", 20),
                               fx_reading(pid, EW_KIND_HOUR, t, "a19001", 6) };
    struct ew_hook_frame f = { .point_id = pid, .mn = "STACK", .point_kind = "flue",
                               .data_kind = EW_KIND_HOUR, .t_unix_s = t, .readings = r,
                               .n = 2 };
    struct ew_hook_env env = at(w, t * 1000 + 60000);
    struct ew_alarm a;
    int oc, inserted;

    assert_int_equal(EW_OK, ew_alarm_trigger(w->fx.s, pid, "a21026", &e, t * 1000, &oc, &a));
    assert_int_equal(EW_OK, ew_alarm_hook.create(&w->cfg, &w->st));
    for (int i = 0; i < 2; i++) {
        snprintf(r[i].flag, sizeof(r[i].flag), "N");
        assert_int_equal(EW_OK, ew_store_reading_put(w->fx.s, &r[i], &inserted));
    }
    assert_int_equal(EW_OK, ew_alarm_hook.on_frame(w->st, &env, &f));
    assert_int_equal(EW_OK, ew_store_alarm_get(w->fx.s, a.id, &a));
    assert_int_equal(0, a.active);
    assert_int_equal(1, w->events);                     /* cleared */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
        T(settings_that_cannot_work_stop_the_start),
        T(the_tick_keeps_the_resolved_limits_for_readers),
        T(offline_points_are_found_on_the_tick_and_ended_by_data),
        T(a_point_registered_later_is_judged_at_once),
        T(active_conditions_survive_a_restart),
#undef T
    };
    return cmocka_run_group_tests_name("alarm/hook", tests, NULL, NULL);
}
