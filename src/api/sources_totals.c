/* SPDX-License-Identifier: MIT */
/*
 * GET /api/v1/sources/totals?year=YYYY: each outlet's emission of each limited pollutant in
 * the CST calendar year (to date), summed per enterprise and county, against the permitted
 * annual quantity of the registry's quota_t attribute (t/a, "a21026=120;..."). The load of an
 * hourly record (docs/sources.md "Totals"): its Cou (kg) when sent; else flue gas C × Q × 1 h
 * × 1e-6 with the same hour's flow; else wastewater C × V × 1e-3 with the hour's volume.
 * Records with an invalid flag are left out (no HJ 75 substitution: it under-counts).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <envwatch/emission.h>

#include "api/sources.h"
#include "util/json.h"
#include "util/reportsrc.h"
#include "util/time.h"

static const char *const source_kinds[] = { "flue", "wastewater", "sewage", "dust", "fume",
                                            NULL };
/* Warning levels of the used share: no national rule sets them [M] (docs/sources.md). */
static const double levels_pct[] = { 80, 90, 100 };

struct tot_row {
    const struct src_point *p;
    const char *key;                    /* enterprise or county when pooled */
    char    factor[17];
    double  emitted_kg;
    int64_t hours;                      /* hourly records summed */
    double  quota_t;                    /* NAN: no permitted quantity */
};

struct tot_rows {
    struct tot_row *v;
    size_t n, cap;
};

static struct tot_row *
add_row(struct tot_rows *x)
{
    if (x->n == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 64;
        struct tot_row *v = realloc(x->v, cap * sizeof(*v));
        if (v == NULL)
            return NULL;
        x->v = v;
        x->cap = cap;
    }
    memset(&x->v[x->n], 0, sizeof(x->v[0]));
    return &x->v[x->n++];
}

/* The emission of each limited pollutant of one outlet over [from, to]: the rule and the
 * records read are those of util/reportsrc.h, which the monthly source report shares. */
static int
outlet_totals(struct ew_store *s, const struct src_point *p, const struct ew_source_limit *lim,
              size_t nlim, int64_t from, int64_t to, struct tot_rows *out)
{
    struct ew_reportsrc_point rp = { .id = p->id, .created_unix_s = p->created_unix_s };
    struct ew_reportsrc_total *sum = calloc(nlim + 1, sizeof(*sum));
    int rc = sum != NULL ? EW_OK : EW_ENOMEM;

    snprintf(rp.kind, sizeof(rp.kind), "%s", p->kind);
    snprintf(rp.quota_t, sizeof(rp.quota_t), "%s", p->quota_t);
    if (rc == EW_OK && nlim > 0)
        rc = ew_reportsrc_totals(s, &rp, lim, nlim, from, to, sum);
    for (size_t i = 0; i < nlim && rc == EW_OK; i++) {
        struct tot_row *t = add_row(out);
        if (t == NULL) {
            rc = EW_ENOMEM;
            break;
        }
        t->p = p;
        memcpy(t->factor, sum[i].factor, sizeof(t->factor));
        t->emitted_kg = sum[i].emitted_kg;
        t->hours = sum[i].hours;
        t->quota_t = sum[i].quota_t;
    }
    free(sum);
    return rc;
}

static int
by_key_factor(const void *a, const void *b)
{
    const struct tot_row *x = a, *y = b;
    int c = strcmp(x->key, y->key);

    return c != 0 ? c : strcmp(x->factor, y->factor);
}

/* Pools rows by enterprise (group 0) or county (1) and pollutant into out. */
static int
pool(const struct tot_rows *rows, int group, struct tot_rows *out)
{
    struct tot_row *sorted = malloc((rows->n ? rows->n : 1) * sizeof(*sorted));

    if (sorted == NULL)
        return EW_ENOMEM;
    for (size_t i = 0; i < rows->n; i++) {
        sorted[i] = rows->v[i];
        sorted[i].key = group == 0 ? rows->v[i].p->site : rows->v[i].p->county;
    }
    qsort(sorted, rows->n, sizeof(*sorted), by_key_factor);
    for (size_t i = 0; i < rows->n; i++) {
        struct tot_row *t = out->n > 0 ? &out->v[out->n - 1] : NULL;
        if (t == NULL || by_key_factor(t, &sorted[i]) != 0) {
            if ((t = add_row(out)) == NULL) {
                free(sorted);
                return EW_ENOMEM;
            }
            *t = sorted[i];
            t->emitted_kg = 0;
            t->hours = 0;
            t->quota_t = NAN;
        }
        t->emitted_kg += sorted[i].emitted_kg;
        t->hours += sorted[i].hours;
        if (!isnan(sorted[i].quota_t))
            t->quota_t = (isnan(t->quota_t) ? 0 : t->quota_t) + sorted[i].quota_t;
    }
    free(sorted);
    return EW_OK;
}

