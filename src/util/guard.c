/* SPDX-License-Identifier: MIT */
/*
 * Token buckets and event debouncing by key (util/guard.h): a fixed open-addressing table
 * under one mutex. A key probes PROBE slots from its hash; when none holds it, the first free
 * slot or else the least recently used of them is taken over.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <envwatch/err.h>

#include "util/guard.h"

#define PROBE 8

struct slot {
    char     key[EW_GUARD_KEY_MAX + 1];
    int      used;
    double   tokens;
    int64_t  last_ms;                   /* last touch: refill time and eviction order */
    int64_t  event_ms;                  /* last recorded event, when had_event */
    int      had_event;
    unsigned suppressed;
};

struct ew_guard {
    pthread_mutex_t mu;
    double          rate_per_ms, burst;
    size_t          mask;
    struct slot     slots[];
};

int
ew_guard_create(size_t slots, double rate_per_s, double burst, struct ew_guard **out)
{
    struct ew_guard *g;
    size_t n = 16;

    if (out == NULL || !(rate_per_s > 0) || !(burst >= 1) || slots > ((size_t)1 << 24))
        return EW_EINVAL;
    while (n < slots)
        n *= 2;
    g = calloc(1, sizeof(*g) + n * sizeof(struct slot));
    if (g == NULL)
        return EW_ENOMEM;
    pthread_mutex_init(&g->mu, NULL);
    g->rate_per_ms = rate_per_s / 1000.0;
    g->burst = burst;
    g->mask = n - 1;
    *out = g;
    return EW_OK;
}

void
ew_guard_destroy(struct ew_guard *g)
{
    if (g == NULL)
        return;
    pthread_mutex_destroy(&g->mu);
    free(g);
}

static uint64_t
hash_key(const char *k)
{
    uint64_t h = 1469598103934665603ULL;        /* FNV-1a */

    for (; *k != '\0'; k++)
        h = (h ^ (unsigned char)*k) * 1099511628211ULL;
    return h;
}

/* The slot of key, taken over (reset) when the key is not in the table. Under the mutex. */
static struct slot *
find(struct ew_guard *g, const char *key, int64_t now_ms)
{
    char k[EW_GUARD_KEY_MAX + 1];
    size_t h, victim;
    struct slot *s;

    snprintf(k, sizeof(k), "%s", key);
    h = (size_t)hash_key(k);
    victim = h & g->mask;
    for (size_t i = 0; i < PROBE; i++) {
        s = &g->slots[(h + i) & g->mask];
        if (s->used && strcmp(s->key, k) == 0)
            return s;
        if (!s->used) {
            victim = (h + i) & g->mask;
            break;
        }
        if (s->last_ms < g->slots[victim].last_ms)
            victim = (h + i) & g->mask;
    }
    s = &g->slots[victim];
    memset(s, 0, sizeof(*s));
    memcpy(s->key, k, sizeof(k));
    s->used = 1;
    s->tokens = g->burst;
    s->last_ms = now_ms;
    return s;
}

int
ew_guard_take(struct ew_guard *g, const char *key, int64_t now_ms)
{
    struct slot *s;
    int ok;

    if (g == NULL || key == NULL)
        return 1;
    pthread_mutex_lock(&g->mu);
    s = find(g, key, now_ms);
    if (now_ms > s->last_ms) {
        s->tokens += (double)(now_ms - s->last_ms) * g->rate_per_ms;
        if (s->tokens > g->burst)
            s->tokens = g->burst;
        s->last_ms = now_ms;
    }
    ok = s->tokens >= 1.0;
    if (ok)
        s->tokens -= 1.0;
    pthread_mutex_unlock(&g->mu);
    return ok;
}

int
ew_guard_event(struct ew_guard *g, const char *key, int64_t now_ms, int64_t interval_ms,
               unsigned *suppressed)
{
    struct slot *s;
    int record;

    if (g == NULL || key == NULL)
        return 1;
    pthread_mutex_lock(&g->mu);
    s = find(g, key, now_ms);
    if (now_ms > s->last_ms)
        s->last_ms = now_ms;
    record = !s->had_event || now_ms - s->event_ms >= interval_ms;
    if (record) {
        if (suppressed != NULL)
            *suppressed = s->suppressed;
        s->suppressed = 0;
        s->event_ms = now_ms;
        s->had_event = 1;
    } else if (s->suppressed < 0xFFFFFFFFu) {
        s->suppressed++;
    }
    pthread_mutex_unlock(&g->mu);
    return record;
}
