/* SPDX-License-Identifier: MIT */
/*
 * libhj212 requests from the platform (upper computer) to the field (HJ 212-2017 Appendix C,
 * HJ/T 212-2005 section 6 and appendix; reference/hj212.md sections 4.2, 4.3, 5.3 and 7), and
 * QN request ids.
 *
 * Each builder frames one complete packet into out[0..cap) (NUL-terminated when there is
 * room), sets *len, and returns HJ212_OK; HJ212_EINVAL for a value outside the standard's
 * range or a command the requested version does not have; HJ212_ESPACE when out is too small.
 * The values are checked against the 2017 field table (Table 4) or the 2005 one. Requests use
 * Flag 5 in 2017 (version bits + A) and 1 in 2005 (A), as the examples do, or 4 / 0 with
 * no_ack. Times are Unix seconds, written as China Standard Time (UTC+8), the zone of HJ 212.
 */
#ifndef HJ212_REQUEST_H
#define HJ212_REQUEST_H

#include <hj212/hj212.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- QN: "YYYYMMDDhhmmsszzz", China Standard Time --------------------------------------- */

#define HJ212_QN_LEN 17

/* Writes the QN of a Unix time in ms (years 1970..9999) into out (18 bytes with the NUL). */
int hj212_qn_format(int64_t t_unix_ms, char out[HJ212_QN_LEN + 1]);
/* Reads a QN (17 digits, a valid CST date and time) as Unix ms; HJ212_ESYNTAX otherwise. */
int hj212_qn_parse(struct hj212_str qn, int64_t *t_unix_ms);
/* Writes "YYYYMMDDhhmmss" (CST) of Unix seconds, as DataTime/SystemTime/BeginTime use. */
int hj212_time_format(int64_t t_unix_s, char out[15]);

/* ---- requests ------------------------------------------------------------------------------ */

struct hj212_req {
    enum hj212_version version;         /* HJ212_V2017 or HJ212_V2005 */
    int64_t     qn_unix_ms;             /* the request's time in ms: its QN */
    const char *st, *pw, *mn;           /* the target's system code, password, device id */
    int         no_ack;                 /* 1: leave Flag's A bit (ask for 9011) clear */
};

/* Any request: CN and items as given, with the header and Flag of req. */
int hj212_req_build(char *out, size_t cap, const struct hj212_req *req, int cn,
                    const struct hj212_kv *items, size_t n, size_t *len);

/* 1000: set timeout (OverTime, s: 1..99 in 2017, 1..99999 in 2005) and retries (1..99). */
int hj212_req_set_timeout(char *out, size_t cap, const struct hj212_req *req, int over_time_s,
                          int re_count, size_t *len);
/* 1011: get the field clock; pol_id NULL = the datalogger's (2005 has no PolId). */
int hj212_req_get_time(char *out, size_t cap, const struct hj212_req *req, const char *pol_id,
                       size_t *len);
/* 1012: set the field clock (SystemTime) to t_unix_s; pol_id as for 1011. */
int hj212_req_set_time(char *out, size_t cap, const struct hj212_req *req, const char *pol_id,
                       int64_t t_unix_s, size_t *len);
/* 1061 / 1062: get / set the real-time interval (RtdInterval, 30..3600 s). */
int hj212_req_get_rtd_interval(char *out, size_t cap, const struct hj212_req *req, size_t *len);
int hj212_req_set_rtd_interval(char *out, size_t cap, const struct hj212_req *req,
                               int interval_s, size_t *len);
/* 1063 / 1064 (2017 only): get / set the minute-data interval (MinInterval, one of 1 2 3 4 5 6
 * 10 12 15 20 30 min). */
int hj212_req_get_min_interval(char *out, size_t cap, const struct hj212_req *req, size_t *len);
int hj212_req_set_min_interval(char *out, size_t cap, const struct hj212_req *req,
                               int interval_min, size_t *len);
/* 1072: set the access password: NewPW (2017) or PW (2005), 1..6 of 0-9 a-z A-Z. */
int hj212_req_set_password(char *out, size_t cap, const struct hj212_req *req,
                           const char *new_pw, size_t *len);
/* 2011 / 2012: start (request) / stop (notification) real-time data. */
int hj212_req_rtd(char *out, size_t cap, const struct hj212_req *req, int start, size_t *len);
/* 2021 / 2022: start / stop equipment-status data. */
int hj212_req_status(char *out, size_t cap, const struct hj212_req *req, int start,
                     size_t *len);
/* 2031 day, 2041 run time, 2051 minute, 2061 hour history: BeginTime..EndTime inclusive
 * (2005 joins the two with ','); begin must not be after end. */
int hj212_req_history(char *out, size_t cap, const struct hj212_req *req, int cn,
                      int64_t begin_unix_s, int64_t end_unix_s, size_t *len);
/*
 * Control commands that name one factor (PolId): 3011 zero/span calibration, 3012 immediate
 * sampling, 3013 cleaning/blow-back, 3014 comparison sampling, 3017 get sampling period, 3018
 * get sample-output time, 3019 get instrument id; 3015 over-limit sample retention with
 * pol_id NULL (empty CP). 2005 has only 3011 and 3012.
 */
int hj212_req_control(char *out, size_t cap, const struct hj212_req *req, int cn,
                      const char *pol_id, size_t *len);
/* 3016 (2017): set the sampling period: start time of day (CstartTime hhmmss, from seconds
 * after midnight 0..86399) and period Ctime (1..24 h). */
int hj212_req_set_sampling(char *out, size_t cap, const struct hj212_req *req,
                           const char *pol_id, int start_s_of_day, int period_h, size_t *len);
/* 3020 (2017): get field information InfoId (e.g. "i11001"); with begin/end (both >= 0) the
 * logs of that window, else (pass -1) the current value. */
int hj212_req_get_info(char *out, size_t cap, const struct hj212_req *req, const char *pol_id,
                       const char *info_id, int64_t begin_unix_s, int64_t end_unix_s,
                       size_t *len);
/* 3021 (2017): set a field parameter: PolId, InfoId and "<info_id>-Info=<value>". */
int hj212_req_set_info(char *out, size_t cap, const struct hj212_req *req, const char *pol_id,
                       const char *info_id, const char *value, size_t *len);

#ifdef __cplusplus
}
#endif

#endif
