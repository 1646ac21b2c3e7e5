/* SPDX-License-Identifier: MIT */
/* src/ingest/config.c: defaults, the shipped example file, refusals of bad settings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <envwatch/daemon.h>
#include <envwatch/err.h>

static void
example_file_matches_defaults(void **state)
{
    struct ew_config a, b;
    char err[256];
    int line = 0;

    (void)state;
    ew_config_defaults(&a);
    ew_config_defaults(&b);
    assert_int_equal(EW_OK, ew_config_load(&b, "etc/envwatch.ini", &line, err, sizeof(err)));
    assert_memory_equal(&a, &b, sizeof(a));
    assert_string_equal("./var", b.data_dir);
    assert_string_equal("0.0.0.0:9212", b.hj212_listen);
    assert_int_equal(20, b.batch_ms);
    assert_int_equal(20u << 20, b.ledger_max_file_bytes);   /* evidence uploads: 20 MiB */
    assert_int_equal(1u << 20, b.http_max_body);            /* everything else */
}

static char *
write_tmp(const char *text)
{
    static char path[64];
    FILE *f;

    snprintf(path, sizeof(path), "/tmp/ewcfg-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

static void
bad_settings_are_refused_and_config_untouched(void **state)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        { "[ingest]\nbatch_msec = 5\n", "unknown setting" },
        { "[ingest]\nbatch_ms = 0\n", "not a number from 1" },
        { "[ingest]\nbatch_ms = -5\n", "not a number" },
        { "[ingest]\nbatch_ms = 12abc\n", "not a number" },
        { "[store]\nsynchronous_full = maybe\n", "not a number" },
        { "[server]\nhj212_listen\n", "not a 'key = value' line" },
        { "[ledger]\nmax_file_bytes = 1000\n", "not a number from 1024" },
        { "[ledger]\nmax_file_bytes = 268435457\n", "not a number from 1024" },
    };
    struct ew_config c, before;
    char err[256];

    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(cases); i++) {
        char *path = write_tmp(cases[i].text);
        ew_config_defaults(&c);
        before = c;
        err[0] = '\0';
        assert_int_not_equal(EW_OK, ew_config_load(&c, path, NULL, err, sizeof(err)));
        assert_non_null(strstr(err, cases[i].want));
        assert_memory_equal(&before, &c, sizeof(c));
        unlink(path);
    }
    assert_int_equal(EW_EIO, ew_config_load(&c, "/nonexistent/envwatch.ini", NULL, err,
                                            sizeof(err)));
}

static void
set_overrides_one_key(void **state)
{
    struct ew_config c;
    char err[256];

    (void)state;
    ew_config_defaults(&c);
    assert_int_equal(EW_OK, ew_config_set(&c, "store", "synchronous_full", "true", err,
                                          sizeof(err)));
    assert_int_equal(1, c.synchronous_full);
    assert_int_equal(EW_OK, ew_config_set(&c, "ingest", "batch_packets", "64", err, sizeof(err)));
    assert_int_equal(64, c.batch_packets);
    assert_int_equal(EW_ETOOBIG, ew_config_set(&c, "server", "hj212_listen",
                                               "0123456789012345678901234567890123456789012345678"
                                               "9012345678901234567890123456789012345678901234567"
                                               "890123456789012345678901234567890",
                                               err, sizeof(err)));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(example_file_matches_defaults),
        cmocka_unit_test(bad_settings_are_refused_and_config_untouched),
        cmocka_unit_test(set_overrides_one_key),
    };
    return cmocka_run_group_tests_name("ingest/config", tests, NULL, NULL);
}
