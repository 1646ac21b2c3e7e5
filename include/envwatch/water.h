/* SPDX-License-Identifier: MIT */
/*
 * Surface-water quality: the class of a sample under GB 3838-2002 table 1 and its evaluation
 * under 地表水环境质量评价办法(试行) (环办〔2011〕22号): the 21 evaluated items, the
 * single-factor section class, exceedance multiples, main pollutants, the qualitative label,
 * target compliance, period means, river/basin evaluation (class-share method), trends and
 * the trophic-level index of lakes.
 *
 * Pure functions: no I/O, no global state, no allocation; all are thread-safe. Concentrations
 * are mg/L, pH is dimensionless, fecal coliform is counts per litre. A missing value is NAN.
 * The rules and the source of every number are in docs/water.md.
 */
#ifndef EW_WATER_H
#define EW_WATER_H

#include <stddef.h>

/* The items, in the column order of `envwatch water`; the code is the CSV column name. */
#define EW_WQ_ITEMS(X)                                                                         \
    X(PH, "ph", "pH值")                                                                       \
    X(DO, "do", "溶解氧")                                                                      \
    X(CODMN, "codmn", "高锰酸盐指数")                                                          \
    X(COD, "cod", "化学需氧量")                                                                \
    X(BOD5, "bod5", "五日生化需氧量")                                                          \
    X(NH3N, "nh3n", "氨氮")                                                                    \
    X(TP, "tp", "总磷")                                                                        \
    X(TN, "tn", "总氮")                                                                        \
    X(CU, "cu", "铜")                                                                          \
    X(ZN, "zn", "锌")                                                                          \
    X(F, "f", "氟化物")                                                                        \
    X(SE, "se", "硒")                                                                          \
    X(AS, "as", "砷")                                                                          \
    X(HG, "hg", "汞")                                                                          \
    X(CD, "cd", "镉")                                                                          \
    X(CR6, "cr6", "六价铬")                                                                    \
    X(PB, "pb", "铅")                                                                          \
    X(CN, "cn", "氰化物")                                                                      \
    X(PHENOL, "phenol", "挥发酚")                                                              \
    X(OIL, "oil", "石油类")                                                                    \
    X(LAS, "las", "阴离子表面活性剂")                                                          \
    X(S2, "s2", "硫化物")                                                                      \
    X(FCOLI, "fcoli", "粪大肠菌群")

enum ew_wq_item {
#define X(name, code, zh) EW_WQ_##name,
    EW_WQ_ITEMS(X)
#undef X
    EW_WQ_NITEMS
};

enum ew_wq_body {
    EW_WQ_RIVER = 0,            /* rivers and canals: TP on the river scale */
    EW_WQ_LAKE = 1,             /* lakes and reservoirs: TP on the lake scale */
};

/* Water-quality classes; EW_WQ_NONE means "nothing evaluable". Lower is better. */
enum ew_wq_class {
    EW_WQ_NONE = 0,
    EW_WQ_I = 1,
    EW_WQ_II = 2,
    EW_WQ_III = 3,
    EW_WQ_IV = 4,
    EW_WQ_V = 5,
    EW_WQ_WORSE_V = 6,          /* 劣V */
};

/* Qualitative grades of a section or a river (the 2011 method's wording). */
enum ew_wq_grade {
    EW_WQ_GRADE_NONE = 0,
    EW_WQ_EXCELLENT = 1,        /* 优 */
    EW_WQ_GOOD = 2,             /* 良好 */
    EW_WQ_LIGHT = 3,            /* 轻度污染 */
    EW_WQ_MODERATE = 4,         /* 中度污染 */
    EW_WQ_HEAVY = 5,            /* 重度污染 */
};

/* One sample (or a period mean) of one section: v[item], NAN where not measured. */
struct ew_wq_sample {
    double v[EW_WQ_NITEMS];
};

/* Sets every value of s to NAN. */
void ew_wq_sample_init(struct ew_wq_sample *s);

/* The CSV column code ("nh3n") and the Chinese name of an item; NULL when out of range. */
const char *ew_wq_item_code(int item);
const char *ew_wq_item_name(int item);
/* Finds an item by its code (case-insensitive); EW_ENOTFOUND when unknown. */
int ew_wq_item_find(const char *code, int *item);
/* 1 for the 21 items the 2011 method evaluates (all but TN and fecal coliform), else 0. */
int ew_wq_item_evaluated(int item);

/*
 * The GB 3838-2002 table 1 class of one value: EW_WQ_I .. EW_WQ_WORSE_V in *cls. A value on a
 * limit meets it; where classes share a limit the better class is given. pH inside 6-9 is
 * class I, outside is 劣V. TN and fecal coliform are classed too (for reference). Returns
 * EW_EINVAL for an unknown item or body, a NAN, infinite or negative value, or pH above 14.
 */
int ew_wq_item_class(int item, int body, double v, int *cls);
/* The table 1 limit of an item for class I..V (DO: the minimum; pH: EW_EINVAL). */
int ew_wq_item_limit(int item, int body, int cls, double *limit);

