/* SPDX-License-Identifier: MIT */
/* src/store/auth.c and sqlite_auth.c: accounts, lockout, sessions, API tokens, and the
 * audit log (append-only, chained, scrubbed of secrets). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sqlite3.h>

#include <envwatch/auth.h>

#include "unit/store/fixture.h"
#include "util/buf.h"

static struct ew_user
admin(const char *name)
{
    struct ew_user u;

    ew_user_init(&u);
    snprintf(u.name, sizeof(u.name), "%s", name);
    u.role = EW_ROLE_ADMIN;
    /* A hash string is enough here: the store keeps it, it never verifies it. */
    snprintf(u.pwhash, sizeof(u.pwhash), "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA");
    u.created_ms = u.updated_ms = u.pw_changed_ms = 1000;
    return u;
}

static void
accounts_are_added_found_and_changed(void **state)
{
    struct fx *f = *state;
    struct ew_user a = admin("alice"), b = admin("bob"), got, empty = { 0 };

    assert_int_equal(EW_OK, ew_store_user_add(f->s, &a));
    assert_int_equal(EW_OK, ew_store_user_add(f->s, &b));
    assert_true(a.id > 0 && b.id > a.id);
    assert_int_equal(EW_EINVAL, ew_store_user_add(f->s, &empty));
    b = admin("alice");
    assert_int_equal(EW_EEXIST, ew_store_user_add(f->s, &b));
    assert_int_equal(EW_OK, ew_store_user_get(f->s, "alice", &got));
    assert_int_equal(a.id, got.id);
    assert_int_equal(EW_ROLE_ADMIN, got.role);
    got.role = EW_ROLE_OFFICER;
    snprintf(got.county, sizeof(got.county), "盂县");
    assert_int_equal(EW_OK, ew_store_user_update(f->s, &got));
    assert_int_equal(EW_OK, ew_store_user_get_id(f->s, a.id, &got));
    assert_int_equal(EW_ROLE_OFFICER, got.role);
    assert_string_equal("盂县", got.county);
    got.county[0] = '\0';                        /* an officer of nothing */
    assert_int_equal(EW_EINVAL, ew_store_user_update(f->s, &got));
    assert_int_equal(EW_ENOTFOUND, ew_store_user_get(f->s, "carol", &got));
    got = admin("ghost");
    got.id = 999;
    assert_int_equal(EW_ENOTFOUND, ew_store_user_update(f->s, &got));
}

static void
failed_logins_lock_after_the_limit_and_success_resets(void **state)
{
    struct fx *f = *state;
    struct ew_user a = admin("alice"), got;
    int locked = -1;

    assert_int_equal(EW_OK, ew_store_user_add(f->s, &a));
    for (int i = 1; i <= 4; i++) {
        assert_int_equal(EW_OK, ew_store_user_login_failed(f->s, a.id, 5, 900000, 10000, &locked));
        assert_int_equal(0, locked);
        ew_store_user_get(f->s, "alice", &got);
        assert_int_equal(i, got.failures);
    }
    assert_int_equal(EW_OK, ew_store_user_login_failed(f->s, a.id, 5, 900000, 10000, &locked));
    assert_int_equal(1, locked);
    ew_store_user_get(f->s, "alice", &got);
    assert_int_equal(10000 + 900000, got.locked_until_ms);
    assert_int_equal(0, got.failures);
    assert_int_equal(EW_OK, ew_store_user_login_ok(f->s, a.id));
    ew_store_user_get(f->s, "alice", &got);
    assert_int_equal(0, got.locked_until_ms);
    assert_int_equal(EW_ENOTFOUND, ew_store_user_login_failed(f->s, 999, 5, 1, 1, NULL));
}

