/* SPDX-License-Identifier: MIT */
/*
 * src/quality/water*.c: GB 3838-2002 table 1 item by item at and just past every limit, the
 * worked examples E1-E11 of reference/standards.md §1.3, river/basin evaluation, trends, and
 * the `envwatch water` command run on CSV input.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <envwatch/err.h>
#include <envwatch/water.h>

/*
 * GB 3838-2002 table 1, transcribed again here for the test: the limits of classes I..V, the
 * class a value exactly on each limit gets (shared limits give the better class), and the
 * class of a value 1 % past each limit.
 */
static const struct {
    int    item, body;
    double lim[5];
    int    at[5], past[5];
} le_cases[] = {
    { EW_WQ_CODMN, EW_WQ_RIVER, { 2, 4, 6, 10, 15 }, { 1, 2, 3, 4, 5 }, { 2, 3, 4, 5, 6 } },
    { EW_WQ_COD, EW_WQ_RIVER, { 15, 15, 20, 30, 40 }, { 1, 1, 3, 4, 5 }, { 3, 3, 4, 5, 6 } },
    { EW_WQ_BOD5, EW_WQ_RIVER, { 3, 3, 4, 6, 10 }, { 1, 1, 3, 4, 5 }, { 3, 3, 4, 5, 6 } },
    { EW_WQ_NH3N, EW_WQ_RIVER, { 0.15, 0.5, 1.0, 1.5, 2.0 }, { 1, 2, 3, 4, 5 },
      { 2, 3, 4, 5, 6 } },
    { EW_WQ_TP, EW_WQ_RIVER, { 0.02, 0.1, 0.2, 0.3, 0.4 }, { 1, 2, 3, 4, 5 },
      { 2, 3, 4, 5, 6 } },
    { EW_WQ_TP, EW_WQ_LAKE, { 0.01, 0.025, 0.05, 0.1, 0.2 }, { 1, 2, 3, 4, 5 },
      { 2, 3, 4, 5, 6 } },
    { EW_WQ_TN, EW_WQ_LAKE, { 0.2, 0.5, 1.0, 1.5, 2.0 }, { 1, 2, 3, 4, 5 },
      { 2, 3, 4, 5, 6 } },
    { EW_WQ_CU, EW_WQ_RIVER, { 0.01, 1.0, 1.0, 1.0, 1.0 }, { 1, 2, 2, 2, 2 },
      { 2, 6, 6, 6, 6 } },
    { EW_WQ_ZN, EW_WQ_RIVER, { 0.05, 1.0, 1.0, 2.0, 2.0 }, { 1, 2, 2, 4, 4 },
      { 2, 4, 4, 6, 6 } },
    { EW_WQ_F, EW_WQ_RIVER, { 1.0, 1.0, 1.0, 1.5, 1.5 }, { 1, 1, 1, 4, 4 },
      { 4, 4, 4, 6, 6 } },
    { EW_WQ_SE, EW_WQ_RIVER, { 0.01, 0.01, 0.01, 0.02, 0.02 }, { 1, 1, 1, 4, 4 },
      { 4, 4, 4, 6, 6 } },
    { EW_WQ_AS, EW_WQ_RIVER, { 0.05, 0.05, 0.05, 0.1, 0.1 }, { 1, 1, 1, 4, 4 },
      { 4, 4, 4, 6, 6 } },
    { EW_WQ_HG, EW_WQ_RIVER, { 0.00005, 0.00005, 0.0001, 0.001, 0.001 }, { 1, 1, 3, 4, 4 },
      { 3, 3, 4, 6, 6 } },
    { EW_WQ_CD, EW_WQ_RIVER, { 0.001, 0.005, 0.005, 0.005, 0.01 }, { 1, 2, 2, 2, 5 },
      { 2, 5, 5, 5, 6 } },
    { EW_WQ_CR6, EW_WQ_RIVER, { 0.01, 0.05, 0.05, 0.05, 0.1 }, { 1, 2, 2, 2, 5 },
      { 2, 5, 5, 5, 6 } },
    { EW_WQ_PB, EW_WQ_RIVER, { 0.01, 0.01, 0.05, 0.05, 0.1 }, { 1, 1, 3, 3, 5 },
      { 3, 3, 5, 5, 6 } },
    { EW_WQ_CN, EW_WQ_RIVER, { 0.005, 0.05, 0.2, 0.2, 0.2 }, { 1, 2, 3, 3, 3 },
      { 2, 3, 6, 6, 6 } },
    { EW_WQ_PHENOL, EW_WQ_RIVER, { 0.002, 0.002, 0.005, 0.01, 0.1 }, { 1, 1, 3, 4, 5 },
      { 3, 3, 4, 5, 6 } },
    { EW_WQ_OIL, EW_WQ_RIVER, { 0.05, 0.05, 0.05, 0.5, 1.0 }, { 1, 1, 1, 4, 5 },
      { 4, 4, 4, 5, 6 } },
    { EW_WQ_LAS, EW_WQ_RIVER, { 0.2, 0.2, 0.2, 0.3, 0.3 }, { 1, 1, 1, 4, 4 },
      { 4, 4, 4, 6, 6 } },
    { EW_WQ_S2, EW_WQ_RIVER, { 0.05, 0.1, 0.2, 0.5, 1.0 }, { 1, 2, 3, 4, 5 },
      { 2, 3, 4, 5, 6 } },
    { EW_WQ_FCOLI, EW_WQ_RIVER, { 200, 2000, 10000, 20000, 40000 }, { 1, 2, 3, 4, 5 },
      { 2, 3, 4, 5, 6 } },
};

