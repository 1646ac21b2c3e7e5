/* SPDX-License-Identifier: MIT */
/*
 * Ambient air quality: the AQI of HJ 633-2012, the statistics of HJ 663-2013 (daily values
 * from hourly data, monthly and annual means and percentiles, days by level, share of good
 * days), the comprehensive index used by the national city ranking, year-on-year change,
 * annual targets, rankings, and the heavy-pollution alert levels.
 *
 * Everything here is a pure function: no I/O, no global state, no allocation unless stated,
 * thread-safe. The daemon calls them when an hour's data is committed (ew_aqi_hour), at day
 * end (ew_air_day_from_hours, ew_aqi_day) and for reports (ew_air_period_stats ...); the CLI
 * commands `envwatch aqi` and `envwatch air-stats` call the same functions.
 *
 * Units: µg/m3 for every pollutant except CO, which is in mg/m3, as in GB 3095-2012. A
 * missing or invalid concentration is NAN. The AQI and sub-indices are integers.
 * See docs/air.md for the rules and the sources of every number.
 */
#ifndef EW_AIR_H
#define EW_AIR_H

#include <stddef.h>
#include <stdint.h>

/* ---------------------------------------------------------------------------------------
 * Items. One enum names both the sub-index slots of an AQI result and the daily items of
 * HJ 663. EW_AIR_O3_1H is the 1-hour O3 value (the hourly value in the real-time AQI, the
 * daily maximum 1-hour value in the daily AQI); EW_AIR_O3_8H is the daily maximum 8-hour
 * moving mean.
 * ------------------------------------------------------------------------------------- */
enum ew_air_item {
    EW_AIR_SO2,
    EW_AIR_NO2,
    EW_AIR_CO,
    EW_AIR_O3_1H,
    EW_AIR_O3_8H,
    EW_AIR_PM10,
    EW_AIR_PM25,
    EW_AIR_NITEMS
};

/* Token of an item as used in CSV output: "SO2" "NO2" "CO" "O3" "O3_8h" "PM10" "PM2.5";
 * NULL for an out-of-range item. */
const char *ew_air_item_token(int item);
/* The national platform's label (首要污染物 wording): "二氧化硫" ... "臭氧1小时" "臭氧8小时"
 * "颗粒物(PM10)" "细颗粒物(PM2.5)"; NULL for an out-of-range item. */
const char *ew_air_item_label_zh(int item);

/* The columns of HJ 633-2012 table 1 (the breakpoint tables). */
enum ew_aqi_table {
    EW_AQI_SO2_24H,
    EW_AQI_SO2_1H,
    EW_AQI_NO2_24H,
    EW_AQI_NO2_1H,
    EW_AQI_PM10_24H,
    EW_AQI_CO_24H,
    EW_AQI_CO_1H,
    EW_AQI_O3_1H,
    EW_AQI_O3_8H,
    EW_AQI_PM25_24H,
    EW_AQI_NTABLES
};

/*
 * The individual air quality index (IAQI) of one concentration against one column of
 * HJ 633-2012 table 1: linear interpolation between the bracketing breakpoints, rounded UP to
 * an integer (the rounding the national platform uses, reference/air.md §1.2).
 * conc is in µg/m3, or mg/m3 for the CO tables.
 * Above the top breakpoint the IAQI is 500 (the platform's practice for PM; the standard is
 * silent). Returns EW_OK and sets *iaqi; EW_EINVAL for a negative, NAN or infinite conc or a
 * bad table; EW_ENODATA where the standard gives no sub-index (SO2 1-h above 800 µg/m3,
 * O3 8-h above 800 µg/m3), for which the callers below apply the standard's special rules.
 */
int ew_aqi_iaqi(int table, double conc, int *iaqi);

/* The breakpoint of table 'table' at row 'row' (0..7, IAQI 0, 50, 100, 150, 200, 300, 400,
 * 500). EW_ENOTFOUND for a row the standard leaves blank (SO2 1-h and O3 8-h above IAQI 200
 * resp. 300); EW_EINVAL for a bad table or row. For tests and documentation. */
int ew_aqi_breakpoint(int table, int row, double *conc, int *iaqi);

