/* SPDX-License-Identifier: MIT */
/*
 * envwatch report: the daily and monthly air quality reports and the monthly pollution-
 * source report from the store of `envwatch serve` (--data DIR), as a printable HTML page or
 * an .xlsx workbook, and the names printed in their headers (report settings). The reports
 * are those of GET /api/v1/reports/... (envwatch/report.h), built from the same stored
 * results, so a report made here and one downloaded from the API are the same.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <envwatch/err.h>
#include <envwatch/report.h>
#include <envwatch/store.h>

#include "cli/cli.h"
#include "util/buf.h"
#include "util/time.h"

#define PROG "envwatch report"
#define OUT_MAX (512u << 20)            /* largest report accepted */

struct opts {
    const char *data, *date, *format, *out, *bureau, *city, *now;
};

static void
usage(FILE *f)
{
    fprintf(f,
            "usage: envwatch report daily   --date YYYY-MM-DD [options]\n"
            "       envwatch report monthly --date YYYY-MM [options]\n"
            "       envwatch report sources --date YYYY-MM [options]\n"
            "       envwatch report settings [--bureau NAME] [--city NAME] [--data DIR]\n"
            "options:\n"
            "  --data DIR              the store of `envwatch serve` (default ./var)\n"
            "  --format html|xlsx      a printable A4 page (default) or an Excel workbook\n"
            "  -o, --output FILE       write there (default: standard output; an .xlsx\n"
            "                          is not written to a terminal)\n"
            "  --bureau NAME           issuing bureau in the header (default: the setting)\n"
            "  --city NAME             city in the titles (default: the setting)\n"
            "  --now YYYY-MM-DDThh:mm  the time printed as made, and the end of figures of a\n"
            "                          period not over yet (default: now)\n"
            "`settings` stores the bureau and city names the reports print (also through the\n"
            "API); without options it prints them. docs/reports.md describes the reports.\n");
}

