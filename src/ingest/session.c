/* SPDX-License-Identifier: MIT */
/*
 * HJ 212 connections on the libuv loop: accept (with caps), read into a bounded stream
 * reader, authenticate by MN and PW against the in-memory registry, queue every frame for the
 * writer, and send the replies of a batch once the writer has committed it. A peer that does
 * not read its replies, a flood, or a silent connection is paused or closed; nothing a peer
 * sends can grow memory past the reader's bound and the write-queue limit.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <envwatch/err.h>

#include "ingest/internal.h"

static void on_close(uv_handle_t *h);

static void
on_shutdown(uv_shutdown_t *req, int status)
{
    (void)status;
    uv_close((uv_handle_t *)req->handle, on_close);
}

static uint64_t
slot_add(struct ew_daemon *d, struct session *s)
{
    size_t i;

    for (i = 0; i < d->nslots; i++)
        if (d->slots[i] == NULL)
            break;
    if (i == d->nslots) {
        size_t n = d->nslots ? d->nslots * 2 : 64;
        struct session **v = realloc(d->slots, n * sizeof(*v));
        if (v == NULL)
            return 0;
        d->slots = v;
        uint32_t *g = realloc(d->gens, n * sizeof(*g));
        if (g == NULL)
            return 0;
        d->gens = g;
        memset(d->slots + d->nslots, 0, (n - d->nslots) * sizeof(*v));
        memset(d->gens + d->nslots, 0, (n - d->nslots) * sizeof(*g));
        d->nslots = n;
    }
    d->slots[i] = s;
    d->gens[i]++;
    d->nsessions++;
    return (uint64_t)i << 32 | d->gens[i];
}

struct session *
ew__session_get(struct ew_daemon *d, uint64_t key)
{
    size_t i = (size_t)(key >> 32);

    if (key == 0 || i >= d->nslots || d->gens[i] != (uint32_t)key)
        return NULL;
    return d->slots[i];
}

static struct item *
item_new(size_t len)
{
    return calloc(1, sizeof(struct item) + len + 1);
}

static void
queue_item(struct ew_daemon *d, struct item *it)
{
    int rc = ew__queue_push(d, it);

    if (rc == EW_ESTATE) {
        free(it->reply);
        free(it);
        return;
    }
    if (rc == EW_EBUSY && !d->paused) {
        /* Back-pressure: the writer is behind. Stop reading every socket; nothing that was
         * read is dropped, and instruments simply wait (TCP flow control does the rest). */
        atomic_fetch_add_explicit(&d->m.paused, 1, memory_order_relaxed);
        ew__sessions_stop_reading(d);
    }
}

static void
session_close(struct session *s, const char *reason)
{
    struct ew_daemon *d = s->d;
    struct item *it;

    if (s->closing)
        return;
    s->closing = 1;
    it = item_new(0);
    if (it != NULL) {
        it->type = ITEM_CONN_CLOSE;
        it->session = s->key;
        it->t_recv_ms = ew__now_ms();
        it->verdict = reason;
        queue_item(d, it);
    }
    if (s->mn[0] != '\0') {
        struct instrument *in = ew__instrument(d, s->mn);
        if (in != NULL && in->session == s->key)
            in->session = 0;
    }
    if (s->reading) {
        uv_read_stop((uv_stream_t *)&s->tcp);
        s->reading = 0;
    }
    /* Replies already queued are flushed before the socket closes. */
    if (uv_shutdown(&s->shutdown, (uv_stream_t *)&s->tcp, on_shutdown) != 0)
        uv_close((uv_handle_t *)&s->tcp, on_close);
}

static void
on_close(uv_handle_t *h)
{
    struct session *s = h->data;
    struct ew_daemon *d = s->d;
    size_t i = (size_t)(s->key >> 32);

    if (s->key != 0 && i < d->nslots && d->slots[i] == s) {
        d->slots[i] = NULL;
        d->nsessions--;
    }
    atomic_store_explicit(&d->m.connections, d->nsessions, memory_order_relaxed);
    hj212_reader_destroy(s->reader);
    free(s);
}

