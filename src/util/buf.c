/* SPDX-License-Identifier: MIT */
/* Growable, bounded byte buffer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <envwatch/err.h>

#include "util/buf.h"

#define BUF_DEFAULT_MAX ((size_t)1 << 30)

void
ew_buf_init(struct ew_buf *b, size_t max)
{
    *b = (struct ew_buf){ .max = max ? max : BUF_DEFAULT_MAX };
}

void
ew_buf_fini(struct ew_buf *b)
{
    free(b->ptr);
    b->ptr = NULL;
    b->len = b->cap = 0;
}

void
ew_buf_reset(struct ew_buf *b)
{
    b->len = 0;
    if (b->ptr != NULL)
        b->ptr[0] = '\0';
}

int
ew_buf_reserve(struct ew_buf *b, size_t extra)
{
    size_t need, cap;
    char *p;

    if (extra > b->max || b->len > b->max - extra)
        return EW_ETOOBIG;
    need = b->len + extra + 1;
    if (need <= b->cap)
        return EW_OK;
    cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    p = realloc(b->ptr, cap);
    if (p == NULL)
        return EW_ENOMEM;
    b->ptr = p;
    b->cap = cap;
    return EW_OK;
}

int
ew_buf_add(struct ew_buf *b, const void *data, size_t len)
{
    int rc = ew_buf_reserve(b, len);

    if (rc != EW_OK)
        return rc;
    if (len > 0)
        memcpy(b->ptr + b->len, data, len);
    b->len += len;
    b->ptr[b->len] = '\0';
    return EW_OK;
}

int
ew_buf_adds(struct ew_buf *b, const char *s)
{
    return ew_buf_add(b, s, strlen(s));
}

int
ew_buf_addc(struct ew_buf *b, char c)
{
    return ew_buf_add(b, &c, 1);
}

int
ew_buf_vprintf(struct ew_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    int n, rc;

    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return EW_EINVAL;
    rc = ew_buf_reserve(b, (size_t)n);
    if (rc != EW_OK)
        return rc;
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return EW_OK;
}

int
ew_buf_printf(struct ew_buf *b, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = ew_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

char *
ew_buf_steal(struct ew_buf *b, size_t *len)
{
    char *p = b->ptr;

    if (p == NULL) {
        p = calloc(1, 1);
        if (len != NULL)
            *len = 0;
        return p;
    }
    if (len != NULL)
        *len = b->len;
    b->ptr = NULL;
    b->len = b->cap = 0;
    return p;
}
