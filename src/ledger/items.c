/* SPDX-License-Identifier: MIT */
/*
 * Items in the store: registering, acting (plan + state-checked write), comments, and the
 * one-step escalation of an alarm to an enforcement case. The rules are workflow.c's; this
 * file gathers the facts they need from the store and writes the outcome.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <envwatch/emission.h>
#include <envwatch/err.h>
#include <envwatch/ledger.h>

#include "ledger/internal.h"
#include "util/time.h"

static int
count_file(void *ctx, const struct ew_ledger_file *f)
{
    (void)f;
    (*(int *)ctx)++;
    return 0;
}

/* Tasks of an issue that block its closing: neither closed nor kept as long-term. */
static int
count_open_child(void *ctx, const struct ew_ledger_item *it)
{
    if (it->state != EW_LEDGER_ST_CLOSED && it->state != EW_LEDGER_ST_LONG_TERM)
        (*(int *)ctx)++;
    return 0;
}

static int
load_facts(struct ew_store *s, const struct ew_ledger_item *it, const struct ew_ledger_act *a,
           struct ew_ledger_facts *f, struct ew_ledger_reach *up)
{
    struct ew_ledger_query q = { .overdue = -1, .open = -1, .parent_id = it->id };
    struct ew_ledger_reach here;
    struct ew_ledger_item orig;
    int rc;

    memset(f, 0, sizeof(*f));
    if ((rc = ew_store_ledger_file_each(s, it->id, count_file, &f->files)) != EW_OK)
        return rc;
    if (it->kind == EW_LEDGER_RECTIFY &&
        (rc = ew_store_ledger_item_each(s, &q, count_open_child, &f->open_children)) != EW_OK)
        return rc;
    if (a->ref_id > 0) {
        rc = ew_store_ledger_item_get(s, a->ref_id, &orig);
        if (rc != EW_OK && rc != EW_ENOTFOUND)
            return rc;
        f->parent_found = rc == EW_OK && orig.kind == it->kind;
    }
    /* Escalation goes to the chief of the reach one level up, when the registry has it. */
    if (it->kind == EW_LEDGER_RIVER && strcmp(a->action, "escalate") == 0 &&
        ew_store_ledger_reach_get(s, it->subject, &here) == EW_OK && here.parent[0] != '\0' &&
        ew_store_ledger_reach_get(s, here.parent, up) == EW_OK) {
        f->up_chief = up->chief;
        f->up_reach = up->code;
    }
    return EW_OK;
}

int
ew_ledger_act(struct ew_store *s, int64_t id, const struct ew_ledger_act *a,
              const struct ew_ledger_rules *rules, const struct ew_calendar *cal,
              struct ew_ledger_item *out, char *why, size_t len)
{
    struct ew_ledger_item cur, next;
    struct ew_ledger_event ev;
    struct ew_ledger_facts f;
    struct ew_ledger_reach up;
    int rc;

    if (s == NULL || a == NULL)
        return EW_EINVAL;
    if ((rc = ew_store_ledger_item_get(s, id, &cur)) != EW_OK)
        return ew__ledger_say(why, len, rc, "no ledger item %lld", (long long)id);
    if ((rc = load_facts(s, &cur, a, &f, &up)) != EW_OK)
        return ew__ledger_say(why, len, rc, "%s", ew_store_errmsg(s));
    if ((rc = ew_ledger_plan(&cur, a, &f, rules, cal, &next, &ev, why, len)) != EW_OK)
        return rc;
    if ((rc = ew_store_ledger_item_update(s, &next, cur.state, &ev)) != EW_OK)
        return ew__ledger_say(why, len, rc, "%s", ew_store_errmsg(s));
    if (a->ref_id > 0 && strcmp(a->action, "duplicate") == 0) {
        struct ew_ledger_link l = { .item_id = id, .type = "item", .relation = "duplicate_of" };
        snprintf(l.target, sizeof(l.target), "%lld", (long long)a->ref_id);
        if ((rc = ew_store_ledger_link_add(s, &l)) != EW_OK && rc != EW_EEXIST)
            return ew__ledger_say(why, len, rc, "%s", ew_store_errmsg(s));
    }
    if (out != NULL)
        *out = next;
    return EW_OK;
}

