/* SPDX-License-Identifier: MIT */
/*
 * libhj212 split packets (PNUM/PNO; HJ 212-2017 Appendix C part 2, reference/hj212.md 7.6).
 *
 * Receiving: one logical record (e.g. an hour of many factors) arrives as PNUM separately
 * framed pieces, each with its own QN (2017), its own CRC, the same MN, CN and DataTime, and a
 * subset of the items. A reassembler collects the pieces of each (MN, CN, DataTime) and, once
 * all of PNO 1..PNUM are in, gives the merged item set: DataTime once, then every piece's
 * items in PNO order, a key repeated in a later piece dropped (first kept). Duplicated pieces
 * (re-sends) are recognised and ignored. Incomplete sets are given up after a timeout and
 * handed back with what arrived. Memory is bounded by the limits given at creation.
 *
 * Sending: hj212_split_build() frames a message that would exceed the standard's 1024-byte
 * segment as several pieces, cut between items of different factors (never inside a group of
 * ','-joined items), each repeating DataTime, with Flag's D bit, PNUM/PNO and QN + (PNO - 1) ms.
 *
 * No global state; one reassembler per thread or per connection.
 */
#ifndef HJ212_SPLIT_H
#define HJ212_SPLIT_H

#include <hj212/hj212.h>

#ifdef __cplusplus
extern "C" {
#endif

struct hj212_split;                     /* opaque reassembler */

struct hj212_split_limits {
    size_t   max_sets;                  /* incomplete sets held at once; 0: 1024 */
    size_t   max_bytes;                 /* bytes of pieces held at once; 0: 4 MiB */
    uint64_t timeout_ms;                /* give a set up this long after its first piece;
                                           0: 600000. The standard sets no value (7.6). */
};

/* A merged (or, from expire, partial) record. Views live until the next call on the
 * reassembler that made them. */
struct hj212_split_set {
    struct hj212_str mn, st, cn, pw;
    struct hj212_str qn;                /* the QN of the lowest PNO received */
    struct hj212_str data_time;         /* ptr NULL when the pieces carry no DataTime */
    struct hj212_str cp;                /* merged CP content, iterate with hj212_cp_next() */
    int      flag;                      /* first piece's Flag without the D bit, or -1 */
    enum hj212_version version;
    int      pnum, received;            /* pieces announced / merged */
    unsigned conflicts;                 /* keys repeated with another value (first kept) */
};

enum hj212_split_status {
    HJ212_SPLIT_PENDING = 0,            /* stored; the set is not complete yet */
    HJ212_SPLIT_COMPLETE = 1,           /* *set holds the merged record */
    HJ212_SPLIT_DUPLICATE = 2,          /* this PNO of this set was already held: ignored */
};

/* lim NULL: the defaults. Returns HJ212_EINVAL or HJ212_ENOMEM on failure. */
int  hj212_split_create(const struct hj212_split_limits *lim, struct hj212_split **out);
void hj212_split_destroy(struct hj212_split *s);   /* NULL is a no-op */

/*
 * Adds one piece: pkt must have pnum in 1..9999 and pno in 1..pnum (HJ212_EINVAL otherwise).
 * The piece's bytes are copied; pkt may be freed afterwards. now_ms is any monotonic clock.
 * Returns HJ212_OK and sets *status (and *set when COMPLETE); HJ212_ETOOBIG when holding it
 * would pass max_sets or max_bytes (nothing stored: call hj212_split_expire() or drop it);
 * HJ212_ESYNTAX when the set is already held with another PNUM; HJ212_ENOMEM.
 */
int hj212_split_add(struct hj212_split *s, const struct hj212_pkt *pkt, uint64_t now_ms,
                    enum hj212_split_status *status, struct hj212_split_set *set);

/*
 * Gives up the oldest set whose first piece came timeout_ms or more before now_ms: returns
 * HJ212_OK with the pieces received so far merged into *set (set->received < set->pnum), or
 * HJ212_EAGAIN when no set is due. Call until HJ212_EAGAIN.
 */
int hj212_split_expire(struct hj212_split *s, uint64_t now_ms, struct hj212_split_set *set);

/* Sets held, and bytes of pieces held (what max_bytes bounds). */
size_t hj212_split_pending(const struct hj212_split *s, size_t *bytes);

/*
 * Frames msg as one packet when its segment fits max_seg (0: HJ212_SEG_STD_MAX), else as
 * pieces of at most max_seg bytes each, written one after another into out[0..cap). The
 * length of each piece goes to piece_len[0..max_pieces), their number to *npieces, the total
 * to *len. msg->pnum and msg->pno must be -1; a missing Flag becomes 2 (2005's D bit alone).
 * Returns HJ212_ETOOBIG when one factor's group of items cannot fit a piece, HJ212_ESPACE
 * when out or piece_len is too small, and hj212_build()'s errors.
 */
int hj212_split_build(char *out, size_t cap, const struct hj212_msg *msg, size_t max_seg,
                      size_t *piece_len, size_t max_pieces, size_t *npieces, size_t *len);

#ifdef __cplusplus
}
#endif

#endif
