/* SPDX-License-Identifier: MIT */
/*
 * libhj212 -- the national data transmission protocol HJ 212-2017, with HJ/T 212-2005.
 *
 * Frame: "##" LLLL <data segment> CCCC "\r\n" (reference/hj212.md section 1). This library
 * finds frames in a byte stream, checks length and CRC, parses the header and the CP data
 * area into views that borrow from the caller's bytes, reassembles PNUM/PNO split packets,
 * and builds packets that follow the standard exactly. It is tolerant in and strict out:
 * every deviation from the standard that can still be understood is recorded as a warning
 * bit, and only input that cannot be understood is an error.
 *
 * The library has no global state, never prints, exits or aborts, and uses no envwatch type.
 * Every function that can fail returns HJ212_OK (0) or a negative enum hj212_err, and writes
 * its out-parameters only on success. All functions are thread-safe on distinct handles.
 */
#ifndef HJ212_H
#define HJ212_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Error codes. The numbers are ABI: append only, never renumber or reuse. */
#define HJ212_ERR_MAP(X)                                                                       \
    X(EINVAL, -1, "invalid argument")                                                          \
    X(ENOMEM, -2, "out of memory")                                                             \
    X(EAGAIN, -3, "incomplete input; feed more bytes")                                         \
    X(EFRAME, -4, "malformed frame: no ## and 4-digit length, or no CR LF where due")           \
    X(ECRC, -5, "packet CRC mismatch")                                                         \
    X(ETOOBIG, -6, "field or packet exceeds its limit")                                        \
    X(ESYNTAX, -7, "malformed data segment")                                                   \
    X(ESPACE, -8, "output buffer too small")                                                   \
    X(ETRUNC, -9, "stream ended inside a frame")

enum hj212_err {
    HJ212_OK = 0,
#define X(name, value, msg) HJ212_##name = (value),
    HJ212_ERR_MAP(X)
#undef X
};

/* A static message for an error code; never NULL. */
const char *hj212_strerror(int err);
/*
 * A stable lower-case name for an error, for logs and JSON: "invalid", "nomem", "again",
 * "frame", "crc", "toobig", "syntax", "space", "truncated"; "ok" for 0, "unknown" otherwise.
 */
const char *hj212_errcode(int err);

/* A view into caller-owned memory; not NUL-terminated. ptr == NULL means "absent". */
struct hj212_str {
    const char *ptr;
    size_t      len;
};

#define HJ212_SEG_STD_MAX 1024          /* the standard's limit on the data segment */
#define HJ212_SEG_MAX 9999              /* what the 4-digit length field can say */
#define HJ212_FRAME_OVERHEAD 12         /* "##" + 4 digits + 4 CRC + CR LF */
#define HJ212_FRAME_MAX (HJ212_SEG_MAX + HJ212_FRAME_OVERHEAD)

/* ---- CRC (reference/hj212.md section 2) ------------------------------------------------- */

/* The HJ 212 CRC of data[0..len): table form of the standard's routine. Empty input: 0xFFFF. */
uint16_t hj212_crc(const void *data, size_t len);
/* Ordinary CRC-16/MODBUS (reg ^= byte), which some instruments send low byte first. */
uint16_t hj212_crc_modbus(const void *data, size_t len);

enum hj212_crc_variant {
    HJ212_CRC_NONE = 0,                 /* the sent CRC matches no known algorithm */
    HJ212_CRC_HJ212 = 1,                /* the standard's algorithm, high byte first */
    HJ212_CRC_MODBUS_LE = 2,            /* CRC-16/MODBUS printed low byte first */
    HJ212_CRC_MODBUS_BE = 3,            /* CRC-16/MODBUS printed high byte first */
};

/* "hj212", "modbus-le", "modbus-be", or NULL for HJ212_CRC_NONE and unknown values. */
const char *hj212_crc_variant_name(enum hj212_crc_variant v);

/* ---- packets ------------------------------------------------------------------------------- */

enum hj212_version {
    HJ212_V_UNKNOWN = 0,                /* Flag version bits other than 0 or 1 */
    HJ212_V2005 = 2005,                 /* Flag version bits 000000, or no Flag at all */
    HJ212_V2017 = 2017,                 /* Flag version bits 000001 */
};

/* Flag bits (2017 section 6.3.3 / reference/hj212.md section 3.3). */
#define HJ212_FLAG_A 0x01               /* the receiver must answer */
#define HJ212_FLAG_D 0x02               /* PNUM and PNO present: one piece of a split packet */
#define HJ212_FLAG_VERSION(flag) (((flag) >> 2) & 0x3F)

