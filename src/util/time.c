/* SPDX-License-Identifier: MIT */
/* CST civil time arithmetic without the C library's time zone machinery. */
#include <stdio.h>
#include <string.h>

#include <envwatch/err.h>

#include "util/time.h"

int64_t
ew_days_from_civil(int y, int m, int d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void
ew_civil_from_days(int64_t z, int *y, int *m, int *d)
{
    int64_t era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

int
ew_days_in_month(int y, int m)
{
    static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return days[(m - 1) % 12];
}

int
ew_civil_valid(const struct ew_civil *c)
{
    return c->year >= 1900 && c->year <= 9999 && c->month >= 1 && c->month <= 12 &&
           c->day >= 1 && c->day <= ew_days_in_month(c->year, c->month) && c->hour >= 0 &&
           c->hour <= 23 && c->min >= 0 && c->min <= 59 && c->sec >= 0 && c->sec <= 59;
}

int64_t
ew_civil_to_unix(const struct ew_civil *c)
{
    return ew_days_from_civil(c->year, c->month, c->day) * 86400 + c->hour * 3600 +
           c->min * 60 + c->sec - EW_CST_OFFSET_S;
}

void
ew_unix_to_civil(int64_t t, struct ew_civil *c)
{
    int64_t local = t + EW_CST_OFFSET_S;
    int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    int64_t secs = local - days * 86400;

    ew_civil_from_days(days, &c->year, &c->month, &c->day);
    c->hour = (int)(secs / 3600);
    c->min = (int)(secs % 3600 / 60);
    c->sec = (int)(secs % 60);
}

static int
digits(const char *s, int n, int *out)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

int
ew_time_parse_compact(const char *s, size_t len, int64_t *t)
{
    struct ew_civil c;

    if (len != 14 || !digits(s, 4, &c.year) || !digits(s + 4, 2, &c.month) ||
        !digits(s + 6, 2, &c.day) || !digits(s + 8, 2, &c.hour) ||
        !digits(s + 10, 2, &c.min) || !digits(s + 12, 2, &c.sec) || !ew_civil_valid(&c))
        return EW_EFORMAT;
    *t = ew_civil_to_unix(&c);
    return EW_OK;
}

int
ew_time_parse_iso(const char *s, int64_t *t)
{
    struct ew_civil c = { 0 };
    size_t len = strlen(s), i;
    int64_t offset = EW_CST_OFFSET_S;

    if (len < 10 || !digits(s, 4, &c.year) || s[4] != '-' || !digits(s + 5, 2, &c.month) ||
        s[7] != '-' || !digits(s + 8, 2, &c.day))
        return EW_EFORMAT;
    i = 10;
    if (len > 10) {
        if ((s[10] != 'T' && s[10] != ' ') || len < 16 || !digits(s + 11, 2, &c.hour) ||
            s[13] != ':' || !digits(s + 14, 2, &c.min))
            return EW_EFORMAT;
        i = 16;
        if (len >= 19 && s[16] == ':') {
            if (!digits(s + 17, 2, &c.sec))
                return EW_EFORMAT;
            i = 19;
        }
        if (i < len && s[i] == 'Z') {
            offset = 0;
            i++;
        } else if (i < len && (s[i] == '+' || s[i] == '-')) {
            int oh, om;
            if (len - i != 6 || !digits(s + i + 1, 2, &oh) || s[i + 3] != ':' ||
                !digits(s + i + 4, 2, &om))
                return EW_EFORMAT;
            offset = (s[i] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
            i = len;
        }
    }
    if (i != len || !ew_civil_valid(&c))
        return EW_EFORMAT;
    *t = ew_civil_to_unix(&c) + EW_CST_OFFSET_S - offset;
    return EW_OK;
}

/* Writes v (0..10^w - 1) as w decimal digits, zero-padded; returns the end. */
static char *
put_digits(char *out, unsigned v, int w)
{
    for (int i = w - 1; i >= 0; i--) {
        out[i] = (char)('0' + v % 10u);
        v /= 10u;
    }
    return out + w;
}

/*
 * The two layouts every reply, journal entry and API row is stamped with, written digit by
 * digit: they are on the ingest path (a printf of six fields cost about as much as storing a
 * reading). The six civil fields, joined by the five separators of sep (NULL: none). Civil
 * fields are always in range; a year past 9999 keeps its last four digits.
 */
static void
fmt_civil(int64_t t, char *out, const char *sep)
{
    static const int width[6] = { 4, 2, 2, 2, 2, 2 };
    struct ew_civil c;
    unsigned v[6];

    ew_unix_to_civil(t, &c);
    v[0] = (unsigned)c.year % 10000u;
    v[1] = (unsigned)c.month;
    v[2] = (unsigned)c.day;
    v[3] = (unsigned)c.hour;
    v[4] = (unsigned)c.min;
    v[5] = (unsigned)c.sec;
    for (int i = 0; i < 6; i++) {
        out = put_digits(out, v[i], width[i]);
        if (i < 5 && sep != NULL)
            *out++ = sep[i];
    }
    *out = '\0';
}

void
ew_time_fmt_iso(int64_t t, char out[20])
{
    fmt_civil(t, out, "--T::");
}

void
ew_time_fmt_compact(int64_t t, char out[15])
{
    fmt_civil(t, out, NULL);
}
