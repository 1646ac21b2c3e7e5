/* SPDX-License-Identifier: MIT */
/* src/store/sqlite_journal.c: the raw packet journal and the connection history. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "unit/store/fixture.h"

/* A day of traffic: (time, MN, verdict). Binary garbage has no MN. */
static const struct {
    int64_t     t_ms;
    const char *mn, *verdict;
} traffic[] = {
    { 1000, "M1", "stored" },
    { 2000, NULL, "bad-crc" },
    { 3000, "M2", "unknown-mn" },
    { 3000, "M1", "duplicate" },
    { 4000, "M1", "stored" },
    { 5000, NULL, "frame" },
};

static const char garbage[] = { '#', '#', 0, (char)0xFF, '\r', '\n', 0 };

static void
fill(struct ew_store *s)
{
    for (size_t i = 0; i < EW_ARRAY_LEN(traffic); i++) {
        char frame[64];
        struct ew_journal_entry e = { .t_recv_ms = traffic[i].t_ms, .peer = "10.1.2.3:5000",
                                      .mn = traffic[i].mn, .verdict = traffic[i].verdict };
        if (traffic[i].mn == NULL) {
            e.bytes = garbage;
            e.len = sizeof(garbage);
        } else {
            e.len = (size_t)snprintf(frame, sizeof(frame), "##0010QN=%zu", i);
            e.bytes = frame;
        }
        assert_int_equal(EW_OK, ew_store_journal_put(s, &e));
    }
}

struct seen {
    size_t  n;
    int64_t t[8], id[8];
    char    verdict[8][16];
    int     garbage_ok;
};

static int
record(void *ctx, const struct ew_journal_entry *e)
{
    struct seen *s = ctx;

    if (s->n < 8) {
        s->t[s->n] = e->t_recv_ms;
        s->id[s->n] = e->id;
        snprintf(s->verdict[s->n], sizeof(s->verdict[0]), "%s", e->verdict);
    }
    if (e->mn == NULL && e->len == sizeof(garbage) && memcmp(e->bytes, garbage, e->len) == 0 &&
        strcmp(e->peer, "10.1.2.3:5000") == 0)
        s->garbage_ok++;
    s->n++;
    return 0;
}

static struct seen
search(struct ew_store *s, struct ew_journal_query q)
{
    struct seen out = { 0 };

    assert_int_equal(EW_OK, ew_store_journal_each(s, &q, record, &out));
    return out;
}

static void
journal_keeps_every_frame_byte_for_byte(void **state)
{
    struct fx *f = *state;
    struct seen all;

    fill(f->s);
    all = search(f->s, (struct ew_journal_query){ 0 });
    assert_int_equal(EW_ARRAY_LEN(traffic), all.n);
    assert_int_equal(2, all.garbage_ok);                /* NUL and 0xFF bytes survive */
    for (size_t i = 1; i < all.n; i++)
        assert_true(all.t[i] > all.t[i - 1] ||
                    (all.t[i] == all.t[i - 1] && all.id[i] > all.id[i - 1]));
}

static void
journal_search_by_mn_time_limit_and_order(void **state)
{
    struct fx *f = *state;
    struct seen got;

    fill(f->s);
    got = search(f->s, (struct ew_journal_query){ .mn = "M1" });
    assert_int_equal(3, got.n);
    assert_string_equal("duplicate", got.verdict[1]);
    got = search(f->s, (struct ew_journal_query){ .from_ms = 2000, .to_ms = 4000 });
    assert_int_equal(4, got.n);                         /* both ends included */
    got = search(f->s, (struct ew_journal_query){ .mn = "M1", .from_ms = 3000, .to_ms = 3000 });
    assert_int_equal(1, got.n);
    got = search(f->s, (struct ew_journal_query){ .limit = 2, .newest_first = 1 });
    assert_int_equal(2, got.n);
    assert_true(got.t[0] == 5000 && got.t[1] == 4000);
    got = search(f->s, (struct ew_journal_query){ .mn = "M1", .limit = 1, .newest_first = 1 });
    assert_int_equal(1, got.n);
    assert_int_equal(4000, got.t[0]);
    got = search(f->s, (struct ew_journal_query){ .mn = "NOPE" });
    assert_int_equal(0, got.n);
}

