/* SPDX-License-Identifier: MIT */
/* src/util/auth.c: role names, account checks, the password policy, Argon2id hashes and the
 * random tokens of sessions, API tokens and CSRF. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <envwatch/auth.h>
#include <envwatch/err.h>

static void
roles_round_trip_and_unknown_is_refused(void **state)
{
    int r = 99;

    (void)state;
    for (int i = 0; i < EW_ROLE_COUNT; i++) {
        assert_int_equal(EW_OK, ew_role_parse(ew_role_name(i), &r));
        assert_int_equal(i, r);
    }
    r = 99;
    assert_int_equal(EW_EINVAL, ew_role_parse("root", &r));
    assert_int_equal(EW_EINVAL, ew_role_parse("Admin", &r));
    assert_int_equal(99, r);
    assert_string_equal("", ew_role_name(EW_ROLE_COUNT));
}

static struct ew_user
account(const char *name, int role, const char *county, const char *unit, const char *ent)
{
    struct ew_user u;

    ew_user_init(&u);
    snprintf(u.name, sizeof(u.name), "%s", name);
    u.role = role;
    snprintf(u.county, sizeof(u.county), "%s", county);
    snprintf(u.unit, sizeof(u.unit), "%s", unit);
    snprintf(u.enterprise, sizeof(u.enterprise), "%s", ent);
    snprintf(u.pwhash, sizeof(u.pwhash), "$argon2id$v=19$m=65536,t=2,p=1$x$y");
    return u;
}

static const struct {
    const char *name;
    int         role;
    const char *county, *unit, *enterprise;
    int         ok;
} accounts[] = {
    { "admin", EW_ROLE_ADMIN, "", "", "", 1 },
    { "li.si@yq", EW_ROLE_OPERATOR, "", "", "", 1 },
    { "zhou", EW_ROLE_LEADER, "", "", "", 1 },
    { "yx-officer", EW_ROLE_OFFICER, "盂县", "", "", 1 },
    { "zjj", EW_ROLE_OFFICER, "", "阳泉市住房和城乡建设局", "", 1 },
    { "both", EW_ROLE_OFFICER, "盂县", "盂县住建局", "", 1 },
    { "plant", EW_ROLE_ENTERPRISE, "", "", "阳泉某电厂", 1 },
    { "nobody", EW_ROLE_OFFICER, "", "", "", 0 },          /* an officer of nothing */
    { "plant2", EW_ROLE_ENTERPRISE, "", "", "", 0 },        /* an enterprise of nothing */
    { "lead2", EW_ROLE_LEADER, "盂县", "", "", 0 },          /* county is an officer's */
    { "op2", EW_ROLE_OPERATOR, "", "", "某厂", 0 },
    { "anon", EW_ROLE_PUBLIC, "", "", "", 0 },              /* no account is public */
    { "", EW_ROLE_ADMIN, "", "", "", 0 },
    { ".dot", EW_ROLE_ADMIN, "", "", "", 0 },
    { "has space", EW_ROLE_ADMIN, "", "", "", 0 },
    { "张三", EW_ROLE_ADMIN, "", "", "", 0 },                /* login names are ASCII */
    { "a234567890123456789012345678901234567890123456789012345678901234", EW_ROLE_ADMIN, "",
      "", "", 1 },                                          /* 64 characters */
};

static void
account_checks_follow_the_roles(void **state)
{
    char why[200];

    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(accounts); i++) {
        struct ew_user u = account(accounts[i].name, accounts[i].role, accounts[i].county,
                                   accounts[i].unit, accounts[i].enterprise);
        int rc = ew_user_check(&u, why, sizeof(why));
        if (rc != (accounts[i].ok ? EW_OK : EW_EINVAL))
            fail_msg("account %zu (%s): got %d", i, accounts[i].name, rc);
    }
}

static void
an_account_without_a_hash_is_refused(void **state)
{
    struct ew_user u = account("admin", EW_ROLE_ADMIN, "", "", "");
    char why[200] = "";

    (void)state;
    u.pwhash[0] = '\0';
    assert_int_equal(EW_EINVAL, ew_user_check(&u, why, sizeof(why)));
    assert_non_null(strstr(why, "password"));
}

static const struct {
    const char *pw;
    int         ok;
} passwords[] = {
    { "correct horse", 1 },
    { "abcdefghij", 1 },                    /* exactly 10 */
    { "abcdefghi", 0 },                     /* 9 */
    { "1234567890123", 0 },                 /* digits only */
    { "蓝天保卫战打赢了吗好", 1 },         /* 10 characters, 30 bytes */
    { "蓝天保卫战", 0 },                     /* 5 characters, 15 bytes: counted as 5 */
    { "tab\there-and-more", 0 },            /* a control character */
    { "\xff\xfe\xfd not utf8 at all", 0 },
};

