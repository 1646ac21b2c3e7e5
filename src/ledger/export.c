/* SPDX-License-Identifier: MIT */
/*
 * Export of any ledger list: CSV (with a BOM, so Excel opens the UTF-8 as such), .xlsx
 * (xlsx_write.c: dates as Excel dates, numbers as numbers, repeated values through the
 * shared-string table) or JSON. The rows stream from the store without the long texts the
 * columns do not show (EW_LEDGER_FIELDS_LIST); nothing holds the whole list in memory but
 * the output itself.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <envwatch/err.h>
#include <envwatch/ledger.h>

#include "ledger/internal.h"
#include "ledger/xlsx_write.h"
#include "util/buf.h"
#include "util/csv.h"
#include "util/json.h"
#include "util/time.h"

/* The columns of a list, in the order bureaus print them. */
static const char *const headers[] = {
    "编号 code", "类型 kind", "状态 state", "逾期 overdue", "标题 title", "责任单位 unit",
    "县区 county", "责任领导 leader", "政府责任领导 gov_leader", "配合单位 coop_units",
    "类别 category", "来源 source", "涉及对象 subject", "登记 opened", "时限 due",
    "完成 done", "办结 closed", "目标量 qty_target", "完成量 qty_done", "罚款(元) penalty_yuan",
    "级别 level", "ID",
};

/* "YYYY-MM-DD" of t's CST day ("" for 0), without printf: 4 dates a row, 100,000 rows. */
static void
day_text(int64_t t, char out[20])
{
    struct ew_civil c;

    out[0] = '\0';
    if (t == 0)
        return;
    ew_unix_to_civil(t, &c);
    if (c.year < 0 || c.year > 9999) {
        ew_time_fmt_iso(t, out);
        out[10] = '\0';
        return;
    }
    out[0] = (char)('0' + c.year / 1000);
    out[1] = (char)('0' + c.year / 100 % 10);
    out[2] = (char)('0' + c.year / 10 % 10);
    out[3] = (char)('0' + c.year % 10);
    out[4] = out[7] = '-';
    out[5] = (char)('0' + c.month / 10);
    out[6] = (char)('0' + c.month % 10);
    out[8] = (char)('0' + c.day / 10);
    out[9] = (char)('0' + c.day % 10);
    out[10] = '\0';
}

#define TEXT_COLS 13                    /* columns 0..12 are texts (text_column) */
#define CODE_COL 0                      /* code and title seldom repeat: inline in .xlsx */
#define TITLE_COL 4

/* The text of column c < TEXT_COLS: a field of it or a static label. */
static const char *
text_column(const struct ew_ledger_item *it, size_t c)
{
    const char *const v[TEXT_COLS] = {
        it->code, ew_ledger_kind_label(it->kind), ew_ledger_state_label(it->kind, it->state),
        it->overdue ? "是" : "", it->title, it->unit, it->county, it->leader, it->gov_leader,
        it->coop_units, it->category, it->source, it->subject,
    };

    return v[c];
}

/* The text of column c >= TEXT_COLS of an item: dates and numbers ("" for NAN and for a time
 * of 0). out has room for 24 bytes at least. */
static void
number_column(const struct ew_ledger_item *it, size_t c, char *out, size_t len)
{
    char d[20];
    double v;

    out[0] = '\0';
    switch (c) {
    case 13: day_text(it->opened_unix_s, d); ew__ledger_copy(out, len, d); return;
    case 14: day_text(it->due_unix_s, d); ew__ledger_copy(out, len, d); return;
    case 15: day_text(it->done_unix_s, d); ew__ledger_copy(out, len, d); return;
    case 16: day_text(it->closed_unix_s, d); ew__ledger_copy(out, len, d); return;
    case 17: v = it->qty_target; break;
    case 18: v = it->qty_done; break;
    case 19: v = it->penalty_yuan; break;
    case 20: v = it->level > 0 ? it->level : NAN; break;
    default: v = (double)it->id; break;
    }
    if (isnan(v))
        return;
    if (v == floor(v) && fabs(v) < 1e15 && len >= 24) {
        /* integers (ids, levels, most quantities) without printf */
        char digits[24];
        uint64_t u = (uint64_t)fabs(v);
        size_t n = 0, k = 0;
        do {
            digits[n++] = (char)('0' + u % 10);
            u /= 10;
        } while (u > 0);
        if (v < 0)
            out[k++] = '-';
        while (n > 0)
            out[k++] = digits[--n];
        out[k] = '\0';
        return;
    }
    snprintf(out, len, "%.15g", v);
}