struct write_req {
    uv_write_t req;
    struct session *s;
    char *bytes;
};

static void
on_write(uv_write_t *req, int status)
{
    struct write_req *w = (struct write_req *)req;

    w->s->pending_writes--;
    free(w->bytes);
    free(w);
    (void)status;
}

/* Sends bytes holding n replies (one write for all of them); takes bytes. */
static int
session_send_n(struct session *s, char *bytes, size_t len, unsigned n)
{
    struct write_req *w;
    uv_buf_t buf = uv_buf_init(bytes, (unsigned)len);

    if (s->closing) {
        free(bytes);
        return EW_ESTATE;
    }
    /* A peer that does not read what we send is not allowed to make us buffer without end. */
    if (uv_stream_get_write_queue_size((uv_stream_t *)&s->tcp) > s->d->cfg.max_write_queue) {
        free(bytes);
        ew__security_event(s->d, "security.slow_reader", s->peer, s->mn,
                           "does not read its replies: connection closed");
        session_close(s, "write-queue-full");
        return EW_ETOOBIG;
    }
    w = malloc(sizeof(*w));
    if (w == NULL) {
        free(bytes);
        return EW_ENOMEM;
    }
    w->s = s;
    w->bytes = bytes;
    if (uv_write(&w->req, (uv_stream_t *)&s->tcp, &buf, 1, on_write) != 0) {
        free(bytes);
        free(w);
        return EW_EIO;
    }
    s->pending_writes++;
    atomic_fetch_add_explicit(&s->d->m.replies, n, memory_order_relaxed);
    return EW_OK;
}

int
ew__session_send(struct session *s, char *bytes, size_t len)
{
    return session_send_n(s, bytes, len, 1);
}

/* ---- what to answer (HJ 212-2017 section 7.2; reference/hj212.md section 7) ---------------- */

enum answer { ANSWER_NONE, ANSWER_DATA, ANSWER_NOTICE, ANSWER_REQUEST };

static int
cn_number(struct hj212_str cn)
{
    int v = 0;

    if (cn.ptr == NULL || cn.len != 4)
        return -1;
    for (size_t i = 0; i < 4; i++) {
        if (cn.ptr[i] < '0' || cn.ptr[i] > '9')
            return -1;
        v = v * 10 + (cn.ptr[i] - '0');
    }
    return v;
}

static enum answer
answer_kind(int cn)
{
    switch (cn) {
    /* uploads from the field, and the field's data-carrying answers to our requests */
    case 1011: case 1061: case 1063:
    case 2011: case 2021: case 2031: case 2041: case 2051: case 2061: case 2081:
    case 3015: case 3017: case 3018: case 3019: case 3020:
        return ANSWER_DATA;
    /* notifications: 1013 asks for a time calibration; 9015 is the common heartbeat
     * (not in 2017, answered with 9013 as the instruments that send it expect) */
    case 1013: case 9015:
        return ANSWER_NOTICE;
    /* interaction replies are never answered (2017 section 7.2) */
    case 9011: case 9012: case 9013: case 9014:
        return ANSWER_NONE;
    }
    return ANSWER_REQUEST;
}

static void
build_answer(struct item *it, const struct hj212_pkt *p, enum answer a, int code)
{
    char buf[1100];
    size_t len = 0;
    enum hj212_reply kind = a == ANSWER_DATA     ? HJ212_REPLY_DATA
                            : a == ANSWER_NOTICE ? HJ212_REPLY_NOTICE
                                                 : HJ212_REPLY_QN;

    if (hj212_build_reply(buf, sizeof(buf), p, kind, code, &len) != HJ212_OK)
        return;
    it->reply = malloc(len);
    if (it->reply == NULL)
        return;
    memcpy(it->reply, buf, len);
    it->reply_len = len;
}

