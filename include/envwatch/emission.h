/* SPDX-License-Identifier: MIT */
/*
 * Pollution-source compliance rules: the emission-standard table (data/standards/ (*.csv)) and
 * an outlet's binding to it, flue-gas conversions (reference oxygen, standard state, dry
 * basis), CEMS validity (HJ 75/76-2017: hourly values from minute values, daily values),
 * wastewater daily values (flow-weighted), exceedance events on the averaging period the
 * standard uses, alarm detection (offline, constant value, zero or negative, outside the
 * instrument range, fault and maintenance flags), the 传输有效率 KPI and emission totals
 * against permitted quantities.
 *
 * Everything is a pure function of its arguments except the standard table, which is a heap
 * object filled from CSV text. No function prints, reads the environment or keeps global
 * state; all are thread-safe on distinct outputs. Errors are EW_OK or a negative ew_err; out
 * parameters are written only on success (arrays may be partly written on failure).
 * docs/sources.md gives the source of every rule and number, and which ones are unconfirmed.
 */
#ifndef EW_EMISSION_H
#define EW_EMISSION_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- data flags (HJ 212-2017 table 8) ------------------------------------------------------- */

/*
 * 1 when a value with this data flag is valid for compliance: N (normal), S (manual set
 * value), T (above range: valid but marked) and no flag (0); either case. F (stopped), M
 * (maintenance), D (fault), C (calibration), B (communication fault), the 2005 P and anything
 * unknown are invalid. Inline: it runs once per minute value.
 */
static inline int
ew_flag_valid(char flag)
{
    switch (flag) {
    case 0: case 'N': case 'n': case 'S': case 's': case 'T': case 't':
        return 1;
    default:
        return 0;
    }
}

/* ---- the standard table --------------------------------------------------------------------- */

enum ew_avg {
    EW_AVG_HOUR = 1,            /* flue gas: hourly means (permit specifications, HJ 75) */
    EW_AVG_DAY = 2,             /* wastewater: daily means (GB 18918 §4.1.4) */
};

/* One row of data/standards/ (*.csv): one limit of one pollutant for one tier of a profile. */
struct ew_std_limit {
    char    profile[48];        /* "GB13223-2011/coal-boiler": standard and source type */
    char    standard[32];       /* "GB 13223-2011" */
    char    source_type[128];   /* the source category, in words */
    char    pollutant[8];       /* HJ 212 factor code, "a21026" */
    char    name[24];           /* "SO2" */
    char    tier[16];           /* new existing special ultralow 1A 1B 2 3, or all */
    char    cond[16];           /* "" or a condition the binding must declare: cold ... */
    double  limit;              /* upper limit in unit */
    double  limit_lo;           /* lower limit (pH); NAN when one-sided */
    char    unit[12];           /* "mg/m3", "mg/L", ... */
    double  ref_o2_pct;         /* reference O2; NAN: judged on measured values */
    int     averaging;          /* enum ew_avg */
    int64_t from_unix_s;        /* in force from this CST midnight; INT64_MIN when always */
    char    confidence;         /* 'V' read in the text, 'S' secondary source, 'M' unconfirmed */
    char    source[256];        /* where the number comes from */
};

struct ew_std_table;            /* opaque */

int  ew_std_table_create(struct ew_std_table **out);
void ew_std_table_destroy(struct ew_std_table *t);     /* NULL is a no-op */
/*
 * Appends the rows of one CSV file (header line as in data/standards/). Returns EW_EFORMAT
 * for a missing column, a bad number, date, averaging or confidence, or a profile whose rows
 * disagree on reference O2 or averaging; *bad_line (may be NULL) then gets the 1-based line.
 * EW_EEXIST for a row that duplicates (profile, pollutant, tier, cond, from).
 * On failure the table keeps the rows of earlier calls only.
 */
int ew_std_table_load(struct ew_std_table *t, FILE *in, size_t *bad_line);
size_t ew_std_table_count(const struct ew_std_table *t);
/* Row i (0-based, in load order); NULL when out of range. Valid until the table is destroyed. */
const struct ew_std_limit *ew_std_table_row(const struct ew_std_table *t, size_t i);

