/* SPDX-License-Identifier: MIT */
/*
 * The daemon's standard table: every *.csv of the standards folder ([sources] standards, or
 * the folder found beside the binary as `envwatch compliance` finds it, docs/sources.md).
 * Read once when the alarm hook starts; the table is then read-only.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <envwatch/err.h>

#include "alarm/internal.h"

static int
is_dir(const char *path)
{
    DIR *d = opendir(path);

    if (d == NULL)
        return 0;
    closedir(d);
    return 1;
}

/* The installed layout first, then a build tree (data/standards above the binary), then the
 * working folder. 0 when none exists. */
static int
find_dir(char *out, size_t cap)
{
    char exe[PATH_MAX], *slash;
    ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

    if (len > 0) {
        exe[len] = '\0';
        if ((slash = strrchr(exe, '/')) != NULL)
            *slash = '\0';
        if (snprintf(out, cap, "%s/../share/envwatch/standards", exe) < (int)cap &&
            is_dir(out))
            return 1;
        for (int up = 0; up < 4; up++) {
            if (snprintf(out, cap, "%s/data/standards", exe) < (int)cap && is_dir(out))
                return 1;
            if ((slash = strrchr(exe, '/')) == NULL)
                break;
            *slash = '\0';
        }
    }
    return snprintf(out, cap, "data/standards") < (int)cap && is_dir(out);
}

static int
csv_name(const struct dirent *e)
{
    size_t len = strlen(e->d_name);

    return len > 4 && strcmp(e->d_name + len - 4, ".csv") == 0;
}

static int
load_file(struct ew_std_table *t, const char *dir, const char *name)
{
    char path[PATH_MAX];
    size_t line = 0;
    FILE *f;
    int rc;

    if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
        return EW_ETOOBIG;
    if ((f = fopen(path, "r")) == NULL)
        return EW_EIO;
    rc = ew_std_table_load(t, f, &line);
    fclose(f);
    return rc;
}

int
al_standards_load(const char *dir, struct ew_std_table **out, int *found)
{
    char path[PATH_MAX];
    struct dirent **names = NULL;
    struct ew_std_table *t = NULL;
    int n = 0, rc;

    *found = 0;
    if (dir != NULL && dir[0] != '\0')
        snprintf(path, sizeof(path), "%s", dir);
    else if (!find_dir(path, sizeof(path)))
        return ew_std_table_create(out);
    if ((n = scandir(path, &names, csv_name, alphasort)) < 0)
        return EW_EIO;
    rc = ew_std_table_create(&t);
    for (int i = 0; i < n; i++) {
        if (rc == EW_OK)
            rc = load_file(t, path, names[i]->d_name);
        free(names[i]);
    }
    free(names);
    if (rc != EW_OK) {
        ew_std_table_destroy(t);
        return rc;
    }
    *found = ew_std_table_count(t) > 0;
    *out = t;
    return EW_OK;
}
