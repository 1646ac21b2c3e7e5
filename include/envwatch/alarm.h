/* SPDX-License-Identifier: MIT */
/*
 * The alarm engine (src/alarm/): the lifecycle of an alarm (open → acknowledged → explained →
 * closed, each step with who, when and a note), opening and re-triggering alarms from the
 * events of the pure rules of envwatch/emission.h, the JSON of an alarm (HTTP API, live
 * events, webhooks), and the writer hook that evaluates committed data.
 *
 * Alarms live in the store (envwatch/store.h, "alarms"); these functions are the only writers
 * of them, and run on the daemon's writer (a hook, or an API job). They never print. Errors
 * are EW_OK or a negative ew_err; out parameters are written only on success.
 * docs/api.md gives the JSON; docs/sources.md the rules and which run when.
 */
#ifndef EW_ALARM_H
#define EW_ALARM_H

#include <stddef.h>
#include <stdint.h>

#include <envwatch/emission.h>
#include <envwatch/hooks.h>
#include <envwatch/store.h>

struct ew_buf;

/* ---- names ------------------------------------------------------------------------------- */

/* "open" "acknowledged" "explained" "closed"; "" for an unknown state. */
const char *ew_alarm_state_name(int state);
/* EW_ENOTFOUND for an unknown name. */
int ew_alarm_state_parse(const char *name, int *state);
/*
 * The kind of an alarm as the API names it (docs/api.md): "exceedance", "offline",
 * "constant", "zero-negative", "out-of-range", and "flag" for both the fault (D, B) and the
 * maintenance (M, C) rules; "" when unknown.
 */
const char *ew_alarm_kind_label(int kind);
/* The set of rules (bits 1 << enum ew_alarm_kind) an API kind name stands for; the rule
 * names of emission.h ("exceed", "fault", ...) are accepted too. EW_ENOTFOUND otherwise. */
int ew_alarm_kind_mask(const char *name, unsigned *mask);

/* ---- the lifecycle ------------------------------------------------------------------------ */

/*
 * The state an action leads to: "acknowledge" → acknowledged, "explain" → explained,
 * "close" → closed. EW_ENOTFOUND for another action.
 */
int ew_alarm_action_parse(const char *action, int *to_state);
/*
 * 1 when an alarm may move from state from to state to: open → acknowledged, explained or
 * closed; acknowledged → explained or closed; explained → closed. Nothing leaves closed and
 * nothing moves back.
 */
int ew_alarm_move_allowed(int from, int to);

/*
 * Moves alarm id to to_state as the operator by (1..EW_ALARM_BY_MAX bytes) says, with note
 * (required for explained: the enterprise states the cause), records the step and queues the
 * notification. Returns EW_ESTATE when the move is not allowed from the alarm's state,
 * EW_ENOTFOUND for an unknown id, EW_EINVAL for a bad by or note. *out (may be NULL) is the
 * alarm after the move.
 */
int ew_alarm_act(struct ew_store *s, int64_t id, int to_state, const char *by, const char *note,
                 int64_t now_ms, struct ew_alarm *out);

/* What a trigger or a clear did. */
enum ew_alarm_outcome {
    EW_ALARM_UNCHANGED = 0,             /* the period was counted already */
    EW_ALARM_OPENED = 1,                /* a new alarm */
    EW_ALARM_RETRIGGERED = 2,           /* the live alarm was updated */
    EW_ALARM_CLEARED = 3,               /* the condition ended */
};
/* "opened" "retriggered" "cleared"; "" for unchanged. */
const char *ew_alarm_outcome_name(int outcome);

/*
 * Records one offending period e (an event of ew_exceed_hours/_days or ew_detect, or an
 * offline event) of point_id and factor ("" for the point): opens an alarm when (point,
 * e->kind, factor) has none that is not closed; otherwise re-triggers that one (acknowledged
 * and explained alarms too): count + 1, last_seen, the condition's end (and start, for a late
 * earlier period) and the peak when worse. A period already inside the alarm's condition
 * changes nothing, so evaluating the same data twice is harmless. An offline event starts a
 * condition that lasts until ew_alarm_clear. Queues the notification of what it did.
 * *outcome gets enum ew_alarm_outcome, *out (may be NULL) the alarm.
 */
int ew_alarm_trigger(struct ew_store *s, int64_t point_id, const char *factor,
                     const struct ew_alarm_event *e, int64_t now_ms, int *outcome,
                     struct ew_alarm *out);
/*
 * The condition of kind on (point_id, factor) ended: a compliant period starting at
 * at_unix_s (at or after the condition's end), or for offline the time data resumed. Marks
 * the live alarm inactive (offline: its end is at_unix_s). *outcome is EW_ALARM_CLEARED, or
 * EW_ALARM_UNCHANGED when there is no active live alarm or the period is older.
 */
int ew_alarm_clear(struct ew_store *s, int64_t point_id, int kind, const char *factor,
                   int64_t at_unix_s, int64_t now_ms, int *outcome, struct ew_alarm *out);

/* ---- JSON -------------------------------------------------------------------------------- */

/*
 * Appends alarm a as the JSON object of docs/api.md (with its history, read from s). Times
 * are ISO 8601 CST. EW_ETOOBIG when the buffer is full, or the store's error.
 */
int ew_alarm_json(struct ew_buf *b, struct ew_store *s, const struct ew_alarm *a);
/*
 * Appends the notification of an event: {"event","time","message","alarm":{…}}. message is
 * one sentence in Chinese for an SMS gateway behind the webhook.
 */
int ew_alarm_notice_json(struct ew_buf *b, struct ew_store *s, const struct ew_alarm *a,
                         const char *event, int64_t t_ms);

/* ---- the writer hook ----------------------------------------------------------------------- */

/*
 * Evaluates committed data (src/alarm/hook.c): exceedance on the standard's averaging period
 * (hourly records of stacks, O2-corrected where the standard has a reference O2; daily
 * flow-weighted values of wastewater outlets), the detection rules on the series of the
 * point's kind, offline points on its tick, and delivers the outbox to [alarms] webhook_url.
 */
extern const struct ew_hook ew_alarm_hook;

#endif
