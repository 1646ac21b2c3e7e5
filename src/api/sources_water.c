/* SPDX-License-Identifier: MIT */
/*
 * Surface-water sections over HTTP (docs/api.md "Water and sources"): each section's class of
 * a day under GB 3838-2002 and the 2011 evaluation method (envwatch/water.h), from the day's
 * mean of its automatic station's records, against its target class; and a section's daily
 * classes and values over a period. The HJ 212-2017 codes of the water items are mapped to
 * the items of water.h here, with the units of appendix B (heavy metals in µg/L there, mg/L in
 * GB 3838).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <envwatch/water.h>

#include "api/sources.h"
#include "util/json.h"
#include "util/time.h"

#define DAY_S 86400
#define TREND_MAX_DAYS 400
#define SAMPLES_PER_DAY 288             /* records of one day used at most (5-minute data) */

/* HJ 212-2017 appendix B code → GB 3838 item, and the factor to mg/L (counts/L for fcoli). */
static const struct {
    const char *code;
    int         item;
    double      to_item_unit;
} wq_codes[] = {
    { "w01001", EW_WQ_PH, 1 },      { "w01009", EW_WQ_DO, 1 },     { "w01019", EW_WQ_CODMN, 1 },
    { "w01018", EW_WQ_COD, 1 },     { "w01017", EW_WQ_BOD5, 1 },   { "w21003", EW_WQ_NH3N, 1 },
    { "w21011", EW_WQ_TP, 1 },      { "w21001", EW_WQ_TN, 1 },     { "w20122", EW_WQ_CU, 1 },
    { "w20123", EW_WQ_ZN, 1 },      { "w21017", EW_WQ_F, 1 },      { "w20128", EW_WQ_SE, 1e-3 },
    { "w20119", EW_WQ_AS, 1e-3 },   { "w20111", EW_WQ_HG, 1e-3 },  { "w20115", EW_WQ_CD, 1e-3 },
    { "w20117", EW_WQ_CR6, 1e-3 },  { "w20120", EW_WQ_PB, 1e-3 },  { "w21016", EW_WQ_CN, 1 },
    { "w23002", EW_WQ_PHENOL, 1 },  { "w22001", EW_WQ_OIL, 1 },    { "w19002", EW_WQ_LAS, 1 },
    { "w21019", EW_WQ_S2, 1 },      { "w02003", EW_WQ_FCOLI, 1 },
};

static int
wq_index(const char *code)
{
    for (size_t i = 0; i < EW_ARRAY_LEN(wq_codes); i++)
        if (strcmp(wq_codes[i].code, code) == 0)
            return (int)i;
    return -1;
}

static const char *
code_of_item(int item)
{
    for (size_t i = 0; i < EW_ARRAY_LEN(wq_codes); i++)
        if (wq_codes[i].item == item)
            return wq_codes[i].code;
    return NULL;
}

/* One day of one section: the mean of its records and what the method makes of it. */
struct wq_day {
    int64_t day;                        /* CST midnight */
    int64_t last_t;                     /* newest record used */
    size_t  n_records;
    int     evaluated;                  /* ew_wq_evaluate gave EW_OK */
    struct ew_wq_sample mean;
    struct ew_wq_result res;
    double  value[EW_ARRAY_LEN(wq_codes)];     /* daily mean per code, in the code's unit */
};

static int64_t
day_of(int64_t t)
{
    int64_t local = t + EW_CST_OFFSET_S;

    return t - ((local % DAY_S) + DAY_S) % DAY_S;
}

/* Records rows[i..j) (one day, ordered by time) into samples, then the day's mean and class. */
static void
evaluate_day(const struct src_rows *x, size_t i, size_t j, int body, struct wq_day *d)
{
    struct ew_wq_sample *s = malloc(SAMPLES_PER_DAY * sizeof(*s));
    double sum[EW_ARRAY_LEN(wq_codes)] = { 0 };
    size_t cnt[EW_ARRAY_LEN(wq_codes)] = { 0 }, n = 0;

    *d = (struct wq_day){ .day = day_of(x->v[i].t_unix_s) };
    for (size_t k = i; k < j && s != NULL; k++) {
        const struct ew_reading *r = &x->v[k];
        int c = wq_index(r->factor);
        if (k == i || r->t_unix_s != x->v[k - 1].t_unix_s) {
            if (n == SAMPLES_PER_DAY)
                break;
            ew_wq_sample_init(&s[n++]);
        }
        if (c < 0 || !src_flag_ok(r) || !isfinite(r->value) || r->value < 0)
            continue;
        s[n - 1].v[wq_codes[c].item] = r->value * wq_codes[c].to_item_unit;
        sum[c] += r->value;
        cnt[c]++;
        d->last_t = r->t_unix_s;
    }
    d->n_records = n;
    for (size_t c = 0; c < EW_ARRAY_LEN(wq_codes); c++)
        d->value[c] = cnt[c] > 0 ? sum[c] / (double)cnt[c] : NAN;
    d->evaluated = s != NULL && ew_wq_mean(s, n, 1, &d->mean) == EW_OK &&
                   ew_wq_evaluate(&d->mean, body, &d->res) == EW_OK;
    free(s);
}

