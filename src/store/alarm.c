/* SPDX-License-Identifier: MIT */
/*
 * The store front's checks of alarms, history steps, alarm queries and source limits: what
 * every backend may rely on before it writes. Pure functions; no SQL here (sqlite_alarm.c).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <envwatch/emission.h>
#include <envwatch/err.h>
#include <envwatch/store.h>

#include "store/alarm_internal.h"
#include "store/internal.h"

static int
say(char *why, size_t len, const char *msg)
{
    if (why != NULL && len > 0)
        snprintf(why, len, "%s", msg);
    return EW_EINVAL;
}

/* Text without control characters, at most max bytes; NUL within max + 1 bytes. */
static int
text_ok(const char *s, size_t min, size_t max)
{
    size_t n;

    if (s == NULL)
        return min == 0;
    n = strnlen(s, max + 1);
    if (n < min || n > max)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 && s[i] != '\n' && s[i] != '\t')
            return 0;
    return 1;
}

int
ew__store_alarm_factor_ok(const char *factor)
{
    return factor != NULL &&
           (factor[0] == '\0' ||
            ew__store_token_valid(factor, sizeof(((struct ew_alarm *)0)->factor),
                                  EW__STORE_CODE_BANNED));
}

static int
state_ok(int state)
{
    return state >= EW_ALARM_STATE_OPEN && state <= EW_ALARM_STATE_CLOSED;
}

int
ew__store_alarm_check(const struct ew_alarm *a, char *why, size_t len)
{
    if (a->point_id <= 0)
        return say(why, len, "alarm: no point id");
    if (ew_alarm_kind_name(a->kind)[0] == '\0')
        return say(why, len, "alarm: unknown kind");
    if (!ew__store_alarm_factor_ok(a->factor))
        return say(why, len, "alarm: bad factor code");
    if (a->count < 0 || a->opened_ms < 0 || a->last_seen_ms < 0)
        return say(why, len, "alarm: negative count or time");
    return EW_OK;
}

int
ew__store_alarm_step_check(const struct ew_alarm_step *st, char *why, size_t len)
{
    if (!state_ok(st->state))
        return say(why, len, "alarm step: unknown state");
    if (!text_ok(st->by, 1, EW_ALARM_BY_MAX))
        return say(why, len, "alarm step: 'by' must be 1-64 bytes of text");
    if (!text_ok(st->note, 0, EW_ALARM_NOTE_MAX))
        return say(why, len, "alarm step: the note must be at most 1000 bytes of text");
    return EW_OK;
}

int
ew__store_alarm_query_check(const struct ew_alarm_query *q, char *why, size_t len)
{
    if (q->factor != NULL && !ew__store_alarm_factor_ok(q->factor))
        return say(why, len, "alarm query: bad factor code");
    if (q->county != NULL && !text_ok(q->county, 0, 48))
        return say(why, len, "alarm query: bad county");
    if (q->point_id < 0 || q->from_ms < 0 || q->to_ms < 0)
        return say(why, len, "alarm query: negative point or time");
    return EW_OK;
}

int
ew__store_source_limit_check(const struct ew_source_limit *l, char *why, size_t len)
{
    if (!ew__store_token_valid(l->factor, sizeof(l->factor), EW__STORE_CODE_BANNED))
        return say(why, len, "source limit: bad factor code");
    if (!isfinite(l->limit) || !(isnan(l->limit_lo) || isfinite(l->limit_lo)))
        return say(why, len, "source limit: the limit is not a finite number");
    if (l->averaging != EW_AVG_HOUR && l->averaging != EW_AVG_DAY)
        return say(why, len, "source limit: averaging must be hour or day");
    if (!text_ok(l->standard, 0, sizeof(l->standard) - 1))
        return say(why, len, "source limit: bad standard text");
    return EW_OK;
}
