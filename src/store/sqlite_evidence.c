/* SPDX-License-Identifier: MIT */
/*
 * SQLite: the evidence files of one content. An evidence download names the content by its
 * SHA-256 only, so deciding whether the caller may have it needs the items the content is
 * attached to: this is that query, and the scope (scope.c) then keeps the records of items
 * the caller may see. It reads ledger_file and nothing else; the ledger's own operations stay
 * in sqlite_ledger.c.
 */
#include <string.h>

#include <sqlite3.h>

#include <envwatch/err.h>
#include <envwatch/store.h>

#include "store/auth_internal.h"
#include "store/internal.h"

static void
record_of(sqlite3_stmt *st, struct ew_ledger_file *f)
{
    memset(f, 0, sizeof(*f));
    f->id = sqlite3_column_int64(st, 0);
    f->item_id = sqlite3_column_int64(st, 1);
    ew__store_copy(f->sha256, sizeof(f->sha256), ew__sqlite_text(st, 2));
    ew__store_copy(f->name, sizeof(f->name), ew__sqlite_text(st, 3));
    ew__store_copy(f->mime, sizeof(f->mime), ew__sqlite_text(st, 4));
    f->size = sqlite3_column_int64(st, 5);
    f->at_ms = sqlite3_column_int64(st, 6);
    ew__store_copy(f->actor, sizeof(f->actor), ew__sqlite_text(st, 7));
}

int
ew__sqlite_ledger_file_find(void *ctx, const char *sha256,
                            int (*fn)(void *, const struct ew_ledger_file *), void *fn_ctx)
{
    struct ew__sqlite *c = ctx;
    struct ew_ledger_file f;
    sqlite3_stmt *st = NULL;
    int rc, step, fn_rc = 0;

    /* ledger_file is small (one row per attachment) and has no index on sha256 (the schema
     * is sqlite_schema.c's): a scan is cheap next to sending the file. */
    rc = ew__sqlite_prep(c, "SELECT id, item_id, sha256, name, mime, size, at_ms, actor"
                            " FROM ledger_file WHERE sha256 = ?1 ORDER BY id", &st);
    if (rc != EW_OK)
        return rc;
    sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        record_of(st, &f);
        if ((fn_rc = fn(fn_ctx, &f)) != 0)
            break;
    }
    rc = fn_rc;
    if (rc == 0 && step != SQLITE_DONE && step != SQLITE_ROW)
        rc = ew__sqlite_fail(c, step, "ledger files by content");
    ew__sqlite_release(c, st);
    return rc;
}
