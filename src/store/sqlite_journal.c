/* SPDX-License-Identifier: MIT */
/*
 * SQLite: the raw packet journal (every frame received, good or bad, with its verdict: the
 * evidence behind every stored value) and the history of instrument connections.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <envwatch/err.h>
#include <envwatch/store.h>

#include "store/internal.h"
#include "util/time.h"

/*
 * Why the frames are not in the table: a frame is ~600 bytes against ~70 for the packed
 * reading row it carries, and SQLite writes every byte twice (WAL, then checkpoint) through
 * B-tree pages. Measured with bench_ingest: the daemon ran at 31k packets/s with the bytes
 * in the table and 54k-62k with them out of it; the readings alone insert at 55k-68k.
 */
#define JF_FLUSH_AT (4u << 20)          /* write early past 4 MiB of pending bytes */

static int
day_of_ms(int64_t t_ms)
{
    struct ew_civil cv;

    ew_unix_to_civil(t_ms >= 0 ? t_ms / 1000 : -((-t_ms + 999) / 1000), &cv);
    return cv.year * 10000 + cv.month * 100 + cv.day;
}

static void
day_path(const struct ew__sqlite_jfile *jf, int day, char *out, size_t len)
{
    snprintf(out, len, "%s/%08d.raw", jf->dir, day);
}

int
ew__sqlite_jfile_init(struct ew__sqlite *c, const char *store_dir, int sync)
{
    size_t n = strlen(store_dir) + sizeof("/journal");

    c->jf.fd = -1;
    c->jf.sync = sync;
    ew_buf_init(&c->jf.pending, 0);
    if ((c->jf.dir = malloc(n)) == NULL)
        return EW_ENOMEM;
    snprintf(c->jf.dir, n, "%s/journal", store_dir);
    return EW_OK;
}

void
ew__sqlite_jfile_discard(struct ew__sqlite *c)
{
    ew_buf_reset(&c->jf.pending);
}

void
ew__sqlite_jfile_close(struct ew__sqlite *c)
{
    if (c->jf.fd >= 0)
        close(c->jf.fd);
    ew_buf_fini(&c->jf.pending);
    free(c->jf.dir);
    c->jf = (struct ew__sqlite_jfile){ .fd = -1 };
}

/* Where the file really ends (after a failed write, what did reach it). */
static void
resync_size(struct ew__sqlite_jfile *jf)
{
    struct stat st;

    jf->size = fstat(jf->fd, &st) == 0 ? (int64_t)st.st_size : jf->size;
}

int
ew__sqlite_jfile_flush(struct ew__sqlite *c)
{
    struct ew__sqlite_jfile *jf = &c->jf;
    size_t done = 0, len = jf->pending.len;

    if (len == 0)
        return EW_OK;
    while (done < len) {
        ssize_t w = write(jf->fd, jf->pending.ptr + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int e = errno;
            ew_buf_reset(&jf->pending);
            resync_size(jf);
            return ew__sqlite_say(c, EW_EIO, "journal file %s/%08d.raw: %s", jf->dir, jf->day,
                                  w < 0 ? strerror(e) : "nothing written");
        }
        done += (size_t)w;
    }
    jf->size += (int64_t)len;
    ew_buf_reset(&jf->pending);
    if (jf->sync && fdatasync(jf->fd) != 0)
        return ew__sqlite_say(c, EW_EIO, "journal file %s/%08d.raw: sync: %s", jf->dir,
                              jf->day, strerror(errno));
    return EW_OK;
}

/* Makes day's file the one open for appending. */
static int
jfile_switch(struct ew__sqlite *c, int day)
{
    struct ew__sqlite_jfile *jf = &c->jf;
    char path[4300];
    int rc;

    if (jf->fd >= 0 && jf->day == day)
        return EW_OK;
    if ((rc = ew__sqlite_jfile_flush(c)) != EW_OK)
        return rc;
    if (jf->fd >= 0)
        close(jf->fd);
    jf->fd = -1;
    if (mkdir(jf->dir, 0750) != 0 && errno != EEXIST)
        return ew__sqlite_say(c, EW_EIO, "journal directory %s: %s", jf->dir, strerror(errno));
    day_path(jf, day, path, sizeof(path));
    jf->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (jf->fd < 0)
        return ew__sqlite_say(c, EW_EIO, "journal file %s: %s", path, strerror(errno));
    jf->day = day;
    jf->size = 0;
    resync_size(jf);
    return EW_OK;
}