static void
sessions_expire_and_end_with_their_account(void **state)
{
    struct fx *f = *state;
    struct ew_user a = admin("alice"), u;
    struct ew_session ss = { .created_ms = 1000, .expires_ms = 5000 }, got;
    char tok[EW_TOKEN_MAX + 1];
    int64_t n = 0;

    assert_int_equal(EW_OK, ew_store_user_add(f->s, &a));
    ew_token_new("ews", tok, ss.hash);
    ss.user_id = a.id;
    snprintf(ss.peer, sizeof(ss.peer), "127.0.0.1:5000");
    assert_int_equal(EW_OK, ew_store_session_put(f->s, &ss));
    assert_int_equal(EW_OK, ew_store_session_find(f->s, ss.hash, 4999, &got, &u));
    assert_string_equal("alice", u.name);
    assert_int_equal(EW_ENOTFOUND, ew_store_session_find(f->s, ss.hash, 5000, &got, &u));
    a.disabled = 1;
    assert_int_equal(EW_OK, ew_store_user_update(f->s, &a));
    assert_int_equal(EW_ENOTFOUND, ew_store_session_find(f->s, ss.hash, 2000, &got, &u));
    assert_int_equal(EW_OK, ew_store_session_remove_user(f->s, a.id, &n));
    assert_int_equal(1, n);
    assert_int_equal(EW_ENOTFOUND, ew_store_session_remove(f->s, ss.hash));
    assert_int_equal(EW_EINVAL, ew_store_session_find(f->s, "not-a-hash", 1, &got, &u));
    ss.expires_ms = ss.created_ms;
    assert_int_equal(EW_EINVAL, ew_store_session_put(f->s, &ss));
}

static void
tokens_are_found_until_revoked_or_expired(void **state)
{
    struct fx *f = *state;
    struct ew_user a = admin("alice"), u;
    struct ew_api_token t = { .created_ms = 1000, .expires_ms = 90000 }, got;
    char tok[EW_TOKEN_MAX + 1];

    assert_int_equal(EW_OK, ew_store_user_add(f->s, &a));
    ew_token_new("ewt", tok, t.hash);
    t.user_id = a.id;
    snprintf(t.label, sizeof(t.label), "省平台转发");
    assert_int_equal(EW_OK, ew_store_token_put(f->s, &t));
    assert_true(t.id > 0);
    assert_int_equal(EW_OK, ew_store_token_find(f->s, t.hash, 2000, &got, &u));
    assert_int_equal(t.id, got.id);
    assert_string_equal("省平台转发", got.label);
    assert_int_equal(EW_ENOTFOUND, ew_store_token_find(f->s, t.hash, 90000, &got, &u));
    assert_int_equal(EW_OK, ew_store_token_revoke(f->s, t.id, 3000));
    assert_int_equal(EW_ENOTFOUND, ew_store_token_find(f->s, t.hash, 2000, &got, &u));
    assert_int_equal(EW_ESTATE, ew_store_token_revoke(f->s, t.id, 4000));
    assert_int_equal(EW_ENOTFOUND, ew_store_token_revoke(f->s, 777, 4000));
    assert_int_equal(EW_OK, ew_store_token_get(f->s, t.id, &got));
    assert_int_equal(3000, got.revoked_ms);
    snprintf(t.label, sizeof(t.label), "bad\nlabel");
    assert_int_equal(EW_EINVAL, ew_store_token_put(f->s, &t));
}

static int
collect(void *ctx, const struct ew_audit *a)
{
    struct ew_buf *b = ctx;

    return ew_buf_printf(b, "%lld|%s|%s|%s|%s|%s|%s\n", (long long)a->id, a->actor, a->action,
                         a->target, a->before ? a->before : "-", a->after ? a->after : "-",
                         a->detail ? a->detail : "-");
}

static void
audit_entries_are_scrubbed_and_queryable(void **state)
{
    struct fx *f = *state;
    struct ew_audit a = { .at_ms = 1000, .actor = "alice", .role = "admin", .via = "api",
                          .peer = "10.0.0.1:4000", .action = "user.add",
                          .target = "user:bob", .result = "ok",
                          .after = "{\"name\":\"bob\",\"password\":\"hunter2hunter2\"}",
                          .detail = "envwatch point add --mn X --pw 654321" };
    struct ew_audit_query q = { 0 };
    struct ew_buf b;
    int64_t id = 0;

    ew_buf_init(&b, 0);
    assert_int_equal(EW_OK, ew_store_audit_put(f->s, &a, &id));
    assert_int_equal(1, id);
    a.at_ms = 2000;
    a.action = "security.bad_pw";
    a.via = "hj212";
    a.after = NULL;
    a.detail = "{\"complainant\":\"王小明\",\"phone\":\"13912345678\"}";
    assert_int_equal(EW_OK, ew_store_audit_put(f->s, &a, &id));
    assert_int_equal(EW_OK, ew_store_audit_each(f->s, &q, collect, &b));
    assert_null(strstr(b.ptr, "hunter2"));
    assert_null(strstr(b.ptr, "654321"));
    assert_null(strstr(b.ptr, "王小明"));
    assert_null(strstr(b.ptr, "13912345678"));
    assert_non_null(strstr(b.ptr, "\"password\":\"***\""));
    assert_non_null(strstr(b.ptr, "--pw ***"));
    ew_buf_reset(&b);
    q.action = "security.";
    assert_int_equal(EW_OK, ew_store_audit_each(f->s, &q, collect, &b));
    assert_non_null(strstr(b.ptr, "2|alice|security.bad_pw"));
    assert_null(strstr(b.ptr, "1|alice|user.add"));
    ew_buf_reset(&b);
    q = (struct ew_audit_query){ .from_ms = 1500, .via = "api" };
    assert_int_equal(EW_OK, ew_store_audit_each(f->s, &q, collect, &b));
    assert_true(b.len == 0);
    a.actor = "";
    assert_int_equal(EW_EINVAL, ew_store_audit_put(f->s, &a, NULL));
    ew_buf_fini(&b);
}

