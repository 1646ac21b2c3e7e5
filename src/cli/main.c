/* SPDX-License-Identifier: MIT */
/* envwatch: git-style dispatch to the subcommands in cmd_*.c. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

/* One row per subcommand, in the order `envwatch help` lists them. */
const struct ew_cmd ew_cmds[] = {
    { "serve", ew_cmd_serve, "run the daemon: HJ 212 ingest, writer, HTTP API" },
    { "aqi", ew_cmd_aqi, "AQI (HJ 633) of each row of a CSV of concentrations" },
    { "air-stats", ew_cmd_air_stats, "HJ 663 air statistics from hourly CSV data" },
    { "simulate", ew_cmd_simulate, "run simulated HJ 212 instruments against a platform" },
    { "water", ew_cmd_water, "surface-water class (GB 3838) of each row of a CSV" },
    { "compliance", ew_cmd_compliance, "emission standards, validity, alarms, totals" },
    { "point", ew_cmd_point, "registry of monitoring points: add, list, import, approve" },
    { "user", ew_cmd_user, "accounts and API tokens: add, passwd, role, disable, token" },
    { "audit", ew_cmd_audit, "the audit log: list, export as CSV, verify its chain" },
    { "ledger", ew_cmd_ledger, "governance ledgers: tasks, rectification, complaints, cases" },
    { "assess", ew_cmd_assess, "county and department scorecards (考核) for a month or YTD" },
    { "report", ew_cmd_report, "daily/monthly air and monthly sources reports, HTML or xlsx" },
    { "export", ew_cmd_export, "a point's stored readings as CSV (as the API's format=csv)" },
    { "decode", ew_cmd_decode, "HJ 212 packets (lines or raw traffic) to JSON Lines" },
    { "encode", ew_cmd_encode, "JSON Lines (as decode prints them) to HJ 212 packets" },
    { NULL, NULL, NULL },
};

static void
usage(FILE *f)
{
    fprintf(f, "usage: envwatch <command> [options]\n\ncommands:\n");
    for (const struct ew_cmd *c = ew_cmds; c->name != NULL; c++)
        fprintf(f, "  %-12s %s\n", c->name, c->summary);
    fprintf(f, "\nenvwatch <command> --help shows a command's options.\n");
}

int
main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
        printf("envwatch %s\n", EW_VERSION);
        return 0;
    }
    for (const struct ew_cmd *c = ew_cmds; c->name != NULL; c++)
        if (strcmp(argv[1], c->name) == 0)
            return ew_cli_run(c, argc - 1, argv + 1);     /* audits writes (cli/audit.c) */
    fprintf(stderr, "envwatch: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
