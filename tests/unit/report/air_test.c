/* SPDX-License-Identifier: MIT */
/*
 * src/report/air*.c: the air reports built on a temporary store holding AQI rows as the
 * daemon stores them. Checked against numbers worked out here by hand from the standards:
 * the HJ 633-2012 table 2 levels and categories at every class bound, the daily ranking by
 * AQI (ties share a rank, control stations are not ranked), month and year to date (only the
 * days up to the report's day), the targets, the monthly ranking by the comprehensive index
 * (I = C / S summed, S of the ranking rules) and the days by level and primary pollutant.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "unit/report/rfix.h"

#define DAY_S 86400

static const struct rp_col aqi_cols[] = {
    { "aqi", "AQI", 6 }, { "level", "级别", 6 }, { "category", "类别", 8 },
};

/* HJ 633-2012 table 2: AQI bounds of the six levels, their names and categories. */
static void
levels_follow_hj633_table_2(void **state)
{
    static const struct {
        int         aqi, level;
        const char *level_zh, *category_zh;
    } cases[] = {
        { 0, 1, "一级", "优" },         { 50, 1, "一级", "优" },
        { 51, 2, "二级", "良" },        { 100, 2, "二级", "良" },
        { 101, 3, "三级", "轻度污染" }, { 150, 3, "三级", "轻度污染" },
        { 151, 4, "四级", "中度污染" }, { 200, 4, "四级", "中度污染" },
        { 201, 5, "五级", "重度污染" }, { 300, 5, "五级", "重度污染" },
        { 301, 6, "六级", "严重污染" }, { 500, 6, "六级", "严重污染" },
    };
    struct rp_doc d;
    struct rp_table *t;

    (void)state;
    rp_doc_init(&d);
    t = rp_table(&d, 0, "t", "", aqi_cols, EW_ARRAY_LEN(aqi_cols));
    for (size_t i = 0; i < EW_ARRAY_LEN(cases); i++) {
        char want[8];
        rp_row(&d, t);
        ew__report_aqi_cells(&d, t, 0, cases[i].aqi);
        snprintf(want, sizeof(want), "%d", cases[i].aqi);
        assert_string_equal(want, rf_text(t, i, "aqi"));
        assert_string_equal(cases[i].level_zh, rf_text(t, i, "level"));
        assert_string_equal(cases[i].category_zh, rf_text(t, i, "category"));
        assert_int_equal(cases[i].level, rf_cell(t, i, "aqi")->level);
        assert_int_equal(cases[i].level, rf_cell(t, i, "category")->level);
    }
    rp_row(&d, t);
    ew__report_aqi_cells(&d, t, 0, -1);             /* no AQI: empty cells */
    assert_string_equal("—", rf_text(t, EW_ARRAY_LEN(cases), "aqi"));
    assert_int_equal(EW_OK, d.err);
    rp_doc_free(&d);
}

static void
primary_pollutants_are_worded_as_published(void **state)
{
    char out[128];

    (void)state;
    ew__report_primary(1u << EW_AIR_PM25, out, sizeof(out));
    assert_string_equal("细颗粒物(PM2.5)", out);
    ew__report_primary(1u << EW_AIR_PM10 | 1u << EW_AIR_PM25, out, sizeof(out));
    assert_string_equal("颗粒物(PM10)、细颗粒物(PM2.5)", out);
    ew__report_primary(1u << EW_AIR_O3_8H, out, sizeof(out));
    assert_string_equal("臭氧8小时", out);
    ew__report_primary(0, out, sizeof(out));
    assert_string_equal("—", out);
    assert_string_equal("星期日", ew__report_weekday_zh(fx_t(2019, 1, 6, 23, 59)));
    assert_string_equal("星期一", ew__report_weekday_zh(fx_t(2019, 1, 7, 0, 0)));
}

/* ---- the daily report -------------------------------------------------------------------- */

/* A day whose AQI is that of PM2.5 (the other items stay low). */
static struct ew_air_day
pm25_day(double pm25)
{
    return rf_day(10, 10, 0.5, 20, 20, 20, pm25);
}

static void
add_station(struct ew_store *s, const char *mn, const char *name, const char *county,
            int control)
{
    struct ew_point p = fx_point(mn, "air");

    snprintf(p.name, sizeof(p.name), "%s", name);
    snprintf(p.county, sizeof(p.county), "%s", county);
    snprintf(p.extra, sizeof(p.extra), "%s", control ? "{\"control\":true}" : "{}");
    assert_int_equal(EW_OK, ew_store_point_put(s, &p));
}

