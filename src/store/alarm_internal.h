/* SPDX-License-Identifier: MIT */
/*
 * Inside the store module, for the alarm tables (alarms, their history, the notification
 * outbox) and the resolved source limits: the front's argument checks (alarm.c) and the
 * SQLite backend's operations (sqlite_alarm.c). Kept apart from internal.h so the alarm tables
 * stay one concern of their own.
 */
#ifndef EW_STORE_ALARM_INTERNAL_H
#define EW_STORE_ALARM_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <envwatch/store.h>

/* alarm.c: checks shared by the front and the backends. Each returns EW_OK or EW_EINVAL with
 * the reason in why[0..len). */
int ew__store_alarm_check(const struct ew_alarm *a, char *why, size_t len);
int ew__store_alarm_step_check(const struct ew_alarm_step *st, char *why, size_t len);
int ew__store_alarm_query_check(const struct ew_alarm_query *q, char *why, size_t len);
int ew__store_source_limit_check(const struct ew_source_limit *l, char *why, size_t len);
/* 1 for "" (a point-level alarm) or a valid factor code. */
int ew__store_alarm_factor_ok(const char *factor);

/* sqlite_alarm.c */
int ew__sqlite_alarm_open(void *ctx, struct ew_alarm *a, const struct ew_alarm_step *first);
int ew__sqlite_alarm_find(void *ctx, int64_t point_id, int kind, const char *factor,
                          struct ew_alarm *out);
int ew__sqlite_alarm_get(void *ctx, int64_t id, struct ew_alarm *out);
int ew__sqlite_alarm_update(void *ctx, const struct ew_alarm *a);
int ew__sqlite_alarm_transition(void *ctx, int64_t id, int from,
                                const struct ew_alarm_step *step);
int ew__sqlite_alarm_each(void *ctx, const struct ew_alarm_query *q,
                          int (*fn)(void *, const struct ew_alarm *), void *fn_ctx);
int ew__sqlite_alarm_history_each(void *ctx, int64_t id,
                                  int (*fn)(void *, const struct ew_alarm_step *),
                                  void *fn_ctx);
int ew__sqlite_alarm_notice_put(void *ctx, int64_t alarm_id, const char *event, int64_t t_ms);
int ew__sqlite_alarm_notice_each(void *ctx, size_t limit,
                                 int (*fn)(void *, const struct ew_alarm_notice *),
                                 void *fn_ctx);
int ew__sqlite_alarm_notice_remove(void *ctx, int64_t upto_id);
int ew__sqlite_source_limits_set(void *ctx, int64_t point_id,
                                 const struct ew_source_limit *lim, size_t n);
int ew__sqlite_source_limit_each(void *ctx, int64_t point_id,
                                 int (*fn)(void *, const struct ew_source_limit *),
                                 void *fn_ctx);

#endif
