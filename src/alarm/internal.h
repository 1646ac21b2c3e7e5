/* SPDX-License-Identifier: MIT */
/*
 * Shared inside src/alarm/: how the engine sees a registered point (its binding to the
 * standard table, read from the registry's extra attributes), the per-series state of the
 * detection rules, the evaluation of one committed upload, and the webhook notifier. All of
 * it runs on the writer thread except the notifier's own thread.
 */
#ifndef EW_ALARM_INTERNAL_H
#define EW_ALARM_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <envwatch/alarm.h>
#include <envwatch/daemon.h>
#include <envwatch/emission.h>
#include <envwatch/hooks.h>
#include <envwatch/store.h>

#include "util/codelist.h"

#define AL_MAX_CODES 24                 /* limits or ranges one point may list */

/* A registered point as the engine sees it. */
struct al_point {
    int64_t  id;
    char     mn[33];
    char     kind[17];
    uint64_t hash;                      /* of kind and extra: a change re-resolves limits */
    int      has_rules;
    struct ew_alarm_rules rules;        /* detection thresholds of its kind */
    /* the binding (extra attributes; docs/sources.md "Alarms in the daemon") */
    char     profile[48], tiers[64], conds[64], basis[96];
    double   o2_ref_pct;                /* registry o2_ref; NAN when absent or 0 */
    struct ew_code_value limits[AL_MAX_CODES];
    size_t   n_limits;
    struct ew_code_value ranges[AL_MAX_CODES];
    size_t   n_ranges;
    int      o2_used;                   /* a limit of the point has a reference O2 */
    /* liveness (writer thread only) */
    int64_t  last_rx_ms;                /* last upload with new readings */
    int      offline;                   /* its offline alarm is active */
};

/* binding.c */

/* Reads p's kind and extra attributes. EW_EFORMAT for an extra that is not a JSON object. */
int al_point_from(const struct ew_point *p, struct al_point *out);
/* 1 for the kinds the source rules judge: flue, wastewater, sewage, dust, fume, water. */
int al_kind_judged(const char *kind);
/* The averaging period of a registry limit for a kind of point (enum ew_avg). */
int al_kind_averaging(const char *kind);
/*
 * The limit of factor for point p at t_unix_s: from the standard table when the point names
 * a profile (its registry limits tighten as permit values), else from its registry limits.
 * standard (may be NULL) gets the text of the deciding source. EW_ENOTFOUND when none.
 */
int al_limit(const struct ew_std_table *t, const struct al_point *p, const char *factor,
             int64_t t_unix_s, struct ew_limit *lim, char *standard, size_t standard_len);
/*
 * 1 when the detection rules watch factor at p: pollutants, flow and O2, but not the
 * meteorological and flue-state parameters (a01xxx: temperature, pressure, humidity,
 * velocity, wind), which legitimately sit at zero, below zero or still, nor water
 * temperature; O2 only where a limit is corrected with it.
 */
int al_watched(const struct al_point *p, const char *factor);
/* The instrument range of factor (NAN, NAN when the registry gives none). */
void al_range(const struct al_point *p, const char *factor, double *lo, double *hi);
/* Every limit of p at t_unix_s (the profile's pollutants and the registry's): at most cap. */
size_t al_limits_all(const struct ew_std_table *t, const struct al_point *p, int64_t t_unix_s,
                     struct ew_source_limit *out, size_t cap);

/* series.c: per (point, factor) state of the detection rules. */
struct al_series {
    int64_t point_id;
    char    factor[17];
    int64_t since_unix_s;               /* the window starts here: the oldest open run */
    int64_t interval_s;                 /* the series' record interval as observed; 0 unknown */
    int64_t last_t;                     /* the last record judged (0: none) ... */
    double  last_value;
    char    last_flag[5];               /* ... its value and flag */
    unsigned active;                    /* bits 1 << kind: its alarms known active */
};
struct al_series_map {
    struct al_series **v;               /* open addressing; NULL is empty */
    size_t cap, n;
};
/* The entry of (point, factor), created empty (since 0) when absent; NULL on ENOMEM. The
 * entry stays where it is until the map is freed. */
struct al_series *al_series_get(struct al_series_map *m, int64_t point_id, const char *factor);
void al_series_free(struct al_series_map *m);

/* evaluate.c: what one committed upload triggers. */
struct al_eval {
    const struct ew_hook_env  *env;
    const struct ew_std_table *table;
    struct al_series_map      *series;
};
/* Publishes the live event and reports nothing else: the outbox row is already written. */
int al_publish(const struct ew_hook_env *env, const struct ew_alarm *a, int outcome);
int al_eval_hour(struct al_eval *ev, const struct al_point *p, int64_t t_unix_s);
int al_eval_day(struct al_eval *ev, const struct al_point *p, int64_t t_unix_s);
/* The data kind the detection rules watch for p (minute or hour data), 0 for none. */
int al_detect_kind(const struct al_point *p);
int al_eval_detect(struct al_eval *ev, const struct al_point *p, const struct ew_hook_frame *f);

/* notify.c: the webhook notifier, a thread with a bounded queue. */
struct al_notifier;
/*
 * Starts the notifier for url ("http://host[:port][/path]"; https is not supported).
 * EW_EINVAL for another URL. timeout_ms bounds each connect, send and receive; an event is
 * tried 1 + retries times, waiting 1, 2, 4 ... s (at most 30 s) between tries.
 */
int  al_notifier_create(const char *url, unsigned timeout_ms, unsigned retries, size_t cap,
                        struct al_notifier **out);
void al_notifier_destroy(struct al_notifier *n);       /* NULL is a no-op; drops the queue */
/* Queues body (copied) as notification id; EW_EBUSY when the queue is full. */
int  al_notifier_push(struct al_notifier *n, int64_t id, const char *body);
/* The id of the last notification finished (delivered or given up), 0 before any. */
int64_t al_notifier_done(struct al_notifier *n);
/* Counters since creation: delivered and given up after every try. */
void al_notifier_counts(struct al_notifier *n, uint64_t *sent, uint64_t *failed);
/* Splits an http URL; 0 on success. host gets the name or address (no brackets). */
int  al_url_parse(const char *url, char *host, size_t host_len, char *port, size_t port_len,
                  char *path, size_t path_len);

/* standards.c: the standard table of the daemon. */
/*
 * Loads every *.csv of dir in name order. When dir is NULL or "", the folder is looked for
 * as the CLI does (docs/sources.md): share/envwatch/standards beside the binary's folder,
 * data/standards walking up from it, ./data/standards; *found is 0 and an empty table is
 * returned when there is none. A named dir that cannot be read is EW_EIO.
 */
int al_standards_load(const char *dir, struct ew_std_table **out, int *found);

#endif
