/* SPDX-License-Identifier: MIT */
/*
 * Durable ingest benchmark: the real daemon (`envwatch serve`) on 127.0.0.1, real TCP, real
 * SQLite, acknowledgement (9014) only after commit. Printed beside its baseline measured in
 * the same run: the raw batched insert of the same rows into the same kind of SQLite table.
 *
 *   1. baseline: the packed rows of the same packets (one per packet, as the store writes
 *      them), plain prepared INSERT, 1,000 packets per transaction;
 *   2. sustained ingest: C connections pipelining 10-factor hourly packets (2061, Flag=5);
 *      packets/s and readings/s counted on 9014 replies;
 *   3. latency: paced at 5,000 packets/s, time from the packet's last byte sent to its 9014,
 *      after 5 s of quiet (the steady state, not the tail of the overload before it);
 *   4. idle connections: 10,000 connections that each sent one packet, the daemon's RSS
 *      before and after, memory per connection.
 *
 * usage: bench_ingest [ENVWATCH_BINARY [SECTION.KEY=VALUE ...]] (default
 * build/release/envwatch); the settings go to the daemon as --set, e.g.
 * store.checkpoint_pages=1000 for shorter checkpoint pauses.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include <envwatch/err.h>
#include <envwatch/store.h>
#include <hj212/hj212.h>

#include "store/readrow.h"
#include "util/time.h"

#define FACTORS 10
#define POINTS 200
#define THROUGHPUT_PACKETS 300000
#define WINDOW 64
#define FRAME_CAP 1200                  /* room for one bench packet */

static const char *const factors[FACTORS] = { "a21026", "a21002", "a34013", "a19001", "a01011",
                                              "a01012", "a01013", "a01014", "a00000", "a21005" };

static double
now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
mn_of(int i, char mn[25])
{
    snprintf(mn, 25, "BE0000000000000000%06d", i);
}

/* A 10-factor hourly packet of point i for hour h (DataTime = base + h hours). */
static size_t
packet(char *out, size_t cap, int i, long h, long seq)
{
    char mn[25], qn[20], cp[900], dt[15];
    size_t len = 0, used;
    struct hj212_msg m;

    mn_of(i, mn);
    ew_time_fmt_compact(1577808000 + h * 3600, dt);     /* 2020-01-01T00:00 CST + h */
    used = (size_t)snprintf(cp, sizeof(cp), "DataTime=%s", dt);
    for (int f = 0; f < FACTORS; f++)
        used += (size_t)snprintf(cp + used, sizeof(cp) - used,
                                 ";%s-Min=%.1f,%s-Avg=%.2f,%s-Max=%.1f,%s-Flag=N", factors[f],
                                 10.0 + f, factors[f], 12.5 + f + (h % 7), factors[f],
                                 15.0 + f, factors[f]);
    snprintf(qn, sizeof(qn), "20200101%09ld", seq % 1000000000L);
    m = (struct hj212_msg){ .qn = qn, .st = "31", .cn = "2061", .pw = "123456", .mn = mn,
                            .flag = 5, .pnum = -1, .pno = -1, .cp = cp };
    if (hj212_build(out, cap, &m, &len) != HJ212_OK)
        return 0;
    return len;
}

/* ---- 1. baseline ----------------------------------------------------------------------------- */

static int
cmp_factor(const void *a, const void *b)
{
    return strcmp(((const struct ew_reading *)a)->factor, ((const struct ew_reading *)b)->factor);
}

/*
 * The same rows, inserted the way the store keeps them: one packed row per packet (the
 * readings the daemon takes from it, encoded by the store's own codec before the clock
 * starts) in one WITHOUT ROWID table per data kind and month, key (point, t); WAL,
 * synchronous=NORMAL, the writer's 64 MiB page cache and checkpoint threshold; one plain
 * prepared INSERT each, 1,000 packets per transaction. Returns readings per second.
 */
