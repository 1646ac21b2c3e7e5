/* SPDX-License-Identifier: MIT */
/*
 * What admins manage (the policy table admits only them here): accounts (add, change role,
 * scope, disable, unlock, reset password), every account's API tokens, the audit log (query,
 * CSV export, chain check), and the authorisation table itself as the dispatcher sees it.
 * A generated password is shown once in the reply; the audit log records the change with
 * the password masked. The last enabled admin cannot be demoted or disabled.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "api/auth_internal.h"
#include "util/csv.h"
#include "util/json.h"
#include "util/time.h"

#define AUDIT_DEFAULT_LIMIT 1000
#define AUDIT_MAX_LIMIT 100000

static int
write_job(struct api_req *r, int (*fn)(struct ew_store *, void *), void *arg)
{
    return r->host->write_job(r->host->ctx, fn, arg);
}

static int
append_user(void *ctx, const struct ew_user *u)
{
    struct ew_buf *b = ctx;

    if (b->ptr[b->len - 1] != '[')
        ew_buf_addc(b, ',');
    return ew__api_user_json(b, u, ew__api_now_ms());
}

static int
users_list(struct api_req *r)
{
    int rc;

    ew_buf_addc(&r->out, '[');
    if ((rc = ew_store_user_each(r->store, append_user, &r->out)) != EW_OK)
        return api_store_error(r, rc);
    return ew_buf_addc(&r->out, ']');
}

static int
user_of_path(struct api_req *r, struct ew_user *u)
{
    int rc = ew_store_user_get(r->store, r->args[0], u);

    if (rc == EW_ENOTFOUND || rc == EW_EINVAL)
        api_error(r, 404, "not_found", "no account %s", r->args[0]);
    else if (rc != EW_OK)
        api_store_error(r, rc);
    return rc;
}

static int
user_get(struct api_req *r)
{
    struct ew_user u;

    if (user_of_path(r, &u) != EW_OK)
        return EW_OK;
    return ew__api_user_json(&r->out, &u, ew__api_now_ms());
}

/* ---- add and change ------------------------------------------------------------------------- */

static int
read_text(struct api_req *r, const cJSON *j, const char *name, char *out, size_t cap)
{
    int present;

    if (ew__api_json_string(j, name, out, cap, &present) != EW_OK) {
        api_error(r, 400, "bad_field", "%s must be a string of at most %zu bytes", name,
                  cap - 1);
        return EW_EINVAL;
    }
    return EW_OK;
}

static int
read_flag(struct api_req *r, const cJSON *j, const char *name, int *out)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(j, name);

    if (m == NULL)
        return EW_OK;
    if (!cJSON_IsBool(m)) {
        api_error(r, 400, "bad_field", "%s must be true or false", name);
        return EW_EINVAL;
    }
    *out = cJSON_IsTrue(m);
    return EW_OK;
}

/* Applies the fields of j to u; a new role drops the county, unit or enterprise it does not
 * use unless the body gives them again. Returns EW_OK or sets a 400. */
static int
apply_fields(struct api_req *r, const cJSON *j, struct ew_user *u)
{
    char role[24] = "";
    int unlock = 0;

    if (read_text(r, j, "role", role, sizeof(role)) != EW_OK)
        return EW_EINVAL;
    if (role[0] != '\0') {
        int v;
        if (ew_role_parse(role, &v) != EW_OK || v == EW_ROLE_PUBLIC) {
            api_error(r, 400, "bad_field", "role must be admin, operator, leader, officer or "
                                           "enterprise");
            return EW_EINVAL;
        }
        if (v != EW_ROLE_OFFICER)
            u->county[0] = u->unit[0] = '\0';
        if (v != EW_ROLE_ENTERPRISE)
            u->enterprise[0] = '\0';
        u->role = v;
    }
    if (read_text(r, j, "display", u->display, sizeof(u->display)) != EW_OK ||
        read_text(r, j, "county", u->county, sizeof(u->county)) != EW_OK ||
        read_text(r, j, "unit", u->unit, sizeof(u->unit)) != EW_OK ||
        read_text(r, j, "enterprise", u->enterprise, sizeof(u->enterprise)) != EW_OK ||
        read_flag(r, j, "disabled", &u->disabled) != EW_OK ||
        read_flag(r, j, "unlock", &unlock) != EW_OK)
        return EW_EINVAL;
    if (unlock) {
        u->failures = 0;
        u->locked_until_ms = 0;
    }
    return EW_OK;
}