static int
actor_ok(const struct ew_ledger_actor *who, char *why, size_t len)
{
    if (who == NULL || who->name == NULL || who->name[0] == '\0' ||
        strlen(who->name) > 63 || !ew_ledger_role_valid(who->role))
        return ew__ledger_say(why, len, EW_EINVAL, "an actor with a name and a known role is "
                              "required");
    return EW_OK;
}

/* A task of an issue must hang under a rectification item; a duplicate under its kind. */
static int
parent_ok(struct ew_store *s, const struct ew_ledger_item *it, char *why, size_t len)
{
    struct ew_ledger_item p;
    int rc;

    if (it->parent_id == 0)
        return EW_OK;
    rc = ew_store_ledger_item_get(s, it->parent_id, &p);
    if (rc == EW_ENOTFOUND || (rc == EW_OK && p.kind != it->kind))
        return ew__ledger_say(why, len, EW_EINVAL, "the parent item %lld is not a %s",
                              (long long)it->parent_id, ew_ledger_kind_name(it->kind));
    return rc;
}

void
ew__ledger_prepare_new(struct ew_ledger_item *it, int64_t now_unix_s,
                       const struct ew_ledger_rules *rules)
{
    rules = ew__ledger_rules(rules);
    if (it->state == 0)
        it->state = ew__ledger_first_state(it->kind);
    if (it->opened_unix_s == 0)
        it->opened_unix_s = now_unix_s;
    /* 环境保护部令第15号: a complaint that cannot be decided on the spot gets its acceptance
     * decision within 15 days of receipt. */
    if (it->kind == EW_LEDGER_COMPLAINT && it->state == EW_LEDGER_ST_REGISTERED &&
        it->due_unix_s == 0)
        it->due_unix_s = ew_ledger_day_end(it->opened_unix_s, rules->complaint_accept_days);
    if (it->due_unix_s != 0)
        it->due_unix_s = ew_ledger_day_end(it->due_unix_s, 0);
    if (ew__ledger_state_stops_clock(it->kind, it->state) && it->done_unix_s == 0)
        it->done_unix_s = now_unix_s;
    if (ew_ledger_state_final(it->kind, it->state) && it->closed_unix_s == 0)
        it->closed_unix_s = now_unix_s;
    it->updated_unix_s = now_unix_s;
}

int
ew_ledger_create(struct ew_store *s, struct ew_ledger_item *it,
                 const struct ew_ledger_actor *who, int64_t now_unix_s,
                 const struct ew_ledger_rules *rules, const struct ew_calendar *cal,
                 char *why, size_t len)
{
    struct ew_ledger_event ev;
    int rc;

    (void)cal;
    if (s == NULL || it == NULL)
        return EW_EINVAL;
    if ((rc = actor_ok(who, why, len)) != EW_OK)
        return rc;
    if (!ew__ledger_may_register(it->kind, who->role))
        return ew__ledger_say(why, len, EW_EDENIED, "the role '%s' may not register a %s",
                              who->role, ew_ledger_kind_name(it->kind));
    ew__ledger_prepare_new(it, now_unix_s, rules);
    if ((rc = ew_ledger_item_check(it, why, len)) != EW_OK ||
        (rc = parent_ok(s, it, why, len)) != EW_OK)
        return rc;
    ew__ledger_event_init(&ev, who, "register", now_unix_s);
    ev.to_state = it->state;
    if ((rc = ew_store_ledger_item_add(s, it, &ev)) != EW_OK)
        return ew__ledger_say(why, len, rc, "%s", ew_store_errmsg(s));
    return EW_OK;
}

