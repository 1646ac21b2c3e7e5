/* SPDX-License-Identifier: MIT */
/*
 * The caller's own session and account: log in (a session cookie, HttpOnly, SameSite=Strict,
 * Secure over TLS; the CSRF token in the body), log out, who am I, change my password, and my
 * API tokens. Every outcome of a login goes to the audit log; a password or token never does.
 * Repeated failures lock the account for a while (lockout); an unknown name answers as slowly
 * and as vaguely as a wrong password.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "api/auth_internal.h"
#include "util/json.h"
#include "util/time.h"

const char *
api_actor(const struct api_req *r)
{
    return r->caller != NULL ? r->caller->name : "";
}

static void
iso_ms(struct ew_buf *b, int64_t ms)
{
    char t[20];

    if (ms <= 0) {
        ew_buf_adds(b, "null");
        return;
    }
    ew_time_fmt_iso(ms / 1000, t);
    ew_buf_printf(b, "\"%s\"", t);
}

int
ew__api_user_json(struct ew_buf *b, const struct ew_user *u, int64_t now_ms)
{
    ew_buf_printf(b, "{\"id\":%lld,\"name\":", (long long)u->id);
    ew_json_strz(b, u->name);
    ew_buf_adds(b, ",\"display\":");
    ew_json_strz(b, u->display);
    ew_buf_adds(b, ",\"role\":");
    ew_json_strz(b, ew_role_name(u->role));
    ew_buf_adds(b, ",\"county\":");
    ew_json_strz(b, u->county);
    ew_buf_adds(b, ",\"unit\":");
    ew_json_strz(b, u->unit);
    ew_buf_adds(b, ",\"enterprise\":");
    ew_json_strz(b, u->enterprise);
    ew_buf_printf(b, ",\"disabled\":%s,\"failures\":%d,\"locked_until\":",
                  u->disabled ? "true" : "false", u->failures);
    iso_ms(b, u->locked_until_ms > now_ms ? u->locked_until_ms : 0);
    ew_buf_adds(b, ",\"created\":");
    iso_ms(b, u->created_ms);
    ew_buf_adds(b, ",\"password_changed\":");
    iso_ms(b, u->pw_changed_ms);
    return ew_buf_addc(b, '}');
}

int
ew__api_token_json(struct ew_buf *b, const struct ew_api_token *t)
{
    ew_buf_printf(b, "{\"id\":%lld,\"user_id\":%lld,\"label\":", (long long)t->id,
                  (long long)t->user_id);
    ew_json_strz(b, t->label);
    ew_buf_adds(b, ",\"created\":");
    iso_ms(b, t->created_ms);
    ew_buf_adds(b, ",\"expires\":");
    iso_ms(b, t->expires_ms);
    ew_buf_adds(b, ",\"revoked\":");
    iso_ms(b, t->revoked_ms);
    return ew_buf_addc(b, '}');
}

/* ---- log in ---------------------------------------------------------------------------------- */

struct login_job {
    int64_t           user_id, now_ms, lock_ms;
    int               max_failures, locked;
    struct ew_session ss;
};

static int
run_login_ok(struct ew_store *s, void *arg)
{
    struct login_job *j = arg;
    int rc;

    if ((rc = ew_store_user_login_ok(s, j->user_id)) != EW_OK ||
        (rc = ew_store_session_prune(s, j->now_ms)) != EW_OK)
        return rc;
    return ew_store_session_put(s, &j->ss);
}

static int
run_login_failed(struct ew_store *s, void *arg)
{
    struct login_job *j = arg;

    return ew_store_user_login_failed(s, j->user_id, j->max_failures, j->lock_ms, j->now_ms,
                                      &j->locked);
}

static int
write_job(struct api_req *r, int (*fn)(struct ew_store *, void *), void *arg)
{
    return r->host->write_job(r->host->ctx, fn, arg);
}

/* A refused login: recorded, except that the refusals a stranger can repeat without limit
 * (an unknown name, a locked or disabled account) are recorded once a minute per address
 * and target, with their count. Wrong passwords are all recorded (the lockout bounds them). */
