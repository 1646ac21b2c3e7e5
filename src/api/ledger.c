/* SPDX-License-Identifier: MIT */
/*
 * The governance ledgers over HTTP: list (JSON, CSV, .xlsx), register, act, comment, link,
 * attach and download evidence, import a workbook, the deadline digest, an alarm escalated
 * to a case, and the scorecard. Reads use the thread's read-only handle; every write runs on
 * the daemon's writer. Every change names its actor: the signed-in account's name when there
 * is one, with the ledger role and unit from the body ("actor": {"name","role","unit"}) until
 * accounts carry ledger roles (docs/ledger.md, "Roles").
 */
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <envwatch/assess.h>
#include <envwatch/ledger.h>

#include "api/internal.h"
#include "util/json.h"
#include "util/time.h"

#define LIST_DEFAULT 100
#define LIST_MAX 1000                   /* JSON pages; exports are not paged */

/* ---- request helpers ------------------------------------------------------------------- */

static int64_t
now_s(void)
{
    return (int64_t)time(NULL);
}

static int
id_arg(struct api_req *r, size_t i, int64_t *id)
{
    char *e;
    long long v = strtoll(r->args[i], &e, 10);

    if (*e != '\0' || v <= 0) {
        api_error(r, 400, "bad_id", "'%s' is not an id", r->args[i]);
        return 0;
    }
    *id = v;
    return 1;
}

static const char *
jstr(const cJSON *j, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);

    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double
jnum(const cJSON *j, const char *key, double def)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);

    return cJSON_IsNumber(v) ? v->valuedouble : def;
}

/* The actor: {"actor":{"name","role","unit"}}; a signed-in account's name wins. */
static int
actor_of(struct api_req *r, const cJSON *j, struct ew_ledger_actor *who)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(j, "actor");
    const char *account = api_actor(r);

    who->name = account != NULL && account[0] != '\0' ? account : jstr(a, "name");
    who->role = jstr(a, "role");
    who->unit = jstr(a, "unit") != NULL ? jstr(a, "unit") : "";
    if (who->name == NULL || !ew_ledger_role_valid(who->role)) {
        api_error(r, 400, "actor_required", "an actor {name, role, unit} with a ledger role is "
                  "required");
        return 0;
    }
    return 1;
}

static struct ew_calendar *
calendar(struct ew_store *s)
{
    struct ew_calendar *cal = NULL;
    char *text = NULL;

    if (ew_calendar_create(&cal) != EW_OK)
        return NULL;
    if (ew_store_ledger_kv_get(s, "holidays", &text) == EW_OK)
        ew_calendar_parse(cal, text, NULL, NULL, 0);
    free(text);
    return cal;
}

/* The status of a refusal: the reason is the workflow's sentence. */
static int
refused(struct api_req *r, int rc, const char *why)
{
    switch (rc) {
    case EW_EDENIED:
        return api_error(r, 403, "denied", "%s", why);
    case EW_ESTATE:
        return api_error(r, 409, "state", "%s", why);
    case EW_ENOTFOUND:
        return api_error(r, 404, "not_found", "%s", why);
    case EW_EEXIST:
        return api_error(r, 409, "exists", "%s", why);
    case EW_ETOOBIG:
        return api_error(r, 413, "too_big", "%s", why);
    case EW_EINVAL:
    case EW_EFORMAT:
        return api_error(r, 400, "invalid", "%s", why);
    }
    return api_error(r, 500, "store", "%s", why[0] != '\0' ? why : ew_strerror(rc));
}

/* ---- list and export ------------------------------------------------------------------ */

