/* SPDX-License-Identifier: MIT */
/* Append-only JSON writing: strings with UTF-8 validation, numbers. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <envwatch/err.h>

#include "util/json.h"

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when it is not one. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
    uint32_t cp;
    size_t len, i;

    if (s[0] < 0x80)
        return 1;
    if ((s[0] & 0xE0) == 0xC0) {
        len = 2;
        cp = s[0] & 0x1F;
    } else if ((s[0] & 0xF0) == 0xE0) {
        len = 3;
        cp = s[0] & 0x0F;
    } else if ((s[0] & 0xF8) == 0xF0) {
        len = 4;
        cp = s[0] & 0x07;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    /* Overlong forms, surrogates and values past U+10FFFF are not UTF-8. */
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return 0;
    return len;
}

int
ew_json_str(struct ew_buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0, seq;
    int rc;

    if ((rc = ew_buf_addc(b, '"')) != EW_OK)
        return rc;
    while (i < len) {
        unsigned char c = p[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
            run++;
            i++;
            continue;
        }
        if (c >= 0x80 && (seq = utf8_seq(p + i, len - i)) > 0) {
            run += seq;
            i += seq;
            continue;
        }
        if (run > 0 && (rc = ew_buf_add(b, p + i - run, run)) != EW_OK)
            return rc;
        run = 0;
        if (c >= 0x80) {
            rc = ew_buf_adds(b, "\xEF\xBF\xBD");
        } else if (c == '"' || c == '\\') {
            char e[2] = { '\\', (char)c };
            rc = ew_buf_add(b, e, 2);
        } else if (c == '\n') {
            rc = ew_buf_adds(b, "\\n");
        } else if (c == '\r') {
            rc = ew_buf_adds(b, "\\r");
        } else if (c == '\t') {
            rc = ew_buf_adds(b, "\\t");
        } else {
            char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
            rc = ew_buf_add(b, e, 6);
        }
        if (rc != EW_OK)
            return rc;
        i++;
    }
    if (run > 0 && (rc = ew_buf_add(b, p + i - run, run)) != EW_OK)
        return rc;
    return ew_buf_addc(b, '"');
}

int
ew_json_strz(struct ew_buf *b, const char *s)
{
    if (s == NULL)
        return ew_buf_adds(b, "null");
    return ew_json_str(b, s, strlen(s));
}

int
ew_json_num(struct ew_buf *b, double v, int digits)
{
    if (!isfinite(v))
        return ew_buf_adds(b, "null");
    return ew_buf_printf(b, "%.*g", digits, v);
}

int
ew_json_key(struct ew_buf *b, const char *key)
{
    int rc = ew_json_strz(b, key);

    return rc != EW_OK ? rc : ew_buf_addc(b, ':');
}
