/* SPDX-License-Identifier: MIT */
/*
 * Inside src/api/, authorisation in one place: the policy table (auth_policy.c) that says for
 * every route which roles may call it and which scope filters its data, the guard the
 * dispatcher runs before any handler (auth.c: who calls, may they, CSRF, rate limits, the
 * scope of the store handle, the audit entry of a write), the routes of accounts, tokens and
 * the audit log (auth_routes.c), and the parsers of what a client sends for it (auth_parse.c,
 * pure, fuzzed by fuzz/fuzz_auth.c).
 */
#ifndef EW_API_AUTH_INTERNAL_H
#define EW_API_AUTH_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <envwatch/auth.h>

#include "api/internal.h"

/* ---- the policy table ---------------------------------------------------------------------- */

/* How a route's data are cut to the caller (docs/security.md has the table). */
enum api_scope {
    API_SCOPE_NONE,     /* not cut: published data, or roles that see everything */
    API_SCOPE_COUNTY,   /* county data: an officer sees its county's */
    API_SCOPE_POINT,    /* point data: an officer its county's points, an enterprise its own */
    API_SCOPE_UNIT,     /* ledger items: an officer its county's or unit's */
    API_SCOPE_SELF,     /* the caller's own account */
};

#define API_P_SELF_AUDIT 0x01   /* the handler writes its own audit entries (login ...) */
#define API_P_NO_CSRF    0x02   /* no CSRF token (login: there is no session yet) */
#define API_P_ALL_ACCOUNTS 0x04 /* the same for every account by design (the county
                                   scorecard is circulated to all counties): not cut */
#define API_P_UPLOAD 0x08       /* the body is a file: up to [ledger] max_file_bytes instead
                                   of [http] max_body, for a caller the row admits */

#define R_PUBLIC     EW_ROLE_BIT(EW_ROLE_PUBLIC)
#define R_ADMIN      EW_ROLE_BIT(EW_ROLE_ADMIN)
#define R_OPERATOR   EW_ROLE_BIT(EW_ROLE_OPERATOR)
#define R_LEADER     EW_ROLE_BIT(EW_ROLE_LEADER)
#define R_OFFICER    EW_ROLE_BIT(EW_ROLE_OFFICER)
#define R_ENTERPRISE EW_ROLE_BIT(EW_ROLE_ENTERPRISE)
#define R_STAFF      (R_ADMIN | R_OPERATOR | R_LEADER)  /* the bureau: everything, read */
#define R_USERS      (R_STAFF | R_OFFICER | R_ENTERPRISE)       /* every account */
#define R_ANYONE     (R_USERS | R_PUBLIC)

struct api_caller;

struct api_policy {
    const char *method, *pattern;       /* exactly as in the route table */
    unsigned    roles;                  /* R_* bits of the roles allowed */
    int         scope;                  /* enum api_scope */
    const char *action;                 /* writes: the audit name ("point.update") */
    const char *target;                 /* writes: the GET path (with the route's '*' in
                                           order) whose state is audited before and after,
                                           and which a scoped caller must be able to see */
    unsigned    flags;                  /* API_P_* */
    /* A finer rule for some roles (an enterprise may only explain an alarm): 1 allows. */
    int (*check)(struct api_req *r, const struct api_caller *c);
};

/* The table, ending with a NULL method (auth_policy.c). */
extern const struct api_policy ew__api_policies[];

/* The policy of a route, or NULL: a route without one is refused (deny by default). */
const struct api_policy *ew__api_policy_find(const char *method, const char *pattern);
/* "none", "county", "point", "unit", "self". */
const char *ew__api_scope_name(int scope);

/* The dispatcher's route tables (http.c), for the policy listing and the tests. */
const struct api_route *const *ew__api_route_tables(size_t *n);

/* ---- who calls ------------------------------------------------------------------------------ */