static int
query_of(struct api_req *r, struct ew_ledger_query *q)
{
    const char *kind = api_query(r, "kind"), *state = api_query(r, "state");
    const char *due = api_query(r, "due_before"), *lim = api_query(r, "limit");
    const char *off = api_query(r, "offset"), *od = api_query(r, "overdue");
    const char *open = api_query(r, "open");
    int k = 0, st = 0;

    *q = (struct ew_ledger_query){ .overdue = od != NULL ? strcmp(od, "1") == 0 : -1,
                                   .open = open != NULL ? strcmp(open, "1") == 0 : -1,
                                   .unit = api_query(r, "unit"),
                                   .county = api_query(r, "county"), .text = api_query(r, "q"),
                                   .order = 2, .limit = LIST_DEFAULT };
    if (kind != NULL && ew_ledger_kind_parse(kind, &k) != EW_OK)
        return api_error(r, 400, "bad_kind", "unknown kind '%s'", kind), 0;
    q->kinds = k != 0 ? 1u << k : 0;
    for (int kk = 1; state != NULL && st == 0 && kk < EW_LEDGER_KIND_COUNT; kk++)
        if ((k == 0 || kk == k) && ew_ledger_state_parse(kk, state, &st) != EW_OK)
            st = 0;
    if (state != NULL && st == 0)
        return api_error(r, 400, "bad_state", "unknown state '%s'", state), 0;
    q->states = st != 0 ? 1ULL << st : 0;
    if (due != NULL) {
        if (ew_time_parse_iso(due, &q->due_to) != EW_OK)
            return api_error(r, 400, "bad_time", "due_before is not an ISO time"), 0;
        q->due_from = 1;
        q->order = 1;
    }
    if (lim != NULL)
        q->limit = strtoul(lim, NULL, 10);
    if (off != NULL)
        q->offset = strtoul(off, NULL, 10);
    if (q->limit == 0 || q->limit > LIST_MAX)
        q->limit = LIST_MAX;
    return 1;
}

struct list_ctx {
    struct ew_buf *b;
    int n;
};

static int
list_one(void *ctx, const struct ew_ledger_item *it)
{
    struct list_ctx *l = ctx;

    if (l->n++ > 0)
        ew_buf_addc(l->b, ',');
    return ew_ledger_item_json(l->b, it);
}

/* Exports stream through a memory FILE into the response buffer. */
static int
export(struct api_req *r, struct ew_ledger_query *q, const char *fmt)
{
    char *mem = NULL, why[300] = "";
    size_t len = 0, rows = 0;
    FILE *f = open_memstream(&mem, &len);
    int rc;

    if (f == NULL)
        return api_error(r, 500, "memory", "out of memory");
    q->limit = 0;
    q->offset = 0;
    rc = ew_ledger_export(r->store, q, fmt, f, &rows, why, sizeof(why));
    fclose(f);
    if (rc == EW_OK && ew_buf_add(&r->out, mem, len) != EW_OK)
        rc = EW_ETOOBIG;
    free(mem);
    if (rc != EW_OK)
        return refused(r, rc, why);
    r->content_type = strcmp(fmt, "csv") == 0 ? "text/csv; charset=utf-8"
        : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    r->disposition = strcmp(fmt, "csv") == 0 ? "attachment; filename=\"ledger.csv\""
                                             : "attachment; filename=\"ledger.xlsx\"";
    return EW_OK;
}

/* GET /api/v1/ledger/items?kind=&state=&unit=&county=&q=&overdue=&open=&due_before=
 *     &limit=&offset=&format=json|csv|xlsx */
static int
items_list(struct api_req *r)
{
    const char *fmt = api_query(r, "format");
    struct ew_ledger_query q;
    struct list_ctx l = { &r->out, 0 };
    int64_t total = 0;
    int rc;

    if (!query_of(r, &q))
        return EW_OK;
    if (fmt != NULL && (strcmp(fmt, "csv") == 0 || strcmp(fmt, "xlsx") == 0))
        return export(r, &q, fmt);
    if ((rc = ew_store_ledger_item_count(r->store, &q, &total)) != EW_OK)
        return api_store_error(r, rc);
    ew_buf_printf(&r->out, "{\"total\":%lld,\"offset\":%zu,\"items\":[", (long long)total,
                  q.offset);
    if ((rc = ew_store_ledger_item_each(r->store, &q, list_one, &l)) != EW_OK)
        return api_store_error(r, rc);
    ew_buf_adds(&r->out, "]}");
    return EW_OK;
}

/* GET /api/v1/ledger/counts?<the filters of the list>: counts by kind, state, unit and county
 * of the items the list would show (ew_ledger_counts_json). */
static int
items_counts(struct api_req *r)
{
    struct ew_ledger_query q;
    struct ew_ledger_counts c;
    int rc;

    if (!query_of(r, &q))
        return EW_OK;
    if ((rc = ew_ledger_counts(r->store, &q, &c)) != EW_OK)
        return api_store_error(r, rc);
    rc = ew_ledger_counts_json(&r->out, &c);
    ew_ledger_counts_fini(&c);
    return rc == EW_OK ? EW_OK : api_error(r, 500, "memory", "out of memory");
}

