/* SPDX-License-Identifier: MIT */
/*
 * The ledger's vocabulary: kind, state and role names with their Chinese labels, the
 * defaults of the workflow numbers, and the fields each kind requires. Pure functions over
 * constant tables.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <envwatch/err.h>
#include <envwatch/ledger.h>

#include "ledger/internal.h"

static const struct {
    const char *name, *zh;
} kinds[] = {
    { "", "" },
#define X(n, s, zh) { s, zh },
    EW_LEDGER_KINDS(X)
#undef X
};

static const struct {
    const char *name, *zh;
} states[] = {
    { "", "" },
#define X(n, s, zh) { s, zh },
    EW_LEDGER_STATES(X)
#undef X
};

static const char *const roles[] = {
#define X(n, s) s,
    EW_LEDGER_ROLES(X)
#undef X
};

/* What each kind calls its own states where the shared label does not fit. */
static const struct {
    int kind, state;
    const char *zh;
} kind_labels[] = {
    { EW_LEDGER_TASK, EW_LEDGER_ST_IN_PROGRESS, "推进中" },
    { EW_LEDGER_TASK, EW_LEDGER_ST_CLOSED, "已完成" },
    { EW_LEDGER_RECTIFY, EW_LEDGER_ST_CLOSED, "已销号" },
    { EW_LEDGER_COMPLAINT, EW_LEDGER_ST_CLOSED, "归档" },
    { EW_LEDGER_CASE, EW_LEDGER_ST_REGISTERED, "线索登记" },
    { EW_LEDGER_CASE, EW_LEDGER_ST_CLOSED, "结案" },
    { EW_LEDGER_RIVER, EW_LEDGER_ST_HANDLING, "处理中" },
    { EW_LEDGER_RIVER, EW_LEDGER_ST_RETURNED, "退回" },
    { EW_LEDGER_RIVER, EW_LEDGER_ST_CLOSED, "已核销" },
};

/* The states each kind uses, as bit masks of 1 << state. */
#define B(s) (1ULL << EW_LEDGER_ST_##s)
static const uint64_t kind_states[EW_LEDGER_KIND_COUNT] = {
    [EW_LEDGER_TASK] = B(NOT_STARTED) | B(IN_PROGRESS) | B(SUBMITTED) | B(CLOSED) |
                       B(RETURNED) | B(LONG_TERM),
    [EW_LEDGER_RECTIFY] = B(NOT_STARTED) | B(IN_PROGRESS) | B(SUBMITTED) | B(ACCEPTED) |
                          B(PUBLICITY) | B(CLOSED) | B(RETURNED) | B(LONG_TERM) | B(REBOUNDED),
    [EW_LEDGER_COMPLAINT] = B(REGISTERED) | B(ADMITTED) | B(REJECTED) | B(DUPLICATE) |
                            B(ASSIGNED) | B(HANDLING) | B(REVIEWING) | B(REPLIED) | B(CLOSED),
    [EW_LEDGER_CASE] = B(REGISTERED) | B(FILED) | B(INVESTIGATING) | B(DECIDED) |
                       B(EXECUTING) | B(CLOSED) | B(DISMISSED),
    [EW_LEDGER_RIVER] = B(REPORTED) | B(DISPATCHED) | B(HANDLING) | B(VERIFYING) |
                        B(CLOSED) | B(RETURNED),
};

/* Final states: the item is closed (closed_unix_s set). */
static const uint64_t final_states = B(CLOSED) | B(REJECTED) | B(DUPLICATE) | B(DISMISSED);

/* States where the responsible unit has done its part: the deadline no longer runs. A
 * long-term rectification item (长期坚持) is never closed but has no deadline to miss. */
static const uint64_t stopped_states[EW_LEDGER_KIND_COUNT] = {
    [EW_LEDGER_TASK] = B(SUBMITTED) | B(CLOSED) | B(LONG_TERM),
    [EW_LEDGER_RECTIFY] = B(SUBMITTED) | B(ACCEPTED) | B(PUBLICITY) | B(CLOSED) | B(LONG_TERM),
    [EW_LEDGER_COMPLAINT] = B(REPLIED) | B(CLOSED) | B(REJECTED) | B(DUPLICATE),
    [EW_LEDGER_CASE] = B(CLOSED) | B(DISMISSED),
    [EW_LEDGER_RIVER] = B(VERIFYING) | B(CLOSED),
};
#undef B

