/* SPDX-License-Identifier: MIT */
/*
 * Reports over HTTP (docs/api.md "Reports"): the daily and monthly air quality reports and
 * the monthly pollution-source report as a printable HTML page or an .xlsx workbook, made by
 * envwatch/report.h from this thread's read-only store handle, exactly as `envwatch report`
 * makes them. A page is answered inline, a workbook as an attachment, both named as the
 * CLI names its files (ew_report_filename).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <envwatch/report.h>

#include "api/internal.h"
#include "util/time.h"

/*
 * The Content-Disposition of the answer. The host reads r->disposition after the handler
 * returns, on the same thread, before the next request: a buffer per thread outlives the
 * handler exactly as long as needed.
 */
static _Thread_local char disposition[128];

/* The period parameter: date=YYYY-MM-DD (daily; default yesterday, the last whole day) or
 * month=YYYY-MM (default this month, to date). */
static int
period_param(struct api_req *r, struct ew_report_req *req)
{
    int daily = req->kind == EW_REPORT_AIR_DAILY;
    const char *name = daily ? "date" : "month", *v = api_query(r, name);
    struct ew_civil c;

    if (v == NULL) {
        ew_unix_to_civil(req->now_unix_s - (daily ? 86400 : 0), &c);
        req->year = c.year;
        req->month = c.month;
        req->day = daily ? c.day : 0;
        return EW_OK;
    }
    if (ew_report_period_parse(req->kind, v, req) != EW_OK) {
        api_error(r, 400, "bad_time", "%s must be %s (2000-2099)", name,
                  daily ? "YYYY-MM-DD" : "YYYY-MM");
        return EW_EINVAL;
    }
    return EW_OK;
}

static int
report(struct api_req *r, int kind)
{
    struct ew_report_req req = { .kind = kind, .format = EW_REPORT_HTML,
                                 .now_unix_s = time(NULL) };
    const char *fmt = api_query(r, "format");
    char name[64], why[256] = "";
    int rc;

    if (fmt != NULL && ew_report_format_parse(fmt, &req.format) != EW_OK)
        return api_error(r, 400, "bad_param", "format must be html or xlsx");
    if (period_param(r, &req) != EW_OK)
        return EW_OK;
    if ((rc = ew_report_make(r->store, &req, &r->out, why, sizeof(why))) != EW_OK)
        return rc == EW_ETOOBIG ? api_error(r, 413, "too_large", "%s", why)
                                : api_error(r, 500, "report", "%s", why);
    if (ew_report_filename(&req, name, sizeof(name)) != EW_OK)
        snprintf(name, sizeof(name), "report.%s", ew_report_ext(req.format));
    snprintf(disposition, sizeof(disposition), "%s; filename=\"%s\"",
             req.format == EW_REPORT_XLSX ? "attachment" : "inline", name);
    r->content_type = ew_report_mime(req.format);
    r->disposition = disposition;
    return EW_OK;
}

/* GET /api/v1/reports/air-daily?date=YYYY-MM-DD&format=html|xlsx */
static int
air_daily(struct api_req *r)
{
    return report(r, EW_REPORT_AIR_DAILY);
}

/* GET /api/v1/reports/air-monthly?month=YYYY-MM&format=html|xlsx */
static int
air_monthly(struct api_req *r)
{
    return report(r, EW_REPORT_AIR_MONTHLY);
}

/* GET /api/v1/reports/sources-monthly?month=YYYY-MM&format=html|xlsx */
static int
sources_monthly(struct api_req *r)
{
    return report(r, EW_REPORT_SOURCES_MONTHLY);
}

const struct api_route ew__api_routes_reports[] = {
    { "GET", "/api/v1/reports/air-daily", air_daily },
    { "GET", "/api/v1/reports/air-monthly", air_monthly },
    { "GET", "/api/v1/reports/sources-monthly", sources_monthly },
    { NULL, NULL, NULL },
};
