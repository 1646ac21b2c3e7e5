/* SPDX-License-Identifier: MIT */
/*
 * The reports from a store holding a year of a city's air rows and a month of its source
 * records: 6 stations, 6 counties and the city with a daily row every day of 2019 and hourly
 * rows on the reported day; 20 stacks with SO2, NOx and dust hourly records for January
 * (44,640 records) and their limits. Each report is made RUNS times in each format; the
 * median wall time is printed with the output size. The store is a temporary SQLite
 * directory filled before timing. Target: any report in well under a second (an HTTP
 * request).
 */
#include <ftw.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <envwatch/air.h>
#include <envwatch/emission.h>
#include <envwatch/err.h>
#include <envwatch/report.h>
#include <envwatch/store.h>

#include "util/buf.h"
#include "util/time.h"

#define RUNS 5
#define N_STATIONS 6
#define N_STACKS 20
#define DAY_S 86400

static const char *const counties[N_STATIONS] = { "城区", "矿区", "郊区", "平定县", "盂县",
                                                   "开发区" };

static double
now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
check(int rc, const char *what)
{
    if (rc != EW_OK) {
        fprintf(stderr, "bench_reports: %s: %s\n", what, ew_strerror(rc));
        exit(1);
    }
    return rc;
}

/* A day row whose AQI follows from its values (as the daemon stores it). */
static void
put_row(struct ew_store *s, int scope, const char *name, const char *county, int period,
        int64_t t, double f)
{
    struct ew_air_day d = { 12 * f, 35 * f, 0.9 * f, 60 * f, 50 * f, 90 * f, 55 * f };
    struct ew_air_row r;

    ew_air_row_init(&r);
    r.scope = scope;
    r.period = period;
    r.t_unix_s = t;
    r.stations = 1;
    snprintf(r.name, sizeof(r.name), "%s", name);
    snprintf(r.county, sizeof(r.county), "%s", county);
    for (int i = 0; i < EW_AIR_NITEMS; i++) {
        r.conc[i] = ew_air_round(ew_air_day_get(&d, i), ew_air_item_decimals(i));
        r.n_valid[i] = 24;
    }
    check(ew_aqi_day(&d, &r.aqi), "aqi");
    check(ew_store_air_put(s, &r), "air row");
}

static void
fill_air(struct ew_store *s)
{
    int64_t start = ew_civil_to_unix(&(struct ew_civil){ 2019, 1, 1, 0, 0, 0 });

    for (int i = 0; i < N_STATIONS; i++) {
        struct ew_point p;
        ew_point_init(&p);
        snprintf(p.mn, sizeof(p.mn), "17%02dA", 38 + i);
        snprintf(p.pw, sizeof(p.pw), "123456");
        snprintf(p.name, sizeof(p.name), "站点%d", i + 1);
        snprintf(p.kind, sizeof(p.kind), "air");
        snprintf(p.county, sizeof(p.county), "%s", counties[i]);
        check(ew_store_point_put(s, &p), "point");
    }
    for (int d = 0; d < 365; d++) {
        double f = 0.6 + 0.8 * fabs(sin(d * 0.37));
        int64_t t = start + (int64_t)d * DAY_S;
        for (int i = 0; i < N_STATIONS; i++) {
            char mn[8];
            snprintf(mn, sizeof(mn), "17%02dA", 38 + i);
            put_row(s, EW_AIR_SCOPE_STATION, mn, counties[i], EW_AIR_PERIOD_DAY, t,
                    f * (0.8 + 0.07 * i));
            put_row(s, EW_AIR_SCOPE_COUNTY, counties[i], counties[i], EW_AIR_PERIOD_DAY, t,
                    f * (0.8 + 0.07 * i));
        }
        put_row(s, EW_AIR_SCOPE_CITY, "", "", EW_AIR_PERIOD_DAY, t, f);
    }
    for (int h = 0; h < 24; h++)
        put_row(s, EW_AIR_SCOPE_CITY, "", "", EW_AIR_PERIOD_HOUR,
                start + 5 * DAY_S + h * 3600, 1 + 0.02 * h);
}

