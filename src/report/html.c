/* SPDX-License-Identifier: MIT */
/*
 * A report document as one self-contained HTML page laid out as a bureau's printed report:
 * the issuing bureau in red over a red rule (the masthead of official documents), the title
 * in Chinese with English below, sections with numbered headings, key figures, bordered
 * tables with AQI cells in the colours of HJ 633-2012 appendix A, footnotes citing the rules
 * and the issuer's signature block. CSS @page and @media print make it an A4 page when
 * printed; on screen it shows as a sheet of paper. No script, no external resource (the API's
 * Content-Security-Policy allows inline styles only).
 *
 * Tables carry ids and every cell a data-col key, so a program can read the numbers back.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <envwatch/air.h>

#include "report/internal.h"
#include "util/time.h"

static const char css[] =
    "*{box-sizing:border-box}"
    "body{margin:0;background:#dfe3e8;color:#111;font-size:10.5pt;line-height:1.45;"
    "font-family:\"SimSun\",\"Songti SC\",\"Noto Serif CJK SC\",\"WenQuanYi Micro Hei\",serif}"
    ".page{margin:8mm auto;padding:12mm 12mm 14mm;background:#fff;"
    "box-shadow:0 1px 8px rgba(0,0,0,.3)}"
    ".sans,h1,h2,th,.bureau,.fig .v{font-family:\"SimHei\",\"Heiti SC\",\"Noto Sans CJK SC\","
    "\"WenQuanYi Micro Hei\",sans-serif}"
    ".masthead{text-align:center;border-bottom:2.5pt solid #c8161d;padding-bottom:2.5mm}"
    ".bureau{color:#c8161d;font-size:22pt;font-weight:bold;letter-spacing:.2em}"
    "h1{font-size:17pt;margin:3.5mm 0 .5mm;letter-spacing:.08em}"
    ".title-en{font-size:9.5pt;color:#555;letter-spacing:.03em}"
    ".meta{display:flex;justify-content:space-between;font-size:9pt;color:#333;"
    "border-bottom:.6pt solid #c8161d;padding:1.5mm 0;margin-bottom:3mm}"
    "h2{font-size:12pt;margin:3.5mm 0 1.5mm;padding-left:2mm;border-left:3.5pt solid #c8161d;"
    "break-after:avoid}"
    "p.text{text-indent:2em;margin:1mm 0 2mm;text-align:justify}"
    "table.data{width:100%;border-collapse:collapse;font-size:8.6pt;margin:.8mm 0 1.2mm}"
    "table.data caption{caption-side:top;text-align:left;font-weight:bold;padding:.8mm 0}"
    "table.data th,table.data td{border:.6pt solid #4a4a4a;padding:.7mm 1.1mm;text-align:center}"
    "table.data th{background:#eceff3;font-weight:bold}"
    "table.data td.num{text-align:right;font-variant-numeric:tabular-nums}"
    "table.data td.empty{color:#888;text-align:center}"
    "td.bad{color:#c8161d;font-weight:bold}td.muted{color:#777}td.bold{font-weight:bold}"
    ".lv1{background:#00e400}.lv2{background:#ffff00}.lv3{background:#ff7e00}"
    ".lv4{background:#ff0000;color:#fff}.lv5{background:#99004c;color:#fff}"
    ".lv6{background:#7e0023;color:#fff}"
    "table.data td.lv1,table.data td.lv2,table.data td.lv3,table.data td.lv4,"
    "table.data td.lv5,table.data td.lv6{text-align:center;font-weight:bold}"
    ".figures{display:flex;flex-wrap:wrap;gap:1.5mm;margin:1mm 0 2mm}"
    ".fig{flex:1 1 24mm;border:.6pt solid #4a4a4a;text-align:center;padding:1.2mm 1mm}"
    ".fig .l{font-size:8.3pt;color:#333}.fig .v{font-size:14pt;font-weight:bold;margin-top:.3mm}"
    ".fig .v.t{font-size:11.5pt;padding-top:1.2mm}"
    ".fig .v.lv1,.fig .v.lv2,.fig .v.lv3,.fig .v.lv4,.fig .v.lv5,.fig .v.lv6{border-radius:1mm}"
    ".table-note{font-size:8.3pt;color:#444;margin:0 0 2mm}"
    ".empty-note{font-size:9pt;color:#666}"
    "footer{margin-top:5mm;border-top:.6pt solid #777;padding-top:1.5mm;font-size:8.2pt;"
    "color:#333}footer ol{margin:.5mm 0;padding-left:5mm}footer li{margin:.3mm 0}"
    ".sign{text-align:right;margin-top:6mm;font-size:10.5pt;line-height:1.8}"
    "@media print{body{background:#fff}.page{width:auto;min-height:0;margin:0;padding:0;"
    "box-shadow:none}tr,.fig{break-inside:avoid}thead{display:table-header-group}"
    "h2.annex{break-before:page}}";

/* The page being written; the first failed append is kept in err. */
struct hout {
    struct ew_buf *b;
    int            err;
};

