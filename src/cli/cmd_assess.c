/* SPDX-License-Identifier: MIT */
/*
 * envwatch assess: the monthly or year-to-date scorecard of counties or departments. The
 * scorecard file (--config, or the one the daemon published from [ledger] scorecard) names
 * the units, indicators, weights and rules; the values come from the store and from an
 * optional inputs file; the output shows every point with its basis and arithmetic.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <envwatch/assess.h>
#include <envwatch/err.h>
#include <envwatch/store.h>

#include "cli/cli.h"
#include "util/buf.h"
#include "util/csv.h"
#include "util/time.h"

#define PROG "envwatch assess"
#define TEXT_MAX (1u << 20)

struct aopt {
    const char *data, *config, *inputs, *period, *format, *out;
    int ytd, explain;
};

static void
usage(FILE *f)
{
    fprintf(f,
            "usage: envwatch assess --period YYYY-MM [--ytd] [--config SCORECARD.ini]\n"
            "                       [--inputs VALUES.csv] [--format table|json|csv|xlsx]\n"
            "                       [--out FILE] [--explain] [--data DIR]\n"
            "The scorecard defaults to the one the daemon published ([ledger] scorecard).\n"
            "--ytd scores January 1 to the end of the month. VALUES.csv holds unit,key,value\n"
            "[,basis] lines for what the store does not have (water_sections_pct, ...).\n"
            "docs/ledger.md describes the scorecard file and every value key.\n");
}

static char *
slurp(const char *path)
{
    FILE *in = fopen(path, "rb");
    char *buf;
    size_t n;

    if (in == NULL)
        return NULL;
    buf = malloc(TEXT_MAX + 1);
    n = buf != NULL ? fread(buf, 1, TEXT_MAX + 1, in) : 0;
    fclose(in);
    if (buf == NULL || n > TEXT_MAX) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

static int
parse(int argc, char **argv, struct aopt *o)
{
    static const struct option longs[] = {
        { "data", 1, 0, 'd' }, { "config", 1, 0, 'c' }, { "inputs", 1, 0, 'i' },
        { "period", 1, 0, 'p' }, { "format", 1, 0, 'f' }, { "out", 1, 0, 'o' },
        { "ytd", 0, 0, 'y' }, { "explain", 0, 0, 'e' }, { "help", 0, 0, 'h' }, { 0, 0, 0, 0 },
    };
    int c;

    *o = (struct aopt){ .data = "./var", .format = "table" };
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
        switch (c) {
        case 'd': o->data = optarg; break;
        case 'c': o->config = optarg; break;
        case 'i': o->inputs = optarg; break;
        case 'p': o->period = optarg; break;
        case 'f': o->format = optarg; break;
        case 'o': o->out = optarg; break;
        case 'y': o->ytd = 1; break;
        case 'e': o->explain = 1; break;
        default: return -1;
        }
    }
    return o->period != NULL && optind == argc ? 0 : -1;
}

/* "2019-03" -> [2019-03-01 00:00, 2019-03-31 23:59:59] CST, or from January 1 with ytd. */
static int
period_range(const char *p, int ytd, int64_t *from, int64_t *to)
{
    struct ew_civil a = { 0 }, b = { 0 };
    int y, m;

    if (strlen(p) != 7 || sscanf(p, "%4d-%2d", &y, &m) != 2 || m < 1 || m > 12 || y < 2000 ||
        y > 2099)
        return -1;
    a = (struct ew_civil){ y, ytd ? 1 : m, 1, 0, 0, 0 };
    b = (struct ew_civil){ y, m, ew_days_in_month(y, m), 23, 59, 59 };
    *from = ew_civil_to_unix(&a);
    *to = ew_civil_to_unix(&b);
    return 0;
}

static void
print_table(const struct ew_scorecard_cfg *c, const struct ew_score_input *in,
            const struct ew_scorecard *sc, int explain)
{
    printf("%-16s %8s %4s", "unit", "total", "rank");
    for (size_t i = 0; i < c->n_ind; i++)
        printf(" %12.12s", c->ind[i].name);
    printf("\n");
    for (size_t u = 0; u < sc->n_units; u++) {
        printf("%-16s %8.2f %4d", c->units[u], sc->total[u], sc->rank[u]);
        for (size_t i = 0; i < sc->n_ind; i++)
            printf(" %12.2f", sc->cell[u][i].points);
        printf("\n");
        for (size_t i = 0; explain && i < sc->n_ind; i++) {
            const struct ew_score_value *v = ew_score_input_get(in, u, c->ind[i].key);
            printf("    %-14s value %-10g %s\n    %14s %s\n", c->ind[i].name,
                   sc->cell[u][i].value, sc->cell[u][i].how, "",
                   v != NULL && v->basis[0] ? v->basis : "(no data)");
        }
    }
}

