/* SPDX-License-Identifier: MIT */
/*
 * envwatch export readings: one point's stored readings as CSV, read from the store of
 * `envwatch serve` (--data DIR). The columns and bytes are those of GET
 * /api/v1/points/{mn}/readings?format=csv (util/exportcsv.h) and the query means the same;
 * unlike the API it streams, so a year of minute data needs no row limit.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <envwatch/err.h>
#include <envwatch/store.h>

#include "cli/cli.h"
#include "util/buf.h"
#include "util/exportcsv.h"
#include "util/time.h"

#define PROG "envwatch export"
#define FLUSH_AT (64u << 10)            /* bytes buffered before a write */

struct opts {
    const char *data, *mn, *kind, *from, *to, *factor, *limit, *out;
};

static void
usage(FILE *f)
{
    fprintf(f,
            "usage: envwatch export readings --mn MN [options]\n"
            "options:\n"
            "  --data DIR                  the store of `envwatch serve` (default ./var)\n"
            "  --kind rtd|minute|hour|day  data kind (default hour)\n"
            "  --from T --to T             local time range, inclusive (ISO 8601, e.g.\n"
            "                              2019-01-06 or 2019-01-06T08:00; default the last\n"
            "                              24 hours)\n"
            "  --factor CODE               one factor (default all)\n"
            "  --limit N                   at most N rows (default all)\n"
            "  -o, --output FILE           write there (default standard output)\n"
            "The CSV is that of GET /api/v1/points/{mn}/readings?format=csv:\n"
            "time,kind,factor,value,flag,converted,min,max,cou (docs/reports.md).\n");
}

static int say(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
say(int code, const char *fmt, ...)
{
    va_list ap;

    fputs(PROG ": ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return code;
}

static int
parse_opts(int argc, char **argv, struct opts *o)
{
    static const struct option longopts[] = {
        { "data", required_argument, NULL, 'd' },   { "mn", required_argument, NULL, 'm' },
        { "kind", required_argument, NULL, 'k' },   { "from", required_argument, NULL, 'f' },
        { "to", required_argument, NULL, 't' },     { "factor", required_argument, NULL, 'x' },
        { "limit", required_argument, NULL, 'l' },  { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },         { NULL, 0, NULL, 0 },
    };
    int c;

    *o = (struct opts){ .data = "var", .kind = "hour" };
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': o->data = optarg; break;
        case 'm': o->mn = optarg; break;
        case 'k': o->kind = optarg; break;
        case 'f': o->from = optarg; break;
        case 't': o->to = optarg; break;
        case 'x': o->factor = optarg; break;
        case 'l': o->limit = optarg; break;
        case 'o': o->out = optarg; break;
        case 'h': usage(stdout); return -1;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc)
        return say(2, "unexpected argument '%s'", argv[optind]);
    return 0;
}

/* The query of the options; 0 or 2 after saying what is wrong. */
static int
query_of(const struct opts *o, struct ew_reading_query *q)
{
    int64_t now = time(NULL);
    char *end;

    *q = (struct ew_reading_query){ .factor = o->factor, .from_unix_s = now - 86400,
                                    .to_unix_s = now };
    if (o->mn == NULL || o->mn[0] == '\0')
        return say(2, "--mn is required");
    if (ew_exportcsv_kind_parse(o->kind, &q->kind) != EW_OK)
        return say(2, "--kind must be rtd, minute, hour or day");
    if (o->from != NULL && ew_time_parse_iso(o->from, &q->from_unix_s) != EW_OK)
        return say(2, "--from '%s' is not an ISO 8601 local time", o->from);
    if (o->to != NULL && ew_time_parse_iso(o->to, &q->to_unix_s) != EW_OK)
        return say(2, "--to '%s' is not an ISO 8601 local time", o->to);
    if (q->to_unix_s < q->from_unix_s)
        return say(2, "--to is before --from");
    if (o->limit != NULL) {
        unsigned long long v = strtoull(o->limit, &end, 10);
        if (*end != '\0' || o->limit[0] == '-' || o->limit[0] == '\0' || v == 0)
            return say(2, "--limit must be a positive number");
        q->limit = (size_t)v;
    }
    return 0;
}

struct sink {
    FILE         *f;
    struct ew_buf b;
    int           failed;
};

static int
drain(struct sink *k)
{
    if (k->b.len > 0 && fwrite(k->b.ptr, 1, k->b.len, k->f) != k->b.len)
        k->failed = 1;
    ew_buf_reset(&k->b);
    return k->failed ? EW_EIO : EW_OK;
}

static int
emit(void *ctx, const struct ew_reading *r)
{
    struct sink *k = ctx;
    int rc = ew_exportcsv_line(&k->b, r);

    if (rc == EW_OK && k->b.len >= FLUSH_AT)
        rc = drain(k);
    return rc;
}

static int
cmd_readings(const struct opts *o)
{
    struct ew_reading_query q;
    struct ew_store *s = NULL;
    struct sink k = { stdout, { 0 }, 0 };
    struct ew_point p;
    char msg[256] = "";
    int rc;

    if ((rc = query_of(o, &q)) != 0)
        return rc;
    if (ew_store_open_config(o->data, &(struct ew_store_config){ .flags = EW_STORE_RDONLY },
                             &s, msg, sizeof(msg)) != EW_OK)
        return say(1, "cannot open the store in '%s': %s", o->data, msg[0] ? msg : "no store");
    if (ew_store_point_get(s, o->mn, &p) != EW_OK) {
        ew_store_close(s);
        return say(1, "no point with MN '%s'", o->mn);
    }
    q.point_id = p.id;
    if (o->out != NULL && (k.f = fopen(o->out, "wb")) == NULL) {
        ew_store_close(s);
        return say(1, "cannot write '%s'", o->out);
    }
    ew_buf_init(&k.b, 0);
    rc = ew_exportcsv_header(&k.b);
    if (rc == EW_OK)
        rc = ew_store_reading_each(s, &q, emit, &k);
    if (rc == EW_OK)
        rc = drain(&k);
    if (fflush(k.f) != 0)
        k.failed = 1;
    if (k.f != stdout && fclose(k.f) != 0)
        k.failed = 1;
    if (rc != EW_OK || k.failed)
        rc = say(1, "export failed: %s", k.failed ? "cannot write the output"
                                                  : ew_store_errmsg(s));
    ew_buf_fini(&k.b);
    ew_store_close(s);
    return rc;
}

int
ew_cmd_export(int argc, char **argv)
{
    struct opts o;
    int rc;

    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    if ((rc = parse_opts(argc - 1, argv + 1, &o)) != 0)
        return rc < 0 ? 0 : rc;
    if (strcmp(argv[1], "readings") != 0) {
        say(2, "unknown export '%s' (only readings)", argv[1]);
        return 2;
    }
    return cmd_readings(&o);
}
