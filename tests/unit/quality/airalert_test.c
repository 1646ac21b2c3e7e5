/* SPDX-License-Identifier: MIT */
/*
 * src/quality/airalert.c: the heavy-pollution alert levels of the 2017 national template
 * (reference/air.md section 6), rule parsing, episodes and gaps, and the state machine's
 * start, raise, lower and end events.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <envwatch/air.h>
#include <envwatch/err.h>

#define A(...) ((const int[]){ __VA_ARGS__ })
#define N(...) (sizeof((const int[]){ __VA_ARGS__ }) / sizeof(int))

static int
level_of(const struct ew_air_alert_cfg *cfg, const int *aqi, size_t n, size_t today)
{
    struct ew_air_alert_outlook o = { aqi, n, today };
    int level = -1;

    assert_int_equal(EW_OK, ew_air_alert_level(cfg, &o, &level));
    return level;
}

#define LEVEL(cfg, today, ...) level_of(cfg, A(__VA_ARGS__), N(__VA_ARGS__), today)

static void
national_template_levels(void **state)
{
    struct ew_air_alert_cfg c;

    (void)state;
    ew_air_alert_cfg_national(&c);
    assert_int_equal(EW_ALERT_NONE, LEVEL(&c, 0, 200, 150));          /* 200 is not > 200 */
    assert_int_equal(EW_ALERT_BLUE, LEVEL(&c, 0, 201));
    assert_int_equal(EW_ALERT_YELLOW, LEVEL(&c, 0, 250, 250));
    assert_int_equal(EW_ALERT_YELLOW, LEVEL(&c, 0, 250, 250, 250));    /* no day > 300 */
    assert_int_equal(EW_ALERT_ORANGE, LEVEL(&c, 0, 250, 250, 310));
    assert_int_equal(EW_ALERT_ORANGE, LEVEL(&c, 0, 250, 250, 310, 250)); /* one day > 300 */
    assert_int_equal(EW_ALERT_RED, LEVEL(&c, 0, 250, 250, 310, 320));
    assert_int_equal(EW_ALERT_RED, LEVEL(&c, 0, 500));                 /* reaching 500 */
    assert_int_equal(EW_ALERT_BLUE, LEVEL(&c, 0, 499));
    /* An episode starting tomorrow counts; one that ended before today does not. */
    assert_int_equal(EW_ALERT_BLUE, LEVEL(&c, 0, 150, 250, 150));
    assert_int_equal(EW_ALERT_NONE, LEVEL(&c, 4, 250, 250, 250, 100, 100));
    /* Observed days continuing into today count (no forecast given). */
    assert_int_equal(EW_ALERT_YELLOW, LEVEL(&c, 2, 150, 250, 250));
}

static void
a_short_gap_joins_episodes(void **state)
{
    struct ew_air_alert_cfg c;

    (void)state;
    ew_air_alert_cfg_national(&c);
    assert_int_equal(EW_ALERT_YELLOW, LEVEL(&c, 0, 250, 100, 250));    /* gap 1 <= 1 */
    assert_int_equal(EW_ALERT_BLUE, LEVEL(&c, 0, 250, 100, 100, 250)); /* gap 2 */
    assert_int_equal(EW_ALERT_BLUE, LEVEL(&c, 0, 250, -1, -1, 250));   /* unknown days */
    c.merge_gap_days = 0;
    assert_int_equal(EW_ALERT_BLUE, LEVEL(&c, 0, 250, 100, 250));
    c.merge_gap_days = 2;
    assert_int_equal(EW_ALERT_YELLOW, LEVEL(&c, 0, 250, 100, 100, 250));
}

