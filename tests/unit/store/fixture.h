/* SPDX-License-Identifier: MIT */
/*
 * Shared by the store tests: a fresh temporary data directory per test, removed afterwards,
 * and a few builders. Header-only (static inline) so each test executable stays one file.
 */
#ifndef EW_TEST_STORE_FIXTURE_H
#define EW_TEST_STORE_FIXTURE_H

#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <envwatch/err.h>
#include <envwatch/store.h>

#include "util/time.h"

struct fx {
    char dir[64];
    struct ew_store *s;                 /* writable handle on dir */
};

static inline int
fx_rm(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static inline int
fx_setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));

    if (f == NULL)
        return -1;
    snprintf(f->dir, sizeof(f->dir), "/tmp/ew-store-test-XXXXXX");
    if (mkdtemp(f->dir) == NULL ||
        ew_store_open(f->dir, EW_STORE_CREATE, &f->s) != EW_OK) {
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static inline int
fx_teardown(void **state)
{
    struct fx *f = *state;

    ew_store_close(f->s);
    nftw(f->dir, fx_rm, 8, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

/* CST civil time as Unix seconds, for readable test data. */
static inline int64_t
fx_t(int y, int mo, int d, int h, int mi)
{
    struct ew_civil c = { y, mo, d, h, mi, 0 };

    return ew_civil_to_unix(&c);
}

static inline struct ew_point
fx_point(const char *mn, const char *kind)
{
    struct ew_point p;

    ew_point_init(&p);
    snprintf(p.mn, sizeof(p.mn), "%s", mn);
    snprintf(p.pw, sizeof(p.pw), "123456");
    snprintf(p.name, sizeof(p.name), "point %s", mn);
    snprintf(p.kind, sizeof(p.kind), "%s", kind);
    return p;
}

/* Registers a point and returns its id (0 on failure, which the caller asserts). */
static inline int64_t
fx_add_point(struct ew_store *s, const char *mn)
{
    struct ew_point p = fx_point(mn, "air");

    return ew_store_point_put(s, &p) == EW_OK ? p.id : 0;
}

static inline struct ew_reading
fx_reading(int64_t point_id, int kind, int64_t t, const char *factor, double value)
{
    struct ew_reading r = { .point_id = point_id, .kind = kind, .t_unix_s = t, .value = value,
                            .min = NAN, .max = NAN, .cou = NAN, .zs = NAN };

    snprintf(r.factor, sizeof(r.factor), "%s", factor);
    return r;
}

#endif
