/* SPDX-License-Identifier: MIT */
/*
 * envwatch encode [--split] [FILE...]: the reverse of decode. Reads JSON objects of the shape
 * `envwatch decode` prints (one per line) and writes each as a framed HJ 212 packet, header
 * fields in the standard's order, CP items in the object's order, grouped by ',' within one
 * factor as the standard writes them. So `decode | encode` gives back every standard packet
 * byte for byte. Objects with "ok": false are skipped. --split cuts a packet whose segment
 * would pass 1024 bytes into PNUM/PNO pieces.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <envwatch/err.h>
#include <hj212/hj212.h>
#include <hj212/split.h>

#include "cli/cli.h"
#include "util/buf.h"

#define MAX_ITEMS 2048
#define MAX_PIECES 64

struct item_text {
    char text[64];                      /* a number's text */
};

static const char *
str_of(const cJSON *o, const char *key, int *bad)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    if (v == NULL || cJSON_IsNull(v))
        return NULL;
    if (!cJSON_IsString(v)) {
        *bad = 1;
        return NULL;
    }
    return v->valuestring;
}

static int
int_of(const cJSON *o, const char *key, int *bad)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    if (v == NULL || cJSON_IsNull(v))
        return -1;
    if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 9999 ||
        v->valuedouble != (double)v->valueint) {
        *bad = 1;
        return -1;
    }
    return v->valueint;
}

/* The version that decides the CP grouping: "version", else Flag's version bits. */
static enum hj212_version
version_of(const cJSON *o, int flag)
{
    const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "version"));

    if (v != NULL)
        return strcmp(v, "2005") == 0 ? HJ212_V2005 : HJ212_V2017;
    return flag < 0 || HJ212_FLAG_VERSION(flag) == 0 ? HJ212_V2005 : HJ212_V2017;
}

/* Collects the cp object into items; numbers are written as JSON printed them. */
static int
cp_items(const cJSON *cp, struct hj212_kv *kv, struct item_text *num, size_t *n)
{
    const cJSON *v;

    *n = 0;
    if (cp == NULL || cJSON_IsNull(cp))
        return 0;
    if (!cJSON_IsObject(cp))
        return -1;
    cJSON_ArrayForEach(v, cp) {
        if (*n == MAX_ITEMS)
            return -1;
        kv[*n].key = v->string;
        if (cJSON_IsString(v)) {
            kv[*n].value = v->valuestring;
        } else if (cJSON_IsNull(v)) {
            kv[*n].value = NULL;
        } else if (cJSON_IsNumber(v)) {
            snprintf(num[*n].text, sizeof(num[*n].text), "%.15g", v->valuedouble);
            kv[*n].value = num[*n].text;
        } else {
            return -1;
        }
        (*n)++;
    }
    return 0;
}

struct encoder {
    int              split;
    struct hj212_kv  kv[MAX_ITEMS];
    struct item_text num[MAX_ITEMS];
    char             cp[HJ212_SEG_MAX + 1];
    char             out[MAX_PIECES * (HJ212_SEG_STD_MAX + HJ212_FRAME_OVERHEAD)];
};

/* Encodes one object; returns an hj212 error, or 1 for an object that is not a packet. */
static int
encode_object(struct encoder *e, const cJSON *o, size_t *len)
{
    const cJSON *ok = cJSON_GetObjectItemCaseSensitive(o, "ok");
    struct hj212_msg m;
    size_t n, cp_len, pieces, piece_len[MAX_PIECES];
    int bad = 0, rc;

    if (cJSON_IsFalse(ok))
        return 1;
    m = (struct hj212_msg){
        .qn = str_of(o, "qn", &bad), .st = str_of(o, "st", &bad), .cn = str_of(o, "cn", &bad),
        .pw = str_of(o, "pw", &bad), .mn = str_of(o, "mn", &bad),
        .flag = int_of(o, "flag", &bad), .pnum = int_of(o, "pnum", &bad),
        .pno = int_of(o, "pno", &bad),
    };
    if (bad || cp_items(cJSON_GetObjectItemCaseSensitive(o, "cp"), e->kv, e->num, &n) != 0)
        return HJ212_EINVAL;
    rc = hj212_cp_format(e->cp, sizeof(e->cp), e->kv, n, version_of(o, m.flag), &cp_len);
    if (rc != HJ212_OK)
        return rc == HJ212_ESPACE ? HJ212_ETOOBIG : rc;
    m.cp = e->cp;
    if (e->split && m.pnum < 0 && m.pno < 0)
        return hj212_split_build(e->out, sizeof(e->out), &m, 0, piece_len, MAX_PIECES, &pieces,
                                 len);
    return hj212_build(e->out, sizeof(e->out), &m, len);
}

static int
encode_stream(struct encoder *e, FILE *in, const char *name)
{
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t n;
    int status = 0;

    while ((n = getline(&line, &cap, in)) >= 0) {
        cJSON *o;
        size_t len;
        int rc;

        lineno++;
        if (strspn(line, " \t\r\n") == (size_t)n)
            continue;
        o = cJSON_ParseWithLength(line, (size_t)n);
        rc = o == NULL || !cJSON_IsObject(o) ? HJ212_ESYNTAX : encode_object(e, o, &len);
        cJSON_Delete(o);
        if (rc == 1)
            continue;
        if (rc != HJ212_OK) {
            fprintf(stderr, "envwatch encode: %s:%zu: %s\n", name, lineno,
                    rc == HJ212_ESYNTAX ? "not a JSON object" : hj212_strerror(rc));
            status = 1;
            continue;
        }
        if (fwrite(e->out, 1, len, stdout) != len) {
            status = 1;
            break;
        }
    }
    if (ferror(in)) {
        fprintf(stderr, "envwatch encode: %s: %s\n", name, strerror(errno));
        status = 1;
    }
    free(line);
    return status;
}

static void
usage(FILE *f)
{
    fprintf(f, "usage: envwatch encode [--split] [FILE...]\n"
               "Reads JSON objects as `envwatch decode` prints them (files or stdin) and\n"
               "writes each as a framed HJ 212 packet. --split cuts packets over 1024 bytes\n"
               "into PNUM/PNO pieces.\n");
}

int
ew_cmd_encode(int argc, char **argv)
{
    struct encoder *e;
    int status = 0, files = 0, split = 0;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        }
        if (strcmp(argv[i], "--split") == 0) {
            split = 1;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "envwatch encode: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    e = calloc(1, sizeof(*e));
    if (e == NULL)
        return 1;
    e->split = split;
    for (int i = 1; i < argc; i++) {
        FILE *f;

        if (strcmp(argv[i], "--split") == 0)
            continue;
        files++;
        f = strcmp(argv[i], "-") == 0 ? stdin : fopen(argv[i], "rb");
        if (f == NULL) {
            fprintf(stderr, "envwatch encode: %s: %s\n", argv[i], strerror(errno));
            status = 1;
            continue;
        }
        status |= encode_stream(e, f, argv[i]);
        if (f != stdin)
            fclose(f);
    }
    if (files == 0)
        status |= encode_stream(e, stdin, "stdin");
    if (fflush(stdout) != 0)
        status = 1;
    free(e);
    return status;
}
