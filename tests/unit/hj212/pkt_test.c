/* SPDX-License-Identifier: MIT */
/*
 * libhj212 packet parser: every vector of reference/hj212.md 2.5, then one case per deviation
 * class the reference lists (sections 1-3, 5 and 11), each checked for its exact set of
 * warnings, and the inputs that must be errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <hj212/hj212.h>

#include "unit/hj212/vectors.h"

#define H17 "QN=20160801085857223;ST=32;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
#define DT "DataTime=20160801085857"
#define UTF8_ZH "\xe6\xb8\x85\xe6\xb4\x97"  /* two Chinese characters, 6 bytes */

/* How to frame a segment for a case. */
enum crc_how { CRC_GOOD, CRC_WRONG, CRC_LOWER, CRC_UNPADDED, CRC_MODBUS_LE, CRC_MODBUS_BE };

static const struct pcase {
    const char  *name;
    const char  *seg;
    int          declared;              /* -1: the segment's byte length */
    enum crc_how crc;
    const char  *tail;
    /* expectations */
    int          crc_ok, length_ok, variant, version, flag;
    uint32_t     warnings;
} cases[] = {
    { "plain 2017 upload", H17 "CP=&&" DT ";a21026-Rtd=12.3,a21026-Flag=N&&", -1, CRC_GOOD,
      "\r\n", 1, 1, HJ212_CRC_HJ212, HJ212_V2017, 5, 0 },
    { "wrong CRC", H17 "CP=&&" DT "&&", -1, CRC_WRONG, "\r\n", 0, 1, HJ212_CRC_NONE,
      HJ212_V2017, 5, HJ212_W_CRC_BAD },
    { "wrong length, found by its line end", H17 "CP=&&" DT "&&", 70, CRC_GOOD, "\r\n", 1, 0,
      HJ212_CRC_HJ212, HJ212_V2017, 5, HJ212_W_LEN_MISMATCH },
    { "length counts UTF-8 characters", H17 "CP=&&" DT ";i11001-Info=//" UTF8_ZH "//&&", 129,
      CRC_GOOD, "\r\n", 1, 0, HJ212_CRC_HJ212, HJ212_V2017, 5, HJ212_W_LEN_CHARS },
    { "CRC-16/MODBUS low byte first", H17 "CP=&&" DT "&&", -1, CRC_MODBUS_LE, "\r\n", 0, 1,
      HJ212_CRC_MODBUS_LE, HJ212_V2017, 5, HJ212_W_CRC_MODBUS },
    { "CRC-16/MODBUS high byte first", H17 "CP=&&" DT "&&", -1, CRC_MODBUS_BE, "\r\n", 0, 1,
      HJ212_CRC_MODBUS_BE, HJ212_V2017, 5, HJ212_W_CRC_MODBUS },
    { "lower-case CRC", V_HDR("1000", "123456", "5") "CP=&&OverTime=5;ReCount=3&&", -1,
      CRC_LOWER, "\r\n", 1, 1,
      HJ212_CRC_HJ212, HJ212_V2017, 5, HJ212_W_CRC_LOWERCASE },
    { "CRC without its leading zero",
      V_HDR("1012", "123456", "5") "CP=&&PolId=w01018;SystemTime=20160801085857&&", -1,
      CRC_UNPADDED, "\r\n", 1, 1,
      HJ212_CRC_HJ212, HJ212_V2017, 5, HJ212_W_CRC_UNPADDED },
    { "bare LF tail", H17 "CP=&&" DT "&&", -1, CRC_GOOD, "\n", 1, 1, HJ212_CRC_HJ212,
      HJ212_V2017, 5, HJ212_W_TAIL },
    { "bare CR tail", H17 "CP=&&" DT "&&", -1, CRC_GOOD, "\r", 1, 1, HJ212_CRC_HJ212,
      HJ212_V2017, 5, HJ212_W_TAIL },
    { "no tail at all", H17 "CP=&&" DT "&&", -1, CRC_GOOD, "", 1, 1, HJ212_CRC_HJ212,
      HJ212_V2017, 5, HJ212_W_TAIL },
    { "2005 upload without Flag",
      "QN=20040516010101001;ST=32;CN=2011;PW=123456;MN=88888880000001;CP=&&"
      "DataTime=20040516010101;011-Rtd=100.5,011-Flag=N&&", -1, CRC_GOOD, "\r\n", 1, 1,
      HJ212_CRC_HJ212, HJ212_V2005, -1, HJ212_W_NO_FLAG },
    { "2005 request reply, QN inside CP",
      "ST=91;CN=9011;PW=123456;MN=88888880000001;Flag=0;CP=&&QN=20040516010101001;QnRtn=1&&",
      -1, CRC_GOOD, "\r\n", 1, 1, HJ212_CRC_HJ212, HJ212_V2005, 0, 0 },
    { "2005 data reply without PW, MN or Flag",
      "ST=91;CN=9014;CP=&&QN=20040516010101001;CN=2051&&", -1, CRC_GOOD, "\r\n", 1, 1,
      HJ212_CRC_HJ212, HJ212_V2005, -1, HJ212_W_NO_FLAG },
    { "Flag version 2 (2025 or surface water)",
      "QN=20160801085857223;ST=21;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=8;CP=&&"
      DT "&&", -1, CRC_GOOD, "\r\n", 1, 1, HJ212_CRC_HJ212, HJ212_V_UNKNOWN, 8,
      HJ212_W_FLAG_VERSION },
    { "Flag not a number",
      "QN=20160801085857223;ST=32;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=x;CP=&&"
      DT "&&", -1, CRC_GOOD, "\r\n", 1, 1, HJ212_CRC_HJ212, HJ212_V_UNKNOWN, -1,
      HJ212_W_FLAG_FORMAT },
    { "MN before PW, QN after CN",
      "ST=32;CN=2011;QN=20160801085857223;MN=010000A8900016F000169DC0;PW=123456;Flag=4;CP=&&"
      DT "&&", -1, CRC_GOOD, "\r\n", 1, 1, HJ212_CRC_HJ212, HJ212_V2017, 4,
      HJ212_W_FIELD_ORDER },
    { "',' for ';' in the header (C.22)",
      "QN=20160801085857534,ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&"
      DT "&&", -1, CRC_GOOD, "\r\n", 1, 1, HJ212_CRC_HJ212, HJ212_V2017, 4,
      HJ212_W_HEADER_SEPARATOR },
    { "no ';' before CP (C.19)",
      "QN=20160801085857223;ST=32;CN=2051;PW=123456;MN=010000A8900016F000169DC0;Flag=5CP=&&"
      DT "&&", -1, CRC_GOOD, "\r\n", 1, 1, HJ212_CRC_HJ212, HJ212_V2017, 5,
      HJ212_W_HEADER_SEPARATOR },
    { "stray spaces in CP", H17 "CP=&& i12003-Info =0; i13004-Info=168.0 &&", -1, CRC_GOOD,
      "\r\n", 1, 1, HJ212_CRC_HJ212, HJ212_V2017, 5, HJ212_W_SPACES },
    { "spaces around a header value",
      "QN=20160801085857223; ST = 32 ;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
      "CP=&&&&", -1, CRC_GOOD, "\r\n", 1, 1, HJ212_CRC_HJ212, HJ212_V2017, 5, HJ212_W_SPACES },
    { "duplicate, unknown and broken header items",
      "QN=20160801085857223;ST=32;ST=31;CN=2011;PW=123456;MN=010000A8900016F000169DC0;X=1;"
      "junk;Flag=5;CP=&&&&", -1, CRC_GOOD, "\r\n", 1, 1, HJ212_CRC_HJ212, HJ212_V2017, 5,
      HJ212_W_DUP_FIELD | HJ212_W_UNKNOWN_FIELD | HJ212_W_HEADER_ITEM },
    { "no MN", "QN=20160801085857223;ST=32;CN=2011;PW=123456;Flag=5;CP=&&&&", -1, CRC_GOOD,
      "\r\n", 1, 1, HJ212_CRC_HJ212, HJ212_V2017, 5, HJ212_W_MISSING_FIELD },
    { "field formats: QN 16 digits, ST 3 characters, CN 5 digits, 14-digit MN in 2017",
      "QN=2016080108585722;ST=101;CN=20111;PW=123456;MN=88888880000001;Flag=4;CP=&&&&", -1,
      CRC_GOOD, "\r\n", 1, 1, HJ212_CRC_HJ212, HJ212_V2017, 4,
      HJ212_W_QN_FORMAT | HJ212_W_ST_FORMAT | HJ212_W_CN_FORMAT | HJ212_W_MN_FORMAT },
    { "PNUM/PNO without the D bit, PNO above PNUM",
      "QN=20160801085857223;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=5;PNUM=2;"
      "PNO=3;CP=&&" DT "&&", -1, CRC_GOOD, "\r\n", 1, 1, HJ212_CRC_HJ212, HJ212_V2017, 5,
      HJ212_W_PNUM_PNO },
    { "CP not closed", H17 "CP=&&" DT ";a01001-Rtd=1", -1, CRC_GOOD, "\r\n", 1, 1,
      HJ212_CRC_HJ212, HJ212_V2017, 5, HJ212_W_CP_FORMAT },
    { "no CP at all", "QN=20160801085857223;ST=32;CN=2011;PW=123456;MN=010000A8900016F000169DC0;"
      "Flag=5", -1, CRC_GOOD, "\r\n", 1, 1, HJ212_CRC_HJ212, HJ212_V2017, 5,
      HJ212_W_CP_MISSING },
    { "CP items without '=', empty, duplicated",
      H17 "CP=&&" DT ";a01001-Rtd=1;;broken;a01001-Rtd=2;&&", -1, CRC_GOOD, "\r\n", 1, 1,
      HJ212_CRC_HJ212, HJ212_V2017, 5, HJ212_W_CP_ITEM | HJ212_W_CP_DUP_KEY },
    { "Chinese outside an info value", H17 "CP=&&" DT ";a01001-Rtd=" UTF8_ZH "&&", -1,
      CRC_GOOD, "\r\n", 1, 1, HJ212_CRC_HJ212, HJ212_V2017, 5, HJ212_W_NON_ASCII },
    { "GBK text, length in GBK characters", V10_GBK, 144, CRC_GOOD, "\r\n", 1, 0,
      HJ212_CRC_HJ212, HJ212_V2017, 5, HJ212_W_LEN_CHARS | HJ212_W_INVALID_UTF8 },
    { "'##' inside a log value", H17 "CP=&&" DT ";i11001-Info=//a##0012;b=c,d//&&", -1,
      CRC_GOOD, "\r\n", 1, 1, HJ212_CRC_HJ212, HJ212_V2017, 5, 0 },
};

