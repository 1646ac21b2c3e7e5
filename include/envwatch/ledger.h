/* SPDX-License-Identifier: MIT */
/*
 * Governance ledgers (DESIGN.md "Act"): one work-item model for five kinds -- action-plan
 * tasks, inspection rectification items, public complaints, enforcement cases and
 * river-chief problems -- each with its own states and workflow, deadlines on a working-day
 * calendar, evidence files, history, import from the bureaus' workbooks, export, and the
 * county/department scorecard (考核) in envwatch/assess.h.
 *
 * Every change is a transition (item, action, actor name, actor role, unit, note): the table
 * of which role may take which action in which state is data in src/ledger/workflow.c, so the
 * auth layer only has to supply the actor. The store keeps the records (envwatch/store.h,
 * "governance ledgers"); this module decides what may happen to them.
 *
 * Errors: EW_OK or a negative ew_err. Functions that refuse a request for a reason a user can
 * act on write that reason, a sentence, to why[0..why_len) (why may be NULL). Nothing here
 * keeps global state; the functions are thread-safe on distinct store handles.
 */
#ifndef EW_LEDGER_H
#define EW_LEDGER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <envwatch/store.h>

/* ---- kinds, states, roles --------------------------------------------------------------- */

#define EW_LEDGER_KINDS(X)                                                                     \
    X(TASK, "task", "攻坚任务")             /* action-plan task (实施意见, 三年行动计划) */    \
    X(RECTIFY, "rectify", "督察整改")       /* inspection rectification item or referral */   \
    X(COMPLAINT, "complaint", "信访投诉")   /* public complaint (12369 and others) */         \
    X(CASE, "case", "执法案件")             /* enforcement case */                            \
    X(RIVER, "river", "河长制问题")         /* river-chief problem */

enum ew_ledger_kind {
    EW_LEDGER_KIND_NONE = 0,
#define X(name, str, zh) EW_LEDGER_##name,
    EW_LEDGER_KINDS(X)
#undef X
    EW_LEDGER_KIND_COUNT
};

/* States of all kinds in one numbering (a query selects them as bits of a 64-bit mask).
 * standards.md section 7 gives each kind's chain; which kind uses which state is in
 * src/ledger/workflow.c. */
#define EW_LEDGER_STATES(X)                                                                    \
    X(NOT_STARTED, "not_started", "未启动")                                                    \
    X(IN_PROGRESS, "in_progress", "整改中")                                                    \
    X(SUBMITTED, "submitted", "已完成待验收")                                                  \
    X(ACCEPTED, "accepted", "验收通过")                                                        \
    X(PUBLICITY, "publicity", "公示中")                                                        \
    X(CLOSED, "closed", "已办结")                                                              \
    X(RETURNED, "returned", "退回")                                                            \
    X(LONG_TERM, "long_term", "长期坚持")                                                      \
    X(REBOUNDED, "rebounded", "反弹")                                                          \
    X(REGISTERED, "registered", "登记")                                                        \
    X(ADMITTED, "admitted", "已受理")                                                          \
    X(REJECTED, "rejected", "不予受理")                                                        \
    X(DUPLICATE, "duplicate", "重复件")                                                        \
    X(ASSIGNED, "assigned", "已交办")                                                          \
    X(HANDLING, "handling", "办理中")                                                          \
    X(REVIEWING, "reviewing", "办结待审")                                                      \
    X(REPLIED, "replied", "已答复")                                                            \
    X(FILED, "filed", "已立案")                                                                \
    X(INVESTIGATING, "investigating", "调查取证")                                              \
    X(DECIDED, "decided", "已决定")                                                            \
    X(EXECUTING, "executing", "执行中")                                                        \
    X(DISMISSED, "dismissed", "不予立案")                                                      \
    X(REPORTED, "reported", "已上报")                                                          \
    X(DISPATCHED, "dispatched", "已分派")                                                      \
    X(VERIFYING, "verifying", "办结待核")

enum ew_ledger_state {
    EW_LEDGER_STATE_NONE = 0,
#define X(name, str, zh) EW_LEDGER_ST_##name,
    EW_LEDGER_STATES(X)
#undef X
    EW_LEDGER_STATE_COUNT
};

