/* SPDX-License-Identifier: MIT */
/*
 * src/store/sqlite_reading.c: idempotent readings, latest values, range queries over month
 * tables, retention; packed rows merged across batches, the first layout converted, a
 * damaged row reported.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "unit/store/fixture.h"

#define MAX_GOT 64

struct got {
    struct ew_store *s;                 /* for callbacks that write */
    size_t n;
    struct ew_reading r[MAX_GOT];
};

static int
collect(void *ctx, const struct ew_reading *r)
{
    struct got *g = ctx;

    if (g->n < MAX_GOT)
        g->r[g->n] = *r;
    g->n++;
    return 0;
}

static struct got
query(struct ew_store *s, int64_t point, int kind, int64_t from, int64_t to,
      const char *factor, size_t limit)
{
    struct ew_reading_query q = { .point_id = point, .kind = kind, .from_unix_s = from,
                                  .to_unix_s = to, .factor = factor, .limit = limit };
    struct got g = { 0 };

    assert_int_equal(EW_OK, ew_store_reading_each(s, &q, collect, &g));
    return g;
}

static int
put(struct ew_store *s, struct ew_reading r)
{
    int inserted = -1;

    assert_int_equal(EW_OK, ew_store_reading_put(s, &r, &inserted));
    return inserted;
}

static void
same_reading_twice_is_stored_once(void **state)
{
    struct fx *f = *state;
    int64_t id = fx_add_point(f->s, "M1"), t = fx_t(2024, 5, 6, 14, 0);
    struct ew_reading r = fx_reading(id, EW_KIND_HOUR, t, "a34004", 35.0), again = r;
    struct got g;

    r.min = 30.0;
    r.max = 41.5;
    r.cou = NAN;
    memcpy(r.flag, "N", 2);
    assert_int_equal(1, put(f->s, r));
    assert_int_equal(0, put(f->s, r));
    again.value = 99.0;                 /* a re-send with other values changes nothing */
    assert_int_equal(0, put(f->s, again));
    g = query(f->s, id, EW_KIND_HOUR, t, t, NULL, 0);
    assert_int_equal(1, g.n);
    assert_true(g.r[0].value == 35.0 && g.r[0].min == 30.0 && g.r[0].max == 41.5);
    assert_true(isnan(g.r[0].cou) && isnan(g.r[0].zs));
    assert_string_equal("N", g.r[0].flag);
    assert_string_equal("a34004", g.r[0].factor);
    assert_int_equal(t, g.r[0].t_unix_s);
    /* The key includes the kind: the same instant as minute data is another reading. */
    assert_int_equal(1, put(f->s, fx_reading(id, EW_KIND_MINUTE, t, "a34004", 35.0)));
}

/* Puts in order; after each, the latest value of a34004 must be (t, kind, value). */
static const struct {
    const char *what;
    int         kind, hour;
    double      value;
    int         want_kind, want_hour;
    double      want_value;
} latest_steps[] = {
    { "first value", EW_KIND_HOUR, 10, 1.0, EW_KIND_HOUR, 10, 1.0 },
    { "newer hour replaces", EW_KIND_HOUR, 11, 2.0, EW_KIND_HOUR, 11, 2.0 },
    { "older hour (gap fill) does not", EW_KIND_HOUR, 9, 3.0, EW_KIND_HOUR, 11, 2.0 },
    { "same time, other kind, does not", EW_KIND_MINUTE, 11, 4.0, EW_KIND_HOUR, 11, 2.0 },
    { "newer real-time replaces", EW_KIND_RTD, 12, 5.0, EW_KIND_RTD, 12, 5.0 },
    { "older day does not", EW_KIND_DAY, 0, 6.0, EW_KIND_RTD, 12, 5.0 },
    { "re-sent old reading does not", EW_KIND_HOUR, 10, 1.0, EW_KIND_RTD, 12, 5.0 },
};

static int
latest_one(void *ctx, const struct ew_reading *r)
{
    if (strcmp(r->factor, "a34004") == 0)
        *(struct ew_reading *)ctx = *r;
    return 0;
}

