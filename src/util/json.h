/* SPDX-License-Identifier: MIT */
/*
 * A small append-only JSON writer over ew_buf, for responses and JSON Lines output where a
 * cJSON tree would cost memory and time. The caller writes the punctuation it needs with
 * ew_buf_addc; these helpers write the parts that need care: strings and numbers.
 */
#ifndef EW_UTIL_JSON_H
#define EW_UTIL_JSON_H

#include <stddef.h>

#include "util/buf.h"

/* Appends s[0..len) as a JSON string with quotes. Invalid UTF-8 bytes become U+FFFD, control
 * characters are escaped, so the output is always valid JSON whatever the input. */
int ew_json_str(struct ew_buf *b, const char *s, size_t len);
int ew_json_strz(struct ew_buf *b, const char *s);          /* NULL writes null */
/* Appends a number with up to 'digits' significant digits (%.*g); NaN/inf write null. */
int ew_json_num(struct ew_buf *b, double v, int digits);
/* Appends "key": (with the quotes and colon). */
int ew_json_key(struct ew_buf *b, const char *key);

#endif
