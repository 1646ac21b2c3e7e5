/* SPDX-License-Identifier: MIT */
/*
 * bench_store: batched insert rate of 10-factor hourly readings through ew_store_reading_put
 * (1,000 packets = 10,000 readings per transaction), beside the raw rate of a plain prepared
 * INSERT of the same rows into the same kind of table in the same run: the packed rows the
 * store writes (one per point and hour, key (point, t), WITHOUT ROWID, WAL, same synchronous
 * setting), encoded before the clock starts. The raw rate is the ceiling the ingest daemon
 * is judged against (it must reach 70% of it). A third line inserts the same readings one
 * row per factor (the first layout, key (series, t)) for comparison. Runs alternate to share
 * the machine's noise; the median of the runs is reported.
 *
 * usage: bench_store [--tx N] [--packets N] [--runs N] [--full] [--ckpt-pages N] [--dir DIR]
 *   --ckpt-pages: automatic checkpoint threshold for both (default 10000, the store's; -1 off,
 *   which shows the rates without checkpoint I/O)
 * CPU time per reading is printed beside the rates: it does not depend on what else runs on
 * the machine, the wall-clock rates do.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include <envwatch/err.h>
#include <envwatch/store.h>

#include "store/readrow.h"
#include "util/time.h"

#define FACTORS 10
#define MAX_RUNS 9

/* A city air station's hourly factors (HJ 212 codes). */
static const char *const factors[FACTORS] = { "a34004", "a34002", "a21026", "a21004",
                                              "a05024", "a21005", "a01001", "a01002",
                                              "a01006", "a01007" };

struct plan {
    int         tx, packets, runs, full, ckpt_pages;
    const char *dir;
    int64_t     t0;                     /* first hour */
};

static double
clock_s(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
now_s(void)
{
    return clock_s(CLOCK_MONOTONIC);
}

/* Wall-clock rate and CPU microseconds per reading of one timed pass. */
struct rate {
    double per_s, cpu_us;
};

static struct rate
rate_of(const struct plan *pl, double wall0, double cpu0)
{
    double n = (double)pl->tx * pl->packets * FACTORS;

    return (struct rate){ n / (now_s() - wall0),
                          (clock_s(CLOCK_PROCESS_CPUTIME_ID) - cpu0) * 1e6 / n };
}

/* The reading of (packet, factor) in transaction tx: deterministic, plausible values. */
static void
make_reading(const struct plan *pl, int64_t point_id, int tx, int f, struct ew_reading *r)
{
    double base = 20.0 + (double)((point_id * 7 + f * 13 + tx) % 80);

    *r = (struct ew_reading){ .point_id = point_id, .kind = EW_KIND_HOUR,
                              .t_unix_s = pl->t0 + (int64_t)tx * 3600, .value = base,
                              .min = round(base * 8.0) / 10.0, .max = round(base * 13.0) / 10.0,
                              .cou = NAN, .zs = NAN };     /* one decimal, as instruments send */
    memcpy(r->factor, factors[f], strlen(factors[f]) + 1);
    memcpy(r->flag, "N", 2);
}

static int
die(const char *what, const char *msg)
{
    fprintf(stderr, "bench_store: %s: %s\n", what, msg);
    exit(1);
}

/* ---- raw: a plain prepared INSERT ------------------------------------------------------- */

static sqlite3 *
raw_open(const struct plan *pl, const char *path, const char *create)
{
    char sql[256];
    sqlite3 *db = NULL;

    if (sqlite3_open(path, &db) != SQLITE_OK)
        die(path, sqlite3_errmsg(db));
    /* The settings the store gives its writer (src/store/sqlite.c set_pragmas). */
    snprintf(sql, sizeof(sql), "PRAGMA journal_mode=WAL; PRAGMA synchronous=%s;"
             " PRAGMA cache_size=-65536; PRAGMA secure_delete=FAST;"
             " PRAGMA wal_autocheckpoint=%d", pl->full ? "FULL" : "NORMAL",
             pl->ckpt_pages < 0 ? 0 : pl->ckpt_pages);
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(db, create, NULL, NULL, NULL) != SQLITE_OK)
        die(path, sqlite3_errmsg(db));
    return db;
}

