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
 * v<kind>_<yyyymm> (v2061_202401), created on first use from the template in
 * sqlite_reading.c, so old months can be dropped whole. The tables r<kind>_<yyyymm>, series
 * and latest of the first layout are converted by ew__sqlite_readings_upgrade.
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
    /* 2: air quality (sqlite_air.c): hourly and daily AQI per station, county and city,
     * heavy-pollution alerts with their changes and state, annual targets */
    "CREATE TABLE air_aqi("
    "  scope INTEGER NOT NULL, name TEXT NOT NULL, period INTEGER NOT NULL, t INTEGER NOT NULL,"
    "  county TEXT NOT NULL DEFAULT '', control INTEGER NOT NULL DEFAULT 0,"
    "  so2 REAL, no2 REAL, co REAL, o3 REAL, o3_8h REAL, pm10 REAL, pm25 REAL,"
    "  i_so2 INTEGER, i_no2 INTEGER, i_co INTEGER, i_o3 INTEGER, i_o3_8h INTEGER,"
    "  i_pm10 INTEGER, i_pm25 INTEGER,"
    "  aqi INTEGER, level INTEGER NOT NULL, primary_mask INTEGER NOT NULL,"
    "  exceeding_mask INTEGER NOT NULL,"
    "  n_so2 INTEGER NOT NULL, n_no2 INTEGER NOT NULL, n_co INTEGER NOT NULL,"
    "  n_o3 INTEGER NOT NULL, n_o3_8h INTEGER NOT NULL, n_pm10 INTEGER NOT NULL,"
    "  n_pm25 INTEGER NOT NULL,"
    "  stations INTEGER NOT NULL, computed_unix_s INTEGER NOT NULL,"
    "  PRIMARY KEY(scope, name, period, t)) WITHOUT ROWID;"
    "CREATE INDEX air_aqi_time ON air_aqi(period, t);"
    "CREATE TABLE air_alert("
    "  id INTEGER PRIMARY KEY, scope INTEGER NOT NULL, name TEXT NOT NULL,"
    "  level INTEGER NOT NULL, max_level INTEGER NOT NULL,"
    "  start_unix_s INTEGER NOT NULL, end_unix_s INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX air_alert_area ON air_alert(scope, name, start_unix_s);"
    "CREATE TABLE air_alert_change("
    "  id INTEGER PRIMARY KEY, alert_id INTEGER NOT NULL, kind INTEGER NOT NULL,"
    "  from_level INTEGER NOT NULL, to_level INTEGER NOT NULL, t_unix_s INTEGER NOT NULL,"
    "  day_unix_s INTEGER NOT NULL, aqi INTEGER);"
    "CREATE INDEX air_alert_change_alert ON air_alert_change(alert_id, id);"
    "CREATE TABLE air_alert_state("
    "  scope INTEGER NOT NULL, name TEXT NOT NULL, level INTEGER NOT NULL,"
    "  since_unix_s INTEGER NOT NULL, day_unix_s INTEGER NOT NULL,"
    "  PRIMARY KEY(scope, name)) WITHOUT ROWID;"
    "CREATE TABLE air_target("
    "  year INTEGER PRIMARY KEY, pm25_ugm3 REAL, good_share_pct REAL, heavy_days_max INTEGER);",
    /* 3: alarms (sqlite_alarm.c) with their history steps and the notification outbox; the
     * limits the alarm engine resolved per outlet and pollutant. State 4 is closed: at most
     * one alarm per (point, kind, factor) is not. */
    "CREATE TABLE alarm("
    "  id INTEGER PRIMARY KEY, point_id INTEGER NOT NULL, kind INTEGER NOT NULL,"
    "  factor TEXT NOT NULL DEFAULT '', state INTEGER NOT NULL, active INTEGER NOT NULL,"
    "  start_t INTEGER NOT NULL, end_t INTEGER NOT NULL, peak_t INTEGER NOT NULL,"
    "  peak REAL, lim REAL, multiple REAL, count INTEGER NOT NULL,"
    "  opened_ms INTEGER NOT NULL, last_seen_ms INTEGER NOT NULL,"
    "  closed_ms INTEGER NOT NULL DEFAULT 0);"
    "CREATE UNIQUE INDEX alarm_live ON alarm(point_id, kind, factor) WHERE state <> 4;"
    "CREATE INDEX alarm_point ON alarm(point_id, opened_ms);"
    "CREATE INDEX alarm_opened ON alarm(opened_ms);"
    "CREATE TABLE alarm_step("
    "  id INTEGER PRIMARY KEY, alarm_id INTEGER NOT NULL, state INTEGER NOT NULL,"
    "  who TEXT NOT NULL, at_ms INTEGER NOT NULL, note TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX alarm_step_alarm ON alarm_step(alarm_id, id);"
    /* AUTOINCREMENT: ids never come back after the rows are delivered and removed, so the
     * notifier's "done up to id" stays meaningful. */
    "CREATE TABLE alarm_outbox("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT, alarm_id INTEGER NOT NULL, event TEXT NOT NULL,"
    "  t_ms INTEGER NOT NULL);"
    "CREATE TABLE source_limit("
    "  point_id INTEGER NOT NULL, factor TEXT NOT NULL, lim REAL NOT NULL, lim_lo REAL,"
    "  ref_o2 REAL, averaging INTEGER NOT NULL, standard TEXT NOT NULL DEFAULT '',"
    "  PRIMARY KEY(point_id, factor)) WITHOUT ROWID;",
    /* 4: governance ledgers (sqlite_ledger.c): work items of every kind with their history,
     * evidence files (bytes on disk in DIR/ledger), links, river patrols and reaches, and the
     * settings the daemon publishes. A code that is "" is stored as NULL (unique otherwise). */
    "CREATE TABLE ledger_item("
    "  id INTEGER PRIMARY KEY, kind INTEGER NOT NULL, state INTEGER NOT NULL,"
    "  overdue INTEGER NOT NULL, level INTEGER NOT NULL, extensions INTEGER NOT NULL,"
    "  penalty_days INTEGER NOT NULL, code TEXT, title TEXT NOT NULL, body TEXT NOT NULL,"
    "  unit TEXT NOT NULL, county TEXT NOT NULL, leader TEXT NOT NULL,"
    "  gov_leader TEXT NOT NULL, coop_units TEXT NOT NULL, category TEXT NOT NULL,"
    "  source TEXT NOT NULL, subject TEXT NOT NULL, qty_target REAL, qty_done REAL,"
    "  penalty_yuan REAL, parent_id INTEGER NOT NULL, opened_t INTEGER NOT NULL,"
    "  due_t INTEGER NOT NULL, mark_t INTEGER NOT NULL, done_t INTEGER NOT NULL,"
    "  closed_t INTEGER NOT NULL, updated_t INTEGER NOT NULL, extra TEXT NOT NULL);"
    "CREATE UNIQUE INDEX ledger_item_code ON ledger_item(code) WHERE code IS NOT NULL;"
    /* A one-column index keeps its entries in id order per value: lists by unit or county
     * need no sort. */
    "CREATE INDEX ledger_item_kind ON ledger_item(kind, state);"
    "CREATE INDEX ledger_item_unit ON ledger_item(unit);"
    "CREATE INDEX ledger_item_county ON ledger_item(county);"
    "CREATE INDEX ledger_item_overdue ON ledger_item(unit) WHERE overdue = 1;"
    "CREATE INDEX ledger_item_running ON ledger_item(due_t) WHERE closed_t = 0 AND done_t = 0;"
    "CREATE INDEX ledger_item_parent ON ledger_item(parent_id) WHERE parent_id <> 0;"
    "CREATE TABLE ledger_event("
    "  id INTEGER PRIMARY KEY, item_id INTEGER NOT NULL, at_ms INTEGER NOT NULL,"
    "  action TEXT NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL, unit TEXT NOT NULL,"
    "  from_state INTEGER NOT NULL, to_state INTEGER NOT NULL, note TEXT NOT NULL);"
    "CREATE INDEX ledger_event_item ON ledger_event(item_id, id);"
    "CREATE TABLE ledger_file("
    "  id INTEGER PRIMARY KEY, item_id INTEGER NOT NULL, sha256 TEXT NOT NULL,"
    "  name TEXT NOT NULL, mime TEXT NOT NULL, size INTEGER NOT NULL, at_ms INTEGER NOT NULL,"
    "  actor TEXT NOT NULL, UNIQUE(item_id, sha256));"
    "CREATE TABLE ledger_link("
    "  item_id INTEGER NOT NULL, type TEXT NOT NULL, target TEXT NOT NULL,"
    "  relation TEXT NOT NULL, PRIMARY KEY(item_id, type, target, relation)) WITHOUT ROWID;"
    "CREATE INDEX ledger_link_target ON ledger_link(type, target);"
    "CREATE TABLE ledger_patrol("
    "  id INTEGER PRIMARY KEY, chief TEXT NOT NULL, level INTEGER NOT NULL,"
    "  reach TEXT NOT NULL, start_t INTEGER NOT NULL, end_t INTEGER NOT NULL,"
    "  length_km REAL NOT NULL, valid INTEGER NOT NULL, note TEXT NOT NULL);"
    "CREATE INDEX ledger_patrol_chief ON ledger_patrol(chief, start_t);"
    "CREATE INDEX ledger_patrol_start ON ledger_patrol(start_t);"
    "CREATE TABLE ledger_reach("
    "  code TEXT PRIMARY KEY, river TEXT NOT NULL, name TEXT NOT NULL, county TEXT NOT NULL,"
    "  level INTEGER NOT NULL, chief TEXT NOT NULL, parent TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE ledger_kv(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;",
    /* 5: accounts, sessions and API tokens (sqlite_auth.c; only hashes of tokens), and the
     * audit log: append-only (the triggers refuse UPDATE and DELETE), each entry chained to
     * the previous one by the hash in chain. */
    "CREATE TABLE auth_user("
    "  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, display TEXT NOT NULL,"
    "  role TEXT NOT NULL, county TEXT NOT NULL, unit TEXT NOT NULL, enterprise TEXT NOT NULL,"
    "  pwhash TEXT NOT NULL, disabled INTEGER NOT NULL, failures INTEGER NOT NULL,"
    "  locked_until_ms INTEGER NOT NULL, created_ms INTEGER NOT NULL,"
    "  updated_ms INTEGER NOT NULL, pw_changed_ms INTEGER NOT NULL);"
    "CREATE TABLE auth_session("
    "  hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL, created_ms INTEGER NOT NULL,"
    "  expires_ms INTEGER NOT NULL, peer TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE INDEX auth_session_user ON auth_session(user_id);"
    "CREATE TABLE auth_token("
    "  id INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE, user_id INTEGER NOT NULL,"
    "  label TEXT NOT NULL, created_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL,"
    "  revoked_ms INTEGER NOT NULL);"
    "CREATE INDEX auth_token_user ON auth_token(user_id);"
    "CREATE TABLE audit("
    "  id INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL,"
    "  via TEXT NOT NULL, peer TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL,"
    "  result TEXT NOT NULL, before_json TEXT, after_json TEXT, detail TEXT,"
    "  chain TEXT NOT NULL);"
    "CREATE INDEX audit_at ON audit(at_ms);"
    "CREATE INDEX audit_actor ON audit(actor, at_ms);"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
    /* 6: the latest values, one packed row per point (sqlite_reading.c); the writer moves
     * the rows of the table latest here when it opens the store, then drops it */
    "CREATE TABLE latest_point(point_id INTEGER PRIMARY KEY, v BLOB NOT NULL);",
    /* 7: ledger text search (sqlite_ledger.c): a trigram index of code, title and subject
     * (FTS5, SQLite >= 3.34), so a substring of 3 characters or more -- Chinese too, which
     * no word tokenizer splits -- is found without reading the table. External content:
     * the text stays in ledger_item; the triggers keep the index in step with every write. */
    "CREATE VIRTUAL TABLE ledger_fts USING fts5(code, title, subject, content='ledger_item',"
    "  content_rowid='id', tokenize='trigram case_sensitive 1');"
    "CREATE TRIGGER ledger_fts_insert AFTER INSERT ON ledger_item BEGIN"
    "  INSERT INTO ledger_fts(rowid, code, title, subject)"
    "    VALUES(new.id, new.code, new.title, new.subject); END;"
    "CREATE TRIGGER ledger_fts_delete AFTER DELETE ON ledger_item BEGIN"
    "  INSERT INTO ledger_fts(ledger_fts, rowid, code, title, subject)"
    "    VALUES('delete', old.id, old.code, old.title, old.subject); END;"
    "CREATE TRIGGER ledger_fts_update AFTER UPDATE OF code, title, subject ON ledger_item"
    "  WHEN old.code IS NOT new.code OR old.title IS NOT new.title"
    "    OR old.subject IS NOT new.subject BEGIN"
    "  INSERT INTO ledger_fts(ledger_fts, rowid, code, title, subject)"
    "    VALUES('delete', old.id, old.code, old.title, old.subject);"
    "  INSERT INTO ledger_fts(rowid, code, title, subject)"
    "    VALUES(new.id, new.code, new.title, new.subject); END;"
    "INSERT INTO ledger_fts(ledger_fts) VALUES('rebuild');",
    /* 8: the journal's frames move to one append-only file per day (sqlite_journal.c);
     * a row says where: day (YYYYMMDD, the file), off and len. Rows written before keep
     * their bytes and a NULL day. */
    "ALTER TABLE journal ADD COLUMN day INTEGER;"
    "ALTER TABLE journal ADD COLUMN off INTEGER;"
    "ALTER TABLE journal ADD COLUMN len INTEGER;",
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
