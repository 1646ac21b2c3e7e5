/* SPDX-License-Identifier: MIT */
/*
 * src/ingest/sim*.c: the simulator's registry, value model, CP layout and the datalogger state
 * machine (uploads, re-sends, answers to platform requests), driven without sockets. The
 * socket side is covered by tests/integration/test_simulate.py.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <envwatch/err.h>
#include <hj212/hj212.h>

#include "ingest/sim.h"
#include "util/csv.h"
#include "util/time.h"

#define MAXF 64

/* ---- helpers -------------------------------------------------------------------------------- */

struct frames {
    size_t n;
    struct hj212_pkt p[MAXF];
};

/* Cuts a buffer of back-to-back frames (as the device writes them) and parses each; every
 * frame must be exact: length and CRC right, no warnings, segment within 1024 bytes. */
static void
split_frames(const char *buf, size_t len, struct frames *f)
{
    size_t at = 0;

    f->n = 0;
    while (at < len) {
        unsigned seg;
        struct hj212_pkt *p = &f->p[f->n];

        assert_true(f->n < MAXF);
        assert_true(len - at >= HJ212_FRAME_OVERHEAD);
        assert_memory_equal("##", buf + at, 2);
        assert_int_equal(1, sscanf(buf + at + 2, "%4u", &seg));
        assert_true(seg <= HJ212_SEG_STD_MAX);
        assert_int_equal(HJ212_OK, hj212_pkt_parse(buf + at, seg + HJ212_FRAME_OVERHEAD, p));
        assert_true(p->crc_ok);
        assert_true(p->length_ok);
        assert_int_equal(0, p->warnings);
        at += seg + HJ212_FRAME_OVERHEAD;
        f->n++;
    }
}

static int
is(struct hj212_str s, const char *z)
{
    return s.ptr != NULL && s.len == strlen(z) && memcmp(s.ptr, z, s.len) == 0;
}

/* The CP value of key as a NUL-terminated string in buf, or NULL when absent. */
static const char *
cpv(const struct hj212_pkt *p, const char *key, char *buf, size_t cap)
{
    struct hj212_str v;

    if (!hj212_cp_get(p->cp, key, &v) || v.len >= cap)
        return NULL;
    memcpy(buf, v.ptr, v.len);
    buf[v.len] = '\0';
    return buf;
}

static double
cpd(const struct hj212_pkt *p, const char *key)
{
    char b[64];
    const char *s = cpv(p, key, b, sizeof(b));

    assert_non_null(s);
    return strtod(s, NULL);
}

static int64_t
cst(const char *iso)
{
    int64_t t = 0;

    assert_int_equal(EW_OK, ew_time_parse_iso(iso, &t));
    return t;
}

static struct ew_sim_point *
invented(size_t n, uint64_t seed)
{
    struct ew_sim_point *p = NULL;

    assert_int_equal(EW_OK, ew_sim_points_invent(n, &p));
    for (size_t i = 0; i < n; i++)
        ew_sim_point_seal(&p[i], seed);
    return p;
}

/* Invented points cycle through this pattern: index 0 air, 1 coal-power stack, 2 coking
 * wastewater, 4 surface water, 6 sewage, 9 aluminium stack. */
enum { I_AIR = 0, I_POWER = 1, I_WASTE = 2, I_WATER = 4, I_SEWAGE = 6, I_ALU = 9 };

static const char *
src_path(char *buf, size_t cap, const char *rel)
{
    const char *root = getenv("EW_SRC");

    snprintf(buf, cap, "%s/%s", root ? root : ".", rel);
    return buf;
}

/* ---- registry ------------------------------------------------------------------------------- */

static void
yangquan_registry_loads_with_every_kind(void **state)
{
    struct ew_sim_point *p = NULL;
    size_t n = 0, line = 0, kinds[EW_SIM_KIND_COUNT] = { 0 };
    char path[512], msg[160];

    (void)state;
    assert_int_equal(EW_OK, ew_sim_registry_load(src_path(path, sizeof(path),
                                                          "data/yangquan-points.csv"),
                                                 0, &p, &n, &line, msg, sizeof(msg)));
    for (size_t i = 0; i < n; i++) {
        kinds[p[i].kind]++;
        assert_int_equal(24, strlen(p[i].mn));            /* EPC-96 hex, HJ 212-2017 6.3 */
        assert_int_equal(24, strspn(p[i].mn, "0123456789ABCDEF"));
        assert_int_equal(6, strlen(p[i].pw));
        assert_string_equal(ew_sim_kind_st(p[i].kind), p[i].st);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(p[i].mn, p[j].mn);
    }
    assert_int_equal(6, kinds[EW_SIM_AIR]);
    assert_true(kinds[EW_SIM_WATER] >= 3);
    assert_true(kinds[EW_SIM_FLUE] >= 15);
    assert_true(kinds[EW_SIM_WASTEWATER] >= 2);
    assert_int_equal(2, kinds[EW_SIM_SEWAGE]);
    free(p);
}

/* The limits of the registry rows follow reference/standards.md 3.1 and 2 for each industry. */
static void
yangquan_limits_follow_the_standards(void **state)
{
    static const struct {
        enum ew_sim_kind kind;
        enum ew_sim_industry ind;
        double l0, l1, l2, o2;      /* SO2/NOx/dust (flue) or COD/NH3-N/TP (water) */
    } want[] = {
        { EW_SIM_FLUE, EW_SIM_IND_POWER, 35, 50, 10, 6 },      /* ultra-low */
        { EW_SIM_FLUE, EW_SIM_IND_CEMENT, 100, 320, 20, 10 },  /* GB 4915 special */
        { EW_SIM_FLUE, EW_SIM_IND_BOILER, 200, 200, 30, 9 },   /* GB 13271 special, in use */
        { EW_SIM_SEWAGE, EW_SIM_IND_SEWAGE, 50, 5, 0.5, 0 },   /* GB 18918 1A */
    };
    struct ew_sim_point *p = NULL;
    size_t n = 0, line = 0, seen[EW_ARRAY_LEN(want)] = { 0 };
    char path[512], msg[160];

    (void)state;
    assert_int_equal(EW_OK, ew_sim_registry_load(src_path(path, sizeof(path),
                                                          "data/yangquan-points.csv"),
                                                 0, &p, &n, &line, msg, sizeof(msg)));
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < EW_ARRAY_LEN(want); k++) {
            if (p[i].kind != want[k].kind || p[i].industry != want[k].ind)
                continue;
            seen[k]++;
            assert_float_equal(want[k].l0, p[i].limit[0], 1e-9);
            assert_float_equal(want[k].l1, p[i].limit[1], 1e-9);
            assert_float_equal(want[k].l2, p[i].limit[2], 1e-9);
            assert_float_equal(want[k].o2, p[i].o2_ref_pct, 1e-9);
        }
    for (size_t k = 0; k < EW_ARRAY_LEN(want); k++)
        assert_true(seen[k] > 0);
    free(p);
}

