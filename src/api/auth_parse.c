/* SPDX-License-Identifier: MIT */
/*
 * What a client sends to prove who it is, parsed strictly: the Authorization header, the
 * session cookie, the login body, a trusted proxy's X-Forwarded-For, and the limits every
 * JSON body must keep before it is parsed. Pure functions that allocate nothing but cJSON's
 * tree of the login body; fuzzed by fuzz/fuzz_auth.c, whose invariants are the contracts in
 * api/auth_internal.h.
 */
#include <arpa/inet.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include <envwatch/err.h>

#include "api/auth_internal.h"

static int
token68_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}

int
ew__auth_parse_bearer(const char *h, char *tok, size_t cap)
{
    size_t n = 0;

    if (h == NULL || tok == NULL || cap == 0)
        return EW_EFORMAT;
    while (*h == ' ' || *h == '\t')
        h++;
    if (strncasecmp(h, "Bearer", 6) != 0 || (h[6] != ' ' && h[6] != '\t'))
        return EW_EFORMAT;
    for (h += 6; *h == ' ' || *h == '\t'; h++)
        ;
    while (token68_char(h[n]))
        n++;
    while (h[n] == '=')
        n++;
    if (n == 0 || n >= cap)
        return EW_EFORMAT;
    for (const char *p = h + n; *p != '\0'; p++)
        if (*p != ' ' && *p != '\t')
            return EW_EFORMAT;
    memcpy(tok, h, n);
    tok[n] = '\0';
    return EW_OK;
}

/* RFC 6265 section 4.1.1 cookie-octet. */
static int
cookie_octet(unsigned char c)
{
    return c == 0x21 || (c >= 0x23 && c <= 0x2B) || (c >= 0x2D && c <= 0x3A) ||
           (c >= 0x3C && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
}

/* Checks and copies one value (optionally in double quotes) of v[0..n). */
static int
cookie_value(const char *v, size_t n, char *out, size_t cap)
{
    if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
        v++;
        n -= 2;
    }
    if (n >= cap)
        return EW_EFORMAT;
    for (size_t i = 0; i < n; i++)
        if (!cookie_octet((unsigned char)v[i]))
            return EW_EFORMAT;
    memcpy(out, v, n);
    out[n] = '\0';
    return EW_OK;
}

int
ew__auth_parse_cookie(const char *h, const char *name, char *out, size_t cap)
{
    size_t name_len;
    int found = 0;

    if (h == NULL || name == NULL || out == NULL || cap == 0)
        return EW_EFORMAT;
    name_len = strlen(name);
    while (*h != '\0') {
        const char *end = strchr(h, ';'), *eq;
        size_t n;
        while (*h == ' ' || *h == '\t')
            h++;
        n = end != NULL ? (size_t)(end - h) : strlen(h);
        while (n > 0 && (h[n - 1] == ' ' || h[n - 1] == '\t'))
            n--;
        eq = memchr(h, '=', n);
        /* Other applications' cookies on the same host are not ours to judge: only our
         * own name must be unique and well formed. */
        if (eq != NULL && (size_t)(eq - h) == name_len && memcmp(h, name, name_len) == 0) {
            if (found++ || cookie_value(eq + 1, n - name_len - 1, out, cap) != EW_OK)
                return EW_EFORMAT;
        }
        if (end == NULL)
            break;
        h = end + 1;
    }
    return found ? EW_OK : EW_ENOTFOUND;
}

static int
copy_member(const cJSON *item, char *out, size_t cap, int name)
{
    const char *s;
    size_t n;

    if (!cJSON_IsString(item) || item->valuestring == NULL)
        return EW_EFORMAT;
    s = item->valuestring;
    n = strlen(s);
    if (n >= cap || (name && n == 0))
        return EW_EFORMAT;
    for (size_t i = 0; name && i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
            return EW_EFORMAT;
    memcpy(out, s, n + 1);
    return EW_OK;
}

cJSON *
ew__api_json_parse(const char *s, size_t len)
{
    const char *end = NULL;
    cJSON *j = cJSON_ParseWithLengthOpts(s, len, &end, 0);

    if (j == NULL)
        return NULL;
    /* Nothing but white space may follow the value ("{...} trailing" is not JSON). */
    for (; end != NULL && end < s + len; end++) {
        if (*end != ' ' && *end != '\t' && *end != '\r' && *end != '\n' && *end != '\0') {
            cJSON_Delete(j);
            return NULL;
        }
    }
    return j;
}

int
ew__auth_parse_login(const char *body, size_t len, char *name, size_t name_cap, char *pw,
                     size_t pw_cap)
{
    cJSON *j, *c;
    int rc = EW_OK, have_name = 0, have_pw = 0;

    if (body == NULL || len == 0 || len > 4096 || name == NULL || pw == NULL ||
        ew__api_json_limits(body, len, 1) != EW_OK)
        return EW_EFORMAT;
    j = ew__api_json_parse(body, len);
    if (j == NULL || !cJSON_IsObject(j)) {
        cJSON_Delete(j);
        return EW_EFORMAT;
    }
    for (c = j->child; c != NULL && rc == EW_OK; c = c->next) {
        if (c->string != NULL && strcmp(c->string, "name") == 0 && !have_name++)
            rc = copy_member(c, name, name_cap, 1);
        else if (c->string != NULL && strcmp(c->string, "password") == 0 && !have_pw++)
            rc = copy_member(c, pw, pw_cap, 0);
        else
            rc = EW_EFORMAT;            /* unknown or repeated key */
    }
    cJSON_Delete(j);
    return rc == EW_OK && have_name && have_pw ? EW_OK : EW_EFORMAT;
}

int
ew__auth_parse_forwarded(const char *h, char *ip, size_t cap)
{
    const char *last;
    char tmp[64];
    unsigned char addr[16];
    size_t n;

    if (h == NULL || ip == NULL)
        return EW_EFORMAT;
    last = strrchr(h, ',');
    last = last != NULL ? last + 1 : h;
    while (*last == ' ' || *last == '\t')
        last++;
    n = strlen(last);
    while (n > 0 && (last[n - 1] == ' ' || last[n - 1] == '\t'))
        n--;
    if (n == 0 || n >= sizeof(tmp) || n >= cap)
        return EW_EFORMAT;
    memcpy(tmp, last, n);
    tmp[n] = '\0';
    if (inet_pton(AF_INET, tmp, addr) != 1 && inet_pton(AF_INET6, tmp, addr) != 1)
        return EW_EFORMAT;
    memcpy(ip, tmp, n + 1);
    return EW_OK;
}

int
ew__api_json_limits(const char *s, size_t len, int max_depth)
{
    int depth = 0, in_str = 0, esc = 0;

    if (s == NULL)
        return EW_EFORMAT;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (in_str) {
            if (esc)
                esc = 0;
            else if (c == '\\')
                esc = 1;
            else if (c == '"')
                in_str = 0;
            continue;
        }
        if (c == '"') {
            in_str = 1;
        } else if (c == '[' || c == '{') {
            if (++depth > max_depth)
                return EW_ETOOBIG;
        } else if (c == ']' || c == '}') {
            if (--depth < 0)
                return EW_EFORMAT;
        }
    }
    return depth == 0 && !in_str ? EW_OK : EW_EFORMAT;
}
