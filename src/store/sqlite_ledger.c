/* SPDX-License-Identifier: MIT */
/*
 * SQLite: the governance-ledger tables. One row per work item (ledger_item) with its history
 * (ledger_event), evidence files (ledger_file: metadata; the bytes live on disk beside the
 * database), links, river patrols and reaches, and a small key-value table for the settings
 * the daemon publishes (holiday calendar, scorecard). The state check of an update is one
 * conditional UPDATE, so two users acting on one item cannot both win. Text search uses the
 * trigram index ledger_fts, which triggers keep in step with ledger_item (sqlite_schema.c).
 *
 * Statements are prepared per call: ledger operations are user actions, not per-reading work,
 * and a callback of an _each function may call another operation on the same handle.
 */
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <envwatch/err.h>
#include <envwatch/store.h>

#include "store/auth_internal.h"
#include "store/internal.h"
#include "store/ledger_internal.h"
#include "util/buf.h"

#define ITEM_COLS                                                                              \
    "id, kind, state, overdue, level, extensions, penalty_days, code, title, body, unit,"      \
    " county, leader, gov_leader, coop_units, category, source, subject, qty_target,"          \
    " qty_done, penalty_yuan, parent_id, opened_t, due_t, mark_t, done_t, closed_t,"          \
    " updated_t, extra"
/* A list's or export's columns (EW_LEDGER_FIELDS_LIST): the same, with the long body and
 * extra replaced by constants, which SQLite never reads from the row. */
#define ITEM_COLS_LIST                                                                         \
    "id, kind, state, overdue, level, extensions, penalty_days, code, title, '', unit,"        \
    " county, leader, gov_leader, coop_units, category, source, subject, qty_target,"          \
    " qty_done, penalty_yuan, parent_id, opened_t, due_t, mark_t, done_t, closed_t,"          \
    " updated_t, '{}'"
/* The keys alone (counts read 100,000 of them): keys_to_item reads these. */
#define ITEM_COLS_KEYS                                                                         \
    "id, kind, state, overdue, level, unit, county, coop_units, subject, opened_t, due_t,"     \
    " done_t, closed_t"

#define FROM_ITEMS " FROM ledger_item"

/* Text search goes through the trigram index ledger_fts (sqlite_schema.c) from this many
 * characters on; shorter strings have no trigram and are found by a scan. */
#define FTS_MIN_CHARS 3

/* Ends a row loop: the callback's non-zero code wins, else a failed step is reported. */
static int
finish(struct ew__sqlite *c, sqlite3_stmt *st, int step_rc, int fn_rc, const char *what)
{
    int rc = fn_rc;

    if (rc == 0 && step_rc != SQLITE_DONE && step_rc != SQLITE_ROW)
        rc = ew__sqlite_fail(c, step_rc, what);
    ew__sqlite_release(c, st);
    return rc;
}

static void
text(sqlite3_stmt *st, int col, char *dst, size_t size)
{
    ew__store_copy(dst, size, ew__sqlite_text(st, col));
}

/* Binds the fields of it to ?1..?28 in ITEM_COLS order without the id. */
static void
bind_item(sqlite3_stmt *st, const struct ew_ledger_item *it)
{
    sqlite3_bind_int(st, 1, it->kind);
    sqlite3_bind_int(st, 2, it->state);
    sqlite3_bind_int(st, 3, it->overdue);
    sqlite3_bind_int(st, 4, it->level);
    sqlite3_bind_int(st, 5, it->extensions);
    sqlite3_bind_int(st, 6, it->penalty_days);
    if (it->code[0] != '\0')            /* "" is stored as NULL: the unique index skips it */
        sqlite3_bind_text(st, 7, it->code, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 7);
    sqlite3_bind_text(st, 8, it->title, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, it->body, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, it->unit, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 11, it->county, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 12, it->leader, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 13, it->gov_leader, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 14, it->coop_units, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 15, it->category, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 16, it->source, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 17, it->subject, -1, SQLITE_STATIC);
    ew__sqlite_bind_real(st, 18, it->qty_target);
    ew__sqlite_bind_real(st, 19, it->qty_done);
    ew__sqlite_bind_real(st, 20, it->penalty_yuan);
    sqlite3_bind_int64(st, 21, it->parent_id);
    sqlite3_bind_int64(st, 22, it->opened_unix_s);
    sqlite3_bind_int64(st, 23, it->due_unix_s);
    sqlite3_bind_int64(st, 24, it->mark_unix_s);
    sqlite3_bind_int64(st, 25, it->done_unix_s);
    sqlite3_bind_int64(st, 26, it->closed_unix_s);
    sqlite3_bind_int64(st, 27, it->updated_unix_s);
    sqlite3_bind_text(st, 28, it->extra[0] != '\0' ? it->extra : "{}", -1, SQLITE_STATIC);
}

