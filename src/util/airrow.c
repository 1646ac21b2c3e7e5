/* SPDX-License-Identifier: MIT */
/*
 * AQI rows as JSON and CSV (see airrow.h). The level's names and colour come from HJ 633
 * table 2 and appendix A through ew_aqi_class_of; pollutants are named by the tokens of
 * ew_air_item_token ("PM2.5", "O3" for the 1-hour O3, "O3_8h"). Not a parser.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include <envwatch/air.h>
#include <envwatch/err.h>

#include "util/airrow.h"
#include "util/csv.h"
#include "util/json.h"
#include "util/time.h"

static const char *const item_keys[EW_AIR_NITEMS] = {
    "so2", "no2", "co", "o3", "o3_8h", "pm10", "pm25",
};

const char *
ew_airrow_scope_name(int scope)
{
    static const char *const names[] = { "station", "county", "city" };

    return scope >= 0 && scope < (int)EW_ARRAY_LEN(names) ? names[scope] : NULL;
}

const char *
ew_airrow_period_name(int period)
{
    return period == EW_AIR_PERIOD_HOUR ? "hour" : period == EW_AIR_PERIOD_DAY ? "day" : NULL;
}

const char *
ew_airrow_item_key(int item)
{
    return item >= 0 && item < EW_AIR_NITEMS ? item_keys[item] : NULL;
}

int
ew_airrow_is_control(const char *extra_json)
{
    cJSON *j = cJSON_Parse(extra_json != NULL ? extra_json : "{}");
    int yes = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "control"));

    cJSON_Delete(j);
    return yes;
}

/* The first failure of a sequence of appends. */
static void
keep(int *rc, int r)
{
    if (*rc == EW_OK)
        *rc = r;
}

/* Undoes a partial object, so a full buffer never leaves half a row behind. */
static int
finish(struct ew_buf *b, size_t start, int rc)
{
    if (rc != EW_OK && b->ptr != NULL) {
        b->len = start;
        b->ptr[start] = '\0';
    }
    return rc;
}

/* The items of a row: an hour has no O3 8-hour slot. */
static int
item_used(const struct ew_air_row *r, int item)
{
    return !(r->period == EW_AIR_PERIOD_HOUR && item == EW_AIR_O3_8H);
}

static int
items_array(struct ew_buf *b, unsigned mask)
{
    int rc = ew_buf_addc(b, '['), n = 0;

    for (int i = 0; i < EW_AIR_NITEMS; i++) {
        if ((mask & (1u << i)) == 0)
            continue;
        if (n++ > 0)
            keep(&rc, ew_buf_addc(b, ','));
        keep(&rc, ew_json_strz(b, ew_air_item_token(i)));
    }
    keep(&rc, ew_buf_addc(b, ']'));
    return rc;
}

/* {"so2":…,…} of one per-item array: kind 0 sub-indices, 1 concentrations, 2 counts. */
static int
items_object(struct ew_buf *b, const struct ew_air_row *r, int kind)
{
    int rc = ew_buf_addc(b, '{'), n = 0;

    for (int i = 0; i < EW_AIR_NITEMS; i++) {
        if (!item_used(r, i))
            continue;
        if (n++ > 0)
            keep(&rc, ew_buf_addc(b, ','));
        keep(&rc, ew_json_key(b, item_keys[i]));
        if (kind == 0 && r->aqi.iaqi[i] < 0)
            keep(&rc, ew_buf_adds(b, "null"));
        else if (kind == 0)
            keep(&rc, ew_buf_printf(b, "%d", r->aqi.iaqi[i]));
        else if (kind == 1)
            keep(&rc, ew_json_num(b, r->conc[i], 10));
        else
            keep(&rc, ew_buf_printf(b, "%d", r->n_valid[i]));
    }
    keep(&rc, ew_buf_addc(b, '}'));
    return rc;
}

static int
level_fields(struct ew_buf *b, const struct ew_air_row *r)
{
    const struct ew_aqi_class *k = r->aqi.aqi >= 0 ? ew_aqi_class_of(r->aqi.aqi) : NULL;
    int rc;

    if (k == NULL)
        return ew_buf_adds(b, ",\"aqi\":null,\"level\":null,\"category\":null,"
                              "\"category_en\":null,\"color\":null");
    rc = ew_buf_printf(b, ",\"aqi\":%d,\"level\":%d,\"category\":", r->aqi.aqi, k->level);
    keep(&rc, ew_json_strz(b, k->category_zh));
    keep(&rc, ew_buf_adds(b, ",\"category_en\":"));
    keep(&rc, ew_json_strz(b, k->category_en));
    keep(&rc, ew_buf_printf(b, ",\"color\":\"#%02x%02x%02x\"", k->rgb[0], k->rgb[1],
                            k->rgb[2]));
    return rc;
}

