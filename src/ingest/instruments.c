/* SPDX-License-Identifier: MIT */
/*
 * Instrument management on the loop: online/offline per MN, clock drift with the standard
 * time-set command (CN 1012), and gap filling (补数) after a reconnect with the standard
 * history requests (CN 2061 hours, 2031 days) for the records missing from the store.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <envwatch/err.h>

#include "ingest/internal.h"
#include "util/json.h"
#include "util/time.h"

struct instrument *
ew__instrument(struct ew_daemon *d, const char *mn)
{
    size_t lo = 0, hi = d->ninst;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(d->inst[mid].mn, mn);
        if (c == 0)
            return &d->inst[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (d->ninst == d->capinst) {
        size_t cap = d->capinst ? d->capinst * 2 : 64;
        struct instrument *v = realloc(d->inst, cap * sizeof(*v));
        if (v == NULL)
            return NULL;
        d->inst = v;
        d->capinst = cap;
    }
    memmove(&d->inst[lo + 1], &d->inst[lo], (d->ninst - lo) * sizeof(*d->inst));
    d->ninst++;
    memset(&d->inst[lo], 0, sizeof(d->inst[lo]));
    snprintf(d->inst[lo].mn, sizeof(d->inst[lo].mn), "%s", mn);
    return &d->inst[lo];
}

char *
ew__next_qn(struct ew_daemon *d, char out[20])
{
    int64_t ms = ew__now_ms();
    char compact[15];

    /* QN is YYYYMMDDhhmmsszzz; a sequence keeps two requests in one millisecond apart. */
    ms += (int64_t)(d->qn_seq++ % 1000);
    ew_time_fmt_compact(ms / 1000, compact);
    snprintf(out, 20, "%s%03d", compact, (int)(ms % 1000));
    return out;
}

/* Sends a platform request (Flag with A set) with the given CN and CP to an instrument. */
static int
send_request(struct ew_daemon *d, struct session *s, const char *pw, const char *cn,
             const char *cp)
{
    char qn[20], flag_buf[1100];
    size_t len;
    int is2005 = s->version == HJ212_V2005;
    struct hj212_msg m = { .qn = ew__next_qn(d, qn), .st = s->st[0] ? s->st : "32", .cn = cn, .pw = pw,
                           .mn = s->mn, .flag = is2005 ? 1 : 5, .pnum = -1, .pno = -1,
                           .cp = cp };
    char *bytes;

    if (hj212_build(flag_buf, sizeof(flag_buf), &m, &len) != HJ212_OK)
        return EW_EINVAL;
    bytes = malloc(len);
    if (bytes == NULL)
        return EW_ENOMEM;
    memcpy(bytes, flag_buf, len);
    ew__log(d, "info", "to %s: CN %s %s", s->mn, cn, cp);
    return ew__session_send(s, bytes, len);
}

static int
lookup_pw(struct ew_daemon *d, const char *mn, char pw[33])
{
    const struct reg_entry *e;

    pthread_mutex_lock(&d->reg_mu);
    e = ew__registry_find(d->reg, mn, strlen(mn));
    if (e != NULL)
        memcpy(pw, e->pw, 33);
    pthread_mutex_unlock(&d->reg_mu);
    return e != NULL;
}

static void
check_drift(struct ew_daemon *d, struct session *s, struct instrument *in,
            const struct hj212_pkt *p, int64_t now_ms)
{
    struct hj212_str dt;
    int64_t t;
    char pw[33], cp[64], compact[15];

    /* Only real-time data carries a "now" timestamp; period data is stamped with its start. */
    if (p->cn.len != 4 || memcmp(p->cn.ptr, "2011", 4) != 0 ||
        !hj212_cp_get(p->cp, "DataTime", &dt) ||
        ew_time_parse_compact(dt.ptr, dt.len, &t) != EW_OK)
        return;
    in->drift_s = t - now_ms / 1000;
    if (llabs(in->drift_s) <= (long long)d->cfg.clock_drift_limit_s ||
        now_ms - in->last_timeset_ms < 3600 * 1000 || !lookup_pw(d, s->mn, pw))
        return;
    in->last_timeset_ms = now_ms;
    ew_time_fmt_compact(now_ms / 1000, compact);
    snprintf(cp, sizeof(cp), "SystemTime=%s", compact);
    ew__log(d, "info", "clock of %s is off by %lld s: sending 1012", s->mn,
            (long long)in->drift_s);
    send_request(d, s, pw, "1012", cp);
}

void
ew__instrument_seen(struct ew_daemon *d, struct session *s, const struct hj212_pkt *p,
                    int64_t now_ms)
{
    struct instrument *in = ew__instrument(d, s->mn);
    struct hj212_str dt;
    int64_t t;

    if (in == NULL)
        return;
    if (in->session != s->key) {
        /* first packet of this MN on this connection: a (re)connect */
        in->session = s->key;
        in->connected_ms = now_ms;
        in->gapfill_pending = d->cfg.gapfill_days > 0;
    }
    if (!in->online)
        ew__log(d, "info", "instrument %s online from %s", s->mn, s->peer);
    in->online = 1;
    in->last_rx_ms = now_ms;
    in->packets++;
    if (hj212_cp_get(p->cp, "DataTime", &dt) &&
        ew_time_parse_compact(dt.ptr, dt.len, &t) == EW_OK && t > in->last_data_unix_s)
        in->last_data_unix_s = t;
    check_drift(d, s, in, p, now_ms);
}

/* ---- gap filling --------------------------------------------------------------------------- */

struct have {
    int64_t from;
    size_t  n;
    uint8_t *seen;                      /* one byte per period */
    int64_t step;
};