/* The six national stations carry the names and coordinates of the CNEMC station list. */
static void
yangquan_air_stations_match_cnemc_list(void **state)
{
    static const char *const codes[] = { "1738A", "1739A", "1740A", "1741A", "1742A", "1743A" };
    const char *shared = getenv("EW_SHARED");
    char path[512], ref[6][3][32] = { { { 0 } } }, **f;
    size_t nf, line, found = 0;
    FILE *in;
    struct ew_csv *csv;

    (void)state;
    if (shared == NULL)
        skip();
    snprintf(path, sizeof(path), "%s/data/cnemc/station_list.csv", shared);
    in = fopen(path, "rb");
    assert_non_null(in);
    assert_int_equal(EW_OK, ew_csv_open(in, 4096, 16, &csv));
    while (ew_csv_next(csv, &f, &nf, &line) == EW_OK)
        for (size_t k = 0; k < 6 && nf >= 5; k++)
            if (strcmp(f[0], codes[k]) == 0) {
                snprintf(ref[k][0], 32, "%s", f[1]);   /* name, lon, lat */
                snprintf(ref[k][1], 32, "%s", f[3]);
                snprintf(ref[k][2], 32, "%s", f[4]);
            }
    ew_csv_close(csv);
    fclose(in);
    in = fopen(src_path(path, sizeof(path), "data/yangquan-points.csv"), "rb");
    assert_non_null(in);
    assert_int_equal(EW_OK, ew_csv_open(in, 65536, 64, &csv));
    assert_int_equal(EW_OK, ew_csv_next(csv, &f, &nf, &line));
    assert_string_equal("mn", f[0]);                    /* mn,pw,name,kind,site,county,lat,lon */
    assert_string_equal("lat", f[6]);
    assert_string_equal("code", f[15]);
    while (ew_csv_next(csv, &f, &nf, &line) == EW_OK)
        for (size_t k = 0; k < 6 && nf > 15; k++)
            if (strcmp(f[15], codes[k]) == 0) {
                found++;
                assert_string_equal("air", f[3]);
                assert_string_equal(ref[k][0], f[2]);
                assert_float_equal(strtod(ref[k][1], NULL), strtod(f[7], NULL), 1e-6);
                assert_float_equal(strtod(ref[k][2], NULL), strtod(f[6], NULL), 1e-6);
                assert_non_null(strstr(f[0], codes[k]));   /* the code is in the MN serial */
            }
    ew_csv_close(csv);
    fclose(in);
    assert_int_equal(6, found);
}

static const char *
write_tmp(const char *text, char path[64])
{
    int fd;

    snprintf(path, 64, "/tmp/ew_sim_test_XXXXXX");
    fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal((ssize_t)strlen(text), write(fd, text, strlen(text)));
    close(fd);
    return path;
}

static void
bad_registry_rows_are_refused_with_their_line(void **state)
{
    static const struct {
        const char *csv;
        size_t line;
        const char *why;
    } cases[] = {
        { "mn,pw,kind\nA1,123456,air\nA2,123456,volcano\n", 3, "unknown kind" },
        { "mn,pw,kind,factors\nA1,123456,flue,a21026;w01018\n", 2, "not simulated" },
        { "mn,pw,kind,factors\nA1,123456,flue,a21026;a21026\n", 2, "duplicate factor" },
        { "mn,pw,kind,limits\nA1,123456,flue,a21026=abc\n", 2, "bad limit" },
        { "mn,pw,kind,limits\nA1,123456,flue,a21026=-5\n", 2, "bad limit" },
        { "mn,pw,kind,limits\nA1,123456,flue,a21026\n", 2, "without '='" },
        { "mn,pw,kind\nA;1,123456,air\n", 2, "bad mn" },
        { "mn,pw,kind\nA1,,air\n", 2, "bad pw" },
        { "mn,pw,kind,target_class\nA1,123456,water,VI\n", 2, "target_class" },
        { "mn,pw,kind,o2_ref\nA1,123456,flue,21\n", 2, "o2_ref" },
        { "mn,pw,kind,st\nA1,123456,flue,3x\n", 2, "bad st" },
        { "mn,pw,kind,industry\nA1,123456,flue,bakery\n", 2, "industry" },
        { "mn,kind\nA1,air\n", 1, "header" },
        { "mn,pw,kind\n", 0, "no points" },
        { "mn,pw,kind\nA1,123456,air\n\"A2,123456,air\n", 3, "malformed" },
    };
    char path[64], msg[160];
    struct ew_sim_point dummy;

    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(cases); i++) {
        struct ew_sim_point *p = &dummy;
        size_t n = 77, line = 0;

        write_tmp(cases[i].csv, path);
        msg[0] = '\0';
        assert_int_equal(EW_EFORMAT, ew_sim_registry_load(path, 0, &p, &n, &line, msg,
                                                          sizeof(msg)));
        unlink(path);
        if (strstr(msg, cases[i].why) == NULL)
            fail_msg("case %zu: message '%s' lacks '%s'", i, msg, cases[i].why);
        if (cases[i].line != line)
            fail_msg("case %zu: line %zu, want %zu", i, line, cases[i].line);
        assert_ptr_equal(&dummy, p);                /* out-params untouched on error */
        assert_int_equal(77, n);
    }
}

static void
duplicate_mn_and_missing_file_are_errors(void **state)
{
    char path[64], msg[160];
    struct ew_sim_point *p = NULL;
    size_t n = 0, line = 0;

    (void)state;
    write_tmp("mn,pw,kind\nA1,123456,air\nB2,123456,flue\nA1,654321,water\n", path);
    assert_int_equal(EW_EFORMAT, ew_sim_registry_load(path, 0, &p, &n, &line, msg, sizeof(msg)));
    assert_non_null(strstr(msg, "duplicate mn 'A1'"));
    /* max keeps the first rows only, before the duplicate */
    assert_int_equal(EW_OK, ew_sim_registry_load(path, 2, &p, &n, &line, msg, sizeof(msg)));
    assert_int_equal(2, n);
    assert_int_equal(EW_SIM_FLUE, p[1].kind);
    free(p);
    unlink(path);
    assert_int_equal(EW_EIO, ew_sim_registry_load("/nonexistent/x.csv", 0, &p, &n, &line, msg,
                                                  sizeof(msg)));
}

static void
written_registry_reads_back_the_same(void **state)
{
    struct ew_sim_point *a = invented(23, 1), *b = NULL;
    struct ew_buf buf;
    char path[64], msg[160];
    size_t n = 0, line = 0;

    (void)state;
    ew_buf_init(&buf, 0);
    assert_int_equal(EW_OK, ew_sim_registry_write(a, 23, &buf));
    write_tmp(buf.ptr, path);
    assert_int_equal(EW_OK, ew_sim_registry_load(path, 0, &b, &n, &line, msg, sizeof(msg)));
    assert_int_equal(23, n);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(a[i].mn, b[i].mn);
        assert_string_equal(a[i].pw, b[i].pw);
        assert_int_equal(a[i].kind, b[i].kind);
        assert_int_equal(a[i].industry, b[i].industry);
        assert_int_equal(a[i].nfactors, b[i].nfactors);
        assert_memory_equal(a[i].limit, b[i].limit, sizeof(a[i].limit));
        assert_float_equal(a[i].o2_ref_pct, b[i].o2_ref_pct, 1e-12);
    }
    unlink(path);
    ew_buf_fini(&buf);
    free(a);
    free(b);
}

/* ---- model ---------------------------------------------------------------------------------- */

/* reference/standards.md 4.3, worked examples C1-C3 of the reference-O2 conversion. */
static void
o2_conversion_follows_worked_examples(void **state)
{
    static const struct {
        double conc, o2, ref, want;
    } cases[] = {
        { 28, 9.5, 6, 36.52 },      /* C1: coal unit, SO2 */
        { 180, 12, 9, 240.0 },      /* C2: GB 13271 coal boiler, NOx */
        { 300, 12, 10, 366.67 },    /* C3: cement kiln, NOx (printed rounded: 366.7) */
        { 50, 6, 6, 50.0 },         /* at the reference O2 nothing changes */
    };

    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(cases); i++)
        assert_float_equal(cases[i].want, ew_sim_o2_convert(cases[i].conc, cases[i].o2,
                                                            cases[i].ref), 0.01);
}

