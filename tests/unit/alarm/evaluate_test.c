/* SPDX-License-Identifier: MIT */
/*
 * src/alarm/binding.c and evaluate.c: an outlet's limit from the standard table
 * (data/standards, loaded as the daemon loads it) and its registry attributes; exceedance on
 * hourly records with the reference-O2 correction, on flow-weighted daily values, and the
 * detection rules over a series, as the writer hook runs them inside a batch.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "alarm/internal.h"
#include "unit/store/fixture.h"

struct world {
    struct fx            fx;
    struct ew_std_table *table;
    struct al_series_map series;
    struct ew_config     cfg;
    int                  events;        /* `alarm` events published */
    char                 last[64];      /* the last event's name */
};

static void
capture(void *ctx, const char *type, const char *json)
{
    struct world *w = ctx;
    const char *ev = strstr(json, "\"event\":\"");

    assert_string_equal("alarm", type);
    assert_non_null(ev);
    w->events++;
    snprintf(w->last, sizeof(w->last), "%.*s", (int)strcspn(ev + 9, "\""), ev + 9);
}

static int
setup(void **state)
{
    struct world *w = calloc(1, sizeof(*w));
    void *fx = NULL;
    int found = 0;

    if (w == NULL || fx_setup(&fx) != 0)
        return -1;
    w->fx = *(struct fx *)fx;
    free(fx);
    ew_config_defaults(&w->cfg);
    if (al_standards_load("data/standards", &w->table, &found) != EW_OK || !found)
        return -1;
    *state = w;
    return 0;
}

static int
teardown(void **state)
{
    struct world *w = *state;
    struct fx *fx = malloc(sizeof(*fx));
    void *p = fx;

    *fx = w->fx;
    ew_std_table_destroy(w->table);
    al_series_free(&w->series);
    free(w);
    return fx_teardown(&p);
}

/* Registers a point of kind with extra attributes and returns the engine's view of it. */
static struct al_point
add(struct world *w, const char *mn, const char *kind, const char *extra)
{
    struct ew_point p = fx_point(mn, kind);
    struct al_point a;

    snprintf(p.extra, sizeof(p.extra), "%s", extra);
    assert_int_equal(EW_OK, ew_store_point_put(w->fx.s, &p));
    assert_int_equal(EW_OK, al_point_from(&p, &a));
    return a;
}

static const char power[] = "{\"profile\":\"GB13223-2011/coal-boiler\",\"tier\":\"ultralow\","
                            "\"limits\":\"a21026=35;a21002=50;a34013=10\",\"o2_ref\":\"6\"}";
static const char boiler[] = "{\"profile\":\"GB13271-2014/coal\",\"tier\":\"special\","
                             "\"limits\":\"a21026=200;a21002=200\",\"o2_ref\":\"9\","
                             "\"basis\":\"GB 13271-2014 special\"}";
static const char coke[] = "{\"profile\":\"GB16171-2012/coke-oven\",\"tier\":\"special\","
                           "\"limits\":\"a21026=30\",\"o2_ref\":\"8\"}";
static const char mine[] = "{\"limits\":\"w01018=50\",\"basis\":\"GB 20426-2006 [M]\"}";
static const char wwtp[] = "{\"profile\":\"GB18918-2002/wwtp\",\"tier\":\"1A\"}";
static const char wwtp_cold[] = "{\"profile\":\"GB18918-2002/wwtp\",\"tier\":\"1A\","
                                "\"cond\":\"cold\"}";

