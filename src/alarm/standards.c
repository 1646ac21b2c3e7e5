/* SPDX-License-Identifier: MIT */
/*
 * The daemon's standard table: every *.csv of the standards folder ([sources] standards, or
 * the folder found beside the binary as `envwatch compliance` finds it, docs/sources.md).
 * Read once when the alarm hook starts; the table is then read-only.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <envwatch/err.h>

#include "alarm/internal.h"
#include "util/stddir.h"

int
al_standards_load(const char *dir, struct ew_std_table **out, int *found)
{
    char path[PATH_MAX], err[PATH_MAX + 64];
    struct ew_std_table *t = NULL;
    int rc;

    *found = 0;
    if (dir != NULL && dir[0] != '\0')
        snprintf(path, sizeof(path), "%s", dir);
    else if (!ew_stddir_find(path, sizeof(path)))
        return ew_std_table_create(out);
    if ((rc = ew_stddir_load(path, &t, err, sizeof(err))) != EW_OK)
        return rc;
    *found = ew_std_table_count(t) > 0;
    *out = t;
    return EW_OK;
}
