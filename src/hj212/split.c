/* SPDX-License-Identifier: MIT */
/*
 * Split packets (reference/hj212.md 7.6). Reassembly merges the key/value sets of PNO
 * 1..PNUM, never the CP bytes: in 2017 every piece has its own QN and repeats DataTime, so
 * pieces are grouped by (MN, CN, DataTime). The standard says nothing about timeouts or
 * duplicates; this file gives up a set after a configurable time and ignores a PNO it holds.
 * Splitting for sending cuts between ';'-separated groups (one factor's ','-joined items stay
 * together) and repeats the leading DataTime in every piece, as C.49/C.50 show.
 */
#include <stdlib.h>
#include <string.h>

#include <hj212/request.h>
#include <hj212/split.h>

#include "internal.h"

#define PIECE_OVERHEAD 64               /* bookkeeping bytes counted per piece */

struct piece {
    struct piece *next;                 /* sorted by pno */
    int           pno;
    size_t        qn_len, cp_len;
    char          text[];               /* qn then cp */
};

struct set {
    struct set   *next;                 /* oldest first */
    uint64_t      first_ms;
    size_t        bytes;
    int           pnum, have, flag;
    enum hj212_version version;
    struct piece *pieces;
    size_t        key_len[5];           /* mn cn dt st pw */
    char         *key[5];
    char          keybuf[];
};

enum { K_MN, K_CN, K_DT, K_ST, K_PW };

struct hj212_split {
    struct hj212_split_limits lim;
    struct set *sets;
    size_t      nsets, bytes;
    struct set *done;                   /* handed out by the last call; freed by the next */
    char       *out;                    /* merged CP of the last result */
};

int
hj212_split_create(const struct hj212_split_limits *lim, struct hj212_split **out)
{
    struct hj212_split *s;

    if (out == NULL)
        return HJ212_EINVAL;
    s = calloc(1, sizeof(*s));
    if (s == NULL)
        return HJ212_ENOMEM;
    if (lim != NULL)
        s->lim = *lim;
    if (s->lim.max_sets == 0)
        s->lim.max_sets = 1024;
    if (s->lim.max_bytes == 0)
        s->lim.max_bytes = 4u << 20;
    if (s->lim.timeout_ms == 0)
        s->lim.timeout_ms = 600000;     /* [M] not in the standard; a configurable default */
    *out = s;
    return HJ212_OK;
}

static void
set_free(struct set *t)
{
    while (t != NULL && t->pieces != NULL) {
        struct piece *p = t->pieces;

        t->pieces = p->next;
        free(p);
    }
    free(t);
}

/* Frees what the previous call handed out. */
static void
release(struct hj212_split *s)
{
    set_free(s->done);
    s->done = NULL;
    free(s->out);
    s->out = NULL;
}

void
hj212_split_destroy(struct hj212_split *s)
{
    if (s == NULL)
        return;
    release(s);
    while (s->sets != NULL) {
        struct set *t = s->sets;

        s->sets = t->next;
        set_free(t);
    }
    free(s);
}

size_t
hj212_split_pending(const struct hj212_split *s, size_t *bytes)
{
    if (bytes != NULL)
        *bytes = s->bytes;
    return s->nsets;
}

static int
key_eq(const struct set *t, int i, struct hj212_str v)
{
    return t->key_len[i] == v.len && (v.len == 0 || memcmp(t->key[i], v.ptr, v.len) == 0);
}

static struct set *
find_set(struct hj212_split *s, const struct hj212_str *k)
{
    for (struct set *t = s->sets; t != NULL; t = t->next)
        if (key_eq(t, K_MN, k[K_MN]) && key_eq(t, K_CN, k[K_CN]) && key_eq(t, K_DT, k[K_DT]))
            return t;
    return NULL;
}

