/* SPDX-License-Identifier: MIT */
/*
 * Shared by the route files of pollution sources and surface water (sources.c,
 * sources_water.c): the registry as those answers need it (the extra attributes they read)
 * and the hourly records of one series.
 */
#ifndef EW_API_SOURCES_H
#define EW_API_SOURCES_H

#include <stddef.h>
#include <stdint.h>

#include "api/internal.h"

/* A registered point with the extra attributes the sources and water answers use. */
struct src_point {
    int64_t id;
    char    mn[33], name[129], kind[17], site[129], county[49];
    double  lat, lon;
    int64_t created_unix_s;
    char    river[64], target_class[16], body[16], basis[96], quota_t[256];
    char    factors[512];                /* ";"-joined factors uploaded, "" when not listed */
};

struct src_points {
    struct src_point *v;
    size_t n, cap;
};

/* p with its extra attributes read (those absent are ""). */
void src_point_of(const struct ew_point *p, struct src_point *out);
/* The points of the kinds in kinds (NULL-terminated), ordered by site then name. */
int  src_points_load(struct ew_store *s, const char *const *kinds, struct src_points *out);
void src_points_free(struct src_points *p);

/* The readings of one series (or every factor when factor is NULL) in [from, to]. */
struct src_rows {
    struct ew_reading *v;
    size_t n, cap;
};
int  src_rows_load(struct ew_store *s, int64_t point_id, int kind, int64_t from, int64_t to,
                   const char *factor, struct src_rows *out);
void src_rows_free(struct src_rows *r);

/* The limits the alarm engine resolved (envwatch/store.h), ordered by point then factor. */
struct src_limits {
    struct ew_source_limit *v;
    size_t n, cap;
};
int src_limits_load(struct ew_store *s, struct src_limits *out);
/* The limits of one point: a slice of all, *n long. */
const struct ew_source_limit *src_limits_of(const struct src_limits *all, int64_t point_id,
                                            size_t *n);

/* GET /api/v1/sources/totals (sources_totals.c). */
int src_totals(struct api_req *r);

/* 1 when a reading's flag is valid for compliance (ew_flag_valid of a one-letter flag). */
int  src_flag_ok(const struct ew_reading *r);

#endif