/* ---- one item ------------------------------------------------------------------------- */

static int
event_json(void *ctx, const struct ew_ledger_event *ev)
{
    struct list_ctx *l = ctx;
    char t[20];

    ew_time_fmt_iso(ev->at_ms / 1000, t);
    ew_buf_printf(l->b, "%s{\"id\":%lld,\"at\":\"%s\",\"action\":", l->n++ ? "," : "",
                  (long long)ev->id, t);
    ew_json_strz(l->b, ev->action);
    ew_buf_adds(l->b, ",\"actor\":");
    ew_json_strz(l->b, ev->actor);
    ew_buf_adds(l->b, ",\"role\":");
    ew_json_strz(l->b, ev->role);
    ew_buf_adds(l->b, ",\"unit\":");
    ew_json_strz(l->b, ev->unit);
    ew_buf_printf(l->b, ",\"from\":\"%s\",\"to\":\"%s\",\"note\":",
                  ew_ledger_state_name(ev->from_state), ew_ledger_state_name(ev->to_state));
    ew_json_strz(l->b, ev->note);
    return ew_buf_addc(l->b, '}');
}

static int
file_json(void *ctx, const struct ew_ledger_file *f)
{
    struct list_ctx *l = ctx;

    ew_buf_printf(l->b, "%s{\"id\":%lld,\"sha256\":\"%s\",\"name\":", l->n++ ? "," : "",
                  (long long)f->id, f->sha256);
    ew_json_strz(l->b, f->name);
    ew_buf_adds(l->b, ",\"mime\":");
    ew_json_strz(l->b, f->mime);
    ew_buf_printf(l->b, ",\"size\":%lld,\"by\":", (long long)f->size);
    ew_json_strz(l->b, f->actor);
    return ew_buf_addc(l->b, '}');
}

static int
link_json(void *ctx, const struct ew_ledger_link *k)
{
    struct list_ctx *l = ctx;

    ew_buf_adds(l->b, l->n++ ? ",{\"type\":" : "{\"type\":");
    ew_json_strz(l->b, k->type);
    ew_buf_adds(l->b, ",\"target\":");
    ew_json_strz(l->b, k->target);
    ew_buf_adds(l->b, ",\"relation\":");
    ew_json_strz(l->b, k->relation);
    return ew_buf_addc(l->b, '}');
}

static int
action_json(void *ctx, const char *action, int to)
{
    struct list_ctx *l = ctx;

    return ew_buf_printf(l->b, "%s{\"action\":\"%s\",\"to\":\"%s\"}", l->n++ ? "," : "",
                         action, ew_ledger_state_name(to));
}

/* GET /api/v1/ledger/items/ID: the item, its history, files, links and next actions. */
static int
item_get(struct api_req *r)
{
    struct ew_ledger_item it;
    struct list_ctx l = { &r->out, 0 };
    int64_t id;
    int rc;

    if (!id_arg(r, 0, &id))
        return EW_OK;
    if ((rc = ew_store_ledger_item_get(r->store, id, &it)) != EW_OK)
        return api_store_error(r, rc);
    ew_buf_adds(&r->out, "{\"item\":");
    ew_ledger_item_json(&r->out, &it);
    ew_buf_adds(&r->out, ",\"history\":[");
    rc = ew_store_ledger_event_each(r->store, id, event_json, &l);
    ew_buf_adds(&r->out, "],\"files\":[");
    l.n = 0;
    if (rc == EW_OK)
        rc = ew_store_ledger_file_each(r->store, id, file_json, &l);
    ew_buf_adds(&r->out, "],\"links\":[");
    l.n = 0;
    if (rc == EW_OK)
        rc = ew_store_ledger_link_each(r->store, id, link_json, &l);
    ew_buf_adds(&r->out, "],\"actions\":[");
    l.n = 0;
    ew_ledger_actions_each(it.kind, it.state, NULL, action_json, &l);
    ew_buf_adds(&r->out, "]}");
    return rc == EW_OK ? EW_OK : api_store_error(r, rc);
}

