/* SPDX-License-Identifier: MIT */
/* src/store/point.c: the rules a monitoring point must pass before it is stored. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "unit/store/fixture.h"

/* One change to a valid point, and the field the refusal must name. */
static const struct {
    const char *what;
    const char *mn, *pw, *name, *kind, *site, *extra;
    double      lat, lon;
    const char *want;                   /* NULL: accepted */
} cases[] = {
    { "valid 2017 MN", "010000A8900016F000169DC0", "123456", "阳泉 大阳泉", "air", "",
      "{}", 37.87, 113.56, NULL },
    { "2005-style and vendor MNs are accepted", "aqms-1100-2020110011", "p", "x", "flue",
      "", "{}", NAN, NAN, NULL },
    { "extra with attributes", "JLYP01_AIR01_0001", "p", "x", "water", "桃河",
      "{\"st\":\"21\",\"basin\":\"海河\"}", NAN, NAN, NULL },
    { "empty extra means {}", "M1", "p", "x", "dust", "", "", NAN, NAN, NULL },
    { "empty MN", "", "p", "x", "air", "", "{}", NAN, NAN, "mn" },
    { "MN with ;", "M;1", "p", "x", "air", "", "{}", NAN, NAN, "mn" },
    { "MN with space", "M 1", "p", "x", "air", "", "{}", NAN, NAN, "mn" },
    { "MN with =", "MN=1", "p", "x", "air", "", "{}", NAN, NAN, "mn" },
    { "MN of 32 characters", "12345678901234567890123456789012", "p", "x", "air", "", "{}",
      NAN, NAN, NULL },
    { "non-ASCII MN", "MÃ©", "p", "x", "air", "", "{}", NAN, NAN, "mn" },
    { "PW with &", "M1", "a&b", "x", "air", "", "{}", NAN, NAN, "pw" },
    { "empty PW", "M1", "", "x", "air", "", "{}", NAN, NAN, "pw" },
    { "no name", "M1", "p", "", "air", "", "{}", NAN, NAN, "name" },
    { "GBK name", "M1", "p", "\xD1\xF4\xC8\xAA", "air", "", "{}", NAN, NAN, "name" },
    { "control char in name", "M1", "p", "a\tb", "air", "", "{}", NAN, NAN, "name" },
    { "unknown kind", "M1", "p", "x", "noise", "", "{}", NAN, NAN, "kind" },
    { "kind in capitals", "M1", "p", "x", "AIR", "", "{}", NAN, NAN, "kind" },
    { "overlong UTF-8 in site", "M1", "p", "x", "air", "\xC0\xAF", "{}", NAN, NAN, "site" },
    { "lat past 90", "M1", "p", "x", "air", "", "{}", 90.5, 113.0, "lat" },
    { "lon past 180", "M1", "p", "x", "air", "", "{}", 37.0, -180.5, "lon" },
    { "lat without lon", "M1", "p", "x", "air", "", "{}", 37.0, NAN, "lat and lon" },
    { "infinite lon", "M1", "p", "x", "air", "", "{}", 37.0, INFINITY, "lon" },
    { "extra is an array", "M1", "p", "x", "air", "", "[1]", NAN, NAN, "extra" },
    { "extra is not JSON", "M1", "p", "x", "air", "", "{a:1}", NAN, NAN, "extra" },
};

static void
points_follow_the_rules(void **state)
{
    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(cases); i++) {
        struct ew_point p;
        char why[160] = "";
        int rc;

        ew_point_init(&p);
        snprintf(p.mn, sizeof(p.mn), "%s", cases[i].mn);
        snprintf(p.pw, sizeof(p.pw), "%s", cases[i].pw);
        snprintf(p.name, sizeof(p.name), "%s", cases[i].name);
        snprintf(p.kind, sizeof(p.kind), "%s", cases[i].kind);
        snprintf(p.site, sizeof(p.site), "%s", cases[i].site);
        snprintf(p.extra, sizeof(p.extra), "%s", cases[i].extra);
        p.lat = cases[i].lat;
        p.lon = cases[i].lon;
        rc = ew_point_check(&p, why, sizeof(why));
        if (cases[i].want == NULL) {
            if (rc != EW_OK)
                fail_msg("%s: refused (%s)", cases[i].what, why);
        } else {
            if (rc != EW_EINVAL)
                fail_msg("%s: accepted", cases[i].what);
            if (strncmp(why, cases[i].want, strlen(cases[i].want)) != 0)
                fail_msg("%s: reason '%s' does not start with '%s'", cases[i].what, why,
                         cases[i].want);
        }
    }
}

static void
unterminated_fields_are_refused(void **state)
{
    struct ew_point p = fx_point("M1", "air");

    (void)state;
    memset(p.name, 'a', sizeof(p.name));        /* no NUL anywhere */
    assert_int_equal(EW_EINVAL, ew_point_check(&p, NULL, 0));
    p = fx_point("M1", "air");
    memset(p.mn, 'A', sizeof(p.mn));
    assert_int_equal(EW_EINVAL, ew_point_check(&p, NULL, 0));
}

static void
kinds_are_the_header_table(void **state)
{
    static const char *good[] = { "air", "water", "flue", "wastewater", "sewage", "dust",
                                  "fume" };
    static const char *bad[] = { "", "Air", "airx", "noise", "water " };

    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(good); i++)
        assert_true(ew_point_kind_valid(good[i]));
    for (size_t i = 0; i < EW_ARRAY_LEN(bad); i++)
        assert_false(ew_point_kind_valid(bad[i]));
    assert_false(ew_point_kind_valid(NULL));
}

static void
init_means_unknown(void **state)
{
    struct ew_point p;

    (void)state;
    memset(&p, 0x55, sizeof(p));
    ew_point_init(&p);
    assert_int_equal(0, p.id);
    assert_string_equal("", p.mn);
    assert_string_equal("{}", p.extra);
    assert_true(isnan(p.lat) && isnan(p.lon));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(points_follow_the_rules),
        cmocka_unit_test(unterminated_fields_are_refused),
        cmocka_unit_test(kinds_are_the_header_table),
        cmocka_unit_test(init_means_unknown),
    };
    return cmocka_run_group_tests_name("store/point", tests, NULL, NULL);
}
