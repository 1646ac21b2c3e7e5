/* SPDX-License-Identifier: MIT */
/*
 * envwatch user: accounts on the command line (add, passwd, role, disable, enable, unlock,
 * list, token, tokens). The first admin is made here, never with a default password: the
 * password is read from standard input when it is not a terminal (its first line), and
 * otherwise generated and printed once. Every change is written to the audit log with the
 * account before and after (never a password or a token).
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include <envwatch/auth.h>
#include <envwatch/err.h>
#include <envwatch/store.h>

#include "cli/audit.h"
#include "cli/cli.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/time.h"

#define PROG "envwatch user"

struct opts {
    const char *data, *name, *role, *display, *county, *unit, *enterprise, *label, *revoke;
    int         generate, days, json;
};

static void
usage(FILE *f)
{
    fprintf(f,
            "usage: envwatch user add --name NAME --role ROLE [--display TEXT] [--county C]\n"
            "                         [--unit U] [--enterprise E] [--generate]\n"
            "       envwatch user passwd --name NAME [--generate]\n"
            "       envwatch user role --name NAME --role ROLE [--county C] [--unit U]\n"
            "                          [--enterprise E]\n"
            "       envwatch user disable|enable|unlock --name NAME\n"
            "       envwatch user list [--json]\n"
            "       envwatch user token --name NAME --label TEXT [--days N]\n"
            "       envwatch user token --revoke ID\n"
            "       envwatch user tokens [--name NAME]\n"
            "Every command takes --data DIR (default ./var), the store of `envwatch serve`.\n"
            "ROLE is admin, operator, leader, officer (needs --county and/or --unit) or\n"
            "enterprise (needs --enterprise: the site name of its points). A password is read\n"
            "from standard input (its first line) when that is not a terminal; otherwise, or\n"
            "with --generate, a random one is printed once. A token is printed once.\n");
}

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
fail(const char *fmt, ...)
{
    va_list ap;

    fputs(PROG ": ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 1;
}

static int
parse_opts(int argc, char **argv, struct opts *o)
{
    static const struct option longopts[] = {
        { "data", required_argument, NULL, 'd' },     { "name", required_argument, NULL, 'n' },
        { "role", required_argument, NULL, 'r' },     { "display", required_argument, NULL, 'D' },
        { "county", required_argument, NULL, 'c' },   { "unit", required_argument, NULL, 'u' },
        { "enterprise", required_argument, NULL, 'e' }, { "label", required_argument, NULL, 'l' },
        { "days", required_argument, NULL, 'y' },     { "revoke", required_argument, NULL, 'R' },
        { "generate", no_argument, NULL, 'g' },       { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },           { NULL, 0, NULL, 0 },
    };
    char *end;
    int c;

    *o = (struct opts){ .data = "./var", .days = 90 };
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': o->data = optarg; break;
        case 'n': o->name = optarg; break;
        case 'r': o->role = optarg; break;
        case 'D': o->display = optarg; break;
        case 'c': o->county = optarg; break;
        case 'u': o->unit = optarg; break;
        case 'e': o->enterprise = optarg; break;
        case 'l': o->label = optarg; break;
        case 'R': o->revoke = optarg; break;
        case 'g': o->generate = 1; break;
        case 'j': o->json = 1; break;
        case 'y':
            o->days = (int)strtol(optarg, &end, 10);
            if (*end != '\0' || o->days < 1 || o->days > 3650)
                return fail("--days must be 1..3650"), 2;
            break;
        case 'h': usage(stdout); return -1;
        default: usage(stderr); return 2;
        }
    }
    return 0;
}

/* ---- helpers ------------------------------------------------------------------------------- */

static int64_t
now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
open_store(const struct opts *o, int flags, struct ew_store **s)
{
    char msg[512];

    if (ew_store_open_config(o->data, &(struct ew_store_config){ .flags = flags }, s, msg,
                             sizeof(msg)) != EW_OK)
        return fail("%s", msg);
    return 0;
}

