/* SPDX-License-Identifier: MIT */
/*
 * Air quality live in the daemon: a writer hook (include/envwatch/hooks.h) that turns each
 * committed hourly upload (CN 2061) of an air station into stored AQI rows and live events.
 *
 *   hour  the station's real-time AQI (HJ 633 as the national platform computes it,
 *         ew_aqi_hour), then its county's and the city's hour: per pollutant the mean of the
 *         evaluation stations that have the hour (ew_air_hour_mean), then the AQI of it;
 *   day   when the day's last hour (23:00-24:00 CST) arrives, or any later hour of a day that
 *         already has values, the daily values of HJ 663 (ew_air_day_from_hours) and the
 *         daily AQI, for the station, its county and the city (a county's or the city's day
 *         from its mean hours: for O3 8-hour this is [M], reference/air.md §4.3 and §9); a
 *         day whose last hour never came is closed by the tick (ew_store_air_days_missing);
 *   alert the city's heavy-pollution alert state machine (ew_air_alert_step) on the observed
 *         daily AQI, once per day, with its start/raise/lower/end changes stored;
 *   targets the [air] targets, written to the store for the API (year 0 = every year).
 *
 * Every rule is a pure function of include/envwatch/air.h; this file only gathers inputs from
 * the store and writes results back, inside the writer's transaction. It is not the API
 * (src/api/air.c) and keeps no state that is not also in the store, except the parsed
 * settings. docs/air.md section 9 describes the behaviour for users.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <envwatch/air.h>
#include <envwatch/emission.h>
#include <envwatch/err.h>
#include <envwatch/hooks.h>
#include <envwatch/store.h>

#include "util/airrow.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/time.h"

#define TICK_S 60
#define DAY_S 86400
#define LOOKBACK_DAYS 31        /* the tick closes days this far back (the first one: all) */
#define PASS_MAX 4096           /* days closed per tick; the rest wait for the next one */
/* The platform publishes an hour at most an hour late (reference/air.md §1.5), so a day is
 * complete an hour after it ends; the tick then waits until its values stop changing. */
#define ALERT_GRACE_S 3600
#define ALERT_SETTLE_S 120
#define OUTLOOK_DAYS 30         /* observed days the alert rules look at, the day included */
#define EVENT_MAX (64 * 1024)

struct air_live {
    struct ew_air_alert_cfg alert;
    struct ew_air_target    target;
    int                     target_saved;
    int                     history_done;   /* a day-end pass has covered all history */
};

/* The six pollutants by HJ 212-2017 Appendix B.2 code (O3 a05024 is the code in common use;
 * B.2 has none, reference/hj212.md §6.2). Values are the Avg of the hour in µg/m3, CO mg/m3,
 * as ambient stations report (DESIGN.md "Time, units"; B.2 lists the flue-gas mg/m3): a
 * point sending other units is not converted [M]. */
static const struct {
    const char *code;
    int         item;
} factors[] = {
    { "a21026", EW_AIR_SO2 }, { "a21004", EW_AIR_NO2 }, { "a21005", EW_AIR_CO },
    { "a05024", EW_AIR_O3_1H }, { "a34002", EW_AIR_PM10 }, { "a34004", EW_AIR_PM25 },
};

static int64_t
day_of(int64_t t)
{
    int64_t r = (t + EW_CST_OFFSET_S) % DAY_S;

    return t - (r < 0 ? r + DAY_S : r);
}

/* ---- settings ------------------------------------------------------------------------------ */

/* A target as text: "" or "off" is no target (NAN); otherwise a number in [0, max]. */
static int
parse_target(const char *s, double max, double *out)
{
    char *end;
    double v;

    if (s[0] == '\0' || strcmp(s, "off") == 0) {
        *out = NAN;
        return EW_OK;
    }
    errno = 0;
    v = strtod(s, &end);
    if (errno != 0 || end == s || *end != '\0' || !isfinite(v) || v < 0 || v > max)
        return EW_EFORMAT;
    *out = v;
    return EW_OK;
}

