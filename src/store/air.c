/* SPDX-License-Identifier: MIT */
/*
 * The store front's checks of air-quality rows, alert changes and targets: what every
 * backend may rely on before it writes. Pure functions; no SQL here (sqlite_air.c has it).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <envwatch/err.h>
#include <envwatch/store.h>

#include "store/air_internal.h"
#include "store/internal.h"
#include "util/time.h"

void
ew_air_row_init(struct ew_air_row *r)
{
    *r = (struct ew_air_row){ 0 };
    for (int i = 0; i < EW_AIR_NITEMS; i++) {
        r->conc[i] = NAN;
        r->aqi.iaqi[i] = -1;
    }
    r->aqi.aqi = -1;
}

int64_t
ew__store_air_day_of(int64_t t_unix_s)
{
    int64_t local = t_unix_s + EW_CST_OFFSET_S;
    int64_t r = local % 86400;

    if (r < 0)
        r += 86400;
    return t_unix_s - r;
}

static int
say(char *why, size_t len, const char *msg)
{
    if (why != NULL && len > 0)
        snprintf(why, len, "%s", msg);
    return EW_EINVAL;
}

/* A county name: 1..EW_AIR_NAME_MAX bytes, no control characters. */
static int
county_name_ok(const char *s)
{
    size_t n = strnlen(s, EW_AIR_NAME_MAX + 1);

    if (n == 0 || n > EW_AIR_NAME_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
            return 0;
    return 1;
}

int
ew__store_air_area_check(int scope, const char *name, char *why, size_t len)
{
    if (name == NULL)
        return say(why, len, "air: no name");
    switch (scope) {
    case EW_AIR_SCOPE_STATION:
        if (!ew__store_token_valid(name, EW_STORE_MN_MAX + 1, EW__STORE_MN_BANNED))
            return say(why, len, "air: a station's name must be its MN");
        return EW_OK;
    case EW_AIR_SCOPE_COUNTY:
        if (!county_name_ok(name))
            return say(why, len, "air: a county needs a name of 1-48 bytes");
        return EW_OK;
    case EW_AIR_SCOPE_CITY:
        if (name[0] != '\0')
            return say(why, len, "air: the city's name is \"\"");
        return EW_OK;
    }
    return say(why, len, "air: unknown scope");
}

int
ew__store_air_key_check(int scope, const char *name, int period, int64_t t_unix_s, char *why,
                        size_t len)
{
    int rc = ew__store_air_area_check(scope, name, why, len);

    if (rc != EW_OK)
        return rc;
    if (t_unix_s < EW_STORE_T_MIN_UNIX_S || t_unix_s > EW_STORE_T_MAX_UNIX_S)
        return say(why, len, "air: time outside 2000-2099");
    if (period == EW_AIR_PERIOD_HOUR) {
        if (t_unix_s % 3600 != 0)
            return say(why, len, "air: an hour row must start on the full hour");
        return EW_OK;
    }
    if (period == EW_AIR_PERIOD_DAY) {
        if (ew__store_air_day_of(t_unix_s) != t_unix_s)
            return say(why, len, "air: a day row must start at 00:00 CST");
        return EW_OK;
    }
    return say(why, len, "air: unknown period");
}

static int
aqi_ok(const struct ew_aqi_result *a)
{
    const unsigned all = (1u << EW_AIR_NITEMS) - 1;

    for (int i = 0; i < EW_AIR_NITEMS; i++)
        if (a->iaqi[i] < -1 || a->iaqi[i] > 500)
            return 0;
    if ((a->primary & ~all) != 0 || (a->exceeding & ~all) != 0)
        return 0;
    if (a->aqi == -1)
        return a->level == 0 && a->primary == 0 && a->exceeding == 0;
    return a->aqi >= 0 && a->aqi <= 500 && a->level >= 1 && a->level <= 6;
}

int
ew__store_air_row_check(const struct ew_air_row *r, char *why, size_t len)
{
    int rc;

    if (memchr(r->name, '\0', sizeof(r->name)) == NULL ||
        memchr(r->county, '\0', sizeof(r->county)) == NULL)
        return say(why, len, "air: name or county not terminated");
    rc = ew__store_air_key_check(r->scope, r->name, r->period, r->t_unix_s, why, len);
    if (rc != EW_OK)
        return rc;
    if (r->county[0] != '\0' && !county_name_ok(r->county))
        return say(why, len, "air: bad county name");
    for (int i = 0; i < EW_AIR_NITEMS; i++) {
        if (!isnan(r->conc[i]) && (!isfinite(r->conc[i]) || r->conc[i] < 0))
            return say(why, len, "air: a concentration is negative or infinite");
        if (r->n_valid[i] < 0)
            return say(why, len, "air: negative count of valid values");
    }
    if (r->stations < 0 || (r->control != 0 && r->control != 1))
        return say(why, len, "air: bad station count or control flag");
    if (!aqi_ok(&r->aqi))
        return say(why, len, "air: AQI, level or sub-index out of range");
    return EW_OK;
}

int
ew__store_air_change_check(const struct ew_air_alert_state *st,
                           const struct ew_air_alert_change *ch, char *why, size_t len)
{
    if (st->level < EW_ALERT_NONE || st->level >= EW_ALERT_NLEVELS)
        return say(why, len, "air alert: bad state level");
    if (ch->kind < EW_ALERT_EV_NONE || ch->kind > EW_ALERT_EV_END)
        return say(why, len, "air alert: bad change kind");
    if (ch->kind == EW_ALERT_EV_NONE)
        return EW_OK;
    if (ch->from_level < EW_ALERT_NONE || ch->from_level >= EW_ALERT_NLEVELS ||
        ch->to_level < EW_ALERT_NONE || ch->to_level >= EW_ALERT_NLEVELS)
        return say(why, len, "air alert: bad change levels");
    if (ch->aqi < -1 || ch->aqi > 500)
        return say(why, len, "air alert: AQI out of range");
    return EW_OK;
}

int
ew__store_air_target_check(int year, const struct ew_air_target *t, char *why, size_t len)
{
    if (year != 0 && (year < 2000 || year > 2099))
        return say(why, len, "air target: year must be 0 or 2000-2099");
    if (!isnan(t->pm25_ugm3) && (!isfinite(t->pm25_ugm3) || t->pm25_ugm3 < 0))
        return say(why, len, "air target: bad PM2.5 target");
    if (!isnan(t->good_share_pct) &&
        (!isfinite(t->good_share_pct) || t->good_share_pct < 0 || t->good_share_pct > 100))
        return say(why, len, "air target: the good-day share must be 0-100 %");
    if (t->heavy_days_max < -1 || t->heavy_days_max > 366)
        return say(why, len, "air target: heavy days must be -1 (none) or 0-366");
    return EW_OK;
}
