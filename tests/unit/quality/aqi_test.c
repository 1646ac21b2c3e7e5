/* SPDX-License-Identifier: MIT */
/*
 * src/quality/aqi.c and airclass.c: HJ 633-2012 table 1 breakpoint by breakpoint, rounding
 * at and just above breakpoints, the special rules (SO2 1-h and O3 8-h above 800), missing
 * values, ties, levels, and every row of ../shared/data/aqi-vectors.csv (read via EW_SHARED).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <envwatch/air.h>
#include <envwatch/err.h>

#include "util/csv.h"

/* HJ 633-2012 table 1, typed in again here so the test does not read the code's own table.
 * 0 past the end of a column the standard leaves blank. */
static const struct {
    int    table;
    const char *name;
    int    n;
    double bp[8];
    double step;        /* a concentration step small enough to move the IAQI by < 1 */
} table1[] = {
    { EW_AQI_SO2_24H, "SO2 24h", 8, { 0, 50, 150, 475, 800, 1600, 2100, 2620 }, 0.1 },
    { EW_AQI_SO2_1H, "SO2 1h", 5, { 0, 150, 500, 650, 800 }, 0.1 },
    { EW_AQI_NO2_24H, "NO2 24h", 8, { 0, 40, 80, 180, 280, 565, 750, 940 }, 0.1 },
    { EW_AQI_NO2_1H, "NO2 1h", 8, { 0, 100, 200, 700, 1200, 2340, 3090, 3840 }, 0.1 },
    { EW_AQI_PM10_24H, "PM10 24h", 8, { 0, 50, 150, 250, 350, 420, 500, 600 }, 0.1 },
    { EW_AQI_CO_24H, "CO 24h", 8, { 0, 2, 4, 14, 24, 36, 48, 60 }, 0.01 },
    { EW_AQI_CO_1H, "CO 1h", 8, { 0, 5, 10, 35, 60, 90, 120, 150 }, 0.01 },
    { EW_AQI_O3_1H, "O3 1h", 8, { 0, 160, 200, 300, 400, 800, 1000, 1200 }, 0.1 },
    { EW_AQI_O3_8H, "O3 8h", 6, { 0, 100, 160, 215, 265, 800 }, 0.1 },
    { EW_AQI_PM25_24H, "PM2.5 24h", 8, { 0, 35, 75, 115, 150, 250, 350, 500 }, 0.1 },
};
static const int iaqi_row[8] = { 0, 50, 100, 150, 200, 300, 400, 500 };

static int
iaqi_of(int table, double c)
{
    int got = -7;
    int rc = ew_aqi_iaqi(table, c, &got);
    if (rc != EW_OK)
        return rc * 1000;       /* distinguishable from any IAQI */
    return got;
}

static void
every_breakpoint_gives_its_index(void **state)
{
    (void)state;
    for (size_t t = 0; t < EW_ARRAY_LEN(table1); t++) {
        for (int r = 0; r < table1[t].n; r++) {
            int got = iaqi_of(table1[t].table, table1[t].bp[r]);
            if (got != iaqi_row[r])
                fail_msg("%s at %g: want %d, got %d", table1[t].name, table1[t].bp[r],
                         iaqi_row[r], got);
        }
    }
}

static void
just_above_a_breakpoint_rounds_up(void **state)
{
    (void)state;
    for (size_t t = 0; t < EW_ARRAY_LEN(table1); t++) {
        for (int r = 0; r < table1[t].n - 1; r++) {
            double c = table1[t].bp[r] + table1[t].step;
            int got = iaqi_of(table1[t].table, c);
            if (got != iaqi_row[r] + 1)
                fail_msg("%s at %g: want %d, got %d", table1[t].name, c, iaqi_row[r] + 1, got);
        }
    }
}

static void
just_below_a_breakpoint_stays_at_its_index(void **state)
{
    (void)state;
    for (size_t t = 0; t < EW_ARRAY_LEN(table1); t++) {
        for (int r = 1; r < table1[t].n; r++) {
            double c = table1[t].bp[r] - table1[t].step;
            int got = iaqi_of(table1[t].table, c);
            if (got != iaqi_row[r])
                fail_msg("%s at %g: want %d, got %d", table1[t].name, c, iaqi_row[r], got);
        }
    }
}

