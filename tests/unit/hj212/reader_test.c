/* SPDX-License-Identifier: MIT */
/*
 * libhj212 stream reader: the same traffic -- the standard's vectors with garbage, white space
 * and a cut frame between them -- fed in every possible split gives the same events, which
 * are also checked against the offsets the test laid out. Memory bounds, end of stream.
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

#define MAX_EV 64

struct ev {
    int      rc;
    uint64_t off;
    uint32_t warnings;
    size_t   len;
    unsigned crc;
};

struct run {
    struct ev ev[MAX_EV];
    size_t    n;
};

static void
record(struct run *r, int rc, uint64_t off, const struct hj212_pkt *p)
{
    assert_true(r->n < MAX_EV);
    r->ev[r->n++] = (struct ev){ rc, off, rc == HJ212_OK ? p->warnings : 0,
                                 rc == HJ212_OK ? p->frame.len : 0,
                                 rc == HJ212_OK ? p->crc_sent : 0 };
}

static void
drain(struct hj212_reader *rd, struct run *r)
{
    struct hj212_pkt p;
    uint64_t off;
    int rc;

    while ((rc = hj212_reader_next(rd, &p, &off)) != HJ212_EAGAIN) {
        record(r, rc, off, &p);
        if (rc == HJ212_OK) {
            assert_true(p.frame.len <= HJ212_FRAME_MAX + 64);
            assert_true(p.crc_ok);
        }
    }
    assert_true(hj212_reader_space(rd) > 0);   /* after EAGAIN there is always room */
}

/* Feeds data in the chunks cuts[] delimits (ascending, ending at n), then ends the stream. */
static void
feed_run(const char *data, size_t n, const size_t *cuts, size_t ncuts, size_t max_seg,
         struct run *r)
{
    struct hj212_reader *rd;
    size_t at = 0;

    r->n = 0;
    assert_int_equal(HJ212_OK, hj212_reader_create(max_seg, &rd));
    for (size_t c = 0; c <= ncuts; c++) {
        size_t to = c < ncuts ? cuts[c] : n;

        while (at < to) {
            size_t k = hj212_reader_space(rd);

            if (k > to - at)
                k = to - at;
            assert_int_equal(HJ212_OK, hj212_reader_feed(rd, data + at, k));
            at += k;
            drain(rd, r);
        }
    }
    hj212_reader_eof(rd);
    drain(rd, r);
    hj212_reader_destroy(rd);
}

static void
same_run(const struct run *a, const struct run *b)
{
    if (a->n != b->n)
        for (size_t i = 0; i < b->n; i++)
            print_error("event %zu: rc %d offset %llu\n", i, b->ev[i].rc,
                        (unsigned long long)b->ev[i].off);
    assert_int_equal(a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        assert_int_equal(a->ev[i].rc, b->ev[i].rc);
        assert_int_equal(a->ev[i].off, b->ev[i].off);
        assert_int_equal(a->ev[i].warnings, b->ev[i].warnings);
        assert_int_equal(a->ev[i].len, b->ev[i].len);
        assert_int_equal(a->ev[i].crc, b->ev[i].crc);
    }
}

/* The traffic and the events it must give. */
static size_t
build_traffic(char *buf, size_t cap, struct run *want)
{
    static const char *between[V_PACKETS] = {
        "junk before the first frame\n", "", "##99x", "\r\n\r\n", "#", "", "##0101QN=cut",
        "  \t", "", "garbage##", "",
    };
    size_t n = 0;

    want->n = 0;
    for (size_t i = 0; i < V_PACKETS; i++) {
        size_t g = strlen(between[i]), k;
        int garbage = g > 0 && strspn(between[i], " \t\r\n") != g;

        if (garbage)
            want->ev[want->n++] = (struct ev){ i == 6 ? HJ212_EFRAME : HJ212_EFRAME, n, 0, 0, 0 };
        memcpy(buf + n, between[i], g);
        n += g;
        k = vector_frame(i, buf + n, cap - n);
        want->ev[want->n++] = (struct ev){ HJ212_OK, n, garbage ? HJ212_W_GARBAGE : 0, k,
                                           vectors[i].crc };
        n += k;
    }
    memcpy(buf + n, "tail", 4);
    want->ev[want->n++] = (struct ev){ HJ212_EFRAME, n, 0, 0, 0 };
    return n + 4;
}

