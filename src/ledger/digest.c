/* SPDX-License-Identifier: MIT */
/*
 * The daily digest of deadlines, per responsible unit: what is overdue and what falls due
 * within the "due soon" window. The daemon sends it to a webhook once a day; the API and the
 * CLI show the same JSON. A digest leaves the platform (webhooks, every staff screen), so the
 * phone and identity-card numbers a complaint's title may hold are masked in it for whoever
 * reads it (docs/security.md, "Privacy").
 */
#include <stdlib.h>
#include <string.h>

#include <envwatch/err.h>
#include <envwatch/ledger.h>

#include "ledger/internal.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/privacy.h"
#include "util/time.h"

#define DIGEST_LIST_MAX 50              /* items listed per unit and list */
#define DIGEST_ITEMS_MAX 200000

struct row {
    char    unit[96], code[64], title[256];
    int64_t id, due;
    int     kind, state, overdue;
};

struct rows {
    struct row *v;
    size_t n, cap;
    int64_t now;
};

static int
take(void *ctx, const struct ew_ledger_item *it)
{
    struct rows *r = ctx;

    if (r->n == DIGEST_ITEMS_MAX)
        return EW_ETOOBIG;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        struct row *v = realloc(r->v, cap * sizeof(*v));
        if (v == NULL)
            return EW_ENOMEM;
        r->v = v;
        r->cap = cap;
    }
    struct row *w = &r->v[r->n++];
    ew__ledger_copy(w->unit, sizeof(w->unit), it->unit);
    ew__ledger_copy(w->code, sizeof(w->code), it->code);
    ew__ledger_copy(w->title, sizeof(w->title), it->title);
    ew_privacy_mask_text(w->title);
    w->id = it->id;
    w->due = it->due_unix_s;
    w->kind = it->kind;
    w->state = it->state;
    w->overdue = it->overdue || it->due_unix_s < r->now;
    return 0;
}

static int
by_unit_due(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    int c = strcmp(x->unit, y->unit);

    if (c != 0)
        return c;
    return (x->due > y->due) - (x->due < y->due);
}

static void
item_json(struct ew_buf *b, const struct row *r)
{
    char t[20];

    ew_time_fmt_iso(r->due, t);
    ew_buf_printf(b, "{\"id\":%lld,\"code\":", (long long)r->id);
    ew_json_strz(b, r->code);
    ew_buf_adds(b, ",\"title\":");
    ew_json_strz(b, r->title);
    ew_buf_printf(b, ",\"kind\":\"%s\",\"state\":\"%s\",\"due\":\"%s\"}",
                  ew_ledger_kind_name(r->kind), ew_ledger_state_name(r->state), t);
}

/* One unit's lists: rows [from, to) of the sorted array. */
static void
unit_json(struct ew_buf *b, const struct row *v, size_t from, size_t to)
{
    int over = 0, soon = 0;

    ew_buf_adds(b, "{\"unit\":");
    ew_json_strz(b, v[from].unit);
    for (int pass = 1; pass >= 0; pass--) {
        int listed = 0;
        ew_buf_adds(b, pass ? ",\"overdue\":[" : "],\"due_soon\":[");
        for (size_t i = from; i < to; i++) {
            if (v[i].overdue != pass)
                continue;
            if (pass)
                over++;
            else
                soon++;
            if (listed++ < DIGEST_LIST_MAX) {
                if (listed > 1)
                    ew_buf_addc(b, ',');
                item_json(b, &v[i]);
            }
        }
    }
    ew_buf_printf(b, "],\"overdue_n\":%d,\"due_soon_n\":%d}", over, soon);
}

int
ew_ledger_digest(struct ew_store *s, int64_t now, const struct ew_ledger_rules *rules,
                 struct ew_buf *out)
{
    struct ew_ledger_query q = { .overdue = -1, .open = 1, .running = 1, .due_from = 1,
                                 .order = 1, .fields = EW_LEDGER_FIELDS_LIST };
    struct rows r = { .now = now };
    char day[20];
    int rc, over = 0;

    if (s == NULL || out == NULL)
        return EW_EINVAL;
    rules = ew__ledger_rules(rules);
    q.due_to = ew_ledger_day_end(now, rules->due_soon_days);
    if ((rc = ew_store_ledger_item_each(s, &q, take, &r)) != EW_OK) {
        free(r.v);
        return rc;
    }
    if (r.n > 0)
        qsort(r.v, r.n, sizeof(*r.v), by_unit_due);
    for (size_t i = 0; i < r.n; i++)
        over += r.v[i].overdue;
    ew_time_fmt_iso(now, day);
    day[10] = '\0';
    ew_buf_printf(out, "{\"date\":\"%s\",\"due_soon_days\":%d,\"overdue\":%d,\"due_soon\":%d,"
                  "\"units\":[", day, rules->due_soon_days, over, (int)r.n - over);
    for (size_t i = 0, j; i < r.n; i = j) {
        for (j = i + 1; j < r.n && strcmp(r.v[j].unit, r.v[i].unit) == 0; j++)
            ;
        if (i > 0)
            ew_buf_addc(out, ',');
        unit_json(out, r.v, i, j);
    }
    ew_buf_adds(out, "]}");
    free(r.v);
    return out->ptr != NULL ? EW_OK : EW_ENOMEM;
}
