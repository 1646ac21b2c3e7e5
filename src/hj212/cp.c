/* SPDX-License-Identifier: MIT */
/*
 * The CP data area (reference/hj212.md section 5.1): items "key=value" split on ';' and ',',
 * the key split on its first '-' into factor code and suffix. A value written "//...//" is a
 * free text (a log, HJ 212-2017 B.8 i11001) and is kept whole even when it holds separators:
 * it ends at the "//" that a separator or the end of CP follows. Negative numbers need no care
 * because only the key is split on '-'. Writing (hj212_cp_format) groups items as the standard
 * does, so that decoding and re-encoding a standard packet gives back its exact bytes.
 */
#include <stddef.h>
#include <string.h>

#include "internal.h"

/* Character classes for the scanning loops. */
enum { C_SEP = 1, C_EQ = 2, C_BLANK = 4, C_DASH = 8, C_SLASH = 16 };

static const unsigned char cls[256] = {
    [';'] = C_SEP, [','] = C_SEP, ['='] = C_EQ, [' '] = C_BLANK, ['\t'] = C_BLANK,
    ['-'] = C_DASH, ['/'] = C_SLASH,
};

#define CLS(c) cls[(unsigned char)(c)]

static const char *
skip_blanks(const char *p, const char *end, uint32_t *w)
{
    const char *q = p;

    while (q < end && CLS(*q) == C_BLANK)
        q++;
    if (q != p)
        *w |= HJ212_W_SPACES;
    return q;
}

static const char *
trim_end(const char *start, const char *p, uint32_t *w)
{
    const char *q = p;

    while (q > start && CLS(q[-1]) == C_BLANK)
        q--;
    if (q != p)
        *w |= HJ212_W_SPACES;
    return q;
}

/* For a value at p that starts with "//": one past its closing "//", or NULL. */
static const char *
info_end(const char *p, const char *end)
{
    for (const char *q = p + 2; q + 1 < end; q++) {
        const char *r;

        if (q[0] != '/' || q[1] != '/')
            continue;
        r = q + 2;
        while (r < end && CLS(*r) == C_BLANK)
            r++;
        if (r == end || CLS(*r) == C_SEP)
            return q + 2;
    }
    return NULL;
}

void
hj212_cp_iter_init(struct hj212_cp_iter *it, struct hj212_str cp)
{
    it->start = it->p = cp.ptr;
    it->end = cp.ptr == NULL ? NULL : cp.ptr + cp.len;
    it->warnings = 0;
    it->n = 0;
    it->masked = 0;
}

/* Consumes separators and blanks before an item; returns the separator (0 before the first). */
static char
item_start(struct hj212_cp_iter *it)
{
    char sep = 0;

    it->p = skip_blanks(it->p, it->end, &it->warnings);
    while (it->p < it->end && CLS(*it->p) == C_SEP) {
        if (sep != 0 || it->n == 0)
            it->warnings |= HJ212_W_CP_ITEM;    /* an empty item */
        sep = *it->p++;
        it->p = skip_blanks(it->p, it->end, &it->warnings);
    }
    if (it->p == it->end && sep != 0)
        it->warnings |= HJ212_W_CP_ITEM;        /* a separator before the end */
    return sep;
}

static void
set_key(struct hj212_cp_item *item, const char *k, const char *e, const char *dash)
{
    item->key = (struct hj212_str){ k, (size_t)(e - k) };
    if (dash == NULL || dash >= e) {
        item->code = item->key;
        item->suffix = (struct hj212_str){ NULL, 0 };
        return;
    }
    item->code = (struct hj212_str){ k, (size_t)(dash - k) };
    item->suffix = (struct hj212_str){ dash + 1, (size_t)(e - dash - 1) };
}

/* The first ';' or ',' in [p, end), or end. */
static const char *
find_sep(const char *p, const char *end)
{
    while (p < end && CLS(*p) != C_SEP)
        p++;
    return p;
}

/* The value after '=' at p; returns where the scan stopped (a separator or the end). */
static const char *
scan_value(struct hj212_cp_iter *it, const char *p, struct hj212_str *value)
{
    const char *end = it->end, *e = NULL;

    if (p < end && CLS(*p) == C_BLANK)
        p = skip_blanks(p, end, &it->warnings);
    if (end - p >= 4 && p[0] == '/' && p[1] == '/')
        e = info_end(p, end);
    if (e == NULL) {
        e = find_sep(p, end);
        value->ptr = p;
        value->len = (size_t)(trim_end(p, e, &it->warnings) - p);
        return e;
    }
    value->ptr = p;
    value->len = (size_t)(e - p);
    return skip_blanks(e, end, &it->warnings);
}

