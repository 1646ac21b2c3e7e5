/* SPDX-License-Identifier: MIT */
/*
 * Shared inside src/report/: the document model every report is built as, and the two
 * renderers that turn it into HTML or a workbook. A builder (air_daily.c, air_monthly.c,
 * sources.c) fills a document with headings, sentences, key figures and tables of typed
 * cells; html.c and xlsx.c never know which report they print, so the page and the workbook
 * of a report always hold the same numbers.
 *
 * Errors are sticky: the first failure (out of memory, a limit) is kept in doc->err and
 * every later call does nothing, so a builder checks once, at the end.
 */
#ifndef EW_REPORT_INTERNAL_H
#define EW_REPORT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <envwatch/err.h>
#include <envwatch/report.h>
#include <envwatch/store.h>

#include "util/buf.h"

#define RP_TABLE_MAX_ROWS 20000         /* rows of one table (bounds memory) */
#define RP_TEXT_MAX 2000                /* bytes of one text */

enum rp_cell_type {
    RP_EMPTY = 0,                       /* no value: printed "—" */
    RP_TEXT,
    RP_NUM,                             /* number shown with 'decimals' decimals */
};

#define RP_BOLD 0x01
#define RP_BAD 0x02                     /* a failure: exceeded, not passed (red) */
#define RP_MUTED 0x04                   /* a side note: control station (grey) */

struct rp_cell {
    int    type;
    double num;
    int    decimals;
    char  *text;
    int    level;                       /* AQI level 1..6 to colour the cell; 0 none */
    int    flags;
};

/* A column: a stable key (HTML data-col) and the printed header. */
struct rp_col {
    const char *key;
    const char *head;
    int         width;                  /* workbook column width in characters */
};

struct rp_table {
    char                *id, *caption, *note;
    const struct rp_col *cols;
    size_t               ncols;
    struct rp_cell      *cells;         /* nrows * ncols */
    size_t               nrows, cap;
};

enum rp_block_type {
    RP_HEADING = 1,                     /* a section title */
    RP_PARA,                            /* a sentence or two */
    RP_FIGURES,                         /* key figures: label, value, unit (a table) */
    RP_TABLE,
    RP_SHEET,                           /* workbook: start a new sheet named text */
};

#define RP_ANNEX 0x01                   /* a heading that starts an annex: a new printed page */

struct rp_block {
    int              type;
    int              flags;
    char            *text;
    struct rp_table *table;
};

struct rp_doc {
    int     err;                        /* the first failure; EW_OK while fine */
    char   *bureau, *title, *title_en, *period;
    int     landscape;                  /* wide tables: print A4 landscape */
    int64_t made_unix_s;
    struct rp_block *blocks;
    size_t  nblocks, cap;
    char  **notes;                      /* footnotes: sources and rules */
    size_t  nnotes, capnotes;
};

/* ---- doc.c ---------------------------------------------------------------------------- */

