/* SPDX-License-Identifier: MIT */
/*
 * The writer thread: the only writer of the store. It takes what the loop queued, writes a
 * batch (N items or T ms, whichever comes first) in one transaction, and only after the
 * commit hands the batch back to the loop, which then sends the replies: an instrument is
 * acknowledged only for what is durable (DESIGN.md "Acknowledge only what is durable").
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <envwatch/err.h>

#include "ingest/internal.h"
#include "util/json.h"
#include "util/time.h"

/* Connection ids of the store, by session slot; touched only by the writer thread. */
struct conn_map {
    uint64_t *key;
    int64_t  *id;                       /* negative once the MN has been recorded */
    size_t    n;
};

static void
conn_map_set(struct conn_map *m, uint64_t key, int64_t id)
{
    size_t slot = (size_t)(key >> 32);

    if (slot >= m->n) {
        size_t n = m->n ? m->n : 64;
        while (n <= slot)
            n *= 2;
        uint64_t *k = realloc(m->key, n * sizeof(*k));
        if (k == NULL)
            return;
        m->key = k;
        int64_t *v = realloc(m->id, n * sizeof(*v));
        if (v == NULL)
            return;
        m->id = v;
        memset(m->key + m->n, 0, (n - m->n) * sizeof(*k));
        m->n = n;
    }
    m->key[slot] = key;
    m->id[slot] = id;
}

static int64_t
conn_map_get(const struct conn_map *m, uint64_t key)
{
    size_t slot = (size_t)(key >> 32);

    if (slot >= m->n || m->key[slot] != key)
        return 0;
    return m->id[slot] < 0 ? -m->id[slot] : m->id[slot];
}

static int
conn_map_identified(const struct conn_map *m, uint64_t key)
{
    size_t slot = (size_t)(key >> 32);

    return slot < m->n && m->key[slot] == key && m->id[slot] < 0;
}

static void
conn_map_mark(struct conn_map *m, uint64_t key)
{
    size_t slot = (size_t)(key >> 32);

    if (slot < m->n && m->key[slot] == key && m->id[slot] > 0)
        m->id[slot] = -m->id[slot];
}

/* Suffixes of a CP key that carry a number of the reading (HJ 212-2017 table 4). */
static double *
reading_field(struct ew_reading *r, const struct hj212_str *suffix, int kind)
{
#define IS(s) (suffix->len == sizeof(s) - 1 && memcmp(suffix->ptr, s, sizeof(s) - 1) == 0)
    if (IS("Rtd") || IS("Avg"))
        return &r->value;
    if (IS("ZsRtd") || IS("ZsAvg"))
        return &r->zs;
    if (IS("Min"))
        return &r->min;
    if (IS("Max"))
        return &r->max;
    if (IS("Cou"))
        return &r->cou;
#undef IS
    (void)kind;
    return NULL;
}

static int
parse_number(struct hj212_str v, double *out)
{
    static const double p10[] = { 1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                  1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                  1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };
    char tmp[40], *end;
    uint64_t m = 0;
    size_t i = 0, digits = 0, decimals = 0;
    int neg = 0, dot = 0;

    if (v.len == 0 || v.len >= sizeof(tmp))
        return 0;
    /*
     * What instruments send, [-]digits[.digits] with at most 15 digits: the integer of the
     * digits and a power of ten are both exact doubles, and one division rounds correctly,
     * so this is strtod's result without strtod's cost. Anything else goes to strtod.
     */
    if (v.ptr[0] == '-')
        neg = i = 1;
    for (; i < v.len; i++) {
        char ch = v.ptr[i];
        if (ch == '.' && !dot) {
            dot = 1;
        } else if (ch >= '0' && ch <= '9' && digits < 15) {
            m = m * 10 + (uint64_t)(ch - '0');
            digits++;
            decimals += (size_t)dot;
        } else {
            break;
        }
    }
    if (i == v.len && digits > 0 && (!dot || v.ptr[v.len - 1] != '.')) {
        double x = (double)m / p10[decimals];
        *out = neg ? -x : x;
        return 1;
    }
    memcpy(tmp, v.ptr, v.len);
    tmp[v.len] = '\0';
    errno = 0;
    double x = strtod(tmp, &end);
    if (errno != 0 || *end != '\0' || !isfinite(x))
        return 0;
    *out = x;
    return 1;
}

