/* SPDX-License-Identifier: MIT */
/*
 * envwatch ledger: the governance ledgers from the command line -- register items, act on
 * them (every transition names its actor and role, as the API's do), comment, attach
 * evidence, link, list and export, import the bureaus' workbooks, run the deadline pass, and
 * keep the river reaches and patrols. It works on the store of `envwatch serve` (--data DIR)
 * through the same functions as the API, so the rules are the same everywhere. What it reads
 * out (list, export, show, due) has complainants' identity masked, as the API masks it for
 * every role but the monitoring centre's (docs/security.md, "Privacy").
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <envwatch/auth.h>
#include <envwatch/err.h>
#include <envwatch/ledger.h>
#include <envwatch/store.h>

#include "cli/cli.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/time.h"

#define PROG "envwatch ledger"
#define FILE_MAX (64u << 20)

struct lopt {
    const char *data, *holidays, *now, *format, *out;
    const char *kind, *state, *title, *code, *unit, *county, *leader, *gov_leader, *coop;
    const char *category, *source, *subject, *due, *body, *qty_target, *level, *parent;
    const char *actor, *role, *actor_unit, *note, *days, *qty, *amount, *ref, *name;
    const char *text, *due_before, *limit, *offset, *map, *relation, *extra;
    const char *chief, *reach, *start, *end, *km, *river, *up;
    int overdue, open, dry_run, strict;
    int nargs;
    char **args;
};

static void
usage(FILE *f)
{
    fprintf(f,
        "usage: envwatch ledger add --kind K --title T [fields] --actor NAME --role ROLE\n"
        "       envwatch ledger list [filters] [--format table|csv|json|xlsx] [--out FILE]\n"
        "       envwatch ledger counts [filters] [--format table|json]  (by kind, state, unit,\n"
        "                county)\n"
        "       envwatch ledger show ID\n"
        "       envwatch ledger act ID ACTION --actor NAME --role ROLE [--actor-unit U]\n"
        "                [--note N] [--unit U] [--days N] [--qty N] [--amount YUAN]\n"
        "                [--due DATE] [--ref ID]\n"
        "       envwatch ledger comment ID --note N --actor NAME --role ROLE\n"
        "       envwatch ledger attach ID FILE --actor NAME --role ROLE [--name NAME]\n"
        "       envwatch ledger link ID TYPE TARGET [--relation R]   (TYPE item|point|alarm|"
        "enterprise)\n"
        "       envwatch ledger from-alarm ALARM_ID --actor NAME --role ROLE\n"
        "       envwatch ledger import FILE --kind K --actor NAME --role ROLE [--map H=F,...]\n"
        "                [--dry-run] [--strict]\n"
        "       envwatch ledger due            (the digest: overdue and due soon, per unit)\n"
        "       envwatch ledger sweep          (the deadline pass: overdue, escalation)\n"
        "       envwatch ledger reach --code C --river R --level N --chief NAME [--name N]\n"
        "                [--county C] [--up PARENT_CODE]\n"
        "       envwatch ledger patrol --chief NAME --level N --reach R --start T --end T\n"
        "                --km N [--note N]\n"
        "       envwatch ledger holidays FILE  (store the holiday calendar)\n"
        "Fields: --code --unit --county --leader --gov-leader --coop --category --source\n"
        "  --subject --due DATE --body --qty-target N --level N --parent ID --extra JSON\n"
        "  (an object; a complaint's complainant, complainant_phone ... are masked in what\n"
        "  list, export, show and due print, and in the audit log).\n"
        "Filters: --kind --state --unit --county --text --overdue --open --due-before DATE\n"
        "  --limit N --offset N. Every command takes --data DIR (default ./var), --now TIME\n"
        "  (default: the clock) and --holidays FILE (default: the calendar in the store).\n"
        "Kinds: task rectify complaint case river. Roles: operator leader officer inspector\n"
        "  chief public system. docs/ledger.md lists every action and rule.\n");
}

static int
fail(const char *what, int rc, const char *why)
{
    fprintf(stderr, "%s: %s: %s\n", PROG, what, why != NULL && why[0] ? why : ew_strerror(rc));
    return rc == EW_EINVAL && why == NULL ? 2 : 1;
}

static int
parse_opts(int argc, char **argv, struct lopt *o)
{
    enum { O_BASE = 256 };
    static const struct option longs[] = {
        { "data", 1, 0, 'd' }, { "holidays", 1, 0, 'H' }, { "now", 1, 0, 'N' },
        { "format", 1, 0, 'f' }, { "out", 1, 0, 'o' }, { "kind", 1, 0, 'k' },
        { "state", 1, 0, 's' }, { "title", 1, 0, 't' }, { "code", 1, 0, 'c' },
        { "unit", 1, 0, 'u' }, { "county", 1, 0, 'C' }, { "leader", 1, 0, 'L' },
        { "gov-leader", 1, 0, 'G' }, { "coop", 1, 0, 'P' }, { "category", 1, 0, 'y' },
        { "source", 1, 0, 'S' }, { "subject", 1, 0, 'j' }, { "due", 1, 0, 'D' },
        { "body", 1, 0, 'b' }, { "qty-target", 1, 0, 'Q' }, { "level", 1, 0, 'l' },
        { "parent", 1, 0, 'p' }, { "actor", 1, 0, 'a' }, { "role", 1, 0, 'r' },
        { "actor-unit", 1, 0, 'U' }, { "note", 1, 0, 'n' }, { "days", 1, 0, 'x' },
        { "qty", 1, 0, 'q' }, { "amount", 1, 0, 'm' }, { "ref", 1, 0, 'R' },
        { "name", 1, 0, 'A' }, { "text", 1, 0, 'T' }, { "due-before", 1, 0, 'B' },
        { "limit", 1, 0, 'i' }, { "offset", 1, 0, 'O' }, { "map", 1, 0, 'M' },
        { "relation", 1, 0, 'e' }, { "chief", 1, 0, 'h' }, { "reach", 1, 0, 'w' },
        { "start", 1, 0, 'W' }, { "end", 1, 0, 'E' }, { "km", 1, 0, 'K' },
        { "river", 1, 0, 'v' }, { "up", 1, 0, 'Z' }, { "extra", 1, 0, 'X' },
        { "overdue", 0, 0, O_BASE + 1 },
        { "open", 0, 0, O_BASE + 2 }, { "dry-run", 0, 0, O_BASE + 3 },
        { "strict", 0, 0, O_BASE + 4 }, { "help", 0, 0, '?' }, { 0, 0, 0, 0 },
    };
    const char **slot[128] = {
        ['d'] = &o->data, ['H'] = &o->holidays, ['N'] = &o->now, ['f'] = &o->format,
        ['o'] = &o->out, ['k'] = &o->kind, ['s'] = &o->state, ['t'] = &o->title,
        ['c'] = &o->code, ['u'] = &o->unit, ['C'] = &o->county, ['L'] = &o->leader,
        ['G'] = &o->gov_leader, ['P'] = &o->coop, ['y'] = &o->category, ['S'] = &o->source,
        ['j'] = &o->subject, ['D'] = &o->due, ['b'] = &o->body, ['Q'] = &o->qty_target,
        ['l'] = &o->level, ['p'] = &o->parent, ['a'] = &o->actor, ['r'] = &o->role,
        ['U'] = &o->actor_unit, ['n'] = &o->note, ['x'] = &o->days, ['q'] = &o->qty,
        ['m'] = &o->amount, ['R'] = &o->ref, ['A'] = &o->name, ['T'] = &o->text,
        ['B'] = &o->due_before, ['i'] = &o->limit, ['O'] = &o->offset, ['M'] = &o->map,
        ['e'] = &o->relation, ['h'] = &o->chief, ['w'] = &o->reach, ['W'] = &o->start,
        ['E'] = &o->end, ['K'] = &o->km, ['v'] = &o->river, ['Z'] = &o->up,
        ['X'] = &o->extra,
    };
    int c;

    memset(o, 0, sizeof(*o));
    o->data = "./var";
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
        if (c > 0 && c < 128 && slot[c] != NULL)
            *slot[c] = optarg;
        else if (c == O_BASE + 1)
            o->overdue = 1;
        else if (c == O_BASE + 2)
            o->open = 1;
        else if (c == O_BASE + 3)
            o->dry_run = 1;
        else if (c == O_BASE + 4)
            o->strict = 1;
        else
            return -1;
    }
    o->nargs = argc - optind;
    o->args = argv + optind;
    return 0;
}

/* ---- small conversions ------------------------------------------------------------------- */

