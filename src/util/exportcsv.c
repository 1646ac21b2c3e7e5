/* SPDX-License-Identifier: MIT */
/*
 * Readings as CSV (see exportcsv.h). RFC 4180 with CRLF line ends; factor codes and flags are
 * written through ew_csv_field, so an odd code cannot break the columns.
 */
#include <math.h>
#include <string.h>

#include <envwatch/err.h>

#include "util/csv.h"
#include "util/exportcsv.h"
#include "util/time.h"

static const struct {
    const char *name;
    int         kind;
} kinds[] = {
    { "rtd", EW_KIND_RTD }, { "minute", EW_KIND_MINUTE }, { "hour", EW_KIND_HOUR },
    { "day", EW_KIND_DAY },
};

const char *
ew_exportcsv_kind_name(int kind)
{
    for (size_t i = 0; i < EW_ARRAY_LEN(kinds); i++)
        if (kinds[i].kind == kind)
            return kinds[i].name;
    return NULL;
}

int
ew_exportcsv_kind_parse(const char *name, int *kind)
{
    for (size_t i = 0; name != NULL && i < EW_ARRAY_LEN(kinds); i++)
        if (strcmp(kinds[i].name, name) == 0) {
            *kind = kinds[i].kind;
            return EW_OK;
        }
    return EW_EINVAL;
}

int
ew_exportcsv_header(struct ew_buf *b)
{
    return ew_buf_adds(b, "time,kind,factor,value,flag,converted,min,max,cou\r\n");
}

static int
num(struct ew_buf *b, double v)
{
    int rc = ew_buf_addc(b, ',');

    if (rc == EW_OK && !isnan(v))
        rc = ew_buf_printf(b, "%.10g", v);
    return rc;
}

int
ew_exportcsv_line(struct ew_buf *b, const struct ew_reading *r)
{
    const char *kind = ew_exportcsv_kind_name(r->kind);
    size_t start = b->len;
    char t[20];
    int rc;

    ew_time_fmt_iso(r->t_unix_s, t);
    rc = ew_buf_printf(b, "%s,%s,", t, kind != NULL ? kind : "?");
    if (rc == EW_OK)
        rc = ew_csv_field(b, r->factor);
    if (rc == EW_OK)
        rc = num(b, r->value);
    if (rc == EW_OK)
        rc = ew_buf_addc(b, ',');
    if (rc == EW_OK)
        rc = ew_csv_field(b, r->flag);
    if (rc == EW_OK)
        rc = num(b, r->zs);
    if (rc == EW_OK)
        rc = num(b, r->min);
    if (rc == EW_OK)
        rc = num(b, r->max);
    if (rc == EW_OK)
        rc = num(b, r->cou);
    if (rc == EW_OK)
        rc = ew_buf_adds(b, "\r\n");
    if (rc != EW_OK && b->ptr != NULL) {
        b->len = start;
        b->ptr[start] = '\0';
    }
    return rc;
}
