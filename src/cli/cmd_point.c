/* SPDX-License-Identifier: MIT */
/*
 * envwatch point: the registry of monitoring points from the command line (add, list,
 * import, remove, pending, approve). It works on the store directly, like `serve`, through
 * the same --data DIR; the daemon notices the change and reloads its registry. It never
 * prints a point's password. The rules a point must follow are ew_point_check's, so the CLI,
 * the API and the store agree.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <envwatch/err.h>
#include <envwatch/store.h>

#include "cli/cli.h"
#include "util/buf.h"
#include "util/csv.h"
#include "util/json.h"
#include "util/time.h"

#define PROG "envwatch point"
#define IMPORT_MAX_ROWS 100000          /* a province is a few thousand points */
#define CSV_MAX_ROW 8192
#define CSV_MAX_FIELDS 64
#define SEEN_CAP 262144                 /* a power of two past 2 * IMPORT_MAX_ROWS */

enum format { FMT_TABLE, FMT_CSV, FMT_JSON };

struct opts {
    const char *data, *mn, *pw, *name, *kind, *site, *county, *lat, *lon, *extra;
    enum format format;
    int         nargs;
    char      **args;                   /* positional arguments after the subcommand */
};

static void
usage(FILE *f)
{
    fprintf(f,
            "usage: envwatch point add --mn MN --pw PW --name NAME --kind KIND [--site S]\n"
            "                          [--county C] [--lat DEG --lon DEG] [--extra JSON]\n"
            "       envwatch point list [--format table|csv|json]\n"
            "       envwatch point import FILE.csv\n"
            "       envwatch point remove MN\n"
            "       envwatch point pending [--format table|csv|json]\n"
            "       envwatch point approve MN --pw PW --name NAME --kind KIND [...as add]\n"
            "Every command takes --data DIR (default ./var), the store of `envwatch serve`.\n"
            "KIND is one of air water flue wastewater sewage dust fume. Import reads a UTF-8\n"
            "CSV with the header mn,pw,name,kind,site,county,lat,lon; further columns are\n"
            "kept in the point's extra attributes. Passwords are never printed.\n");
}