static int
load_settings(const struct ew_config *cfg, struct air_live *st)
{
    const char *rules[EW_ALERT_NLEVELS] = { NULL, cfg->air_alert_blue, cfg->air_alert_yellow,
                                            cfg->air_alert_orange, cfg->air_alert_red };
    double heavy;
    int rc;

    if ((rc = parse_target(cfg->air_target_pm25_ugm3, 1000, &st->target.pm25_ugm3)) != EW_OK ||
        (rc = parse_target(cfg->air_target_good_share_pct, 100,
                           &st->target.good_share_pct)) != EW_OK ||
        (rc = parse_target(cfg->air_target_heavy_days, 366, &heavy)) != EW_OK)
        return rc;
    if (!isnan(heavy) && heavy != floor(heavy))
        return EW_EFORMAT;
    st->target.heavy_days_max = isnan(heavy) ? -1 : (int)heavy;
    ew_air_alert_cfg_national(&st->alert);
    for (int level = EW_ALERT_BLUE; level < EW_ALERT_NLEVELS; level++)
        if ((rc = ew_air_alert_rule_parse(rules[level], &st->alert.rule[level])) != EW_OK)
            return rc;
    st->alert.merge_gap_days = (int)cfg->air_alert_merge_gap_days;
    st->alert.lift_days = cfg->air_alert_lift_days > 0 ? (int)cfg->air_alert_lift_days : 1;
    return EW_OK;
}

static int
air_create(const struct ew_config *cfg, void **state)
{
    struct air_live *st = calloc(1, sizeof(*st));
    int rc;

    if (st == NULL)
        return EW_ENOMEM;
    if ((rc = load_settings(cfg, st)) != EW_OK) {
        free(st);
        return rc;
    }
    *state = st;
    return EW_OK;
}

static void
air_destroy(void *state)
{
    free(state);
}

/* ---- events ---------------------------------------------------------------------------------- */

static void
publish_row(const struct ew_hook_env *env, const struct ew_air_row *r)
{
    struct ew_buf b;

    ew_buf_init(&b, EVENT_MAX);
    if (ew_airrow_json(&b, r) == EW_OK)
        env->publish(env->pub_ctx, "aqi", b.ptr);
    ew_buf_fini(&b);
}

/* Stores a computed row and announces it (the event leaves only if the batch commits). */
static int
put_row(const struct ew_hook_env *env, struct ew_air_row *r)
{
    int rc;

    r->computed_unix_s = env->now_ms / 1000;
    if ((rc = ew_store_air_put(env->s, r)) == EW_OK)
        publish_row(env, r);
    return rc;
}

static void
set_aqi(struct ew_air_row *r, int rc, const struct ew_aqi_result *res)
{
    if (rc == EW_OK)
        r->aqi = *res;          /* otherwise EW_ENODATA: no item valid, the row says none */
}

/* ---- one station's hour ---------------------------------------------------------------------- */

struct hour_acc {
    struct ew_air_hour h;
    unsigned present;           /* items sent at all, valid or not */
};

/* A value counts when its data flag is valid (N, S, T or none: HJ 212-2017 table 8, the rule
 * of ew_flag_valid) and it is a non-negative number. */
static int
take_reading(void *ctx, const struct ew_reading *r)
{
    struct hour_acc *a = ctx;

    for (size_t i = 0; i < EW_ARRAY_LEN(factors); i++) {
        if (strcmp(r->factor, factors[i].code) != 0)
            continue;
        a->present |= 1u << factors[i].item;
        if (strlen(r->flag) <= 1 && ew_flag_valid(r->flag[0]) && isfinite(r->value) &&
            r->value >= 0) {
            /* The platform computes from the published values: integers, CO one decimal
             * (reference/air.md §1.2), rounded as GB/T 8170. */
            int item = factors[i].item;
            ew_air_hour_set(&a->h, item, ew_air_round(r->value, ew_air_item_decimals(item)));
        }
    }
    return 0;
}

