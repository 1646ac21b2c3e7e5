/* SPDX-License-Identifier: MIT */
/*
 * Air quality over HTTP: the stored hourly and daily AQI rows (JSON or CSV), the current hour
 * of the city and its stations, and the heavy-pollution alerts. The rows are computed by the
 * daemon as data is committed (src/ingest/air_live.c); nothing is computed here except the
 * choice of the hour to show. Statistics, rankings and targets are in air_stats.c.
 *
 * Times are the START of the hour or day, like every reading (docs/api.md "Air quality").
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <envwatch/air.h>

#include "api/air_internal.h"
#include "util/airrow.h"
#include "util/json.h"
#include "util/time.h"

#define ROWS_MAX 100000         /* rows per answer unless limit says otherwise */
#define NOW_LOOKBACK_HOURS 3    /* how far /now looks back for an hour with every station */

static int
parse_period(struct api_req *r, int *period)
{
    const char *p = api_query(r, "period");

    if (p == NULL || strcmp(p, "hour") == 0)
        *period = EW_AIR_PERIOD_HOUR;
    else if (strcmp(p, "day") == 0)
        *period = EW_AIR_PERIOD_DAY;
    else
        return api_error(r, 400, "bad_param", "period must be hour or day"), EW_EINVAL;
    return EW_OK;
}

/* station=MN | county=NAME | city: the area of /aqi; name points into the query. */
static int
parse_area(struct api_req *r, int *scope, const char **name)
{
    const char *st = api_query(r, "station"), *co = api_query(r, "county");
    const char *city = api_query(r, "city");
    int given = (st != NULL) + (co != NULL) + (city != NULL);

    if (given != 1)
        return api_error(r, 400, "bad_param",
                         "give exactly one of station=MN, county=NAME or city"), EW_EINVAL;
    *scope = st != NULL ? EW_AIR_SCOPE_STATION : co != NULL ? EW_AIR_SCOPE_COUNTY
                                                             : EW_AIR_SCOPE_CITY;
    *name = st != NULL ? st : co != NULL ? co : "";
    if ((st != NULL && (st[0] == '\0' || strlen(st) > 32)) ||
        (co != NULL && (co[0] == '\0' || strlen(co) > EW_AIR_NAME_MAX)))
        return api_error(r, 400, "bad_param", "station or county name is empty or too long"),
               EW_EINVAL;
    return EW_OK;
}

static int
parse_limit(struct api_req *r, size_t *limit)
{
    const char *lim = api_query(r, "limit");
    char *end;
    unsigned long v;

    *limit = ROWS_MAX;
    if (lim == NULL)
        return EW_OK;
    v = strtoul(lim, &end, 10);
    if (*end != '\0' || lim[0] == '-' || v == 0 || v > 1000000)
        return api_error(r, 400, "bad_limit", "limit must be 1..1000000"), EW_EINVAL;
    *limit = v;
    return EW_OK;
}

struct emit {
    struct ew_buf *b;
    int csv, n;
};

static int
emit_row(void *ctx, const struct ew_air_row *row)
{
    struct emit *e = ctx;

    if (e->csv)
        return ew_airrow_csv(e->b, row);
    if (e->n++ > 0 && ew_buf_addc(e->b, ',') != EW_OK)
        return EW_ETOOBIG;
    return ew_airrow_json(e->b, row);
}