/* Every field is assigned (no memset of the 5 KiB struct per row: exports read 100,000). */
static void
row_to_item(sqlite3_stmt *st, struct ew_ledger_item *it)
{
    it->id = sqlite3_column_int64(st, 0);
    it->kind = sqlite3_column_int(st, 1);
    it->state = sqlite3_column_int(st, 2);
    it->overdue = sqlite3_column_int(st, 3);
    it->level = sqlite3_column_int(st, 4);
    it->extensions = sqlite3_column_int(st, 5);
    it->penalty_days = sqlite3_column_int(st, 6);
    text(st, 7, it->code, sizeof(it->code));
    text(st, 8, it->title, sizeof(it->title));
    text(st, 9, it->body, sizeof(it->body));
    text(st, 10, it->unit, sizeof(it->unit));
    text(st, 11, it->county, sizeof(it->county));
    text(st, 12, it->leader, sizeof(it->leader));
    text(st, 13, it->gov_leader, sizeof(it->gov_leader));
    text(st, 14, it->coop_units, sizeof(it->coop_units));
    text(st, 15, it->category, sizeof(it->category));
    text(st, 16, it->source, sizeof(it->source));
    text(st, 17, it->subject, sizeof(it->subject));
    it->qty_target = ew__sqlite_real(st, 18);
    it->qty_done = ew__sqlite_real(st, 19);
    it->penalty_yuan = ew__sqlite_real(st, 20);
    it->parent_id = sqlite3_column_int64(st, 21);
    it->opened_unix_s = sqlite3_column_int64(st, 22);
    it->due_unix_s = sqlite3_column_int64(st, 23);
    it->mark_unix_s = sqlite3_column_int64(st, 24);
    it->done_unix_s = sqlite3_column_int64(st, 25);
    it->closed_unix_s = sqlite3_column_int64(st, 26);
    it->updated_unix_s = sqlite3_column_int64(st, 27);
    text(st, 28, it->extra, sizeof(it->extra));
}

/* A row of ITEM_COLS_KEYS; the other fields are "", 0 or NAN ("{}" for extra). */
static void
keys_to_item(sqlite3_stmt *st, struct ew_ledger_item *it)
{
    it->id = sqlite3_column_int64(st, 0);
    it->kind = sqlite3_column_int(st, 1);
    it->state = sqlite3_column_int(st, 2);
    it->overdue = sqlite3_column_int(st, 3);
    it->level = sqlite3_column_int(st, 4);
    it->extensions = it->penalty_days = 0;
    it->code[0] = it->title[0] = it->body[0] = '\0';
    text(st, 5, it->unit, sizeof(it->unit));
    text(st, 6, it->county, sizeof(it->county));
    it->leader[0] = it->gov_leader[0] = '\0';
    text(st, 7, it->coop_units, sizeof(it->coop_units));
    it->category[0] = it->source[0] = '\0';
    text(st, 8, it->subject, sizeof(it->subject));
    it->qty_target = it->qty_done = it->penalty_yuan = NAN;
    it->parent_id = 0;
    it->opened_unix_s = sqlite3_column_int64(st, 9);
    it->due_unix_s = sqlite3_column_int64(st, 10);
    it->mark_unix_s = 0;
    it->done_unix_s = sqlite3_column_int64(st, 11);
    it->closed_unix_s = sqlite3_column_int64(st, 12);
    it->updated_unix_s = 0;
    memcpy(it->extra, "{}", 3);
}

