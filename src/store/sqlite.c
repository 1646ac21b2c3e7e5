/* SPDX-License-Identifier: MIT */
/*
 * The SQLite backend's handle: opening (WAL, pragmas, who checkpoints, migrations),
 * transactions, statement cache and error translation, and the table of operations the front
 * dispatches to. The SQL of each concern lives in sqlite_point.c, sqlite_reading.c,
 * sqlite_journal.c; the schema in sqlite_schema.c.
 *
 * One handle is one connection used by one thread at a time (SQLITE_OPEN_NOMUTEX). The
 * writer of the daemon is the only handle that checkpoints: SQLite 3.40 as shipped in
 * Debian 12 lacks the fix for the WAL-reset race (fixed upstream in 3.51.3), which needs two
 * connections checkpointing and writing at once (reference/clibs.md section 6).
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <envwatch/err.h>
#include <envwatch/store.h>

#include "store/air_internal.h"
#include "store/alarm_internal.h"
#include "store/auth_internal.h"
#include "store/backend.h"
#include "store/internal.h"
#include "store/ledger_internal.h"

#define DB_NAME "envwatch.db"
#define LOCK_SUFFIX "-ckpt"             /* DIR/envwatch.db-ckpt: whoever locks it checkpoints */

enum { TX_NONE, TX_OWN, TX_SAVEPOINT };

/* ---- errors, statements, transactions ---------------------------------------------------- */

int
ew__sqlite_say(struct ew__sqlite *c, int rc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(c->errmsg, sizeof(c->errmsg), fmt, ap);
    va_end(ap);
    return rc;
}

static int
map_rc(int sqlite_rc)
{
    switch (sqlite_rc & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return EW_EBUSY;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
        return EW_EDENIED;
    case SQLITE_NOMEM:
        return EW_ENOMEM;
    case SQLITE_CONSTRAINT:
        return EW_EEXIST;
    case SQLITE_TOOBIG:
        return EW_ETOOBIG;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return EW_EFORMAT;
    default:
        return EW_EIO;
    }
}

int
ew__sqlite_fail(struct ew__sqlite *c, int sqlite_rc, const char *what)
{
    const char *m = c->db != NULL ? sqlite3_errmsg(c->db) : sqlite3_errstr(sqlite_rc);

    return ew__sqlite_say(c, map_rc(sqlite_rc), "%s: %s", what, m);
}

int
ew__sqlite_stmt(struct ew__sqlite *c, enum ew__sqlite_stmt_id id, const char *sql,
                sqlite3_stmt **out)
{
    int rc;

    if (c->stmt[id] == NULL) {
        rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &c->stmt[id], NULL);
        if (rc != SQLITE_OK)
            return ew__sqlite_fail(c, rc, "prepare");
    }
    *out = c->stmt[id];
    return EW_OK;
}

int
ew__sqlite_prep(struct ew__sqlite *c, const char *sql, sqlite3_stmt **st)
{
    struct ew__sqlite_cached *free_slot = NULL;
    int rc;

    for (size_t i = 0; i < EW__SQLITE_SQL_CACHE; i++) {
        struct ew__sqlite_cached *e = &c->sqlc[i];
        if (e->sql == NULL) {
            if (free_slot == NULL)
                free_slot = e;
            continue;
        }
        if (!e->busy && strcmp(e->sql, sql) == 0) {
            e->busy = 1;
            *st = e->st;
            return EW_OK;
        }
    }
    rc = sqlite3_prepare_v3(c->db, sql, -1, free_slot ? SQLITE_PREPARE_PERSISTENT : 0, st,
                            NULL);
    if (rc != SQLITE_OK)
        return ew__sqlite_fail(c, rc, "prepare");
    if (free_slot != NULL && (free_slot->sql = strdup(sql)) != NULL) {
        free_slot->st = *st;
        free_slot->busy = 1;
    }
    return EW_OK;
}

void
ew__sqlite_release(struct ew__sqlite *c, sqlite3_stmt *st)
{
    if (st == NULL)
        return;
    for (size_t i = 0; i < EW__SQLITE_SQL_CACHE; i++) {
        if (c->sqlc[i].st == st && c->sqlc[i].sql != NULL) {
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            c->sqlc[i].busy = 0;
            return;
        }
    }
    sqlite3_finalize(st);
}

int
ew__sqlite_run_once(struct ew__sqlite *c, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st), err = EW_OK;

    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        err = ew__sqlite_fail(c, rc, what);
    ew__sqlite_release(c, st);
    return err;
}

