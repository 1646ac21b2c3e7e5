/* SPDX-License-Identifier: MIT */
/*
 * envwatch water: GB 3838-2002 classes of surface-water samples read as CSV. Without --by,
 * every input row is passed through with class, main_pollutants and label added (and
 * target_met when a target column is present). --by section evaluates each section's period
 * mean (all its rows); --by river evaluates each river or basin from its sections' means.
 * The rules are those of include/envwatch/water.h; docs/water.md is the user guide.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <envwatch/err.h>
#include <envwatch/water.h>

#include "cli/cli.h"
#include "util/buf.h"
#include "util/compliance_io.h"
#include "util/csv.h"
#include "util/json.h"

#define MAX_ROW 65536
#define MAX_FIELDS 256
#define MAX_GROUPS 100000
#define MAX_SAMPLES 1000000

enum by { BY_ROW, BY_SECTION, BY_RIVER };

struct opts {
    int         body, json, by;
    long        min_samples;
    const char *path;
};

/* Where the recognised columns are in the header; -1 when absent. */
struct cols {
    int    item[EW_WQ_NITEMS];
    int    body, section, river, target;
    size_t n;                           /* columns in the header */
};

/* One section's samples, for --by. */
struct group {
    char                *section, *river;
    int                  body, target;
    struct ew_wq_sample *s;
    size_t               n, cap;
};

struct groups {
    struct group *g;
    size_t        n, cap;
};

static int
usage(FILE *f, int rc)
{
    fprintf(f, "usage: envwatch water [--body river|lake] [--format csv|json]\n"
               "                      [--by section|river] [--min-samples N] [FILE]\n"
               "Reads CSV with a header (stdin without FILE). Item columns (mg/L; pH none;\n"
               "fcoli per litre): ph do codmn cod bod5 nh3n tp tn cu zn f se as hg cd cr6\n"
               "pb cn phenol oil las s2 fcoli. Optional: body, section, river, target.\n"
               "A value written 0.01L (below the detection limit 0.01) counts as half of it.\n");
    return rc;
}

static int
parse_opts(int argc, char **argv, struct opts *o)
{
    *o = (struct opts){ .body = EW_WQ_RIVER, .by = BY_ROW, .min_samples = 1 };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout, 0);
            return -1;                  /* done: exit 0 */
        }
        if (a[0] != '-' || strcmp(a, "-") == 0) {
            if (o->path != NULL)
                return usage(stderr, 2);
            o->path = a;
            continue;
        }
        if (v == NULL)
            return usage(stderr, 2);
        i++;
        if (strcmp(a, "--body") == 0 && (strcmp(v, "river") == 0 || strcmp(v, "lake") == 0))
            o->body = strcmp(v, "lake") == 0 ? EW_WQ_LAKE : EW_WQ_RIVER;
        else if (strcmp(a, "--format") == 0 && (!strcmp(v, "csv") || !strcmp(v, "json")))
            o->json = strcmp(v, "json") == 0;
        else if (strcmp(a, "--by") == 0 && (!strcmp(v, "section") || !strcmp(v, "river")))
            o->by = strcmp(v, "river") == 0 ? BY_RIVER : BY_SECTION;
        else if (strcmp(a, "--min-samples") == 0 &&
                 ew_cio_long(v, 1, 1000, &o->min_samples) == EW_OK)
            ;
        else
            return usage(stderr, 2);
    }
    return 0;
}

static int
find_cols(char **f, size_t n, struct cols *c)
{
    int any = 0;

    for (int i = 0; i < EW_WQ_NITEMS; i++) {
        c->item[i] = ew_cio_column(f, n, ew_wq_item_code(i));
        any |= c->item[i] >= 0;
    }
    c->body = ew_cio_column(f, n, "body");
    c->section = ew_cio_column(f, n, "section");
    c->river = ew_cio_column(f, n, "river");
    c->target = ew_cio_column(f, n, "target");
    c->n = n;
    return any;
}

static const char *
cell(char **f, size_t n, int idx)
{
    return idx >= 0 && (size_t)idx < n ? f[idx] : "";
}

