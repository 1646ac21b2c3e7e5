/* SPDX-License-Identifier: MIT */
/*
 * The webhook notifier: one thread that POSTs each alarm event as JSON to [alarms]
 * webhook_url over plain HTTP/1.1 (one connection per event, "Connection: close"), with a
 * bounded queue, a timeout on every connect, send and receive, and retries with a doubling
 * pause. The writer only ever appends to the queue (never waits on the network): a full
 * queue is refused at once, and the event stays in the store's outbox for the next tick.
 * https is not supported: put a local relay in front of an https or SMS gateway.
 *
 * Any 2xx status is delivery. An event that fails every try is given up (counted), so one
 * dead receiver cannot hold back the events behind it.
 */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <envwatch/err.h>

#include "alarm/internal.h"
#include "util/buf.h"

struct note {
    struct note *next;
    int64_t      id;
    char        *body;
};

struct al_notifier {
    char            host[256], port[8], path[1024];
    unsigned        timeout_ms, retries;
    size_t          cap, n;
    struct note    *head, *tail;
    int             stopping;
    pthread_mutex_t mu;
    pthread_cond_t  cond;
    pthread_t       thread;
    atomic_int_fast64_t done_id;
    atomic_uint_fast64_t sent, failed;
};

int
al_url_parse(const char *url, char *host, size_t host_len, char *port, size_t port_len,
             char *path, size_t path_len)
{
    const char *h, *end, *colon, *slash;
    size_t hl;

    if (strncmp(url, "http://", 7) != 0)
        return -1;                      /* https and other schemes are not supported */
    h = url + 7;
    slash = strchr(h, '/');
    end = slash != NULL ? slash : h + strlen(h);
    if (*h == '[') {                    /* [v6]:port */
        const char *close = memchr(h, ']', (size_t)(end - h));
        if (close == NULL)
            return -1;
        colon = close + 1 < end && close[1] == ':' ? close + 1 : NULL;
        hl = (size_t)(close - h - 1);
        h++;
    } else {
        colon = memchr(h, ':', (size_t)(end - h));
        hl = (size_t)((colon != NULL ? colon : end) - h);
    }
    if (hl == 0 || hl >= host_len)
        return -1;
    memcpy(host, h, hl);
    host[hl] = '\0';
    if (colon != NULL) {
        size_t pl = (size_t)(end - colon - 1);
        if (pl == 0 || pl >= port_len || strspn(colon + 1, "0123456789") < pl)
            return -1;
        memcpy(port, colon + 1, pl);
        port[pl] = '\0';
    } else {
        snprintf(port, port_len, "80");
    }
    if (snprintf(path, path_len, "%s", slash != NULL ? slash : "/") >= (int)path_len)
        return -1;
    /* No spaces or line breaks: the path goes into the request line as it is. */
    long p = strtol(port, NULL, 10);
    return strcspn(path, " \r\n") == strlen(path) && p > 0 && p < 65536 ? 0 : -1;
}

/* ---- one HTTP exchange ------------------------------------------------------------------- */

static int
wait_fd(int fd, short events, unsigned timeout_ms)
{
    struct pollfd p = { .fd = fd, .events = events };
    int rc;

    do
        rc = poll(&p, 1, (int)timeout_ms);
    while (rc < 0 && errno == EINTR);
    return rc == 1 ? 0 : -1;
}

static int
dial(const struct al_notifier *n)
{
    struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res = NULL, *ai;
    int fd = -1;

    if (getaddrinfo(n->host, n->port, &hints, &res) != 0)
        return -1;
    for (ai = res; ai != NULL && fd < 0; ai = ai->ai_next) {
        int err = 0;
        socklen_t len = sizeof(err);
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0)
            continue;
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0 &&
            (errno != EINPROGRESS || wait_fd(fd, POLLOUT, n->timeout_ms) != 0 ||
             getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0)) {
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    return fd;
}