static void
midpoints_interpolate_linearly(void **state)
{
    (void)state;
    for (size_t t = 0; t < EW_ARRAY_LEN(table1); t++) {
        for (int r = 1; r < table1[t].n; r++) {
            double c = (table1[t].bp[r - 1] + table1[t].bp[r]) / 2;
            int want = (iaqi_row[r - 1] + iaqi_row[r]) / 2, got = iaqi_of(table1[t].table, c);
            if (got != want)
                fail_msg("%s at %g: want %d, got %d", table1[t].name, c, want, got);
        }
    }
}

static void
above_the_table(void **state)
{
    (void)state;
    for (size_t t = 0; t < EW_ARRAY_LEN(table1); t++) {
        double c = table1[t].bp[table1[t].n - 1] + table1[t].step;
        /* Columns cut short by notes 2 and 3 give no sub-index; full columns cap at 500. */
        int want = table1[t].n < 8 ? EW_ENODATA * 1000 : 500;
        int got = iaqi_of(table1[t].table, c);
        if (got != want)
            fail_msg("%s at %g: want %d, got %d", table1[t].name, c, want, got);
    }
    assert_int_equal(500, iaqi_of(EW_AQI_PM10_24H, 1500));
}

/* The breakpoint accessor agrees with the standard's table typed in above. */
static void
breakpoint_accessor_matches_table1(void **state)
{
    (void)state;
    for (size_t t = 0; t < EW_ARRAY_LEN(table1); t++) {
        for (int r = 0; r < 8; r++) {
            double c = -1;
            int i = -1, rc = ew_aqi_breakpoint(table1[t].table, r, &c, &i);
            if (r < table1[t].n) {
                assert_int_equal(EW_OK, rc);
                assert_true(c == table1[t].bp[r]);
                assert_int_equal(iaqi_row[r], i);
            } else {
                assert_int_equal(EW_ENOTFOUND, rc);
            }
        }
    }
    assert_int_equal(EW_EINVAL, ew_aqi_breakpoint(EW_AQI_NTABLES, 0, &(double){ 0 }, &(int){ 0 }));
}

/* Rounding up, with hand-computed cases from reference/air.md §1.2 and float-noise traps. */
static const struct {
    int    table;
    double conc;
    int    want;
} rounding[] = {
    { EW_AQI_PM25_24H, 36, 52 },        /* 51.25 -> 52, not 51 */
    { EW_AQI_PM10_24H, 68, 59 },        /* 58.0 + 1 => 59 (published) */
    { EW_AQI_PM25_24H, 35.1, 51 },      /* 50.125 -> 51 */
    { EW_AQI_CO_24H, 4.1, 101 },        /* 100.4999999... in binary -> 101 */
    { EW_AQI_CO_24H, 0.3, 8 },          /* 7.5 -> 8 */
    { EW_AQI_CO_1H, 0.8, 8 },           /* exactly 8 despite 0.8 not being exact */
    { EW_AQI_CO_1H, 1.2, 12 },
    { EW_AQI_CO_1H, 10.1, 101 },        /* 100.2 */
    { EW_AQI_NO2_1H, 82, 41 },
    { EW_AQI_O3_8H, 161, 101 },         /* 100.909 */
    { EW_AQI_O3_1H, 242, 121 },
    { EW_AQI_SO2_24H, 185, 106 },       /* 105.38 */
    { EW_AQI_PM25_24H, 0.0001, 1 },     /* any excess over a breakpoint rounds up */
    { EW_AQI_PM25_24H, 0, 0 },
};

static void
iaqi_rounds_up(void **state)
{
    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(rounding); i++) {
        int got = iaqi_of(rounding[i].table, rounding[i].conc);
        if (got != rounding[i].want)
            fail_msg("table %d at %g: want %d, got %d", rounding[i].table, rounding[i].conc,
                     rounding[i].want, got);
    }
}

