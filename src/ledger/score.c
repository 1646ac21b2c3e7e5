/* SPDX-License-Identifier: MIT */
/*
 * The scorecard: its configuration (INI through inih, one section per indicator) and the
 * pure scoring rules. No national formula for county assessment exists to copy: weights,
 * targets and rules are the bureau's (考核办法), so all of them are configuration, and every
 * point keeps the arithmetic that produced it.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include <envwatch/assess.h>
#include <envwatch/err.h>

#include "ledger/internal.h"

static const char *const rule_names[] = { "", "linear", "target", "rank", "deduct", "rate" };

struct parse {
    struct ew_scorecard_cfg *c;
    char   *why;
    size_t  len;
    int     failed;
};

static int
name_ok(const char *s)
{
    size_t n = strlen(s);

    return n > 0 && n < 32 && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

static int
num(const char *v, double *out)
{
    char *e;
    double d = strtod(v, &e);

    if (e == v || *e != '\0' || !isfinite(d))
        return 0;
    *out = d;
    return 1;
}

static int
fail(struct parse *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
fail(struct parse *p, const char *fmt, ...)
{
    va_list ap;

    if (p->why != NULL && p->len > 0) {
        va_start(ap, fmt);
        vsnprintf(p->why, p->len, fmt, ap);
        va_end(ap);
    }
    p->failed = 1;
    return 0;
}

/* The length of the next unit name: up to ',' or the full-width '，'. */
static size_t
unit_len(const char *v)
{
    size_t n = 0;

    while (v[n] != '\0' && v[n] != ',' && strncmp(v + n, "，", 3) != 0)
        n++;
    return n;
}

static int
add_units(struct parse *p, const char *v)
{
    while (*v != '\0') {
        size_t n = unit_len(v);
        while (n > 0 && *v == ' ') {
            v++;
            n--;
        }
        if (n > 0) {
            if (p->c->n_units == EW_SCORE_MAX_UNITS || n >= sizeof(p->c->units[0]))
                return fail(p, "units: too many or too long");
            memcpy(p->c->units[p->c->n_units], v, n);
            p->c->units[p->c->n_units++][n] = '\0';
        }
        v += n;
        v += strncmp(v, "，", 3) == 0 ? 3 : *v == ',' ? 1 : 0;
    }
    return 1;
}

static int
card_key(struct parse *p, const char *key, const char *v)
{
    if (strcmp(key, "name") == 0) {
        ew__ledger_copy(p->c->name, sizeof(p->c->name), v);
    } else if (strcmp(key, "scope") == 0) {
        if (strcmp(v, "county") != 0 && strcmp(v, "department") != 0)
            return fail(p, "scope: '%s' is not county or department%s", v, "");
        p->c->departments = strcmp(v, "department") == 0;
    } else if (strcmp(key, "units") == 0) {
        return add_units(p, v);
    } else {
        return fail(p, "[scorecard] %s: unknown key%s", key, "");
    }
    return 1;
}

static struct ew_score_indicator *
indicator(struct parse *p, const char *section)
{
    struct ew_score_indicator *ind;

    for (size_t i = 0; i < p->c->n_ind; i++)
        if (strcmp(p->c->ind[i].name, section) == 0)
            return &p->c->ind[i];
    if (!name_ok(section) || p->c->n_ind == EW_SCORE_MAX_IND) {
        fail(p, "[%s]: an indicator is named with a-z 0-9 _ (at most %d)", section,
             EW_SCORE_MAX_IND);
        return NULL;
    }
    ind = &p->c->ind[p->c->n_ind++];
    memset(ind, 0, sizeof(*ind));
    ew__ledger_copy(ind->name, sizeof(ind->name), section);
    ew__ledger_copy(ind->key, sizeof(ind->key), section);
    ind->best = ind->worst = ind->target = ind->per = ind->floor = NAN;
    return ind;
}