static void
every_item_follows_table_1_at_and_past_each_limit(void **state)
{
    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(le_cases); i++) {
        for (int c = 0; c < 5; c++) {
            double lim = NAN;
            int got = -1;

            assert_int_equal(EW_OK, ew_wq_item_limit(le_cases[i].item, le_cases[i].body, c + 1,
                                                     &lim));
            assert_true(lim == le_cases[i].lim[c]);
            assert_int_equal(EW_OK, ew_wq_item_class(le_cases[i].item, le_cases[i].body,
                                                     le_cases[i].lim[c], &got));
            if (got != le_cases[i].at[c])
                fail_msg("%s at %g: class %d, want %d", ew_wq_item_code(le_cases[i].item),
                         le_cases[i].lim[c], got, le_cases[i].at[c]);
            assert_int_equal(EW_OK, ew_wq_item_class(le_cases[i].item, le_cases[i].body,
                                                     le_cases[i].lim[c] * 1.01, &got));
            if (got != le_cases[i].past[c])
                fail_msg("%s past %g: class %d, want %d", ew_wq_item_code(le_cases[i].item),
                         le_cases[i].lim[c], got, le_cases[i].past[c]);
        }
    }
}

static void
do_is_not_less_than_and_ph_is_a_range(void **state)
{
    static const struct {
        int    item;
        double v;
        int    want;
    } cases[] = {
        { EW_WQ_DO, 9.0, 1 },  { EW_WQ_DO, 7.5, 1 },  { EW_WQ_DO, 7.49, 2 },
        { EW_WQ_DO, 6.0, 2 },  { EW_WQ_DO, 5.99, 3 }, { EW_WQ_DO, 5.0, 3 },
        { EW_WQ_DO, 4.99, 4 }, { EW_WQ_DO, 3.0, 4 },  { EW_WQ_DO, 2.99, 5 },
        { EW_WQ_DO, 2.0, 5 },  { EW_WQ_DO, 1.99, 6 }, { EW_WQ_DO, 0, 6 },
        { EW_WQ_PH, 6.0, 1 },  { EW_WQ_PH, 9.0, 1 },  { EW_WQ_PH, 7.2, 1 },
        { EW_WQ_PH, 5.99, 6 }, { EW_WQ_PH, 9.01, 6 }, { EW_WQ_PH, 0, 6 },
    };

    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(cases); i++) {
        int got = -1;

        assert_int_equal(EW_OK, ew_wq_item_class(cases[i].item, EW_WQ_RIVER, cases[i].v, &got));
        if (got != cases[i].want)
            fail_msg("%s %g: class %d, want %d", ew_wq_item_code(cases[i].item), cases[i].v,
                     got, cases[i].want);
    }
}

