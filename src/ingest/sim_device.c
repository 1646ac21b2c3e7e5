/* SPDX-License-Identifier: MIT */
/*
 * One simulated datalogger's upload side: its clock, the schedule of real-time, minute, hour
 * and day records, framing (with PNUM/PNO splitting past 1024 bytes), and the queue of uploads
 * that wait for a 9014 with their re-send timers (HJ 212-2017 section 7.3 applied to uploads,
 * reference/hj212.md 7.3 and 7.6). Pure state: time comes in as arguments and bytes go out
 * into buffers, so the unit tests drive it without sockets. Requests are in sim_request.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <envwatch/err.h>
#include <hj212/split.h>

#include "ingest/sim.h"
#include "util/time.h"

#define DAY_S 86400
#define HOUR_S 3600
#define CATCHUP_MAX 24                  /* missed periods re-created after a stall or jump */
#define MAX_PIECES 16                   /* pieces of one split record */
#define DIRECT_MAX ((size_t)8 << 20)    /* answers waiting for the socket */

struct ew_sim_out {
    char    *frame;
    size_t   len;
    char     qn[24];
    int      cn;
    int      tries;                     /* transmissions on the current connection */
    int      ever;                      /* transmitted at least once (for the counters) */
    int64_t  sent_ms;                   /* real time of the last transmission */
};

void
ew_sim_opts_defaults(struct ew_sim_opts *o)
{
    *o = (struct ew_sim_opts){
        .rtd_interval_s = 30, .min_interval_min = 10, .overtime_s = 10, .recount = 3,
        .ack = 1, .backfill_hours = 0, .window = 1, .queue_max = 2000, .start_ms = 0,
    };
}

int
ew_sim_opts_valid(const struct ew_sim_opts *o)
{
    return o->rtd_interval_s >= 1 && o->rtd_interval_s <= 3600 && o->min_interval_min >= 1 &&
           o->min_interval_min <= 30 && 60 % o->min_interval_min == 0 && o->overtime_s >= 1 &&
           o->overtime_s <= 99999 && o->recount >= 0 && o->recount <= 99 && o->window >= 1 &&
           o->window <= 1024 && o->queue_max >= o->window && o->queue_max <= 10000000 &&
           o->backfill_hours >= 0 && (size_t)o->backfill_hours < o->queue_max;
}

int64_t
ew__sim_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;

    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Start of the period of length len_s that holds t; days and hours follow CST midnight. */
int64_t
ew__sim_period_start(int64_t t, int64_t len_s)
{
    return ew__sim_floor_div(t + EW_CST_OFFSET_S, len_s) * len_s - EW_CST_OFFSET_S;
}

int64_t
ew_sim_dev_clock_ms(const struct ew_sim_dev *d, int64_t base_ms)
{
    return base_ms + d->offset_ms;
}

static int64_t
min_len_s(const struct ew_sim_dev *d)
{
    return (int64_t)d->opts.min_interval_min * 60;
}

/* Points the schedule at the periods that hold own_s. With all = 0 only schedules that lie
 * in the future of own_s move (the clock went back); missed periods are left to catch up. */
void
ew__sim_realign(struct ew_sim_dev *d, int64_t own_s, int all)
{
    int64_t rtd = d->opts.rtd_interval_s;
    int64_t rtd_next = ew__sim_floor_div(own_s + rtd - 1, rtd) * rtd;
    int64_t m = ew__sim_period_start(own_s, min_len_s(d));
    int64_t h = ew__sim_period_start(own_s, HOUR_S);
    int64_t day = ew__sim_period_start(own_s, DAY_S);

    if (all || d->next_rtd_s > rtd_next)
        d->next_rtd_s = rtd_next;
    if (all || d->next_min_s > m)
        d->next_min_s = m;
    if (all || d->next_hour_s > h)
        d->next_hour_s = h;
    if (all || d->next_day_s > day)
        d->next_day_s = day;
}

