/* SPDX-License-Identifier: MIT */
/*
 * The simulator's points: read from a registry CSV (data/yangquan-points.csv and any file with
 * the same columns, see data/README.md), or invented in bulk for load tests, and written back
 * as a registry so the platform can be told about invented points. It validates every row and
 * names the line of the first bad one; it does not touch the platform's store.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <envwatch/err.h>

#include "ingest/sim.h"
#include "util/csv.h"

#define MAX_ROW 65536
#define MAX_FIELDS 64

enum col { C_MN, C_PW, C_NAME, C_KIND, C_ST, C_FACTORS, C_LIMITS, C_INDUSTRY, C_O2REF,
           C_CLASS, C_LEVEL, C_COUNT };

static const char *const col_names[C_COUNT] = {
    "mn", "pw", "name", "kind", "st", "factors", "limits", "industry", "o2_ref",
    "target_class", "level",
};

struct loader {
    int      col[C_COUNT];              /* field index of each column, -1 when absent */
    char   **f;
    size_t   nf;
    char    *errmsg;
    size_t   errcap;
};

static const char *
field(const struct loader *l, enum col c)
{
    int i = l->col[c];

    return (i >= 0 && (size_t)i < l->nf) ? l->f[i] : "";
}

static int
fail(struct loader *l, const char *what, const char *value)
{
    snprintf(l->errmsg, l->errcap, "%s '%.40s'", what, value);
    return EW_EFORMAT;
}

/* MN and PW travel inside the header of every packet, which has no escaping: refuse the
 * characters that would end a field (reference/hj212.md section 3.1). */
static int
token_ok(const char *s, size_t max)
{
    size_t n = strlen(s);

    if (n == 0 || n > max)
        return 0;
    for (; *s != '\0'; s++)
        if (*s <= ' ' || *s > '~' || strchr(";,=&", *s) != NULL)
            return 0;
    return 1;
}

static int
parse_num(const char *s, double lo, double hi, double *out)
{
    char *end;
    double v;

    errno = 0;
    v = strtod(s, &end);
    if (end == s || *end != '\0' || errno != 0 || !isfinite(v) || v < lo || v > hi)
        return EW_EFORMAT;
    *out = v;
    return EW_OK;
}

static int
parse_class(const char *s, int *out)
{
    static const char *const roman[] = { "I", "II", "III", "IV", "V" };

    for (int i = 0; i < 5; i++)
        if (strcmp(s, roman[i]) == 0 || (s[0] == '1' + i && s[1] == '\0')) {
            *out = i + 1;
            return EW_OK;
        }
    return EW_EFORMAT;
}

/* "a21026;a21002;..." -> the point's factor list, in the given order. */
static int
parse_factors(struct loader *l, struct ew_sim_point *p, const char *s)
{
    unsigned seen = 0;

    p->nfactors = 0;
    while (*s != '\0') {
        size_t len = strcspn(s, ";");
        int fi = ew_sim_point_factor_index(p, s, len);

        if (fi < 0 || (seen & (1u << fi)))
            return fail(l, fi < 0 ? "factor not simulated for this kind:" : "duplicate factor",
                        s);
        seen |= 1u << fi;
        p->factor[p->nfactors++] = (unsigned char)fi;
        s += len + (s[len] == ';');
    }
    return p->nfactors == 0 ? fail(l, "no factors", s) : EW_OK;
}

/* "a21026=35;a21002=50" -> the point's limits (replacing the defaults). */
static int
parse_limits(struct loader *l, struct ew_sim_point *p, const char *s)
{
    char item[64];

    memset(p->limit, 0, sizeof(p->limit));
    while (*s != '\0') {
        size_t len = strcspn(s, ";");
        char *eq;
        int fi;

        if (len >= sizeof(item))
            return fail(l, "limit item too long", s);
        memcpy(item, s, len);
        item[len] = '\0';
        eq = strchr(item, '=');
        if (eq == NULL)
            return fail(l, "limit without '=':", item);
        fi = ew_sim_point_factor_index(p, item, (size_t)(eq - item));
        if (fi < 0 || parse_num(eq + 1, 1e-9, 1e9, &p->limit[fi]) != EW_OK)
            return fail(l, "bad limit", item);
        s += len + (s[len] == ';');
    }
    return EW_OK;
}

static int
parse_kind(struct loader *l, struct ew_sim_point *p)
{
    enum ew_sim_kind kind;
    enum ew_sim_industry ind = EW_SIM_IND_NONE;
    const char *s;
    double v;

    if (ew_sim_kind_parse(field(l, C_KIND), &kind) != EW_OK)
        return fail(l, "unknown kind", field(l, C_KIND));
    if (*field(l, C_INDUSTRY) != '\0' && ew_sim_industry_parse(field(l, C_INDUSTRY), &ind) != EW_OK)
        return fail(l, "unknown industry", field(l, C_INDUSTRY));
    if (kind == EW_SIM_SEWAGE)
        ind = EW_SIM_IND_SEWAGE;
    s = field(l, C_CLASS);
    if (*s != '\0' && parse_class(s, &p->target_class) != EW_OK)
        return fail(l, "bad target_class", s);
    s = field(l, C_LEVEL);
    if (*s != '\0' && parse_num(s, 0.01, 100, &p->level) != EW_OK)
        return fail(l, "bad level", s);
    ew_sim_point_defaults(p, kind, ind);
    s = field(l, C_O2REF);
    if (*s != '\0') {
        if (parse_num(s, 0, 20, &v) != EW_OK)
            return fail(l, "bad o2_ref", s);
        p->o2_ref_pct = v;
    }
    return EW_OK;
}