static void
hour_into_row(const struct ew_air_hour *h, struct ew_air_row *r)
{
    for (int i = 0; i < EW_AIR_NITEMS; i++) {
        r->conc[i] = i == EW_AIR_O3_8H ? NAN : ew_air_hour_get(h, i);
        r->n_valid[i] = !isnan(r->conc[i]);
    }
}

/* The station's hour from every hourly reading stored for it (a split upload arrives in
 * pieces, so not only this frame's). *present is 0 when none of the six was sent. */
static int
station_hour(const struct ew_hook_env *env, const struct ew_point *p, int64_t t,
             struct ew_air_row *r, unsigned *present)
{
    struct ew_reading_query q = { .point_id = p->id, .kind = EW_KIND_HOUR, .from_unix_s = t,
                                  .to_unix_s = t };
    struct ew_aqi_result res;
    struct hour_acc a;
    int rc;

    ew_air_hour_clear(&a.h);
    a.present = 0;
    if ((rc = ew_store_reading_each(env->s, &q, take_reading, &a)) != EW_OK)
        return rc;
    ew_air_row_init(r);
    r->scope = EW_AIR_SCOPE_STATION;
    snprintf(r->name, sizeof(r->name), "%s", p->mn);
    snprintf(r->county, sizeof(r->county), "%s", p->county);
    r->control = ew_airrow_is_control(p->extra);
    r->period = EW_AIR_PERIOD_HOUR;
    r->t_unix_s = t;
    r->stations = 1;
    hour_into_row(&a.h, r);
    set_aqi(r, ew_aqi_hour(&a.h, &res), &res);
    *present = a.present;
    return EW_OK;
}

/* ---- county and city hours ------------------------------------------------------------------- */

struct member {
    char               county[EW_AIR_NAME_MAX + 1];
    struct ew_air_hour h;
};

struct members {
    struct member *v;
    size_t         n, cap;
};

static int
take_member(void *ctx, const struct ew_air_row *r)
{
    struct members *m = ctx;

    if (r->control)
        return 0;
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 16;
        struct member *v = realloc(m->v, cap * sizeof(*v));
        if (v == NULL)
            return EW_ENOMEM;
        m->v = v;
        m->cap = cap;
    }
    snprintf(m->v[m->n].county, sizeof(m->v[0].county), "%s", r->county);
    ew_air_hour_clear(&m->v[m->n].h);
    for (int i = 0; i < EW_AIR_NITEMS; i++)
        if (i != EW_AIR_O3_8H)
            ew_air_hour_set(&m->v[m->n].h, i, r->conc[i]);
    m->n++;
    return 0;
}

/* The hour of an area (county, or the city when county is NULL) from its member stations. */
static int
area_hour(const struct ew_hook_env *env, const struct members *m, const char *county,
          int64_t t)
{
    struct ew_air_hour *hs = calloc(m->n > 0 ? m->n : 1, sizeof(*hs)), mean;
    struct ew_aqi_result res;
    struct ew_air_row r;
    size_t k = 0;
    int rc;

    if (hs == NULL)
        return EW_ENOMEM;
    ew_air_row_init(&r);
    for (size_t i = 0; i < m->n; i++) {
        int any = 0;
        if (county != NULL && strcmp(m->v[i].county, county) != 0)
            continue;
        hs[k++] = m->v[i].h;
        for (int item = 0; item < EW_AIR_NITEMS; item++) {
            int v = item != EW_AIR_O3_8H && !isnan(ew_air_hour_get(&m->v[i].h, item));
            r.n_valid[item] += v;
            any |= v;
        }
        r.stations += any;      /* stations with something valid: those in the mean */
    }
    rc = k == 0 ? EW_OK : ew_air_hour_mean(hs, k, &mean);
    if (k > 0 && rc == EW_OK) {
        r.scope = county != NULL ? EW_AIR_SCOPE_COUNTY : EW_AIR_SCOPE_CITY;
        snprintf(r.name, sizeof(r.name), "%s", county != NULL ? county : "");
        snprintf(r.county, sizeof(r.county), "%s", county != NULL ? county : "");
        r.period = EW_AIR_PERIOD_HOUR;
        r.t_unix_s = t;
        for (int i = 0; i < EW_AIR_NITEMS; i++)
            r.conc[i] = i == EW_AIR_O3_8H ? NAN : ew_air_hour_get(&mean, i);
        set_aqi(&r, ew_aqi_hour(&mean, &res), &res);
        rc = put_row(env, &r);
    }
    free(hs);
    return rc;
}