static int
run_user_add(struct ew_store *s, void *arg)
{
    return ew_store_user_add(s, arg);
}

/* The password of a new account or a reset: the body's, checked, or a generated one. */
static int
new_password(struct api_req *r, const cJSON *j, char *pw, size_t cap, int *generated)
{
    char why[160];
    int present;

    *generated = 0;
    if (ew__api_json_string(j, "password", pw, cap, &present) != EW_OK) {
        api_error(r, 400, "bad_field", "password must be a string");
        return EW_EINVAL;
    }
    if (!present) {
        *generated = 1;
        return ew_password_generate(pw, cap);
    }
    if (ew_password_check(pw, why, sizeof(why)) != EW_OK) {
        api_error(r, 400, "weak_password", "%s", why);
        return EW_EINVAL;
    }
    return EW_OK;
}

static int
reply_user(struct api_req *r, const struct ew_user *u, const char *generated_pw)
{
    ew_buf_adds(&r->out, "{\"user\":");
    ew__api_user_json(&r->out, u, ew__api_now_ms());
    if (generated_pw != NULL) {
        ew_buf_adds(&r->out, ",\"password\":");
        ew_json_strz(&r->out, generated_pw);
        ew_buf_adds(&r->out, ",\"note\":\"the password is shown this once\"");
    }
    return ew_buf_addc(&r->out, '}');
}

/* POST /api/v1/users {"name","role",...,"password"?} */
static int
user_add(struct api_req *r)
{
    char pw[EW_PASSWORD_MAX + 1], why[200];
    struct ew_user u;
    int gen = 0, rc;
    cJSON *j = api_body_json(r);

    if (j == NULL)
        return EW_OK;
    ew_user_init(&u);
    u.role = EW_ROLE_PUBLIC;
    rc = read_text(r, j, "name", u.name, sizeof(u.name));
    if (rc == EW_OK)
        rc = apply_fields(r, j, &u);
    if (rc == EW_OK)
        rc = new_password(r, j, pw, sizeof(pw), &gen);
    cJSON_Delete(j);
    if (rc != EW_OK)
        return EW_OK;
    u.disabled = 0;
    u.created_ms = u.updated_ms = u.pw_changed_ms = ew__api_now_ms();
    rc = ew_password_hash(pw, u.pwhash);
    if (rc == EW_OK && ew_user_check(&u, why, sizeof(why)) != EW_OK)
        rc = api_error(r, 400, "bad_field", "%s", why);
    else if (rc == EW_OK && (rc = write_job(r, run_user_add, &u)) == EW_EEXIST)
        rc = api_error(r, 409, "exists", "the account %s exists", u.name);
    else if (rc != EW_OK)
        rc = api_store_error(r, rc);
    else {
        r->status = 201;
        rc = reply_user(r, &u, gen ? pw : NULL);
    }
    sodium_memzero(pw, sizeof(pw));
    return rc;
}

static int
count_admins(void *ctx, const struct ew_user *u)
{
    int64_t *n = ctx;

    if (u->role == EW_ROLE_ADMIN && !u->disabled)
        (*n)++;
    return 0;
}

/* 1 when changing cur into next leaves at least one enabled admin. */
static int
admins_remain(struct api_req *r, const struct ew_user *cur, const struct ew_user *next)
{
    int64_t n = 0;

    if (!(cur->role == EW_ROLE_ADMIN && !cur->disabled) ||
        (next->role == EW_ROLE_ADMIN && !next->disabled))
        return 1;
    if (ew_store_user_each(r->store, count_admins, &n) != EW_OK)
        return 0;
    return n > 1;
}

struct update_job {
    struct ew_user u;
    int            end_sessions;
};

