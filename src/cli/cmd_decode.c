/* SPDX-License-Identifier: MIT */
/*
 * envwatch decode [FILE...]: reads HJ 212 byte streams (one packet per line, or raw captured
 * traffic) through libhj212's stream reader and prints one JSON object per packet or per run
 * of bytes that was no packet (JSON Lines; the shape is a contract, see docs/hj212.md).
 * CP values that are not UTF-8 (GBK logs from older instruments) are shown converted from
 * GB 18030 when that succeeds; the packet's invalid-utf8 warning says so.
 */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <envwatch/err.h>
#include <hj212/hj212.h>

#include "cli/cli.h"
#include "util/buf.h"
#include "util/json.h"

#define FLUSH_AT (64 * 1024)

struct decoder {
    struct ew_buf out;
    iconv_t       gbk;                  /* GB 18030 -> UTF-8, or (iconv_t)-1 */
};

static int
json_view(struct ew_buf *b, struct hj212_str s)
{
    return s.ptr == NULL ? ew_buf_adds(b, "null") : ew_json_str(b, s.ptr, s.len);
}

static int
json_int(struct ew_buf *b, long v)
{
    return v < 0 ? ew_buf_adds(b, "null") : ew_buf_printf(b, "%ld", v);
}

/* A value that is not valid UTF-8 is shown as GB 18030 text when it converts cleanly. */
static int
json_value(struct decoder *d, struct hj212_str v, int invalid_utf8)
{
    char conv[4096], *in, *outp = conv;
    size_t inleft = v.len, outleft = sizeof(conv);

    if (v.ptr == NULL)
        return ew_buf_adds(&d->out, "null");
    if (!invalid_utf8 || d->gbk == (iconv_t)-1)
        return ew_json_str(&d->out, v.ptr, v.len);
    in = (char *)v.ptr;
    iconv(d->gbk, NULL, NULL, NULL, NULL);
    if (iconv(d->gbk, &in, &inleft, &outp, &outleft) == (size_t)-1 || inleft != 0)
        return ew_json_str(&d->out, v.ptr, v.len);
    return ew_json_str(&d->out, conv, (size_t)(outp - conv));
}

static int
json_cp(struct decoder *d, const struct hj212_pkt *p)
{
    struct hj212_cp_iter it;
    struct hj212_cp_item item;
    int rc = ew_buf_addc(&d->out, '{'), first = 1;

    hj212_cp_iter_init(&it, p->cp);
    while (rc == EW_OK && hj212_cp_next(&it, &item)) {
        if (!first)
            rc = ew_buf_addc(&d->out, ',');
        first = 0;
        if (rc == EW_OK)
            rc = ew_json_str(&d->out, item.key.ptr, item.key.len);
        if (rc == EW_OK)
            rc = ew_buf_addc(&d->out, ':');
        if (rc == EW_OK)
            rc = json_value(d, item.value, (p->warnings & HJ212_W_INVALID_UTF8) != 0);
    }
    return rc == EW_OK ? ew_buf_addc(&d->out, '}') : rc;
}

static int
json_warnings(struct ew_buf *b, uint32_t w)
{
    int rc = ew_buf_addc(b, '['), first = 1;

    for (unsigned i = 0; i < HJ212_WARNING_COUNT && rc == EW_OK; i++) {
        if (!(w & (1u << i)))
            continue;
        if (!first)
            rc = ew_buf_addc(b, ',');
        first = 0;
        if (rc == EW_OK)
            rc = ew_json_strz(b, hj212_warning_name(1u << i));
    }
    return rc == EW_OK ? ew_buf_addc(b, ']') : rc;
}

static const char *
version_name(enum hj212_version v)
{
    return v == HJ212_V2017 ? "\"2017\"" : v == HJ212_V2005 ? "\"2005\"" : "\"unknown\"";
}

/* The contract's key order: ok version flag_version st cn qn pw mn flag pnum pno length_ok
 * crc_ok crc_variant cp warnings. */
