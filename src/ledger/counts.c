/* SPDX-License-Identifier: MIT */
/*
 * Grouped counts of a ledger list (GET /api/v1/ledger/counts, `envwatch ledger counts`): for
 * the items of the current filter, how many of each kind, of each kind's states, of each
 * responsible unit and of each county, with how many of them are open and overdue -- the
 * numbers a dashboard shows beside the list, in one request. One pass over the matches that
 * reads only their keys, through the store's scope like every list.
 */
#include <stdlib.h>
#include <string.h>

#include <envwatch/err.h>
#include <envwatch/ledger.h>

#include "ledger/internal.h"
#include "util/buf.h"
#include "util/json.h"

/* Groups keyed by text (units, counties), kept sorted by name while counting. */
struct named {
    struct ew_ledger_tally *v;
    size_t n, cap;
};

struct counting {
    int64_t total, open, overdue;
    struct ew_ledger_tally kind[EW_LEDGER_KIND_COUNT];
    struct ew_ledger_tally state[EW_LEDGER_KIND_COUNT][EW_LEDGER_STATE_COUNT];
    struct named unit, county;
    int err;
};

static void
tally(struct ew_ledger_tally *t, const struct ew_ledger_item *it)
{
    t->n++;
    t->open += it->closed_unix_s == 0;
    t->overdue += it->overdue != 0;
}

