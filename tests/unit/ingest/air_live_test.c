/* SPDX-License-Identifier: MIT */
/*
 * src/ingest/air_live.c: the air hook called directly on a temporary store, as the writer
 * calls it: settings refused, an hourly upload turned into station, county and city rows
 * and events, invalid flags left out, the day-end pass and the alert state machine.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <envwatch/daemon.h>
#include <envwatch/hooks.h>

#include "unit/store/fixture.h"

extern const struct ew_hook ew__hook_air_live;

struct events {
    int  n, aqi, alert;
    char last_alert[512];
};

static void
publish(void *ctx, const char *type, const char *json)
{
    struct events *e = ctx;

    e->n++;
    if (strcmp(type, "aqi") == 0)
        e->aqi++;
    if (strcmp(type, "air-alert") == 0) {
        e->alert++;
        snprintf(e->last_alert, sizeof(e->last_alert), "%s", json);
    }
}

struct world {
    struct fx          fx;
    struct ew_config   cfg;
    void              *hook;
    struct events      ev;
    struct ew_hook_env env;
};

static int
setup(void **state)
{
    struct world *w = calloc(1, sizeof(*w));
    void *fxs = NULL;

    if (w == NULL || fx_setup(&fxs) != 0)
        return -1;
    w->fx = *(struct fx *)fxs;
    free(fxs);
    ew_config_defaults(&w->cfg);
    if (ew__hook_air_live.create(&w->cfg, &w->hook) != EW_OK)
        return -1;
    w->env = (struct ew_hook_env){ .s = w->fx.s, .cfg = &w->cfg,
                                   .now_ms = fx_t(2019, 1, 6, 12, 0) * 1000,
                                   .publish = publish, .pub_ctx = &w->ev };
    *state = w;
    return 0;
}

static int
teardown(void **state)
{
    struct world *w = *state;
    struct fx *f = malloc(sizeof(*f));

    ew__hook_air_live.destroy(w->hook);
    *f = w->fx;
    void *fxs = f;
    fx_teardown(&fxs);
    free(w);
    return 0;
}

static void
bad_settings_are_refused(void **state)
{
    static const struct {
        const char *key, *value;
        int         want;
    } cases[] = {
        { "target_pm25_ugm3", "abc", EW_EFORMAT },  { "target_pm25_ugm3", "-1", EW_EFORMAT },
        { "target_pm25_ugm3", "inf", EW_EFORMAT },
        { "target_good_share_pct", "100.5", EW_EFORMAT },
        { "target_heavy_days", "1.5", EW_EFORMAT }, { "alert_red", "4x", EW_EFORMAT },
        { "alert_blue", "1x200|1x300|1x400|1x450", EW_ETOOBIG },
        { "target_pm25_ugm3", "48.5", EW_OK },      { "target_heavy_days", "off", EW_OK },
        { "alert_blue", "off", EW_OK },
    };
    char err[160];

    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(cases); i++) {
        struct ew_config c;
        void *h = NULL;
        ew_config_defaults(&c);
        assert_int_equal(EW_OK, ew_config_set(&c, "air", cases[i].key, cases[i].value, err,
                                              sizeof(err)));
        assert_int_equal(cases[i].want, ew__hook_air_live.create(&c, &h));
        ew__hook_air_live.destroy(h);
    }
}

/* Stores one hourly upload and runs the hook on it, as the writer does. */
static int
upload(struct world *w, const char *mn, int64_t t, const char *const *codes,
       const double *values, const char *const *flags, size_t n)
{
    struct ew_reading r[8];
    struct ew_point p;
    size_t k = 0;

    assert_int_equal(EW_OK, ew_store_point_get(w->fx.s, mn, &p));
    for (size_t i = 0; i < n; i++) {
        int inserted = 0;
        r[k] = fx_reading(p.id, EW_KIND_HOUR, t, codes[i], values[i]);
        snprintf(r[k].flag, sizeof(r[k].flag), "%s", flags != NULL ? flags[i] : "N");
        assert_int_equal(EW_OK, ew_store_reading_put(w->fx.s, &r[k], &inserted));
        k += inserted;
    }
    struct ew_hook_frame f = { .point_id = p.id, .mn = mn, .point_kind = p.kind,
                               .data_kind = EW_KIND_HOUR, .t_unix_s = t, .readings = r, .n = k };
    return ew__hook_air_live.on_frame(w->hook, &w->env, &f);
}

