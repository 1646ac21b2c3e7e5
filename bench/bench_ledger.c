/* SPDX-License-Identifier: MIT */
/*
 * bench_ledger: the "100,000 items with their histories list, filter and export in
 * well under a second per request". 100,000 synthetic work items of the five kinds (three
 * history lines each) go into a fresh SQLite store; then each request the dashboard and the
 * clerks make is timed (median of 5 runs) beside a baseline measured in the same run on the
 * same database:
 *   - "SQL": a plain SELECT of the same rows (every column read) through a second, read-only
 *     SQLite connection -- what the request costs below which no code of ours could go;
 *   - for text search, the same search as the table scan it was before the trigram index;
 *   - for the full .xlsx export, also libxlsxwriter (constant_memory mode) writing the same
 *     cells from the same plain SELECT: what the library the project links would cost.
 *
 *   bench_ledger [N_ITEMS [NAME_PART]]   (default 100000; NAME_PART runs only the requests
 *                                         whose name contains it; the store goes to /tmp)
 */
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>
#include <xlsxwriter.h>

#include <envwatch/auth.h>
#include <envwatch/err.h>
#include <envwatch/ledger.h>
#include <envwatch/store.h>

#include "util/buf.h"
#include "util/time.h"

#define RUNS 5
#define DIGEST_NOW 1546272000           /* 2019-01-01 CST */

static const char *const counties[] = { "城区", "矿区", "郊区", "平定县", "盂县", "开发区" };

/* The columns an export shows (all but body and extra), in the store's names. */
#define LIST_COLS                                                                              \
    "id, kind, state, overdue, level, extensions, penalty_days, code, title, unit, county,"    \
    " leader, gov_leader, coop_units, category, source, subject, qty_target, qty_done,"        \
    " penalty_yuan, parent_id, opened_t, due_t, mark_t, done_t, closed_t, updated_t"

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

/* ---- the synthetic ledger ------------------------------------------------------------------ */

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
        snprintf(it.body, sizeof(it.body), "督察组现场检查发现：企业%d 煤场未封闭，物料堆场"
                 "未覆盖，装卸作业无抑尘措施，周边群众反映扬尘严重。", i % 3000);
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

/* ---- our requests -------------------------------------------------------------------------- */

static int
count_one(void *ctx, const struct ew_ledger_item *it)
{
    (void)it;
    (*(int *)ctx)++;
    return 0;
}

/* A page of 50 with its total: what GET /api/v1/ledger/items answers. */
static int
page(struct ew_store *s, const struct ew_ledger_query *q0, int *rows)
{
    struct ew_ledger_query q = *q0;
    int64_t total = 0;
    int n = 0, rc;

    q.limit = 50;
    if ((rc = ew_store_ledger_item_count(s, &q, &total)) != EW_OK ||
        (rc = ew_store_ledger_item_each(s, &q, count_one, &n)) != EW_OK)
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
    int rc;

    if (f == NULL)
        return EW_ENOMEM;
    rc = ew_ledger_export(s, q, fmt, f, &n, NULL, 0);
    fclose(f);
    free(mem);
    *rows = (int)n;
    return rc;
}

static int
counts(struct ew_store *s, const struct ew_ledger_query *q, int *rows)
{
    struct ew_ledger_counts c;
    struct ew_buf b;
    int rc = ew_ledger_counts(s, q, &c);

    if (rc != EW_OK)
        return rc;
    ew_buf_init(&b, 0);
    rc = ew_ledger_counts_json(&b, &c);     /* what the API sends */
    *rows = (int)c.total;
    ew_buf_fini(&b);
    ew_ledger_counts_fini(&c);
    return rc;
}

static int
digest(struct ew_store *s, int *rows)
{
    struct ew_buf b;
    int rc;

    ew_buf_init(&b, 256 << 20);
    rc = ew_ledger_digest(s, DIGEST_NOW, NULL, &b);
    *rows = (int)(b.len / 1024);
    ew_buf_fini(&b);
    return rc;
}

enum op { PAGE, SCAN, COUNTS, EXPORT_CSV, EXPORT_XLSX, EXPORT_XLSX_MASKED, DIGEST };

static int
ours(struct ew_store *s, enum op op, const struct ew_ledger_query *q, int *rows)
{
    struct ew_store_scope masked = { .personal = 0 };
    int rc;

    switch (op) {
    case PAGE:
        return page(s, q, rows);
    case SCAN:
        *rows = 0;
        return ew_store_ledger_item_each(s, q, count_one, rows);
    case COUNTS:
        return counts(s, q, rows);
    case EXPORT_CSV:
        return export(s, q, "csv", rows);
    case EXPORT_XLSX:
        return export(s, q, "xlsx", rows);
    case EXPORT_XLSX_MASKED:            /* a caller who may not see complainants (a leader) */
        if ((rc = ew_store_scope_set(s, &masked)) == EW_OK)
            rc = export(s, q, "xlsx", rows);
        ew_store_scope_set(s, NULL);
        return rc;
    case DIGEST:
        return digest(s, rows);
    }
    return EW_EINVAL;
}

