/* SPDX-License-Identifier: MIT */
/*
 * The simulator's event loop: one libuv loop, one TCP connection per simulated datalogger (the
 * datalogger dials the platform, reference/hj212.md 7.1), a timer per device for its schedule
 * and re-sends, reconnection with exponential back-off, and the stop conditions (duration,
 * count, signals). The protocol lives in the device (sim_device.c); this file moves bytes.
 */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include <envwatch/err.h>

#include "ingest/sim.h"

#define BACKOFF_MIN_MS 1000
#define BACKOFF_MAX_MS 60000
#define WRITE_QUEUE_MAX ((size_t)1 << 20)  /* unsent bytes before a device pauses */
#define DRAIN_CHECK_MS 100
#define MAX_WAIT_MS (3600 * 1000)

enum conn_state { C_IDLE, C_CONNECTING, C_UP, C_CLOSING };

struct sim;

struct conn {
    struct sim         *sim;
    struct ew_sim_dev   dev;
    uv_tcp_t            tcp;
    uv_connect_t        creq;
    uv_timer_t          wake;           /* schedule and re-send timeouts */
    uv_timer_t          retry;          /* reconnect back-off */
    struct hj212_reader *rd;
    enum conn_state     state;
    int                 ever_up;
    unsigned            backoff_ms;
    char                rbuf[4096];
};

struct sim {
    uv_loop_t           loop;
    const struct ew_sim_run_cfg *cfg;
    struct conn        *c;
    size_t              n, connected;
    struct sockaddr_storage addr;
    uint64_t            real0_ms;
    int64_t             base0_ms;
    uint64_t            budget;         /* uploads left under --count */
    uint64_t            drain_until_ms; /* --count: give up waiting for 9014 after this */
    uint64_t            rng;
    int                 stopping;
    uv_timer_t          stop_timer, summary_timer, drain_timer;
    uv_signal_t         sigint, sigterm;
    struct ew_buf       out;
};

struct wreq {
    uv_write_t req;
    struct conn *c;
    char data[];
};

static void pump(struct conn *c);
static void start_connect(struct conn *c);
static void close_conn(struct conn *c);

static int64_t
base_now(const struct sim *s)
{
    double real = (double)(uv_now(&s->loop) - s->real0_ms);

    return s->base0_ms + (int64_t)floor(real * s->cfg->speed);
}

static uint64_t *
budget_of(struct sim *s)
{
    return s->cfg->count > 0 ? &s->budget : NULL;
}

static void
on_write(uv_write_t *req, int status)
{
    struct wreq *w = (struct wreq *)req;
    struct conn *c = w->c;

    free(w);
    if (status < 0 && c->state == C_UP)
        close_conn(c);
}

static void
send_bytes(struct conn *c, const char *data, size_t len)
{
    struct wreq *w = malloc(sizeof(*w) + len);
    uv_buf_t b;

    if (w == NULL) {
        close_conn(c);
        return;
    }
    w->c = c;
    memcpy(w->data, data, len);
    b = uv_buf_init(w->data, (unsigned)len);
    if (uv_write(&w->req, (uv_stream_t *)&c->tcp, &b, 1, on_write) != 0) {
        free(w);
        close_conn(c);
    }
}

/* Real loop time (ms) at which the simulated base clock reaches base_ms. */
static uint64_t
real_of(const struct sim *s, int64_t base_ms)
{
    double d = (double)(base_ms - s->base0_ms) / s->cfg->speed;

    return s->real0_ms + (uint64_t)(d > 0 ? ceil(d) : 0);
}

static void
on_wake(uv_timer_t *t)
{
    pump(t->data);
}

static void
schedule(struct conn *c, int paused)
{
    struct sim *s = c->sim;
    int64_t bdue, rdue;
    uint64_t now = uv_now(&s->loop), at = UINT64_MAX;

    ew_sim_dev_next_event(&c->dev, base_now(s), &bdue, &rdue);
    if (bdue != INT64_MAX && !(budget_of(s) != NULL && s->budget == 0))
        at = real_of(s, bdue);
    if (c->state == C_UP && rdue != INT64_MAX && (uint64_t)rdue < at)
        at = (uint64_t)rdue;
    if (paused && now + 50 < at)
        at = now + 50;
    if (at == UINT64_MAX) {
        uv_timer_stop(&c->wake);
        return;
    }
    at = at > now ? at - now : 0;
    uv_timer_start(&c->wake, on_wake, at > MAX_WAIT_MS ? MAX_WAIT_MS : at, 0);
}