/* The database refuses to change or remove an entry, and a change made behind its back
 * (triggers dropped) breaks the chain. */
static void
the_audit_log_is_append_only_and_tamper_evident(void **state)
{
    struct fx *f = *state;
    struct ew_audit a = { .at_ms = 1000, .actor = "alice", .via = "cli", .action = "x",
                          .result = "ok" };
    char path[128];
    sqlite3 *db;
    int64_t rows = 0, bad = 0;

    for (int i = 0; i < 3; i++)
        assert_int_equal(EW_OK, ew_store_audit_put(f->s, &a, NULL));
    assert_int_equal(EW_OK, ew_store_audit_verify(f->s, &rows, &bad));
    assert_int_equal(3, rows);
    snprintf(path, sizeof(path), "%s/envwatch.db", f->dir);
    assert_int_equal(SQLITE_OK, sqlite3_open(path, &db));
    sqlite3_busy_timeout(db, 5000);
    assert_int_not_equal(SQLITE_OK, sqlite3_exec(db, "UPDATE audit SET actor = 'mallory'",
                                                 NULL, NULL, NULL));
    assert_int_not_equal(SQLITE_OK, sqlite3_exec(db, "DELETE FROM audit WHERE id = 2", NULL,
                                                 NULL, NULL));
    assert_int_equal(EW_OK, ew_store_audit_verify(f->s, &rows, &bad));
    assert_int_equal(SQLITE_OK, sqlite3_exec(db, "DROP TRIGGER audit_no_update;"
                                                 "UPDATE audit SET actor = 'mallory' WHERE id = 2",
                                             NULL, NULL, NULL));
    sqlite3_close(db);
    assert_int_equal(EW_EFORMAT, ew_store_audit_verify(f->s, &rows, &bad));
    assert_int_equal(2, bad);
}

static void
a_removed_entry_breaks_the_chain(void **state)
{
    struct fx *f = *state;
    struct ew_audit a = { .at_ms = 1000, .actor = "alice", .via = "cli", .action = "x",
                          .result = "ok" };
    char path[128];
    sqlite3 *db;
    int64_t bad = 0;

    for (int i = 0; i < 3; i++)
        assert_int_equal(EW_OK, ew_store_audit_put(f->s, &a, NULL));
    snprintf(path, sizeof(path), "%s/envwatch.db", f->dir);
    assert_int_equal(SQLITE_OK, sqlite3_open(path, &db));
    sqlite3_busy_timeout(db, 5000);
    assert_int_equal(SQLITE_OK, sqlite3_exec(db, "DROP TRIGGER audit_no_delete;"
                                                 "DELETE FROM audit WHERE id = 2",
                                             NULL, NULL, NULL));
    sqlite3_close(db);
    assert_int_equal(EW_EFORMAT, ew_store_audit_verify(f->s, NULL, &bad));
    assert_int_equal(3, bad);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(accounts_are_added_found_and_changed, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(failed_logins_lock_after_the_limit_and_success_resets,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(sessions_expire_and_end_with_their_account, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(tokens_are_found_until_revoked_or_expired, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(audit_entries_are_scrubbed_and_queryable, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(the_audit_log_is_append_only_and_tamper_evident,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(a_removed_entry_breaks_the_chain, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests_name("store/auth", tests, NULL, NULL);
}
