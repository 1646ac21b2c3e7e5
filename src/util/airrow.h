/* SPDX-License-Identifier: MIT */
/*
 * An AQI row of the store (struct ew_air_row) as JSON and as CSV: the one shape of docs/api.md
 * "An aqi row", shared by the daemon's live events (src/ingest/air_live.c) and the HTTP API
 * (src/api/air.c), so an `aqi` event and a row of GET /api/v1/air/aqi cannot drift apart.
 * Writes only; every function appends to b and returns EW_OK or EW_ETOOBIG (buffer limit).
 */
#ifndef EW_UTIL_AIRROW_H
#define EW_UTIL_AIRROW_H

#include <envwatch/store.h>

#include "util/buf.h"

/* "station" "county" "city"; NULL for an unknown scope. */
const char *ew_airrow_scope_name(int scope);
/* "hour" "day"; NULL for an unknown period. */
const char *ew_airrow_period_name(int period);
/* The JSON key of an item: "so2" "no2" "co" "o3" "o3_8h" "pm10" "pm25"; NULL out of range. */
const char *ew_airrow_item_key(int item);

/* 1 when a point's extra attributes (a JSON object) mark it a control station (对照点):
 * {"control": true}. Control stations get rows of their own but are left out of the county
 * and city means (HJ 663 §4.3 [mem]: the city is the mean of its evaluation stations). */
int ew_airrow_is_control(const char *extra_json);

/* The row as a JSON object: identity ("scope", "name" (null for the city), "county") then the
 * fields below. */
int ew_airrow_json(struct ew_buf *b, const struct ew_air_row *r);
/* The fields without braces or identity: "period","time","aqi","level","category",
 * "category_en","color","primary","exceeding","iaqi","conc","valid","stations". */
int ew_airrow_json_fields(struct ew_buf *b, const struct ew_air_row *r);

/* CSV: the header line and one line per row (CRLF), the same columns for both periods. */
int ew_airrow_csv_header(struct ew_buf *b);
int ew_airrow_csv(struct ew_buf *b, const struct ew_air_row *r);

#endif
