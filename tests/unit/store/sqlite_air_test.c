/* SPDX-License-Identifier: MIT */
/* src/store/sqlite_air.c and air.c: AQI rows, missing days, alerts and targets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "unit/store/fixture.h"

/* A station's hour as the daemon stores it: 2019-01-06 08:00 CST at 1738A (PM2.5 IAQI 205). */
static struct ew_air_row
station_hour(const char *mn, int64_t t, double pm25)
{
    struct ew_air_row r;

    ew_air_row_init(&r);
    r.scope = EW_AIR_SCOPE_STATION;
    snprintf(r.name, sizeof(r.name), "%s", mn);
    snprintf(r.county, sizeof(r.county), "城区");
    r.period = EW_AIR_PERIOD_HOUR;
    r.t_unix_s = t;
    r.conc[EW_AIR_SO2] = 51;
    r.conc[EW_AIR_CO] = 2.4;
    r.conc[EW_AIR_PM25] = pm25;
    r.n_valid[EW_AIR_SO2] = r.n_valid[EW_AIR_CO] = r.n_valid[EW_AIR_PM25] = 1;
    r.stations = 1;
    r.aqi = (struct ew_aqi_result){ .aqi = 205, .level = 5, .primary = 1u << EW_AIR_PM25,
                                    .exceeding = 1u << EW_AIR_PM25,
                                    .iaqi = { 18, -1, 24, -1, -1, -1, 205 } };
    r.computed_unix_s = 1700000000;
    return r;
}

static void
assert_row_equal(const struct ew_air_row *a, const struct ew_air_row *b)
{
    assert_int_equal(a->scope, b->scope);
    assert_string_equal(a->name, b->name);
    assert_int_equal(a->period, b->period);
    assert_int_equal(a->t_unix_s, b->t_unix_s);
    assert_string_equal(a->county, b->county);
    assert_int_equal(a->control, b->control);
    for (int i = 0; i < EW_AIR_NITEMS; i++) {
        assert_int_equal(isnan(a->conc[i]), isnan(b->conc[i]));
        if (!isnan(a->conc[i]))
            assert_true(a->conc[i] == b->conc[i]);
        assert_int_equal(a->aqi.iaqi[i], b->aqi.iaqi[i]);
        assert_int_equal(a->n_valid[i], b->n_valid[i]);
    }
    assert_int_equal(a->aqi.aqi, b->aqi.aqi);
    assert_int_equal(a->aqi.level, b->aqi.level);
    assert_int_equal(a->aqi.primary, b->aqi.primary);
    assert_int_equal(a->aqi.exceeding, b->aqi.exceeding);
    assert_int_equal(a->stations, b->stations);
    assert_int_equal(a->computed_unix_s, b->computed_unix_s);
}

static void
row_round_trips_and_replaces(void **state)
{
    struct fx *f = *state;
    int64_t t = fx_t(2019, 1, 6, 8, 0);
    struct ew_air_row r = station_hour("1738A", t, 205), got;

    assert_int_equal(EW_OK, ew_store_air_put(f->s, &r));
    assert_int_equal(EW_OK, ew_store_air_get(f->s, EW_AIR_SCOPE_STATION, "1738A",
                                             EW_AIR_PERIOD_HOUR, t, &got));
    assert_row_equal(&r, &got);
    /* a recomputation replaces the row: here the hour lost every pollutant */
    ew_air_row_init(&r);
    r.scope = EW_AIR_SCOPE_STATION;
    snprintf(r.name, sizeof(r.name), "1738A");
    r.t_unix_s = t;
    assert_int_equal(EW_OK, ew_store_air_put(f->s, &r));
    assert_int_equal(EW_OK, ew_store_air_get(f->s, EW_AIR_SCOPE_STATION, "1738A",
                                             EW_AIR_PERIOD_HOUR, t, &got));
    assert_row_equal(&r, &got);
    assert_int_equal(-1, got.aqi.aqi);
    /* the same time as a day is another row: absent */
    got.stations = 77;
    assert_int_equal(EW_ENOTFOUND, ew_store_air_get(f->s, EW_AIR_SCOPE_STATION, "1738A",
                                                    EW_AIR_PERIOD_HOUR, t + 3600, &got));
    assert_int_equal(77, got.stations);
}