static double
baseline_readings_per_s(const char *dir, long packets, int journal)
{
    size_t stride = ew__row_bound(FACTORS);
    unsigned char *blobs = malloc((size_t)packets * stride);
    size_t *lens = malloc((size_t)packets * sizeof(*lens));
    char path[600];
    sqlite3 *db;
    sqlite3_stmt *st[4] = { NULL }, *jst = NULL;
    char *frames = NULL, *jbuf = NULL;
    size_t *flens = NULL, jlen = 0;
    int64_t joff = 0;
    int jfd = -1;
    int months[4] = { 0 };
    double t0, t;
    long rows = 0;

    if (blobs == NULL || lens == NULL)
        return 0;
    if (journal) {                      /* the frames too, built before the clock starts */
        frames = malloc((size_t)packets * FRAME_CAP);
        flens = malloc((size_t)packets * sizeof(*flens));
        if (frames == NULL || flens == NULL)
            return 0;
        for (long p = 0; p < packets; p++)
            flens[p] = packet(frames + (size_t)p * FRAME_CAP, FRAME_CAP, (int)(p % POINTS),
                              p / POINTS, p);
    }
    for (long p = 0; p < packets; p++) {
        struct ew_reading v[FACTORS];
        long h = p / POINTS;
        for (int f = 0; f < FACTORS; f++) {
            /* the values packet() sends for this point and hour */
            v[f] = (struct ew_reading){ .value = 12.5 + f + (double)(h % 7), .min = 10.0 + f,
                                        .max = 15.0 + f, .cou = NAN, .zs = NAN };
            snprintf(v[f].factor, sizeof(v[f].factor), "%s", factors[f]);
            memcpy(v[f].flag, "N", 2);
        }
        qsort(v, FACTORS, sizeof(v[0]), cmp_factor);
        if (ew__row_encode(v, FACTORS, 0, blobs + (size_t)p * stride, &lens[p]) != EW_OK)
            return 0;
    }
    snprintf(path, sizeof(path), "%s/baseline%d.db", dir, journal);
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return 0;
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                     "PRAGMA cache_size=-65536; PRAGMA secure_delete=FAST;"
                     "PRAGMA wal_autocheckpoint=10000",
                 NULL, NULL, NULL);
    /* The journal as the store keeps it (src/store/sqlite_schema.c, migrations 1 and 8):
     * a row per frame saying where its bytes are, the bytes appended to the day's file with
     * one write per transaction (src/store/sqlite_journal.c). */
    sqlite3_exec(db, "CREATE TABLE journal(id INTEGER PRIMARY KEY, t_recv_ms INTEGER NOT NULL,"
                     " peer TEXT NOT NULL, mn TEXT, verdict TEXT NOT NULL, bytes BLOB NOT NULL,"
                     " day INTEGER, off INTEGER, len INTEGER);"
                     "CREATE INDEX journal_t ON journal(t_recv_ms);"
                     "CREATE INDEX journal_mn_t ON journal(mn, t_recv_ms) WHERE mn IS NOT NULL;",
                 NULL, NULL, NULL);
    sqlite3_prepare_v2(db, "INSERT INTO journal(t_recv_ms, peer, mn, verdict, bytes, day, off,"
                           " len) VALUES(?, '127.0.0.1:40000', ?, 'accepted', X'', 20200101, ?,"
                           " ?)", -1, &jst, NULL);
    if (journal) {
        snprintf(path, sizeof(path), "%s/baseline-journal.raw", dir);
        jfd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_TRUNC, 0640);
        jbuf = malloc((size_t)1000 * FRAME_CAP);
        if (jfd < 0 || jbuf == NULL)
            return 0;
    }
    t0 = now_s();
    for (long p = 0; p < packets; p++) {
        int64_t ts = 1577808000 + (p / POINTS) * 3600;
        struct ew_civil c;
        int m, k;

        ew_unix_to_civil(ts, &c);
        m = c.year * 100 + c.month;
        for (k = 0; k < 4 && months[k] != 0 && months[k] != m; k++)
            ;
        if (k == 4)
            break;
        if (months[k] == 0) {
            char sql[400];
            months[k] = m;
            snprintf(sql, sizeof(sql), "CREATE TABLE v2061_%d(point INTEGER NOT NULL,"
                     " t INTEGER NOT NULL, v BLOB NOT NULL, PRIMARY KEY(point, t))"
                     " WITHOUT ROWID", m);
            sqlite3_exec(db, sql, NULL, NULL, NULL);
            snprintf(sql, sizeof(sql), "INSERT INTO v2061_%d VALUES(?, ?, ?)", m);
            sqlite3_prepare_v2(db, sql, -1, &st[k], NULL);
        }
        if (p % 1000 == 0)
            sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        sqlite3_bind_int64(st[k], 1, p % POINTS + 1);
        sqlite3_bind_int64(st[k], 2, ts);
        sqlite3_bind_blob(st[k], 3, blobs + (size_t)p * stride, (int)lens[p], SQLITE_STATIC);
        sqlite3_step(st[k]);
        sqlite3_reset(st[k]);
        if (journal) {
            char mn[25];
            mn_of((int)(p % POINTS), mn);
            sqlite3_bind_int64(jst, 1, 1577808000000LL + p);
            sqlite3_bind_text(jst, 2, mn, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(jst, 3, joff + (int64_t)jlen);
            sqlite3_bind_int64(jst, 4, (int64_t)flens[p]);
            sqlite3_step(jst);
            sqlite3_reset(jst);
            memcpy(jbuf + jlen, frames + (size_t)p * FRAME_CAP, flens[p]);
            jlen += flens[p];
        }
        rows++;
        if (p % 1000 == 999 || p == packets - 1) {
            if (journal && jlen > 0) {
                if (write(jfd, jbuf, jlen) != (ssize_t)jlen)
                    return 0;
                joff += (int64_t)jlen;
                jlen = 0;
            }
            sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
        }
    }
    t = now_s() - t0;
    for (int k = 0; k < 4; k++)
        sqlite3_finalize(st[k]);
    sqlite3_finalize(jst);
    sqlite3_close(db);
    if (jfd >= 0)
        close(jfd);
    free(jbuf);
    free(frames);
    free(flens);
    free(blobs);
    free(lens);
    return (double)rows * FACTORS / t;
}