static void
pump(struct conn *c)
{
    struct sim *s = c->sim;
    int dead = 0, paused = 0;

    if (s->stopping)
        return;
    if (ew_sim_dev_advance(&c->dev, base_now(s), budget_of(s)) != EW_OK)
        c->dev.stats.dropped++;
    if (budget_of(s) != NULL && s->budget == 0 && s->drain_until_ms == 0)
        s->drain_until_ms = uv_now(&s->loop) + 1000 * (uint64_t)(c->dev.opts.overtime_s *
                                                                 (c->dev.opts.recount + 1) + 2);
    if (c->state == C_UP) {
        paused = c->tcp.write_queue_size > WRITE_QUEUE_MAX;
        ew_buf_reset(&s->out);
        if (!paused && ew_sim_dev_output(&c->dev, (int64_t)uv_now(&s->loop), &s->out, &dead)
            != EW_OK)
            dead = 1;
        if (s->out.len > 0)
            send_bytes(c, s->out.ptr, s->out.len);
        if (dead && c->state == C_UP)
            close_conn(c);
    }
    schedule(c, paused);
}

static void
on_retry(uv_timer_t *t)
{
    start_connect(t->data);
}

static void
on_tcp_close(uv_handle_t *h)
{
    struct conn *c = h->data;
    struct sim *s = c->sim;
    double jitter;

    c->state = C_IDLE;
    if (s->stopping || c->dev.silent)
        return;
    s->rng = ew_sim_hash(s->rng + 1);
    jitter = 0.8 + 0.4 * (double)(s->rng >> 11) * 0x1.0p-53;
    uv_timer_start(&c->retry, on_retry, (uint64_t)(c->backoff_ms * jitter), 0);
    c->backoff_ms = c->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : c->backoff_ms * 2;
    schedule(c, 0);
}

static void
close_conn(struct conn *c)
{
    if (c->state == C_UP) {
        c->sim->connected--;
        uv_read_stop((uv_stream_t *)&c->tcp);
    }
    if (c->state == C_UP || c->state == C_CONNECTING) {
        ew_sim_dev_link_down(&c->dev);
        c->state = C_CLOSING;
        uv_close((uv_handle_t *)&c->tcp, on_tcp_close);
    }
}

static void
on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    struct conn *c = h->data;

    (void)suggested;
    *buf = uv_buf_init(c->rbuf, sizeof(c->rbuf));
}

/* Takes every complete frame out of the reader and hands it to the device. */
static void
drain_reader(struct conn *c)
{
    struct hj212_pkt pkt;
    uint64_t off;
    int rc;

    while ((rc = hj212_reader_next(c->rd, &pkt, &off)) != HJ212_EAGAIN) {
        if (rc != HJ212_OK) {
            c->dev.stats.bad_frames++;
            continue;
        }
        if (pkt.crc_ok)
            c->backoff_ms = BACKOFF_MIN_MS;     /* the platform speaks: the link is good */
        if (ew_sim_dev_input(&c->dev, &pkt, base_now(c->sim)) != EW_OK)
            c->dev.stats.dropped++;
    }
}

static void
on_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf)
{
    struct conn *c = st->data;
    size_t done = 0;

    if (nread < 0) {
        close_conn(c);
        return;
    }
    while (done < (size_t)nread) {
        size_t room = hj212_reader_space(c->rd), k = (size_t)nread - done;

        if (k > room)
            k = room;
        if (k == 0 || hj212_reader_feed(c->rd, buf->base + done, k) != HJ212_OK) {
            close_conn(c);              /* cannot happen after a full drain; be safe */
            return;
        }
        done += k;
        drain_reader(c);
    }
    pump(c);
}

