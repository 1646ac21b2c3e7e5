/* SPDX-License-Identifier: MIT */
/*
 * src/alarm/notify.c: the webhook notifier against a receiver on 127.0.0.1 run by the test
 * (a thread that answers each POST with the status the test scripted): URL forms, delivery,
 * retries, giving up, the bounded queue.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <envwatch/err.h>

#include "alarm/internal.h"

static void
urls_are_parsed_or_refused(void **state)
{
    static const struct {
        const char *url;
        int         ok;
        const char *host, *port, *path;
    } cases[] = {
        { "http://127.0.0.1:8080/hook", 1, "127.0.0.1", "8080", "/hook" },
        { "http://sms.example.cn/api/send?k=1", 1, "sms.example.cn", "80", "/api/send?k=1" },
        { "http://[::1]:9000/a", 1, "::1", "9000", "/a" },
        { "http://gw:81", 1, "gw", "81", "/" },
        { "https://sms.example.cn/api", 0, "", "", "" },        /* not supported */
        { "ftp://x/", 0, "", "", "" },
        { "http://", 0, "", "", "" },
        { "http:///path", 0, "", "", "" },
        { "http://host:/x", 0, "", "", "" },
        { "http://host:0/x", 0, "", "", "" },
        { "http://host:65536/x", 0, "", "", "" },
        { "http://host:8o/x", 0, "", "", "" },
        { "http://host/a b", 0, "", "", "" },
        { "http://host/a\r\nX: y", 0, "", "", "" },
        { "http://[::1/x", 0, "", "", "" },
    };

    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(cases); i++) {
        char host[64] = "", port[8] = "", path[64] = "";
        int rc = al_url_parse(cases[i].url, host, sizeof(host), port, sizeof(port), path,
                              sizeof(path));
        assert_int_equal(cases[i].ok, rc == 0);
        if (!cases[i].ok)
            continue;
        assert_string_equal(cases[i].host, host);
        assert_string_equal(cases[i].port, port);
        assert_string_equal(cases[i].path, path);
    }
}

/* ---- a receiver ------------------------------------------------------------------------------ */

struct receiver {
    int       fd;
    unsigned  port;
    pthread_t thread;
    int       statuses[8];              /* the answer to the i-th request (last one repeats) */
    int       silent;                   /* accept and never answer */
    int       started;
    int       n;                        /* requests received */
    char      first[2048];              /* the first request, as received */
    volatile int stop;
};

/* Reads one request (headers, then Content-Length bytes); returns its length or -1. */
static int
read_request(int fd, char *buf, size_t cap)
{
    size_t len = 0;

    for (;;) {
        struct pollfd p = { fd, POLLIN, 0 };
        char *end;
        ssize_t r;
        if (poll(&p, 1, 3000) != 1 || (r = recv(fd, buf + len, cap - 1 - len, 0)) <= 0)
            return -1;
        len += (size_t)r;
        buf[len] = '\0';
        if ((end = strstr(buf, "\r\n\r\n")) != NULL) {
            const char *cl = strstr(buf, "Content-Length: ");
            size_t body = cl != NULL ? strtoul(cl + 16, NULL, 10) : 0;
            if (len >= (size_t)(end + 4 - buf) + body)
                return (int)len;
        }
        if (len == cap - 1)
            return -1;
    }
}

static void *
receive(void *arg)
{
    struct receiver *rv = arg;
    char buf[2048], reply[128];

    while (!rv->stop) {
        struct pollfd p = { rv->fd, POLLIN, 0 };
        int c, status;
        if (poll(&p, 1, 100) != 1 || (c = accept(rv->fd, NULL, NULL)) < 0)
            continue;
        if (read_request(c, buf, sizeof(buf)) > 0) {
            if (rv->n == 0)
                memcpy(rv->first, buf, sizeof(buf));
            status = rv->statuses[rv->n < 8 ? rv->n : 7];
            rv->n++;
            if (rv->silent) {
                while (!rv->stop)
                    usleep(10000);
            } else {
                int len = snprintf(reply, sizeof(reply),
                                   "HTTP/1.1 %d X\r\nContent-Length: 0\r\n\r\n", status);
                if (send(c, reply, (size_t)len, MSG_NOSIGNAL) < 0)
                    status = 0;
            }
        }
        close(c);
    }
    return NULL;
}