/* "I" "II" "III" "IV" "V" "劣V"; "" for EW_WQ_NONE and unknown values. */
const char *ew_wq_class_name(int cls);
/* Parses I..V, 1..5, the Roman numerals Ⅰ..Ⅴ, 劣V/劣Ⅴ; EW_EFORMAT otherwise. */
int ew_wq_class_parse(const char *s, int *cls);
/* The grade of a single section's class: I, II 优; III 良好; IV 轻度; V 中度; 劣V 重度. */
int ew_wq_class_grade(int cls);
/* "优" "良好" "轻度污染" "中度污染" "重度污染"; "" for none. */
const char *ew_wq_grade_label(int grade);
/* Display colour: "blue" "green" "yellow" "orange" "red"; "" for none. */
const char *ew_wq_grade_colour(int grade);
/* 1 when a section of class cls meets its target class (cls no worse than target), else 0. */
int ew_wq_target_met(int cls, int target);

#define EW_WQ_MAIN_MAX 3

struct ew_wq_pollutant {
    int    item;
    int    cls;
    double multiple;            /* exceedance multiple; NAN for pH and DO */
};

struct ew_wq_result {
    int    cls;                         /* the section class (single-factor method) */
    int    grade;                       /* enum ew_wq_grade of cls */
    int    item_cls[EW_WQ_NITEMS];      /* per item; EW_WQ_NONE when not measured */
    double multiple[EW_WQ_NITEMS];      /* (C - C_III) / C_III where C > C_III, else NAN */
    size_t n_evaluated;                 /* evaluated items that had a value */
    struct ew_wq_pollutant main[EW_WQ_MAIN_MAX];
    size_t n_main;                      /* 0 unless the section is worse than III */
};

/*
 * Evaluates one sample: the class is the worst class of the 21 evaluated items; TN and fecal
 * coliform get item_cls and multiple for reference only. Main pollutants (only when the class
 * is worse than III) are the items worse than III: cyanide and heavy metals first, then by
 * class, then by multiple, items without a multiple last; at most three. Returns EW_OK,
 * EW_ENODATA when no evaluated item has a value, or EW_EINVAL (bad body or value). *out is
 * written only on EW_OK.
 */
int ew_wq_evaluate(const struct ew_wq_sample *s, int body, struct ew_wq_result *out);

/*
 * The period value of a section (week, month, quarter, year): the arithmetic mean per item of
 * the n samples' values. Returns EW_ENODATA when n < min_samples (the annual minimum is a
 * parameter: the method's number is unconfirmed [M], docs/water.md suggests 8), EW_EINVAL on
 * NULL arguments.
 */
int ew_wq_mean(const struct ew_wq_sample *s, size_t n, size_t min_samples,
               struct ew_wq_sample *out);

#define EW_WQ_RIVER_SHARE_MIN 5 /* sections from which the class-share method is used */

enum ew_wq_method {
    EW_WQ_BY_MEAN = 1,          /* fewer than 5 sections: single-factor on the mean values */
    EW_WQ_BY_SHARE = 2,         /* 5 sections or more: share of sections per class */
};

struct ew_wq_river_item {
    int    item;
    double rate_pct;            /* BY_SHARE: sections worse than III / sections, in % */
    double multiple;            /* BY_MEAN: the mean value's multiple; NAN otherwise */
};

struct ew_wq_river {
    size_t n_sections;          /* sections with an evaluable sample */
    int    method;              /* enum ew_wq_method */
    int    cls;                 /* BY_MEAN: class of the means; BY_SHARE: EW_WQ_NONE */
    int    grade;               /* enum ew_wq_grade */
    double share_pct[7];        /* share of sections in each class (index = class), in % */
    double good_pct;            /* share in I-III */
    double worse_v_pct;         /* share in 劣V */
    struct ew_wq_river_item main[EW_WQ_MAIN_MAX];
    size_t n_main;              /* 0 unless the grade is 轻度污染 or worse */
};

/*
 * Evaluates a river, basin or lake from the period values of its n sections (all of the same
 * body type). Sections with no evaluable item are left out. Returns EW_ENODATA when no section
 * is evaluable, EW_EINVAL on bad arguments or values.
 */
int ew_wq_river_evaluate(const struct ew_wq_sample *sections, size_t n, int body,
                         struct ew_wq_river *out);

enum ew_wq_trend {
    EW_WQ_MUCH_WORSE = -2,      /* 明显变差 */
    EW_WQ_WORSE = -1,           /* 有所变差 */
    EW_WQ_STABLE = 0,           /* 无明显变化 */
    EW_WQ_BETTER = 1,           /* 有所好转 */
    EW_WQ_MUCH_BETTER = 2,      /* 明显好转 */
};

/* Trend of a river between two periods from its I-III and 劣V shares (percent). */
int ew_wq_trend_shares(double good_now_pct, double worse_v_now_pct, double good_prev_pct,
                       double worse_v_prev_pct);
/* Trend of one section from its class in two periods. */
int ew_wq_trend_class(int cls_now, int cls_prev);
const char *ew_wq_trend_label(int trend);

/*
 * Comprehensive trophic-level index TLI(Σ) of a lake from chlorophyll-a (mg/m3), TP and TN
 * (mg/L), Secchi depth (m) and CODMn (mg/L). All five must be positive; EW_EINVAL otherwise.
 */
int ew_wq_tli(double chla_mgm3, double tp_mgl, double tn_mgl, double sd_m, double codmn_mgl,
              double *tli);
/* "贫营养" "中营养" "轻度富营养" "中度富营养" "重度富营养" for a TLI value. */
const char *ew_wq_tli_label(double tli);

#endif