static void
on_connect(uv_connect_t *req, int status)
{
    struct conn *c = req->data;
    struct hj212_reader *rd = NULL;

    if (c->state != C_CONNECTING)
        return;
    if (status < 0 || hj212_reader_create(HJ212_SEG_MAX, &rd) != HJ212_OK ||
        uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) != 0) {
        hj212_reader_destroy(rd);
        close_conn(c);
        return;
    }
    hj212_reader_destroy(c->rd);
    c->rd = rd;
    c->state = C_UP;
    c->sim->connected++;
    c->dev.stats.reconnects += c->ever_up;
    c->ever_up = 1;
    ew_sim_dev_link_up(&c->dev);
    pump(c);
}

static void
start_connect(struct conn *c)
{
    struct sim *s = c->sim;

    if (s->stopping || c->dev.silent)
        return;
    uv_tcp_init(&s->loop, &c->tcp);
    c->tcp.data = c;
    c->creq.data = c;
    uv_tcp_nodelay(&c->tcp, 1);
    c->state = C_CONNECTING;
    if (uv_tcp_connect(&c->creq, &c->tcp, (const struct sockaddr *)&s->addr, on_connect) != 0)
        close_conn(c);
}

static void
totals(const struct sim *s, struct ew_sim_stats *t, size_t *pending)
{
    *t = (struct ew_sim_stats){ 0 };
    *pending = 0;
    for (size_t i = 0; i < s->n; i++) {
        const struct ew_sim_stats *d = &s->c[i].dev.stats;

        t->sent += d->sent;
        t->acked += d->acked;
        t->resent += d->resent;
        t->dropped += d->dropped;
        t->requests += d->requests;
        t->replies += d->replies;
        t->bad_frames += d->bad_frames;
        t->reconnects += d->reconnects;
        *pending += ew_sim_dev_pending(&s->c[i].dev);
    }
}

static void
summary(struct sim *s, int final)
{
    struct ew_sim_stats t;
    size_t pending;

    if (s->cfg->on_summary == NULL)
        return;
    totals(s, &t, &pending);
    s->cfg->on_summary(s->cfg->arg, &t, s->connected, pending,
                       (double)(uv_now(&s->loop) - s->real0_ms) / 1000.0, final);
}

static void
on_summary_timer(uv_timer_t *t)
{
    summary(t->data, 0);
}

static void
stop_all(struct sim *s)
{
    if (s->stopping)
        return;
    summary(s, 1);
    s->stopping = 1;
    uv_close((uv_handle_t *)&s->stop_timer, NULL);
    uv_close((uv_handle_t *)&s->summary_timer, NULL);
    uv_close((uv_handle_t *)&s->drain_timer, NULL);
    uv_close((uv_handle_t *)&s->sigint, NULL);
    uv_close((uv_handle_t *)&s->sigterm, NULL);
    for (size_t i = 0; i < s->n; i++) {
        struct conn *c = &s->c[i];

        close_conn(c);
        uv_close((uv_handle_t *)&c->wake, NULL);
        uv_close((uv_handle_t *)&c->retry, NULL);
    }
}

static void
on_stop_timer(uv_timer_t *t)
{
    stop_all(t->data);
}

static void
on_signal(uv_signal_t *h, int signum)
{
    (void)signum;
    stop_all(h->data);
}

/* --count: stop once the last upload is made and every queued one is confirmed, or when the
 * time to confirm them (OverTime x (ReCount + 1)) has run out. */
static void
on_drain_timer(uv_timer_t *t)
{
    struct sim *s = t->data;
    struct ew_sim_stats tot;
    size_t pending;

    if (s->budget > 0 || s->drain_until_ms == 0)
        return;
    totals(s, &tot, &pending);
    for (size_t i = 0; i < s->n; i++)
        pending += s->c[i].state == C_UP ? s->c[i].tcp.write_queue_size : 0;
    if (pending == 0 || uv_now(&s->loop) >= s->drain_until_ms)
        stop_all(s);
}

