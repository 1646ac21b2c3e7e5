/* SPDX-License-Identifier: MIT */
/*
 * The alarm engine as a writer hook (include/envwatch/hooks.h):
 *   on_frame  judges each committed upload (evaluate.c) and notes that its point is alive,
 *             ending an offline condition;
 *   on_tick   every second: keeps the engine's copy of the registry and the resolved source
 *             limits current, opens offline alarms every [alarms] check_s, and hands the
 *             store's outbox to the webhook notifier.
 * State: the registry as the engine needs it (sorted by point id), the detection rules'
 * windows, the standard table, the notifier. Nothing global.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <envwatch/err.h>

#include "alarm/internal.h"
#include "util/buf.h"
#include "util/time.h"

#define REFRESH_MS 10000                /* re-read the registry this often */
#define DEFAULT_CHECK_S 60
#define DEFAULT_TIMEOUT_MS 5000
#define DEFAULT_TRIES 4
#define DEFAULT_QUEUE 1000
#define OUTBOX_BATCH 64                 /* notices handed over per tick */
#define MAX_LIMITS 64                   /* resolved limits kept per point */

struct al_state {
    const struct ew_config *cfg;
    struct ew_std_table    *table;
    struct al_point        *pts;        /* sorted by id */
    size_t                  n, cap;
    struct al_series_map    series;
    struct al_notifier     *notifier;
    int64_t started_ms, last_refresh_ms, last_scan_ms;
    int64_t queued_id;                  /* the last outbox row handed to the notifier */
    int64_t limits_day;                 /* CST day number of the last full resolution */
    int     loaded;
};

static unsigned
or_default(unsigned v, unsigned def)
{
    return v != 0 ? v : def;
}

static int
hook_create(const struct ew_config *cfg, void **out)
{
    struct al_state *st = calloc(1, sizeof(*st));
    int found = 0, rc;

    if (st == NULL)
        return EW_ENOMEM;
    st->cfg = cfg;
    rc = al_standards_load(cfg->standards_dir, &st->table, &found);
    if (rc == EW_OK && cfg->webhook_url[0] != '\0')
        rc = al_notifier_create(cfg->webhook_url,
                                or_default(cfg->alarm_webhook_timeout_ms, DEFAULT_TIMEOUT_MS),
                                or_default(cfg->alarm_webhook_tries, DEFAULT_TRIES) - 1,
                                or_default(cfg->alarm_webhook_queue, DEFAULT_QUEUE),
                                &st->notifier);
    if (rc != EW_OK) {
        ew_std_table_destroy(st->table);
        free(st);
        return rc;
    }
    *out = st;
    return EW_OK;
}

static void
hook_destroy(void *state)
{
    struct al_state *st = state;

    if (st == NULL)
        return;
    al_notifier_destroy(st->notifier);
    ew_std_table_destroy(st->table);
    al_series_free(&st->series);
    free(st->pts);
    free(st);
}

/* ---- the registry as the engine sees it ---------------------------------------------------- */