int
ew__sqlite_journal_put(void *ctx, const struct ew_journal_entry *e)
{
    static const char sql[] = "INSERT INTO journal(t_recv_ms, peer, mn, verdict, bytes, day,"
                              " off, len) VALUES(?1, ?2, ?3, ?4, X'', ?5, ?6, ?7)";
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int day = day_of_ms(e->t_recv_ms), rc;
    int64_t off;

    if (c->jf.dir == NULL)
        return ew__sqlite_say(c, EW_ESTATE, "journal: the store has no journal directory");
    if ((rc = ew__sqlite_stmt(c, SQ_JOURNAL_PUT, sql, &st)) != EW_OK)
        return rc;
    if ((rc = jfile_switch(c, day)) != EW_OK)
        return rc;
    if (c->jf.pending.len + e->len > JF_FLUSH_AT && (rc = ew__sqlite_jfile_flush(c)) != EW_OK)
        return rc;
    off = c->jf.size + (int64_t)c->jf.pending.len;
    if (ew_buf_add(&c->jf.pending, e->bytes, e->len) != EW_OK)
        return ew__sqlite_say(c, EW_ENOMEM, "journal: out of memory");
    /* Outside a transaction the row commits at once: its bytes go first. */
    if (sqlite3_get_autocommit(c->db) && (rc = ew__sqlite_jfile_flush(c)) != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, e->t_recv_ms);
    sqlite3_bind_text(st, 2, e->peer, -1, SQLITE_STATIC);
    if (e->mn != NULL && e->mn[0] != '\0')
        sqlite3_bind_text(st, 3, e->mn, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 3);
    sqlite3_bind_text(st, 4, e->verdict, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 5, day);
    sqlite3_bind_int64(st, 6, off);
    sqlite3_bind_int64(st, 7, (int64_t)e->len);
    return ew__sqlite_run(c, st, "journal");
}

/* The four shapes of the search, so the partial index on (mn, t) serves the MN searches. */
#define JOURNAL_COLS "SELECT id, t_recv_ms, peer, mn, verdict, bytes, day, off, len FROM journal"
static const char *const journal_sql[] = {
    JOURNAL_COLS " WHERE t_recv_ms BETWEEN ?2 AND ?3 ORDER BY t_recv_ms, id LIMIT ?4",
    JOURNAL_COLS " WHERE t_recv_ms BETWEEN ?2 AND ?3 ORDER BY t_recv_ms DESC, id DESC LIMIT ?4",
    JOURNAL_COLS " WHERE mn = ?1 AND t_recv_ms BETWEEN ?2 AND ?3 ORDER BY t_recv_ms, id LIMIT ?4",
    JOURNAL_COLS " WHERE mn = ?1 AND t_recv_ms BETWEEN ?2 AND ?3"
                 " ORDER BY t_recv_ms DESC, id DESC LIMIT ?4",
};

static int64_t
upper(int64_t to)
{
    return to == 0 ? INT64_MAX : to;
}

/* Reads a row's frame from its day file into buf; a missing or short file (removed by
 * hand, or a power loss that kept the row but not the bytes) gives 0 bytes. */
static size_t
frame_from_file(struct ew__sqlite *c, int day, int64_t off, int64_t len, char *buf,
                int *fd, int *fd_day)
{
    char path[4300];
    ssize_t r;

    if (len <= 0 || len > EW_STORE_FRAME_MAX || off < 0 || c->jf.dir == NULL)
        return 0;
    if (*fd < 0 || *fd_day != day) {
        if (*fd >= 0)
            close(*fd);
        day_path(&c->jf, day, path, sizeof(path));
        *fd = open(path, O_RDONLY | O_CLOEXEC);
        *fd_day = day;
        if (*fd < 0)
            return 0;
    }
    do
        r = pread(*fd, buf, (size_t)len, (off_t)off);
    while (r < 0 && errno == EINTR);
    return r == (ssize_t)len ? (size_t)len : 0;
}

