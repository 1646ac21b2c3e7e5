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

#include <envwatch/auth.h>
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

    /* air quality (sqlite_air.c) */
    int  (*air_put)(void *ctx, const struct ew_air_row *r);
    int  (*air_get)(void *ctx, int scope, const char *name, int period, int64_t t_unix_s,
                    struct ew_air_row *out);
    int  (*air_each)(void *ctx, const struct ew_air_query *q,
                     int (*fn)(void *, const struct ew_air_row *), void *fn_ctx);
    int  (*air_days_missing)(void *ctx, int64_t from_unix_s, int64_t to_unix_s,
                             int (*fn)(void *, int, const char *, int64_t), void *fn_ctx);
    int  (*air_alert_state)(void *ctx, int scope, const char *name,
                            struct ew_air_alert_state *st, int64_t *day_unix_s);
    int  (*air_alert_record)(void *ctx, int scope, const char *name,
                             const struct ew_air_alert_state *st, int64_t day_unix_s,
                             const struct ew_air_alert_change *ch, int64_t *alert_id);
    int  (*air_alert_each)(void *ctx, const struct ew_air_alert_query *q,
                           int (*fn)(void *, const struct ew_air_alert_rec *), void *fn_ctx);
    int  (*air_alert_changes)(void *ctx, int64_t alert_id,
                              int (*fn)(void *, const struct ew_air_alert_change *),
                              void *fn_ctx);
    int  (*air_target_put)(void *ctx, int year, const struct ew_air_target *t);
    int  (*air_target_get)(void *ctx, int year, struct ew_air_target *out, int *from_year);

    /* alarms and source limits (sqlite_alarm.c) */
    int  (*alarm_open)(void *ctx, struct ew_alarm *a, const struct ew_alarm_step *first);
    int  (*alarm_find)(void *ctx, int64_t point_id, int kind, const char *factor,
                       struct ew_alarm *out);
    int  (*alarm_get)(void *ctx, int64_t id, struct ew_alarm *out);
    int  (*alarm_update)(void *ctx, const struct ew_alarm *a);
    int  (*alarm_transition)(void *ctx, int64_t id, int from, const struct ew_alarm_step *step);
    int  (*alarm_each)(void *ctx, const struct ew_alarm_query *q,
                       int (*fn)(void *, const struct ew_alarm *), void *fn_ctx);
    int  (*alarm_history_each)(void *ctx, int64_t id,
                               int (*fn)(void *, const struct ew_alarm_step *), void *fn_ctx);
    int  (*alarm_notice_put)(void *ctx, int64_t alarm_id, const char *event, int64_t t_ms);
    int  (*alarm_notice_each)(void *ctx, size_t limit,
                              int (*fn)(void *, const struct ew_alarm_notice *), void *fn_ctx);
    int  (*alarm_notice_remove)(void *ctx, int64_t upto_id);
    int  (*source_limits_set)(void *ctx, int64_t point_id, const struct ew_source_limit *lim,
                              size_t n);
    int  (*source_limit_each)(void *ctx, int64_t point_id,
                              int (*fn)(void *, const struct ew_source_limit *), void *fn_ctx);

    /* governance ledgers (sqlite_ledger.c) */
    int  (*ledger_item_add)(void *ctx, struct ew_ledger_item *it,
                            const struct ew_ledger_event *first);
    int  (*ledger_item_update)(void *ctx, const struct ew_ledger_item *it, int expect_state,
                               const struct ew_ledger_event *ev);
    int  (*ledger_item_get)(void *ctx, int64_t id, struct ew_ledger_item *out);
    int  (*ledger_item_find)(void *ctx, const char *code, struct ew_ledger_item *out);
    int  (*ledger_item_each)(void *ctx, const struct ew_ledger_query *q,
                             int (*fn)(void *, const struct ew_ledger_item *), void *fn_ctx);
    int  (*ledger_item_count)(void *ctx, const struct ew_ledger_query *q, int64_t *n);
    int  (*ledger_event_add)(void *ctx, const struct ew_ledger_event *ev);
    int  (*ledger_event_each)(void *ctx, int64_t item_id,
                              int (*fn)(void *, const struct ew_ledger_event *), void *fn_ctx);
    int  (*ledger_file_add)(void *ctx, struct ew_ledger_file *f);
    int  (*ledger_file_each)(void *ctx, int64_t item_id,
                             int (*fn)(void *, const struct ew_ledger_file *), void *fn_ctx);
    /* The file records of one content (sha256), on whatever item, by id (sqlite_evidence.c).
     * Optional: without it the front looks through the items one by one (scope.c). */
    int  (*ledger_file_find)(void *ctx, const char *sha256,
                             int (*fn)(void *, const struct ew_ledger_file *), void *fn_ctx);
    int  (*ledger_link_add)(void *ctx, const struct ew_ledger_link *l);
    int  (*ledger_link_each)(void *ctx, int64_t item_id,
                             int (*fn)(void *, const struct ew_ledger_link *), void *fn_ctx);
    int  (*ledger_link_find)(void *ctx, const char *type, const char *target,
                             int (*fn)(void *, const struct ew_ledger_link *), void *fn_ctx);
    int  (*ledger_patrol_add)(void *ctx, struct ew_ledger_patrol *p);
    int  (*ledger_patrol_each)(void *ctx, const char *chief, int64_t from_unix_s,
                               int64_t to_unix_s,
                               int (*fn)(void *, const struct ew_ledger_patrol *), void *fn_ctx);
    int  (*ledger_reach_put)(void *ctx, const struct ew_ledger_reach *r);
    int  (*ledger_reach_get)(void *ctx, const char *code, struct ew_ledger_reach *out);
    int  (*ledger_reach_each)(void *ctx, int (*fn)(void *, const struct ew_ledger_reach *),
                              void *fn_ctx);
    int  (*ledger_kv_put)(void *ctx, const char *key, const char *value);
    int  (*ledger_kv_get)(void *ctx, const char *key, char **value);
    int  (*ledger_dir)(void *ctx, char *out, size_t len);

    /* accounts, sessions, tokens and the audit log (sqlite_auth.c) */
    int  (*user_add)(void *ctx, struct ew_user *u);
    int  (*user_update)(void *ctx, const struct ew_user *u);
    int  (*user_get)(void *ctx, const char *name, int64_t id, struct ew_user *out);
    int  (*user_each)(void *ctx, int (*fn)(void *, const struct ew_user *), void *fn_ctx);
    int  (*user_login_failed)(void *ctx, int64_t id, int max_failures, int64_t lock_ms,
                              int64_t now_ms, int *locked);
    int  (*user_login_ok)(void *ctx, int64_t id);
    int  (*session_put)(void *ctx, const struct ew_session *ss);
    int  (*session_find)(void *ctx, const char *hash, int64_t now_ms, struct ew_session *ss,
                         struct ew_user *u);
    int  (*session_remove)(void *ctx, const char *hash);
    int  (*session_remove_user)(void *ctx, int64_t user_id, int64_t *n);
    int  (*session_prune)(void *ctx, int64_t now_ms);
    int  (*token_put)(void *ctx, struct ew_api_token *t);
    int  (*token_find)(void *ctx, const char *hash, int64_t now_ms, struct ew_api_token *t,
                       struct ew_user *u);
    int  (*token_get)(void *ctx, int64_t id, struct ew_api_token *out);
    int  (*token_each)(void *ctx, int64_t user_id, int (*fn)(void *, const struct ew_api_token *),
                       void *fn_ctx);
    int  (*token_revoke)(void *ctx, int64_t id, int64_t now_ms);
    int  (*audit_put)(void *ctx, const struct ew_audit *a, int64_t *id);
    int  (*audit_each)(void *ctx, const struct ew_audit_query *q,
                       int (*fn)(void *, const struct ew_audit *), void *fn_ctx);
    int  (*audit_verify)(void *ctx, int64_t *rows, int64_t *bad_id);
};

extern const struct ew_store_backend ew__store_sqlite;     /* src/store/sqlite.c */

#endif
