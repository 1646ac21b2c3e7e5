/* SPDX-License-Identifier: MIT */
/*
 * Strict out: packets exactly as the standard writes them (reference/hj212.md sections 1-3,
 * 7.8 and 11.9): header fields in the order QN ST CN PW MN Flag PNUM PNO CP, the length in
 * UTF-8 bytes, the CRC in upper-case hex zero-padded to 4 digits, CR LF. Replies follow the
 * version of the packet they answer: 2017 echoes QN in the header with Flag = version bits;
 * 2005 carries the QN (and for 9014 the CN and PNO/PNUM) inside CP, as its examples do.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

static const char *const hdr_names[HJ212__HDR_TEXT + HJ212__HDR_NUM] = {
    "QN", "ST", "CN", "PW", "MN", "Flag", "PNUM", "PNO",
};

static int
header_value_ok(struct hj212_str v)
{
    for (size_t i = 0; i < v.len; i++) {
        unsigned char c = (unsigned char)v.ptr[i];

        if (c < 0x20 || c == 0x7F || c == ';' || c == ',' || c == '=' || c == '&')
            return 0;
    }
    return 1;
}

static int
cp_ok(struct hj212_str cp)
{
    for (size_t i = 0; i < cp.len; i++) {
        unsigned char c = (unsigned char)cp.ptr[i];

        if (c < 0x20 || c == 0x7F || (c == '&' && i + 1 < cp.len && cp.ptr[i + 1] == '&'))
            return 0;
    }
    /* A trailing '&' would merge with the closing "&&" into "&&&". */
    return cp.len == 0 || cp.ptr[cp.len - 1] != '&';
}

static void
put(char *out, size_t *at, const char *s, size_t n)
{
    memcpy(out + *at, s, n);
    *at += n;
}

/* v >= 0 (the header's numbers: Flag, PNUM, PNO), in decimal; no printf on the reply path. */
static void
put_num(char *out, size_t *at, long v)
{
    char tmp[24];
    size_t n = sizeof(tmp);
    unsigned long u = (unsigned long)v;

    do {
        tmp[--n] = (char)('0' + u % 10u);
        u /= 10u;
    } while (u != 0);
    put(out, at, tmp + n, sizeof(tmp) - n);
}

/* The length of "NAME=value;" for each present field, plus "CP=&&" cp [";" cp2] "&&". */
size_t
hj212__segment_len(const struct hj212__hdr *h)
{
    size_t n = 5 + h->cp.len + 2;

    if (h->cp2.len > 0)
        n += h->cp2.len + (h->cp.len > 0);

    for (int i = 0; i < HJ212__HDR_TEXT; i++)
        if (h->text[i].ptr != NULL)
            n += strlen(hdr_names[i]) + 1 + h->text[i].len + 1;
    for (int i = 0; i < HJ212__HDR_NUM; i++)
        if (h->num[i] >= 0)
            n += strlen(hdr_names[HJ212__HDR_TEXT + i]) + 1 + hj212__dec_len(h->num[i]) + 1;
    return n;
}

int
hj212__build_hdr(char *out, size_t cap, const struct hj212__hdr *h, size_t *len)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t seg, at = 6;
    uint16_t crc;

    for (int i = 0; i < HJ212__HDR_TEXT; i++)
        if (h->text[i].ptr != NULL && !header_value_ok(h->text[i]))
            return HJ212_EINVAL;
    if (h->text[1].ptr == NULL || h->text[1].len == 0 || h->text[2].ptr == NULL ||
        h->text[2].len == 0 || h->num[0] < -1 || h->num[0] > 255 || !cp_ok(h->cp) ||
        !cp_ok(h->cp2))
        return HJ212_EINVAL;
    for (int i = 1; i < HJ212__HDR_NUM; i++)
        if (h->num[i] < -1 || h->num[i] == 0 || h->num[i] > 9999)
            return HJ212_EINVAL;
    seg = hj212__segment_len(h);
    if (seg > HJ212_SEG_MAX)
        return HJ212_ETOOBIG;
    if (out == NULL || cap < seg + HJ212_FRAME_OVERHEAD)
        return HJ212_ESPACE;
    for (int i = 0; i < HJ212__HDR_TEXT + HJ212__HDR_NUM; i++) {
        int text = i < HJ212__HDR_TEXT;

        if (text ? h->text[i].ptr == NULL : h->num[i - HJ212__HDR_TEXT] < 0)
            continue;
        put(out, &at, hdr_names[i], strlen(hdr_names[i]));
        put(out, &at, "=", 1);
        if (text)
            put(out, &at, h->text[i].ptr, h->text[i].len);
        else
            put_num(out, &at, h->num[i - HJ212__HDR_TEXT]);
        put(out, &at, ";", 1);
    }
    put(out, &at, "CP=&&", 5);
    if (h->cp.len > 0)
        put(out, &at, h->cp.ptr, h->cp.len);
    if (h->cp.len > 0 && h->cp2.len > 0)
        put(out, &at, ";", 1);
    if (h->cp2.len > 0)
        put(out, &at, h->cp2.ptr, h->cp2.len);
    put(out, &at, "&&", 2);
    out[0] = out[1] = '#';
    for (size_t i = 0, v = seg; i < 4; i++, v /= 10)
        out[5 - i] = (char)('0' + v % 10);
    crc = hj212_crc(out + 6, seg);
    for (int i = 0; i < 4; i++)
        out[at++] = hex[crc >> (12 - 4 * i) & 0xF];
    put(out, &at, "\r\n", 2);
    if (at < cap)
        out[at] = '\0';
    *len = at;
    return HJ212_OK;
}

