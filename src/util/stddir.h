/* SPDX-License-Identifier: MIT */
/*
 * The standards folder (data/standards, docs/sources.md): where it is and how it is read,
 * shared by the daemon's alarm hook and `envwatch compliance`.
 */
#ifndef EW_UTIL_STDDIR_H
#define EW_UTIL_STDDIR_H

#include <stddef.h>

#include <envwatch/emission.h>

/* Looks for the folder: share/envwatch/standards beside the binary's folder, data/standards
 * walking up from the binary (a build tree), ./data/standards. 1 and out set when found. */
int ew_stddir_find(char *out, size_t cap);

/* Loads every *.csv of dir in name order into a new table. On failure err says which file
 * and line (and *out is untouched). */
int ew_stddir_load(const char *dir, struct ew_std_table **out, char *err, size_t err_len);

#endif
