/* SPDX-License-Identifier: MIT */
/*
 * src/store/readrow.c: the packed reading row. Exact round trips (decimal and raw forms),
 * the sizes the decimal form saves, and refusal of every kind of damaged row.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "store/readrow.h"
#include "unit/store/fixture.h"

static struct ew_reading
rd(const char *factor, double value, double min, double max, const char *flag)
{
    struct ew_reading r = fx_reading(0, EW_KIND_HOUR, 0, factor, value);

    r.min = min;
    r.max = max;
    snprintf(r.flag, sizeof(r.flag), "%s", flag);
    return r;
}

/* Bitwise equal, so -0.0 and 0.0 differ and NAN equals NAN. */
static void
same_double(double a, double b)
{
    assert_memory_equal(&a, &b, sizeof(a));
}

static void
round_trip(const struct ew_reading *v, size_t n, int timed, size_t *len_out)
{
    unsigned char buf[4096];
    struct ew_reading back[16];
    size_t len = 0, got = 0, count = 0;

    assert_true(ew__row_bound(n) <= sizeof(buf));
    assert_int_equal(EW_OK, ew__row_encode(v, n, timed, buf, &len));
    assert_true(len <= ew__row_bound(n));
    assert_int_equal(EW_OK, ew__row_count(buf, len, &count));
    assert_int_equal(n, count);
    memset(back, 0, sizeof(back));
    assert_int_equal(EW_OK, ew__row_decode(buf, len, back, 16, &got));
    assert_int_equal(n, got);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(v[i].factor, back[i].factor);
        same_double(v[i].value, back[i].value);
        same_double(v[i].min, back[i].min);
        same_double(v[i].max, back[i].max);
        same_double(v[i].cou, back[i].cou);
        same_double(v[i].zs, back[i].zs);
        assert_string_equal(v[i].flag, back[i].flag);
        if (timed) {
            assert_int_equal(v[i].kind, back[i].kind);
            assert_int_equal(v[i].t_unix_s, back[i].t_unix_s);
        }
    }
    if (len_out != NULL)
        *len_out = len;
}

static void
values_come_back_bit_for_bit(void **state)
{
    static const double values[] = { 0.0, -0.0, 1.0, -1.0, 12.53, 0.001, 35.0, 1e-13, 0.1,
                                     123456.789, -40.25, 1e15, 9007199254740993.0, 1e300,
                                     5e-324, 1.0 / 3.0, 0.30000000000000004, INFINITY,
                                     -INFINITY, 2.2250738585072014e-308 };
    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(values); i++) {
        struct ew_reading r = rd("a34004", values[i], NAN, values[i], "N");
        r.cou = -values[i];
        round_trip(&r, 1, 0, NULL);
        round_trip(&r, 1, 1, NULL);
    }
}

static void
short_decimals_take_few_bytes(void **state)
{
    struct ew_reading r = rd("a34004", 12.5, 10.2, 15.7, "N");
    size_t len = 0;

    (void)state;
    /* 1 version + 1 count + 1 + 6 factor + 3 enc + 2 + 2 + 2 varints + 1 flag */
    round_trip(&r, 1, 0, &len);
    assert_int_equal(19, len);
    r.value = 1.0 / 3.0;                /* no short decimal: 8 bytes */
    round_trip(&r, 1, 0, &len);
    assert_int_equal(25, len);
}

static void
a_ten_factor_packet_and_timed_rows(void **state)
{
    static const char *const codes[10] = { "a01001", "a01002", "a01006", "a01007", "a05024",
                                           "a21004", "a21005", "a21026", "a34002", "a34004" };
    struct ew_reading v[10];
    size_t len = 0;

    (void)state;
    for (int i = 0; i < 10; i++) {
        v[i] = rd(codes[i], 20.5 + i, 18.1 + i, 23.9 + i, i % 2 ? "N" : "");
        v[i].kind = i % 2 ? EW_KIND_HOUR : EW_KIND_MINUTE;
        v[i].t_unix_s = fx_t(2024, 1, 1, i, 0) - (i == 3 ? 4102415999LL : 0);
    }
    round_trip(v, 10, 0, &len);
    assert_true(len < 200);             /* against 10 rows of ~50 bytes */
    round_trip(v, 10, 1, NULL);
    round_trip(v, 0, 0, NULL);          /* an empty row is a row */
}

