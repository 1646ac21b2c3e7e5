/* SPDX-License-Identifier: MIT */
/*
 * Shared inside src/ingest/: the daemon context, sessions, the writer queue and the registry
 * table. Threads: the libuv loop owns sessions and sockets; the writer thread owns the
 * writable store handle; they meet only in struct ingest_queue (mutex + condition) and the
 * done list (mutex + uv_async). The registry table is read by the loop and replaced by the
 * writer under a mutex.
 */
#ifndef EW_INGEST_INTERNAL_H
#define EW_INGEST_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include <uv.h>

#include <envwatch/daemon.h>
#include <envwatch/store.h>
#include <hj212/hj212.h>

#include "util/buf.h"

struct ew_api;
struct ew_audit;
struct ew_guard;
struct pending_event;

/* ---- registry: MN -> point, kept in memory for authentication on the loop thread ---------- */

struct reg_entry {
    char    mn[33];
    char    pw[33];
    char    kind[17];
    int64_t point_id;
};

struct registry {
    struct reg_entry *v;                /* sorted by mn */
    size_t            n;
};

void ew__registry_free(struct registry *r);
int  ew__registry_load(struct ew_store *s, struct registry **out);
const struct reg_entry *ew__registry_find(const struct registry *r, const char *mn, size_t len);

/* ---- the writer queue ----------------------------------------------------------------------- */

enum item_type {
    ITEM_FRAME,                         /* a received frame: journal, maybe readings, reply */
    ITEM_CONN_OPEN,
    ITEM_CONN_CLOSE,
    ITEM_JOB,                           /* an API write, run inside the batch transaction */
    ITEM_AUDIT,                         /* an audit entry (security.c): packed in bytes */
};

struct job {
    int (*fn)(struct ew_store *s, void *arg);
    void *arg;
    int   rc;
    int   done;
};

struct item {
    struct item *next;
    enum item_type type;
    uint64_t session;                   /* slot << 32 | generation */
    int64_t  t_recv_ms;
    char     peer[64];
    char     mn[33];
    char     st[8];
    char     kind[17];                  /* the point's kind */
    const char *verdict;                /* journal verdict decided on the loop */
    int64_t  point_id;                  /* > 0: store the readings of the frame */
    int      cn;
    struct job *job;
    char    *reply;                     /* sent after the commit; malloc'd */
    size_t   reply_len;
    int      inserted;                  /* set by the writer: readings newly stored */
    int      has_cp;                    /* the loop parsed it: CP is bytes[cp_off, +cp_len) */
    size_t   cp_off, cp_len;
    size_t   len;
    char     bytes[];                   /* the frame, as received */
};

struct ingest_queue {
    pthread_mutex_t mu;
    pthread_cond_t  cond, job_cond;
    struct item    *head, *tail;
    size_t          n, cap;
    int             stopping;
    struct item    *done_head, *done_tail;  /* committed, awaiting replies on the loop */
};

/* ---- metrics (relaxed atomics; read by HTTP threads) ----------------------------------------- */

struct metrics {
    atomic_uint_fast64_t frames, bad_crc, bad_frame, bad_pw, unknown_mn, replies, readings,
        duplicates, commits, commit_us_total, commit_us_max, queue_depth, connections,
        conn_refused, paused, bytes_in, throttled,     /* throttled: times a peer was slowed */
        checkpoints, wal_pages;         /* idle checkpoints by the writer, WAL size then */
};

/* ---- sessions ---------------------------------------------------------------------------------- */

struct session {
    uv_tcp_t  tcp;
    uv_shutdown_t shutdown;
    struct ew_daemon *d;
    uint64_t  key;
    struct hj212_reader *reader;
    char      peer[64];
    uint32_t  ip4;                      /* for the per-address cap */
    char      mn[33];
    char      st[4];                    /* ST of the last packet, reused downlink */
    int64_t   opened_ms, last_rx_ms;
    int64_t   rate_window_ms;
    unsigned  rate_count;
    unsigned  version;                  /* 2005 or 2017 of the last packet */
    int       reading;                  /* uv_read_start active */
    int       throttled;                /* over rate_per_mn: resumed by the tick */
    int       closing;
    size_t    pending_writes;
    /* The replies of one committed batch, gathered for one write (ew__sessions_on_done). */
    struct session *out_next;
    char     *out;
    size_t    out_len, out_used;
    unsigned  out_n;
};

/* Per-MN instrument state kept by the loop (online, last data, drift). */
struct instrument {
    char    mn[33];
    uint64_t session;                   /* 0 when not connected */
    int64_t last_rx_ms, last_data_unix_s, drift_s, last_timeset_ms, connected_ms;
    int     online, gapfill_pending;
    unsigned packets;
};