void rp_doc_init(struct rp_doc *d);
void rp_doc_free(struct rp_doc *d);
/* Sets *field to a copy of the formatted text (the header fields of the document). */
void rp_set(struct rp_doc *d, char **field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void rp_heading(struct rp_doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A heading that starts an annex (printed on a new page). */
void rp_annex(struct rp_doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rp_para(struct rp_doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rp_sheet(struct rp_doc *d, const char *name);
void rp_note(struct rp_doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A new table (or a key-figure block when figures is 1); NULL after a failure, and the
 * rp_* cell calls accept NULL. cols must outlive the document (static tables). */
struct rp_table *rp_table(struct rp_doc *d, int figures, const char *id, const char *caption,
                          const struct rp_col *cols, size_t ncols);
void rp_table_note(struct rp_doc *d, struct rp_table *t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Appends an empty row; cells are then set by column with the calls below. */
void rp_row(struct rp_doc *d, struct rp_table *t);
/* The cell of the last row at column col. */
void rp_text(struct rp_doc *d, struct rp_table *t, size_t col, const char *s);
void rp_textf(struct rp_doc *d, struct rp_table *t, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A number (NAN leaves the cell empty); an integer is a number with no decimals. */
void rp_num(struct rp_doc *d, struct rp_table *t, size_t col, double v, int decimals);
void rp_int(struct rp_doc *d, struct rp_table *t, size_t col, long long v);
void rp_style(struct rp_table *t, size_t col, int level, int flags);

/* The text of a cell as printed ("—" when empty) into out[0..len). */
void rp_cell_text(const struct rp_cell *c, char *out, size_t len);

/* ---- report.c -------------------------------------------------------------------------- */

/* Writes the sentence to why[0..wlen) when why is not NULL; returns err. */
int ew__report_say(char *why, size_t wlen, int err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ---- renderers ---------------------------------------------------------------------------- */

int ew__report_html(const struct rp_doc *d, struct ew_buf *out);
int ew__report_xlsx(const struct rp_doc *d, struct ew_buf *out, char *why, size_t wlen);

/* ---- builders ------------------------------------------------------------------------------ */

/* The names printed in the header, from the request or the store's settings. */
struct rp_names {
    char bureau[EW_REPORT_SETTING_MAX + 1];
    char city[EW_REPORT_SETTING_MAX + 1];
};

int ew__report_air_daily(struct ew_store *s, const struct ew_report_req *req,
                         const struct rp_names *n, struct rp_doc *d);
int ew__report_air_monthly(struct ew_store *s, const struct ew_report_req *req,
                           const struct rp_names *n, struct rp_doc *d);
int ew__report_sources(struct ew_store *s, const struct ew_report_req *req,
                       const struct rp_names *n, struct rp_doc *d);

/* ---- air.c: pieces both air reports print ---------------------------------------------- */

/* The primary pollutants of an AQI result as the platform words them ("细颗粒物(PM2.5)"),
 * joined by "、"; "—" when none (AQI <= 50). */
void ew__report_primary(unsigned primary, char *out, size_t len);
/* "2019年1月6日" (day > 0) or "2019年1月". */
void ew__report_date_zh(int year, int month, int day, char *out, size_t len);
/* "星期日" for the day that holds t_unix_s (CST). */
const char *ew__report_weekday_zh(int64_t t_unix_s);
/* The footnotes on the air rules (HJ 633-2012, HJ 663-2013, the real-time rule). */
void ew__report_air_notes(struct rp_doc *d);
/* The AQI, level and category of an AQI (< 0: none) at columns col, col + 1, col + 2. */
void ew__report_aqi_cells(struct rp_doc *d, struct rp_table *t, size_t col, int aqi);
/* The AQI cells of a row and its primary pollutants at col + 3. */
void ew__report_row_aqi(struct rp_doc *d, struct rp_table *t, size_t col,
                        const struct ew_air_row *r);
/* The row's concentrations in enum ew_air_item order from col (without the O3 8-hour slot
 * unless with_8h), rounded as published, exceeding items (IAQI > 100) marked. */
void ew__report_conc_cells(struct rp_doc *d, struct rp_table *t, size_t col,
                           const struct ew_air_row *row, int with_8h);

/* ---- air_data.c: what both air reports load --------------------------------------------- */

struct air_rows {
    struct ew_air_row *v;
    size_t n, cap;
};

struct air_points {
    struct ew_point *v;
    size_t n, cap;
};

/* The stored rows of a scope (every name) and period in [from, to]. */
int ew__report_rows(struct ew_store *s, int scope, int period, int64_t from, int64_t to,
                    struct air_rows *out);
/* The registered air stations, by MN. */
int ew__report_stations(struct ew_store *s, struct air_points *out);
const struct ew_point *ew__report_station(const struct air_points *p, const char *mn);

/* The city's figures from 1 January (and from the 1st of the month) to a day. */
struct air_to_date {
    int    year, month, day;            /* the last day counted */
    struct ew_air_period mtd, ytd;      /* month and year to date */
    struct ew_air_ci mtd_ci, ytd_ci;    /* sum NAN when not computable */
    int    has_target;                  /* a target of the year (or the default) exists */
    struct ew_air_target target;
    struct ew_air_target_progress prog;
};

int  ew__report_to_date_load(struct ew_store *s, int year, int month, int day,
                             struct air_to_date *out);
/* Sections: the to-date table (the month's row only when with_month), the targets, and
 * the heavy-pollution alerts on at some time in [from, to]. */
void ew__report_to_date(struct rp_doc *d, const struct air_to_date *t, int with_month,
                        const char *heading);
void ew__report_targets(struct rp_doc *d, const struct air_to_date *t, const char *heading);
int  ew__report_alerts(struct rp_doc *d, struct ew_store *s, int64_t from, int64_t to,
                       const char *heading);

#endif