static void
rules_parse_and_replace_the_defaults(void **state)
{
    struct ew_air_alert_cfg c;
    struct ew_air_alert_rule r = { .n_clauses = 9 };

    (void)state;
    assert_int_equal(EW_OK, ew_air_alert_rule_parse(" 4x200 & 2x300 | 1x499 ", &r));
    assert_int_equal(2, r.n_clauses);
    assert_int_equal(2, r.clauses[0].n_terms);
    assert_int_equal(4, r.clauses[0].terms[0].days_min);
    assert_int_equal(200, r.clauses[0].terms[0].aqi_above);
    assert_int_equal(300, r.clauses[0].terms[1].aqi_above);
    assert_int_equal(1, r.clauses[1].n_terms);
    assert_int_equal(499, r.clauses[1].terms[0].aqi_above);
    assert_int_equal(EW_OK, ew_air_alert_rule_parse("off", &r));
    assert_int_equal(0, r.n_clauses);
    /* Shanxi's 2020 plan dropped blue: a level can be switched off. */
    ew_air_alert_cfg_national(&c);
    assert_int_equal(EW_OK, ew_air_alert_rule_parse("", &c.rule[EW_ALERT_BLUE]));
    assert_int_equal(EW_ALERT_NONE, LEVEL(&c, 0, 250));
    /* A stricter local trigger: yellow from one day above 150. */
    assert_int_equal(EW_OK, ew_air_alert_rule_parse("1x150", &c.rule[EW_ALERT_YELLOW]));
    c.episode_aqi_above = 150;
    assert_int_equal(EW_ALERT_YELLOW, LEVEL(&c, 0, 160));
}

static void
bad_rules_are_refused_and_out_untouched(void **state)
{
    static const char *const bad[] = {
        "4y200", "x200", "4x", "4x200&", "4x200||1x300", "1x600", "0x200", "4x200 1x300",
        "-1x200", "4x200|", "abc",
    };
    struct ew_air_alert_rule r = { .n_clauses = 9 };

    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(bad); i++)
        if (ew_air_alert_rule_parse(bad[i], &r) != EW_EFORMAT)
            fail_msg("'%s' was accepted", bad[i]);
    assert_int_equal(EW_ETOOBIG, ew_air_alert_rule_parse("1x1|1x2|1x3|1x4", &r));
    assert_int_equal(EW_ETOOBIG, ew_air_alert_rule_parse("1x1&1x2&1x3&1x4", &r));
    assert_int_equal(9, r.n_clauses);
}

static struct ew_air_alert_event
step(const struct ew_air_alert_cfg *c, struct ew_air_alert_state *st, int64_t t,
     const int *aqi, size_t n, size_t today)
{
    struct ew_air_alert_outlook o = { aqi, n, today };
    struct ew_air_alert_event ev;

    assert_int_equal(EW_OK, ew_air_alert_step(c, st, t, &o, &ev));
    return ev;
}

#define STEP(c, st, t, today, ...) step(c, st, t, A(__VA_ARGS__), N(__VA_ARGS__), today)

static void
state_machine_starts_raises_holds_and_ends(void **state)
{
    struct ew_air_alert_cfg c;
    struct ew_air_alert_state st = { 0 };
    struct ew_air_alert_event ev;

    (void)state;
    ew_air_alert_cfg_national(&c);
    /* Day 1: today 250, forecast 260: yellow starts. */
    ev = STEP(&c, &st, 100, 0, 250, 260);
    assert_int_equal(EW_ALERT_EV_START, ev.kind);
    assert_int_equal(EW_ALERT_NONE, ev.from_level);
    assert_int_equal(EW_ALERT_YELLOW, ev.to_level);
    assert_int_equal(100, st.since_unix_s);
    /* Day 2: the forecast worsens (two more days above 300): red. */
    ev = STEP(&c, &st, 200, 1, 250, 260, 320, 330);
    assert_int_equal(EW_ALERT_EV_RAISE, ev.kind);
    assert_int_equal(EW_ALERT_RED, st.level);
    /* Day 3: the same evaluation again: nothing new. */
    ev = STEP(&c, &st, 250, 1, 250, 260, 320, 330);
    assert_int_equal(EW_ALERT_EV_NONE, ev.kind);
    /* Day 4: the outlook now calls for less, but tomorrow is still polluted: red holds. */
    ev = STEP(&c, &st, 300, 1, 260, 320, 150, 150);
    assert_int_equal(EW_ALERT_EV_NONE, ev.kind);
    assert_int_equal(EW_ALERT_RED, st.level);
    assert_int_equal(200, st.since_unix_s);
    /* Day 5: clean today and tomorrow: the alert ends. */
    ev = STEP(&c, &st, 400, 1, 320, 150, 140, 130);
    assert_int_equal(EW_ALERT_EV_END, ev.kind);
    assert_int_equal(EW_ALERT_RED, ev.from_level);
    assert_int_equal(EW_ALERT_NONE, ev.to_level);
    assert_int_equal(0, st.since_unix_s);
    assert_string_equal("end", ew_air_alert_event_name(ev.kind));
}

