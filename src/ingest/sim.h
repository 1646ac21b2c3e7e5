/* SPDX-License-Identifier: MIT */
/*
 * The HJ 212 instrument simulator (`envwatch simulate`): virtual dataloggers that dial a
 * platform over TCP and behave like the field machines of HJ 212-2017 (reference/hj212.md
 * section 7). Four layers, each usable on its own so that tests can drive them without sockets:
 *
 *   points   (sim_registry.c) what an instrument is: MN, PW, kind, factors, limits, scenario
 *   model    (sim_model.c)    deterministic values of every factor at any instant, and their
 *                             minute/hour/day aggregates (min, mean, max, converted, totals)
 *   device   (sim_device.c)   one datalogger's protocol state: schedule, upload queue with
 *                             re-sends, answers to the platform's requests; pure, no I/O
 *   runner   (sim_run.c)      the libuv loop: one TCP connection per device, timers, reconnect
 *
 * Values depend only on (seed, MN, factor, time), never on when they are computed, so a
 * history request, a back-fill and the live upload of one period always agree.
 *
 * This is test and demo equipment, not part of the platform: nothing here touches the store.
 */
#ifndef EW_INGEST_SIM_H
#define EW_INGEST_SIM_H

#include <stddef.h>
#include <stdint.h>

#include <hj212/hj212.h>

#include "util/buf.h"

/* ---- points ------------------------------------------------------------------------------ */

enum ew_sim_kind {
    EW_SIM_AIR = 0,             /* ambient air station, ST=22 */
    EW_SIM_WATER,               /* surface-water section, ST=21 */
    EW_SIM_FLUE,                /* stack CEMS, ST=31 */
    EW_SIM_WASTEWATER,          /* enterprise wastewater outlet, ST=32 */
    EW_SIM_SEWAGE,              /* municipal sewage plant outlet, ST=32 */
    EW_SIM_KIND_COUNT
};

/* Industries shape a stack's or outlet's levels (flue temperature, O2, flow, typical load). */
enum ew_sim_industry {
    EW_SIM_IND_NONE = 0,        /* stations and sections */
    EW_SIM_IND_POWER,           /* coal-fired power (GB 13223, ultra-low) */
    EW_SIM_IND_COKING,          /* coke ovens (GB 16171) */
    EW_SIM_IND_CEMENT,          /* cement kiln (GB 4915) */
    EW_SIM_IND_ALUMINIUM,       /* aluminium electrolysis (GB 25465) */
    EW_SIM_IND_BOILER,          /* industrial or heating boiler (GB 13271) */
    EW_SIM_IND_MINE,            /* coal mine, mine water (GB 20426) */
    EW_SIM_IND_SEWAGE,          /* municipal sewage plant (GB 18918) */
    EW_SIM_IND_COUNT
};

#define EW_SIM_MAX_FACTORS 11   /* the largest kind (air) has 11 factors */

/* One factor of a kind: the codes and how values are printed. */
struct ew_sim_factor {
    const char *code;           /* HJ 212-2017 code, e.g. "a21026" */
    const char *code2005;       /* HJ/T 212-2005 code, or NULL when 2005 had none */
    int         decimals;       /* digits after the point in every value */
    unsigned    flags;          /* EW_SIM_F_* */
};

#define EW_SIM_F_POLLUTANT 0x01 /* has a limit; converted to reference O2 on stacks */
#define EW_SIM_F_COU 0x02       /* period data carry -Cou (emitted mass or volume) */
#define EW_SIM_F_FLOW 0x04      /* the flow factor of the kind (a00000, w00000) */
#define EW_SIM_F_ANGLE 0x08     /* a direction in degrees: averaged as a vector */

/* The factors the simulator models for a kind, in their fixed order; *n receives the count. */
const struct ew_sim_factor *ew_sim_kind_factors(enum ew_sim_kind kind, size_t *n);
const char *ew_sim_kind_name(enum ew_sim_kind kind);
const char *ew_sim_kind_st(enum ew_sim_kind kind);     /* "22", "21", "31", "32", "32" */
int ew_sim_kind_parse(const char *s, enum ew_sim_kind *out);
const char *ew_sim_industry_name(enum ew_sim_industry ind);
int ew_sim_industry_parse(const char *s, enum ew_sim_industry *out);

