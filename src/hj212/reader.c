/* SPDX-License-Identifier: MIT */
/*
 * The stream reader: frames from arbitrary TCP chunks (reference/hj212.md section 11.1). It
 * buffers at most max_seg + a small constant bytes, so a hostile or broken peer cannot grow
 * its memory; white space between frames is skipped silently; any other bytes that are not a
 * frame form a "garbage run", reported once as an error with the run's first offset when the
 * next frame starts (or at the end of the stream); the packet after a run carries the
 * garbage-skipped warning. A "##" that turns out to start no frame is skipped by one byte,
 * so a frame that starts inside a broken one is still found.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define SLACK 64                        /* room beyond the largest frame for tails and blanks */

struct hj212_reader {
    size_t   max_seg, cap;
    size_t   head, tail;                /* buffered bytes are buf[head..tail) */
    uint64_t pos0;                      /* stream offset of buf[0] */
    uint64_t run_start;                 /* stream offset of the open garbage run */
    int      run_err;                   /* 0: no run open */
    int      eof;
    int      garbage_seen;              /* a run was reported since the last packet */
    char     buf[];
};

int
hj212_reader_create(size_t max_seg, struct hj212_reader **out)
{
    struct hj212_reader *r;
    size_t cap = max_seg + HJ212_FRAME_OVERHEAD + SLACK;

    if (out == NULL || max_seg == 0 || max_seg > HJ212_SEG_MAX)
        return HJ212_EINVAL;
    r = malloc(sizeof(*r) + cap);
    if (r == NULL)
        return HJ212_ENOMEM;
    memset(r, 0, sizeof(*r));
    r->max_seg = max_seg;
    r->cap = cap;
    *out = r;
    return HJ212_OK;
}

void
hj212_reader_destroy(struct hj212_reader *r)
{
    free(r);
}

size_t
hj212_reader_space(const struct hj212_reader *r)
{
    return r->cap - (r->tail - r->head);
}

int
hj212_reader_feed(struct hj212_reader *r, const void *data, size_t len)
{
    if (r == NULL || (data == NULL && len > 0) || r->eof)
        return HJ212_EINVAL;
    if (len > hj212_reader_space(r))
        return HJ212_ETOOBIG;
    if (len > r->cap - r->tail) {
        memmove(r->buf, r->buf + r->head, r->tail - r->head);
        r->pos0 += r->head;
        r->tail -= r->head;
        r->head = 0;
    }
    if (len > 0)
        memcpy(r->buf + r->tail, data, len);
    r->tail += len;
    return HJ212_OK;
}

void
hj212_reader_eof(struct hj212_reader *r)
{
    r->eof = 1;
}

static void
open_run(struct hj212_reader *r, int err)
{
    if (r->run_err != 0)
        return;
    r->run_err = err;
    r->run_start = r->pos0 + r->head;
}

static int
close_run(struct hj212_reader *r, uint64_t *offset)
{
    int err = r->run_err;

    *offset = r->run_start;
    r->run_err = 0;
    r->garbage_seen = 1;
    return err;
}

/* A frame at head: returns HJ212_OK/an error to report, or HJ212_EAGAIN, or 1 to go on. */
static int
take_frame(struct hj212_reader *r, struct hj212_pkt *pkt, uint64_t *offset)
{
    struct hj212__frame f;
    const char *b = r->buf + r->head;
    size_t avail = r->tail - r->head;
    int err, rc, found = hj212__frame_find(b, avail, r->eof, r->max_seg, &f, &err);

    if (found == HJ212__MORE && avail == r->cap) {
        /* Cannot happen with cap > max_seg + 22; never wait with a full buffer regardless. */
        found = HJ212__BAD;
        err = HJ212_ETOOBIG;
    }
    if (found == HJ212__BAD) {
        open_run(r, err);
        r->head++;
        return 1;
    }
    /* An open garbage run is reported only once the frame after it is certain, so that the
     * events do not depend on where the stream was cut. */
    if (found == HJ212__MORE)
        return HJ212_EAGAIN;
    if (r->run_err != 0)
        return close_run(r, offset);    /* report the garbage before this frame */
    *offset = r->pos0 + r->head;
    rc = hj212__pkt_from_frame(b, &f, pkt);
    r->head += f.end;
    if (rc == HJ212_OK && r->garbage_seen)
        pkt->warnings |= HJ212_W_GARBAGE;
    if (rc == HJ212_OK)
        r->garbage_seen = 0;
    return rc;
}

int
hj212_reader_next(struct hj212_reader *r, struct hj212_pkt *pkt, uint64_t *offset)
{
    if (r == NULL || pkt == NULL || offset == NULL)
        return HJ212_EINVAL;
    for (;;) {
        const char *b = r->buf + r->head, *h;
        size_t avail = r->tail - r->head;
        int rc;

        if (avail == 0)
            return r->run_err != 0 && r->eof ? close_run(r, offset) : HJ212_EAGAIN;
        if (r->run_err == 0 && hj212__is_space((unsigned char)*b)) {
            r->head++;
            continue;
        }
        if (*b == '#' && avail == 1 && !r->eof)
            return HJ212_EAGAIN;
        if (*b == '#' && avail >= 2 && b[1] == '#') {
            rc = take_frame(r, pkt, offset);
            if (rc != 1)
                return rc;
            continue;
        }
        open_run(r, HJ212_EFRAME);
        h = memchr(b + 1, '#', avail - 1);
        r->head += h != NULL ? (size_t)(h - b) : avail;
    }
}

int
hj212_reader_finish(struct hj212_reader *r, uint64_t *offset)
{
    const char *b;
    size_t avail, i;
    int err;

    if (r == NULL || offset == NULL)
        return HJ212_EINVAL;
    b = r->buf + r->head;
    avail = r->tail - r->head;
    for (i = 0; i < avail && r->run_err == 0 && hj212__is_space((unsigned char)b[i]); i++)
        ;
    if (r->run_err != 0) {
        err = close_run(r, offset);
    } else if (i < avail) {
        *offset = r->pos0 + r->head + i;
        err = avail - i >= 2 && b[i] == '#' && b[i + 1] == '#' ? HJ212_ETRUNC : HJ212_EFRAME;
    } else {
        err = HJ212_EAGAIN;
    }
    r->pos0 += r->tail;
    r->head = r->tail = 0;
    r->eof = 0;
    r->garbage_seen = 0;
    return err;
}
