/* SPDX-License-Identifier: MIT */
/*
 * Pollution sources over HTTP (docs/api.md "Water and sources"): enterprises and their outlets
 * with the newest values against the limits the alarm engine resolved (envwatch/store.h
 * "source limits"), the 传输有效率 of a month per outlet, enterprise and county, and the
 * year's emission totals against the permitted quantities (the registry's quota_t). The rules
 * are those of envwatch/emission.h; docs/sources.md gives their sources.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <envwatch/emission.h>

#include "api/sources.h"
#include "util/codelist.h"
#include "util/json.h"
#include "util/reportsrc.h"
#include "util/time.h"

#define O2_FACTOR "a19001"
#define FLOW_FLUE "a00000"              /* m3/s; Cou m3 */
#define FLOW_WATER "w00000"             /* L/s; Cou m3 */
#define MAX_ROWS 200000                 /* records of one series read at most */
#define TRANS_THRESHOLD_PCT 90.0        /* common provincial requirement [M] */

static const char *const source_kinds[] = { "flue", "wastewater", "sewage", "dust", "fume",
                                            NULL };

/* ---- shared with sources_water.c ------------------------------------------------------- */

static void
extra_str(const cJSON *x, const char *key, char *dst, size_t size)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(x, key);

    dst[0] = '\0';
    if (cJSON_IsString(v))
        snprintf(dst, size, "%s", v->valuestring);
}

void
src_point_of(const struct ew_point *p, struct src_point *o)
{
    cJSON *x = cJSON_Parse(p->extra[0] ? p->extra : "{}");

    memset(o, 0, sizeof(*o));
    o->id = p->id;
    snprintf(o->mn, sizeof(o->mn), "%s", p->mn);
    snprintf(o->name, sizeof(o->name), "%s", p->name);
    snprintf(o->kind, sizeof(o->kind), "%s", p->kind);
    snprintf(o->site, sizeof(o->site), "%s", p->site);
    snprintf(o->county, sizeof(o->county), "%s", p->county);
    o->lat = p->lat;
    o->lon = p->lon;
    extra_str(x, "river", o->river, sizeof(o->river));
    extra_str(x, "target_class", o->target_class, sizeof(o->target_class));
    extra_str(x, "body", o->body, sizeof(o->body));
    extra_str(x, "basis", o->basis, sizeof(o->basis));
    extra_str(x, "quota_t", o->quota_t, sizeof(o->quota_t));
    extra_str(x, "factors", o->factors, sizeof(o->factors));
    o->created_unix_s = p->created_unix_s;
    cJSON_Delete(x);
}

struct load_pts {
    const char *const *kinds;
    struct src_points *out;
};

static int
keep_point(void *ctx, const struct ew_point *p)
{
    struct load_pts *l = ctx;
    struct src_points *o = l->out;
    size_t k = 0;

    while (l->kinds[k] != NULL && strcmp(l->kinds[k], p->kind) != 0)
        k++;
    if (l->kinds[k] == NULL)
        return 0;
    if (o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 32;
        struct src_point *v = realloc(o->v, cap * sizeof(*v));
        if (v == NULL)
            return EW_ENOMEM;
        o->v = v;
        o->cap = cap;
    }
    src_point_of(p, &o->v[o->n++]);
    return 0;
}

static int
by_site_name(const void *a, const void *b)
{
    const struct src_point *x = a, *y = b;
    int c = strcmp(x->site, y->site);

    return c != 0 ? c : strcmp(x->name, y->name);
}

int
src_points_load(struct ew_store *s, const char *const *kinds, struct src_points *out)
{
    struct load_pts l = { kinds, out };
    int rc = ew_store_point_each(s, keep_point, &l);

    if (rc == EW_OK && out->n > 1)
        qsort(out->v, out->n, sizeof(*out->v), by_site_name);
    return rc;
}

void
src_points_free(struct src_points *p)
{
    free(p->v);
    *p = (struct src_points){ 0 };
}

static int
keep_row(void *ctx, const struct ew_reading *r)
{
    struct src_rows *x = ctx;

    if (x->n == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 256;
        struct ew_reading *v = realloc(x->v, cap * sizeof(*v));
        if (v == NULL)
            return EW_ENOMEM;
        x->v = v;
        x->cap = cap;
    }
    x->v[x->n++] = *r;
    return 0;
}