static struct set *
set_new(const struct hj212_str *k, const struct hj212_pkt *pkt, uint64_t now_ms)
{
    size_t n = 0;
    struct set *t;
    char *p;

    for (int i = 0; i < 5; i++)
        n += k[i].len + 1;
    t = calloc(1, sizeof(*t) + n);
    if (t == NULL)
        return NULL;
    p = t->keybuf;
    for (int i = 0; i < 5; i++) {
        t->key[i] = p;
        t->key_len[i] = k[i].len;
        if (k[i].len > 0)
            memcpy(p, k[i].ptr, k[i].len);
        p[k[i].len] = '\0';
        p += k[i].len + 1;
    }
    t->first_ms = now_ms;
    t->pnum = pkt->pnum;
    t->flag = pkt->flag >= 0 ? pkt->flag & ~HJ212_FLAG_D : -1;
    t->version = pkt->version;
    t->bytes = sizeof(*t) + n;
    return t;
}

static struct piece *
piece_new(const struct hj212_pkt *pkt)
{
    struct piece *p = malloc(sizeof(*p) + pkt->qn.len + pkt->cp.len + 1);

    if (p == NULL)
        return NULL;
    p->next = NULL;
    p->pno = pkt->pno;
    p->qn_len = pkt->qn.len;
    p->cp_len = pkt->cp.len;
    if (pkt->qn.len > 0)
        memcpy(p->text, pkt->qn.ptr, pkt->qn.len);
    if (pkt->cp.len > 0)
        memcpy(p->text + pkt->qn.len, pkt->cp.ptr, pkt->cp.len);
    p->text[pkt->qn.len + pkt->cp.len] = '\0';
    return p;
}

static void
piece_insert(struct set *t, struct piece *p)
{
    struct piece **at = &t->pieces;

    while (*at != NULL && (*at)->pno < p->pno)
        at = &(*at)->next;
    p->next = *at;
    *at = p;
    t->have++;
}

static int
has_pno(const struct set *t, int pno)
{
    for (const struct piece *p = t->pieces; p != NULL; p = p->next)
        if (p->pno == pno)
            return 1;
    return 0;
}

/* ---- merging ------------------------------------------------------------------------------ */

struct slot {
    const char *key, *value;            /* in the merged buffer; value NULL: no '=' */
    size_t      key_len, value_len;
};

static size_t
hash(const char *p, size_t n)
{
    uint64_t h = 0xCBF29CE484222325ULL;

    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 0x100000001B3ULL;
    return (size_t)h;
}

/* Finds key in the table, or the empty slot where it belongs. */
static struct slot *
lookup(struct slot *tab, size_t mask, struct hj212_str key)
{
    for (size_t i = hash(key.ptr, key.len) & mask;; i = (i + 1) & mask)
        if (tab[i].key == NULL ||
            (tab[i].key_len == key.len && memcmp(tab[i].key, key.ptr, key.len) == 0))
            return &tab[i];
}

static void
append(char *buf, size_t *at, const char *s, size_t n)
{
    memcpy(buf + *at, s, n);
    *at += n;
}

static int
value_differs(const struct slot *sl, struct hj212_str v)
{
    if (sl->value == NULL || v.ptr == NULL)
        return (sl->value == NULL) != (v.ptr == NULL);
    return sl->value_len != v.len || memcmp(sl->value, v.ptr, v.len) != 0;
}

/* Writes the items of one piece not seen before; ',' is kept between items that were joined
 * by ',' in the piece and are both written. */
static void
merge_piece(const struct piece *p, char *buf, size_t *at, struct slot *tab, size_t mask,
            unsigned *conflicts)
{
    struct hj212_cp_iter it;
    struct hj212_cp_item item;
    size_t i = 0, last = (size_t)-2;

    hj212_cp_iter_init(&it, (struct hj212_str){ p->text + p->qn_len, p->cp_len });
    for (; hj212_cp_next(&it, &item); i++) {
        struct slot *sl = lookup(tab, mask, item.key);

        if (sl->key != NULL) {
            *conflicts += value_differs(sl, item.value);
            continue;
        }
        if (*at > 0)
            append(buf, at, item.sep == ',' && last + 1 == i ? "," : ";", 1);
        sl->key = buf + *at;
        sl->key_len = item.key.len;
        append(buf, at, item.key.ptr, item.key.len);
        if (item.value.ptr != NULL) {
            append(buf, at, "=", 1);
            sl->value = buf + *at;
            sl->value_len = item.value.len;
            append(buf, at, item.value.ptr, item.value.len);
        }
        last = i;
    }
}

