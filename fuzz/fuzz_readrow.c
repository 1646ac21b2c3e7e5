/* SPDX-License-Identifier: MIT */
/*
 * fuzz_readrow: the packed reading row decoder (src/store/readrow.c), which reads what is in
 * the database file: a damaged or hand-edited row must be refused, never read past. The
 * input is a row as stored. Invariants: a row the decoder accepts has the count its header
 * says, factors of 1-16 bytes in strictly increasing order and flags of 0-4 bytes; encoding
 * the decoded readings again and decoding that gives the same readings bit for bit.
 * Seeds in fuzz/corpus/readrow/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <envwatch/err.h>

#include "store/readrow.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
same(const struct ew_reading *a, const struct ew_reading *b, int timed)
{
    if (strcmp(a->factor, b->factor) != 0 || strcmp(a->flag, b->flag) != 0 ||
        memcmp(&a->value, &b->value, sizeof(double)) != 0 ||
        memcmp(&a->min, &b->min, sizeof(double)) != 0 ||
        memcmp(&a->max, &b->max, sizeof(double)) != 0 ||
        memcmp(&a->cou, &b->cou, sizeof(double)) != 0 ||
        memcmp(&a->zs, &b->zs, sizeof(double)) != 0 ||
        (timed && (a->kind != b->kind || a->t_unix_s != b->t_unix_s)))
        __builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct ew_reading v[EW__ROW_MAX], w[EW__ROW_MAX];
    static unsigned char buf[1 + 10 + EW__ROW_MAX * 84];
    size_t n = 0, m = 0, count = 0, len = 0;
    int timed = size > 0 && data[0] == EW__ROW_TIMED;

    if (ew__row_decode(size ? data : NULL, size, v, EW__ROW_MAX, &n) != EW_OK)
        return 0;
    if (ew__row_count(data, size, &count) != EW_OK || count != n)
        __builtin_trap();
    for (size_t i = 0; i < n; i++) {
        size_t fl = strnlen(v[i].factor, sizeof(v[i].factor));
        if (fl == 0 || fl >= sizeof(v[i].factor) || strnlen(v[i].flag, 5) > 4 ||
            (i > 0 && strcmp(v[i - 1].factor, v[i].factor) >= 0) || v[i].kind < 0)
            __builtin_trap();
    }
    if (sizeof(buf) < ew__row_bound(n) || ew__row_encode(v, n, timed, buf, &len) != EW_OK ||
        len > ew__row_bound(n) || ew__row_decode(buf, len, w, EW__ROW_MAX, &m) != EW_OK ||
        m != n)
        __builtin_trap();
    for (size_t i = 0; i < n; i++)
        same(&v[i], &w[i], timed);
    return 0;
}
