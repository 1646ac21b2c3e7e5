/* SPDX-License-Identifier: MIT */
/*
 * libhj212 requests (HJ 212-2017 Appendix C): the standard's own request examples (vectors
 * 1, 2, 6, 7 and 8 of reference/hj212.md 2.5) come out byte for byte; every builder parses
 * back with its CN and Flag; values outside the field table are refused; QN from ms.
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
#include <hj212/request.h>

#include "unit/hj212/vectors.h"

#define QN_MS 1470013137223LL           /* 2016-08-01 08:58:57.223 CST, the examples' QN */
#define T_0800 1470009600LL             /* 2016-08-01 08:00:00 CST */
#define T_EX 1470013137LL               /* 2016-08-01 08:58:57 CST */
#define MN "010000A8900016F000169DC0"

static void
equals_vector(size_t v, const char *out, size_t len)
{
    char want[512];
    size_t n = vector_frame(v, want, sizeof(want));

    assert_int_equal(n, len);
    assert_memory_equal(want, out, n);
}

static void
standard_examples_exactly(void **state)
{
    struct hj212_req r = { HJ212_V2017, QN_MS, "32", "100000", MN, 0 };
    char out[512];
    size_t len;

    (void)state;
    assert_int_equal(HJ212_OK, hj212_req_set_rtd_interval(out, sizeof(out), &r, 30, &len));
    equals_vector(0, out, len);
    r.pw = "123456";
    assert_int_equal(HJ212_OK, hj212_req_set_timeout(out, sizeof(out), &r, 5, 3, &len));
    equals_vector(1, out, len);
    assert_int_equal(HJ212_OK, hj212_req_set_time(out, sizeof(out), &r, "w01018", T_EX, &len));
    equals_vector(5, out, len);
    assert_int_equal(HJ212_OK,
                     hj212_req_history(out, sizeof(out), &r, 2061, T_0800, T_0800, &len));
    equals_vector(6, out, len);
    assert_int_equal(HJ212_OK, hj212_req_set_password(out, sizeof(out), &r, "654321", &len));
    equals_vector(7, out, len);
}

