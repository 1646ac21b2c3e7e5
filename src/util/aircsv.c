/* SPDX-License-Identifier: MIT */
/* Cell parsing, column lookup and a CSV/JSON table writer for the air-quality commands. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <envwatch/air.h>
#include <envwatch/err.h>

#include "util/aircsv.h"
#include "util/buf.h"
#include "util/csv.h"
#include "util/json.h"

/* Digits with an optional fraction and exponent: what strtod reads, minus signs, hex,
 * "inf" and "nan", so that a cell is a plain non-negative number or an error. */
static int
plain_decimal(const char *s)
{
    int digits = 0;

    for (; isdigit((unsigned char)*s); s++)
        digits++;
    if (*s == '.')
        for (s++; isdigit((unsigned char)*s); s++)
            digits++;
    if (digits == 0)
        return 0;
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        if (!isdigit((unsigned char)*s))
            return 0;
        while (isdigit((unsigned char)*s))
            s++;
    }
    while (isspace((unsigned char)*s))
        s++;
    return *s == '\0';
}

int
ew_aircsv_num(const char *s, double *out)
{
    char *end;
    double v;

    while (isspace((unsigned char)*s))
        s++;
    if (*s == '\0') {
        *out = NAN;
        return EW_OK;
    }
    if (!plain_decimal(s))
        return EW_EFORMAT;
    errno = 0;
    v = strtod(s, &end);
    if (end == s || errno != 0 || !isfinite(v))
        return EW_EFORMAT;
    while (isspace((unsigned char)*end))
        end++;
    if (*end != '\0')
        return EW_EFORMAT;
    *out = v;
    return EW_OK;
}

/* Equal ignoring ASCII case and blanks around a. */
static int
same_name(const char *a, const char *b)
{
    size_t len;

    while (isspace((unsigned char)*a))
        a++;
    len = strlen(a);
    while (len > 0 && isspace((unsigned char)a[len - 1]))
        len--;
    return len == strlen(b) && strncasecmp(a, b, len) == 0;
}

int
ew_aircsv_col(char **fields, size_t n, const char *const *names, size_t n_names)
{
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < n_names; k++)
            if (same_name(fields[i], names[k]))
                return (int)i;
    return -1;
}

void
ew_aircsv_items(unsigned mask, char sep, char *out, size_t cap)
{
    size_t len = 0;

    if (cap == 0)
        return;
    out[0] = '\0';
    for (int i = 0; i < EW_AIR_NITEMS; i++) {
        const char *tok = ew_air_item_token(i);
        size_t tl = strlen(tok);
        if (!(mask & (1u << i)))
            continue;
        if (len + tl + 2 > cap)
            return;
        if (len > 0)
            out[len++] = sep;
        memcpy(out + len, tok, tl + 1);
        len += tl;
    }
}

enum cell_kind { CELL_UNSET = 0, CELL_STR, CELL_NUM };

struct ew_airtab {
    FILE          *out;
    int            json, started, failed;
    size_t         ncols;
    char         **names;
    struct ew_buf  cells;       /* the current row's cell texts, each NUL-terminated */
    size_t        *off;
    unsigned char *kind;
    struct ew_buf  line;
};

int
ew_airtab_create(FILE *out, int json, const char *const *names, size_t ncols,
                 struct ew_airtab **tp)
{
    struct ew_airtab *t;

    if (out == NULL || names == NULL || ncols == 0 || tp == NULL)
        return EW_EINVAL;
    t = calloc(1, sizeof(*t));
    if (t == NULL)
        return EW_ENOMEM;
    t->names = calloc(ncols, sizeof(*t->names));
    t->off = calloc(ncols, sizeof(*t->off));
    t->kind = calloc(ncols, 1);
    for (size_t i = 0; t->names != NULL && i < ncols; i++)
        if ((t->names[i] = strdup(names[i])) == NULL)
            break;
    t->out = out;
    t->json = json;
    t->ncols = ncols;
    ew_buf_init(&t->cells, 0);
    ew_buf_init(&t->line, 0);
    if (t->names == NULL || t->off == NULL || t->kind == NULL || t->names[ncols - 1] == NULL) {
        ew_airtab_finish(t);
        return EW_ENOMEM;
    }
    *tp = t;
    return EW_OK;
}

