/* SPDX-License-Identifier: MIT */
/* A bounded RFC 4180 CSV reader and a field writer. */
#include <stdlib.h>
#include <string.h>

#include <envwatch/err.h>

#include "util/csv.h"

struct ew_csv {
    FILE         *in;
    size_t        max_row, max_fields, line;
    int           started;
    struct ew_buf row;          /* field bytes, each followed by NUL */
    size_t       *offs;         /* offsets of the fields in row */
    char        **fields;
};

int
ew_csv_open(FILE *in, size_t max_row, size_t max_fields, struct ew_csv **out)
{
    struct ew_csv *c;

    if (in == NULL || max_row == 0 || max_fields == 0)
        return EW_EINVAL;
    c = calloc(1, sizeof(*c));
    if (c == NULL)
        return EW_ENOMEM;
    c->offs = calloc(max_fields, sizeof(*c->offs));
    c->fields = calloc(max_fields, sizeof(*c->fields));
    if (c->offs == NULL || c->fields == NULL) {
        free(c->offs);
        free(c->fields);
        free(c);
        return EW_ENOMEM;
    }
    c->in = in;
    c->max_row = max_row;
    c->max_fields = max_fields;
    c->line = 1;
    ew_buf_init(&c->row, max_row + max_fields);
    *out = c;
    return EW_OK;
}

void
ew_csv_close(struct ew_csv *c)
{
    if (c == NULL)
        return;
    ew_buf_fini(&c->row);
    free(c->offs);
    free(c->fields);
    free(c);
}

static int
end_field(struct ew_csv *c, size_t *n)
{
    if (*n >= c->max_fields)
        return EW_ETOOBIG;
    if (ew_buf_addc(&c->row, '\0') != EW_OK)
        return EW_ETOOBIG;
    (*n)++;
    if (*n < c->max_fields)
        c->offs[*n] = c->row.len;
    return EW_OK;
}

int
ew_csv_next(struct ew_csv *c, char ***fields, size_t *n_out, size_t *line)
{
    size_t n = 0, start = c->line;
    int ch, quoted = 0, any = 0, rc;

    ew_buf_reset(&c->row);
    c->offs[0] = 0;
    if (!c->started) {
        c->started = 1;
        ch = getc(c->in);
        if (ch == 0xEF) {
            if (getc(c->in) != 0xBB || getc(c->in) != 0xBF)
                return EW_EFORMAT;
        } else if (ch != EOF) {
            ungetc(ch, c->in);
        }
    }
    for (;;) {
        ch = getc(c->in);
        if (ch == EOF) {
            if (quoted)
                return EW_EFORMAT;
            if (!any)
                return EW_ENOTFOUND;
            break;
        }
        any = 1;
        if (quoted) {
            if (ch == '"') {
                int next = getc(c->in);
                if (next != '"') {
                    quoted = 0;
                    if (next != EOF)
                        ungetc(next, c->in);
                    continue;
                }
            } else if (ch == '\n') {
                c->line++;
            }
        } else if (ch == '"') {
            quoted = 1;
            continue;
        } else if (ch == ',') {
            if ((rc = end_field(c, &n)) != EW_OK)
                return rc;
            continue;
        } else if (ch == '\r') {
            int next = getc(c->in);
            if (next != '\n' && next != EOF)
                ungetc(next, c->in);
            c->line++;
            break;
        } else if (ch == '\n') {
            c->line++;
            break;
        }
        if (c->row.len >= c->max_row || ew_buf_addc(&c->row, (char)ch) != EW_OK)
            return EW_ETOOBIG;
    }
    if ((rc = end_field(c, &n)) != EW_OK)
        return rc;
    for (size_t i = 0; i < n; i++)
        c->fields[i] = c->row.ptr + c->offs[i];
    *fields = c->fields;
    *n_out = n;
    if (line != NULL)
        *line = start;
    return EW_OK;
}

int
ew_csv_field(struct ew_buf *b, const char *s)
{
    int rc;

    if (strpbrk(s, ",\"\r\n") == NULL)
        return ew_buf_adds(b, s);
    if ((rc = ew_buf_addc(b, '"')) != EW_OK)
        return rc;
    for (; *s != '\0'; s++) {
        if (*s == '"' && (rc = ew_buf_addc(b, '"')) != EW_OK)
            return rc;
        if ((rc = ew_buf_addc(b, *s)) != EW_OK)
            return rc;
    }
    return ew_buf_addc(b, '"');
}
