/* SPDX-License-Identifier: MIT */
/*
 * Alarms over HTTP (docs/api.md "Alarms"): the list with its filters, one alarm, and the
 * lifecycle actions acknowledge, explain (the enterprise's 异常申报) and close. Every action
 * runs on the writer as a job (ew_alarm_act decides whether the move is allowed: 409 `state`
 * when not); the answer is read back after the commit and announced as an `alarm` event.
 * Who acted is the signed-in account (api_actor), never a name the client sends.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <envwatch/alarm.h>

#include "api/internal.h"
#include "util/json.h"
#include "util/time.h"

#define LIST_DEFAULT 1000
#define LIST_MAX 10000

/* Parses a positive decimal id; 0 when it is not one. */
static int64_t
parse_id(const char *s)
{
    char *end;
    long long v = strtoll(s, &end, 10);

    return *s >= '0' && *s <= '9' && *end == '\0' && v > 0 ? (int64_t)v : 0;
}

struct list {
    struct api_req *r;
    int n, rc;
};

static int
emit_alarm(void *ctx, const struct ew_alarm *a)
{
    struct list *l = ctx;

    if (l->n++ > 0)
        ew_buf_addc(&l->r->out, ',');
    l->rc = ew_alarm_json(&l->r->out, l->r->store, a);
    return l->rc != EW_OK;
}

/* ?from=&to= as instants in milliseconds; 0 when absent. */
static int
time_param(struct api_req *r, const char *name, int64_t *ms)
{
    const char *v = api_query(r, name);
    int64_t t;

    *ms = 0;
    if (v == NULL || v[0] == '\0')
        return EW_OK;
    if (ew_time_parse_iso(v, &t) != EW_OK) {
        api_error(r, 400, "bad_time", "%s: '%s' is not an ISO 8601 local time", name, v);
        return EW_EINVAL;
    }
    *ms = t * 1000;
    return EW_OK;
}

static int
refuse(struct api_req *r, const char *code, const char *msg)
{
    api_error(r, 400, code, "%s", msg);
    return EW_EINVAL;
}

/* Fills q from the query string; on a bad parameter sets the 400 and returns EW_EINVAL. */
static int
list_query(struct api_req *r, struct ew_alarm_query *q, int *none)
{
    const char *state = api_query(r, "state"), *kind = api_query(r, "kind");
    const char *mn = api_query(r, "mn"), *county = api_query(r, "county");
    const char *lim = api_query(r, "limit"), *factor = api_query(r, "factor");
    struct ew_point p;
    int st;

    *q = (struct ew_alarm_query){ .limit = LIST_DEFAULT };
    *none = 0;
    if (state != NULL && state[0] != '\0') {
        if (ew_alarm_state_parse(state, &st) != EW_OK)
            return refuse(r, "bad_param", "state must be open, acknowledged, explained or "
                          "closed");
        q->states = 1u << st;
    }
    if (kind != NULL && kind[0] != '\0' && ew_alarm_kind_mask(kind, &q->kinds) != EW_OK)
        return refuse(r, "bad_kind", "kind must be exceedance, offline, constant, "
                      "zero-negative, out-of-range or flag");
    if (lim != NULL) {
        char *end;
        unsigned long v = strtoul(lim, &end, 10);
        if (*end != '\0' || v == 0 || v > LIST_MAX)
            return refuse(r, "bad_limit", "limit must be 1..10000");
        q->limit = v;
    }
    if (county != NULL && county[0] != '\0')
        q->county = county;
    if (factor != NULL && factor[0] != '\0')
        q->factor = factor;
    if (time_param(r, "from", &q->from_ms) != EW_OK || time_param(r, "to", &q->to_ms) != EW_OK)
        return EW_EINVAL;
    if (mn != NULL && mn[0] != '\0') {
        /* An MN that is not registered matches nothing. */
        if (ew_store_point_get(r->store, mn, &p) == EW_OK)
            q->point_id = p.id;
        else
            *none = 1;
    }
    return EW_OK;
}

/* GET /api/v1/alarms?state=&kind=&county=&mn=&factor=&from=&to=&limit= */
static int
list(struct api_req *r)
{
    struct ew_alarm_query q;
    struct list l = { r, 0, EW_OK };
    int none, rc;

    if (list_query(r, &q, &none) != EW_OK)
        return EW_OK;
    ew_buf_addc(&r->out, '[');
    rc = none ? EW_OK : ew_store_alarm_each(r->store, &q, emit_alarm, &l);
    if (l.rc != EW_OK)
        rc = l.rc;
    if (rc != EW_OK && rc != 1)
        return api_store_error(r, rc);
    return ew_buf_addc(&r->out, ']');
}