/* GET /api/v1/air/aqi?station=MN|county=NAME|city&period=hour|day&from=&to=[&format=csv] */
static int
aqi_rows(struct api_req *r)
{
    const char *fmt = api_query(r, "format"), *name;
    struct emit e = { &r->out, fmt != NULL && strcmp(fmt, "csv") == 0, 0 };
    struct ew_air_query q;
    int64_t now = time(NULL), from, to;
    int scope, period, rc;
    size_t limit;

    if (fmt != NULL && !e.csv && strcmp(fmt, "json") != 0)
        return api_error(r, 400, "bad_param", "format must be json or csv");
    if (parse_area(r, &scope, &name) != EW_OK || parse_period(r, &period) != EW_OK ||
        parse_limit(r, &limit) != EW_OK)
        return EW_OK;
    /* default: the last 24 hours, or the last 30 days */
    if (api_time_range(r, now - (period == EW_AIR_PERIOD_HOUR ? 86400 : 30 * 86400), now,
                       &from, &to) != EW_OK)
        return EW_OK;
    q = (struct ew_air_query){ .scope = scope, .name = name, .period = period,
                               .from_unix_s = from, .to_unix_s = to, .limit = limit };
    if (e.csv) {
        r->content_type = "text/csv; charset=utf-8";
        r->disposition = "attachment; filename=\"aqi.csv\"";
        ew_airrow_csv_header(&r->out);
    } else {
        ew_buf_addc(&r->out, '[');
    }
    if ((rc = ew_store_air_each(r->store, &q, emit_row, &e)) != EW_OK)
        return rc == EW_ETOOBIG ? api_error(r, 400, "bad_limit", "the answer would be too "
                                            "large: narrow the time range or set a limit")
                                : api_store_error(r, rc);
    return e.csv ? EW_OK : ew_buf_addc(&r->out, ']');
}

/* ---- GET /api/v1/air/now --------------------------------------------------------------------- */

struct hour_pick {
    int64_t t[NOW_LOOKBACK_HOURS + 1];
    int     stations[NOW_LOOKBACK_HOURS + 1];
    size_t  n;
};

static int
take_city_hour(void *ctx, const struct ew_air_row *row)
{
    struct hour_pick *h = ctx;

    if (h->n <= NOW_LOOKBACK_HOURS) {
        h->t[h->n] = row->t_unix_s;
        h->stations[h->n] = row->stations;
        h->n++;
    }
    return 0;
}

static int
count_members(void *ctx, const struct ew_point *p)
{
    int *n = ctx;

    if (strcmp(p->kind, "air") == 0 && !ew_airrow_is_control(p->extra))
        (*n)++;
    return 0;
}

/*
 * The latest complete hour: the newest city hour that has every evaluation station of the
 * registry, among the last NOW_LOOKBACK_HOURS + 1 city hours (the platform publishes an hour
 * at most an hour late); when none has them all, the newest. EW_ENOTFOUND when no city hour
 * exists.
 */
static int
pick_hour(struct ew_store *s, int64_t *t)
{
    struct ew_air_query q = { .scope = EW_AIR_SCOPE_CITY, .name = "",
                              .period = EW_AIR_PERIOD_HOUR, .newest_first = 1,
                              .limit = NOW_LOOKBACK_HOURS + 1 };
    struct hour_pick h = { .n = 0 };
    int members = 0, rc;

    if ((rc = ew_store_air_each(s, &q, take_city_hour, &h)) != EW_OK ||
        (rc = ew_store_point_each(s, count_members, &members)) != EW_OK)
        return rc;
    if (h.n == 0)
        return EW_ENOTFOUND;
    *t = h.t[0];
    for (size_t i = 0; i < h.n; i++)
        if (h.stations[i] >= members && h.t[0] - h.t[i] <= NOW_LOOKBACK_HOURS * 3600) {
            *t = h.t[i];
            break;
        }
    return EW_OK;
}

struct now_ctx {
    struct ew_buf     *b;
    struct ew_store   *s;
    int64_t            t;
    struct ew_air_row *rows;            /* the stations' rows of hour t */
    size_t             nrows, cap, n;
};

static int
take_station_row(void *ctx, const struct ew_air_row *row)
{
    struct now_ctx *c = ctx;

    if (c->nrows == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        struct ew_air_row *v = realloc(c->rows, cap * sizeof(*v));
        if (v == NULL)
            return EW_ENOMEM;
        c->rows = v;
        c->cap = cap;
    }
    c->rows[c->nrows++] = *row;
    return 0;
}

