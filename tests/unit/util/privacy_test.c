/* SPDX-License-Identifier: MIT */
/* src/util/privacy.c: what is masked in logs, exports and the audit log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <envwatch/err.h>

#include "util/privacy.h"

static const struct {
    const char *key;
    int         secret;
} keys[] = {
    { "password", 1 }, { "Password", 1 }, { "new_password", 1 }, { "--password", 1 },
    { "pw", 1 }, { "PW", 1 }, { "NewPW", 1 }, { "pwhash", 1 }, { "token", 1 },
    { "X-CSRF-Token", 1 }, { "csrf", 1 }, { "Authorization", 1 }, { "Cookie", 1 },
    { "client_secret", 1 }, { "api_key", 1 },
    { "name", 0 }, { "tokens", 0 }, { "kind", 0 }, { "mn", 0 }, { "passage", 0 },
    { "token_id", 0 }, { "label", 0 },
};

static void
secret_keys_are_recognised(void **state)
{
    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(keys); i++)
        if (ew_privacy_secret_key(keys[i].key, strlen(keys[i].key)) != keys[i].secret)
            fail_msg("key %s: wanted %d", keys[i].key, keys[i].secret);
    assert_true(ew_privacy_personal_key("complainant_phone", 17));
    assert_true(ew_privacy_personal_key("Complainant", 11));
    assert_false(ew_privacy_personal_key("complaint", 9));
}

static const struct {
    const char *in, *out;
} texts[] = {
    { "电话13812345678请回电", "电话138****5678请回电" },
    { "tel 13812345678.", "tel 138****5678." },
    { "12345678901", "12345678901" },                        /* 1[3-9] only */
    { "013812345678", "013812345678" },                      /* 12 digits: not a mobile */
    { "MN 01014030000002200001738A", "MN 01014030000002200001738A" },
    { "身份证110101199003074518", "身份证110101********4518" },
    { "id 11010119900307451X end", "id 110101********451X end" },
    { "20240101120000 and 1700000000000", "20240101120000 and 1700000000000" },
    { "mail zhang.san@example.cn now", "mail z********@example.cn now" },
    { "a@b", "a@b" },                                          /* no dotted domain */
    { "Bearer ewt_AmZwA5I7-p5FOdxcaEdH3JwDnPiGeQtfF9oOQuRL-wk",
      "Bearer ewt_*******************************************" },
    { "", "" },
};

static void
numbers_addresses_and_tokens_are_masked_in_text(void **state)
{
    char buf[200];

    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(texts); i++) {
        snprintf(buf, sizeof(buf), "%s", texts[i].in);
        ew_privacy_mask_text(buf);
        if (strcmp(buf, texts[i].out) != 0)
            fail_msg("text %zu: got '%s', wanted '%s'", i, buf, texts[i].out);
    }
}

static void
argon2_hashes_are_masked(void **state)
{
    char buf[200] = "hash $argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA end";

    (void)state;
    ew_privacy_mask_text(buf);
    assert_null(strstr(buf, "c2FsdA"));
    assert_non_null(strstr(buf, " end"));
}

static const struct {
    const char *in, *out;
} secrets[] = {
    { "QN=1;ST=22;CN=2011;PW=123456;MN=AB", "QN=1;ST=22;CN=2011;PW=***;MN=AB" },
    { "PW=12;MN=AB", "PW=**;MN=AB" },                        /* never longer than it was */
    { "envwatch point add --mn X --pw s3cr3t --name a", "envwatch point add --mn X --pw *** --name a" },
    { "--password=hunter22 --x", "--password=*** --x" },
    { "{\"password\": \"abc def\"}", "{\"password\": \"***\"}" },
    { "token: ewt_abc", "token: ***" },
    { "the passage is open", "the passage is open" },
    { "pw", "pw" },
};

static void
secret_values_in_free_text_are_masked(void **state)
{
    char buf[200];

    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(secrets); i++) {
        snprintf(buf, sizeof(buf), "%s", secrets[i].in);
        ew_privacy_mask_secrets_text(buf);
        if (strcmp(buf, secrets[i].out) != 0)
            fail_msg("text %zu: got '%s', wanted '%s'", i, buf, secrets[i].out);
    }
}

static void
names_keep_their_first_character(void **state)
{
    char a[32] = "张三丰", b[32] = "Li", c[32] = "";

    (void)state;
    ew_privacy_mask_name(a);
    ew_privacy_mask_name(b);
    ew_privacy_mask_name(c);
    assert_string_equal("张**", a);
    assert_string_equal("L*", b);
    assert_string_equal("", c);
}

static void
json_scrub_masks_secrets_and_complainants(void **state)
{
    const char *in = "{\"name\":\"a\",\"password\":\"hunter2\",\"pw\":12345,"
                     "\"extra\":{\"complainant\":\"王小明\",\"complainant_phone\":\"13912345678\","
                     "\"note\":\"call 13912345678\"},\"list\":[{\"token\":\"x\"}],\"n\":null}";
    struct ew_buf b;

    (void)state;
    ew_buf_init(&b, 0);
    assert_int_equal(EW_OK, ew_privacy_scrub(in, strlen(in), 1, &b));
    assert_non_null(strstr(b.ptr, "\"password\":\"***\""));
    assert_non_null(strstr(b.ptr, "\"pw\":\"***\""));
    assert_non_null(strstr(b.ptr, "\"token\":\"***\""));
    assert_non_null(strstr(b.ptr, "\"complainant\":\"王**\""));
    assert_non_null(strstr(b.ptr, "\"complainant_phone\":\"139****5678\""));
    assert_non_null(strstr(b.ptr, "call 139****5678"));
    assert_null(strstr(b.ptr, "hunter2"));
    assert_null(strstr(b.ptr, "12345678"));
    ew_buf_reset(&b);
    assert_int_equal(EW_OK, ew_privacy_scrub(in, strlen(in), 0, &b));
    assert_non_null(strstr(b.ptr, "\"complainant\":\"王小明\""));   /* personal kept */
    assert_null(strstr(b.ptr, "hunter2"));                         /* secrets never */
    ew_buf_fini(&b);
}

static void
non_json_is_scrubbed_as_text(void **state)
{
    const char *in = "PW=654321;MN=X tel 13812345678";
    struct ew_buf b;

    (void)state;
    ew_buf_init(&b, 0);
    assert_int_equal(EW_OK, ew_privacy_scrub(in, strlen(in), 1, &b));
    assert_string_equal("PW=***;MN=X tel 138****5678", b.ptr);
    ew_buf_fini(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(secret_keys_are_recognised),
        cmocka_unit_test(numbers_addresses_and_tokens_are_masked_in_text),
        cmocka_unit_test(argon2_hashes_are_masked),
        cmocka_unit_test(secret_values_in_free_text_are_masked),
        cmocka_unit_test(names_keep_their_first_character),
        cmocka_unit_test(json_scrub_masks_secrets_and_complainants),
        cmocka_unit_test(non_json_is_scrubbed_as_text),
    };
    return cmocka_run_group_tests_name("util/privacy", tests, NULL, NULL);
}
