/* SPDX-License-Identifier: MIT */
/*
 * The lifecycle of an alarm: which moves an operator may make, opening and re-triggering from
 * the events of the detection rules, and the end of a condition. Every change also queues a
 * notice in the store's outbox, in the same transaction, so a webhook only ever hears of
 * committed changes. No I/O beyond the store handle it is given; no global state.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <envwatch/alarm.h>
#include <envwatch/err.h>

static const char *const state_names[] = {
    "",
#define X(name, str) str,
    EW_ALARM_STATES(X)
#undef X
};

/* The API's names of the rules (docs/api.md), indexed by enum ew_alarm_kind. */
static const char *const kind_labels[] = {
    [EW_ALARM_EXCEED] = "exceedance", [EW_ALARM_OFFLINE] = "offline",
    [EW_ALARM_CONSTANT] = "constant", [EW_ALARM_ZERO] = "zero-negative",
    [EW_ALARM_RANGE] = "out-of-range", [EW_ALARM_FAULT] = "flag", [EW_ALARM_MAINT] = "flag",
};

static const struct {
    const char *action;
    int         to;
} actions[] = {
    { "acknowledge", EW_ALARM_STATE_ACKNOWLEDGED },
    { "explain", EW_ALARM_STATE_EXPLAINED },
    { "close", EW_ALARM_STATE_CLOSED },
};

const char *
ew_alarm_state_name(int state)
{
    return state > 0 && (size_t)state < EW_ARRAY_LEN(state_names) ? state_names[state] : "";
}

int
ew_alarm_state_parse(const char *name, int *state)
{
    if (name == NULL || state == NULL)
        return EW_EINVAL;
    for (size_t i = 1; i < EW_ARRAY_LEN(state_names); i++) {
        if (strcmp(name, state_names[i]) == 0) {
            *state = (int)i;
            return EW_OK;
        }
    }
    return EW_ENOTFOUND;
}

const char *
ew_alarm_kind_label(int kind)
{
    if (kind <= 0 || (size_t)kind >= EW_ARRAY_LEN(kind_labels) || kind_labels[kind] == NULL)
        return "";
    return kind_labels[kind];
}

int
ew_alarm_kind_mask(const char *name, unsigned *mask)
{
    unsigned m = 0;
    int kind;

    if (name == NULL || mask == NULL)
        return EW_EINVAL;
    for (size_t k = 1; k < EW_ARRAY_LEN(kind_labels); k++)
        if (kind_labels[k] != NULL && strcmp(name, kind_labels[k]) == 0)
            m |= 1u << k;
    if (m == 0 && ew_alarm_kind_parse(name, &kind) == EW_OK)
        m = 1u << kind;
    if (m == 0)
        return EW_ENOTFOUND;
    *mask = m;
    return EW_OK;
}

int
ew_alarm_action_parse(const char *action, int *to_state)
{
    if (action == NULL || to_state == NULL)
        return EW_EINVAL;
    for (size_t i = 0; i < EW_ARRAY_LEN(actions); i++) {
        if (strcmp(action, actions[i].action) == 0) {
            *to_state = actions[i].to;
            return EW_OK;
        }
    }
    return EW_ENOTFOUND;
}

int
ew_alarm_move_allowed(int from, int to)
{
    /* The states are ordered: an alarm only moves forward, and any step may be skipped (an
     * operator can close a false alarm without an explanation). */
    return from >= EW_ALARM_STATE_OPEN && from < EW_ALARM_STATE_CLOSED && to > from &&
           to <= EW_ALARM_STATE_CLOSED;
}

const char *
ew_alarm_outcome_name(int outcome)
{
    switch (outcome) {
    case EW_ALARM_OPENED:
        return "opened";
    case EW_ALARM_RETRIGGERED:
        return "retriggered";
    case EW_ALARM_CLEARED:
        return "cleared";
    }
    return "";
}

int
ew_alarm_act(struct ew_store *s, int64_t id, int to_state, const char *by, const char *note,
             int64_t now_ms, struct ew_alarm *out)
{
    struct ew_alarm a;
    struct ew_alarm_step step = { to_state, by, now_ms, note };
    int rc;

    if (s == NULL || by == NULL || by[0] == '\0')
        return EW_EINVAL;
    /* 异常申报: an explanation without its cause says nothing. */
    if (to_state == EW_ALARM_STATE_EXPLAINED && (note == NULL || note[0] == '\0'))
        return EW_EINVAL;
    if ((rc = ew_store_alarm_get(s, id, &a)) != EW_OK)
        return rc;
    if (!ew_alarm_move_allowed(a.state, to_state))
        return EW_ESTATE;
    /* The store refuses the move if another writer moved the alarm since it was read. */
    if ((rc = ew_store_alarm_transition(s, id, a.state, &step)) != EW_OK)
        return rc;
    if ((rc = ew_store_alarm_notice_put(s, id, ew_alarm_state_name(to_state), now_ms)) != EW_OK)
        return rc;
    if (out != NULL)
        return ew_store_alarm_get(s, id, out);
    return EW_OK;
}

/* How far a value lies from a limit, relative to it: the measure of "worse" for peaks. */
static double
distance(double v, double limit)
{
    if (isnan(v))
        return -1;
    if (isnan(limit))
        return fabs(v);
    return limit > 0 ? fabs(v - limit) / limit : fabs(v - limit);
}