/* A measured value: a number, "" or "-" when not measured, "0.01L" below the limit 0.01. */
static int
parse_value(const char *s, double *v)
{
    char buf[64];
    size_t len = strlen(s);
    int rc;

    if (strcmp(s, "-") == 0 || len == 0) {
        *v = NAN;
        return EW_OK;
    }
    if (len < sizeof(buf) && len > 1 && (s[len - 1] == 'L' || s[len - 1] == 'l')) {
        /* Below the detection limit: half the limit, the common convention [M]. */
        memcpy(buf, s, len - 1);
        buf[len - 1] = '\0';
        if ((rc = ew_cio_double(buf, v)) == EW_OK)
            *v /= 2;
        return rc;
    }
    rc = ew_cio_double(s, v);
    if (rc == EW_ENODATA) {
        *v = NAN;
        return EW_OK;
    }
    return rc;
}

/* Reads one data row into sample, body and target; prints the reason on failure. */
static int
read_row(char **f, size_t n, const struct cols *c, const struct opts *o, size_t line,
         struct ew_wq_sample *s, int *body, int *target)
{
    const char *b = cell(f, n, c->body), *t = cell(f, n, c->target);
    int cls;

    ew_wq_sample_init(s);
    for (int i = 0; i < EW_WQ_NITEMS; i++) {
        const char *v = cell(f, n, c->item[i]);

        if (c->item[i] < 0)
            continue;
        if (parse_value(v, &s->v[i]) != EW_OK ||
            (!isnan(s->v[i]) && ew_wq_item_class(i, EW_WQ_RIVER, s->v[i], &cls) != EW_OK)) {
            fprintf(stderr, "envwatch water: line %zu: column %s: '%s' is not a valid value\n",
                    line, ew_wq_item_code(i), v);
            return EW_EFORMAT;
        }
    }
    *body = o->body;
    if (b[0] != '\0') {
        if (strcasecmp(b, "river") != 0 && strcasecmp(b, "lake") != 0) {
            fprintf(stderr, "envwatch water: line %zu: body '%s' is not river or lake\n", line,
                    b);
            return EW_EFORMAT;
        }
        *body = strcasecmp(b, "lake") == 0 ? EW_WQ_LAKE : EW_WQ_RIVER;
    }
    *target = EW_WQ_NONE;
    if (t[0] != '\0' && ew_wq_class_parse(t, target) != EW_OK) {
        fprintf(stderr, "envwatch water: line %zu: target '%s' is not a class\n", line, t);
        return EW_EFORMAT;
    }
    return EW_OK;
}

/* A multiple with at most two decimals and no trailing zeros: 2.5, 0.83, 2. */
static void
fmt_multiple(double m, char out[32])
{
    size_t len;

    snprintf(out, 32, "%.2f", round(m * 100) / 100);
    len = strlen(out);
    while (len > 0 && out[len - 1] == '0')
        out[--len] = '\0';
    if (len > 0 && out[len - 1] == '.')
        out[--len] = '\0';
}

/* "nh3n(2.5);bod5(2)" for CSV; items without a multiple are written alone. */
static void
main_text(const struct ew_wq_pollutant *m, size_t n, struct ew_buf *b)
{
    char num[32];

    for (size_t i = 0; i < n; i++) {
        ew_buf_adds(b, i > 0 ? ";" : "");
        ew_buf_adds(b, ew_wq_item_code(m[i].item));
        if (!isnan(m[i].multiple)) {
            fmt_multiple(m[i].multiple, num);
            ew_buf_printf(b, "(%s)", num);
        }
    }
}

static void
main_json(const struct ew_wq_pollutant *m, size_t n, struct ew_buf *b)
{
    ew_buf_addc(b, '[');
    for (size_t i = 0; i < n; i++) {
        ew_buf_adds(b, i > 0 ? ",{" : "{");
        ew_json_key(b, "item");
        ew_json_strz(b, ew_wq_item_code(m[i].item));
        ew_buf_addc(b, ',');
        ew_json_key(b, "multiple");
        ew_json_num(b, round(m[i].multiple * 100) / 100, 6);
        ew_buf_addc(b, '}');
    }
    ew_buf_addc(b, ']');
}

static int
flush(struct ew_buf *b)
{
    int ok = fwrite(b->ptr, 1, b->len, stdout) == b->len;

    ew_buf_reset(b);
    return ok ? EW_OK : EW_EIO;
}

