/* SPDX-License-Identifier: MIT */
/*
 * Air-quality statistics of stored daily rows (see reportair.h): loading the days of an area
 * or of every station or county of a period, and calling the HJ 663 functions of
 * envwatch/air.h on them. Nothing here decides a rule; it is the one loader the API and the
 * reports share.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <envwatch/err.h>

#include "util/reportair.h"
#include "util/time.h"

#define DAY_S 86400

int64_t
ew_reportair_period_start(int year, int month)
{
    struct ew_civil c = { year, month > 0 ? month : 1, 1, 0, 0, 0 };

    return ew_civil_to_unix(&c);
}

size_t
ew_reportair_period_len(int year, int month)
{
    if (month > 0)
        return (size_t)ew_days_in_month(year, month);
    return ew_days_in_month(year, 2) == 29 ? 366 : 365;
}

static void
row_to_day(const struct ew_air_row *row, struct ew_air_day *d)
{
    for (int i = 0; i < EW_AIR_NITEMS; i++)
        ew_air_day_set(d, i, row->conc[i]);
}

struct days_acc {
    struct ew_air_day *days;
    int64_t            start;
    size_t             n;
};

static int
take_day(void *ctx, const struct ew_air_row *row)
{
    struct days_acc *a = ctx;
    int64_t i = (row->t_unix_s - a->start) / DAY_S;

    if (row->t_unix_s >= a->start && (size_t)i < a->n)
        row_to_day(row, &a->days[i]);
    return 0;
}

int
ew_reportair_days(struct ew_store *s, int scope, const char *name, int64_t start, size_t n,
                  struct ew_air_day *days)
{
    struct ew_air_query q = { .scope = scope, .name = name, .period = EW_AIR_PERIOD_DAY,
                              .from_unix_s = start,
                              .to_unix_s = start + (int64_t)(n - 1) * DAY_S };
    struct days_acc a = { days, start, n };

    for (size_t i = 0; i < n; i++)
        ew_air_day_clear(&days[i]);
    return n == 0 ? EW_OK : ew_store_air_each(s, &q, take_day, &a);
}

static int
period_ok(int year, int month)
{
    return year >= 2000 && year <= 2099 && month >= 0 && month <= 12;
}

int
ew_reportair_period(struct ew_store *s, int scope, const char *name, int year, int month,
                    size_t upto, struct ew_air_period *p, int *any)
{
    size_t n, load;
    struct ew_air_day *days;
    struct ew_air_period out;
    int rc, seen = 0;

    if (!period_ok(year, month))
        return EW_EINVAL;
    n = ew_reportair_period_len(year, month);
    load = upto > 0 && upto < n ? upto : n;
    if ((days = calloc(n, sizeof(*days))) == NULL)
        return EW_ENOMEM;
    for (size_t i = load; i < n; i++)
        ew_air_day_clear(&days[i]);
    rc = ew_reportair_days(s, scope, name, ew_reportair_period_start(year, month), load, days);
    if (rc == EW_OK)
        rc = ew_air_period_stats(days, n, year, month, &out);
    for (int i = 0; rc == EW_OK && i < EW_AIR_NITEMS; i++)
        seen |= out.item[i].n_days > 0;
    free(days);
    if (rc != EW_OK)
        return rc;
    *p = out;
    *any = seen;
    return EW_OK;
}

/* ---- groups ------------------------------------------------------------------------------ */