static int
target_key(struct parse *p, const char *section, const char *unit, const char *v)
{
    struct ew_score_target *t;

    if (p->c->n_targets == EW_SCORE_MAX_TARGETS)
        return fail(p, "too many unit targets");
    t = &p->c->targets[p->c->n_targets++];
    ew__ledger_copy(t->unit, sizeof(t->unit), unit);
    ew__ledger_copy(t->name, sizeof(t->name), section);
    if (!num(v, &t->value))
        return fail(p, "target.%s: '%s' is not a number", unit, v);
    return 1;
}

static int
ind_key(struct parse *p, struct ew_score_indicator *ind, const char *key, const char *v)
{
    double *field = NULL;

    if (strcmp(key, "label") == 0) {
        ew__ledger_copy(ind->label, sizeof(ind->label), v);
        return 1;
    }
    if (strcmp(key, "value") == 0) {
        if (!name_ok(v))
            return fail(p, "value: '%s' is not a value key%s", v, "");
        ew__ledger_copy(ind->key, sizeof(ind->key), v);
        return 1;
    }
    if (strcmp(key, "rule") == 0) {
        for (int r = 1; r < (int)EW_ARRAY_LEN(rule_names); r++)
            if (strcmp(v, rule_names[r]) == 0)
                ind->rule = r;
        return ind->rule != 0 ? 1 : fail(p, "rule: '%s' is not linear, target, rank, deduct "
                                         "or rate%s", v, "");
    }
    if (strcmp(key, "direction") == 0) {
        if (strcmp(v, "higher") != 0 && strcmp(v, "lower") != 0)
            return fail(p, "direction: '%s' is not higher or lower%s", v, "");
        ind->higher_better = strcmp(v, "higher") == 0;
        return 1;
    }
    if (strncmp(key, "target.", 7) == 0)
        return target_key(p, ind->name, key + 7, v);
    if (strcmp(key, "weight") == 0)
        field = &ind->weight;
    else if (strcmp(key, "best") == 0)
        field = &ind->best;
    else if (strcmp(key, "worst") == 0)
        field = &ind->worst;
    else if (strcmp(key, "target") == 0)
        field = &ind->target;
    else if (strcmp(key, "per") == 0)
        field = &ind->per;
    else if (strcmp(key, "floor") == 0)
        field = &ind->floor;
    if (field == NULL)
        return fail(p, "%s: unknown key%s", key, "");
    return num(v, field) ? 1 : fail(p, "%s: '%s' is not a number", key, v);
}

static int
on_ini(void *user, const char *section, const char *key, const char *v)
{
    struct parse *p = user;
    struct ew_score_indicator *ind;

    if (p->failed)
        return 0;
    if (strcmp(section, "scorecard") == 0)
        return card_key(p, key, v);
    if ((ind = indicator(p, section)) == NULL)
        return 0;
    return ind_key(p, ind, key, v);
}

/* What each rule needs, once the file is read. */
static int
check(const struct ew_scorecard_cfg *c, char *why, size_t len)
{
    if (c->n_units == 0 || c->n_ind == 0)
        return ew__ledger_say(why, len, EW_EINVAL, "a scorecard needs units and indicators");
    for (size_t i = 0; i < c->n_ind; i++) {
        const struct ew_score_indicator *d = &c->ind[i];
        const char *miss = NULL;
        if (!(d->weight > 0))
            miss = "a positive weight";
        else if (d->rule == 0)
            miss = "a rule";
        else if (d->rule == EW_SCORE_LINEAR && (isnan(d->best) || isnan(d->worst) ||
                                                d->best == d->worst))
            miss = "best and worst (different)";
        else if (d->rule == EW_SCORE_TARGET && (isnan(d->per) || d->per < 0))
            miss = "per (points per unit of shortfall)";
        else if (d->rule == EW_SCORE_DEDUCT && (isnan(d->per) || d->per < 0))
            miss = "per (points per count)";
        if (miss != NULL)
            return ew__ledger_say(why, len, EW_EINVAL, "[%s] needs %s", d->name, miss);
    }
    for (size_t t = 0; t < c->n_targets; t++) {
        int found = 0;
        for (size_t u = 0; u < c->n_units; u++)
            found |= strcmp(c->units[u], c->targets[t].unit) == 0;
        if (!found)
            return ew__ledger_say(why, len, EW_EINVAL, "[%s] target.%s: not one of the units",
                                  c->targets[t].name, c->targets[t].unit);
    }
    return EW_OK;
}

