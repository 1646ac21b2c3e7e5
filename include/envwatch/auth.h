/* SPDX-License-Identifier: MIT */
/*
 * Users, roles, sessions, API tokens, the audit log and the caller's scope (DESIGN.md "Users
 * and rights"; docs/security.md).
 *
 * Two halves. The pure half (src/util/auth.c) names the roles, checks accounts and passwords,
 * hashes passwords with Argon2id and makes random tokens (libsodium); it keeps no state and is
 * thread-safe. The store half (src/store/auth.c, sqlite_auth.c) keeps accounts, sessions,
 * tokens and the append-only audit log, and applies a caller's scope to the store's reads: a
 * handle with a scope set returns only the points, readings, alarms and ledger items the scope
 * covers, and masks personal data (complainant identity) unless the scope may see it. The HTTP
 * API sets the scope of its read handle for every request (src/api/auth.c); the CLI and the
 * writer use handles without one.
 *
 * Secrets: a password or token is never stored or returned in clear. Passwords are kept as
 * Argon2id strings (crypto_pwhash_str), tokens as the BLAKE2b-256 hash of the token; the
 * audit log masks every field that looks like a secret before it is written.
 *
 * Errors: EW_OK or a negative ew_err, out-parameters written only on success.
 */
#ifndef EW_AUTH_H
#define EW_AUTH_H

#include <stddef.h>
#include <stdint.h>

struct ew_store;

/* ---- roles ---------------------------------------------------------------------------------- */

/* The roles of DESIGN.md. PUBLIC is the anonymous caller; no account has it. */
#define EW_ROLES(X)                                                                            \
    X(PUBLIC, "public")         /* anonymous: published data only (real-time AQI, health) */   \
    X(ADMIN, "admin")           /* accounts, tokens, audit log, registry; reads all data */    \
    X(OPERATOR, "operator")     /* monitoring centre: all data, alarms, ledgers, complaints */ \
    X(LEADER, "leader")         /* bureau leader: reads everything, approves */                \
    X(OFFICER, "officer")       /* county or department officer: its county's or unit's */     \
    X(ENTERPRISE, "enterprise") /* an enterprise: its own points, alarms, explanations */

enum ew_role {
#define X(name, str) EW_ROLE_##name,
    EW_ROLES(X)
#undef X
    EW_ROLE_COUNT
};

#define EW_ROLE_BIT(role) (1u << (role))

const char *ew_role_name(int role);                 /* "" when unknown */
/* Parses a role name; EW_EINVAL when unknown. */
int ew_role_parse(const char *s, int *role);

/* ---- accounts -------------------------------------------------------------------------------- */

#define EW_USER_NAME_MAX 64                 /* login names: ASCII letters, digits . _ - @ */
#define EW_USER_TEXT_MAX 128                /* display name, unit, enterprise (UTF-8 bytes) */
#define EW_USER_COUNTY_MAX 48
#define EW_PWHASH_MAX 128                   /* crypto_pwhash_STRBYTES */

struct ew_user {
    int64_t id;                             /* assigned by the store */
    char    name[EW_USER_NAME_MAX + 1];
    char    display[EW_USER_TEXT_MAX + 1];  /* "张三"; "" when none */
    int     role;                           /* enum ew_role, never PUBLIC */
    char    county[EW_USER_COUNTY_MAX + 1]; /* officer: its county (城区 ...); "" otherwise */
    char    unit[EW_USER_TEXT_MAX + 1];     /* officer: its department or unit, as ledger
                                               items name their responsible unit */
    char    enterprise[EW_USER_TEXT_MAX + 1]; /* enterprise user: the site of its points */
    char    pwhash[EW_PWHASH_MAX];          /* Argon2id string; never leaves the store */
    int     disabled;
    int     failures;                       /* consecutive failed logins */
    int64_t locked_until_ms;                /* refused until then (lockout); 0: not locked */
    int64_t created_ms, updated_ms, pw_changed_ms;
};

/* Sets every field to "nothing": strings "", numbers 0, role ADMIN. */
void ew_user_init(struct ew_user *u);
/*
 * Checks an account before it is stored: a login name of 1-64 characters [A-Za-z0-9._@-]; a
 * role other than PUBLIC; an officer names a county or a unit (or both); an enterprise user
 * names its enterprise; texts without control characters; a password hash present. EW_EINVAL
 * with the reason in why[0..len) (why may be NULL). Pure.
 */
int ew_user_check(const struct ew_user *u, char *why, size_t len);

/* ---- passwords and tokens ------------------------------------------------------------------------ */

#define EW_PASSWORD_MIN 10                  /* characters a password needs at least */
#define EW_PASSWORD_MAX 128                 /* bytes a password may have at most */