/* ---- the daemon ---------------------------------------------------------------------------- */

static pid_t daemon_pid;
static char **extra;                    /* SECTION.KEY=VALUE settings for the daemon */
static int extra_n;

static int
start_daemon(const char *bin, const char *dir, int *hj_port)
{
    int out[2];
    char line[256];
    FILE *f;

    if (pipe(out) != 0)
        return -1;
    daemon_pid = fork();
    if (daemon_pid == 0) {
        char log[600];
        snprintf(log, sizeof(log), "%s/daemon.log", dir);
        dup2(out[1], 1);
        close(out[0]);
        char *args[64] = { (char *)bin, "serve", "--data", (char *)dir, "--hj212-listen",
                           "127.0.0.1:0", "--http-listen", "127.0.0.1:0", "--log", log,
                           "--set", "ingest.rate_per_mn=100000",
                           "--set", "instruments.gapfill_days=0",
                           "--set", "ingest.max_conn_per_ip=20000" };
        int n = 16;
        for (int i = 0; i < extra_n && n < 62; i++) {
            args[n++] = "--set";
            args[n++] = extra[i];
        }
        args[n] = NULL;
        execv(bin, args);
        _exit(127);
    }
    close(out[1]);
    f = fdopen(out[0], "r");
    while (fgets(line, sizeof(line), f) != NULL) {
        if (strncmp(line, "hj212 listening on ", 19) == 0)
            *hj_port = (int)strtol(strrchr(line, ':') + 1, NULL, 10);
        if (strncmp(line, "http listening on ", 18) == 0)
            break;
    }
    return *hj_port > 0 ? 0 : -1;
}

