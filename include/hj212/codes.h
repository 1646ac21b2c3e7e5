/* SPDX-License-Identifier: MIT */
/*
 * libhj212 code tables as data (reference/hj212.md sections 4 and 6, restating HJ 212-2017
 * sections 6.6 and Appendix B, and HJ/T 212-2005): system codes (ST), command codes (CN) of
 * both versions with direction and kind, factor codes with their Chinese names, default units
 * and types, the official 2005 -> 2017 factor mapping with unit conversion, data flags, reply
 * codes (QnRtn, ExeRtn), equipment run states and field information codes.
 *
 * Lookups return a pointer into a constant table, or NULL when the code is not in it (an
 * unknown code is normal input, not an error). The tables can also be walked whole.
 */
#ifndef HJ212_CODES_H
#define HJ212_CODES_H

#include <hj212/hj212.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Which versions define a code. */
#define HJ212_IN_2005 0x1u
#define HJ212_IN_2017 0x2u

/* ---- ST system codes (2017 section 6.6.1; reference 4.1) --------------------------------- */

struct hj212_st_code {
    const char *code;                   /* "22" */
    const char *name_zh;                /* the 2017 name ("空气质量监测") */
    const char *name_2005_zh;           /* the 2005 name when it differs, else NULL */
    const char *name_en;
    unsigned    versions;               /* HJ212_IN_* */
};

const struct hj212_st_code *hj212_st_find(struct hj212_str st);
const struct hj212_st_code *hj212_st_table(size_t *n);

/* ---- CN command codes (2017 section 6.6.2 / Appendix C; 2005 section 6.5; reference 4.2-4.3) */

#define HJ212_DIR_P2F 0x1u              /* platform (upper computer) -> field */
#define HJ212_DIR_F2P 0x2u              /* field -> platform */

#define HJ212_KIND_REQUEST 0x1u         /* 3+ steps: 9011, [responses], 9012 */
#define HJ212_KIND_UPLOAD 0x2u          /* 1-2 steps: data, [9014] */
#define HJ212_KIND_NOTICE 0x4u          /* 2 steps: notification, 9013 */
#define HJ212_KIND_REPLY 0x8u           /* the 90xx interaction replies themselves */

struct hj212_cn_code {
    int         cn;
    unsigned    dir;                    /* HJ212_DIR_* bits */
    unsigned    kinds;                  /* HJ212_KIND_* bits */
    const char *name_en;
    const char *cp;                     /* the CP keys it carries, e.g. "OverTime;ReCount" */
};

/* The command table of one version (HJ212_V2017 or HJ212_V2005); NULL for others. */
const struct hj212_cn_code *hj212_cn_find(enum hj212_version v, int cn);
const struct hj212_cn_code *hj212_cn_table(enum hj212_version v, size_t *n);

/* ---- factor codes (2017 Appendix B.1-B.3, HJ 524/525-2009; reference 6.1-6.3) ------------- */

enum hj212_factor_kind {
    HJ212_FACTOR_WATER = 1,
    HJ212_FACTOR_AIR = 2,               /* ambient air and flue gas */
    HJ212_FACTOR_NOISE = 3,
};

/* The code is not in the 2017 Appendix B; it is common usage only (reference 6.2), [M]. */
#define HJ212_FACTOR_UNLISTED 0x1u
/* The unit printed in the standard is doubtful (ng/m3 for particulates, reference 6.2). */
#define HJ212_FACTOR_UNIT_SUSPECT 0x2u

struct hj212_factor {
    const char *code;                   /* "w01018" */
    const char *name_zh;                /* as printed: "化学需氧量" */
    const char *code_2005;              /* the 2017 table's 原编码, or NULL */
    const char *unit_zh;                /* concentration unit as printed: "毫克/升" */
    const char *unit;                   /* the same in ASCII: "mg/L" ("" when dimensionless) */
    const char *amount_unit_zh;         /* emission amount unit, or NULL */
    const char *amount_unit;
    const char *type;                   /* default data type, e.g. "N5.1", or NULL */
    enum hj212_factor_kind kind;
    unsigned    flags;                  /* HJ212_FACTOR_* */
};

const struct hj212_factor *hj212_factor_find(struct hj212_str code);
const struct hj212_factor *hj212_factor_table(size_t *n);

/* ---- 2005 factor codes and their 2017 equivalents (2005 Appendix B; reference 6.4) -------- */

struct hj212_code_2005 {
    const char *code_2005;              /* "011", "B01", "S02", "02" */
    const char *name_en;
    const char *code_2017;              /* NULL when 2017 has no equivalent */
    const char *unit_2005;              /* the 2005 unit where it differs from 2017, or NULL */
    double      to_2017;                /* multiply a 2005 value by this to get 2017's unit; 1
                                           when the unit is the same; 0 when no conversion
                                           exists (S02: m3/h vs m/s) */
};

const struct hj212_code_2005 *hj212_code_2005_find(struct hj212_str code);
const struct hj212_code_2005 *hj212_code_2005_table(size_t *n);

/* ---- data flags, reply codes, run states, information codes (reference 4.4-4.7) ----------- */

struct hj212_data_flag {
    char        flag;                   /* 'N', 'F', ..., '0'..'3' */
    const char *meaning_2017;           /* NULL when 2017 does not define it */
    const char *meaning_2005;           /* NULL when 2005 does not define it */
};

const struct hj212_data_flag *hj212_data_flag_find(char flag);
const struct hj212_data_flag *hj212_data_flag_table(size_t *n);

struct hj212_rtn_code {
    int         code;
    const char *meaning;
    unsigned    versions;               /* HJ212_IN_* */
};

const struct hj212_rtn_code *hj212_qnrtn_find(int code);   /* 9011 QnRtn */
const struct hj212_rtn_code *hj212_exertn_find(int code);  /* 9012 ExeRtn */
const struct hj212_rtn_code *hj212_qnrtn_table(size_t *n);
const struct hj212_rtn_code *hj212_exertn_table(size_t *n);

/* Treatment-equipment run state SBxxx-RS (2017: 0-5; 2005: 0 off, 1 on). */
const struct hj212_rtn_code *hj212_run_state_find(int code);
const struct hj212_rtn_code *hj212_run_state_table(size_t *n);

struct hj212_info_code {
    const char *code;                   /* "i11001" */
    const char *name_en;
    const char *type;                   /* "C890", "N2", ... or NULL */
    const char *values;                 /* value meanings or unit, or NULL */
};

/* Field information codes (2017 B.8-B.10) used with CN 3020/3021 as iXXXXX-Info. */
const struct hj212_info_code *hj212_info_find(struct hj212_str code);
const struct hj212_info_code *hj212_info_table(size_t *n);

#ifdef __cplusplus
}
#endif

#endif