static struct hj212_str
view(const char *s)
{
    return (struct hj212_str){ s, s == NULL ? 0 : strlen(s) };
}

int
hj212_build(char *out, size_t cap, const struct hj212_msg *msg, size_t *len)
{
    struct hj212__hdr h;

    if (msg == NULL || len == NULL)
        return HJ212_EINVAL;
    h = (struct hj212__hdr){
        .text = { view(msg->qn), view(msg->st), view(msg->cn), view(msg->pw), view(msg->mn) },
        .num = { msg->flag, msg->pnum, msg->pno },
        .cp = view(msg->cp == NULL ? "" : msg->cp),
    };
    return hj212__build_hdr(out, cap, &h, len);
}

/* 2005 reply CP: "QN=<qn>" then the given items (reference 7.8). */
static void
cp_2005(char *cp, size_t cap, const struct hj212_pkt *req, enum hj212_reply kind, int code)
{
    struct hj212_str qn = req->qn.ptr != NULL ? req->qn : req->reply_qn;
    int n = 0;

    if (qn.ptr != NULL)
        n = snprintf(cp, cap, "QN=%.*s", (int)qn.len, qn.ptr);
    if (kind == HJ212_REPLY_QN || kind == HJ212_REPLY_EXE)
        n += snprintf(cp + n, cap - (size_t)n, "%s%s=%d", n ? ";" : "",
                      kind == HJ212_REPLY_QN ? "QnRtn" : "ExeRtn", code);
    if (kind == HJ212_REPLY_DATA && req->cn.ptr != NULL)
        n += snprintf(cp + n, cap - (size_t)n, "%sCN=%.*s", n ? ";" : "", (int)req->cn.len,
                      req->cn.ptr);
    if (kind == HJ212_REPLY_DATA && req->pnum > 0 && req->pno > 0)
        snprintf(cp + n, cap - (size_t)n, ";PNO=%d;PNUM=%d", req->pno, req->pnum);
}

int
hj212_build_reply(char *out, size_t cap, const struct hj212_pkt *req, enum hj212_reply kind,
                  int code, size_t *len)
{
    char cn[5], cp[160] = "";
    struct hj212__hdr h;
    int v2005;

    if (req == NULL || len == NULL || kind < HJ212_REPLY_QN || kind > HJ212_REPLY_DATA ||
        ((kind == HJ212_REPLY_QN || kind == HJ212_REPLY_EXE) && (code < 0 || code > 999)))
        return HJ212_EINVAL;
    if (req->qn.len > 32 || req->reply_qn.len > 32 || req->cn.len > 16)
        return HJ212_EINVAL;
    v2005 = req->version == HJ212_V2005;
    cn[0] = '9';                        /* 9011..9014 */
    cn[1] = '0';
    cn[2] = (char)('0' + (int)kind / 10 % 10);
    cn[3] = (char)('0' + (int)kind % 10);
    cn[4] = '\0';
    h = (struct hj212__hdr){
        .text = { req->qn, view("91"), view(cn), req->pw, req->mn },
        .num = { req->flag >= 0 ? req->flag & ~(HJ212_FLAG_A | HJ212_FLAG_D) : 4, -1, -1 },
    };
    if (v2005) {
        /* 2005: QN inside CP; Flag=0 only on 9011; 9014 without PW and MN. */
        h.text[0] = (struct hj212_str){ NULL, 0 };
        h.num[0] = kind == HJ212_REPLY_QN ? 0 : -1;
        if (kind == HJ212_REPLY_DATA)
            h.text[3] = h.text[4] = (struct hj212_str){ NULL, 0 };
        cp_2005(cp, sizeof(cp), req, kind, code);
    } else if (kind == HJ212_REPLY_QN || kind == HJ212_REPLY_EXE) {
        snprintf(cp, sizeof(cp), "%s=%d", kind == HJ212_REPLY_QN ? "QnRtn" : "ExeRtn", code);
    }
    h.cp = view(cp);
    return hj212__build_hdr(out, cap, &h, len);
}