int
ew_ledger_item_json(struct ew_buf *b, const struct ew_ledger_item *it)
{
    static const char *const tkeys[] = { "opened", "due", "mark", "done", "closed", "updated" };
    const int64_t tv[] = { it->opened_unix_s, it->due_unix_s, it->mark_unix_s, it->done_unix_s,
                           it->closed_unix_s, it->updated_unix_s };
    const struct { const char *k; const char *v; } s[] = {
        { "code", it->code }, { "title", it->title }, { "body", it->body },
        { "unit", it->unit }, { "county", it->county }, { "leader", it->leader },
        { "gov_leader", it->gov_leader }, { "coop_units", it->coop_units },
        { "category", it->category }, { "source", it->source }, { "subject", it->subject },
        { "kind", ew_ledger_kind_name(it->kind) },
        { "kind_label", ew_ledger_kind_label(it->kind) },
        { "state", ew_ledger_state_name(it->state) },
        { "state_label", ew_ledger_state_label(it->kind, it->state) },
    };
    char t[20];

    ew_buf_printf(b, "{\"id\":%lld,\"overdue\":%s,\"level\":%d,\"extensions\":%d,"
                  "\"penalty_days\":%d,\"parent_id\":%lld", (long long)it->id,
                  it->overdue ? "true" : "false", it->level, it->extensions, it->penalty_days,
                  (long long)it->parent_id);
    for (size_t i = 0; i < EW_ARRAY_LEN(s); i++) {
        ew_buf_addc(b, ',');
        ew_json_key(b, s[i].k);
        ew_json_strz(b, s[i].v);
    }
    for (size_t i = 0; i < EW_ARRAY_LEN(tkeys); i++) {
        ew_buf_addc(b, ',');
        ew_json_key(b, tkeys[i]);
        if (tv[i] == 0) {
            ew_buf_adds(b, "null");
        } else {
            ew_time_fmt_iso(tv[i], t);
            ew_json_strz(b, t);
        }
    }
    ew_buf_adds(b, ",\"qty_target\":");
    ew_json_num(b, it->qty_target, 15);
    ew_buf_adds(b, ",\"qty_done\":");
    ew_json_num(b, it->qty_done, 15);
    ew_buf_adds(b, ",\"penalty_yuan\":");
    ew_json_num(b, it->penalty_yuan, 15);
    /* extra is a JSON object checked by the store on the way in */
    ew_buf_printf(b, ",\"extra\":%s}", it->extra[0] != '\0' ? it->extra : "{}");
    return b->ptr != NULL ? EW_OK : EW_ENOMEM;
}

/* ---- CSV and JSON stream through a buffer flushed to the FILE -------------------------- */

struct text_out {
    FILE         *out;
    struct ew_buf b;
    int           json;
    size_t        rows;
    int           err;
};

static int
flush(struct text_out *o, size_t at_least)
{
    if (o->b.len < at_least)
        return EW_OK;
    if (fwrite(o->b.ptr, 1, o->b.len, o->out) != o->b.len)
        return o->err = EW_EIO;
    ew_buf_reset(&o->b);
    return EW_OK;
}

static int
text_row(void *ctx, const struct ew_ledger_item *it)
{
    struct text_out *o = ctx;
    char v[32];

    if (o->json) {
        if (o->rows > 0)
            ew_buf_addc(&o->b, ',');
        ew_ledger_item_json(&o->b, it);
    } else {
        for (size_t c = 0; c < EW_ARRAY_LEN(headers); c++) {
            if (c > 0)
                ew_buf_addc(&o->b, ',');
            if (c < TEXT_COLS) {
                ew_csv_field(&o->b, text_column(it, c));
            } else {
                number_column(it, c, v, sizeof(v));
                ew_buf_adds(&o->b, v);          /* digits, '-', '.', 'e', '+': no quoting */
            }
        }
        ew_buf_adds(&o->b, "\r\n");
    }
    o->rows++;
    if (o->b.ptr == NULL)
        return o->err = EW_ENOMEM;
    return flush(o, 1 << 16);
}