/* ---- baselines ------------------------------------------------------------------------------ */

/* Steps every statement of sql (';'-separated) and reads every column of every row. */
static int
plain_sql(sqlite3 *db, const char *sql, long *sink)
{
    const char *tail = sql;

    while (tail != NULL && *tail != '\0') {
        sqlite3_stmt *st = NULL;
        int rc = sqlite3_prepare_v2(db, tail, -1, &st, &tail);
        if (rc != SQLITE_OK)
            return EW_EIO;
        if (st == NULL)
            break;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            for (int c = 0; c < sqlite3_column_count(st); c++)
                *sink += sqlite3_column_type(st, c) == SQLITE_TEXT
                         ? (long)strlen((const char *)sqlite3_column_text(st, c))
                         : (long)sqlite3_column_int64(st, c);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            return EW_EIO;
    }
    return EW_OK;
}

/* Excel's serial day of the CST day of t. */
static double
serial_day(int64_t t)
{
    return floor((double)(t + 8 * 3600) / 86400.0) + 25569;
}

/* libxlsxwriter, constant_memory mode, the cells of export.c's .xlsx from a plain SELECT. */
static int
libxlsxwriter(sqlite3 *db, const char *dir, long *sink)
{
    static const char *const head[] = {
        "编号 code", "类型 kind", "状态 state", "逾期 overdue", "标题 title",
        "责任单位 unit", "县区 county", "责任领导 leader", "政府责任领导 gov_leader",
        "配合单位 coop_units", "类别 category", "来源 source", "涉及对象 subject",
        "登记 opened", "时限 due", "完成 done", "办结 closed", "目标量 qty_target",
        "完成量 qty_done", "罚款(元) penalty_yuan", "级别 level", "ID",
    };
    char path[300], tmp[300];
    lxw_workbook_options opt = { .constant_memory = LXW_TRUE, .tmpdir = tmp };
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *date;
    sqlite3_stmt *st = NULL;
    lxw_row_t r = 0;
    int rc;

    snprintf(path, sizeof(path), "%s/baseline.xlsx", dir);
    snprintf(tmp, sizeof(tmp), "%s", dir);
    if ((wb = workbook_new_opt(path, &opt)) == NULL)
        return EW_EIO;
    ws = workbook_add_worksheet(wb, "ledger");
    date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    for (lxw_col_t c = 0; c < sizeof(head) / sizeof(head[0]); c++)
        worksheet_write_string(ws, 0, c, head[c], NULL);
    if (sqlite3_prepare_v2(db, "SELECT code, kind, state, overdue, title, unit, county, leader,"
                           " gov_leader, coop_units, category, source, subject, opened_t,"
                           " due_t, done_t, closed_t, qty_target, qty_done, penalty_yuan,"
                           " level, id FROM ledger_item ORDER BY id DESC", -1, &st,
                           NULL) != SQLITE_OK) {
        workbook_close(wb);
        return EW_EIO;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int kind = sqlite3_column_int(st, 1), state = sqlite3_column_int(st, 2);
        const char *text[13] = { (const char *)sqlite3_column_text(st, 0),
                                 ew_ledger_kind_label(kind), ew_ledger_state_label(kind, state),
                                 sqlite3_column_int(st, 3) ? "是" : "" };
        r++;
        for (int c = 4; c < 13; c++)
            text[c] = (const char *)sqlite3_column_text(st, c);
        for (lxw_col_t c = 0; c < 13; c++)
            if (text[c] != NULL && text[c][0] != '\0')
                worksheet_write_string(ws, r, c, text[c], NULL);
        for (lxw_col_t c = 13; c < 17; c++)
            if (sqlite3_column_int64(st, c) != 0)
                worksheet_write_number(ws, r, c, serial_day(sqlite3_column_int64(st, c)), date);
        for (lxw_col_t c = 17; c < 20; c++)
            if (sqlite3_column_type(st, c) != SQLITE_NULL)
                worksheet_write_number(ws, r, c, sqlite3_column_double(st, c), NULL);
        if (sqlite3_column_int(st, 20) > 0)
            worksheet_write_number(ws, r, 20, sqlite3_column_int(st, 20), NULL);
        worksheet_write_number(ws, r, 21, (double)sqlite3_column_int64(st, 21), NULL);
    }
    sqlite3_finalize(st);
    *sink += (long)r;
    if (workbook_close(wb) != LXW_NO_ERROR || rc != SQLITE_DONE)
        return EW_EIO;
    return remove(path) == 0 ? EW_OK : EW_EIO;
}

