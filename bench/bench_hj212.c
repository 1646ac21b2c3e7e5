/* SPDX-License-Identifier: MIT */
/*
 * Decode throughput of libhj212 on one core, beside the ceilings of the same bytes
 * (reference/performance.md): a memchr scan for line ends, the HJ 212 CRC with the 256-entry
 * table one byte after another (what a decoder that checks CRCs the standard's way cannot
 * beat), and libhj212's own CRC. The decode figure is the full path an ingest daemon takes:
 * stream reader (framing from 64 KiB chunks), length and CRC check, header parse, CP
 * validation, then one CP iteration touching every key and value.
 *
 * usage: bench_hj212 CORPUS [RUNS]   (corpus: shared/bench/hj212-corpus.py, one packet a line;
 * scripts/bench-hj212.sh makes it and runs this). Without CORPUS, build/hj212-corpus.txt.
 * Prints the best and the median of RUNS (default 5) for each measurement; the ratio to the
 * memchr scan compares best with best. Time is the thread's CPU time, so that other processes
 * on a shared machine do not count (their cache and memory traffic still does).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hj212/hj212.h>

struct corpus {
    char   *buf;
    size_t  len, packets;
    size_t *seg_off, *seg_len;          /* each frame's data segment, for the CRC baselines */
};

static double
now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int
load(const char *path, struct corpus *c)
{
    FILE *f = fopen(path, "rb");
    size_t cap = 0, n = 0;
    long size;

    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) <= 0 ||
        fseek(f, 0, SEEK_SET) != 0)
        return -1;
    c->len = (size_t)size;
    c->buf = malloc(c->len);
    if (c->buf == NULL || fread(c->buf, 1, c->len, f) != c->len)
        return -1;
    fclose(f);
    for (size_t i = 0; i < c->len; i++)
        cap += c->buf[i] == '\n';
    c->seg_off = malloc(cap * sizeof(size_t));
    c->seg_len = malloc(cap * sizeof(size_t));
    if (c->seg_off == NULL || c->seg_len == NULL)
        return -1;
    for (char *p = c->buf, *end = c->buf + c->len; p < end && n < cap;) {
        char *nl = memchr(p, '\n', (size_t)(end - p));

        if (nl == NULL || nl - p < 12 || p[0] != '#')
            return -1;
        c->seg_off[n] = (size_t)(p + 6 - c->buf);
        c->seg_len[n++] = (size_t)(nl - 1 - 4 - (p + 6));
        p = nl + 1;
    }
    c->packets = n;
    return 0;
}

/* The table CRC exactly as the standard's routine is usually written: one lookup per byte. */
static uint16_t table[256];

static void
table_init(void)
{
    for (unsigned i = 0; i < 256; i++) {
        uint16_t r = (uint16_t)i;

        for (int k = 0; k < 8; k++)
            r = (uint16_t)(r & 1 ? (r >> 1) ^ 0xA001 : r >> 1);
        table[i] = r;
    }
}

static uint16_t
crc_serial(const unsigned char *p, size_t n)
{
    uint16_t reg = 0xFFFF;

    for (size_t i = 0; i < n; i++)
        reg = table[(reg >> 8) ^ p[i]];
    return reg;
}

static unsigned long long sink;

static size_t
run_memchr(const struct corpus *c)
{
    size_t n = 0;

    for (const char *p = c->buf, *end = c->buf + c->len; p < end; n++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));

        if (nl == NULL)
            break;
        p = nl + 1;
    }
    return n;
}

static size_t
run_crc_serial(const struct corpus *c)
{
    for (size_t i = 0; i < c->packets; i++)
        sink += crc_serial((const unsigned char *)c->buf + c->seg_off[i], c->seg_len[i]);
    return c->packets;
}

static size_t
run_crc_lib(const struct corpus *c)
{
    for (size_t i = 0; i < c->packets; i++)
        sink += hj212_crc(c->buf + c->seg_off[i], c->seg_len[i]);
    return c->packets;
}

