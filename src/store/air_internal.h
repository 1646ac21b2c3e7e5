/* SPDX-License-Identifier: MIT */
/*
 * Inside the store module, for the air-quality tables: the front's argument checks (air.c)
 * and the SQLite backend's operations (sqlite_air.c). Kept apart from internal.h so the air
 * tables stay one concern of their own.
 */
#ifndef EW_STORE_AIR_INTERNAL_H
#define EW_STORE_AIR_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <envwatch/store.h>

/* air.c: checks shared by the front and the backends. Each returns EW_OK or EW_EINVAL with
 * the reason in why[0..len). */
int ew__store_air_key_check(int scope, const char *name, int period, int64_t t_unix_s,
                            char *why, size_t len);
int ew__store_air_row_check(const struct ew_air_row *r, char *why, size_t len);
int ew__store_air_area_check(int scope, const char *name, char *why, size_t len);
int ew__store_air_change_check(const struct ew_air_alert_state *st,
                               const struct ew_air_alert_change *ch, char *why, size_t len);
int ew__store_air_target_check(int year, const struct ew_air_target *t, char *why,
                               size_t len);
/* 00:00 CST of the day holding t. */
int64_t ew__store_air_day_of(int64_t t_unix_s);

/* sqlite_air.c */
int ew__sqlite_air_put(void *ctx, const struct ew_air_row *r);
int ew__sqlite_air_get(void *ctx, int scope, const char *name, int period, int64_t t_unix_s,
                       struct ew_air_row *out);
int ew__sqlite_air_each(void *ctx, const struct ew_air_query *q,
                        int (*fn)(void *, const struct ew_air_row *), void *fn_ctx);
int ew__sqlite_air_days_missing(void *ctx, int64_t from_unix_s, int64_t to_unix_s,
                                int (*fn)(void *, int, const char *, int64_t), void *fn_ctx);
int ew__sqlite_air_alert_state(void *ctx, int scope, const char *name,
                               struct ew_air_alert_state *st, int64_t *day_unix_s);
int ew__sqlite_air_alert_record(void *ctx, int scope, const char *name,
                                const struct ew_air_alert_state *st, int64_t day_unix_s,
                                const struct ew_air_alert_change *ch, int64_t *alert_id);
int ew__sqlite_air_alert_each(void *ctx, const struct ew_air_alert_query *q,
                              int (*fn)(void *, const struct ew_air_alert_rec *),
                              void *fn_ctx);
int ew__sqlite_air_alert_changes(void *ctx, int64_t alert_id,
                                 int (*fn)(void *, const struct ew_air_alert_change *),
                                 void *fn_ctx);
int ew__sqlite_air_target_put(void *ctx, int year, const struct ew_air_target *t);
int ew__sqlite_air_target_get(void *ctx, int year, struct ew_air_target *out, int *from_year);

#endif
