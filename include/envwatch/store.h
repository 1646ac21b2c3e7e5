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

#include <envwatch/air.h>

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

/* ---- air quality: hourly and daily AQI, heavy-pollution alerts, annual targets ------------ */

/*
 * The air-quality results the daemon computes as data is committed (src/ingest/air_live.c,
 * docs/air.md section 9): one row per (scope, name, period, time). Times are the START of the
 * period, like every reading: an hour row at 08:00 is the 1-hour mean of 08:00-09:00 CST,
 * which the national platform labels 09. A day row is stamped 00:00 CST of its day.
 */
enum ew_air_scope {
    EW_AIR_SCOPE_STATION = 0,           /* one air point; name = its MN */
    EW_AIR_SCOPE_COUNTY = 1,            /* mean of the county's stations; name = the county */
    EW_AIR_SCOPE_CITY = 2,              /* mean of all evaluation stations; name = "" */
};

enum ew_air_period_kind {
    EW_AIR_PERIOD_HOUR = 0,             /* real-time AQI (HJ 633, the platform's rule) */
    EW_AIR_PERIOD_DAY = 1,              /* daily values (HJ 663) and daily AQI */
};

#define EW_AIR_NAME_MAX 48              /* longest name (a county's, in bytes) */

struct ew_air_row {
    int     scope;                      /* enum ew_air_scope */
    char    name[EW_AIR_NAME_MAX + 1];
    int     period;                     /* enum ew_air_period_kind */
    int64_t t_unix_s;                   /* start of the hour, or 00:00 CST of the day */
    char    county[EW_AIR_NAME_MAX + 1]; /* a station's county ("" when none); a county row:
                                           its own name; the city: "" */
    int     control;                    /* a station row: 1 for a control station (对照点),
                                           left out of the county and city means */
    double  conc[EW_AIR_NITEMS];        /* by enum ew_air_item; NAN = missing or invalid.
                                           hour: the 1-hour values (O3_1H), O3_8H is NAN;
                                           day: the values of struct ew_air_day.
                                           µg/m3, CO mg/m3, rounded as published */
    int     n_valid[EW_AIR_NITEMS];     /* hour: stations with a valid value (0 or 1 for a
                                           station); day: valid hours (O3_8H: valid 8-hour
                                           windows) */
    int     stations;                   /* stations in the mean (1 for a station row) */
    struct ew_aqi_result aqi;           /* aqi.aqi = -1 when no item was valid (then level 0,
                                           every iaqi -1, no primary or exceeding item) */
    int64_t computed_unix_s;            /* when the row was last computed */
};

/* Fills r with "nothing": concentrations NAN, counts 0, aqi -1, iaqi -1, strings "". */
void ew_air_row_init(struct ew_air_row *r);

/*
 * Stores r, replacing the row of the same (scope, name, period, time). EW_EINVAL for a bad
 * scope or period, a name that does not fit its scope (a station's is an MN, the city's ""),
 * a time not at the start of its hour or day or outside the store's range, a negative or
 * infinite concentration, or an AQI/level out of range.
 */
int ew_store_air_put(struct ew_store *s, const struct ew_air_row *r);
/* The row of (scope, name, period, t); EW_ENOTFOUND when there is none. */
int ew_store_air_get(struct ew_store *s, int scope, const char *name, int period,
                     int64_t t_unix_s, struct ew_air_row *out);

struct ew_air_query {
    int         scope;                  /* enum ew_air_scope */
    const char *name;                   /* NULL: every name of the scope */
    int         period;                 /* enum ew_air_period_kind */
    int64_t     from_unix_s, to_unix_s; /* inclusive; to 0: no upper bound */
    size_t      limit;                  /* 0: no limit */
    int         newest_first;           /* 0: ordered by time then name */
};

/* Calls fn for each matching row; the row is valid only during the call. fn may call other
 * store functions on the handle, but not ew_store_air_each again (the search is a cached
 * statement, as in ew_store_reading_each). */
int ew_store_air_each(struct ew_store *s, const struct ew_air_query *q,
                      int (*fn)(void *ctx, const struct ew_air_row *r), void *ctx);

/*
 * Calls fn(ctx, scope, name, day_unix_s) for each day that has hour rows in
 * [from_unix_s, to_unix_s) but no day row yet, ordered by day, scope, name (the daemon's
 * day-end pass: days whose last hour never came).
 */