static int
on_have(void *ctx, const struct ew_reading *r)
{
    struct have *h = ctx;
    int64_t i = (r->t_unix_s - h->from) / h->step;

    if (i >= 0 && (size_t)i < h->n)
        h->seen[i] = 1;
    return 0;
}

/* Requests the missing periods of one kind in [from, to); returns requests sent. */
static unsigned
fill_kind(struct ew_daemon *d, struct ew_store *rs, struct session *s, int64_t point_id,
          const char *pw, int kind, const char *cn, int64_t from, int64_t to, int64_t step,
          unsigned budget)
{
    struct have h = { .from = from, .n = (size_t)((to - from) / step), .step = step };
    struct ew_reading_query q = { .point_id = point_id, .kind = kind, .from_unix_s = from,
                                  .to_unix_s = to - 1 };
    unsigned sent = 0;
    size_t any = 0;

    if (h.n == 0 || (h.seen = calloc(h.n, 1)) == NULL)
        return 0;
    if (ew_store_reading_each(rs, &q, on_have, &h) != EW_OK)
        goto out;
    for (size_t i = 0; i < h.n; i++)
        any += h.seen[i];
    /* A point that never sent this kind in the window is not asked for it. */
    for (size_t i = 0; any > 0 && i < h.n && sent < budget;) {
        char cp[80], b[15], e[15];
        size_t j;
        if (h.seen[i]) {
            i++;
            continue;
        }
        for (j = i; j + 1 < h.n && !h.seen[j + 1]; j++)
            ;
        ew_time_fmt_compact(from + (int64_t)i * step, b);
        ew_time_fmt_compact(from + (int64_t)j * step, e);
        snprintf(cp, sizeof(cp), s->version == HJ212_V2005 ? "BeginTime=%s,EndTime=%s"
                                                            : "BeginTime=%s;EndTime=%s", b, e);
        if (send_request(d, s, pw, cn, cp) == EW_OK)
            sent++;
        i = j + 1;
    }
out:
    free(h.seen);
    return sent;
}

static void
gapfill(struct ew_daemon *d, struct ew_store *rs, struct instrument *in, int64_t now_ms)
{
    struct session *s = ew__session_get(d, in->session);
    const struct reg_entry *e;
    struct reg_entry found;
    int64_t now = now_ms / 1000, hour_end, day_end;
    struct ew_civil c;
    unsigned budget = d->cfg.gapfill_max_requests, sent;

    in->gapfill_pending = 0;
    if (s == NULL)
        return;
    pthread_mutex_lock(&d->reg_mu);
    e = ew__registry_find(d->reg, in->mn, strlen(in->mn));
    found = e != NULL ? *e : (struct reg_entry){ 0 };
    pthread_mutex_unlock(&d->reg_mu);
    if (e == NULL)
        return;
    /* Only periods that have ended and whose upload had time to arrive (one period late). */
    ew_unix_to_civil(now, &c);
    c.min = c.sec = 0;
    hour_end = ew_civil_to_unix(&c) - 3600;
    c.hour = 0;
    day_end = ew_civil_to_unix(&c) - 86400;
    sent = fill_kind(d, rs, s, found.point_id, found.pw, EW_KIND_HOUR, "2061",
                     hour_end - (int64_t)d->cfg.gapfill_days * 86400, hour_end, 3600, budget);
    if (sent < budget)
        sent += fill_kind(d, rs, s, found.point_id, found.pw, EW_KIND_DAY, "2031",
                          day_end - (int64_t)d->cfg.gapfill_days * 86400, day_end, 86400,
                          budget - sent);
    if (sent > 0)
        ew__log(d, "info", "gap filling %s: %u history requests", in->mn, sent);
}

void
ew__instruments_tick(struct ew_daemon *d, int64_t now_ms)
{
    struct ew_store *rs = NULL;
    unsigned done = 0;

    for (size_t i = 0; i < d->ninst; i++) {
        struct instrument *in = &d->inst[i];
        if (in->online && now_ms - in->last_rx_ms > (int64_t)d->cfg.offline_after_s * 1000) {
            in->online = 0;
            ew__log(d, "info", "instrument %s offline (silent %lld s)", in->mn,
                    (long long)((now_ms - in->last_rx_ms) / 1000));
        }
        /* Gap filling waits a few seconds after the reconnect so that what the instrument
         * pushes by itself arrives and is committed first; a few per tick at most. */
        if (in->gapfill_pending && now_ms - in->connected_ms > 5000 && done < 8) {
            if (rs == NULL && ew_store_open(d->store_location, EW_STORE_RDONLY, &rs) != EW_OK)
                return;
            gapfill(d, rs, in, now_ms);
            done++;
        }
    }
    ew_store_close(rs);
}

int
ew__instruments_json(struct ew_daemon *d, struct ew_buf *b)
{
    char t[20];

    ew_buf_addc(b, '[');
    for (size_t i = 0; i < d->ninst; i++) {
        const struct instrument *in = &d->inst[i];
        if (i > 0)
            ew_buf_addc(b, ',');
        ew_buf_adds(b, "{\"mn\":");
        ew_json_strz(b, in->mn);
        ew_buf_printf(b, ",\"online\":%s,\"connected\":%s,\"packets\":%u,\"drift_s\":%lld",
                      in->online ? "true" : "false", in->session ? "true" : "false",
                      in->packets, (long long)in->drift_s);
        ew_time_fmt_iso(in->last_rx_ms / 1000, t);
        ew_buf_printf(b, ",\"last_packet\":\"%s\"", t);
        if (in->last_data_unix_s > 0) {
            ew_time_fmt_iso(in->last_data_unix_s, t);
            ew_buf_printf(b, ",\"last_data_time\":\"%s\"", t);
        }
        ew_buf_addc(b, '}');
    }
    return ew_buf_addc(b, ']');
}