#define MAX_FACTORS 256

static const char *
kind_name(int kind)
{
    switch (kind) {
    case EW_KIND_RTD:
        return "rtd";
    case EW_KIND_MINUTE:
        return "minute";
    case EW_KIND_HOUR:
        return "hour";
    case EW_KIND_DAY:
        return "day";
    }
    return "?";
}

/* The live "readings" event, one per commit: the uploads stored, each with its point, kind,
 * time and factors (no values: pages that show values fetch them, so the event stays small).
 * One event per packet cost the writer more than a tenth of its time at 20,000 packets/s. */
#define UPLOADS_MAX ((size_t)64 << 10)  /* bytes of one event (the API keeps the last 512);
                                           a bigger batch sends more than one */

static void
uploads_flush(struct ew_daemon *d)
{
    if (d->uploads.len > 0 && ew_buf_adds(&d->uploads, "]}") == EW_OK)
        ew__event(d, "readings", d->uploads.ptr);
    ew_buf_reset(&d->uploads);
}

static void
uploads_add(struct ew_daemon *d, const struct item *qi, int kind, int64_t t,
            const struct ew_reading *r, size_t n)
{
    struct ew_buf *b = &d->uploads;
    size_t mark;
    char iso[20];

    if (b->len > UPLOADS_MAX - 8192)     /* an entry of 256 factors takes about 5 KiB */
        uploads_flush(d);
    mark = b->len;
    ew_time_fmt_iso(t, iso);
    ew_buf_adds(b, b->len == 0 ? "{\"uploads\":[{\"mn\":" : ",{\"mn\":");
    ew_json_strz(b, qi->mn);
    ew_buf_adds(b, ",\"kind\":\"");
    ew_buf_adds(b, kind_name(kind));
    ew_buf_adds(b, "\",\"time\":\"");
    ew_buf_adds(b, iso);
    ew_buf_adds(b, "\",\"factors\":[");
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            ew_buf_addc(b, ',');
        ew_json_strz(b, r[i].factor);
    }
    if (ew_buf_adds(b, "]}") != EW_OK)
        b->len = mark;                  /* no room (256 factors of 16 bytes fit): left out */
}

/* Turns the CP of an upload into readings and stores them; returns how many were new. */
static int
store_readings(struct ew_daemon *d, struct ew_store *s, const struct hj212_pkt *p, int kind,
               struct item *qi, int *stored, int *dups)
{
    int64_t point_id = qi->point_id;
    struct ew_reading r[MAX_FACTORS];   /* 22 KiB of the writer's stack, filled as used */
    unsigned char flen[MAX_FACTORS];    /* strlen of each r[i].factor */
    struct hj212_cp_iter it;
    struct hj212_cp_item item;
    struct hj212_str dt;
    int64_t t;
    size_t n = 0;
    int rc = EW_OK;

