/* SPDX-License-Identifier: MIT */
/*
 * A growable byte buffer with a hard upper limit, used to build replies, JSON and CSV.
 * Appends that would pass the limit fail with EW_ETOOBIG and leave the buffer unchanged.
 * The content is always NUL-terminated (the NUL is not counted in len).
 */
#ifndef EW_UTIL_BUF_H
#define EW_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct ew_buf {
    char  *ptr;
    size_t len, cap, max;   /* max: the limit fixed at init; 0 means 1 GiB */
};

void ew_buf_init(struct ew_buf *b, size_t max);
void ew_buf_fini(struct ew_buf *b);
void ew_buf_reset(struct ew_buf *b);            /* len = 0, keeps the memory */
int  ew_buf_reserve(struct ew_buf *b, size_t extra);
int  ew_buf_add(struct ew_buf *b, const void *data, size_t len);
int  ew_buf_adds(struct ew_buf *b, const char *s);
int  ew_buf_addc(struct ew_buf *b, char c);
int  ew_buf_printf(struct ew_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int  ew_buf_vprintf(struct ew_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Takes the memory out of the buffer: the caller frees the result; the buffer is reset. */
char *ew_buf_steal(struct ew_buf *b, size_t *len);

#endif