/* Recomputes the county's and the city's hour t from the station rows of that hour. */
static int
area_hours(const struct ew_hook_env *env, const char *county, int64_t t)
{
    struct ew_air_query q = { .scope = EW_AIR_SCOPE_STATION, .period = EW_AIR_PERIOD_HOUR,
                              .from_unix_s = t, .to_unix_s = t };
    struct members m = { 0 };
    int rc = ew_store_air_each(env->s, &q, take_member, &m);

    if (rc == EW_OK && county[0] != '\0')
        rc = area_hour(env, &m, county, t);
    if (rc == EW_OK)
        rc = area_hour(env, &m, NULL, t);
    free(m.v);
    return rc;
}

/* ---- days ------------------------------------------------------------------------------------ */

struct day_acc {
    int64_t            day;
    struct ew_air_hour hours[24];
    int                n, stations_max, last_stations;
    char               county[EW_AIR_NAME_MAX + 1];
    int                control;
};

static int
take_hour(void *ctx, const struct ew_air_row *r)
{
    struct day_acc *a = ctx;
    int64_t i = (r->t_unix_s - a->day) / 3600;

    if (i < 0 || i >= 24)
        return 0;
    for (int item = 0; item < EW_AIR_NITEMS; item++)
        if (item != EW_AIR_O3_8H)
            ew_air_hour_set(&a->hours[i], item, r->conc[item]);
    a->n++;
    if (r->stations > a->stations_max)
        a->stations_max = r->stations;
    if (i == 23)
        a->last_stations = r->stations;
    snprintf(a->county, sizeof(a->county), "%s", r->county);
    a->control = r->control;
    return 0;
}

/*
 * The daily values of (scope, name) for the day from its stored hours (HJ 663 validity,
 * ew_air_day_from_hours), then the daily AQI. *complete (may be NULL) is 1 when the day's
 * last hour is in and has as many stations as any hour of the day. A day without any hour
 * gets no row.
 */
static int
compute_day(const struct ew_hook_env *env, int scope, const char *name, int64_t day,
            int *complete)
{
    struct ew_air_query q = { .scope = scope, .name = name, .period = EW_AIR_PERIOD_HOUR,
                              .from_unix_s = day, .to_unix_s = day + 23 * 3600 };
    struct ew_air_day_info info;
    struct ew_aqi_result res;
    struct ew_air_day d;
    struct ew_air_row r;
    struct day_acc a = { .day = day };
    int rc;

    for (int i = 0; i < 24; i++)
        ew_air_hour_clear(&a.hours[i]);
    if ((rc = ew_store_air_each(env->s, &q, take_hour, &a)) != EW_OK || a.n == 0)
        return rc;
    if ((rc = ew_air_day_from_hours(a.hours, &d, &info)) != EW_OK)
        return rc;
    ew_air_row_init(&r);
    r.scope = scope;
    snprintf(r.name, sizeof(r.name), "%s", name);
    snprintf(r.county, sizeof(r.county), "%s", a.county);
    r.control = a.control;
    r.period = EW_AIR_PERIOD_DAY;
    r.t_unix_s = day;
    r.stations = a.stations_max;
    for (int i = 0; i < EW_AIR_NITEMS; i++) {
        r.conc[i] = ew_air_day_get(&d, i);
        r.n_valid[i] = info.n_hours[i];
    }
    set_aqi(&r, ew_aqi_day(&d, &res), &res);
    if (complete != NULL)
        *complete = a.last_stations > 0 && a.last_stations >= a.stations_max;
    return put_row(env, &r);
}

