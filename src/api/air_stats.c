/* SPDX-License-Identifier: MIT */
/*
 * Air-quality statistics over HTTP, from the stored daily values: a month's or a year's
 * HJ 663 statistics with the comprehensive index and the change against a year earlier
 * (GET /api/v1/air/stats), rankings of stations or counties (/ranking) and progress towards
 * the year's targets (/targets). The rules are the pure functions of include/envwatch/air.h
 * (docs/air.md sections 3 and 9); the days are loaded and the statistics computed by
 * util/reportair.h, which the reports (src/report/) share, and this file writes the JSON.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <envwatch/air.h>

#include "api/air_internal.h"
#include "util/airrow.h"
#include "util/json.h"
#include "util/reportair.h"
#include "util/time.h"

#define DAY_S 86400

/* ---- parameters ------------------------------------------------------------------------------ */

static int
digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static void
today_cst(struct ew_civil *c)
{
    ew_unix_to_civil(time(NULL), c);
}

/* period=month|year and date=YYYY-MM|YYYY; either may be left out (the current month). */
static int
parse_period_date(struct api_req *r, int *year, int *month)
{
    const char *p = api_query(r, "period"), *d = api_query(r, "date");
    int want_year = p != NULL && strcmp(p, "year") == 0;
    struct ew_civil now;

    if (p != NULL && !want_year && strcmp(p, "month") != 0)
        return api_error(r, 400, "bad_param", "period must be month or year"), EW_EINVAL;
    if (d == NULL) {
        today_cst(&now);
        *year = now.year;
        *month = want_year ? 0 : now.month;
        return EW_OK;
    }
    if (p == NULL)
        want_year = strlen(d) == 4;
    if (want_year && strlen(d) == 4 && digits(d, 4)) {
        *year = (int)strtol(d, NULL, 10);
        *month = 0;
    } else if (!want_year && strlen(d) == 7 && digits(d, 4) && d[4] == '-' &&
               digits(d + 5, 2)) {
        *year = (int)strtol(d, NULL, 10);
        *month = (int)strtol(d + 5, NULL, 10);
    } else {
        return api_error(r, 400, "bad_param", "date must be YYYY-MM for a month, YYYY for a "
                         "year"), EW_EINVAL;
    }
    if (*year < 2000 || *year > 2099 || *month < 0 || *month > 12 || (!want_year && *month == 0))
        return api_error(r, 400, "bad_param", "date '%s' is out of range", d), EW_EINVAL;
    return EW_OK;
}

/* ---- JSON ------------------------------------------------------------------------------------ */

static void
num(struct ew_buf *b, const char *key, double v, int decimals)
{
    ew_buf_printf(b, ",\"%s\":", key);
    ew_json_num(b, decimals >= 0 ? ew_air_round(v, decimals) : v, 12);
}

static void
item_stat_json(struct ew_buf *b, int item, const struct ew_air_stat *st, int year)
{
    ew_json_key(b, ew_airrow_item_key(item));
    ew_buf_printf(b, "{\"percentile\":%g", ew_air_item_percentile(item));
    num(b, "mean", st->mean, -1);
    num(b, "pct", st->pct, -1);
    num(b, "max", st->max, -1);
    ew_buf_printf(b, ",\"days\":%d,\"exceed_days\":%d,\"valid\":%s", st->n_days,
                  st->exceed_days, st->valid ? "true" : "false");
    if (year)
        ew_buf_printf(b, ",\"months_short\":%d", st->months_short);
    ew_buf_addc(b, '}');
}

