/* SPDX-License-Identifier: MIT */
/*
 * src/store/sqlite.c and sqlite_schema.c: a new store from an empty folder, versioned
 * migrations, read-only handles, who checkpoints, the change counter.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "store/internal.h"
#include "unit/store/fixture.h"

static char *
db_path(const struct fx *f, char *out, size_t len)
{
    snprintf(out, len, "%s/envwatch.db", f->dir);
    return out;
}

/* Runs one query that returns one text or integer, straight through SQLite. */
static void
query_text(const char *path, const char *sql, char *out, size_t len)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;

    assert_int_equal(SQLITE_OK, sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL));
    assert_int_equal(SQLITE_OK, sqlite3_prepare_v2(db, sql, -1, &st, NULL));
    assert_int_equal(SQLITE_ROW, sqlite3_step(st));
    snprintf(out, len, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void
empty_folder_becomes_a_wal_store_at_the_latest_schema(void **state)
{
    struct fx *f = *state;
    char path[128], got[64];
    int v = -1;

    assert_int_equal(EW_OK, ew_store_schema_version(f->s, &v));
    assert_int_equal(ew__sqlite_schema_latest(), v);
    assert_true(v >= 1);
    query_text(db_path(f, path, sizeof(path)), "PRAGMA journal_mode", got, sizeof(got));
    assert_string_equal("wal", got);
    query_text(path, "SELECT count(*) FROM sqlite_schema WHERE name IN ('point', 'series',"
               " 'latest_point', 'journal', 'pending', 'conn')", got, sizeof(got));
    assert_string_equal("6", got);
}

static void
nested_folders_are_created(void **state)
{
    struct fx *f = *state;
    struct ew_store *s = NULL;
    char dir[128];

    snprintf(dir, sizeof(dir), "%s/a/b", f->dir);
    assert_int_equal(EW_OK, ew_store_open(dir, EW_STORE_CREATE, &s));
    ew_store_close(s);
}

static const char *const steps[] = {
    "CREATE TABLE t1(x)",
    "CREATE TABLE t2(x)",
    "CREATE TABLE t3(x)",
    "CREATE TABLE t4(x); CREATE TABLE t1(x)",   /* fails: t1 exists */
};

static int
version_of(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int v = -1;

    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

static int
has_table(sqlite3 *db, const char *name)
{
    char sql[128];

    snprintf(sql, sizeof(sql), "SELECT 1 FROM %s", name);
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK;
}

static void
migrations_apply_only_what_is_missing(void **state)
{
    struct fx *f = *state;
    char path[128], err[256] = "";
    sqlite3 *db = NULL;

    snprintf(path, sizeof(path), "%s/m.db", f->dir);
    assert_int_equal(SQLITE_OK, sqlite3_open(path, &db));
    assert_int_equal(EW_OK, ew__sqlite_migrate(db, steps, 2, err, sizeof(err)));
    assert_int_equal(2, version_of(db));
    assert_true(has_table(db, "t2") && !has_table(db, "t3"));
    /* Re-running step 1 or 2 would fail ("table exists"): only step 3 may run. */
    assert_int_equal(EW_OK, ew__sqlite_migrate(db, steps, 3, err, sizeof(err)));
    assert_int_equal(3, version_of(db));
    assert_true(has_table(db, "t3"));
    assert_int_equal(EW_OK, ew__sqlite_migrate(db, steps, 3, err, sizeof(err)));
    /* A failing step undoes its whole run, the version stays. */
    assert_int_equal(EW_EIO, ew__sqlite_migrate(db, steps, 4, err, sizeof(err)));
    assert_non_null(strstr(err, "migration 4"));
    assert_int_equal(3, version_of(db));
    assert_false(has_table(db, "t4"));
    /* A database newer than the code is refused. */
    assert_int_equal(EW_ESTATE, ew__sqlite_migrate(db, steps, 2, err, sizeof(err)));
    assert_non_null(strstr(err, "newer"));
    sqlite3_close(db);
}

/* Writes a database whose user_version is v, without our tables. */
static void
make_foreign_db(const char *dir, int v)
{
    char path[128], sql[64];
    sqlite3 *db = NULL;

    snprintf(path, sizeof(path), "%s/envwatch.db", dir);
    snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", v);
    assert_int_equal(SQLITE_OK, sqlite3_open(path, &db));
    assert_int_equal(SQLITE_OK, sqlite3_exec(db, sql, NULL, NULL, NULL));
    sqlite3_close(db);
}

static void
old_schema_refuses_readers_and_is_upgraded_by_the_writer(void **state)
{
    struct fx *f = *state;
    struct ew_store *s = NULL;
    char dir[128], msg[512] = "";
    int v = -1;

    snprintf(dir, sizeof(dir), "%s/old", f->dir);
    assert_int_equal(0, mkdir(dir, 0700));
    make_foreign_db(dir, 0);
    assert_int_equal(EW_ESTATE, ew_store_open_config(dir, &(struct ew_store_config){
                                                         .flags = EW_STORE_RDONLY },
                                                     &s, msg, sizeof(msg)));
    assert_non_null(strstr(msg, "schema version 0 is older"));
    assert_null(s);
    assert_int_equal(EW_OK, ew_store_open(dir, 0, &s));
    assert_int_equal(EW_OK, ew_store_schema_version(s, &v));
    assert_int_equal(ew__sqlite_schema_latest(), v);
    ew_store_close(s);
    s = NULL;
    assert_int_equal(EW_OK, ew_store_open(dir, EW_STORE_RDONLY, &s));
    ew_store_close(s);
}

static void
newer_schema_is_refused(void **state)
{
    struct fx *f = *state;
    struct ew_store *s = NULL;
    char dir[128], msg[512] = "";

    snprintf(dir, sizeof(dir), "%s/new", f->dir);
    assert_int_equal(0, mkdir(dir, 0700));
    make_foreign_db(dir, 999);
    assert_int_equal(EW_ESTATE, ew_store_open_config(dir, NULL, &s, msg, sizeof(msg)));
    assert_non_null(strstr(msg, "newer"));
    assert_int_equal(EW_ESTATE, ew_store_open(dir, EW_STORE_RDONLY, &s));
    assert_null(s);
}

static int
count_point(void *ctx, const struct ew_point *p)
{
    (void)p;
    (*(int *)ctx)++;
    return 0;
}

static void
readers_see_committed_data_and_cannot_write(void **state)
{
    struct fx *f = *state;
    struct ew_store *ro = NULL;
    struct ew_point p = fx_point("M2", "air"), got;
    struct ew_reading r;
    int n = 0, inserted = 5;
    int64_t id = fx_add_point(f->s, "M1");

    assert_int_equal(EW_OK, ew_store_open(f->dir, EW_STORE_RDONLY, &ro));
    assert_int_equal(EW_OK, ew_store_point_get(ro, "M1", &got));
    /* Uncommitted: invisible to the reader. */
    assert_int_equal(EW_OK, ew_store_begin(f->s));
    assert_int_equal(EW_OK, ew_store_point_put(f->s, &p));
    assert_int_equal(EW_ENOTFOUND, ew_store_point_get(ro, "M2", &got));
    assert_int_equal(EW_OK, ew_store_commit(f->s));
    assert_int_equal(EW_OK, ew_store_point_get(ro, "M2", &got));
    /* Writes through the read-only connection are denied by SQLite itself. */
    p = fx_point("M3", "air");
    assert_int_equal(EW_EDENIED, ew_store_point_put(ro, &p));
    assert_int_equal(0, p.id);
    assert_int_equal(EW_EDENIED, ew_store_point_remove(ro, "M1"));
    r = fx_reading(id, EW_KIND_HOUR, fx_t(2024, 1, 1, 0, 0), "a21026", 3.0);
    assert_int_equal(EW_EDENIED, ew_store_reading_put(ro, &r, &inserted));
    assert_int_equal(5, inserted);
    assert_int_equal(EW_EDENIED, ew_store_pending_touch(ro, "X1", "22", "1.2.3.4:1", 1));
    assert_int_equal(EW_ESTATE, ew_store_checkpoint(ro, 0, NULL));
    assert_int_equal(EW_OK, ew_store_point_each(f->s, count_point, &n));
    assert_int_equal(2, n);
    ew_store_close(ro);
}

static void
one_handle_owns_checkpoints(void **state)
{
    struct fx *f = *state;
    struct ew_store *second = NULL, *daemon = NULL;
    char msg[256] = "";
    int pages = -1;

    assert_int_not_equal(0, fx_add_point(f->s, "M1"));
    assert_int_equal(EW_OK, ew_store_checkpoint(f->s, 1, &pages));
    assert_true(pages >= 0);
    /* A second writer (the CLI beside the daemon) writes but never checkpoints. */
    assert_int_equal(EW_OK, ew_store_open(f->dir, 0, &second));
    assert_int_not_equal(0, fx_add_point(second, "M2"));
    assert_int_equal(EW_ESTATE, ew_store_checkpoint(second, 0, NULL));
    /* A daemon's writer insists on owning them. */
    assert_int_equal(EW_EBUSY, ew_store_open_config(f->dir, &(struct ew_store_config){
                                                        .flags = EW_STORE_CHECKPOINTER },
                                                    &daemon, msg, sizeof(msg)));
    assert_non_null(strstr(msg, "already open for writing"));
    ew_store_close(f->s);
    f->s = NULL;
    assert_int_equal(EW_OK, ew_store_open_config(f->dir, &(struct ew_store_config){
                                                     .flags = EW_STORE_CHECKPOINTER },
                                                 &daemon, msg, sizeof(msg)));
    assert_int_equal(EW_OK, ew_store_checkpoint(daemon, 0, NULL));
    ew_store_close(second);
    f->s = daemon;
}

static void
data_version_tells_of_other_writers_only(void **state)
{
    struct fx *f = *state;
    struct ew_store *cli = NULL;
    int a = 0, b = 0;

    assert_int_equal(EW_OK, ew_store_data_version(f->s, &a));
    assert_int_not_equal(0, fx_add_point(f->s, "M1"));
    assert_int_equal(EW_OK, ew_store_data_version(f->s, &b));
    assert_int_equal(a, b);
    assert_int_equal(EW_OK, ew_store_open(f->dir, 0, &cli));
    assert_int_not_equal(0, fx_add_point(cli, "M2"));
    ew_store_close(cli);
    assert_int_equal(EW_OK, ew_store_data_version(f->s, &b));
    assert_int_not_equal(a, b);
}

/* Writes about 1,300 pages of WAL in 13 commits; returns the WAL's frames afterwards. */
static int
wal_pages_after_writes(struct ew_store *s)
{
    static char value[4000];
    static int seq;
    char key[32];
    int pages = -1;

    memset(value, 'x', sizeof(value) - 1);
    for (int tx = 0; tx < 13; tx++) {
        assert_int_equal(EW_OK, ew_store_begin(s));
        for (int i = 0; i < 100; i++) {
            snprintf(key, sizeof(key), "wal-test-%d", seq++);
            assert_int_equal(EW_OK, ew_store_ledger_kv_put(s, key, value));
        }
        assert_int_equal(EW_OK, ew_store_commit(s));
    }
    assert_int_equal(EW_OK, ew_store_checkpoint(s, 0, &pages));
    return pages;
}

static void
checkpoint_and_sync_settings_are_honoured(void **state)
{
    struct fx *f = *state;
    struct ew_store_config cfg = { .sync_full = 1, .busy_timeout_ms = 100,
                                   .autocheckpoint_pages = 500, .cache_kib = 1024 };

    /* The default (10,000 pages) lets 1,300 pages of WAL build up. */
    assert_true(wal_pages_after_writes(f->s) >= 1300);
    ew_store_close(f->s);
    f->s = NULL;
    /* Every 500 pages: the WAL starts over before it is full. */
    assert_int_equal(EW_OK, ew_store_open_config(f->dir, &cfg, &f->s, NULL, 0));
    assert_true(wal_pages_after_writes(f->s) < 1000);
    ew_store_close(f->s);
    f->s = NULL;
    /* Automatic checkpoints off: the WAL keeps everything until ew_store_checkpoint. */
    cfg.autocheckpoint_pages = -1;
    assert_int_equal(EW_OK, ew_store_open_config(f->dir, &cfg, &f->s, NULL, 0));
    assert_true(wal_pages_after_writes(f->s) >= 1300);
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)
    const struct CMUnitTest tests[] = {
        T(empty_folder_becomes_a_wal_store_at_the_latest_schema),
        T(nested_folders_are_created),
        T(migrations_apply_only_what_is_missing),
        T(old_schema_refuses_readers_and_is_upgraded_by_the_writer),
        T(newer_schema_is_refused),
        T(readers_see_committed_data_and_cannot_write),
        T(one_handle_owns_checkpoints),
        T(data_version_tells_of_other_writers_only),
        T(checkpoint_and_sync_settings_are_honoured),
    };
#undef T
    return cmocka_run_group_tests_name("store/sqlite", tests, NULL, NULL);
}
