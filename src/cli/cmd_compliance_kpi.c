/* SPDX-License-Identifier: MIT */
/*
 * envwatch compliance transmission | totals: the bureau's two monthly figures per point,
 * enterprise and county. transmission computes 传输有效率 = 传输率 × 有效率 over a calendar
 * month (reference/standards.md §5); totals sums emission loads per hour, day, month or year
 * and compares enterprises' annual emissions with their permitted quantities (§6).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <envwatch/emission.h>
#include <envwatch/err.h>

#include "cli/compliance.h"
#include "util/compliance_io.h"
#include "util/csv.h"
#include "util/time.h"

#define MAX_SPANS 100000

static FILE *
open_side(const char *path, const char *cmd)
{
    FILE *f = fopen(path, "r");

    if (f == NULL)
        fprintf(stderr, "envwatch compliance %s: cannot open %s\n", cmd, path);
    return f;
}

/* ---- transmission ---- */

enum by { BY_POINT, BY_ENTERPRISE, BY_COUNTY };

struct trans_args {
    struct cx_opts o;
    int            year, month, by;
    long           worst;
    double         threshold_pct;
    const char    *exclude;
};

/* Excluded periods (reported shutdowns, approved outages): mn,from,to. */
struct spans {
    uint32_t       *mn;
    struct ew_span *s;
    size_t          n;
};

static int
read_spans(const char *path, struct cx_data *d, struct spans *sp)
{
    FILE *f = open_side(path, "transmission");
    struct ew_csv *csv = NULL;
    char **fl;
    size_t n, line = 0;
    int rc = f ? ew_csv_open(f, 4096, 16, &csv) : EW_EIO;
    int c_mn = -1, c_from = -1, c_to = -1;

    if (rc == EW_OK && (rc = ew_csv_next(csv, &fl, &n, &line)) == EW_OK) {
        c_mn = ew_cio_column(fl, n, "mn");
        c_from = ew_cio_column(fl, n, "from");
        c_to = ew_cio_column(fl, n, "to");
        rc = c_mn < 0 || c_from < 0 || c_to < 0 ? EW_EFORMAT : EW_OK;
    }
    sp->mn = calloc(MAX_SPANS, sizeof(*sp->mn));
    sp->s = calloc(MAX_SPANS, sizeof(*sp->s));
    if (sp->mn == NULL || sp->s == NULL)
        rc = EW_ENOMEM;
    while (rc == EW_OK && (rc = ew_csv_next(csv, &fl, &n, &line)) == EW_OK) {
        uint32_t id;

        if ((size_t)c_mn >= n || (size_t)c_from >= n || (size_t)c_to >= n ||
            sp->n == MAX_SPANS || ew_cio_time(fl[c_from], &sp->s[sp->n].from_unix_s) != EW_OK ||
            ew_cio_time(fl[c_to], &sp->s[sp->n].to_unix_s) != EW_OK) {
            rc = EW_EFORMAT;
            break;
        }
        /* Interning through a read of the data would be cleaner; a linear match is enough. */
        for (id = 0; id < d->nstr && strcmp(d->str[id], fl[c_mn]) != 0; id++)
            ;
        sp->mn[sp->n++] = id;                   /* id == nstr: a point not in the data */
    }
    ew_csv_close(csv);
    if (f != NULL)
        fclose(f);
    if (rc == EW_ENOTFOUND)
        return EW_OK;
    fprintf(stderr, "envwatch compliance transmission: %s:%zu: %s\n", path, line,
            ew_strerror(rc));
    return rc;
}

/* The spans of point mn, copied into out. */
static size_t
spans_of(const struct spans *sp, uint32_t mn, struct ew_span *out)
{
    size_t k = 0;

    for (size_t i = 0; i < sp->n; i++)
        if (sp->mn[i] == mn)
            out[k++] = sp->s[i];
    return k;
}

static const char *const point_cols[] = { "mn", "factor", "enterprise", "county", "expected",
                                          "received", "valid", "transmission_pct",
                                          "validity_pct", "effective_pct", "pass" };
static const char *const group_cols[] = { "id", "series", "expected", "received", "valid",
                                          "transmission_pct", "validity_pct", "effective_pct",
                                          "pass" };

