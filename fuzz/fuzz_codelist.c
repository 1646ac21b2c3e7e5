/* SPDX-License-Identifier: MIT */
/*
 * fuzz_codelist: the registry's code lists (`limits`, `range`, `quota_t`: "a21026=35;...",
 * util/codelist.c) and the webhook URL ([alarms] webhook_url, alarm/notify.c), both typed by
 * bureau staff. The first input byte picks the parser. Invariants: the count never passes the
 * capacity; every item has a code of 1-16 bytes without '=' or ';' and finite numbers (ranges:
 * both, values: hi only); an accepted URL gives a non-empty host, a port 1-65535 and a path
 * that starts with '/' and holds no space or line break. Seeds in fuzz/corpus/codelist/.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alarm/internal.h"
#include "util/codelist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_list(const char *s, int ranges)
{
    struct ew_code_value v[8];
    size_t n = ew_codelist_parse(s, ranges, v, 8);

    if (n > 8)
        __builtin_trap();
    for (size_t i = 0; i < n; i++) {
        size_t len = strnlen(v[i].code, sizeof(v[i].code));
        if (len == 0 || len >= sizeof(v[i].code) || strpbrk(v[i].code, "=;") != NULL ||
            !isfinite(v[i].hi) || (ranges ? !isfinite(v[i].lo) : !isnan(v[i].lo)))
            __builtin_trap();
        if (ew_codelist_find(v, n, v[i].code) == NULL)
            __builtin_trap();
    }
}

static void
check_url(const char *s)
{
    char host[64], port[8], path[128];
    long p;

    if (al_url_parse(s, host, sizeof(host), port, sizeof(port), path, sizeof(path)) != 0)
        return;
    p = strtol(port, NULL, 10);
    if (host[0] == '\0' || p < 1 || p > 65535 || path[0] != '/' ||
        strpbrk(path, " \r\n") != NULL)
        __builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s;

    if (size < 1 || size > 4096)
        return 0;
    if ((s = malloc(size)) == NULL)
        return 0;
    memcpy(s, data + 1, size - 1);
    s[size - 1] = '\0';
    switch (data[0] % 3) {
    case 0:
        check_list(s, 0);
        break;
    case 1:
        check_list(s, 1);
        break;
    default:
        check_url(s);
        break;
    }
    free(s);
    return 0;
}