static int
event_put(struct ew__sqlite *c, int64_t item_id, const struct ew_ledger_event *ev)
{
    sqlite3_stmt *st = NULL;
    int rc = ew__sqlite_prep(c, "INSERT INTO ledger_event(item_id, at_ms, action, actor, role, unit,"
                     " from_state, to_state, note) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                  &st);

    if (rc != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, item_id);
    sqlite3_bind_int64(st, 2, ev->at_ms);
    sqlite3_bind_text(st, 3, ev->action, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, ev->actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, ev->role, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, ev->unit, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 7, ev->from_state);
    sqlite3_bind_int(st, 8, ev->to_state);
    sqlite3_bind_text(st, 9, ev->note, -1, SQLITE_STATIC);
    return ew__sqlite_run_once(c, st, "ledger event");
}

/* A unique-code violation reads better than SQLite's constraint text. */
static int
item_write_fail(struct ew__sqlite *c, int rc, const struct ew_ledger_item *it)
{
    if (rc == EW_EEXIST)
        return ew__sqlite_say(c, EW_EEXIST, "ledger item: the code '%s' is already used",
                              it->code);
    return rc;
}

static int
item_insert(struct ew__sqlite *c, struct ew_ledger_item *it, const struct ew_ledger_event *ev)
{
    sqlite3_stmt *st = NULL;
    int rc = ew__sqlite_prep(c, "INSERT INTO ledger_item(kind, state, overdue, level, extensions,"
                     " penalty_days, code, title, body, unit, county, leader, gov_leader,"
                     " coop_units, category, source, subject, qty_target, qty_done,"
                     " penalty_yuan, parent_id, opened_t, due_t, mark_t, done_t, closed_t,"
                     " updated_t, extra) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
                     " ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25,"
                     " ?26, ?27, ?28)",
                  &st);

    if (rc != EW_OK)
        return rc;
    bind_item(st, it);
    if ((rc = ew__sqlite_run_once(c, st, "ledger item")) != EW_OK)
        return item_write_fail(c, rc, it);
    it->id = sqlite3_last_insert_rowid(c->db);
    return event_put(c, it->id, ev);
}

int
ew__sqlite_ledger_item_add(void *ctx, struct ew_ledger_item *it,
                           const struct ew_ledger_event *first)
{
    struct ew__sqlite *c = ctx;
    struct ew_ledger_item tmp = *it;
    int mode, rc;

    if ((rc = ew__sqlite_tx_enter(c, &mode)) != EW_OK)
        return rc;
    rc = ew__sqlite_tx_leave(c, mode, item_insert(c, &tmp, first));
    if (rc == EW_OK)
        it->id = tmp.id;
    return rc;
}

static int
item_state(struct ew__sqlite *c, int64_t id, int *state)
{
    sqlite3_stmt *st = NULL;
    int rc = ew__sqlite_prep(c, "SELECT state FROM ledger_item WHERE id = ?1", &st);

    if (rc != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *state = sqlite3_column_int(st, 0);
        rc = EW_OK;
    } else if (rc == SQLITE_DONE) {
        rc = ew__sqlite_say(c, EW_ENOTFOUND, "ledger: no item with id %lld", (long long)id);
    } else {
        rc = ew__sqlite_fail(c, rc, "ledger item state");
    }
    ew__sqlite_release(c, st);
    return rc;
}

static int
item_rewrite(struct ew__sqlite *c, const struct ew_ledger_item *it, int expect_state,
             const struct ew_ledger_event *ev)
{
    sqlite3_stmt *st = NULL;
    int now_state = 0;
    int rc = ew__sqlite_prep(c, "UPDATE ledger_item SET kind = ?1, state = ?2, overdue = ?3, level = ?4,"
                     " extensions = ?5, penalty_days = ?6, code = ?7, title = ?8, body = ?9,"
                     " unit = ?10, county = ?11, leader = ?12, gov_leader = ?13,"
                     " coop_units = ?14, category = ?15, source = ?16, subject = ?17,"
                     " qty_target = ?18, qty_done = ?19, penalty_yuan = ?20, parent_id = ?21,"
                     " opened_t = ?22, due_t = ?23, mark_t = ?24, done_t = ?25, closed_t = ?26,"
                     " updated_t = ?27, extra = ?28 WHERE id = ?29 AND state = ?30",
                  &st);

    if (rc != EW_OK)
        return rc;
    bind_item(st, it);
    sqlite3_bind_int64(st, 29, it->id);
    sqlite3_bind_int(st, 30, expect_state);
    if ((rc = ew__sqlite_run_once(c, st, "ledger item")) != EW_OK)
        return item_write_fail(c, rc, it);
    if (sqlite3_changes(c->db) == 0) {
        if ((rc = item_state(c, it->id, &now_state)) != EW_OK)
            return rc;
        return ew__sqlite_say(c, EW_ESTATE, "ledger item %lld: its state is %d, not %d",
                              (long long)it->id, now_state, expect_state);
    }
    return ev != NULL ? event_put(c, it->id, ev) : EW_OK;
}

int
ew__sqlite_ledger_item_update(void *ctx, const struct ew_ledger_item *it, int expect_state,
                              const struct ew_ledger_event *ev)
{
    struct ew__sqlite *c = ctx;
    int mode, rc;

    if ((rc = ew__sqlite_tx_enter(c, &mode)) != EW_OK)
        return rc;
    return ew__sqlite_tx_leave(c, mode, item_rewrite(c, it, expect_state, ev));
}

static int
one_item(struct ew__sqlite *c, sqlite3_stmt *st, struct ew_ledger_item *out, const char *what)
{
    int rc = sqlite3_step(st);

    if (rc == SQLITE_ROW) {
        row_to_item(st, out);
        rc = EW_OK;
    } else if (rc == SQLITE_DONE) {
        rc = ew__sqlite_say(c, EW_ENOTFOUND, "%s: no such ledger item", what);
    } else {
        rc = ew__sqlite_fail(c, rc, what);
    }
    ew__sqlite_release(c, st);
    return rc;
}

int
ew__sqlite_ledger_item_get(void *ctx, int64_t id, struct ew_ledger_item *out)
{
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc = ew__sqlite_prep(c, "SELECT " ITEM_COLS " FROM ledger_item WHERE id = ?1", &st);

    if (rc != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    return one_item(c, st, out, "ledger item");
}

int
ew__sqlite_ledger_item_find(void *ctx, const char *code, struct ew_ledger_item *out)
{
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc = ew__sqlite_prep(c, "SELECT " ITEM_COLS " FROM ledger_item WHERE code = ?1", &st);

    if (rc != EW_OK)
        return rc;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    return one_item(c, st, out, "ledger item");
}

/* ---- queries ----------------------------------------------------------------------------- */

/* 1 when text has FTS_MIN_CHARS characters or more (UTF-8 lead bytes counted). */
static int
fts_usable(const char *text)
{
    int n = 0;

    for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++)
        n += (*p & 0xC0) != 0x80;
    return n >= FTS_MIN_CHARS;
}

/* text as one FTS5 phrase: in double quotes, each '"' doubled; everything else is literal.
 * NULL when out of memory (binds NULL, which matches nothing). */
static char *
fts_phrase(const char *text)
{
    char *out = malloc(2 * strlen(text) + 3), *o = out;

    if (out == NULL)
        return NULL;
    *o++ = '"';
    for (const char *p = text; *p != '\0'; p++) {
        if (*p == '"')
            *o++ = '"';
        *o++ = *p;
    }
    *o++ = '"';
    *o = '\0';
    return out;
}

/* The WHERE clause of q with its parameters numbered from 1, bound by bind_query. */
static int
where_query(struct ew_buf *b, const struct ew_ledger_query *q)
{
    size_t bare;

    ew_buf_adds(b, " WHERE 1");
    bare = b->len;
    /* One kind or one state is an equality, which the indexes serve; several are a mask. */
    if (q->kinds != 0 && (q->kinds & (q->kinds - 1)) == 0)
        ew_buf_printf(b, " AND kind = %d", __builtin_ctz(q->kinds));
    else if (q->kinds != 0)
        ew_buf_printf(b, " AND ((1 << kind) & %u) <> 0", q->kinds);
    if (q->states != 0 && (q->states & (q->states - 1)) == 0)
        ew_buf_printf(b, " AND state = %d", __builtin_ctzll(q->states));
    else if (q->states != 0)
        ew_buf_printf(b, " AND ((1 << state) & %lld) <> 0", (long long)q->states);
    if (q->unit != NULL)
        ew_buf_adds(b, " AND unit = ?1");
    if (q->county != NULL)
        ew_buf_adds(b, " AND county = ?2");
    if (q->text != NULL && fts_usable(q->text))
        ew_buf_adds(b, " AND id IN (SELECT rowid FROM ledger_fts WHERE ledger_fts MATCH ?7)");
    /* The index proposes, instr decides: the same exact, case-sensitive substring rule for
     * every length of text. */
    if (q->text != NULL)
        ew_buf_adds(b, " AND (instr(code, ?3) > 0 OR instr(title, ?3) > 0"
                       " OR instr(subject, ?3) > 0)");
    if (q->overdue >= 0)
        ew_buf_printf(b, " AND overdue = %d", q->overdue);
    if (q->open == 1)
        ew_buf_adds(b, " AND closed_t = 0");
    else if (q->open == 0)
        ew_buf_adds(b, " AND closed_t <> 0");
    if (q->running)
        ew_buf_adds(b, " AND closed_t = 0 AND done_t = 0");
    if (q->due_from != 0 || q->due_to != 0)
        ew_buf_adds(b, " AND due_t <> 0");
    if (q->due_from != 0)
        ew_buf_adds(b, " AND due_t >= ?4");
    if (q->due_to != 0)
        ew_buf_adds(b, " AND due_t <= ?5");
    if (q->parent_id != 0)
        ew_buf_adds(b, " AND parent_id = ?6");
    /* No condition: no WHERE at all, so count(*) is SQLite's b-tree count, not a scan. */
    if (b->len == bare) {
        b->len -= strlen(" WHERE 1");
        if (b->ptr != NULL)
            b->ptr[b->len] = '\0';
    }
    return EW_OK;
}

static void
bind_query(sqlite3_stmt *st, const struct ew_ledger_query *q)
{
    if (q->unit != NULL)
        sqlite3_bind_text(st, 1, q->unit, -1, SQLITE_STATIC);
    if (q->county != NULL)
        sqlite3_bind_text(st, 2, q->county, -1, SQLITE_STATIC);
    if (q->text != NULL)
        sqlite3_bind_text(st, 3, q->text, -1, SQLITE_STATIC);
    if (q->text != NULL && fts_usable(q->text))
        sqlite3_bind_text(st, 7, fts_phrase(q->text), -1, free);
    sqlite3_bind_int64(st, 4, q->due_from);
    sqlite3_bind_int64(st, 5, q->due_to);
    sqlite3_bind_int64(st, 6, q->parent_id);
}

static int
prep_query(struct ew__sqlite *c, const char *head, const struct ew_ledger_query *q, int paged,
           sqlite3_stmt **st)
{
    static const char *const order[] = { " ORDER BY id", " ORDER BY due_t, id",
                                         " ORDER BY id DESC" };
    /* A filter by kind or parent alone: sort the matches (+id) rather than let SQLite walk
     * the whole table in id order to save the sort (it has no statistics to know better).
     * Unit and county indexes already give id order. */
    static const char *const sorted[] = { " ORDER BY +id", " ORDER BY +due_t, +id",
                                          " ORDER BY +id DESC" };
    int narrow = q->unit == NULL && q->county == NULL &&
                 (q->parent_id != 0 || (q->kinds != 0 && (q->kinds & (q->kinds - 1)) == 0));
    struct ew_buf b;
    int rc;

    ew_buf_init(&b, 4096);
    ew_buf_adds(&b, head);
    where_query(&b, q);
    if (paged) {
        ew_buf_adds(&b, narrow ? sorted[q->order] : order[q->order]);
        ew_buf_printf(&b, " LIMIT %lld OFFSET %lld",
                      q->limit != 0 ? (long long)q->limit : -1LL, (long long)q->offset);
    }
    rc = b.ptr != NULL ? ew__sqlite_prep(c, b.ptr, st) : EW_ENOMEM;
    ew_buf_fini(&b);
    if (rc == EW_OK)
        bind_query(*st, q);
    return rc;
}

int
ew__sqlite_ledger_item_each(void *ctx, const struct ew_ledger_query *q,
                            int (*fn)(void *, const struct ew_ledger_item *), void *fn_ctx)
{
    struct ew__sqlite *c = ctx;
    struct ew_ledger_item *it = malloc(sizeof(*it));
    sqlite3_stmt *st = NULL;
    int mode, rc;

    if (it == NULL)
        return EW_ENOMEM;
    if ((rc = ew__sqlite_read_enter(c, &mode)) != EW_OK) {
        free(it);
        return rc;
    }
    rc = prep_query(c, q->fields == EW_LEDGER_FIELDS_KEYS   ? "SELECT " ITEM_COLS_KEYS FROM_ITEMS
                       : q->fields == EW_LEDGER_FIELDS_LIST ? "SELECT " ITEM_COLS_LIST FROM_ITEMS
                                                            : "SELECT " ITEM_COLS FROM_ITEMS,
                    q, 1, &st);
    while (rc == EW_OK) {
        int s = sqlite3_step(st);
        if (s == SQLITE_DONE)
            break;
        if (s != SQLITE_ROW) {
            rc = ew__sqlite_fail(c, s, "ledger items");
            break;
        }
        if (q->fields == EW_LEDGER_FIELDS_KEYS)
            keys_to_item(st, it);
        else
            row_to_item(st, it);
        rc = fn(fn_ctx, it);
    }
    ew__sqlite_release(c, st);
    ew__sqlite_read_leave(c, mode);
    free(it);
    return rc;
}

int
ew__sqlite_ledger_item_count(void *ctx, const struct ew_ledger_query *q, int64_t *n)
{
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc = prep_query(c, "SELECT count(*) FROM ledger_item", q, 0, &st);

    if (rc != EW_OK)
        return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *n = sqlite3_column_int64(st, 0);
        rc = EW_OK;
    } else {
        rc = ew__sqlite_fail(c, rc, "ledger count");
    }
    ew__sqlite_release(c, st);
    return rc;
}

