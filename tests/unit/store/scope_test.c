/* SPDX-License-Identifier: MIT */
/*
 * src/store/scope.c: a handle with a caller's scope answers only what the scope covers
 * (points, readings, latest values, alarms, ledger items and their history) and masks the
 * identity of complainants for every scope but the one that may see it. The store of each
 * test: two counties (盂县, 郊区), one enterprise in 盂县, alarms and ledger items of both.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <envwatch/auth.h>
#include <envwatch/emission.h>
#include <envwatch/ledger.h>

#include "store/auth_internal.h"
#include "store/backend.h"
#include "unit/store/fixture.h"
#include "util/buf.h"

struct world {
    struct fx fx;
    struct ew_store *ro;                /* a read-only handle, like an HTTP thread's */
    int64_t yx_air, yx_plant, jq_air;   /* point ids */
    int64_t yx_alarm, jq_alarm;
    int64_t yx_item, jq_item, unit_item, complaint;
};

static int64_t
add_point(struct ew_store *s, const char *mn, const char *county, const char *site)
{
    struct ew_point p = fx_point(mn, "air");

    snprintf(p.county, sizeof(p.county), "%s", county);
    snprintf(p.site, sizeof(p.site), "%s", site);
    return ew_store_point_put(s, &p) == EW_OK ? p.id : 0;
}

static int64_t
add_alarm(struct ew_store *s, int64_t point_id)
{
    struct ew_alarm a = { .point_id = point_id, .kind = EW_ALARM_EXCEED, .active = 1,
                          .start_unix_s = fx_t(2024, 1, 1, 8, 0), .end_unix_s = 0,
                          .peak = 1, .limit = 1, .multiple = 1, .count = 1, .opened_ms = 1,
                          .last_seen_ms = 1 };
    struct ew_alarm_step st = { EW_ALARM_STATE_OPEN, "system", 1, "" };

    snprintf(a.factor, sizeof(a.factor), "a21026");
    return ew_store_alarm_open(s, &a, &st) == EW_OK ? a.id : 0;
}

static int64_t
add_item(struct ew_store *s, int kind, const char *county, const char *unit, const char *coop,
         const char *extra, const char *body)
{
    static struct ew_ledger_item it;
    struct ew_ledger_event ev = { .at_ms = 1 };

    ew_ledger_item_init(&it, kind);
    snprintf(it.title, sizeof(it.title), "item of %s", county);
    snprintf(it.county, sizeof(it.county), "%s", county);
    snprintf(it.unit, sizeof(it.unit), "%s", unit);
    snprintf(it.coop_units, sizeof(it.coop_units), "%s", coop);
    snprintf(it.extra, sizeof(it.extra), "%s", extra);
    snprintf(it.body, sizeof(it.body), "%s", body);
    it.opened_unix_s = it.updated_unix_s = fx_t(2024, 1, 1, 8, 0);
    snprintf(ev.action, sizeof(ev.action), "register");
    snprintf(ev.actor, sizeof(ev.actor), "operator");
    snprintf(ev.note, sizeof(ev.note), "called back 13912345678");
    return ew_store_ledger_item_add(s, &it, &ev) == EW_OK ? it.id : 0;
}

