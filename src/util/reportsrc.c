/* SPDX-License-Identifier: MIT */
/*
 * Pollution-source figures of stored records (see reportsrc.h): the outlets, their limits,
 * the 传输有效率 count of a month and the emission of a period. The formulas are those of
 * envwatch/emission.h and docs/sources.md; this file gathers the records they take.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include <envwatch/err.h>

#include "util/codelist.h"
#include "util/reportsrc.h"
#include "util/time.h"

#define FLOW_FLUE "a00000"              /* m3/s; Cou m3 */
#define FLOW_WATER "w00000"             /* L/s; Cou m3 */
#define MAX_QUOTAS 24

static const char *const source_kinds[] = { "flue", "wastewater", "sewage", "dust", "fume" };

int
ew_reportsrc_flag_ok(const struct ew_reading *r)
{
    return ew_flag_valid(r->flag[0]) && (r->flag[0] == '\0' || r->flag[1] == '\0');
}

/* ---- outlets ----------------------------------------------------------------------------- */

static void
extra_str(const cJSON *x, const char *key, char *dst, size_t size)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(x, key);

    dst[0] = '\0';
    if (cJSON_IsString(v))
        snprintf(dst, size, "%s", v->valuestring);
}

static int
is_source(const char *kind)
{
    for (size_t i = 0; i < EW_ARRAY_LEN(source_kinds); i++)
        if (strcmp(kind, source_kinds[i]) == 0)
            return 1;
    return 0;
}

static int
keep_point(void *ctx, const struct ew_point *p)
{
    struct ew_reportsrc_points *o = ctx;
    struct ew_reportsrc_point *x;
    cJSON *extra;

    if (!is_source(p->kind))
        return 0;
    if (o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 32;
        struct ew_reportsrc_point *v = realloc(o->v, cap * sizeof(*v));
        if (v == NULL)
            return EW_ENOMEM;
        o->v = v;
        o->cap = cap;
    }
    x = &o->v[o->n++];
    memset(x, 0, sizeof(*x));
    x->id = p->id;
    x->created_unix_s = p->created_unix_s;
    snprintf(x->mn, sizeof(x->mn), "%s", p->mn);
    snprintf(x->name, sizeof(x->name), "%s", p->name);
    snprintf(x->kind, sizeof(x->kind), "%s", p->kind);
    snprintf(x->site, sizeof(x->site), "%s", p->site);
    snprintf(x->county, sizeof(x->county), "%s", p->county);
    extra = cJSON_Parse(p->extra[0] ? p->extra : "{}");
    extra_str(extra, "quota_t", x->quota_t, sizeof(x->quota_t));
    extra_str(extra, "factors", x->factors, sizeof(x->factors));
    cJSON_Delete(extra);
    return 0;
}

static int
by_site_name(const void *a, const void *b)
{
    const struct ew_reportsrc_point *x = a, *y = b;
    int c = strcmp(x->site, y->site);

    return c != 0 ? c : strcmp(x->name, y->name);
}

int
ew_reportsrc_points_load(struct ew_store *s, struct ew_reportsrc_points *out)
{
    int rc = ew_store_point_each(s, keep_point, out);

    if (rc == EW_OK && out->n > 1)
        qsort(out->v, out->n, sizeof(*out->v), by_site_name);
    return rc;
}

void
ew_reportsrc_points_free(struct ew_reportsrc_points *p)
{
    free(p->v);
    *p = (struct ew_reportsrc_points){ 0 };
}

/* ---- limits ------------------------------------------------------------------------------ */