static int
kind_ok(int kind)
{
    return kind > EW_LEDGER_KIND_NONE && kind < EW_LEDGER_KIND_COUNT;
}

static int
state_ok(int state)
{
    return state > EW_LEDGER_STATE_NONE && state < EW_LEDGER_STATE_COUNT;
}

const char *
ew_ledger_kind_name(int kind)
{
    return kind_ok(kind) ? kinds[kind].name : "";
}

const char *
ew_ledger_kind_label(int kind)
{
    return kind_ok(kind) ? kinds[kind].zh : "";
}

const char *
ew_ledger_state_name(int state)
{
    return state_ok(state) ? states[state].name : "";
}

const char *
ew_ledger_state_label(int kind, int state)
{
    if (!state_ok(state))
        return "";
    for (size_t i = 0; i < EW_ARRAY_LEN(kind_labels); i++)
        if (kind_labels[i].kind == kind && kind_labels[i].state == state)
            return kind_labels[i].zh;
    return states[state].zh;
}

int
ew_ledger_kind_parse(const char *s, int *kind)
{
    if (s == NULL)
        return EW_EINVAL;
    for (int k = 1; k < EW_LEDGER_KIND_COUNT; k++) {
        if (strcmp(s, kinds[k].name) == 0 || strcmp(s, kinds[k].zh) == 0) {
            *kind = k;
            return EW_OK;
        }
    }
    return EW_EINVAL;
}

int
ew_ledger_state_parse(int kind, const char *s, int *state)
{
    if (s == NULL || !kind_ok(kind))
        return EW_EINVAL;
    for (int st = 1; st < EW_LEDGER_STATE_COUNT; st++) {
        if (!ew_ledger_state_of_kind(kind, st))
            continue;
        if (strcmp(s, states[st].name) == 0 || strcmp(s, states[st].zh) == 0 ||
            strcmp(s, ew_ledger_state_label(kind, st)) == 0) {
            *state = st;
            return EW_OK;
        }
    }
    return EW_EINVAL;
}

int
ew_ledger_role_valid(const char *role)
{
    for (size_t i = 0; role != NULL && i < EW_ARRAY_LEN(roles); i++)
        if (strcmp(role, roles[i]) == 0)
            return 1;
    return 0;
}

int
ew_ledger_state_of_kind(int kind, int state)
{
    return kind_ok(kind) && state_ok(state) && (kind_states[kind] >> state & 1) != 0;
}

int
ew_ledger_state_final(int kind, int state)
{
    return ew_ledger_state_of_kind(kind, state) && (final_states >> state & 1) != 0;
}

int
ew__ledger_state_stops_clock(int kind, int state)
{
    return ew_ledger_state_of_kind(kind, state) && (stopped_states[kind] >> state & 1) != 0;
}

int
ew__ledger_first_state(int kind)
{
    switch (kind) {
    case EW_LEDGER_TASK:
    case EW_LEDGER_RECTIFY:
        return EW_LEDGER_ST_NOT_STARTED;
    case EW_LEDGER_COMPLAINT:
    case EW_LEDGER_CASE:
        return EW_LEDGER_ST_REGISTERED;
    case EW_LEDGER_RIVER:
        return EW_LEDGER_ST_REPORTED;
    }
    return EW_LEDGER_STATE_NONE;
}

