/* SPDX-License-Identifier: MIT */
/*
 * The audit log of command-line writes (docs/security.md "Audit log"): who ran which command
 * on which store, with the state before and after where the command knows it. `envwatch user`
 * writes its own entries; every other command that writes a store is wrapped by main.c
 * (ew_cli_run), which records the command line with its secrets masked and its result.
 */
#ifndef EW_CLI_AUDIT_H
#define EW_CLI_AUDIT_H

struct ew_store;
struct ew_cmd;

/* "cli:<login name>" of whoever runs the program, in out[0..cap). */
void ew_cli_actor(char *out, unsigned cap);
/* Appends an entry by the CLI to the store s (via "cli", peer "local"). EW_OK or the
 * store's error. */
int ew_cli_audit(struct ew_store *s, const char *action, const char *target,
                 const char *result, const char *before, const char *after, const char *detail);

#endif