/* Who acts. Roles are names so the auth layer (issue 8) can map its users onto them. */
#define EW_LEDGER_ROLES(X)                                                                     \
    X(OPERATOR, "operator")     /* bureau staff: register, assign, review, reply */            \
    X(LEADER, "leader")         /* bureau leader: approve filing, extension, acceptance */     \
    X(OFFICER, "officer")       /* county or department officer: works its own unit's items */ \
    X(INSPECTOR, "inspector")   /* inspection office: acceptance, closing (销号), rebound */   \
    X(CHIEF, "chief")           /* river chief: his own reaches' problems */                   \
    X(PUBLIC, "public")         /* the public: complaint intake only */                        \
    X(SYSTEM, "system")         /* the deadline pass */

const char *ew_ledger_kind_name(int kind);          /* "" when unknown */
const char *ew_ledger_kind_label(int kind);         /* Chinese label; "" when unknown */
/* The state's name; its Chinese label as that kind calls it (CLOSED is 已销号 for
 * rectification, 归档 for complaints, 结案 for cases ...). "" when unknown. */
const char *ew_ledger_state_name(int state);
const char *ew_ledger_state_label(int kind, int state);
/* Parse a name or a Chinese label; EW_EINVAL when unknown. */
int ew_ledger_kind_parse(const char *s, int *kind);
int ew_ledger_state_parse(int kind, const char *s, int *state);
/* 1 when role is one of EW_LEDGER_ROLES' names. */
int ew_ledger_role_valid(const char *role);
/* 1 when the kind uses this state. */
int ew_ledger_state_of_kind(int kind, int state);
/* 1 for a final state (the item is closed). */
int ew_ledger_state_final(int kind, int state);

/* ---- deadlines and rules ----------------------------------------------------------------- */

/*
 * The numbers of the workflows. Defaults (ew_ledger_rules_default) and where they come from
 * are in docs/ledger.md; those marked [M] there are unconfirmed and meant to be set locally.
 */
struct ew_ledger_rules {
    int    complaint_accept_days;       /* 15: decide on acceptance (环境保护部令第15号) */
    int    complaint_close_days;        /* 60: close after acceptance */
    int    complaint_extend_max_days;   /* 30: one extension at most this long */
    int    complaint_extensions_max;    /* 1 */
    int    publicity_workdays;          /* 5 [M]: publicity period before 销号 */
    int    case_decide_days;            /* 90 [M]: from filing to the decision */
    int    river_dispatch_workdays;     /* 1: report or dispatch within one working day */
    int    river_handle_workdays;       /* 10 [M]: handling time at each level */
    int    patrol_min_minutes;          /* 30: a shorter patrol is not valid */
    double patrol_min_km;               /* 2.0: township and village patrols, at least */
    int    due_soon_days;               /* 7: "due soon" in lists and the daily digest */
    size_t file_max_bytes;              /* 20 MiB: largest evidence file */
};

void ew_ledger_rules_default(struct ew_ledger_rules *r);

/*
 * The holiday calendar: which days are working days. Saturdays and Sundays are off unless
 * the calendar makes them working days (调休); listed holidays are off. Text format, one day
 * a line: "YYYY-MM-DD off" or "YYYY-MM-DD work", '#' starts a comment. Create gives an empty
 * calendar (weekends only); a NULL calendar means the same everywhere below.
 */
struct ew_calendar;

int  ew_calendar_create(struct ew_calendar **out);
void ew_calendar_destroy(struct ew_calendar *c);    /* NULL is a no-op */
/* Adds the days of text; on EW_EFORMAT, *bad_line (may be NULL) is the first bad line and
 * the calendar is unchanged. */
int  ew_calendar_parse(struct ew_calendar *c, const char *text, int *bad_line, char *why,
                       size_t why_len);
/* 1 when the CST civil day (days since 1970-01-01) is a working day. */
int  ew_calendar_is_workday(const struct ew_calendar *c, int64_t day);
/* The end (23:59:59 CST) of the n-th working day after the day of t (n >= 0; n = 0 is the
 * end of t's own day). EW_EINVAL for n < 0 or n > 3660. */
int  ew_calendar_add_workdays(const struct ew_calendar *c, int64_t t_unix_s, int n,
                              int64_t *due_unix_s);
/* Working days in (day of from, day of to]; 0 when to is not after from. */
int  ew_calendar_workdays_between(const struct ew_calendar *c, int64_t from_unix_s,
                                  int64_t to_unix_s, int *n);