/* At close: every cached statement goes (SQLite re-prepares cached ones by itself when another
 * connection changes the schema, so nothing else invalidates them). */
static void
sql_cache_clear(struct ew__sqlite *c)
{
    for (size_t i = 0; i < EW__SQLITE_SQL_CACHE; i++) {
        if (c->sqlc[i].sql == NULL)
            continue;
        sqlite3_finalize(c->sqlc[i].st);
        free(c->sqlc[i].sql);
        c->sqlc[i] = (struct ew__sqlite_cached){ 0 };
    }
}

int
ew__sqlite_exec(struct ew__sqlite *c, const char *sql)
{
    int rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);

    return rc == SQLITE_OK ? EW_OK : ew__sqlite_fail(c, rc, sql);
}

int
ew__sqlite_run(struct ew__sqlite *c, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st), err = EW_OK;

    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        err = ew__sqlite_fail(c, rc, what);
    sqlite3_reset(st);
    return err;
}

const char *
ew__sqlite_text(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);

    return t != NULL ? (const char *)t : "";
}

double
ew__sqlite_real(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL ? NAN : sqlite3_column_double(st, col);
}

void
ew__sqlite_bind_real(sqlite3_stmt *st, int col, double v)
{
    if (isnan(v))
        sqlite3_bind_null(st, col);
    else
        sqlite3_bind_double(st, col, v);
}

void
ew__sqlite_forget(struct ew__sqlite *c)
{
    ew__sqlite_map_clear(&c->series);
    ew__sqlite_latest_forget(c);
    for (size_t i = 0; i < EW__SQLITE_MONTHS; i++) {
        sqlite3_finalize(c->month[i].ins);
        sqlite3_finalize(c->month[i].get);
        c->month[i] = (struct ew__sqlite_month){ 0 };
    }
    c->row.open = c->row.dirty = 0;
    c->row.ins = NULL;
}

void
ew__sqlite_discard(struct ew__sqlite *c)
{
    ew__sqlite_jfile_discard(c);
    c->pend_n = 0;
    if (++c->gen == 0)
        c->gen = 1;
    ew__sqlite_forget(c);
}

int
ew__sqlite_sync(struct ew__sqlite *c)
{
    sqlite3_stmt *st = NULL;
    int rc, v;

    if ((rc = ew__sqlite_stmt(c, SQ_DATA_VERSION, "PRAGMA data_version", &st)) != EW_OK)
        return rc;
    if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
        rc = ew__sqlite_fail(c, rc, "data version");
        sqlite3_reset(st);
        return rc;
    }
    v = sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    if (v != c->data_version)
        ew__sqlite_forget(c);
    c->data_version = v;
    return EW_OK;
}

int
ew__sqlite_tx_enter(struct ew__sqlite *c, int *mode)
{
    int rc;

    if (sqlite3_get_autocommit(c->db)) {
        /* IMMEDIATE takes the write lock now, so busy_timeout applies; a deferred
         * transaction that upgrades later gets SQLITE_BUSY at once (clibs.md 6.2). */
        rc = ew__sqlite_exec(c, "BEGIN IMMEDIATE");
        if (rc == EW_OK && (rc = ew__sqlite_sync(c)) != EW_OK)
            sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
        *mode = TX_OWN;
    } else {
        /* Pending latest values belong to the caller's batch: write them before the
         * savepoint, so undoing this operation cannot undo them. */
        rc = ew__sqlite_flush(c);
        if (rc == EW_OK)
            rc = ew__sqlite_exec(c, "SAVEPOINT ew_op");
        *mode = TX_SAVEPOINT;
    }
    return rc;
}

int
ew__sqlite_tx_leave(struct ew__sqlite *c, int mode, int rc)
{
    char keep[sizeof(c->errmsg)];

    if (rc == EW_OK && mode == TX_OWN)
        rc = ew__sqlite_flush(c);
    if (rc == EW_OK) {
        rc = ew__sqlite_exec(c, mode == TX_OWN ? "COMMIT" : "RELEASE ew_op");
        if (rc == EW_OK)
            return EW_OK;
    }
    memcpy(keep, c->errmsg, sizeof(keep));      /* report the first failure, not the undo */
    if (mode == TX_OWN) {
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
        ew__sqlite_discard(c);
    } else {
        sqlite3_exec(c->db, "ROLLBACK TO ew_op; RELEASE ew_op", NULL, NULL, NULL);
        ew__sqlite_forget(c);           /* nothing pending: flushed at the savepoint */
    }
    memcpy(c->errmsg, keep, sizeof(keep));
    return rc;
}