struct ew_sim_point {
    char     mn[33];
    char     pw[33];
    char     name[129];
    char     st[3];
    enum ew_sim_kind kind;
    enum ew_sim_industry industry;
    double   o2_ref_pct;        /* reference O2 of the limits; 0: measured values, no Zs */
    int      target_class;      /* surface water: GB 3838 class 1..5 */
    double   level;             /* multiplier of the pollutant levels (1 = typical) */
    size_t   nfactors;          /* the factors uploaded, as indexes into the kind's table */
    unsigned char factor[EW_SIM_MAX_FACTORS];
    double   limit[EW_SIM_MAX_FACTORS];        /* by kind-table index; 0 = no limit */

    /* scenario switches (envwatch simulate --exceed, --silent, ...) */
    int      v2005;             /* speaks HJ/T 212-2005 with 2005 codes */
    int      bad_pw;            /* uploads carry a wrong PW */
    int64_t  skew_s;            /* the datalogger's clock is off by this much */
    int64_t  silent_after_s;    /* simulated seconds after start; -1: never silent */
    int      exceed_factor;     /* kind-table index, -1: none */
    double   exceed_multiple;   /* the factor is this multiple of its limit (or usual level) */
    int64_t  exceed_from_s, exceed_to_s;        /* [from, to) in Unix seconds */

    uint64_t key;               /* hash of the run seed and the MN; set by ew_sim_point_seal */
    uint64_t city_key;          /* hash of the seed alone: weather shared by all points */
};

/* Fills the parts of a point that follow from its kind (ST, all factors, default limits). */
void ew_sim_point_defaults(struct ew_sim_point *p, enum ew_sim_kind kind,
                           enum ew_sim_industry ind);
/* Derives the model key from the seed; call after the MN is final and before sampling. */
void ew_sim_point_seal(struct ew_sim_point *p, uint64_t seed);
/* Index of a factor code (2017) in the point's kind table, or -1. */
int ew_sim_point_factor_index(const struct ew_sim_point *p, const char *code, size_t len);

/*
 * Reads a registry CSV (header mn,pw,name,kind,site,county,lat,lon,st,factors,limits, extra
 * columns allowed; docs/simulator.md). At most max rows are kept (0: all). Returns EW_OK with
 * *out (caller frees) and *n; EW_EIO when the file cannot be read; EW_EFORMAT with *errline and
 * errmsg set for a bad row (unknown kind or factor, bad limit, duplicate MN, ...).
 */
int ew_sim_registry_load(const char *path, size_t max, struct ew_sim_point **out, size_t *n,
                         size_t *errline, char *errmsg, size_t errcap);
/* Invents n points of mixed kinds with stable MNs and PWs (independent of the seed). */
int ew_sim_points_invent(size_t n, struct ew_sim_point **out);
/* Writes points as a registry CSV (the same columns the loader reads). */
int ew_sim_registry_write(const struct ew_sim_point *p, size_t n, struct ew_buf *out);

/* ---- model ------------------------------------------------------------------------------- */

/* A bijective 64-bit mixing function (splitmix64's finaliser): the model's only randomness. */
uint64_t ew_sim_hash(uint64_t x);

/* Values of every factor of p's kind at instant t: measured v[] and converted zs[] (zs equals
 * v for factors without a reference-O2 conversion). Indexes follow the kind's table. */
void ew_sim_sample(const struct ew_sim_point *p, int64_t t_unix_s, double v[EW_SIM_MAX_FACTORS],
                   double zs[EW_SIM_MAX_FACTORS]);

/* A concentration measured at o2_pct converted to the reference O2 (HJ 75 / GB 13223:
 * C_ref = C * (21 - O2_ref) / (21 - O2); reference/standards.md 4.1). o2_pct must be < 21. */
double ew_sim_o2_convert(double conc, double o2_pct, double o2_ref_pct);

struct ew_sim_agg {
    double min, avg, max;       /* measured */
    double zmin, zavg, zmax;    /* converted to reference O2 (= measured when not applicable) */
    double cou;                 /* kg of pollutant, or m3 of gas / water for the flow factor */
};