static unsigned
bswap16(unsigned v)
{
    return (v >> 8 | v << 8) & 0xFFFF;
}

/* Frames c->seg as the case says into out; returns the length. */
static size_t
frame_case(const struct pcase *c, char *out, size_t cap)
{
    size_t n = strlen(c->seg);
    unsigned crc = hj212_crc(c->seg, n), m = hj212_crc_modbus(c->seg, n);
    char crc_text[8];
    int len;

    switch (c->crc) {
    case CRC_GOOD:
        snprintf(crc_text, sizeof(crc_text), "%04X", crc);
        break;
    case CRC_WRONG:
        snprintf(crc_text, sizeof(crc_text), "%04X", crc ^ 0x0100);
        break;
    case CRC_LOWER:
        snprintf(crc_text, sizeof(crc_text), "%04x", crc);
        break;
    case CRC_UNPADDED:
        snprintf(crc_text, sizeof(crc_text), "%X", crc);
        break;
    case CRC_MODBUS_LE:
        snprintf(crc_text, sizeof(crc_text), "%04X", bswap16(m));
        break;
    case CRC_MODBUS_BE:
        snprintf(crc_text, sizeof(crc_text), "%04X", m);
        break;
    }
    len = snprintf(out, cap, "##%04d%s%s%s", c->declared < 0 ? (int)n : c->declared, c->seg,
                   crc_text, c->tail);
    assert_true(len > 0 && (size_t)len < cap);
    return (size_t)len;
}

