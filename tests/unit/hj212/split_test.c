/* SPDX-License-Identifier: MIT */
/*
 * libhj212 split packets (HJ 212-2017 C.47-C.50, reference/hj212.md 7.6): reassembly of a
 * PNUM/PNO pair whose pieces have their own QN, in any order, with duplicates, conflicts,
 * timeouts and memory limits; splitting a message over 1024 bytes and reassembling it.
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
#include <hj212/split.h>

#include "unit/hj212/vectors.h"

#define PIECE2                                                                                 \
    "QN=20160801085857535;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=7;PNUM=2;"  \
    "PNO=2;CP=&&DataTime=20160801080000;w01018-Avg=17.5,w01018-Flag=N;w21003-Avg=0.52&&"

struct frame {
    char             buf[2048];
    struct hj212_pkt p;
};

static void
parse_seg(struct frame *f, const char *seg)
{
    size_t n = (size_t)snprintf(f->buf, sizeof(f->buf), "##%04zu%s%04X\r\n", strlen(seg), seg,
                                hj212_crc(seg, strlen(seg)));

    assert_int_equal(HJ212_OK, hj212_pkt_parse(f->buf, n, &f->p));
}

static void
parse_vector(struct frame *f, size_t i)
{
    assert_int_equal(HJ212_OK, hj212_pkt_parse(f->buf, vector_frame(i, f->buf, sizeof(f->buf)),
                                               &f->p));
}

static int
view_is(struct hj212_str v, const char *s)
{
    return v.ptr != NULL && v.len == strlen(s) && memcmp(v.ptr, s, v.len) == 0;
}

#define MERGED                                                                                 \
    "DataTime=20160801080000;w00000-Cou=63.0,w00000-Min=16.4,w00000-Avg=17.5,"                 \
    "w00000-Max=20.1,w00000-Flag=N;w01018-Avg=17.5,w01018-Flag=N;w21003-Avg=0.52"

static void
pair_in_either_order(void **state)
{
    static struct frame a, b;
    struct hj212_split *s;
    struct hj212_split_set set;
    enum hj212_split_status st;

    (void)state;
    parse_vector(&a, 10);
    parse_seg(&b, PIECE2);
    for (int order = 0; order < 2; order++) {
        assert_int_equal(HJ212_OK, hj212_split_create(NULL, &s));
        assert_int_equal(HJ212_OK, hj212_split_add(s, order ? &b.p : &a.p, 1000, &st, &set));
        assert_int_equal(HJ212_SPLIT_PENDING, st);
        assert_int_equal(1, hj212_split_pending(s, NULL));
        assert_int_equal(HJ212_OK, hj212_split_add(s, order ? &a.p : &b.p, 2000, &st, &set));
        assert_int_equal(HJ212_SPLIT_COMPLETE, st);
        assert_true(view_is(set.cp, MERGED));
        assert_true(view_is(set.qn, "20160801085857534"));     /* PNO 1's own QN */
        assert_true(view_is(set.data_time, "20160801080000"));
        assert_true(view_is(set.mn, "010000A8900016F000169DC0"));
        assert_true(view_is(set.cn, "2061"));
        assert_true(view_is(set.st, "32"));
        assert_int_equal(5, set.flag);                          /* D bit cleared */
        assert_int_equal(2, set.pnum);
        assert_int_equal(2, set.received);
        assert_int_equal(0, set.conflicts);
        assert_int_equal(HJ212_V2017, set.version);
        assert_int_equal(0, hj212_split_pending(s, NULL));
        hj212_split_destroy(s);
    }
}

