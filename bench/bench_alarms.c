/* SPDX-License-Identifier: MIT */
/*
 * bench_alarms: what the alarm engine costs the writer. N coal-power stacks (GB 13223-2011
 * ultra-low, 6 % O2) upload a day of hourly records (9 factors, one stack in ten over its SO2
 * limit for a few hours) and of 10-minute records; each upload is stored and handed to the
 * alarm hook in batches of 1,000 uploads per transaction, as the writer does. The time of the
 * hook's on_frame alone is measured (storing the readings is bench_store's business) and
 * reported as uploads judged per second and microseconds per upload, with the alarms it left.
 *
 * usage: bench_alarms [--points N] [--dir DIR]     (run from the repository root: it reads
 *        data/standards)
 */
#include <ftw.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <envwatch/alarm.h>
#include <envwatch/err.h>
#include <envwatch/store.h>

#include "util/time.h"

#define NF 9
#define BATCH 1000

static const char *const factors[NF] = { "a21026", "a21002", "a34013", "a19001", "a01011",
                                         "a01012", "a01013", "a01014", "a00000" };

static double
now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
quiet(void *ctx, const char *type, const char *json)
{
    (void)ctx;
    (void)type;
    (void)json;
}

/* A plausible value of factor f at stack i, time t; SO2 over 35 for stacks i % 10 == 0 in
 * hours 8-11. */
static double
value(int i, int f, int64_t t)
{
    double wave = sin((double)(t % 86400) / 86400.0 * 6.283 + i);
    int hour = (int)((t + EW_CST_OFFSET_S) % 86400 / 3600);

    switch (f) {
    case 0:
        return i % 10 == 0 && hour >= 8 && hour < 12 ? 90 : 20 + 5 * wave;
    case 2:
        return 5 + 2 * wave;            /* dust, under the ultra-low 10 mg/m3 */
    case 3:
        return 6 + wave;                /* O2 % */
    case 6:
        return -0.25;                   /* static pressure: never watched */
    default:
        return 30 + 10 * wave + f;
    }
}

struct run {
    struct ew_store *s;
    void            *hook;
    struct ew_config cfg;
    int64_t         *ids;
    int              n;
    double           hook_s;
    long             uploads;
};

static int
upload(struct run *r, int i, int kind, int64_t t, struct ew_reading *rd)
{
    struct ew_hook_env env = { .s = r->s, .cfg = &r->cfg, .now_ms = t * 1000 + 5000,
                               .publish = quiet };
    char mn[24];
    int inserted;

    for (int f = 0; f < NF; f++) {
        rd[f] = (struct ew_reading){ .point_id = r->ids[i], .kind = kind, .t_unix_s = t,
                                     .value = value(i, f, t), .min = NAN, .max = NAN,
                                     .cou = NAN, .zs = NAN, .flag = "N" };
        snprintf(rd[f].factor, sizeof(rd[f].factor), "%s", factors[f]);
        if (ew_store_reading_put(r->s, &rd[f], &inserted) != EW_OK)
            return -1;
    }
    snprintf(mn, sizeof(mn), "BENCH%06d", i);
    struct ew_hook_frame fr = { .point_id = r->ids[i], .mn = mn, .point_kind = "flue",
                                .data_kind = kind, .t_unix_s = t, .readings = rd, .n = NF };
    double t0 = now_s();
    int rc = ew_alarm_hook.on_frame(r->hook, &env, &fr);
    r->hook_s += now_s() - t0;
    r->uploads++;
    return rc == EW_OK ? 0 : -1;
}

/* Every point uploads one record of kind at each step from t0 for the duration. */
static int
pass(struct run *r, int kind, int64_t t0, int64_t step_s, int steps)
{
    struct ew_reading rd[NF];
    int in_tx = 0;

    r->hook_s = 0;
    r->uploads = 0;
    for (int k = 0; k < steps; k++) {
        for (int i = 0; i < r->n; i++) {
            if (in_tx == 0 && ew_store_begin(r->s) != EW_OK)
                return -1;
            if (upload(r, i, kind, t0 + k * step_s, rd) != 0)
                return -1;
            if (++in_tx == BATCH) {
                if (ew_store_commit(r->s) != EW_OK)
                    return -1;
                in_tx = 0;
            }
        }
    }
    return in_tx > 0 && ew_store_commit(r->s) != EW_OK ? -1 : 0;
}

static int
count_alarm(void *ctx, const struct ew_alarm *a)
{
    long *by_kind = ctx;

    by_kind[a->kind >= 0 && a->kind <= EW_ALARM_MAINT ? a->kind : 0]++;
    return 0;
}

