/* SPDX-License-Identifier: MIT */
/*
 * envwatch simulate: runs virtual HJ 212 dataloggers against a platform (docs/simulator.md).
 * This file only turns the command line into points and run settings and prints the summary
 * lines; the simulator itself is src/ingest/sim*.c.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <envwatch/err.h>

#include "cli/cli.h"
#include "ingest/sim.h"
#include "util/time.h"

#define MAX_SCENARIOS 256

static const char usage_text[] =
    "usage: envwatch simulate --connect HOST:PORT [--points N | --registry FILE] [options]\n"
    "       envwatch simulate --print-registry [--points N | --registry FILE]\n"
    "\n"
    "  --connect HOST:PORT       platform's HJ 212 listener (one TCP connection per point)\n"
    "  --points N                number of points (invented if no registry; default: all rows)\n"
    "  --registry FILE           registry CSV (mn,pw,kind,...; see data/README.md)\n"
    "  --seed S                  model seed (default 1); same seed and --start, same values\n"
    "  --start TIME              simulated start, CST (YYYY-MM-DDThh:mm[:ss]; default now)\n"
    "  --speed X                 simulated seconds per real second (default 1)\n"
    "  --rtd-interval S          real-time (2011) interval, seconds (default 30)\n"
    "  --min-interval M          minute-data (2051) interval, minutes (default 10)\n"
    "  --overtime S              re-send after S seconds without 9014 (default 10)\n"
    "  --recount N               re-sends before reconnecting (default 3)\n"
    "  --no-ack                  uploads do not ask for 9014 (Flag=4)\n"
    "  --window N                uploads in flight per connection (default 1)\n"
    "  --queue-max N             queued uploads per point (default 2000)\n"
    "  --backfill-hours H        first send the last H hours of hourly data (< queue-max)\n"
    "  --duration S              stop after S real seconds\n"
    "  --count N                 stop after N uploads (once they are confirmed)\n"
    "  --summary S               seconds between summary lines on stderr (default 60)\n"
    "  --exceed MN:FACTOR:MULTIPLE:HOURS   FACTOR at MULTIPLE x its limit for HOURS hours\n"
    "  --silent MN:AFTER_S       the point goes silent AFTER_S simulated seconds in\n"
    "  --clock-skew MN:SECONDS   the point's clock is off by SECONDS\n"
    "  --version2005 MN          the point speaks HJ/T 212-2005 with 2005 codes\n"
    "  --bad-pw MN               the point's uploads carry a wrong PW\n"
    "  --print-registry          print the points as a registry CSV and exit\n";

enum { O_CONNECT = 256, O_POINTS, O_REGISTRY, O_SEED, O_START, O_SPEED, O_RTD, O_MIN,
       O_OVERTIME, O_RECOUNT, O_NOACK, O_WINDOW, O_QMAX, O_BACKFILL, O_DURATION, O_COUNT,
       O_SUMMARY, O_EXCEED, O_SILENT, O_SKEW, O_V2005, O_BADPW, O_PRINT, O_HELP };

static const struct option long_opts[] = {
    { "connect", required_argument, NULL, O_CONNECT },
    { "points", required_argument, NULL, O_POINTS },
    { "registry", required_argument, NULL, O_REGISTRY },
    { "seed", required_argument, NULL, O_SEED },
    { "start", required_argument, NULL, O_START },
    { "speed", required_argument, NULL, O_SPEED },
    { "rtd-interval", required_argument, NULL, O_RTD },
    { "min-interval", required_argument, NULL, O_MIN },
    { "overtime", required_argument, NULL, O_OVERTIME },
    { "recount", required_argument, NULL, O_RECOUNT },
    { "no-ack", no_argument, NULL, O_NOACK },
    { "window", required_argument, NULL, O_WINDOW },
    { "queue-max", required_argument, NULL, O_QMAX },
    { "backfill-hours", required_argument, NULL, O_BACKFILL },
    { "duration", required_argument, NULL, O_DURATION },
    { "count", required_argument, NULL, O_COUNT },
    { "summary", required_argument, NULL, O_SUMMARY },
    { "exceed", required_argument, NULL, O_EXCEED },
    { "silent", required_argument, NULL, O_SILENT },
    { "clock-skew", required_argument, NULL, O_SKEW },
    { "version2005", required_argument, NULL, O_V2005 },
    { "bad-pw", required_argument, NULL, O_BADPW },
    { "print-registry", no_argument, NULL, O_PRINT },
    { "help", no_argument, NULL, O_HELP },
    { NULL, 0, NULL, 0 },
};

struct args {
    struct ew_sim_run_cfg run;
    char        host[256];
    const char *registry;
    size_t      points;
    uint64_t    seed;
    int         print;
    const char *scen[MAX_SCENARIOS];    /* scenario switches, applied once points exist */
    int         scen_opt[MAX_SCENARIOS];
    size_t      nscen;
};

