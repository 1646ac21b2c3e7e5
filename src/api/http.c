/* SPDX-License-Identifier: MIT */
/*
 * The HTTP server: libmicrohttpd with its own epoll thread pool, a route table, JSON errors
 * with stable codes, bounded request bodies, security headers, and static files for the
 * dashboard. Each pool thread keeps one read-only store handle (thread-specific data).
 *
 * libmicrohttpd answers "Connection: close" when the response is queued in the first call of
 * a request (reference/clibs.md section 2), so every request answers on its second call.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/auth_internal.h"
#include "api/internal.h"
#include "util/json.h"
#include "util/time.h"

struct ew_api {
    struct MHD_Daemon  *mhd;
    struct ew_api_host  host;
    char                store_location[600];
    char                web_dir[512];
    char                tile_url[512];
    size_t              max_body;
    size_t              max_file_bytes;   /* bodies of uploads ([ledger] max_file_bytes) */
    pthread_key_t       store_key;
    struct api_events  *events;
    char               *tls_cert, *tls_key;
    struct api_auth    *auth;           /* the guard's state (auth.c) */
    struct api_conns   *conns;          /* connections per address (limits.c) */
};

struct conn_state {
    char  *body;
    size_t len, cap;
    size_t limit;                       /* of this request's body: max_body, or
                                           max_file_bytes for an admitted upload */
    int    too_big;
};

static const struct api_route *const route_tables[] = {
    ew__api_routes_system,
    ew__api_routes_points,
    ew__api_routes_readings,
    ew__api_routes_air,
    ew__api_routes_alarms,
    ew__api_routes_sources,
    ew__api_routes_water,
    ew__api_routes_auth,
    ew__api_routes_auth_admin,
    ew__api_routes_ledger,
    ew__api_routes_reports,
};

/* ---- helpers for handlers -------------------------------------------------------------------- */

