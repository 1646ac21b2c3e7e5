/* SPDX-License-Identifier: MIT */
/*
 * Reports a bureau publishes, built from the store: the daily and monthly air quality reports
 * (station, county and city AQI, levels, primary pollutants, rankings, good-day share, month
 * and year to date, targets, alerts) and the monthly pollution-source report (exceedance
 * alarms, 传输有效率, emission totals), each as a printable HTML page (A4) or an .xlsx
 * workbook (libxlsxwriter).
 *
 * Every number is one the HTTP API serves: the rows the daemon stored (src/ingest/air_live.c,
 * src/alarm/) and the statistics of envwatch/air.h and envwatch/emission.h, gathered by the
 * same loaders as the API (src/util/reportair.h, reportsrc.h). Nothing here writes to the
 * store except ew_report_setting_put. docs/reports.md describes the reports for users.
 *
 * Errors: EW_OK or a negative ew_err; a sentence on what went wrong goes to why[0..wlen)
 * when why is not NULL. Functions are thread-safe on distinct store handles.
 */
#ifndef EW_REPORT_H
#define EW_REPORT_H

#include <stddef.h>
#include <stdint.h>

struct ew_store;
struct ew_buf;

enum ew_report_kind {
    EW_REPORT_AIR_DAILY = 1,            /* 环境空气质量日报: one day */
    EW_REPORT_AIR_MONTHLY = 2,          /* 环境空气质量月报: one month */
    EW_REPORT_SOURCES_MONTHLY = 3,      /* 污染源监测月报: one month */
};

enum ew_report_format {
    EW_REPORT_HTML = 1,                 /* UTF-8 HTML page, print-ready (A4) */
    EW_REPORT_XLSX = 2,                 /* Office Open XML workbook */
};

/* "daily" or "air-daily", "monthly" or "air-monthly", "sources" or "sources-monthly";
 * EW_EINVAL otherwise. */
int ew_report_kind_parse(const char *name, int *kind);
/* "air-daily" "air-monthly" "sources-monthly"; "" for an unknown kind. */
const char *ew_report_kind_name(int kind);
/* "html" or "xlsx"; EW_EINVAL otherwise. */
int ew_report_format_parse(const char *name, int *format);
/* The MIME type and file extension ("html", "xlsx") of a format; "" when unknown. */
const char *ew_report_mime(int format);
const char *ew_report_ext(int format);

/* What to build. */
struct ew_report_req {
    int         kind;                   /* enum ew_report_kind */
    int         format;                 /* enum ew_report_format */
    int         year, month, day;       /* the day (daily) or month (day 0) reported */
    const char *bureau;                 /* issuing bureau; NULL or "": the store's setting */
    const char *city;                   /* city in the titles; NULL or "": the setting */
    int64_t     now_unix_s;             /* when it is made: printed as such, and the end of
                                           "to date" figures of a period not over yet */
};

/*
 * Parses the period of a report: "YYYY-MM-DD" for the daily report, "YYYY-MM" for the
 * monthly ones, into req->year, month, day (2000-2099). EW_EFORMAT for another shape or an
 * impossible date; req is written only on success.
 */
int ew_report_period_parse(int kind, const char *text, struct ew_report_req *req);

/*
 * Builds the report req asks for from store s and appends it to out (HTML text, or the bytes
 * of the workbook). EW_EINVAL for a bad kind, format or period; EW_ETOOBIG when out's limit
 * is reached; EW_ENOMEM; EW_EIO when the workbook cannot be written (temporary file); the
 * store's error otherwise. A period without data still gives a report (its tables say so).
 */
int ew_report_make(struct ew_store *s, const struct ew_report_req *req, struct ew_buf *out,
                   char *why, size_t wlen);

/* The name a saved report gets: "air-daily-2019-01-06.html", "sources-monthly-2019-01.xlsx".
 * EW_EINVAL for a bad request; out must hold 64 bytes. */
int ew_report_filename(const struct ew_report_req *req, char *out, size_t len);

/* ---- settings (kept in the store, so the CLI and the API print the same names) ------------ */

#define EW_REPORT_SETTING_BUREAU "report.bureau"    /* "阳泉市生态环境局" */
#define EW_REPORT_SETTING_CITY "report.city"        /* "阳泉市" */
#define EW_REPORT_SETTING_MAX 128                   /* bytes of a value */

/* Stores a setting (one of the keys above; value 1..EW_REPORT_SETTING_MAX bytes of text
 * without control characters, or "" to remove it). EW_EINVAL for another key or value. */
int ew_report_setting_put(struct ew_store *s, const char *key, const char *value);
/* The setting's value into out[0..len), "" when unset. */
int ew_report_setting_get(struct ew_store *s, const char *key, char *out, size_t len);

#endif
