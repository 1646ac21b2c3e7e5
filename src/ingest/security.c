/* SPDX-License-Identifier: MIT */
/*
 * Security events of both ports into the audit log: an instrument with an unknown MN or a
 * wrong PW, a flood over the per-MN rate, an oversize frame, a refused connection (HJ 212,
 * from session.c), and what the HTTP side refuses (handed over by the API through the host's
 * audit callback). Each kind is recorded at most once a minute per peer address (and MN),
 * with the count of those left out, so a flood cannot flood the log or the database. Entries
 * travel to the writer as ITEM_AUDIT items, their strings packed into the item's bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <envwatch/auth.h>
#include <envwatch/err.h>

#include "ingest/internal.h"
#include "util/guard.h"

#define SEC_INTERVAL_MS 60000
#define NFIELDS 10

int
ew__security_create(struct ew_daemon *d)
{
    return ew_guard_create(4096, 1, 1, &d->sec_guard);
}

void
ew__security_destroy(struct ew_daemon *d)
{
    ew_guard_destroy(d->sec_guard);
    d->sec_guard = NULL;
}

static void
fields_of(const struct ew_audit *a, const char *v[NFIELDS])
{
    v[0] = a->actor;
    v[1] = a->role;
    v[2] = a->via;
    v[3] = a->peer;
    v[4] = a->action;
    v[5] = a->target;
    v[6] = a->result;
    v[7] = a->before;
    v[8] = a->after;
    v[9] = a->detail;
}

void
ew__audit_queue(struct ew_daemon *d, const struct ew_audit *a)
{
    const char *v[NFIELDS];
    size_t n = 0, off = 0;
    struct item *it;

    fields_of(a, v);
    for (int i = 0; i < NFIELDS; i++)
        n += 1 + (v[i] != NULL ? strlen(v[i]) + 1 : 0);
    if ((it = calloc(1, sizeof(*it) + n + 1)) == NULL)
        return;
    it->type = ITEM_AUDIT;
    it->t_recv_ms = a->at_ms;
    /* Each field: a presence byte, then the text and its NUL when present. */
    for (int i = 0; i < NFIELDS; i++) {
        it->bytes[off++] = v[i] != NULL;
        if (v[i] != NULL) {
            memcpy(it->bytes + off, v[i], strlen(v[i]) + 1);
            off += strlen(v[i]) + 1;
        }
    }
    it->len = off;
    /* A full queue still takes the item (only reading sockets stops, on the loop). */
    if (ew__queue_push(d, it) == EW_ESTATE)
        free(it);
}

int
ew__audit_store(struct ew_store *s, const struct item *it)
{
    const char *v[NFIELDS];
    struct ew_audit a;
    size_t off = 0;

    for (int i = 0; i < NFIELDS; i++) {
        if (off >= it->len)
            return EW_EFORMAT;
        if (!it->bytes[off++]) {
            v[i] = NULL;
            continue;
        }
        v[i] = it->bytes + off;
        off += strnlen(v[i], it->len - off) + 1;
    }
    a = (struct ew_audit){ .at_ms = it->t_recv_ms, .actor = v[0], .role = v[1], .via = v[2],
                           .peer = v[3], .action = v[4], .target = v[5], .result = v[6],
                           .before = v[7], .after = v[8], .detail = v[9] };
    return ew_store_audit_put(s, &a, NULL);
}

/* A text fit for one log line: control characters become '?'. */
static void
loggable(char *dst, size_t cap, const char *src)
{
    size_t i = 0;

    for (; src != NULL && src[i] != '\0' && i + 1 < cap; i++)
        dst[i] = (unsigned char)src[i] < 0x20 || src[i] == 0x7F ? '?' : src[i];
    dst[i] = '\0';
}

/* The address part of "ip:port" (or "[v6]:port"). */
static void
address_of(const char *peer, char *out, size_t cap)
{
    const char *colon = strrchr(peer, ':');
    size_t n = colon != NULL ? (size_t)(colon - peer) : strlen(peer);

    if (n >= cap)
        n = cap - 1;
    memcpy(out, peer, n);
    out[n] = '\0';
}

void
ew__security_event(struct ew_daemon *d, const char *action, const char *peer, const char *mn,
                   const char *detail)
{
    char key[EW_GUARD_KEY_MAX + 1], ip[64], more[400], m[33], text[400];
    unsigned suppressed = 0;
    int64_t now = ew__now_ms();

    address_of(peer, ip, sizeof(ip));
    loggable(m, sizeof(m), mn);
    snprintf(key, sizeof(key), "%s|%s|%s", action, ip, m);
    if (!ew_guard_event(d->sec_guard, key, now, SEC_INTERVAL_MS, &suppressed))
        return;
    if (suppressed > 0)
        snprintf(more, sizeof(more), "%s (and %u more like it since the last entry)", detail,
                 suppressed);
    else
        snprintf(more, sizeof(more), "%s", detail);
    loggable(text, sizeof(text), more);
    ew__log(d, "security", "%s from %s%s%s: %s", action, peer, m[0] ? " MN " : "", m, text);
    ew__audit_queue(d, &(struct ew_audit){ .at_ms = now, .actor = m[0] ? m : "-",
                                           .role = "instrument", .via = "hj212", .peer = peer,
                                           .action = action, .target = m, .result = "refused",
                                           .detail = more });
}

/* The HTTP side's entries (the API host's audit callback): logged and queued. */
void
ew__security_from_api(struct ew_daemon *d, const struct ew_audit *a)
{
    char target[200], detail[400];

    loggable(target, sizeof(target), a->target);
    loggable(detail, sizeof(detail), a->detail);
    ew__log(d, "security", "%s %s from %s: %s", a->action, target, a->peer, detail);
    ew__audit_queue(d, a);
}
