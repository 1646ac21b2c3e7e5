/* SPDX-License-Identifier: MIT */
/*
 * envwatch aqi: the AQI of every row of a CSV file, for analysts. Reads concentrations with
 * a header (a file or stdin), passes every input column through and adds the AQI, level,
 * category, primary and exceeding pollutants and the sub-indices (HJ 633-2012), as CSV or
 * JSON. The rules are in src/quality/aqi.c; this file only reads and writes.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <envwatch/air.h>
#include <envwatch/err.h>

#include "cli/cli.h"
#include "util/aircsv.h"
#include "util/csv.h"

#define MAX_ROW_BYTES (1 << 20)
#define MAX_FIELDS    1024

/* Recognised input columns per period, by item; NULL where the period has none. */
static const char *const hour_cols[EW_AIR_NITEMS][3] = {
    { "so2" }, { "no2" }, { "co" }, { "o3", "o3_1h" }, { NULL }, { "pm10" },
    { "pm25", "pm2.5", "pm2_5" },
};
static const char *const day_cols[EW_AIR_NITEMS][3] = {
    { "so2" }, { "no2" }, { "co" }, { "o3_1h" }, { "o3_8h" }, { "pm10" },
    { "pm25", "pm2.5", "pm2_5" },
};
/* Suffixes of the iaqi_<pollutant> output columns. */
static const char *const iaqi_suffix[EW_AIR_NITEMS] = {
    "so2", "no2", "co", NULL, "o3_8h", "pm10", "pm25",
};

struct aqi_job {
    int    day;                 /* 0: hourly (real-time) AQI, 1: daily AQI */
    int    col[EW_AIR_NITEMS];  /* input column of each item, -1 when absent */
    size_t n_in;                /* input columns */
    int    reported;            /* an error message was printed */
    struct ew_airtab *tab;
};

static void
usage(FILE *f)
{
    fprintf(f, "usage: envwatch aqi --period hour|day [--format csv|json] [FILE]\n"
               "  hour: columns so2,no2,co,o3,pm10,pm25 (1-hour means), the real-time AQI\n"
               "  day:  columns so2,no2,co,pm10,pm25,o3_8h,o3_1h (daily values), the daily AQI\n"
               "  ug/m3, CO in mg/m3; an empty cell is missing; other columns pass through.\n");
}

static int
n_names(const char *const names[3])
{
    int n = 0;

    while (n < 3 && names[n] != NULL)
        n++;
    return n;
}

/* Finds the pollutant columns of the header; fails on none or on duplicates. */
static int
map_header(struct aqi_job *j, char **f, size_t n)
{
    int found = 0;

    for (int i = 0; i < EW_AIR_NITEMS; i++) {
        const char *const *names = j->day ? day_cols[i] : hour_cols[i];
        size_t nn = (size_t)n_names(names);
        j->col[i] = nn > 0 ? ew_aircsv_col(f, n, names, nn) : -1;
        found += j->col[i] >= 0;
        for (size_t k = 0; j->col[i] >= 0 && k < n; k++) {
            if ((int)k == j->col[i] || ew_aircsv_col(&f[k], 1, names, nn) != 0)
                continue;
            fprintf(stderr, "envwatch aqi: column '%s' appears twice\n", f[k]);
            j->reported = 1;
            return EW_EFORMAT;
        }
    }
    if (found == 0) {
        fprintf(stderr, "envwatch aqi: no pollutant column in the header (expected %s)\n",
                j->day ? "so2,no2,co,pm10,pm25,o3_8h,o3_1h" : "so2,no2,co,o3,pm10,pm25");
        j->reported = 1;
        return EW_EFORMAT;
    }
    return EW_OK;
}

static const char *
out_suffix(const struct aqi_job *j, int item)
{
    if (item == EW_AIR_O3_1H)
        return j->day ? "o3_1h" : "o3";
    return iaqi_suffix[item];
}

/* Output columns: the input ones, then aqi, level, category, primary, iaqi_*, exceeding. */
static int
open_table(struct aqi_job *j, char **f, size_t n, int json)
{
    const char *names[MAX_FIELDS + 16];
    char iaqi_names[EW_AIR_NITEMS][24];
    size_t k = 0;

    for (size_t i = 0; i < n; i++)
        names[k++] = f[i];
    names[k++] = "aqi";
    names[k++] = "level";
    names[k++] = "category";
    names[k++] = "primary";
    for (int i = 0; i < EW_AIR_NITEMS; i++) {
        if ((j->day ? day_cols[i] : hour_cols[i])[0] == NULL)
            continue;
        snprintf(iaqi_names[i], sizeof(iaqi_names[i]), "iaqi_%s", out_suffix(j, i));
        names[k++] = iaqi_names[i];
    }
    names[k++] = "exceeding";
    j->n_in = n;
    return ew_airtab_create(stdout, json, names, k, &j->tab);
}

static int
compute(const struct aqi_job *j, const double v[EW_AIR_NITEMS], struct ew_aqi_result *r)
{
    if (j->day) {
        struct ew_air_day d;
        ew_air_day_clear(&d);
        for (int i = 0; i < EW_AIR_NITEMS; i++)
            ew_air_day_set(&d, i, v[i]);
        return ew_aqi_day(&d, r);
    }
    struct ew_air_hour h;
    ew_air_hour_clear(&h);
    for (int i = 0; i < EW_AIR_NITEMS; i++)
        ew_air_hour_set(&h, i, v[i]);
    return ew_aqi_hour(&h, r);
}