static void
values_depend_only_on_seed_point_and_time(void **state)
{
    struct ew_sim_point *a = invented(10, 42), *b = invented(10, 42), *c = invented(10, 43);
    double va[EW_SIM_MAX_FACTORS], vb[EW_SIM_MAX_FACTORS], vc[EW_SIM_MAX_FACTORS];
    double za[EW_SIM_MAX_FACTORS], zb[EW_SIM_MAX_FACTORS], zc[EW_SIM_MAX_FACTORS];
    int64_t t = cst("2019-01-15T10:00:00");
    size_t differ = 0;

    (void)state;
    for (size_t i = 0; i < 10; i++) {
        ew_sim_sample(&a[i], t, va, za);
        ew_sim_sample(&b[i], t, vb, zb);
        ew_sim_sample(&c[i], t, vc, zc);
        assert_memory_equal(va, vb, sizeof(va));
        assert_memory_equal(za, zb, sizeof(za));
        differ += memcmp(va, vc, sizeof(va)) != 0;
    }
    assert_int_equal(10, differ);                   /* another seed, other values */
    free(a);
    free(b);
    free(c);
}

/* Mean of one factor's hourly means over n_days from iso. */
static double
mean_hourly(const struct ew_sim_point *p, int fi, const char *iso, int n_days, int zs)
{
    struct ew_sim_agg agg[EW_SIM_MAX_FACTORS];
    int64_t t0 = cst(iso);
    double sum = 0;

    for (int h = 0; h < 24 * n_days; h++) {
        assert_int_equal(EW_OK, ew_sim_aggregate(p, t0 + 3600 * h, 3600, agg));
        assert_true(agg[fi].min <= agg[fi].avg && agg[fi].avg <= agg[fi].max);
        sum += zs ? agg[fi].zavg : agg[fi].avg;
    }
    return sum / (24.0 * n_days);
}

/* Yangquan winter PM2.5 about 60-150 ug/m3 and summer ozone high (2019 CNEMC data, brief). */
static void
air_levels_follow_the_seasons(void **state)
{
    struct ew_sim_point *p = invented(1, 5);
    double pm25_jan = mean_hourly(p, 5, "2019-01-01T00:00", 31, 0);
    double pm25_jul = mean_hourly(p, 5, "2019-07-01T00:00", 31, 0);
    double o3_jan = mean_hourly(p, 3, "2019-01-01T00:00", 31, 0);
    double o3_jun = mean_hourly(p, 3, "2019-06-01T00:00", 30, 0);
    double t_jan = mean_hourly(p, 6, "2019-01-01T00:00", 31, 0);
    double t_jul = mean_hourly(p, 6, "2019-07-01T00:00", 31, 0);

    (void)state;
    assert_true(pm25_jan >= 60 && pm25_jan <= 150);
    assert_true(pm25_jul < pm25_jan / 2);
    assert_true(o3_jun > 3 * o3_jan);
    assert_true(t_jan < 0 && t_jul > 20);
    free(p);
}

static void
pm10_never_reads_below_pm25(void **state)
{
    struct ew_sim_point *p = invented(9, 3);
    double v[EW_SIM_MAX_FACTORS], zs[EW_SIM_MAX_FACTORS];
    int64_t t0 = cst("2019-03-01T00:00");

    (void)state;
    for (int k = 0; k < 2000; k++) {
        ew_sim_sample(&p[I_AIR], t0 + 631 * k, v, zs);
        assert_true(v[4] >= v[5]);
        assert_true(v[10] >= 0 && v[10] < 360);
        ew_sim_sample(&p[8], t0 + 631 * k, v, zs);       /* the second air point */
        assert_true(v[4] >= v[5]);
    }
    free(p);
}

/* Stacks run near but mostly under their limits, judged on hourly converted means (4.3). */
static void
stacks_are_mostly_under_their_limits(void **state)
{
    struct ew_sim_point *p = NULL;
    size_t n = 0, line = 0, stacks = 0;
    char path[512], msg[160];
    int64_t t0 = cst("2019-01-07T00:00");

    (void)state;
    assert_int_equal(EW_OK, ew_sim_registry_load(src_path(path, sizeof(path),
                                                          "data/yangquan-points.csv"),
                                                 0, &p, &n, &line, msg, sizeof(msg)));
    for (size_t i = 0; i < n; i++) {
        if (p[i].kind != EW_SIM_FLUE)
            continue;
        ew_sim_point_seal(&p[i], 1);
        stacks++;
        for (int fi = 0; fi < 3; fi++) {
            struct ew_sim_agg agg[EW_SIM_MAX_FACTORS];
            double sum = 0;
            int over = 0;

            if (p[i].limit[fi] <= 0)
                continue;
            for (int h = 0; h < 24 * 7; h++) {
                assert_int_equal(EW_OK, ew_sim_aggregate(&p[i], t0 + 3600 * h, 3600, agg));
                over += agg[fi].zavg > p[i].limit[fi];
                sum += agg[fi].zavg;
            }
            assert_true(over <= 24 * 7 / 10);
            assert_true(sum / (24 * 7) > 0.3 * p[i].limit[fi]);
            assert_true(sum / (24 * 7) < p[i].limit[fi]);
        }
    }
    assert_true(stacks >= 15);
    free(p);
}

static void
exceed_scenario_holds_the_multiple_for_its_hours(void **state)
{
    struct ew_sim_point *p = invented(2, 9);
    struct ew_sim_agg agg[EW_SIM_MAX_FACTORS];
    int64_t from = cst("2019-01-15T10:00");

    (void)state;
    p[I_POWER].exceed_factor = 0;                   /* SO2 at 3x its limit for two hours */
    p[I_POWER].exceed_multiple = 3;
    p[I_POWER].exceed_from_s = from;
    p[I_POWER].exceed_to_s = from + 2 * 3600;
    for (int h = -1; h < 4; h++) {
        assert_int_equal(EW_OK, ew_sim_aggregate(&p[I_POWER], from + 3600 * h, 3600, agg));
        if (h == 0 || h == 1)
            assert_float_equal(105.0, agg[0].zavg, 105.0 * 0.03);
        else
            assert_true(agg[0].zavg < 35.0);
        assert_true(agg[1].zavg < 50.0);            /* NOx is not affected */
    }
    free(p);
}

/* Totals of a period equal the sum of the totals of its parts (2017 Appendix D sums). */
static void
totals_add_up_across_periods(void **state)
{
    struct ew_sim_point *p = invented(10, 4);
    static const int who[] = { I_POWER, I_WASTE, I_SEWAGE, I_ALU };
    int64_t day = cst("2019-05-20T00:00");

    (void)state;
    for (size_t w = 0; w < EW_ARRAY_LEN(who); w++) {
        struct ew_sim_agg d[EW_SIM_MAX_FACTORS], h[EW_SIM_MAX_FACTORS], m[EW_SIM_MAX_FACTORS];
        double hours[EW_SIM_MAX_FACTORS] = { 0 }, mins[EW_SIM_MAX_FACTORS] = { 0 };
        const struct ew_sim_point *pt = &p[who[w]];

        assert_int_equal(EW_OK, ew_sim_aggregate(pt, day, 86400, d));
        for (int k = 0; k < 24; k++) {
            assert_int_equal(EW_OK, ew_sim_aggregate(pt, day + 3600 * k, 3600, h));
            for (size_t i = 0; i < pt->nfactors; i++)
                hours[i] += h[i].cou;
        }
        for (int k = 0; k < 6; k++) {
            assert_int_equal(EW_OK, ew_sim_aggregate(pt, day + 600 * k, 600, m));
            for (size_t i = 0; i < pt->nfactors; i++)
                mins[i] += m[i].cou;
        }
        assert_int_equal(EW_OK, ew_sim_aggregate(pt, day, 3600, h));
        for (size_t i = 0; i < pt->nfactors; i++) {
            assert_float_equal(d[i].cou, hours[i], 1e-9 * (1 + d[i].cou));
            assert_float_equal(h[i].cou, mins[i], 1e-9 * (1 + h[i].cou));
        }
        assert_true(d[0].cou > 0);                  /* a pollutant was emitted */
    }
    assert_int_equal(EW_EINVAL, ew_sim_aggregate(&p[0], day, 90, NULL));
    free(p);
}

