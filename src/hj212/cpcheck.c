/* SPDX-License-Identifier: MIT */
/*
 * The CP warnings of parsing (reference/hj212.md section 5.1): item format, blanks, duplicate
 * keys, logs over 890 bytes, non-ASCII outside logs. The full scan walks the items with the
 * tokenizer; the common CP -- plain ASCII items "key=value" -- is proved well formed 64 bytes
 * at a time from SSE2 bit masks and a parity check, so that only its keys need visiting (for
 * duplicates). Both give the same bits: the unit tests and fuzz_cp check that.
 */
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "internal.h"

#define INFO_MAX 890                    /* 2017 B.8: log texts are C890 */

int
hj212__has_high(const char *p, size_t n)
{
    uint64_t acc = 0, w;
    size_t i = 0;

    for (; i + 8 <= n; i += 8) {
        memcpy(&w, p + i, 8);
        acc |= w;
    }
    for (; i < n; i++)
        acc |= (unsigned char)p[i];
    return (acc & 0x8080808080808080ULL) != 0;
}

/* A cheap hash of a key for the duplicate filter: its first and last 8 bytes and length. */
static uint64_t
key_hash(struct hj212_str k)
{
    uint64_t a = 0, b = 0;

    if (k.len >= 8) {
        memcpy(&a, k.ptr, 8);
        memcpy(&b, k.ptr + k.len - 8, 8);
    } else {
        for (size_t i = 0; i < k.len; i++)
            a = a << 8 | (unsigned char)k.ptr[i];
    }
    a ^= (b << 23 | b >> 41) ^ k.len;
    return a * 0x9E3779B97F4A7C15ULL;
}

/*
 * Duplicate keys: a 1024-bit Bloom filter with three bits per key answers "new" for nearly
 * every key; only on a hit is the CP rescanned for the exact answer (about 1 in 10 packets of
 * 46 keys, far fewer for smaller ones). It is small because it is cleared for every packet.
 */
struct dups {
    uint64_t filter[16];
};

/* Is there an item before the one whose key is `key` (same CP) with the same key? */
static int
seen_before(struct hj212_str cp, struct hj212_str key)
{
    struct hj212_cp_iter it;
    struct hj212_cp_item x;

    hj212_cp_iter_init(&it, cp);
    while (hj212_cp_next(&it, &x) && x.key.ptr < key.ptr)
        if (x.key.len == key.len && memcmp(x.key.ptr, key.ptr, key.len) == 0)
            return 1;
    return 0;
}

static inline int
is_dup(struct dups *d, struct hj212_str cp, struct hj212_str key)
{
    uint64_t h = key_hash(key);
    unsigned b[3] = { (unsigned)(h >> 54), (unsigned)(h >> 44) & 1023,
                      (unsigned)(h >> 34) & 1023 };
    int hit = 1;

    for (int i = 0; i < 3; i++) {
        hit &= (int)(d->filter[b[i] >> 6] >> (b[i] & 63)) & 1;
        d->filter[b[i] >> 6] |= 1ULL << (b[i] & 63);
    }
    return hit && seen_before(cp, key);
}

/*
 * Clears the filter with vector stores. GCC turns a memset (or a loop of zero stores) of this
 * size into "rep stos", whose start-up cost was a tenth of the whole scan: the empty asm hides
 * that the value is zero, so the stores stay stores.
 */
static void
dups_init(struct dups *d)
{
#if defined(__SSE2__) && defined(__GNUC__)
    __m128i z = _mm_setzero_si128();

    __asm__("" : "+x"(z));
    for (size_t i = 0; i < sizeof(d->filter) / 16; i++)
        _mm_storeu_si128((__m128i *)(void *)((char *)d->filter + 16 * i), z);
#else
    memset(d->filter, 0, sizeof(d->filter));
#endif
}

#if defined(__SSE2__)
/* The masks of 64 bytes at p: '=', separators, and bytes a plain CP cannot hold. */
static void
masks64(const char *p, uint64_t *eq, uint64_t *sep, uint64_t *odd)
{
    __m128i e = _mm_set1_epi8('='), s = _mm_set1_epi8(';'), c = _mm_set1_epi8(',');
    __m128i sl = _mm_set1_epi8('/'), sp = _mm_set1_epi8(0x20);

    *eq = *sep = *odd = 0;
    for (int i = 0; i < 4; i++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i));
        __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(v, sp), v);

        *eq |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, e)) << (16 * i);
        *sep |= (uint64_t)(uint32_t)_mm_movemask_epi8(
                    _mm_or_si128(_mm_cmpeq_epi8(v, s), _mm_cmpeq_epi8(v, c))) << (16 * i);
        *odd |= (uint64_t)(uint32_t)(_mm_movemask_epi8(
                                         _mm_or_si128(low, _mm_cmpeq_epi8(v, sl))) |
                                     _mm_movemask_epi8(v)) << (16 * i);
    }
}

