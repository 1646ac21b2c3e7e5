/* SPDX-License-Identifier: MIT */
/*
 * Period aggregates of the simulator's model and the CP data areas of its uploads: real-time
 * (2011: xxx-Rtd, xxx-ZsRtd, xxx-Flag) and minute/hour/day records (2051/2061/2031: xxx-Cou,
 * -Min, -Avg, -Max, -ZsMin, -ZsAvg, -ZsMax, -Flag), laid out as HJ 212-2017 section 6.3 and its
 * Appendix C examples show them (reference/hj212.md section 5). Framing is libhj212's job.
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include <envwatch/err.h>

#include "ingest/sim.h"
#include "util/time.h"

#define COU_KG_DECIMALS 3               /* emitted mass in kg */
#define COU_M3_DECIMALS 1               /* volume of gas or water in m3 */

int
ew_sim_aggregate(const struct ew_sim_point *p, int64_t start_unix_s, int64_t len_s,
                 struct ew_sim_agg agg[EW_SIM_MAX_FACTORS])
{
    size_t n;
    const struct ew_sim_factor *f = ew_sim_kind_factors(p->kind, &n);
    double v[EW_SIM_MAX_FACTORS], zs[EW_SIM_MAX_FACTORS];
    double sx[EW_SIM_MAX_FACTORS] = { 0 }, cx[EW_SIM_MAX_FACTORS] = { 0 };
    struct ew_sim_agg a[EW_SIM_MAX_FACTORS];
    int64_t minutes;
    size_t flow = n;

    if (len_s <= 0 || len_s % 60 != 0)
        return EW_EINVAL;
    minutes = len_s / 60;
    for (size_t i = 0; i < n; i++) {
        a[i] = (struct ew_sim_agg){ DBL_MAX, 0, -DBL_MAX, DBL_MAX, 0, -DBL_MAX, 0 };
        if (f[i].flags & EW_SIM_F_FLOW)
            flow = i;
    }
    for (int64_t k = 0; k < minutes; k++) {
        ew_sim_sample(p, start_unix_s + 60 * k + 30, v, zs);
        for (size_t i = 0; i < n; i++) {
            a[i].min = fmin(a[i].min, v[i]);
            a[i].max = fmax(a[i].max, v[i]);
            a[i].avg += v[i];
            a[i].zmin = fmin(a[i].zmin, zs[i]);
            a[i].zmax = fmax(a[i].zmax, zs[i]);
            a[i].zavg += zs[i];
            if (f[i].flags & EW_SIM_F_ANGLE) {
                sx[i] += sin(v[i] * M_PI / 180.0);
                cx[i] += cos(v[i] * M_PI / 180.0);
            }
            if (!(f[i].flags & EW_SIM_F_COU) || flow == n)
                continue;
            /* Flue gas: m3/s; wastewater: L/s. Mass: mg/m3 * m3 or mg/L * L, in mg -> kg. */
            if (i == flow)
                a[i].cou += v[i] * 60.0 * (p->kind == EW_SIM_FLUE ? 1.0 : 1e-3);
            else
                a[i].cou += v[i] * v[flow] * 60.0 * 1e-6;
        }
    }
    for (size_t i = 0; i < n; i++) {
        a[i].avg /= (double)minutes;
        a[i].zavg /= (double)minutes;
        if (f[i].flags & EW_SIM_F_ANGLE)   /* vector mean of a direction */
            a[i].avg = a[i].zavg = fmod(atan2(sx[i], cx[i]) * 180.0 / M_PI + 360.0, 360.0);
    }
    memcpy(agg, a, n * sizeof(a[0]));
    return EW_OK;
}

/* The code a point sends for factor f: the 2005 code when it speaks 2005 and one exists. */
static const char *
code_of(const struct ew_sim_point *p, const struct ew_sim_factor *f)
{
    return p->v2005 && f->code2005 != NULL ? f->code2005 : f->code;
}

/* HJ/T 212-2005 gave flue-gas pressure (S08) in MPa where 2017 uses kPa (reference/hj212.md
 * section 6, unit warnings). */
static double
unit_scale(const struct ew_sim_point *p, const struct ew_sim_factor *f, int *decimals)
{
    if (p->v2005 && strcmp(f->code, "a01013") == 0) {
        *decimals += 3;
        return 1e-3;
    }
    return 1.0;
}

/* Appends "<sep>code-suffix=value" with a fixed number of decimals and no "-0". */
static int
put(struct ew_buf *b, char sep, const char *code, const char *suffix, double v, int decimals)
{
    if (fabs(v) < 0.5 * pow(10.0, -decimals))
        v = 0.0;
    return ew_buf_printf(b, "%c%s-%s=%.*f", sep, code, suffix, decimals, v);
}

static int
put_datatime(struct ew_buf *cp, int64_t t)
{
    char when[15];

    ew_time_fmt_compact(t, when);
    return ew_buf_printf(cp, "DataTime=%s", when);
}

static int
has_zs(const struct ew_sim_point *p, const struct ew_sim_factor *f)
{
    return p->kind == EW_SIM_FLUE && p->o2_ref_pct > 0 && (f->flags & EW_SIM_F_POLLUTANT);
}