static int
parse_row(struct loader *l, struct ew_sim_point *p)
{
    const char *s;
    int err;

    memset(p, 0, sizeof(*p));
    if (!token_ok(field(l, C_MN), sizeof(p->mn) - 1))
        return fail(l, "bad mn", field(l, C_MN));
    if (!token_ok(field(l, C_PW), sizeof(p->pw) - 1))
        return fail(l, "bad pw", field(l, C_PW));
    if (strlen(field(l, C_NAME)) >= sizeof(p->name))
        return fail(l, "name too long", field(l, C_NAME));
    snprintf(p->mn, sizeof(p->mn), "%s", field(l, C_MN));
    snprintf(p->pw, sizeof(p->pw), "%s", field(l, C_PW));
    snprintf(p->name, sizeof(p->name), "%s", field(l, C_NAME));
    err = parse_kind(l, p);
    if (err != EW_OK)
        return err;
    s = field(l, C_ST);
    if (*s != '\0') {
        if (strlen(s) != 2 || strspn(s, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 2)
            return fail(l, "bad st", s);
        memcpy(p->st, s, 3);
    }
    if (*field(l, C_FACTORS) != '\0' && (err = parse_factors(l, p, field(l, C_FACTORS))) != 0)
        return err;
    if (*field(l, C_LIMITS) != '\0' && (err = parse_limits(l, p, field(l, C_LIMITS))) != 0)
        return err;
    return EW_OK;
}

static int
parse_header(struct loader *l)
{
    for (int c = 0; c < C_COUNT; c++) {
        l->col[c] = -1;
        for (size_t i = 0; i < l->nf; i++)
            if (strcmp(l->f[i], col_names[c]) == 0)
                l->col[c] = (int)i;
    }
    if (l->col[C_MN] < 0 || l->col[C_PW] < 0 || l->col[C_KIND] < 0)
        return fail(l, "header lacks one of the columns", "mn,pw,kind");
    return EW_OK;
}

static int
cmp_mn(const void *a, const void *b)
{
    return strcmp(((const struct ew_sim_point *)a)->mn, ((const struct ew_sim_point *)b)->mn);
}

/* Returns the first MN that occurs twice, or NULL. */
static const char *
duplicate_mn(const struct ew_sim_point *v, size_t n, struct ew_sim_point *scratch)
{
    memcpy(scratch, v, n * sizeof(*v));
    qsort(scratch, n, sizeof(*v), cmp_mn);
    for (size_t i = 1; i < n; i++)
        if (strcmp(scratch[i - 1].mn, scratch[i].mn) == 0)
            return scratch[i].mn;
    return NULL;
}

static int
read_rows(struct ew_csv *csv, struct loader *l, size_t max, struct ew_sim_point **pts,
          size_t *n, size_t *cap, size_t *line)
{
    int err;

    while ((err = ew_csv_next(csv, &l->f, &l->nf, line)) == EW_OK) {
        if ((l->nf == 1 && l->f[0][0] == '\0') || field(l, C_MN)[0] == '#')
            continue;                   /* blank line or commented-out row */
        if (max != 0 && *n == max)
            return EW_OK;
        if (*n == *cap) {
            size_t nc = *cap ? 2 * *cap : 64;
            struct ew_sim_point *np = realloc(*pts, nc * sizeof(*np));

            if (np == NULL)
                return EW_ENOMEM;
            *pts = np;
            *cap = nc;
        }
        err = parse_row(l, &(*pts)[*n]);
        if (err != EW_OK)
            return err;
        (*n)++;
    }
    if (err == EW_EFORMAT || err == EW_ETOOBIG) {
        /* The reader leaves *line at the last good row; the bad one starts after it. */
        snprintf(l->errmsg, l->errcap, "%s", ew_strerror(err));
        (*line)++;
    }
    return err == EW_ENOTFOUND ? EW_OK : err;
}

static int
load_csv(FILE *in, size_t max, struct ew_sim_point **out, size_t *n_out, size_t *errline,
         struct loader *l)
{
    struct ew_csv *csv = NULL;
    struct ew_sim_point *pts = NULL, *scratch = NULL;
    size_t n = 0, cap = 0, line = 0;
    const char *dup;
    int err = ew_csv_open(in, MAX_ROW, MAX_FIELDS, &csv);

    if (err != EW_OK)
        return err;
    err = ew_csv_next(csv, &l->f, &l->nf, &line);
    if (err == EW_OK)
        err = parse_header(l);
    else
        snprintf(l->errmsg, l->errcap, "no header row");
    if (err == EW_OK || err == EW_ENOTFOUND)
        err = err == EW_OK ? read_rows(csv, l, max, &pts, &n, &cap, &line) : EW_EFORMAT;
    if (err == EW_OK && n > 1 && (scratch = malloc(n * sizeof(*scratch))) == NULL)
        err = EW_ENOMEM;
    if (err == EW_OK && n > 1 && (dup = duplicate_mn(pts, n, scratch)) != NULL) {
        err = fail(l, "duplicate mn", dup);
        line = 0;
    }
    if (err == EW_OK && n == 0) {
        err = fail(l, "no points in", "registry");
        line = 0;
    }
    free(scratch);
    ew_csv_close(csv);
    if (err != EW_OK) {
        *errline = line;
        free(pts);
        return err;
    }
    *out = pts;
    *n_out = n;
    return EW_OK;
}

int
ew_sim_registry_load(const char *path, size_t max, struct ew_sim_point **out, size_t *n,
                     size_t *errline, char *errmsg, size_t errcap)
{
    struct loader l = { .errmsg = errmsg, .errcap = errcap };
    FILE *in = fopen(path, "rb");
    int err;

    if (in == NULL) {
        snprintf(errmsg, errcap, "%s", strerror(errno));
        *errline = 0;
        return EW_EIO;
    }
    err = load_csv(in, max, out, n, errline, &l);
    fclose(in);
    return err;
}
