/* SPDX-License-Identifier: MIT */
/*
 * Import of the ledgers bureaus already keep in Excel (整改台账, 信访台账, 案件台账 ...):
 * headers are matched to fields by their usual Chinese names, every row is checked whole and
 * every problem reported with its line, and good rows are written one item each. A dry run
 * writes nothing; a strict run writes nothing unless every row is good.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <envwatch/err.h>
#include <envwatch/ledger.h>

#include "ledger/internal.h"
#include "util/time.h"

enum ftype { F_TEXT, F_DATE, F_NUM, F_STATE, F_LEVEL, F_PARENT };

struct field {
    const char *name;
    enum ftype  type;
    size_t      off, size;              /* text fields: where in the item */
    const char *headers;                /* '|'-separated header names */
};

#define TXT(n, f, h) { n, F_TEXT, offsetof(struct ew_ledger_item, f),                          \
                       sizeof(((struct ew_ledger_item *)0)->f), h }
#define OTHER(n, t, h) { n, t, 0, 0, h }

static const struct field fields[] = {
    TXT("code", code, "编号|问题编号|任务编号|案件编号|案卷号|交办编号|受理编号|code"),
    TXT("title", title, "标题|名称|任务名称|问题名称|整改任务|事项|问题|title"),
    TXT("body", body, "内容|问题描述|反馈问题|投诉内容|具体内容|详细情况|body"),
    TXT("unit", unit, "责任单位|牵头单位|承办单位|办理单位|unit"),
    TXT("county", county, "县区|区县|所属县区|属地|county"),
    TXT("leader", leader, "责任领导|党委责任领导|领办领导|河长|leader"),
    TXT("gov_leader", gov_leader, "政府责任领导|政府领导|gov_leader"),
    TXT("coop_units", coop_units, "配合单位|协办单位|coop_units"),
    TXT("category", category, "类别|问题类型|类型|污染类型|category"),
    TXT("source", source, "来源|渠道|督察批次|督察轮次|案件来源|source"),
    TXT("subject", subject, "涉及企业|被投诉单位|当事人|企业名称|河段|subject"),
    OTHER("due", F_DATE, "完成时限|整改时限|办结时限|截止日期|期限|due"),
    OTHER("opened", F_DATE, "登记时间|受理时间|交办时间|立案时间|上报时间|opened"),
    OTHER("closed", F_DATE, "办结时间|销号时间|完成时间|closed"),
    OTHER("state", F_STATE, "状态|办理状态|整改状态|state"),
    OTHER("qty_target", F_NUM, "目标数量|任务量|qty_target"),
    OTHER("qty_done", F_NUM, "完成数量|已完成量|qty_done"),
    OTHER("penalty_yuan", F_NUM, "罚款金额|处罚金额|罚款金额（元）|penalty_yuan"),
    OTHER("level", F_LEVEL, "级别|河长级别|督察级别|level"),
    OTHER("parent", F_PARENT, "上级编号|所属问题编号|parent"),
};

int
ew_ledger_import_fields_each(int (*fn)(void *ctx, const char *field, const char *headers),
                             void *ctx)
{
    for (size_t i = 0; i < EW_ARRAY_LEN(fields); i++) {
        int rc = fn(ctx, fields[i].name, fields[i].headers);
        if (rc != 0)
            return rc;
    }
    return EW_OK;
}

/* ---- header matching ----------------------------------------------------------------------- */

static int
header_in(const char *list, const char *h)
{
    size_t n = strlen(h);

    for (const char *p = list; *p != '\0';) {
        size_t len = strcspn(p, "|");
        if (len == n && n > 0 && memcmp(p, h, n) == 0)
            return 1;
        p += len + (p[len] == '|');
    }
    return 0;
}

static int
field_by_name(const char *name, size_t len)
{
    for (size_t i = 0; i < EW_ARRAY_LEN(fields); i++)
        if (strlen(fields[i].name) == len && memcmp(fields[i].name, name, len) == 0)
            return (int)i;
    return -1;
}