int
ew__sqlite_journal_each(void *ctx, const struct ew_journal_query *q,
                        int (*fn)(void *, const struct ew_journal_entry *), void *fn_ctx)
{
    struct ew__sqlite *c = ctx;
    int shape = (q->mn != NULL ? 2 : 0) + (q->newest_first ? 1 : 0), rc, stop = 0;
    int fd = -1, fd_day = 0;
    struct ew_journal_entry e;
    sqlite3_stmt *st = NULL;
    char *frame = NULL;

    /* this handle's own pending frames must be in their file before a search reads them */
    if ((rc = ew__sqlite_jfile_flush(c)) != EW_OK)
        return rc;
    rc = ew__sqlite_stmt(c, SQ_JOURNAL_ALL_ASC + shape, journal_sql[shape], &st);
    if (rc != EW_OK)
        return rc;
    if (q->mn != NULL)
        sqlite3_bind_text(st, 1, q->mn, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, q->from_ms);
    sqlite3_bind_int64(st, 3, upper(q->to_ms));
    sqlite3_bind_int64(st, 4, q->limit > 0 ? (int64_t)q->limit : -1);
    while (stop == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        e.id = sqlite3_column_int64(st, 0);
        e.t_recv_ms = sqlite3_column_int64(st, 1);
        e.peer = ew__sqlite_text(st, 2);
        e.mn = sqlite3_column_type(st, 3) == SQLITE_NULL ? NULL : ew__sqlite_text(st, 3);
        e.verdict = ew__sqlite_text(st, 4);
        if (sqlite3_column_type(st, 6) == SQLITE_NULL) {        /* kept in the row */
            e.bytes = sqlite3_column_blob(st, 5);
            e.len = (size_t)sqlite3_column_bytes(st, 5);
        } else {
            if (frame == NULL && (frame = malloc(EW_STORE_FRAME_MAX)) == NULL) {
                stop = ew__sqlite_say(c, EW_ENOMEM, "journal search: out of memory");
                break;
            }
            e.bytes = frame;
            e.len = frame_from_file(c, sqlite3_column_int(st, 6), sqlite3_column_int64(st, 7),
                                    sqlite3_column_int64(st, 8), frame, &fd, &fd_day);
        }
        stop = fn(fn_ctx, &e);
    }
    if (stop == 0 && rc != SQLITE_DONE)
        stop = ew__sqlite_fail(c, rc, "journal search");
    sqlite3_reset(st);
    if (fd >= 0)
        close(fd);
    free(frame);
    return stop;
}

/* Removes the day files that hold only frames received before before_ms. */
static void
prune_files(struct ew__sqlite *c, int64_t before_ms)
{
    int cut = day_of_ms(before_ms);
    char path[4300];
    struct dirent *de;
    DIR *dir;

    if (c->jf.dir == NULL || (dir = opendir(c->jf.dir)) == NULL)
        return;
    while ((de = readdir(dir)) != NULL) {
        char *end;
        long day = strtol(de->d_name, &end, 10);
        if (end != de->d_name + 8 || strcmp(end, ".raw") != 0 || day >= cut ||
            (c->jf.fd >= 0 && day == c->jf.day))
            continue;
        day_path(&c->jf, (int)day, path, sizeof(path));
        unlink(path);
    }
    closedir(dir);
}

int
ew__sqlite_journal_prune(void *ctx, int64_t before_ms, int64_t *deleted)
{
    static const char sql[] = "DELETE FROM journal WHERE t_recv_ms < ?1";
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int64_t n = 0;
    int mode, rc;

    if ((rc = ew__sqlite_stmt(c, SQ_JOURNAL_PRUNE, sql, &st)) != EW_OK)
        return rc;
    if ((rc = ew__sqlite_tx_enter(c, &mode)) != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, before_ms);
    rc = ew__sqlite_run(c, st, "journal prune");
    n = sqlite3_changes(c->db);
    if ((rc = ew__sqlite_tx_leave(c, mode, rc)) == EW_OK) {
        *deleted = n;
        /* Only once the rows are gone, and only whole days: a file of the cut's own day
         * still holds frames to keep. */
        prune_files(c, before_ms);
    }
    return rc;
}

/* ---- connections --------------------------------------------------------------------------- */