static int
stop_at_first(void *ctx, const struct ew_air_row *r)
{
    (void)ctx;
    (void)r;
    return EW_ENOTFOUND;
}

struct seen {
    size_t  n;
    int64_t t[16];
    char    name[16][49];
};

static int
record_row(void *ctx, const struct ew_air_row *r)
{
    struct seen *s = ctx;

    if (s->n < 16) {
        s->t[s->n] = r->t_unix_s;
        snprintf(s->name[s->n], sizeof(s->name[0]), "%s", r->name);
    }
    s->n++;
    return 0;
}

static void
search_orders_and_filters(void **state)
{
    struct fx *f = *state;
    int64_t t0 = fx_t(2019, 1, 6, 0, 0);
    static const char *const mns[] = { "1741A", "1738A" };
    struct ew_air_row city;
    struct seen s = { 0 };

    for (int h = 0; h < 3; h++)
        for (size_t i = 0; i < EW_ARRAY_LEN(mns); i++) {
            struct ew_air_row r = station_hour(mns[i], t0 + h * 3600, 100 + h);
            assert_int_equal(EW_OK, ew_store_air_put(f->s, &r));
        }
    ew_air_row_init(&city);
    city.scope = EW_AIR_SCOPE_CITY;
    city.t_unix_s = t0;
    assert_int_equal(EW_OK, ew_store_air_put(f->s, &city));

    /* every station, oldest first, names in order within an hour; the city is not a station */
    struct ew_air_query q = { .scope = EW_AIR_SCOPE_STATION, .period = EW_AIR_PERIOD_HOUR };
    assert_int_equal(EW_OK, ew_store_air_each(f->s, &q, record_row, &s));
    assert_int_equal(6, s.n);
    assert_string_equal("1738A", s.name[0]);
    assert_string_equal("1741A", s.name[1]);
    assert_int_equal(t0 + 2 * 3600, s.t[5]);
    /* one station, newest first, limited; the bounds are inclusive */
    s = (struct seen){ 0 };
    q = (struct ew_air_query){ .scope = EW_AIR_SCOPE_STATION, .name = "1741A",
                               .period = EW_AIR_PERIOD_HOUR, .from_unix_s = t0,
                               .to_unix_s = t0 + 3600, .newest_first = 1, .limit = 5 };
    assert_int_equal(EW_OK, ew_store_air_each(f->s, &q, record_row, &s));
    assert_int_equal(2, s.n);
    assert_int_equal(t0 + 3600, s.t[0]);
    assert_int_equal(t0, s.t[1]);
    /* the city, and nothing of the day period */
    s = (struct seen){ 0 };
    q = (struct ew_air_query){ .scope = EW_AIR_SCOPE_CITY, .name = "",
                               .period = EW_AIR_PERIOD_HOUR };
    assert_int_equal(EW_OK, ew_store_air_each(f->s, &q, record_row, &s));
    assert_int_equal(1, s.n);
    s = (struct seen){ 0 };
    q.period = EW_AIR_PERIOD_DAY;
    assert_int_equal(EW_OK, ew_store_air_each(f->s, &q, record_row, &s));
    assert_int_equal(0, s.n);
    /* a non-zero return stops the search and is returned */
    q = (struct ew_air_query){ .scope = EW_AIR_SCOPE_STATION, .period = EW_AIR_PERIOD_HOUR };
    assert_int_equal(EW_ENOTFOUND, ew_store_air_each(f->s, &q, stop_at_first, NULL));
}