/* Bit i of the result: the parity of the set bits of x at positions <= i. */
static inline uint64_t
prefix_xor(uint64_t x)
{
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

/*
 * The common CP, checked 64 bytes at a time: printable ASCII without blanks or '/', items
 * "key=value" with non-empty keys and no '=' in values, one separator between items. Then
 * '=' and separators strictly alternate, starting with '=' -- which the parity of the
 * structural bytes seen so far proves for a whole block at once -- and only a duplicate key
 * can be wrong, checked per key. Returns 0 for anything else (the full scan decides) and for
 * CPs under 64 bytes.
 */
static int
scan_cp_plain(struct hj212_str cp, uint32_t *w)
{
    const char *s = cp.ptr;
    size_t n = cp.len, key = 0;         /* key: where the current item's key starts */
    uint64_t carry = 0, key_first = 1; /* parity so far; 1: byte i begins a key */
    struct dups d;

    if (n < 64)
        return 0;
    dups_init(&d);
    for (size_t i = 0; i < n; i += 64) {
        /* The last block overlaps the one before, ending at the end; its masks are shifted. */
        size_t at = n - i >= 64 ? i : n - 64;
        unsigned shift = (unsigned)(i - at);
        uint64_t eq, sep, odd, in_value;

        masks64(s + at, &eq, &sep, &odd);
        if (odd >> shift)
            return 0;
        eq >>= shift;
        sep >>= shift;
        in_value = prefix_xor(eq | sep) ^ carry;      /* 1 from a '=' up to its separator */
        if ((eq & ~in_value) || (sep & in_value))
            return 0;                   /* two '=' or two separators in a row, or sep first */
        if (eq & (sep << 1 | key_first))
            return 0;                   /* an empty key: '=' at a key's first byte */
        key_first = sep >> 63;
        for (uint64_t e = eq; e != 0; e &= e - 1) {
            size_t pos = i + (size_t)__builtin_ctzll(e);
            uint64_t before = sep & ((e & -e) - 1);

            if (before != 0)
                key = i + 64 - (size_t)__builtin_clzll(before);
            if (is_dup(&d, cp, (struct hj212_str){ s + key, pos - key }))
                *w |= HJ212_W_CP_DUP_KEY;
            sep &= ~((e & -e) - 1);     /* separators before this '=' are used */
        }
        if (sep != 0)
            key = i + 64 - (size_t)__builtin_clzll(sep);
        carry = in_value >> 63 ? ~0ULL : 0;
    }
    return carry != 0;                  /* else a trailing separator, or a last item without '=' */
}
#endif

/* CP deviations: item format, spaces, duplicate keys, long info, non-ASCII outside info. */
uint32_t
hj212__scan_cp_full(struct hj212_str cp, int high)
{
    struct hj212_cp_iter it;
    struct hj212_cp_item item;
    struct dups d;
    uint32_t w = 0;

    dups_init(&d);
    hj212_cp_iter_init(&it, cp);
    while (hj212_cp_next(&it, &item)) {
        int info = item.value.len >= 4 && item.value.ptr[0] == '/' && item.value.ptr[1] == '/';

        if (is_dup(&d, cp, item.key))
            w |= HJ212_W_CP_DUP_KEY;
        if (info && item.value.len - 4 > INFO_MAX)
            w |= HJ212_W_INFO_TOO_LONG;
        if (high && (hj212__has_high(item.key.ptr, item.key.len) ||
                     (!info && item.value.ptr != NULL &&
                      hj212__has_high(item.value.ptr, item.value.len))))
            w |= HJ212_W_NON_ASCII;
    }
    return w | it.warnings;
}

uint32_t
hj212__scan_cp(struct hj212_str cp, int high)
{
#if defined(__SSE2__)
    uint32_t w = 0;

    if (scan_cp_plain(cp, &w))
        return w;
#endif
    return hj212__scan_cp_full(cp, high);
}
