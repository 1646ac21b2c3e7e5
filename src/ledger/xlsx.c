/* SPDX-License-Identifier: MIT */
/*
 * Reading the first worksheet of an .xlsx workbook, for ledger import. No C library in
 * Debian 12 reads .xlsx (libxlsxwriter only writes; freexl reads .xls), so this file reads
 * what bureau ledgers hold and nothing more: the zip container (stored or deflated members,
 * inflated with zlib, which libxlsxwriter already links), the shared strings, the cell
 * styles (to tell dates from numbers) and the cells of the first sheet. Formulas are read as
 * their cached values; rich text is read as plain text.
 *
 * The input is untrusted: every offset is checked against the buffer, inflated sizes are
 * capped, and the sheet's size is bounded (EW__SHEET_MAX_*).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include <envwatch/err.h>

#include "ledger/internal.h"
#include "util/buf.h"
#include "util/time.h"

#define MEMBER_MAX (64u << 20)          /* largest inflated member (a sheet of 200k rows) */

struct zip {
    const unsigned char *p;
    size_t len;
    size_t cd_off, cd_n;
};

static uint32_t
rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t
rd16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static int
zip_open(const void *data, size_t len, struct zip *z)
{
    const unsigned char *p = data;

    if (len < 22)
        return EW_EFORMAT;
    /* The end record sits in the last 22 + 65535 (comment) bytes. */
    for (size_t i = len - 22 + 1; i-- > 0 && len - i <= 22 + 65535;) {
        if (rd32(p + i) != 0x06054b50)
            continue;
        z->p = p;
        z->len = len;
        z->cd_n = rd16(p + i + 10);
        z->cd_off = rd32(p + i + 16);
        return z->cd_off < len ? EW_OK : EW_EFORMAT;
    }
    return EW_EFORMAT;
}

static int
inflate_raw(const unsigned char *src, size_t n, size_t want, char **out, size_t *out_len)
{
    z_stream zs;
    char *buf;
    int rc;

    if (want > MEMBER_MAX)
        return EW_ETOOBIG;
    buf = malloc(want + 1);
    if (buf == NULL)
        return EW_ENOMEM;
    memset(&zs, 0, sizeof(zs));
    if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) {
        free(buf);
        return EW_ENOMEM;
    }
    zs.next_in = (unsigned char *)src;
    zs.avail_in = (uInt)n;
    zs.next_out = (unsigned char *)buf;
    zs.avail_out = (uInt)want;
    rc = inflate(&zs, Z_FINISH);
    inflateEnd(&zs);
    if (rc != Z_STREAM_END || zs.total_out != want) {
        free(buf);
        return EW_EFORMAT;
    }
    buf[want] = '\0';
    *out = buf;
    *out_len = want;
    return EW_OK;
}

/* The member called name, inflated and NUL-terminated; EW_ENOTFOUND when absent. */
static int
zip_read(const struct zip *z, const char *name, char **out, size_t *out_len)
{
    size_t off = z->cd_off, nlen = strlen(name);

    for (size_t i = 0; i < z->cd_n; i++) {
        if (off + 46 > z->len || rd32(z->p + off) != 0x02014b50)
            return EW_EFORMAT;
        const unsigned char *h = z->p + off;
        size_t fn = rd16(h + 28), ex = rd16(h + 30), cm = rd16(h + 32);
        size_t csize = rd32(h + 20), usize = rd32(h + 24), loc = rd32(h + 42);
        int method = rd16(h + 10);
        if (off + 46 + fn > z->len)
            return EW_EFORMAT;
        if (fn == nlen && memcmp(h + 46, name, nlen) == 0) {
            if (loc + 30 > z->len || rd32(z->p + loc) != 0x04034b50)
                return EW_EFORMAT;
            size_t start = loc + 30 + rd16(z->p + loc + 26) + rd16(z->p + loc + 28);
            if (start > z->len || csize > z->len - start)
                return EW_EFORMAT;
            if (method == 8)
                return inflate_raw(z->p + start, csize, usize, out, out_len);
            if (method != 0 || csize != usize || usize > MEMBER_MAX)
                return EW_EFORMAT;
            if ((*out = malloc(usize + 1)) == NULL)
                return EW_ENOMEM;
            memcpy(*out, z->p + start, usize);
            (*out)[usize] = '\0';
            *out_len = usize;
            return EW_OK;
        }
        off += 46 + fn + ex + cm;
    }
    return EW_ENOTFOUND;
}