/* ---- alerts ---------------------------------------------------------------------------------- */

struct outlook_acc {
    int64_t first;
    int     aqi[OUTLOOK_DAYS];
};

static int
take_outlook(void *ctx, const struct ew_air_row *r)
{
    struct outlook_acc *o = ctx;
    int64_t i = (r->t_unix_s - o->first) / DAY_S;

    if (i >= 0 && i < OUTLOOK_DAYS)
        o->aqi[i] = r->aqi.aqi;
    return 0;
}

static void
publish_change(const struct ew_hook_env *env, int64_t id, const struct ew_air_alert_change *c)
{
    char t[20], day[20];
    struct ew_buf b;

    ew_time_fmt_iso(c->t_unix_s, t);
    ew_time_fmt_iso(c->day_unix_s, day);
    day[10] = '\0';
    ew_buf_init(&b, EVENT_MAX);
    ew_buf_printf(&b, "{\"id\":%lld,\"scope\":\"city\",\"name\":null,\"kind\":\"%s\","
                      "\"from\":\"%s\",\"to\":\"%s\",\"level\":\"%s\",\"level_zh\":",
                  (long long)id, ew_air_alert_event_name(c->kind),
                  ew_air_alert_level_name(c->from_level), ew_air_alert_level_name(c->to_level),
                  ew_air_alert_level_name(c->to_level));
    ew_json_strz(&b, ew_air_alert_level_name_zh(c->to_level));
    ew_buf_printf(&b, ",\"time\":\"%s\",\"day\":\"%s\",\"aqi\":", t, day);
    if (c->aqi >= 0)
        ew_buf_printf(&b, "%d}", c->aqi);
    else
        ew_buf_adds(&b, "null}");
    env->publish(env->pub_ctx, "air-alert", b.ptr);
    ew_buf_fini(&b);
}

/*
 * One step of the city's alert state machine for the observed day (once per day: a day at
 * or before the last one evaluated is left alone, so corrections to the past do not rewrite
 * decisions already taken). The change takes effect at the end of the day, when its daily
 * AQI is known.
 */
static int
alert_eval(const struct air_live *st, const struct ew_hook_env *env, int64_t day)
{
    struct outlook_acc o = { .first = day - (OUTLOOK_DAYS - 1) * (int64_t)DAY_S };
    struct ew_air_query q = { .scope = EW_AIR_SCOPE_CITY, .name = "",
                              .period = EW_AIR_PERIOD_DAY, .from_unix_s = o.first,
                              .to_unix_s = day };
    struct ew_air_alert_outlook ol = { o.aqi, OUTLOOK_DAYS, OUTLOOK_DAYS - 1 };
    struct ew_air_alert_state s = { 0 };
    struct ew_air_alert_event ev;
    struct ew_air_alert_change ch;
    int64_t last = 0, id = 0;
    int rc = ew_store_air_alert_state(env->s, EW_AIR_SCOPE_CITY, "", &s, &last);

    if (rc == EW_ENOTFOUND) {
        s = (struct ew_air_alert_state){ 0 };
        last = 0;
    } else if (rc != EW_OK) {
        return rc;
    }
    if (day <= last)
        return EW_OK;
    for (int i = 0; i < OUTLOOK_DAYS; i++)
        o.aqi[i] = -1;
    if ((rc = ew_store_air_each(env->s, &q, take_outlook, &o)) != EW_OK)
        return rc;
    if ((rc = ew_air_alert_step(&st->alert, &s, day + DAY_S, &ol, &ev)) != EW_OK)
        return rc;
    ch = (struct ew_air_alert_change){ .kind = ev.kind, .from_level = ev.from_level,
                                       .to_level = ev.to_level, .t_unix_s = ev.t_unix_s,
                                       .day_unix_s = day, .aqi = o.aqi[OUTLOOK_DAYS - 1] };
    rc = ew_store_air_alert_record(env->s, EW_AIR_SCOPE_CITY, "", &s, day, &ch, &id);
    if (rc == EW_OK && ev.kind != EW_ALERT_EV_NONE)
        publish_change(env, id, &ch);
    return rc;
}