static void
bad_concentrations_are_refused_and_out_untouched(void **state)
{
    int got = 7;

    (void)state;
    assert_int_equal(EW_EINVAL, ew_aqi_iaqi(EW_AQI_PM25_24H, -0.1, &got));
    assert_int_equal(EW_EINVAL, ew_aqi_iaqi(EW_AQI_PM25_24H, NAN, &got));
    assert_int_equal(EW_EINVAL, ew_aqi_iaqi(EW_AQI_PM25_24H, INFINITY, &got));
    assert_int_equal(EW_EINVAL, ew_aqi_iaqi(-1, 10, &got));
    assert_int_equal(EW_EINVAL, ew_aqi_iaqi(EW_AQI_NTABLES, 10, &got));
    assert_int_equal(EW_ENODATA, ew_aqi_iaqi(EW_AQI_SO2_1H, 801, &got));
    assert_int_equal(7, got);
}

static struct ew_air_hour
hour_of(double so2, double no2, double co, double o3, double pm10, double pm25)
{
    return (struct ew_air_hour){ so2, no2, co, o3, pm10, pm25 };
}

static void
so2_above_800_in_the_hourly_aqi(void **state)
{
    struct ew_air_hour h = hour_of(915, 44, 2.3, 58, NAN, NAN);
    struct ew_aqi_hour_opts hj633 = { EW_AQI_SO2_FROM_24H, 185, NAN };
    struct ew_aqi_hour_opts no24 = { EW_AQI_SO2_FROM_24H, NAN, NAN };
    struct ew_aqi_result r;

    (void)state;
    /* Platform: sub-index 200 whatever the value (reference/air.md §2.2). */
    assert_int_equal(EW_OK, ew_aqi_hour(&h, &r));
    assert_int_equal(200, r.iaqi[EW_AIR_SO2]);
    assert_int_equal(200, r.aqi);
    h.so2_ugm3 = 800;
    assert_int_equal(EW_OK, ew_aqi_hour(&h, &r));
    assert_int_equal(200, r.iaqi[EW_AIR_SO2]);
    h.so2_ugm3 = 2500;
    assert_int_equal(EW_OK, ew_aqi_hour(&h, &r));
    assert_int_equal(200, r.iaqi[EW_AIR_SO2]);
    /* HJ 633 note 2: the 24-hour value instead; without it SO2 is left out. */
    h.so2_ugm3 = 915;
    assert_int_equal(EW_OK, ew_aqi_hour_ex(&h, &hj633, &r));
    assert_int_equal(106, r.iaqi[EW_AIR_SO2]);
    assert_int_equal(EW_OK, ew_aqi_hour_ex(&h, &no24, &r));
    assert_int_equal(-1, r.iaqi[EW_AIR_SO2]);
    assert_int_equal(23, r.aqi);    /* O3 58 -> 18.1 -> 19; CO 2.3 -> 23; NO2 44 -> 22 */
    /* Below 800 the 1-hour column is used under both rules. */
    h.so2_ugm3 = 650;
    assert_int_equal(EW_OK, ew_aqi_hour_ex(&h, &hj633, &r));
    assert_int_equal(150, r.iaqi[EW_AIR_SO2]);
}

static void
o3_8h_above_800_falls_back_to_o3_1h_in_the_daily_aqi(void **state)
{
    struct ew_air_day d;
    struct ew_aqi_result r;

    (void)state;
    ew_air_day_clear(&d);
    d.o3_8h_ugm3 = 801;
    d.o3_1h_ugm3 = 1000;
    assert_int_equal(EW_OK, ew_aqi_day(&d, &r));
    assert_int_equal(-1, r.iaqi[EW_AIR_O3_8H]);
    assert_int_equal(400, r.iaqi[EW_AIR_O3_1H]);
    assert_int_equal(400, r.aqi);
    assert_int_equal(1u << EW_AIR_O3_1H, r.primary);
    /* With no 1-hour value nothing is left. */
    d.o3_1h_ugm3 = NAN;
    assert_int_equal(EW_ENODATA, ew_aqi_day(&d, &r));
    d.o3_8h_ugm3 = 800;
    assert_int_equal(EW_OK, ew_aqi_day(&d, &r));
    assert_int_equal(300, r.aqi);
}

