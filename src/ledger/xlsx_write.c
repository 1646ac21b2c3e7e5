/* SPDX-License-Identifier: MIT */
/*
 * A streaming .xlsx writer for long lists. libxlsxwriter (used for the small scorecard
 * workbooks) keeps every cell in its object model and compresses at zlib's default level;
 * bench_ledger measures it beside this writer on the same cells. This one emits the sheet's
 * XML straight into a raw deflate stream at the fastest level and wraps it with the fixed
 * parts a workbook needs (ECMA-376 part 1: content types, relationships, workbook, styles
 * with one date format, shared strings). Nothing else of the format is supported.
 *
 * Where the time goes at 100,000 rows: deflate's time follows the XML's size, so the XML is
 * kept small. Values that repeat (labels, units, names) go once into the shared-string table
 * (sharedStrings.xml, 18.4) and cells refer to them by number; cells carry no reference
 * attribute r (optional in CT_Cell, 18.3.1.4: a cell without r is the one after its left
 * neighbour, which Excel, LibreOffice and the import of src/ledger/xlsx.c all follow) and an
 * empty cell in the middle of a row is an empty <c/>. Rows keep their r. Numbers that are
 * integers, dates and row numbers are printed without printf. And the XML is deflated by a
 * thread of its own, one chunk behind the rows being written (inline when no thread can be
 * started), so reading the store and compressing overlap.
 */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include <envwatch/err.h>

#include "ledger/xlsx_write.h"
#include "util/buf.h"

#define PUMP_BYTES (1u << 18)           /* XML deflated in chunks of this size */
#define ZIP32_MAX 0xFFFFFFFFu           /* sizes and offsets of a zip without ZIP64 */

/* One distinct shared string: where its bytes are in the arena, and its hash. */
struct slot {
    uint32_t hash;
    uint32_t index;                     /* its number in sharedStrings.xml */
    size_t   at, len;                   /* in strs */
};

struct ew__xw {
    FILE         *out;
    struct ew_buf xml;                  /* sheet XML being written */
    size_t        raw;                  /* bytes of sheet XML handed to deflate */
    unsigned      row, gap;             /* gap: empty cells not yet written */
    int           err;
    /* the deflate side: the thread's alone while it runs (between handing over a chunk and
     * its done signal), the writer's otherwise */
    z_stream      zs;
    struct ew_buf pend;                 /* the chunk being deflated */
    struct ew_buf zip;                  /* the deflated sheet */
    uLong         crc;
    int           zerr;
    /* the hand-over */
    pthread_t       th;
    pthread_mutex_t mu;
    pthread_cond_t  cv;
    int             threaded, busy, finish, quit;
    /* the shared-string table: open addressing on a power-of-two table */
    struct slot  *slots;
    size_t        nslots, nshared, refs;
    struct ew_buf strs;                 /* the distinct strings' bytes, back to back */
    struct ew_buf sst;                  /* their <si> elements, in index order */
};

static const char *const head =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<sheetData>";

/* Deflates len bytes of data into zip (all of the stream with finish). */
static int
deflate_into(z_stream *zs, struct ew_buf *zip, const void *data, size_t len, int finish)
{
    zs->next_in = (Bytef *)data;
    zs->avail_in = (uInt)len;
    for (;;) {
        int rc;
        if (ew_buf_reserve(zip, 1 << 16) != EW_OK)
            return EW_ENOMEM;
        zs->next_out = (Bytef *)zip->ptr + zip->len;
        zs->avail_out = 1 << 16;
        rc = deflate(zs, finish ? Z_FINISH : Z_NO_FLUSH);
        zip->len += (1 << 16) - zs->avail_out;
        if (rc == Z_STREAM_END || (!finish && zs->avail_in == 0 && zs->avail_out != 0))
            return EW_OK;
        if (rc != Z_OK && rc != Z_BUF_ERROR)
            return EW_EIO;
    }
}

/* The deflate side's work on one chunk. */
static int
squeeze(struct ew__xw *w, const struct ew_buf *chunk, int finish)
{
    if (w->zerr != EW_OK)
        return w->zerr;
    w->crc = crc32(w->crc, (const Bytef *)chunk->ptr, (uInt)chunk->len);
    return w->zerr = deflate_into(&w->zs, &w->zip, chunk->ptr, chunk->len, finish);
}

