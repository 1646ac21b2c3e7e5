/* SPDX-License-Identifier: MIT */
/*
 * Hooks of the writer: what the domain modules (air, alarms, sources) do with data as it is
 * committed. Every hook runs on the writer thread with the writable store handle:
 *   on_frame  inside the batch transaction, for each upload whose readings were stored, so
 *             derived rows (hourly AQI, alarm state) commit atomically with the readings;
 *   on_tick   every tick_s seconds in a transaction of its own (day-end values, offline
 *             alarms, deadlines).
 * A hook returns EW_OK, or an error of the store (EW_EIO, EW_EBUSY) that fails the batch,
 * so nothing is acknowledged that is not wholly durable. Hooks keep no global state: what
 * they need lives in the store or in the state object they create.
 *
 * Events: a hook may publish a named event (JSON text) for live dashboards (server-sent
 * events); events are delivered after the commit that produced them.
 */
#ifndef EW_HOOKS_H
#define EW_HOOKS_H

#include <stddef.h>
#include <stdint.h>

#include <envwatch/daemon.h>
#include <envwatch/store.h>

struct ew_hook_env {
    struct ew_store        *s;
    const struct ew_config *cfg;
    int64_t                 now_ms;
    /* Queues an event; delivered only if the transaction commits. */
    void (*publish)(void *pub_ctx, const char *type, const char *json);
    void *pub_ctx;
};

/* One stored upload: its point and the readings that were newly stored (n may be 0 when the
 * packet was a re-send: hooks then have nothing to do). */
struct ew_hook_frame {
    int64_t                  point_id;
    const char              *mn;
    const char              *point_kind;        /* "air", "flue", ... */
    int                      data_kind;         /* enum ew_data_kind */
    int64_t                  t_unix_s;          /* DataTime */
    const struct ew_reading *readings;
    size_t                   n;
};

struct ew_hook {
    const char *name;
    unsigned    tick_s;                         /* 0: no tick */
    int  (*create)(const struct ew_config *cfg, void **state);     /* may be NULL */
    void (*destroy)(void *state);
    int  (*on_frame)(void *state, const struct ew_hook_env *env, const struct ew_hook_frame *f);
    int  (*on_tick)(void *state, const struct ew_hook_env *env);
};

/* The table of hooks (src/ingest/hooks.c), ending with a NULL name. */
extern const struct ew_hook *const ew_hooks[];

#endif