/* Each builder's packet parses back with the CN, Flag and CP the standard gives it. */
static void
every_request_parses_back(void **state)
{
    struct hj212_req r17 = { HJ212_V2017, QN_MS, "32", "123456", MN, 0 };
    struct hj212_req r05 = { HJ212_V2005, QN_MS, "32", "123456", "88888880000001", 0 };
    struct hj212_req quiet = { HJ212_V2017, QN_MS, "32", "123456", MN, 1 };
    static const struct {
        int         which, v2005, cn, flag;
        const char *cp;
    } t[] = {
        { 0, 0, 1000, 5, "OverTime=10;ReCount=3" },
        { 1, 0, 1011, 5, "PolId=w01018" },
        { 2, 0, 1011, 5, "" },
        { 3, 0, 1012, 5, "SystemTime=20160801085857" },
        { 4, 0, 1061, 5, "" },
        { 5, 0, 1063, 5, "" },
        { 6, 0, 1064, 5, "MinInterval=10" },
        { 7, 0, 2011, 5, "" },
        { 8, 0, 2012, 5, "" },
        { 9, 0, 2021, 5, "" },
        { 10, 0, 2022, 5, "" },
        { 11, 0, 2051, 5, "BeginTime=20160801080000;EndTime=20160801085857" },
        { 12, 0, 3011, 5, "PolId=w01018" },
        { 13, 0, 3015, 5, "" },
        { 14, 0, 3016, 5, "PolId=w01018;CstartTime=013000;Ctime=2" },
        { 15, 0, 3019, 5, "PolId=w01018" },
        { 16, 0, 3020, 5, "PolId=w01018;InfoId=i11001" },
        { 17, 0, 3020, 5, "PolId=w01018;InfoId=i11001;BeginTime=20160801080000;"
                          "EndTime=20160801085857" },
        { 18, 0, 3021, 5, "PolId=w01018;InfoId=i13004;i13004-Info=168" },
        { 19, 1, 1000, 1, "OverTime=300;ReCount=3" },
        { 20, 1, 2061, 1, "BeginTime=20160801080000,EndTime=20160801085857" },
        { 21, 1, 1072, 1, "PW=654321" },
        { 22, 1, 3012, 1, "PolId=011" },
        { 23, 0, 2011, 4, "" },
    };
    char out[512], cn[8];
    struct hj212_pkt p;
    size_t len;
    int rc = -99;

    (void)state;
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        const struct hj212_req *r = t[i].v2005 ? &r05 : &r17;

        switch (t[i].which) {
        case 0: rc = hj212_req_set_timeout(out, sizeof(out), r, 10, 3, &len); break;
        case 1: rc = hj212_req_get_time(out, sizeof(out), r, "w01018", &len); break;
        case 2: rc = hj212_req_get_time(out, sizeof(out), r, NULL, &len); break;
        case 3: rc = hj212_req_set_time(out, sizeof(out), r, NULL, T_EX, &len); break;
        case 4: rc = hj212_req_get_rtd_interval(out, sizeof(out), r, &len); break;
        case 5: rc = hj212_req_get_min_interval(out, sizeof(out), r, &len); break;
        case 6: rc = hj212_req_set_min_interval(out, sizeof(out), r, 10, &len); break;
        case 7: rc = hj212_req_rtd(out, sizeof(out), r, 1, &len); break;
        case 8: rc = hj212_req_rtd(out, sizeof(out), r, 0, &len); break;
        case 9: rc = hj212_req_status(out, sizeof(out), r, 1, &len); break;
        case 10: rc = hj212_req_status(out, sizeof(out), r, 0, &len); break;
        case 11: rc = hj212_req_history(out, sizeof(out), r, 2051, T_0800, T_EX, &len); break;
        case 12: rc = hj212_req_control(out, sizeof(out), r, 3011, "w01018", &len); break;
        case 13: rc = hj212_req_control(out, sizeof(out), r, 3015, NULL, &len); break;
        case 14:
            rc = hj212_req_set_sampling(out, sizeof(out), r, "w01018", 5400, 2, &len);
            break;
        case 15: rc = hj212_req_control(out, sizeof(out), r, 3019, "w01018", &len); break;
        case 16:
            rc = hj212_req_get_info(out, sizeof(out), r, "w01018", "i11001", -1, -1, &len);
            break;
        case 17:
            rc = hj212_req_get_info(out, sizeof(out), r, "w01018", "i11001", T_0800, T_EX, &len);
            break;
        case 18:
            rc = hj212_req_set_info(out, sizeof(out), r, "w01018", "i13004", "168", &len);
            break;
        case 19: rc = hj212_req_set_timeout(out, sizeof(out), r, 300, 3, &len); break;
        case 20: rc = hj212_req_history(out, sizeof(out), r, 2061, T_0800, T_EX, &len); break;
        case 21: rc = hj212_req_set_password(out, sizeof(out), r, "654321", &len); break;
        case 22: rc = hj212_req_control(out, sizeof(out), r, 3012, "011", &len); break;
        case 23: rc = hj212_req_rtd(out, sizeof(out), &quiet, 1, &len); break;
        }
        assert_int_equal(HJ212_OK, rc);
        assert_int_equal(HJ212_OK, hj212_pkt_parse(out, len, &p));
        assert_true(p.crc_ok && p.length_ok);
        assert_int_equal(0, p.warnings & ~(uint32_t)HJ212_W_MN_FORMAT);
        snprintf(cn, sizeof(cn), "%d", t[i].cn);
        assert_true(p.cn.len == 4 && memcmp(cn, p.cn.ptr, 4) == 0);
        assert_int_equal(t[i].flag, p.flag);
        assert_int_equal(strlen(t[i].cp), p.cp.len);
        assert_memory_equal(t[i].cp, p.cp.ptr, p.cp.len);
        assert_true(p.qn.len == 17 && memcmp(p.qn.ptr, "20160801085857223", 17) == 0);
    }
}