static void
duplicates_and_conflicts(void **state)
{
    static struct frame a, b, c, other;
    struct hj212_split *s;
    struct hj212_split_set set;
    enum hj212_split_status st;
    size_t bytes = 1;

    (void)state;
    parse_vector(&a, 10);
    parse_seg(&b, PIECE2);
    /* A second PNO 1 of the same set, re-sent: ignored. A piece 2 that repeats a key of
     * piece 1 with another value: the first is kept and counted. */
    parse_seg(&c, "QN=20160801085857536;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;"
                  "Flag=7;PNUM=2;PNO=2;CP=&&DataTime=20160801080000;w00000-Avg=99.9;x=1&&");
    assert_int_equal(HJ212_OK, hj212_split_create(NULL, &s));
    assert_int_equal(HJ212_OK, hj212_split_add(s, &a.p, 0, &st, &set));
    assert_int_equal(HJ212_OK, hj212_split_add(s, &a.p, 0, &st, &set));
    assert_int_equal(HJ212_SPLIT_DUPLICATE, st);
    assert_int_equal(1, hj212_split_pending(s, &bytes));
    assert_true(bytes > strlen(vectors[10].segment) / 2);
    assert_int_equal(HJ212_OK, hj212_split_add(s, &c.p, 0, &st, &set));
    assert_int_equal(HJ212_SPLIT_COMPLETE, st);
    assert_int_equal(1, set.conflicts);
    assert_true(view_is(set.cp, "DataTime=20160801080000;w00000-Cou=63.0,w00000-Min=16.4,"
                                "w00000-Avg=17.5,w00000-Max=20.1,w00000-Flag=N;x=1"));
    /* Another DataTime is another set; the same set with another PNUM is refused. */
    parse_seg(&other, "QN=20160801095857534;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;"
                      "Flag=7;PNUM=3;PNO=1;CP=&&DataTime=20160801090000;a=1&&");
    assert_int_equal(HJ212_OK, hj212_split_add(s, &other.p, 0, &st, &set));
    assert_int_equal(HJ212_OK, hj212_split_add(s, &b.p, 0, &st, &set));
    assert_int_equal(2, hj212_split_pending(s, NULL));
    parse_seg(&other, "QN=20160801095857535;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;"
                      "Flag=7;PNUM=2;PNO=2;CP=&&DataTime=20160801090000;b=1&&");
    assert_int_equal(HJ212_ESYNTAX, hj212_split_add(s, &other.p, 0, &st, &set));
    assert_int_equal(HJ212_EINVAL, hj212_split_add(s, &c.p, 0, NULL, &set));
    other.p.pno = 4;
    assert_int_equal(HJ212_EINVAL, hj212_split_add(s, &other.p, 0, &st, &set));
    hj212_split_destroy(s);
    hj212_split_destroy(NULL);
}

static void
incomplete_sets_time_out(void **state)
{
    static struct frame a;
    struct hj212_split_limits lim = { 0, 0, 60000 };
    struct hj212_split *s;
    struct hj212_split_set set;
    enum hj212_split_status st;

    (void)state;
    parse_vector(&a, 10);
    assert_int_equal(HJ212_OK, hj212_split_create(&lim, &s));
    assert_int_equal(HJ212_OK, hj212_split_add(s, &a.p, 5000, &st, &set));
    assert_int_equal(HJ212_EAGAIN, hj212_split_expire(s, 64999, &set));
    assert_int_equal(HJ212_OK, hj212_split_expire(s, 65000, &set));
    assert_int_equal(1, set.received);
    assert_int_equal(2, set.pnum);
    assert_true(view_is(set.cp, "DataTime=20160801080000;w00000-Cou=63.0,w00000-Min=16.4,"
                                "w00000-Avg=17.5,w00000-Max=20.1,w00000-Flag=N"));
    assert_int_equal(HJ212_EAGAIN, hj212_split_expire(s, 99999999, &set));
    assert_int_equal(0, hj212_split_pending(s, NULL));
    hj212_split_destroy(s);
}

static void
memory_is_bounded(void **state)
{
    static struct frame a, b;
    struct hj212_split_limits one = { 1, 0, 0 }, tiny = { 0, 300, 0 };
    struct hj212_split *s;
    struct hj212_split_set set;
    enum hj212_split_status st = HJ212_SPLIT_DUPLICATE;

    (void)state;
    parse_vector(&a, 10);
    parse_seg(&b, "QN=20160801095857534;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;"
                  "Flag=7;PNUM=2;PNO=1;CP=&&DataTime=20160801090000;a=1&&");
    assert_int_equal(HJ212_OK, hj212_split_create(&one, &s));
    assert_int_equal(HJ212_OK, hj212_split_add(s, &a.p, 0, &st, &set));
    assert_int_equal(HJ212_ETOOBIG, hj212_split_add(s, &b.p, 0, &st, &set));
    hj212_split_destroy(s);
    assert_int_equal(HJ212_OK, hj212_split_create(&tiny, &s));
    assert_int_equal(HJ212_OK, hj212_split_add(s, &b.p, 0, &st, &set));
    assert_int_equal(HJ212_ETOOBIG, hj212_split_add(s, &a.p, 0, &st, &set));
    assert_int_equal(1, hj212_split_pending(s, NULL));
    hj212_split_destroy(s);
}

/* A message of 40 factors (about 3 KB) splits into pieces of at most 1024 bytes that are
 * each a standard packet and reassemble into the original item set. */