int
src_rows_load(struct ew_store *s, int64_t point_id, int kind, int64_t from, int64_t to,
              const char *factor, struct src_rows *out)
{
    struct ew_reading_query q = { .point_id = point_id, .kind = kind, .from_unix_s = from,
                                  .to_unix_s = to, .factor = factor, .limit = MAX_ROWS };

    out->n = 0;
    return ew_store_reading_each(s, &q, keep_row, out);
}

void
src_rows_free(struct src_rows *r)
{
    free(r->v);
    *r = (struct src_rows){ 0 };
}

int
src_flag_ok(const struct ew_reading *r)
{
    return ew_flag_valid(r->flag[0]) && (r->flag[0] == '\0' || r->flag[1] == '\0');
}

/* ---- what every answer here reads ---------------------------------------------------------- */

static int
keep_limit(void *ctx, const struct ew_source_limit *l)
{
    struct src_limits *x = ctx;

    if (x->n == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 64;
        struct ew_source_limit *v = realloc(x->v, cap * sizeof(*v));
        if (v == NULL)
            return EW_ENOMEM;
        x->v = v;
        x->cap = cap;
    }
    x->v[x->n++] = *l;
    return 0;
}

int
src_limits_load(struct ew_store *s, struct src_limits *out)
{
    return ew_store_source_limit_each(s, 0, keep_limit, out);
}

