/* SPDX-License-Identifier: MIT */
/*
 * What a located frame says: length and CRC checks, the header as unordered key=value pairs
 * up to "CP=", the CP area, and every deviation from the standard as a warning bit
 * (reference/hj212.md sections 3, 5 and 11). Tolerant in: nothing here rejects a packet that
 * can still be understood; only a segment without a single header item is an error.
 */
#include <string.h>

#include "internal.h"

enum field { F_QN, F_ST, F_CN, F_PW, F_MN, F_FLAG, F_PNUM, F_PNO, F_COUNT };

/* The standard's header keys; their index is also their rank in the standard's order. */
static int
field_index(const char *k, size_t n)
{
    if (n == 2) {
        switch ((unsigned char)k[0] << 8 | (unsigned char)k[1]) {
        case 'Q' << 8 | 'N':
            return F_QN;
        case 'S' << 8 | 'T':
            return F_ST;
        case 'C' << 8 | 'N':
            return F_CN;
        case 'P' << 8 | 'W':
            return F_PW;
        case 'M' << 8 | 'N':
            return F_MN;
        }
    } else if (n == 4 && memcmp(k, "Flag", 4) == 0) {
        return F_FLAG;
    } else if (n == 4 && memcmp(k, "PNUM", 4) == 0) {
        return F_PNUM;
    } else if (n == 3 && memcmp(k, "PNO", 3) == 0) {
        return F_PNO;
    }
    return -1;
}

