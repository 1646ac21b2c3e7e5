/* SPDX-License-Identifier: MIT */
/* src/util/airrow.c: an AQI row as JSON (parsed back with cJSON) and as CSV. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include <envwatch/err.h>

#include "util/airrow.h"
#include "util/buf.h"
#include "util/time.h"

/* The hour of 1741A at 2019-01-06 10:00 CST (CNEMC hour 11, published AQI 334): PM10 447
 * -> IAQI 334, SO2 123 -> 41, CO 4.8 -> 48 (1-hour columns). The writer formats what it is
 * given; it computes nothing. */
static struct ew_air_row
sample(int period)
{
    struct ew_air_row r;
    struct ew_civil c = { 2019, 1, 6, period == EW_AIR_PERIOD_HOUR ? 10 : 0, 0, 0 };

    ew_air_row_init(&r);
    r.scope = EW_AIR_SCOPE_STATION;
    snprintf(r.name, sizeof(r.name), "1741A");
    snprintf(r.county, sizeof(r.county), "矿区");
    r.period = period;
    r.t_unix_s = ew_civil_to_unix(&c);
    r.conc[EW_AIR_SO2] = 123;
    r.conc[EW_AIR_CO] = 4.8;
    r.conc[EW_AIR_PM10] = 447;
    r.n_valid[EW_AIR_SO2] = r.n_valid[EW_AIR_CO] = r.n_valid[EW_AIR_PM10] = 1;
    r.stations = 1;
    r.aqi = (struct ew_aqi_result){ .aqi = 334, .level = 6, .primary = 1u << EW_AIR_PM10,
                                    .exceeding = (1u << EW_AIR_PM10) | (1u << EW_AIR_CO),
                                    .iaqi = { 41, -1, 48, -1, -1, 334, -1 } };
    return r;
}

static cJSON *
as_json(const struct ew_air_row *r)
{
    struct ew_buf b;
    cJSON *j;

    ew_buf_init(&b, 0);
    assert_int_equal(EW_OK, ew_airrow_json(&b, r));
    j = cJSON_Parse(b.ptr);
    ew_buf_fini(&b);
    assert_non_null(j);
    return j;
}

static void
json_row_has_the_documented_shape(void **state)
{
    struct ew_air_row r = sample(EW_AIR_PERIOD_HOUR);
    cJSON *j = as_json(&r), *conc, *iaqi;

    (void)state;
    assert_string_equal("station", cJSON_GetObjectItem(j, "scope")->valuestring);
    assert_string_equal("1741A", cJSON_GetObjectItem(j, "name")->valuestring);
    assert_string_equal("矿区", cJSON_GetObjectItem(j, "county")->valuestring);
    assert_string_equal("hour", cJSON_GetObjectItem(j, "period")->valuestring);
    assert_string_equal("2019-01-06T10:00:00", cJSON_GetObjectItem(j, "time")->valuestring);
    assert_int_equal(334, cJSON_GetObjectItem(j, "aqi")->valueint);
    assert_int_equal(6, cJSON_GetObjectItem(j, "level")->valueint);
    /* HJ 633 table 2 and appendix A: > 300 is 严重污染, maroon (126, 0, 35) */
    assert_string_equal("严重污染", cJSON_GetObjectItem(j, "category")->valuestring);
    assert_string_equal("#7e0023", cJSON_GetObjectItem(j, "color")->valuestring);
    assert_int_equal(1, cJSON_GetArraySize(cJSON_GetObjectItem(j, "primary")));
    assert_string_equal("PM10",
                        cJSON_GetArrayItem(cJSON_GetObjectItem(j, "primary"), 0)->valuestring);
    assert_string_equal("CO",
                        cJSON_GetArrayItem(cJSON_GetObjectItem(j, "exceeding"), 0)->valuestring);
    conc = cJSON_GetObjectItem(j, "conc");
    assert_true(cJSON_GetObjectItem(conc, "co")->valuedouble == 4.8);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(conc, "pm25")));
    /* an hour has no O3 8-hour slot; a day has */
    assert_null(cJSON_GetObjectItem(conc, "o3_8h"));
    iaqi = cJSON_GetObjectItem(j, "iaqi");
    assert_int_equal(41, cJSON_GetObjectItem(iaqi, "so2")->valueint);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(iaqi, "no2")));
    assert_int_equal(1, cJSON_GetObjectItem(cJSON_GetObjectItem(j, "valid"), "pm10")->valueint);
    cJSON_Delete(j);

    r = sample(EW_AIR_PERIOD_DAY);
    j = as_json(&r);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "conc"), "o3_8h")));
    cJSON_Delete(j);
}