int
ew__sqlite_read_enter(struct ew__sqlite *c, int *mode)
{
    *mode = TX_NONE;
    if (!sqlite3_get_autocommit(c->db))
        return EW_OK;
    *mode = TX_OWN;
    return ew__sqlite_exec(c, "BEGIN");
}

void
ew__sqlite_read_leave(struct ew__sqlite *c, int mode)
{
    if (mode == TX_OWN)
        sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
}

/* ---- opening --------------------------------------------------------------------------------- */

static int
mkdir_p(const char *dir)
{
    char path[4096];
    size_t n = strlen(dir);

    if (n == 0 || n >= sizeof(path))
        return -1;
    memcpy(path, dir, n + 1);
    for (char *p = path + 1; *p != '\0'; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0750) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(path, 0750) != 0 && errno != EEXIST ? -1 : 0;
}

/* Takes the checkpoint lock when it is free; owner is 1 then. The lock is released by the
 * kernel when the process dies, so a SIGKILLed daemon does not block its successor. */
static int
take_ckpt_lock(struct ew__sqlite *c, const char *db_path, int *owner)
{
    char path[4224];
    int fd;

    snprintf(path, sizeof(path), "%s%s", db_path, LOCK_SUFFIX);
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0)
        return ew__sqlite_say(c, EW_EIO, "%s: %s", path, strerror(errno));
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        close(fd);
        *owner = 0;
        return EW_OK;
    }
    c->lock_fd = fd;
    *owner = 1;
    return EW_OK;
}

/* Settings of the handle; see docs/store.md for the reasons. */
static int
set_pragmas(struct ew__sqlite *c, const struct ew_store_config *cfg)
{
    char sql[256];
    int cache_kib = cfg->cache_kib > 0 ? cfg->cache_kib : c->rdonly ? 8192 : 65536;
    int pages = cfg->autocheckpoint_pages;

    sqlite3_busy_timeout(c->db, cfg->busy_timeout_ms > 0 ? cfg->busy_timeout_ms : 5000);
    snprintf(sql, sizeof(sql), "PRAGMA cache_size=-%d; PRAGMA temp_store=MEMORY", cache_kib);
    if (ew__sqlite_exec(c, sql) != EW_OK)
        return EW_EIO;
    /* 10,000 pages (40 MB of WAL) rather than SQLite's 1,000: a batch of readings spread
     * over many series dirties the same leaf pages commit after commit, and a rarer
     * checkpoint writes each of them to the database once for several commits (measured
     * here: 116k -> 155k rows/s for 10,000-row batches). */
    if (!c->ckpt_owner || pages < 0)
        pages = 0;                      /* 0 turns the automatic checkpoint off */
    else if (pages == 0)
        pages = 10000;
    sqlite3_wal_autocheckpoint(c->db, pages);
    /* Only the owner may checkpoint, also when the last connection closes. */
    sqlite3_db_config(c->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, !c->ckpt_owner, NULL);
    if (c->rdonly)
        return EW_OK;
    /*
     * WAL with synchronous=NORMAL: a commit is in the WAL (in the OS's page cache) when
     * COMMIT returns, so it survives the process being killed (SIGKILL, a crash), which is
     * the guarantee the daemon acknowledges packets on; only the WAL sync at checkpoints is
     * kept. FULL also syncs the WAL at every commit and survives a power loss, at a cost
     * (reference/clibs.md 6: 268k vs 205k rows/s). secure_delete=FAST: Debian builds with
     * SECURE_DELETE, which writes zeros over every freed page; FAST only clears what is being
     * written anyway (old data here is not secret, it is deleted for space).
     */
    snprintf(sql, sizeof(sql), "PRAGMA journal_mode=WAL; PRAGMA synchronous=%s; "
                               "PRAGMA secure_delete=FAST",
             cfg->sync_full ? "FULL" : "NORMAL");
    return ew__sqlite_exec(c, sql);
}