static size_t
count_items(const struct piece *p)
{
    struct hj212_cp_iter it;
    struct hj212_cp_item item;
    size_t n = 0;

    hj212_cp_iter_init(&it, (struct hj212_str){ p->text + p->qn_len, p->cp_len });
    while (hj212_cp_next(&it, &item))
        n++;
    return n;
}

static struct hj212_str
key_view(const struct set *t, int i)
{
    return (struct hj212_str){ t->key[i], t->key_len[i] };
}

static int
merge(struct hj212_split *s, struct set *t, struct hj212_split_set *out)
{
    size_t cap = t->key_len[K_DT] + 16, items = 1, mask = 1, at = 0;
    unsigned conflicts = 0;
    struct slot *tab;
    char *buf;

    for (const struct piece *p = t->pieces; p != NULL; p = p->next) {
        cap += p->cp_len + 1;
        items += count_items(p);
    }
    while (mask < 2 * items)
        mask <<= 1;
    buf = malloc(cap);
    tab = calloc(mask, sizeof(*tab));
    if (buf == NULL || tab == NULL) {
        free(buf);
        free(tab);
        return HJ212_ENOMEM;
    }
    mask--;
    if (t->key_len[K_DT] > 0) {
        struct slot *sl = lookup(tab, mask, (struct hj212_str){ "DataTime", 8 });

        append(buf, &at, "DataTime=", 9);
        *sl = (struct slot){ "DataTime", buf + at, 8, t->key_len[K_DT] };
        append(buf, &at, t->key[K_DT], t->key_len[K_DT]);
    }
    for (const struct piece *p = t->pieces; p != NULL; p = p->next)
        merge_piece(p, buf, &at, tab, mask, &conflicts);
    free(tab);
    s->out = buf;
    *out = (struct hj212_split_set){
        .mn = key_view(t, K_MN), .st = key_view(t, K_ST), .cn = key_view(t, K_CN),
        .pw = key_view(t, K_PW), .cp = { buf, at }, .flag = t->flag, .version = t->version,
        .pnum = t->pnum, .received = t->have, .conflicts = conflicts,
        .qn = { t->pieces->text, t->pieces->qn_len },
        .data_time = t->key_len[K_DT] > 0 ? key_view(t, K_DT) : (struct hj212_str){ NULL, 0 },
    };
    return HJ212_OK;
}

static void
unlink_set(struct hj212_split *s, struct set *t)
{
    struct set **at = &s->sets;

    while (*at != t)
        at = &(*at)->next;
    *at = t->next;
    s->nsets--;
    s->bytes -= t->bytes;
    s->done = t;
}

int
hj212_split_add(struct hj212_split *s, const struct hj212_pkt *pkt, uint64_t now_ms,
                enum hj212_split_status *status, struct hj212_split_set *set)
{
    struct hj212_str k[5] = { pkt == NULL ? (struct hj212_str){ NULL, 0 } : pkt->mn };
    struct set *t, **tail;
    struct piece *p;
    size_t need;
    int rc;

