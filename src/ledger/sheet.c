/* SPDX-License-Identifier: MIT */
/*
 * The in-memory sheet import works on: a header row and data rows of text cells, read from
 * CSV here (util/csv.h) or from .xlsx (xlsx.c). Bounded in rows, columns and cell size.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <envwatch/err.h>

#include "ledger/internal.h"
#include "util/csv.h"

const char *
ew__sheet_cell(const struct ew__sheet *sh, size_t r, size_t c)
{
    const char *v;

    if (r >= sh->rows || c >= sh->cols)
        return "";
    v = sh->cell[r * sh->cols + c];
    return v != NULL ? v : "";
}

void
ew__sheet_free(struct ew__sheet *sh)
{
    if (sh->cell != NULL)
        for (size_t i = 0; i < sh->rows * sh->cols; i++)
            free(sh->cell[i]);
    free(sh->cell);
    free(sh->line);
    memset(sh, 0, sizeof(*sh));
}

struct rows {
    char  **cell;
    size_t *line;
    size_t  n, cap, cols;
};

static int
add_row(struct rows *rs, char **fields, size_t n, size_t line)
{
    if (rs->n == 0)
        rs->cols = n;                   /* the header fixes the width */
    if (rs->n == rs->cap) {
        size_t cap = rs->cap ? rs->cap * 2 : 256;
        char **c = realloc(rs->cell, cap * rs->cols * sizeof(*c));
        size_t *l;
        if (c == NULL)
            return EW_ENOMEM;
        rs->cell = c;
        if ((l = realloc(rs->line, cap * sizeof(*l))) == NULL)
            return EW_ENOMEM;
        rs->line = l;
        rs->cap = cap;
    }
    for (size_t i = 0; i < rs->cols; i++) {
        char *v = strdup(i < n ? fields[i] : "");
        if (v == NULL)
            return EW_ENOMEM;
        rs->cell[rs->n * rs->cols + i] = v;
    }
    rs->line[rs->n++] = line;
    return EW_OK;
}

int
ew__sheet_csv(const void *data, size_t len, struct ew__sheet *out, char *why, size_t wlen)
{
    FILE *in = fmemopen((void *)data, len, "r");
    struct rows rs = { 0 };
    struct ew_csv *csv = NULL;
    char **fields;
    size_t n, line;
    int rc;

    memset(out, 0, sizeof(*out));
    if (in == NULL)
        return EW_ENOMEM;
    rc = ew_csv_open(in, EW__SHEET_MAX_CELL * 4, EW__SHEET_MAX_COLS, &csv);
    while (rc == EW_OK && (rc = ew_csv_next(csv, &fields, &n, &line)) == EW_OK) {
        if (n == 1 && fields[0][0] == '\0')
            continue;                   /* a blank line */
        if (rs.n > EW__SHEET_MAX_ROWS) {
            rc = EW_ETOOBIG;
            break;
        }
        rc = add_row(&rs, fields, n, line);
    }
    ew_csv_close(csv);
    fclose(in);
    out->rows = rs.n;
    out->cols = rs.cols;
    out->cell = rs.cell;
    out->line = rs.line;
    if (rc == EW_ENOTFOUND)
        rc = rs.n > 0 ? EW_OK : EW_ENODATA;
    if (rc != EW_OK) {
        ew__sheet_free(out);
        return ew__ledger_say(why, wlen, rc, rc == EW_ENODATA ? "the file is empty"
                              : rc == EW_ETOOBIG ? "a row or the file exceeds the import limits"
                              : "the CSV cannot be read (an unterminated quote?)");
    }
    return EW_OK;
}
