/* SPDX-License-Identifier: MIT */
/*
 * The document model of a report (internal.h): blocks of headings, sentences, key figures and
 * tables of typed cells, owned by the document and freed with it. Errors are sticky in
 * doc->err so builders stay linear. Not a renderer.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/internal.h"

void
rp_doc_init(struct rp_doc *d)
{
    memset(d, 0, sizeof(*d));
}

static void
table_free(struct rp_table *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i].text);
    free(t->cells);
    free(t->id);
    free(t->caption);
    free(t->note);
    free(t);
}

void
rp_doc_free(struct rp_doc *d)
{
    for (size_t i = 0; i < d->nblocks; i++) {
        free(d->blocks[i].text);
        table_free(d->blocks[i].table);
    }
    for (size_t i = 0; i < d->nnotes; i++)
        free(d->notes[i]);
    free(d->blocks);
    free(d->notes);
    free(d->bureau);
    free(d->title);
    free(d->title_en);
    free(d->period);
    memset(d, 0, sizeof(*d));
}

static void
fail(struct rp_doc *d, int err)
{
    if (d->err == EW_OK)
        d->err = err;
}

/* A heap copy of the formatted text, or NULL after recording the failure. */
static char *vdup(struct rp_doc *d, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static char *
vdup(struct rp_doc *d, const char *fmt, va_list ap)
{
    char tmp[RP_TEXT_MAX + 1];
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    char *s;

    if (n < 0 || (size_t)n > RP_TEXT_MAX) {
        fail(d, EW_ETOOBIG);
        return NULL;
    }
    if ((s = strdup(tmp)) == NULL)
        fail(d, EW_ENOMEM);
    return s;
}

void
rp_set(struct rp_doc *d, char **field, const char *fmt, ...)
{
    va_list ap;
    char *s;

    if (d->err != EW_OK)
        return;
    va_start(ap, fmt);
    s = vdup(d, fmt, ap);
    va_end(ap);
    if (s != NULL) {
        free(*field);
        *field = s;
    }
}

static struct rp_block *
add_block(struct rp_doc *d, int type)
{
    if (d->err != EW_OK)
        return NULL;
    if (d->nblocks == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        struct rp_block *v = realloc(d->blocks, cap * sizeof(*v));
        if (v == NULL) {
            fail(d, EW_ENOMEM);
            return NULL;
        }
        d->blocks = v;
        d->cap = cap;
    }
    d->blocks[d->nblocks] = (struct rp_block){ .type = type };
    return &d->blocks[d->nblocks++];
}

/* Adds a block holding s (taken over; freed when the block cannot be added). */
static void
add_text(struct rp_doc *d, int type, char *s)
{
    struct rp_block *b;

    if (s == NULL)
        return;
    if ((b = add_block(d, type)) == NULL) {
        free(s);
        return;
    }
    b->text = s;
}

static void text_block(struct rp_doc *d, int type, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

static void
text_block(struct rp_doc *d, int type, const char *fmt, va_list ap)
{
    if (d->err == EW_OK)
        add_text(d, type, vdup(d, fmt, ap));
}

void
rp_heading(struct rp_doc *d, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    text_block(d, RP_HEADING, fmt, ap);
    va_end(ap);
}

void
rp_annex(struct rp_doc *d, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    text_block(d, RP_HEADING, fmt, ap);
    va_end(ap);
    if (d->err == EW_OK)
        d->blocks[d->nblocks - 1].flags |= RP_ANNEX;
}

void
rp_para(struct rp_doc *d, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    text_block(d, RP_PARA, fmt, ap);
    va_end(ap);
}

void
rp_sheet(struct rp_doc *d, const char *name)
{
    char *s;

    if (d->err != EW_OK)
        return;
    if ((s = strdup(name)) == NULL)
        fail(d, EW_ENOMEM);
    add_text(d, RP_SHEET, s);
}

void
rp_note(struct rp_doc *d, const char *fmt, ...)
{
    va_list ap;
    char *s;

    if (d->err != EW_OK)
        return;
    if (d->nnotes == d->capnotes) {
        size_t cap = d->capnotes ? d->capnotes * 2 : 8;
        char **v = realloc(d->notes, cap * sizeof(*v));
        if (v == NULL) {
            fail(d, EW_ENOMEM);
            return;
        }
        d->notes = v;
        d->capnotes = cap;
    }
    va_start(ap, fmt);
    s = vdup(d, fmt, ap);
    va_end(ap);
    if (s != NULL)
        d->notes[d->nnotes++] = s;
}

struct rp_table *
rp_table(struct rp_doc *d, int figures, const char *id, const char *caption,
         const struct rp_col *cols, size_t ncols)
{
    struct rp_table *t;
    struct rp_block *b;

    if (d->err != EW_OK)
        return NULL;
    if ((t = calloc(1, sizeof(*t))) == NULL) {
        fail(d, EW_ENOMEM);
        return NULL;
    }
    t->cols = cols;
    t->ncols = ncols;
    t->id = strdup(id);
    t->caption = strdup(caption != NULL ? caption : "");
    if (t->id == NULL || t->caption == NULL || (b = add_block(d, figures ? RP_FIGURES
                                                                          : RP_TABLE)) == NULL) {
        fail(d, EW_ENOMEM);
        table_free(t);
        return NULL;
    }
    b->table = t;
    return t;
}

void
rp_table_note(struct rp_doc *d, struct rp_table *t, const char *fmt, ...)
{
    va_list ap;
    char *s;

    if (d->err != EW_OK || t == NULL)
        return;
    va_start(ap, fmt);
    s = vdup(d, fmt, ap);
    va_end(ap);
    if (s != NULL) {
        free(t->note);
        t->note = s;
    }
}

void
rp_row(struct rp_doc *d, struct rp_table *t)
{
    if (d->err != EW_OK || t == NULL)
        return;
    if (t->nrows == RP_TABLE_MAX_ROWS) {
        fail(d, EW_ETOOBIG);
        return;
    }
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        struct rp_cell *v = realloc(t->cells, cap * t->ncols * sizeof(*v));
        if (v == NULL) {
            fail(d, EW_ENOMEM);
            return;
        }
        t->cells = v;
        t->cap = cap;
    }
    memset(&t->cells[t->nrows * t->ncols], 0, t->ncols * sizeof(*t->cells));
    t->nrows++;
}

/* The cell of the last row at col, or NULL. */
static struct rp_cell *
cell(struct rp_doc *d, struct rp_table *t, size_t col)
{
    if (d->err != EW_OK || t == NULL || t->nrows == 0 || col >= t->ncols)
        return NULL;
    return &t->cells[(t->nrows - 1) * t->ncols + col];
}

void
rp_text(struct rp_doc *d, struct rp_table *t, size_t col, const char *s)
{
    rp_textf(d, t, col, "%s", s != NULL ? s : "");
}

void
rp_textf(struct rp_doc *d, struct rp_table *t, size_t col, const char *fmt, ...)
{
    struct rp_cell *c = cell(d, t, col);
    va_list ap;
    char *s;

    if (c == NULL)
        return;
    va_start(ap, fmt);
    s = vdup(d, fmt, ap);
    va_end(ap);
    if (s == NULL)
        return;
    free(c->text);
    c->text = s;
    c->type = s[0] != '\0' ? RP_TEXT : RP_EMPTY;
}

void
rp_num(struct rp_doc *d, struct rp_table *t, size_t col, double v, int decimals)
{
    struct rp_cell *c = cell(d, t, col);

    if (c == NULL)
        return;
    c->type = isfinite(v) ? RP_NUM : RP_EMPTY;
    c->num = v;
    c->decimals = decimals < 0 ? 0 : decimals > 6 ? 6 : decimals;
}

void
rp_int(struct rp_doc *d, struct rp_table *t, size_t col, long long v)
{
    rp_num(d, t, col, (double)v, 0);
}

void
rp_style(struct rp_table *t, size_t col, int level, int flags)
{
    struct rp_cell *c;

    if (t == NULL || t->nrows == 0 || col >= t->ncols)
        return;
    c = &t->cells[(t->nrows - 1) * t->ncols + col];
    c->level = level;
    c->flags |= flags;
}

void
rp_cell_text(const struct rp_cell *c, char *out, size_t len)
{
    switch (c->type) {
    case RP_TEXT:
        snprintf(out, len, "%s", c->text);
        break;
    case RP_NUM:
        snprintf(out, len, "%.*f", c->decimals, c->num);
        if (out[0] == '-' && strspn(out + 1, "0.") == strlen(out + 1))
            memmove(out, out + 1, strlen(out));     /* -0.0 is printed 0.0 */
        break;
    default:
        snprintf(out, len, "—");
    }
}
