/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/ledger/workflow_test.c -- the transition tables of the five kinds, checked
 * against the chains of standards.md section 7 written out again here by hand: in every
 * state, every action the chain does not allow is refused (EW_ESTATE), every action it allows
 * is taken, and every role without the right is refused (EW_EDENIED).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "unit/ledger/lfix.h"

#define ST(x) EW_LEDGER_ST_##x

struct allowed {
    int         state;
    const char *actions;        /* space-separated, with spaces at both ends */
};

struct action_role {
    const char *action;
    const char *roles;          /* roles that may take it, space-separated with spaces around */
};

struct kind_spec {
    int                        kind;
    const char *const         *actions;     /* every action of the kind, NULL-terminated */
    const struct allowed      *allowed;     /* per state; states not listed allow nothing */
    size_t                     n_allowed;
    const int                 *states;      /* every state of the kind, 0-terminated */
    const struct action_role  *roles;
};

/* ---- action-plan tasks --------------------------------------------------------------------- */
static const char *const task_actions[] = { "start", "progress", "submit", "accept", "return",
                                            "resume", "long_term", NULL };
static const struct allowed task_allowed[] = {
    { ST(NOT_STARTED), " start " },
    { ST(IN_PROGRESS), " progress submit long_term " },
    { ST(SUBMITTED), " accept return " },
    { ST(RETURNED), " resume " },
    { ST(LONG_TERM), " progress " },
};
static const int task_states[] = { ST(NOT_STARTED), ST(IN_PROGRESS), ST(SUBMITTED), ST(CLOSED),
                                   ST(RETURNED), ST(LONG_TERM), 0 };
static const struct action_role task_roles[] = {
    { "start", " officer operator " }, { "progress", " officer operator " },
    { "submit", " officer " }, { "accept", " operator leader " },
    { "return", " operator leader " }, { "resume", " officer operator " },
    { "long_term", " leader " }, { NULL, NULL },
};

/* ---- rectification (standards.md 7.2) ------------------------------------------------------ */
static const char *const rect_actions[] = { "start", "progress", "apply_close", "accept",
                                            "return", "resume", "publicize", "close",
                                            "long_term", "rebound", NULL };
static const struct allowed rect_allowed[] = {
    { ST(NOT_STARTED), " start " },
    { ST(IN_PROGRESS), " progress apply_close long_term " },
    { ST(SUBMITTED), " accept return " },
    { ST(ACCEPTED), " publicize " },
    { ST(PUBLICITY), " close return " },
    { ST(CLOSED), " rebound " },
    { ST(RETURNED), " resume " },
    { ST(LONG_TERM), " progress rebound " },
    { ST(REBOUNDED), " resume " },
};
static const int rect_states[] = { ST(NOT_STARTED), ST(IN_PROGRESS), ST(SUBMITTED), ST(ACCEPTED),
                                   ST(PUBLICITY), ST(CLOSED), ST(RETURNED), ST(LONG_TERM),
                                   ST(REBOUNDED), 0 };
static const struct action_role rect_roles[] = {
    { "start", " officer operator " }, { "progress", " officer operator " },
    { "apply_close", " officer " }, { "accept", " inspector leader " },
    { "return", " inspector leader " }, { "resume", " officer operator " },
    { "publicize", " inspector operator " }, { "close", " inspector leader " },
    { "long_term", " inspector leader " }, { "rebound", " inspector leader " }, { NULL, NULL },
};

/* ---- complaints (standards.md 7.3) --------------------------------------------------------- */
static const char *const comp_actions[] = { "admit", "reject", "duplicate", "assign", "start",
                                            "finish", "return", "reply", "archive", "extend",
                                            "supervise", NULL };
static const struct allowed comp_allowed[] = {
    { ST(REGISTERED), " admit reject duplicate " },
    { ST(ADMITTED), " assign extend supervise " },
    { ST(ASSIGNED), " start extend supervise " },
    { ST(HANDLING), " finish extend supervise " },
    { ST(REVIEWING), " return reply extend supervise " },
    { ST(REPLIED), " archive " },
};
static const int comp_states[] = { ST(REGISTERED), ST(ADMITTED), ST(REJECTED), ST(DUPLICATE),
                                   ST(ASSIGNED), ST(HANDLING), ST(REVIEWING), ST(REPLIED),
                                   ST(CLOSED), 0 };