/* A permit value (排污许可) that tightens the standard for one pollutant of one outlet. */
struct ew_permit_limit {
    const char *pollutant;
    double      limit;          /* same unit and basis as the standard's rows */
};

/* How an outlet is bound to the table. */
struct ew_std_binding {
    const char *profile;                /* "GB13271-2014/coal" */
    const char *tiers;                  /* comma-separated: "existing,special" */
    const char *conds;                  /* comma-separated conditions, or NULL: "pre2006" */
    const struct ew_permit_limit *permit;
    size_t      n_permit;
};

/* The limit that applies to one pollutant of one outlet at one time. */
struct ew_limit {
    double limit;                       /* upper limit */
    double limit_lo;                    /* lower limit or NAN */
    double ref_o2_pct;                  /* NAN: measured values */
    int    averaging;                   /* enum ew_avg */
    const struct ew_std_limit *row;     /* the deciding row; NULL when a permit value decided */
};

/*
 * Resolves the limit of pollutant for binding b at t_unix_s: among the rows of the profile,
 * the bound tiers (tier "all" always counts) and in force at t, a row whose condition the
 * binding declares replaces the unconditional row of its tier; the strictest remaining limit
 * applies, and a permit value applies when it is stricter still (permits only tighten).
 * Returns EW_ENOTFOUND when the profile is unknown or nothing applies to the pollutant.
 */
int ew_std_resolve(const struct ew_std_table *t, const struct ew_std_binding *b,
                   const char *pollutant, int64_t t_unix_s, struct ew_limit *out);

/* ---- flue-gas conversions (HJ 75-2017 annex; GB 13271-2014 §5.2) ---------------------------- */

/* C_ref = C × (21 − O2_ref) / (21 − O2). EW_EINVAL unless 0 <= O2 < 21, 0 <= O2_ref < 21 and C
 * is finite and not negative. */
int ew_o2_correct(double conc_mgm3, double o2_pct, double o2_ref_pct, double *out_mgm3);
/* Wet to dry basis: C / (1 − Xsw/100); 0 <= moisture < 100. */
int ew_conc_dry(double conc_wet_mgm3, double moisture_pct, double *out_mgm3);
/* ppm to mg/m3 at standard state: M / 22.4 × ppm (SO2 M = 64, NO2 M = 46). */
int ew_ppm_to_mgm3(double ppm, double molar_mass_gmol, double *out_mgm3);
/* NOx as NO2 from separately measured NO and NO2: NO × 46/30 + NO2. */
int ew_nox_as_no2(double no_mgm3, double no2_mgm3, double *out_mgm3);
/* Actual flue-gas flow to standard state, dry: Q × 273/(273 + t) × (Ba + Ps)/101325 ×
 * (1 − Xsw/100). Pressures in Pa, temperature in °C. */
int ew_flow_std_dry(double flow_m3h, double temp_c, double baro_pa, double static_pa,
                    double moisture_pct, double *out_m3h);

/* ---- period values and validity ------------------------------------------------------------- */

/* One minute, hour or day value of one factor of one point, as HJ 212 period data carry it. */
struct ew_value {
    int64_t t_unix_s;           /* period start (DataTime) */
    double  value;              /* Avg: measured, standard state, dry; for flow m3/h or m3 */
    double  zs;                 /* ZsAvg as sent (already converted); NAN when absent */
    double  cou;                /* Cou (emission amount in the period, kg); NAN when absent */
    char    flag;               /* HJ 212 data flag; 0 when absent */
};

enum ew_hour_reason {
    EW_HOUR_OK = 0,
    EW_HOUR_FEW_MINUTES = 1,    /* fewer valid minute values than the minimum */
    EW_HOUR_NO_O2 = 2,          /* O2 correction needed but the hour's O2 is not valid */
};