static void
bad_values_are_refused_and_out_untouched(void **state)
{
    struct ew_wq_sample s;
    struct ew_wq_result r = { .cls = 42 };
    int got = 42;

    (void)state;
    assert_int_equal(EW_EINVAL, ew_wq_item_class(EW_WQ_COD, EW_WQ_RIVER, -0.1, &got));
    assert_int_equal(EW_EINVAL, ew_wq_item_class(EW_WQ_COD, EW_WQ_RIVER, NAN, &got));
    assert_int_equal(EW_EINVAL, ew_wq_item_class(EW_WQ_COD, EW_WQ_RIVER, INFINITY, &got));
    assert_int_equal(EW_EINVAL, ew_wq_item_class(EW_WQ_PH, EW_WQ_RIVER, 14.5, &got));
    assert_int_equal(EW_EINVAL, ew_wq_item_class(EW_WQ_NITEMS, EW_WQ_RIVER, 1, &got));
    assert_int_equal(EW_EINVAL, ew_wq_item_class(EW_WQ_COD, 7, 1, &got));
    assert_int_equal(42, got);
    ew_wq_sample_init(&s);
    assert_int_equal(EW_ENODATA, ew_wq_evaluate(&s, EW_WQ_RIVER, &r));
    s.v[EW_WQ_TN] = 1.0;                        /* reference items alone: nothing evaluable */
    s.v[EW_WQ_FCOLI] = 100;
    assert_int_equal(EW_ENODATA, ew_wq_evaluate(&s, EW_WQ_RIVER, &r));
    s.v[EW_WQ_COD] = -5;
    assert_int_equal(EW_EINVAL, ew_wq_evaluate(&s, EW_WQ_RIVER, &r));
    assert_int_equal(42, r.cls);
}

/* One worked example: the items that matter, the result the reference computed. */
struct example {
    const char *name;
    int         body;
    struct {
        int    item;
        double v;
    } in[6];
    int         want_cls;
    const char *want_label;
    struct {
        int    item;
        double multiple;                        /* NAN: none shown */
    } main[3];
    size_t      n_main;
};

static const struct example examples[] = {
    { "E1", EW_WQ_RIVER,
      { { EW_WQ_DO, 8.2 }, { EW_WQ_CODMN, 1.8 }, { EW_WQ_NH3N, 0.12 }, { EW_WQ_TP, 0.015 },
        { EW_WQ_COD, 12 }, { -1, 0 } },
      EW_WQ_I, "优", { { 0, 0 } }, 0 },
    { "E2", EW_WQ_RIVER,
      { { EW_WQ_NH3N, 1.2 }, { EW_WQ_COD, 18 }, { EW_WQ_TP, 0.18 }, { EW_WQ_CODMN, 4.5 },
        { EW_WQ_DO, 6.5 }, { -1, 0 } },
      EW_WQ_IV, "轻度污染", { { EW_WQ_NH3N, 0.2 } }, 1 },
    { "E3", EW_WQ_RIVER,
      { { EW_WQ_NH3N, 3.5 }, { EW_WQ_BOD5, 12 }, { EW_WQ_TP, 0.50 }, { EW_WQ_COD, 45 },
        { EW_WQ_CODMN, 11 }, { EW_WQ_DO, 1.5 } },
      EW_WQ_WORSE_V, "重度污染",
      { { EW_WQ_NH3N, 2.5 }, { EW_WQ_BOD5, 2.0 }, { EW_WQ_TP, 1.5 } }, 3 },
    { "E4", EW_WQ_RIVER, { { EW_WQ_PH, 9.3 }, { -1, 0 } },
      EW_WQ_WORSE_V, "重度污染", { { EW_WQ_PH, NAN } }, 1 },
    { "E5", EW_WQ_RIVER,
      { { EW_WQ_TN, 2.5 }, { EW_WQ_FCOLI, 30000 }, { EW_WQ_COD, 10 }, { -1, 0 } },
      EW_WQ_I, "优", { { 0, 0 } }, 0 },
    { "E6a", EW_WQ_RIVER, { { EW_WQ_TP, 0.06 }, { -1, 0 } }, EW_WQ_II, "优", { { 0, 0 } }, 0 },
    { "E6b", EW_WQ_LAKE, { { EW_WQ_TP, 0.06 }, { -1, 0 } },
      EW_WQ_IV, "轻度污染", { { EW_WQ_TP, 0.2 } }, 1 },
    { "E7", EW_WQ_RIVER,
      { { EW_WQ_HG, 0.0002 }, { EW_WQ_COD, 32 }, { EW_WQ_CODMN, 5.0 }, { -1, 0 } },
      EW_WQ_V, "中度污染", { { EW_WQ_HG, 1.0 }, { EW_WQ_COD, 0.6 } }, 2 },
    { "E8", EW_WQ_RIVER,
      { { EW_WQ_DO, 5.0 }, { EW_WQ_CODMN, 6.0 }, { EW_WQ_NH3N, 1.0 }, { -1, 0 } },
      EW_WQ_III, "良好", { { 0, 0 } }, 0 },
};