/* ---- the hook -------------------------------------------------------------------------------- */

/* 1 when the day of (scope, name) already has a row. */
static int
day_exists(const struct ew_hook_env *env, int scope, const char *name, int64_t day, int *yes)
{
    struct ew_air_row old;
    int rc = ew_store_air_get(env->s, scope, name, EW_AIR_PERIOD_DAY, day, &old);

    *yes = rc == EW_OK;
    return rc == EW_ENOTFOUND ? EW_OK : rc;
}

/* The days of a station's hour: computed when the day's last hour arrives, recomputed for
 * any hour of a day that already has values, the station's or (for an evaluation station)
 * the city's: late, gap-filled or re-sent data. */
static int
days_after_hour(const struct air_live *st, const struct ew_hook_env *env,
                const struct ew_air_row *h)
{
    int64_t day = day_of(h->t_unix_s);
    int complete = 0, yes = h->t_unix_s - day == 23 * 3600, rc;

    if (!yes && (rc = day_exists(env, EW_AIR_SCOPE_STATION, h->name, day, &yes)) != EW_OK)
        return rc;
    if (!yes && !h->control &&
        (rc = day_exists(env, EW_AIR_SCOPE_CITY, "", day, &yes)) != EW_OK)
        return rc;
    if (!yes)
        return EW_OK;
    if ((rc = compute_day(env, EW_AIR_SCOPE_STATION, h->name, day, NULL)) != EW_OK ||
        h->control)
        return rc;
    if (h->county[0] != '\0' &&
        (rc = compute_day(env, EW_AIR_SCOPE_COUNTY, h->county, day, NULL)) != EW_OK)
        return rc;
    if ((rc = compute_day(env, EW_AIR_SCOPE_CITY, "", day, &complete)) != EW_OK || !complete)
        return rc;
    return alert_eval(st, env, day);
}

static int
air_frame(void *state, const struct ew_hook_env *env, const struct ew_hook_frame *f)
{
    struct ew_air_row r;
    struct ew_point p;
    unsigned present = 0;
    int rc;

    if (f->data_kind != EW_KIND_HOUR || f->n == 0 || f->point_kind == NULL ||
        strcmp(f->point_kind, "air") != 0)
        return EW_OK;
    /* HJ 212: the DataTime of hourly data is the start of its hour. */
    if (f->t_unix_s % 3600 != 0)
        return EW_EFORMAT;
    if ((rc = ew_store_point_get(env->s, f->mn, &p)) != EW_OK)
        return rc;
    if ((rc = station_hour(env, &p, f->t_unix_s, &r, &present)) != EW_OK || present == 0)
        return rc;
    if ((rc = put_row(env, &r)) != EW_OK)
        return rc;
    if (!r.control && (rc = area_hours(env, r.county, r.t_unix_s)) != EW_OK)
        return rc;
    return days_after_hour(state, env, &r);
}

struct missing {
    struct {
        int     scope;
        char    name[EW_AIR_NAME_MAX + 1];
        int64_t day;
    } v[PASS_MAX];
    size_t n;
};

static int
take_missing(void *ctx, int scope, const char *name, int64_t day)
{
    struct missing *m = ctx;

    if (m->n == PASS_MAX)
        return 1;               /* stop: the rest next time */
    m->v[m->n].scope = scope;
    snprintf(m->v[m->n].name, sizeof(m->v[0].name), "%s", name);
    m->v[m->n].day = day;
    m->n++;
    return 0;
}