/* The limit that applies, table first, registry limits as permit values or on their own. */
static void
limits_come_from_the_table_and_the_registry(void **state)
{
    struct world *w = *state;
    static const struct {
        const char *extra, *kind, *factor;
        int         y, m, d;
        int         rc;
        double      limit, lo, ref_o2;
        int         averaging;
        const char *standard;
    } cases[] = {
        /* ultra-low rows have no date (docs/sources.md) */
        { power, "flue", "a21026", 2016, 1, 1, EW_OK, 35, NAN, 6, EW_AVG_HOUR,
          "GB 13223-2011 ultralow" },
        /* GB 13271-2014 table 3 special limits, 2+26 cities from 2018-10-01 */
        { boiler, "flue", "a21026", 2018, 11, 1, EW_OK, 200, NAN, 9, EW_AVG_HOUR,
          "GB 13271-2014 special" },
        /* before that date only the registry's value (its permit) applies */
        { boiler, "flue", "a21026", 2018, 9, 1, EW_OK, 200, NAN, 9, EW_AVG_HOUR,
          "GB 13271-2014 special" },
        /* coking special limits from 2019-10-01 [M]; before, the registry's 30 as a permit */
        { coke, "flue", "a21026", 2019, 11, 1, EW_OK, 30, NAN, 8, EW_AVG_HOUR,
          "GB 16171-2012 special" },
        { coke, "flue", "a21026", 2019, 1, 1, EW_OK, 30, NAN, 8, EW_AVG_HOUR, "permit" },
        /* no profile: the registry's limit, daily for wastewater, measured values */
        { mine, "wastewater", "w01018", 2019, 1, 1, EW_OK, 50, NAN, NAN, EW_AVG_DAY,
          "GB 20426-2006 [M]" },
        /* GB 18918-2002 table 1, class 1A: NH3-N 5 (8 when water <= 12 °C); pH 6-9 */
        { wwtp, "sewage", "w21003", 2019, 1, 1, EW_OK, 5, NAN, NAN, EW_AVG_DAY,
          "GB 18918-2002 1A" },
        { wwtp_cold, "sewage", "w21003", 2019, 1, 1, EW_OK, 8, NAN, NAN, EW_AVG_DAY,
          "GB 18918-2002 1A" },
        { wwtp, "sewage", "w01001", 2019, 1, 1, EW_OK, 9, 6, NAN, EW_AVG_DAY,
          "GB 18918-2002 1A" },
        { power, "flue", "a99999", 2019, 1, 1, EW_ENOTFOUND, 0, 0, 0, 0, "" },
        { mine, "wastewater", "w21003", 2019, 1, 1, EW_ENOTFOUND, 0, 0, 0, 0, "" },
    };

    for (size_t i = 0; i < EW_ARRAY_LEN(cases); i++) {
        char mn[16], standard[96] = "";
        struct al_point p;
        struct ew_limit l = { .limit = -1 };
        snprintf(mn, sizeof(mn), "P%zu", i);
        p = add(w, mn, cases[i].kind, cases[i].extra);
        assert_int_equal(cases[i].rc,
                         al_limit(w->table, &p, cases[i].factor,
                                  fx_t(cases[i].y, cases[i].m, cases[i].d, 0, 0), &l, standard,
                                  sizeof(standard)));
        if (cases[i].rc != EW_OK) {
            assert_true(l.limit == -1);             /* untouched on failure */
            continue;
        }
        assert_float_equal(cases[i].limit, l.limit, 1e-9);
        assert_int_equal(isnan(cases[i].lo), isnan(l.limit_lo));
        assert_int_equal(isnan(cases[i].ref_o2), isnan(l.ref_o2_pct));
        if (!isnan(cases[i].ref_o2))
            assert_float_equal(cases[i].ref_o2, l.ref_o2_pct, 1e-9);
        assert_int_equal(cases[i].averaging, l.averaging);
        assert_string_equal(cases[i].standard, standard);
    }
}

static void
a_permit_value_only_tightens(void **state)
{
    struct world *w = *state;
    struct al_point p = add(w, "P1", "flue", "{\"profile\":\"GB13271-2014/coal\","
                                             "\"tier\":\"special\",\"limits\":\"a21026=150\","
                                             "\"basis\":\"排污许可证\"}");
    struct al_point q = add(w, "P2", "flue", "{\"profile\":\"GB13271-2014/coal\","
                                             "\"tier\":\"special\",\"limits\":\"a21026=300\"}");
    struct ew_limit l;
    char standard[96];

    assert_int_equal(EW_OK, al_limit(w->table, &p, "a21026", fx_t(2019, 1, 1, 0, 0), &l,
                                     standard, sizeof(standard)));
    assert_float_equal(150, l.limit, 1e-9);
    assert_null(l.row);
    assert_string_equal("排污许可证", standard);
    assert_int_equal(EW_OK, al_limit(w->table, &q, "a21026", fx_t(2019, 1, 1, 0, 0), &l,
                                     standard, sizeof(standard)));
    assert_float_equal(200, l.limit, 1e-9);
}

