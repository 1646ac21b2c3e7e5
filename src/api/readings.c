/* SPDX-License-Identifier: MIT */
/*
 * Readings: a point's stored values by kind and time range (JSON or CSV), and the latest
 * value of every factor. Times are ISO 8601 local (CST) both ways.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/internal.h"
#include "util/exportcsv.h"
#include "util/json.h"
#include "util/time.h"

static const struct {
    const char *name;
    int         kind;
} kinds[] = {
    { "rtd", EW_KIND_RTD }, { "minute", EW_KIND_MINUTE }, { "hour", EW_KIND_HOUR },
    { "day", EW_KIND_DAY },
};

static const char *
kind_name(int kind)
{
    for (size_t i = 0; i < EW_ARRAY_LEN(kinds); i++)
        if (kinds[i].kind == kind)
            return kinds[i].name;
    return "?";
}

struct emit {
    struct ew_buf *b;
    int csv, n, with_point;
    const char *mn;
};

static void
num_field(struct ew_buf *b, const char *key, double v)
{
    if (isnan(v))
        return;
    ew_buf_printf(b, ",\"%s\":", key);
    ew_json_num(b, v, 10);
}

static int
emit_reading(void *ctx, const struct ew_reading *r)
{
    struct emit *e = ctx;
    struct ew_buf *b = e->b;
    char t[20];

    ew_time_fmt_iso(r->t_unix_s, t);
    if (e->csv)
        return ew_exportcsv_line(b, r);     /* as `envwatch export readings` writes it */
    if (e->n++ > 0)
        ew_buf_addc(b, ',');
    ew_buf_printf(b, "{\"time\":\"%s\",\"factor\":", t);
    ew_json_strz(b, r->factor);
    if (e->with_point)
        ew_buf_printf(b, ",\"point_id\":%lld,\"kind\":\"%s\"", (long long)r->point_id,
                      kind_name(r->kind));
    ew_buf_adds(b, ",\"value\":");
    ew_json_num(b, r->value, 10);
    ew_buf_adds(b, ",\"flag\":");
    ew_json_strz(b, r->flag[0] ? r->flag : NULL);
    num_field(b, "converted", r->zs);
    num_field(b, "min", r->min);
    num_field(b, "max", r->max);
    num_field(b, "cou", r->cou);
    return ew_buf_addc(b, '}');
}

/* GET /api/v1/points/{mn}/readings?kind=rtd|minute|hour|day&from=&to=&factor=&format=csv */
static int
readings(struct api_req *r)
{
    const char *k = api_query(r, "kind"), *fmt = api_query(r, "format");
    const char *lim = api_query(r, "limit");
    struct ew_reading_query q = { .factor = api_query(r, "factor"), .limit = 100000 };
    struct emit e = { &r->out, fmt != NULL && strcmp(fmt, "csv") == 0, 0, 0, r->args[0] };
    struct ew_point p;
    int64_t now = time(NULL), from, to;
    int rc;

    q.kind = EW_KIND_HOUR;
    if (k != NULL) {
        q.kind = 0;
        for (size_t i = 0; i < EW_ARRAY_LEN(kinds); i++)
            if (strcmp(kinds[i].name, k) == 0)
                q.kind = kinds[i].kind;
        if (q.kind == 0)
            return api_error(r, 400, "bad_kind", "kind must be rtd, minute, hour or day");
    }
    if (lim != NULL) {
        char *end;
        unsigned long v = strtoul(lim, &end, 10);
        if (*end != '\0' || v == 0 || v > 1000000)
            return api_error(r, 400, "bad_limit", "limit must be 1..1000000");
        q.limit = v;
    }
    if ((rc = ew_store_point_get(r->store, r->args[0], &p)) != EW_OK)
        return api_store_error(r, rc);
    if (api_time_range(r, now - 86400, now, &from, &to) != EW_OK)
        return EW_OK;
    q.point_id = p.id;
    q.from_unix_s = from;
    q.to_unix_s = to;
    if (e.csv) {
        r->content_type = "text/csv; charset=utf-8";
        r->disposition = "attachment; filename=\"readings.csv\"";
        ew_exportcsv_header(&r->out);
    } else {
        ew_buf_addc(&r->out, '[');
    }
    rc = ew_store_reading_each(r->store, &q, emit_reading, &e);
    if (rc != EW_OK)
        return api_store_error(r, rc);
    return e.csv ? EW_OK : ew_buf_addc(&r->out, ']');
}

/* GET /api/v1/latest[?mn=] : the newest value of every factor of every (or one) point. */
static int
latest(struct api_req *r)
{
    const char *mn = api_query(r, "mn");
    struct emit e = { &r->out, 0, 0, 1, NULL };
    struct ew_point p;
    int64_t id = 0;
    int rc;

    if (mn != NULL) {
        if ((rc = ew_store_point_get(r->store, mn, &p)) != EW_OK)
            return api_store_error(r, rc);
        id = p.id;
    }
    ew_buf_addc(&r->out, '[');
    rc = ew_store_latest_each(r->store, id, emit_reading, &e);
    if (rc != EW_OK)
        return api_store_error(r, rc);
    return ew_buf_addc(&r->out, ']');
}

const struct api_route ew__api_routes_readings[] = {
    { "GET", "/api/v1/points/*/readings", readings },
    { "GET", "/api/v1/latest", latest },
    { NULL, NULL, NULL },
};