static void
hourly_aqi_uses_1h_tables_and_pm_24h_tables(void **state)
{
    struct ew_aqi_result r;
    struct ew_air_hour h = hour_of(NAN, 100, NAN, NAN, NAN, NAN);

    (void)state;
    assert_int_equal(EW_OK, ew_aqi_hour(&h, &r));
    assert_int_equal(50, r.iaqi[EW_AIR_NO2]);   /* the 24-hour column would give 110 */
    h = hour_of(NAN, NAN, 4, NAN, NAN, NAN);
    assert_int_equal(EW_OK, ew_aqi_hour(&h, &r));
    assert_int_equal(40, r.iaqi[EW_AIR_CO]);    /* the 24-hour column would give 100 */
    h = hour_of(NAN, NAN, NAN, NAN, NAN, 75);
    assert_int_equal(EW_OK, ew_aqi_hour(&h, &r));
    assert_int_equal(100, r.iaqi[EW_AIR_PM25]);
    assert_int_equal(-1, r.iaqi[EW_AIR_O3_8H]);
}

static void
missing_values_are_left_out_and_all_missing_is_no_data(void **state)
{
    struct ew_aqi_result r, keep = { .aqi = 77 };
    struct ew_air_hour h;
    struct ew_air_day d;

    (void)state;
    ew_air_hour_clear(&h);
    r = keep;
    assert_int_equal(EW_ENODATA, ew_aqi_hour(&h, &r));
    assert_int_equal(77, r.aqi);
    ew_air_day_clear(&d);
    assert_int_equal(EW_ENODATA, ew_aqi_day(&d, &r));
    assert_int_equal(77, r.aqi);
    h.pm10_ugm3 = 0;    /* zero is a value, not a missing one */
    assert_int_equal(EW_OK, ew_aqi_hour(&h, &r));
    assert_int_equal(0, r.aqi);
    assert_int_equal(1, r.level);
    assert_int_equal(0u, r.primary);
    h.no2_ugm3 = -3;
    r = keep;
    assert_int_equal(EW_EINVAL, ew_aqi_hour(&h, &r));
    assert_int_equal(77, r.aqi);
    d.pm25_ugm3 = INFINITY;
    assert_int_equal(EW_EINVAL, ew_aqi_day(&d, &r));
    assert_int_equal(EW_EINVAL, ew_aqi_hour(NULL, &r));
}

static void
ties_list_every_primary_pollutant(void **state)
{
    struct ew_aqi_result r;
    struct ew_air_hour h = hour_of(NAN, 200, NAN, NAN, 150, 75);   /* all three at 100 */
    struct ew_air_day d;

    (void)state;
    assert_int_equal(EW_OK, ew_aqi_hour(&h, &r));
    assert_int_equal(100, r.aqi);
    assert_int_equal((1u << EW_AIR_NO2) | (1u << EW_AIR_PM10) | (1u << EW_AIR_PM25), r.primary);
    assert_int_equal(0u, r.exceeding);     /* 100 is not exceeding */
    /* Exactly 50 everywhere: AQI 50 and no primary pollutant. */
    h = hour_of(150, 100, 5, 160, 50, 35);
    assert_int_equal(EW_OK, ew_aqi_hour(&h, &r));
    assert_int_equal(50, r.aqi);
    assert_int_equal(0u, r.primary);
    /* Daily: O3 1-hour and 8-hour tie at 101. */
    ew_air_day_clear(&d);
    d.o3_1h_ugm3 = 201;
    d.o3_8h_ugm3 = 161;
    assert_int_equal(EW_OK, ew_aqi_day(&d, &r));
    assert_int_equal((1u << EW_AIR_O3_1H) | (1u << EW_AIR_O3_8H), r.primary);
    assert_int_equal(r.primary, r.exceeding);
}

static const struct {
    int aqi, level;
    const char *category;
} levels[] = {
    { 0, 1, "优" },       { 50, 1, "优" },         { 51, 2, "良" },
    { 100, 2, "良" },     { 101, 3, "轻度污染" },  { 150, 3, "轻度污染" },
    { 151, 4, "中度污染" }, { 200, 4, "中度污染" }, { 201, 5, "重度污染" },
    { 300, 5, "重度污染" }, { 301, 6, "严重污染" }, { 500, 6, "严重污染" },
    { 900, 6, "严重污染" },
};

static void
levels_have_inclusive_upper_bounds(void **state)
{
    const struct ew_aqi_class *c;

    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(levels); i++) {
        c = ew_aqi_class_of(levels[i].aqi);
        assert_non_null(c);
        assert_int_equal(levels[i].level, c->level);
        assert_string_equal(levels[i].category, c->category_zh);
    }
    assert_null(ew_aqi_class_of(-1));
    c = ew_aqi_class_of(250);
    assert_int_equal(153, c->rgb[0]);
    assert_int_equal(0, c->rgb[1]);
    assert_int_equal(76, c->rgb[2]);
    assert_string_equal("purple", c->colour_en);
    c = ew_aqi_class_of(10);
    assert_int_equal(228, c->rgb[1]);
}

