/* SPDX-License-Identifier: MIT */
/*
 * QN request ids and HJ 212 times: "YYYYMMDDhhmmss[zzz]" in China Standard Time (UTC+8, no
 * daylight saving; reference/hj212.md 3.1-3.2). libhj212 is usable without envwatch, so it
 * cannot use src/util/time.c; these few lines are the same civil-date arithmetic (Howard
 * Hinnant's days_from_civil / civil_from_days), kept private here.
 */
#include <string.h>

#include <hj212/request.h>

#include "internal.h"

#define CST_OFFSET_S (8 * 3600)
#define MAX_UNIX_S 253402300799LL       /* 9999-12-31T23:59:59 UTC */

static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era;
    unsigned yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void
civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
    int64_t era;
    unsigned doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = (unsigned)(z - era * 146097);
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)((int64_t)yoe + era * 400 + (*m <= 2));
}

static void
put_digits(char *out, unsigned v, int n)
{
    for (int i = n - 1; i >= 0; i--, v /= 10)
        out[i] = (char)('0' + v % 10);
}

int
hj212_time_format(int64_t t_unix_s, char out[15])
{
    int64_t t, days, sod;
    unsigned m, d;
    int y;

    if (out == NULL || t_unix_s < 0 || t_unix_s > MAX_UNIX_S - CST_OFFSET_S)
        return HJ212_EINVAL;
    t = t_unix_s + CST_OFFSET_S;
    days = t / 86400;
    sod = t % 86400;
    civil_from_days(days, &y, &m, &d);
    put_digits(out, (unsigned)y, 4);
    put_digits(out + 4, m, 2);
    put_digits(out + 6, d, 2);
    put_digits(out + 8, (unsigned)(sod / 3600), 2);
    put_digits(out + 10, (unsigned)(sod / 60 % 60), 2);
    put_digits(out + 12, (unsigned)(sod % 60), 2);
    out[14] = '\0';
    return HJ212_OK;
}

int
hj212_qn_format(int64_t t_unix_ms, char out[HJ212_QN_LEN + 1])
{
    char t[15];

    if (out == NULL || t_unix_ms < 0 || hj212_time_format(t_unix_ms / 1000, t) != HJ212_OK)
        return HJ212_EINVAL;
    memcpy(out, t, 14);
    put_digits(out + 14, (unsigned)(t_unix_ms % 1000), 3);
    out[17] = '\0';
    return HJ212_OK;
}

static unsigned
digits(const char *p, int n)
{
    unsigned v = 0;

    for (int i = 0; i < n; i++)
        v = v * 10 + (unsigned)(p[i] - '0');
    return v;
}

int
hj212_qn_parse(struct hj212_str qn, int64_t *t_unix_ms)
{
    static const unsigned mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    unsigned y, mo, d, h, mi, s;

    if (qn.ptr == NULL || qn.len != HJ212_QN_LEN || t_unix_ms == NULL)
        return qn.ptr == NULL || t_unix_ms == NULL ? HJ212_EINVAL : HJ212_ESYNTAX;
    for (size_t i = 0; i < qn.len; i++)
        if (!hj212__is_digit((unsigned char)qn.ptr[i]))
            return HJ212_ESYNTAX;
    y = digits(qn.ptr, 4);
    mo = digits(qn.ptr + 4, 2);
    d = digits(qn.ptr + 6, 2);
    h = digits(qn.ptr + 8, 2);
    mi = digits(qn.ptr + 10, 2);
    s = digits(qn.ptr + 12, 2);
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 ||
        s > 59)
        return HJ212_ESYNTAX;
    if (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
        return HJ212_ESYNTAX;
    *t_unix_ms = ((days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s) - CST_OFFSET_S) *
                     1000 + digits(qn.ptr + 14, 3);
    return HJ212_OK;
}
