/* SPDX-License-Identifier: MIT */
/* envwatch serve: the daemon. Defaults, then --config FILE, then the flags. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <envwatch/daemon.h>
#include <envwatch/err.h>

#include "cli/cli.h"

static void
usage(FILE *f)
{
    fprintf(f, "usage: envwatch serve [--config FILE] [--data DIR] [--hj212-listen ADDR:PORT]\n"
               "                      [--http-listen ADDR:PORT] [--web DIR] [--log FILE]\n"
               "                      [--set SECTION.KEY=VALUE ...]\n"
               "Port 0 picks a free port; the chosen ports are printed at start.\n");
}

int
ew_cmd_serve(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "config", required_argument, NULL, 'c' }, { "data", required_argument, NULL, 'd' },
        { "hj212-listen", required_argument, NULL, 'j' },
        { "http-listen", required_argument, NULL, 'H' }, { "web", required_argument, NULL, 'w' },
        { "log", required_argument, NULL, 'l' }, { "set", required_argument, NULL, 's' },
        { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
    };
    struct ew_config cfg;
    struct ew_daemon *d;
    char err[512] = "";
    const char *config = NULL;
    int c, line = 0;

    ew_config_defaults(&cfg);
    /* The config file first, whatever its place among the flags, so that flags override it. */
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], "--config") == 0)
            config = argv[i + 1];
    if (config != NULL && ew_config_load(&cfg, config, &line, err, sizeof(err)) != EW_OK) {
        fprintf(stderr, "envwatch serve: %s\n", err);
        return 1;
    }
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        const char *sec = "server", *key = NULL;
        switch (c) {
        case 'c':
            continue;
        case 'd':
            key = "data";
            break;
        case 'j':
            key = "hj212_listen";
            break;
        case 'H':
            key = "http_listen";
            break;
        case 'w':
            key = "web_dir";
            break;
        case 'l':
            key = "log_file";
            break;
        case 's': {
            char buf[600], *dot, *eq;
            snprintf(buf, sizeof(buf), "%s", optarg);
            dot = strchr(buf, '.');
            eq = strchr(buf, '=');
            if (dot == NULL || eq == NULL || eq < dot) {
                fprintf(stderr, "envwatch serve: --set wants SECTION.KEY=VALUE\n");
                return 2;
            }
            *dot = *eq = '\0';
            if (ew_config_set(&cfg, buf, dot + 1, eq + 1, err, sizeof(err)) != EW_OK) {
                fprintf(stderr, "envwatch serve: %s\n", err);
                return 2;
            }
            continue;
        }
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
        if (ew_config_set(&cfg, sec, key, optarg, err, sizeof(err)) != EW_OK) {
            fprintf(stderr, "envwatch serve: %s\n", err);
            return 2;
        }
    }
    if (ew_daemon_create(&cfg, &d, err, sizeof(err)) != EW_OK) {
        fprintf(stderr, "envwatch serve: %s\n", err);
        return 1;
    }
    ew_daemon_run(d);
    ew_daemon_destroy(d);
    return 0;
}