static void
journal_prune_removes_only_older_frames(void **state)
{
    struct fx *f = *state;
    int64_t deleted = -1;

    fill(f->s);
    assert_int_equal(EW_OK, ew_store_journal_prune(f->s, 3000, &deleted));
    assert_int_equal(2, deleted);
    assert_int_equal(4, search(f->s, (struct ew_journal_query){ 0 }).n);
    assert_int_equal(EW_OK, ew_store_journal_prune(f->s, 3000, &deleted));
    assert_int_equal(0, deleted);
}

/* Collects the frames' bytes, in order, into one string ("|"-separated). */
static int
collect(void *ctx, const struct ew_journal_entry *e)
{
    char *out = ctx;
    size_t n = strlen(out);

    snprintf(out + n, 4096 - n, "%.*s|", (int)e->len, (const char *)e->bytes);
    return 0;
}

static void
put_frame(struct ew_store *s, int64_t t_ms, const char *mn, const char *bytes)
{
    struct ew_journal_entry e = { .t_recv_ms = t_ms, .peer = "10.1.2.3:5000", .mn = mn,
                                  .verdict = "stored", .bytes = bytes, .len = strlen(bytes) };

    assert_int_equal(EW_OK, ew_store_journal_put(s, &e));
}

static int
file_exists(const struct fx *f, const char *name)
{
    char path[200];

    snprintf(path, sizeof(path), "%s/journal/%s", f->dir, name);
    return access(path, F_OK) == 0;
}

/* Whether the database files contain the string (the frames must not be there). */
static int
db_contains(const struct fx *f, const char *needle)
{
    static const char *const names[] = { "envwatch.db", "envwatch.db-wal" };
    int found = 0;

    for (size_t i = 0; i < EW_ARRAY_LEN(names); i++) {
        char path[200], *buf;
        FILE *fp;
        long n;
        snprintf(path, sizeof(path), "%s/%s", f->dir, names[i]);
        if ((fp = fopen(path, "rb")) == NULL)
            continue;
        fseek(fp, 0, SEEK_END);
        n = ftell(fp);
        rewind(fp);
        buf = malloc((size_t)n + 1);
        assert_non_null(buf);
        assert_int_equal((size_t)n, fread(buf, 1, (size_t)n, fp));
        fclose(fp);
        for (long k = 0; k + (long)strlen(needle) <= n && !found; k++)
            found = memcmp(buf + k, needle, strlen(needle)) == 0;
        free(buf);
    }
    return found;
}

/* 2020-01-01 23:59:59.900 CST and 2020-01-02 00:00:00.100 CST, in Unix milliseconds. */
#define LATE_DAY1 1577894399900LL
#define EARLY_DAY2 1577894400100LL

static void
journal_frames_live_in_one_file_per_day(void **state)
{
    struct fx *f = *state;
    char got[4096] = "";

    assert_int_equal(EW_OK, ew_store_begin(f->s));
    put_frame(f->s, LATE_DAY1, "M1", "##frame-one-of-day-1");
    put_frame(f->s, EARLY_DAY2, "M1", "##frame-one-of-day-2");
    put_frame(f->s, EARLY_DAY2 + 1, "M2", "##frame-two-of-day-2");
    assert_int_equal(EW_OK, ew_store_commit(f->s));
    assert_true(file_exists(f, "20200101.raw"));
    assert_true(file_exists(f, "20200102.raw"));
    assert_int_equal(EW_OK, ew_store_journal_each(f->s, &(struct ew_journal_query){ 0 },
                                                  collect, got));
    assert_string_equal("##frame-one-of-day-1|##frame-one-of-day-2|##frame-two-of-day-2|",
                        got);
    assert_false(db_contains(f, "frame-two-of-day-2"));
    /* another handle (the API's) reads the same files */
    struct ew_store *r = NULL;
    got[0] = '\0';
    assert_int_equal(EW_OK, ew_store_open(f->dir, EW_STORE_RDONLY, &r));
    assert_int_equal(EW_OK, ew_store_journal_each(r, &(struct ew_journal_query){ .mn = "M2" },
                                                  collect, got));
    ew_store_close(r);
    assert_string_equal("##frame-two-of-day-2|", got);
}

