/* SPDX-License-Identifier: MIT */
/*
 * The emission-standard table: rows loaded from data/standards/ (*.csv) (one limit of one
 * pollutant for one tier of a source profile, with its reference O2, averaging period,
 * effective date and source) and the resolution of the limit that binds one outlet at one
 * time. The numbers live in the CSV files, not here, so that an analyst can read and check
 * them; this file only knows the columns.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <envwatch/emission.h>
#include <envwatch/err.h>

#include "util/compliance_io.h"
#include "util/csv.h"

#define MAX_ROWS 100000
#define MAX_TIERS 8

struct ew_std_table {
    struct ew_std_limit *rows;
    size_t n, cap;
};

/* Columns of the CSV; required ones must be present in the header. */
enum col { C_PROFILE, C_STANDARD, C_SOURCE_TYPE, C_POLLUTANT, C_NAME, C_TIER, C_COND, C_LIMIT,
           C_LIMIT_LO, C_UNIT, C_REF_O2, C_AVERAGING, C_FROM, C_CONFIDENCE, C_SOURCE, C_N };

static const struct {
    const char *name;
    int         required;
} cols[C_N] = {
    [C_PROFILE] = { "profile", 1 },   [C_STANDARD] = { "standard", 0 },
    [C_SOURCE_TYPE] = { "source_type", 0 }, [C_POLLUTANT] = { "pollutant", 1 },
    [C_NAME] = { "name", 0 },         [C_TIER] = { "tier", 1 },
    [C_COND] = { "cond", 0 },         [C_LIMIT] = { "limit", 1 },
    [C_LIMIT_LO] = { "limit_lo", 0 }, [C_UNIT] = { "unit", 1 },
    [C_REF_O2] = { "ref_o2_pct", 1 }, [C_AVERAGING] = { "averaging", 1 },
    [C_FROM] = { "from", 1 },         [C_CONFIDENCE] = { "confidence", 1 },
    [C_SOURCE] = { "source", 1 },
};

int
ew_std_table_create(struct ew_std_table **out)
{
    struct ew_std_table *t;

    if (out == NULL)
        return EW_EINVAL;
    t = calloc(1, sizeof(*t));
    if (t == NULL)
        return EW_ENOMEM;
    *out = t;
    return EW_OK;
}

void
ew_std_table_destroy(struct ew_std_table *t)
{
    if (t == NULL)
        return;
    free(t->rows);
    free(t);
}

size_t
ew_std_table_count(const struct ew_std_table *t)
{
    return t == NULL ? 0 : t->n;
}

const struct ew_std_limit *
ew_std_table_row(const struct ew_std_table *t, size_t i)
{
    return t != NULL && i < t->n ? &t->rows[i] : NULL;
}

/* Copies a field into a fixed array; 0 when it does not fit (a data error, not truncation). */
static int
copy_field(char *dst, size_t cap, const char *src)
{
    size_t len = strlen(src);

    if (len >= cap)
        return 0;
    memcpy(dst, src, len + 1);
    return 1;
}

static const char *
field(char **f, size_t n, const int idx[C_N], int c)
{
    return idx[c] >= 0 && (size_t)idx[c] < n ? f[idx[c]] : "";
}

static int
parse_optional(const char *s, double *out)
{
    int rc = ew_cio_double(s, out);

    if (rc == EW_ENODATA) {
        *out = NAN;
        return EW_OK;
    }
    return rc;
}

static int
parse_numbers(char **f, size_t n, const int idx[C_N], struct ew_std_limit *r)
{
    const char *avg = field(f, n, idx, C_AVERAGING), *from = field(f, n, idx, C_FROM);
    const char *conf = field(f, n, idx, C_CONFIDENCE);

    if (ew_cio_double(field(f, n, idx, C_LIMIT), &r->limit) != EW_OK || r->limit < 0)
        return EW_EFORMAT;
    if (parse_optional(field(f, n, idx, C_LIMIT_LO), &r->limit_lo) != EW_OK)
        return EW_EFORMAT;
    if (parse_optional(field(f, n, idx, C_REF_O2), &r->ref_o2_pct) != EW_OK ||
        r->ref_o2_pct < 0 || r->ref_o2_pct >= 21)
        return EW_EFORMAT;
    if (strcasecmp(avg, "hour") == 0)
        r->averaging = EW_AVG_HOUR;
    else if (strcasecmp(avg, "day") == 0)
        r->averaging = EW_AVG_DAY;
    else
        return EW_EFORMAT;
    if (from[0] == '\0')
        r->from_unix_s = INT64_MIN;
    else if (ew_cio_time(from, &r->from_unix_s) != EW_OK)
        return EW_EFORMAT;
    if (strlen(conf) != 1 || strchr("VSM", conf[0]) == NULL)
        return EW_EFORMAT;
    r->confidence = conf[0];
    return EW_OK;
}

