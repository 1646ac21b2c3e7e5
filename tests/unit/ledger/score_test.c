/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/ledger/score_test.c -- a month's county scorecard reproduced by hand. Three
 * counties get March 2019 daily air rows, ledger items and an inputs file; the scorecard is
 * gathered from the store and scored, and every cell is checked twice: against the number
 * worked out by hand below, and against the rule recomputed from the cell's own breakdown
 * (value, target, rank), so the breakdown alone suffices to check a score.
 *
 * By hand (weights 30/10/20/20/10/10):
 *   平定县  PM2.5 50 vs 50: 30 | rank 2 of 3: 10x(3-2)/2 = 5 | good 25/31 = 80.645 %:
 *           20x(80.645-60)/40 = 10.3226 | on time 3 of 5 items (4 rectification, 1
 *           complaint) = 60 %: 20x0.6 = 12 | overdue 2: 10-2x2.5 = 5 | water 100 %: 10
 *                                                               total 72.3226, rank 1
 *   盂县    PM2.5 60 vs 50: 30-2x10 = 10 | rank 3: 0 | good 100 %: 20 | on time 2/2: 20 |
 *           overdue 0: 10 | water 50 %: 5                        total 65, rank 2
 *   郊区    PM2.5 45 vs its own 40: 30-2x5 = 20 | rank 1: 10 | good 30/30: 20 |
 *           on time: no items, 0 | overdue 0: 10 | water: no data, 0   total 60, rank 3
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <envwatch/assess.h>

#include "ledger/internal.h"
#include "unit/ledger/lfix.h"
#include "util/buf.h"

static const char *const card =
    "[scorecard]\n"
    "name = 2019年3月县区生态环境考核\n"
    "units = 平定县,盂县,郊区\n"
    "[pm25]\nlabel = PM2.5浓度\nvalue = pm25_ugm3\nweight = 30\nrule = target\n"
    "direction = lower\ntarget = 50\nper = 2\ntarget.郊区 = 40\n"
    "[pm25_rank]\nvalue = pm25_ugm3\nweight = 10\nrule = rank\ndirection = lower\n"
    "[good_days]\nvalue = good_day_pct\nweight = 20\nrule = linear\nbest = 100\nworst = 60\n"
    "direction = higher\n"
    "[ontime]\nvalue = ontime_close_pct\nweight = 20\nrule = rate\nfloor = 60\n"
    "[overdue]\nvalue = overdue_items\nweight = 10\nrule = deduct\nper = 2.5\n"
    "[water]\nvalue = water_sections_pct\nweight = 10\nrule = rate\n";

static const char *const inputs = "unit,key,value,basis\n"
                                  "平定县,water_sections_pct,100,2 of 2 sections at class III\n"
                                  "盂县,water_sections_pct,50,1 of 2 sections at class III\n";

static void
air_days(struct ew_store *s, const char *county, int days, double pm25, int good_days)
{
    for (int d = 1; d <= days; d++) {
        struct ew_air_row r;
        ew_air_row_init(&r);
        r.scope = EW_AIR_SCOPE_COUNTY;
        r.period = EW_AIR_PERIOD_DAY;
        snprintf(r.name, sizeof(r.name), "%s", county);
        snprintf(r.county, sizeof(r.county), "%s", county);
        r.t_unix_s = lfx_t(2019, 3, d, 0, 0);
        r.conc[EW_AIR_PM25] = pm25;
        r.aqi.aqi = d <= good_days ? 70 : 120;
        r.aqi.level = d <= good_days ? 2 : 3;
        r.stations = 2;
        assert_int_equal(EW_OK, ew_store_air_put(s, &r));
    }
}

/* An item of county due on day, done on done_day (0: not done). */
static void
item(struct lfx *f, int kind, const char *county, const char *code, int64_t due, int64_t done)
{
    struct ew_ledger_item it;

    lfx_item(&it, kind, code);
    snprintf(it.county, sizeof(it.county), "%s", county);
    it.due_unix_s = due;
    it.state = EW_LEDGER_ST_IN_PROGRESS;
    if (kind == EW_LEDGER_COMPLAINT)
        it.state = EW_LEDGER_ST_HANDLING;
    if (done != 0) {
        it.state = kind == EW_LEDGER_COMPLAINT ? EW_LEDGER_ST_REPLIED : EW_LEDGER_ST_SUBMITTED;
        it.done_unix_s = done;
    }
    assert_int_equal(EW_OK, ew_ledger_create(f->s, &it, &lfx_operator, lfx_t(2019, 1, 2, 9, 0),
                                             NULL, NULL, f->why, sizeof(f->why)));
}

