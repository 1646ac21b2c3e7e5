/* SPDX-License-Identifier: MIT */
/*
 * The audit log of command-line writes (cli/audit.h). main.c runs every subcommand through
 * ew_cli_run: a command that may write a store (any verb but the reading ones, on a store
 * that exists) gets an entry after it ran, with who ran it, the command line (secrets such
 * as --pw masked), the exit code, and for a point command the point before and after. The
 * commands that keep their own entries (user) or write no store (decode, aqi, ...) pass
 * straight through.
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <envwatch/auth.h>
#include <envwatch/err.h>
#include <envwatch/store.h>

#include "cli/audit.h"
#include "cli/cli.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/privacy.h"

/* Commands that write no store, or that audit themselves. */
static const char *const passing[] = {
    "serve", "user", "audit", "simulate", "decode", "encode", "aqi", "air-stats", "water",
    "compliance", "help", "version",
};

/* Verbs that only read. */
static const char *const reading[] = {
    "list", "show", "get", "pending", "export", "report", "check", "stats", "verify",
    "query", "search", "tokens", "help", "status", "print",
};

static int64_t
now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
ew_cli_actor(char *out, unsigned cap)
{
    const struct passwd *pw = getpwuid(geteuid());
    const char *name = pw != NULL ? pw->pw_name : getenv("USER");

    if (name != NULL && name[0] != '\0')
        snprintf(out, cap, "cli:%s", name);
    else
        snprintf(out, cap, "cli:uid%u", (unsigned)geteuid());
}

int
ew_cli_audit(struct ew_store *s, const char *action, const char *target, const char *result,
             const char *before, const char *after, const char *detail)
{
    char actor[80];
    struct ew_audit a;

    ew_cli_actor(actor, sizeof(actor));
    a = (struct ew_audit){ .at_ms = now_ms(), .actor = actor, .role = "cli", .via = "cli",
                           .peer = "local", .action = action, .target = target,
                           .result = result, .before = before, .after = after,
                           .detail = detail };
    return ew_store_audit_put(s, &a, NULL);
}

/* ---- the wrapper ---------------------------------------------------------------------------- */

struct cli_write {
    char        data[600];
    const char *verb;
    char        target[160];
};

static int
listed(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return 1;
    return 0;
}

static const char *
option_value(int argc, char **argv, const char *name)
{
    size_t n = strlen(name);

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], name) == 0 && i + 1 < argc)
            return argv[i + 1];
        if (strncmp(argv[i], name, n) == 0 && argv[i][n] == '=')
            return argv[i] + n + 1;
    }
    return NULL;
}

/* 1 when the store at location exists (a command that failed to create one leaves none). */
static int
store_exists(const char *location)
{
    char path[700];
    struct stat st;

    if (strncmp(location, "sqlite:", 7) == 0)
        location += 7;
    else if (strchr(location, ':') != NULL)
        return 1;                       /* another backend: let the open decide */
    snprintf(path, sizeof(path), "%s/envwatch.db", location);
    return stat(path, &st) == 0;
}

/* Whether argv is a write worth an entry, and what it writes to. */
static int
write_of(const char *cmd, int argc, char **argv, struct cli_write *w)
{
    static const char *const keys[] = { "--mn", "--id", "--code", "--name" };
    const char *data = option_value(argc, argv, "--data");

    if (listed(cmd, passing, EW_ARRAY_LEN(passing)) || argc < 2 || argv[1][0] == '-' ||
        listed(argv[1], reading, EW_ARRAY_LEN(reading)))
        return 0;
    w->verb = argv[1];
    snprintf(w->data, sizeof(w->data), "%s", data != NULL ? data : "./var");
    w->target[0] = '\0';
    for (size_t i = 0; i < EW_ARRAY_LEN(keys) && w->target[0] == '\0'; i++) {
        const char *v = option_value(argc, argv, keys[i]);
        if (v != NULL)
            snprintf(w->target, sizeof(w->target), "%s", v);
    }
    /* Else the first positional argument, taking "--opt value" pairs as options. */
    for (int i = 2; w->target[0] == '\0' && i < argc; i++) {
        if (argv[i][0] == '-') {
            if (strchr(argv[i], '=') == NULL && i + 1 < argc && argv[i + 1][0] != '-')
                i++;
            continue;
        }
        snprintf(w->target, sizeof(w->target), "%s", argv[i]);
    }
    return 1;
}