struct titem {
    struct ew_trans_item it;
    uint32_t             mn, factor, ent, county;
    size_t               series;
};

static int
trans_row(struct cx_out *w, const struct cx_data *d, const struct titem *t, int by,
          double threshold)
{
    const struct ew_trans_rate *r = &t->it.rate;
    struct cx_cell c[11];
    size_t k = 0;

    if (by == BY_POINT) {
        c[k++] = (struct cx_cell){ CX_STR, cx_s(d, t->mn), 0 };
        c[k++] = (struct cx_cell){ CX_STR, cx_s(d, t->factor), 0 };
        c[k++] = (struct cx_cell){ CX_STR, cx_s(d, t->ent), 0 };
        c[k++] = (struct cx_cell){ CX_STR, cx_s(d, t->county), 0 };
    } else {
        c[k++] = (struct cx_cell){ CX_STR, t->it.id, 0 };
        c[k++] = (struct cx_cell){ CX_INT, NULL, (double)t->series };
    }
    c[k++] = (struct cx_cell){ CX_INT, NULL, (double)t->it.count.expected };
    c[k++] = (struct cx_cell){ CX_INT, NULL, (double)t->it.count.received };
    c[k++] = (struct cx_cell){ CX_INT, NULL, (double)t->it.count.valid };
    c[k++] = (struct cx_cell){ CX_NUM, NULL, round(r->transmission_pct * 10) / 10 };
    c[k++] = (struct cx_cell){ CX_NUM, NULL, round(r->validity_pct * 10) / 10 };
    c[k++] = (struct cx_cell){ CX_NUM, NULL, round(r->effective_pct * 10) / 10 };
    c[k++] = (struct cx_cell){ CX_BOOL, NULL, r->effective_pct >= threshold };
    return cx_out_row(w, c);
}

/* Pools the point items into enterprise or county items (ids into d's strings). */
static size_t
pool(const struct cx_data *d, struct titem *items, size_t n, int by, struct titem *out)
{
    size_t k = 0;

    for (size_t i = 0; i < n; i++) {
        uint32_t key = by == BY_ENTERPRISE ? items[i].ent : items[i].county;
        size_t g;

        for (g = 0; g < k && (by == BY_ENTERPRISE ? out[g].ent : out[g].county) != key; g++)
            ;
        if (g == k)
            out[k++] = (struct titem){ .it.id = cx_s(d, key), .ent = items[i].ent,
                                       .county = items[i].county };
        ew_trans_add(&out[g].it.count, &items[i].it.count);
        out[g].series++;
    }
    for (size_t g = 0; g < k; g++)
        if (ew_trans_rates(&out[g].it.count, &out[g].it.rate) != EW_OK)
            out[g].it.rate = (struct ew_trans_rate){ NAN, NAN, NAN };
    return k;
}

static int
cmp_titem(const void *pa, const void *pb)
{
    return ew_trans_cmp(&((const struct titem *)pa)->it, &((const struct titem *)pb)->it);
}

static int
trans_count_all(const struct cx_data *d, const struct trans_args *a, const struct spans *sp,
                struct titem *items, size_t *n_items)
{
    struct ew_value *buf = calloc(d->n ? d->n : 1, sizeof(*buf));
    struct ew_span *ex = calloc(sp->n ? sp->n : 1, sizeof(*ex));
    size_t k = 0;
    int rc = buf && ex ? EW_OK : EW_ENOMEM;

    for (size_t i = 0; i < d->n && rc == EW_OK; i = cx_series_end(d, i)) {
        size_t j = cx_series_end(d, i);
        struct titem *t = &items[k++];

        for (size_t x = i; x < j; x++)
            buf[x - i] = d->r[x].v;
        *t = (struct titem){ .it.id = cx_s(d, d->r[i].mn), .mn = d->r[i].mn,
                             .factor = d->r[i].factor, .ent = d->r[i].ent,
                             .county = d->r[i].county, .series = 1 };
        rc = ew_trans_count_month(a->year, a->month, buf, j - i, ex,
                                  spans_of(sp, d->r[i].mn, ex), &t->it.count);
        if (rc == EW_OK && ew_trans_rates(&t->it.count, &t->it.rate) != EW_OK)
            t->it.rate = (struct ew_trans_rate){ NAN, NAN, NAN };
    }
    free(buf);
    free(ex);
    *n_items = k;
    return rc;
}

