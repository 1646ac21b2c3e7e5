/* SPDX-License-Identifier: MIT */
/*
 * SQLite: the air-quality tables (schema version 2): hourly and daily AQI rows per station,
 * county and city, heavy-pollution alerts with their changes and the state machine's state,
 * and the annual targets. The rows are written by the daemon's writer (a few per hourly
 * upload) and read by the HTTP API. The statements of the hook's hot path (put, get, search)
 * are cached in the handle's slots (SQ_AIR_*); the rare ones (alerts, targets, the day-end
 * pass) are prepared per call.
 *
 * What the values mean and how they are computed is not here: src/ingest/air_live.c.
 */
#include <math.h>
#include <string.h>

#include <envwatch/err.h>
#include <envwatch/store.h>

#include "store/air_internal.h"
#include "store/internal.h"

/* The columns of air_aqi in binding order; the item columns follow enum ew_air_item. */
#define ROW_COLS                                                                               \
    "scope, name, period, t, county, control,"                                                 \
    " so2, no2, co, o3, o3_8h, pm10, pm25,"                                                    \
    " i_so2, i_no2, i_co, i_o3, i_o3_8h, i_pm10, i_pm25,"                                      \
    " aqi, level, primary_mask, exceeding_mask,"                                               \
    " n_so2, n_no2, n_co, n_o3, n_o3_8h, n_pm10, n_pm25, stations, computed_unix_s"
#define COL_CONC 6
#define COL_IAQI (COL_CONC + EW_AIR_NITEMS)
#define COL_AQI (COL_IAQI + EW_AIR_NITEMS)
#define COL_N (COL_AQI + 4)
#define COL_STATIONS (COL_N + EW_AIR_NITEMS)
#define NCOLS (COL_STATIONS + 2)

static void
bind_int_or_null(sqlite3_stmt *st, int col, int v, int null_value)
{
    if (v == null_value)
        sqlite3_bind_null(st, col);
    else
        sqlite3_bind_int(st, col, v);
}

static int
int_or(sqlite3_stmt *st, int col, int null_value)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL ? null_value : sqlite3_column_int(st, col);
}

static void
bind_row(sqlite3_stmt *st, const struct ew_air_row *r)
{
    sqlite3_bind_int(st, 1, r->scope);
    sqlite3_bind_text(st, 2, r->name, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, r->period);
    sqlite3_bind_int64(st, 4, r->t_unix_s);
    sqlite3_bind_text(st, 5, r->county, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, r->control);
    for (int i = 0; i < EW_AIR_NITEMS; i++) {
        ew__sqlite_bind_real(st, COL_CONC + 1 + i, r->conc[i]);
        bind_int_or_null(st, COL_IAQI + 1 + i, r->aqi.iaqi[i], -1);
        sqlite3_bind_int(st, COL_N + 1 + i, r->n_valid[i]);
    }
    bind_int_or_null(st, COL_AQI + 1, r->aqi.aqi, -1);
    sqlite3_bind_int(st, COL_AQI + 2, r->aqi.level);
    sqlite3_bind_int64(st, COL_AQI + 3, r->aqi.primary);
    sqlite3_bind_int64(st, COL_AQI + 4, r->aqi.exceeding);
    sqlite3_bind_int(st, COL_STATIONS + 1, r->stations);
    sqlite3_bind_int64(st, COL_STATIONS + 2, r->computed_unix_s);
}

static void
copy_text(char *dst, size_t size, sqlite3_stmt *st, int col)
{
    ew__store_copy(dst, size, ew__sqlite_text(st, col));
}

static void
read_row(sqlite3_stmt *st, struct ew_air_row *r)
{
    ew_air_row_init(r);
    r->scope = sqlite3_column_int(st, 0);
    copy_text(r->name, sizeof(r->name), st, 1);
    r->period = sqlite3_column_int(st, 2);
    r->t_unix_s = sqlite3_column_int64(st, 3);
    copy_text(r->county, sizeof(r->county), st, 4);
    r->control = sqlite3_column_int(st, 5);
    for (int i = 0; i < EW_AIR_NITEMS; i++) {
        r->conc[i] = ew__sqlite_real(st, COL_CONC + i);
        r->aqi.iaqi[i] = int_or(st, COL_IAQI + i, -1);
        r->n_valid[i] = sqlite3_column_int(st, COL_N + i);
    }
    r->aqi.aqi = int_or(st, COL_AQI, -1);
    r->aqi.level = sqlite3_column_int(st, COL_AQI + 1);
    r->aqi.primary = (unsigned)sqlite3_column_int64(st, COL_AQI + 2);
    r->aqi.exceeding = (unsigned)sqlite3_column_int64(st, COL_AQI + 3);
    r->stations = sqlite3_column_int(st, COL_STATIONS);
    r->computed_unix_s = sqlite3_column_int64(st, COL_STATIONS + 1);
}

