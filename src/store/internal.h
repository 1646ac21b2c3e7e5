/* SPDX-License-Identifier: MIT */
/*
 * Inside the store module: the front's argument checks (point.c) and what the files of the
 * SQLite backend share (sqlite*.c). Nothing here is visible outside src/store/.
 */
#ifndef EW_STORE_INTERNAL_H
#define EW_STORE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include <envwatch/store.h>

#include "util/buf.h"

#define EW_STORE_MN_MAX 32              /* longest MN or PW the registry holds */

/* point.c: checks shared by the front and the backends. */
#define EW__STORE_MN_BANNED ";=&,"      /* HJ 212 separators: never inside MN or PW */
#define EW__STORE_CODE_BANNED ";=&,-"   /* factor codes and flags: "-" splits a CP key */

int ew__store_kind_valid(int kind);                     /* one of enum ew_data_kind */
/* 1 when s holds 1..size-1 printable ASCII characters, no space and none of banned. */
int ew__store_token_valid(const char *s, size_t size, const char *banned);
/* Copies src into dst[size], cutting at size-1 bytes (only on a UTF-8 boundary). */
void ew__store_copy(char *dst, size_t size, const char *src);

/* ---- the SQLite backend ----------------------------------------------------------------- */

/* Cached prepared statements, one slot each; prepared on first use, kept until close. */
enum ew__sqlite_stmt_id {
    SQ_POINT_PUT, SQ_POINT_GET, SQ_POINT_REMOVE, SQ_POINT_EACH,
    SQ_POINT_LIVE, SQ_LATEST_GET, SQ_LATEST_PUT,
    SQ_TABLES, SQ_DATA_VERSION, SQ_SCHEMA_VERSION,
    SQ_JOURNAL_PUT, SQ_JOURNAL_ALL_ASC, SQ_JOURNAL_ALL_DESC, SQ_JOURNAL_MN_ASC,
    SQ_JOURNAL_MN_DESC, SQ_JOURNAL_PRUNE,
    SQ_PENDING_UPDATE, SQ_PENDING_COUNT, SQ_PENDING_INSERT, SQ_PENDING_EACH, SQ_PENDING_REMOVE,
    SQ_CONN_OPEN, SQ_CONN_IDENTIFY, SQ_CONN_CLOSE, SQ_CONN_CLOSE_ALL, SQ_CONN_ALL_ASC,
    SQ_CONN_ALL_DESC, SQ_CONN_MN_ASC, SQ_CONN_MN_DESC,
    SQ_AIR_PUT, SQ_AIR_GET, SQ_AIR_EACH_ALL, SQ_AIR_EACH_ALL_DESC, SQ_AIR_EACH_ONE,
    SQ_AIR_EACH_ONE_DESC,               /* sqlite_air.c: the hot path of the air hook */
    SQ_N
};

/* A small open-addressing map (point, kind, factor) -> value, kept in the handle so the hot
 * path needs no lookup query: series ids (kind set) and the newest data time stored in the
 * latest-value table (kind 0). */
struct ew__sqlite_key {
    int64_t  point_id, val;
    int      kind, used;
    uint32_t gen, pend;                 /* latest map: row pend-1 of batch gen is pending */
    char     factor[17];
};

struct ew__sqlite_map {
    struct ew__sqlite_key *v;           /* cap is a power of two */
    size_t cap, n;
};

/* The statements of one month's table of one kind, kept for the months being written:
 * the row's write (INSERT OR REPLACE) and its read by key. */
struct ew__sqlite_month {
    sqlite3_stmt *ins, *get;
    int           kind, yyyymm;
    unsigned      used;                 /* clock of the last use, for eviction */
};

#define EW__SQLITE_MONTHS 8

/*
 * Statements prepared once per handle and kept by their SQL text, for the domain files
 * (air, alarms, ledger, auth) whose statements are many and built from fragments: prepared
 * with ew__sqlite_prep, given back with ew__sqlite_release (reset, bindings cleared), so a
 * hot path pays no SQL parsing. A statement already in use is prepared afresh and finalized
 * on release.
 */
#define EW__SQLITE_SQL_CACHE 128
struct ew__sqlite_cached {
    char         *sql;
    sqlite3_stmt *st;
    int           busy;
};

/* A point's latest-value row as the handle last read or wrote it (the flush merges into it
 * without reading it back). */
struct ew__sqlite_lrow {
    struct ew_reading *v;
    size_t             n;
};

