/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/ledger/life_test.c -- each kind of work item through its whole life in a real
 * store: the complaint's legal clock with an extension (环境保护部令第15号: 15 / 60 / +30
 * days), a rectification item closed with evidence after its publicity period and then
 * rebounded, a river-chief problem escalated by the deadline pass when overdue, an alarm
 * escalated to a case, and the working-day calendar.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <envwatch/emission.h>

#include "unit/ledger/lfix.h"

#define ST(x) EW_LEDGER_ST_##x

static int
act(struct lfx *f, int64_t id, struct ew_ledger_act a)
{
    f->why[0] = '\0';
    return ew_ledger_act(f->s, id, &a, NULL, NULL, NULL, f->why, sizeof(f->why));
}

static struct ew_ledger_item
get(struct lfx *f, int64_t id)
{
    struct ew_ledger_item it;

    assert_int_equal(EW_OK, ew_store_ledger_item_get(f->s, id, &it));
    return it;
}

static int
count_event(void *ctx, const struct ew_ledger_event *ev)
{
    (void)ev;
    (*(int *)ctx)++;
    return 0;
}

static int
history_len(struct lfx *f, int64_t id)
{
    int n = 0;

    assert_int_equal(EW_OK, ew_store_ledger_event_each(f->s, id, count_event, &n));
    return n;
}

static int64_t
create(struct lfx *f, struct ew_ledger_item *it, const struct ew_ledger_actor *who, int64_t now)
{
    int rc = ew_ledger_create(f->s, it, who, now, NULL, NULL, f->why, sizeof(f->why));

    if (rc != EW_OK)
        fail_msg("create: %d %s", rc, f->why);
    return it->id;
}

static void
task_counts_its_quantity_to_completion(void **state)
{
    struct lfx *f = *state;
    struct ew_ledger_item it;
    struct ew_ledger_act a;
    int64_t t0 = lfx_t(2019, 3, 1, 9, 0), id;

    lfx_item(&it, EW_LEDGER_TASK, "三年行动-清洁取暖-平定");
    it.qty_target = 12000;              /* clean-heating households */
    it.due_unix_s = lfx_t(2019, 10, 31, 0, 0);
    /* Only the bureau registers tasks. */
    assert_int_equal(EW_EDENIED, ew_ledger_create(f->s, &it, &lfx_officer, t0, NULL, NULL,
                                                  NULL, 0));
    id = create(f, &it, &lfx_operator, t0);
    assert_int_equal(lfx_end(2019, 10, 31), get(f, id).due_unix_s);
    assert_int_equal(EW_OK, act(f, id, lfx_act("start", lfx_officer, NULL, t0 + 86400)));
    a = lfx_act("progress", lfx_officer, NULL, t0 + 100 * 86400);
    a.qty = 7000;
    assert_int_equal(EW_OK, act(f, id, a));
    /* Not complete before the target is reached. */
    assert_int_equal(EW_EINVAL, act(f, id, lfx_act("submit", lfx_officer, "done", t0 + 101 * 86400)));
    a.qty = 12050;
    assert_int_equal(EW_OK, act(f, id, a));
    assert_int_equal(EW_OK, act(f, id, lfx_act("submit", lfx_officer, "12050 households", t0 + 200 * 86400)));
    assert_int_equal(EW_OK, act(f, id, lfx_act("return", lfx_operator, "list of villages missing", t0 + 201 * 86400)));
    assert_int_equal(0, get(f, id).done_unix_s);                /* the clock runs again */
    assert_int_equal(EW_OK, act(f, id, lfx_act("resume", lfx_officer, NULL, t0 + 202 * 86400)));
    assert_int_equal(EW_OK, act(f, id, lfx_act("submit", lfx_officer, "with the list", t0 + 203 * 86400)));
    assert_int_equal(EW_OK, act(f, id, lfx_act("accept", lfx_leader, NULL, t0 + 204 * 86400)));
    it = get(f, id);
    assert_int_equal(ST(CLOSED), it.state);
    assert_true(it.done_unix_s == t0 + 203 * 86400 && it.done_unix_s <= it.due_unix_s);
    assert_int_equal(t0 + 204 * 86400, it.closed_unix_s);
    assert_true(it.qty_done == 12050);
    /* register + start + 2 progress + submit + return + resume + submit + accept */
    assert_int_equal(9, history_len(f, id));
    assert_int_equal(EW_ESTATE, act(f, id, lfx_act("start", lfx_officer, NULL, t0 + 205 * 86400)));
}

