/* SPDX-License-Identifier: MIT */
/*
 * What a client sends to be let in (src/api/auth_parse.c) and what leaves as a log or an
 * export (src/util/privacy.c), from arbitrary bytes. The input is read as an Authorization
 * header, a Cookie header, a login body, an X-Forwarded-For header and a JSON body. The
 * invariants:
 *   - an accepted bearer token is a non-empty run of token68 characters taken from the input;
 *   - an accepted cookie value has only cookie-octets and is a substring of the header;
 *   - an accepted login has a non-empty name without control characters, both within their
 *     buffers, and the body holds exactly those two members;
 *   - an accepted forwarded address parses as IPv4 or IPv6;
 *   - JSON within the depth limit never reaches cJSON with more nesting than allowed;
 *   - masking never makes a text longer, and after masking every value under a secret key
 *     in what parses as JSON is null or stars only.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/auth_internal.h"
#include "util/privacy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
token68(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           strchr("-._~+/=", c) != NULL;
}

static void
check_headers(const char *text)
{
    char tok[EW_TOKEN_MAX + 1], v[EW_TOKEN_MAX + 1], ip[48];
    unsigned char addr[16];

    if (ew__auth_parse_bearer(text, tok, sizeof(tok)) == EW_OK) {
        if (tok[0] == '\0' || strstr(text, tok) == NULL)
            __builtin_trap();
        for (const char *p = tok; *p; p++)
            if (!token68(*p))
                __builtin_trap();
    }
    if (ew__auth_parse_cookie(text, API_SESSION_COOKIE, v, sizeof(v)) == EW_OK) {
        if (strstr(text, v) == NULL)
            __builtin_trap();
        for (const unsigned char *p = (const unsigned char *)v; *p; p++)
            if (*p <= 0x20 || *p >= 0x7F || *p == '"' || *p == ',' || *p == ';' || *p == '\\')
                __builtin_trap();
    }
    if (ew__auth_parse_forwarded(text, ip, sizeof(ip)) == EW_OK &&
        inet_pton(AF_INET, ip, addr) != 1 && inet_pton(AF_INET6, ip, addr) != 1)
        __builtin_trap();
}

static void
check_login(const char *text, size_t size)
{
    char name[EW_USER_NAME_MAX + 1], pw[EW_PASSWORD_MAX + 1];
    cJSON *j;

    if (ew__auth_parse_login(text, size, name, sizeof(name), pw, sizeof(pw)) != EW_OK)
        return;
    if (name[0] == '\0' || strlen(name) > EW_USER_NAME_MAX || strlen(pw) > EW_PASSWORD_MAX)
        __builtin_trap();
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p < 0x20 || *p == 0x7F)
            __builtin_trap();
    j = cJSON_ParseWithLength(text, size);
    if (j == NULL || cJSON_GetArraySize(j) != 2)
        __builtin_trap();
    cJSON_Delete(j);
}

static int
depth_of(const cJSON *j)
{
    int d = 0;

    for (const cJSON *c = j->child; c != NULL; c = c->next) {
        int k = depth_of(c);
        if (k > d)
            d = k;
    }
    return (cJSON_IsArray(j) || cJSON_IsObject(j)) + d;
}

/* A masked value: nothing but '*' (text masks keep up to three, JSON masks are "***"). */
static int
stars_only(const char *s)
{
    return strspn(s, "*") == strlen(s);
}

static int
no_secret_left(const cJSON *j)
{
    for (const cJSON *c = j->child; c != NULL; c = c->next) {
        if (c->string != NULL && ew_privacy_secret_key(c->string, strlen(c->string)) &&
            !cJSON_IsNull(c) && !(cJSON_IsString(c) && stars_only(c->valuestring)))
            return 0;
        if (!no_secret_left(c))
            return 0;
    }
    return 1;
}

static void
check_json(const char *text, size_t size)
{
    cJSON *j = NULL, *s;
    struct ew_buf b;

    if (ew__api_json_limits(text, size, 8) == EW_OK && (j = ew__api_json_parse(text, size)))
        if (depth_of(j) > 8)
            __builtin_trap();
    cJSON_Delete(j);
    ew_buf_init(&b, 1 << 22);
    if (ew_privacy_scrub(text, size, 1, &b) == EW_OK && b.ptr != NULL &&
        (s = cJSON_Parse(b.ptr)) != NULL) {
        if ((cJSON_IsObject(s) || cJSON_IsArray(s)) && !no_secret_left(s))
            __builtin_trap();
        cJSON_Delete(s);
    }
    ew_buf_fini(&b);
}

static void
check_masks(const char *text)
{
    size_t n = strlen(text);
    char *a = strdup(text);

    if (a == NULL)
        return;
    ew_privacy_mask_text(a);
    if (strlen(a) > n)
        __builtin_trap();
    ew_privacy_mask_secrets_text(a);
    if (strlen(a) > n)
        __builtin_trap();
    ew_privacy_mask_name(a);
    if (strlen(a) > n)
        __builtin_trap();
    free(a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);

    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    check_headers(text);
    check_login(text, size);
    check_json(text, size);
    check_masks(text);
    free(text);
    return 0;
}