static void
copy_str(char *dst, size_t size, struct hj212_str s)
{
    size_t n = s.ptr == NULL ? 0 : s.len < size - 1 ? s.len : size - 1;

    if (n > 0)
        memcpy(dst, s.ptr, n);
    dst[n] = '\0';
}

static int
rate_exceeded(struct session *s, int64_t now)
{
    if (now - s->rate_window_ms >= 1000) {
        s->rate_window_ms = now;
        s->rate_count = 0;
    }
    return ++s->rate_count > s->d->cfg.rate_per_mn;
}

static void
on_frame(struct session *s, const struct hj212_pkt *p, int64_t now)
{
    struct ew_daemon *d = s->d;
    struct item *it;
    const struct reg_entry *e;
    int cn = cn_number(p->cn), flag_a = p->flag >= 0 && (p->flag & HJ212_FLAG_A);
    enum answer a = answer_kind(cn);

    atomic_fetch_add_explicit(&d->m.frames, 1, memory_order_relaxed);
    s->last_rx_ms = now;    /* idle means no whole frame: a slow drip of bytes is not alive */
    it = item_new(p->frame.len);
    if (it == NULL)
        return;
    it->type = ITEM_FRAME;
    it->session = s->key;
    it->t_recv_ms = now;
    it->cn = cn;
    memcpy(it->peer, s->peer, sizeof(it->peer));
    memcpy(it->bytes, p->frame.ptr, p->frame.len);
    it->len = p->frame.len;
    copy_str(it->mn, sizeof(it->mn), p->mn);
    copy_str(it->st, sizeof(it->st), p->st);
    it->verdict = "accepted";
    if (!p->crc_ok && p->crc_variant == HJ212_CRC_NONE) {
        /* 2017 section 6.3: processing of a packet with a wrong CRC ends here. */
        it->verdict = "bad-crc";
        atomic_fetch_add_explicit(&d->m.bad_crc, 1, memory_order_relaxed);
        ew__security_event(d, "security.bad_crc", s->peer, it->mn, "a frame with a wrong CRC");
        goto queue;
    }
    if (p->mn.ptr == NULL || p->mn.len == 0 || p->mn.len >= sizeof(it->mn)) {
        it->verdict = "no-mn";
        goto queue;
    }
    pthread_mutex_lock(&d->reg_mu);
    e = ew__registry_find(d->reg, p->mn.ptr, p->mn.len);
    struct reg_entry found = e != NULL ? *e : (struct reg_entry){ 0 };
    pthread_mutex_unlock(&d->reg_mu);
    if (e == NULL) {
        it->verdict = "unknown-mn";
        it->point_id = -1;
        atomic_fetch_add_explicit(&d->m.unknown_mn, 1, memory_order_relaxed);
        ew__security_event(d, "security.unknown_mn", s->peer, it->mn,
                           "an MN the registry does not know (kept as pending)");
        goto queue;
    }
    if (p->pw.ptr == NULL || strlen(found.pw) != p->pw.len ||
        memcmp(found.pw, p->pw.ptr, p->pw.len) != 0) {
        it->verdict = "bad-pw";
        atomic_fetch_add_explicit(&d->m.bad_pw, 1, memory_order_relaxed);
        ew__security_event(d, "security.bad_pw", s->peer, it->mn, "a wrong PW: frame refused");
        if (flag_a && a == ANSWER_REQUEST)
            build_answer(it, p, ANSWER_REQUEST, 3);     /* QnRtn 3: wrong PW */
        goto queue;
    }
    it->point_id = found.point_id;
    memcpy(it->kind, found.kind, sizeof(it->kind));
    if (p->cp.ptr != NULL && p->cp.ptr >= p->frame.ptr &&
        p->cp.ptr + p->cp.len <= p->frame.ptr + p->frame.len) {
        it->has_cp = 1;                 /* the writer need not parse the frame again */
        it->cp_off = (size_t)(p->cp.ptr - p->frame.ptr);
        it->cp_len = p->cp.len;
    }
    if (strcmp(s->mn, it->mn) != 0)
        memcpy(s->mn, it->mn, sizeof(s->mn));
    s->version = p->version;
    copy_str(s->st, sizeof(s->st), p->st);
    ew__instrument_seen(d, s, p, now);
    if (flag_a && a != ANSWER_NONE)
        build_answer(it, p, a, a == ANSWER_REQUEST ? 8 : 0);    /* QnRtn 8: unknown CN */
queue:
    queue_item(d, it);
}