struct ew_hour {
    int64_t t_unix_s;           /* clock-hour start */
    int     valid;              /* 1 when usable for compliance */
    int     reason;             /* enum ew_hour_reason */
    int     n_valid, n_total;   /* valid and received minute values */
    double  mean;               /* mean of the valid minute values (measured); NAN if none */
    double  corrected;          /* value on the standard's basis: ZsAvg mean when every valid
                                   minute sent one, else O2-corrected mean, else the mean;
                                   NAN when the hour is not valid */
    double  min, max;           /* of the valid minute values */
    double  o2_pct;             /* mean O2 used for the correction; NAN when not used */
    int     from_zs;            /* 1 when corrected is the mean of the sent ZsAvg values */
    double  cou;                /* sum of the valid minutes' Cou; NAN when none was sent */
};

struct ew_hourly_cfg {
    int    min_valid;           /* valid minute values for a valid hour: 45 (HJ 76-2017 annex B) */
    double ref_o2_pct;          /* reference O2; NAN for sources judged on measured values */
};

/* Fills cfg with the HJ 76-2017 defaults (45 minutes, no O2 correction). */
void ew_hourly_cfg_default(struct ew_hourly_cfg *cfg);

/*
 * Turns the minute values m[0..n) of one factor (ascending time; a repeated minute is used
 * once) into hourly values, one per clock hour that has at least one minute. o2 (ascending,
 * may be NULL when n_o2 is 0) gives the O2 minute values for the correction. Writes at most
 * cap hours to out and their number to *n_out. EW_EINVAL for a descending series or a bad
 * configuration, EW_ETOOBIG when cap is too small.
 */
int ew_hourly(const struct ew_value *m, size_t n, const struct ew_value *o2, size_t n_o2,
              const struct ew_hourly_cfg *cfg, struct ew_hour *out, size_t cap, size_t *n_out);

/*
 * Corrects hourly values h (computed with no reference O2) to ref_o2_pct with the point's
 * O2 hourly values o2h (both ascending): for pipelines that compute every factor's hours once
 * and share the O2 hours. Hours whose corrected value came from ZsAvg are left alone; a valid
 * hour without a valid O2 hour becomes invalid (EW_HOUR_NO_O2).
 */
int ew_hourly_o2(struct ew_hour *h, size_t n, const struct ew_hour *o2h, size_t n_o2,
                 double ref_o2_pct);

struct ew_day {
    int64_t t_unix_s;           /* CST midnight */
    int     valid;
    int     n_valid, n_total;   /* valid and received values (hours, or measurements) */
    double  mean;               /* flue: mean of valid hours; wastewater: flow-weighted mean */
    double  corrected;          /* flue: mean of valid hours' corrected values; wastewater:
                                   equal to mean; NAN when not valid */
    double  max;                /* highest valid value on the standard's basis */
    double  volume_m3;          /* wastewater: summed volume of valid measurements; else NAN */
    double  load_kg;            /* wastewater: Σ C × V × 1e-3; else NAN */
};

#define EW_DAY_MIN_HOURS 20     /* HJ 76-2017 annex B: a daily value needs 20 valid hours */

/* Daily values from hourly values (ascending): valid with at least min_valid_hours valid
 * hours. Same output conventions as ew_hourly. */
int ew_daily_from_hours(const struct ew_hour *h, size_t n, int min_valid_hours,
                        struct ew_day *out, size_t cap, size_t *n_out);

/*
 * Wastewater daily values from measurements (ascending): value = concentration (mg/L), cou =
 * the volume discharged in the measurement's interval (m3; NAN when unknown), flag. A day is
 * valid with at least ceil(min_share × expected_per_day) valid measurements (min_share: 0.75
 * is a common default [M]). The mean is flow-weighted, Σ C·V / Σ V, when every valid
 * measurement has a volume; otherwise the arithmetic mean and no load.
 */
int ew_daily_wastewater(const struct ew_value *v, size_t n, int expected_per_day,
                        double min_share, struct ew_day *out, size_t cap, size_t *n_out);

/* Valid month under HJ 76-2017 annex B: 25 valid days, 23 in February. */
int ew_month_valid(int month, int n_valid_days);

/* ---- exceedance and alarm detection --------------------------------------------------------- */

