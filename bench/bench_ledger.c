/* SPDX-License-Identifier: MIT */
/*
 * bench_ledger: 100,000 synthetic work items with their histories (3 history lines each) in
 * a fresh SQLite store, then the requests the dashboard and the clerks make, each timed as
 * the median of 5 runs: a page of the list with its total, filtered pages (county + kind +
 * state, overdue, text search), the digest, and exports of a county's list and of all items
 * to CSV and .xlsx.
 *
 *   bench_ledger [N_ITEMS]        (default 100000; the store goes to a temporary folder)
 */
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <envwatch/err.h>
#include <envwatch/ledger.h>
#include <envwatch/store.h>

#include "util/buf.h"
#include "util/time.h"

static const char *const counties[] = { "城区", "矿区", "郊区", "平定县", "盂县", "开发区" };

static double
now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
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
fill(struct ew_store *s, int n)
{
    static const int kinds[] = { EW_LEDGER_TASK, EW_LEDGER_RECTIFY, EW_LEDGER_COMPLAINT,
                                 EW_LEDGER_CASE, EW_LEDGER_RIVER };
    static const int states[][3] = {
        [EW_LEDGER_TASK] = { EW_LEDGER_ST_NOT_STARTED, EW_LEDGER_ST_IN_PROGRESS,
                             EW_LEDGER_ST_CLOSED },
        [EW_LEDGER_RECTIFY] = { EW_LEDGER_ST_IN_PROGRESS, EW_LEDGER_ST_SUBMITTED,
                                EW_LEDGER_ST_CLOSED },
        [EW_LEDGER_COMPLAINT] = { EW_LEDGER_ST_ADMITTED, EW_LEDGER_ST_HANDLING,
                                  EW_LEDGER_ST_CLOSED },
        [EW_LEDGER_CASE] = { EW_LEDGER_ST_FILED, EW_LEDGER_ST_DECIDED, EW_LEDGER_ST_CLOSED },
        [EW_LEDGER_RIVER] = { EW_LEDGER_ST_DISPATCHED, EW_LEDGER_ST_HANDLING,
                              EW_LEDGER_ST_CLOSED },
    };
    int64_t t0 = 1514736000;            /* 2018-01-01 CST */
    struct ew_ledger_item it;
    struct ew_ledger_event ev = { .action = "register", .actor = "bench", .role = "operator" };
    int rc = ew_store_begin(s);

    srand(7);
    for (int i = 0; rc == EW_OK && i < n; i++) {
        int k = kinds[i % 5], st = states[k][rand() % 3];
        ew_ledger_item_init(&it, k);
        it.state = st;
        snprintf(it.code, sizeof(it.code), "B-%07d", i);
        snprintf(it.title, sizeof(it.title), "整改任务 %d 某企业无组织排放治理", i);
        snprintf(it.unit, sizeof(it.unit), "%s人民政府", counties[i % 6]);
        snprintf(it.county, sizeof(it.county), "%s", counties[i % 6]);
        snprintf(it.leader, sizeof(it.leader), "领导%d", i % 50);
        snprintf(it.gov_leader, sizeof(it.gov_leader), "副职%d", i % 50);
        snprintf(it.source, sizeof(it.source), "12369");
        snprintf(it.category, sizeof(it.category), "air");
        snprintf(it.subject, sizeof(it.subject), "企业%d", i % 3000);
        it.level = k == EW_LEDGER_RIVER ? 5 : 0;
        it.opened_unix_s = t0 + (int64_t)(i % 700) * 86400;
        it.due_unix_s = ew_ledger_day_end(it.opened_unix_s, 30 + i % 90);
        it.overdue = st != EW_LEDGER_ST_CLOSED && i % 7 == 0;
        it.closed_unix_s = st == EW_LEDGER_ST_CLOSED ? it.due_unix_s - 86400 : 0;
        it.done_unix_s = it.closed_unix_s;
        ev.at_ms = it.opened_unix_s * 1000;
        ev.to_state = st;
        if ((rc = ew_store_ledger_item_add(s, &it, &ev)) != EW_OK)
            break;
        for (int e = 0; rc == EW_OK && e < 2; e++) {
            struct ew_ledger_event c = ev;
            c.item_id = it.id;
            snprintf(c.action, sizeof(c.action), e ? "progress" : "start");
            snprintf(c.note, sizeof(c.note), "第%d次进展：已完成现场核查", e + 1);
            rc = ew_store_ledger_event_add(s, &c);
        }
    }
    return rc == EW_OK ? ew_store_commit(s) : rc;
}

struct page {
    int n;
};

static int
count_one(void *ctx, const struct ew_ledger_item *it)
{
    (void)it;
    ((struct page *)ctx)->n++;
    return 0;
}

