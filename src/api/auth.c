/* SPDX-License-Identifier: MIT */
/*
 * The guard between the dispatcher and every handler (authorisation in one place): who calls
 * (an API token, a session cookie, or nobody), whether the route's policy admits that role,
 * the CSRF token of a cookie session's writes, the per-address request rate, the scope the
 * store handle applies to the handler's reads, and the audit entry of every write, with the
 * state of the resource before and after it. Handlers never see a caller that was refused.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include <envwatch/err.h>

#include "api/auth_internal.h"
#include "util/guard.h"
#include "util/json.h"

#define EVENT_INTERVAL_MS 60000         /* one audit entry a minute per kind and address */
#define CAPTURE_MAX (256u << 10)        /* before/after state kept of a write */

struct api_auth {
    struct api_auth_config cfg;
    struct ew_guard *per_ip;            /* API requests per address */
    struct ew_guard *login;             /* login attempts per address */
    struct ew_guard *events;            /* security events, debounced */
    char dummy_hash[EW_PWHASH_MAX];
};

int64_t
ew__api_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
ew__api_auth_create(const struct api_auth_config *c, struct api_auth **out)
{
    struct api_auth *a = calloc(1, sizeof(*a));
    char pw[24];

    if (a == NULL)
        return EW_ENOMEM;
    a->cfg = *c;
    if (a->cfg.lockout_failures == 0)
        a->cfg.lockout_failures = 5;
    if (a->cfg.lockout_minutes == 0)
        a->cfg.lockout_minutes = 15;
    if (a->cfg.session_hours == 0)
        a->cfg.session_hours = 12;
    if (a->cfg.token_max_days == 0)
        a->cfg.token_max_days = 365;
    if (a->cfg.rate_per_ip == 0)
        a->cfg.rate_per_ip = 100;
    if (a->cfg.login_per_min == 0)
        a->cfg.login_per_min = 30;
    /* Bursts of twice the rate let a dashboard load its panels at once; logins may come in
     * a burst of ten, then at their rate. */
    if (ew_guard_create(4096, a->cfg.rate_per_ip, 2.0 * a->cfg.rate_per_ip, &a->per_ip) != EW_OK ||
        ew_guard_create(4096, a->cfg.login_per_min / 60.0, 10, &a->login) != EW_OK ||
        ew_guard_create(4096, 1, 1, &a->events) != EW_OK ||
        ew_password_generate(pw, sizeof(pw)) != EW_OK ||
        ew_password_hash(pw, a->dummy_hash) != EW_OK) {
        ew__api_auth_destroy(a);
        return EW_ENOMEM;
    }
    *out = a;
    return EW_OK;
}

void
ew__api_auth_destroy(struct api_auth *a)
{
    if (a == NULL)
        return;
    ew_guard_destroy(a->per_ip);
    ew_guard_destroy(a->login);
    ew_guard_destroy(a->events);
    free(a);
}

const struct api_auth_config *
ew__api_auth_config(const struct api_auth *a)
{
    return &a->cfg;
}

const char *
ew__api_auth_dummy_hash(const struct api_auth *a)
{
    return a->dummy_hash;
}

int
ew__api_login_allowed(struct api_req *r)
{
    return ew_guard_take(ew__api_auth(r->api)->login, r->caller->ip, ew__api_now_ms());
}

/* ---- who calls ------------------------------------------------------------------------------- */

static void
client_address(struct api_req *r, struct api_caller *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct api_auth *a = ew__api_auth(r->api);
    const char *xff;
    int port = 0;

    snprintf(c->ip, sizeof(c->ip), "?");
    if (ci != NULL && ci->client_addr != NULL && ci->client_addr->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)ci->client_addr;
        inet_ntop(AF_INET, &in->sin_addr, c->ip, sizeof(c->ip));
        port = ntohs(in->sin_port);
    } else if (ci != NULL && ci->client_addr != NULL && ci->client_addr->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in = (const struct sockaddr_in6 *)ci->client_addr;
        inet_ntop(AF_INET6, &in->sin6_addr, c->ip, sizeof(c->ip));
        port = ntohs(in->sin6_port);
    }
    /* Behind a reverse proxy every request comes from the proxy: believe its last
     * X-Forwarded-For entry, and nobody else's. */
    if (a->cfg.trusted_proxy[0] != '\0' && strcmp(c->ip, a->cfg.trusted_proxy) == 0 &&
        (xff = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Forwarded-For")) !=
            NULL) {
        char ip[sizeof(c->ip)];
        if (ew__auth_parse_forwarded(xff, ip, sizeof(ip)) == EW_OK) {
            memcpy(c->ip, ip, sizeof(ip));
            port = 0;
        }
    }
    snprintf(c->peer, sizeof(c->peer), "%s:%d", c->ip, port);
}

