/* SPDX-License-Identifier: MIT */
/*
 * Pollution-source figures of stored records, as the HTTP API's /sources/transmission and
 * /sources/totals and the monthly sources report (src/report/) both need them: the outlets
 * with the registry attributes those figures read, the limits the alarm engine resolved, the
 * 传输有效率 count of one outlet over a month and the emission of one outlet over a period.
 * The rules are envwatch/emission.h's (docs/sources.md); this file only gathers records from
 * the store and calls them, so the API and the report cannot disagree.
 */
#ifndef EW_UTIL_REPORTSRC_H
#define EW_UTIL_REPORTSRC_H

#include <stddef.h>
#include <stdint.h>

#include <envwatch/emission.h>
#include <envwatch/store.h>

/* A source outlet (kinds flue wastewater sewage dust fume) with its registry attributes. */
struct ew_reportsrc_point {
    int64_t id;
    char    mn[33], name[129], kind[17], site[129], county[49];
    int64_t created_unix_s;
    char    quota_t[256];               /* "a21026=120;…" permitted t/a; "" when none */
    char    factors[512];               /* ";"-joined factors uploaded; "" when not listed */
};

struct ew_reportsrc_points {
    struct ew_reportsrc_point *v;
    size_t n, cap;
};

/* The source outlets of the registry, ordered by site (enterprise) then name. */
int  ew_reportsrc_points_load(struct ew_store *s, struct ew_reportsrc_points *out);
void ew_reportsrc_points_free(struct ew_reportsrc_points *p);

struct ew_reportsrc_limits {
    struct ew_source_limit *v;
    size_t n, cap;
};

/* Every limit the alarm engine resolved (store.h "source limits"), by point then factor. */
int  ew_reportsrc_limits_load(struct ew_store *s, struct ew_reportsrc_limits *out);
void ew_reportsrc_limits_free(struct ew_reportsrc_limits *l);
/* The limits of one point: a slice of all, *n long (0 when it has none). */
const struct ew_source_limit *ew_reportsrc_limits_of(const struct ew_reportsrc_limits *all,
                                                     int64_t point_id, size_t *n);

/*
 * The 传输有效率 count of one outlet over a CST calendar month (ew_trans_count_month), pooled
 * over the limited pollutants it monitors (its registry `factors`, else those it has sent).
 * Hours before the point was registered and hours that have not ended by now_unix_s are not
 * expected. Records are its hourly records (2061); a record's flag decides its validity.
 */
int ew_reportsrc_trans(struct ew_store *s, const struct ew_reportsrc_point *p,
                       const struct ew_source_limit *lim, size_t nlim, int year, int month,
                       int64_t now_unix_s, struct ew_trans_count *out);

/* One outlet's emission of one limited pollutant over a period. */
struct ew_reportsrc_total {
    char    factor[17];
    double  emitted_kg;
    int64_t hours;                      /* hourly records summed */
    double  quota_t;                    /* permitted t/a of the registry's quota_t; NAN */
};

/*
 * The emission of each limited pollutant lim[i] of outlet p from its hourly records in
 * [from, to] (inclusive) into out[i] (nlim entries): a record's Cou (kg) when sent; else flue
 * gas C × Q × 1 h × 1e-6 with the same hour's flow (a00000: its Cou in m3, else the mean
 * m3/s × 3600); else wastewater C × V × 1e-3 with the hour's volume (w00000 Cou). Records with
 * an invalid flag are left out (no HJ 75 substitution).
 */
int ew_reportsrc_totals(struct ew_store *s, const struct ew_reportsrc_point *p,
                        const struct ew_source_limit *lim, size_t nlim, int64_t from_unix_s,
                        int64_t to_unix_s, struct ew_reportsrc_total *out);

/* 1 when a record's flag is valid for compliance (ew_flag_valid of a one-letter flag). */
int ew_reportsrc_flag_ok(const struct ew_reading *r);

#endif