static int
setup(void **state)
{
    struct world *w = calloc(1, sizeof(*w));
    struct ew_reading r;
    int ins;
    void *fx;

    if (w == NULL || fx_setup(&fx) != 0)
        return -1;
    w->fx = *(struct fx *)fx;
    free(fx);
    w->yx_air = add_point(w->fx.s, "YX-AIR", "盂县", "盂县监测站");
    w->yx_plant = add_point(w->fx.s, "YX-PLANT", "盂县", "阳泉某电厂");
    w->jq_air = add_point(w->fx.s, "JQ-AIR", "郊区", "郊区监测站");
    for (int64_t id = w->yx_air; id <= w->jq_air; id++) {
        r = fx_reading(id, EW_KIND_HOUR, fx_t(2024, 1, 1, 8, 0), "a21026", 10.0 * id);
        ew_store_reading_put(w->fx.s, &r, &ins);
    }
    w->yx_alarm = add_alarm(w->fx.s, w->yx_plant);
    w->jq_alarm = add_alarm(w->fx.s, w->jq_air);
    w->yx_item = add_item(w->fx.s, EW_LEDGER_TASK, "盂县", "盂县政府", "", "{}", "");
    w->jq_item = add_item(w->fx.s, EW_LEDGER_TASK, "郊区", "郊区政府", "", "{}", "");
    w->unit_item = add_item(w->fx.s, EW_LEDGER_TASK, "郊区", "市住建局", "市交通局、市水务局",
                            "{}", "");
    w->complaint = add_item(w->fx.s, EW_LEDGER_COMPLAINT, "盂县", "盂县政府", "",
                            "{\"complainant\":\"王小明\",\"complainant_phone\":\"13912345678\","
                            "\"channel\":\"12369\"}",
                            "噪声扰民, 联系电话13912345678");
    if (!w->yx_air || !w->jq_air || !w->yx_alarm || !w->jq_alarm || !w->yx_item ||
        !w->complaint || ew_store_open(w->fx.dir, EW_STORE_RDONLY, &w->ro) != EW_OK)
        return -1;
    *state = w;
    return 0;
}

static int
teardown(void **state)
{
    struct world *w = *state;
    struct fx *fx = malloc(sizeof(*fx));
    void *p = fx;

    ew_store_close(w->ro);
    *fx = w->fx;
    free(w);
    return fx_teardown(&p);
}

static void
scope(struct ew_store *s, const char *county, const char *unit, const char *ent, int personal)
{
    struct ew_store_scope sc = { .personal = personal };

    snprintf(sc.county, sizeof(sc.county), "%s", county);
    snprintf(sc.unit, sizeof(sc.unit), "%s", unit);
    snprintf(sc.enterprise, sizeof(sc.enterprise), "%s", ent);
    assert_int_equal(EW_OK, ew_store_scope_set(s, &sc));
}

static int
count_point(void *ctx, const struct ew_point *p)
{
    (void)p;
    (*(int *)ctx)++;
    return 0;
}

static int
count_reading(void *ctx, const struct ew_reading *r)
{
    (void)r;
    (*(int *)ctx)++;
    return 0;
}

static int
count_alarm(void *ctx, const struct ew_alarm *a)
{
    (void)a;
    (*(int *)ctx)++;
    return 0;
}

static void
a_county_officer_sees_its_county_points_and_data_only(void **state)
{
    struct world *w = *state;
    struct ew_reading_query q = { .point_id = w->jq_air, .kind = EW_KIND_HOUR };
    struct ew_point p;
    struct ew_alarm a;
    int n = 0;

    scope(w->ro, "盂县", "", "", 0);
    assert_int_equal(EW_OK, ew_store_point_each(w->ro, count_point, &n));
    assert_int_equal(2, n);
    assert_int_equal(EW_OK, ew_store_point_get(w->ro, "YX-AIR", &p));
    assert_int_equal(EW_ENOTFOUND, ew_store_point_get(w->ro, "JQ-AIR", &p));
    n = 0;
    assert_int_equal(EW_OK, ew_store_reading_each(w->ro, &q, count_reading, &n));
    assert_int_equal(0, n);                     /* another county's readings: nothing */
    q.point_id = w->yx_air;
    assert_int_equal(EW_OK, ew_store_reading_each(w->ro, &q, count_reading, &n));
    assert_int_equal(1, n);
    n = 0;
    assert_int_equal(EW_OK, ew_store_latest_each(w->ro, 0, count_reading, &n));
    assert_int_equal(2, n);
    assert_int_equal(EW_OK, ew_store_alarm_get(w->ro, w->yx_alarm, &a));
    assert_int_equal(EW_ENOTFOUND, ew_store_alarm_get(w->ro, w->jq_alarm, &a));
    n = 0;
    assert_int_equal(EW_OK, ew_store_alarm_each(w->ro, &(struct ew_alarm_query){ 0 },
                                                count_alarm, &n));
    assert_int_equal(1, n);
    /* cleared, the handle sees everything again */
    assert_int_equal(EW_OK, ew_store_scope_set(w->ro, NULL));
    n = 0;
    assert_int_equal(EW_OK, ew_store_point_each(w->ro, count_point, &n));
    assert_int_equal(3, n);
}

