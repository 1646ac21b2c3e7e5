/* SPDX-License-Identifier: MIT */
/*
 * src/report/report.c: names of reports and formats, the period argument (real calendar
 * dates only), file names, the bureau and city settings kept in the store, and requests
 * ew_report_make refuses before touching the store.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <envwatch/report.h>

#include "unit/store/fixture.h"
#include "util/buf.h"

static void
kinds_and_formats_parse(void **state)
{
    static const struct {
        const char *name;
        int         rc, kind;
    } kinds[] = {
        { "daily", EW_OK, EW_REPORT_AIR_DAILY },       { "air-daily", EW_OK, EW_REPORT_AIR_DAILY },
        { "monthly", EW_OK, EW_REPORT_AIR_MONTHLY },
        { "air-monthly", EW_OK, EW_REPORT_AIR_MONTHLY },
        { "sources", EW_OK, EW_REPORT_SOURCES_MONTHLY },
        { "sources-monthly", EW_OK, EW_REPORT_SOURCES_MONTHLY },
        { "weekly", EW_EINVAL, -1 },                   { "", EW_EINVAL, -1 },
        { "Daily", EW_EINVAL, -1 },
    };
    int kind, format;

    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(kinds); i++) {
        kind = -1;
        assert_int_equal(kinds[i].rc, ew_report_kind_parse(kinds[i].name, &kind));
        assert_int_equal(kinds[i].kind, kind);
    }
    assert_int_equal(EW_EINVAL, ew_report_kind_parse(NULL, &kind));
    assert_string_equal("air-daily", ew_report_kind_name(EW_REPORT_AIR_DAILY));
    assert_string_equal("sources-monthly", ew_report_kind_name(EW_REPORT_SOURCES_MONTHLY));
    assert_string_equal("", ew_report_kind_name(99));
    assert_int_equal(EW_OK, ew_report_format_parse("html", &format));
    assert_int_equal(EW_REPORT_HTML, format);
    assert_int_equal(EW_OK, ew_report_format_parse("xlsx", &format));
    assert_int_equal(EW_REPORT_XLSX, format);
    format = 7;
    assert_int_equal(EW_EINVAL, ew_report_format_parse("pdf", &format));
    assert_int_equal(7, format);
    assert_string_equal("text/html; charset=utf-8", ew_report_mime(EW_REPORT_HTML));
    assert_string_equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        ew_report_mime(EW_REPORT_XLSX));
    assert_string_equal("", ew_report_ext(0));
}

static void
periods_must_be_real_dates(void **state)
{
    static const struct {
        int         kind;
        const char *text;
        int         rc, year, month, day;
    } cases[] = {
        { EW_REPORT_AIR_DAILY, "2019-01-06", EW_OK, 2019, 1, 6 },
        { EW_REPORT_AIR_DAILY, "2020-02-29", EW_OK, 2020, 2, 29 },     /* leap year */
        { EW_REPORT_AIR_DAILY, "2019-02-29", EW_EFORMAT, 0, 0, 0 },
        { EW_REPORT_AIR_DAILY, "2019-04-31", EW_EFORMAT, 0, 0, 0 },
        { EW_REPORT_AIR_DAILY, "2019-1-06", EW_EFORMAT, 0, 0, 0 },
        { EW_REPORT_AIR_DAILY, "2019-01", EW_EFORMAT, 0, 0, 0 },
        { EW_REPORT_AIR_DAILY, "2019/01/06", EW_EFORMAT, 0, 0, 0 },
        { EW_REPORT_AIR_DAILY, "1999-12-31", EW_EFORMAT, 0, 0, 0 },    /* before 2000 */
        { EW_REPORT_AIR_DAILY, "2019-01-06T00", EW_EFORMAT, 0, 0, 0 },
        { EW_REPORT_AIR_MONTHLY, "2019-12", EW_OK, 2019, 12, 0 },
        { EW_REPORT_AIR_MONTHLY, "2019-13", EW_EFORMAT, 0, 0, 0 },
        { EW_REPORT_AIR_MONTHLY, "2019-00", EW_EFORMAT, 0, 0, 0 },
        { EW_REPORT_AIR_MONTHLY, "2019-01-06", EW_EFORMAT, 0, 0, 0 },
        { EW_REPORT_SOURCES_MONTHLY, "2099-01", EW_OK, 2099, 1, 0 },
        { EW_REPORT_SOURCES_MONTHLY, "2100-01", EW_EFORMAT, 0, 0, 0 },
        { EW_REPORT_SOURCES_MONTHLY, "20x9-01", EW_EFORMAT, 0, 0, 0 },
    };

    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(cases); i++) {
        struct ew_report_req r = { .year = -1, .month = -1, .day = -1 };
        int rc = ew_report_period_parse(cases[i].kind, cases[i].text, &r);
        assert_int_equal(cases[i].rc, rc);
        if (rc == EW_OK) {
            assert_int_equal(cases[i].year, r.year);
            assert_int_equal(cases[i].month, r.month);
            assert_int_equal(cases[i].day, r.day);
        } else {
            assert_int_equal(-1, r.year);       /* untouched on failure */
        }
    }
    assert_int_equal(EW_EFORMAT, ew_report_period_parse(EW_REPORT_AIR_DAILY, NULL,
                                                        &(struct ew_report_req){ 0 }));
}

