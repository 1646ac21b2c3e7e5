/* SPDX-License-Identifier: MIT */
/*
 * The pure half of include/envwatch/auth.h: role names, account and password checks,
 * Argon2id password hashes and random tokens (libsodium). No state, no I/O; every function is
 * thread-safe (sodium_init is idempotent and itself thread-safe).
 */
#include <string.h>

#include <sodium.h>

#include <envwatch/auth.h>
#include <envwatch/err.h>

static const char *const role_names[] = {
#define X(name, str) str,
    EW_ROLES(X)
#undef X
};

const char *
ew_role_name(int role)
{
    if (role < 0 || role >= EW_ROLE_COUNT)
        return "";
    return role_names[role];
}

int
ew_role_parse(const char *s, int *role)
{
    for (int i = 0; s != NULL && i < EW_ROLE_COUNT; i++) {
        if (strcmp(s, role_names[i]) == 0) {
            *role = i;
            return EW_OK;
        }
    }
    return EW_EINVAL;
}

void
ew_user_init(struct ew_user *u)
{
    memset(u, 0, sizeof(*u));
    u->role = EW_ROLE_ADMIN;
}

static int
say(char *why, size_t len, const char *msg)
{
    if (why != NULL && len > 0) {
        size_t n = strlen(msg) < len - 1 ? strlen(msg) : len - 1;
        memcpy(why, msg, n);
        why[n] = '\0';
    }
    return EW_EINVAL;
}

static int
name_ok(const char *s)
{
    size_t n = strnlen(s, EW_USER_NAME_MAX + 1);

    if (n == 0 || n > EW_USER_NAME_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-' && c != '@')))
            return 0;
    }
    return 1;
}

/* A text field: within max bytes, NUL-terminated, no control characters. */
static int
text_ok(const char *s, size_t max)
{
    size_t n = strnlen(s, max + 1);

    if (n > max)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
            return 0;
    return 1;
}

int
ew_user_check(const struct ew_user *u, char *why, size_t len)
{
    if (!name_ok(u->name))
        return say(why, len, "the login name must be 1-64 characters of letters, digits and "
                             ". _ - @, starting with a letter or digit");
    if (u->role <= EW_ROLE_PUBLIC || u->role >= EW_ROLE_COUNT)
        return say(why, len, "the role must be admin, operator, leader, officer or enterprise");
    if (!text_ok(u->display, EW_USER_TEXT_MAX) || !text_ok(u->unit, EW_USER_TEXT_MAX) ||
        !text_ok(u->enterprise, EW_USER_TEXT_MAX) || !text_ok(u->county, EW_USER_COUNTY_MAX))
        return say(why, len, "display name, county, unit and enterprise must be short texts "
                             "without control characters");
    if (u->role == EW_ROLE_OFFICER && u->county[0] == '\0' && u->unit[0] == '\0')
        return say(why, len, "an officer needs a county or a unit (or both)");
    if (u->role == EW_ROLE_ENTERPRISE && u->enterprise[0] == '\0')
        return say(why, len, "an enterprise user needs its enterprise (the site of its points)");
    if (u->role != EW_ROLE_OFFICER && (u->county[0] != '\0' || u->unit[0] != '\0'))
        return say(why, len, "only an officer has a county or a unit");
    if (u->role != EW_ROLE_ENTERPRISE && u->enterprise[0] != '\0')
        return say(why, len, "only an enterprise user has an enterprise");
    if (strnlen(u->pwhash, EW_PWHASH_MAX) == 0 || strnlen(u->pwhash, EW_PWHASH_MAX) ==
                                                      EW_PWHASH_MAX)
        return say(why, len, "the account has no password hash");
    return EW_OK;
}

/* ---- passwords ---------------------------------------------------------------------------- */

/* Characters (UTF-8 code points) of s, or -1 when s is not valid UTF-8 or has controls. */
static long
utf8_chars(const char *s)
{
    long n = 0;

    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; n++) {
        int extra = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2
                                   : (*p & 0xF8) == 0xF0 ? 3 : -1;
        if (extra < 0 || *p < 0x20 || *p == 0x7F)
            return -1;
        p++;
        for (int i = 0; i < extra; i++, p++)
            if ((*p & 0xC0) != 0x80)
                return -1;
    }
    return n;
}

int
ew_password_check(const char *pw, char *why, size_t len)
{
    long n;
    int digits_only = 1;

    if (pw == NULL || strnlen(pw, EW_PASSWORD_MAX + 1) > EW_PASSWORD_MAX)
        return say(why, len, "a password may have at most 128 bytes");
    n = utf8_chars(pw);
    if (n < 0)
        return say(why, len, "a password must be UTF-8 text without control characters");
    if (n < EW_PASSWORD_MIN)
        return say(why, len, "a password needs at least 10 characters");
    for (const char *p = pw; *p != '\0'; p++)
        if (*p < '0' || *p > '9')
            digits_only = 0;
    if (digits_only)
        return say(why, len, "a password of digits only is too easy to guess");
    return EW_OK;
}

