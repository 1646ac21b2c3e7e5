/* SPDX-License-Identifier: MIT */
/*
 * Shared by the report tests: reading a built document back (a table by id, a cell by row
 * and column key, as printed) and storing AQI rows whose AQI is computed from their values
 * with the HJ 633 functions, as the daemon stores them. Header-only (static inline).
 */
#ifndef EW_TEST_REPORT_RFIX_H
#define EW_TEST_REPORT_RFIX_H

#include <math.h>
#include <string.h>

#include <envwatch/air.h>

#include "report/internal.h"
#include "unit/store/fixture.h"

/* The table (or key figures) of the document with this id; fails the test when absent. */
static inline const struct rp_table *
rf_table(const struct rp_doc *d, const char *id)
{
    for (size_t i = 0; i < d->nblocks; i++)
        if (d->blocks[i].table != NULL && strcmp(d->blocks[i].table->id, id) == 0)
            return d->blocks[i].table;
    fail_msg("no table '%s' in the document", id);
    return NULL;
}

static inline int
rf_has_table(const struct rp_doc *d, const char *id)
{
    for (size_t i = 0; i < d->nblocks; i++)
        if (d->blocks[i].table != NULL && strcmp(d->blocks[i].table->id, id) == 0)
            return 1;
    return 0;
}

static inline const struct rp_cell *
rf_cell(const struct rp_table *t, size_t row, const char *key)
{
    assert_true(row < t->nrows);
    for (size_t c = 0; c < t->ncols; c++)
        if (strcmp(t->cols[c].key, key) == 0)
            return &t->cells[row * t->ncols + c];
    fail_msg("no column '%s' in table '%s'", key, t->id);
    return NULL;
}

/* The cell as printed, in a static buffer (valid until the next call). */
static inline const char *
rf_text(const struct rp_table *t, size_t row, const char *key)
{
    static char out[RP_TEXT_MAX + 1];

    rp_cell_text(rf_cell(t, row, key), out, sizeof(out));
    return out;
}

/* Stores the row of one area and day (or hour) with values v and the AQI of them. */
static inline void
rf_put_row(struct ew_store *s, int scope, const char *name, const char *county, int period,
           int64_t t, const struct ew_air_day *v, int control)
{
    struct ew_air_row r;
    struct ew_aqi_result a;

    ew_air_row_init(&r);
    r.scope = scope;
    snprintf(r.name, sizeof(r.name), "%s", name);
    snprintf(r.county, sizeof(r.county), "%s", county);
    r.period = period;
    r.t_unix_s = t;
    r.control = control;
    r.stations = 1;
    for (int i = 0; i < EW_AIR_NITEMS; i++) {
        r.conc[i] = ew_air_day_get(v, i);
        r.n_valid[i] = isnan(r.conc[i]) ? 0 : 24;
    }
    if (ew_aqi_day(v, &a) == EW_OK)
        r.aqi = a;
    assert_int_equal(EW_OK, ew_store_air_put(s, &r));
}

/* A day with every item given (µg/m3, CO mg/m3). */
static inline struct ew_air_day
rf_day(double so2, double no2, double co, double o3_1h, double o3_8h, double pm10, double pm25)
{
    struct ew_air_day d;

    ew_air_day_clear(&d);
    d.so2_ugm3 = so2;
    d.no2_ugm3 = no2;
    d.co_mgm3 = co;
    d.o3_1h_ugm3 = o3_1h;
    d.o3_8h_ugm3 = o3_8h;
    d.pm10_ugm3 = pm10;
    d.pm25_ugm3 = pm25;
    return d;
}

#endif