static void
item_names(void **state)
{
    (void)state;
    assert_string_equal("PM2.5", ew_air_item_token(EW_AIR_PM25));
    assert_string_equal("O3", ew_air_item_token(EW_AIR_O3_1H));
    assert_string_equal("O3_8h", ew_air_item_token(EW_AIR_O3_8H));
    assert_string_equal("臭氧1小时", ew_air_item_label_zh(EW_AIR_O3_1H));
    assert_null(ew_air_item_token(EW_AIR_NITEMS));
    assert_null(ew_air_item_label_zh(-1));
}

/* --- ../shared/data/aqi-vectors.csv ------------------------------------------------------ */

struct vec_cols {
    int id, mode, rule, so2, so2_24h, no2, co, o3_1h, o3_8h, pm10, pm25;
    int iaqi[EW_AIR_NITEMS], aqi, level, category, primary, exceeding;
};

static int
col(char **f, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(f[i], name) == 0)
            return (int)i;
    fail_msg("aqi-vectors.csv has no column %s", name);
    return -1;
}

static void
map_columns(char **f, size_t n, struct vec_cols *c)
{
    static const char *iaqi_names[EW_AIR_NITEMS] = {
        "IAQI_SO2", "IAQI_NO2", "IAQI_CO", "IAQI_O3_1h", "IAQI_O3_8h", "IAQI_PM10", "IAQI_PM2_5",
    };
    c->id = col(f, n, "id");
    c->mode = col(f, n, "mode");
    c->rule = col(f, n, "rule");
    c->so2 = col(f, n, "SO2");
    c->so2_24h = col(f, n, "SO2_24h");
    c->no2 = col(f, n, "NO2");
    c->co = col(f, n, "CO");
    c->o3_1h = col(f, n, "O3_1h");
    c->o3_8h = col(f, n, "O3_8h");
    c->pm10 = col(f, n, "PM10");
    c->pm25 = col(f, n, "PM2_5");
    for (int i = 0; i < EW_AIR_NITEMS; i++)
        c->iaqi[i] = col(f, n, iaqi_names[i]);
    c->aqi = col(f, n, "AQI");
    c->level = col(f, n, "level");
    c->category = col(f, n, "category");
    c->primary = col(f, n, "primary");
    c->exceeding = col(f, n, "exceeding");
}

static double
num(const char *s)
{
    return *s == '\0' ? NAN : strtod(s, NULL);
}

/* "PM10;PM2.5" with the vector file's tokens -> item bit set. */
static unsigned
mask_of(const char *s)
{
    static const char *tok[EW_AIR_NITEMS] = { "SO2", "NO2", "CO", "O3_1h", "O3_8h", "PM10",
                                              "PM2.5" };
    char buf[128];
    unsigned m = 0;

    snprintf(buf, sizeof(buf), "%s", s);
    for (char *save = NULL, *t = strtok_r(buf, ";", &save); t != NULL;
         t = strtok_r(NULL, ";", &save)) {
        int found = 0;
        for (int i = 0; i < EW_AIR_NITEMS; i++) {
            if (strcmp(t, tok[i]) == 0) {
                m |= 1u << i;
                found = 1;
            }
        }
        if (!found)
            fail_msg("unknown pollutant token '%s'", t);
    }
    return m;
}