static int
check_schema(struct ew__sqlite *c, const char *db_path, char *err, size_t err_len)
{
    int have = -1, want = ew__sqlite_schema_latest();
    sqlite3_stmt *st = NULL;

    if (!c->rdonly)
        return ew__sqlite_migrate_latest(c->db, err, err_len);
    if (sqlite3_prepare_v2(c->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        have = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (have < 0) {
        snprintf(err, err_len, "%s: %s", db_path, sqlite3_errmsg(c->db));
        return EW_EIO;
    }
    if (have == want)
        return EW_OK;
    if (have < want)
        snprintf(err, err_len, "%s: schema version %d is older than this envwatch's %d; open "
                 "it once for writing (envwatch serve, or a point command that writes) to "
                 "upgrade it", db_path, have, want);
    else
        snprintf(err, err_len, "%s: schema version %d is newer than this envwatch's %d; use "
                 "a newer envwatch", db_path, have, want);
    return EW_ESTATE;
}

static int
open_db(struct ew__sqlite *c, const char *dir, const struct ew_store_config *cfg, char *err,
        size_t err_len)
{
    char db_path[4200];
    int create = (cfg->flags & EW_STORE_CREATE) && !c->rdonly, rc;
    int oflags = SQLITE_OPEN_NOMUTEX |
                 (c->rdonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE);

    if (dir[0] == '\0' || snprintf(db_path, sizeof(db_path), "%s/" DB_NAME, dir) >= 4096) {
        snprintf(err, err_len, "bad store directory '%s'", dir);
        return EW_EINVAL;
    }
    if (create && mkdir_p(dir) != 0) {
        snprintf(err, err_len, "cannot create %s: %s", dir, strerror(errno));
        return EW_EIO;
    }
    if (access(db_path, F_OK) != 0) {
        if (!create) {
            snprintf(err, err_len, "no store at %s (%s is missing)", dir, DB_NAME);
            return EW_ENOTFOUND;
        }
        oflags |= SQLITE_OPEN_CREATE;
    }
    if (!c->rdonly) {
        int owner = 0;
        if ((rc = take_ckpt_lock(c, db_path, &owner)) != EW_OK) {
            snprintf(err, err_len, "%s", c->errmsg);
            return rc;
        }
        if (!owner && (cfg->flags & EW_STORE_CHECKPOINTER)) {
            snprintf(err, err_len, "%s is already open for writing by another process (is "
                     "envwatch serve running on it?)", db_path);
            return EW_EBUSY;
        }
        c->ckpt_owner = owner;
    }
    rc = sqlite3_open_v2(db_path, &c->db, oflags, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, err_len, "%s: %s", db_path, sqlite3_errmsg(c->db));
        return map_rc(rc);
    }
    if (set_pragmas(c, cfg) != EW_OK) {
        snprintf(err, err_len, "%s: %s", db_path, c->errmsg);
        return EW_EIO;
    }
    if ((rc = check_schema(c, db_path, err, err_len)) != EW_OK)
        return rc;
    if (!c->rdonly && (rc = ew__sqlite_readings_upgrade(c)) != EW_OK)
        snprintf(err, err_len, "%s: %s", db_path, c->errmsg);
    return rc;
}

static void sqlite_close(void *ctx);

static int
sqlite_open(const char *path, const struct ew_store_config *cfg, void **ctx, char *err,
            size_t err_len)
{
    char dummy[8];
    struct ew__sqlite *c;
    int rc;

    if (err == NULL || err_len == 0) {
        err = dummy;
        err_len = sizeof(dummy);
    }
    c = calloc(1, sizeof(*c));
    if (c == NULL) {
        snprintf(err, err_len, "out of memory");
        return EW_ENOMEM;
    }
    c->lock_fd = -1;
    c->gen = 1;
    c->rdonly = (cfg->flags & EW_STORE_RDONLY) != 0;
    if ((rc = ew__sqlite_jfile_init(c, path, cfg->sync_full)) != EW_OK) {
        snprintf(err, err_len, "out of memory");
        sqlite_close(c);
        return rc;
    }
    rc = open_db(c, path, cfg, err, err_len);
    if (rc != EW_OK) {
        sqlite_close(c);
        return rc;
    }
    *ctx = c;
    return EW_OK;
}

static void
sqlite_close(void *ctx)
{
    struct ew__sqlite *c = ctx;

    if (c == NULL)
        return;
    ew__sqlite_discard(c);
    ew__sqlite_jfile_close(c);
    free(c->series.v);
    free(c->latest.v);
    free(c->pend);
    free(c->row.v);
    free(c->tab);
    free(c->lrow);
    for (size_t i = 0; i < SQ_N; i++)
        sqlite3_finalize(c->stmt[i]);
    sql_cache_clear(c);
    /* The owner checkpoints here (unless it was turned off) before the lock goes. */
    sqlite3_close(c->db);
    if (c->lock_fd >= 0)
        close(c->lock_fd);
    free(c);
}

/* ---- small operations ---------------------------------------------------------------------- */

static const char *
sqlite_errmsg(const void *ctx)
{
    const struct ew__sqlite *c = ctx;

    return c->errmsg[0] != '\0' ? c->errmsg : "no error";
}

static int
pragma_int(struct ew__sqlite *c, const char *sql, int *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL);

    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
        return EW_OK;
    }
    rc = ew__sqlite_fail(c, rc, sql);
    sqlite3_finalize(st);
    return rc;
}