int
ew_sim_dev_init(struct ew_sim_dev *d, const struct ew_sim_point *p, const struct ew_sim_opts *o,
                int64_t base_ms)
{
    if (!ew_sim_opts_valid(o))
        return EW_EINVAL;
    *d = (struct ew_sim_dev){ .pt = p, .opts = *o, .rtd_on = 1 };
    d->offset_ms = p->skew_s * 1000;
    snprintf(d->pw, sizeof(d->pw), "%s", p->pw);
    ew_buf_init(&d->direct, DIRECT_MAX);
    ew__sim_realign(d, ew__sim_floor_div(ew_sim_dev_clock_ms(d, base_ms), 1000), 1);
    return EW_OK;
}

void
ew_sim_dev_fini(struct ew_sim_dev *d)
{
    for (size_t i = 0; i < d->q_len; i++)
        free(d->q[(d->q_head + i) % d->q_cap].frame);
    free(d->q);
    ew_buf_fini(&d->direct);
    d->q = NULL;
    d->q_len = d->q_cap = 0;
}

static struct ew_sim_out *
at(const struct ew_sim_dev *d, size_t i)
{
    return &d->q[(d->q_head + i) % d->q_cap];
}

size_t
ew_sim_dev_pending(const struct ew_sim_dev *d)
{
    return d->q_len;
}

/* Removes queue entry i, keeping the order of the others. */
static void
q_remove(struct ew_sim_dev *d, size_t i)
{
    free(at(d, i)->frame);
    if (i < d->q_len / 2) {
        for (size_t k = i; k > 0; k--)
            *at(d, k) = *at(d, k - 1);
        d->q_head = (d->q_head + 1) % d->q_cap;
    } else {
        for (size_t k = i; k + 1 < d->q_len; k++)
            *at(d, k) = *at(d, k + 1);
    }
    d->q_len--;
}

static int
q_grow(struct ew_sim_dev *d)
{
    size_t cap = d->q_cap ? 2 * d->q_cap : 16;
    struct ew_sim_out *q;

    if (cap > d->opts.queue_max)
        cap = d->opts.queue_max;
    q = malloc(cap * sizeof(*q));
    if (q == NULL)
        return EW_ENOMEM;
    for (size_t i = 0; i < d->q_len; i++)
        q[i] = *at(d, i);
    free(d->q);
    d->q = q;
    d->q_cap = cap;
    d->q_head = 0;
    return EW_OK;
}

/* Makes room when the queue is full: the oldest unsent real-time record goes first, else the
 * oldest unsent record of any kind (hourly data outlive real-time data on a long outage). */
static void
q_make_room(struct ew_sim_dev *d)
{
    size_t victim = d->q_len;

    for (size_t i = 0; i < d->q_len; i++) {
        if (at(d, i)->tries > 0)
            continue;
        if (victim == d->q_len)
            victim = i;
        if (at(d, i)->cn == 2011) {
            victim = i;
            break;
        }
    }
    if (victim == d->q_len)
        victim = 0;
    q_remove(d, victim);
    d->stats.dropped++;
}

static int
q_push(struct ew_sim_dev *d, const char *frame, size_t len, const char *qn, int cn)
{
    struct ew_sim_out *e;
    char *copy;

    if (d->q_len == d->opts.queue_max)
        q_make_room(d);
    if (d->q_len == d->q_cap && q_grow(d) != EW_OK)
        return EW_ENOMEM;
    copy = malloc(len);
    if (copy == NULL)
        return EW_ENOMEM;
    memcpy(copy, frame, len);
    e = at(d, d->q_len++);
    *e = (struct ew_sim_out){ .frame = copy, .len = len, .cn = cn };
    snprintf(e->qn, sizeof(e->qn), "%s", qn);
    return EW_OK;
}

int
ew__sim_ack(struct ew_sim_dev *d, struct hj212_str qn)
{
    for (size_t i = 0; i < d->q_len; i++) {
        const struct ew_sim_out *e = at(d, i);

        if (e->tries > 0 && strlen(e->qn) == qn.len && memcmp(e->qn, qn.ptr, qn.len) == 0) {
            q_remove(d, i);
            d->stats.acked++;
            return EW_OK;
        }
    }
    return EW_ENOTFOUND;
}