/* Sewage NH3-N is highest in winter (cold water slows nitrification); surface water meets
 * its class on most hours; pH stays within 6-9. */
static void
water_levels_are_plausible(void **state)
{
    struct ew_sim_point *p = invented(7, 11);
    double nh3_jan = mean_hourly(&p[I_SEWAGE], 1, "2019-01-01T00:00", 10, 0);
    double nh3_aug = mean_hourly(&p[I_SEWAGE], 1, "2019-08-01T00:00", 10, 0);
    double tp = mean_hourly(&p[I_WATER], 3, "2019-04-01T00:00", 10, 0);
    double ph = mean_hourly(&p[I_WATER], 4, "2019-04-01T00:00", 10, 0);
    double dox = mean_hourly(&p[I_WATER], 0, "2019-08-01T00:00", 10, 0);

    (void)state;
    assert_true(nh3_jan > nh3_aug * 1.2);
    assert_true(nh3_jan < 8.0);                     /* GB 18918 1A at <= 12 degC water */
    assert_true(tp < 0.2);                          /* class III river TP */
    assert_true(ph > 6.0 && ph < 9.0);
    assert_true(dox >= 5.0);                        /* class III: DO >= 5 */
    free(p);
}

/* ---- CP layout ------------------------------------------------------------------------------ */

static void
parse_cp(const char *text, struct hj212_pkt *p)
{
    memset(p, 0, sizeof(*p));
    p->cp = (struct hj212_str){ text, strlen(text) };
}

/* Every factor of every kind appears with -Rtd and -Flag=N; stacks with a reference O2 add
 * ZsRtd, which follows the formula from the printed (rounded) values. */
static void
realtime_cp_has_every_factor(void **state)
{
    struct ew_sim_point *p = invented(10, 8);
    int64_t t = cst("2019-01-15T10:00:30");

    (void)state;
    for (size_t i = 0; i < 10; i++) {
        size_t n;
        const struct ew_sim_factor *f = ew_sim_kind_factors(p[i].kind, &n);
        struct ew_buf b;
        struct hj212_pkt cp;
        char key[32], v[64];

        ew_buf_init(&b, 0);
        assert_int_equal(EW_OK, ew_sim_cp_rtd(&p[i], t, &b));
        parse_cp(b.ptr, &cp);
        assert_string_equal("20190115100030", cpv(&cp, "DataTime", v, sizeof(v)));
        assert_int_equal(n, p[i].nfactors);
        for (size_t k = 0; k < n; k++) {
            int zs = p[i].kind == EW_SIM_FLUE && p[i].o2_ref_pct > 0 && k < 3;

            snprintf(key, sizeof(key), "%s-Rtd", f[k].code);
            assert_non_null(cpv(&cp, key, v, sizeof(v)));
            snprintf(key, sizeof(key), "%s-Flag", f[k].code);
            assert_string_equal("N", cpv(&cp, key, v, sizeof(v)));
            snprintf(key, sizeof(key), "%s-ZsRtd", f[k].code);
            assert_int_equal(zs, cpv(&cp, key, v, sizeof(v)) != NULL);
            if (zs) {
                double c = cpd(&cp, key), o2 = cpd(&cp, "a19001-Rtd");

                snprintf(key, sizeof(key), "%s-Rtd", f[k].code);
                assert_float_equal(ew_sim_o2_convert(cpd(&cp, key), o2, p[i].o2_ref_pct), c,
                                   0.01 + 0.002 * c);
            }
        }
        ew_buf_fini(&b);
    }
    free(p);
}

/* Hour records: Cou, Min, Avg, Max (and Zs) per factor, DataTime = start of the hour. */
static void
hour_cp_carries_period_statistics(void **state)
{
    struct ew_sim_point *p = invented(10, 8);
    int64_t t = cst("2019-01-15T10:00");
    struct ew_buf b;
    struct hj212_pkt cp;
    char v[64];

    (void)state;
    ew_buf_init(&b, 0);
    assert_int_equal(EW_OK, ew_sim_cp_period(&p[I_POWER], t, 3600, &b));
    parse_cp(b.ptr, &cp);
    assert_string_equal("20190115100000", cpv(&cp, "DataTime", v, sizeof(v)));
    assert_true(cpd(&cp, "a21026-Min") <= cpd(&cp, "a21026-Avg"));
    assert_true(cpd(&cp, "a21026-Avg") <= cpd(&cp, "a21026-Max"));
    assert_true(cpd(&cp, "a21026-ZsAvg") > 0);
    assert_true(cpd(&cp, "a21026-Cou") > 0);
    assert_true(cpd(&cp, "a00000-Cou") > 3600 * 100);   /* m3 in an hour of a power stack */
    assert_null(cpv(&cp, "a19001-Cou", v, sizeof(v)));  /* O2 has no total */
    assert_null(cpv(&cp, "a19001-ZsAvg", v, sizeof(v)));
    /* the standard's order within a factor: Cou first (C.48), Flag last */
    assert_non_null(strstr(b.ptr, ";a21026-Cou="));
    assert_non_null(strstr(b.ptr, ",a21026-Flag=N;a21002-Cou="));
    ew_buf_reset(&b);
    assert_int_equal(EW_OK, ew_sim_cp_period(&p[I_ALU], t, 3600, &b));
    assert_null(strstr(b.ptr, "Zs"));               /* measured values, no conversion */
    ew_buf_fini(&b);
    free(p);
}

/* HJ/T 212-2005 points print the 2005 codes (reference/hj212.md 6.4) and pressure in MPa. */
static void
version2005_points_use_2005_codes(void **state)
{
    struct ew_sim_point *p = invented(3, 8);
    int64_t t = cst("2019-01-15T10:00:30");
    struct ew_buf b;
    struct hj212_pkt cp;
    char v[64];

    (void)state;
    p[I_POWER].v2005 = 1;
    p[I_WASTE].v2005 = 1;
    ew_buf_init(&b, 0);
    assert_int_equal(EW_OK, ew_sim_cp_rtd(&p[I_POWER], t, &b));
    parse_cp(b.ptr, &cp);
    assert_non_null(cpv(&cp, "02-Rtd", v, sizeof(v)));  /* SO2 */
    assert_non_null(cpv(&cp, "03-Rtd", v, sizeof(v)));  /* NOx */
    assert_non_null(cpv(&cp, "01-Rtd", v, sizeof(v)));  /* dust */
    assert_non_null(cpv(&cp, "S01-Rtd", v, sizeof(v))); /* O2 */
    assert_non_null(cpv(&cp, "B02-Rtd", v, sizeof(v))); /* flow */
    assert_true(fabs(cpd(&cp, "S08-Rtd")) < 0.001);     /* about -0.25 kPa = -0.00025 MPa */
    assert_null(strstr(b.ptr, "a21026"));
    ew_buf_reset(&b);
    assert_int_equal(EW_OK, ew_sim_cp_rtd(&p[I_WASTE], t, &b));
    parse_cp(b.ptr, &cp);
    assert_non_null(cpv(&cp, "011-Rtd", v, sizeof(v))); /* COD */
    assert_non_null(cpv(&cp, "060-Rtd", v, sizeof(v))); /* NH3-N */
    assert_non_null(cpv(&cp, "B01-Rtd", v, sizeof(v))); /* flow */
    ew_buf_fini(&b);
    free(p);
}

