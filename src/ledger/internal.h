/* SPDX-License-Identifier: MIT */
/*
 * Shared inside src/ledger/: small helpers of the module and the in-memory sheet that
 * import reads from CSV or .xlsx. Nothing here is visible outside src/ledger/.
 */
#ifndef EW_LEDGER_INTERNAL_H
#define EW_LEDGER_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <envwatch/ledger.h>

/* Writes a sentence to why[0..len) when why is not NULL; returns rc. */
int ew__ledger_say(char *why, size_t len, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Copies src into dst[size], cut at size-1 bytes on a UTF-8 boundary; NULL copies "". */
void ew__ledger_copy(char *dst, size_t size, const char *src);
/* The rules to use: r, or the defaults when r is NULL. */
const struct ew_ledger_rules *ew__ledger_rules(const struct ew_ledger_rules *r);
/* Fills the history line's actor fields and time. */
void ew__ledger_event_init(struct ew_ledger_event *ev, const struct ew_ledger_actor *who,
                           const char *action, int64_t now_unix_s);

/* The states where the responsible unit's part is done and the deadline no longer runs. */
int ew__ledger_state_stops_clock(int kind, int state);
/* 1 when role may register a new item of the kind (workflow.c's table). */
int ew__ledger_may_register(int kind, const char *role);
/* Fills what a new item gets by law or by default (opening time, a complaint's acceptance
 * deadline, the clock and closing marks of its state) -- shared by create and import. */
void ew__ledger_prepare_new(struct ew_ledger_item *it, int64_t now_unix_s,
                            const struct ew_ledger_rules *rules);
/* The state a new item of the kind starts in. */
int ew__ledger_first_state(int kind);

/* A table of text cells read from a workbook or a CSV file: cell(r, c) is never NULL ("" for
 * an empty cell); line[r] is the row's number in the source (1-based, header is row 0). */
struct ew__sheet {
    size_t  rows, cols;
    char  **cell;                       /* rows * cols strings, each malloc'ed */
    size_t *line;
};

#define EW__SHEET_MAX_ROWS 200000
#define EW__SHEET_MAX_COLS 128
#define EW__SHEET_MAX_CELL 8192

const char *ew__sheet_cell(const struct ew__sheet *sh, size_t r, size_t c);
void ew__sheet_free(struct ew__sheet *sh);
/* Reads CSV text (UTF-8, optional BOM). EW_EFORMAT/EW_ETOOBIG with the reason. */
int  ew__sheet_csv(const void *data, size_t len, struct ew__sheet *out, char *why, size_t wlen);
/* Reads the first worksheet of an .xlsx workbook: shared and inline strings, numbers,
 * booleans; cells with a date format become "YYYY-MM-DD" (or "YYYY-MM-DD hh:mm"). */
int  ew__sheet_xlsx(const void *data, size_t len, struct ew__sheet *out, char *why, size_t wlen);

#endif