/* ---------------------------------------------------------------------------------------
 * Levels (HJ 633-2012 table 2 and appendix A).
 * ------------------------------------------------------------------------------------- */
struct ew_aqi_class {
    int           level;        /* 1..6 */
    int           aqi_lo, aqi_hi;
    const char   *level_zh;     /* "一级" */
    const char   *category_zh;  /* "优" */
    const char   *category_en;  /* "excellent" */
    const char   *colour_zh;    /* "绿色" */
    const char   *colour_en;    /* "green" */
    unsigned char rgb[3];
    const char   *effect_zh, *advice_zh;  /* health effects and advice of table 2 */
};

/* The class of an AQI (0..500; above 500 counts as level 6). NULL for a negative AQI. The
 * result points to static constant data. */
const struct ew_aqi_class *ew_aqi_class_of(int aqi);

/* ---------------------------------------------------------------------------------------
 * AQI results.
 * ------------------------------------------------------------------------------------- */
struct ew_aqi_result {
    int      aqi;                       /* 0..500 */
    int      level;                     /* 1..6 */
    int      iaqi[EW_AIR_NITEMS];       /* -1 where the item was not given or not computed */
    unsigned primary;                   /* bit (1u << item) for each primary pollutant:
                                           IAQI equals the AQI and AQI > 50; ties all set */
    unsigned exceeding;                 /* bit (1u << item) for each IAQI > 100 */
};

/* One hour's 1-hour means of the six pollutants; NAN = missing. */
struct ew_air_hour {
    double so2_ugm3, no2_ugm3, co_mgm3, o3_ugm3, pm10_ugm3, pm25_ugm3;
};

/*
 * The real-time (hourly) AQI exactly as the national release platform computes it
 * (reference/air.md §2, rule R1, checked on all 2019 data): sub-indices from the six 1-hour
 * values only, SO2 NO2 CO O3 against their 1-hour columns, PM10 and PM2.5 against their
 * 24-hour columns, no O3 8-hour term; SO2 1-hour above 800 µg/m3 gives an SO2 sub-index of
 * 200. A missing pollutant is left out (AQI = max over those present).
 * Returns EW_OK and fills *out; EW_ENODATA when all six are missing; EW_EINVAL for a
 * negative or infinite value. *out is written only on EW_OK.
 */
int ew_aqi_hour(const struct ew_air_hour *h, struct ew_aqi_result *out);

/* SO2 1-hour above 800 µg/m3: the platform's cap (default) or the HJ 633 table 1 note. */
enum ew_aqi_so2_rule {
    EW_AQI_SO2_CAP200 = 0,      /* SO2 sub-index 200: what the platform publishes [data] */
    EW_AQI_SO2_FROM_24H = 1     /* SO2 sub-index from the 24-hour SO2 value (HJ 633 note) */
};

struct ew_aqi_hour_opts {
    int    so2_rule;            /* enum ew_aqi_so2_rule */
    double so2_24h_ugm3;        /* for EW_AQI_SO2_FROM_24H; NAN leaves SO2 out in that case */
    double o3_8h_ugm3;          /* when not NAN, adds an O3 8-hour sub-index: NOT what the
                                   platform does, for comparisons only */
};

/* ew_aqi_hour with options; opts NULL means the platform rule. */
int ew_aqi_hour_ex(const struct ew_air_hour *h, const struct ew_aqi_hour_opts *opts,
                   struct ew_aqi_result *out);

/* One day's values (HJ 663-2013); NAN = invalid or missing. */
struct ew_air_day {
    double so2_ugm3, no2_ugm3, co_mgm3, pm10_ugm3, pm25_ugm3;   /* 24-hour means */
    double o3_8h_ugm3;      /* daily maximum 8-hour moving mean */
    double o3_1h_ugm3;      /* daily maximum 1-hour value */
};

/*
 * The daily AQI (HJ 633-2012 日报): 24-hour columns for SO2 NO2 CO PM10 PM2.5, the 8-hour
 * column for the daily maximum 8-hour O3 and the 1-hour column for the daily maximum 1-hour
 * O3. O3 8-hour above 800 µg/m3 gets no 8-hour sub-index; O3 is then reported from the
 * 1-hour value (HJ 633 table 1 note 3). Missing items are left out.
 * Returns EW_OK; EW_ENODATA when every item is missing; EW_EINVAL for negative values.
 */
