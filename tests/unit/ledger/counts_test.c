/* SPDX-License-Identifier: MIT */
/*
 * Grouped counts (counts.c): a small ledger whose counts by kind, state, unit and county are
 * written out by hand below, checked whole, under a filter, under a unit's scope, and as the
 * JSON the API sends.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include <envwatch/auth.h>

#include "lfix.h"
#include "util/buf.h"

/* The ledger: kind, state, unit, county, coop units, overdue, closed. */
static const struct {
    int kind, state;
    const char *unit, *county, *coop;
    int overdue, closed;
} rows[] = {
    { EW_LEDGER_TASK, EW_LEDGER_ST_IN_PROGRESS, "平定县人民政府", "平定县", "", 1, 0 },
    { EW_LEDGER_TASK, EW_LEDGER_ST_IN_PROGRESS, "平定县人民政府", "平定县", "", 0, 0 },
    { EW_LEDGER_TASK, EW_LEDGER_ST_CLOSED, "盂县人民政府", "盂县", "", 0, 1 },
    { EW_LEDGER_RECTIFY, EW_LEDGER_ST_SUBMITTED, "平定县人民政府", "平定县", "", 0, 0 },
    { EW_LEDGER_RECTIFY, EW_LEDGER_ST_IN_PROGRESS, "市住建局", "", "平定县人民政府", 1, 0 },
    { EW_LEDGER_COMPLAINT, EW_LEDGER_ST_CLOSED, "盂县人民政府", "盂县", "", 0, 1 },
    { EW_LEDGER_COMPLAINT, EW_LEDGER_ST_HANDLING, "盂县人民政府", "盂县", "", 1, 0 },
    { EW_LEDGER_RIVER, EW_LEDGER_ST_DISPATCHED, "平定县人民政府", "平定县", "", 0, 0 },
};

/* By hand from the rows: name, n, open, overdue. */
static const struct want {
    const char *name;
    int64_t n, open, overdue;
} kinds[] = {
    { "task", 3, 2, 1 }, { "rectify", 2, 2, 1 }, { "complaint", 2, 1, 1 }, { "river", 1, 1, 0 },
}, states[] = {
    { "in_progress", 2, 2, 1 }, { "closed", 1, 0, 0 },            /* task */
    { "in_progress", 1, 1, 1 }, { "submitted", 1, 1, 0 },         /* rectify */
    { "closed", 1, 0, 0 }, { "handling", 1, 1, 1 },               /* complaint */
    { "dispatched", 1, 1, 0 },                                     /* river */
}, units[] = {
    { "平定县人民政府", 4, 4, 1 }, { "盂县人民政府", 3, 1, 1 }, { "市住建局", 1, 1, 1 },
}, counties[] = {
    { "平定县", 4, 4, 1 }, { "盂县", 3, 1, 1 }, { "", 1, 1, 1 },
};

static void
add_rows(struct lfx *f)
{
    for (size_t i = 0; i < EW_ARRAY_LEN(rows); i++) {
        struct ew_ledger_item it;
        struct ew_ledger_event ev = { .action = "import", .actor = "t", .role = "operator" };
        ew_ledger_item_init(&it, rows[i].kind);
        snprintf(it.title, sizeof(it.title), "item %zu", i);
        snprintf(it.unit, sizeof(it.unit), "%s", rows[i].unit);
        snprintf(it.county, sizeof(it.county), "%s", rows[i].county);
        snprintf(it.coop_units, sizeof(it.coop_units), "%s", rows[i].coop);
        it.state = rows[i].state;
        it.overdue = rows[i].overdue;
        it.closed_unix_s = rows[i].closed ? lfx_t(2019, 3, 1, 12, 0) : 0;
        ev.to_state = it.state;
        assert_int_equal(EW_OK, ew_store_ledger_item_add(f->s, &it, &ev));
    }
}

static void
same(const struct want *w, size_t n, const struct ew_ledger_tally *got, size_t n_got)
{
    assert_int_equal(n, n_got);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(w[i].name, got[i].name) != 0 || w[i].n != got[i].n ||
            w[i].open != got[i].open || w[i].overdue != got[i].overdue)
            fail_msg("group %zu: got %s %lld/%lld/%lld, want %s %lld/%lld/%lld", i,
                     got[i].name, (long long)got[i].n, (long long)got[i].open,
                     (long long)got[i].overdue, w[i].name, (long long)w[i].n,
                     (long long)w[i].open, (long long)w[i].overdue);
    }
}

static void
every_group_is_counted(void **state)
{
    struct lfx *f = *state;
    struct ew_ledger_query q = { .overdue = -1, .open = -1, .limit = 2, .offset = 5 };
    struct ew_ledger_counts c;

    add_rows(f);
    assert_int_equal(EW_OK, ew_ledger_counts(f->s, &q, &c));    /* paging is ignored */
    assert_int_equal(8, c.total);
    assert_int_equal(6, c.open);
    assert_int_equal(3, c.overdue);
    same(kinds, EW_ARRAY_LEN(kinds), c.by[EW_LEDGER_BY_KIND], c.n_by[EW_LEDGER_BY_KIND]);
    same(states, EW_ARRAY_LEN(states), c.by[EW_LEDGER_BY_STATE], c.n_by[EW_LEDGER_BY_STATE]);
    same(units, EW_ARRAY_LEN(units), c.by[EW_LEDGER_BY_UNIT], c.n_by[EW_LEDGER_BY_UNIT]);
    same(counties, EW_ARRAY_LEN(counties), c.by[EW_LEDGER_BY_COUNTY],
         c.n_by[EW_LEDGER_BY_COUNTY]);
    assert_int_equal(EW_LEDGER_COMPLAINT, c.by[EW_LEDGER_BY_STATE][4].kind);
    assert_int_equal(EW_LEDGER_ST_CLOSED, c.by[EW_LEDGER_BY_STATE][4].state);
    ew_ledger_counts_fini(&c);
    assert_null(c.by[EW_LEDGER_BY_UNIT]);
}