static void
unsorted_or_bad_entries_are_refused(void **state)
{
    unsigned char buf[1024];
    struct ew_reading v[2] = { rd("a34004", 1, NAN, NAN, ""), rd("a34002", 2, NAN, NAN, "") };
    size_t len;

    (void)state;
    assert_int_equal(EW_EINVAL, ew__row_encode(v, 2, 0, buf, &len));      /* order */
    v[1] = v[0];
    assert_int_equal(EW_EINVAL, ew__row_encode(v, 2, 0, buf, &len));      /* twice */
    v[0].factor[0] = '\0';
    assert_int_equal(EW_EINVAL, ew__row_encode(v, 1, 0, buf, &len));      /* no code */
    v[0] = rd("a34004", 1, NAN, NAN, "");
    v[0].kind = -1;
    assert_int_equal(EW_EINVAL, ew__row_encode(v, 1, 1, buf, &len));      /* timed kind */
    assert_int_equal(EW_ETOOBIG, ew__row_encode(v, EW__ROW_MAX + 1, 0, buf, &len));
}

static void
damaged_rows_are_refused_never_overread(void **state)
{
    struct ew_reading v[2] = { rd("a21026", 12.5, 10.0, NAN, "N"),
                               rd("a34004", 1.0 / 3.0, NAN, NAN, "") };
    struct ew_reading back[2];
    unsigned char buf[512], bad[512];
    size_t len = 0, n;

    (void)state;
    assert_int_equal(EW_OK, ew__row_encode(v, 2, 1, buf, &len));
    /* Every truncation is refused (copied so ASan sees a read past the end). */
    for (size_t cut = 0; cut < len; cut++) {
        unsigned char *p = malloc(cut + 1);
        memcpy(p, buf, cut);
        assert_int_equal(EW_EFORMAT, ew__row_decode(cut ? p : NULL, cut, back, 2, &n));
        free(p);
    }
    memcpy(bad, buf, len);
    bad[len] = 0;
    assert_int_equal(EW_EFORMAT, ew__row_decode(bad, len + 1, back, 2, &n));  /* trailing */
    memcpy(bad, buf, len);
    bad[0] = 9;
    assert_int_equal(EW_EFORMAT, ew__row_decode(bad, len, back, 2, &n));      /* version */
    assert_int_equal(EW_EFORMAT, ew__row_count(bad, len, &n));
    memcpy(bad, buf, len);
    bad[1] = 3;
    assert_int_equal(EW_ETOOBIG, ew__row_decode(bad, len, back, 2, &n));      /* count */
    bad[1] = 1;
    assert_int_equal(EW_EFORMAT, ew__row_decode(bad, len, back, 2, &n));
    memcpy(bad, buf, len);
    bad[2] = 0;
    assert_int_equal(EW_EFORMAT, ew__row_decode(bad, len, back, 2, &n));      /* code len */
    memcpy(bad, buf, len);
    bad[2] = 17;
    assert_int_equal(EW_EFORMAT, ew__row_decode(bad, len, back, 2, &n));
    memcpy(bad, buf, len);
    bad[3] = '\0';
    assert_int_equal(EW_EFORMAT, ew__row_decode(bad, len, back, 2, &n));      /* NUL */
    assert_int_equal(EW_ETOOBIG, ew__row_decode(buf, len, back, 1, &n));      /* room */
    n = 99;
    assert_int_equal(EW_OK, ew__row_decode(buf, len, back, 2, &n));
    assert_int_equal(2, n);
    /* Factors out of order are not a row this code writes. */
    v[1] = v[0];
    v[1].factor[5] = '7';
    assert_int_equal(EW_OK, ew__row_encode(v, 2, 0, buf, &len));
    for (size_t i = 2; i + 6 < len; i++)
        if (memcmp(buf + i, "a21027", 6) == 0)
            buf[i + 5] = '5';           /* a21025 after a21026 */
    assert_int_equal(EW_EFORMAT, ew__row_decode(buf, len, back, 2, &n));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(values_come_back_bit_for_bit),
        cmocka_unit_test(short_decimals_take_few_bytes),
        cmocka_unit_test(a_ten_factor_packet_and_timed_rows),
        cmocka_unit_test(unsorted_or_bad_entries_are_refused),
        cmocka_unit_test(damaged_rows_are_refused_never_overread),
    };
    return cmocka_run_group_tests_name("store/readrow", tests, NULL, NULL);
}