static int
print_packet(struct decoder *d, const struct hj212_pkt *p)
{
    struct ew_buf *b = &d->out;
    int rc;

    rc = ew_buf_printf(b, "{\"ok\":true,\"version\":%s,\"flag_version\":",
                       version_name(p->version));
    if (rc == EW_OK)
        rc = json_int(b, p->flag < 0 ? -1 : HJ212_FLAG_VERSION(p->flag));
    const struct {
        const char      *key;
        struct hj212_str v;
    } views[] = { { "st", p->st }, { "cn", p->cn }, { "qn", p->qn }, { "pw", p->pw },
                  { "mn", p->mn } };
    for (size_t i = 0; i < EW_ARRAY_LEN(views) && rc == EW_OK; i++) {
        rc = ew_buf_printf(b, ",\"%s\":", views[i].key);
        if (rc == EW_OK)
            rc = json_view(b, views[i].v);
    }
    if (rc == EW_OK)
        rc = ew_buf_adds(b, ",\"flag\":");
    if (rc == EW_OK)
        rc = json_int(b, p->flag);
    if (rc == EW_OK)
        rc = ew_buf_adds(b, ",\"pnum\":");
    if (rc == EW_OK)
        rc = json_int(b, p->pnum);
    if (rc == EW_OK)
        rc = ew_buf_adds(b, ",\"pno\":");
    if (rc == EW_OK)
        rc = json_int(b, p->pno);
    if (rc == EW_OK)
        rc = ew_buf_printf(b, ",\"length_ok\":%s,\"crc_ok\":%s,\"crc_variant\":",
                           p->length_ok ? "true" : "false", p->crc_ok ? "true" : "false");
    if (rc == EW_OK)
        rc = ew_json_strz(b, hj212_crc_variant_name(p->crc_variant));
    if (rc == EW_OK)
        rc = ew_buf_adds(b, ",\"cp\":");
    if (rc == EW_OK)
        rc = json_cp(d, p);
    if (rc == EW_OK)
        rc = ew_buf_adds(b, ",\"warnings\":");
    if (rc == EW_OK)
        rc = json_warnings(b, p->warnings);
    return rc == EW_OK ? ew_buf_adds(b, "}\n") : rc;
}

static int
flush(struct decoder *d, int force)
{
    if (d->out.len == 0 || (!force && d->out.len < FLUSH_AT))
        return 0;
    if (fwrite(d->out.ptr, 1, d->out.len, stdout) != d->out.len)
        return -1;
    ew_buf_reset(&d->out);
    return 0;
}

/* Takes every event the reader has; returns -1 when output failed. */
static int
drain(struct decoder *d, struct hj212_reader *r)
{
    struct hj212_pkt p;
    uint64_t off;
    int rc;

    while ((rc = hj212_reader_next(r, &p, &off)) != HJ212_EAGAIN) {
        int w = rc == HJ212_OK ? print_packet(d, &p)
                               : ew_buf_printf(&d->out, "{\"ok\":false,\"error\":\"%s\","
                                                        "\"offset\":%llu}\n",
                                               hj212_errcode(rc), (unsigned long long)off);
        if (w != EW_OK || flush(d, 0) != 0)
            return -1;
    }
    return 0;
}

static int
decode_stream(struct decoder *d, FILE *in, const char *name)
{
    struct hj212_reader *r;
    char chunk[16384];
    int status = 0;

    if (hj212_reader_create(HJ212_SEG_MAX, &r) != HJ212_OK) {
        fprintf(stderr, "envwatch decode: out of memory\n");
        return 1;
    }
    for (;;) {
        size_t want = hj212_reader_space(r), n;

        if (want > sizeof(chunk))
            want = sizeof(chunk);
        n = fread(chunk, 1, want, in);
        if (n > 0 && (hj212_reader_feed(r, chunk, n) != HJ212_OK || drain(d, r) != 0)) {
            status = 1;
            break;
        }
        if (n < want) {
            if (ferror(in)) {
                fprintf(stderr, "envwatch decode: %s: %s\n", name, strerror(errno));
                status = 1;
            }
            break;
        }
    }
    hj212_reader_eof(r);
    if (status == 0 && drain(d, r) != 0)
        status = 1;
    hj212_reader_destroy(r);
    return status;
}

static void
usage(FILE *f)
{
    fprintf(f, "usage: envwatch decode [FILE...]\n"
               "Decodes HJ 212 packets (one per line, or raw traffic) from the files or stdin\n"
               "and prints one JSON object per packet (JSON Lines); see docs/hj212.md.\n");
}

int
ew_cmd_decode(int argc, char **argv)
{
    struct decoder d;
    int status = 0, files = 0;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "envwatch decode: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    ew_buf_init(&d.out, 0);
    d.gbk = iconv_open("UTF-8", "GB18030");
    for (int i = 1; i < argc && status == 0; i++, files++) {
        FILE *f = strcmp(argv[i], "-") == 0 ? stdin : fopen(argv[i], "rb");

        if (f == NULL) {
            fprintf(stderr, "envwatch decode: %s: %s\n", argv[i], strerror(errno));
            status = 1;
            break;
        }
        status = decode_stream(&d, f, argv[i]);
        if (f != stdin)
            fclose(f);
    }
    if (files == 0 && status == 0)
        status = decode_stream(&d, stdin, "stdin");
    if (flush(&d, 1) != 0 || fflush(stdout) != 0)
        status = 1;
    if (d.gbk != (iconv_t)-1)
        iconv_close(d.gbk);
    ew_buf_fini(&d.out);
    return status;
}
