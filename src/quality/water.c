/* SPDX-License-Identifier: MIT */
/*
 * GB 3838-2002 table 1 and the single-sample rules of the 2011 evaluation method: the class of
 * each item, the section class, exceedance multiples and main pollutants. Period means, rivers,
 * trends and the trophic index are in water_eval.c. Nothing here reads files or allocates.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <envwatch/err.h>
#include <envwatch/water.h>

static const char *const item_codes[EW_WQ_NITEMS] = {
#define X(name, code, zh) code,
    EW_WQ_ITEMS(X)
#undef X
};

static const char *const item_names[EW_WQ_NITEMS] = {
#define X(name, code, zh) zh,
    EW_WQ_ITEMS(X)
#undef X
};

/*
 * GB 3838-2002 table 1, "not more than" limits for classes I..V in mg/L (fecal coliform per
 * litre), transcribed from reference/standards.md §1.1 [V]. pH (a range) and DO ("not less
 * than") have their own rules below; TP is the river scale, the lake scale is lake_tp.
 */
static const double le_limits[EW_WQ_NITEMS][5] = {
    [EW_WQ_CODMN] = { 2, 4, 6, 10, 15 },
    [EW_WQ_COD] = { 15, 15, 20, 30, 40 },
    [EW_WQ_BOD5] = { 3, 3, 4, 6, 10 },
    [EW_WQ_NH3N] = { 0.15, 0.5, 1.0, 1.5, 2.0 },
    [EW_WQ_TP] = { 0.02, 0.1, 0.2, 0.3, 0.4 },
    [EW_WQ_TN] = { 0.2, 0.5, 1.0, 1.5, 2.0 },
    [EW_WQ_CU] = { 0.01, 1.0, 1.0, 1.0, 1.0 },
    [EW_WQ_ZN] = { 0.05, 1.0, 1.0, 2.0, 2.0 },
    [EW_WQ_F] = { 1.0, 1.0, 1.0, 1.5, 1.5 },
    [EW_WQ_SE] = { 0.01, 0.01, 0.01, 0.02, 0.02 },
    [EW_WQ_AS] = { 0.05, 0.05, 0.05, 0.1, 0.1 },
    [EW_WQ_HG] = { 0.00005, 0.00005, 0.0001, 0.001, 0.001 },
    [EW_WQ_CD] = { 0.001, 0.005, 0.005, 0.005, 0.01 },
    [EW_WQ_CR6] = { 0.01, 0.05, 0.05, 0.05, 0.1 },
    [EW_WQ_PB] = { 0.01, 0.01, 0.05, 0.05, 0.1 },
    [EW_WQ_CN] = { 0.005, 0.05, 0.2, 0.2, 0.2 },
    [EW_WQ_PHENOL] = { 0.002, 0.002, 0.005, 0.01, 0.1 },
    [EW_WQ_OIL] = { 0.05, 0.05, 0.05, 0.5, 1.0 },
    [EW_WQ_LAS] = { 0.2, 0.2, 0.2, 0.3, 0.3 },
    [EW_WQ_S2] = { 0.05, 0.1, 0.2, 0.5, 1.0 },
    [EW_WQ_FCOLI] = { 200, 2000, 10000, 20000, 40000 },
};

/* Table 1 TP for lakes and reservoirs. */
static const double lake_tp[5] = { 0.01, 0.025, 0.05, 0.1, 0.2 };

/* Table 1 DO, "not less than"; class I is 7.5 mg/L (or 90 % saturation, not modelled). */
static const double do_limits[5] = { 7.5, 6, 5, 3, 2 };

#define PH_MIN 6.0
#define PH_MAX 9.0

/*
 * A value within this relative distance of a limit is on the limit. Measured values carry a
 * few significant digits, while a mean computed in binary floating point can land a few ulps
 * past a limit (0.6, 1.6 and 0.8 average to 1.0000000000000002): that must not change a class.
 */
#define REL_TOL 1e-9

static int
above(double v, double limit)
{
    return v > limit * (1 + REL_TOL);
}

static int
below(double v, double limit)
{
    return v < limit * (1 - REL_TOL);
}

void
ew_wq_sample_init(struct ew_wq_sample *s)
{
    for (size_t i = 0; i < EW_WQ_NITEMS; i++)
        s->v[i] = NAN;
}

const char *
ew_wq_item_code(int item)
{
    return item >= 0 && item < EW_WQ_NITEMS ? item_codes[item] : NULL;
}