static void
the_filter_of_the_list_applies(void **state)
{
    struct lfx *f = *state;
    struct ew_ledger_query q = { .overdue = 1, .open = -1, .county = "盂县" };
    static const struct want one[] = { { "complaint", 1, 1, 1 } };
    static const struct want none[] = { { "", 0, 0, 0 } };
    struct ew_ledger_counts c;

    add_rows(f);
    assert_int_equal(EW_OK, ew_ledger_counts(f->s, &q, &c));
    assert_int_equal(1, c.total);
    same(one, 1, c.by[EW_LEDGER_BY_KIND], c.n_by[EW_LEDGER_BY_KIND]);
    ew_ledger_counts_fini(&c);
    q.county = "郊区";
    assert_int_equal(EW_OK, ew_ledger_counts(f->s, &q, &c));
    assert_int_equal(0, c.total);
    same(none, 0, c.by[EW_LEDGER_BY_UNIT], c.n_by[EW_LEDGER_BY_UNIT]);
    ew_ledger_counts_fini(&c);
    q.overdue = 2;                          /* a bad query is the store's EW_EINVAL */
    assert_int_equal(EW_EINVAL, ew_ledger_counts(f->s, &q, &c));
    assert_int_equal(EW_EINVAL, ew_ledger_counts(NULL, &q, &c));
}

/* An officer of 平定县人民政府 counts its own items and those it cooperates on. */
static void
a_scope_counts_only_what_it_may_see(void **state)
{
    struct lfx *f = *state;
    struct ew_store_scope sc = { .unit = "平定县人民政府", .personal = 0 };
    struct ew_ledger_query q = { .overdue = -1, .open = -1 };
    static const struct want mine[] = { { "平定县人民政府", 4, 4, 1 }, { "市住建局", 1, 1, 1 } };
    struct ew_ledger_counts c;

    add_rows(f);
    assert_int_equal(EW_OK, ew_store_scope_set(f->s, &sc));
    assert_int_equal(EW_OK, ew_ledger_counts(f->s, &q, &c));
    ew_store_scope_set(f->s, NULL);
    assert_int_equal(5, c.total);
    same(mine, EW_ARRAY_LEN(mine), c.by[EW_LEDGER_BY_UNIT], c.n_by[EW_LEDGER_BY_UNIT]);
    ew_ledger_counts_fini(&c);
}

static void
json_carries_every_group(void **state)
{
    struct lfx *f = *state;
    struct ew_ledger_query q = { .overdue = -1, .open = -1 };
    struct ew_ledger_counts c;
    struct ew_buf b;
    cJSON *j, *st;

    add_rows(f);
    assert_int_equal(EW_OK, ew_ledger_counts(f->s, &q, &c));
    ew_buf_init(&b, 0);
    assert_int_equal(EW_OK, ew_ledger_counts_json(&b, &c));
    ew_ledger_counts_fini(&c);
    assert_non_null(j = cJSON_Parse(b.ptr));
    ew_buf_fini(&b);
    assert_int_equal(8, cJSON_GetObjectItem(j, "total")->valueint);
    assert_int_equal(4, cJSON_GetArraySize(cJSON_GetObjectItem(j, "kinds")));
    assert_int_equal(7, cJSON_GetArraySize(st = cJSON_GetObjectItem(j, "states")));
    /* a complaint's closed state is 归档 (its kind's label), a task's 已完成 */
    assert_string_equal("已完成", cJSON_GetObjectItem(cJSON_GetArrayItem(st, 1), "label")
                                    ->valuestring);
    assert_string_equal("complaint", cJSON_GetObjectItem(cJSON_GetArrayItem(st, 4), "kind")
                                         ->valuestring);
    assert_string_equal("归档", cJSON_GetObjectItem(cJSON_GetArrayItem(st, 4), "label")
                                  ->valuestring);
    assert_string_equal("平定县人民政府",
                        cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "units"),
                                                               0), "unit")->valuestring);
    assert_int_equal(3, cJSON_GetArraySize(cJSON_GetObjectItem(j, "counties")));
    cJSON_Delete(j);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(every_group_is_counted, lfx_setup, lfx_teardown),
        cmocka_unit_test_setup_teardown(the_filter_of_the_list_applies, lfx_setup,
                                        lfx_teardown),
        cmocka_unit_test_setup_teardown(a_scope_counts_only_what_it_may_see, lfx_setup,
                                        lfx_teardown),
        cmocka_unit_test_setup_teardown(json_carries_every_group, lfx_setup, lfx_teardown),
    };
    return cmocka_run_group_tests_name("ledger/counts", tests, NULL, NULL);
}