static const struct action_role comp_roles[] = {
    { "admit", " operator " }, { "reject", " operator " }, { "duplicate", " operator " },
    { "assign", " operator " }, { "start", " officer " }, { "finish", " officer " },
    { "return", " operator " }, { "reply", " operator " }, { "archive", " operator " },
    { "extend", " leader " }, { "supervise", " leader " }, { NULL, NULL },
};

/* ---- enforcement cases ----------------------------------------------------------------- */
static const char *const case_actions[] = { "file", "dismiss", "investigate", "decide",
                                            "execute", "daily_penalty", "close", NULL };
static const struct allowed case_allowed[] = {
    { ST(REGISTERED), " file dismiss " },
    { ST(FILED), " investigate " },
    { ST(INVESTIGATING), " decide " },
    { ST(DECIDED), " execute close " },
    { ST(EXECUTING), " daily_penalty close " },
};
static const int case_states[] = { ST(REGISTERED), ST(FILED), ST(INVESTIGATING), ST(DECIDED),
                                   ST(EXECUTING), ST(CLOSED), ST(DISMISSED), 0 };
static const struct action_role case_roles[] = {
    { "file", " leader " }, { "dismiss", " leader " }, { "investigate", " operator officer " },
    { "decide", " leader " }, { "execute", " operator officer " },
    { "daily_penalty", " leader " }, { "close", " leader " }, { NULL, NULL },
};

/* ---- river-chief problems (standards.md 7.1) ----------------------------------------------- */
static const char *const river_actions[] = { "dispatch", "start", "finish", "verify", "return",
                                             "escalate", NULL };
static const struct allowed river_allowed[] = {
    { ST(REPORTED), " dispatch escalate " },
    { ST(DISPATCHED), " start escalate " },
    { ST(HANDLING), " finish escalate " },
    { ST(VERIFYING), " verify return " },
    { ST(RETURNED), " start escalate " },
};
static const int river_states[] = { ST(REPORTED), ST(DISPATCHED), ST(HANDLING), ST(VERIFYING),
                                    ST(CLOSED), ST(RETURNED), 0 };
static const struct action_role river_roles[] = {
    { "dispatch", " operator chief " }, { "start", " officer chief " },
    { "finish", " officer chief " }, { "verify", " chief operator " },
    { "return", " chief operator " }, { "escalate", " chief operator system " }, { NULL, NULL },
};

static const struct kind_spec specs[] = {
    { EW_LEDGER_TASK, task_actions, task_allowed, EW_ARRAY_LEN(task_allowed), task_states,
      task_roles },
    { EW_LEDGER_RECTIFY, rect_actions, rect_allowed, EW_ARRAY_LEN(rect_allowed), rect_states,
      rect_roles },
    { EW_LEDGER_COMPLAINT, comp_actions, comp_allowed, EW_ARRAY_LEN(comp_allowed), comp_states,
      comp_roles },
    { EW_LEDGER_CASE, case_actions, case_allowed, EW_ARRAY_LEN(case_allowed), case_states,
      case_roles },
    { EW_LEDGER_RIVER, river_actions, river_allowed, EW_ARRAY_LEN(river_allowed), river_states,
      river_roles },
};

static const char *const all_roles[] = { "operator", "leader", "officer", "inspector", "chief",
                                         "public", "system" };

static int
listed(const char *list, const char *word)
{
    char key[40];

    snprintf(key, sizeof(key), " %s ", word);
    return list != NULL && strstr(list, key) != NULL;
}

static const char *
allowed_in(const struct kind_spec *k, int state)
{
    for (size_t i = 0; i < k->n_allowed; i++)
        if (k->allowed[i].state == state)
            return k->allowed[i].actions;
    return "";
}

static const char *
roles_of(const struct kind_spec *k, const char *action)
{
    for (const struct action_role *r = k->roles; r->action != NULL; r++)
        if (strcmp(r->action, action) == 0)
            return r->roles;
    fail_msg("no roles for %s", action);
    return "";
}

/* The first role of a list: the actor used when the role is not what is being tested. */
static void
first_role(const char *roles, char *out, size_t len)
{
    snprintf(out, len, "%s", roles + 1);
    out[strcspn(out, " ")] = '\0';
}

/* An item in state with everything any action could need. */
static void
item_in(struct ew_ledger_item *it, int kind, int state)
{
    lfx_item(it, kind, "");
    it->id = 7;
    it->state = state;
    it->due_unix_s = lfx_end(2019, 6, 30);
    it->penalty_yuan = 50000;
    it->level = 5;
}