/* ---- a minimal XML scanner: tags, attributes and entity-decoded text ------------------ */

struct tag {
    const char *name;
    size_t      name_len;
    const char *attrs, *attrs_end;
    int         closing, empty;
};

/* The next tag at or after *p (comments, declarations and processing instructions skipped).
 * Text before it is [*text, tag start). Returns 0 at the end of input. */
static int
next_tag(const char **p, const char *end, struct tag *t, const char **text, size_t *text_len)
{
    const char *s = *p, *lt, *gt;

    for (;;) {
        lt = memchr(s, '<', (size_t)(end - s));
        if (lt == NULL)
            return 0;
        if (end - lt >= 4 && memcmp(lt, "<!--", 4) == 0) {
            const char *c = strstr(lt, "-->");
            if (c == NULL)
                return 0;
            s = c + 3;
            continue;
        }
        gt = memchr(lt, '>', (size_t)(end - lt));
        if (gt == NULL)
            return 0;
        if (lt[1] == '?' || lt[1] == '!') {
            s = gt + 1;
            continue;
        }
        break;
    }
    *text = *p;
    *text_len = (size_t)(lt - *p);
    t->closing = lt[1] == '/';
    t->name = lt + 1 + t->closing;
    t->name_len = strcspn(t->name, " \t\r\n/>");
    if (t->name + t->name_len > gt)
        t->name_len = (size_t)(gt - t->name);
    t->attrs = t->name + t->name_len;
    t->empty = gt > lt && gt[-1] == '/';
    t->attrs_end = gt - t->empty;
    *p = gt + 1;
    return 1;
}

/* The local name (after any "x:" prefix) equals want. */
static int
is(const struct tag *t, const char *want)
{
    const char *colon = memchr(t->name, ':', t->name_len);
    const char *n = colon != NULL ? colon + 1 : t->name;
    size_t len = t->name_len - (size_t)(n - t->name);

    return len == strlen(want) && memcmp(n, want, len) == 0;
}

/* Appends text with the five XML entities and numeric references decoded. */
static int
add_text(struct ew_buf *b, const char *s, size_t n)
{
    static const struct {
        const char *ent, *ch;
    } ents[] = { { "amp;", "&" }, { "lt;", "<" }, { "gt;", ">" }, { "quot;", "\"" },
                 { "apos;", "'" } };

    for (size_t i = 0; i < n; i++) {
        if (s[i] != '&') {
            ew_buf_addc(b, s[i]);
            continue;
        }
        size_t k;
        for (k = 0; k < EW_ARRAY_LEN(ents); k++) {
            size_t el = strlen(ents[k].ent);
            if (i + 1 + el <= n && memcmp(s + i + 1, ents[k].ent, el) == 0) {
                ew_buf_adds(b, ents[k].ch);
                i += el;
                break;
            }
        }
        if (k < EW_ARRAY_LEN(ents))
            continue;
        if (i + 2 < n && s[i + 1] == '#') {
            char *e;
            int hex = s[i + 2] == 'x';
            unsigned long cp = strtoul(s + i + 2 + hex, &e, hex ? 16 : 10);
            if (e < s + n && *e == ';' && cp > 0 && cp <= 0x10FFFF) {
                char u[4];
                size_t ul = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
                if (ul == 1) {
                    u[0] = (char)cp;
                } else {
                    u[0] = (char)((ul == 2 ? 0xC0 : ul == 3 ? 0xE0 : 0xF0) | cp >> (6 * (ul - 1)));
                    for (size_t j = 1; j < ul; j++)
                        u[j] = (char)(0x80 | ((cp >> (6 * (ul - 1 - j))) & 0x3F));
                }
                ew_buf_add(b, u, ul);
                i = (size_t)(e - s);
                continue;
            }
        }
        ew_buf_addc(b, '&');
    }
    return b->ptr != NULL ? EW_OK : EW_ENOMEM;
}