static struct al_point *
find_point(struct al_point *v, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].id == id)
            return &v[mid];
        if (v[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static int
by_id(const void *a, const void *b)
{
    const struct al_point *x = a, *y = b;

    return x->id < y->id ? -1 : x->id > y->id;
}

/* Resolves every limit of p now and keeps them in the store for the API. */
static int
resolve_limits(struct al_state *st, struct ew_store *s, struct al_point *p, int64_t now_s)
{
    struct ew_source_limit lim[MAX_LIMITS];
    size_t n = al_kind_judged(p->kind) ? al_limits_all(st->table, p, now_s, lim, MAX_LIMITS)
                                       : 0;

    p->o2_used = 0;
    for (size_t i = 0; i < n; i++)
        p->o2_used |= !isnan(lim[i].ref_o2_pct);
    return ew_store_source_limits_set(s, p->id, lim, n);
}

struct collect {
    struct al_point *v;
    size_t n, cap;
    int    rc;
};

static int
collect_point(void *ctx, const struct ew_point *p)
{
    struct collect *c = ctx;

    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        struct al_point *v = realloc(c->v, cap * sizeof(*v));
        if (v == NULL) {
            c->rc = EW_ENOMEM;
            return 1;
        }
        c->v = v;
        c->cap = cap;
    }
    /* A point whose extra is not a JSON object is skipped rather than stopping the rest. */
    if (al_point_from(p, &c->v[c->n]) == EW_OK)
        c->n++;
    return 0;
}

struct newest {
    struct al_point *v;
    size_t n;
    int64_t now_ms;
    struct al_series_map *series;
};

/* At start: a point is as alive as its newest stored reading (never later than now). */
static int
note_newest(void *ctx, const struct ew_reading *r)
{
    struct newest *x = ctx;
    struct al_point *p = find_point(x->v, x->n, r->point_id);
    int64_t t_ms = r->t_unix_s * 1000 < x->now_ms ? r->t_unix_s * 1000 : x->now_ms;

    if (p != NULL && t_ms > p->last_rx_ms)
        p->last_rx_ms = t_ms;
    return 0;
}

/* A live alarm at start: its point is offline, or its series has an active condition. */
static int
note_active(void *ctx, const struct ew_alarm *a)
{
    struct newest *x = ctx;
    struct al_point *p = find_point(x->v, x->n, a->point_id);
    struct al_series *se;

    if (a->kind == EW_ALARM_OFFLINE && p != NULL)
        p->offline = a->active;
    else if (a->kind != EW_ALARM_OFFLINE && a->active &&
             (se = al_series_get(x->series, a->point_id, a->factor)) != NULL)
        se->active |= 1u << a->kind;
    return 0;
}

/* The first load: liveness from the latest values, active conditions from live alarms. */
static int
first_liveness(struct al_state *st, struct ew_store *s, struct collect *c, int64_t now_ms)
{
    struct newest x = { c->v, c->n, now_ms, &st->series };
    struct ew_alarm_query q = { .states = (1u << EW_ALARM_STATE_OPEN) |
                                          (1u << EW_ALARM_STATE_ACKNOWLEDGED) |
                                          (1u << EW_ALARM_STATE_EXPLAINED) };
    int rc;

    for (size_t i = 0; i < c->n; i++)
        c->v[i].last_rx_ms = 0;
    if ((rc = ew_store_latest_each(s, 0, note_newest, &x)) != EW_OK)
        return rc;
    /* A point that never sent anything counts from the engine's start. */
    for (size_t i = 0; i < c->n; i++)
        if (c->v[i].last_rx_ms == 0)
            c->v[i].last_rx_ms = st->started_ms;
    return ew_store_alarm_each(s, &q, note_active, &x);
}

static int
refresh(struct al_state *st, struct ew_store *s, int64_t now_ms)
{
    struct collect c = { NULL, 0, 0, EW_OK };
    int64_t day = (now_ms / 1000 + EW_CST_OFFSET_S) / 86400;
    int all = day != st->limits_day, rc;

    rc = ew_store_point_each(s, collect_point, &c);
    if (rc == EW_OK)
        rc = c.rc;
    if (rc != EW_OK) {
        free(c.v);
        return rc;
    }
    if (c.n > 1)
        qsort(c.v, c.n, sizeof(*c.v), by_id);
    if (!st->loaded)
        rc = first_liveness(st, s, &c, now_ms);
    for (size_t i = 0; i < c.n && rc == EW_OK; i++) {
        struct al_point *old = find_point(st->pts, st->n, c.v[i].id);
        if (old != NULL) {
            c.v[i].last_rx_ms = old->last_rx_ms;
            c.v[i].offline = old->offline;
            c.v[i].o2_used = old->o2_used;
        } else if (st->loaded) {
            c.v[i].last_rx_ms = now_ms;         /* registered since: give it its time */
        }
        if (all || old == NULL || old->hash != c.v[i].hash)
            rc = resolve_limits(st, s, &c.v[i], now_ms / 1000);
    }
    if (rc != EW_OK) {
        free(c.v);
        return rc;
    }
    free(st->pts);
    st->pts = c.v;
    st->n = c.n;
    st->cap = c.cap;
    st->loaded = 1;
    st->limits_day = day;
    st->last_refresh_ms = now_ms;
    return EW_OK;
}

/* The point of an upload; a point registered since the last refresh is read at once. */
static struct al_point *
point_of(struct al_state *st, const struct ew_hook_env *env, const struct ew_hook_frame *f)
{
    struct al_point *p = find_point(st->pts, st->n, f->point_id), a;
    struct ew_point reg;

    if (p != NULL || !st->loaded)
        return p;
    if (ew_store_point_get(env->s, f->mn, &reg) != EW_OK || reg.id != f->point_id ||
        al_point_from(&reg, &a) != EW_OK)
        return NULL;
    if (st->n == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 64;
        struct al_point *v = realloc(st->pts, cap * sizeof(*v));
        if (v == NULL)
            return NULL;
        st->pts = v;
        st->cap = cap;
    }
    a.last_rx_ms = env->now_ms;
    st->pts[st->n++] = a;
    qsort(st->pts, st->n, sizeof(*st->pts), by_id);
    p = find_point(st->pts, st->n, f->point_id);
    return resolve_limits(st, env->s, p, env->now_ms / 1000) == EW_OK ? p : NULL;
}

/* ---- the hook ----------------------------------------------------------------------------- */

static int
hook_frame(void *state, const struct ew_hook_env *env, const struct ew_hook_frame *f)
{
    struct al_state *st = state;
    struct al_eval ev = { env, st->table, &st->series };
    struct al_point *p;
    struct ew_alarm a;
    int outcome, rc = EW_OK;

    if (st->started_ms == 0)
        st->started_ms = env->now_ms;
    if (!st->loaded && (rc = refresh(st, env->s, env->now_ms)) != EW_OK)
        return rc;
    if ((p = point_of(st, env, f)) == NULL)
        return EW_OK;
    p->last_rx_ms = env->now_ms;
    if (p->offline) {
        rc = ew_alarm_clear(env->s, p->id, EW_ALARM_OFFLINE, "", env->now_ms / 1000,
                            env->now_ms, &outcome, &a);
        if (rc == EW_OK)
            rc = al_publish(env, &a, outcome);
        if (rc != EW_OK)
            return rc;
        p->offline = 0;
    }
    if (f->data_kind == EW_KIND_HOUR)
        rc = al_eval_hour(&ev, p, f->t_unix_s);
    else if (f->data_kind == EW_KIND_DAY)
        rc = al_eval_day(&ev, p, f->t_unix_s);
    if (rc == EW_OK)
        rc = al_eval_detect(&ev, p, f);
    return rc;
}

/* Opens an offline alarm for each point silent for longer than its kind allows. */
static int
scan_offline(struct al_state *st, const struct ew_hook_env *env)
{
    int rc = EW_OK;

    for (size_t i = 0; i < st->n && rc == EW_OK; i++) {
        struct al_point *p = &st->pts[i];
        int64_t after_s = st->cfg->alarm_offline_after_s > 0 ? st->cfg->alarm_offline_after_s
                          : p->has_rules                     ? p->rules.offline_after_s
                                                             : -1;
        struct ew_alarm_event e = { .kind = EW_ALARM_OFFLINE, .peak = NAN, .limit = NAN,
                                    .multiple = NAN, .n = 1, .open = 1 };
        struct ew_alarm a;
        int outcome;

        if (after_s < 0 || p->offline || env->now_ms - p->last_rx_ms <= after_s * 1000)
            continue;
        e.start_unix_s = e.peak_unix_s = p->last_rx_ms / 1000;
        e.end_unix_s = env->now_ms / 1000;
        rc = ew_alarm_trigger(env->s, p->id, "", &e, env->now_ms, &outcome, &a);
        if (rc == EW_OK)
            rc = al_publish(env, &a, outcome);
        if (rc == EW_OK)
            p->offline = 1;
    }
    return rc;
}

struct drain {
    struct al_state *st;
    struct ew_store *s;
    int rc, full;
};

static int
hand_over(void *ctx, const struct ew_alarm_notice *n)
{
    struct drain *d = ctx;
    struct ew_alarm a;
    struct ew_buf b;
    int rc;

    if (n->id <= d->st->queued_id)
        return 0;                       /* with the notifier already */
    if (ew_store_alarm_get(d->s, n->alarm_id, &a) != EW_OK) {
        d->st->queued_id = n->id;       /* nothing left to tell */
        return 0;
    }
    ew_buf_init(&b, 1 << 20);
    rc = ew_alarm_notice_json(&b, d->s, &a, n->event, n->t_ms);
    if (rc == EW_OK)
        rc = al_notifier_push(d->st->notifier, n->id, b.ptr);
    ew_buf_fini(&b);
    if (rc == EW_EBUSY) {
        d->full = 1;
        return 1;
    }
    if (rc != EW_OK && rc != EW_ETOOBIG) {
        d->rc = rc;
        return 1;
    }
    d->st->queued_id = n->id;
    return 0;
}

/* The outbox: what the notifier finished goes, what it has not seen yet goes to it. */
static int
drain_outbox(struct al_state *st, struct ew_store *s)
{
    struct drain d = { st, s, EW_OK, 0 };
    int64_t done;
    int rc;

    if (st->notifier == NULL)
        return ew_store_alarm_notice_remove(s, INT64_MAX);
    if ((done = al_notifier_done(st->notifier)) > 0 &&
        (rc = ew_store_alarm_notice_remove(s, done)) != EW_OK)
        return rc;
    rc = ew_store_alarm_notice_each(s, OUTBOX_BATCH, hand_over, &d);
    return rc == 1 ? d.rc : rc;
}

static int
hook_tick(void *state, const struct ew_hook_env *env)
{
    struct al_state *st = state;
    int64_t check_ms = (int64_t)or_default(st->cfg->alarm_check_s, DEFAULT_CHECK_S) * 1000;
    int rc = EW_OK;

    if (st->started_ms == 0)
        st->started_ms = env->now_ms;
    if (!st->loaded || env->now_ms - st->last_refresh_ms >= REFRESH_MS)
        rc = refresh(st, env->s, env->now_ms);
    if (rc == EW_OK && env->now_ms - st->last_scan_ms >= check_ms) {
        st->last_scan_ms = env->now_ms;
        rc = scan_offline(st, env);
    }
    return rc == EW_OK ? drain_outbox(st, env->s) : rc;
}

const struct ew_hook ew_alarm_hook = {
    .name = "alarms",
    .tick_s = 1,
    .create = hook_create,
    .destroy = hook_destroy,
    .on_frame = hook_frame,
    .on_tick = hook_tick,
};
