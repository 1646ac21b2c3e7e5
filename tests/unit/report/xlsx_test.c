/* SPDX-License-Identifier: MIT */
/*
 * src/report/xlsx.c: a document as a workbook, read back here from its zip container (the
 * central directory, members inflated with zlib): one sheet per sheet block with its name,
 * the masthead, texts in the shared strings, numbers as numbers with the published number
 * format, A4 page setup one page wide, and the made time as the file's creation time.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "report/internal.h"
#include "util/time.h"

static const struct rp_col cols[] = {
    { "name", "点位名称", 12 }, { "aqi", "AQI", 6 }, { "co", "CO", 6 },
};

static uint32_t
rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t
rd16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

/* The inflated member 'name' of the zip in z[0..n), NUL-terminated; NULL when absent. */
static char *
member(const unsigned char *z, size_t n, const char *name)
{
    size_t end = n - 22, cd, count;

    while (end > 0 && rd32(z + end) != 0x06054b50)
        end--;
    assert_true(end > 0);
    count = rd16(z + end + 10);
    cd = rd32(z + end + 16);
    for (size_t i = 0; i < count; i++) {
        const unsigned char *h = z + cd;
        size_t nlen = rd16(h + 28), xlen = rd16(h + 30), clen = rd16(h + 32);
        size_t csize = rd32(h + 20), usize = rd32(h + 24), off = rd32(h + 42);
        assert_int_equal(0x02014b50, rd32(h));
        if (nlen == strlen(name) && memcmp(h + 46, name, nlen) == 0) {
            const unsigned char *l = z + off;
            const unsigned char *data = l + 30 + rd16(l + 26) + rd16(l + 28);
            char *out = calloc(1, usize + 1);
            z_stream s = { 0 };
            assert_non_null(out);
            if (rd16(h + 10) == 0) {
                memcpy(out, data, usize);
                return out;
            }
            assert_int_equal(Z_OK, inflateInit2(&s, -MAX_WBITS));
            s.next_in = (unsigned char *)data;
            s.avail_in = (uInt)csize;
            s.next_out = (unsigned char *)out;
            s.avail_out = (uInt)usize;
            assert_int_equal(Z_STREAM_END, inflate(&s, Z_FINISH));
            inflateEnd(&s);
            return out;
        }
        cd += 46 + nlen + xlen + clen;
    }
    return NULL;
}

static struct ew_buf
workbook_of(struct rp_doc *d)
{
    struct ew_buf b;
    char why[128] = "";

    ew_buf_init(&b, 16 << 20);
    assert_int_equal(EW_OK, ew__report_xlsx(d, &b, why, sizeof(why)));
    assert_true(b.len > 1000);
    assert_memory_equal("PK\x03\x04", b.ptr, 4);
    return b;
}

/* 2019-02-01 09:00 CST */
static int64_t
made_time(void)
{
    struct ew_civil c = { 2019, 2, 1, 9, 0, 0 };

    return ew_civil_to_unix(&c);
}

static void
doc_head(struct rp_doc *d)
{
    rp_doc_init(d);
    rp_set(d, &d->bureau, "%s", "阳泉市生态环境局 R&D");
    rp_set(d, &d->title, "%s", "阳泉市环境空气质量日报");
    rp_set(d, &d->title_en, "%s", "Daily Air Quality Report");
    rp_set(d, &d->period, "%s", "2019年1月6日");
    d->made_unix_s = made_time();
}

