/* SPDX-License-Identifier: MIT */
/*
 * Inside the store module, for the governance-ledger tables (items, history, evidence files,
 * links, patrols, reaches, settings): the front's shape checks (ledger.c) and the SQLite
 * backend's operations (sqlite_ledger.c). The workflow rules are not here: src/ledger/ owns
 * them; the store keeps what it is given when its shape is sound.
 */
#ifndef EW_STORE_LEDGER_INTERNAL_H
#define EW_STORE_LEDGER_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <envwatch/store.h>

/* ledger.c: each returns EW_OK or EW_EINVAL with the reason in why[0..len). */
int ew__store_ledger_item_check(const struct ew_ledger_item *it, char *why, size_t len);
int ew__store_ledger_event_check(const struct ew_ledger_event *ev, char *why, size_t len);
int ew__store_ledger_file_check(const struct ew_ledger_file *f, char *why, size_t len);
int ew__store_ledger_link_check(const struct ew_ledger_link *l, char *why, size_t len);
int ew__store_ledger_patrol_check(const struct ew_ledger_patrol *p, char *why, size_t len);
int ew__store_ledger_reach_check(const struct ew_ledger_reach *r, char *why, size_t len);
int ew__store_ledger_query_check(const struct ew_ledger_query *q, char *why, size_t len);
int ew__store_ledger_key_check(const char *key, char *why, size_t len);

/* sqlite_ledger.c */
int ew__sqlite_ledger_item_add(void *ctx, struct ew_ledger_item *it,
                               const struct ew_ledger_event *first);
int ew__sqlite_ledger_item_update(void *ctx, const struct ew_ledger_item *it, int expect_state,
                                  const struct ew_ledger_event *ev);
int ew__sqlite_ledger_item_get(void *ctx, int64_t id, struct ew_ledger_item *out);
int ew__sqlite_ledger_item_find(void *ctx, const char *code, struct ew_ledger_item *out);
int ew__sqlite_ledger_item_each(void *ctx, const struct ew_ledger_query *q,
                                int (*fn)(void *, const struct ew_ledger_item *), void *fn_ctx);
int ew__sqlite_ledger_item_count(void *ctx, const struct ew_ledger_query *q, int64_t *n);
int ew__sqlite_ledger_event_add(void *ctx, const struct ew_ledger_event *ev);
int ew__sqlite_ledger_event_each(void *ctx, int64_t item_id,
                                 int (*fn)(void *, const struct ew_ledger_event *),
                                 void *fn_ctx);
int ew__sqlite_ledger_file_add(void *ctx, struct ew_ledger_file *f);
int ew__sqlite_ledger_file_each(void *ctx, int64_t item_id,
                                int (*fn)(void *, const struct ew_ledger_file *), void *fn_ctx);
int ew__sqlite_ledger_link_add(void *ctx, const struct ew_ledger_link *l);
int ew__sqlite_ledger_link_each(void *ctx, int64_t item_id,
                                int (*fn)(void *, const struct ew_ledger_link *), void *fn_ctx);
int ew__sqlite_ledger_link_find(void *ctx, const char *type, const char *target,
                                int (*fn)(void *, const struct ew_ledger_link *), void *fn_ctx);
int ew__sqlite_ledger_patrol_add(void *ctx, struct ew_ledger_patrol *p);
int ew__sqlite_ledger_patrol_each(void *ctx, const char *chief, int64_t from_unix_s,
                                  int64_t to_unix_s,
                                  int (*fn)(void *, const struct ew_ledger_patrol *),
                                  void *fn_ctx);
int ew__sqlite_ledger_reach_put(void *ctx, const struct ew_ledger_reach *r);
int ew__sqlite_ledger_reach_get(void *ctx, const char *code, struct ew_ledger_reach *out);
int ew__sqlite_ledger_reach_each(void *ctx, int (*fn)(void *, const struct ew_ledger_reach *),
                                 void *fn_ctx);
int ew__sqlite_ledger_kv_put(void *ctx, const char *key, const char *value);
int ew__sqlite_ledger_kv_get(void *ctx, const char *key, char **value);
int ew__sqlite_ledger_dir(void *ctx, char *out, size_t len);

#endif
