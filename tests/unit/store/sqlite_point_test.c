/* SPDX-License-Identifier: MIT */
/* src/store/sqlite_point.c: the registry and the pending instruments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "unit/store/fixture.h"

static void
point_round_trips_every_field(void **state)
{
    struct fx *f = *state;
    struct ew_point p = fx_point("010000A8900016F000169DC0", "flue"), got;

    snprintf(p.pw, sizeof(p.pw), "654321");
    snprintf(p.name, sizeof(p.name), "阳煤 1号 脱硫出口");
    snprintf(p.site, sizeof(p.site), "阳煤集团 二电厂");
    snprintf(p.county, sizeof(p.county), "矿区");
    snprintf(p.extra, sizeof(p.extra), "{\"st\":\"31\"}");
    p.lat = 37.857;
    p.lon = 113.569;
    p.created_unix_s = 1700000000;
    assert_int_equal(EW_OK, ew_store_point_put(f->s, &p));
    assert_true(p.id > 0);
    assert_int_equal(EW_OK, ew_store_point_get(f->s, p.mn, &got));
    assert_int_equal(p.id, got.id);
    assert_string_equal(p.mn, got.mn);
    assert_string_equal("654321", got.pw);
    assert_string_equal(p.name, got.name);
    assert_string_equal("flue", got.kind);
    assert_string_equal(p.site, got.site);
    assert_string_equal("矿区", got.county);
    assert_string_equal(p.extra, got.extra);
    assert_true(got.lat == 37.857 && got.lon == 113.569);
    assert_int_equal(1700000000, got.created_unix_s);
}

static void
unknown_coordinates_stay_unknown(void **state)
{
    struct fx *f = *state;
    struct ew_point p = fx_point("M1", "water"), got;

    p.extra[0] = '\0';
    assert_int_equal(EW_OK, ew_store_point_put(f->s, &p));
    assert_int_equal(EW_OK, ew_store_point_get(f->s, "M1", &got));
    assert_true(isnan(got.lat) && isnan(got.lon));
    assert_string_equal("{}", got.extra);
    assert_true(got.created_unix_s > 1700000000);      /* stamped now when not given */
}

static void
put_is_an_upsert_by_mn(void **state)
{
    struct fx *f = *state;
    struct ew_point p = fx_point("M1", "air"), got;
    int64_t id;

    assert_int_equal(EW_OK, ew_store_point_put(f->s, &p));
    id = p.id;
    snprintf(p.pw, sizeof(p.pw), "new-pw");
    snprintf(p.kind, sizeof(p.kind), "dust");
    p.id = 0;
    assert_int_equal(EW_OK, ew_store_point_put(f->s, &p));
    assert_int_equal(id, p.id);
    assert_int_equal(EW_OK, ew_store_point_get(f->s, "M1", &got));
    assert_string_equal("new-pw", got.pw);
    assert_string_equal("dust", got.kind);
}

static void
bad_point_is_refused_and_nothing_stored(void **state)
{
    struct fx *f = *state;
    struct ew_point p = fx_point("M1", "noise"), got;

    assert_int_equal(EW_EINVAL, ew_store_point_put(f->s, &p));
    assert_non_null(strstr(ew_store_errmsg(f->s), "kind"));
    assert_int_equal(0, p.id);
    assert_int_equal(EW_ENOTFOUND, ew_store_point_get(f->s, "M1", &got));
}

static int
collect_mn(void *ctx, const struct ew_point *p)
{
    char *out = ctx;
    size_t n = strlen(out);

    snprintf(out + n, 128 - n, "%s ", p->mn);  /* out is char[128] */
    return 0;
}

static void
points_are_listed_by_mn_without_removed_ones(void **state)
{
    struct fx *f = *state;
    char got[128] = "";
    struct ew_point out;

    memset(&out, 0x5A, sizeof(out));
    assert_int_not_equal(0, fx_add_point(f->s, "C3"));
    assert_int_not_equal(0, fx_add_point(f->s, "A1"));
    assert_int_not_equal(0, fx_add_point(f->s, "B2"));
    assert_int_equal(EW_OK, ew_store_point_remove(f->s, "B2"));
    assert_int_equal(EW_ENOTFOUND, ew_store_point_remove(f->s, "B2"));
    assert_non_null(strstr(ew_store_errmsg(f->s), "B2"));
    assert_int_equal(EW_ENOTFOUND, ew_store_point_get(f->s, "B2", &out));
    assert_int_equal(0x5A5A5A5A5A5A5A5A, out.id);          /* out untouched on error */
    assert_int_equal(EW_OK, ew_store_point_each(f->s, collect_mn, got));
    assert_string_equal("A1 C3 ", got);
}

static int
collect_pending(void *ctx, const struct ew_pending *p)
{
    struct ew_pending *v = ctx;

    for (int i = 0; i < 4; i++) {
        if (v[i].mn[0] == '\0') {
            v[i] = *p;
            break;
        }
    }
    return 0;
}