static int
trans_out(const struct cx_data *d, const struct trans_args *a, struct titem *items, size_t n)
{
    struct cx_out w;
    int rc = EW_OK;

    if (a->worst > 0)
        qsort(items, n, sizeof(*items), cmp_titem);
    if (a->by == BY_POINT)
        cx_out_begin(&w, a->o.json, point_cols, EW_ARRAY_LEN(point_cols));
    else
        cx_out_begin(&w, a->o.json, group_cols, EW_ARRAY_LEN(group_cols));
    for (size_t i = 0; i < n && rc == EW_OK && (a->worst <= 0 || (long)i < a->worst); i++)
        rc = trans_row(&w, d, &items[i], a->by, a->threshold_pct);
    if (cx_out_end(&w) != EW_OK)
        rc = EW_EIO;
    return rc;
}

static int
trans_run(const struct trans_args *a)
{
    struct cx_data d;
    struct spans sp = { 0 };
    struct titem *items = NULL, *groups = NULL;
    size_t n = 0;
    FILE *in = cx_open(&a->o, "transmission");
    int rc = in ? cx_read(in, "transmission", &d) : EW_EIO;

    if (in != NULL && in != stdin)
        fclose(in);
    if (rc != EW_OK)
        return 1;
    cx_sort(&d);
    if (a->exclude != NULL)
        rc = read_spans(a->exclude, &d, &sp);
    items = calloc(d.n ? d.n : 1, sizeof(*items));
    groups = calloc(d.n ? d.n : 1, sizeof(*groups));
    if (rc == EW_OK)
        rc = items && groups ? trans_count_all(&d, a, &sp, items, &n) : EW_ENOMEM;
    if (rc == EW_OK && a->by != BY_POINT)
        rc = trans_out(&d, a, groups, pool(&d, items, n, a->by, groups));
    else if (rc == EW_OK)
        rc = trans_out(&d, a, items, n);
    if (rc != EW_OK && rc != EW_EFORMAT)
        fprintf(stderr, "envwatch compliance transmission: %s\n", ew_strerror(rc));
    free(items);
    free(groups);
    free(sp.mn);
    free(sp.s);
    cx_free(&d);
    return rc == EW_OK ? 0 : 1;
}

static int
trans_opt(int argc, char **argv, int *i, struct trans_args *a)
{
    const char *k = argv[*i], *v = *i + 1 < argc ? argv[*i + 1] : NULL;
    int ok = 0;

    if (v == NULL)
        return 0;
    if (strcmp(k, "--month") == 0) {
        char first[16];
        struct ew_civil c;
        int64_t t;

        /* "2018-11": parsed as its first day, so that only real months pass. */
        ok = strlen(v) == 7 && snprintf(first, sizeof(first), "%s-01", v) == 10 &&
             ew_cio_time(first, &t) == EW_OK;
        if (ok) {
            ew_unix_to_civil(t, &c);
            a->year = c.year;
            a->month = c.month;
        }
    } else if (strcmp(k, "--by") == 0) {
        ok = 1;
        if (strcmp(v, "point") == 0)
            a->by = BY_POINT;
        else if (strcmp(v, "enterprise") == 0)
            a->by = BY_ENTERPRISE;
        else if (strcmp(v, "county") == 0)
            a->by = BY_COUNTY;
        else
            ok = 0;
    } else if (strcmp(k, "--worst") == 0) {
        ok = ew_cio_long(v, 1, 1000000, &a->worst) == EW_OK;
    } else if (strcmp(k, "--threshold") == 0) {
        ok = ew_cio_double(v, &a->threshold_pct) == EW_OK && a->threshold_pct >= 0 &&
             a->threshold_pct <= 100;
    } else if (strcmp(k, "--exclude") == 0) {
        a->exclude = v;
        ok = 1;
    }
    *i += ok;
    return ok;
}