static int
run_user_update(struct ew_store *s, void *arg)
{
    struct update_job *j = arg;
    int rc = ew_store_user_update(s, &j->u);

    if (rc == EW_OK && j->end_sessions)
        rc = ew_store_session_remove_user(s, j->u.id, NULL);
    return rc;
}

/* PUT /api/v1/users/{name} {"role","display","county","unit","enterprise","disabled","unlock"} */
static int
user_update(struct api_req *r)
{
    struct update_job j;
    struct ew_user cur;
    char why[200];
    cJSON *body;
    int rc;

    if (user_of_path(r, &cur) != EW_OK)
        return EW_OK;
    if ((body = api_body_json(r)) == NULL)
        return EW_OK;
    j.u = cur;
    rc = apply_fields(r, body, &j.u);
    cJSON_Delete(body);
    if (rc != EW_OK)
        return EW_OK;
    if (ew_user_check(&j.u, why, sizeof(why)) != EW_OK)
        return api_error(r, 400, "bad_field", "%s", why);
    if (!admins_remain(r, &cur, &j.u))
        return api_error(r, 409, "last_admin", "this would leave no enabled admin");
    j.u.updated_ms = ew__api_now_ms();
    j.end_sessions = j.u.disabled != cur.disabled || j.u.role != cur.role;
    if ((rc = write_job(r, run_user_update, &j)) != EW_OK)
        return api_store_error(r, rc);
    return ew__api_user_json(&r->out, &j.u, ew__api_now_ms());
}

/* POST /api/v1/users/{name}/password {"password"?}: a reset; sessions end. */
static int
user_password(struct api_req *r)
{
    char pw[EW_PASSWORD_MAX + 1];
    struct ew_user u;
    int gen = 0, rc;
    cJSON *j;

    if (user_of_path(r, &u) != EW_OK)
        return EW_OK;
    if ((j = api_body_json(r)) == NULL)
        return EW_OK;
    rc = new_password(r, j, pw, sizeof(pw), &gen);
    cJSON_Delete(j);
    if (rc != EW_OK)
        return EW_OK;
    if ((rc = ew__api_set_password(r, &u, pw)) != EW_OK)
        rc = api_store_error(r, rc);
    else
        rc = reply_user(r, &u, gen ? pw : NULL);
    sodium_memzero(pw, sizeof(pw));
    return rc;
}

static int
user_tokens(struct api_req *r)
{
    struct ew_user u;

    if (user_of_path(r, &u) != EW_OK)
        return EW_OK;
    return ew__api_tokens_of(r, u.id);
}

static int
user_token_new(struct api_req *r)
{
    struct ew_user u;

    if (user_of_path(r, &u) != EW_OK)
        return EW_OK;
    return ew__api_token_issue(r, u.id);
}

static int
token_revoke_any(struct api_req *r)
{
    return ew__api_token_revoke(r, 0);
}

/* ---- the audit log ----------------------------------------------------------------------------- */

/* A CSV field that a spreadsheet would not take for a formula (= + - @ at the start). */
static int
csv_safe(struct ew_buf *b, const char *s)
{
    char *tmp;
    int rc;

    if (s == NULL || strchr("=+-@\t\r", s[0]) == NULL || s[0] == '\0')
        return ew_csv_field(b, s != NULL ? s : "");
    if ((tmp = malloc(strlen(s) + 2)) == NULL)
        return EW_ENOMEM;
    tmp[0] = '\'';
    memcpy(tmp + 1, s, strlen(s) + 1);
    rc = ew_csv_field(b, tmp);
    free(tmp);
    return rc;
}

struct audit_out {
    struct ew_buf *b;
    int            csv;
};

static void
json_value(struct ew_buf *b, const char *s)
{
    cJSON *j;

    if (s == NULL) {
        ew_buf_adds(b, "null");
        return;
    }
    j = cJSON_Parse(s);
    if (j != NULL)
        ew_buf_adds(b, s);              /* stored scrubbed and valid: embed as it is */
    else
        ew_json_strz(b, s);
    cJSON_Delete(j);
}

