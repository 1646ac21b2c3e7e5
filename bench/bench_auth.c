/* SPDX-License-Identifier: MIT */
/*
 * bench_auth: what authorisation costs.
 *   - an Argon2id password hash and verification (the time a login takes, and what a
 *     password guesser pays per guess);
 *   - a session lookup by token hash on a read-only handle (once per HTTP request);
 *   - listing every point of a registry of N points unscoped and with a county scope (the
 *     filter every scoped request goes through), and the alarms of the same;
 *   - appending audit entries (scrubbed and chained) in one transaction.
 *
 * usage: bench_auth [--points N] [--lookups N] [--audits N] [--dir DIR]
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <envwatch/auth.h>
#include <envwatch/emission.h>
#include <envwatch/err.h>
#include <envwatch/store.h>

static const char *const counties[] = { "城区", "矿区", "郊区", "平定县", "盂县", "开发区" };

static double
now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
fill(struct ew_store *s, int npoints)
{
    struct ew_alarm_step st = { EW_ALARM_STATE_OPEN, "system", 1, "" };

    ew_store_begin(s);
    for (int i = 0; i < npoints; i++) {
        struct ew_point p;
        struct ew_alarm a = { .kind = EW_ALARM_EXCEED, .active = 1, .start_unix_s = 1704067200,
                              .peak = 1, .limit = 1, .multiple = 1, .count = 1,
                              .opened_ms = 1, .last_seen_ms = 1 };
        ew_point_init(&p);
        snprintf(p.mn, sizeof(p.mn), "BENCH%019d", i);
        snprintf(p.pw, sizeof(p.pw), "pw%d", i);
        snprintf(p.name, sizeof(p.name), "point %d", i);
        snprintf(p.kind, sizeof(p.kind), "flue");
        snprintf(p.county, sizeof(p.county), "%s", counties[i % 6]);
        snprintf(p.site, sizeof(p.site), "enterprise %d", i / 4);
        if (ew_store_point_put(s, &p) != EW_OK)
            return -1;
        a.point_id = p.id;
        snprintf(a.factor, sizeof(a.factor), "a21026");
        if (ew_store_alarm_open(s, &a, &st) != EW_OK)
            return -1;
    }
    return ew_store_commit(s) == EW_OK ? 0 : -1;
}

static int
count_point(void *ctx, const struct ew_point *p)
{
    (void)p;
    (*(long *)ctx)++;
    return 0;
}

static int
count_alarm(void *ctx, const struct ew_alarm *a)
{
    (void)a;
    (*(long *)ctx)++;
    return 0;
}

/* Mean milliseconds of one pass of points and alarms, with or without a county scope. */
static void
lists(struct ew_store *ro, const char *county, int passes, double *points_ms, double *alarms_ms,
      long *n_points)
{
    struct ew_store_scope sc = { .personal = 0 };
    struct ew_alarm_query q = { 0 };
    double t0;
    long n = 0, m = 0;

    snprintf(sc.county, sizeof(sc.county), "%s", county != NULL ? county : "");
    t0 = now_s();
    for (int i = 0; i < passes; i++) {
        ew_store_scope_set(ro, county != NULL ? &sc : NULL);
        n = 0;
        ew_store_point_each(ro, count_point, &n);
    }
    *points_ms = (now_s() - t0) * 1000 / passes;
    t0 = now_s();
    for (int i = 0; i < passes; i++) {
        ew_store_scope_set(ro, county != NULL ? &sc : NULL);
        m = 0;
        ew_store_alarm_each(ro, &q, count_alarm, &m);
    }
    *alarms_ms = (now_s() - t0) * 1000 / passes;
    *n_points = n;
    ew_store_scope_set(ro, NULL);
}