static void
on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    struct session *s = h->data;
    size_t space = hj212_reader_space(s->reader);

    (void)suggested;
    if (space > sizeof(s->d->rbuf))
        space = sizeof(s->d->rbuf);
    *buf = uv_buf_init(s->d->rbuf, (unsigned)space);
}

/*
 * Takes the frames out of the connection's reader. Past rate_per_mn frames in a second the
 * connection is throttled: reading stops and the frames wait in the reader (and then in the
 * peer's TCP window) until the next tick. A flood slows down; nothing is dropped.
 */
static void
drain_reader(struct session *s, int64_t now)
{
    struct hj212_pkt p;
    uint64_t off;
    int rc;

    for (;;) {
        if (rate_exceeded(s, now)) {
            s->throttled = 1;
            atomic_fetch_add_explicit(&s->d->m.throttled, 1, memory_order_relaxed);
            ew__security_event(s->d, "security.flood", s->peer, s->mn,
                               "over rate_per_mn frames a second: reading paused");
            if (s->reading) {
                uv_read_stop((uv_stream_t *)&s->tcp);
                s->reading = 0;
            }
            return;
        }
        if ((rc = hj212_reader_next(s->reader, &p, &off)) == HJ212_EAGAIN) {
            s->rate_count--;            /* no frame was taken */
            return;
        }
        if (rc == HJ212_OK) {
            on_frame(s, &p, now);
            continue;
        }
        atomic_fetch_add_explicit(&s->d->m.bad_frame, 1, memory_order_relaxed);
        ew__security_event(s->d, "security.malformed", s->peer, s->mn,
                           "bytes that were no HJ 212 frame (skipped)");
    }
}

static void
on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
    struct session *s = stream->data;
    int64_t now = ew__now_ms();

    if (nread < 0) {
        session_close(s, nread == UV_EOF ? "peer-closed" : "read-error");
        return;
    }
    if (nread == 0)
        return;
    atomic_fetch_add_explicit(&s->d->m.bytes_in, (uint64_t)nread, memory_order_relaxed);
    if (hj212_reader_feed(s->reader, buf->base, (size_t)nread) != HJ212_OK) {
        ew__security_event(s->d, "security.oversize", s->peer, s->mn,
                           "more bytes than a frame may have: connection closed");
        session_close(s, "reader-full");
        return;
    }
    drain_reader(s, now);
}

