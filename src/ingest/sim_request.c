/* SPDX-License-Identifier: MIT */
/*
 * How a simulated datalogger answers its platform (HJ 212-2017 section 7 and Appendix C,
 * reference/hj212.md sections 7.2-7.8): 9014 confirms an upload; a request gets 9011, then its
 * command-specific response or history records, then 9012; a notification gets 9013. Replies
 * are built in the version of the request by libhj212. Bad input is counted, never fatal.
 */
#include <stdio.h>
#include <string.h>

#include <envwatch/err.h>

#include "ingest/sim.h"
#include "util/time.h"

#define DAY_S 86400
#define HOUR_S 3600
#define HISTORY_MAX 1000                /* records one history request may ask for */
#define CLOCK_MIN_S 946656000LL         /* 2000-01-01T00:00:00 CST */
#define CLOCK_MAX_S 4102416000LL        /* 2100-01-01T00:00:00 CST */

/* ExeRtn and QnRtn codes (reference/hj212.md 4.4, 4.5). */
#define EXE_OK 1
#define EXE_BAD_REQUEST 3
#define EXE_NO_DATA 100
#define QN_READY 1
#define QN_BAD_PW 3
#define QN_BAD_MN 4

static int
hj_err(int err)
{
    return err == HJ212_OK ? EW_OK : err == HJ212_ENOMEM ? EW_ENOMEM
           : err == HJ212_EINVAL ? EW_EINVAL : EW_ETOOBIG;
}

static int
str_eq(struct hj212_str s, const char *z)
{
    return s.ptr != NULL && strlen(z) == s.len && memcmp(s.ptr, z, s.len) == 0;
}

static int
cn_of(const struct hj212_pkt *pkt)
{
    int cn = 0;

    if (pkt->cn.ptr == NULL || pkt->cn.len != 4)
        return -1;
    for (size_t i = 0; i < 4; i++) {
        if (pkt->cn.ptr[i] < '0' || pkt->cn.ptr[i] > '9')
            return -1;
        cn = cn * 10 + (pkt->cn.ptr[i] - '0');
    }
    return cn;
}

/* A CP integer in [lo, hi]: 1 with *out set, 0 when absent, -1 when malformed. */
static int
cp_int(const struct hj212_pkt *pkt, const char *key, long lo, long hi, long *out)
{
    struct hj212_str v;
    long n = 0;

    if (!hj212_cp_get(pkt->cp, key, &v))
        return 0;
    if (v.len == 0 || v.len > 9)
        return -1;
    for (size_t i = 0; i < v.len; i++) {
        if (v.ptr[i] < '0' || v.ptr[i] > '9')
            return -1;
        n = n * 10 + (v.ptr[i] - '0');
    }
    if (n < lo || n > hi)
        return -1;
    *out = n;
    return 1;
}

static int
cp_time(const struct hj212_pkt *pkt, const char *key, int64_t *out)
{
    struct hj212_str v;

    if (!hj212_cp_get(pkt->cp, key, &v))
        return EW_ENOTFOUND;
    return ew_time_parse_compact(v.ptr, v.len, out);
}

static int
reply(struct ew_sim_dev *d, const struct hj212_pkt *req, enum hj212_reply kind, int code)
{
    char out[HJ212_FRAME_MAX];
    size_t len;
    int err = hj_err(hj212_build_reply(out, sizeof(out), req, kind, code, &len));

    if (err == EW_OK)
        err = ew_buf_add(&d->direct, out, len);
    if (err == EW_OK)
        d->stats.replies++;
    return err;
}

/* A command-specific response (1011, 1061, 1063): the request's CN and QN, our ST, PW, MN;
 * 2017 echoes QN in the header with Flag=4, 2005 carries it inside CP (reference/hj212.md 7.8). */
static int
respond(struct ew_sim_dev *d, const struct hj212_pkt *req, const char *body)
{
    char qn[40], cn[8], cp[256], out[HJ212_FRAME_MAX];
    int v2005 = req->version == HJ212_V2005;
    struct hj212_msg m = { .qn = v2005 ? NULL : qn, .st = d->pt->st, .cn = cn, .pw = d->pw,
                           .mn = d->pt->mn, .flag = v2005 ? -1 : 4, .pnum = -1, .pno = -1,
                           .cp = cp };
    size_t len;
    int err;

    snprintf(qn, sizeof(qn), "%.*s", (int)(req->qn.len < 39 ? req->qn.len : 39),
             req->qn.ptr ? req->qn.ptr : "");
    snprintf(cn, sizeof(cn), "%.4s", req->cn.ptr);
    if (v2005)
        snprintf(cp, sizeof(cp), "QN=%s;%s", qn, body);
    else
        snprintf(cp, sizeof(cp), "%s", body);
    err = hj_err(hj212_build(out, sizeof(out), &m, &len));
    if (err == EW_OK)
        err = ew_buf_add(&d->direct, out, len);
    if (err == EW_OK)
        d->stats.replies++;
    return err;
}