/* ---- per-row mode ---- */

/* The input row, padded to the header's width, then the added columns. */
static void
row_csv(char **f, size_t n, const struct cols *c, int rc, const struct ew_wq_result *r,
        int target, struct ew_buf *b)
{
    for (size_t i = 0; i < c->n; i++) {
        ew_buf_adds(b, i > 0 ? "," : "");
        ew_csv_field(b, cell(f, n, (int)i));
    }
    ew_buf_printf(b, ",%s,", rc == EW_OK ? ew_wq_class_name(r->cls) : "");
    if (rc == EW_OK)
        main_text(r->main, r->n_main, b);
    ew_buf_printf(b, ",%s", rc == EW_OK ? ew_wq_grade_label(r->grade) : "");
    if (c->target >= 0)
        ew_buf_adds(b, rc != EW_OK || target == EW_WQ_NONE ? ","
                       : ew_wq_target_met(r->cls, target) ? ",yes" : ",no");
    ew_buf_addc(b, '\n');
}

static int
item_of_column(const struct cols *c, size_t col)
{
    for (int i = 0; i < EW_WQ_NITEMS; i++)
        if (c->item[i] == (int)col)
            return i;
    return -1;
}

static void
row_json(char **f, size_t n, char **head, const struct cols *c, const struct ew_wq_sample *s,
         int rc, const struct ew_wq_result *r, int target, struct ew_buf *b)
{
    ew_buf_addc(b, '{');
    for (size_t i = 0; i < c->n; i++) {
        int item = item_of_column(c, i);

        ew_json_key(b, head[i]);
        if (item >= 0 && !isnan(s->v[item]))
            ew_json_num(b, s->v[item], 10);
        else if (item >= 0)
            ew_buf_adds(b, "null");             /* not measured */
        else
            ew_json_strz(b, cell(f, n, (int)i));
        ew_buf_addc(b, ',');
    }
    ew_json_key(b, "class");
    ew_json_strz(b, rc == EW_OK ? ew_wq_class_name(r->cls) : "");
    ew_buf_addc(b, ',');
    ew_json_key(b, "label");
    ew_json_strz(b, rc == EW_OK ? ew_wq_grade_label(r->grade) : "");
    ew_buf_addc(b, ',');
    ew_json_key(b, "main_pollutants");
    main_json(r->main, rc == EW_OK ? r->n_main : 0, b);
    if (c->target >= 0 && rc == EW_OK && target != EW_WQ_NONE) {
        ew_buf_addc(b, ',');
        ew_json_key(b, "target_met");
        ew_buf_adds(b, ew_wq_target_met(r->cls, target) ? "true" : "false");
    }
    ew_buf_addc(b, '}');
}

/* ---- grouped modes ---- */

static char *
dupstr(const char *s)
{
    size_t len = strlen(s) + 1;
    char *p = malloc(len);

    if (p != NULL)
        memcpy(p, s, len);
    return p;
}

static struct group *
group_for(struct groups *gs, const char *section, const char *river, int body, int target)
{
    for (size_t i = gs->n; i-- > 0;)
        if (strcmp(gs->g[i].section, section) == 0)
            return &gs->g[i];
    if (gs->n == gs->cap) {
        size_t cap = gs->cap ? gs->cap * 2 : 16;
        struct group *p;

        if (cap > MAX_GROUPS || (p = realloc(gs->g, cap * sizeof(*p))) == NULL)
            return NULL;
        gs->g = p;
        gs->cap = cap;
    }
    gs->g[gs->n] = (struct group){ .section = dupstr(section), .river = dupstr(river),
                                   .body = body, .target = target };
    if (gs->g[gs->n].section == NULL || gs->g[gs->n].river == NULL) {
        free(gs->g[gs->n].section);
        free(gs->g[gs->n].river);
        return NULL;
    }
    return &gs->g[gs->n++];
}

static int
group_add(struct group *g, const struct ew_wq_sample *s)
{
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 4;
        struct ew_wq_sample *p;

        if (cap > MAX_SAMPLES || (p = realloc(g->s, cap * sizeof(*p))) == NULL)
            return EW_ENOMEM;
        g->s = p;
        g->cap = cap;
    }
    g->s[g->n++] = *s;
    return EW_OK;
}

