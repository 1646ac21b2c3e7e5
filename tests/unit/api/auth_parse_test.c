/* SPDX-License-Identifier: MIT */
/* src/api/auth_parse.c: the Authorization header, the session cookie, the login body, a
 * proxy's X-Forwarded-For and the JSON limits, from well-formed to hostile. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "api/auth_internal.h"

#define TOK "ewt_AmZwA5I7-p5FOdxcaEdH3JwDnPiGeQtfF9oOQuRL-wk"

static const struct {
    const char *header, *want;          /* want NULL: refused */
} bearers[] = {
    { "Bearer " TOK, TOK },
    { "bearer " TOK, TOK },
    { "  BEARER   " TOK "  ", TOK },
    { "Bearer\t" TOK, TOK },
    { "Bearer abc==", "abc==" },        /* token68 padding */
    { "Bearer", NULL },
    { "Bearer ", NULL },
    { "Basic dXNlcjpwYXNz", NULL },
    { "Bearer " TOK " extra", NULL },
    { "Bearer a\"b", NULL },
    { "BearerX " TOK, NULL },
    { "", NULL },
};

static void
bearer_tokens_are_parsed_strictly(void **state)
{
    char tok[EW_TOKEN_MAX + 1];

    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(bearers); i++) {
        int rc = ew__auth_parse_bearer(bearers[i].header, tok, sizeof(tok));
        if (bearers[i].want == NULL ? rc != EW_EFORMAT
                                    : rc != EW_OK || strcmp(tok, bearers[i].want) != 0)
            fail_msg("header %zu '%s': rc %d", i, bearers[i].header, rc);
    }
    /* a token longer than the buffer is refused, not cut */
    assert_int_equal(EW_EFORMAT, ew__auth_parse_bearer("Bearer " TOK, tok, 10));
}

static const struct {
    const char *header;
    int         rc;
    const char *want;
} cookies[] = {
    { "ew_session=abc", EW_OK, "abc" },
    { "theme=dark; ew_session=ews_x-y_z; lang=zh", EW_OK, "ews_x-y_z" },
    { "ew_session=\"quoted\"", EW_OK, "quoted" },
    { "other=1; odd cookie without equals; ew_session=v", EW_OK, "v" },
    { "xew_session=abc", EW_ENOTFOUND, NULL },
    { "ew_sessionx=abc", EW_ENOTFOUND, NULL },
    { "", EW_ENOTFOUND, NULL },
    { "ew_session=a; ew_session=b", EW_EFORMAT, NULL },     /* ambiguous */
    { "ew_session=a b", EW_EFORMAT, NULL },
    { "ew_session=a,b", EW_EFORMAT, NULL },
    { "ew_session=a\\b", EW_EFORMAT, NULL },
};

static void
the_session_cookie_is_found_and_judged(void **state)
{
    char v[64];

    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(cookies); i++) {
        int rc = ew__auth_parse_cookie(cookies[i].header, API_SESSION_COOKIE, v, sizeof(v));
        if (rc != cookies[i].rc || (rc == EW_OK && strcmp(v, cookies[i].want) != 0))
            fail_msg("cookie %zu '%s': rc %d", i, cookies[i].header, rc);
    }
    assert_int_equal(EW_EFORMAT, ew__auth_parse_cookie("ew_session=0123456789", API_SESSION_COOKIE,
                                                       v, 5));
}

static const struct {
    const char *body;
    int         ok;
} logins[] = {
    { "{\"name\":\"admin\",\"password\":\"correct horse\"}", 1 },
    { " { \"password\" : \"x\" , \"name\" : \"a\" } ", 1 },
    { "{\"name\":\"admin\"}", 0 },
    { "{\"name\":\"admin\",\"password\":\"x\",\"remember\":true}", 0 },
    { "{\"name\":\"admin\",\"password\":\"x\",\"name\":\"root\"}", 0 },
    { "{\"name\":1,\"password\":\"x\"}", 0 },
    { "{\"name\":\"a\",\"password\":[\"x\"]}", 0 },
    { "{\"name\":\"\",\"password\":\"x\"}", 0 },
    { "{\"name\":\"a\\nb\",\"password\":\"x\"}", 0 },
    { "[\"admin\",\"x\"]", 0 },
    { "{\"name\":\"a\",\"password\":\"x\"} trailing", 0 },
    { "{\"name\":\"a\",\"password\":\"x\"", 0 },
    { "", 0 },
};