/* ---- history, files, links --------------------------------------------------------------- */

int
ew__sqlite_ledger_event_add(void *ctx, const struct ew_ledger_event *ev)
{
    struct ew__sqlite *c = ctx;
    int mode, rc, state;

    if ((rc = ew__sqlite_tx_enter(c, &mode)) != EW_OK)
        return rc;
    rc = item_state(c, ev->item_id, &state);
    if (rc == EW_OK)
        rc = event_put(c, ev->item_id, ev);
    return ew__sqlite_tx_leave(c, mode, rc);
}

int
ew__sqlite_ledger_event_each(void *ctx, int64_t item_id,
                             int (*fn)(void *, const struct ew_ledger_event *), void *fn_ctx)
{
    struct ew__sqlite *c = ctx;
    struct ew_ledger_event ev;
    sqlite3_stmt *st = NULL;
    int rc = ew__sqlite_prep(c, "SELECT id, item_id, at_ms, action, actor, role, unit, from_state,"
                     " to_state, note FROM ledger_event WHERE item_id = ?1 ORDER BY id",
                  &st);

    if (rc != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, item_id);
    int s;

    rc = 0;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        memset(&ev, 0, sizeof(ev));
        ev.id = sqlite3_column_int64(st, 0);
        ev.item_id = sqlite3_column_int64(st, 1);
        ev.at_ms = sqlite3_column_int64(st, 2);
        text(st, 3, ev.action, sizeof(ev.action));
        text(st, 4, ev.actor, sizeof(ev.actor));
        text(st, 5, ev.role, sizeof(ev.role));
        text(st, 6, ev.unit, sizeof(ev.unit));
        ev.from_state = sqlite3_column_int(st, 7);
        ev.to_state = sqlite3_column_int(st, 8);
        text(st, 9, ev.note, sizeof(ev.note));
        if ((rc = fn(fn_ctx, &ev)) != 0)
            break;
    }
    return finish(c, st, s, rc, "ledger history");
}