static void
bad_rows_are_refused_and_nothing_stored(void **state)
{
    struct fx *f = *state;
    int64_t t = fx_t(2019, 1, 6, 8, 0);
    struct ew_air_row r;
    struct seen s = { 0 };
    char why[200];

    for (int c = 0; c < 14; c++) {
        r = station_hour("1738A", t, 205);
        switch (c) {
        case 0: r.scope = 3; break;
        case 1: snprintf(r.name, sizeof(r.name), "17;38A"); break;
        case 2: r.scope = EW_AIR_SCOPE_CITY; break;              /* a city with a name */
        case 3: r.scope = EW_AIR_SCOPE_COUNTY; r.name[0] = '\0'; break;
        case 4: r.t_unix_s = t + 60; break;                      /* not on the hour */
        case 5: r.period = EW_AIR_PERIOD_DAY; break;   /* 08:00 CST (00:00 UTC): no day */
        case 6: r.control = 2; break;
        case 7: r.conc[EW_AIR_NO2] = -1; break;
        case 8: r.conc[EW_AIR_NO2] = INFINITY; break;
        case 9: r.aqi.aqi = 501; break;
        case 10: r.aqi.level = 0; break;                         /* an AQI needs its level */
        case 11: r.aqi.iaqi[EW_AIR_SO2] = 600; break;
        case 12: r.t_unix_s = EW_STORE_T_MAX_UNIX_S + 1; break;
        case 13: r.aqi.primary = 1u << EW_AIR_NITEMS; break;
        }
        assert_int_equal(EW_EINVAL, ew_store_air_put(f->s, &r));
        snprintf(why, sizeof(why), "%s", ew_store_errmsg(f->s));
        assert_non_null(strstr(why, "air"));
    }
    struct ew_air_query q = { .scope = EW_AIR_SCOPE_STATION, .period = EW_AIR_PERIOD_HOUR };
    assert_int_equal(EW_OK, ew_store_air_each(f->s, &q, record_row, &s));
    q.period = EW_AIR_PERIOD_DAY;
    assert_int_equal(EW_OK, ew_store_air_each(f->s, &q, record_row, &s));
    assert_int_equal(0, s.n);
    /* a day row starts at 00:00 CST, which is 16:00 UTC the day before */
    r = station_hour("1738A", fx_t(2019, 1, 6, 0, 0), 150);
    r.period = EW_AIR_PERIOD_DAY;
    assert_int_equal(EW_OK, ew_store_air_put(f->s, &r));
    assert_int_equal(EW_EINVAL, ew_store_air_get(f->s, EW_AIR_SCOPE_STATION, "1738A", 5,
                                                 r.t_unix_s, &r));
}

struct missing {
    size_t  n;
    int     scope[8];
    char    name[8][49];
    int64_t day[8];
};

static int
record_missing(void *ctx, int scope, const char *name, int64_t day)
{
    struct missing *m = ctx;

    if (m->n < 8) {
        m->scope[m->n] = scope;
        snprintf(m->name[m->n], sizeof(m->name[0]), "%s", name);
        m->day[m->n] = day;
    }
    m->n++;
    return 0;
}

static void
days_without_a_day_row_are_listed(void **state)
{
    struct fx *f = *state;
    int64_t d1 = fx_t(2019, 1, 6, 0, 0), d2 = fx_t(2019, 1, 7, 0, 0);
    struct ew_air_row r;
    struct missing m = { 0 };

    /* 1738A and the city have hours on both days (23:00 is still the first day); 1738A has
     * its first day's row */
    for (int64_t t = d1 + 22 * 3600; t <= d2 + 3600; t += 3600) {
        r = station_hour("1738A", t, 80);
        assert_int_equal(EW_OK, ew_store_air_put(f->s, &r));
        ew_air_row_init(&r);
        r.scope = EW_AIR_SCOPE_CITY;
        r.t_unix_s = t;
        assert_int_equal(EW_OK, ew_store_air_put(f->s, &r));
    }
    r = station_hour("1738A", d1, 80);
    r.period = EW_AIR_PERIOD_DAY;
    assert_int_equal(EW_OK, ew_store_air_put(f->s, &r));

    assert_int_equal(EW_OK, ew_store_air_days_missing(f->s, d1, d2 + 86400, record_missing, &m));
    assert_int_equal(3, m.n);
    assert_int_equal(EW_AIR_SCOPE_CITY, m.scope[0]);
    assert_int_equal(d1, m.day[0]);
    assert_int_equal(EW_AIR_SCOPE_STATION, m.scope[1]);
    assert_string_equal("1738A", m.name[1]);
    assert_int_equal(d2, m.day[1]);
    assert_int_equal(EW_AIR_SCOPE_CITY, m.scope[2]);
    assert_int_equal(d2, m.day[2]);
    /* the upper bound is exclusive: hours from d2 on are not looked at */
    m = (struct missing){ 0 };
    assert_int_equal(EW_OK, ew_store_air_days_missing(f->s, d1, d2, record_missing, &m));
    assert_int_equal(1, m.n);
    assert_int_equal(EW_AIR_SCOPE_CITY, m.scope[0]);
}