static void
one_sheet_holds_texts_numbers_and_page_setup(void **state)
{
    struct rp_doc d;
    struct rp_table *t;
    struct ew_buf b;
    char *strings, *sheet, *book, *core;

    (void)state;
    doc_head(&d);
    rp_heading(&d, "一、各点位");
    t = rp_table(&d, 0, "stations", "点位表", cols, EW_ARRAY_LEN(cols));
    rp_row(&d, t);
    rp_text(&d, t, 0, "市中心 <1>");
    rp_int(&d, t, 1, 251);
    rp_style(t, 1, 5, 0);
    rp_num(&d, t, 2, 3.7, 1);
    rp_row(&d, t);
    rp_text(&d, t, 0, "白羊墅");
    rp_table_note(&d, t, "浓度单位：mg/m³");
    rp_note(&d, "HJ 633-2012");
    b = workbook_of(&d);
    strings = member((unsigned char *)b.ptr, b.len, "xl/sharedStrings.xml");
    sheet = member((unsigned char *)b.ptr, b.len, "xl/worksheets/sheet1.xml");
    book = member((unsigned char *)b.ptr, b.len, "xl/workbook.xml");
    core = member((unsigned char *)b.ptr, b.len, "docProps/core.xml");
    assert_non_null(strings);
    assert_non_null(sheet);
    assert_non_null(book);
    assert_non_null(core);
    assert_null(member((unsigned char *)b.ptr, b.len, "xl/worksheets/sheet2.xml"));
    for (const char *want[] = { "阳泉市生态环境局 R&amp;D", "阳泉市环境空气质量日报", "点位表",
                                "点位名称", "市中心 &lt;1&gt;", "—", "1. HJ 633-2012",
                                "浓度单位：mg/m³", NULL }, **w = want; *w != NULL; w++)
        assert_non_null(strstr(strings, *w));
    assert_non_null(strstr(book, "<sheet name=\"报告\""));
    assert_non_null(strstr(sheet, "<v>251</v>"));
    assert_non_null(strstr(sheet, "<v>3.7</v>"));
    assert_non_null(strstr(sheet, "paperSize=\"9\""));
    assert_non_null(strstr(sheet, "fitToHeight=\"0\""));
    assert_non_null(strstr(sheet, "R&amp;&amp;D"));        /* '&' doubled in the header */
    assert_non_null(strstr(core, "2019-02-01T01:00:00Z"));  /* made 09:00 CST */
    free(strings);
    free(sheet);
    free(book);
    free(core);
    ew_buf_fini(&b);
    rp_doc_free(&d);
}

static void
sheet_blocks_make_named_sheets(void **state)
{
    static const char *const names[] = { "概况及报警", "传输有效率", "排放量" };
    struct rp_doc d;
    struct ew_buf b;
    char *book, *third;

    (void)state;
    doc_head(&d);
    d.landscape = 1;
    for (size_t i = 0; i < EW_ARRAY_LEN(names); i++) {
        rp_sheet(&d, names[i]);
        rp_para(&d, "第%zu页", i + 1);
    }
    b = workbook_of(&d);
    book = member((unsigned char *)b.ptr, b.len, "xl/workbook.xml");
    third = member((unsigned char *)b.ptr, b.len, "xl/worksheets/sheet3.xml");
    assert_non_null(third);
    assert_non_null(strstr(third, "orientation=\"landscape\""));
    for (size_t i = 0; i < EW_ARRAY_LEN(names); i++)
        assert_non_null(strstr(book, names[i]));
    assert_null(member((unsigned char *)b.ptr, b.len, "xl/worksheets/sheet4.xml"));
    free(book);
    free(third);
    ew_buf_fini(&b);
    rp_doc_free(&d);
}

static void
a_bad_sheet_name_fails_cleanly(void **state)
{
    struct rp_doc d;
    struct ew_buf b;
    char why[128] = "";

    (void)state;
    doc_head(&d);
    rp_sheet(&d, "bad/name?");          /* Excel forbids / ? in sheet names */
    ew_buf_init(&b, 1 << 20);
    assert_int_equal(EW_EIO, ew__report_xlsx(&d, &b, why, sizeof(why)));
    assert_non_null(strstr(why, "workbook"));
    assert_int_equal(0, b.len);
    ew_buf_fini(&b);
    rp_doc_free(&d);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_sheet_holds_texts_numbers_and_page_setup),
        cmocka_unit_test(sheet_blocks_make_named_sheets),
        cmocka_unit_test(a_bad_sheet_name_fails_cleanly),
    };
    return cmocka_run_group_tests_name("report/xlsx", tests, NULL, NULL);
}