static int
rm(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int
setup(struct run *r, const char *dir)
{
    struct ew_hook_env env = { .now_ms = 0, .publish = quiet };

    if (ew_store_open(dir, EW_STORE_CREATE, &r->s) != EW_OK || ew_store_begin(r->s) != EW_OK)
        return -1;
    for (int i = 0; i < r->n; i++) {
        struct ew_point p;
        ew_point_init(&p);
        snprintf(p.mn, sizeof(p.mn), "BENCH%06d", i);
        snprintf(p.pw, sizeof(p.pw), "123456");
        snprintf(p.name, sizeof(p.name), "stack %d", i);
        snprintf(p.kind, sizeof(p.kind), "flue");
        snprintf(p.extra, sizeof(p.extra), "{\"profile\":\"GB13223-2011/coal-boiler\","
                                           "\"tier\":\"ultralow\",\"o2_ref\":\"6\"}");
        if (ew_store_point_put(r->s, &p) != EW_OK)
            return -1;
        r->ids[i] = p.id;
    }
    ew_config_defaults(&r->cfg);
    snprintf(r->cfg.standards_dir, sizeof(r->cfg.standards_dir), "data/standards");
    if (ew_store_commit(r->s) != EW_OK || ew_alarm_hook.create(&r->cfg, &r->hook) != EW_OK)
        return -1;
    env.s = r->s;
    env.cfg = &r->cfg;
    env.now_ms = (int64_t)time(NULL) * 1000;
    if (ew_store_begin(r->s) != EW_OK || ew_alarm_hook.on_tick(r->hook, &env) != EW_OK)
        return -1;
    return ew_store_commit(r->s) == EW_OK ? 0 : -1;
}

int
main(int argc, char **argv)
{
    static const struct option opts[] = { { "points", required_argument, NULL, 'n' },
                                           { "dir", required_argument, NULL, 'd' },
                                           { NULL, 0, NULL, 0 } };
    char dir[256] = "";
    struct run r = { .n = 500 };
    struct ew_civil day = { 2019, 1, 15, 0, 0, 0 };
    long alarms[EW_ALARM_MAINT + 1] = { 0 };
    int c, rc = 1;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'n')
            r.n = (int)strtol(optarg, NULL, 10) > 0 ? (int)strtol(optarg, NULL, 10) : 500;
        else if (c == 'd')
            snprintf(dir, sizeof(dir), "%s", optarg);
        else
            return 2;
    }
    if (dir[0] == '\0') {
        snprintf(dir, sizeof(dir), "/tmp/ew-bench-alarms-XXXXXX");
        if (mkdtemp(dir) == NULL)
            return 1;
    }
    if ((r.ids = calloc((size_t)r.n, sizeof(*r.ids))) == NULL || setup(&r, dir) != 0) {
        fprintf(stderr, "bench_alarms: setup failed: %s\n", ew_store_errmsg(r.s));
        goto out;
    }
    if (pass(&r, EW_KIND_HOUR, ew_civil_to_unix(&day), 3600, 24) != 0)
        goto fail;
    printf("hourly uploads (exceedance at 6%% O2): %ld in %.3f s of hook time: %.0f uploads/s,"
           " %.1f us each\n", r.uploads, r.hook_s, r.uploads / r.hook_s,
           r.hook_s / r.uploads * 1e6);
    if (pass(&r, EW_KIND_MINUTE, ew_civil_to_unix(&day), 600, 144) != 0)
        goto fail;
    printf("10-minute uploads (detection rules):  %ld in %.3f s of hook time: %.0f uploads/s,"
           " %.1f us each\n", r.uploads, r.hook_s, r.uploads / r.hook_s,
           r.hook_s / r.uploads * 1e6);
    ew_store_alarm_each(r.s, &(struct ew_alarm_query){ 0 }, count_alarm, alarms);
    printf("points %d, alarms:", r.n);
    for (int k = 1; k <= EW_ALARM_MAINT; k++)
        if (alarms[k] > 0)
            printf(" %s %ld", ew_alarm_kind_name(k), alarms[k]);
    printf("\n");
    rc = 0;
    goto out;
fail:
    fprintf(stderr, "bench_alarms: %s\n", ew_store_errmsg(r.s));
out:
    ew_alarm_hook.destroy(r.hook);
    ew_store_close(r.s);
    free(r.ids);
    nftw(dir, rm, 8, FTW_DEPTH | FTW_PHYS);
    return rc;
}
