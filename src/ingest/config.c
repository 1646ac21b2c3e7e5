/* SPDX-License-Identifier: MIT */
/*
 * The daemon's configuration: defaults, an INI file (inih) and single overrides. Every key
 * is a row of one table, so a new setting is one line; unknown keys are refused rather than
 * ignored, because a mistyped limit silently left at its default is worse than a failed start.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include <envwatch/daemon.h>
#include <envwatch/err.h>

enum opt_type { OPT_STR, OPT_UINT, OPT_BOOL };

struct opt {
    const char   *section, *key;
    enum opt_type type;
    size_t        off, size;
    unsigned      min, max;
};

#define STR(sec, k, field) { sec, k, OPT_STR, offsetof(struct ew_config, field), \
                             sizeof(((struct ew_config *)0)->field), 0, 0 }
#define UINT(sec, k, field, lo, hi) { sec, k, OPT_UINT, offsetof(struct ew_config, field), \
                                      sizeof(unsigned), lo, hi }
#define BOOL(sec, k, field) { sec, k, OPT_BOOL, offsetof(struct ew_config, field), \
                              sizeof(unsigned), 0, 1 }

static const struct opt opts[] = {
    STR("server", "data", data_dir),
    STR("server", "hj212_listen", hj212_listen),
    STR("server", "http_listen", http_listen),
    STR("server", "log_file", log_file),
    STR("server", "web_dir", web_dir),
    STR("server", "tile_url", tile_url),
    UINT("ingest", "batch_packets", batch_packets, 1, 100000),
    UINT("ingest", "batch_ms", batch_ms, 1, 10000),
    UINT("ingest", "queue_packets", queue_packets, 16, 1000000),
    UINT("ingest", "max_connections", max_connections, 1, 1000000),
    UINT("ingest", "max_conn_per_ip", max_conn_per_ip, 1, 1000000),
    UINT("ingest", "idle_timeout_s", idle_timeout_s, 5, 86400),
    UINT("ingest", "max_segment", max_segment, 64, 9999),
    UINT("ingest", "max_write_queue", max_write_queue, 1024, 64 << 20),
    UINT("ingest", "rate_per_mn", rate_per_mn, 1, 100000),
    BOOL("store", "synchronous_full", synchronous_full),
    UINT("store", "checkpoint_pages", checkpoint_pages, 100, 1000000),
    UINT("store", "rtd_retention_days", rtd_retention_days, 0, 36500),
    UINT("store", "journal_retention_days", journal_retention_days, 0, 36500),
    UINT("instruments", "offline_after_s", offline_after_s, 30, 7 * 86400),
    UINT("instruments", "clock_drift_limit_s", clock_drift_limit_s, 1, 86400),
    UINT("instruments", "gapfill_days", gapfill_days, 0, 31),
    UINT("instruments", "gapfill_max_requests", gapfill_max_requests, 0, 1000),
    STR("alarms", "webhook_url", webhook_url),
    UINT("http", "threads", http_threads, 1, 256),
    UINT("http", "max_body", http_max_body, 1024, 64 << 20),
    STR("http", "tls_cert", tls_cert),
    STR("http", "tls_key", tls_key),
    UINT("http", "timeout_s", http_timeout_s, 1, 3600),
    UINT("http", "max_conn_per_ip", http_max_conn_per_ip, 1, 100000),
    UINT("http", "rate_per_ip", http_rate_per_ip, 1, 100000),
    STR("http", "trusted_proxy", http_trusted_proxy),
    UINT("auth", "lockout_failures", auth_lockout_failures, 1, 100),
    UINT("auth", "lockout_minutes", auth_lockout_minutes, 1, 1440),
    UINT("auth", "session_hours", auth_session_hours, 1, 720),
    UINT("auth", "token_max_days", auth_token_max_days, 1, 3650),
    UINT("auth", "login_per_min", auth_login_per_min, 1, 60000),
    STR("air", "target_pm25_ugm3", air_target_pm25_ugm3),
    STR("air", "target_good_share_pct", air_target_good_share_pct),
    STR("air", "target_heavy_days", air_target_heavy_days),
    STR("air", "alert_blue", air_alert_blue),
    STR("air", "alert_yellow", air_alert_yellow),
    STR("air", "alert_orange", air_alert_orange),
    STR("air", "alert_red", air_alert_red),
    UINT("air", "alert_merge_gap_days", air_alert_merge_gap_days, 0, 30),
    UINT("air", "alert_lift_days", air_alert_lift_days, 1, 30),
    UINT("alarms", "webhook_timeout_ms", alarm_webhook_timeout_ms, 100, 60000),
    UINT("alarms", "webhook_tries", alarm_webhook_tries, 1, 11),
    UINT("alarms", "webhook_queue", alarm_webhook_queue, 1, 100000),
    UINT("alarms", "offline_after_s", alarm_offline_after_s, 1, 7 * 86400),
    UINT("alarms", "check_s", alarm_check_s, 1, 3600),
    STR("sources", "standards", standards_dir),
    STR("ledger", "holidays", ledger_holidays),
    STR("ledger", "scorecard", ledger_scorecard),
    STR("ledger", "digest_webhook_url", ledger_digest_url),
    UINT("ledger", "digest_hour", ledger_digest_hour, 0, 23),
    UINT("ledger", "max_file_bytes", ledger_max_file_bytes, 1024, 256u << 20),
};

void
ew_config_defaults(struct ew_config *c)
{
    *c = (struct ew_config){
        .batch_packets = 1000,
        .batch_ms = 20,
        .checkpoint_pages = 100000,
        .queue_packets = 16384,
        .max_connections = 20000,
        .max_conn_per_ip = 2000,
        .idle_timeout_s = 900,
        .max_segment = 9999,
        .max_write_queue = 256 * 1024,
        .rate_per_mn = 200,
        .rtd_retention_days = 90,
        .journal_retention_days = 180,
        .offline_after_s = 600,
        .clock_drift_limit_s = 120,
        .gapfill_days = 2,
        .gapfill_max_requests = 24,
        .http_threads = 4,
        .http_max_body = 1 << 20,
        .http_timeout_s = 30,           /* docs/security.md: HTTP limits and accounts */
        .http_max_conn_per_ip = 64,
        .http_rate_per_ip = 100,
        .auth_lockout_failures = 5,
        .auth_lockout_minutes = 15,
        .auth_session_hours = 12,
        .auth_token_max_days = 365,
        .auth_login_per_min = 30,
        .air_alert_merge_gap_days = 1,
        .air_alert_lift_days = 2,
        .ledger_max_file_bytes = 20u << 20,     /* docs/ledger.md: evidence files */
    };
    snprintf(c->data_dir, sizeof(c->data_dir), "./var");
    snprintf(c->hj212_listen, sizeof(c->hj212_listen), "0.0.0.0:9212");
    snprintf(c->http_listen, sizeof(c->http_listen), "127.0.0.1:8080");
    /* [air] defaults, docs/air.md section 9: PM2.5 at the GB 3095-2012 grade-2 annual limit;
     * an 80 % good-day share, the national 2020 goal for prefecture-level cities [M: from
     * memory of the 2018 three-year action plan, not re-read]; no heavy-day target; alert
     * rules of the 2017 national template (ew_air_alert_cfg_national, [M] for Shanxi). */
    snprintf(c->air_target_pm25_ugm3, sizeof(c->air_target_pm25_ugm3), "35");
    snprintf(c->air_target_good_share_pct, sizeof(c->air_target_good_share_pct), "80");
    snprintf(c->air_alert_blue, sizeof(c->air_alert_blue), "1x200");
    snprintf(c->air_alert_yellow, sizeof(c->air_alert_yellow), "2x200");
    snprintf(c->air_alert_orange, sizeof(c->air_alert_orange), "3x200&1x300");
    snprintf(c->air_alert_red, sizeof(c->air_alert_red), "4x200&2x300|1x499");
}