static void
every_split_gives_the_same_events(void **state)
{
    static char buf[4096];
    static struct run want, got;
    size_t n = build_traffic(buf, sizeof(buf), &want), cut[2];

    (void)state;
    feed_run(buf, n, NULL, 0, HJ212_SEG_MAX, &got);
    same_run(&want, &got);
    for (cut[0] = 1; cut[0] < n; cut[0]++) {            /* every split in two */
        feed_run(buf, n, cut, 1, HJ212_SEG_MAX, &got);
        same_run(&want, &got);
    }
    for (cut[0] = 1; cut[0] < n; cut[0] += 7)           /* splits in three */
        for (cut[1] = cut[0] + 1; cut[1] < n; cut[1] += 13) {
            feed_run(buf, n, cut, 2, HJ212_SEG_MAX, &got);
            same_run(&want, &got);
        }
}

static void
byte_by_byte(void **state)
{
    static char buf[4096];
    static struct run want, got;
    static size_t cuts[4096];
    size_t n = build_traffic(buf, sizeof(buf), &want);

    (void)state;
    for (size_t i = 0; i + 1 < n; i++)
        cuts[i] = i + 1;
    feed_run(buf, n, cuts, n - 1, HJ212_SEG_MAX, &got);
    same_run(&want, &got);
    /* A small bound that still holds every vector (the largest segment is 201 bytes). */
    feed_run(buf, n, cuts, n - 1, 201, &got);
    same_run(&want, &got);
}

/* A frame with the wrong length (characters, not bytes) is found by its line end, also when
 * another frame follows at once and when the stream pauses after it. */
static void
wrong_length_in_a_stream(void **state)
{
    char buf[1024];
    struct run got;
    size_t n, cut;

    (void)state;
    n = (size_t)snprintf(buf, sizeof(buf), "##0144%s9481\r\n", vectors[9].segment);
    n += vector_frame(0, buf + n, sizeof(buf) - n);
    feed_run(buf, n, NULL, 0, HJ212_SEG_MAX, &got);
    assert_int_equal(2, got.n);
    assert_int_equal(HJ212_W_LEN_CHARS, got.ev[0].warnings);
    assert_int_equal(0x9481, got.ev[0].crc);
    assert_int_equal(0x1C80, got.ev[1].crc);
    cut = n - vector_frame(0, buf + n, sizeof(buf) - n);
    feed_run(buf, n, &cut, 1, HJ212_SEG_MAX, &got);
    assert_int_equal(2, got.n);
    assert_int_equal(HJ212_W_LEN_CHARS, got.ev[0].warnings);
}

/* Declared lengths beyond the reader's bound are refused; the next frame is still found. */
static void
bound_by_the_length(void **state)
{
    static char buf[8192];
    struct run got;
    size_t n = 0;

    (void)state;
    n += (size_t)snprintf(buf, sizeof(buf), "##0300");
    memset(buf + n, 'a', 300);
    n += 300;
    n += vector_frame(0, buf + n, sizeof(buf) - n);
    feed_run(buf, n, NULL, 0, 200, &got);
    assert_int_equal(2, got.n);
    assert_int_equal(HJ212_ETOOBIG, got.ev[0].rc);
    assert_int_equal(0, got.ev[0].off);
    assert_int_equal(HJ212_OK, got.ev[1].rc);
    assert_int_equal(306, got.ev[1].off);
    assert_int_equal(HJ212_W_GARBAGE, got.ev[1].warnings);
}