static int
resolve(struct sim *s, const char *host, int port)
{
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
    uv_getaddrinfo_t req;
    char service[16];
    int rc;

    snprintf(service, sizeof(service), "%d", port);
    rc = uv_getaddrinfo(&s->loop, &req, NULL, host, service, &hints);
    if (rc != 0)
        return EW_EIO;
    memcpy(&s->addr, req.addrinfo->ai_addr, req.addrinfo->ai_addrlen);
    uv_freeaddrinfo(req.addrinfo);
    return EW_OK;
}

static void
start_timers(struct sim *s)
{
    const struct ew_sim_run_cfg *cfg = s->cfg;
    uint64_t every = (uint64_t)(cfg->summary_s > 0 ? cfg->summary_s * 1000 : 60000);

    uv_timer_init(&s->loop, &s->stop_timer);
    uv_timer_init(&s->loop, &s->summary_timer);
    uv_timer_init(&s->loop, &s->drain_timer);
    s->stop_timer.data = s->summary_timer.data = s->drain_timer.data = s;
    if (cfg->duration_s > 0)
        uv_timer_start(&s->stop_timer, on_stop_timer, (uint64_t)(cfg->duration_s * 1000), 0);
    uv_timer_start(&s->summary_timer, on_summary_timer, every, every);
    if (cfg->count > 0)
        uv_timer_start(&s->drain_timer, on_drain_timer, DRAIN_CHECK_MS, DRAIN_CHECK_MS);
    uv_signal_init(&s->loop, &s->sigint);
    uv_signal_init(&s->loop, &s->sigterm);
    s->sigint.data = s->sigterm.data = s;
    uv_signal_start(&s->sigint, on_signal, SIGINT);
    uv_signal_start(&s->sigterm, on_signal, SIGTERM);
}

static int
start_devices(struct sim *s, const struct ew_sim_point *points)
{
    for (size_t i = 0; i < s->n; i++) {
        struct conn *c = &s->c[i];
        int err = ew_sim_dev_init(&c->dev, &points[i], &s->cfg->opts, s->base0_ms);

        if (err != EW_OK)
            return err;
        c->sim = s;
        c->backoff_ms = BACKOFF_MIN_MS;
        uv_timer_init(&s->loop, &c->wake);
        uv_timer_init(&s->loop, &c->retry);
        c->wake.data = c->retry.data = c;
        start_connect(c);
        schedule(c, 0);
    }
    return EW_OK;
}

static int
check_cfg(const struct ew_sim_run_cfg *cfg, size_t n)
{
    if (n == 0 || cfg->host == NULL || cfg->port <= 0 || cfg->port > 65535 ||
        !(cfg->speed > 0) || !isfinite(cfg->speed) || cfg->duration_s < 0 ||
        !ew_sim_opts_valid(&cfg->opts))
        return EW_EINVAL;
    return EW_OK;
}

int
ew_sim_run(const struct ew_sim_run_cfg *cfg, const struct ew_sim_point *points, size_t n)
{
    struct sim *s;
    int err = check_cfg(cfg, n);

    if (err != EW_OK)
        return err;
    s = calloc(1, sizeof(*s));
    if (s == NULL || (s->c = calloc(n, sizeof(*s->c))) == NULL) {
        free(s);
        return EW_ENOMEM;
    }
    s->cfg = cfg;
    s->n = n;
    s->budget = cfg->count;
    s->rng = ew_sim_hash((uint64_t)cfg->opts.start_ms);
    ew_buf_init(&s->out, 0);
    uv_loop_init(&s->loop);
    err = resolve(s, cfg->host, cfg->port);
    if (err == EW_OK) {
        s->real0_ms = uv_now(&s->loop);
        s->base0_ms = cfg->opts.start_ms;
        start_timers(s);
        err = start_devices(s, points);
        if (err != EW_OK)
            stop_all(s);
        uv_run(&s->loop, UV_RUN_DEFAULT);
    }
    uv_loop_close(&s->loop);
    for (size_t i = 0; i < n; i++) {
        ew_sim_dev_fini(&s->c[i].dev);
        hj212_reader_destroy(s->c[i].rd);
    }
    ew_buf_fini(&s->out);
    free(s->c);
    free(s);
    return err;
}