/* A fresh QN (YYYYMMDDhhmmsszzz, CST) from the device's clock, strictly increasing. */
void
ew__sim_next_qn(struct ew_sim_dev *d, int64_t own_ms, char qn[18])
{
    char when[15];
    int64_t ms = own_ms > d->last_qn_ms ? own_ms : d->last_qn_ms + 1;

    d->last_qn_ms = ms;
    ew_time_fmt_compact(ew__sim_floor_div(ms, 1000), when);
    snprintf(qn, 18, "%s%03d", when, (int)(ms - ew__sim_floor_div(ms, 1000) * 1000));
}

static int
hj_err(int err)
{
    return err == HJ212_OK ? EW_OK : err == HJ212_ENOMEM ? EW_ENOMEM
           : err == HJ212_EINVAL ? EW_EINVAL : EW_ETOOBIG;
}

/* The PW in the device's uploads: --bad-pw alters its first character. */
const char *
ew__sim_upload_pw(const struct ew_sim_dev *d, char buf[33])
{
    if (!d->pt->bad_pw)
        return d->pw;
    snprintf(buf, 33, "%s", d->pw);
    buf[0] = buf[0] == '0' ? '1' : '0';
    return buf;
}

/* Flag of an upload: 2017 sets the version bits 000001; 2005 had only D and A, and its
 * uploads that want no answer usually carry no Flag at all (reference/hj212.md 3.3). The D
 * bit of split records is added by hj212_split_build. */
static int
upload_flag(const struct ew_sim_dev *d, int ack)
{
    if (d->pt->v2005)
        return ack ? HJ212_FLAG_A : -1;
    return 4 | (ack ? HJ212_FLAG_A : 0);
}

/* Hands one framed packet to the queue (ack) or to the direct output. */
static int
deliver(struct ew_sim_dev *d, const char *frame, size_t len, int cn, int ack)
{
    struct hj212_pkt pkt;
    char qn[24];
    int err;

    if (ack) {
        if (hj212_pkt_parse(frame, len, &pkt) != HJ212_OK || pkt.qn.ptr == NULL ||
            pkt.qn.len >= sizeof(qn))
            return EW_EINVAL;           /* cannot happen: we built it with a QN */
        memcpy(qn, pkt.qn.ptr, pkt.qn.len);
        qn[pkt.qn.len] = '\0';
        return q_push(d, frame, len, qn, cn);
    }
    if (!d->link_up) {
        d->stats.dropped++;
        return EW_OK;
    }
    err = ew_buf_add(&d->direct, frame, len);
    if (err == EW_ETOOBIG) {
        d->stats.dropped++;
        return EW_OK;
    }
    return err;
}

/*
 * Frames one record (CP "DataTime=...;item;item...") as one packet, or, when the data segment
 * would pass the standard's 1024 bytes, as PNUM/PNO pieces that each repeat DataTime and have
 * their own QN (hj212_split_build; reference/hj212.md 7.6). Acknowledged records go to the
 * queue piece by piece (each piece is confirmed on its own), others to the direct output.
 */
int
ew__sim_record(struct ew_sim_dev *d, int cn, const char *cp, int ack, int64_t own_ms)
{
    char out[MAX_PIECES * (HJ212_SEG_STD_MAX + HJ212_FRAME_OVERHEAD)], qn[18], cnbuf[8];
    char pwbuf[33];
    struct hj212_msg m = {
        .qn = qn, .st = d->pt->st, .cn = cnbuf, .pw = ew__sim_upload_pw(d, pwbuf),
        .mn = d->pt->mn, .flag = upload_flag(d, ack), .pnum = -1, .pno = -1, .cp = cp,
    };
    size_t plen[MAX_PIECES], np, total, at = 0;
    int err;

    snprintf(cnbuf, sizeof(cnbuf), "%d", cn);
    ew__sim_next_qn(d, own_ms, qn);
    err = hj_err(hj212_split_build(out, sizeof(out), &m, 0, plen, MAX_PIECES, &np, &total));
    if (err != EW_OK)
        return err;
    d->last_qn_ms += (int64_t)np - 1;   /* the pieces took the QNs after the first */
    for (size_t i = 0; i < np && err == EW_OK; i++) {
        err = deliver(d, out + at, plen[i], cn, ack);
        at += plen[i];
    }
    return err;
}