static void
values_outside_the_table_are_refused(void **state)
{
    struct hj212_req r17 = { HJ212_V2017, QN_MS, "32", "123456", MN, 0 };
    struct hj212_req r05 = { HJ212_V2005, QN_MS, "32", "123456", MN, 0 };
    struct hj212_req bad = { (enum hj212_version)1999, QN_MS, "32", "123456", MN, 0 };
    char out[512];
    size_t len = 5;

    (void)state;
    assert_int_equal(HJ212_EINVAL, hj212_req_set_timeout(out, sizeof(out), &r17, 100, 3, &len));
    assert_int_equal(HJ212_EINVAL, hj212_req_set_timeout(out, sizeof(out), &r17, 5, 0, &len));
    assert_int_equal(HJ212_EINVAL, hj212_req_set_rtd_interval(out, sizeof(out), &r17, 29, &len));
    assert_int_equal(HJ212_EINVAL,
                     hj212_req_set_rtd_interval(out, sizeof(out), &r17, 3601, &len));
    assert_int_equal(HJ212_EINVAL, hj212_req_set_min_interval(out, sizeof(out), &r17, 7, &len));
    assert_int_equal(HJ212_EINVAL, hj212_req_get_min_interval(out, sizeof(out), &r05, &len));
    assert_int_equal(HJ212_EINVAL,
                     hj212_req_set_password(out, sizeof(out), &r17, "1234567", &len));
    assert_int_equal(HJ212_EINVAL, hj212_req_set_password(out, sizeof(out), &r17, "ab;c", &len));
    assert_int_equal(HJ212_EINVAL,
                     hj212_req_history(out, sizeof(out), &r17, 2061, T_EX, T_0800, &len));
    assert_int_equal(HJ212_EINVAL,
                     hj212_req_history(out, sizeof(out), &r17, 2011, T_0800, T_EX, &len));
    assert_int_equal(HJ212_EINVAL,
                     hj212_req_control(out, sizeof(out), &r05, 3013, "011", &len));
    assert_int_equal(HJ212_EINVAL,
                     hj212_req_control(out, sizeof(out), &r17, 3099, "w01018", &len));
    assert_int_equal(HJ212_EINVAL,
                     hj212_req_control(out, sizeof(out), &r17, 3015, "w01018", &len));
    assert_int_equal(HJ212_EINVAL, hj212_req_control(out, sizeof(out), &r17, 3011, NULL, &len));
    assert_int_equal(HJ212_EINVAL, hj212_req_get_time(out, sizeof(out), &r05, "011", &len));
    assert_int_equal(HJ212_EINVAL,
                     hj212_req_set_sampling(out, sizeof(out), &r17, "w01018", 86400, 2, &len));
    assert_int_equal(HJ212_EINVAL,
                     hj212_req_set_sampling(out, sizeof(out), &r17, "w01018", 0, 25, &len));
    assert_int_equal(HJ212_EINVAL, hj212_req_get_info(out, sizeof(out), &r17, "w01018", "x11001",
                                                      -1, -1, &len));
    assert_int_equal(HJ212_EINVAL,
                     hj212_req_set_info(out, sizeof(out), &r17, "w01018", "i13004", NULL, &len));
    assert_int_equal(HJ212_EINVAL, hj212_req_rtd(out, sizeof(out), &bad, 1, &len));
    assert_int_equal(HJ212_ESPACE, hj212_req_rtd(out, 20, &r17, 1, &len));
    assert_int_equal(5, len);
}

static void
qn_from_milliseconds(void **state)
{
    char qn[HJ212_QN_LEN + 1], t[15];
    int64_t ms = 0;

    (void)state;
    assert_int_equal(HJ212_OK, hj212_qn_format(QN_MS, qn));
    assert_string_equal("20160801085857223", qn);
    assert_int_equal(HJ212_OK, hj212_qn_format(0, qn));
    assert_string_equal("19700101080000000", qn);
    assert_int_equal(HJ212_OK, hj212_qn_parse((struct hj212_str){ "20160801085857223", 17 },
                                              &ms));
    assert_int_equal(QN_MS, ms);
    assert_int_equal(HJ212_OK, hj212_qn_parse((struct hj212_str){ "20240229235959999", 17 },
                                              &ms));
    assert_int_equal(HJ212_OK, hj212_qn_format(ms, qn));
    assert_string_equal("20240229235959999", qn);
    assert_int_equal(HJ212_ESYNTAX, hj212_qn_parse((struct hj212_str){ "20230229000000000", 17 },
                                                   &ms));
    assert_int_equal(HJ212_ESYNTAX, hj212_qn_parse((struct hj212_str){ "2016080108585722", 16 },
                                                   &ms));
    assert_int_equal(HJ212_ESYNTAX, hj212_qn_parse((struct hj212_str){ "2016080124585722x", 17 },
                                                   &ms));
    assert_int_equal(HJ212_OK, hj212_time_format(T_0800, t));
    assert_string_equal("20160801080000", t);
    assert_int_equal(HJ212_EINVAL, hj212_time_format(-1, t));
    assert_int_equal(HJ212_EINVAL, hj212_qn_format(-1, qn));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(standard_examples_exactly),
        cmocka_unit_test(every_request_parses_back),
        cmocka_unit_test(values_outside_the_table_are_refused),
        cmocka_unit_test(qn_from_milliseconds),
    };
    return cmocka_run_group_tests_name("hj212/request", tests, NULL, NULL);
}