static void
add_station(struct world *w, const char *mn, const char *county, const char *kind)
{
    struct ew_point p = fx_point(mn, kind);

    snprintf(p.county, sizeof(p.county), "%s", county);
    assert_int_equal(EW_OK, ew_store_point_put(w->fx.s, &p));
}

static const char *const six[] = { "a21026", "a21004", "a21005", "a05024", "a34002", "a34004" };

static void
an_hour_makes_station_county_and_city_rows(void **state)
{
    struct world *w = *state;
    int64_t t = fx_t(2019, 1, 6, 10, 0);
    /* 1741A at 10:00 (CNEMC hour 11): published AQI 334 from PM10 447 */
    static const double v1741[] = { 123, 92, 4.8, 7, 447, 242 };
    /* 1738A at 10:00: published AQI 268 from PM2.5 218 */
    static const double v1738[] = { 94, 93, 4.9, 7, 334, 218 };
    struct ew_air_row r;

    add_station(w, "1741A", "矿区", "air");
    add_station(w, "1738A", "城区", "air");
    assert_int_equal(EW_OK, upload(w, "1741A", t, six, v1741, NULL, 6));
    assert_int_equal(3, w->ev.aqi);     /* station, county, city */
    assert_int_equal(EW_OK, upload(w, "1738A", t, six, v1738, NULL, 6));
    assert_int_equal(EW_OK, ew_store_air_get(w->fx.s, EW_AIR_SCOPE_STATION, "1741A",
                                             EW_AIR_PERIOD_HOUR, t, &r));
    assert_int_equal(334, r.aqi.aqi);
    assert_int_equal(1u << EW_AIR_PM10, r.aqi.primary);
    assert_string_equal("矿区", r.county);
    assert_int_equal(EW_OK, ew_store_air_get(w->fx.s, EW_AIR_SCOPE_STATION, "1738A",
                                             EW_AIR_PERIOD_HOUR, t, &r));
    assert_int_equal(268, r.aqi.aqi);
    /* the city: PM10 (447 + 334) / 2 = 390.5 -> 390 (half to even) -> IAQI 200 + 100/70 *
     * (390 - 350) = 257.1 -> 258; PM2.5 (242 + 218) / 2 = 230 -> 280; CO 4.85 -> 4.8 */
    assert_int_equal(EW_OK, ew_store_air_get(w->fx.s, EW_AIR_SCOPE_CITY, "",
                                             EW_AIR_PERIOD_HOUR, t, &r));
    assert_true(r.conc[EW_AIR_PM10] == 390 && r.conc[EW_AIR_PM25] == 230);
    assert_true(r.conc[EW_AIR_CO] == 4.8);
    assert_int_equal(280, r.aqi.aqi);
    assert_int_equal(258, r.aqi.iaqi[EW_AIR_PM10]);
    assert_int_equal(1u << EW_AIR_PM25, r.aqi.primary);
    assert_int_equal(2, r.stations);
    assert_int_equal(EW_OK, ew_store_air_get(w->fx.s, EW_AIR_SCOPE_COUNTY, "城区",
                                             EW_AIR_PERIOD_HOUR, t, &r));
    assert_int_equal(268, r.aqi.aqi);
    assert_int_equal(6, w->ev.aqi);
    /* not the 23:00 hour and no day yet: no day row */
    assert_int_equal(EW_ENOTFOUND, ew_store_air_get(w->fx.s, EW_AIR_SCOPE_CITY, "",
                                                    EW_AIR_PERIOD_DAY, fx_t(2019, 1, 6, 0, 0),
                                                    &r));
}