static void
journal_rollback_leaves_no_row_and_later_frames_read_right(void **state)
{
    struct fx *f = *state;
    char got[4096] = "";

    assert_int_equal(EW_OK, ew_store_begin(f->s));
    put_frame(f->s, 1000, "M1", "##kept-1");
    assert_int_equal(EW_OK, ew_store_commit(f->s));
    assert_int_equal(EW_OK, ew_store_begin(f->s));
    put_frame(f->s, 2000, "M1", "##undone");
    assert_int_equal(EW_OK, ew_store_rollback(f->s));
    put_frame(f->s, 3000, "M1", "##kept-2, outside any batch");
    /* closed and opened again: the next offsets start where the file really ends */
    ew_store_close(f->s);
    assert_int_equal(EW_OK, ew_store_open(f->dir, 0, &f->s));
    put_frame(f->s, 4000, "M1", "##kept-3");
    assert_int_equal(EW_OK, ew_store_journal_each(f->s, &(struct ew_journal_query){ 0 },
                                                  collect, got));
    assert_string_equal("##kept-1|##kept-2, outside any batch|##kept-3|", got);
}

static void
journal_prune_removes_whole_days_of_files(void **state)
{
    struct fx *f = *state;
    char got[4096] = "";
    int64_t deleted = -1;

    put_frame(f->s, LATE_DAY1 - 86400000, "M1", "##day-0");
    put_frame(f->s, LATE_DAY1, "M1", "##day-1");
    put_frame(f->s, EARLY_DAY2, "M1", "##day-2-early");
    put_frame(f->s, EARLY_DAY2 + 3600000, "M1", "##day-2-later");
    /* cut in the middle of day 2: days 0 and 1 go, day 2's file stays for its later frame */
    assert_int_equal(EW_OK, ew_store_journal_prune(f->s, EARLY_DAY2 + 1, &deleted));
    assert_int_equal(3, deleted);
    assert_false(file_exists(f, "20191231.raw"));
    assert_false(file_exists(f, "20200101.raw"));
    assert_true(file_exists(f, "20200102.raw"));
    assert_int_equal(EW_OK, ew_store_journal_each(f->s, &(struct ew_journal_query){ 0 },
                                                  collect, got));
    assert_string_equal("##day-2-later|", got);
}

static void
journal_missing_file_reads_as_empty_not_as_error(void **state)
{
    struct fx *f = *state;
    char got[4096] = "", path[200];

    put_frame(f->s, 1000, "M1", "##gone");
    put_frame(f->s, LATE_DAY1, "M1", "##here");
    snprintf(path, sizeof(path), "%s/journal/19700101.raw", f->dir);
    assert_int_equal(0, unlink(path));
    assert_int_equal(EW_OK, ew_store_journal_each(f->s, &(struct ew_journal_query){ 0 },
                                                  collect, got));
    assert_string_equal("|##here|", got);
}

/* A row written before migration 8 keeps its bytes in the table and still reads. */
static void
journal_rows_from_before_the_files_still_read(void **state)
{
    struct fx *f = *state;
    char got[4096] = "", path[200];
    sqlite3 *db = NULL;

    put_frame(f->s, 2000, "M1", "##in-a-file");
    snprintf(path, sizeof(path), "%s/envwatch.db", f->dir);
    assert_int_equal(SQLITE_OK, sqlite3_open(path, &db));
    sqlite3_busy_timeout(db, 1000);
    assert_int_equal(SQLITE_OK, sqlite3_exec(db, "INSERT INTO journal(t_recv_ms, peer, mn,"
                                                 " verdict, bytes) VALUES(1000, 'p', 'M1',"
                                                 " 'stored', CAST('##in-the-row' AS BLOB))",
                                             NULL, NULL, NULL));
    sqlite3_close(db);
    assert_int_equal(EW_OK, ew_store_journal_each(f->s, &(struct ew_journal_query){ .mn = "M1" },
                                                  collect, got));
    assert_string_equal("##in-the-row|##in-a-file|", got);
}

struct conns {
    size_t  n;
    int64_t id[8], closed[8];
    char    mn[8][33], reason[8][32];
};

static int
record_conn(void *ctx, const struct ew_conn *c)
{
    struct conns *k = ctx;

    if (k->n < 8) {
        k->id[k->n] = c->id;
        k->closed[k->n] = c->closed_ms;
        snprintf(k->mn[k->n], sizeof(k->mn[0]), "%s", c->mn != NULL ? c->mn : "(null)");
        snprintf(k->reason[k->n], sizeof(k->reason[0]), "%s",
                 c->reason != NULL ? c->reason : "(null)");
    }
    k->n++;
    return 0;
}

