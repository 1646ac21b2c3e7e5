/* SPDX-License-Identifier: MIT */
/*
 * Points and sites: the registry over HTTP. Reads go to the thread's read-only handle; every
 * change runs on the writer and tells the daemon to reload its MN table. A point's PW is
 * accepted on writes and never returned.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"
#include "util/csv.h"
#include "util/json.h"
#include "util/time.h"

int
api_point_json(struct ew_buf *b, const struct ew_point *p)
{
    char t[20];

    ew_buf_printf(b, "{\"id\":%lld,\"mn\":", (long long)p->id);
    ew_json_strz(b, p->mn);
    ew_buf_adds(b, ",\"name\":");
    ew_json_strz(b, p->name);
    ew_buf_adds(b, ",\"kind\":");
    ew_json_strz(b, p->kind);
    ew_buf_adds(b, ",\"site\":");
    ew_json_strz(b, p->site);
    ew_buf_adds(b, ",\"county\":");
    ew_json_strz(b, p->county);
    ew_buf_adds(b, ",\"lat\":");
    ew_json_num(b, p->lat, 10);
    ew_buf_adds(b, ",\"lon\":");
    ew_json_num(b, p->lon, 10);
    /* extra is a JSON object checked on the way in (ew_point_check) */
    ew_buf_printf(b, ",\"extra\":%s", p->extra[0] ? p->extra : "{}");
    ew_time_fmt_iso(p->created_unix_s, t);
    return ew_buf_printf(b, ",\"created\":\"%s\"}", t);
}

static int
set_str(struct api_req *r, const cJSON *j, const char *key, char *dst, size_t size)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);

    if (v == NULL)
        return 1;
    if (!cJSON_IsString(v) || strlen(v->valuestring) >= size) {
        api_error(r, 400, "bad_field", "%s must be a string of at most %zu bytes", key,
                  size - 1);
        return 0;
    }
    memcpy(dst, v->valuestring, strlen(v->valuestring) + 1);
    return 1;
}

static int
set_num(struct api_req *r, const cJSON *j, const char *key, double *dst)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);

    if (v == NULL)
        return 1;
    if (cJSON_IsNull(v)) {
        *dst = NAN;
        return 1;
    }
    if (!cJSON_IsNumber(v)) {
        api_error(r, 400, "bad_field", "%s must be a number", key);
        return 0;
    }
    *dst = v->valuedouble;
    return 1;
}

int
api_point_from_json(struct api_req *r, const cJSON *j, struct ew_point *p)
{
    const cJSON *extra = cJSON_GetObjectItemCaseSensitive(j, "extra");
    char why[256];

    if (!set_str(r, j, "mn", p->mn, sizeof(p->mn)) || !set_str(r, j, "pw", p->pw, sizeof(p->pw)) ||
        !set_str(r, j, "name", p->name, sizeof(p->name)) ||
        !set_str(r, j, "kind", p->kind, sizeof(p->kind)) ||
        !set_str(r, j, "site", p->site, sizeof(p->site)) ||
        !set_str(r, j, "county", p->county, sizeof(p->county)) ||
        !set_num(r, j, "lat", &p->lat) || !set_num(r, j, "lon", &p->lon))
        return 0;
    if (extra != NULL) {
        char *text = cJSON_PrintUnformatted(extra);
        if (!cJSON_IsObject(extra) || text == NULL || strlen(text) >= sizeof(p->extra)) {
            free(text);
            api_error(r, 400, "bad_field", "extra must be a JSON object under %zu bytes",
                      sizeof(p->extra));
            return 0;
        }
        memcpy(p->extra, text, strlen(text) + 1);
        free(text);
    }
    if (ew_point_check(p, why, sizeof(why)) != EW_OK) {
        api_error(r, 400, "invalid_point", "%s", why);
        return 0;
    }
    return 1;
}

struct list_ctx {
    struct api_req *r;
    const char *kind, *county, *site;
    int csv, n;
};

static int
append_point(void *ctx, const struct ew_point *p)
{
    struct list_ctx *l = ctx;
    struct ew_buf *b = &l->r->out;

    if ((l->kind && strcmp(l->kind, p->kind) != 0) ||
        (l->county && strcmp(l->county, p->county) != 0) ||
        (l->site && strcmp(l->site, p->site) != 0))
        return 0;
    if (l->csv) {
        ew_csv_field(b, p->mn);
        ew_buf_addc(b, ',');
        ew_csv_field(b, p->name);
        ew_buf_addc(b, ',');
        ew_csv_field(b, p->kind);
        ew_buf_addc(b, ',');
        ew_csv_field(b, p->site);
        ew_buf_addc(b, ',');
        ew_csv_field(b, p->county);
        ew_buf_printf(b, ",%.6f,%.6f\r\n", p->lat, p->lon);
        return 0;
    }
    if (l->n++ > 0)
        ew_buf_addc(b, ',');
    return api_point_json(b, p);
}

/* GET /api/v1/points?kind=&county=&site=&format=csv */
static int
points_list(struct api_req *r)
{
    const char *fmt = api_query(r, "format");
    struct list_ctx l = { r, api_query(r, "kind"), api_query(r, "county"), api_query(r, "site"),
                          fmt != NULL && strcmp(fmt, "csv") == 0, 0 };
    int rc;

    if (l.csv) {
        r->content_type = "text/csv; charset=utf-8";
        r->disposition = "attachment; filename=\"points.csv\"";
        ew_buf_adds(&r->out, "mn,name,kind,site,county,lat,lon\r\n");
    } else {
        ew_buf_addc(&r->out, '[');
    }
    rc = ew_store_point_each(r->store, append_point, &l);
    if (rc != EW_OK)
        return api_store_error(r, rc);
    return l.csv ? EW_OK : ew_buf_addc(&r->out, ']');
}