static void
latest_value_moves_only_forward(void **state)
{
    struct fx *f = *state;
    int64_t id = fx_add_point(f->s, "M1");

    for (size_t i = 0; i < EW_ARRAY_LEN(latest_steps); i++) {
        struct ew_reading got = { 0 };
        int64_t t = fx_t(2024, 5, 6, latest_steps[i].hour, 0);
        put(f->s, fx_reading(id, latest_steps[i].kind, t, "a34004", latest_steps[i].value));
        assert_int_equal(EW_OK, ew_store_latest_each(f->s, id, latest_one, &got));
        if (got.kind != latest_steps[i].want_kind || got.value != latest_steps[i].want_value ||
            got.t_unix_s != fx_t(2024, 5, 6, latest_steps[i].want_hour, 0))
            fail_msg("%s: latest is kind %d value %g", latest_steps[i].what, got.kind,
                     got.value);
    }
}

static void
latest_covers_points_and_factors_but_not_removed_points(void **state)
{
    struct fx *f = *state;
    int64_t a = fx_add_point(f->s, "A"), b = fx_add_point(f->s, "B");
    int64_t t = fx_t(2024, 5, 6, 10, 0);
    struct got g = { 0 };

    put(f->s, fx_reading(a, EW_KIND_RTD, t, "a34004", 1.0));
    put(f->s, fx_reading(a, EW_KIND_RTD, t, "a21026", 2.0));
    put(f->s, fx_reading(b, EW_KIND_RTD, t, "a34004", 3.0));
    assert_int_equal(EW_OK, ew_store_latest_each(f->s, 0, collect, &g));
    assert_int_equal(3, g.n);
    assert_true(g.r[0].point_id == a && strcmp(g.r[0].factor, "a21026") == 0);
    assert_true(g.r[2].point_id == b && g.r[2].value == 3.0);
    assert_int_equal(EW_OK, ew_store_point_remove(f->s, "B"));
    g.n = 0;
    assert_int_equal(EW_OK, ew_store_latest_each(f->s, 0, collect, &g));
    assert_int_equal(2, g.n);
}

static void
queries_are_inclusive_ordered_and_cross_months(void **state)
{
    struct fx *f = *state;
    int64_t id = fx_add_point(f->s, "M1"), other = fx_add_point(f->s, "M2");
    /* 23:00 on 31 January and 00:00 on 1 February CST fall in different month tables
     * (15:00 and 16:00 UTC on the 31st: the month is the local one). */
    int64_t jan = fx_t(2024, 1, 31, 23, 0), feb = fx_t(2024, 2, 1, 0, 0);
    int64_t feb2 = fx_t(2024, 2, 1, 1, 0);
    struct got g;

    put(f->s, fx_reading(id, EW_KIND_HOUR, feb, "w01018", 20.0));
    put(f->s, fx_reading(id, EW_KIND_HOUR, feb, "a01001", 21.0));
    put(f->s, fx_reading(id, EW_KIND_HOUR, jan, "w01018", 10.0));
    put(f->s, fx_reading(id, EW_KIND_HOUR, feb2, "w01018", 30.0));
    put(f->s, fx_reading(id, EW_KIND_MINUTE, feb, "w01018", 99.0));
    put(f->s, fx_reading(other, EW_KIND_HOUR, feb, "w01018", 98.0));

    g = query(f->s, id, EW_KIND_HOUR, jan, feb2, NULL, 0);
    assert_int_equal(4, g.n);
    assert_true(g.r[0].t_unix_s == jan && g.r[0].value == 10.0);
    assert_true(strcmp(g.r[1].factor, "a01001") == 0 && strcmp(g.r[2].factor, "w01018") == 0);
    assert_true(g.r[3].t_unix_s == feb2);
    g = query(f->s, id, EW_KIND_HOUR, jan + 1, feb2 - 1, NULL, 0);
    assert_int_equal(2, g.n);
    g = query(f->s, id, EW_KIND_HOUR, 0, 0, "w01018", 0);   /* to 0: no upper bound */
    assert_int_equal(3, g.n);
    g = query(f->s, id, EW_KIND_HOUR, jan, feb2, NULL, 2);
    assert_int_equal(2, g.n);
    assert_true(g.r[1].t_unix_s == feb && strcmp(g.r[1].factor, "a01001") == 0);
    g = query(f->s, id, EW_KIND_MINUTE, jan, feb2, NULL, 0);
    assert_int_equal(1, g.n);
    assert_true(g.r[0].value == 99.0 && g.r[0].kind == EW_KIND_MINUTE);
    g = query(f->s, id, EW_KIND_DAY, jan, feb2, NULL, 0);
    assert_int_equal(0, g.n);
    g = query(f->s, id, EW_KIND_HOUR, feb2, jan, NULL, 0);
    assert_int_equal(0, g.n);
}

