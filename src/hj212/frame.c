/* SPDX-License-Identifier: MIT */
/*
 * Finding one frame "##" LLLL <segment> CCCC CR LF in a buffer (reference/hj212.md sections 1
 * and 11). There is no escaping in HJ 212, so "##" inside data cannot be told from a frame
 * start except by the length: the frame is first looked for where its 4-digit length puts the
 * CRC and the tail. Only when that fails is the frame taken to end at its first line end,
 * which catches the real-world deviations: a wrong length (often a character count of Chinese
 * text), a CRC printed without its leading zero, a tail of bare LF. This file decides where
 * a frame lies; parse.c decides what it says.
 */
#include <string.h>

#include "internal.h"

/* Bytes that may follow the CRC instead of CR LF, with a warning: LF, CR, or the next "##". */
static int
tail_at(const char *b, size_t avail, int eof, size_t t, struct hj212__frame *f)
{
    if (t == avail) {
        if (!eof)
            return HJ212__MORE;
        f->end = t;
        f->warnings |= HJ212_W_TAIL;
        return HJ212__FOUND;
    }
    f->end = t + 1;
    if (b[t] == '\n') {
        f->warnings |= HJ212_W_TAIL;
        return HJ212__FOUND;
    }
    if (b[t] != '\r' && b[t] != '#')
        return HJ212__BAD;
    if (t + 1 == avail && !eof)
        return HJ212__MORE;
    if (b[t] == '\r') {
        if (t + 1 < avail && b[t + 1] == '\n') {
            f->end = t + 2;
            return HJ212__FOUND;
        }
    } else if (t + 1 < avail && b[t + 1] != '#') {
        return HJ212__BAD;
    } else {
        f->end = t;                     /* the next frame follows at once */
    }
    f->warnings |= HJ212_W_TAIL;
    return HJ212__FOUND;
}

/* (a) The frame where the length field says: 4 hex digits, then the tail. */
static int
by_length(const char *b, size_t avail, int eof, unsigned len, struct hj212__frame *f)
{
    size_t c = 6 + (size_t)len;

    if (avail < c + 4)
        return eof ? HJ212__BAD : HJ212__MORE;
    for (size_t i = 0; i < 4; i++)
        if (hj212__hex_value((unsigned char)b[c + i]) < 0)
            return HJ212__BAD;
    f->seg_len = len;
    f->crc_off = c;
    f->crc_len = 4;
    return tail_at(b, avail, eof, c + 4, f);
}

/* The position of the first "##" + 4 digits in b[from..to), or 0 when there is none. */
static size_t
frame_start(const char *b, size_t from, size_t to)
{
    for (size_t i = from; i + 6 <= to; i++) {
        const char *h = memchr(b + i, '#', to - i);

        if (h == NULL)
            return 0;
        i = (size_t)(h - b);
        if (i + 6 <= to && h[1] == '#' && hj212__is_digit((unsigned char)h[2]) &&
            hj212__is_digit((unsigned char)h[3]) && hj212__is_digit((unsigned char)h[4]) &&
            hj212__is_digit((unsigned char)h[5]))
            return i;
    }
    return 0;
}

/* The first CR or LF in b[from..to), or to. */
static size_t
line_end(const char *b, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (b[i] == '\r' || b[i] == '\n')
            return i;
    return to;
}

static int
crc_matches(const char *seg, size_t n, const char *hex, size_t hex_len)
{
    unsigned sent = 0;
    uint16_t m;

    for (size_t i = 0; i < hex_len; i++)
        sent = sent << 4 | (unsigned)hj212__hex_value((unsigned char)hex[i]);
    if (sent == hj212_crc(seg, n))
        return 1;
    m = hj212_crc_modbus(seg, n);
    return sent == m || sent == (unsigned)((m >> 8) | (m << 8 & 0xFF00));
}

/*
 * (b) The frame that ends at the first line end: the CRC is the 1..4 hex digits before it
 * (after optional blanks). need_crc: accept only when the CRC matches (used while (a) still
 * waits for bytes, so that a frame with a wrong length is not held back).
 */
static int
by_line(const char *b, size_t avail, int eof, size_t max_seg, int need_crc,
        struct hj212__frame *f, int *err)
{
    size_t limit = 6 + max_seg + 16, e, c, k;
    uint32_t w = 0;

