/* SPDX-License-Identifier: MIT */
/*
 * The daemon: one libuv loop (HJ 212 sockets, timers, signals), one writer thread (the only
 * writable store handle), and the HTTP API's threads (read-only handles). Built once in
 * main() and passed down; no global state except what libuv keeps per loop.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <envwatch/api.h>
#include <envwatch/err.h>

#include "ingest/internal.h"
#include "util/json.h"
#include "util/time.h"

int64_t
ew__now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
ew__log(struct ew_daemon *d, const char *level, const char *fmt, ...)
{
    FILE *f = d->log != NULL ? d->log : stderr;
    int64_t now = ew__now_ms();
    char t[20];
    va_list ap;

    ew_time_fmt_iso(now / 1000, t);
    va_start(ap, fmt);
    flockfile(f);
    fprintf(f, "%s.%03d %s ", t, (int)(now % 1000), level);
    vfprintf(f, fmt, ap);
    fputc('\n', f);
    funlockfile(f);
    fflush(f);
    va_end(ap);
}

/* ---- what the HTTP API asks of the daemon ------------------------------------------------- */

static int
host_write_job(void *ctx, int (*fn)(struct ew_store *, void *), void *arg)
{
    return ew__writer_job(ctx, fn, arg);
}

static int
host_metrics(void *ctx, struct ew_buf *b)
{
    struct ew_daemon *d = ctx;
    struct metrics *m = &d->m;
    uint64_t commits = atomic_load(&m->commits);
    static const struct {
        const char *name, *help;
        size_t off;
        int gauge;
    } rows[] = {
#define ROW(f, n, h, g) { n, h, offsetof(struct metrics, f), g }
        ROW(frames, "envwatch_hj212_frames_total", "HJ 212 frames received", 0),
        ROW(bad_crc, "envwatch_hj212_bad_crc_total", "frames with a wrong CRC", 0),
        ROW(bad_frame, "envwatch_hj212_bad_frames_total", "byte runs that were no frame", 0),
        ROW(bad_pw, "envwatch_hj212_bad_pw_total", "frames refused for a wrong PW", 0),
        ROW(unknown_mn, "envwatch_hj212_unknown_mn_total", "frames from unregistered MNs", 0),
        ROW(throttled, "envwatch_hj212_throttled_total", "frames over the per-MN rate", 0),
        ROW(replies, "envwatch_hj212_replies_total", "replies and requests sent", 0),
        ROW(readings, "envwatch_readings_stored_total", "readings newly stored", 0),
        ROW(duplicates, "envwatch_hj212_duplicates_total", "frames whose readings were stored", 0),
        ROW(bytes_in, "envwatch_hj212_bytes_total", "bytes received", 0),
        ROW(conn_refused, "envwatch_hj212_conn_refused_total", "connections refused by caps", 0),
        ROW(paused, "envwatch_ingest_pauses_total", "times reading stopped for back-pressure", 0),
        ROW(commits, "envwatch_store_commits_total", "writer transactions", 0),
        ROW(checkpoints, "envwatch_store_checkpoints_total",
            "WAL checkpoints the writer ran while idle", 0),
        ROW(wal_pages, "envwatch_store_wal_pages", "WAL frames at the last idle checkpoint", 1),
        ROW(queue_depth, "envwatch_ingest_queue_depth", "items waiting for the writer", 1),
        ROW(connections, "envwatch_hj212_connections", "open HJ 212 connections", 1),
#undef ROW
    };

    for (size_t i = 0; i < EW_ARRAY_LEN(rows); i++) {
        atomic_uint_fast64_t *v = (atomic_uint_fast64_t *)((char *)m + rows[i].off);
        ew_buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n%s %llu\n", rows[i].name, rows[i].help,
                      rows[i].name, rows[i].gauge ? "gauge" : "counter", rows[i].name,
                      (unsigned long long)atomic_load(v));
    }
    ew_buf_printf(b, "# HELP envwatch_store_commit_seconds_avg mean writer commit latency\n"
                     "# TYPE envwatch_store_commit_seconds_avg gauge\n"
                     "envwatch_store_commit_seconds_avg %.6f\n",
                  commits ? (double)atomic_load(&m->commit_us_total) / commits / 1e6 : 0.0);
    return ew_buf_printf(b, "# HELP envwatch_store_commit_seconds_max slowest writer commit\n"
                            "# TYPE envwatch_store_commit_seconds_max gauge\n"
                            "envwatch_store_commit_seconds_max %.6f\n",
                         (double)atomic_load(&m->commit_us_max) / 1e6);
}