static void
groups_free(struct groups *gs)
{
    for (size_t i = 0; i < gs->n; i++) {
        free(gs->g[i].section);
        free(gs->g[i].river);
        free(gs->g[i].s);
    }
    free(gs->g);
}

static void
section_out(const struct group *g, const struct opts *o, int first, struct ew_buf *b)
{
    struct ew_wq_sample mean;
    struct ew_wq_result r;
    int rc = ew_wq_mean(g->s, g->n, (size_t)o->min_samples, &mean);

    if (rc == EW_OK)
        rc = ew_wq_evaluate(&mean, g->body, &r);
    if (o->json) {
        ew_buf_adds(b, first ? "{" : ",\n{");
        ew_json_key(b, "section");
        ew_json_strz(b, g->section);
        ew_buf_printf(b, ",\"river\":");
        ew_json_strz(b, g->river);
        ew_buf_printf(b, ",\"n_samples\":%zu,\"class\":", g->n);
        ew_json_strz(b, rc == EW_OK ? ew_wq_class_name(r.cls) : "");
        ew_buf_adds(b, ",\"label\":");
        ew_json_strz(b, rc == EW_OK ? ew_wq_grade_label(r.grade) : "");
        ew_buf_adds(b, ",\"main_pollutants\":");
        main_json(r.main, rc == EW_OK ? r.n_main : 0, b);
        ew_buf_adds(b, ",\"target\":");
        ew_json_strz(b, ew_wq_class_name(g->target));
        ew_buf_adds(b, ",\"target_met\":");
        ew_buf_adds(b, rc != EW_OK || g->target == EW_WQ_NONE ? "null"
                       : ew_wq_target_met(r.cls, g->target) ? "true" : "false");
        ew_buf_addc(b, '}');
        return;
    }
    ew_csv_field(b, g->section);
    ew_buf_addc(b, ',');
    ew_csv_field(b, g->river);
    ew_buf_printf(b, ",%zu,%s,%s,", g->n, rc == EW_OK ? ew_wq_class_name(r.cls) : "",
                  rc == EW_OK ? ew_wq_grade_label(r.grade) : "");
    if (rc == EW_OK)
        main_text(r.main, r.n_main, b);
    ew_buf_printf(b, ",%s,%s\n", ew_wq_class_name(g->target),
                  rc != EW_OK || g->target == EW_WQ_NONE ? ""
                  : ew_wq_target_met(r.cls, g->target) ? "yes" : "no");
}

/* The main pollutants of a river: multiples (mean method) or section shares (share method). */
static void
river_main(const struct ew_wq_river *r, int json, struct ew_buf *b)
{
    char num[32];

    ew_buf_adds(b, json ? "[" : "");
    for (size_t i = 0; i < r->n_main; i++) {
        const struct ew_wq_river_item *m = &r->main[i];
        int share = r->method == EW_WQ_BY_SHARE;

        fmt_multiple(share ? m->rate_pct : m->multiple, num);
        if (json)
            ew_buf_printf(b, "%s{\"item\":\"%s\",\"%s\":%s}", i ? "," : "",
                          ew_wq_item_code(m->item), share ? "rate_pct" : "multiple",
                          isnan(share ? m->rate_pct : m->multiple) ? "null" : num);
        else if (isnan(share ? m->rate_pct : m->multiple))
            ew_buf_printf(b, "%s%s", i ? ";" : "", ew_wq_item_code(m->item));
        else
            ew_buf_printf(b, "%s%s(%s%s)", i ? ";" : "", ew_wq_item_code(m->item), num,
                          share ? "%" : "");
    }
    ew_buf_adds(b, json ? "]" : "");
}

static void
river_out(const char *name, const struct ew_wq_river *r, int rc, int json, int first,
          struct ew_buf *b)
{
    const char *method = rc != EW_OK ? "" : r->method == EW_WQ_BY_MEAN ? "mean" : "share";