static void
rectification_closes_with_evidence_then_rebounds(void **state)
{
    struct lfx *f = *state;
    struct ew_ledger_item issue, task, it;
    struct ew_ledger_act a;
    struct ew_ledger_file file;
    int64_t t0 = lfx_t(2017, 8, 1, 9, 0), iid, tid;
    static const char pdf[] = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

    lfx_item(&issue, EW_LEDGER_RECTIFY, "中督-2017-晋-001");
    snprintf(issue.title, sizeof(issue.title), "煤矸石山自燃治理不到位");
    issue.level = 1;
    issue.due_unix_s = lfx_t(2018, 12, 31, 0, 0);
    iid = create(f, &issue, &lfx_inspector, t0);
    lfx_item(&task, EW_LEDGER_RECTIFY, "中督-2017-晋-001-1");
    task.parent_id = iid;
    task.due_unix_s = lfx_t(2018, 6, 30, 0, 0);
    tid = create(f, &task, &lfx_inspector, t0);
    /* A Party and a government leader are both required (领办). */
    lfx_item(&it, EW_LEDGER_RECTIFY, "x");
    it.gov_leader[0] = '\0';
    assert_int_equal(EW_EINVAL, ew_ledger_create(f->s, &it, &lfx_inspector, t0, NULL, NULL,
                                                 NULL, 0));

    assert_int_equal(EW_OK, act(f, iid, lfx_act("start", lfx_officer, NULL, t0)));
    assert_int_equal(EW_OK, act(f, tid, lfx_act("start", lfx_officer, NULL, t0)));
    assert_int_equal(EW_OK, act(f, tid, lfx_act("progress", lfx_officer, "3 of 5 hills covered", t0 + 86400 * 60)));
    /* No closing application without evidence. */
    assert_int_equal(EW_EINVAL, act(f, tid, lfx_act("apply_close", lfx_officer, "done", t0 + 86400 * 200)));
    assert_non_null(strstr(f->why, "evidence"));
    /* Evidence is type-checked and size-limited before it is kept. */
    assert_int_equal(EW_EFORMAT, ew_ledger_attach(f->s, tid, &lfx_officer, "x.pdf",
                                                  "MZ\x90\x00\x03", 5, t0, NULL, NULL, NULL, 0));
    assert_int_equal(EW_OK, ew_ledger_attach(f->s, tid, &lfx_officer, "验收报告.pdf", pdf,
                                             sizeof(pdf) - 1, t0 + 86400 * 200, NULL, &file,
                                             f->why, sizeof(f->why)));
    assert_int_equal(EW_EEXIST, ew_ledger_attach(f->s, tid, &lfx_officer, "again.pdf", pdf,
                                                 sizeof(pdf) - 1, t0, NULL, NULL, NULL, 0));
    {
        char path[4200];
        FILE *in;
        char back[sizeof(pdf)] = "";
        assert_int_equal(EW_OK, ew_ledger_file_path(f->s, file.sha256, path, sizeof(path)));
        assert_non_null(in = fopen(path, "rb"));
        assert_int_equal(sizeof(pdf) - 1, fread(back, 1, sizeof(back), in));
        fclose(in);
        assert_memory_equal(pdf, back, sizeof(pdf) - 1);
        assert_string_equal("application/pdf", file.mime);
    }
    /* The issue cannot apply while its task is open, even with evidence. */
    assert_int_equal(EW_OK, ew_ledger_attach(f->s, iid, &lfx_officer, "plan.txt", "整改方案", 12,
                                             t0, NULL, NULL, NULL, 0));
    assert_int_equal(EW_EINVAL, act(f, iid, lfx_act("apply_close", lfx_officer, "done", t0 + 86400 * 200)));

    assert_int_equal(EW_OK, act(f, tid, lfx_act("apply_close", lfx_officer, "all covered", t0 + 86400 * 200)));
    assert_int_equal(EW_EDENIED, act(f, tid, lfx_act("accept", lfx_officer, NULL, t0 + 86400 * 201)));
    assert_int_equal(EW_OK, act(f, tid, lfx_act("accept", lfx_inspector, NULL, t0 + 86400 * 205)));
    /* 2018-02-22 (Thu) + 5 working days = 2018-03-01 (Thu) */
    assert_int_equal(EW_OK, act(f, tid, lfx_act("publicize", lfx_inspector, NULL, lfx_t(2018, 2, 22, 10, 0))));
    assert_int_equal(lfx_end(2018, 3, 1), get(f, tid).mark_unix_s);
    assert_int_equal(EW_ESTATE, act(f, tid, lfx_act("close", lfx_inspector, NULL, lfx_t(2018, 3, 1, 18, 0))));
    assert_int_equal(EW_OK, act(f, tid, lfx_act("close", lfx_inspector, NULL, lfx_t(2018, 3, 2, 9, 0))));
    it = get(f, tid);
    assert_int_equal(ST(CLOSED), it.state);
    assert_string_equal("已销号", ew_ledger_state_label(it.kind, it.state));
    assert_true(it.closed_unix_s > 0 && it.done_unix_s <= it.due_unix_s);

    /* The hill burns again: 反弹 opens the item with a new deadline. */
    a = lfx_act("rebound", lfx_inspector, "回头看: 2 hills burning again", lfx_t(2018, 11, 10, 9, 0));
    assert_int_equal(EW_EINVAL, act(f, tid, a));                 /* no new deadline */
    a.due_unix_s = lfx_t(2019, 3, 31, 0, 0);
    assert_int_equal(EW_OK, act(f, tid, a));
    it = get(f, tid);
    assert_int_equal(ST(REBOUNDED), it.state);
    assert_int_equal(0, it.closed_unix_s);
    assert_int_equal(0, it.done_unix_s);
    assert_int_equal(lfx_end(2019, 3, 31), it.due_unix_s);
    assert_int_equal(EW_OK, act(f, tid, lfx_act("resume", lfx_officer, NULL, lfx_t(2018, 11, 11, 9, 0))));
    assert_int_equal(ST(IN_PROGRESS), get(f, tid).state);
    /* The issue still waits for its task. */
    assert_int_equal(EW_EINVAL, act(f, iid, lfx_act("apply_close", lfx_officer, "done", lfx_t(2018, 11, 12, 9, 0))));
}