static void
bind_real(sqlite3_stmt *st, int col, double v)
{
    if (isnan(v))
        sqlite3_bind_null(st, col);
    else
        sqlite3_bind_double(st, col, v);
}

static int
cmp_factor(const void *a, const void *b)
{
    return strcmp(((const struct ew_reading *)a)->factor, ((const struct ew_reading *)b)->factor);
}

/* The packed rows of the plan, as the store encodes them; one per (transaction, packet). */
struct blobs {
    unsigned char *p;
    size_t        *len, stride;
};

static void
blobs_make(const struct plan *pl, struct blobs *b)
{
    size_t n = (size_t)pl->tx * (size_t)pl->packets;
    struct ew_reading v[FACTORS];

    b->stride = ew__row_bound(FACTORS);
    b->p = malloc(n * b->stride);
    b->len = malloc(n * sizeof(*b->len));
    if (b->p == NULL || b->len == NULL)
        die("blobs", "out of memory");
    for (int tx = 0; tx < pl->tx; tx++)
        for (int p = 1; p <= pl->packets; p++) {
            size_t i = (size_t)tx * (size_t)pl->packets + (size_t)(p - 1);
            for (int f = 0; f < FACTORS; f++)
                make_reading(pl, p, tx, f, &v[f]);
            qsort(v, FACTORS, sizeof(v[0]), cmp_factor);
            if (ew__row_encode(v, FACTORS, 0, b->p + i * b->stride, &b->len[i]) != EW_OK)
                die("blobs", "cannot encode");
        }
}

static void
step_once(sqlite3 *db, sqlite3_stmt *st)
{
    if (sqlite3_step(st) != SQLITE_DONE)
        die("raw insert", sqlite3_errmsg(db));
    sqlite3_reset(st);
}

/* The packed row of the packet. */
static void
insert_packed(const struct plan *pl, const struct blobs *b, sqlite3 *db, sqlite3_stmt *st,
              int tx, int p)
{
    size_t i = (size_t)tx * (size_t)pl->packets + (size_t)(p - 1);

    sqlite3_bind_int64(st, 1, p);
    sqlite3_bind_int64(st, 2, pl->t0 + (int64_t)tx * 3600);
    sqlite3_bind_blob(st, 3, b->p + i * b->stride, (int)b->len[i], SQLITE_STATIC);
    step_once(db, st);
}

/* The packet's readings one row per factor: the store's first layout, for comparison. */
static void
insert_factor_rows(const struct plan *pl, const struct blobs *b, sqlite3 *db,
                   sqlite3_stmt *st, int tx, int p)
{
    struct ew_reading r;

    (void)b;
    for (int f = 0; f < FACTORS; f++) {
        make_reading(pl, p, tx, f, &r);
        sqlite3_bind_int64(st, 1, (int64_t)p * FACTORS + f);
        sqlite3_bind_int64(st, 2, r.t_unix_s);
        bind_real(st, 3, r.value);
        bind_real(st, 4, r.min);
        bind_real(st, 5, r.max);
        bind_real(st, 6, r.cou);
        bind_real(st, 7, r.zs);
        sqlite3_bind_text(st, 8, r.flag, -1, SQLITE_STATIC);
        step_once(db, st);
    }
}

/* One plain prepared INSERT per row, pl->packets packets per transaction; fn inserts packet
 * p of transaction tx with the prepared statement. */
static struct rate
raw_run(const struct plan *pl, const char *path, const char *create, const char *insert,
        void (*fn)(const struct plan *, const struct blobs *, sqlite3 *, sqlite3_stmt *, int,
                   int),
        const struct blobs *b)
{
    sqlite3 *db = raw_open(pl, path, create);
    sqlite3_stmt *st = NULL;
    struct rate rt;
    double t, cpu;

    if (sqlite3_prepare_v2(db, insert, -1, &st, NULL) != SQLITE_OK)
        die("prepare", sqlite3_errmsg(db));
    t = now_s();
    cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    for (int tx = 0; tx < pl->tx; tx++) {
        sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        for (int p = 1; p <= pl->packets; p++)
            fn(pl, b, db, st, tx, p);
        if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
            die("raw commit", sqlite3_errmsg(db));
    }
    rt = rate_of(pl, t, cpu);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rt;
}

