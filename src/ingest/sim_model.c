/* SPDX-License-Identifier: MIT */
/*
 * The simulator's value model: what each instrument reads at any instant. Every value is a
 * pure function of (seed, MN, factor, time): seasonal and diurnal cycles, weather shared by
 * the whole city, smooth per-point drift and a little white noise, all drawn from a counter-
 * based hash instead of a stateful generator, so any period can be recomputed exactly (live
 * upload, back-fill and history answer agree). It is plausible, not a dispersion model.
 */
#include <math.h>
#include <string.h>

#include <envwatch/err.h>

#include "ingest/sim.h"
#include "util/time.h"

#define DAY_S 86400
#define HOUR_S 3600
#define TAU (2.0 * M_PI)

/*
 * Ambient air climatology of Yangquan, computed from the six national stations' 2019 hourly
 * data (shared/data/cnemc/yangquan_2019.csv, CNEMC via quotsoft-layout files): monthly means
 * (ug/m3, CO mg/m3) and the mean diurnal profile by period-start hour (CST) as a multiple of
 * the annual mean. Order: SO2, NO2, CO, O3, PM10, PM2.5 (the first six air factors).
 */
static const double air_month[6][12] = {
    { 65.6, 34.8, 23.3, 15.9, 17.5, 16.5, 14.1, 10.4, 11.4, 13.0, 22.4, 30.3 },
    { 64.8, 42.4, 41.4, 36.1, 36.9, 32.8, 30.8, 29.0, 39.7, 39.3, 52.5, 51.7 },
    { 1.86, 1.28, 0.93, 0.87, 0.74, 0.83, 0.91, 0.89, 0.86, 0.93, 1.21, 1.22 },
    { 24.6, 46.0, 61.4, 72.4, 95.3, 122.5, 108.0, 85.7, 76.2, 43.8, 27.0, 24.6 },
    { 157.3, 129.4, 97.1, 97.5, 78.5, 65.9, 56.8, 49.5, 59.2, 78.9, 106.9, 93.7 },
    { 101.1, 90.6, 53.3, 47.0, 32.2, 36.9, 36.0, 29.7, 32.9, 44.0, 58.9, 55.2 },
};

static const double air_diurnal[6][24] = {
    { 0.93, 0.97, 1.04, 1.13, 1.18, 1.26, 1.36, 1.52, 1.62, 1.58, 1.37, 1.11,
      0.88, 0.72, 0.64, 0.58, 0.58, 0.61, 0.67, 0.76, 0.82, 0.87, 0.88, 0.89 },
    { 1.28, 1.27, 1.27, 1.25, 1.23, 1.25, 1.25, 1.23, 1.16, 1.03, 0.88, 0.72,
      0.59, 0.52, 0.53, 0.56, 0.63, 0.74, 0.85, 0.93, 1.05, 1.17, 1.25, 1.26 },
    { 1.01, 1.02, 1.04, 1.06, 1.08, 1.13, 1.20, 1.29, 1.29, 1.21, 1.09, 0.96,
      0.84, 0.75, 0.73, 0.73, 0.77, 0.83, 0.91, 0.98, 1.01, 1.01, 1.01, 1.00 },
    { 0.63, 0.57, 0.52, 0.49, 0.46, 0.42, 0.41, 0.48, 0.64, 0.88, 1.14, 1.37,
      1.54, 1.64, 1.67, 1.69, 1.64, 1.57, 1.45, 1.31, 1.13, 0.95, 0.80, 0.71 },
    { 1.08, 1.10, 1.10, 1.12, 1.13, 1.15, 1.17, 1.18, 1.20, 1.16, 1.09, 0.98,
      0.86, 0.76, 0.71, 0.71, 0.75, 0.81, 0.89, 0.94, 0.99, 1.01, 1.05, 1.07 },
    { 1.08, 1.08, 1.08, 1.09, 1.10, 1.13, 1.14, 1.14, 1.15, 1.12, 1.07, 0.98,
      0.87, 0.77, 0.72, 0.71, 0.75, 0.82, 0.91, 1.00, 1.04, 1.06, 1.07, 1.07 },
};