/* ---- writes: each runs as a job on the writer ------------------------------------------ */

struct job {
    struct ew_ledger_item  it;
    struct ew_ledger_act   act;
    struct ew_ledger_actor who;
    struct ew_ledger_link  link;
    struct ew_ledger_import_opts io;
    struct ew_ledger_import_result res;
    struct ew_ledger_rules rules;
    struct ew_buf         *report;
    const char            *note, *name;
    const void            *data;
    size_t                 len;
    int64_t                id;
    char                   why[400];
};

static void
copy_field(const cJSON *j, const char *key, char *dst, size_t size)
{
    const char *v = jstr(j, key);

    if (v != NULL)
        snprintf(dst, size, "%s", v);
}

/* "extra": further attributes as a JSON object, such as a complaint's complainant,
 * complainant_phone, complainant_id_card and complainant_address, which the store masks for
 * every caller but the monitoring centre (docs/security.md, "Privacy"). */
static int
extra_from_json(struct api_req *r, const cJSON *j, struct ew_ledger_item *it)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(j, "extra");
    char *text;
    size_t n;

    if (x == NULL || cJSON_IsNull(x))
        return 1;
    if (!cJSON_IsObject(x))
        return api_error(r, 400, "bad_extra", "extra is a JSON object"), 0;
    if ((text = cJSON_PrintUnformatted(x)) == NULL)
        return api_error(r, 500, "memory", "out of memory"), 0;
    n = strlen(text);
    if (n < sizeof(it->extra))
        memcpy(it->extra, text, n + 1);
    cJSON_free(text);
    if (n >= sizeof(it->extra))
        return api_error(r, 400, "bad_extra", "extra is longer than %zu bytes",
                         sizeof(it->extra) - 1), 0;
    return 1;
}

static int
item_from_json(struct api_req *r, const cJSON *j, struct ew_ledger_item *it)
{
    const char *kind = jstr(j, "kind"), *due = jstr(j, "due");
    int k;

    if (ew_ledger_kind_parse(kind, &k) != EW_OK)
        return api_error(r, 400, "bad_kind", "kind is one of task rectify complaint case river"),
               0;
    ew_ledger_item_init(it, k);
    copy_field(j, "code", it->code, sizeof(it->code));
    copy_field(j, "title", it->title, sizeof(it->title));
    copy_field(j, "body", it->body, sizeof(it->body));
    copy_field(j, "unit", it->unit, sizeof(it->unit));
    copy_field(j, "county", it->county, sizeof(it->county));
    copy_field(j, "leader", it->leader, sizeof(it->leader));
    copy_field(j, "gov_leader", it->gov_leader, sizeof(it->gov_leader));
    copy_field(j, "coop_units", it->coop_units, sizeof(it->coop_units));
    copy_field(j, "category", it->category, sizeof(it->category));
    copy_field(j, "source", it->source, sizeof(it->source));
    copy_field(j, "subject", it->subject, sizeof(it->subject));
    it->qty_target = jnum(j, "qty_target", NAN);
    it->level = (int)jnum(j, "level", 0);
    it->parent_id = (int64_t)jnum(j, "parent_id", 0);
    if (due != NULL && ew_time_parse_iso(due, &it->due_unix_s) != EW_OK)
        return api_error(r, 400, "bad_time", "due is not an ISO date"), 0;
    return extra_from_json(r, j, it);
}

static int
create_job(struct ew_store *s, void *arg)
{
    struct job *j = arg;
    struct ew_calendar *cal = calendar(s);
    int rc = ew_ledger_create(s, &j->it, &j->who, now_s(), NULL, cal, j->why, sizeof(j->why));

    ew_calendar_destroy(cal);
    return rc;
}

/* POST /api/v1/ledger/items {kind, title, ..., actor} */
static int
item_create(struct api_req *r)
{
    cJSON *body = api_body_json(r);
    struct job *j;
    int rc;

    if (body == NULL)
        return EW_OK;
    j = calloc(1, sizeof(*j));
    if (j == NULL || !actor_of(r, body, &j->who) || !item_from_json(r, body, &j->it)) {
        free(j);
        cJSON_Delete(body);
        return j == NULL ? api_error(r, 500, "memory", "out of memory") : EW_OK;
    }
    rc = api_write_job(r, create_job, j);
    if (rc == EW_OK) {
        r->status = 201;
        ew_ledger_item_json(&r->out, &j->it);
    } else {
        refused(r, rc, j->why);
    }
    cJSON_Delete(body);
    free(j);
    return EW_OK;
}