int
ew_compliance_transmission(int argc, char **argv)
{
    /* Provinces commonly require 90 % [M]; the 12th-FYP national check used 75 % [M]. */
    struct trans_args a = { .threshold_pct = 90 };

    for (int i = 1; i < argc; i++)
        if (!trans_opt(argc, argv, &i, &a) &&
            cx_common_opt(argc, argv, &i, &a.o, "transmission") != 1)
            return cx_fail("transmission", "usage: transmission --month YYYY-MM "
                                        "[--by point|enterprise|county] [--exclude FILE] "
                                        "[--worst N] [--threshold 90] [--format csv|json] "
                                        "[FILE]");
    if (a.month == 0)
        return cx_fail("transmission", "--month YYYY-MM is required");
    return trans_run(&a);
}

/* ---- totals ---- */

struct totals_args {
    struct cx_opts o;
    int            period, by;
    const char    *quota;
    double         levels[EW_QUOTA_MAX_LEVELS];
    size_t         n_levels;
    int64_t        as_of;
};

/* One record's load in one period bucket. */
struct load {
    uint32_t group, factor;
    char     key[16];
    double   kg;
};

/* The load of one record in kg: Cou when sent, else C × Q (one hour), else C × V. */
static int
record_kg(const struct cx_rec *r, double *kg)
{
    if (!ew_flag_valid(r->v.flag))
        return 0;               /* invalid hours are not summed; HJ 75 substitution is not done */
    if (isfinite(r->v.cou) && r->v.cou >= 0) {
        *kg = r->v.cou;
        return 1;
    }
    if (isfinite(r->v.value) && isfinite(r->flow_m3h))
        return ew_load_flue_kg(r->v.value, r->flow_m3h, 1.0, kg) == EW_OK;
    if (isfinite(r->v.value) && isfinite(r->volume_m3))
        return ew_load_water_kg(r->v.value, r->volume_m3, kg) == EW_OK;
    return 0;
}

static int
cmp_load(const void *pa, const void *pb)
{
    const struct load *a = pa, *b = pb;

    if (a->group != b->group)
        return a->group < b->group ? -1 : 1;
    if (a->factor != b->factor)
        return a->factor < b->factor ? -1 : 1;
    return strcmp(a->key, b->key);
}

static uint32_t
group_of(const struct cx_rec *r, int by)
{
    return by == BY_ENTERPRISE ? r->ent : by == BY_COUNTY ? r->county : r->mn;
}

static size_t
collect_loads(const struct cx_data *d, int by, int period, int64_t until, struct load *out)
{
    size_t k = 0;

    for (size_t i = 0; i < d->n; i++) {
        double kg;

        if (d->r[i].v.t_unix_s > until || !record_kg(&d->r[i], &kg))
            continue;
        out[k] = (struct load){ group_of(&d->r[i], by), d->r[i].factor, "", kg };
        if (ew_period_key(d->r[i].v.t_unix_s, period, out[k].key) == EW_OK)
            k++;
    }
    qsort(out, k, sizeof(*out), cmp_load);
    return k;
}

static const char *const load_cols[] = { "group", "factor", "period", "records", "load_kg",
                                          "load_t" };

static int
loads_out(const struct cx_data *d, const struct totals_args *a, const struct load *l, size_t n)
{
    struct cx_out w;
    int rc = EW_OK;

    cx_out_begin(&w, a->o.json, load_cols, EW_ARRAY_LEN(load_cols));
    for (size_t i = 0, j; i < n && rc == EW_OK; i = j) {
        double kg = 0;

        for (j = i; j < n && cmp_load(&l[i], &l[j]) == 0; j++)
            kg += l[j].kg;
        rc = cx_out_row(&w, (struct cx_cell[]){ { CX_STR, cx_s(d, l[i].group), 0 },
                                                { CX_STR, cx_s(d, l[i].factor), 0 },
                                                { CX_STR, l[i].key, 0 },
                                                { CX_INT, NULL, (double)(j - i) },
                                                { CX_NUM, NULL, kg },
                                                { CX_NUM, NULL, kg / 1000 } });
    }
    if (cx_out_end(&w) != EW_OK)
        rc = EW_EIO;
    return rc;
}

