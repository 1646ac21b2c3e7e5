/* SPDX-License-Identifier: MIT */
/*
 * The in-memory registry table: MN -> (PW, kind, point id), sorted for binary search. The
 * loop authenticates every packet against it without touching the database; the writer
 * rebuilds it whole when the registry changes and swaps the pointer under a mutex.
 */
#include <stdlib.h>
#include <string.h>

#include <envwatch/err.h>

#include "ingest/internal.h"

struct load {
    struct reg_entry *v;
    size_t n, cap;
    int    rc;
};

static int
on_point(void *ctx, const struct ew_point *p)
{
    struct load *l = ctx;

    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        struct reg_entry *v = realloc(l->v, cap * sizeof(*v));
        if (v == NULL) {
            l->rc = EW_ENOMEM;
            return 1;
        }
        l->v = v;
        l->cap = cap;
    }
    struct reg_entry *e = &l->v[l->n++];
    memset(e, 0, sizeof(*e));
    memcpy(e->mn, p->mn, sizeof(e->mn) - 1);
    memcpy(e->pw, p->pw, sizeof(e->pw) - 1);
    memcpy(e->kind, p->kind, sizeof(e->kind) - 1);
    e->point_id = p->id;
    return 0;
}

static int
cmp_entry(const void *a, const void *b)
{
    return strcmp(((const struct reg_entry *)a)->mn, ((const struct reg_entry *)b)->mn);
}

int
ew__registry_load(struct ew_store *s, struct registry **out)
{
    struct load l = { 0 };
    struct registry *r;
    int rc;

    rc = ew_store_point_each(s, on_point, &l);
    if (rc == 1)
        rc = l.rc;
    if (rc != EW_OK) {
        free(l.v);
        return rc;
    }
    r = calloc(1, sizeof(*r));
    if (r == NULL) {
        free(l.v);
        return EW_ENOMEM;
    }
    if (l.n > 1)
        qsort(l.v, l.n, sizeof(*l.v), cmp_entry);
    r->v = l.v;
    r->n = l.n;
    *out = r;
    return EW_OK;
}

void
ew__registry_free(struct registry *r)
{
    if (r == NULL)
        return;
    free(r->v);
    free(r);
}

const struct reg_entry *
ew__registry_find(const struct registry *r, const char *mn, size_t len)
{
    size_t lo = 0, hi;

    if (r == NULL || len >= sizeof(r->v[0].mn))
        return NULL;
    hi = r->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *m = r->v[mid].mn;
        int c = strncmp(m, mn, len);
        if (c == 0 && m[len] != '\0')
            c = 1;
        if (c == 0)
            return &r->v[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}
