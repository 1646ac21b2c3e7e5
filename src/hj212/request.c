/* SPDX-License-Identifier: MIT */
/*
 * Platform -> field requests (HJ 212-2017 Appendix C; HJ/T 212-2005 commands kept in 2017;
 * reference/hj212.md 4.2-4.3, 5.3, 7.2-7.7). Each builder checks its values against the
 * field table of its version and frames the packet with hj212_req_build().
 */
#include <stdio.h>
#include <string.h>

#include <hj212/request.h>

#include "internal.h"

int
hj212_req_build(char *out, size_t cap, const struct hj212_req *req, int cn,
                const struct hj212_kv *items, size_t n, size_t *len)
{
    char qn[HJ212_QN_LEN + 1], cn_s[8], cp[HJ212_SEG_MAX + 1];
    struct hj212_msg msg;
    size_t cp_len;
    int rc;

    if (req == NULL || len == NULL || cn < 1000 || cn > 9999 ||
        (req->version != HJ212_V2017 && req->version != HJ212_V2005) ||
        hj212_qn_format(req->qn_unix_ms, qn) != HJ212_OK)
        return HJ212_EINVAL;
    rc = hj212_cp_format(cp, sizeof(cp), items, n, req->version, &cp_len);
    if (rc != HJ212_OK)
        return rc == HJ212_ESPACE ? HJ212_ETOOBIG : rc;
    snprintf(cn_s, sizeof(cn_s), "%d", cn);
    msg = (struct hj212_msg){
        .qn = qn, .st = req->st, .cn = cn_s, .pw = req->pw, .mn = req->mn,
        .flag = (req->version == HJ212_V2017 ? 4 : 0) | (req->no_ack ? 0 : HJ212_FLAG_A),
        .pnum = -1, .pno = -1, .cp = cp,
    };
    if (req->st == NULL || req->pw == NULL || req->mn == NULL)
        return HJ212_EINVAL;
    return hj212_build(out, cap, &msg, len);
}

static int
is_2017(const struct hj212_req *req)
{
    return req != NULL && req->version == HJ212_V2017;
}

/* A factor code as PolId takes it: 1..6 letters and digits (2017 C6, 2005 C3). */
static int
pol_id_ok(const char *s)
{
    size_t n = s == NULL ? 0 : strlen(s);

    if (n == 0 || n > 6)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') ||
              (s[i] >= 'A' && s[i] <= 'Z')))
            return 0;
    return 1;
}

int
hj212_req_set_timeout(char *out, size_t cap, const struct hj212_req *req, int over_time_s,
                      int re_count, size_t *len)
{
    char a[12], b[12];
    struct hj212_kv kv[] = { { "OverTime", a }, { "ReCount", b } };
    /* 2017 Table 4: OverTime N2, 0 < n <= 99; 2005: N5. ReCount N2 in both. */
    int max = is_2017(req) ? 99 : 99999;

    if (over_time_s < 1 || over_time_s > max || re_count < 1 || re_count > 99)
        return HJ212_EINVAL;
    snprintf(a, sizeof(a), "%d", over_time_s);
    snprintf(b, sizeof(b), "%d", re_count);
    return hj212_req_build(out, cap, req, 1000, kv, 2, len);
}

int
hj212_req_get_time(char *out, size_t cap, const struct hj212_req *req, const char *pol_id,
                   size_t *len)
{
    struct hj212_kv kv[] = { { "PolId", pol_id } };

    if (pol_id != NULL && (!is_2017(req) || !pol_id_ok(pol_id)))
        return HJ212_EINVAL;            /* 2005's 1011 has no PolId */
    return hj212_req_build(out, cap, req, 1011, kv, pol_id != NULL, len);
}

int
hj212_req_set_time(char *out, size_t cap, const struct hj212_req *req, const char *pol_id,
                   int64_t t_unix_s, size_t *len)
{
    char t[15];
    struct hj212_kv kv[] = { { "PolId", pol_id }, { "SystemTime", t } };
    int with = pol_id != NULL;

    if ((with && (!is_2017(req) || !pol_id_ok(pol_id))) ||
        hj212_time_format(t_unix_s, t) != HJ212_OK)
        return HJ212_EINVAL;
    return hj212_req_build(out, cap, req, 1012, kv + !with, 2 - !with, len);
}

int
hj212_req_get_rtd_interval(char *out, size_t cap, const struct hj212_req *req, size_t *len)
{
    return hj212_req_build(out, cap, req, 1061, NULL, 0, len);
}

int
hj212_req_set_rtd_interval(char *out, size_t cap, const struct hj212_req *req, int interval_s,
                           size_t *len)
{
    char v[12];
    struct hj212_kv kv[] = { { "RtdInterval", v } };

    if (interval_s < 30 || interval_s > 3600)   /* 2017 Table 4: N4, 30 <= n <= 3600 */
        return HJ212_EINVAL;
    snprintf(v, sizeof(v), "%d", interval_s);
    return hj212_req_build(out, cap, req, 1062, kv, 1, len);
}

int
hj212_req_get_min_interval(char *out, size_t cap, const struct hj212_req *req, size_t *len)
{
    if (!is_2017(req))
        return HJ212_EINVAL;            /* 1063/1064 are new in 2017 */
    return hj212_req_build(out, cap, req, 1063, NULL, 0, len);
}

int
hj212_req_set_min_interval(char *out, size_t cap, const struct hj212_req *req,
                           int interval_min, size_t *len)
{
    static const int allowed[] = { 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 };  /* Table 4 */
    char v[12];
    struct hj212_kv kv[] = { { "MinInterval", v } };
    int ok = 0;

    for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
        ok |= allowed[i] == interval_min;
    if (!ok || !is_2017(req))
        return HJ212_EINVAL;
    snprintf(v, sizeof(v), "%d", interval_min);
    return hj212_req_build(out, cap, req, 1064, kv, 1, len);
}