/*
 * 2019-01-06: A001 and B001 both PM2.5 91 (IAQI 1.25 x 16 + 100 = 120), control C001 PM2.5 20
 * (IAQI 28.57 -> 29), D001 registered without data. The city's days 1..7 have PM2.5 20, 60,
 * 91, 160, 70, 91, 300 (AQI 29, 82, 120, 210, 94, 120, 350).
 */
static void
daily_world(struct ew_store *s)
{
    static const double city_pm25[] = { 20, 60, 91, 160, 70, 91, 300 };
    struct ew_air_target tg = { .pm25_ugm3 = 35, .good_share_pct = 80, .heavy_days_max = 5 };
    int64_t day = fx_t(2019, 1, 6, 0, 0);
    struct ew_air_day v;

    add_station(s, "A001", "甲站", "城区", 0);
    add_station(s, "B001", "乙站", "矿区", 0);
    add_station(s, "C001", "丙站", "城区", 1);
    add_station(s, "D001", "丁站", "郊区", 0);
    v = pm25_day(91);
    rf_put_row(s, EW_AIR_SCOPE_STATION, "A001", "城区", EW_AIR_PERIOD_DAY, day, &v, 0);
    rf_put_row(s, EW_AIR_SCOPE_STATION, "B001", "矿区", EW_AIR_PERIOD_DAY, day, &v, 0);
    v = pm25_day(20);
    rf_put_row(s, EW_AIR_SCOPE_STATION, "C001", "城区", EW_AIR_PERIOD_DAY, day, &v, 1);
    v = rf_day(10, 10, 0.5, 20, 20, 80, 47);     /* PM10 65 = PM2.5 65: both primary */
    rf_put_row(s, EW_AIR_SCOPE_COUNTY, "矿区", "矿区", EW_AIR_PERIOD_DAY, day, &v, 0);
    for (int i = 0; i < 7; i++) {
        v = pm25_day(city_pm25[i]);
        rf_put_row(s, EW_AIR_SCOPE_CITY, "", "", EW_AIR_PERIOD_DAY,
                   fx_t(2019, 1, 1 + i, 0, 0), &v, 0);
    }
    v = pm25_day(91);
    rf_put_row(s, EW_AIR_SCOPE_CITY, "", "", EW_AIR_PERIOD_HOUR, day + 8 * 3600, &v, 0);
    assert_int_equal(EW_OK, ew_store_air_target_put(s, 0, &tg));
}

static void
build(struct ew_store *s, int kind, int y, int m, int day, struct rp_doc *d)
{
    struct ew_report_req r = { .kind = kind, .format = EW_REPORT_HTML, .year = y, .month = m,
                               .day = day, .now_unix_s = fx_t(2019, 4, 1, 9, 0) };
    struct rp_names n = { "测试局", "测试市" };
    int rc;

    rp_doc_init(d);
    rc = kind == EW_REPORT_AIR_DAILY ? ew__report_air_daily(s, &r, &n, d)
                                     : ew__report_air_monthly(s, &r, &n, d);
    assert_int_equal(EW_OK, rc);
    assert_int_equal(EW_OK, d->err);
}

static void
daily_ranks_stations_by_aqi(void **state)
{
    struct fx *f = *state;
    const struct rp_table *t;
    struct rp_doc d;

    daily_world(f->s);
    build(f->s, EW_REPORT_AIR_DAILY, 2019, 1, 6, &d);
    assert_string_equal("测试市环境空气质量日报", d.title);
    assert_string_equal("2019年1月6日（星期日）", d.period);
    t = rf_table(&d, "stations");
    assert_int_equal(4, t->nrows);
    static const struct {
        const char *mn, *name, *rank, *aqi;
    } want[] = {
        { "A001", "甲站", "1", "120" }, { "B001", "乙站", "1", "120" },  /* a tie: 并列 */
        { "C001", "丙站（对照点）", "—", "29" }, { "D001", "丁站", "—", "—" },
    };
    for (size_t i = 0; i < EW_ARRAY_LEN(want); i++) {
        assert_string_equal(want[i].mn, rf_text(t, i, "mn"));
        assert_string_equal(want[i].name, rf_text(t, i, "name"));
        assert_string_equal(want[i].rank, rf_text(t, i, "rank"));
        assert_string_equal(want[i].aqi, rf_text(t, i, "aqi"));
    }
    assert_string_equal("轻度污染", rf_text(t, 0, "category"));
    assert_string_equal("91", rf_text(t, 0, "pm25"));
    assert_true(rf_cell(t, 0, "pm25")->flags & RP_BAD);   /* IAQI 120 > 100: exceeding */
    assert_false(rf_cell(t, 0, "pm10")->flags & RP_BAD);
    assert_string_equal("0.5", rf_text(t, 0, "co"));
    assert_true(rf_cell(t, 2, "name")->flags & RP_MUTED);
    assert_string_equal("郊区", rf_text(t, 3, "county"));
    t = rf_table(&d, "counties");
    assert_int_equal(1, t->nrows);
    assert_string_equal("65", rf_text(t, 0, "aqi"));
    assert_string_equal("颗粒物(PM10)、细颗粒物(PM2.5)", rf_text(t, 0, "primary"));
    rp_doc_free(&d);
}