/*
 * Deviations from the standard that were tolerated. Each is a bit of hj212_pkt.warnings;
 * hj212_warning_name() gives a stable kebab-case name for each bit (used in JSON output).
 */
#define HJ212_WARNING_MAP(X)                                                                   \
    X(SEG_OVERSIZE, 0, "segment-over-1024")         /* data segment longer than 1024 bytes */   \
    X(LEN_CHARS, 1, "length-counts-characters")     /* length is a character count, not bytes */\
    X(LEN_MISMATCH, 2, "length-mismatch")           /* frame found by CR LF, length is wrong */ \
    X(CRC_LOWERCASE, 3, "crc-lowercase")                                                      \
    X(CRC_MODBUS, 4, "crc-modbus-variant")                                                    \
    X(CRC_BAD, 5, "crc-mismatch")                                                             \
    X(NO_FLAG, 6, "flag-missing")                                                             \
    X(FLAG_VERSION, 7, "flag-unknown-version")                                                \
    X(FIELD_ORDER, 8, "header-field-order")                                                   \
    X(HEADER_SEPARATOR, 9, "header-separator")      /* ',' where ';' belongs, or ';' missing */ \
    X(SPACES, 10, "stray-spaces")                                                             \
    X(DUP_FIELD, 11, "duplicate-header-field")                                                \
    X(UNKNOWN_FIELD, 12, "unknown-header-field")                                              \
    X(MISSING_FIELD, 13, "missing-header-field")    /* ST, CN, MN or (2017) QN/PW absent */     \
    X(QN_FORMAT, 14, "qn-format")                                                             \
    X(MN_FORMAT, 15, "mn-format")                                                             \
    X(ST_FORMAT, 16, "st-format")                                                             \
    X(CN_FORMAT, 17, "cn-format")                                                             \
    X(PNUM_PNO, 18, "pnum-pno-inconsistent")        /* D bit and PNUM/PNO disagree, PNO>PNUM */ \
    X(CP_FORMAT, 19, "cp-format")                   /* CP not wrapped in && ... && */           \
    X(CP_ITEM, 20, "cp-item-format")                /* an item without '=' or an empty key */   \
    X(CP_DUP_KEY, 21, "cp-duplicate-key")                                                     \
    X(INFO_TOO_LONG, 22, "info-over-890")           /* a //...// info value over 890 bytes */   \
    X(NON_ASCII, 23, "non-ascii-outside-info")                                                \
    X(INVALID_UTF8, 24, "invalid-utf8")                                                       \
    X(GARBAGE, 25, "garbage-skipped")               /* bytes before this frame were skipped */ \
    X(TAIL, 26, "tail-not-crlf")                    /* LF, CR or nothing instead of CR LF */    \
    X(CRC_UNPADDED, 27, "crc-unpadded")             /* fewer than 4 hex digits, e.g. "880" */   \
    X(FLAG_FORMAT, 28, "flag-format")               /* Flag not an integer 0..255 */            \
    X(CP_MISSING, 29, "cp-missing")                 /* no CP= field at all */                   \
    X(HEADER_ITEM, 30, "header-item-format")        /* a header item without '=' */

enum hj212_warning {
#define X(name, bit, text) HJ212_W_##name = (1u << (bit)),
    HJ212_WARNING_MAP(X)
#undef X
};

#define HJ212_WARNING_COUNT 31          /* bits 0..30 are defined */

/* Name of one warning bit (a HJ212_W_* value, not a bit index), or NULL when not defined. */
const char *hj212_warning_name(uint32_t bit);

struct hj212_pkt {
    struct hj212_str frame;             /* the whole frame as found, "##" through CR LF */
    struct hj212_str seg;               /* the whole data segment (what length and CRC cover) */
    struct hj212_str qn, st, cn, pw, mn;/* header fields; ptr NULL when absent */
    struct hj212_str cp;                /* CP content between "CP=&&" and the last "&&"; ptr
                                           NULL when the segment has no CP= (cp-missing) */
    int      flag;                      /* Flag value 0..255, or -1 when absent */
    int      pnum, pno;                 /* -1 when absent */
    enum hj212_version version;
    int      length_ok;                 /* declared length == segment bytes */
    int      crc_ok;                    /* the sent CRC is the HJ 212 CRC */
    enum hj212_crc_variant crc_variant; /* which algorithm the sent CRC matches */
    unsigned declared_len;              /* the 4-digit length field */
    uint16_t crc_sent, crc_calc;        /* crc_calc is the HJ 212 CRC of seg */
    uint32_t warnings;                  /* HJ212_W_* bits */
    struct hj212_str reply_qn;          /* 2005 replies: QN carried inside CP, else absent */
};