/* Attribute name="value" of a tag, entity-decoded into out[len]; 0 when absent. */
static int
attr(const struct tag *t, const char *name, char *out, size_t len)
{
    size_t nl = strlen(name);

    for (const char *a = t->attrs; a + nl + 2 < t->attrs_end; a++) {
        if ((a == t->attrs || a[-1] == ' ' || a[-1] == '\t' || a[-1] == '\n' ||
             a[-1] == '\r') && memcmp(a, name, nl) == 0 && a[nl] == '=' &&
            (a[nl + 1] == '"' || a[nl + 1] == '\'')) {
            const char *v = a + nl + 2, *q = memchr(v, a[nl + 1], (size_t)(t->attrs_end - v));
            struct ew_buf b;
            if (q == NULL)
                return 0;
            ew_buf_init(&b, len > 1 ? len - 1 : 1);
            add_text(&b, v, (size_t)(q - v));
            ew__ledger_copy(out, len, b.ptr != NULL ? b.ptr : "");
            ew_buf_fini(&b);
            return 1;
        }
    }
    return 0;
}

/* ---- shared strings and styles ------------------------------------------------------------- */

struct strs {
    char  **v;
    size_t  n, cap;
};

static void
strs_free(struct strs *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
}

static int
strs_add(struct strs *s, const char *text)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        char **v = realloc(s->v, cap * sizeof(*v));
        if (v == NULL)
            return EW_ENOMEM;
        s->v = v;
        s->cap = cap;
    }
    if ((s->v[s->n] = strdup(text)) == NULL)
        return EW_ENOMEM;
    s->n++;
    return EW_OK;
}

/* <si> holds <t> directly or runs <r><t>; phonetic runs <rPh> are not part of the text. */
static int
read_shared(const char *xml, size_t len, struct strs *out)
{
    const char *p = xml, *end = xml + len, *text;
    struct ew_buf b;
    struct tag t;
    size_t tl;
    int in_t = 0, in_ph = 0, rc = EW_OK;

    ew_buf_init(&b, EW__SHEET_MAX_CELL);
    while (rc == EW_OK && next_tag(&p, end, &t, &text, &tl)) {
        if (in_t && !in_ph && add_text(&b, text, tl) != EW_OK)
            rc = EW_ETOOBIG;
        if (is(&t, "si") && !t.closing) {
            ew_buf_reset(&b);
        } else if (is(&t, "si") && t.closing) {
            rc = strs_add(out, b.ptr != NULL ? b.ptr : "");
        } else if (is(&t, "rPh")) {
            in_ph = !t.closing && !t.empty;
        } else if (is(&t, "t")) {
            in_t = !t.closing && !t.empty;
        }
    }
    ew_buf_fini(&b);
    return rc;
}

/* Built-in number formats that are dates (ECMA-376 part 1, 18.8.30, and the CJK ones). */
static int
builtin_date(int id)
{
    return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
           (id >= 50 && id <= 58);
}

/* A custom format is a date when it has y, m-with-d, or d outside quotes and brackets. */
static int
custom_date(const char *code)
{
    int q = 0, br = 0;

    for (const char *c = code; *c != '\0'; c++) {
        if (*c == '"')
            q = !q;
        else if (!q && *c == '[')
            br = 1;
        else if (!q && *c == ']')
            br = 0;
        else if (!q && !br && (*c == 'y' || *c == 'Y' || *c == 'd' || *c == 'D'))
            return 1;
    }
    return 0;
}

