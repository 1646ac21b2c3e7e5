/* SPDX-License-Identifier: MIT */
/*
 * The front of the report module (envwatch/report.h): names of kinds and formats, the period
 * argument, the bureau and city settings kept in the store, and ew_report_make, which has a
 * builder fill a document and a renderer print it. The reports themselves are in
 * air_daily.c, air_monthly.c and sources.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report/internal.h"
#include "util/time.h"

static const struct {
    const char *name, *alias;
    int         kind;
} kinds[] = {
    { "air-daily", "daily", EW_REPORT_AIR_DAILY },
    { "air-monthly", "monthly", EW_REPORT_AIR_MONTHLY },
    { "sources-monthly", "sources", EW_REPORT_SOURCES_MONTHLY },
};

int
ew__report_say(char *why, size_t wlen, int err, const char *fmt, ...)
{
    va_list ap;

    if (why != NULL && wlen > 0) {
        va_start(ap, fmt);
        vsnprintf(why, wlen, fmt, ap);
        va_end(ap);
    }
    return err;
}

int
ew_report_kind_parse(const char *name, int *kind)
{
    for (size_t i = 0; name != NULL && i < EW_ARRAY_LEN(kinds); i++)
        if (strcmp(name, kinds[i].name) == 0 || strcmp(name, kinds[i].alias) == 0) {
            *kind = kinds[i].kind;
            return EW_OK;
        }
    return EW_EINVAL;
}

const char *
ew_report_kind_name(int kind)
{
    for (size_t i = 0; i < EW_ARRAY_LEN(kinds); i++)
        if (kinds[i].kind == kind)
            return kinds[i].name;
    return "";
}

int
ew_report_format_parse(const char *name, int *format)
{
    if (name != NULL && strcmp(name, "html") == 0)
        *format = EW_REPORT_HTML;
    else if (name != NULL && strcmp(name, "xlsx") == 0)
        *format = EW_REPORT_XLSX;
    else
        return EW_EINVAL;
    return EW_OK;
}

const char *
ew_report_mime(int format)
{
    return format == EW_REPORT_HTML ? "text/html; charset=utf-8"
           : format == EW_REPORT_XLSX
               ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
               : "";
}

const char *
ew_report_ext(int format)
{
    return format == EW_REPORT_HTML ? "html" : format == EW_REPORT_XLSX ? "xlsx" : "";
}

static int
digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

int
ew_report_period_parse(int kind, const char *text, struct ew_report_req *req)
{
    int daily = kind == EW_REPORT_AIR_DAILY;
    size_t want = daily ? 10 : 7;
    struct ew_civil c = { 0, 0, 1, 0, 0, 0 };

    if (text == NULL || strlen(text) != want || !digits(text, 4) || text[4] != '-' ||
        !digits(text + 5, 2) || (daily && (text[7] != '-' || !digits(text + 8, 2))))
        return EW_EFORMAT;
    c.year = (int)strtol(text, NULL, 10);
    c.month = (int)strtol(text + 5, NULL, 10);
    if (daily)
        c.day = (int)strtol(text + 8, NULL, 10);
    if (!ew_civil_valid(&c) || c.year < 2000 || c.year > 2099)
        return EW_EFORMAT;
    req->year = c.year;
    req->month = c.month;
    req->day = daily ? c.day : 0;
    return EW_OK;
}

static int
req_ok(const struct ew_report_req *r)
{
    struct ew_civil c = { r->year, r->month, r->day > 0 ? r->day : 1, 0, 0, 0 };

    if (ew_report_kind_name(r->kind)[0] == '\0' || ew_report_ext(r->format)[0] == '\0')
        return 0;
    if ((r->kind == EW_REPORT_AIR_DAILY) != (r->day > 0))
        return 0;
    return r->year >= 2000 && r->year <= 2099 && ew_civil_valid(&c);
}

int
ew_report_filename(const struct ew_report_req *req, char *out, size_t len)
{
    int n;

    if (!req_ok(req))
        return EW_EINVAL;
    if (req->kind == EW_REPORT_AIR_DAILY)
        n = snprintf(out, len, "%s-%04d-%02d-%02d.%s", ew_report_kind_name(req->kind),
                     req->year, req->month, req->day, ew_report_ext(req->format));
    else
        n = snprintf(out, len, "%s-%04d-%02d.%s", ew_report_kind_name(req->kind), req->year,
                     req->month, ew_report_ext(req->format));
    return n > 0 && (size_t)n < len ? EW_OK : EW_ETOOBIG;
}

/* ---- settings -------------------------------------------------------------------------------- */

