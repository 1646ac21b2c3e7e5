/* SPDX-License-Identifier: MIT */
/*
 * libhj212 code tables: every row is found by its lookup (so the binary searches see sorted
 * tables), and rows of the standards' tables (reference/hj212.md sections 4 and 6) read back
 * with the values printed there.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <hj212/codes.h>

static struct hj212_str
S(const char *s)
{
    return (struct hj212_str){ s, strlen(s) };
}

static void
every_row_is_found(void **state)
{
    size_t n;
    const struct hj212_st_code *st = hj212_st_table(&n);

    (void)state;
    for (size_t i = 0; i < n; i++)
        assert_ptr_equal(&st[i], hj212_st_find(S(st[i].code)));
    const struct hj212_factor *f = hj212_factor_table(&n);
    assert_true(n >= 190);
    for (size_t i = 0; i < n; i++)
        assert_ptr_equal(&f[i], hj212_factor_find(S(f[i].code)));
    const struct hj212_code_2005 *c = hj212_code_2005_table(&n);
    for (size_t i = 0; i < n; i++) {
        assert_ptr_equal(&c[i], hj212_code_2005_find(S(c[i].code_2005)));
        /* Every 2017 equivalent exists, and names this 2005 code as its original. */
        if (c[i].code_2017 != NULL) {
            const struct hj212_factor *g = hj212_factor_find(S(c[i].code_2017));

            assert_non_null(g);
            assert_non_null(g->code_2005);
            assert_string_equal(c[i].code_2005, g->code_2005);
        }
    }
    const struct hj212_info_code *ic = hj212_info_table(&n);
    for (size_t i = 0; i < n; i++)
        assert_ptr_equal(&ic[i], hj212_info_find(S(ic[i].code)));
    for (int v = 0; v < 2; v++) {
        const struct hj212_cn_code *cn = hj212_cn_table(v ? HJ212_V2017 : HJ212_V2005, &n);

        for (size_t i = 0; i < n; i++)
            assert_ptr_equal(&cn[i], hj212_cn_find(v ? HJ212_V2017 : HJ212_V2005, cn[i].cn));
    }
}

static void
rows_read_back_as_printed(void **state)
{
    const struct hj212_factor *f;
    const struct hj212_code_2005 *c;
    const struct hj212_cn_code *cn;

    (void)state;
    f = hj212_factor_find(S("w01018"));
    assert_string_equal("化学需氧量", f->name_zh);
    assert_string_equal("mg/L", f->unit);
    assert_string_equal("kg", f->amount_unit);
    assert_string_equal("N5.1", f->type);
    assert_string_equal("011", f->code_2005);
    assert_int_equal(HJ212_FACTOR_WATER, f->kind);
    f = hj212_factor_find(S("a21026"));
    assert_string_equal("二氧化硫", f->name_zh);
    assert_string_equal("mg/m3", f->unit);
    f = hj212_factor_find(S("a34004"));
    assert_true(f->flags & HJ212_FACTOR_UNIT_SUSPECT);
    f = hj212_factor_find(S("a05024"));
    assert_true(f->flags & HJ212_FACTOR_UNLISTED);
    f = hj212_factor_find(S("Leq"));
    assert_string_equal("dB", f->unit);
    assert_null(hj212_factor_find(S("w99999")));
    assert_null(hj212_factor_find((struct hj212_str){ NULL, 0 }));
    /* 2005 -> 2017 with the unit changes of reference 6. */
    c = hj212_code_2005_find(S("011"));
    assert_string_equal("w01018", c->code_2017);
    assert_true(c->to_2017 == 1.0 && c->unit_2005 == NULL);
    c = hj212_code_2005_find(S("020"));
    assert_string_equal("w20111", c->code_2017);
    assert_string_equal("mg/L", c->unit_2005);
    assert_true(c->to_2017 == 1000.0);
    c = hj212_code_2005_find(S("041"));
    assert_true(c->to_2017 == 1e6);
    c = hj212_code_2005_find(S("S02"));
    assert_true(c->to_2017 == 0.0);
    c = hj212_code_2005_find(S("S08"));
    assert_string_equal("a01013", c->code_2017);
    assert_true(c->to_2017 == 1000.0);
    assert_null(hj212_code_2005_find(S("B03"))->code_2017);
    /* ST and CN. */
    assert_string_equal("空气质量监测", hj212_st_find(S("22"))->name_zh);
    assert_int_equal(HJ212_IN_2017, hj212_st_find(S("39"))->versions);
    assert_null(hj212_st_find(S("80")));
    cn = hj212_cn_find(HJ212_V2017, 1000);
    assert_int_equal(HJ212_DIR_P2F, cn->dir);
    assert_int_equal(HJ212_KIND_REQUEST, cn->kinds);
    cn = hj212_cn_find(HJ212_V2017, 1013);
    assert_int_equal(HJ212_DIR_F2P, cn->dir);
    assert_int_equal(HJ212_KIND_NOTICE, cn->kinds);
    assert_string_equal("NewPW", hj212_cn_find(HJ212_V2017, 1072)->cp);
    assert_string_equal("PW", hj212_cn_find(HJ212_V2005, 1072)->cp);
    assert_non_null(hj212_cn_find(HJ212_V2005, 2072));
    assert_null(hj212_cn_find(HJ212_V2017, 2072));  /* removed in 2017 */
    assert_null(hj212_cn_find(HJ212_V2005, 1063));  /* new in 2017 */
    assert_null(hj212_cn_find(HJ212_V_UNKNOWN, 2011));
    /* Flags and reply codes. */
    assert_null(hj212_data_flag_find('B')->meaning_2005);
    assert_null(hj212_data_flag_find('P')->meaning_2017);
    assert_non_null(hj212_data_flag_find('N')->meaning_2017);
    assert_null(hj212_data_flag_find('Z'));
    assert_int_equal(HJ212_IN_2017, hj212_qnrtn_find(9)->versions);
    assert_string_equal("CRC error", hj212_qnrtn_find(9)->meaning);
    assert_string_equal("no data", hj212_exertn_find(100)->meaning);
    assert_null(hj212_exertn_find(7));
    assert_string_equal("blow-back", hj212_run_state_find(5)->meaning);
    assert_string_equal("C890", hj212_info_find(S("i11001"))->type);
    assert_non_null(hj212_info_find(S("i33349")));
    assert_non_null(hj212_info_find(S("I33400")));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_row_is_found),
        cmocka_unit_test(rows_read_back_as_printed),
    };
    return cmocka_run_group_tests_name("hj212/codes", tests, NULL, NULL);
}