static void
warnings_equal(const char *name, uint32_t want, uint32_t got)
{
    if (want == got)
        return;
    for (unsigned b = 0; b < HJ212_WARNING_COUNT; b++)
        if ((want ^ got) & (1u << b))
            print_error("%s: warning %s %s\n", name, hj212_warning_name(1u << b),
                        want & (1u << b) ? "missing" : "unexpected");
    fail();
}

static void
every_standard_vector_parses(void **state)
{
    char buf[512];
    struct hj212_pkt p;

    (void)state;
    for (size_t i = 0; i < V_PACKETS; i++) {
        size_t n = vector_frame(i, buf, sizeof(buf));

        assert_int_equal(HJ212_OK, hj212_pkt_parse(buf, n, &p));
        assert_true(p.crc_ok && p.length_ok);
        assert_int_equal(HJ212_CRC_HJ212, p.crc_variant);
        assert_int_equal(vectors[i].crc, p.crc_sent);
        assert_int_equal(vectors[i].crc, p.crc_calc);
        assert_int_equal(vectors[i].len, p.declared_len);
        assert_int_equal(HJ212_V2017, p.version);
        assert_int_equal(0, p.warnings);
        assert_ptr_equal(buf, p.frame.ptr);
        assert_int_equal(n, p.frame.len);
        assert_ptr_equal(buf + 6, p.seg.ptr);
        assert_true(p.mn.len == 24 && memcmp(p.mn.ptr, "010000A8900016F000169DC0", 24) == 0);
        assert_int_equal(17, p.qn.len);
    }
}

