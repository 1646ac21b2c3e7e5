/* SPDX-License-Identifier: MIT */
/*
 * Shared machinery of the `envwatch compliance` subcommands: the long-format reader with
 * interned point and factor names, the standard binding options, the path resolution of
 * data/standards and a CSV/JSON table writer.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <envwatch/err.h>

#include "cli/compliance.h"
#include "util/compliance_io.h"
#include "util/csv.h"
#include "util/json.h"
#include "util/stddir.h"
#include "util/time.h"

#define MAX_ROW 8192
#define MAX_FIELDS 64
#define MAX_RECORDS 50000000
#define MAX_STRINGS 1000000

/* ---- interned strings ---- */

static uint32_t
fnv1a(const char *s)
{
    uint32_t h = 2166136261u;

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static int
rehash(struct cx_data *d, size_t nhash)
{
    uint32_t *h = calloc(nhash, sizeof(*h));

    if (h == NULL)
        return EW_ENOMEM;
    for (size_t id = 0; id < d->nstr; id++) {
        size_t k = fnv1a(d->str[id]) & (nhash - 1);

        while (h[k] != 0)
            k = (k + 1) & (nhash - 1);
        h[k] = (uint32_t)id + 1;
    }
    free(d->hash);
    d->hash = h;
    d->nhash = nhash;
    return EW_OK;
}

static int
intern(struct cx_data *d, const char *s, uint32_t *id)
{
    size_t k, len = strlen(s) + 1;
    char *copy, **p;

    if (d->nhash == 0 || d->nstr * 2 >= d->nhash)
        if (rehash(d, d->nhash ? d->nhash * 2 : 64) != EW_OK)
            return EW_ENOMEM;
    for (k = fnv1a(s) & (d->nhash - 1); d->hash[k] != 0; k = (k + 1) & (d->nhash - 1)) {
        if (strcmp(d->str[d->hash[k] - 1], s) == 0) {
            *id = d->hash[k] - 1;
            return EW_OK;
        }
    }
    if (d->nstr == d->capstr) {
        size_t cap = d->capstr ? d->capstr * 2 : 64;

        if (cap > MAX_STRINGS || (p = realloc(d->str, cap * sizeof(*p))) == NULL)
            return EW_ETOOBIG;
        d->str = p;
        d->capstr = cap;
    }
    if ((copy = malloc(len)) == NULL)
        return EW_ENOMEM;
    memcpy(copy, s, len);
    d->str[d->nstr] = copy;
    d->hash[k] = (uint32_t)d->nstr + 1;
    *id = (uint32_t)d->nstr++;
    return EW_OK;
}

const char *
cx_s(const struct cx_data *d, uint32_t id)
{
    return id < d->nstr ? d->str[id] : "";
}

void
cx_free(struct cx_data *d)
{
    for (size_t i = 0; i < d->nstr; i++)
        free(d->str[i]);
    free(d->str);
    free(d->hash);
    free(d->r);
    memset(d, 0, sizeof(*d));
}

/* ---- the reader ---- */

enum { K_MN, K_TIME, K_FACTOR, K_VALUE, K_ZS, K_COU, K_FLAG, K_FLOW, K_VOLUME, K_ENT, K_COUNTY,
       K_N };

static const char *const col_names[K_N] = { "mn", "time", "factor", "value", "zs", "cou",
                                            "flag", "flow_m3h", "volume_m3", "enterprise",
                                            "county" };

static const char *
field(char **f, size_t n, const int *idx, int k)
{
    return idx[k] >= 0 && (size_t)idx[k] < n ? f[idx[k]] : "";
}

static int
optional_num(const char *s, double *v)
{
    int rc = ew_cio_double(s, v);

    if (rc == EW_ENODATA)
        *v = NAN;
    return rc == EW_ENODATA ? EW_OK : rc;
}

static int
parse_rec(char **f, size_t n, const int *idx, struct cx_data *d, struct cx_rec *r,
          const char **bad)
{
    const char *flag = field(f, n, idx, K_FLAG);

    *r = (struct cx_rec){ 0 };
    *bad = col_names[K_TIME];
    if (ew_cio_time(field(f, n, idx, K_TIME), &r->v.t_unix_s) != EW_OK)
        return EW_EFORMAT;
    for (int k = K_VALUE; k <= K_VOLUME; k++) {
        double *dst[] = { [K_VALUE] = &r->v.value, [K_ZS] = &r->v.zs, [K_COU] = &r->v.cou,
                          [K_FLOW] = &r->flow_m3h, [K_VOLUME] = &r->volume_m3 };

        if (k == K_FLAG)
            continue;
        *bad = col_names[k];
        if (optional_num(field(f, n, idx, k), dst[k]) != EW_OK)
            return EW_EFORMAT;
    }
    *bad = col_names[K_FLAG];
    if (strlen(flag) > 1)
        return EW_EFORMAT;
    r->v.flag = flag[0];
    *bad = "mn";
    if (intern(d, field(f, n, idx, K_MN), &r->mn) != EW_OK ||
        intern(d, field(f, n, idx, K_FACTOR), &r->factor) != EW_OK ||
        intern(d, field(f, n, idx, K_ENT), &r->ent) != EW_OK ||
        intern(d, field(f, n, idx, K_COUNTY), &r->county) != EW_OK)
        return EW_ENOMEM;
    return EW_OK;
}

static int
push(struct cx_data *d, const struct cx_rec *r)
{
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 1024;
        struct cx_rec *p;

        if (cap > MAX_RECORDS || (p = realloc(d->r, cap * sizeof(*p))) == NULL)
            return EW_ETOOBIG;
        d->r = p;
        d->cap = cap;
    }
    d->r[d->n] = *r;
    d->r[d->n].seq = d->n;
    d->n++;
    return EW_OK;
}