/*
 * Decodes one complete frame buf[0..len) ("##" through CR LF; the caller has framed it, e.g.
 * with the reader). A wrong CRC or length is not an error: the packet is returned with
 * crc_ok / length_ok cleared and warning bits set, and the caller decides. The frame is found
 * as the reader finds it (section 11 of the reference): by its length first, else by its line
 * end; a tail of LF, CR or nothing and trailing white space are tolerated with warnings.
 * Returns HJ212_EFRAME when buf is not one frame, HJ212_ESYNTAX when the segment has no
 * key=value header item at all (a missing CP= is only a warning, cp-missing). Views in *pkt
 * borrow from buf. Allocates nothing.
 */
int hj212_pkt_parse(const char *buf, size_t len, struct hj212_pkt *pkt);

/* ---- stream reader: frames from arbitrary TCP chunks ------------------------------------- */

struct hj212_reader;                    /* opaque; one per connection */

/*
 * max_seg bounds the data segments accepted (1..HJ212_SEG_MAX; HJ212_SEG_MAX is the usual
 * choice: segments over 1024 are accepted with a warning). Memory per reader is fixed at
 * creation: max_seg + HJ212_FRAME_OVERHEAD + 64 bytes and the handle.
 */
int  hj212_reader_create(size_t max_seg, struct hj212_reader **out);
void hj212_reader_destroy(struct hj212_reader *r);     /* NULL is a no-op */
/*
 * Appends bytes. Returns HJ212_ETOOBIG when they do not fit the free space: call
 * hj212_reader_next() until it returns HJ212_EAGAIN, then feed again. hj212_reader_space()
 * tells how many bytes fit now (never 0 after next() has returned HJ212_EAGAIN).
 */
int    hj212_reader_feed(struct hj212_reader *r, const void *data, size_t len);
size_t hj212_reader_space(const struct hj212_reader *r);
/*
 * Takes the next event from the buffered bytes:
 *   HJ212_OK      a frame was found and parsed into *pkt (views valid until the next
 *                 feed/next call); *offset is its first byte's position in the stream.
 *   HJ212_EAGAIN  no complete frame yet: feed more.
 *   other < 0     bytes starting at stream position *offset were not a packet and were
 *                 skipped (EFRAME, ESYNTAX, ETOOBIG; ETRUNC after eof); reading resumes at
 *                 the next "##". A run of garbage is reported once, when the frame after it
 *                 is found (or at eof), and that packet carries HJ212_W_GARBAGE; white space
 *                 between frames is skipped silently. The events do not depend on how the
 *                 stream was cut into feeds.
 */
int hj212_reader_next(struct hj212_reader *r, struct hj212_pkt *pkt, uint64_t *offset);
/*
 * Marks the end of the stream: afterwards next() also accepts a last frame without its tail or
 * with a wrong length, and reports an incomplete frame as HJ212_ETRUNC. Call next() until it
 * returns HJ212_EAGAIN to drain everything. Feeding after eof() is HJ212_EINVAL.
 */
void hj212_reader_eof(struct hj212_reader *r);
/*
 * At end of stream, for callers that do not drain with eof()/next(): discards everything still
 * buffered and reports it as one error (HJ212_ETRUNC when it starts like a frame, else
 * HJ212_EFRAME) at *offset, or returns HJ212_EAGAIN when nothing is buffered. The reader can
 * be reused afterwards for a new stream whose offsets continue.
 */
int hj212_reader_finish(struct hj212_reader *r, uint64_t *offset);

/* ---- CP data area (reference/hj212.md section 5) ---------------------------------------- */

struct hj212_cp_item {
    struct hj212_str key;               /* whole key, e.g. "a34004-Rtd" or "DataTime" */
    struct hj212_str code;              /* part before the first '-', or the whole key */
    struct hj212_str suffix;            /* part after the first '-'; ptr NULL when none */
    struct hj212_str value;             /* trimmed; //...// info values keep their slashes;
                                           ptr NULL when the item has no '=' (cp-item-format) */
    char             sep;               /* separator before this item: ';', ',' or 0 (first) */
};

#define HJ212_CP_MASK_WORDS 16          /* the fast path covers a CP's first 1024 bytes */