static int
print_csv(FILE *out, const struct ew_scorecard_cfg *c, const struct ew_score_input *in,
          const struct ew_scorecard *sc)
{
    struct ew_buf b;
    char num[32];

    ew_buf_init(&b, 64 << 20);
    ew_buf_adds(&b, "\xEF\xBB\xBFunit,total,rank,indicator,value,basis,target,points,how\r\n");
    for (size_t u = 0; u < sc->n_units; u++) {
        for (size_t i = 0; i < sc->n_ind; i++) {
            const struct ew_score_cell *cell = &sc->cell[u][i];
            const struct ew_score_value *v = ew_score_input_get(in, u, c->ind[i].key);
            ew_csv_field(&b, c->units[u]);
            ew_buf_printf(&b, ",%.4f,%d,", sc->total[u], sc->rank[u]);
            ew_csv_field(&b, c->ind[i].name);
            snprintf(num, sizeof(num), "%.10g", cell->value);
            ew_buf_printf(&b, ",%s,", isnan(cell->value) ? "" : num);
            ew_csv_field(&b, v != NULL ? v->basis : "");
            snprintf(num, sizeof(num), "%.10g", cell->target);
            ew_buf_printf(&b, ",%s,%.4f,", isnan(cell->target) ? "" : num, cell->points);
            ew_csv_field(&b, cell->how);
            ew_buf_adds(&b, "\r\n");
        }
    }
    int ok = b.ptr != NULL && fwrite(b.ptr, 1, b.len, out) == b.len;
    ew_buf_fini(&b);
    return ok ? 0 : -1;
}

static int
emit(const struct aopt *o, const struct ew_scorecard_cfg *c, const struct ew_score_input *in,
     const struct ew_scorecard *sc)
{
    FILE *out = stdout;
    struct ew_buf b;
    int rc = 0;

    if (strcmp(o->format, "xlsx") == 0) {
        if (o->out == NULL) {
            fprintf(stderr, "%s: xlsx needs --out FILE\n", PROG);
            return 2;
        }
        return ew_assess_xlsx(o->out, c, in, sc) == EW_OK ? 0 : 1;
    }
    if (o->out != NULL && (out = fopen(o->out, "wb")) == NULL) {
        fprintf(stderr, "%s: cannot write %s\n", PROG, o->out);
        return 1;
    }
    if (strcmp(o->format, "json") == 0) {
        ew_buf_init(&b, 64 << 20);
        rc = ew_assess_json(&b, c, in, sc, o->period) == EW_OK ? 0 : 1;
        if (rc == 0)
            fprintf(out, "%s\n", b.ptr);
        ew_buf_fini(&b);
    } else if (strcmp(o->format, "csv") == 0) {
        rc = print_csv(out, c, in, sc) == 0 ? 0 : 1;
    } else if (strcmp(o->format, "table") == 0) {
        print_table(c, in, sc, o->explain);
    } else {
        fprintf(stderr, "%s: --format is table, json, csv or xlsx\n", PROG);
        rc = 2;
    }
    if (out != stdout && fclose(out) != 0)
        rc = 1;
    return rc;
}

/* The scorecard file, or the one in the store. */
static char *
card_text(struct ew_store *s, const struct aopt *o)
{
    char *text = NULL;

    if (o->config != NULL)
        return slurp(o->config);
    return ew_store_ledger_kv_get(s, "scorecard", &text) == EW_OK ? text : NULL;
}

static int
run(struct ew_store *s, const struct aopt *o, struct ew_scorecard_cfg *cfg,
    struct ew_score_input *in, struct ew_scorecard *sc)
{
    char why[300] = "", *text = card_text(s, o), *values = NULL;
    int64_t from, to;
    int line = 0, rc;

    if (text == NULL) {
        fprintf(stderr, "%s: no scorecard: give --config or set [ledger] scorecard\n", PROG);
        return 1;
    }
    rc = ew_scorecard_parse(text, cfg, &line, why, sizeof(why));
    free(text);
    if (rc != EW_OK) {
        fprintf(stderr, "%s: scorecard: %s\n", PROG, why);
        return 1;
    }
    if (period_range(o->period, o->ytd, &from, &to) != 0) {
        fprintf(stderr, "%s: --period is YYYY-MM\n", PROG);
        return 2;
    }
    ew_score_input_init(in);
    if ((rc = ew_assess_gather(s, cfg, from, to, in)) != EW_OK) {
        fprintf(stderr, "%s: %s\n", PROG, ew_store_errmsg(s));
        return 1;
    }
    if (o->inputs != NULL && ((values = slurp(o->inputs)) == NULL ||
                              ew_assess_inputs_csv(cfg, values, in, &line, why, sizeof(why)) !=
                                  EW_OK)) {
        fprintf(stderr, "%s: %s: %s\n", PROG, o->inputs, values == NULL ? "cannot read" : why);
        free(values);
        return 1;
    }
    free(values);
    ew_scorecard_score(cfg, in, sc);
    return emit(o, cfg, in, sc);
}

int
ew_cmd_assess(int argc, char **argv)
{
    struct ew_scorecard_cfg *cfg = malloc(sizeof(*cfg));
    struct ew_score_input *in = malloc(sizeof(*in));
    struct ew_scorecard *sc = malloc(sizeof(*sc));
    struct ew_store_config scfg = { .flags = EW_STORE_RDONLY };
    struct ew_store *s = NULL;
    struct aopt o;
    char err[300];
    int rc = 1;

    if (cfg == NULL || in == NULL || sc == NULL) {
        fprintf(stderr, "%s: out of memory\n", PROG);
    } else if (parse(argc, argv, &o) != 0) {
        usage(stderr);
        rc = 2;
    } else if (ew_store_open_config(o.data, &scfg, &s, err, sizeof(err)) != EW_OK) {
        fprintf(stderr, "%s: %s: %s\n", PROG, o.data, err);
    } else {
        rc = run(s, &o, cfg, in, sc);
        ew_store_close(s);
    }
    free(cfg);
    free(in);
    free(sc);
    return rc;
}