static void
fill(struct lfx *f)
{
    air_days(f->s, "平定县", 31, 50, 25);
    air_days(f->s, "盂县", 31, 60, 31);
    air_days(f->s, "郊区", 30, 45, 30);
    /* 平定县: 4 rectification items due in March, 3 done in time, 1 open; 1 open since
     * February; a complaint answered late. */
    item(f, EW_LEDGER_RECTIFY, "平定县", "P1", lfx_end(2019, 3, 10), lfx_t(2019, 3, 9, 9, 0));
    item(f, EW_LEDGER_RECTIFY, "平定县", "P2", lfx_end(2019, 3, 20), lfx_t(2019, 3, 20, 17, 0));
    item(f, EW_LEDGER_RECTIFY, "平定县", "P3", lfx_end(2019, 3, 31), lfx_t(2019, 2, 1, 9, 0));
    item(f, EW_LEDGER_RECTIFY, "平定县", "P4", lfx_end(2019, 3, 31), 0);
    item(f, EW_LEDGER_RECTIFY, "平定县", "P0", lfx_end(2019, 2, 28), 0);
    item(f, EW_LEDGER_COMPLAINT, "平定县", "C1", lfx_end(2019, 3, 15), lfx_t(2019, 3, 18, 9, 0));
    /* 盂县: 2 items due in March, both in time; one due in April (not counted). */
    item(f, EW_LEDGER_RECTIFY, "盂县", "Y1", lfx_end(2019, 3, 5), lfx_t(2019, 3, 1, 9, 0));
    item(f, EW_LEDGER_RECTIFY, "盂县", "Y2", lfx_end(2019, 3, 25), lfx_t(2019, 3, 25, 9, 0));
    item(f, EW_LEDGER_RECTIFY, "盂县", "Y3", lfx_end(2019, 4, 30), 0);
}

/* The rule recomputed from the cell's breakdown alone. */
static double
from_breakdown(const struct ew_score_indicator *d, const struct ew_score_cell *c, int n_ranked)
{
    double gap;

    if (isnan(c->value))
        return 0;
    switch (d->rule) {
    case EW_SCORE_TARGET:
        gap = d->higher_better ? c->target - c->value : c->value - c->target;
        return fmax(0, d->weight - d->per * fmax(0, gap));
    case EW_SCORE_RANK:
        return d->weight * (n_ranked - c->rank) / (n_ranked - 1);
    case EW_SCORE_LINEAR:
        return d->weight * fmin(1, fmax(0, (c->value - d->worst) / (d->best - d->worst)));
    case EW_SCORE_DEDUCT:
        return fmax(0, d->weight - d->per * c->value);
    case EW_SCORE_RATE:
        return !isnan(d->floor) && c->value < d->floor ? 0 : d->weight * c->value / 100;
    }
    return -1;
}

