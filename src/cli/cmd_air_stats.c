/* SPDX-License-Identifier: MIT */
/*
 * envwatch air-stats: HJ 663-2013 statistics from an hourly CSV (station, time, optional
 * county, the six 1-hour concentrations): daily values and AQI, monthly and annual means and
 * percentiles, days by level, good-day share, heavy days, comprehensive index, rankings of
 * stations and counties, year-on-year change and, when asked, progress towards annual
 * targets; for every station, county and the city. All rules live in src/quality/; this file
 * reads the input, arranges the series and writes one table (CSV or JSON). docs/air.md
 * describes the input and every output column.
 */
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <envwatch/air.h>
#include <envwatch/err.h>

#include "cli/cli.h"
#include "util/aircsv.h"
#include "util/csv.h"
#include "util/time.h"

#define MAX_ROW_BYTES     65536
#define MAX_FIELDS        256
#define MAX_STATIONS      20000
#define MAX_STATION_DAYS  400000    /* all stations together: bounds memory (~450 MB) */
#define MAX_YEARS         50

enum { SCOPE_STATION = 1, SCOPE_COUNTY = 2, SCOPE_CITY = 4 };
enum { PER_DAY = 1, PER_MONTH = 2, PER_YEAR = 4 };

struct station {
    char               *name, *county;
    int                 control;    /* 对照点: not part of county and city means */
    int64_t             day_lo;     /* first day held, days since 1970-01-01 (CST) */
    size_t              n_days;
    struct ew_air_hour *hours;      /* n_days * 24, hour i of a day = i:00-(i+1):00 */
    unsigned char      *seen;       /* n_days * 24: a row was read for that hour */
};

struct scope {
    int                     kind;
    const char             *name, *county;
    size_t                 *members;        /* station indices */
    size_t                  n_members;
    struct ew_air_day      *days;           /* the calendar years y0..y1 */
    struct ew_air_day_info *info;
    struct ew_air_period   *per[2];         /* [0] months, [1] years */
    struct ew_air_ci       *ci[2];
    int                    *ci_ok[2], *rank_ci[2], *rank_pm[2];
};

struct job {
    int     json, time_is_end, periods, scopes;
    char   *controls;                       /* --control list, comma-separated */
    int64_t from, to;                       /* day bounds from --from/--to */
    struct ew_air_target target;
    int     has_target;
    /* input */
    int     col_station, col_time, col_county, col[EW_AIR_NITEMS];
    struct station *st;
    size_t  n_st, cap_st, total_days, *slot, n_slot;
    int64_t day_min, day_max;
    /* computed */
    int64_t d0, d1, ext_lo;                 /* output days, first day of year y0 */
    int     y0, y1;
    size_t  n_ext;
    struct scope *sc;
    size_t  n_sc;
    struct ew_airtab *tab;
};

static void
usage(FILE *f)
{
    fprintf(f,
            "usage: envwatch air-stats [options] [FILE]\n"
            "  input: CSV with station,time[,county] and so2,no2,co,o3,pm10,pm25 (1-hour means,\n"
            "         ug/m3, CO mg/m3); time is the start of the hour (HJ 212 DataTime)\n"
            "  --format csv|json         output format (default csv)\n"
            "  --time-is-end             time labels the END of the hour (CNEMC files)\n"
            "  --from DATE --to DATE     only days in this range (YYYY-MM-DD, inclusive)\n"
            "  --period LIST             rows to print: day,month,year (default all)\n"
            "  --scope LIST              station,county,city (default all)\n"
            "  --control LIST            control stations (对照点): not in county/city means\n"
            "  --target-pm25 X --target-good-pct P --target-heavy-days N\n"
            "                            annual targets: progress columns on year rows\n");
}

/* ---- reading ------------------------------------------------------------------------- */