/* Writes the added cells of one row; has = 0 when no AQI could be computed. */
static void
put_result(const struct aqi_job *j, const struct ew_aqi_result *r, int has)
{
    size_t c = j->n_in;
    char buf[64];

    if (has) {
        ew_airtab_int(j->tab, c, r->aqi);
        ew_airtab_int(j->tab, c + 1, r->level);
        ew_airtab_str(j->tab, c + 2, ew_aqi_class_of(r->aqi)->category_zh);
        ew_aircsv_items(r->primary, ';', buf, sizeof(buf));
        ew_airtab_str(j->tab, c + 3, buf);
    }
    c += 4;
    for (int i = 0; i < EW_AIR_NITEMS; i++) {
        if ((j->day ? day_cols[i] : hour_cols[i])[0] == NULL)
            continue;
        if (has && r->iaqi[i] >= 0)
            ew_airtab_int(j->tab, c, r->iaqi[i]);
        c++;
    }
    if (has) {
        ew_aircsv_items(r->exceeding, ';', buf, sizeof(buf));
        ew_airtab_str(j->tab, c, buf);
    }
}

static int
is_pollutant_col(const struct aqi_job *j, size_t col)
{
    for (int i = 0; i < EW_AIR_NITEMS; i++)
        if (j->col[i] == (int)col)
            return 1;
    return 0;
}

static int
one_row(struct aqi_job *j, char **f, size_t n, size_t line, int json)
{
    double v[EW_AIR_NITEMS];
    struct ew_aqi_result r;
    int rc;

    if (n != j->n_in) {
        fprintf(stderr, "envwatch aqi: line %zu: %zu fields, the header has %zu\n", line, n,
                j->n_in);
        j->reported = 1;
        return EW_EFORMAT;
    }
    for (int i = 0; i < EW_AIR_NITEMS; i++) {
        v[i] = NAN;
        if (j->col[i] >= 0 && ew_aircsv_num(f[j->col[i]], &v[i]) != EW_OK) {
            fprintf(stderr, "envwatch aqi: line %zu: %s: '%s' is not a concentration\n", line,
                    ew_air_item_token(i), f[j->col[i]]);
            j->reported = 1;
            return EW_EFORMAT;
        }
    }
    rc = compute(j, v, &r);
    if (rc != EW_OK && rc != EW_ENODATA)
        return rc;
    /* Input cells pass through unchanged; in JSON the concentrations become numbers. */
    for (size_t i = 0; i < n; i++)
        if (!json || !is_pollutant_col(j, i))
            ew_airtab_str(j->tab, i, f[i]);
    for (int i = 0; json && i < EW_AIR_NITEMS; i++)
        if (j->col[i] >= 0)
            ew_airtab_numg(j->tab, (size_t)j->col[i], v[i]);
    put_result(j, &r, rc == EW_OK);
    return ew_airtab_row(j->tab);
}

static int
run(struct aqi_job *j, FILE *in, int json)
{
    struct ew_csv *csv;
    char **f;
    size_t n, line = 1;
    int rc;

    if ((rc = ew_csv_open(in, MAX_ROW_BYTES, MAX_FIELDS, &csv)) != EW_OK)
        return rc;
    rc = ew_csv_next(csv, &f, &n, &line);
    if (rc == EW_ENOTFOUND) {
        fprintf(stderr, "envwatch aqi: empty input (a header line is needed)\n");
        j->reported = 1;
    }
    if (rc == EW_OK && (rc = map_header(j, f, n)) == EW_OK)
        rc = open_table(j, f, n, json);
    while (rc == EW_OK && (rc = ew_csv_next(csv, &f, &n, &line)) == EW_OK)
        rc = one_row(j, f, n, line, json);
    if (rc == EW_ENOTFOUND && j->tab != NULL)
        rc = EW_OK;
    else if (rc != EW_OK && rc != EW_ENOTFOUND && !j->reported)
        fprintf(stderr, "envwatch aqi: after line %zu: %s\n", line, ew_strerror(rc));
    if (ew_airtab_finish(j->tab) != EW_OK && rc == EW_OK)
        rc = EW_EIO;
    ew_csv_close(csv);
    return rc;
}

int
ew_cmd_aqi(int argc, char **argv)
{
    static const struct option opts[] = {
        { "period", required_argument, NULL, 'p' },
        { "format", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct aqi_job j = { .day = -1 };
    int json = 0, c, rc;
    FILE *in = stdin;

    optind = 1;
    while ((c = getopt_long(argc, argv, "p:f:h", opts, NULL)) != -1) {
        if (c == 'p' && (strcmp(optarg, "hour") == 0 || strcmp(optarg, "day") == 0))
            j.day = strcmp(optarg, "day") == 0;
        else if (c == 'f' && (strcmp(optarg, "csv") == 0 || strcmp(optarg, "json") == 0))
            json = strcmp(optarg, "json") == 0;
        else if (c == 'h') {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (j.day < 0 || argc - optind > 1) {
        usage(stderr);
        return 2;
    }
    if (optind < argc && strcmp(argv[optind], "-") != 0 &&
        (in = fopen(argv[optind], "r")) == NULL) {
        fprintf(stderr, "envwatch aqi: cannot open %s\n", argv[optind]);
        return 1;
    }
    rc = run(&j, in, json);
    if (in != stdin)
        fclose(in);
    return rc == EW_OK ? 0 : 1;
}