/*
 * The journal's frames (sqlite_journal.c): the bytes of every frame go to one append-only
 * file per CST day of receipt, <store>/journal/YYYYMMDD.raw, and the journal table keeps
 * where (day, off, len). A batch's bytes are gathered here and written with one write()
 * before its COMMIT, so a committed row never points past what was written; bytes written
 * for a batch that then rolls back are left in the file, unreferenced.
 */
struct ew__sqlite_jfile {
    char   *dir;                        /* <store>/journal */
    int     fd, day;                    /* the day file open for appending (-1: none) */
    int64_t size;                       /* its length: where pending bytes will start */
    struct ew_buf pending;              /* bytes not yet written */
    int     sync;                       /* fdatasync before COMMIT (synchronous=FULL) */
};

/* The packed reading row being filled (readrow.h): the readings of one point, kind and
 * data time, sorted by factor, written at the next flush. */
struct ew__sqlite_row {
    int64_t            point_id, t;
    int                kind, open, dirty;
    sqlite3_stmt      *ins;             /* of the row's month (c->month keeps it alive) */
    struct ew_reading *v;
    size_t             n, cap;
};

struct ew__sqlite {
    sqlite3      *db;
    int           rdonly;
    int           ckpt_owner;           /* this handle runs the checkpoints */
    int           lock_fd;              /* holds the checkpoint lock; -1 when not owner */
    char          errmsg[256];
    int           data_version;         /* PRAGMA data_version when the caches were filled */
    sqlite3_stmt *stmt[SQ_N];
    struct ew__sqlite_map series;       /* (point, 0, "") -> 1: the point takes readings */
    struct ew__sqlite_map latest;       /* (point, 0, factor) -> newest t in latest */
    struct ew_reading *pend;            /* latest values to write at commit, one per key */
    size_t        pend_n, pend_cap;
    uint32_t      gen;                  /* batch generation of the pending rows, never 0 */
    struct ew__sqlite_month month[EW__SQLITE_MONTHS];
    struct ew__sqlite_row row;          /* the reading row of the current packet */
    struct ew__sqlite_lrow *lrow;       /* latest rows, by index from the latest map's */
    size_t        lrow_n, lrow_cap;     /* point entries (val - 2); lrow_total readings */
    size_t        lrow_total;
    char        (*tab)[16];             /* the month tables v*, by name, while schema_version */
    size_t        tab_n, tab_cap;       /* is tab_cookie (a query needs no schema scan) */
    int           tab_cookie, tab_valid;
    unsigned      clock;
    struct ew__sqlite_cached sqlc[EW__SQLITE_SQL_CACHE];   /* statements by SQL text */
    struct ew__sqlite_jfile jf;
};

/* sqlite.c: statements, errors and transactions. */
int  ew__sqlite_stmt(struct ew__sqlite *c, enum ew__sqlite_stmt_id id, const char *sql,
                     sqlite3_stmt **out);