static int
emit_station(void *ctx, const struct ew_point *p)
{
    struct now_ctx *c = ctx;
    struct ew_air_row none, *row = &none;

    if (strcmp(p->kind, "air") != 0)
        return 0;
    ew_air_row_init(&none);
    none.t_unix_s = c->t;
    for (size_t i = 0; i < c->nrows; i++)
        if (strcmp(c->rows[i].name, p->mn) == 0)
            row = &c->rows[i];
    if (c->n++ > 0)
        ew_buf_addc(c->b, ',');
    ew_buf_adds(c->b, "{\"mn\":");
    ew_json_strz(c->b, p->mn);
    ew_buf_adds(c->b, ",\"name\":");
    ew_json_strz(c->b, p->name);
    ew_buf_adds(c->b, ",\"county\":");
    ew_json_strz(c->b, p->county[0] ? p->county : NULL);
    ew_buf_adds(c->b, ",\"lat\":");
    ew_json_num(c->b, p->lat, 10);
    ew_buf_adds(c->b, ",\"lon\":");
    ew_json_num(c->b, p->lon, 10);
    ew_buf_addc(c->b, ',');
    ew_airrow_json_fields(c->b, row);
    return ew_buf_addc(c->b, '}');
}

/* GET /api/v1/air/now: {"time","city":{aqi row}|null,"stations":[…]} */
static int
air_now(struct api_req *r)
{
    struct now_ctx c = { .b = &r->out, .s = r->store };
    struct ew_air_query q = { .scope = EW_AIR_SCOPE_STATION, .period = EW_AIR_PERIOD_HOUR };
    struct ew_air_row city;
    char t[20];
    int rc = pick_hour(r->store, &c.t);

    if (rc != EW_OK && rc != EW_ENOTFOUND)
        return api_store_error(r, rc);
    if (rc == EW_ENOTFOUND) {
        c.t = 0;
        ew_buf_adds(&r->out, "{\"time\":null,\"city\":null,\"stations\":[");
    } else {
        if ((rc = ew_store_air_get(r->store, EW_AIR_SCOPE_CITY, "", EW_AIR_PERIOD_HOUR, c.t,
                                   &city)) != EW_OK)
            return api_store_error(r, rc);
        q.from_unix_s = q.to_unix_s = c.t;
        if ((rc = ew_store_air_each(r->store, &q, take_station_row, &c)) != EW_OK) {
            free(c.rows);
            return api_store_error(r, rc);
        }
        ew_time_fmt_iso(c.t, t);
        ew_buf_printf(&r->out, "{\"time\":\"%s\",\"city\":", t);
        ew_airrow_json(&r->out, &city);
        ew_buf_adds(&r->out, ",\"stations\":[");
    }
    rc = ew_store_point_each(r->store, emit_station, &c);
    free(c.rows);
    if (rc != EW_OK)
        return api_store_error(r, rc);
    return ew_buf_adds(&r->out, "]}");
}

/* ---- GET /api/v1/air/alerts ------------------------------------------------------------------ */

static void
time_or_null(struct ew_buf *b, const char *key, int64_t t, int date_only)
{
    char s[20];

    ew_buf_printf(b, ",\"%s\":", key);
    if (t == 0) {
        ew_buf_adds(b, "null");
        return;
    }
    ew_time_fmt_iso(t, s);
    if (date_only)
        s[10] = '\0';
    ew_buf_printf(b, "\"%s\"", s);
}

static void
level_fields(struct ew_buf *b, const char *key, int level)
{
    ew_buf_printf(b, ",\"%s\":\"%s\",\"%s_zh\":", key, ew_air_alert_level_name(level), key);
    ew_json_strz(b, ew_air_alert_level_name_zh(level));
}