static void
daily_counts_only_the_days_to_date(void **state)
{
    struct fx *f = *state;
    const struct rp_table *t;
    struct rp_doc d;

    daily_world(f->s);
    build(f->s, EW_REPORT_AIR_DAILY, 2019, 1, 6, &d);
    t = rf_table(&d, "city");
    assert_string_equal("120", rf_text(t, 0, "aqi"));
    assert_string_equal("细颗粒物(PM2.5)", rf_text(t, 0, "primary"));
    t = rf_table(&d, "to-date");
    assert_int_equal(2, t->nrows);
    for (size_t i = 0; i < 2; i++) {        /* January is the month and the year to date */
        assert_string_equal("6", rf_text(t, i, "days"));            /* not day 7 */
        assert_string_equal("3", rf_text(t, i, "good_days"));       /* 29, 82, 94 */
        assert_string_equal("50.0", rf_text(t, i, "good_share"));
        assert_string_equal("1", rf_text(t, i, "heavy_days"));      /* 210 */
        assert_string_equal("82", rf_text(t, i, "pm25"));           /* 492 / 6 */
        assert_string_equal("20", rf_text(t, i, "pm10"));
        /* 10/60 + 10/40 + 20/70 + 82/35 + 0.5/4 + 20/160 = 3.295 */
        assert_string_equal("3.30", rf_text(t, i, "index"));
    }
    t = rf_table(&d, "targets");
    assert_string_equal("35.0", rf_text(t, 0, "goal"));
    assert_string_equal("82.0", rf_text(t, 0, "ytd"));
    assert_string_equal("34.2", rf_text(t, 0, "needed"));           /* (35 x 365 - 492) / 359 */
    assert_string_equal("滞后于进度", rf_text(t, 0, "status"));
    t = rf_table(&d, "city-hours");
    assert_int_equal(1, t->nrows);
    assert_string_equal("08:00–09:00", rf_text(t, 0, "time"));
    assert_false(rf_has_table(&d, "alerts"));                       /* none was stored */
    assert_true(d.nnotes >= 4);
    rp_doc_free(&d);
}

/* ---- the monthly report ------------------------------------------------------------------- */

/*
 * March 2019, three days each: A001 in 城区 at the grade-2 limits (every I_i = 1: I_sum 6.00;
 * IAQI SO2 55, NO2 50, CO 100, O3-1h 32, O3-8h 100, PM10 60, PM2.5 50: AQI 100, primary CO and
 * O3-8h), B001 in 矿区 at half of them and PM2.5 14 (I_sum 0.5 x 5 + 0.4 = 2.90). The city and
 * the counties have the same values as their station.
 */
static void
monthly_world(struct ew_store *s)
{
    struct ew_air_day a = rf_day(60, 40, 4.0, 100, 160, 70, 35);
    struct ew_air_day b = rf_day(30, 20, 2.0, 50, 80, 35, 14);

    add_station(s, "A001", "甲站", "城区", 0);
    add_station(s, "B001", "乙站", "矿区", 0);
    for (int i = 1; i <= 3; i++) {
        int64_t t = fx_t(2019, 3, i, 0, 0);
        rf_put_row(s, EW_AIR_SCOPE_STATION, "A001", "城区", EW_AIR_PERIOD_DAY, t, &a, 0);
        rf_put_row(s, EW_AIR_SCOPE_STATION, "B001", "矿区", EW_AIR_PERIOD_DAY, t, &b, 0);
        rf_put_row(s, EW_AIR_SCOPE_COUNTY, "城区", "城区", EW_AIR_PERIOD_DAY, t, &a, 0);
        rf_put_row(s, EW_AIR_SCOPE_COUNTY, "矿区", "矿区", EW_AIR_PERIOD_DAY, t, &b, 0);
        rf_put_row(s, EW_AIR_SCOPE_CITY, "", "", EW_AIR_PERIOD_DAY, t, &a, 0);
    }
}