static void
an_enterprise_sees_its_own_points_and_alarms_only(void **state)
{
    struct world *w = *state;
    struct ew_point p;
    struct ew_alarm a;
    int n = 0;

    scope(w->ro, "", "", "阳泉某电厂", 0);
    assert_int_equal(EW_OK, ew_store_point_each(w->ro, count_point, &n));
    assert_int_equal(1, n);
    assert_int_equal(EW_ENOTFOUND, ew_store_point_get(w->ro, "YX-AIR", &p));
    assert_int_equal(EW_OK, ew_store_alarm_get(w->ro, w->yx_alarm, &a));
    assert_int_equal(EW_ENOTFOUND, ew_store_alarm_find(w->ro, w->jq_air, EW_ALARM_EXCEED,
                                                      "a21026", &a));
}

static int
collect_item(void *ctx, const struct ew_ledger_item *it)
{
    struct ew_buf *b = ctx;

    return ew_buf_printf(b, "%lld:%s:%s;", (long long)it->id, it->county, it->extra);
}

static void
ledger_items_follow_county_and_unit(void **state)
{
    struct world *w = *state;
    struct ew_ledger_query q = { .overdue = -1, .open = -1 };
    struct ew_ledger_item it;
    struct ew_buf b;
    int64_t n = -1;

    ew_buf_init(&b, 0);
    scope(w->ro, "盂县", "", "", 0);
    assert_int_equal(EW_OK, ew_store_ledger_item_count(w->ro, &q, &n));
    assert_int_equal(2, n);
    assert_int_equal(EW_ENOTFOUND, ew_store_ledger_item_get(w->ro, w->jq_item, &it));
    q.county = "郊区";                         /* asking for another county gives nothing */
    assert_int_equal(EW_OK, ew_store_ledger_item_each(w->ro, &q, collect_item, &b));
    assert_true(b.len == 0);
    q.county = NULL;
    scope(w->ro, "", "市水务局", "", 0);       /* a department: a cooperating unit */
    assert_int_equal(EW_OK, ew_store_ledger_item_count(w->ro, &q, &n));
    assert_int_equal(1, n);
    assert_int_equal(EW_OK, ew_store_ledger_item_get(w->ro, w->unit_item, &it));
    scope(w->ro, "", "市水务", "", 0);         /* a prefix of a unit is not the unit */
    assert_int_equal(EW_OK, ew_store_ledger_item_count(w->ro, &q, &n));
    assert_int_equal(0, n);
    ew_buf_fini(&b);
}

static void
limit_and_offset_count_what_the_scope_lets_through(void **state)
{
    struct world *w = *state;
    struct ew_ledger_query q = { .overdue = -1, .open = -1, .limit = 1, .offset = 1 };
    struct ew_buf b;

    ew_buf_init(&b, 0);
    scope(w->ro, "盂县", "", "", 1);
    assert_int_equal(EW_OK, ew_store_ledger_item_each(w->ro, &q, collect_item, &b));
    /* the second of the county's two items, though it is the fourth of the store */
    assert_non_null(b.ptr);
    assert_int_equal(w->complaint, strtoll(b.ptr, NULL, 10));
    assert_null(strchr(strchr(b.ptr, ';') + 1, ';'));
    ew_buf_fini(&b);
}

static int
collect_note(void *ctx, const struct ew_ledger_event *ev)
{
    return ew_buf_adds(ctx, ev->note);
}