struct hj212_cp_iter {
    const char *start, *p, *end;        /* the CP, and where the next item starts */
    uint32_t    warnings;               /* HJ212_W_CP_ITEM / SPACES bits seen so far */
    size_t      n;                      /* items returned so far */
    /* Private to the tokenizer: bit masks of '=' ';' ',' and of '-' for the first `masked`
     * bytes, computed 64 bytes at a time as the iteration advances. */
    size_t      masked;
    uint64_t    stop[HJ212_CP_MASK_WORDS], dash[HJ212_CP_MASK_WORDS];
};

void hj212_cp_iter_init(struct hj212_cp_iter *it, struct hj212_str cp);
/*
 * Returns 1 and fills *item for each key=value item in order, 0 at the end. Items are split on
 * ';' and ','; a value that starts with "//" runs to the "//" that is followed by a separator
 * or the end, so a log text may contain ';' ',' '='. Keys and values are trimmed of spaces and
 * tabs (HJ212_W_SPACES); empty items are skipped (HJ212_W_CP_ITEM).
 */
int hj212_cp_next(struct hj212_cp_iter *it, struct hj212_cp_item *item);
/* Finds the first item whose key equals key; returns 1 and sets *value, or 0. */
int hj212_cp_get(struct hj212_str cp, const char *key, struct hj212_str *value);

/* One CP item to write. value NULL writes the key alone (only to reproduce such input). */
struct hj212_kv {
    const char *key;
    const char *value;
};

/*
 * Writes items as CP content (without "CP=&&" and "&&") into out[0..cap), NUL-terminated, and
 * sets *len. Grouping follows the standard (reference/hj212.md section 5.1): items of one
 * factor -- consecutive keys with a '-' and the same code before it -- are joined by ',', other
 * items by ';'; for version HJ212_V2005 "BeginTime" and a following "EndTime" are joined by ','
 * as the 2005 examples write them. Returns HJ212_ESPACE when out is too small, HJ212_EINVAL
 * for what would not read back the same: an empty key, a key with ';' ',' '=' '&', a value
 * with ';' ',' '&' outside a //...// info value, "&&", a control character, or a key or
 * value that starts or ends with a blank.
 */
int hj212_cp_format(char *out, size_t cap, const struct hj212_kv *items, size_t n,
                    enum hj212_version version, size_t *len);

/* ---- building packets (strict: exactly the standard) ------------------------------------- */

struct hj212_msg {
    const char *qn;                     /* NULL: omitted (2005 replies) */
    const char *st, *cn;
    const char *pw, *mn;                /* NULL: omitted (2005 9014) */
    int         flag;                   /* -1: omitted */
    int         pnum, pno;              /* -1: omitted */
    const char *cp;                     /* CP content without "CP=&&" and "&&"; NULL = empty */
};

/*
 * Frames msg into out[0..cap): header fields in the standard's order QN ST CN PW MN Flag
 * PNUM PNO CP, the length in UTF-8 bytes, upper-case zero-padded CRC, CR LF. Sets *len.
 * Returns HJ212_ESPACE when cap is too small, HJ212_ETOOBIG when the segment passes 9999,
 * HJ212_EINVAL when st or cn is missing, a header value contains ';' '=' '&' or a control
 * character, flag is not -1..255, or pnum/pno are not -1 or 1..9999. out is NUL-terminated
 * when there is room for it (not counted in *len).
 */
int hj212_build(char *out, size_t cap, const struct hj212_msg *msg, size_t *len);

/* Reply kinds of the interaction commands (ST=91). */
enum hj212_reply {
    HJ212_REPLY_QN = 9011,              /* request reply, code = QnRtn */
    HJ212_REPLY_EXE = 9012,             /* execution result, code = ExeRtn */
    HJ212_REPLY_NOTICE = 9013,          /* notification reply */
    HJ212_REPLY_DATA = 9014,            /* data reply */
};

/*
 * Builds the reply of kind to the received packet req, in req's version: 2017 echoes QN in
 * the header with Flag=4; 2005 carries QN (and for 9014 the CN, PNO, PNUM) inside CP and
 * follows the 2005 examples' layout (reference/hj212.md section 7.8). code is QnRtn or
 * ExeRtn, ignored for 9013/9014.
 */
int hj212_build_reply(char *out, size_t cap, const struct hj212_pkt *req, enum hj212_reply kind,
                      int code, size_t *len);

#ifdef __cplusplus
}
#endif

#endif
