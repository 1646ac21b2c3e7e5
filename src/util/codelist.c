/* SPDX-License-Identifier: MIT */
/* "code=value;..." lists of the registry's extra columns (see codelist.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <envwatch/err.h>

#include "util/codelist.h"
#include "util/compliance_io.h"

size_t
ew_codelist_parse(const char *s, int ranges, struct ew_code_value *out, size_t cap)
{
    char buf[1024];
    size_t n = 0;

    if (s == NULL)
        return 0;
    snprintf(buf, sizeof(buf), "%s", s);
    for (char *it = buf, *next; it != NULL && n < cap; it = next) {
        struct ew_code_value v = { .lo = NAN, .hi = NAN };
        char *eq, *colon;

        if ((next = strchr(it, ';')) != NULL)
            *next++ = '\0';
        eq = strchr(it, '=');
        if (eq == NULL || eq == it || (size_t)(eq - it) >= sizeof(v.code))
            continue;
        memcpy(v.code, it, (size_t)(eq - it));
        colon = strchr(eq + 1, ':');
        if (ranges != (colon != NULL))
            continue;
        if (colon != NULL) {
            *colon = '\0';
            if (ew_cio_double(eq + 1, &v.lo) != EW_OK || ew_cio_double(colon + 1, &v.hi) != EW_OK)
                continue;
        } else if (ew_cio_double(eq + 1, &v.hi) != EW_OK) {
            continue;
        }
        out[n++] = v;
    }
    return n;
}

const struct ew_code_value *
ew_codelist_find(const struct ew_code_value *v, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].code, code) == 0)
            return &v[i];
    return NULL;
}