static void
file_names_follow_kind_and_period(void **state)
{
    struct ew_report_req d = { .kind = EW_REPORT_AIR_DAILY, .format = EW_REPORT_HTML,
                               .year = 2019, .month = 1, .day = 6 };
    struct ew_report_req m = { .kind = EW_REPORT_SOURCES_MONTHLY, .format = EW_REPORT_XLSX,
                               .year = 2019, .month = 12 };
    char name[64], tiny[8];

    (void)state;
    assert_int_equal(EW_OK, ew_report_filename(&d, name, sizeof(name)));
    assert_string_equal("air-daily-2019-01-06.html", name);
    assert_int_equal(EW_OK, ew_report_filename(&m, name, sizeof(name)));
    assert_string_equal("sources-monthly-2019-12.xlsx", name);
    assert_int_equal(EW_ETOOBIG, ew_report_filename(&m, tiny, sizeof(tiny)));
    m.day = 3;                          /* a monthly report names no day */
    assert_int_equal(EW_EINVAL, ew_report_filename(&m, name, sizeof(name)));
    d.day = 0;
    assert_int_equal(EW_EINVAL, ew_report_filename(&d, name, sizeof(name)));
}

static void
settings_are_kept_and_checked(void **state)
{
    struct fx *f = *state;
    char out[EW_REPORT_SETTING_MAX + 1] = "x", big[EW_REPORT_SETTING_MAX + 2];

    assert_int_equal(EW_OK, ew_report_setting_get(f->s, EW_REPORT_SETTING_BUREAU, out,
                                                  sizeof(out)));
    assert_string_equal("", out);       /* unset */
    assert_int_equal(EW_OK, ew_report_setting_put(f->s, EW_REPORT_SETTING_BUREAU,
                                                  "阳泉市生态环境局"));
    assert_int_equal(EW_OK, ew_report_setting_get(f->s, EW_REPORT_SETTING_BUREAU, out,
                                                  sizeof(out)));
    assert_string_equal("阳泉市生态环境局", out);
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(EW_EINVAL, ew_report_setting_put(f->s, EW_REPORT_SETTING_CITY, big));
    assert_int_equal(EW_EINVAL, ew_report_setting_put(f->s, EW_REPORT_SETTING_CITY, "a\nb"));
    assert_int_equal(EW_EINVAL, ew_report_setting_put(f->s, "report.other", "x"));
    assert_int_equal(EW_EINVAL, ew_report_setting_get(f->s, "holidays", out, sizeof(out)));
    assert_int_equal(EW_OK, ew_report_setting_put(f->s, EW_REPORT_SETTING_BUREAU, ""));
    assert_int_equal(EW_OK, ew_report_setting_get(f->s, EW_REPORT_SETTING_BUREAU, out,
                                                  sizeof(out)));
    assert_string_equal("", out);
}