static void
caller_from(struct api_caller *c, const struct ew_user *u)
{
    c->user_id = u->id;
    c->role = u->role;
    memcpy(c->name, u->name, sizeof(c->name));
    memcpy(c->display, u->display, sizeof(c->display));
    memcpy(c->county, u->county, sizeof(c->county));
    memcpy(c->unit, u->unit, sizeof(c->unit));
    memcpy(c->enterprise, u->enterprise, sizeof(c->enterprise));
}

static int
by_token(struct api_req *r, struct api_caller *c, const char *header)
{
    char tok[EW_TOKEN_MAX + 1], hash[EW_TOKEN_HASH_LEN + 1];
    struct ew_api_token t;
    struct ew_user u;

    if (ew__auth_parse_bearer(header, tok, sizeof(tok)) != EW_OK ||
        ew_token_hash(tok, hash) != EW_OK ||
        ew_store_token_find(r->store, hash, ew__api_now_ms(), &t, &u) != EW_OK)
        return EW_EDENIED;
    caller_from(c, &u);
    c->token_id = t.id;
    c->expires_ms = t.expires_ms;
    return EW_OK;
}

/* A session cookie that is unknown, expired or malformed is dropped (cleared in the reply)
 * and the caller is anonymous: a stale cookie must not lock anyone out of public pages. */
static void
by_cookie(struct api_req *r, struct api_caller *c, const char *header)
{
    char tok[EW_TOKEN_MAX + 1], hash[EW_TOKEN_HASH_LEN + 1];
    struct ew_session ss;
    struct ew_user u;
    int rc = ew__auth_parse_cookie(header, API_SESSION_COOKIE, tok, sizeof(tok));

    if (rc == EW_ENOTFOUND)
        return;
    if (rc != EW_OK || ew_token_hash(tok, hash) != EW_OK ||
        ew_store_session_find(r->store, hash, ew__api_now_ms(), &ss, &u) != EW_OK ||
        ew_token_csrf(tok, c->csrf) != EW_OK) {
        ew__api_session_cookie(r, NULL, 0);
        return;
    }
    caller_from(c, &u);
    c->cookie = 1;
    c->expires_ms = ss.expires_ms;
    memcpy(c->session_hash, hash, sizeof(hash));
}

static int
authenticate(struct api_req *r, struct api_caller *c)
{
    const char *authz = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Authorization");
    const char *cookie = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Cookie");

    if (authz != NULL)
        return by_token(r, c, authz);
    if (cookie != NULL)
        by_cookie(r, c, cookie);
    return EW_OK;
}

void
ew__api_session_cookie(struct api_req *r, const char *token, int64_t max_age_s)
{
    const struct api_auth *a = ew__api_auth(r->api);

    snprintf(r->set_cookie, sizeof(r->set_cookie),
             "%s=%s; Path=/; Max-Age=%lld; HttpOnly; SameSite=Strict%s", API_SESSION_COOKIE,
             token != NULL ? token : "", (long long)(token != NULL ? max_age_s : 0),
             a->cfg.tls ? "; Secure" : "");
}

/* ---- audit ------------------------------------------------------------------------------------ */

static int
audit_job(struct ew_store *s, void *arg)
{
    return ew_store_audit_put(s, arg, NULL);
}

static void
fill_entry(struct ew_audit *e, const struct api_req *r, const char *action, const char *target,
           const char *result)
{
    const struct api_caller *c = r->caller;

    memset(e, 0, sizeof(*e));
    e->at_ms = ew__api_now_ms();
    e->actor = c != NULL && c->name[0] != '\0' ? c->name : "-";
    e->role = ew_role_name(c != NULL ? c->role : EW_ROLE_PUBLIC);
    e->via = "api";
    e->peer = c != NULL ? c->peer : "";
    e->action = action;
    e->target = target != NULL ? target : r->path;
    e->result = result;
}

