/* SPDX-License-Identifier: MIT */
/*
 * The ledger's writer hook: at start it reads the [ledger] holiday calendar and scorecard
 * files (a bad file stops the daemon with the reason, rather than running with wrong
 * deadlines) and publishes them to the store, so the API threads and the CLI use the same
 * ones; every tick it runs the deadline pass in the writer's transaction; once a day after
 * digest_hour it stores the digest and hands it to a sender thread, which POSTs it to
 * digest_webhook_url (plain HTTP, 3 tries with a 5 s timeout each). The writer never waits on
 * the network; a digest that cannot be delivered stays readable in the store and over the API.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <envwatch/assess.h>
#include <envwatch/err.h>
#include <envwatch/hooks.h>
#include <envwatch/ledger.h>

#include "ledger/internal.h"
#include "util/buf.h"
#include "util/time.h"

#define FILE_MAX (1 << 20)              /* a calendar or scorecard file */
#define POST_TIMEOUT_MS 5000
#define POST_TRIES 3

struct lh {
    struct ew_calendar *cal;
    char               *holidays, *scorecard;   /* file texts, published on the first tick */
    int                 published;
    char                host[256], port[8], path[512];
    unsigned            hour;
    pthread_t           th;
    int                 th_started;
    atomic_int          th_busy;
    char               *body;                   /* owned by the sender while busy */
};

static int
read_file(const char *path, char **out)
{
    FILE *in = fopen(path, "rb");
    char *buf;
    size_t n;

    if (in == NULL)
        return EW_EIO;
    buf = malloc(FILE_MAX + 1);
    n = buf != NULL ? fread(buf, 1, FILE_MAX + 1, in) : 0;
    fclose(in);
    if (buf == NULL)
        return EW_ENOMEM;
    if (n > FILE_MAX) {
        free(buf);
        return EW_ETOOBIG;
    }
    buf[n] = '\0';
    *out = buf;
    return EW_OK;
}

/* http://host[:port]/path; https is not spoken (a local relay can). */
static int
parse_url(struct lh *h, const char *url)
{
    const char *p = url + 7, *slash, *colon;
    size_t hl;

    if (strncmp(url, "http://", 7) != 0)
        return EW_EINVAL;
    slash = strchr(p, '/');
    if (slash == NULL)
        slash = p + strlen(p);
    colon = memchr(p, ':', (size_t)(slash - p));
    hl = (size_t)((colon != NULL ? colon : slash) - p);
    if (hl == 0 || hl >= sizeof(h->host))
        return EW_EINVAL;
    memcpy(h->host, p, hl);
    h->host[hl] = '\0';
    snprintf(h->port, sizeof(h->port), "%.*s", colon != NULL ? (int)(slash - colon - 1) : 2,
             colon != NULL ? colon + 1 : "80");
    snprintf(h->path, sizeof(h->path), "%s", *slash != '\0' ? slash : "/");
    return EW_OK;
}

static int
create(const struct ew_config *cfg, void **state)
{
    struct lh *h = calloc(1, sizeof(*h));
    struct ew_scorecard_cfg *card = NULL;
    int rc = EW_OK;

    if (h == NULL)
        return EW_ENOMEM;
    h->hour = cfg->ledger_digest_hour;
    if (cfg->ledger_digest_url[0] != '\0')
        rc = parse_url(h, cfg->ledger_digest_url);
    if (rc == EW_OK)
        rc = ew_calendar_create(&h->cal);
    if (rc == EW_OK && cfg->ledger_holidays[0] != '\0' &&
        (rc = read_file(cfg->ledger_holidays, &h->holidays)) == EW_OK)
        rc = ew_calendar_parse(h->cal, h->holidays, NULL, NULL, 0);
    if (rc == EW_OK && cfg->ledger_scorecard[0] != '\0' &&
        (rc = read_file(cfg->ledger_scorecard, &h->scorecard)) == EW_OK) {
        card = malloc(sizeof(*card));
        rc = card == NULL ? EW_ENOMEM : ew_scorecard_parse(h->scorecard, card, NULL, NULL, 0);
        free(card);
    }
    if (rc != EW_OK) {
        ew_calendar_destroy(h->cal);
        free(h->holidays);
        free(h->scorecard);
        free(h);
        return rc;
    }
    *state = h;
    return EW_OK;
}

static void
destroy(void *state)
{
    struct lh *h = state;

    if (h == NULL)
        return;
    if (h->th_started)
        pthread_join(h->th, NULL);
    free(h->body);
    ew_calendar_destroy(h->cal);
    free(h->holidays);
    free(h->scorecard);
    free(h);
}

/* ---- the sender ------------------------------------------------------------------------- */

static int
wait_fd(int fd, short ev)
{
    struct pollfd p = { .fd = fd, .events = ev };

    return poll(&p, 1, POST_TIMEOUT_MS) == 1 ? 0 : -1;
}