/* ---- device --------------------------------------------------------------------------------- */

struct rig {
    struct ew_sim_point *pts, *pt;
    struct ew_sim_dev d;
    int64_t base, now;              /* simulated base clock and real clock, ms */
    struct ew_buf out;
    struct frames f;
    int dead;
    int qn_seq;
    char req_qn[24];
};

#define T0 "2019-01-15T10:00:05"

static void
rig_start(struct rig *r, size_t idx, const struct ew_sim_opts *o)
{
    struct ew_sim_opts def;

    ew_sim_opts_defaults(&def);
    def.start_ms = cst(T0) * 1000;
    r->pt = &r->pts[idx];
    r->base = def.start_ms;
    r->now = 1000;
    assert_int_equal(EW_OK, ew_sim_dev_init(&r->d, r->pt, o ? o : &def, r->base));
    ew_sim_dev_link_up(&r->d);
    ew_buf_init(&r->out, 0);
}

static void
rig_stop(struct rig *r)
{
    ew_sim_dev_fini(&r->d);
    ew_buf_fini(&r->out);
    free(r->pts);
}

/* Moves the simulated clock to base_ms in 5 s steps, as the runner's timers do (a step of
 * more than 24 intervals counts as a clock jump, after which only the latest record is made). */
static void
rig_run_to(struct rig *r, int64_t base_ms, uint64_t *budget)
{
    while (r->base < base_ms) {
        r->base = r->base + 5000 < base_ms ? r->base + 5000 : base_ms;
        assert_int_equal(EW_OK, ew_sim_dev_advance(&r->d, r->base, budget));
    }
}

/* Collects what the device sends now into r->f. */
static size_t
rig_out(struct rig *r)
{
    ew_buf_reset(&r->out);
    assert_int_equal(EW_OK, ew_sim_dev_output(&r->d, r->now, &r->out, &r->dead));
    split_frames(r->out.ptr, r->out.len, &r->f);
    return r->f.n;
}

static void
rig_feed(struct rig *r, const char *frame, size_t len)
{
    struct hj212_pkt pkt;

    assert_int_equal(HJ212_OK, hj212_pkt_parse(frame, len, &pkt));
    assert_int_equal(EW_OK, ew_sim_dev_input(&r->d, &pkt, r->base));
}

/* Answers 9014 to every frame of r->f that asks for it (Flag A bit). */
static void
rig_ack(struct rig *r)
{
    struct frames f = r->f;

    for (size_t i = 0; i < f.n; i++) {
        char buf[512];
        size_t len;

        if (f.p[i].flag < 0 || !(f.p[i].flag & HJ212_FLAG_A))
            continue;
        assert_int_equal(HJ212_OK, hj212_build_reply(buf, sizeof(buf), &f.p[i],
                                                     HJ212_REPLY_DATA, 0, &len));
        rig_feed(r, buf, len);
    }
}

/* Sends everything queued, confirming each packet; records CN and DataTime of each. */
static size_t
rig_drain(struct rig *r, char cns[][8], char dts[][16], size_t max)
{
    size_t n = 0;

    while (rig_out(r) > 0) {
        for (size_t i = 0; i < r->f.n && n < max; i++, n++) {
            snprintf(cns[n], 8, "%.*s", (int)r->f.p[i].cn.len, r->f.p[i].cn.ptr);
            if (cpv(&r->f.p[i], "DataTime", dts[n], 16) == NULL)
                dts[n][0] = '\0';
        }
        rig_ack(r);
    }
    return n;
}

/* Sends a platform request (Flag=5) with the device's MN; pw NULL = the right one. */
static size_t
rig_ask(struct rig *r, const char *cn, const char *cp, const char *pw)
{
    char buf[1100];
    struct hj212_msg m = { r->req_qn, r->pt->st, cn, pw ? pw : r->d.pw, r->pt->mn, 5, -1, -1,
                           cp };
    size_t len;

    snprintf(r->req_qn, sizeof(r->req_qn), "20190115100100%03d", ++r->qn_seq);
    assert_int_equal(HJ212_OK, hj212_build(buf, sizeof(buf), &m, &len));
    rig_feed(r, buf, len);
    return rig_out(r);
}

static void
expect_reply(const struct hj212_pkt *p, const char *cn, const char *qn, const char *key,
             const char *val)
{
    char v[32];

    assert_true(is(p->cn, cn));
    assert_true(is(p->st, "91"));
    assert_true(is(p->qn, qn));
    assert_int_equal(4, p->flag);
    if (key != NULL)
        assert_string_equal(val, cpv(p, key, v, sizeof(v)));
}

static void
boot_sends_2081_then_the_schedule(void **state)
{
    struct rig r = { .pts = invented(10, 21) };
    char cns[128][8], dts[128][16], v[32];
    size_t n;

    (void)state;
    rig_start(&r, I_POWER, NULL);
    assert_int_equal(EW_OK, ew_sim_dev_advance(&r.d, r.base, NULL));
    assert_int_equal(1, rig_out(&r));
    assert_true(is(r.f.p[0].cn, "2081"));
    assert_true(is(r.f.p[0].st, "31"));
    assert_true(is(r.f.p[0].mn, r.pt->mn));
    assert_true(is(r.f.p[0].pw, r.pt->pw));
    assert_int_equal(5, r.f.p[0].flag);             /* 2017 with the A bit */
    assert_int_equal(17, r.f.p[0].qn.len);
    assert_memory_equal("20190115100005", r.f.p[0].qn.ptr, 14);
    assert_string_equal("20190115100005", cpv(&r.f.p[0], "RestartTime", v, sizeof(v)));
    rig_ack(&r);
    assert_int_equal(0, ew_sim_dev_pending(&r.d));
    /* ten minutes later: 20 real-time records (10:00:30 ... 10:10:00), then 10:00 minutes */
    rig_run_to(&r, r.base + 595 * 1000, NULL);
    n = rig_drain(&r, cns, dts, 128);
    assert_int_equal(21, n);
    assert_string_equal("2011", cns[0]);
    assert_string_equal("20190115100030", dts[0]);
    assert_string_equal("20190115101000", dts[19]);
    assert_string_equal("2051", cns[20]);
    assert_string_equal("20190115100000", dts[20]);     /* DataTime = period start */
    /* at 11:00 the hour 10:00 follows the minute records 10:10 ... 10:50 */
    rig_run_to(&r, cst("2019-01-15T11:00:00") * 1000, NULL);
    n = rig_drain(&r, cns, dts, 128);
    assert_int_equal(100 + 5 + 1, n);
    assert_string_equal("2061", cns[n - 1]);
    assert_string_equal("20190115100000", dts[n - 1]);
    assert_int_equal(r.d.stats.sent, r.d.stats.acked);
    rig_stop(&r);
}

