/* SPDX-License-Identifier: MIT */
/*
 * A report document as an .xlsx workbook (libxlsxwriter): each sheet starts with the
 * masthead (bureau, title, period), then the document's headings, sentences and tables as
 * bordered ranges with real numbers (number formats give the published decimals, so Excel
 * computes on the same values the page prints), AQI cells in the HJ 633-2012 appendix A
 * colours, and the footnotes. Sheets print on A4, one page wide, with page numbers.
 *
 * libxlsxwriter writes to a file only (1.1.4 has no memory output), so the workbook goes to
 * a temporary file that is read back into the caller's buffer and removed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include <envwatch/air.h>

#include "report/internal.h"
#include "util/time.h"

#define MIN_SPAN 8                      /* columns the masthead spans at least */
#define RED 0xC8161D
#define NFORMATS 8                      /* text, then numbers with 0..6 decimals */

struct xw {
    const struct rp_doc *d;
    lxw_workbook  *wb;
    lxw_worksheet *ws;
    lxw_row_t      row;
    lxw_col_t      span;                /* columns of the widest table of the sheet */
    double         span_chars;          /* their width in characters */
    lxw_error      err;
    lxw_format    *bureau, *title, *en, *meta, *head, *para, *th, *caption, *note;
    lxw_format    *cell[NFORMATS][7][8];
};

static void
keep(struct xw *x, lxw_error e)
{
    if (x->err == LXW_NO_ERROR)
        x->err = e;
}

/* ---- formats --------------------------------------------------------------------------- */

static lxw_format *
text_format(struct xw *x, int size, int bold, lxw_color_t color, int wrap)
{
    lxw_format *f = workbook_add_format(x->wb);

    format_set_font_name(f, "宋体");
    format_set_font_size(f, size);
    if (bold)
        format_set_bold(f);
    if (color != 0)
        format_set_font_color(f, color);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    if (wrap)
        format_set_text_wrap(f);
    return f;
}

static void
fixed_formats(struct xw *x)
{
    x->bureau = text_format(x, 18, 1, RED, 0);
    format_set_align(x->bureau, LXW_ALIGN_CENTER);
    format_set_bottom(x->bureau, LXW_BORDER_THICK);
    format_set_bottom_color(x->bureau, RED);
    x->title = text_format(x, 15, 1, 0, 0);
    format_set_align(x->title, LXW_ALIGN_CENTER);
    x->en = text_format(x, 9, 0, 0x555555, 0);
    format_set_align(x->en, LXW_ALIGN_CENTER);
    x->meta = text_format(x, 9, 0, 0x333333, 0);
    format_set_bottom(x->meta, LXW_BORDER_THIN);
    format_set_bottom_color(x->meta, RED);
    x->head = text_format(x, 12, 1, 0, 0);
    x->para = text_format(x, 10, 0, 0, 1);
    format_set_align(x->para, LXW_ALIGN_VERTICAL_TOP);
    x->caption = text_format(x, 10, 1, 0, 0);
    x->note = text_format(x, 8, 0, 0x444444, 1);
    format_set_align(x->note, LXW_ALIGN_VERTICAL_TOP);
    x->th = text_format(x, 9, 1, 0, 1);
    format_set_border(x->th, LXW_BORDER_THIN);
    format_set_bg_color(x->th, 0xECEFF3);
    format_set_align(x->th, LXW_ALIGN_CENTER);
}

/* The fill of the AQI levels 1..6 (HJ 633-2012 appendix A, through ew_aqi_class_of), and
 * white text on the dark ones. */
static void
level_colours(lxw_format *f, int level)
{
    static const int lowest_aqi[] = { 0, 51, 101, 151, 201, 301 };
    const struct ew_aqi_class *k = ew_aqi_class_of(lowest_aqi[level - 1]);

    format_set_bg_color(f, (lxw_color_t)k->rgb[0] << 16 | (lxw_color_t)k->rgb[1] << 8 |
                               k->rgb[2]);
    if (level >= 4)
        format_set_font_color(f, LXW_COLOR_WHITE);
    format_set_bold(f);
}

static lxw_format *
cell_format(struct xw *x, const struct rp_cell *c)
{
    static const char *const numfmt[] = { "0", "0.0", "0.00", "0.000", "0.0000", "0.00000",
                                          "0.000000" };
    int k = c->type == RP_NUM ? 1 + c->decimals : 0;
    int lv = c->level >= 1 && c->level <= 6 ? c->level : 0, fl = c->flags & 7;
    lxw_format **slot = &x->cell[k][lv][fl];

    if (*slot != NULL)
        return *slot;
    *slot = text_format(x, 9, (fl & RP_BOLD) != 0, (fl & RP_BAD) ? RED
                                                   : (fl & RP_MUTED) ? 0x777777 : 0, 1);
    format_set_border(*slot, LXW_BORDER_THIN);
    format_set_align(*slot, k > 0 && lv == 0 ? LXW_ALIGN_RIGHT : LXW_ALIGN_CENTER);
    if (k > 0)
        format_set_num_format(*slot, numfmt[k - 1]);
    if (lv > 0)
        level_colours(*slot, lv);
    if (fl & RP_BAD)
        format_set_bold(*slot);
    return *slot;
}

