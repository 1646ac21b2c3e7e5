/* SPDX-License-Identifier: MIT */
/*
 * SQLite: readings and latest values, the hot path of the writer.
 *
 * One row per point, data kind and data time: the key (point, t) of a WITHOUT ROWID table
 * and the packet's readings packed in one value, sorted by factor (readrow.h). A 10-factor
 * packet is one b-tree insert of ~150 bytes instead of ten of ~50: a batch of 1,000 packets
 * dirties a few hundred leaf pages instead of thousands, and the WAL and the checkpoints
 * write that much less (docs/store.md "Reading rows" has the measurements).
 *
 * Readings stay idempotent by (point, kind, time, factor): the row of a packet is read once
 * when its first reading arrives, a factor it already holds is not touched (a re-sent
 * packet changes nothing), a new factor is merged in. The row is written once, when the
 * next packet's reading arrives or at the flush before a commit, a savepoint or a query.
 *
 * Each data kind has one table per CST month, v<kind>_<yyyymm>, so retention drops whole
 * months as tables: Debian's SQLite is built with SECURE_DELETE, which makes row deletes of
 * old data costly (reference/clibs.md 6.4); only the month that straddles the cut is deleted
 * row by row. Tables r<kind>_<yyyymm> of the first layout (one row per factor, keyed by a
 * series id) are converted when the writer opens the store.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <envwatch/err.h>
#include <envwatch/store.h>

#include "store/internal.h"
#include "store/readrow.h"
#include "util/time.h"

#define MAP_MAX ((size_t)1 << 20)      /* keys per cache; past this a cache starts over */
#define NAME_LEN 12                             /* "v2061_202401" */

/* ---- caches --------------------------------------------------------------------------------- */

/* FNV-1a over the factor code, mixed with point and kind by the splitmix64 finalizer: the
 * low bits used as the slot index depend on every input bit. */
static uint64_t
key_hash(int64_t point_id, int kind, const char *factor)
{
    uint64_t h = 14695981039346656037ULL;

    for (; *factor != '\0'; factor++) {
        h ^= (unsigned char)*factor;
        h *= 1099511628211ULL;
    }
    h ^= (uint64_t)point_id * 0x9E3779B97F4A7C15ULL + (uint64_t)(unsigned)kind;
    h ^= h >> 30;
    h *= 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 27;
    h *= 0x94D049BB133111EBULL;
    return h ^ (h >> 31);
}

/* The slot holding the key, or the empty slot where it belongs. */
static struct ew__sqlite_key *
map_slot(struct ew__sqlite_map *m, int64_t point_id, int kind, const char *factor)
{
    size_t mask = m->cap - 1, i = key_hash(point_id, kind, factor) & mask;

    for (;; i = (i + 1) & mask) {
        struct ew__sqlite_key *e = &m->v[i];
        if (!e->used || (e->point_id == point_id && e->kind == kind &&
                         strcmp(e->factor, factor) == 0))
            return e;
    }
}

void
ew__sqlite_map_clear(struct ew__sqlite_map *m)
{
    if (m->v != NULL)
        memset(m->v, 0, m->cap * sizeof(*m->v));
    m->n = 0;
}

/* Makes room for one more key: doubles the table at 70% load, starts over at the cap. */
static int
map_reserve(struct ew__sqlite *c, struct ew__sqlite_map *m)
{
    struct ew__sqlite_key *old = m->v, *v;
    size_t old_cap = m->cap, cap;

    if ((m->n + 1) * 10 <= m->cap * 7)
        return EW_OK;
    if (m->n >= MAP_MAX) {
        ew__sqlite_map_clear(m);
        return EW_OK;
    }
    cap = old_cap ? old_cap * 2 : 1024;
    v = calloc(cap, sizeof(*v));
    if (v == NULL)
        return ew__sqlite_say(c, EW_ENOMEM, "store cache: out of memory");
    m->v = v;
    m->cap = cap;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].used)
            *map_slot(m, old[i].point_id, old[i].kind, old[i].factor) = old[i];
    free(old);
    return EW_OK;
}

/* The cached entry of a key, or a new unused one (a slot already reserved for it). */
static int
map_get(struct ew__sqlite *c, struct ew__sqlite_map *m, const struct ew_reading *r, int kind,
        struct ew__sqlite_key **out)
{
    int rc;

    if ((rc = map_reserve(c, m)) != EW_OK)
        return rc;
    *out = map_slot(m, r->point_id, kind, r->factor);
    return EW_OK;
}

static void
map_set(struct ew__sqlite_map *m, struct ew__sqlite_key *e, const struct ew_reading *r,
        int kind, int64_t val)
{
    if (!e->used) {
        e->used = 1;
        e->point_id = r->point_id;
        e->kind = kind;
        memcpy(e->factor, r->factor, sizeof(e->factor));
        m->n++;
    }
    e->val = val;
}

/* ---- points -------------------------------------------------------------------------------- */