const char *
api_query(struct api_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

int
api_error(struct api_req *r, unsigned status, const char *code, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    ew_buf_reset(&r->out);
    r->status = status;
    r->content_type = "application/json";
    r->disposition = NULL;
    ew_buf_adds(&r->out, "{\"error\":{\"code\":");
    ew_json_strz(&r->out, code);
    ew_buf_adds(&r->out, ",\"message\":");
    ew_json_strz(&r->out, msg);
    ew_buf_adds(&r->out, "}}");
    return EW_OK;
}

int
api_store_error(struct api_req *r, int err)
{
    const char *msg = r->store != NULL ? ew_store_errmsg(r->store) : ew_strerror(err);

    switch (err) {
    case EW_ENOTFOUND:
        return api_error(r, 404, "not_found", "%s", ew_strerror(err));
    case EW_EINVAL:
        return api_error(r, 400, "invalid", "%s", ew_strerror(err));
    case EW_EEXIST:
        return api_error(r, 409, "exists", "%s", ew_strerror(err));
    case EW_EBUSY:
        return api_error(r, 503, "busy", "%s", ew_strerror(err));
    case EW_ESTATE:
        return api_error(r, 409, "state", "%s", ew_strerror(err));
    }
    return api_error(r, 500, "store", "%s", msg);
}

cJSON *
api_body_json(struct api_req *r)
{
    cJSON *j;

    if (r->body == NULL || r->body_len == 0) {
        api_error(r, 400, "body_required", "a JSON object body is required");
        return NULL;
    }
    /* The body size is bounded by max_body before we get here; nesting is bounded before
     * cJSON recurses into it, and nothing may follow the object. */
    if (ew__api_json_limits(r->body, r->body_len, API_JSON_MAX_DEPTH) == EW_ETOOBIG) {
        api_error(r, 400, "too_deep", "the JSON body nests deeper than %d levels",
                  API_JSON_MAX_DEPTH);
        return NULL;
    }
    j = ew__api_json_parse(r->body, r->body_len);
    if (j == NULL || !cJSON_IsObject(j)) {
        cJSON_Delete(j);
        api_error(r, 400, "bad_json", "the body is not a JSON object");
        return NULL;
    }
    return j;
}

int
api_write_job(struct api_req *r, int (*fn)(struct ew_store *s, void *arg), void *arg)
{
    int rc = r->host->write_job(r->host->ctx, fn, arg);

    if (rc == EW_OK && r->host->registry_changed != NULL)
        r->host->registry_changed(r->host->ctx);
    return rc;
}

int
api_time_range(struct api_req *r, int64_t def_from, int64_t def_to, int64_t *from, int64_t *to)
{
    const char *f = api_query(r, "from"), *t = api_query(r, "to");
    int64_t a = def_from, b = def_to;

    if (f != NULL && ew_time_parse_iso(f, &a) != EW_OK) {
        api_error(r, 400, "bad_time", "from: '%s' is not an ISO 8601 local time", f);
        return EW_EINVAL;
    }
    if (t != NULL && ew_time_parse_iso(t, &b) != EW_OK) {
        api_error(r, 400, "bad_time", "to: '%s' is not an ISO 8601 local time", t);
        return EW_EINVAL;
    }
    if (b < a) {
        api_error(r, 400, "bad_time", "to is before from");
        return EW_EINVAL;
    }
    *from = a;
    *to = b;
    return EW_OK;
}

/* ---- routing ----------------------------------------------------------------------------------- */

/* Matches path against pattern, where '*' matches one non-empty segment. */
int
ew__api_route_match(const char *pattern, const char *path, struct api_req *r, char *argbuf, size_t cap)
{
    size_t used = 0;

    r->nargs = 0;
    while (*pattern != '\0' && *path != '\0') {
        if (*pattern == '*') {
            const char *end = strchr(path, '/');
            size_t n = end != NULL ? (size_t)(end - path) : strlen(path);
            if (n == 0 || r->nargs == API_MAX_ARGS || used + n + 1 > cap)
                return 0;
            memcpy(argbuf + used, path, n);
            argbuf[used + n] = '\0';
            r->args[r->nargs++] = argbuf + used;
            used += n + 1;
            path += n;
            pattern++;
            continue;
        }
        if (*pattern != *path)
            return 0;
        pattern++;
        path++;
    }
    return *pattern == '\0' && *path == '\0';
}

static struct ew_store *
thread_store(struct ew_api *a)
{
    struct ew_store *s = pthread_getspecific(a->store_key);

    if (s == NULL && ew_store_open(a->store_location, EW_STORE_RDONLY, &s) == EW_OK)
        pthread_setspecific(a->store_key, s);
    return s;
}

static void
close_thread_store(void *p)
{
    ew_store_close(p);
}

static int
dispatch(struct api_req *r)
{
    char argbuf[512];
    int path_matched = 0;

    for (size_t t = 0; t < sizeof(route_tables) / sizeof(route_tables[0]); t++) {
        for (const struct api_route *rt = route_tables[t]; rt->method != NULL; rt++) {
            if (!ew__api_route_match(rt->pattern, r->path, r, argbuf, sizeof(argbuf)))
                continue;
            path_matched = 1;
            if (strcmp(rt->method, r->method) != 0)
                continue;
            r->store = thread_store(r->api);
            if (r->store == NULL)
                return api_error(r, 503, "store_unavailable", "the store cannot be opened");
            return ew__api_guarded(r, rt);      /* the policy decides (auth_policy.c) */
        }
    }
    if (path_matched)
        return api_error(r, 405, "method_not_allowed", "%s is not allowed on %s", r->method,
                         r->path);
    return api_error(r, 404, "no_route", "no such resource: %s", r->path);
}

/* ---- static files --------------------------------------------------------------------------------- */

static const char *
content_type_of(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        { ".html", "text/html; charset=utf-8" }, { ".js", "text/javascript; charset=utf-8" },
        { ".mjs", "text/javascript; charset=utf-8" }, { ".css", "text/css; charset=utf-8" },
        { ".json", "application/json" }, { ".png", "image/png" }, { ".svg", "image/svg+xml" },
        { ".ico", "image/x-icon" }, { ".geojson", "application/geo+json" },
        { ".txt", "text/plain; charset=utf-8" },
    };
    const char *dot = strrchr(path, '.');

    for (size_t i = 0; dot != NULL && i < sizeof(types) / sizeof(types[0]); i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return "application/octet-stream";
}

/* Only plain names: letters, digits, '.', '-', '_' and '/' separators, no "..", no "//". */
int
ew__api_safe_path(const char *p)
{
    if (p[0] != '/' || strstr(p, "..") != NULL || strstr(p, "//") != NULL || strlen(p) > 200)
        return 0;
    for (; *p != '\0'; p++)
        if (!isalnum((unsigned char)*p) && *p != '/' && *p != '.' && *p != '-' && *p != '_')
            return 0;
    return 1;
}

static struct MHD_Response *
static_file(struct ew_api *a, const char *url, unsigned *status, const char **ctype)
{
    char path[800];
    struct stat st;
    int fd;

    if (a->web_dir[0] == '\0' || !ew__api_safe_path(url))
        return NULL;
    snprintf(path, sizeof(path), "%s%s", a->web_dir,
             strcmp(url, "/") == 0 ? "/index.html" : url);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return NULL;
    }
    *status = 200;
    *ctype = content_type_of(path);
    return MHD_create_response_from_fd((uint64_t)st.st_size, fd);
}