int
ew__api_audit(struct api_req *r, const char *action, const char *target, const char *result,
              const char *before, const char *after, const char *detail)
{
    struct ew_audit e;

    fill_entry(&e, r, action, target, result);
    e.before = before;
    e.after = after;
    e.detail = detail;
    return r->host->write_job(r->host->ctx, audit_job, &e);
}

static void
security_entry(struct ew_api *api, const struct api_req *r, const char *action, const char *ip,
               const char *key, const char *detail)
{
    struct api_auth *a = ew__api_auth(api);
    char k[EW_GUARD_KEY_MAX + 1], more[600];
    unsigned suppressed = 0;
    struct ew_audit e;

    snprintf(k, sizeof(k), "%s|%s|%s", action, ip, key != NULL ? key : "");
    if (!ew_guard_event(a->events, k, ew__api_now_ms(), EVENT_INTERVAL_MS, &suppressed))
        return;
    snprintf(more, sizeof(more), "%s", detail != NULL ? detail : "");
    if (suppressed > 0)
        snprintf(more, sizeof(more), "%s (and %u more like it since the last entry)",
                 detail != NULL ? detail : "", suppressed);
    if (r != NULL) {
        fill_entry(&e, r, action, NULL, "refused");
    } else {
        memset(&e, 0, sizeof(e));
        e.at_ms = ew__api_now_ms();
        e.actor = "-";
        e.role = "public";
        e.via = "api";
        e.peer = ip;
        e.action = action;
        e.target = "";
        e.result = "refused";
    }
    e.detail = more;
    ew__api_host_audit(api, &e);
}

int
ew__api_record_now(struct api_req *r, const char *what, unsigned *suppressed)
{
    char k[EW_GUARD_KEY_MAX + 1];

    snprintf(k, sizeof(k), "%s|%s", what, r->caller != NULL ? r->caller->ip : "?");
    return ew_guard_event(ew__api_auth(r->api)->events, k, ew__api_now_ms(), EVENT_INTERVAL_MS,
                          suppressed);
}

void
ew__api_security(struct api_req *r, const char *action, const char *key, const char *detail)
{
    security_entry(r->api, r, action, r->caller != NULL ? r->caller->ip : "?", key, detail);
}

void
ew__api_security_peer(struct ew_api *a, const char *action, const char *ip, const char *detail)
{
    security_entry(a, NULL, action, ip, NULL, detail);
}

/* ---- before and after a write --------------------------------------------------------------- */

/* The target path of a write: the policy's target with the route's arguments in order. */
static int
target_path(const char *pattern, const struct api_req *r, char *out, size_t cap)
{
    size_t n = 0, arg = 0;

    for (const char *p = pattern; *p != '\0'; p++) {
        const char *piece = p;
        size_t len = 1;
        if (*p == '*') {
            if (arg >= r->nargs)
                return EW_EINVAL;
            piece = r->args[arg++];
            len = strlen(piece);
        }
        if (n + len >= cap)
            return EW_ETOOBIG;
        memcpy(out + n, piece, len);
        n += len;
    }
    out[n] = '\0';
    return EW_OK;
}

/* Runs the GET route of path for the caller (same scope) and returns its body when it
 * answered 200 (the caller frees it), else NULL; *status gets the status. */
static char *
capture(struct api_req *r, const char *path, unsigned *status)
{
    size_t ntables;
    const struct api_route *const *tables = ew__api_route_tables(&ntables);
    struct api_req sub;
    char argbuf[512], *out = NULL;

    *status = 404;
    memset(&sub, 0, sizeof(sub));
    sub.conn = r->conn;
    sub.host = r->host;
    sub.api = r->api;
    sub.method = "GET";
    sub.path = path;
    sub.store = r->store;
    sub.caller = r->caller;
    sub.status = 200;
    sub.content_type = "application/json";
    ew_buf_init(&sub.out, CAPTURE_MAX);
    for (size_t t = 0; t < ntables && out == NULL && *status == 404; t++) {
        for (const struct api_route *rt = tables[t]; rt->method != NULL; rt++) {
            if (strcmp(rt->method, "GET") != 0 ||
                !ew__api_route_match(rt->pattern, path, &sub, argbuf, sizeof(argbuf)))
                continue;
            rt->fn(&sub);
            *status = sub.status;
            if (sub.status == 200 && sub.resp == NULL && sub.out.ptr != NULL)
                out = ew_buf_steal(&sub.out, NULL);
            if (sub.resp != NULL)
                MHD_destroy_response(sub.resp);
            break;
        }
    }
    ew_buf_fini(&sub.out);
    return out;
}