/* ---- the runs ----------------------------------------------------------------------------- */

struct request {
    const char *name;
    enum op     op;
    struct ew_ledger_query q;
    char        base_sql[700];          /* the baseline's SQL ("" for libxlsxwriter) */
    const char *base_what;
};

static int
cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static double
median(double *t, int n)
{
    qsort(t, (size_t)n, sizeof(*t), cmp);
    return t[n / 2];
}

/* The median of runs of ours (base NULL) or of the baseline. */
static int
timed(struct ew_store *s, sqlite3 *db, const char *dir, const struct request *r, int base,
      int runs, double *ms, int *rows)
{
    double t[RUNS];
    long sink = 0;
    int rc = EW_OK;

    for (int i = 0; i < runs && rc == EW_OK; i++) {
        double a = now_ms();
        if (!base)
            rc = ours(s, r->op, &r->q, rows);
        else if (r->base_sql[0] != '\0')
            rc = plain_sql(db, r->base_sql, &sink);
        else
            rc = libxlsxwriter(db, dir, &sink);
        t[i] = now_ms() - a;
    }
    *ms = median(t, runs);
    return rc;
}

static void
run(struct ew_store *s, sqlite3 *db, const char *dir, const struct request *r)
{
    double mine = 0, base = 0;
    int rows = 0;
    int heavy = r->base_sql[0] == '\0';         /* libxlsxwriter: 3 runs are enough */

    if (timed(s, db, dir, r, 0, RUNS, &mine, &rows) != EW_OK) {
        printf("%-46s failed: %s\n", r->name, ew_store_errmsg(s));
        return;
    }
    if (timed(s, db, dir, r, 1, heavy ? 3 : RUNS, &base, &rows) != EW_OK) {
        printf("%-46s %9.1f ms   baseline failed: %s\n", r->name, mine, sqlite3_errmsg(db));
        return;
    }
    printf("%-46s %9.1f ms %9.1f ms  %s (%d %s)\n", r->name, mine, base, r->base_what, rows,
           r->op == DIGEST ? "KiB" : "items");
}

/* The WHERE of a query in plain SQL, for the baselines (the bench's own literal values). */
static void
make(struct request *r, const char *name, enum op op, struct ew_ledger_query q,
     const char *where, const char *order_limit, const char *what)
{
    r->name = name;
    r->op = op;
    r->q = q;
    r->base_what = what;
    if (op == PAGE)
        snprintf(r->base_sql, sizeof(r->base_sql), "SELECT count(*) FROM ledger_item%s;"
                 " SELECT * FROM ledger_item%s%s", where, where, order_limit);
    else if (op == COUNTS)                  /* one pass; the caller would add the groups up */
        snprintf(r->base_sql, sizeof(r->base_sql),
                 "SELECT kind, state, unit, county, count(*), sum(closed_t = 0), sum(overdue)"
                 " FROM ledger_item%s GROUP BY kind, state, unit, county", where);
    else if (op == SCAN)
        snprintf(r->base_sql, sizeof(r->base_sql), "SELECT * FROM ledger_item%s%s", where,
                 order_limit);
    else if (where != NULL)
        snprintf(r->base_sql, sizeof(r->base_sql), "SELECT " LIST_COLS " FROM ledger_item%s%s",
                 where, order_limit);
    else
        r->base_sql[0] = '\0';
}

