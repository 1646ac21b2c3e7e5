/* SPDX-License-Identifier: MIT */
/*
 * SQLite: the registry of monitoring points and the list of pending (unregistered)
 * instruments. A removed point keeps its row (removed_unix_s set) so that its readings stay
 * attached to it and re-adding the MN brings the same id back.
 */
#include <string.h>
#include <time.h>

#include <envwatch/err.h>
#include <envwatch/store.h>

#include "store/internal.h"

#define POINT_COLS "id, mn, pw, name, kind, site, county, lat, lon, extra, created_unix_s"

static void
row_to_point(sqlite3_stmt *st, struct ew_point *p)
{
    memset(p, 0, sizeof(*p));
    p->id = sqlite3_column_int64(st, 0);
    ew__store_copy(p->mn, sizeof(p->mn), ew__sqlite_text(st, 1));
    ew__store_copy(p->pw, sizeof(p->pw), ew__sqlite_text(st, 2));
    ew__store_copy(p->name, sizeof(p->name), ew__sqlite_text(st, 3));
    ew__store_copy(p->kind, sizeof(p->kind), ew__sqlite_text(st, 4));
    ew__store_copy(p->site, sizeof(p->site), ew__sqlite_text(st, 5));
    ew__store_copy(p->county, sizeof(p->county), ew__sqlite_text(st, 6));
    p->lat = ew__sqlite_real(st, 7);
    p->lon = ew__sqlite_real(st, 8);
    ew__store_copy(p->extra, sizeof(p->extra), ew__sqlite_text(st, 9));
    p->created_unix_s = sqlite3_column_int64(st, 10);
}