int
hj212_req_set_password(char *out, size_t cap, const struct hj212_req *req, const char *new_pw,
                       size_t *len)
{
    /* 2017 Table 4: NewPW C6 of 0-9 a-z A-Z; 2005 sent the new password as PW in CP. */
    struct hj212_kv kv[] = { { is_2017(req) ? "NewPW" : "PW", new_pw } };

    if (!pol_id_ok(new_pw))
        return HJ212_EINVAL;
    return hj212_req_build(out, cap, req, 1072, kv, 1, len);
}

int
hj212_req_rtd(char *out, size_t cap, const struct hj212_req *req, int start, size_t *len)
{
    return hj212_req_build(out, cap, req, start ? 2011 : 2012, NULL, 0, len);
}

int
hj212_req_status(char *out, size_t cap, const struct hj212_req *req, int start, size_t *len)
{
    return hj212_req_build(out, cap, req, start ? 2021 : 2022, NULL, 0, len);
}

int
hj212_req_history(char *out, size_t cap, const struct hj212_req *req, int cn,
                  int64_t begin_unix_s, int64_t end_unix_s, size_t *len)
{
    char b[15], e[15];
    struct hj212_kv kv[] = { { "BeginTime", b }, { "EndTime", e } };

    if ((cn != 2031 && cn != 2041 && cn != 2051 && cn != 2061) || begin_unix_s > end_unix_s ||
        hj212_time_format(begin_unix_s, b) != HJ212_OK ||
        hj212_time_format(end_unix_s, e) != HJ212_OK)
        return HJ212_EINVAL;
    return hj212_req_build(out, cap, req, cn, kv, 2, len);
}

int
hj212_req_control(char *out, size_t cap, const struct hj212_req *req, int cn,
                  const char *pol_id, size_t *len)
{
    struct hj212_kv kv[] = { { "PolId", pol_id } };
    int v2017 = is_2017(req);

    switch (cn) {
    case 3011: case 3012:
        break;
    case 3013: case 3014: case 3017: case 3018: case 3019:
        if (!v2017)
            return HJ212_EINVAL;        /* 2005 3013/3014 meant other things (reference 4.3) */
        break;
    case 3015:
        /* [M] The reference lists 3015's request without CP keys; it is sent with an empty
         * CP here, unconfirmed against the 2017 text. */
        if (!v2017 || pol_id != NULL)
            return HJ212_EINVAL;
        return hj212_req_build(out, cap, req, cn, NULL, 0, len);
    default:
        return HJ212_EINVAL;
    }
    if (!pol_id_ok(pol_id))
        return HJ212_EINVAL;
    return hj212_req_build(out, cap, req, cn, kv, 1, len);
}

int
hj212_req_set_sampling(char *out, size_t cap, const struct hj212_req *req, const char *pol_id,
                       int start_s_of_day, int period_h, size_t *len)
{
    char st[8], ct[8];
    struct hj212_kv kv[] = { { "PolId", pol_id }, { "CstartTime", st }, { "Ctime", ct } };

    /* 2017 Table 4: CstartTime N6 hhmmss; Ctime N2, 0 < n <= 24. */
    if (!is_2017(req) || !pol_id_ok(pol_id) || start_s_of_day < 0 || start_s_of_day >= 86400 ||
        period_h < 1 || period_h > 24)
        return HJ212_EINVAL;
    snprintf(st, sizeof(st), "%02d%02d%02d", start_s_of_day / 3600, start_s_of_day / 60 % 60,
             start_s_of_day % 60);
    snprintf(ct, sizeof(ct), "%d", period_h);
    return hj212_req_build(out, cap, req, 3016, kv, 3, len);
}

/* An information code: 'i' and 5 letters or digits (2017 B.8-B.10). */
static int
info_id_ok(const char *s)
{
    return s != NULL && (s[0] == 'i' || s[0] == 'I') && strlen(s) == 6 && pol_id_ok(s);
}

int
hj212_req_get_info(char *out, size_t cap, const struct hj212_req *req, const char *pol_id,
                   const char *info_id, int64_t begin_unix_s, int64_t end_unix_s, size_t *len)
{
    char b[15], e[15];
    struct hj212_kv kv[] = { { "PolId", pol_id }, { "InfoId", info_id }, { "BeginTime", b },
                             { "EndTime", e } };
    int window = begin_unix_s >= 0 || end_unix_s >= 0;

    if (!is_2017(req) || !pol_id_ok(pol_id) || !info_id_ok(info_id))
        return HJ212_EINVAL;
    if (window && (begin_unix_s > end_unix_s || hj212_time_format(begin_unix_s, b) != HJ212_OK ||
                   hj212_time_format(end_unix_s, e) != HJ212_OK))
        return HJ212_EINVAL;
    return hj212_req_build(out, cap, req, 3020, kv, window ? 4 : 2, len);
}

int
hj212_req_set_info(char *out, size_t cap, const struct hj212_req *req, const char *pol_id,
                   const char *info_id, const char *value, size_t *len)
{
    char key[16];
    struct hj212_kv kv[] = { { "PolId", pol_id }, { "InfoId", info_id }, { key, value } };

    if (!is_2017(req) || !pol_id_ok(pol_id) || !info_id_ok(info_id) || value == NULL)
        return HJ212_EINVAL;
    snprintf(key, sizeof(key), "%s-Info", info_id);
    return hj212_req_build(out, cap, req, 3021, kv, 3, len);
}