static int
stop_at_second(void *ctx, const struct ew_reading *r)
{
    (void)r;
    return ++*(int *)ctx == 2 ? 42 : 0;
}

static void
callback_can_stop_a_query(void **state)
{
    struct fx *f = *state;
    int64_t id = fx_add_point(f->s, "M1");
    struct ew_reading_query q = { .point_id = id, .kind = EW_KIND_RTD };
    int calls = 0;

    for (int m = 0; m < 3; m++)
        put(f->s, fx_reading(id, EW_KIND_RTD, fx_t(2024, 3, 1, 10, m), "a34004", m));
    assert_int_equal(42, ew_store_reading_each(f->s, &q, stop_at_second, &calls));
    assert_int_equal(2, calls);
}

static void
unknown_and_removed_points_take_no_readings(void **state)
{
    struct fx *f = *state;
    int64_t id = fx_add_point(f->s, "M1"), t = fx_t(2024, 3, 1, 10, 0);
    struct ew_reading r = fx_reading(id + 100, EW_KIND_RTD, t, "a34004", 1.0);
    int inserted = 7;

    assert_int_equal(EW_ENOTFOUND, ew_store_reading_put(f->s, &r, &inserted));
    assert_int_equal(7, inserted);
    assert_int_equal(1, put(f->s, fx_reading(id, EW_KIND_RTD, t, "a34004", 1.0)));
    assert_int_equal(EW_OK, ew_store_point_remove(f->s, "M1"));
    r = fx_reading(id, EW_KIND_RTD, t + 30, "a34004", 1.0);
    assert_int_equal(EW_ENOTFOUND, ew_store_reading_put(f->s, &r, &inserted));
    /* Re-registered: the same id, and its history is still there. */
    assert_int_equal(id, fx_add_point(f->s, "M1"));
    assert_int_equal(1, put(f->s, r));
    assert_int_equal(2, query(f->s, id, EW_KIND_RTD, t, t + 30, NULL, 0).n);
}

static void
rolled_back_batch_leaves_nothing_and_the_next_works(void **state)
{
    struct fx *f = *state;
    int64_t id = fx_add_point(f->s, "M1"), t = fx_t(2024, 7, 1, 0, 0);

    assert_int_equal(EW_OK, ew_store_begin(f->s));
    assert_int_equal(1, put(f->s, fx_reading(id, EW_KIND_HOUR, t, "a34004", 1.0)));
    assert_int_equal(1, put(f->s, fx_reading(id, EW_KIND_HOUR, t, "a21026", 2.0)));
    assert_int_equal(EW_OK, ew_store_rollback(f->s));
    assert_int_equal(0, query(f->s, id, EW_KIND_HOUR, t, t, NULL, 0).n);
    /* The series and the month table made in the batch were rolled back with it. */
    assert_int_equal(EW_OK, ew_store_begin(f->s));
    assert_int_equal(1, put(f->s, fx_reading(id, EW_KIND_HOUR, t, "a34004", 1.0)));
    assert_int_equal(EW_OK, ew_store_commit(f->s));
    assert_int_equal(1, query(f->s, id, EW_KIND_HOUR, t, t, NULL, 0).n);
}

