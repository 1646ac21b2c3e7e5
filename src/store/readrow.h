/* SPDX-License-Identifier: MIT */
/*
 * The packed reading row: every reading of one point, data kind and data time in one value,
 * sorted by factor code. The SQLite backend stores one such row per packet instead of one
 * row per factor (docs/store.md "Reading rows"); the format is ours and versioned by its
 * first byte.
 *
 *   row    = version(1|2) count(varint) entry*count        entries strictly by factor (strcmp)
 *   entry  = len(1..16) factor[len] [kind(varint) t(zigzag varint)] enc[3] field* flag[flen]
 *   enc    = three bytes of two nibbles: value|min, max|cou, zs|flen (low nibble first)
 *   field  = nothing (nibble 0, absent) | 8 bytes IEEE 754 little-endian (nibble 1) |
 *            zigzag LEB128 integer m (nibble 2 + k): the value is m / 10^k, k = 0..13
 *
 * The decimal form is chosen only when m / 10^k gives back the very same double, so the
 * round trip is exact; "12.53" costs 2 bytes instead of 8.
 *
 * Version 2 ("timed") carries each reading's data kind and time: the latest-value row of a
 * point, whose factors come from different packets.
 */
#ifndef EW_STORE_READROW_H
#define EW_STORE_READROW_H

#include <stddef.h>

#include <envwatch/store.h>

#define EW__ROW_VERSION 1
#define EW__ROW_TIMED 2
#define EW__ROW_MAX 1024                /* readings of one point, kind and time */

/* Bytes enough to encode n readings. */
size_t ew__row_bound(size_t n);

/* Encodes v[0..n), which must be sorted by factor with no factor twice (EW_EINVAL
 * otherwise); timed keeps each reading's kind and time (version 2). *len gets the size;
 * out needs ew__row_bound(n) bytes. */
int ew__row_encode(const struct ew_reading *v, size_t n, int timed, unsigned char *out,
                   size_t *len);

/* Decodes a row into v[0..*n) (factor, value, min, max, cou, zs, flag set; kind and time
 * too for a timed row; point left as it is), at most cap readings. EW_EFORMAT for anything
 * that is not a row this code would have written, EW_ETOOBIG when it holds more than cap. */
int ew__row_decode(const unsigned char *p, size_t len, struct ew_reading *v, size_t cap,
                   size_t *n);

/* The number of readings a row holds, from its header alone. */
int ew__row_count(const unsigned char *p, size_t len, size_t *n);

#endif
