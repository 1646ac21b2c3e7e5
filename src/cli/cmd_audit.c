/* SPDX-License-Identifier: MIT */
/*
 * envwatch audit: the audit log from the command line, as a table, JSON Lines or CSV (the
 * export a bureau files), and the check of its chain (--verify: an entry changed or removed
 * behind the program's back breaks it). Read-only: the log has no way to be edited.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <envwatch/auth.h>
#include <envwatch/err.h>
#include <envwatch/store.h>

#include "cli/cli.h"
#include "util/buf.h"
#include "util/csv.h"
#include "util/json.h"
#include "util/time.h"

#define PROG "envwatch audit"

enum format { FMT_TABLE, FMT_CSV, FMT_JSON };

static void
usage(FILE *f)
{
    fprintf(f, "usage: envwatch audit [--data DIR] [--from TIME] [--to TIME] [--actor NAME]\n"
               "                      [--action PREFIX] [--via api|cli|hj212] [--target TEXT]\n"
               "                      [--limit N] [--format table|csv|json]\n"
               "       envwatch audit [--data DIR] --verify\n"
               "TIME is local China time, 2024-03-01T08:00. Oldest first. Secrets were masked\n"
               "before any entry was written; --verify checks that no entry was changed.\n");
}

struct opts {
    const char *data;
    struct ew_audit_query q;
    enum format format;
    int verify;
};

static int
parse_time(const char *s, int64_t *ms, int end)
{
    int64_t t;

    if (ew_time_parse_iso(s, &t) != EW_OK) {
        fprintf(stderr, PROG ": '%s' is not a local time like 2024-03-01T08:00\n", s);
        return 2;
    }
    *ms = t * 1000 + (end ? 999 : 0);
    return 0;
}

static int
parse_opts(int argc, char **argv, struct opts *o)
{
    static const struct option longopts[] = {
        { "data", required_argument, NULL, 'd' },   { "from", required_argument, NULL, 'f' },
        { "to", required_argument, NULL, 't' },     { "actor", required_argument, NULL, 'a' },
        { "action", required_argument, NULL, 'A' }, { "via", required_argument, NULL, 'v' },
        { "target", required_argument, NULL, 'T' }, { "limit", required_argument, NULL, 'l' },
        { "format", required_argument, NULL, 'F' }, { "verify", no_argument, NULL, 'V' },
        { "help", no_argument, NULL, 'h' },         { NULL, 0, NULL, 0 },
    };
    char *end;
    int c, rc = 0;

    *o = (struct opts){ .data = "./var" };
    optind = 1;
    while (rc == 0 && (c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': o->data = optarg; break;
        case 'f': rc = parse_time(optarg, &o->q.from_ms, 0); break;
        case 't': rc = parse_time(optarg, &o->q.to_ms, 1); break;
        case 'a': o->q.actor = optarg; break;
        case 'A': o->q.action = optarg; break;
        case 'v': o->q.via = optarg; break;
        case 'T': o->q.target = optarg; break;
        case 'V': o->verify = 1; break;
        case 'l':
            o->q.limit = strtoul(optarg, &end, 10);
            if (*end != '\0' || o->q.limit == 0)
                rc = 2;
            break;
        case 'F':
            o->format = strcmp(optarg, "csv") == 0    ? FMT_CSV
                        : strcmp(optarg, "json") == 0 ? FMT_JSON
                        : strcmp(optarg, "table") == 0 ? FMT_TABLE
                                                       : (rc = 2, FMT_TABLE);
            break;
        case 'h': usage(stdout); return -1;
        default: rc = 2;
        }
    }
    if (rc == 0 && optind < argc)
        rc = 2;
    if (rc == 2)
        usage(stderr);
    return rc;
}

/* A CSV field a spreadsheet will not take for a formula. */
static void
csv_safe(struct ew_buf *b, const char *s)
{
    if (s != NULL && s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL)
        ew_buf_addc(b, '\'');
    ew_csv_field(b, s != NULL ? s : "");
}

static int
print_entry(void *ctx, const struct ew_audit *a)
{
    const struct opts *o = ctx;
    const char *v[] = { a->actor, a->role, a->via, a->peer, a->action, a->target, a->result,
                        a->before, a->after, a->detail };
    static const char *const names[] = { "actor", "role", "via", "peer", "action", "target",
                                          "result", "before", "after", "detail" };
    struct ew_buf b;
    char t[20];

    ew_time_fmt_iso(a->at_ms / 1000, t);
    ew_buf_init(&b, 1 << 22);
    if (o->format == FMT_TABLE) {
        ew_buf_printf(&b, "%-6lld %s %-16s %-6s %-22s %-24s %-7s %s", (long long)a->id, t,
                      a->actor, a->via, a->peer, a->action, a->result, a->target);
    } else if (o->format == FMT_CSV) {
        ew_buf_printf(&b, "%lld,%s.%03d", (long long)a->id, t, (int)(a->at_ms % 1000));
        for (size_t i = 0; i < EW_ARRAY_LEN(v); i++) {
            ew_buf_addc(&b, ',');
            csv_safe(&b, v[i]);
        }
        ew_buf_addc(&b, '\r');
    } else {
        ew_buf_printf(&b, "{\"id\":%lld,\"time\":\"%s.%03d\"", (long long)a->id, t,
                      (int)(a->at_ms % 1000));
        for (size_t i = 0; i < EW_ARRAY_LEN(v); i++) {
            ew_buf_printf(&b, ",\"%s\":", names[i]);
            ew_json_strz(&b, v[i]);
        }
        ew_buf_addc(&b, '}');
    }
    if (b.ptr != NULL)
        printf("%s\n", b.ptr);
    ew_buf_fini(&b);
    return 0;
}

int
ew_cmd_audit(int argc, char **argv)
{
    struct ew_store *s = NULL;
    struct opts o;
    char msg[512];
    int64_t rows = 0, bad = 0;
    int rc = parse_opts(argc, argv, &o);

    if (rc != 0)
        return rc < 0 ? 0 : rc;
    if (ew_store_open_config(o.data, &(struct ew_store_config){ .flags = EW_STORE_RDONLY }, &s,
                             msg, sizeof(msg)) != EW_OK) {
        fprintf(stderr, PROG ": %s\n", msg);
        return 1;
    }
    if (o.verify) {
        rc = ew_store_audit_verify(s, &rows, &bad);
        if (rc == EW_OK)
            printf("audit log intact: %lld entries\n", (long long)rows);
        else if (rc == EW_EFORMAT)
            fprintf(stderr, PROG ": entry %lld was changed or an entry before it removed\n",
                    (long long)bad);
        else
            fprintf(stderr, PROG ": %s\n", ew_store_errmsg(s));
    } else {
        if (o.format == FMT_CSV)
            printf("id,time,actor,role,via,peer,action,target,result,before,after,detail\r\n");
        rc = ew_store_audit_each(s, &o.q, print_entry, &o);
        if (rc != EW_OK)
            fprintf(stderr, PROG ": %s\n", ew_store_errmsg(s));
    }
    ew_store_close(s);
    return rc == EW_OK ? 0 : 1;
}