/* ---- the store ------------------------------------------------------------------------------ */

static struct ew_store *
store_open(const struct plan *pl, const char *dir, int64_t *first_id)
{
    struct ew_store_config cfg = { .flags = EW_STORE_CREATE, .sync_full = pl->full,
                                   .autocheckpoint_pages = pl->ckpt_pages };
    struct ew_store *s = NULL;
    char msg[512];

    if (ew_store_open_config(dir, &cfg, &s, msg, sizeof(msg)) != EW_OK)
        die(dir, msg);
    ew_store_begin(s);
    for (int p = 1; p <= pl->packets; p++) {
        struct ew_point pt;
        ew_point_init(&pt);
        snprintf(pt.mn, sizeof(pt.mn), "BENCH%06d", p);
        snprintf(pt.pw, sizeof(pt.pw), "123456");
        snprintf(pt.name, sizeof(pt.name), "bench %d", p);
        snprintf(pt.kind, sizeof(pt.kind), "air");
        if (ew_store_point_put(s, &pt) != EW_OK)
            die("point", ew_store_errmsg(s));
        if (p == 1)
            *first_id = pt.id;
    }
    if (ew_store_commit(s) != EW_OK)
        die("commit", ew_store_errmsg(s));
    return s;
}

/* Puts every reading of the plan; returns readings per second, counts the inserted ones. */
static struct rate
store_pass(const struct plan *pl, struct ew_store *s, int64_t first_id, long *inserted_total,
           double *commit_s_max)
{
    struct ew_reading r;
    double t = now_s(), cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID);

    for (int tx = 0; tx < pl->tx; tx++) {
        double c0;
        if (ew_store_begin(s) != EW_OK)
            die("begin", ew_store_errmsg(s));
        for (int p = 0; p < pl->packets; p++) {
            for (int f = 0; f < FACTORS; f++) {
                int inserted = 0;
                make_reading(pl, first_id + p, tx, f, &r);
                if (ew_store_reading_put(s, &r, &inserted) != EW_OK)
                    die("reading", ew_store_errmsg(s));
                *inserted_total += inserted;
            }
        }
        c0 = now_s();
        if (ew_store_commit(s) != EW_OK)
            die("commit", ew_store_errmsg(s));
        if (now_s() - c0 > *commit_s_max)
            *commit_s_max = now_s() - c0;
    }
    return rate_of(pl, t, cpu);
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static double
median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void
parse(int argc, char **argv, struct plan *pl)
{
    static const struct option o[] = {
        { "tx", required_argument, NULL, 't' },   { "packets", required_argument, NULL, 'p' },
        { "runs", required_argument, NULL, 'r' }, { "full", no_argument, NULL, 'f' },
        { "dir", required_argument, NULL, 'd' },
        { "ckpt-pages", required_argument, NULL, 'c' }, { NULL, 0, NULL, 0 },
    };
    struct ew_civil jan = { 2024, 1, 1, 0, 0, 0 };
    int c;

    *pl = (struct plan){ .tx = 30, .packets = 1000, .runs = 3, .dir = "/tmp",
                         .ckpt_pages = 10000, .t0 = ew_civil_to_unix(&jan) };
    while ((c = getopt_long(argc, argv, "", o, NULL)) != -1) {
        switch (c) {
        case 't': pl->tx = (int)strtol(optarg, NULL, 10); break;
        case 'p': pl->packets = (int)strtol(optarg, NULL, 10); break;
        case 'r': pl->runs = (int)strtol(optarg, NULL, 10); break;
        case 'f': pl->full = 1; break;
        case 'd': pl->dir = optarg; break;
        case 'c': pl->ckpt_pages = (int)strtol(optarg, NULL, 10); break;
        default: exit(2);
        }
    }
    if (pl->tx < 1 || pl->packets < 1 || pl->runs < 1 || pl->runs > MAX_RUNS)
        die("usage", "bench_store [--tx N] [--packets N] [--runs 1-9] [--full] "
            "[--ckpt-pages N] [--dir DIR]");
}