static void
on_connection(uv_stream_t *server, int status)
{
    struct ew_daemon *d = server->data;
    struct session *s;
    struct sockaddr_storage ss;
    int namelen = sizeof(ss);
    struct item *it;
    size_t same_ip = 0;

    if (status < 0)
        return;
    s = calloc(1, sizeof(*s));
    if (s == NULL)
        return;
    s->d = d;
    uv_tcp_init(&d->loop, &s->tcp);
    s->tcp.data = s;
    if (uv_accept(server, (uv_stream_t *)&s->tcp) != 0) {
        uv_close((uv_handle_t *)&s->tcp, on_close);
        return;
    }
    uv_tcp_nodelay(&s->tcp, 1);
    uv_tcp_keepalive(&s->tcp, 1, 60);
    if (uv_tcp_getpeername(&s->tcp, (struct sockaddr *)&ss, &namelen) == 0) {
        char ip[INET6_ADDRSTRLEN] = "?";
        int port = 0;
        if (ss.ss_family == AF_INET) {
            struct sockaddr_in *a = (struct sockaddr_in *)&ss;
            uv_ip4_name(a, ip, sizeof(ip));
            port = ntohs(a->sin_port);
            s->ip4 = a->sin_addr.s_addr;
        } else if (ss.ss_family == AF_INET6) {
            struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
            uv_ip6_name(a, ip, sizeof(ip));
            port = ntohs(a->sin6_port);
            memcpy(&s->ip4, &a->sin6_addr.s6_addr[12], 4);
        }
        snprintf(s->peer, sizeof(s->peer), "%s:%d", ip, port);
    }
    for (size_t i = 0; i < d->nslots; i++)
        if (d->slots[i] != NULL && d->slots[i]->ip4 == s->ip4)
            same_ip++;
    if (d->nsessions >= d->cfg.max_connections || same_ip >= d->cfg.max_conn_per_ip) {
        atomic_fetch_add_explicit(&d->m.conn_refused, 1, memory_order_relaxed);
        ew__security_event(d, "security.conn_refused", s->peer, NULL,
                           d->nsessions >= d->cfg.max_connections ? "over the connection cap"
                                                                  : "over the per-address cap");
        uv_close((uv_handle_t *)&s->tcp, on_close);
        return;
    }
    if (hj212_reader_create(d->cfg.max_segment, &s->reader) != HJ212_OK ||
        (s->key = slot_add(d, s)) == 0) {
        uv_close((uv_handle_t *)&s->tcp, on_close);
        return;
    }
    atomic_store_explicit(&d->m.connections, d->nsessions, memory_order_relaxed);
    s->opened_ms = s->last_rx_ms = ew__now_ms();
    it = item_new(0);
    if (it != NULL) {
        it->type = ITEM_CONN_OPEN;
        it->session = s->key;
        it->t_recv_ms = s->opened_ms;
        memcpy(it->peer, s->peer, sizeof(it->peer));
        queue_item(d, it);
    }
    if (!d->paused) {
        uv_read_start((uv_stream_t *)&s->tcp, on_alloc, on_read);
        s->reading = 1;
    }
}

int
ew__sessions_listen(struct ew_daemon *d)
{
    struct sockaddr_storage addr;
    char host[128];
    const char *colon = strrchr(d->cfg.hj212_listen, ':');
    int port, rc, namelen = sizeof(addr);

    if (colon == NULL || (size_t)(colon - d->cfg.hj212_listen) >= sizeof(host))
        return EW_EINVAL;
    memcpy(host, d->cfg.hj212_listen, (size_t)(colon - d->cfg.hj212_listen));
    host[colon - d->cfg.hj212_listen] = '\0';
    port = (int)strtol(colon + 1, NULL, 10);
    if (uv_ip4_addr(host, port, (struct sockaddr_in *)&addr) != 0 &&
        uv_ip6_addr(host, port, (struct sockaddr_in6 *)&addr) != 0)
        return EW_EINVAL;
    uv_tcp_init(&d->loop, &d->server);
    d->server.data = d;
    if ((rc = uv_tcp_bind(&d->server, (struct sockaddr *)&addr, 0)) != 0 ||
        (rc = uv_listen((uv_stream_t *)&d->server, 1024, on_connection)) != 0) {
        ew__log(d, "error", "hj212 listen on %s: %s", d->cfg.hj212_listen, uv_strerror(rc));
        return EW_EIO;
    }
    uv_tcp_getsockname(&d->server, (struct sockaddr *)&addr, &namelen);
    d->hj212_port = ntohs(((struct sockaddr_in *)&addr)->sin_port);
    return EW_OK;
}

void
ew__sessions_resume(struct ew_daemon *d)
{
    if (!d->paused)
        return;
    d->paused = 0;
    for (size_t i = 0; i < d->nslots; i++) {
        struct session *s = d->slots[i];
        if (s != NULL && !s->reading && !s->closing && !s->throttled) {
            uv_read_start((uv_stream_t *)&s->tcp, on_alloc, on_read);
            s->reading = 1;
        }
    }
}

