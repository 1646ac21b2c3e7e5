/* SPDX-License-Identifier: MIT */
/*
 * The table of writer hooks. A domain module that acts on committed data adds one line here
 * and defines its struct ew_hook in its own folder (src/alarm/, src/air/...).
 */
#include <stddef.h>

#include <envwatch/alarm.h>
#include <envwatch/hooks.h>
#include <envwatch/ledger.h>

extern const struct ew_hook ew__hook_air_live;     /* src/ingest/air_live.c */

const struct ew_hook *const ew_hooks[] = {
    &ew__hook_air_live,
    &ew_alarm_hook,
    &ew_ledger_hook,
    NULL,
};
