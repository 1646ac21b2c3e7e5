/* SPDX-License-Identifier: MIT */
/*
 * An alarm as JSON, the one shape shared by GET /api/v1/alarms, the `alarm` live event and the
 * webhook payload (docs/api.md), and the one-sentence message an SMS gateway can forward.
 */
#include <math.h>
#include <string.h>

#include <envwatch/alarm.h>
#include <envwatch/err.h>
#include <hj212/codes.h>

#include "util/buf.h"
#include "util/json.h"
#include "util/time.h"

/* "key":"ISO time" or "key":null when t is 0. */
static int
time_field(struct ew_buf *b, const char *key, int64_t t_unix_s, int present)
{
    char iso[20];
    int rc = ew_buf_addc(b, ',') | ew_json_key(b, key);

    if (!present)
        return rc | ew_buf_adds(b, "null");
    ew_time_fmt_iso(t_unix_s, iso);
    return rc | ew_json_strz(b, iso);
}

static int
num_field(struct ew_buf *b, const char *key, double v)
{
    return ew_buf_addc(b, ',') | ew_json_key(b, key) | ew_json_num(b, v, 10);
}

static int
str_field(struct ew_buf *b, const char *key, const char *v)
{
    return ew_buf_addc(b, ',') | ew_json_key(b, key) | ew_json_strz(b, v);
}

struct hist {
    struct ew_buf *b;
    int n, rc;
};

static int
step_json(void *ctx, const struct ew_alarm_step *st)
{
    struct hist *h = ctx;
    struct ew_buf *b = h->b;

    h->rc |= (h->n++ > 0 ? ew_buf_addc(b, ',') : EW_OK) | ew_buf_adds(b, "{\"state\":") |
             ew_json_strz(b, ew_alarm_state_name(st->state)) | str_field(b, "by", st->by) |
             time_field(b, "at", st->at_ms / 1000, 1) | str_field(b, "note", st->note) |
             ew_buf_addc(b, '}');
    return h->rc != EW_OK ? EW_ETOOBIG : 0;
}

static const char *
unit_of(const char *factor)
{
    const struct hj212_factor *f = hj212_factor_find((struct hj212_str){ factor, strlen(factor) });

    return f != NULL && f->unit != NULL ? f->unit : "";
}

int
ew_alarm_json(struct ew_buf *b, struct ew_store *s, const struct ew_alarm *a)
{
    struct hist h = { b, 0, EW_OK };
    int rc;

    rc = ew_buf_printf(b, "{\"id\":%lld", (long long)a->id) |
         str_field(b, "kind", ew_alarm_kind_label(a->kind)) |
         str_field(b, "rule", ew_alarm_kind_name(a->kind)) | str_field(b, "mn", a->mn) |
         str_field(b, "point", a->point_name) | str_field(b, "county", a->county) |
         str_field(b, "factor", a->factor[0] ? a->factor : NULL) |
         str_field(b, "unit", a->factor[0] ? unit_of(a->factor) : NULL) |
         str_field(b, "state", ew_alarm_state_name(a->state)) |
         ew_buf_printf(b, ",\"active\":%s", a->active ? "true" : "false") |
         time_field(b, "start", a->start_unix_s, 1) |
         time_field(b, "end", a->end_unix_s, a->end_unix_s != 0) |
         time_field(b, "opened", a->opened_ms / 1000, 1) |
         time_field(b, "last_seen", a->last_seen_ms / 1000, 1) |
         time_field(b, "closed", a->closed_ms / 1000, a->closed_ms != 0) |
         num_field(b, "peak", a->peak) |
         time_field(b, "peak_time", a->peak_unix_s, !isnan(a->peak)) |
         num_field(b, "limit", a->limit) | num_field(b, "multiple", a->multiple) |
         ew_buf_printf(b, ",\"count\":%lld,\"history\":[", (long long)a->count);
    if (rc != EW_OK)
        return EW_ETOOBIG;
    rc = ew_store_alarm_history_each(s, a->id, step_json, &h);
    if (rc != EW_OK)
        return h.rc != EW_OK ? EW_ETOOBIG : rc;
    return ew_buf_adds(b, "]}");
}

/* What the alarm is about, in the words of its kind. */
static const char *
kind_words(int kind)
{
    switch (kind) {
    case EW_ALARM_EXCEED:
        return "超标";
    case EW_ALARM_OFFLINE:
        return "离线(无数据)";
    case EW_ALARM_CONSTANT:
        return "数据恒值";
    case EW_ALARM_ZERO:
        return "零值或负值";
    case EW_ALARM_RANGE:
        return "超量程";
    case EW_ALARM_FAULT:
        return "仪器故障标记(D/B)";
    case EW_ALARM_MAINT:
        return "维护校准标记(M/C)";
    }
    return "异常";
}

static const char *
event_words(const char *event)
{
    static const struct {
        const char *event, *zh;
    } words[] = {
        { "opened", "报警" }, { "retriggered", "持续" }, { "cleared", "恢复" },
        { "acknowledged", "已确认" }, { "explained", "企业已说明" }, { "closed", "已关闭" },
    };

    for (size_t i = 0; i < EW_ARRAY_LEN(words); i++)
        if (strcmp(event, words[i].event) == 0)
            return words[i].zh;
    return event;
}

/* "【报警】阳泉嘉岭热电有限公司 嘉岭热电 1#机组烟囱 二氧化硫 超标 105.2 mg/m3 (限值 35, 超标 2.01 倍)" */
static int
message(struct ew_buf *b, const struct ew_alarm *a, const char *event)
{
    const struct hj212_factor *f = NULL;
    int rc;

    if (a->factor[0] != '\0')
        f = hj212_factor_find((struct hj212_str){ a->factor, strlen(a->factor) });
    rc = ew_buf_printf(b, "【%s】%s %s %s%s%s", event_words(event), a->county, a->point_name,
                       f != NULL ? f->name_zh : a->factor, a->factor[0] ? " " : "",
                       kind_words(a->kind));
    if (!isnan(a->peak))
        rc |= ew_buf_printf(b, " %.4g %s", a->peak, f != NULL && f->unit ? f->unit : "");
    if (!isnan(a->limit))
        rc |= ew_buf_printf(b, " (限值 %.4g", a->limit) |
              (isnan(a->multiple) ? EW_OK : ew_buf_printf(b, ", 超标 %.2f 倍", a->multiple)) |
              ew_buf_addc(b, ')');
    return rc | ew_buf_printf(b, " [报警 %lld]", (long long)a->id);
}

int
ew_alarm_notice_json(struct ew_buf *b, struct ew_store *s, const struct ew_alarm *a,
                     const char *event, int64_t t_ms)
{
    struct ew_buf msg;
    int rc;

    ew_buf_init(&msg, 4096);
    rc = message(&msg, a, event);
    rc |= ew_buf_adds(b, "{\"event\":") | ew_json_strz(b, event) |
          time_field(b, "time", t_ms / 1000, 1) | str_field(b, "message", msg.ptr) |
          ew_buf_adds(b, ",\"alarm\":");
    ew_buf_fini(&msg);
    if (rc != EW_OK)
        return EW_ETOOBIG;
    if ((rc = ew_alarm_json(b, s, a)) != EW_OK)
        return rc;
    return ew_buf_addc(b, '}');
}