/* The defaults of the workflow numbers (docs/ledger.md, "Deadlines"). */
static const struct ew_ledger_rules default_rules = {
    /* 环境保护部令第15号 (standards.md 7.3): 15 days to decide on acceptance, 60 to close,
     * one extension of at most 30. Calendar days: the decree counts 日 [M: that these are
     * calendar, not working, days is our reading]. */
    .complaint_accept_days = 15,
    .complaint_close_days = 60,
    .complaint_extend_max_days = 30,
    .complaint_extensions_max = 1,
    .publicity_workdays = 5,            /* [M] local practice; set per bureau */
    .case_decide_days = 90,             /* [M] from memory of the penalty procedure rules */
    .river_dispatch_workdays = 1,       /* standards.md 7.1, Guangzhou: within 1 working day */
    .river_handle_workdays = 10,        /* [M] "a configurable number of days" */
    .patrol_min_minutes = 30,           /* standards.md 7.1, Xinjiang county example */
    .patrol_min_km = 2.0,               /* same source: township and village level */
    .due_soon_days = 7,
    .file_max_bytes = 20u << 20,
};

void
ew_ledger_rules_default(struct ew_ledger_rules *r)
{
    *r = default_rules;
}

const struct ew_ledger_rules *
ew__ledger_rules(const struct ew_ledger_rules *r)
{
    return r != NULL ? r : &default_rules;
}

void
ew_ledger_item_init(struct ew_ledger_item *it, int kind)
{
    memset(it, 0, sizeof(*it));
    it->kind = kind;
    it->state = ew__ledger_first_state(kind);
    it->qty_target = it->qty_done = it->penalty_yuan = NAN;
    snprintf(it->extra, sizeof(it->extra), "{}");
}

static int
need(const char *field, const char *name, char *why, size_t len)
{
    if (field[0] != '\0')
        return EW_OK;
    return ew__ledger_say(why, len, EW_EINVAL, "%s is required", name);
}

/* The kind's required fields, from the entity lists of standards.md section 7. */
static int
kind_fields(const struct ew_ledger_item *it, char *why, size_t len)
{
    int rc = EW_OK;

    switch (it->kind) {
    case EW_LEDGER_TASK:
        if (!isnan(it->qty_target) && it->qty_target <= 0)
            return ew__ledger_say(why, len, EW_EINVAL, "a quantity target must be positive");
        return need(it->unit, "the responsible unit", why, len);
    case EW_LEDGER_RECTIFY:
        /* Shanxi's 领办 mechanism: a Party and a government leader for each task. */
        if ((rc = need(it->unit, "the lead unit", why, len)) != EW_OK ||
            (rc = need(it->leader, "the responsible Party leader", why, len)) != EW_OK ||
            (rc = need(it->gov_leader, "the responsible government leader", why, len)) != EW_OK)
            return rc;
        return need(it->source, "the inspection round (source)", why, len);
    case EW_LEDGER_COMPLAINT:
        if ((rc = need(it->source, "the channel (source)", why, len)) != EW_OK)
            return rc;
        return need(it->category, "the category", why, len);
    case EW_LEDGER_CASE:
        if ((rc = need(it->source, "the case source", why, len)) != EW_OK)
            return rc;
        return need(it->subject, "the party concerned (subject)", why, len);
    case EW_LEDGER_RIVER:
        if (it->level < 1 || it->level > 5)
            return ew__ledger_say(why, len, EW_EINVAL,
                                  "the chief level must be 1 (province) to 5 (village)");
        if ((rc = need(it->subject, "the river reach (subject)", why, len)) != EW_OK)
            return rc;
        return need(it->leader, "the river chief (leader)", why, len);
    }
    return ew__ledger_say(why, len, EW_EINVAL, "unknown kind %d", it->kind);
}

int
ew_ledger_item_check(const struct ew_ledger_item *it, char *why, size_t len)
{
    if (!kind_ok(it->kind))
        return ew__ledger_say(why, len, EW_EINVAL, "unknown kind %d", it->kind);
    if (!ew_ledger_state_of_kind(it->kind, it->state))
        return ew__ledger_say(why, len, EW_EINVAL, "a %s has no state %s",
                              ew_ledger_kind_name(it->kind), ew_ledger_state_name(it->state));
    if (it->title[0] == '\0')
        return ew__ledger_say(why, len, EW_EINVAL, "a title is required");
    return kind_fields(it, why, len);
}