int
ew__sqlite_air_put(void *ctx, const struct ew_air_row *r)
{
    static const char sql[] =
        "INSERT OR REPLACE INTO air_aqi(" ROW_COLS ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
        " ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25,"
        " ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33)";
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc;

    _Static_assert(NCOLS == 33, "ROW_COLS and the VALUES list must agree");
    if ((rc = ew__sqlite_stmt(c, SQ_AIR_PUT, sql, &st)) != EW_OK)
        return rc;
    bind_row(st, r);
    return ew__sqlite_run(c, st, "air put");
}

int
ew__sqlite_air_get(void *ctx, int scope, const char *name, int period, int64_t t_unix_s,
                   struct ew_air_row *out)
{
    static const char sql[] = "SELECT " ROW_COLS " FROM air_aqi"
                              " WHERE scope = ?1 AND name = ?2 AND period = ?3 AND t = ?4";
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = ew__sqlite_stmt(c, SQ_AIR_GET, sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_int(st, 1, scope);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, period);
    sqlite3_bind_int64(st, 4, t_unix_s);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_row(st, out);
        rc = EW_OK;
    } else if (rc == SQLITE_DONE) {
        rc = ew__sqlite_say(c, EW_ENOTFOUND, "air: no such row");
    } else {
        rc = ew__sqlite_fail(c, rc, "air get");
    }
    sqlite3_reset(st);
    return rc;
}

/* The four shapes of the search, so the primary key serves one name and the time index
 * serves all names of a scope. */
static const char *const each_sql[] = {
    "SELECT " ROW_COLS " FROM air_aqi WHERE period = ?3 AND t BETWEEN ?4 AND ?5"
    " AND scope = ?1 ORDER BY t, name LIMIT ?6",
    "SELECT " ROW_COLS " FROM air_aqi WHERE period = ?3 AND t BETWEEN ?4 AND ?5"
    " AND scope = ?1 ORDER BY t DESC, name LIMIT ?6",
    "SELECT " ROW_COLS " FROM air_aqi WHERE scope = ?1 AND name = ?2 AND period = ?3"
    " AND t BETWEEN ?4 AND ?5 ORDER BY t LIMIT ?6",
    "SELECT " ROW_COLS " FROM air_aqi WHERE scope = ?1 AND name = ?2 AND period = ?3"
    " AND t BETWEEN ?4 AND ?5 ORDER BY t DESC LIMIT ?6",
};

int
ew__sqlite_air_each(void *ctx, const struct ew_air_query *q,
                    int (*fn)(void *, const struct ew_air_row *), void *fn_ctx)
{
    struct ew__sqlite *c = ctx;
    int shape = (q->name != NULL ? 2 : 0) + (q->newest_first ? 1 : 0), rc, stop = 0;
    sqlite3_stmt *st = NULL;
    struct ew_air_row row;

    if ((rc = ew__sqlite_stmt(c, SQ_AIR_EACH_ALL + shape, each_sql[shape], &st)) != EW_OK)
        return rc;
    sqlite3_bind_int(st, 1, q->scope);
    if (q->name != NULL)
        sqlite3_bind_text(st, 2, q->name, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, q->period);
    sqlite3_bind_int64(st, 4, q->from_unix_s);
    sqlite3_bind_int64(st, 5, q->to_unix_s == 0 ? INT64_MAX : q->to_unix_s);
    sqlite3_bind_int64(st, 6, q->limit > 0 ? (int64_t)q->limit : -1);
    while (stop == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        read_row(st, &row);
        stop = fn(fn_ctx, &row);
    }
    if (stop == 0 && rc != SQLITE_DONE)
        stop = ew__sqlite_fail(c, rc, "air search");
    sqlite3_reset(st);
    return stop;
}