int
ew__sqlite_ledger_file_add(void *ctx, struct ew_ledger_file *f)
{
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int mode, rc, state;

    if ((rc = ew__sqlite_tx_enter(c, &mode)) != EW_OK)
        return rc;
    rc = item_state(c, f->item_id, &state);
    if (rc == EW_OK)
        rc = ew__sqlite_prep(c, "INSERT INTO ledger_file(item_id, sha256, name, mime, size, at_ms, actor)"
                     " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)", &st);
    if (rc == EW_OK) {
        sqlite3_bind_int64(st, 1, f->item_id);
        sqlite3_bind_text(st, 2, f->sha256, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, f->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, f->mime, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, f->size);
        sqlite3_bind_int64(st, 6, f->at_ms);
        sqlite3_bind_text(st, 7, f->actor, -1, SQLITE_STATIC);
        rc = ew__sqlite_run_once(c, st, "ledger file");
        if (rc == EW_EEXIST)
            rc = ew__sqlite_say(c, EW_EEXIST, "ledger file: this content is already attached");
    }
    if (rc == EW_OK)
        f->id = sqlite3_last_insert_rowid(c->db);
    return ew__sqlite_tx_leave(c, mode, rc);
}

#define FILE_COLS "SELECT id, item_id, sha256, name, mime, size, at_ms, actor FROM ledger_file"

