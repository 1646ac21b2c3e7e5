/* SPDX-License-Identifier: MIT */
/*
 * Inside the store module, for accounts, sessions, tokens, the audit log and the caller's
 * scope (include/envwatch/auth.h): the front's access to a handle (store.c), the scope filters
 * every backend's reads pass through (scope.c), the audit chain (auth.c) and the SQLite
 * backend's operations (sqlite_auth.c). Kept apart from internal.h as one concern of its own.
 */
#ifndef EW_STORE_AUTH_INTERNAL_H
#define EW_STORE_AUTH_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <envwatch/auth.h>
#include <envwatch/store.h>

struct ew_store_backend;

/* store.c: the backend and context of a handle (clears the front's last error), a refusal
 * with its reason kept for ew_store_errmsg, and the slot of the handle's scope. */
const struct ew_store_backend *ew__store_backend(struct ew_store *s, void **ctx);
int ew__store_refuse(struct ew_store *s, int rc, const char *why);
struct ew__scope **ew__store_scope_slot(struct ew_store *s);

/* auth.c: the hash that chains audit entry a (with its id) to the previous entry's chain
 * (prev "" for the first entry), as hex in out[0..65). */
void ew__audit_chain(const char *prev, int64_t id, const struct ew_audit *a, char out[65]);

/* ---- scope.c: the filters of a handle with a scope (struct ew_store_scope) --------------- */

struct ew__scope;

int  ew__scope_create(const struct ew_store_scope *sc, struct ew__scope **out);
void ew__scope_free(struct ew__scope *sc);              /* NULL is a no-op */

/* Each has the meaning of the ew_store_* function of its name, answering only what the scope
 * covers (EW_ENOTFOUND for a get outside it) and masking personal data. */
int ew__scope_point_get(struct ew__scope *sc, const struct ew_store_backend *be, void *ctx,
                        const char *mn, struct ew_point *out);
int ew__scope_point_each(struct ew__scope *sc, const struct ew_store_backend *be, void *ctx,
                         int (*fn)(void *, const struct ew_point *), void *fn_ctx);
int ew__scope_reading_each(struct ew__scope *sc, const struct ew_store_backend *be, void *ctx,
                           const struct ew_reading_query *q,
                           int (*fn)(void *, const struct ew_reading *), void *fn_ctx);
int ew__scope_latest_each(struct ew__scope *sc, const struct ew_store_backend *be, void *ctx,
                          int64_t point_id, int (*fn)(void *, const struct ew_reading *),
                          void *fn_ctx);
int ew__scope_journal_each(struct ew__scope *sc, const struct ew_store_backend *be, void *ctx,
                           const struct ew_journal_query *q,
                           int (*fn)(void *, const struct ew_journal_entry *), void *fn_ctx);
int ew__scope_conn_each(struct ew__scope *sc, const struct ew_store_backend *be, void *ctx,
                        const struct ew_conn_query *q, int (*fn)(void *, const struct ew_conn *),
                        void *fn_ctx);
int ew__scope_pending_each(struct ew__scope *sc, const struct ew_store_backend *be, void *ctx,
                           int (*fn)(void *, const struct ew_pending *), void *fn_ctx);
int ew__scope_alarm_get(struct ew__scope *sc, const struct ew_store_backend *be, void *ctx,
                        int64_t id, struct ew_alarm *out);
int ew__scope_alarm_find(struct ew__scope *sc, const struct ew_store_backend *be, void *ctx,
                         int64_t point_id, int kind, const char *factor, struct ew_alarm *out);
int ew__scope_alarm_each(struct ew__scope *sc, const struct ew_store_backend *be, void *ctx,
                         const struct ew_alarm_query *q, int (*fn)(void *, const struct ew_alarm *),
                         void *fn_ctx);
int ew__scope_alarm_history_each(struct ew__scope *sc, const struct ew_store_backend *be,
                                 void *ctx, int64_t id,
                                 int (*fn)(void *, const struct ew_alarm_step *), void *fn_ctx);
int ew__scope_source_limit_each(struct ew__scope *sc, const struct ew_store_backend *be,
                                void *ctx, int64_t point_id,
                                int (*fn)(void *, const struct ew_source_limit *), void *fn_ctx);
int ew__scope_ledger_item_get(struct ew__scope *sc, const struct ew_store_backend *be,
                              void *ctx, int64_t id, struct ew_ledger_item *out);