struct api_caller {
    int64_t user_id;                    /* 0: anonymous (role PUBLIC) */
    int     role;                       /* enum ew_role */
    char    name[EW_USER_NAME_MAX + 1]; /* "" when anonymous */
    char    display[EW_USER_TEXT_MAX + 1];
    char    county[EW_USER_COUNTY_MAX + 1];
    char    unit[EW_USER_TEXT_MAX + 1];
    char    enterprise[EW_USER_TEXT_MAX + 1];
    int     cookie;                     /* by session cookie: CSRF applies to writes */
    char    session_hash[EW_TOKEN_HASH_LEN + 1];
    char    csrf[EW_TOKEN_HASH_LEN + 1];
    int64_t token_id;                   /* by API token */
    int64_t expires_ms;                 /* of the session or token */
    char    ip[48];                     /* the client's address (from a trusted proxy's
                                           X-Forwarded-For when configured) */
    char    peer[64];                   /* "ip:port" */
};

/* ---- the guard (auth.c) ---------------------------------------------------------------------- */

struct api_auth;

struct api_auth_config {
    unsigned lockout_failures;          /* failed logins before a lockout (5) */
    unsigned lockout_minutes;           /* how long (15) */
    unsigned session_hours;             /* a session's life (12) */
    unsigned token_max_days;            /* longest API-token life (365) */
    unsigned rate_per_ip;               /* API requests per second per address (100) */
    unsigned login_per_min;             /* login attempts per minute per address (30) */
    int      tls;                       /* cookies get Secure */
    char     trusted_proxy[48];         /* whose X-Forwarded-For is believed; "" none */
};

int  ew__api_auth_create(const struct api_auth_config *c, struct api_auth **out);
void ew__api_auth_destroy(struct api_auth *a);                  /* NULL is a no-op */
const struct api_auth_config *ew__api_auth_config(const struct api_auth *a);
/* The auth state of the API (http.c). */
struct api_auth *ew__api_auth(struct ew_api *a);

/* Hands an audit entry to the host without waiting (http.c; dropped when the host has no
 * audit callback, as in tests without a daemon). */
void ew__api_host_audit(struct ew_api *a, const struct ew_audit *e);

/* Connections per client address (limits.c): the table, and libmicrohttpd's accept policy
 * and connection notification callbacks (cls is the struct ew_api). */
struct api_conns;
int  ew__api_conns_create(unsigned per_ip, struct api_conns **out);
void ew__api_conns_destroy(struct api_conns *c);        /* NULL is a no-op */
struct api_conns *ew__api_conns(struct ew_api *a);      /* http.c */
/* The client address of a connection as text ("?" when unknown). */
void ew__api_conn_ip(struct MHD_Connection *conn, char *out, size_t cap);
enum MHD_Result ew__api_on_accept(void *cls, const struct sockaddr *addr, socklen_t len);
void ew__api_on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                           enum MHD_ConnectionNotificationCode toe);

/* When the headers of a request have come (r has conn, api, method, path and the thread's
 * store): 1 when it is an upload (a route whose row has API_P_UPLOAD) by a caller that row
 * admits, whose body may then be as large as [ledger] max_file_bytes; 0 otherwise (the body
 * is bounded by max_body). Nothing is recorded: the guard checks everything again. */
int ew__api_upload_admitted(struct api_req *r);

/* Runs route rt for r behind its policy: the dispatcher's only way to a handler. */
int ew__api_guarded(struct api_req *r, const struct api_route *rt);

/* A security event (refused, throttled, oversize ...) for the audit log, at most one per
 * key a minute with the count of those left out; logged too. Never waits. */
void ew__api_security(struct api_req *r, const char *action, const char *key,
                      const char *detail);
/* Same, from where there is no request (the connection accept policy). */
void ew__api_security_peer(struct ew_api *a, const char *action, const char *ip,
                           const char *detail);