static const char *const quota_cols[] = { "enterprise", "factor", "year", "emitted_t",
                                          "quota_t", "used_pct", "elapsed_pct", "pace",
                                          "projected_t", "projected_pct", "level_pct",
                                          "projected_over" };

/* The year's emission (t) of enterprise ent and factor in the sorted yearly loads. */
static double
emitted_t(const struct cx_data *d, const struct load *l, size_t n, const char *ent,
          const char *factor, const char *year)
{
    double kg = 0;

    for (size_t i = 0; i < n; i++)
        if (strcmp(cx_s(d, l[i].group), ent) == 0 && strcmp(cx_s(d, l[i].factor), factor) == 0 &&
            strcmp(l[i].key, year) == 0)
            kg += l[i].kg;
    return kg / 1000;
}

static int
quota_row(struct cx_out *w, const char *ent, const char *factor, const char *year, double em,
          double quota, const struct totals_args *a)
{
    struct ew_quota_status s;
    int rc = ew_quota_check(em, quota, ew_year_elapsed(a->as_of), a->levels, a->n_levels, &s);

    if (rc != EW_OK)
        return rc;
    return cx_out_row(w, (struct cx_cell[]){
        { CX_STR, ent, 0 }, { CX_STR, factor, 0 }, { CX_STR, year, 0 }, { CX_NUM, NULL, em },
        { CX_NUM, NULL, quota }, { CX_NUM, NULL, round(s.used_pct * 10) / 10 },
        { CX_NUM, NULL, round(s.elapsed_pct * 10) / 10 },
        { CX_NUM, NULL, round(s.pace * 100) / 100 }, { CX_NUM, NULL, s.projected },
        { CX_NUM, NULL, round(s.projected_pct * 10) / 10 },
        { CX_NUM, NULL, s.level > 0 ? a->levels[s.level - 1] : NAN },
        { CX_BOOL, NULL, s.projected_over } });
}

/* Reads enterprise,factor,quota_t rows and writes one status row each. */
static int
quota_out(const struct cx_data *d, const struct totals_args *a, const struct load *l, size_t n)
{
    FILE *f = open_side(a->quota, "totals");
    struct ew_csv *csv = NULL;
    struct cx_out w;
    char year[16], **fl;
    size_t nf, line = 0;
    int rc = f ? ew_csv_open(f, 4096, 16, &csv) : EW_EIO, ce = -1, cf = -1, cq = -1;

    if (rc == EW_OK && (rc = ew_csv_next(csv, &fl, &nf, &line)) == EW_OK) {
        ce = ew_cio_column(fl, nf, "enterprise");
        cf = ew_cio_column(fl, nf, "factor");
        cq = ew_cio_column(fl, nf, "quota_t");
        rc = ce < 0 || cf < 0 || cq < 0 ? EW_EFORMAT : EW_OK;
    }
    ew_period_key(a->as_of, EW_PERIOD_YEAR, year);
    cx_out_begin(&w, a->o.json, quota_cols, EW_ARRAY_LEN(quota_cols));
    while (rc == EW_OK && (rc = ew_csv_next(csv, &fl, &nf, &line)) == EW_OK) {
        double q;

        if ((size_t)ce >= nf || (size_t)cf >= nf || (size_t)cq >= nf ||
            ew_cio_double(fl[cq], &q) != EW_OK || !(q > 0)) {
            rc = EW_EFORMAT;
            break;
        }
        rc = quota_row(&w, fl[ce], fl[cf], year, emitted_t(d, l, n, fl[ce], fl[cf], year), q,
                       a);
    }
    if (cx_out_end(&w) != EW_OK && (rc == EW_OK || rc == EW_ENOTFOUND))
        rc = EW_EIO;
    ew_csv_close(csv);
    if (f != NULL)
        fclose(f);
    if (rc == EW_ENOTFOUND)
        return EW_OK;
    fprintf(stderr, "envwatch compliance totals: %s:%zu: %s\n", a->quota, line,
            ew_strerror(rc));
    return rc;
}