/* Calls fn for each row of a bound FILE_COLS statement, then releases it. */
static int
file_rows(struct ew__sqlite *c, sqlite3_stmt *st,
          int (*fn)(void *, const struct ew_ledger_file *), void *fn_ctx, const char *what)
{
    struct ew_ledger_file f;
    int step, rc = 0;

    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        memset(&f, 0, sizeof(f));
        f.id = sqlite3_column_int64(st, 0);
        f.item_id = sqlite3_column_int64(st, 1);
        text(st, 2, f.sha256, sizeof(f.sha256));
        text(st, 3, f.name, sizeof(f.name));
        text(st, 4, f.mime, sizeof(f.mime));
        f.size = sqlite3_column_int64(st, 5);
        f.at_ms = sqlite3_column_int64(st, 6);
        text(st, 7, f.actor, sizeof(f.actor));
        if ((rc = fn(fn_ctx, &f)) != 0)
            break;
    }
    return finish(c, st, step, rc, what);
}

int
ew__sqlite_ledger_file_each(void *ctx, int64_t item_id,
                            int (*fn)(void *, const struct ew_ledger_file *), void *fn_ctx)
{
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc = ew__sqlite_prep(c, FILE_COLS " WHERE item_id = ?1 ORDER BY id", &st);

    if (rc != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, item_id);
    return file_rows(c, st, fn, fn_ctx, "ledger files");
}

/*
 * Every record of one content, for an evidence download that names the content by its
 * SHA-256 only: the scope (scope.c) then keeps the records of items the caller may see.
 * ledger_file is small (one row per attachment) and has no index on sha256: a scan is cheap
 * next to sending the file.
 */
int
ew__sqlite_ledger_file_find(void *ctx, const char *sha256,
                            int (*fn)(void *, const struct ew_ledger_file *), void *fn_ctx)
{
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc = ew__sqlite_prep(c, FILE_COLS " WHERE sha256 = ?1 ORDER BY id", &st);

    if (rc != EW_OK)
        return rc;
    sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
    return file_rows(c, st, fn, fn_ctx, "ledger files by content");
}

int
ew__sqlite_ledger_link_add(void *ctx, const struct ew_ledger_link *l)
{
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int mode, rc, state;

    if ((rc = ew__sqlite_tx_enter(c, &mode)) != EW_OK)
        return rc;
    rc = item_state(c, l->item_id, &state);
    if (rc == EW_OK)
        rc = ew__sqlite_prep(c, "INSERT INTO ledger_link(item_id, type, target, relation)"
                     " VALUES(?1, ?2, ?3, ?4)", &st);
    if (rc == EW_OK) {
        sqlite3_bind_int64(st, 1, l->item_id);
        sqlite3_bind_text(st, 2, l->type, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, l->target, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, l->relation, -1, SQLITE_STATIC);
        rc = ew__sqlite_run_once(c, st, "ledger link");
        if (rc == EW_EEXIST)
            rc = ew__sqlite_say(c, EW_EEXIST, "ledger link: it exists already");
    }
    return ew__sqlite_tx_leave(c, mode, rc);
}