/* The request body and the status, as the detail of the entry. */
static char *
write_detail(const struct api_req *r)
{
    cJSON *d = cJSON_CreateObject(), *body = NULL;
    char *s;

    if (d == NULL)
        return NULL;
    cJSON_AddNumberToObject(d, "status", r->status);
    if (r->body != NULL && r->body_len > 0) {
        body = cJSON_ParseWithLength(r->body, r->body_len);
        if (body == NULL)
            body = cJSON_CreateString("(not JSON)");
        cJSON_AddItemToObject(d, "request", body);
    }
    s = cJSON_PrintUnformatted(d);
    cJSON_Delete(d);
    return s;
}

static const char *
result_of(unsigned status)
{
    if (status < 400)
        return "ok";
    if (status == 401 || status == 403)
        return "denied";
    return status >= 500 ? "failed" : "refused";
}

static int
audited_write(struct api_req *r, const struct api_route *rt, const struct api_policy *p)
{
    const struct api_caller *c = r->caller;
    int scoped = c->role == EW_ROLE_OFFICER || c->role == EW_ROLE_ENTERPRISE;
    char target[600], *before = NULL, *after = NULL, *detail;
    unsigned st = 0;
    int have_target = p->target != NULL &&
                      target_path(p->target, r, target, sizeof(target)) == EW_OK;
    int rc;

    if (have_target) {
        before = capture(r, target, &st);
        /* A scoped caller may write only what it can see: outside its scope the resource
         * does not exist for it. */
        if (scoped && st != 200) {
            api_error(r, 404, "not_found", "no such resource: %s", target);
            ew__api_audit(r, p->action, target, "denied", NULL, NULL, "outside the scope");
            return EW_OK;
        }
    }
    rc = rt->fn(r);
    if (r->status < 300 && have_target)
        after = capture(r, target, &st);
    else if (r->status < 300 && r->out.ptr != NULL && r->resp == NULL)
        after = strdup(r->out.ptr);
    detail = write_detail(r);
    ew__api_audit(r, p->action, have_target ? target : NULL, result_of(r->status), before,
                  after, detail);
    free(before);
    free(after);
    cJSON_free(detail);
    return rc;
}

/* ---- the guard -------------------------------------------------------------------------------- */

static int
is_write(const char *method)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

static int
refuse_role(struct api_req *r, const struct api_policy *p)
{
    const struct api_caller *c = r->caller;
    char what[300];

    snprintf(what, sizeof(what), "%s %s", r->method, p->pattern);
    ew__api_security(r, "security.denied", what, what);
    if (c->role == EW_ROLE_PUBLIC)
        return api_error(r, 401, "login_required", "log in (or send an API token) for %s %s",
                         r->method, r->path);
    return api_error(r, 403, "forbidden", "the role %s may not %s %s", ew_role_name(c->role),
                     r->method, r->path);
}

static int
csrf_ok(struct api_req *r)
{
    const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-CSRF-Token");

    return h != NULL && ew_token_equal(h, r->caller->csrf);
}

/* The store handle's scope for this caller on a route with this policy. */
static int
set_scope(struct api_req *r, const struct api_policy *p)
{
    const struct api_caller *c = r->caller;
    struct ew_store_scope sc;

    memset(&sc, 0, sizeof(sc));
    /* Complainant identity is for the monitoring centre, who registers and answers. */
    sc.personal = c->role == EW_ROLE_OPERATOR;
    if (p->scope == API_SCOPE_COUNTY || p->scope == API_SCOPE_POINT ||
        p->scope == API_SCOPE_UNIT) {
        if (c->role == EW_ROLE_OFFICER) {
            memcpy(sc.county, c->county, sizeof(sc.county));
            memcpy(sc.unit, c->unit, sizeof(sc.unit));
        } else if (c->role == EW_ROLE_ENTERPRISE) {
            memcpy(sc.enterprise, c->enterprise, sizeof(sc.enterprise));
        }
    }
    return ew_store_scope_set(r->store, &sc);
}

