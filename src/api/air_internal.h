/* SPDX-License-Identifier: MIT */
/*
 * Shared by the air-quality route files: src/api/air.c (AQI rows, the current hour, alerts,
 * the route table) and src/api/air_stats.c (statistics, rankings, targets).
 */
#ifndef EW_API_AIR_INTERNAL_H
#define EW_API_AIR_INTERNAL_H

#include "api/internal.h"

/* air_stats.c: GET /api/v1/air/stats, /ranking, /targets (docs/api.md "Air quality"). */
int ew__api_air_stats(struct api_req *r);
int ew__api_air_ranking(struct api_req *r);
int ew__api_air_targets(struct api_req *r);

#endif