static void
vector_fields(void **state)
{
    char buf[512];
    struct hj212_pkt p;
    size_t n = vector_frame(10, buf, sizeof(buf));

    (void)state;
    assert_int_equal(HJ212_OK, hj212_pkt_parse(buf, n, &p));
    assert_int_equal(7, p.flag);
    assert_int_equal(2, p.pnum);
    assert_int_equal(1, p.pno);
    assert_true(p.cn.len == 4 && memcmp(p.cn.ptr, "2061", 4) == 0);
    assert_true(p.st.len == 2 && memcmp(p.st.ptr, "32", 2) == 0);
    assert_true(p.pw.len == 6 && memcmp(p.pw.ptr, "123456", 6) == 0);
    assert_true(p.qn.len == 17 && memcmp(p.qn.ptr, "20160801085857534", 17) == 0);
    assert_int_equal(strlen(vectors[10].segment) - (size_t)(strstr(vectors[10].segment, "&&") + 2 -
                                                            vectors[10].segment) - 2, p.cp.len);
    assert_null(p.reply_qn.ptr);
    n = vector_frame(4, buf, sizeof(buf));                  /* 9014: CP=&&&& */
    assert_int_equal(HJ212_OK, hj212_pkt_parse(buf, n, &p));
    assert_non_null(p.cp.ptr);
    assert_int_equal(0, p.cp.len);
    assert_int_equal(4, p.flag);
}

static void
deviations_are_warnings(void **state)
{
    char buf[2048];
    struct hj212_pkt p;

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct pcase *c = &cases[i];
        size_t n = frame_case(c, buf, sizeof(buf));
        int rc = hj212_pkt_parse(buf, n, &p);

        if (rc != HJ212_OK)
            print_error("%s: %s\n", c->name, hj212_strerror(rc));
        assert_int_equal(HJ212_OK, rc);
        if (p.crc_ok != c->crc_ok || p.length_ok != c->length_ok ||
            (int)p.crc_variant != c->variant || (int)p.version != c->version ||
            p.flag != c->flag)
            print_error("%s: crc_ok %d length_ok %d variant %d version %d flag %d\n", c->name,
                        p.crc_ok, p.length_ok, p.crc_variant, p.version, p.flag);
        assert_int_equal(c->crc_ok, p.crc_ok);
        assert_int_equal(c->length_ok, p.length_ok);
        assert_int_equal(c->variant, p.crc_variant);
        assert_int_equal(c->version, p.version);
        assert_int_equal(c->flag, p.flag);
        warnings_equal(c->name, c->warnings, p.warnings);
        assert_int_equal(n, p.frame.len);
    }
}

static void
reply_qn_and_2005_fields(void **state)
{
    char buf[512];
    struct hj212_pkt p;
    size_t n = frame_case(&cases[12], buf, sizeof(buf));

    (void)state;
    assert_int_equal(HJ212_OK, hj212_pkt_parse(buf, n, &p));
    assert_null(p.qn.ptr);
    assert_true(p.reply_qn.len == 17 && memcmp(p.reply_qn.ptr, "20040516010101001", 17) == 0);
    n = frame_case(&cases[11], buf, sizeof(buf));
    assert_int_equal(HJ212_OK, hj212_pkt_parse(buf, n, &p));
    assert_int_equal(-1, p.pnum);
    assert_int_equal(14, p.mn.len);
}

/* Segments over 1024 bytes are accepted with a warning, up to 9999. */
static void
oversize_segment(void **state)
{
    static char seg[HJ212_SEG_MAX + 1], buf[HJ212_FRAME_MAX + 1];
    struct hj212_pkt p;
    size_t n;

    (void)state;
    n = (size_t)snprintf(seg, sizeof(seg), "%s", H17 "CP=&&" DT);
    while (n < 1600)
        n += (size_t)snprintf(seg + n, sizeof(seg) - n, ";a%05zu-Rtd=1.5", n);
    n += (size_t)snprintf(seg + n, sizeof(seg) - n, "&&");
    n = (size_t)snprintf(buf, sizeof(buf), "##%04zu%s%04X\r\n", n, seg, hj212_crc(seg, n));
    assert_int_equal(HJ212_OK, hj212_pkt_parse(buf, n, &p));
    assert_true(p.crc_ok && p.length_ok);
    assert_int_equal(HJ212_W_SEG_OVERSIZE, p.warnings);
}