int
ew_ledger_comment(struct ew_store *s, int64_t id, const struct ew_ledger_actor *who,
                  const char *note, int64_t now_unix_s, char *why, size_t len)
{
    struct ew_ledger_event ev;
    struct ew_ledger_item it;
    int rc;

    if (s == NULL)
        return EW_EINVAL;
    if ((rc = actor_ok(who, why, len)) != EW_OK)
        return rc;
    if (strcmp(who->role, "public") == 0)
        return ew__ledger_say(why, len, EW_EDENIED, "the public may not comment on items");
    if (note == NULL || note[0] == '\0' || strlen(note) >= sizeof(ev.note))
        return ew__ledger_say(why, len, EW_EINVAL, "a comment is 1-1023 bytes of text");
    if ((rc = ew_store_ledger_item_get(s, id, &it)) != EW_OK)
        return ew__ledger_say(why, len, rc, "no ledger item %lld", (long long)id);
    ew__ledger_event_init(&ev, who, "comment", now_unix_s);
    ev.item_id = id;
    ev.from_state = ev.to_state = it.state;
    ew__ledger_copy(ev.note, sizeof(ev.note), note);
    if ((rc = ew_store_ledger_event_add(s, &ev)) != EW_OK)
        return ew__ledger_say(why, len, rc, "%s", ew_store_errmsg(s));
    return EW_OK;
}

static int
first_link(void *ctx, const struct ew_ledger_link *l)
{
    *(int64_t *)ctx = l->item_id;
    return 1;
}

static int
link(struct ew_store *s, int64_t id, const char *type, const char *target, const char *rel)
{
    struct ew_ledger_link l = { .item_id = id };

    ew__ledger_copy(l.type, sizeof(l.type), type);
    ew__ledger_copy(l.target, sizeof(l.target), target);
    ew__ledger_copy(l.relation, sizeof(l.relation), rel);
    return ew_store_ledger_link_add(s, &l);
}

/* The case's text: what the alarm saw, so the case file starts with the facts. */
static void
alarm_case_text(struct ew_ledger_item *it, const struct ew_alarm *al)
{
    char start[20];

    ew_time_fmt_iso(al->start_unix_s, start);
    snprintf(it->title, sizeof(it->title), "%s %s %s", al->point_name,
             ew_alarm_kind_name(al->kind), al->factor);
    snprintf(it->body, sizeof(it->body), "Alarm %lld at %s (%s) since %s: peak %g, limit %g, "
             "multiple %g, %lld offending period(s).", (long long)al->id, al->point_name,
             al->mn, start, al->peak, al->limit, al->multiple, (long long)al->count);
}

int
ew_ledger_case_from_alarm(struct ew_store *s, int64_t alarm_id,
                          const struct ew_ledger_actor *who, int64_t now_unix_s,
                          const struct ew_ledger_rules *rules, struct ew_ledger_item *out,
                          char *why, size_t len)
{
    struct ew_ledger_item it;
    struct ew_alarm al;
    char target[24];
    int64_t existing = 0;
    int rc;

    if (s == NULL)
        return EW_EINVAL;
    if ((rc = actor_ok(who, why, len)) != EW_OK)
        return rc;
    if ((rc = ew_store_alarm_get(s, alarm_id, &al)) != EW_OK)
        return ew__ledger_say(why, len, rc, "no alarm %lld", (long long)alarm_id);
    snprintf(target, sizeof(target), "%lld", (long long)alarm_id);
    if ((rc = ew_store_ledger_link_find(s, "alarm", target, first_link, &existing)) < 0)
        return rc;
    if (existing != 0) {
        if (out != NULL && ew_store_ledger_item_get(s, existing, out) != EW_OK)
            return EW_EIO;
        return ew__ledger_say(why, len, EW_EEXIST, "alarm %lld is already case %lld",
                              (long long)alarm_id, (long long)existing);
    }
    ew_ledger_item_init(&it, EW_LEDGER_CASE);
    alarm_case_text(&it, &al);
    ew__ledger_copy(it.source, sizeof(it.source), "alarm");
    ew__ledger_copy(it.subject, sizeof(it.subject), al.point_name);
    ew__ledger_copy(it.county, sizeof(it.county), al.county);
    ew__ledger_copy(it.unit, sizeof(it.unit), who->unit);
    if ((rc = ew_ledger_create(s, &it, who, now_unix_s, rules, NULL, why, len)) != EW_OK)
        return rc;
    if ((rc = link(s, it.id, "alarm", target, "source")) != EW_OK ||
        (rc = link(s, it.id, "point", al.mn, "subject")) != EW_OK)
        return ew__ledger_say(why, len, rc, "%s", ew_store_errmsg(s));
    if (out != NULL)
        *out = it;
    return EW_OK;
}
