/* SPDX-License-Identifier: MIT */
/*
 * The simulator's constant tables: which factors each kind of instrument reports (codes from
 * HJ 212-2017 Appendix B, reference/hj212.md section 6), their 2005 codes (section 6.4), and the
 * default limits a point gets when its registry row names none. It holds no model and no state.
 */
#include <math.h>
#include <string.h>

#include <envwatch/err.h>

#include "ingest/sim.h"

#define P EW_SIM_F_POLLUTANT
#define C EW_SIM_F_COU

/*
 * Ambient air, ST=22. Units follow station practice (DESIGN.md): ug/m3, CO mg/m3. O3 a05024
 * is not in HJ 212-2017 Appendix B; it is the code used in practice (reference/hj212.md 6.2).
 * There are no 2005 codes for ambient air except those shared with flue gas (SO2 02, CO 04).
 */
static const struct ew_sim_factor air_factors[] = {
    { "a21026", "02", 0, 0 },           /* SO2, ug/m3 */
    { "a21004", NULL, 0, 0 },           /* NO2, ug/m3 */
    { "a21005", "04", 2, 0 },           /* CO, mg/m3 */
    { "a05024", NULL, 0, 0 },           /* O3, ug/m3 */
    { "a34002", NULL, 0, 0 },           /* PM10, ug/m3 */
    { "a34004", NULL, 0, 0 },           /* PM2.5, ug/m3 */
    { "a01001", NULL, 1, 0 },           /* air temperature, degC */
    { "a01002", NULL, 1, 0 },           /* relative humidity, % */
    { "a01006", NULL, 2, 0 },           /* air pressure, kPa */
    { "a01007", NULL, 1, 0 },           /* wind speed, m/s */
    { "a01008", NULL, 0, EW_SIM_F_ANGLE },      /* wind direction, degrees */
};

/* Stack CEMS, ST=31, mg/m3 dry standard state; 2005 codes S01..S08, B02 from table 6.4. The
 * standard's default type for dust a34013 is N4 (no decimals); ultra-low dust is a few mg/m3,
 * so two decimals are printed, as CEMS in the field do. */
static const struct ew_sim_factor flue_factors[] = {
    { "a21026", "02", 2, P | C },       /* SO2 */
    { "a21002", "03", 1, P | C },       /* NOx as NO2 */
    { "a34013", "01", 2, P | C },       /* dust (smoke) */
    { "a19001", "S01", 2, 0 },          /* O2, % */
    { "a01011", "S02", 2, 0 },          /* flue-gas velocity, m/s */
    { "a01012", "S03", 1, 0 },          /* flue-gas temperature, degC */
    { "a01013", "S08", 3, 0 },          /* flue-gas static pressure, kPa (gauge) */
    { "a01014", "S05", 1, 0 },          /* flue-gas humidity, % */
    { "a00000", "B02", 1, C | EW_SIM_F_FLOW },  /* flue-gas flow, m3/s; Cou in m3 */
};

/* Wastewater outlets and sewage plants, ST=32, mg/L; flow w00000 in L/s with Cou in m3. */
static const struct ew_sim_factor waste_factors[] = {
    { "w01018", "011", 1, P | C },      /* COD */
    { "w21003", "060", 2, P | C },      /* NH3-N */
    { "w21011", "101", 2, P | C },      /* TP */
    { "w21001", "065", 2, P | C },      /* TN */
    { "w01001", "001", 2, 0 },          /* pH */
    { "w00000", "B01", 2, C | EW_SIM_F_FLOW },  /* flow, L/s */
};

/* Surface-water sections, ST=21, mg/L. DO, CODMn and water temperature had no 2005 code. */
static const struct ew_sim_factor water_factors[] = {
    { "w01009", NULL, 2, 0 },           /* DO (a lower bound, judged by class) */
    { "w01019", NULL, 1, P },           /* CODMn */
    { "w21003", "060", 2, P },          /* NH3-N */
    { "w21011", "101", 2, P },          /* TP */
    { "w01001", "001", 2, 0 },          /* pH */
    { "w01010", NULL, 1, 0 },           /* water temperature, degC */
};

#undef P
#undef C

static const struct {
    const char *name, *st;
    const struct ew_sim_factor *factors;
    size_t n;
} kinds[EW_SIM_KIND_COUNT] = {
    [EW_SIM_AIR] = { "air", "22", air_factors, EW_ARRAY_LEN(air_factors) },
    [EW_SIM_WATER] = { "water", "21", water_factors, EW_ARRAY_LEN(water_factors) },
    [EW_SIM_FLUE] = { "flue", "31", flue_factors, EW_ARRAY_LEN(flue_factors) },
    [EW_SIM_WASTEWATER] = { "wastewater", "32", waste_factors, EW_ARRAY_LEN(waste_factors) },
    [EW_SIM_SEWAGE] = { "sewage", "32", waste_factors, EW_ARRAY_LEN(waste_factors) },
};

static const char *const industries[EW_SIM_IND_COUNT] = {
    "", "power", "coking", "cement", "aluminium", "boiler", "mine", "sewage",
};

/*
 * Default limits (mg/m3 at the reference O2, or mg/L) when a registry row has none. Sources in
 * reference/standards.md section 3.1 / 2: coal power ultra-low 35/50/10 at 6 % [S]; coke-oven
 * chimney special limits 30/150/15 at 8 % [M, unconfirmed: GB 16171 table and O2 not read];
 * cement kiln special 100/320/20 at 10 % [V]; aluminium electrolysis special SO2 100 and dust
 * 10, measured values [M, unconfirmed]; in-use coal boiler special 200/200/30 at 9 % [V].
 */
