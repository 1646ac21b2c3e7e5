/* SPDX-License-Identifier: MIT */
/*
 * The envwatch subcommands. Each lives in src/cli/cmd_<name>.c and has the signature of
 * main(); argv[0] is the subcommand's name. Exit codes: 0 success, 1 the work failed (bad
 * data, I/O), 2 usage error.
 */
#ifndef EW_CLI_H
#define EW_CLI_H

struct ew_cmd {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

/* The table of subcommands, defined in main.c; ends with a NULL name. */
extern const struct ew_cmd ew_cmds[];

int ew_cmd_serve(int argc, char **argv);
int ew_cmd_decode(int argc, char **argv);
int ew_cmd_encode(int argc, char **argv);
int ew_cmd_aqi(int argc, char **argv);
int ew_cmd_air_stats(int argc, char **argv);
int ew_cmd_simulate(int argc, char **argv);
int ew_cmd_water(int argc, char **argv);
int ew_cmd_compliance(int argc, char **argv);
int ew_cmd_point(int argc, char **argv);
int ew_cmd_user(int argc, char **argv);
int ew_cmd_audit(int argc, char **argv);
/* Runs c, recording an audit entry when it writes a store (cli/audit.c). */
int ew_cli_run(const struct ew_cmd *c, int argc, char **argv);
int ew_cmd_ledger(int argc, char **argv);
int ew_cmd_assess(int argc, char **argv);
int ew_cmd_report(int argc, char **argv);
int ew_cmd_export(int argc, char **argv);


#endif