static int
sqlite_schema_version(void *ctx, int *version)
{
    return pragma_int(ctx, "PRAGMA user_version", version);
}

static int
sqlite_data_version(void *ctx, int *version)
{
    return pragma_int(ctx, "PRAGMA data_version", version);
}

static int
sqlite_checkpoint(void *ctx, int truncate, int *wal_pages)
{
    struct ew__sqlite *c = ctx;
    int log = 0, done = 0, rc;

    if (!c->ckpt_owner)
        return ew__sqlite_say(c, EW_ESTATE, "checkpoint: this handle does not own checkpoints");
    rc = sqlite3_wal_checkpoint_v2(c->db, NULL,
                                   truncate ? SQLITE_CHECKPOINT_TRUNCATE
                                            : SQLITE_CHECKPOINT_PASSIVE, &log, &done);
    if (rc != SQLITE_OK)
        return ew__sqlite_fail(c, rc, "checkpoint");
    if (wal_pages != NULL)
        *wal_pages = log;
    return EW_OK;
}

static int
sqlite_begin(void *ctx)
{
    struct ew__sqlite *c = ctx;

    int rc;

    if (!sqlite3_get_autocommit(c->db))
        return ew__sqlite_say(c, EW_ESTATE, "begin: a transaction is already open");
    if ((rc = ew__sqlite_exec(c, "BEGIN IMMEDIATE")) != EW_OK)
        return rc;
    /* Inside the write lock: no other writer can commit until this transaction ends. */
    if ((rc = ew__sqlite_sync(c)) != EW_OK)
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

static int
sqlite_commit(void *ctx)
{
    struct ew__sqlite *c = ctx;
    int rc;

    if (sqlite3_get_autocommit(c->db))
        return ew__sqlite_say(c, EW_ESTATE, "commit: no transaction is open");
    if ((rc = ew__sqlite_flush(c)) != EW_OK)
        return rc;                      /* still open: the caller rolls back */
    rc = ew__sqlite_exec(c, "COMMIT");
    if (rc != EW_OK && sqlite3_get_autocommit(c->db))
        ew__sqlite_discard(c);          /* SQLite rolled it back itself */
    return rc;
}

static int
sqlite_rollback(void *ctx)
{
    struct ew__sqlite *c = ctx;
    int rc;

    if (sqlite3_get_autocommit(c->db))
        return ew__sqlite_say(c, EW_ESTATE, "rollback: no transaction is open");
    rc = ew__sqlite_exec(c, "ROLLBACK");
    ew__sqlite_discard(c);              /* series and tables made inside it are gone */
    return rc;
}

const struct ew_store_backend ew__store_sqlite = {
    .scheme = "sqlite",
    .open = sqlite_open,
    .close = sqlite_close,
    .errmsg = sqlite_errmsg,
    .schema_version = sqlite_schema_version,
    .data_version = sqlite_data_version,
    .checkpoint = sqlite_checkpoint,
    .begin = sqlite_begin,
    .commit = sqlite_commit,
    .rollback = sqlite_rollback,
    .point_put = ew__sqlite_point_put,
    .point_get = ew__sqlite_point_get,
    .point_remove = ew__sqlite_point_remove,
    .point_each = ew__sqlite_point_each,
    .reading_put = ew__sqlite_reading_put,
    .reading_each = ew__sqlite_reading_each,
    .latest_each = ew__sqlite_latest_each,
    .reading_prune = ew__sqlite_reading_prune,
    .journal_put = ew__sqlite_journal_put,
    .journal_each = ew__sqlite_journal_each,
    .journal_prune = ew__sqlite_journal_prune,
    .pending_touch = ew__sqlite_pending_touch,
    .pending_each = ew__sqlite_pending_each,
    .pending_remove = ew__sqlite_pending_remove,
    .pending_approve = ew__sqlite_pending_approve,
    .conn_open = ew__sqlite_conn_open,
    .conn_identify = ew__sqlite_conn_identify,
    .conn_close = ew__sqlite_conn_close,
    .conn_close_all = ew__sqlite_conn_close_all,
    .conn_each = ew__sqlite_conn_each,
    .air_put = ew__sqlite_air_put,
    .air_get = ew__sqlite_air_get,
    .air_each = ew__sqlite_air_each,
    .air_days_missing = ew__sqlite_air_days_missing,
    .air_alert_state = ew__sqlite_air_alert_state,
    .air_alert_record = ew__sqlite_air_alert_record,
    .air_alert_each = ew__sqlite_air_alert_each,
    .air_alert_changes = ew__sqlite_air_alert_changes,
    .air_target_put = ew__sqlite_air_target_put,
    .air_target_get = ew__sqlite_air_target_get,
    .alarm_open = ew__sqlite_alarm_open,
    .alarm_find = ew__sqlite_alarm_find,
    .alarm_get = ew__sqlite_alarm_get,
    .alarm_update = ew__sqlite_alarm_update,
    .alarm_transition = ew__sqlite_alarm_transition,
    .alarm_each = ew__sqlite_alarm_each,
    .alarm_history_each = ew__sqlite_alarm_history_each,
    .alarm_notice_put = ew__sqlite_alarm_notice_put,
    .alarm_notice_each = ew__sqlite_alarm_notice_each,
    .alarm_notice_remove = ew__sqlite_alarm_notice_remove,
    .source_limits_set = ew__sqlite_source_limits_set,
    .source_limit_each = ew__sqlite_source_limit_each,
    .ledger_item_add = ew__sqlite_ledger_item_add,
    .ledger_item_update = ew__sqlite_ledger_item_update,
    .ledger_item_get = ew__sqlite_ledger_item_get,
    .ledger_item_find = ew__sqlite_ledger_item_find,
    .ledger_item_each = ew__sqlite_ledger_item_each,
    .ledger_item_count = ew__sqlite_ledger_item_count,
    .ledger_event_add = ew__sqlite_ledger_event_add,
    .ledger_event_each = ew__sqlite_ledger_event_each,
    .ledger_file_add = ew__sqlite_ledger_file_add,
    .ledger_file_each = ew__sqlite_ledger_file_each,
    .ledger_file_find = ew__sqlite_ledger_file_find,
    .ledger_link_add = ew__sqlite_ledger_link_add,
    .ledger_link_each = ew__sqlite_ledger_link_each,
    .ledger_link_find = ew__sqlite_ledger_link_find,
    .ledger_patrol_add = ew__sqlite_ledger_patrol_add,
    .ledger_patrol_each = ew__sqlite_ledger_patrol_each,
    .ledger_reach_put = ew__sqlite_ledger_reach_put,
    .ledger_reach_get = ew__sqlite_ledger_reach_get,
    .ledger_reach_each = ew__sqlite_ledger_reach_each,
    .ledger_kv_put = ew__sqlite_ledger_kv_put,
    .ledger_kv_get = ew__sqlite_ledger_kv_get,
    .ledger_dir = ew__sqlite_ledger_dir,
    .user_add = ew__sqlite_user_add,
    .user_update = ew__sqlite_user_update,
    .user_get = ew__sqlite_user_get,
    .user_each = ew__sqlite_user_each,
    .user_login_failed = ew__sqlite_user_login_failed,
    .user_login_ok = ew__sqlite_user_login_ok,
    .session_put = ew__sqlite_session_put,
    .session_find = ew__sqlite_session_find,
    .session_remove = ew__sqlite_session_remove,
    .session_remove_user = ew__sqlite_session_remove_user,
    .session_prune = ew__sqlite_session_prune,
    .token_put = ew__sqlite_token_put,
    .token_find = ew__sqlite_token_find,
    .token_get = ew__sqlite_token_get,
    .token_each = ew__sqlite_token_each,
    .token_revoke = ew__sqlite_token_revoke,
    .audit_put = ew__sqlite_audit_put,
    .audit_each = ew__sqlite_audit_each,
    .audit_verify = ew__sqlite_audit_verify,
};
