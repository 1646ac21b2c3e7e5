/* SPDX-License-Identifier: MIT */
/*
 * Assessment (考核) of counties and departments: a scorecard whose indicators, weights and
 * scoring rules come from a configuration file (docs/ledger.md, "Scorecard"), scored by pure
 * functions from one value per unit and indicator. Every value carries the text of where it
 * came from (which days, which items) and every point the arithmetic that gave it, so a
 * score can be checked by hand.
 *
 * The values come from the store where the store has them (county daily air rows, alarms,
 * ledger items: ew_assess_gather) and from an inputs file for the rest (water sections
 * meeting their target, 传输有效率, or any figure another office supplies).
 */
#ifndef EW_ASSESS_H
#define EW_ASSESS_H

#include <stddef.h>
#include <stdint.h>

#include <envwatch/store.h>

#define EW_SCORE_MAX_UNITS 48
#define EW_SCORE_MAX_IND 24
#define EW_SCORE_MAX_TARGETS 256

enum ew_score_rule {
    EW_SCORE_LINEAR = 1,    /* weight × (v − worst) / (best − worst), clamped to [0, weight] */
    EW_SCORE_TARGET,        /* weight − per × shortfall against the (unit's) target, >= 0 */
    EW_SCORE_RANK,          /* weight × (n − rank) / (n − 1) among the units with a value */
    EW_SCORE_DEDUCT,        /* weight − per × v, >= 0 (counts: overdue items, exceedances) */
    EW_SCORE_RATE,          /* weight × v / 100 for a percentage v; 0 below floor */
};

struct ew_score_indicator {
    char   name[32];                    /* the config section */
    char   key[32];                     /* the value it scores (default: name) */
    char   label[64];
    double weight;                      /* full marks */
    int    rule;                        /* enum ew_score_rule */
    int    higher_better;               /* direction = higher | lower */
    double best, worst;                 /* linear */
    double target;                      /* target: default for units without their own */
    double per;                         /* target: points per unit of shortfall; deduct */
    double floor;                       /* rate: below it, no points */
};

struct ew_score_target {
    char   unit[96];
    char   name[32];                    /* indicator */
    double value;
};

struct ew_scorecard_cfg {
    char   name[128];
    int    departments;                 /* scope = department: units are responsible units;
                                           county (default): units are counties */
    size_t n_units, n_ind, n_targets;
    char   units[EW_SCORE_MAX_UNITS][96];
    struct ew_score_indicator ind[EW_SCORE_MAX_IND];
    struct ew_score_target    targets[EW_SCORE_MAX_TARGETS];
};

/*
 * Parses the INI text of a scorecard into *out (written only on success). EW_EFORMAT with
 * the line in *line and a sentence in why for an unknown key, rule or value; EW_EINVAL when
 * the whole is inconsistent (no units, no indicator, weights that are not positive).
 */
int ew_scorecard_parse(const char *text, struct ew_scorecard_cfg *out, int *line, char *why,
                       size_t why_len);

/* One value of one unit: NAN when there is no data, with where it came from. */
struct ew_score_value {
    double value;
    char   basis[480];
};

/* The values of a scorecard: v[unit][value key]; keys are listed in keys[0..n_keys). */
#define EW_SCORE_MAX_KEYS 32
struct ew_score_input {
    size_t n_keys;
    char   keys[EW_SCORE_MAX_KEYS][32];
    struct ew_score_value v[EW_SCORE_MAX_UNITS][EW_SCORE_MAX_KEYS];
};

/* Empties in (no keys). */
void ew_score_input_init(struct ew_score_input *in);
/* Sets the value of (unit index, key), adding the key when new. EW_ETOOBIG past the key
 * limit, EW_EINVAL for a bad unit index or key. */
int ew_score_input_set(struct ew_score_input *in, size_t unit, const char *key, double value,
                       const char *basis);
/* The value of (unit, key), or NULL when the key is unknown. */
const struct ew_score_value *ew_score_input_get(const struct ew_score_input *in, size_t unit,
                                                const char *key);

struct ew_score_cell {
    double value;                       /* NAN: no data (then no points) */
    double target;                      /* the target used (target rule), else NAN */
    int    rank;                        /* rank rule: this unit's rank, else 0 */
    double points;
    char   how[200];                    /* the arithmetic, e.g. "30 - 2 x (52.0 - 50) = 26.00" */
};

struct ew_scorecard {
    size_t n_units, n_ind;
    struct ew_score_cell cell[EW_SCORE_MAX_UNITS][EW_SCORE_MAX_IND];
    double total[EW_SCORE_MAX_UNITS];
    int    rank[EW_SCORE_MAX_UNITS];    /* 1 = best total; equal totals share a rank */
};

/* Scores every unit of cfg from in. Pure; thread-safe. */
int ew_scorecard_score(const struct ew_scorecard_cfg *cfg, const struct ew_score_input *in,
                       struct ew_scorecard *out);

/*
 * Fills in with what the store knows for every unit of cfg over [from, to] (inclusive Unix
 * seconds; a month, or January 1 to a month's end for year-to-date):
 *   pm25_ugm3        mean of the county's daily PM2.5 (HJ 663 daily values, air_aqi rows)
 *   good_day_pct     share of the county's days with AQI <= 100
 *   exceedances      exceedance alarms of the county's points opened in the period
 *   ontime_close_pct share of the unit's items due in the period that were done by their
 *                    deadline
 *   overdue_items    the unit's items whose deadline passed in or before the period and
 *                    that were not done by its end
 *   complaint_ontime_pct  the same share as ontime_close_pct, complaints only
 * A county scorecard matches items and points by county, a department scorecard items by
 * their responsible unit (monitoring values are then left empty). Each basis names the
 * rows or item ids behind the value.
 */
int ew_assess_gather(struct ew_store *s, const struct ew_scorecard_cfg *cfg, int64_t from_unix_s,
                     int64_t to_unix_s, struct ew_score_input *in);

/* Reads "unit,key,value[,basis]" CSV lines into in (units not in cfg are an error). *line
 * is the first bad line. */
int ew_assess_inputs_csv(const struct ew_scorecard_cfg *cfg, const char *text,
                         struct ew_score_input *in, int *line, char *why, size_t why_len);

/* Appends the scorecard as JSON: units with total, rank and every cell with its value, basis,
 * target, rank, points and arithmetic. */
struct ew_buf;
int ew_assess_json(struct ew_buf *b, const struct ew_scorecard_cfg *cfg,
                   const struct ew_score_input *in, const struct ew_scorecard *sc,
                   const char *period);

/* Writes the scorecard to an .xlsx file at path: a sheet of totals and ranks with each
 * indicator's points, and a sheet of the breakdown (value, basis, target, rank, points, how). */
int ew_assess_xlsx(const char *path, const struct ew_scorecard_cfg *cfg,
                   const struct ew_score_input *in, const struct ew_scorecard *sc);
/* The same workbook appended to out (written through a temporary file in $TMPDIR or /tmp,
 * removed before return): what GET /api/v1/assess?format=xlsx sends. EW_EIO, EW_ETOOBIG. */
int ew_assess_xlsx_buf(struct ew_buf *out, const struct ew_scorecard_cfg *cfg,
                       const struct ew_score_input *in, const struct ew_scorecard *sc);

#endif