/* Builds and sends one scheduled record of kind cn for the period or instant t. */
static int
scheduled(struct ew_sim_dev *d, int cn, int64_t t, int64_t len_s, int64_t own_ms,
          uint64_t *budget)
{
    struct ew_buf cp;
    int err;

    if (budget != NULL && *budget == 0)
        return EW_OK;
    ew_buf_init(&cp, HJ212_SEG_MAX);
    err = ew_sim_cp_record(d->pt, cn, t, len_s, &cp);
    if (err == EW_OK)
        err = ew__sim_record(d, cn, cp.ptr, d->opts.ack, own_ms);
    ew_buf_fini(&cp);
    if (err != EW_OK || (!d->opts.ack && !d->link_up))
        return err;                     /* a lost fire-and-forget upload does not count */
    if (!d->opts.ack)
        d->stats.sent++;                /* fire and forget: sent as soon as it is made */
    if (budget != NULL)
        (*budget)--;
    return EW_OK;
}

/* Emits every period of length len_s that has ended by own_s, starting at *next. */
static int
periods(struct ew_sim_dev *d, int cn, int64_t *next, int64_t len_s, int64_t own_ms,
        uint64_t *budget)
{
    int64_t own_s = ew__sim_floor_div(own_ms, 1000);
    int err = EW_OK;

    if ((own_s - *next) / len_s > CATCHUP_MAX)
        *next = ew__sim_period_start(own_s, len_s) - len_s;
    while (err == EW_OK && *next + len_s <= own_s && (budget == NULL || *budget > 0)) {
        err = scheduled(d, cn, *next, len_s, own_ms, budget);
        *next += len_s;
    }
    return err;
}

/* The datalogger announces itself once it is on the network (2017 C.24): 2081 with the time
 * it was switched on (the start of the run), then the back-fill of the hours before it. */
static int
boot(struct ew_sim_dev *d, int64_t own_ms, uint64_t *budget)
{
    int64_t on_s = ew__sim_floor_div(d->opts.start_ms + d->offset_ms, 1000);
    int64_t hour = ew__sim_period_start(on_s, HOUR_S);
    int err = EW_OK;

    d->booted = 1;
    if (!d->pt->v2005)      /* 2081 (boot time) is new in 2017 */
        err = scheduled(d, 2081, on_s, 0, own_ms, budget);
    for (int h = d->opts.backfill_hours; h > 0 && err == EW_OK; h--)
        err = scheduled(d, 2061, hour - (int64_t)h * HOUR_S, HOUR_S, own_ms, budget);
    return err;
}

static int
realtime(struct ew_sim_dev *d, int64_t own_ms, uint64_t *budget)
{
    int64_t own_s = ew__sim_floor_div(own_ms, 1000), rtd = d->opts.rtd_interval_s;
    int err = EW_OK;

    if ((own_s - d->next_rtd_s) / rtd > CATCHUP_MAX)    /* a clock jump: only the latest */
        d->next_rtd_s = ew__sim_floor_div(own_s, rtd) * rtd;
    while (err == EW_OK && d->next_rtd_s <= own_s && (budget == NULL || *budget > 0)) {
        if (d->rtd_on)
            err = scheduled(d, 2011, d->next_rtd_s, 0, own_ms, budget);
        if (err == EW_OK && d->status_on && ew_sim_has_equipment(d->pt))
            err = scheduled(d, 2021, d->next_rtd_s, 0, own_ms, budget);
        d->next_rtd_s += rtd;
    }
    return err;
}

static void
check_silent(struct ew_sim_dev *d, int64_t base_ms)
{
    if (!d->silent && d->pt->silent_after_s >= 0 &&
        base_ms >= d->opts.start_ms + d->pt->silent_after_s * 1000) {
        d->silent = 1;
        ew_buf_reset(&d->direct);
    }
}

