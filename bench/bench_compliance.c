/* SPDX-License-Identifier: MIT */
/*
 * bench_compliance: a month of minute data for 3,000 stacks, generated in memory one outlet
 * at a time (SO2, NOx, PM, O2 and flow), evaluated as the daemon's monthly job does: hourly
 * validity with O2 correction (HJ 76: 45 valid minutes), exceedance events against the
 * GB 13271 special limits, 传输有效率 of every pollutant and the month's emission load. The
 * detection rules (offline, constant, zero, range, flags) are timed separately. A baseline
 * pass over the same values (flag check and sum: the memory-bound floor) is timed in the same
 * run. Generation is not counted in either figure.
 *
 *   bench_compliance [outlets [days]]        defaults: 3000 outlets, 31 days (October 2018)
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <envwatch/emission.h>
#include <envwatch/err.h>

#define T0 1538323200           /* 2018-10-01 00:00 CST */
#define NSERIES 5               /* SO2, NOx, PM, O2, flow */
#define NPOLL 3

/* CPU time of this thread: the figures are "on one core" even on a shared machine, where
 * wall time also counts the time other processes held the core. */
static double
now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double
wall_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t
rnd(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/*
 * One outlet's minutes: levels around base with noise, a calibration quarter-hour every day,
 * a 3-hour communication gap on day 10, and for one outlet in 50 a two-hour SO2 episode at
 * three times the level (so exceedances exist to be found).
 */
static void
generate(struct ew_value *s[NSERIES], size_t n, uint64_t seed)
{
    static const double base[NSERIES] = { 120, 150, 12, 9.5, 350000 };
    uint64_t r = seed * 2654435761u + 1;
    int episode = seed % 50 == 0;

    for (size_t i = 0; i < n; i++) {
        int64_t t = T0 + (int64_t)i * 60;
        int minute_of_day = (int)(i % 1440);
        char flag = minute_of_day >= 120 && minute_of_day < 135 ? 'C' : 'N';

        if (i >= 9 * 1440 + 600 && i < 9 * 1440 + 780)
            flag = 'B';
        for (int k = 0; k < NSERIES; k++) {
            double noise = (double)(rnd(&r) % 1000) / 1000.0 - 0.5;
            double v = base[k] * (1 + 0.2 * noise);

            if (k == 0 && episode && i >= 5 * 1440 + 600 && i < 5 * 1440 + 720)
                v *= 3;
            s[k][i] = (struct ew_value){ t, v, NAN, NAN, flag };
        }
    }
}

static double
baseline(struct ew_value *s[NSERIES], size_t n)
{
    double sum = 0;

    for (int k = 0; k < NSERIES; k++)
        for (size_t i = 0; i < n; i++)
            if (ew_flag_valid(s[k][i].flag))
                sum += s[k][i].value;
    return sum;
}

struct totals {
    size_t events, hours, valid_hours;
    double load_kg, effective_sum;
    size_t detect_events;
};

static int
count_event(void *ctx, const struct ew_alarm_event *e)
{
    (void)e;
    (*(size_t *)ctx)++;
    return 0;
}

/* The month of one outlet: hourly values, exceedances, transmission and load. */
static int
evaluate(struct ew_value *s[NSERIES], size_t n, struct ew_hour *hours[NSERIES],
         struct ew_value *hourly_rec, size_t cap, struct totals *tot)
{
    static const double limits[NPOLL] = { 200, 200, 30 };  /* GB 13271-2014 special, coal */
    struct ew_hourly_cfg plain = { 45, NAN };
    size_t nh[NSERIES] = { 0 };
    int rc;

    /* Every series' hours once, then the pollutants corrected with the shared O2 hours. */
    for (int k = 0; k < NSERIES; k++)
        if ((rc = ew_hourly(s[k], n, NULL, 0, &plain, hours[k], cap, &nh[k])) != EW_OK)
            return rc;
    for (int k = 0; k < NPOLL; k++)
        if ((rc = ew_hourly_o2(hours[k], nh[k], hours[3], nh[3], 9)) != EW_OK)
            return rc;
    for (int k = 0; k < NPOLL; k++) {
        struct ew_limit lim = { limits[k], NAN, 9, EW_AVG_HOUR, NULL };
        struct ew_trans_count c;
        struct ew_trans_rate r;

        if ((rc = ew_exceed_hours(hours[k], nh[k], &lim, count_event, &tot->events)) != EW_OK)
            return rc;
        for (size_t h = 0; h < nh[k]; h++) {
            struct ew_hour *x = &hours[k][h];
            double kg;

            hourly_rec[h] = (struct ew_value){ x->t_unix_s, x->mean, NAN, NAN,
                                               x->valid ? 'N' : 'D' };
            tot->valid_hours += (size_t)x->valid;
            if (x->valid && h < nh[4] && hours[4][h].valid &&
                ew_load_flue_kg(x->mean, hours[4][h].mean, 1, &kg) == EW_OK)
                tot->load_kg += kg;
        }
        tot->hours += nh[k];
        if ((rc = ew_trans_count_month(2018, 10, hourly_rec, nh[k], NULL, 0, &c)) != EW_OK)
            return rc;
        if (ew_trans_rates(&c, &r) == EW_OK)
            tot->effective_sum += r.effective_pct;
    }
    return EW_OK;
}

static int
detect(struct ew_value *so2, size_t n, struct totals *tot)
{
    struct ew_alarm_rules rules;
    struct ew_detect_input in = { so2, n, 0, 2000, so2[n - 1].t_unix_s + 60 };

    ew_alarm_rules_default("flue", &rules);
    return ew_detect(&in, &rules, count_event, &tot->detect_events);
}

int
main(int argc, char **argv)
{
    long outlets = argc > 1 ? strtol(argv[1], NULL, 10) : 3000;
    long days = argc > 2 ? strtol(argv[2], NULL, 10) : 31;
    size_t n = (size_t)(days * 1440), cap = (size_t)(days * 24);
    struct ew_value *s[NSERIES], *rec = calloc(cap, sizeof(*rec));
    struct ew_hour *hours[NSERIES];
    struct totals tot = { 0 };
    double t_gen = 0, t_base = 0, t_eval = 0, t_det = 0, t, check = 0, wall = wall_s();

    if (outlets < 1 || days < 1 || days > 31 || rec == NULL)
        return 2;
    for (int k = 0; k < NSERIES; k++) {
        s[k] = calloc(n, sizeof(*s[k]));
        hours[k] = calloc(cap, sizeof(*hours[k]));
        if (s[k] == NULL || hours[k] == NULL)
            return 1;
    }
    for (long o = 0; o < outlets; o++) {
        t = now_s();
        generate(s, n, (uint64_t)o + 1);
        t_gen += now_s() - t;
        t = now_s();
        check += baseline(s, n);
        t_base += now_s() - t;
        t = now_s();
        if (evaluate(s, n, hours, rec, cap, &tot) != EW_OK)
            return 1;
        t_eval += now_s() - t;
        t = now_s();
        if (detect(s[0], n, &tot) != EW_OK)
            return 1;
        t_det += now_s() - t;
    }
    printf("bench_compliance: %ld outlets x %ld days x %d minute series = %.0f values "
           "(CPU seconds of one thread; %.1f s wall in all)\n", outlets, days, NSERIES,
           (double)outlets * (double)n * NSERIES, wall_s() - wall);
    printf("  baseline, one pass (flag check + sum):                 %5.2f s  "
           "(%.2f ns/value)\n",
           t_base, t_base * 1e9 / ((double)outlets * (double)n * NSERIES));
    printf("  evaluation (hourly+O2, exceedance, transmission, load): %5.2f s  "
           "(%.2f ns/value)\n",
           t_eval, t_eval * 1e9 / ((double)outlets * (double)n * NSERIES));
    printf("  detection rules on the SO2 minutes:                    %5.2f s\n", t_det);
    printf("  generation (not counted above):                        %5.2f s\n", t_gen);
    printf("  %zu hours (%zu valid), %zu exceedance events, %zu detection events, "
           "mean transmission-valid rate %.1f %%, load %.0f t, checksum %.6g\n", tot.hours,
           tot.valid_hours, tot.events, tot.detect_events,
           tot.effective_sum / ((double)outlets * NPOLL), tot.load_kg / 1000, check);
    for (int k = 0; k < NSERIES; k++) {
        free(s[k]);
        free(hours[k]);
    }
    free(rec);
    return 0;
}