static void
complainants_are_masked_unless_the_scope_may_see_them(void **state)
{
    struct world *w = *state;
    struct ew_ledger_item it;
    struct ew_buf b;

    ew_buf_init(&b, 0);
    scope(w->ro, "", "", "", 0);               /* a leader: everything, but no identity */
    assert_int_equal(EW_OK, ew_store_ledger_item_get(w->ro, w->complaint, &it));
    assert_null(strstr(it.extra, "王小明"));
    assert_non_null(strstr(it.extra, "王**"));
    assert_non_null(strstr(it.extra, "139****5678"));
    assert_non_null(strstr(it.extra, "12369"));                 /* not personal: kept */
    assert_null(strstr(it.body, "13912345678"));
    assert_int_equal(EW_OK, ew_store_ledger_event_each(w->ro, w->complaint, collect_note, &b));
    assert_string_equal("called back 139****5678", b.ptr);
    scope(w->ro, "", "", "", 1);               /* the monitoring centre */
    assert_int_equal(EW_OK, ew_store_ledger_item_get(w->ro, w->complaint, &it));
    assert_non_null(strstr(it.extra, "王小明"));
    assert_int_equal(EW_OK, ew_store_scope_set(w->ro, NULL));  /* the CLI and writer */
    assert_int_equal(EW_OK, ew_store_ledger_item_get(w->ro, w->complaint, &it));
    assert_non_null(strstr(it.body, "13912345678"));
    ew_buf_fini(&b);
}

static void
history_of_an_item_outside_the_scope_is_empty(void **state)
{
    struct world *w = *state;
    struct ew_buf b;

    ew_buf_init(&b, 0);
    scope(w->ro, "郊区", "", "", 1);
    assert_int_equal(EW_OK, ew_store_ledger_event_each(w->ro, w->complaint, collect_note, &b));
    assert_true(b.len == 0);
    ew_buf_fini(&b);
}

/* ---- evidence files: who may download a content ------------------------------------------ */

#define SHARED "1111111111111111111111111111111111111111111111111111111111111111"
#define JQ_ONLY "2222222222222222222222222222222222222222222222222222222222222222"
#define NOWHERE "3333333333333333333333333333333333333333333333333333333333333333"

static void
attach(struct ew_store *s, int64_t item_id, const char *sha256)
{
    struct ew_ledger_file f = { .item_id = item_id, .size = 5, .at_ms = 1 };

    snprintf(f.sha256, sizeof(f.sha256), "%s", sha256);
    snprintf(f.name, sizeof(f.name), "photo.jpg");
    snprintf(f.mime, sizeof(f.mime), "image/jpeg");
    snprintf(f.actor, sizeof(f.actor), "operator");
    assert_int_equal(EW_OK, ew_store_ledger_file_add(s, &f));
}

/* Which item's record a scope gets for a content (0: EW_ENOTFOUND), by the backend's query
 * and by the walk through the items, which must agree. */
static int64_t
found_on(struct world *w, const struct ew_store_scope *sc, const char *sha256, int query)
{
    struct ew__scope *x = NULL;
    struct ew_store_backend be;
    struct ew_ledger_file f = { .item_id = -1 };
    void *ctx;
    int rc;

    be = *ew__store_backend(w->ro, &ctx);
    be.ledger_file_find = query ? ew__sqlite_ledger_file_find : NULL;
    if (sc != NULL)
        assert_int_equal(EW_OK, ew__scope_create(sc, &x));
    rc = ew__scope_ledger_file_find(x, &be, ctx, sha256, &f);
    ew__scope_free(x);
    if (rc == EW_ENOTFOUND) {
        assert_int_equal(-1, f.item_id);        /* not written on failure */
        return 0;
    }
    assert_int_equal(EW_OK, rc);
    assert_string_equal(sha256, f.sha256);
    return f.item_id;
}

