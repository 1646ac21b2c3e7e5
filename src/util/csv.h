/* SPDX-License-Identifier: MIT */
/*
 * CSV reading (RFC 4180: quoted fields, doubled quotes, CR LF or LF, a UTF-8 BOM skipped) and
 * writing. The reader is bounded: a row longer than max_row bytes or with more than max_fields
 * fields is an error (EW_ETOOBIG), so hostile input cannot grow memory.
 */
#ifndef EW_UTIL_CSV_H
#define EW_UTIL_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "util/buf.h"

struct ew_csv;  /* opaque reader */

int  ew_csv_open(FILE *in, size_t max_row, size_t max_fields, struct ew_csv **out);
void ew_csv_close(struct ew_csv *c);     /* does not close the FILE; NULL is a no-op */
/*
 * Reads the next row. On EW_OK, *fields points to *n NUL-terminated strings that live until
 * the next call. Returns EW_ENOTFOUND at end of input, EW_EFORMAT for an unterminated quote,
 * EW_ETOOBIG for a row over the limits. *line is the 1-based line where the row started.
 */
int ew_csv_next(struct ew_csv *c, char ***fields, size_t *n, size_t *line);

/* Appends one field, quoted when it holds a comma, quote, CR or LF. */
int ew_csv_field(struct ew_buf *b, const char *s);

#endif