static uint64_t
hash_name(const char *s)
{
    uint64_t h = 1469598103934665603ull;    /* FNV-1a */

    for (; *s != '\0'; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static int
rehash(struct job *j)
{
    size_t n = j->n_slot ? j->n_slot * 2 : 64;
    size_t *slot = calloc(n, sizeof(*slot));

    if (slot == NULL)
        return EW_ENOMEM;
    for (size_t i = 0; i < j->n_st; i++) {
        size_t k = hash_name(j->st[i].name) & (n - 1);
        while (slot[k] != 0)
            k = (k + 1) & (n - 1);
        slot[k] = i + 1;
    }
    free(j->slot);
    j->slot = slot;
    j->n_slot = n;
    return EW_OK;
}

/* The station named name, created on first sight. */
static int
station_of(struct job *j, const char *name, size_t *idx)
{
    size_t k;

    if (j->n_slot > 0) {
        for (k = hash_name(name) & (j->n_slot - 1); j->slot[k] != 0; k = (k + 1) & (j->n_slot - 1))
            if (strcmp(j->st[j->slot[k] - 1].name, name) == 0) {
                *idx = j->slot[k] - 1;
                return EW_OK;
            }
    }
    if (j->n_st == MAX_STATIONS)
        return EW_ETOOBIG;
    if (j->n_st == j->cap_st) {
        size_t cap = j->cap_st ? j->cap_st * 2 : 16;
        struct station *st = realloc(j->st, cap * sizeof(*st));
        if (st == NULL)
            return EW_ENOMEM;
        j->st = st;
        j->cap_st = cap;
    }
    j->st[j->n_st] = (struct station){ .name = strdup(name) };
    if (j->st[j->n_st].name == NULL)
        return EW_ENOMEM;
    *idx = j->n_st++;
    if (2 * j->n_st > j->n_slot)
        return rehash(j);
    for (k = hash_name(name) & (j->n_slot - 1); j->slot[k] != 0; k = (k + 1) & (j->n_slot - 1))
        ;
    j->slot[k] = *idx + 1;
    return EW_OK;
}

/* Makes station s hold day; extends its range (with slack when growing forward). */
static int
station_reserve(struct job *j, struct station *s, int64_t day)
{
    int64_t lo = day, hi = day, old_hi = s->day_lo + (int64_t)s->n_days - 1;
    struct ew_air_hour *hours;
    unsigned char *seen;
    size_t n, at;

    if (s->n_days > 0 && day >= s->day_lo && day <= old_hi)
        return EW_OK;
    if (s->n_days > 0) {
        lo = day < s->day_lo ? day : s->day_lo;
        hi = day > old_hi ? day : old_hi;
        if (day > old_hi && hi < lo + 2 * (int64_t)s->n_days)
            hi = lo + 2 * (int64_t)s->n_days;
    }
    n = (size_t)(hi - lo + 1);
    if (j->total_days - s->n_days + n > MAX_STATION_DAYS)
        return EW_ETOOBIG;
    hours = malloc(n * 24 * sizeof(*hours));
    seen = calloc(n * 24, 1);
    if (hours == NULL || seen == NULL) {
        free(hours);
        free(seen);
        return EW_ENOMEM;
    }
    for (size_t i = 0; i < n * 24; i++)
        ew_air_hour_clear(&hours[i]);
    at = (size_t)(s->day_lo - lo) * 24;
    if (s->n_days > 0) {
        memcpy(hours + at, s->hours, s->n_days * 24 * sizeof(*hours));
        memcpy(seen + at, s->seen, s->n_days * 24);
    }
    free(s->hours);
    free(s->seen);
    j->total_days += n - s->n_days;
    s->hours = hours;
    s->seen = seen;
    s->day_lo = lo;
    s->n_days = n;
    return EW_OK;
}

/* Floor division: days and hours of times before 1970 too. */
static int64_t
floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static int
parse_time(const char *s, int time_is_end, int64_t *t)
{
    size_t len = strlen(s);

    if (ew_time_parse_iso(s, t) != EW_OK &&
        (len != 14 || ew_time_parse_compact(s, len, t) != EW_OK))
        return EW_EFORMAT;
    if (floor_div(*t, 3600) * 3600 != *t)
        return EW_EFORMAT;      /* hourly values sit on the full hour (CST is UTC+8 h) */
    if (time_is_end)
        *t -= 3600;
    return EW_OK;
}

static int
row_error(size_t line, const char *what, const char *cell)
{
    fprintf(stderr, "envwatch air-stats: line %zu: %s '%s'\n", line, what, cell);
    return EW_EFORMAT;
}

static int
set_county(struct station *s, const char *county, size_t line)
{
    if (*county == '\0')
        return EW_OK;
    if (s->county != NULL)
        return strcmp(s->county, county) == 0 ? EW_OK
                                              : row_error(line, "a second county for", s->name);
    s->county = strdup(county);
    return s->county == NULL ? EW_ENOMEM : EW_OK;
}

/* One input row: station, hour, the concentrations. */
static int
read_row(struct job *j, char **f, size_t line)
{
    struct ew_air_hour h;
    int64_t t, day;
    size_t idx, at;
    struct station *s;
    int rc;

    ew_air_hour_clear(&h);
    if (*f[j->col_station] == '\0')
        return row_error(line, "empty station", "");
    if (parse_time(f[j->col_time], j->time_is_end, &t) != EW_OK)
        return row_error(line, "time is not a full hour (YYYY-MM-DDThh:00):", f[j->col_time]);
    for (int i = 0; i < EW_AIR_NITEMS; i++) {
        double v;
        if (j->col[i] < 0)
            continue;
        if (ew_aircsv_num(f[j->col[i]], &v) != EW_OK)
            return row_error(line, "not a concentration:", f[j->col[i]]);
        ew_air_hour_set(&h, i, v);
    }
    if ((rc = station_of(j, f[j->col_station], &idx)) != EW_OK)
        return rc;
    s = &j->st[idx];
    if (j->col_county >= 0 && (rc = set_county(s, f[j->col_county], line)) != EW_OK)
        return rc;
    day = floor_div(t + EW_CST_OFFSET_S, 86400);
    if ((rc = station_reserve(j, s, day)) != EW_OK)
        return rc;
    at = (size_t)(day - s->day_lo) * 24 + (size_t)((t + EW_CST_OFFSET_S - day * 86400) / 3600);
    if (s->seen[at])
        return row_error(line, "a second row for station and hour:", f[j->col_time]);
    s->seen[at] = 1;
    s->hours[at] = h;
    j->day_min = day < j->day_min ? day : j->day_min;
    j->day_max = day > j->day_max ? day : j->day_max;
    return EW_OK;
}

static int
map_header(struct job *j, char **f, size_t n)
{
    static const char *const names[EW_AIR_NITEMS][3] = {
        { "so2" }, { "no2" }, { "co" }, { "o3", "o3_1h" }, { NULL }, { "pm10" },
        { "pm25", "pm2.5", "pm2_5" },
    };
    static const char *const station[] = { "station" }, *const tcol[] = { "time" },
                             *const county[] = { "county" };
    int found = 0;

    j->col_station = ew_aircsv_col(f, n, station, 1);
    j->col_time = ew_aircsv_col(f, n, tcol, 1);
    j->col_county = ew_aircsv_col(f, n, county, 1);
    for (int i = 0; i < EW_AIR_NITEMS; i++) {
        size_t k = 0;
        while (k < 3 && names[i][k] != NULL)
            k++;
        j->col[i] = k > 0 ? ew_aircsv_col(f, n, names[i], k) : -1;
        found += j->col[i] >= 0;
    }
    if (j->col_station < 0 || j->col_time < 0 || found == 0) {
        fprintf(stderr, "envwatch air-stats: the header needs station, time and at least one "
                        "of so2,no2,co,o3,pm10,pm25\n");
        return EW_EFORMAT;
    }
    return EW_OK;
}

/* Turns the end of reading into a status with a message. in_row: the error came from
 * checking a row (already reported), not from the CSV reader. */
static int
read_status(const struct job *j, int rc, int in_row, size_t line)
{
    if (rc == EW_ENOTFOUND && j->n_st > 0)
        return EW_OK;
    if (rc == EW_ENOTFOUND) {
        fprintf(stderr, "envwatch air-stats: no data rows\n");
        return EW_ENODATA;
    }
    if (rc == EW_ETOOBIG)
        fprintf(stderr, "envwatch air-stats: input too large (at most %d stations, %d "
                        "station-days, %d-byte rows; split it)\n", MAX_STATIONS,
                MAX_STATION_DAYS, MAX_ROW_BYTES);
    else if (rc == EW_EFORMAT && !in_row)
        fprintf(stderr, "envwatch air-stats: after line %zu: malformed CSV\n", line);
    return rc;
}

static int
read_input(struct job *j, FILE *in)
{
    struct ew_csv *csv;
    char **f;
    size_t n, n_head = 0, line = 0;
    int rc, in_row = 0;

    if ((rc = ew_csv_open(in, MAX_ROW_BYTES, MAX_FIELDS, &csv)) != EW_OK)
        return rc;
    for (;;) {
        if ((rc = ew_csv_next(csv, &f, &n, &line)) != EW_OK)
            break;
        in_row = 1;
        if (n_head == 0) {
            if ((rc = map_header(j, f, n)) != EW_OK)
                break;
            n_head = n;
        } else if (n != n_head) {
            fprintf(stderr, "envwatch air-stats: line %zu: %zu fields, the header has %zu\n",
                    line, n, n_head);
            rc = EW_EFORMAT;
            break;
        } else if ((rc = read_row(j, f, line)) != EW_OK) {
            break;      /* read_row said what was wrong, or it is ETOOBIG/ENOMEM */
        }
        in_row = 0;
    }
    ew_csv_close(csv);
    return read_status(j, rc, in_row, line);
}

/* ---- scopes and series --------------------------------------------------------------- */

static int
in_list(const char *list, const char *name)
{
    size_t len = strlen(name);

    for (const char *p = list; p != NULL && *p != '\0';) {
        const char *end = strchr(p, ',');
        size_t l = end ? (size_t)(end - p) : strlen(p);
        if (l == len && strncmp(p, name, len) == 0)
            return 1;
        p = end ? end + 1 : NULL;
    }
    return 0;
}

static int
cmp_station(const void *a, const void *b)
{
    return strcmp(((const struct station *)a)->name, ((const struct station *)b)->name);
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static struct scope *
add_scope(struct job *j, int kind, const char *name, const char *county)
{
    struct scope *s = &j->sc[j->n_sc++];

    *s = (struct scope){ .kind = kind, .name = name, .county = county };
    s->members = calloc(j->n_st, sizeof(*s->members));
    return s->members == NULL ? NULL : s;
}

/* Members of a county or of the city: the non-control stations (of that county). */
static void
add_members(struct job *j, struct scope *s, const char *county)
{
    for (size_t i = 0; i < j->n_st; i++)
        if (!j->st[i].control && (county == NULL ||
                                  (j->st[i].county && strcmp(j->st[i].county, county) == 0)))
            s->members[s->n_members++] = i;
}

/* Distinct counties in name order; returns how many, or -1 on ENOMEM. */
static int
counties(struct job *j, const char ***out)
{
    const char **c = calloc(j->n_st + 1, sizeof(*c));
    size_t n = 0;

    if (c == NULL)
        return -1;
    for (size_t i = 0; i < j->n_st; i++)
        if (j->st[i].county != NULL)
            c[n++] = j->st[i].county;
    qsort(c, n, sizeof(*c), cmp_str);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || strcmp(c[k - 1], c[i]) != 0)
            c[k++] = c[i];
    *out = c;
    return (int)k;
}

static int
make_scopes(struct job *j)
{
    const char **cty = NULL;
    int nc;

    qsort(j->st, j->n_st, sizeof(*j->st), cmp_station);
    for (size_t i = 0; i < j->n_st; i++)
        j->st[i].control = in_list(j->controls, j->st[i].name);
    if ((nc = counties(j, &cty)) < 0)
        return EW_ENOMEM;
    j->sc = calloc(j->n_st + (size_t)nc + 1, sizeof(*j->sc));
    if (j->sc == NULL) {
        free(cty);
        return EW_ENOMEM;
    }
    for (size_t i = 0; (j->scopes & SCOPE_STATION) && i < j->n_st; i++) {
        struct scope *s = add_scope(j, SCOPE_STATION, j->st[i].name, j->st[i].county);
        if (s == NULL)
            goto nomem;
        s->members[s->n_members++] = i;
    }
    for (int i = 0; (j->scopes & SCOPE_COUNTY) && i < nc; i++) {
        struct scope *s = add_scope(j, SCOPE_COUNTY, cty[i], NULL);
        if (s == NULL)
            goto nomem;
        add_members(j, s, cty[i]);
    }
    free(cty);
    if (j->scopes & SCOPE_CITY) {
        struct scope *s = add_scope(j, SCOPE_CITY, "city", NULL);
        if (s == NULL)
            return EW_ENOMEM;
        add_members(j, s, NULL);
    }
    return EW_OK;
nomem:
    free(cty);
    return EW_ENOMEM;
}

/* Hour h of day d of station i, or NULL when the station holds no such day. */
static const struct ew_air_hour *
station_hour(const struct job *j, size_t i, int64_t d, int h)
{
    const struct station *s = &j->st[i];

    if (d < s->day_lo || d >= s->day_lo + (int64_t)s->n_days)
        return NULL;
    return &s->hours[(size_t)(d - s->day_lo) * 24 + (size_t)h];
}

/* The 24 hours of day d of a scope: the station's own, or the mean over its members. */
static int
scope_hours(const struct job *j, const struct scope *s, int64_t d, struct ew_air_hour hours[24],
            struct ew_air_hour *tmp)
{
    for (int h = 0; h < 24; h++) {
        size_t k = 0;
        for (size_t m = 0; m < s->n_members; m++) {
            const struct ew_air_hour *x = station_hour(j, s->members[m], d, h);
            if (x != NULL)
                tmp[k++] = *x;
        }
        if (s->kind == SCOPE_STATION) {
            if (k == 0)
                ew_air_hour_clear(&hours[h]);
            else
                hours[h] = tmp[0];
        } else if (ew_air_hour_mean(tmp, k, &hours[h]) != EW_OK) {
            return EW_EINVAL;
        }
    }
    return EW_OK;
}

static int
scope_days(const struct job *j, struct scope *s, struct ew_air_hour *tmp)
{
    struct ew_air_hour hours[24];
    int rc;

    s->days = malloc(j->n_ext * sizeof(*s->days));
    s->info = calloc(j->n_ext, sizeof(*s->info));
    if (s->days == NULL || s->info == NULL)
        return EW_ENOMEM;
    for (size_t i = 0; i < j->n_ext; i++) {
        int64_t d = j->ext_lo + (int64_t)i;
        ew_air_day_clear(&s->days[i]);
        if (d < j->d0 || d > j->d1)
            continue;
        if ((rc = scope_hours(j, s, d, hours, tmp)) != EW_OK ||
            (rc = ew_air_day_from_hours(hours, &s->days[i], &s->info[i])) != EW_OK)
            return rc;
    }
    return EW_OK;
}

/* Months [0] and years [1] of a scope, with their comprehensive index. */
static int
scope_periods(const struct job *j, struct scope *s)
{
    int ny = j->y1 - j->y0 + 1, n[2] = { 12 * ny, ny }, rc;
    size_t at;

    for (int k = 0; k < 2; k++) {
        s->per[k] = calloc((size_t)n[k], sizeof(*s->per[k]));
        s->ci[k] = calloc((size_t)n[k], sizeof(*s->ci[k]));
        s->ci_ok[k] = calloc((size_t)n[k], sizeof(int));
        s->rank_ci[k] = calloc((size_t)n[k], sizeof(int));
        s->rank_pm[k] = calloc((size_t)n[k], sizeof(int));
        if (!s->per[k] || !s->ci[k] || !s->ci_ok[k] || !s->rank_ci[k] || !s->rank_pm[k])
            return EW_ENOMEM;
        at = 0;
        for (int p = 0; p < n[k]; p++) {
            int y = j->y0 + (k == 0 ? p / 12 : p), m = k == 0 ? p % 12 + 1 : 0;
            size_t len = (size_t)(m > 0 ? ew_days_in_month(y, m)
                                        : (ew_days_in_month(y, 2) == 29 ? 366 : 365));
            if ((rc = ew_air_period_stats(s->days + at, len, y, m, &s->per[k][p])) != EW_OK)
                return rc;
            s->ci_ok[k][p] = ew_air_ci_compute(&s->per[k][p], &s->ci[k][p]) == EW_OK;
            at += len;
        }
    }
    return EW_OK;
}

/* Work arrays for ranking one group of scopes. */
struct rank_buf {
    double *ci, *pm;
    int    *r_ci, *r_pm;
};

/* Ranks the scopes of one kind for period p of kind k (0 months, 1 years). */
static int
rank_group(struct job *j, int kind, int k, int p, const struct rank_buf *b)
{
    size_t m = 0;
    int rc;

    for (size_t s = 0; s < j->n_sc; s++) {
        const struct scope *x = &j->sc[s];
        if (x->kind != kind)
            continue;
        b->ci[m] = x->ci_ok[k][p] ? x->ci[k][p].sum : NAN;
        b->pm[m++] = x->per[k][p].item[EW_AIR_PM25].mean;
    }
    if ((rc = ew_air_rank(b->ci, m, 2, b->r_ci, NULL)) != EW_OK ||
        (rc = ew_air_rank(b->pm, m, 0, b->r_pm, NULL)) != EW_OK)
        return rc;
    m = 0;
    for (size_t s = 0; s < j->n_sc; s++) {
        if (j->sc[s].kind != kind)
            continue;
        j->sc[s].rank_ci[k][p] = b->r_ci[m];
        j->sc[s].rank_pm[k][p] = b->r_pm[m++];
    }
    return EW_OK;
}

/* Ranks stations among stations and counties among counties, for every month and year. */
static int
rank_scopes(struct job *j)
{
    size_t n = j->n_sc + 1;
    struct rank_buf b = { malloc(n * sizeof(double)), malloc(n * sizeof(double)),
                          malloc(n * sizeof(int)), malloc(n * sizeof(int)) };
    int ny = j->y1 - j->y0 + 1, np[2] = { 12 * ny, ny };
    int rc = b.ci && b.pm && b.r_ci && b.r_pm ? EW_OK : EW_ENOMEM;

    for (int k = 0; k < 2; k++)
        for (int p = 0; rc == EW_OK && p < np[k]; p++)
            if ((rc = rank_group(j, SCOPE_STATION, k, p, &b)) == EW_OK)
                rc = rank_group(j, SCOPE_COUNTY, k, p, &b);
    free(b.ci);
    free(b.pm);
    free(b.r_ci);
    free(b.r_pm);
    return rc;
}

static int
compute(struct job *j)
{
    struct ew_air_hour *tmp;
    int m, d, rc = EW_OK;

    j->d0 = j->day_min > j->from ? j->day_min : j->from;
    j->d1 = j->day_max < j->to ? j->day_max : j->to;
    if (j->d0 > j->d1) {
        fprintf(stderr, "envwatch air-stats: no data in the chosen date range\n");
        return EW_ENODATA;
    }
    ew_civil_from_days(j->d0, &j->y0, &m, &d);
    ew_civil_from_days(j->d1, &j->y1, &m, &d);
    if (j->y1 - j->y0 >= MAX_YEARS) {
        fprintf(stderr, "envwatch air-stats: the data span more than %d years\n", MAX_YEARS);
        return EW_ETOOBIG;
    }
    j->ext_lo = ew_days_from_civil(j->y0, 1, 1);
    j->n_ext = (size_t)(ew_days_from_civil(j->y1 + 1, 1, 1) - j->ext_lo);
    if ((rc = make_scopes(j)) != EW_OK)
        return rc;
    tmp = malloc((j->n_st + 1) * sizeof(*tmp));
    if (tmp == NULL)
        return EW_ENOMEM;
    for (size_t s = 0; rc == EW_OK && s < j->n_sc; s++)
        if ((rc = scope_days(j, &j->sc[s], tmp)) == EW_OK)
            rc = scope_periods(j, &j->sc[s]);
    free(tmp);
    return rc == EW_OK ? rank_scopes(j) : rc;
}

/* ---- output -------------------------------------------------------------------------- */

enum {
    C_SCOPE, C_NAME, C_COUNTY, C_PERIOD, C_DATE,
    C_VAL,                                          /* 7 values, item order of DAY_ITEMS */
    C_AQI = C_VAL + 7, C_LEVEL, C_CATEGORY, C_PRIMARY,
    C_N,                                            /* 7 counts */
    C_PCT = C_N + 7,                                /* 6 percentiles */
    C_INVALID = C_PCT + 6, C_DAYS_AQI,
    C_LEVELS,                                       /* 6 */
    C_GOOD = C_LEVELS + 6, C_GOOD_PCT, C_HEAVY,
    C_CI, C_CI_MAIN, C_RANK_CI, C_RANK_PM25,
    C_CI_YOY, C_PM25_YOY, C_GOOD_YOY,
    C_T_PM25, C_T_PM25_YTD, C_T_PM25_NEED, C_T_GOOD, C_T_GOOD_NEED, C_T_HEAVY, C_T_HEAVY_LEFT,
    C_COUNT
};

/* Output order of the items in the value, count and percentile columns. */
static const int day_items[7] = {
    EW_AIR_SO2, EW_AIR_NO2, EW_AIR_CO, EW_AIR_PM10, EW_AIR_PM25, EW_AIR_O3_8H, EW_AIR_O3_1H,
};

static const char *const col_names[C_COUNT] = {
    "scope", "name", "county", "period", "date",
    "so2", "no2", "co", "pm10", "pm25", "o3_8h", "o3_1h",
    "aqi", "level", "category", "primary",
    "n_so2", "n_no2", "n_co", "n_pm10", "n_pm25", "n_o3_8h", "n_o3_1h",
    "so2_p98", "no2_p98", "co_p95", "pm10_p95", "pm25_p95", "o3_8h_p90",
    "invalid", "days_aqi",
    "days_l1", "days_l2", "days_l3", "days_l4", "days_l5", "days_l6",
    "good_days", "good_pct", "heavy_days",
    "ci", "ci_main", "rank_ci", "rank_pm25",
    "ci_yoy_pct", "pm25_yoy_pct", "good_pct_yoy_pp",
    "target_pm25", "pm25_ytd", "pm25_needed", "target_good", "good_days_needed",
    "target_heavy", "heavy_days_left",
};

static const char *
scope_name(int kind)
{
    return kind == SCOPE_STATION ? "station" : kind == SCOPE_COUNTY ? "county" : "city";
}

static void
put_head(const struct job *j, const struct scope *s, const char *period, const char *date)
{
    ew_airtab_str(j->tab, C_SCOPE, scope_name(s->kind));
    ew_airtab_str(j->tab, C_NAME, s->name);
    if (s->county != NULL)
        ew_airtab_str(j->tab, C_COUNTY, s->county);
    ew_airtab_str(j->tab, C_PERIOD, period);
    ew_airtab_str(j->tab, C_DATE, date);
}

static int
day_row(const struct job *j, const struct scope *s, size_t i)
{
    const struct ew_air_day *d = &s->days[i];
    struct ew_aqi_result r;
    char date[16], buf[64];
    int y, m, dd;

    ew_civil_from_days(j->ext_lo + (int64_t)i, &y, &m, &dd);
    snprintf(date, sizeof(date), "%04d-%02d-%02d", y, m, dd);
    put_head(j, s, "day", date);
    for (int k = 0; k < 7; k++) {
        int it = day_items[k];
        ew_airtab_num(j->tab, C_VAL + (size_t)k, ew_air_day_get(d, it), ew_air_item_decimals(it));
        ew_airtab_int(j->tab, C_N + (size_t)k, s->info[i].n_hours[it]);
    }
    if (ew_aqi_day(d, &r) == EW_OK) {
        ew_airtab_int(j->tab, C_AQI, r.aqi);
        ew_airtab_int(j->tab, C_LEVEL, r.level);
        ew_airtab_str(j->tab, C_CATEGORY, ew_aqi_class_of(r.aqi)->category_zh);
        ew_aircsv_items(r.primary, ';', buf, sizeof(buf));
        ew_airtab_str(j->tab, C_PRIMARY, buf);
    }
    return ew_airtab_row(j->tab);
}

static void
put_stats(const struct job *j, const struct ew_air_period *p)
{
    unsigned invalid = 0;
    char buf[64];

    for (int k = 0; k < 7; k++) {
        int it = day_items[k];
        const struct ew_air_stat *st = &p->item[it];
        ew_airtab_num(j->tab, C_VAL + (size_t)k, st->mean, ew_air_item_decimals(it));
        ew_airtab_int(j->tab, C_N + (size_t)k, st->n_days);
        if (k < 6)
            ew_airtab_num(j->tab, C_PCT + (size_t)k, st->pct, ew_air_item_decimals(it));
        if (k < 6 && !st->valid)
            invalid |= 1u << it;
    }
    ew_aircsv_items(invalid, ';', buf, sizeof(buf));
    ew_airtab_str(j->tab, C_INVALID, buf);
    ew_airtab_int(j->tab, C_DAYS_AQI, p->aqi_days);
    for (int l = 0; l < EW_AIR_NLEVELS; l++)
        ew_airtab_int(j->tab, C_LEVELS + (size_t)l, p->level_days[l]);
    ew_airtab_int(j->tab, C_GOOD, p->good_days);
    ew_airtab_num(j->tab, C_GOOD_PCT, p->good_share_pct, 1);
    ew_airtab_int(j->tab, C_HEAVY, p->heavy_days);
}

/* Change against the same period a year earlier, when it was computed. */
static void
put_yoy(const struct job *j, const struct scope *s, int k, int p)
{
    int prev = p - (k == 0 ? 12 : 1);
    struct ew_air_change c;

    if (prev < 0 || ew_air_period_compare(&s->per[k][p], &s->per[k][prev], &c) != EW_OK)
        return;
    ew_airtab_num(j->tab, C_CI_YOY, c.ci_pct, 1);
    ew_airtab_num(j->tab, C_PM25_YOY, c.mean_pct[EW_AIR_PM25], 1);
    ew_airtab_num(j->tab, C_GOOD_YOY, c.good_share_pp, 1);
}

static void
put_target(const struct job *j, const struct scope *s, int y)
{
    int64_t jan1 = ew_days_from_civil(y, 1, 1), last = ew_days_from_civil(y, 12, 31);
    int64_t asof = j->d1 < last ? j->d1 : last;
    struct ew_air_target_progress g;

    if (!j->has_target || ew_air_target_progress(&j->target, s->days + (jan1 - j->ext_lo),
                                                  (size_t)(asof - jan1 + 1), y, &g) != EW_OK)
        return;
    ew_airtab_str(j->tab, C_T_PM25, ew_air_target_status_name(g.pm25_status));
    ew_airtab_num(j->tab, C_T_PM25_YTD, g.pm25_ytd_ugm3, 1);
    ew_airtab_num(j->tab, C_T_PM25_NEED, g.pm25_needed_ugm3, 1);
    ew_airtab_str(j->tab, C_T_GOOD, ew_air_target_status_name(g.good_status));
    if (g.good_status != EW_TARGET_NONE)
        ew_airtab_int(j->tab, C_T_GOOD_NEED, g.good_days_needed);
    ew_airtab_str(j->tab, C_T_HEAVY, ew_air_target_status_name(g.heavy_status));
    if (g.heavy_days_left >= 0)
        ew_airtab_int(j->tab, C_T_HEAVY_LEFT, g.heavy_days_left);
}

/* Row of month (k = 0) or year (k = 1) number p. */
static int
period_row(const struct job *j, const struct scope *s, int k, int p)
{
    const struct ew_air_period *per = &s->per[k][p];
    char date[16];

    if (k == 0)
        snprintf(date, sizeof(date), "%04d-%02d", per->year, per->month);
    else
        snprintf(date, sizeof(date), "%04d", per->year);
    put_head(j, s, k == 0 ? "month" : "year", date);
    put_stats(j, per);
    if (s->ci_ok[k][p]) {
        ew_airtab_num(j->tab, C_CI, s->ci[k][p].sum, 2);
        ew_airtab_str(j->tab, C_CI_MAIN, ew_air_item_token(s->ci[k][p].main_item));
    }
    if (s->kind != SCOPE_CITY && s->rank_ci[k][p] > 0)
        ew_airtab_int(j->tab, C_RANK_CI, s->rank_ci[k][p]);
    if (s->kind != SCOPE_CITY && s->rank_pm[k][p] > 0)
        ew_airtab_int(j->tab, C_RANK_PM25, s->rank_pm[k][p]);
    put_yoy(j, s, k, p);
    if (k == 1)
        put_target(j, s, per->year);
    return ew_airtab_row(j->tab);
}

static int
write_scope(const struct job *j, const struct scope *s)
{
    int rc = EW_OK, y, m0, m1, d;

    for (size_t i = 0; (j->periods & PER_DAY) && rc == EW_OK && i < j->n_ext; i++) {
        int64_t day = j->ext_lo + (int64_t)i;
        if (day >= j->d0 && day <= j->d1)
            rc = day_row(j, s, i);
    }
    ew_civil_from_days(j->d0, &y, &m0, &d);
    ew_civil_from_days(j->d1, &y, &m1, &d);
    m1 += 12 * (j->y1 - j->y0);
    for (int p = m0 - 1; (j->periods & PER_MONTH) && rc == EW_OK && p < m1; p++)
        rc = period_row(j, s, 0, p);
    for (int p = 0; (j->periods & PER_YEAR) && rc == EW_OK && p <= j->y1 - j->y0; p++)
        rc = period_row(j, s, 1, p);
    return rc;
}

static int
write_output(struct job *j)
{
    size_t ncols = j->has_target ? C_COUNT : C_T_PM25;
    int rc = ew_airtab_create(stdout, j->json, col_names, ncols, &j->tab);

    for (size_t s = 0; rc == EW_OK && s < j->n_sc; s++)
        rc = write_scope(j, &j->sc[s]);
    if (ew_airtab_finish(j->tab) != EW_OK && rc == EW_OK)
        rc = EW_EIO;
    j->tab = NULL;
    return rc;
}

/* ---- options and lifetime ------------------------------------------------------------- */

static int
parse_list(const char *arg, const char *const *names, int n, int *mask)
{
    *mask = 0;
    for (int i = 0; i < n; i++)
        if (in_list(arg, names[i]))
            *mask |= 1 << i;
    /* Every element must be known: count the commas. */
    int elems = 1;
    for (const char *p = arg; *p; p++)
        elems += *p == ',';
    return __builtin_popcount((unsigned)*mask) == elems ? EW_OK : EW_EINVAL;
}

static int
parse_day(const char *s, int64_t *day)
{
    int64_t t;

    if (strlen(s) != 10 || ew_time_parse_iso(s, &t) != EW_OK)
        return EW_EINVAL;
    *day = floor_div(t + EW_CST_OFFSET_S, 86400);
    return EW_OK;
}

static int
parse_num_opt(const char *s, double *v)
{
    return ew_aircsv_num(s, v) == EW_OK && !isnan(*v) ? EW_OK : EW_EINVAL;
}

static int
option(struct job *j, int c, const char *arg)
{
    static const char *const periods[] = { "day", "month", "year" };
    static const char *const scopes[] = { "station", "county", "city" };
    double v;

    switch (c) {
    case 'f':
        j->json = strcmp(arg, "json") == 0;
        return j->json || strcmp(arg, "csv") == 0 ? EW_OK : EW_EINVAL;
    case 'e':
        j->time_is_end = 1;
        return EW_OK;
    case 'F':
        return parse_day(arg, &j->from);
    case 'T':
        return parse_day(arg, &j->to);
    case 'p':
        return parse_list(arg, periods, 3, &j->periods);
    case 's':
        return parse_list(arg, scopes, 3, &j->scopes);
    case 'c':
        j->controls = (char *)arg;
        return EW_OK;
    case 'P':
        j->has_target = 1;
        return parse_num_opt(arg, &j->target.pm25_ugm3);
    case 'G':
        j->has_target = 1;
        return parse_num_opt(arg, &j->target.good_share_pct);
    case 'H':
        j->has_target = 1;
        if (parse_num_opt(arg, &v) != EW_OK || v != floor(v) || v > 366)
            return EW_EINVAL;
        j->target.heavy_days_max = (int)v;
        return EW_OK;
    default:
        return EW_EINVAL;
    }
}

static void
job_free(struct job *j)
{
    for (size_t s = 0; s < j->n_sc; s++) {
        struct scope *x = &j->sc[s];
        free(x->members);
        free(x->days);
        free(x->info);
        for (int k = 0; k < 2; k++) {
            free(x->per[k]);
            free(x->ci[k]);
            free(x->ci_ok[k]);
            free(x->rank_ci[k]);
            free(x->rank_pm[k]);
        }
    }
    free(j->sc);
    for (size_t i = 0; i < j->n_st; i++) {
        free(j->st[i].name);
        free(j->st[i].county);
        free(j->st[i].hours);
        free(j->st[i].seen);
    }
    free(j->st);
    free(j->slot);
}

int
ew_cmd_air_stats(int argc, char **argv)
{
    static const struct option opts[] = {
        { "format", required_argument, NULL, 'f' }, { "time-is-end", no_argument, NULL, 'e' },
        { "from", required_argument, NULL, 'F' },   { "to", required_argument, NULL, 'T' },
        { "period", required_argument, NULL, 'p' }, { "scope", required_argument, NULL, 's' },
        { "control", required_argument, NULL, 'c' },
        { "target-pm25", required_argument, NULL, 'P' },
        { "target-good-pct", required_argument, NULL, 'G' },
        { "target-heavy-days", required_argument, NULL, 'H' },
        { "help", no_argument, NULL, 'h' },         { NULL, 0, NULL, 0 },
    };
    struct job j = { .periods = 7, .scopes = 7, .from = INT64_MIN, .to = INT64_MAX,
                     .day_min = INT64_MAX, .day_max = INT64_MIN,
                     .target = { NAN, NAN, -1 } };
    FILE *in = stdin;
    int c, rc;

    optind = 1;
    while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
        if (c == 'h') {
            usage(stdout);
            return 0;
        }
        if (option(&j, c, optarg) != EW_OK) {
            usage(stderr);
            return 2;
        }
    }
    if (argc - optind > 1) {
        usage(stderr);
        return 2;
    }
    if (optind < argc && strcmp(argv[optind], "-") != 0 &&
        (in = fopen(argv[optind], "r")) == NULL) {
        fprintf(stderr, "envwatch air-stats: cannot open %s\n", argv[optind]);
        return 1;
    }
    rc = read_input(&j, in);
    if (in != stdin)
        fclose(in);
    if (rc == EW_OK && (rc = compute(&j)) == EW_OK)
        rc = write_output(&j);
    if (rc == EW_ENOMEM || rc == EW_EIO)
        fprintf(stderr, "envwatch air-stats: %s\n", ew_strerror(rc));
    job_free(&j);
    return rc == EW_OK ? 0 : 1;
}