/* Aggregates of every factor over [start, start + len): one sample per minute, at mid-minute
 * (len must be a positive multiple of 60). Returns EW_EINVAL otherwise. */
int ew_sim_aggregate(const struct ew_sim_point *p, int64_t start_unix_s, int64_t len_s,
                     struct ew_sim_agg agg[EW_SIM_MAX_FACTORS]);

/* CP content of a real-time (2011) record at t, ready for hj212_build. */
int ew_sim_cp_rtd(const struct ew_sim_point *p, int64_t t_unix_s, struct ew_buf *cp);
/* CP content of a minute (2051), hour (2061) or day (2031) record for [start, start + len). */
int ew_sim_cp_period(const struct ew_sim_point *p, int64_t start_unix_s, int64_t len_s,
                     struct ew_buf *cp);
/*
 * CP content of any record the simulator sends, by CN: 2011 real-time at t; 2051/2061/2031
 * for [t, t + len); 2021 equipment state and 2041 equipment run time (points with treatment
 * equipment only, else EW_ENODATA); 2081 boot time t. EW_EINVAL for other CNs.
 */
int ew_sim_cp_record(const struct ew_sim_point *p, int cn, int64_t t_unix_s, int64_t len_s,
                     struct ew_buf *cp);
/* Whether the point has treatment equipment (SB1) whose state and run time it reports. */
int ew_sim_has_equipment(const struct ew_sim_point *p);

/* ---- device: one datalogger's protocol state ---------------------------------------------- */

struct ew_sim_opts {
    int      rtd_interval_s;    /* 1..3600 (the standard: 30..3600) */
    int      min_interval_min;  /* 1,2,3,4,5,6,10,12,15,20,30 */
    int      overtime_s;        /* re-send after this many seconds without 9014 */
    int      recount;           /* re-sends before the link is declared unusable */
    int      ack;               /* 1: uploads ask for 9014 (Flag A bit) */
    int      backfill_hours;    /* hourly records queued at start, oldest first */
    unsigned window;            /* uploads in flight at once (1 = stop and wait) */
    size_t   queue_max;         /* queued uploads per device; the oldest are dropped past it */
    int64_t  start_ms;          /* simulated clock (Unix ms) at the start of the run */
};

/* Sets the defaults of reference/hj212.md section 7.3 and the CLI. */
void ew_sim_opts_defaults(struct ew_sim_opts *o);
/* 1 when every option is in range (the ranges are in docs/simulator.md), else 0. */
int ew_sim_opts_valid(const struct ew_sim_opts *o);

struct ew_sim_stats {
    uint64_t sent;              /* uploads sent for the first time */
    uint64_t acked;             /* uploads confirmed by 9014 */
    uint64_t resent;            /* re-sends of an unconfirmed upload */
    uint64_t dropped;           /* uploads lost: queue overflow, or no link without ack */
    uint64_t requests;          /* platform requests and notifications answered */
    uint64_t replies;           /* packets sent in answer to them (9011, data, 9012, 9013) */
    uint64_t bad_frames;        /* received bytes that were not a usable packet */
    uint64_t reconnects;        /* connections made after the first */
};

struct ew_sim_out;              /* one queued upload (private to sim_device.c) */

struct ew_sim_dev {
    const struct ew_sim_point *pt;
    struct ew_sim_opts opts;    /* copy: 1000/1062/1064 change it */
    char     pw[33];            /* the current PW (1072 changes it) */
    int64_t  offset_ms;         /* own clock = simulated base clock + offset */
    int      booted;            /* 2081 and the back-fill have been queued */
    int      rtd_on, status_on; /* 2011/2012 and 2021/2022 */
    int      silent;
    int      link_up;           /* a connection is open (answers can be sent) */
    int64_t  next_rtd_s, next_min_s, next_hour_s, next_day_s;   /* own clock */
    int64_t  last_qn_ms;
    struct ew_sim_out *q;       /* ring of queued uploads */
    size_t   q_head, q_len, q_cap;
    struct ew_buf direct;       /* bytes to send now that need no 9014 */
    struct ew_sim_stats stats;
};

/* Prepares a device for point p (p must outlive it). base_ms is the simulated base clock. */
int  ew_sim_dev_init(struct ew_sim_dev *d, const struct ew_sim_point *p,
                     const struct ew_sim_opts *o, int64_t base_ms);
