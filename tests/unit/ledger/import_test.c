/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/ledger/import_test.c -- a rectification workbook with deliberate errors: exactly
 * the bad rows are refused, each with its line and reason; a dry run writes nothing, a strict
 * run writes nothing, a normal run writes the good rows (children under their parent). The
 * same ledger as CSV gives the same verdicts; export to .xlsx reads back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <xlsxwriter.h>

#include "ledger/internal.h"
#include "unit/ledger/lfix.h"
#include "util/buf.h"
#include "util/csv.h"

static const char *const header[] = { "编号", "整改任务", "牵头单位", "党委责任领导",
                                       "政府责任领导", "督察批次", "完成时限", "状态",
                                       "上级编号", "级别", "备注" };

/* Rows as the bureau typed them; "@date" cells are written as real Excel dates. */
static const char *const rows[][11] = {
    /* line 2: good */
    { "晋督-001", "煤矸石山自燃治理", "平定县人民政府", "县委书记", "县长", "中央第二轮",
      "@2018-06-30", "整改中", "", "中央", "" },
    /* line 3: a deadline that is not a date */
    { "晋督-002", "焦化企业提标改造", "盂县人民政府", "县委书记", "县长", "中央第二轮",
      "2018年底", "整改中", "", "中央", "" },
    /* line 4: no government leader */
    { "晋督-003", "城中村散煤治理", "城区人民政府", "区委书记", "", "中央第二轮",
      "@2018-10-31", "未启动", "", "中央", "" },
    /* line 5: not a state of a rectification item */
    { "晋督-004", "渣场扬尘", "矿区人民政府", "区委书记", "区长", "中央第二轮", "@2018-09-30",
      "已完成了", "", "中央", "" },
    /* line 6: the code of line 2 again */
    { "晋督-001", "重复录入", "郊区人民政府", "区委书记", "区长", "中央第二轮", "@2018-09-30",
      "整改中", "", "中央", "" },
    /* line 7: good, a task of the issue on line 2 */
    { "晋督-001-1", "第一批矸石山覆土", "平定县人民政府", "县委书记", "县长", "中央第二轮",
      "@2018-05-31", "整改中", "晋督-001", "中央", "先行" },
    /* line 8: a parent that does not exist */
    { "晋督-005-1", "不存在的上级", "平定县人民政府", "县委书记", "县长", "中央第二轮",
      "@2018-05-31", "整改中", "晋督-999", "中央", "" },
    /* line 9: good, text date and a closed state */
    { "晋督-006", "河道垃圾清理", "郊区人民政府", "区委书记", "区长", "省回头看", "2019/3/31",
      "已销号", "", "省级", "" },
};

static const size_t bad_lines[] = { 3, 4, 5, 6, 8 };

static void
write_workbook(const char *path)
{
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "整改台账");
    lxw_format *date = workbook_add_format(wb);

    format_set_num_format(date, "yyyy\"年\"m\"月\"d\"日\"");
    for (lxw_col_t c = 0; c < EW_ARRAY_LEN(header); c++)
        worksheet_write_string(ws, 0, c, header[c], NULL);
    for (lxw_row_t r = 0; r < EW_ARRAY_LEN(rows); r++) {
        for (lxw_col_t c = 0; c < EW_ARRAY_LEN(header); c++) {
            const char *v = rows[r][c];
            lxw_datetime dt = { 0 };
            if (v[0] == '\0')
                continue;
            if (v[0] == '@' && sscanf(v + 1, "%d-%d-%d", &dt.year, &dt.month, &dt.day) == 3)
                worksheet_write_datetime(ws, r + 1, c, &dt, date);
            else
                worksheet_write_string(ws, r + 1, c, v, NULL);
        }
    }
    assert_int_equal(LXW_NO_ERROR, workbook_close(wb));
}