int
main(int argc, char **argv)
{
    int n = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 100000;
    const char *only = argc > 2 ? argv[2] : NULL;
    char dir[] = "/tmp/ew-bench-ledger-XXXXXX", db_path[300], w_county[160], w_unit[160];
    char w_text[300], w_short[300], w_running[200], w_ckind[200], w_digest[200];
    struct ew_store *s = NULL;
    sqlite3 *db = NULL;
    struct ew_ledger_query all = { .overdue = -1, .open = -1, .order = 2 };
    struct ew_ledger_query county = all, ckind = all, overdue = all, text = all, running = all;
    struct ew_ledger_query shorttext = all;
    struct request req[17];
    size_t nr = 0;
    const char *newest = " ORDER BY id DESC", *page50 = " ORDER BY id DESC LIMIT 50";
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
    printf("bench_ledger: %d items, %d history lines, inserted in %.0f ms (SQLite %s)\n", n,
           3 * n, now_ms() - t, sqlite3_libversion());
    snprintf(db_path, sizeof(db_path), "%s/envwatch.db", dir);
    if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench_ledger: %s: %s\n", db_path, sqlite3_errmsg(db));
        return 1;
    }

    ckind.county = county.county = "平定县";
    ckind.kinds = 1u << EW_LEDGER_RECTIFY;
    ckind.states = 1ULL << EW_LEDGER_ST_IN_PROGRESS;
    overdue.overdue = 1;
    overdue.unit = "盂县人民政府";
    text.text = "企业2999";
    shorttext.text = "企业";
    running.running = 1;
    running.due_from = 1;
    running.due_to = DIGEST_NOW;
    running.order = 1;
    snprintf(w_county, sizeof(w_county), " WHERE county = '平定县'");
    snprintf(w_ckind, sizeof(w_ckind), " WHERE county = '平定县' AND kind = %d AND state = %d",
             EW_LEDGER_RECTIFY, EW_LEDGER_ST_IN_PROGRESS);
    snprintf(w_unit, sizeof(w_unit), " WHERE unit = '盂县人民政府' AND overdue = 1");
    snprintf(w_running, sizeof(w_running), " WHERE closed_t = 0 AND done_t = 0 AND due_t <> 0"
             " AND due_t >= 1 AND due_t <= %d", DIGEST_NOW);
    snprintf(w_digest, sizeof(w_digest), " WHERE closed_t = 0 AND done_t = 0 AND due_t <> 0"
             " AND due_t >= 1 AND due_t <= %lld",
             (long long)ew_ledger_day_end(DIGEST_NOW, 7));      /* 7: the default due_soon */
    snprintf(w_text, sizeof(w_text), " WHERE instr(code, '企业2999') > 0 OR instr(title,"
             " '企业2999') > 0 OR instr(subject, '企业2999') > 0");
    snprintf(w_short, sizeof(w_short), " WHERE instr(code, '企业') > 0 OR instr(title, '企业')"
             " > 0 OR instr(subject, '企业') > 0");

#define SQL "SQL: the same rows"
    make(&req[nr++], "list: page of 50 + total, no filter", PAGE, all, "", page50, SQL);
    make(&req[nr++], "list: county + kind + state, page + total", PAGE, ckind, w_ckind, page50,
         SQL);
    make(&req[nr++], "list: overdue of one unit, page + total", PAGE, overdue, w_unit, page50,
         SQL);
    make(&req[nr++], "list: running, due before 2019, by due", PAGE, running, w_running,
         " ORDER BY due_t, id LIMIT 50", SQL);
    make(&req[nr++], "search: '企业2999', page + total", PAGE, text, w_text, page50,
         "SQL table scan (before the trigram index)");
    make(&req[nr++], "search: 2 characters '企业' (scan)", PAGE, shorttext, w_short, page50,
         SQL);
    make(&req[nr++], "counts: kind, state, unit, county; all", COUNTS, all, "", "",
         "SQL GROUP BY kind, state, unit, county");
    make(&req[nr++], "counts: kind, state, unit, county; county", COUNTS, county, w_county, "",
         "SQL GROUP BY kind, state, unit, county");
    make(&req[nr++], "read: every item of one county", SCAN, county, w_county, newest, SQL);
    make(&req[nr++], "export: one county to .xlsx", EXPORT_XLSX, county, w_county, newest, SQL);
    make(&req[nr++], "export: one county to CSV", EXPORT_CSV, county, w_county, newest, SQL);
    make(&req[nr++], "digest: overdue + due soon per unit", DIGEST, all, w_digest,
         " ORDER BY due_t, id", SQL);
    make(&req[nr++], "export: all items to CSV", EXPORT_CSV, all, "", newest, SQL);
    make(&req[nr++], "export: all items to .xlsx", EXPORT_XLSX, all, "", newest, SQL);
    make(&req[nr++], "export: all items to .xlsx (libxlsxwriter)", EXPORT_XLSX, all, NULL, "",
         "libxlsxwriter constant_memory, same cells");
    make(&req[nr++], "export: all to .xlsx, masked (not operator)", EXPORT_XLSX_MASKED, all, "",
         newest, SQL);
#undef SQL
    printf("%-46s %12s %12s  %s\n", "request (median of 5)", "ours", "baseline", "baseline is");
    for (size_t i = 0; i < nr; i++)
        if (only == NULL || strstr(req[i].name, only) != NULL)
            run(s, db, dir, &req[i]);
    sqlite3_close(db);
    ew_store_close(s);
    nftw(dir, rm, 8, FTW_DEPTH | FTW_PHYS);
    return 0;
}
