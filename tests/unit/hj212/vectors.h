/* SPDX-License-Identifier: MIT */
/*
 * The test vectors of reference/hj212.md section 2.5: data segments from the HJ 212-2017
 * Appendix A/C examples, framed (#1 is the standard's own frame), with their lengths in UTF-8
 * bytes and CRCs. Shared by the libhj212 tests.
 */
#ifndef HJ212_TEST_VECTORS_H
#define HJ212_TEST_VECTORS_H

#define V_MN "010000A8900016F000169DC0"
#define V_HDR(cn, pw, flag)                                                                    \
    "QN=20160801085857223;ST=32;CN=" cn ";PW=" pw ";MN=" V_MN ";Flag=" flag ";"
#define V_REPLY(cn) "QN=20160801085857223;ST=91;CN=" cn ";PW=123456;MN=" V_MN ";Flag=4;"

static const struct vector {
    const char *segment;
    unsigned    len;                    /* UTF-8 bytes */
    unsigned    crc;
    const char *crc_text;               /* as framed */
} vectors[] = {
    { V_HDR("1062", "100000", "5") "CP=&&RtdInterval=30&&", 101, 0x1C80, "1C80" },
    { V_HDR("1000", "123456", "5") "CP=&&OverTime=5;ReCount=3&&", 107, 0xCAC1, "CAC1" },
    { V_REPLY("9011") "CP=&&QnRtn=1&&", 94, 0x1B00, "1B00" },
    { V_REPLY("9012") "CP=&&ExeRtn=1&&", 95, 0x6240, "6240" },
    { V_REPLY("9014") "CP=&&&&", 87, 0x3240, "3240" },
    { V_HDR("1012", "123456", "5") "CP=&&PolId=w01018;SystemTime=20160801085857&&", 125, 0x0880,
      "0880" },
    { V_HDR("2061", "123456", "5") "CP=&&BeginTime=20160801080000;EndTime=20160801080000&&", 134,
      0x7EC0, "7EC0" },
    { V_HDR("1072", "123456", "5") "CP=&&NewPW=654321&&", 99, 0x3B80, "3B80" },
    { V_HDR("2081", "123456", "5") "CP=&&DataTime=20160801085857;RestartTime=20160801085624&&",
      137, 0x9AC1, "9AC1" },
    { V_HDR("3020", "123456", "5")
      "CP=&&DataTime=20160801085857;PolId=w01018;i11001-Info=//\xe6\xb8\x85\xe6\xb4\x97\xe7\xae"
      "\xa1\xe8\xb7\xaf//&&", 152, 0x9481, "9481" },
    { "QN=20160801085857534;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=7;PNUM=2;"
      "PNO=1;CP=&&DataTime=20160801080000;w00000-Cou=63.0,w00000-Min=16.4,w00000-Avg=17.5,"
      "w00000-Max=20.1,w00000-Flag=N&&", 201, 0x1980, "1980" },
    { "", 0, 0xFFFF, "FFFF" },
    { "A", 1, 0x7080, "7080" },
    { "123456789", 9, 0x2F80, "2F80" },
};

/* Vector 10's text in GBK: 148 bytes, CRC E2C1 (reference 2.5). */
#define V10_GBK                                                                                \
    V_HDR("3020", "123456", "5")                                                               \
    "CP=&&DataTime=20160801085857;PolId=w01018;i11001-Info=//\xc7\xe5\xcf\xb4\xb9\xdc\xc2\xb7//&&"

/* The first 11 vectors are packets; 12-14 only exercise the CRC. */
#define V_PACKETS 11

/* Frames vectors[i] into out as "##LLLL" seg CRC "\r\n"; returns the frame's length. */
static inline size_t
vector_frame(size_t i, char *out, size_t cap)
{
    int n = snprintf(out, cap, "##%04u%s%s\r\n", vectors[i].len, vectors[i].segment,
                     vectors[i].crc_text);

    return n < 0 ? 0 : (size_t)n;
}

#endif