static void
pending_counts_packets_and_keeps_first_and_last(void **state)
{
    struct fx *f = *state;
    struct ew_pending got[4];

    memset(got, 0, sizeof(got));
    assert_int_equal(EW_OK, ew_store_pending_touch(f->s, "X1", "22", "10.0.0.1:4000", 5000));
    assert_int_equal(EW_OK, ew_store_pending_touch(f->s, "X1", "", "", 9000));
    assert_int_equal(EW_OK, ew_store_pending_touch(f->s, "X1", "22", "10.0.0.2:4001", 7000));
    assert_int_equal(EW_OK, ew_store_pending_touch(f->s, "X2", "32", "10.0.0.3:1", 8000));
    assert_int_equal(EW_OK, ew_store_pending_each(f->s, collect_pending, got));
    /* Most recent first. */
    assert_string_equal("X1", got[0].mn);
    assert_int_equal(3, got[0].packets);
    assert_int_equal(5000, got[0].first_ms);
    assert_int_equal(9000, got[0].last_ms);
    assert_string_equal("10.0.0.2:4001", got[0].peer);
    assert_string_equal("22", got[0].st);
    assert_string_equal("X2", got[1].mn);
    assert_string_equal("", got[2].mn);
    assert_int_equal(EW_OK, ew_store_pending_remove(f->s, "X2"));
    assert_int_equal(EW_ENOTFOUND, ew_store_pending_remove(f->s, "X2"));
}

static void
approve_turns_pending_into_a_point_in_one_step(void **state)
{
    struct fx *f = *state;
    struct ew_point p = fx_point("X1", "wastewater"), got;
    struct ew_pending left[4];

    memset(left, 0, sizeof(left));
    /* Not pending: refused, and no point appears. */
    assert_int_equal(EW_ENOTFOUND, ew_store_pending_approve(f->s, &p));
    assert_int_equal(EW_ENOTFOUND, ew_store_point_get(f->s, "X1", &got));
    assert_int_equal(EW_OK, ew_store_pending_touch(f->s, "X1", "32", "10.0.0.1:1", 1000));
    /* A bad point is refused and the instrument stays pending. */
    snprintf(p.kind, sizeof(p.kind), "river");
    assert_int_equal(EW_EINVAL, ew_store_pending_approve(f->s, &p));
    snprintf(p.kind, sizeof(p.kind), "wastewater");
    assert_int_equal(EW_OK, ew_store_pending_approve(f->s, &p));
    assert_true(p.id > 0);
    assert_int_equal(EW_OK, ew_store_point_get(f->s, "X1", &got));
    assert_int_equal(EW_OK, ew_store_pending_each(f->s, collect_pending, left));
    assert_string_equal("", left[0].mn);
}

static void
approve_inside_a_batch_undoes_only_itself(void **state)
{
    struct fx *f = *state;
    struct ew_point p = fx_point("X9", "air"), got;

    assert_int_equal(EW_OK, ew_store_begin(f->s));
    assert_int_not_equal(0, fx_add_point(f->s, "M1"));
    assert_int_equal(EW_ENOTFOUND, ew_store_pending_approve(f->s, &p));
    assert_int_equal(EW_OK, ew_store_commit(f->s));
    assert_int_equal(EW_OK, ew_store_point_get(f->s, "M1", &got));
    assert_int_equal(EW_ENOTFOUND, ew_store_point_get(f->s, "X9", &got));
}

static void
pending_list_is_bounded(void **state)
{
    struct fx *f = *state;
    char mn[16];

    assert_int_equal(EW_OK, ew_store_begin(f->s));
    for (int i = 0; i < EW_STORE_PENDING_MAX; i++) {
        snprintf(mn, sizeof(mn), "F%07d", i);
        assert_int_equal(EW_OK, ew_store_pending_touch(f->s, mn, "", "", i));
    }
    assert_int_equal(EW_ETOOBIG, ew_store_pending_touch(f->s, "ONE-MORE", "", "", 1));
    /* Known MNs are still counted. */
    assert_int_equal(EW_OK, ew_store_pending_touch(f->s, "F0000001", "", "", 2));
    assert_int_equal(EW_OK, ew_store_commit(f->s));
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)
    const struct CMUnitTest tests[] = {
        T(point_round_trips_every_field),
        T(unknown_coordinates_stay_unknown),
        T(put_is_an_upsert_by_mn),
        T(bad_point_is_refused_and_nothing_stored),
        T(points_are_listed_by_mn_without_removed_ones),
        T(pending_counts_packets_and_keeps_first_and_last),
        T(approve_turns_pending_into_a_point_in_one_step),
        T(approve_inside_a_batch_undoes_only_itself),
        T(pending_list_is_bounded),
    };
#undef T
    return cmocka_run_group_tests_name("store/sqlite_point", tests, NULL, NULL);
}