    if (json) {
        ew_buf_adds(b, first ? "{\"river\":" : ",\n{\"river\":");
        ew_json_strz(b, name);
        ew_buf_printf(b, ",\"n_sections\":%zu,\"method\":\"%s\",\"class\":\"%s\",\"label\":\"%s\"",
                      rc == EW_OK ? r->n_sections : 0, method,
                      rc == EW_OK ? ew_wq_class_name(r->cls) : "",
                      rc == EW_OK ? ew_wq_grade_label(r->grade) : "");
        ew_buf_adds(b, ",\"good_pct\":");
        ew_json_num(b, rc == EW_OK ? round(r->good_pct * 10) / 10 : NAN, 6);
        ew_buf_adds(b, ",\"worse_v_pct\":");
        ew_json_num(b, rc == EW_OK ? round(r->worse_v_pct * 10) / 10 : NAN, 6);
        ew_buf_adds(b, ",\"main_pollutants\":");
        if (rc == EW_OK)
            river_main(r, 1, b);
        else
            ew_buf_adds(b, "[]");
        ew_buf_addc(b, '}');
        return;
    }
    ew_csv_field(b, name);
    if (rc != EW_OK) {
        ew_buf_adds(b, ",0,,,,,,\n");
        return;
    }
    ew_buf_printf(b, ",%zu,%s,%s,%s,%.1f,%.1f,", r->n_sections, method,
                  ew_wq_class_name(r->cls), ew_wq_grade_label(r->grade), r->good_pct,
                  r->worse_v_pct);
    river_main(r, 0, b);
    ew_buf_addc(b, '\n');
}

/* Evaluates every river: each section's period mean, then the river rule. */
static int
rivers(const struct groups *gs, const struct opts *o, struct ew_buf *b)
{
    struct ew_wq_sample *means = calloc(gs->n ? gs->n : 1, sizeof(*means));
    unsigned char *done = calloc(gs->n ? gs->n : 1, 1);
    int first = 1, rc = EW_OK;

    if (means == NULL || done == NULL) {
        free(means);
        free(done);
        return EW_ENOMEM;
    }
    for (size_t i = 0; i < gs->n && rc == EW_OK; i++) {
        struct ew_wq_river r;
        size_t k = 0;

        if (done[i])
            continue;
        for (size_t j = i; j < gs->n; j++) {
            if (done[j] || strcmp(gs->g[j].river, gs->g[i].river) != 0)
                continue;
            done[j] = 1;
            if (ew_wq_mean(gs->g[j].s, gs->g[j].n, (size_t)o->min_samples, &means[k]) == EW_OK)
                k++;
        }
        river_out(gs->g[i].river, &r, ew_wq_river_evaluate(means, k, gs->g[i].body, &r),
                  o->json, first, b);
        first = 0;
        rc = flush(b);
    }
    free(means);
    free(done);
    return rc;
}

static int
grouped_out(const struct groups *gs, const struct opts *o, struct ew_buf *b)
{
    int rc = EW_OK;

    if (o->json)
        ew_buf_adds(b, "[");
    else if (o->by == BY_SECTION)
        ew_buf_adds(b, "section,river,n_samples,class,label,main_pollutants,target,target_met\n");
    else
        ew_buf_adds(b, "river,n_sections,method,class,label,good_pct,worse_v_pct,"
                       "main_pollutants\n");
    if (o->by == BY_SECTION) {
        for (size_t i = 0; i < gs->n && rc == EW_OK; i++) {
            section_out(&gs->g[i], o, i == 0, b);
            rc = flush(b);
        }
    } else {
        rc = rivers(gs, o, b);
    }
    if (rc == EW_OK && o->json) {
        ew_buf_adds(b, "]\n");
        rc = flush(b);
    }
    return rc;
}

/* ---- driver ---- */

static int
header_out(char **f, size_t n, const struct cols *c, const struct opts *o, struct ew_buf *b)
{
    if (o->by != BY_ROW)
        return EW_OK;
    if (o->json) {
        ew_buf_addc(b, '[');
        return EW_OK;
    }
    for (size_t i = 0; i < n; i++) {
        ew_buf_adds(b, i > 0 ? "," : "");
        ew_csv_field(b, f[i]);
    }
    ew_buf_adds(b, c->target >= 0 ? ",class,main_pollutants,label,target_met\n"
                                  : ",class,main_pollutants,label\n");
    return flush(b);
}

