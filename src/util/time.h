/* SPDX-License-Identifier: MIT */
/*
 * Civil time in China Standard Time (UTC+8, no daylight saving), the zone of every HJ 212
 * DataTime. Stored instants are Unix seconds (UTC); these helpers convert without touching
 * the process's TZ, so results do not depend on the machine's settings.
 */
#ifndef EW_UTIL_TIME_H
#define EW_UTIL_TIME_H

#include <stddef.h>
#include <stdint.h>

#define EW_CST_OFFSET_S (8 * 3600)

struct ew_civil {
    int year, month, day, hour, min, sec;
};

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
int64_t ew_days_from_civil(int y, int m, int d);
void    ew_civil_from_days(int64_t days, int *y, int *m, int *d);
int     ew_days_in_month(int y, int m);

/* CST civil time <-> Unix seconds. ew_civil_valid rejects 2019-02-30 and friends. */
int     ew_civil_valid(const struct ew_civil *c);
int64_t ew_civil_to_unix(const struct ew_civil *c);
void    ew_unix_to_civil(int64_t t_unix_s, struct ew_civil *c);

/* Parses "YYYYMMDDhhmmss" (exactly 14 digits) as CST. */
int ew_time_parse_compact(const char *s, size_t len, int64_t *t_unix_s);
/* Parses local ISO 8601: "YYYY-MM-DD", "YYYY-MM-DDThh:mm[:ss]" (a space also works) as CST;
 * a trailing "Z" or "+hh:mm" offset is honoured. */
int ew_time_parse_iso(const char *s, int64_t *t_unix_s);
/* Writes "YYYY-MM-DDThh:mm:ss" (CST, no zone) into out (>= 20 bytes). */
void ew_time_fmt_iso(int64_t t_unix_s, char out[20]);
/* Writes "YYYYMMDDhhmmss" (CST) into out (>= 15 bytes). */
void ew_time_fmt_compact(int64_t t_unix_s, char out[15]);

#endif