static void
password_policy_counts_characters_not_bytes(void **state)
{
    char why[160], longpw[200];

    (void)state;
    for (size_t i = 0; i < EW_ARRAY_LEN(passwords); i++)
        if (ew_password_check(passwords[i].pw, why, sizeof(why)) !=
            (passwords[i].ok ? EW_OK : EW_EINVAL))
            fail_msg("password %zu: wanted %s", i, passwords[i].ok ? "ok" : "refused");
    memset(longpw, 'a', 129);
    longpw[129] = '\0';
    assert_int_equal(EW_EINVAL, ew_password_check(longpw, why, sizeof(why)));
    longpw[128] = '\0';
    assert_int_equal(EW_OK, ew_password_check(longpw, why, sizeof(why)));
}

static void
argon2id_hash_verifies_only_its_password(void **state)
{
    char h1[EW_PWHASH_MAX], h2[EW_PWHASH_MAX];

    (void)state;
    assert_int_equal(EW_OK, ew_password_hash("correct horse", h1));
    assert_int_equal(EW_OK, ew_password_hash("correct horse", h2));
    assert_int_equal(0, strncmp(h1, "$argon2id$", 10));
    assert_string_not_equal(h1, h2);                /* salted */
    assert_int_equal(EW_OK, ew_password_verify(h1, "correct horse"));
    assert_int_equal(EW_EDENIED, ew_password_verify(h1, "correct horsE"));
    assert_int_equal(EW_EDENIED, ew_password_verify(h1, ""));
    assert_int_equal(EW_EDENIED, ew_password_verify("plain text", "plain text"));
    assert_int_equal(EW_EDENIED, ew_password_verify("", ""));
}

static void
generated_passwords_pass_the_policy_and_differ(void **state)
{
    char a[17], b[17], why[100];

    (void)state;
    assert_int_equal(EW_EINVAL, ew_password_generate(a, 16));
    assert_int_equal(EW_OK, ew_password_generate(a, sizeof(a)));
    assert_int_equal(EW_OK, ew_password_generate(b, sizeof(b)));
    assert_int_equal(16, strlen(a));
    assert_string_not_equal(a, b);
    assert_int_equal(EW_OK, ew_password_check(a, why, sizeof(why)));
    assert_null(strpbrk(a, "0O1lI"));               /* no look-alikes */
}

static void
tokens_have_their_shape_and_hash(void **state)
{
    char t1[EW_TOKEN_MAX + 1], t2[EW_TOKEN_MAX + 1], h1[65], h2[65], again[65];

    (void)state;
    assert_int_equal(EW_OK, ew_token_new("ews", t1, h1));
    assert_int_equal(EW_OK, ew_token_new("ews", t2, h2));
    assert_int_equal(47, strlen(t1));
    assert_int_equal(0, strncmp(t1, "ews_", 4));
    assert_string_not_equal(t1, t2);
    assert_string_not_equal(h1, h2);
    assert_int_equal(EW_OK, ew_token_hash(t1, again));
    assert_string_equal(h1, again);
    assert_int_equal(64, strlen(h1));
    assert_null(strstr(h1, t1 + 4));                /* the hash does not hold the token */
    assert_int_equal(EW_EINVAL, ew_token_new("toolong", t1, h1));
    assert_int_equal(EW_EINVAL, ew_token_hash("ews_short", again));
    assert_int_equal(EW_EINVAL, ew_token_hash("EWS_0123456789012345678901234567890123456789012",
                                              again));
    assert_int_equal(EW_EINVAL, ew_token_hash("ews_01234567890123456789012345678901234567890;2",
                                              again));
}

static void
csrf_is_bound_to_its_session(void **state)
{
    char t1[EW_TOKEN_MAX + 1], t2[EW_TOKEN_MAX + 1], h[65], c1[65], c1b[65], c2[65];

    (void)state;
    ew_token_new("ews", t1, h);
    ew_token_new("ews", t2, h);
    assert_int_equal(EW_OK, ew_token_csrf(t1, c1));
    assert_int_equal(EW_OK, ew_token_csrf(t1, c1b));
    assert_int_equal(EW_OK, ew_token_csrf(t2, c2));
    assert_string_equal(c1, c1b);
    assert_string_not_equal(c1, c2);
    assert_true(ew_token_equal(c1, c1b));
    assert_false(ew_token_equal(c1, c2));
    assert_false(ew_token_equal(c1, ""));
    assert_false(ew_token_equal(NULL, c1));
    assert_int_equal(EW_EINVAL, ew_token_csrf("x", c1));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(roles_round_trip_and_unknown_is_refused),
        cmocka_unit_test(account_checks_follow_the_roles),
        cmocka_unit_test(an_account_without_a_hash_is_refused),
        cmocka_unit_test(password_policy_counts_characters_not_bytes),
        cmocka_unit_test(argon2id_hash_verifies_only_its_password),
        cmocka_unit_test(generated_passwords_pass_the_policy_and_differ),
        cmocka_unit_test(tokens_have_their_shape_and_hash),
        cmocka_unit_test(csrf_is_bound_to_its_session),
    };
    return cmocka_run_group_tests_name("util/auth", tests, NULL, NULL);
}
