/* SPDX-License-Identifier: MIT */
/*
 * Running the writer hooks (include/envwatch/hooks.h) and holding their events until the
 * transaction that produced them has committed. Writer thread only.
 */
#include <stdlib.h>
#include <string.h>

#include <envwatch/api.h>
#include <envwatch/err.h>
#include <envwatch/hooks.h>

#include "ingest/internal.h"

struct pending_event {
    struct pending_event *next;
    char *type, *json;
};

static size_t
hook_count(void)
{
    size_t n = 0;

    while (ew_hooks[n] != NULL)
        n++;
    return n;
}

void
ew__event(struct ew_daemon *d, const char *type, const char *json)
{
    struct pending_event *e = calloc(1, sizeof(*e));

    if (e == NULL)
        return;
    e->type = strdup(type);
    e->json = strdup(json);
    if (e->type == NULL || e->json == NULL) {
        free(e->type);
        free(e->json);
        free(e);
        return;
    }
    e->next = d->events;
    d->events = e;
}

static void
publish(void *ctx, const char *type, const char *json)
{
    ew__event(ctx, type, json);
}

void
ew__hooks_events_done(struct ew_daemon *d, int committed)
{
    struct pending_event *e = d->events, *next, *rev = NULL;

    d->events = NULL;
    for (; e != NULL; e = next) {       /* reverse into publication order */
        next = e->next;
        e->next = rev;
        rev = e;
    }
    for (e = rev; e != NULL; e = next) {
        next = e->next;
        if (committed && d->api != NULL)
            ew_api_publish(d->api, e->type, e->json);
        free(e->type);
        free(e->json);
        free(e);
    }
}

static void
env_init(struct ew_daemon *d, struct ew_store *s, struct ew_hook_env *env)
{
    *env = (struct ew_hook_env){ .s = s, .cfg = &d->cfg, .now_ms = ew__now_ms(),
                                 .publish = publish, .pub_ctx = d };
}

int
ew__hooks_create(struct ew_daemon *d)
{
    size_t n = hook_count();

    d->hook_state = calloc(n + 1, sizeof(*d->hook_state));
    d->hook_last_tick = calloc(n + 1, sizeof(*d->hook_last_tick));
    if (d->hook_state == NULL || d->hook_last_tick == NULL)
        return EW_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        int rc;
        if (ew_hooks[i]->create == NULL)
            continue;
        if ((rc = ew_hooks[i]->create(&d->cfg, &d->hook_state[i])) != EW_OK) {
            ew__log(d, "error", "hook %s: %s", ew_hooks[i]->name, ew_strerror(rc));
            return rc;
        }
    }
    return EW_OK;
}

void
ew__hooks_destroy(struct ew_daemon *d)
{
    size_t n = hook_count();

    for (size_t i = 0; d->hook_state != NULL && i < n; i++)
        if (ew_hooks[i]->destroy != NULL)
            ew_hooks[i]->destroy(d->hook_state[i]);
    free(d->hook_state);
    free(d->hook_last_tick);
    d->hook_state = NULL;
    d->hook_last_tick = NULL;
}

int
ew__hooks_frame(struct ew_daemon *d, struct ew_store *s, const struct item *it, int kind,
                int64_t t, const struct ew_reading *r, size_t n)
{
    struct ew_hook_frame f = { .point_id = it->point_id, .mn = it->mn, .point_kind = it->kind,
                               .data_kind = kind, .t_unix_s = t, .readings = r, .n = n };
    struct ew_hook_env env;
    int rc;

    env_init(d, s, &env);
    for (size_t i = 0; ew_hooks[i] != NULL; i++) {
        if (ew_hooks[i]->on_frame == NULL)
            continue;
        rc = ew_hooks[i]->on_frame(d->hook_state[i], &env, &f);
        if (rc == EW_EIO || rc == EW_EBUSY || rc == EW_ENOMEM)
            return rc;
        if (rc != EW_OK)
            ew__log(d, "warn", "hook %s on %s: %s", ew_hooks[i]->name, it->mn, ew_strerror(rc));
    }
    return EW_OK;
}

void
ew__hooks_tick(struct ew_daemon *d, struct ew_store *s)
{
    struct ew_hook_env env;

    env_init(d, s, &env);
    for (size_t i = 0; ew_hooks[i] != NULL; i++) {
        const struct ew_hook *h = ew_hooks[i];
        int rc;
        if (h->on_tick == NULL || h->tick_s == 0 ||
            env.now_ms - d->hook_last_tick[i] < (int64_t)h->tick_s * 1000)
            continue;
        d->hook_last_tick[i] = env.now_ms;
        if (ew_store_begin(s) != EW_OK)
            return;
        rc = h->on_tick(d->hook_state[i], &env);
        if (rc == EW_OK && ew_store_commit(s) == EW_OK) {
            ew__hooks_events_done(d, 1);
            continue;
        }
        ew_store_rollback(s);
        ew__hooks_events_done(d, 0);
        ew__log(d, "error", "hook %s tick: %s", h->name, ew_strerror(rc));
    }
}