const char *
ew_wq_item_name(int item)
{
    return item >= 0 && item < EW_WQ_NITEMS ? item_names[item] : NULL;
}

int
ew_wq_item_find(const char *code, int *item)
{
    if (code == NULL || item == NULL)
        return EW_EINVAL;
    for (int i = 0; i < EW_WQ_NITEMS; i++) {
        if (strcasecmp(code, item_codes[i]) == 0) {
            *item = i;
            return EW_OK;
        }
    }
    return EW_ENOTFOUND;
}

int
ew_wq_item_evaluated(int item)
{
    /* 2011 method: the 21 items of table 1 less water temperature, TN and fecal coliform. */
    return item >= 0 && item < EW_WQ_NITEMS && item != EW_WQ_TN && item != EW_WQ_FCOLI;
}

static int
valid_args(int item, int body, double v)
{
    if (item < 0 || item >= EW_WQ_NITEMS || (body != EW_WQ_RIVER && body != EW_WQ_LAKE))
        return 0;
    if (!isfinite(v) || v < 0)
        return 0;
    return item != EW_WQ_PH || v <= 14.0;
}

static const double *
le_row(int item, int body)
{
    return item == EW_WQ_TP && body == EW_WQ_LAKE ? lake_tp : le_limits[item];
}

int
ew_wq_item_limit(int item, int body, int cls, double *limit)
{
    if (!valid_args(item, body, 0) || item == EW_WQ_PH || cls < EW_WQ_I || cls > EW_WQ_V)
        return EW_EINVAL;
    *limit = item == EW_WQ_DO ? do_limits[cls - 1] : le_row(item, body)[cls - 1];
    return EW_OK;
}

int
ew_wq_item_class(int item, int body, double v, int *cls)
{
    const double *row;
    int c;

    if (!valid_args(item, body, v) || cls == NULL)
        return EW_EINVAL;
    if (item == EW_WQ_PH) {
        /* pH 6-9 is the same for every class: inside it the item does not limit the class. */
        *cls = below(v, PH_MIN) || above(v, PH_MAX) ? EW_WQ_WORSE_V : EW_WQ_I;
        return EW_OK;
    }
    /* The first class whose limit is met: "从优不从劣" where classes share a limit. */
    if (item == EW_WQ_DO) {
        for (c = 0; c < 5 && below(v, do_limits[c]); c++)
            ;
    } else {
        row = le_row(item, body);
        for (c = 0; c < 5 && above(v, row[c]); c++)
            ;
    }
    *cls = c + 1;
    return EW_OK;
}

const char *
ew_wq_class_name(int cls)
{
    static const char *const names[] = { "", "I", "II", "III", "IV", "V", "劣V" };

    return cls >= EW_WQ_NONE && cls <= EW_WQ_WORSE_V ? names[cls] : "";
}

int
ew_wq_class_parse(const char *s, int *cls)
{
    static const struct {
        const char *text;
        int         cls;
    } forms[] = {
        { "I", 1 },   { "II", 2 },   { "III", 3 },   { "IV", 4 },   { "V", 5 },
        { "1", 1 },   { "2", 2 },    { "3", 3 },     { "4", 4 },    { "5", 5 },
        { "Ⅰ", 1 },   { "Ⅱ", 2 },    { "Ⅲ", 3 },     { "Ⅳ", 4 },    { "Ⅴ", 5 },
        { "劣V", 6 }, { "劣Ⅴ", 6 },  { "劣5", 6 },   { "worse-V", 6 }, { "VI", 6 },
    };

    if (s == NULL || cls == NULL)
        return EW_EINVAL;
    for (size_t i = 0; i < EW_ARRAY_LEN(forms); i++) {
        if (strcasecmp(s, forms[i].text) == 0) {
            *cls = forms[i].cls;
            return EW_OK;
        }
    }
    return EW_EFORMAT;
}

int
ew_wq_class_grade(int cls)
{
    /* 2011 method: I-II 优, III 良好, IV 轻度污染, V 中度污染, 劣V 重度污染. */
    static const int grades[] = { EW_WQ_GRADE_NONE, EW_WQ_EXCELLENT, EW_WQ_EXCELLENT,
                                  EW_WQ_GOOD,       EW_WQ_LIGHT,     EW_WQ_MODERATE,
                                  EW_WQ_HEAVY };

    return cls >= EW_WQ_NONE && cls <= EW_WQ_WORSE_V ? grades[cls] : EW_WQ_GRADE_NONE;
}