static void *
deflater(void *arg)
{
    struct ew__xw *w = arg;

    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->busy && !w->quit)
            pthread_cond_wait(&w->cv, &w->mu);
        if (!w->busy)
            break;
        pthread_mutex_unlock(&w->mu);
        squeeze(w, &w->pend, w->finish);
        ew_buf_reset(&w->pend);
        pthread_mutex_lock(&w->mu);
        w->busy = 0;
        pthread_cond_broadcast(&w->cv);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

/* Hands what the XML buffer holds to deflate once it is PUMP_BYTES (all of it, and the end
 * of the stream, with finish): to the thread, after it is done with the previous chunk. */
static void
pump(struct ew__xw *w, int finish)
{
    struct ew_buf t;

    if (w->err || (!finish && w->xml.len < PUMP_BYTES))
        return;
    if (w->raw + w->xml.len > ZIP32_MAX) {
        w->err = EW_ETOOBIG;
        return;
    }
    w->raw += w->xml.len;
    if (!w->threaded) {
        w->err = squeeze(w, &w->xml, finish);
        ew_buf_reset(&w->xml);
        return;
    }
    pthread_mutex_lock(&w->mu);
    while (w->busy)
        pthread_cond_wait(&w->cv, &w->mu);
    if ((w->err = w->zerr) == EW_OK) {
        t = w->pend;                    /* swap: the thread takes the full buffer */
        w->pend = w->xml;
        w->xml = t;
        w->busy = 1;
        w->finish = finish;
        pthread_cond_broadcast(&w->cv);
    }
    pthread_mutex_unlock(&w->mu);
}

/* Stops the thread after its last chunk (the deflate side is the writer's again). */
static void
join(struct ew__xw *w)
{
    if (!w->threaded)
        return;
    pthread_mutex_lock(&w->mu);
    w->quit = 1;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->th, NULL);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    w->threaded = 0;
}

int
ew__xw_open(FILE *out, struct ew__xw **xw)
{
    struct ew__xw *w = calloc(1, sizeof(*w));

    if (w == NULL)
        return EW_ENOMEM;
    w->out = out;
    ew_buf_init(&w->xml, 0);
    ew_buf_init(&w->pend, 0);
    ew_buf_init(&w->zip, 0);
    ew_buf_init(&w->strs, 0);
    ew_buf_init(&w->sst, 0);
    w->crc = crc32(0L, Z_NULL, 0);
    if (deflateInit2(&w->zs, Z_BEST_SPEED, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) !=
        Z_OK) {
        free(w);
        return EW_ENOMEM;
    }
    if (pthread_mutex_init(&w->mu, NULL) == 0) {
        if (pthread_cond_init(&w->cv, NULL) == 0) {
            w->threaded = pthread_create(&w->th, NULL, deflater, w) == 0;
            if (!w->threaded)
                pthread_cond_destroy(&w->cv);
        }
        if (!w->threaded)
            pthread_mutex_destroy(&w->mu);
    }
    if (ew_buf_adds(&w->xml, head) != EW_OK)
        w->err = EW_ENOMEM;
    *xw = w;
    return EW_OK;
}

/* Room for n more bytes at the end of b (NULL after a failure, which w->err keeps). */
static char *
room(struct ew__xw *w, struct ew_buf *b, size_t n)
{
    if (w->err)
        return NULL;
    if (ew_buf_reserve(b, n) != EW_OK) {
        w->err = EW_ENOMEM;
        return NULL;
    }
    return b->ptr + b->len;
}

/* Ends a write that began at room(): end is one past the last byte written. */
static void
done(struct ew_buf *b, char *end)
{
    b->len = (size_t)(end - b->ptr);
    b->ptr[b->len] = '\0';
}

static char *
put(char *o, const char *s, size_t n)
{
    memcpy(o, s, n);
    return o + n;
}

#define PUT(o, lit) put((o), (lit), sizeof(lit) - 1)