static void
index_json(struct ew_buf *b, const struct ew_air_period *p)
{
    struct ew_air_ci ci;
    int n = 0;

    ew_buf_adds(b, ",\"index\":");
    if (ew_air_ci_compute(p, &ci) != EW_OK) {
        ew_buf_adds(b, "null");
        return;
    }
    ew_buf_adds(b, "{\"value\":");
    ew_json_num(b, ew_air_round(ci.sum, 2), 12);
    ew_buf_adds(b, ",\"sub\":{");
    for (int i = 0; i < EW_AIR_NITEMS; i++) {
        if (isnan(ci.sub[i]))
            continue;
        if (n++ > 0)
            ew_buf_addc(b, ',');
        ew_json_key(b, ew_airrow_item_key(i));
        ew_json_num(b, ew_air_round(ci.sub[i], 2), 12);
    }
    ew_buf_adds(b, "},\"main\":");
    ew_json_strz(b, ew_air_item_token(ci.main_item));
    ew_buf_printf(b, ",\"valid\":%s}", ci.valid ? "true" : "false");
}

static void
items_pct_json(struct ew_buf *b, const char *key, const double *v)
{
    ew_buf_printf(b, ",\"%s\":{", key);
    for (int i = 0, n = 0; i < EW_AIR_NITEMS; i++) {
        if (n++ > 0)
            ew_buf_addc(b, ',');
        ew_json_key(b, ew_airrow_item_key(i));
        ew_json_num(b, ew_air_round(v[i], 1), 12);
    }
    ew_buf_addc(b, '}');
}

static void
change_json(struct ew_buf *b, const struct ew_air_period *now, const struct ew_air_period *prev,
            int have_prev)
{
    struct ew_air_change c;

    ew_buf_adds(b, ",\"change\":");
    if (!have_prev || ew_air_period_compare(now, prev, &c) != EW_OK) {
        ew_buf_adds(b, "null");
        return;
    }
    ew_buf_addc(b, '{');
    ew_buf_adds(b, "\"basis\":\"the same period a year earlier\"");
    items_pct_json(b, "mean_pct", c.mean_pct);
    items_pct_json(b, "pct_pct", c.pct_pct);
    num(b, "index_pct", c.ci_pct, 1);
    num(b, "good_share_pp", c.good_share_pp, 1);
    ew_buf_printf(b, ",\"heavy_days_delta\":%d}", c.heavy_days_delta);
}

static void
period_json(struct ew_buf *b, const struct ew_air_period *p)
{
    ew_buf_adds(b, ",\"items\":{");
    for (int i = 0; i < EW_AIR_NITEMS; i++) {
        if (i > 0)
            ew_buf_addc(b, ',');
        item_stat_json(b, i, &p->item[i], p->month == 0);
    }
    ew_buf_printf(b, "},\"aqi_days\":%d,\"level_days\":[", p->aqi_days);
    for (int i = 0; i < EW_AIR_NLEVELS; i++)
        ew_buf_printf(b, "%s%d", i > 0 ? "," : "", p->level_days[i]);
    ew_buf_printf(b, "],\"good_days\":%d", p->good_days);
    num(b, "good_share_pct", p->good_share_pct, -1);
    ew_buf_printf(b, ",\"heavy_days\":%d,\"primary_days\":{", p->heavy_days);
    for (int i = 0; i < EW_AIR_NITEMS; i++)
        ew_buf_printf(b, "%s\"%s\":%d", i > 0 ? "," : "", ew_airrow_item_key(i),
                      p->primary_days[i]);
    ew_buf_addc(b, '}');
    index_json(b, p);
}

static void
date_text(int year, int month, char out[8])
{
    if (month > 0)
        snprintf(out, 8, "%04d-%02d", year, month);
    else
        snprintf(out, 8, "%04d", year);
}

/* ---- GET /api/v1/air/stats ------------------------------------------------------------------- */