static int
copy(char *dst, size_t size, const char *src, const char *what)
{
    if (src == NULL)
        return 0;
    if (strlen(src) >= size)
        return fail("--%s is longer than %zu bytes", what, size - 1);
    memcpy(dst, src, strlen(src) + 1);
    return 0;
}

/* The account as JSON for the audit log (no password hash). */
static char *
user_text(const struct ew_user *u)
{
    struct ew_buf b;

    ew_buf_init(&b, 1 << 16);
    ew_buf_adds(&b, "{\"name\":");
    ew_json_strz(&b, u->name);
    ew_buf_adds(&b, ",\"display\":");
    ew_json_strz(&b, u->display);
    ew_buf_adds(&b, ",\"role\":");
    ew_json_strz(&b, ew_role_name(u->role));
    ew_buf_adds(&b, ",\"county\":");
    ew_json_strz(&b, u->county);
    ew_buf_adds(&b, ",\"unit\":");
    ew_json_strz(&b, u->unit);
    ew_buf_adds(&b, ",\"enterprise\":");
    ew_json_strz(&b, u->enterprise);
    ew_buf_printf(&b, ",\"disabled\":%s,\"locked\":%s}", u->disabled ? "true" : "false",
                  u->locked_until_ms > now_ms() ? "true" : "false");
    return ew_buf_steal(&b, NULL);
}

static int
audit(struct ew_store *s, const char *action, const struct ew_user *before,
      const struct ew_user *after, const char *detail)
{
    char target[EW_USER_NAME_MAX + 8], *b = before ? user_text(before) : NULL;
    char *a = after ? user_text(after) : NULL;
    int rc;

    snprintf(target, sizeof(target), "user:%s", after ? after->name : before->name);
    rc = ew_cli_audit(s, action, target, "ok", b, a, detail);
    free(b);
    free(a);
    if (rc != EW_OK)
        fail("the change is made but its audit entry failed: %s", ew_store_errmsg(s));
    return rc == EW_OK ? 0 : 1;
}

/* The new password: stdin's first line when stdin is not a terminal (and --generate is not
 * given), else a generated one that is printed. */
static int
read_password(const struct opts *o, char *pw, size_t cap, int *generated)
{
    char why[160];
    size_t n;

    *generated = 0;
    if (o->generate || isatty(STDIN_FILENO) || fgets(pw, (int)cap, stdin) == NULL ||
        (pw[0] == '\n' || pw[0] == '\0')) {
        *generated = 1;
        return ew_password_generate(pw, cap) == EW_OK ? 0 : fail("no random password");
    }
    n = strcspn(pw, "\r\n");
    if (pw[n] == '\0' && n == cap - 1)
        return fail("the password on standard input is longer than %d bytes",
                    EW_PASSWORD_MAX);
    pw[n] = '\0';
    if (ew_password_check(pw, why, sizeof(why)) != EW_OK)
        return fail("%s", why);
    return 0;
}

/* Applies --role, --display, --county, --unit, --enterprise to u (a new role drops the
 * fields it does not use). */
static int
apply(const struct opts *o, struct ew_user *u)
{
    if (o->role != NULL) {
        int role;
        if (ew_role_parse(o->role, &role) != EW_OK || role == EW_ROLE_PUBLIC)
            return fail("--role must be admin, operator, leader, officer or enterprise");
        if (role != EW_ROLE_OFFICER)
            u->county[0] = u->unit[0] = '\0';
        if (role != EW_ROLE_ENTERPRISE)
            u->enterprise[0] = '\0';
        u->role = role;
    }
    return copy(u->display, sizeof(u->display), o->display, "display") ||
           copy(u->county, sizeof(u->county), o->county, "county") ||
           copy(u->unit, sizeof(u->unit), o->unit, "unit") ||
           copy(u->enterprise, sizeof(u->enterprise), o->enterprise, "enterprise");
}

