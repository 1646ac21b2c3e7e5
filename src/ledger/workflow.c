/* SPDX-License-Identifier: MIT */
/*
 * The workflows of the five ledger kinds as one table: which role may take which action in
 * which state, and where it leads. The chains follow standards.md section 7 (7.1 river
 * chiefs, 7.2 inspection rectification, 7.3 complaints); action-plan tasks and enforcement
 * cases follow the same pattern (docs/ledger.md draws every chain). The auth layer supplies
 * only the actor (name, role, unit); everything it may do is decided here, as data.
 *
 * ew_ledger_plan is pure: the effects of an action (deadlines, the clock, counters) are
 * computed on a copy of the item, and ew_ledger_act writes the copy only if the state in the
 * store is still the one the plan started from.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <envwatch/err.h>
#include <envwatch/ledger.h>

#include "ledger/internal.h"

enum {
    R_OPERATOR = 1 << 0, R_LEADER = 1 << 1, R_OFFICER = 1 << 2, R_INSPECTOR = 1 << 3,
    R_CHIEF = 1 << 4, R_PUBLIC = 1 << 5, R_SYSTEM = 1 << 6,
};

enum {
    F_NOTE = 1 << 0,        /* a note is required (a reason, a result, a reply) */
    F_EVIDENCE = 1 << 1,    /* at least one evidence file is attached */
    F_OWN = 1 << 2,         /* an officer or chief may act only on his own unit's item */
    F_CHILDREN = 1 << 3,    /* every rectification task of the issue is closed */
};

#define S(x) (1ULL << EW_LEDGER_ST_##x)
#define SAME 0              /* the action keeps the state */

struct rule {
    int         kind;
    const char *action;
    uint64_t    from;       /* states where it is allowed */
    int         to;         /* enum ew_ledger_state, or SAME */
    unsigned    roles;
    unsigned    flags;
};