static int
put_job(struct ew_store *s, void *arg)
{
    return ew_store_point_put(s, arg);
}

static int
remove_job(struct ew_store *s, void *arg)
{
    return ew_store_point_remove(s, arg);
}

/* POST /api/v1/points {mn, pw, name, kind, site, county, lat, lon, extra} */
static int
points_create(struct api_req *r)
{
    struct ew_point p, old;
    cJSON *j = api_body_json(r);
    int ok, rc;

    if (j == NULL)
        return EW_OK;
    ew_point_init(&p);
    ok = api_point_from_json(r, j, &p);
    cJSON_Delete(j);
    if (!ok)
        return EW_OK;
    if (ew_store_point_get(r->store, p.mn, &old) == EW_OK)
        return api_error(r, 409, "exists", "point %s exists; use PUT to change it", p.mn);
    rc = api_write_job(r, put_job, &p);
    if (rc != EW_OK)
        return api_store_error(r, rc);
    r->status = 201;
    return api_point_json(&r->out, &p);
}

static int
points_get(struct api_req *r)
{
    struct ew_point p;
    int rc = ew_store_point_get(r->store, r->args[0], &p);

    if (rc != EW_OK)
        return api_store_error(r, rc);
    return api_point_json(&r->out, &p);
}

/* PUT /api/v1/points/{mn}: changes the fields given; the MN in the path wins. */
static int
points_update(struct api_req *r)
{
    struct ew_point p;
    cJSON *j;
    int rc = ew_store_point_get(r->store, r->args[0], &p), ok;

    if (rc != EW_OK)
        return api_store_error(r, rc);
    if ((j = api_body_json(r)) == NULL)
        return EW_OK;
    ok = api_point_from_json(r, j, &p);
    cJSON_Delete(j);
    if (!ok)
        return EW_OK;
    snprintf(p.mn, sizeof(p.mn), "%s", r->args[0]);
    rc = api_write_job(r, put_job, &p);
    if (rc != EW_OK)
        return api_store_error(r, rc);
    return api_point_json(&r->out, &p);
}

static int
points_delete(struct api_req *r)
{
    char mn[33];
    int rc;

    snprintf(mn, sizeof(mn), "%s", r->args[0]);
    rc = api_write_job(r, remove_job, mn);
    if (rc != EW_OK)
        return api_store_error(r, rc);
    r->status = 200;
    return ew_buf_adds(&r->out, "{\"removed\":true}");
}

/* Sites are named groups of points (a station, a section, an enterprise). */
struct site_acc {
    char   name[129], county[49], kind[17];
    double lat, lon;
    int    points;
};

struct sites_ctx {
    struct site_acc *v;
    size_t n, cap;
};

static int
collect_site(void *ctx, const struct ew_point *p)
{
    struct sites_ctx *c = ctx;
    size_t i;

    for (i = 0; i < c->n; i++)
        if (strcmp(c->v[i].name, p->site[0] ? p->site : p->name) == 0)
            break;
    if (i == c->n) {
        if (c->n == c->cap) {
            size_t cap = c->cap ? c->cap * 2 : 64;
            struct site_acc *v = realloc(c->v, cap * sizeof(*v));
            if (v == NULL)
                return EW_ENOMEM;
            c->v = v;
            c->cap = cap;
        }
        memset(&c->v[i], 0, sizeof(c->v[i]));
        snprintf(c->v[i].name, sizeof(c->v[i].name), "%s", p->site[0] ? p->site : p->name);
        snprintf(c->v[i].county, sizeof(c->v[i].county), "%s", p->county);
        snprintf(c->v[i].kind, sizeof(c->v[i].kind), "%s", p->kind);
        c->v[i].lat = p->lat;
        c->v[i].lon = p->lon;
        c->n++;
    }
    c->v[i].points++;
    return 0;
}

static int
sites_list(struct api_req *r)
{
    struct sites_ctx c = { 0 };
    int rc = ew_store_point_each(r->store, collect_site, &c);

    if (rc != EW_OK) {
        free(c.v);
        return api_store_error(r, rc);
    }
    ew_buf_addc(&r->out, '[');
    for (size_t i = 0; i < c.n; i++) {
        if (i > 0)
            ew_buf_addc(&r->out, ',');
        ew_buf_adds(&r->out, "{\"name\":");
        ew_json_strz(&r->out, c.v[i].name);
        ew_buf_adds(&r->out, ",\"county\":");
        ew_json_strz(&r->out, c.v[i].county);
        ew_buf_adds(&r->out, ",\"kind\":");
        ew_json_strz(&r->out, c.v[i].kind);
        ew_buf_adds(&r->out, ",\"lat\":");
        ew_json_num(&r->out, c.v[i].lat, 10);
        ew_buf_adds(&r->out, ",\"lon\":");
        ew_json_num(&r->out, c.v[i].lon, 10);
        ew_buf_printf(&r->out, ",\"points\":%d}", c.v[i].points);
    }
    free(c.v);
    return ew_buf_addc(&r->out, ']');
}

const struct api_route ew__api_routes_points[] = {
    { "GET", "/api/v1/points", points_list },
    { "POST", "/api/v1/points", points_create },
    { "GET", "/api/v1/points/*", points_get },
    { "PUT", "/api/v1/points/*", points_update },
    { "DELETE", "/api/v1/points/*", points_delete },
    { "GET", "/api/v1/sites", sites_list },
    { NULL, NULL, NULL },
};