static int
body_of(const struct src_point *p)
{
    return strcmp(p->body, "lake") == 0 ? EW_WQ_LAKE : EW_WQ_RIVER;
}

/* The class fields of a day: class, label, main pollutants (HJ 212 codes), compliant. */
static void
class_json(struct ew_buf *b, const struct wq_day *d, const struct src_point *p)
{
    int target = 0, has_target = ew_wq_class_parse(p->target_class, &target) == EW_OK;

    ew_buf_adds(b, ",\"class\":");
    ew_json_strz(b, d->evaluated ? ew_wq_class_name(d->res.cls) : NULL);
    ew_buf_adds(b, ",\"label\":");
    ew_json_strz(b, d->evaluated ? ew_wq_grade_label(d->res.grade) : NULL);
    ew_buf_adds(b, ",\"main_pollutants\":[");
    for (size_t i = 0; d->evaluated && i < d->res.n_main; i++) {
        if (i > 0)
            ew_buf_addc(b, ',');
        ew_json_strz(b, code_of_item(d->res.main[i].item));
    }
    ew_buf_adds(b, "],\"compliant\":");
    if (d->evaluated && has_target)
        ew_buf_adds(b, ew_wq_target_met(d->res.cls, target) ? "true" : "false");
    else
        ew_buf_adds(b, "null");
}

/* The day's mean per code as "code":value pairs; with lead, each pair after a comma. */
static void
values_json(struct ew_buf *b, const struct wq_day *d, const char *only, int lead)
{
    int n = 0;

    for (size_t c = 0; c < EW_ARRAY_LEN(wq_codes); c++) {
        if (isnan(d->value[c]) || (only != NULL && strcmp(only, wq_codes[c].code) != 0))
            continue;
        if (lead || n++ > 0)
            ew_buf_addc(b, ',');
        ew_json_key(b, wq_codes[c].code);
        ew_json_num(b, d->value[c], 6);
    }
}

/* ---- GET /api/v1/water/sections[?date=YYYY-MM-DD] ----------------------------------------- */

struct newest {
    int64_t t;
};

static int
note_newest(void *ctx, const struct ew_reading *r)
{
    struct newest *x = ctx;

    if (wq_index(r->factor) >= 0 && r->t_unix_s > x->t)
        x->t = r->t_unix_s;
    return 0;
}

static int
section_json(struct api_req *r, const struct src_point *p, int64_t date, int have_date)
{
    struct ew_buf *b = &r->out;
    struct src_rows x = { 0 };
    struct newest nw = { 0 };
    struct wq_day d = { .evaluated = 0 };
    char t[20];
    int rc = EW_OK;

    /* Without a date: the day of the section's newest record. */
    if (!have_date && (rc = ew_store_latest_each(r->store, p->id, note_newest, &nw)) == EW_OK)
        date = nw.t > 0 ? day_of(nw.t) : 0;
    if (rc == EW_OK && date > 0)
        rc = src_rows_load(r->store, p->id, EW_KIND_HOUR, date, date + DAY_S - 1, NULL, &x);
    if (rc != EW_OK) {
        src_rows_free(&x);
        return rc;
    }
    if (x.n > 0)
        evaluate_day(&x, 0, x.n, body_of(p), &d);
    src_rows_free(&x);
    ew_buf_adds(b, "{\"mn\":");
    ew_json_strz(b, p->mn);
    ew_buf_adds(b, ",\"name\":");
    ew_json_strz(b, p->name);
    ew_buf_adds(b, ",\"river\":");
    ew_json_strz(b, p->river);
    ew_buf_adds(b, ",\"county\":");
    ew_json_strz(b, p->county);
    ew_buf_adds(b, ",\"lat\":");
    ew_json_num(b, p->lat, 10);
    ew_buf_adds(b, ",\"lon\":");
    ew_json_num(b, p->lon, 10);
    ew_buf_adds(b, ",\"target_class\":");
    ew_json_strz(b, p->target_class[0] ? p->target_class : NULL);
    class_json(b, &d, p);
    ew_time_fmt_iso(d.day, t);
    t[10] = '\0';
    ew_buf_adds(b, ",\"date\":");
    ew_json_strz(b, d.n_records > 0 ? t : NULL);
    ew_time_fmt_iso(d.last_t, t);
    ew_buf_adds(b, ",\"time\":");
    ew_json_strz(b, d.last_t > 0 ? t : NULL);
    ew_buf_printf(b, ",\"records\":%zu,\"values\":{", d.n_records);
    values_json(b, &d, NULL, 0);
    return ew_buf_adds(b, "}}");
}