/* Whether e's peak is worse than the alarm's, for the kind of both. */
static int
worse_peak(const struct ew_alarm *a, const struct ew_alarm_event *e)
{
    if (isnan(e->peak))
        return 0;
    if (isnan(a->peak))
        return 1;
    switch (e->kind) {
    case EW_ALARM_ZERO:
        return e->peak < a->peak;               /* the lowest reading */
    case EW_ALARM_CONSTANT:
        return e->peak != a->peak;              /* the value it is stuck at now */
    default:
        return distance(e->peak, e->limit) > distance(a->peak, a->limit);
    }
}

static void
take_peak(struct ew_alarm *a, const struct ew_alarm_event *e)
{
    a->peak = e->peak;
    a->peak_unix_s = e->peak_unix_s;
    a->limit = e->limit;
    a->multiple = e->multiple;
}

static int
notify(struct ew_store *s, const struct ew_alarm *a, int outcome, int64_t now_ms, int *out_oc,
       struct ew_alarm *out)
{
    int rc = EW_OK;

    if (outcome != EW_ALARM_UNCHANGED)
        rc = ew_store_alarm_notice_put(s, a->id, ew_alarm_outcome_name(outcome), now_ms);
    if (rc != EW_OK)
        return rc;
    *out_oc = outcome;
    if (out != NULL)
        *out = *a;
    return EW_OK;
}

static int
open_new(struct ew_store *s, int64_t point_id, const char *factor,
         const struct ew_alarm_event *e, int64_t now_ms, int *outcome, struct ew_alarm *out)
{
    struct ew_alarm a = { .point_id = point_id, .kind = e->kind, .active = 1,
                          .start_unix_s = e->start_unix_s, .count = 1, .opened_ms = now_ms,
                          .last_seen_ms = now_ms };
    struct ew_alarm_step first = { EW_ALARM_STATE_OPEN, "system", now_ms, "" };
    int rc;

    snprintf(a.factor, sizeof(a.factor), "%s", factor);
    /* An offline condition lasts until data resume: its end stays 0 until then. */
    a.end_unix_s = e->kind == EW_ALARM_OFFLINE ? 0 : e->end_unix_s;
    take_peak(&a, e);
    if ((rc = ew_store_alarm_open(s, &a, &first)) != EW_OK)
        return rc;
    if ((rc = ew_store_alarm_get(s, a.id, &a)) != EW_OK)
        return rc;
    return notify(s, &a, EW_ALARM_OPENED, now_ms, outcome, out);
}

/* Folds period e into the live alarm a; returns the outcome. */
static int
fold(struct ew_alarm *a, const struct ew_alarm_event *e, int64_t now_ms)
{
    if (e->kind == EW_ALARM_OFFLINE) {
        if (a->active)
            return EW_ALARM_UNCHANGED;          /* the same episode */
        a->end_unix_s = 0;
    } else if (e->start_unix_s >= a->start_unix_s && e->end_unix_s <= a->end_unix_s) {
        return EW_ALARM_UNCHANGED;              /* counted already */
    } else {
        if (e->start_unix_s < a->start_unix_s)
            a->start_unix_s = e->start_unix_s;  /* a late, earlier period */
        if (e->end_unix_s > a->end_unix_s)
            a->end_unix_s = e->end_unix_s;
    }
    if (worse_peak(a, e))
        take_peak(a, e);
    a->active = 1;
    a->count++;
    a->last_seen_ms = now_ms;
    return EW_ALARM_RETRIGGERED;
}

int
ew_alarm_trigger(struct ew_store *s, int64_t point_id, const char *factor,
                 const struct ew_alarm_event *e, int64_t now_ms, int *outcome,
                 struct ew_alarm *out)
{
    struct ew_alarm a;
    int rc, oc;

    if (s == NULL || factor == NULL || e == NULL || outcome == NULL)
        return EW_EINVAL;
    rc = ew_store_alarm_find(s, point_id, e->kind, factor, &a);
    if (rc == EW_ENOTFOUND)
        return open_new(s, point_id, factor, e, now_ms, outcome, out);
    if (rc != EW_OK)
        return rc;
    if ((oc = fold(&a, e, now_ms)) != EW_ALARM_UNCHANGED &&
        (rc = ew_store_alarm_update(s, &a)) != EW_OK)
        return rc;
    return notify(s, &a, oc, now_ms, outcome, out);
}

int
ew_alarm_clear(struct ew_store *s, int64_t point_id, int kind, const char *factor,
               int64_t at_unix_s, int64_t now_ms, int *outcome, struct ew_alarm *out)
{
    struct ew_alarm a;
    int rc, oc = EW_ALARM_UNCHANGED;

    if (s == NULL || factor == NULL || outcome == NULL)
        return EW_EINVAL;
    rc = ew_store_alarm_find(s, point_id, kind, factor, &a);
    if (rc == EW_ENOTFOUND) {
        *outcome = EW_ALARM_UNCHANGED;
        return EW_OK;
    }
    if (rc != EW_OK)
        return rc;
    /* A compliant period older than the condition's end says nothing about now. */
    if (a.active && (kind == EW_ALARM_OFFLINE || at_unix_s >= a.end_unix_s)) {
        a.active = 0;
        if (kind == EW_ALARM_OFFLINE)
            a.end_unix_s = at_unix_s;
        if ((rc = ew_store_alarm_update(s, &a)) != EW_OK)
            return rc;
        oc = EW_ALARM_CLEARED;
    }
    return notify(s, &a, oc, now_ms, outcome, out);
}