/* The general tokenizer, byte by byte: every case, and the reference for the fast path. */
int
hj212__cp_next_bytewise(struct hj212_cp_iter *it, struct hj212_cp_item *item)
{
    const char *k, *p, *dash = NULL, *end = it->end;
    char sep = 0;

    if (it->p == NULL || it->p >= end)
        return 0;
    if (it->n > 0 || CLS(*it->p) & (C_SEP | C_BLANK)) {
        sep = item_start(it);
        if (it->p == end)
            return 0;
    }
    k = it->p;
    for (p = k; p < end; p++) {
        unsigned c = CLS(*p);

        if (c & (C_SEP | C_EQ))
            break;
        if (c == C_DASH && dash == NULL)
            dash = p;
    }
    set_key(item, k, trim_end(k, p, &it->warnings), dash);
    item->sep = it->n == 0 ? 0 : sep;
    if (p < end && *p == '=') {
        p = scan_value(it, p + 1, &item->value);
    } else {
        item->value = (struct hj212_str){ NULL, 0 };
        it->warnings |= HJ212_W_CP_ITEM;
    }
    if (item->key.len == 0)
        it->warnings |= HJ212_W_CP_ITEM;
    it->p = p;
    it->n++;
    return 1;
}

/*
 * The fast path. Bit masks of the structural bytes ('=' ';' ',') and of '-' are computed 64
 * bytes at a time (SSE2 on x86-64, a byte loop elsewhere) and kept in the iterator, so each
 * item costs a few bit scans instead of a byte loop. It takes the common item -- a key
 * character, "key=value", then one separator or the end, no '=' in the value, no blank to
 * trim, a value not starting with '/' -- and leaves everything else to the byte-wise path,
 * which gives the same result.
 */
#if defined(__SSE2__)
#include <emmintrin.h>

static void
masks64(const char *p, uint64_t *stop, uint64_t *dash)
{
    __m128i e = _mm_set1_epi8('='), s = _mm_set1_epi8(';'), c = _mm_set1_epi8(',');
    __m128i d = _mm_set1_epi8('-');

    *stop = *dash = 0;
    for (int i = 0; i < 4; i++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i));
        __m128i x = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, e), _mm_cmpeq_epi8(v, s)),
                                 _mm_cmpeq_epi8(v, c));

        *stop |= (uint64_t)(uint32_t)_mm_movemask_epi8(x) << (16 * i);
        *dash |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, d)) << (16 * i);
    }
}
#else
static void
masks64(const char *p, uint64_t *stop, uint64_t *dash)
{
    *stop = *dash = 0;
    for (int i = 0; i < 64; i++) {
        *stop |= (uint64_t)((CLS(p[i]) & (C_SEP | C_EQ)) != 0) << i;
        *dash |= (uint64_t)(p[i] == '-') << i;
    }
}
#endif

/* Computes the masks of the next block; the last one from a zero-padded copy. */
static void
mask_next(struct hj212_cp_iter *it)
{
    size_t w = it->masked / 64, left = (size_t)(it->end - it->start) - it->masked;
    char pad[64];

    if (left >= 64) {
        masks64(it->start + it->masked, &it->stop[w], &it->dash[w]);
    } else {
        memcpy(pad, it->start + it->masked, left);
        memset(pad + left, 0, 64 - left);
        masks64(pad, &it->stop[w], &it->dash[w]);
    }
    it->masked += 64;
}

/* next_stop() beyond the word of o, computing masks as needed. */
static long
next_stop_slow(struct hj212_cp_iter *it, size_t o)
{
    size_t len = (size_t)(it->end - it->start);

    /* The fast path has already looked at the rest of o's word when it was computed. */
    for (size_t w = o / 64 + (o < it->masked);; w++) {
        uint64_t m;

        if (w * 64 >= len)
            return (long)len;
        if (w >= HJ212_CP_MASK_WORDS)
            return -1;
        while (it->masked <= w * 64)
            mask_next(it);              /* blocks are computed in order */
        m = it->stop[w];
        if (w == o / 64)
            m &= ~0ULL << (o % 64);
        if (m != 0)
            return (long)(w * 64 + (size_t)__builtin_ctzll(m));
    }
}

/* The offset of the first '=' ';' ',' at or after o, the CP's length when there is none,
 * or -1 past the masked range. Bytes past the end are zero in the masks. */
static inline long
next_stop(struct hj212_cp_iter *it, size_t o)
{
    if (o < it->masked) {
        uint64_t m = it->stop[o / 64] >> (o % 64);

        if (m != 0)
            return (long)(o + (size_t)__builtin_ctzll(m));
    }
    return next_stop_slow(it, o);
}

/* The first '-' in [o, e) (masks computed there), or NULL. */
static const char *
first_dash(const struct hj212_cp_iter *it, size_t o, size_t e)
{
    size_t w = o / 64, at;
    uint64_t m = it->dash[w] & ~0ULL << (o % 64);

    while (m == 0) {
        if (++w * 64 >= e)
            return NULL;
        m = it->dash[w];
    }
    at = w * 64 + (size_t)__builtin_ctzll(m);
    return at < e ? it->start + at : NULL;
}

