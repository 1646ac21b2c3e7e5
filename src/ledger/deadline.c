/* SPDX-License-Identifier: MIT */
/*
 * The deadline pass: marks items whose deadline has passed with their clock running as
 * overdue (the side state 逾期/超期 of standards.md 7.2 and 7.3, kept beside the main state
 * so the item's place in its workflow is not lost), and escalates overdue river-chief
 * problems to the next level up (7.1). Also the validity of a river patrol.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <envwatch/err.h>
#include <envwatch/ledger.h>

#include "ledger/internal.h"
#include "util/time.h"

struct ids {
    int64_t *v;
    size_t   n, cap;
};

static int
collect(void *ctx, const struct ew_ledger_item *it)
{
    struct ids *ids = ctx;

    if (it->overdue)
        return 0;
    if (ids->n == ids->cap) {
        size_t cap = ids->cap ? ids->cap * 2 : 256;
        int64_t *v = realloc(ids->v, cap * sizeof(*v));
        if (v == NULL)
            return EW_ENOMEM;
        ids->v = v;
        ids->cap = cap;
    }
    ids->v[ids->n++] = it->id;
    return 0;
}

static int
mark_overdue(struct ew_store *s, int64_t id, int64_t now)
{
    struct ew_ledger_item it;
    struct ew_ledger_event ev;
    char due[20];
    int rc;

    if ((rc = ew_store_ledger_item_get(s, id, &it)) != EW_OK)
        return rc;
    ew__ledger_event_init(&ev, NULL, "overdue", now);
    ev.item_id = id;
    ev.from_state = ev.to_state = it.state;
    ew_time_fmt_iso(it.due_unix_s, due);
    snprintf(ev.note, sizeof(ev.note), "deadline %s passed", due);
    it.overdue = 1;
    it.updated_unix_s = now;
    return ew_store_ledger_item_update(s, &it, it.state, &ev);
}

static int
escalate(struct ew_store *s, int64_t id, int64_t now, const struct ew_ledger_rules *rules,
         const struct ew_calendar *cal)
{
    struct ew_ledger_act a = { .action = "escalate",
                               .who = { .name = "system", .role = "system", .unit = "" },
                               .note = "overdue: escalated to the next chief level",
                               .qty = 0, .now_unix_s = now };
    char why[200];

    return ew_ledger_act(s, id, &a, rules, cal, NULL, why, sizeof(why));
}

int
ew_ledger_sweep(struct ew_store *s, int64_t now_unix_s, const struct ew_ledger_rules *rules,
                const struct ew_calendar *cal, struct ew_ledger_sweep_result *out)
{
    struct ew_ledger_query q = { .overdue = 0, .open = 1, .running = 1, .due_from = 1,
                                 .due_to = now_unix_s - 1 };
    struct ew_ledger_sweep_result res = { 0, 0 };
    struct ids ids = { 0 };
    int rc;

    if (s == NULL)
        return EW_EINVAL;
    /* The ids first: the updates below must not run inside the scan. */
    rc = ew_store_ledger_item_each(s, &q, collect, &ids);
    for (size_t i = 0; rc == EW_OK && i < ids.n; i++) {
        struct ew_ledger_item it;
        if ((rc = mark_overdue(s, ids.v[i], now_unix_s)) != EW_OK)
            break;
        res.overdue++;
        if ((rc = ew_store_ledger_item_get(s, ids.v[i], &it)) != EW_OK)
            break;
        if (it.kind != EW_LEDGER_RIVER || it.level <= 1)
            continue;
        if ((rc = escalate(s, ids.v[i], now_unix_s, rules, cal)) != EW_OK)
            break;
        res.escalated++;
    }
    free(ids.v);
    if (rc == EW_OK && out != NULL)
        *out = res;
    return rc;
}

void
ew_ledger_patrol_judge(const struct ew_ledger_rules *rules, struct ew_ledger_patrol *p)
{
    int64_t minutes = (p->end_unix_s - p->start_unix_s) / 60;

    rules = ew__ledger_rules(rules);
    p->valid = 1;
    /* standards.md 7.1: each patrol lasts at least 30 minutes; at township and village
     * level (4, 5) it also covers at least 2 km. */
    if (minutes < rules->patrol_min_minutes) {
        p->valid = 0;
        snprintf(p->note, sizeof(p->note), "not valid: %lld min, under the %d min minimum",
                 (long long)minutes, rules->patrol_min_minutes);
    } else if (p->level >= 4 && p->length_km < rules->patrol_min_km) {
        p->valid = 0;
        snprintf(p->note, sizeof(p->note), "not valid: %.2f km, under the %.1f km minimum at "
                 "township and village level", p->length_km, rules->patrol_min_km);
    }
}
