/* SPDX-License-Identifier: MIT */
/*
 * SQLite: accounts, sessions, API tokens and the audit log (include/envwatch/auth.h). Only
 * hashes of tokens are stored. The audit table has no UPDATE or DELETE here, and triggers of
 * the schema refuse both; each entry's chain column is the hash of its content and of the
 * previous entry's chain, computed inside the write transaction that appends it.
 *
 * Statements are prepared per call: these are user actions and one lookup per HTTP request,
 * not per-reading work.
 */
#include <stdio.h>
#include <string.h>

#include <envwatch/auth.h>
#include <envwatch/err.h>

#include "store/auth_internal.h"
#include "store/internal.h"

#define USER_COLS                                                                              \
    "u.id, u.name, u.display, u.role, u.county, u.unit, u.enterprise, u.pwhash, u.disabled,"   \
    " u.failures, u.locked_until_ms, u.created_ms, u.updated_ms, u.pw_changed_ms"
#define USER_NCOLS 14

static void
text(sqlite3_stmt *st, int col, char *dst, size_t size)
{
    ew__store_copy(dst, size, ew__sqlite_text(st, col));
}

static void
read_user(sqlite3_stmt *st, int col, struct ew_user *u)
{
    ew_user_init(u);
    u->id = sqlite3_column_int64(st, col);
    text(st, col + 1, u->name, sizeof(u->name));
    text(st, col + 2, u->display, sizeof(u->display));
    if (ew_role_parse(ew__sqlite_text(st, col + 3), &u->role) != EW_OK)
        u->role = EW_ROLE_PUBLIC;       /* an unknown role grants nothing */
    text(st, col + 4, u->county, sizeof(u->county));
    text(st, col + 5, u->unit, sizeof(u->unit));
    text(st, col + 6, u->enterprise, sizeof(u->enterprise));
    text(st, col + 7, u->pwhash, sizeof(u->pwhash));
    u->disabled = sqlite3_column_int(st, col + 8);
    u->failures = sqlite3_column_int(st, col + 9);
    u->locked_until_ms = sqlite3_column_int64(st, col + 10);
    u->created_ms = sqlite3_column_int64(st, col + 11);
    u->updated_ms = sqlite3_column_int64(st, col + 12);
    u->pw_changed_ms = sqlite3_column_int64(st, col + 13);
}

/* Binds the fields of u after the name to ?2..?14 in USER_COLS order. */
static void
bind_user(sqlite3_stmt *st, const struct ew_user *u)
{
    sqlite3_bind_text(st, 2, u->display, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, ew_role_name(u->role), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, u->county, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, u->unit, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, u->enterprise, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, u->pwhash, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 8, u->disabled != 0);
    sqlite3_bind_int(st, 9, u->failures);
    sqlite3_bind_int64(st, 10, u->locked_until_ms);
    sqlite3_bind_int64(st, 11, u->created_ms);
    sqlite3_bind_int64(st, 12, u->updated_ms);
    sqlite3_bind_int64(st, 13, u->pw_changed_ms);
}

int
ew__sqlite_user_add(void *ctx, struct ew_user *u)
{
    static const char sql[] =
        "INSERT INTO auth_user(name, display, role, county, unit, enterprise, pwhash, disabled,"
        " failures, locked_until_ms, created_ms, updated_ms, pw_changed_ms)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = ew__sqlite_prep(c, sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_text(st, 1, u->name, -1, SQLITE_STATIC);
    bind_user(st, u);
    if ((rc = ew__sqlite_run_once(c, st, "account")) == EW_OK)
        u->id = sqlite3_last_insert_rowid(c->db);
    else if (rc == EW_EEXIST)
        ew__sqlite_say(c, rc, "account '%s' exists", u->name);
    return rc;
}

int
ew__sqlite_user_update(void *ctx, const struct ew_user *u)
{
    static const char sql[] =
        "UPDATE auth_user SET display = ?2, role = ?3, county = ?4, unit = ?5, enterprise = ?6,"
        " pwhash = ?7, disabled = ?8, failures = ?9, locked_until_ms = ?10, updated_ms = ?12,"
        " pw_changed_ms = ?13 WHERE id = ?1";
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = ew__sqlite_prep(c, sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, u->id);
    bind_user(st, u);
    if ((rc = ew__sqlite_run_once(c, st, "account update")) != EW_OK)
        return rc;
    return sqlite3_changes(c->db) == 1 ? EW_OK
                                       : ew__sqlite_say(c, EW_ENOTFOUND, "no account %lld",
                                                        (long long)u->id);
}

