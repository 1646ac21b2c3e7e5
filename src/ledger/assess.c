/* SPDX-License-Identifier: MIT */
/*
 * The values a scorecard scores, gathered from the store (county daily air rows, exceedance
 * alarms, ledger items) and from an inputs file, each with the text of where it came from;
 * and the scorecard as JSON with every value, point and piece of arithmetic.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include <envwatch/air.h>
#include <envwatch/assess.h>
#include <envwatch/emission.h>
#include <envwatch/err.h>
#include <envwatch/ledger.h>

#include "ledger/internal.h"
#include "util/buf.h"
#include "util/csv.h"
#include "util/json.h"
#include "util/time.h"

/* ---- county air: HJ 663 daily values of the county rows ------------------------------- */

struct air_acc {
    double pm25_sum;
    int    pm25_days, aqi_days, good_days;
};

static int
air_day(void *ctx, const struct ew_air_row *r)
{
    struct air_acc *a = ctx;

    if (!isnan(r->conc[EW_AIR_PM25])) {
        a->pm25_sum += r->conc[EW_AIR_PM25];
        a->pm25_days++;
    }
    if (r->aqi.aqi >= 0) {
        a->aqi_days++;
        a->good_days += r->aqi.aqi <= 100;      /* HJ 633: levels 1 and 2 are 达标 */
    }
    return 0;
}

static int
gather_air(struct ew_store *s, const char *county, size_t u, int64_t from, int64_t to,
           struct ew_score_input *in)
{
    struct ew_air_query q = { .scope = EW_AIR_SCOPE_COUNTY, .name = county,
                              .period = EW_AIR_PERIOD_DAY, .from_unix_s = from, .to_unix_s = to };
    struct air_acc a = { 0, 0, 0, 0 };
    char basis[200];
    int rc = ew_store_air_each(s, &q, air_day, &a);

    if (rc != EW_OK)
        return rc;
    if (a.pm25_days > 0) {
        /* The published mean is rounded to whole µg/m3 (HJ 663 rounding of PM2.5). */
        snprintf(basis, sizeof(basis), "mean of %d daily PM2.5 values of %s (air_aqi, county, "
                 "day)", a.pm25_days, county);
        rc = ew_score_input_set(in, u, "pm25_ugm3", round(a.pm25_sum / a.pm25_days), basis);
    }
    if (rc == EW_OK && a.aqi_days > 0) {
        snprintf(basis, sizeof(basis), "%d of %d days with AQI <= 100 in %s", a.good_days,
                 a.aqi_days, county);
        rc = ew_score_input_set(in, u, "good_day_pct", 100.0 * a.good_days / a.aqi_days, basis);
    }
    return rc;
}

/* ---- exceedance alarms of a county ------------------------------------------------------ */

struct alarm_acc {
    int64_t from_ms, to_ms;
    int     n;
    struct ew_buf ids;
};

static int
alarm_one(void *ctx, const struct ew_alarm *a)
{
    struct alarm_acc *acc = ctx;

    if (a->opened_ms < acc->from_ms || a->opened_ms > acc->to_ms)
        return 0;
    if (acc->n++ < 20)
        ew_buf_printf(&acc->ids, "%s%lld", acc->n > 1 ? "," : "", (long long)a->id);
    return 0;
}

static int
gather_alarms(struct ew_store *s, const char *county, size_t u, int64_t from, int64_t to,
              struct ew_score_input *in)
{
    struct ew_alarm_query q = { .kinds = 1u << EW_ALARM_EXCEED, .county = county,
                                .from_ms = from * 1000, .to_ms = to * 1000 + 999 };
    struct alarm_acc acc = { from * 1000, to * 1000 + 999, 0, { 0 } };
    char basis[400];
    int rc;

    ew_buf_init(&acc.ids, 300);
    rc = ew_store_alarm_each(s, &q, alarm_one, &acc);
    if (rc == EW_OK) {
        snprintf(basis, sizeof(basis), "%d exceedance alarms opened in %s%s%s%s", acc.n, county,
                 acc.n > 0 ? ": ids " : "", acc.ids.ptr != NULL ? acc.ids.ptr : "",
                 acc.n > 20 ? ",..." : "");
        rc = ew_score_input_set(in, u, "exceedances", acc.n, basis);
    }
    ew_buf_fini(&acc.ids);
    return rc;
}