static int
links(struct ew__sqlite *c, sqlite3_stmt *st, int (*fn)(void *, const struct ew_ledger_link *),
      void *fn_ctx)
{
    struct ew_ledger_link l;
    int rc;

    int s;

    rc = 0;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        memset(&l, 0, sizeof(l));
        l.item_id = sqlite3_column_int64(st, 0);
        text(st, 1, l.type, sizeof(l.type));
        text(st, 2, l.target, sizeof(l.target));
        text(st, 3, l.relation, sizeof(l.relation));
        if ((rc = fn(fn_ctx, &l)) != 0)
            break;
    }
    return finish(c, st, s, rc, "ledger links");
}

int
ew__sqlite_ledger_link_each(void *ctx, int64_t item_id,
                            int (*fn)(void *, const struct ew_ledger_link *), void *fn_ctx)
{
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    /* An item link is one row; the other item sees it reversed, with its own id first. */
    int rc = ew__sqlite_prep(c, "SELECT item_id, type, target, relation FROM ledger_link"
                     " WHERE item_id = ?1"
                     " UNION ALL SELECT ?1, 'item', CAST(item_id AS TEXT), 'from:' ||"
                     " relation FROM ledger_link WHERE type = 'item' AND target = ?2", &st);
    char id[24];

    if (rc != EW_OK)
        return rc;
    snprintf(id, sizeof(id), "%lld", (long long)item_id);
    sqlite3_bind_int64(st, 1, item_id);
    sqlite3_bind_text(st, 2, id, -1, SQLITE_TRANSIENT);
    return links(c, st, fn, fn_ctx);
}

int
ew__sqlite_ledger_link_find(void *ctx, const char *type, const char *target,
                            int (*fn)(void *, const struct ew_ledger_link *), void *fn_ctx)
{
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc = ew__sqlite_prep(c, "SELECT item_id, type, target, relation FROM ledger_link"
                     " WHERE type = ?1 AND target = ?2 ORDER BY item_id", &st);

    if (rc != EW_OK)
        return rc;
    sqlite3_bind_text(st, 1, type, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, target, -1, SQLITE_STATIC);
    return links(c, st, fn, fn_ctx);
}

/* ---- river patrols and reaches ----------------------------------------------------------- */

int
ew__sqlite_ledger_patrol_add(void *ctx, struct ew_ledger_patrol *p)
{
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc = ew__sqlite_prep(c, "INSERT INTO ledger_patrol(chief, level, reach, start_t, end_t, length_km,"
                     " valid, note) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", &st);

    if (rc != EW_OK)
        return rc;
    sqlite3_bind_text(st, 1, p->chief, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, p->level);
    sqlite3_bind_text(st, 3, p->reach, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, p->start_unix_s);
    sqlite3_bind_int64(st, 5, p->end_unix_s);
    sqlite3_bind_double(st, 6, p->length_km);
    sqlite3_bind_int(st, 7, p->valid != 0);
    sqlite3_bind_text(st, 8, p->note, -1, SQLITE_STATIC);
    if ((rc = ew__sqlite_run_once(c, st, "patrol")) == EW_OK)
        p->id = sqlite3_last_insert_rowid(c->db);
    return rc;
}

int
ew__sqlite_ledger_patrol_each(void *ctx, const char *chief, int64_t from_unix_s,
                              int64_t to_unix_s,
                              int (*fn)(void *, const struct ew_ledger_patrol *), void *fn_ctx)
{
    struct ew__sqlite *c = ctx;
    struct ew_ledger_patrol p;
    sqlite3_stmt *st = NULL;
    int rc = ew__sqlite_prep(c, "SELECT id, chief, level, reach, start_t, end_t, length_km, valid, note"
                     " FROM ledger_patrol WHERE (?1 IS NULL OR chief = ?1) AND start_t >= ?2"
                     " AND (?3 = 0 OR start_t <= ?3) ORDER BY start_t, id", &st);

    if (rc != EW_OK)
        return rc;
    if (chief != NULL)
        sqlite3_bind_text(st, 1, chief, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, from_unix_s);
    sqlite3_bind_int64(st, 3, to_unix_s);
    int s;

    rc = 0;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        memset(&p, 0, sizeof(p));
        p.id = sqlite3_column_int64(st, 0);
        text(st, 1, p.chief, sizeof(p.chief));
        p.level = sqlite3_column_int(st, 2);
        text(st, 3, p.reach, sizeof(p.reach));
        p.start_unix_s = sqlite3_column_int64(st, 4);
        p.end_unix_s = sqlite3_column_int64(st, 5);
        p.length_km = sqlite3_column_double(st, 6);
        p.valid = sqlite3_column_int(st, 7);
        text(st, 8, p.note, sizeof(p.note));
        if ((rc = fn(fn_ctx, &p)) != 0)
            break;
    }
    return finish(c, st, s, rc, "patrols");
}