int
ew__sqlite_user_get(void *ctx, const char *name, int64_t id, struct ew_user *out)
{
    static const char by_name[] = "SELECT " USER_COLS " FROM auth_user u WHERE u.name = ?1";
    static const char by_id[] = "SELECT " USER_COLS " FROM auth_user u WHERE u.id = ?1";
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = ew__sqlite_prep(c, name != NULL ? by_name : by_id, &st)) != EW_OK)
        return rc;
    if (name != NULL)
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    else
        sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_user(st, 0, out);
        rc = EW_OK;
    } else if (rc == SQLITE_DONE) {
        rc = ew__sqlite_say(c, EW_ENOTFOUND, "no such account");
    } else {
        rc = ew__sqlite_fail(c, rc, "account");
    }
    ew__sqlite_release(c, st);
    return rc;
}

int
ew__sqlite_user_each(void *ctx, int (*fn)(void *, const struct ew_user *), void *fn_ctx)
{
    static const char sql[] = "SELECT " USER_COLS " FROM auth_user u ORDER BY u.name";
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    struct ew_user u;
    int rc, stop = 0;

    if ((rc = ew__sqlite_prep(c, sql, &st)) != EW_OK)
        return rc;
    while (stop == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        read_user(st, 0, &u);
        stop = fn(fn_ctx, &u);
    }
    if (stop == 0 && rc != SQLITE_DONE)
        stop = ew__sqlite_fail(c, rc, "accounts");
    ew__sqlite_release(c, st);
    return stop;
}