struct styles {
    unsigned char date[4096];           /* cellXfs index -> 1 when a date format */
    int custom_ids[256];
    unsigned char custom_is_date[256];
    size_t n_custom;
};

static void
read_styles(const char *xml, size_t len, struct styles *st)
{
    const char *p = xml, *end = xml + len, *text;
    struct tag t;
    size_t tl, xf = 0;
    int in_xfs = 0;
    char v[256];

    while (next_tag(&p, end, &t, &text, &tl)) {
        if (is(&t, "numFmt") && !t.closing && st->n_custom < EW_ARRAY_LEN(st->custom_ids) &&
            attr(&t, "numFmtId", v, sizeof(v))) {
            st->custom_ids[st->n_custom] = (int)strtol(v, NULL, 10) & 0xFFFF;
            st->custom_is_date[st->n_custom] = attr(&t, "formatCode", v, sizeof(v)) &&
                                               custom_date(v);
            st->n_custom++;
        } else if (is(&t, "cellXfs")) {
            in_xfs = !t.closing;
        } else if (in_xfs && is(&t, "xf") && !t.closing && xf < sizeof(st->date)) {
            int id = attr(&t, "numFmtId", v, sizeof(v)) ? (int)strtol(v, NULL, 10) : 0;
            int date = builtin_date(id);
            for (size_t i = 0; i < st->n_custom; i++)
                if (st->custom_ids[i] == id)
                    date = st->custom_is_date[i];
            st->date[xf++] = (unsigned char)date;
        }
    }
}

/* ---- the sheet ------------------------------------------------------------------------------ */

struct cellv {
    size_t row, col;
    char  *text;
};

struct cells {
    struct cellv *v;
    size_t n, cap, max_row, max_col;
};

/* "BC12" -> column 54 (0-based) and row 12 (1-based). */
static int
parse_ref(const char *ref, size_t *row, size_t *col)
{
    size_t c = 0, r = 0;
    const char *p = ref;

    for (; *p >= 'A' && *p <= 'Z'; p++)
        c = c * 26 + (size_t)(*p - 'A' + 1);
    for (; *p >= '0' && *p <= '9' && r < 10000000; p++)
        r = r * 10 + (size_t)(*p - '0');
    if (c == 0 || r == 0 || *p != '\0')
        return -1;
    *row = r;
    *col = c - 1;
    return 0;
}

/* Excel's serial day number (1900 system, day 0 = 1899-12-30) as ISO text. */
static void
serial_to_text(double v, char *out, size_t len)
{
    int64_t days = (int64_t)floor(v);
    double frac = v - (double)days;
    int y, m, d, mins = (int)lround(frac * 1440.0);

    ew_civil_from_days(days + ew_days_from_civil(1899, 12, 30), &y, &m, &d);
    if (mins == 0 || mins == 1440)
        snprintf(out, len, "%04d-%02d-%02d", y, m, d);
    else
        snprintf(out, len, "%04d-%02d-%02d %02d:%02d", y, m, d, mins / 60, mins % 60);
}

static int
cells_add(struct cells *cs, size_t row, size_t col, const char *text)
{
    if (text[0] == '\0')
        return EW_OK;
    if (row > EW__SHEET_MAX_ROWS + 1 || col >= EW__SHEET_MAX_COLS)
        return EW_ETOOBIG;
    if (cs->n == cs->cap) {
        size_t cap = cs->cap ? cs->cap * 2 : 1024;
        struct cellv *v = realloc(cs->v, cap * sizeof(*v));
        if (v == NULL)
            return EW_ENOMEM;
        cs->v = v;
        cs->cap = cap;
    }
    if ((cs->v[cs->n].text = strdup(text)) == NULL)
        return EW_ENOMEM;
    cs->v[cs->n].row = row;
    cs->v[cs->n].col = col;
    cs->n++;
    if (row > cs->max_row)
        cs->max_row = row;
    if (col + 1 > cs->max_col)
        cs->max_col = col + 1;
    return EW_OK;
}