static void
check_example(const struct example *ex)
{
    struct ew_wq_sample s;
    struct ew_wq_result r;

    ew_wq_sample_init(&s);
    for (size_t i = 0; i < 6 && ex->in[i].item >= 0; i++)
        s.v[ex->in[i].item] = ex->in[i].v;
    if (ew_wq_evaluate(&s, ex->body, &r) != EW_OK)
        fail_msg("%s: not evaluated", ex->name);
    if (r.cls != ex->want_cls || strcmp(ew_wq_grade_label(r.grade), ex->want_label) != 0)
        fail_msg("%s: class %s %s, want %s %s", ex->name, ew_wq_class_name(r.cls),
                 ew_wq_grade_label(r.grade), ew_wq_class_name(ex->want_cls), ex->want_label);
    if (r.n_main != ex->n_main)
        fail_msg("%s: %zu main pollutants, want %zu", ex->name, r.n_main, ex->n_main);
    for (size_t i = 0; i < r.n_main; i++) {
        if (r.main[i].item != ex->main[i].item)
            fail_msg("%s: main %zu is %s, want %s", ex->name, i,
                     ew_wq_item_code(r.main[i].item), ew_wq_item_code(ex->main[i].item));
        if (isnan(ex->main[i].multiple))
            assert_true(isnan(r.main[i].multiple));
        else
            assert_float_equal(ex->main[i].multiple, r.main[i].multiple, 0.005);
    }
}

static void
worked_examples_e1_to_e8(void **state)
{
    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(examples); i++)
        check_example(&examples[i]);
}

static void
e3_multiples_of_every_item(void **state)
{
    struct ew_wq_sample s;
    struct ew_wq_result r;

    (void)state;
    ew_wq_sample_init(&s);
    s.v[EW_WQ_NH3N] = 3.5;
    s.v[EW_WQ_BOD5] = 12;
    s.v[EW_WQ_TP] = 0.50;
    s.v[EW_WQ_COD] = 45;
    s.v[EW_WQ_CODMN] = 11;
    s.v[EW_WQ_DO] = 1.5;
    assert_int_equal(EW_OK, ew_wq_evaluate(&s, EW_WQ_RIVER, &r));
    assert_float_equal(2.5, r.multiple[EW_WQ_NH3N], 1e-9);
    assert_float_equal(2.0, r.multiple[EW_WQ_BOD5], 1e-9);
    assert_float_equal(1.5, r.multiple[EW_WQ_TP], 1e-9);
    assert_float_equal(1.25, r.multiple[EW_WQ_COD], 1e-9);
    assert_float_equal(5.0 / 6.0, r.multiple[EW_WQ_CODMN], 1e-9);
    assert_true(isnan(r.multiple[EW_WQ_DO]));   /* DO, pH: no multiple */
    assert_int_equal(EW_WQ_WORSE_V, r.item_cls[EW_WQ_DO]);
    assert_int_equal(6, (int)r.n_evaluated);
}

static void
section_of(struct ew_wq_sample *s, double cod, double tp, double nh3n)
{
    ew_wq_sample_init(s);
    s->v[EW_WQ_COD] = cod;
    s->v[EW_WQ_TP] = tp;
    s->v[EW_WQ_NH3N] = nh3n;
}

