/* SPDX-License-Identifier: MIT */
/*
 * The store: the registry of monitoring points, readings, latest values, the raw packet
 * journal, pending (unregistered) instruments and connection history.
 *
 * One handle is one database connection. The daemon opens exactly one writable handle, owned
 * by the writer thread (DESIGN.md "One writer": it also runs all checkpoints), and any number
 * of read-only handles for HTTP threads. A handle is used by one thread at a time.
 *
 * The front (src/store/store.c) dispatches to a backend by the scheme of the location:
 * "sqlite:DIR" or a plain directory path selects the embedded SQLite backend (file
 * DIR/envwatch.db, WAL mode); "postgres:conninfo" is reserved for the PostgreSQL backend.
 * Callers never see which backend runs.
 *
 * Errors: EW_OK or a negative ew_err; ew_store_errmsg() keeps the backend's own text.
 */
#ifndef EW_STORE_H
#define EW_STORE_H

#include <stddef.h>
#include <stdint.h>

struct ew_store;

#define EW_STORE_RDONLY 0x01            /* open read-only (HTTP threads, reports) */
#define EW_STORE_CREATE 0x02            /* create the database and folder when absent */
/*
 * A writable handle owns the checkpoints when no other handle does (an advisory lock on
 * DIR/envwatch.db.ckpt decides, so a CLI writing beside the daemon never checkpoints).
 * With EW_STORE_CHECKPOINTER the open fails with EW_EBUSY instead when another handle owns
 * them: the daemon's writer uses it, so two daemons cannot share one store.
 */
#define EW_STORE_CHECKPOINTER 0x04

/*
 * Opens the store at location. Returns EW_OK and sets *out; EW_EINVAL for an unknown or
 * unbuilt scheme; EW_ENOTFOUND when there is no store and EW_STORE_CREATE is not given;
 * EW_ESTATE when the schema is newer than this program, or older on a read-only open (a
 * writable open migrates it); EW_EBUSY, EW_EIO otherwise.
 */
int  ew_store_open(const char *location, int flags, struct ew_store **out);
void ew_store_close(struct ew_store *s);                /* NULL is a no-op */
const char *ew_store_errmsg(const struct ew_store *s);  /* last error text; never NULL */
int  ew_store_schema_version(struct ew_store *s, int *version);

/* Settings of a handle; zero means the default everywhere. */
struct ew_store_config {
    int flags;                          /* EW_STORE_RDONLY | EW_STORE_CREATE | ... */
    int sync_full;                      /* 1: synchronous=FULL, commits survive power loss;
                                           0: NORMAL, commits survive a crash of the process */
    int busy_timeout_ms;                /* wait for a lock this long (default 5000) */
    int autocheckpoint_pages;           /* checkpoint owner only: checkpoint after a commit
                                           when the WAL holds this many pages (default
                                           10000); -1: never, call ew_store_checkpoint */
    int cache_kib;                      /* page cache per handle (default 65536 for a
                                           writable handle, 8192 for a read-only one) */
};

/* ew_store_open with settings; on failure a message goes to errmsg[0..errmsg_len) when
 * errmsg is not NULL (the reason an open failed: no handle exists to ask). */
int ew_store_open_config(const char *location, const struct ew_store_config *cfg,
                         struct ew_store **out, char *errmsg, size_t errmsg_len);

/* Moves committed pages from the WAL into the database file: truncate 0 is a passive
 * checkpoint (never waits for readers), 1 waits for readers and empties the WAL. Only on the
 * handle that owns checkpoints (EW_ESTATE otherwise). *wal_pages (may be NULL) is the WAL's
 * size in pages before the checkpoint. */
int ew_store_checkpoint(struct ew_store *s, int truncate, int *wal_pages);

/* A counter that changes when another handle or process has committed a change since this
 * handle last looked (the daemon reloads its registry when the CLI edits it). Its own commits
 * do not change it. */
int ew_store_data_version(struct ew_store *s, int *version);

/*
 * Transactions: a batch of writes is one transaction (BEGIN IMMEDIATE for SQLite).
 * EW_ESTATE when begin is called inside a transaction, or commit/rollback outside one.
 * Write calls outside a transaction each commit on their own. When a call fails inside a
 * transaction the transaction stays open; what the failed call wrote is undone only for
 * point, pending and connection calls, so roll a batch back when a reading fails for a
 * reason other than EW_EINVAL/EW_ENOTFOUND (refused before any write).
 */
int ew_store_begin(struct ew_store *s);
int ew_store_commit(struct ew_store *s);
int ew_store_rollback(struct ew_store *s);

/* ---- registry ------------------------------------------------------------------------------ */