/* Turns a SQLite result code into an ew_err, keeping "what: sqlite's message" in errmsg. */
int  ew__sqlite_fail(struct ew__sqlite *c, int sqlite_rc, const char *what);
int  ew__sqlite_say(struct ew__sqlite *c, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int  ew__sqlite_exec(struct ew__sqlite *c, const char *sql);
/* A statement for sql from the handle's cache (prepared on first use); EW_OK or a failure
 * with errmsg set. Give it back with ew__sqlite_release. */
int  ew__sqlite_prep(struct ew__sqlite *c, const char *sql, sqlite3_stmt **st);
void ew__sqlite_release(struct ew__sqlite *c, sqlite3_stmt *st);
/* Steps a statement that returns no rows, then releases it. */
int  ew__sqlite_run_once(struct ew__sqlite *c, sqlite3_stmt *st, const char *what);
/* Steps a statement that returns no rows, then resets it. */
int  ew__sqlite_run(struct ew__sqlite *c, sqlite3_stmt *st, const char *what);
/* Opens a transaction of its own (BEGIN IMMEDIATE) or, inside the caller's, a savepoint;
 * leave commits or releases on rc == EW_OK and undoes otherwise, returning the final code. */
int  ew__sqlite_tx_enter(struct ew__sqlite *c, int *mode);
int  ew__sqlite_tx_leave(struct ew__sqlite *c, int mode, int rc);
/* Opens a read transaction when none is open, so a multi-statement read sees one snapshot. */
int  ew__sqlite_read_enter(struct ew__sqlite *c, int *mode);
void ew__sqlite_read_leave(struct ew__sqlite *c, int mode);
/* Drops the caches, the month statements and an unwritten reading row (flush first to
 * keep it). */
void ew__sqlite_latest_forget(struct ew__sqlite *c);
void ew__sqlite_forget(struct ew__sqlite *c);
/* After a rollback: drops the pending latest values too. */
void ew__sqlite_discard(struct ew__sqlite *c);
/* Drops the caches when another connection has committed since they were filled (the CLI
 * removed a point, say). Called at the start of every write transaction. */
int  ew__sqlite_sync(struct ew__sqlite *c);
/* A text column as a C string ("" for NULL). */
const char *ew__sqlite_text(sqlite3_stmt *st, int col);
double ew__sqlite_real(sqlite3_stmt *st, int col);      /* NAN for NULL */
void ew__sqlite_bind_real(sqlite3_stmt *st, int col, double v);     /* NAN binds NULL */

/* sqlite_schema.c: versioned migrations. */
int ew__sqlite_schema_latest(void);
/* Applies steps[v..n) where v is the database's user_version, in one transaction, and sets
 * user_version to n. EW_ESTATE when the database is newer than n. */
int ew__sqlite_migrate(sqlite3 *db, const char *const *steps, int n, char *err, size_t len);
int ew__sqlite_migrate_latest(sqlite3 *db, char *err, size_t len);

/* sqlite_point.c */
int ew__sqlite_point_put(void *ctx, struct ew_point *p);
int ew__sqlite_point_get(void *ctx, const char *mn, struct ew_point *out);
int ew__sqlite_point_remove(void *ctx, const char *mn);
int ew__sqlite_point_each(void *ctx, int (*fn)(void *, const struct ew_point *), void *fn_ctx);
int ew__sqlite_pending_touch(void *ctx, const char *mn, const char *st, const char *peer,
                             int64_t t_ms);
int ew__sqlite_pending_each(void *ctx, int (*fn)(void *, const struct ew_pending *),
                            void *fn_ctx);
int ew__sqlite_pending_remove(void *ctx, const char *mn);
int ew__sqlite_pending_approve(void *ctx, struct ew_point *p);

/* sqlite_reading.c */
int ew__sqlite_reading_put(void *ctx, const struct ew_reading *r, int *inserted);
int ew__sqlite_reading_each(void *ctx, const struct ew_reading_query *q,
                            int (*fn)(void *, const struct ew_reading *), void *fn_ctx);
int ew__sqlite_latest_each(void *ctx, int64_t point_id,
                           int (*fn)(void *, const struct ew_reading *), void *fn_ctx);
int ew__sqlite_reading_prune(void *ctx, int kind, int64_t before_unix_s, int64_t *deleted);
void ew__sqlite_map_clear(struct ew__sqlite_map *m);
/* Writes the pending reading row and latest values (before a commit, a savepoint or a
 * query of readings). */
int  ew__sqlite_flush(struct ew__sqlite *c);
/* Converts reading tables of the first layout (one row per factor) to packed rows; run by
 * the writer when it opens the store. */
int  ew__sqlite_readings_upgrade(struct ew__sqlite *c);

/* sqlite_journal.c: the raw journal and the connection history. */
int ew__sqlite_journal_put(void *ctx, const struct ew_journal_entry *e);
int ew__sqlite_journal_each(void *ctx, const struct ew_journal_query *q,
                            int (*fn)(void *, const struct ew_journal_entry *), void *fn_ctx);
int ew__sqlite_journal_prune(void *ctx, int64_t before_ms, int64_t *deleted);
int  ew__sqlite_jfile_init(struct ew__sqlite *c, const char *store_dir, int sync);
int  ew__sqlite_jfile_flush(struct ew__sqlite *c);     /* before every COMMIT */
void ew__sqlite_jfile_discard(struct ew__sqlite *c);   /* the batch rolled back */
void ew__sqlite_jfile_close(struct ew__sqlite *c);
int ew__sqlite_conn_open(void *ctx, const char *peer, int64_t t_ms, int64_t *conn_id);
int ew__sqlite_conn_identify(void *ctx, int64_t conn_id, const char *mn);
int ew__sqlite_conn_close(void *ctx, int64_t conn_id, int64_t t_ms, const char *reason);
int ew__sqlite_conn_close_all(void *ctx, int64_t t_ms, const char *reason, int64_t *closed);
int ew__sqlite_conn_each(void *ctx, const struct ew_conn_query *q,
                         int (*fn)(void *, const struct ew_conn *), void *fn_ctx);

#endif