static void
prune_drops_old_months_and_cuts_the_boundary_month(void **state)
{
    struct fx *f = *state;
    int64_t id = fx_add_point(f->s, "M1"), deleted = -1;
    int64_t cut = fx_t(2024, 2, 15, 0, 0);

    assert_int_equal(EW_OK, ew_store_begin(f->s));
    for (int day = 1; day <= 28; day++) {
        for (int mon = 1; mon <= 3; mon++) {
            put(f->s, fx_reading(id, EW_KIND_RTD, fx_t(2024, mon, day, 12, 0), "a34004", day));
            put(f->s, fx_reading(id, EW_KIND_RTD, fx_t(2024, mon, day, 12, 0), "a21026", day));
            put(f->s, fx_reading(id, EW_KIND_HOUR, fx_t(2024, mon, day, 12, 0), "a34004", 1));
        }
    }
    assert_int_equal(EW_OK, ew_store_commit(f->s));
    /* January goes whole (56 rows), February loses days 1-14 (28 rows). */
    assert_int_equal(EW_OK, ew_store_reading_prune(f->s, EW_KIND_RTD, cut, &deleted));
    assert_int_equal(56 + 28, deleted);
    assert_int_equal(0, query(f->s, id, EW_KIND_RTD, 0, cut - 1, NULL, 0).n);
    assert_int_equal(2 * 14 + 2 * 28, query(f->s, id, EW_KIND_RTD, cut, 0, NULL, 0).n);
    assert_int_equal(84, query(f->s, id, EW_KIND_HOUR, 0, 0, NULL, 0).n);
    /* Idempotent; and January can be written again (gap filling) after its table went. */
    assert_int_equal(EW_OK, ew_store_reading_prune(f->s, EW_KIND_RTD, cut, &deleted));
    assert_int_equal(0, deleted);
    assert_int_equal(1, put(f->s, fx_reading(id, EW_KIND_RTD, fx_t(2024, 1, 5, 0, 0), "a34004",
                                             1.0)));
    assert_int_equal(EW_OK, ew_store_reading_prune(f->s, EW_KIND_RTD, fx_t(2099, 1, 1, 0, 0),
                                                   &deleted));
    assert_int_equal(1 + 2 * 14 + 2 * 28, deleted);
    assert_int_equal(0, query(f->s, id, EW_KIND_RTD, 0, 0, NULL, 0).n);
}

static void
point_removed_by_another_writer_takes_no_more_readings(void **state)
{
    struct fx *f = *state;
    int64_t id = fx_add_point(f->s, "M1"), t = fx_t(2024, 9, 1, 0, 0);
    struct ew_store *cli = NULL;
    struct ew_reading r = fx_reading(id, EW_KIND_HOUR, t + 3600, "a34004", 2.0);
    int inserted = 7;

    assert_int_equal(1, put(f->s, fx_reading(id, EW_KIND_HOUR, t, "a34004", 1.0)));
    /* The series id is cached in f->s; the CLI removes the point on its own connection. */
    assert_int_equal(EW_OK, ew_store_open(f->dir, 0, &cli));
    assert_int_equal(EW_OK, ew_store_point_remove(cli, "M1"));
    ew_store_close(cli);
    assert_int_equal(EW_OK, ew_store_begin(f->s));
    assert_int_equal(EW_ENOTFOUND, ew_store_reading_put(f->s, &r, &inserted));
    assert_int_equal(EW_OK, ew_store_commit(f->s));
    assert_int_equal(7, inserted);
}

static void
latest_value_forgets_a_rolled_back_batch(void **state)
{
    struct fx *f = *state;
    int64_t id = fx_add_point(f->s, "M1");
    struct ew_reading got = { 0 };

    put(f->s, fx_reading(id, EW_KIND_HOUR, fx_t(2024, 9, 1, 10, 0), "a34004", 1.0));
    assert_int_equal(EW_OK, ew_store_begin(f->s));
    put(f->s, fx_reading(id, EW_KIND_HOUR, fx_t(2024, 9, 1, 12, 0), "a34004", 3.0));
    assert_int_equal(EW_OK, ew_store_rollback(f->s));
    /* 11:00 is older than the rolled-back 12:00 but newer than what is stored. */
    put(f->s, fx_reading(id, EW_KIND_HOUR, fx_t(2024, 9, 1, 11, 0), "a34004", 2.0));
    assert_int_equal(EW_OK, ew_store_latest_each(f->s, id, latest_one, &got));
    assert_true(got.value == 2.0);
}

/* ---- random batches against a plain model ------------------------------------------------ */

#define M_POINTS 3
#define M_KINDS 4
#define M_FACTORS 3
#define M_TIMES 24                      /* hours 2024-01-31T12:00 .. 2024-02-01T11:00 CST */

static const int m_kinds[M_KINDS] = { EW_KIND_RTD, EW_KIND_MINUTE, EW_KIND_HOUR,
                                      EW_KIND_DAY };
static const char *const m_factors[M_FACTORS] = { "a34004", "a21026", "w01018" };