    *stored = *dups = 0;
    if (!hj212_cp_get(p->cp, "DataTime", &dt) ||
        ew_time_parse_compact(dt.ptr, dt.len, &t) != EW_OK)
        return EW_EFORMAT;
    hj212_cp_iter_init(&it, p->cp);
    while (hj212_cp_next(&it, &item)) {
        size_t i;
        if (item.suffix.ptr == NULL || item.code.len == 0 || item.code.len >= sizeof(r->factor))
            continue;
        /* The fields of a factor come together (a21026-Min, a21026-Avg, ...): try the last
         * factor first, then the others. */
        if (n > 0 && flen[n - 1] == item.code.len &&
            memcmp(r[n - 1].factor, item.code.ptr, item.code.len) == 0)
            i = n - 1;
        else
            for (i = 0; i < n; i++)
                if (flen[i] == item.code.len &&
                    memcmp(r[i].factor, item.code.ptr, item.code.len) == 0)
                    break;
        if (i == n) {
            if (n == MAX_FACTORS)
                continue;
            r[n] = (struct ew_reading){ .point_id = point_id, .kind = kind, .t_unix_s = t,
                                        .value = NAN, .min = NAN, .max = NAN, .cou = NAN,
                                        .zs = NAN };
            memcpy(r[n].factor, item.code.ptr, item.code.len);
            flen[n] = (unsigned char)item.code.len;
            n++;
        }
        if (item.suffix.len == 4 && memcmp(item.suffix.ptr, "Flag", 4) == 0) {
            size_t fl = item.value.len < sizeof(r[i].flag) - 1 ? item.value.len
                                                                : sizeof(r[i].flag) - 1;
            memcpy(r[i].flag, item.value.ptr, fl);
            r[i].flag[fl] = '\0';
            continue;
        }
        double *f = reading_field(&r[i], &item.suffix, kind);
        if (f != NULL)
            parse_number(item.value, f);
    }
    for (size_t i = 0; i < n && rc == EW_OK; i++) {
        int inserted = 0;
        if (isnan(r[i].value) && isnan(r[i].cou) && isnan(r[i].zs) && r[i].flag[0] == '\0')
            continue;
        rc = ew_store_reading_put(s, &r[i], &inserted);
        if (rc == EW_EINVAL || rc == EW_ENOTFOUND || rc == EW_ETOOBIG) {
            /* refused before any write: a bad factor code or time, a removed point, or
             * more factors for one data time than a row holds */
            rc = EW_OK;
            continue;
        }
        if (inserted)
            r[(*stored)++] = r[i];      /* compact the new ones to the front for the hooks */
        else
            (*dups)++;
    }
    if (rc == EW_OK && *stored > 0) {
        uploads_add(d, qi, kind, t, r, (size_t)*stored);
        rc = ew__hooks_frame(d, s, qi, kind, t, r, (size_t)*stored);
    }
    return rc;
}

static int
data_kind(int cn)
{
    switch (cn) {
    case 2011:
        return EW_KIND_RTD;
    case 2051:
        return EW_KIND_MINUTE;
    case 2061:
        return EW_KIND_HOUR;
    case 2031:
        return EW_KIND_DAY;
    }
    return 0;
}

int
ew__store_frame(struct ew_daemon *d, struct ew_store *s, struct item *it, struct metrics *m)
{
    struct ew_journal_entry e = { .t_recv_ms = it->t_recv_ms, .peer = it->peer,
                                  .mn = it->mn[0] ? it->mn : NULL, .verdict = it->verdict,
                                  .bytes = it->bytes, .len = it->len };
    struct hj212_pkt p;
    int kind = data_kind(it->cn);

    int rc;

    if (it->has_cp)
        p = (struct hj212_pkt){ .cp = { it->bytes + it->cp_off, it->cp_len } };
    if (it->point_id > 0 && kind != 0 &&
        (it->has_cp || hj212_pkt_parse(it->bytes, it->len, &p) == HJ212_OK)) {
        int stored = 0, dups = 0;
        rc = store_readings(d, s, &p, kind, it, &stored, &dups);
        if (rc == EW_EFORMAT || rc == EW_ENOMEM)
            e.verdict = "bad-data";
        else if (rc != EW_OK)
            return rc;
        else if (stored == 0 && dups > 0)
            e.verdict = "duplicate";
        it->inserted = stored;
        atomic_fetch_add_explicit(&m->readings, (unsigned)stored, memory_order_relaxed);
        if (dups > 0 && stored == 0)
            atomic_fetch_add_explicit(&m->duplicates, 1, memory_order_relaxed);
    }
    rc = ew_store_journal_put(s, &e);
    return rc == EW_ETOOBIG ? EW_OK : rc;
}

/*
 * Writes one item inside the batch transaction. Only an error of the store itself (EW_EIO,
 * EW_EBUSY) fails the batch; what the store refuses as invalid is recorded and passed over.
 */