/* ---- the MHD callbacks -------------------------------------------------------------------------- */

/* The fields of a request known from its first call. */
static void
req_init(struct api_req *r, struct ew_api *a, struct MHD_Connection *conn, const char *method,
         const char *url)
{
    memset(r, 0, sizeof(*r));
    r->conn = conn;
    r->host = &a->host;
    r->api = a;
    r->method = method;
    r->path = url;
}

/* The limit of a request's body, decided when its headers have come and before any of the
 * body is kept: max_body, or max_file_bytes for an upload by a caller that may make it. A
 * declared Content-Length beyond the limit is refused without keeping a byte. */
static void
body_limit(struct ew_api *a, struct MHD_Connection *conn, const char *url, const char *method,
           struct conn_state *st)
{
    const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                 MHD_HTTP_HEADER_CONTENT_LENGTH);
    struct api_req r;

    st->limit = a->max_body;
    if (strcmp(method, "POST") == 0 && strncmp(url, "/api/", 5) == 0 &&
        a->max_file_bytes > a->max_body) {
        req_init(&r, a, conn, method, url);
        r.store = thread_store(a);
        if (ew__api_upload_admitted(&r))
            st->limit = a->max_file_bytes;
    }
    if (cl != NULL && strtoull(cl, NULL, 10) > st->limit)
        st->too_big = 1;
}

/* Keeps a piece of the body, growing the buffer by doubling up to the request's limit; past
 * the limit nothing more is kept (the rest is read and dropped, and the answer is 413). */
static int
keep_body(struct conn_state *st, const char *data, size_t n)
{
    size_t need = st->len + n + 1, cap = st->cap ? st->cap : 4096;
    char *b;

    if (st->too_big || n > st->limit - st->len) {
        st->too_big = 1;
        return 0;
    }
    while (cap < need)
        cap *= 2;
    if (cap > st->limit + 1)
        cap = st->limit + 1;
    if (cap > st->cap) {
        if ((b = realloc(st->body, cap)) == NULL)
            return -1;
        st->body = b;
        st->cap = cap;
    }
    memcpy(st->body + st->len, data, n);
    st->len += n;
    st->body[st->len] = '\0';
    return 0;
}