int ew_store_air_days_missing(struct ew_store *s, int64_t from_unix_s, int64_t to_unix_s,
                              int (*fn)(void *ctx, int scope, const char *name,
                                        int64_t day_unix_s),
                              void *ctx);

/* A heavy-pollution alert: from its start to its end, with the level it had. */
struct ew_air_alert_rec {
    int64_t id;
    int     scope;                      /* the alert's area (the daemon issues city alerts) */
    char    name[EW_AIR_NAME_MAX + 1];
    int     level;                      /* current level (enum ew_air_alert_level); NONE
                                           once ended */
    int     max_level;                  /* highest level it reached */
    int64_t start_unix_s, end_unix_s;   /* end 0 while the alert is on */
};

/* One change of an alert's level (start, raise, lower, end). */
struct ew_air_alert_change {
    int64_t id, alert_id;
    int     kind;                       /* enum ew_air_alert_event_kind */
    int     from_level, to_level;
    int64_t t_unix_s;                   /* when it took effect */
    int64_t day_unix_s;                 /* the day whose daily AQI decided it (00:00 CST) */
    int     aqi;                        /* that day's AQI; -1 when unknown */
};

/* The alert state of an area and the last day evaluated; EW_ENOTFOUND before the first
 * evaluation. */
int ew_store_air_alert_state(struct ew_store *s, int scope, const char *name,
                             struct ew_air_alert_state *st, int64_t *day_unix_s);
/*
 * Records the evaluation of day_unix_s in one step: the new state and, when ch->kind is not
 * EW_ALERT_EV_NONE, the change (a START opens a new alert, END closes the open one, RAISE
 * and LOWER change its level). ch->id and ch->alert_id are ignored; *alert_id (may be NULL)
 * receives the alert the change belongs to, 0 for none. EW_ESTATE for a RAISE, LOWER or END
 * with no open alert or a START with one open; EW_EINVAL for bad levels or kind.
 */
int ew_store_air_alert_record(struct ew_store *s, int scope, const char *name,
                              const struct ew_air_alert_state *st, int64_t day_unix_s,
                              const struct ew_air_alert_change *ch, int64_t *alert_id);

struct ew_air_alert_query {
    int         scope;
    const char *name;                   /* NULL: any */
    int64_t     from_unix_s, to_unix_s; /* alerts on at some time in [from, to]; to 0: open */
    size_t      limit;                  /* 0: no limit */
};

/* Alerts newest first; the record is valid only during the call. */
int ew_store_air_alert_each(struct ew_store *s, const struct ew_air_alert_query *q,
                            int (*fn)(void *ctx, const struct ew_air_alert_rec *a), void *ctx);
/* The changes of one alert, oldest first. */
int ew_store_air_alert_changes(struct ew_store *s, int64_t alert_id,
                               int (*fn)(void *ctx, const struct ew_air_alert_change *c),
                               void *ctx);

/*
 * Annual targets of the city (struct ew_air_target): year 0 holds the default for every year
 * without targets of its own (the daemon writes its [air] settings there). EW_EINVAL for a
 * negative or infinite value or a year outside 0 and 2000-2099.
 */
int ew_store_air_target_put(struct ew_store *s, int year, const struct ew_air_target *t);
/* The targets of year, or year 0's when it has none; *from_year (may be NULL) tells which.
 * EW_ENOTFOUND when neither exists. */
int ew_store_air_target_get(struct ew_store *s, int year, struct ew_air_target *out,
                            int *from_year);

/* ---- alarms and source limits (src/alarm/ runs the lifecycle; the store keeps it) ---------- */

/* The states of an alarm. Which transition is allowed is decided by src/alarm/; the store only
 * guarantees that one (point, kind, factor) has at most one alarm that is not closed. */
#define EW_ALARM_STATES(X)                                                                     \
    X(OPEN, "open")                                                                            \
    X(ACKNOWLEDGED, "acknowledged")     /* an operator has seen it (确认) */                    \
    X(EXPLAINED, "explained")           /* the enterprise stated the cause (异常申报) */        \
    X(CLOSED, "closed")

enum ew_alarm_state {
    EW_ALARM_STATE_NONE = 0,
#define X(name, str) EW_ALARM_STATE_##name,
    EW_ALARM_STATES(X)
#undef X
};