/* The text of one cell from its type, style and raw value. */
static void
cell_text(const char *type, int style, const char *raw, const struct strs *ss,
          const struct styles *st, char *out, size_t len)
{
    char *e;

    out[0] = '\0';
    if (strcmp(type, "s") == 0) {
        unsigned long i = strtoul(raw, &e, 10);
        if (e != raw && i < ss->n)
            ew__ledger_copy(out, len, ss->v[i]);
    } else if (strcmp(type, "b") == 0) {
        ew__ledger_copy(out, len, strcmp(raw, "1") == 0 ? "TRUE" : "FALSE");
    } else if (strcmp(type, "n") == 0 || type[0] == '\0') {
        double v = strtod(raw, &e);
        if (e == raw)
            return;
        if (style >= 0 && (size_t)style < sizeof(st->date) && st->date[style] && v >= 1 &&
            v < 2958466)
            serial_to_text(v, out, len);
        else
            snprintf(out, len, "%.15g", v);
    } else {                            /* str (formula text), inlineStr, e (error) */
        ew__ledger_copy(out, len, raw);
    }
}

static int
read_sheet(const char *xml, size_t len, const struct strs *ss, const struct styles *st,
           struct cells *cs)
{
    const char *p = xml, *end = xml + len, *text;
    char ref[16] = "", type[16] = "", sv[16], cellbuf[EW__SHEET_MAX_CELL];
    struct ew_buf val;
    struct tag t;
    size_t tl, row = 0, col = 0, next_col = 0, cur_row = 0;
    int in_v = 0, in_c = 0, style = -1, rc = EW_OK;

    ew_buf_init(&val, EW__SHEET_MAX_CELL);
    while (rc == EW_OK && next_tag(&p, end, &t, &text, &tl)) {
        if (in_v && add_text(&val, text, tl) != EW_OK)
            rc = EW_ETOOBIG;
        if (is(&t, "row") && !t.closing) {
            char rn[16];
            cur_row = attr(&t, "r", rn, sizeof(rn)) ? strtoul(rn, NULL, 10) : cur_row + 1;
            next_col = 0;
        } else if (is(&t, "c") && !t.closing) {
            if (!attr(&t, "r", ref, sizeof(ref)) || parse_ref(ref, &row, &col) != 0) {
                row = cur_row;
                col = next_col;
            }
            next_col = col + 1;
            if (!attr(&t, "t", type, sizeof(type)))
                type[0] = '\0';
            style = attr(&t, "s", sv, sizeof(sv)) ? (int)strtol(sv, NULL, 10) : -1;
            ew_buf_reset(&val);
            in_c = !t.empty;
        } else if (is(&t, "c") && t.closing && in_c) {
            cell_text(type, style, val.ptr != NULL ? val.ptr : "", ss, st, cellbuf,
                      sizeof(cellbuf));
            rc = cells_add(cs, row, col, cellbuf);
            in_c = 0;
        } else if (in_c && (is(&t, "v") || is(&t, "t"))) {
            in_v = !t.closing && !t.empty;
        }
    }
    ew_buf_fini(&val);
    return rc;
}