static int
parse_row(char **f, size_t n, const int idx[C_N], struct ew_std_limit *r)
{
    memset(r, 0, sizeof(*r));
    if (!copy_field(r->profile, sizeof(r->profile), field(f, n, idx, C_PROFILE)) ||
        !copy_field(r->standard, sizeof(r->standard), field(f, n, idx, C_STANDARD)) ||
        !copy_field(r->source_type, sizeof(r->source_type), field(f, n, idx, C_SOURCE_TYPE)) ||
        !copy_field(r->pollutant, sizeof(r->pollutant), field(f, n, idx, C_POLLUTANT)) ||
        !copy_field(r->name, sizeof(r->name), field(f, n, idx, C_NAME)) ||
        !copy_field(r->tier, sizeof(r->tier), field(f, n, idx, C_TIER)) ||
        !copy_field(r->cond, sizeof(r->cond), field(f, n, idx, C_COND)) ||
        !copy_field(r->unit, sizeof(r->unit), field(f, n, idx, C_UNIT)) ||
        !copy_field(r->source, sizeof(r->source), field(f, n, idx, C_SOURCE)))
        return EW_EFORMAT;
    if (r->profile[0] == '\0' || r->pollutant[0] == '\0' || r->tier[0] == '\0' ||
        r->source[0] == '\0')
        return EW_EFORMAT;      /* every number needs its source */
    return parse_numbers(f, n, idx, r);
}

static int
same_o2(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

/* A new row must agree with the rows already loaded for its profile and not repeat one. */
static int
check_row(const struct ew_std_limit *rows, size_t n, const struct ew_std_limit *r)
{
    for (size_t i = 0; i < n; i++) {
        const struct ew_std_limit *o = &rows[i];

        if (strcmp(o->profile, r->profile) != 0)
            continue;
        if (!same_o2(o->ref_o2_pct, r->ref_o2_pct) || o->averaging != r->averaging)
            return EW_EFORMAT;
        if (strcmp(o->pollutant, r->pollutant) == 0 && strcmp(o->tier, r->tier) == 0 &&
            strcmp(o->cond, r->cond) == 0 && o->from_unix_s == r->from_unix_s)
            return EW_EEXIST;
    }
    return EW_OK;
}

static int
header_index(char **f, size_t n, int idx[C_N])
{
    for (int c = 0; c < C_N; c++) {
        idx[c] = ew_cio_column(f, n, cols[c].name);
        if (idx[c] < 0 && cols[c].required)
            return EW_EFORMAT;
    }
    return EW_OK;
}

static int
append(struct ew_std_table *t, const struct ew_std_limit *r)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        struct ew_std_limit *p;

        if (cap > MAX_ROWS)
            return EW_ETOOBIG;
        p = realloc(t->rows, cap * sizeof(*p));
        if (p == NULL)
            return EW_ENOMEM;
        t->rows = p;
        t->cap = cap;
    }
    t->rows[t->n++] = *r;
    return EW_OK;
}

int
ew_std_table_load(struct ew_std_table *t, FILE *in, size_t *bad_line)
{
    struct ew_csv *csv = NULL;
    struct ew_std_limit row;
    char **f;
    size_t n, line = 0, start;
    int idx[C_N], rc;

    if (t == NULL || in == NULL)
        return EW_EINVAL;
    start = t->n;
    if ((rc = ew_csv_open(in, 8192, 64, &csv)) != EW_OK)
        return rc;
    rc = ew_csv_next(csv, &f, &n, &line);
    if (rc == EW_OK)
        rc = header_index(f, n, idx);
    while (rc == EW_OK && (rc = ew_csv_next(csv, &f, &n, &line)) == EW_OK) {
        if (n == 1 && f[0][0] == '\0')
            continue;                           /* blank line */
        if ((rc = parse_row(f, n, idx, &row)) == EW_OK &&
            (rc = check_row(t->rows, t->n, &row)) == EW_OK)
            rc = append(t, &row);
    }
    ew_csv_close(csv);
    if (rc == EW_ENOTFOUND)
        return EW_OK;                           /* end of input */
    t->n = start;
    if (bad_line != NULL)
        *bad_line = line;
    return rc;
}