/* The last second of t's CST day plus n whole days (calendar days). */
int64_t ew_ledger_day_end(int64_t t_unix_s, int n_days);

/* ---- items and transitions --------------------------------------------------------------- */

/* Sets an item of kind to "nothing yet": strings "", numbers NAN, extra "{}", the kind's
 * first state. */
void ew_ledger_item_init(struct ew_ledger_item *it, int kind);
/* The kind's own required fields (a rectification item names both leaders, a complaint its
 * channel, a river problem its reach and level ...). EW_EINVAL with the reason. Pure. */
int  ew_ledger_item_check(const struct ew_ledger_item *it, char *why, size_t why_len);

struct ew_ledger_actor {
    const char *name;                   /* who; required */
    const char *role;                   /* one of EW_LEDGER_ROLES' names */
    const char *unit;                   /* the actor's unit ("" for bureau-wide roles) */
};

/* One requested action. Fields an action does not use are ignored. */
struct ew_ledger_act {
    const char            *action;      /* "start", "extend", ... (docs/ledger.md lists them) */
    struct ew_ledger_actor who;
    const char            *note;        /* required by actions that refuse or explain */
    const char            *unit;        /* assign: the handling unit */
    int                    days;        /* extend: days added; daily_penalty: days */
    double                 qty;         /* progress: quantity done so far (NAN: none) */
    double                 amount_yuan; /* decide: the penalty (NAN: none) */
    int64_t                due_unix_s;  /* assign/dispatch/rebound: deadline (0: default) */
    int64_t                ref_id;      /* duplicate: the original item */
    int64_t                now_unix_s;
};

/* What the store knows beyond the item, for the rules that depend on it. */
struct ew_ledger_facts {
    int files;                          /* evidence files attached */
    int open_children;                  /* rectification tasks of an issue not yet closed */
    int parent_found;                   /* duplicate: the original exists */
    const char *up_chief;               /* escalate: the next level's chief from the reach
                                           registry (NULL or "": not registered) */
    const char *up_reach;               /* escalate: the reach one level up (or NULL) */
};

/*
 * Decides one action on cur without touching any store: on EW_OK, *next is the item after
 * it and *ev the history line to append. EW_EDENIED when the role may not take this action
 * (or an officer/chief acts on another unit's or chief's item); EW_ESTATE when the action is
 * not allowed in the current state; EW_EINVAL when the action is unknown for the kind or its
 * preconditions fail (a note, evidence, a quantity, an extension beyond the limit ...). why
 * says which. rules and cal may be NULL (defaults, weekends only). Pure; thread-safe.
 */
int ew_ledger_plan(const struct ew_ledger_item *cur, const struct ew_ledger_act *a,
                   const struct ew_ledger_facts *facts, const struct ew_ledger_rules *rules,
                   const struct ew_calendar *cal, struct ew_ledger_item *next,
                   struct ew_ledger_event *ev, char *why, size_t why_len);

/* Loads item id and its facts, plans the action and writes it (state-checked, with its
 * history line) in one step; *out (may be NULL) receives the item after it. Errors as
 * ew_ledger_plan, plus the store's (EW_ENOTFOUND, EW_ESTATE when someone else moved first). */
int ew_ledger_act(struct ew_store *s, int64_t id, const struct ew_ledger_act *a,
                  const struct ew_ledger_rules *rules, const struct ew_calendar *cal,
                  struct ew_ledger_item *out, char *why, size_t why_len);

/* Calls fn for each action of the kind allowed in state for role (role NULL: any role),
 * with the state it leads to (equal to state for actions that keep it). */
int ew_ledger_actions_each(int kind, int state, const char *role,
                           int (*fn)(void *ctx, const char *action, int to_state), void *ctx);

/*
 * Registers a new item: checks the actor may register this kind, fills the opening time,
 * the first state and the legal deadline where the kind has one (a complaint: acceptance
 * decision within complaint_accept_days), checks the kind's fields and stores it with its
 * first history line. Sets it->id.
 */
int ew_ledger_create(struct ew_store *s, struct ew_ledger_item *it,
                     const struct ew_ledger_actor *who, int64_t now_unix_s,
                     const struct ew_ledger_rules *rules, const struct ew_calendar *cal,
                     char *why, size_t why_len);