/* CPU seconds the process has used so far: user + system, and system alone in *sys. */
static double
cpu_s(pid_t pid, double *sys)
{
    char path[64], buf[1024], *p;
    unsigned long ut = 0, st = 0;
    FILE *f;
    size_t n;

    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    if ((f = fopen(path, "r")) == NULL)
        return 0;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    if ((p = strrchr(buf, ')')) == NULL ||
        sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
        return 0;
    *sys = (double)st / (double)sysconf(_SC_CLK_TCK);
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static long
rss_kib(pid_t pid)
{
    char path[64], line[256];
    long kib = -1;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    if ((f = fopen(path, "r")) == NULL)
        return -1;
    while (fgets(line, sizeof(line), f) != NULL)
        if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
            break;
    fclose(f);
    return kib;
}

static int
dial(int port)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

    if (fd < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
        close(fd);
        return -1;
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    return fd;
}

/* ---- connections with pipelined packets ------------------------------------------------------ */

struct conn {
    int    fd, point;
    long   sent, acked, target;
    char  *frames;                      /* its packets, back to back, built before the clock */
    size_t *end;                        /* end[k]: offset just past packet k */
    size_t wpos;                        /* bytes of frames written */
    char   in[8192];
    size_t in_len;
    double *sent_at;                    /* per packet, for latency */
};

/* Counts complete reply frames in c->in and drops them. */
static int
count_replies(struct conn *c)
{
    int n = 0;
    size_t off = 0;

    while (c->in_len - off >= 6) {
        size_t len = (size_t)strtoul((char[5]){ c->in[off + 2], c->in[off + 3], c->in[off + 4],
                                                c->in[off + 5], 0 },
                                     NULL, 10) + 12;
        if (c->in_len - off < len)
            break;
        off += len;
        n++;
    }
    memmove(c->in, c->in + off, c->in_len - off);
    c->in_len -= off;
    return n;
}

struct run {
    long   packets, acked;
    double seconds;
    double client_cpu_s;                /* this process's CPU while the clock ran */
    double *lat;
    long   nlat;
};

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/*
 * Drives nconn connections until total packets are acknowledged. rate 0: as fast as the
 * window allows; otherwise paced at rate packets/s over all connections. Every packet is
 * built before the clock starts (formatting 40 numbers a packet would otherwise cost this
 * client more CPU than the daemon spends storing it, on the same 2 cores), and the packets a
 * connection may send leave in one write.
 */
static int
drive(int port, int nconn, long total, double rate, long hour0, struct run *res)
{
    struct conn *cs = calloc((size_t)nconn, sizeof(*cs));
    int ep = epoll_create1(0);
    long per = total / nconn, seq = hour0 * 1000, total_sent = 0;
    double t0, cpu0, sys;
    long released = 0;

    if (cs == NULL || ep < 0)
        return -1;
    res->lat = rate > 0 ? calloc((size_t)total, sizeof(double)) : NULL;
    res->nlat = 0;
    for (int i = 0; i < nconn; i++) {
        struct conn *c = &cs[i];
        size_t at = 0;

        c->point = i % POINTS;
        c->target = per;
        c->sent_at = calloc((size_t)per, sizeof(double));
        c->frames = malloc((size_t)per * FRAME_CAP);
        c->end = malloc((size_t)per * sizeof(*c->end));
        if (c->sent_at == NULL || c->frames == NULL || c->end == NULL)
            return -1;
        for (long k = 0; k < per; k++) {
            at += packet(c->frames + at, FRAME_CAP, c->point,
                         hour0 + k + (long)(i / POINTS) * 1000000, seq++);
            c->end[k] = at;
        }
    }
    for (int i = 0; i < nconn; i++) {
        /* edge-triggered: a socket that can always be written must not wake this loop */
        struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | EPOLLET,
                                  .data.u32 = (uint32_t)i };
        cs[i].fd = dial(port);
        if (cs[i].fd < 0)
            return -1;
        fcntl(cs[i].fd, F_SETFL, O_NONBLOCK);
        epoll_ctl(ep, EPOLL_CTL_ADD, cs[i].fd, &ev);
    }
    t0 = now_s();
    cpu0 = cpu_s(getpid(), &sys);
    res->acked = 0;
    while (res->acked < per * nconn) {
        struct epoll_event evs[256];
        int n = epoll_wait(ep, evs, 256, rate > 0 ? 1 : 5);
        double now = now_s();
        if (rate > 0)
            released = (long)((now - t0) * rate);
        for (int k = 0; k < n; k++) {
            struct conn *c = &cs[evs[k].data.u32];
            if (evs[k].events & EPOLLIN) {
                ssize_t r;
                while ((r = read(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len)) > 0) {
                    c->in_len += (size_t)r;
                    int got = count_replies(c);
                    for (int g = 0; g < got && res->lat != NULL; g++)
                        res->lat[res->nlat++] = now - c->sent_at[c->acked + g];
                    c->acked += got;
                    res->acked += got;
                }
            }
        }
        for (int i = 0; i < nconn; i++) {
            struct conn *c = &cs[i];
            long upto = c->acked + WINDOW < c->target ? c->acked + WINDOW : c->target;
            size_t stop;

            if (rate > 0 && upto > c->sent + (released - total_sent))
                upto = c->sent + (released - total_sent);
            /* a packet already started is finished whatever the window and pace say */
            if (c->sent < c->target && c->wpos > (c->sent ? c->end[c->sent - 1] : 0) &&
                upto <= c->sent)
                upto = c->sent + 1;
            if (upto <= c->sent)
                continue;
            stop = c->end[upto - 1];
            ssize_t w = write(c->fd, c->frames + c->wpos, stop - c->wpos);
            if (w <= 0)
                continue;
            c->wpos += (size_t)w;
            now = now_s();
            while (c->sent < c->target && c->end[c->sent] <= c->wpos) {
                c->sent_at[c->sent++] = now;
                total_sent++;
            }
        }
        if (now - t0 > 300)
            break;
    }
    res->seconds = now_s() - t0;
    res->client_cpu_s = cpu_s(getpid(), &sys) - cpu0;
    res->packets = per * nconn;
    for (int i = 0; i < nconn; i++) {
        close(cs[i].fd);
        free(cs[i].sent_at);
        free(cs[i].frames);
        free(cs[i].end);
    }
    close(ep);
    free(cs);
    return 0;
}

static int
register_points(const char *dir)
{
    struct ew_store *s;
    int rc = ew_store_open(dir, EW_STORE_CREATE, &s);

    if (rc != EW_OK)
        return rc;
    ew_store_begin(s);
    for (int i = 0; i < POINTS; i++) {
        struct ew_point p;
        ew_point_init(&p);
        mn_of(i, p.mn);
        snprintf(p.pw, sizeof(p.pw), "123456");
        snprintf(p.name, sizeof(p.name), "stack %d", i);
        snprintf(p.kind, sizeof(p.kind), "flue");
        if ((rc = ew_store_point_put(s, &p)) != EW_OK)
            break;
    }
    ew_store_commit(s);
    ew_store_close(s);
    return rc;
}

int
main(int argc, char **argv)
{
    const char *bin = argc > 1 ? argv[1] : "build/release/envwatch";
    char dir[] = "/tmp/ew-bench-ingest-XXXXXX";
    struct run thr = { 0 }, lat = { 0 };
    double base, base_j;
    int port = 0;
    long rss0, rss1;
    double cpu0, cpu1, sys0 = 0, sys1 = 0;
    int *idle;

    extra = argv + 2;
    extra_n = argc > 2 ? argc - 2 : 0;
    signal(SIGPIPE, SIG_IGN);
    if (mkdtemp(dir) == NULL || register_points(dir) != EW_OK) {
        fprintf(stderr, "bench_ingest: cannot prepare %s\n", dir);
        return 1;
    }
    printf("bench_ingest: %d points, 10-factor hourly packets (CN 2061, Flag=5), "
           "9014 after commit\n", POINTS);
    base = baseline_readings_per_s(dir, THROUGHPUT_PACKETS, 0);
    base_j = baseline_readings_per_s(dir, THROUGHPUT_PACKETS, 1);
    printf("  baseline  raw batched INSERT of the same rows:  %9.0f packets/s "
           "(= %.0f readings/s)\n", base / FACTORS, base);
    printf("  baseline  the same with each frame journaled:    %7.0f packets/s "
           "(row + bytes in the day file, as the daemon does)\n", base_j / FACTORS);
    if (start_daemon(bin, dir, &port) != 0) {
        fprintf(stderr, "bench_ingest: cannot start %s\n", bin);
        return 1;
    }
    cpu0 = cpu_s(daemon_pid, &sys0);
    drive(port, POINTS, THROUGHPUT_PACKETS, 0, 0, &thr);
    cpu1 = cpu_s(daemon_pid, &sys1);
    printf("  ingest    %ld packets over %d connections:     %9.0f packets/s = %.0f readings/s"
           " (%.0f%% of baseline)\n", thr.packets, POINTS, thr.packets / thr.seconds,
           thr.packets * FACTORS / thr.seconds, 100.0 * thr.packets * FACTORS / thr.seconds / base);
    printf("            %.0f%% of the baseline with the journal\n",
           100.0 * thr.packets * FACTORS / thr.seconds / base_j);
    printf("  daemon CPU: %.1f us per packet, %.1f of them in the kernel (all threads; the"
           " machine has %ld cores)\n", 1e6 * (cpu1 - cpu0) / (double)thr.packets,
           1e6 * (sys1 - sys0) / (double)thr.packets, sysconf(_SC_NPROCESSORS_ONLN));
    printf("  client CPU: %.1f us per packet (this process, on the same cores)\n",
           1e6 * thr.client_cpu_s / (double)thr.packets);
    sleep(5);       /* the writer checkpoints what the overload left while nothing waits */
    drive(port, 50, 25000, 5000, 100000, &lat);
    qsort(lat.lat, (size_t)lat.nlat, sizeof(double), cmp_double);
    if (lat.nlat > 0)
        printf("  latency   at 5,000 packets/s, arrival->9014:   p50 %.1f ms, p99 %.1f ms, "
               "max %.1f ms (%ld packets)\n", 1e3 * lat.lat[lat.nlat / 2],
               1e3 * lat.lat[lat.nlat * 99 / 100], 1e3 * lat.lat[lat.nlat - 1], lat.nlat);
    free(lat.lat);
    sleep(1);
    rss0 = rss_kib(daemon_pid);
    idle = calloc(10000, sizeof(int));
    int opened = 0;
    for (int i = 0; i < 10000; i++) {
        char pkt[1100];
        size_t len = packet(pkt, sizeof(pkt), i % POINTS, 200000 + i, 9000000 + i);
        if ((idle[i] = dial(port)) < 0)
            break;
        if (write(idle[i], pkt, len) != (ssize_t)len)
            break;
        opened++;
    }
    sleep(3);
    rss1 = rss_kib(daemon_pid);
    printf("  idle      %d connections open (each sent one packet): daemon RSS %ld -> %ld KiB,"
           " %.1f KiB per connection\n", opened, rss0, rss1,
           opened ? (double)(rss1 - rss0) / opened : 0.0);
    for (int i = 0; i < opened; i++)
        close(idle[i]);
    free(idle);
    kill(daemon_pid, SIGTERM);
    waitpid(daemon_pid, NULL, 0);
    {
        char cmd[700];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            return 1;
    }
    return 0;
}