const struct ew_source_limit *
src_limits_of(const struct src_limits *all, int64_t point_id, size_t *n)
{
    size_t lo = 0, hi = all->n, j;

    while (lo < hi) {                   /* ordered by point: the first of point_id */
        size_t mid = lo + (hi - lo) / 2;
        if (all->v[mid].point_id < point_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (j = lo; j < all->n && all->v[j].point_id == point_id; j++)
        ;
    *n = j - lo;
    return all->v + lo;
}

/* The newest value of (point, factor) among every point's (ordered by point, factor). */
static const struct ew_reading *
latest_of(const struct src_rows *x, int64_t point_id, const char *factor)
{
    size_t lo = 0, hi = x->n;

    while (lo < hi) {                   /* the first row of the point */
        size_t mid = lo + (hi - lo) / 2;
        if (x->v[mid].point_id < point_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < x->n && x->v[lo].point_id == point_id; lo++)
        if (strcmp(x->v[lo].factor, factor) == 0)
            return &x->v[lo];
    return NULL;
}

/*
 * The hourly-record count of one point over a month, pooled over the limited pollutants it
 * monitors (its registry `factors`, else those it has sent). Hours before the point was
 * registered, and hours that have not ended by now, are not expected. The rule and the
 * records read are util/reportsrc.h's, shared with the monthly source report.
 */
static int
trans_point(struct ew_store *s, const struct src_point *p, const struct src_rows *latest,
            const struct ew_source_limit *lim, size_t nlim, int year, int month, int64_t now,
            struct ew_trans_count *out)
{
    struct ew_reportsrc_point rp = { .id = p->id, .created_unix_s = p->created_unix_s };
    size_t k = 0;

    snprintf(rp.factors, sizeof(rp.factors), "%s", p->factors);
    /* no registry list: the limited factors it has sent, from the latest values at hand */
    for (size_t i = 0; p->factors[0] == '\0' && i < nlim; i++)
        if (latest_of(latest, p->id, lim[i].factor) != NULL &&
            k + strlen(lim[i].factor) + 2 < sizeof(rp.factors))
            k += (size_t)snprintf(rp.factors + k, sizeof(rp.factors) - k, "%s%s", k ? ";" : "",
                                  lim[i].factor);
    return ew_reportsrc_trans(s, &rp, lim, nlim, year, month, now, out);
}

static void
rate_json(struct ew_buf *b, const char *key, const struct ew_trans_count *c)
{
    struct ew_trans_rate r;

    ew_buf_printf(b, ",\"%s\":", key);
    if (ew_trans_rates(c, &r) == EW_OK)
        ew_json_num(b, r.effective_pct, 4);
    else
        ew_buf_adds(b, "null");
}

/* ---- GET /api/v1/sources --------------------------------------------------------------------- */

/*
 * A newest value on the limit's basis: the converted value (Zs) when the limit has a reference
 * O2, else the measured value corrected with the newest O2; the measured value otherwise.
 */
static const char *
judged_value(const struct ew_source_limit *l, const struct ew_reading *r,
             const struct ew_reading *o2, double *v)
{
    *v = r->value;
    if (isnan(l->ref_o2_pct))
        return "measured";
    if (isfinite(r->zs)) {
        *v = r->zs;
        return "converted";
    }
    if (o2 != NULL && src_flag_ok(o2) &&
        ew_o2_correct(r->value, o2->value, l->ref_o2_pct, v) == EW_OK)
        return "corrected";
    *v = r->value;
    return "measured";
}

static void
value_json(struct ew_buf *b, const struct ew_source_limit *l, const struct ew_reading *r,
           const struct ew_reading *o2, int first)
{
    double v;
    const char *basis = judged_value(l, r, o2, &v);
    int judged = isnan(l->ref_o2_pct) || strcmp(basis, "measured") != 0;
    char t[20];

    ew_time_fmt_iso(r->t_unix_s, t);
    ew_buf_printf(b, "%s{\"factor\":", first ? "" : ",");
    ew_json_strz(b, l->factor);
    ew_buf_adds(b, ",\"value\":");
    ew_json_num(b, v, 6);
    ew_buf_printf(b, ",\"basis\":\"%s\",\"limit\":", basis);
    ew_json_num(b, l->limit, 6);
    if (!isnan(l->limit_lo)) {
        ew_buf_adds(b, ",\"limit_lo\":");
        ew_json_num(b, l->limit_lo, 6);
    }
    ew_buf_adds(b, ",\"exceeded\":");
    if (!judged || !isfinite(v) || !src_flag_ok(r))
        ew_buf_adds(b, "null");         /* no value on the limit's basis */
    else
        ew_buf_adds(b, v > l->limit || (!isnan(l->limit_lo) && v < l->limit_lo) ? "true"
                                                                               : "false");
    ew_buf_printf(b, ",\"time\":\"%s\",\"flag\":", t);
    ew_json_strz(b, r->flag[0] ? r->flag : NULL);
    ew_buf_addc(b, '}');
}

/* "online" of every instrument seen since the daemon started, from the host. */
static cJSON *
instruments(struct api_req *r)
{
    struct ew_buf b;
    cJSON *j = NULL;

    if (r->host->instruments == NULL)
        return NULL;
    ew_buf_init(&b, 64u << 20);
    if (r->host->instruments(r->host->ctx, &b) == EW_OK && b.ptr != NULL)
        j = cJSON_ParseWithLength(b.ptr, b.len);
    ew_buf_fini(&b);
    return j;
}

static const char *
online_of(const cJSON *inst, const char *mn)
{
    const cJSON *it;

    cJSON_ArrayForEach(it, inst) {
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(it, "mn");
        if (cJSON_IsString(m) && strcmp(m->valuestring, mn) == 0)
            return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(it, "online")) ? "true"
                                                                                : "false";
    }
    return inst != NULL ? "false" : "null";     /* not seen since start: not online */
}

struct src_ctx {
    struct api_req    *r;
    struct src_limits  lim;
    struct src_rows    latest;
    cJSON             *inst;
    int64_t            now;
    struct ew_civil    today;
};

static int
outlet_json(struct src_ctx *c, const struct src_point *p)
{
    struct ew_buf *b = &c->r->out;
    size_t nlim;
    const struct ew_source_limit *lim = src_limits_of(&c->lim, p->id, &nlim);
    const struct ew_reading *o2 = latest_of(&c->latest, p->id, O2_FACTOR);
    struct ew_trans_count tc;
    int64_t newest = 0;
    char t[20];
    int n = 0, rc;

    ew_buf_adds(b, "{\"mn\":");
    ew_json_strz(b, p->mn);
    ew_buf_adds(b, ",\"name\":");
    ew_json_strz(b, p->name);
    ew_buf_printf(b, ",\"kind\":\"%s\",\"standard\":", p->kind);
    ew_json_strz(b, nlim > 0 && lim[0].standard[0] ? lim[0].standard : p->basis);
    ew_buf_printf(b, ",\"online\":%s,\"values\":[", online_of(c->inst, p->mn));
    for (size_t i = 0; i < nlim; i++) {
        const struct ew_reading *r = latest_of(&c->latest, p->id, lim[i].factor);
        if (r == NULL)
            continue;
        value_json(b, &lim[i], r, o2, n++ == 0);
        if (r->t_unix_s > newest)
            newest = r->t_unix_s;
    }
    ew_buf_adds(b, "],\"time\":");
    ew_time_fmt_iso(newest, t);
    ew_json_strz(b, newest > 0 ? t : NULL);
    rc = trans_point(c->r->store, p, &c->latest, lim, nlim, c->today.year, c->today.month, c->now,
                     &tc);
    if (rc != EW_OK)
        return rc;
    rate_json(b, "transmission_rate", &tc);
    return ew_buf_addc(b, '}');
}

static int
sources_load(struct src_ctx *c, struct src_points *pts)
{
    int rc = src_points_load(c->r->store, source_kinds, pts);

    if (rc == EW_OK)
        rc = src_limits_load(c->r->store, &c->lim);
    if (rc == EW_OK)
        rc = ew_store_latest_each(c->r->store, 0, keep_row, &c->latest);
    c->inst = instruments(c->r);
    c->now = time(NULL);
    ew_unix_to_civil(c->now, &c->today);
    return rc;
}

static void
sources_free(struct src_ctx *c, struct src_points *pts)
{
    free(c->lim.v);
    src_rows_free(&c->latest);
    cJSON_Delete(c->inst);
    src_points_free(pts);
}

static int
sources(struct api_req *r)
{
    struct src_ctx c = { .r = r };
    struct src_points pts = { 0 };
    struct ew_buf *b = &r->out;
    int rc = sources_load(&c, &pts);

    ew_buf_addc(b, '[');
    for (size_t i = 0; i < pts.n && rc == EW_OK; i++) {
        const struct src_point *p = &pts.v[i];
        int first = i == 0 || strcmp(p->site, pts.v[i - 1].site) != 0;
        if (first) {
            ew_buf_adds(b, i > 0 ? "]},{\"enterprise\":" : "{\"enterprise\":");
            ew_json_strz(b, p->site);
            ew_buf_adds(b, ",\"county\":");
            ew_json_strz(b, p->county);
            ew_buf_adds(b, ",\"outlets\":[");
        } else {
            ew_buf_addc(b, ',');
        }
        rc = outlet_json(&c, p);
    }
    if (rc == EW_OK && pts.n > 0)
        ew_buf_adds(b, "]}");
    sources_free(&c, &pts);
    return rc != EW_OK ? api_store_error(r, rc) : ew_buf_addc(b, ']');
}

/* ---- GET /api/v1/sources/transmission?month=YYYY-MM ----------------------------------------- */

struct tr_row {
    const struct src_point *p;
    struct ew_trans_item    it;
};

static int
parse_month(const char *s, int *year, int *month)
{
    int64_t t;
    char day[16];

    if (s == NULL || strlen(s) != 7 || snprintf(day, sizeof(day), "%s-01", s) != 10 ||
        ew_time_parse_iso(day, &t) != EW_OK)
        return EW_EFORMAT;
    *year = (int)strtol(s, NULL, 10);
    *month = (int)strtol(s + 5, NULL, 10);
    return EW_OK;
}

/* Pools the rows by group (0: enterprise, 1: county) into out; returns how many groups. */
static size_t
pool(const struct tr_row *rows, size_t n, int group, struct tr_row *out)
{
    size_t m = 0;

    for (size_t i = 0; i < n; i++) {
        const char *key = group == 0 ? rows[i].p->site : rows[i].p->county;
        size_t k = 0;
        while (k < m && strcmp(out[k].it.id, key) != 0)
            k++;
        if (k == m)
            out[m++] = (struct tr_row){ rows[i].p, { .id = key } };
        ew_trans_add(&out[k].it.count, &rows[i].it.count);
    }
    for (size_t k = 0; k < m; k++)
        if (ew_trans_rates(&out[k].it.count, &out[k].it.rate) != EW_OK)
            out[k].it.rate = (struct ew_trans_rate){ NAN, NAN, NAN };
    return m;
}

static int
by_trans(const void *a, const void *b)
{
    return ew_trans_cmp(&((const struct tr_row *)a)->it, &((const struct tr_row *)b)->it);
}

static void
tr_json(struct ew_buf *b, const char *name, const struct tr_row *rows, size_t n, int level)
{
    ew_buf_printf(b, ",\"%s\":[", name);
    for (size_t i = 0; i < n; i++) {
        const struct tr_row *t = &rows[i];
        const struct ew_trans_rate *r = &t->it.rate;
        ew_buf_adds(b, i > 0 ? ",{" : "{");
        if (level == 0) {
            ew_buf_adds(b, "\"mn\":");
            ew_json_strz(b, t->p->mn);
            ew_buf_adds(b, ",\"name\":");
            ew_json_strz(b, t->p->name);
            ew_buf_adds(b, ",\"enterprise\":");
            ew_json_strz(b, t->p->site);
            ew_buf_adds(b, ",\"county\":");
            ew_json_strz(b, t->p->county);
        } else {
            ew_buf_adds(b, level == 1 ? "\"enterprise\":" : "\"county\":");
            ew_json_strz(b, t->it.id);
            if (level == 1) {
                ew_buf_adds(b, ",\"county\":");
                ew_json_strz(b, t->p->county);
            }
        }
        ew_buf_printf(b, ",\"expected\":%lld,\"received\":%lld,\"valid\":%lld",
                      (long long)t->it.count.expected, (long long)t->it.count.received,
                      (long long)t->it.count.valid);
        ew_buf_adds(b, ",\"transmission_pct\":");
        ew_json_num(b, r->transmission_pct, 4);
        ew_buf_adds(b, ",\"validity_pct\":");
        ew_json_num(b, r->validity_pct, 4);
        ew_buf_adds(b, ",\"effective_pct\":");
        ew_json_num(b, r->effective_pct, 4);
        ew_buf_adds(b, ",\"pass\":");
        ew_buf_adds(b, isnan(r->effective_pct) ? "null"
                       : r->effective_pct >= TRANS_THRESHOLD_PCT ? "true" : "false");
        ew_buf_addc(b, '}');
    }
    ew_buf_addc(b, ']');
}

static int
transmission(struct api_req *r)
{
    struct src_ctx c = { .r = r };
    struct src_points pts = { 0 };
    struct tr_row *rows = NULL, *groups = NULL;
    const char *m = api_query(r, "month");
    int year, month, rc = sources_load(&c, &pts);
    size_t n = 0, ng;

    if (rc == EW_OK && m == NULL) {
        year = c.today.year;
        month = c.today.month;
    } else if (rc == EW_OK && parse_month(m, &year, &month) != EW_OK) {
        sources_free(&c, &pts);
        return api_error(r, 400, "bad_time", "month must be YYYY-MM");
    }
    if (rc == EW_OK && ((rows = calloc(pts.n + 1, sizeof(*rows))) == NULL ||
                        (groups = calloc(pts.n + 1, sizeof(*groups))) == NULL))
        rc = EW_ENOMEM;
    for (size_t i = 0; i < pts.n && rc == EW_OK; i++) {
        size_t nlim;
        const struct ew_source_limit *lim = src_limits_of(&c.lim, pts.v[i].id, &nlim);
        if (nlim == 0)
            continue;                   /* nothing is expected of a point without limits */
        rows[n] = (struct tr_row){ &pts.v[i], { .id = pts.v[i].mn } };
        rc = trans_point(r->store, &pts.v[i], &c.latest, lim, nlim, year, month, c.now,
                         &rows[n].it.count);
        if (ew_trans_rates(&rows[n].it.count, &rows[n].it.rate) != EW_OK)
            rows[n].it.rate = (struct ew_trans_rate){ NAN, NAN, NAN };
        n++;
    }
    if (rc == EW_OK) {
        ew_buf_printf(&r->out, "{\"month\":\"%04d-%02d\",\"threshold_pct\":", year, month);
        ew_json_num(&r->out, TRANS_THRESHOLD_PCT, 4);
        qsort(rows, n, sizeof(*rows), by_trans);
        tr_json(&r->out, "points", rows, n, 0);
        for (int level = 1; level <= 2; level++) {
            ng = pool(rows, n, level - 1, groups);
            qsort(groups, ng, sizeof(*groups), by_trans);
            tr_json(&r->out, level == 1 ? "enterprises" : "counties", groups, ng, level);
        }
        ew_buf_addc(&r->out, '}');
    }
    free(rows);
    free(groups);
    sources_free(&c, &pts);
    return rc != EW_OK ? api_store_error(r, rc) : EW_OK;
}

const struct api_route ew__api_routes_sources[] = {
    { "GET", "/api/v1/sources", sources },
    { "GET", "/api/v1/sources/transmission", transmission },
    { "GET", "/api/v1/sources/totals", src_totals },
    { NULL, NULL, NULL },
};