static void
e9_river_below_five_sections_uses_means(void **state)
{
    struct ew_wq_sample sec[3];
    struct ew_wq_river r;
    struct ew_wq_result alone;

    (void)state;
    section_of(&sec[0], 16, 0.12, 0.6);
    section_of(&sec[1], 22, 0.25, 1.6);
    section_of(&sec[2], 19, 0.16, 0.8);
    assert_int_equal(EW_OK, ew_wq_evaluate(&sec[1], EW_WQ_RIVER, &alone));
    /* The reference calls section 2 alone IV, but its NH3-N 1.6 is past the IV limit 1.5:
     * table 1 makes it V. The river result (III) is unaffected. */
    assert_int_equal(EW_WQ_V, alone.cls);
    assert_int_equal(EW_OK, ew_wq_river_evaluate(sec, 3, EW_WQ_RIVER, &r));
    assert_int_equal(EW_WQ_BY_MEAN, r.method);
    assert_int_equal(EW_WQ_III, r.cls);         /* NH3-N mean 1.0 is on the III limit */
    assert_string_equal("良好", ew_wq_grade_label(r.grade));
    assert_int_equal(0, (int)r.n_main);
    assert_int_equal(3, (int)r.n_sections);
    assert_float_equal(100.0 * 2 / 3, r.good_pct, 1e-9);
}

/* A section sample whose class is cls, decided by NH3-N alone. */
static void
section_in_class(struct ew_wq_sample *s, int cls)
{
    static const double nh3n[] = { 0, 0.1, 0.4, 0.9, 1.4, 1.8, 3.0 };

    ew_wq_sample_init(s);
    s->v[EW_WQ_NH3N] = nh3n[cls];
}

static void
river_of(const int *classes, size_t n, struct ew_wq_river *r)
{
    struct ew_wq_sample sec[16];

    for (size_t i = 0; i < n; i++)
        section_in_class(&sec[i], classes[i]);
    assert_int_equal(EW_OK, ew_wq_river_evaluate(sec, n, EW_WQ_RIVER, r));
}

static void
e10_basin_share_method_and_trend(void **state)
{
    static const int now[10] = { 2, 2, 3, 3, 3, 3, 4, 6, 6, 6 };
    static const int prev[10] = { 2, 3, 3, 4, 4, 5, 5, 6, 6, 6 };
    struct ew_wq_river a, b;

    (void)state;
    river_of(now, 10, &a);
    river_of(prev, 10, &b);
    assert_int_equal(EW_WQ_BY_SHARE, a.method);
    assert_float_equal(60.0, a.good_pct, 1e-9);
    assert_float_equal(30.0, a.worse_v_pct, 1e-9);
    assert_string_equal("中度污染", ew_wq_grade_label(a.grade));
    assert_float_equal(30.0, b.good_pct, 1e-9);
    assert_string_equal("中度污染", ew_wq_grade_label(b.grade));
    assert_int_equal(EW_WQ_MUCH_BETTER,
                     ew_wq_trend_shares(a.good_pct, a.worse_v_pct, b.good_pct, b.worse_v_pct));
    assert_string_equal("明显好转", ew_wq_trend_label(EW_WQ_MUCH_BETTER));
    /* The river's main pollutant: NH3-N worse than III in 4 of 10 sections. */
    assert_int_equal(1, (int)a.n_main);
    assert_int_equal(EW_WQ_NH3N, a.main[0].item);
    assert_float_equal(40.0, a.main[0].rate_pct, 1e-9);
}

static void
share_grade_thresholds(void **state)
{
    static const struct {
        int         classes[12];
        size_t      n;
        const char *want;
    } cases[] = {
        { { 1, 1, 2, 2, 2, 3, 3, 3, 3, 3, 4, 5 }, 12, "良好" },       /* E10b: 83.3 % */
        { { 1, 1, 1, 1, 1, 1, 1, 1, 1, 4 }, 10, "优" },               /* exactly 90 % */
        { { 1, 1, 1, 4, 5 }, 5, "轻度污染" },                         /* 5: share method */
        { { 1, 1, 1, 6, 6 }, 5, "重度污染" },                         /* 劣V 40 % */
        { { 1, 1, 1, 1, 1, 1, 4, 4, 4, 6 }, 10, "轻度污染" },          /* 劣V 10 % */
        { { 1, 1, 1, 1, 1, 1, 1, 1, 4, 4 }, 10, "良好" },             /* exactly 80 % */
        { { 1, 1, 1, 1, 1, 4, 4, 6, 6, 6, 6, 5 }, 12, "中度污染" },   /* 劣V 4/12 = 33 % */
    };

    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(cases); i++) {
        struct ew_wq_river r;

        river_of(cases[i].classes, cases[i].n, &r);
        assert_int_equal(EW_WQ_BY_SHARE, r.method);
        if (strcmp(cases[i].want, ew_wq_grade_label(r.grade)) != 0)
            fail_msg("case %zu: %s, want %s", i, ew_wq_grade_label(r.grade), cases[i].want);
    }
}