static struct conns
conns(struct ew_store *s, struct ew_conn_query q)
{
    struct conns out = { 0 };

    assert_int_equal(EW_OK, ew_store_conn_each(s, &q, record_conn, &out));
    return out;
}

static void
connection_history_follows_open_identify_close(void **state)
{
    struct fx *f = *state;
    int64_t a = 0, b = 0, c = 0;
    struct conns got;

    assert_int_equal(EW_OK, ew_store_conn_open(f->s, "10.0.0.1:4000", 1000, &a));
    assert_int_equal(EW_OK, ew_store_conn_open(f->s, "10.0.0.2:4001", 2000, &b));
    assert_int_equal(EW_OK, ew_store_conn_open(f->s, "10.0.0.3:4002", 3000, &c));
    assert_true(a > 0 && b > a && c > b);
    assert_int_equal(EW_OK, ew_store_conn_identify(f->s, a, "M1"));
    assert_int_equal(EW_OK, ew_store_conn_close(f->s, a, 5000, "idle timeout"));
    assert_int_equal(EW_ENOTFOUND, ew_store_conn_close(f->s, a, 6000, "again"));
    assert_int_equal(EW_ENOTFOUND, ew_store_conn_identify(f->s, a, "M2"));
    assert_int_equal(EW_ENOTFOUND, ew_store_conn_close(f->s, 999, 6000, "unknown"));

    got = conns(f->s, (struct ew_conn_query){ 0 });
    assert_int_equal(3, got.n);
    assert_string_equal("M1", got.mn[0]);
    assert_string_equal("idle timeout", got.reason[0]);
    assert_int_equal(5000, got.closed[0]);
    assert_string_equal("(null)", got.mn[1]);
    assert_string_equal("(null)", got.reason[1]);
    got = conns(f->s, (struct ew_conn_query){ .open_only = 1, .newest_first = 1 });
    assert_int_equal(2, got.n);
    assert_int_equal(c, got.id[0]);
    got = conns(f->s, (struct ew_conn_query){ .mn = "M1" });
    assert_int_equal(1, got.n);
    got = conns(f->s, (struct ew_conn_query){ .from_ms = 2000, .to_ms = 2000 });
    assert_int_equal(1, got.n);
    assert_int_equal(b, got.id[0]);
    got = conns(f->s, (struct ew_conn_query){ .limit = 1, .newest_first = 1 });
    assert_int_equal(c, got.id[0]);
}

static void
restart_closes_connections_left_open(void **state)
{
    struct fx *f = *state;
    int64_t a = 0, b = 0, closed = -1;
    struct conns got;

    assert_int_equal(EW_OK, ew_store_conn_open(f->s, "10.0.0.1:1", 1000, &a));
    assert_int_equal(EW_OK, ew_store_conn_open(f->s, "10.0.0.1:2", 2000, &b));
    assert_int_equal(EW_OK, ew_store_conn_close(f->s, a, 1500, "peer closed"));
    /* A close stamped before the open (clock stepped back) still ends the row. */
    assert_int_equal(EW_OK, ew_store_conn_close_all(f->s, 500, "daemon restart", &closed));
    assert_int_equal(1, closed);
    got = conns(f->s, (struct ew_conn_query){ .open_only = 1 });
    assert_int_equal(0, got.n);
    got = conns(f->s, (struct ew_conn_query){ 0 });
    assert_int_equal(2000, got.closed[1]);
    assert_string_equal("daemon restart", got.reason[1]);
    assert_string_equal("peer closed", got.reason[0]);
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)
    const struct CMUnitTest tests[] = {
        T(journal_keeps_every_frame_byte_for_byte),
        T(journal_search_by_mn_time_limit_and_order),
        T(journal_prune_removes_only_older_frames),
        T(journal_frames_live_in_one_file_per_day),
        T(journal_rollback_leaves_no_row_and_later_frames_read_right),
        T(journal_prune_removes_whole_days_of_files),
        T(journal_missing_file_reads_as_empty_not_as_error),
        T(journal_rows_from_before_the_files_still_read),
        T(connection_history_follows_open_identify_close),
        T(restart_closes_connections_left_open),
    };
#undef T
    return cmocka_run_group_tests_name("store/sqlite_journal", tests, NULL, NULL);
}