static int
run_item(struct ew_daemon *d, struct conn_map *cm, struct item *it)
{
    struct ew_store *s = d->wstore;
    int64_t id = 0;
    int rc = EW_OK;

    switch (it->type) {
    case ITEM_FRAME:
        rc = ew__store_frame(d, s, it, &d->m);
        if (rc == EW_OK && strcmp(it->verdict, "unknown-mn") == 0)
            ew_store_pending_touch(s, it->mn, it->st, it->peer, it->t_recv_ms);
        if (rc == EW_OK && it->point_id > 0 && (id = conn_map_get(cm, it->session)) > 0 &&
            !conn_map_identified(cm, it->session)) {
            ew_store_conn_identify(s, id, it->mn);
            conn_map_mark(cm, it->session);
        }
        break;
    case ITEM_CONN_OPEN:
        if (ew_store_conn_open(s, it->peer, it->t_recv_ms, &id) == EW_OK)
            conn_map_set(cm, it->session, id);
        break;
    case ITEM_CONN_CLOSE:
        if ((id = conn_map_get(cm, it->session)) > 0)
            ew_store_conn_close(s, id, it->t_recv_ms, it->verdict);
        break;
    case ITEM_JOB:
        /* A job's own refusal (bad input) is its answer, not a failure of the batch; it
         * runs inside a savepoint-free batch, so jobs check before they write. */
        it->job->rc = it->job->fn(s, it->job->arg);
        break;
    case ITEM_AUDIT:
        rc = ew__audit_store(s, it);
        break;
    }
    return rc == EW_EIO || rc == EW_EBUSY || rc == EW_ENOMEM ? rc : EW_OK;
}

static void
pop_into(struct ingest_queue *q, struct item ***tail, size_t *n, size_t max)
{
    while (q->head != NULL && *n < max) {
        struct item *it = q->head;
        q->head = it->next;
        if (q->head == NULL)
            q->tail = NULL;
        q->n--;
        it->next = NULL;
        **tail = it;
        *tail = &it->next;
        (*n)++;
    }
}

/* Takes up to max items: waits for the first, then up to batch_ms for the rest. */
static struct item *
take_batch(struct ew_daemon *d, size_t max, size_t *count)
{
    struct ingest_queue *q = &d->q;
    struct item *head = NULL, **tail = &head;
    struct timespec deadline;
    size_t n = 0;

    pthread_mutex_lock(&q->mu);
    /* Wake at least once a second when idle, for the hooks' ticks. */
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 1;
    while (q->head == NULL && !q->stopping)
        if (pthread_cond_timedwait(&q->cond, &q->mu, &deadline) == ETIMEDOUT)
            break;
    if (q->head == NULL) {
        pthread_mutex_unlock(&q->mu);
        *count = 0;
        return NULL;
    }
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_nsec += (long)d->cfg.batch_ms * 1000000L;
    deadline.tv_sec += deadline.tv_nsec / 1000000000L;
    deadline.tv_nsec %= 1000000000L;
    for (;;) {
        pop_into(q, &tail, &n, max);
        if (n >= max || q->stopping)
            break;
        if (pthread_cond_timedwait(&q->cond, &q->mu, &deadline) == ETIMEDOUT) {
            pop_into(q, &tail, &n, max);
            break;
        }
    }
    atomic_store_explicit(&d->m.queue_depth, q->n, memory_order_relaxed);
    pthread_mutex_unlock(&q->mu);
    *count = n;
    return head;
}

static void
hand_back(struct ew_daemon *d, struct item *head)
{
    struct ingest_queue *q = &d->q;
    struct item *last = head;

    if (head == NULL)
        return;
    while (last->next != NULL)
        last = last->next;
    pthread_mutex_lock(&q->mu);
    if (q->done_tail != NULL)
        q->done_tail->next = head;
    else
        q->done_head = head;
    q->done_tail = last;
    for (struct item *it = head; it != NULL; it = it->next)
        if (it->type == ITEM_JOB)
            it->job->done = 1;
    pthread_cond_broadcast(&q->job_cond);
    pthread_mutex_unlock(&q->mu);
    uv_async_send(&d->done_async);
}

