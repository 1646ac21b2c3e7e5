/* SPDX-License-Identifier: MIT */
/*
 * Per-key rate limits and event debouncing, for what a hostile peer can repeat: requests per
 * address (token buckets), and security events that must reach the audit log without flooding
 * it (one entry per key and interval, with a count of those left out). The table has a fixed
 * number of slots chosen at creation, so a flood of distinct keys costs no memory: when the
 * slots around a key are taken, the one idle longest is reused. Thread-safe (one mutex).
 */
#ifndef EW_UTIL_GUARD_H
#define EW_UTIL_GUARD_H

#include <stddef.h>
#include <stdint.h>

#define EW_GUARD_KEY_MAX 95             /* longer keys are cut */

struct ew_guard;

/* slots is rounded up to a power of two (at least 16); rate_per_s > 0 tokens per second
 * refill a bucket of burst tokens. EW_EINVAL, EW_ENOMEM. */
int  ew_guard_create(size_t slots, double rate_per_s, double burst, struct ew_guard **out);
void ew_guard_destroy(struct ew_guard *g);              /* NULL is a no-op */

/* Takes one token from key's bucket at now_ms: 1 when there was one, 0 when over the rate. */
int ew_guard_take(struct ew_guard *g, const char *key, int64_t now_ms);

/* 1 when an event of key is to be recorded at now_ms: the first one, or the first after
 * interval_ms since the last recorded; then *suppressed (may be NULL) is how many were not
 * recorded in between. 0 (counted as suppressed) otherwise. */
int ew_guard_event(struct ew_guard *g, const char *key, int64_t now_ms, int64_t interval_ms,
                   unsigned *suppressed);

#endif