int
ew_sim_dev_advance(struct ew_sim_dev *d, int64_t base_ms, uint64_t *budget)
{
    int64_t own_ms = ew_sim_dev_clock_ms(d, base_ms);
    int err = EW_OK;

    check_silent(d, base_ms);
    if (d->silent || (!d->booted && !d->link_up))
        return EW_OK;       /* nothing is measured before the first connection */
    if (!d->booted)
        err = boot(d, own_ms, budget);
    if (err == EW_OK)
        err = realtime(d, own_ms, budget);
    if (err == EW_OK)
        err = periods(d, 2051, &d->next_min_s, min_len_s(d), own_ms, budget);
    if (err == EW_OK)
        err = periods(d, 2061, &d->next_hour_s, HOUR_S, own_ms, budget);
    if (err == EW_OK)
        err = periods(d, 2031, &d->next_day_s, DAY_S, own_ms, budget);
    return err;
}

static void
count_send(struct ew_sim_dev *d, struct ew_sim_out *e, int64_t now_ms)
{
    if (e->ever)
        d->stats.resent++;
    else
        d->stats.sent++;
    e->ever = 1;
    e->tries++;
    e->sent_ms = now_ms;
}

int
ew_sim_dev_output(struct ew_sim_dev *d, int64_t now_ms, struct ew_buf *out, int *link_dead)
{
    unsigned in_flight = 0;
    int err = EW_OK;

    *link_dead = 0;
    if (d->silent)
        return EW_OK;
    if (d->direct.len > 0) {
        err = ew_buf_add(out, d->direct.ptr, d->direct.len);
        if (err != EW_OK)
            return err;
        ew_buf_reset(&d->direct);
    }
    for (size_t i = 0; i < d->q_len && err == EW_OK; i++) {
        struct ew_sim_out *e = at(d, i);

        if (e->tries == 0) {
            if (in_flight >= d->opts.window)
                break;
            err = ew_buf_add(out, e->frame, e->len);
            if (err == EW_OK)
                count_send(d, e, now_ms);
        } else if (now_ms - e->sent_ms >= (int64_t)d->opts.overtime_s * 1000) {
            if (e->tries > d->opts.recount) {
                *link_dead = 1;     /* 1 + ReCount transmissions went unanswered */
                return EW_OK;
            }
            err = ew_buf_add(out, e->frame, e->len);
            if (err == EW_OK)
                count_send(d, e, now_ms);
        }
        in_flight++;
    }
    return err;
}

void
ew_sim_dev_link_up(struct ew_sim_dev *d)
{
    d->link_up = 1;
}

void
ew_sim_dev_link_down(struct ew_sim_dev *d)
{
    d->link_up = 0;
    ew_buf_reset(&d->direct);
    for (size_t i = 0; i < d->q_len; i++)
        at(d, i)->tries = 0;
}

void
ew_sim_dev_next_event(const struct ew_sim_dev *d, int64_t base_ms, int64_t *base_due_ms,
                      int64_t *real_due_ms)
{
    int64_t own_due_s, due, real = INT64_MAX;

    own_due_s = d->next_rtd_s;
    if (d->next_min_s + min_len_s(d) < own_due_s)
        own_due_s = d->next_min_s + min_len_s(d);
    if (d->next_hour_s + HOUR_S < own_due_s)
        own_due_s = d->next_hour_s + HOUR_S;
    if (d->next_day_s + DAY_S < own_due_s)
        own_due_s = d->next_day_s + DAY_S;
    due = d->booted ? own_due_s * 1000 - d->offset_ms : d->link_up ? base_ms : INT64_MAX;
    if (!d->silent && d->pt->silent_after_s >= 0 &&
        d->opts.start_ms + d->pt->silent_after_s * 1000 < due)
        due = d->opts.start_ms + d->pt->silent_after_s * 1000;
    for (size_t i = 0; i < d->q_len && at(d, i)->tries > 0; i++) {
        int64_t t = at(d, i)->sent_ms + (int64_t)d->opts.overtime_s * 1000;

        if (t < real)
            real = t;
    }
    *base_due_ms = d->silent ? INT64_MAX : due;
    *real_due_ms = d->silent ? INT64_MAX : real;
}
