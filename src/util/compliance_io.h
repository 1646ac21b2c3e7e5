/* SPDX-License-Identifier: MIT */
/*
 * Small parsing helpers shared by the standard-table loader and the water and compliance
 * commands: strict numbers, times in either HJ 212 or ISO form, and header-column lookup.
 * They never allocate and never print.
 */
#ifndef EW_UTIL_COMPLIANCE_IO_H
#define EW_UTIL_COMPLIANCE_IO_H

#include <stddef.h>
#include <stdint.h>

/*
 * Parses a whole field as a finite decimal number; surrounding blanks are ignored. Returns
 * EW_ENODATA for an empty or blank field, EW_EFORMAT for anything else that is not a number
 * (trailing text, "nan", "inf", hexadecimal).
 */
int ew_cio_double(const char *s, double *out);
/* Parses a whole field as a decimal integer in [lo, hi]; EW_EFORMAT otherwise. */
int ew_cio_long(const char *s, long lo, long hi, long *out);
/* Parses "YYYYMMDDhhmmss" (HJ 212 DataTime) or ISO 8601 as CST; EW_EFORMAT otherwise. */
int ew_cio_time(const char *s, int64_t *t_unix_s);
/* Index of the column named name (case-insensitive, blanks trimmed) in a header row; -1 when
 * absent. */
int ew_cio_column(char *const *header, size_t n, const char *name);

#endif