struct model {
    double stored[M_POINTS][M_KINDS][M_FACTORS][M_TIMES];     /* NAN: not stored */
    int    latest_t[M_POINTS][M_FACTORS];                    /* -1: none */
    int    latest_kind[M_POINTS][M_FACTORS];
    double latest_value[M_POINTS][M_FACTORS];
};

static uint32_t
next_rand(uint32_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    return *x;
}

static void
model_put(struct model *m, int p, int k, int f, int t, double v, int want_inserted)
{
    assert_int_equal(isnan(m->stored[p][k][f][t]), want_inserted);
    if (!want_inserted)
        return;
    m->stored[p][k][f][t] = v;
    if (t > m->latest_t[p][f]) {
        m->latest_t[p][f] = t;
        m->latest_kind[p][f] = m_kinds[k];
        m->latest_value[p][f] = v;
    }
}

static void
model_check(struct ew_store *s, const struct model *m, const int64_t *ids, int64_t t0)
{
    for (int p = 0; p < M_POINTS; p++) {
        struct got latest = { 0 };
        for (int k = 0; k < M_KINDS; k++) {
            struct got g = query(s, ids[p], m_kinds[k], t0, t0 + 3600 * M_TIMES, NULL, 0);
            size_t want = 0;
            for (int f = 0; f < M_FACTORS; f++)
                for (int t = 0; t < M_TIMES; t++)
                    want += !isnan(m->stored[p][k][f][t]);
            assert_int_equal(want, g.n);
            for (size_t i = 0; i < g.n && i < MAX_GOT; i++) {
                int t = (int)((g.r[i].t_unix_s - t0) / 3600), f = 0;
                while (strcmp(m_factors[f], g.r[i].factor) != 0)
                    f++;
                assert_true(g.r[i].value == m->stored[p][k][f][t]);
            }
        }
        size_t keys = 0;
        for (int f = 0; f < M_FACTORS; f++)
            keys += m->latest_t[p][f] >= 0;
        assert_int_equal(EW_OK, ew_store_latest_each(s, ids[p], collect, &latest));
        assert_int_equal(keys, latest.n);
        for (size_t i = 0; i < latest.n; i++) {
            int f = 0;
            while (strcmp(m_factors[f], latest.r[i].factor) != 0)
                f++;
            assert_int_equal(t0 + 3600 * m->latest_t[p][f], latest.r[i].t_unix_s);
            assert_int_equal(m->latest_kind[p][f], latest.r[i].kind);
            assert_true(latest.r[i].value == m->latest_value[p][f]);
        }
    }
}

/* One batch of random puts; committed or rolled back (the model follows). */
static void
random_batch(struct ew_store *s, struct model *m, const int64_t *ids, int64_t t0,
             uint32_t *x)
{
    struct model before = *m;
    int rollback = next_rand(x) % 5 == 0, n = 1 + (int)(next_rand(x) % 40);

    assert_int_equal(EW_OK, ew_store_begin(s));
    for (int i = 0; i < n; i++) {
        int p = (int)(next_rand(x) % M_POINTS), k = (int)(next_rand(x) % M_KINDS);
        int f = (int)(next_rand(x) % M_FACTORS), t = (int)(next_rand(x) % M_TIMES);
        double v = (double)(next_rand(x) % 1000);
        int inserted = put(s, fx_reading(ids[p], m_kinds[k], t0 + 3600 * t, m_factors[f], v));
        model_put(m, p, k, f, t, v, inserted);
    }
    if (rollback) {
        assert_int_equal(EW_OK, ew_store_rollback(s));
        *m = before;
    } else {
        assert_int_equal(EW_OK, ew_store_commit(s));
    }
}

static void
random_batches_match_a_plain_model(void **state)
{
    struct fx *f = *state;
    struct model *m = calloc(1, sizeof(*m));
    int64_t ids[M_POINTS], t0 = fx_t(2024, 1, 31, 12, 0);
    uint32_t x = 2463534242u;

    assert_non_null(m);
    for (size_t i = 0; i < sizeof(m->stored) / sizeof(double); i++)
        (&m->stored[0][0][0][0])[i] = NAN;
    memset(m->latest_t, 0xFF, sizeof(m->latest_t));     /* -1 */
    ids[0] = fx_add_point(f->s, "P0");
    ids[1] = fx_add_point(f->s, "P1");
    ids[2] = fx_add_point(f->s, "P2");
    for (int b = 0; b < 150; b++) {
        random_batch(f->s, m, ids, t0, &x);
        if (b % 10 == 9)
            model_check(f->s, m, ids, t0);
    }
    model_check(f->s, m, ids, t0);
    free(m);
}