/* The writer committed a batch: send its replies, free its items, maybe resume reading. */
void
ew__sessions_on_done(uv_async_t *a)
{
    struct ew_daemon *d = a->data;
    struct item *head, *next;
    size_t depth;

    pthread_mutex_lock(&d->q.mu);
    head = d->q.done_head;
    d->q.done_head = d->q.done_tail = NULL;
    depth = d->q.n;
    pthread_mutex_unlock(&d->q.mu);
    /*
     * A connection's replies in this batch leave in one write, in the order of their packets:
     * an instrument that pipelines (or a city's worth behind one gateway) costs one send()
     * per commit, not one per packet. First the size of each connection's replies, then one
     * buffer each, then the writes. A connection closed meanwhile gets nothing.
     */
    struct session *touched = NULL, *s;
    for (struct item *it = head; it != NULL; it = it->next) {
        if (it->reply == NULL || (s = ew__session_get(d, it->session)) == NULL || s->closing)
            continue;
        if (s->out_n++ == 0) {
            s->out_len = 0;
            s->out_next = touched;
            touched = s;
        }
        s->out_len += it->reply_len;
    }
    for (s = touched; s != NULL; s = s->out_next) {
        s->out_used = 0;
        if ((s->out = malloc(s->out_len)) == NULL)
            s->out_n = 0;               /* not acknowledged: the instrument sends again */
    }
    for (struct item *it = head; it != NULL; it = next) {
        next = it->next;
        if (it->reply != NULL) {
            s = ew__session_get(d, it->session);
            if (s != NULL && s->out != NULL && s->out_used + it->reply_len <= s->out_len) {
                memcpy(s->out + s->out_used, it->reply, it->reply_len);
                s->out_used += it->reply_len;
            }
            free(it->reply);
        }
        free(it);
    }
    for (s = touched; s != NULL; s = s->out_next) {
        if (s->out != NULL)
            session_send_n(s, s->out, s->out_used, s->out_n);
        s->out = NULL;
        s->out_n = 0;
    }
    if (d->stopped) {
        /* Draining for a stop: once the writer has committed everything, say goodbye. */
        if (atomic_load(&d->writer_exited)) {
            ew__sessions_close_all(d);
            uv_close((uv_handle_t *)&d->done_async, NULL);
        }
        return;
    }
    if (d->paused && depth < d->q.cap / 2)
        ew__sessions_resume(d);
}

void
ew__sessions_tick(struct ew_daemon *d, int64_t now)
{
    for (size_t i = 0; i < d->nslots; i++) {
        struct session *s = d->slots[i];
        if (s == NULL || s->closing)
            continue;
        if (s->throttled) {
            s->throttled = 0;
            drain_reader(s, now);
            if (!s->throttled && !s->reading && !d->paused && !d->stopped) {
                uv_read_start((uv_stream_t *)&s->tcp, on_alloc, on_read);
                s->reading = 1;
            }
            continue;
        }
        if (now - s->last_rx_ms > (int64_t)d->cfg.idle_timeout_s * 1000) {
            ew__security_event(d, "security.idle_timeout", s->peer, s->mn,
                               "no valid frame within idle_timeout_s: connection closed");
            session_close(s, "idle-timeout");
        }
    }
}

void
ew__sessions_close_all(struct ew_daemon *d)
{
    for (size_t i = 0; i < d->nslots; i++)
        if (d->slots[i] != NULL)
            session_close(d->slots[i], "shutdown");
}

void
ew__sessions_stop_reading(struct ew_daemon *d)
{
    d->paused = 1;
    for (size_t i = 0; i < d->nslots; i++) {
        struct session *s = d->slots[i];
        if (s != NULL && s->reading) {
            uv_read_stop((uv_stream_t *)&s->tcp);
            s->reading = 0;
        }
    }
}