#define EW_ALARM_KINDS(X)                                                                      \
    X(EXCEED, "exceed")             /* period value above the limit */                          \
    X(OFFLINE, "offline")           /* no record for longer than allowed */                     \
    X(CONSTANT, "constant")         /* the same value for too long */                           \
    X(ZERO, "zero")                 /* zero or negative values for too long */                  \
    X(RANGE, "range")               /* outside the instrument's range (or flag T) */            \
    X(FAULT, "fault")               /* flags D or B for too long */                             \
    X(MAINT, "maintenance")         /* flags M or C for too long */

enum ew_alarm_kind {
    EW_ALARM_NONE = 0,
#define X(name, str) EW_ALARM_##name,
    EW_ALARM_KINDS(X)
#undef X
};

const char *ew_alarm_kind_name(int kind);           /* "exceed", ...; "" when unknown */
int ew_alarm_kind_parse(const char *name, int *kind);

struct ew_alarm_event {
    int     kind;               /* enum ew_alarm_kind */
    int64_t start_unix_s;       /* first offending period's start (offline: data stop) */
    int64_t end_unix_s;         /* end of the last offending period (offline: data resume) */
    int64_t peak_unix_s;        /* start of the worst period */
    double  peak;               /* exceed: highest value; zero: lowest; range: farthest out;
                                   constant: the value; NAN for offline and flags */
    double  limit;              /* exceed: the limit; range: the bound crossed; else NAN */
    double  multiple;           /* exceed: (peak − limit) / limit; else NAN */
    int     n;                  /* records (periods) in the event */
    int     open;               /* the event lasts to the end of the data */
};

/*
 * Exceedance events on the standard's averaging period: each run of consecutive valid periods
 * above lim->limit (or below lim->limit_lo) is one event with its start, end, peak and
 * multiple. A period that is invalid, missing or compliant ends the run. Calls fn per event in
 * time order; a non-zero return from fn stops and is returned.
 */
int ew_exceed_hours(const struct ew_hour *h, size_t n, const struct ew_limit *lim,
                    int (*fn)(void *ctx, const struct ew_alarm_event *e), void *ctx);
int ew_exceed_days(const struct ew_day *d, size_t n, const struct ew_limit *lim,
                   int (*fn)(void *ctx, const struct ew_alarm_event *e), void *ctx);

/* Thresholds of the detection rules for one kind of point. Durations in seconds; a rule with a
 * negative duration is off. */
struct ew_alarm_rules {
    int64_t interval_s;         /* the record interval the series should have */
    int64_t offline_after_s;    /* a gap in the data longer than this */
    int64_t constant_after_s;   /* the same positive value for at least this long */
    double  constant_epsilon;   /* values within this of the run's first value are "the same" */
    int64_t zero_after_s;       /* zero or negative values for at least this long */
    int64_t fault_after_s;      /* flags D or B for at least this long */
    int64_t maint_after_s;      /* flags M or C for at least this long */
};

/* Defaults per point kind (the names of store.h's EW_POINT_KINDS); EW_ENOTFOUND when unknown.
 * The national texts give no numbers for these rules: every default is a proposal [M]. */
int ew_alarm_rules_default(const char *point_kind, struct ew_alarm_rules *out);

struct ew_detect_input {
    const struct ew_value *v;   /* one factor of one point, ascending */
    size_t  n;
    double  range_lo, range_hi; /* instrument range; NAN when unknown */
    int64_t now_unix_s;         /* end of the observed window (offline at the end) */
};

/*
 * Runs the offline, constant, zero, range, fault and maintenance rules over one series in one
 * pass and calls fn for every event as its run ends; events still open at the end of the data
 * come last. A repeated record (same time) counts once. EW_EINVAL for a descending series or
 * bad rules; a non-zero return from fn stops and is returned.
 */
int ew_detect(const struct ew_detect_input *in, const struct ew_alarm_rules *rules,
              int (*fn)(void *ctx, const struct ew_alarm_event *e), void *ctx);

/* ---- 传输有效率 ----------------------------------------------------------------------------- */

struct ew_span {
    int64_t from_unix_s, to_unix_s;     /* [from, to) */
};

