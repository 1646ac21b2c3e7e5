/* SPDX-License-Identifier: MIT */
/*
 * Shared inside libhj212 only: the frame locator used by both the one-shot parser and the
 * stream reader, the segment parser, and small character helpers. Not a public contract.
 */
#ifndef HJ212_INTERNAL_H
#define HJ212_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <hj212/hj212.h>

/* Where a frame lies in a buffer that starts with "##" (offsets from that "##"). */
struct hj212__frame {
    size_t   end;                       /* one past the tail */
    size_t   seg_len;                   /* the segment is [6, 6 + seg_len) */
    size_t   crc_off, crc_len;          /* the CRC's hex digits, 1..4 of them */
    unsigned declared;                  /* the 4-digit length field */
    uint32_t warnings;                  /* TAIL, CRC_UNPADDED, SPACES */
};

enum hj212__find {
    HJ212__FOUND = 0,
    HJ212__MORE = 1,                    /* cannot decide yet: feed more bytes */
    HJ212__BAD = 2,                     /* this "##" starts no frame; resync after it */
};

/*
 * Locates the frame that starts at buf[0] ("##" + 4 digits): first where its length says
 * (CRC hex and tail in place), else by the first line end (wrong length, unpadded CRC).
 * eof says no more bytes will come. On HJ212__BAD, *err is HJ212_EFRAME, HJ212_ETOOBIG or
 * HJ212_ETRUNC. max_seg bounds the segment (1..HJ212_SEG_MAX).
 */
int hj212__frame_find(const char *buf, size_t avail, int eof, size_t max_seg,
                      struct hj212__frame *f, int *err);

/* Fills *pkt from a located frame at base (length, CRC, header, CP); HJ212_ESYNTAX when the
 * segment has no header item at all. Writes *pkt only on success. */
int hj212__pkt_from_frame(const char *base, const struct hj212__frame *f,
                          struct hj212_pkt *pkt);

static inline int
hj212__is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static inline int
hj212__hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static inline int
hj212__is_blank(unsigned char c)
{
    return c == ' ' || c == '\t';
}

/* White space tolerated between frames: blanks, CR, LF. */
static inline int
hj212__is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

#define HJ212__HDR_TEXT 5               /* QN ST CN PW MN */
#define HJ212__HDR_NUM 3                /* Flag PNUM PNO */

/* A header as views; a text field with ptr NULL and a number of -1 are left out. */
struct hj212__hdr {
    struct hj212_str text[HJ212__HDR_TEXT];
    long             num[HJ212__HDR_NUM];
    struct hj212_str cp;                /* CP content without "CP=&&" and "&&" */
    struct hj212_str cp2;               /* more CP content, joined to cp by ';' (splitting) */
};

/* Frames h into out[0..cap) as hj212_build() does (same checks and return codes). */
int hj212__build_hdr(char *out, size_t cap, const struct hj212__hdr *h, size_t *len);
/* The data segment length h would have. */
size_t hj212__segment_len(const struct hj212__hdr *h);

/* hj212_crc(), and in the same pass: *high = 1 when a byte is >= 0x80. */
uint16_t hj212__crc_scan(const void *data, size_t len, int *high);

/* The byte-wise CP tokenizer; hj212_cp_next() may take a faster path with the same result. */
int hj212__cp_next_bytewise(struct hj212_cp_iter *it, struct hj212_cp_item *item);

/* Does p[0..n) hold a byte >= 0x80? */
int hj212__has_high(const char *p, size_t n);

/* The CP warnings of parsing: hj212__scan_cp() takes a fast path for plain CPs that gives the
 * same bits as the full scan. high: the segment has bytes >= 0x80. */
uint32_t hj212__scan_cp(struct hj212_str cp, int high);
uint32_t hj212__scan_cp_full(struct hj212_str cp, int high);

/* Compares a view with a NUL-terminated literal. */
int hj212__str_eq(struct hj212_str s, const char *lit);

/* The first occurrence of needle[0..m) in hay[0..n), or NULL (memmem without _GNU_SOURCE). */
const char *hj212__find(const char *hay, size_t n, const char *needle, size_t m);

/* Parses 1..max_digits decimal digits as the whole view; -1 when not a number. */
long hj212__str_to_long(struct hj212_str s, size_t max_digits);

/* Bytes needed to write v in decimal (v >= 0). */
size_t hj212__dec_len(long v);

#endif