int ew__scope_ledger_item_find(struct ew__scope *sc, const struct ew_store_backend *be,
                               void *ctx, const char *code, struct ew_ledger_item *out);
int ew__scope_ledger_item_each(struct ew__scope *sc, const struct ew_store_backend *be,
                               void *ctx, const struct ew_ledger_query *q,
                               int (*fn)(void *, const struct ew_ledger_item *), void *fn_ctx);
int ew__scope_ledger_item_count(struct ew__scope *sc, const struct ew_store_backend *be,
                                void *ctx, const struct ew_ledger_query *q, int64_t *n);
int ew__scope_ledger_event_each(struct ew__scope *sc, const struct ew_store_backend *be,
                                void *ctx, int64_t item_id,
                                int (*fn)(void *, const struct ew_ledger_event *), void *fn_ctx);
int ew__scope_ledger_file_each(struct ew__scope *sc, const struct ew_store_backend *be,
                               void *ctx, int64_t item_id,
                               int (*fn)(void *, const struct ew_ledger_file *), void *fn_ctx);
/* The first file record of content sha256 (by id) on an item the scope covers; sc NULL:
 * on any item. EW_ENOTFOUND when there is none. */
int ew__scope_ledger_file_find(struct ew__scope *sc, const struct ew_store_backend *be,
                               void *ctx, const char *sha256, struct ew_ledger_file *out);
int ew__scope_ledger_link_each(struct ew__scope *sc, const struct ew_store_backend *be,
                               void *ctx, int64_t item_id,
                               int (*fn)(void *, const struct ew_ledger_link *), void *fn_ctx);
int ew__scope_ledger_link_find(struct ew__scope *sc, const struct ew_store_backend *be,
                               void *ctx, const char *type, const char *target,
                               int (*fn)(void *, const struct ew_ledger_link *), void *fn_ctx);

/* ---- sqlite_auth.c ---------------------------------------------------------------------- */

int ew__sqlite_user_add(void *ctx, struct ew_user *u);
int ew__sqlite_user_update(void *ctx, const struct ew_user *u);
/* By name when name is not NULL, else by id. */
int ew__sqlite_user_get(void *ctx, const char *name, int64_t id, struct ew_user *out);
int ew__sqlite_user_each(void *ctx, int (*fn)(void *, const struct ew_user *), void *fn_ctx);
int ew__sqlite_user_login_failed(void *ctx, int64_t id, int max_failures, int64_t lock_ms,
                                 int64_t now_ms, int *locked);
int ew__sqlite_user_login_ok(void *ctx, int64_t id);
int ew__sqlite_session_put(void *ctx, const struct ew_session *ss);
int ew__sqlite_session_find(void *ctx, const char *hash, int64_t now_ms, struct ew_session *ss,
                            struct ew_user *u);
int ew__sqlite_session_remove(void *ctx, const char *hash);
int ew__sqlite_session_remove_user(void *ctx, int64_t user_id, int64_t *n);
int ew__sqlite_session_prune(void *ctx, int64_t now_ms);
int ew__sqlite_token_put(void *ctx, struct ew_api_token *t);
int ew__sqlite_token_find(void *ctx, const char *hash, int64_t now_ms, struct ew_api_token *t,
                          struct ew_user *u);
int ew__sqlite_token_get(void *ctx, int64_t id, struct ew_api_token *out);
int ew__sqlite_token_each(void *ctx, int64_t user_id,
                          int (*fn)(void *, const struct ew_api_token *), void *fn_ctx);
int ew__sqlite_token_revoke(void *ctx, int64_t id, int64_t now_ms);
int ew__sqlite_audit_put(void *ctx, const struct ew_audit *a, int64_t *id);
int ew__sqlite_audit_each(void *ctx, const struct ew_audit_query *q,
                          int (*fn)(void *, const struct ew_audit *), void *fn_ctx);
int ew__sqlite_audit_verify(void *ctx, int64_t *rows, int64_t *bad_id);

/* ---- sqlite_evidence.c ------------------------------------------------------------------ */

/* The backend's ledger_file_find: every record of content sha256, by id. */
int ew__sqlite_ledger_file_find(void *ctx, const char *sha256,
                                int (*fn)(void *, const struct ew_ledger_file *), void *fn_ctx);

#endif