int ew_aqi_day(const struct ew_air_day *d, struct ew_aqi_result *out);

/* ---------------------------------------------------------------------------------------
 * HJ 663-2013 statistics.
 * ------------------------------------------------------------------------------------- */

/* The value of one daily item of a day, or NAN; item is enum ew_air_item. */
double ew_air_day_get(const struct ew_air_day *d, int item);
void   ew_air_day_set(struct ew_air_day *d, int item, double v);
/* The value of one pollutant of an hour (EW_AIR_O3_1H is the hourly O3), or NAN. */
double ew_air_hour_get(const struct ew_air_hour *h, int item);
void   ew_air_hour_set(struct ew_air_hour *h, int item, double v);

/* Sets every field to NAN. */
void ew_air_hour_clear(struct ew_air_hour *h);
void ew_air_day_clear(struct ew_air_day *d);

/*
 * Rounds as GB/T 8170 (round half to even, 四舍六入五成双) to 'decimals' decimals (0..6),
 * tolerating binary noise (a value within 1e-9 of a tie is a tie). NAN stays NAN.
 */
double ew_air_round(double v, int decimals);
/* Reporting decimals of an item: 1 for CO, 0 for the others. */
int ew_air_item_decimals(int item);

struct ew_air_day_info {
    int n_hours[EW_AIR_NITEMS];     /* valid hours per pollutant (O3_1H = hourly O3; the
                                       O3_8H slot holds the number of valid 8-hour windows) */
};

/*
 * The daily values of one natural day from its 24 hourly values (HJ 663-2013, GB 3095-2012
 * table 4). hours[i] is the 1-hour mean of i:00-(i+1):00 CST, i.e. the hour the national
 * platform labels i+1 (the label 24 is hour 0 of the next day's file).
 * - 24-hour means of SO2 NO2 CO PM10 PM2.5: need >= 20 valid hours.
 * - 8-hour moving means ending at 08:00 ... 24:00 (17 windows inside the day), each with
 *   >= 6 valid hours; the daily maximum needs >= 14 valid windows, or fewer when it is above
 *   160 µg/m3 (the grade-2 limit) [mem: HJ 663 wording not re-read, reference/air.md §4.3].
 * - Daily maximum 1-hour O3: needs >= 20 valid hours, like the 24-hour means [M: an
 *   assumption; HJ 663 not re-read on this point].
 * Values are rounded as published (GB/T 8170; integers, CO one decimal). Invalid -> NAN.
 * Returns EW_OK; EW_EINVAL for a negative or infinite hourly value. info may be NULL.
 */
int ew_air_day_from_hours(const struct ew_air_hour hours[24], struct ew_air_day *out,
                          struct ew_air_day_info *info);

/*
 * The mean over stations of one hour (for a city or county): per pollutant, the arithmetic
 * mean of the stations that have a value, rounded as published; NAN when none has one.
 * The rule for the city series is "mean of the evaluation stations" (HJ 663 §4.3 [mem]); that
 * the city day is computed from the city-mean hours is an assumption (reference/air.md §9).
 */
int ew_air_hour_mean(const struct ew_air_hour *stations, size_t n, struct ew_air_hour *out);

/* The HJ 663-2013 appendix A percentile of n values (need not be sorted; sorted in place):
 * k = 1 + (n-1)p/100, linear between X(s) and X(s+1). NAN values must not be passed.
 * Returns EW_OK; EW_ENODATA for n = 0; EW_EINVAL for p outside 0..100. */
int ew_air_percentile(double *v, size_t n, double p, double *out);

/* The percentile of HJ 663 used for an item's period statistic: 98 for SO2 and NO2, 95 for
 * PM10 PM2.5 CO, 90 for the daily maximum 8-hour O3, 90 for the daily maximum 1-hour O3
 * (no HJ 663 statistic; reported for reference). */
double ew_air_item_percentile(int item);

/* The grade-2 limit of GB 3095-2012 for the daily value of an item (24-hour, 8-hour or 1-hour
 * limit), equal to IAQI 100 in HJ 633 table 1. */