/* The upsert itself, inside whatever transaction the caller holds. */
static int
point_upsert(struct ew__sqlite *c, const struct ew_point *p, int64_t *id, int64_t *created)
{
    static const char sql[] =
        "INSERT INTO point(mn, pw, name, kind, site, county, lat, lon, extra, created_unix_s)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT(mn) DO UPDATE SET"
        " pw = excluded.pw, name = excluded.name, kind = excluded.kind, site = excluded.site,"
        " county = excluded.county, lat = excluded.lat, lon = excluded.lon,"
        " extra = excluded.extra, removed_unix_s = 0 RETURNING id, created_unix_s";
    sqlite3_stmt *st = NULL;
    int64_t now = p->created_unix_s > 0 ? p->created_unix_s : (int64_t)time(NULL);
    int rc;

    if ((rc = ew__sqlite_stmt(c, SQ_POINT_PUT, sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_text(st, 1, p->mn, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, p->pw, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, p->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, p->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, p->site, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, p->county, -1, SQLITE_STATIC);
    ew__sqlite_bind_real(st, 7, p->lat);
    ew__sqlite_bind_real(st, 8, p->lon);
    sqlite3_bind_text(st, 9, p->extra[0] != '\0' ? p->extra : "{}", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 10, now);
    if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
        rc = ew__sqlite_fail(c, rc, "point put");
        sqlite3_reset(st);
        return rc;
    }
    *id = sqlite3_column_int64(st, 0);
    *created = sqlite3_column_int64(st, 1);
    sqlite3_reset(st);
    return EW_OK;
}

/* Writes the id and creation time only once the transaction is durable or released. */
static int
put_in_tx(struct ew__sqlite *c, struct ew_point *p, int approve)
{
    int64_t id = 0, created = 0;
    int mode, rc;

    if ((rc = ew__sqlite_tx_enter(c, &mode)) != EW_OK)
        return rc;
    rc = approve ? ew__sqlite_pending_remove(c, p->mn) : EW_OK;
    if (rc == EW_OK)
        rc = point_upsert(c, p, &id, &created);
    if ((rc = ew__sqlite_tx_leave(c, mode, rc)) != EW_OK)
        return rc;
    p->id = id;
    p->created_unix_s = created;
    return EW_OK;
}

int
ew__sqlite_point_put(void *ctx, struct ew_point *p)
{
    return put_in_tx(ctx, p, 0);
}

int
ew__sqlite_point_get(void *ctx, const char *mn, struct ew_point *out)
{
    static const char sql[] =
        "SELECT " POINT_COLS " FROM point WHERE mn = ?1 AND removed_unix_s = 0";
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = ew__sqlite_stmt(c, SQ_POINT_GET, sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_text(st, 1, mn, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        row_to_point(st, out);
        rc = EW_OK;
    } else if (rc == SQLITE_DONE) {
        rc = ew__sqlite_say(c, EW_ENOTFOUND, "no point with MN %s", mn);
    } else {
        rc = ew__sqlite_fail(c, rc, "point get");
    }
    sqlite3_reset(st);
    return rc;
}

int
ew__sqlite_point_remove(void *ctx, const char *mn)
{
    static const char sql[] =
        "UPDATE point SET removed_unix_s = ?2 WHERE mn = ?1 AND removed_unix_s = 0";
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = ew__sqlite_stmt(c, SQ_POINT_REMOVE, sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_text(st, 1, mn, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (int64_t)time(NULL));
    if ((rc = ew__sqlite_run(c, st, "point remove")) != EW_OK)
        return rc;
    if (sqlite3_changes(c->db) == 0)
        return ew__sqlite_say(c, EW_ENOTFOUND, "no point with MN %s", mn);
    ew__sqlite_map_clear(&c->series);   /* its series must not take readings from the cache */
    return EW_OK;
}

int
ew__sqlite_point_each(void *ctx, int (*fn)(void *, const struct ew_point *), void *fn_ctx)
{
    static const char sql[] =
        "SELECT " POINT_COLS " FROM point WHERE removed_unix_s = 0 ORDER BY mn";
    struct ew__sqlite *c = ctx;
    struct ew_point p;
    sqlite3_stmt *st = NULL;
    int rc, stop = 0;

    if ((rc = ew__sqlite_stmt(c, SQ_POINT_EACH, sql, &st)) != EW_OK)
        return rc;
    while (stop == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        row_to_point(st, &p);
        stop = fn(fn_ctx, &p);
    }
    if (stop == 0 && rc != SQLITE_DONE)
        stop = ew__sqlite_fail(c, rc, "point list");
    sqlite3_reset(st);
    return stop;
}

/* ---- pending instruments ------------------------------------------------------------------- */

static int
pending_insert(struct ew__sqlite *c, const char *mn, const char *st_code, const char *peer,
               int64_t t_ms)
{
    static const char count_sql[] = "SELECT count(*) FROM pending";
    static const char insert_sql[] =
        "INSERT INTO pending(mn, peer, st, first_ms, last_ms, packets)"
        " VALUES(?1, ?2, ?3, ?4, ?4, 1)";
    sqlite3_stmt *st = NULL;
    int64_t n = 0;
    int rc;

    if ((rc = ew__sqlite_stmt(c, SQ_PENDING_COUNT, count_sql, &st)) != EW_OK)
        return rc;
    if ((rc = sqlite3_step(st)) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return ew__sqlite_fail(c, rc, "pending count");
    if (n >= EW_STORE_PENDING_MAX)
        return ew__sqlite_say(c, EW_ETOOBIG, "pending list is full (%d MNs); approve or "
                              "remove some", EW_STORE_PENDING_MAX);
    if ((rc = ew__sqlite_stmt(c, SQ_PENDING_INSERT, insert_sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_text(st, 1, mn, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, peer, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, st_code, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, t_ms);
    return ew__sqlite_run(c, st, "pending insert");
}

int
ew__sqlite_pending_touch(void *ctx, const char *mn, const char *st_code, const char *peer,
                         int64_t t_ms)
{
    /* An empty ST or peer does not overwrite a known one. */
    static const char update_sql[] =
        "UPDATE pending SET packets = packets + 1, first_ms = min(first_ms, ?4),"
        " last_ms = max(last_ms, ?4), peer = iif(?2 = '', peer, ?2),"
        " st = iif(?3 = '', st, ?3) WHERE mn = ?1";
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = ew__sqlite_stmt(c, SQ_PENDING_UPDATE, update_sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_text(st, 1, mn, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, peer, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, st_code, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, t_ms);
    if ((rc = ew__sqlite_run(c, st, "pending update")) != EW_OK)
        return rc;
    if (sqlite3_changes(c->db) > 0)
        return EW_OK;
    return pending_insert(c, mn, st_code, peer, t_ms);
}

int
ew__sqlite_pending_each(void *ctx, int (*fn)(void *, const struct ew_pending *), void *fn_ctx)
{
    static const char sql[] =
        "SELECT mn, peer, st, first_ms, last_ms, packets FROM pending"
        " ORDER BY last_ms DESC, mn";
    struct ew__sqlite *c = ctx;
    struct ew_pending p;
    sqlite3_stmt *st = NULL;
    int rc, stop = 0;

    if ((rc = ew__sqlite_stmt(c, SQ_PENDING_EACH, sql, &st)) != EW_OK)
        return rc;
    while (stop == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        memset(&p, 0, sizeof(p));
        ew__store_copy(p.mn, sizeof(p.mn), ew__sqlite_text(st, 0));
        ew__store_copy(p.peer, sizeof(p.peer), ew__sqlite_text(st, 1));
        ew__store_copy(p.st, sizeof(p.st), ew__sqlite_text(st, 2));
        p.first_ms = sqlite3_column_int64(st, 3);
        p.last_ms = sqlite3_column_int64(st, 4);
        p.packets = sqlite3_column_int64(st, 5);
        stop = fn(fn_ctx, &p);
    }
    if (stop == 0 && rc != SQLITE_DONE)
        stop = ew__sqlite_fail(c, rc, "pending list");
    sqlite3_reset(st);
    return stop;
}

int
ew__sqlite_pending_remove(void *ctx, const char *mn)
{
    static const char sql[] = "DELETE FROM pending WHERE mn = ?1";
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = ew__sqlite_stmt(c, SQ_PENDING_REMOVE, sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_text(st, 1, mn, -1, SQLITE_STATIC);
    if ((rc = ew__sqlite_run(c, st, "pending remove")) != EW_OK)
        return rc;
    if (sqlite3_changes(c->db) == 0)
        return ew__sqlite_say(c, EW_ENOTFOUND, "MN %s is not pending", mn);
    return EW_OK;
}

int
ew__sqlite_pending_approve(void *ctx, struct ew_point *p)
{
    return put_in_tx(ctx, p, 1);
}
