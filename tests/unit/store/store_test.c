/* SPDX-License-Identifier: MIT */
/* src/store/store.c: picking a backend by scheme, argument checks, transaction states. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "unit/store/fixture.h"

static void
schemes_pick_a_backend_or_say_why_not(void **state)
{
    static const struct {
        const char *location;
        int         want;
        const char *msg;                /* part of the message */
    } cases[] = {
        { "postgres:host=localhost dbname=envwatch", EW_EINVAL, "not built" },
        { "mysql:/tmp/x", EW_EINVAL, "unknown store scheme 'mysql'" },
        { "sqlite:", EW_EINVAL, "bad store directory" },
        { "/nonexistent/ew-store-test", EW_ENOTFOUND, "no store at" },
    };
    struct ew_store *s = (struct ew_store *)&state;     /* must stay untouched */

    for (size_t i = 0; i < EW_ARRAY_LEN(cases); i++) {
        char msg[256] = "";
        assert_int_equal(cases[i].want, ew_store_open_config(cases[i].location, NULL, &s, msg,
                                                             sizeof(msg)));
        if (strstr(msg, cases[i].msg) == NULL)
            fail_msg("%s: message '%s' lacks '%s'", cases[i].location, msg, cases[i].msg);
        assert_ptr_equal((struct ew_store *)&state, s);
    }
}

static void
sqlite_scheme_and_plain_dir_are_the_same_store(void **state)
{
    struct fx *f = *state;
    struct ew_store *s = NULL;
    struct ew_point p;
    char loc[96];

    assert_int_not_equal(0, fx_add_point(f->s, "M1"));
    snprintf(loc, sizeof(loc), "sqlite:%s", f->dir);
    assert_int_equal(EW_OK, ew_store_open(loc, EW_STORE_RDONLY, &s));
    assert_int_equal(EW_OK, ew_store_point_get(s, "M1", &p));
    ew_store_close(s);
}

static void
bad_readings_are_refused_before_the_backend(void **state)
{
    struct fx *f = *state;
    int64_t id = fx_add_point(f->s, "M1"), t = fx_t(2024, 3, 1, 10, 0);
    struct ew_reading r;
    int inserted = 7;

    assert_int_not_equal(0, id);
    r = fx_reading(id, 2062, t, "a34004", 1.0);
    assert_int_equal(EW_EINVAL, ew_store_reading_put(f->s, &r, &inserted));
    assert_non_null(strstr(ew_store_errmsg(f->s), "kind"));
    r = fx_reading(id, EW_KIND_HOUR, fx_t(1999, 12, 31, 23, 0), "a34004", 1.0);
    assert_int_equal(EW_EINVAL, ew_store_reading_put(f->s, &r, &inserted));
    assert_non_null(strstr(ew_store_errmsg(f->s), "2000-2099"));
    r = fx_reading(id, EW_KIND_HOUR, t, "a34004-Avg", 1.0);
    assert_int_equal(EW_EINVAL, ew_store_reading_put(f->s, &r, &inserted));
    r = fx_reading(id, EW_KIND_HOUR, t, "", 1.0);
    assert_int_equal(EW_EINVAL, ew_store_reading_put(f->s, &r, &inserted));
    r = fx_reading(id, EW_KIND_HOUR, t, "a34004", 1.0);
    memcpy(r.flag, "N;", 3);
    assert_int_equal(EW_EINVAL, ew_store_reading_put(f->s, &r, &inserted));
    r = fx_reading(0, EW_KIND_HOUR, t, "a34004", 1.0);
    assert_int_equal(EW_EINVAL, ew_store_reading_put(f->s, &r, &inserted));
    assert_int_equal(7, inserted);
    /* The edges of the accepted range are accepted. */
    r = fx_reading(id, EW_KIND_HOUR, EW_STORE_T_MIN_UNIX_S, "a34004", 1.0);
    assert_int_equal(EW_OK, ew_store_reading_put(f->s, &r, &inserted));
    r = fx_reading(id, EW_KIND_HOUR, EW_STORE_T_MAX_UNIX_S, "a34004", 1.0);
    assert_int_equal(EW_OK, ew_store_reading_put(f->s, &r, &inserted));
}

static void
null_arguments_are_einval(void **state)
{
    struct fx *f = *state;
    struct ew_journal_entry e = { .peer = "1.2.3.4:5", .verdict = "", .bytes = "x", .len = 1 };
    int v;

    assert_int_equal(EW_EINVAL, ew_store_open(NULL, 0, NULL));
    assert_int_equal(EW_EINVAL, ew_store_schema_version(NULL, &v));
    assert_int_equal(EW_EINVAL, ew_store_point_put(f->s, NULL));
    assert_int_equal(EW_EINVAL, ew_store_point_each(f->s, NULL, NULL));
    assert_int_equal(EW_EINVAL, ew_store_journal_put(f->s, &e));       /* empty verdict */
    e.verdict = "stored";
    e.len = EW_STORE_FRAME_MAX + 1;
    assert_int_equal(EW_ETOOBIG, ew_store_journal_put(f->s, &e));
    assert_int_equal(EW_EINVAL, ew_store_pending_touch(f->s, "bad mn", "", "", 1));
    assert_string_equal("no store handle", ew_store_errmsg(NULL));
    ew_store_close(NULL);
}

static void
transactions_refuse_wrong_states(void **state)
{
    struct fx *f = *state;

    assert_int_equal(EW_ESTATE, ew_store_commit(f->s));
    assert_int_equal(EW_ESTATE, ew_store_rollback(f->s));
    assert_int_equal(EW_OK, ew_store_begin(f->s));
    assert_int_equal(EW_ESTATE, ew_store_begin(f->s));
    assert_non_null(strstr(ew_store_errmsg(f->s), "already open"));
    assert_int_equal(EW_OK, ew_store_commit(f->s));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(schemes_pick_a_backend_or_say_why_not),
        cmocka_unit_test_setup_teardown(sqlite_scheme_and_plain_dir_are_the_same_store,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(bad_readings_are_refused_before_the_backend, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(null_arguments_are_einval, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(transactions_refuse_wrong_states, fx_setup,
                                        fx_teardown),
    };
    return cmocka_run_group_tests_name("store/store", tests, NULL, NULL);
}