int
ew__sqlite_air_days_missing(void *ctx, int64_t from_unix_s, int64_t to_unix_s,
                            int (*fn)(void *, int, const char *, int64_t), void *fn_ctx)
{
    /* The day of an hour: t minus its time of day in CST (UTC+8). Grouped first, so the
     * day row is looked up once per station-day rather than once per hour. */
    static const char sql[] =
        "SELECT g.scope, g.name, g.day FROM (SELECT scope, name, t - ((t + 28800) % 86400)"
        " AS day FROM air_aqi WHERE period = 0 AND t >= ?1 AND t < ?2"
        " GROUP BY scope, name, day) g WHERE NOT EXISTS (SELECT 1 FROM air_aqi d"
        " WHERE d.scope = g.scope AND d.name = g.name AND d.period = 1 AND d.t = g.day)"
        " ORDER BY g.day, g.scope, g.name";
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc, stop = 0;

    if ((rc = ew__sqlite_prep(c, sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, from_unix_s);
    sqlite3_bind_int64(st, 2, to_unix_s);
    while (stop == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW)
        stop = fn(fn_ctx, sqlite3_column_int(st, 0), ew__sqlite_text(st, 1),
                  sqlite3_column_int64(st, 2));
    if (stop == 0 && rc != SQLITE_DONE)
        stop = ew__sqlite_fail(c, rc, "air days missing");
    ew__sqlite_release(c, st);
    return stop;
}

/* ---- alerts ---------------------------------------------------------------------------------- */

int
ew__sqlite_air_alert_state(void *ctx, int scope, const char *name, struct ew_air_alert_state *s,
                           int64_t *day_unix_s)
{
    static const char sql[] = "SELECT level, since_unix_s, day_unix_s FROM air_alert_state"
                              " WHERE scope = ?1 AND name = ?2";
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = ew__sqlite_prep(c, sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_int(st, 1, scope);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        s->level = sqlite3_column_int(st, 0);
        s->since_unix_s = sqlite3_column_int64(st, 1);
        *day_unix_s = sqlite3_column_int64(st, 2);
        rc = EW_OK;
    } else if (rc == SQLITE_DONE) {
        rc = ew__sqlite_say(c, EW_ENOTFOUND, "air alert: no state yet");
    } else {
        rc = ew__sqlite_fail(c, rc, "air alert state");
    }
    ew__sqlite_release(c, st);
    return rc;
}

/* The id of the area's open alert, 0 when none. */
static int
open_alert(struct ew__sqlite *c, int scope, const char *name, int64_t *id)
{
    static const char sql[] = "SELECT id FROM air_alert WHERE scope = ?1 AND name = ?2"
                              " AND end_unix_s = 0 ORDER BY id DESC LIMIT 1";
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = ew__sqlite_prep(c, sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_int(st, 1, scope);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    *id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? EW_OK : ew__sqlite_fail(c, rc, "air alert");
    ew__sqlite_release(c, st);
    return rc;
}

/* Opens, changes or closes the area's alert for the change ch; *id is the alert's. */
static int
apply_change(struct ew__sqlite *c, int scope, const char *name,
             const struct ew_air_alert_change *ch, int64_t *id)
{
    static const char open_sql[] = "INSERT INTO air_alert(scope, name, level, max_level,"
                                   " start_unix_s) VALUES(?1, ?2, ?3, ?3, ?4)";
    static const char level_sql[] = "UPDATE air_alert SET level = ?2,"
                                    " max_level = max(max_level, ?2) WHERE id = ?1";
    static const char end_sql[] = "UPDATE air_alert SET level = 0, end_unix_s = ?2 WHERE id = ?1";
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = open_alert(c, scope, name, id)) != EW_OK)
        return rc;
    if ((ch->kind == EW_ALERT_EV_START) != (*id == 0))
        return ew__sqlite_say(c, EW_ESTATE, ch->kind == EW_ALERT_EV_START
                                                ? "air alert: an alert is already on"
                                                : "air alert: no alert is on");
    if (ch->kind == EW_ALERT_EV_START) {
        if ((rc = ew__sqlite_prep(c, open_sql, &st)) != EW_OK)
            return rc;
        sqlite3_bind_int(st, 1, scope);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 3, ch->to_level);
        sqlite3_bind_int64(st, 4, ch->t_unix_s);
        rc = ew__sqlite_run_once(c, st, "air alert open");
        *id = sqlite3_last_insert_rowid(c->db);
        return rc;
    }
    if ((rc = ew__sqlite_prep(c, ch->kind == EW_ALERT_EV_END ? end_sql : level_sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, *id);
    if (ch->kind == EW_ALERT_EV_END)
        sqlite3_bind_int64(st, 2, ch->t_unix_s);
    else
        sqlite3_bind_int(st, 2, ch->to_level);
    return ew__sqlite_run_once(c, st, "air alert change");
}

static int
insert_change(struct ew__sqlite *c, int64_t id, const struct ew_air_alert_change *ch)
{
    static const char sql[] = "INSERT INTO air_alert_change(alert_id, kind, from_level,"
                              " to_level, t_unix_s, day_unix_s, aqi)"
                              " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)";
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = ew__sqlite_prep(c, sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, ch->kind);
    sqlite3_bind_int(st, 3, ch->from_level);
    sqlite3_bind_int(st, 4, ch->to_level);
    sqlite3_bind_int64(st, 5, ch->t_unix_s);
    sqlite3_bind_int64(st, 6, ch->day_unix_s);
    bind_int_or_null(st, 7, ch->aqi, -1);
    return ew__sqlite_run_once(c, st, "air alert change");
}

static int
save_state(struct ew__sqlite *c, int scope, const char *name,
           const struct ew_air_alert_state *s, int64_t day_unix_s)
{
    static const char sql[] = "INSERT OR REPLACE INTO air_alert_state(scope, name, level,"
                              " since_unix_s, day_unix_s) VALUES(?1, ?2, ?3, ?4, ?5)";
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = ew__sqlite_prep(c, sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_int(st, 1, scope);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, s->level);
    sqlite3_bind_int64(st, 4, s->since_unix_s);
    sqlite3_bind_int64(st, 5, day_unix_s);
    return ew__sqlite_run_once(c, st, "air alert state");
}

int
ew__sqlite_air_alert_record(void *ctx, int scope, const char *name,
                            const struct ew_air_alert_state *s, int64_t day_unix_s,
                            const struct ew_air_alert_change *ch, int64_t *alert_id)
{
    struct ew__sqlite *c = ctx;
    int64_t id = 0;
    int mode, rc;

    if ((rc = ew__sqlite_tx_enter(c, &mode)) != EW_OK)
        return rc;
    if (ch->kind != EW_ALERT_EV_NONE) {
        rc = apply_change(c, scope, name, ch, &id);
        if (rc == EW_OK)
            rc = insert_change(c, id, ch);
    }
    if (rc == EW_OK)
        rc = save_state(c, scope, name, s, day_unix_s);
    if ((rc = ew__sqlite_tx_leave(c, mode, rc)) == EW_OK)
        *alert_id = id;
    return rc;
}

static const char *const alert_sql[] = {
    "SELECT id, scope, name, level, max_level, start_unix_s, end_unix_s FROM air_alert"
    " WHERE start_unix_s <= ?3 AND (end_unix_s = 0 OR end_unix_s >= ?4)"
    " ORDER BY start_unix_s DESC, id DESC LIMIT ?5",
    "SELECT id, scope, name, level, max_level, start_unix_s, end_unix_s FROM air_alert"
    " WHERE scope = ?1 AND name = ?2 AND start_unix_s <= ?3"
    " AND (end_unix_s = 0 OR end_unix_s >= ?4) ORDER BY start_unix_s DESC, id DESC LIMIT ?5",
};

int
ew__sqlite_air_alert_each(void *ctx, const struct ew_air_alert_query *q,
                          int (*fn)(void *, const struct ew_air_alert_rec *), void *fn_ctx)
{
    struct ew__sqlite *c = ctx;
    struct ew_air_alert_rec a;
    sqlite3_stmt *st = NULL;
    int rc, stop = 0;

    if ((rc = ew__sqlite_prep(c, alert_sql[q->name != NULL], &st)) != EW_OK)
        return rc;
    if (q->name != NULL) {
        sqlite3_bind_int(st, 1, q->scope);
        sqlite3_bind_text(st, 2, q->name, -1, SQLITE_STATIC);
    }
    sqlite3_bind_int64(st, 3, q->to_unix_s == 0 ? INT64_MAX : q->to_unix_s);
    sqlite3_bind_int64(st, 4, q->from_unix_s);
    sqlite3_bind_int64(st, 5, q->limit > 0 ? (int64_t)q->limit : -1);
    while (stop == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        a = (struct ew_air_alert_rec){ .id = sqlite3_column_int64(st, 0),
                                       .scope = sqlite3_column_int(st, 1),
                                       .level = sqlite3_column_int(st, 3),
                                       .max_level = sqlite3_column_int(st, 4),
                                       .start_unix_s = sqlite3_column_int64(st, 5),
                                       .end_unix_s = sqlite3_column_int64(st, 6) };
        copy_text(a.name, sizeof(a.name), st, 2);
        stop = fn(fn_ctx, &a);
    }
    if (stop == 0 && rc != SQLITE_DONE)
        stop = ew__sqlite_fail(c, rc, "air alert search");
    ew__sqlite_release(c, st);
    return stop;
}

int
ew__sqlite_air_alert_changes(void *ctx, int64_t alert_id,
                             int (*fn)(void *, const struct ew_air_alert_change *), void *fn_ctx)
{
    static const char sql[] = "SELECT id, alert_id, kind, from_level, to_level, t_unix_s,"
                              " day_unix_s, aqi FROM air_alert_change WHERE alert_id = ?1"
                              " ORDER BY id";
    struct ew__sqlite *c = ctx;
    struct ew_air_alert_change ch;
    sqlite3_stmt *st = NULL;
    int rc, stop = 0;

    if ((rc = ew__sqlite_prep(c, sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, alert_id);
    while (stop == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        ch = (struct ew_air_alert_change){ .id = sqlite3_column_int64(st, 0),
                                           .alert_id = sqlite3_column_int64(st, 1),
                                           .kind = sqlite3_column_int(st, 2),
                                           .from_level = sqlite3_column_int(st, 3),
                                           .to_level = sqlite3_column_int(st, 4),
                                           .t_unix_s = sqlite3_column_int64(st, 5),
                                           .day_unix_s = sqlite3_column_int64(st, 6),
                                           .aqi = int_or(st, 7, -1) };
        stop = fn(fn_ctx, &ch);
    }
    if (stop == 0 && rc != SQLITE_DONE)
        stop = ew__sqlite_fail(c, rc, "air alert changes");
    ew__sqlite_release(c, st);
    return stop;
}

/* ---- targets --------------------------------------------------------------------------------- */

int
ew__sqlite_air_target_put(void *ctx, int year, const struct ew_air_target *t)
{
    static const char sql[] = "INSERT OR REPLACE INTO air_target(year, pm25_ugm3,"
                              " good_share_pct, heavy_days_max) VALUES(?1, ?2, ?3, ?4)";
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = ew__sqlite_prep(c, sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_int(st, 1, year);
    ew__sqlite_bind_real(st, 2, t->pm25_ugm3);
    ew__sqlite_bind_real(st, 3, t->good_share_pct);
    bind_int_or_null(st, 4, t->heavy_days_max, -1);
    return ew__sqlite_run_once(c, st, "air target");
}

int
ew__sqlite_air_target_get(void *ctx, int year, struct ew_air_target *out, int *from_year)
{
    static const char sql[] = "SELECT year, pm25_ugm3, good_share_pct, heavy_days_max"
                              " FROM air_target WHERE year IN (?1, 0) ORDER BY year DESC"
                              " LIMIT 1";
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = ew__sqlite_prep(c, sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_int(st, 1, year);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *from_year = sqlite3_column_int(st, 0);
        *out = (struct ew_air_target){ .pm25_ugm3 = ew__sqlite_real(st, 1),
                                       .good_share_pct = ew__sqlite_real(st, 2),
                                       .heavy_days_max = int_or(st, 3, -1) };
        rc = EW_OK;
    } else if (rc == SQLITE_DONE) {
        rc = ew__sqlite_say(c, EW_ENOTFOUND, "air: no targets for %d", year);
    } else {
        rc = ew__sqlite_fail(c, rc, "air target");
    }
    ew__sqlite_release(c, st);
    return rc;
}