static int
host_snapshot(struct ew_daemon *d, struct ew_buf *src, struct ew_buf *out)
{
    int rc;

    pthread_mutex_lock(&d->snap_mu);
    rc = src->len ? ew_buf_add(out, src->ptr, src->len) : ew_buf_adds(out, "[]");
    pthread_mutex_unlock(&d->snap_mu);
    return rc;
}

static int
host_connections(void *ctx, struct ew_buf *out)
{
    struct ew_daemon *d = ctx;

    return host_snapshot(d, &d->snap_conn, out);
}

static int
host_instruments(void *ctx, struct ew_buf *out)
{
    struct ew_daemon *d = ctx;

    return host_snapshot(d, &d->snap_inst, out);
}

static void
host_audit(void *ctx, const struct ew_audit *a)
{
    ew__security_from_api(ctx, a);
}

static void
host_registry_changed(void *ctx)
{
    struct ew_daemon *d = ctx;

    atomic_store(&d->reg_dirty, 1);
}

/* ---- loop callbacks ---------------------------------------------------------------------- */

static void
snapshot_connections(struct ew_daemon *d, struct ew_buf *b)
{
    char t[20];
    int first = 1;

    ew_buf_addc(b, '[');
    for (size_t i = 0; i < d->nslots; i++) {
        const struct session *s = d->slots[i];
        if (s == NULL)
            continue;
        ew_buf_adds(b, first ? "{\"peer\":" : ",{\"peer\":");
        first = 0;
        ew_json_strz(b, s->peer);
        ew_buf_adds(b, ",\"mn\":");
        ew_json_strz(b, s->mn[0] ? s->mn : NULL);
        ew_time_fmt_iso(s->opened_ms / 1000, t);
        ew_buf_printf(b, ",\"opened\":\"%s\"", t);
        ew_time_fmt_iso(s->last_rx_ms / 1000, t);
        ew_buf_printf(b, ",\"last_packet\":\"%s\",\"version\":%u,\"reading\":%s}", t,
                      s->version, s->reading ? "true" : "false");
    }
    ew_buf_addc(b, ']');
}

static void
on_tick(uv_timer_t *t)
{
    struct ew_daemon *d = t->data;
    int64_t now = ew__now_ms();
    struct ew_buf conn, inst;

    ew__sessions_tick(d, now);
    ew__instruments_tick(d, now);
    ew_api_tick(d->api);
    ew_buf_init(&conn, 0);
    ew_buf_init(&inst, 0);
    snapshot_connections(d, &conn);
    ew__instruments_json(d, &inst);
    pthread_mutex_lock(&d->snap_mu);
    ew_buf_fini(&d->snap_conn);
    ew_buf_fini(&d->snap_inst);
    d->snap_conn = conn;
    d->snap_inst = inst;
    pthread_mutex_unlock(&d->snap_mu);
}

static void
close_walk(uv_handle_t *h, void *arg)
{
    (void)arg;
    if (!uv_is_closing(h))
        uv_close(h, NULL);
}

/*
 * SIGTERM: stop accepting and reading, let the writer commit everything queued, send the
 * replies of those commits, then close the connections (ew__sessions_on_done finishes it).
 */