/* Appends a comment to the history (any role but public). */
int ew_ledger_comment(struct ew_store *s, int64_t id, const struct ew_ledger_actor *who,
                      const char *note, int64_t now_unix_s, char *why, size_t why_len);

/*
 * Escalates alarm alarm_id to an enforcement case in one step: a case in state "registered"
 * with source "alarm", the point's name as subject and its county, linked to the alarm and
 * its point, and a comment on the alarm's facts. EW_EEXIST (with the case in *out) when a
 * case is already linked to that alarm. The actor needs the operator or leader role.
 */
int ew_ledger_case_from_alarm(struct ew_store *s, int64_t alarm_id,
                              const struct ew_ledger_actor *who, int64_t now_unix_s,
                              const struct ew_ledger_rules *rules, struct ew_ledger_item *out,
                              char *why, size_t why_len);

/* ---- evidence files ---------------------------------------------------------------------- */

/*
 * The type of a file by its first bytes (never by its name alone): PDF, JPEG, PNG, Office
 * Open XML (docx/xlsx, zip), legacy Office (doc/xls), or UTF-8 text. Sets *mime to a static
 * string. EW_EFORMAT for anything else (executables, archives of unknown content ...).
 */
int ew_ledger_file_type(const void *data, size_t len, const char *name, const char **mime);

/*
 * Attaches data as evidence of item id: checks size (rules->file_max_bytes, EW_ETOOBIG) and
 * type, writes it to DIR/<first two hex digits>/<sha256> under ew_store_ledger_dir() (once
 * per content, atomically), records it and a history line. *out (may be NULL) gets the
 * record. EW_EEXIST when the same content is already attached to the item.
 */
int ew_ledger_attach(struct ew_store *s, int64_t id, const struct ew_ledger_actor *who,
                     const char *name, const void *data, size_t len, int64_t now_unix_s,
                     const struct ew_ledger_rules *rules, struct ew_ledger_file *out,
                     char *why, size_t why_len);
/* The path of a stored file's content. */
int ew_ledger_file_path(struct ew_store *s, const char *sha256, char *out, size_t len);

/* ---- deadlines ----------------------------------------------------------------------------- */

struct ew_ledger_sweep_result {
    int overdue;                        /* items newly marked overdue */
    int escalated;                      /* river problems escalated one level */
};

/*
 * The deadline pass (the daemon runs it on its tick; `envwatch ledger sweep` by hand): marks
 * every item whose clock runs and whose deadline is before now as overdue, with a history
 * line by "system", and escalates each overdue river problem to the next chief level up
 * (standards.md 7.1) with a new deadline. Run it inside the caller's transaction or alone.
 */
int ew_ledger_sweep(struct ew_store *s, int64_t now_unix_s, const struct ew_ledger_rules *rules,
                    const struct ew_calendar *cal, struct ew_ledger_sweep_result *out);

/* A river patrol's validity under the rules: sets p->valid and, when not valid, why in
 * p->note (minimum duration at every level; minimum length at township and village level). */
void ew_ledger_patrol_judge(const struct ew_ledger_rules *rules, struct ew_ledger_patrol *p);

/* ---- import and export --------------------------------------------------------------------- */

struct ew_ledger_import_opts {
    int                    kind;        /* every row is an item of this kind */
    const char            *format;      /* "csv", "xlsx", or NULL: by the content */
    const char            *mapping;     /* extra header names, "表头=field,…"; NULL: none */
    int                    dry_run;     /* check every row, write nothing */
    int                    strict;      /* write nothing when any row is bad */
    struct ew_ledger_actor who;         /* who imports (a role that may register the kind) */
    int64_t                now_unix_s;
    const struct ew_ledger_rules *rules;
};

struct ew_ledger_import_result {
    size_t rows;                        /* data rows read (the header not counted) */
    size_t bad;                         /* rows refused */
    size_t imported;                    /* rows written (0 in a dry run) */
};

/*
 * Imports a ledger the bureau keeps in a workbook (.xlsx, first sheet) or a CSV file: a header
 * row, then one item per row. Headers are matched to fields by the built-in Chinese and
 * English names (docs/ledger.md lists them) and by opts->mapping. Each row is checked whole
 * (dates, numbers, states, required fields, codes unique in the file and the ledger, a parent
 * code that exists); bad(ctx, line, column, why) is called for every problem, with the row's
 * line in the source. Good rows are written one item each with an "import" history line,
 * unless dry_run, or strict and some row is bad. Call it inside a transaction
 * (ew_store_begin) so a failure of the store leaves nothing half imported. Returns EW_OK when
 * the file could be read (even with bad rows: see *res), EW_EFORMAT/EW_ETOOBIG/EW_ENODATA for
 * a file that cannot be read, EW_EINVAL for a bad mapping, EW_EDENIED for the role.
 */