const char *
ew_wq_grade_label(int grade)
{
    static const char *const labels[] = { "", "优", "良好", "轻度污染", "中度污染", "重度污染" };

    return grade >= EW_WQ_GRADE_NONE && grade <= EW_WQ_HEAVY ? labels[grade] : "";
}

const char *
ew_wq_grade_colour(int grade)
{
    /* Red for 重度污染 is sourced [S]; the other colours are common practice [M]. */
    static const char *const colours[] = { "", "blue", "green", "yellow", "orange", "red" };

    return grade >= EW_WQ_GRADE_NONE && grade <= EW_WQ_HEAVY ? colours[grade] : "";
}

int
ew_wq_target_met(int cls, int target)
{
    return cls >= EW_WQ_I && cls <= EW_WQ_WORSE_V && target >= EW_WQ_I && cls <= target;
}

/*
 * Cyanide and heavy metals lead the main pollutants when they exceed III (2011 method [S]).
 * The method names cyanide, Pb and Cr "etc."; the rest of this list (Hg, Cd, As, Cu, Zn) is
 * our reading of "heavy metals" [M].
 */
static int
priority_item(int item)
{
    switch (item) {
    case EW_WQ_CN: case EW_WQ_HG: case EW_WQ_CD: case EW_WQ_CR6:
    case EW_WQ_PB: case EW_WQ_AS: case EW_WQ_CU: case EW_WQ_ZN:
        return 1;
    default:
        return 0;
    }
}

/* Orders main-pollutant candidates: priority items, worse class, larger multiple, item order.
 * Items without a multiple (pH, DO) come after those with one in the same class [M]. */
static int
cmp_pollutant(const void *pa, const void *pb)
{
    const struct ew_wq_pollutant *a = pa, *b = pb;
    int ha = !isnan(a->multiple), hb = !isnan(b->multiple);

    if (priority_item(a->item) != priority_item(b->item))
        return priority_item(b->item) - priority_item(a->item);
    if (a->cls != b->cls)
        return b->cls - a->cls;
    if (ha != hb)
        return hb - ha;
    if (ha && a->multiple != b->multiple)
        return a->multiple < b->multiple ? 1 : -1;
    return a->item - b->item;
}

static double
multiple_of(int item, int body, double v)
{
    double c3;

    /* 2011 method: no multiple for water temperature, pH and DO. */
    if (item == EW_WQ_PH || item == EW_WQ_DO)
        return NAN;
    c3 = le_row(item, body)[EW_WQ_III - 1];
    return above(v, c3) ? (v - c3) / c3 : NAN;
}

static void
pick_main(struct ew_wq_result *r)
{
    struct ew_wq_pollutant cand[EW_WQ_NITEMS];
    size_t n = 0;

    r->n_main = 0;
    if (r->cls <= EW_WQ_III)
        return;
    for (int i = 0; i < EW_WQ_NITEMS; i++)
        if (ew_wq_item_evaluated(i) && r->item_cls[i] > EW_WQ_III)
            cand[n++] = (struct ew_wq_pollutant){ i, r->item_cls[i], r->multiple[i] };
    qsort(cand, n, sizeof(cand[0]), cmp_pollutant);
    for (size_t i = 0; i < n && i < EW_WQ_MAIN_MAX; i++)
        r->main[r->n_main++] = cand[i];
}

int
ew_wq_evaluate(const struct ew_wq_sample *s, int body, struct ew_wq_result *out)
{
    struct ew_wq_result r;
    int c;

    if (s == NULL || out == NULL || (body != EW_WQ_RIVER && body != EW_WQ_LAKE))
        return EW_EINVAL;
    memset(&r, 0, sizeof(r));
    for (int i = 0; i < EW_WQ_NITEMS; i++) {
        r.multiple[i] = NAN;
        if (isnan(s->v[i]))
            continue;
        if (ew_wq_item_class(i, body, s->v[i], &c) != EW_OK)
            return EW_EINVAL;
        r.item_cls[i] = c;
        r.multiple[i] = multiple_of(i, body, s->v[i]);
        if (!ew_wq_item_evaluated(i))
            continue;
        r.n_evaluated++;
        if (c > r.cls)
            r.cls = c;      /* single-factor method: the worst item decides */
    }
    if (r.n_evaluated == 0)
        return EW_ENODATA;
    r.grade = ew_wq_class_grade(r.cls);
    pick_main(&r);
    *out = r;
    return EW_OK;
}