static int
act_job(struct ew_store *s, void *arg)
{
    struct job *j = arg;
    struct ew_calendar *cal = calendar(s);
    int rc = ew_ledger_act(s, j->id, &j->act, NULL, cal, &j->it, j->why, sizeof(j->why));

    ew_calendar_destroy(cal);
    return rc;
}

/* POST /api/v1/ledger/items/ID/actions {action, actor, note, unit, days, qty, amount_yuan,
 * due, ref_id} */
static int
item_act(struct api_req *r)
{
    cJSON *body = api_body_json(r);
    struct job *j = calloc(1, sizeof(*j));
    const char *due;
    int rc;

    if (body == NULL || j == NULL || !id_arg(r, 0, &j->id) || !actor_of(r, body, &j->act.who))
        goto done;
    j->act = (struct ew_ledger_act){ .action = jstr(body, "action"), .who = j->act.who,
                                     .note = jstr(body, "note"), .unit = jstr(body, "unit"),
                                     .days = (int)jnum(body, "days", 0),
                                     .qty = jnum(body, "qty", NAN),
                                     .amount_yuan = jnum(body, "amount_yuan", NAN),
                                     .ref_id = (int64_t)jnum(body, "ref_id", 0),
                                     .now_unix_s = now_s() };
    due = jstr(body, "due");
    if (j->act.action == NULL) {
        api_error(r, 400, "action_required", "an action is required");
        goto done;
    }
    if (due != NULL && ew_time_parse_iso(due, &j->act.due_unix_s) != EW_OK) {
        api_error(r, 400, "bad_time", "due is not an ISO date");
        goto done;
    }
    if ((rc = api_write_job(r, act_job, j)) == EW_OK)
        ew_ledger_item_json(&r->out, &j->it);
    else
        refused(r, rc, j->why);
done:
    if (j == NULL)
        api_error(r, 500, "memory", "out of memory");
    cJSON_Delete(body);
    free(j);
    return EW_OK;
}

static int
comment_job(struct ew_store *s, void *arg)
{
    struct job *j = arg;

    return ew_ledger_comment(s, j->id, &j->who, j->note, now_s(), j->why, sizeof(j->why));
}

/* POST /api/v1/ledger/items/ID/comments {note, actor} */
static int
item_comment(struct api_req *r)
{
    cJSON *body = api_body_json(r);
    struct job *j = calloc(1, sizeof(*j));
    int rc;

    if (body != NULL && j != NULL && id_arg(r, 0, &j->id) && actor_of(r, body, &j->who)) {
        j->note = jstr(body, "note");
        if ((rc = api_write_job(r, comment_job, j)) == EW_OK) {
            r->status = 201;
            ew_buf_adds(&r->out, "{\"ok\":true}");
        } else {
            refused(r, rc, j->why);
        }
    }
    cJSON_Delete(body);
    free(j);
    return EW_OK;
}

static int
link_job(struct ew_store *s, void *arg)
{
    struct job *j = arg;
    int rc = ew_store_ledger_link_add(s, &j->link);

    if (rc != EW_OK)
        snprintf(j->why, sizeof(j->why), "%s", ew_store_errmsg(s));
    return rc;
}

/* POST /api/v1/ledger/items/ID/links {type, target, relation} */
static int
item_link(struct api_req *r)
{
    cJSON *body = api_body_json(r);
    struct job *j = calloc(1, sizeof(*j));
    int rc;

    if (body != NULL && j != NULL && id_arg(r, 0, &j->link.item_id)) {
        copy_field(body, "type", j->link.type, sizeof(j->link.type));
        copy_field(body, "target", j->link.target, sizeof(j->link.target));
        snprintf(j->link.relation, sizeof(j->link.relation), "related");
        copy_field(body, "relation", j->link.relation, sizeof(j->link.relation));
        if ((rc = api_write_job(r, link_job, j)) == EW_OK) {
            r->status = 201;
            ew_buf_adds(&r->out, "{\"ok\":true}");
        } else {
            refused(r, rc, j->why);
        }
    }
    cJSON_Delete(body);
    free(j);
    return EW_OK;
}

