/* SPDX-License-Identifier: MIT */
/*
 * The envwatch daemon: HJ 212 ingest (libuv loop), the writer thread, and the HTTP API.
 *
 * main() fills a struct ew_config (defaults, then the INI file, then command-line flags),
 * creates the daemon, and runs it until SIGTERM/SIGINT. Nothing here prints except through
 * the log sink the config names.
 */
#ifndef EW_DAEMON_H
#define EW_DAEMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct ew_config {
    char data_dir[512];                 /* --data; the store lives in DIR/envwatch.db */
    char hj212_listen[128];             /* ADDR:PORT; port 0 picks a free port */
    char http_listen[128];
    char log_file[512];                 /* "" = stderr; reopened on SIGHUP */
    char web_dir[512];                  /* static dashboard files; "" = not served */
    char tile_url[512];                 /* map tile URL template for the dashboard, "" = none */

    /* ingest */
    unsigned batch_packets;             /* commit after this many packets ... */
    unsigned batch_ms;                  /* ... or this many milliseconds */
    unsigned queue_packets;             /* writer queue bound; reading stops when full */
    unsigned max_connections;           /* total HJ 212 connections */
    unsigned max_conn_per_ip;
    unsigned idle_timeout_s;            /* close a silent connection */
    unsigned max_segment;               /* largest data segment accepted (<= 9999) */
    unsigned max_write_queue;           /* bytes of unsent replies before a peer is paused */
    unsigned rate_per_mn;               /* packets per second per MN before throttling */

    /* storage and retention */
    unsigned synchronous_full;          /* 1: SQLite synchronous=FULL (power-loss durable) */
    unsigned checkpoint_pages;          /* WAL pages that force a checkpoint under a backlog
                                           (the writer checkpoints whenever it is idle) */
    unsigned rtd_retention_days;        /* real-time (2011) data kept this long, 0 = forever */
    unsigned journal_retention_days;

    /* instrument management */
    unsigned offline_after_s;           /* no packet for this long: offline */
    unsigned clock_drift_limit_s;       /* send 1012 when DataTime is off by more */
    unsigned gapfill_days;              /* look back this far for missing records on reconnect */
    unsigned gapfill_max_requests;      /* per reconnect */

    /* alarms */
    char webhook_url[512];              /* http://host:port/path for alarm notifications */

    /* HTTP */
    unsigned http_threads;
    unsigned http_max_body;             /* bytes */
    char     tls_cert[512], tls_key[512];
    /* HTTP limits [http] and accounts [auth] (docs/security.md); 0 means the default */
    unsigned http_timeout_s;            /* idle HTTP connection closed after (30) */
    unsigned http_max_conn_per_ip;      /* HTTP connections per client address (64) */
    unsigned http_rate_per_ip;          /* API requests per second per address (100) */
    char     http_trusted_proxy[48];    /* reverse proxy whose X-Forwarded-For is believed */
    unsigned auth_lockout_failures;     /* failed logins in a row before a lockout (5) */
    unsigned auth_lockout_minutes;      /* length of a lockout (15) */
    unsigned auth_session_hours;        /* life of a login session (12) */
    unsigned auth_token_max_days;       /* longest life of an API token (365) */
    unsigned auth_login_per_min;        /* login attempts per minute per address (30) */

    /* air quality [air] (docs/air.md section 9): annual targets of the city as decimal text,
     * "" or "off" for no target; heavy-pollution alert rules per level in the syntax of
     * ew_air_alert_rule_parse ("4x200&2x300|1x499"), "" or "off" to leave a level out */
    char     air_target_pm25_ugm3[16];
    char     air_target_good_share_pct[16];
    char     air_target_heavy_days[16];
    char     air_alert_blue[64], air_alert_yellow[64], air_alert_orange[64], air_alert_red[64];
    unsigned air_alert_merge_gap_days;  /* clean days that still join two runs into one
                                           (default 1, [M]) */
    unsigned air_alert_lift_days;       /* clean days before an alert is lowered or lifted
                                           (default 2, [M] after Taiyuan 2019) */

    /* alarms [alarms] and sources [sources] (docs/sources.md "Alarms in the daemon"); 0 means
     * the documented default everywhere */
    unsigned alarm_webhook_timeout_ms;  /* each connect, send, receive (default 5000) */
    unsigned alarm_webhook_tries;       /* tries of one event, the first included (default 4) */
    unsigned alarm_webhook_queue;       /* events waiting for the notifier (default 1000) */
    unsigned alarm_offline_after_s;     /* no upload for this long: offline; 0 = per kind */
    unsigned alarm_check_s;             /* offline check interval (default 60) */
    char     standards_dir[512];        /* data/standards; "" = found as the CLI does */

    /* governance ledgers [ledger] (docs/ledger.md "The daemon"): the holiday calendar and the
     * scorecard files ("" = none), published to the store at start; the daily digest's
     * webhook (http://host:port/path, "" = none) and the CST hour after which it is sent */
    char     ledger_holidays[512];
    char     ledger_scorecard[512];
    char     ledger_digest_url[512];
    unsigned ledger_digest_hour;
    unsigned ledger_max_file_bytes;     /* largest evidence upload (20 MiB); the body of
                                           such an upload is bounded by it, not max_body */
};

/* Fills c with the documented defaults. */
void ew_config_defaults(struct ew_config *c);
/*
 * Reads an INI file into c (sections [server] [ingest] [store] [instruments] [alarms] [http]).
 * Unknown keys and bad values are errors: *errline (when not NULL) gets the line number and
 * errmsg (size errmsg_len) a sentence. Returns EW_OK, EW_EIO or EW_EFORMAT.
 */
int ew_config_load(struct ew_config *c, const char *path, int *errline, char *errmsg,
                   size_t errmsg_len);
/* The same from text in memory (errors name the line, not a file). */
int ew_config_parse(struct ew_config *c, const char *text, int *errline, char *errmsg,
                    size_t errmsg_len);
/* Sets one key as the INI file would ("ingest", "batch_ms", "20"). */
int ew_config_set(struct ew_config *c, const char *section, const char *key, const char *value,
                  char *errmsg, size_t errmsg_len);

struct ew_daemon;

int  ew_daemon_create(const struct ew_config *c, struct ew_daemon **out, char *errmsg,
                      size_t errmsg_len);
/* Runs until ew_daemon_stop() or SIGTERM/SIGINT; drains the writer queue before returning. */
int  ew_daemon_run(struct ew_daemon *d);
void ew_daemon_stop(struct ew_daemon *d);   /* async-signal-safe and thread-safe */
void ew_daemon_destroy(struct ew_daemon *d);

#endif