static void
four_sections_use_the_mean_method(void **state)
{
    static const int classes[4] = { 1, 1, 6, 6 };
    struct ew_wq_river r;

    (void)state;
    river_of(classes, 4, &r);
    assert_int_equal(EW_WQ_BY_MEAN, r.method);
    /* NH3-N mean (0.1 + 0.1 + 3 + 3) / 4 = 1.55: class V. */
    assert_int_equal(EW_WQ_V, r.cls);
    assert_float_equal(50.0, r.good_pct, 1e-9);
}

static void
section_trend_and_targets(void **state)
{
    int cls = 0;

    (void)state;
    assert_int_equal(EW_WQ_STABLE, ew_wq_trend_class(3, 3));
    assert_int_equal(EW_WQ_BETTER, ew_wq_trend_class(3, 4));
    assert_int_equal(EW_WQ_MUCH_WORSE, ew_wq_trend_class(6, 4));
    assert_int_equal(EW_WQ_STABLE, ew_wq_trend_shares(70, 10, 65, 10));
    assert_int_equal(EW_WQ_WORSE, ew_wq_trend_shares(60, 20, 70, 15));
    assert_int_equal(1, ew_wq_target_met(EW_WQ_III, EW_WQ_III));
    assert_int_equal(0, ew_wq_target_met(EW_WQ_IV, EW_WQ_III));
    assert_int_equal(1, ew_wq_target_met(EW_WQ_II, EW_WQ_IV));
    assert_int_equal(EW_OK, ew_wq_class_parse("Ⅲ", &cls));
    assert_int_equal(3, cls);
    assert_int_equal(EW_OK, ew_wq_class_parse("劣V", &cls));
    assert_int_equal(6, cls);
    assert_int_equal(EW_OK, ew_wq_class_parse("iv", &cls));
    assert_int_equal(4, cls);
    assert_int_equal(EW_EFORMAT, ew_wq_class_parse("VII", &cls));
    assert_string_equal("劣V", ew_wq_class_name(6));
    assert_string_equal("red", ew_wq_grade_colour(ew_wq_class_grade(6)));
}

static void
period_mean_needs_min_samples(void **state)
{
    struct ew_wq_sample s[3], m;

    (void)state;
    section_of(&s[0], 10, 0.1, NAN);
    section_of(&s[1], 20, NAN, 0.5);
    section_of(&s[2], 30, 0.3, NAN);
    assert_int_equal(EW_ENODATA, ew_wq_mean(s, 3, 8, &m));
    assert_int_equal(EW_OK, ew_wq_mean(s, 3, 3, &m));
    assert_float_equal(20, m.v[EW_WQ_COD], 1e-12);
    assert_float_equal(0.2, m.v[EW_WQ_TP], 1e-12);
    assert_float_equal(0.5, m.v[EW_WQ_NH3N], 1e-12);
    assert_true(isnan(m.v[EW_WQ_DO]));
}

static void
e11_trophic_level_index(void **state)
{
    double tli = 0;

    (void)state;
    assert_int_equal(EW_OK, ew_wq_tli(12, 0.06, 1.1, 0.9, 4.5, &tli));
    assert_float_equal(50.3, tli, 0.05);
    assert_string_equal("轻度富营养", ew_wq_tli_label(tli));
    assert_int_equal(EW_EINVAL, ew_wq_tli(0, 0.06, 1.1, 0.9, 4.5, &tli));
    assert_string_equal("贫营养", ew_wq_tli_label(29.9));
    assert_string_equal("重度富营养", ew_wq_tli_label(70.1));
}

/* ---- the CLI ---- */