/* Runs sql with ?1..?3 bound to a, b, d (a statement may use fewer). */
static int
exec_bound(struct ew__sqlite *c, const char *sql, int64_t a, int64_t b, int64_t d,
           const char *what)
{
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = ew__sqlite_prep(c, sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
    sqlite3_bind_int64(st, 3, d);
    return ew__sqlite_run_once(c, st, what);
}

int
ew__sqlite_user_login_failed(void *ctx, int64_t id, int max_failures, int64_t lock_ms,
                             int64_t now_ms, int *locked)
{
    static const char bump[] = "UPDATE auth_user SET failures = failures + 1 WHERE id = ?1";
    static const char lock[] = "UPDATE auth_user SET failures = 0, locked_until_ms = ?2"
                               " WHERE id = ?1 AND failures >= ?3";
    struct ew__sqlite *c = ctx;
    int mode, rc;

    if ((rc = ew__sqlite_tx_enter(c, &mode)) != EW_OK)
        return rc;
    rc = exec_bound(c, bump, id, 0, 0, "login failure");
    if (rc == EW_OK && sqlite3_changes(c->db) == 0)
        rc = ew__sqlite_say(c, EW_ENOTFOUND, "no account %lld", (long long)id);
    if (rc == EW_OK)
        rc = exec_bound(c, lock, id, now_ms + lock_ms, max_failures, "lockout");
    if (rc == EW_OK)
        *locked = sqlite3_changes(c->db) == 1;
    return ew__sqlite_tx_leave(c, mode, rc);
}

int
ew__sqlite_user_login_ok(void *ctx, int64_t id)
{
    static const char sql[] = "UPDATE auth_user SET failures = 0, locked_until_ms = 0 WHERE id = ?1";
    struct ew__sqlite *c = ctx;

    return exec_bound(c, sql, id, 0, 0, "login");
}

/* ---- sessions --------------------------------------------------------------------------- */

int
ew__sqlite_session_put(void *ctx, const struct ew_session *ss)
{
    static const char sql[] = "INSERT INTO auth_session(hash, user_id, created_ms, expires_ms,"
                              " peer) VALUES(?1, ?2, ?3, ?4, ?5)";
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = ew__sqlite_prep(c, sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_text(st, 1, ss->hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, ss->user_id);
    sqlite3_bind_int64(st, 3, ss->created_ms);
    sqlite3_bind_int64(st, 4, ss->expires_ms);
    sqlite3_bind_text(st, 5, ss->peer, -1, SQLITE_STATIC);
    return ew__sqlite_run_once(c, st, "session");
}

int
ew__sqlite_session_find(void *ctx, const char *hash, int64_t now_ms, struct ew_session *ss,
                        struct ew_user *u)
{
    static const char sql[] =
        "SELECT s.hash, s.user_id, s.created_ms, s.expires_ms, s.peer, " USER_COLS
        " FROM auth_session s JOIN auth_user u ON u.id = s.user_id"
        " WHERE s.hash = ?1 AND s.expires_ms > ?2 AND u.disabled = 0";
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = ew__sqlite_prep(c, sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now_ms);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        text(st, 0, ss->hash, sizeof(ss->hash));
        ss->user_id = sqlite3_column_int64(st, 1);
        ss->created_ms = sqlite3_column_int64(st, 2);
        ss->expires_ms = sqlite3_column_int64(st, 3);
        text(st, 4, ss->peer, sizeof(ss->peer));
        read_user(st, 5, u);
        rc = EW_OK;
    } else {
        rc = rc == SQLITE_DONE ? ew__sqlite_say(c, EW_ENOTFOUND, "no such session")
                               : ew__sqlite_fail(c, rc, "session");
    }
    ew__sqlite_release(c, st);
    return rc;
}

int
ew__sqlite_session_remove(void *ctx, const char *hash)
{
    static const char sql[] = "DELETE FROM auth_session WHERE hash = ?1";
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = ew__sqlite_prep(c, sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
    if ((rc = ew__sqlite_run_once(c, st, "session end")) != EW_OK)
        return rc;
    return sqlite3_changes(c->db) > 0 ? EW_OK
                                      : ew__sqlite_say(c, EW_ENOTFOUND, "no such session");
}

int
ew__sqlite_session_remove_user(void *ctx, int64_t user_id, int64_t *n)
{
    static const char sql[] = "DELETE FROM auth_session WHERE user_id = ?1";
    struct ew__sqlite *c = ctx;
    int rc = exec_bound(c, sql, user_id, 0, 0, "sessions end");

    if (rc == EW_OK)
        *n = sqlite3_changes(c->db);
    return rc;
}

int
ew__sqlite_session_prune(void *ctx, int64_t now_ms)
{
    static const char sql[] = "DELETE FROM auth_session WHERE expires_ms <= ?1";
    struct ew__sqlite *c = ctx;

    return exec_bound(c, sql, now_ms, 0, 0, "session prune");
}

/* ---- API tokens ----------------------------------------------------------------------------- */

#define TOKEN_COLS "t.id, t.hash, t.user_id, t.label, t.created_ms, t.expires_ms, t.revoked_ms"

static void
read_token(sqlite3_stmt *st, struct ew_api_token *t)
{
    memset(t, 0, sizeof(*t));
    t->id = sqlite3_column_int64(st, 0);
    text(st, 1, t->hash, sizeof(t->hash));
    t->user_id = sqlite3_column_int64(st, 2);
    text(st, 3, t->label, sizeof(t->label));
    t->created_ms = sqlite3_column_int64(st, 4);
    t->expires_ms = sqlite3_column_int64(st, 5);
    t->revoked_ms = sqlite3_column_int64(st, 6);
}

int
ew__sqlite_token_put(void *ctx, struct ew_api_token *t)
{
    static const char sql[] = "INSERT INTO auth_token(hash, user_id, label, created_ms,"
                              " expires_ms, revoked_ms) VALUES(?1, ?2, ?3, ?4, ?5, 0)";
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = ew__sqlite_prep(c, sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_text(st, 1, t->hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, t->user_id);
    sqlite3_bind_text(st, 3, t->label, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, t->created_ms);
    sqlite3_bind_int64(st, 5, t->expires_ms);
    if ((rc = ew__sqlite_run_once(c, st, "token")) == EW_OK)
        t->id = sqlite3_last_insert_rowid(c->db);
    return rc;
}

int
ew__sqlite_token_find(void *ctx, const char *hash, int64_t now_ms, struct ew_api_token *t,
                      struct ew_user *u)
{
    static const char sql[] =
        "SELECT " TOKEN_COLS ", " USER_COLS " FROM auth_token t JOIN auth_user u"
        " ON u.id = t.user_id WHERE t.hash = ?1 AND t.revoked_ms = 0 AND t.expires_ms > ?2"
        " AND u.disabled = 0";
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = ew__sqlite_prep(c, sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now_ms);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_token(st, t);
        read_user(st, 7, u);
        rc = EW_OK;
    } else {
        rc = rc == SQLITE_DONE ? ew__sqlite_say(c, EW_ENOTFOUND, "no such token")
                               : ew__sqlite_fail(c, rc, "token");
    }
    ew__sqlite_release(c, st);
    return rc;
}

int
ew__sqlite_token_get(void *ctx, int64_t id, struct ew_api_token *out)
{
    static const char sql[] = "SELECT " TOKEN_COLS " FROM auth_token t WHERE t.id = ?1";
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = ew__sqlite_prep(c, sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_token(st, out);
        rc = EW_OK;
    } else {
        rc = rc == SQLITE_DONE ? ew__sqlite_say(c, EW_ENOTFOUND, "no token %lld", (long long)id)
                               : ew__sqlite_fail(c, rc, "token");
    }
    ew__sqlite_release(c, st);
    return rc;
}

int
ew__sqlite_token_each(void *ctx, int64_t user_id, int (*fn)(void *, const struct ew_api_token *),
                      void *fn_ctx)
{
    static const char sql[] = "SELECT " TOKEN_COLS " FROM auth_token t"
                              " WHERE ?1 = 0 OR t.user_id = ?1 ORDER BY t.id DESC";
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    struct ew_api_token t;
    int rc, stop = 0;

    if ((rc = ew__sqlite_prep(c, sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, user_id);
    while (stop == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        read_token(st, &t);
        stop = fn(fn_ctx, &t);
    }
    if (stop == 0 && rc != SQLITE_DONE)
        stop = ew__sqlite_fail(c, rc, "tokens");
    ew__sqlite_release(c, st);
    return stop;
}

int
ew__sqlite_token_revoke(void *ctx, int64_t id, int64_t now_ms)
{
    static const char sql[] = "UPDATE auth_token SET revoked_ms = ?2 WHERE id = ?1 AND revoked_ms = 0";
    struct ew__sqlite *c = ctx;
    struct ew_api_token t;
    int rc = exec_bound(c, sql, id, now_ms, 0, "token revoke");

    if (rc != EW_OK || sqlite3_changes(c->db) == 1)
        return rc;
    if ((rc = ew__sqlite_token_get(ctx, id, &t)) != EW_OK)
        return rc;
    return ew__sqlite_say(c, EW_ESTATE, "token %lld is already revoked", (long long)id);
}

/* ---- the audit log ---------------------------------------------------------------------------- */

#define AUDIT_COLS                                                                             \
    "id, at_ms, actor, role, via, peer, action, target, result, before_json, after_json,"      \
    " detail, chain"

static const char *
text_or_null(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL ? NULL : ew__sqlite_text(st, col);
}

static void
read_audit(sqlite3_stmt *st, struct ew_audit *a)
{
    a->id = sqlite3_column_int64(st, 0);
    a->at_ms = sqlite3_column_int64(st, 1);
    a->actor = ew__sqlite_text(st, 2);
    a->role = ew__sqlite_text(st, 3);
    a->via = ew__sqlite_text(st, 4);
    a->peer = ew__sqlite_text(st, 5);
    a->action = ew__sqlite_text(st, 6);
    a->target = ew__sqlite_text(st, 7);
    a->result = ew__sqlite_text(st, 8);
    a->before = text_or_null(st, 9);
    a->after = text_or_null(st, 10);
    a->detail = text_or_null(st, 11);
}

static void
bind_opt(sqlite3_stmt *st, int col, const char *s)
{
    if (s != NULL)
        sqlite3_bind_text(st, col, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, col);
}

/* The last entry's id and chain ("" and 0 when the log is empty). */
static int
audit_last(struct ew__sqlite *c, int64_t *id, char chain[65])
{
    static const char sql[] = "SELECT id, chain FROM audit ORDER BY id DESC LIMIT 1";
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = ew__sqlite_prep(c, sql, &st)) != EW_OK)
        return rc;
    *id = 0;
    chain[0] = '\0';
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        text(st, 1, chain, 65);
    }
    rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? EW_OK : ew__sqlite_fail(c, rc, "audit");
    ew__sqlite_release(c, st);
    return rc;
}

static int
audit_insert(struct ew__sqlite *c, int64_t id, const struct ew_audit *a, const char *chain)
{
    static const char sql[] = "INSERT INTO audit(" AUDIT_COLS ") VALUES(?1, ?2, ?3, ?4, ?5, ?6,"
                              " ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = ew__sqlite_prep(c, sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, a->at_ms);
    sqlite3_bind_text(st, 3, a->actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, a->role, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, a->via, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, a->peer, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, a->action, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, a->target, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, a->result, -1, SQLITE_STATIC);
    bind_opt(st, 10, a->before);
    bind_opt(st, 11, a->after);
    bind_opt(st, 12, a->detail);
    sqlite3_bind_text(st, 13, chain, -1, SQLITE_STATIC);
    return ew__sqlite_run_once(c, st, "audit");
}

int
ew__sqlite_audit_put(void *ctx, const struct ew_audit *a, int64_t *id)
{
    struct ew__sqlite *c = ctx;
    char prev[65], chain[65];
    int64_t last = 0;
    int mode, rc;

    /* In one write transaction: nobody appends between reading the last chain and ours. */
    if ((rc = ew__sqlite_tx_enter(c, &mode)) != EW_OK)
        return rc;
    rc = audit_last(c, &last, prev);
    if (rc == EW_OK) {
        ew__audit_chain(prev, last + 1, a, chain);
        rc = audit_insert(c, last + 1, a, chain);
    }
    if ((rc = ew__sqlite_tx_leave(c, mode, rc)) == EW_OK)
        *id = last + 1;
    return rc;
}

int
ew__sqlite_audit_each(void *ctx, const struct ew_audit_query *q,
                      int (*fn)(void *, const struct ew_audit *), void *fn_ctx)
{
    static const char *const sql[2] = {
        "SELECT " AUDIT_COLS " FROM audit WHERE at_ms BETWEEN ?1 AND ?2"
        " AND (?3 IS NULL OR actor = ?3) AND (?4 IS NULL OR substr(action, 1, length(?4)) = ?4)"
        " AND (?5 IS NULL OR via = ?5) AND (?6 IS NULL OR instr(target, ?6) > 0)"
        " ORDER BY id LIMIT ?7",
        "SELECT " AUDIT_COLS " FROM audit WHERE at_ms BETWEEN ?1 AND ?2"
        " AND (?3 IS NULL OR actor = ?3) AND (?4 IS NULL OR substr(action, 1, length(?4)) = ?4)"
        " AND (?5 IS NULL OR via = ?5) AND (?6 IS NULL OR instr(target, ?6) > 0)"
        " ORDER BY id DESC LIMIT ?7",
    };
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    struct ew_audit a;
    int rc, stop = 0;

    if ((rc = ew__sqlite_prep(c, sql[q->newest_first ? 1 : 0], &st)) != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, q->from_ms);
    sqlite3_bind_int64(st, 2, q->to_ms == 0 ? INT64_MAX : q->to_ms);
    bind_opt(st, 3, q->actor);
    bind_opt(st, 4, q->action);
    bind_opt(st, 5, q->via);
    bind_opt(st, 6, q->target);
    sqlite3_bind_int64(st, 7, q->limit > 0 ? (int64_t)q->limit : -1);
    while (stop == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        read_audit(st, &a);
        stop = fn(fn_ctx, &a);
    }
    if (stop == 0 && rc != SQLITE_DONE)
        stop = ew__sqlite_fail(c, rc, "audit search");
    ew__sqlite_release(c, st);
    return stop;
}

int
ew__sqlite_audit_verify(void *ctx, int64_t *rows, int64_t *bad_id)
{
    static const char sql[] = "SELECT " AUDIT_COLS " FROM audit ORDER BY id";
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    struct ew_audit a;
    char prev[65] = "", want[65];
    int64_t n = 0, expect_id = 1;
    int rc;

    if ((rc = ew__sqlite_prep(c, sql, &st)) != EW_OK)
        return rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        read_audit(st, &a);
        ew__audit_chain(prev, a.id, &a, want);
        if (a.id != expect_id || strcmp(want, ew__sqlite_text(st, 12)) != 0) {
            *bad_id = a.id;
            ew__sqlite_release(c, st);
            return ew__sqlite_say(c, EW_EFORMAT, "audit entry %lld does not follow its "
                                  "predecessor: the log was changed", (long long)a.id);
        }
        text(st, 12, prev, sizeof(prev));
        expect_id = a.id + 1;
        n++;
    }
    rc = rc == SQLITE_DONE ? EW_OK : ew__sqlite_fail(c, rc, "audit verify");
    ew__sqlite_release(c, st);
    if (rc == EW_OK)
        *rows = n;
    return rc;
}