static void
complaint_legal_clock_with_one_extension(void **state)
{
    struct lfx *f = *state;
    struct ew_ledger_item it, dup;
    struct ew_ledger_act a;
    struct ew_ledger_sweep_result sw;
    int64_t id, did;

    lfx_item(&it, EW_LEDGER_COMPLAINT, "12369-20190301-0007");
    it.opened_unix_s = lfx_t(2019, 3, 1, 15, 20);
    id = create(f, &it, &lfx_public, lfx_t(2019, 3, 1, 15, 20));
    /* 15 days to decide on acceptance: 2019-03-16. */
    assert_int_equal(lfx_end(2019, 3, 16), get(f, id).due_unix_s);
    assert_int_equal(EW_OK, ew_ledger_sweep(f->s, lfx_t(2019, 3, 16, 23, 0), NULL, NULL, &sw));
    assert_int_equal(0, sw.overdue);
    assert_int_equal(EW_EDENIED, act(f, id, lfx_act("admit", lfx_officer, NULL, lfx_t(2019, 3, 5, 9, 0))));
    assert_int_equal(EW_ESTATE, act(f, id, lfx_act("start", lfx_officer, NULL, lfx_t(2019, 3, 5, 9, 0))));
    assert_int_equal(EW_OK, act(f, id, lfx_act("admit", lfx_operator, NULL, lfx_t(2019, 3, 5, 9, 0))));
    /* 60 days from acceptance: 2019-05-04. */
    assert_int_equal(lfx_end(2019, 5, 4), get(f, id).due_unix_s);
    a = lfx_act("assign", lfx_operator, NULL, lfx_t(2019, 3, 5, 10, 0));
    assert_int_equal(EW_EINVAL, act(f, id, a));                  /* to whom? */
    a.unit = "平定县人民政府";
    assert_int_equal(EW_OK, act(f, id, a));
    assert_int_equal(EW_EDENIED, act(f, id, lfx_act("start", lfx_other_officer, NULL, lfx_t(2019, 3, 6, 9, 0))));
    assert_int_equal(EW_OK, act(f, id, lfx_act("start", lfx_officer, NULL, lfx_t(2019, 3, 6, 9, 0))));
    /* One extension of at most 30 days, approved by the head (leader), with a reason. */
    a = lfx_act("extend", lfx_operator, "sampling lab backlog", lfx_t(2019, 4, 30, 9, 0));
    a.days = 20;
    assert_int_equal(EW_EDENIED, act(f, id, a));
    a.who = lfx_leader;
    a.days = 31;
    assert_int_equal(EW_EINVAL, act(f, id, a));
    a.days = 20;
    a.note = NULL;
    assert_int_equal(EW_EINVAL, act(f, id, a));
    a.note = "sampling lab backlog";
    assert_int_equal(EW_OK, act(f, id, a));
    assert_int_equal(lfx_end(2019, 5, 24), get(f, id).due_unix_s);
    a.days = 5;
    assert_int_equal(EW_EINVAL, act(f, id, a));                  /* only once */
    assert_non_null(strstr(f->why, "1 time"));
    /* Within the extended deadline nothing is overdue; past it, the pass marks it. */
    assert_int_equal(EW_OK, ew_ledger_sweep(f->s, lfx_t(2019, 5, 20, 0, 0), NULL, NULL, &sw));
    assert_int_equal(0, sw.overdue);
    assert_int_equal(EW_OK, ew_ledger_sweep(f->s, lfx_t(2019, 5, 25, 0, 5), NULL, NULL, &sw));
    assert_int_equal(1, sw.overdue);
    it = get(f, id);
    assert_int_equal(1, it.overdue);
    assert_int_equal(ST(HANDLING), it.state);                    /* the side state is a mark */
    assert_int_equal(EW_OK, ew_ledger_sweep(f->s, lfx_t(2019, 5, 26, 0, 5), NULL, NULL, &sw));
    assert_int_equal(0, sw.overdue);                             /* marked once */
    assert_int_equal(EW_OK, act(f, id, lfx_act("finish", lfx_officer, "ordered to stop", lfx_t(2019, 5, 27, 9, 0))));
    assert_int_equal(EW_OK, act(f, id, lfx_act("reply", lfx_operator, "phoned the complainant", lfx_t(2019, 5, 28, 9, 0))));
    assert_int_equal(EW_OK, act(f, id, lfx_act("archive", lfx_operator, NULL, lfx_t(2019, 6, 3, 9, 0))));
    it = get(f, id);
    assert_true(it.done_unix_s > it.due_unix_s);                 /* closed late */
    assert_int_equal(ST(CLOSED), it.state);

    /* A repeat of the same complaint is linked to it, not handled again. */
    lfx_item(&dup, EW_LEDGER_COMPLAINT, "12369-20190310-0002");
    did = create(f, &dup, &lfx_operator, lfx_t(2019, 3, 10, 9, 0));
    a = lfx_act("duplicate", lfx_operator, NULL, lfx_t(2019, 3, 10, 10, 0));
    a.ref_id = 999;
    assert_int_equal(EW_EINVAL, act(f, did, a));
    a.ref_id = id;
    assert_int_equal(EW_OK, act(f, did, a));
    dup = get(f, did);
    assert_int_equal(ST(DUPLICATE), dup.state);
    assert_int_equal(id, dup.parent_id);
    assert_true(dup.closed_unix_s > 0);
}

