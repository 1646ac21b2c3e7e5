/* SPDX-License-Identifier: MIT */
/*
 * Heavy-pollution weather alert levels (重污染天气预警, reference/air.md §6): configurable
 * rules per colour, the level an outlook of observed and forecast daily AQI calls for, and a
 * state machine that turns successive evaluations into start, raise, lower and end events.
 * Pure functions over caller-owned state; storing and showing the events is the daemon's.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <envwatch/air.h>
#include <envwatch/err.h>

static const char *const level_names[EW_ALERT_NLEVELS] = {
    "none", "blue", "yellow", "orange", "red",
};
static const char *const level_names_zh[EW_ALERT_NLEVELS] = {
    "无", "蓝色预警", "黄色预警", "橙色预警", "红色预警",
};
static const char *const event_names[] = { "none", "start", "raise", "lower", "end" };

const char *
ew_air_alert_level_name(int level)
{
    return level >= 0 && level < EW_ALERT_NLEVELS ? level_names[level] : NULL;
}

const char *
ew_air_alert_level_name_zh(int level)
{
    return level >= 0 && level < EW_ALERT_NLEVELS ? level_names_zh[level] : NULL;
}

const char *
ew_air_alert_event_name(int kind)
{
    return kind >= 0 && kind < (int)EW_ARRAY_LEN(event_names) ? event_names[kind] : NULL;
}

static void
set_clause(struct ew_air_alert_clause *c, int days1, int above1, int days2, int above2)
{
    *c = (struct ew_air_alert_clause){ .n_terms = days2 > 0 ? 2 : 1 };
    c->terms[0] = (struct ew_air_alert_term){ .aqi_above = above1, .days_min = days1 };
    c->terms[1] = (struct ew_air_alert_term){ .aqi_above = above2, .days_min = days2 };
}

void
ew_air_alert_cfg_national(struct ew_air_alert_cfg *cfg)
{
    *cfg = (struct ew_air_alert_cfg){ .episode_aqi_above = 200 };
    /* MEP 2017-09-20 template, forecast daily AQI (reference/air.md §6 [src]). */
    set_clause(&cfg->rule[EW_ALERT_BLUE].clauses[0], 1, 200, 0, 0);
    set_clause(&cfg->rule[EW_ALERT_YELLOW].clauses[0], 2, 200, 0, 0);
    set_clause(&cfg->rule[EW_ALERT_ORANGE].clauses[0], 3, 200, 1, 300);
    set_clause(&cfg->rule[EW_ALERT_RED].clauses[0], 4, 200, 2, 300);
    set_clause(&cfg->rule[EW_ALERT_RED].clauses[1], 1, 499, 0, 0);    /* AQI reaching 500 */
    cfg->rule[EW_ALERT_BLUE].n_clauses = 1;
    cfg->rule[EW_ALERT_YELLOW].n_clauses = 1;
    cfg->rule[EW_ALERT_ORANGE].n_clauses = 1;
    cfg->rule[EW_ALERT_RED].n_clauses = 2;
    /* [M] "too short a gap" is not quantified in the template: one clean day by default. */
    cfg->merge_gap_days = 1;
    /* [M] Taiyuan 2019: lift when the improvement is forecast to last > 36 h, i.e. 2 days. */
    cfg->lift_days = 2;
}

/* Parses a decimal integer in [lo, hi] at *s, advancing *s. */
static int
parse_int(const char **s, long lo, long hi, int *out)
{
    char *end;
    long v;

    while (isspace((unsigned char)**s))
        (*s)++;
    if (!isdigit((unsigned char)**s))
        return EW_EFORMAT;
    errno = 0;
    v = strtol(*s, &end, 10);
    if (errno != 0 || v < lo || v > hi)
        return EW_EFORMAT;
    *s = end;
    while (isspace((unsigned char)**s))
        (*s)++;
    *out = (int)v;
    return EW_OK;
}

/* One term "<days>x<aqi>". */
static int
parse_term(const char **s, struct ew_air_alert_term *t)
{
    int rc;

    if ((rc = parse_int(s, 1, 366, &t->days_min)) != EW_OK)
        return rc;
    if (**s != 'x' && **s != 'X')
        return EW_EFORMAT;
    (*s)++;
    return parse_int(s, 0, 500, &t->aqi_above);
}

static int
parse_clause(const char **s, struct ew_air_alert_clause *c)
{
    int rc;

    c->n_terms = 0;
    for (;;) {
        if (c->n_terms == EW_ALERT_MAX_TERMS)
            return EW_ETOOBIG;
        if ((rc = parse_term(s, &c->terms[c->n_terms])) != EW_OK)
            return rc;
        c->n_terms++;
        if (**s != '&')
            return EW_OK;
        (*s)++;
    }
}

