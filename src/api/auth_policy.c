/* SPDX-License-Identifier: MIT */
/*
 * THE authorisation table: one row per route of every route table, saying which roles may
 * call it, how its data are cut to the caller (the scope the store applies), and, for a
 * write, its name in the audit log and the resource whose state is recorded before and after.
 * The dispatcher consults it before any handler runs (auth.c); a route without a row here is
 * refused, and tests/unit/api/routes_test.c fails until the row is written.
 *
 * Adding a route: add its row below, next to its resource's rows. docs/security.md renders
 * this table (`envwatch user policy --markdown` prints it).
 *
 * The roles (DESIGN.md "Users and rights"): public (anonymous) sees what is published: the
 * real-time AQI and air statistics, and the health check. Staff (admin, operator, leader)
 * read everything. An officer reads its county's points, data and alarms (a department
 * officer without a county: the city's), and its unit's ledger items. An enterprise reads its
 * own points, data and alarms and may explain an alarm (异常申报). Operators act on alarms
 * and the registry; only admins manage accounts and read the audit log.
 */
#include <string.h>

#include "api/auth_internal.h"

/* An enterprise may explain its own alarms (异常申报), not acknowledge or close them. */
static int
alarm_act_check(struct api_req *r, const struct api_caller *c)
{
    if (c->role != EW_ROLE_ENTERPRISE)
        return 1;
    return r->nargs >= 2 && strcmp(r->args[1], "explain") == 0;
}

/*
 * The ledger workflow (src/ledger/workflow.c) decides by the actor's ledger role, which the
 * client names ({"actor": {"role", "unit"}} or ?role=&unit=). The account's role bounds it:
 * nobody acts as a role above its account's, and an officer of a unit acts for its unit.
 */
static int
ledger_role_allowed(int account_role, const char *ledger_role)
{
    static const struct {
        int         account;
        const char *ledger;
    } allowed[] = {
        { EW_ROLE_ADMIN, "operator" },   { EW_ROLE_OPERATOR, "operator" },
        { EW_ROLE_OPERATOR, "inspector" }, { EW_ROLE_LEADER, "leader" },
        { EW_ROLE_LEADER, "inspector" }, { EW_ROLE_OFFICER, "officer" },
        { EW_ROLE_OFFICER, "chief" },
    };

    for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
        if (allowed[i].account == account_role && strcmp(allowed[i].ledger, ledger_role) == 0)
            return 1;
    return 0;
}

static int
ledger_actor_check(struct api_req *r, const struct api_caller *c)
{
    const char *role = api_query(r, "role"), *unit = api_query(r, "unit");
    cJSON *j = r->body != NULL ? ew__api_json_parse(r->body, r->body_len) : NULL;
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(j, "actor"), *v;
    int ok;

    if (cJSON_IsObject(a) && cJSON_IsString(v = cJSON_GetObjectItemCaseSensitive(a, "role")))
        role = v->valuestring;
    if (cJSON_IsObject(a) && cJSON_IsString(v = cJSON_GetObjectItemCaseSensitive(a, "unit")))
        unit = v->valuestring;
    ok = (role == NULL || ledger_role_allowed(c->role, role)) &&
         (c->unit[0] == '\0' || unit == NULL || strcmp(unit, c->unit) == 0);
    cJSON_Delete(j);
    return ok;
}

/* An officer registers items of its own county and unit only (the body's "county" and
 * "unit" must be its own where its account names them). */
static int
ledger_create_check(struct api_req *r, const struct api_caller *c)
{
    const cJSON *county, *unit;
    cJSON *j;
    int ok;

    if (!ledger_actor_check(r, c))
        return 0;
    if (c->role != EW_ROLE_OFFICER)
        return 1;
    if (r->body == NULL || (j = ew__api_json_parse(r->body, r->body_len)) == NULL)
        return 1;                       /* the handler refuses the body itself */
    county = cJSON_GetObjectItemCaseSensitive(j, "county");
    unit = cJSON_GetObjectItemCaseSensitive(j, "unit");
    ok = (c->county[0] == '\0' ||
          (cJSON_IsString(county) && strcmp(county->valuestring, c->county) == 0)) &&
         (c->unit[0] == '\0' || (cJSON_IsString(unit) && strcmp(unit->valuestring, c->unit) == 0));
    cJSON_Delete(j);
    return ok;
}

#define READ(m, p, roles, scope) { m, p, roles, scope, NULL, NULL, 0, NULL }
#define WRITE(m, p, roles, scope, action, target) { m, p, roles, scope, action, target, 0, NULL }
#define LEDGER(m, p, roles, scope, action, target)                                             \
    { m, p, roles, scope, action, target, 0, ledger_actor_check }

