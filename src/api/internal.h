/* SPDX-License-Identifier: MIT */
/*
 * Shared inside src/api/: the request a route handler sees, the route table, and the helpers
 * every handler uses to read parameters and write JSON. A handler gets a read-only store
 * handle for its thread; writes go through the host's writer (req_write_job).
 */
#ifndef EW_API_INTERNAL_H
#define EW_API_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <microhttpd.h>

#include <envwatch/api.h>
#include <envwatch/err.h>
#include <envwatch/store.h>

#include "util/buf.h"

#define API_MAX_ARGS 4

struct api_caller;                      /* who calls: api/auth_internal.h */

struct api_req {
    struct MHD_Connection *conn;
    const struct ew_api_host *host;
    struct ew_api *api;
    const char *method, *path;
    const char *args[API_MAX_ARGS];     /* the '*' segments of the route, NUL-terminated */
    size_t      nargs;
    const char *body;                   /* request body (NUL-terminated), or NULL */
    size_t      body_len;
    struct ew_store *store;             /* read-only, this thread's, with the caller's scope */
    struct api_caller *caller;          /* set by the guard (auth.c) before the handler runs */
    /* the response */
    unsigned    status;
    const char *content_type;
    const char *disposition;            /* Content-Disposition, or NULL */
    struct ew_buf out;
    struct MHD_Response *resp;          /* set by a handler that streams (events) */
    char        set_cookie[256];        /* Set-Cookie of the reply when not "" (auth.c) */
};

typedef int api_handler_fn(struct api_req *r);   /* returns EW_OK; errors via api_error */

struct api_route {
    const char     *method;
    const char     *pattern;            /* "/api/v1/points/ * /readings" without spaces */
    api_handler_fn *fn;
};

/* Route tables of the resource files, each ending with a NULL method. */
extern const struct api_route ew__api_routes_points[];
extern const struct api_route ew__api_routes_readings[];
extern const struct api_route ew__api_routes_system[];
extern const struct api_route ew__api_routes_air[];         /* air.c */
extern const struct api_route ew__api_routes_alarms[];      /* alarms.c */
extern const struct api_route ew__api_routes_sources[];     /* sources.c */
extern const struct api_route ew__api_routes_water[];       /* sources_water.c */
extern const struct api_route ew__api_routes_auth[];        /* auth_routes.c */
extern const struct api_route ew__api_routes_auth_admin[];  /* auth_admin.c */
extern const struct api_route ew__api_routes_ledger[];      /* ledger.c */
extern const struct api_route ew__api_routes_reports[];     /* reports.c */

/* events.c: server-sent events */
struct api_events;
int  ew__api_events_create(struct api_events **out);
void ew__api_events_stop(struct api_events *ev);
void ew__api_events_destroy(struct api_events *ev);
void ew__api_events_publish(struct api_events *ev, const char *type, const char *json);
void ew__api_events_tick(struct api_events *ev);
int  ew__api_events_stream(struct api_req *r, struct api_events *ev);
struct api_events *ew__api_events(struct ew_api *a);

/* Routing and static-file checks (pure; fuzzed by fuzz/fuzz_http.c). route_match fills
 * r->args from argbuf[0..cap); safe_path accepts only plain relative names under the root. */
int ew__api_route_match(const char *pattern, const char *path, struct api_req *r, char *argbuf,
                        size_t cap);
int ew__api_safe_path(const char *path);

/* The name of the account that calls (for history lines: "by"), "" when anonymous. */
const char *api_actor(const struct api_req *r);

/* Query parameter, or NULL. */
const char *api_query(struct api_req *r, const char *name);
/* Sets a JSON error response {"error":{"code":…,"message":…}} and returns EW_OK. */
int api_error(struct api_req *r, unsigned status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The status and code for an ew_err returned by the store. */
int api_store_error(struct api_req *r, int err);
/* Parses the body as a JSON object (bounded depth); on failure sets a 400 and returns NULL. */
cJSON *api_body_json(struct api_req *r);
/* Runs fn on the writer and waits. */
int api_write_job(struct api_req *r, int (*fn)(struct ew_store *s, void *arg), void *arg);
/* Parses ISO local time parameters "from"/"to"; defaults when absent; 400 on bad input. */
int api_time_range(struct api_req *r, int64_t def_from, int64_t def_to, int64_t *from,
                   int64_t *to);
/* The dashboard's map tile URL setting ("" when none). */
const char *ew__api_tile_url(const struct ew_api *a);
/* The largest evidence upload ([ledger] max_file_bytes). */
size_t ew__api_max_file_bytes(const struct ew_api *a);
/* Appends a point as a JSON object (never its PW). */
int api_point_json(struct ew_buf *b, const struct ew_point *p);
/* Fills p from a JSON object (fields absent keep their value) and checks it; returns 1, or
 * 0 after setting a 400 response. */
int api_point_from_json(struct api_req *r, const cJSON *j, struct ew_point *p);

#endif