static void
all_limits_list_the_profile_and_the_registry_once(void **state)
{
    struct world *w = *state;
    struct al_point p = add(w, "P1", "flue", power);
    struct ew_source_limit lim[64];
    size_t n = al_limits_all(w->table, &p, fx_t(2019, 1, 1, 0, 0), lim, 64), so2 = 0;

    assert_true(n >= 3);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(p.id, lim[i].point_id);
        so2 += strcmp(lim[i].factor, "a21026") == 0;
        for (size_t k = 0; k < i; k++)
            assert_string_not_equal(lim[k].factor, lim[i].factor);
    }
    assert_int_equal(1, so2);
    assert_int_equal(2, al_limits_all(w->table, &p, fx_t(2019, 1, 1, 0, 0), lim, 2));
}

static void
watched_factors_leave_out_weather_and_unused_o2(void **state)
{
    struct world *w = *state;
    struct al_point p = add(w, "P1", "flue", power);

    assert_true(al_watched(&p, "a21026"));
    assert_true(al_watched(&p, "a00000"));
    assert_false(al_watched(&p, "a01013"));     /* flue static pressure: often below zero */
    assert_false(al_watched(&p, "a01001"));
    assert_false(al_watched(&p, "w01010"));
    assert_false(al_watched(&p, "a19001"));
    p.o2_used = 1;
    assert_true(al_watched(&p, "a19001"));
}

/* ---- exceedance on hourly records --------------------------------------------------------- */

static void
put(struct world *w, int64_t pid, int kind, int64_t t, const char *factor, double value,
    double zs, double cou, const char *flag)
{
    struct ew_reading r = fx_reading(pid, kind, t, factor, value);
    int inserted = 0;

    r.zs = zs;
    r.cou = cou;
    snprintf(r.flag, sizeof(r.flag), "%s", flag);
    assert_int_equal(EW_OK, ew_store_reading_put(w->fx.s, &r, &inserted));
    assert_int_equal(1, inserted);
}

static struct ew_hook_env
env_of(struct world *w, int64_t now_ms)
{
    return (struct ew_hook_env){ .s = w->fx.s, .cfg = &w->cfg, .now_ms = now_ms,
                                 .publish = capture, .pub_ctx = w };
}

static int
find(struct world *w, int64_t pid, int kind, const char *factor, struct ew_alarm *a)
{
    return ew_store_alarm_find(w->fx.s, pid, kind, factor, a);
}

/*
 * GB 13223 ultra-low SO2 35 mg/m3 at 6 % O2 (HJ 75-2017: C_ref = C × (21 − 6) / (21 − O2)).
 * Measured 20 at 12 % O2 is 33.3: compliant; 30 at 12 % is 50: over; a sent ZsAvg is used
 * as it is; without a valid O2 or with an invalid flag the hour is not judged.
 */
static void
hourly_values_are_judged_at_the_reference_o2(void **state)
{
    struct world *w = *state;
    struct al_point p = add(w, "STACK", "flue", power);
    struct ew_hook_env env = env_of(w, 1000);
    struct al_eval ev = { &env, w->table, &w->series };
    int64_t t0 = fx_t(2019, 1, 15, 10, 0);
    static const struct {
        double so2, zs, o2;
        const char *flag, *o2flag;
        int    alarm, active;       /* an alarm exists afterwards, and is active */
        double peak;
    } hours[] = {
        { 20, NAN, 12, "N", "N", 0, 0, 0 },
        { 30, NAN, 12, "N", "N", 1, 1, 50 },
        { 10, 40, 12, "N", "N", 1, 1, 50 },         /* ZsAvg 40 over: counted, peak stays */
        { 30, NAN, 12, "N", "D", 1, 1, 50 },        /* O2 in fault: not judged */
        { 90, NAN, NAN, "N", "", 1, 1, 50 },        /* no O2 at all: not judged */
        { 90, 95, 12, "M", "N", 1, 1, 50 },         /* maintenance: not judged */
        { 25, NAN, 12, "N", "N", 1, 1, 50 },        /* 25 × 15 / 9 = 41.7: over again */
        { 15, NAN, 12, "N", "N", 1, 0, 50 },        /* 25: compliant, the condition ended */
    };
    struct ew_alarm a;

    for (size_t i = 0; i < EW_ARRAY_LEN(hours); i++) {
        int64_t t = t0 + (int64_t)i * 3600;
        put(w, p.id, EW_KIND_HOUR, t, "a21026", hours[i].so2, hours[i].zs, NAN, hours[i].flag);
        if (!isnan(hours[i].o2))
            put(w, p.id, EW_KIND_HOUR, t, "a19001", hours[i].o2, NAN, NAN, hours[i].o2flag);
        assert_int_equal(EW_OK, al_eval_hour(&ev, &p, t));
        /* judging the same hour twice changes nothing */
        assert_int_equal(EW_OK, al_eval_hour(&ev, &p, t));
        assert_int_equal(hours[i].alarm ? EW_OK : EW_ENOTFOUND,
                         find(w, p.id, EW_ALARM_EXCEED, "a21026", &a));
        if (!hours[i].alarm)
            continue;
        assert_int_equal(hours[i].active, a.active);
        assert_float_equal(hours[i].peak, a.peak, 1e-9);
    }
    /* Hours 1 and 2 and hour 6 (25 × 15 / 9 = 41.7) were over: three periods. */
    assert_int_equal(3, a.count);
    assert_int_equal(t0 + 3600, a.start_unix_s);
    assert_int_equal(t0 + 7 * 3600, a.end_unix_s);
    assert_float_equal(35, a.limit, 1e-9);
    assert_float_equal((50.0 - 35) / 35, a.multiple, 1e-9);
    /* opened, retriggered twice (invalid hours neither count nor end it), cleared */
    assert_int_equal(4, w->events);
    assert_string_equal("cleared", w->last);
}