int
main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "points", required_argument, NULL, 'p' }, { "lookups", required_argument, NULL, 'l' },
        { "audits", required_argument, NULL, 'a' }, { "dir", required_argument, NULL, 'd' },
        { NULL, 0, NULL, 0 },
    };
    int npoints = 3000, lookups = 20000, audits = 5000, c;
    char dir[256] = "", hash[EW_PWHASH_MAX], tok[EW_TOKEN_MAX + 1];
    struct ew_store *s = NULL, *ro = NULL;
    struct ew_user u, got;
    struct ew_session ss = { 0 }, found;
    double t0, hash_ms, verify_ms, plain_p, plain_a, scoped_p, scoped_a;
    long n_all, n_county;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'p')
            npoints = (int)strtol(optarg, NULL, 10);
        else if (c == 'l')
            lookups = (int)strtol(optarg, NULL, 10);
        else if (c == 'a')
            audits = (int)strtol(optarg, NULL, 10);
        else if (c == 'd')
            snprintf(dir, sizeof(dir), "%s", optarg);
        else
            return 2;
    }
    if (dir[0] == '\0') {
        snprintf(dir, sizeof(dir), "/tmp/ew-bench-auth-XXXXXX");
        if (mkdtemp(dir) == NULL)
            return 1;
    }
    t0 = now_s();
    ew_password_hash("correct horse battery", hash);
    hash_ms = (now_s() - t0) * 1000;
    t0 = now_s();
    ew_password_verify(hash, "correct horse battery");
    verify_ms = (now_s() - t0) * 1000;
    if (ew_store_open(dir, EW_STORE_CREATE, &s) != EW_OK || fill(s, npoints) != 0)
        return fprintf(stderr, "bench_auth: store: %s\n", ew_store_errmsg(s)), 1;
    ew_user_init(&u);
    snprintf(u.name, sizeof(u.name), "bench");
    memcpy(u.pwhash, hash, sizeof(hash));
    ew_store_user_add(s, &u);
    ew_token_new("ews", tok, ss.hash);
    ss.user_id = u.id;
    ss.created_ms = 1;
    ss.expires_ms = INT64_MAX / 2;
    ew_store_session_put(s, &ss);
    if (ew_store_open(dir, EW_STORE_RDONLY, &ro) != EW_OK)
        return 1;
    t0 = now_s();
    for (int i = 0; i < lookups; i++)
        if (ew_store_session_find(ro, ss.hash, 2, &found, &got) != EW_OK)
            return fprintf(stderr, "bench_auth: lookup failed\n"), 1;
    printf("argon2id: hash %.1f ms, verify %.1f ms (interactive limits)\n", hash_ms, verify_ms);
    printf("session lookup: %.1f us each (%d lookups)\n", (now_s() - t0) * 1e6 / lookups,
           lookups);
    lists(ro, NULL, 20, &plain_p, &plain_a, &n_all);
    lists(ro, "盂县", 20, &scoped_p, &scoped_a, &n_county);
    printf("points of %ld: unscoped %.2f ms, county scope %.2f ms (%ld points)\n", n_all,
           plain_p, scoped_p, n_county);
    printf("alarms of %d points: unscoped %.2f ms, county scope %.2f ms\n", npoints, plain_a,
           scoped_a);
    t0 = now_s();
    ew_store_begin(s);
    for (int i = 0; i < audits; i++) {
        struct ew_audit a = { .at_ms = i, .actor = "bench", .role = "admin", .via = "api",
                              .peer = "127.0.0.1:1", .action = "point.update",
                              .target = "/api/v1/points/X", .result = "ok",
                              .before = "{\"name\":\"a\",\"pw\":\"secret\"}",
                              .after = "{\"name\":\"b\",\"pw\":\"secret\"}" };
        if (ew_store_audit_put(s, &a, NULL) != EW_OK)
            return fprintf(stderr, "bench_auth: audit: %s\n", ew_store_errmsg(s)), 1;
    }
    ew_store_commit(s);
    printf("audit entries: %.0f per second (scrubbed, chained, %d in one transaction)\n",
           audits / (now_s() - t0), audits);
    ew_store_close(ro);
    ew_store_close(s);
    return 0;
}