/* Decimal digits of v. */
static char *
put_uint(char *o, uint64_t v)
{
    char d[20];
    int n = 0;

    do {
        d[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0);
    while (n > 0)
        *o++ = d[--n];
    return o;
}

/* The length of the valid UTF-8 sequence at p that XML 1.0 may hold, or 0 (invalid, a
 * surrogate, U+FFFE or U+FFFF). p[0] >= 0x80. */
static size_t
utf8_ok(const unsigned char *p)
{
    unsigned c = p[0], cp;
    size_t n;

    if (c >= 0xC2 && c <= 0xDF)
        n = 2, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4, cp = c & 0x07;
    else
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3F);
    }
    if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF) || cp >= 0xFFFE)) ||
        (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    return n;
}

/* s escaped for XML character data at o (room for 5 bytes per byte of s): runs of plain
 * bytes are copied at once; <, >, & become entities; control characters but tab and
 * newline are dropped; invalid UTF-8 becomes U+FFFD. */
static char *
put_text(char *o, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;

    while (p < end) {
        const unsigned char *run = p;
        size_t n;
        while (p < end && *p >= 0x20 && *p < 0x80 && *p != '<' && *p != '>' && *p != '&')
            p++;
        o = put(o, (const char *)run, (size_t)(p - run));
        if (p == end)
            break;
        if (*p == '<')
            o = PUT(o, "&lt;");
        else if (*p == '>')
            o = PUT(o, "&gt;");
        else if (*p == '&')
            o = PUT(o, "&amp;");
        else if (*p == '\t' || *p == '\n')
            *o++ = (char)*p;
        else if (*p >= 0x80 && (n = utf8_ok(p)) > 0) {
            o = put(o, (const char *)p, n);
            p += n;
            continue;
        } else if (*p >= 0x80) {
            o = PUT(o, "\xEF\xBF\xBD");
        }
        p++;
    }
    return o;
}

/* <t> with xml:space="preserve" when the text begins or ends with white space (which a
 * reader would otherwise trim). */
static char *
put_t_open(char *o, const char *s, size_t len)
{
    if (s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s[len - 1] == ' ' ||
        s[len - 1] == '\t' || s[len - 1] == '\n')
        return PUT(o, "<t xml:space=\"preserve\">");
    return PUT(o, "<t>");
}

/* The empty cells owed before the next one. */
static char *
put_gap(struct ew__xw *w, char *o)
{
    for (; w->gap > 0; w->gap--)
        o = PUT(o, "<c/>");
    return o;
}

void
ew__xw_row(struct ew__xw *w)
{
    char *o = room(w, &w->xml, 32);

    if (o == NULL)
        return;
    if (w->row > 0)
        o = PUT(o, "</row>");
    w->row++;
    w->gap = 0;
    o = PUT(o, "<row r=\"");
    o = put_uint(o, w->row);
    o = PUT(o, "\">");
    done(&w->xml, o);
    pump(w, 0);
}

void
ew__xw_skip(struct ew__xw *w)
{
    w->gap++;
}

void
ew__xw_str(struct ew__xw *w, const char *s)
{
    size_t len = strlen(s);
    char *o;

    if (len == 0) {
        w->gap++;
        return;
    }
    if ((o = room(w, &w->xml, 4 * (size_t)w->gap + 5 * len + 64)) == NULL)
        return;
    o = put_gap(w, o);
    o = PUT(o, "<c t=\"inlineStr\"><is>");
    o = put_t_open(o, s, len);
    o = put_text(o, s, len);
    o = PUT(o, "</t></is></c>");
    done(&w->xml, o);
}

/* A hash of s: 8 bytes at a time, each word mixed by a multiply (the strings are short
 * labels and names, hashed once per cell). */
static uint32_t
hash_of(const char *s, size_t len)
{
    uint64_t h = 0x9E3779B97F4A7C15u ^ len, w;

    for (; len >= 8; s += 8, len -= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDu;
        h ^= h >> 32;
    }
    if (len > 0) {
        w = 0;
        memcpy(&w, s, len);
        h = (h ^ w) * 0xC4CEB9FE1A85EC53u;
    }
    h ^= h >> 29;
    return (uint32_t)h;
}