/* Closes the days whose last hour never came: after a start all the history (PASS_MAX days
 * per tick until done), then the last LOOKBACK_DAYS. */
static int
close_days(const struct air_live *st, const struct ew_hook_env *env, int64_t today, int *all)
{
    int64_t from = st->history_done ? today - LOOKBACK_DAYS * DAY_S : EW_STORE_T_MIN_UNIX_S;
    struct missing *m = calloc(1, sizeof(*m));
    int rc, capped = 0;

    if (m == NULL)
        return EW_ENOMEM;
    rc = ew_store_air_days_missing(env->s, from, today, take_missing, m);
    if (rc == 1) {
        capped = 1;
        rc = EW_OK;
    }
    for (size_t i = 0; i < m->n && rc == EW_OK; i++)
        rc = compute_day(env, m->v[i].scope, m->v[i].name, m->v[i].day, NULL);
    *all = !capped;
    free(m);
    return rc;
}

struct due {
    int64_t day[OUTLOOK_DAYS + LOOKBACK_DAYS], computed[OUTLOOK_DAYS + LOOKBACK_DAYS];
    size_t  n;
};

static int
take_due(void *ctx, const struct ew_air_row *r)
{
    struct due *d = ctx;

    if (d->n < EW_ARRAY_LEN(d->day)) {
        d->day[d->n] = r->t_unix_s;
        d->computed[d->n] = r->computed_unix_s;
        d->n++;
    }
    return 0;
}

/* Evaluates the city days that ended more than ALERT_GRACE_S ago and have settled, in order,
 * stopping at the first one still changing. */
static int
alerts_due(const struct air_live *st, const struct ew_hook_env *env, int64_t now)
{
    struct ew_air_alert_state s;
    struct ew_air_query q = { .scope = EW_AIR_SCOPE_CITY, .name = "",
                              .period = EW_AIR_PERIOD_DAY,
                              .to_unix_s = day_of(now - DAY_S - ALERT_GRACE_S),
                              .limit = OUTLOOK_DAYS + LOOKBACK_DAYS };
    struct due d = { .n = 0 };
    int64_t last = 0;
    int rc = ew_store_air_alert_state(env->s, EW_AIR_SCOPE_CITY, "", &s, &last);

    if (rc != EW_OK && rc != EW_ENOTFOUND)
        return rc;
    q.from_unix_s = rc == EW_OK ? last + DAY_S : day_of(now) - LOOKBACK_DAYS * DAY_S;
    if (q.from_unix_s > q.to_unix_s)
        return EW_OK;
    if ((rc = ew_store_air_each(env->s, &q, take_due, &d)) != EW_OK)
        return rc;
    for (size_t i = 0; i < d.n && rc == EW_OK; i++) {
        if (d.computed[i] > now - ALERT_SETTLE_S)
            break;
        rc = alert_eval(st, env, d.day[i]);
    }
    return rc;
}

static int
air_tick(void *state, const struct ew_hook_env *env)
{
    struct air_live *st = state;
    int64_t now = env->now_ms / 1000;
    int rc = EW_OK, all = 0;

    if (!st->target_saved)
        rc = ew_store_air_target_put(env->s, 0, &st->target);
    if (rc == EW_OK)
        rc = close_days(st, env, day_of(now), &all);
    if (rc == EW_OK)
        rc = alerts_due(st, env, now);
    /* kept only when the tick's transaction is about to commit */
    if (rc == EW_OK) {
        st->target_saved = 1;
        st->history_done |= all;
    }
    return rc;
}

const struct ew_hook ew__hook_air_live = {
    .name = "air",
    .tick_s = TICK_S,
    .create = air_create,
    .destroy = air_destroy,
    .on_frame = air_frame,
    .on_tick = air_tick,
};
