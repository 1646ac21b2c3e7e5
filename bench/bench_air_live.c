/* SPDX-License-Identifier: MIT */
/*
 * bench_air_live: the cost of the air hook (src/ingest/air_live.c) on the writer thread.
 * Replays hourly uploads of N air stations over D days the way the writer does: one
 * transaction per hour, the six pollutants stored with ew_store_reading_put, then the hook's
 * on_frame (station hour, county and city hours, days at 23:00, alerts). Prints the hook's
 * CPU and wall time per upload beside the time of storing the readings alone, and the time
 * of the day-end pass over the whole history (what the first tick after a start does).
 *
 * usage: bench_air_live [--stations N] [--counties N] [--days N] [--dir DIR]
 *   (without --dir a temporary folder is used and removed at the end)
 */
#include <ftw.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <envwatch/daemon.h>
#include <envwatch/err.h>
#include <envwatch/hooks.h>
#include <envwatch/store.h>

#include "util/time.h"

extern const struct ew_hook ew__hook_air_live;

static const char *const codes[6] = { "a21026", "a21004", "a21005", "a05024", "a34002",
                                      "a34004" };

static double
clock_s(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
publish(void *ctx, const char *type, const char *json)
{
    (void)type;
    (void)json;
    (*(long *)ctx)++;
}

/* A plausible hour: a daily cycle plus a station offset (µg/m3, CO mg/m3). */
static double
value(int item, int station, int hour)
{
    static const double base[6] = { 20, 40, 1.2, 60, 90, 50 };
    double cycle = 1 + 0.5 * sin((hour % 24) * 3.14159 / 12 + station);

    return item == 2 ? round(base[item] * cycle * 10) / 10 : round(base[item] * cycle);
}

static int
setup(struct ew_store *s, int stations, int counties, int64_t *ids)
{
    for (int i = 0; i < stations; i++) {
        struct ew_point p;
        ew_point_init(&p);
        snprintf(p.mn, sizeof(p.mn), "AIR%05d", i);
        snprintf(p.pw, sizeof(p.pw), "123456");
        snprintf(p.name, sizeof(p.name), "station %d", i);
        snprintf(p.kind, sizeof(p.kind), "air");
        snprintf(p.county, sizeof(p.county), "county %d", i % counties);
        if (ew_store_point_put(s, &p) != EW_OK)
            return -1;
        ids[i] = p.id;
    }
    return 0;
}

/* One station's upload: readings, then (when hook) the hook. Adds the hook's CPU time. */
static int
upload(struct ew_store *s, void *state, struct ew_hook_env *env, int64_t id, const char *mn,
       int station, int hour, int64_t t, int hook, double *hook_cpu)
{
    struct ew_reading r[6];
    size_t n = 0;

    for (int k = 0; k < 6; k++) {
        int ins = 0;
        r[n] = (struct ew_reading){ .point_id = id, .kind = EW_KIND_HOUR, .t_unix_s = t,
                                    .value = value(k, station, hour), .min = NAN, .max = NAN,
                                    .cou = NAN, .zs = NAN, .flag = "N" };
        snprintf(r[n].factor, sizeof(r[n].factor), "%s", codes[k]);
        if (ew_store_reading_put(s, &r[n], &ins) != EW_OK)
            return -1;
        n += ins;
    }
    if (!hook)
        return 0;
    struct ew_hook_frame f = { .point_id = id, .mn = mn, .point_kind = "air",
                               .data_kind = EW_KIND_HOUR, .t_unix_s = t, .readings = r, .n = n };
    double c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    int rc = ew__hook_air_live.on_frame(state, env, &f);
    *hook_cpu += clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
    return rc == EW_OK ? 0 : -1;
}

/* Replays every hour; returns the wall time, *hook_cpu the hook's CPU time. */
static double
replay(struct ew_store *s, void *state, struct ew_hook_env *env, const int64_t *ids,
       int stations, int days, int64_t t0, int hook, double *hook_cpu)
{
    double w0 = clock_s(CLOCK_MONOTONIC);
    char mn[33];

    for (int h = 0; h < days * 24; h++) {
        if (ew_store_begin(s) != EW_OK)
            return -1;
        for (int i = 0; i < stations; i++) {
            snprintf(mn, sizeof(mn), "AIR%05d", i);
            if (upload(s, state, env, ids[i], mn, i, h, t0 + h * 3600, hook, hook_cpu) != 0) {
                fprintf(stderr, "upload failed: %s\n", ew_store_errmsg(s));
                return -1;
            }
        }
        if (ew_store_commit(s) != EW_OK)
            return -1;
    }
    return clock_s(CLOCK_MONOTONIC) - w0;
}

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int
open_fresh(const char *base, const char *sub, char *dir, size_t len, struct ew_store **s)
{
    snprintf(dir, len, "%s/%s", base, sub);
    return ew_store_open(dir, EW_STORE_CREATE, s);
}

int
main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "stations", required_argument, NULL, 's' }, { "counties", required_argument, NULL, 'c' },
        { "days", required_argument, NULL, 'd' },     { "dir", required_argument, NULL, 'D' },
        { NULL, 0, NULL, 0 },
    };
    int stations = 6, counties = 3, days = 31, opt, own_dir = 0;
    char base[256] = "", dir[512];
    struct ew_civil c0 = { 2019, 1, 1, 0, 0, 0 };
    struct ew_store *plain = NULL, *s = NULL;
    struct ew_config cfg;
    void *state = NULL;
    long events = 0;
    double hook_cpu = 0, unused = 0;

    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (opt == 's')
            stations = (int)strtol(optarg, NULL, 10);
        else if (opt == 'c')
            counties = (int)strtol(optarg, NULL, 10);
        else if (opt == 'd')
            days = (int)strtol(optarg, NULL, 10);
        else if (opt == 'D')
            snprintf(base, sizeof(base), "%s", optarg);
        else
            return 2;
    }
    if (stations < 1 || counties < 1 || days < 1 || stations > 100000)
        return 2;
    if (base[0] == '\0') {
        snprintf(base, sizeof(base), "/tmp/bench-air-XXXXXX");
        if (mkdtemp(base) == NULL)
            return 1;
        own_dir = 1;
    }
    int64_t *ids = calloc((size_t)stations, sizeof(*ids));
    int64_t t0 = ew_civil_to_unix(&c0);
    ew_config_defaults(&cfg);
    if (ids == NULL || open_fresh(base, "plain", dir, sizeof(dir), &plain) != EW_OK ||
        open_fresh(base, "hook", dir, sizeof(dir), &s) != EW_OK ||
        setup(plain, stations, counties, ids) != 0 || setup(s, stations, counties, ids) != 0 ||
        ew__hook_air_live.create(&cfg, &state) != EW_OK)
        return 1;
    struct ew_hook_env env = { .s = s, .cfg = &cfg, .now_ms = (t0 + 400 * 86400) * 1000,
                               .publish = publish, .pub_ctx = &events };
    double w_plain = replay(plain, NULL, NULL, ids, stations, days, t0, 0, &unused);
    double w_hook = replay(s, state, &env, ids, stations, days, t0, 1, &hook_cpu);
    if (w_plain < 0 || w_hook < 0)
        return 1;
    double uploads = (double)stations * days * 24;
    printf("stations %d, counties %d, days %d: %.0f hourly uploads, %ld events\n", stations,
           counties, days, uploads, events);
    printf("readings only:   %8.1f us/upload wall (%.0f uploads/s)\n", w_plain / uploads * 1e6,
           uploads / w_plain);
    printf("readings + hook: %8.1f us/upload wall (%.0f uploads/s); hook CPU %.1f us/upload\n",
           w_hook / uploads * 1e6, uploads / w_hook, hook_cpu / uploads * 1e6);

    /* the first tick after a start: the day-end pass over the whole history */
    double p0 = clock_s(CLOCK_MONOTONIC);
    if (ew_store_begin(s) != EW_OK || ew__hook_air_live.on_tick(state, &env) != EW_OK ||
        ew_store_commit(s) != EW_OK)
        return 1;
    printf("first tick (day-end pass over %d days of history): %.1f ms\n", days,
           (clock_s(CLOCK_MONOTONIC) - p0) * 1e3);
    ew__hook_air_live.destroy(state);
    ew_store_close(plain);
    ew_store_close(s);
    free(ids);
    if (own_dir)
        nftw(base, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    return 0;
}