int
ew__sqlite_conn_open(void *ctx, const char *peer, int64_t t_ms, int64_t *conn_id)
{
    static const char sql[] = "INSERT INTO conn(peer, opened_ms) VALUES(?1, ?2)";
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = ew__sqlite_stmt(c, SQ_CONN_OPEN, sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_text(st, 1, peer, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, t_ms);
    if ((rc = ew__sqlite_run(c, st, "connection open")) != EW_OK)
        return rc;
    *conn_id = sqlite3_last_insert_rowid(c->db);
    return EW_OK;
}

/* Runs an UPDATE of one connection; EW_ENOTFOUND when no row matched. */
static int
conn_update(struct ew__sqlite *c, sqlite3_stmt *st, int64_t conn_id, const char *what)
{
    int rc = ew__sqlite_run(c, st, what);

    if (rc != EW_OK)
        return rc;
    if (sqlite3_changes(c->db) == 0)
        return ew__sqlite_say(c, EW_ENOTFOUND, "%s: no open connection %lld", what,
                              (long long)conn_id);
    return EW_OK;
}

int
ew__sqlite_conn_identify(void *ctx, int64_t conn_id, const char *mn)
{
    static const char sql[] = "UPDATE conn SET mn = ?2 WHERE id = ?1 AND closed_ms = 0";
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = ew__sqlite_stmt(c, SQ_CONN_IDENTIFY, sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, conn_id);
    sqlite3_bind_text(st, 2, mn, -1, SQLITE_STATIC);
    return conn_update(c, st, conn_id, "connection identify");
}

int
ew__sqlite_conn_close(void *ctx, int64_t conn_id, int64_t t_ms, const char *reason)
{
    /* max(): a close stamped before the open (clock step) still ends after it. */
    static const char sql[] = "UPDATE conn SET closed_ms = max(?2, opened_ms, 1), reason = ?3"
                              " WHERE id = ?1 AND closed_ms = 0";
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = ew__sqlite_stmt(c, SQ_CONN_CLOSE, sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, conn_id);
    sqlite3_bind_int64(st, 2, t_ms);
    sqlite3_bind_text(st, 3, reason, -1, SQLITE_STATIC);
    return conn_update(c, st, conn_id, "connection close");
}

int
ew__sqlite_conn_close_all(void *ctx, int64_t t_ms, const char *reason, int64_t *closed)
{
    static const char sql[] = "UPDATE conn SET closed_ms = max(?1, opened_ms, 1), reason = ?2"
                              " WHERE closed_ms = 0";
    struct ew__sqlite *c = ctx;
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = ew__sqlite_stmt(c, SQ_CONN_CLOSE_ALL, sql, &st)) != EW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, t_ms);
    sqlite3_bind_text(st, 2, reason, -1, SQLITE_STATIC);
    if ((rc = ew__sqlite_run(c, st, "close connections")) != EW_OK)
        return rc;
    *closed = sqlite3_changes(c->db);
    return EW_OK;
}

static const char *const conn_sql[] = {
    "SELECT id, peer, mn, opened_ms, closed_ms, reason FROM conn WHERE opened_ms BETWEEN ?2"
    " AND ?3 AND (?4 = 0 OR closed_ms = 0) ORDER BY opened_ms, id LIMIT ?5",
    "SELECT id, peer, mn, opened_ms, closed_ms, reason FROM conn WHERE opened_ms BETWEEN ?2"
    " AND ?3 AND (?4 = 0 OR closed_ms = 0) ORDER BY opened_ms DESC, id DESC LIMIT ?5",
    "SELECT id, peer, mn, opened_ms, closed_ms, reason FROM conn WHERE mn = ?1 AND opened_ms"
    " BETWEEN ?2 AND ?3 AND (?4 = 0 OR closed_ms = 0) ORDER BY opened_ms, id LIMIT ?5",
    "SELECT id, peer, mn, opened_ms, closed_ms, reason FROM conn WHERE mn = ?1 AND opened_ms"
    " BETWEEN ?2 AND ?3 AND (?4 = 0 OR closed_ms = 0) ORDER BY opened_ms DESC, id DESC"
    " LIMIT ?5",
};

int
ew__sqlite_conn_each(void *ctx, const struct ew_conn_query *q,
                     int (*fn)(void *, const struct ew_conn *), void *fn_ctx)
{
    struct ew__sqlite *c = ctx;
    int shape = (q->mn != NULL ? 2 : 0) + (q->newest_first ? 1 : 0), rc, stop = 0;
    struct ew_conn k;
    sqlite3_stmt *st = NULL;

    if ((rc = ew__sqlite_stmt(c, SQ_CONN_ALL_ASC + shape, conn_sql[shape], &st)) != EW_OK)
        return rc;
    if (q->mn != NULL)
        sqlite3_bind_text(st, 1, q->mn, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, q->from_ms);
    sqlite3_bind_int64(st, 3, upper(q->to_ms));
    sqlite3_bind_int(st, 4, q->open_only != 0);
    sqlite3_bind_int64(st, 5, q->limit > 0 ? (int64_t)q->limit : -1);
    while (stop == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        k.id = sqlite3_column_int64(st, 0);
        k.peer = ew__sqlite_text(st, 1);
        k.mn = sqlite3_column_type(st, 2) == SQLITE_NULL ? NULL : ew__sqlite_text(st, 2);
        k.opened_ms = sqlite3_column_int64(st, 3);
        k.closed_ms = sqlite3_column_int64(st, 4);
        k.reason = sqlite3_column_type(st, 5) == SQLITE_NULL ? NULL : ew__sqlite_text(st, 5);
        stop = fn(fn_ctx, &k);
    }
    if (stop == 0 && rc != SQLITE_DONE)
        stop = ew__sqlite_fail(c, rc, "connection search");
    sqlite3_reset(st);
    return stop;
}
