/* SPDX-License-Identifier: MIT */
/*
 * Readings as CSV: the one layout of GET /api/v1/points/{mn}/readings?format=csv and of
 * `envwatch export readings`, so a file saved from the dashboard and one exported on the
 * server have the same columns and bytes. Writes only; every call appends to b and returns
 * EW_OK or the buffer's error (EW_ETOOBIG at its limit), leaving no partial line behind.
 */
#ifndef EW_UTIL_EXPORTCSV_H
#define EW_UTIL_EXPORTCSV_H

#include <envwatch/store.h>

#include "util/buf.h"

/* "rtd" "minute" "hour" "day" for enum ew_data_kind; NULL for another value. */
const char *ew_exportcsv_kind_name(int kind);
/* The kind of one of those names; EW_EINVAL otherwise. */
int ew_exportcsv_kind_parse(const char *name, int *kind);

/* The header line "time,kind,factor,value,flag,converted,min,max,cou" (CRLF). */
int ew_exportcsv_header(struct ew_buf *b);
/* One reading: local ISO time, kind name, factor, Avg/Rtd, flag, ZsAvg/ZsRtd, Min, Max, Cou;
 * missing numbers are empty fields, numbers have up to 10 significant digits (CRLF). */
int ew_exportcsv_line(struct ew_buf *b, const struct ew_reading *r);

#endif
