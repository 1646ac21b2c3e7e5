/* SPDX-License-Identifier: MIT */
/*
 * The HTTP layer's input surfaces that do not need a socket: the router's path matching, the
 * static-file path check, ISO time parameters, and JSON request bodies turned into points.
 * Invariants: a matched route's arguments are non-empty segments of the path without '/';
 * an accepted static path has no "..", no "//" and only plain characters; an accepted point
 * passes ew_point_check; nothing crashes or leaks.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"
#include "util/time.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const patterns[] = {
    "/api/v1/points/*", "/api/v1/points/*/readings", "/api/v1/pending/*/approve",
    "/api/v1/alarms/*/*", "/api/v1/health",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1), argbuf[512];
    struct api_req r;
    int64_t t;

    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    memset(&r, 0, sizeof(r));
    for (size_t i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
        if (!ew__api_route_match(patterns[i], text, &r, argbuf, sizeof(argbuf)))
            continue;
        for (size_t a = 0; a < r.nargs; a++)
            if (r.args[a][0] == '\0' || strchr(r.args[a], '/') != NULL ||
                strstr(text, r.args[a]) == NULL)
                __builtin_trap();
    }
    if (ew__api_safe_path(text) &&
        (strstr(text, "..") != NULL || strstr(text, "//") != NULL || text[0] != '/'))
        __builtin_trap();
    ew_time_parse_iso(text, &t);
    ew_buf_init(&r.out, 1 << 20);
    cJSON *j = cJSON_ParseWithLength(text, size);
    if (j != NULL && cJSON_IsObject(j)) {
        struct ew_point p;
        ew_point_init(&p);
        if (api_point_from_json(&r, j, &p) && ew_point_check(&p, NULL, 0) != EW_OK)
            __builtin_trap();
    }
    cJSON_Delete(j);
    ew_buf_fini(&r.out);
    free(text);
    return 0;
}
