/* SPDX-License-Identifier: MIT */
/*
 * The rules a monitoring point must follow before any backend stores it, and the small
 * checks the front applies to codes and kinds. Pure functions: no I/O, no state.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include <envwatch/err.h>
#include <envwatch/store.h>

#include "store/internal.h"

static const char *const kinds[] = {
#define X(id, name) name,
    EW_POINT_KINDS(X)
#undef X
};

/* "must be one of: air water flue ..." for messages, from the same table. */
static const char kind_rule[] = "must be one of:"
#define X(id, name) " " name
    EW_POINT_KINDS(X)
#undef X
    ;

void
ew_point_init(struct ew_point *p)
{
    memset(p, 0, sizeof(*p));
    p->lat = NAN;
    p->lon = NAN;
    memcpy(p->extra, "{}", 3);
}

int
ew_point_kind_valid(const char *kind)
{
    if (kind == NULL)
        return 0;
    for (size_t i = 0; i < EW_ARRAY_LEN(kinds); i++)
        if (strcmp(kind, kinds[i]) == 0)
            return 1;
    return 0;
}

int
ew__store_kind_valid(int kind)
{
    return kind == EW_KIND_RTD || kind == EW_KIND_MINUTE || kind == EW_KIND_HOUR ||
           kind == EW_KIND_DAY;
}

int
ew__store_token_valid(const char *s, size_t size, const char *banned)
{
    size_t n = 0;

    for (; n < size && s[n] != '\0'; n++)
        if ((unsigned char)s[n] <= 0x20 || (unsigned char)s[n] >= 0x7f ||
            strchr(banned, s[n]) != NULL)
            return 0;
    return n > 0 && n < size;
}

/* Length of the UTF-8 sequence at s, 0 when invalid (overlong, surrogate, past U+10FFFF). */
static size_t
utf8_len(const unsigned char *s)
{
    unsigned cp, n, i;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        n = 2, cp = s[0] & 0x1F;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        n = 3, cp = s[0] & 0x0F;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        n = 4, cp = s[0] & 0x07;
    else
        return 0;
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    return n;
}

/* Checks a NUL-terminated text field of an array of size bytes: UTF-8, no control chars. */
static const char *
text_problem(const char *s, size_t size, int required)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t len = strnlen(s, size), step;

    if (len == size)
        return "is too long";
    if (required && len == 0)
        return "is missing";
    for (size_t i = 0; i < len; i += step) {
        if (u[i] < 0x20 || u[i] == 0x7F)
            return "holds a control character";
        if ((step = utf8_len(u + i)) == 0 || i + step > len)
            return "is not UTF-8 (save the file as UTF-8)";
    }
    return NULL;
}

static const char *
coord_problem(double lat, double lon)
{
    if (isnan(lat) && isnan(lon))
        return NULL;
    if (isnan(lat) || isnan(lon))
        return "lat and lon go together: give both or neither";
    if (!(lat >= -90.0 && lat <= 90.0))
        return "lat is outside [-90, 90]";
    if (!(lon >= -180.0 && lon <= 180.0))
        return "lon is outside [-180, 180]";
    return NULL;
}

static int
extra_is_object(const char *extra, size_t size)
{
    cJSON *j;
    int ok;

    if (strnlen(extra, size) == size)
        return 0;
    if (extra[0] == '\0')
        return 1;                       /* stored as "{}" */
    j = cJSON_ParseWithOpts(extra, NULL, 1);
    ok = cJSON_IsObject(j);
    cJSON_Delete(j);
    return ok;
}

static int
bad(char *why, size_t why_len, const char *field, const char *problem)
{
    if (why != NULL && why_len > 0)
        snprintf(why, why_len, "%s%s%s", field, field[0] ? " " : "", problem);
    return EW_EINVAL;
}

int
ew_point_check(const struct ew_point *p, char *why, size_t why_len)
{
    const char *problem;

    if (!ew__store_token_valid(p->mn, sizeof(p->mn), EW__STORE_MN_BANNED))
        return bad(why, why_len, "mn", "must be 1-32 printable ASCII characters without "
                                        "spaces or ; = & ,");
    if (!ew__store_token_valid(p->pw, sizeof(p->pw), EW__STORE_MN_BANNED))
        return bad(why, why_len, "pw", "must be 1-32 printable ASCII characters without "
                                        "spaces or ; = & ,");
    if ((problem = text_problem(p->name, sizeof(p->name), 1)) != NULL)
        return bad(why, why_len, "name", problem);
    if (strnlen(p->kind, sizeof(p->kind)) == sizeof(p->kind) || !ew_point_kind_valid(p->kind))
        return bad(why, why_len, "kind", kind_rule);
    if ((problem = text_problem(p->site, sizeof(p->site), 0)) != NULL)
        return bad(why, why_len, "site", problem);
    if ((problem = text_problem(p->county, sizeof(p->county), 0)) != NULL)
        return bad(why, why_len, "county", problem);
    if ((problem = coord_problem(p->lat, p->lon)) != NULL)
        return bad(why, why_len, "", problem);
    if (!extra_is_object(p->extra, sizeof(p->extra)))
        return bad(why, why_len, "extra", "must be a JSON object of at most 1024 bytes");
    return EW_OK;
}

void
ew__store_copy(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);

    if (n >= size) {
        n = size - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;                        /* do not cut a UTF-8 sequence in two */
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}