struct alerts {
    size_t  n;
    struct ew_air_alert_rec a[4];
    struct ew_air_alert_change ch[8];
    size_t  nch;
};

static int
record_alert(void *ctx, const struct ew_air_alert_rec *a)
{
    struct alerts *s = ctx;

    if (s->n < 4)
        s->a[s->n] = *a;
    s->n++;
    return 0;
}

static int
record_change(void *ctx, const struct ew_air_alert_change *c)
{
    struct alerts *s = ctx;

    if (s->nch < 8)
        s->ch[s->nch] = *c;
    s->nch++;
    return 0;
}

/* One evaluation step as the daemon records it. */
static int
step(struct ew_store *s, int64_t day, int kind, int from, int to, int aqi, int64_t *id)
{
    struct ew_air_alert_state st = { .level = to, .since_unix_s = day + 86400 };
    struct ew_air_alert_change ch = { .kind = kind, .from_level = from, .to_level = to,
                                      .t_unix_s = day + 86400, .day_unix_s = day,
                                      .aqi = aqi };

    return ew_store_air_alert_record(s, EW_AIR_SCOPE_CITY, "", &st, day, &ch, id);
}

static void
alert_lifecycle_is_recorded(void **state)
{
    struct fx *f = *state;
    int64_t d = fx_t(2019, 1, 5, 0, 0), id = -5, id2 = 0, day = 0;
    struct ew_air_alert_state st = { .level = 9 };
    struct alerts s = { 0 };

    assert_int_equal(EW_ENOTFOUND, ew_store_air_alert_state(f->s, EW_AIR_SCOPE_CITY, "", &st,
                                                            &day));
    assert_int_equal(9, st.level);
    /* no alert on: a raise or an end is refused, and the state is not saved either */
    assert_int_equal(EW_ESTATE, step(f->s, d, EW_ALERT_EV_RAISE, 1, 2, 250, &id));
    assert_int_equal(-5, id);
    assert_int_equal(EW_ENOTFOUND, ew_store_air_alert_state(f->s, EW_AIR_SCOPE_CITY, "", &st,
                                                            &day));
    /* a quiet day: state only */
    assert_int_equal(EW_OK, step(f->s, d, EW_ALERT_EV_NONE, 0, 0, 150, &id));
    assert_int_equal(0, id);
    assert_int_equal(EW_OK, step(f->s, d + 86400, EW_ALERT_EV_START, 0, 1, 230, &id));
    assert_true(id > 0);
    assert_int_equal(EW_ESTATE, step(f->s, d + 86400, EW_ALERT_EV_START, 0, 1, 230, &id2));
    assert_int_equal(EW_OK, step(f->s, d + 2 * 86400, EW_ALERT_EV_RAISE, 1, 3, 320, &id2));
    assert_int_equal(id, id2);
    assert_int_equal(EW_OK, ew_store_air_alert_state(f->s, EW_AIR_SCOPE_CITY, "", &st, &day));
    assert_int_equal(3, st.level);
    assert_int_equal(d + 3 * 86400, st.since_unix_s);
    assert_int_equal(d + 2 * 86400, day);
    assert_int_equal(EW_OK, step(f->s, d + 3 * 86400, EW_ALERT_EV_LOWER, 3, 2, 180, &id2));
    assert_int_equal(EW_OK, step(f->s, d + 4 * 86400, EW_ALERT_EV_END, 2, 0, 90, &id2));
    assert_int_equal(id, id2);

    struct ew_air_alert_query q = { .scope = EW_AIR_SCOPE_CITY, .name = "" };
    assert_int_equal(EW_OK, ew_store_air_alert_each(f->s, &q, record_alert, &s));
    assert_int_equal(1, s.n);
    assert_int_equal(id, s.a[0].id);
    assert_int_equal(EW_ALERT_NONE, s.a[0].level);
    assert_int_equal(EW_ALERT_ORANGE, s.a[0].max_level);
    assert_int_equal(d + 2 * 86400, s.a[0].start_unix_s);
    assert_int_equal(d + 5 * 86400, s.a[0].end_unix_s);
    assert_int_equal(EW_OK, ew_store_air_alert_changes(f->s, id, record_change, &s));
    assert_int_equal(4, s.nch);
    static const int kinds[] = { EW_ALERT_EV_START, EW_ALERT_EV_RAISE, EW_ALERT_EV_LOWER,
                                 EW_ALERT_EV_END };
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(kinds[i], s.ch[i].kind);
        assert_int_equal(d + (int64_t)(i + 1) * 86400, s.ch[i].day_unix_s);
    }
    assert_int_equal(320, s.ch[1].aqi);
    /* the window: an alert ended before 'from' is not listed; one still on always is */
    s = (struct alerts){ 0 };
    q.from_unix_s = d + 6 * 86400;
    assert_int_equal(EW_OK, ew_store_air_alert_each(f->s, &q, record_alert, &s));
    assert_int_equal(0, s.n);
    assert_int_equal(EW_OK, step(f->s, d + 9 * 86400, EW_ALERT_EV_START, 0, 2, 260, &id2));
    assert_int_equal(EW_OK, ew_store_air_alert_each(f->s, &q, record_alert, &s));
    assert_int_equal(1, s.n);
    assert_int_equal(0, s.a[0].end_unix_s);
    assert_int_equal(EW_ALERT_YELLOW, s.a[0].level);
}