static int
find_duplicate_link(void *ctx, const struct ew_ledger_link *l)
{
    return strcmp(l->relation, (const char *)ctx) == 0;
}

static void
duplicate_link_is_seen_from_both_sides(void **state)
{
    struct lfx *f = *state;
    struct ew_ledger_item a, b;
    struct ew_ledger_act x;
    int64_t t = lfx_t(2019, 4, 1, 9, 0);

    lfx_item(&a, EW_LEDGER_COMPLAINT, "A");
    lfx_item(&b, EW_LEDGER_COMPLAINT, "B");
    create(f, &a, &lfx_operator, t);
    create(f, &b, &lfx_operator, t);
    x = lfx_act("duplicate", lfx_operator, NULL, t);
    x.ref_id = a.id;
    assert_int_equal(EW_OK, act(f, b.id, x));
    assert_int_equal(1, ew_store_ledger_link_each(f->s, b.id, find_duplicate_link,
                                                  "duplicate_of"));
    assert_int_equal(1, ew_store_ledger_link_each(f->s, a.id, find_duplicate_link,
                                                  "from:duplicate_of"));
}

static void
alarm_escalates_to_a_case_in_one_step(void **state)
{
    struct lfx *f = *state;
    struct ew_point p;
    struct ew_alarm al = { .kind = EW_ALARM_EXCEED, .factor = "a21026", .active = 1,
                           .start_unix_s = lfx_t(2019, 7, 1, 8, 0), .peak = 180,
                           .limit = 35, .multiple = 4.14, .count = 6 };
    struct ew_alarm_step first = { .state = EW_ALARM_STATE_OPEN, .by = "system",
                                   .at_ms = lfx_t(2019, 7, 1, 9, 0) * 1000 };
    struct ew_ledger_item cs, again;
    struct ew_ledger_act a;
    int64_t t = lfx_t(2019, 7, 1, 10, 0);

    ew_point_init(&p);
    snprintf(p.mn, sizeof(p.mn), "MN140300001");
    snprintf(p.pw, sizeof(p.pw), "123456");
    snprintf(p.name, sizeof(p.name), "某电厂1号机组");
    snprintf(p.kind, sizeof(p.kind), "flue");
    snprintf(p.county, sizeof(p.county), "郊区");
    assert_int_equal(EW_OK, ew_store_point_put(f->s, &p));
    al.point_id = p.id;
    assert_int_equal(EW_OK, ew_store_alarm_open(f->s, &al, &first));
    assert_int_equal(EW_EDENIED, ew_ledger_case_from_alarm(f->s, al.id, &lfx_officer, t, NULL,
                                                           &cs, NULL, 0));
    assert_int_equal(EW_OK, ew_ledger_case_from_alarm(f->s, al.id, &lfx_operator, t, NULL, &cs,
                                                      f->why, sizeof(f->why)));
    assert_int_equal(EW_LEDGER_CASE, cs.kind);
    assert_int_equal(ST(REGISTERED), cs.state);
    assert_string_equal("alarm", cs.source);
    assert_string_equal("某电厂1号机组", cs.subject);
    assert_string_equal("郊区", cs.county);
    assert_int_equal(EW_EEXIST, ew_ledger_case_from_alarm(f->s, al.id, &lfx_operator, t, NULL,
                                                          &again, NULL, 0));
    assert_int_equal(cs.id, again.id);

    /* The case's life: filing, investigation, decision, daily penalty, closing. */
    assert_int_equal(EW_EDENIED, act(f, cs.id, lfx_act("file", lfx_operator, NULL, t)));
    assert_int_equal(EW_OK, act(f, cs.id, lfx_act("file", lfx_leader, NULL, t + 3600)));
    assert_int_equal(lfx_end(2019, 9, 29), get(f, cs.id).due_unix_s);   /* +90 days */
    assert_int_equal(EW_ESTATE, act(f, cs.id, lfx_act("decide", lfx_leader, "x", t + 7200)));
    assert_int_equal(EW_OK, act(f, cs.id, lfx_act("investigate", lfx_operator, NULL, t + 7200)));
    a = lfx_act("decide", lfx_leader, "阳环罚〔2019〕31号", t + 86400 * 20);
    assert_int_equal(EW_EINVAL, act(f, cs.id, a));               /* no amount */
    a.amount_yuan = 200000;
    assert_int_equal(EW_OK, act(f, cs.id, a));
    a = lfx_act("daily_penalty", lfx_leader, "still exceeding after the order", t + 86400 * 40);
    a.days = 12;
    assert_int_equal(EW_ESTATE, act(f, cs.id, a));               /* not executing yet */
    assert_int_equal(EW_OK, act(f, cs.id, lfx_act("execute", lfx_operator, NULL, t + 86400 * 30)));
    assert_int_equal(EW_OK, act(f, cs.id, a));
    assert_int_equal(EW_OK, act(f, cs.id, lfx_act("close", lfx_leader, NULL, t + 86400 * 60)));
    cs = get(f, cs.id);
    assert_int_equal(ST(CLOSED), cs.state);
    assert_int_equal(12, cs.penalty_days);
    assert_true(cs.penalty_yuan == 200000);
    assert_string_equal("结案", ew_ledger_state_label(cs.kind, cs.state));
}

