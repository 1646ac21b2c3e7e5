/* SPDX-License-Identifier: MIT */
/*
 * The route enumeration (issue 8: "a test enumerates every route and proves that each one
 * refuses anonymous and out-of-scope callers"), over the tables themselves:
 *   - every route table declared in src/api/internal.h is in this test's list and in the
 *     dispatcher's (http.c), so no table escapes the checks below;
 *   - every route has exactly one policy row, and every policy row a route (no stale rows);
 *   - anonymous callers reach only the published routes listed here;
 *   - a route open to a scoped role (officer, enterprise) either cuts its data by scope or
 *     is published or the caller's own account; a write open to them names the resource
 *     whose visibility decides (the target), and every write has an audit name;
 *   - a route that may take a large body (an upload) is a POST no anonymous caller may make.
 * tests/integration/test_auth.py calls every route over HTTP with the same expectations.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "api/auth_internal.h"

/* Every table of src/api/internal.h. A new table is added here and in http.c. */
static const struct {
    const char             *name;
    const struct api_route *table;
} tables[] = {
    { "ew__api_routes_points", ew__api_routes_points },
    { "ew__api_routes_readings", ew__api_routes_readings },
    { "ew__api_routes_system", ew__api_routes_system },
    { "ew__api_routes_air", ew__api_routes_air },
    { "ew__api_routes_alarms", ew__api_routes_alarms },
    { "ew__api_routes_sources", ew__api_routes_sources },
    { "ew__api_routes_water", ew__api_routes_water },
    { "ew__api_routes_auth", ew__api_routes_auth },
    { "ew__api_routes_auth_admin", ew__api_routes_auth_admin },
    { "ew__api_routes_ledger", ew__api_routes_ledger },
    { "ew__api_routes_reports", ew__api_routes_reports },
};

/* What the public may see (DESIGN.md: real-time AQI, the health check) and how to log in. */
static const char *const published[] = {
    "GET /api/v1/health", "GET /api/v1/air/now", "GET /api/v1/air/aqi",
    "GET /api/v1/air/stats", "GET /api/v1/air/ranking", "GET /api/v1/air/targets",
    "GET /api/v1/air/alerts", "POST /api/v1/auth/login", "GET /api/v1/auth/me",
};

static char *
read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = calloc(1, (size_t)n + 1);
    if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

static int
known_table(const char *name, size_t len)
{
    for (size_t i = 0; i < EW_ARRAY_LEN(tables); i++)
        if (strlen(tables[i].name) == len && memcmp(tables[i].name, name, len) == 0)
            return 1;
    return 0;
}

static void
every_declared_table_is_checked_and_dispatched(void **state)
{
    const char *src = getenv("EW_SRC");
    char path[600];
    const char *decl = "extern const struct api_route ";
    size_t ndisp, found = 0;
    const struct api_route *const *disp = ew__api_route_tables(&ndisp);
    char *text;

    (void)state;
    snprintf(path, sizeof(path), "%s/src/api/internal.h", src != NULL ? src : ".");
    text = read_text(path);
    assert_non_null(text);
    for (const char *p = text; (p = strstr(p, decl)) != NULL; p++) {
        const char *name = p + strlen(decl), *end = strchr(name, '[');
        assert_non_null(end);
        if (!known_table(name, (size_t)(end - name))) {
            char missing[100];
            snprintf(missing, sizeof(missing), "%.*s", (int)(end - name), name);
            free(text);
            fail_msg("route table %s of src/api/internal.h is not checked: add it to "
                     "tests/unit/api/routes_test.c (and to http.c's route_tables)", missing);
        }
        found++;
    }
    free(text);
    assert_int_equal(EW_ARRAY_LEN(tables), found);
    for (size_t i = 0; i < EW_ARRAY_LEN(tables); i++) {
        int in = 0;
        for (size_t t = 0; t < ndisp; t++)
            in |= disp[t] == tables[i].table;
        if (!in)
            fail_msg("%s is declared but the dispatcher (http.c route_tables) never uses it",
                     tables[i].name);
    }
    assert_int_equal(EW_ARRAY_LEN(tables), ndisp);
}

static int
is_published(const char *method, const char *pattern)
{
    char key[300];

    snprintf(key, sizeof(key), "%s %s", method, pattern);
    for (size_t i = 0; i < EW_ARRAY_LEN(published); i++)
        if (strcmp(published[i], key) == 0)
            return 1;
    return 0;
}

static int
is_write(const char *method)
{
    return strcmp(method, "GET") != 0;
}