static int
totals_run(struct totals_args *a)
{
    struct cx_data d;
    struct load *l;
    size_t n;
    FILE *in = cx_open(&a->o, "totals");
    int rc = in ? cx_read(in, "totals", &d) : EW_EIO;

    if (in != NULL && in != stdin)
        fclose(in);
    if (rc != EW_OK)
        return 1;
    for (size_t i = 0; a->as_of == INT64_MIN && i < d.n; i++)
        if (i == 0 || d.r[i].v.t_unix_s > a->as_of)
            a->as_of = d.r[i].v.t_unix_s;
    l = calloc(d.n ? d.n : 1, sizeof(*l));
    rc = l ? EW_OK : EW_ENOMEM;
    if (rc == EW_OK && a->quota != NULL) {
        n = collect_loads(&d, BY_ENTERPRISE, EW_PERIOD_YEAR, a->as_of, l);
        rc = quota_out(&d, a, l, n);
    } else if (rc == EW_OK) {
        n = collect_loads(&d, a->by, a->period, INT64_MAX, l);
        rc = loads_out(&d, a, l, n);
    }
    if (rc == EW_ENOMEM || rc == EW_EIO)
        fprintf(stderr, "envwatch compliance totals: %s\n", ew_strerror(rc));
    free(l);
    cx_free(&d);
    return rc == EW_OK ? 0 : 1;
}

static int
parse_levels(const char *v, struct totals_args *a)
{
    char buf[128], *p = buf, *comma;

    if (snprintf(buf, sizeof(buf), "%s", v) >= (int)sizeof(buf))
        return 0;
    a->n_levels = 0;
    do {
        if ((comma = strchr(p, ',')) != NULL)
            *comma = '\0';
        if (a->n_levels == EW_QUOTA_MAX_LEVELS ||
            ew_cio_double(p, &a->levels[a->n_levels]) != EW_OK)
            return 0;
        a->n_levels++;
        p = comma + 1;
    } while (comma != NULL);
    return 1;
}

static int
totals_opt(int argc, char **argv, int *i, struct totals_args *a)
{
    const char *k = argv[*i], *v = *i + 1 < argc ? argv[*i + 1] : NULL;
    int ok = 0;

    if (v == NULL)
        return 0;
    if (strcmp(k, "--period") == 0)
        ok = ew_period_parse(v, &a->period) == EW_OK;
    else if (strcmp(k, "--by") == 0) {
        ok = 1;
        if (strcmp(v, "outlet") == 0)
            a->by = BY_POINT;
        else if (strcmp(v, "enterprise") == 0)
            a->by = BY_ENTERPRISE;
        else if (strcmp(v, "county") == 0)
            a->by = BY_COUNTY;
        else
            ok = 0;
    } else if (strcmp(k, "--quota") == 0) {
        a->quota = v;
        ok = 1;
    } else if (strcmp(k, "--levels") == 0) {
        ok = parse_levels(v, a);
    } else if (strcmp(k, "--as-of") == 0) {
        ok = ew_cio_time(v, &a->as_of) == EW_OK;
    }
    *i += ok;
    return ok;
}

int
ew_compliance_totals(int argc, char **argv)
{
    /* Warning shares: no national rule sets them; 80/90/100 % is local practice [M]. */
    struct totals_args a = { .period = EW_PERIOD_DAY, .levels = { 80, 90, 100 }, .n_levels = 3,
                             .as_of = INT64_MIN };
    struct ew_quota_status probe;

    for (int i = 1; i < argc; i++)
        if (!totals_opt(argc, argv, &i, &a) &&
            cx_common_opt(argc, argv, &i, &a.o, "totals") != 1)
            return cx_fail("totals", "usage: totals [--period hour|day|month|year] "
                                  "[--by outlet|enterprise|county] [--quota FILE] "
                                  "[--levels 80,90,100] [--as-of DATE] [--format csv|json] "
                                  "[FILE]");
    if (ew_quota_check(0, 1, 1, a.levels, a.n_levels, &probe) != EW_OK)
        return cx_fail("totals", "--levels must be ascending positive percentages (at most 8)");
    return totals_run(&a);
}