#define EW_ALARM_BY_MAX 64              /* longest "who" of a history step, bytes */
#define EW_ALARM_NOTE_MAX 1000          /* longest note of a history step, bytes */

struct ew_alarm {
    int64_t id;                         /* assigned by the store */
    int64_t point_id;
    int     kind;                       /* enum ew_alarm_kind of envwatch/emission.h (1..) */
    char    factor[17];                 /* HJ 212 factor code; "" for the point (offline) */
    int     state;                      /* enum ew_alarm_state */
    int     active;                     /* 1 while the condition lasts */
    int64_t start_unix_s;               /* condition: start of the first offending period */
    int64_t end_unix_s;                 /* condition: end of the last offending period; for
                                           offline, when data resumed (0 while offline) */
    int64_t peak_unix_s;                /* start of the worst period */
    double  peak, limit, multiple;      /* as struct ew_alarm_event; NAN when none */
    int64_t count;                      /* offending periods (offline: episodes) counted */
    int64_t opened_ms, last_seen_ms;    /* wall clock: raised, last (re-)triggered */
    int64_t closed_ms;                  /* 0 until closed */
    /* Filled by reads from the registry (ignored on writes): */
    char    mn[33];
    char    point_name[129];
    char    county[49];
};

/* One step of an alarm's history: who moved it to which state, when, and why. */
struct ew_alarm_step {
    int         state;                  /* enum ew_alarm_state */
    const char *by;                     /* 1..EW_ALARM_BY_MAX bytes; "system" for the engine */
    int64_t     at_ms;
    const char *note;                   /* 0..EW_ALARM_NOTE_MAX bytes; NULL is "" */
};

/*
 * Inserts alarm a with state EW_ALARM_STATE_OPEN and its first history step (first->state
 * must be OPEN) in one step; sets a->id. EW_EEXIST when (point, kind, factor) already has an
 * alarm that is not closed (update that one instead); EW_EINVAL for a bad kind, factor,
 * state or step; EW_ENOTFOUND for an unknown point.
 */
int ew_store_alarm_open(struct ew_store *s, struct ew_alarm *a, const struct ew_alarm_step *first);
/* The alarm of (point, kind, factor) that is not closed; EW_ENOTFOUND when there is none. */
int ew_store_alarm_find(struct ew_store *s, int64_t point_id, int kind, const char *factor,
                        struct ew_alarm *out);
int ew_store_alarm_get(struct ew_store *s, int64_t id, struct ew_alarm *out);
/*
 * Writes the condition of alarm a->id: active, start, end, peak (time, value, limit,
 * multiple), count and last_seen. The state is not touched. EW_ENOTFOUND for an unknown id,
 * EW_ESTATE for a closed alarm (a closed alarm never changes again).
 */
int ew_store_alarm_update(struct ew_store *s, const struct ew_alarm *a);
/*
 * Moves alarm id from state from to step->state and appends the step to its history, only if
 * its state is still from (so two operators cannot both act on one state). Sets closed_ms to
 * step->at_ms when the new state is CLOSED. EW_ESTATE when the state is not from,
 * EW_ENOTFOUND for an unknown id, EW_EINVAL for a bad step. Which moves are allowed is the
 * caller's rule (src/alarm/lifecycle.c).
 */
int ew_store_alarm_transition(struct ew_store *s, int64_t id, int from,
                              const struct ew_alarm_step *step);

struct ew_alarm_query {
    unsigned    states;                 /* bit 1 << state; 0: every state */
    unsigned    kinds;                  /* bit 1 << kind; 0: every kind */
    int64_t     point_id;               /* 0: any point */
    const char *factor;                 /* NULL: any */
    const char *county;                 /* NULL: any */
    int64_t     from_ms, to_ms;         /* alive in [from, to]: opened at or before to and
                                           not closed before from; 0: unbounded */
    size_t      limit;                  /* 0: no limit */
};
/* Matching alarms, most recently opened first. */
int ew_store_alarm_each(struct ew_store *s, const struct ew_alarm_query *q,
                        int (*fn)(void *ctx, const struct ew_alarm *a), void *ctx);
/* The history of alarm id, oldest first; the step's strings live during the call only. */
int ew_store_alarm_history_each(struct ew_store *s, int64_t id,
                                int (*fn)(void *ctx, const struct ew_alarm_step *st),
                                void *ctx);

