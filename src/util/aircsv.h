/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the air-quality commands (envwatch aqi, envwatch air-stats): strict parsing of
 * concentration cells, case-insensitive column lookup, and a small table writer that emits
 * the same rows as CSV (with a header) or as a JSON array of objects. Not a general CSV
 * library: reading is ew_csv's job.
 */
#ifndef EW_UTIL_AIRCSV_H
#define EW_UTIL_AIRCSV_H

#include <stddef.h>
#include <stdio.h>

/*
 * Parses a concentration cell: surrounding blanks are ignored, an empty cell is missing
 * (*out = NAN). Returns EW_OK, or EW_EFORMAT for anything that is not a plain decimal
 * number >= 0 such as 12, 0.8 or 1.5e2 (then *out is untouched): no sign, hex, inf or nan.
 */
int ew_aircsv_num(const char *s, double *out);

/* Index of the first field equal to one of names[0..n_names) ignoring ASCII case and
 * surrounding blanks, or -1. */
int ew_aircsv_col(char **fields, size_t n, const char *const *names, size_t n_names);

/* The tokens of the items in mask (bit 1u << enum ew_air_item) joined by sep, into
 * out[0..cap); "" for an empty mask. Truncates safely. */
void ew_aircsv_items(unsigned mask, char sep, char *out, size_t cap);

struct ew_airtab;   /* opaque table writer */

/*
 * Creates a writer of ncols columns named names[] (copied) to out, as CSV (json = 0) or as a
 * JSON array of objects (json = 1). In JSON a cell set with ew_airtab_num/int is a number,
 * one set with ew_airtab_str a string, an unset cell null. Returns EW_OK or EW_ENOMEM/EINVAL.
 */
int  ew_airtab_create(FILE *out, int json, const char *const *names, size_t ncols,
                      struct ew_airtab **t);
int  ew_airtab_str(struct ew_airtab *t, size_t col, const char *s);
/* NAN leaves the cell unset (empty in CSV, null in JSON). */
int  ew_airtab_num(struct ew_airtab *t, size_t col, double v, int decimals);
/* A number in %.10g form (the shortest faithful text of a parsed cell). */
int  ew_airtab_numg(struct ew_airtab *t, size_t col, double v);
int  ew_airtab_int(struct ew_airtab *t, size_t col, long v);
/* Writes the current row (the CSV header first, once) and clears the cells. EW_EIO on a
 * write error. */
int  ew_airtab_row(struct ew_airtab *t);
/* Ends the output (the closing bracket in JSON, or the header alone if no row was written)
 * and flushes; returns EW_EIO when anything failed to write. Frees t; NULL is a no-op. */
int  ew_airtab_finish(struct ew_airtab *t);

#endif