/* A source judged on measured values (no reference O2) compares Avg itself. */
static void
measured_sources_are_not_corrected(void **state)
{
    struct world *w = *state;
    struct al_point p = add(w, "ALU", "flue", "{\"limits\":\"a21026=100\",\"o2_ref\":\"0\"}");
    struct ew_hook_env env = env_of(w, 1000);
    struct al_eval ev = { &env, w->table, &w->series };
    int64_t t = fx_t(2019, 1, 15, 10, 0);
    struct ew_alarm a;

    put(w, p.id, EW_KIND_HOUR, t, "a21026", 101, 500, NAN, "N");    /* Zs is not the basis */
    assert_int_equal(EW_OK, al_eval_hour(&ev, &p, t));
    assert_int_equal(EW_OK, find(w, p.id, EW_ALARM_EXCEED, "a21026", &a));
    assert_float_equal(101, a.peak, 1e-9);
}

/* ---- exceedance on daily values ------------------------------------------------------------ */

/*
 * GB 18918-2002 1A COD 50 mg/L on the flow-weighted daily mean: 12 hours at 30 mg/L with
 * 100 m3 each and 12 at 60 with 300 m3: (12·3000 + 12·18000) / (12·400) = 52.5, over the
 * limit although the plain mean (45) is not.
 */
static void
daily_values_are_flow_weighted(void **state)
{
    struct world *w = *state;
    struct al_point p = add(w, "WWTP", "sewage", wwtp);
    struct ew_hook_env env = env_of(w, 1000);
    struct al_eval ev = { &env, w->table, &w->series };
    int64_t day = fx_t(2019, 1, 15, 0, 0), day2 = day + 86400;
    struct ew_alarm a;

    for (int h = 0; h < 24; h++) {
        put(w, p.id, EW_KIND_HOUR, day + h * 3600, "w01018", h < 12 ? 30 : 60, NAN, NAN, "N");
        put(w, p.id, EW_KIND_HOUR, day + h * 3600, "w00000", 5, NAN, h < 12 ? 100 : 300, "N");
    }
    put(w, p.id, EW_KIND_DAY, day, "w01018", 45, NAN, NAN, "N");
    assert_int_equal(EW_OK, al_eval_day(&ev, &p, day));
    assert_int_equal(EW_OK, find(w, p.id, EW_ALARM_EXCEED, "w01018", &a));
    assert_float_equal(52.5, a.peak, 1e-9);
    assert_float_equal(50, a.limit, 1e-9);
    assert_int_equal(day, a.start_unix_s);
    assert_int_equal(day2, a.end_unix_s);
    /* A day with 17 hourly records of 24 (less than 75 %) is not valid: nothing changes,
     * not even the datalogger's daily value counts. */
    for (int h = 0; h < 17; h++)
        put(w, p.id, EW_KIND_HOUR, day2 + h * 3600, "w01018", 10, NAN, NAN, "N");
    put(w, p.id, EW_KIND_DAY, day2, "w01018", 10, NAN, NAN, "N");
    assert_int_equal(EW_OK, al_eval_day(&ev, &p, day2));
    assert_int_equal(EW_OK, find(w, p.id, EW_ALARM_EXCEED, "w01018", &a));
    assert_int_equal(1, a.active);
    assert_int_equal(1, a.count);
}