/* EW_OK when the point is registered and not removed (cached), EW_ENOTFOUND otherwise. */
static int
point_live(struct ew__sqlite *c, int64_t point_id)
{
    static const char sql[] = "SELECT 1 FROM point WHERE id = ?1 AND removed_unix_s = 0";
    struct ew_reading key = { .point_id = point_id };
    struct ew__sqlite_key *e = NULL;
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = map_get(c, &c->series, &key, 0, &e)) != EW_OK)
        return rc;
    if (e->used)
        return EW_OK;
    if ((rc = ew__sqlite_stmt(c, SQ_POINT_LIVE, sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, point_id);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return ew__sqlite_say(c, EW_ENOTFOUND, "no point with id %lld (unknown or removed)",
                              (long long)point_id);
    if (rc != SQLITE_ROW)
        return ew__sqlite_fail(c, rc, "point lookup");
    map_set(&c->series, e, &key, 0, 1);
    return EW_OK;
}

/* ---- month tables -------------------------------------------------------------------------- */

static int
month_of(int64_t t_unix_s)
{
    struct ew_civil cv;

    ew_unix_to_civil(t_unix_s, &cv);    /* CST: a month table holds a local month */
    return cv.year * 100 + cv.month;
}

static void
table_name(char out[NAME_LEN + 1], char prefix, int kind, int yyyymm)
{
    snprintf(out, NAME_LEN + 1, "%c%04u_%06u", prefix, (unsigned)kind % 10000u,
             (unsigned)yyyymm % 1000000u);
}

static int row_flush(struct ew__sqlite *c);

/* The statements of (kind, month), creating the month's table on first use. */
static int
month_stmts(struct ew__sqlite *c, int kind, int yyyymm, struct ew__sqlite_month **out)
{
    struct ew__sqlite_month *m, *victim = &c->month[0];
    char name[NAME_LEN + 1], sql[400];
    int rc;

    for (size_t i = 0; i < EW__SQLITE_MONTHS; i++) {
        m = &c->month[i];
        if (m->ins != NULL && m->kind == kind && m->yyyymm == yyyymm) {
            m->used = ++c->clock;
            *out = m;
            return EW_OK;
        }
        if (m->ins == NULL || m->used < victim->used)
            victim = m;                 /* an empty slot has used 0: taken first */
    }
    if (c->row.open && c->row.ins == victim->ins && (rc = row_flush(c)) != EW_OK)
        return rc;
    table_name(name, 'v', kind, yyyymm);
    snprintf(sql, sizeof(sql), "CREATE TABLE IF NOT EXISTS %s(point INTEGER NOT NULL,"
             " t INTEGER NOT NULL, v BLOB NOT NULL, PRIMARY KEY(point, t)) WITHOUT ROWID",
             name);
    if ((rc = ew__sqlite_exec(c, sql)) != EW_OK)
        return rc;
    sqlite3_finalize(victim->ins);
    sqlite3_finalize(victim->get);
    *victim = (struct ew__sqlite_month){ 0 };
    snprintf(sql, sizeof(sql), "INSERT OR REPLACE INTO %s VALUES(?1, ?2, ?3)", name);
    rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &victim->ins, NULL);
    if (rc == SQLITE_OK) {
        snprintf(sql, sizeof(sql), "SELECT v FROM %s WHERE point = ?1 AND t = ?2", name);
        rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &victim->get,
                                NULL);
    }
    if (rc != SQLITE_OK) {
        sqlite3_finalize(victim->ins);
        *victim = (struct ew__sqlite_month){ 0 };
        return ew__sqlite_fail(c, rc, "prepare reading statements");
    }
    victim->kind = kind;
    victim->yyyymm = yyyymm;
    victim->used = ++c->clock;
    *out = victim;
    return EW_OK;
}

/* ---- writing ------------------------------------------------------------------------------- */

static int
reserve(struct ew__sqlite *c, struct ew_reading **v, size_t *cap, size_t need)
{
    size_t n = *cap ? *cap : 32;
    struct ew_reading *p;

    if (need <= *cap)
        return EW_OK;
    while (n < need)
        n *= 2;
    if ((p = realloc(*v, n * sizeof(*p))) == NULL)
        return ew__sqlite_say(c, EW_ENOMEM, "readings: out of memory");
    *v = p;
    *cap = n;
    return EW_OK;
}

/* Decodes a stored row into *v (grown as needed); EW_EFORMAT names the damaged row. */
static int
decode(struct ew__sqlite *c, sqlite3_stmt *st, int col, int64_t point_id, int64_t t,
       struct ew_reading **v, size_t *cap, size_t *n)
{
    const unsigned char *p = sqlite3_column_blob(st, col);
    size_t len = (size_t)sqlite3_column_bytes(st, col), count = 0;
    int rc;

    if (ew__row_count(p, len, &count) == EW_OK &&
        (rc = reserve(c, v, cap, count > 0 ? count : 1)) != EW_OK)
        return rc;
    if (ew__row_decode(p, len, *v, *cap, n) != EW_OK)
        return ew__sqlite_say(c, EW_EFORMAT, "the reading row of point %lld at %lld is "
                              "damaged", (long long)point_id, (long long)t);
    return EW_OK;
}

/* Writes the row being filled, if it changed. */
static int
row_flush(struct ew__sqlite *c)
{
    struct ew__sqlite_row *w = &c->row;
    unsigned char small[4096], *buf = small;
    size_t need, len = 0;
    int rc;

    if (!w->open || !w->dirty) {
        w->open = 0;
        return EW_OK;
    }
    need = ew__row_bound(w->n);
    if (need > sizeof(small) && (buf = malloc(need)) == NULL)
        return ew__sqlite_say(c, EW_ENOMEM, "readings: out of memory");
    if ((rc = ew__row_encode(w->v, w->n, 0, buf, &len)) != EW_OK) {
        rc = ew__sqlite_say(c, rc, "reading row of point %lld: cannot encode",
                            (long long)w->point_id);
    } else {
        sqlite3_bind_int64(w->ins, 1, w->point_id);
        sqlite3_bind_int64(w->ins, 2, w->t);
        sqlite3_bind_blob(w->ins, 3, buf, (int)len, SQLITE_STATIC);
        rc = ew__sqlite_run(c, w->ins, "reading insert");
        sqlite3_clear_bindings(w->ins);
    }
    if (buf != small)
        free(buf);
    if (rc == EW_OK)
        w->open = w->dirty = 0;
    return rc;
}

/* Makes (point, kind, t) of r the row being filled: writes the previous one, reads what the
 * table already holds for the key. */