static const struct rule rules_table[] = {
    /* action-plan tasks: 未启动 → 推进中 → 已完成待验收 → 已完成; 退回, 长期坚持 */
    { EW_LEDGER_TASK, "start", S(NOT_STARTED), EW_LEDGER_ST_IN_PROGRESS,
      R_OFFICER | R_OPERATOR, F_OWN },
    { EW_LEDGER_TASK, "progress", S(IN_PROGRESS) | S(LONG_TERM), SAME,
      R_OFFICER | R_OPERATOR, F_OWN },
    { EW_LEDGER_TASK, "submit", S(IN_PROGRESS), EW_LEDGER_ST_SUBMITTED, R_OFFICER,
      F_OWN | F_NOTE },
    { EW_LEDGER_TASK, "accept", S(SUBMITTED), EW_LEDGER_ST_CLOSED, R_OPERATOR | R_LEADER, 0 },
    { EW_LEDGER_TASK, "return", S(SUBMITTED), EW_LEDGER_ST_RETURNED, R_OPERATOR | R_LEADER,
      F_NOTE },
    { EW_LEDGER_TASK, "resume", S(RETURNED), EW_LEDGER_ST_IN_PROGRESS,
      R_OFFICER | R_OPERATOR, F_OWN },
    { EW_LEDGER_TASK, "long_term", S(IN_PROGRESS), EW_LEDGER_ST_LONG_TERM, R_LEADER, F_NOTE },

    /* rectification (standards.md 7.2): 未启动 → 整改中 → 已完成待验收 → 验收通过 → 公示中
     * → 已销号; side states 退回, 长期坚持, 反弹 (the overdue mark is kept beside the state) */
    { EW_LEDGER_RECTIFY, "start", S(NOT_STARTED), EW_LEDGER_ST_IN_PROGRESS,
      R_OFFICER | R_OPERATOR, F_OWN },
    { EW_LEDGER_RECTIFY, "progress", S(IN_PROGRESS) | S(LONG_TERM), SAME,
      R_OFFICER | R_OPERATOR, F_OWN | F_NOTE },
    { EW_LEDGER_RECTIFY, "apply_close", S(IN_PROGRESS), EW_LEDGER_ST_SUBMITTED, R_OFFICER,
      F_OWN | F_NOTE | F_EVIDENCE | F_CHILDREN },
    { EW_LEDGER_RECTIFY, "accept", S(SUBMITTED), EW_LEDGER_ST_ACCEPTED,
      R_INSPECTOR | R_LEADER, 0 },
    { EW_LEDGER_RECTIFY, "return", S(SUBMITTED) | S(PUBLICITY), EW_LEDGER_ST_RETURNED,
      R_INSPECTOR | R_LEADER, F_NOTE },
    { EW_LEDGER_RECTIFY, "resume", S(RETURNED) | S(REBOUNDED), EW_LEDGER_ST_IN_PROGRESS,
      R_OFFICER | R_OPERATOR, F_OWN },
    { EW_LEDGER_RECTIFY, "publicize", S(ACCEPTED), EW_LEDGER_ST_PUBLICITY,
      R_INSPECTOR | R_OPERATOR, 0 },
    { EW_LEDGER_RECTIFY, "close", S(PUBLICITY), EW_LEDGER_ST_CLOSED, R_INSPECTOR | R_LEADER, 0 },
    { EW_LEDGER_RECTIFY, "long_term", S(IN_PROGRESS), EW_LEDGER_ST_LONG_TERM,
      R_INSPECTOR | R_LEADER, F_NOTE },
    { EW_LEDGER_RECTIFY, "rebound", S(CLOSED) | S(LONG_TERM), EW_LEDGER_ST_REBOUNDED,
      R_INSPECTOR | R_LEADER, F_NOTE },

    /* complaints (standards.md 7.3): 登记 → 受理 / 不予受理 → 交办 → 办理中 → 办结待审 →
     * 已答复 → 归档; 重复件; extension (延期) and supervision (督办) keep the state */
    { EW_LEDGER_COMPLAINT, "admit", S(REGISTERED), EW_LEDGER_ST_ADMITTED, R_OPERATOR, 0 },
    { EW_LEDGER_COMPLAINT, "reject", S(REGISTERED), EW_LEDGER_ST_REJECTED, R_OPERATOR,
      F_NOTE },
    { EW_LEDGER_COMPLAINT, "duplicate", S(REGISTERED), EW_LEDGER_ST_DUPLICATE, R_OPERATOR, 0 },
    { EW_LEDGER_COMPLAINT, "assign", S(ADMITTED), EW_LEDGER_ST_ASSIGNED, R_OPERATOR, 0 },
    { EW_LEDGER_COMPLAINT, "start", S(ASSIGNED), EW_LEDGER_ST_HANDLING, R_OFFICER, F_OWN },
    { EW_LEDGER_COMPLAINT, "finish", S(HANDLING), EW_LEDGER_ST_REVIEWING, R_OFFICER,
      F_OWN | F_NOTE },
    { EW_LEDGER_COMPLAINT, "return", S(REVIEWING), EW_LEDGER_ST_HANDLING, R_OPERATOR, F_NOTE },
    { EW_LEDGER_COMPLAINT, "reply", S(REVIEWING), EW_LEDGER_ST_REPLIED, R_OPERATOR, F_NOTE },
    { EW_LEDGER_COMPLAINT, "archive", S(REPLIED), EW_LEDGER_ST_CLOSED, R_OPERATOR, 0 },
    { EW_LEDGER_COMPLAINT, "extend", S(ADMITTED) | S(ASSIGNED) | S(HANDLING) | S(REVIEWING),
      SAME, R_LEADER, F_NOTE },
    { EW_LEDGER_COMPLAINT, "supervise", S(ADMITTED) | S(ASSIGNED) | S(HANDLING) | S(REVIEWING),
      SAME, R_LEADER, F_NOTE },

    /* enforcement cases: 线索登记 → 立案 → 调查取证 → 处罚决定 → 执行 → 结案; 不予立案 */
    { EW_LEDGER_CASE, "file", S(REGISTERED), EW_LEDGER_ST_FILED, R_LEADER, 0 },
    { EW_LEDGER_CASE, "dismiss", S(REGISTERED), EW_LEDGER_ST_DISMISSED, R_LEADER, F_NOTE },
    { EW_LEDGER_CASE, "investigate", S(FILED), EW_LEDGER_ST_INVESTIGATING,
      R_OPERATOR | R_OFFICER, F_OWN },
    { EW_LEDGER_CASE, "decide", S(INVESTIGATING), EW_LEDGER_ST_DECIDED, R_LEADER, F_NOTE },
    { EW_LEDGER_CASE, "execute", S(DECIDED), EW_LEDGER_ST_EXECUTING, R_OPERATOR | R_OFFICER,
      F_OWN },
    { EW_LEDGER_CASE, "daily_penalty", S(EXECUTING), SAME, R_LEADER, F_NOTE },
    { EW_LEDGER_CASE, "close", S(DECIDED) | S(EXECUTING), EW_LEDGER_ST_CLOSED, R_LEADER, 0 },

    /* river-chief problems (standards.md 7.1): 上报 → 分派 → 处理中 → 办结待核 → 已核销;
     * 退回; escalation (升级) to the next chief level keeps the state */
    { EW_LEDGER_RIVER, "dispatch", S(REPORTED), EW_LEDGER_ST_DISPATCHED,
      R_OPERATOR | R_CHIEF, F_OWN },
    { EW_LEDGER_RIVER, "start", S(DISPATCHED) | S(RETURNED), EW_LEDGER_ST_HANDLING,
      R_OFFICER | R_CHIEF, F_OWN },
    { EW_LEDGER_RIVER, "finish", S(HANDLING), EW_LEDGER_ST_VERIFYING, R_OFFICER | R_CHIEF,
      F_OWN | F_NOTE },
    { EW_LEDGER_RIVER, "verify", S(VERIFYING), EW_LEDGER_ST_CLOSED, R_CHIEF | R_OPERATOR,
      F_OWN },
    { EW_LEDGER_RIVER, "return", S(VERIFYING), EW_LEDGER_ST_RETURNED, R_CHIEF | R_OPERATOR,
      F_OWN | F_NOTE },
    { EW_LEDGER_RIVER, "escalate", S(REPORTED) | S(DISPATCHED) | S(HANDLING) | S(RETURNED),
      SAME, R_CHIEF | R_OPERATOR | R_SYSTEM, F_OWN | F_NOTE },
};

