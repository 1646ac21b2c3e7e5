/* SPDX-License-Identifier: MIT */
/*
 * The caller's scope applied to the store's reads (struct ew_store_scope): the front of a
 * handle with a scope passes its reads through these filters, so every caller of the store
 * (each HTTP resource file, whoever wrote it) gets only the points, readings, alarms and
 * ledger items the scope covers, and personal data masked, without knowing about scopes.
 *
 * Points are judged by the registry (county, site). The ids of the points in scope are read
 * once per scope (one registry pass) and then looked up by binary search. Lists keep the
 * caller's limit and offset: the filter asks the backend for everything and counts itself.
 */
#include <stdlib.h>
#include <string.h>

#include <envwatch/auth.h>
#include <envwatch/err.h>

#include "store/auth_internal.h"
#include "store/backend.h"
#include "util/buf.h"
#include "util/privacy.h"

#define STOP_LIMIT 0x7eadbeef           /* a trampoline's "limit reached": never an ew_err */

struct scope_point {
    int64_t id;
    char    mn[33];
};

struct ew__scope {
    struct ew_store_scope sc;
    int      points;                    /* county or enterprise restricts points */
    int      ledger;                    /* county, unit or enterprise restricts ledger items */
    int      loaded;
    struct scope_point *v;              /* points in scope, sorted by id */
    size_t   n, cap;
};

int
ew__scope_create(const struct ew_store_scope *sc, struct ew__scope **out)
{
    struct ew__scope *s = calloc(1, sizeof(*s));

    if (s == NULL)
        return EW_ENOMEM;
    s->sc = *sc;
    s->sc.county[sizeof(s->sc.county) - 1] = '\0';
    s->sc.unit[sizeof(s->sc.unit) - 1] = '\0';
    s->sc.enterprise[sizeof(s->sc.enterprise) - 1] = '\0';
    s->points = s->sc.county[0] != '\0' || s->sc.enterprise[0] != '\0';
    s->ledger = s->points || s->sc.unit[0] != '\0';
    *out = s;
    return EW_OK;
}

void
ew__scope_free(struct ew__scope *sc)
{
    if (sc == NULL)
        return;
    free(sc->v);
    free(sc);
}

/* ---- points ------------------------------------------------------------------------------- */

static int
point_in(const struct ew__scope *sc, const struct ew_point *p)
{
    return (sc->sc.county[0] == '\0' || strcmp(p->county, sc->sc.county) == 0) &&
           (sc->sc.enterprise[0] == '\0' || strcmp(p->site, sc->sc.enterprise) == 0);
}

static int
collect(void *ctx, const struct ew_point *p)
{
    struct ew__scope *sc = ctx;

    if (!point_in(sc, p))
        return 0;
    if (sc->n == sc->cap) {
        size_t cap = sc->cap ? sc->cap * 2 : 64;
        struct scope_point *v = realloc(sc->v, cap * sizeof(*v));
        if (v == NULL)
            return EW_ENOMEM;
        sc->v = v;
        sc->cap = cap;
    }
    sc->v[sc->n].id = p->id;
    memcpy(sc->v[sc->n].mn, p->mn, sizeof(sc->v[sc->n].mn));
    sc->n++;
    return 0;
}

static int
by_id(const void *a, const void *b)
{
    int64_t x = ((const struct scope_point *)a)->id, y = ((const struct scope_point *)b)->id;

    return (x > y) - (x < y);
}

static int
load(struct ew__scope *sc, const struct ew_store_backend *be, void *ctx)
{
    int rc;

    if (sc->loaded || !sc->points)
        return EW_OK;
    sc->n = 0;
    if ((rc = be->point_each(ctx, collect, sc)) != EW_OK)
        return rc;
    qsort(sc->v, sc->n, sizeof(*sc->v), by_id);
    sc->loaded = 1;
    return EW_OK;
}