static int
admit(struct api_req *r, const struct api_route *rt, const struct api_policy **out)
{
    const struct api_policy *p = ew__api_policy_find(rt->method, rt->pattern);
    struct api_auth *a = ew__api_auth(r->api);
    struct api_caller *c = r->caller;

    if (p == NULL) {
        ew__api_security(r, "security.no_policy", rt->pattern, rt->pattern);
        return api_error(r, 403, "no_policy", "%s %s has no authorisation policy: refused",
                         rt->method, rt->pattern);
    }
    if (!ew_guard_take(a->per_ip, c->ip, ew__api_now_ms())) {
        ew__api_security(r, "security.rate_limited", NULL, "over the request rate per address");
        return api_error(r, 429, "rate_limited", "too many requests from %s; slow down", c->ip);
    }
    if (authenticate(r, c) != EW_OK) {
        ew__api_security(r, "security.bad_credentials", NULL, "an unknown, expired or revoked "
                                                              "API token");
        return api_error(r, 401, "bad_credentials",
                         "the API token is unknown, expired or revoked");
    }
    if (!(p->roles & EW_ROLE_BIT(c->role)) || (p->check != NULL && !p->check(r, c)))
        return refuse_role(r, p);
    if (is_write(r->method) && c->cookie && !(p->flags & API_P_NO_CSRF) && !csrf_ok(r)) {
        ew__api_security(r, "security.csrf", NULL, "a write without the session's CSRF token");
        return api_error(r, 403, "csrf", "this write needs the X-CSRF-Token header of the "
                                         "session (GET /api/v1/auth/me gives it)");
    }
    if (set_scope(r, p) != EW_OK)
        return api_error(r, 503, "busy", "out of memory");
    *out = p;
    return EW_OK;
}

int
ew__api_upload_admitted(struct api_req *r)
{
    size_t ntables;
    const struct api_route *const *tables = ew__api_route_tables(&ntables);
    const struct api_policy *p = NULL;
    struct api_caller c;
    char argbuf[512];
    int ok;

    for (size_t t = 0; t < ntables && p == NULL; t++)
        for (const struct api_route *rt = tables[t]; rt->method != NULL && p == NULL; rt++)
            if (strcmp(rt->method, r->method) == 0 &&
                ew__api_route_match(rt->pattern, r->path, r, argbuf, sizeof(argbuf)))
                p = ew__api_policy_find(rt->method, rt->pattern);
    if (p == NULL || !(p->flags & API_P_UPLOAD) || r->store == NULL)
        return 0;
    /* Only a known caller of an admitted role may make the daemon hold a large body; a
     * stranger's upload stays within max_body and is refused by the guard after it. */
    memset(&c, 0, sizeof(c));
    c.role = EW_ROLE_PUBLIC;
    r->caller = &c;
    ok = authenticate(r, &c) == EW_OK && c.role != EW_ROLE_PUBLIC &&
         (p->roles & EW_ROLE_BIT(c.role)) != 0;
    r->caller = NULL;
    r->nargs = 0;
    return ok;
}

int
ew__api_guarded(struct api_req *r, const struct api_route *rt)
{
    const struct api_policy *p = NULL;
    struct api_caller c;
    int rc;

    memset(&c, 0, sizeof(c));
    c.role = EW_ROLE_PUBLIC;
    r->caller = &c;
    client_address(r, &c);
    admit(r, rt, &p);
    if (p == NULL) {
        r->caller = NULL;
        return EW_OK;                   /* refused: the response is set */
    }
    if (is_write(r->method) && !(p->flags & API_P_SELF_AUDIT))
        rc = audited_write(r, rt, p);
    else
        rc = rt->fn(r);
    ew_store_scope_set(r->store, NULL);
    r->caller = NULL;
    return rc;
}