static void
reader_handle_queries_what_the_writer_committed(void **state)
{
    struct fx *f = *state;
    int64_t id = fx_add_point(f->s, "M1"), t = fx_t(2024, 8, 1, 8, 0);
    struct ew_store *ro = NULL;
    struct got g = { 0 };

    put(f->s, fx_reading(id, EW_KIND_HOUR, t, "a34004", 12.5));
    assert_int_equal(EW_OK, ew_store_open(f->dir, EW_STORE_RDONLY, &ro));
    g = query(ro, id, EW_KIND_HOUR, t, t, NULL, 0);
    assert_int_equal(1, g.n);
    assert_true(g.r[0].value == 12.5);
    g.n = 0;
    assert_int_equal(EW_OK, ew_store_latest_each(ro, id, collect, &g));
    assert_int_equal(1, g.n);
    ew_store_close(ro);
}

static void
factors_of_one_time_merge_across_batches(void **state)
{
    struct fx *f = *state;
    int64_t id = fx_add_point(f->s, "M1"), t = fx_t(2024, 3, 31, 23, 0);
    struct got g;

    assert_int_equal(EW_OK, ew_store_begin(f->s));
    assert_int_equal(1, put(f->s, fx_reading(id, EW_KIND_HOUR, t, "a34004", 40.0)));
    assert_int_equal(1, put(f->s, fx_reading(id, EW_KIND_HOUR, t + 3600, "a34004", 41.0)));
    assert_int_equal(EW_OK, ew_store_commit(f->s));
    /* A later packet of the same hour brings another factor and repeats one. */
    assert_int_equal(EW_OK, ew_store_begin(f->s));
    assert_int_equal(1, put(f->s, fx_reading(id, EW_KIND_HOUR, t, "a21026", 9.0)));
    assert_int_equal(0, put(f->s, fx_reading(id, EW_KIND_HOUR, t, "a34004", 99.0)));
    assert_int_equal(1, put(f->s, fx_reading(id, EW_KIND_HOUR, t, "a01001", -3.5)));
    /* Back and forth between two keys inside one batch. */
    assert_int_equal(1, put(f->s, fx_reading(id, EW_KIND_HOUR, t + 3600, "a21026", 8.0)));
    assert_int_equal(0, put(f->s, fx_reading(id, EW_KIND_HOUR, t, "a21026", 7.0)));
    assert_int_equal(EW_OK, ew_store_commit(f->s));
    g = query(f->s, id, EW_KIND_HOUR, t, t + 3600, NULL, 0);
    assert_int_equal(5, g.n);
    assert_string_equal("a01001", g.r[0].factor);
    assert_true(g.r[0].value == -3.5);
    assert_string_equal("a21026", g.r[1].factor);
    assert_true(g.r[1].value == 9.0);
    assert_string_equal("a34004", g.r[2].factor);
    assert_true(g.r[2].value == 40.0);
    assert_int_equal(t + 3600, g.r[3].t_unix_s);        /* April: the next month's table */
    assert_string_equal("a21026", g.r[3].factor);
    assert_string_equal("a34004", g.r[4].factor);
    /* A factor filter and a limit count readings, not rows. */
    assert_int_equal(2, query(f->s, id, EW_KIND_HOUR, t, t + 3600, "a21026", 0).n);
    assert_int_equal(4, query(f->s, id, EW_KIND_HOUR, t, t + 3600, NULL, 4).n);
}

static void
exec_sql(const struct fx *f, const char *sql)
{
    char path[128];
    sqlite3 *db = NULL;
    char *err = NULL;

    snprintf(path, sizeof(path), "%s/envwatch.db", f->dir);
    assert_int_equal(SQLITE_OK, sqlite3_open(path, &db));
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s", err);
    sqlite3_close(db);
}