/* scope=city | station:MN | county:NAME (default city). */
static int
parse_scope(struct api_req *r, int *scope, const char **name)
{
    const char *s = api_query(r, "scope");

    if (s == NULL || strcmp(s, "city") == 0) {
        *scope = EW_AIR_SCOPE_CITY;
        *name = "";
    } else if (strncmp(s, "station:", 8) == 0 && s[8] != '\0' && strlen(s + 8) <= 32) {
        *scope = EW_AIR_SCOPE_STATION;
        *name = s + 8;
    } else if (strncmp(s, "county:", 7) == 0 && s[7] != '\0' &&
               strlen(s + 7) <= EW_AIR_NAME_MAX) {
        *scope = EW_AIR_SCOPE_COUNTY;
        *name = s + 7;
    } else {
        return api_error(r, 400, "bad_param", "scope must be city, station:MN or county:NAME"),
               EW_EINVAL;
    }
    return EW_OK;
}

int
ew__api_air_stats(struct api_req *r)
{
    struct ew_air_period p, prev;
    struct ew_buf *b = &r->out;
    const char *name;
    int scope, year, month, any, any_prev = 0, rc;
    char date[8], pdate[8];

    if (parse_scope(r, &scope, &name) != EW_OK || parse_period_date(r, &year, &month) != EW_OK)
        return EW_OK;
    if ((rc = ew_reportair_period(r->store, scope, name, year, month, 0, &p, &any)) != EW_OK ||
        (year > 2000 && (rc = ew_reportair_period(r->store, scope, name, year - 1, month, 0,
                                                  &prev, &any_prev)) != EW_OK))
        return rc == EW_EINVAL ? api_error(r, 400, "bad_param", "%s", ew_store_errmsg(r->store))
                               : api_store_error(r, rc);
    date_text(year, month, date);
    date_text(year - 1, month, pdate);
    ew_buf_printf(b, "{\"scope\":\"%s\",\"name\":", ew_airrow_scope_name(scope));
    ew_json_strz(b, scope == EW_AIR_SCOPE_CITY ? NULL : name);
    ew_buf_printf(b, ",\"period\":\"%s\",\"date\":\"%s\",\"days\":%d,\"has_data\":%s",
                  month > 0 ? "month" : "year", date, p.n_days, any ? "true" : "false");
    period_json(b, &p);
    ew_buf_adds(b, ",\"previous\":");
    if (any_prev) {
        ew_buf_printf(b, "{\"date\":\"%s\",\"days\":%d", pdate, prev.n_days);
        period_json(b, &prev);
        ew_buf_addc(b, '}');
    } else {
        ew_buf_adds(b, "null");
    }
    change_json(b, &p, &prev, any && any_prev);
    return ew_buf_addc(b, '}');
}

/* ---- GET /api/v1/air/ranking ----------------------------------------------------------------- */

static void
rank_row(struct api_req *r, const struct ew_reportair_group *x, int rank, int of_station,
         int decimals)
{
    struct ew_buf *b = &r->out;
    struct ew_point pt;

    if (rank > 0)
        ew_buf_printf(b, "{\"rank\":%d,\"name\":", rank);
    else
        ew_buf_adds(b, "{\"rank\":null,\"name\":");
    if (of_station) {
        ew_json_strz(b, ew_store_point_get(r->store, x->name, &pt) == EW_OK ? pt.name : x->name);
        ew_buf_adds(b, ",\"mn\":");
        ew_json_strz(b, x->name);
        ew_buf_printf(b, ",\"control\":%s", x->control ? "true" : "false");
    } else {
        ew_json_strz(b, x->name);
    }
    ew_buf_adds(b, ",\"county\":");
    ew_json_strz(b, x->county[0] ? x->county : NULL);
    num(b, "value", x->value, decimals);
    num(b, "index", x->index, 2);
    ew_buf_adds(b, ",\"main\":");
    ew_json_strz(b, x->main_item >= 0 ? ew_air_item_token(x->main_item) : NULL);
    num(b, "pm25", x->p.item[EW_AIR_PM25].mean, -1);
    num(b, "good_share_pct", x->p.good_share_pct, -1);
    ew_buf_printf(b, ",\"days\":%d,\"valid\":%s}", x->p.aqi_days,
                  x->index_valid ? "true" : "false");
}

