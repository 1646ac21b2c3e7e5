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

#include "store/backend.h"
#include "store/internal.h"

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
};

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
    return s->be->reading_each(ctx_of(s), q, fn, ctx);
}

int
ew_store_latest_each(struct ew_store *s, int64_t point_id,
                     int (*fn)(void *ctx, const struct ew_reading *r), void *ctx)
{
    if (s == NULL || fn == NULL || point_id < 0)
        return EW_EINVAL;
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
    return s->be->conn_each(ctx_of(s), q, fn, ctx);
}