static void say(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

static void
say(const char *fmt, va_list ap)
{
    fputs(PROG ": ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int misuse(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int stop(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The work failed: exit code 1. */
static int
fail(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    say(fmt, ap);
    va_end(ap);
    return 1;
}

/* Wrong usage: exit code 2. */
static int
misuse(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    say(fmt, ap);
    va_end(ap);
    return 2;
}

/* Stops an import pass: -1. */
static int
stop(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    say(fmt, ap);
    va_end(ap);
    return -1;
}

static int
parse_opts(int argc, char **argv, struct opts *o)
{
    static const struct option longopts[] = {
        { "data", required_argument, NULL, 'd' },   { "mn", required_argument, NULL, 'm' },
        { "pw", required_argument, NULL, 'p' },     { "name", required_argument, NULL, 'n' },
        { "kind", required_argument, NULL, 'k' },   { "site", required_argument, NULL, 's' },
        { "county", required_argument, NULL, 'c' }, { "lat", required_argument, NULL, 'y' },
        { "lon", required_argument, NULL, 'x' },    { "extra", required_argument, NULL, 'e' },
        { "format", required_argument, NULL, 'f' }, { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;

    *o = (struct opts){ .data = "./var" };
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': o->data = optarg; break;
        case 'm': o->mn = optarg; break;
        case 'p': o->pw = optarg; break;
        case 'n': o->name = optarg; break;
        case 'k': o->kind = optarg; break;
        case 's': o->site = optarg; break;
        case 'c': o->county = optarg; break;
        case 'y': o->lat = optarg; break;
        case 'x': o->lon = optarg; break;
        case 'e': o->extra = optarg; break;
        case 'f':
            if (strcmp(optarg, "table") == 0)
                o->format = FMT_TABLE;
            else if (strcmp(optarg, "csv") == 0)
                o->format = FMT_CSV;
            else if (strcmp(optarg, "json") == 0)
                o->format = FMT_JSON;
            else
                return misuse("--format must be table, csv or json");
            break;
        case 'h': usage(stdout); return -1;
        default: return 2;
        }
    }
    o->nargs = argc - optind;
    o->args = argv + optind;
    return 0;
}

static int
open_store(const struct opts *o, int flags, struct ew_store **s)
{
    char msg[512];

    if (ew_store_open_config(o->data, &(struct ew_store_config){ .flags = flags }, s, msg,
                             sizeof(msg)) != EW_OK)
        return fail("%s", msg);
    return 0;
}

/* ---- building a point from text --------------------------------------------------------- */

/* Copies a text field, refusing rather than cutting what does not fit. */
static int
set_field(char *dst, size_t size, const char *src, const char *what, char *why, size_t len)
{
    if (strlen(src) >= size) {
        snprintf(why, len, "%s is too long (at most %zu bytes)", what, size - 1);
        return -1;
    }
    memcpy(dst, src, strlen(src) + 1);
    return 0;
}

/* Parses a coordinate: "" is unknown (NAN); anything else must be a whole number. */
static int
parse_deg(const char *s, double *out, const char *what, char *why, size_t len)
{
    char *end;

    if (s == NULL || s[0] == '\0') {
        *out = NAN;
        return 0;
    }
    errno = 0;
    *out = strtod(s, &end);
    if (end == s || *end != '\0' || errno != 0 || isnan(*out)) {
        snprintf(why, len, "%s '%s' is not a number", what, s);
        return -1;
    }
    return 0;
}

struct point_text {
    const char *mn, *pw, *name, *kind, *site, *county, *lat, *lon, *extra;
};

static int
make_point(const struct point_text *t, struct ew_point *p, char *why, size_t len)
{
    ew_point_init(p);
    if (set_field(p->mn, sizeof(p->mn), t->mn ? t->mn : "", "mn", why, len) ||
        set_field(p->pw, sizeof(p->pw), t->pw ? t->pw : "", "pw", why, len) ||
        set_field(p->name, sizeof(p->name), t->name ? t->name : "", "name", why, len) ||
        set_field(p->kind, sizeof(p->kind), t->kind ? t->kind : "", "kind", why, len) ||
        set_field(p->site, sizeof(p->site), t->site ? t->site : "", "site", why, len) ||
        set_field(p->county, sizeof(p->county), t->county ? t->county : "", "county", why,
                  len) ||
        set_field(p->extra, sizeof(p->extra), t->extra ? t->extra : "{}", "extra", why, len) ||
        parse_deg(t->lat, &p->lat, "lat", why, len) || parse_deg(t->lon, &p->lon, "lon", why, len))
        return -1;
    return ew_point_check(p, why, len) == EW_OK ? 0 : -1;
}

static int
point_from_opts(const struct opts *o, const char *mn, struct ew_point *p)
{
    struct point_text t = { mn, o->pw, o->name, o->kind, o->site, o->county, o->lat, o->lon,
                            o->extra };
    char why[256];

    if (mn == NULL || o->pw == NULL || o->name == NULL || o->kind == NULL)
        return misuse("MN, --pw, --name and --kind are required (see --help)");
    if (make_point(&t, p, why, sizeof(why)) != 0)
        return fail("%s", why);
    return 0;
}

/* ---- add, remove, approve ------------------------------------------------------------------ */

static int
cmd_add(const struct opts *o)
{
    struct ew_store *s = NULL;
    struct ew_point p, old;
    int rc;

    if (o->nargs != 0)
        return misuse("add takes no positional arguments (use --mn)");
    if ((rc = point_from_opts(o, o->mn, &p)) != 0)
        return rc;
    if (open_store(o, EW_STORE_CREATE, &s) != 0)
        return 1;
    if (ew_store_point_get(s, p.mn, &old) == EW_OK)
        rc = fail("MN %s is already registered (remove it first, or update it with import)",
                  p.mn);
    else if (ew_store_point_put(s, &p) != EW_OK)
        rc = fail("%s", ew_store_errmsg(s));
    else
        printf("added %s (id %lld)\n", p.mn, (long long)p.id);
    ew_store_close(s);
    return rc;
}

static int
cmd_remove(const struct opts *o)
{
    struct ew_store *s = NULL;
    int rc = 0;

    if (o->nargs != 1)
        return misuse("remove takes one MN");
    if (open_store(o, 0, &s) != 0)
        return 1;
    if (ew_store_point_remove(s, o->args[0]) != EW_OK)
        rc = fail("%s", ew_store_errmsg(s));
    else
        printf("removed %s (its readings stay stored)\n", o->args[0]);
    ew_store_close(s);
    return rc;
}

static int
cmd_approve(const struct opts *o)
{
    struct ew_store *s = NULL;
    struct ew_point p;
    int rc;

    if (o->nargs != 1)
        return misuse("approve takes one MN");
    if ((rc = point_from_opts(o, o->args[0], &p)) != 0)
        return rc;
    if (open_store(o, 0, &s) != 0)
        return 1;
    if (ew_store_pending_approve(s, &p) != EW_OK)
        rc = fail("%s", ew_store_errmsg(s));
    else
        printf("approved %s (id %lld); its next packets are stored\n", p.mn, (long long)p.id);
    ew_store_close(s);
    return rc;
}

/* ---- list and pending ---------------------------------------------------------------------- */

/* Display columns of a UTF-8 string: East Asian wide characters take two. */
static size_t
display_width(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t w = 0;

    while (*u != '\0') {
        unsigned cp = *u;
        int n = cp < 0x80 ? 1 : cp < 0xE0 ? 2 : cp < 0xF0 ? 3 : 4;
        for (int i = 1; i < n && u[i] != '\0'; i++)
            cp = (cp << 6) | (u[i] & 0x3F);
        cp &= n == 1 ? 0x7F : n == 2 ? 0x7FF : n == 3 ? 0xFFFF : 0x1FFFFF;
        w += (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                     (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                     (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0x20000 && cp <= 0x3FFFD)
                 ? 2
                 : 1;
        for (int i = 0; i < n && *u != '\0'; i++)
            u++;
    }
    return w;
}

#define TABLE_COLS 8

struct table {
    struct ew_buf cells;                /* NUL-separated cells, TABLE_COLS per row */
    size_t        rows, width[TABLE_COLS];
    int           rc;
};

static void
table_add(struct table *t, const char *const *cells, size_t ncols)
{
    for (size_t i = 0; i < ncols && t->rc == EW_OK; i++) {
        size_t w = display_width(cells[i]);
        if (w > t->width[i])
            t->width[i] = w;
        t->rc = ew_buf_add(&t->cells, cells[i], strlen(cells[i]) + 1);
    }
    t->rows++;
}

static void
table_print(const struct table *t, size_t ncols)
{
    const char *cell = t->cells.ptr;

    for (size_t r = 0; r < t->rows; r++) {
        for (size_t i = 0; i < ncols; i++) {
            size_t pad = i + 1 < ncols ? t->width[i] - display_width(cell) + 2 : 0;
            fputs(cell, stdout);
            while (pad-- > 0)
                fputc(' ', stdout);
            cell += strlen(cell) + 1;
        }
        fputc('\n', stdout);
    }
}

static void
fmt_deg(char out[32], double v)
{
    if (isnan(v))
        out[0] = '\0';
    else
        snprintf(out, 32, "%.10g", v);
}

struct lister {
    enum format   format;
    struct ew_buf out;
    struct table  table;
    size_t        n;
    int           rc;
};

static int
point_json(struct ew_buf *b, const struct ew_point *p)
{
    char iso[20];
    int rc = EW_OK;

    ew_time_fmt_iso(p->created_unix_s, iso);
    rc |= ew_buf_printf(b, "{\"id\":%lld,", (long long)p->id);
    rc |= ew_json_key(b, "mn") | ew_json_strz(b, p->mn) | ew_buf_addc(b, ',');
    rc |= ew_json_key(b, "pw") | ew_json_strz(b, "***") | ew_buf_addc(b, ',');
    rc |= ew_json_key(b, "name") | ew_json_strz(b, p->name) | ew_buf_addc(b, ',');
    rc |= ew_json_key(b, "kind") | ew_json_strz(b, p->kind) | ew_buf_addc(b, ',');
    rc |= ew_json_key(b, "site") | ew_json_strz(b, p->site) | ew_buf_addc(b, ',');
    rc |= ew_json_key(b, "county") | ew_json_strz(b, p->county) | ew_buf_addc(b, ',');
    rc |= ew_json_key(b, "lat") | ew_json_num(b, p->lat, 10) | ew_buf_addc(b, ',');
    rc |= ew_json_key(b, "lon") | ew_json_num(b, p->lon, 10) | ew_buf_addc(b, ',');
    /* extra was checked to be a JSON object when it was stored. */
    rc |= ew_json_key(b, "extra") | ew_buf_adds(b, p->extra[0] ? p->extra : "{}");
    rc |= ew_buf_addc(b, ',') | ew_json_key(b, "created") | ew_json_strz(b, iso);
    return rc | ew_buf_addc(b, '}');
}

static int
point_csv(struct ew_buf *b, const struct ew_point *p)
{
    const char *cols[] = { p->mn, "***", p->name, p->kind, p->site, p->county };
    char lat[32], lon[32], iso[20];
    int rc = EW_OK;

    fmt_deg(lat, p->lat);
    fmt_deg(lon, p->lon);
    ew_time_fmt_iso(p->created_unix_s, iso);
    for (size_t i = 0; i < EW_ARRAY_LEN(cols); i++)
        rc |= ew_csv_field(b, cols[i]) | ew_buf_addc(b, ',');
    rc |= ew_buf_printf(b, "%s,%s,", lat, lon) | ew_csv_field(b, p->extra);
    return rc | ew_buf_printf(b, ",%s\n", iso);
}

static int
list_point(void *ctx, const struct ew_point *p)
{
    struct lister *l = ctx;
    char lat[32], lon[32];

    if (l->format == FMT_JSON)
        l->rc = (l->n > 0 ? ew_buf_addc(&l->out, ',') : EW_OK) | point_json(&l->out, p);
    else if (l->format == FMT_CSV)
        l->rc = point_csv(&l->out, p);
    else {
        const char *cells[] = { p->mn, p->kind, p->name, p->site, p->county, lat, lon };
        fmt_deg(lat, p->lat);
        fmt_deg(lon, p->lon);
        table_add(&l->table, cells, EW_ARRAY_LEN(cells));
        l->rc = l->table.rc;
    }
    l->n++;
    return l->rc != EW_OK;
}

static int
pending_row(void *ctx, const struct ew_pending *p)
{
    struct lister *l = ctx;
    char first[20], last[20], count[24];

    ew_time_fmt_iso(p->first_ms / 1000, first);
    ew_time_fmt_iso(p->last_ms / 1000, last);
    snprintf(count, sizeof(count), "%lld", (long long)p->packets);
    if (l->format == FMT_JSON) {
        struct ew_buf *b = &l->out;
        l->rc = (l->n > 0 ? ew_buf_addc(b, ',') : EW_OK) | ew_buf_addc(b, '{') |
                ew_json_key(b, "mn") | ew_json_strz(b, p->mn) | ew_buf_addc(b, ',') |
                ew_json_key(b, "st") | ew_json_strz(b, p->st) | ew_buf_addc(b, ',') |
                ew_json_key(b, "peer") | ew_json_strz(b, p->peer) | ew_buf_addc(b, ',') |
                ew_json_key(b, "first") | ew_json_strz(b, first) | ew_buf_addc(b, ',') |
                ew_json_key(b, "last") | ew_json_strz(b, last) | ew_buf_addc(b, ',') |
                ew_buf_printf(b, "\"packets\":%s}", count);
    } else if (l->format == FMT_CSV) {
        l->rc = ew_csv_field(&l->out, p->mn) |
                ew_buf_printf(&l->out, ",%s,%s,%s,%s,%s\n", p->st, p->peer, first, last, count);
    } else {
        const char *cells[] = { p->mn, p->st, p->peer, first, last, count };
        table_add(&l->table, cells, EW_ARRAY_LEN(cells));
        l->rc = l->table.rc;
    }
    l->n++;
    return l->rc != EW_OK;
}

static const char *const point_head[] = { "MN", "KIND", "NAME", "SITE", "COUNTY", "LAT",
                                          "LON" };
static const char *const pending_head[] = { "MN", "ST", "PEER", "FIRST", "LAST", "PACKETS" };

static int
cmd_list(const struct opts *o, int pending)
{
    struct lister l = { .format = o->format };
    struct ew_store *s = NULL;
    size_t ncols = pending ? EW_ARRAY_LEN(pending_head) : EW_ARRAY_LEN(point_head);
    int rc;

    if (o->nargs != 0)
        return misuse("%s takes no positional arguments", pending ? "pending" : "list");
    if (open_store(o, EW_STORE_RDONLY, &s) != 0)
        return 1;
    ew_buf_init(&l.out, 0);
    ew_buf_init(&l.table.cells, 0);
    if (o->format == FMT_JSON)
        ew_buf_addc(&l.out, '[');
    else if (o->format == FMT_CSV)
        ew_buf_adds(&l.out, pending ? "mn,st,peer,first,last,packets\n"
                                    : "mn,pw,name,kind,site,county,lat,lon,extra,created\n");
    else
        table_add(&l.table, pending ? pending_head : point_head, ncols);
    rc = pending ? ew_store_pending_each(s, pending_row, &l) : ew_store_point_each(s, list_point,
                                                                                   &l);
    if (rc != EW_OK || l.rc != EW_OK) {
        rc = fail("%s", l.rc != EW_OK ? ew_strerror(l.rc) : ew_store_errmsg(s));
    } else {
        if (o->format == FMT_JSON)
            ew_buf_adds(&l.out, "]\n");
        if (o->format == FMT_TABLE)
            table_print(&l.table, ncols);
        else
            fwrite(l.out.ptr, 1, l.out.len, stdout);
    }
    ew_buf_fini(&l.out);
    ew_buf_fini(&l.table.cells);
    ew_store_close(s);
    return rc;
}

/* ---- import -------------------------------------------------------------------------------- */

/* Column positions of the header; -1 when absent. Others go to extra. */
enum col { C_MN, C_PW, C_NAME, C_KIND, C_SITE, C_COUNTY, C_LAT, C_LON, C_N };
static const char *const col_names[C_N] = { "mn", "pw", "name", "kind", "site", "county",
                                            "lat", "lon" };

struct header {
    int    pos[C_N];
    size_t n;
    char  *names[CSV_MAX_FIELDS];
    int    known[CSV_MAX_FIELDS];
};

static char *
trim(char *s)
{
    size_t n = strlen(s);

    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

static int
read_header(char **f, size_t n, struct header *h)
{
    memset(h, 0, sizeof(*h));
    for (int c = 0; c < C_N; c++)
        h->pos[c] = -1;
    for (size_t i = 0; i < n; i++) {
        h->names[i] = strdup(trim(f[i]));
        if (h->names[i] == NULL)
            return fail("out of memory");
        h->n = i + 1;
        if (h->names[i][0] == '\0')
            return fail("header: column %zu has no name", i + 1);
        for (size_t j = 0; j < i; j++)
            if (strcmp(h->names[i], h->names[j]) == 0)
                return fail("header: column '%s' appears twice", h->names[i]);
        for (int c = 0; c < C_N; c++)
            if (strcmp(h->names[i], col_names[c]) == 0) {
                h->pos[c] = (int)i;
                h->known[i] = 1;
            }
    }
    for (int c = C_MN; c <= C_KIND; c++)
        if (h->pos[c] < 0)
            return fail("header: column '%s' is missing (the header is "
                        "mn,pw,name,kind,site,county,lat,lon)", col_names[c]);
    return 0;
}

static void
header_free(struct header *h)
{
    for (size_t i = 0; i < h->n; i++)
        free(h->names[i]);
}

/* The further columns of a row as a JSON object of strings; empty cells are left out. */
static int
extra_json(const struct header *h, char **f, struct ew_buf *b, char *why, size_t len)
{
    size_t n = 0;
    int rc = ew_buf_addc(b, '{');

    for (size_t i = 0; i < h->n; i++) {
        if (h->known[i] || f[i][0] == '\0')
            continue;
        rc |= (n++ > 0 ? ew_buf_addc(b, ',') : EW_OK) | ew_json_key(b, h->names[i]) |
              ew_json_strz(b, f[i]);
    }
    rc |= ew_buf_addc(b, '}');
    if (rc != EW_OK || b->len >= sizeof(((struct ew_point *)0)->extra)) {
        snprintf(why, len, "the extra columns make more than 1024 bytes of JSON");
        return -1;
    }
    return 0;
}

static int
row_point(const struct header *h, char **f, size_t n, struct ew_point *p, char *why,
          size_t len)
{
    const char *v[C_N];
    struct ew_buf extra;
    int rc;

    if (n != h->n) {
        snprintf(why, len, "has %zu fields, the header has %zu", n, h->n);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        f[i] = trim(f[i]);
    for (int c = 0; c < C_N; c++)
        v[c] = h->pos[c] >= 0 ? f[h->pos[c]] : "";
    ew_buf_init(&extra, 4096);
    rc = extra_json(h, f, &extra, why, len);
    if (rc == 0) {
        struct point_text t = { v[C_MN], v[C_PW], v[C_NAME], v[C_KIND], v[C_SITE],
                                v[C_COUNTY], v[C_LAT], v[C_LON], extra.ptr };
        rc = make_point(&t, p, why, len);
    }
    ew_buf_fini(&extra);
    return rc;
}

static int
blank_row(char **f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (trim(f[i])[0] != '\0')
            return 0;
    return 1;
}

/* MNs seen so far and their lines: open addressing, for duplicates inside one file. */
struct seen {
    struct { char mn[33]; size_t line; } *v;
    size_t cap;
};

static size_t
seen_check(struct seen *s, const char *mn, size_t line)
{
    size_t h = 5381, i;

    for (const char *c = mn; *c != '\0'; c++)
        h = h * 33 + (unsigned char)*c;
    for (i = h & (s->cap - 1); s->v[i].line != 0; i = (i + 1) & (s->cap - 1))
        if (strcmp(s->v[i].mn, mn) == 0)
            return s->v[i].line;
    snprintf(s->v[i].mn, sizeof(s->v[i].mn), "%s", mn);
    s->v[i].line = line;
    return 0;
}

struct import {
    struct ew_csv   *csv;
    struct header    h;
    struct seen      seen;
    struct ew_store *s;                 /* NULL: only check */
    size_t           rows, added, updated;
    long             bad;               /* rows refused */
};

/* Checks one row and, with a store, puts it. -1 stops the pass (fatal). */
static int
import_row(struct import *im, char **f, size_t n, size_t line)
{
    struct ew_point p, old;
    char why[256];
    size_t first;
    int existed;

    if (++im->rows > IMPORT_MAX_ROWS)
        return stop("more than %d rows: split the file", IMPORT_MAX_ROWS);
    if (row_point(&im->h, f, n, &p, why, sizeof(why)) != 0) {
        fprintf(stderr, "line %zu: %s\n", line, why);
        im->bad++;
        return 0;
    }
    if ((first = seen_check(&im->seen, p.mn, line)) != 0) {
        fprintf(stderr, "line %zu: MN %s repeats line %zu\n", line, p.mn, first);
        im->bad++;
        return 0;
    }
    if (im->s == NULL)
        return 0;
    existed = ew_store_point_get(im->s, p.mn, &old) == EW_OK;
    if (ew_store_point_put(im->s, &p) != EW_OK)
        return stop("line %zu: %s", line, ew_store_errmsg(im->s));
    (*(existed ? &im->updated : &im->added))++;
    return 0;
}

/*
 * One pass over the file. With s NULL it checks every row and reports each bad one on
 * stderr; with a store it puts every row (the check pass found them good). Returns the
 * number of bad rows, or -1 when the file cannot be read as a whole.
 */
static long
import_pass(FILE *in, struct ew_store *s, size_t *added, size_t *updated)
{
    struct import im = { .s = s, .seen = { .cap = SEEN_CAP } };
    char **f;
    size_t n, line = 0;
    int rc;

    if (ew_csv_open(in, CSV_MAX_ROW, CSV_MAX_FIELDS, &im.csv) != EW_OK ||
        (im.seen.v = calloc(im.seen.cap, sizeof(*im.seen.v))) == NULL) {
        im.bad = stop("out of memory");
    } else if ((rc = ew_csv_next(im.csv, &f, &n, &line)) != EW_OK) {
        im.bad = stop("the file has no header row");
    } else if (read_header(f, n, &im.h) != 0) {
        im.bad = -1;
    } else {
        while ((rc = ew_csv_next(im.csv, &f, &n, &line)) == EW_OK)
            if (!blank_row(f, n) && import_row(&im, f, n, line) != 0)
                break;
        if (rc == EW_OK)
            im.bad = -1;                /* import_row stopped the pass */
        else if (rc != EW_ENOTFOUND)
            im.bad = stop("after line %zu: %s", line, rc == EW_ETOOBIG ? "row too long or too "
                          "many fields" : "unterminated quote");
    }
    header_free(&im.h);
    free(im.seen.v);
    ew_csv_close(im.csv);
    if (im.bad == 0 && added != NULL) {
        *added = im.added;
        *updated = im.updated;
    }
    return im.bad;
}

static int
cmd_import(const struct opts *o)
{
    struct ew_store *s = NULL;
    size_t added = 0, updated = 0;
    FILE *in;
    long bad;
    int rc = 0;

    if (o->nargs != 1)
        return misuse("import takes one CSV file");
    if ((in = fopen(o->args[0], "rb")) == NULL)
        return fail("%s: %s", o->args[0], strerror(errno));
    /* Check the whole file first, without holding the store's write lock. */
    bad = import_pass(in, NULL, NULL, NULL);
    if (bad != 0) {
        fclose(in);
        if (bad > 0)
            fail("%s: %ld bad row(s); nothing was imported", o->args[0], bad);
        return 1;
    }
    rewind(in);
    if (open_store(o, EW_STORE_CREATE, &s) != 0 || ew_store_begin(s) != EW_OK) {
        rc = s != NULL ? fail("%s", ew_store_errmsg(s)) : 1;
    } else if (import_pass(in, s, &added, &updated) != 0) {
        ew_store_rollback(s);
        rc = fail("%s: nothing was imported", o->args[0]);
    } else if (ew_store_commit(s) != EW_OK) {
        rc = fail("%s", ew_store_errmsg(s));
    } else {
        printf("imported %zu point(s): %zu new, %zu updated\n", added + updated, added,
               updated);
    }
    ew_store_close(s);
    fclose(in);
    return rc;
}

int
ew_cmd_point(int argc, char **argv)
{
    struct opts o;
    const char *sub;
    int rc;

    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    sub = argv[1];
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0 || strcmp(sub, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if ((rc = parse_opts(argc - 1, argv + 1, &o)) != 0)
        return rc < 0 ? 0 : rc;
    if (strcmp(sub, "add") == 0)
        return cmd_add(&o);
    if (strcmp(sub, "list") == 0)
        return cmd_list(&o, 0);
    if (strcmp(sub, "pending") == 0)
        return cmd_list(&o, 1);
    if (strcmp(sub, "import") == 0)
        return cmd_import(&o);
    if (strcmp(sub, "remove") == 0)
        return cmd_remove(&o);
    if (strcmp(sub, "approve") == 0)
        return cmd_approve(&o);
    fail("unknown command '%s'", sub);
    usage(stderr);
    return 2;
}