static void
unconfirmed_upload_is_resent_identically(void **state)
{
    struct rig r = { .pts = invented(10, 21) };
    char first[2048];
    size_t len;

    (void)state;
    rig_start(&r, I_POWER, NULL);
    assert_int_equal(EW_OK, ew_sim_dev_advance(&r.d, r.base, NULL));
    assert_int_equal(1, rig_out(&r));
    len = r.out.len;
    memcpy(first, r.out.ptr, len);
    r.now += 9999;                                  /* OverTime is 10 s */
    assert_int_equal(0, rig_out(&r));
    for (int k = 1; k <= 3; k++) {                  /* ReCount is 3 */
        r.now = 1000 + 10000 * k;
        assert_int_equal(1, rig_out(&r));
        assert_int_equal(len, r.out.len);
        assert_memory_equal(first, r.out.ptr, len); /* same bytes, same QN */
        assert_int_equal(0, r.dead);
    }
    r.now += 10000;
    assert_int_equal(0, rig_out(&r));
    assert_int_equal(1, r.dead);                    /* the link is unusable */
    assert_int_equal(3, r.d.stats.resent);
    ew_sim_dev_link_down(&r.d);
    ew_sim_dev_link_up(&r.d);                       /* reconnected: the same packet again */
    assert_int_equal(1, rig_out(&r));
    assert_memory_equal(first, r.out.ptr, len);
    assert_int_equal(1, r.d.stats.sent);
    assert_int_equal(4, r.d.stats.resent);
    rig_ack(&r);
    assert_int_equal(0, ew_sim_dev_pending(&r.d));
    assert_int_equal(1, r.d.stats.acked);
    rig_stop(&r);
}

/* A late timer catches up every missed record (up to 24 intervals); a clock jump beyond that
 * (1012 or a long stall) yields only the latest record of each kind. */
static void
stalls_catch_up_but_jumps_do_not(void **state)
{
    struct rig r = { .pts = invented(10, 21) };
    char cns[128][8], dts[128][16];
    size_t n, rtd = 0, hours = 0, days = 0;

    (void)state;
    rig_start(&r, I_AIR, NULL);
    assert_int_equal(EW_OK, ew_sim_dev_advance(&r.d, r.base, NULL));
    rig_drain(&r, cns, dts, 128);
    r.base += 595 * 1000;                           /* one late wake-up: 20 intervals */
    assert_int_equal(EW_OK, ew_sim_dev_advance(&r.d, r.base, NULL));
    assert_int_equal(21, rig_drain(&r, cns, dts, 128));
    r.base = cst("2019-01-17T10:10:00") * 1000;     /* two days later in one step */
    assert_int_equal(EW_OK, ew_sim_dev_advance(&r.d, r.base, NULL));
    n = rig_drain(&r, cns, dts, 128);
    for (size_t i = 0; i < n; i++) {
        rtd += strcmp(cns[i], "2011") == 0;
        hours += strcmp(cns[i], "2061") == 0;
        days += strcmp(cns[i], "2031") == 0;
    }
    assert_int_equal(1, rtd);
    assert_int_equal(1, hours);
    assert_int_equal(2, days);                      /* two missed days are within the cap */
    assert_string_equal("20190117101000", dts[0]);
    rig_stop(&r);
}

static void
window_and_queue_limit_are_kept(void **state)
{
    struct rig r = { .pts = invented(10, 21) };
    struct ew_sim_opts o;
    char cns[8][8], dts[8][16];
    struct ew_buf more;

    (void)state;
    ew_sim_opts_defaults(&o);
    o.start_ms = cst(T0) * 1000;
    o.window = 3;
    o.queue_max = 4;
    rig_start(&r, I_AIR, &o);
    /* 2081 + 20 real-time + 1 minute record into a queue of 4: real-time goes first */
    rig_run_to(&r, r.base + 595 * 1000, NULL);
    assert_int_equal(4, ew_sim_dev_pending(&r.d));
    assert_int_equal(18, r.d.stats.dropped);
    ew_buf_init(&more, 0);
    assert_int_equal(3, rig_out(&r));               /* three in flight at once */
    assert_int_equal(EW_OK, ew_sim_dev_output(&r.d, r.now, &more, &r.dead));
    assert_int_equal(0, more.len);                  /* the window is full */
    ew_buf_fini(&more);
    rig_ack(&r);
    assert_int_equal(4, rig_drain(&r, cns, dts, 8) + 3);
    assert_string_equal("2051", cns[0]);
    rig_stop(&r);
}

static void
no_ack_uploads_go_out_once_with_flag_4(void **state)
{
    struct rig r = { .pts = invented(10, 21) };
    struct ew_sim_opts o;

    (void)state;
    ew_sim_opts_defaults(&o);
    o.start_ms = cst(T0) * 1000;
    o.ack = 0;
    rig_start(&r, I_WATER, &o);
    rig_run_to(&r, r.base + 60 * 1000, NULL);
    assert_int_equal(3, rig_out(&r));               /* 2081 and two real-time records */
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(4, r.f.p[i].flag);
    assert_int_equal(0, ew_sim_dev_pending(&r.d));
    ew_sim_dev_link_down(&r.d);
    rig_run_to(&r, r.base + 30 * 1000, NULL);
    assert_int_equal(1, r.d.stats.dropped);         /* no link, nobody to send it to */
    rig_stop(&r);
}

static void
budget_limits_the_uploads(void **state)
{
    struct rig r = { .pts = invented(10, 21) };
    uint64_t budget = 5;

    (void)state;
    rig_start(&r, I_AIR, NULL);
    rig_run_to(&r, r.base + 3600 * 1000, &budget);
    assert_int_equal(0, budget);
    assert_int_equal(5, ew_sim_dev_pending(&r.d));
    rig_stop(&r);
}

/* 1011 and 1012 (reference/hj212.md 7.7): 9011, response with SystemTime, 9012; the set
 * clock moves DataTime and QN, and the missed hour is caught up. */
static void
clock_requests_are_answered(void **state)
{
    struct rig r = { .pts = invented(10, 21) };
    char v[32], cns[128][8], dts[128][16];
    size_t n;

    (void)state;
    rig_start(&r, I_POWER, NULL);
    assert_int_equal(EW_OK, ew_sim_dev_advance(&r.d, r.base, NULL));
    rig_drain(&r, cns, dts, 128);
    assert_int_equal(3, rig_ask(&r, "1011", "PolId=a21026", NULL));
    expect_reply(&r.f.p[0], "9011", r.req_qn, "QnRtn", "1");
    assert_true(is(r.f.p[1].cn, "1011"));
    assert_true(is(r.f.p[1].qn, r.req_qn));         /* the response keeps the request's QN */
    assert_true(is(r.f.p[1].st, "31"));
    assert_string_equal("20190115100005", cpv(&r.f.p[1], "SystemTime", v, sizeof(v)));
    assert_string_equal("a21026", cpv(&r.f.p[1], "PolId", v, sizeof(v)));
    expect_reply(&r.f.p[2], "9012", r.req_qn, "ExeRtn", "1");

    assert_int_equal(2, rig_ask(&r, "1012", "SystemTime=20190115120000", NULL));
    expect_reply(&r.f.p[0], "9011", r.req_qn, "QnRtn", "1");
    expect_reply(&r.f.p[1], "9012", r.req_qn, "ExeRtn", "1");
    assert_int_equal(cst("2019-01-15T12:00:00") * 1000, ew_sim_dev_clock_ms(&r.d, r.base));
    assert_int_equal(EW_OK, ew_sim_dev_advance(&r.d, r.base, NULL));
    n = rig_drain(&r, cns, dts, 128);
    assert_string_equal("2061", cns[n - 1]);        /* 11:00, after 10:00 */
    assert_string_equal("20190115110000", dts[n - 1]);
    assert_string_equal("20190115100000", dts[n - 2]);

    assert_int_equal(2, rig_ask(&r, "1012", "SystemTime=2019011512", NULL));
    expect_reply(&r.f.p[1], "9012", r.req_qn, "ExeRtn", "3");
    assert_int_equal(2, rig_ask(&r, "1012", "SystemTime=19700101000000", NULL));
    expect_reply(&r.f.p[1], "9012", r.req_qn, "ExeRtn", "3");
    assert_int_equal(cst("2019-01-15T12:00:00") * 1000, ew_sim_dev_clock_ms(&r.d, r.base));
    rig_stop(&r);
}