static void
invalid_flags_and_other_uploads_are_left_out(void **state)
{
    struct world *w = *state;
    int64_t t = fx_t(2019, 1, 6, 10, 0);
    static const double v[] = { 30, 500, 60 };
    static const char *const codes[] = { "a21026", "a34004", "a01001" };
    static const char *const flags[] = { "N", "D", "N" };   /* PM2.5 from a faulty monitor */
    static const double neg[] = { -3 };
    struct ew_air_row r;

    add_station(w, "1738A", "城区", "air");
    add_station(w, "F1", "城区", "flue");
    assert_int_equal(EW_OK, upload(w, "1738A", t, codes, v, flags, 3));
    assert_int_equal(EW_OK, ew_store_air_get(w->fx.s, EW_AIR_SCOPE_STATION, "1738A",
                                             EW_AIR_PERIOD_HOUR, t, &r));
    assert_true(isnan(r.conc[EW_AIR_PM25]));
    assert_int_equal(0, r.n_valid[EW_AIR_PM25]);
    assert_int_equal(10, r.aqi.aqi);    /* SO2 30 (1-hour) -> 10 */
    /* a negative value is no value: the hour of 11:00 has nothing valid, AQI none */
    assert_int_equal(EW_OK, upload(w, "1738A", t + 3600, codes, neg, NULL, 1));
    assert_int_equal(EW_OK, ew_store_air_get(w->fx.s, EW_AIR_SCOPE_STATION, "1738A",
                                             EW_AIR_PERIOD_HOUR, t + 3600, &r));
    assert_int_equal(-1, r.aqi.aqi);
    /* only meteorology: no row; a stack: no row; not on the hour: refused */
    w->ev.aqi = 0;
    assert_int_equal(EW_OK, upload(w, "1738A", t + 7200, codes + 2, v + 2, NULL, 1));
    assert_int_equal(EW_OK, upload(w, "F1", t, codes, v, NULL, 1));
    assert_int_equal(0, w->ev.aqi);
    assert_int_equal(EW_EFORMAT, upload(w, "1738A", t + 60, codes, v, NULL, 1));
}

static void
last_hour_closes_the_day_and_tick_closes_the_rest(void **state)
{
    struct world *w = *state;
    int64_t d = fx_t(2019, 1, 6, 0, 0);
    static const double v[] = { 20, 40, 1.0, 50, 60, 30 };
    struct ew_air_row r;
    struct ew_air_target t;
    int from = -1;

    add_station(w, "1738A", "城区", "air");
    add_station(w, "1741A", "矿区", "air");
    for (int h = 0; h < 24; h++)
        assert_int_equal(EW_OK, upload(w, "1738A", d + h * 3600, six, v, NULL, 6));
    assert_int_equal(EW_OK, ew_store_air_get(w->fx.s, EW_AIR_SCOPE_STATION, "1738A",
                                             EW_AIR_PERIOD_DAY, d, &r));
    assert_int_equal(24, r.n_valid[EW_AIR_PM25]);
    assert_int_equal(17, r.n_valid[EW_AIR_O3_8H]);
    /* PM10 60 -> 55, PM2.5 30 -> 43, O3 8-hour 50 -> 25, O3 1-hour 50 -> 16, NO2 40 -> 50 */
    assert_int_equal(55, r.aqi.aqi);
    assert_int_equal(1u << EW_AIR_PM10, r.aqi.primary);
    assert_int_equal(EW_OK, ew_store_air_get(w->fx.s, EW_AIR_SCOPE_CITY, "",
                                             EW_AIR_PERIOD_DAY, d, &r));
    assert_int_equal(1, r.stations);
    /* 1741A's hours come after the city's day was made (a station catching up): its day and
     * the city's follow every hour */
    for (int h = 0; h < 21; h++)
        assert_int_equal(EW_OK, upload(w, "1741A", d + h * 3600, six, v, NULL, 6));
    assert_int_equal(EW_OK, ew_store_air_get(w->fx.s, EW_AIR_SCOPE_STATION, "1741A",
                                             EW_AIR_PERIOD_DAY, d, &r));
    assert_int_equal(21, r.n_valid[EW_AIR_PM25]);
    assert_int_equal(EW_OK, ew_store_air_get(w->fx.s, EW_AIR_SCOPE_CITY, "",
                                             EW_AIR_PERIOD_DAY, d, &r));
    assert_int_equal(2, r.stations);

    /* the next day never gets its 23:00: 22 hours of 1738A, no day row... */
    for (int h = 0; h < 22; h++)
        assert_int_equal(EW_OK, upload(w, "1738A", d + 86400 + h * 3600, six, v, NULL, 6));
    assert_int_equal(EW_ENOTFOUND, ew_store_air_get(w->fx.s, EW_AIR_SCOPE_CITY, "",
                                                    EW_AIR_PERIOD_DAY, d + 86400, &r));
    /* ...until the tick after it: 22 hours >= 20, valid; the tick also writes the targets */
    w->env.now_ms = (d + 2 * 86400 + 600) * 1000;
    assert_int_equal(EW_OK, ew__hook_air_live.on_tick(w->hook, &w->env));
    static const int scopes[] = { EW_AIR_SCOPE_STATION, EW_AIR_SCOPE_COUNTY, EW_AIR_SCOPE_CITY };
    static const char *const names[] = { "1738A", "城区", "" };
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(EW_OK, ew_store_air_get(w->fx.s, scopes[i], names[i],
                                                 EW_AIR_PERIOD_DAY, d + 86400, &r));
        assert_int_equal(22, r.n_valid[EW_AIR_PM25]);
        assert_int_equal(55, r.aqi.aqi);
    }
    assert_int_equal(EW_OK, ew_store_air_target_get(w->fx.s, 2019, &t, &from));
    assert_int_equal(0, from);
    assert_true(t.pm25_ugm3 == 35 && t.good_share_pct == 80 && t.heavy_days_max == -1);
}

