/* SPDX-License-Identifier: MIT */
/*
 * The SQLite schema, versioned in code. migrations[i] takes a database from version i to
 * i + 1 (PRAGMA user_version holds the version). The writer applies what is missing when it
 * opens the store, all in one transaction; read-only handles refuse a schema that is not
 * the latest.
 *
 * To change the schema, APPEND one entry (a string of SQL statements). Never edit or
 * reorder an entry that has been released: databases in the field have run it.
 *
 * Not here: the readings themselves live in one table per data kind and month,
 * r<kind>_<yyyymm> (r2061_202401), created on first use from the template in
 * sqlite_reading.c, so old months can be dropped whole.
 */
#include <stdio.h>

#include <sqlite3.h>

#include <envwatch/err.h>

#include "store/internal.h"

static const char *const migrations[] = {
    /* 1: registry, series ids, latest values, raw journal, pending instruments, connections */
    "CREATE TABLE point("
    "  id INTEGER PRIMARY KEY,"
    "  mn TEXT NOT NULL UNIQUE,"
    "  pw TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  site TEXT NOT NULL DEFAULT '',"
    "  county TEXT NOT NULL DEFAULT '',"
    "  lat REAL, lon REAL,"
    "  extra TEXT NOT NULL DEFAULT '{}',"
    "  created_unix_s INTEGER NOT NULL,"
    "  removed_unix_s INTEGER NOT NULL DEFAULT 0);"
    /* An integer id per (point, kind, factor) halves the size of a reading row against a
     * text key (clibs.md section 6: 23.4 vs 50.3 bytes per value). */
    "CREATE TABLE series("
    "  id INTEGER PRIMARY KEY,"
    "  point_id INTEGER NOT NULL,"
    "  kind INTEGER NOT NULL,"
    "  factor TEXT NOT NULL,"
    "  UNIQUE(point_id, kind, factor));"
    "CREATE TABLE latest("
    "  point_id INTEGER NOT NULL, factor TEXT NOT NULL, kind INTEGER NOT NULL,"
    "  t INTEGER NOT NULL, value REAL, min REAL, max REAL, cou REAL, zs REAL, flag TEXT,"
    "  PRIMARY KEY(point_id, factor)) WITHOUT ROWID;"
    "CREATE TABLE journal("
    "  id INTEGER PRIMARY KEY, t_recv_ms INTEGER NOT NULL, peer TEXT NOT NULL, mn TEXT,"
    "  verdict TEXT NOT NULL, bytes BLOB NOT NULL);"
    "CREATE INDEX journal_t ON journal(t_recv_ms);"
    "CREATE INDEX journal_mn_t ON journal(mn, t_recv_ms) WHERE mn IS NOT NULL;"
    "CREATE TABLE pending("
    "  mn TEXT PRIMARY KEY, peer TEXT NOT NULL, st TEXT NOT NULL,"
    "  first_ms INTEGER NOT NULL, last_ms INTEGER NOT NULL, packets INTEGER NOT NULL)"
    "  WITHOUT ROWID;"
    "CREATE TABLE conn("
    "  id INTEGER PRIMARY KEY, peer TEXT NOT NULL, mn TEXT, opened_ms INTEGER NOT NULL,"
    "  closed_ms INTEGER NOT NULL DEFAULT 0, reason TEXT);"
    "CREATE INDEX conn_opened ON conn(opened_ms);"
    "CREATE INDEX conn_mn ON conn(mn, opened_ms) WHERE mn IS NOT NULL;"
    "CREATE INDEX conn_live ON conn(id) WHERE closed_ms = 0;",
};

int
ew__sqlite_schema_latest(void)
{
    return (int)EW_ARRAY_LEN(migrations);
}

int
ew__sqlite_migrate_latest(sqlite3 *db, char *err, size_t len)
{
    return ew__sqlite_migrate(db, migrations, (int)EW_ARRAY_LEN(migrations), err, len);
}

static int
user_version(sqlite3 *db, int *v)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);

    if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        *v = sqlite3_column_int(st, 0);
    else
        rc = SQLITE_ERROR;
    sqlite3_finalize(st);
    return rc;
}

static int
undo(sqlite3 *db, int rc)
{
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

int
ew__sqlite_migrate(sqlite3 *db, const char *const *steps, int n, char *err, size_t len)
{
    char sql[64];
    int v = 0;

    /* The version is read inside the write transaction: two writers opening a new store at
     * once cannot both run step 1. */
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, len, "schema: %s", sqlite3_errmsg(db));
        return EW_EBUSY;
    }
    if (user_version(db, &v) != SQLITE_OK) {
        snprintf(err, len, "schema: %s", sqlite3_errmsg(db));
        return undo(db, EW_EIO);
    }
    if (v > n) {
        snprintf(err, len, "schema version %d is newer than this envwatch's %d; use a newer "
                 "envwatch", v, n);
        return undo(db, EW_ESTATE);
    }
    for (int i = v; i < n; i++) {
        if (sqlite3_exec(db, steps[i], NULL, NULL, NULL) != SQLITE_OK) {
            snprintf(err, len, "schema migration %d: %s", i + 1, sqlite3_errmsg(db));
            return undo(db, EW_EIO);
        }
    }
    snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", n);
    if ((v < n && sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) ||
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, len, "schema: %s", sqlite3_errmsg(db));
        return undo(db, EW_EIO);
    }
    return EW_OK;
}
