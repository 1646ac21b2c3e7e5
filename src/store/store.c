/* SPDX-License-Identifier: MIT */
/*
 * The store's front: picks a backend by the scheme of the location, checks arguments once
 * for every backend, and dispatches through struct ew_store_backend. It holds no data and
 * runs no SQL; everything about a database lives in the backend files.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <envwatch/err.h>
#include <envwatch/store.h>

#include "store/air_internal.h"
#include "store/alarm_internal.h"
#include "store/auth_internal.h"
#include "store/backend.h"
#include "store/internal.h"
#include "store/ledger_internal.h"

/* The backends by scheme. A NULL backend is a reserved scheme whose file is not written yet:
 * adding PostgreSQL is src/store/postgres.c plus &ew__store_postgres on its line. */
static const struct {
    const char                    *scheme;
    const struct ew_store_backend *be;
} backends[] = {
    { "sqlite", &ew__store_sqlite },
    { "postgres", NULL },
};

struct ew_store {
    const struct ew_store_backend *be;
    void *ctx;
    int   front_err;                    /* the last error came from the front's checks */
    char  msg[256];
    struct ew__scope *scope;            /* the caller's scope (scope.c); NULL: everything */
};

static void say(char *err, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int refuse(struct ew_store *s, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
say(char *err, size_t len, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL || len == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(err, len, fmt, ap);
    va_end(ap);
}

/* Splits "scheme:rest" (scheme of lowercase letters) or takes a plain path as SQLite's. */
static int
pick_backend(const char *location, const struct ew_store_backend **be, const char **path,
             char *err, size_t err_len)
{
    size_t n = strspn(location, "abcdefghijklmnopqrstuvwxyz");

    if (n == 0 || location[n] != ':') {
        *be = &ew__store_sqlite;
        *path = location;
        return EW_OK;
    }
    for (size_t i = 0; i < EW_ARRAY_LEN(backends); i++) {
        if (strlen(backends[i].scheme) != n || memcmp(backends[i].scheme, location, n) != 0)
            continue;
        if (backends[i].be == NULL) {
            say(err, err_len, "store backend '%s' is not built into this envwatch",
                backends[i].scheme);
            return EW_EINVAL;
        }
        *be = backends[i].be;
        *path = location + n + 1;
        return EW_OK;
    }
    say(err, err_len, "unknown store scheme '%.*s' (use sqlite:DIR or a directory)", (int)n,
        location);
    return EW_EINVAL;
}

int
ew_store_open_config(const char *location, const struct ew_store_config *cfg,
                     struct ew_store **out, char *errmsg, size_t errmsg_len)
{
    static const struct ew_store_config defaults;
    const struct ew_store_backend *be;
    const char *path;
    struct ew_store *s;
    int rc;

    if (location == NULL || out == NULL) {
        say(errmsg, errmsg_len, "no store location given");
        return EW_EINVAL;
    }
    if ((rc = pick_backend(location, &be, &path, errmsg, errmsg_len)) != EW_OK)
        return rc;
    s = calloc(1, sizeof(*s));
    if (s == NULL) {
        say(errmsg, errmsg_len, "out of memory");
        return EW_ENOMEM;
    }
    s->be = be;
    rc = be->open(path, cfg != NULL ? cfg : &defaults, &s->ctx, errmsg, errmsg_len);
    if (rc != EW_OK) {
        free(s);
        return rc;
    }
    *out = s;
    return EW_OK;
}

int
ew_store_open(const char *location, int flags, struct ew_store **out)
{
    struct ew_store_config cfg = { .flags = flags };

    return ew_store_open_config(location, &cfg, out, NULL, 0);
}

void
ew_store_close(struct ew_store *s)
{
    if (s == NULL)
        return;
    s->be->close(s->ctx);
    ew__scope_free(s->scope);
    free(s);
}

const char *
ew_store_errmsg(const struct ew_store *s)
{
    if (s == NULL)
        return "no store handle";
    return s->front_err ? s->msg : s->be->errmsg(s->ctx);
}

/* Every call passes through here: the backend's message is current again. */
static void *
ctx_of(struct ew_store *s)
{
    s->front_err = 0;
    return s->ctx;
}

/* Refuses a call before it reaches the backend, keeping the reason for ew_store_errmsg. */
static int
refuse(struct ew_store *s, int rc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(s->msg, sizeof(s->msg), fmt, ap);
    va_end(ap);
    s->front_err = 1;
    return rc;
}

int
ew_store_schema_version(struct ew_store *s, int *version)
{
    if (s == NULL || version == NULL)
        return EW_EINVAL;
    return s->be->schema_version(ctx_of(s), version);
}

int
ew_store_data_version(struct ew_store *s, int *version)
{
    if (s == NULL || version == NULL)
        return EW_EINVAL;
    return s->be->data_version(ctx_of(s), version);
}

int
ew_store_checkpoint(struct ew_store *s, int truncate, int *wal_pages)
{
    if (s == NULL)
        return EW_EINVAL;
    return s->be->checkpoint(ctx_of(s), truncate, wal_pages);
}

int
ew_store_begin(struct ew_store *s)
{
    return s == NULL ? EW_EINVAL : s->be->begin(ctx_of(s));
}

int
ew_store_commit(struct ew_store *s)
{
    return s == NULL ? EW_EINVAL : s->be->commit(ctx_of(s));
}

int
ew_store_rollback(struct ew_store *s)
{
    return s == NULL ? EW_EINVAL : s->be->rollback(ctx_of(s));
}

/* ---- registry ------------------------------------------------------------------------------ */

static int
check_point(struct ew_store *s, const struct ew_point *p)
{
    char why[160];

    if (ew_point_check(p, why, sizeof(why)) != EW_OK)
        return refuse(s, EW_EINVAL, "point: %s", why);
    return EW_OK;
}

int
ew_store_point_put(struct ew_store *s, struct ew_point *p)
{
    int rc;

    if (s == NULL || p == NULL)
        return EW_EINVAL;
    if ((rc = check_point(s, p)) != EW_OK)
        return rc;
    return s->be->point_put(ctx_of(s), p);
}

int
ew_store_point_get(struct ew_store *s, const char *mn, struct ew_point *out)
{
    if (s == NULL || mn == NULL || out == NULL)
        return EW_EINVAL;
    if (s->scope != NULL)
        return ew__scope_point_get(s->scope, s->be, ctx_of(s), mn, out);
    return s->be->point_get(ctx_of(s), mn, out);
}

int
ew_store_point_remove(struct ew_store *s, const char *mn)
{
    if (s == NULL || mn == NULL)
        return EW_EINVAL;
    return s->be->point_remove(ctx_of(s), mn);
}

int
ew_store_point_each(struct ew_store *s, int (*fn)(void *ctx, const struct ew_point *p),
                    void *ctx)
{
    if (s == NULL || fn == NULL)
        return EW_EINVAL;
    if (s->scope != NULL)
        return ew__scope_point_each(s->scope, s->be, ctx_of(s), fn, ctx);
    return s->be->point_each(ctx_of(s), fn, ctx);
}

/* ---- readings ------------------------------------------------------------------------------ */

static int
check_reading(struct ew_store *s, const struct ew_reading *r)
{
    if (!ew__store_kind_valid(r->kind))
        return refuse(s, EW_EINVAL, "reading: unknown data kind %d", r->kind);
    if (r->point_id <= 0)
        return refuse(s, EW_EINVAL, "reading: no point id");
    if (!ew__store_token_valid(r->factor, sizeof(r->factor), EW__STORE_CODE_BANNED))
        return refuse(s, EW_EINVAL, "reading: bad factor code");
    if (r->flag[0] != '\0' &&
        !ew__store_token_valid(r->flag, sizeof(r->flag), EW__STORE_CODE_BANNED))
        return refuse(s, EW_EINVAL, "reading: bad data flag");
    if (r->t_unix_s < EW_STORE_T_MIN_UNIX_S || r->t_unix_s > EW_STORE_T_MAX_UNIX_S)
        return refuse(s, EW_EINVAL, "reading: data time %lld outside 2000-2099",
                      (long long)r->t_unix_s);
    return EW_OK;
}

int
ew_store_reading_put(struct ew_store *s, const struct ew_reading *r, int *inserted)
{
    int rc;

    if (s == NULL || r == NULL || inserted == NULL)
        return EW_EINVAL;
    if ((rc = check_reading(s, r)) != EW_OK)
        return rc;
    return s->be->reading_put(ctx_of(s), r, inserted);
}

int
ew_store_reading_each(struct ew_store *s, const struct ew_reading_query *q,
                      int (*fn)(void *ctx, const struct ew_reading *r), void *ctx)
{
    if (s == NULL || q == NULL || fn == NULL)
        return EW_EINVAL;
    if (!ew__store_kind_valid(q->kind))
        return refuse(s, EW_EINVAL, "reading query: unknown data kind %d", q->kind);
    if (s->scope != NULL)
        return ew__scope_reading_each(s->scope, s->be, ctx_of(s), q, fn, ctx);
    return s->be->reading_each(ctx_of(s), q, fn, ctx);
}

int
ew_store_latest_each(struct ew_store *s, int64_t point_id,
                     int (*fn)(void *ctx, const struct ew_reading *r), void *ctx)
{
    if (s == NULL || fn == NULL || point_id < 0)
        return EW_EINVAL;
    if (s->scope != NULL)
        return ew__scope_latest_each(s->scope, s->be, ctx_of(s), point_id, fn, ctx);
    return s->be->latest_each(ctx_of(s), point_id, fn, ctx);
}

int
ew_store_reading_prune(struct ew_store *s, int kind, int64_t before_unix_s, int64_t *deleted)
{
    if (s == NULL || deleted == NULL)
        return EW_EINVAL;
    if (!ew__store_kind_valid(kind))
        return refuse(s, EW_EINVAL, "prune: unknown data kind %d", kind);
    return s->be->reading_prune(ctx_of(s), kind, before_unix_s, deleted);
}

/* ---- journal, pending, connections --------------------------------------------------------- */

int
ew_store_journal_put(struct ew_store *s, const struct ew_journal_entry *e)
{
    if (s == NULL || e == NULL)
        return EW_EINVAL;
    if (e->peer == NULL || e->verdict == NULL || e->verdict[0] == '\0' ||
        (e->bytes == NULL && e->len > 0))
        return refuse(s, EW_EINVAL, "journal: peer, verdict and bytes are required");
    if (e->len > EW_STORE_FRAME_MAX)
        return refuse(s, EW_ETOOBIG, "journal: %zu bytes exceed %d", e->len,
                      EW_STORE_FRAME_MAX);
    return s->be->journal_put(ctx_of(s), e);
}

int
ew_store_journal_each(struct ew_store *s, const struct ew_journal_query *q,
                      int (*fn)(void *ctx, const struct ew_journal_entry *e), void *ctx)
{
    if (s == NULL || q == NULL || fn == NULL)
        return EW_EINVAL;
    if (s->scope != NULL)
        return ew__scope_journal_each(s->scope, s->be, ctx_of(s), q, fn, ctx);
    return s->be->journal_each(ctx_of(s), q, fn, ctx);
}

int
ew_store_journal_prune(struct ew_store *s, int64_t before_ms, int64_t *deleted)
{
    if (s == NULL || deleted == NULL)
        return EW_EINVAL;
    return s->be->journal_prune(ctx_of(s), before_ms, deleted);
}

int
ew_store_pending_touch(struct ew_store *s, const char *mn, const char *st, const char *peer,
                       int64_t t_ms)
{
    if (s == NULL || mn == NULL)
        return EW_EINVAL;
    if (!ew__store_token_valid(mn, EW_STORE_MN_MAX + 1, EW__STORE_MN_BANNED))
        return refuse(s, EW_EINVAL, "pending: bad MN");
    if (st == NULL)
        st = "";
    if (peer == NULL)
        peer = "";
    if (strlen(st) >= sizeof(((struct ew_pending *)0)->st) ||
        strlen(peer) >= sizeof(((struct ew_pending *)0)->peer))
        return refuse(s, EW_EINVAL, "pending: ST or peer too long");
    return s->be->pending_touch(ctx_of(s), mn, st, peer, t_ms);
}

int
ew_store_pending_each(struct ew_store *s, int (*fn)(void *ctx, const struct ew_pending *p),
                      void *ctx)
{
    if (s == NULL || fn == NULL)
        return EW_EINVAL;
    if (s->scope != NULL)
        return ew__scope_pending_each(s->scope, s->be, ctx_of(s), fn, ctx);
    return s->be->pending_each(ctx_of(s), fn, ctx);
}

int
ew_store_pending_remove(struct ew_store *s, const char *mn)
{
    if (s == NULL || mn == NULL)
        return EW_EINVAL;
    return s->be->pending_remove(ctx_of(s), mn);
}

int
ew_store_pending_approve(struct ew_store *s, struct ew_point *p)
{
    int rc;

    if (s == NULL || p == NULL)
        return EW_EINVAL;
    if ((rc = check_point(s, p)) != EW_OK)
        return rc;
    return s->be->pending_approve(ctx_of(s), p);
}

int
ew_store_conn_open(struct ew_store *s, const char *peer, int64_t t_ms, int64_t *conn_id)
{
    if (s == NULL || peer == NULL || conn_id == NULL)
        return EW_EINVAL;
    return s->be->conn_open(ctx_of(s), peer, t_ms, conn_id);
}

int
ew_store_conn_identify(struct ew_store *s, int64_t conn_id, const char *mn)
{
    if (s == NULL || mn == NULL)
        return EW_EINVAL;
    return s->be->conn_identify(ctx_of(s), conn_id, mn);
}

int
ew_store_conn_close(struct ew_store *s, int64_t conn_id, int64_t t_ms, const char *reason)
{
    if (s == NULL)
        return EW_EINVAL;
    return s->be->conn_close(ctx_of(s), conn_id, t_ms, reason != NULL ? reason : "");
}

int
ew_store_conn_close_all(struct ew_store *s, int64_t t_ms, const char *reason, int64_t *closed)
{
    int64_t n = 0;
    int rc;

    if (s == NULL)
        return EW_EINVAL;
    rc = s->be->conn_close_all(ctx_of(s), t_ms, reason != NULL ? reason : "", &n);
    if (rc == EW_OK && closed != NULL)
        *closed = n;
    return rc;
}

int
ew_store_conn_each(struct ew_store *s, const struct ew_conn_query *q,
                   int (*fn)(void *ctx, const struct ew_conn *c), void *ctx)
{
    if (s == NULL || q == NULL || fn == NULL)
        return EW_EINVAL;
    if (s->scope != NULL)
        return ew__scope_conn_each(s->scope, s->be, ctx_of(s), q, fn, ctx);
    return s->be->conn_each(ctx_of(s), q, fn, ctx);
}

/* ---- air quality --------------------------------------------------------------------------- */

/* Runs a check that writes its reason into why; keeps the reason for ew_store_errmsg. */
#define AIR_CHECK(s, call)                                                                     \
    do {                                                                                       \
        char why_[160];                                                                        \
        if ((call) != EW_OK)                                                                   \
            return refuse((s), EW_EINVAL, "%s", why_);                                         \
    } while (0)

int
ew_store_air_put(struct ew_store *s, const struct ew_air_row *r)
{
    if (s == NULL || r == NULL)
        return EW_EINVAL;
    AIR_CHECK(s, ew__store_air_row_check(r, why_, sizeof(why_)));
    return s->be->air_put(ctx_of(s), r);
}

int
ew_store_air_get(struct ew_store *s, int scope, const char *name, int period,
                 int64_t t_unix_s, struct ew_air_row *out)
{
    if (s == NULL || name == NULL || out == NULL)
        return EW_EINVAL;
    AIR_CHECK(s, ew__store_air_key_check(scope, name, period, t_unix_s, why_, sizeof(why_)));
    return s->be->air_get(ctx_of(s), scope, name, period, t_unix_s, out);
}

int
ew_store_air_each(struct ew_store *s, const struct ew_air_query *q,
                  int (*fn)(void *ctx, const struct ew_air_row *r), void *ctx)
{
    if (s == NULL || q == NULL || fn == NULL)
        return EW_EINVAL;
    if (q->period != EW_AIR_PERIOD_HOUR && q->period != EW_AIR_PERIOD_DAY)
        return refuse(s, EW_EINVAL, "air query: unknown period %d", q->period);
    if (q->name != NULL)
        AIR_CHECK(s, ew__store_air_area_check(q->scope, q->name, why_, sizeof(why_)));
    else if (q->scope < EW_AIR_SCOPE_STATION || q->scope > EW_AIR_SCOPE_CITY)
        return refuse(s, EW_EINVAL, "air query: unknown scope %d", q->scope);
    return s->be->air_each(ctx_of(s), q, fn, ctx);
}

int
ew_store_air_days_missing(struct ew_store *s, int64_t from_unix_s, int64_t to_unix_s,
                          int (*fn)(void *ctx, int scope, const char *name, int64_t day_unix_s),
                          void *ctx)
{
    if (s == NULL || fn == NULL)
        return EW_EINVAL;
    return s->be->air_days_missing(ctx_of(s), from_unix_s, to_unix_s, fn, ctx);
}

int
ew_store_air_alert_state(struct ew_store *s, int scope, const char *name,
                         struct ew_air_alert_state *st, int64_t *day_unix_s)
{
    if (s == NULL || name == NULL || st == NULL || day_unix_s == NULL)
        return EW_EINVAL;
    AIR_CHECK(s, ew__store_air_area_check(scope, name, why_, sizeof(why_)));
    return s->be->air_alert_state(ctx_of(s), scope, name, st, day_unix_s);
}

int
ew_store_air_alert_record(struct ew_store *s, int scope, const char *name,
                          const struct ew_air_alert_state *st, int64_t day_unix_s,
                          const struct ew_air_alert_change *ch, int64_t *alert_id)
{
    int64_t id = 0;
    int rc;

    if (s == NULL || name == NULL || st == NULL || ch == NULL)
        return EW_EINVAL;
    AIR_CHECK(s, ew__store_air_area_check(scope, name, why_, sizeof(why_)));
    AIR_CHECK(s, ew__store_air_change_check(st, ch, why_, sizeof(why_)));
    rc = s->be->air_alert_record(ctx_of(s), scope, name, st, day_unix_s, ch, &id);
    if (rc == EW_OK && alert_id != NULL)
        *alert_id = id;
    return rc;
}

int
ew_store_air_alert_each(struct ew_store *s, const struct ew_air_alert_query *q,
                        int (*fn)(void *ctx, const struct ew_air_alert_rec *a), void *ctx)
{
    if (s == NULL || q == NULL || fn == NULL)
        return EW_EINVAL;
    if (q->name != NULL)
        AIR_CHECK(s, ew__store_air_area_check(q->scope, q->name, why_, sizeof(why_)));
    return s->be->air_alert_each(ctx_of(s), q, fn, ctx);
}

int
ew_store_air_alert_changes(struct ew_store *s, int64_t alert_id,
                           int (*fn)(void *ctx, const struct ew_air_alert_change *c), void *ctx)
{
    if (s == NULL || fn == NULL)
        return EW_EINVAL;
    return s->be->air_alert_changes(ctx_of(s), alert_id, fn, ctx);
}

int
ew_store_air_target_put(struct ew_store *s, int year, const struct ew_air_target *t)
{
    if (s == NULL || t == NULL)
        return EW_EINVAL;
    AIR_CHECK(s, ew__store_air_target_check(year, t, why_, sizeof(why_)));
    return s->be->air_target_put(ctx_of(s), year, t);
}

int
ew_store_air_target_get(struct ew_store *s, int year, struct ew_air_target *out, int *from_year)
{
    int found = 0, rc;

    if (s == NULL || out == NULL)
        return EW_EINVAL;
    rc = s->be->air_target_get(ctx_of(s), year, out, &found);
    if (rc == EW_OK && from_year != NULL)
        *from_year = found;
    return rc;
}

/* ---- alarms and source limits -------------------------------------------------------------- */

/* Keeps the reason of a failed check (why) for ew_store_errmsg. */
static int
refused_why(struct ew_store *s, int rc, const char *why)
{
    return rc == EW_OK ? EW_OK : refuse(s, rc, "%s", why);
}

int
ew_store_alarm_open(struct ew_store *s, struct ew_alarm *a, const struct ew_alarm_step *first)
{
    char why[160];
    int rc;

    if (s == NULL || a == NULL || first == NULL)
        return EW_EINVAL;
    if ((rc = refused_why(s, ew__store_alarm_check(a, why, sizeof(why)), why)) != EW_OK ||
        (rc = refused_why(s, ew__store_alarm_step_check(first, why, sizeof(why)), why)) != EW_OK)
        return rc;
    if (first->state != EW_ALARM_STATE_OPEN)
        return refuse(s, EW_EINVAL, "alarm: the first step must be 'open'");
    return s->be->alarm_open(ctx_of(s), a, first);
}

int
ew_store_alarm_find(struct ew_store *s, int64_t point_id, int kind, const char *factor,
                    struct ew_alarm *out)
{
    if (s == NULL || out == NULL || factor == NULL)
        return EW_EINVAL;
    if (!ew__store_alarm_factor_ok(factor))
        return refuse(s, EW_EINVAL, "alarm: bad factor code");
    if (s->scope != NULL)
        return ew__scope_alarm_find(s->scope, s->be, ctx_of(s), point_id, kind, factor, out);
    return s->be->alarm_find(ctx_of(s), point_id, kind, factor, out);
}

int
ew_store_alarm_get(struct ew_store *s, int64_t id, struct ew_alarm *out)
{
    if (s == NULL || out == NULL)
        return EW_EINVAL;
    if (s->scope != NULL)
        return ew__scope_alarm_get(s->scope, s->be, ctx_of(s), id, out);
    return s->be->alarm_get(ctx_of(s), id, out);
}

int
ew_store_alarm_update(struct ew_store *s, const struct ew_alarm *a)
{
    char why[160];
    int rc;

    if (s == NULL || a == NULL)
        return EW_EINVAL;
    if ((rc = refused_why(s, ew__store_alarm_check(a, why, sizeof(why)), why)) != EW_OK)
        return rc;
    return s->be->alarm_update(ctx_of(s), a);
}

int
ew_store_alarm_transition(struct ew_store *s, int64_t id, int from,
                          const struct ew_alarm_step *step)
{
    char why[160];
    int rc;

    if (s == NULL || step == NULL)
        return EW_EINVAL;
    if ((rc = refused_why(s, ew__store_alarm_step_check(step, why, sizeof(why)), why)) != EW_OK)
        return rc;
    if (from < EW_ALARM_STATE_OPEN || from > EW_ALARM_STATE_CLOSED)
        return refuse(s, EW_EINVAL, "alarm transition: unknown state %d", from);
    return s->be->alarm_transition(ctx_of(s), id, from, step);
}

int
ew_store_alarm_each(struct ew_store *s, const struct ew_alarm_query *q,
                    int (*fn)(void *ctx, const struct ew_alarm *a), void *ctx)
{
    char why[160];
    int rc;

    if (s == NULL || q == NULL || fn == NULL)
        return EW_EINVAL;
    if ((rc = refused_why(s, ew__store_alarm_query_check(q, why, sizeof(why)), why)) != EW_OK)
        return rc;
    if (s->scope != NULL)
        return ew__scope_alarm_each(s->scope, s->be, ctx_of(s), q, fn, ctx);
    return s->be->alarm_each(ctx_of(s), q, fn, ctx);
}

int
ew_store_alarm_history_each(struct ew_store *s, int64_t id,
                            int (*fn)(void *ctx, const struct ew_alarm_step *st), void *ctx)
{
    if (s == NULL || fn == NULL)
        return EW_EINVAL;
    if (s->scope != NULL)
        return ew__scope_alarm_history_each(s->scope, s->be, ctx_of(s), id, fn, ctx);
    return s->be->alarm_history_each(ctx_of(s), id, fn, ctx);
}

int
ew_store_alarm_notice_put(struct ew_store *s, int64_t alarm_id, const char *event,
                          int64_t t_ms)
{
    if (s == NULL || event == NULL)
        return EW_EINVAL;
    if (event[0] == '\0' || strlen(event) > 31 || alarm_id <= 0)
        return refuse(s, EW_EINVAL, "alarm notice: an alarm id and an event name are required");
    return s->be->alarm_notice_put(ctx_of(s), alarm_id, event, t_ms);
}

int
ew_store_alarm_notice_each(struct ew_store *s, size_t limit,
                           int (*fn)(void *ctx, const struct ew_alarm_notice *n), void *ctx)
{
    if (s == NULL || fn == NULL)
        return EW_EINVAL;
    return s->be->alarm_notice_each(ctx_of(s), limit, fn, ctx);
}

int
ew_store_alarm_notice_remove(struct ew_store *s, int64_t upto_id)
{
    if (s == NULL)
        return EW_EINVAL;
    return s->be->alarm_notice_remove(ctx_of(s), upto_id);
}

int
ew_store_source_limits_set(struct ew_store *s, int64_t point_id,
                           const struct ew_source_limit *lim, size_t n)
{
    char why[160];
    int rc;

    if (s == NULL || (lim == NULL && n > 0) || point_id <= 0)
        return EW_EINVAL;
    for (size_t i = 0; i < n; i++)
        if ((rc = refused_why(s, ew__store_source_limit_check(&lim[i], why, sizeof(why)),
                              why)) != EW_OK)
            return rc;
    return s->be->source_limits_set(ctx_of(s), point_id, lim, n);
}

int
ew_store_source_limit_each(struct ew_store *s, int64_t point_id,
                           int (*fn)(void *ctx, const struct ew_source_limit *l), void *ctx)
{
    if (s == NULL || fn == NULL || point_id < 0)
        return EW_EINVAL;
    if (s->scope != NULL)
        return ew__scope_source_limit_each(s->scope, s->be, ctx_of(s), point_id, fn, ctx);
    return s->be->source_limit_each(ctx_of(s), point_id, fn, ctx);
}

/* ---- governance ledgers -------------------------------------------------------------------- */

/* The shape checks of store/ledger.c, with the reason kept for ew_store_errmsg. */
#define LEDGER_CHECK(s, call)                                                                  \
    do {                                                                                       \
        char why_[200];                                                                        \
        if ((call) != EW_OK)                                                                   \
            return refuse((s), EW_EINVAL, "%s", why_);                                         \
    } while (0)
#define LEDGER_WHY why_, sizeof(why_)

int
ew_store_ledger_item_add(struct ew_store *s, struct ew_ledger_item *it,
                         const struct ew_ledger_event *first)
{
    if (s == NULL || it == NULL || first == NULL)
        return EW_EINVAL;
    LEDGER_CHECK(s, ew__store_ledger_item_check(it, LEDGER_WHY));
    LEDGER_CHECK(s, ew__store_ledger_event_check(first, LEDGER_WHY));
    return s->be->ledger_item_add(ctx_of(s), it, first);
}

int
ew_store_ledger_item_update(struct ew_store *s, const struct ew_ledger_item *it,
                            int expect_state, const struct ew_ledger_event *ev)
{
    if (s == NULL || it == NULL || it->id <= 0)
        return EW_EINVAL;
    LEDGER_CHECK(s, ew__store_ledger_item_check(it, LEDGER_WHY));
    if (ev != NULL)
        LEDGER_CHECK(s, ew__store_ledger_event_check(ev, LEDGER_WHY));
    return s->be->ledger_item_update(ctx_of(s), it, expect_state, ev);
}

int
ew_store_ledger_item_get(struct ew_store *s, int64_t id, struct ew_ledger_item *out)
{
    if (s == NULL || out == NULL)
        return EW_EINVAL;
    if (s->scope != NULL)
        return ew__scope_ledger_item_get(s->scope, s->be, ctx_of(s), id, out);
    return s->be->ledger_item_get(ctx_of(s), id, out);
}

int
ew_store_ledger_item_find(struct ew_store *s, const char *code, struct ew_ledger_item *out)
{
    if (s == NULL || code == NULL || code[0] == '\0' || out == NULL)
        return EW_EINVAL;
    if (s->scope != NULL)
        return ew__scope_ledger_item_find(s->scope, s->be, ctx_of(s), code, out);
    return s->be->ledger_item_find(ctx_of(s), code, out);
}

int
ew_store_ledger_item_each(struct ew_store *s, const struct ew_ledger_query *q,
                          int (*fn)(void *ctx, const struct ew_ledger_item *it), void *ctx)
{
    if (s == NULL || q == NULL || fn == NULL)
        return EW_EINVAL;
    LEDGER_CHECK(s, ew__store_ledger_query_check(q, LEDGER_WHY));
    if (s->scope != NULL)
        return ew__scope_ledger_item_each(s->scope, s->be, ctx_of(s), q, fn, ctx);
    return s->be->ledger_item_each(ctx_of(s), q, fn, ctx);
}

int
ew_store_ledger_item_count(struct ew_store *s, const struct ew_ledger_query *q, int64_t *n)
{
    if (s == NULL || q == NULL || n == NULL)
        return EW_EINVAL;
    LEDGER_CHECK(s, ew__store_ledger_query_check(q, LEDGER_WHY));
    if (s->scope != NULL)
        return ew__scope_ledger_item_count(s->scope, s->be, ctx_of(s), q, n);
    return s->be->ledger_item_count(ctx_of(s), q, n);
}

int
ew_store_ledger_event_add(struct ew_store *s, const struct ew_ledger_event *ev)
{
    if (s == NULL || ev == NULL || ev->item_id <= 0)
        return EW_EINVAL;
    LEDGER_CHECK(s, ew__store_ledger_event_check(ev, LEDGER_WHY));
    return s->be->ledger_event_add(ctx_of(s), ev);
}

int
ew_store_ledger_event_each(struct ew_store *s, int64_t item_id,
                           int (*fn)(void *ctx, const struct ew_ledger_event *ev), void *ctx)
{
    if (s == NULL || fn == NULL)
        return EW_EINVAL;
    if (s->scope != NULL)
        return ew__scope_ledger_event_each(s->scope, s->be, ctx_of(s), item_id, fn, ctx);
    return s->be->ledger_event_each(ctx_of(s), item_id, fn, ctx);
}

int
ew_store_ledger_file_add(struct ew_store *s, struct ew_ledger_file *f)
{
    if (s == NULL || f == NULL)
        return EW_EINVAL;
    LEDGER_CHECK(s, ew__store_ledger_file_check(f, LEDGER_WHY));
    return s->be->ledger_file_add(ctx_of(s), f);
}

int
ew_store_ledger_file_each(struct ew_store *s, int64_t item_id,
                          int (*fn)(void *ctx, const struct ew_ledger_file *f), void *ctx)
{
    if (s == NULL || fn == NULL)
        return EW_EINVAL;
    if (s->scope != NULL)
        return ew__scope_ledger_file_each(s->scope, s->be, ctx_of(s), item_id, fn, ctx);
    return s->be->ledger_file_each(ctx_of(s), item_id, fn, ctx);
}

int
ew_store_ledger_link_add(struct ew_store *s, const struct ew_ledger_link *l)
{
    if (s == NULL || l == NULL)
        return EW_EINVAL;
    LEDGER_CHECK(s, ew__store_ledger_link_check(l, LEDGER_WHY));
    return s->be->ledger_link_add(ctx_of(s), l);
}

int
ew_store_ledger_link_each(struct ew_store *s, int64_t item_id,
                          int (*fn)(void *ctx, const struct ew_ledger_link *l), void *ctx)
{
    if (s == NULL || fn == NULL)
        return EW_EINVAL;
    if (s->scope != NULL)
        return ew__scope_ledger_link_each(s->scope, s->be, ctx_of(s), item_id, fn, ctx);
    return s->be->ledger_link_each(ctx_of(s), item_id, fn, ctx);
}

int
ew_store_ledger_link_find(struct ew_store *s, const char *type, const char *target,
                          int (*fn)(void *ctx, const struct ew_ledger_link *l), void *ctx)
{
    if (s == NULL || type == NULL || target == NULL || fn == NULL)
        return EW_EINVAL;
    if (s->scope != NULL)
        return ew__scope_ledger_link_find(s->scope, s->be, ctx_of(s), type, target, fn, ctx);
    return s->be->ledger_link_find(ctx_of(s), type, target, fn, ctx);
}

int
ew_store_ledger_patrol_add(struct ew_store *s, struct ew_ledger_patrol *p)
{
    if (s == NULL || p == NULL)
        return EW_EINVAL;
    LEDGER_CHECK(s, ew__store_ledger_patrol_check(p, LEDGER_WHY));
    return s->be->ledger_patrol_add(ctx_of(s), p);
}

int
ew_store_ledger_patrol_each(struct ew_store *s, const char *chief, int64_t from_unix_s,
                            int64_t to_unix_s,
                            int (*fn)(void *ctx, const struct ew_ledger_patrol *p), void *ctx)
{
    if (s == NULL || fn == NULL)
        return EW_EINVAL;
    return s->be->ledger_patrol_each(ctx_of(s), chief, from_unix_s, to_unix_s, fn, ctx);
}

int
ew_store_ledger_reach_put(struct ew_store *s, const struct ew_ledger_reach *r)
{
    if (s == NULL || r == NULL)
        return EW_EINVAL;
    LEDGER_CHECK(s, ew__store_ledger_reach_check(r, LEDGER_WHY));
    return s->be->ledger_reach_put(ctx_of(s), r);
}

int
ew_store_ledger_reach_get(struct ew_store *s, const char *code, struct ew_ledger_reach *out)
{
    if (s == NULL || code == NULL || out == NULL)
        return EW_EINVAL;
    return s->be->ledger_reach_get(ctx_of(s), code, out);
}

int
ew_store_ledger_reach_each(struct ew_store *s,
                           int (*fn)(void *ctx, const struct ew_ledger_reach *r), void *ctx)
{
    if (s == NULL || fn == NULL)
        return EW_EINVAL;
    return s->be->ledger_reach_each(ctx_of(s), fn, ctx);
}

int
ew_store_ledger_kv_put(struct ew_store *s, const char *key, const char *value)
{
    if (s == NULL || key == NULL || value == NULL)
        return EW_EINVAL;
    LEDGER_CHECK(s, ew__store_ledger_key_check(key, LEDGER_WHY));
    return s->be->ledger_kv_put(ctx_of(s), key, value);
}

int
ew_store_ledger_kv_get(struct ew_store *s, const char *key, char **value)
{
    if (s == NULL || key == NULL || value == NULL)
        return EW_EINVAL;
    LEDGER_CHECK(s, ew__store_ledger_key_check(key, LEDGER_WHY));
    return s->be->ledger_kv_get(ctx_of(s), key, value);
}

int
ew_store_ledger_dir(struct ew_store *s, char *out, size_t len)
{
    if (s == NULL || out == NULL || len == 0)
        return EW_EINVAL;
    return s->be->ledger_dir(ctx_of(s), out, len);
}

/* ---- accounts, sessions, tokens, audit log, scope (store/auth.c and store/scope.c) ------- */

const struct ew_store_backend *
ew__store_backend(struct ew_store *s, void **ctx)
{
    *ctx = ctx_of(s);
    return s->be;
}

int
ew__store_refuse(struct ew_store *s, int rc, const char *why)
{
    return refuse(s, rc, "%s", why);
}

struct ew__scope **
ew__store_scope_slot(struct ew_store *s)
{
    return &s->scope;
}