static void
hs(struct hout *h, const char *s)
{
    if (h->err == EW_OK)
        h->err = ew_buf_adds(h->b, s);
}

static void
hc(struct hout *h, char c)
{
    if (h->err == EW_OK)
        h->err = ew_buf_addc(h->b, c);
}

static void hf(struct hout *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
hf(struct hout *h, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    if (h->err == EW_OK)
        h->err = ew_buf_vprintf(h->b, fmt, ap);
    va_end(ap);
}

/* Appends s with the five HTML special characters escaped. */
static void
esc(struct hout *b, const char *s)
{
    for (; s != NULL && *s != '\0'; s++) {
        switch (*s) {
        case '&': hs(b, "&amp;"); break;
        case '<': hs(b, "&lt;"); break;
        case '>': hs(b, "&gt;"); break;
        case '"': hs(b, "&quot;"); break;
        case '\'': hs(b, "&#39;"); break;
        default: hc(b, *s);
        }
    }
}

static void
cell_class(struct hout *b, const struct rp_cell *c)
{
    char cls[64] = "";
    size_t n = 0;

    if (c->type == RP_NUM)
        n += (size_t)snprintf(cls + n, sizeof(cls) - n, " num");
    else if (c->type == RP_EMPTY)
        n += (size_t)snprintf(cls + n, sizeof(cls) - n, " empty");
    if (c->level >= 1 && c->level <= 6)
        n += (size_t)snprintf(cls + n, sizeof(cls) - n, " lv%d", c->level);
    if (c->flags & RP_BAD)
        n += (size_t)snprintf(cls + n, sizeof(cls) - n, " bad");
    if (c->flags & RP_MUTED)
        n += (size_t)snprintf(cls + n, sizeof(cls) - n, " muted");
    if (c->flags & RP_BOLD)
        n += (size_t)snprintf(cls + n, sizeof(cls) - n, " bold");
    if (n > 0)
        hf(b, " class=\"%s\"", cls + 1);
}

static void
cell_html(struct hout *b, const struct rp_col *col, const struct rp_cell *c)
{
    char text[RP_TEXT_MAX + 1];

    rp_cell_text(c, text, sizeof(text));
    hf(b, "<td data-col=\"%s\"", col->key);
    cell_class(b, c);
    hc(b, '>');
    esc(b, text);
    hs(b, "</td>");
}

static void
table_html(struct hout *b, const struct rp_table *t)
{
    hs(b, "<table class=\"data\" id=\"");
    esc(b, t->id);
    hs(b, "\">");
    if (t->caption[0] != '\0') {
        hs(b, "<caption>");
        esc(b, t->caption);
        hs(b, "</caption>");
    }
    hs(b, "<thead><tr>");
    for (size_t c = 0; c < t->ncols; c++) {
        hf(b, "<th data-col=\"%s\">", t->cols[c].key);
        esc(b, t->cols[c].head);
        hs(b, "</th>");
    }
    hs(b, "</tr></thead><tbody>");
    for (size_t r = 0; r < t->nrows; r++) {
        hs(b, "<tr>");
        for (size_t c = 0; c < t->ncols; c++)
            cell_html(b, &t->cols[c], &t->cells[r * t->ncols + c]);
        hs(b, "</tr>");
    }
    if (t->nrows == 0)
        hf(b, "<tr class=\"no-data\"><td colspan=\"%zu\" class=\"empty-note\">"
                      "无数据 (no data)</td></tr>", t->ncols);
    hs(b, "</tbody></table>");
}

/* Key figures: one box per column of the table's first row. */
static void
figures_html(struct hout *b, const struct rp_table *t)
{
    char text[RP_TEXT_MAX + 1];

    hs(b, "<div class=\"figures\" id=\"");
    esc(b, t->id);
    hs(b, "\">");
    for (size_t c = 0; t->nrows > 0 && c < t->ncols; c++) {
        const struct rp_cell *x = &t->cells[c];
        rp_cell_text(x, text, sizeof(text));
        hf(b, "<div class=\"fig\"><div class=\"l\">");
        esc(b, t->cols[c].head);
        hf(b, "</div><div class=\"v");
        if (x->type == RP_TEXT && x->level == 0)
            hs(b, " t");
        if (x->level >= 1 && x->level <= 6)
            hf(b, " lv%d", x->level);
        hf(b, "\" data-col=\"%s\">", t->cols[c].key);
        esc(b, text);
        hs(b, "</div></div>");
    }
    hs(b, "</div>");
}

static void
block_html(struct hout *b, const struct rp_block *k)
{
    switch (k->type) {
    case RP_HEADING:
        hs(b, k->flags & RP_ANNEX ? "<h2 class=\"annex\">" : "<h2>");
        esc(b, k->text);
        hs(b, "</h2>");
        break;
    case RP_PARA:
        hs(b, "<p class=\"text\">");
        esc(b, k->text);
        hs(b, "</p>");
        break;
    case RP_FIGURES:
        figures_html(b, k->table);
        break;
    case RP_TABLE:
        table_html(b, k->table);
        if (k->table->note != NULL) {
            hs(b, "<p class=\"table-note\">");
            esc(b, k->table->note);
            hs(b, "</p>");
        }
        break;
    default:
        break;                          /* sheets exist only in the workbook */
    }
}

static void
head_html(struct hout *b, const struct rp_doc *d)
{
    char made[20];

    ew_time_fmt_iso(d->made_unix_s, made);
    made[16] = '\0';
    made[10] = ' ';
    hs(b, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                   "<meta name=\"viewport\" content=\"width=device-width\"><title>");
    esc(b, d->title);
    hs(b, " ");
    esc(b, d->period);
    hs(b, "</title><style>");
    /* The sheet on screen has the paper's size; print margins are @page's. */
    hf(b, "@page{size:A4 %s;margin:12mm 12mm 14mm}.page{width:%s;min-height:%s}",
       d->landscape ? "landscape" : "portrait", d->landscape ? "297mm" : "210mm",
       d->landscape ? "210mm" : "297mm");
    hs(b, css);
    hs(b, "</style></head>\n<body><div class=\"page\"><header class=\"masthead\">"
                   "<div class=\"bureau\">");
    esc(b, d->bureau);
    hs(b, "</div><h1>");
    esc(b, d->title);
    hs(b, "</h1><div class=\"title-en\">");
    esc(b, d->title_en);
    hs(b, "</div></header><div class=\"meta sans\"><span id=\"period\">");
    esc(b, d->period);
    hf(b, "</span><span>生成时间 (generated)：%s</span></div>\n", made);
}

static void
foot_html(struct hout *b, const struct rp_doc *d)
{
    struct ew_civil c;

    ew_unix_to_civil(d->made_unix_s, &c);
    hs(b, "<div class=\"sign\">");
    esc(b, d->bureau);
    hf(b, "<br>%d年%d月%d日</div>", c.year, c.month, c.day);
    if (d->nnotes > 0) {
        hs(b, "<footer><div class=\"sans\">注 (notes)：</div><ol>");
        for (size_t i = 0; i < d->nnotes; i++) {
            hs(b, "<li>");
            esc(b, d->notes[i]);
            hs(b, "</li>");
        }
        hs(b, "</ol></footer>");
    }
}

/* The signature and notes close the report proper; annexes (附表) follow them. */
int
ew__report_html(const struct rp_doc *d, struct ew_buf *out)
{
    struct hout h = { out, EW_OK };
    size_t start = out->len, annex = d->nblocks;

    for (size_t i = 0; i < d->nblocks && annex == d->nblocks; i++)
        if (d->blocks[i].type == RP_HEADING && (d->blocks[i].flags & RP_ANNEX))
            annex = i;
    head_html(&h, d);
    for (size_t i = 0; i < d->nblocks; i++) {
        if (i == annex)
            foot_html(&h, d);
        block_html(&h, &d->blocks[i]);
        hc(&h, '\n');
    }
    if (annex == d->nblocks)
        foot_html(&h, d);
    hs(&h, "</div></body></html>\n");
    if (h.err != EW_OK && out->ptr != NULL) {
        out->len = start;               /* no half page */
        out->ptr[start] = '\0';
    }
    return h.err;
}
