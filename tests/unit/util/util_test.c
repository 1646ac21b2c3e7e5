/* SPDX-License-Identifier: MIT */
/* src/util: CST time arithmetic, the JSON string writer, the bounded CSV reader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include <envwatch/err.h>

#include "util/buf.h"
#include "util/csv.h"
#include "util/json.h"
#include "util/time.h"

static void
compact_time_is_cst(void **state)
{
    int64_t t = 0;
    char iso[20], compact[15];

    (void)state;
    /* 2016-08-01 08:58:57 CST is 00:58:57 UTC = 1470013137. */
    assert_int_equal(EW_OK, ew_time_parse_compact("20160801085857", 14, &t));
    assert_int_equal(1470013137, t);
    ew_time_fmt_iso(t, iso);
    assert_string_equal("2016-08-01T08:58:57", iso);
    ew_time_fmt_compact(t, compact);
    assert_string_equal("20160801085857", compact);
}

/* The digit-by-digit formatters against the C library's calendar, every 7,919 s over
 * 1970-2100 and at the edges of years, and parsing back what they wrote. */
static void
formatters_agree_with_strftime(void **state)
{
    char iso[20], compact[15], want[32];
    int64_t back;

    (void)state;
    for (int64_t t = 0; t < 4102444800; t += 7919) {
        time_t cst = (time_t)(t + 8 * 3600);
        struct tm tm;

        gmtime_r(&cst, &tm);
        ew_time_fmt_iso(t, iso);
        strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%S", &tm);
        assert_string_equal(want, iso);
        ew_time_fmt_compact(t, compact);
        strftime(want, sizeof(want), "%Y%m%d%H%M%S", &tm);
        assert_string_equal(want, compact);
        assert_int_equal(EW_OK, ew_time_parse_compact(compact, 14, &back));
        assert_int_equal(t, back);
    }
    ew_time_fmt_iso(1577807999, iso);   /* 2019-12-31T23:59:59 CST */
    assert_string_equal("2019-12-31T23:59:59", iso);
}

static void
bad_dates_are_refused_and_out_untouched(void **state)
{
    static const char *bad[] = { "20190230000000", "2019123100000", "20191231240000",
                                 "2019123123595a", "20191301000000" };
    int64_t t = 7;

    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(bad); i++)
        assert_int_equal(EW_EFORMAT, ew_time_parse_compact(bad[i], strlen(bad[i]), &t));
    assert_int_equal(7, t);
    assert_int_equal(EW_EFORMAT, ew_time_parse_iso("2019-02-29", &t));
    assert_int_equal(EW_EFORMAT, ew_time_parse_iso("2019-01-01X00:00", &t));
    assert_int_equal(7, t);
}

static void
iso_time_honours_offsets(void **state)
{
    int64_t a, b, c, d;

    (void)state;
    assert_int_equal(EW_OK, ew_time_parse_iso("2020-02-29T08:00:00", &a));
    assert_int_equal(EW_OK, ew_time_parse_iso("2020-02-29T00:00:00Z", &b));
    assert_int_equal(EW_OK, ew_time_parse_iso("2020-02-29 08:00", &c));
    assert_int_equal(EW_OK, ew_time_parse_iso("2020-02-29T01:00:00+01:00", &d));
    assert_int_equal(a, b);
    assert_int_equal(a, c);
    assert_int_equal(a, d);
}

static void
civil_days_round_trip(void **state)
{
    (void)state;
    for (int64_t days = -800000; days < 800000; days += 997) {
        int y, m, d;
        ew_civil_from_days(days, &y, &m, &d);
        assert_int_equal(days, ew_days_from_civil(y, m, d));
    }
    assert_int_equal(0, ew_days_from_civil(1970, 1, 1));
}

static void
json_strings_are_always_valid(void **state)
{
    struct ew_buf b;

    (void)state;
    ew_buf_init(&b, 0);
    assert_int_equal(EW_OK, ew_json_str(&b, "a\"b\\c\n\x01", 7));
    assert_string_equal("\"a\\\"b\\\\c\\n\\u0001\"", b.ptr);
    ew_buf_reset(&b);
    /* valid UTF-8 passes through; a lone continuation byte and a GBK byte pair do not */
    assert_int_equal(EW_OK, ew_json_str(&b, "清洗\x80\xC7\xE5", 9));
    assert_string_equal("\"清洗\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"", b.ptr);
    ew_buf_fini(&b);
}

static void
buffer_limit_holds(void **state)
{
    struct ew_buf b;

    (void)state;
    ew_buf_init(&b, 8);
    assert_int_equal(EW_OK, ew_buf_adds(&b, "12345678"));
    assert_int_equal(EW_ETOOBIG, ew_buf_addc(&b, '9'));
    assert_int_equal(8, b.len);
    assert_string_equal("12345678", b.ptr);
    ew_buf_fini(&b);
}

static void
csv_reads_quotes_bom_and_crlf(void **state)
{
    static const char text[] = "\xEF\xBB\xBFstation,name\r\n1738A,\"a,\"\"b\"\"\nc\"\r\n,\n";
    FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");
    struct ew_csv *c;
    char **fields;
    size_t n, line;

    (void)state;
    assert_non_null(f);
    assert_int_equal(EW_OK, ew_csv_open(f, 1024, 16, &c));
    assert_int_equal(EW_OK, ew_csv_next(c, &fields, &n, &line));
    assert_int_equal(2, n);
    assert_string_equal("station", fields[0]);
    assert_int_equal(EW_OK, ew_csv_next(c, &fields, &n, &line));
    assert_int_equal(2, line);
    assert_string_equal("1738A", fields[0]);
    assert_string_equal("a,\"b\"\nc", fields[1]);
    assert_int_equal(EW_OK, ew_csv_next(c, &fields, &n, &line));
    assert_int_equal(4, line);
    assert_int_equal(2, n);
    assert_string_equal("", fields[1]);
    assert_int_equal(EW_ENOTFOUND, ew_csv_next(c, &fields, &n, &line));
    ew_csv_close(c);
    fclose(f);
}

static void
csv_limits_hold(void **state)
{
    static const char text[] = "a,b,c,d\n\"unterminated\n";
    FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");
    struct ew_csv *c;
    char **fields;
    size_t n;
    struct ew_buf b;

    (void)state;
    assert_int_equal(EW_OK, ew_csv_open(f, 1024, 3, &c));
    assert_int_equal(EW_ETOOBIG, ew_csv_next(c, &fields, &n, NULL));
    ew_csv_close(c);
    fclose(f);
    f = fmemopen((void *)(text + 8), sizeof(text) - 9, "r");
    assert_int_equal(EW_OK, ew_csv_open(f, 1024, 3, &c));
    assert_int_equal(EW_EFORMAT, ew_csv_next(c, &fields, &n, NULL));
    ew_csv_close(c);
    fclose(f);
    ew_buf_init(&b, 0);
    assert_int_equal(EW_OK, ew_csv_field(&b, "x,\"y\""));
    assert_string_equal("\"x,\"\"y\"\"\"", b.ptr);
    ew_buf_fini(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(compact_time_is_cst),
        cmocka_unit_test(formatters_agree_with_strftime),
        cmocka_unit_test(bad_dates_are_refused_and_out_untouched),
        cmocka_unit_test(iso_time_honours_offsets),
        cmocka_unit_test(civil_days_round_trip),
        cmocka_unit_test(json_strings_are_always_valid),
        cmocka_unit_test(buffer_limit_holds),
        cmocka_unit_test(csv_reads_quotes_bom_and_crlf),
        cmocka_unit_test(csv_limits_hold),
    };
    return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