static void
split_and_reassemble(void **state)
{
    static char cp[8192], out[16384];
    static struct frame f;
    struct hj212_msg m = { "20160801085857534", "32", "2061", "123456",
                           "010000A8900016F000169DC0", 5, -1, -1, cp };
    size_t n = 0, len, pieces, plen[16], at = 0;
    struct hj212_split *s;
    struct hj212_split_set set;
    enum hj212_split_status st = HJ212_SPLIT_PENDING;

    (void)state;
    n += (size_t)snprintf(cp, sizeof(cp), "DataTime=20160801080000");
    for (int i = 0; i < 40; i++)
        n += (size_t)snprintf(cp + n, sizeof(cp) - n, ";w%05d-Cou=%d.5,w%05d-Min=1.0,"
                              "w%05d-Avg=2.0,w%05d-Max=3.0,w%05d-Flag=N", i, i, i, i, i, i);
    assert_int_equal(HJ212_OK, hj212_split_build(out, sizeof(out), &m, 0, plen, 16, &pieces,
                                                  &len));
    assert_true(pieces >= 3);
    assert_int_equal(HJ212_OK, hj212_split_create(NULL, &s));
    for (size_t i = 0; i < pieces; i++) {
        char qn[18];

        memcpy(f.buf, out + at, plen[i]);
        assert_int_equal(HJ212_OK, hj212_pkt_parse(f.buf, plen[i], &f.p));
        at += plen[i];
        assert_true(f.p.crc_ok && f.p.length_ok);
        assert_true(f.p.seg.len <= HJ212_SEG_STD_MAX);
        assert_int_equal(0, f.p.warnings);
        assert_int_equal(7, f.p.flag);
        assert_int_equal((int)pieces, f.p.pnum);
        assert_int_equal((int)i + 1, f.p.pno);
        snprintf(qn, sizeof(qn), "20160801085857%03zu", 534 + i);   /* QN + (PNO - 1) ms */
        assert_true(view_is(f.p.qn, qn));
        assert_memory_equal("DataTime=20160801080000;", f.p.cp.ptr, 24);
        assert_int_equal(HJ212_OK, hj212_split_add(s, &f.p, 0, &st, &set));
    }
    assert_int_equal(len, at);
    assert_int_equal(HJ212_SPLIT_COMPLETE, st);
    assert_int_equal(n, set.cp.len);
    assert_memory_equal(cp, set.cp.ptr, n);
    hj212_split_destroy(s);
}

static void
split_build_limits(void **state)
{
    static char cp[4096], out[8192], one[2048];
    struct hj212_msg m = { "20160801085857534", "32", "2061", "123456",
                           "010000A8900016F000169DC0", 5, -1, -1, "DataTime=20160801080000;a=1" };
    size_t len, len1, pieces, plen[4];

    (void)state;
    /* Fits: one packet, exactly what hj212_build writes. */
    assert_int_equal(HJ212_OK, hj212_split_build(out, sizeof(out), &m, 0, plen, 4, &pieces,
                                                 &len));
    assert_int_equal(1, pieces);
    assert_int_equal(HJ212_OK, hj212_build(one, sizeof(one), &m, &len1));
    assert_int_equal(len1, len);
    assert_memory_equal(one, out, len);
    /* One factor's group alone over the limit. */
    memset(cp, 0, sizeof(cp));
    memcpy(cp, "DataTime=20160801080000;a01001-Rtd=1", 36);
    for (size_t i = 36; i < 1500; i += 10)
        memcpy(cp + i, ",a01001-X=", 10);
    memcpy(cp + 1500, "1", 1);
    m.cp = cp;
    assert_int_equal(HJ212_ETOOBIG, hj212_split_build(out, sizeof(out), &m, 0, plen, 4, &pieces,
                                                      &len));
    /* Not enough room for the pieces' lengths. */
    for (size_t i = 36; i < 1500; i += 10)
        memcpy(cp + i, ";a01001-X=", 10);
    assert_int_equal(HJ212_ESPACE, hj212_split_build(out, sizeof(out), &m, 0, plen, 1, &pieces,
                                                     &len));
    m.pnum = 2;
    assert_int_equal(HJ212_EINVAL, hj212_split_build(out, sizeof(out), &m, 0, plen, 4, &pieces,
                                                     &len));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pair_in_either_order),
        cmocka_unit_test(duplicates_and_conflicts),
        cmocka_unit_test(incomplete_sets_time_out),
        cmocka_unit_test(memory_is_bounded),
        cmocka_unit_test(split_and_reassemble),
        cmocka_unit_test(split_build_limits),
    };
    return cmocka_run_group_tests_name("hj212/split", tests, NULL, NULL);
}