int
ew_config_set(struct ew_config *c, const char *section, const char *key, const char *value,
              char *errmsg, size_t errmsg_len)
{
    for (size_t i = 0; i < EW_ARRAY_LEN(opts); i++) {
        const struct opt *o = &opts[i];
        char *field = (char *)c + o->off;
        if (strcmp(o->section, section) != 0 || strcmp(o->key, key) != 0)
            continue;
        if (o->type == OPT_STR) {
            if (strlen(value) >= o->size) {
                snprintf(errmsg, errmsg_len, "[%s] %s: value longer than %zu bytes", section,
                         key, o->size - 1);
                return EW_ETOOBIG;
            }
            memcpy(field, value, strlen(value) + 1);
            return EW_OK;
        }
        if (o->type == OPT_BOOL && (strcmp(value, "true") == 0 || strcmp(value, "yes") == 0)) {
            *(unsigned *)field = 1;
            return EW_OK;
        }
        if (o->type == OPT_BOOL && (strcmp(value, "false") == 0 || strcmp(value, "no") == 0)) {
            *(unsigned *)field = 0;
            return EW_OK;
        }
        char *end;
        errno = 0;
        unsigned long v = strtoul(value, &end, 10);
        if (errno != 0 || end == value || *end != '\0' || value[0] == '-' || v < o->min ||
            v > o->max) {
            snprintf(errmsg, errmsg_len, "[%s] %s: '%s' is not a number from %u to %u",
                     section, key, value, o->min, o->max);
            return EW_EFORMAT;
        }
        *(unsigned *)field = (unsigned)v;
        return EW_OK;
    }
    snprintf(errmsg, errmsg_len, "[%s] %s: unknown setting", section, key);
    return EW_EINVAL;
}

struct load_ctx {
    struct ew_config *c;
    char             *errmsg;
    size_t            errmsg_len;
    int               failed;
};

static int
on_ini(void *user, const char *section, const char *key, const char *value)
{
    struct load_ctx *l = user;

    if (l->failed)
        return 0;
    if (ew_config_set(l->c, section, key, value, l->errmsg, l->errmsg_len) != EW_OK) {
        l->failed = 1;
        return 0;
    }
    return 1;
}

int
ew_config_parse(struct ew_config *c, const char *text, int *errline, char *errmsg,
                size_t errmsg_len)
{
    struct ew_config tmp = *c;
    struct load_ctx l = { &tmp, errmsg, errmsg_len, 0 };
    int rc = ini_parse_string(text, on_ini, &l);

    if (rc != 0) {
        if (errline != NULL)
            *errline = rc;
        if (!l.failed)
            snprintf(errmsg, errmsg_len, "line %d: not a 'key = value' line", rc);
        return EW_EFORMAT;
    }
    *c = tmp;
    return EW_OK;
}

int
ew_config_load(struct ew_config *c, const char *path, int *errline, char *errmsg,
               size_t errmsg_len)
{
    struct ew_config tmp = *c;
    struct load_ctx l = { &tmp, errmsg, errmsg_len, 0 };
    int rc;

    rc = ini_parse(path, on_ini, &l);
    if (rc == -1) {
        snprintf(errmsg, errmsg_len, "%s: cannot open: %s", path, strerror(errno));
        return EW_EIO;
    }
    if (rc != 0) {
        if (errline != NULL)
            *errline = rc;
        if (!l.failed)
            snprintf(errmsg, errmsg_len, "%s:%d: not a 'key = value' line", path, rc);
        return EW_EFORMAT;
    }
    *c = tmp;
    return EW_OK;
}