static int
audit_csv_row(struct ew_buf *b, const struct ew_audit *a)
{
    const char *v[] = { a->actor, a->role, a->via, a->peer, a->action, a->target, a->result,
                        a->before, a->after, a->detail };
    char t[20];

    ew_time_fmt_iso(a->at_ms / 1000, t);
    ew_buf_printf(b, "%lld,%s.%03d", (long long)a->id, t, (int)(a->at_ms % 1000));
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        ew_buf_addc(b, ',');
        csv_safe(b, v[i]);
    }
    return ew_buf_adds(b, "\r\n");
}

static int
audit_row(void *ctx, const struct ew_audit *a)
{
    struct audit_out *o = ctx;
    struct ew_buf *b = o->b;
    char t[20];

    if (o->csv)
        return audit_csv_row(b, a);
    if (b->ptr[b->len - 1] != '[')
        ew_buf_addc(b, ',');
    ew_time_fmt_iso(a->at_ms / 1000, t);
    ew_buf_printf(b, "{\"id\":%lld,\"time\":\"%s.%03d\",\"actor\":", (long long)a->id, t,
                  (int)(a->at_ms % 1000));
    ew_json_strz(b, a->actor);
    ew_buf_adds(b, ",\"role\":");
    ew_json_strz(b, a->role);
    ew_buf_adds(b, ",\"via\":");
    ew_json_strz(b, a->via);
    ew_buf_adds(b, ",\"peer\":");
    ew_json_strz(b, a->peer);
    ew_buf_adds(b, ",\"action\":");
    ew_json_strz(b, a->action);
    ew_buf_adds(b, ",\"target\":");
    ew_json_strz(b, a->target);
    ew_buf_adds(b, ",\"result\":");
    ew_json_strz(b, a->result);
    ew_buf_adds(b, ",\"before\":");
    json_value(b, a->before);
    ew_buf_adds(b, ",\"after\":");
    json_value(b, a->after);
    ew_buf_adds(b, ",\"detail\":");
    json_value(b, a->detail);
    return ew_buf_addc(b, '}');
}

/* GET /api/v1/audit?from&to&actor&action&via&target&limit&order=asc&format=csv */
static int
audit_list(struct api_req *r)
{
    struct ew_audit_query q = { .actor = api_query(r, "actor"), .action = api_query(r, "action"),
                                .via = api_query(r, "via"), .target = api_query(r, "target"),
                                .limit = AUDIT_DEFAULT_LIMIT, .newest_first = 1 };
    const char *lim = api_query(r, "limit"), *fmt = api_query(r, "format");
    const char *order = api_query(r, "order");
    struct audit_out o = { &r->out, fmt != NULL && strcmp(fmt, "csv") == 0 };
    int64_t from, to;
    int rc;

    if (api_time_range(r, 0, 0, &from, &to) != EW_OK)
        return EW_OK;
    q.from_ms = from * 1000;
    q.to_ms = to > 0 ? to * 1000 + 999 : 0;
    if (lim != NULL) {
        char *end;
        unsigned long v = strtoul(lim, &end, 10);
        if (*end != '\0' || v == 0 || v > AUDIT_MAX_LIMIT)
            return api_error(r, 400, "bad_limit", "limit must be 1..%d", AUDIT_MAX_LIMIT);
        q.limit = v;
    }
    if (fmt != NULL && strcmp(fmt, "csv") != 0 && strcmp(fmt, "json") != 0)
        return api_error(r, 400, "bad_format", "format is json or csv");
    q.newest_first = order == NULL || strcmp(order, "asc") != 0;
    if (o.csv) {
        r->content_type = "text/csv; charset=utf-8";
        r->disposition = "attachment; filename=\"envwatch-audit.csv\"";
        ew_buf_adds(&r->out, "id,time,actor,role,via,peer,action,target,result,before,after,"
                             "detail\r\n");
    } else {
        ew_buf_addc(&r->out, '[');
    }
    if ((rc = ew_store_audit_each(r->store, &q, audit_row, &o)) != EW_OK)
        return api_store_error(r, rc);
    return o.csv ? EW_OK : ew_buf_addc(&r->out, ']');
}

