/* SPDX-License-Identifier: MIT */
/*
 * The streaming .xlsx writer (xlsx_write.c): every kind of cell lands in its row and column
 * when read back by the import's reader (xlsx.c) -- inline and shared strings, numbers,
 * dates, empty cells between others -- text that XML cannot hold as it is comes out as
 * documented, a value that repeats is stored once in sharedStrings.xml, tens of thousands of
 * rows cross the deflate thread's hand-over many times intact, and a failing FILE is EW_EIO.
 * tests/integration/test_ledger.py reads exports with Python's zipfile and ElementTree too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <zlib.h>

#include "ledger/internal.h"
#include "ledger/xlsx_write.h"
#include "lfix.h"

/* The workbook written by fn into memory. */
static char *
workbook(void (*fn)(struct ew__xw *w, void *arg), void *arg, size_t *len)
{
    char *mem = NULL;
    FILE *f = open_memstream(&mem, len);
    struct ew__xw *w = NULL;

    assert_non_null(f);
    assert_int_equal(EW_OK, ew__xw_open(f, &w));
    fn(w, arg);
    assert_int_equal(EW_OK, ew__xw_close(w, 1));
    fclose(f);
    return mem;
}

/* The inflated content of member name of a zip we wrote (local headers, sizes known). */
static char *
member(const char *zip, size_t len, const char *name)
{
    size_t nl = strlen(name);

    for (size_t at = 0; at + 30 <= len;) {
        const unsigned char *h = (const unsigned char *)zip + at;
        size_t csize = h[18] | h[19] << 8 | (size_t)h[20] << 16 | (size_t)h[21] << 24;
        size_t usize = h[22] | h[23] << 8 | (size_t)h[24] << 16 | (size_t)h[25] << 24;
        size_t fl = h[26] | h[27] << 8, xl = h[28] | h[29] << 8;
        if (h[0] != 'P' || h[1] != 'K' || h[2] != 3 || h[3] != 4)
            break;
        if (fl == nl && memcmp(h + 30, name, nl) == 0) {
            char *out = calloc(1, usize + 1);
            z_stream zs = { 0 };
            assert_non_null(out);
            assert_int_equal(Z_OK, inflateInit2(&zs, -MAX_WBITS));
            zs.next_in = (Bytef *)(h + 30 + fl + xl);
            zs.avail_in = (uInt)csize;
            zs.next_out = (Bytef *)out;
            zs.avail_out = (uInt)usize;
            assert_int_equal(Z_STREAM_END, inflate(&zs, Z_FINISH));
            inflateEnd(&zs);
            assert_int_equal(usize, zs.total_out);
            return out;
        }
        at += 30 + fl + xl + csize;
    }
    fail_msg("no member %s", name);
    return NULL;
}

static void
cells(struct ew__xw *w, void *arg)
{
    (void)arg;
    ew__xw_row(w);
    ew__xw_str(w, "编号");
    ew__xw_shared(w, "类型");
    ew__xw_skip(w);
    ew__xw_num(w, 42);
    ew__xw_num(w, 2.5);
    ew__xw_num(w, -7);
    ew__xw_num(w, NAN);
    ew__xw_date(w, 2019, 3, 31);
    ew__xw_str(w, "tail");
    ew__xw_row(w);
    ew__xw_shared(w, "类型");                     /* the same shared string again */
    ew__xw_str(w, "a<b>&c \"q\" 'a'");
    ew__xw_shared(w, "  padded  ");
    ew__xw_str(w, "bad\xff\xfe" "end");
    ew__xw_shared(w, "x\x01y\x1f");
    ew__xw_str(w, "tab\there\nline");
    ew__xw_str(w, "\xC0\xAF|\xED\xA0\x80|\xEF\xBF\xBE|\xF0\x9F\x98\x80");
    ew__xw_str(w, "");                            /* empty: a gap */
    ew__xw_num(w, 1e300);
    ew__xw_date(w, 1899, 12, 1);                  /* before Excel's dates: a gap */
    ew__xw_shared(w, "<&>");
    ew__xw_row(w);                                /* an empty row */
    ew__xw_row(w);
    ew__xw_skip(w);
    ew__xw_skip(w);
    ew__xw_num(w, 123456789012345.0);
}

static void
every_cell_reads_back_in_place(void **state)
{
    static const char *const want[][11] = {
        { "编号", "类型", "", "42", "2.5", "-7", "", "2019-03-31", "tail", "", "" },
        { "类型", "a<b>&c \"q\" 'a'", "  padded  ", "bad\xEF\xBF\xBD\xEF\xBF\xBD" "end",
          "xy", "tab\there\nline",
          "\xEF\xBF\xBD\xEF\xBF\xBD|\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD|"
          "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD|\xF0\x9F\x98\x80",
          "", "1e+300", "", "<&>" },
        { "", "", "", "", "", "", "", "", "", "", "" },
        { "", "", "123456789012345", "", "", "", "", "", "", "", "" },
    };
    struct ew__sheet sh;
    size_t len;
    char *data = workbook(cells, NULL, &len);

    (void)state;
    assert_int_equal(EW_OK, ew__sheet_xlsx(data, len, &sh, NULL, 0));
    assert_int_equal(4, sh.rows);
    assert_int_equal(11, sh.cols);
    for (size_t r = 0; r < 4; r++)
        for (size_t c = 0; c < 11; c++)
            if (strcmp(want[r][c], ew__sheet_cell(&sh, r, c)) != 0)
                fail_msg("cell %zu,%zu: '%s', want '%s'", r, c, ew__sheet_cell(&sh, r, c),
                         want[r][c]);
    ew__sheet_free(&sh);
    free(data);
}