static int
setting_key_ok(const char *key)
{
    return key != NULL && (strcmp(key, EW_REPORT_SETTING_BUREAU) == 0 ||
                           strcmp(key, EW_REPORT_SETTING_CITY) == 0);
}

int
ew_report_setting_put(struct ew_store *s, const char *key, const char *value)
{
    size_t n = value != NULL ? strlen(value) : 0;

    if (!setting_key_ok(key) || value == NULL || n > EW_REPORT_SETTING_MAX)
        return EW_EINVAL;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)value[i] < 0x20 || value[i] == 0x7f)
            return EW_EINVAL;
    return ew_store_ledger_kv_put(s, key, value);
}

int
ew_report_setting_get(struct ew_store *s, const char *key, char *out, size_t len)
{
    char *v = NULL;
    int rc;

    if (!setting_key_ok(key) || out == NULL || len == 0)
        return EW_EINVAL;
    rc = ew_store_ledger_kv_get(s, key, &v);
    if (rc == EW_ENOTFOUND) {
        out[0] = '\0';
        return EW_OK;
    }
    if (rc == EW_OK)
        snprintf(out, len, "%s", v);
    free(v);
    return rc;
}

/* The request's names, else the settings, else neutral defaults. */
static int
names_of(struct ew_store *s, const struct ew_report_req *req, struct rp_names *n)
{
    int rc = EW_OK;

    if (req->bureau != NULL && req->bureau[0] != '\0')
        snprintf(n->bureau, sizeof(n->bureau), "%s", req->bureau);
    else
        rc = ew_report_setting_get(s, EW_REPORT_SETTING_BUREAU, n->bureau, sizeof(n->bureau));
    if (rc == EW_OK && req->city != NULL && req->city[0] != '\0')
        snprintf(n->city, sizeof(n->city), "%s", req->city);
    else if (rc == EW_OK)
        rc = ew_report_setting_get(s, EW_REPORT_SETTING_CITY, n->city, sizeof(n->city));
    if (rc == EW_OK && n->bureau[0] == '\0')
        snprintf(n->bureau, sizeof(n->bureau), "%s生态环境局", n->city);
    return rc;
}

/* ---- making a report ------------------------------------------------------------------------ */

int
ew_report_make(struct ew_store *s, const struct ew_report_req *req, struct ew_buf *out,
               char *why, size_t wlen)
{
    struct ew_report_req r;
    struct rp_names names;
    struct rp_doc d;
    int rc;

    if (s == NULL || req == NULL || out == NULL || !req_ok(req))
        return ew__report_say(why, wlen, EW_EINVAL, "bad report kind, format or period");
    r = *req;
    if (r.now_unix_s == 0)
        r.now_unix_s = time(NULL);
    if ((rc = names_of(s, &r, &names)) != EW_OK)
        return ew__report_say(why, wlen, rc, "cannot read the report settings: %s",
                              ew_store_errmsg(s));
    rp_doc_init(&d);
    d.made_unix_s = r.now_unix_s;
    rp_set(&d, &d.bureau, "%s", names.bureau);
    rc = r.kind == EW_REPORT_AIR_DAILY     ? ew__report_air_daily(s, &r, &names, &d)
         : r.kind == EW_REPORT_AIR_MONTHLY ? ew__report_air_monthly(s, &r, &names, &d)
                                           : ew__report_sources(s, &r, &names, &d);
    if (rc != EW_OK)
        ew__report_say(why, wlen, rc, "cannot read the data: %s", ew_store_errmsg(s));
    else if ((rc = d.err) != EW_OK)
        ew__report_say(why, wlen, rc, "cannot build the report: %s", ew_strerror(rc));
    else if (r.format == EW_REPORT_HTML && (rc = ew__report_html(&d, out)) != EW_OK)
        ew__report_say(why, wlen, rc, "cannot write the page: %s", ew_strerror(rc));
    else if (r.format == EW_REPORT_XLSX)
        rc = ew__report_xlsx(&d, out, why, wlen);
    rp_doc_free(&d);
    return rc;
}
