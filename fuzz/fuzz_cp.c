/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the CP area. Invariants: the fast tokenizer gives exactly the items and
 * warnings of the byte-wise one; views lie inside the CP; the parser's fast CP check gives the
 * warnings of its full scan; items written back with hj212_cp_format() read back the same.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hj212/hj212.h>

#include "hj212/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c)                                                                               \
    do {                                                                                       \
        if (!(c))                                                                              \
            __builtin_trap();                                                                  \
    } while (0)

#define MAX_ITEMS 512

static int
same(struct hj212_str a, struct hj212_str b)
{
    return (a.ptr == NULL) == (b.ptr == NULL) && a.len == b.len &&
           (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static int
inside(struct hj212_str v, struct hj212_str cp)
{
    return v.ptr == NULL || (v.ptr >= cp.ptr && v.ptr + v.len <= cp.ptr + cp.len);
}

/* Items written back with the standard's grouping read back as the same keys and values. */
static void
format_round_trip(const struct hj212_str cp)
{
    static char text[MAX_ITEMS][2][256], out[MAX_ITEMS * 520];
    static struct hj212_kv kv[MAX_ITEMS];
    struct hj212_cp_iter it;
    struct hj212_cp_item x;
    size_t n = 0, len, i = 0;

    hj212_cp_iter_init(&it, cp);
    while (hj212_cp_next(&it, &x)) {
        if (n == MAX_ITEMS || x.key.len >= 256 || x.value.len >= 256 ||
            memchr(x.key.ptr, '\0', x.key.len) != NULL ||
            (x.value.ptr != NULL && memchr(x.value.ptr, '\0', x.value.len) != NULL))
            return;                     /* the writer takes C strings */
        memcpy(text[n][0], x.key.ptr, x.key.len);
        text[n][0][x.key.len] = '\0';
        kv[n].key = text[n][0];
        kv[n].value = NULL;
        if (x.value.ptr != NULL) {
            memcpy(text[n][1], x.value.ptr, x.value.len);
            text[n][1][x.value.len] = '\0';
            kv[n].value = text[n][1];
        }
        n++;
    }
    if (hj212_cp_format(out, sizeof(out), kv, n, HJ212_V2017, &len) != HJ212_OK)
        return;                         /* refused: something that cannot be written back */
    hj212_cp_iter_init(&it, (struct hj212_str){ out, len });
    while (hj212_cp_next(&it, &x)) {
        CHECK(i < n);
        CHECK(x.key.len == strlen(kv[i].key) && memcmp(x.key.ptr, kv[i].key, x.key.len) == 0);
        CHECK((x.value.ptr == NULL) == (kv[i].value == NULL));
        CHECK(x.value.ptr == NULL || (x.value.len == strlen(kv[i].value) &&
                                      memcmp(x.value.ptr, kv[i].value, x.value.len) == 0));
        i++;
    }
    CHECK(i == n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size ? size : 1);
    struct hj212_str cp = { buf, size };
    struct hj212_cp_iter a, b;
    struct hj212_cp_item x, y;
    int more, high = 0;

    if (buf == NULL)
        return 0;
    memcpy(buf, data, size);
    hj212_cp_iter_init(&a, cp);
    hj212_cp_iter_init(&b, cp);
    do {
        more = hj212_cp_next(&a, &x);
        CHECK(more == hj212__cp_next_bytewise(&b, &y));
        if (more) {
            CHECK(same(x.key, y.key) && same(x.code, y.code) && same(x.suffix, y.suffix) &&
                  same(x.value, y.value) && x.sep == y.sep);
            CHECK(inside(x.key, cp) && inside(x.value, cp) && inside(x.suffix, cp));
        }
    } while (more);
    CHECK(a.warnings == b.warnings && a.n == b.n);
    for (size_t i = 0; i < size; i++)
        high |= (unsigned char)buf[i] >= 0x80;
    CHECK(hj212__scan_cp(cp, high) == hj212__scan_cp_full(cp, high));
    format_round_trip(cp);
    free(buf);
    return 0;
}