double ew_air_item_limit(int item);

struct ew_air_stat {
    double mean;        /* mean of the valid daily values, rounded; NAN when none */
    double pct;         /* the item's percentile (ew_air_item_percentile), rounded; NAN */
    double max;         /* the largest daily value; NAN */
    int    n_days;      /* valid daily values */
    int    exceed_days; /* daily value above the grade-2 limit (IAQI > 100) */
    int    valid;       /* 1 when n_days meets GB 3095-2012 table 4 / HJ 663 for the period */
    int    months_short; /* calendar year only: months with fewer daily values than their
                            monthly minimum (each makes the year not valid) */
};

#define EW_AIR_NLEVELS 6

struct ew_air_period {
    int year, month;                    /* month 1..12, or 0 for the calendar year */
    int n_days;                         /* calendar days in the period */
    struct ew_air_stat item[EW_AIR_NITEMS];
    int    aqi_days;                    /* days with a daily AQI */
    int    level_days[EW_AIR_NLEVELS];  /* days per level 1..6 (index level - 1) */
    int    good_days;                   /* AQI <= 100 (优良, 达标) */
    double good_share_pct;              /* good_days / aqi_days, one decimal; NAN if none */
    int    heavy_days;                  /* AQI > 200 (重度及以上) */
    int    primary_days[EW_AIR_NITEMS]; /* days on which the item was a primary pollutant */
};

/*
 * Statistics of one month (month 1..12) or calendar year (month 0) from its daily values:
 * days[i] is day i+1 of the period, n_days must equal the days of the period (missing days
 * all NAN). Means and percentiles use the valid daily values of each item. Validity
 * (GB 3095-2012 table 4 [mem]): a month needs >= 27 daily values (>= 25 in February); a year
 * needs >= 324 and every month at its monthly minimum (months_short counts the months that
 * are not). Statistics are computed and rounded even when not valid; 'valid' tells.
 * Returns EW_OK; EW_EINVAL for a bad year/month, n_days not the period's length, or a
 * negative value.
 */
int ew_air_period_stats(const struct ew_air_day *days, size_t n_days, int year, int month,
                        struct ew_air_period *out);

/*
 * The comprehensive index (环境空气质量综合指数) of the city ranking rules (环办〔2014〕64号,
 * revised 2018 [mem]): I_i = C_i / S_i summed over SO2, NO2, PM10, PM2.5 (period means,
 * S = 60, 40, 70, 35 µg/m3), CO (95th percentile, S = 4 mg/m3) and O3 (90th percentile of
 * the daily maximum 8-hour, S = 160 µg/m3), unweighted. C_i are the rounded statistics.
 */
struct ew_air_ci {
    double sub[EW_AIR_NITEMS];  /* I_i; NAN for O3_1H (not part of the index) */
    double sum;                 /* I_sum, unrounded; show and rank it with 2 decimals */
    int    main_item;           /* item with the largest I_i (first of equals) */
    int    valid;               /* 1 when all six statistics are valid for the period */
};

/* Returns EW_OK; EW_ENODATA when one of the six statistics has no value at all. */
int ew_air_ci_compute(const struct ew_air_period *p, struct ew_air_ci *out);

/* Year-on-year (or any) relative change in percent: (now - prev) / prev * 100.
 * EW_ENODATA when either is NAN; EW_EINVAL when prev <= 0. */
int ew_air_change_pct(double now, double prev, double *pct);

struct ew_air_change {
    double mean_pct[EW_AIR_NITEMS];     /* change of the means (NAN where not computable) */
    double pct_pct[EW_AIR_NITEMS];      /* change of the percentiles */
    double ci_pct;                      /* change of I_sum (the 2017 change-degree rate) */
    double good_share_pp;               /* change of the good-day share, percentage points */
    int    heavy_days_delta;
};

/* Change of the period 'now' against 'prev' (normally the same period a year earlier). */
int ew_air_period_compare(const struct ew_air_period *now, const struct ew_air_period *prev,
                          struct ew_air_change *out);