struct ew_trans_count {
    int64_t expected;           /* hourly records that should have arrived */
    int64_t received;           /* distinct expected hours with a record */
    int64_t valid;              /* of those, hours with a valid record */
};

struct ew_trans_rate {
    double transmission_pct;    /* 传输率 = received / expected */
    double validity_pct;        /* 有效率 = valid / received (0 when nothing arrived) */
    double effective_pct;       /* 传输有效率 = 传输率 × 有效率 = valid / expected */
};

/*
 * Counts one point-factor's hourly records h[0..n) (any order, duplicates allowed) over the
 * CST calendar month: expected hours are the month's clock hours less those whose start falls
 * in an excluded span (reported shutdown, stopped discharge, approved outage); records outside
 * the month or in excluded hours are ignored; an hour is valid when one of its records has a
 * valid flag.
 */
int ew_trans_count_month(int year, int month, const struct ew_value *h, size_t n,
                         const struct ew_span *excluded, size_t n_excluded,
                         struct ew_trans_count *out);
/* Adds c into sum (aggregation by enterprise or county pools the counts). */
void ew_trans_add(struct ew_trans_count *sum, const struct ew_trans_count *c);
/* The rates of a count; EW_ENODATA when nothing was expected. */
int ew_trans_rates(const struct ew_trans_count *c, struct ew_trans_rate *out);

struct ew_trans_item {
    const char           *id;   /* caller's name of the point, enterprise or county */
    struct ew_trans_count count;
    struct ew_trans_rate  rate;
};
/* Orders two items worst first: lowest 传输有效率 (items with nothing expected, rate NAN,
 * last), then more expected records, then id. Returns < 0, 0 or > 0 like strcmp. */
int ew_trans_cmp(const struct ew_trans_item *a, const struct ew_trans_item *b);
/* Sorts items worst first with ew_trans_cmp. */
void ew_trans_rank(struct ew_trans_item *items, size_t n);

/* ---- totals --------------------------------------------------------------------------------- */

/* Flue gas: kg emitted = C (measured, dry, standard state, not O2-corrected) × Q (dry standard
 * m3/h) × hours × 1e-6. */
int ew_load_flue_kg(double conc_mgm3, double flow_m3h, double hours, double *out_kg);
/* Wastewater: kg = C (mg/L) × V (m3) × 1e-3. */
int ew_load_water_kg(double conc_mgl, double volume_m3, double *out_kg);

enum ew_period {
    EW_PERIOD_HOUR = 1,
    EW_PERIOD_DAY = 2,
    EW_PERIOD_MONTH = 3,
    EW_PERIOD_YEAR = 4,
};
/* Parses "hour" "day" "month" "year". */
int ew_period_parse(const char *s, int *period);
/* The CST period key of an instant: "2018-10-01T08", "2018-10-01", "2018-10", "2018". */
int ew_period_key(int64_t t_unix_s, int period, char out[16]);
/* Share (0..1) of the CST calendar year elapsed at t_unix_s. */
double ew_year_elapsed(int64_t t_unix_s);

#define EW_QUOTA_MAX_LEVELS 8

struct ew_quota_status {
    double used_pct;            /* emitted / quota */
    double elapsed_pct;         /* share of the period elapsed */
    double pace;                /* used share / elapsed share (> 1: ahead of the quota) */
    double projected;           /* linear projection to the period end, same unit as quota */
    double projected_pct;       /* projected / quota */
    int    level;               /* 1-based index of the highest level reached; 0 none */
    int    projected_over;      /* 1 when the projection passes the quota */
};

/*
 * Compares an emitted quantity with the permitted quantity of the period: levels_pct are the
 * warning shares in ascending order (80, 90, 100 by default; no national rule sets them [M]);
 * elapsed is the share of the period elapsed (0 < elapsed <= 1). EW_EINVAL for a quota that is
 * not positive, a negative emission, unordered or too many levels, or elapsed out of range.
 */
int ew_quota_check(double emitted, double quota, double elapsed, const double *levels_pct,
                   size_t n_levels, struct ew_quota_status *out);

#endif