/*
 * The notification outbox: one row per alarm event to deliver (webhook), written in the
 * transaction that made the event, so only committed events are ever sent. Ids only grow,
 * also after every row was removed.
 */
struct ew_alarm_notice {
    int64_t     id;
    int64_t     alarm_id;
    const char *event;                  /* "opened" "retriggered" "acknowledged" ... */
    int64_t     t_ms;
};
int ew_store_alarm_notice_put(struct ew_store *s, int64_t alarm_id, const char *event,
                              int64_t t_ms);
/* The oldest notices first, at most limit (0: all); strings live during the call only. */
int ew_store_alarm_notice_each(struct ew_store *s, size_t limit,
                               int (*fn)(void *ctx, const struct ew_alarm_notice *n),
                               void *ctx);
/* Removes the notices with id <= upto_id. */
int ew_store_alarm_notice_remove(struct ew_store *s, int64_t upto_id);

/* The limit that applies now to one pollutant of one outlet, as the alarm engine resolved it
 * from the standard table and the registry, kept for readers that have no standard table
 * (the HTTP API's /sources). */
struct ew_source_limit {
    int64_t point_id;
    char    factor[17];
    double  limit;                      /* upper limit */
    double  limit_lo;                   /* lower limit (pH); NAN when one-sided */
    double  ref_o2_pct;                 /* reference O2; NAN: judged on measured values */
    int     averaging;                  /* enum ew_avg of envwatch/emission.h */
    char    standard[96];               /* "GB 13223-2011 ultralow", or the registry's basis */
};
/* Replaces every limit of point_id with lim[0..n) (n may be 0) in one step. */
int ew_store_source_limits_set(struct ew_store *s, int64_t point_id,
                               const struct ew_source_limit *lim, size_t n);
/* The limits of point_id (0: of every point), ordered by point then factor. */
int ew_store_source_limit_each(struct ew_store *s, int64_t point_id,
                               int (*fn)(void *ctx, const struct ew_source_limit *l),
                               void *ctx);

/* ---- governance ledgers (src/ledger/ runs the workflows; the store keeps them) ------------- */

/*
 * One work item of a governance ledger: an action-plan task, an inspection rectification item,
 * a public complaint, an enforcement case or a river-chief problem (the kinds, states and
 * allowed transitions are in envwatch/ledger.h; the store keeps integers and text and checks
 * only their shape). Times are Unix seconds; a deadline is the last second of its CST day.
 */
#define EW_LEDGER_EXTRA_MAX 2047         /* bytes of the JSON object of further fields */

struct ew_ledger_item {
    int64_t id;                         /* assigned by the store */
    int     kind;                       /* enum ew_ledger_kind (1..) */
    int     state;                      /* enum ew_ledger_state (1..) */
    int     overdue;                    /* 1 once the deadline passed with the clock running */
    int     level;                      /* river: chief level 1 province .. 5 village;
                                           rectification: round level 1 central .. 3 city */
    int     extensions;                 /* deadline extensions granted (complaints: <= 1) */
    int     penalty_days;               /* case: days of daily continuous penalty */
    char    code[64];                   /* the bureau's own number, unique when not "" */
    char    title[256];
    char    body[2048];                 /* description, feedback text, complaint content */
    char    unit[96];                   /* responsible (lead or handling) unit */
    char    county[49];
    char    leader[64];                 /* responsible Party leader; river: the river chief */
    char    gov_leader[64];             /* responsible government leader */
    char    coop_units[256];            /* cooperating units, separated by ',' or '、' */
    char    category[32];               /* air water noise solid ecology ... */
    char    source[64];                 /* complaint channel, inspection round, case source */
    char    subject[128];               /* enterprise or place concerned */
    double  qty_target, qty_done;       /* task quantities (households, coal yards ...); NAN */
    double  penalty_yuan;               /* case: the penalty decided; NAN before */
    int64_t parent_id;                  /* feedback issue of a task, original of a duplicate */
    int64_t opened_unix_s;              /* received or registered */
    int64_t due_unix_s;                 /* the deadline now in force; 0: none */
    int64_t mark_unix_s;                /* kind-specific: end of the publicity period */
    int64_t done_unix_s;                /* when the unit's part was done (the clock stopped) */
    int64_t closed_unix_s;              /* reached a final state; 0 while open */
    int64_t updated_unix_s;
    char    extra[EW_LEDGER_EXTRA_MAX + 1]; /* JSON object ("{}" when none) */
};