/* Day-scale and hour-scale log-variability of each pollutant (from the same file, rounded:
 * daily means vary about their month by a log-sd of 0.33..0.50) and the weight of the
 * city-wide stagnation term (O3 falls when primary pollutants pile up). */
static const struct {
    double stag, day, hour;
} air_var[6] = {
    { 0.35, 0.30, 0.25 }, { 0.25, 0.20, 0.25 }, { 0.28, 0.15, 0.15 },
    { -0.15, 0.30, 0.25 }, { 0.30, 0.25, 0.20 }, { 0.40, 0.22, 0.15 },
};

/* Stack profiles by industry: typical O2 (%), flue temperature (degC), humidity (%), flow
 * (m3/s), diurnal load swing, and converted levels used when a pollutant has no limit. These
 * are plausible engineering values for the demo, not data. */
static const struct {
    double o2, temp_c, hum_pct, flow_m3s, load_amp;
    double typ[3];
} flue_prof[EW_SIM_IND_COUNT] = {
    [EW_SIM_IND_NONE] = { 6.0, 50, 12, 280, 0.10, { 25, 35, 6 } },
    [EW_SIM_IND_POWER] = { 6.0, 50, 12, 280, 0.12, { 25, 35, 6 } },
    [EW_SIM_IND_COKING] = { 8.5, 170, 9, 55, 0.03, { 20, 100, 10 } },
    [EW_SIM_IND_CEMENT] = { 10.5, 110, 8, 140, 0.05, { 50, 250, 12 } },
    [EW_SIM_IND_ALUMINIUM] = { 20.3, 85, 2, 420, 0.02, { 40, 15, 6 } },
    [EW_SIM_IND_BOILER] = { 10.5, 140, 7, 15, 0.15, { 120, 150, 20 } },
    [EW_SIM_IND_MINE] = { 10.5, 140, 7, 12, 0.10, { 120, 150, 20 } },
    [EW_SIM_IND_SEWAGE] = { 6.0, 50, 12, 280, 0.10, { 25, 35, 6 } },
};

/* Typical wastewater concentrations (mg/L) used when a pollutant has no limit. */
static const double waste_typ[4] = { 40, 3, 0.3, 10 };

struct when {
    double hour;                        /* CST hour of the day, [0, 24) */
    double year_frac;                   /* position in the CST calendar year, [0, 1) */
};

