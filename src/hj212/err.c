/* SPDX-License-Identifier: MIT */
/* Names of libhj212's error codes, warning bits and CRC variants, and small view helpers. */
#include <string.h>

#include "internal.h"

const char *
hj212_strerror(int err)
{
    switch (err) {
    case HJ212_OK:
        return "ok";
#define X(name, value, msg)                                                                    \
    case HJ212_##name:                                                                         \
        return msg;
        HJ212_ERR_MAP(X)
#undef X
    }
    return "unknown error";
}

const char *
hj212_errcode(int err)
{
    /* Stable names: scripts read them from `envwatch decode`; never rename one. */
    static const struct {
        int         err;
        const char *code;
    } codes[] = {
        { HJ212_OK, "ok" },         { HJ212_EINVAL, "invalid" }, { HJ212_ENOMEM, "nomem" },
        { HJ212_EAGAIN, "again" },  { HJ212_EFRAME, "frame" },   { HJ212_ECRC, "crc" },
        { HJ212_ETOOBIG, "toobig" }, { HJ212_ESYNTAX, "syntax" }, { HJ212_ESPACE, "space" },
        { HJ212_ETRUNC, "truncated" },
    };

    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
        if (codes[i].err == err)
            return codes[i].code;
    return "unknown";
}

const char *
hj212_warning_name(uint32_t bit)
{
    switch (bit) {
#define X(name, b, text)                                                                       \
    case HJ212_W_##name:                                                                       \
        return text;
        HJ212_WARNING_MAP(X)
#undef X
    }
    return NULL;
}

const char *
hj212_crc_variant_name(enum hj212_crc_variant v)
{
    switch (v) {
    case HJ212_CRC_HJ212:
        return "hj212";
    case HJ212_CRC_MODBUS_LE:
        return "modbus-le";
    case HJ212_CRC_MODBUS_BE:
        return "modbus-be";
    case HJ212_CRC_NONE:
        break;
    }
    return NULL;
}

int
hj212__str_eq(struct hj212_str s, const char *lit)
{
    size_t n = strlen(lit);

    return s.ptr != NULL && s.len == n && memcmp(s.ptr, lit, n) == 0;
}

const char *
hj212__find(const char *hay, size_t n, const char *needle, size_t m)
{
    const char *end = hay + n, *p = hay;

    if (m == 0 || n < m)
        return m == 0 ? hay : NULL;
    while ((p = memchr(p, needle[0], (size_t)(end - p) - m + 1)) != NULL) {
        if (memcmp(p, needle, m) == 0)
            return p;
        if ((size_t)(end - ++p) < m)
            break;
    }
    return NULL;
}

long
hj212__str_to_long(struct hj212_str s, size_t max_digits)
{
    long v = 0;

    if (s.ptr == NULL || s.len == 0 || s.len > max_digits)
        return -1;
    for (size_t i = 0; i < s.len; i++) {
        if (!hj212__is_digit((unsigned char)s.ptr[i]))
            return -1;
        v = v * 10 + (s.ptr[i] - '0');
    }
    return v;
}

size_t
hj212__dec_len(long v)
{
    size_t n = 1;

    while (v >= 10) {
        v /= 10;
        n++;
    }
    return n;
}
