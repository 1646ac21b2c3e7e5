/* SPDX-License-Identifier: MIT */
/*
 * SQLite: the raw packet journal (every frame received, good or bad, with its verdict: the
 * evidence behind every stored value) and the history of instrument connections.
 */
#include <string.h>

#include <envwatch/err.h>
#include <envwatch/store.h>

#include "store/internal.h"

int
ew__sqlite_journal_put(void *ctx, const struct ew_journal_entry *e)
{
    static const char sql[] = "INSERT INTO journal(t_recv_ms, peer, mn, verdict, bytes)"
                              " VALUES(?1, ?2, ?3, ?4, ?5)";
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = ew__sqlite_stmt(c, SQ_JOURNAL_PUT, sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, e->t_recv_ms);
    sqlite3_bind_text(st, 2, e->peer, -1, SQLITE_STATIC);
    if (e->mn != NULL && e->mn[0] != '\0')
        sqlite3_bind_text(st, 3, e->mn, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 3);
    sqlite3_bind_text(st, 4, e->verdict, -1, SQLITE_STATIC);
    /* A zero-length blob, not NULL, for an empty frame (bytes is NOT NULL). */
    sqlite3_bind_blob(st, 5, e->len > 0 ? e->bytes : "", (int)e->len, SQLITE_STATIC);
    return ew__sqlite_run(c, st, "journal");
}

/* The four shapes of the search, so the partial index on (mn, t) serves the MN searches. */
static const char *const journal_sql[] = {
    "SELECT id, t_recv_ms, peer, mn, verdict, bytes FROM journal WHERE t_recv_ms BETWEEN ?2"
    " AND ?3 ORDER BY t_recv_ms, id LIMIT ?4",
    "SELECT id, t_recv_ms, peer, mn, verdict, bytes FROM journal WHERE t_recv_ms BETWEEN ?2"
    " AND ?3 ORDER BY t_recv_ms DESC, id DESC LIMIT ?4",
    "SELECT id, t_recv_ms, peer, mn, verdict, bytes FROM journal WHERE mn = ?1 AND t_recv_ms"
    " BETWEEN ?2 AND ?3 ORDER BY t_recv_ms, id LIMIT ?4",
    "SELECT id, t_recv_ms, peer, mn, verdict, bytes FROM journal WHERE mn = ?1 AND t_recv_ms"
    " BETWEEN ?2 AND ?3 ORDER BY t_recv_ms DESC, id DESC LIMIT ?4",
};

static int64_t
upper(int64_t to)
{
    return to == 0 ? INT64_MAX : to;
}

int
ew__sqlite_journal_each(void *ctx, const struct ew_journal_query *q,
                        int (*fn)(void *, const struct ew_journal_entry *), void *fn_ctx)
{
    struct ew__sqlite *c = ctx;
    int shape = (q->mn != NULL ? 2 : 0) + (q->newest_first ? 1 : 0), rc, stop = 0;
    struct ew_journal_entry e;
    sqlite3_stmt *st = NULL;

    rc = ew__sqlite_stmt(c, SQ_JOURNAL_ALL_ASC + shape, journal_sql[shape], &st);
    if (rc != EW_OK)
        return rc;
    if (q->mn != NULL)
        sqlite3_bind_text(st, 1, q->mn, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, q->from_ms);
    sqlite3_bind_int64(st, 3, upper(q->to_ms));
    sqlite3_bind_int64(st, 4, q->limit > 0 ? (int64_t)q->limit : -1);
    while (stop == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        e.id = sqlite3_column_int64(st, 0);
        e.t_recv_ms = sqlite3_column_int64(st, 1);
        e.peer = ew__sqlite_text(st, 2);
        e.mn = sqlite3_column_type(st, 3) == SQLITE_NULL ? NULL : ew__sqlite_text(st, 3);
        e.verdict = ew__sqlite_text(st, 4);
        e.bytes = sqlite3_column_blob(st, 5);
        e.len = (size_t)sqlite3_column_bytes(st, 5);
        stop = fn(fn_ctx, &e);
    }
    if (stop == 0 && rc != SQLITE_DONE)
        stop = ew__sqlite_fail(c, rc, "journal search");
    sqlite3_reset(st);
    return stop;
}

int
ew__sqlite_journal_prune(void *ctx, int64_t before_ms, int64_t *deleted)
{
    static const char sql[] = "DELETE FROM journal WHERE t_recv_ms < ?1";
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int64_t n = 0;
    int mode, rc;

    if ((rc = ew__sqlite_stmt(c, SQ_JOURNAL_PRUNE, sql, &st)) != EW_OK)
        return rc;
    if ((rc = ew__sqlite_tx_enter(c, &mode)) != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, before_ms);
    rc = ew__sqlite_run(c, st, "journal prune");
    n = sqlite3_changes(c->db);
    if ((rc = ew__sqlite_tx_leave(c, mode, rc)) == EW_OK)
        *deleted = n;
    return rc;
}

/* ---- connections --------------------------------------------------------------------------- */