/* Doubles the table (or makes the first one). */
static int
grow(struct ew__xw *w)
{
    size_t n = w->nslots ? 2 * w->nslots : 1024;
    struct slot *v = calloc(n, sizeof(*v));

    if (v == NULL)
        return EW_ENOMEM;
    for (size_t i = 0; i < w->nslots; i++) {
        struct slot *s = &w->slots[i];
        size_t j = s->hash & (n - 1);
        if (s->len == 0)
            continue;
        while (v[j].len != 0)
            j = (j + 1) & (n - 1);
        v[j] = *s;
    }
    free(w->slots);
    w->slots = v;
    w->nslots = n;
    return EW_OK;
}

/* The number of s in the shared-string table, added when new; -1 when it cannot be (the
 * table is full or out of memory: the caller writes the string inline). */
static long
shared_index(struct ew__xw *w, const char *s, size_t len)
{
    uint32_t h = hash_of(s, len);
    size_t j;
    char *o;

    /* at most half full, so a probe always ends; full tables stop growing but still find */
    if (w->nshared * 2 >= w->nslots && w->nshared < EW__XW_SHARED_MAX && grow(w) != EW_OK)
        return -1;
    for (j = h & (w->nslots - 1); w->slots[j].len != 0; j = (j + 1) & (w->nslots - 1)) {
        const struct slot *sl = &w->slots[j];
        if (sl->hash == h && sl->len == len && memcmp(w->strs.ptr + sl->at, s, len) == 0)
            return (long)sl->index;
    }
    if (w->nshared >= EW__XW_SHARED_MAX || ew_buf_add(&w->strs, s, len) != EW_OK ||
        (o = room(w, &w->sst, 5 * len + 48)) == NULL)
        return -1;
    o = PUT(o, "<si>");
    o = put_t_open(o, s, len);
    o = put_text(o, s, len);
    o = PUT(o, "</t></si>");
    done(&w->sst, o);
    w->slots[j] = (struct slot){ h, (uint32_t)w->nshared, w->strs.len - len, len };
    return (long)w->nshared++;
}

void
ew__xw_shared(struct ew__xw *w, const char *s)
{
    size_t len = strlen(s);
    long i;
    char *o;

    if (len == 0) {
        w->gap++;
        return;
    }
    if (w->err || (i = shared_index(w, s, len)) < 0) {
        ew__xw_str(w, s);
        return;
    }
    if ((o = room(w, &w->xml, 4 * (size_t)w->gap + 48)) == NULL)
        return;
    o = put_gap(w, o);
    o = PUT(o, "<c t=\"s\"><v>");
    o = put_uint(o, (uint64_t)i);
    o = PUT(o, "</v></c>");
    done(&w->xml, o);
    w->refs++;
}

void
ew__xw_num(struct ew__xw *w, double v)
{
    char *o;

    if (!isfinite(v)) {
        w->gap++;
        return;
    }
    if ((o = room(w, &w->xml, 4 * (size_t)w->gap + 64)) == NULL)
        return;
    o = put_gap(w, o);
    o = PUT(o, "<c><v>");
    if (v == floor(v) && fabs(v) < 1e15) {
        if (v < 0)
            *o++ = '-';
        o = put_uint(o, (uint64_t)fabs(v));
    } else {
        o += snprintf(o, 32, "%.15g", v);
    }
    o = PUT(o, "</v></c>");
    done(&w->xml, o);
}

void
ew__xw_date(struct ew__xw *w, int year, int month, int day)
{
    /* Excel's serial day: days since 1899-12-30 (the 1900 leap-year bug sits before 1900-03
     * and does not matter for these dates). */
    long y = year - (month <= 2), m = month + (month <= 2 ? 9 : -3);
    long era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
    long doy = (153 * m + 2) / 5 + day - 1, doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    long days = era * 146097 + doe - 719468 + 25569;
    char *o;

    if (days < 1) {                     /* before 1900: Excel has no such date */
        w->gap++;
        return;
    }
    if ((o = room(w, &w->xml, 4 * (size_t)w->gap + 48)) == NULL)
        return;
    o = put_gap(w, o);
    o = PUT(o, "<c s=\"1\"><v>");
    o = put_uint(o, (uint64_t)days);
    o = PUT(o, "</v></c>");
    done(&w->xml, o);
}