static void
fill_stacks(struct ew_store *s)
{
    static const char *const factors[] = { "a21026", "a21002", "a34013" };
    int64_t start = ew_civil_to_unix(&(struct ew_civil){ 2019, 1, 1, 0, 0, 0 });

    for (int k = 0; k < N_STACKS; k++) {
        struct ew_source_limit lim[3];
        struct ew_point p;
        ew_point_init(&p);
        snprintf(p.mn, sizeof(p.mn), "STACK%02d", k);
        snprintf(p.pw, sizeof(p.pw), "123456");
        snprintf(p.name, sizeof(p.name), "%d#烟囱", k % 2 + 1);
        snprintf(p.kind, sizeof(p.kind), "flue");
        snprintf(p.site, sizeof(p.site), "企业%02d", k / 2);
        snprintf(p.county, sizeof(p.county), "%s", counties[k % N_STATIONS]);
        snprintf(p.extra, sizeof(p.extra), "{\"quota_t\":\"a21026=40;a21002=80\"}");
        p.created_unix_s = start;
        check(ew_store_point_put(s, &p), "stack");
        for (int f = 0; f < 3; f++)
            lim[f] = (struct ew_source_limit){ .point_id = p.id, .limit = 35 + 15 * f,
                                               .limit_lo = NAN, .ref_o2_pct = 6,
                                               .averaging = EW_AVG_HOUR };
        for (int f = 0; f < 3; f++)
            snprintf(lim[f].factor, sizeof(lim[f].factor), "%s", factors[f]);
        check(ew_store_source_limits_set(s, p.id, lim, 3), "limits");
        for (int h = 0; h < 744; h++)
            for (int f = 0; f < 3; f++) {
                struct ew_reading r = { .point_id = p.id, .kind = EW_KIND_HOUR,
                                        .t_unix_s = start + h * 3600, .value = 20 + h % 17,
                                        .min = NAN, .max = NAN, .zs = NAN, .cou = 0.4 };
                int ins;
                snprintf(r.factor, sizeof(r.factor), "%s", factors[f]);
                snprintf(r.flag, sizeof(r.flag), "%s", h % 97 == 0 ? "D" : "N");
                check(ew_store_reading_put(s, &r, &ins), "reading");
            }
    }
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static void
time_report(struct ew_store *s, int kind, int format, const char *period)
{
    struct ew_report_req r = { .kind = kind, .format = format,
                               .now_unix_s = ew_civil_to_unix(&(struct ew_civil){
                                   2019, 2, 1, 9, 0, 0 }) };
    double t[RUNS];
    struct ew_buf b;
    char why[256] = "";

    check(ew_report_period_parse(kind, period, &r), "period");
    ew_buf_init(&b, 256u << 20);
    for (int i = 0; i < RUNS; i++) {
        double t0 = now_s();
        ew_buf_reset(&b);
        if (ew_report_make(s, &r, &b, why, sizeof(why)) != EW_OK) {
            fprintf(stderr, "bench_reports: %s\n", why);
            exit(1);
        }
        t[i] = now_s() - t0;
    }
    qsort(t, RUNS, sizeof(t[0]), cmp_double);
    printf("%-16s %-4s %8.1f ms %9zu bytes\n", ew_report_kind_name(kind), ew_report_ext(format),
           t[RUNS / 2] * 1000, b.len);
    ew_buf_fini(&b);
}

static int
rm(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

int
main(void)
{
    char dir[] = "/tmp/ew-bench-reports-XXXXXX";
    struct ew_store *s;
    double t0;

    if (mkdtemp(dir) == NULL)
        return 1;
    check(ew_store_open(dir, EW_STORE_CREATE, &s), "open");
    t0 = now_s();
    check(ew_store_begin(s), "begin");
    fill_air(s);
    fill_stacks(s);
    check(ew_store_commit(s), "commit");
    printf("store filled in %.1f s (%d air rows, %d source records)\n", now_s() - t0,
           365 * (2 * N_STATIONS + 1) + 24, N_STACKS * 744 * 3);
    for (int f = EW_REPORT_HTML; f <= EW_REPORT_XLSX; f++) {
        time_report(s, EW_REPORT_AIR_DAILY, f, "2019-01-06");
        time_report(s, EW_REPORT_AIR_MONTHLY, f, "2019-12");
        time_report(s, EW_REPORT_SOURCES_MONTHLY, f, "2019-01");
    }
    ew_store_close(s);
    nftw(dir, rm, 8, FTW_DEPTH | FTW_PHYS);
    return 0;
}