static int
bad_login(struct api_req *r, const char *target, const char *result, const char *why,
          const char *code)
{
    int always = strcmp(result, "failed") == 0 && strcmp(target, "user:?") != 0;
    char key[120], more[200];
    unsigned suppressed = 0;

    snprintf(key, sizeof(key), "auth.login|%s|%s", result, target);
    if (always || ew__api_record_now(r, key, &suppressed)) {
        snprintf(more, sizeof(more), "%s", why);
        if (suppressed > 0)
            snprintf(more, sizeof(more), "%s (and %u more since the last entry)", why,
                     suppressed);
        ew__api_audit(r, "auth.login", target, result, NULL, NULL, more);
    }
    if (strcmp(code, "locked") == 0)
        return api_error(r, 401, "locked", "too many failed logins: the account is locked "
                                           "for a while; try again later or ask an admin");
    return api_error(r, 401, "bad_credentials", "wrong name or password");
}

/* A correct password: a new session, its cookie, and the CSRF token in the reply. */
static int
login_ok(struct api_req *r, const struct ew_user *u, const char *target, int64_t now)
{
    const struct api_auth_config *cfg = ew__api_auth_config(ew__api_auth(r->api));
    char tok[EW_TOKEN_MAX + 1], csrf[EW_TOKEN_HASH_LEN + 1];
    struct login_job j = { .user_id = u->id, .now_ms = now };
    int64_t life_ms = (int64_t)cfg->session_hours * 3600000;
    int rc;

    if (ew_token_new("ews", tok, j.ss.hash) != EW_OK || ew_token_csrf(tok, csrf) != EW_OK)
        return api_error(r, 503, "busy", "no random token");
    j.ss.user_id = u->id;
    j.ss.created_ms = now;
    j.ss.expires_ms = now + life_ms;
    snprintf(j.ss.peer, sizeof(j.ss.peer), "%s", r->caller->peer);
    if ((rc = write_job(r, run_login_ok, &j)) != EW_OK) {
        sodium_memzero(tok, sizeof(tok));
        return api_store_error(r, rc);
    }
    ew__api_audit(r, "auth.login", target, "ok", NULL, NULL, NULL);
    ew__api_session_cookie(r, tok, life_ms / 1000);
    sodium_memzero(tok, sizeof(tok));
    ew_buf_adds(&r->out, "{\"user\":");
    ew__api_user_json(&r->out, u, now);
    ew_buf_adds(&r->out, ",\"csrf\":");
    ew_json_strz(&r->out, csrf);
    ew_buf_adds(&r->out, ",\"expires\":");
    iso_ms(&r->out, j.ss.expires_ms);
    return ew_buf_addc(&r->out, '}');
}

static int
login_checked(struct api_req *r, const char *name, const char *pw)
{
    const struct api_auth *a = ew__api_auth(r->api);
    const struct api_auth_config *cfg = ew__api_auth_config(a);
    int64_t now = ew__api_now_ms();
    struct login_job j = { .now_ms = now, .max_failures = (int)cfg->lockout_failures,
                           .lock_ms = (int64_t)cfg->lockout_minutes * 60000 };
    char target[EW_USER_NAME_MAX + 8];
    struct ew_user u;

    if (ew_store_user_get(r->store, name, &u) != EW_OK) {
        /* As slow as a wrong password, and the name (maybe a password typed in the wrong
         * field) is not recorded. */
        ew_password_verify(ew__api_auth_dummy_hash(a), pw);
        return bad_login(r, "user:?", "failed", "unknown account name (not recorded)",
                         "bad_credentials");
    }
    snprintf(target, sizeof(target), "user:%s", u.name);
    if (u.disabled)
        return bad_login(r, target, "denied", "the account is disabled", "bad_credentials");
    if (u.locked_until_ms > now)
        return bad_login(r, target, "denied", "the account is locked", "locked");
    if (ew_password_verify(u.pwhash, pw) != EW_OK) {
        j.user_id = u.id;
        if (write_job(r, run_login_failed, &j) == EW_OK && j.locked) {
            ew__api_audit(r, "auth.lockout", target, "locked", NULL, NULL,
                          "too many failed logins in a row");
            return bad_login(r, target, "failed", "wrong password; the account is now locked",
                             "locked");
        }
        return bad_login(r, target, "failed", "wrong password", "bad_credentials");
    }
    return login_ok(r, &u, target, now);
}

