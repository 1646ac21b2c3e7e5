/* SPDX-License-Identifier: MIT */
/*
 * SQLite: alarms, their history of steps, the notification outbox and the source limits the
 * alarm engine resolved. A partial unique index keeps at most one alarm that is not closed
 * per (point, kind, factor), so a re-trigger can never open a duplicate.
 *
 * Statements are prepared per call rather than cached in the handle: these operations run a
 * few times per hourly record, not per reading, and a callback of an _each function may call
 * another operation of this file on the same handle.
 */
#include <math.h>
#include <string.h>

#include <envwatch/err.h>
#include <envwatch/store.h>

#include "store/alarm_internal.h"
#include "store/internal.h"

#define ALARM_COLS                                                                             \
    "a.id, a.point_id, a.kind, a.factor, a.state, a.active, a.start_t, a.end_t, a.peak_t,"     \
    " a.peak, a.lim, a.multiple, a.count, a.opened_ms, a.last_seen_ms, a.closed_ms, p.mn,"    \
    " p.name, p.county FROM alarm a JOIN point p ON p.id = a.point_id"

static void
row_to_alarm(sqlite3_stmt *st, struct ew_alarm *a)
{
    memset(a, 0, sizeof(*a));
    a->id = sqlite3_column_int64(st, 0);
    a->point_id = sqlite3_column_int64(st, 1);
    a->kind = sqlite3_column_int(st, 2);
    ew__store_copy(a->factor, sizeof(a->factor), ew__sqlite_text(st, 3));
    a->state = sqlite3_column_int(st, 4);
    a->active = sqlite3_column_int(st, 5);
    a->start_unix_s = sqlite3_column_int64(st, 6);
    a->end_unix_s = sqlite3_column_int64(st, 7);
    a->peak_unix_s = sqlite3_column_int64(st, 8);
    a->peak = ew__sqlite_real(st, 9);
    a->limit = ew__sqlite_real(st, 10);
    a->multiple = ew__sqlite_real(st, 11);
    a->count = sqlite3_column_int64(st, 12);
    a->opened_ms = sqlite3_column_int64(st, 13);
    a->last_seen_ms = sqlite3_column_int64(st, 14);
    a->closed_ms = sqlite3_column_int64(st, 15);
    ew__store_copy(a->mn, sizeof(a->mn), ew__sqlite_text(st, 16));
    ew__store_copy(a->point_name, sizeof(a->point_name), ew__sqlite_text(st, 17));
    ew__store_copy(a->county, sizeof(a->county), ew__sqlite_text(st, 18));
}

/* Runs a query expected to return at most one alarm. */
static int
one_alarm(struct ew__sqlite *c, sqlite3_stmt *st, struct ew_alarm *out, const char *what)
{
    int rc = sqlite3_step(st);

    if (rc == SQLITE_ROW) {
        row_to_alarm(st, out);
        rc = EW_OK;
    } else if (rc == SQLITE_DONE) {
        rc = ew__sqlite_say(c, EW_ENOTFOUND, "%s: no such alarm", what);
    } else {
        rc = ew__sqlite_fail(c, rc, what);
    }
    ew__sqlite_release(c, st);
    return rc;
}

static int
step_put(struct ew__sqlite *c, int64_t alarm_id, const struct ew_alarm_step *s)
{
    sqlite3_stmt *st = NULL;
    int rc = ew__sqlite_prep(c, "INSERT INTO alarm_step(alarm_id, state, who, at_ms, note)"
                     " VALUES(?1, ?2, ?3, ?4, ?5)", &st);

    if (rc != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, alarm_id);
    sqlite3_bind_int(st, 2, s->state);
    sqlite3_bind_text(st, 3, s->by, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, s->at_ms);
    sqlite3_bind_text(st, 5, s->note != NULL ? s->note : "", -1, SQLITE_STATIC);
    return ew__sqlite_run_once(c, st, "alarm step");
}