static int
keep_limit(void *ctx, const struct ew_source_limit *l)
{
    struct ew_reportsrc_limits *x = ctx;

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
ew_reportsrc_limits_load(struct ew_store *s, struct ew_reportsrc_limits *out)
{
    return ew_store_source_limit_each(s, 0, keep_limit, out);
}

void
ew_reportsrc_limits_free(struct ew_reportsrc_limits *l)
{
    free(l->v);
    *l = (struct ew_reportsrc_limits){ 0 };
}

const struct ew_source_limit *
ew_reportsrc_limits_of(const struct ew_reportsrc_limits *all, int64_t point_id, size_t *n)
{
    size_t i = 0, j;

    while (i < all->n && all->v[i].point_id != point_id)
        i++;
    for (j = i; j < all->n && all->v[j].point_id == point_id; j++)
        ;
    *n = j - i;
    return all->v + i;
}

/* ---- records ----------------------------------------------------------------------------- */

/*
 * The hourly records of a point for a few factors, read in one pass over the store (one
 * query for every factor of the point, kept only for the factors asked for) and held
 * compactly per factor in time order.
 */
struct rec {
    int64_t t_unix_s;
    double  value, cou;
    char    flag[5];
};

struct series {
    struct rec *v;
    size_t      n, cap;
};

struct pick {
    const char   **codes;               /* the factors kept: series[i] holds codes[i] */
    size_t         n;
    struct series *series;
};

static int
take(void *ctx, const struct ew_reading *r)
{
    struct pick *p = ctx;
    struct series *x;
    size_t i = 0;

    while (i < p->n && strcmp(p->codes[i], r->factor) != 0)
        i++;
    if (i == p->n)
        return 0;
    x = &p->series[i];
    if (x->n == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 256;
        struct rec *v = realloc(x->v, cap * sizeof(*v));
        if (v == NULL)
            return EW_ENOMEM;
        x->v = v;
        x->cap = cap;
    }
    x->v[x->n] = (struct rec){ r->t_unix_s, r->value, r->cou, "" };
    memcpy(x->v[x->n].flag, r->flag, sizeof(x->v[x->n].flag));
    x->n++;
    return 0;
}

/* Reads the hourly records of codes[0..n) of a point in [from, to]; free with pick_free. */
static int
pick_load(struct ew_store *s, int64_t point_id, int64_t from, int64_t to, const char **codes,
          size_t n, struct pick *out)
{
    struct ew_reading_query q = { .point_id = point_id, .kind = EW_KIND_HOUR,
                                  .from_unix_s = from, .to_unix_s = to };

    out->codes = codes;
    out->n = n;
    if ((out->series = calloc(n + 1, sizeof(*out->series))) == NULL)
        return EW_ENOMEM;
    return n == 0 ? EW_OK : ew_store_reading_each(s, &q, take, out);
}

static void
pick_free(struct pick *p)
{
    for (size_t i = 0; p->series != NULL && i < p->n; i++)
        free(p->series[i].v);
    free(p->series);
    p->series = NULL;
}

static int
rec_flag_ok(const struct rec *r)
{
    return ew_flag_valid(r->flag[0]) && (r->flag[0] == '\0' || r->flag[1] == '\0');
}

/* ---- 传输有效率 ---------------------------------------------------------------------------- */

struct sent {
    const char *factor;
    int         found;
};

static int
find_sent(void *ctx, const struct ew_reading *r)
{
    struct sent *x = ctx;

    if (strcmp(r->factor, x->factor) == 0)
        x->found = 1;
    return 0;
}

/* Whether the point monitors factor: listed in its registry `factors`, or (when the registry
 * lists none) among the factors it has sent. */
static int
monitored(struct ew_store *s, const struct ew_reportsrc_point *p, const char *factor, int *yes)
{
    size_t n = strlen(factor);
    struct sent x = { factor, 0 };
    int rc;

    *yes = 0;
    if (p->factors[0] == '\0') {
        rc = ew_store_latest_each(s, p->id, find_sent, &x);
        *yes = x.found;
        return rc;
    }
    for (const char *f = p->factors; (f = strstr(f, factor)) != NULL; f += n)
        if ((f == p->factors || f[-1] == ';') && (f[n] == ';' || f[n] == '\0'))
            *yes = 1;
    return EW_OK;
}

static void
month_span(int year, int month, int64_t *start, int64_t *end)
{
    struct ew_civil a = { year, month, 1, 0, 0, 0 };
    struct ew_civil b = { month == 12 ? year + 1 : year, month == 12 ? 1 : month + 1, 1, 0, 0,
                          0 };

    *start = ew_civil_to_unix(&a);
    *end = ew_civil_to_unix(&b);
}

/* Counts the records of one factor into *sum. */
static int
trans_factor(const struct series *x, int year, int month, const struct ew_span *skip,
             struct ew_trans_count *sum)
{
    struct ew_value *v = malloc((x->n + 1) * sizeof(*v));
    struct ew_trans_count c;
    int rc;

    if (v == NULL)
        return EW_ENOMEM;
    for (size_t k = 0; k < x->n; k++)
        v[k] = (struct ew_value){ x->v[k].t_unix_s, x->v[k].value, NAN, NAN, x->v[k].flag[0] };
    rc = ew_trans_count_month(year, month, v, x->n, skip, 2, &c);
    if (rc == EW_OK)
        ew_trans_add(sum, &c);
    free(v);
    return rc;
}

int
ew_reportsrc_trans(struct ew_store *s, const struct ew_reportsrc_point *p,
                   const struct ew_source_limit *lim, size_t nlim, int year, int month,
                   int64_t now_unix_s, struct ew_trans_count *out)
{
    struct ew_span skip[2] = { { now_unix_s - now_unix_s % 3600, INT64_MAX },
                               { INT64_MIN, p->created_unix_s } };
    struct ew_trans_count sum = { 0 };
    const char **codes = calloc(nlim + 1, sizeof(*codes));
    struct pick pk = { 0 };
    int64_t start, end;
    size_t n = 0;
    int rc = codes != NULL && month >= 1 && month <= 12 ? EW_OK
             : codes == NULL                             ? EW_ENOMEM : EW_EINVAL;

    for (size_t i = 0; i < nlim && rc == EW_OK; i++) {
        int yes;
        rc = monitored(s, p, lim[i].factor, &yes);
        if (rc == EW_OK && yes)
            codes[n++] = lim[i].factor;
    }
    if (rc == EW_OK) {
        month_span(year, month, &start, &end);
        rc = pick_load(s, p->id, start, end - 1, codes, n, &pk);
    }
    for (size_t i = 0; i < n && rc == EW_OK; i++)
        rc = trans_factor(&pk.series[i], year, month, skip, &sum);
    pick_free(&pk);
    free(codes);
    if (rc == EW_OK)
        *out = sum;
    return rc;
}

/* ---- totals ------------------------------------------------------------------------------ */

/* The valid flow record of hour t (one series, ascending), or NULL. */
static const struct rec *
flow_at(const struct series *flow, int64_t t)
{
    size_t lo = 0, hi = flow->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (flow->v[mid].t_unix_s == t)
            return rec_flag_ok(&flow->v[mid]) ? &flow->v[mid] : NULL;
        if (flow->v[mid].t_unix_s < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* The kg of one hourly record; 0 when it cannot be known. */
static int
record_kg(const struct ew_reportsrc_point *p, const struct rec *r, const struct series *flow,
          double *kg)
{
    const struct rec *f;
    double vol;

    if (!rec_flag_ok(r))
        return 0;
    if (isfinite(r->cou) && r->cou >= 0) {
        *kg = r->cou;
        return 1;
    }
    if ((f = flow_at(flow, r->t_unix_s)) == NULL || !isfinite(r->value))
        return 0;
    if (strcmp(p->kind, "flue") == 0) {
        /* The hour's volume: its Cou (m3), else the mean flow (m3/s) over 3600 s. */
        vol = isfinite(f->cou) ? f->cou : f->value * 3600;
        return ew_load_flue_kg(r->value, vol, 1, kg) == EW_OK;
    }
    return isfinite(f->cou) && ew_load_water_kg(r->value, f->cou, kg) == EW_OK;
}

int
ew_reportsrc_totals(struct ew_store *s, const struct ew_reportsrc_point *p,
                    const struct ew_source_limit *lim, size_t nlim, int64_t from_unix_s,
                    int64_t to_unix_s, struct ew_reportsrc_total *out)
{
    struct ew_code_value quota[MAX_QUOTAS];
    size_t nq = ew_codelist_parse(p->quota_t, 0, quota, MAX_QUOTAS);
    const char **codes = calloc(nlim + 2, sizeof(*codes));
    struct pick pk = { 0 };
    int rc;

    if (codes == NULL)
        return EW_ENOMEM;
    codes[0] = strcmp(p->kind, "flue") == 0 ? FLOW_FLUE : FLOW_WATER;  /* series 0: flow */
    for (size_t i = 0; i < nlim; i++)
        codes[i + 1] = lim[i].factor;
    rc = pick_load(s, p->id, from_unix_s, to_unix_s, codes, nlim + 1, &pk);
    for (size_t i = 0; i < nlim && rc == EW_OK; i++) {
        const struct ew_code_value *q = ew_codelist_find(quota, nq, lim[i].factor);
        const struct series *x = &pk.series[i + 1];
        struct ew_reportsrc_total *t = &out[i];
        memset(t, 0, sizeof(*t));
        memcpy(t->factor, lim[i].factor, sizeof(t->factor));
        t->quota_t = q != NULL ? q->hi : NAN;
        for (size_t k = 0; k < x->n; k++) {
            double kg;
            if (record_kg(p, &x->v[k], &pk.series[0], &kg)) {
                t->emitted_kg += kg;
                t->hours++;
            }
        }
    }
    pick_free(&pk);
    free(codes);
    return rc;
}