int
ew__sqlite_ledger_reach_put(void *ctx, const struct ew_ledger_reach *r)
{
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc = ew__sqlite_prep(c, "INSERT OR REPLACE INTO ledger_reach(code, river, name, county, level,"
                     " chief, parent) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)", &st);

    if (rc != EW_OK)
        return rc;
    sqlite3_bind_text(st, 1, r->code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->river, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, r->county, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 5, r->level);
    sqlite3_bind_text(st, 6, r->chief, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, r->parent, -1, SQLITE_STATIC);
    return ew__sqlite_run_once(c, st, "reach");
}

static void
row_to_reach(sqlite3_stmt *st, struct ew_ledger_reach *r)
{
    memset(r, 0, sizeof(*r));
    text(st, 0, r->code, sizeof(r->code));
    text(st, 1, r->river, sizeof(r->river));
    text(st, 2, r->name, sizeof(r->name));
    text(st, 3, r->county, sizeof(r->county));
    r->level = sqlite3_column_int(st, 4);
    text(st, 5, r->chief, sizeof(r->chief));
    text(st, 6, r->parent, sizeof(r->parent));
}

int
ew__sqlite_ledger_reach_get(void *ctx, const char *code, struct ew_ledger_reach *out)
{
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc = ew__sqlite_prep(c, "SELECT code, river, name, county, level, chief, parent FROM ledger_reach"
                     " WHERE code = ?1", &st);

    if (rc != EW_OK)
        return rc;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        row_to_reach(st, out);
        rc = EW_OK;
    } else if (rc == SQLITE_DONE) {
        rc = ew__sqlite_say(c, EW_ENOTFOUND, "reach '%s': not in the registry", code);
    } else {
        rc = ew__sqlite_fail(c, rc, "reach");
    }
    ew__sqlite_release(c, st);
    return rc;
}

int
ew__sqlite_ledger_reach_each(void *ctx, int (*fn)(void *, const struct ew_ledger_reach *),
                             void *fn_ctx)
{
    struct ew__sqlite *c = ctx;
    struct ew_ledger_reach r;
    sqlite3_stmt *st = NULL;
    int rc = ew__sqlite_prep(c, "SELECT code, river, name, county, level, chief, parent FROM ledger_reach"
                     " ORDER BY code", &st);

    if (rc != EW_OK)
        return rc;
    int s;

    rc = 0;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        row_to_reach(st, &r);
        if ((rc = fn(fn_ctx, &r)) != 0)
            break;
    }
    return finish(c, st, s, rc, "reaches");
}

/* ---- settings and the file folder -------------------------------------------------------- */

int
ew__sqlite_ledger_kv_put(void *ctx, const char *key, const char *value)
{
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc = ew__sqlite_prep(c, "INSERT OR REPLACE INTO ledger_kv(key, value) VALUES(?1, ?2)", &st);

    if (rc != EW_OK)
        return rc;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    return ew__sqlite_run_once(c, st, "ledger setting");
}

int
ew__sqlite_ledger_kv_get(void *ctx, const char *key, char **value)
{
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc = ew__sqlite_prep(c, "SELECT value FROM ledger_kv WHERE key = ?1", &st);

    if (rc != EW_OK)
        return rc;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        char *v = strdup(ew__sqlite_text(st, 0));
        rc = v != NULL ? EW_OK : EW_ENOMEM;
        if (v != NULL)
            *value = v;
    } else if (rc == SQLITE_DONE) {
        rc = ew__sqlite_say(c, EW_ENOTFOUND, "ledger setting '%s' is not set", key);
    } else {
        rc = ew__sqlite_fail(c, rc, "ledger setting");
    }
    ew__sqlite_release(c, st);
    return rc;
}

int
ew__sqlite_ledger_dir(void *ctx, char *out, size_t len)
{
    struct ew__sqlite *c = ctx;
    const char *db = sqlite3_db_filename(c->db, "main");
    char path[4096];
    int n;

    if (db == NULL || db[0] == '\0' || strlen(db) >= sizeof(path))
        return ew__sqlite_say(c, EW_ENOTFOUND, "ledger: the database has no file name");
    memcpy(path, db, strlen(db) + 1);
    n = snprintf(out, len, "%s/ledger", dirname(path));
    if (n < 0 || (size_t)n >= len)
        return ew__sqlite_say(c, EW_ETOOBIG, "ledger: the folder name is too long");
    return EW_OK;
}