static int
point_live(struct ew__sqlite *c, int64_t point_id)
{
    sqlite3_stmt *st = NULL;
    int rc = ew__sqlite_prep(c, "SELECT 1 FROM point WHERE id = ?1 AND removed_unix_s = 0", &st);

    if (rc != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, point_id);
    rc = sqlite3_step(st);
    ew__sqlite_release(c, st);
    if (rc == SQLITE_ROW)
        return EW_OK;
    if (rc == SQLITE_DONE)
        return ew__sqlite_say(c, EW_ENOTFOUND, "alarm: no point with id %lld",
                              (long long)point_id);
    return ew__sqlite_fail(c, rc, "alarm point");
}

static int
alarm_insert(struct ew__sqlite *c, const struct ew_alarm *a, int64_t *id)
{
    sqlite3_stmt *st = NULL;
    int rc = ew__sqlite_prep(c, "INSERT INTO alarm(point_id, kind, factor, state, active, start_t, end_t,"
                     " peak_t, peak, lim, multiple, count, opened_ms, last_seen_ms)"
                     " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                  &st);

    if (rc != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, a->point_id);
    sqlite3_bind_int(st, 2, a->kind);
    sqlite3_bind_text(st, 3, a->factor, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, EW_ALARM_STATE_OPEN);
    sqlite3_bind_int(st, 5, a->active != 0);
    sqlite3_bind_int64(st, 6, a->start_unix_s);
    sqlite3_bind_int64(st, 7, a->end_unix_s);
    sqlite3_bind_int64(st, 8, a->peak_unix_s);
    ew__sqlite_bind_real(st, 9, a->peak);
    ew__sqlite_bind_real(st, 10, a->limit);
    ew__sqlite_bind_real(st, 11, a->multiple);
    sqlite3_bind_int64(st, 12, a->count);
    sqlite3_bind_int64(st, 13, a->opened_ms);
    sqlite3_bind_int64(st, 14, a->last_seen_ms);
    rc = sqlite3_step(st);
    ew__sqlite_release(c, st);
    if ((rc & 0xFF) == SQLITE_CONSTRAINT)
        return ew__sqlite_say(c, EW_EEXIST, "alarm: an alarm of this point, kind and factor is "
                              "not closed yet");
    if (rc != SQLITE_DONE)
        return ew__sqlite_fail(c, rc, "alarm open");
    *id = sqlite3_last_insert_rowid(c->db);
    return EW_OK;
}

int
ew__sqlite_alarm_open(void *ctx, struct ew_alarm *a, const struct ew_alarm_step *first)
{
    struct ew__sqlite *c = ctx;
    int64_t id = 0;
    int mode, rc;

    if ((rc = ew__sqlite_tx_enter(c, &mode)) != EW_OK)
        return rc;
    rc = point_live(c, a->point_id);
    if (rc == EW_OK)
        rc = alarm_insert(c, a, &id);
    if (rc == EW_OK)
        rc = step_put(c, id, first);
    if ((rc = ew__sqlite_tx_leave(c, mode, rc)) != EW_OK)
        return rc;
    a->id = id;
    a->state = EW_ALARM_STATE_OPEN;
    return EW_OK;
}

int
ew__sqlite_alarm_find(void *ctx, int64_t point_id, int kind, const char *factor,
                      struct ew_alarm *out)
{
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc = ew__sqlite_prep(c, "SELECT " ALARM_COLS " WHERE a.point_id = ?1 AND a.kind = ?2 AND"
                     " a.factor = ?3 AND a.state <> 4", &st);

    if (rc != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, point_id);
    sqlite3_bind_int(st, 2, kind);
    sqlite3_bind_text(st, 3, factor, -1, SQLITE_STATIC);
    return one_alarm(c, st, out, "alarm find");
}

int
ew__sqlite_alarm_get(void *ctx, int64_t id, struct ew_alarm *out)
{
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc = ew__sqlite_prep(c, "SELECT " ALARM_COLS " WHERE a.id = ?1", &st);

    if (rc != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    return one_alarm(c, st, out, "alarm get");
}

/* After an UPDATE that matched nothing: EW_ENOTFOUND for an unknown id, else EW_ESTATE. */
static int
why_unchanged(struct ew__sqlite *c, int64_t id, const char *what)
{
    struct ew_alarm a;
    int rc = ew__sqlite_alarm_get(c, id, &a);

    if (rc != EW_OK)
        return rc;
    return ew__sqlite_say(c, EW_ESTATE, "%s: alarm %lld is %s", what, (long long)id,
                          a.state == EW_ALARM_STATE_CLOSED ? "closed" : "in another state");
}

int
ew__sqlite_alarm_update(void *ctx, const struct ew_alarm *a)
{
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc = ew__sqlite_prep(c, "UPDATE alarm SET active = ?2, start_t = ?3, end_t = ?4, peak_t = ?5,"
                     " peak = ?6, lim = ?7, multiple = ?8, count = ?9, last_seen_ms = ?10"
                     " WHERE id = ?1 AND state <> 4", &st);

    if (rc != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, a->id);
    sqlite3_bind_int(st, 2, a->active != 0);
    sqlite3_bind_int64(st, 3, a->start_unix_s);
    sqlite3_bind_int64(st, 4, a->end_unix_s);
    sqlite3_bind_int64(st, 5, a->peak_unix_s);
    ew__sqlite_bind_real(st, 6, a->peak);
    ew__sqlite_bind_real(st, 7, a->limit);
    ew__sqlite_bind_real(st, 8, a->multiple);
    sqlite3_bind_int64(st, 9, a->count);
    sqlite3_bind_int64(st, 10, a->last_seen_ms);
    if ((rc = ew__sqlite_run_once(c, st, "alarm update")) != EW_OK)
        return rc;
    return sqlite3_changes(c->db) == 0 ? why_unchanged(c, a->id, "alarm update") : EW_OK;
}

static int
set_state(struct ew__sqlite *c, int64_t id, int from, const struct ew_alarm_step *s)
{
    sqlite3_stmt *st = NULL;
    int rc = ew__sqlite_prep(c, "UPDATE alarm SET state = ?3, closed_ms = CASE WHEN ?3 = 4 THEN ?4"
                     " ELSE closed_ms END WHERE id = ?1 AND state = ?2", &st);

    if (rc != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, from);
    sqlite3_bind_int(st, 3, s->state);
    sqlite3_bind_int64(st, 4, s->at_ms);
    if ((rc = ew__sqlite_run_once(c, st, "alarm transition")) != EW_OK)
        return rc;
    return sqlite3_changes(c->db) == 0 ? why_unchanged(c, id, "alarm transition") : EW_OK;
}

int
ew__sqlite_alarm_transition(void *ctx, int64_t id, int from, const struct ew_alarm_step *step)
{
    struct ew__sqlite *c = ctx;
    int mode, rc;

    if ((rc = ew__sqlite_tx_enter(c, &mode)) != EW_OK)
        return rc;
    rc = set_state(c, id, from, step);
    if (rc == EW_OK)
        rc = step_put(c, id, step);
    return ew__sqlite_tx_leave(c, mode, rc);
}

/* One point's alarms use the (point_id, opened_ms) index; the general search scans. */
static const char alarm_each_point_sql[] =
    "SELECT " ALARM_COLS " WHERE a.point_id = ?3"
    " AND (?1 = 0 OR ((1 << a.state) & ?1) <> 0) AND (?2 = 0 OR ((1 << a.kind) & ?2) <> 0)"
    " AND (?4 IS NULL OR a.factor = ?4) AND (?5 IS NULL OR p.county = ?5)"
    " AND (?6 = 0 OR a.closed_ms = 0 OR a.closed_ms >= ?6) AND (?7 = 0 OR a.opened_ms <= ?7)"
    " ORDER BY a.opened_ms DESC, a.id DESC LIMIT ?8";
static const char alarm_each_all_sql[] =
    "SELECT " ALARM_COLS " WHERE (?3 = 0 OR a.point_id = ?3)"
    " AND (?1 = 0 OR ((1 << a.state) & ?1) <> 0) AND (?2 = 0 OR ((1 << a.kind) & ?2) <> 0)"
    " AND (?4 IS NULL OR a.factor = ?4) AND (?5 IS NULL OR p.county = ?5)"
    " AND (?6 = 0 OR a.closed_ms = 0 OR a.closed_ms >= ?6) AND (?7 = 0 OR a.opened_ms <= ?7)"
    " ORDER BY a.opened_ms DESC, a.id DESC LIMIT ?8";

int
ew__sqlite_alarm_each(void *ctx, const struct ew_alarm_query *q,
                      int (*fn)(void *, const struct ew_alarm *), void *fn_ctx)
{
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    struct ew_alarm a;
    int rc, stop = 0;

    rc = ew__sqlite_prep(c, q->point_id != 0 ? alarm_each_point_sql : alarm_each_all_sql, &st);
    if (rc != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, q->states);
    sqlite3_bind_int64(st, 2, q->kinds);
    sqlite3_bind_int64(st, 3, q->point_id);
    if (q->factor != NULL)
        sqlite3_bind_text(st, 4, q->factor, -1, SQLITE_STATIC);
    if (q->county != NULL)
        sqlite3_bind_text(st, 5, q->county, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, q->from_ms);
    sqlite3_bind_int64(st, 7, q->to_ms);
    sqlite3_bind_int64(st, 8, q->limit > 0 ? (int64_t)q->limit : -1);
    while (stop == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        row_to_alarm(st, &a);
        stop = fn(fn_ctx, &a);
    }
    if (stop == 0 && rc != SQLITE_DONE)
        stop = ew__sqlite_fail(c, rc, "alarms");
    ew__sqlite_release(c, st);
    return stop;
}

int
ew__sqlite_alarm_history_each(void *ctx, int64_t id,
                              int (*fn)(void *, const struct ew_alarm_step *), void *fn_ctx)
{
    struct ew__sqlite *c = ctx;
    struct ew_alarm_step s;
    sqlite3_stmt *st = NULL;
    int rc = ew__sqlite_prep(c, "SELECT state, who, at_ms, note FROM alarm_step WHERE alarm_id = ?1"
                     " ORDER BY id", &st), stop = 0;

    if (rc != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    while (stop == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        s.state = sqlite3_column_int(st, 0);
        s.by = ew__sqlite_text(st, 1);
        s.at_ms = sqlite3_column_int64(st, 2);
        s.note = ew__sqlite_text(st, 3);
        stop = fn(fn_ctx, &s);
    }
    if (stop == 0 && rc != SQLITE_DONE)
        stop = ew__sqlite_fail(c, rc, "alarm history");
    ew__sqlite_release(c, st);
    return stop;
}

/* ---- the notification outbox ------------------------------------------------------------- */

int
ew__sqlite_alarm_notice_put(void *ctx, int64_t alarm_id, const char *event, int64_t t_ms)
{
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc = ew__sqlite_prep(c, "INSERT INTO alarm_outbox(alarm_id, event, t_ms) VALUES(?1, ?2, ?3)", &st);

    if (rc != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, alarm_id);
    sqlite3_bind_text(st, 2, event, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, t_ms);
    return ew__sqlite_run_once(c, st, "alarm notice");
}

int
ew__sqlite_alarm_notice_each(void *ctx, size_t limit,
                             int (*fn)(void *, const struct ew_alarm_notice *), void *fn_ctx)
{
    struct ew__sqlite *c = ctx;
    struct ew_alarm_notice n;
    sqlite3_stmt *st = NULL;
    int rc = ew__sqlite_prep(c, "SELECT id, alarm_id, event, t_ms FROM alarm_outbox ORDER BY id LIMIT ?1",
                  &st), stop = 0;

    if (rc != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, limit > 0 ? (int64_t)limit : -1);
    while (stop == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        n.id = sqlite3_column_int64(st, 0);
        n.alarm_id = sqlite3_column_int64(st, 1);
        n.event = ew__sqlite_text(st, 2);
        n.t_ms = sqlite3_column_int64(st, 3);
        stop = fn(fn_ctx, &n);
    }
    if (stop == 0 && rc != SQLITE_DONE)
        stop = ew__sqlite_fail(c, rc, "alarm notices");
    ew__sqlite_release(c, st);
    return stop;
}

int
ew__sqlite_alarm_notice_remove(void *ctx, int64_t upto_id)
{
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc = ew__sqlite_prep(c, "DELETE FROM alarm_outbox WHERE id <= ?1", &st);

    if (rc != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, upto_id);
    return ew__sqlite_run_once(c, st, "alarm notice remove");
}

/* ---- source limits ------------------------------------------------------------------------ */

static int
limit_put(struct ew__sqlite *c, sqlite3_stmt *st, const struct ew_source_limit *l)
{
    int rc;

    sqlite3_bind_text(st, 2, l->factor, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 3, l->limit);
    ew__sqlite_bind_real(st, 4, l->limit_lo);
    ew__sqlite_bind_real(st, 5, l->ref_o2_pct);
    sqlite3_bind_int(st, 6, l->averaging);
    sqlite3_bind_text(st, 7, l->standard, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if ((rc & 0xFF) == SQLITE_CONSTRAINT)
        return ew__sqlite_say(c, EW_EEXIST, "source limit: factor %s given twice", l->factor);
    return rc == SQLITE_DONE ? EW_OK : ew__sqlite_fail(c, rc, "source limit");
}

static int
limits_replace(struct ew__sqlite *c, int64_t point_id, const struct ew_source_limit *lim,
               size_t n)
{
    sqlite3_stmt *del = NULL, *ins = NULL;
    int rc = ew__sqlite_prep(c, "DELETE FROM source_limit WHERE point_id = ?1", &del);

    if (rc != EW_OK)
        return rc;
    sqlite3_bind_int64(del, 1, point_id);
    if ((rc = ew__sqlite_run_once(c, del, "source limits")) != EW_OK || n == 0)
        return rc;
    rc = ew__sqlite_prep(c, "INSERT INTO source_limit(point_id, factor, lim, lim_lo, ref_o2, averaging,"
                 " standard) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)", &ins);
    if (rc != EW_OK)
        return rc;
    sqlite3_bind_int64(ins, 1, point_id);
    for (size_t i = 0; i < n && rc == EW_OK; i++)
        rc = limit_put(c, ins, &lim[i]);
    ew__sqlite_release(c, ins);
    return rc;
}

int
ew__sqlite_source_limits_set(void *ctx, int64_t point_id, const struct ew_source_limit *lim,
                             size_t n)
{
    struct ew__sqlite *c = ctx;
    int mode, rc;

    if ((rc = ew__sqlite_tx_enter(c, &mode)) != EW_OK)
        return rc;
    rc = point_live(c, point_id);
    if (rc == EW_OK)
        rc = limits_replace(c, point_id, lim, n);
    return ew__sqlite_tx_leave(c, mode, rc);
}

int
ew__sqlite_source_limit_each(void *ctx, int64_t point_id,
                             int (*fn)(void *, const struct ew_source_limit *), void *fn_ctx)
{
    struct ew__sqlite *c = ctx;
    struct ew_source_limit l;
    sqlite3_stmt *st = NULL;
    int rc = ew__sqlite_prep(c, "SELECT point_id, factor, lim, lim_lo, ref_o2, averaging, standard"
                     " FROM source_limit WHERE ?1 = 0 OR point_id = ?1"
                     " ORDER BY point_id, factor", &st), stop = 0;

    if (rc != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, point_id);
    while (stop == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        memset(&l, 0, sizeof(l));
        l.point_id = sqlite3_column_int64(st, 0);
        ew__store_copy(l.factor, sizeof(l.factor), ew__sqlite_text(st, 1));
        l.limit = sqlite3_column_double(st, 2);
        l.limit_lo = ew__sqlite_real(st, 3);
        l.ref_o2_pct = ew__sqlite_real(st, 4);
        l.averaging = sqlite3_column_int(st, 5);
        ew__store_copy(l.standard, sizeof(l.standard), ew__sqlite_text(st, 6));
        stop = fn(fn_ctx, &l);
    }
    if (stop == 0 && rc != SQLITE_DONE)
        stop = ew__sqlite_fail(c, rc, "source limits");
    ew__sqlite_release(c, st);
    return stop;
}