static int
attach_job(struct ew_store *s, void *arg)
{
    struct job *j = arg;
    struct ew_ledger_file f;
    int rc = ew_ledger_attach(s, j->id, &j->who, j->name, j->data, j->len, now_s(), &j->rules,
                              &f, j->why, sizeof(j->why));

    if (rc == EW_OK)
        snprintf(j->why, sizeof(j->why), "{\"sha256\":\"%s\",\"mime\":\"%s\",\"size\":%zu}",
                 f.sha256, f.mime, j->len);
    return rc;
}

/* A file name as a user gave it: 1-127 bytes of UTF-8 without control characters, '/' or
 * '\\' (it ends up in a Content-Disposition header and in exports). */
static int
name_ok(const char *name)
{
    size_t n = name != NULL ? strlen(name) : 0;

    if (n == 0 || n > 127)
        return 0;
    for (const unsigned char *p = (const unsigned char *)name; *p != '\0'; p++)
        if (*p < 0x20 || *p == 0x7f || *p == '/' || *p == '\\')
            return 0;
    return 1;
}

static int
attach_refused(struct api_req *r, int rc, const char *why)
{
    if (rc == EW_EFORMAT)
        return api_error(r, 415, "unsupported_type", "%s", why);
    return refused(r, rc, why);
}

/* POST /api/v1/ledger/items/ID/files?name=&actor=&role=&unit= with the file as the body,
 * up to [ledger] max_file_bytes (the HTTP layer refuses a longer body as it streams in). */
static int
item_attach(struct api_req *r)
{
    struct job *j = calloc(1, sizeof(*j));
    const char *account = api_actor(r);
    int rc;

    if (j == NULL)
        return api_error(r, 500, "memory", "out of memory");
    if (id_arg(r, 0, &j->id)) {
        j->who = (struct ew_ledger_actor){ account != NULL && account[0] ? account
                                                                         : api_query(r, "actor"),
                                           api_query(r, "role"),
                                           api_query(r, "unit") ? api_query(r, "unit") : "" };
        j->name = api_query(r, "name");
        j->data = r->body;
        j->len = r->body_len;
        ew_ledger_rules_default(&j->rules);
        j->rules.file_max_bytes = ew__api_max_file_bytes(r->api);
        if (r->body == NULL || r->body_len == 0)
            api_error(r, 400, "body_required", "the file is the request body");
        else if (!name_ok(j->name))
            api_error(r, 400, "bad_name", "name: 1-127 bytes without control characters, "
                      "'/' or '\\'");
        else if ((rc = api_write_job(r, attach_job, j)) == EW_OK)
            r->status = 201, ew_buf_adds(&r->out, j->why);
        else
            attach_refused(r, rc, j->why);
    }
    free(j);
    return EW_OK;
}

/* Content-Disposition of a download: RFC 6266 with the name in RFC 8187 encoding (UTF-8,
 * percent-encoded), so no byte of a user's file name reaches the header as it is. */
static void
disposition(const char *name, char *out, size_t cap)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = (size_t)snprintf(out, cap, "attachment; filename*=UTF-8''");

    for (const unsigned char *p = (const unsigned char *)name; *p != '\0' && n + 4 < cap; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '.' || *p == '-' || *p == '_') {
            out[n++] = (char)*p;
        } else {
            out[n++] = '%';
            out[n++] = hex[*p >> 4];
            out[n++] = hex[*p & 15];
        }
    }
    out[n] = '\0';
}

/* GET /api/v1/ledger/files/SHA256: the content of an evidence file, for a caller who may see
 * an item it is attached to. The store decides (ew_store_ledger_file_find under the caller's
 * scope); a content outside the scope answers as one that does not exist. */
