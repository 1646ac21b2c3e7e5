/* SPDX-License-Identifier: MIT */
/*
 * The seam between the store's front (store.c) and its backends: one table of function
 * pointers per backend, picked by the scheme of the location. The front checks arguments
 * and never looks inside ctx; backends never meet each other. Adding a backend is one file
 * that defines a struct ew_store_backend and one line in the table in store.c.
 *
 * Every operation has the meaning of the ew_store_* function of the same name in
 * include/envwatch/store.h, with the arguments already checked by the front.
 */
#ifndef EW_STORE_BACKEND_H
#define EW_STORE_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include <envwatch/store.h>

struct ew_store_backend {
    const char *scheme;                 /* "sqlite", "postgres" */
    /* path is the location without "scheme:"; on failure writes a message to err. */
    int  (*open)(const char *path, const struct ew_store_config *cfg, void **ctx, char *err,
                 size_t err_len);
    void (*close)(void *ctx);           /* ctx may be NULL */
    const char *(*errmsg)(const void *ctx);
    int  (*schema_version)(void *ctx, int *version);
    int  (*data_version)(void *ctx, int *version);
    int  (*checkpoint)(void *ctx, int truncate, int *wal_pages);
    int  (*begin)(void *ctx);
    int  (*commit)(void *ctx);
    int  (*rollback)(void *ctx);

    int  (*point_put)(void *ctx, struct ew_point *p);
    int  (*point_get)(void *ctx, const char *mn, struct ew_point *out);
    int  (*point_remove)(void *ctx, const char *mn);
    int  (*point_each)(void *ctx, int (*fn)(void *, const struct ew_point *), void *fn_ctx);

    int  (*reading_put)(void *ctx, const struct ew_reading *r, int *inserted);
    int  (*reading_each)(void *ctx, const struct ew_reading_query *q,
                         int (*fn)(void *, const struct ew_reading *), void *fn_ctx);
    int  (*latest_each)(void *ctx, int64_t point_id, int (*fn)(void *, const struct ew_reading *),
                        void *fn_ctx);
    int  (*reading_prune)(void *ctx, int kind, int64_t before_unix_s, int64_t *deleted);

    int  (*journal_put)(void *ctx, const struct ew_journal_entry *e);
    int  (*journal_each)(void *ctx, const struct ew_journal_query *q,
                         int (*fn)(void *, const struct ew_journal_entry *), void *fn_ctx);
    int  (*journal_prune)(void *ctx, int64_t before_ms, int64_t *deleted);

    int  (*pending_touch)(void *ctx, const char *mn, const char *st, const char *peer,
                          int64_t t_ms);
    int  (*pending_each)(void *ctx, int (*fn)(void *, const struct ew_pending *), void *fn_ctx);
    int  (*pending_remove)(void *ctx, const char *mn);
    int  (*pending_approve)(void *ctx, struct ew_point *p);

    int  (*conn_open)(void *ctx, const char *peer, int64_t t_ms, int64_t *conn_id);
    int  (*conn_identify)(void *ctx, int64_t conn_id, const char *mn);
    int  (*conn_close)(void *ctx, int64_t conn_id, int64_t t_ms, const char *reason);
    int  (*conn_close_all)(void *ctx, int64_t t_ms, const char *reason, int64_t *closed);
    int  (*conn_each)(void *ctx, const struct ew_conn_query *q,
                      int (*fn)(void *, const struct ew_conn *), void *fn_ctx);
};

extern const struct ew_store_backend ew__store_sqlite;     /* src/store/sqlite.c */

#endif
