/* SPDX-License-Identifier: MIT */
/*
 * The table of writer hooks. A domain module that acts on committed data adds one line here
 * and defines its struct ew_hook in its own folder (src/alarm/, src/air/...).
 */
#include <stddef.h>

#include <envwatch/hooks.h>

const struct ew_hook *const ew_hooks[] = {
    NULL,
};