/* History (7.5): 9011, one record per period in [BeginTime, EndTime] with its own QN and
 * DataTime = period start, the same values as the live upload, then 9012. */
static void
history_requests_return_each_period(void **state)
{
    struct rig r = { .pts = invented(10, 21) };
    struct ew_buf want;
    char v[32];

    (void)state;
    rig_start(&r, I_SEWAGE, NULL);
    assert_int_equal(5, rig_ask(&r, "2061",
                                "BeginTime=20190115070000;EndTime=20190115090000", NULL));
    expect_reply(&r.f.p[0], "9011", r.req_qn, "QnRtn", "1");
    ew_buf_init(&want, 0);
    for (int k = 0; k < 3; k++) {
        const struct hj212_pkt *p = &r.f.p[1 + k];

        assert_true(is(p->cn, "2061"));
        assert_false(is(p->qn, r.req_qn));
        assert_int_equal(4, p->flag);
        ew_buf_reset(&want);
        assert_int_equal(EW_OK, ew_sim_cp_period(r.pt, cst("2019-01-15T07:00") + 3600 * k,
                                                 3600, &want));
        assert_int_equal(want.len, p->cp.len);
        assert_memory_equal(want.ptr, p->cp.ptr, want.len);
        if (k > 0)
            assert_true(memcmp(p->qn.ptr, r.f.p[k].qn.ptr, 17) > 0);
    }
    expect_reply(&r.f.p[4], "9012", r.req_qn, "ExeRtn", "1");
    ew_buf_fini(&want);

    /* the hour 10:00 has not ended at 10:00:05: no data */
    assert_int_equal(2, rig_ask(&r, "2061",
                                "BeginTime=20190115100000;EndTime=20190115120000", NULL));
    expect_reply(&r.f.p[1], "9012", r.req_qn, "ExeRtn", "100");
    assert_int_equal(2, rig_ask(&r, "2051", "BeginTime=20190115070000", NULL));
    expect_reply(&r.f.p[1], "9012", r.req_qn, "ExeRtn", "3");
    /* days: 2031 and equipment run time 2041 */
    assert_int_equal(4, rig_ask(&r, "2041",
                                "BeginTime=20190113000000;EndTime=20190114000000", NULL));
    assert_true(cpd(&r.f.p[1], "SB1-RT") > 19.9);
    assert_string_equal("20190114000000", cpv(&r.f.p[2], "DataTime", v, sizeof(v)));
    assert_int_equal(3, rig_ask(&r, "2031",
                                "BeginTime=20190114000000;EndTime=20190114000000", NULL));
    assert_true(cpd(&r.f.p[1], "w00000-Cou") > 10000);  /* m3 of a day at a sewage plant */
    rig_stop(&r);
}

static void
settings_requests_change_the_device(void **state)
{
    struct rig r = { .pts = invented(10, 21) };
    static const struct {
        const char *cn, *cp, *exe;
    } cases[] = {
        { "1000", "OverTime=2;ReCount=1", "1" },
        { "1000", "OverTime=0", "3" },
        { "1000", "", "3" },
        { "1062", "RtdInterval=10", "3" },          /* 30..3600 */
        { "1062", "RtdInterval=60", "1" },
        { "1064", "MinInterval=7", "3" },           /* a divisor of 60 */
        { "1064", "MinInterval=5", "1" },
        { "1072", "NewPW=ab-123", "3" },            /* 0-9 a-z A-Z only */
        { "3011", "PolId=a21026", "1" },            /* others: done */
    };
    char v[32];

    (void)state;
    rig_start(&r, I_POWER, NULL);
    for (size_t i = 0; i < EW_ARRAY_LEN(cases); i++) {
        assert_int_equal(2, rig_ask(&r, cases[i].cn, cases[i].cp, NULL));
        expect_reply(&r.f.p[0], "9011", r.req_qn, "QnRtn", "1");
        expect_reply(&r.f.p[1], "9012", r.req_qn, "ExeRtn", cases[i].exe);
    }
    assert_int_equal(2, r.d.opts.overtime_s);
    assert_int_equal(1, r.d.opts.recount);
    assert_int_equal(60, r.d.opts.rtd_interval_s);
    assert_int_equal(cst("2019-01-15T10:01:00"), r.d.next_rtd_s);
    assert_int_equal(5, r.d.opts.min_interval_min);
    assert_int_equal(3, rig_ask(&r, "1061", NULL, NULL));
    assert_string_equal("60", cpv(&r.f.p[1], "RtdInterval", v, sizeof(v)));
    assert_int_equal(3, rig_ask(&r, "1063", NULL, NULL));
    assert_string_equal("5", cpv(&r.f.p[1], "MinInterval", v, sizeof(v)));
    /* with OverTime 2 and ReCount 1 the link is dead after two sends and 4 s */
    assert_int_equal(EW_OK, ew_sim_dev_advance(&r.d, r.base, NULL));
    assert_int_equal(1, rig_out(&r));
    r.now += 2000;
    assert_int_equal(1, rig_out(&r));
    r.now += 2000;
    assert_int_equal(0, rig_out(&r));
    assert_int_equal(1, r.dead);
    rig_stop(&r);
}

static void
password_change_and_wrong_password(void **state)
{
    struct rig r = { .pts = invented(10, 21) };
    char old[33];

    (void)state;
    rig_start(&r, I_WASTE, NULL);
    snprintf(old, sizeof(old), "%s", r.pt->pw);
    assert_int_equal(1, rig_ask(&r, "1011", NULL, "XXXXXX"));
    expect_reply(&r.f.p[0], "9011", r.req_qn, "QnRtn", "3");    /* wrong PW: refused */
    assert_int_equal(2, rig_ask(&r, "1072", "NewPW=abc123", NULL));
    expect_reply(&r.f.p[1], "9012", r.req_qn, "ExeRtn", "1");
    assert_true(is(r.f.p[1].pw, old));              /* confirmed under the old password */
    assert_int_equal(1, rig_ask(&r, "1011", NULL, old));
    expect_reply(&r.f.p[0], "9011", r.req_qn, "QnRtn", "3");
    assert_int_equal(EW_OK, ew_sim_dev_advance(&r.d, r.base, NULL));
    assert_int_equal(1, rig_out(&r));
    assert_true(is(r.f.p[0].pw, "abc123"));         /* uploads use the new one */
    rig_stop(&r);
}