static void
first_layout_is_converted_when_the_writer_opens(void **state)
{
    struct fx *f = *state;
    int64_t a = fx_add_point(f->s, "M1"), b = fx_add_point(f->s, "M2");
    int64_t t = fx_t(2024, 5, 1, 0, 0);
    char sql[2048];
    struct got g;

    ew_store_close(f->s);
    f->s = NULL;
    /* What a store of the first layout held: series ids, a row per factor, latest rows. */
    snprintf(sql, sizeof(sql),
             "CREATE TABLE latest(point_id INTEGER NOT NULL, factor TEXT NOT NULL,"
             " kind INTEGER NOT NULL, t INTEGER NOT NULL, value REAL, min REAL, max REAL,"
             " cou REAL, zs REAL, flag TEXT, PRIMARY KEY(point_id, factor)) WITHOUT ROWID;"
             "INSERT INTO series(id, point_id, kind, factor) VALUES(1, %lld, %d, 'a34004'),"
             " (2, %lld, %d, 'a21026'), (3, %lld, %d, 'a34004');"
             "CREATE TABLE r%04d_202405(series INTEGER NOT NULL, t INTEGER NOT NULL,"
             " value REAL, min REAL, max REAL, cou REAL, zs REAL, flag TEXT,"
             " PRIMARY KEY(series, t)) WITHOUT ROWID;"
             "INSERT INTO r%04d_202405 VALUES(1, %lld, 35.5, 30, 41, NULL, NULL, 'N'),"
             " (2, %lld, 12, NULL, NULL, NULL, NULL, NULL), (1, %lld, 36, NULL, NULL, NULL,"
             " NULL, 'N'), (3, %lld, 50, NULL, NULL, NULL, NULL, 'D');"
             "INSERT INTO latest VALUES(%lld, 'a34004', %d, %lld, 36, NULL, NULL, NULL, NULL,"
             " 'N'), (%lld, 'a21026', %d, %lld, 12, NULL, NULL, NULL, NULL, NULL),"
             " (%lld, 'a34004', %d, %lld, 50, NULL, NULL, NULL, NULL, 'D');",
             (long long)a, EW_KIND_HOUR, (long long)a, EW_KIND_HOUR, (long long)b,
             EW_KIND_HOUR, EW_KIND_HOUR, EW_KIND_HOUR, (long long)t, (long long)t,
             (long long)(t + 3600), (long long)t, (long long)a, EW_KIND_HOUR,
             (long long)(t + 3600), (long long)a, EW_KIND_HOUR, (long long)t, (long long)b,
             EW_KIND_HOUR, (long long)t);
    exec_sql(f, sql);
    assert_int_equal(EW_OK, ew_store_open(f->dir, 0, &f->s));
    g = query(f->s, a, EW_KIND_HOUR, t, t + 3600, NULL, 0);
    assert_int_equal(3, g.n);
    assert_string_equal("a21026", g.r[0].factor);
    assert_true(g.r[0].value == 12.0 && isnan(g.r[0].min) && g.r[0].flag[0] == '\0');
    assert_string_equal("a34004", g.r[1].factor);
    assert_true(g.r[1].value == 35.5 && g.r[1].min == 30.0 && g.r[1].max == 41.0);
    assert_string_equal("N", g.r[1].flag);
    assert_int_equal(t + 3600, g.r[2].t_unix_s);
    assert_int_equal(1, query(f->s, b, EW_KIND_HOUR, t, t, NULL, 0).n);
    g.n = 0;
    assert_int_equal(EW_OK, ew_store_latest_each(f->s, 0, collect, &g));
    assert_int_equal(3, g.n);
    assert_int_equal(a, g.r[0].point_id);
    assert_string_equal("a21026", g.r[0].factor);
    assert_int_equal(t + 3600, g.r[1].t_unix_s);
    assert_true(g.r[1].value == 36.0);
    assert_int_equal(b, g.r[2].point_id);
    /* Converted once: the old tables are gone and a re-send is a duplicate. */
    assert_int_equal(0, put(f->s, fx_reading(a, EW_KIND_HOUR, t, "a34004", 1.0)));
    ew_store_close(f->s);
    assert_int_equal(EW_OK, ew_store_open(f->dir, 0, &f->s));
    assert_int_equal(3, query(f->s, a, EW_KIND_HOUR, t, t + 3600, NULL, 0).n);
}

