/* SPDX-License-Identifier: MIT */
/*
 * The store front's checks of ledger records: the shape every backend may rely on before it
 * writes (known kind and state numbers, text that fits and holds no control characters, a
 * JSON object in extra). Which state may follow which is not checked here: that is the
 * workflow's rule (src/ledger/workflow.c). Pure functions; no SQL here (sqlite_ledger.c).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include <envwatch/err.h>
#include <envwatch/store.h>

#include "store/ledger_internal.h"

#define KIND_MAX 5                      /* enum ew_ledger_kind of envwatch/ledger.h */
#define STATE_MAX 63                    /* states are bits of a 64-bit query mask */

static int
say(char *why, size_t len, const char *what, const char *msg)
{
    if (why != NULL && len > 0)
        snprintf(why, len, "%s: %s", what, msg);
    return EW_EINVAL;
}

/* NUL within the array and no control characters but tab and newline. */
static int
text_ok(const char *s, size_t size)
{
    size_t n = strnlen(s, size);

    if (n == size)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 && s[i] != '\n' && s[i] != '\t' && s[i] != '\r')
            return 0;
    return 1;
}

#define TEXT(what, field)                                                                      \
    do {                                                                                       \
        if (!text_ok((field), sizeof(field)))                                                  \
            return say(why, len, what, #field " is too long or holds control characters");   \
    } while (0)

static int
json_object_ok(const char *s)
{
    cJSON *j;
    int ok;

    if (s[0] == '\0')
        return 1;
    j = cJSON_Parse(s);
    ok = j != NULL && cJSON_IsObject(j);
    cJSON_Delete(j);
    return ok;
}

static int
num_ok(double v)
{
    return isnan(v) || (isfinite(v) && v >= 0);
}

int
ew__store_ledger_item_check(const struct ew_ledger_item *it, char *why, size_t len)
{
    const char *w = "ledger item";

    if (it->kind < 1 || it->kind > KIND_MAX)
        return say(why, len, w, "unknown kind");
    if (it->state < 1 || it->state > STATE_MAX)
        return say(why, len, w, "unknown state");
    TEXT(w, it->code);
    TEXT(w, it->title);
    TEXT(w, it->body);
    TEXT(w, it->unit);
    TEXT(w, it->county);
    TEXT(w, it->leader);
    TEXT(w, it->gov_leader);
    TEXT(w, it->coop_units);
    TEXT(w, it->category);
    TEXT(w, it->source);
    TEXT(w, it->subject);
    TEXT(w, it->extra);
    if (it->title[0] == '\0')
        return say(why, len, w, "a title is required");
    if (!json_object_ok(it->extra))
        return say(why, len, w, "extra must be a JSON object");
    if (!num_ok(it->qty_target) || !num_ok(it->qty_done) || !num_ok(it->penalty_yuan))
        return say(why, len, w, "quantities and amounts must be finite and not negative");
    if (it->level < 0 || it->level > 5 || it->extensions < 0 || it->penalty_days < 0 ||
        it->overdue < 0 || it->overdue > 1)
        return say(why, len, w, "level, extensions, penalty days or overdue out of range");
    if (it->parent_id < 0 || it->opened_unix_s < 0 || it->due_unix_s < 0 ||
        it->mark_unix_s < 0 || it->done_unix_s < 0 || it->closed_unix_s < 0)
        return say(why, len, w, "negative id or time");
    return EW_OK;
}

int
ew__store_ledger_event_check(const struct ew_ledger_event *ev, char *why, size_t len)
{
    const char *w = "ledger event";

    TEXT(w, ev->action);
    TEXT(w, ev->actor);
    TEXT(w, ev->role);
    TEXT(w, ev->unit);
    TEXT(w, ev->note);
    if (ev->action[0] == '\0' || ev->actor[0] == '\0')
        return say(why, len, w, "an action and an actor are required");
    if (ev->from_state < 0 || ev->from_state > STATE_MAX || ev->to_state < 0 ||
        ev->to_state > STATE_MAX || ev->at_ms < 0)
        return say(why, len, w, "state or time out of range");
    return EW_OK;
}

int
ew__store_ledger_file_check(const struct ew_ledger_file *f, char *why, size_t len)
{
    const char *w = "ledger file";

    TEXT(w, f->name);
    TEXT(w, f->mime);
    TEXT(w, f->actor);
    if (strlen(f->sha256) != 64 || strspn(f->sha256, "0123456789abcdef") != 64)
        return say(why, len, w, "sha256 must be 64 lowercase hex digits");
    if (f->item_id <= 0 || f->size < 0 || f->name[0] == '\0' || f->mime[0] == '\0')
        return say(why, len, w, "item, name, type and size are required");
    return EW_OK;
}

int
ew__store_ledger_link_check(const struct ew_ledger_link *l, char *why, size_t len)
{
    static const char *const types[] = { "item", "point", "alarm", "enterprise" };
    const char *w = "ledger link";
    int known = 0;

    TEXT(w, l->type);
    TEXT(w, l->target);
    TEXT(w, l->relation);
    for (size_t i = 0; i < EW_ARRAY_LEN(types); i++)
        known |= strcmp(types[i], l->type) == 0;
    if (!known)
        return say(why, len, w, "type must be item, point, alarm or enterprise");
    if (l->item_id <= 0 || l->target[0] == '\0' || l->relation[0] == '\0')
        return say(why, len, w, "item, target and relation are required");
    return EW_OK;
}

int
ew__store_ledger_patrol_check(const struct ew_ledger_patrol *p, char *why, size_t len)
{
    const char *w = "patrol";

    TEXT(w, p->chief);
    TEXT(w, p->reach);
    TEXT(w, p->note);
    if (p->chief[0] == '\0' || p->reach[0] == '\0')
        return say(why, len, w, "a chief and a reach are required");
    if (p->level < 1 || p->level > 5)
        return say(why, len, w, "level must be 1 (province) to 5 (village)");
    if (p->start_unix_s <= 0 || p->end_unix_s < p->start_unix_s)
        return say(why, len, w, "the end is before the start");
    if (!isfinite(p->length_km) || p->length_km < 0)
        return say(why, len, w, "the length must be a finite number of km, not negative");
    return EW_OK;
}

int
ew__store_ledger_reach_check(const struct ew_ledger_reach *r, char *why, size_t len)
{
    const char *w = "reach";

    TEXT(w, r->code);
    TEXT(w, r->river);
    TEXT(w, r->name);
    TEXT(w, r->county);
    TEXT(w, r->chief);
    TEXT(w, r->parent);
    if (r->code[0] == '\0' || r->river[0] == '\0')
        return say(why, len, w, "a code and a river are required");
    if (r->level < 1 || r->level > 5)
        return say(why, len, w, "level must be 1 (province) to 5 (village)");
    if (strcmp(r->code, r->parent) == 0)
        return say(why, len, w, "a reach cannot be its own parent");
    return EW_OK;
}

int
ew__store_ledger_query_check(const struct ew_ledger_query *q, char *why, size_t len)
{
    const char *w = "ledger query";

    if ((q->unit != NULL && strlen(q->unit) > 95) ||
        (q->county != NULL && strlen(q->county) > 48) ||
        (q->text != NULL && strlen(q->text) > 255))
        return say(why, len, w, "unit, county or text too long");
    if (q->overdue < -1 || q->overdue > 1 || q->open < -1 || q->open > 1 || q->order < 0 ||
        q->order > 2 || q->parent_id < 0 || q->fields < EW_LEDGER_FIELDS_ALL ||
        q->fields > EW_LEDGER_FIELDS_KEYS)
        return say(why, len, w, "bad overdue, open, order, parent or fields");
    return EW_OK;
}

int
ew__store_ledger_key_check(const char *key, char *why, size_t len)
{
    size_t n = strlen(key);

    if (n == 0 || n > 63 || strspn(key, "abcdefghijklmnopqrstuvwxyz0123456789._-") != n)
        return say(why, len, "ledger setting", "a key is 1-63 of a-z 0-9 . _ -");
    return EW_OK;
}