/* An action request that satisfies every precondition, by an actor of role. */
static struct ew_ledger_act
full_act(const char *action, const char *role, struct ew_ledger_actor *who)
{
    struct ew_ledger_act a;

    who->name = strcmp(role, "chief") == 0 ? "村河长甲" : "某人";
    who->role = role;
    who->unit = "平定县人民政府";
    a = lfx_act(action, *who, "because", lfx_t(2019, 5, 1, 10, 0));
    a.qty = 10;
    a.amount_yuan = 100000;
    a.days = 10;
    a.unit = "平定县生态环境分局";
    a.ref_id = 3;
    a.due_unix_s = lfx_t(2019, 7, 31, 0, 0);
    return a;
}

static void
every_state_refuses_what_its_chain_does_not_allow(void **state)
{
    const struct ew_ledger_facts facts = { .files = 1, .open_children = 0, .parent_found = 1 };
    size_t checked = 0, refused = 0;

    (void)state;
    for (size_t k = 0; k < EW_ARRAY_LEN(specs); k++) {
        const struct kind_spec *ks = &specs[k];
        for (const int *st = ks->states; *st != 0; st++) {
            for (const char *const *ac = ks->actions; *ac != NULL; ac++) {
                struct ew_ledger_item cur, next;
                struct ew_ledger_event ev;
                struct ew_ledger_actor who;
                char role[16], why[256] = "";
                first_role(roles_of(ks, *ac), role, sizeof(role));
                struct ew_ledger_act a = full_act(*ac, role, &who);
                item_in(&cur, ks->kind, *st);
                int rc = ew_ledger_plan(&cur, &a, &facts, NULL, NULL, &next, &ev, why,
                                        sizeof(why));
                int want_ok = listed(allowed_in(ks, *st), *ac);
                if (want_ok && rc != EW_OK)
                    fail_msg("%s in %s: %s refused (%d: %s)", ew_ledger_kind_name(ks->kind),
                             ew_ledger_state_name(*st), *ac, rc, why);
                if (!want_ok && rc != EW_ESTATE)
                    fail_msg("%s in %s: %s gave %d, want EW_ESTATE (%s)",
                             ew_ledger_kind_name(ks->kind), ew_ledger_state_name(*st), *ac, rc,
                             why);
                if (!want_ok)
                    refused++;
                if (want_ok) {
                    assert_int_equal(ev.from_state, *st);
                    assert_int_equal(ev.to_state, next.state);
                    assert_string_equal(ev.action, *ac);
                }
                checked++;
            }
        }
    }
    /* 6x7 + 9x10 + 9x11 + 7x7 + 6x6 pairs; most are refusals. */
    assert_int_equal(42 + 90 + 99 + 49 + 36, checked);
    assert_true(refused > checked / 2);
}

static void
every_role_without_the_right_is_denied(void **state)
{
    const struct ew_ledger_facts facts = { .files = 1, .parent_found = 1 };

    (void)state;
    for (size_t k = 0; k < EW_ARRAY_LEN(specs); k++) {
        const struct kind_spec *ks = &specs[k];
        for (size_t i = 0; i < ks->n_allowed; i++) {
            for (const char *const *ac = ks->actions; *ac != NULL; ac++) {
                if (!listed(ks->allowed[i].actions, *ac))
                    continue;
                for (size_t r = 0; r < EW_ARRAY_LEN(all_roles); r++) {
                    struct ew_ledger_item cur, next;
                    struct ew_ledger_event ev;
                    struct ew_ledger_actor who;
                    char why[256] = "";
                    struct ew_ledger_act a = full_act(*ac, all_roles[r], &who);
                    item_in(&cur, ks->kind, ks->allowed[i].state);
                    int rc = ew_ledger_plan(&cur, &a, &facts, NULL, NULL, &next, &ev, why,
                                            sizeof(why));
                    int may = listed(roles_of(ks, *ac), all_roles[r]);
                    if (may && rc != EW_OK)
                        fail_msg("%s %s by %s: %d %s", ew_ledger_kind_name(ks->kind), *ac,
                                 all_roles[r], rc, why);
                    if (!may && rc != EW_EDENIED)
                        fail_msg("%s %s by %s: %d, want EW_EDENIED", ew_ledger_kind_name(ks->kind),
                                 *ac, all_roles[r], rc);
                }
            }
        }
    }
}