/* Strict UTF-8 (no overlongs, surrogates or code points past U+10FFFF). */
static int
utf8_valid(const unsigned char *p, size_t n)
{
    size_t i = 0;

    while (i < n) {
        unsigned char c = p[i];
        size_t k;
        uint32_t cp;

        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            k = 1, cp = c & 0x1F;
        else if (c >= 0xE0 && c <= 0xEF)
            k = 2, cp = c & 0x0F;
        else if (c >= 0xF0 && c <= 0xF4)
            k = 3, cp = c & 0x07;
        else
            return 0;
        if (n - i <= k)
            return 0;
        for (size_t j = 1; j <= k; j++) {
            if ((p[i + j] & 0xC0) != 0x80)
                return 0;
            cp = cp << 6 | (p[i + j] & 0x3F);
        }
        if ((k == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return 0;
        i += k + 1;
    }
    return 1;
}

/* Characters, not bytes: UTF-8 code points, and GBK characters (lead bytes 0x81-0xFE). */
static size_t
utf8_chars(const unsigned char *p, size_t n)
{
    size_t c = 0;

    for (size_t i = 0; i < n; i++)
        c += (p[i] & 0xC0) != 0x80;
    return c;
}

static size_t
gbk_chars(const unsigned char *p, size_t n)
{
    size_t c = 0;

    for (size_t i = 0; i < n; i++, c++)
        if (p[i] >= 0x81 && p[i] <= 0xFE && i + 1 < n)
            i++;
    return c;
}

static void
check_length(struct hj212_pkt *p, int high)
{
    const unsigned char *s = (const unsigned char *)p->seg.ptr;

    p->length_ok = p->declared_len == p->seg.len;
    if (p->seg.len > HJ212_SEG_STD_MAX)
        p->warnings |= HJ212_W_SEG_OVERSIZE;
    if (p->length_ok)
        return;
    if (high && (p->declared_len == utf8_chars(s, p->seg.len) ||
                 p->declared_len == gbk_chars(s, p->seg.len)))
        p->warnings |= HJ212_W_LEN_CHARS;
    else
        p->warnings |= HJ212_W_LEN_MISMATCH;
}

static void
check_crc(struct hj212_pkt *p, const char *hex, size_t n, uint16_t calc)
{
    unsigned sent = 0;
    uint16_t m;

    for (size_t i = 0; i < n; i++) {
        if (hex[i] >= 'a' && hex[i] <= 'f')
            p->warnings |= HJ212_W_CRC_LOWERCASE;
        sent = sent << 4 | (unsigned)hj212__hex_value((unsigned char)hex[i]);
    }
    p->crc_sent = (uint16_t)sent;
    p->crc_calc = calc;
    p->crc_ok = p->crc_sent == p->crc_calc;
    p->crc_variant = p->crc_ok ? HJ212_CRC_HJ212 : HJ212_CRC_NONE;
    if (p->crc_ok)
        return;
    /* Diagnostics only: instruments that use ordinary Modbus CRC (reference 2.4). */
    m = hj212_crc_modbus(p->seg.ptr, p->seg.len);
    if (p->crc_sent == (uint16_t)(m >> 8 | m << 8))
        p->crc_variant = HJ212_CRC_MODBUS_LE;
    else if (p->crc_sent == m)
        p->crc_variant = HJ212_CRC_MODBUS_BE;
    p->warnings |= p->crc_variant == HJ212_CRC_NONE ? HJ212_W_CRC_BAD : HJ212_W_CRC_MODBUS;
}

static inline struct hj212_str
trimmed(const char *a, const char *b, uint32_t *w)
{
    const char *s = a, *e = b;

    if (s < e && (hj212__is_blank((unsigned char)*s) || hj212__is_blank((unsigned char)e[-1]))) {
        while (s < e && hj212__is_blank((unsigned char)*s))
            s++;
        while (e > s && hj212__is_blank((unsigned char)e[-1]))
            e--;
        *w |= HJ212_W_SPACES;
    }
    return (struct hj212_str){ s, (size_t)(e - s) };
}

/* The first ';' or ',' in [p, end), or end; 8 bytes at a time. */
static const char *
header_sep(const char *p, const char *end)
{
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;

    for (; end - p >= 8; p += 8) {
        uint64_t w, a, b;

        memcpy(&w, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        w = __builtin_bswap64(w);
#endif
        a = w ^ (ones * ';');
        b = w ^ (ones * ',');
        /* Borrows can mark a byte above a match, never below: the lowest mark is exact. */
        a = (((a - ones) & ~a) | ((b - ones) & ~b)) & highs;
        if (a != 0)
            return p + (__builtin_ctzll(a) >> 3);
    }
    while (p < end && *p != ';' && *p != ',')
        p++;
    return p;
}

/* One header item [a, b): stores a known field; returns 1 when it was a key=value pair. */
static int
header_item(const char *a, const char *b, struct hj212_str *fields, int *rank, uint32_t *w)
{
    const char *eq = a;
    struct hj212_str key;
    int i;

    while (eq < b && *eq != '=')
        eq++;
    if (eq == b) {
        *w |= HJ212_W_HEADER_ITEM;
        return 0;
    }
    key = trimmed(a, eq, w);
    i = field_index(key.ptr, key.len);
    if (i < 0) {
        *w |= HJ212_W_UNKNOWN_FIELD;
        return 1;
    }
    if (fields[i].ptr != NULL) {
        *w |= HJ212_W_DUP_FIELD;
        return 1;
    }
    if (i < *rank)
        *w |= HJ212_W_FIELD_ORDER;
    *rank = i;
    fields[i] = trimmed(eq + 1, b, w);
    return 1;
}

/* Splits the header [s, end) on ';' (',' tolerated); returns the number of key=value items. */
static int
parse_header(const char *s, const char *end, struct hj212_str *fields, uint32_t *w)
{
    int rank = -1, items = 0;

    while (s < end) {
        const char *e = header_sep(s, end);

        if (e < end && *e == ',')
            *w |= HJ212_W_HEADER_SEPARATOR;
        if (trimmed(s, e, w).len == 0)
            *w |= HJ212_W_HEADER_SEPARATOR;     /* ";;", or a header that starts with ';' */
        else
            items += header_item(s, e, fields, &rank, w);
        s = e < end ? e + 1 : e;
    }
    return items;
}

/*
 * Finds "CP=": its position (*key) and the CP content. The content runs from after "CP=&&"
 * to the last "&&" of the segment. Returns 0 when the segment has no CP at all.
 */
static int
find_cp(const char *seg, size_t n, size_t *key, struct hj212_str *cp, uint32_t *w)
{
    const char *k = memchr(seg, '&', n), *c, *end = seg + n, *close = NULL;

    /* No header value may hold '&', so the first '&' is normally the one of "CP=&&". */
    if (k == NULL || k - seg < 3 || end - k < 2 || memcmp(k - 3, "CP=&", 4) != 0 || k[1] != '&')
        k = hj212__find(seg, n, "CP=&&", 5);
    else
        k -= 3;
    if (k == NULL) {
        for (k = hj212__find(seg, n, "CP=", 3); k != NULL;
             k = hj212__find(k + 1, (size_t)(end - k - 1), "CP=", 3))
            if (k == seg || k[-1] == ';' || k[-1] == ',' || hj212__is_blank((unsigned char)k[-1]))
                break;
        if (k == NULL)
            return 0;
        *w |= HJ212_W_CP_FORMAT;
        c = k + 3;
    } else {
        c = k + 5;
    }
    if (k > seg && k[-1] != ';')
        *w |= HJ212_W_HEADER_SEPARATOR;         /* C.19: "Flag=5CP=&&" */
    for (const char *q = end - 2; q >= c && close == NULL; q--)
        if (q[0] == '&' && q[1] == '&')
            close = q;
    if (close == NULL) {
        close = end;
        *w |= HJ212_W_CP_FORMAT;                /* not closed by "&&" */
    } else if (close + 2 != end) {
        *w |= HJ212_W_CP_FORMAT;                /* bytes after the closing "&&" */
    }
    *key = (size_t)(k - seg);
    *cp = (struct hj212_str){ c, (size_t)(close - c) };
    return 1;
}

/* Character classes of the header fields' formats. */
enum { K_DIGIT = 1, K_UPHEX = 2, K_UPALNUM = 4 };

static const unsigned char kinds[256] = {
#define D(c) [c] = K_DIGIT | K_UPHEX | K_UPALNUM
#define H(c) [c] = K_UPHEX | K_UPALNUM
    D('0'), D('1'), D('2'), D('3'), D('4'), D('5'), D('6'), D('7'), D('8'), D('9'),
    H('A'), H('B'), H('C'), H('D'), H('E'), H('F'),
#undef D
#undef H
    ['G'] = K_UPALNUM, ['H'] = K_UPALNUM, ['I'] = K_UPALNUM, ['J'] = K_UPALNUM,
    ['K'] = K_UPALNUM, ['L'] = K_UPALNUM, ['M'] = K_UPALNUM, ['N'] = K_UPALNUM,
    ['O'] = K_UPALNUM, ['P'] = K_UPALNUM, ['Q'] = K_UPALNUM, ['R'] = K_UPALNUM,
    ['S'] = K_UPALNUM, ['T'] = K_UPALNUM, ['U'] = K_UPALNUM, ['V'] = K_UPALNUM,
    ['W'] = K_UPALNUM, ['X'] = K_UPALNUM, ['Y'] = K_UPALNUM, ['Z'] = K_UPALNUM,
};

/* Is s exactly n characters of the kind? */
static int
all_of(struct hj212_str s, size_t n, unsigned kind)
{
    unsigned acc = kind;

    if (s.len != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        acc &= kinds[(unsigned char)s.ptr[i]];
    return acc == kind;
}

/* Flag, version and PNUM/PNO (reference 3.3). */
static void
check_flag(struct hj212_pkt *p, const struct hj212_str *f)
{
    long v;

    p->flag = -1;
    p->version = HJ212_V2005;
    if (f[F_FLAG].ptr == NULL) {
        p->warnings |= HJ212_W_NO_FLAG;         /* 2005 packets may omit it */
    } else if ((v = hj212__str_to_long(f[F_FLAG], 3)) < 0 || v > 255) {
        p->warnings |= HJ212_W_FLAG_FORMAT;
        p->version = HJ212_V_UNKNOWN;
    } else {
        p->flag = (int)v;
        if (HJ212_FLAG_VERSION(v) == 1)
            p->version = HJ212_V2017;
        else if (HJ212_FLAG_VERSION(v) != 0) {
            p->version = HJ212_V_UNKNOWN;
            p->warnings |= HJ212_W_FLAG_VERSION;
        }
    }
    p->pnum = (int)hj212__str_to_long(f[F_PNUM], 4);
    p->pno = (int)hj212__str_to_long(f[F_PNO], 4);
    if ((f[F_PNUM].ptr != NULL && p->pnum < 1) || (f[F_PNO].ptr != NULL && p->pno < 1) ||
        (p->pnum > 0) != (p->pno > 0) || p->pno > p->pnum ||
        (p->flag >= 0 && ((p->flag & HJ212_FLAG_D) != 0) != (p->pnum > 0)))
        p->warnings |= HJ212_W_PNUM_PNO;
}

static void
check_fields(struct hj212_pkt *p, const struct hj212_str *f)
{
    int reply_2005 = p->version == HJ212_V2005 && hj212__str_eq(f[F_CN], "9014");

    p->qn = f[F_QN];
    p->st = f[F_ST];
    p->cn = f[F_CN];
    p->pw = f[F_PW];
    p->mn = f[F_MN];
    if (p->qn.ptr != NULL && !all_of(p->qn, 17, K_DIGIT))
        p->warnings |= HJ212_W_QN_FORMAT;
    if (p->st.ptr != NULL && !all_of(p->st, 2, K_UPALNUM))
        p->warnings |= HJ212_W_ST_FORMAT;
    if (p->cn.ptr != NULL && !all_of(p->cn, 4, K_DIGIT))
        p->warnings |= HJ212_W_CN_FORMAT;
    /* 2017: 24 hex characters (EPC-96); 2005: 14 characters (maker code + serial). */
    if (p->mn.ptr != NULL && !all_of(p->mn, 24, K_UPHEX) &&
        (p->version == HJ212_V2017 || !all_of(p->mn, 14, K_UPALNUM)))
        p->warnings |= HJ212_W_MN_FORMAT;
    /* 2005's 9014 carries neither PW nor MN (reference 7.8); 2005 replies carry QN in CP. */
    if (p->st.ptr == NULL || p->cn.ptr == NULL || (p->mn.ptr == NULL && !reply_2005) ||
        (p->version == HJ212_V2017 && (p->qn.ptr == NULL || p->pw.ptr == NULL)))
        p->warnings |= HJ212_W_MISSING_FIELD;
}

static int
parse_segment(struct hj212_pkt *p, int high)
{
    struct hj212_str f[F_COUNT];
    size_t hdr_len = p->seg.len;
    uint32_t w = 0;

    for (int i = 0; i < F_COUNT; i++)
        f[i].ptr = NULL, f[i].len = 0;

    p->cp = (struct hj212_str){ NULL, 0 };
    if (!find_cp(p->seg.ptr, p->seg.len, &hdr_len, &p->cp, &w))
        w |= HJ212_W_CP_MISSING;
    if (parse_header(p->seg.ptr, p->seg.ptr + hdr_len, f, &w) == 0)
        return HJ212_ESYNTAX;
    if (high && hj212__has_high(p->seg.ptr, hdr_len))
        w |= HJ212_W_NON_ASCII;
    p->warnings |= w;
    check_flag(p, f);
    check_fields(p, f);
    p->reply_qn = (struct hj212_str){ NULL, 0 };
    if (p->cn.len == 4 && p->cn.ptr[0] == '9' && p->cn.ptr[1] == '0' && p->cp.ptr != NULL)
        hj212_cp_get(p->cp, "QN", &p->reply_qn);
    if (p->cp.ptr != NULL)
        p->warnings |= hj212__scan_cp(p->cp, high);
    return HJ212_OK;
}

int
hj212__pkt_from_frame(const char *base, const struct hj212__frame *f, struct hj212_pkt *out)
{
    struct hj212_pkt p;
    uint16_t calc;
    int high, rc;

    p.frame = (struct hj212_str){ base, f->end };
    p.seg = (struct hj212_str){ base + 6, f->seg_len };
    p.declared_len = f->declared;
    p.warnings = f->warnings;
    calc = hj212__crc_scan(p.seg.ptr, p.seg.len, &high);
    if (high && !utf8_valid((const unsigned char *)p.seg.ptr, p.seg.len))
        p.warnings |= HJ212_W_INVALID_UTF8;
    check_length(&p, high);
    check_crc(&p, base + f->crc_off, f->crc_len, calc);
    rc = parse_segment(&p, high);
    if (rc != HJ212_OK)
        return rc;
    *out = p;
    return HJ212_OK;
}

int
hj212_pkt_parse(const char *buf, size_t len, struct hj212_pkt *pkt)
{
    struct hj212__frame f;
    size_t i = 0, j;
    int err;

    if (buf == NULL || pkt == NULL)
        return HJ212_EINVAL;
    while (i < len && hj212__is_space((unsigned char)buf[i]))
        i++;
    if (len - i < 2 || buf[i] != '#' || buf[i + 1] != '#')
        return HJ212_EFRAME;
    if (hj212__frame_find(buf + i, len - i, 1, HJ212_SEG_MAX, &f, &err) != HJ212__FOUND)
        return err;
    for (j = i + f.end; j < len && hj212__is_space((unsigned char)buf[j]); j++)
        ;
    if (j != len)
        return HJ212_EFRAME;
    return hj212__pkt_from_frame(buf + i, &f, pkt);
}