static void
quota_json(struct ew_buf *b, const struct tot_row *t, double elapsed)
{
    struct ew_quota_status st;
    double emitted_t = t->emitted_kg / 1000;

    ew_buf_adds(b, ",\"quota_t\":");
    ew_json_num(b, t->quota_t, 8);
    if (isnan(t->quota_t) || elapsed <= 0 ||
        ew_quota_check(emitted_t, t->quota_t, elapsed, levels_pct, EW_ARRAY_LEN(levels_pct),
                       &st) != EW_OK) {
        ew_buf_adds(b, ",\"used_pct\":null,\"pace\":null,\"projected_t\":null,"
                       "\"projected_pct\":null,\"level\":null,\"projected_over\":null");
        return;
    }
    ew_buf_adds(b, ",\"used_pct\":");
    ew_json_num(b, st.used_pct, 4);
    ew_buf_adds(b, ",\"pace\":");
    ew_json_num(b, st.pace, 4);
    ew_buf_adds(b, ",\"projected_t\":");
    ew_json_num(b, st.projected, 6);
    ew_buf_adds(b, ",\"projected_pct\":");
    ew_json_num(b, st.projected_pct, 4);
    ew_buf_printf(b, ",\"level\":%d,\"projected_over\":%s", st.level,
                  st.projected_over ? "true" : "false");
}

static void
rows_json(struct ew_buf *b, const char *name, const struct tot_rows *x, int group,
          double elapsed)
{
    ew_buf_printf(b, ",\"%s\":[", name);
    for (size_t i = 0; i < x->n; i++) {
        const struct tot_row *t = &x->v[i];
        ew_buf_adds(b, i > 0 ? ",{" : "{");
        if (group < 0) {
            ew_buf_adds(b, "\"mn\":");
            ew_json_strz(b, t->p->mn);
            ew_buf_adds(b, ",\"name\":");
            ew_json_strz(b, t->p->name);
            ew_buf_addc(b, ',');
        }
        if (group <= 0) {
            ew_buf_adds(b, "\"enterprise\":");
            ew_json_strz(b, t->p->site);
            ew_buf_addc(b, ',');
        }
        ew_buf_adds(b, "\"county\":");
        ew_json_strz(b, t->p->county);
        ew_buf_adds(b, ",\"factor\":");
        ew_json_strz(b, t->factor);
        ew_buf_adds(b, ",\"emitted_t\":");
        ew_json_num(b, t->emitted_kg / 1000, 8);
        ew_buf_printf(b, ",\"hours\":%lld", (long long)t->hours);
        quota_json(b, t, elapsed);
        ew_buf_addc(b, '}');
    }
    ew_buf_addc(b, ']');
}

/* The year asked for (default: this one) and the share of it elapsed by now. */
static int
year_param(struct api_req *r, int64_t now, int *year, double *elapsed)
{
    const char *y = api_query(r, "year");
    struct ew_civil c;
    char *end;
    long v;

    ew_unix_to_civil(now, &c);
    *year = c.year;
    if (y != NULL) {
        v = strtol(y, &end, 10);
        if (*end != '\0' || end == y || v < 2000 || v > 2099) {
            api_error(r, 400, "bad_param", "year must be YYYY (2000-2099)");
            return EW_EINVAL;
        }
        *year = (int)v;
    }
    *elapsed = *year == c.year ? ew_year_elapsed(now) : *year < c.year ? 1 : 0;
    return EW_OK;
}

int
src_totals(struct api_req *r)
{
    struct src_points pts = { 0 };
    struct src_limits lim = { 0 };
    struct tot_rows rows = { 0 }, ent = { 0 }, cty = { 0 };
    int64_t now = time(NULL), from, to;
    char asof[20];
    double elapsed;
    int year, rc;

    if (year_param(r, now, &year, &elapsed) != EW_OK)
        return EW_OK;
    from = ew_civil_to_unix(&(struct ew_civil){ year, 1, 1, 0, 0, 0 });
    to = ew_civil_to_unix(&(struct ew_civil){ year + 1, 1, 1, 0, 0, 0 }) - 1;
    rc = src_points_load(r->store, source_kinds, &pts);
    if (rc == EW_OK)
        rc = src_limits_load(r->store, &lim);
    for (size_t i = 0; i < pts.n && rc == EW_OK; i++) {
        size_t nlim;
        const struct ew_source_limit *l = src_limits_of(&lim, pts.v[i].id, &nlim);
        rc = outlet_totals(r->store, &pts.v[i], l, nlim, from, to, &rows);
    }
    if (rc == EW_OK)
        rc = pool(&rows, 0, &ent);
    if (rc == EW_OK)
        rc = pool(&rows, 1, &cty);
    if (rc == EW_OK) {
        ew_time_fmt_iso(now < to ? now : to, asof);
        ew_buf_printf(&r->out, "{\"year\":%d,\"as_of\":\"%s\",\"elapsed_pct\":", year, asof);
        ew_json_num(&r->out, elapsed * 100, 4);
        ew_buf_adds(&r->out, ",\"levels_pct\":[");
        for (size_t i = 0; i < EW_ARRAY_LEN(levels_pct); i++) {
            if (i > 0)
                ew_buf_addc(&r->out, ',');
            ew_json_num(&r->out, levels_pct[i], 4);
        }
        ew_buf_addc(&r->out, ']');
        rows_json(&r->out, "outlets", &rows, -1, elapsed);
        rows_json(&r->out, "enterprises", &ent, 0, elapsed);
        rows_json(&r->out, "counties", &cty, 1, elapsed);
        ew_buf_addc(&r->out, '}');
    }
    free(rows.v);
    free(ent.v);
    free(cty.v);
    free(lim.v);
    src_points_free(&pts);
    return rc != EW_OK ? api_store_error(r, rc) : EW_OK;
}