static void
monthly_ranks_by_the_comprehensive_index(void **state)
{
    struct fx *f = *state;
    const struct rp_table *t;
    struct rp_doc d;

    monthly_world(f->s);
    build(f->s, EW_REPORT_AIR_MONTHLY, 2019, 3, 0, &d);
    t = rf_table(&d, "station-ranking");
    assert_int_equal(2, t->nrows);
    assert_string_equal("B001", rf_text(t, 0, "mn"));
    assert_string_equal("1", rf_text(t, 0, "rank"));
    assert_string_equal("2.90", rf_text(t, 0, "index"));
    assert_string_equal("A001", rf_text(t, 1, "mn"));
    assert_string_equal("2", rf_text(t, 1, "rank"));
    assert_string_equal("6.00", rf_text(t, 1, "index"));
    assert_string_equal("二氧化硫", rf_text(t, 1, "main"));      /* all equal: the first */
    assert_string_equal("35", rf_text(t, 1, "pm25"));
    assert_string_equal("100.0", rf_text(t, 1, "good_share"));
    assert_string_equal("3", rf_text(t, 1, "days"));
    t = rf_table(&d, "county-ranking");
    assert_string_equal("矿区", rf_text(t, 0, "county"));
    assert_string_equal("城区", rf_text(t, 1, "county"));
    rp_doc_free(&d);
}

static void
monthly_counts_days_by_level_and_pollutant(void **state)
{
    struct fx *f = *state;
    const struct rp_table *t;
    struct rp_doc d;

    monthly_world(f->s);
    build(f->s, EW_REPORT_AIR_MONTHLY, 2019, 3, 0, &d);
    assert_string_equal("2019年3月", d.period);
    t = rf_table(&d, "city");
    assert_string_equal("3", rf_text(t, 0, "days"));
    assert_string_equal("3", rf_text(t, 0, "good_days"));
    assert_string_equal("100.0", rf_text(t, 0, "good_share"));
    assert_string_equal("6.00", rf_text(t, 0, "index"));
    t = rf_table(&d, "levels");
    static const char *const levels[] = { "0", "3", "0", "0", "0", "0" };   /* AQI 100: 良 */
    for (int i = 0; i < 6; i++) {
        char key[4];
        snprintf(key, sizeof(key), "l%d", i + 1);
        assert_string_equal(levels[i], rf_text(t, 0, key));
    }
    t = rf_table(&d, "primary-days");
    assert_string_equal("3", rf_text(t, 0, "co"));                  /* CO and O3-8h tie */
    assert_string_equal("3", rf_text(t, 0, "o3_8h"));
    assert_string_equal("0", rf_text(t, 0, "pm25"));
    t = rf_table(&d, "city-items");
    assert_string_equal("细颗粒物(PM2.5)", rf_text(t, 0, "item"));
    assert_string_equal("35", rf_text(t, 0, "mean"));
    assert_string_equal("第95", rf_text(t, 0, "percentile"));
    assert_string_equal("1.00", rf_text(t, 0, "sub"));
    assert_string_equal("0", rf_text(t, 0, "exceed_days"));         /* at the limit: not over */
    assert_string_equal("—", rf_text(t, 0, "change"));              /* no March 2018 */
    assert_false(rf_has_table(&d, "comparison"));
    assert_int_equal(3, rf_table(&d, "daily")->nrows);
    rp_doc_free(&d);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(levels_follow_hj633_table_2),
        cmocka_unit_test(primary_pollutants_are_worded_as_published),
        cmocka_unit_test_setup_teardown(daily_ranks_stations_by_aqi, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(daily_counts_only_the_days_to_date, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(monthly_ranks_by_the_comprehensive_index, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(monthly_counts_days_by_level_and_pollutant, fx_setup,
                                        fx_teardown),
    };
    return cmocka_run_group_tests_name("report/air", tests, NULL, NULL);
}