/* A page of 50 with its total: what GET /api/v1/ledger/items answers. */
static int
page(struct ew_store *s, const struct ew_ledger_query *q0, int *rows)
{
    struct ew_ledger_query q = *q0;
    struct page p = { 0 };
    int64_t total = 0;
    int rc;

    q.limit = 50;
    if ((rc = ew_store_ledger_item_count(s, &q, &total)) != EW_OK ||
        (rc = ew_store_ledger_item_each(s, &q, count_one, &p)) != EW_OK)
        return rc;
    *rows = (int)total;
    return EW_OK;
}

static int
export(struct ew_store *s, const struct ew_ledger_query *q, const char *fmt, int *rows)
{
    char *mem = NULL;
    size_t len = 0, n = 0;
    FILE *f = open_memstream(&mem, &len);
    int rc = ew_ledger_export(s, q, fmt, f, &n, NULL, 0);

    fclose(f);
    free(mem);
    *rows = (int)n;
    return rc;
}

static int
digest(struct ew_store *s, int *rows)
{
    struct ew_buf b;
    int rc;

    ew_buf_init(&b, 256 << 20);
    rc = ew_ledger_digest(s, 1546272000, NULL, &b);   /* 2019-01-01 */
    *rows = (int)(b.len / 1024);
    ew_buf_fini(&b);
    return rc;
}

static int
cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

enum op { PAGE, SCAN, EXPORT_CSV, EXPORT_XLSX, DIGEST };

static void
run(struct ew_store *s, const char *name, enum op op, const struct ew_ledger_query *q)
{
    double t[5];
    int rows = 0, rc = EW_OK;

    for (int i = 0; i < 5 && rc == EW_OK; i++) {
        double a = now_ms();
        struct page p = { 0 };
        rc = op == PAGE ? page(s, q, &rows)
           : op == SCAN ? ew_store_ledger_item_each(s, q, count_one, &p)
           : op == EXPORT_CSV ? export(s, q, "csv", &rows)
           : op == EXPORT_XLSX ? export(s, q, "xlsx", &rows) : digest(s, &rows);
        t[i] = now_ms() - a;
        if (op == SCAN)
            rows = p.n;
    }
    if (rc != EW_OK) {
        printf("%-44s failed: %s\n", name, ew_store_errmsg(s));
        return;
    }
    qsort(t, 5, sizeof(t[0]), cmp);
    printf("%-44s %9.1f ms  (%d %s)\n", name, t[2], rows, op == DIGEST ? "KiB" : "rows");
}

int
main(int argc, char **argv)
{
    int n = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 100000;
    char dir[] = "/tmp/ew-bench-ledger-XXXXXX";
    struct ew_store *s = NULL;
    struct ew_ledger_query all = { .overdue = -1, .open = -1, .order = 2 };
    struct ew_ledger_query county = all, overdue = all, text = all, running = all;
    double t;

    if (n <= 0 || mkdtemp(dir) == NULL || ew_store_open(dir, EW_STORE_CREATE, &s) != EW_OK) {
        fprintf(stderr, "bench_ledger: cannot make a store\n");
        return 1;
    }
    t = now_ms();
    if (fill(s, n) != EW_OK) {
        fprintf(stderr, "bench_ledger: fill: %s\n", ew_store_errmsg(s));
        return 1;
    }
    printf("bench_ledger: %d items, %d history lines, inserted in %.0f ms\n", n, 3 * n,
           now_ms() - t);
    county.county = "平定县";
    county.kinds = 1u << EW_LEDGER_RECTIFY;
    county.states = 1ULL << EW_LEDGER_ST_IN_PROGRESS;
    overdue.overdue = 1;
    overdue.unit = "盂县人民政府";
    text.text = "企业2999";
    running.running = 1;
    running.due_from = 1;
    running.due_to = 1546272000;
    running.order = 1;
    run(s, "list: page of 50 + total, no filter", PAGE, &all);
    run(s, "list: county + kind + state, page + total", PAGE, &county);
    run(s, "list: overdue of one unit, page + total", PAGE, &overdue);
    run(s, "list: running, due before 2019, by due", PAGE, &running);
    run(s, "list: text search, page + total", PAGE, &text);
    county.states = 0;
    county.kinds = 0;
    run(s, "read: every item of one county (no output)", SCAN, &county);
    run(s, "export: one county to .xlsx", EXPORT_XLSX, &county);
    run(s, "export: one county to CSV", EXPORT_CSV, &county);
    run(s, "digest: overdue + due soon per unit", DIGEST, NULL);
    run(s, "export: all items to CSV", EXPORT_CSV, &all);
    run(s, "export: all items to .xlsx", EXPORT_XLSX, &all);
    ew_store_close(s);
    nftw(dir, rm, 8, FTW_DEPTH | FTW_PHYS);
    return 0;
}