int
ew_sim_cp_rtd(const struct ew_sim_point *p, int64_t t_unix_s, struct ew_buf *cp)
{
    size_t n;
    const struct ew_sim_factor *tab = ew_sim_kind_factors(p->kind, &n);
    double v[EW_SIM_MAX_FACTORS], zs[EW_SIM_MAX_FACTORS];
    int err = put_datatime(cp, t_unix_s);

    ew_sim_sample(p, t_unix_s, v, zs);
    for (size_t k = 0; k < p->nfactors && err == EW_OK; k++) {
        const struct ew_sim_factor *f = &tab[p->factor[k]];
        const char *code = code_of(p, f);
        int dec = f->decimals;
        double s = unit_scale(p, f, &dec);

        err = put(cp, ';', code, "Rtd", v[p->factor[k]] * s, dec);
        if (err == EW_OK && has_zs(p, f))
            err = put(cp, ',', code, "ZsRtd", zs[p->factor[k]], dec);
        if (err == EW_OK)
            err = ew_buf_printf(cp, ",%s-Flag=N", code);
    }
    return err;
}

static int
put_period(struct ew_buf *cp, const struct ew_sim_point *p, const struct ew_sim_factor *f,
           const struct ew_sim_agg *a)
{
    const char *code = code_of(p, f);
    int dec = f->decimals;
    double s = unit_scale(p, f, &dec);
    int err = EW_OK;

    if (f->flags & EW_SIM_F_COU)
        err = put(cp, ';', code, "Cou", a->cou,
                  (f->flags & EW_SIM_F_FLOW) ? COU_M3_DECIMALS : COU_KG_DECIMALS);
    if (err == EW_OK)
        err = put(cp, (f->flags & EW_SIM_F_COU) ? ',' : ';', code, "Min", a->min * s, dec);
    if (err == EW_OK)
        err = put(cp, ',', code, "Avg", a->avg * s, dec);
    if (err == EW_OK)
        err = put(cp, ',', code, "Max", a->max * s, dec);
    if (err == EW_OK && has_zs(p, f)) {
        err = put(cp, ',', code, "ZsMin", a->zmin, dec);
        if (err == EW_OK)
            err = put(cp, ',', code, "ZsAvg", a->zavg, dec);
        if (err == EW_OK)
            err = put(cp, ',', code, "ZsMax", a->zmax, dec);
    }
    if (err == EW_OK)
        err = ew_buf_printf(cp, ",%s-Flag=N", code);
    return err;
}

int
ew_sim_cp_period(const struct ew_sim_point *p, int64_t start_unix_s, int64_t len_s,
                 struct ew_buf *cp)
{
    size_t n;
    const struct ew_sim_factor *tab = ew_sim_kind_factors(p->kind, &n);
    struct ew_sim_agg agg[EW_SIM_MAX_FACTORS];
    int err = ew_sim_aggregate(p, start_unix_s, len_s, agg);

    if (err == EW_OK)
        err = put_datatime(cp, start_unix_s);
    for (size_t k = 0; k < p->nfactors && err == EW_OK; k++)
        err = put_period(cp, p, &tab[p->factor[k]], &agg[p->factor[k]]);
    return err;
}

int
ew_sim_has_equipment(const struct ew_sim_point *p)
{
    return p->kind == EW_SIM_FLUE || p->kind == EW_SIM_WASTEWATER || p->kind == EW_SIM_SEWAGE;
}

/* Hours the treatment equipment ran on the day starting at t: a full day, except on about
 * one day in twenty with a stop of up to four hours. */
static double
run_hours(const struct ew_sim_point *p, int64_t day_start)
{
    uint64_t h = ew_sim_hash(p->key ^ ew_sim_hash((uint64_t)day_start));

    if (h % 20 != 0)
        return 24.0;
    return 24.0 - (double)((h >> 8) % 41) / 10.0;
}

int
ew_sim_cp_record(const struct ew_sim_point *p, int cn, int64_t t_unix_s, int64_t len_s,
                 struct ew_buf *cp)
{
    char when[15];
    int err;

    switch (cn) {
    case 2011:
        return ew_sim_cp_rtd(p, t_unix_s, cp);
    case 2031:
    case 2051:
    case 2061:
        return ew_sim_cp_period(p, t_unix_s, len_s, cp);
    case 2021:  /* SBxxx-RS: 1 = running (HJ 212-2017 table 4) */
    case 2041:  /* SBxxx-RT: hours run in the day */
        if (!ew_sim_has_equipment(p))
            return EW_ENODATA;
        err = put_datatime(cp, t_unix_s);
        if (err == EW_OK && cn == 2021)
            err = ew_buf_adds(cp, ";SB1-RS=1");
        else if (err == EW_OK)
            err = ew_buf_printf(cp, ";SB1-RT=%.1f", run_hours(p, t_unix_s));
        return err;
    case 2081:
        ew_time_fmt_compact(t_unix_s, when);
        return ew_buf_printf(cp, "DataTime=%s;RestartTime=%s", when, when);
    default:
        return EW_EINVAL;
    }
}