static size_t
drain(struct hj212_reader *r)
{
    struct hj212_pkt p;
    struct hj212_cp_iter it;
    struct hj212_cp_item item;
    uint64_t off;
    size_t n = 0;

    while (hj212_reader_next(r, &p, &off) == HJ212_OK) {
        if (!p.crc_ok)
            abort();                    /* the corpus is all good packets */
        hj212_cp_iter_init(&it, p.cp);
        while (hj212_cp_next(&it, &item))
            sink += item.key.len + item.value.len;
        n++;
    }
    return n;
}

static size_t
run_decode(const struct corpus *c)
{
    struct hj212_reader *r;
    size_t n = 0, at = 0;

    if (hj212_reader_create(HJ212_SEG_MAX, &r) != HJ212_OK)
        abort();
    while (at < c->len) {
        size_t k = hj212_reader_space(r);

        if (k > 65536)
            k = 65536;
        if (k > c->len - at)
            k = c->len - at;
        if (hj212_reader_feed(r, c->buf + at, k) != HJ212_OK)
            abort();
        at += k;
        n += drain(r);
    }
    hj212_reader_eof(r);
    n += drain(r);
    hj212_reader_destroy(r);
    return n;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

struct timing {
    double best_s, median_s;
};

/* Best and median seconds of runs calls of fn; checks the packet count each time. */
static struct timing
measure(size_t (*fn)(const struct corpus *), const struct corpus *c, int runs, size_t want)
{
    double t[32];

    for (int i = 0; i < runs; i++) {
        double t0 = now_s();

        if (fn(c) != want) {
            fprintf(stderr, "bench_hj212: wrong packet count\n");
            exit(1);
        }
        t[i] = now_s() - t0;
    }
    qsort(t, (size_t)runs, sizeof(t[0]), cmp_double);
    return (struct timing){ t[0], t[runs / 2] };
}

static void
report(const char *what, struct timing t, const struct corpus *c, struct timing ref)
{
    printf("%-42s %10.0f pkt/s %7.1f MB/s  (median %10.0f pkt/s)  %6.3f x memchr\n", what,
           (double)c->packets / t.best_s, (double)c->len / t.best_s / 1e6,
           (double)c->packets / t.median_s, ref.best_s / t.best_s);
}

int
main(int argc, char **argv)
{
    struct corpus c;
    int runs = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 5;
    const char *path = argc > 1 ? argv[1] : "build/hj212-corpus.txt";
    struct timing t_memchr;

    if (runs < 1 || runs > 31) {
        fprintf(stderr, "usage: bench_hj212 CORPUS [RUNS<=31]\n");
        return 2;
    }
    if (load(path, &c) != 0) {
        fprintf(stderr, "bench_hj212: cannot read corpus %s (scripts/bench-hj212.sh makes it)\n",
                path);
        return argc > 1;                /* not gated when run without arguments */
    }
    table_init();
    printf("corpus: %zu packets, %zu bytes (%.0f bytes/packet); best and median of %d runs, "
           "one core\n", c.packets, c.len, (double)c.len / (double)c.packets, runs);
    t_memchr = measure(run_memchr, &c, runs, c.packets);
    report("baseline: memchr scan for line ends", t_memchr, &c, t_memchr);
    report("baseline: CRC, table, one byte at a time",
           measure(run_crc_serial, &c, runs, c.packets), &c, t_memchr);
    report("libhj212 CRC alone (hj212_crc)", measure(run_crc_lib, &c, runs, c.packets), &c,
           t_memchr);
    report("libhj212 decode: reader+CRC+parse+CP iter", measure(run_decode, &c, runs, c.packets),
           &c, t_memchr);
    free(c.buf);
    free(c.seg_off);
    free(c.seg_len);
    return sink == 42 ? 3 : 0;
}
