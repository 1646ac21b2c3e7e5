/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: hj212_pkt_parse() on arbitrary bytes. Invariants, not just "no crash":
 * every view lies inside the input; length_ok, crc_ok and crc_variant agree with the bytes;
 * only defined warning bits are set; and a packet the builder can write back parses again to
 * the same header and the same CP items (decode -> build -> decode agrees).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hj212/hj212.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c)                                                                               \
    do {                                                                                       \
        if (!(c))                                                                              \
            __builtin_trap();                                                                  \
    } while (0)

static int
inside(struct hj212_str v, const char *buf, size_t n)
{
    return v.ptr == NULL || (v.ptr >= buf && v.len <= n && v.ptr - buf <= (ptrdiff_t)(n - v.len));
}

static int
same(struct hj212_str a, struct hj212_str b)
{
    return (a.ptr == NULL) == (b.ptr == NULL) && a.len == b.len &&
           (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static int
has_nul(struct hj212_str v)
{
    return v.ptr != NULL && memchr(v.ptr, '\0', v.len) != NULL;
}

static char *
cstr(char *buf, struct hj212_str v)
{
    if (v.ptr == NULL)
        return NULL;
    memcpy(buf, v.ptr, v.len);
    buf[v.len] = '\0';
    return buf;
}

static void
check_packet(const struct hj212_pkt *p, const char *buf, size_t n)
{
    const struct hj212_str views[] = { p->frame, p->seg, p->qn, p->st, p->cn, p->pw, p->mn,
                                       p->cp, p->reply_qn };
    struct hj212_cp_iter it;
    struct hj212_cp_item item;

    for (size_t i = 0; i < sizeof(views) / sizeof(views[0]); i++)
        CHECK(inside(views[i], buf, n));
    CHECK(inside(p->seg, p->frame.ptr, p->frame.len) && inside(p->cp, p->seg.ptr, p->seg.len));
    CHECK(p->crc_calc == hj212_crc(p->seg.ptr, p->seg.len));
    CHECK(p->crc_ok == (p->crc_sent == p->crc_calc));
    CHECK(p->crc_ok == (p->crc_variant == HJ212_CRC_HJ212));
    CHECK(p->length_ok == (p->declared_len == p->seg.len));
    CHECK((p->warnings >> HJ212_WARNING_COUNT) == 0);
    CHECK(p->flag >= -1 && p->flag <= 255);
    CHECK(p->flag < 0 || p->version == (HJ212_FLAG_VERSION(p->flag) == 0   ? HJ212_V2005
                                        : HJ212_FLAG_VERSION(p->flag) == 1 ? HJ212_V2017
                                                                           : HJ212_V_UNKNOWN));
    hj212_cp_iter_init(&it, p->cp);
    while (hj212_cp_next(&it, &item))
        CHECK(inside(item.key, p->cp.ptr, p->cp.len) && inside(item.value, p->cp.ptr, p->cp.len));
}

/* Writes the packet back and parses it again: same header, same CP items. */
static void
round_trip(const struct hj212_pkt *p)
{
    static char f[6][HJ212_SEG_MAX + 1], out[HJ212_FRAME_MAX + 1];
    struct hj212_msg m = { cstr(f[0], p->qn), cstr(f[1], p->st), cstr(f[2], p->cn),
                           cstr(f[3], p->pw), cstr(f[4], p->mn), p->flag, p->pnum, p->pno,
                           cstr(f[5], p->cp) };
    struct hj212_pkt q;
    struct hj212_cp_iter a, b;
    struct hj212_cp_item x, y;
    size_t len;
    int more;

    /* The builder takes C strings: a NUL inside a field cannot be handed to it. */
    if (has_nul(p->qn) || has_nul(p->st) || has_nul(p->cn) || has_nul(p->pw) ||
        has_nul(p->mn) || has_nul(p->cp))
        return;
    if (hj212_build(out, sizeof(out), &m, &len) != HJ212_OK)
        return;                         /* the builder refuses what it cannot write exactly */
    CHECK(hj212_pkt_parse(out, len, &q) == HJ212_OK);
    CHECK(q.crc_ok && q.length_ok && q.crc_variant == HJ212_CRC_HJ212);
    CHECK(same(p->qn, q.qn) && same(p->st, q.st) && same(p->cn, q.cn) && same(p->pw, q.pw) &&
          same(p->mn, q.mn) && p->flag == q.flag && p->pnum == q.pnum && p->pno == q.pno);
    hj212_cp_iter_init(&a, p->cp);
    hj212_cp_iter_init(&b, q.cp);
    do {
        more = hj212_cp_next(&a, &x);
        CHECK(more == hj212_cp_next(&b, &y));
        CHECK(!more || (same(x.key, y.key) && same(x.value, y.value)));
    } while (more);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size ? size : 1);        /* exact size: ASan sees any over-read */
    struct hj212_pkt p;

    if (buf == NULL)
        return 0;
    memcpy(buf, data, size);
    if (hj212_pkt_parse(buf, size, &p) == HJ212_OK) {
        check_packet(&p, buf, size);
        /* Spaces inside header values or keys cannot be written back exactly. */
        if (!(p.warnings & HJ212_W_SPACES))
            round_trip(&p);
    }
    free(buf);
    return 0;
}