/* A megabyte of bytes without "##" passes through a 100-byte reader as one error. */
static void
garbage_never_grows_memory(void **state)
{
    struct hj212_reader *rd;
    struct hj212_pkt p;
    char junk[97];
    uint64_t off = 1;
    size_t fed = 0;

    (void)state;
    memset(junk, 'z', sizeof(junk));
    assert_int_equal(HJ212_OK, hj212_reader_create(100, &rd));
    while (fed < (1u << 20)) {
        size_t k = hj212_reader_space(rd) < sizeof(junk) ? hj212_reader_space(rd) : sizeof(junk);

        assert_true(k > 0);
        assert_int_equal(HJ212_OK, hj212_reader_feed(rd, junk, k));
        fed += k;
        assert_int_equal(HJ212_EAGAIN, hj212_reader_next(rd, &p, &off));
        assert_true(hj212_reader_space(rd) >= 100);
    }
    assert_int_equal(HJ212_ETOOBIG, hj212_reader_feed(rd, junk, hj212_reader_space(rd) + 1));
    hj212_reader_eof(rd);
    assert_int_equal(HJ212_EFRAME, hj212_reader_next(rd, &p, &off));
    assert_int_equal(0, off);
    assert_int_equal(HJ212_EAGAIN, hj212_reader_next(rd, &p, &off));
    assert_int_equal(HJ212_EINVAL, hj212_reader_feed(rd, "x", 1));
    hj212_reader_destroy(rd);
}

static void
end_of_stream(void **state)
{
    struct hj212_reader *rd;
    struct hj212_pkt p;
    char buf[512];
    uint64_t off;
    size_t n = vector_frame(0, buf, sizeof(buf));

    (void)state;
    /* A last frame without its CR LF is a packet once the stream has ended. */
    assert_int_equal(HJ212_OK, hj212_reader_create(HJ212_SEG_MAX, &rd));
    assert_int_equal(HJ212_OK, hj212_reader_feed(rd, buf, n - 2));
    assert_int_equal(HJ212_EAGAIN, hj212_reader_next(rd, &p, &off));
    hj212_reader_eof(rd);
    assert_int_equal(HJ212_OK, hj212_reader_next(rd, &p, &off));
    assert_int_equal(HJ212_W_TAIL, p.warnings);
    assert_int_equal(HJ212_EAGAIN, hj212_reader_next(rd, &p, &off));
    /* finish() reports a cut frame and starts a new stream whose offsets continue. */
    assert_int_equal(HJ212_EAGAIN, hj212_reader_finish(rd, &off));
    assert_int_equal(HJ212_OK, hj212_reader_feed(rd, buf, 40));
    assert_int_equal(HJ212_EAGAIN, hj212_reader_next(rd, &p, &off));
    assert_int_equal(HJ212_ETRUNC, hj212_reader_finish(rd, &off));
    assert_int_equal(n - 2, off);
    assert_int_equal(HJ212_OK, hj212_reader_feed(rd, buf, n));
    assert_int_equal(HJ212_OK, hj212_reader_next(rd, &p, &off));
    assert_int_equal(n - 2 + 40, off);
    /* After eof, a cut frame is reported as truncated by next() itself. */
    assert_int_equal(HJ212_OK, hj212_reader_feed(rd, buf, 50));
    hj212_reader_eof(rd);
    assert_int_equal(HJ212_ETRUNC, hj212_reader_next(rd, &p, &off));
    assert_int_equal(2 * n - 2 + 40, off);
    hj212_reader_destroy(rd);
    hj212_reader_destroy(NULL);
}

static void
bad_arguments(void **state)
{
    struct hj212_reader *rd = NULL;

    (void)state;
    assert_int_equal(HJ212_EINVAL, hj212_reader_create(0, &rd));
    assert_int_equal(HJ212_EINVAL, hj212_reader_create(HJ212_SEG_MAX + 1, &rd));
    assert_null(rd);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_split_gives_the_same_events),
        cmocka_unit_test(byte_by_byte),
        cmocka_unit_test(wrong_length_in_a_stream),
        cmocka_unit_test(bound_by_the_length),
        cmocka_unit_test(garbage_never_grows_memory),
        cmocka_unit_test(end_of_stream),
        cmocka_unit_test(bad_arguments),
    };
    return cmocka_run_group_tests_name("hj212/reader", tests, NULL, NULL);
}
