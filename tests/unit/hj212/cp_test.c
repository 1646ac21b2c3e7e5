/* SPDX-License-Identifier: MIT */
/*
 * libhj212 CP area (reference/hj212.md 5.1): items, '-' suffixes, //...// values kept whole,
 * spaces, negative numbers, empty CP; the fast tokenizer against the byte-wise one on many
 * generated CPs; the standard's grouping when writing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <hj212/hj212.h>

#include "hj212/internal.h"

#define MAX_ITEMS 16

static const struct cp_case {
    const char *cp;
    const char *want;                   /* items as "sep|key|code|suffix|value" joined by '\n' */
    uint32_t    warnings;
} cases[] = {
    { "", "", 0 },
    { " ", "", HJ212_W_SPACES },
    { "RtdInterval=30", "0|RtdInterval|RtdInterval||30", 0 },
    { "DataTime=20160801085857;w01001-Rtd=7.1,w01001-Flag=N",
      "0|DataTime|DataTime||20160801085857\n;|w01001-Rtd|w01001|Rtd|7.1\n"
      ",|w01001-Flag|w01001|Flag|N", 0 },
    { "a01001-Rtd=-12.5;a01001-ZsRtd=-0.001",
      "0|a01001-Rtd|a01001|Rtd|-12.5\n;|a01001-ZsRtd|a01001|ZsRtd|-0.001", 0 },
    { "i11001-Info=//清洗;管路,a=b//;PolId=w01018",
      "0|i11001-Info|i11001|Info|//清洗;管路,a=b//\n;|PolId|PolId||w01018", 0 },
    { "i11001-Info=//a//b//,x=1", "0|i11001-Info|i11001|Info|//a//b//\n,|x|x||1", 0 },
    { "i11001-Info=//never closed;x=1", "0|i11001-Info|i11001|Info|//never closed\n;|x|x||1", 0 },
    { " i12003-Info =0 ; i13004-Info= 168.0 ", "0|i12003-Info|i12003|Info|0\n"
      ";|i13004-Info|i13004|Info|168.0", HJ212_W_SPACES },
    { "a=1;;b=2", "0|a|a||1\n;|b|b||2", HJ212_W_CP_ITEM },
    { ";a=1;", "0|a|a||1", HJ212_W_CP_ITEM },
    { "broken;a=1", "0|broken|broken||(null)\n;|a|a||1", HJ212_W_CP_ITEM },
    { "=5", "0||||5", HJ212_W_CP_ITEM },
    { "a=", "0|a|a||", 0 },
    { "SB1-RS=1;SB2-RS=0", "0|SB1-RS|SB1|RS|1\n;|SB2-RS|SB2|RS|0", 0 },
    { "a-b-c=x=y", "0|a-b-c|a|b-c|x=y", 0 },
};

/* Renders an iteration as the cases write it; "(null)" for a missing value. */
static void
render(struct hj212_str cp, int (*next)(struct hj212_cp_iter *, struct hj212_cp_item *),
       char *out, size_t cap, uint32_t *w)
{
    struct hj212_cp_iter it;
    struct hj212_cp_item x;
    size_t n = 0;

    out[0] = '\0';
    hj212_cp_iter_init(&it, cp);
    while (next(&it, &x)) {
        n += (size_t)snprintf(out + n, cap - n, "%s%c|%.*s|%.*s|%.*s|%.*s", n ? "\n" : "",
                              x.sep ? x.sep : '0', (int)x.key.len, x.key.ptr, (int)x.code.len,
                              x.code.ptr, (int)x.suffix.len, x.suffix.ptr ? x.suffix.ptr : "",
                              x.value.ptr ? (int)x.value.len : 6,
                              x.value.ptr ? x.value.ptr : "(null)");
        assert_true(n < cap);
        assert_true(x.key.ptr >= cp.ptr && x.key.ptr + x.key.len <= cp.ptr + cp.len);
    }
    *w = it.warnings;
}

static void
items_follow_the_table(void **state)
{
    char got[1024];
    uint32_t w;

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct hj212_str cp = { cases[i].cp, strlen(cases[i].cp) };

        render(cp, hj212_cp_next, got, sizeof(got), &w);
        if (strcmp(cases[i].want, got) != 0)
            print_error("case %zu: got\n%s\n", i, got);
        assert_string_equal(cases[i].want, got);
        assert_int_equal(cases[i].warnings, w);
        render(cp, hj212__cp_next_bytewise, got, sizeof(got), &w);
        assert_string_equal(cases[i].want, got);
        assert_int_equal(cases[i].warnings, w);
    }
}

/* CPs long enough for the fast path, built from random pieces of CP syntax: the fast
 * tokenizer must give exactly what the byte-wise one gives. */