/* ---- the zip container ---------------------------------------------------------------- */

struct member {
    const char *name;
    const void *data;
    size_t      len, raw;
    uLong       crc;
    int         deflated;
    size_t      offset;
};

static void
le16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void
le32(unsigned char *p, unsigned long v)
{
    le16(p, (unsigned)(v & 0xFFFF));
    le16(p + 2, (unsigned)(v >> 16));
}

/* The local header (30 bytes) or central header (46) of m. */
static size_t
header(unsigned char *h, const struct member *m, int central)
{
    size_t n = central ? 46 : 30, off = central ? 6 : 4;

    memset(h, 0, n);
    le32(h, central ? 0x02014b50 : 0x04034b50);
    if (central)
        le16(h + 4, 20);
    le16(h + off, 20);
    le16(h + off + 4, m->deflated ? 8 : 0);
    le16(h + off + 8, 0x21);            /* 1980-01-01 */
    le32(h + off + 10, m->crc);
    le32(h + off + 14, (unsigned long)m->len);
    le32(h + off + 18, (unsigned long)m->raw);
    le16(h + off + 22, (unsigned)strlen(m->name));
    if (central)
        le32(h + 42, (unsigned long)m->offset);
    return n;
}

static int
write_zip(FILE *out, struct member *m, size_t n)
{
    unsigned char h[46], end[22] = { 0 };
    size_t pos = 0, cd = 0;

    for (size_t i = 0; i < n; i++) {
        m[i].offset = pos;
        pos += 30 + strlen(m[i].name) + m[i].len;
    }
    if (pos > ZIP32_MAX)
        return EW_ETOOBIG;
    for (size_t i = 0; i < n; i++) {
        size_t hl = header(h, &m[i], 0), nl = strlen(m[i].name);
        if (fwrite(h, 1, hl, out) != hl || fwrite(m[i].name, 1, nl, out) != nl ||
            fwrite(m[i].data, 1, m[i].len, out) != m[i].len)
            return EW_EIO;
    }
    for (size_t i = 0; i < n; i++) {
        size_t hl = header(h, &m[i], 1), nl = strlen(m[i].name);
        if (fwrite(h, 1, hl, out) != hl || fwrite(m[i].name, 1, nl, out) != nl)
            return EW_EIO;
        cd += hl + nl;
    }
    le32(end, 0x06054b50);
    le16(end + 8, (unsigned)n);
    le16(end + 10, (unsigned)n);
    le32(end + 12, (unsigned long)cd);
    le32(end + 16, (unsigned long)pos);
    return fwrite(end, 1, sizeof(end), out) == sizeof(end) ? EW_OK : EW_EIO;
}

#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define OOXML_CT "application/vnd.openxmlformats-officedocument.spreadsheetml."
#define OOXML_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

static const char *const parts[][2] = {
    { "[Content_Types].xml",
      XML_DECL "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
      "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package."
      "relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>"
      "<Override PartName=\"/xl/workbook.xml\" ContentType=\"" OOXML_CT "sheet.main+xml\"/>"
      "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"" OOXML_CT
      "worksheet+xml\"/><Override PartName=\"/xl/styles.xml\" ContentType=\"" OOXML_CT
      "styles+xml\"/><Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"" OOXML_CT
      "sharedStrings+xml\"/></Types>" },
    { "_rels/.rels",
      XML_DECL "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
      "relationships\"><Relationship Id=\"rId1\" Type=\"" OOXML_REL "officeDocument\" "
      "Target=\"xl/workbook.xml\"/></Relationships>" },
    { "xl/workbook.xml",
      XML_DECL "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
      "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
      "<sheets><sheet name=\"ledger\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>" },
    { "xl/_rels/workbook.xml.rels",
      XML_DECL "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
      "relationships\"><Relationship Id=\"rId1\" Type=\"" OOXML_REL "worksheet\" "
      "Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"" OOXML_REL
      "styles\" Target=\"styles.xml\"/><Relationship Id=\"rId3\" Type=\"" OOXML_REL
      "sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>" },
    { "xl/styles.xml",
      XML_DECL "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
      "<numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"yyyy\\-mm\\-dd\"/></numFmts>"
      "<fonts count=\"1\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>"
      "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill "
      "patternType=\"gray125\"/></fill></fills><borders count=\"1\"><border><left/><right/>"
      "<top/><bottom/><diagonal/></border></borders><cellStyleXfs count=\"1\"><xf numFmtId=\"0\" "
      "fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs><cellXfs count=\"2\"><xf "
      "numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/><xf numFmtId=\"164\" "
      "fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/></cellXfs>"
      "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/>"
      "</cellStyles></styleSheet>" },
};