static int
emit_change(void *ctx, const struct ew_air_alert_change *c)
{
    struct emit *e = ctx;

    if (e->n++ > 0)
        ew_buf_addc(e->b, ',');
    ew_buf_printf(e->b, "{\"kind\":\"%s\",\"from\":\"%s\",\"to\":\"%s\"",
                  ew_air_alert_event_name(c->kind), ew_air_alert_level_name(c->from_level),
                  ew_air_alert_level_name(c->to_level));
    time_or_null(e->b, "time", c->t_unix_s, 0);
    time_or_null(e->b, "day", c->day_unix_s, 1);
    if (c->aqi >= 0)
        ew_buf_printf(e->b, ",\"aqi\":%d}", c->aqi);
    else
        ew_buf_adds(e->b, ",\"aqi\":null}");
    return 0;
}

struct alerts_ctx {
    struct ew_buf   *b;
    struct ew_store *s;
    int              n;
};

static int
emit_alert(void *ctx, const struct ew_air_alert_rec *a)
{
    struct alerts_ctx *c = ctx;
    struct emit ch = { c->b, 0, 0 };

    if (c->n++ > 0)
        ew_buf_addc(c->b, ',');
    ew_buf_printf(c->b, "{\"id\":%lld,\"scope\":\"%s\",\"name\":", (long long)a->id,
                  ew_airrow_scope_name(a->scope) ? ew_airrow_scope_name(a->scope) : "?");
    ew_json_strz(c->b, a->scope == EW_AIR_SCOPE_CITY ? NULL : a->name);
    level_fields(c->b, "level", a->level);
    level_fields(c->b, "max_level", a->max_level);
    time_or_null(c->b, "start", a->start_unix_s, 0);
    time_or_null(c->b, "end", a->end_unix_s, 0);
    ew_buf_adds(c->b, ",\"changes\":[");
    if (ew_store_air_alert_changes(c->s, a->id, emit_change, &ch) != EW_OK)
        return EW_EIO;
    return ew_buf_adds(c->b, "]}");
}

/* GET /api/v1/air/alerts[?from=&to=&limit=]: the city's current level and its alerts. */
static int
air_alerts(struct api_req *r)
{
    struct alerts_ctx c = { &r->out, r->store, 0 };
    struct ew_air_alert_query q = { .scope = EW_AIR_SCOPE_CITY, .name = "" };
    struct ew_air_alert_state st = { 0 };
    int64_t day = 0;
    size_t limit;
    int rc;

    if (parse_limit(r, &limit) != EW_OK ||
        api_time_range(r, 0, EW_STORE_T_MAX_UNIX_S, &q.from_unix_s, &q.to_unix_s) != EW_OK)
        return EW_OK;
    q.limit = limit;
    rc = ew_store_air_alert_state(r->store, EW_AIR_SCOPE_CITY, "", &st, &day);
    if (rc != EW_OK && rc != EW_ENOTFOUND)
        return api_store_error(r, rc);
    ew_buf_adds(&r->out, "{\"current\":{\"scope\":\"city\"");
    level_fields(&r->out, "level", st.level);
    time_or_null(&r->out, "since", st.level != EW_ALERT_NONE ? st.since_unix_s : 0, 0);
    time_or_null(&r->out, "evaluated_day", day, 1);
    ew_buf_adds(&r->out, "},\"alerts\":[");
    if ((rc = ew_store_air_alert_each(r->store, &q, emit_alert, &c)) != EW_OK)
        return api_store_error(r, rc);
    return ew_buf_adds(&r->out, "]}");
}

const struct api_route ew__api_routes_air[] = {
    { "GET", "/api/v1/air/now", air_now },
    { "GET", "/api/v1/air/aqi", aqi_rows },
    { "GET", "/api/v1/air/stats", ew__api_air_stats },
    { "GET", "/api/v1/air/ranking", ew__api_air_ranking },
    { "GET", "/api/v1/air/targets", ew__api_air_targets },
    { "GET", "/api/v1/air/alerts", air_alerts },
    { NULL, NULL, NULL },
};