static int
get_time(struct ew_sim_dev *d, const struct hj212_pkt *req, int64_t own_ms)
{
    char when[15], body[64];
    struct hj212_str pol;

    ew_time_fmt_compact(ew__sim_floor_div(own_ms, 1000), when);
    if (hj212_cp_get(req->cp, "PolId", &pol) && pol.len <= 16)
        snprintf(body, sizeof(body), "PolId=%.*s;SystemTime=%s", (int)pol.len, pol.ptr, when);
    else
        snprintf(body, sizeof(body), "SystemTime=%s", when);
    return respond(d, req, body);
}

/* 1012: the whole datalogger follows the new time (a PolId names one instrument's clock; the
 * simulated instruments share the datalogger's). A clock outside 2000-2099 is refused, as a
 * datalogger's calendar would. */
static int
set_time(struct ew_sim_dev *d, const struct hj212_pkt *req, int64_t base_ms)
{
    int64_t t;

    if (cp_time(req, "SystemTime", &t) != EW_OK || t < CLOCK_MIN_S || t >= CLOCK_MAX_S)
        return EXE_BAD_REQUEST;
    d->offset_ms = t * 1000 - base_ms;
    ew__sim_realign(d, t, 0);
    return EXE_OK;
}

/* 1000: OverTime (2017: 1..99 s; 2005: up to 5 digits) and ReCount (1..99). */
static int
set_timeouts(struct ew_sim_dev *d, const struct hj212_pkt *req)
{
    long ot = 0, rc = 0;
    int a = cp_int(req, "OverTime", 1, req->version == HJ212_V2005 ? 99999 : 99, &ot);
    int b = cp_int(req, "ReCount", 1, 99, &rc);

    if (a < 0 || b < 0 || (a == 0 && b == 0))
        return EXE_BAD_REQUEST;
    if (a > 0)
        d->opts.overtime_s = (int)ot;
    if (b > 0)
        d->opts.recount = (int)rc;
    return EXE_OK;
}

static int
set_rtd_interval(struct ew_sim_dev *d, const struct hj212_pkt *req, int64_t own_s)
{
    long v;

    if (cp_int(req, "RtdInterval", 30, 3600, &v) != 1)     /* 2017 table 4: 30..3600 */
        return EXE_BAD_REQUEST;
    d->opts.rtd_interval_s = (int)v;
    d->next_rtd_s = ew__sim_floor_div(own_s + v - 1, v) * v;
    return EXE_OK;
}

static int
set_min_interval(struct ew_sim_dev *d, const struct hj212_pkt *req, int64_t own_s)
{
    long v;

    /* 2017 table 4: one of 1 2 3 4 5 6 10 12 15 20 30 minutes, i.e. a divisor of 60 */
    if (cp_int(req, "MinInterval", 1, 30, &v) != 1 || 60 % v != 0)
        return EXE_BAD_REQUEST;
    d->opts.min_interval_min = (int)v;
    d->next_min_s = ew__sim_period_start(own_s, v * 60);
    return EXE_OK;
}

/* 1072: NewPW (2017) or PW inside CP (2005); six characters 0-9 a-z A-Z. */
static int
new_pw(const struct hj212_pkt *req, char pw[33])
{
    struct hj212_str v;

    if (!hj212_cp_get(req->cp, req->version == HJ212_V2005 ? "PW" : "NewPW", &v) || v.len != 6)
        return EXE_BAD_REQUEST;
    for (size_t i = 0; i < 6; i++)
        if (!((v.ptr[i] >= '0' && v.ptr[i] <= '9') || (v.ptr[i] >= 'a' && v.ptr[i] <= 'z') ||
              (v.ptr[i] >= 'A' && v.ptr[i] <= 'Z')))
            return EXE_BAD_REQUEST;
    memcpy(pw, v.ptr, 6);
    pw[6] = '\0';
    return EXE_OK;
}

static int64_t
history_len_s(const struct ew_sim_dev *d, int cn)
{
    return cn == 2051 ? (int64_t)d->opts.min_interval_min * 60 : cn == 2061 ? HOUR_S : DAY_S;
}

/* 2031/2041/2051/2061: one record per completed period whose start lies in [Begin, End]
 * (inclusive, reference/hj212.md 5.3), each with its own QN, then ExeRtn. */