static int
set_cell(struct ew_airtab *t, size_t col, const char *s, int kind)
{
    if (col >= t->ncols)
        return EW_EINVAL;
    t->off[col] = t->cells.len;
    t->kind[col] = (unsigned char)kind;
    if (ew_buf_adds(&t->cells, s) != EW_OK || ew_buf_addc(&t->cells, '\0') != EW_OK) {
        t->kind[col] = CELL_UNSET;
        return EW_ENOMEM;
    }
    return EW_OK;
}

int
ew_airtab_str(struct ew_airtab *t, size_t col, const char *s)
{
    return set_cell(t, col, s, CELL_STR);
}

int
ew_airtab_num(struct ew_airtab *t, size_t col, double v, int decimals)
{
    char tmp[64];

    if (isnan(v))
        return col < t->ncols ? EW_OK : EW_EINVAL;
    snprintf(tmp, sizeof(tmp), "%.*f", decimals, v);
    return set_cell(t, col, tmp, CELL_NUM);
}

int
ew_airtab_numg(struct ew_airtab *t, size_t col, double v)
{
    char tmp[64];

    if (isnan(v))
        return col < t->ncols ? EW_OK : EW_EINVAL;
    snprintf(tmp, sizeof(tmp), "%.10g", v);
    return set_cell(t, col, tmp, CELL_NUM);
}

int
ew_airtab_int(struct ew_airtab *t, size_t col, long v)
{
    char tmp[32];

    snprintf(tmp, sizeof(tmp), "%ld", v);
    return set_cell(t, col, tmp, CELL_NUM);
}

static int
csv_line(struct ew_airtab *t, int header)
{
    int rc = EW_OK;

    for (size_t i = 0; i < t->ncols && rc == EW_OK; i++) {
        if (i > 0)
            rc = ew_buf_addc(&t->line, ',');
        if (rc == EW_OK && header)
            rc = ew_csv_field(&t->line, t->names[i]);
        else if (rc == EW_OK && t->kind[i] != CELL_UNSET)
            rc = ew_csv_field(&t->line, t->cells.ptr + t->off[i]);
    }
    return rc == EW_OK ? ew_buf_addc(&t->line, '\n') : rc;
}

static int
json_object(struct ew_airtab *t)
{
    int rc = ew_buf_adds(&t->line, t->started ? ",\n{" : "[\n{");

    for (size_t i = 0; i < t->ncols && rc == EW_OK; i++) {
        const char *cell = t->cells.ptr + t->off[i];
        if (i > 0)
            rc = ew_buf_addc(&t->line, ',');
        if (rc == EW_OK)
            rc = ew_json_key(&t->line, t->names[i]);
        if (rc != EW_OK)
            break;
        if (t->kind[i] == CELL_NUM)
            rc = ew_buf_adds(&t->line, cell);
        else if (t->kind[i] == CELL_STR)
            rc = ew_json_strz(&t->line, cell);
        else
            rc = ew_buf_adds(&t->line, "null");
    }
    return rc == EW_OK ? ew_buf_addc(&t->line, '}') : rc;
}

static int
flush_line(struct ew_airtab *t)
{
    if (t->line.len > 0 && fwrite(t->line.ptr, 1, t->line.len, t->out) != t->line.len)
        t->failed = 1;
    ew_buf_reset(&t->line);
    return t->failed ? EW_EIO : EW_OK;
}

int
ew_airtab_row(struct ew_airtab *t)
{
    int rc = EW_OK;

    if (!t->json && !t->started)
        rc = csv_line(t, 1);
    if (rc == EW_OK)
        rc = t->json ? json_object(t) : csv_line(t, 0);
    t->started = 1;
    memset(t->kind, 0, t->ncols);
    ew_buf_reset(&t->cells);
    if (rc != EW_OK) {
        ew_buf_reset(&t->line);
        return rc;
    }
    return flush_line(t);
}

int
ew_airtab_finish(struct ew_airtab *t)
{
    int rc = EW_OK;

    if (t == NULL)
        return EW_OK;
    if (t->names != NULL && t->kind != NULL && t->names[t->ncols - 1] != NULL) {
        if (t->json)
            rc = ew_buf_adds(&t->line, t->started ? "\n]\n" : "[]\n");
        else if (!t->started)
            rc = csv_line(t, 1);
        if (rc == EW_OK)
            rc = flush_line(t);
        if (fflush(t->out) != 0)
            rc = EW_EIO;
    }
    for (size_t i = 0; t->names != NULL && i < t->ncols; i++)
        free(t->names[i]);
    free(t->names);
    free(t->off);
    free(t->kind);
    ew_buf_fini(&t->cells);
    ew_buf_fini(&t->line);
    free(t);
    return rc;
}