/* POST /api/v1/auth/login {"name","password"} */
static int
login(struct api_req *r)
{
    char name[EW_USER_NAME_MAX + 1], pw[EW_PASSWORD_MAX + 1];
    int rc;

    if (!ew__api_login_allowed(r)) {
        ew__api_security(r, "security.login_rate", NULL, "login attempts over the rate");
        return api_error(r, 429, "rate_limited", "too many login attempts; wait a little");
    }
    if (ew__auth_parse_login(r->body, r->body_len, name, sizeof(name), pw, sizeof(pw)) !=
        EW_OK)
        return api_error(r, 400, "bad_login", "the body must be {\"name\": \"...\", "
                                              "\"password\": \"...\"} and nothing else");
    rc = login_checked(r, name, pw);
    sodium_memzero(pw, sizeof(pw));
    return rc;
}

static int
run_logout(struct ew_store *s, void *arg)
{
    int rc = ew_store_session_remove(s, arg);

    return rc == EW_ENOTFOUND ? EW_OK : rc;
}

/* POST /api/v1/auth/logout: ends the cookie's session (a token is revoked instead). */
static int
logout(struct api_req *r)
{
    const struct api_caller *c = r->caller;
    char target[EW_USER_NAME_MAX + 8], hash[EW_TOKEN_HASH_LEN + 1];
    int rc = EW_OK;

    snprintf(target, sizeof(target), "user:%s", c->name);
    if (c->cookie) {
        memcpy(hash, c->session_hash, sizeof(hash));
        rc = write_job(r, run_logout, hash);
    }
    if (rc != EW_OK)
        return api_store_error(r, rc);
    ew__api_audit(r, "auth.logout", target, "ok", NULL, NULL,
                  c->cookie ? NULL : "an API token has no session: revoke it instead");
    ew__api_session_cookie(r, NULL, 0);
    return ew_buf_adds(&r->out, "{\"ok\":true}");
}

/* GET /api/v1/auth/me: the caller (null when anonymous) and its session's CSRF token. */
static int
me(struct api_req *r)
{
    const struct api_caller *c = r->caller;
    struct ew_user u;

    if (c->user_id == 0 || ew_store_user_get_id(r->store, c->user_id, &u) != EW_OK)
        return ew_buf_adds(&r->out, "{\"user\":null}");
    ew_buf_adds(&r->out, "{\"user\":");
    ew__api_user_json(&r->out, &u, ew__api_now_ms());
    ew_buf_printf(&r->out, ",\"via\":\"%s\",\"csrf\":", c->cookie ? "session" : "token");
    ew_json_strz(&r->out, c->cookie ? c->csrf : NULL);
    ew_buf_adds(&r->out, ",\"expires\":");
    iso_ms(&r->out, c->expires_ms);
    return ew_buf_addc(&r->out, '}');
}

/* ---- my password and my tokens ----------------------------------------------------------- */

struct pw_job {
    struct ew_user u;
};

static int
run_set_password(struct ew_store *s, void *arg)
{
    struct pw_job *j = arg;
    int rc = ew_store_user_update(s, &j->u);

    return rc == EW_OK ? ew_store_session_remove_user(s, j->u.id, NULL) : rc;
}