static int
cp_next_fast(struct hj212_cp_iter *it, const char *p, char sep, struct hj212_cp_item *item)
{
    const char *s = it->start;
    size_t o = (size_t)(p - s), len = (size_t)(it->end - s);
    long ke = next_stop(it, o), ve;

    if (ke < 0 || (size_t)ke == len || (size_t)ke == o || s[ke] != '=')
        return 0;                       /* past the masks, no '=' first, or an empty key */
    ve = next_stop(it, (size_t)ke + 1);
    if (ve < 0 || ((size_t)ve < len && s[ve] == '=') || CLS(s[ke - 1]) == C_BLANK ||
        (ve > ke + 1 && ((CLS(s[ke + 1]) & (C_BLANK | C_SLASH)) || CLS(s[ve - 1]) == C_BLANK)))
        return 0;                       /* '=' in the value, blanks to trim, maybe //...// */
    set_key(item, p, s + ke, first_dash(it, o, (size_t)ke));
    item->value = (struct hj212_str){ s + ke + 1, (size_t)(ve - ke - 1) };
    item->sep = sep;
    it->p = s + ve;
    it->n++;
    return 1;
}

int
hj212_cp_next(struct hj212_cp_iter *it, struct hj212_cp_item *item)
{
    const char *p = it->p;
    char sep = 0;

    if (p == NULL || p >= it->end)
        return 0;
    /* The fast path starts at a key character: the first byte of the CP, or the byte after
     * exactly one separator that ended the previous item. */
    if (it->n > 0 && it->end - p >= 2)
        sep = *p++;
    if ((it->n == 0 || sep != 0) && !(CLS(*p) & (C_SEP | C_BLANK)) &&
        cp_next_fast(it, p, sep, item))
        return 1;
    return hj212__cp_next_bytewise(it, item);
}

int
hj212_cp_get(struct hj212_str cp, const char *key, struct hj212_str *value)
{
    struct hj212_cp_iter it;
    struct hj212_cp_item item;

    hj212_cp_iter_init(&it, cp);
    while (hj212_cp_next(&it, &item)) {
        if (hj212__str_eq(item.key, key) && item.value.ptr != NULL) {
            *value = item.value;
            return 1;
        }
    }
    return 0;
}

/* ---- writing ---------------------------------------------------------------------------- */

/* Leading or trailing blanks would be trimmed when read back. */
static int
blank_edge(const char *s)
{
    size_t n = strlen(s);

    return n > 0 && (CLS(s[0]) == C_BLANK || CLS(s[n - 1]) == C_BLANK);
}

static int
key_ok(const char *k)
{
    if (k == NULL || *k == '\0' || blank_edge(k))
        return 0;
    for (; *k; k++)
        if (*k == ';' || *k == ',' || *k == '=' || *k == '&' || (unsigned char)*k < 0x20 ||
            *k == 0x7F)
            return 0;
    return 1;
}

static int
value_ok(const char *v)
{
    size_t n = strlen(v);
    int info = n >= 4 && v[0] == '/' && v[1] == '/' && v[n - 2] == '/' && v[n - 1] == '/';

    if (blank_edge(v))
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];

        if (c < 0x20 || c == 0x7F || (c == '&' && i + 1 < n && v[i + 1] == '&'))
            return 0;
        if (!info && (c == ';' || c == ',' || c == '&'))
            return 0;
    }
    return 1;
}

/* The length of the code before the first '-', or 0 when the key has none. */
static size_t
code_len(const char *k)
{
    const char *dash = strchr(k, '-');

    return dash == NULL ? 0 : (size_t)(dash - k);
}

static int
joins_with_comma(const char *prev, const char *key, enum hj212_version v)
{
    size_t a = code_len(prev), b = code_len(key);

    if (a > 0 && a == b && memcmp(prev, key, a) == 0)
        return 1;
    /* HJ/T 212-2005 writes history windows as BeginTime=...,EndTime=... (reference 7.5). */
    return v == HJ212_V2005 && strcmp(prev, "BeginTime") == 0 && strcmp(key, "EndTime") == 0;
}

static int
put(char *out, size_t cap, size_t *at, const char *s, size_t n)
{
    if (n > cap || *at > cap - n)
        return HJ212_ESPACE;
    memcpy(out + *at, s, n);
    *at += n;
    return HJ212_OK;
}

int
hj212_cp_format(char *out, size_t cap, const struct hj212_kv *items, size_t n,
                enum hj212_version version, size_t *len)
{
    size_t at = 0;
    int rc = HJ212_OK;

    if (out == NULL || len == NULL || (items == NULL && n > 0))
        return HJ212_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!key_ok(items[i].key) || (items[i].value != NULL && !value_ok(items[i].value)))
            return HJ212_EINVAL;
    for (size_t i = 0; i < n && rc == HJ212_OK; i++) {
        if (i > 0) {
            const char *sep = joins_with_comma(items[i - 1].key, items[i].key, version) ? ","
                                                                                         : ";";
            rc = put(out, cap, &at, sep, 1);
        }
        if (rc == HJ212_OK)
            rc = put(out, cap, &at, items[i].key, strlen(items[i].key));
        if (rc == HJ212_OK && items[i].value != NULL) {
            rc = put(out, cap, &at, "=", 1);
            if (rc == HJ212_OK)
                rc = put(out, cap, &at, items[i].value, strlen(items[i].value));
        }
    }
    if (rc == HJ212_OK)
        rc = put(out, cap, &at, "", 1);         /* the NUL */
    if (rc != HJ212_OK)
        return rc;
    *len = at - 1;
    return HJ212_OK;
}