/* The password policy: EW_PASSWORD_MIN..MAX bytes of printable text (no control characters),
 * not all one character class of digits only. EW_EINVAL with the reason. Pure. */
int ew_password_check(const char *pw, char *why, size_t len);
/* Argon2id (crypto_pwhash_str, libsodium's interactive limits) into out[EW_PWHASH_MAX].
 * EW_ENOMEM when the memory for the hash cannot be had. Thread-safe. */
int ew_password_hash(const char *pw, char out[EW_PWHASH_MAX]);
/* EW_OK when pw matches hash, EW_EDENIED otherwise (a malformed hash too). Constant in the
 * password's content. */
int ew_password_verify(const char *hash, const char *pw);
/* A random password of 16 characters from an alphabet without look-alikes (no 0/O, 1/l/I),
 * NUL-terminated in out[0..len); EW_EINVAL when len < 17. */
int ew_password_generate(char *out, size_t len);

#define EW_TOKEN_MAX 64                     /* "ews_" or "ewt_" + 43 base64url characters */
#define EW_TOKEN_HASH_LEN 64                /* hex of BLAKE2b-256 */

/* A new random token with the given 3-letter prefix ("ews" session, "ewt" API token) in
 * token[0..EW_TOKEN_MAX + 1) and its hash (what the store keeps) in hash[0..65). */
int ew_token_new(const char *prefix, char token[EW_TOKEN_MAX + 1],
                 char hash[EW_TOKEN_HASH_LEN + 1]);
/* The hash of a token; EW_EINVAL when token does not have the shape ew_token_new gives. */
int ew_token_hash(const char *token, char hash[EW_TOKEN_HASH_LEN + 1]);
/* The CSRF token that belongs to a session token (keyed BLAKE2b: nothing to store). */
int ew_token_csrf(const char *session_token, char out[EW_TOKEN_HASH_LEN + 1]);
/* 1 when a and b are equal strings, compared in time independent of their content. */
int ew_token_equal(const char *a, const char *b);

/* ---- the store: accounts, sessions, tokens ---------------------------------------------------- */

/* Adds u (checked with ew_user_check: EW_EINVAL) and sets u->id; EW_EEXIST for a name in use. */
int ew_store_user_add(struct ew_store *s, struct ew_user *u);
/* Writes every field of account u->id except the name and created_ms; EW_ENOTFOUND. */
int ew_store_user_update(struct ew_store *s, const struct ew_user *u);
int ew_store_user_get(struct ew_store *s, const char *name, struct ew_user *out);
int ew_store_user_get_id(struct ew_store *s, int64_t id, struct ew_user *out);
/* Accounts ordered by name; a non-zero return of fn stops and is returned. */
int ew_store_user_each(struct ew_store *s, int (*fn)(void *ctx, const struct ew_user *u),
                       void *ctx);
/*
 * Records a failed login of account id in one step: failures + 1 and, when failures reaches
 * max_failures, locked_until_ms = now_ms + lock_ms and failures back to 0. *locked (may be
 * NULL) is 1 when this failure locked the account.
 */
int ew_store_user_login_failed(struct ew_store *s, int64_t id, int max_failures,
                               int64_t lock_ms, int64_t now_ms, int *locked);
/* Records a successful login: failures 0, lock lifted. */
int ew_store_user_login_ok(struct ew_store *s, int64_t id);

struct ew_session {
    char    hash[EW_TOKEN_HASH_LEN + 1];    /* of the cookie's token */
    int64_t user_id;
    int64_t created_ms, expires_ms;
    char    peer[64];                       /* where the login came from */
};

int ew_store_session_put(struct ew_store *s, const struct ew_session *ss);
/* The live session with this hash and its account; EW_ENOTFOUND when absent or expired at
 * now_ms, or when the account is disabled. */
int ew_store_session_find(struct ew_store *s, const char *hash, int64_t now_ms,
                          struct ew_session *ss, struct ew_user *u);
int ew_store_session_remove(struct ew_store *s, const char *hash);    /* EW_ENOTFOUND */
/* Ends every session of an account (disabled, password changed); *n (may be NULL) counts. */
int ew_store_session_remove_user(struct ew_store *s, int64_t user_id, int64_t *n);
/* Removes sessions expired before now_ms. */
int ew_store_session_prune(struct ew_store *s, int64_t now_ms);

#define EW_TOKEN_LABEL_MAX 64

struct ew_api_token {
    int64_t id;                             /* assigned by the store */
    char    hash[EW_TOKEN_HASH_LEN + 1];
    int64_t user_id;
    char    label[EW_TOKEN_LABEL_MAX + 1];  /* what it is for ("省平台转发") */
    int64_t created_ms, expires_ms;         /* every token expires */
    int64_t revoked_ms;                     /* 0 while valid */
};

