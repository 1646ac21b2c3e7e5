/* SPDX-License-Identifier: MIT */
/*
 * SQLite: readings and latest values, the hot path of the writer.
 *
 * A reading row is keyed by (series, t) in a WITHOUT ROWID table, where the series id stands
 * for (point, kind, factor): one b-tree holds the row, and a re-sent reading meets its key
 * (INSERT OR IGNORE) and changes nothing. Each data kind has one table per CST month,
 * r<kind>_<yyyymm>, so retention drops whole months as tables: Debian's SQLite is built with
 * SECURE_DELETE, which makes row deletes of old data costly (reference/clibs.md 6.4); only
 * the month that straddles the cut is deleted row by row.
 *
 * The series ids are cached in the handle, and the INSERT of the months being written is kept
 * prepared, so a reading costs one INSERT plus, when it is new, one latest-value upsert.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <envwatch/err.h>
#include <envwatch/store.h>

#include "store/internal.h"
#include "util/time.h"

#define MAP_MAX ((size_t)1 << 20)      /* keys per cache; past this a cache starts over */
#define NAME_LEN 12                             /* "r2061_202401" */

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

/* Finds the series in the database or adds it; EW_ENOTFOUND for an unknown/removed point. */
static int
series_lookup(struct ew__sqlite *c, const struct ew_reading *r, int64_t *id)
{
    static const char get_sql[] =
        "SELECT s.id FROM series s JOIN point p ON p.id = s.point_id WHERE s.point_id = ?1"
        " AND s.kind = ?2 AND s.factor = ?3 AND p.removed_unix_s = 0";
    static const char add_sql[] =
        "INSERT INTO series(point_id, kind, factor) SELECT ?1, ?2, ?3 WHERE EXISTS"
        " (SELECT 1 FROM point WHERE id = ?1 AND removed_unix_s = 0)";
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = ew__sqlite_stmt(c, SQ_SERIES_GET, get_sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, r->point_id);
    sqlite3_bind_int(st, 2, r->kind);
    sqlite3_bind_text(st, 3, r->factor, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return EW_OK;
    if (rc != SQLITE_DONE)
        return ew__sqlite_fail(c, rc, "series lookup");
    if ((rc = ew__sqlite_stmt(c, SQ_SERIES_ADD, add_sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, r->point_id);
    sqlite3_bind_int(st, 2, r->kind);
    sqlite3_bind_text(st, 3, r->factor, -1, SQLITE_STATIC);
    if ((rc = ew__sqlite_run(c, st, "series add")) != EW_OK)
        return rc;
    if (sqlite3_changes(c->db) == 0)
        return ew__sqlite_say(c, EW_ENOTFOUND, "no point with id %lld (unknown or removed)",
                              (long long)r->point_id);
    *id = sqlite3_last_insert_rowid(c->db);
    return EW_OK;
}

static int
series_id(struct ew__sqlite *c, const struct ew_reading *r, int64_t *id)
{
    struct ew__sqlite_key *e = NULL;
    int rc;

    if ((rc = map_get(c, &c->series, r, r->kind, &e)) != EW_OK)
        return rc;
    if (e->used) {
        *id = e->val;
        return EW_OK;
    }
    if ((rc = series_lookup(c, r, id)) != EW_OK)
        return rc;
    map_set(&c->series, e, r, r->kind, *id);
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
table_name(char out[NAME_LEN + 1], int kind, int yyyymm)
{
    snprintf(out, NAME_LEN + 1, "r%04u_%06u", (unsigned)kind % 10000u,
             (unsigned)yyyymm % 1000000u);
}

/* The INSERT for (kind, month), creating the month's table on first use. */
static int
month_insert(struct ew__sqlite *c, int kind, int yyyymm, sqlite3_stmt **out)
{
    struct ew__sqlite_month *m, *victim = &c->month[0];
    char name[NAME_LEN + 1], sql[400];
    int rc;

    for (size_t i = 0; i < EW__SQLITE_MONTHS; i++) {
        m = &c->month[i];
        if (m->ins != NULL && m->kind == kind && m->yyyymm == yyyymm) {
            m->used = ++c->clock;
            *out = m->ins;
            return EW_OK;
        }
        if (m->ins == NULL || m->used < victim->used)
            victim = m;                 /* an empty slot has used 0: taken first */
    }
    table_name(name, kind, yyyymm);
    snprintf(sql, sizeof(sql), "CREATE TABLE IF NOT EXISTS %s(series INTEGER NOT NULL,"
             " t INTEGER NOT NULL, value REAL, min REAL, max REAL, cou REAL, zs REAL,"
             " flag TEXT, PRIMARY KEY(series, t)) WITHOUT ROWID", name);
    if ((rc = ew__sqlite_exec(c, sql)) != EW_OK)
        return rc;
    sqlite3_finalize(victim->ins);
    *victim = (struct ew__sqlite_month){ 0 };
    snprintf(sql, sizeof(sql), "INSERT OR IGNORE INTO %s VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
             name);
    rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &victim->ins, NULL);
    if (rc != SQLITE_OK)
        return ew__sqlite_fail(c, rc, "prepare reading insert");
    victim->kind = kind;
    victim->yyyymm = yyyymm;
    victim->used = ++c->clock;
    *out = victim->ins;
    return EW_OK;
}

/* ---- writing ------------------------------------------------------------------------------- */

static void
bind_values(sqlite3_stmt *st, int first, const struct ew_reading *r)
{
    ew__sqlite_bind_real(st, first, r->value);
    ew__sqlite_bind_real(st, first + 1, r->min);
    ew__sqlite_bind_real(st, first + 2, r->max);
    ew__sqlite_bind_real(st, first + 3, r->cou);
    ew__sqlite_bind_real(st, first + 4, r->zs);
    if (r->flag[0] != '\0')
        sqlite3_bind_text(st, first + 5, r->flag, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, first + 5);
}

/* The newest data time the latest-value table holds for (point, factor), INT64_MIN for
 * none: from the cache, or read once and cached. */
static int
latest_t(struct ew__sqlite *c, const struct ew_reading *r, struct ew__sqlite_key **out)
{
    static const char sql[] = "SELECT t FROM latest WHERE point_id = ?1 AND factor = ?2";
    struct ew__sqlite_key *e = NULL;
    sqlite3_stmt *st = NULL;
    int64_t t = INT64_MIN;
    int rc;

    if ((rc = map_get(c, &c->latest, r, 0, &e)) != EW_OK)
        return rc;
    if (!e->used) {
        if ((rc = ew__sqlite_stmt(c, SQ_LATEST_T, sql, &st)) != EW_OK)
            return rc;
        sqlite3_bind_int64(st, 1, r->point_id);
        sqlite3_bind_text(st, 2, r->factor, -1, SQLITE_STATIC);
        if ((rc = sqlite3_step(st)) == SQLITE_ROW)
            t = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return ew__sqlite_fail(c, rc, "latest value");
        map_set(&c->latest, e, r, 0, t);
    }
    *out = e;
    return EW_OK;
}

/*
 * Newer data time wins; on a tie the row already there stays (a re-send carries the same
 * values, and another kind at the same instant is no newer). The newest time is known from
 * the cache, so the row is kept until the commit (one per key: a newer reading in the same
 * batch replaces it) and then written by ew__sqlite_latest_flush, many rows per statement:
 * a latest-value write per reading would cost nearly as much as the reading itself.
 */
static int
latest_note(struct ew__sqlite *c, const struct ew_reading *r)
{
    struct ew__sqlite_key *e = NULL;
    int rc;

    if (c->latest.n >= MAP_MAX && (rc = ew__sqlite_latest_flush(c)) != EW_OK)
        return rc;                      /* the cache is about to start over */
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

#define LATEST_COLS "(point_id, factor, kind, t, value, min, max, cou, zs, flag)"
#define LATEST_ROWS 64                  /* rows per multi-row statement */

static void
bind_latest(sqlite3_stmt *st, int first, const struct ew_reading *r)
{
    sqlite3_bind_int64(st, first, r->point_id);
    sqlite3_bind_text(st, first + 1, r->factor, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, first + 2, r->kind);
    sqlite3_bind_int64(st, first + 3, r->t_unix_s);
    bind_values(st, first + 4, r);
}

/* The INSERT OR REPLACE of n rows (1 or LATEST_ROWS), prepared once. */
static int
latest_stmt(struct ew__sqlite *c, int n, sqlite3_stmt **out)
{
    char sql[64 + LATEST_ROWS * 24];
    size_t len;

    len = (size_t)snprintf(sql, sizeof(sql), "INSERT OR REPLACE INTO latest" LATEST_COLS
                           " VALUES");
    for (int i = 0; i < n; i++)
        len += (size_t)snprintf(sql + len, sizeof(sql) - len, "%s(?,?,?,?,?,?,?,?,?,?)",
                                i > 0 ? "," : "");
    return ew__sqlite_stmt(c, n == 1 ? SQ_LATEST_PUT : SQ_LATEST_MANY, sql, out);
}

int
ew__sqlite_latest_flush(struct ew__sqlite *c)
{
    sqlite3_stmt *st = NULL;
    size_t i = 0;
    int rc = EW_OK;

    while (rc == EW_OK && i < c->pend_n) {
        int n = c->pend_n - i >= LATEST_ROWS ? LATEST_ROWS : 1;
        if ((rc = latest_stmt(c, n, &st)) != EW_OK)
            break;
        for (int j = 0; j < n; j++)
            bind_latest(st, 1 + 10 * j, &c->pend[i + (size_t)j]);
        rc = ew__sqlite_run(c, st, "latest values");
        i += (size_t)n;
    }
    if (rc != EW_OK)
        return rc;                      /* kept: the caller rolls the batch back */
    c->pend_n = 0;
    if (++c->gen == 0)
        c->gen = 1;
    return EW_OK;
}

static int
put_one(struct ew__sqlite *c, const struct ew_reading *r, int *inserted)
{
    sqlite3_stmt *st = NULL;
    int64_t series = 0;
    int rc;

    if ((rc = series_id(c, r, &series)) != EW_OK)
        return rc;
    if ((rc = month_insert(c, r->kind, month_of(r->t_unix_s), &st)) != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, series);
    sqlite3_bind_int64(st, 2, r->t_unix_s);
    bind_values(st, 3, r);
    if ((rc = ew__sqlite_run(c, st, "reading insert")) != EW_OK)
        return rc;
    *inserted = sqlite3_changes(c->db) > 0;
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
    char (*v)[NAME_LEN + 1];
    size_t n, cap;
};

/* The month tables of kind between two months, oldest first. */
static int
month_tables(struct ew__sqlite *c, int kind, int lo_yyyymm, int hi_yyyymm, struct names *out)
{
    static const char sql[] = "SELECT name FROM sqlite_schema WHERE type = 'table'"
                              " AND name BETWEEN ?1 AND ?2 ORDER BY name";
    char lo[NAME_LEN + 1], hi[NAME_LEN + 1];
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = ew__sqlite_stmt(c, SQ_TABLES, sql, &st)) != EW_OK)
        return rc;
    table_name(lo, kind, lo_yyyymm);
    table_name(hi, kind, hi_yyyymm);
    sqlite3_bind_text(st, 1, lo, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, hi, -1, SQLITE_TRANSIENT);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = ew__sqlite_text(st, 0);
        if (strlen(name) != NAME_LEN || strspn(name + 6, "0123456789") != 6)
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

/* Runs the query on one month table; *left counts down the limit (-1: none). */
static int
query_month(struct ew__sqlite *c, const char *table, const struct ew_reading_query *q,
            int64_t from, int64_t to, int64_t *left,
            int (*fn)(void *, const struct ew_reading *), void *fn_ctx)
{
    char sql[400];
    struct ew_reading r = { .point_id = q->point_id, .kind = q->kind };
    sqlite3_stmt *st = NULL;
    int rc, stop = 0;

    snprintf(sql, sizeof(sql), "SELECT s.factor, r.t, r.value, r.min, r.max, r.cou, r.zs,"
             " r.flag FROM series s JOIN %s r ON r.series = s.id WHERE s.point_id = ?1"
             " AND s.kind = ?2 AND (?3 IS NULL OR s.factor = ?3) AND r.t BETWEEN ?4 AND ?5"
             " ORDER BY r.t, s.factor LIMIT ?6", table);
    if ((rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL)) != SQLITE_OK)
        return ew__sqlite_fail(c, rc, "reading query");
    sqlite3_bind_int64(st, 1, q->point_id);
    sqlite3_bind_int(st, 2, q->kind);
    if (q->factor != NULL)
        sqlite3_bind_text(st, 3, q->factor, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, from);
    sqlite3_bind_int64(st, 5, to);
    sqlite3_bind_int64(st, 6, *left);
    while (stop == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        ew__store_copy(r.factor, sizeof(r.factor), ew__sqlite_text(st, 0));
        r.t_unix_s = sqlite3_column_int64(st, 1);
        row_to_reading(st, 2, &r);
        if (*left > 0)
            (*left)--;
        stop = fn(fn_ctx, &r);
    }
    if (stop == 0 && rc != SQLITE_DONE)
        stop = ew__sqlite_fail(c, rc, "reading query");
    sqlite3_finalize(st);
    return stop;
}

int
ew__sqlite_reading_each(void *ctx, const struct ew_reading_query *q,
                        int (*fn)(void *, const struct ew_reading *), void *fn_ctx)
{
    struct ew__sqlite *c = ctx;
    struct names tables = { 0 };
    int64_t from = q->from_unix_s, to = q->to_unix_s == 0 ? EW_STORE_T_MAX_UNIX_S : q->to_unix_s;
    int64_t left = q->limit > 0 ? (int64_t)q->limit : -1;
    int mode, rc;

    if (from < EW_STORE_T_MIN_UNIX_S)
        from = EW_STORE_T_MIN_UNIX_S;
    if (to > EW_STORE_T_MAX_UNIX_S)
        to = EW_STORE_T_MAX_UNIX_S;
    if (from > to)
        return EW_OK;
    if ((rc = ew__sqlite_read_enter(c, &mode)) != EW_OK)
        return rc;
    rc = month_tables(c, q->kind, month_of(from), month_of(to), &tables);
    for (size_t i = 0; rc == EW_OK && i < tables.n && left != 0; i++)
        rc = query_month(c, tables.v[i], q, from, to, &left, fn, fn_ctx);
    ew__sqlite_read_leave(c, mode);
    free(tables.v);
    return rc;
}

int
ew__sqlite_latest_each(void *ctx, int64_t point_id, int (*fn)(void *, const struct ew_reading *),
                       void *fn_ctx)
{
    static const char sql_all[] =
        "SELECT l.point_id, l.kind, l.t, l.factor, l.value, l.min, l.max, l.cou, l.zs, l.flag"
        " FROM latest l JOIN point p ON p.id = l.point_id WHERE p.removed_unix_s = 0"
        " ORDER BY l.point_id, l.factor";
    static const char sql_one[] =
        "SELECT l.point_id, l.kind, l.t, l.factor, l.value, l.min, l.max, l.cou, l.zs, l.flag"
        " FROM latest l JOIN point p ON p.id = l.point_id WHERE p.removed_unix_s = 0"
        " AND l.point_id = ?1 ORDER BY l.factor";
    struct ew__sqlite *c = ctx;
    struct ew_reading r;
    sqlite3_stmt *st = NULL;
    int rc, stop = 0;

    if ((rc = ew__sqlite_latest_flush(c)) != EW_OK)   /* this handle's own batch */
        return rc;
    rc = point_id == 0 ? ew__sqlite_stmt(c, SQ_LATEST_ALL, sql_all, &st)
                       : ew__sqlite_stmt(c, SQ_LATEST_ONE, sql_one, &st);
    if (rc != EW_OK)
        return rc;
    if (point_id != 0)
        sqlite3_bind_int64(st, 1, point_id);
    while (stop == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        memset(&r, 0, sizeof(r));
        r.point_id = sqlite3_column_int64(st, 0);
        r.kind = sqlite3_column_int(st, 1);
        r.t_unix_s = sqlite3_column_int64(st, 2);
        ew__store_copy(r.factor, sizeof(r.factor), ew__sqlite_text(st, 3));
        row_to_reading(st, 4, &r);
        stop = fn(fn_ctx, &r);
    }
    if (stop == 0 && rc != SQLITE_DONE)
        stop = ew__sqlite_fail(c, rc, "latest values");
    sqlite3_reset(st);
    return stop;
}

/* ---- retention ----------------------------------------------------------------------------- */

/* Drops a whole month table, counting its rows first. */
static int
drop_month(struct ew__sqlite *c, const char *table, int64_t *deleted)
{
    char sql[80];
    sqlite3_stmt *st = NULL;
    int rc;

    snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
    if ((rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL)) == SQLITE_OK &&
        (rc = sqlite3_step(st)) == SQLITE_ROW)
        *deleted += sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return ew__sqlite_fail(c, rc, "count month");
    snprintf(sql, sizeof(sql), "DROP TABLE %s", table);
    return ew__sqlite_exec(c, sql);
}

static int
cut_month(struct ew__sqlite *c, const char *table, int kind, int64_t before, int64_t *deleted)
{
    char sql[160];
    sqlite3_stmt *st = NULL;
    int rc;

    /* Through the series ids, so each series is a range seek on the key (series, t) and
     * only the rows going away are visited, not the whole month. */
    snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE series IN (SELECT id FROM series WHERE"
             " kind = ?2) AND t < ?1", table);
    if ((rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL)) != SQLITE_OK)
        return ew__sqlite_fail(c, rc, "prune");
    sqlite3_bind_int64(st, 1, before);
    sqlite3_bind_int(st, 2, kind);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return ew__sqlite_fail(c, rc, "prune");
    *deleted += sqlite3_changes(c->db);
    return EW_OK;
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
    table_name(cut, kind, month_of(before_unix_s));
    rc = month_tables(c, kind, 0, month_of(before_unix_s), &tables);
    for (size_t i = 0; rc == EW_OK && i < tables.n; i++) {
        if (strcmp(tables.v[i], cut) == 0)
            rc = cut_month(c, tables.v[i], kind, before_unix_s, &n);
        else
            rc = drop_month(c, tables.v[i], &n);
    }
    free(tables.v);
    if ((rc = ew__sqlite_tx_leave(c, mode, rc)) == EW_OK)
        *deleted = n;
    return rc;
}