int
ew_airrow_json_fields(struct ew_buf *b, const struct ew_air_row *r)
{
    size_t start = b->len;
    char t[20];
    int rc;

    ew_time_fmt_iso(r->t_unix_s, t);
    rc = ew_buf_printf(b, "\"period\":\"%s\",\"time\":\"%s\"", ew_airrow_period_name(r->period),
                       t);
    keep(&rc, level_fields(b, r));
    keep(&rc, ew_buf_adds(b, ",\"primary\":"));
    keep(&rc, items_array(b, r->aqi.primary));
    keep(&rc, ew_buf_adds(b, ",\"exceeding\":"));
    keep(&rc, items_array(b, r->aqi.exceeding));
    keep(&rc, ew_buf_adds(b, ",\"iaqi\":"));
    keep(&rc, items_object(b, r, 0));
    keep(&rc, ew_buf_adds(b, ",\"conc\":"));
    keep(&rc, items_object(b, r, 1));
    keep(&rc, ew_buf_adds(b, ",\"valid\":"));
    keep(&rc, items_object(b, r, 2));
    keep(&rc, ew_buf_printf(b, ",\"stations\":%d", r->stations));
    return finish(b, start, rc);
}

int
ew_airrow_json(struct ew_buf *b, const struct ew_air_row *r)
{
    size_t start = b->len;
    int rc;

    rc = ew_buf_printf(b, "{\"scope\":\"%s\",\"name\":", ew_airrow_scope_name(r->scope));
    keep(&rc, ew_json_strz(b, r->scope == EW_AIR_SCOPE_CITY ? NULL : r->name));
    keep(&rc, ew_buf_adds(b, ",\"county\":"));
    keep(&rc, ew_json_strz(b, r->county[0] != '\0' ? r->county : NULL));
    if (r->scope == EW_AIR_SCOPE_STATION)
        keep(&rc, ew_buf_printf(b, ",\"control\":%s", r->control ? "true" : "false"));
    keep(&rc, ew_buf_addc(b, ','));
    keep(&rc, ew_airrow_json_fields(b, r));
    keep(&rc, ew_buf_addc(b, '}'));
    return finish(b, start, rc);
}

int
ew_airrow_csv_header(struct ew_buf *b)
{
    int rc = ew_buf_adds(b, "scope,name,county,period,time,aqi,level,category,primary,"
                            "exceeding");

    for (int k = 0; k < 3; k++)
        for (int i = 0; i < EW_AIR_NITEMS; i++)
            keep(&rc, ew_buf_printf(b, ",%s%s", k == 0 ? "" : k == 1 ? "iaqi_" : "n_",
                                    item_keys[i]));
    keep(&rc, ew_buf_adds(b, ",stations\r\n"));
    return rc;
}

static int
csv_items(struct ew_buf *b, unsigned mask)
{
    char list[80] = "";
    size_t n = 0;

    for (int i = 0; i < EW_AIR_NITEMS; i++)
        if (mask & (1u << i))
            n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s", n > 0 ? ";" : "",
                                  ew_air_item_token(i));
    return ew_buf_printf(b, ",%s", list);
}

int
ew_airrow_csv(struct ew_buf *b, const struct ew_air_row *r)
{
    const struct ew_aqi_class *k = r->aqi.aqi >= 0 ? ew_aqi_class_of(r->aqi.aqi) : NULL;
    size_t start = b->len;
    char t[20];
    int rc;

    ew_time_fmt_iso(r->t_unix_s, t);
    rc = ew_csv_field(b, ew_airrow_scope_name(r->scope));
    keep(&rc, ew_buf_addc(b, ','));
    keep(&rc, ew_csv_field(b, r->name));
    keep(&rc, ew_buf_addc(b, ','));
    keep(&rc, ew_csv_field(b, r->county));
    keep(&rc, ew_buf_printf(b, ",%s,%s", ew_airrow_period_name(r->period), t));
    if (k != NULL)
        keep(&rc, ew_buf_printf(b, ",%d,%d,%s", r->aqi.aqi, k->level, k->category_zh));
    else
        keep(&rc, ew_buf_adds(b, ",,,"));
    keep(&rc, csv_items(b, r->aqi.primary));
    keep(&rc, csv_items(b, r->aqi.exceeding));
    for (int i = 0; i < EW_AIR_NITEMS; i++)
        keep(&rc, isnan(r->conc[i]) ? ew_buf_addc(b, ',')
                                    : ew_buf_printf(b, ",%.10g", r->conc[i]));
    for (int i = 0; i < EW_AIR_NITEMS; i++)
        keep(&rc, r->aqi.iaqi[i] < 0 ? ew_buf_addc(b, ',')
                                     : ew_buf_printf(b, ",%d", r->aqi.iaqi[i]));
    for (int i = 0; i < EW_AIR_NITEMS; i++)
        keep(&rc, item_used(r, i) ? ew_buf_printf(b, ",%d", r->n_valid[i])
                                  : ew_buf_addc(b, ','));
    keep(&rc, ew_buf_printf(b, ",%d\r\n", r->stations));
    return finish(b, start, rc);
}