/* Who may register a new item of each kind (the "register" action). */
static const unsigned register_roles[EW_LEDGER_KIND_COUNT] = {
    [EW_LEDGER_TASK] = R_OPERATOR | R_LEADER,
    [EW_LEDGER_RECTIFY] = R_OPERATOR | R_INSPECTOR | R_LEADER,
    [EW_LEDGER_COMPLAINT] = R_OPERATOR | R_PUBLIC,
    [EW_LEDGER_CASE] = R_OPERATOR | R_LEADER,
    [EW_LEDGER_RIVER] = R_OPERATOR | R_CHIEF | R_PUBLIC,
};

static unsigned
role_bit(const char *role)
{
    static const char *const names[] = { "operator", "leader", "officer", "inspector",
                                         "chief", "public", "system" };

    for (size_t i = 0; role != NULL && i < EW_ARRAY_LEN(names); i++)
        if (strcmp(role, names[i]) == 0)
            return 1u << i;
    return 0;
}

int
ew__ledger_may_register(int kind, const char *role)
{
    if (kind <= 0 || kind >= EW_LEDGER_KIND_COUNT)
        return 0;
    return (register_roles[kind] & role_bit(role)) != 0;
}

static const struct rule *
find_rule(int kind, const char *action, int *known)
{
    *known = 0;
    for (size_t i = 0; i < EW_ARRAY_LEN(rules_table); i++) {
        if (rules_table[i].kind != kind || strcmp(rules_table[i].action, action) != 0)
            continue;
        *known = 1;
        return &rules_table[i];
    }
    return NULL;
}

int
ew_ledger_actions_each(int kind, int state, const char *role,
                       int (*fn)(void *ctx, const char *action, int to_state), void *ctx)
{
    unsigned rb = role != NULL ? role_bit(role) : ~0u;
    int rc;

    if (state <= 0 || state >= EW_LEDGER_STATE_COUNT)
        return EW_EINVAL;
    for (size_t i = 0; i < EW_ARRAY_LEN(rules_table); i++) {
        const struct rule *r = &rules_table[i];
        if (r->kind != kind || (r->from >> state & 1) == 0 || (r->roles & rb) == 0)
            continue;
        if ((rc = fn(ctx, r->action, r->to == SAME ? state : r->to)) != 0)
            return rc;
    }
    return EW_OK;
}

/* ---- checks before an action ------------------------------------------------------------- */

static int
actor_ok(const struct ew_ledger_actor *who, char *why, size_t len)
{
    if (who == NULL || who->name == NULL || who->name[0] == '\0' ||
        strlen(who->name) >= sizeof(((struct ew_ledger_event *)0)->actor))
        return ew__ledger_say(why, len, EW_EINVAL, "the actor's name (1-63 bytes) is required");
    if (!ew_ledger_role_valid(who->role))
        return ew__ledger_say(why, len, EW_EINVAL, "unknown role '%s'",
                              who->role != NULL ? who->role : "");
    return EW_OK;
}