int
ew__sqlite_conn_open(void *ctx, const char *peer, int64_t t_ms, int64_t *conn_id)
{
    static const char sql[] = "INSERT INTO conn(peer, opened_ms) VALUES(?1, ?2)";
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = ew__sqlite_stmt(c, SQ_CONN_OPEN, sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_text(st, 1, peer, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, t_ms);
    if ((rc = ew__sqlite_run(c, st, "connection open")) != EW_OK)
        return rc;
    *conn_id = sqlite3_last_insert_rowid(c->db);
    return EW_OK;
}

/* Runs an UPDATE of one connection; EW_ENOTFOUND when no row matched. */
static int
conn_update(struct ew__sqlite *c, sqlite3_stmt *st, int64_t conn_id, const char *what)
{
    int rc = ew__sqlite_run(c, st, what);

    if (rc != EW_OK)
        return rc;
    if (sqlite3_changes(c->db) == 0)
        return ew__sqlite_say(c, EW_ENOTFOUND, "%s: no open connection %lld", what,
                              (long long)conn_id);
    return EW_OK;
}

int
ew__sqlite_conn_identify(void *ctx, int64_t conn_id, const char *mn)
{
    static const char sql[] = "UPDATE conn SET mn = ?2 WHERE id = ?1 AND closed_ms = 0";
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = ew__sqlite_stmt(c, SQ_CONN_IDENTIFY, sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, conn_id);
    sqlite3_bind_text(st, 2, mn, -1, SQLITE_STATIC);
    return conn_update(c, st, conn_id, "connection identify");
}

int
ew__sqlite_conn_close(void *ctx, int64_t conn_id, int64_t t_ms, const char *reason)
{
    /* max(): a close stamped before the open (clock step) still ends after it. */
    static const char sql[] = "UPDATE conn SET closed_ms = max(?2, opened_ms, 1), reason = ?3"
                              " WHERE id = ?1 AND closed_ms = 0";
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = ew__sqlite_stmt(c, SQ_CONN_CLOSE, sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, conn_id);
    sqlite3_bind_int64(st, 2, t_ms);
    sqlite3_bind_text(st, 3, reason, -1, SQLITE_STATIC);
    return conn_update(c, st, conn_id, "connection close");
}

int
ew__sqlite_conn_close_all(void *ctx, int64_t t_ms, const char *reason, int64_t *closed)
{
    static const char sql[] = "UPDATE conn SET closed_ms = max(?1, opened_ms, 1), reason = ?2"
                              " WHERE closed_ms = 0";
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = ew__sqlite_stmt(c, SQ_CONN_CLOSE_ALL, sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, t_ms);
    sqlite3_bind_text(st, 2, reason, -1, SQLITE_STATIC);
    if ((rc = ew__sqlite_run(c, st, "close connections")) != EW_OK)
        return rc;
    *closed = sqlite3_changes(c->db);
    return EW_OK;
}

static const char *const conn_sql[] = {
    "SELECT id, peer, mn, opened_ms, closed_ms, reason FROM conn WHERE opened_ms BETWEEN ?2"
    " AND ?3 AND (?4 = 0 OR closed_ms = 0) ORDER BY opened_ms, id LIMIT ?5",
    "SELECT id, peer, mn, opened_ms, closed_ms, reason FROM conn WHERE opened_ms BETWEEN ?2"
    " AND ?3 AND (?4 = 0 OR closed_ms = 0) ORDER BY opened_ms DESC, id DESC LIMIT ?5",
    "SELECT id, peer, mn, opened_ms, closed_ms, reason FROM conn WHERE mn = ?1 AND opened_ms"
    " BETWEEN ?2 AND ?3 AND (?4 = 0 OR closed_ms = 0) ORDER BY opened_ms, id LIMIT ?5",
    "SELECT id, peer, mn, opened_ms, closed_ms, reason FROM conn WHERE mn = ?1 AND opened_ms"
    " BETWEEN ?2 AND ?3 AND (?4 = 0 OR closed_ms = 0) ORDER BY opened_ms DESC, id DESC"
    " LIMIT ?5",
};

int
ew__sqlite_conn_each(void *ctx, const struct ew_conn_query *q,
                     int (*fn)(void *, const struct ew_conn *), void *fn_ctx)
{
    struct ew__sqlite *c = ctx;
    int shape = (q->mn != NULL ? 2 : 0) + (q->newest_first ? 1 : 0), rc, stop = 0;
    struct ew_conn k;
    sqlite3_stmt *st = NULL;

    if ((rc = ew__sqlite_stmt(c, SQ_CONN_ALL_ASC + shape, conn_sql[shape], &st)) != EW_OK)
        return rc;
    if (q->mn != NULL)
        sqlite3_bind_text(st, 1, q->mn, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, q->from_ms);
    sqlite3_bind_int64(st, 3, upper(q->to_ms));
    sqlite3_bind_int(st, 4, q->open_only != 0);
    sqlite3_bind_int64(st, 5, q->limit > 0 ? (int64_t)q->limit : -1);
    while (stop == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        k.id = sqlite3_column_int64(st, 0);
        k.peer = ew__sqlite_text(st, 1);
        k.mn = sqlite3_column_type(st, 2) == SQLITE_NULL ? NULL : ew__sqlite_text(st, 2);
        k.opened_ms = sqlite3_column_int64(st, 3);
        k.closed_ms = sqlite3_column_int64(st, 4);
        k.reason = sqlite3_column_type(st, 5) == SQLITE_NULL ? NULL : ew__sqlite_text(st, 5);
        stop = fn(fn_ctx, &k);
    }
    if (stop == 0 && rc != SQLITE_DONE)
        stop = ew__sqlite_fail(c, rc, "connection search");
    sqlite3_reset(st);
    return stop;
}