/* The checks of one route's policy; returns a reason or NULL. */
static const char *
judge(const struct api_route *rt, const struct api_policy *p)
{
    unsigned scoped = R_OFFICER | R_ENTERPRISE;

    if (p == NULL)
        return "has no policy row in src/api/auth_policy.c (it would be refused)";
    if (p->roles == 0)
        return "admits no role";
    if ((p->roles & R_PUBLIC) && !is_published(rt->method, rt->pattern))
        return "admits anonymous callers but is not published";
    if (is_published(rt->method, rt->pattern) && !(p->roles & R_PUBLIC))
        return "is published but refuses anonymous callers";
    if ((p->roles & scoped) && p->scope == API_SCOPE_NONE && !(p->roles & R_PUBLIC) &&
        !(p->flags & API_P_ALL_ACCOUNTS))
        return "admits an officer or enterprise without cutting its data by scope";
    if ((p->roles & R_ENTERPRISE) && (p->scope == API_SCOPE_COUNTY || p->scope == API_SCOPE_UNIT))
        return "admits an enterprise to county or unit data";
    if (is_write(rt->method) && p->action == NULL)
        return "is a write without an audit name";
    if ((p->flags & API_P_UPLOAD) && (strcmp(rt->method, "POST") != 0 || (p->roles & R_PUBLIC)))
        return "takes a large body (API_P_UPLOAD) but is not a POST closed to anonymous callers";
    if (is_write(rt->method) && (p->roles & scoped) && p->scope != API_SCOPE_SELF &&
        !(p->roles & R_PUBLIC) && p->target == NULL && p->check == NULL)
        return "is a write open to a scoped role with neither a target nor a rule to check "
               "its scope on";
    if (p->target != NULL && strchr(p->target, '*') != NULL) {
        size_t want = 0, have = 0;
        for (const char *c = p->target; *c; c++)
            want += *c == '*';
        for (const char *c = rt->pattern; *c; c++)
            have += *c == '*';
        if (want > have)
            return "has a target with more '*' than its route";
    }
    return NULL;
}

static void
every_route_has_a_sound_policy(void **state)
{
    int bad = 0;

    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(tables); i++) {
        for (const struct api_route *rt = tables[i].table; rt->method != NULL; rt++) {
            const char *why = judge(rt, ew__api_policy_find(rt->method, rt->pattern));
            if (why != NULL) {
                print_error("%s %s (%s) %s\n", rt->method, rt->pattern, tables[i].name, why);
                bad++;
            }
        }
    }
    assert_int_equal(0, bad);
}

static int
routed(const struct api_policy *p)
{
    for (size_t i = 0; i < EW_ARRAY_LEN(tables); i++)
        for (const struct api_route *rt = tables[i].table; rt->method != NULL; rt++)
            if (strcmp(rt->method, p->method) == 0 && strcmp(rt->pattern, p->pattern) == 0)
                return 1;
    return 0;
}

static void
every_policy_row_is_one_route(void **state)
{
    int bad = 0;

    (void)state;
    for (const struct api_policy *p = ew__api_policies; p->method != NULL; p++) {
        if (!routed(p)) {
            print_error("policy %s %s has no route (stale row)\n", p->method, p->pattern);
            bad++;
        }
        for (const struct api_policy *q = p + 1; q->method != NULL; q++) {
            if (strcmp(p->method, q->method) == 0 && strcmp(p->pattern, q->pattern) == 0) {
                print_error("policy %s %s appears twice\n", p->method, p->pattern);
                bad++;
            }
        }
    }
    assert_int_equal(0, bad);
}

static void
the_published_list_is_what_the_public_gets(void **state)
{
    size_t n = 0;

    (void)state;
    for (const struct api_policy *p = ew__api_policies; p->method != NULL; p++)
        n += (p->roles & R_PUBLIC) != 0;
    assert_int_equal(EW_ARRAY_LEN(published), n);
    /* the accounts, the audit log and the raw journal are for admins (and operators) only */
    assert_int_equal(R_ADMIN, ew__api_policy_find("GET", "/api/v1/audit")->roles);
    assert_int_equal(R_ADMIN, ew__api_policy_find("POST", "/api/v1/users")->roles);
    assert_false(ew__api_policy_find("GET", "/api/v1/journal")->roles & (R_USERS & ~R_STAFF));
}

/* The ledger's grouped counts (issue 7) tell no more than the list they count: the same
 * roles, cut by the same unit scope. */
static void
ledger_counts_are_scoped_as_the_list(void **state)
{
    const struct api_policy *list = ew__api_policy_find("GET", "/api/v1/ledger/items");
    const struct api_policy *counts = ew__api_policy_find("GET", "/api/v1/ledger/counts");

    (void)state;
    assert_non_null(list);
    assert_non_null(counts);
    assert_int_equal(list->roles, counts->roles);
    assert_int_equal(API_SCOPE_UNIT, counts->scope);
    assert_false(counts->roles & (R_PUBLIC | R_ENTERPRISE));
}

static void
an_unknown_route_has_no_policy(void **state)
{
    (void)state;
    assert_null(ew__api_policy_find("GET", "/api/v1/nowhere"));
    assert_null(ew__api_policy_find("DELETE", "/api/v1/health"));
    assert_string_equal("point", ew__api_scope_name(API_SCOPE_POINT));
    assert_string_equal("", ew__api_scope_name(99));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_declared_table_is_checked_and_dispatched),
        cmocka_unit_test(every_route_has_a_sound_policy),
        cmocka_unit_test(every_policy_row_is_one_route),
        cmocka_unit_test(the_published_list_is_what_the_public_gets),
        cmocka_unit_test(ledger_counts_are_scoped_as_the_list),
        cmocka_unit_test(an_unknown_route_has_no_policy),
    };
    return cmocka_run_group_tests_name("api/routes", tests, NULL, NULL);
}