static struct ew_reportair_group *
group_of(struct ew_reportair_groups *g, const char *name)
{
    struct ew_reportair_group *x;

    if (g->n > 0 && strcmp(g->v[g->last].name, name) == 0)
        return &g->v[g->last];
    for (size_t i = 0; i < g->n; i++)
        if (strcmp(g->v[i].name, name) == 0)
            return &g->v[g->last = i];
    if (g->n == EW_REPORTAIR_GROUPS_MAX)
        return NULL;
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 16;
        struct ew_reportair_group *v = realloc(g->v, cap * sizeof(*v));
        if (v == NULL)
            return NULL;
        g->v = v;
        g->cap = cap;
    }
    x = &g->v[g->n];
    *x = (struct ew_reportair_group){ .days = calloc(g->ndays, sizeof(*x->days)) };
    if (x->days == NULL)
        return NULL;
    for (size_t i = 0; i < g->ndays; i++)
        ew_air_day_clear(&x->days[i]);
    snprintf(x->name, sizeof(x->name), "%s", name);
    g->last = g->n++;
    return x;
}

static int
take_group_day(void *ctx, const struct ew_air_row *row)
{
    struct ew_reportair_groups *g = ctx;
    struct ew_reportair_group *x = group_of(g, row->name);
    int64_t i = (row->t_unix_s - g->start) / DAY_S;

    if (x == NULL)
        return g->n == EW_REPORTAIR_GROUPS_MAX ? EW_ETOOBIG : EW_ENOMEM;
    snprintf(x->county, sizeof(x->county), "%s", row->county);
    x->control = row->control;
    if (row->t_unix_s >= g->start && (size_t)i < g->ndays)
        row_to_day(row, &x->days[i]);
    return 0;
}

/* Each group's statistics, comprehensive index and the value ranked (NAN: unranked). */
static int
groups_stats(struct ew_reportair_groups *g, int year, int month, int by_pm25)
{
    for (size_t i = 0; i < g->n; i++) {
        struct ew_reportair_group *x = &g->v[i];
        struct ew_air_ci ci;
        int rc = ew_air_period_stats(x->days, g->ndays, year, month, &x->p);
        if (rc != EW_OK)
            return rc;
        x->index = NAN;
        x->main_item = -1;
        x->index_valid = 0;
        if (ew_air_ci_compute(&x->p, &ci) == EW_OK) {
            x->index = ci.sum;
            x->main_item = ci.main_item;
            x->index_valid = ci.valid;
        }
        x->value = by_pm25 ? x->p.item[EW_AIR_PM25].mean : x->index;
    }
    return EW_OK;
}

int
ew_reportair_groups_load(struct ew_store *s, int scope, int year, int month, size_t upto,
                         int by_pm25, struct ew_reportair_groups *g)
{
    struct ew_air_query q = { .scope = scope, .period = EW_AIR_PERIOD_DAY };
    size_t load;
    int rc;

    *g = (struct ew_reportair_groups){ 0 };
    if (!period_ok(year, month) ||
        (scope != EW_AIR_SCOPE_STATION && scope != EW_AIR_SCOPE_COUNTY))
        return EW_EINVAL;
    g->ndays = ew_reportair_period_len(year, month);
    g->start = ew_reportair_period_start(year, month);
    load = upto > 0 && upto < g->ndays ? upto : g->ndays;
    q.from_unix_s = g->start;
    q.to_unix_s = g->start + (int64_t)(load - 1) * DAY_S;
    rc = ew_store_air_each(s, &q, take_group_day, g);
    return rc == EW_OK ? groups_stats(g, year, month, by_pm25) : rc;
}

void
ew_reportair_groups_free(struct ew_reportair_groups *g)
{
    for (size_t i = 0; i < g->n; i++)
        free(g->v[i].days);
    free(g->v);
    *g = (struct ew_reportair_groups){ 0 };
}

int
ew_reportair_groups_rank(const struct ew_reportair_groups *g, int by_pm25, int *rank,
                         size_t *order)
{
    double *values = malloc((g->n + 1) * sizeof(*values));
    int rc;

    if (values == NULL)
        return EW_ENOMEM;
    for (size_t i = 0; i < g->n; i++)
        values[i] = g->v[i].value;
    rc = ew_air_rank(values, g->n, by_pm25 ? 0 : 2, rank, order);
    free(values);
    return rc;
}