static int
setup(void **state)
{
    struct receiver *rv = calloc(1, sizeof(*rv));
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof(a);

    if (rv == NULL || (rv->fd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
        bind(rv->fd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(rv->fd, 8) != 0 ||
        getsockname(rv->fd, (struct sockaddr *)&a, &len) != 0)
        return -1;
    rv->port = ntohs(a.sin_port);
    for (int i = 0; i < 8; i++)
        rv->statuses[i] = 200;
    *state = rv;
    return 0;
}

static void
start(struct receiver *rv)
{
    assert_int_equal(0, pthread_create(&rv->thread, NULL, receive, rv));
    rv->started = 1;
}

static int
teardown(void **state)
{
    struct receiver *rv = *state;

    rv->stop = 1;
    if (rv->started)
        pthread_join(rv->thread, NULL);
    if (rv->fd >= 0)
        close(rv->fd);
    free(rv);
    return 0;
}

static struct al_notifier *
notifier(struct receiver *rv, unsigned timeout_ms, unsigned retries, size_t cap)
{
    char url[64];
    struct al_notifier *n = NULL;

    snprintf(url, sizeof(url), "http://127.0.0.1:%u/alarm", rv->port);
    assert_int_equal(EW_OK, al_notifier_create(url, timeout_ms, retries, cap, &n));
    return n;
}

/* Waits up to 10 s for the notifier to finish id. */
static void
wait_done(struct al_notifier *n, int64_t id)
{
    for (int i = 0; i < 1000 && al_notifier_done(n) < id; i++)
        usleep(10000);
    assert_int_equal(id, al_notifier_done(n));
}

static void
an_event_is_posted_as_json(void **state)
{
    struct receiver *rv = *state;
    struct al_notifier *n;
    uint64_t sent, failed;
    const char body[] = "{\"event\":\"opened\",\"message\":\"【报警】二氧化硫 超标\"}";

    start(rv);
    n = notifier(rv, 2000, 0, 8);
    assert_int_equal(0, al_notifier_done(n));
    assert_int_equal(EW_OK, al_notifier_push(n, 41, body));
    wait_done(n, 41);
    al_notifier_counts(n, &sent, &failed);
    assert_int_equal(1, sent);
    assert_int_equal(0, failed);
    assert_int_equal(1, rv->n);
    assert_memory_equal("POST /alarm HTTP/1.1\r\n", rv->first, 22);
    assert_non_null(strstr(rv->first, "\r\nContent-Type: application/json; charset=utf-8\r\n"));
    assert_non_null(strstr(rv->first, "\r\nConnection: close\r\n"));
    char cl[64];
    snprintf(cl, sizeof(cl), "\r\nContent-Length: %zu\r\n", strlen(body));
    assert_non_null(strstr(rv->first, cl));
    assert_string_equal(body, strstr(rv->first, "\r\n\r\n") + 4);
    al_notifier_destroy(n);
}

/* A 5xx is retried after 1 s; the second try's 200 delivers. */
static void
a_failed_post_is_retried(void **state)
{
    struct receiver *rv = *state;
    struct al_notifier *n;
    uint64_t sent, failed;

    rv->statuses[0] = 503;
    start(rv);
    n = notifier(rv, 2000, 2, 8);
    assert_int_equal(EW_OK, al_notifier_push(n, 7, "{}"));
    wait_done(n, 7);
    al_notifier_counts(n, &sent, &failed);
    assert_int_equal(1, sent);
    assert_int_equal(0, failed);
    assert_int_equal(2, rv->n);
    al_notifier_destroy(n);
}

/* After every try fails the event is given up, so those behind it still go. */
static void
an_event_is_given_up_after_its_tries(void **state)
{
    struct receiver *rv = *state;
    struct al_notifier *n;
    uint64_t sent, failed;

    for (int i = 0; i < 8; i++)
        rv->statuses[i] = 500;
    start(rv);
    n = notifier(rv, 2000, 1, 8);
    assert_int_equal(EW_OK, al_notifier_push(n, 1, "{}"));
    wait_done(n, 1);
    al_notifier_counts(n, &sent, &failed);
    assert_int_equal(0, sent);
    assert_int_equal(1, failed);
    assert_int_equal(2, rv->n);
    al_notifier_destroy(n);
}

/* A receiver that never answers: the queue fills and refuses at once (the writer never
 * waits), and destroy returns within the timeout. */
static void
a_full_queue_refuses_and_a_hung_receiver_times_out(void **state)
{
    struct receiver *rv = *state;
    struct al_notifier *n;
    struct timespec t0, t1;
    int busy = 0;

    rv->silent = 1;
    start(rv);
    n = notifier(rv, 300, 0, 1);
    for (int i = 1; i <= 3; i++)
        busy += al_notifier_push(n, i, "{}") == EW_EBUSY;
    assert_true(busy >= 1);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    al_notifier_destroy(n);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_true(t1.tv_sec - t0.tv_sec < 3);
}

static void
nothing_listening_fails_fast(void **state)
{
    struct receiver *rv = *state;
    struct al_notifier *n;
    uint64_t sent, failed;

    close(rv->fd);                      /* the port is closed: connections are refused */
    rv->fd = -1;
    n = notifier(rv, 1000, 0, 4);
    assert_int_equal(EW_OK, al_notifier_push(n, 3, "{}"));
    wait_done(n, 3);
    al_notifier_counts(n, &sent, &failed);
    assert_int_equal(1, failed);
    al_notifier_destroy(n);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(urls_are_parsed_or_refused),
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
        T(an_event_is_posted_as_json),
        T(a_failed_post_is_retried),
        T(an_event_is_given_up_after_its_tries),
        T(a_full_queue_refuses_and_a_hung_receiver_times_out),
        T(nothing_listening_fails_fast),
#undef T
    };
    return cmocka_run_group_tests_name("alarm/notify", tests, NULL, NULL);
}
