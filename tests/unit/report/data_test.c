/* SPDX-License-Identifier: MIT */
/*
 * The loaders the reports share with the API: util/reportair.c (a period's statistics of an
 * area, counting only the days to date; every station of a period ranked) and
 * util/exportcsv.c (the readings CSV of GET .../readings?format=csv and `envwatch export`).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "unit/report/rfix.h"
#include "util/exportcsv.h"
#include "util/reportair.h"

static void
period_lengths_and_starts(void **state)
{
    static const struct {
        int    year, month;
        size_t days;
    } cases[] = {
        { 2019, 2, 28 }, { 2020, 2, 29 }, { 2019, 4, 30 }, { 2019, 12, 31 }, { 2019, 0, 365 },
        { 2020, 0, 366 }, { 2000, 0, 366 },
    };

    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(cases); i++)
        assert_int_equal(cases[i].days, ew_reportair_period_len(cases[i].year, cases[i].month));
    assert_int_equal(fx_t(2019, 3, 1, 0, 0), ew_reportair_period_start(2019, 3));
    assert_int_equal(fx_t(2019, 1, 1, 0, 0), ew_reportair_period_start(2019, 0));
}

static void
a_period_to_date_leaves_later_days_out(void **state)
{
    struct fx *f = *state;
    struct ew_air_period p;
    struct ew_air_day v;
    int any = -1;

    for (int d = 1; d <= 10; d++) {
        v = rf_day(10, 10, 0.5, 20, 20, 20, d * 10);      /* PM2.5 10, 20, ... 100 */
        rf_put_row(f->s, EW_AIR_SCOPE_CITY, "", "", EW_AIR_PERIOD_DAY, fx_t(2019, 5, d, 0, 0),
                   &v, 0);
    }
    assert_int_equal(EW_OK, ew_reportair_period(f->s, EW_AIR_SCOPE_CITY, "", 2019, 5, 4, &p,
                                                &any));
    assert_int_equal(1, any);
    assert_int_equal(4, p.item[EW_AIR_PM25].n_days);
    assert_true(p.item[EW_AIR_PM25].mean == 25);          /* (10 + 20 + 30 + 40) / 4 */
    assert_int_equal(31, p.n_days);
    assert_int_equal(EW_OK, ew_reportair_period(f->s, EW_AIR_SCOPE_CITY, "", 2019, 5, 0, &p,
                                                &any));
    assert_int_equal(10, p.item[EW_AIR_PM25].n_days);
    assert_true(p.item[EW_AIR_PM25].mean == 55);
    assert_int_equal(EW_OK, ew_reportair_period(f->s, EW_AIR_SCOPE_CITY, "", 2019, 6, 0, &p,
                                                &any));
    assert_int_equal(0, any);
    any = 7;
    assert_int_equal(EW_EINVAL, ew_reportair_period(f->s, EW_AIR_SCOPE_CITY, "", 2019, 13, 0,
                                                    &p, &any));
    assert_int_equal(7, any);                             /* untouched on failure */
}

static void
groups_rank_ties_and_unranked(void **state)
{
    struct fx *f = *state;
    struct ew_reportair_groups g;
    int rank[3];
    size_t order[3];
    struct ew_air_day a = rf_day(10, 10, 0.5, 20, 20, 20, 40);
    struct ew_air_day b = rf_day(10, 10, 0.5, 20, 20, 20, NAN);  /* no PM2.5: unranked */

    rf_put_row(f->s, EW_AIR_SCOPE_STATION, "S1", "城区", EW_AIR_PERIOD_DAY,
               fx_t(2019, 5, 1, 0, 0), &a, 0);
    rf_put_row(f->s, EW_AIR_SCOPE_STATION, "S2", "城区", EW_AIR_PERIOD_DAY,
               fx_t(2019, 5, 2, 0, 0), &b, 0);
    rf_put_row(f->s, EW_AIR_SCOPE_STATION, "S3", "矿区", EW_AIR_PERIOD_DAY,
               fx_t(2019, 5, 3, 0, 0), &a, 0);
    assert_int_equal(EW_OK, ew_reportair_groups_load(f->s, EW_AIR_SCOPE_STATION, 2019, 5, 0, 1,
                                                     &g));
    assert_int_equal(3, g.n);
    assert_int_equal(EW_OK, ew_reportair_groups_rank(&g, 1, rank, order));
    assert_string_equal("S1", g.v[0].name);
    assert_int_equal(1, rank[0]);
    assert_int_equal(0, rank[1]);
    assert_int_equal(1, rank[2]);                          /* S1 and S3 tie at 40 */
    assert_string_equal("S2", g.v[order[2]].name);         /* unranked last */
    assert_true(isnan(g.v[1].index));                      /* no PM2.5: no index */
    ew_reportair_groups_free(&g);
    assert_int_equal(EW_OK, ew_reportair_groups_load(f->s, EW_AIR_SCOPE_STATION, 2019, 5, 2, 1,
                                                     &g));
    assert_int_equal(2, g.n);                              /* the first two days only */
    ew_reportair_groups_free(&g);
    assert_int_equal(EW_EINVAL, ew_reportair_groups_load(f->s, EW_AIR_SCOPE_CITY, 2019, 5, 0,
                                                         0, &g));
    ew_reportair_groups_free(&g);
}

static void
csv_lines_have_the_api_columns(void **state)
{
    struct ew_reading r = fx_reading(1, EW_KIND_HOUR, fx_t(2019, 1, 6, 8, 0), "a21026", 20.5);
    struct ew_buf b;
    int kind;

    (void)state;
    ew_buf_init(&b, 4096);
    assert_int_equal(EW_OK, ew_exportcsv_header(&b));
    assert_string_equal("time,kind,factor,value,flag,converted,min,max,cou\r\n", b.ptr);
    ew_buf_reset(&b);
    r.zs = 25.625;
    r.cou = 0.1234567891234;
    snprintf(r.flag, sizeof(r.flag), "N");
    assert_int_equal(EW_OK, ew_exportcsv_line(&b, &r));
    assert_string_equal("2019-01-06T08:00:00,hour,a21026,20.5,N,25.625,,,0.1234567891\r\n",
                        b.ptr);
    ew_buf_reset(&b);
    snprintf(r.factor, sizeof(r.factor), "a,b");          /* a code cannot break columns */
    r.flag[0] = '\0';
    r.kind = EW_KIND_RTD;
    assert_int_equal(EW_OK, ew_exportcsv_line(&b, &r));
    assert_string_equal("2019-01-06T08:00:00,rtd,\"a,b\",20.5,,25.625,,,0.1234567891\r\n",
                        b.ptr);
    ew_buf_fini(&b);
    ew_buf_init(&b, 20);                                  /* a full buffer: no half line */
    ew_buf_adds(&b, "x");
    assert_int_equal(EW_ETOOBIG, ew_exportcsv_line(&b, &r));
    assert_string_equal("x", b.ptr);
    ew_buf_fini(&b);
    assert_int_equal(EW_OK, ew_exportcsv_kind_parse("minute", &kind));
    assert_int_equal(EW_KIND_MINUTE, kind);
    assert_int_equal(EW_EINVAL, ew_exportcsv_kind_parse("hours", &kind));
    assert_null(ew_exportcsv_kind_name(9999));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(period_lengths_and_starts),
        cmocka_unit_test_setup_teardown(a_period_to_date_leaves_later_days_out, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(groups_rank_ties_and_unranked, fx_setup, fx_teardown),
        cmocka_unit_test(csv_lines_have_the_api_columns),
    };
    return cmocka_run_group_tests_name("report/data", tests, NULL, NULL);
}