uint64_t
ew_sim_hash(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

static int64_t
floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;

    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static void
when_of(int64_t t, struct when *w)
{
    int64_t local = t + EW_CST_OFFSET_S;
    int64_t day = floor_div(local, DAY_S);
    int64_t sod = local - day * DAY_S;
    int y, m, d;
    double ylen;

    ew_civil_from_days(day, &y, &m, &d);
    ylen = (double)(ew_days_from_civil(y + 1, 1, 1) - ew_days_from_civil(y, 1, 1));
    w->hour = (double)sod / HOUR_S;
    w->year_frac = ((double)(day - ew_days_from_civil(y, 1, 1)) + (double)sod / DAY_S) / ylen;
}

/* A uniform number in (0, 1) for (key, stream, k). */
static double
u01(uint64_t key, uint64_t stream, int64_t k)
{
    uint64_t h = ew_sim_hash(key ^ ew_sim_hash(stream * 0x9e3779b97f4a7c15ULL + (uint64_t)k));

    return ((double)(h >> 11) + 0.5) * 0x1.0p-53;
}

/* A standard normal number for (key, stream, k), by Box-Muller. */
static double
gauss(uint64_t key, uint64_t stream, int64_t k)
{
    double a = u01(key, 2 * stream, k), b = u01(key, 2 * stream + 1, k);

    return sqrt(-2.0 * log(a)) * cos(TAU * b);
}

/* Smooth noise: normal knots every period seconds, joined by a cosine ramp. */
static double
smooth(uint64_t key, uint64_t stream, int64_t t, int64_t period)
{
    int64_t k = floor_div(t, period);
    double f = (double)(t - k * period) / (double)period;
    double w = (1.0 - cos(M_PI * f)) / 2.0;

    return gauss(key, stream, k) * (1.0 - w) + gauss(key, stream, k + 1) * w;
}

/* A fixed trait of the point in [0, 1): its own level, O2, flow, ... */
static double
trait(const struct ew_sim_point *p, unsigned k)
{
    return u01(p->key, 0xfff0 + k, 0);
}

/* Stream numbers: per factor, a few components; city-wide streams above 1000. */
#define ST(fi, comp) ((uint64_t)(fi) * 16 + (comp) + 1)
#define CITY(comp) (1000 + (uint64_t)(comp))

/* The value of a cyclic 12-month table at a fractional year position (mid-month knots). */
static double
monthly(const double m[12], double year_frac)
{
    double x = year_frac * 12.0 - 0.5;
    double i = floor(x), f = x - i;
    int a = ((int)i + 12) % 12, b = (a + 1) % 12;

    return m[a] * (1.0 - f) + m[b] * f;
}

/* The value of a 24-hour table by start hour at a fractional hour (mid-hour knots). */
static double
diurnal(const double d[24], double hour)
{
    double x = hour - 0.5;
    double i = floor(x), f = x - i;
    int a = ((int)i + 24) % 24, b = (a + 1) % 24;

    return d[a] * (1.0 - f) + d[b] * f;
}

static double
cosine(double x, double peak, double period)
{
    return cos(TAU * (x - peak) / period);
}

static int
exceeding(const struct ew_sim_point *p, int fi, int64_t t)
{
    return p->exceed_factor == fi && t >= p->exceed_from_s && t < p->exceed_to_s;
}

static void
sample_air(const struct ew_sim_point *p, int64_t t, const struct when *w, double v[])
{
    double stag = smooth(p->city_key, CITY(0), t, DAY_S);
    double coarse;

    for (int i = 0; i < 6; i++) {
        double lg = air_var[i].stag * stag + air_var[i].day * smooth(p->key, ST(i, 0), t, DAY_S)
                    + air_var[i].hour * smooth(p->key, ST(i, 1), t, HOUR_S);
        double c = monthly(air_month[i], w->year_frac) * diurnal(air_diurnal[i], w->hour);

        v[i] = c * p->level * exp(lg - 0.08) * (1.0 + 0.03 * gauss(p->key, ST(i, 2), t));
        if (v[i] < 0)
            v[i] = 0;
    }
    /* PM10 is PM2.5 plus a coarse fraction, so it can never read below PM2.5. The
     * meteorology below (January about -4 degC, July about 24 degC, 92.6 kPa at the city's
     * altitude, light winds) is our plausible assumption for Yangquan, not data [M]. */
    coarse = v[4] - v[5];
    v[4] = v[5] + (coarse > 0 ? coarse : 0.15 * v[5]);
    v[6] = 10.5 - 14.0 * cosine(w->year_frac, 0.04, 1.0) + 5.0 * cosine(w->hour, 15, 24)
           + 2.5 * smooth(p->city_key, CITY(1), t, DAY_S) + 0.3 * gauss(p->key, ST(6, 2), t);
    v[7] = 52.0 + 12.0 * cosine(w->year_frac, 0.6, 1.0) - 12.0 * cosine(w->hour, 15, 24)
           + 8.0 * smooth(p->city_key, CITY(2), t, DAY_S) + 1.0 * gauss(p->key, ST(7, 2), t);
    v[7] = fmin(100.0, fmax(8.0, v[7]));
    v[8] = 92.6 + 0.7 * cosine(w->year_frac, 0.0, 1.0) - 0.1 * cosine(w->hour, 16, 24)
           + 0.4 * smooth(p->city_key, CITY(3), t, DAY_S);
    v[9] = 1.8 + 0.3 * cosine(w->year_frac, 0.3, 1.0) + 0.8 * cosine(w->hour, 15, 24)
           - 0.5 * stag + 0.3 * smooth(p->key, ST(9, 1), t, HOUR_S)
           + 0.2 * gauss(p->key, ST(9, 2), t);
    v[9] = fmax(0.2, v[9]);
    v[10] = fmod(290.0 + 60.0 * smooth(p->city_key, CITY(4), t, DAY_S)
                 + 30.0 * smooth(p->key, ST(10, 1), t, HOUR_S) + 720.0, 360.0);
}

double
ew_sim_o2_convert(double conc, double o2_pct, double o2_ref_pct)
{
    return conc * (21.0 - o2_ref_pct) / (21.0 - o2_pct);
}

/* O2 and the concentrations of a stack: the converted value is drawn near a fraction of the
 * limit, and the measured value follows from it by the reference-O2 formula of HJ 75 /
 * GB 13223 (reference/standards.md 4.1): C_ref = C * (21 - O2_ref) / (21 - O2). */
static void
sample_flue(const struct ew_sim_point *p, int64_t t, const struct when *w, double v[],
            double zs[])
{
    enum ew_sim_industry ind = p->industry;
    double load = 1.0 + flue_prof[ind].load_amp * cosine(w->hour, 19, 24)
                  + 0.03 * smooth(p->key, ST(8, 1), t, HOUR_S);
    double o2 = flue_prof[ind].o2 + 1.5 * (trait(p, 1) - 0.5)
                + 0.5 * smooth(p->key, ST(3, 1), t, HOUR_S) + 0.1 * gauss(p->key, ST(3, 2), t);

    o2 = fmin(20.8, fmax(1.0, o2));
    v[3] = zs[3] = o2;
    for (int i = 0; i < 3; i++) {
        double lim = p->limit[i] > 0 ? p->limit[i] : flue_prof[ind].typ[i];
        double z = lim * (0.45 + 0.30 * trait(p, 10 + i)) * p->level
                   * exp(0.10 * smooth(p->key, ST(i, 0), t, DAY_S)
                         + 0.10 * smooth(p->key, ST(i, 1), t, HOUR_S))
                   * (1.0 + 0.03 * gauss(p->key, ST(i, 2), t));

        if (exceeding(p, i, t))
            z = lim * p->exceed_multiple * (1.0 + 0.02 * gauss(p->key, ST(i, 3), t));
        z = fmax(0.0, z);
        if (p->o2_ref_pct > 0) {
            v[i] = z * (21.0 - o2) / (21.0 - p->o2_ref_pct);
            zs[i] = ew_sim_o2_convert(v[i], o2, p->o2_ref_pct);
        } else {
            v[i] = zs[i] = z;
        }
    }
    v[4] = 15.0 * (0.85 + 0.3 * trait(p, 4)) * load;
    v[5] = flue_prof[ind].temp_c + 8.0 * (trait(p, 5) - 0.5)
           + 2.0 * smooth(p->key, ST(5, 1), t, HOUR_S);
    v[6] = -0.20 - 0.1 * trait(p, 6) + 0.02 * smooth(p->key, ST(6, 1), t, HOUR_S);
    v[7] = fmax(0.5, flue_prof[ind].hum_pct + smooth(p->key, ST(7, 1), t, HOUR_S));
    v[8] = flue_prof[ind].flow_m3s * (0.8 + 0.4 * trait(p, 2)) * load;
    for (int i = 4; i < 9; i++)
        zs[i] = v[i];
}

static void
sample_waste(const struct ew_sim_point *p, int64_t t, const struct when *w, double v[])
{
    int sewage = p->kind == EW_SIM_SEWAGE;
    /* Nitrification slows in cold water: effluent NH3-N is highest in winter. */
    double cold = 1.0 + 0.4 * cosine(w->year_frac, 0.04, 1.0);

    for (int i = 0; i < 4; i++) {
        double lim = p->limit[i] > 0 ? p->limit[i] : waste_typ[i];
        double c = lim * (0.35 + 0.35 * trait(p, 10 + i)) * p->level
                   * exp(0.15 * smooth(p->key, ST(i, 0), t, DAY_S)
                         + 0.10 * smooth(p->key, ST(i, 1), t, HOUR_S))
                   * (1.0 + 0.02 * gauss(p->key, ST(i, 2), t));

        if (i == 1)
            c *= cold;
        if (exceeding(p, i, t))
            c = lim * p->exceed_multiple * (1.0 + 0.02 * gauss(p->key, ST(i, 3), t));
        v[i] = fmax(0.0, c);
    }
    v[4] = 7.3 + 0.6 * (trait(p, 4) - 0.5) + 0.15 * smooth(p->key, ST(4, 1), t, HOUR_S);
    if (sewage)     /* inflow is low before dawn, peaks before noon and in the evening */
        v[5] = (400.0 + 500.0 * trait(p, 5))
               * (1.0 + 0.2 * cosine(w->hour, 11, 24) + 0.1 * cosine(w->hour, 20, 12));
    else
        v[5] = (15.0 + 30.0 * trait(p, 5)) * (1.0 + 0.1 * smooth(p->key, ST(5, 1), t, HOUR_S));
    v[5] = fmax(0.0, v[5]);
}

/* Dissolved-oxygen saturation (mg/L) of fresh water at temperature T (degC), the usual
 * cubic fit (APHA); the simulator only needs its shape. */
static double
do_saturation(double temp_c)
{
    return 14.62 - 0.3898 * temp_c + 0.006969 * temp_c * temp_c
           - 0.00005897 * temp_c * temp_c * temp_c;
}

static void
sample_water(const struct ew_sim_point *p, int64_t t, const struct when *w, double v[])
{
    double temp = 12.0 - 11.0 * cosine(w->year_frac, 0.05, 1.0) + 1.2 * cosine(w->hour, 16, 24)
                  + 0.5 * smooth(p->city_key, CITY(5), t, DAY_S);

    temp = fmax(0.3, temp);
    v[5] = temp;
    v[0] = do_saturation(temp) * (0.78 + 0.12 * trait(p, 1)) + 0.6 * cosine(w->hour, 15, 24)
           + 0.2 * smooth(p->key, ST(0, 1), t, HOUR_S);
    for (int i = 1; i < 4; i++) {
        double c = p->limit[i] * (0.55 + 0.40 * trait(p, 10 + i)) * p->level
                   * exp(0.15 * smooth(p->key, ST(i, 0), t, DAY_S)
                         + 0.05 * smooth(p->key, ST(i, 1), t, HOUR_S))
                   * (1.0 + 0.02 * gauss(p->key, ST(i, 2), t));

        if (i == 2)
            c *= 1.0 + 0.3 * cosine(w->year_frac, 0.04, 1.0);
        v[i] = c;
    }
    v[4] = 7.9 + 0.2 * cosine(w->hour, 15, 24) + 0.1 * smooth(p->key, ST(4, 0), t, DAY_S);
    for (int i = 0; i < 6; i++) {
        if (exceeding(p, i, t))
            v[i] = p->limit[i] > 0 ? p->limit[i] * p->exceed_multiple : v[i] * p->exceed_multiple;
        v[i] = fmax(0.0, v[i]);
    }
}

void
ew_sim_sample(const struct ew_sim_point *p, int64_t t_unix_s, double v[EW_SIM_MAX_FACTORS],
              double zs[EW_SIM_MAX_FACTORS])
{
    struct when w;

    memset(v, 0, EW_SIM_MAX_FACTORS * sizeof(double));
    when_of(t_unix_s, &w);
    switch (p->kind) {
    case EW_SIM_AIR:
        sample_air(p, t_unix_s, &w, v);
        for (int i = 0; i < 6; i++)
            if (exceeding(p, i, t_unix_s))
                v[i] *= p->exceed_multiple;
        v[4] = fmax(v[4], 1.15 * v[5]);
        break;
    case EW_SIM_FLUE:
        sample_flue(p, t_unix_s, &w, v, zs);
        return;
    case EW_SIM_WASTEWATER:
    case EW_SIM_SEWAGE:
        sample_waste(p, t_unix_s, &w, v);
        break;
    case EW_SIM_WATER:
        sample_water(p, t_unix_s, &w, v);
        break;
    default:
        break;
    }
    memcpy(zs, v, EW_SIM_MAX_FACTORS * sizeof(double));
}
