/* SPDX-License-Identifier: MIT */
/*
 * A streaming writer of one-sheet .xlsx workbooks (xlsx_write.c): cells go row by row, left
 * to right; strings inline, numbers, and dates with a yyyy-mm-dd format. The sheet is kept
 * deflated in memory (about a tenth of its XML) until close writes the workbook.
 */
#ifndef EW_LEDGER_XLSX_WRITE_H
#define EW_LEDGER_XLSX_WRITE_H

#include <stdio.h>

struct ew__xw;

int  ew__xw_open(FILE *out, struct ew__xw **xw);
void ew__xw_row(struct ew__xw *w);                      /* starts the next row */
void ew__xw_str(struct ew__xw *w, const char *s);      /* "" leaves the cell empty */
void ew__xw_num(struct ew__xw *w, double v);           /* NAN leaves the cell empty */
void ew__xw_date(struct ew__xw *w, int year, int month, int day);
void ew__xw_skip(struct ew__xw *w);                     /* an empty cell */
/* Writes the workbook to the FILE (when write is 1) and frees w; EW_ENOMEM or EW_EIO. */
int  ew__xw_close(struct ew__xw *w, int write);

#endif