static int
compute_vector(char **f, const struct vec_cols *c, struct ew_aqi_result *r)
{
    const char *mode = f[c->mode], *rule = f[c->rule];

    if (strcmp(mode, "daily") == 0) {
        struct ew_air_day d = { num(f[c->so2]),  num(f[c->no2]),  num(f[c->co]),
                                num(f[c->pm10]), num(f[c->pm25]), num(f[c->o3_8h]),
                                num(f[c->o3_1h]) };
        return ew_aqi_day(&d, r);
    }
    struct ew_air_hour h = hour_of(num(f[c->so2]), num(f[c->no2]), num(f[c->co]),
                                   num(f[c->o3_1h]), num(f[c->pm10]), num(f[c->pm25]));
    struct ew_aqi_hour_opts o = { EW_AQI_SO2_CAP200, NAN, NAN };
    if (strcmp(rule, "standard") == 0) {
        o.so2_rule = EW_AQI_SO2_FROM_24H;
        o.so2_24h_ugm3 = num(f[c->so2_24h]);
    } else if (strcmp(rule, "with_o3_8h") == 0) {
        o.o3_8h_ugm3 = num(f[c->o3_8h]);
    } else if (strcmp(rule, "platform") != 0) {
        fail_msg("unknown rule %s", rule);
    }
    return ew_aqi_hour_ex(&h, &o, r);
}

static void
check_vector(char **f, const struct vec_cols *c)
{
    struct ew_aqi_result r;
    const char *id = f[c->id];
    int rc = compute_vector(f, c, &r);

    if (rc != EW_OK)
        fail_msg("%s: rc %d", id, rc);
    for (int i = 0; i < EW_AIR_NITEMS; i++) {
        int want = *f[c->iaqi[i]] == '\0' ? -1 : (int)strtol(f[c->iaqi[i]], NULL, 10);
        if (want != r.iaqi[i])
            fail_msg("%s: IAQI %s want %d got %d", id, ew_air_item_token(i), want, r.iaqi[i]);
    }
    if (r.aqi != (int)strtol(f[c->aqi], NULL, 10) ||
        r.level != (int)strtol(f[c->level], NULL, 10))
        fail_msg("%s: AQI %s level %s, got %d level %d", id, f[c->aqi], f[c->level], r.aqi,
                 r.level);
    assert_string_equal(f[c->category], ew_aqi_class_of(r.aqi)->category_zh);
    if (mask_of(f[c->primary]) != r.primary || mask_of(f[c->exceeding]) != r.exceeding)
        fail_msg("%s: primary/exceeding %s/%s, got masks %x/%x", id, f[c->primary],
                 f[c->exceeding], r.primary, r.exceeding);
}

static void
shared_vectors_all_agree(void **state)
{
    const char *shared = getenv("EW_SHARED");
    char path[4096], **f;
    struct ew_csv *csv;
    struct vec_cols c;
    size_t n, line, rows = 0;
    FILE *in;

    (void)state;
    snprintf(path, sizeof(path), "%s/data/aqi-vectors.csv", shared ? shared : "../shared");
    in = fopen(path, "r");
    if (in == NULL)
        fail_msg("cannot open %s (set EW_SHARED)", path);
    assert_int_equal(EW_OK, ew_csv_open(in, 4096, 64, &csv));
    assert_int_equal(EW_OK, ew_csv_next(csv, &f, &n, &line));
    map_columns(f, n, &c);
    while (ew_csv_next(csv, &f, &n, &line) == EW_OK) {
        check_vector(f, &c);
        rows++;
    }
    ew_csv_close(csv);
    fclose(in);
    assert_int_equal(48, rows);    /* reference/air.md §8: 48 rows */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_breakpoint_gives_its_index),
        cmocka_unit_test(just_above_a_breakpoint_rounds_up),
        cmocka_unit_test(just_below_a_breakpoint_stays_at_its_index),
        cmocka_unit_test(midpoints_interpolate_linearly),
        cmocka_unit_test(above_the_table),
        cmocka_unit_test(breakpoint_accessor_matches_table1),
        cmocka_unit_test(iaqi_rounds_up),
        cmocka_unit_test(bad_concentrations_are_refused_and_out_untouched),
        cmocka_unit_test(so2_above_800_in_the_hourly_aqi),
        cmocka_unit_test(o3_8h_above_800_falls_back_to_o3_1h_in_the_daily_aqi),
        cmocka_unit_test(hourly_aqi_uses_1h_tables_and_pm_24h_tables),
        cmocka_unit_test(missing_values_are_left_out_and_all_missing_is_no_data),
        cmocka_unit_test(ties_list_every_primary_pollutant),
        cmocka_unit_test(levels_have_inclusive_upper_bounds),
        cmocka_unit_test(item_names),
        cmocka_unit_test(shared_vectors_all_agree),
    };
    return cmocka_run_group_tests_name("quality/aqi", tests, NULL, NULL);
}