void ew_sim_dev_fini(struct ew_sim_dev *d);
/* The device's own clock (Unix ms) for a simulated base clock. */
int64_t ew_sim_dev_clock_ms(const struct ew_sim_dev *d, int64_t base_ms);

/*
 * Generates the uploads due at base_ms: once the link has been up, first 2081 and the
 * back-fill, then 2011, 2051, 2061, 2031 (and 2021 when switched on) whose time has come;
 * nothing before the first connection. At most *budget uploads are created (*budget is
 * decremented; uploads lost in --no-ack mode do not count); pass NULL for no limit.
 */
int ew_sim_dev_advance(struct ew_sim_dev *d, int64_t base_ms, uint64_t *budget);
/*
 * Handles a packet received from the platform: a 9014 confirms an upload; requests and
 * notifications are answered into the direct output. Never fails on bad input (it is
 * counted); returns EW_ENOMEM or EW_ETOOBIG only when an answer could not be built.
 */
int ew_sim_dev_input(struct ew_sim_dev *d, const struct hj212_pkt *pkt, int64_t base_ms);
/*
 * Appends to out what must be sent at real time now_ms: pending answers, then queued uploads
 * not yet in flight (up to the window), then re-sends of uploads unconfirmed for OverTime.
 * Sets *link_dead when an upload went unconfirmed through all ReCount re-sends: the caller
 * should close the connection (the upload stays queued for the next one).
 */
int ew_sim_dev_output(struct ew_sim_dev *d, int64_t now_ms, struct ew_buf *out, int *link_dead);
/* A connection is open; answers and uploads without 9014 can flow. */
void ew_sim_dev_link_up(struct ew_sim_dev *d);
/* The connection is gone: answers are discarded, uploads in flight go back to unsent. */
void ew_sim_dev_link_down(struct ew_sim_dev *d);
/* The next simulated base time (ms) at which advance has work, and the next real time at
 * which output has a re-send to make (INT64_MAX when none). */
void ew_sim_dev_next_event(const struct ew_sim_dev *d, int64_t base_ms, int64_t *base_due_ms,
                           int64_t *real_due_ms);
/* Number of uploads still queued (unsent or unconfirmed). */
size_t ew_sim_dev_pending(const struct ew_sim_dev *d);

/* Shared by sim_device.c and sim_request.c only. */
int64_t ew__sim_floor_div(int64_t a, int64_t b);
int64_t ew__sim_period_start(int64_t t_unix_s, int64_t len_s);
void ew__sim_realign(struct ew_sim_dev *d, int64_t own_s, int all);
void ew__sim_next_qn(struct ew_sim_dev *d, int64_t own_ms, char qn[18]);
const char *ew__sim_upload_pw(const struct ew_sim_dev *d, char buf[33]);
int ew__sim_ack(struct ew_sim_dev *d, struct hj212_str qn);
int ew__sim_record(struct ew_sim_dev *d, int cn, const char *cp, int ack, int64_t own_ms);

/* ---- runner --------------------------------------------------------------------------------- */

struct ew_sim_run_cfg {
    const char *host;           /* numeric address or name */
    int         port;
    struct ew_sim_opts opts;
    double      speed;          /* simulated seconds per real second */
    double      duration_s;     /* stop after this many real seconds; 0: run until signalled */
    uint64_t    count;          /* stop after this many uploads; 0: no limit */
    double      summary_s;      /* real seconds between summaries (60) */
    /* Called every summary_s and once at the end (final = 1); may be NULL. */
    void      (*on_summary)(void *arg, const struct ew_sim_stats *total, size_t connected,
                            size_t pending, double elapsed_s, int final);
    void       *arg;
};

/*
 * Runs devices for points[0..n) until the duration passes, the count is reached and every
 * queued upload is confirmed (or the time to confirm it has run out), or SIGINT/SIGTERM.
 * Returns EW_OK, EW_EINVAL for a bad configuration, EW_EIO when the address cannot be
 * resolved, EW_ENOMEM.
 */
int ew_sim_run(const struct ew_sim_run_cfg *cfg, const struct ew_sim_point *points, size_t n);

#endif