/* One line of an item's history: a transition, a comment, an attachment, an import. */
struct ew_ledger_event {
    int64_t id, item_id;                /* assigned / ignored on writes */
    int64_t at_ms;
    char    action[24];                 /* "start" "extend" "comment" "overdue" ... */
    char    actor[64];                  /* who; "system" for the deadline pass */
    char    role[16];
    char    unit[96];
    int     from_state, to_state;       /* equal for actions that keep the state */
    char    note[1024];
};

/* An evidence file: its content lives on disk under ew_store_ledger_dir(), named by hash. */
struct ew_ledger_file {
    int64_t id, item_id;
    char    sha256[65];                 /* lowercase hex */
    char    name[128];                  /* the name it was uploaded with */
    char    mime[48];
    int64_t size;
    int64_t at_ms;
    char    actor[64];
};

/* A link from an item to another item, a point (MN), an alarm (id) or an enterprise. */
struct ew_ledger_link {
    int64_t item_id;
    char    type[16];                   /* "item" "point" "alarm" "enterprise" */
    char    target[128];
    char    relation[24];               /* "related" "duplicate_of" "escalated_from" ... */
};

/* A river-chief patrol, with its validity under the minimum duration and length rules. */
struct ew_ledger_patrol {
    int64_t id;
    char    chief[64];
    int     level;                      /* 1 province .. 5 village */
    char    reach[96];                  /* reach code or name */
    int64_t start_unix_s, end_unix_s;
    double  length_km;
    int     valid;                      /* decided by src/ledger/ (ew_ledger_patrol_judge) */
    char    note[256];                  /* findings, or why the patrol is not valid */
};

/* A river reach of the river-chief registry: escalation goes to the parent's chief. */
struct ew_ledger_reach {
    char code[32];
    char river[64];
    char name[96];
    char county[49];
    int  level;                         /* 1 province .. 5 village */
    char chief[64];
    char parent[32];                    /* code of the reach one level up; "" at the top */
};

struct ew_ledger_query {
    unsigned    kinds;                  /* bit 1 << kind; 0: every kind */
    uint64_t    states;                 /* bit 1 << state; 0: every state */
    const char *unit;                   /* NULL: any; else the responsible unit exactly */
    const char *county;                 /* NULL: any */
    const char *text;                   /* NULL: any; else a substring of code, title or
                                           subject */
    int         overdue;                /* -1 any, 0 not overdue, 1 overdue only */
    int         open;                   /* -1 any, 1 not closed, 0 closed only */
    int         running;                /* 1: only items whose clock runs (open, not done) */
    int64_t     due_from, due_to;       /* deadline in [from, to]; 0: unbounded */
    int64_t     parent_id;              /* 0: any */
    int         order;                  /* 0 by id, 1 by deadline then id, 2 newest first */
    size_t      limit, offset;          /* limit 0: no limit */
    int         fields;                 /* what _each fills (EW_LEDGER_FIELDS_*): 0 all */
};

/* The fields ew_store_ledger_item_each fills: a list or an export that does not show the long
 * texts, or a count that needs only the keys, reads less. The others are "", 0 or NAN ("{}"
 * for extra). */
#define EW_LEDGER_FIELDS_ALL   0        /* every field */
#define EW_LEDGER_FIELDS_LIST  1        /* all but body and extra */
#define EW_LEDGER_FIELDS_KEYS  2        /* id, kind, state, overdue, level, unit, county,
                                           coop_units, subject and the times */

/*
 * Inserts item it with its first history event (first->item_id is ignored) in one step and
 * sets it->id. EW_EEXIST when a non-empty code is already used; EW_EINVAL for a bad shape
 * (unknown kind or state, text too long or with control characters, extra not an object).
 */
int ew_store_ledger_item_add(struct ew_store *s, struct ew_ledger_item *it,
                             const struct ew_ledger_event *first);
/*
 * Writes every field of item it->id, only if its state is still expect_state (so two users
 * cannot both move one state), and appends ev when not NULL, in one step. EW_ESTATE when the
 * state has changed, EW_ENOTFOUND for an unknown id, EW_EEXIST for a code in use.
 */
int ew_store_ledger_item_update(struct ew_store *s, const struct ew_ledger_item *it,
                                int expect_state, const struct ew_ledger_event *ev);