static void
march_scorecard_is_reproduced_by_hand(void **state)
{
    struct lfx *f = *state;
    static struct ew_scorecard_cfg cfg;
    static struct ew_score_input in;
    static struct ew_scorecard sc;
    static const double want[3][6] = {
        { 30, 5, 10.3225806, 12, 5, 10 },
        { 10, 0, 20, 20, 10, 5 },
        { 20, 10, 20, 0, 10, 0 },
    };
    static const double want_total[3] = { 72.3225806, 65, 60 };
    static const int want_rank[3] = { 1, 2, 3 };
    int line = 0;

    fill(f);
    assert_int_equal(EW_OK, ew_scorecard_parse(card, &cfg, &line, f->why, sizeof(f->why)));
    ew_score_input_init(&in);
    assert_int_equal(EW_OK, ew_assess_gather(f->s, &cfg, lfx_t(2019, 3, 1, 0, 0),
                                             lfx_end(2019, 3, 31), &in));
    assert_int_equal(EW_OK, ew_assess_inputs_csv(&cfg, inputs, &in, &line, f->why,
                                                 sizeof(f->why)));
    assert_int_equal(EW_OK, ew_scorecard_score(&cfg, &in, &sc));

    /* The values behind the points, with their basis. */
    assert_true(sc.cell[0][0].value == 50 && sc.cell[1][0].value == 60 &&
                sc.cell[2][0].value == 45);
    assert_non_null(strstr(ew_score_input_get(&in, 0, "pm25_ugm3")->basis, "mean of 31 daily"));
    assert_non_null(strstr(ew_score_input_get(&in, 0, "good_day_pct")->basis,
                           "25 of 31 days"));
    assert_true(sc.cell[0][3].value == 60);
    assert_non_null(strstr(ew_score_input_get(&in, 0, "ontime_close_pct")->basis, "3 of 5"));
    assert_true(sc.cell[0][4].value == 2);
    assert_true(ew_score_input_get(&in, 0, "complaint_ontime_pct")->value == 0);
    assert_true(isnan(sc.cell[2][3].value));         /* 郊区 has no items */
    assert_true(sc.cell[2][0].target == 40 && sc.cell[0][0].target == 50);

    for (size_t u = 0; u < 3; u++) {
        double sum = 0;
        for (size_t i = 0; i < 6; i++) {
            const struct ew_score_cell *c = &sc.cell[u][i];
            if (fabs(c->points - want[u][i]) > 1e-6)
                fail_msg("%s %s: %.6f points, by hand %.6f (%s)", cfg.units[u], cfg.ind[i].name,
                         c->points, want[u][i], c->how);
            assert_true(fabs(from_breakdown(&cfg.ind[i], c, 3) - c->points) < 1e-9);
            sum += c->points;
        }
        assert_true(fabs(sc.total[u] - want_total[u]) < 1e-6);
        assert_true(fabs(sc.total[u] - sum) < 1e-9);
        assert_int_equal(want_rank[u], sc.rank[u]);
    }
    assert_non_null(strstr(sc.cell[1][0].how, "30 - 2 x 10"));

    /* The JSON carries the same breakdown. */
    struct ew_buf b;
    ew_buf_init(&b, 1 << 20);
    assert_int_equal(EW_OK, ew_assess_json(&b, &cfg, &in, &sc, "2019-03"));
    assert_non_null(strstr(b.ptr, "\"unit\":\"平定县\",\"total\":72.32258065,\"rank\":1"));
    assert_non_null(strstr(b.ptr, "\"basis\":\"2 of 2 sections at class III\""));
    ew_buf_fini(&b);

    /* So does the workbook the API sends (format=xlsx): points, total and rank per unit. */
    struct ew__sheet sh;
    ew_buf_init(&b, 1 << 20);
    assert_int_equal(EW_OK, ew_assess_xlsx_buf(&b, &cfg, &in, &sc));
    assert_int_equal(EW_OK, ew__sheet_xlsx(b.ptr, b.len, &sh, NULL, 0));
    assert_int_equal(4, sh.rows);
    assert_string_equal("总分 total", ew__sheet_cell(&sh, 0, 7));
    for (size_t u = 0; u < 3; u++) {
        assert_string_equal(cfg.units[u], ew__sheet_cell(&sh, u + 1, 0));
        assert_true(fabs(strtod(ew__sheet_cell(&sh, u + 1, 1), NULL) - want[u][0]) < 1e-9);
        assert_true(fabs(strtod(ew__sheet_cell(&sh, u + 1, 7), NULL) - want_total[u]) < 1e-6);
        assert_int_equal(want_rank[u], strtol(ew__sheet_cell(&sh, u + 1, 8), NULL, 10));
    }
    ew__sheet_free(&sh);
    ew_buf_fini(&b);

    /* Year to date: February's open item is due in the period too: 3 of 6 = 50 %, under
     * the floor of 60, so no points. */
    ew_score_input_init(&in);
    assert_int_equal(EW_OK, ew_assess_gather(f->s, &cfg, lfx_t(2019, 1, 1, 0, 0),
                                             lfx_end(2019, 3, 31), &in));
    assert_int_equal(EW_OK, ew_scorecard_score(&cfg, &in, &sc));
    assert_true(sc.cell[0][3].value == 50 && sc.cell[0][3].points == 0);
}

static void
bad_scorecards_are_refused_with_their_line(void **state)
{
    static struct ew_scorecard_cfg cfg;
    char why[200];
    int line = 0;

    (void)state;
    cfg.n_units = 77;
    assert_int_equal(EW_EFORMAT, ew_scorecard_parse("[scorecard]\nunits = a\n[x]\nrule = mean\n",
                                                    &cfg, &line, why, sizeof(why)));
    assert_int_equal(4, line);
    assert_non_null(strstr(why, "'mean' is not"));
    assert_int_equal(EW_EINVAL, ew_scorecard_parse("[scorecard]\nunits = a\n[x]\nrule = linear\n"
                                                   "weight = 5\n", &cfg, &line, why,
                                                   sizeof(why)));
    assert_non_null(strstr(why, "best and worst"));
    assert_int_equal(EW_EINVAL, ew_scorecard_parse("[scorecard]\nunits = a\n[x]\nrule = rate\n"
                                                   "weight = 5\ntarget.b = 3\n", &cfg, &line,
                                                   why, sizeof(why)));
    assert_int_equal(EW_EFORMAT, ew_scorecard_parse("[scorecard]\ncolour = red\n", &cfg, &line,
                                                    why, sizeof(why)));
    assert_int_equal(77, cfg.n_units);                  /* untouched on error */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(march_scorecard_is_reproduced_by_hand, lfx_setup,
                                        lfx_teardown),
        cmocka_unit_test(bad_scorecards_are_refused_with_their_line),
    };
    return cmocka_run_group_tests_name("ledger/score", tests, NULL, NULL);
}
