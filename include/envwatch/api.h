/* SPDX-License-Identifier: MIT */
/*
 * The HTTP API v1 (libmicrohttpd, own threads). The API reads through read-only store handles
 * and never writes itself: every write runs as a job on the daemon's single writer (DESIGN.md
 * "One writer"), through the host interface below, so the API knows nothing of the daemon.
 */
#ifndef EW_API_H
#define EW_API_H

#include <stddef.h>
#include <stdint.h>

struct ew_store;
struct ew_buf;
struct ew_audit;

/* What the API needs from whoever hosts it (the daemon, or a test). */
struct ew_api_host {
    void *ctx;
    /* Runs fn(store, arg) on the writer inside a transaction and waits; returns fn's code
     * (the transaction rolls back when it is not EW_OK). */
    int (*write_job)(void *ctx, int (*fn)(struct ew_store *s, void *arg), void *arg);
    /* Appends the Prometheus text of the ingest counters. */
    int (*metrics)(void *ctx, struct ew_buf *out);
    /* Appends a JSON array of the live HJ 212 connections. */
    int (*connections)(void *ctx, struct ew_buf *out);
    /* Appends a JSON object of instrument states keyed by MN (online, last packet, drift). */
    int (*instruments)(void *ctx, struct ew_buf *out);
    /* Tells the host that the registry changed (so it reloads its MN table). */
    void (*registry_changed)(void *ctx);
    /* Queues an audit entry (a security event: refused, throttled, oversize ...) without
     * waiting; the strings are copied before it returns. May be NULL (entries are dropped). */
    void (*audit)(void *ctx, const struct ew_audit *a);
};

struct ew_api_config {
    const char *listen;                 /* ADDR:PORT; port 0 picks one */
    const char *store_location;         /* opened read-only per worker */
    const char *web_dir;                /* static files, "" or NULL = none */
    const char *tile_url;
    unsigned    threads;
    size_t      max_body;               /* request bodies (1 MiB) ... */
    size_t      max_file_bytes;         /* ... but evidence uploads (20 MiB; 0: default) */
    const char *tls_cert, *tls_key;     /* PEM files; both set = HTTPS */
    /* limits and accounts (docs/security.md); 0 or NULL means the default */
    unsigned    timeout_s;              /* idle connection closed after (30) */
    unsigned    max_conn_per_ip;        /* connections per client address (64) */
    unsigned    rate_per_ip;            /* API requests per second per address (100) */
    const char *trusted_proxy;          /* reverse proxy whose X-Forwarded-For is believed */
    unsigned    lockout_failures;       /* failed logins before a lockout (5) */
    unsigned    lockout_minutes;        /* (15) */
    unsigned    session_hours;          /* (12) */
    unsigned    token_max_days;         /* (365) */
    unsigned    login_per_min;          /* login attempts per minute per address (30) */
};

struct ew_api;

int  ew_api_start(const struct ew_api_config *c, const struct ew_api_host *host,
                  struct ew_api **out, char *errmsg, size_t errmsg_len);
/* The port actually bound (useful with port 0). */
unsigned ew_api_port(const struct ew_api *a);
void ew_api_stop(struct ew_api *a);     /* NULL is a no-op */
/* Sends an event to every server-sent-events client (GET /api/v1/events). Thread-safe. */
void ew_api_publish(struct ew_api *a, const char *type, const char *json);
/* Call about once a second: sends heartbeats to idle event streams. Thread-safe. */
void ew_api_tick(struct ew_api *a);

#endif