int
ew__api_set_password(struct api_req *r, struct ew_user *u, const char *pw)
{
    struct pw_job *j;
    int rc;

    if (ew_password_hash(pw, u->pwhash) != EW_OK)
        return EW_ENOMEM;
    u->pw_changed_ms = u->updated_ms = ew__api_now_ms();
    u->failures = 0;
    u->locked_until_ms = 0;
    if ((j = malloc(sizeof(*j))) == NULL)
        return EW_ENOMEM;
    j->u = *u;
    rc = write_job(r, run_set_password, j);
    sodium_memzero(j, sizeof(*j));
    free(j);
    return rc;
}

/* Reads the string member name of j into out[0..cap); NULL member: not there. */
int
ew__api_json_string(const cJSON *j, const char *name, char *out, size_t cap, int *present)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(j, name);

    *present = m != NULL && !cJSON_IsNull(m);
    if (!*present)
        return EW_OK;
    if (!cJSON_IsString(m) || strlen(m->valuestring) >= cap)
        return EW_EINVAL;
    memcpy(out, m->valuestring, strlen(m->valuestring) + 1);
    return EW_OK;
}

/* POST /api/v1/auth/password {"current","password"}: every session of the account ends. */
static int
change_password(struct api_req *r)
{
    char cur[EW_PASSWORD_MAX + 1] = "", pw[EW_PASSWORD_MAX + 1] = "", why[160];
    char target[EW_USER_NAME_MAX + 8];
    int has_cur = 0, has_pw = 0, rc;
    struct ew_user u;
    cJSON *j = api_body_json(r);

    if (j == NULL)
        return EW_OK;
    rc = ew__api_json_string(j, "current", cur, sizeof(cur), &has_cur) == EW_OK &&
         ew__api_json_string(j, "password", pw, sizeof(pw), &has_pw) == EW_OK && has_cur &&
         has_pw;
    cJSON_Delete(j);
    snprintf(target, sizeof(target), "user:%s", r->caller->name);
    if (!rc) {
        rc = api_error(r, 400, "bad_field", "the body is {\"current\": ..., \"password\": ...}");
    } else if (ew_store_user_get_id(r->store, r->caller->user_id, &u) != EW_OK ||
               ew_password_verify(u.pwhash, cur) != EW_OK) {
        ew__api_audit(r, "user.password", target, "denied", NULL, NULL,
                      "the current password was wrong");
        rc = api_error(r, 403, "bad_credentials", "the current password is wrong");
    } else if (ew_password_check(pw, why, sizeof(why)) != EW_OK) {
        rc = api_error(r, 400, "weak_password", "%s", why);
    } else if ((rc = ew__api_set_password(r, &u, pw)) != EW_OK) {
        rc = api_store_error(r, rc);
    } else {
        ew__api_audit(r, "user.password", target, "ok", NULL, NULL, "changed by the user");
        ew__api_session_cookie(r, NULL, 0);
        rc = ew_buf_adds(&r->out, "{\"ok\":true,\"relogin\":true}");
    }
    sodium_memzero(cur, sizeof(cur));
    sodium_memzero(pw, sizeof(pw));
    return rc;
}

static int
append_token(void *ctx, const struct ew_api_token *t)
{
    struct ew_buf *b = ctx;

    if (b->ptr[b->len - 1] != '[')
        ew_buf_addc(b, ',');
    return ew__api_token_json(b, t);
}

int
ew__api_tokens_of(struct api_req *r, int64_t user_id)
{
    int rc;

    ew_buf_addc(&r->out, '[');
    if ((rc = ew_store_token_each(r->store, user_id, append_token, &r->out)) != EW_OK)
        return api_store_error(r, rc);
    return ew_buf_addc(&r->out, ']');
}

static int
run_token_put(struct ew_store *s, void *arg)
{
    return ew_store_token_put(s, arg);
}