int ew_store_ledger_item_get(struct ew_store *s, int64_t id, struct ew_ledger_item *out);
/* The item with this code; EW_ENOTFOUND when none. */
int ew_store_ledger_item_find(struct ew_store *s, const char *code, struct ew_ledger_item *out);
/* Matching items in the query's order; the item is valid only during the call. */
int ew_store_ledger_item_each(struct ew_store *s, const struct ew_ledger_query *q,
                              int (*fn)(void *ctx, const struct ew_ledger_item *it),
                              void *ctx);
/* How many items match q (limit and offset are ignored). */
int ew_store_ledger_item_count(struct ew_store *s, const struct ew_ledger_query *q,
                               int64_t *n);

/* Appends an event that changes no field (a comment); EW_ENOTFOUND for an unknown item. */
int ew_store_ledger_event_add(struct ew_store *s, const struct ew_ledger_event *ev);
/* The history of an item, oldest first. */
int ew_store_ledger_event_each(struct ew_store *s, int64_t item_id,
                               int (*fn)(void *ctx, const struct ew_ledger_event *ev),
                               void *ctx);

/* Records an evidence file of f->item_id and sets f->id; EW_EEXIST when the same content is
 * already attached to that item, EW_ENOTFOUND for an unknown item. */
int ew_store_ledger_file_add(struct ew_store *s, struct ew_ledger_file *f);
int ew_store_ledger_file_each(struct ew_store *s, int64_t item_id,
                              int (*fn)(void *ctx, const struct ew_ledger_file *f), void *ctx);
/* The record of content sha256 (64 lowercase hex digits) on an item the handle's scope
 * covers (the first by id; any item without a scope): how an evidence download decides who
 * may have a file, which names only its content. EW_ENOTFOUND when no item in scope has it,
 * EW_EINVAL for a malformed hash; *out is written only on EW_OK. */
int ew_store_ledger_file_find(struct ew_store *s, const char *sha256, struct ew_ledger_file *out);

/* Adds a link (EW_EEXIST when it exists); _each lists the links of an item and the links
 * other items hold to it, as type "item", target the other item, relation "from:" + theirs. */
int ew_store_ledger_link_add(struct ew_store *s, const struct ew_ledger_link *l);
int ew_store_ledger_link_each(struct ew_store *s, int64_t item_id,
                              int (*fn)(void *ctx, const struct ew_ledger_link *l), void *ctx);
/* Items linked to a target of another type ("alarm", "17"), ascending item ids. */
int ew_store_ledger_link_find(struct ew_store *s, const char *type, const char *target,
                              int (*fn)(void *ctx, const struct ew_ledger_link *l), void *ctx);

/* Patrols: add sets p->id; _each lists those of chief (NULL: all) that started in
 * [from, to] (to 0: unbounded), oldest first. */
int ew_store_ledger_patrol_add(struct ew_store *s, struct ew_ledger_patrol *p);
int ew_store_ledger_patrol_each(struct ew_store *s, const char *chief, int64_t from_unix_s,
                                int64_t to_unix_s,
                                int (*fn)(void *ctx, const struct ew_ledger_patrol *p),
                                void *ctx);

/* The reach registry: put replaces by code; get is EW_ENOTFOUND when absent. */
int ew_store_ledger_reach_put(struct ew_store *s, const struct ew_ledger_reach *r);
int ew_store_ledger_reach_get(struct ew_store *s, const char *code, struct ew_ledger_reach *out);
int ew_store_ledger_reach_each(struct ew_store *s,
                               int (*fn)(void *ctx, const struct ew_ledger_reach *r), void *ctx);

/*
 * Ledger settings as text by key ("holidays", "scorecard", "digest.last"): put replaces, get
 * returns a copy in *value that the caller frees (EW_ENOTFOUND when absent). The daemon
 * publishes its configured files here, so the API and the CLI read the same calendar.
 */
int ew_store_ledger_kv_put(struct ew_store *s, const char *key, const char *value);
int ew_store_ledger_kv_get(struct ew_store *s, const char *key, char **value);

/* The folder for ledger files beside the database (DIR/ledger for SQLite), NUL-terminated in
 * out[0..len); EW_ETOOBIG when it does not fit. It may not exist yet. */
int ew_store_ledger_dir(struct ew_store *s, char *out, size_t len);

#endif