static int
row_open(struct ew__sqlite *c, const struct ew_reading *r)
{
    struct ew__sqlite_row *w = &c->row;
    struct ew__sqlite_month *m = NULL;
    int rc;

    if ((rc = row_flush(c)) != EW_OK ||
        (rc = month_stmts(c, r->kind, month_of(r->t_unix_s), &m)) != EW_OK)
        return rc;
    w->n = 0;
    sqlite3_bind_int64(m->get, 1, r->point_id);
    sqlite3_bind_int64(m->get, 2, r->t_unix_s);
    rc = sqlite3_step(m->get);
    if (rc == SQLITE_ROW)
        rc = decode(c, m->get, 0, r->point_id, r->t_unix_s, &w->v, &w->cap, &w->n);
    else if (rc == SQLITE_DONE)
        rc = EW_OK;
    else
        rc = ew__sqlite_fail(c, rc, "reading row");
    sqlite3_reset(m->get);
    if (rc != EW_OK)
        return rc;
    w->point_id = r->point_id;
    w->kind = r->kind;
    w->t = r->t_unix_s;
    w->ins = m->ins;
    w->open = 1;
    w->dirty = 0;
    return EW_OK;
}

/* Adds r to its row unless the row holds its factor already; *inserted says which. */
static int
row_add(struct ew__sqlite *c, const struct ew_reading *r, int *inserted)
{
    struct ew__sqlite_row *w = &c->row;
    size_t lo = 0, hi;
    int rc;

    if (!(w->open && w->point_id == r->point_id && w->kind == r->kind &&
          w->t == r->t_unix_s) && (rc = row_open(c, r)) != EW_OK)
        return rc;
    for (hi = w->n; lo < hi;) {                 /* the first factor >= r's */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(w->v[mid].factor, r->factor) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < w->n && strcmp(w->v[lo].factor, r->factor) == 0) {
        *inserted = 0;
        return EW_OK;
    }
    if (w->n >= EW__ROW_MAX)
        return ew__sqlite_say(c, EW_ETOOBIG, "more than %d readings of one point and time",
                              EW__ROW_MAX);
    if ((rc = reserve(c, &w->v, &w->cap, w->n + 1)) != EW_OK)
        return rc;
    memmove(&w->v[lo + 1], &w->v[lo], (w->n - lo) * sizeof(*w->v));
    w->v[lo] = *r;
    w->n++;
    w->dirty = 1;
    *inserted = 1;
    return EW_OK;
}
/* ---- latest values ------------------------------------------------------------------------- */

/*
 * One row per point in latest_point: the newest reading of each factor with its kind and
 * time, packed (a timed row, readrow.h). Newer data time wins; on a tie the reading already
 * there stays (a re-send carries the same values, and another kind at the same instant is no
 * newer). The newest time of each (point, factor) is cached, so a reading is judged without
 * a query; the winners wait in c->pend (one per key: a newer reading in the same batch
 * replaces it) until the flush rewrites each point's row once. A latest-value row per
 * factor cost 2.6 of the 4.1 us a reading took in all (bench_store); one per point and
 * batch costs a few percent.
 */

static int latest_flush(struct ew__sqlite *c);

static const char latest_get_sql[] = "SELECT v FROM latest_point WHERE point_id = ?1";

