/* SPDX-License-Identifier: MIT */
/*
 * Private to the `envwatch compliance` subcommands (cmd_compliance*.c): the long-format CSV
 * reader they share (one row per point, time and factor), option parsing of the standard
 * binding, the standard table's path resolution and a table writer for CSV or JSON output.
 */
#ifndef EW_CLI_COMPLIANCE_H
#define EW_CLI_COMPLIANCE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <envwatch/emission.h>

#include "util/buf.h"

#define CX_MAX_PERMIT 16

/* One input row. Strings are interned: mn, factor, enterprise and county are ids. */
struct cx_rec {
    uint32_t mn, factor, ent, county;
    struct ew_value v;          /* t_unix_s, value, zs, cou, flag */
    double   flow_m3h;          /* flue-gas flow, dry standard state; NAN when absent */
    double   volume_m3;         /* wastewater volume of the record's period; NAN */
    size_t   seq;               /* position in the input */
};

struct cx_data {
    struct cx_rec *r;
    size_t         n, cap;
    char         **str;         /* interned strings; id 0 is "" */
    size_t         nstr, capstr;
    uint32_t      *hash;        /* open addressing over str ids + 1; 0 = empty */
    size_t         nhash;
};

/* Reads the whole CSV (header: mn,time,factor,value and optional zs,cou,flag,flow_m3h,
 * volume_m3,enterprise,county). Prints the reason of a failure, prefixed with cmd; on
 * failure d holds nothing to free. */
int  cx_read(FILE *in, const char *cmd, struct cx_data *d);
void cx_free(struct cx_data *d);
const char *cx_s(const struct cx_data *d, uint32_t id);
/* Orders records by point, factor and time (stable for equal keys). */
void cx_sort(struct cx_data *d);
/* Index one past the last record of the series (same mn and factor) starting at i. */
size_t cx_series_end(const struct cx_data *d, size_t i);

/* Options common to the subcommands. */
struct cx_opts {
    const char            *path;         /* input file; NULL or "-" for stdin */
    const char            *standards;    /* --standards DIR */
    struct ew_std_binding  bind;         /* --profile, --tiers, --cond, --permit */
    struct ew_permit_limit permit[CX_MAX_PERMIT];
    int                    json;
};

/*
 * Parses one common option at argv[*i] (advancing *i past its value). Returns 1 when it was
 * one, 0 when it is not a common option, -1 on a bad value (message printed).
 */
int cx_common_opt(int argc, char **argv, int *i, struct cx_opts *o, const char *cmd);
/* Prints "envwatch compliance CMD: MSG" and returns 2, the usage exit code. */
int cx_fail(const char *cmd, const char *msg);
/* Opens the input (stdin for NULL or "-"); prints the reason on failure. */
FILE *cx_open(const struct cx_opts *o, const char *cmd);
/*
 * Loads every *.csv of the standards folder: --standards DIR, else $EW_STANDARDS, else
 * share/envwatch/standards beside the binary's folder, else the first data/standards found
 * walking up from the binary's folder, else ./data/standards.
 */
int cx_standards(const struct cx_opts *o, const char *cmd, struct ew_std_table **out);

/* A table writer: CSV with a header line, or a JSON array of objects. */
enum cx_kind { CX_STR, CX_NUM, CX_INT, CX_BOOL };
struct cx_cell {
    int         kind;
    const char *s;              /* CX_STR */
    double      num;            /* CX_NUM (NAN: empty/null), CX_INT, CX_BOOL */
};
struct cx_out {
    const char *const *cols;
    size_t      ncols, rows;
    int         json;
    struct ew_buf b;
};
void cx_out_begin(struct cx_out *w, int json, const char *const *cols, size_t ncols);
int  cx_out_row(struct cx_out *w, const struct cx_cell *cells);
int  cx_out_end(struct cx_out *w);

/* The subcommands defined in cmd_compliance_kpi.c. */
int ew_compliance_transmission(int argc, char **argv);
int ew_compliance_totals(int argc, char **argv);

/* ISO time in CST. */
void cx_time(int64_t t_unix_s, char out[20]);

#endif