/* Splits a comma-separated list into at most max tokens; returns the count. */
static size_t
split_list(const char *s, char tok[][16], size_t max)
{
    size_t n = 0, len;

    while (s != NULL && *s != '\0' && n < max) {
        len = strcspn(s, ",");
        if (len > 0 && len < 16) {
            memcpy(tok[n], s, len);
            tok[n++][len] = '\0';
        }
        s += len + (s[len] == ',');
    }
    return n;
}

static int
in_list(const char *s, char tok[][16], size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(s, tok[i]) == 0)
            return 1;
    return 0;
}

/* Keeps the row most recently in force in *slot. */
static void
keep_latest(const struct ew_std_limit **slot, const struct ew_std_limit *r)
{
    if (*slot == NULL || r->from_unix_s > (*slot)->from_unix_s)
        *slot = r;
}

static double
permit_of(const struct ew_std_binding *b, const char *pollutant)
{
    for (size_t i = 0; i < b->n_permit; i++)
        if (b->permit[i].pollutant != NULL && strcmp(b->permit[i].pollutant, pollutant) == 0)
            return b->permit[i].limit;
    return NAN;
}

int
ew_std_resolve(const struct ew_std_table *t, const struct ew_std_binding *b,
               const char *pollutant, int64_t t_unix_s, struct ew_limit *out)
{
    char tiers[MAX_TIERS][16], conds[MAX_TIERS][16];
    const struct ew_std_limit *uncond[MAX_TIERS + 1] = { 0 }, *cond[MAX_TIERS + 1] = { 0 };
    const struct ew_std_limit *profile_row = NULL;
    struct ew_limit lim = { .limit = INFINITY, .limit_lo = NAN };
    size_t nt, nc;
    double permit;

    if (t == NULL || b == NULL || b->profile == NULL || pollutant == NULL || out == NULL)
        return EW_EINVAL;
    nt = split_list(b->tiers, tiers, MAX_TIERS);
    nc = split_list(b->conds, conds, MAX_TIERS);
    for (size_t i = 0; i < t->n; i++) {
        const struct ew_std_limit *r = &t->rows[i];
        size_t slot;

        if (strcmp(r->profile, b->profile) != 0)
            continue;
        profile_row = r;
        if (strcmp(r->pollutant, pollutant) != 0 || r->from_unix_s > t_unix_s)
            continue;
        for (slot = 0; slot < nt && strcasecmp(r->tier, tiers[slot]) != 0; slot++)
            ;
        if (slot == nt && strcasecmp(r->tier, "all") != 0)
            continue;                           /* tier not bound; slot nt is "all" */
        if (r->cond[0] == '\0')
            keep_latest(&uncond[slot], r);
        else if (in_list(r->cond, conds, nc))
            keep_latest(&cond[slot], r);
    }
    if (profile_row == NULL)
        return EW_ENOTFOUND;
    for (size_t s = 0; s <= nt; s++) {
        const struct ew_std_limit *r = cond[s] != NULL ? cond[s] : uncond[s];

        if (r == NULL)
            continue;
        if (r->limit < lim.limit) {
            lim.limit = r->limit;
            lim.row = r;
        }
        if (!isnan(r->limit_lo) && !(r->limit_lo <= lim.limit_lo))
            lim.limit_lo = r->limit_lo;         /* the highest lower bound is the strictest */
    }
    permit = permit_of(b, pollutant);
    if (!isnan(permit) && permit < lim.limit) {
        lim.limit = permit;                     /* a permit may tighten, never loosen */
        lim.row = NULL;
    }
    if (isinf(lim.limit))
        return EW_ENOTFOUND;
    lim.ref_o2_pct = profile_row->ref_o2_pct;
    lim.averaging = profile_row->averaging;
    *out = lim;
    return EW_OK;
}