/* ---- ledger items of a unit -------------------------------------------------------------- */

struct item_acc {
    int64_t from, to;
    int     kind;                       /* 0: every kind */
    int     due, ontime, overdue;
    struct ew_buf late, over;
};

static void
note_id(struct ew_buf *b, int n, int64_t id)
{
    if (n <= 30)
        ew_buf_printf(b, "%s%lld", n > 1 ? "," : "", (long long)id);
    else if (n == 31)
        ew_buf_adds(b, ",...");
}

static int
item_one(void *ctx, const struct ew_ledger_item *it)
{
    struct item_acc *a = ctx;
    int done_in_time = it->done_unix_s != 0 && it->done_unix_s <= it->due_unix_s;

    if (a->kind != 0 && it->kind != a->kind)
        return 0;
    if (it->due_unix_s >= a->from && it->due_unix_s <= a->to) {
        a->due++;
        a->ontime += done_in_time;
        if (!done_in_time)
            note_id(&a->late, a->due - a->ontime, it->id);
    }
    if (it->due_unix_s <= a->to && (it->done_unix_s == 0 || it->done_unix_s > a->to)) {
        a->overdue++;
        note_id(&a->over, a->overdue, it->id);
    }
    return 0;
}

static int
gather_items(struct ew_store *s, const struct ew_scorecard_cfg *c, size_t u, int kind,
             int64_t from, int64_t to, struct ew_score_input *in)
{
    struct ew_ledger_query q = { .overdue = -1, .open = -1, .due_from = 1, .due_to = to };
    struct item_acc a = { .from = from, .to = to, .kind = kind };
    char basis[480];
    int rc;

    if (c->departments)
        q.unit = c->units[u];
    else
        q.county = c->units[u];
    ew_buf_init(&a.late, 400);
    ew_buf_init(&a.over, 400);
    rc = ew_store_ledger_item_each(s, &q, item_one, &a);
    if (rc == EW_OK && a.due > 0) {
        snprintf(basis, sizeof(basis), "%d of %d %s due in the period done by the deadline%s%s",
                 a.ontime, a.due, kind == EW_LEDGER_COMPLAINT ? "complaints" : "items",
                 a.due > a.ontime ? "; late or open: " : "",
                 a.late.ptr != NULL ? a.late.ptr : "");
        rc = ew_score_input_set(in, u, kind == EW_LEDGER_COMPLAINT ? "complaint_ontime_pct"
                                                                   : "ontime_close_pct",
                                100.0 * a.ontime / a.due, basis);
    }
    if (rc == EW_OK && kind == 0) {
        snprintf(basis, sizeof(basis), "%d items past their deadline and not done at the end "
                 "of the period%s%s", a.overdue, a.overdue > 0 ? ": " : "",
                 a.over.ptr != NULL ? a.over.ptr : "");
        rc = ew_score_input_set(in, u, "overdue_items", a.overdue, basis);
    }
    ew_buf_fini(&a.late);
    ew_buf_fini(&a.over);
    return rc;
}

int
ew_assess_gather(struct ew_store *s, const struct ew_scorecard_cfg *c, int64_t from,
                 int64_t to, struct ew_score_input *in)
{
    int rc = EW_OK;

    if (s == NULL || c == NULL || in == NULL || to < from)
        return EW_EINVAL;
    for (size_t u = 0; rc == EW_OK && u < c->n_units; u++) {
        if (!c->departments) {
            rc = gather_air(s, c->units[u], u, from, to, in);
            if (rc == EW_OK)
                rc = gather_alarms(s, c->units[u], u, from, to, in);
        }
        if (rc == EW_OK)
            rc = gather_items(s, c, u, 0, from, to, in);
        if (rc == EW_OK)
            rc = gather_items(s, c, u, EW_LEDGER_COMPLAINT, from, to, in);
    }
    return rc;
}

/* ---- an inputs file ------------------------------------------------------------------- */

static int
unit_index(const struct ew_scorecard_cfg *c, const char *name)
{
    for (size_t u = 0; u < c->n_units; u++)
        if (strcmp(c->units[u], name) == 0)
            return (int)u;
    return -1;
}

int
ew_assess_inputs_csv(const struct ew_scorecard_cfg *c, const char *text,
                     struct ew_score_input *in, int *line, char *why, size_t wlen)
{
    struct ew__sheet sh;
    int rc = ew__sheet_csv(text, strlen(text), &sh, why, wlen);