static void
bad_alert_records_are_refused(void **state)
{
    struct fx *f = *state;
    struct ew_air_alert_state st = { .level = 5 };
    struct ew_air_alert_change ch = { .kind = EW_ALERT_EV_NONE };
    int64_t id = 0, day = 0;

    assert_int_equal(EW_EINVAL, ew_store_air_alert_record(f->s, EW_AIR_SCOPE_CITY, "", &st,
                                                          0, &ch, &id));
    st.level = 1;
    ch = (struct ew_air_alert_change){ .kind = 7 };
    assert_int_equal(EW_EINVAL, ew_store_air_alert_record(f->s, EW_AIR_SCOPE_CITY, "", &st,
                                                          0, &ch, &id));
    ch = (struct ew_air_alert_change){ .kind = EW_ALERT_EV_START, .to_level = 6 };
    assert_int_equal(EW_EINVAL, ew_store_air_alert_record(f->s, EW_AIR_SCOPE_CITY, "", &st,
                                                          0, &ch, &id));
    ch = (struct ew_air_alert_change){ .kind = EW_ALERT_EV_START, .to_level = 1 };
    assert_int_equal(EW_EINVAL, ew_store_air_alert_record(f->s, EW_AIR_SCOPE_CITY, "x", &st,
                                                          0, &ch, &id));
    assert_int_equal(EW_ENOTFOUND, ew_store_air_alert_state(f->s, EW_AIR_SCOPE_CITY, "", &st,
                                                            &day));
}