/* ---- writing ----------------------------------------------------------------------------- */

/* Display width of UTF-8 text in Excel character units: wide (CJK) characters count 2. */
static double
text_width(const char *s)
{
    double w = 0;

    for (; *s != '\0'; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch < 0x80)
            w += 1;
        else if ((ch & 0xC0) == 0xC0)
            w += 2;                     /* the lead byte of a multi-byte character */
    }
    return w;
}

/* A text over the whole span of the sheet, on one row made tall enough for its lines. */
static void
span_text(struct xw *x, const char *s, lxw_format *f, double line_pt)
{
    double lines = text_width(s) / (x->span_chars > 10 ? x->span_chars - 2 : 10) + 0.999;

    if (lines < 1)
        lines = 1;
    keep(x, worksheet_set_row(x->ws, x->row, line_pt * (int)lines, NULL));
    if (x->span > 1)
        keep(x, worksheet_merge_range(x->ws, x->row, 0, x->row, x->span - 1, s, f));
    else
        keep(x, worksheet_write_string(x->ws, x->row, 0, s, f));
    x->row++;
}

static void
write_cell(struct xw *x, lxw_col_t col, const struct rp_cell *c)
{
    lxw_format *f = cell_format(x, c);

    if (c->type == RP_NUM)
        keep(x, worksheet_write_number(x->ws, x->row, col, c->num + 0.0, f));
    else
        keep(x, worksheet_write_string(x->ws, x->row, col,
                                       c->type == RP_TEXT ? c->text : "—", f));
}

static void
table_rows(struct xw *x, const struct rp_table *t)
{
    if (t->caption[0] != '\0')
        keep(x, worksheet_write_string(x->ws, x->row++, 0, t->caption, x->caption));
    keep(x, worksheet_set_row(x->ws, x->row, 27, NULL));
    for (size_t c = 0; c < t->ncols; c++)
        keep(x, worksheet_write_string(x->ws, x->row, (lxw_col_t)c, t->cols[c].head, x->th));
    x->row++;
    for (size_t r = 0; r < t->nrows; r++, x->row++)
        for (size_t c = 0; c < t->ncols; c++)
            write_cell(x, (lxw_col_t)c, &t->cells[r * t->ncols + c]);
    if (t->nrows == 0)
        keep(x, worksheet_write_string(x->ws, x->row++, 0, "无数据 (no data)", x->note));
    if (t->note != NULL)
        span_text(x, t->note, x->note, 12);
    x->row++;                           /* a blank row after each table */
}

static void
block_rows(struct xw *x, const struct rp_block *k)
{
    switch (k->type) {
    case RP_HEADING:
        keep(x, worksheet_set_row(x->ws, x->row, 20, NULL));
        keep(x, worksheet_write_string(x->ws, x->row++, 0, k->text, x->head));
        break;
    case RP_PARA:
        span_text(x, k->text, x->para, 15);
        x->row++;
        break;
    case RP_FIGURES:
    case RP_TABLE:
        table_rows(x, k->table);
        break;
    default:
        break;
    }
}

static void
masthead(struct xw *x)
{
    const struct rp_doc *d = x->d;
    char made[20], meta[RP_TEXT_MAX + 64];

    ew_time_fmt_iso(d->made_unix_s, made);
    made[16] = '\0';
    made[10] = ' ';
    snprintf(meta, sizeof(meta), "%s        生成时间 (generated)：%s", d->period, made);
    span_text(x, d->bureau, x->bureau, 30);
    span_text(x, d->title, x->title, 24);
    span_text(x, d->title_en, x->en, 14);
    span_text(x, meta, x->meta, 16);
    x->row++;
}

static void
footnotes(struct xw *x)
{
    char line[RP_TEXT_MAX + 16];

    if (x->d->nnotes == 0)
        return;
    keep(x, worksheet_write_string(x->ws, x->row++, 0, "注 (notes)：", x->caption));
    for (size_t i = 0; i < x->d->nnotes; i++) {
        snprintf(line, sizeof(line), "%zu. %s", i + 1, x->d->notes[i]);
        span_text(x, line, x->note, 12);
    }
}

/* The widths of the columns of blocks [from, to) and the span of the sheet. */
static void
sheet_columns(struct xw *x, size_t from, size_t to)
{
    double width[64] = { 0 };
    size_t n = MIN_SPAN;

    for (size_t i = from; i < to; i++) {
        const struct rp_table *t = x->d->blocks[i].table;
        for (size_t c = 0; t != NULL && c < t->ncols && c < 64; c++)
            if (t->cols[c].width > width[c])
                width[c] = t->cols[c].width;
        if (t != NULL && t->ncols > n)
            n = t->ncols < 64 ? t->ncols : 64;
    }
    x->span = (lxw_col_t)n;
    x->span_chars = 0;
    for (size_t c = 0; c < n; c++) {
        double w = width[c] > 0 ? width[c] : 10;
        keep(x, worksheet_set_column(x->ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL));
        x->span_chars += w;
    }
}