static int
rank_answer(struct api_req *r, const struct ew_reportair_groups *g, int by_pm25, int of_station)
{
    int *rank = calloc(g->n + 1, sizeof(*rank));
    size_t *order = calloc(g->n + 1, sizeof(*order));
    int rc = rank != NULL && order != NULL ? ew_reportair_groups_rank(g, by_pm25, rank, order)
                                           : EW_ENOMEM;

    if (rc == EW_OK) {
        ew_buf_addc(&r->out, '[');
        for (size_t i = 0; i < g->n; i++) {
            if (i > 0)
                ew_buf_addc(&r->out, ',');
            rank_row(r, &g->v[order[i]], rank[order[i]], of_station, by_pm25 ? 0 : 2);
        }
        ew_buf_addc(&r->out, ']');
    }
    free(rank);
    free(order);
    return rc;
}

/* GET /api/v1/air/ranking?period=month|year&date=…&by=index|pm25&of=station|county */
int
ew__api_air_ranking(struct api_req *r)
{
    const char *by = api_query(r, "by"), *of = api_query(r, "of");
    int by_pm25 = by != NULL && strcmp(by, "pm25") == 0;
    int of_station = of == NULL || strcmp(of, "station") == 0;
    struct ew_reportair_groups g;
    int year, month, rc;

    if ((by != NULL && !by_pm25 && strcmp(by, "index") != 0) ||
        (of != NULL && !of_station && strcmp(of, "county") != 0))
        return api_error(r, 400, "bad_param", "by must be index or pm25, of station or county");
    if (parse_period_date(r, &year, &month) != EW_OK)
        return EW_OK;
    rc = ew_reportair_groups_load(r->store, of_station ? EW_AIR_SCOPE_STATION
                                                       : EW_AIR_SCOPE_COUNTY,
                                  year, month, 0, by_pm25, &g);
    if (rc == EW_OK)
        rc = rank_answer(r, &g, by_pm25, of_station);
    ew_reportair_groups_free(&g);
    return rc == EW_OK ? EW_OK : api_store_error(r, rc);
}

/* ---- GET /api/v1/air/targets ----------------------------------------------------------------- */

/* year= and date= (as of, YYYY-MM-DD): the days counted are 1 January .. date. By default a
 * past year counts whole, the current one up to yesterday (the last complete day). */
static int
parse_as_of(struct api_req *r, int *year, size_t *elapsed)
{
    const char *y = api_query(r, "year"), *d = api_query(r, "date");
    struct ew_civil now, c = { 0 };
    int64_t t;

    today_cst(&now);
    *year = now.year;
    if (d != NULL) {
        if (strlen(d) != 10 || ew_time_parse_iso(d, &t) != EW_OK)
            return api_error(r, 400, "bad_time", "date must be YYYY-MM-DD"), EW_EINVAL;
        ew_unix_to_civil(t, &c);
        *year = c.year;
    } else if (y != NULL) {
        if (strlen(y) != 4 || !digits(y, 4))
            return api_error(r, 400, "bad_param", "year must be YYYY"), EW_EINVAL;
        *year = (int)strtol(y, NULL, 10);
    }
    if (*year < 2000 || *year > 2099 || (y != NULL && d != NULL && strtol(y, NULL, 10) != *year))
        return api_error(r, 400, "bad_param", "year out of range or not the date's"),
               EW_EINVAL;
    if (d != NULL)
        t = ew_days_from_civil(c.year, c.month, c.day) - ew_days_from_civil(c.year, 1, 1) + 1;
    else if (*year < now.year)
        t = (int64_t)ew_reportair_period_len(*year, 0);
    else if (*year == now.year)
        t = ew_days_from_civil(now.year, now.month, now.day) - ew_days_from_civil(now.year, 1, 1);
    else
        t = 0;
    *elapsed = (size_t)t;
    return EW_OK;
}

