/* SPDX-License-Identifier: MIT */
/*
 * The packed reading row (readrow.h). The decoder trusts nothing: a row read back from a
 * damaged or hand-edited database is refused with EW_EFORMAT, never read past its end.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <envwatch/err.h>

#include "store/readrow.h"

#define ENC_ABSENT 0
#define ENC_RAW 1
#define ENC_DEC 2                       /* ENC_DEC + k: k decimals */
#define DEC_MAX 13
#define EXACT_INT 9007199254740992.0    /* 2^53: every integer below is a double */
#define FIELDS 5

static const double p10[DEC_MAX + 1] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6,
                                         1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13 };

size_t
ew__row_bound(size_t n)
{
    /* version + count varint; per entry: len, 16, kind and t varints, enc 3, five raw
     * doubles, flag 4 */
    return 1 + 10 + n * (1 + 16 + 10 + 10 + 3 + FIELDS * 8 + 4);
}

static unsigned char *
put_varint(unsigned char *p, uint64_t v)
{
    while (v >= 0x80) {
        *p++ = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    *p++ = (unsigned char)v;
    return p;
}

static uint64_t
zigzag(int64_t v)
{
    return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

/* The nibble for v: absent, raw, or the fewest decimals that give v back exactly. */
static int
field_enc(double v, int64_t *m)
{
    if (isnan(v))
        return ENC_ABSENT;
    if (!isfinite(v) || fabs(v) >= EXACT_INT || (v == 0 && signbit(v)))
        return ENC_RAW;
    for (int k = 0; k <= DEC_MAX; k++) {
        double s = nearbyint(v * p10[k]);
        if (fabs(s) >= EXACT_INT)
            break;
        if (s / p10[k] == v) {
            *m = (int64_t)s;
            return ENC_DEC + k;
        }
    }
    return ENC_RAW;
}

static unsigned char *
put_field(unsigned char *p, double v, int enc, int64_t m)
{
    uint64_t bits;

    if (enc == ENC_ABSENT)
        return p;
    if (enc == ENC_RAW) {
        memcpy(&bits, &v, sizeof(bits));
        for (int i = 0; i < 8; i++)
            *p++ = (unsigned char)(bits >> (8 * i));
        return p;
    }
    return put_varint(p, zigzag(m));
}

int
ew__row_encode(const struct ew_reading *v, size_t n, int timed, unsigned char *out,
               size_t *len)
{
    unsigned char *p = out;

    if (n > EW__ROW_MAX)
        return EW_ETOOBIG;
    *p++ = timed ? EW__ROW_TIMED : EW__ROW_VERSION;
    p = put_varint(p, n);
    for (size_t i = 0; i < n; i++) {
        const struct ew_reading *r = &v[i];
        double f[FIELDS] = { r->value, r->min, r->max, r->cou, r->zs };
        int enc[FIELDS + 1];
        int64_t m[FIELDS] = { 0 };
        size_t flen = strnlen(r->flag, sizeof(r->flag)), clen;

        clen = strnlen(r->factor, sizeof(r->factor));
        if (clen == 0 || clen >= sizeof(r->factor) || flen >= sizeof(r->flag) ||
            (i > 0 && strcmp(v[i - 1].factor, r->factor) >= 0))
            return EW_EINVAL;
        for (int j = 0; j < FIELDS; j++)
            enc[j] = field_enc(f[j], &m[j]);
        enc[FIELDS] = (int)flen;
        *p++ = (unsigned char)clen;
        memcpy(p, r->factor, clen);
        p += clen;
        if (timed) {
            if (r->kind < 0)
                return EW_EINVAL;
            p = put_varint(p, (uint64_t)r->kind);
            p = put_varint(p, zigzag(r->t_unix_s));
        }
        for (int j = 0; j < FIELDS + 1; j += 2)
            *p++ = (unsigned char)(enc[j] | enc[j + 1] << 4);
        for (int j = 0; j < FIELDS; j++)
            p = put_field(p, f[j], enc[j], m[j]);
        memcpy(p, r->flag, flen);
        p += flen;
    }
    *len = (size_t)(p - out);
    return EW_OK;
}

/* ---- decoding ------------------------------------------------------------------------------ */

struct rd {
    const unsigned char *p, *end;
};

static int
get_varint(struct rd *d, uint64_t *v)
{
    uint64_t x = 0;

    for (int shift = 0; shift < 64; shift += 7) {
        if (d->p == d->end)
            return EW_EFORMAT;
        unsigned char b = *d->p++;
        if (shift == 63 && b > 1)
            return EW_EFORMAT;          /* more than 64 bits */
        x |= (uint64_t)(b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
            *v = x;
            return EW_OK;
        }
    }
    return EW_EFORMAT;
}

static int
get_field(struct rd *d, int enc, double *out)
{
    uint64_t u;
    int64_t m;

    if (enc == ENC_ABSENT) {
        *out = NAN;
        return EW_OK;
    }
    if (enc == ENC_RAW) {
        if (d->end - d->p < 8)
            return EW_EFORMAT;
        u = 0;
        for (int i = 0; i < 8; i++)
            u |= (uint64_t)d->p[i] << (8 * i);
        d->p += 8;
        memcpy(out, &u, sizeof(*out));
        return isnan(*out) ? EW_EFORMAT : EW_OK;       /* absent is nibble 0, never a NaN */
    }
    if (enc - ENC_DEC > DEC_MAX || get_varint(d, &u) != EW_OK)
        return EW_EFORMAT;
    m = (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
    if (m <= -(int64_t)EXACT_INT || m >= (int64_t)EXACT_INT)
        return EW_EFORMAT;
    *out = (double)m / p10[enc - ENC_DEC];
    return EW_OK;
}

static int
header(struct rd *d, size_t *n, int *timed)
{
    uint64_t count;

    if (d->p == d->end || (*d->p != EW__ROW_VERSION && *d->p != EW__ROW_TIMED))
        return EW_EFORMAT;
    *timed = *d->p++ == EW__ROW_TIMED;
    if (get_varint(d, &count) != EW_OK || count > EW__ROW_MAX)
        return EW_EFORMAT;
    *n = (size_t)count;
    return EW_OK;
}

int
ew__row_count(const unsigned char *p, size_t len, size_t *n)
{
    struct rd d = { p, p };
    int timed;

    if (p == NULL)
        return EW_EFORMAT;
    d.end = p + len;
    return header(&d, n, &timed);
}

/* A timed entry's kind and time. */
static int
get_time(struct rd *d, struct ew_reading *r)
{
    uint64_t kind, t;

    if (get_varint(d, &kind) != EW_OK || kind > INT32_MAX || get_varint(d, &t) != EW_OK)
        return EW_EFORMAT;
    r->kind = (int)kind;
    r->t_unix_s = (int64_t)(t >> 1) ^ -(int64_t)(t & 1);
    return EW_OK;
}

static int
get_entry(struct rd *d, int timed, struct ew_reading *r)
{
    unsigned char enc[3];
    double *f[FIELDS] = { &r->value, &r->min, &r->max, &r->cou, &r->zs };
    size_t clen, flen;

    if (d->p == d->end)
        return EW_EFORMAT;
    clen = *d->p++;
    if (clen == 0 || clen >= sizeof(r->factor) || (size_t)(d->end - d->p) < clen ||
        memchr(d->p, '\0', clen) != NULL)
        return EW_EFORMAT;
    memcpy(r->factor, d->p, clen);
    r->factor[clen] = '\0';
    d->p += clen;
    if (timed && get_time(d, r) != EW_OK)
        return EW_EFORMAT;
    if (d->end - d->p < 3)
        return EW_EFORMAT;
    memcpy(enc, d->p, 3);
    d->p += 3;
    for (int j = 0; j < FIELDS; j++) {
        int e = j % 2 == 0 ? enc[j / 2] & 0x0f : enc[j / 2] >> 4;
        if (get_field(d, e, f[j]) != EW_OK)
            return EW_EFORMAT;
    }
    flen = enc[2] >> 4;
    if (flen >= sizeof(r->flag) || (size_t)(d->end - d->p) < flen ||
        memchr(d->p, '\0', flen) != NULL)
        return EW_EFORMAT;
    memcpy(r->flag, d->p, flen);
    r->flag[flen] = '\0';
    d->p += flen;
    return EW_OK;
}

int
ew__row_decode(const unsigned char *p, size_t len, struct ew_reading *v, size_t cap,
               size_t *n)
{
    struct rd d = { p, p };
    size_t count;
    int timed;

    if (p == NULL)
        return EW_EFORMAT;
    d.end = p + len;
    if (header(&d, &count, &timed) != EW_OK)
        return EW_EFORMAT;
    if (count > cap)
        return EW_ETOOBIG;
    for (size_t i = 0; i < count; i++) {
        if (get_entry(&d, timed, &v[i]) != EW_OK ||
            (i > 0 && strcmp(v[i - 1].factor, v[i].factor) >= 0))
            return EW_EFORMAT;
    }
    if (d.p != d.end)
        return EW_EFORMAT;              /* trailing bytes */
    *n = count;
    return EW_OK;
}