/* Issues a token for user_id from the body {"label","days"}: the token is shown once. */
int
ew__api_token_issue(struct api_req *r, int64_t user_id)
{
    const struct api_auth_config *cfg = ew__api_auth_config(ew__api_auth(r->api));
    char tok[EW_TOKEN_MAX + 1];
    struct ew_api_token t;
    const cJSON *days;
    double d = 90;
    int has = 0, rc;
    cJSON *j = api_body_json(r);

    if (j == NULL)
        return EW_OK;
    memset(&t, 0, sizeof(t));
    rc = ew__api_json_string(j, "label", t.label, sizeof(t.label), &has);
    days = cJSON_GetObjectItemCaseSensitive(j, "days");
    if (days != NULL)
        d = cJSON_IsNumber(days) ? days->valuedouble : -1;
    cJSON_Delete(j);
    if (rc != EW_OK || !has || t.label[0] == '\0')
        return api_error(r, 400, "bad_field", "a token needs a label (what it is for)");
    if (!(d >= 1 && d <= cfg->token_max_days) || d != (double)(int64_t)d)
        return api_error(r, 400, "bad_field", "days must be a whole number from 1 to %u",
                         cfg->token_max_days);
    if (ew_token_new("ewt", tok, t.hash) != EW_OK)
        return api_error(r, 503, "busy", "no random token");
    t.user_id = user_id;
    t.created_ms = ew__api_now_ms();
    t.expires_ms = t.created_ms + (int64_t)d * 86400000;
    if ((rc = write_job(r, run_token_put, &t)) != EW_OK) {
        sodium_memzero(tok, sizeof(tok));
        return api_store_error(r, rc);
    }
    r->status = 201;
    ew_buf_adds(&r->out, "{\"token\":");
    ew_json_strz(&r->out, tok);
    sodium_memzero(tok, sizeof(tok));
    ew_buf_adds(&r->out, ",\"about\":");
    ew__api_token_json(&r->out, &t);
    return ew_buf_adds(&r->out, ",\"note\":\"the token is shown this once: keep it\"}");
}

struct revoke_job {
    int64_t id, owner, now_ms;
};

static int
run_revoke(struct ew_store *s, void *arg)
{
    struct revoke_job *j = arg;
    struct ew_api_token t;
    int rc;

    if ((rc = ew_store_token_get(s, j->id, &t)) != EW_OK)
        return rc;
    if (j->owner != 0 && t.user_id != j->owner)
        return EW_ENOTFOUND;            /* not one of the caller's own */
    return ew_store_token_revoke(s, j->id, j->now_ms);
}

/* Revokes token args[0]; owner 0: any account's (admins), else only the owner's. */
int
ew__api_token_revoke(struct api_req *r, int64_t owner)
{
    struct revoke_job j = { 0, owner, ew__api_now_ms() };
    char *end;
    int rc;

    j.id = strtoll(r->args[0], &end, 10);
    if (*end != '\0' || j.id <= 0)
        return api_error(r, 404, "not_found", "no token %s", r->args[0]);
    rc = write_job(r, run_revoke, &j);
    if (rc == EW_ENOTFOUND)
        return api_error(r, 404, "not_found", "no token %s", r->args[0]);
    if (rc == EW_ESTATE)
        return api_error(r, 409, "state", "token %s is already revoked", r->args[0]);
    if (rc != EW_OK)
        return api_store_error(r, rc);
    return ew_buf_printf(&r->out, "{\"id\":%lld,\"revoked\":true}", (long long)j.id);
}

static int
my_tokens(struct api_req *r)
{
    return ew__api_tokens_of(r, r->caller->user_id);
}

static int
my_token_new(struct api_req *r)
{
    return ew__api_token_issue(r, r->caller->user_id);
}

static int
my_token_revoke(struct api_req *r)
{
    return ew__api_token_revoke(r, r->caller->user_id);
}

const struct api_route ew__api_routes_auth[] = {
    { "POST", "/api/v1/auth/login", login },
    { "POST", "/api/v1/auth/logout", logout },
    { "GET", "/api/v1/auth/me", me },
    { "POST", "/api/v1/auth/password", change_password },
    { "GET", "/api/v1/auth/tokens", my_tokens },
    { "POST", "/api/v1/auth/tokens", my_token_new },
    { "DELETE", "/api/v1/auth/tokens/*", my_token_revoke },
    { NULL, NULL, NULL },
};