static int
dial(const struct lh *h)
{
    struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai = NULL;
    int fd = -1, err = 0;
    socklen_t el = sizeof(err);

    if (getaddrinfo(h->host, h->port, &hints, &ai) != 0)
        return -1;
    fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) != 0 &&
        (errno != EINPROGRESS || wait_fd(fd, POLLOUT) != 0 ||
         getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) != 0 || err != 0)) {
        close(fd);
        fd = -1;
    }
    freeaddrinfo(ai);
    return fd;
}

/* One POST; 0 on a 2xx answer. */
static int
post(const struct lh *h, const char *body)
{
    struct ew_buf req;
    char status[64] = "";
    size_t off = 0;
    int fd = dial(h), ok = -1;

    if (fd < 0)
        return -1;
    ew_buf_init(&req, 0);
    ew_buf_printf(&req, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"
                  "Content-Length: %zu\r\nConnection: close\r\n\r\n%s", h->path, h->host,
                  strlen(body), body);
    while (req.ptr != NULL && off < req.len && wait_fd(fd, POLLOUT) == 0) {
        ssize_t n = send(fd, req.ptr + off, req.len - off, MSG_NOSIGNAL);
        if (n <= 0)
            break;
        off += (size_t)n;
    }
    if (req.ptr != NULL && off == req.len && wait_fd(fd, POLLIN) == 0 &&
        recv(fd, status, sizeof(status) - 1, 0) > 12 && strncmp(status, "HTTP/1.", 7) == 0 &&
        status[9] == '2')
        ok = 0;
    ew_buf_fini(&req);
    close(fd);
    return ok;
}

static void *
sender(void *arg)
{
    struct lh *h = arg;

    for (int i = 0; i < POST_TRIES && post(h, h->body) != 0; i++)
        sleep(1u << i);
    atomic_store(&h->th_busy, 0);
    return NULL;
}

static void
send_digest(struct lh *h, const char *body)
{
    if (h->host[0] == '\0' || atomic_load(&h->th_busy))
        return;
    if (h->th_started)
        pthread_join(h->th, NULL);
    h->th_started = 0;
    free(h->body);
    if ((h->body = strdup(body)) == NULL)
        return;
    atomic_store(&h->th_busy, 1);
    if (pthread_create(&h->th, NULL, sender, h) == 0)
        h->th_started = 1;
    else
        atomic_store(&h->th_busy, 0);
}

/* ---- the tick ---------------------------------------------------------------------------- */

static int
publish_files(struct lh *h, struct ew_store *s)
{
    int rc = EW_OK;

    if (h->holidays != NULL)
        rc = ew_store_ledger_kv_put(s, "holidays", h->holidays);
    if (rc == EW_OK && h->scorecard != NULL)
        rc = ew_store_ledger_kv_put(s, "scorecard", h->scorecard);
    h->published = rc == EW_OK;
    return rc;
}

/* Once a day, after digest_hour: store the digest and send it. */
static int
digest(struct lh *h, const struct ew_hook_env *env, int64_t now)
{
    struct ew_civil cv;
    struct ew_buf b;
    char day[16], *last = NULL;
    int rc;

    ew_unix_to_civil(now, &cv);
    if ((unsigned)cv.hour < h->hour)
        return EW_OK;
    snprintf(day, sizeof(day), "%04d-%02d-%02d", cv.year, cv.month, cv.day);
    rc = ew_store_ledger_kv_get(env->s, "digest.day", &last);
    if (rc == EW_OK && strcmp(last, day) == 0) {
        free(last);
        return EW_OK;
    }
    free(last);
    if (rc != EW_OK && rc != EW_ENOTFOUND)
        return rc;
    ew_buf_init(&b, 16 << 20);
    rc = ew_ledger_digest(env->s, now, NULL, &b);
    if (rc == EW_OK && (rc = ew_store_ledger_kv_put(env->s, "digest.day", day)) == EW_OK &&
        (rc = ew_store_ledger_kv_put(env->s, "digest.json", b.ptr)) == EW_OK) {
        send_digest(h, b.ptr);
        if (env->publish != NULL)
            env->publish(env->pub_ctx, "ledger.digest", b.ptr);
    }
    ew_buf_fini(&b);
    return rc;
}

static int
on_tick(void *state, const struct ew_hook_env *env)
{
    struct lh *h = state;
    struct ew_ledger_sweep_result sw;
    int64_t now = env->now_ms / 1000;
    char ev[96];
    int rc;

    if (!h->published && (rc = publish_files(h, env->s)) != EW_OK)
        return rc;
    if ((rc = ew_ledger_sweep(env->s, now, NULL, h->cal, &sw)) != EW_OK)
        return rc;
    if ((sw.overdue > 0 || sw.escalated > 0) && env->publish != NULL) {
        snprintf(ev, sizeof(ev), "{\"overdue\":%d,\"escalated\":%d}", sw.overdue, sw.escalated);
        env->publish(env->pub_ctx, "ledger.overdue", ev);
    }
    return digest(h, env, now);
}

const struct ew_hook ew_ledger_hook = {
    .name = "ledger",
    .tick_s = 60,
    .create = create,
    .destroy = destroy,
    .on_frame = NULL,
    .on_tick = on_tick,
};