static void
officer_of_another_unit_and_other_chief_are_denied(void **state)
{
    struct ew_ledger_item cur, next;
    struct ew_ledger_event ev;
    struct ew_ledger_act a;
    char why[256];

    (void)state;
    item_in(&cur, EW_LEDGER_RECTIFY, ST(NOT_STARTED));
    a = lfx_act("start", lfx_other_officer, NULL, lfx_t(2019, 5, 1, 9, 0));
    assert_int_equal(EW_EDENIED, ew_ledger_plan(&cur, &a, NULL, NULL, NULL, &next, &ev, why,
                                                sizeof(why)));
    a = lfx_act("start", lfx_officer, NULL, lfx_t(2019, 5, 1, 9, 0));
    assert_int_equal(EW_OK, ew_ledger_plan(&cur, &a, NULL, NULL, NULL, &next, &ev, why,
                                           sizeof(why)));

    item_in(&cur, EW_LEDGER_RIVER, ST(DISPATCHED));
    a = lfx_act("start", (struct ew_ledger_actor){ "村河长乙", "chief", "" }, NULL,
                lfx_t(2019, 5, 1, 9, 0));
    assert_int_equal(EW_EDENIED, ew_ledger_plan(&cur, &a, NULL, NULL, NULL, &next, &ev, why,
                                                sizeof(why)));
}

static void
unknown_actions_roles_and_missing_actor_are_invalid(void **state)
{
    struct ew_ledger_item cur, next;
    struct ew_ledger_event ev;
    struct ew_ledger_act a;

    (void)state;
    item_in(&cur, EW_LEDGER_TASK, ST(NOT_STARTED));
    next.state = -5;
    a = lfx_act("launch", lfx_officer, NULL, 1);
    assert_int_equal(EW_EINVAL, ew_ledger_plan(&cur, &a, NULL, NULL, NULL, &next, &ev, NULL, 0));
    a = lfx_act("start", (struct ew_ledger_actor){ "x", "mayor", "" }, NULL, 1);
    assert_int_equal(EW_EINVAL, ew_ledger_plan(&cur, &a, NULL, NULL, NULL, &next, &ev, NULL, 0));
    a = lfx_act("start", (struct ew_ledger_actor){ NULL, "officer", "" }, NULL, 1);
    assert_int_equal(EW_EINVAL, ew_ledger_plan(&cur, &a, NULL, NULL, NULL, &next, &ev, NULL, 0));
    assert_int_equal(-5, next.state);   /* out-params untouched on error */
}

static int
append_action(void *ctx, const char *action, int to_state)
{
    char *seen = ctx;
    size_t n = strlen(seen);

    (void)to_state;
    snprintf(seen + n, 256 - n, "%s ", action);
    return 0;
}

static void
actions_each_lists_the_chain(void **state)
{
    char seen[256] = " ";

    (void)state;
    /* Only what a leader may do on an admitted complaint. */
    assert_int_equal(EW_OK, ew_ledger_actions_each(EW_LEDGER_COMPLAINT, ST(ADMITTED), "leader",
                                                   append_action, seen));
    assert_string_equal(" extend supervise ", seen);
}

static void
names_and_labels_round_trip(void **state)
{
    int kind = 0, st = 0;

    (void)state;
    assert_int_equal(EW_OK, ew_ledger_kind_parse("督察整改", &kind));
    assert_int_equal(EW_LEDGER_RECTIFY, kind);
    assert_string_equal("已销号", ew_ledger_state_label(EW_LEDGER_RECTIFY, ST(CLOSED)));
    assert_string_equal("归档", ew_ledger_state_label(EW_LEDGER_COMPLAINT, ST(CLOSED)));
    assert_int_equal(EW_OK, ew_ledger_state_parse(EW_LEDGER_RECTIFY, "已销号", &st));
    assert_int_equal(ST(CLOSED), st);
    assert_int_equal(EW_OK, ew_ledger_state_parse(EW_LEDGER_RECTIFY, "整改中", &st));
    assert_int_equal(ST(IN_PROGRESS), st);
    /* A complaint has no 公示 state. */
    assert_int_equal(EW_EINVAL, ew_ledger_state_parse(EW_LEDGER_COMPLAINT, "公示中", &st));
    assert_int_equal(ST(IN_PROGRESS), st);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_state_refuses_what_its_chain_does_not_allow),
        cmocka_unit_test(every_role_without_the_right_is_denied),
        cmocka_unit_test(officer_of_another_unit_and_other_chief_are_denied),
        cmocka_unit_test(unknown_actions_roles_and_missing_actor_are_invalid),
        cmocka_unit_test(actions_each_lists_the_chain),
        cmocka_unit_test(names_and_labels_round_trip),
    };
    return cmocka_run_group_tests_name("ledger/workflow", tests, NULL, NULL);
}
