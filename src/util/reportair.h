/* SPDX-License-Identifier: MIT */
/*
 * Air-quality statistics of stored daily rows, as the HTTP API's /air/stats and /air/ranking
 * and the reports (src/report/) both need them: the daily values of an area over a period,
 * the HJ 663 statistics of a month or year (or of its first days: "to date"), and the
 * statistics of every station or county of a period with the value a ranking compares. The
 * rules are the pure functions of envwatch/air.h; this file only loads the store's rows
 * (computed by src/ingest/air_live.c) and calls them, so an answer and a report of the same
 * period cannot differ. Not thread-safe on one store handle (no handle is).
 */
#ifndef EW_UTIL_REPORTAIR_H
#define EW_UTIL_REPORTAIR_H

#include <stddef.h>
#include <stdint.h>

#include <envwatch/air.h>
#include <envwatch/store.h>

#define EW_REPORTAIR_GROUPS_MAX 2000    /* stations or counties in one ranking (bounds memory) */

/* 00:00 CST of the first day of a month (month 1..12) or of the year (month 0). */
int64_t ew_reportair_period_start(int year, int month);
/* Days of a month, or of the year for month 0. */
size_t ew_reportair_period_len(int year, int month);

/*
 * The daily values of one area (enum ew_air_scope, name as the store keys it) over n days
 * from start: days[i] is day start + i; days without a row are all NAN. Returns EW_OK or the
 * store's error (days is then partly written).
 */
int ew_reportair_days(struct ew_store *s, int scope, const char *name, int64_t start, size_t n,
                      struct ew_air_day *days);

/*
 * The HJ 663 statistics of a month (1..12) or calendar year (0) of an area, counting only its
 * first upto days (0: the whole period; later days count as missing). *any is 1 when the
 * area has a daily value of some item in the period. EW_EINVAL for a bad period, EW_ENOMEM,
 * or the store's error.
 */
int ew_reportair_period(struct ew_store *s, int scope, const char *name, int year, int month,
                        size_t upto, struct ew_air_period *p, int *any);

/* One station or county of a ranking, with its statistics over the period. */
struct ew_reportair_group {
    char               name[EW_AIR_NAME_MAX + 1];   /* the row's name: an MN or a county */
    char               county[EW_AIR_NAME_MAX + 1];
    int                control;                     /* a control station (对照点) */
    struct ew_air_day *days;
    struct ew_air_period p;
    double             index;                       /* comprehensive index; NAN if none */
    double             value;                       /* what is ranked: index or PM2.5 mean */
    int                main_item;                   /* largest I_i; -1 without an index */
    int                index_valid;
};

struct ew_reportair_groups {
    struct ew_reportair_group *v;
    size_t  n, cap, last, ndays;
    int64_t start;
};

/*
 * Loads every station (scope EW_AIR_SCOPE_STATION) or county (EW_AIR_SCOPE_COUNTY) that has
 * a daily row in the period (month 1..12 or year 0; only the first upto days, 0 = all), and
 * computes each one's statistics and comprehensive index; value is the index, or the PM2.5
 * mean when by_pm25. Groups come in the store's order (by time then name: the first day each
 * appears). Free with ew_reportair_groups_free, also after a failure.
 */
int ew_reportair_groups_load(struct ew_store *s, int scope, int year, int month, size_t upto,
                             int by_pm25, struct ew_reportair_groups *g);
void ew_reportair_groups_free(struct ew_reportair_groups *g);

/*
 * Competition ranking of the groups' values, smaller is better (ew_air_rank): two decimals
 * for the index, none for PM2.5, the published precisions. rank[i] (0: unranked, no value)
 * and order[] (best first, unranked last) must hold g->n entries.
 */
int ew_reportair_groups_rank(const struct ew_reportair_groups *g, int by_pm25, int *rank,
                             size_t *order);

#endif
