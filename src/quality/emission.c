/* SPDX-License-Identifier: MIT */
/*
 * Flue-gas conversions of HJ 75-2017 (annex formulas) and the reference-oxygen correction of
 * the emission standards (GB 13271-2014 §5.2, GB 4915-2013 §4.1.4). Pure arithmetic; the
 * standard table is in standards.c, the validity of a data flag is inline in emission.h.
 */
#include <math.h>

#include <envwatch/emission.h>
#include <envwatch/err.h>

#define O2_AIR_PCT 21.0
#define STD_PRESSURE_PA 101325.0
#define ZERO_C_K 273.0             /* HJ 75 writes 273, not 273.15 */
#define MOLAR_VOLUME_L 22.4

static int
nonneg(double v)
{
    return isfinite(v) && v >= 0;
}

int
ew_o2_correct(double conc_mgm3, double o2_pct, double o2_ref_pct, double *out_mgm3)
{
    if (!nonneg(conc_mgm3) || !nonneg(o2_pct) || !nonneg(o2_ref_pct) || out_mgm3 == NULL ||
        o2_pct >= O2_AIR_PCT || o2_ref_pct >= O2_AIR_PCT)
        return EW_EINVAL;
    *out_mgm3 = conc_mgm3 * (O2_AIR_PCT - o2_ref_pct) / (O2_AIR_PCT - o2_pct);
    return EW_OK;
}

int
ew_conc_dry(double conc_wet_mgm3, double moisture_pct, double *out_mgm3)
{
    if (!nonneg(conc_wet_mgm3) || !nonneg(moisture_pct) || moisture_pct >= 100 ||
        out_mgm3 == NULL)
        return EW_EINVAL;
    *out_mgm3 = conc_wet_mgm3 / (1 - moisture_pct / 100);
    return EW_OK;
}

int
ew_ppm_to_mgm3(double ppm, double molar_mass_gmol, double *out_mgm3)
{
    if (!nonneg(ppm) || !(molar_mass_gmol > 0) || !isfinite(molar_mass_gmol) ||
        out_mgm3 == NULL)
        return EW_EINVAL;
    *out_mgm3 = molar_mass_gmol / MOLAR_VOLUME_L * ppm;
    return EW_OK;
}

int
ew_nox_as_no2(double no_mgm3, double no2_mgm3, double *out_mgm3)
{
    /* HJ 75-2017: NOx is reported as NO2; NO alone is not an NOx measurement. */
    if (!nonneg(no_mgm3) || !nonneg(no2_mgm3) || out_mgm3 == NULL)
        return EW_EINVAL;
    *out_mgm3 = no_mgm3 * 46.0 / 30.0 + no2_mgm3;
    return EW_OK;
}

int
ew_flow_std_dry(double flow_m3h, double temp_c, double baro_pa, double static_pa,
                double moisture_pct, double *out_m3h)
{
    double abs_pa = baro_pa + static_pa;

    if (!nonneg(flow_m3h) || !isfinite(temp_c) || temp_c <= -ZERO_C_K || !isfinite(abs_pa) ||
        abs_pa <= 0 || !nonneg(moisture_pct) || moisture_pct >= 100 || out_m3h == NULL)
        return EW_EINVAL;
    *out_m3h = flow_m3h * ZERO_C_K / (ZERO_C_K + temp_c) * abs_pa / STD_PRESSURE_PA *
               (1 - moisture_pct / 100);
    return EW_OK;
}
