/* SPDX-License-Identifier: MIT */
/*
 * The ledger's text search (sqlite_ledger.c with the trigram index of schema migration
 * "ledger_fts"): a query of 3 characters or more goes through the index, a shorter one
 * scans, and both give exactly instr's answer -- a case-sensitive substring of code, title
 * or subject, Chinese included (煤场 in 煤场未封闭). The index follows every write (FTS5's
 * own integrity check against the table), and the fields selector reads only what it says.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sqlite3.h>

#include <envwatch/ledger.h>

#include "fixture.h"

static const struct {
    const char *code, *title, *subject, *county;
} items[] = {
    { "ZD-2017-001", "煤场未封闭", "阳泉某焦化厂", "平定县" },
    { "ZD-2017-002", "矸石山自燃治理", "某煤矿", "平定县" },
    { "SJ-12369-88", "夜间施工噪声扰民", "某建筑工地", "城区" },
    { "Mixed-Case", "Dust AND smoke OR \"NEAR\" (*)", "x\"quote", "城区" },
    { "", "无编号问题：露天焚烧", "", "郊区" },
};

/* text -> the codes found ("" for the item without a code), in id order, '|'-separated. */
static const struct {
    const char *text, *found;
} cases[] = {
    { "煤场", "ZD-2017-001" },                        /* 2 characters: the scan */
    { "煤场未封闭", "ZD-2017-001" },                  /* a whole title */
    { "场未封", "ZD-2017-001" },                      /* the middle of a word */
    { "未封闭", "ZD-2017-001" },                      /* the end of a title */
    { "焦化厂", "ZD-2017-001" },                      /* subject */
    { "煤", "ZD-2017-001|ZD-2017-002" },              /* 1 character: title and subject */
    { "ZD-2017", "ZD-2017-001|ZD-2017-002" },         /* code */
    { "2017-00", "ZD-2017-001|ZD-2017-002" },
    { "zd-2017", "" },                                /* case-sensitive, as before */
    { "噪声扰民", "SJ-12369-88" },
    { "12369", "SJ-12369-88" },
    { "露天焚烧", "(none)" },                         /* the item without a code */
    { "AND smoke OR", "Mixed-Case" },                 /* FTS5 operators are plain text */
    { "\"NEAR\" (*)", "Mixed-Case" },
    { "x\"quote", "Mixed-Case" },
    { "x\"q", "Mixed-Case" },
    { "OR", "Mixed-Case" },
    { "煤场 矸石", "" },                               /* not a substring of one field */
    { "封闭夜间", "" },                                /* not across two items */
    { "某煤矿山", "" },
};

static void
add_items(struct fx *f)
{
    struct ew_ledger_event ev = { .action = "register", .actor = "t", .role = "operator" };

    for (size_t i = 0; i < EW_ARRAY_LEN(items); i++) {
        struct ew_ledger_item it;
        ew_ledger_item_init(&it, EW_LEDGER_TASK);
        snprintf(it.code, sizeof(it.code), "%s", items[i].code);
        snprintf(it.title, sizeof(it.title), "%s", items[i].title);
        snprintf(it.subject, sizeof(it.subject), "%s", items[i].subject);
        snprintf(it.county, sizeof(it.county), "%s", items[i].county);
        snprintf(it.unit, sizeof(it.unit), "%s人民政府", items[i].county);
        snprintf(it.body, sizeof(it.body), "正文 %zu", i);
        ev.to_state = it.state;
        assert_int_equal(EW_OK, ew_store_ledger_item_add(f->s, &it, &ev));
    }
}

struct found {
    char text[300];
    int  n;
};

static int
collect(void *ctx, const struct ew_ledger_item *it)
{
    struct found *c = ctx;
    size_t len = strlen(c->text);

    snprintf(c->text + len, sizeof(c->text) - len, "%s%s", c->n++ ? "|" : "",
             it->code[0] != '\0' ? it->code : "(none)");
    return 0;
}

static struct found
search(struct fx *f, const char *text, const char *county)
{
    struct ew_ledger_query q = { .overdue = -1, .open = -1, .text = text, .county = county };
    struct found c = { "", 0 };
    int64_t n = -1;

    assert_int_equal(EW_OK, ew_store_ledger_item_each(f->s, &q, collect, &c));
    assert_int_equal(EW_OK, ew_store_ledger_item_count(f->s, &q, &n));
    assert_int_equal(c.n, n);
    return c;
}

static void
substrings_of_any_length_are_found_exactly(void **state)
{
    struct fx *f = *state;

    add_items(f);
    for (size_t i = 0; i < EW_ARRAY_LEN(cases); i++) {
        struct found c = search(f, cases[i].text, NULL);
        if (strcmp(cases[i].found, c.text) != 0)
            fail_msg("search '%s': found '%s', want '%s'", cases[i].text, c.text,
                     cases[i].found);
    }
    /* the empty text is no filter at all */
    assert_int_equal((int)EW_ARRAY_LEN(items), search(f, "", NULL).n);
}

static void
search_combines_with_filters_and_pages(void **state)
{
    struct fx *f = *state;
    struct ew_ledger_query q = { .overdue = -1, .open = -1, .text = "某", .order = 2,
                                 .limit = 1, .offset = 1 };
    struct found c = { "", 0 };
    int64_t n = 0;

    add_items(f);
    assert_string_equal("ZD-2017-001|ZD-2017-002", search(f, "ZD-2017", "平定县").text);
    assert_string_equal("", search(f, "ZD-2017", "城区").text);
    assert_string_equal("SJ-12369-88", search(f, "某建筑", "城区").text);
    /* three items name 某 (焦化厂, 煤矿, 建筑工地); newest first, the second of them */
    assert_int_equal(EW_OK, ew_store_ledger_item_each(f->s, &q, collect, &c));
    assert_int_equal(EW_OK, ew_store_ledger_item_count(f->s, &q, &n));
    assert_string_equal("ZD-2017-002", c.text);
    assert_int_equal(3, n);
}

