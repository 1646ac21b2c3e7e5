/* SPDX-License-Identifier: MIT */
/*
 * System resources: health, Prometheus metrics, live connections and their history,
 * instrument states, pending instruments and their approval, and the raw packet journal.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"
#include "util/json.h"
#include "util/time.h"

static int
health(struct api_req *r)
{
    int version = 0;

    ew_store_schema_version(r->store, &version);
    ew_buf_printf(&r->out, "{\"status\":\"ok\",\"version\":\"%s\",\"schema\":%d,\"tile_url\":",
                  EW_VERSION, version);
    ew_json_strz(&r->out, ew__api_tile_url(r->api));
    return ew_buf_addc(&r->out, '}');
}

static int
metrics(struct api_req *r)
{
    r->content_type = "text/plain; version=0.0.4";
    return r->host->metrics(r->host->ctx, &r->out);
}

static int
append_conn(void *ctx, const struct ew_conn *c)
{
    struct ew_buf *b = ctx;
    char t[20];

    if (b->ptr[b->len - 1] != '[')
        ew_buf_addc(b, ',');
    ew_buf_printf(b, "{\"id\":%lld,\"peer\":", (long long)c->id);
    ew_json_strz(b, c->peer);
    ew_buf_adds(b, ",\"mn\":");
    ew_json_strz(b, c->mn);
    ew_time_fmt_iso(c->opened_ms / 1000, t);
    ew_buf_printf(b, ",\"opened\":\"%s\",\"closed\":", t);
    if (c->closed_ms > 0) {
        ew_time_fmt_iso(c->closed_ms / 1000, t);
        ew_buf_printf(b, "\"%s\"", t);
    } else {
        ew_buf_adds(b, "null");
    }
    ew_buf_adds(b, ",\"reason\":");
    ew_json_strz(b, c->reason);
    return ew_buf_addc(b, '}');
}

/* GET /api/v1/connections: live ones; ?history=1 (with mn, from, to, limit) from the store. */
static int
connections(struct api_req *r)
{
    const char *h = api_query(r, "history");
    struct ew_conn_query q = { .mn = api_query(r, "mn"), .newest_first = 1, .limit = 1000 };
    const char *lim = api_query(r, "limit");
    int64_t from, to;
    int rc;

    if (h == NULL || strcmp(h, "1") != 0)
        return r->host->connections(r->host->ctx, &r->out);
    if (api_time_range(r, 0, 0, &from, &to) != EW_OK)
        return EW_OK;
    q.from_ms = from * 1000;
    q.to_ms = to * 1000;
    if (lim != NULL)
        q.limit = strtoul(lim, NULL, 10);
    ew_buf_addc(&r->out, '[');
    rc = ew_store_conn_each(r->store, &q, append_conn, &r->out);
    if (rc != EW_OK)
        return api_store_error(r, rc);
    return ew_buf_addc(&r->out, ']');
}

static int
instruments(struct api_req *r)
{
    return r->host->instruments(r->host->ctx, &r->out);
}

static int
append_pending(void *ctx, const struct ew_pending *p)
{
    struct ew_buf *b = ctx;
    char a[20], z[20];

    if (b->ptr[b->len - 1] != '[')
        ew_buf_addc(b, ',');
    ew_buf_adds(b, "{\"mn\":");
    ew_json_strz(b, p->mn);
    ew_buf_adds(b, ",\"st\":");
    ew_json_strz(b, p->st);
    ew_buf_adds(b, ",\"peer\":");
    ew_json_strz(b, p->peer);
    ew_time_fmt_iso(p->first_ms / 1000, a);
    ew_time_fmt_iso(p->last_ms / 1000, z);
    return ew_buf_printf(b, ",\"first_seen\":\"%s\",\"last_seen\":\"%s\",\"packets\":%lld}", a,
                         z, (long long)p->packets);
}

static int
pending(struct api_req *r)
{
    int rc;

    ew_buf_addc(&r->out, '[');
    rc = ew_store_pending_each(r->store, append_pending, &r->out);
    if (rc != EW_OK)
        return api_store_error(r, rc);
    return ew_buf_addc(&r->out, ']');
}

/* Fills p from a JSON object; fields absent keep their value. Returns 0 and sets a 400. */
static int
approve_job(struct ew_store *s, void *arg)
{
    return ew_store_pending_approve(s, arg);
}