static void
add_security_headers(struct MHD_Response *resp, const char *ctype)
{
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data: http: https:; "
                            "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
    if (ctype != NULL)
        MHD_add_response_header(resp, "Content-Type", ctype);
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
           const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
    struct ew_api *a = cls;
    struct conn_state *st = *con_cls;
    struct MHD_Response *resp;
    struct api_req r;
    enum MHD_Result ret;

    (void)version;
    if (st == NULL) {
        st = calloc(1, sizeof(*st));
        if (st == NULL)
            return MHD_NO;
        *con_cls = st;
        body_limit(a, conn, url, method, st);
        return MHD_YES;
    }
    if (*upload_size > 0) {
        if (keep_body(st, upload, *upload_size) != 0)
            return MHD_NO;
        *upload_size = 0;
        return MHD_YES;
    }
    req_init(&r, a, conn, method, url);
    r.body = st->body;
    r.body_len = st->len;
    r.status = 200;
    r.content_type = "application/json";
    ew_buf_init(&r.out, 256u << 20);
    if (st->too_big) {
        api_error(&r, 413, "body_too_large", "the request body exceeds %zu bytes", st->limit);
        char ip[48];
        ew__api_conn_ip(conn, ip, sizeof(ip));
        ew__api_security_peer(a, "security.http_oversize", ip, url);
    } else if (strncmp(url, "/api/", 5) == 0 || strcmp(url, "/metrics") == 0) {
        dispatch(&r);
    } else if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0) {
        unsigned status = 404;
        const char *ctype = NULL;
        resp = static_file(a, url, &status, &ctype);
        if (resp != NULL) {
            add_security_headers(resp, ctype);
            MHD_add_response_header(resp, "Cache-Control", "no-cache");
            ret = MHD_queue_response(conn, status, resp);
            MHD_destroy_response(resp);
            ew_buf_fini(&r.out);
            return ret;
        }
        api_error(&r, 404, "not_found", "no such file: %s", url);
    } else {
        api_error(&r, 405, "method_not_allowed", "%s is not allowed on %s", method, url);
    }
    if (r.resp != NULL) {
        /* a streaming handler (server-sent events) made its own response */
        resp = r.resp;
        add_security_headers(resp, r.content_type);
        MHD_add_response_header(resp, "Cache-Control", "no-store");
        ret = MHD_queue_response(conn, 200, resp);
        MHD_destroy_response(resp);
        ew_buf_fini(&r.out);
        return ret;
    }
    resp = MHD_create_response_from_buffer(r.out.len, r.out.ptr ? r.out.ptr : (char *)"",
                                           MHD_RESPMEM_MUST_COPY);
    if (resp == NULL) {
        ew_buf_fini(&r.out);
        return MHD_NO;
    }
    add_security_headers(resp, r.content_type);
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (r.set_cookie[0] != '\0')
        MHD_add_response_header(resp, "Set-Cookie", r.set_cookie);
    if (r.disposition != NULL)
        MHD_add_response_header(resp, "Content-Disposition", r.disposition);
    ret = MHD_queue_response(conn, r.status, resp);
    MHD_destroy_response(resp);
    ew_buf_fini(&r.out);
    return ret;
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
             enum MHD_RequestTerminationCode toe)
{
    struct conn_state *st = *con_cls;

    (void)cls;
    (void)conn;
    (void)toe;
    if (st != NULL) {
        free(st->body);
        free(st);
        *con_cls = NULL;
    }
}

static char *
read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;

    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && n < (1 << 20) &&
        fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) != NULL) {
        if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
            free(buf);
            buf = NULL;
        } else {
            buf[n] = '\0';
        }
    }
    fclose(f);
    return buf;
}

/* The guard's state from the configuration (0 means the default everywhere). */
static int
start_auth(struct ew_api *a, const struct ew_api_config *c, int tls)
{
    struct api_auth_config ac = {
        .lockout_failures = c->lockout_failures, .lockout_minutes = c->lockout_minutes,
        .session_hours = c->session_hours, .token_max_days = c->token_max_days,
        .rate_per_ip = c->rate_per_ip, .login_per_min = c->login_per_min, .tls = tls,
    };

    snprintf(ac.trusted_proxy, sizeof(ac.trusted_proxy), "%s",
             c->trusted_proxy != NULL ? c->trusted_proxy : "");
    if (ew__api_auth_create(&ac, &a->auth) != EW_OK)
        return EW_ENOMEM;
    return ew__api_conns_create(c->max_conn_per_ip, &a->conns);
}

int
ew_api_start(const struct ew_api_config *c, const struct ew_api_host *host,
             struct ew_api **out, char *errmsg, size_t errmsg_len)
{
    struct ew_api *a = calloc(1, sizeof(*a));
    struct sockaddr_in addr = { .sin_family = AF_INET };
    const char *colon = strrchr(c->listen, ':');
    char host_part[128];
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
    int tls = c->tls_cert != NULL && c->tls_cert[0] != '\0';