/* FTS5's integrity check against ledger_item: the index holds exactly the table's text. */
static void
index_matches_table(struct fx *f)
{
    char path[128];
    sqlite3 *db = NULL;
    char *err = NULL;
    int rc;

    snprintf(path, sizeof(path), "%s/envwatch.db", f->dir);
    assert_int_equal(SQLITE_OK, sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL));
    rc = sqlite3_exec(db, "INSERT INTO ledger_fts(ledger_fts, rank) VALUES('integrity-check', 1)",
                      NULL, NULL, &err);
    if (rc != SQLITE_OK)
        fail_msg("ledger_fts integrity-check: %s", err != NULL ? err : "?");
    sqlite3_close(db);
}

static void
the_index_follows_every_write(void **state)
{
    struct fx *f = *state;
    struct ew_ledger_item it;
    struct ew_ledger_event ev = { .action = "edit", .actor = "t", .role = "operator" };

    add_items(f);
    index_matches_table(f);
    /* a new title, code and subject: the old texts are gone, the new ones found */
    assert_int_equal(EW_OK, ew_store_ledger_item_find(f->s, "ZD-2017-001", &it));
    snprintf(it.title, sizeof(it.title), "煤场已全封闭");
    snprintf(it.code, sizeof(it.code), "ZD-2017-001A");
    snprintf(it.subject, sizeof(it.subject), "阳泉焦化二厂");
    assert_int_equal(EW_OK, ew_store_ledger_item_update(f->s, &it, it.state, &ev));
    assert_string_equal("", search(f, "未封闭", NULL).text);
    assert_string_equal("", search(f, "某焦化厂", NULL).text);
    assert_string_equal("ZD-2017-001A", search(f, "已全封闭", NULL).text);
    assert_string_equal("ZD-2017-001A", search(f, "焦化二厂", NULL).text);
    assert_string_equal("ZD-2017-001A", search(f, "2017-001A", NULL).text);
    /* a state change leaves the texts alone (the trigger's WHEN skips it) */
    it.state = EW_LEDGER_ST_IN_PROGRESS;
    assert_int_equal(EW_OK, ew_store_ledger_item_update(f->s, &it, EW_LEDGER_ST_NOT_STARTED,
                                                        &ev));
    assert_string_equal("ZD-2017-001A", search(f, "焦化二厂", NULL).text);
    /* an item that had no code (NULL in the table) gets one */
    assert_int_equal(EW_OK, ew_store_ledger_item_get(f->s, 5, &it));
    snprintf(it.code, sizeof(it.code), "JB-0005");
    assert_int_equal(EW_OK, ew_store_ledger_item_update(f->s, &it, it.state, &ev));
    assert_string_equal("JB-0005", search(f, "JB-00", NULL).text);
    assert_string_equal("JB-0005", search(f, "露天焚烧", NULL).text);
    index_matches_table(f);
}

struct seen {
    struct ew_ledger_item last;
    int n;
};

static int
keep(void *ctx, const struct ew_ledger_item *it)
{
    struct seen *s = ctx;

    s->last = *it;
    s->n++;
    return 0;
}

/* What each fields selector fills, and that the others come back empty. */
static void
fields_read_only_what_they_say(void **state)
{
    struct fx *f = *state;
    struct ew_ledger_query q = { .overdue = -1, .open = -1, .text = "ZD-2017-002" };
    struct seen s;

    add_items(f);
    for (int fields = EW_LEDGER_FIELDS_ALL; fields <= EW_LEDGER_FIELDS_KEYS; fields++) {
        q.fields = fields;
        memset(&s, 0x55, sizeof(s));          /* garbage a missed field would show */
        s.n = 0;
        assert_int_equal(EW_OK, ew_store_ledger_item_each(f->s, &q, keep, &s));
        assert_int_equal(1, s.n);
        assert_int_equal(2, s.last.id);
        assert_int_equal(EW_LEDGER_TASK, s.last.kind);
        assert_string_equal("平定县", s.last.county);
        assert_string_equal("平定县人民政府", s.last.unit);
        assert_string_equal("某煤矿", s.last.subject);
        assert_string_equal(fields == EW_LEDGER_FIELDS_ALL ? "正文 1" : "", s.last.body);
        assert_string_equal("{}", s.last.extra);
        assert_string_equal(fields == EW_LEDGER_FIELDS_KEYS ? "" : "ZD-2017-002", s.last.code);
        assert_string_equal(fields == EW_LEDGER_FIELDS_KEYS ? "" : "矸石山自燃治理",
                            s.last.title);
        assert_true(isnan(s.last.qty_target));
    }
    q.fields = 3;
    assert_int_equal(EW_EINVAL, ew_store_ledger_item_each(f->s, &q, keep, &s));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(substrings_of_any_length_are_found_exactly, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(search_combines_with_filters_and_pages, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(the_index_follows_every_write, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(fields_read_only_what_they_say, fx_setup,
                                        fx_teardown),
    };
    return cmocka_run_group_tests_name("store/sqlite_ledger", tests, NULL, NULL);
}