static void
a_repeated_value_is_stored_once(void **state)
{
    size_t len;
    char *data = workbook(cells, NULL, &len), *sst = member(data, len, "xl/sharedStrings.xml");
    char *sheet = member(data, len, "xl/worksheets/sheet1.xml");

    (void)state;
    /* 类型 twice, padded, x?y and <&> once: 5 references to 4 strings */
    assert_non_null(strstr(sst, "count=\"5\" uniqueCount=\"4\""));
    assert_non_null(strstr(sst, "<si><t>类型</t></si>"));
    assert_null(strstr(strstr(sst, "类型") + 1, "类型"));
    assert_non_null(strstr(sst, "<si><t xml:space=\"preserve\">  padded  </t></si>"));
    assert_non_null(strstr(sst, "<si><t>&lt;&amp;&gt;</t></si>"));
    /* the sheet refers to it by number; inline strings stay in the sheet */
    assert_non_null(strstr(sheet, "<c t=\"s\"><v>0</v></c><c t=\"inlineStr\">"));
    assert_non_null(strstr(sheet, "<row r=\"3\"></row>"));
    free(sst);
    free(sheet);
    free(data);
}

static void
many_rows(struct ew__xw *w, void *arg)
{
    int n = *(int *)arg;
    char code[32], unit[32];

    ew__xw_row(w);
    ew__xw_str(w, "code");
    for (int i = 0; i < n; i++) {
        snprintf(code, sizeof(code), "R-%06d", i);
        snprintf(unit, sizeof(unit), "单位%d", i % 7);
        ew__xw_row(w);
        ew__xw_str(w, code);
        ew__xw_shared(w, unit);
        ew__xw_num(w, i);
        if (i % 3 == 0)
            ew__xw_skip(w);
        else
            ew__xw_date(w, 2018 + i % 3, 1 + i % 12, 1 + i % 28);
        ew__xw_str(w, "某企业无组织排放治理，某企业无组织排放治理");
    }
}

/* 30,000 rows: the XML passes the deflate thread many chunks of 256 KiB. */
static void
long_sheets_cross_the_deflate_thread_intact(void **state)
{
    int n = 30000;
    size_t len;
    char *data = workbook(many_rows, &n, &len);
    struct ew__sheet sh;
    char want[32];

    (void)state;
    assert_int_equal(EW_OK, ew__sheet_xlsx(data, len, &sh, NULL, 0));
    assert_int_equal(n + 1, sh.rows);
    for (int i = 0; i < n; i += 997) {
        snprintf(want, sizeof(want), "R-%06d", i);
        assert_string_equal(want, ew__sheet_cell(&sh, (size_t)i + 1, 0));
        snprintf(want, sizeof(want), "单位%d", i % 7);
        assert_string_equal(want, ew__sheet_cell(&sh, (size_t)i + 1, 1));
        snprintf(want, sizeof(want), "%d", i);
        assert_string_equal(want, ew__sheet_cell(&sh, (size_t)i + 1, 2));
        if (i % 3 == 0) {
            assert_string_equal("", ew__sheet_cell(&sh, (size_t)i + 1, 3));
        } else {
            snprintf(want, sizeof(want), "%04d-%02d-%02d", 2018 + i % 3, 1 + i % 12,
                     1 + i % 28);
            assert_string_equal(want, ew__sheet_cell(&sh, (size_t)i + 1, 3));
        }
    }
    assert_string_equal("R-029999", ew__sheet_cell(&sh, (size_t)n, 0));
    ew__sheet_free(&sh);
    free(data);
}

static void
failures_are_reported(void **state)
{
    struct ew__xw *w = NULL;
    int n = 5000;
    char *mem = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&mem, &len);

    (void)state;
    /* closed without writing: nothing reaches the FILE */
    assert_int_equal(EW_OK, ew__xw_open(f, &w));
    many_rows(w, &n);
    assert_int_equal(EW_OK, ew__xw_close(w, 0));
    fflush(f);
    assert_int_equal(0, len);
    fclose(f);
    free(mem);
    assert_int_equal(EW_EINVAL, ew__xw_close(NULL, 1));
    /* a device that refuses the bytes */
    if ((f = fopen("/dev/full", "wb")) == NULL)
        skip();
    setvbuf(f, NULL, _IONBF, 0);
    assert_int_equal(EW_OK, ew__xw_open(f, &w));
    many_rows(w, &n);
    assert_int_equal(EW_EIO, ew__xw_close(w, 1));
    fclose(f);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_cell_reads_back_in_place),
        cmocka_unit_test(a_repeated_value_is_stored_once),
        cmocka_unit_test(long_sheets_cross_the_deflate_thread_intact),
        cmocka_unit_test(failures_are_reported),
    };
    return cmocka_run_group_tests_name("ledger/xlsx_write", tests, NULL, NULL);
}