static int
id_in(const struct ew__scope *sc, int64_t id)
{
    size_t lo = 0, hi = sc->n;

    if (!sc->points)
        return 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sc->v[mid].id == id)
            return 1;
        if (sc->v[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static int
mn_in(const struct ew__scope *sc, const char *mn)
{
    if (!sc->points)
        return 1;
    for (size_t i = 0; mn != NULL && i < sc->n; i++)
        if (strcmp(sc->v[i].mn, mn) == 0)
            return 1;
    return 0;
}

/* The counting every filtered list shares: the caller's offset and limit over the rows the
 * scope lets through. Each list has its own typed trampoline around it. */
struct tramp {
    struct ew__scope *sc;
    size_t limit, offset, seen, sent;
};

/* 1 when the next row in scope goes to the caller (it is past the offset). */
static int
take(struct tramp *t)
{
    return t->seen++ >= t->offset;
}

/* After the caller's callback returned rc: its code, or STOP_LIMIT once limit rows went. */
static int
sent(struct tramp *t, int rc)
{
    if (rc != 0)
        return rc;
    t->sent++;
    return t->limit > 0 && t->sent >= t->limit ? STOP_LIMIT : 0;
}

static int
done(int rc)
{
    return rc == STOP_LIMIT ? EW_OK : rc;
}

int
ew__scope_point_get(struct ew__scope *sc, const struct ew_store_backend *be, void *ctx,
                    const char *mn, struct ew_point *out)
{
    struct ew_point p;
    int rc = be->point_get(ctx, mn, &p);

    if (rc != EW_OK)
        return rc;
    if (sc->points && !point_in(sc, &p))
        return EW_ENOTFOUND;
    *out = p;
    return EW_OK;
}

struct point_tr {
    struct tramp t;
    int (*fn)(void *, const struct ew_point *);
    void *fn_ctx;
};

static int
point_tramp(void *ctx, const struct ew_point *p)
{
    struct point_tr *x = ctx;

    return point_in(x->t.sc, p) && take(&x->t) ? sent(&x->t, x->fn(x->fn_ctx, p)) : 0;
}

int
ew__scope_point_each(struct ew__scope *sc, const struct ew_store_backend *be, void *ctx,
                     int (*fn)(void *, const struct ew_point *), void *fn_ctx)
{
    struct point_tr x = { { sc, 0, 0, 0, 0 }, fn, fn_ctx };

    if (!sc->points)
        return be->point_each(ctx, fn, fn_ctx);
    return done(be->point_each(ctx, point_tramp, &x));
}

/* ---- readings, journal, connections, pending -------------------------------------------------- */

struct reading_tr {
    struct tramp t;
    int (*fn)(void *, const struct ew_reading *);
    void *fn_ctx;
};

static int
reading_tramp(void *ctx, const struct ew_reading *r)
{
    struct reading_tr *x = ctx;

    return id_in(x->t.sc, r->point_id) && take(&x->t) ? sent(&x->t, x->fn(x->fn_ctx, r)) : 0;
}

int
ew__scope_reading_each(struct ew__scope *sc, const struct ew_store_backend *be, void *ctx,
                       const struct ew_reading_query *q,
                       int (*fn)(void *, const struct ew_reading *), void *fn_ctx)
{
    struct reading_tr x = { { sc, q->limit, 0, 0, 0 }, fn, fn_ctx };
    struct ew_reading_query all = *q;
    int rc;

    if (!sc->points)
        return be->reading_each(ctx, q, fn, fn_ctx);
    if ((rc = load(sc, be, ctx)) != EW_OK)
        return rc;
    if (q->point_id > 0 && !id_in(sc, q->point_id))
        return EW_OK;                   /* nothing the caller may see */
    if (q->point_id > 0)
        return be->reading_each(ctx, q, fn, fn_ctx);
    all.limit = 0;
    return done(be->reading_each(ctx, &all, reading_tramp, &x));
}

int
ew__scope_latest_each(struct ew__scope *sc, const struct ew_store_backend *be, void *ctx,
                      int64_t point_id, int (*fn)(void *, const struct ew_reading *),
                      void *fn_ctx)
{
    struct reading_tr x = { { sc, 0, 0, 0, 0 }, fn, fn_ctx };
    int rc;

    if (!sc->points)
        return be->latest_each(ctx, point_id, fn, fn_ctx);
    if ((rc = load(sc, be, ctx)) != EW_OK)
        return rc;
    if (point_id > 0)
        return id_in(sc, point_id) ? be->latest_each(ctx, point_id, fn, fn_ctx) : EW_OK;
    return done(be->latest_each(ctx, 0, reading_tramp, &x));
}

/* The raw journal and the connection history of a scoped caller: only those of one MN in
 * its scope (a search over every instrument would have to read the whole journal). */
int
ew__scope_journal_each(struct ew__scope *sc, const struct ew_store_backend *be, void *ctx,
                       const struct ew_journal_query *q,
                       int (*fn)(void *, const struct ew_journal_entry *), void *fn_ctx)
{
    int rc;

    if (!sc->points)
        return be->journal_each(ctx, q, fn, fn_ctx);
    if ((rc = load(sc, be, ctx)) != EW_OK)
        return rc;
    return q->mn != NULL && mn_in(sc, q->mn) ? be->journal_each(ctx, q, fn, fn_ctx) : EW_OK;
}

int
ew__scope_conn_each(struct ew__scope *sc, const struct ew_store_backend *be, void *ctx,
                    const struct ew_conn_query *q, int (*fn)(void *, const struct ew_conn *),
                    void *fn_ctx)
{
    int rc;

    if (!sc->points)
        return be->conn_each(ctx, q, fn, fn_ctx);
    if ((rc = load(sc, be, ctx)) != EW_OK)
        return rc;
    return q->mn != NULL && mn_in(sc, q->mn) ? be->conn_each(ctx, q, fn, fn_ctx) : EW_OK;
}

int
ew__scope_pending_each(struct ew__scope *sc, const struct ew_store_backend *be, void *ctx,
                       int (*fn)(void *, const struct ew_pending *), void *fn_ctx)
{
    /* A pending instrument belongs to no county or enterprise yet: only unscoped callers. */
    if (sc->points)
        return EW_OK;
    return be->pending_each(ctx, fn, fn_ctx);
}

/* ---- alarms and limits ------------------------------------------------------------------------ */

int
ew__scope_alarm_get(struct ew__scope *sc, const struct ew_store_backend *be, void *ctx,
                    int64_t id, struct ew_alarm *out)
{
    struct ew_alarm a;
    int rc;

    if ((rc = load(sc, be, ctx)) != EW_OK || (rc = be->alarm_get(ctx, id, &a)) != EW_OK)
        return rc;
    if (!id_in(sc, a.point_id))
        return EW_ENOTFOUND;
    *out = a;
    return EW_OK;
}

int
ew__scope_alarm_find(struct ew__scope *sc, const struct ew_store_backend *be, void *ctx,
                     int64_t point_id, int kind, const char *factor, struct ew_alarm *out)
{
    int rc;

    if ((rc = load(sc, be, ctx)) != EW_OK)
        return rc;
    if (!id_in(sc, point_id))
        return EW_ENOTFOUND;
    return be->alarm_find(ctx, point_id, kind, factor, out);
}

struct alarm_tr {
    struct tramp t;
    int (*fn)(void *, const struct ew_alarm *);
    void *fn_ctx;
};

static int
alarm_tramp(void *ctx, const struct ew_alarm *a)
{
    struct alarm_tr *x = ctx;

    return id_in(x->t.sc, a->point_id) && take(&x->t) ? sent(&x->t, x->fn(x->fn_ctx, a)) : 0;
}

int
ew__scope_alarm_each(struct ew__scope *sc, const struct ew_store_backend *be, void *ctx,
                     const struct ew_alarm_query *q, int (*fn)(void *, const struct ew_alarm *),
                     void *fn_ctx)
{
    struct alarm_tr x = { { sc, q->limit, 0, 0, 0 }, fn, fn_ctx };
    struct ew_alarm_query all = *q;
    int rc;

    if (!sc->points)
        return be->alarm_each(ctx, q, fn, fn_ctx);
    if ((rc = load(sc, be, ctx)) != EW_OK)
        return rc;
    /* The county narrows the search in the backend; the point ids decide. */
    if (sc->sc.county[0] != '\0' && q->county != NULL && strcmp(q->county, sc->sc.county) != 0)
        return EW_OK;
    if (sc->sc.county[0] != '\0')
        all.county = sc->sc.county;
    all.limit = 0;
    return done(be->alarm_each(ctx, &all, alarm_tramp, &x));
}

int
ew__scope_alarm_history_each(struct ew__scope *sc, const struct ew_store_backend *be, void *ctx,
                             int64_t id, int (*fn)(void *, const struct ew_alarm_step *),
                             void *fn_ctx)
{
    struct ew_alarm a;
    int rc;

    if (sc->points && (rc = ew__scope_alarm_get(sc, be, ctx, id, &a)) != EW_OK)
        return rc == EW_ENOTFOUND ? EW_OK : rc;
    return be->alarm_history_each(ctx, id, fn, fn_ctx);
}

struct limit_tr {
    struct tramp t;
    int (*fn)(void *, const struct ew_source_limit *);
    void *fn_ctx;
};

static int
limit_tramp(void *ctx, const struct ew_source_limit *l)
{
    struct limit_tr *x = ctx;

    return id_in(x->t.sc, l->point_id) && take(&x->t) ? sent(&x->t, x->fn(x->fn_ctx, l)) : 0;
}

int
ew__scope_source_limit_each(struct ew__scope *sc, const struct ew_store_backend *be, void *ctx,
                            int64_t point_id, int (*fn)(void *, const struct ew_source_limit *),
                            void *fn_ctx)
{
    struct limit_tr x = { { sc, 0, 0, 0, 0 }, fn, fn_ctx };
    int rc;

    if (!sc->points)
        return be->source_limit_each(ctx, point_id, fn, fn_ctx);
    if ((rc = load(sc, be, ctx)) != EW_OK)
        return rc;
    if (point_id > 0 && !id_in(sc, point_id))
        return EW_OK;
    return done(be->source_limit_each(ctx, point_id, limit_tramp, &x));
}

/* ---- ledger items -------------------------------------------------------------------------------- */

/* unit is one of the ',' or '、' separated names of list. */
static int
unit_listed(const char *list, const char *unit)
{
    size_t n = strlen(unit);

    for (const char *p = list; (p = strstr(p, unit)) != NULL; p++) {
        int start = p == list || p[-1] == ',' || p[-1] == ' ' ||
                    (p - list >= 3 && memcmp(p - 3, "、", 3) == 0);
        const char *e = p + n;
        int end = *e == '\0' || *e == ',' || *e == ' ' || memcmp(e, "、", 3) == 0;
        if (start && end)
            return 1;
    }
    return 0;
}

static int
item_in(const struct ew__scope *sc, const struct ew_ledger_item *it)
{
    const struct ew_store_scope *s = &sc->sc;

    return (s->county[0] == '\0' || strcmp(it->county, s->county) == 0) &&
           (s->unit[0] == '\0' || strcmp(it->unit, s->unit) == 0 ||
            unit_listed(it->coop_units, s->unit)) &&
           (s->enterprise[0] == '\0' || strcmp(it->subject, s->enterprise) == 0);
}

/* The item as the scope may see it: complainant keys of extra and numbers in the texts
 * masked unless the scope sees personal data. */
static void
mask_item(const struct ew__scope *sc, struct ew_ledger_item *it)
{
    struct ew_buf b;

    if (sc->sc.personal)
        return;
    ew_privacy_mask_text(it->title);
    ew_privacy_mask_text(it->body);
    ew_buf_init(&b, sizeof(it->extra) * 4);
    if (ew_privacy_scrub(it->extra, strlen(it->extra), 1, &b) == EW_OK && b.ptr != NULL &&
        b.len < sizeof(it->extra))
        memcpy(it->extra, b.ptr, b.len + 1);
    else
        memcpy(it->extra, "{}", 3);
    ew_buf_fini(&b);
}

int
ew__scope_ledger_item_get(struct ew__scope *sc, const struct ew_store_backend *be, void *ctx,
                          int64_t id, struct ew_ledger_item *out)
{
    struct ew_ledger_item *it = malloc(sizeof(*it));
    int rc;

    if (it == NULL)
        return EW_ENOMEM;
    rc = be->ledger_item_get(ctx, id, it);
    if (rc == EW_OK && sc->ledger && !item_in(sc, it))
        rc = EW_ENOTFOUND;
    if (rc == EW_OK) {
        mask_item(sc, it);
        *out = *it;
    }
    free(it);
    return rc;
}

int
ew__scope_ledger_item_find(struct ew__scope *sc, const struct ew_store_backend *be, void *ctx,
                           const char *code, struct ew_ledger_item *out)
{
    struct ew_ledger_item *it = malloc(sizeof(*it));
    int rc;

    if (it == NULL)
        return EW_ENOMEM;
    rc = be->ledger_item_find(ctx, code, it);
    if (rc == EW_OK && sc->ledger && !item_in(sc, it))
        rc = EW_ENOTFOUND;
    if (rc == EW_OK) {
        mask_item(sc, it);
        *out = *it;
    }
    free(it);
    return rc;
}

struct item_tr {
    struct tramp t;
    int (*fn)(void *, const struct ew_ledger_item *);
    void *fn_ctx;
    struct ew_ledger_item copy;
};

static int
item_tramp(void *ctx, const struct ew_ledger_item *it)
{
    struct item_tr *x = ctx;

    if ((x->t.sc->ledger && !item_in(x->t.sc, it)) || !take(&x->t))
        return 0;
    x->copy = *it;
    mask_item(x->t.sc, &x->copy);
    return sent(&x->t, x->fn(x->fn_ctx, &x->copy));
}

int
ew__scope_ledger_item_each(struct ew__scope *sc, const struct ew_store_backend *be, void *ctx,
                           const struct ew_ledger_query *q,
                           int (*fn)(void *, const struct ew_ledger_item *), void *fn_ctx)
{
    struct item_tr *x;
    struct ew_ledger_query all = *q;
    int rc;

    if (!sc->ledger && sc->sc.personal)
        return be->ledger_item_each(ctx, q, fn, fn_ctx);
    if (sc->sc.county[0] != '\0' && q->county != NULL && strcmp(q->county, sc->sc.county) != 0)
        return EW_OK;
    if ((x = calloc(1, sizeof(*x))) == NULL)
        return EW_ENOMEM;
    x->t = (struct tramp){ sc, q->limit, q->offset, 0, 0 };
    x->fn = fn;
    x->fn_ctx = fn_ctx;
    if (sc->sc.county[0] != '\0')
        all.county = sc->sc.county;
    all.limit = 0;
    all.offset = 0;
    rc = done(be->ledger_item_each(ctx, &all, item_tramp, x));
    free(x);
    return rc;
}

static int
count_one(void *ctx, const struct ew_ledger_item *it)
{
    (void)it;
    (*(int64_t *)ctx)++;
    return 0;
}

int
ew__scope_ledger_item_count(struct ew__scope *sc, const struct ew_store_backend *be, void *ctx,
                            const struct ew_ledger_query *q, int64_t *n)
{
    struct ew_ledger_query all = *q;
    int64_t k = 0;
    int rc;

    if (!sc->ledger)
        return be->ledger_item_count(ctx, q, n);
    all.limit = 0;
    all.offset = 0;
    rc = ew__scope_ledger_item_each(sc, be, ctx, &all, count_one, &k);
    if (rc == EW_OK)
        *n = k;
    return rc;
}

/* 1 when item id is in scope; EW_ENOTFOUND-like items answer 0. */
static int
item_id_in(struct ew__scope *sc, const struct ew_store_backend *be, void *ctx, int64_t id)
{
    struct ew_ledger_item *it;
    int in;

    if (!sc->ledger)
        return 1;
    it = malloc(sizeof(*it));
    if (it == NULL)
        return 0;
    in = be->ledger_item_get(ctx, id, it) == EW_OK && item_in(sc, it);
    free(it);
    return in;
}

struct event_tr {
    struct ew__scope *sc;
    int (*fn)(void *, const struct ew_ledger_event *);
    void *fn_ctx;
    struct ew_ledger_event copy;
};

static int
event_tramp(void *ctx, const struct ew_ledger_event *ev)
{
    struct event_tr *x = ctx;

    x->copy = *ev;
    if (!x->sc->sc.personal)
        ew_privacy_mask_text(x->copy.note);
    return x->fn(x->fn_ctx, &x->copy);
}

int
ew__scope_ledger_event_each(struct ew__scope *sc, const struct ew_store_backend *be, void *ctx,
                            int64_t item_id, int (*fn)(void *, const struct ew_ledger_event *),
                            void *fn_ctx)
{
    struct event_tr *x;
    int rc;

    if (!item_id_in(sc, be, ctx, item_id))
        return EW_OK;
    if ((x = calloc(1, sizeof(*x))) == NULL)
        return EW_ENOMEM;
    x->sc = sc;
    x->fn = fn;
    x->fn_ctx = fn_ctx;
    rc = be->ledger_event_each(ctx, item_id, event_tramp, x);
    free(x);
    return rc;
}

int
ew__scope_ledger_file_each(struct ew__scope *sc, const struct ew_store_backend *be, void *ctx,
                           int64_t item_id, int (*fn)(void *, const struct ew_ledger_file *),
                           void *fn_ctx)
{
    if (!item_id_in(sc, be, ctx, item_id))
        return EW_OK;
    return be->ledger_file_each(ctx, item_id, fn, fn_ctx);
}

/* The search for a file record of one content on an item the scope covers (NULL: any). */
struct file_hit {
    struct ew__scope *sc;
    const struct ew_store_backend *be;
    void *ctx;
    const char *sha256;
    int item_checked;                   /* the walk below has judged the item already */
    int found;
    struct ew_ledger_file f;
};

static int
file_hit(void *p, const struct ew_ledger_file *f)
{
    struct file_hit *h = p;

    if (strcmp(f->sha256, h->sha256) != 0)
        return 0;
    if (!h->item_checked && h->sc != NULL && !item_id_in(h->sc, h->be, h->ctx, f->item_id))
        return 0;
    h->f = *f;
    h->found = 1;
    return STOP_LIMIT;
}

/* Without the backend's query: each item the scope covers, then its files. */
static int
item_files(void *p, const struct ew_ledger_item *it)
{
    struct file_hit *h = p;

    if (h->sc != NULL && h->sc->ledger && !item_in(h->sc, it))
        return 0;
    return h->be->ledger_file_each(h->ctx, it->id, file_hit, h);
}

int
ew__scope_ledger_file_find(struct ew__scope *sc, const struct ew_store_backend *be, void *ctx,
                           const char *sha256, struct ew_ledger_file *out)
{
    struct file_hit *h = calloc(1, sizeof(*h));
    struct ew_ledger_query all = { .overdue = -1, .open = -1 };
    int rc;

    if (h == NULL)
        return EW_ENOMEM;
    *h = (struct file_hit){ .sc = sc, .be = be, .ctx = ctx, .sha256 = sha256 };
    if (be->ledger_file_find != NULL) {
        rc = be->ledger_file_find(ctx, sha256, file_hit, h);
    } else {
        h->item_checked = 1;
        if (sc != NULL && sc->sc.county[0] != '\0')
            all.county = sc->sc.county;
        rc = be->ledger_item_each(ctx, &all, item_files, h);
    }
    rc = done(rc);
    if (rc == EW_OK && !h->found)
        rc = EW_ENOTFOUND;
    if (rc == EW_OK)
        *out = h->f;
    free(h);
    return rc;
}

int
ew__scope_ledger_link_each(struct ew__scope *sc, const struct ew_store_backend *be, void *ctx,
                           int64_t item_id, int (*fn)(void *, const struct ew_ledger_link *),
                           void *fn_ctx)
{
    if (!item_id_in(sc, be, ctx, item_id))
        return EW_OK;
    return be->ledger_link_each(ctx, item_id, fn, fn_ctx);
}

struct link_tr {
    struct ew__scope *sc;
    const struct ew_store_backend *be;
    void *ctx;
    int (*fn)(void *, const struct ew_ledger_link *);
    void *fn_ctx;
};

static int
link_tramp(void *ctx, const struct ew_ledger_link *l)
{
    struct link_tr *x = ctx;

    return item_id_in(x->sc, x->be, x->ctx, l->item_id) ? x->fn(x->fn_ctx, l) : 0;
}

int
ew__scope_ledger_link_find(struct ew__scope *sc, const struct ew_store_backend *be, void *ctx,
                           const char *type, const char *target,
                           int (*fn)(void *, const struct ew_ledger_link *), void *fn_ctx)
{
    struct link_tr x = { sc, be, ctx, fn, fn_ctx };

    if (!sc->ledger)
        return be->ledger_link_find(ctx, type, target, fn, fn_ctx);
    return be->ledger_link_find(ctx, type, target, link_tramp, &x);
}