/* The group of name in g, added in its sorted place when new; NULL when out of memory. */
static struct ew_ledger_tally *
named_get(struct named *g, const char *name)
{
    size_t lo = 0, hi = g->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(name, g->v[mid].name);
        if (c == 0)
            return &g->v[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    if (g->n == g->cap) {
        size_t cap = g->cap ? 2 * g->cap : 32;
        struct ew_ledger_tally *v = realloc(g->v, cap * sizeof(*v));
        if (v == NULL)
            return NULL;
        g->v = v;
        g->cap = cap;
    }
    memmove(&g->v[lo + 1], &g->v[lo], (g->n - lo) * sizeof(*g->v));
    memset(&g->v[lo], 0, sizeof(*g->v));
    ew__ledger_copy(g->v[lo].name, sizeof(g->v[lo].name), name);
    g->n++;
    return &g->v[lo];
}

static int
count_one(void *ctx, const struct ew_ledger_item *it)
{
    struct counting *c = ctx;
    struct ew_ledger_tally *u, *co;

    if (it->kind <= 0 || it->kind >= EW_LEDGER_KIND_COUNT || it->state <= 0 ||
        it->state >= EW_LEDGER_STATE_COUNT)
        return 0;                       /* the store checks both: never reached */
    if ((u = named_get(&c->unit, it->unit)) == NULL ||
        (co = named_get(&c->county, it->county)) == NULL)
        return c->err = EW_ENOMEM;
    c->total++;
    c->open += it->closed_unix_s == 0;
    c->overdue += it->overdue != 0;
    tally(&c->kind[it->kind], it);
    tally(&c->state[it->kind][it->state], it);
    tally(u, it);
    tally(co, it);
    return 0;
}

/* Most items first, then by name. */
static int
by_size(const void *a, const void *b)
{
    const struct ew_ledger_tally *x = a, *y = b;

    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* The non-empty groups of the fixed tables, in kind (and state) order. */
static int
fixed_groups(struct counting *c, struct ew_ledger_counts *out)
{
    size_t nk = 0, ns = 0;

    for (int k = 1; k < EW_LEDGER_KIND_COUNT; k++) {
        nk += c->kind[k].n > 0;
        for (int st = 1; st < EW_LEDGER_STATE_COUNT; st++)
            ns += c->state[k][st].n > 0;
    }
    out->by[EW_LEDGER_BY_KIND] = calloc(nk + 1, sizeof(struct ew_ledger_tally));
    out->by[EW_LEDGER_BY_STATE] = calloc(ns + 1, sizeof(struct ew_ledger_tally));
    if (out->by[EW_LEDGER_BY_KIND] == NULL || out->by[EW_LEDGER_BY_STATE] == NULL)
        return EW_ENOMEM;
    for (int k = 1; k < EW_LEDGER_KIND_COUNT; k++) {
        if (c->kind[k].n == 0)
            continue;
        c->kind[k].kind = k;
        ew__ledger_copy(c->kind[k].name, sizeof(c->kind[k].name), ew_ledger_kind_name(k));
        out->by[EW_LEDGER_BY_KIND][out->n_by[EW_LEDGER_BY_KIND]++] = c->kind[k];
        for (int st = 1; st < EW_LEDGER_STATE_COUNT; st++) {
            struct ew_ledger_tally *t = &c->state[k][st];
            if (t->n == 0)
                continue;
            t->kind = k;
            t->state = st;
            ew__ledger_copy(t->name, sizeof(t->name), ew_ledger_state_name(st));
            out->by[EW_LEDGER_BY_STATE][out->n_by[EW_LEDGER_BY_STATE]++] = *t;
        }
    }
    return EW_OK;
}

int
ew_ledger_counts(struct ew_store *s, const struct ew_ledger_query *q,
                 struct ew_ledger_counts *out)
{
    struct ew_ledger_query keys;
    struct counting *c;
    struct ew_ledger_counts r;
    int rc;

    if (s == NULL || q == NULL || out == NULL)
        return EW_EINVAL;
    if ((c = calloc(1, sizeof(*c))) == NULL)
        return EW_ENOMEM;
    keys = *q;
    keys.fields = EW_LEDGER_FIELDS_KEYS;
    keys.order = 0;
    keys.limit = 0;
    keys.offset = 0;
    memset(&r, 0, sizeof(r));
    rc = ew_store_ledger_item_each(s, &keys, count_one, c);
    if (rc == EW_OK && c->err != EW_OK)
        rc = c->err;
    if (rc == EW_OK)
        rc = fixed_groups(c, &r);
    if (rc == EW_OK) {
        r.total = c->total;
        r.open = c->open;
        r.overdue = c->overdue;
        if (c->unit.n > 1)
            qsort(c->unit.v, c->unit.n, sizeof(*c->unit.v), by_size);
        if (c->county.n > 1)
            qsort(c->county.v, c->county.n, sizeof(*c->county.v), by_size);
        r.by[EW_LEDGER_BY_UNIT] = c->unit.v;
        r.n_by[EW_LEDGER_BY_UNIT] = c->unit.n;
        r.by[EW_LEDGER_BY_COUNTY] = c->county.v;
        r.n_by[EW_LEDGER_BY_COUNTY] = c->county.n;
        *out = r;
    } else {
        ew_ledger_counts_fini(&r);
        free(c->unit.v);
        free(c->county.v);
    }
    free(c);
    return rc;
}

void
ew_ledger_counts_fini(struct ew_ledger_counts *c)
{
    if (c == NULL)
        return;
    for (int i = 0; i < EW_LEDGER_BY_COUNT; i++)
        free(c->by[i]);
    memset(c, 0, sizeof(*c));
}

static void
numbers_json(struct ew_buf *b, const struct ew_ledger_tally *t)
{
    ew_buf_printf(b, ",\"n\":%lld,\"open\":%lld,\"overdue\":%lld}", (long long)t->n,
                  (long long)t->open, (long long)t->overdue);
}

int
ew_ledger_counts_json(struct ew_buf *b, const struct ew_ledger_counts *c)
{
    static const char *const lists[] = { "kinds", "states", "units", "counties" };
    static const char *const keys[] = { "kind", "state", "unit", "county" };

    if (b == NULL || c == NULL)
        return EW_EINVAL;
    ew_buf_printf(b, "{\"total\":%lld,\"open\":%lld,\"overdue\":%lld", (long long)c->total,
                  (long long)c->open, (long long)c->overdue);
    for (int by = 0; by < EW_LEDGER_BY_COUNT; by++) {
        ew_buf_printf(b, ",\"%s\":[", lists[by]);
        for (size_t i = 0; i < c->n_by[by]; i++) {
            const struct ew_ledger_tally *t = &c->by[by][i];
            if (i > 0)
                ew_buf_addc(b, ',');
            ew_buf_addc(b, '{');
            if (by == EW_LEDGER_BY_STATE)
                ew_buf_printf(b, "\"kind\":\"%s\",", ew_ledger_kind_name(t->kind));
            ew_json_key(b, keys[by]);
            ew_json_strz(b, t->name);
            if (by == EW_LEDGER_BY_KIND || by == EW_LEDGER_BY_STATE) {
                ew_buf_adds(b, ",\"label\":");
                ew_json_strz(b, by == EW_LEDGER_BY_KIND ? ew_ledger_kind_label(t->kind)
                                                        : ew_ledger_state_label(t->kind,
                                                                                t->state));
            }
            numbers_json(b, t);
        }
        ew_buf_addc(b, ']');
    }
    ew_buf_addc(b, '}');
    return b->ptr != NULL ? EW_OK : EW_ENOMEM;
}
