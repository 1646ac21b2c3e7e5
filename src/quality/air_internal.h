/* SPDX-License-Identifier: MIT */
/*
 * Shared inside the air-quality files of src/quality/ (aqi.c, airclass.c, airstats.c,
 * airrank.c): inline field access by item, so the statistics loops need no calls. Not part
 * of the public API; include/envwatch/air.h has the public accessors.
 */
#ifndef EW_QUALITY_AIR_INTERNAL_H
#define EW_QUALITY_AIR_INTERNAL_H

#include <math.h>

#include <envwatch/air.h>

static inline double
ew__air_day_get(const struct ew_air_day *d, int item)
{
    switch (item) {
    case EW_AIR_SO2: return d->so2_ugm3;
    case EW_AIR_NO2: return d->no2_ugm3;
    case EW_AIR_CO: return d->co_mgm3;
    case EW_AIR_O3_1H: return d->o3_1h_ugm3;
    case EW_AIR_O3_8H: return d->o3_8h_ugm3;
    case EW_AIR_PM10: return d->pm10_ugm3;
    case EW_AIR_PM25: return d->pm25_ugm3;
    default: return NAN;
    }
}

static inline double
ew__air_hour_get(const struct ew_air_hour *h, int item)
{
    switch (item) {
    case EW_AIR_SO2: return h->so2_ugm3;
    case EW_AIR_NO2: return h->no2_ugm3;
    case EW_AIR_CO: return h->co_mgm3;
    case EW_AIR_O3_1H: return h->o3_ugm3;
    case EW_AIR_PM10: return h->pm10_ugm3;
    case EW_AIR_PM25: return h->pm25_ugm3;
    default: return NAN;
    }
}

#endif