static char *
run_cli(const char *args, const char *input, int *status)
{
    char path[] = "/tmp/ew_water_test_XXXXXX", cmd[1024];
    static char out[16384];
    const char *bin = getenv("EW_BIN");
    FILE *f, *p;
    size_t n;
    int fd;

    assert_non_null(bin);
    fd = mkstemp(path);
    assert_true(fd >= 0);
    f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(input, f);
    fclose(f);
    snprintf(cmd, sizeof(cmd), "'%s' water %s %s 2>&1", bin, args, path);
    p = popen(cmd, "r");
    assert_non_null(p);
    n = fread(out, 1, sizeof(out) - 1, p);
    out[n] = '\0';
    *status = pclose(p);
    unlink(path);
    return out;
}

static void
cli_adds_class_main_pollutants_and_label(void **state)
{
    int st;
    const char *out;

    (void)state;
    out = run_cli("", "section,nh3n,bod5,tp,cod,codmn,do\n"
                      "E3,3.5,12,0.50,45,11,1.5\n"
                      "E2,1.2,,0.18,18,4.5,6.5\n"
                      "empty,,,,,,\n", &st);
    assert_int_equal(0, st);
    assert_string_equal("section,nh3n,bod5,tp,cod,codmn,do,class,main_pollutants,label\n"
                        "E3,3.5,12,0.50,45,11,1.5,劣V,nh3n(2.5);bod5(2);tp(1.5),重度污染\n"
                        "E2,1.2,,0.18,18,4.5,6.5,IV,nh3n(0.2),轻度污染\n"
                        "empty,,,,,,,,,\n", out);
}

static void
cli_lake_body_json_and_errors(void **state)
{
    int st;
    const char *out;

    (void)state;
    out = run_cli("--body lake --format json", "name,tp\nR1,0.06\n", &st);
    assert_int_equal(0, st);
    assert_non_null(strstr(out, "\"class\":\"IV\""));
    assert_non_null(strstr(out, "\"main_pollutants\":[{\"item\":\"tp\",\"multiple\":0.2}]"));
    assert_non_null(strstr(out, "\"name\":\"R1\""));
    out = run_cli("", "cod\nabc\n", &st);
    assert_int_not_equal(0, st);
    assert_non_null(strstr(out, "line 2"));
    out = run_cli("--body sea", "cod\n1\n", &st);
    assert_int_equal(2, WEXITSTATUS(st));
}

static void
cli_summary_by_section_and_river(void **state)
{
    int st;
    const char *out;

    (void)state;
    out = run_cli("--by section", "section,river,target,cod,tp,nh3n\n"
                                  "S1,Tao,III,16,0.12,0.6\n"
                                  "S2,Tao,III,22,0.25,1.6\n"
                                  "S3,Tao,II,19,0.16,0.8\n", &st);
    assert_int_equal(0, st);
    assert_non_null(strstr(out, "S2,Tao,1,V,中度污染,nh3n(0.6);tp(0.25);cod(0.1),III,no"));
    assert_non_null(strstr(out, "S3,Tao,1,III,良好,,II,no"));
    out = run_cli("--by river", "section,river,cod,tp,nh3n\n"
                                "S1,Tao,16,0.12,0.6\n"
                                "S2,Tao,22,0.25,1.6\n"
                                "S3,Tao,19,0.16,0.8\n", &st);
    assert_int_equal(0, st);
    assert_non_null(strstr(out, "Tao,3,mean,III,良好,66.7,"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_item_follows_table_1_at_and_past_each_limit),
        cmocka_unit_test(do_is_not_less_than_and_ph_is_a_range),
        cmocka_unit_test(bad_values_are_refused_and_out_untouched),
        cmocka_unit_test(worked_examples_e1_to_e8),
        cmocka_unit_test(e3_multiples_of_every_item),
        cmocka_unit_test(e9_river_below_five_sections_uses_means),
        cmocka_unit_test(e10_basin_share_method_and_trend),
        cmocka_unit_test(share_grade_thresholds),
        cmocka_unit_test(four_sections_use_the_mean_method),
        cmocka_unit_test(section_trend_and_targets),
        cmocka_unit_test(period_mean_needs_min_samples),
        cmocka_unit_test(e11_trophic_level_index),
        cmocka_unit_test(cli_adds_class_main_pollutants_and_label),
        cmocka_unit_test(cli_lake_body_json_and_errors),
        cmocka_unit_test(cli_summary_by_section_and_river),
    };
    return cmocka_run_group_tests_name("quality/water", tests, NULL, NULL);
}