/* ---- subcommands --------------------------------------------------------------------------- */

static int
cmd_add(const struct opts *o)
{
    char pw[EW_PASSWORD_MAX + 2], why[200];
    struct ew_store *s = NULL;
    struct ew_user u;
    int gen, rc;

    if (o->name == NULL || o->role == NULL)
        return fail("add needs --name and --role"), 2;
    ew_user_init(&u);
    if (copy(u.name, sizeof(u.name), o->name, "name") || apply(o, &u) ||
        read_password(o, pw, sizeof(pw), &gen))
        return 1;
    if (ew_password_hash(pw, u.pwhash) != EW_OK)
        return fail("cannot hash the password (out of memory)");
    u.created_ms = u.updated_ms = u.pw_changed_ms = now_ms();
    if (ew_user_check(&u, why, sizeof(why)) != EW_OK)
        return fail("%s", why);
    if (open_store(o, EW_STORE_CREATE, &s))
        return 1;
    rc = ew_store_user_add(s, &u);
    if (rc == EW_EEXIST)
        rc = fail("the account %s exists", u.name);
    else if (rc != EW_OK)
        rc = fail("%s", ew_store_errmsg(s));
    else
        rc = audit(s, "user.add", NULL, &u, gen ? "password generated" : "password from stdin");
    if (rc == 0) {
        printf("added %s (%s)\n", u.name, ew_role_name(u.role));
        if (gen)
            printf("password: %s\n", pw);
    }
    sodium_memzero(pw, sizeof(pw));
    ew_store_close(s);
    return rc;
}

/* Loads --name, lets change() modify it, writes it and audits action. */
/* What a change may say: a note for the audit entry, a generated password to print once
 * the change is stored. */
struct said {
    char note[200];
    char secret[EW_PASSWORD_MAX + 2];
};

static int
modify(const struct opts *o, const char *action,
       int (*change)(const struct opts *o, struct ew_user *u, struct said *said))
{
    struct ew_store *s = NULL;
    struct ew_user before, u;
    struct said said = { "", "" };
    char why[200];
    int rc;

    if (o->name == NULL)
        return fail("%s needs --name", action + 5), 2;
    if (open_store(o, 0, &s))
        return 1;
    if ((rc = ew_store_user_get(s, o->name, &before)) != EW_OK) {
        rc = fail("no account %s", o->name);
        goto out;
    }
    u = before;
    if ((rc = change(o, &u, &said)) != 0)
        goto out;
    u.updated_ms = now_ms();
    if (ew_user_check(&u, why, sizeof(why)) != EW_OK) {
        rc = fail("%s", why);
        goto out;
    }
    if (ew_store_begin(s) != EW_OK || ew_store_user_update(s, &u) != EW_OK ||
        (u.disabled != before.disabled || strcmp(u.pwhash, before.pwhash) != 0
             ? ew_store_session_remove_user(s, u.id, NULL)
             : EW_OK) != EW_OK ||
        ew_store_commit(s) != EW_OK) {
        rc = fail("%s", ew_store_errmsg(s));
        ew_store_rollback(s);
        goto out;
    }
    rc = audit(s, action, &before, &u, said.note[0] ? said.note : NULL);
    if (said.secret[0] != '\0')
        printf("password: %s\n", said.secret);
out:
    sodium_memzero(&said, sizeof(said));
    ew_store_close(s);
    return rc;
}

static int
change_password(const struct opts *o, struct ew_user *u, struct said *said)
{
    int gen, rc;

    if (read_password(o, said->secret, sizeof(said->secret), &gen))
        return 1;
    rc = ew_password_hash(said->secret, u->pwhash);
    if (!gen)
        sodium_memzero(said->secret, sizeof(said->secret));
    if (rc != EW_OK)
        return fail("cannot hash the password (out of memory)");
    u->pw_changed_ms = now_ms();
    u->failures = 0;
    u->locked_until_ms = 0;
    snprintf(said->note, sizeof(said->note), "%s; every session ended",
             gen ? "password generated" : "password from stdin");
    return 0;
}