/* Handles one data row: printed (row mode) or added to its section (grouped modes). */
static int
one_row(char **f, size_t n, char **head, const struct cols *c, const struct opts *o,
        size_t line, size_t *rows, struct groups *gs, struct ew_buf *b)
{
    struct ew_wq_sample s;
    struct ew_wq_result r;
    struct group *g;
    int body, target, rc;

    if ((rc = read_row(f, n, c, o, line, &s, &body, &target)) != EW_OK)
        return rc;
    if (o->by != BY_ROW) {
        g = group_for(gs, cell(f, n, c->section), cell(f, n, c->river), body, target);
        return g == NULL ? EW_ENOMEM : group_add(g, &s);
    }
    rc = ew_wq_evaluate(&s, body, &r);
    if (o->json) {
        ew_buf_adds(b, *rows > 0 ? ",\n" : "");
        row_json(f, n, head, c, &s, rc, &r, target, b);
    } else {
        row_csv(f, n, c, rc, &r, target, b);
    }
    (*rows)++;
    return flush(b);
}

static char **
copy_header(char **f, size_t n)
{
    char **h = calloc(n ? n : 1, sizeof(*h));

    for (size_t i = 0; h != NULL && i < n; i++) {
        if ((h[i] = dupstr(f[i])) == NULL) {
            while (i-- > 0)
                free(h[i]);
            free(h);
            return NULL;
        }
    }
    return h;
}

static int
process(FILE *in, const struct opts *o)
{
    struct ew_csv *csv = NULL;
    struct ew_buf b;
    struct groups gs = { 0 };
    struct cols c;
    char **f, **head = NULL;
    size_t n, nh = 0, line = 0, rows = 0;
    int rc;

    ew_buf_init(&b, 0);
    if ((rc = ew_csv_open(in, MAX_ROW, MAX_FIELDS, &csv)) != EW_OK)
        goto out;
    if ((rc = ew_csv_next(csv, &f, &n, &line)) != EW_OK || !find_cols(f, n, &c) ||
        (c.section < 0 && o->by != BY_ROW)) {
        fprintf(stderr, "envwatch water: the header names no item column%s\n",
                o->by != BY_ROW ? " or no section column" : "");
        rc = EW_EFORMAT;
        goto out;
    }
    nh = n;
    if ((head = copy_header(f, n)) == NULL || (rc = header_out(f, n, &c, o, &b)) != EW_OK) {
        rc = head == NULL ? EW_ENOMEM : rc;
        goto out;
    }
    while ((rc = ew_csv_next(csv, &f, &n, &line)) == EW_OK) {
        if (n == 1 && f[0][0] == '\0')
            continue;
        if (n > nh) {
            /* Likely a decimal comma or a missing quote: refuse rather than guess. */
            fprintf(stderr, "envwatch water: line %zu: %zu fields, the header has %zu\n", line,
                    n, nh);
            rc = EW_EFORMAT;
            goto out;
        }
        if ((rc = one_row(f, n, head, &c, o, line, &rows, &gs, &b)) != EW_OK)
            goto out;
    }
    if (rc != EW_ENOTFOUND) {
        fprintf(stderr, "envwatch water: line %zu: %s\n", line, ew_strerror(rc));
        goto out;
    }
    if (o->by != BY_ROW)
        rc = grouped_out(&gs, o, &b);
    else if (o->json) {
        ew_buf_adds(&b, "]\n");
        rc = flush(&b);
    } else {
        rc = EW_OK;
    }
out:
    for (size_t i = 0; head != NULL && i < nh; i++)
        free(head[i]);
    free(head);
    groups_free(&gs);
    ew_csv_close(csv);
    ew_buf_fini(&b);
    return rc;
}

int
ew_cmd_water(int argc, char **argv)
{
    struct opts o;
    FILE *in = stdin;
    int rc = parse_opts(argc, argv, &o);

    if (rc != 0)
        return rc < 0 ? 0 : rc;
    if (o.path != NULL && strcmp(o.path, "-") != 0 && (in = fopen(o.path, "r")) == NULL) {
        fprintf(stderr, "envwatch water: %s: %s\n", o.path, strerror(errno));
        return 1;
    }
    rc = process(in, &o);
    if (in != stdin)
        fclose(in);
    if (rc == EW_ENOMEM || rc == EW_EIO)
        fprintf(stderr, "envwatch water: %s\n", ew_strerror(rc));
    return rc == EW_OK ? 0 : 1;
}