static int
sections(struct api_req *r)
{
    static const char *const kinds[] = { "water", NULL };
    const char *date = api_query(r, "date");
    struct src_points pts = { 0 };
    int64_t day = 0;
    int rc;

    if (date != NULL && (ew_time_parse_iso(date, &day) != EW_OK || strlen(date) != 10))
        return api_error(r, 400, "bad_time", "date must be YYYY-MM-DD");
    if ((rc = src_points_load(r->store, kinds, &pts)) != EW_OK)
        return api_store_error(r, rc);
    ew_buf_addc(&r->out, '[');
    for (size_t i = 0; i < pts.n && rc == EW_OK; i++) {
        if (i > 0)
            ew_buf_addc(&r->out, ',');
        rc = section_json(r, &pts.v[i], day, date != NULL);
    }
    src_points_free(&pts);
    if (rc != EW_OK)
        return api_store_error(r, rc);
    return ew_buf_addc(&r->out, ']');
}

/* ---- GET /api/v1/water/sections/{mn}/trend?factor=&from=&to= -------------------------------- */

static void
trend_row(struct ew_buf *b, const struct wq_day *d, const struct src_point *p, const char *factor,
          int first)
{
    char t[20];

    ew_time_fmt_iso(d->day, t);
    t[10] = '\0';
    ew_buf_printf(b, "%s{\"date\":\"%s\"", first ? "" : ",", t);
    class_json(b, d, p);
    ew_buf_printf(b, ",\"records\":%zu", d->n_records);
    if (factor != NULL) {
        int c = wq_index(factor);
        ew_buf_adds(b, ",\"item_class\":");
        ew_json_strz(b, d->evaluated && c >= 0 && d->res.item_cls[wq_codes[c].item]
                            ? ew_wq_class_name(d->res.item_cls[wq_codes[c].item])
                            : NULL);
    }
    values_json(b, d, factor, 1);
    ew_buf_addc(b, '}');
}

static int
trend(struct api_req *r)
{
    const char *factor = api_query(r, "factor");
    struct src_rows x = { 0 };
    struct ew_point reg;
    struct src_point p;
    int64_t now = time(NULL), from, to;
    int rc, first = 1;

    if ((rc = ew_store_point_get(r->store, r->args[0], &reg)) != EW_OK)
        return api_store_error(r, rc);
    if (strcmp(reg.kind, "water") != 0)
        return api_error(r, 404, "not_found", "%s is not a surface-water section", reg.mn);
    if (factor != NULL && wq_index(factor) < 0)
        return api_error(r, 400, "bad_param", "factor %s is not a GB 3838 item", factor);
    if (api_time_range(r, day_of(now) - 29 * DAY_S, now, &from, &to) != EW_OK)
        return EW_OK;
    from = day_of(from);
    if (to - from > TREND_MAX_DAYS * DAY_S)
        return api_error(r, 400, "bad_time", "at most %d days", TREND_MAX_DAYS);
    /* A date alone as "to" means the whole day. */
    if (api_query(r, "to") != NULL && strlen(api_query(r, "to")) == 10)
        to += DAY_S - 1;
    src_point_of(&reg, &p);
    if ((rc = src_rows_load(r->store, reg.id, EW_KIND_HOUR, from, to, NULL, &x)) != EW_OK) {
        src_rows_free(&x);
        return api_store_error(r, rc);
    }
    ew_buf_addc(&r->out, '[');
    for (size_t i = 0, j; i < x.n; i = j) {
        struct wq_day d;
        for (j = i + 1; j < x.n && day_of(x.v[j].t_unix_s) == day_of(x.v[i].t_unix_s); j++)
            ;
        evaluate_day(&x, i, j, body_of(&p), &d);
        trend_row(&r->out, &d, &p, factor, first);
        first = 0;
    }
    src_rows_free(&x);
    return ew_buf_addc(&r->out, ']');
}

const struct api_route ew__api_routes_water[] = {
    { "GET", "/api/v1/water/sections", sections },
    { "GET", "/api/v1/water/sections/*/trend", trend },
    { NULL, NULL, NULL },
};
