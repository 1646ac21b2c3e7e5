/* SPDX-License-Identifier: MIT */
/*
 * Masking of secrets and personal data (util/privacy.h). Every mask works in place and never
 * makes a text longer, so callers can mask fixed-size fields of store records directly.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include <envwatch/err.h>

#include "util/privacy.h"

#define KEY_MAX 64

/* Lower case, '-' as '_', leading '_' or '-' dropped ("--New-Password" -> "new_password"). */
static size_t
normal_key(const char *key, size_t len, char out[KEY_MAX + 1])
{
    size_t n = 0;

    while (len > 0 && (*key == '-' || *key == '_')) {
        key++;
        len--;
    }
    if (len > KEY_MAX)
        return 0;
    for (size_t i = 0; i < len; i++)
        out[n++] = key[i] == '-' ? '_' : (char)tolower((unsigned char)key[i]);
    out[n] = '\0';
    return n;
}

int
ew_privacy_secret_key(const char *key, size_t len)
{
    static const char *const exact[] = {
        "password", "passwd", "pw", "newpw", "pwhash", "pw_hash", "token", "secret", "cookie",
        "set_cookie", "authorization", "csrf", "api_key", "apikey", "passphrase",
    };
    static const char *const suffix[] = { "_password", "_passwd", "_pw", "_token", "_secret" };
    char k[KEY_MAX + 1];
    size_t n = normal_key(key, len, k);

    if (n == 0)
        return 0;
    for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
        if (strcmp(k, exact[i]) == 0)
            return 1;
    for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
        size_t m = strlen(suffix[i]);
        if (n > m && strcmp(k + n - m, suffix[i]) == 0)
            return 1;
    }
    return 0;
}

int
ew_privacy_personal_key(const char *key, size_t len)
{
    char k[KEY_MAX + 1];
    size_t n = normal_key(key, len, k);

    return n >= 11 && memcmp(k, "complainant", 11) == 0;
}

static int
alnum_at(const char *s, long i)
{
    return i >= 0 && isalnum((unsigned char)s[i]) && (unsigned char)s[i] < 0x80;
}

/* Masks a run of digits s[i..j) when it is a mobile or identity-card number. */
static void
mask_digits(char *s, size_t i, size_t j)
{
    size_t n = j - i;
    int id_x = n == 17 && (s[j] == 'X' || s[j] == 'x');

    if (id_x)
        j++;
    if (alnum_at(s, (long)i - 1) || alnum_at(s, (long)j))
        return;
    if (n == 11 && s[i] == '1' && s[i + 1] >= '3' && s[i + 1] <= '9') {
        memset(s + i + 3, '*', 4);      /* 138****5678 */
    } else if (n == 18 || id_x) {
        memset(s + i + 6, '*', 8);      /* region and the last four stay */
    }
}

static int
email_local_char(char c)
{
    return isalnum((unsigned char)c) || c == '.' || c == '_' || c == '%' || c == '+' ||
           c == '-';
}

/* An '@' at s[at] with a local part before and a dotted domain after: mask the local part. */
static void
mask_email(char *s, size_t at)
{
    size_t start = at, k = at + 1;
    int dot = 0;

    while (start > 0 && email_local_char(s[start - 1]))
        start--;
    while (isalnum((unsigned char)s[k]) || s[k] == '.' || s[k] == '-')
        dot |= s[k++] == '.';
    if (start == at || !dot)
        return;
    for (size_t i = start + 1; i < at; i++)
        s[i] = '*';
}

static int
b64url(char c)
{
    return isalnum((unsigned char)c) || c == '-' || c == '_';
}

static void
mask_tokens(char *s)
{
    for (char *p = s; (p = strpbrk(p, "e$")) != NULL; p++) {
        if ((strncmp(p, "ews_", 4) == 0 || strncmp(p, "ewt_", 4) == 0) && b64url(p[4])) {
            for (p += 4; b64url(*p); p++)
                *p = '*';
            p--;
        } else if (strncmp(p, "$argon2", 7) == 0) {
            for (p += 7; *p != '\0' && (isalnum((unsigned char)*p) || strchr("$=,+/.", *p));
                 p++)
                *p = '*';
            p--;
        }
    }
}

void
ew_privacy_mask_text(char *s)
{
    size_t i = 0;

    if (s == NULL)
        return;
    mask_tokens(s);
    while (s[i] != '\0') {
        if (s[i] >= '0' && s[i] <= '9') {
            size_t j = i;
            while (s[j] >= '0' && s[j] <= '9')
                j++;
            mask_digits(s, i, j);
            i = j;
            continue;
        }
        if (s[i] == '@')
            mask_email(s, i);
        i++;
    }
}

void
ew_privacy_mask_name(char *s)
{
    size_t r = 0, w = 0;
    int first = 1;

    if (s == NULL || s[0] == '\0')
        return;
    while (s[r] != '\0') {
        size_t n = 1;
        while ((s[r + n] & 0xC0) == 0x80)
            n++;
        if (first) {
            memmove(s + w, s + r, n);
            w += n;
            first = 0;
        } else {
            s[w++] = '*';
        }
        r += n;
    }
    s[w] = '\0';
}