/* GET /api/v1/alarms/{id} */
static int
one(struct api_req *r)
{
    int64_t id = parse_id(r->args[0]);
    struct ew_alarm a;
    int rc;

    if (id == 0)
        return api_error(r, 404, "not_found", "no alarm %s", r->args[0]);
    if ((rc = ew_store_alarm_get(r->store, id, &a)) != EW_OK)
        return api_store_error(r, rc);
    if ((rc = ew_alarm_json(&r->out, r->store, &a)) != EW_OK)
        return api_store_error(r, rc);
    return EW_OK;
}

struct act_job {
    int64_t id;
    int     to;
    char    by[EW_ALARM_BY_MAX + 1];
    char    note[EW_ALARM_NOTE_MAX + 1];
    int64_t now_ms;
};

static int
run_act(struct ew_store *s, void *arg)
{
    struct act_job *j = arg;

    return ew_alarm_act(s, j->id, j->to, j->by, j->note, j->now_ms, NULL);
}

/* Reads {"note"}: at most 1000 bytes, required to explain. The actor is the account that
 * calls; a "by" member (earlier clients sent one) is not read, so nobody can act in another's
 * name. */
static int
act_body(struct api_req *r, struct act_job *j)
{
    const char *actor = api_actor(r);
    cJSON *body;
    const cJSON *note;
    int ok = 0;

    if (actor == NULL || actor[0] == '\0' || strlen(actor) > EW_ALARM_BY_MAX) {
        api_error(r, 401, "login_required", "acting on an alarm needs a signed-in account");
        return 0;
    }
    if ((body = api_body_json(r)) == NULL)
        return 0;
    note = cJSON_GetObjectItemCaseSensitive(body, "note");
    if (note != NULL && !cJSON_IsNull(note) &&
        (!cJSON_IsString(note) || strlen(note->valuestring) > EW_ALARM_NOTE_MAX))
        api_error(r, 400, "bad_field", "note must be a string of at most %d bytes",
                  EW_ALARM_NOTE_MAX);
    else if (j->to == EW_ALARM_STATE_EXPLAINED &&
             (!cJSON_IsString(note) || note->valuestring[0] == '\0'))
        api_error(r, 400, "bad_field", "an explanation needs a note: the cause of the "
                  "abnormal data (异常申报)");
    else
        ok = 1;
    if (ok) {
        memcpy(j->by, actor, strlen(actor) + 1);
        if (cJSON_IsString(note))
            memcpy(j->note, note->valuestring, strlen(note->valuestring) + 1);
    }
    cJSON_Delete(body);
    return ok;
}

static void
announce(struct api_req *r, const struct ew_alarm *a, int64_t now_ms)
{
    struct ew_buf b;

    ew_buf_init(&b, 1 << 20);
    if (ew_alarm_notice_json(&b, r->store, a, ew_alarm_state_name(a->state), now_ms) == EW_OK)
        ew_api_publish(r->api, "alarm", b.ptr);
    ew_buf_fini(&b);
}

/* POST /api/v1/alarms/{id}/acknowledge|explain|close {"note"}, by the signed-in account */
static int
act(struct api_req *r)
{
    struct act_job *j = calloc(1, sizeof(*j));
    struct ew_alarm a;
    struct timespec ts;
    int rc;

    if (j == NULL)
        return api_error(r, 503, "busy", "out of memory");
    j->id = parse_id(r->args[0]);
    if (ew_alarm_action_parse(r->args[1], &j->to) != EW_OK) {
        free(j);
        return api_error(r, 404, "no_route", "no action %s: acknowledge, explain or close",
                         r->args[1]);
    }
    if (j->id == 0 || (rc = ew_store_alarm_get(r->store, j->id, &a)) == EW_ENOTFOUND) {
        free(j);
        return api_error(r, 404, "not_found", "no alarm %s", r->args[0]);
    }
    if (!act_body(r, j)) {
        free(j);
        return EW_OK;
    }
    clock_gettime(CLOCK_REALTIME, &ts);
    j->now_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    rc = api_write_job(r, run_act, j);
    if (rc == EW_ESTATE)
        rc = api_error(r, 409, "state", "alarm %lld cannot be %s from its state",
                       (long long)j->id, ew_alarm_state_name(j->to));
    else if (rc == EW_EINVAL)
        rc = api_error(r, 400, "bad_field", "the note was refused");
    else if (rc != EW_OK)
        rc = api_store_error(r, rc);
    else if ((rc = ew_store_alarm_get(r->store, j->id, &a)) != EW_OK ||
             (rc = ew_alarm_json(&r->out, r->store, &a)) != EW_OK)
        rc = api_store_error(r, rc);
    else
        announce(r, &a, j->now_ms);
    free(j);
    return rc;
}

const struct api_route ew__api_routes_alarms[] = {
    { "GET", "/api/v1/alarms", list },
    { "GET", "/api/v1/alarms/*", one },
    { "POST", "/api/v1/alarms/*/*", act },
    { NULL, NULL, NULL },
};
