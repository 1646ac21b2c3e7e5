/* SPDX-License-Identifier: MIT */
/*
 * The code tables of HJ 212 as data (reference/hj212.md sections 4 and 6, which restate
 * HJ 212-2017 section 6.6 and Appendix B, HJ/T 212-2005 and its Appendix B). Every table is
 * sorted by code (byte order) for binary search; the unit test walks each table to prove it.
 * Where a row is not a fact of the standards' text it says so:
 *  - ST names: the reference gives English meanings for 24-27, 33-38 and 41; the Chinese
 *    names of those rows are renderings of them, [M], not checked against the 2017 wording.
 *  - Noise factor names (B.3 lists the codes; the Chinese names are descriptive, [M]).
 *  - a05024 (O3) is not in 2017 Appendix B; it is the code in common use (HJ 524-2009 was not
 *    checked) and is marked HJ212_FACTOR_UNLISTED; its unit is the ambient-air practice.
 *  - The 2017 table prints ng/m3 for TSP, PM10, PM2.5, PM1.0, NH3 and CH4; these rows keep
 *    the printed unit and carry HJ212_FACTOR_UNIT_SUSPECT (particulates are ug/m3 in practice).
 *  - 2005 command directions are read from the 2005 command descriptions, [M].
 */
#include <string.h>