static int
word_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '-';
}

static int
value_end(char c)
{
    return c == '\0' || c == ';' || c == '&' || c == ',' || c == ' ' || c == '"' || c == '\'' ||
           c == '\n' || c == '\r' || c == '\t' || c == '}';
}

/* The value after the secret word ending at s[i]: its start, or 0 when none follows;
 * *quote is the quote that opens it (the value then runs to the closing one), else 0. */
static size_t
value_after(const char *s, size_t i, int dashed, char *quote)
{
    size_t k = i;

    *quote = 0;
    if (s[k] == '"' || s[k] == '\'')
        k++;
    while (s[k] == ' ')
        k++;
    if (s[k] == '=' || s[k] == ':') {
        k++;
        while (s[k] == ' ')
            k++;
    } else if (!(dashed && k > i)) {
        return 0;
    }
    if (s[k] == '"' || s[k] == '\'') {
        *quote = s[k];
        k++;
        return s[k] == *quote || s[k] == '\0' ? 0 : k;
    }
    return value_end(s[k]) ? 0 : k;
}

void
ew_privacy_mask_secrets_text(char *s)
{
    size_t i = 0;

    if (s == NULL)
        return;
    while (s[i] != '\0') {
        size_t start = i, v, e, n;
        char quote;
        if (!word_char(s[i]) || (i > 0 && word_char(s[i - 1]))) {
            i++;
            continue;
        }
        while (word_char(s[i]))
            i++;
        if (!ew_privacy_secret_key(s + start, i - start) ||
            (v = value_after(s, i, s[start] == '-', &quote)) == 0)
            continue;
        for (e = v; quote ? s[e] != quote && s[e] != '\0' : !value_end(s[e]); e++)
            ;
        n = e - v < 3 ? e - v : 3;      /* never longer, and the length is not told */
        memset(s + v, '*', n);
        memmove(s + v + n, s + e, strlen(s + e) + 1);
        i = v + n;
    }
}

static void scrub_node(cJSON *node, int mask_personal);

/* A number or an address is masked as such; anything else (a name, a free text) keeps only
 * its first character. */
static void
mask_personal_value(cJSON *item)
{
    char *v = item->valuestring, *copy = strdup(v);

    ew_privacy_mask_text(v);
    if (copy == NULL || strcmp(copy, v) == 0)
        ew_privacy_mask_name(v);
    free(copy);
}

/* Makes item the string text in place, keeping its key and its place among its siblings
 * (cJSON's replace functions lose the key or find the wrong one of two equal keys). */
static void
replace_value(cJSON *item, const char *text)
{
    cJSON *n = cJSON_CreateString(text), old;

    if (n == NULL)
        return;
    old = *item;
    item->type = cJSON_String | (old.type & cJSON_StringIsConst);
    item->valuestring = n->valuestring;
    item->child = NULL;
    item->valueint = 0;
    item->valuedouble = 0;
    /* n takes the old value and is deleted with it (not the key: that stays with item). */
    n->type = (old.type & 0xFF) | (old.type & cJSON_IsReference);
    n->valuestring = old.valuestring;
    n->child = old.child;
    n->string = NULL;
    cJSON_Delete(n);
}

static void
scrub_member(cJSON *parent, cJSON *item, int mask_personal)
{
    const char *key = item->string;

    (void)parent;
    if (key != NULL && ew_privacy_secret_key(key, strlen(key)) && !cJSON_IsNull(item)) {
        replace_value(item, "***");
        return;
    }
    if (key != NULL && mask_personal && ew_privacy_personal_key(key, strlen(key)) &&
        cJSON_IsString(item)) {
        mask_personal_value(item);
        return;
    }
    scrub_node(item, mask_personal);
}

static void
scrub_node(cJSON *node, int mask_personal)
{
    cJSON *c, *next;

    if (cJSON_IsString(node)) {
        ew_privacy_mask_secrets_text(node->valuestring);
        ew_privacy_mask_text(node->valuestring);
        return;
    }
    for (c = node->child; c != NULL; c = next) {
        next = c->next;
        scrub_member(node, c, mask_personal);
    }
}

int
ew_privacy_scrub(const char *text, size_t len, int mask_personal, struct ew_buf *out)
{
    cJSON *j = cJSON_ParseWithLength(text, len);
    char *s;
    int rc;

    if (j != NULL && (cJSON_IsObject(j) || cJSON_IsArray(j))) {
        scrub_node(j, mask_personal);
        s = cJSON_PrintUnformatted(j);
        cJSON_Delete(j);
        if (s == NULL)
            return EW_ENOMEM;
        rc = ew_buf_adds(out, s);
        cJSON_free(s);
        return rc;
    }
    cJSON_Delete(j);
    s = malloc(len + 1);
    if (s == NULL)
        return EW_ENOMEM;
    memcpy(s, text, len);
    s[len] = '\0';
    ew_privacy_mask_secrets_text(s);
    ew_privacy_mask_text(s);
    rc = ew_buf_adds(out, s);
    free(s);
    return rc;
}