static void
long_info_value(void **state)
{
    static char seg[2048], buf[2200];
    struct hj212_pkt p;
    size_t n = (size_t)snprintf(seg, sizeof(seg), "%s", H17 "CP=&&" DT ";i11001-Info=//");

    (void)state;
    memset(seg + n, 'x', 891);
    n += 891;
    n += (size_t)snprintf(seg + n, sizeof(seg) - n, "//&&");
    n = (size_t)snprintf(buf, sizeof(buf), "##%04zu%s%04X\r\n", n, seg, hj212_crc(seg, n));
    assert_int_equal(HJ212_OK, hj212_pkt_parse(buf, n, &p));
    assert_true(p.seg.len <= HJ212_SEG_STD_MAX);
    assert_int_equal(HJ212_W_INFO_TOO_LONG, p.warnings);
}

static void
unusable_input_is_an_error(void **state)
{
    static const struct {
        const char *in;
        int         rc;
    } bad[] = {
        { "hello world\r\n", HJ212_EFRAME },
        { "", HJ212_EFRAME },
        { "##01", HJ212_ETRUNC },
        { "##0101QN=20160801085857223;ST=32", HJ212_ETRUNC },
        { "##0003abcFFFF\r\n", HJ212_ESYNTAX },             /* no key=value at all */
        { "##0004ab=1\r\n", HJ212_EFRAME },                 /* no CRC digits */
        { "##abcdQN=1;CP=&&&&1234\r\n", HJ212_EFRAME },      /* no length digits */
    };
    char buf[256];
    struct hj212_pkt p, untouched;
    size_t n;

    (void)state;
    memset(&untouched, 0x5A, sizeof(untouched));
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        p = untouched;
        assert_int_equal(bad[i].rc, hj212_pkt_parse(bad[i].in, strlen(bad[i].in), &p));
        assert_memory_equal(&untouched, &p, sizeof(p));    /* out-param written only on OK */
    }
    /* A frame followed by other bytes is not one frame; trailing white space is fine. */
    n = vector_frame(0, buf, sizeof(buf));
    memcpy(buf + n, "xx", 3);
    assert_int_equal(HJ212_EFRAME, hj212_pkt_parse(buf, n + 2, &p));
    memcpy(buf + n, " \r\n", 4);
    assert_int_equal(HJ212_OK, hj212_pkt_parse(buf, n + 3, &p));
    assert_int_equal(HJ212_EINVAL, hj212_pkt_parse(NULL, 0, &p));
}

static void
names_are_stable(void **state)
{
    (void)state;
    assert_string_equal("crc-mismatch", hj212_warning_name(HJ212_W_CRC_BAD));
    assert_string_equal("length-counts-characters", hj212_warning_name(HJ212_W_LEN_CHARS));
    assert_string_equal("tail-not-crlf", hj212_warning_name(HJ212_W_TAIL));
    assert_null(hj212_warning_name(1u << 31));
    assert_null(hj212_warning_name(3));
    for (unsigned b = 0; b < HJ212_WARNING_COUNT; b++)
        assert_non_null(hj212_warning_name(1u << b));
    assert_string_equal("frame", hj212_errcode(HJ212_EFRAME));
    assert_string_equal("truncated", hj212_errcode(HJ212_ETRUNC));
    assert_string_equal("unknown", hj212_errcode(-99));
    assert_string_equal("modbus-le", hj212_crc_variant_name(HJ212_CRC_MODBUS_LE));
    assert_null(hj212_crc_variant_name(HJ212_CRC_NONE));
    assert_string_equal("unknown error", hj212_strerror(42));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_standard_vector_parses),
        cmocka_unit_test(vector_fields),
        cmocka_unit_test(deviations_are_warnings),
        cmocka_unit_test(reply_qn_and_2005_fields),
        cmocka_unit_test(oversize_segment),
        cmocka_unit_test(long_info_value),
        cmocka_unit_test(unusable_input_is_an_error),
        cmocka_unit_test(names_are_stable),
    };
    return cmocka_run_group_tests_name("hj212/pkt", tests, NULL, NULL);
}