struct ew_daemon {
    struct ew_config cfg;
    char      store_location[600];
    FILE     *log;
    uv_loop_t loop;
    uv_tcp_t  server;
    uv_signal_t sig_term, sig_int, sig_hup;
    uv_async_t  done_async, stop_async, reload_async;
    uv_timer_t  tick;
    int       stopped;
    unsigned  hj212_port;

    struct session **slots;             /* index = slot; NULL when free */
    uint32_t *gens;
    size_t    nslots;
    size_t    nsessions;

    struct instrument *inst;            /* sorted by mn, grown on demand */
    size_t    ninst, capinst;

    pthread_mutex_t reg_mu;
    struct registry *reg;               /* replaced by the writer, read by the loop */
    atomic_int reg_dirty;

    struct ingest_queue q;
    pthread_t writer;
    int       writer_started;
    atomic_int writer_exited;
    int       paused;                   /* reading stopped for back-pressure */
    struct ew_store *wstore;

    struct metrics m;
    pthread_mutex_t snap_mu;            /* snapshots for HTTP threads, rebuilt every tick */
    struct ew_buf snap_conn, snap_inst;
    /* One read buffer for every connection: libuv reads into it and on_read copies the
     * bytes into that connection's reader at once, so an idle connection costs no buffer. */
    char      rbuf[65536];
    struct ew_api *api;
    uint64_t  qn_seq;

    struct ew_guard *sec_guard;         /* security events, one a minute per kind and peer */

    /* writer-only: hook states and events of the open transaction */
    void    **hook_state;
    int64_t  *hook_last_tick;
    struct pending_event *events;
    struct ew_buf uploads;              /* the batch's "readings" event, entries so far */
};

void ew__log(struct ew_daemon *d, const char *level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int64_t ew__now_ms(void);

/* writer.c */
int  ew__writer_start(struct ew_daemon *d);
void ew__writer_stop(struct ew_daemon *d);
/* Loop thread. EW_OK or EW_EBUSY (queued; the queue is full): the queue owns it. EW_ESTATE
 * (stopping): not queued, the caller keeps it. */
int  ew__queue_push(struct ew_daemon *d, struct item *it);
int  ew__writer_job(struct ew_daemon *d, int (*fn)(struct ew_store *, void *), void *arg);
int  ew__store_frame(struct ew_daemon *d, struct ew_store *s, struct item *it,
                     struct metrics *m);

/* security.c: security events of both ports into the audit log (and the log file) */
int  ew__security_create(struct ew_daemon *d);
void ew__security_destroy(struct ew_daemon *d);
/* An instrument-side event ("security.bad_pw", peer, MN or NULL, detail): logged and queued
 * for the audit log at most once a minute per kind, peer address and MN. Loop thread. */
void ew__security_event(struct ew_daemon *d, const char *action, const char *peer,
                        const char *mn, const char *detail);
/* Queues a copy of an audit entry for the writer; any thread, never waits. */
void ew__audit_queue(struct ew_daemon *d, const struct ew_audit *a);
/* The API's entries (its host audit callback): logged and queued; any thread. */
void ew__security_from_api(struct ew_daemon *d, const struct ew_audit *a);
/* Writer thread: stores the entry packed in an ITEM_AUDIT. */
int  ew__audit_store(struct ew_store *s, const struct item *it);

/* hookrun.c (writer thread) */
int  ew__hooks_create(struct ew_daemon *d);
void ew__hooks_destroy(struct ew_daemon *d);
int  ew__hooks_frame(struct ew_daemon *d, struct ew_store *s, const struct item *it, int kind,
                     int64_t t, const struct ew_reading *r, size_t n);
void ew__hooks_tick(struct ew_daemon *d, struct ew_store *s);
void ew__hooks_events_done(struct ew_daemon *d, int committed);
/* Queues a server-sent event, published if the open transaction commits. */
void ew__event(struct ew_daemon *d, const char *type, const char *json);

/* session.c */
int  ew__sessions_listen(struct ew_daemon *d);
void ew__sessions_on_done(uv_async_t *a);
void ew__sessions_tick(struct ew_daemon *d, int64_t now_ms);
void ew__sessions_close_all(struct ew_daemon *d);
void ew__sessions_stop_reading(struct ew_daemon *d);
void ew__sessions_resume(struct ew_daemon *d);
struct session *ew__session_get(struct ew_daemon *d, uint64_t key);
int  ew__session_send(struct session *s, char *bytes, size_t len);   /* takes bytes */

/* instruments.c */
struct instrument *ew__instrument(struct ew_daemon *d, const char *mn);
void ew__instrument_seen(struct ew_daemon *d, struct session *s, const struct hj212_pkt *p,
                         int64_t now_ms);
void ew__instruments_tick(struct ew_daemon *d, int64_t now_ms);
int  ew__instruments_json(struct ew_daemon *d, struct ew_buf *out);
char *ew__next_qn(struct ew_daemon *d, char out[20]);

#endif