    if (limit > avail)
        limit = avail;
    e = line_end(b, 6, limit);
    if (e == limit) {
        if (limit < avail || (limit == 6 + max_seg + 16 && limit == avail)) {
            *err = HJ212_ETOOBIG;
            return HJ212__BAD;
        }
        if (!eof)
            return HJ212__MORE;
        need_crc = 1;                   /* no tail at the end of the stream: a cut frame? */
    }
    if (frame_start(b, 2, e) != 0)
        return HJ212__BAD;
    c = e;
    while (c > 6 && hj212__is_blank((unsigned char)b[c - 1])) {
        c--;
        w |= HJ212_W_SPACES;
    }
    for (k = 0; k < 4 && c > 6 && hj212__hex_value((unsigned char)b[c - 1]) >= 0; k++)
        c--;
    if (k == 0) {
        *err = e == avail && eof ? HJ212_ETRUNC : HJ212_EFRAME;
        return HJ212__BAD;
    }
    if (c - 6 > max_seg) {
        *err = HJ212_ETOOBIG;
        return HJ212__BAD;
    }
    /* Fewer than 4 digits is the known unpadded-hex bug (reference 2.3), but also what any
     * line ending in a hex-looking character shows: only a matching CRC makes it a frame. */
    if ((need_crc || k < 4) && !crc_matches(b + 6, c - 6, b + c, k)) {
        if (e == avail && eof) {
            *err = HJ212_ETRUNC;
            return HJ212__BAD;
        }
        return HJ212__MORE;
    }
    f->seg_len = c - 6;
    f->crc_off = c;
    f->crc_len = k;
    f->warnings = w | (k < 4 ? HJ212_W_CRC_UNPADDED : 0);
    if (e == avail) {
        f->end = e;
        f->warnings |= HJ212_W_TAIL;
        return HJ212__FOUND;
    }
    if (b[e] == '\r' && e + 1 == avail && !eof)
        return HJ212__MORE;
    if (b[e] == '\r' && e + 1 < avail && b[e + 1] == '\n') {
        f->end = e + 2;
    } else {
        f->end = e + 1;
        f->warnings |= HJ212_W_TAIL;
    }
    return HJ212__FOUND;
}

/*
 * While (a) waits for the bytes its length announces: is the frame already decidable? Yes when
 * it ends at a line with a matching CRC (found), or when a complete frame with a matching CRC
 * starts inside it before any line end (this start is a cut frame: bad). Otherwise wait.
 */
static int
early(const char *b, size_t avail, size_t max_seg, struct hj212__frame *f)
{
    struct hj212__frame in;
    size_t lim = avail < 6 + max_seg + 16 ? avail : 6 + max_seg + 16, x;
    unsigned len = 0;
    int err;

    if (by_line(b, avail, 0, max_seg, 1, f, &err) == HJ212__FOUND)
        return HJ212__FOUND;
    x = frame_start(b, 2, line_end(b, 6, lim));
    if (x == 0)
        return HJ212__MORE;
    for (size_t i = x + 2; i < x + 6; i++)
        len = len * 10 + (unsigned)(b[i] - '0');
    in.warnings = 0;
    if (len <= max_seg && by_length(b + x, avail - x, 0, len, &in) == HJ212__FOUND &&
        crc_matches(b + x + 6, in.seg_len, b + x + in.crc_off, 4))
        return HJ212__BAD;
    return HJ212__MORE;
}

int
hj212__frame_find(const char *b, size_t avail, int eof, size_t max_seg,
                  struct hj212__frame *f, int *err)
{
    unsigned len = 0;
    int r;

    *err = HJ212_EFRAME;
    if (avail < 6) {
        for (size_t i = 2; i < avail; i++)
            if (!hj212__is_digit((unsigned char)b[i]))
                return HJ212__BAD;
        if (!eof)
            return HJ212__MORE;
        *err = HJ212_ETRUNC;
        return HJ212__BAD;
    }
    for (size_t i = 2; i < 6; i++) {
        if (!hj212__is_digit((unsigned char)b[i]))
            return HJ212__BAD;
        len = len * 10 + (unsigned)(b[i] - '0');
    }
    f->declared = len;
    f->warnings = 0;
    if (len <= max_seg) {
        r = by_length(b, avail, eof, len, f);
        if (r == HJ212__FOUND)
            return r;
        if (r == HJ212__MORE) {
            r = early(b, avail, max_seg, f);
            f->declared = len;
            return r;
        }
        f->warnings = 0;
    }
    r = by_line(b, avail, eof, max_seg, 0, f, err);
    if (r == HJ212__BAD && *err == HJ212_EFRAME && len > max_seg)
        *err = HJ212_ETOOBIG;
    return r;
}