static int
change_role(const struct opts *o, struct ew_user *u, struct said *said)
{
    (void)said;
    if (o->role == NULL)
        return fail("role needs --role"), 2;
    return apply(o, u);
}

static int
change_disable(const struct opts *o, struct ew_user *u, struct said *said)
{
    (void)o;
    u->disabled = 1;
    snprintf(said->note, sizeof(said->note), "disabled; every session ended");
    return 0;
}

static int
change_enable(const struct opts *o, struct ew_user *u, struct said *said)
{
    (void)o;
    (void)said;
    u->disabled = 0;
    u->failures = 0;
    u->locked_until_ms = 0;
    return 0;
}

static int
change_unlock(const struct opts *o, struct ew_user *u, struct said *said)
{
    (void)o;
    (void)said;
    u->failures = 0;
    u->locked_until_ms = 0;
    return 0;
}

static int
print_user(void *ctx, const struct ew_user *u)
{
    const struct opts *o = ctx;
    char *t;

    if (o->json) {
        t = user_text(u);
        printf("%s\n", t != NULL ? t : "{}");
        free(t);
        return 0;
    }
    printf("%-20s %-10s %-10s %-24s %-24s %s\n", u->name, ew_role_name(u->role),
           u->county[0] ? u->county : "-", u->unit[0] ? u->unit : "-",
           u->enterprise[0] ? u->enterprise : "-",
           u->disabled ? "disabled" : u->locked_until_ms > now_ms() ? "locked" : "active");
    return 0;
}

static int
cmd_list(const struct opts *o)
{
    struct ew_store *s = NULL;
    int rc;

    if (open_store(o, EW_STORE_RDONLY, &s))
        return 1;
    if (!o->json)
        printf("%-20s %-10s %-10s %-24s %-24s %s\n", "NAME", "ROLE", "COUNTY", "UNIT",
               "ENTERPRISE", "STATE");
    rc = ew_store_user_each(s, print_user, (void *)o);
    if (rc != EW_OK)
        rc = fail("%s", ew_store_errmsg(s));
    ew_store_close(s);
    return rc;
}

static int
token_revoke(const struct opts *o)
{
    struct ew_store *s = NULL;
    char *end, target[40];
    long long id = strtoll(o->revoke, &end, 10);
    int rc;

    if (*end != '\0' || id <= 0)
        return fail("--revoke wants a token id (envwatch user tokens lists them)"), 2;
    if (open_store(o, 0, &s))
        return 1;
    rc = ew_store_token_revoke(s, id, now_ms());
    snprintf(target, sizeof(target), "token:%lld", id);
    if (rc == EW_OK && ew_cli_audit(s, "token.revoke", target, "ok", NULL, NULL, NULL) != EW_OK)
        rc = EW_EIO;
    if (rc != EW_OK)
        fail("token %lld: %s", id, ew_store_errmsg(s));
    else
        printf("revoked token %lld\n", id);
    ew_store_close(s);
    return rc == EW_OK ? 0 : 1;
}