/* Kinds of monitoring point (DESIGN.md: air station, water section, outlets, plants, dust). */
#define EW_POINT_KINDS(X)                                                                      \
    X(AIR, "air")               /* ambient air station, ST=22 */                                \
    X(WATER, "water")           /* surface-water section, ST=21 */                              \
    X(FLUE, "flue")             /* stack CEMS, ST=31 */                                         \
    X(WASTEWATER, "wastewater") /* enterprise wastewater outlet, ST=32 */                       \
    X(SEWAGE, "sewage")         /* municipal sewage plant outlet, ST=32 */                      \
    X(DUST, "dust")             /* construction-site dust monitor, ST=39 */                     \
    X(FUME, "fume")             /* restaurant fume monitor */

struct ew_point {
    int64_t id;                         /* assigned by the store */
    char    mn[33];                     /* HJ 212 MN: the identity */
    char    pw[33];                     /* HJ 212 PW; never logged, never exported */
    char    name[129];
    char    kind[17];                   /* one of EW_POINT_KINDS' names */
    char    site[129];                  /* station, section or enterprise name */
    char    county[49];                 /* 城区 矿区 郊区 平定县 盂县 开发区 ... */
    double  lat, lon;                   /* WGS84 degrees; NAN when unknown */
    char    extra[1025];                /* JSON object of further attributes ("{}" if none) */
    int64_t created_unix_s;
};

/* Sets every field to "unknown": empty strings, lat/lon NAN, extra "{}", id 0. */
void ew_point_init(struct ew_point *p);
/* 1 when kind is one of EW_POINT_KINDS' names, else 0. */
int  ew_point_kind_valid(const char *kind);
/*
 * Checks a point before it is stored: MN and PW 1-32 printable ASCII characters without
 * spaces or the HJ 212 separators ; = & , ; a name; a known kind; lat in [-90, 90] and lon in
 * [-180, 180] (or both NAN); extra a JSON object. Returns EW_OK or EW_EINVAL with the reason
 * in why[0..why_len) (why may be NULL). Pure function; thread-safe.
 */
int  ew_point_check(const struct ew_point *p, char *why, size_t why_len);

/*
 * Upsert by mn (checked with ew_point_check first: EW_EINVAL). Sets p->id and, for a new
 * point, p->created_unix_s (the current time when 0). A removed point with the same MN comes
 * back with its old id, so its history stays attached.
 */
int ew_store_point_put(struct ew_store *s, struct ew_point *p);
int ew_store_point_get(struct ew_store *s, const char *mn, struct ew_point *out);
/* Takes the point out of the registry (its packets become "unknown-mn"); its readings stay
 * stored as evidence. EW_ENOTFOUND if absent. */
int ew_store_point_remove(struct ew_store *s, const char *mn);
/* Calls fn for each point ordered by mn; a non-zero return from fn stops and is returned. */
int ew_store_point_each(struct ew_store *s, int (*fn)(void *ctx, const struct ew_point *p),
                        void *ctx);

/* ---- readings -------------------------------------------------------------------------------- */

/* Data kinds: the HJ 212 CN of the upload. */
enum ew_data_kind {
    EW_KIND_RTD = 2011,                 /* real-time */
    EW_KIND_MINUTE = 2051,
    EW_KIND_HOUR = 2061,
    EW_KIND_DAY = 2031,
};

/*
 * One factor's values at one data time. Missing values are NAN. For real-time data value is
 * Rtd and zs is ZsRtd; for period data value is Avg, zs is ZsAvg, min/max/cou as sent.
 */
struct ew_reading {
    int64_t point_id;
    int     kind;                       /* enum ew_data_kind */
    int64_t t_unix_s;                   /* DataTime (period start) as a UTC instant */
    char    factor[17];                 /* HJ 212 factor code, e.g. a34004 */
    double  value, min, max, cou, zs;
    char    flag[5];                    /* data flag (N F M S D C T B ...), "" when absent */
};

/* Data times the store accepts: 2000-01-01T00:00 to 2099-12-31T23:59:59 CST. */
#define EW_STORE_T_MIN_UNIX_S 946656000LL
#define EW_STORE_T_MAX_UNIX_S 4102415999LL

/*
 * Stores r idempotently by (point, kind, time, factor): a reading already stored is left as
 * it is and *inserted is 0 (a re-sent packet changes nothing). Updates the latest-value table
 * when the reading is newer than what it holds (strictly newer data time; on a tie the value
 * already there stays). EW_EINVAL for a bad kind, factor code (1-16 printable characters),
 * flag or a time outside the range above; EW_ENOTFOUND for an unknown or removed point.
 */
int ew_store_reading_put(struct ew_store *s, const struct ew_reading *r, int *inserted);

struct ew_reading_query {
    int64_t     point_id;
    int         kind;
    int64_t     from_unix_s, to_unix_s; /* inclusive; to 0: no upper bound */
    const char *factor;                 /* NULL: all factors */
    size_t      limit;                  /* 0: no limit */
};