/* A city day row as the hook would have written it, computed at 'computed'. */
static void
city_day(struct world *w, int64_t day, int aqi, int64_t computed)
{
    struct ew_air_row r;

    ew_air_row_init(&r);
    r.scope = EW_AIR_SCOPE_CITY;
    r.period = EW_AIR_PERIOD_DAY;
    r.t_unix_s = day;
    r.aqi.aqi = aqi;
    r.aqi.level = ew_aqi_class_of(aqi)->level;
    r.computed_unix_s = computed;
    assert_int_equal(EW_OK, ew_store_air_put(w->fx.s, &r));
}

static void
tick_runs_the_alert_state_machine_on_settled_days(void **state)
{
    struct world *w = *state;
    int64_t d = fx_t(2019, 1, 5, 0, 0), day = 0;
    struct ew_air_alert_state st;

    /* two heavy days (2x200: yellow), then two clean ones (lift_days 2: lifted) */
    int64_t t2 = d + 2 * 86400 + 3600 + 60;     /* an hour after the second day ended */
    city_day(w, d, 230, d + 86400);
    city_day(w, d + 86400, 260, t2 - 60);       /* its value changed a minute ago */
    w->env.now_ms = t2 * 1000;
    assert_int_equal(EW_OK, ew__hook_air_live.on_tick(w->hook, &w->env));
    assert_int_equal(1, w->ev.alert);           /* the first day: blue; the second waits */
    assert_non_null(strstr(w->ev.last_alert, "\"kind\":\"start\",\"from\":\"none\","
                                             "\"to\":\"blue\""));
    w->env.now_ms += 120 * 1000;
    assert_int_equal(EW_OK, ew__hook_air_live.on_tick(w->hook, &w->env));
    assert_int_equal(EW_OK, ew_store_air_alert_state(w->fx.s, EW_AIR_SCOPE_CITY, "", &st,
                                                     &day));
    assert_int_equal(EW_ALERT_YELLOW, st.level);
    assert_int_equal(d + 86400, day);
    assert_int_equal(2, w->ev.alert);
    assert_non_null(strstr(w->ev.last_alert, "\"kind\":\"raise\",\"from\":\"blue\","
                                             "\"to\":\"yellow\""));
    /* the next tick has no new day: nothing happens */
    assert_int_equal(EW_OK, ew__hook_air_live.on_tick(w->hook, &w->env));
    assert_int_equal(2, w->ev.alert);
    city_day(w, d + 2 * 86400, 150, d + 3 * 86400);
    city_day(w, d + 3 * 86400, 90, d + 4 * 86400);
    w->env.now_ms = (d + 5 * 86400) * 1000;
    assert_int_equal(EW_OK, ew__hook_air_live.on_tick(w->hook, &w->env));
    assert_int_equal(EW_OK, ew_store_air_alert_state(w->fx.s, EW_AIR_SCOPE_CITY, "", &st,
                                                     &day));
    assert_int_equal(EW_ALERT_NONE, st.level);
    assert_non_null(strstr(w->ev.last_alert, "\"kind\":\"end\""));
    assert_non_null(strstr(w->ev.last_alert, "\"day\":\"2019-01-08\""));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bad_settings_are_refused),
        cmocka_unit_test_setup_teardown(an_hour_makes_station_county_and_city_rows, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(invalid_flags_and_other_uploads_are_left_out, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(last_hour_closes_the_day_and_tick_closes_the_rest,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(tick_runs_the_alert_state_machine_on_settled_days,
                                        setup, teardown),
    };
    return cmocka_run_group_tests_name("ingest/air_live", tests, NULL, NULL);
}