#include <hj212/codes.h>

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Binary search in a table of structs whose first member is the code (const char *). */
static const void *
find_code(const void *base, size_t n, size_t size, struct hj212_str key)
{
    size_t lo = 0, hi = n;

    if (key.ptr == NULL)
        return NULL;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2, clen;
        const void *row = (const char *)base + mid * size;
        const char *code;
        int c;

        memcpy(&code, row, sizeof(code));
        clen = strlen(code);
        c = memcmp(key.ptr, code, key.len < clen ? key.len : clen);
        if (c == 0)
            c = key.len < clen ? -1 : key.len > clen;
        if (c == 0)
            return row;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* ---- ST --------------------------------------------------------------------------------- */

#define B (HJ212_IN_2005 | HJ212_IN_2017)
#define N17 HJ212_IN_2017
#define N05 HJ212_IN_2005

static const struct hj212_st_code st_codes[] = {
    { "21", "地表水质量监测", "地表水监测", "surface-water quality", B },
    { "22", "空气质量监测", NULL, "ambient air quality", B },
    { "23", "声环境质量监测", "区域环境噪声监测", "acoustic environment quality", B },
    { "24", "地下水质量监测", NULL, "groundwater quality", N17 },
    { "25", "土壤质量监测", NULL, "soil quality", N17 },
    { "26", "海水质量监测", NULL, "seawater quality", N17 },
    { "27", "挥发性有机物监测", NULL, "volatile organic compounds", N17 },
    { "31", "大气环境污染源", NULL, "atmospheric pollution source (flue gas)", B },
    { "32", "地表水体环境污染源", NULL, "surface-water-body pollution source (wastewater)", B },
    { "33", "地下水体环境污染源", NULL, "groundwater pollution source", B },
    { "34", "海洋环境污染源", NULL, "marine pollution source", B },
    { "35", "土壤环境污染源", NULL, "soil pollution source", B },
    { "36", "声环境污染源", NULL, "noise pollution source", B },
    { "37", "振动环境污染源", NULL, "vibration pollution source", B },
    { "38", "放射性环境污染源", NULL, "radioactive pollution source", B },
    { "39", "工地扬尘污染源", NULL, "construction-site dust", N17 },
    { "41", "电磁环境污染源", NULL, "electromagnetic pollution source", B },
    { "51", "烟气排放过程监控", NULL, "flue-gas emission process monitoring", N17 },
    { "52", "污水排放过程监控", NULL, "wastewater emission process monitoring", N17 },
    { "91", "系统交互", NULL, "system interaction (replies)", B },
};

const struct hj212_st_code *
hj212_st_find(struct hj212_str st)
{
    return find_code(st_codes, LEN(st_codes), sizeof(st_codes[0]), st);
}

const struct hj212_st_code *
hj212_st_table(size_t *n)
{
    *n = LEN(st_codes);
    return st_codes;
}

/* ---- CN --------------------------------------------------------------------------------- */

#define P2F HJ212_DIR_P2F
#define F2P HJ212_DIR_F2P
#define BOTH (HJ212_DIR_P2F | HJ212_DIR_F2P)
#define REQ HJ212_KIND_REQUEST
#define UPL HJ212_KIND_UPLOAD
#define NOTE HJ212_KIND_NOTICE
#define RPL HJ212_KIND_REPLY
#define HIST05 "BeginTime,EndTime / DataTime;xxx-Cou;xxx-Min;xxx-Avg;xxx-Max"
#define HIST "BeginTime;EndTime / DataTime;xxxxxx-Cou;xxxxxx-Min;xxxxxx-Avg;xxxxxx-Max;xxxxxx-Flag"

/* HJ 212-2017 section 6.6.2 and Appendix C (reference 4.2). */
static const struct hj212_cn_code cn_2017[] = {
    { 1000, P2F, REQ, "set timeout and retry count", "OverTime;ReCount" },
    { 1011, BOTH, REQ | UPL, "get field time / upload field time", "PolId;SystemTime" },
    { 1012, P2F, REQ, "set field time", "PolId;SystemTime" },
    { 1013, F2P, NOTE, "field asks for time calibration", "PolId" },
    { 1061, BOTH, REQ | UPL, "get / upload real-time data interval", "RtdInterval" },
    { 1062, P2F, REQ, "set real-time data interval", "RtdInterval" },
    { 1063, BOTH, REQ | UPL, "get / upload minute data interval", "MinInterval" },
    { 1064, P2F, REQ, "set minute data interval", "MinInterval" },
    { 1072, P2F, REQ, "set field access password", "NewPW" },
    { 2011, BOTH, REQ | UPL, "start real-time data / real-time data",
      "DataTime;xxxxxx-Rtd;xxxxxx-Flag;xxxxxx-SampleTime;xxxxxx-EFlag" },
    { 2012, P2F, NOTE, "stop real-time data", "" },
    { 2021, BOTH, REQ | UPL, "start equipment status / equipment status", "DataTime;SBxxx-RS" },
    { 2022, P2F, NOTE, "stop equipment status", "" },
    { 2031, BOTH, REQ | UPL, "get day data / day data", HIST },
    { 2041, BOTH, REQ | UPL, "get equipment run time / run-time day data",
      "BeginTime;EndTime / DataTime;SBxxx-RT" },
    { 2051, BOTH, REQ | UPL, "get minute data / minute data", HIST },
    { 2061, BOTH, REQ | UPL, "get hour data / hour data", HIST },
    { 2081, F2P, UPL, "datalogger boot time", "DataTime;RestartTime" },
    { 3011, P2F, REQ, "start zero and span calibration", "PolId" },
    { 3012, P2F, REQ, "immediate sampling", "PolId" },
    { 3013, P2F, REQ, "start cleaning / blow-back", "PolId" },
    { 3014, P2F, REQ, "comparison sampling", "PolId" },
    { 3015, BOTH, REQ | UPL, "over-limit sample retention / its result", "DataTime;VaseNo" },
    { 3016, P2F, REQ, "set sampling period", "PolId;CstartTime;Ctime" },
    { 3017, BOTH, REQ | UPL, "get / upload sampling period", "PolId;CstartTime;Ctime" },
    { 3018, BOTH, REQ | UPL, "get / upload sample-output time", "PolId;Stime" },
    { 3019, BOTH, REQ | UPL, "get / upload instrument id", "PolId;xxxxxx-SN" },
    { 3020, BOTH, REQ | UPL, "get / upload field information",
      "DataTime;PolId;InfoId;BeginTime;EndTime;iXXXXX-Info" },
    { 3021, P2F, REQ, "set field parameter", "PolId;InfoId;iXXXXX-Info" },
    { 9011, F2P, RPL, "request reply", "QnRtn" },
    { 9012, F2P, RPL, "execution result", "ExeRtn" },
    { 9013, BOTH, RPL, "notification reply", "" },
    { 9014, BOTH, RPL, "data reply", "" },
};

/* HJ/T 212-2005 (reference 4.3). */
static const struct hj212_cn_code cn_2005[] = {
    { 1000, P2F, REQ, "set timeout and retries", "OverTime;ReCount" },
    { 1001, P2F, REQ, "set over-limit alarm time", "WarnTime" },
    { 1011, BOTH, REQ | UPL, "get / upload field time", "SystemTime" },
    { 1012, P2F, REQ, "set field time", "SystemTime" },
    { 1021, BOTH, REQ | UPL, "get / upload pollutant alarm limits",
      "PolId;xxx-LowValue;xxx-UpValue" },
    { 1022, P2F, REQ, "set pollutant alarm limits", "PolId;xxx-LowValue;xxx-UpValue" },
    { 1031, BOTH, REQ | UPL, "get / upload upper-computer address", "AlarmTarget" },
    { 1032, P2F, REQ, "set upper-computer address", "AlarmTarget" },
    { 1041, BOTH, REQ | UPL, "get / upload data report time", "ReportTime" },
    { 1042, P2F, REQ, "set data report time", "ReportTime" },
    { 1061, BOTH, REQ | UPL, "get / upload real-time data interval", "RtdInterval" },
    { 1062, P2F, REQ, "set real-time data interval", "RtdInterval" },
    { 1072, P2F, REQ, "set access password", "PW" },
    { 2011, BOTH, REQ | UPL, "real-time data", "DataTime;xxx-Rtd;xxx-Flag" },
    { 2012, P2F, NOTE, "stop real-time data", "" },
    { 2021, BOTH, REQ | UPL, "equipment status", "DataTime;SBxxx-RS" },
    { 2022, P2F, NOTE, "stop equipment status", "" },
    { 2031, BOTH, REQ | UPL, "day data", HIST05 },
    { 2041, BOTH, REQ | UPL, "equipment run-time data", "BeginTime,EndTime / DataTime;SBxxx-RT" },
    { 2051, BOTH, REQ | UPL, "minute data", HIST05 },
    { 2061, BOTH, REQ | UPL, "hour data", HIST05 },
    { 2071, BOTH, REQ | UPL, "pollutant alarm records", "BeginTime,EndTime / DataTime;xxx-Ala" },
    { 2072, F2P, NOTE, "alarm event", "AlarmTime;xxx-Ala;AlarmType" },
    { 3011, P2F, REQ, "zero / full calibration", "PolId" },
    { 3012, P2F, REQ, "immediate sampling", "PolId" },
    { 3013, P2F, REQ, "equipment operation command", "" },
    { 3014, P2F, REQ, "set equipment sampling times", "PolId;CTime" },
    { 9011, F2P, RPL, "request reply", "QN;QnRtn" },
    { 9012, F2P, RPL, "execution result", "QN;ExeRtn" },
    { 9013, BOTH, RPL, "notification reply", "QN" },
    { 9014, BOTH, RPL, "data reply", "QN;CN;PNO;PNUM" },
};

static const struct hj212_cn_code *
cn_rows(enum hj212_version v, size_t *n)
{
    if (v == HJ212_V2017) {
        *n = LEN(cn_2017);
        return cn_2017;
    }
    if (v == HJ212_V2005) {
        *n = LEN(cn_2005);
        return cn_2005;
    }
    *n = 0;
    return NULL;
}

const struct hj212_cn_code *
hj212_cn_find(enum hj212_version v, int cn)
{
    size_t lo = 0, hi;
    const struct hj212_cn_code *t = cn_rows(v, &hi);

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (t[mid].cn == cn)
            return &t[mid];
        if (t[mid].cn < cn)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const struct hj212_cn_code *
hj212_cn_table(enum hj212_version v, size_t *n)
{
    return cn_rows(v, n);
}

/* ---- factors (2017 Appendix B.1-B.3) ---------------------------------------------------- */

static const struct hj212_factor factors[] = {
    { "L10", "累积百分声级 L10", NULL, "分贝", "dB", NULL, NULL, "N3.1", HJ212_FACTOR_NOISE, 0 },
    { "L5", "累积百分声级 L5", NULL, "分贝", "dB", NULL, NULL, "N3.1", HJ212_FACTOR_NOISE, 0 },
    { "L50", "累积百分声级 L50", NULL, "分贝", "dB", NULL, NULL, "N3.1", HJ212_FACTOR_NOISE, 0 },
    { "L90", "累积百分声级 L90", NULL, "分贝", "dB", NULL, NULL, "N3.1", HJ212_FACTOR_NOISE, 0 },
    { "L95", "累积百分声级 L95", NULL, "分贝", "dB", NULL, NULL, "N3.1", HJ212_FACTOR_NOISE, 0 },
    { "LA", "A 声级", NULL, "分贝", "dB", NULL, NULL, "N3.1", HJ212_FACTOR_NOISE, 0 },
    { "LMn", "最小的瞬时声级", NULL, "分贝", "dB", NULL, NULL, "N3.1", HJ212_FACTOR_NOISE, 0 },
    { "LMx", "最大的瞬时声级", NULL, "分贝", "dB", NULL, NULL, "N3.1", HJ212_FACTOR_NOISE, 0 },
    { "Ld", "昼间等效声级", NULL, "分贝", "dB", NULL, NULL, "N3.1", HJ212_FACTOR_NOISE, 0 },
    { "Ldn", "昼夜等效声级", NULL, "分贝", "dB", NULL, NULL, "N3.1", HJ212_FACTOR_NOISE, 0 },
    { "Leq", "等效声级", NULL, "分贝", "dB", NULL, NULL, "N3.1", HJ212_FACTOR_NOISE, 0 },
    { "Ln", "夜间等效声级", NULL, "分贝", "dB", NULL, NULL, "N3.1", HJ212_FACTOR_NOISE, 0 },
    { "a00000", "废气", "B02", "立方米/秒", "m3/s", "立方米", "m3", "N6.1", HJ212_FACTOR_AIR, 0 },
    { "a01001", "温度", NULL, "摄氏度", "degC", NULL, NULL, "N3.1", HJ212_FACTOR_AIR, 0 },
    { "a01002", "湿度", NULL, "%", "%", NULL, NULL, "N3.1", HJ212_FACTOR_AIR, 0 },
    { "a01006", "气压", NULL, "千帕", "kPa", NULL, NULL, "N5.3", HJ212_FACTOR_AIR, 0 },
    { "a01007", "风速", NULL, "米/秒", "m/s", NULL, NULL, "N4.1", HJ212_FACTOR_AIR, 0 },
    { "a01008", "风向", NULL, "[角]度", "deg", NULL, NULL, "N4", HJ212_FACTOR_AIR, 0 },
    { "a01010", "林格曼黑度", "37", "无量纲", "", NULL, NULL, "N1", HJ212_FACTOR_AIR, 0 },
    { "a01011", "烟气流速", "S02", "米/秒", "m/s", NULL, NULL, "N5.2", HJ212_FACTOR_AIR, 0 },
    { "a01012", "烟气温度", "S03", "摄氏度", "degC", NULL, NULL, "N3.1", HJ212_FACTOR_AIR, 0 },
    { "a01013", "烟气压力", "S08", "千帕", "kPa", NULL, NULL, "N5.3", HJ212_FACTOR_AIR, 0 },
    { "a01014", "烟气湿度", "S05", "%", "%", NULL, NULL, "N3.1", HJ212_FACTOR_AIR, 0 },
    { "a01015", "制冷温度", "S06", "摄氏度", "degC", NULL, NULL, "N3.1", HJ212_FACTOR_AIR, 0 },
    { "a01016", "烟道截面积", "S07", "平方米", "m2", NULL, NULL, "N4.2", HJ212_FACTOR_AIR, 0 },
    { "a01017", "烟气动压", "S04", "千帕", "kPa", NULL, NULL, "N5.3", HJ212_FACTOR_AIR, 0 },
    { "a01901", "垃圾焚烧炉膛内焚烧平均温度", NULL, "摄氏度", "degC", NULL, NULL, "N4.1", HJ212_FACTOR_AIR, 0 },
    { "a01902", "垃圾焚烧炉膛内DCS温度", NULL, "摄氏度", "degC", NULL, NULL, "N4.1", HJ212_FACTOR_AIR, 0 },
    { "a05001", "二氧化碳", "30", "毫克/立方米", "mg/m3", "千克", "kg", "N3.3", HJ212_FACTOR_AIR, 0 },
    { "a05002", "甲烷", NULL, "纳克/立方米", "ng/m3", "克", "g", "N4.1", HJ212_FACTOR_AIR,
      HJ212_FACTOR_UNIT_SUSPECT },
    { "a05008", "三氯一氟甲烷", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a05009", "二氯二氟甲烷", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a05013", "三氯三氟乙烷", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a05024", "臭氧", NULL, "微克/立方米", "ug/m3", NULL, NULL, NULL, HJ212_FACTOR_AIR,
      HJ212_FACTOR_UNLISTED },
    { "a19001", "氧气含量", "S01", "%", "%", NULL, NULL, "N3.1", HJ212_FACTOR_AIR, 0 },
    { "a20007", "砷", NULL, "纳克/立方米", "ng/m3", "克", "g", "N1.6", HJ212_FACTOR_AIR, 0 },
    { "a20016", "铍及其化合物", "36", "毫克/立方米", "mg/m3", "千克", "kg", "N4.4", HJ212_FACTOR_AIR, 0 },
    { "a20025", "镉及其化合物", "33", "毫克/立方米", "mg/m3", "千克", "kg", "N3.4", HJ212_FACTOR_AIR, 0 },
    { "a20026", "镉", NULL, "纳克/立方米", "ng/m3", "克", "g", "N3.3", HJ212_FACTOR_AIR, 0 },
    { "a20043", "铅及其化合物", "32", "毫克/立方米", "mg/m3", "千克", "kg", "N2.4", HJ212_FACTOR_AIR, 0 },
    { "a20044", "铅", NULL, "纳克/立方米", "ng/m3", "克", "g", "N3.3", HJ212_FACTOR_AIR, 0 },
    { "a20057", "汞及其化合物", "31", "毫克/立方米", "mg/m3", "千克", "kg", "N4.4", HJ212_FACTOR_AIR, 0 },
    { "a20058", "汞", NULL, "纳克/立方米", "ng/m3", "克", "g", "N3.2", HJ212_FACTOR_AIR, 0 },
    { "a20063", "镍及其化合物", "35", "毫克/立方米", "mg/m3", "千克", "kg", "N3.3", HJ212_FACTOR_AIR, 0 },
    { "a20091", "锡及其化合物", "34", "毫克/立方米", "mg/m3", "千克", "kg", "N4.3", HJ212_FACTOR_AIR, 0 },
    { "a21001", "氨（氨气）", "10", "纳克/立方米", "ng/m3", "克", "g", "N4.3", HJ212_FACTOR_AIR,
      HJ212_FACTOR_UNIT_SUSPECT },
    { "a21002", "氮氧化物", "03", "毫克/立方米", "mg/m3", "千克", "kg", "N5.1", HJ212_FACTOR_AIR, 0 },
    { "a21003", "一氧化氮", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N4.1", HJ212_FACTOR_AIR, 0 },
    { "a21004", "二氧化氮", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N4.1", HJ212_FACTOR_AIR, 0 },
    { "a21005", "一氧化碳", "04", "毫克/立方米", "mg/m3", "千克", "kg", "N3.3", HJ212_FACTOR_AIR, 0 },
    { "a21017", "氰化物", "07", "毫克/立方米", "mg/m3", "千克", "kg", "N3.3", HJ212_FACTOR_AIR, 0 },
    { "a21018", "氟化物", "06", "毫克/立方米", "mg/m3", "千克", "kg", "N2.3", HJ212_FACTOR_AIR, 0 },
    { "a21022", "氯气", "11", "毫克/立方米", "mg/m3", "千克", "kg", "N4.3", HJ212_FACTOR_AIR, 0 },
    { "a21024", "氯化氢", "08", "毫克/立方米", "mg/m3", "千克", "kg", "N4.3", HJ212_FACTOR_AIR, 0 },
    { "a21026", "二氧化硫", "02", "毫克/立方米", "mg/m3", "千克", "kg", "N5.2", HJ212_FACTOR_AIR, 0 },
    { "a21028", "硫化氢", "05", "毫克/立方米", "mg/m3", "千克", "kg", "N3.2", HJ212_FACTOR_AIR, 0 },
    { "a23001", "酚类", "27", "毫克/立方米", "mg/m3", "千克", "kg", "N3.3", HJ212_FACTOR_AIR, 0 },
    { "a24003", "二氯甲烷", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a24004", "三氯甲烷", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a24005", "四氯甲烷", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a24006", "二溴一氯甲烷", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a24007", "一溴二氯甲烷", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a24008", "溴甲烷", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a24009", "三溴甲烷", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a24015", "氯乙烷", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a24016", "1,1-二氯乙烷", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a24017", "1,2-二氯乙烷", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a24018", "1,1,1-三氯乙烷", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a24019", "1,1,2-三氯乙烷", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a24020", "1,1,2,2-四氯乙烷", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a24027", "1,2-二氯丙烷", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a24034", "1,2-二溴乙烷", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a24036", "环己烷", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a24042", "正己烷", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a24043", "正庚烷", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a24046", "氯乙烯", "29", "毫克/立方米", "mg/m3", "千克", "kg", "N4.3", HJ212_FACTOR_AIR, 0 },
    { "a24047", "1,1-二氯乙烯", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a24049", "三氯乙烯", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a24050", "四氯乙烯", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a24053", "丙烯", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a24054", "1,3-二氯丙烯", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a24072", "1,4-二恶烷", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a24078", "1,3-丁二烯", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a24087", "碳氢化合物", "25", "毫克/立方米", "mg/m3", "千克", "kg", "N5.2", HJ212_FACTOR_AIR, 0 },
    { "a24088", "非甲烷总烃", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a24099", "氯甲烷", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a24110", "反式-1,2-二氯乙烯", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a24111", "顺式-1,2-二氯乙烯", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a24112", "反式-1,3-二氯丙烯", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a24113", "六氯-1,3-丁二烯", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a25002", "苯", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a25003", "甲苯", "17", "毫克/立方米", "mg/m3", "千克", "kg", "N4.2", HJ212_FACTOR_AIR, 0 },
    { "a25004", "乙苯", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a25005", "二甲苯", "18", "毫克/立方米", "mg/m3", "千克", "kg", "N4.2", HJ212_FACTOR_AIR, 0 },
    { "a25006", "1,2-二甲基苯", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a25007", "1,3-二甲基苯", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a25008", "1,4-二甲基苯", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a25010", "氯苯", "23", "毫克/立方米", "mg/m3", "千克", "kg", "N4.3", HJ212_FACTOR_AIR, 0 },
    { "a25011", "1,2-二氯苯", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a25012", "1,3-二氯苯", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a25013", "1,4-二氯苯", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a25014", "1-乙基-4-甲基苯", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a25015", "1,2,4-三氯苯", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a25019", "1,2,4-三甲基苯", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a25020", "1,2,3-三甲基苯", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a25021", "1,3,5-三甲基苯", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a25023", "硝基苯", "22", "毫克/立方米", "mg/m3", "千克", "kg", "N3.4", HJ212_FACTOR_AIR, 0 },
    { "a25038", "乙烯基苯", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a25044", "苯并[a]芘", "20", "毫克/立方米", "mg/m3", "千克", "kg", "N4.3", HJ212_FACTOR_AIR, 0 },
    { "a25072", "四氢呋喃", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a26001", "苯胺类", "21", "毫克/立方米", "mg/m3", "千克", "kg", "N4.3", HJ212_FACTOR_AIR, 0 },
    { "a29017", "乙酸乙酯", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a29026", "乙酸乙烯酯", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a30001", "甲醇", "28", "毫克/立方米", "mg/m3", "千克", "kg", "N4.3", HJ212_FACTOR_AIR, 0 },
    { "a30008", "异丙醇", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a30022", "硫醇", "13", "毫克/立方米", "mg/m3", "千克", "kg", "N4.3", HJ212_FACTOR_AIR, 0 },
    { "a31001", "甲醛", "19", "毫克/立方米", "mg/m3", "千克", "kg", "N3.3", HJ212_FACTOR_AIR, 0 },
    { "a31002", "乙醛", "26", "毫克/立方米", "mg/m3", "千克", "kg", "N3.4", HJ212_FACTOR_AIR, 0 },
    { "a31024", "丙酮", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a31025", "2-丁酮", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a31030", "甲基异丁基甲酮", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a34001", "总悬浮颗粒物 TSP", NULL, "纳克/立方米", "ng/m3", "克", "g", "N4.3", HJ212_FACTOR_AIR,
      HJ212_FACTOR_UNIT_SUSPECT },
    { "a34002", "可吸入颗粒物 PM10", NULL, "纳克/立方米", "ng/m3", "克", "g", "N3.3", HJ212_FACTOR_AIR,
      HJ212_FACTOR_UNIT_SUSPECT },
    { "a34004", "细微颗粒物 PM2.5", NULL, "纳克/立方米", "ng/m3", "克", "g", "N3.3", HJ212_FACTOR_AIR,
      HJ212_FACTOR_UNIT_SUSPECT },
    { "a34005", "亚微米颗粒物 PM1.0", NULL, "纳克/立方米", "ng/m3", "克", "g", "N3.3", HJ212_FACTOR_AIR,
      HJ212_FACTOR_UNIT_SUSPECT },
    { "a34011", "降尘", NULL, "吨/平方千米•月", "t/(km2*month)", NULL, NULL, NULL, HJ212_FACTOR_AIR, 0 },
    { "a34013", "烟尘", "01", "毫克/立方米", "mg/m3", "千克", "kg", "N4", HJ212_FACTOR_AIR, 0 },
    { "a34017", "炭黑尘", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N4", HJ212_FACTOR_AIR, 0 },
    { "a34038", "沥青烟", "09", "毫克/立方米", "mg/m3", "千克", "kg", "N4.3", HJ212_FACTOR_AIR, 0 },
    { "a34039", "硫酸雾", "14", "毫克/立方米", "mg/m3", "千克", "kg", "N4.3", HJ212_FACTOR_AIR, 0 },
    { "a34040", "铬酸雾", "15", "毫克/立方米", "mg/m3", "千克", "kg", "N2.3", HJ212_FACTOR_AIR, 0 },
    { "a99010", "丙烯腈", NULL, "毫克/立方米", "mg/m3", "千克", "kg", "N7.3", HJ212_FACTOR_AIR, 0 },
    { "a99049", "光气", "24", "毫克/立方米", "mg/m3", "千克", "kg", "N3.3", HJ212_FACTOR_AIR, 0 },
    { "a99051", "二硫化碳", "12", "毫克/立方米", "mg/m3", "千克", "kg", "N4.3", HJ212_FACTOR_AIR, 0 },
    { "w00000", "污水", "B01", "升/秒", "L/s", "立方米", "m3", "N5.2", HJ212_FACTOR_WATER, 0 },
    { "w01001", "pH 值", "001", "无量纲", "", NULL, NULL, "N2.2", HJ212_FACTOR_WATER, 0 },
    { "w01002", "色度", "002", "[色]度", "degree", NULL, NULL, "N3.2", HJ212_FACTOR_WATER, 0 },
    { "w01006", "溶解性总固体", NULL, "毫克/升", "mg/L", "千克", "kg", "N4", HJ212_FACTOR_WATER, 0 },
    { "w01009", "溶解氧", NULL, "毫克/升", "mg/L", NULL, NULL, "N3.1", HJ212_FACTOR_WATER, 0 },
    { "w01010", "水温", NULL, "摄氏度", "degC", NULL, NULL, "N3.1", HJ212_FACTOR_WATER, 0 },
    { "w01012", "悬浮物", "003", "毫克/升", "mg/L", "千克", "kg", "N4", HJ212_FACTOR_WATER, 0 },
    { "w01014", "电导率", NULL, "微西[门子]/厘米", "uS/cm", NULL, NULL, "N3.1", HJ212_FACTOR_WATER, 0 },
    { "w01017", "五日生化需氧量", "010", "毫克/升", "mg/L", "千克", "kg", "N5.1", HJ212_FACTOR_WATER, 0 },
    { "w01018", "化学需氧量", "011", "毫克/升", "mg/L", "千克", "kg", "N5.1", HJ212_FACTOR_WATER, 0 },
    { "w01019", "高锰酸盐指数", NULL, "毫克/升", "mg/L", "千克", "kg", "N3.1", HJ212_FACTOR_WATER, 0 },
    { "w01020", "总有机碳", "015", "毫克/升", "mg/L", "千克", "kg", "N3.1", HJ212_FACTOR_WATER, 0 },
    { "w02003", "粪大肠菌群", "550", "个/升", "count/L", NULL, NULL, "N9", HJ212_FACTOR_WATER, 0 },
    { "w02006", "细菌总数", NULL, "个/升", "count/L", NULL, NULL, "N9", HJ212_FACTOR_WATER, 0 },
    { "w03001", "总 α 放射性", "570", "贝可[勒尔]/升", "Bq/L", NULL, NULL, "N3.1", HJ212_FACTOR_WATER, 0 },
    { "w03002", "总 β 放射性", "571", "贝可[勒尔]/升", "Bq/L", NULL, NULL, "N3.1", HJ212_FACTOR_WATER, 0 },
    { "w19001", "表面活性剂", NULL, "毫克/升", "mg/L", "千克", "kg", "N3.2", HJ212_FACTOR_WATER, 0 },
    { "w19002", "阴离子表面活性剂", "520", "毫克/升", "mg/L", "千克", "kg", "N3.2", HJ212_FACTOR_WATER, 0 },
    { "w20012", "钡", "039", "毫克/升", "mg/L", "千克", "kg", "N3.3", HJ212_FACTOR_WATER, 0 },
    { "w20023", "硼", "037", "毫克/升", "mg/L", "千克", "kg", "N3.3", HJ212_FACTOR_WATER, 0 },
    { "w20038", "钴", "040", "毫克/升", "mg/L", "千克", "kg", "N3.4", HJ212_FACTOR_WATER, 0 },
    { "w20061", "钼", "038", "毫克/升", "mg/L", "千克", "kg", "N3.4", HJ212_FACTOR_WATER, 0 },
    { "w20089", "铊", "041", "纳克/升", "ng/L", "毫克", "mg", "N4", HJ212_FACTOR_WATER, 0 },
    { "w20092", "锡", "036", "毫克/升", "mg/L", "千克", "kg", "N3.1", HJ212_FACTOR_WATER, 0 },
    { "w20111", "总汞", "020", "微克/升", "ug/L", "克", "g", "N3.2", HJ212_FACTOR_WATER, 0 },
    { "w20113", "烷基汞", "021", "纳克/升", "ng/L", "毫克", "mg", "N4", HJ212_FACTOR_WATER, 0 },
    { "w20115", "总镉", "022", "微克/升", "ug/L", "克", "g", "N3.1", HJ212_FACTOR_WATER, 0 },
    { "w20116", "总铬", "023", "毫克/升", "mg/L", "千克", "kg", "N3.3", HJ212_FACTOR_WATER, 0 },
    { "w20117", "六价铬", "024", "微克/升", "ug/L", "克", "g", "N2.3", HJ212_FACTOR_WATER, 0 },
    { "w20119", "总砷", "026", "微克/升", "ug/L", "克", "g", "N2.3", HJ212_FACTOR_WATER, 0 },
    { "w20120", "总铅", "027", "微克/升", "ug/L", "克", "g", "N4", HJ212_FACTOR_WATER, 0 },
    { "w20121", "总镍", "028", "毫克/升", "mg/L", "千克", "kg", "N3.2", HJ212_FACTOR_WATER, 0 },
    { "w20122", "总铜", "029", "毫克/升", "mg/L", "千克", "kg", "N3.2", HJ212_FACTOR_WATER, 0 },
    { "w20123", "总锌", "030", "毫克/升", "mg/L", "千克", "kg", "N3.3", HJ212_FACTOR_WATER, 0 },
    { "w20124", "总锰", "031", "毫克/升", "mg/L", "千克", "kg", "N3.3", HJ212_FACTOR_WATER, 0 },
    { "w20125", "总铁", "032", "毫克/升", "mg/L", "千克", "kg", "N3.3", HJ212_FACTOR_WATER, 0 },
    { "w20126", "总银", "033", "毫克/升", "mg/L", "千克", "kg", "N3.3", HJ212_FACTOR_WATER, 0 },
    { "w20127", "总铍", "034", "微克/升", "ug/L", "克", "g", "N3.3", HJ212_FACTOR_WATER, 0 },
    { "w20128", "总硒", "035", "微克/升", "ug/L", "克", "g", "N4.2", HJ212_FACTOR_WATER, 0 },
    { "w20138", "铜", NULL, "毫克/升", "mg/L", "千克", "kg", "N3.3", HJ212_FACTOR_WATER, 0 },
    { "w20139", "锌", NULL, "毫克/升", "mg/L", "千克", "kg", "N3.3", HJ212_FACTOR_WATER, 0 },
    { "w20140", "硒", NULL, "毫克/升", "mg/L", "千克", "kg", "N3.3", HJ212_FACTOR_WATER, 0 },
    { "w20141", "砷", NULL, "毫克/升", "mg/L", "千克", "kg", "N3.3", HJ212_FACTOR_WATER, 0 },
    { "w20142", "汞", NULL, "微克/升", "ug/L", "克", "g", "N3.3", HJ212_FACTOR_WATER, 0 },
    { "w20143", "镉", NULL, "微克/升", "ug/L", "克", "g", "N3.3", HJ212_FACTOR_WATER, 0 },
    { "w20144", "铅", NULL, "毫克/升", "mg/L", "千克", "kg", "N3.3", HJ212_FACTOR_WATER, 0 },
    { "w21001", "总氮", "065", "毫克/升", "mg/L", "千克", "kg", "N4.2", HJ212_FACTOR_WATER, 0 },
    { "w21003", "氨氮", "060", "毫克/升", "mg/L", "千克", "kg", "N4.2", HJ212_FACTOR_WATER, 0 },
    { "w21004", "凯氏氮", "062", "毫克/升", "mg/L", "千克", "kg", "N3.1", HJ212_FACTOR_WATER, 0 },
    { "w21006", "亚硝酸盐", "063", "毫克/升", "mg/L", "千克", "kg", "N2.3", HJ212_FACTOR_WATER, 0 },
    { "w21007", "硝酸盐", "064", "毫克/升", "mg/L", "千克", "kg", "N2.3", HJ212_FACTOR_WATER, 0 },
    { "w21011", "总磷", "101", "毫克/升", "mg/L", "千克", "kg", "N3.2", HJ212_FACTOR_WATER, 0 },
    { "w21016", "氰化物", "070", "毫克/升", "mg/L", "千克", "kg", "N3.3", HJ212_FACTOR_WATER, 0 },
    { "w21017", "氟化物", "072", "毫克/升", "mg/L", "千克", "kg", "N4.2", HJ212_FACTOR_WATER, 0 },
    { "w21019", "硫化物", "071", "毫克/升", "mg/L", "千克", "kg", "N3.3", HJ212_FACTOR_WATER, 0 },
    { "w21022", "氯化物", "090", "毫克/升", "mg/L", "千克", "kg", "N3.1", HJ212_FACTOR_WATER, 0 },
    { "w21038", "硫酸盐", NULL, "毫克/升", "mg/L", "千克", "kg", "N6", HJ212_FACTOR_WATER, 0 },
    { "w22001", "石油类", "080", "毫克/升", "mg/L", "千克", "kg", "N3.2", HJ212_FACTOR_WATER, 0 },
    { "w23002", "挥发酚", "110", "毫克/升", "mg/L", "千克", "kg", "N3.4", HJ212_FACTOR_WATER, 0 },
    { "w25043", "苯并[α]芘", "540", "微克/升", "ug/L", "克", "g", "N3.1", HJ212_FACTOR_WATER, 0 },
    { "w33001", "六六六", "350", "纳克/升", "ng/L", "毫克", "mg", "N4", HJ212_FACTOR_WATER, 0 },
    { "w33007", "滴滴涕", "351", "纳克/升", "ng/L", "毫克", "mg", "N4", HJ212_FACTOR_WATER, 0 },
    { "w99001", "有机氮", "061", "毫克/升", "mg/L", "千克", "kg", "N3.1", HJ212_FACTOR_WATER, 0 },
};

const struct hj212_factor *
hj212_factor_find(struct hj212_str code)
{
    return find_code(factors, LEN(factors), sizeof(factors[0]), code);
}

const struct hj212_factor *
hj212_factor_table(size_t *n)
{
    *n = LEN(factors);
    return factors;
}

/* ---- 2005 codes -> 2017 (2005 Appendix B; 2017 原编码 column; units per reference 6) ------ */

static const struct hj212_code_2005 codes_2005[] = {
    { "001", "pH", "w01001", NULL, 1 },
    { "002", "colour", "w01002", NULL, 1 },
    { "003", "suspended solids", "w01012", NULL, 1 },
    { "01", "smoke dust", "a34013", NULL, 1 },
    { "010", "BOD5", "w01017", NULL, 1 },
    { "011", "COD(Cr)", "w01018", NULL, 1 },
    { "015", "TOC", "w01020", NULL, 1 },
    { "02", "SO2", "a21026", NULL, 1 },
    { "020", "total Hg", "w20111", "mg/L", 1000 },
    { "021", "alkyl Hg", "w20113", "mg/L", 1e6 },
    { "022", "total Cd", "w20115", "mg/L", 1000 },
    { "023", "total Cr", "w20116", NULL, 1 },
    { "024", "Cr(VI)", "w20117", "mg/L", 1000 },
    { "025", "Cr(III)", NULL, NULL, 1 },
    { "026", "total As", "w20119", "mg/L", 1000 },
    { "027", "total Pb", "w20120", "mg/L", 1000 },
    { "028", "total Ni", "w20121", NULL, 1 },
    { "029", "total Cu", "w20122", NULL, 1 },
    { "03", "NOx", "a21002", NULL, 1 },
    { "030", "total Zn", "w20123", NULL, 1 },
    { "031", "total Mn", "w20124", NULL, 1 },
    { "032", "total Fe", "w20125", NULL, 1 },
    { "033", "total Ag", "w20126", NULL, 1 },
    { "034", "total Be", "w20127", "mg/L", 1000 },
    { "035", "total Se", "w20128", "mg/L", 1000 },
    { "036", "Sn", "w20092", NULL, 1 },
    { "037", "B", "w20023", NULL, 1 },
    { "038", "Mo", "w20061", NULL, 1 },
    { "039", "Ba", "w20012", NULL, 1 },
    { "04", "CO", "a21005", NULL, 1 },
    { "040", "Co", "w20038", NULL, 1 },
    { "041", "Tl", "w20089", "mg/L", 1e6 },
    { "05", "H2S", "a21028", NULL, 1 },
    { "06", "fluoride", "a21018", NULL, 1 },
    { "060", "NH3-N", "w21003", NULL, 1 },
    { "061", "organic N", "w99001", NULL, 1 },
    { "062", "Kjeldahl N", "w21004", NULL, 1 },
    { "063", "nitrite", "w21006", NULL, 1 },
    { "064", "nitrate", "w21007", NULL, 1 },
    { "065", "total N", "w21001", NULL, 1 },
    { "07", "cyanide (incl. HCN)", "a21017", NULL, 1 },
    { "070", "cyanide", "w21016", NULL, 1 },
    { "071", "sulphide", "w21019", NULL, 1 },
    { "072", "fluoride", "w21017", NULL, 1 },
    { "08", "HCl", "a21024", NULL, 1 },
    { "080", "petroleum oils", "w22001", NULL, 1 },
    { "09", "asphalt fume", "a34038", NULL, 1 },
    { "090", "chloride", "w21022", NULL, 1 },
    { "10", "ammonia", "a21001", NULL, 1 },
    { "101", "total P", "w21011", NULL, 1 },
    { "11", "chlorine", "a21022", NULL, 1 },
    { "110", "volatile phenol", "w23002", NULL, 1 },
    { "12", "CS2", "a99051", NULL, 1 },
    { "13", "mercaptans", "a30022", NULL, 1 },
    { "14", "sulphuric-acid mist", "a34039", NULL, 1 },
    { "15", "chromic-acid mist", "a34040", NULL, 1 },
    { "16", "benzene series", NULL, NULL, 1 },
    { "17", "toluene", "a25003", NULL, 1 },
    { "18", "xylene", "a25005", NULL, 1 },
    { "19", "formaldehyde", "a31001", NULL, 1 },
    { "20", "benzo(a)pyrene", "a25044", NULL, 1 },
    { "21", "anilines", "a26001", NULL, 1 },
    { "22", "nitrobenzenes", "a25023", NULL, 1 },
    { "23", "chlorobenzenes", "a25010", NULL, 1 },
    { "24", "phosgene", "a99049", NULL, 1 },
    { "25", "hydrocarbons (incl. NMHC)", "a24087", NULL, 1 },
    { "26", "acetaldehyde", "a31002", NULL, 1 },
    { "27", "phenols", "a23001", NULL, 1 },
    { "28", "methanol", "a30001", NULL, 1 },
    { "29", "vinyl chloride", "a24046", NULL, 1 },
    { "30", "CO2", "a05001", NULL, 1 },
    { "31", "Hg and compounds", "a20057", NULL, 1 },
    { "32", "Pb and compounds", "a20043", NULL, 1 },
    { "33", "Cd and compounds", "a20025", NULL, 1 },
    { "34", "Sn and compounds", "a20091", NULL, 1 },
    { "35", "Ni and compounds", "a20063", NULL, 1 },
    { "350", "HCH", "w33001", NULL, 1 },
    { "351", "DDT", "w33007", NULL, 1 },
    { "36", "Be and compounds", "a20016", NULL, 1 },
    { "37", "Ringelmann blackness", "a01010", NULL, 1 },
    { "520", "anionic surfactant", "w19002", NULL, 1 },
    { "540", "benzo(a)pyrene", "w25043", NULL, 1 },
    { "550", "faecal coliforms", "w02003", NULL, 1 },
    { "570", "gross alpha", "w03001", NULL, 1 },
    { "571", "gross beta", "w03002", NULL, 1 },
    { "99", "other air pollutants", NULL, NULL, 1 },
    { "B01", "wastewater (flow)", "w00000", NULL, 1 },
    { "B02", "waste gas (flow)", "a00000", NULL, 1 },
    { "B03", "noise", NULL, NULL, 1 },
    { "S01", "O2 content", "a19001", NULL, 1 },
    { "S02", "flue-gas velocity", "a01011", "m3/h", 0 },
    { "S03", "flue-gas temperature", "a01012", NULL, 1 },
    { "S04", "flue-gas dynamic pressure", "a01017", "MPa", 1000 },
    { "S05", "flue-gas humidity", "a01014", NULL, 1 },
    { "S06", "cooler temperature", "a01015", NULL, 1 },
    { "S07", "duct cross-section", "a01016", NULL, 1 },
    { "S08", "flue-gas pressure", "a01013", "MPa", 1000 },
};

const struct hj212_code_2005 *
hj212_code_2005_find(struct hj212_str code)
{
    return find_code(codes_2005, LEN(codes_2005), sizeof(codes_2005[0]), code);
}

const struct hj212_code_2005 *
hj212_code_2005_table(size_t *n)
{
    *n = LEN(codes_2005);
    return codes_2005;
}

/* ---- data flags, reply codes, run states ------------------------------------------------ */

static const struct hj212_data_flag data_flags[] = {
    { '0', NULL, "ambient-air station: calibration data" },
    { '1', NULL, "ambient-air station: meteorological parameter" },
    { '2', NULL, "ambient-air station: abnormal data" },
    { '3', NULL, "ambient-air station: normal data" },
    { 'B', "instrument-datalogger communication failure", NULL },
    { 'C', "instrument in calibration", "calibration / check" },
    { 'D', "instrument fault", "fault" },
    { 'F', "instrument stopped", "emission source stopped" },
    { 'M', "data produced during maintenance", "maintenance" },
    { 'N', "instrument working normally", "normal" },
    { 'P', NULL, "power failure" },
    { 'S', "manually entered set value", "set value" },
    { 'T', "value above the instrument's measuring range", "above the measuring limit" },
};

const struct hj212_data_flag *
hj212_data_flag_find(char flag)
{
    for (size_t i = 0; i < LEN(data_flags); i++)
        if (data_flags[i].flag == flag)
            return &data_flags[i];
    return NULL;
}

const struct hj212_data_flag *
hj212_data_flag_table(size_t *n)
{
    *n = LEN(data_flags);
    return data_flags;
}

static const struct hj212_rtn_code qnrtn[] = {
    { 1, "ready to execute", B },       { 2, "request refused", B },
    { 3, "wrong PW", B },               { 4, "wrong MN", N17 },
    { 5, "wrong ST", N17 },             { 6, "wrong Flag", N17 },
    { 7, "wrong QN", N17 },             { 8, "wrong CN", N17 },
    { 9, "CRC error", N17 },            { 100, "unknown error", N17 },
};

static const struct hj212_rtn_code exertn[] = {
    { 1, "executed successfully", B },  { 2, "failed, reason unknown", B },
    { 3, "request condition wrong", N17 }, { 4, "communication timeout", N17 },
    { 5, "system busy, cannot execute", N17 }, { 6, "system fault", N17 },
    { 100, "no data", B },
};

static const struct hj212_rtn_code run_states[] = {
    { 0, "off", B },          { 1, "running (2005: on)", B }, { 2, "calibrating", N17 },
    { 3, "maintenance", N17 }, { 4, "alarm", N17 },            { 5, "blow-back", N17 },
};

static const struct hj212_rtn_code *
rtn_find(const struct hj212_rtn_code *t, size_t n, int code)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].code == code)
            return &t[i];
    return NULL;
}

const struct hj212_rtn_code *
hj212_qnrtn_find(int code)
{
    return rtn_find(qnrtn, LEN(qnrtn), code);
}

const struct hj212_rtn_code *
hj212_exertn_find(int code)
{
    return rtn_find(exertn, LEN(exertn), code);
}

const struct hj212_rtn_code *
hj212_run_state_find(int code)
{
    return rtn_find(run_states, LEN(run_states), code);
}

const struct hj212_rtn_code *
hj212_qnrtn_table(size_t *n)
{
    *n = LEN(qnrtn);
    return qnrtn;
}

const struct hj212_rtn_code *
hj212_exertn_table(size_t *n)
{
    *n = LEN(exertn);
    return exertn;
}

const struct hj212_rtn_code *
hj212_run_state_table(size_t *n)
{
    *n = LEN(run_states);
    return run_states;
}

/* ---- field information codes (2017 B.8-B.10) ------------------------------------------- */

static const struct hj212_info_code info_codes[] = {
    { "I33400", "production load", "N3.1", "%" },
    { "i11001", "instrument log", "C890", "text between // and //, UTF-8" },
    { "i12001", "instrument work state", "N2",
      "0 run, 1 maintenance, 2 fault, 3 calibration, 5 blow-back, 6 power fault, 7 measuring, "
      "8 calibrating, 9 standby, 10 O&M" },
    { "i12002", "analyser-datalogger link", "N1", "0 normal, 1 abnormal" },
    { "i12003", "COD analyser alarm", "N1", "0 normal, 1 alarm" },
    { "i13001", "measuring range", NULL, NULL },
    { "i13002", "measuring precision", NULL, NULL },
    { "i13003", "measuring interval", NULL, "min" },
    { "i13004", "digestion temperature", NULL, "degC" },
    { "i13005", "digestion time", NULL, "min" },
    { "i13006", "calibration time", NULL, "YYYYMMDDhhmmss" },
    { "i13007", "intercept", NULL, NULL },
    { "i13008", "slope", NULL, NULL },
    { "i13009", "detection limit", NULL, NULL },
    { "i21001", "datalogger log", "C890", "text between // and //, UTF-8" },
    { "i22001", "datalogger state", NULL, "0 run, 1 stopped, 2 fault, 3 maintenance" },
    { "i22002", "user state", NULL, "0 normal user, 1 administrator, 2 maintainer" },
    { "i22003", "datalogger-platform link", NULL, "0 normal, 1 abnormal" },
    { "i22101", "datalogger channel link", NULL, "0 normal, 1 abnormal, 2 nothing attached" },
    { "i23001", "local atmospheric pressure", "N3.3", "kPa" },
    { "i31001", "door-access log", NULL, NULL },
    { "i32001", "door-access state", NULL, NULL },
    { "i33001", "CEMS heated-line temperature", NULL, NULL },
    { "i33002", "CEMS condenser temperature", NULL, NULL },
    { "i33101", "station room temperature", NULL, NULL },
    { "i33102", "station room humidity", NULL, NULL },
    { "i33103", "station voltage", NULL, NULL },
    { "i33104", "raw-water pressure", NULL, NULL },
    { "i33105", "sample pressure 1", NULL, NULL },
    { "i33106", "sample pressure 2", NULL, NULL },
    { "i33107", "grit-chamber cleaning time", NULL, NULL },
    { "i33200", "wastewater plant current", NULL, NULL },
    { "i33201", "wastewater plant cumulative energy", NULL, NULL },
    { "i33202", "wastewater plant daily energy", NULL, NULL },
    { "i33310", "incinerator furnace upper temperature, point 0", "N4.1", "degC" },
    { "i33311", "incinerator furnace upper temperature, point 1", "N4.1", "degC" },
    { "i33312", "incinerator furnace upper temperature, point 2", "N4.1", "degC" },
    { "i33313", "incinerator furnace upper temperature, point 3", "N4.1", "degC" },
    { "i33314", "incinerator furnace upper temperature, point 4", "N4.1", "degC" },
    { "i33315", "incinerator furnace upper temperature, point 5", "N4.1", "degC" },
    { "i33316", "incinerator furnace upper temperature, point 6", "N4.1", "degC" },
    { "i33317", "incinerator furnace upper temperature, point 7", "N4.1", "degC" },
    { "i33318", "incinerator furnace upper temperature, point 8", "N4.1", "degC" },
    { "i33319", "incinerator furnace upper temperature, point 9", "N4.1", "degC" },
    { "i33320", "incinerator furnace middle temperature, point 0", "N4.1", "degC" },
    { "i33321", "incinerator furnace middle temperature, point 1", "N4.1", "degC" },
    { "i33322", "incinerator furnace middle temperature, point 2", "N4.1", "degC" },
    { "i33323", "incinerator furnace middle temperature, point 3", "N4.1", "degC" },
    { "i33324", "incinerator furnace middle temperature, point 4", "N4.1", "degC" },
    { "i33325", "incinerator furnace middle temperature, point 5", "N4.1", "degC" },
    { "i33326", "incinerator furnace middle temperature, point 6", "N4.1", "degC" },
    { "i33327", "incinerator furnace middle temperature, point 7", "N4.1", "degC" },
    { "i33328", "incinerator furnace middle temperature, point 8", "N4.1", "degC" },
    { "i33329", "incinerator furnace middle temperature, point 9", "N4.1", "degC" },
    { "i33330", "incinerator furnace lower temperature, point 0", "N4.1", "degC" },
    { "i33331", "incinerator furnace lower temperature, point 1", "N4.1", "degC" },
    { "i33332", "incinerator furnace lower temperature, point 2", "N4.1", "degC" },
    { "i33333", "incinerator furnace lower temperature, point 3", "N4.1", "degC" },
    { "i33334", "incinerator furnace lower temperature, point 4", "N4.1", "degC" },
    { "i33335", "incinerator furnace lower temperature, point 5", "N4.1", "degC" },
    { "i33336", "incinerator furnace lower temperature, point 6", "N4.1", "degC" },
    { "i33337", "incinerator furnace lower temperature, point 7", "N4.1", "degC" },
    { "i33338", "incinerator furnace lower temperature, point 8", "N4.1", "degC" },
    { "i33339", "incinerator furnace lower temperature, point 9", "N4.1", "degC" },
    { "i33340", "incinerator furnace secondary-air temperature, point 0", "N4.1", "degC" },
    { "i33341", "incinerator furnace secondary-air temperature, point 1", "N4.1", "degC" },
    { "i33342", "incinerator furnace secondary-air temperature, point 2", "N4.1", "degC" },
    { "i33343", "incinerator furnace secondary-air temperature, point 3", "N4.1", "degC" },
    { "i33344", "incinerator furnace secondary-air temperature, point 4", "N4.1", "degC" },
    { "i33345", "incinerator furnace secondary-air temperature, point 5", "N4.1", "degC" },
    { "i33346", "incinerator furnace secondary-air temperature, point 6", "N4.1", "degC" },
    { "i33347", "incinerator furnace secondary-air temperature, point 7", "N4.1", "degC" },
    { "i33348", "incinerator furnace secondary-air temperature, point 8", "N4.1", "degC" },
    { "i33349", "incinerator furnace secondary-air temperature, point 9", "N4.1", "degC" },
};

const struct hj212_info_code *
hj212_info_find(struct hj212_str code)
{
    return find_code(info_codes, LEN(info_codes), sizeof(info_codes[0]), code);
}

const struct hj212_info_code *
hj212_info_table(size_t *n)
{
    *n = LEN(info_codes);
    return info_codes;
}