/* Per-address admission of a login attempt (a slower bucket than other requests). */
int ew__api_login_allowed(struct api_req *r);
/* The dummy hash a login for an unknown account is verified against, so that an unknown
 * name answers as slowly as a wrong password. */
const char *ew__api_auth_dummy_hash(const struct api_auth *a);
/* 1 when an entry of this kind (what, with the caller's address) is to be written now: the
 * first, or the first after a minute; *suppressed counts those left out in between. For
 * entries a stranger can repeat at will (logins of unknown or locked accounts). */
int ew__api_record_now(struct api_req *r, const char *what, unsigned *suppressed);
/* Writes an audit entry now (on the writer), for handlers with API_P_SELF_AUDIT. */
int ew__api_audit(struct api_req *r, const char *action, const char *target,
                  const char *result, const char *before, const char *after,
                  const char *detail);
/* The Set-Cookie value of a new session (token, lifetime), or of a cleared one (NULL, 0). */
void ew__api_session_cookie(struct api_req *r, const char *token, int64_t max_age_s);
int64_t ew__api_now_ms(void);

/* ---- shared by the account routes (auth_routes.c, auth_admin.c) ---------------------------- */

/* An account as JSON (never its password hash). */
int ew__api_user_json(struct ew_buf *b, const struct ew_user *u, int64_t now_ms);
int ew__api_token_json(struct ew_buf *b, const struct ew_api_token *t);
/* Hashes pw into u, writes u and ends every session of the account. */
int ew__api_set_password(struct api_req *r, struct ew_user *u, const char *pw);
/* The string member name of j into out[0..cap); *present 0 when absent or null. EW_EINVAL
 * for another type or a string too long. */
int ew__api_json_string(const cJSON *j, const char *name, char *out, size_t cap, int *present);
/* The tokens of an account as a JSON array; a new token from {"label","days"}; revoking
 * token args[0] (owner 0: any account's). */
int ew__api_tokens_of(struct api_req *r, int64_t user_id);
int ew__api_token_issue(struct api_req *r, int64_t user_id);
int ew__api_token_revoke(struct api_req *r, int64_t owner);

/* ---- parsers of what clients send (auth_parse.c; pure) ---------------------------------------- */

#define API_SESSION_COOKIE "ew_session"

/* "Bearer <token>" (scheme in any case, one or more spaces) into tok[0..cap): EW_OK, or
 * EW_EFORMAT when the header is not a bearer token of the right shape. */
int ew__auth_parse_bearer(const char *header, char *tok, size_t cap);
/* The value of cookie name in a Cookie header ("a=1; b=2"): EW_OK; EW_ENOTFOUND when absent;
 * EW_EFORMAT for a malformed header, a value of forbidden characters, one longer than cap-1,
 * or the name given twice (ambiguous: refused rather than guessed). */
int ew__auth_parse_cookie(const char *header, const char *name, char *out, size_t cap);
/* The login body {"name": "...", "password": "..."} and nothing else: EW_OK, EW_EFORMAT for
 * any other shape (extra keys, wrong types, control characters in the name, too long). */
int ew__auth_parse_login(const char *body, size_t len, char *name, size_t name_cap, char *pw,
                         size_t pw_cap);
/* The client address a trusted proxy reports: the last entry of X-Forwarded-For, which must
 * be an IPv4 or IPv6 address; EW_EFORMAT otherwise. */
int ew__auth_parse_forwarded(const char *header, char *ip, size_t cap);
/* Strict JSON limits before parsing: at most max_depth nested arrays/objects and balanced
 * brackets outside strings. EW_OK, EW_ETOOBIG (too deep), EW_EFORMAT (unbalanced). */
int ew__api_json_limits(const char *s, size_t len, int max_depth);
/* cJSON's parse of s[0..len) with nothing but white space after the value; NULL otherwise. */
cJSON *ew__api_json_parse(const char *s, size_t len);

#define API_JSON_MAX_DEPTH 32

#endif
