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

int  ew_store_open(const char *location, int flags, struct ew_store **out);
void ew_store_close(struct ew_store *s);                /* NULL is a no-op */
const char *ew_store_errmsg(const struct ew_store *s);  /* last error text; never NULL */
int  ew_store_schema_version(struct ew_store *s, int *version);

/* Transactions: a batch of writes is one transaction (BEGIN IMMEDIATE for SQLite). */
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

int ew_store_point_put(struct ew_store *s, struct ew_point *p);     /* upsert by mn; sets id */
int ew_store_point_get(struct ew_store *s, const char *mn, struct ew_point *out);
int ew_store_point_remove(struct ew_store *s, const char *mn);      /* EW_ENOTFOUND if absent */
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

/*
 * Stores r idempotently by (point, kind, time, factor): a reading already stored is left as
 * it is and *inserted is 0 (a re-sent packet changes nothing). Updates the latest-value table
 * when the reading is newer than what it holds.
 */
int ew_store_reading_put(struct ew_store *s, const struct ew_reading *r, int *inserted);

struct ew_reading_query {
    int64_t     point_id;
    int         kind;
    int64_t     from_unix_s, to_unix_s; /* inclusive */
    const char *factor;                 /* NULL: all factors */
    size_t      limit;                  /* 0: no limit */
};

/* Calls fn for each matching reading ordered by time then factor. */
int ew_store_reading_each(struct ew_store *s, const struct ew_reading_query *q,
                          int (*fn)(void *ctx, const struct ew_reading *r), void *ctx);
/* Latest reading of every factor of a point (point_id 0: of all points), any kind. */
int ew_store_latest_each(struct ew_store *s, int64_t point_id,
                         int (*fn)(void *ctx, const struct ew_reading *r), void *ctx);

/* Deletes real-time readings older than before_unix_s; *deleted counts rows. */
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

int ew_store_journal_put(struct ew_store *s, const struct ew_journal_entry *e);
struct ew_journal_query {
    const char *mn;                     /* NULL: any */
    int64_t     from_ms, to_ms;
    size_t      limit;
};
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
int ew_store_pending_touch(struct ew_store *s, const char *mn, const char *st, const char *peer,
                           int64_t t_ms);
int ew_store_pending_each(struct ew_store *s,
                          int (*fn)(void *ctx, const struct ew_pending *p), void *ctx);
int ew_store_pending_remove(struct ew_store *s, const char *mn);

/* Connection history: one row per connection, closed_ms 0 while open. */
int ew_store_conn_open(struct ew_store *s, const char *peer, int64_t t_ms, int64_t *conn_id);
int ew_store_conn_identify(struct ew_store *s, int64_t conn_id, const char *mn);
int ew_store_conn_close(struct ew_store *s, int64_t conn_id, int64_t t_ms, const char *reason);

#endif