int
ew_scorecard_parse(const char *text, struct ew_scorecard_cfg *out, int *line, char *why,
                   size_t len)
{
    struct ew_scorecard_cfg *c = calloc(1, sizeof(*c));
    struct parse p = { c, why, len, 0 };
    int rc;

    if (c == NULL)
        return EW_ENOMEM;
    rc = ini_parse_string(text, on_ini, &p);
    if (rc != 0) {
        if (line != NULL)
            *line = rc;
        if (!p.failed)
            ew__ledger_say(why, len, 0, "line %d: not a 'key = value' line", rc);
        free(c);
        return EW_EFORMAT;
    }
    if ((rc = check(c, why, len)) == EW_OK)
        *out = *c;
    free(c);
    return rc;
}

/* ---- inputs ---------------------------------------------------------------------------- */

void
ew_score_input_init(struct ew_score_input *in)
{
    in->n_keys = 0;
}

static int
key_index(const struct ew_score_input *in, const char *key)
{
    for (size_t k = 0; k < in->n_keys; k++)
        if (strcmp(in->keys[k], key) == 0)
            return (int)k;
    return -1;
}

int
ew_score_input_set(struct ew_score_input *in, size_t unit, const char *key, double value,
                   const char *basis)
{
    int k = key_index(in, key);

    if (unit >= EW_SCORE_MAX_UNITS || !name_ok(key))
        return EW_EINVAL;
    if (k < 0) {
        if (in->n_keys == EW_SCORE_MAX_KEYS)
            return EW_ETOOBIG;
        k = (int)in->n_keys++;
        ew__ledger_copy(in->keys[k], sizeof(in->keys[k]), key);
        for (size_t u = 0; u < EW_SCORE_MAX_UNITS; u++) {
            in->v[u][k].value = NAN;
            in->v[u][k].basis[0] = '\0';
        }
    }
    in->v[unit][k].value = value;
    ew__ledger_copy(in->v[unit][k].basis, sizeof(in->v[unit][k].basis), basis);
    return EW_OK;
}

const struct ew_score_value *
ew_score_input_get(const struct ew_score_input *in, size_t unit, const char *key)
{
    int k = key_index(in, key);

    return k < 0 || unit >= EW_SCORE_MAX_UNITS ? NULL : &in->v[unit][k];
}

/* ---- scoring --------------------------------------------------------------------------- */

static double
unit_target(const struct ew_scorecard_cfg *c, const struct ew_score_indicator *d, size_t u)
{
    for (size_t t = 0; t < c->n_targets; t++)
        if (strcmp(c->targets[t].name, d->name) == 0 && strcmp(c->targets[t].unit, c->units[u]) == 0)
            return c->targets[t].value;
    return d->target;
}

