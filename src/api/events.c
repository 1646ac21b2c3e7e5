/* SPDX-License-Identifier: MIT */
/*
 * Server-sent events (GET /api/v1/events): live updates for the dashboard. Events go into a
 * ring of the last EVENTS_RING; each stream sends what it has not seen, then suspends its
 * connection (libmicrohttpd's suspend/resume, so no pool thread waits) until the next
 * event or the next heartbeat. A client that reconnects with Last-Event-ID gets what it
 * missed while it is still in the ring.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/internal.h"

#define EVENTS_RING 512
#define EVENTS_MAX_STREAMS 256
#define HEARTBEAT_S 15

struct event {
    uint64_t seq;
    char    *text;                      /* "id: …\nevent: …\ndata: …\n\n" */
    size_t   len;
};

struct stream {
    struct api_events     *ev;
    struct MHD_Connection *conn;
    uint64_t               next_seq;
    time_t                 last_send;
    int                    suspended, ping;
};

struct api_events {
    pthread_mutex_t mu;
    struct event    ring[EVENTS_RING];
    uint64_t        seq;                /* of the newest event; 0 = none yet */
    struct stream  *streams[EVENTS_MAX_STREAMS];
    size_t          nstreams;
    int             stopping;
};

int
ew__api_events_create(struct api_events **out)
{
    struct api_events *ev = calloc(1, sizeof(*ev));

    if (ev == NULL)
        return EW_ENOMEM;
    pthread_mutex_init(&ev->mu, NULL);
    *out = ev;
    return EW_OK;
}

static void
resume_all(struct api_events *ev, int ping)
{
    for (size_t i = 0; i < ev->nstreams; i++) {
        struct stream *s = ev->streams[i];
        if (s->suspended) {
            s->suspended = 0;
            s->ping = ping;
            MHD_resume_connection(s->conn);
        }
    }
}

/* Before the daemon stops: every suspended stream must be resumed (libmicrohttpd's rule). */
void
ew__api_events_stop(struct api_events *ev)
{
    pthread_mutex_lock(&ev->mu);
    ev->stopping = 1;
    resume_all(ev, 0);
    pthread_mutex_unlock(&ev->mu);
}

void
ew__api_events_destroy(struct api_events *ev)
{
    if (ev == NULL)
        return;
    for (size_t i = 0; i < EVENTS_RING; i++)
        free(ev->ring[i].text);
    pthread_mutex_destroy(&ev->mu);
    free(ev);
}

void
ew__api_events_publish(struct api_events *ev, const char *type, const char *json)
{
    struct event *e;
    char head[128];
    size_t hn, jn = strlen(json);

    pthread_mutex_lock(&ev->mu);
    e = &ev->ring[(ev->seq + 1) % EVENTS_RING];
    free(e->text);
    e->seq = ++ev->seq;
    /* The header by printf, the data (a commit's uploads: up to 64 KiB) by memcpy: two
     * printf passes over it cost the writer thread more than the readings it describes. */
    hn = (size_t)snprintf(head, sizeof(head), "id: %llu\nevent: %.64s\ndata: ",
                          (unsigned long long)e->seq, type);
    e->text = malloc(hn + jn + 3);
    e->len = 0;
    if (e->text != NULL) {
        memcpy(e->text, head, hn);
        memcpy(e->text + hn, json, jn);
        memcpy(e->text + hn + jn, "\n\n", 3);
        e->len = hn + jn + 2;
    }
    resume_all(ev, 0);
    pthread_mutex_unlock(&ev->mu);
}

/* Called every second by the host: wakes streams for their heartbeat. */
void
ew__api_events_tick(struct api_events *ev)
{
    time_t now = time(NULL);
    int due = 0;

    pthread_mutex_lock(&ev->mu);
    for (size_t i = 0; i < ev->nstreams; i++)
        due |= ev->streams[i]->suspended && now - ev->streams[i]->last_send >= HEARTBEAT_S;
    if (due)
        resume_all(ev, 1);
    pthread_mutex_unlock(&ev->mu);
}

static ssize_t
stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct stream *s = cls;
    struct api_events *ev = s->ev;
    size_t used = 0;

    (void)pos;
    pthread_mutex_lock(&ev->mu);
    if (ev->stopping) {
        pthread_mutex_unlock(&ev->mu);
        return MHD_CONTENT_READER_END_OF_STREAM;
    }
    /* events older than the ring are gone: skip ahead */
    if (ev->seq >= EVENTS_RING && s->next_seq <= ev->seq - EVENTS_RING)
        s->next_seq = ev->seq - EVENTS_RING + 1;
    while (s->next_seq <= ev->seq) {
        const struct event *e = &ev->ring[s->next_seq % EVENTS_RING];
        if (e->text == NULL || e->seq != s->next_seq) {
            s->next_seq++;
            continue;
        }
        if (used + e->len > max)
            break;
        memcpy(buf + used, e->text, e->len);
        used += e->len;
        s->next_seq++;
    }
    if (used == 0 && s->ping && max >= 8) {
        memcpy(buf, ": ping\n\n", 8);
        used = 8;
    }
    s->ping = 0;
    if (used > 0) {
        s->last_send = time(NULL);
    } else {
        s->suspended = 1;
        MHD_suspend_connection(s->conn);
    }
    pthread_mutex_unlock(&ev->mu);
    return (ssize_t)used;
}

static void
stream_free(void *cls)
{
    struct stream *s = cls;
    struct api_events *ev = s->ev;

    pthread_mutex_lock(&ev->mu);
    for (size_t i = 0; i < ev->nstreams; i++)
        if (ev->streams[i] == s) {
            ev->streams[i] = ev->streams[--ev->nstreams];
            break;
        }
    pthread_mutex_unlock(&ev->mu);
    free(s);
}

int
ew__api_events_stream(struct api_req *r, struct api_events *ev)
{
    const char *last = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Last-Event-ID");
    struct stream *s = calloc(1, sizeof(*s));

    if (s == NULL)
        return api_error(r, 503, "busy", "out of memory");
    s->ev = ev;
    s->conn = r->conn;
    s->last_send = time(NULL);
    s->ping = 1;                        /* the first read sends something at once */
    pthread_mutex_lock(&ev->mu);
    if (ev->nstreams == EVENTS_MAX_STREAMS || ev->stopping) {
        pthread_mutex_unlock(&ev->mu);
        free(s);
        return api_error(r, 503, "busy", "too many event streams");
    }
    s->next_seq = last != NULL ? strtoull(last, NULL, 10) + 1 : ev->seq + 1;
    ev->streams[ev->nstreams++] = s;
    pthread_mutex_unlock(&ev->mu);
    r->resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, stream_read, s,
                                                stream_free);
    if (r->resp == NULL) {
        stream_free(s);
        return api_error(r, 503, "busy", "cannot create the stream");
    }
    r->content_type = "text/event-stream";
    return EW_OK;
}
