/* SPDX-License-Identifier: MIT */
/*
 * A streaming writer of one-sheet .xlsx workbooks (xlsx_write.c): cells go row by row, left
 * to right; strings inline or through the shared-string table, numbers, and dates with a
 * yyyy-mm-dd format. The sheet is kept deflated in memory (about an eighth of its XML) until
 * close writes the workbook.
 */
#ifndef EW_LEDGER_XLSX_WRITE_H
#define EW_LEDGER_XLSX_WRITE_H

#include <stdio.h>

struct ew__xw;

int  ew__xw_open(FILE *out, struct ew__xw **xw);
void ew__xw_row(struct ew__xw *w);                      /* starts the next row */
/* A string written in the cell: for values that seldom repeat (codes, titles). "" leaves
 * the cell empty. Invalid UTF-8 and characters XML cannot hold become U+FFFD. */
void ew__xw_str(struct ew__xw *w, const char *s);
/* A string through the shared-string table, written once per workbook: for values that
 * repeat (labels, units, names). Past EW__XW_SHARED_MAX distinct values it writes inline. */
void ew__xw_shared(struct ew__xw *w, const char *s);
void ew__xw_num(struct ew__xw *w, double v);           /* NAN leaves the cell empty */
void ew__xw_date(struct ew__xw *w, int year, int month, int day);
void ew__xw_skip(struct ew__xw *w);                     /* an empty cell */
/* Writes the workbook to the FILE (when write is 1) and frees w; EW_ENOMEM, EW_EIO, or
 * EW_ETOOBIG past what a zip without ZIP64 holds (4 GiB of sheet XML). */
int  ew__xw_close(struct ew__xw *w, int write);
#define EW__XW_SHARED_MAX (1u << 20)

#endif