static int
export_text(struct ew_store *s, const struct ew_ledger_query *q, int json, FILE *out,
            size_t *rows)
{
    struct text_out o = { .out = out, .json = json };
    struct ew_ledger_query list = *q;
    int rc;

    ew_buf_init(&o.b, 1 << 20);
    if (json) {
        ew_buf_addc(&o.b, '[');
    } else {
        ew_buf_adds(&o.b, "\xEF\xBB\xBF");
        for (size_t c = 0; c < EW_ARRAY_LEN(headers); c++) {
            if (c > 0)
                ew_buf_addc(&o.b, ',');
            ew_csv_field(&o.b, headers[c]);
        }
        ew_buf_adds(&o.b, "\r\n");
    }
    list.fields = json ? EW_LEDGER_FIELDS_ALL : EW_LEDGER_FIELDS_LIST;
    rc = ew_store_ledger_item_each(s, &list, text_row, &o);
    if (rc == EW_OK && json)
        ew_buf_addc(&o.b, ']');
    if (rc == EW_OK)
        rc = flush(&o, 0);
    if (rc == EW_OK && o.err != EW_OK)
        rc = o.err;
    ew_buf_fini(&o.b);
    if (rc == EW_OK && rows != NULL)
        *rows = o.rows;
    return rc;
}

/* ---- xlsx: streamed by xlsx_write.c ------------------------------------------------------ */

struct xlsx_out {
    struct ew__xw *w;
    size_t         rows;
};

static int
xlsx_row(void *ctx, const struct ew_ledger_item *it)
{
    struct xlsx_out *o = ctx;
    struct ew__xw *w = o->w;
    const double num[] = { it->qty_target, it->qty_done, it->penalty_yuan };
    const int64_t tm[] = { it->opened_unix_s, it->due_unix_s, it->done_unix_s,
                           it->closed_unix_s };

    o->rows++;
    ew__xw_row(w);
    for (size_t c = 0; c < EW_ARRAY_LEN(headers); c++) {
        if (c == CODE_COL || c == TITLE_COL) {
            ew__xw_str(w, text_column(it, c));
        } else if (c < TEXT_COLS) {
            ew__xw_shared(w, text_column(it, c));
        } else if (c >= 13 && c <= 16) {
            struct ew_civil cv;
            if (tm[c - 13] == 0) {
                ew__xw_skip(w);
                continue;
            }
            ew_unix_to_civil(tm[c - 13], &cv);
            ew__xw_date(w, cv.year, cv.month, cv.day);
        } else if (c >= 17 && c <= 19) {
            ew__xw_num(w, num[c - 17]);
        } else if (c == 20) {
            ew__xw_num(w, it->level > 0 ? it->level : NAN);
        } else {
            ew__xw_num(w, (double)it->id);
        }
    }
    return 0;
}

static int
export_xlsx(struct ew_store *s, const struct ew_ledger_query *q, FILE *out, size_t *rows)
{
    struct xlsx_out o = { NULL, 0 };
    struct ew_ledger_query list = *q;
    int rc, close_rc;

    if ((rc = ew__xw_open(out, &o.w)) != EW_OK)
        return rc;
    ew__xw_row(o.w);
    for (size_t c = 0; c < EW_ARRAY_LEN(headers); c++)
        ew__xw_str(o.w, headers[c]);
    list.fields = EW_LEDGER_FIELDS_LIST;
    rc = ew_store_ledger_item_each(s, &list, xlsx_row, &o);
    close_rc = ew__xw_close(o.w, rc == EW_OK);
    if (rc == EW_OK)
        rc = close_rc;
    if (rc == EW_OK && rows != NULL)
        *rows = o.rows;
    return rc;
}

int
ew_ledger_export(struct ew_store *s, const struct ew_ledger_query *q, const char *format,
                 FILE *out, size_t *rows, char *why, size_t wlen)
{
    int rc;

    if (s == NULL || q == NULL || format == NULL || out == NULL)
        return EW_EINVAL;
    if (strcmp(format, "csv") == 0 || strcmp(format, "json") == 0)
        rc = export_text(s, q, format[0] == 'j', out, rows);
    else if (strcmp(format, "xlsx") == 0)
        rc = export_xlsx(s, q, out, rows);
    else
        return ew__ledger_say(why, wlen, EW_EINVAL, "format must be csv, xlsx or json");
    if (rc != EW_OK)
        ew__ledger_say(why, wlen, rc, "export failed: %s", rc == EW_EIO ? "cannot write"
                       : ew_store_errmsg(s));
    return rc;
}