/* sharedStrings.xml, deflated into out. */
static int
shared_strings(struct ew__xw *w, struct ew_buf *out, uLong *crc, size_t *raw)
{
    struct ew_buf b;
    z_stream zs;
    int rc;

    ew_buf_init(&b, 0);
    ew_buf_printf(&b, XML_DECL "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/"
                  "2006/main\" count=\"%zu\" uniqueCount=\"%zu\">", w->refs, w->nshared);
    if (w->sst.len > 0)
        ew_buf_add(&b, w->sst.ptr, w->sst.len);
    ew_buf_adds(&b, "</sst>");
    if (b.ptr == NULL || b.len > ZIP32_MAX) {
        ew_buf_fini(&b);
        return b.ptr == NULL ? EW_ENOMEM : EW_ETOOBIG;
    }
    memset(&zs, 0, sizeof(zs));
    if (deflateInit2(&zs, Z_BEST_SPEED, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        ew_buf_fini(&b);
        return EW_ENOMEM;
    }
    rc = deflate_into(&zs, out, b.ptr, b.len, 1);
    *crc = crc32(crc32(0L, Z_NULL, 0), (const Bytef *)b.ptr, (uInt)b.len);
    *raw = b.len;
    deflateEnd(&zs);
    ew_buf_fini(&b);
    return rc;
}

static void
xw_free(struct ew__xw *w)
{
    join(w);
    deflateEnd(&w->zs);
    ew_buf_fini(&w->xml);
    ew_buf_fini(&w->pend);
    ew_buf_fini(&w->zip);
    ew_buf_fini(&w->strs);
    ew_buf_fini(&w->sst);
    free(w->slots);
    free(w);
}

int
ew__xw_close(struct ew__xw *w, int write)
{
    struct member m[EW_ARRAY_LEN(parts) + 2];
    struct ew_buf sst_zip;
    uLong sst_crc = 0;
    size_t sst_raw = 0, n = EW_ARRAY_LEN(parts);
    int rc;

    if (w == NULL)
        return EW_EINVAL;
    if (ew_buf_adds(&w->xml, w->row > 0 ? "</row></sheetData></worksheet>"
                                        : "</sheetData></worksheet>") != EW_OK && !w->err)
        w->err = EW_ENOMEM;
    pump(w, 1);
    join(w);
    rc = w->err != EW_OK ? w->err : w->zerr;
    ew_buf_init(&sst_zip, 0);
    if (rc == EW_OK && write)
        rc = shared_strings(w, &sst_zip, &sst_crc, &sst_raw);
    if (rc == EW_OK && write) {
        for (size_t i = 0; i < n; i++) {
            size_t len = strlen(parts[i][1]);
            m[i] = (struct member){ parts[i][0], parts[i][1], len, len,
                                    crc32(crc32(0L, Z_NULL, 0), (const Bytef *)parts[i][1],
                                          (uInt)len), 0, 0 };
        }
        m[n++] = (struct member){ "xl/sharedStrings.xml", sst_zip.ptr, sst_zip.len, sst_raw,
                                  sst_crc, 1, 0 };
        m[n++] = (struct member){ "xl/worksheets/sheet1.xml", w->zip.ptr, w->zip.len, w->raw,
                                  w->crc, 1, 0 };
        rc = write_zip(w->out, m, n);
    }
    ew_buf_fini(&sst_zip);
    xw_free(w);
    return rc;
}