static int
history(struct ew_sim_dev *d, const struct hj212_pkt *req, int cn, int64_t own_ms, int *exe)
{
    int64_t begin, end, len = history_len_s(d, cn), own_s = ew__sim_floor_div(own_ms, 1000);
    int64_t first, last, count;
    struct ew_buf cp;
    int err = EW_OK;

    if (cp_time(req, "BeginTime", &begin) != EW_OK || cp_time(req, "EndTime", &end) != EW_OK ||
        end < begin) {
        *exe = EXE_BAD_REQUEST;
        return EW_OK;
    }
    first = ew__sim_period_start(begin, len);
    first += first < begin ? len : 0;
    last = ew__sim_period_start(end, len);
    if (last + len > own_s)
        last = ew__sim_period_start(own_s, len) - len;
    count = last < first ? 0 : (last - first) / len + 1;
    *exe = count == 0 ? EXE_NO_DATA : count > HISTORY_MAX ? EXE_BAD_REQUEST : EXE_OK;
    if (*exe != EXE_OK)
        return EW_OK;
    ew_buf_init(&cp, HJ212_SEG_MAX);
    for (int64_t t = first; t <= last && err == EW_OK; t += len) {
        ew_buf_reset(&cp);
        err = ew_sim_cp_record(d->pt, cn, t, len, &cp);
        if (err == EW_ENODATA) {        /* 2041 from a point without equipment */
            *exe = EXE_NO_DATA;
            err = EW_OK;
            break;
        }
        if (err == EW_OK)
            err = ew__sim_record(d, cn, cp.ptr, 0, own_ms);
        d->stats.replies += err == EW_OK;
    }
    ew_buf_fini(&cp);
    return err;
}

/* Runs a request whose MN and PW were accepted; returns an error or sets *exe (ExeRtn). */
static int
execute(struct ew_sim_dev *d, const struct hj212_pkt *req, int cn, int64_t base_ms, int *exe)
{
    int64_t own_ms = ew_sim_dev_clock_ms(d, base_ms), own_s = ew__sim_floor_div(own_ms, 1000);
    char body[48];

    *exe = EXE_OK;
    switch (cn) {
    case 1000: *exe = set_timeouts(d, req); return EW_OK;
    case 1011: return get_time(d, req, own_ms);
    case 1012: *exe = set_time(d, req, base_ms); return EW_OK;
    case 1061:
        snprintf(body, sizeof(body), "RtdInterval=%d", d->opts.rtd_interval_s);
        return respond(d, req, body);
    case 1062: *exe = set_rtd_interval(d, req, own_s); return EW_OK;
    case 1063:
        snprintf(body, sizeof(body), "MinInterval=%d", d->opts.min_interval_min);
        return respond(d, req, body);
    case 1064: *exe = set_min_interval(d, req, own_s); return EW_OK;
    case 2011: d->rtd_on = 1; return EW_OK;
    case 2021: d->status_on = 1; return EW_OK;
    case 2031:
    case 2041:
    case 2051:
    case 2061: return history(d, req, cn, own_ms, exe);
    default: return EW_OK;              /* 1072 is finished by the caller; others succeed */
    }
}

static int
request(struct ew_sim_dev *d, const struct hj212_pkt *req, int cn, int64_t base_ms)
{
    char pw[33];
    int exe = EXE_OK, err;

    if (!str_eq(req->mn, d->pt->mn))
        return reply(d, req, HJ212_REPLY_QN, QN_BAD_MN);
    if (!str_eq(req->pw, d->pw))
        return reply(d, req, HJ212_REPLY_QN, QN_BAD_PW);
    err = reply(d, req, HJ212_REPLY_QN, QN_READY);
    if (err == EW_OK && cn == 1072)
        exe = new_pw(req, pw);
    else if (err == EW_OK)
        err = execute(d, req, cn, base_ms, &exe);
    if (err == EW_OK)
        err = reply(d, req, HJ212_REPLY_EXE, exe);
    /* The new password applies to all traffic after the 9012 that confirms it (7.7). */
    if (err == EW_OK && cn == 1072 && exe == EXE_OK)
        snprintf(d->pw, sizeof(d->pw), "%s", pw);
    return err;
}

int
ew_sim_dev_input(struct ew_sim_dev *d, const struct hj212_pkt *pkt, int64_t base_ms)
{
    int cn = cn_of(pkt);

    if (d->silent)
        return EW_OK;
    if (!pkt->crc_ok || cn < 0) {       /* 2017: a CRC error ends processing of the packet */
        d->stats.bad_frames++;
        return EW_OK;
    }
    switch (cn) {
    case 9014:
        ew__sim_ack(d, pkt->qn.ptr != NULL ? pkt->qn : pkt->reply_qn);
        return EW_OK;
    case 9011:
    case 9012:
    case 9013:
        return EW_OK;                   /* interaction packets are never answered */
    case 2012:
    case 2022:                          /* notifications: stop real-time / status upload */
        d->stats.requests++;
        if (str_eq(pkt->pw, d->pw) && str_eq(pkt->mn, d->pt->mn)) {
            if (cn == 2012)
                d->rtd_on = 0;
            else
                d->status_on = 0;
        }
        return reply(d, pkt, HJ212_REPLY_NOTICE, 0);
    default:
        d->stats.requests++;
        return request(d, pkt, cn, base_ms);
    }
}