static int
bad(const char *opt, const char *value)
{
    fprintf(stderr, "envwatch simulate: bad value for --%s: '%s'\n", opt, value);
    return 2;
}

static int
num(const char *s, double lo, double hi, double *out)
{
    char *end;
    double v;

    errno = 0;
    v = strtod(s, &end);
    if (end == s || *end != '\0' || errno != 0 || !isfinite(v) || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int
whole(const char *s, double lo, double hi, double *out)
{
    return num(s, lo, hi, out) != 0 || *out != floor(*out) ? -1 : 0;
}

/* "host:port", "[v6]:port" */
static int
parse_connect(struct args *a, const char *s)
{
    const char *colon = strrchr(s, ':');
    size_t hl;
    double port;

    if (colon == NULL || whole(colon + 1, 1, 65535, &port) != 0)
        return -1;
    hl = (size_t)(colon - s);
    if (hl >= 2 && s[0] == '[' && s[hl - 1] == ']') {
        s++;
        hl -= 2;
    }
    if (hl == 0 || hl >= sizeof(a->host))
        return -1;
    memcpy(a->host, s, hl);
    a->host[hl] = '\0';
    a->run.host = a->host;
    a->run.port = (int)port;
    return 0;
}

static int
parse_start(struct args *a, const char *s)
{
    int64_t t;

    if (ew_time_parse_iso(s, &t) != EW_OK)
        return -1;
    a->run.opts.start_ms = t * 1000;
    return 0;
}

static int
parse_timing(struct args *a, int opt, const char *v)
{
    struct ew_sim_opts *o = &a->run.opts;
    double x;

    switch (opt) {
    case O_SPEED: if (num(v, 1e-3, 1e6, &a->run.speed)) return -1; break;
    case O_RTD: if (whole(v, 1, 3600, &x)) return -1; o->rtd_interval_s = (int)x; break;
    case O_MIN:
        if (whole(v, 1, 30, &x) || 60 % (int)x != 0) return -1;
        o->min_interval_min = (int)x;
        break;
    case O_OVERTIME: if (whole(v, 1, 99999, &x)) return -1; o->overtime_s = (int)x; break;
    case O_RECOUNT: if (whole(v, 0, 99, &x)) return -1; o->recount = (int)x; break;
    case O_WINDOW: if (whole(v, 1, 1024, &x)) return -1; o->window = (unsigned)x; break;
    case O_QMAX: if (whole(v, 1, 1e7, &x)) return -1; o->queue_max = (size_t)x; break;
    case O_BACKFILL: if (whole(v, 0, 24 * 366, &x)) return -1; o->backfill_hours = (int)x; break;
    case O_DURATION: if (num(v, 0.001, 1e9, &a->run.duration_s)) return -1; break;
    case O_COUNT: if (whole(v, 1, 1e15, &x)) return -1; a->run.count = (uint64_t)x; break;
    case O_SUMMARY: if (num(v, 0.1, 86400, &a->run.summary_s)) return -1; break;
    default: return -1;
    }
    return 0;
}

static int
parse_opt(struct args *a, int opt, const char *v)
{
    double x;

    switch (opt) {
    case O_CONNECT: return parse_connect(a, v);
    case O_POINTS: if (whole(v, 1, 1e6, &x)) return -1; a->points = (size_t)x; return 0;
    case O_REGISTRY: a->registry = v; return 0;
    case O_SEED: if (whole(v, 0, 9007199254740992.0, &x)) return -1; a->seed = (uint64_t)x;
        return 0;
    case O_START: return parse_start(a, v);
    case O_NOACK: a->run.opts.ack = 0; return 0;
    case O_PRINT: a->print = 1; return 0;
    case O_EXCEED: case O_SILENT: case O_SKEW: case O_V2005: case O_BADPW:
        if (a->nscen == MAX_SCENARIOS)
            return -1;
        a->scen[a->nscen] = v;
        a->scen_opt[a->nscen++] = opt;
        return 0;
    default: return parse_timing(a, opt, v);
    }
}

static const char *
opt_name(int opt)
{
    for (const struct option *o = long_opts; o->name != NULL; o++)
        if (o->val == opt)
            return o->name;
    return "?";
}

static int
parse_args(struct args *a, int argc, char **argv)
{
    int opt;

    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", long_opts, NULL)) != -1) {
        if (opt == O_HELP) {
            fputs(usage_text, stdout);
            return 0;
        }
        if (opt == '?') {
            fprintf(stderr, "envwatch simulate: unknown or incomplete option '%s'\n%s",
                    argv[optind - 1], usage_text);
            return 2;
        }
        if (parse_opt(a, opt, optarg) != 0)
            return bad(opt_name(opt), optarg);
    }
    if (optind < argc) {
        fprintf(stderr, "envwatch simulate: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    if (!a->print && a->run.host == NULL) {
        fprintf(stderr, "envwatch simulate: --connect HOST:PORT is required\n%s", usage_text);
        return 2;
    }
    if (a->registry == NULL && a->points == 0) {
        fprintf(stderr, "envwatch simulate: give --points N or --registry FILE\n");
        return 2;
    }
    if ((size_t)a->run.opts.backfill_hours >= a->run.opts.queue_max ||
        a->run.opts.window > a->run.opts.queue_max) {
        fprintf(stderr, "envwatch simulate: --backfill-hours and --window must stay below "
                "--queue-max\n");
        return 2;
    }
    return -1;                          /* go on */
}

static struct ew_sim_point *
find_point(struct ew_sim_point *p, size_t n, const char *mn, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(p[i].mn) == len && memcmp(p[i].mn, mn, len) == 0)
            return &p[i];
    return NULL;
}

/* Splits "MN:a:b:c" into the point and up to three further fields. */
static struct ew_sim_point *
scenario_point(struct ew_sim_point *p, size_t n, const char *s, char rest[3][64], size_t want)
{
    const char *c = strchr(s, ':');
    size_t got = 0;
    struct ew_sim_point *pt = find_point(p, n, s, c ? (size_t)(c - s) : strlen(s));

    while (c != NULL && got < 3) {
        const char *next = strchr(c + 1, ':');
        size_t len = next ? (size_t)(next - c - 1) : strlen(c + 1);

        if (len >= 64)
            return NULL;
        memcpy(rest[got], c + 1, len);
        rest[got++][len] = '\0';
        c = next;
    }
    return (got == want && c == NULL) ? pt : NULL;
}

static int
apply_exceed(struct ew_sim_point *pt, char f[3][64], int64_t start_s)
{
    double mult, hours;
    int fi = ew_sim_point_factor_index(pt, f[0], strlen(f[0]));

    if (fi < 0 || num(f[1], 0.01, 1000, &mult) || whole(f[2], 1, 24 * 366, &hours))
        return -1;
    pt->exceed_factor = fi;
    pt->exceed_multiple = mult;
    /* From the start of the current hour, so that whole hourly records exceed. */
    pt->exceed_from_s = ew__sim_floor_div(start_s, 3600) * 3600;
    pt->exceed_to_s = pt->exceed_from_s + (int64_t)hours * 3600;
    return 0;
}

static int
apply_scenario(struct args *a, struct ew_sim_point *p, size_t n, size_t k)
{
    int opt = a->scen_opt[k];
    size_t want = opt == O_EXCEED ? 3 : (opt == O_SILENT || opt == O_SKEW) ? 1 : 0;
    char f[3][64];
    struct ew_sim_point *pt = scenario_point(p, n, a->scen[k], f, want);
    double x;

    if (pt == NULL) {
        fprintf(stderr, "envwatch simulate: --%s '%s': no such point, or wrong fields\n",
                opt_name(opt), a->scen[k]);
        return 2;
    }
    switch (opt) {
    case O_EXCEED:
        if (apply_exceed(pt, f, a->run.opts.start_ms / 1000) != 0)
            return bad(opt_name(opt), a->scen[k]);
        break;
    case O_SILENT:
        if (whole(f[0], 0, 1e12, &x))
            return bad(opt_name(opt), a->scen[k]);
        pt->silent_after_s = (int64_t)x;
        break;
    case O_SKEW:
        if (whole(f[0], -1e9, 1e9, &x))
            return bad(opt_name(opt), a->scen[k]);
        pt->skew_s = (int64_t)x;
        break;
    case O_V2005: pt->v2005 = 1; break;
    default: pt->bad_pw = 1; break;
    }
    return 0;
}

static int
load_points(struct args *a, struct ew_sim_point **p, size_t *n)
{
    char msg[160];
    size_t line = 0;
    int err;

    if (a->registry == NULL) {
        *n = a->points;
        return ew_sim_points_invent(a->points, p) == EW_OK ? 0 : 1;
    }
    err = ew_sim_registry_load(a->registry, a->points, p, n, &line, msg, sizeof(msg));
    if (err != EW_OK) {
        fprintf(stderr, "envwatch simulate: %s:%zu: %s\n", a->registry, line, msg);
        return err == EW_EFORMAT ? 2 : 1;
    }
    if (a->points > *n) {
        fprintf(stderr, "envwatch simulate: %s has only %zu points\n", a->registry, *n);
        free(*p);
        *p = NULL;
        return 2;
    }
    return 0;
}

static void
print_summary(void *arg, const struct ew_sim_stats *t, size_t connected, size_t pending,
              double elapsed_s, int final)
{
    const size_t *npoints = arg;

    fprintf(stderr, "simulate: %s%.0fs points=%zu connected=%zu sent=%llu acked=%llu "
            "resent=%llu pending=%zu dropped=%llu requests=%llu replies=%llu reconnects=%llu "
            "bad=%llu\n", final ? "done " : "", elapsed_s, *npoints, connected,
            (unsigned long long)t->sent, (unsigned long long)t->acked,
            (unsigned long long)t->resent, pending, (unsigned long long)t->dropped,
            (unsigned long long)t->requests, (unsigned long long)t->replies,
            (unsigned long long)t->reconnects, (unsigned long long)t->bad_frames);
}

static int
print_registry(const struct ew_sim_point *p, size_t n)
{
    struct ew_buf b;
    int err;

    ew_buf_init(&b, 0);
    err = ew_sim_registry_write(p, n, &b);
    if (err == EW_OK && fwrite(b.ptr, 1, b.len, stdout) != b.len)
        err = EW_EIO;
    ew_buf_fini(&b);
    return err == EW_OK ? 0 : 1;
}

/* One descriptor per connection: raise the soft limit as far as the hard one allows. */
static void
raise_fd_limit(size_t n)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < n + 64) {
        rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > n + 64 ? n + 64 : rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

static int
run(struct args *a, struct ew_sim_point *p, size_t n)
{
    int err;

    raise_fd_limit(n);
    a->run.on_summary = print_summary;
    a->run.arg = &n;
    err = ew_sim_run(&a->run, p, n);
    if (err != EW_OK)
        fprintf(stderr, "envwatch simulate: %s%s\n", ew_strerror(err),
                err == EW_EIO ? " (cannot resolve the --connect address)" : "");
    return err == EW_OK ? 0 : err == EW_EINVAL ? 2 : 1;
}

int
ew_cmd_simulate(int argc, char **argv)
{
    struct args a = { .seed = 1 };
    struct ew_sim_point *p = NULL;
    struct timespec now;
    size_t n = 0;
    int rc;

    ew_sim_opts_defaults(&a.run.opts);
    a.run.speed = 1.0;
    a.run.summary_s = 60;
    clock_gettime(CLOCK_REALTIME, &now);
    a.run.opts.start_ms = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
    rc = parse_args(&a, argc, argv);
    if (rc >= 0)
        return rc;
    rc = load_points(&a, &p, &n);
    for (size_t k = 0; rc == 0 && k < a.nscen; k++)
        rc = apply_scenario(&a, p, n, k);
    for (size_t i = 0; rc == 0 && i < n; i++)
        ew_sim_point_seal(&p[i], a.seed);
    if (rc == 0)
        rc = a.print ? print_registry(p, n) : run(&a, p, n);
    free(p);
    return rc;
}