/* The field of header h: the mapping first ("表头=field,..."), then the built-in names. */
static int
field_of(const char *h, const char *mapping, int *field, char *why, size_t wlen)
{
    for (const char *p = mapping; p != NULL && *p != '\0';) {
        size_t len = strcspn(p, ","), hl;
        const char *eq = memchr(p, '=', len);
        if (eq == NULL)
            return ew__ledger_say(why, wlen, EW_EINVAL, "mapping: '%.*s' is not header=field",
                                  (int)len, p);
        hl = (size_t)(eq - p);
        int f = field_by_name(eq + 1, len - hl - 1);
        if (f < 0)
            return ew__ledger_say(why, wlen, EW_EINVAL, "mapping: unknown field '%.*s'",
                                  (int)(len - hl - 1), eq + 1);
        if (hl == strlen(h) && memcmp(p, h, hl) == 0) {
            *field = f;
            return EW_OK;
        }
        p += len + (p[len] == ',');
    }
    *field = -1;
    for (size_t i = 0; i < EW_ARRAY_LEN(fields); i++)
        if (header_in(fields[i].headers, h))
            *field = (int)i;
    return EW_OK;
}

/* ---- cell values ----------------------------------------------------------------------------- */

/* Dates as bureaus write them: 2018-06-30, 2018/6/30, 2018.6.30, 2018年6月30日, 20180630,
 * optionally followed by a time hh:mm[:ss]. */
static int
parse_date(const char *s, int64_t *t)
{
    struct ew_civil c = { 0 };
    const char *p = s;
    char *e;

    if (strlen(s) == 8 && strspn(s, "0123456789") == 8) {
        c.year = (int)strtol((char[]){ s[0], s[1], s[2], s[3], 0 }, NULL, 10);
        c.month = (int)strtol((char[]){ s[4], s[5], 0 }, NULL, 10);
        c.day = (int)strtol((char[]){ s[6], s[7], 0 }, NULL, 10);
    } else {
        c.year = (int)strtol(p, &e, 10);
        if (e == p || e - p != 4)
            return EW_EINVAL;
        p = e;
        if (strncmp(p, "年", 3) == 0)
            p += 3;
        else if (*p == '-' || *p == '/' || *p == '.')
            p++;
        else
            return EW_EINVAL;
        c.month = (int)strtol(p, &e, 10);
        if (e == p)
            return EW_EINVAL;
        p = e;
        if (strncmp(p, "月", 3) == 0)
            p += 3;
        else if (*p == '-' || *p == '/' || *p == '.')
            p++;
        else
            return EW_EINVAL;
        c.day = (int)strtol(p, &e, 10);
        if (e == p)
            return EW_EINVAL;
        p = e;
        if (strncmp(p, "日", 3) == 0)
            p += 3;
        while (*p == ' ' || *p == 'T')
            p++;
        if (*p != '\0' && sscanf(p, "%2d:%2d:%2d", &c.hour, &c.min, &c.sec) < 2)
            return EW_EINVAL;
    }
    if (!ew_civil_valid(&c) || c.year < 2000 || c.year > 2099)
        return EW_EINVAL;
    *t = ew_civil_to_unix(&c);
    return EW_OK;
}

/* A number, with thousands separators allowed; finite and not negative. */
static int
parse_num(const char *s, double *v)
{
    char buf[64], *e;
    size_t n = 0;

    for (const char *p = s; *p != '\0' && n + 1 < sizeof(buf); p++)
        if (*p != ',' && *p != ' ')
            buf[n++] = *p;
    buf[n] = '\0';
    *v = strtod(buf, &e);
    return n > 0 && *e == '\0' && isfinite(*v) && *v >= 0 ? EW_OK : EW_EINVAL;
}

/* River chief levels 1 province .. 5 village; inspection rounds 1 central .. 3 city. */
static int
parse_level(const char *s, int *level)
{
    static const struct {
        const char *name;
        int level;
    } names[] = { { "中央", 1 }, { "省", 1 }, { "省级", 1 }, { "市", 2 }, { "市级", 2 },
                  { "县", 3 }, { "县级", 3 }, { "乡", 4 }, { "乡级", 4 }, { "镇", 4 },
                  { "乡镇", 4 }, { "乡镇级", 4 }, { "村", 5 }, { "村级", 5 } };

    if (strlen(s) == 1 && s[0] >= '1' && s[0] <= '5') {
        *level = s[0] - '0';
        return EW_OK;
    }
    for (size_t i = 0; i < EW_ARRAY_LEN(names); i++)
        if (strcmp(s, names[i].name) == 0) {
            *level = names[i].level;
            return EW_OK;
        }
    return EW_EINVAL;
}