static double
clamp(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

/* Competition ranking ("1224") of the units with a value, best first. */
static void
ranks(const struct ew_score_cell *col, size_t stride, size_t n, int higher, int *rank, int *n_ranked)
{
    int count = 0;

    for (size_t u = 0; u < n; u++) {
        double v = col[u * stride].value;
        rank[u] = 0;
        if (isnan(v))
            continue;
        count++;
        rank[u] = 1;
        for (size_t w = 0; w < n; w++) {
            double x = col[w * stride].value;
            if (!isnan(x) && (higher ? x > v : x < v))
                rank[u]++;
        }
    }
    *n_ranked = count;
}

static void
score_cell(const struct ew_scorecard_cfg *c, const struct ew_score_indicator *d, size_t u,
           int rank, int n_ranked, struct ew_score_cell *cell)
{
    double v = cell->value, w = d->weight, t, gap;

    cell->target = NAN;
    cell->rank = 0;
    if (isnan(v)) {
        cell->points = 0;
        snprintf(cell->how, sizeof(cell->how), "no data: 0");
        return;
    }
    switch (d->rule) {
    case EW_SCORE_LINEAR:
        cell->points = w * clamp((v - d->worst) / (d->best - d->worst), 0, 1);
        snprintf(cell->how, sizeof(cell->how), "%g x (%g - %g) / (%g - %g), in [0, %g] = %.2f",
                 w, v, d->worst, d->best, d->worst, w, cell->points);
        break;
    case EW_SCORE_TARGET:
        t = cell->target = unit_target(c, d, u);
        gap = isnan(t) ? 0 : d->higher_better ? fmax(0, t - v) : fmax(0, v - t);
        cell->points = fmax(0, w - d->per * gap);
        snprintf(cell->how, sizeof(cell->how), "%g - %g x %g (shortfall against %g), >= 0 = %.2f",
                 w, d->per, gap, t, cell->points);
        break;
    case EW_SCORE_RANK:
        cell->rank = rank;
        cell->points = n_ranked <= 1 ? w : w * (n_ranked - rank) / (n_ranked - 1);
        snprintf(cell->how, sizeof(cell->how), "%g x (%d - %d) / (%d - 1) = %.2f", w, n_ranked,
                 rank, n_ranked, cell->points);
        break;
    case EW_SCORE_DEDUCT:
        cell->points = fmax(0, w - d->per * v);
        snprintf(cell->how, sizeof(cell->how), "%g - %g x %g, >= 0 = %.2f", w, d->per, v,
                 cell->points);
        break;
    case EW_SCORE_RATE:
        cell->points = !isnan(d->floor) && v < d->floor ? 0 : w * clamp(v, 0, 100) / 100;
        snprintf(cell->how, sizeof(cell->how), "%g x %g / 100%s = %.2f", w, v,
                 !isnan(d->floor) && v < d->floor ? " (under the floor: 0)" : "", cell->points);
        break;
    }
}

int
ew_scorecard_score(const struct ew_scorecard_cfg *c, const struct ew_score_input *in,
                   struct ew_scorecard *out)
{
    int rank[EW_SCORE_MAX_UNITS], n_ranked;

    if (c == NULL || in == NULL || out == NULL || c->n_units > EW_SCORE_MAX_UNITS ||
        c->n_ind > EW_SCORE_MAX_IND)
        return EW_EINVAL;
    out->n_units = c->n_units;
    out->n_ind = c->n_ind;
    for (size_t i = 0; i < c->n_ind; i++) {
        const struct ew_score_indicator *d = &c->ind[i];
        for (size_t u = 0; u < c->n_units; u++) {
            const struct ew_score_value *v = ew_score_input_get(in, u, d->key);
            out->cell[u][i].value = v != NULL ? v->value : NAN;
        }
        ranks(&out->cell[0][i], EW_SCORE_MAX_IND, c->n_units, d->higher_better, rank,
              &n_ranked);
        for (size_t u = 0; u < c->n_units; u++)
            score_cell(c, d, u, rank[u], n_ranked, &out->cell[u][i]);
    }
    for (size_t u = 0; u < c->n_units; u++) {
        out->total[u] = 0;
        for (size_t i = 0; i < c->n_ind; i++)
            out->total[u] += out->cell[u][i].points;
    }
    for (size_t u = 0; u < c->n_units; u++) {
        out->rank[u] = 1;
        for (size_t w = 0; w < c->n_units; w++)
            out->rank[u] += out->total[w] > out->total[u] + 1e-9;
    }
    return EW_OK;
}