const struct api_policy ew__api_policies[] = {
    /* system.c */
    READ("GET", "/api/v1/health", R_ANYONE, API_SCOPE_NONE),
    READ("GET", "/api/v1/events", R_STAFF, API_SCOPE_NONE),
    READ("GET", "/metrics", R_ADMIN | R_OPERATOR, API_SCOPE_NONE),
    READ("GET", "/api/v1/connections", R_ADMIN | R_OPERATOR, API_SCOPE_NONE),
    READ("GET", "/api/v1/instruments", R_STAFF, API_SCOPE_NONE),
    READ("GET", "/api/v1/pending", R_ADMIN | R_OPERATOR, API_SCOPE_NONE),
    WRITE("POST", "/api/v1/pending/*/approve", R_ADMIN | R_OPERATOR, API_SCOPE_NONE,
          "point.approve", "/api/v1/points/*"),
    READ("GET", "/api/v1/journal", R_ADMIN | R_OPERATOR, API_SCOPE_NONE),

    /* points.c, readings.c: the registry and its data */
    READ("GET", "/api/v1/points", R_USERS, API_SCOPE_POINT),
    WRITE("POST", "/api/v1/points", R_ADMIN | R_OPERATOR, API_SCOPE_NONE, "point.add", NULL),
    READ("GET", "/api/v1/points/*", R_USERS, API_SCOPE_POINT),
    WRITE("PUT", "/api/v1/points/*", R_ADMIN | R_OPERATOR, API_SCOPE_NONE, "point.update",
          "/api/v1/points/*"),
    WRITE("DELETE", "/api/v1/points/*", R_ADMIN | R_OPERATOR, API_SCOPE_NONE, "point.remove",
          "/api/v1/points/*"),
    READ("GET", "/api/v1/sites", R_USERS, API_SCOPE_POINT),
    READ("GET", "/api/v1/points/*/readings", R_USERS, API_SCOPE_POINT),
    READ("GET", "/api/v1/latest", R_USERS, API_SCOPE_POINT),

    /* air.c, air_stats.c: published (HJ 633 real-time AQI, HJ 663 statistics, alerts) */
    READ("GET", "/api/v1/air/now", R_ANYONE, API_SCOPE_NONE),
    READ("GET", "/api/v1/air/aqi", R_ANYONE, API_SCOPE_NONE),
    READ("GET", "/api/v1/air/stats", R_ANYONE, API_SCOPE_NONE),
    READ("GET", "/api/v1/air/ranking", R_ANYONE, API_SCOPE_NONE),
    READ("GET", "/api/v1/air/targets", R_ANYONE, API_SCOPE_NONE),
    READ("GET", "/api/v1/air/alerts", R_ANYONE, API_SCOPE_NONE),

    /* alarms.c */
    READ("GET", "/api/v1/alarms", R_USERS, API_SCOPE_POINT),
    READ("GET", "/api/v1/alarms/*", R_USERS, API_SCOPE_POINT),
    { "POST", "/api/v1/alarms/*/*", R_ADMIN | R_OPERATOR | R_ENTERPRISE, API_SCOPE_POINT,
      "alarm.act", "/api/v1/alarms/*", 0, alarm_act_check },

    /* sources.c, sources_water.c */
    READ("GET", "/api/v1/sources", R_STAFF | R_OFFICER | R_ENTERPRISE, API_SCOPE_POINT),
    READ("GET", "/api/v1/sources/transmission", R_STAFF | R_OFFICER | R_ENTERPRISE,
         API_SCOPE_POINT),
    READ("GET", "/api/v1/sources/totals", R_STAFF | R_OFFICER | R_ENTERPRISE, API_SCOPE_POINT),
    READ("GET", "/api/v1/water/sections", R_STAFF | R_OFFICER, API_SCOPE_COUNTY),
    READ("GET", "/api/v1/water/sections/*/trend", R_STAFF | R_OFFICER, API_SCOPE_COUNTY),

    /* reports.c: the air reports print published data (every station, the city); the
     * sources report is cut to an officer's county's outlets, alarms and limits */
    { "GET", "/api/v1/reports/air-daily", R_STAFF | R_OFFICER, API_SCOPE_NONE, NULL, NULL,
      API_P_ALL_ACCOUNTS, NULL },
    { "GET", "/api/v1/reports/air-monthly", R_STAFF | R_OFFICER, API_SCOPE_NONE, NULL, NULL,
      API_P_ALL_ACCOUNTS, NULL },
    READ("GET", "/api/v1/reports/sources-monthly", R_STAFF | R_OFFICER, API_SCOPE_POINT),

    /* ledger.c: governance ledgers; the workflow (src/ledger/workflow.c) decides each action
     * by the actor's ledger role, so writes are open to every account that may see the item */
    READ("GET", "/api/v1/ledger/items", R_STAFF | R_OFFICER, API_SCOPE_UNIT),
    READ("GET", "/api/v1/ledger/counts", R_STAFF | R_OFFICER, API_SCOPE_UNIT),
    { "POST", "/api/v1/ledger/items", R_STAFF | R_OFFICER, API_SCOPE_UNIT, "ledger.add", NULL,
      0, ledger_create_check },
    READ("GET", "/api/v1/ledger/items/*", R_STAFF | R_OFFICER, API_SCOPE_UNIT),
    LEDGER("POST", "/api/v1/ledger/items/*/actions", R_STAFF | R_OFFICER, API_SCOPE_UNIT,
          "ledger.act", "/api/v1/ledger/items/*"),
    LEDGER("POST", "/api/v1/ledger/items/*/comments", R_STAFF | R_OFFICER, API_SCOPE_UNIT,
          "ledger.comment", "/api/v1/ledger/items/*"),
    LEDGER("POST", "/api/v1/ledger/items/*/links", R_STAFF | R_OFFICER, API_SCOPE_UNIT,
          "ledger.link", "/api/v1/ledger/items/*"),
    { "POST", "/api/v1/ledger/items/*/files", R_STAFF | R_OFFICER, API_SCOPE_UNIT,
      "ledger.attach", "/api/v1/ledger/items/*", API_P_UPLOAD, ledger_actor_check },
    /* a file is named by its content: the store gives it only when an item in the caller's
     * scope has it (ew_store_ledger_file_find) */
    READ("GET", "/api/v1/ledger/files/*", R_STAFF | R_OFFICER, API_SCOPE_UNIT),
    LEDGER("POST", "/api/v1/ledger/import", R_ADMIN | R_OPERATOR | R_LEADER, API_SCOPE_NONE,
          "ledger.import", NULL),
    READ("GET", "/api/v1/ledger/due", R_STAFF | R_OFFICER, API_SCOPE_UNIT),
    LEDGER("POST", "/api/v1/ledger/cases/from-alarm/*", R_ADMIN | R_OPERATOR | R_LEADER,
          API_SCOPE_NONE, "ledger.case_from_alarm", "/api/v1/alarms/*"),
    { "GET", "/api/v1/assess", R_STAFF | R_OFFICER, API_SCOPE_NONE, NULL, NULL,
      API_P_ALL_ACCOUNTS, NULL },

    /* auth_routes.c: sessions, the caller's own account and tokens */
    { "POST", "/api/v1/auth/login", R_ANYONE, API_SCOPE_NONE, "auth.login", NULL,
      API_P_SELF_AUDIT | API_P_NO_CSRF, NULL },
    { "POST", "/api/v1/auth/logout", R_USERS, API_SCOPE_SELF, "auth.logout", NULL,
      API_P_SELF_AUDIT, NULL },
    READ("GET", "/api/v1/auth/me", R_ANYONE, API_SCOPE_SELF),
    { "POST", "/api/v1/auth/password", R_USERS, API_SCOPE_SELF, "user.password", NULL,
      API_P_SELF_AUDIT, NULL },
    READ("GET", "/api/v1/auth/tokens", R_USERS, API_SCOPE_SELF),
    WRITE("POST", "/api/v1/auth/tokens", R_USERS, API_SCOPE_SELF, "token.create", NULL),
    WRITE("DELETE", "/api/v1/auth/tokens/*", R_USERS, API_SCOPE_SELF, "token.revoke", NULL),

    /* auth_routes.c: accounts, every token, the audit log and this table (admins) */
    READ("GET", "/api/v1/users", R_ADMIN, API_SCOPE_NONE),
    WRITE("POST", "/api/v1/users", R_ADMIN, API_SCOPE_NONE, "user.add", NULL),
    READ("GET", "/api/v1/users/*", R_ADMIN, API_SCOPE_NONE),
    WRITE("PUT", "/api/v1/users/*", R_ADMIN, API_SCOPE_NONE, "user.update", "/api/v1/users/*"),
    WRITE("POST", "/api/v1/users/*/password", R_ADMIN, API_SCOPE_NONE, "user.password",
          "/api/v1/users/*"),
    READ("GET", "/api/v1/users/*/tokens", R_ADMIN, API_SCOPE_NONE),
    WRITE("POST", "/api/v1/users/*/tokens", R_ADMIN, API_SCOPE_NONE, "token.create", NULL),
    WRITE("DELETE", "/api/v1/tokens/*", R_ADMIN, API_SCOPE_NONE, "token.revoke", NULL),
    READ("GET", "/api/v1/audit", R_ADMIN, API_SCOPE_NONE),
    READ("GET", "/api/v1/audit/verify", R_ADMIN, API_SCOPE_NONE),
    READ("GET", "/api/v1/auth/policy", R_ADMIN, API_SCOPE_NONE),

    { NULL, NULL, 0, 0, NULL, NULL, 0, NULL },
};

const struct api_policy *
ew__api_policy_find(const char *method, const char *pattern)
{
    for (const struct api_policy *p = ew__api_policies; p->method != NULL; p++)
        if (strcmp(p->method, method) == 0 && strcmp(p->pattern, pattern) == 0)
            return p;
    return NULL;
}

const char *
ew__api_scope_name(int scope)
{
    static const char *const names[] = { "none", "county", "point", "unit", "self" };

    return scope >= 0 && scope < (int)(sizeof(names) / sizeof(names[0])) ? names[scope] : "";
}