int ew_ledger_import(struct ew_store *s, const void *data, size_t len,
                     const struct ew_ledger_import_opts *opts,
                     void (*bad)(void *ctx, size_t line, const char *column, const char *why),
                     void *ctx, struct ew_ledger_import_result *res, char *why, size_t why_len);

/* The fields import knows, each with its header names separated by '|'. */
int ew_ledger_import_fields_each(int (*fn)(void *ctx, const char *field, const char *headers),
                                 void *ctx);

/*
 * Writes the items matching q to out as "csv" (UTF-8 with BOM, for Excel), "xlsx" (one sheet,
 * dates as Excel dates) or "json" (an array). *rows (may be NULL) counts them. EW_EINVAL for
 * an unknown format, EW_EIO when writing fails.
 */
int ew_ledger_export(struct ew_store *s, const struct ew_ledger_query *q, const char *format,
                     FILE *out, size_t *rows, char *why, size_t why_len);

/* Appends one item as a JSON object (every field, names and labels of kind and state). */
struct ew_buf;
int ew_ledger_item_json(struct ew_buf *b, const struct ew_ledger_item *it);

/* ---- grouped counts ------------------------------------------------------------------------ */

/* One group of a count: the items of a kind, of a (kind, state), of a unit or of a county. */
struct ew_ledger_tally {
    int     kind, state;                /* the kind (by kind and by state), the state (by state) */
    char    name[96];                   /* the kind's or state's name, the unit, the county */
    int64_t n;                          /* items */
    int64_t open;                       /* of them not closed */
    int64_t overdue;                    /* of them marked overdue */
};

enum ew_ledger_by {
    EW_LEDGER_BY_KIND,                  /* in kind order */
    EW_LEDGER_BY_STATE,                 /* per kind, in state order */
    EW_LEDGER_BY_UNIT,                  /* most items first, then by name */
    EW_LEDGER_BY_COUNTY,                /* most items first, then by name */
    EW_LEDGER_BY_COUNT
};

struct ew_ledger_counts {
    int64_t                 total, open, overdue;
    struct ew_ledger_tally *by[EW_LEDGER_BY_COUNT];    /* only groups with items */
    size_t                  n_by[EW_LEDGER_BY_COUNT];
};

/*
 * Counts the items matching q (limit, offset and order ignored) by kind, by state, by
 * responsible unit and by county, in one pass over the matches that reads only their keys
 * (EW_LEDGER_FIELDS_KEYS). The store handle's scope applies, as to lists. On EW_OK release
 * *out with ew_ledger_counts_fini.
 */
int  ew_ledger_counts(struct ew_store *s, const struct ew_ledger_query *q,
                      struct ew_ledger_counts *out);
void ew_ledger_counts_fini(struct ew_ledger_counts *c);
/* Appends the counts as JSON: {"total","open","overdue","kinds":[{kind,label,n,open,
 * overdue}],"states":[{kind,state,label,…}],"units":[{unit,…}],"counties":[{county,…}]}. */
int  ew_ledger_counts_json(struct ew_buf *b, const struct ew_ledger_counts *c);

/* ---- the daily digest and the writer hook ------------------------------------------------- */

/*
 * The digest of deadlines as JSON: for each responsible unit, its overdue items and the items
 * due within rules->due_soon_days, with totals ({"date":…,"overdue":n,"due_soon":m,
 * "units":[{"unit":…,"overdue":[…],"due_soon":[…]}]}). At most 50 items are listed per unit
 * and list; the counts are complete.
 */
int ew_ledger_digest(struct ew_store *s, int64_t now_unix_s, const struct ew_ledger_rules *rules,
                     struct ew_buf *out);

/* The writer hook (src/ingest/hooks.c): publishes the [ledger] holiday calendar and scorecard
 * files to the store, runs the deadline pass each minute and sends the daily digest to
 * [ledger] digest_webhook_url once a day after digest_hour (CST). */
struct ew_hook;
extern const struct ew_hook ew_ledger_hook;

#endif