static void
bad_requests_are_refused_with_a_reason(void **state)
{
    struct fx *f = *state;
    static const struct ew_report_req bad[] = {
        { .kind = 0, .format = EW_REPORT_HTML, .year = 2019, .month = 1, .day = 6 },
        { .kind = EW_REPORT_AIR_DAILY, .format = 3, .year = 2019, .month = 1, .day = 6 },
        { .kind = EW_REPORT_AIR_DAILY, .format = EW_REPORT_HTML, .year = 2019, .month = 2,
          .day = 30 },
        { .kind = EW_REPORT_AIR_MONTHLY, .format = EW_REPORT_HTML, .year = 1999, .month = 1 },
        { .kind = EW_REPORT_AIR_MONTHLY, .format = EW_REPORT_HTML, .year = 2019, .month = 1,
          .day = 1 },
    };
    struct ew_buf b;

    ew_buf_init(&b, 1 << 20);
    for (size_t i = 0; i < EW_ARRAY_LEN(bad); i++) {
        char why[128] = "";
        assert_int_equal(EW_EINVAL, ew_report_make(f->s, &bad[i], &b, why, sizeof(why)));
        assert_true(why[0] != '\0');
        assert_int_equal(0, b.len);
    }
    assert_int_equal(EW_EINVAL, ew_report_make(f->s, &bad[0], &b, NULL, 0));
    ew_buf_fini(&b);
}

static void
an_empty_store_still_gives_every_report(void **state)
{
    struct fx *f = *state;
    struct ew_buf b;

    ew_buf_init(&b, 16 << 20);
    for (int kind = EW_REPORT_AIR_DAILY; kind <= EW_REPORT_SOURCES_MONTHLY; kind++)
        for (int fmt = EW_REPORT_HTML; fmt <= EW_REPORT_XLSX; fmt++) {
            struct ew_report_req r = { .kind = kind, .format = fmt, .year = 2019, .month = 1,
                                       .day = kind == EW_REPORT_AIR_DAILY ? 6 : 0,
                                       .now_unix_s = fx_t(2019, 2, 1, 9, 0) };
            char why[128] = "";
            ew_buf_reset(&b);
            assert_int_equal(EW_OK, ew_report_make(f->s, &r, &b, why, sizeof(why)));
            if (fmt == EW_REPORT_HTML) {
                assert_non_null(strstr(b.ptr, "无数据 (no data)"));
                assert_non_null(strstr(b.ptr, "生态环境局"));   /* the default bureau */
            } else {
                assert_memory_equal("PK\x03\x04", b.ptr, 4);
            }
        }
    ew_buf_fini(&b);
}

static void
a_full_buffer_is_reported_and_left_clean(void **state)
{
    struct fx *f = *state;
    struct ew_report_req r = { .kind = EW_REPORT_AIR_DAILY, .format = EW_REPORT_HTML,
                               .year = 2019, .month = 1, .day = 6 };
    struct ew_buf b;
    char why[128];

    for (int fmt = EW_REPORT_HTML; fmt <= EW_REPORT_XLSX; fmt++) {
        ew_buf_init(&b, 2000);
        r.format = fmt;
        ew_buf_adds(&b, "keep");
        assert_int_equal(EW_ETOOBIG, ew_report_make(f->s, &r, &b, why, sizeof(why)));
        assert_string_equal("keep", b.ptr);     /* nothing half-written after it */
        ew_buf_fini(&b);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kinds_and_formats_parse),
        cmocka_unit_test(periods_must_be_real_dates),
        cmocka_unit_test(file_names_follow_kind_and_period),
        cmocka_unit_test_setup_teardown(settings_are_kept_and_checked, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(bad_requests_are_refused_with_a_reason, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(an_empty_store_still_gives_every_report, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(a_full_buffer_is_reported_and_left_clean, fx_setup,
                                        fx_teardown),
    };
    return cmocka_run_group_tests_name("report/front", tests, NULL, NULL);
}