static int
file_get(struct api_req *r)
{
    struct ew_ledger_file f;
    char path[4200], cd[3 * sizeof(f.name) + 40];
    struct stat st;
    int fd, rc = ew_store_ledger_file_find(r->store, r->args[0], &f);

    if (rc == EW_EINVAL)
        return api_error(r, 400, "bad_hash", "not a sha256 (64 lowercase hex digits)");
    if (rc != EW_OK)
        return api_store_error(r, rc);
    if (ew_ledger_file_path(r->store, f.sha256, path, sizeof(path)) != EW_OK ||
        (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return api_error(r, 404, "not_found", "the content of %s is missing", f.sha256);
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        (r->resp = MHD_create_response_from_fd((uint64_t)st.st_size, fd)) == NULL) {
        close(fd);
        return api_error(r, 500, "io", "cannot read the content of %s", f.sha256);
    }
    /* The type found from the content at upload; a download, never shown inline. */
    disposition(f.name, cd, sizeof(cd));
    MHD_add_response_header(r->resp, "Content-Type", f.mime);
    MHD_add_response_header(r->resp, "Content-Disposition", cd);
    r->content_type = NULL;
    return EW_OK;
}

/* ---- import, digest, case from alarm, scorecard --------------------------------------- */

static void
import_bad(void *ctx, size_t line, const char *column, const char *why)
{
    struct job *j = ctx;
    struct ew_buf *b = j->report;

    if (b->len > 1)
        ew_buf_addc(b, ',');
    ew_buf_printf(b, "{\"line\":%zu,\"column\":", line);
    ew_json_strz(b, column);
    ew_buf_adds(b, ",\"why\":");
    ew_json_strz(b, why);
    ew_buf_addc(b, '}');
}

static int
import_job(struct ew_store *s, void *arg)
{
    struct job *j = arg;

    j->io.now_unix_s = now_s();
    return ew_ledger_import(s, j->data, j->len, &j->io, import_bad, j, &j->res, j->why,
                            sizeof(j->why));
}

/* POST /api/v1/ledger/import?kind=&dry_run=1&strict=1&format=&map=&actor=&role=&unit=
 * with the workbook or CSV as the body. */
static int
ledger_import(struct api_req *r)
{
    struct job *j = calloc(1, sizeof(*j));
    struct ew_buf report;
    const char *account = api_actor(r), *dry = api_query(r, "dry_run");
    const char *strict = api_query(r, "strict");
    int rc;

    if (j == NULL)
        return api_error(r, 500, "memory", "out of memory");
    ew_buf_init(&report, 4 << 20);
    ew_buf_addc(&report, '[');
    j->report = &report;
    j->io = (struct ew_ledger_import_opts){
        .format = api_query(r, "format"), .mapping = api_query(r, "map"),
        .dry_run = dry != NULL && strcmp(dry, "1") == 0,
        .strict = strict != NULL && strcmp(strict, "1") == 0,
        .who = { account != NULL && account[0] ? account : api_query(r, "actor"),
                 api_query(r, "role"), api_query(r, "unit") ? api_query(r, "unit") : "" } };
    j->data = r->body;
    j->len = r->body_len;
    if (ew_ledger_kind_parse(api_query(r, "kind"), &j->io.kind) != EW_OK)
        api_error(r, 400, "bad_kind", "kind is one of task rectify complaint case river");
    else if (r->body == NULL || j->io.who.name == NULL)
        api_error(r, 400, "body_required", "the file is the body; actor and role are required");
    else if ((rc = api_write_job(r, import_job, j)) != EW_OK)
        refused(r, rc, j->why);
    else
        ew_buf_printf(&r->out, "{\"rows\":%zu,\"refused\":%zu,\"imported\":%zu,\"dry_run\":%s,"
                      "\"problems\":%s]}", j->res.rows, j->res.bad, j->res.imported,
                      j->io.dry_run ? "true" : "false", report.ptr != NULL ? report.ptr : "[");
    ew_buf_fini(&report);
    free(j);
    return EW_OK;
}

/* GET /api/v1/ledger/due: overdue and due-soon items per unit (the daily digest). */
static int
ledger_due(struct api_req *r)
{
    int rc = ew_ledger_digest(r->store, now_s(), NULL, &r->out);

    return rc == EW_OK ? EW_OK : api_store_error(r, rc);
}

static int
case_job(struct ew_store *s, void *arg)
{
    struct job *j = arg;

    return ew_ledger_case_from_alarm(s, j->id, &j->who, now_s(), NULL, &j->it, j->why,
                                     sizeof(j->why));
}

/* POST /api/v1/ledger/cases/from-alarm/ALARM_ID {actor}: the alarm becomes a case. */
static int
case_from_alarm(struct api_req *r)
{
    cJSON *body = api_body_json(r);
    struct job *j = calloc(1, sizeof(*j));
    int rc;

    if (body != NULL && j != NULL && id_arg(r, 0, &j->id) && actor_of(r, body, &j->who)) {
        if ((rc = api_write_job(r, case_job, j)) == EW_OK) {
            r->status = 201;
            ew_ledger_item_json(&r->out, &j->it);
        } else {
            refused(r, rc, j->why);
        }
    }
    cJSON_Delete(body);
    free(j);
    return EW_OK;
}

/* GET /api/v1/assess?period=YYYY-MM&ytd=1&format=json|xlsx: the published scorecard with its
 * breakdown, as JSON or as the workbook of `envwatch assess --format xlsx`. */
static int
assess(struct api_req *r)
{
    const char *period = api_query(r, "period"), *ytd = api_query(r, "ytd");
    const char *fmt = api_query(r, "format");
    struct ew_scorecard_cfg *cfg = malloc(sizeof(*cfg));
    struct ew_score_input *in = malloc(sizeof(*in));
    struct ew_scorecard *sc = malloc(sizeof(*sc));
    struct ew_civil a = { 0 }, b = { 0 };
    char *text = NULL, why[300] = "";
    int y = 0, m = 0;

    if (cfg == NULL || in == NULL || sc == NULL)
        api_error(r, 500, "memory", "out of memory");
    else if (fmt != NULL && strcmp(fmt, "json") != 0 && strcmp(fmt, "xlsx") != 0)
        api_error(r, 400, "bad_format", "format is json or xlsx");
    else if (period == NULL || sscanf(period, "%4d-%2d", &y, &m) != 2 || m < 1 || m > 12 ||
             y < 2000 || y > 2099)
        api_error(r, 400, "bad_period", "period is YYYY-MM");
    else if (ew_store_ledger_kv_get(r->store, "scorecard", &text) != EW_OK)
        api_error(r, 404, "no_scorecard", "no scorecard: set [ledger] scorecard");
    else if (ew_scorecard_parse(text, cfg, NULL, why, sizeof(why)) != EW_OK)
        api_error(r, 500, "bad_scorecard", "%s", why);
    else {
        a = (struct ew_civil){ y, ytd != NULL && strcmp(ytd, "1") == 0 ? 1 : m, 1, 0, 0, 0 };
        b = (struct ew_civil){ y, m, ew_days_in_month(y, m), 23, 59, 59 };
        ew_score_input_init(in);
        if (ew_assess_gather(r->store, cfg, ew_civil_to_unix(&a), ew_civil_to_unix(&b), in) !=
            EW_OK)
            api_store_error(r, EW_EIO);
        else if (ew_scorecard_score(cfg, in, sc) != EW_OK)
            api_error(r, 500, "score", "the scorecard cannot be scored");
        else if (fmt == NULL || strcmp(fmt, "json") == 0)
            ew_assess_json(&r->out, cfg, in, sc, period);
        else if (ew_assess_xlsx_buf(&r->out, cfg, in, sc) != EW_OK)
            api_error(r, 500, "xlsx", "the workbook cannot be written");
        else {
            r->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
            r->disposition = "attachment; filename=\"assess.xlsx\"";
        }
    }
    free(text);
    free(cfg);
    free(in);
    free(sc);
    return EW_OK;
}

const struct api_route ew__api_routes_ledger[] = {
    { "GET", "/api/v1/ledger/items", items_list },
    { "GET", "/api/v1/ledger/counts", items_counts },
    { "POST", "/api/v1/ledger/items", item_create },
    { "GET", "/api/v1/ledger/items/*", item_get },
    { "POST", "/api/v1/ledger/items/*/actions", item_act },
    { "POST", "/api/v1/ledger/items/*/comments", item_comment },
    { "POST", "/api/v1/ledger/items/*/links", item_link },
    { "POST", "/api/v1/ledger/items/*/files", item_attach },
    { "GET", "/api/v1/ledger/files/*", file_get },
    { "POST", "/api/v1/ledger/import", ledger_import },
    { "GET", "/api/v1/ledger/due", ledger_due },
    { "POST", "/api/v1/ledger/cases/from-alarm/*", case_from_alarm },
    { "GET", "/api/v1/assess", assess },
    { NULL, NULL, NULL },
};