static void
the_login_body_has_exactly_its_two_fields(void **state)
{
    char name[EW_USER_NAME_MAX + 1], pw[EW_PASSWORD_MAX + 1];

    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(logins); i++) {
        int rc = ew__auth_parse_login(logins[i].body, strlen(logins[i].body), name,
                                      sizeof(name), pw, sizeof(pw));
        if (rc != (logins[i].ok ? EW_OK : EW_EFORMAT))
            fail_msg("login body %zu: rc %d", i, rc);
    }
    assert_int_equal(EW_OK, ew__auth_parse_login(logins[0].body, strlen(logins[0].body), name,
                                                 sizeof(name), pw, sizeof(pw)));
    assert_string_equal("admin", name);
    assert_string_equal("correct horse", pw);
    assert_int_equal(EW_EFORMAT, ew__auth_parse_login(logins[0].body, strlen(logins[0].body),
                                                      name, 3, pw, sizeof(pw)));
}

static void
forwarded_for_takes_the_last_valid_address(void **state)
{
    char ip[48];

    (void)state;
    assert_int_equal(EW_OK, ew__auth_parse_forwarded("203.0.113.9", ip, sizeof(ip)));
    assert_string_equal("203.0.113.9", ip);
    assert_int_equal(EW_OK, ew__auth_parse_forwarded("1.1.1.1, 10.0.0.7 ", ip, sizeof(ip)));
    assert_string_equal("10.0.0.7", ip);
    assert_int_equal(EW_OK, ew__auth_parse_forwarded("2001:db8::1", ip, sizeof(ip)));
    assert_int_equal(EW_EFORMAT, ew__auth_parse_forwarded("10.0.0.7, evil", ip, sizeof(ip)));
    assert_int_equal(EW_EFORMAT, ew__auth_parse_forwarded("", ip, sizeof(ip)));
    assert_int_equal(EW_EFORMAT, ew__auth_parse_forwarded("1.1.1.1,", ip, sizeof(ip)));
}

static void
json_limits_bound_depth_outside_strings(void **state)
{
    char deep[200];

    (void)state;
    assert_int_equal(EW_OK, ew__api_json_limits("{\"a\":[1,{\"b\":2}]}", 17, 3));
    assert_int_equal(EW_ETOOBIG, ew__api_json_limits("{\"a\":[1,{\"b\":2}]}", 17, 2));
    assert_int_equal(EW_OK, ew__api_json_limits("{\"a\":\"[[[[[[\"}", 14, 1));
    assert_int_equal(EW_OK, ew__api_json_limits("{\"a\":\"\\\"[[\"}", 12, 1));
    assert_int_equal(EW_EFORMAT, ew__api_json_limits("{\"a\":1", 6, 5));
    assert_int_equal(EW_EFORMAT, ew__api_json_limits("}{", 2, 5));
    assert_int_equal(EW_EFORMAT, ew__api_json_limits("{\"a\":\"open}", 11, 5));
    memset(deep, '[', 100);
    memset(deep + 100, ']', 100);
    assert_int_equal(EW_ETOOBIG, ew__api_json_limits(deep, 200, API_JSON_MAX_DEPTH));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bearer_tokens_are_parsed_strictly),
        cmocka_unit_test(the_session_cookie_is_found_and_judged),
        cmocka_unit_test(the_login_body_has_exactly_its_two_fields),
        cmocka_unit_test(forwarded_for_takes_the_last_valid_address),
        cmocka_unit_test(json_limits_bound_depth_outside_strings),
    };
    return cmocka_run_group_tests_name("api/auth_parse", tests, NULL, NULL);
}