    if (s == NULL || pkt == NULL || status == NULL || set == NULL || pkt->pnum < 1 ||
        pkt->pnum > 9999 || pkt->pno < 1 || pkt->pno > pkt->pnum)
        return HJ212_EINVAL;
    release(s);
    k[K_CN] = pkt->cn;
    k[K_ST] = pkt->st;
    k[K_PW] = pkt->pw;
    if (!hj212_cp_get(pkt->cp, "DataTime", &k[K_DT]))
        k[K_DT] = (struct hj212_str){ NULL, 0 };
    t = find_set(s, k);
    if (t != NULL && t->pnum != pkt->pnum)
        return HJ212_ESYNTAX;
    if (t != NULL && has_pno(t, pkt->pno)) {
        *status = HJ212_SPLIT_DUPLICATE;
        return HJ212_OK;
    }
    need = sizeof(*p) + pkt->qn.len + pkt->cp.len + 1 + PIECE_OVERHEAD;
    if ((t == NULL && s->nsets >= s->lim.max_sets) || s->bytes + need > s->lim.max_bytes)
        return HJ212_ETOOBIG;
    p = piece_new(pkt);
    if (p == NULL)
        return HJ212_ENOMEM;
    if (t == NULL) {
        t = set_new(k, pkt, now_ms);
        if (t == NULL) {
            free(p);
            return HJ212_ENOMEM;
        }
        for (tail = &s->sets; *tail != NULL; tail = &(*tail)->next)
            ;
        *tail = t;
        s->nsets++;
        s->bytes += t->bytes;
    }
    piece_insert(t, p);
    t->bytes += need;
    s->bytes += need;
    if (t->have < t->pnum) {
        *status = HJ212_SPLIT_PENDING;
        return HJ212_OK;
    }
    rc = merge(s, t, set);
    if (rc != HJ212_OK)
        return rc;
    unlink_set(s, t);
    *status = HJ212_SPLIT_COMPLETE;
    return HJ212_OK;
}

int
hj212_split_expire(struct hj212_split *s, uint64_t now_ms, struct hj212_split_set *set)
{
    struct set *t;
    int rc;

    if (s == NULL || set == NULL)
        return HJ212_EINVAL;
    release(s);
    t = s->sets;
    if (t == NULL || now_ms < t->first_ms || now_ms - t->first_ms < s->lim.timeout_ms)
        return HJ212_EAGAIN;
    rc = merge(s, t, set);
    if (rc != HJ212_OK)
        return rc;
    unlink_set(s, t);
    return HJ212_OK;
}

/* ---- splitting for sending ----------------------------------------------------------------- */

/* Walks the ';'-separated groups of a CP (a group = one item and the ','-joined ones after). */
struct groups {
    struct hj212_cp_iter it;
    struct hj212_cp_item la;            /* look-ahead item */
    int                  has_la;
};

static void
groups_init(struct groups *g, struct hj212_str cp)
{
    hj212_cp_iter_init(&g->it, cp);
    g->has_la = hj212_cp_next(&g->it, &g->la);
}

static const char *
item_end(const struct hj212_cp_item *item)
{
    return item->value.ptr != NULL ? item->value.ptr + item->value.len
                                   : item->key.ptr + item->key.len;
}

static int
group_next(struct groups *g, struct hj212_str *span)
{
    const char *start, *end;

    if (!g->has_la)
        return 0;
    start = g->la.key.ptr;
    end = item_end(&g->la);
    while ((g->has_la = hj212_cp_next(&g->it, &g->la)) && g->la.sep == ',')
        end = item_end(&g->la);
    *span = (struct hj212_str){ start, (size_t)(end - start) };
    return 1;
}

/* The leading DataTime group (repeated in every piece); *rest: the groups after it. */
static struct hj212_str
leading_time(struct hj212_str cp, struct hj212_str *rest)
{
    struct groups g;
    struct hj212_str span = { NULL, 0 };
    const char *end = cp.ptr + cp.len;

    groups_init(&g, cp);
    *rest = cp;
    if (!g.has_la || !hj212__str_eq(g.la.key, "DataTime"))
        return span;
    group_next(&g, &span);
    *rest = g.has_la ? (struct hj212_str){ g.la.key.ptr, (size_t)(end - g.la.key.ptr) }
                     : (struct hj212_str){ end, 0 };
    return span;
}

/* The next piece: as many whole groups as fit budget bytes. 0 at the end; -1 when one group
 * alone does not fit. */
static int
piece_next(struct groups *g, size_t budget, struct hj212_str *piece)
{
    struct hj212_str span;
    const char *start;

    if (!g->has_la)
        return 0;
    start = g->la.key.ptr;
    group_next(g, &span);
    if (span.len > budget)
        return -1;
    *piece = span;
    while (g->has_la) {
        struct groups save = *g;

        group_next(g, &span);
        if ((size_t)(span.ptr + span.len - start) > budget) {
            *g = save;
            break;
        }
        piece->len = (size_t)(span.ptr + span.len - start);
    }
    return 1;
}