/* An officer acts for his unit, a chief for his own reaches (standards.md 7.1). */
static int
own_ok(const struct rule *r, const struct ew_ledger_item *it, const struct ew_ledger_actor *who,
       char *why, size_t len)
{
    if ((r->flags & F_OWN) == 0)
        return EW_OK;
    if (strcmp(who->role, "officer") == 0 &&
        (who->unit == NULL || strcmp(who->unit, it->unit) != 0))
        return ew__ledger_say(why, len, EW_EDENIED, "an officer of '%s' may not act on an "
                              "item of '%s'", who->unit != NULL ? who->unit : "", it->unit);
    if (strcmp(who->role, "chief") == 0 && strcmp(who->name, it->leader) != 0)
        return ew__ledger_say(why, len, EW_EDENIED, "%s is not the chief of this problem (%s)",
                              who->name, it->leader);
    return EW_OK;
}

static int
flags_ok(const struct rule *r, const struct ew_ledger_act *a, const struct ew_ledger_facts *f,
         char *why, size_t len)
{
    int note = a->note != NULL && a->note[0] != '\0';

    /* The deadline pass escalates without a note: its history line says why. */
    if ((r->flags & F_NOTE) && !note && strcmp(a->who.role, "system") != 0)
        return ew__ledger_say(why, len, EW_EINVAL, "'%s' needs a note (reason or result)",
                              r->action);
    if ((r->flags & F_EVIDENCE) && (f == NULL || f->files < 1))
        return ew__ledger_say(why, len, EW_EINVAL, "'%s' needs evidence: attach the "
                              "documents, photos or monitoring reports first", r->action);
    if ((r->flags & F_CHILDREN) && f != NULL && f->open_children > 0)
        return ew__ledger_say(why, len, EW_EINVAL, "%d rectification task(s) of this issue "
                              "are not closed yet", f->open_children);
    return EW_OK;
}

/* ---- effects of an action ---------------------------------------------------------------- */

static int
effect_task(struct ew_ledger_item *n, const struct ew_ledger_act *a, char *why, size_t len)
{
    if (strcmp(a->action, "progress") == 0) {
        if (isnan(a->qty) || a->qty < 0)
            return ew__ledger_say(why, len, EW_EINVAL, "progress needs the quantity done (qty)");
        n->qty_done = a->qty;
    }
    /* A quantified engineering task (clean-heating households, coal yards enclosed, ...) is
     * complete only when its quantity is reached. */
    if (strcmp(a->action, "submit") == 0 && !isnan(n->qty_target) &&
        (isnan(n->qty_done) || n->qty_done < n->qty_target))
        return ew__ledger_say(why, len, EW_EINVAL, "the quantity done (%g) has not reached the "
                              "target (%g)", isnan(n->qty_done) ? 0.0 : n->qty_done,
                              n->qty_target);
    return EW_OK;
}

static int
effect_rectify(struct ew_ledger_item *n, const struct ew_ledger_act *a,
               const struct ew_ledger_rules *rules, const struct ew_calendar *cal, char *why,
               size_t len)
{
    if (strcmp(a->action, "progress") == 0 && !isnan(a->qty)) {
        if (a->qty < 0)
            return ew__ledger_say(why, len, EW_EINVAL, "the quantity done cannot be negative");
        n->qty_done = a->qty;
    }
    if (strcmp(a->action, "publicize") == 0)
        return ew_calendar_add_workdays(cal, a->now_unix_s, rules->publicity_workdays,
                                        &n->mark_unix_s);
    /* 销号 only after the publicity period has run without objection. */
    if (strcmp(a->action, "close") == 0 && a->now_unix_s <= n->mark_unix_s)
        return ew__ledger_say(why, len, EW_ESTATE, "the publicity period runs until the end of "
                              "its last working day; close after it");
    if (strcmp(a->action, "rebound") == 0) {
        if (a->due_unix_s <= a->now_unix_s)
            return ew__ledger_say(why, len, EW_EINVAL, "a rebounded item needs a new deadline "
                                  "in the future");
        n->due_unix_s = ew_ledger_day_end(a->due_unix_s, 0);
        n->overdue = 0;
    }
    return EW_OK;
}