static void
city_and_no_aqi_are_null(void **state)
{
    struct ew_air_row r;
    cJSON *j;

    (void)state;
    ew_air_row_init(&r);
    r.scope = EW_AIR_SCOPE_CITY;
    r.t_unix_s = 1546704000;
    j = as_json(&r);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "name")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "aqi")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "category")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "color")));
    assert_int_equal(0, cJSON_GetArraySize(cJSON_GetObjectItem(j, "primary")));
    cJSON_Delete(j);
}

static size_t
count_fields(const char *line)
{
    size_t n = 1;

    for (; *line != '\0' && *line != '\r'; line++)
        n += *line == ',';
    return n;
}

static void
csv_line_matches_its_header(void **state)
{
    struct ew_air_row r = sample(EW_AIR_PERIOD_HOUR);
    struct ew_buf h, b;

    (void)state;
    ew_buf_init(&h, 0);
    ew_buf_init(&b, 0);
    assert_int_equal(EW_OK, ew_airrow_csv_header(&h));
    assert_int_equal(EW_OK, ew_airrow_csv(&b, &r));
    assert_int_equal(count_fields(h.ptr), count_fields(b.ptr));
    assert_non_null(strstr(h.ptr, "scope,name,county,period,time,aqi,level,category,primary,"
                                  "exceeding,so2,"));
    assert_non_null(strstr(b.ptr, "station,1741A,矿区,hour,2019-01-06T10:00:00,334,6,严重污染,"
                                  "PM10,CO;PM10,123,,4.8,,,447,,41,,48,"));
    ew_buf_fini(&h);
    ew_buf_fini(&b);
}

static void
full_buffer_leaves_nothing_behind(void **state)
{
    struct ew_air_row r = sample(EW_AIR_PERIOD_DAY);
    struct ew_buf b;

    (void)state;
    ew_buf_init(&b, 64);
    assert_int_equal(EW_OK, ew_buf_adds(&b, "["));
    assert_int_equal(EW_ETOOBIG, ew_airrow_json(&b, &r));
    assert_string_equal("[", b.ptr);
    assert_int_equal(EW_ETOOBIG, ew_airrow_csv(&b, &r));
    assert_string_equal("[", b.ptr);
    ew_buf_fini(&b);
}

static void
control_flag_is_read_from_extra(void **state)
{
    static const struct {
        const char *extra;
        int         want;
    } cases[] = {
        { "{\"control\":true}", 1 }, { "{\"control\": false}", 0 }, { "{}", 0 },
        { "{\"control\":\"yes\"}", 0 }, { "not json", 0 }, { NULL, 0 },
    };

    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(cases); i++)
        assert_int_equal(cases[i].want, ew_airrow_is_control(cases[i].extra));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_row_has_the_documented_shape),
        cmocka_unit_test(city_and_no_aqi_are_null),
        cmocka_unit_test(csv_line_matches_its_header),
        cmocka_unit_test(full_buffer_leaves_nothing_behind),
        cmocka_unit_test(control_flag_is_read_from_extra),
    };
    return cmocka_run_group_tests_name("util/airrow", tests, NULL, NULL);
}