/* ---------------------------------------------------------------------------------------
 * Rankings (smaller is better: the comprehensive index, PM2.5).
 * ------------------------------------------------------------------------------------- */

/*
 * Competition ranking (1, 2, 2, 4) of n values, ascending, compared after rounding to
 * 'decimals' decimals (the published precision: 2 for I_sum, 0 for PM2.5), so equal published
 * values tie (并列). NAN values get rank 0 (unranked). rank[] receives n ranks; order[] (may be
 * NULL) receives the indices from best to worst, unranked last, stable.
 * Returns EW_OK; EW_EINVAL for decimals outside 0..6.
 */
int ew_air_rank(const double *values, size_t n, int decimals, int *rank, size_t *order);

/* ---------------------------------------------------------------------------------------
 * Annual targets.
 * ------------------------------------------------------------------------------------- */
struct ew_air_target {
    double pm25_ugm3;       /* annual mean PM2.5 at most this; NAN = no target */
    double good_share_pct;  /* good-day share at least this; NAN = no target */
    int    heavy_days_max;  /* heavy days (AQI > 200) at most this; -1 = no target */
};

enum ew_air_target_status {
    EW_TARGET_NONE = 0,     /* no target set */
    EW_TARGET_MET,          /* met whatever the rest of the year brings */
    EW_TARGET_ON_TRACK,     /* the year-to-date figure meets it */
    EW_TARGET_BEHIND,       /* not yet, but the rest of the year can still make it */
    EW_TARGET_MISSED        /* cannot be met any more */
};

struct ew_air_target_progress {
    int    days_elapsed, days_left;     /* of the calendar year */
    /* PM2.5 */
    int    pm25_days;                   /* valid daily values so far */
    double pm25_ytd_ugm3;               /* mean so far (unrounded); NAN if none */
    double pm25_needed_ugm3;            /* mean the remaining days must not exceed (assuming
                                           each has a value); NAN without target or days */
    int    pm25_status;
    /* good-day share */
    int    aqi_days, good_days;
    double good_share_ytd_pct;          /* unrounded; NAN if no day */
    int    good_days_needed;            /* good days still needed among days_left */
    double good_share_needed_pct;       /* of the remaining days; NAN when none left */
    int    good_status;
    /* heavy days */
    int    heavy_days;
    int    heavy_days_left;             /* still allowed; -1 without target */
    int    heavy_status;
};

/* Status name: "none" "met" "on_track" "behind" "missed". */
const char *ew_air_target_status_name(int status);

/*
 * Progress to date towards the annual targets: days[0 .. days_elapsed) are the daily values
 * of the year from 1 January. The rest of the year is assumed to have a valid value every
 * day. Targets compare the unrounded year figures (mean <= target, share >= target).
 * Returns EW_OK; EW_EINVAL for a bad year or days_elapsed > days of the year.
 */
int ew_air_target_progress(const struct ew_air_target *t, const struct ew_air_day *days,
                           size_t days_elapsed, int year, struct ew_air_target_progress *out);

/* ---------------------------------------------------------------------------------------
 * Heavy-pollution alerts (重污染天气预警), reference/air.md §6.
 *
 * A rule for a level is a disjunction of clauses; a clause is a conjunction of terms; a term
 * "N days above A" holds when the episode has at least N days with daily AQI > A. An episode
 * is a run of days with daily AQI > cfg.episode_aqi_above; runs separated by at most
 * cfg.merge_gap_days days below count as one. Levels are 1 blue, 2 yellow, 3 orange, 4 red.
 * ------------------------------------------------------------------------------------- */
enum ew_air_alert_level {
    EW_ALERT_NONE = 0,
    EW_ALERT_BLUE,
    EW_ALERT_YELLOW,
    EW_ALERT_ORANGE,
    EW_ALERT_RED,
    EW_ALERT_NLEVELS
};

#define EW_ALERT_MAX_TERMS   3
#define EW_ALERT_MAX_CLAUSES 3

struct ew_air_alert_term {
    int aqi_above;          /* daily AQI strictly above this */
    int days_min;           /* on at least this many days of the episode */
};

struct ew_air_alert_clause {
    struct ew_air_alert_term terms[EW_ALERT_MAX_TERMS];
    int                      n_terms;
};