static struct hj212_str
view_of(const char *s)
{
    return (struct hj212_str){ s, s == NULL ? 0 : strlen(s) };
}

/* Counts the pieces; ETOOBIG when a group cannot fit. */
static int
count_pieces(struct hj212_str rest, size_t budget, size_t *n)
{
    struct groups g;
    struct hj212_str piece;
    int r;

    *n = 0;
    groups_init(&g, rest);
    while ((r = piece_next(&g, budget, &piece)) == 1)
        (*n)++;
    return r < 0 || *n > 9999 ? HJ212_ETOOBIG : HJ212_OK;
}

static int
write_pieces(char *out, size_t cap, struct hj212__hdr *h, struct hj212_str rest, size_t budget,
             int64_t qn_ms, size_t *piece_len, size_t *len)
{
    char qn[HJ212_QN_LEN + 1];
    struct groups g;
    size_t at = 0, n;
    int rc;

    groups_init(&g, rest);
    for (long pno = 1; piece_next(&g, budget, &h->cp2) == 1; pno++) {
        if (h->text[0].ptr != NULL) {
            if (hj212_qn_format(qn_ms + pno - 1, qn) != HJ212_OK)
                return HJ212_EINVAL;
            h->text[0] = (struct hj212_str){ qn, HJ212_QN_LEN };
        }
        h->num[2] = pno;
        rc = hj212__build_hdr(out + at, cap - at, h, &n);
        if (rc != HJ212_OK)
            return rc;
        piece_len[pno - 1] = n;
        at += n;
    }
    *len = at;
    return HJ212_OK;
}

int
hj212_split_build(char *out, size_t cap, const struct hj212_msg *msg, size_t max_seg,
                  size_t *piece_len, size_t max_pieces, size_t *npieces, size_t *len)
{
    struct hj212__hdr h;
    struct hj212_str rest;
    int64_t qn_ms = 0;
    size_t fixed, n, total;
    int rc;

    if (out == NULL || msg == NULL || piece_len == NULL || npieces == NULL || len == NULL ||
        max_pieces == 0 || msg->pnum != -1 || msg->pno != -1 || max_seg > HJ212_SEG_MAX)
        return HJ212_EINVAL;
    if (max_seg == 0)
        max_seg = HJ212_SEG_STD_MAX;
    h = (struct hj212__hdr){
        .text = { view_of(msg->qn), view_of(msg->st), view_of(msg->cn), view_of(msg->pw),
                  view_of(msg->mn) },
        .num = { msg->flag, -1, -1 },
        .cp = view_of(msg->cp == NULL ? "" : msg->cp),
    };
    if (hj212__segment_len(&h) <= max_seg) {
        rc = hj212__build_hdr(out, cap, &h, &total);
        if (rc != HJ212_OK)
            return rc;
        piece_len[0] = total;
        *npieces = 1;
        *len = total;
        return HJ212_OK;
    }
    if (h.text[0].ptr != NULL && hj212_qn_parse(h.text[0], &qn_ms) != HJ212_OK)
        return HJ212_EINVAL;            /* every piece needs its own QN (C.49/C.50) */
    h.cp = leading_time(h.cp, &rest);
    h.num[0] = msg->flag < 0 ? HJ212_FLAG_D : msg->flag | HJ212_FLAG_D;
    h.num[1] = h.num[2] = 9999;         /* the longest PNUM/PNO, for the budget */
    fixed = hj212__segment_len(&h) + 1; /* + the ';' between DataTime and the items */
    if (fixed >= max_seg)
        return HJ212_ETOOBIG;
    rc = count_pieces(rest, max_seg - fixed, &n);
    if (rc != HJ212_OK)
        return rc;
    if (n == 0)
        return HJ212_ETOOBIG;
    if (n > max_pieces)
        return HJ212_ESPACE;
    h.num[1] = (long)n;
    rc = write_pieces(out, cap, &h, rest, max_seg - fixed, qn_ms, piece_len, &total);
    if (rc != HJ212_OK)
        return rc;
    *npieces = n;
    *len = total;
    return HJ212_OK;
}