/* 2012/2022 are notifications (7.2): 9013 only; 2011 switches real-time on again. */
static void
notifications_get_9013_and_switch_uploads(void **state)
{
    struct rig r = { .pts = invented(10, 21) };
    char cns[128][8], dts[128][16];
    size_t n;

    (void)state;
    rig_start(&r, I_POWER, NULL);
    assert_int_equal(1, rig_ask(&r, "2012", NULL, NULL));
    expect_reply(&r.f.p[0], "9013", r.req_qn, NULL, NULL);
    assert_int_equal(2, rig_ask(&r, "2021", NULL, NULL));      /* equipment state on */
    rig_run_to(&r, r.base + 60 * 1000, NULL);
    n = rig_drain(&r, cns, dts, 128);
    assert_int_equal(3, n);                         /* 2081, 2021, 2021: no 2011 */
    assert_string_equal("2021", cns[1]);
    assert_int_equal(2, rig_ask(&r, "2011", NULL, NULL));
    assert_int_equal(1, rig_ask(&r, "2022", NULL, NULL));
    rig_run_to(&r, r.base + 30 * 1000, NULL);
    n = rig_drain(&r, cns, dts, 128);
    assert_int_equal(1, n);
    assert_string_equal("2011", cns[0]);
    /* interaction packets are never answered; a bad CRC is counted and dropped */
    assert_int_equal(0, rig_ask(&r, "9013", NULL, NULL));
    rig_feed(&r, "##0087QN=20160801085857223;ST=91;CN=9014;PW=123456;"
                 "MN=010000A8900016F000169DC0;Flag=4;CP=&&&&3241\r\n", 99);
    assert_int_equal(1, r.d.stats.bad_frames);
    rig_stop(&r);
}

/* A 2005 device: no 2081, Flag=1 on uploads, and its 9014 carries QN inside CP (7.8). */
static void
version2005_device_is_acknowledged_the_2005_way(void **state)
{
    struct rig r = { .pts = invented(10, 21) };
    char buf[512];
    size_t len;

    (void)state;
    r.pts[I_POWER].v2005 = 1;
    rig_start(&r, I_POWER, NULL);
    rig_run_to(&r, r.base + 30 * 1000, NULL);
    assert_int_equal(1, rig_out(&r));
    assert_true(is(r.f.p[0].cn, "2011"));
    assert_int_equal(1, r.f.p[0].flag);
    assert_int_equal(HJ212_V2005, r.f.p[0].version);
    assert_int_equal(HJ212_OK, hj212_build_reply(buf, sizeof(buf), &r.f.p[0], HJ212_REPLY_DATA,
                                                 0, &len));
    assert_null(strstr(buf, ";QN="));
    assert_non_null(strstr(buf, "CP=&&QN="));
    rig_feed(&r, buf, len);
    assert_int_equal(0, ew_sim_dev_pending(&r.d));
    rig_stop(&r);
}

static void
silent_and_bad_pw_scenarios(void **state)
{
    struct rig r = { .pts = invented(10, 21) };

    (void)state;
    r.pts[I_AIR].silent_after_s = 60;
    r.pts[I_AIR].bad_pw = 1;
    rig_start(&r, I_AIR, NULL);
    assert_int_equal(EW_OK, ew_sim_dev_advance(&r.d, r.base, NULL));
    assert_int_equal(1, rig_out(&r));
    assert_false(is(r.f.p[0].pw, r.pt->pw));        /* uploads carry a wrong PW */
    assert_int_equal(3, rig_ask(&r, "1011", NULL, r.pt->pw));  /* requests still work */
    r.base += 61 * 1000;
    assert_int_equal(EW_OK, ew_sim_dev_advance(&r.d, r.base, NULL));
    r.now += 60000;
    assert_int_equal(0, rig_out(&r));
    assert_int_equal(0, rig_ask(&r, "1011", NULL, r.pt->pw));
    rig_stop(&r);
}

/* Records past 1024 bytes go out as PNUM/PNO pieces, each with its own QN and DataTime, and
 * each confirmed on its own (7.6). */
static void
long_records_are_split(void **state)
{
    struct rig r = { .pts = invented(10, 21) };
    struct ew_buf cp;
    char v[32];

    (void)state;
    rig_start(&r, I_WASTE, NULL);
    ew_buf_init(&cp, 0);
    assert_int_equal(EW_OK, ew_buf_adds(&cp, "DataTime=20190115100000"));
    for (int k = 0; k < 40; k++)
        assert_int_equal(EW_OK, ew_buf_printf(&cp, ";w%05d-Avg=%d.25,w%05d-Flag=N", k, k, k));
    assert_true(cp.len > 1100);
    assert_int_equal(EW_OK, ew__sim_record(&r.d, 2061, cp.ptr, 1, r.base));
    assert_int_equal(2, ew_sim_dev_pending(&r.d));
    r.d.opts.window = 2;
    assert_int_equal(2, rig_out(&r));
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(7, r.f.p[i].flag);         /* 2017, split, ack */
        assert_int_equal(2, r.f.p[i].pnum);
        assert_int_equal((int)i + 1, r.f.p[i].pno);
        assert_string_equal("20190115100000", cpv(&r.f.p[i], "DataTime", v, sizeof(v)));
    }
    assert_false(is(r.f.p[0].qn, "x") || r.f.p[0].qn.len != 17);
    assert_true(memcmp(r.f.p[0].qn.ptr, r.f.p[1].qn.ptr, 17) < 0);
    assert_non_null(cpv(&r.f.p[1], "w00039-Avg", v, sizeof(v)));
    rig_ack(&r);
    assert_int_equal(0, ew_sim_dev_pending(&r.d));
    ew_buf_fini(&cp);
    rig_stop(&r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(yangquan_registry_loads_with_every_kind),
        cmocka_unit_test(yangquan_limits_follow_the_standards),
        cmocka_unit_test(yangquan_air_stations_match_cnemc_list),
        cmocka_unit_test(bad_registry_rows_are_refused_with_their_line),
        cmocka_unit_test(duplicate_mn_and_missing_file_are_errors),
        cmocka_unit_test(written_registry_reads_back_the_same),
        cmocka_unit_test(o2_conversion_follows_worked_examples),
        cmocka_unit_test(values_depend_only_on_seed_point_and_time),
        cmocka_unit_test(air_levels_follow_the_seasons),
        cmocka_unit_test(pm10_never_reads_below_pm25),
        cmocka_unit_test(stacks_are_mostly_under_their_limits),
        cmocka_unit_test(exceed_scenario_holds_the_multiple_for_its_hours),
        cmocka_unit_test(totals_add_up_across_periods),
        cmocka_unit_test(water_levels_are_plausible),
        cmocka_unit_test(realtime_cp_has_every_factor),
        cmocka_unit_test(hour_cp_carries_period_statistics),
        cmocka_unit_test(version2005_points_use_2005_codes),
        cmocka_unit_test(boot_sends_2081_then_the_schedule),
        cmocka_unit_test(unconfirmed_upload_is_resent_identically),
        cmocka_unit_test(stalls_catch_up_but_jumps_do_not),
        cmocka_unit_test(window_and_queue_limit_are_kept),
        cmocka_unit_test(no_ack_uploads_go_out_once_with_flag_4),
        cmocka_unit_test(budget_limits_the_uploads),
        cmocka_unit_test(clock_requests_are_answered),
        cmocka_unit_test(history_requests_return_each_period),
        cmocka_unit_test(settings_requests_change_the_device),
        cmocka_unit_test(password_change_and_wrong_password),
        cmocka_unit_test(notifications_get_9013_and_switch_uploads),
        cmocka_unit_test(version2005_device_is_acknowledged_the_2005_way),
        cmocka_unit_test(silent_and_bad_pw_scenarios),
        cmocka_unit_test(long_records_are_split),
    };
    return cmocka_run_group_tests_name("ingest/sim", tests, NULL, NULL);
}