struct ew_air_alert_rule {
    struct ew_air_alert_clause clauses[EW_ALERT_MAX_CLAUSES];
    int                        n_clauses;   /* 0: the level is not used */
};

struct ew_air_alert_cfg {
    struct ew_air_alert_rule rule[EW_ALERT_NLEVELS];  /* index = level; rule[0] unused */
    int episode_aqi_above;  /* 200 */
    int merge_gap_days;     /* [M] "too short a gap counts as one": default 1 day */
    int lift_days;          /* days at or below episode_aqi_above before an alert lifts:
                               default 2 (Taiyuan 2019: improvement forecast to last > 36 h) */
};

/* Fills *cfg with the 2017 national template (MEP, reference/air.md §6): blue: 1 day > 200;
 * yellow: 2 days > 200; orange: 3 days > 200 and 1 day > 300; red: 4 days > 200 and 2 days
 * > 300, or 1 day >= 500. Whether Shanxi's 2018 plan used these exact thresholds is not
 * verified [M]; they are defaults, change them per the local plan. */
void ew_air_alert_cfg_national(struct ew_air_alert_cfg *cfg);

/*
 * Parses a rule: clauses separated by '|', terms by '&', a term "<days>x<aqi>" meaning "at
 * least <days> days with AQI above <aqi>", e.g. red = "4x200&2x300|1x499"; "" or "off"
 * disables the level. Returns EW_OK; EW_EFORMAT for bad syntax; EW_ETOOBIG for too many
 * clauses or terms. *out is written only on EW_OK.
 */
int ew_air_alert_rule_parse(const char *spec, struct ew_air_alert_rule *out);

/* Outlook for one evaluation: consecutive days' daily AQI (or continuous 24-hour AQI for the
 * current day). aqi[0 .. today) are observed past days, aqi[today] the current day, after it
 * forecast days. A negative value means unknown. */
struct ew_air_alert_outlook {
    const int *aqi;
    size_t     n;
    size_t     today;
};

/* The highest level whose rule holds for an episode that includes the current day or a later
 * one (with the observed days it continues). Returns EW_OK; EW_EINVAL for a bad outlook. */
int ew_air_alert_level(const struct ew_air_alert_cfg *cfg, const struct ew_air_alert_outlook *o,
                       int *level);

enum ew_air_alert_event_kind {
    EW_ALERT_EV_NONE = 0,
    EW_ALERT_EV_START,      /* from no alert to a level */
    EW_ALERT_EV_RAISE,      /* to a higher level */
    EW_ALERT_EV_LOWER,      /* to a lower level, still on */
    EW_ALERT_EV_END         /* lifted */
};

struct ew_air_alert_state {
    int     level;          /* current level, EW_ALERT_NONE when no alert is on */
    int64_t since_unix_s;   /* when the current level began; 0 when none */
};

struct ew_air_alert_event {
    int     kind;           /* enum ew_air_alert_event_kind */
    int     from_level, to_level;
    int64_t t_unix_s;
};

/*
 * One step of the alert state machine at time t_unix_s. A higher level takes effect at once
 * (START or RAISE). A lower level (or none) takes effect only when the lift window is clear:
 * the lift_days days from the current day are known and all at or below episode_aqi_above
 * (using forecasts when given, otherwise the last lift_days observed days up to the current
 * day); until then the higher level holds ("when AQI swings, the higher level applies").
 * Returns EW_OK, updates *st and sets *ev (kind EW_ALERT_EV_NONE when nothing changed);
 * EW_EINVAL for bad arguments (then *st and *ev are untouched).
 */
int ew_air_alert_step(const struct ew_air_alert_cfg *cfg, struct ew_air_alert_state *st,
                      int64_t t_unix_s, const struct ew_air_alert_outlook *o,
                      struct ew_air_alert_event *ev);

/* Names: level "none" "blue" "yellow" "orange" "red" and "无" "蓝色预警" ...; event kind
 * "none" "start" "raise" "lower" "end". NULL when out of range. */
const char *ew_air_alert_level_name(int level);
const char *ew_air_alert_level_name_zh(int level);
const char *ew_air_alert_event_name(int kind);

#endif
