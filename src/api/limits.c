/* SPDX-License-Identifier: MIT */
/*
 * Connections per client address on the HTTP port. libmicrohttpd can cap them itself, but
 * silently; counting here lets a refusal reach the audit log (a slow-client or flooding
 * attack shows up as "security.http_conn_refused"). libmicrohttpd tells us when a connection
 * starts and ends (MHD_OPTION_NOTIFY_CONNECTION) and asks before it accepts one
 * (the accept policy callback); the count of an address lives until its last connection
 * ends, so the table never holds more entries than there are connections. A connection is
 * counted when it starts, after the policy admitted it: a simultaneous burst on several pool
 * threads may pass the cap by up to the number of threads less one.
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <envwatch/err.h>

#include "api/auth_internal.h"

#define BUCKETS 1024

struct conn_count {
    struct conn_count *next;
    unsigned           n;
    char               ip[48];
};

struct api_conns {
    pthread_mutex_t    mu;
    unsigned           per_ip;
    struct conn_count *bucket[BUCKETS];
};

int
ew__api_conns_create(unsigned per_ip, struct api_conns **out)
{
    struct api_conns *c = calloc(1, sizeof(*c));

    if (c == NULL)
        return EW_ENOMEM;
    pthread_mutex_init(&c->mu, NULL);
    c->per_ip = per_ip > 0 ? per_ip : 64;
    *out = c;
    return EW_OK;
}

void
ew__api_conns_destroy(struct api_conns *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < BUCKETS; i++) {
        struct conn_count *e = c->bucket[i], *next;
        for (; e != NULL; e = next) {
            next = e->next;
            free(e);
        }
    }
    pthread_mutex_destroy(&c->mu);
    free(c);
}

static size_t
bucket_of(const char *ip)
{
    uint32_t h = 2166136261u;

    for (; *ip != '\0'; ip++)
        h = (h ^ (unsigned char)*ip) * 16777619u;
    return h % BUCKETS;
}

/* The entry of ip, or NULL; under the mutex. */
static struct conn_count *
lookup(struct api_conns *c, const char *ip)
{
    for (struct conn_count *e = c->bucket[bucket_of(ip)]; e != NULL; e = e->next)
        if (strcmp(e->ip, ip) == 0)
            return e;
    return NULL;
}

static int
admit(struct api_conns *c, const char *ip)
{
    struct conn_count *e;
    int ok;

    pthread_mutex_lock(&c->mu);
    e = lookup(c, ip);
    ok = e == NULL || e->n < c->per_ip;
    pthread_mutex_unlock(&c->mu);
    return ok;
}

static void
opened(struct api_conns *c, const char *ip)
{
    struct conn_count *e;

    pthread_mutex_lock(&c->mu);
    e = lookup(c, ip);
    if (e == NULL && (e = calloc(1, sizeof(*e))) != NULL) {
        snprintf(e->ip, sizeof(e->ip), "%s", ip);
        e->next = c->bucket[bucket_of(ip)];
        c->bucket[bucket_of(ip)] = e;
    }
    if (e != NULL)
        e->n++;
    pthread_mutex_unlock(&c->mu);
}

static void
closed(struct api_conns *c, const char *ip)
{
    struct conn_count **pp;

    pthread_mutex_lock(&c->mu);
    for (pp = &c->bucket[bucket_of(ip)]; *pp != NULL; pp = &(*pp)->next) {
        struct conn_count *e = *pp;
        if (strcmp(e->ip, ip) != 0)
            continue;
        if (--e->n == 0) {
            *pp = e->next;
            free(e);
        }
        break;
    }
    pthread_mutex_unlock(&c->mu);
}

static void
addr_text(const struct sockaddr *sa, char *out, size_t cap)
{
    snprintf(out, cap, "?");
    if (sa != NULL && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)cap);
    else if (sa != NULL && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)cap);
}

void
ew__api_conn_ip(struct MHD_Connection *conn, char *out, size_t cap)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);

    addr_text(ci != NULL ? ci->client_addr : NULL, out, cap);
}

enum MHD_Result
ew__api_on_accept(void *cls, const struct sockaddr *addr, socklen_t len)
{
    struct ew_api *a = cls;
    char ip[48];

    (void)len;
    addr_text(addr, ip, sizeof(ip));
    if (admit(ew__api_conns(a), ip))
        return MHD_YES;
    ew__api_security_peer(a, "security.http_conn_refused", ip,
                          "over the cap of HTTP connections per address");
    return MHD_NO;
}

void
ew__api_on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                      enum MHD_ConnectionNotificationCode toe)
{
    struct ew_api *a = cls;
    char *ip = *socket_context;

    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        if ((ip = malloc(48)) == NULL)
            return;
        addr_text(ci != NULL ? ci->client_addr : NULL, ip, 48);
        opened(ew__api_conns(a), ip);
        *socket_context = ip;
    } else if (toe == MHD_CONNECTION_NOTIFY_CLOSED && ip != NULL) {
        closed(ew__api_conns(a), ip);
        free(ip);
        *socket_context = NULL;
    }
}