static void
without_hourly_records_the_daily_record_is_judged(void **state)
{
    struct world *w = *state;
    struct al_point p = add(w, "MINE", "wastewater", mine);
    struct ew_hook_env env = env_of(w, 1000);
    struct al_eval ev = { &env, w->table, &w->series };
    int64_t day = fx_t(2019, 1, 15, 0, 0);
    struct ew_alarm a;

    put(w, p.id, EW_KIND_DAY, day, "w01018", 55, NAN, NAN, "N");
    assert_int_equal(EW_OK, al_eval_day(&ev, &p, day));
    assert_int_equal(EW_OK, find(w, p.id, EW_ALARM_EXCEED, "w01018", &a));
    assert_float_equal(0.1, a.multiple, 1e-9);
    /* hourly exceedance is not how wastewater is judged */
    put(w, p.id, EW_KIND_HOUR, day + 86400, "w01018", 500, NAN, NAN, "N");
    assert_int_equal(EW_OK, al_eval_hour(&ev, &p, day + 86400));
    assert_int_equal(EW_OK, find(w, p.id, EW_ALARM_EXCEED, "w01018", &a));
    assert_int_equal(1, a.count);
}

/* ---- detection rules ---------------------------------------------------------------------- */

/* Stores one minute record and evaluates it as the hook would. */
static void
minute(struct world *w, const struct al_point *p, int64_t t, const char *factor, double v,
       const char *flag)
{
    struct ew_reading r = fx_reading(p->id, EW_KIND_MINUTE, t, factor, v);
    struct ew_hook_env env = env_of(w, t * 1000);
    struct al_eval ev = { &env, w->table, &w->series };
    struct ew_hook_frame f = { .point_id = p->id, .mn = p->mn, .point_kind = p->kind,
                               .data_kind = EW_KIND_MINUTE, .t_unix_s = t, .readings = &r,
                               .n = 1 };
    int inserted;

    snprintf(r.flag, sizeof(r.flag), "%s", flag);
    assert_int_equal(EW_OK, ew_store_reading_put(w->fx.s, &r, &inserted));
    assert_int_equal(EW_OK, al_eval_detect(&ev, p, &f));
}

/*
 * Flue rules (ew_alarm_rules_default "flue" [M]): constant 2 h. With 10-minute records a run
 * of 12 records spans 7200 s: the alarm opens on the 12th, each further record re-triggers it,
 * and a different value ends it.
 */
static void
a_constant_value_opens_after_its_threshold(void **state)
{
    struct world *w = *state;
    struct al_point p = add(w, "STACK", "flue", power);
    int64_t t0 = fx_t(2019, 1, 15, 8, 0);
    struct ew_alarm a;

    minute(w, &p, t0 - 600, "a21026", 20.5, "N");
    for (int i = 0; i < 11; i++)
        minute(w, &p, t0 + i * 600, "a21026", 12.0, "N");
    assert_int_equal(EW_ENOTFOUND, find(w, p.id, EW_ALARM_CONSTANT, "a21026", &a));
    minute(w, &p, t0 + 11 * 600, "a21026", 12.0, "N");
    assert_int_equal(EW_OK, find(w, p.id, EW_ALARM_CONSTANT, "a21026", &a));
    assert_int_equal(1, a.count);
    assert_int_equal(t0, a.start_unix_s);
    assert_int_equal(t0 + 12 * 600, a.end_unix_s);
    assert_float_equal(12.0, a.peak, 1e-9);
    minute(w, &p, t0 + 12 * 600, "a21026", 12.0, "N");
    assert_int_equal(EW_OK, find(w, p.id, EW_ALARM_CONSTANT, "a21026", &a));
    assert_int_equal(2, a.count);
    assert_int_equal(1, a.active);
    minute(w, &p, t0 + 13 * 600, "a21026", 14.2, "N");
    assert_int_equal(EW_OK, find(w, p.id, EW_ALARM_CONSTANT, "a21026", &a));
    assert_int_equal(0, a.active);
    assert_int_equal(2, a.count);
}