/* A point as the audit log shows it (never its PW), or NULL. */
static char *
point_text(struct ew_store *s, const char *mn)
{
    struct ew_point p;
    struct ew_buf b;

    if (s == NULL || mn[0] == '\0' || ew_store_point_get(s, mn, &p) != EW_OK)
        return NULL;
    ew_buf_init(&b, 1 << 16);
    ew_buf_adds(&b, "{\"mn\":");
    ew_json_strz(&b, p.mn);
    ew_buf_adds(&b, ",\"name\":");
    ew_json_strz(&b, p.name);
    ew_buf_adds(&b, ",\"kind\":");
    ew_json_strz(&b, p.kind);
    ew_buf_adds(&b, ",\"site\":");
    ew_json_strz(&b, p.site);
    ew_buf_adds(&b, ",\"county\":");
    ew_json_strz(&b, p.county);
    ew_buf_adds(&b, ",\"lat\":");
    ew_json_num(&b, p.lat, 8);
    ew_buf_adds(&b, ",\"lon\":");
    ew_json_num(&b, p.lon, 8);
    ew_buf_printf(&b, ",\"extra\":%s}", p.extra);
    return ew_buf_steal(&b, NULL);
}

/* One argument as the entry shows it: a JSON object (ledger add --extra) scrubbed as the
 * store scrubs JSON, so a complainant's name under its key is masked too; else as it is. */
static void
add_argument(struct ew_buf *b, const char *arg)
{
    struct ew_buf j;

    ew_buf_init(&j, 1 << 16);
    if (arg[0] == '{' && ew_privacy_scrub(arg, strlen(arg), 1, &j) == EW_OK && j.ptr != NULL)
        arg = j.ptr;
    ew_buf_printf(b, strchr(arg, ' ') != NULL ? " \"%s\"" : " %s", arg);
    ew_buf_fini(&j);
}

/* The command line, each argument quoted when it has a space; secrets masked by the store. */
static char *
command_line(const char *cmd, int argc, char **argv, int rc)
{
    struct ew_buf b;

    ew_buf_init(&b, 1 << 16);
    ew_buf_printf(&b, "exit %d: envwatch %s", rc, cmd);
    for (int i = 1; i < argc; i++)
        add_argument(&b, argv[i]);
    if (b.ptr != NULL)
        ew_privacy_mask_secrets_text(b.ptr);
    return ew_buf_steal(&b, NULL);
}

int
ew_cli_run(const struct ew_cmd *c, int argc, char **argv)
{
    struct cli_write w;
    struct ew_store *s = NULL;
    char action[80], *before = NULL, *after = NULL, *line;
    int point, rc;

    if (!write_of(c->name, argc, argv, &w) || !store_exists(w.data))
        return c->run(argc, argv);
    point = strcmp(c->name, "point") == 0;
    if (point && ew_store_open(w.data, EW_STORE_RDONLY, &s) == EW_OK) {
        before = point_text(s, w.target);
        ew_store_close(s);
    }
    rc = c->run(argc, argv);
    if (!store_exists(w.data) || ew_store_open(w.data, 0, &s) != EW_OK) {
        fprintf(stderr, "envwatch: the audit entry of this command could not be written\n");
        free(before);
        return rc;
    }
    if (point)
        after = point_text(s, w.target);
    snprintf(action, sizeof(action), "%s.%s", c->name, w.verb);
    line = command_line(c->name, argc, argv, rc);
    if (ew_cli_audit(s, action, w.target, rc == 0 ? "ok" : "failed", before, after, line) !=
        EW_OK)
        fprintf(stderr, "envwatch: the audit entry of this command failed: %s\n",
                ew_store_errmsg(s));
    free(line);
    free(before);
    free(after);
    ew_store_close(s);
    return rc;
}