static int
effect_extend(struct ew_ledger_item *n, const struct ew_ledger_act *a,
              const struct ew_ledger_rules *rules, char *why, size_t len)
{
    if (n->extensions >= rules->complaint_extensions_max)
        return ew__ledger_say(why, len, EW_EINVAL, "the deadline may be extended %d time(s) "
                              "only", rules->complaint_extensions_max);
    if (a->days < 1 || a->days > rules->complaint_extend_max_days)
        return ew__ledger_say(why, len, EW_EINVAL, "an extension is 1 to %d days",
                              rules->complaint_extend_max_days);
    n->extensions++;
    n->due_unix_s = ew_ledger_day_end(n->due_unix_s, a->days);
    if (n->due_unix_s >= a->now_unix_s)
        n->overdue = 0;
    return EW_OK;
}

static int
effect_complaint(struct ew_ledger_item *n, const struct ew_ledger_act *a,
                 const struct ew_ledger_facts *f, const struct ew_ledger_rules *rules,
                 char *why, size_t len)
{
    if (strcmp(a->action, "admit") == 0) {
        /* The 60-day clock runs from acceptance; the acceptance deadline is history. */
        n->due_unix_s = ew_ledger_day_end(a->now_unix_s, rules->complaint_close_days);
        n->overdue = 0;
    } else if (strcmp(a->action, "duplicate") == 0) {
        if (a->ref_id <= 0 || a->ref_id == n->id || f == NULL || !f->parent_found)
            return ew__ledger_say(why, len, EW_EINVAL, "a duplicate names the original "
                                  "complaint it repeats (ref_id)");
        n->parent_id = a->ref_id;
    } else if (strcmp(a->action, "assign") == 0) {
        if (a->unit == NULL || a->unit[0] == '\0' || strlen(a->unit) >= sizeof(n->unit))
            return ew__ledger_say(why, len, EW_EINVAL, "assign names the handling unit");
        ew__ledger_copy(n->unit, sizeof(n->unit), a->unit);
    } else if (strcmp(a->action, "extend") == 0) {
        return effect_extend(n, a, rules, why, len);
    }
    return EW_OK;
}

static int
effect_case(struct ew_ledger_item *n, const struct ew_ledger_act *a,
            const struct ew_ledger_rules *rules, char *why, size_t len)
{
    if (strcmp(a->action, "file") == 0) {
        n->due_unix_s = ew_ledger_day_end(a->now_unix_s, rules->case_decide_days);
    } else if (strcmp(a->action, "decide") == 0) {
        if (isnan(a->amount_yuan) || a->amount_yuan < 0 || !isfinite(a->amount_yuan))
            return ew__ledger_say(why, len, EW_EINVAL, "a decision states the penalty in yuan "
                                  "(0 for none)");
        n->penalty_yuan = a->amount_yuan;
        /* The decision is what the deadline asked for: no further deadline by default. */
        n->due_unix_s = a->due_unix_s > 0 ? ew_ledger_day_end(a->due_unix_s, 0) : 0;
        n->overdue = 0;
    } else if (strcmp(a->action, "daily_penalty") == 0) {
        /* 按日连续处罚: the original amount again for every day the violation went on
         * after the order to correct [M: 环境保护法 2014 art. 59 as we remember it]. */
        if (a->days < 1 || a->days > 3650)
            return ew__ledger_say(why, len, EW_EINVAL, "daily penalty needs 1-3650 days");
        if (isnan(n->penalty_yuan) || n->penalty_yuan <= 0)
            return ew__ledger_say(why, len, EW_EINVAL, "daily penalty needs a decided penalty "
                                  "above 0");
        n->penalty_days += a->days;
    }
    return EW_OK;
}

static int
effect_river(struct ew_ledger_item *n, const struct ew_ledger_act *a,
             const struct ew_ledger_facts *f, const struct ew_ledger_rules *rules,
             const struct ew_calendar *cal, char *why, size_t len)
{
    int rc;

    if (strcmp(a->action, "dispatch") == 0) {
        if (a->unit != NULL && a->unit[0] != '\0')
            ew__ledger_copy(n->unit, sizeof(n->unit), a->unit);
        if (a->due_unix_s > 0)
            n->due_unix_s = ew_ledger_day_end(a->due_unix_s, 0);
        else if ((rc = ew_calendar_add_workdays(cal, a->now_unix_s,
                                                rules->river_handle_workdays,
                                                &n->due_unix_s)) != EW_OK)
            return rc;
        n->overdue = 0;
    } else if (strcmp(a->action, "escalate") == 0) {
        /* standards.md 7.1: beyond the chief's power or overdue, the next level up takes it
         * (5 village → 4 township → 3 county → 2 city → 1 province). */
        if (n->level <= 1)
            return ew__ledger_say(why, len, EW_ESTATE, "a provincial chief's problem cannot "
                                  "be escalated further");
        n->level--;
        if (f != NULL && f->up_chief != NULL && f->up_chief[0] != '\0')
            ew__ledger_copy(n->leader, sizeof(n->leader), f->up_chief);
        if (f != NULL && f->up_reach != NULL && f->up_reach[0] != '\0')
            ew__ledger_copy(n->subject, sizeof(n->subject), f->up_reach);
        if ((rc = ew_calendar_add_workdays(cal, a->now_unix_s, rules->river_handle_workdays,
                                           &n->due_unix_s)) != EW_OK)
            return rc;
        n->overdue = 0;
    }
    return EW_OK;
}