static void
fast_path_equals_bytewise(void **state)
{
    static const char *pieces[] = { "a21026", "-", "Rtd", "=", "12.5", ";", ",", " ", "//",
                                    "x", "==", ";;", "-3", "DataTime", "\t", "/", "\xe6\xb8\x85" };
    static char cp[3000];
    char a[16384], b[16384];
    uint32_t x = 99, wa, wb;

    (void)state;
    for (int round = 0; round < 3000; round++) {
        size_t n = 0, target;

        x = x * 1103515245u + 12345u;
        target = (x >> 8) % 2000;
        while (n < target) {
            const char *p;

            x = x * 1103515245u + 12345u;
            /* Mostly well-formed items, sometimes a random piece. */
            if ((x >> 16) % 4)
                p = (x >> 20) % 2 ? "w01018-Avg=17.5," : "a21026-Rtd=12.3;";
            else
                p = pieces[(x >> 18) % (sizeof(pieces) / sizeof(pieces[0]))];
            if (n + strlen(p) >= sizeof(cp))
                break;
            memcpy(cp + n, p, strlen(p));
            n += strlen(p);
        }
        render((struct hj212_str){ cp, n }, hj212_cp_next, a, sizeof(a), &wa);
        render((struct hj212_str){ cp, n }, hj212__cp_next_bytewise, b, sizeof(b), &wb);
        assert_string_equal(b, a);
        assert_int_equal(wb, wa);
    }
}

static void
get_finds_the_first(void **state)
{
    const char *s = "DataTime=20160801085857;a=1;a=2;i11001-Info=//x;DataTime=1//";
    struct hj212_str cp = { s, strlen(s) }, v = { "untouched", 9 };

    (void)state;
    assert_int_equal(1, hj212_cp_get(cp, "a", &v));
    assert_true(v.len == 1 && v.ptr[0] == '1');
    assert_int_equal(1, hj212_cp_get(cp, "DataTime", &v));
    assert_int_equal(14, v.len);
    assert_int_equal(0, hj212_cp_get(cp, "b", &v));
    assert_int_equal(14, v.len);
    assert_int_equal(0, hj212_cp_get((struct hj212_str){ NULL, 0 }, "a", &v));
}

static void
format_groups_as_the_standard(void **state)
{
    static const struct hj212_kv v11[] = {
        { "DataTime", "20160801080000" }, { "w00000-Cou", "63.0" }, { "w00000-Min", "16.4" },
        { "w00000-Avg", "17.5" },        { "w00000-Max", "20.1" }, { "w00000-Flag", "N" },
    };
    static const struct hj212_kv hist[] = { { "BeginTime", "20040516000000" },
                                            { "EndTime", "20040516010000" } };
    static const struct hj212_kv odd[] = { { "SB1-RS", "1" }, { "SB2-RS", "0" }, { "x", NULL } };
    char out[512];
    size_t len = 99;

    (void)state;
    assert_int_equal(HJ212_OK, hj212_cp_format(out, sizeof(out), v11, 6, HJ212_V2017, &len));
    assert_string_equal("DataTime=20160801080000;w00000-Cou=63.0,w00000-Min=16.4,"
                        "w00000-Avg=17.5,w00000-Max=20.1,w00000-Flag=N", out);
    assert_int_equal(strlen(out), len);
    assert_int_equal(HJ212_OK, hj212_cp_format(out, sizeof(out), hist, 2, HJ212_V2017, &len));
    assert_string_equal("BeginTime=20040516000000;EndTime=20040516010000", out);
    assert_int_equal(HJ212_OK, hj212_cp_format(out, sizeof(out), hist, 2, HJ212_V2005, &len));
    assert_string_equal("BeginTime=20040516000000,EndTime=20040516010000", out);
    assert_int_equal(HJ212_OK, hj212_cp_format(out, sizeof(out), odd, 3, HJ212_V2017, &len));
    assert_string_equal("SB1-RS=1;SB2-RS=0;x", out);
    assert_int_equal(HJ212_OK, hj212_cp_format(out, sizeof(out), NULL, 0, HJ212_V2017, &len));
    assert_string_equal("", out);
    assert_int_equal(HJ212_ESPACE, hj212_cp_format(out, 10, v11, 6, HJ212_V2017, &len));
}

static void
format_refuses_what_cannot_be_read_back(void **state)
{
    static const struct hj212_kv bad[][1] = {
        { { "", "1" } },          { { "a;b", "1" } },     { { "a=b", "1" } },
        { { "a", "1;2" } },       { { "a", "1,2" } },     { { "a", "x&&y" } },
        { { "a", "line\nbreak" } }, { { "a&", "1" } },   { { NULL, "1" } },
        { { " a", "1" } },        { { "a", "1 " } },      { { "a\t", "1" } },
    };
    static const struct hj212_kv ok[] = { { "i11001-Info", "//a;b,c=d//" } };
    char out[64];
    size_t len = 7;

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(HJ212_EINVAL, hj212_cp_format(out, sizeof(out), bad[i], 1,
                                                       HJ212_V2017, &len));
    assert_int_equal(7, len);
    assert_int_equal(HJ212_OK, hj212_cp_format(out, sizeof(out), ok, 1, HJ212_V2017, &len));
    assert_string_equal("i11001-Info=//a;b,c=d//", out);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(items_follow_the_table),
        cmocka_unit_test(fast_path_equals_bytewise),
        cmocka_unit_test(get_finds_the_first),
        cmocka_unit_test(format_groups_as_the_standard),
        cmocka_unit_test(format_refuses_what_cannot_be_read_back),
    };
    return cmocka_run_group_tests_name("hj212/cp", tests, NULL, NULL);
}