/* Zero or negative for 1 h (6 records) on a pollutant; flue static pressure below zero is
 * normal and never watched. */
static void
zero_values_of_pollutants_alarm_and_weather_does_not(void **state)
{
    struct world *w = *state;
    struct al_point p = add(w, "STACK", "flue", power);
    int64_t t0 = fx_t(2019, 1, 15, 8, 0);
    struct ew_alarm a;

    for (int i = 0; i < 7; i++) {
        minute(w, &p, t0 + i * 600, "a21002", i % 2 ? 0 : -0.3, "N");
        minute(w, &p, t0 + i * 600, "a01013", -0.25, "N");
    }
    assert_int_equal(EW_OK, find(w, p.id, EW_ALARM_ZERO, "a21002", &a));
    assert_float_equal(-0.3, a.peak, 1e-9);
    assert_int_equal(EW_ENOTFOUND, find(w, p.id, EW_ALARM_ZERO, "a01013", &a));
    assert_int_equal(EW_ENOTFOUND, find(w, p.id, EW_ALARM_CONSTANT, "a01013", &a));
}

/* Fault flags (D) for 1 h; a value outside the registry's instrument range at once. */
static void
fault_flags_and_out_of_range_values(void **state)
{
    struct world *w = *state;
    struct al_point p = add(w, "STACK", "flue", "{\"profile\":\"GB13223-2011/coal-boiler\","
                                                "\"tier\":\"ultralow\","
                                                "\"range\":\"a34013=0:200\"}");
    int64_t t0 = fx_t(2019, 1, 15, 8, 0);
    struct ew_alarm a;

    for (int i = 0; i < 5; i++)
        minute(w, &p, t0 + i * 600, "a21026", 15, "D");
    assert_int_equal(EW_ENOTFOUND, find(w, p.id, EW_ALARM_FAULT, "a21026", &a));
    minute(w, &p, t0 + 5 * 600, "a21026", 15, "D");     /* six records span 3600 s */
    assert_int_equal(EW_OK, find(w, p.id, EW_ALARM_FAULT, "a21026", &a));
    assert_int_equal(t0, a.start_unix_s);
    minute(w, &p, t0, "a34013", 250, "N");
    assert_int_equal(EW_OK, find(w, p.id, EW_ALARM_RANGE, "a34013", &a));
    assert_float_equal(250, a.peak, 1e-9);
    assert_float_equal(200, a.limit, 1e-9);
}

/* The rules read only the open run: after a normal stretch the window is two records. */
static void
the_window_follows_the_oldest_open_run(void **state)
{
    struct world *w = *state;
    struct al_point p = add(w, "STACK", "flue", power);
    int64_t t0 = fx_t(2019, 1, 15, 8, 0);
    struct al_series *se;

    for (int i = 0; i < 30; i++)
        minute(w, &p, t0 + i * 600, "a21026", 10 + i, "N");
    se = al_series_get(&w->series, p.id, "a21026");
    assert_non_null(se);
    assert_int_equal(t0 + 29 * 600, se->since_unix_s);
    assert_int_equal(600, se->interval_s);
    for (int i = 30; i < 33; i++)
        minute(w, &p, t0 + i * 600, "a21026", 0, "N");
    assert_int_equal(t0 + 30 * 600, se->since_unix_s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
        T(limits_come_from_the_table_and_the_registry),
        T(a_permit_value_only_tightens),
        T(all_limits_list_the_profile_and_the_registry_once),
        T(watched_factors_leave_out_weather_and_unused_o2),
        T(hourly_values_are_judged_at_the_reference_o2),
        T(measured_sources_are_not_corrected),
        T(daily_values_are_flow_weighted),
        T(without_hourly_records_the_daily_record_is_judged),
        T(a_constant_value_opens_after_its_threshold),
        T(zero_values_of_pollutants_alarm_and_weather_does_not),
        T(fault_flags_and_out_of_range_values),
        T(the_window_follows_the_oldest_open_run),
#undef T
    };
    return cmocka_run_group_tests_name("alarm/evaluate", tests, NULL, NULL);
}