static int
to_time(const char *s, int64_t *t)
{
    return s == NULL ? EW_OK : ew_time_parse_iso(s, t);
}

static int
to_num(const char *s, double *v)
{
    char *e;

    if (s == NULL)
        return EW_OK;
    *v = strtod(s, &e);
    return e != s && *e == '\0' && isfinite(*v) ? EW_OK : EW_EINVAL;
}

static int
to_int(const char *s, long long *v)
{
    char *e;

    if (s == NULL)
        return EW_OK;
    *v = strtoll(s, &e, 10);
    return e != s && *e == '\0' ? EW_OK : EW_EINVAL;
}

static int64_t
now_of(const struct lopt *o)
{
    int64_t t = (int64_t)time(NULL);

    if (o->now != NULL && ew_time_parse_iso(o->now, &t) != EW_OK) {
        fprintf(stderr, "%s: --now '%s' is not an ISO time; using the clock\n", PROG, o->now);
        t = (int64_t)time(NULL);
    }
    return t;
}

static char *
slurp(const char *path, size_t *len)
{
    FILE *in = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0;

    if (in == NULL)
        return NULL;
    buf = malloc(FILE_MAX + 1);
    if (buf != NULL)
        n = fread(buf, 1, FILE_MAX + 1, in);
    fclose(in);
    if (buf == NULL || n > FILE_MAX) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* The calendar: --holidays FILE, else the one the daemon published, else weekends only. */
static struct ew_calendar *
calendar(struct ew_store *s, const struct lopt *o)
{
    struct ew_calendar *cal = NULL;
    char *text = NULL, why[200];
    size_t len;

    if (ew_calendar_create(&cal) != EW_OK)
        return NULL;
    if (o->holidays != NULL)
        text = slurp(o->holidays, &len);
    else if (ew_store_ledger_kv_get(s, "holidays", &text) != EW_OK)
        text = NULL;
    if (text != NULL && ew_calendar_parse(cal, text, NULL, why, sizeof(why)) != EW_OK)
        fprintf(stderr, "%s: holiday calendar: %s (weekends only)\n", PROG, why);
    free(text);
    return cal;
}

static struct ew_ledger_actor
actor_of(const struct lopt *o)
{
    struct ew_ledger_actor a = { o->actor, o->role, o->actor_unit != NULL ? o->actor_unit : "" };

    return a;
}

/* ---- add ----------------------------------------------------------------------------------- */

static int
set_text(char *dst, size_t size, const char *v, const char *name)
{
    if (v == NULL)
        return 0;
    if (strlen(v) >= size) {
        fprintf(stderr, "%s: --%s is longer than %zu bytes\n", PROG, name, size - 1);
        return -1;
    }
    memcpy(dst, v, strlen(v) + 1);
    return 0;
}

static int
fill_item(const struct lopt *o, struct ew_ledger_item *it)
{
    long long level = 0, parent = 0;

    if (set_text(it->title, sizeof(it->title), o->title, "title") ||
        set_text(it->code, sizeof(it->code), o->code, "code") ||
        set_text(it->unit, sizeof(it->unit), o->unit, "unit") ||
        set_text(it->county, sizeof(it->county), o->county, "county") ||
        set_text(it->leader, sizeof(it->leader), o->leader, "leader") ||
        set_text(it->gov_leader, sizeof(it->gov_leader), o->gov_leader, "gov-leader") ||
        set_text(it->coop_units, sizeof(it->coop_units), o->coop, "coop") ||
        set_text(it->category, sizeof(it->category), o->category, "category") ||
        set_text(it->source, sizeof(it->source), o->source, "source") ||
        set_text(it->subject, sizeof(it->subject), o->subject, "subject") ||
        set_text(it->body, sizeof(it->body), o->body, "body") ||
        set_text(it->extra, sizeof(it->extra), o->extra, "extra"))
        return -1;
    if (to_time(o->due, &it->due_unix_s) != EW_OK || to_num(o->qty_target, &it->qty_target) ||
        to_int(o->level, &level) || to_int(o->parent, &parent) || level < 0 || level > 5) {
        fprintf(stderr, "%s: a bad --due, --qty-target, --level or --parent\n", PROG);
        return -1;
    }
    it->level = (int)level;
    it->parent_id = parent;
    return 0;
}

static int
cmd_add(struct ew_store *s, const struct lopt *o)
{
    struct ew_ledger_item it;
    struct ew_ledger_actor who = actor_of(o);
    struct ew_calendar *cal = calendar(s, o);
    char why[400] = "";
    int kind = 0, rc;

    if (ew_ledger_kind_parse(o->kind, &kind) != EW_OK) {
        ew_calendar_destroy(cal);
        return fail("add", EW_EINVAL, "--kind is one of task rectify complaint case river");
    }
    ew_ledger_item_init(&it, kind);
    if (fill_item(o, &it) != 0) {
        ew_calendar_destroy(cal);
        return 2;
    }
    rc = ew_ledger_create(s, &it, &who, now_of(o), NULL, cal, why, sizeof(why));
    ew_calendar_destroy(cal);
    if (rc != EW_OK)
        return fail("add", rc, why);
    printf("%lld\n", (long long)it.id);
    return 0;
}

/* ---- list, export ---------------------------------------------------------------------- */

static int
query_of(const struct lopt *o, struct ew_ledger_query *q)
{
    int kind = 0, st = 0;
    long long lim = 0, off = 0;

    *q = (struct ew_ledger_query){ .overdue = o->overdue ? 1 : -1, .open = o->open ? 1 : -1,
                                   .unit = o->unit, .county = o->county, .text = o->text };
    if (o->kind != NULL) {
        if (ew_ledger_kind_parse(o->kind, &kind) != EW_OK)
            return -1;
        q->kinds = 1u << kind;
    }
    if (o->state != NULL) {
        for (int k = 1; k < EW_LEDGER_KIND_COUNT && st == 0; k++)
            if ((kind == 0 || k == kind) && ew_ledger_state_parse(k, o->state, &st) != EW_OK)
                st = 0;
        if (st == 0)
            return -1;
        q->states = 1ULL << st;
    }
    if (o->due_before != NULL) {
        if (ew_time_parse_iso(o->due_before, &q->due_to) != EW_OK)
            return -1;
        q->due_from = 1;
        q->order = 1;
    }
    if (to_int(o->limit, &lim) || to_int(o->offset, &off) || lim < 0 || off < 0)
        return -1;
    q->limit = (size_t)lim;
    q->offset = (size_t)off;
    return 0;
}

static int
table_row(void *ctx, const struct ew_ledger_item *it)
{
    char due[20] = "";

    (void)ctx;
    if (it->due_unix_s != 0) {
        ew_time_fmt_iso(it->due_unix_s, due);
        due[10] = '\0';
    }
    printf("%-7lld %-9s %-14s %-3s %-10s %-24s %-20s %s\n", (long long)it->id,
           ew_ledger_kind_name(it->kind), ew_ledger_state_name(it->state),
           it->overdue ? "!" : "", due, it->code, it->unit, it->title);
    return 0;
}

static int
cmd_list(struct ew_store *s, const struct lopt *o)
{
    struct ew_ledger_query q;
    const char *fmt = o->format != NULL ? o->format : "table";
    char why[300] = "";
    size_t n = 0;
    FILE *out = stdout;
    int rc;

    if (query_of(o, &q) != 0)
        return fail("list", EW_EINVAL, "a bad --kind, --state, --due-before, --limit or --offset");
    if (strcmp(fmt, "table") == 0) {
        printf("%-7s %-9s %-14s %-3s %-10s %-24s %-20s %s\n", "id", "kind", "state", "od",
               "due", "code", "unit", "title");
        rc = ew_store_ledger_item_each(s, &q, table_row, NULL);
        return rc == EW_OK ? 0 : fail("list", rc, ew_store_errmsg(s));
    }
    if (o->out != NULL && (out = fopen(o->out, "wb")) == NULL)
        return fail("list", EW_EIO, o->out);
    rc = ew_ledger_export(s, &q, fmt, out, &n, why, sizeof(why));
    if (out != stdout && fclose(out) != 0 && rc == EW_OK)
        rc = EW_EIO;
    if (rc != EW_OK)
        return fail("list", rc, why);
    if (o->out != NULL)
        fprintf(stderr, "%s: %zu items written to %s\n", PROG, n, o->out);
    return 0;
}

/* ---- counts --------------------------------------------------------------------------------- */

/* Numbers first: the names are Chinese, which printf's widths do not align. */
static void
print_tallies(const char *title, const struct ew_ledger_tally *v, size_t n, int by)
{
    printf("\n%8s %8s %8s  %s\n", "items", "open", "overdue", title);
    for (size_t i = 0; i < n; i++) {
        printf("%8lld %8lld %8lld  ", (long long)v[i].n, (long long)v[i].open,
               (long long)v[i].overdue);
        if (by == EW_LEDGER_BY_KIND)
            printf("%s %s\n", v[i].name, ew_ledger_kind_label(v[i].kind));
        else if (by == EW_LEDGER_BY_STATE)
            printf("%s/%s %s\n", ew_ledger_kind_name(v[i].kind), v[i].name,
                   ew_ledger_state_label(v[i].kind, v[i].state));
        else
            printf("%s\n", v[i].name);
    }
}

/* envwatch ledger counts [filters] [--format table|json]: the list's grouped counts. */
static int
cmd_counts(struct ew_store *s, const struct lopt *o)
{
    static const char *const titles[] = { "kind", "kind/state", "unit", "county" };
    const char *fmt = o->format != NULL ? o->format : "table";
    struct ew_ledger_query q;
    struct ew_ledger_counts c;
    struct ew_buf b;
    int rc;

    if (query_of(o, &q) != 0 || (strcmp(fmt, "table") != 0 && strcmp(fmt, "json") != 0)) {
        fprintf(stderr, "%s: counts: a bad --kind, --state or --due-before, or a --format "
                "other than table or json\n", PROG);
        return 2;
    }
    if ((rc = ew_ledger_counts(s, &q, &c)) != EW_OK)
        return fail("counts", rc, ew_store_errmsg(s));
    if (strcmp(fmt, "json") == 0) {
        ew_buf_init(&b, 0);
        rc = ew_ledger_counts_json(&b, &c);
        if (rc == EW_OK)
            printf("%s\n", b.ptr);
        ew_buf_fini(&b);
    } else {
        printf("total %lld  open %lld  overdue %lld\n", (long long)c.total, (long long)c.open,
               (long long)c.overdue);
        for (int by = 0; by < EW_LEDGER_BY_COUNT; by++)
            print_tallies(titles[by], c.by[by], c.n_by[by], by);
    }
    ew_ledger_counts_fini(&c);
    return rc == EW_OK ? 0 : fail("counts", rc, NULL);
}

/* ---- show ----------------------------------------------------------------------------------- */

static int
print_event(void *ctx, const struct ew_ledger_event *ev)
{
    char t[20];

    (void)ctx;
    ew_time_fmt_iso(ev->at_ms / 1000, t);
    printf("  %s  %-12s %-10s %-12s %s -> %s  %s\n", t, ev->action, ev->role, ev->actor,
           ew_ledger_state_name(ev->from_state), ew_ledger_state_name(ev->to_state), ev->note);
    return 0;
}

static int
print_file(void *ctx, const struct ew_ledger_file *f)
{
    (void)ctx;
    printf("  file %lld  %s  %s  %lld bytes  sha256 %s\n", (long long)f->id, f->name, f->mime,
           (long long)f->size, f->sha256);
    return 0;
}

static int
print_link(void *ctx, const struct ew_ledger_link *l)
{
    (void)ctx;
    printf("  link %s %s (%s)\n", l->type, l->target, l->relation);
    return 0;
}

static int
print_action(void *ctx, const char *action, int to)
{
    (void)ctx;
    printf(" %s(->%s)", action, ew_ledger_state_name(to));
    return 0;
}

static int
cmd_show(struct ew_store *s, const struct lopt *o)
{
    struct ew_ledger_item it;
    struct ew_buf b;
    long long id = 0;
    int rc;

    if (o->nargs < 2 || to_int(o->args[1], &id) != EW_OK)
        return fail("show", EW_EINVAL, "show takes an item id");
    if ((rc = ew_store_ledger_item_get(s, id, &it)) != EW_OK)
        return fail("show", rc, ew_store_errmsg(s));
    ew_buf_init(&b, 1 << 20);
    ew_ledger_item_json(&b, &it);
    printf("%s\nhistory:\n", b.ptr != NULL ? b.ptr : "");
    ew_buf_fini(&b);
    ew_store_ledger_event_each(s, id, print_event, NULL);
    ew_store_ledger_file_each(s, id, print_file, NULL);
    ew_store_ledger_link_each(s, id, print_link, NULL);
    printf("actions now:");
    ew_ledger_actions_each(it.kind, it.state, NULL, print_action, NULL);
    printf("\n");
    return 0;
}

/* ---- act, comment, attach, link, from-alarm ------------------------------------------ */

static int
cmd_act(struct ew_store *s, const struct lopt *o)
{
    struct ew_ledger_act a = { .who = actor_of(o), .note = o->note, .unit = o->unit,
                               .qty = NAN, .amount_yuan = NAN, .now_unix_s = now_of(o) };
    struct ew_ledger_item after;
    struct ew_calendar *cal;
    long long id = 0, days = 0, ref = 0;
    char why[400] = "";
    int rc;

    if (o->nargs < 3 || to_int(o->args[1], &id) != EW_OK)
        return fail("act", EW_EINVAL, "act takes an item id and an action");
    a.action = o->args[2];
    if (to_int(o->days, &days) || to_num(o->qty, &a.qty) || to_num(o->amount, &a.amount_yuan) ||
        to_time(o->due, &a.due_unix_s) || to_int(o->ref, &ref) || days < 0 || days > 100000)
        return fail("act", EW_EINVAL, "a bad --days, --qty, --amount, --due or --ref");
    a.days = (int)days;
    a.ref_id = ref;
    cal = calendar(s, o);
    rc = ew_ledger_act(s, id, &a, NULL, cal, &after, why, sizeof(why));
    ew_calendar_destroy(cal);
    if (rc != EW_OK)
        return fail(a.action, rc, why);
    printf("%lld %s\n", (long long)id, ew_ledger_state_name(after.state));
    return 0;
}

static int
cmd_comment(struct ew_store *s, const struct lopt *o)
{
    struct ew_ledger_actor who = actor_of(o);
    long long id = 0;
    char why[300] = "";
    int rc;

    if (o->nargs < 2 || to_int(o->args[1], &id) != EW_OK)
        return fail("comment", EW_EINVAL, "comment takes an item id");
    rc = ew_ledger_comment(s, id, &who, o->note, now_of(o), why, sizeof(why));
    return rc == EW_OK ? 0 : fail("comment", rc, why);
}

static int
cmd_attach(struct ew_store *s, const struct lopt *o)
{
    struct ew_ledger_actor who = actor_of(o);
    struct ew_ledger_file f;
    const char *name;
    long long id = 0;
    char why[300] = "", *data;
    size_t len = 0;
    int rc;

    if (o->nargs < 3 || to_int(o->args[1], &id) != EW_OK)
        return fail("attach", EW_EINVAL, "attach takes an item id and a file");
    if ((data = slurp(o->args[2], &len)) == NULL)
        return fail("attach", EW_EIO, o->args[2]);
    name = o->name != NULL ? o->name : strrchr(o->args[2], '/') != NULL
                                           ? strrchr(o->args[2], '/') + 1 : o->args[2];
    rc = ew_ledger_attach(s, id, &who, name, data, len, now_of(o), NULL, &f, why, sizeof(why));
    free(data);
    if (rc != EW_OK)
        return fail("attach", rc, why);
    printf("%s %s\n", f.sha256, f.mime);
    return 0;
}

static int
cmd_link(struct ew_store *s, const struct lopt *o)
{
    struct ew_ledger_link l = { 0 };
    long long id = 0;
    int rc;

    if (o->nargs < 4 || to_int(o->args[1], &id) != EW_OK ||
        strlen(o->args[2]) >= sizeof(l.type) || strlen(o->args[3]) >= sizeof(l.target))
        return fail("link", EW_EINVAL, "link takes an item id, a type and a target");
    l.item_id = id;
    snprintf(l.type, sizeof(l.type), "%s", o->args[2]);
    snprintf(l.target, sizeof(l.target), "%s", o->args[3]);
    snprintf(l.relation, sizeof(l.relation), "%s", o->relation != NULL ? o->relation : "related");
    rc = ew_store_ledger_link_add(s, &l);
    return rc == EW_OK ? 0 : fail("link", rc, ew_store_errmsg(s));
}

static int
cmd_from_alarm(struct ew_store *s, const struct lopt *o)
{
    struct ew_ledger_actor who = actor_of(o);
    struct ew_ledger_item it;
    long long id = 0;
    char why[300] = "";
    int rc;

    if (o->nargs < 2 || to_int(o->args[1], &id) != EW_OK)
        return fail("from-alarm", EW_EINVAL, "from-alarm takes an alarm id");
    rc = ew_ledger_case_from_alarm(s, id, &who, now_of(o), NULL, &it, why, sizeof(why));
    if (rc != EW_OK)
        return fail("from-alarm", rc, why);
    printf("%lld\n", (long long)it.id);
    return 0;
}

/* ---- import -------------------------------------------------------------------------------- */

static void
on_bad(void *ctx, size_t line, const char *column, const char *why)
{
    (void)ctx;
    printf("line %zu%s%s%s: %s\n", line, column[0] ? " [" : "", column, column[0] ? "]" : "",
           why);
}

static int
cmd_import(struct ew_store *s, const struct lopt *o)
{
    struct ew_ledger_import_opts io = { .mapping = o->map, .dry_run = o->dry_run,
                                        .strict = o->strict, .who = actor_of(o),
                                        .now_unix_s = now_of(o) };
    struct ew_ledger_import_result res;
    char why[400] = "", *data;
    size_t len = 0;
    int rc;

    if (o->nargs < 2 || ew_ledger_kind_parse(o->kind, &io.kind) != EW_OK)
        return fail("import", EW_EINVAL, "import takes a file and --kind");
    if ((data = slurp(o->args[1], &len)) == NULL)
        return fail("import", EW_EIO, o->args[1]);
    if ((rc = ew_store_begin(s)) == EW_OK) {
        rc = ew_ledger_import(s, data, len, &io, on_bad, NULL, &res, why, sizeof(why));
        if (rc == EW_OK)
            rc = ew_store_commit(s);
        else
            ew_store_rollback(s);
    }
    free(data);
    if (rc != EW_OK)
        return fail("import", rc, why[0] ? why : ew_store_errmsg(s));
    printf("%zu rows, %zu refused, %zu imported%s\n", res.rows, res.bad, res.imported,
           o->dry_run ? " (dry run)" : o->strict && res.bad > 0 ? " (strict: nothing)" : "");
    return res.bad > 0 ? 1 : 0;
}

/* ---- due, sweep, holidays ----------------------------------------------------------- */

static int
cmd_due(struct ew_store *s, const struct lopt *o)
{
    struct ew_buf b;
    int rc;

    ew_buf_init(&b, 64 << 20);
    rc = ew_ledger_digest(s, now_of(o), NULL, &b);
    if (rc == EW_OK)
        printf("%s\n", b.ptr);
    ew_buf_fini(&b);
    return rc == EW_OK ? 0 : fail("due", rc, ew_store_errmsg(s));
}

static int
cmd_sweep(struct ew_store *s, const struct lopt *o)
{
    struct ew_ledger_sweep_result r;
    struct ew_calendar *cal = calendar(s, o);
    int rc = ew_store_begin(s);

    if (rc == EW_OK) {
        rc = ew_ledger_sweep(s, now_of(o), NULL, cal, &r);
        rc = rc == EW_OK ? ew_store_commit(s) : (ew_store_rollback(s), rc);
    }
    ew_calendar_destroy(cal);
    if (rc != EW_OK)
        return fail("sweep", rc, ew_store_errmsg(s));
    printf("%d overdue, %d escalated\n", r.overdue, r.escalated);
    return 0;
}

static int
cmd_holidays(struct ew_store *s, const struct lopt *o)
{
    struct ew_calendar *cal = NULL;
    char why[200] = "", *text;
    size_t len;
    int rc;

    if (o->nargs < 2 || (text = slurp(o->args[1], &len)) == NULL)
        return fail("holidays", EW_EIO, o->nargs < 2 ? "a file is required" : o->args[1]);
    rc = ew_calendar_create(&cal);
    if (rc == EW_OK)
        rc = ew_calendar_parse(cal, text, NULL, why, sizeof(why));
    if (rc == EW_OK)
        rc = ew_store_ledger_kv_put(s, "holidays", text);
    ew_calendar_destroy(cal);
    free(text);
    return rc == EW_OK ? 0 : fail("holidays", rc, why[0] ? why : ew_store_errmsg(s));
}

/* ---- river reaches and patrols -------------------------------------------------------- */

static int
cmd_reach(struct ew_store *s, const struct lopt *o)
{
    struct ew_ledger_reach r = { 0 };
    long long level = 0;
    int rc;

    if (o->code == NULL || o->river == NULL || to_int(o->level, &level) || level < 1 ||
        level > 5 || set_text(r.code, sizeof(r.code), o->code, "code") ||
        set_text(r.river, sizeof(r.river), o->river, "river") ||
        set_text(r.name, sizeof(r.name), o->name, "name") ||
        set_text(r.county, sizeof(r.county), o->county, "county") ||
        set_text(r.chief, sizeof(r.chief), o->chief, "chief") ||
        set_text(r.parent, sizeof(r.parent), o->up, "up"))
        return fail("reach", EW_EINVAL, "reach needs --code, --river and --level 1-5");
    r.level = (int)level;
    rc = ew_store_ledger_reach_put(s, &r);
    return rc == EW_OK ? 0 : fail("reach", rc, ew_store_errmsg(s));
}

static int
cmd_patrol(struct ew_store *s, const struct lopt *o)
{
    struct ew_ledger_patrol p = { 0 };
    long long level = 0;
    int rc;

    if (o->chief == NULL || o->reach == NULL || to_int(o->level, &level) ||
        to_time(o->start, &p.start_unix_s) || to_time(o->end, &p.end_unix_s) ||
        to_num(o->km, &p.length_km) || o->start == NULL || o->end == NULL || o->km == NULL ||
        set_text(p.chief, sizeof(p.chief), o->chief, "chief") ||
        set_text(p.reach, sizeof(p.reach), o->reach, "reach"))
        return fail("patrol", EW_EINVAL, "patrol needs --chief --level --reach --start --end --km");
    p.level = (int)level;
    ew_ledger_patrol_judge(NULL, &p);
    if (p.valid && o->note != NULL)
        set_text(p.note, sizeof(p.note), o->note, "note");
    rc = ew_store_ledger_patrol_add(s, &p);
    if (rc != EW_OK)
        return fail("patrol", rc, ew_store_errmsg(s));
    printf("%lld %s%s%s\n", (long long)p.id, p.valid ? "valid" : "not valid",
           p.valid ? "" : ": ", p.valid ? "" : p.note);
    return 0;
}

static const struct {
    const char *name;
    int (*fn)(struct ew_store *, const struct lopt *);
    int writes;
} subs[] = {
    { "add", cmd_add, 1 }, { "list", cmd_list, 0 }, { "export", cmd_list, 0 },
    { "counts", cmd_counts, 0 },
    { "show", cmd_show, 0 }, { "act", cmd_act, 1 }, { "comment", cmd_comment, 1 },
    { "attach", cmd_attach, 1 }, { "link", cmd_link, 1 }, { "from-alarm", cmd_from_alarm, 1 },
    { "import", cmd_import, 1 }, { "due", cmd_due, 0 }, { "sweep", cmd_sweep, 1 },
    { "holidays", cmd_holidays, 1 }, { "reach", cmd_reach, 1 }, { "patrol", cmd_patrol, 1 },
};

int
ew_cmd_ledger(int argc, char **argv)
{
    struct lopt o;
    struct ew_store *s = NULL;
    char err[300] = "";
    int rc;

    if (parse_opts(argc, argv, &o) != 0 || o.nargs < 1) {
        usage(stderr);
        return 2;
    }
    for (size_t i = 0; i < EW_ARRAY_LEN(subs); i++) {
        struct ew_store_config cfg = { .flags = subs[i].writes ? EW_STORE_CREATE
                                                               : EW_STORE_RDONLY };
        /* Reading commands go through a scope that covers everything but masks personal
         * data; writing ones must not (an item read masked would be written back so). */
        struct ew_store_scope masked = { .personal = 0 };
        if (strcmp(o.args[0], subs[i].name) != 0)
            continue;
        if (ew_store_open_config(o.data, &cfg, &s, err, sizeof(err)) != EW_OK) {
            fprintf(stderr, "%s: %s: %s\n", PROG, o.data, err);
            return 1;
        }
        if (!subs[i].writes && ew_store_scope_set(s, &masked) != EW_OK) {
            ew_store_close(s);
            return fail(subs[i].name, EW_ENOMEM, NULL);
        }
        rc = subs[i].fn(s, &o);
        ew_store_close(s);
        return rc;
    }
    usage(stderr);
    return 2;
}
