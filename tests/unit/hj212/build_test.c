/* SPDX-License-Identifier: MIT */
/*
 * libhj212 builder: every vector of reference/hj212.md 2.5 rebuilt from its parse byte for
 * byte; the standard's replies (vectors 3-5 are the replies to 1-2 and 9) in 2017 form, and
 * the 2005 layouts of section 7.8; what the builder refuses.
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

#include "unit/hj212/vectors.h"

static char *
dup_view(char *buf, size_t cap, struct hj212_str v)
{
    if (v.ptr == NULL)
        return NULL;
    assert_true(v.len < cap);
    memcpy(buf, v.ptr, v.len);
    buf[v.len] = '\0';
    return buf;
}

static void
vectors_rebuild_exactly(void **state)
{
    char in[512], out[512], f[6][256];
    struct hj212_pkt p;
    struct hj212_msg m;
    size_t n, len;

    (void)state;
    for (size_t i = 0; i < V_PACKETS; i++) {
        n = vector_frame(i, in, sizeof(in));
        assert_int_equal(HJ212_OK, hj212_pkt_parse(in, n, &p));
        m = (struct hj212_msg){
            .qn = dup_view(f[0], 256, p.qn), .st = dup_view(f[1], 256, p.st),
            .cn = dup_view(f[2], 256, p.cn), .pw = dup_view(f[3], 256, p.pw),
            .mn = dup_view(f[4], 256, p.mn), .flag = p.flag, .pnum = p.pnum, .pno = p.pno,
            .cp = dup_view(f[5], 256, p.cp),
        };
        assert_int_equal(HJ212_OK, hj212_build(out, sizeof(out), &m, &len));
        assert_int_equal(n, len);
        assert_memory_equal(in, out, n);
        assert_int_equal('\0', out[len]);
    }
}

static void
build_reply_to(size_t vector, enum hj212_reply kind, int code, char *out, size_t cap,
               size_t *len)
{
    char in[512];
    struct hj212_pkt p;
    size_t n = vector_frame(vector, in, sizeof(in));

    assert_int_equal(HJ212_OK, hj212_pkt_parse(in, n, &p));
    assert_int_equal(HJ212_OK, hj212_build_reply(out, cap, &p, kind, code, len));
}

static void
replies_2017_are_the_standards(void **state)
{
    char want[512], out[512];
    size_t n, len;

    (void)state;
    build_reply_to(1, HJ212_REPLY_QN, 1, out, sizeof(out), &len);      /* C.1: 1000 -> 9011 */
    n = vector_frame(2, want, sizeof(want));
    assert_int_equal(n, len);
    assert_memory_equal(want, out, n);
    build_reply_to(1, HJ212_REPLY_EXE, 1, out, sizeof(out), &len);     /* 9012 */
    n = vector_frame(3, want, sizeof(want));
    assert_int_equal(n, len);
    assert_memory_equal(want, out, n);
    build_reply_to(8, HJ212_REPLY_DATA, 0, out, sizeof(out), &len);    /* 2081 -> 9014 */
    n = vector_frame(4, want, sizeof(want));
    assert_int_equal(n, len);
    assert_memory_equal(want, out, n);
}

/* Parses a segment framed by hj212_build-like code in the test, then replies to it. */
static void
reply_to_segment(const char *seg, enum hj212_reply kind, int code, const char *want_seg)
{
    char in[512], out[512], want[512];
    struct hj212_pkt p;
    size_t n = (size_t)snprintf(in, sizeof(in), "##%04zu%s%04X\r\n", strlen(seg), seg,
                                hj212_crc(seg, strlen(seg))),
           w = (size_t)snprintf(want, sizeof(want), "##%04zu%s%04X\r\n", strlen(want_seg),
                                want_seg, hj212_crc(want_seg, strlen(want_seg))),
           len;

    assert_int_equal(HJ212_OK, hj212_pkt_parse(in, n, &p));
    assert_int_equal(HJ212_OK, hj212_build_reply(out, sizeof(out), &p, kind, code, &len));
    out[len] = '\0';
    assert_string_equal(want, out);
    assert_int_equal(w, len);
}