static void
begin_stop(struct ew_daemon *d)
{
    if (d->stopped)
        return;
    d->stopped = 1;
    ew__log(d, "info", "stopping: draining the writer queue");
    uv_close((uv_handle_t *)&d->server, NULL);
    uv_close((uv_handle_t *)&d->tick, NULL);
    uv_close((uv_handle_t *)&d->sig_term, NULL);
    uv_close((uv_handle_t *)&d->sig_int, NULL);
    uv_close((uv_handle_t *)&d->sig_hup, NULL);
    uv_close((uv_handle_t *)&d->stop_async, NULL);
    ew__sessions_stop_reading(d);
    pthread_mutex_lock(&d->q.mu);
    d->q.stopping = 1;
    pthread_cond_broadcast(&d->q.cond);
    pthread_mutex_unlock(&d->q.mu);
}

static void
on_signal(uv_signal_t *h, int signum)
{
    struct ew_daemon *d = h->data;

    if (signum == SIGHUP) {
        if (d->cfg.log_file[0] != '\0') {
            FILE *f = fopen(d->cfg.log_file, "a");
            if (f != NULL) {
                FILE *old = d->log;
                d->log = f;
                if (old != NULL)
                    fclose(old);
            }
        }
        ew__log(d, "info", "SIGHUP: log reopened");
        return;
    }
    begin_stop(d);
}

static void
on_stop_async(uv_async_t *a)
{
    begin_stop(a->data);
}

/* ---- lifecycle ------------------------------------------------------------------------------ */

static int
open_store(struct ew_daemon *d, char *errmsg, size_t errmsg_len)
{
    struct ew_store_config sc = { .flags = EW_STORE_CREATE | EW_STORE_CHECKPOINTER,
                                  .sync_full = (int)d->cfg.synchronous_full,
                                  .autocheckpoint_pages = (int)d->cfg.checkpoint_pages };
    int rc;

    if (mkdir(d->cfg.data_dir, 0750) != 0 && errno != EEXIST) {
        snprintf(errmsg, errmsg_len, "%s: %s", d->cfg.data_dir, strerror(errno));
        return EW_EIO;
    }
    snprintf(d->store_location, sizeof(d->store_location), "%s", d->cfg.data_dir);
    rc = ew_store_open_config(d->store_location, &sc, &d->wstore, errmsg, errmsg_len);
    if (rc != EW_OK)
        return rc;
    /* Connections still marked open were cut by a crash or a kill. */
    ew_store_conn_close_all(d->wstore, ew__now_ms(), "daemon-restart", NULL);
    rc = ew__registry_load(d->wstore, &d->reg);
    if (rc != EW_OK)
        snprintf(errmsg, errmsg_len, "registry: %s", ew_store_errmsg(d->wstore));
    return rc;
}