/* The first sheet's member name: workbook.xml's first <sheet> through workbook.xml.rels. */
static void
first_sheet(const struct zip *z, char *out, size_t len)
{
    char *wb = NULL, *rels = NULL, rid[64] = "", id[64], target[256];
    size_t n, tl;
    const char *p, *text;
    struct tag t;

    snprintf(out, len, "xl/worksheets/sheet1.xml");
    if (zip_read(z, "xl/workbook.xml", &wb, &n) != EW_OK)
        return;
    for (p = wb; next_tag(&p, wb + n, &t, &text, &tl);)
        if (is(&t, "sheet") && !t.closing && attr(&t, "r:id", rid, sizeof(rid)))
            break;
    if (rid[0] != '\0' && zip_read(z, "xl/_rels/workbook.xml.rels", &rels, &n) == EW_OK) {
        for (p = rels; next_tag(&p, rels + n, &t, &text, &tl);) {
            if (!is(&t, "Relationship") || !attr(&t, "Id", id, sizeof(id)) ||
                strcmp(id, rid) != 0 || !attr(&t, "Target", target, sizeof(target)))
                continue;
            if (target[0] == '/')
                snprintf(out, len, "%s", target + 1);
            else
                snprintf(out, len, "xl/%s", target);
            break;
        }
    }
    free(wb);
    free(rels);
}

static int
to_sheet(struct cells *cs, struct ew__sheet *out)
{
    size_t first = SIZE_MAX, rows;

    for (size_t i = 0; i < cs->n; i++)
        if (cs->v[i].row < first)
            first = cs->v[i].row;
    if (cs->n == 0)
        return EW_ENODATA;
    rows = cs->max_row - first + 1;
    out->rows = rows;
    out->cols = cs->max_col;
    out->cell = calloc(rows * out->cols, sizeof(*out->cell));
    out->line = calloc(rows, sizeof(*out->line));
    if (out->cell == NULL || out->line == NULL)
        return EW_ENOMEM;
    for (size_t r = 0; r < rows; r++)
        out->line[r] = first + r;
    for (size_t i = 0; i < cs->n; i++) {
        size_t at = (cs->v[i].row - first) * out->cols + cs->v[i].col;
        free(out->cell[at]);
        out->cell[at] = cs->v[i].text;
        cs->v[i].text = NULL;
    }
    return EW_OK;
}

int
ew__sheet_xlsx(const void *data, size_t len, struct ew__sheet *out, char *why, size_t wlen)
{
    struct zip z;
    struct strs ss = { 0 };
    struct styles *st = calloc(1, sizeof(*st));
    struct cells cs = { 0 };
    char *xml = NULL, name[300];
    size_t n;
    int rc;

    memset(out, 0, sizeof(*out));
    if (st == NULL)
        return EW_ENOMEM;
    if ((rc = zip_open(data, len, &z)) != EW_OK) {
        free(st);
        return ew__ledger_say(why, wlen, rc, "not an .xlsx workbook (no zip directory)");
    }
    if ((rc = zip_read(&z, "xl/sharedStrings.xml", &xml, &n)) == EW_OK)
        rc = read_shared(xml, n, &ss);
    free(xml);
    xml = NULL;
    if (rc == EW_OK || rc == EW_ENOTFOUND) {
        if (zip_read(&z, "xl/styles.xml", &xml, &n) == EW_OK)
            read_styles(xml, n, st);
        free(xml);
        xml = NULL;
        first_sheet(&z, name, sizeof(name));
        rc = zip_read(&z, name, &xml, &n);
        if (rc == EW_OK)
            rc = read_sheet(xml, n, &ss, st, &cs);
        else if (rc == EW_ENOTFOUND)
            rc = EW_EFORMAT;
        free(xml);
    }
    if (rc == EW_OK)
        rc = to_sheet(&cs, out);
    for (size_t i = 0; i < cs.n; i++)
        free(cs.v[i].text);
    free(cs.v);
    strs_free(&ss);
    free(st);
    if (rc != EW_OK) {
        ew__sheet_free(out);
        return ew__ledger_say(why, wlen, rc, rc == EW_ENODATA ? "the first sheet is empty"
                              : rc == EW_ETOOBIG ? "the sheet is larger than the import limits"
                              : "the workbook cannot be read (damaged or not .xlsx)");
    }
    return EW_OK;
}
