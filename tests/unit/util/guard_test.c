/* SPDX-License-Identifier: MIT */
/* src/util/guard.c: token buckets per key and debounced events, in a table of fixed size. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include <envwatch/err.h>

#include "util/guard.h"

static void
a_bucket_allows_its_burst_then_its_rate(void **state)
{
    struct ew_guard *g;
    int ok = 0;

    (void)state;
    assert_int_equal(EW_OK, ew_guard_create(64, 10, 20, &g));   /* 10/s, burst 20 */
    for (int i = 0; i < 30; i++)
        ok += ew_guard_take(g, "10.0.0.1", 1000);
    assert_int_equal(20, ok);
    assert_false(ew_guard_take(g, "10.0.0.1", 1000));
    assert_true(ew_guard_take(g, "10.0.0.2", 1000));            /* another key is untouched */
    ok = 0;
    for (int i = 0; i < 30; i++)
        ok += ew_guard_take(g, "10.0.0.1", 1500);                /* half a second: 5 tokens */
    assert_int_equal(5, ok);
    ok = 0;
    for (int i = 0; i < 30; i++)
        ok += ew_guard_take(g, "10.0.0.1", 100000);              /* refilled to the burst */
    assert_int_equal(20, ok);
    ew_guard_destroy(g);
}

static void
events_are_recorded_once_per_interval_with_the_count_left_out(void **state)
{
    struct ew_guard *g;
    unsigned left = 99;

    (void)state;
    assert_int_equal(EW_OK, ew_guard_create(16, 1, 1, &g));
    assert_true(ew_guard_event(g, "bad_pw|1.2.3.4", 1000, 60000, &left));
    assert_int_equal(0, left);
    for (int i = 0; i < 7; i++)
        assert_false(ew_guard_event(g, "bad_pw|1.2.3.4", 2000 + i, 60000, NULL));
    assert_true(ew_guard_event(g, "bad_pw|5.6.7.8", 3000, 60000, NULL));
    assert_true(ew_guard_event(g, "bad_pw|1.2.3.4", 61000, 60000, &left));
    assert_int_equal(7, left);
    ew_guard_destroy(g);
}

static void
a_flood_of_keys_costs_no_memory_and_keeps_working(void **state)
{
    struct ew_guard *g;
    char key[32];

    (void)state;
    assert_int_equal(EW_OK, ew_guard_create(16, 1, 2, &g));
    for (int i = 0; i < 100000; i++) {
        snprintf(key, sizeof(key), "10.%d.%d.%d", i >> 16, (i >> 8) & 255, i & 255);
        ew_guard_take(g, key, i);
    }
    /* A fresh key still gets its full burst after the table was churned. */
    assert_true(ew_guard_take(g, "192.168.1.1", 200000));
    assert_true(ew_guard_take(g, "192.168.1.1", 200000));
    assert_false(ew_guard_take(g, "192.168.1.1", 200000));
    ew_guard_destroy(g);
}

static void
bad_settings_are_refused(void **state)
{
    struct ew_guard *g = NULL;

    (void)state;
    assert_int_equal(EW_EINVAL, ew_guard_create(16, 0, 1, &g));
    assert_int_equal(EW_EINVAL, ew_guard_create(16, 1, 0.5, &g));
    assert_null(g);
    ew_guard_destroy(NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_bucket_allows_its_burst_then_its_rate),
        cmocka_unit_test(events_are_recorded_once_per_interval_with_the_count_left_out),
        cmocka_unit_test(a_flood_of_keys_costs_no_memory_and_keeps_working),
        cmocka_unit_test(bad_settings_are_refused),
    };
    return cmocka_run_group_tests_name("util/guard", tests, NULL, NULL);
}