/* ---- codes seen in this file ---------------------------------------------------------------- */

struct codes {
    char  **key;
    size_t *row;                        /* sheet row of the first use */
    size_t  cap;                        /* a power of two */
};

static uint64_t
hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;

    while (*s != '\0')
        h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
    return h;
}

static size_t *
codes_slot(struct codes *c, const char *code, int insert, size_t row)
{
    for (size_t i = hash(code) & (c->cap - 1);; i = (i + 1) & (c->cap - 1)) {
        if (c->key[i] == NULL) {
            if (!insert || (c->key[i] = strdup(code)) == NULL)
                return NULL;
            c->row[i] = row;
            return &c->row[i];
        }
        if (strcmp(c->key[i], code) == 0)
            return &c->row[i];
    }
}

/* ---- one row ------------------------------------------------------------------------------- */

struct run {
    struct ew_store                    *s;
    const struct ew_ledger_import_opts *o;
    const struct ew__sheet             *sh;
    const int                          *col_field;
    struct codes                        codes;
    int64_t                            *ids;        /* item id per sheet row (after write) */
    int64_t                            *parent_row; /* sheet row of a parent in this file */
    void (*bad)(void *, size_t, const char *, const char *);
    void                               *ctx;
};

static int
complain(struct run *r, size_t row, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
complain(struct run *r, size_t row, size_t col, const char *fmt, ...)
{
    char msg[400];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (r->bad != NULL)
        r->bad(r->ctx, r->sh->line[row], col < r->sh->cols ? ew__sheet_cell(r->sh, 0, col) : "",
               msg);
    return 1;
}

static int
set_cell(struct run *r, size_t row, size_t col, const struct field *f, const char *v,
         struct ew_ledger_item *it)
{
    struct ew_ledger_item found;
    int64_t t;
    double num;
    int n;

    switch (f->type) {
    case F_TEXT:
        if (strlen(v) >= f->size)
            return complain(r, row, col, "longer than %zu bytes", f->size - 1);
        memcpy((char *)it + f->off, v, strlen(v) + 1);
        return 0;
    case F_DATE:
        if (parse_date(v, &t) != EW_OK)
            return complain(r, row, col, "'%s' is not a date (2018-06-30, 2018/6/30, "
                            "2018年6月30日)", v);
        if (strcmp(f->name, "due") == 0)
            it->due_unix_s = t;
        else if (strcmp(f->name, "opened") == 0)
            it->opened_unix_s = t;
        else
            it->closed_unix_s = it->done_unix_s = t;
        return 0;
    case F_NUM:
        if (parse_num(v, &num) != EW_OK)
            return complain(r, row, col, "'%s' is not a number of 0 or more", v);
        if (strcmp(f->name, "qty_target") == 0)
            it->qty_target = num;
        else if (strcmp(f->name, "qty_done") == 0)
            it->qty_done = num;
        else
            it->penalty_yuan = num;
        return 0;
    case F_STATE:
        if (ew_ledger_state_parse(it->kind, v, &n) != EW_OK)
            return complain(r, row, col, "'%s' is not a state of a %s", v,
                            ew_ledger_kind_name(it->kind));
        it->state = n;
        return 0;
    case F_LEVEL:
        if (parse_level(v, &n) != EW_OK)
            return complain(r, row, col, "'%s' is not a level (1-5, 省 市 县 乡 村)", v);
        it->level = n;
        return 0;
    case F_PARENT: {
        size_t *at = codes_slot(&r->codes, v, 0, 0);
        if (at != NULL && *at < row) {
            r->parent_row[row] = (int64_t)*at;
            return 0;
        }
        if (ew_store_ledger_item_find(r->s, v, &found) == EW_OK && found.kind == it->kind) {
            it->parent_id = found.id;
            return 0;
        }
        return complain(r, row, col, "no %s with the code '%s' in the ledger or above this "
                        "row", ew_ledger_kind_name(it->kind), v);
    }
    }
    return 0;
}

/* Reads and checks one row; returns the number of problems reported. */
static int
read_row(struct run *r, size_t row, struct ew_ledger_item *it)
{
    struct ew_ledger_item found;
    char why[300];
    int bad = 0;

    ew_ledger_item_init(it, r->o->kind);
    for (size_t c = 0; c < r->sh->cols; c++) {
        const char *v = ew__sheet_cell(r->sh, row, c);
        if (r->col_field[c] < 0 || v[0] == '\0')
            continue;
        bad += set_cell(r, row, c, &fields[r->col_field[c]], v, it);
    }
    if (bad == 0) {
        ew__ledger_prepare_new(it, r->o->now_unix_s, r->o->rules);
        if (ew_ledger_item_check(it, why, sizeof(why)) != EW_OK)
            bad += complain(r, row, SIZE_MAX, "%s", why);
    }
    if (it->code[0] != '\0') {
        size_t *first = codes_slot(&r->codes, it->code, 1, row);
        if (first == NULL)
            return bad + complain(r, row, SIZE_MAX, "out of memory");
        if (*first != row)
            bad += complain(r, row, SIZE_MAX, "the code '%s' is also on line %zu", it->code,
                            r->sh->line[*first]);
        else if (ew_store_ledger_item_find(r->s, it->code, &found) == EW_OK)
            bad += complain(r, row, SIZE_MAX, "the code '%s' is already in the ledger (item "
                            "%lld)", it->code, (long long)found.id);
    }
    return bad;
}

static int
write_row(struct run *r, size_t row, struct ew_ledger_item *it, const char *fmt_name)
{
    struct ew_ledger_event ev;
    int rc;

    if (r->parent_row[row] > 0) {
        int64_t pid = r->ids[r->parent_row[row]];
        if (pid <= 0)
            return EW_ENOTFOUND;        /* the parent row was refused */
        it->parent_id = pid;
    }
    ew__ledger_event_init(&ev, &r->o->who, "import", r->o->now_unix_s);
    ev.to_state = it->state;
    snprintf(ev.note, sizeof(ev.note), "%s line %zu", fmt_name, r->sh->line[row]);
    if ((rc = ew_store_ledger_item_add(r->s, it, &ev)) != EW_OK)
        return rc;
    r->ids[row] = it->id;
    return EW_OK;
}

/* ---- the whole file -------------------------------------------------------------------------- */

static int
map_header(struct run *r, int *col_field, char *why, size_t wlen)
{
    int rc, any = 0;

    for (size_t c = 0; c < r->sh->cols; c++) {
        if ((rc = field_of(ew__sheet_cell(r->sh, 0, c), r->o->mapping, &col_field[c], why,
                           wlen)) != EW_OK)
            return rc;
        for (size_t k = 0; k < c && col_field[c] >= 0; k++)
            if (col_field[k] == col_field[c])
                return ew__ledger_say(why, wlen, EW_EINVAL, "columns '%s' and '%s' both map to "
                                      "%s", ew__sheet_cell(r->sh, 0, k),
                                      ew__sheet_cell(r->sh, 0, c), fields[col_field[c]].name);
        any |= col_field[c] >= 0 && strcmp(fields[col_field[c]].name, "title") == 0;
    }
    if (!any)
        return ew__ledger_say(why, wlen, EW_EINVAL, "no column maps to the title (标题, 名称, "
                              "问题 ...); give a mapping");
    return EW_OK;
}

static int
load(const void *data, size_t len, const char *format, struct ew__sheet *sh, char *why,
     size_t wlen)
{
    int xlsx = format != NULL ? strcmp(format, "xlsx") == 0
                              : len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0;

    if (format != NULL && !xlsx && strcmp(format, "csv") != 0)
        return ew__ledger_say(why, wlen, EW_EINVAL, "format must be csv or xlsx");
    return xlsx ? ew__sheet_xlsx(data, len, sh, why, wlen) : ew__sheet_csv(data, len, sh, why,
                                                                           wlen);
}

static int
run_rows(struct run *r, struct ew_ledger_import_result *res, const char *fmt_name)
{
    struct ew_ledger_item *items = NULL;
    unsigned char *ok = calloc(r->sh->rows, 1);
    int rc = EW_OK;

    items = malloc(sizeof(*items));
    if (ok == NULL || items == NULL) {
        free(ok);
        free(items);
        return EW_ENOMEM;
    }
    /* Pass 1 checks every row; pass 2 writes the good ones, re-reading each row. */
    for (size_t row = 1; row < r->sh->rows; row++) {
        res->rows++;
        ok[row] = read_row(r, row, items) == 0;
        res->bad += !ok[row];
    }
    if (!r->o->dry_run && !(r->o->strict && res->bad > 0)) {
        for (size_t i = 0; i < r->codes.cap; i++) {
            free(r->codes.key[i]);
            r->codes.key[i] = NULL;
        }
        for (size_t row = 1; rc == EW_OK && row < r->sh->rows; row++) {
            void (*keep)(void *, size_t, const char *, const char *) = r->bad;
            if (!ok[row])
                continue;
            r->bad = NULL;              /* already reported in pass 1 */
            int again = read_row(r, row, items);
            r->bad = keep;
            rc = again == 0 ? write_row(r, row, items, fmt_name) : EW_ENOTFOUND;
            if (rc == EW_ENOTFOUND) {
                complain(r, row, SIZE_MAX, "its parent row was refused");
                res->bad++;
                rc = EW_OK;
                continue;
            }
            res->imported += rc == EW_OK;
        }
    }
    free(ok);
    free(items);
    return rc;
}

int
ew_ledger_import(struct ew_store *s, const void *data, size_t len,
                 const struct ew_ledger_import_opts *o,
                 void (*bad)(void *ctx, size_t line, const char *column, const char *why),
                 void *ctx, struct ew_ledger_import_result *res, char *why, size_t wlen)
{
    struct ew_ledger_import_result out = { 0, 0, 0 };
    struct ew__sheet sh;
    struct run r = { .s = s, .o = o, .sh = &sh, .bad = bad, .ctx = ctx };
    int *col_field = NULL, rc;
    size_t cap = 1024;

    if (s == NULL || data == NULL || o == NULL || res == NULL)
        return EW_EINVAL;
    if (o->kind <= EW_LEDGER_KIND_NONE || o->kind >= EW_LEDGER_KIND_COUNT)
        return ew__ledger_say(why, wlen, EW_EINVAL, "unknown kind");
    if (o->who.name == NULL || o->who.name[0] == '\0' || strcmp(o->who.role, "public") == 0 ||
        !ew__ledger_may_register(o->kind, o->who.role))
        return ew__ledger_say(why, wlen, EW_EDENIED, "the role '%s' may not import %s items",
                              o->who.role != NULL ? o->who.role : "",
                              ew_ledger_kind_name(o->kind));
    if ((rc = load(data, len, o->format, &sh, why, wlen)) != EW_OK)
        return rc;
    while (cap < 2 * sh.rows)
        cap *= 2;
    col_field = calloc(sh.cols, sizeof(*col_field));
    r.codes.key = calloc(cap, sizeof(*r.codes.key));
    r.codes.row = calloc(cap, sizeof(*r.codes.row));
    r.codes.cap = cap;
    r.ids = calloc(sh.rows, sizeof(*r.ids));
    r.parent_row = calloc(sh.rows, sizeof(*r.parent_row));
    if (col_field == NULL || r.codes.key == NULL || r.codes.row == NULL || r.ids == NULL ||
        r.parent_row == NULL)
        rc = EW_ENOMEM;
    if (rc == EW_OK && (rc = map_header(&r, col_field, why, wlen)) == EW_OK) {
        r.col_field = col_field;
        rc = run_rows(&r, &out, o->format != NULL ? o->format : "row");
        if (rc != EW_OK)
            ew__ledger_say(why, wlen, rc, "%s", ew_store_errmsg(s));
    }
    for (size_t i = 0; r.codes.key != NULL && i < r.codes.cap; i++)
        free(r.codes.key[i]);
    free(r.codes.key);
    free(r.codes.row);
    free(r.ids);
    free(r.parent_row);
    free(col_field);
    ew__sheet_free(&sh);
    if (rc == EW_OK)
        *res = out;
    return rc;
}