/* Calls fn for each matching reading ordered by time then factor; a non-zero return from fn
 * stops and is returned (so in every *_each below). */
int ew_store_reading_each(struct ew_store *s, const struct ew_reading_query *q,
                          int (*fn)(void *ctx, const struct ew_reading *r), void *ctx);
/* Latest reading of every factor of a point (point_id 0: of all points), any kind. */
int ew_store_latest_each(struct ew_store *s, int64_t point_id,
                         int (*fn)(void *ctx, const struct ew_reading *r), void *ctx);

/* Deletes readings of one kind older than before_unix_s; *deleted counts rows. Whole months
 * go at the cost of dropping a table (readings are kept in one table per kind and month). */
int ew_store_reading_prune(struct ew_store *s, int kind, int64_t before_unix_s, int64_t *deleted);

/* ---- raw journal, pending instruments, connections ----------------------------------------- */

struct ew_journal_entry {
    int64_t     id;
    int64_t     t_recv_ms;              /* receive time, Unix milliseconds */
    const char *peer;                   /* "ip:port" */
    const char *mn;                     /* NULL when unknown */
    const char *verdict;                /* "stored", "duplicate", "unknown-mn", "bad-pw",
                                           "bad-crc", "frame", ... */
    const void *bytes;
    size_t      len;
};

#define EW_STORE_FRAME_MAX 65536        /* longest byte string one journal entry holds */

/* Appends e (e->id is ignored). peer and verdict are required; EW_ETOOBIG past the limit. */
int ew_store_journal_put(struct ew_store *s, const struct ew_journal_entry *e);
struct ew_journal_query {
    const char *mn;                     /* NULL: any */
    int64_t     from_ms, to_ms;         /* inclusive; to_ms 0: no upper bound */
    size_t      limit;                  /* 0: no limit */
    int         newest_first;           /* 0: oldest first */
};
/* The entry's pointers are valid only during the call of fn. */
int ew_store_journal_each(struct ew_store *s, const struct ew_journal_query *q,
                          int (*fn)(void *ctx, const struct ew_journal_entry *e), void *ctx);
int ew_store_journal_prune(struct ew_store *s, int64_t before_ms, int64_t *deleted);

/* An instrument whose MN is not registered: first/last seen, peer, packet count. */
struct ew_pending {
    char    mn[33];
    char    peer[64];
    char    st[8];
    int64_t first_ms, last_ms, packets;
};
#define EW_STORE_PENDING_MAX 10000      /* distinct pending MNs kept (a flood is refused) */

/* Records a packet of an unregistered MN (st and peer may be ""). EW_ETOOBIG when the MN is
 * new and EW_STORE_PENDING_MAX are already pending. */
int ew_store_pending_touch(struct ew_store *s, const char *mn, const char *st, const char *peer,
                           int64_t t_ms);
/* Ordered by last_ms, most recent first. */
int ew_store_pending_each(struct ew_store *s,
                          int (*fn)(void *ctx, const struct ew_pending *p), void *ctx);
int ew_store_pending_remove(struct ew_store *s, const char *mn);   /* EW_ENOTFOUND if absent */
/* Turns the pending instrument p->mn into the point p and takes it off the pending list, in
 * one step. EW_ENOTFOUND when p->mn is not pending, EW_EINVAL as ew_store_point_put. */
int ew_store_pending_approve(struct ew_store *s, struct ew_point *p);

/* Connection history: one row per connection, closed_ms 0 while open. */
int ew_store_conn_open(struct ew_store *s, const char *peer, int64_t t_ms, int64_t *conn_id);
int ew_store_conn_identify(struct ew_store *s, int64_t conn_id, const char *mn);
int ew_store_conn_close(struct ew_store *s, int64_t conn_id, int64_t t_ms, const char *reason);
/* Closes every connection still marked open (at daemon start, after a crash); *closed
 * (may be NULL) counts them. */
int ew_store_conn_close_all(struct ew_store *s, int64_t t_ms, const char *reason,
                            int64_t *closed);

struct ew_conn {
    int64_t     id;
    const char *peer;
    const char *mn;                     /* NULL until identified */
    int64_t     opened_ms, closed_ms;   /* closed_ms 0 while open */
    const char *reason;                 /* NULL while open */
};
struct ew_conn_query {
    const char *mn;                     /* NULL: any */
    int64_t     from_ms, to_ms;         /* opened in [from, to]; to_ms 0: no upper bound */
    int         open_only;
    size_t      limit;                  /* 0: no limit */
    int         newest_first;
};
/* The connection's pointers are valid only during the call of fn. */
int ew_store_conn_each(struct ew_store *s, const struct ew_conn_query *q,
                       int (*fn)(void *ctx, const struct ew_conn *c), void *ctx);

#endif