static void
lowering_and_observed_only_lifting(void **state)
{
    struct ew_air_alert_cfg c;
    struct ew_air_alert_state st = { .level = EW_ALERT_ORANGE, .since_unix_s = 5 };
    struct ew_air_alert_event ev;

    (void)state;
    ew_air_alert_cfg_national(&c);
    /* Clean now and tomorrow, a one-day episode forecast later: orange lowers to blue. */
    ev = STEP(&c, &st, 10, 0, 100, 120, 100, 250);
    assert_int_equal(EW_ALERT_EV_LOWER, ev.kind);
    assert_int_equal(EW_ALERT_BLUE, st.level);
    /* Without forecasts the last two observed days must be clean. */
    ev = STEP(&c, &st, 20, 1, 250, 100);
    assert_int_equal(EW_ALERT_EV_NONE, ev.kind);
    ev = STEP(&c, &st, 30, 2, 250, 100, 90);
    assert_int_equal(EW_ALERT_EV_END, ev.kind);
    /* With a single known day the lift window cannot be judged. */
    st.level = EW_ALERT_BLUE;
    ev = STEP(&c, &st, 40, 0, 90);
    assert_int_equal(EW_ALERT_EV_NONE, ev.kind);
    c.lift_days = 0;
    ev = STEP(&c, &st, 50, 0, 90);
    assert_int_equal(EW_ALERT_EV_END, ev.kind);
}

static void
bad_arguments_leave_the_state_alone(void **state)
{
    struct ew_air_alert_cfg c;
    struct ew_air_alert_state st = { .level = EW_ALERT_YELLOW, .since_unix_s = 9 };
    struct ew_air_alert_event ev = { .kind = 77 };
    struct ew_air_alert_outlook o = { A(250, 250), 2, 2 };
    int level = 7;

    (void)state;
    ew_air_alert_cfg_national(&c);
    assert_int_equal(EW_EINVAL, ew_air_alert_step(&c, &st, 1, &o, &ev));
    assert_int_equal(EW_EINVAL, ew_air_alert_level(&c, &o, &level));
    o.today = 0;
    c.merge_gap_days = -1;
    assert_int_equal(EW_EINVAL, ew_air_alert_step(&c, &st, 1, &o, &ev));
    ew_air_alert_cfg_national(&c);
    st.level = 9;
    assert_int_equal(EW_EINVAL, ew_air_alert_step(&c, &st, 1, &o, &ev));
    assert_int_equal(9, st.level);
    assert_int_equal(77, ev.kind);
    assert_int_equal(7, level);
    assert_string_equal("红色预警", ew_air_alert_level_name_zh(EW_ALERT_RED));
    assert_string_equal("orange", ew_air_alert_level_name(EW_ALERT_ORANGE));
    assert_null(ew_air_alert_level_name(5));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(national_template_levels),
        cmocka_unit_test(a_short_gap_joins_episodes),
        cmocka_unit_test(rules_parse_and_replace_the_defaults),
        cmocka_unit_test(bad_rules_are_refused_and_out_untouched),
        cmocka_unit_test(state_machine_starts_raises_holds_and_ends),
        cmocka_unit_test(lowering_and_observed_only_lifting),
        cmocka_unit_test(bad_arguments_leave_the_state_alone),
    };
    return cmocka_run_group_tests_name("quality/airalert", tests, NULL, NULL);
}