static int say(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints the message and returns code (1 failure, 2 usage). */
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

/* Returns 0, 2 on a usage error, or -1 after --help. */
static int
parse_opts(int argc, char **argv, struct opts *o)
{
    static const struct option longopts[] = {
        { "data", required_argument, NULL, 'd' },   { "date", required_argument, NULL, 't' },
        { "format", required_argument, NULL, 'f' }, { "output", required_argument, NULL, 'o' },
        { "bureau", required_argument, NULL, 'b' }, { "city", required_argument, NULL, 'c' },
        { "now", required_argument, NULL, 'n' },    { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;

    *o = (struct opts){ .data = "var", .format = "html" };
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': o->data = optarg; break;
        case 't': o->date = optarg; break;
        case 'f': o->format = optarg; break;
        case 'o': o->out = optarg; break;
        case 'b': o->bureau = optarg; break;
        case 'c': o->city = optarg; break;
        case 'n': o->now = optarg; break;
        case 'h': usage(stdout); return -1;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc)
        return say(2, "unexpected argument '%s'", argv[optind]);
    return 0;
}

static int
open_store(const char *data, int flags, struct ew_store **s)
{
    char msg[256] = "";

    if (ew_store_open_config(data, &(struct ew_store_config){ .flags = flags }, s, msg,
                             sizeof(msg)) != EW_OK)
        return say(1, "cannot open the store in '%s': %s", data, msg[0] ? msg : "no store");
    return 0;
}

static int
write_out(const struct opts *o, int format, const struct ew_buf *b)
{
    FILE *f = stdout;

    if (o->out == NULL && format == EW_REPORT_XLSX && isatty(STDOUT_FILENO))
        return say(2, "an .xlsx workbook is not printed on a terminal: give -o FILE");
    if (o->out != NULL && (f = fopen(o->out, "wb")) == NULL)
        return say(1, "cannot write '%s'", o->out);
    if (fwrite(b->ptr, 1, b->len, f) != b->len || fflush(f) != 0) {
        if (f != stdout)
            fclose(f);
        return say(1, "cannot write '%s'", o->out != NULL ? o->out : "standard output");
    }
    if (f != stdout && fclose(f) != 0)
        return say(1, "cannot write '%s'", o->out);
    return 0;
}

/* Fills req from the options; returns 0 or 2 after saying what is wrong. */
static int
request_of(const struct opts *o, int kind, struct ew_report_req *req)
{
    *req = (struct ew_report_req){ .kind = kind, .bureau = o->bureau, .city = o->city };
    if (ew_report_format_parse(o->format, &req->format) != EW_OK)
        return say(2, "--format must be html or xlsx");
    if (o->date == NULL)
        return say(2, "--date is required (%s)", kind == EW_REPORT_AIR_DAILY ? "YYYY-MM-DD"
                                                                              : "YYYY-MM");
    if (ew_report_period_parse(kind, o->date, req) != EW_OK)
        return say(2, "--date '%s' is not a %s between 2000 and 2099", o->date,
                   kind == EW_REPORT_AIR_DAILY ? "day YYYY-MM-DD" : "month YYYY-MM");
    if (o->now != NULL && ew_time_parse_iso(o->now, &req->now_unix_s) != EW_OK)
        return say(2, "--now '%s' is not an ISO 8601 local time", o->now);
    return 0;
}

static int
cmd_make(const struct opts *o, int kind)
{
    struct ew_report_req req;
    struct ew_store *s = NULL;
    struct ew_buf b;
    char why[256] = "";
    int rc;

    if ((rc = request_of(o, kind, &req)) != 0 || (rc = open_store(o->data, EW_STORE_RDONLY,
                                                                  &s)) != 0)
        return rc;
    ew_buf_init(&b, OUT_MAX);
    if (ew_report_make(s, &req, &b, why, sizeof(why)) != EW_OK)
        rc = say(1, "%s", why[0] ? why : "the report cannot be made");
    else
        rc = write_out(o, req.format, &b);
    ew_buf_fini(&b);
    ew_store_close(s);
    return rc;
}

static int
put_setting(struct ew_store *s, const char *key, const char *value)
{
    if (value == NULL)
        return 0;
    if (ew_report_setting_put(s, key, value) != EW_OK)
        return say(strlen(value) > EW_REPORT_SETTING_MAX ? 2 : 1,
                   "cannot store %s: a name is at most %d bytes without control characters "
                   "(%s)", key, EW_REPORT_SETTING_MAX, ew_store_errmsg(s));
    return 0;
}

static int
cmd_settings(const struct opts *o)
{
    int writes = o->bureau != NULL || o->city != NULL;
    char bureau[EW_REPORT_SETTING_MAX + 1], city[EW_REPORT_SETTING_MAX + 1];
    struct ew_store *s = NULL;
    int rc;

    if (o->date != NULL || o->out != NULL || o->now != NULL)
        return say(2, "settings takes only --bureau, --city and --data");
    if ((rc = open_store(o->data, writes ? 0 : EW_STORE_RDONLY, &s)) != 0)
        return rc;
    rc = put_setting(s, EW_REPORT_SETTING_BUREAU, o->bureau);
    if (rc == 0)
        rc = put_setting(s, EW_REPORT_SETTING_CITY, o->city);
    if (rc == 0 && (ew_report_setting_get(s, EW_REPORT_SETTING_BUREAU, bureau,
                                          sizeof(bureau)) != EW_OK ||
                    ew_report_setting_get(s, EW_REPORT_SETTING_CITY, city, sizeof(city)) !=
                        EW_OK))
        rc = say(1, "cannot read the settings: %s", ew_store_errmsg(s));
    if (rc == 0)
        printf("bureau=%s\ncity=%s\n", bureau, city);
    ew_store_close(s);
    return rc;
}

int
ew_cmd_report(int argc, char **argv)
{
    struct opts o;
    int kind, rc;

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
    if (strcmp(argv[1], "settings") == 0)
        return cmd_settings(&o);
    if (ew_report_kind_parse(argv[1], &kind) != EW_OK) {
        say(2, "unknown report '%s'", argv[1]);
        usage(stderr);
        return 2;
    }
    return cmd_make(&o, kind);
}