static int
cmd_token(const struct opts *o)
{
    char tok[EW_TOKEN_MAX + 1], target[EW_USER_NAME_MAX + 8], detail[160];
    struct ew_store *s = NULL;
    struct ew_api_token t;
    struct ew_user u;
    int rc;

    if (o->revoke != NULL)
        return token_revoke(o);
    if (o->name == NULL || o->label == NULL)
        return fail("token needs --name and --label (what it is for)"), 2;
    memset(&t, 0, sizeof(t));
    if (copy(t.label, sizeof(t.label), o->label, "label"))
        return 1;
    if (open_store(o, 0, &s))
        return 1;
    if ((rc = ew_store_user_get(s, o->name, &u)) != EW_OK) {
        ew_store_close(s);
        return fail("no account %s", o->name);
    }
    ew_token_new("ewt", tok, t.hash);
    t.user_id = u.id;
    t.created_ms = now_ms();
    t.expires_ms = t.created_ms + (int64_t)o->days * 86400000;
    rc = ew_store_token_put(s, &t);
    snprintf(target, sizeof(target), "user:%s", u.name);
    snprintf(detail, sizeof(detail), "token %lld \"%s\" for %d days", (long long)t.id, t.label,
             o->days);
    if (rc == EW_OK && (rc = ew_cli_audit(s, "token.create", target, "ok", NULL, NULL,
                                          detail)) == EW_OK)
        printf("%s\n", tok);
    else
        fail("%s", ew_store_errmsg(s));
    sodium_memzero(tok, sizeof(tok));
    ew_store_close(s);
    return rc == EW_OK ? 0 : 1;
}

static int
print_token(void *ctx, const struct ew_api_token *t)
{
    char c[20], e[20], r[20] = "-";

    (void)ctx;
    ew_time_fmt_iso(t->created_ms / 1000, c);
    ew_time_fmt_iso(t->expires_ms / 1000, e);
    if (t->revoked_ms > 0)
        ew_time_fmt_iso(t->revoked_ms / 1000, r);
    printf("%-6lld %-8lld %-20s %-20s %-20s %s\n", (long long)t->id, (long long)t->user_id, c,
           e, r, t->label);
    return 0;
}

static int
cmd_tokens(const struct opts *o)
{
    struct ew_store *s = NULL;
    struct ew_user u = { 0 };
    int rc;

    if (open_store(o, EW_STORE_RDONLY, &s))
        return 1;
    if (o->name != NULL && ew_store_user_get(s, o->name, &u) != EW_OK) {
        ew_store_close(s);
        return fail("no account %s", o->name);
    }
    printf("%-6s %-8s %-20s %-20s %-20s %s\n", "ID", "USER", "CREATED", "EXPIRES", "REVOKED",
           "LABEL");
    rc = ew_store_token_each(s, u.id, print_token, NULL);
    if (rc != EW_OK)
        rc = fail("%s", ew_store_errmsg(s));
    ew_store_close(s);
    return rc;
}

int
ew_cmd_user(int argc, char **argv)
{
    struct opts o;
    const char *sub = argc > 1 ? argv[1] : NULL;
    int rc;

    if (sub == NULL || sub[0] == '-') {
        if (sub != NULL && (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0)) {
            usage(stdout);
            return 0;
        }
        usage(stderr);
        return 2;
    }
    if ((rc = parse_opts(argc - 1, argv + 1, &o)) != 0)
        return rc < 0 ? 0 : rc;
    if (optind < argc - 1)
        return fail("unexpected argument '%s'", argv[1 + optind]), 2;
    if (strcmp(sub, "add") == 0)
        return cmd_add(&o);
    if (strcmp(sub, "passwd") == 0)
        return modify(&o, "user.password", change_password);
    if (strcmp(sub, "role") == 0)
        return modify(&o, "user.role", change_role);
    if (strcmp(sub, "disable") == 0)
        return modify(&o, "user.disable", change_disable);
    if (strcmp(sub, "enable") == 0)
        return modify(&o, "user.enable", change_enable);
    if (strcmp(sub, "unlock") == 0)
        return modify(&o, "user.unlock", change_unlock);
    if (strcmp(sub, "list") == 0)
        return cmd_list(&o);
    if (strcmp(sub, "token") == 0)
        return cmd_token(&o);
    if (strcmp(sub, "tokens") == 0)
        return cmd_tokens(&o);
    fail("unknown subcommand '%s'", sub);
    usage(stderr);
    return 2;
}