/* GET /api/v1/audit/verify: the chain of every entry. */
static int
audit_verify(struct api_req *r)
{
    int64_t rows = 0, bad = 0;
    int rc = ew_store_audit_verify(r->store, &rows, &bad);

    if (rc == EW_EFORMAT)
        return ew_buf_printf(&r->out, "{\"ok\":false,\"bad_id\":%lld}", (long long)bad);
    if (rc != EW_OK)
        return api_store_error(r, rc);
    return ew_buf_printf(&r->out, "{\"ok\":true,\"entries\":%lld}", (long long)rows);
}

/* ---- the authorisation table as the dispatcher sees it ------------------------------------- */

static void
policy_json(struct ew_buf *b, const char *method, const char *pattern,
            const struct api_policy *p, int routed)
{
    int first = 1;

    ew_buf_adds(b, "{\"method\":");
    ew_json_strz(b, method);
    ew_buf_adds(b, ",\"pattern\":");
    ew_json_strz(b, pattern);
    ew_buf_printf(b, ",\"routed\":%s,\"policy\":%s", routed ? "true" : "false",
                  p != NULL ? "true" : "false");
    if (p == NULL) {
        ew_buf_addc(b, '}');
        return;
    }
    ew_buf_adds(b, ",\"roles\":[");
    for (int role = 0; role < EW_ROLE_COUNT; role++) {
        if (!(p->roles & EW_ROLE_BIT(role)))
            continue;
        ew_buf_adds(b, first ? "" : ",");
        ew_json_strz(b, ew_role_name(role));
        first = 0;
    }
    ew_buf_printf(b, "],\"scope\":\"%s\",\"action\":", ew__api_scope_name(p->scope));
    ew_json_strz(b, p->action);
    ew_buf_adds(b, ",\"target\":");
    ew_json_strz(b, p->target);
    ew_buf_printf(b, ",\"finer_rule\":%s}", p->check != NULL ? "true" : "false");
}

static int
routed(const char *method, const char *pattern)
{
    size_t n;
    const struct api_route *const *tables = ew__api_route_tables(&n);

    for (size_t t = 0; t < n; t++)
        for (const struct api_route *rt = tables[t]; rt->method != NULL; rt++)
            if (strcmp(rt->method, method) == 0 && strcmp(rt->pattern, pattern) == 0)
                return 1;
    return 0;
}

/* GET /api/v1/auth/policy: every route with its policy, then policies of no route. */
static int
policy_list(struct api_req *r)
{
    size_t n;
    const struct api_route *const *tables = ew__api_route_tables(&n);
    int first = 1;

    ew_buf_adds(&r->out, "{\"routes\":[");
    for (size_t t = 0; t < n; t++) {
        for (const struct api_route *rt = tables[t]; rt->method != NULL; rt++) {
            ew_buf_adds(&r->out, first ? "" : ",");
            first = 0;
            policy_json(&r->out, rt->method, rt->pattern,
                        ew__api_policy_find(rt->method, rt->pattern), 1);
        }
    }
    ew_buf_adds(&r->out, "],\"unrouted\":[");
    first = 1;
    for (const struct api_policy *p = ew__api_policies; p->method != NULL; p++) {
        if (routed(p->method, p->pattern))
            continue;
        ew_buf_adds(&r->out, first ? "" : ",");
        first = 0;
        policy_json(&r->out, p->method, p->pattern, p, 0);
    }
    return ew_buf_adds(&r->out, "]}");
}

const struct api_route ew__api_routes_auth_admin[] = {
    { "GET", "/api/v1/users", users_list },
    { "POST", "/api/v1/users", user_add },
    { "GET", "/api/v1/users/*", user_get },
    { "PUT", "/api/v1/users/*", user_update },
    { "POST", "/api/v1/users/*/password", user_password },
    { "GET", "/api/v1/users/*/tokens", user_tokens },
    { "POST", "/api/v1/users/*/tokens", user_token_new },
    { "DELETE", "/api/v1/tokens/*", token_revoke_any },
    { "GET", "/api/v1/audit", audit_list },
    { "GET", "/api/v1/audit/verify", audit_verify },
    { "GET", "/api/v1/auth/policy", policy_list },
    { NULL, NULL, NULL },
};
