/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the stream reader. The input (after 3 control bytes: the bound on the
 * segment, and a chunk size) is fed whole, then in chunks, then byte by byte. Invariants:
 * every feeding gives the same events; events come in stream order without overlap; a packet's
 * frame is exactly the stream's bytes at its offset; after HJ212_EAGAIN there is room to
 * feed; the reader never holds more than its bound.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hj212/hj212.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c)                                                                               \
    do {                                                                                       \
        if (!(c))                                                                              \
            __builtin_trap();                                                                  \
    } while (0)

#define MAX_EV 4096

struct ev {
    int      rc;
    uint64_t off;
    size_t   len;
    uint32_t warnings;
};

struct run {
    struct ev ev[MAX_EV];
    size_t    n;
};

static void
drain(struct hj212_reader *r, const char *stream, size_t size, size_t cap, struct run *out)
{
    struct hj212_pkt p;
    uint64_t off;
    int rc;

    while ((rc = hj212_reader_next(r, &p, &off)) != HJ212_EAGAIN) {
        struct ev e = { rc, off, rc == HJ212_OK ? p.frame.len : 0,
                        rc == HJ212_OK ? p.warnings : 0 };

        CHECK(rc == HJ212_OK || rc == HJ212_EFRAME || rc == HJ212_ETOOBIG ||
              rc == HJ212_ESYNTAX || rc == HJ212_ETRUNC);
        CHECK(off < size);
        if (out->n > 0)
            CHECK(off >= out->ev[out->n - 1].off + out->ev[out->n - 1].len);
        if (rc == HJ212_OK) {
            CHECK(p.frame.len <= cap && off + p.frame.len <= size);
            CHECK(memcmp(p.frame.ptr, stream + off, p.frame.len) == 0);
        }
        if (out->n < MAX_EV)
            out->ev[out->n++] = e;
    }
    CHECK(hj212_reader_space(r) > 0);
    CHECK(hj212_reader_space(r) <= cap);
}

static void
feed(const char *s, size_t size, size_t max_seg, size_t step, struct run *out)
{
    struct hj212_reader *r;
    size_t at = 0, cap;

    out->n = 0;
    if (hj212_reader_create(max_seg, &r) != HJ212_OK)
        __builtin_trap();
    cap = hj212_reader_space(r);
    CHECK(cap <= max_seg + HJ212_FRAME_OVERHEAD + 64);
    while (at < size) {
        size_t k = hj212_reader_space(r);

        if (k > step)
            k = step;
        if (k > size - at)
            k = size - at;
        CHECK(hj212_reader_feed(r, s + at, k) == HJ212_OK);
        at += k;
        drain(r, s, size, cap, out);
    }
    hj212_reader_eof(r);
    drain(r, s, size, cap, out);
    hj212_reader_destroy(r);
}

static void
same(const struct run *a, const struct run *b)
{
    CHECK(a->n == b->n);
    for (size_t i = 0; i < a->n; i++)
        CHECK(a->ev[i].rc == b->ev[i].rc && a->ev[i].off == b->ev[i].off &&
              a->ev[i].len == b->ev[i].len && a->ev[i].warnings == b->ev[i].warnings);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct run whole, cut, bytes;
    size_t max_seg, step;
    char *s;

    if (size < 3)
        return 0;
    max_seg = 1 + (((size_t)data[0] << 8 | data[1]) % HJ212_SEG_MAX);
    step = 1 + data[2] % 97;
    s = malloc(size - 3 ? size - 3 : 1);
    if (s == NULL)
        return 0;
    memcpy(s, data + 3, size - 3);
    feed(s, size - 3, max_seg, (size_t)-1, &whole);
    feed(s, size - 3, max_seg, step, &cut);
    same(&whole, &cut);
    if (size < 2000) {
        feed(s, size - 3, max_seg, 1, &bytes);
        same(&whole, &bytes);
    }
    free(s);
    return 0;
}