static void
targets_fall_back_to_the_default_year(void **state)
{
    struct fx *f = *state;
    struct ew_air_target t = { .pm25_ugm3 = 35, .good_share_pct = NAN, .heavy_days_max = -1 };
    struct ew_air_target got = { .pm25_ugm3 = -7 };
    int from = -1;

    assert_int_equal(EW_ENOTFOUND, ew_store_air_target_get(f->s, 2019, &got, &from));
    assert_true(got.pm25_ugm3 == -7);
    assert_int_equal(-1, from);
    assert_int_equal(EW_OK, ew_store_air_target_put(f->s, 0, &t));
    assert_int_equal(EW_OK, ew_store_air_target_get(f->s, 2019, &got, &from));
    assert_int_equal(0, from);
    assert_true(got.pm25_ugm3 == 35);
    assert_true(isnan(got.good_share_pct));
    assert_int_equal(-1, got.heavy_days_max);
    t = (struct ew_air_target){ .pm25_ugm3 = 48.5, .good_share_pct = 66.3, .heavy_days_max = 8 };
    assert_int_equal(EW_OK, ew_store_air_target_put(f->s, 2019, &t));
    assert_int_equal(EW_OK, ew_store_air_target_get(f->s, 2019, &got, &from));
    assert_int_equal(2019, from);
    assert_true(got.pm25_ugm3 == 48.5 && got.good_share_pct == 66.3);
    assert_int_equal(8, got.heavy_days_max);
    assert_int_equal(EW_OK, ew_store_air_target_get(f->s, 2020, &got, &from));
    assert_int_equal(0, from);

    static const struct {
        int    year;
        struct ew_air_target t;
    } bad[] = {
        { 1999, { 35, 80, 5 } },
        { 2019, { -1, 80, 5 } },
        { 2019, { 35, 100.5, 5 } },
        { 2019, { 35, 80, -2 } },
        { 2019, { INFINITY, 80, 5 } },
    };
    for (size_t i = 0; i < EW_ARRAY_LEN(bad); i++)
        assert_int_equal(EW_EINVAL, ew_store_air_target_put(f->s, bad[i].year, &bad[i].t));
    assert_int_equal(EW_OK, ew_store_air_target_get(f->s, 2019, &got, &from));
    assert_true(got.pm25_ugm3 == 48.5);
}

static void
rows_survive_reopen_and_read_only_handles_cannot_write(void **state)
{
    struct fx *f = *state;
    int64_t t = fx_t(2019, 1, 6, 8, 0);
    struct ew_air_row r = station_hour("1738A", t, 205), got;
    struct ew_store *ro = NULL;

    /* a rolled-back batch leaves nothing */
    assert_int_equal(EW_OK, ew_store_begin(f->s));
    assert_int_equal(EW_OK, ew_store_air_put(f->s, &r));
    assert_int_equal(EW_OK, ew_store_rollback(f->s));
    assert_int_equal(EW_ENOTFOUND, ew_store_air_get(f->s, EW_AIR_SCOPE_STATION, "1738A",
                                                    EW_AIR_PERIOD_HOUR, t, &got));
    assert_int_equal(EW_OK, ew_store_begin(f->s));
    assert_int_equal(EW_OK, ew_store_air_put(f->s, &r));
    assert_int_equal(EW_OK, ew_store_commit(f->s));
    ew_store_close(f->s);
    f->s = NULL;
    assert_int_equal(EW_OK, ew_store_open(f->dir, EW_STORE_RDONLY, &ro));
    assert_int_equal(EW_OK, ew_store_air_get(ro, EW_AIR_SCOPE_STATION, "1738A",
                                             EW_AIR_PERIOD_HOUR, t, &got));
    assert_row_equal(&r, &got);
    assert_int_not_equal(EW_OK, ew_store_air_put(ro, &r));
    ew_store_close(ro);
    assert_int_equal(EW_OK, ew_store_open(f->dir, 0, &f->s));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(row_round_trips_and_replaces, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(search_orders_and_filters, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(bad_rows_are_refused_and_nothing_stored, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(days_without_a_day_row_are_listed, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(alert_lifecycle_is_recorded, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(bad_alert_records_are_refused, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(targets_fall_back_to_the_default_year, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(rows_survive_reopen_and_read_only_handles_cannot_write,
                                        fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests_name("store/sqlite_air", tests, NULL, NULL);
}