static void
cleanup(const char *dir)
{
    static const char *const files[] = { "envwatch.db", "envwatch.db-wal", "envwatch.db-shm",
                                         "envwatch.db-ckpt", "raw.db", "raw.db-wal",
                                         "raw.db-shm" };
    char path[600];

    for (size_t i = 0; i < EW_ARRAY_LEN(files); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
        unlink(path);
    }
}

/* Median of one field of the runs. */
static double
med(const struct rate *v, int n, int cpu)
{
    double x[MAX_RUNS];

    for (int i = 0; i < n; i++)
        x[i] = cpu ? v[i].cpu_us : v[i].per_s;
    return median(x, n);
}

static void
line(const char *what, const struct rate *v, int n)
{
    printf("  %-34s %9.0f readings/s  %6.2f us CPU/reading\n", what, med(v, n, 0),
           med(v, n, 1));
}

int
main(int argc, char **argv)
{
    struct rate raw[MAX_RUNS], put[MAX_RUNS], dup[MAX_RUNS], rows1[MAX_RUNS];
    struct blobs b;
    double commit_max = 0;
    struct plan pl;
    char dir[512], path[600];
    long rows, ins = 0, dup_ins = 0;

    parse(argc, argv, &pl);
    snprintf(dir, sizeof(dir), "%s/bench_store.XXXXXX", pl.dir);
    if (mkdtemp(dir) == NULL)
        die(dir, "cannot create");
    snprintf(path, sizeof(path), "%s/raw.db", dir);
    rows = (long)pl.tx * pl.packets * FACTORS;
    blobs_make(&pl, &b);
    for (int i = 0; i < pl.runs; i++) {
        struct ew_store *s;
        int64_t first = 0;
        cleanup(dir);
        raw[i] = raw_run(&pl, path, "CREATE TABLE v(point INTEGER NOT NULL, t INTEGER NOT"
                         " NULL, v BLOB NOT NULL, PRIMARY KEY(point, t)) WITHOUT ROWID",
                         "INSERT INTO v VALUES(?1, ?2, ?3)", insert_packed, &b);
        cleanup(dir);
        rows1[i] = raw_run(&pl, path, "CREATE TABLE r(series INTEGER NOT NULL, t INTEGER"
                           " NOT NULL, value REAL, min REAL, max REAL, cou REAL, zs REAL,"
                           " flag TEXT, PRIMARY KEY(series, t)) WITHOUT ROWID",
                           "INSERT INTO r VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                           insert_factor_rows, &b);
        cleanup(dir);
        s = store_open(&pl, dir, &first);
        put[i] = store_pass(&pl, s, first, &ins, &commit_max);
        dup[i] = store_pass(&pl, s, first, &dup_ins, &commit_max);     /* all re-sent */
        ew_store_close(s);
    }
    cleanup(dir);
    rmdir(dir);
    free(b.p);
    free(b.len);
    if (ins != rows * pl.runs || dup_ins != 0)
        die("check", "inserted counts are wrong");
    printf("bench_store: %d transactions x %d packets x %d factors (hourly, %ld readings), "
           "synchronous=%s, autocheckpoint=%d pages, median of %d runs\n", pl.tx, pl.packets,
           FACTORS, rows, pl.full ? "FULL" : "NORMAL", pl.ckpt_pages, pl.runs);
    line("raw INSERT, packed rows (baseline)", raw, pl.runs);
    line("raw INSERT, a row per factor", rows1, pl.runs);
    line("ew_store_reading_put", put, pl.runs);
    line("ew_store_reading_put, all re-sent", dup, pl.runs);
    printf("  ratio store/raw: %.1f %% of the rate, %.1f %% of the CPU cost\n",
           100.0 * med(put, pl.runs, 0) / med(raw, pl.runs, 0),
           100.0 * med(put, pl.runs, 1) / med(raw, pl.runs, 1));
    printf("  slowest commit of %d readings: %.1f ms\n", pl.packets * FACTORS,
           commit_max * 1000.0);
    return 0;
}