static int64_t
mono_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void
commit_batch(struct ew_daemon *d, struct conn_map *cm, struct item *head)
{
    int64_t t0 = mono_us(), us;
    int rc;

    rc = ew_store_begin(d->wstore);
    for (struct item *it = head; it != NULL && rc == EW_OK; it = it->next)
        rc = run_item(d, cm, it);
    if (rc == EW_OK)
        rc = ew_store_commit(d->wstore);
    uploads_flush(d);                   /* published only if committed, like every event */
    ew__hooks_events_done(d, rc == EW_OK);
    if (rc != EW_OK) {
        /* Nothing of this batch is durable: drop the replies so the instruments re-send. */
        ew__log(d, "error", "store commit failed: %s", ew_store_errmsg(d->wstore));
        ew_store_rollback(d->wstore);
        for (struct item *it = head; it != NULL; it = it->next) {
            free(it->reply);
            it->reply = NULL;
            if (it->type == ITEM_JOB)
                it->job->rc = rc;
        }
    }
    us = mono_us() - t0;
    atomic_fetch_add_explicit(&d->m.commits, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&d->m.commit_us_total, (uint64_t)us, memory_order_relaxed);
    if ((uint64_t)us > atomic_load_explicit(&d->m.commit_us_max, memory_order_relaxed))
        atomic_store_explicit(&d->m.commit_us_max, (uint64_t)us, memory_order_relaxed);
}

static void
reload_registry(struct ew_daemon *d)
{
    struct registry *r = NULL, *old;

    if (ew__registry_load(d->wstore, &r) != EW_OK) {
        ew__log(d, "error", "registry reload failed: %s", ew_store_errmsg(d->wstore));
        return;
    }
    pthread_mutex_lock(&d->reg_mu);
    old = d->reg;
    d->reg = r;
    pthread_mutex_unlock(&d->reg_mu);
    ew__registry_free(old);
}

/* An idle writer checkpoints once this many items were committed since the last time, or
 * after this long: fewer, larger checkpoints mean fewer fsyncs, each a pause. */
#define CHECKPOINT_ITEMS 4000
#define CHECKPOINT_IDLE_MS 5000

static void *
writer_main(void *arg)
{
    struct ew_daemon *d = arg;
    struct conn_map cm = { 0 };
    int64_t last_reload = ew__now_ms(), last_prune = 0, last_ckpt = 0;
    size_t since_ckpt = 0;
    int version = 0, last_version = -1, idle;

    for (;;) {
        size_t n;
        struct item *batch = take_batch(d, d->cfg.batch_packets, &n);
        int stopping;

        if (batch != NULL) {
            int has_job = 0;
            commit_batch(d, &cm, batch);
            since_ckpt += n;
            for (struct item *it = batch; it != NULL; it = it->next)
                has_job |= it->type == ITEM_JOB;
            /* An API write may have changed the registry: the loop sees the change before
             * the HTTP call returns, so the caller's next packet is judged by it. */
            if (has_job)
                reload_registry(d);
            hand_back(d, batch);
        }
        /* The registry changes through the API (a job) or the CLI (another process): reload
         * when told, and otherwise check the schema's change counter every two seconds. */
        int64_t now = ew__now_ms();
        if (atomic_exchange(&d->reg_dirty, 0)) {
            reload_registry(d);
        } else if (now - last_reload > 2000) {
            last_reload = now;
            if (ew_store_data_version(d->wstore, &version) == EW_OK && version != last_version) {
                last_version = version;
                reload_registry(d);
            }
        }
        ew__hooks_tick(d, d->wstore);
        if (now - last_prune > 3600 * 1000) {
            int64_t deleted = 0;
            last_prune = now;
            if (d->cfg.rtd_retention_days > 0)
                ew_store_reading_prune(d->wstore, EW_KIND_RTD,
                                       now / 1000 - (int64_t)d->cfg.rtd_retention_days * 86400,
                                       &deleted);
            if (d->cfg.journal_retention_days > 0)
                ew_store_journal_prune(d->wstore,
                                       now - (int64_t)d->cfg.journal_retention_days * 86400000,
                                       &deleted);
        }
        pthread_mutex_lock(&d->q.mu);
        stopping = d->q.stopping && d->q.head == NULL;
        idle = d->q.head == NULL;
        pthread_mutex_unlock(&d->q.mu);
        if (stopping)
            break;
        /* Checkpoint while nothing waits, so its pause falls between batches rather than
         * on a waiting instrument; [store] checkpoint_pages is only the ceiling that forces
         * one under a backlog (the writer's connection is the only one that checkpoints:
         * docs/store.md, the WAL-reset race of Debian's SQLite). */
        if (idle && since_ckpt > 0 && (since_ckpt >= CHECKPOINT_ITEMS ||
                                       now - last_ckpt >= CHECKPOINT_IDLE_MS)) {
            int pages = 0;
            last_ckpt = now;
            since_ckpt = 0;
            if (ew_store_checkpoint(d->wstore, 0, &pages) == EW_OK) {
                atomic_fetch_add_explicit(&d->m.checkpoints, 1, memory_order_relaxed);
                atomic_store_explicit(&d->m.wal_pages, (uint64_t)(pages > 0 ? pages : 0),
                                      memory_order_relaxed);
            }
        }
    }
    free(cm.key);
    free(cm.id);
    ew__hooks_destroy(d);
    ew_buf_fini(&d->uploads);
    atomic_store(&d->writer_exited, 1);
    uv_async_send(&d->done_async);
    return NULL;
}