static void
river_problem_escalates_when_overdue(void **state)
{
    struct lfx *f = *state;
    struct ew_ledger_reach village = { "TAO-V1", "桃河", "桃河某村段", "平定县", 5, "村河长甲",
                                       "TAO-T1" };
    struct ew_ledger_reach town = { "TAO-T1", "桃河", "桃河某镇段", "平定县", 4, "镇河长乙",
                                    "TAO-C1" };
    struct ew_ledger_item it;
    struct ew_ledger_sweep_result sw;
    struct ew_ledger_actor chief_a = { "村河长甲", "chief", "" };
    struct ew_ledger_actor chief_b = { "镇河长乙", "chief", "" };
    int64_t id, t0 = lfx_t(2019, 6, 3, 9, 0);    /* a Monday */

    assert_int_equal(EW_OK, ew_store_ledger_reach_put(f->s, &village));
    assert_int_equal(EW_OK, ew_store_ledger_reach_put(f->s, &town));
    lfx_item(&it, EW_LEDGER_RIVER, "HZ-2019-0603-01");
    snprintf(it.title, sizeof(it.title), "河道内倾倒生活垃圾");
    id = create(f, &it, &chief_a, t0);
    assert_int_equal(EW_EDENIED, act(f, id, lfx_act("dispatch", chief_b, NULL, t0)));
    assert_int_equal(EW_OK, act(f, id, lfx_act("dispatch", chief_a, NULL, t0)));
    /* 10 working days from Mon 2019-06-03, with the Dragon Boat holiday (Fri 06-07) off:
     * 06-04..06-06 (3), 06-10..06-14 (5), 06-17, 06-18 -> Tue 2019-06-18. */
    {
        struct ew_calendar *cal;
        struct ew_ledger_act d = lfx_act("dispatch", chief_a, NULL, t0);
        struct ew_ledger_item tmp;
        lfx_item(&tmp, EW_LEDGER_RIVER, "tmp");
        tmp.state = ST(REPORTED);
        tmp.id = 99;
        struct ew_ledger_item nx;
        struct ew_ledger_event ev;
        assert_int_equal(EW_OK, ew_calendar_create(&cal));
        assert_int_equal(EW_OK, ew_calendar_parse(cal, "2019-06-07 off # 端午节\n", NULL, NULL, 0));
        assert_int_equal(EW_OK, ew_ledger_plan(&tmp, &d, NULL, NULL, cal, &nx, &ev, NULL, 0));
        assert_int_equal(lfx_end(2019, 6, 18), nx.due_unix_s);
        ew_calendar_destroy(cal);
    }
    assert_int_equal(lfx_end(2019, 6, 17), get(f, id).due_unix_s);  /* no holiday calendar */
    assert_int_equal(EW_OK, act(f, id, lfx_act("start", chief_a, NULL, t0 + 86400)));
    assert_int_equal(EW_OK, ew_ledger_sweep(f->s, lfx_t(2019, 6, 17, 12, 0), NULL, NULL, &sw));
    assert_int_equal(0, sw.overdue);
    assert_int_equal(EW_OK, ew_ledger_sweep(f->s, lfx_t(2019, 6, 18, 8, 0), NULL, NULL, &sw));
    assert_int_equal(1, sw.overdue);
    assert_int_equal(1, sw.escalated);
    it = get(f, id);
    assert_int_equal(4, it.level);
    assert_string_equal("镇河长乙", it.leader);
    assert_string_equal("TAO-T1", it.subject);
    assert_int_equal(ST(HANDLING), it.state);
    assert_int_equal(0, it.overdue);                             /* a new deadline runs */
    assert_int_equal(lfx_end(2019, 7, 2), it.due_unix_s);        /* 10 working days on */
    /* register, dispatch, start, overdue, escalate */
    assert_int_equal(5, history_len(f, id));
    /* The village chief no longer holds it; the township chief does. */
    assert_int_equal(EW_EDENIED, act(f, id, lfx_act("finish", chief_a, "cleaned", lfx_t(2019, 6, 19, 9, 0))));
    assert_int_equal(EW_OK, act(f, id, lfx_act("finish", chief_b, "cleaned", lfx_t(2019, 6, 19, 9, 0))));
    assert_int_equal(EW_OK, act(f, id, lfx_act("return", chief_b, "still litter", lfx_t(2019, 6, 20, 9, 0))));
    assert_int_equal(EW_OK, act(f, id, lfx_act("start", chief_b, NULL, lfx_t(2019, 6, 20, 10, 0))));
    assert_int_equal(EW_OK, act(f, id, lfx_act("finish", chief_b, "cleaned", lfx_t(2019, 6, 21, 9, 0))));
    assert_int_equal(EW_OK, act(f, id, lfx_act("verify", chief_b, NULL, lfx_t(2019, 6, 21, 15, 0))));
    assert_string_equal("已核销", ew_ledger_state_label(EW_LEDGER_RIVER, get(f, id).state));
}