static int
effects(struct ew_ledger_item *n, const struct ew_ledger_act *a,
        const struct ew_ledger_facts *f, const struct ew_ledger_rules *rules,
        const struct ew_calendar *cal, char *why, size_t len)
{
    switch (n->kind) {
    case EW_LEDGER_TASK:
        return effect_task(n, a, why, len);
    case EW_LEDGER_RECTIFY:
        return effect_rectify(n, a, rules, cal, why, len);
    case EW_LEDGER_COMPLAINT:
        return effect_complaint(n, a, f, rules, why, len);
    case EW_LEDGER_CASE:
        return effect_case(n, a, rules, why, len);
    case EW_LEDGER_RIVER:
        return effect_river(n, a, f, rules, cal, why, len);
    }
    return EW_OK;
}

/* The clock stops when the unit's part is done and runs again when it comes back (退回,
 * 反弹); a final state closes the item, leaving one (反弹) opens it again. */
static void
clock(struct ew_ledger_item *n, int64_t now)
{
    if (ew__ledger_state_stops_clock(n->kind, n->state)) {
        if (n->done_unix_s == 0)
            n->done_unix_s = now;
    } else {
        n->done_unix_s = 0;
    }
    if (ew_ledger_state_final(n->kind, n->state)) {
        if (n->closed_unix_s == 0)
            n->closed_unix_s = now;
    } else {
        n->closed_unix_s = 0;
    }
    n->updated_unix_s = now;
}

int
ew_ledger_plan(const struct ew_ledger_item *cur, const struct ew_ledger_act *a,
               const struct ew_ledger_facts *facts, const struct ew_ledger_rules *rules,
               const struct ew_calendar *cal, struct ew_ledger_item *next,
               struct ew_ledger_event *ev, char *why, size_t len)
{
    struct ew_ledger_item n;
    const struct rule *r;
    int known, rc;

    if (cur == NULL || a == NULL || a->action == NULL || next == NULL || ev == NULL)
        return EW_EINVAL;
    if ((rc = actor_ok(&a->who, why, len)) != EW_OK)
        return rc;
    rules = ew__ledger_rules(rules);
    r = find_rule(cur->kind, a->action, &known);
    if (!known)
        return ew__ledger_say(why, len, EW_EINVAL, "a %s has no action '%s'",
                              ew_ledger_kind_name(cur->kind), a->action);
    if ((r->roles & role_bit(a->who.role)) == 0)
        return ew__ledger_say(why, len, EW_EDENIED, "the role '%s' may not %s a %s",
                              a->who.role, a->action, ew_ledger_kind_name(cur->kind));
    if ((r->from >> cur->state & 1) == 0)
        return ew__ledger_say(why, len, EW_ESTATE, "'%s' is not allowed while the %s is %s",
                              a->action, ew_ledger_kind_name(cur->kind),
                              ew_ledger_state_name(cur->state));
    if ((rc = own_ok(r, cur, &a->who, why, len)) != EW_OK ||
        (rc = flags_ok(r, a, facts, why, len)) != EW_OK)
        return rc;
    if (a->note != NULL && strlen(a->note) >= sizeof(ev->note))
        return ew__ledger_say(why, len, EW_ETOOBIG, "the note is longer than %zu bytes",
                              sizeof(ev->note) - 1);
    n = *cur;
    if (r->to != SAME)
        n.state = r->to;
    if ((rc = effects(&n, a, facts, rules, cal, why, len)) != EW_OK)
        return rc;
    clock(&n, a->now_unix_s);
    ew__ledger_event_init(ev, &a->who, a->action, a->now_unix_s);
    ev->item_id = cur->id;
    ev->from_state = cur->state;
    ev->to_state = n.state;
    ew__ledger_copy(ev->note, sizeof(ev->note), a->note);
    *next = n;
    return EW_OK;
}