int
ew__writer_start(struct ew_daemon *d)
{
    struct ingest_queue *q = &d->q;

    q->cap = d->cfg.queue_packets;
    ew_buf_init(&d->uploads, UPLOADS_MAX);
    if (ew__hooks_create(d) != EW_OK) {
        ew__hooks_destroy(d);
        return EW_EINVAL;
    }
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->cond, NULL);
    pthread_cond_init(&q->job_cond, NULL);
    if (pthread_create(&d->writer, NULL, writer_main, d) != 0)
        return EW_ENOMEM;
    d->writer_started = 1;
    return EW_OK;
}

void
ew__writer_stop(struct ew_daemon *d)
{
    if (!d->writer_started)
        return;
    pthread_mutex_lock(&d->q.mu);
    d->q.stopping = 1;
    pthread_cond_broadcast(&d->q.cond);
    pthread_mutex_unlock(&d->q.mu);
    pthread_join(d->writer, NULL);
    d->writer_started = 0;
}

int
ew__queue_push(struct ew_daemon *d, struct item *it)
{
    struct ingest_queue *q = &d->q;
    size_t n;

    pthread_mutex_lock(&q->mu);
    if (q->stopping) {
        pthread_mutex_unlock(&q->mu);
        return EW_ESTATE;
    }
    it->next = NULL;
    if (q->tail != NULL)
        q->tail->next = it;
    else
        q->head = it;
    q->tail = it;
    n = ++q->n;
    pthread_cond_signal(&q->cond);
    pthread_mutex_unlock(&q->mu);
    atomic_store_explicit(&d->m.queue_depth, n, memory_order_relaxed);
    /* The item is queued whatever happens; a full queue only stops further reading. */
    return n >= q->cap ? EW_EBUSY : EW_OK;
}

int
ew__writer_job(struct ew_daemon *d, int (*fn)(struct ew_store *, void *), void *arg)
{
    struct job job = { .fn = fn, .arg = arg, .rc = EW_EIO };
    struct item *it = calloc(1, sizeof(*it));
    struct ingest_queue *q = &d->q;

    if (it == NULL)
        return EW_ENOMEM;
    it->type = ITEM_JOB;
    it->job = &job;
    pthread_mutex_lock(&q->mu);
    if (q->stopping) {
        pthread_mutex_unlock(&q->mu);
        free(it);
        return EW_ESTATE;
    }
    if (q->tail != NULL)
        q->tail->next = it;
    else
        q->head = it;
    q->tail = it;
    q->n++;
    pthread_cond_signal(&q->cond);
    while (!job.done)
        pthread_cond_wait(&q->job_cond, &q->mu);
    pthread_mutex_unlock(&q->mu);
    /* The loop frees the item when it walks the done list; job lives on this stack until
     * done is set, and the loop never touches it->job. */
    return job.rc;
}