    if (a == NULL)
        return EW_ENOMEM;
    if (colon == NULL || (size_t)(colon - c->listen) >= sizeof(host_part)) {
        snprintf(errmsg, errmsg_len, "http listen address '%s' is not ADDR:PORT", c->listen);
        free(a);
        return EW_EINVAL;
    }
    memcpy(host_part, c->listen, (size_t)(colon - c->listen));
    host_part[colon - c->listen] = '\0';
    addr.sin_port = htons((uint16_t)strtoul(colon + 1, NULL, 10));
    if (inet_pton(AF_INET, host_part, &addr.sin_addr) != 1) {
        snprintf(errmsg, errmsg_len, "http listen address '%s' is not an IPv4 address",
                 host_part);
        free(a);
        return EW_EINVAL;
    }
    a->host = *host;
    a->max_body = c->max_body ? c->max_body : (1u << 20);
    a->max_file_bytes = c->max_file_bytes ? c->max_file_bytes : (20u << 20);
    snprintf(a->store_location, sizeof(a->store_location), "%s", c->store_location);
    snprintf(a->web_dir, sizeof(a->web_dir), "%s", c->web_dir ? c->web_dir : "");
    snprintf(a->tile_url, sizeof(a->tile_url), "%s", c->tile_url ? c->tile_url : "");
    pthread_key_create(&a->store_key, close_thread_store);
    if (ew__api_events_create(&a->events) != EW_OK) {
        snprintf(errmsg, errmsg_len, "out of memory");
        goto fail;
    }
    if (start_auth(a, c, tls) != EW_OK) {
        snprintf(errmsg, errmsg_len, "out of memory");
        goto fail;
    }
    if (tls) {
        a->tls_cert = read_file(c->tls_cert);
        a->tls_key = read_file(c->tls_key);
        if (a->tls_cert == NULL || a->tls_key == NULL) {
            snprintf(errmsg, errmsg_len, "cannot read the TLS certificate or key");
            goto fail;
        }
        flags |= MHD_USE_TLS;
    }
    a->mhd = MHD_start_daemon(
        flags, 0, ew__api_on_accept, a, on_request, a, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(c->threads ? c->threads : 4),
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)(c->timeout_s ? c->timeout_s : 30),
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)2000,
        /* Connections per address are counted (limits.c) so refusals reach the audit log;
         * headers and the request line must fit the connection's 64 KiB memory pool (a
         * longer head is answered 431/414 by libmicrohttpd); clients must follow HTTP/1.1
         * strictly (no bare LF, no whitespace before the colon of a header). */
        MHD_OPTION_NOTIFY_CONNECTION, ew__api_on_connection, a,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
        MHD_OPTION_STRICT_FOR_CLIENT, (int)1, MHD_OPTION_NOTIFY_COMPLETED, on_completed, a,
        tls ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, a->tls_key, MHD_OPTION_HTTPS_MEM_CERT,
        a->tls_cert, MHD_OPTION_END);
    if (a->mhd == NULL) {
        snprintf(errmsg, errmsg_len, "cannot listen for HTTP on %s", c->listen);
        goto fail;
    }
    *out = a;
    return EW_OK;
fail:
    ew__api_events_destroy(a->events);
    ew__api_auth_destroy(a->auth);
    ew__api_conns_destroy(a->conns);
    pthread_key_delete(a->store_key);
    free(a->tls_cert);
    free(a->tls_key);
    free(a);
    return EW_EIO;
}

unsigned
ew_api_port(const struct ew_api *a)
{
    const union MHD_DaemonInfo *i = MHD_get_daemon_info(a->mhd, MHD_DAEMON_INFO_BIND_PORT);

    return i != NULL ? i->port : 0;
}

struct api_events *
ew__api_events(struct ew_api *a)
{
    return a->events;
}

void
ew_api_publish(struct ew_api *a, const char *type, const char *json)
{
    ew__api_events_publish(a->events, type, json);
}

void
ew_api_tick(struct ew_api *a)
{
    ew__api_events_tick(a->events);
}

const char *
ew__api_tile_url(const struct ew_api *a)
{
    return a->tile_url;
}

size_t
ew__api_max_file_bytes(const struct ew_api *a)
{
    return a->max_file_bytes;
}

struct api_auth *
ew__api_auth(struct ew_api *a)
{
    return a->auth;
}

struct api_conns *
ew__api_conns(struct ew_api *a)
{
    return a->conns;
}

const struct api_route *const *
ew__api_route_tables(size_t *n)
{
    *n = sizeof(route_tables) / sizeof(route_tables[0]);
    return route_tables;
}

void
ew__api_host_audit(struct ew_api *a, const struct ew_audit *e)
{
    if (a->host.audit != NULL)
        a->host.audit(a->host.ctx, e);
}

void
ew_api_stop(struct ew_api *a)
{
    if (a == NULL)
        return;
    ew__api_events_stop(a->events);
    MHD_stop_daemon(a->mhd);
    ew__api_events_destroy(a->events);
    ew__api_auth_destroy(a->auth);
    ew__api_conns_destroy(a->conns);
    pthread_key_delete(a->store_key);
    free(a->tls_cert);
    free(a->tls_key);
    free(a);
}