    if (rc != EW_OK)
        return rc;
    /* No header: every row is unit,key,value[,basis]. A first row "unit,key,..." is one. */
    for (size_t r = 0; rc == EW_OK && r < sh.rows; r++) {
        const char *unit = ew__sheet_cell(&sh, r, 0), *key = ew__sheet_cell(&sh, r, 1);
        const char *v = ew__sheet_cell(&sh, r, 2), *basis = ew__sheet_cell(&sh, r, 3);
        char *e, b[480];
        double d = strtod(v, &e);
        int u = unit_index(c, unit);
        if (r == 0 && strcmp(unit, "unit") == 0)
            continue;
        if (u < 0 || e == v || *e != '\0' || !isfinite(d)) {
            if (line != NULL)
                *line = (int)sh.line[r];
            rc = ew__ledger_say(why, wlen, EW_EFORMAT, "line %zu: want unit,key,value with a unit "
                                "of the scorecard and a number", sh.line[r]);
            break;
        }
        snprintf(b, sizeof(b), "%s", basis[0] != '\0' ? basis : "inputs file");
        if ((rc = ew_score_input_set(in, (size_t)u, key, d, b)) != EW_OK)
            ew__ledger_say(why, wlen, rc, "line %zu: bad key '%s'", sh.line[r], key);
    }
    ew__sheet_free(&sh);
    return rc;
}

/* ---- JSON ------------------------------------------------------------------------------ */

int
ew_assess_json(struct ew_buf *b, const struct ew_scorecard_cfg *c,
               const struct ew_score_input *in, const struct ew_scorecard *sc,
               const char *period)
{
    ew_buf_adds(b, "{\"name\":");
    ew_json_strz(b, c->name);
    ew_buf_adds(b, ",\"period\":");
    ew_json_strz(b, period);
    ew_buf_printf(b, ",\"scope\":\"%s\",\"indicators\":[", c->departments ? "department" : "county");
    for (size_t i = 0; i < c->n_ind; i++) {
        ew_buf_adds(b, i ? ",{\"name\":" : "{\"name\":");
        ew_json_strz(b, c->ind[i].name);
        ew_buf_adds(b, ",\"label\":");
        ew_json_strz(b, c->ind[i].label);
        ew_buf_adds(b, ",\"weight\":");
        ew_json_num(b, c->ind[i].weight, 10);
        ew_buf_adds(b, "}");
    }
    ew_buf_adds(b, "],\"units\":[");
    for (size_t u = 0; u < sc->n_units; u++) {
        ew_buf_adds(b, u ? ",{\"unit\":" : "{\"unit\":");
        ew_json_strz(b, c->units[u]);
        ew_buf_adds(b, ",\"total\":");
        ew_json_num(b, sc->total[u], 10);
        ew_buf_printf(b, ",\"rank\":%d,\"cells\":[", sc->rank[u]);
        for (size_t i = 0; i < sc->n_ind; i++) {
            const struct ew_score_cell *cell = &sc->cell[u][i];
            const struct ew_score_value *v = ew_score_input_get(in, u, c->ind[i].key);
            ew_buf_adds(b, i ? ",{\"indicator\":" : "{\"indicator\":");
            ew_json_strz(b, c->ind[i].name);
            ew_buf_adds(b, ",\"value\":");
            ew_json_num(b, cell->value, 10);
            ew_buf_adds(b, ",\"basis\":");
            ew_json_strz(b, v != NULL ? v->basis : "");
            ew_buf_adds(b, ",\"target\":");
            ew_json_num(b, cell->target, 10);
            ew_buf_printf(b, ",\"rank\":%d,\"points\":", cell->rank);
            ew_json_num(b, cell->points, 10);
            ew_buf_adds(b, ",\"how\":");
            ew_json_strz(b, cell->how);
            ew_buf_addc(b, '}');
        }
        ew_buf_adds(b, "]}");
    }
    ew_buf_adds(b, "]}");
    return b->ptr != NULL ? EW_OK : EW_ENOMEM;
}

/* ---- xlsx ------------------------------------------------------------------------------ */

static void
xlsx_num(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, double v)
{
    if (!isnan(v))
        worksheet_write_number(ws, r, c, v, NULL);
}