static void
replies_2005_follow_its_examples(void **state)
{
    const char *req = "QN=20040516010101001;ST=32;CN=1012;PW=123456;MN=88888880000001;Flag=1;"
                      "CP=&&SystemTime=20040516010101&&";
    const char *up = "QN=20040516010101001;ST=32;CN=2051;PW=123456;MN=88888880000001;Flag=3;"
                     "PNUM=1;PNO=1;CP=&&DataTime=20040516010000;011-Avg=12.5&&";

    (void)state;
    reply_to_segment(req, HJ212_REPLY_QN, 1, "ST=91;CN=9011;PW=123456;MN=88888880000001;"
                                             "Flag=0;CP=&&QN=20040516010101001;QnRtn=1&&");
    reply_to_segment(req, HJ212_REPLY_EXE, 100, "ST=91;CN=9012;PW=123456;MN=88888880000001;"
                                                "CP=&&QN=20040516010101001;ExeRtn=100&&");
    reply_to_segment(req, HJ212_REPLY_NOTICE, 0, "ST=91;CN=9013;PW=123456;MN=88888880000001;"
                                                 "CP=&&QN=20040516010101001&&");
    reply_to_segment(up, HJ212_REPLY_DATA, 0,
                     "ST=91;CN=9014;CP=&&QN=20040516010101001;CN=2051;PNO=1;PNUM=1&&");
    /* A version this library does not know keeps its version bits. */
    reply_to_segment("QN=20250101000000001;ST=21;CN=2011;PW=1;MN=A;Flag=9;CP=&&&&",
                     HJ212_REPLY_DATA, 0,
                     "QN=20250101000000001;ST=91;CN=9014;PW=1;MN=A;Flag=8;CP=&&&&");
}

static void
refusals(void **state)
{
    static char big[HJ212_SEG_MAX + 16], out[HJ212_FRAME_MAX + 16];
    struct hj212_msg ok = { "20160801085857223", "32", "2011", "123456", "MN1", 5, -1, -1,
                            "a=1" },
                     m;
    char small[32];
    size_t len = 77;

    (void)state;
    m = ok;
    m.st = NULL;
    assert_int_equal(HJ212_EINVAL, hj212_build(out, sizeof(out), &m, &len));
    m = ok;
    m.mn = "bad;mn";
    assert_int_equal(HJ212_EINVAL, hj212_build(out, sizeof(out), &m, &len));
    m = ok;
    m.flag = 256;
    assert_int_equal(HJ212_EINVAL, hj212_build(out, sizeof(out), &m, &len));
    m = ok;
    m.pnum = 0;
    assert_int_equal(HJ212_EINVAL, hj212_build(out, sizeof(out), &m, &len));
    m = ok;
    m.cp = "a=1&&b=2";
    assert_int_equal(HJ212_EINVAL, hj212_build(out, sizeof(out), &m, &len));
    m = ok;
    memset(big, 'x', sizeof(big) - 1);
    m.cp = big;
    assert_int_equal(HJ212_ETOOBIG, hj212_build(out, sizeof(out), &m, &len));
    memset(small, '#', sizeof(small));
    assert_int_equal(HJ212_ESPACE, hj212_build(small, sizeof(small), &ok, &len));
    assert_int_equal(77, len);
    assert_int_equal('#', small[0]);                    /* nothing written */
    assert_int_equal(HJ212_EINVAL, hj212_build(out, sizeof(out), NULL, &len));
    assert_int_equal(HJ212_EINVAL, hj212_build_reply(out, sizeof(out), NULL, HJ212_REPLY_QN, 1,
                                                     &len));
}

/* Output is upper case, zero padded, CR LF, and the length counts UTF-8 bytes. */
static void
output_is_canonical(void **state)
{
    struct hj212_msg m = { "20160801085857223", "32", "3020", "123456",
                           "010000A8900016F000169DC0", 5, -1, -1,
                           "DataTime=20160801085857;PolId=w01018;i11001-Info=//\xe6\xb8\x85\xe6"
                           "\xb4\x97\xe7\xae\xa1\xe8\xb7\xaf//" };
    char out[512], want[512];
    size_t len, n = vector_frame(9, want, sizeof(want));

    (void)state;
    assert_int_equal(HJ212_OK, hj212_build(out, sizeof(out), &m, &len));
    assert_int_equal(n, len);
    assert_memory_equal(want, out, n);
    assert_memory_equal("##0152", out, 6);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vectors_rebuild_exactly),
        cmocka_unit_test(replies_2017_are_the_standards),
        cmocka_unit_test(replies_2005_follow_its_examples),
        cmocka_unit_test(refusals),
        cmocka_unit_test(output_is_canonical),
    };
    return cmocka_run_group_tests_name("hj212/build", tests, NULL, NULL);
}