static const struct {
    double so2, nox, dust, o2_ref;
} flue_limits[EW_SIM_IND_COUNT] = {
    [EW_SIM_IND_NONE] = { 35, 50, 10, 6 },
    [EW_SIM_IND_POWER] = { 35, 50, 10, 6 },
    [EW_SIM_IND_COKING] = { 30, 150, 15, 8 },
    [EW_SIM_IND_CEMENT] = { 100, 320, 20, 10 },
    [EW_SIM_IND_ALUMINIUM] = { 100, 0, 10, 0 },
    [EW_SIM_IND_BOILER] = { 200, 200, 30, 9 },
    [EW_SIM_IND_MINE] = { 200, 200, 30, 9 },
    [EW_SIM_IND_SEWAGE] = { 35, 50, 10, 6 },
};

/*
 * Wastewater: GB 18918-2002 class 1A for sewage plants (COD 50, NH3-N 5, TP 0.5, TN 15) [V];
 * coking wastewater GB 16171-2012 direct discharge COD 80, NH3-N 10, TP 1.0, TN 20 [M,
 * unconfirmed]; coal-mine water GB 20426-2006 COD 50 [M, unconfirmed].
 */
static const double waste_limits[][4] = {
    { 50, 5, 0.5, 15 },                 /* sewage, GB 18918 1A */
    { 80, 10, 1.0, 20 },                /* coking, GB 16171 [M] */
    { 50, 0, 0, 0 },                    /* mine water, GB 20426 [M] */
};

/* GB 3838-2002 table 1 classes I..V, rivers (reference/standards.md 1.1) [V]. */
static const double class_codmn[5] = { 2, 4, 6, 10, 15 };
static const double class_nh3n[5] = { 0.15, 0.5, 1.0, 1.5, 2.0 };
static const double class_tp[5] = { 0.02, 0.1, 0.2, 0.3, 0.4 };

const struct ew_sim_factor *
ew_sim_kind_factors(enum ew_sim_kind kind, size_t *n)
{
    *n = kinds[kind].n;
    return kinds[kind].factors;
}

const char *
ew_sim_kind_name(enum ew_sim_kind kind)
{
    return kinds[kind].name;
}

const char *
ew_sim_kind_st(enum ew_sim_kind kind)
{
    return kinds[kind].st;
}

int
ew_sim_kind_parse(const char *s, enum ew_sim_kind *out)
{
    for (int k = 0; k < EW_SIM_KIND_COUNT; k++)
        if (strcmp(s, kinds[k].name) == 0) {
            *out = (enum ew_sim_kind)k;
            return EW_OK;
        }
    return EW_EINVAL;
}

const char *
ew_sim_industry_name(enum ew_sim_industry ind)
{
    return industries[ind];
}

int
ew_sim_industry_parse(const char *s, enum ew_sim_industry *out)
{
    for (int i = 0; i < EW_SIM_IND_COUNT; i++)
        if (strcmp(s, industries[i]) == 0) {
            *out = (enum ew_sim_industry)i;
            return EW_OK;
        }
    return EW_EINVAL;
}

static void
default_limits(struct ew_sim_point *p)
{
    const double *w;
    int k = p->target_class >= 1 && p->target_class <= 5 ? p->target_class - 1 : 2;

    memset(p->limit, 0, sizeof(p->limit));
    switch (p->kind) {
    case EW_SIM_FLUE:
        p->limit[0] = flue_limits[p->industry].so2;
        p->limit[1] = flue_limits[p->industry].nox;
        p->limit[2] = flue_limits[p->industry].dust;
        break;
    case EW_SIM_WASTEWATER:
    case EW_SIM_SEWAGE:
        w = p->kind == EW_SIM_SEWAGE ? waste_limits[0]
            : p->industry == EW_SIM_IND_MINE ? waste_limits[2] : waste_limits[1];
        memcpy(p->limit, w, 4 * sizeof(double));
        break;
    case EW_SIM_WATER:
        p->limit[1] = class_codmn[k];
        p->limit[2] = class_nh3n[k];
        p->limit[3] = class_tp[k];
        break;
    default:
        break;
    }
}

void
ew_sim_point_defaults(struct ew_sim_point *p, enum ew_sim_kind kind, enum ew_sim_industry ind)
{
    size_t n;

    ew_sim_kind_factors(kind, &n);
    p->kind = kind;
    p->industry = ind;
    memcpy(p->st, kinds[kind].st, 3);
    p->nfactors = n;
    for (size_t i = 0; i < n; i++)
        p->factor[i] = (unsigned char)i;
    p->o2_ref_pct = kind == EW_SIM_FLUE ? flue_limits[ind].o2_ref : 0;
    if (p->target_class == 0)
        p->target_class = 3;
    if (p->level <= 0 || !isfinite(p->level))
        p->level = 1.0;
    p->silent_after_s = -1;
    p->exceed_factor = -1;
    default_limits(p);
}

void
ew_sim_point_seal(struct ew_sim_point *p, uint64_t seed)
{
    uint64_t h = ew_sim_hash(seed + 0x9e3779b97f4a7c15ULL);

    for (const char *c = p->mn; *c != '\0'; c++)
        h = ew_sim_hash(h ^ (unsigned char)*c);
    p->key = h;
    p->city_key = ew_sim_hash(seed ^ 0x5851f42d4c957f2dULL);
}

int
ew_sim_point_factor_index(const struct ew_sim_point *p, const char *code, size_t len)
{
    size_t n;
    const struct ew_sim_factor *f = ew_sim_kind_factors(p->kind, &n);

    for (size_t i = 0; i < n; i++)
        if (strlen(f[i].code) == len && memcmp(f[i].code, code, len) == 0)
            return (int)i;
    return -1;
}