int
ew_assess_xlsx(const char *path, const struct ew_scorecard_cfg *c,
               const struct ew_score_input *in, const struct ew_scorecard *sc)
{
    static const char *const bh[] = { "单位 unit", "指标 indicator", "数值 value",
                                      "依据 basis", "目标 target", "排名 rank", "得分 points",
                                      "计算 how" };
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws, *bd;
    lxw_row_t row = 0;

    if (wb == NULL)
        return EW_EIO;
    ws = workbook_add_worksheet(wb, "得分");
    bd = workbook_add_worksheet(wb, "明细");
    worksheet_write_string(ws, 0, 0, "单位 unit", NULL);
    for (size_t i = 0; i < c->n_ind; i++)
        worksheet_write_string(ws, 0, (lxw_col_t)(i + 1),
                               c->ind[i].label[0] ? c->ind[i].label : c->ind[i].name, NULL);
    worksheet_write_string(ws, 0, (lxw_col_t)(c->n_ind + 1), "总分 total", NULL);
    worksheet_write_string(ws, 0, (lxw_col_t)(c->n_ind + 2), "排名 rank", NULL);
    for (lxw_col_t k = 0; k < EW_ARRAY_LEN(bh); k++)
        worksheet_write_string(bd, 0, k, bh[k], NULL);
    for (size_t u = 0; u < sc->n_units; u++) {
        worksheet_write_string(ws, (lxw_row_t)(u + 1), 0, c->units[u], NULL);
        for (size_t i = 0; i < sc->n_ind; i++) {
            const struct ew_score_cell *cell = &sc->cell[u][i];
            const struct ew_score_value *v = ew_score_input_get(in, u, c->ind[i].key);
            xlsx_num(ws, (lxw_row_t)(u + 1), (lxw_col_t)(i + 1), cell->points);
            row++;
            worksheet_write_string(bd, row, 0, c->units[u], NULL);
            worksheet_write_string(bd, row, 1, c->ind[i].name, NULL);
            xlsx_num(bd, row, 2, cell->value);
            if (v != NULL && v->basis[0] != '\0')
                worksheet_write_string(bd, row, 3, v->basis, NULL);
            xlsx_num(bd, row, 4, cell->target);
            if (cell->rank > 0)
                worksheet_write_number(bd, row, 5, cell->rank, NULL);
            worksheet_write_number(bd, row, 6, cell->points, NULL);
            worksheet_write_string(bd, row, 7, cell->how, NULL);
        }
        worksheet_write_number(ws, (lxw_row_t)(u + 1), (lxw_col_t)(c->n_ind + 1), sc->total[u],
                               NULL);
        worksheet_write_number(ws, (lxw_row_t)(u + 1), (lxw_col_t)(c->n_ind + 2), sc->rank[u],
                               NULL);
    }
    return workbook_close(wb) == LXW_NO_ERROR ? EW_OK : EW_EIO;
}

int
ew_assess_xlsx_buf(struct ew_buf *out, const struct ew_scorecard_cfg *c,
                   const struct ew_score_input *in, const struct ew_scorecard *sc)
{
    const char *dir = getenv("TMPDIR");
    char path[4096], chunk[1 << 14];
    struct ew_buf wb;
    FILE *f = NULL;
    size_t n;
    int fd, rc;

    if (out == NULL || c == NULL || in == NULL || sc == NULL)
        return EW_EINVAL;
    n = (size_t)snprintf(path, sizeof(path), "%s/ew-assess-XXXXXX.xlsx",
                         dir != NULL && dir[0] == '/' ? dir : "/tmp");
    if (n >= sizeof(path) || (fd = mkstemps(path, 5)) < 0)
        return EW_EIO;
    close(fd);
    ew_buf_init(&wb, out->max);
    rc = ew_assess_xlsx(path, c, in, sc);
    if (rc == EW_OK && (f = fopen(path, "rb")) == NULL)
        rc = EW_EIO;
    while (rc == EW_OK && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        rc = ew_buf_add(&wb, chunk, n);
    if (rc == EW_OK && ferror(f))
        rc = EW_EIO;
    if (f != NULL)
        fclose(f);
    unlink(path);
    if (rc == EW_OK && wb.len > 0)      /* the whole workbook or nothing */
        rc = ew_buf_add(out, wb.ptr, wb.len);
    ew_buf_fini(&wb);
    return rc;
}