/* Stores t (expires_ms after created_ms required) and sets t->id. */
int ew_store_token_put(struct ew_store *s, struct ew_api_token *t);
/* The valid token with this hash and its account: EW_ENOTFOUND when absent, revoked, expired
 * at now_ms or the account is disabled. */
int ew_store_token_find(struct ew_store *s, const char *hash, int64_t now_ms,
                        struct ew_api_token *t, struct ew_user *u);
/* Tokens of user_id (0: of everyone), newest first. */
int ew_store_token_each(struct ew_store *s, int64_t user_id,
                        int (*fn)(void *ctx, const struct ew_api_token *t), void *ctx);
int ew_store_token_get(struct ew_store *s, int64_t id, struct ew_api_token *out);
/* Revokes token id at now_ms; EW_ENOTFOUND, EW_ESTATE when already revoked. */
int ew_store_token_revoke(struct ew_store *s, int64_t id, int64_t now_ms);

/* ---- the audit log --------------------------------------------------------------------------- */

/*
 * One entry: who did what, when, from where, with the state before and after. Append-only:
 * the store has no path that changes or removes an entry, the database refuses UPDATE and
 * DELETE on the table (triggers), and every entry carries the hash of its predecessor's, so a
 * row changed behind the program's back breaks the chain (ew_store_audit_verify).
 */
struct ew_audit {
    int64_t     id;                         /* assigned by the store */
    int64_t     at_ms;
    const char *actor;                      /* account name, "cli:<login>", MN or "-" */
    const char *role;                       /* role name, "instrument", "system" */
    const char *via;                        /* "api", "cli", "hj212", "system" */
    const char *peer;                       /* "ip:port", "local" */
    const char *action;                     /* "point.update", "auth.login", "security.bad_pw" */
    const char *target;                     /* "/api/v1/points/MN", "user:alice", "MN" */
    const char *result;                     /* "ok", "denied", "failed", an HTTP status */
    const char *before, *after;             /* JSON text or NULL */
    const char *detail;                     /* free text or JSON; NULL when none */
};

#define EW_AUDIT_TEXT_MAX 256               /* actor, role, via, peer, action, target, result */
#define EW_AUDIT_JSON_MAX 65536             /* before, after, detail: longer is cut */

/*
 * Appends a (a->id ignored) and sets *id (may be NULL). Before writing, values of keys that
 * name a secret (password, pw, token, secret, cookie, authorization ...) are replaced by
 * "***" wherever they appear in before, after and detail, personal data (complainant
 * identity, phone and identity-card numbers) is masked, and the entry is chained to the
 * previous one. EW_EINVAL when a required text (actor, via, action, result) is missing.
 */
int ew_store_audit_put(struct ew_store *s, const struct ew_audit *a, int64_t *id);

struct ew_audit_query {
    int64_t     from_ms, to_ms;             /* inclusive; to_ms 0: no upper bound */
    const char *actor;                      /* NULL: any; else exactly */
    const char *action;                     /* NULL: any; else a prefix ("security.") */
    const char *via;                        /* NULL: any */
    const char *target;                     /* NULL: any; else a substring */
    size_t      limit;                      /* 0: no limit */
    int         newest_first;
};

/* Matching entries; the strings live during the call of fn only. */
int ew_store_audit_each(struct ew_store *s, const struct ew_audit_query *q,
                        int (*fn)(void *ctx, const struct ew_audit *a), void *ctx);
/* Checks the chain of every entry: EW_OK with *rows counted, or EW_EFORMAT with *bad_id the
 * first entry whose hash does not follow (rows and bad_id may be NULL). */
int ew_store_audit_verify(struct ew_store *s, int64_t *rows, int64_t *bad_id);

/* ---- the caller's scope ------------------------------------------------------------------------- */

/*
 * What a handle's reads may return. Empty strings do not restrict. With a scope set:
 *   points (get, each), readings, latest values, alarms, source limits and journal entries
 *     are those of points in county (when set) whose site is enterprise (when set);
 *   ledger items (and their events, files and links) are those of county (when set) whose
 *     responsible or cooperating unit is unit (when set) and, with enterprise set, whose
 *     subject is the enterprise;
 *   personal data (keys "complainant*" of a ledger item's extra object, phone and identity-
 *     card numbers in its texts and history notes) is masked unless personal is 1.
 * A get of something outside the scope answers EW_ENOTFOUND, as if it did not exist.
 */
struct ew_store_scope {
    char county[EW_USER_COUNTY_MAX + 1];
    char unit[EW_USER_TEXT_MAX + 1];
    char enterprise[EW_USER_TEXT_MAX + 1];
    int  personal;
};

/* Sets (a copy of) sc on the handle, or clears it with NULL (everything, unmasked). */
int ew_store_scope_set(struct ew_store *s, const struct ew_store_scope *sc);

#endif