static char *
slurp(const char *path, size_t *len)
{
    FILE *in = fopen(path, "rb");
    char *buf;
    long n;

    assert_non_null(in);
    fseek(in, 0, SEEK_END);
    n = ftell(in);
    fseek(in, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal((size_t)n, fread(buf, 1, (size_t)n, in));
    fclose(in);
    *len = (size_t)n;
    return buf;
}

struct report {
    size_t lines[32];
    char   text[32][200];
    size_t n;
};

static void
on_bad(void *ctx, size_t line, const char *column, const char *why)
{
    struct report *r = ctx;

    if (r->n < EW_ARRAY_LEN(r->lines)) {
        r->lines[r->n] = line;
        snprintf(r->text[r->n], sizeof(r->text[0]), "%s: %s", column, why);
        r->n++;
    }
}

static int64_t
count_items(struct ew_store *s)
{
    struct ew_ledger_query q = { .overdue = -1, .open = -1 };
    int64_t n = -1;

    assert_int_equal(EW_OK, ew_store_ledger_item_count(s, &q, &n));
    return n;
}

static struct ew_ledger_import_opts
opts(int dry, int strict)
{
    struct ew_ledger_import_opts o = { .kind = EW_LEDGER_RECTIFY, .dry_run = dry,
                                       .strict = strict, .who = lfx_inspector,
                                       .now_unix_s = lfx_t(2019, 4, 1, 9, 0) };
    return o;
}

/* Exactly the bad rows, once each, and the reasons a clerk can act on. */
static void
check_report(const struct report *r)
{
    size_t k = 0;

    assert_int_equal(EW_ARRAY_LEN(bad_lines), r->n);
    for (size_t i = 0; i < r->n; i++) {
        assert_int_equal(bad_lines[k], r->lines[i]);
        k++;
    }
    assert_non_null(strstr(r->text[0], "完成时限: '2018年底' is not a date"));
    assert_non_null(strstr(r->text[1], "government leader is required"));
    assert_non_null(strstr(r->text[2], "状态: '已完成了' is not a state"));
    assert_non_null(strstr(r->text[3], "also on line 2"));
    assert_non_null(strstr(r->text[4], "上级编号: no rectify with the code '晋督-999'"));
}

static void
import_run(struct lfx *f, const char *data, size_t len, struct ew_ledger_import_opts o,
           struct report *rep, struct ew_ledger_import_result *res)
{
    memset(rep, 0, sizeof(*rep));
    assert_int_equal(EW_OK, ew_store_begin(f->s));
    int rc = ew_ledger_import(f->s, data, len, &o, on_bad, rep, res, f->why, sizeof(f->why));
    if (rc != EW_OK)
        fail_msg("import: %d %s", rc, f->why);
    assert_int_equal(EW_OK, ew_store_commit(f->s));
}

static void
workbook_with_errors_rejects_exactly_the_bad_rows(void **state)
{
    struct lfx *f = *state;
    struct ew_ledger_import_result res;
    struct report rep;
    struct ew_ledger_item it, child;
    char path[128];
    size_t len;
    char *data;

    snprintf(path, sizeof(path), "%s/ledger.xlsx", f->dir);
    write_workbook(path);
    data = slurp(path, &len);

    /* Dry run: every bad row explained, nothing written. */
    import_run(f, data, len, opts(1, 0), &rep, &res);
    check_report(&rep);
    assert_int_equal(8, res.rows);
    assert_int_equal(5, res.bad);
    assert_int_equal(0, res.imported);
    assert_int_equal(0, count_items(f->s));

    /* Strict: one bad row is enough to write nothing. */
    import_run(f, data, len, opts(0, 1), &rep, &res);
    assert_int_equal(0, res.imported);
    assert_int_equal(0, count_items(f->s));

    /* Normal: the three good rows, the task under its issue, dates read as dates. */
    import_run(f, data, len, opts(0, 0), &rep, &res);
    check_report(&rep);
    assert_int_equal(3, res.imported);
    assert_int_equal(3, count_items(f->s));
    assert_int_equal(EW_OK, ew_store_ledger_item_find(f->s, "晋督-001", &it));
    assert_int_equal(lfx_end(2018, 6, 30), it.due_unix_s);
    assert_int_equal(EW_LEDGER_ST_IN_PROGRESS, it.state);
    assert_int_equal(1, it.level);
    assert_int_equal(EW_OK, ew_store_ledger_item_find(f->s, "晋督-001-1", &child));
    assert_int_equal(it.id, child.parent_id);
    assert_int_equal(EW_OK, ew_store_ledger_item_find(f->s, "晋督-006", &it));
    assert_int_equal(EW_LEDGER_ST_CLOSED, it.state);
    assert_int_equal(lfx_end(2019, 3, 31), it.due_unix_s);
    assert_true(it.closed_unix_s > 0);

    /* Importing the same file again: every code is taken now. */
    import_run(f, data, len, opts(1, 0), &rep, &res);
    assert_int_equal(8, res.bad);
    free(data);
}

static void
csv_ledger_gives_the_same_verdicts(void **state)
{
    struct lfx *f = *state;
    struct ew_ledger_import_result res;
    struct report rep;
    struct ew_buf b;

    ew_buf_init(&b, 1 << 20);
    ew_buf_adds(&b, "\xEF\xBB\xBF");
    for (size_t c = 0; c < EW_ARRAY_LEN(header); c++) {
        ew_buf_adds(&b, c ? "," : "");
        ew_csv_field(&b, header[c]);
    }
    ew_buf_adds(&b, "\r\n");
    for (size_t r = 0; r < EW_ARRAY_LEN(rows); r++) {
        for (size_t c = 0; c < EW_ARRAY_LEN(header); c++) {
            ew_buf_adds(&b, c ? "," : "");
            ew_csv_field(&b, rows[r][c] + (rows[r][c][0] == '@'));
        }
        ew_buf_adds(&b, "\r\n");
    }
    import_run(f, b.ptr, b.len, opts(0, 0), &rep, &res);
    check_report(&rep);
    assert_int_equal(3, res.imported);
    ew_buf_fini(&b);
}

static void
mapping_names_other_headers_and_bad_files_are_refused(void **state)
{
    struct lfx *f = *state;
    struct ew_ledger_import_result res = { 99, 99, 99 };
    struct ew_ledger_import_opts o = opts(0, 0);
    struct ew_ledger_item it;
    struct report rep = { 0 };
    const char *csv = "No.,Issue,Lead,P,G,Round\nX-1,water,平定县人民政府,a,b,central\n";

    o.kind = EW_LEDGER_RECTIFY;
    assert_int_equal(EW_EINVAL, ew_ledger_import(f->s, csv, strlen(csv), &o, on_bad, &rep,
                                                 &res, NULL, 0));
    assert_int_equal(99, res.rows);                 /* untouched on error */
    o.mapping = "No.=code,Issue=title,Lead=unit,P=leader,G=gov_leader,Round=source";
    assert_int_equal(EW_OK, ew_ledger_import(f->s, csv, strlen(csv), &o, on_bad, &rep, &res,
                                             NULL, 0));
    assert_int_equal(1, res.imported);
    assert_int_equal(EW_OK, ew_store_ledger_item_find(f->s, "X-1", &it));
    assert_string_equal("平定县人民政府", it.unit);
    o.mapping = "No.=cod";
    assert_int_equal(EW_EINVAL, ew_ledger_import(f->s, csv, strlen(csv), &o, on_bad, &rep,
                                                 &res, NULL, 0));
    o.mapping = NULL;
    assert_int_equal(EW_EFORMAT, ew_ledger_import(f->s, "PK\x03\x04garbage", 12, &o, on_bad,
                                                  &rep, &res, NULL, 0));
    o.who = lfx_public;
    assert_int_equal(EW_EDENIED, ew_ledger_import(f->s, csv, strlen(csv), &o, on_bad, &rep,
                                                  &res, NULL, 0));
}

static void
export_to_xlsx_reads_back(void **state)
{
    struct lfx *f = *state;
    struct ew_ledger_query q = { .overdue = -1, .open = -1, .kinds = 1u << EW_LEDGER_TASK };
    struct ew_ledger_item it;
    struct ew__sheet sh;
    char path[128], *data;
    size_t len, n = 0;
    FILE *out;

    for (int i = 0; i < 3; i++) {
        char code[32];
        snprintf(code, sizeof(code), "T-%d", i);
        lfx_item(&it, EW_LEDGER_TASK, code);
        it.due_unix_s = lfx_t(2019, 12, 31, 0, 0);
        it.qty_target = 100 * (i + 1);
        assert_int_equal(EW_OK, ew_ledger_create(f->s, &it, &lfx_operator,
                                                 lfx_t(2019, 1, 2, 9, 0), NULL, NULL, NULL, 0));
    }
    lfx_item(&it, EW_LEDGER_COMPLAINT, "C-1");          /* filtered out by kind */
    assert_int_equal(EW_OK, ew_ledger_create(f->s, &it, &lfx_operator, lfx_t(2019, 1, 2, 9, 0),
                                             NULL, NULL, NULL, 0));
    snprintf(path, sizeof(path), "%s/out.xlsx", f->dir);
    assert_non_null(out = fopen(path, "wb"));
    assert_int_equal(EW_OK, ew_ledger_export(f->s, &q, "xlsx", out, &n, NULL, 0));
    fclose(out);
    assert_int_equal(3, n);
    data = slurp(path, &len);
    assert_int_equal(EW_OK, ew__sheet_xlsx(data, len, &sh, NULL, 0));
    assert_int_equal(4, sh.rows);
    assert_string_equal("编号 code", ew__sheet_cell(&sh, 0, 0));
    assert_string_equal("T-2", ew__sheet_cell(&sh, 3, 0));
    assert_string_equal("攻坚任务", ew__sheet_cell(&sh, 1, 1));
    assert_string_equal("未启动", ew__sheet_cell(&sh, 1, 2));
    assert_string_equal("2019-12-31", ew__sheet_cell(&sh, 1, 14));
    assert_string_equal("300", ew__sheet_cell(&sh, 3, 17));
    ew__sheet_free(&sh);
    free(data);
    assert_int_equal(EW_EINVAL, ew_ledger_export(f->s, &q, "pdf", stdout, NULL, NULL, 0));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(workbook_with_errors_rejects_exactly_the_bad_rows,
                                        lfx_setup, lfx_teardown),
        cmocka_unit_test_setup_teardown(csv_ledger_gives_the_same_verdicts, lfx_setup,
                                        lfx_teardown),
        cmocka_unit_test_setup_teardown(mapping_names_other_headers_and_bad_files_are_refused,
                                        lfx_setup, lfx_teardown),
        cmocka_unit_test_setup_teardown(export_to_xlsx_reads_back, lfx_setup, lfx_teardown),
    };
    return cmocka_run_group_tests_name("ledger/import", tests, NULL, NULL);
}
