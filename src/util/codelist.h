/* SPDX-License-Identifier: MIT */
/*
 * Lists of "code=value" pairs as the registry's extra columns write them (data/README.md):
 * `limits` "a21026=35;a21002=50", `range` "a21026=0:2000", `quota_t` "a21026=120". Used by the
 * alarm engine and the sources API. Pure functions: no allocation, no I/O.
 */
#ifndef EW_UTIL_CODELIST_H
#define EW_UTIL_CODELIST_H

#include <stddef.h>

struct ew_code_value {
    char   code[17];                    /* factor code, 1..16 bytes */
    double lo, hi;                      /* "code=v": hi = v, lo NAN; "code=lo:hi": both */
};

/*
 * Parses s (';'-separated items; blanks around numbers allowed) into out[0..cap) and returns
 * the number of items kept. With ranges, only "code=lo:hi" items are kept; without, only
 * "code=v". Items that do not parse are left out, so one bad item does not hide the others.
 */
size_t ew_codelist_parse(const char *s, int ranges, struct ew_code_value *out, size_t cap);
/* The item of code in v[0..n), or NULL. */
const struct ew_code_value *ew_codelist_find(const struct ew_code_value *v, size_t n,
                                             const char *code);

#endif
