/* SPDX-License-Identifier: MIT */
/*
 * The standards folder: found beside the binary, read file by file (stddir.h).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <envwatch/err.h>

#include "util/stddir.h"

static int
is_dir(const char *path)
{
    DIR *d = opendir(path);

    if (d == NULL)
        return 0;
    closedir(d);
    return 1;
}

int
ew_stddir_find(char *out, size_t cap)
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
load_file(struct ew_std_table *t, const char *dir, const char *name, char *err,
          size_t err_len)
{
    char path[PATH_MAX];
    size_t line = 0;
    FILE *f;
    int rc;

    if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path)) {
        snprintf(err, err_len, "%s/%s: path too long", dir, name);
        return EW_ETOOBIG;
    }
    if ((f = fopen(path, "r")) == NULL) {
        snprintf(err, err_len, "%s: %s", path, strerror(errno));
        return EW_EIO;
    }
    rc = ew_std_table_load(t, f, &line);
    fclose(f);
    if (rc != EW_OK)
        snprintf(err, err_len, "%s:%zu: %s", path, line, ew_strerror(rc));
    return rc;
}

int
ew_stddir_load(const char *dir, struct ew_std_table **out, char *err, size_t err_len)
{
    struct dirent **names = NULL;
    struct ew_std_table *t = NULL;
    int n, rc;

    if ((n = scandir(dir, &names, csv_name, alphasort)) < 0) {
        snprintf(err, err_len, "%s: %s", dir, strerror(errno));
        return EW_EIO;
    }
    rc = ew_std_table_create(&t);
    for (int i = 0; i < n; i++) {
        if (rc == EW_OK)
            rc = load_file(t, dir, names[i]->d_name, err, err_len);
        free(names[i]);
    }
    free(names);
    if (rc != EW_OK) {
        ew_std_table_destroy(t);
        return rc;
    }
    *out = t;
    return EW_OK;
}