int
ew_daemon_create(const struct ew_config *c, struct ew_daemon **out, char *errmsg,
                 size_t errmsg_len)
{
    struct ew_daemon *d = calloc(1, sizeof(*d));
    int rc;

    if (d == NULL)
        return EW_ENOMEM;
    /* A peer that closes while a reply is on its way must cost an EPIPE, not the process. */
    signal(SIGPIPE, SIG_IGN);
    d->cfg = *c;
    pthread_mutex_init(&d->reg_mu, NULL);
    pthread_mutex_init(&d->snap_mu, NULL);
    ew_buf_init(&d->snap_conn, 0);
    ew_buf_init(&d->snap_inst, 0);
    if (c->log_file[0] != '\0' && (d->log = fopen(c->log_file, "a")) == NULL) {
        snprintf(errmsg, errmsg_len, "%s: %s", c->log_file, strerror(errno));
        free(d);
        return EW_EIO;
    }
    if ((rc = open_store(d, errmsg, errmsg_len)) != EW_OK ||
        (rc = ew__security_create(d)) != EW_OK)
        goto fail;
    uv_loop_init(&d->loop);
    d->loop.data = d;
    uv_async_init(&d->loop, &d->done_async, ew__sessions_on_done);
    d->done_async.data = d;
    uv_async_init(&d->loop, &d->stop_async, on_stop_async);
    d->stop_async.data = d;
    uv_timer_init(&d->loop, &d->tick);
    d->tick.data = d;
    uv_signal_init(&d->loop, &d->sig_term);
    uv_signal_init(&d->loop, &d->sig_int);
    uv_signal_init(&d->loop, &d->sig_hup);
    d->sig_term.data = d->sig_int.data = d->sig_hup.data = d;
    if ((rc = ew__sessions_listen(d)) != EW_OK) {
        snprintf(errmsg, errmsg_len, "cannot listen for HJ 212 on %s", c->hj212_listen);
        goto fail_loop;
    }
    if ((rc = ew__writer_start(d)) != EW_OK) {
        snprintf(errmsg, errmsg_len, "cannot start the writer thread");
        goto fail_loop;
    }
    struct ew_api_host host = { d, host_write_job, host_metrics, host_connections,
                                host_instruments, host_registry_changed, host_audit };
    struct ew_api_config ac = { .listen = c->http_listen, .store_location = d->store_location,
                                .web_dir = c->web_dir, .tile_url = c->tile_url,
                                .threads = c->http_threads, .max_body = c->http_max_body,
                                .max_file_bytes = c->ledger_max_file_bytes,
                                .tls_cert = c->tls_cert, .tls_key = c->tls_key,
                                .timeout_s = c->http_timeout_s,
                                .max_conn_per_ip = c->http_max_conn_per_ip,
                                .rate_per_ip = c->http_rate_per_ip,
                                .trusted_proxy = c->http_trusted_proxy,
                                .lockout_failures = c->auth_lockout_failures,
                                .lockout_minutes = c->auth_lockout_minutes,
                                .session_hours = c->auth_session_hours,
                                .token_max_days = c->auth_token_max_days,
                                .login_per_min = c->auth_login_per_min };
    if ((rc = ew_api_start(&ac, &host, &d->api, errmsg, errmsg_len)) != EW_OK) {
        ew__writer_stop(d);
        goto fail_loop;
    }
    *out = d;
    return EW_OK;
fail_loop:
    uv_walk(&d->loop, close_walk, NULL);
    uv_run(&d->loop, UV_RUN_DEFAULT);
    uv_loop_close(&d->loop);
fail:
    ew_store_close(d->wstore);
    ew__registry_free(d->reg);
    ew__security_destroy(d);
    if (d->log != NULL)
        fclose(d->log);
    free(d);
    return rc;
}

int
ew_daemon_run(struct ew_daemon *d)
{
    printf("hj212 listening on %.*s:%u\n",
           (int)(strrchr(d->cfg.hj212_listen, ':') - d->cfg.hj212_listen), d->cfg.hj212_listen,
           d->hj212_port);
    printf("http listening on %.*s:%u\n",
           (int)(strrchr(d->cfg.http_listen, ':') - d->cfg.http_listen), d->cfg.http_listen,
           ew_api_port(d->api));
    fflush(stdout);
    uv_signal_start(&d->sig_term, on_signal, SIGTERM);
    uv_signal_start(&d->sig_int, on_signal, SIGINT);
    uv_signal_start(&d->sig_hup, on_signal, SIGHUP);
    uv_timer_start(&d->tick, on_tick, 1000, 1000);
    ew__log(d, "info", "envwatch %s serving; data in %s", EW_VERSION, d->cfg.data_dir);
    uv_run(&d->loop, UV_RUN_DEFAULT);
    return EW_OK;
}

void
ew_daemon_stop(struct ew_daemon *d)
{
    uv_async_send(&d->stop_async);
}

void
ew_daemon_destroy(struct ew_daemon *d)
{
    if (d == NULL)
        return;
    /* HTTP first (it may queue jobs), then the writer drains the queue, then the loop sends
     * the replies of the last batches to any peer that is still there and closes. */
    ew_api_stop(d->api);
    ew__writer_stop(d);
    uv_walk(&d->loop, close_walk, NULL);
    uv_run(&d->loop, UV_RUN_DEFAULT);
    uv_loop_close(&d->loop);
    ew_store_close(d->wstore);
    ew__registry_free(d->reg);
    free(d->slots);
    free(d->gens);
    free(d->inst);
    ew_buf_fini(&d->snap_conn);
    ew_buf_fini(&d->snap_inst);
    ew__security_destroy(d);
    ew__log(d, "info", "stopped");
    if (d->log != NULL)
        fclose(d->log);
    free(d);
}