/* POST /api/v1/pending/{mn}/approve with {"pw":…,"name":…,"kind":…, …}: one call. */
static int
approve(struct api_req *r)
{
    struct ew_point p;
    cJSON *j = api_body_json(r);
    int rc;

    if (j == NULL)
        return EW_OK;
    ew_point_init(&p);
    snprintf(p.mn, sizeof(p.mn), "%s", r->args[0]);
    rc = api_point_from_json(r, j, &p);
    cJSON_Delete(j);
    if (!rc)
        return EW_OK;
    snprintf(p.mn, sizeof(p.mn), "%s", r->args[0]);
    rc = api_write_job(r, approve_job, &p);
    if (rc != EW_OK)
        return api_store_error(r, rc);
    r->status = 201;
    return api_point_json(&r->out, &p);
}

/*
 * The journal keeps frames byte for byte (evidence), but passwords never leave the store:
 * the values of PW= and NewPW= (header, 2005 1072 CP, 2017 1072 CP) are masked.
 */
static void
mask_passwords(char *p, size_t len)
{
    for (size_t i = 0; i + 3 <= len; i++) {
        if (memcmp(p + i, "PW=", 3) != 0 || (i > 0 && p[i - 1] != ';' && p[i - 1] != '&' &&
                                             p[i - 1] != 'w' && p[i - 1] != ','))
            continue;
        for (i += 3; i < len && p[i] != ';' && p[i] != '&' && p[i] != ','; i++)
            p[i] = '*';
    }
}

static int
append_journal(void *ctx, const struct ew_journal_entry *e)
{
    struct ew_buf *b = ctx;
    char t[20], *masked;

    if (b->ptr[b->len - 1] != '[')
        ew_buf_addc(b, ',');
    ew_time_fmt_iso(e->t_recv_ms / 1000, t);
    ew_buf_printf(b, "{\"id\":%lld,\"received\":\"%s.%03d\",\"peer\":", (long long)e->id, t,
                  (int)(e->t_recv_ms % 1000));
    ew_json_strz(b, e->peer);
    ew_buf_adds(b, ",\"mn\":");
    ew_json_strz(b, e->mn);
    ew_buf_adds(b, ",\"verdict\":");
    ew_json_strz(b, e->verdict);
    ew_buf_adds(b, ",\"bytes\":");
    masked = malloc(e->len + 1);
    if (masked == NULL)
        return EW_ENOMEM;
    memcpy(masked, e->bytes, e->len);
    mask_passwords(masked, e->len);
    ew_json_str(b, masked, e->len);
    free(masked);
    return ew_buf_addc(b, '}');
}

/* GET /api/v1/journal?mn=&from=&to=&limit= : newest first. */
static int
journal(struct api_req *r)
{
    struct ew_journal_query q = { .mn = api_query(r, "mn"), .limit = 500, .newest_first = 1 };
    const char *lim = api_query(r, "limit");
    int64_t from, to;
    int rc;

    if (api_time_range(r, 0, 0, &from, &to) != EW_OK)
        return EW_OK;
    q.from_ms = from * 1000;
    q.to_ms = to * 1000;
    if (lim != NULL) {
        char *end;
        unsigned long v = strtoul(lim, &end, 10);
        if (*end != '\0' || v == 0 || v > 100000)
            return api_error(r, 400, "bad_limit", "limit must be 1..100000");
        q.limit = v;
    }
    ew_buf_addc(&r->out, '[');
    rc = ew_store_journal_each(r->store, &q, append_journal, &r->out);
    if (rc != EW_OK)
        return api_store_error(r, rc);
    return ew_buf_addc(&r->out, ']');
}

static int
events(struct api_req *r)
{
    return ew__api_events_stream(r, ew__api_events(r->api));
}

const struct api_route ew__api_routes_system[] = {
    { "GET", "/api/v1/events", events },
    { "GET", "/api/v1/health", health },
    { "GET", "/metrics", metrics },
    { "GET", "/api/v1/connections", connections },
    { "GET", "/api/v1/instruments", instruments },
    { "GET", "/api/v1/pending", pending },
    { "POST", "/api/v1/pending/*/approve", approve },
    { "GET", "/api/v1/journal", journal },
    { NULL, NULL, NULL },
};