/* Header and footer strings treat '&' as a control character: doubled, it is printed. */
static void
header_text(const char *bureau, const char *title, char *out, size_t len)
{
    size_t k = 0;
    const char *parts[] = { "&L", bureau, "&R", title };

    for (size_t p = 0; p < 4; p++)
        for (const char *s = parts[p]; *s != '\0' && k + 2 < len; s++) {
            out[k++] = *s;
            if (*s == '&' && (p % 2) == 1)
                out[k++] = '&';
        }
    out[k] = '\0';
}

static void
page_setup(struct xw *x)
{
    char header[240];

    worksheet_set_paper(x->ws, 9);      /* A4 */
    if (x->d->landscape || x->span_chars > 110)
        worksheet_set_landscape(x->ws);
    worksheet_fit_to_pages(x->ws, 1, 0);
    worksheet_center_horizontally(x->ws);
    worksheet_set_margins(x->ws, 0.5, 0.5, 0.7, 0.7);
    header_text(x->d->bureau, x->d->title, header, sizeof(header));
    keep(x, worksheet_set_header(x->ws, header));
    keep(x, worksheet_set_footer(x->ws, "&C第 &P 页，共 &N 页"));
}

/* Writes the blocks [from, to) as one sheet. */
static void
sheet(struct xw *x, const char *name, size_t from, size_t to)
{
    lxw_error e = workbook_validate_sheet_name(x->wb, name);
    int noted = 0;

    /* checked first: workbook_add_worksheet prints its complaint on stderr */
    if (e != LXW_NO_ERROR) {
        keep(x, e);
        return;
    }
    if ((x->ws = workbook_add_worksheet(x->wb, name)) == NULL) {
        keep(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    x->row = 0;
    sheet_columns(x, from, to);
    page_setup(x);
    masthead(x);
    for (size_t i = from; i < to; i++) {
        const struct rp_block *k = &x->d->blocks[i];
        if (k->type == RP_HEADING && (k->flags & RP_ANNEX) && !noted) {
            footnotes(x);               /* the notes close the report; annexes follow */
            noted = 1;
            x->row++;
        }
        block_rows(x, k);
    }
    if (!noted)
        footnotes(x);
}

static void
sheets(struct xw *x)
{
    const struct rp_doc *d = x->d;
    const char *name;
    size_t i = 0, j;

    do {
        name = "报告";
        if (i < d->nblocks && d->blocks[i].type == RP_SHEET)
            name = d->blocks[i++].text;
        for (j = i; j < d->nblocks && d->blocks[j].type != RP_SHEET; j++)
            ;
        sheet(x, name, i, j);
        i = j;
    } while (i < d->nblocks && x->err == LXW_NO_ERROR);
}

/* ---- the file ----------------------------------------------------------------------------- */

static int
slurp(const char *path, struct ew_buf *out)
{
    FILE *f = fopen(path, "rb");
    char chunk[65536];
    size_t n, start = out->len;
    int rc = EW_OK;

    if (f == NULL)
        return EW_EIO;
    while (rc == EW_OK && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        rc = ew_buf_add(out, chunk, n);
    if (rc == EW_OK && ferror(f))
        rc = EW_EIO;
    fclose(f);
    if (rc != EW_OK && out->ptr != NULL) {
        out->len = start;
        out->ptr[start] = '\0';
    }
    return rc;
}

static void
properties(struct xw *x)
{
    lxw_doc_properties p = { 0 };

    p.title = x->d->title;
    p.subject = x->d->period;
    p.author = x->d->bureau;
    p.company = x->d->bureau;
    p.comments = "envwatch";
    /* The file records this time, so the same report made twice gives the same bytes. */
    p.created = (time_t)x->d->made_unix_s;
    keep(x, workbook_set_properties(x->wb, &p));
}

int
ew__report_xlsx(const struct rp_doc *d, struct ew_buf *out, char *why, size_t wlen)
{
    char path[] = P_tmpdir "/ew-report-XXXXXX.xlsx";
    lxw_workbook_options opt = { .constant_memory = LXW_FALSE, .tmpdir = P_tmpdir };
    struct xw *x = calloc(1, sizeof(*x));
    int fd, rc;

    if (x == NULL)
        return EW_ENOMEM;
    if ((fd = mkstemps(path, 5)) < 0) {
        free(x);
        return ew__report_say(why, wlen, EW_EIO, "cannot create a temporary file in %s",
                              P_tmpdir);
    }
    close(fd);
    x->d = d;
    if ((x->wb = workbook_new_opt(path, &opt)) == NULL) {
        x->err = LXW_ERROR_MEMORY_MALLOC_FAILED;
    } else {
        fixed_formats(x);
        properties(x);
        sheets(x);
        keep(x, workbook_close(x->wb));
    }
    rc = x->err == LXW_NO_ERROR ? slurp(path, out) : EW_EIO;
    if (x->err != LXW_NO_ERROR)
        ew__report_say(why, wlen, rc, "the workbook cannot be written: %s",
                       lxw_strerror(x->err));
    unlink(path);
    free(x);
    return rc;
}