static int
read_header(struct ew_csv *csv, int *idx, const char *cmd)
{
    char **f;
    size_t n, line;

    if (ew_csv_next(csv, &f, &n, &line) != EW_OK) {
        fprintf(stderr, "envwatch compliance %s: empty input\n", cmd);
        return EW_EFORMAT;
    }
    for (int k = 0; k < K_N; k++)
        idx[k] = ew_cio_column(f, n, col_names[k]);
    if (idx[K_MN] < 0 || idx[K_TIME] < 0 || idx[K_FACTOR] < 0) {
        fprintf(stderr, "envwatch compliance %s: the header needs mn, time and factor\n", cmd);
        return EW_EFORMAT;
    }
    return EW_OK;
}

int
cx_read(FILE *in, const char *cmd, struct cx_data *d)
{
    struct ew_csv *csv;
    struct cx_rec r;
    const char *bad = "";
    char **f;
    size_t n, line = 1;
    int idx[K_N], rc;
    uint32_t empty;

    memset(d, 0, sizeof(*d));
    if ((rc = intern(d, "", &empty)) != EW_OK || (rc = ew_csv_open(in, MAX_ROW, MAX_FIELDS,
                                                                   &csv)) != EW_OK) {
        cx_free(d);
        return rc;
    }
    if ((rc = read_header(csv, idx, cmd)) != EW_OK) {
        ew_csv_close(csv);
        cx_free(d);
        return rc;
    }
    while ((rc = ew_csv_next(csv, &f, &n, &line)) == EW_OK) {
        if (n == 1 && f[0][0] == '\0')
            continue;
        if ((rc = parse_rec(f, n, idx, d, &r, &bad)) != EW_OK || (rc = push(d, &r)) != EW_OK)
            break;
    }
    ew_csv_close(csv);
    if (rc == EW_ENOTFOUND)
        return EW_OK;
    cx_free(d);
    if (rc == EW_EFORMAT && bad[0] != '\0')
        fprintf(stderr, "envwatch compliance %s: line %zu: column %s is not valid\n", cmd, line,
                bad);
    else
        fprintf(stderr, "envwatch compliance %s: line %zu: %s\n", cmd, line, ew_strerror(rc));
    return rc;
}