static void
damaged_row_is_reported_not_read_past(void **state)
{
    struct fx *f = *state;
    int64_t id = fx_add_point(f->s, "M1"), t = fx_t(2024, 6, 1, 0, 0);
    struct ew_reading_query q = { .point_id = id, .kind = EW_KIND_HOUR };
    struct ew_reading r = fx_reading(id, EW_KIND_HOUR, t, "a21026", 1.0);
    struct got g = { 0 };
    char sql[256];
    int inserted = 7;

    assert_int_equal(1, put(f->s, fx_reading(id, EW_KIND_HOUR, t, "a34004", 1.0)));
    snprintf(sql, sizeof(sql), "UPDATE v%04d_202406 SET v = x'01020661333430'", EW_KIND_HOUR);
    exec_sql(f, sql);
    assert_int_equal(EW_EFORMAT, ew_store_reading_each(f->s, &q, collect, &g));
    assert_non_null(strstr(ew_store_errmsg(f->s), "damaged"));
    assert_int_equal(EW_EFORMAT, ew_store_reading_put(f->s, &r, &inserted));
    assert_int_equal(7, inserted);
    /* The rest of the store goes on. */
    assert_int_equal(1, put(f->s, fx_reading(id, EW_KIND_HOUR, t + 3600, "a34004", 2.0)));
}

/* A callback that stores a reading while the query runs. */
static int
collect_and_put(void *ctx, const struct ew_reading *r)
{
    struct got *g = ctx;
    struct ew_reading more = *r;
    int inserted = 0;

    collect(g, r);
    snprintf(more.factor, sizeof(more.factor), "z%05zu", g->n);
    return ew_store_reading_put(g->s, &more, &inserted) == EW_OK && inserted ? 0 : 1;
}

static void
query_of_the_packet_being_written_sees_all_of_it(void **state)
{
    struct fx *f = *state;
    int64_t id = fx_add_point(f->s, "M1"), t = fx_t(2024, 8, 1, 10, 0);
    struct ew_reading_query q = { .point_id = id, .kind = EW_KIND_HOUR, .from_unix_s = t,
                                  .to_unix_s = t };
    struct got g;

    assert_int_equal(1, put(f->s, fx_reading(id, EW_KIND_HOUR, t, "a34004", 1.0)));
    assert_int_equal(EW_OK, ew_store_begin(f->s));
    assert_int_equal(1, put(f->s, fx_reading(id, EW_KIND_HOUR, t, "a21026", 2.0)));
    g = query(f->s, id, EW_KIND_HOUR, t, t, NULL, 0);   /* the stored one and the new one */
    assert_int_equal(2, g.n);
    assert_string_equal("a21026", g.r[0].factor);
    assert_int_equal(t, g.r[0].t_unix_s);
    assert_int_equal(id, g.r[0].point_id);
    assert_int_equal(1, query(f->s, id, EW_KIND_HOUR, t, t, "a34004", 0).n);
    assert_int_equal(1, query(f->s, id, EW_KIND_HOUR, t, t, NULL, 1).n);
    /* The callback may write to the same row: the query walks a copy. */
    memset(&g, 0, sizeof(g));
    g.s = f->s;
    assert_int_equal(EW_OK, ew_store_reading_each(f->s, &q, collect_and_put, &g));
    assert_int_equal(2, g.n);
    assert_int_equal(EW_OK, ew_store_commit(f->s));
    assert_int_equal(4, query(f->s, id, EW_KIND_HOUR, t, t, NULL, 0).n);
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)
    const struct CMUnitTest tests[] = {
        T(same_reading_twice_is_stored_once),
        T(latest_value_moves_only_forward),
        T(latest_covers_points_and_factors_but_not_removed_points),
        T(queries_are_inclusive_ordered_and_cross_months),
        T(callback_can_stop_a_query),
        T(unknown_and_removed_points_take_no_readings),
        T(rolled_back_batch_leaves_nothing_and_the_next_works),
        T(prune_drops_old_months_and_cuts_the_boundary_month),
        T(point_removed_by_another_writer_takes_no_more_readings),
        T(latest_value_forgets_a_rolled_back_batch),
        T(random_batches_match_a_plain_model),
        T(reader_handle_queries_what_the_writer_committed),
        T(factors_of_one_time_merge_across_batches),
        T(first_layout_is_converted_when_the_writer_opens),
        T(damaged_row_is_reported_not_read_past),
        T(query_of_the_packet_being_written_sees_all_of_it),
    };
#undef T
    return cmocka_run_group_tests_name("store/sqlite_reading", tests, NULL, NULL);
}