int
ew_password_hash(const char *pw, char out[EW_PWHASH_MAX])
{
    char tmp[crypto_pwhash_STRBYTES];

    if (pw == NULL || sodium_init() < 0)
        return EW_EINVAL;
    /* libsodium's interactive limits (2 passes, 64 MiB): about 0.1 s on a server core. */
    if (crypto_pwhash_str(tmp, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return EW_ENOMEM;
    memcpy(out, tmp, sizeof(tmp) < EW_PWHASH_MAX ? sizeof(tmp) : EW_PWHASH_MAX);
    out[EW_PWHASH_MAX - 1] = '\0';
    sodium_memzero(tmp, sizeof(tmp));
    return EW_OK;
}

int
ew_password_verify(const char *hash, const char *pw)
{
    if (hash == NULL || pw == NULL || sodium_init() < 0)
        return EW_EDENIED;
    if (strnlen(hash, EW_PWHASH_MAX) == EW_PWHASH_MAX || strncmp(hash, "$argon2id$", 10) != 0)
        return EW_EDENIED;
    return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0 ? EW_OK : EW_EDENIED;
}

int
ew_password_generate(char *out, size_t len)
{
    static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    const size_t n = 16;

    if (out == NULL || len < n + 1 || sodium_init() < 0)
        return EW_EINVAL;
    for (size_t i = 0; i < n; i++)
        out[i] = alphabet[randombytes_uniform((uint32_t)(sizeof(alphabet) - 1))];
    out[n] = '\0';
    return EW_OK;
}

/* ---- tokens ---------------------------------------------------------------------------------- */

#define TOKEN_RAW 32                        /* random bytes: 256 bits */
#define TOKEN_B64 43                        /* base64url without padding of 32 bytes */

static void
hex_of(const unsigned char *bin, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[bin[i] >> 4];
        out[2 * i + 1] = digits[bin[i] & 15];
    }
    out[2 * n] = '\0';
}

/* "abc_" followed by 43 base64url characters, nothing else. */
static int
token_shaped(const char *t)
{
    if (strnlen(t, EW_TOKEN_MAX + 1) != 4 + TOKEN_B64)
        return 0;
    for (int i = 0; i < 3; i++)
        if (t[i] < 'a' || t[i] > 'z')
            return 0;
    if (t[3] != '_')
        return 0;
    for (int i = 4; i < 4 + TOKEN_B64; i++) {
        char c = t[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return 0;
    }
    return 1;
}

int
ew_token_hash(const char *token, char hash[EW_TOKEN_HASH_LEN + 1])
{
    unsigned char h[32];

    if (token == NULL || !token_shaped(token) || sodium_init() < 0)
        return EW_EINVAL;
    crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), NULL, 0);
    hex_of(h, sizeof(h), hash);
    return EW_OK;
}

int
ew_token_new(const char *prefix, char token[EW_TOKEN_MAX + 1], char hash[EW_TOKEN_HASH_LEN + 1])
{
    unsigned char raw[TOKEN_RAW];
    char t[EW_TOKEN_MAX + 1];

    if (prefix == NULL || strlen(prefix) != 3 || sodium_init() < 0)
        return EW_EINVAL;
    randombytes_buf(raw, sizeof(raw));
    memcpy(t, prefix, 3);
    t[3] = '_';
    sodium_bin2base64(t + 4, sizeof(t) - 4, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
    if (ew_token_hash(t, hash) != EW_OK)
        return EW_EINVAL;
    memcpy(token, t, sizeof(t));
    sodium_memzero(t, sizeof(t));
    return EW_OK;
}

int
ew_token_csrf(const char *session_token, char out[EW_TOKEN_HASH_LEN + 1])
{
    static const char label[] = "envwatch csrf v1";
    unsigned char h[32];

    if (session_token == NULL || !token_shaped(session_token) || sodium_init() < 0)
        return EW_EINVAL;
    crypto_generichash(h, sizeof(h), (const unsigned char *)label, sizeof(label) - 1,
                       (const unsigned char *)session_token, strlen(session_token));
    hex_of(h, sizeof(h), out);
    return EW_OK;
}

int
ew_token_equal(const char *a, const char *b)
{
    size_t n;

    if (a == NULL || b == NULL)
        return 0;
    n = strlen(a);
    if (n != strlen(b))
        return 0;
    return sodium_memcmp(a, b, n) == 0;
}