static void
evidence_is_found_only_on_items_the_scope_covers(void **state)
{
    struct world *w = *state;
    const int64_t yx = w->yx_item, jq = w->jq_item, unit = w->unit_item;
    const struct {
        const char *county, *unit, *enterprise, *sha256;
        int64_t     want;                       /* the item whose record comes back; 0 none */
    } cases[] = {
        { "盂县", "", "", SHARED, yx },          /* also on 郊区's unit item: its own wins */
        { "盂县", "", "", JQ_ONLY, 0 },          /* another county's evidence */
        { "郊区", "", "", SHARED, unit },
        { "郊区", "", "", JQ_ONLY, jq },
        { "", "市水务局", "", SHARED, unit },     /* a cooperating unit's department */
        { "", "市水务局", "", JQ_ONLY, 0 },
        { "郊区", "郊区政府", "", SHARED, 0 },   /* both must match: not its unit's item */
        { "", "", "阳泉某电厂", SHARED, 0 },     /* no item names the enterprise */
        { "", "", "", SHARED, yx },              /* leaders: the first record, by id */
        { "", "", "", NOWHERE, 0 },              /* attached nowhere */
    };

    attach(w->fx.s, w->yx_item, SHARED);
    attach(w->fx.s, w->unit_item, SHARED);
    attach(w->fx.s, w->jq_item, JQ_ONLY);
    for (size_t i = 0; i < EW_ARRAY_LEN(cases); i++) {
        struct ew_store_scope sc = { .personal = 0 };
        snprintf(sc.county, sizeof(sc.county), "%s", cases[i].county);
        snprintf(sc.unit, sizeof(sc.unit), "%s", cases[i].unit);
        snprintf(sc.enterprise, sizeof(sc.enterprise), "%s", cases[i].enterprise);
        for (int query = 0; query <= 1; query++) {
            int64_t got = found_on(w, &sc, cases[i].sha256, query);
            if (got != cases[i].want)
                fail_msg("case %zu (%s/%s/%s, query %d): item %lld, want %lld", i,
                         cases[i].county, cases[i].unit, cases[i].enterprise, query,
                         (long long)got, (long long)cases[i].want);
        }
    }
    /* without a scope at all (the CLI, the writer) */
    assert_int_equal(jq, found_on(w, NULL, JQ_ONLY, 1));
    assert_int_equal(jq, found_on(w, NULL, JQ_ONLY, 0));
}

static void
the_store_function_applies_the_handle_scope(void **state)
{
    struct world *w = *state;
    struct ew_ledger_file f = { .item_id = -1 };

    attach(w->fx.s, w->jq_item, JQ_ONLY);
    scope(w->ro, "盂县", "", "", 1);
    assert_int_equal(EW_ENOTFOUND, ew_store_ledger_file_find(w->ro, JQ_ONLY, &f));
    scope(w->ro, "郊区", "", "", 0);
    assert_int_equal(EW_OK, ew_store_ledger_file_find(w->ro, JQ_ONLY, &f));
    assert_int_equal(w->jq_item, f.item_id);
    assert_string_equal("photo.jpg", f.name);
    f.item_id = -1;
    assert_int_equal(EW_EINVAL, ew_store_ledger_file_find(w->ro, "../../etc/passwd", &f));
    assert_int_equal(EW_EINVAL, ew_store_ledger_file_find(w->ro, JQ_ONLY "0", &f));
    assert_int_equal(EW_EINVAL, ew_store_ledger_file_find(w->ro, "2222222222222222222222222222"
                                                          "22222222222222222222222222222222222A",
                                                          &f));
    assert_int_equal(-1, f.item_id);
}

static int
count_file(void *ctx, const struct ew_ledger_file *f)
{
    (void)f;
    (*(int *)ctx)++;
    return 0;
}

static void
the_backend_query_lists_every_record_of_a_content(void **state)
{
    struct world *w = *state;
    void *ctx;
    int n = 0;

    attach(w->fx.s, w->yx_item, SHARED);
    attach(w->fx.s, w->unit_item, SHARED);
    ew__store_backend(w->ro, &ctx);
    assert_int_equal(EW_OK, ew__sqlite_ledger_file_find(ctx, SHARED, count_file, &n));
    assert_int_equal(2, n);
    n = 0;
    assert_int_equal(EW_OK, ew__sqlite_ledger_file_find(ctx, NOWHERE, count_file, &n));
    assert_int_equal(0, n);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_county_officer_sees_its_county_points_and_data_only,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(an_enterprise_sees_its_own_points_and_alarms_only, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(ledger_items_follow_county_and_unit, setup, teardown),
        cmocka_unit_test_setup_teardown(limit_and_offset_count_what_the_scope_lets_through,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(complainants_are_masked_unless_the_scope_may_see_them,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(history_of_an_item_outside_the_scope_is_empty, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(evidence_is_found_only_on_items_the_scope_covers, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(the_store_function_applies_the_handle_scope, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(the_backend_query_lists_every_record_of_a_content,
                                        setup, teardown),
    };
    return cmocka_run_group_tests_name("store/scope", tests, NULL, NULL);
}
