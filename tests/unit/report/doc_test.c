/* SPDX-License-Identifier: MIT */
/*
 * src/report/doc.c and html.c: the document model (typed cells, printed decimals, sticky
 * errors, bounded texts) and the page made of it (escaping of hostile names, the data-col
 * keys a program reads back, the HJ 633 level classes, empty tables, print CSS).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report/internal.h"

static const struct rp_col cols[] = {
    { "name", "名称", 10 }, { "aqi", "AQI", 6 }, { "co", "CO", 6 },
};

static void
cells_print_with_their_decimals(void **state)
{
    static const struct {
        double v;
        int    decimals;
        const char *want;
    } cases[] = {
        { 263, 0, "263" },    { 3.8, 1, "3.8" },   { 15.094, 2, "15.09" }, { -0.04, 1, "0.0" },
        { 0.25, 1, "0.2" },   { 1.5, 0, "2" },     { NAN, 1, "—" },        { INFINITY, 0, "—" },
        { 12.5, 9, "12.500000" },                  /* decimals are capped at 6 */
    };
    struct rp_doc d;
    struct rp_table *t;
    char out[64];

    (void)state;
    rp_doc_init(&d);
    t = rp_table(&d, 0, "t", "caption", cols, EW_ARRAY_LEN(cols));
    for (size_t i = 0; i < EW_ARRAY_LEN(cases); i++) {
        rp_row(&d, t);
        rp_num(&d, t, 2, cases[i].v, cases[i].decimals);
        rp_cell_text(&t->cells[i * t->ncols + 2], out, sizeof(out));
        assert_string_equal(cases[i].want, out);
    }
    rp_cell_text(&t->cells[1], out, sizeof(out));       /* never set: empty */
    assert_string_equal("—", out);
    assert_int_equal(EW_OK, d.err);
    rp_doc_free(&d);
}

static void
errors_are_sticky_and_texts_bounded(void **state)
{
    char big[RP_TEXT_MAX + 2];
    struct rp_doc d;
    struct rp_table *t;

    (void)state;
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    rp_doc_init(&d);
    t = rp_table(&d, 0, "t", "", cols, EW_ARRAY_LEN(cols));
    rp_row(&d, t);
    rp_text(&d, t, 0, big);
    assert_int_equal(EW_ETOOBIG, d.err);
    rp_para(&d, "after the failure");                   /* does nothing */
    assert_int_equal(1, d.nblocks);
    assert_null(rp_table(&d, 0, "u", "", cols, EW_ARRAY_LEN(cols)));
    rp_row(&d, NULL);                                   /* NULL tables are accepted */
    rp_text(&d, NULL, 0, "x");
    rp_doc_free(&d);
    rp_doc_init(&d);
    t = rp_table(&d, 0, "t", "", cols, EW_ARRAY_LEN(cols));
    for (size_t i = 0; i <= RP_TABLE_MAX_ROWS; i++)
        rp_row(&d, t);
    assert_int_equal(EW_ETOOBIG, d.err);
    assert_int_equal(RP_TABLE_MAX_ROWS, t->nrows);
    rp_text(&d, t, 9, "out of range column");          /* ignored, no crash */
    rp_doc_free(&d);
}

/* A small document as a page. */
static char *
page_of(struct rp_doc *d)
{
    struct ew_buf b;

    ew_buf_init(&b, 1 << 20);
    assert_int_equal(EW_OK, ew__report_html(d, &b));
    return ew_buf_steal(&b, NULL);
}

static void
the_page_escapes_and_marks_cells(void **state)
{
    struct rp_doc d;
    struct rp_table *t;
    char *html;

    (void)state;
    rp_doc_init(&d);
    rp_set(&d, &d.bureau, "%s", "测试局 <b>&</b>");
    rp_set(&d, &d.title, "%s", "日报");
    rp_set(&d, &d.title_en, "%s", "Daily");
    rp_set(&d, &d.period, "%s", "2019年1月6日");
    rp_heading(&d, "一、城市 \"city\"");
    rp_para(&d, "<script>alert('x')</script>");
    t = rp_table(&d, 0, "stations", "点位", cols, EW_ARRAY_LEN(cols));
    rp_row(&d, t);
    rp_text(&d, t, 0, "A&B <站>");
    rp_int(&d, t, 1, 251);
    rp_style(t, 1, 5, 0);
    rp_num(&d, t, 2, 4.04, 1);
    rp_style(t, 2, 0, RP_BAD);
    rp_table(&d, 0, "empty", "", cols, EW_ARRAY_LEN(cols));
    rp_note(&d, "HJ 633-2012");
    assert_int_equal(EW_OK, d.err);
    html = page_of(&d);
    assert_null(strstr(html, "<script>"));
    assert_null(strstr(html, "<b>&</b>"));
    assert_non_null(strstr(html, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert_non_null(strstr(html, "测试局 &lt;b&gt;&amp;&lt;/b&gt;"));
    assert_non_null(strstr(html, "<h2>一、城市 &quot;city&quot;</h2>"));
    assert_non_null(strstr(html, "<td data-col=\"name\">A&amp;B &lt;站&gt;</td>"));
    assert_non_null(strstr(html, "<td data-col=\"aqi\" class=\"num lv5\">251</td>"));
    assert_non_null(strstr(html, "<td data-col=\"co\" class=\"num bad\">4.0</td>"));
    assert_non_null(strstr(html, "<table class=\"data\" id=\"empty\">"));
    assert_non_null(strstr(html, "无数据 (no data)"));
    assert_non_null(strstr(html, "<li>HJ 633-2012</li>"));
    assert_non_null(strstr(html, "@media print"));
    assert_non_null(strstr(html, "@page{size:A4 portrait"));
    assert_non_null(strstr(html, "</html>\n"));
    free(html);
    rp_doc_free(&d);
}

static void
key_figures_and_annexes_have_their_marks(void **state)
{
    struct rp_doc d;
    struct rp_table *t;
    char *html;

    (void)state;
    rp_doc_init(&d);
    d.landscape = 1;
    t = rp_table(&d, 1, "city", "", cols, EW_ARRAY_LEN(cols));
    rp_row(&d, t);
    rp_text(&d, t, 0, "细颗粒物(PM2.5)");
    rp_int(&d, t, 1, 263);
    rp_style(t, 1, 5, 0);
    rp_annex(&d, "附表");
    rp_sheet(&d, "only in the workbook");
    html = page_of(&d);
    assert_non_null(strstr(html, "<div class=\"figures\" id=\"city\">"));
    assert_non_null(strstr(html, "<div class=\"v t\" data-col=\"name\">细颗粒物(PM2.5)</div>"));
    assert_non_null(strstr(html, "<div class=\"v lv5\" data-col=\"aqi\">263</div>"));
    assert_non_null(strstr(html, "<h2 class=\"annex\">附表</h2>"));
    assert_non_null(strstr(html, "h2.annex{break-before:page}"));
    assert_non_null(strstr(html, "@page{size:A4 landscape"));
    assert_null(strstr(html, "only in the workbook"));
    free(html);
    rp_doc_free(&d);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cells_print_with_their_decimals),
        cmocka_unit_test(errors_are_sticky_and_texts_bounded),
        cmocka_unit_test(the_page_escapes_and_marks_cells),
        cmocka_unit_test(key_figures_and_annexes_have_their_marks),
    };
    return cmocka_run_group_tests_name("report/doc", tests, NULL, NULL);
}