/* The point's latest row decoded into *v (none: *n = 0). */
static int
latest_read(struct ew__sqlite *c, int64_t point_id, struct ew_reading **v, size_t *cap,
            size_t *n)
{
    sqlite3_stmt *st = NULL;
    int rc;

    *n = 0;
    if ((rc = ew__sqlite_stmt(c, SQ_LATEST_GET, latest_get_sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, point_id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        rc = decode(c, st, 0, point_id, 0, v, cap, n);
    else
        rc = rc == SQLITE_DONE ? EW_OK : ew__sqlite_fail(c, rc, "latest values");
    sqlite3_reset(st);
    for (size_t i = 0; rc == EW_OK && i < *n; i++)
        (*v)[i].point_id = point_id;
    return rc;
}

#define LROW_MAX_TOTAL ((size_t)1 << 18)  /* readings the latest rows may keep in memory */

void
ew__sqlite_latest_forget(struct ew__sqlite *c)
{
    ew__sqlite_map_clear(&c->latest);
    for (size_t i = 0; i < c->lrow_n; i++)
        free(c->lrow[i].v);
    c->lrow_n = c->lrow_total = 0;
}

/* Keeps a copy of a point's latest row; returns the marker value for the latest map (2 +
 * its index), or 1 (loaded, not kept) when memory says no. */
static int64_t
lrow_keep(struct ew__sqlite *c, const struct ew_reading *v, size_t n)
{
    struct ew_reading *copy;

    if (c->lrow_total + n > LROW_MAX_TOTAL)
        return 1;
    if (c->lrow_n == c->lrow_cap) {
        size_t cap = c->lrow_cap ? c->lrow_cap * 2 : 256;
        struct ew__sqlite_lrow *l = realloc(c->lrow, cap * sizeof(*l));
        if (l == NULL)
            return 1;
        c->lrow = l;
        c->lrow_cap = cap;
    }
    if ((copy = malloc((n ? n : 1) * sizeof(*copy))) == NULL)
        return 1;
    if (n > 0)
        memcpy(copy, v, n * sizeof(*copy));
    c->lrow[c->lrow_n] = (struct ew__sqlite_lrow){ copy, n };
    c->lrow_total += n;
    return (int64_t)(c->lrow_n++) + 2;
}

/* Replaces the kept row of slot mark (a marker value) with v[0..n). */
static void
lrow_replace(struct ew__sqlite *c, int64_t mark, const struct ew_reading *v, size_t n)
{
    struct ew__sqlite_lrow *l = &c->lrow[mark - 2];
    struct ew_reading *copy = n <= l->n ? l->v : malloc(n * sizeof(*copy));

    if (copy == NULL) {                 /* keep the old copy correct: drop it */
        free(l->v);
        c->lrow_total -= l->n;
        *l = (struct ew__sqlite_lrow){ NULL, 0 };
        return;
    }
    memcpy(copy, v, n * sizeof(*copy));
    if (copy != l->v)
        free(l->v);
    c->lrow_total = c->lrow_total - l->n + n;
    *l = (struct ew__sqlite_lrow){ copy, n };
}

/* Fills the cache with the newest time of every factor of the point, and marks the point
 * (factor "") as loaded: a factor not in the cache then has no latest value. The marker
 * keeps the row itself when memory allows. */
static int
latest_load(struct ew__sqlite *c, int64_t point_id)
{
    struct ew_reading key = { .point_id = point_id }, *v = NULL;
    struct ew__sqlite_key *e = NULL;
    size_t n = 0, cap = 0;
    int rc = latest_read(c, point_id, &v, &cap, &n);

    for (size_t i = 0; rc == EW_OK && i < n; i++)
        if ((rc = map_get(c, &c->latest, &v[i], 0, &e)) == EW_OK && !e->used)
            map_set(&c->latest, e, &v[i], 0, v[i].t_unix_s);
    if (rc == EW_OK && (rc = map_get(c, &c->latest, &key, 0, &e)) == EW_OK)
        map_set(&c->latest, e, &key, 0, lrow_keep(c, v, n));
    free(v);
    return rc;
}

/* The cache entry of (point, factor): its newest time, INT64_MIN for none. */
static int
latest_t(struct ew__sqlite *c, const struct ew_reading *r, struct ew__sqlite_key **out)
{
    struct ew_reading key = { .point_id = r->point_id };
    struct ew__sqlite_key *e = NULL;
    int rc;

    if ((rc = map_get(c, &c->latest, r, 0, &e)) != EW_OK)
        return rc;
    if (!e->used) {
        if ((rc = map_get(c, &c->latest, &key, 0, &e)) != EW_OK)
            return rc;
        if (!e->used && (rc = latest_load(c, r->point_id)) != EW_OK)
            return rc;
        if ((rc = map_get(c, &c->latest, r, 0, &e)) != EW_OK)  /* it may have grown */
            return rc;
        if (!e->used)
            map_set(&c->latest, e, r, 0, INT64_MIN);
    }
    *out = e;
    return EW_OK;
}

static int
latest_note(struct ew__sqlite *c, const struct ew_reading *r)
{
    struct ew__sqlite_key *e = NULL;
    int rc;

    /* Room for a whole point's row: the cache must never start over halfway through one. */
    if (c->latest.n + EW__ROW_MAX + 2 >= MAP_MAX) {
        if ((rc = latest_flush(c)) != EW_OK)
            return rc;
        ew__sqlite_latest_forget(c);
    }
    if ((rc = latest_t(c, r, &e)) != EW_OK || r->t_unix_s <= e->val)
        return rc;
    if (e->gen == c->gen && e->pend > 0) {
        c->pend[e->pend - 1] = *r;
    } else {
        if (c->pend_n == c->pend_cap) {
            size_t cap = c->pend_cap ? c->pend_cap * 2 : 1024;
            struct ew_reading *v = realloc(c->pend, cap * sizeof(*v));
            if (v == NULL)
                return ew__sqlite_say(c, EW_ENOMEM, "latest values: out of memory");
            c->pend = v;
            c->pend_cap = cap;
        }
        c->pend[c->pend_n++] = *r;
        e->gen = c->gen;
        e->pend = (uint32_t)c->pend_n;
    }
    e->val = r->t_unix_s;
    return EW_OK;
}

static int
cmp_point_factor(const void *a, const void *b)
{
    const struct ew_reading *x = a, *y = b;

    if (x->point_id != y->point_id)
        return x->point_id < y->point_id ? -1 : 1;
    return strcmp(x->factor, y->factor);
}

static int
cmp_newest(const void *a, const void *b)
{
    const struct ew_reading *x = a, *y = b;

    return (x->t_unix_s < y->t_unix_s) - (x->t_unix_s > y->t_unix_s);
}

static int
cmp_factor(const void *a, const void *b)
{
    return strcmp(((const struct ew_reading *)a)->factor,
                  ((const struct ew_reading *)b)->factor);
}

/* Scratch space of a flush. */
struct merge {
    struct ew_reading *old, *out;
    size_t old_cap, out_cap;
};

/* Writes the point's row: what it held, with v[0..n) (sorted by factor, each newer than
 * what it replaces) merged in. A point that has seen more than EW__ROW_MAX factors keeps
 * the newest: an instrument sending made-up codes cannot make the row unwritable. */
static int
latest_write(struct ew__sqlite *c, const struct ew_reading *v, size_t n, struct merge *m)
{
    static const char put_sql[] =
        "INSERT OR REPLACE INTO latest_point(point_id, v) VALUES(?1, ?2)";
    size_t have = 0, i = 0, j = 0, k = 0, len = 0;
    struct ew_reading key = { .point_id = v[0].point_id };
    const struct ew_reading *old = NULL;
    struct ew__sqlite_key *e = NULL;
    sqlite3_stmt *st = NULL;
    unsigned char *buf;
    int64_t mark = 0;
    int rc;

    if ((rc = map_get(c, &c->latest, &key, 0, &e)) != EW_OK)
        return rc;
    if (e->used && e->val >= 2 && c->lrow[e->val - 2].v != NULL) {
        mark = e->val;
        old = c->lrow[mark - 2].v;
        have = c->lrow[mark - 2].n;
    } else {
        if ((rc = latest_read(c, v[0].point_id, &m->old, &m->old_cap, &have)) != EW_OK)
            return rc;
        old = m->old;
    }
    if ((rc = reserve(c, &m->out, &m->out_cap, have + n)) != EW_OK)
        return rc;
    while (i < have || j < n) {
        int cmp = i == have ? 1 : j == n ? -1 : strcmp(old[i].factor, v[j].factor);
        if (cmp < 0) {
            m->out[k++] = old[i++];
        } else {
            m->out[k++] = v[j++];
            i += cmp == 0;
        }
    }
    if (k > EW__ROW_MAX) {
        qsort(m->out, k, sizeof(*m->out), cmp_newest);
        k = EW__ROW_MAX;
        qsort(m->out, k, sizeof(*m->out), cmp_factor);
    }
    if ((buf = malloc(ew__row_bound(k))) == NULL)
        return ew__sqlite_say(c, EW_ENOMEM, "latest values: out of memory");
    if ((rc = ew__row_encode(m->out, k, 1, buf, &len)) != EW_OK) {
        rc = ew__sqlite_say(c, rc, "latest values of point %lld: cannot encode",
                            (long long)v[0].point_id);
    } else if ((rc = ew__sqlite_stmt(c, SQ_LATEST_PUT, put_sql, &st)) == EW_OK) {
        sqlite3_bind_int64(st, 1, v[0].point_id);
        sqlite3_bind_blob(st, 2, buf, (int)len, SQLITE_STATIC);
        rc = ew__sqlite_run(c, st, "latest values");
        sqlite3_clear_bindings(st);
    }
    free(buf);
    if (rc == EW_OK && mark >= 2)
        lrow_replace(c, mark, m->out, k);
    return rc;
}

static int
latest_flush(struct ew__sqlite *c)
{
    struct merge m = { 0 };
    size_t i = 0;
    int rc = EW_OK;

    if (c->pend_n == 0)
        return EW_OK;
    /* The cache entries point into pend by position; the generation bump below retires
     * them all, so sorting in place is safe. */
    qsort(c->pend, c->pend_n, sizeof(*c->pend), cmp_point_factor);
    while (rc == EW_OK && i < c->pend_n) {
        size_t j = i + 1;
        while (j < c->pend_n && c->pend[j].point_id == c->pend[i].point_id)
            j++;
        rc = latest_write(c, &c->pend[i], j - i, &m);
        i = j;
    }
    free(m.old);
    free(m.out);
    if (rc != EW_OK)
        return rc;                      /* kept: the caller rolls the batch back */
    c->pend_n = 0;
    if (++c->gen == 0)
        c->gen = 1;
    return EW_OK;
}

int
ew__sqlite_flush(struct ew__sqlite *c)
{
    int rc = ew__sqlite_jfile_flush(c);

    if (rc == EW_OK)
        rc = row_flush(c);
    return rc == EW_OK ? latest_flush(c) : rc;
}

static int
put_one(struct ew__sqlite *c, const struct ew_reading *r, int *inserted)
{
    int rc;

    if ((rc = point_live(c, r->point_id)) != EW_OK || (rc = row_add(c, r, inserted)) != EW_OK)
        return rc;
    return *inserted ? latest_note(c, r) : EW_OK;
}

int
ew__sqlite_reading_put(void *ctx, const struct ew_reading *r, int *inserted)
{
    struct ew__sqlite *c = ctx;
    int mode = 0, own = sqlite3_get_autocommit(c->db), ins = 0, rc;

    /* Inside the caller's batch no savepoint: it would cost more than the insert. */
    if (own && (rc = ew__sqlite_tx_enter(c, &mode)) != EW_OK)
        return rc;
    rc = put_one(c, r, &ins);
    if (own)
        rc = ew__sqlite_tx_leave(c, mode, rc);
    if (rc == EW_OK)
        *inserted = ins;
    return rc;
}

/* ---- reading ------------------------------------------------------------------------------- */

struct names {
    char (*v)[16];                      /* NAME_LEN + 1, rounded */
    size_t n, cap;
};

/* The tables whose names lie between lo and hi, in name order (oldest month first). */
static int
tables_between(struct ew__sqlite *c, const char *lo, const char *hi, struct names *out)
{
    static const char sql[] = "SELECT name FROM sqlite_schema WHERE type = 'table'"
                              " AND name BETWEEN ?1 AND ?2 ORDER BY name";
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = ew__sqlite_stmt(c, SQ_TABLES, sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_text(st, 1, lo, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, hi, -1, SQLITE_TRANSIENT);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = ew__sqlite_text(st, 0);
        if (strlen(name) != NAME_LEN || name[5] != '_' || strspn(name + 1, "0123456789") != 4 ||
            strspn(name + 6, "0123456789") != 6)
            continue;                   /* not one of ours */
        if (out->n == out->cap) {
            size_t cap = out->cap ? out->cap * 2 : 16;
            void *v = realloc(out->v, cap * sizeof(*out->v));
            if (v == NULL) {
                sqlite3_reset(st);
                return ew__sqlite_say(c, EW_ENOMEM, "out of memory");
            }
            out->v = v;
            out->cap = cap;
        }
        memcpy(out->v[out->n++], name, NAME_LEN + 1);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? EW_OK : ew__sqlite_fail(c, rc, "list month tables");
}

/* Keeps c->tab the list of month tables: read again only when the schema changed (a month
 * table made or dropped, here or by another connection), so a query of one packet's
 * readings does not scan the schema. */
static int
tables_current(struct ew__sqlite *c)
{
    struct names all = { 0 };
    sqlite3_stmt *st = NULL;
    int rc, cookie;

    if ((rc = ew__sqlite_stmt(c, SQ_SCHEMA_VERSION, "PRAGMA schema_version", &st)) != EW_OK)
        return rc;
    rc = sqlite3_step(st);
    cookie = sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return ew__sqlite_fail(c, rc, "schema version");
    if (c->tab_valid && cookie == c->tab_cookie)
        return EW_OK;
    c->tab_valid = 0;
    if ((rc = tables_between(c, "v0000_000000", "v9999_999999", &all)) != EW_OK) {
        free(all.v);
        return rc;
    }
    free(c->tab);
    c->tab = (char (*)[16])all.v;
    c->tab_n = all.n;
    c->tab_cap = all.cap;
    c->tab_cookie = cookie;
    c->tab_valid = 1;
    return EW_OK;
}

/* The month tables of kind between two months, oldest first. */
static int
month_tables(struct ew__sqlite *c, int kind, int lo_yyyymm, int hi_yyyymm, struct names *out)
{
    char lo[NAME_LEN + 1], hi[NAME_LEN + 1];
    int rc;

    if ((rc = tables_current(c)) != EW_OK)
        return rc;
    table_name(lo, 'v', kind, lo_yyyymm);
    table_name(hi, 'v', kind, hi_yyyymm);
    for (size_t i = 0; i < c->tab_n; i++) {
        if (strcmp(c->tab[i], lo) < 0 || strcmp(c->tab[i], hi) > 0)
            continue;
        if (out->n == out->cap) {
            size_t cap = out->cap ? out->cap * 2 : 4;
            void *v = realloc(out->v, cap * sizeof(*out->v));
            if (v == NULL)
                return ew__sqlite_say(c, EW_ENOMEM, "out of memory");
            out->v = v;
            out->cap = cap;
        }
        memcpy(out->v[out->n++], c->tab[i], NAME_LEN + 1);
    }
    return EW_OK;
}

static void
row_to_reading(sqlite3_stmt *st, int first, struct ew_reading *r)
{
    r->value = ew__sqlite_real(st, first);
    r->min = ew__sqlite_real(st, first + 1);
    r->max = ew__sqlite_real(st, first + 2);
    r->cou = ew__sqlite_real(st, first + 3);
    r->zs = ew__sqlite_real(st, first + 4);
    ew__store_copy(r->flag, sizeof(r->flag), ew__sqlite_text(st, first + 5));
}

/* What a query walks through: its limit counting down (-1: none) and its decoding space. */
struct walk {
    const struct ew_reading_query *q;
    int64_t left;
    struct ew_reading *v;
    size_t cap;
    int (*fn)(void *, const struct ew_reading *);
    void *fn_ctx;
};

/* Calls fn for the readings of one row (those of the factor asked for), in factor order;
 * non-zero stops. */
static int
walk_row(struct ew__sqlite *c, sqlite3_stmt *st, struct walk *w)
{
    int64_t t = sqlite3_column_int64(st, 0);
    size_t n = 0;
    int rc;

    if ((rc = decode(c, st, 1, w->q->point_id, t, &w->v, &w->cap, &n)) != EW_OK)
        return rc;
    for (size_t i = 0; i < n && w->left != 0; i++) {
        struct ew_reading *r = &w->v[i];
        if (w->q->factor != NULL && strcmp(r->factor, w->q->factor) != 0)
            continue;
        r->point_id = w->q->point_id;
        r->kind = w->q->kind;
        r->t_unix_s = t;
        if (w->left > 0)
            w->left--;
        if ((rc = w->fn(w->fn_ctx, r)) != 0)
            return rc;
    }
    return EW_OK;
}

static int
query_month(struct ew__sqlite *c, const char *table, int64_t from, int64_t to, struct walk *w)
{
    char sql[200];
    sqlite3_stmt *st = NULL;
    int rc, stop = 0;

    snprintf(sql, sizeof(sql), "SELECT t, v FROM %s WHERE point = ?1 AND t BETWEEN ?2 AND ?3"
             " ORDER BY t", table);
    if ((rc = ew__sqlite_prep(c, sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, w->q->point_id);
    sqlite3_bind_int64(st, 2, from);
    sqlite3_bind_int64(st, 3, to);
    while (stop == 0 && w->left != 0 && (rc = sqlite3_step(st)) == SQLITE_ROW)
        stop = walk_row(c, st, w);
    if (stop == 0 && w->left != 0 && rc != SQLITE_DONE)
        stop = ew__sqlite_fail(c, rc, "reading query");
    ew__sqlite_release(c, st);
    return stop;
}

/*
 * A query of exactly the row being filled (the hooks read back the packet just stored, with
 * the factors earlier packets of the same time brought): answered from the handle, without
 * writing the row early and reading it back. The readings are copied first, so the callback
 * may write to the store. 1 when answered (*rc set).
 */
static int
open_row_query(struct ew__sqlite *c, const struct ew_reading_query *q, int64_t from,
               int64_t to, struct walk *w, int *rc)
{
    struct ew__sqlite_row *row = &c->row;
    struct ew_reading *v;
    size_t n = row->n;

    if (!row->open || from != to || from != row->t || q->point_id != row->point_id ||
        q->kind != row->kind)
        return 0;
    if ((v = malloc((n ? n : 1) * sizeof(*v))) == NULL) {
        *rc = ew__sqlite_say(c, EW_ENOMEM, "readings: out of memory");
        return 1;
    }
    if (n > 0)
        memcpy(v, row->v, n * sizeof(*v));
    *rc = EW_OK;
    for (size_t i = 0; i < n && w->left != 0 && *rc == 0; i++) {
        if (q->factor != NULL && strcmp(v[i].factor, q->factor) != 0)
            continue;
        v[i].point_id = q->point_id;
        v[i].kind = q->kind;
        v[i].t_unix_s = from;
        if (w->left > 0)
            w->left--;
        *rc = w->fn(w->fn_ctx, &v[i]);
    }
    free(v);
    return 1;
}

int
ew__sqlite_reading_each(void *ctx, const struct ew_reading_query *q,
                        int (*fn)(void *, const struct ew_reading *), void *fn_ctx)
{
    struct ew__sqlite *c = ctx;
    struct names tables = { 0 };
    struct walk w = { .q = q, .left = q->limit > 0 ? (int64_t)q->limit : -1, .fn = fn,
                      .fn_ctx = fn_ctx };
    int64_t from = q->from_unix_s, to = q->to_unix_s == 0 ? EW_STORE_T_MAX_UNIX_S : q->to_unix_s;
    int mode, rc;

    if (from < EW_STORE_T_MIN_UNIX_S)
        from = EW_STORE_T_MIN_UNIX_S;
    if (to > EW_STORE_T_MAX_UNIX_S)
        to = EW_STORE_T_MAX_UNIX_S;
    if (from > to)
        return EW_OK;
    if (open_row_query(c, q, from, to, &w, &rc))
        return rc;
    if ((rc = ew__sqlite_flush(c)) != EW_OK)    /* this handle's own batch */
        return rc;
    if ((rc = ew__sqlite_read_enter(c, &mode)) != EW_OK)
        return rc;
    rc = month_tables(c, q->kind, month_of(from), month_of(to), &tables);
    for (size_t i = 0; rc == EW_OK && i < tables.n && w.left != 0; i++)
        rc = query_month(c, tables.v[i], from, to, &w);
    ew__sqlite_read_leave(c, mode);
    free(tables.v);
    free(w.v);
    return rc;
}

int
ew__sqlite_latest_each(void *ctx, int64_t point_id, int (*fn)(void *, const struct ew_reading *),
                       void *fn_ctx)
{
    static const char sql_all[] =
        "SELECT l.point_id, l.v FROM latest_point l JOIN point p ON p.id = l.point_id"
        " WHERE p.removed_unix_s = 0 ORDER BY l.point_id";
    static const char sql_one[] =
        "SELECT l.point_id, l.v FROM latest_point l JOIN point p ON p.id = l.point_id"
        " WHERE p.removed_unix_s = 0 AND l.point_id = ?1";
    struct ew__sqlite *c = ctx;
    struct ew_reading *v = NULL;
    sqlite3_stmt *st = NULL;
    size_t cap = 0, n = 0;
    int rc, stop = 0;

    if ((rc = ew__sqlite_flush(c)) != EW_OK)   /* this handle's own batch */
        return rc;
    if ((rc = ew__sqlite_prep(c, point_id == 0 ? sql_all : sql_one, &st)) != EW_OK)
        return rc;
    if (point_id != 0)
        sqlite3_bind_int64(st, 1, point_id);
    while (stop == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        if ((stop = decode(c, st, 1, id, 0, &v, &cap, &n)) != EW_OK)
            break;
        for (size_t i = 0; stop == 0 && i < n; i++) {
            v[i].point_id = id;
            stop = fn(fn_ctx, &v[i]);
        }
    }
    if (stop == 0 && rc != SQLITE_DONE)
        stop = ew__sqlite_fail(c, rc, "latest values");
    ew__sqlite_release(c, st);
    free(v);
    return stop;
}

/* ---- retention ----------------------------------------------------------------------------- */

/* Adds up the readings of the rows a query returns (their values in column 0). */
static int
count_rows(struct ew__sqlite *c, const char *sql, int64_t before, int64_t *n)
{
    sqlite3_stmt *st = NULL;
    size_t k;
    int rc;

    if ((rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL)) != SQLITE_OK)
        return ew__sqlite_fail(c, rc, "count readings");
    if (sqlite3_bind_parameter_count(st) > 0)
        sqlite3_bind_int64(st, 1, before);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *p = sqlite3_column_blob(st, 0);
        if (ew__row_count(p, (size_t)sqlite3_column_bytes(st, 0), &k) == EW_OK)
            *n += (int64_t)k;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? EW_OK : ew__sqlite_fail(c, rc, "count readings");
}

/* Drops a whole month table, counting its readings first. */
static int
drop_month(struct ew__sqlite *c, const char *table, int64_t *deleted)
{
    char sql[80];
    int rc;

    snprintf(sql, sizeof(sql), "SELECT v FROM %s", table);
    if ((rc = count_rows(c, sql, 0, deleted)) != EW_OK)
        return rc;
    snprintf(sql, sizeof(sql), "DROP TABLE %s", table);
    return ew__sqlite_exec(c, sql);
}

static int
cut_month(struct ew__sqlite *c, const char *table, int64_t before, int64_t *deleted)
{
    char sql[160];
    sqlite3_stmt *st = NULL;
    int rc;

    /* Point by point, so each is a range seek on the key (point, t) and only the rows going
     * away are visited, not the whole month. Points are never deleted, only marked. */
    snprintf(sql, sizeof(sql), "SELECT v FROM %s WHERE point IN (SELECT id FROM point)"
             " AND t < ?1", table);
    if ((rc = count_rows(c, sql, before, deleted)) != EW_OK)
        return rc;
    snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE point IN (SELECT id FROM point)"
             " AND t < ?1", table);
    if ((rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL)) != SQLITE_OK)
        return ew__sqlite_fail(c, rc, "prune");
    sqlite3_bind_int64(st, 1, before);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? EW_OK : ew__sqlite_fail(c, rc, "prune");
}

int
ew__sqlite_reading_prune(void *ctx, int kind, int64_t before_unix_s, int64_t *deleted)
{
    struct ew__sqlite *c = ctx;
    struct names tables = { 0 };
    char cut[NAME_LEN + 1];
    int64_t n = 0;
    int mode, rc;

    if (before_unix_s <= EW_STORE_T_MIN_UNIX_S) {
        *deleted = 0;
        return EW_OK;
    }
    if (before_unix_s > EW_STORE_T_MAX_UNIX_S)
        before_unix_s = EW_STORE_T_MAX_UNIX_S + 1;
    if ((rc = ew__sqlite_tx_enter(c, &mode)) != EW_OK)
        return rc;
    ew__sqlite_forget(c);               /* no cached INSERT may point at a dropped table */
    /* Months before the cut's month go whole; the cut's own month loses its older rows. */
    table_name(cut, 'v', kind, month_of(before_unix_s));
    rc = month_tables(c, kind, 0, month_of(before_unix_s), &tables);
    for (size_t i = 0; rc == EW_OK && i < tables.n; i++) {
        if (strcmp(tables.v[i], cut) == 0)
            rc = cut_month(c, tables.v[i], before_unix_s, &n);
        else
            rc = drop_month(c, tables.v[i], &n);
    }
    free(tables.v);
    if ((rc = ew__sqlite_tx_leave(c, mode, rc)) == EW_OK)
        *deleted = n;
    return rc;
}

/* ---- the first layout ---------------------------------------------------------------------- */

/* Moves one table of the first layout into packed rows, then drops it. */
static int
upgrade_table(struct ew__sqlite *c, const char *table)
{
    char sql[300];
    sqlite3_stmt *st = NULL;
    struct ew_reading r;
    int rc, step = SQLITE_DONE, ins;

    snprintf(sql, sizeof(sql), "SELECT s.point_id, s.kind, r.t, s.factor, r.value, r.min,"
             " r.max, r.cou, r.zs, r.flag FROM %s r JOIN series s ON s.id = r.series"
             " ORDER BY s.point_id, r.t", table);
    if ((rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL)) != SQLITE_OK)
        return ew__sqlite_fail(c, rc, "upgrade readings");
    rc = EW_OK;
    while (rc == EW_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        memset(&r, 0, sizeof(r));
        r.point_id = sqlite3_column_int64(st, 0);
        r.kind = sqlite3_column_int(st, 1);
        r.t_unix_s = sqlite3_column_int64(st, 2);
        ew__store_copy(r.factor, sizeof(r.factor), ew__sqlite_text(st, 3));
        row_to_reading(st, 4, &r);
        /* removed points keep their data; the latest values hold these already */
        if (r.factor[0] != '\0')
            rc = row_add(c, &r, &ins);
    }
    if (rc == EW_OK && step != SQLITE_DONE)
        rc = ew__sqlite_fail(c, step, "upgrade readings");
    sqlite3_finalize(st);
    if (rc != EW_OK || (rc = row_flush(c)) != EW_OK)
        return rc;
    snprintf(sql, sizeof(sql), "DROP TABLE %s", table);
    return ew__sqlite_exec(c, sql);
}

/* Moves the table latest (a row per point and factor) into latest_point, then drops it. */
static int
upgrade_latest(struct ew__sqlite *c)
{
    static const char sql[] = "SELECT point_id, kind, t, factor, value, min, max, cou, zs,"
                              " flag FROM latest ORDER BY point_id, factor";
    struct merge m = { 0 };
    struct ew_reading *v = NULL;
    sqlite3_stmt *st = NULL;
    size_t n = 0, cap = 0;
    int rc = EW_OK, step;

    if ((step = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL)) != SQLITE_OK)
        return ew__sqlite_fail(c, step, "upgrade latest values");
    do {
        step = sqlite3_step(st);
        if (n > 0 && (step != SQLITE_ROW || sqlite3_column_int64(st, 0) != v[0].point_id)) {
            rc = latest_write(c, v, n, &m);     /* a point's rows are complete */
            n = 0;
        }
        if (rc == EW_OK && step == SQLITE_ROW && (rc = reserve(c, &v, &cap, n + 1)) == EW_OK) {
            struct ew_reading *r = &v[n++];
            memset(r, 0, sizeof(*r));
            r->point_id = sqlite3_column_int64(st, 0);
            r->kind = sqlite3_column_int(st, 1);
            r->t_unix_s = sqlite3_column_int64(st, 2);
            ew__store_copy(r->factor, sizeof(r->factor), ew__sqlite_text(st, 3));
            row_to_reading(st, 4, r);
        }
    } while (rc == EW_OK && step == SQLITE_ROW);
    if (rc == EW_OK && step != SQLITE_DONE)
        rc = ew__sqlite_fail(c, step, "upgrade latest values");
    sqlite3_finalize(st);
    free(v);
    free(m.old);
    free(m.out);
    return rc == EW_OK ? ew__sqlite_exec(c, "DROP TABLE latest") : rc;
}

int
ew__sqlite_readings_upgrade(struct ew__sqlite *c)
{
    static const char has_latest[] = "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND"
                                     " name = 'latest'";
    struct names old = { 0 };
    sqlite3_stmt *st = NULL;
    int mode, rc, latest = 0;

    if ((rc = sqlite3_prepare_v2(c->db, has_latest, -1, &st, NULL)) != SQLITE_OK)
        return ew__sqlite_fail(c, rc, "upgrade");
    latest = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    if ((rc = tables_between(c, "r0000_000000", "r9999_999999", &old)) != EW_OK ||
        (old.n == 0 && !latest)) {
        free(old.v);
        return rc;
    }
    if ((rc = ew__sqlite_tx_enter(c, &mode)) == EW_OK) {
        for (size_t i = 0; rc == EW_OK && i < old.n; i++)
            rc = upgrade_table(c, old.v[i]);
        if (rc == EW_OK && latest)
            rc = upgrade_latest(c);
        ew__sqlite_forget(c);           /* the month statements of the new tables */
        rc = ew__sqlite_tx_leave(c, mode, rc);
    }
    free(old.v);
    return rc;
}