static int
cmp_rec(const void *pa, const void *pb)
{
    const struct cx_rec *a = pa, *b = pb;

    if (a->mn != b->mn)
        return a->mn < b->mn ? -1 : 1;
    if (a->factor != b->factor)
        return a->factor < b->factor ? -1 : 1;
    if (a->v.t_unix_s != b->v.t_unix_s)
        return a->v.t_unix_s < b->v.t_unix_s ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void
cx_sort(struct cx_data *d)
{
    /* Ids follow first appearance, so output keeps the input's order of points; the input
     * sequence breaks ties, so that of a repeated record the first one read is kept. */
    if (d->n > 1)
        qsort(d->r, d->n, sizeof(*d->r), cmp_rec);
}

size_t
cx_series_end(const struct cx_data *d, size_t i)
{
    size_t j = i;

    while (j < d->n && d->r[j].mn == d->r[i].mn && d->r[j].factor == d->r[i].factor)
        j++;
    return j;
}

/* ---- options ---- */

int
cx_fail(const char *cmd, const char *msg)
{
    fprintf(stderr, "envwatch compliance %s: %s\n", cmd, msg);
    return 2;
}

static int
parse_permit(const char *v, struct cx_opts *o)
{
    const char *eq = strchr(v, '=');
    double lim;

    if (eq == NULL || eq == v || o->bind.n_permit == CX_MAX_PERMIT ||
        ew_cio_double(eq + 1, &lim) != EW_OK || lim < 0)
        return -1;
    /* The code points into argv, which lives as long as the command. */
    ((char *)eq)[0] = '\0';
    o->permit[o->bind.n_permit] = (struct ew_permit_limit){ v, lim };
    o->bind.permit = o->permit;
    o->bind.n_permit++;
    return 1;
}

int
cx_common_opt(int argc, char **argv, int *i, struct cx_opts *o, const char *cmd)
{
    const char *a = argv[*i], *v = *i + 1 < argc ? argv[*i + 1] : NULL;
    int rc = 1;

    if (a[0] != '-' || strcmp(a, "-") == 0) {
        if (o->path != NULL)
            rc = -1;
        o->path = a;
        if (rc < 0)
            fprintf(stderr, "envwatch compliance %s: one input file only\n", cmd);
        return rc;
    }
    if (strcmp(a, "--profile") && strcmp(a, "--tiers") && strcmp(a, "--cond") &&
        strcmp(a, "--permit") && strcmp(a, "--standards") && strcmp(a, "--format"))
        return 0;
    if (v == NULL) {
        fprintf(stderr, "envwatch compliance %s: %s needs a value\n", cmd, a);
        return -1;
    }
    (*i)++;
    if (strcmp(a, "--profile") == 0)
        o->bind.profile = v;
    else if (strcmp(a, "--tiers") == 0)
        o->bind.tiers = v;
    else if (strcmp(a, "--cond") == 0)
        o->bind.conds = v;
    else if (strcmp(a, "--standards") == 0)
        o->standards = v;
    else if (strcmp(a, "--permit") == 0)
        rc = parse_permit(argv[*i], o);
    else if (strcmp(v, "csv") == 0 || strcmp(v, "json") == 0)
        o->json = strcmp(v, "json") == 0;
    else
        rc = -1;
    if (rc < 0)
        fprintf(stderr, "envwatch compliance %s: bad value for %s: %s\n", cmd, a, v);
    return rc;
}

FILE *
cx_open(const struct cx_opts *o, const char *cmd)
{
    FILE *f;

    if (o->path == NULL || strcmp(o->path, "-") == 0)
        return stdin;
    if ((f = fopen(o->path, "r")) == NULL)
        fprintf(stderr, "envwatch compliance %s: %s: %s\n", cmd, o->path, strerror(errno));
    return f;
}

/* ---- the standard table ---- */

/* Finds the standards folder (see compliance.h); 0 when none. */
static int
find_dir(const struct cx_opts *o, char *out, size_t cap)
{
    const char *env = getenv("EW_STANDARDS");

    if (o->standards != NULL || (env != NULL && env[0] != '\0'))
        return snprintf(out, cap, "%s", o->standards ? o->standards : env) < (int)cap;
    return ew_stddir_find(out, cap);
}

int
cx_standards(const struct cx_opts *o, const char *cmd, struct ew_std_table **out)
{
    char dir[PATH_MAX], err[PATH_MAX + 64];
    struct ew_std_table *t = NULL;
    int rc;

    if (!find_dir(o, dir, sizeof(dir)) || access(dir, R_OK | X_OK) != 0) {
        fprintf(stderr, "envwatch compliance %s: no standards folder (use --standards DIR or "
                        "EW_STANDARDS)\n", cmd);
        return EW_ENOTFOUND;
    }
    if ((rc = ew_stddir_load(dir, &t, err, sizeof(err))) != EW_OK) {
        fprintf(stderr, "envwatch compliance %s: %s\n", cmd, err);
        return rc;
    }
    if (ew_std_table_count(t) == 0) {
        fprintf(stderr, "envwatch compliance %s: %s holds no standard\n", cmd, dir);
        ew_std_table_destroy(t);
        return EW_ENOTFOUND;
    }
    *out = t;
    return EW_OK;
}

/* ---- output ---- */

void
cx_out_begin(struct cx_out *w, int json, const char *const *cols, size_t ncols)
{
    *w = (struct cx_out){ .cols = cols, .ncols = ncols, .json = json };
    ew_buf_init(&w->b, 0);
    if (json)
        return;
    for (size_t i = 0; i < ncols; i++)
        ew_buf_printf(&w->b, "%s%s", i ? "," : "", cols[i]);
    ew_buf_addc(&w->b, '\n');
}

static void
cell_csv(struct ew_buf *b, const struct cx_cell *c)
{
    switch (c->kind) {
    case CX_STR:
        ew_csv_field(b, c->s ? c->s : "");
        break;
    case CX_INT:
        ew_buf_printf(b, "%.0f", c->num);
        break;
    case CX_BOOL:
        ew_buf_adds(b, c->num != 0 ? "yes" : "no");
        break;
    default:
        if (isfinite(c->num))
            ew_buf_printf(b, "%.6g", c->num);
        break;
    }
}

static void
cell_json(struct ew_buf *b, const struct cx_cell *c)
{
    switch (c->kind) {
    case CX_STR:
        ew_json_strz(b, c->s ? c->s : "");
        break;
    case CX_INT:
        ew_buf_printf(b, "%.0f", c->num);
        break;
    case CX_BOOL:
        ew_buf_adds(b, c->num != 0 ? "true" : "false");
        break;
    default:
        ew_json_num(b, c->num, 6);
        break;
    }
}

int
cx_out_row(struct cx_out *w, const struct cx_cell *cells)
{
    int ok;

    if (w->json)
        ew_buf_adds(&w->b, w->rows == 0 ? "[{" : ",\n{");
    for (size_t i = 0; i < w->ncols; i++) {
        if (w->json) {
            ew_buf_adds(&w->b, i ? "," : "");
            ew_json_key(&w->b, w->cols[i]);
            cell_json(&w->b, &cells[i]);
        } else {
            ew_buf_adds(&w->b, i ? "," : "");
            cell_csv(&w->b, &cells[i]);
        }
    }
    ew_buf_adds(&w->b, w->json ? "}" : "\n");
    w->rows++;
    ok = fwrite(w->b.ptr, 1, w->b.len, stdout) == w->b.len;
    ew_buf_reset(&w->b);
    return ok ? EW_OK : EW_EIO;
}

int
cx_out_end(struct cx_out *w)
{
    int ok = 1;

    if (w->json)
        ew_buf_adds(&w->b, w->rows == 0 ? "[]\n" : "]\n");
    if (w->b.len > 0)
        ok = fwrite(w->b.ptr, 1, w->b.len, stdout) == w->b.len;
    ew_buf_fini(&w->b);
    return ok && fflush(stdout) == 0 ? EW_OK : EW_EIO;
}

void
cx_time(int64_t t_unix_s, char out[20])
{
    ew_time_fmt_iso(t_unix_s, out);
}