static void
status_field(struct ew_buf *b, int status)
{
    ew_buf_printf(b, ",\"status\":\"%s\"}", ew_air_target_status_name(status));
}

static void
targets_json(struct ew_buf *b, const struct ew_air_target *t,
             const struct ew_air_target_progress *p)
{
    ew_buf_adds(b, ",\"targets\":[{\"target\":\"pm25\",\"unit\":\"ug/m3\"");
    num(b, "value", t->pm25_ugm3, -1);
    num(b, "ytd", p->pm25_ytd_ugm3, 1);
    ew_buf_printf(b, ",\"days\":%d", p->pm25_days);
    num(b, "needed", p->pm25_needed_ugm3, 1);
    status_field(b, p->pm25_status);
    ew_buf_adds(b, ",{\"target\":\"good_share\",\"unit\":\"%\"");
    num(b, "value", t->good_share_pct, -1);
    num(b, "ytd", p->good_share_ytd_pct, 1);
    ew_buf_printf(b, ",\"days\":%d,\"good_days\":%d,\"good_days_needed\":%d", p->aqi_days,
                  p->good_days, p->good_days_needed);
    num(b, "needed", p->good_share_needed_pct, 1);
    status_field(b, p->good_status);
    ew_buf_adds(b, ",{\"target\":\"heavy_days\",\"unit\":\"days\",\"value\":");
    if (t->heavy_days_max >= 0)
        ew_buf_printf(b, "%d", t->heavy_days_max);
    else
        ew_buf_adds(b, "null");
    ew_buf_printf(b, ",\"ytd\":%d,\"days\":%d,\"needed\":", p->heavy_days, p->aqi_days);
    if (p->heavy_days_left >= 0)
        ew_buf_printf(b, "%d", p->heavy_days_left);
    else
        ew_buf_adds(b, "null");
    status_field(b, p->heavy_status);
    ew_buf_addc(b, ']');
}

int
ew__api_air_targets(struct api_req *r)
{
    struct ew_air_target t = { .pm25_ugm3 = NAN, .good_share_pct = NAN, .heavy_days_max = -1 };
    struct ew_air_target_progress p;
    struct ew_air_day *days = NULL;
    struct ew_buf *b = &r->out;
    size_t elapsed;
    int year, from_year = -1, rc;
    char as_of[20];

    if (parse_as_of(r, &year, &elapsed) != EW_OK)
        return EW_OK;
    rc = ew_store_air_target_get(r->store, year, &t, &from_year);
    if (rc != EW_OK && rc != EW_ENOTFOUND)
        return api_store_error(r, rc);
    days = calloc(elapsed + 1, sizeof(*days));
    if (days == NULL)
        return api_error(r, 503, "busy", "out of memory");
    rc = ew_reportair_days(r->store, EW_AIR_SCOPE_CITY, "", ew_reportair_period_start(year, 0),
                           elapsed, days);
    if (rc == EW_OK)
        rc = ew_air_target_progress(&t, days, elapsed, year, &p);
    free(days);
    if (rc != EW_OK)
        return api_store_error(r, rc);
    ew_buf_printf(b, "{\"year\":%d,\"as_of\":", year);
    if (elapsed > 0) {
        ew_time_fmt_iso(ew_reportair_period_start(year, 0) + (int64_t)(elapsed - 1) * DAY_S,
                        as_of);
        as_of[10] = '\0';
        ew_buf_printf(b, "\"%s\"", as_of);
    } else {
        ew_buf_adds(b, "null");
    }
    ew_buf_printf(b, ",\"days_elapsed\":%d,\"days_left\":%d,\"targets_from\":", p.days_elapsed,
                  p.days_left);
    if (from_year < 0)
        ew_buf_adds(b, "null");
    else if (from_year == 0)
        ew_buf_adds(b, "\"default\"");
    else
        ew_buf_printf(b, "%d", from_year);
    targets_json(b, &t, &p);
    return ew_buf_addc(b, '}');
}