static int
send_all(int fd, const char *p, size_t len, unsigned timeout_ms)
{
    while (len > 0) {
        ssize_t w = send(fd, p, len, MSG_NOSIGNAL);
        if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
            if (wait_fd(fd, POLLOUT, timeout_ms) != 0)
                return -1;
            continue;
        }
        if (w <= 0)
            return -1;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

/* Reads until the status line is complete; 0 when it says 2xx. */
static int
read_status(int fd, unsigned timeout_ms)
{
    char buf[256];
    size_t len = 0;

    while (len < sizeof(buf) - 1 && memchr(buf, '\n', len) == NULL) {
        ssize_t r;
        if (wait_fd(fd, POLLIN, timeout_ms) != 0)
            return -1;
        r = recv(fd, buf + len, sizeof(buf) - 1 - len, 0);
        if (r < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
        if (r <= 0)
            break;
        len += (size_t)r;
    }
    buf[len] = '\0';
    /* "HTTP/1.x 2dd ..." */
    return strncmp(buf, "HTTP/1.", 7) == 0 && len >= 12 && buf[9] == '2' ? 0 : -1;
}

static int
post(const struct al_notifier *n, const char *body)
{
    struct ew_buf req;
    int fd, rc = -1;
    size_t blen = strlen(body);

    ew_buf_init(&req, 0);
    if (ew_buf_printf(&req, "POST %s HTTP/1.1\r\nHost: %s%s%s\r\nUser-Agent: envwatch/"
                      EW_VERSION "\r\nContent-Type: application/json; charset=utf-8\r\n"
                      "Content-Length: %zu\r\nConnection: close\r\n\r\n", n->path,
                      strchr(n->host, ':') != NULL ? "[" : "", n->host,
                      strchr(n->host, ':') != NULL ? "]" : "", blen) != EW_OK ||
        ew_buf_add(&req, body, blen) != EW_OK) {
        ew_buf_fini(&req);
        return -1;
    }
    if ((fd = dial(n)) >= 0) {
        if (send_all(fd, req.ptr, req.len, n->timeout_ms) == 0)
            rc = read_status(fd, n->timeout_ms);
        close(fd);
    }
    ew_buf_fini(&req);
    return rc;
}

/* ---- the thread --------------------------------------------------------------------------- */

/* Waits up to ms unless stopping; 1 when told to stop. Called with the mutex held. */
static int
pause_ms(struct al_notifier *n, unsigned ms)
{
    struct timespec until;

    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (long)(ms % 1000) * 1000000L;
    until.tv_sec += until.tv_nsec / 1000000000L;
    until.tv_nsec %= 1000000000L;
    while (!n->stopping && pthread_cond_timedwait(&n->cond, &n->mu, &until) != ETIMEDOUT)
        ;
    return n->stopping;
}

static void
deliver(struct al_notifier *n, struct note *it)
{
    unsigned wait_ms = 1000;

    for (unsigned attempt = 0;; attempt++) {
        if (post(n, it->body) == 0) {
            atomic_fetch_add(&n->sent, 1);
            return;
        }
        if (attempt >= n->retries)
            break;
        pthread_mutex_lock(&n->mu);
        int stop = pause_ms(n, wait_ms);
        pthread_mutex_unlock(&n->mu);
        if (stop)
            return;                     /* not finished: the outbox keeps it for next time */
        wait_ms = wait_ms < 15000 ? wait_ms * 2 : 30000;
    }
    atomic_fetch_add(&n->failed, 1);
}

static void *
notifier_main(void *arg)
{
    struct al_notifier *n = arg;

    pthread_mutex_lock(&n->mu);
    for (;;) {
        struct note *it;
        while (n->head == NULL && !n->stopping)
            pthread_cond_wait(&n->cond, &n->mu);
        if (n->stopping)
            break;
        it = n->head;
        n->head = it->next;
        if (n->head == NULL)
            n->tail = NULL;
        n->n--;
        pthread_mutex_unlock(&n->mu);
        deliver(n, it);
        pthread_mutex_lock(&n->mu);
        if (!n->stopping)
            atomic_store(&n->done_id, it->id);
        free(it->body);
        free(it);
    }
    pthread_mutex_unlock(&n->mu);
    return NULL;
}

int
al_notifier_create(const char *url, unsigned timeout_ms, unsigned retries, size_t cap,
                   struct al_notifier **out)
{
    struct al_notifier *n = calloc(1, sizeof(*n));

    if (n == NULL)
        return EW_ENOMEM;
    if (al_url_parse(url, n->host, sizeof(n->host), n->port, sizeof(n->port), n->path,
                     sizeof(n->path)) != 0) {
        free(n);
        return EW_EINVAL;
    }
    n->timeout_ms = timeout_ms;
    n->retries = retries;
    n->cap = cap;
    pthread_mutex_init(&n->mu, NULL);
    pthread_cond_init(&n->cond, NULL);
    if (pthread_create(&n->thread, NULL, notifier_main, n) != 0) {
        pthread_cond_destroy(&n->cond);
        pthread_mutex_destroy(&n->mu);
        free(n);
        return EW_ENOMEM;
    }
    *out = n;
    return EW_OK;
}

void
al_notifier_destroy(struct al_notifier *n)
{
    if (n == NULL)
        return;
    pthread_mutex_lock(&n->mu);
    n->stopping = 1;
    pthread_cond_broadcast(&n->cond);
    pthread_mutex_unlock(&n->mu);
    /* An exchange under way finishes within its timeouts. */
    pthread_join(n->thread, NULL);
    while (n->head != NULL) {
        struct note *it = n->head;
        n->head = it->next;
        free(it->body);
        free(it);
    }
    pthread_cond_destroy(&n->cond);
    pthread_mutex_destroy(&n->mu);
    free(n);
}

int
al_notifier_push(struct al_notifier *n, int64_t id, const char *body)
{
    struct note *it = calloc(1, sizeof(*it));

    if (it == NULL || (it->body = strdup(body)) == NULL) {
        free(it);
        return EW_ENOMEM;
    }
    it->id = id;
    pthread_mutex_lock(&n->mu);
    if (n->n >= n->cap) {
        pthread_mutex_unlock(&n->mu);
        free(it->body);
        free(it);
        return EW_EBUSY;
    }
    if (n->tail != NULL)
        n->tail->next = it;
    else
        n->head = it;
    n->tail = it;
    n->n++;
    pthread_cond_signal(&n->cond);
    pthread_mutex_unlock(&n->mu);
    return EW_OK;
}

int64_t
al_notifier_done(struct al_notifier *n)
{
    return atomic_load(&n->done_id);
}

void
al_notifier_counts(struct al_notifier *n, uint64_t *sent, uint64_t *failed)
{
    *sent = atomic_load(&n->sent);
    *failed = atomic_load(&n->failed);
}
