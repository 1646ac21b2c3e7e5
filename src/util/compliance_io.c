/* SPDX-License-Identifier: MIT */
/* Strict field parsing for the compliance and water commands and the standard table. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <envwatch/err.h>

#include "util/compliance_io.h"
#include "util/time.h"

/* Copies s without surrounding blanks into out (cap bytes); 0 when it does not fit. */
static int
trimmed(const char *s, char *out, size_t cap)
{
    size_t len;

    while (isspace((unsigned char)*s))
        s++;
    len = strlen(s);
    while (len > 0 && isspace((unsigned char)s[len - 1]))
        len--;
    if (len >= cap)
        return 0;
    memcpy(out, s, len);
    out[len] = '\0';
    return 1;
}

int
ew_cio_double(const char *s, double *out)
{
    char buf[64], *end;
    double v;

    if (s == NULL || out == NULL)
        return EW_EINVAL;
    if (!trimmed(s, buf, sizeof(buf)))
        return EW_EFORMAT;
    if (buf[0] == '\0')
        return EW_ENODATA;
    /* strtod also takes "nan", "inf" and hexadecimal: only plain decimals are data. */
    for (const char *p = buf; *p; p++)
        if (!isdigit((unsigned char)*p) && strchr("+-.eE", *p) == NULL)
            return EW_EFORMAT;
    errno = 0;
    v = strtod(buf, &end);
    if (end == buf || *end != '\0' || errno == ERANGE || !isfinite(v))
        return EW_EFORMAT;
    *out = v;
    return EW_OK;
}

int
ew_cio_long(const char *s, long lo, long hi, long *out)
{
    char buf[32], *end;
    long v;

    if (s == NULL || out == NULL || !trimmed(s, buf, sizeof(buf)) || buf[0] == '\0')
        return EW_EFORMAT;
    errno = 0;
    v = strtol(buf, &end, 10);
    if (*end != '\0' || errno == ERANGE || v < lo || v > hi)
        return EW_EFORMAT;
    *out = v;
    return EW_OK;
}

int
ew_cio_time(const char *s, int64_t *t_unix_s)
{
    char buf[40];
    size_t len;

    if (s == NULL || t_unix_s == NULL || !trimmed(s, buf, sizeof(buf)))
        return EW_EFORMAT;
    len = strlen(buf);
    if (len == 14 && strspn(buf, "0123456789") == 14)
        return ew_time_parse_compact(buf, len, t_unix_s);
    return ew_time_parse_iso(buf, t_unix_s);
}

int
ew_cio_column(char *const *header, size_t n, const char *name)
{
    char buf[64];

    for (size_t i = 0; i < n && i < 4096; i++)
        if (trimmed(header[i], buf, sizeof(buf)) && strcasecmp(buf, name) == 0)
            return (int)i;
    return -1;
}