static void
patrols_are_judged_by_duration_and_length(void **state)
{
    struct lfx *f = *state;
    static const struct {
        int level, minutes;
        double km;
        int valid;
    } cases[] = {
        { 5, 45, 2.5, 1 }, { 5, 45, 1.9, 0 },    /* village: 2 km at least */
        { 4, 29, 5.0, 0 }, { 4, 30, 2.0, 1 },    /* 30 minutes at least, on the bound */
        { 3, 40, 0.5, 1 },                       /* county: no length rule */
    };

    for (size_t i = 0; i < EW_ARRAY_LEN(cases); i++) {
        struct ew_ledger_patrol p = { .level = cases[i].level, .chief = "某河长",
                                      .reach = "TAO-V1", .length_km = cases[i].km,
                                      .start_unix_s = lfx_t(2019, 6, 3, 9, 0) };
        p.end_unix_s = p.start_unix_s + cases[i].minutes * 60;
        ew_ledger_patrol_judge(NULL, &p);
        assert_int_equal(cases[i].valid, p.valid);
        assert_int_equal(EW_OK, ew_store_ledger_patrol_add(f->s, &p));
    }
}

static void
calendar_counts_working_days_with_swaps(void **state)
{
    struct ew_calendar *cal;
    int64_t due;
    int n, line = 0;
    /* 2019 National Day [M: as remembered]: 10-01..10-07 off, Sun 09-29 and Sat 10-12 worked. */
    const char *text = "# 2019 国庆\n2019-09-29 work\n2019-10-01 off\n2019-10-02 off\n"
                       "2019-10-03 off\n2019-10-04 off\n2019-10-07 off\n2019-10-12 班\n";

    (void)state;
    assert_int_equal(EW_OK, ew_calendar_create(&cal));
    assert_int_equal(EW_OK, ew_calendar_parse(cal, text, &line, NULL, 0));
    assert_int_equal(EW_OK, ew_calendar_add_workdays(cal, lfx_t(2019, 9, 27, 16, 0), 1, &due));
    assert_int_equal(lfx_end(2019, 9, 29), due);
    assert_int_equal(EW_OK, ew_calendar_add_workdays(cal, lfx_t(2019, 9, 27, 16, 0), 3, &due));
    assert_int_equal(lfx_end(2019, 10, 8), due);
    assert_int_equal(EW_OK, ew_calendar_add_workdays(cal, lfx_t(2019, 10, 11, 16, 0), 1, &due));
    assert_int_equal(lfx_end(2019, 10, 12), due);
    assert_int_equal(EW_OK, ew_calendar_workdays_between(cal, lfx_t(2019, 9, 27, 0, 0),
                                                         lfx_t(2019, 10, 13, 0, 0), &n));
    assert_int_equal(7, n);     /* 09-29, 09-30, 10-08..10-11, 10-12 */
    assert_int_equal(EW_EFORMAT, ew_calendar_parse(cal, "2019-10-08 off\n2019-02-30 off\n",
                                                   &line, NULL, 0));
    assert_int_equal(2, line);
    assert_int_equal(1, ew_calendar_is_workday(cal, ew_days_from_civil(2019, 10, 8)));
    assert_int_equal(EW_EINVAL, ew_calendar_add_workdays(cal, 0, -1, &due));
    ew_calendar_destroy(cal);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(task_counts_its_quantity_to_completion, lfx_setup,
                                        lfx_teardown),
        cmocka_unit_test_setup_teardown(rectification_closes_with_evidence_then_rebounds,
                                        lfx_setup, lfx_teardown),
        cmocka_unit_test_setup_teardown(complaint_legal_clock_with_one_extension, lfx_setup,
                                        lfx_teardown),
        cmocka_unit_test_setup_teardown(duplicate_link_is_seen_from_both_sides, lfx_setup,
                                        lfx_teardown),
        cmocka_unit_test_setup_teardown(alarm_escalates_to_a_case_in_one_step, lfx_setup,
                                        lfx_teardown),
        cmocka_unit_test_setup_teardown(river_problem_escalates_when_overdue, lfx_setup,
                                        lfx_teardown),
        cmocka_unit_test_setup_teardown(patrols_are_judged_by_duration_and_length, lfx_setup,
                                        lfx_teardown),
        cmocka_unit_test(calendar_counts_working_days_with_swaps),
    };
    return cmocka_run_group_tests_name("ledger/life", tests, NULL, NULL);
}