int
ew_air_alert_rule_parse(const char *spec, struct ew_air_alert_rule *out)
{
    struct ew_air_alert_rule r = { .n_clauses = 0 };
    const char *s = spec;
    int rc;

    if (spec == NULL || out == NULL)
        return EW_EINVAL;
    while (isspace((unsigned char)*s))
        s++;
    if (*s == '\0' || strcmp(s, "off") == 0) {
        *out = r;
        return EW_OK;
    }
    for (;;) {
        if (r.n_clauses == EW_ALERT_MAX_CLAUSES)
            return EW_ETOOBIG;
        if ((rc = parse_clause(&s, &r.clauses[r.n_clauses])) != EW_OK)
            return rc;
        r.n_clauses++;
        if (*s == '\0')
            break;
        if (*s != '|')
            return EW_EFORMAT;
        s++;
    }
    *out = r;
    return EW_OK;
}

static int
in_episode(const struct ew_air_alert_cfg *cfg, int aqi)
{
    return aqi > cfg->episode_aqi_above;
}

/* Does the rule hold for the episode aqi[s..e]? */
static int
rule_holds(const struct ew_air_alert_rule *r, const int *aqi, size_t s, size_t e)
{
    for (int c = 0; c < r->n_clauses; c++) {
        const struct ew_air_alert_clause *cl = &r->clauses[c];
        int all = cl->n_terms > 0;
        for (int t = 0; t < cl->n_terms && all; t++) {
            int days = 0;
            for (size_t i = s; i <= e; i++)
                days += aqi[i] > cl->terms[t].aqi_above;
            all = days >= cl->terms[t].days_min;
        }
        if (all)
            return 1;
    }
    return 0;
}

/* The end of the episode starting at s: runs joined across gaps of <= merge_gap_days. */
static size_t
episode_end(const struct ew_air_alert_cfg *cfg, const int *aqi, size_t n, size_t s)
{
    size_t e = s, i = s + 1;

    while (i < n) {
        if (in_episode(cfg, aqi[i])) {
            e = i++;
            continue;
        }
        if ((int)(i - e) > cfg->merge_gap_days)
            break;
        i++;
    }
    return e;
}

static int
check_cfg(const struct ew_air_alert_cfg *cfg)
{
    if (cfg == NULL || cfg->merge_gap_days < 0 || cfg->lift_days < 0 ||
        cfg->episode_aqi_above < 0)
        return EW_EINVAL;
    for (int l = 0; l < EW_ALERT_NLEVELS; l++)
        if (cfg->rule[l].n_clauses < 0 || cfg->rule[l].n_clauses > EW_ALERT_MAX_CLAUSES)
            return EW_EINVAL;
    return EW_OK;
}

int
ew_air_alert_level(const struct ew_air_alert_cfg *cfg, const struct ew_air_alert_outlook *o,
                   int *level)
{
    size_t i = 0, e;
    int best = EW_ALERT_NONE;

    if (check_cfg(cfg) != EW_OK || o == NULL || level == NULL || o->aqi == NULL ||
        o->today >= o->n)
        return EW_EINVAL;
    while (i < o->n) {
        if (!in_episode(cfg, o->aqi[i])) {
            i++;
            continue;
        }
        e = episode_end(cfg, o->aqi, o->n, i);
        /* Only episodes that reach the current day or start later decide the level. */
        for (int l = EW_ALERT_NLEVELS - 1; e >= o->today && l > best; l--)
            if (rule_holds(&cfg->rule[l], o->aqi, i, e))
                best = l;
        i = e + 1;
    }
    *level = best;
    return EW_OK;
}

/* The lift window: lift_days known days at or below the episode threshold, ending at the
 * last known day no later than today + lift_days - 1. */
static int
lift_clear(const struct ew_air_alert_cfg *cfg, const struct ew_air_alert_outlook *o)
{
    size_t end = o->today + (size_t)cfg->lift_days - 1, start;

    if (cfg->lift_days == 0)
        return 1;
    if (end >= o->n)
        end = o->n - 1;
    if (end + 1 < (size_t)cfg->lift_days)
        return 0;
    start = end + 1 - (size_t)cfg->lift_days;
    for (size_t i = start; i <= end; i++)
        if (o->aqi[i] < 0 || in_episode(cfg, o->aqi[i]))
            return 0;
    return 1;
}

int
ew_air_alert_step(const struct ew_air_alert_cfg *cfg, struct ew_air_alert_state *st,
                  int64_t t_unix_s, const struct ew_air_alert_outlook *o,
                  struct ew_air_alert_event *ev)
{
    struct ew_air_alert_event e = { .kind = EW_ALERT_EV_NONE, .t_unix_s = t_unix_s };
    int level, rc;

    if (st == NULL || ev == NULL || st->level < 0 || st->level >= EW_ALERT_NLEVELS)
        return EW_EINVAL;
    if ((rc = ew_air_alert_level(cfg, o, &level)) != EW_OK)
        return rc;
    e.from_level = e.to_level = st->level;
    if (level > st->level)
        e.kind = st->level == EW_ALERT_NONE ? EW_ALERT_EV_START : EW_ALERT_EV_RAISE;
    else if (level < st->level && lift_clear(cfg, o))
        e.kind = level == EW_ALERT_NONE ? EW_ALERT_EV_END : EW_ALERT_EV_LOWER;
    if (e.kind != EW_ALERT_EV_NONE) {
        e.to_level = level;
        st->level = level;
        st->since_unix_s = level == EW_ALERT_NONE ? 0 : t_unix_s;
    }
    *ev = e;
    return EW_OK;
}
