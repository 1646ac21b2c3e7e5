/* SPDX-License-Identifier: MIT */
/*
 * Evidence files (整改佐证, case evidence): kept on disk beside the database, named by the
 * SHA-256 of their content so a file uploaded twice is stored once and can never be changed
 * after the fact (the raw evidence argument of DESIGN.md applies to documents too). The type
 * is decided from the first bytes, never from the name a user chose.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include <envwatch/err.h>
#include <envwatch/ledger.h>

#include "ledger/internal.h"

static int
starts(const unsigned char *d, size_t len, const void *magic, size_t n)
{
    return len >= n && memcmp(d, magic, n) == 0;
}

static int
ends_with(const char *name, const char *ext)
{
    size_t n = name != NULL ? strlen(name) : 0, e = strlen(ext);

    return n >= e && strcasecmp(name + n - e, ext) == 0;
}

/* UTF-8 text without NUL or control characters other than tab, CR, LF, form feed. */
static int
is_text(const unsigned char *d, size_t len)
{
    size_t i = 0;

    while (i < len) {
        unsigned char c = d[i];
        size_t need = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2
                    : (c & 0xF8) == 0xF0 ? 3 : 9;
        if (need == 9 || (c < 0x20 && c != '\t' && c != '\r' && c != '\n' && c != '\f'))
            return 0;
        if (i + need >= len + (need == 0))
            return need == 0;
        for (size_t k = 1; k <= need; k++)
            if (i + k >= len || (d[i + k] & 0xC0) != 0x80)
                return 0;
        i += need + 1;
    }
    return len > 0;
}

int
ew_ledger_file_type(const void *data, size_t len, const char *name, const char **mime)
{
    const unsigned char *d = data;

    if (data == NULL || mime == NULL || len == 0)
        return EW_EINVAL;
    if (starts(d, len, "%PDF-", 5))
        *mime = "application/pdf";
    else if (starts(d, len, "\xFF\xD8\xFF", 3))
        *mime = "image/jpeg";
    else if (starts(d, len, "\x89PNG\r\n\x1A\n", 8))
        *mime = "image/png";
    else if (starts(d, len, "PK\x03\x04", 4) && ends_with(name, ".docx"))
        *mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    else if (starts(d, len, "PK\x03\x04", 4) && ends_with(name, ".xlsx"))
        *mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    else if (starts(d, len, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) && ends_with(name, ".doc"))
        *mime = "application/msword";
    else if (starts(d, len, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) && ends_with(name, ".xls"))
        *mime = "application/vnd.ms-excel";
    else if (is_text(d, len))
        *mime = "text/plain; charset=utf-8";
    else
        return EW_EFORMAT;
    return EW_OK;
}

static void
sha256_hex(const void *data, size_t len, char hex[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];

    crypto_hash_sha256(h, data, len);
    sodium_bin2hex(hex, 65, h, sizeof(h));
}

static int
mkdir_one(const char *path)
{
    return mkdir(path, 0750) == 0 || errno == EEXIST ? 0 : -1;
}

/* Writes data to path through a temporary name, so a reader never sees half a file. */
static int
write_atomic(const char *path, const void *data, size_t len)
{
    char tmp[4200];
    const char *p = data;
    int fd, ok = 1;

    snprintf(tmp, sizeof(tmp), "%s.tmp%ld", path, (long)getpid());
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0)
        return EW_EIO;
    while (len > 0 && ok) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        ok = n > 0;
        if (ok) {
            p += n;
            len -= (size_t)n;
        }
    }
    ok = ok && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return EW_EIO;
    }
    return EW_OK;
}

int
ew_ledger_file_path(struct ew_store *s, const char *sha256, char *out, size_t len)
{
    char dir[4096];
    int rc, n;

    if (sha256 == NULL || strlen(sha256) != 64 || strspn(sha256, "0123456789abcdef") != 64)
        return EW_EINVAL;
    if ((rc = ew_store_ledger_dir(s, dir, sizeof(dir))) != EW_OK)
        return rc;
    n = snprintf(out, len, "%s/%.2s/%s", dir, sha256, sha256);
    return n < 0 || (size_t)n >= len ? EW_ETOOBIG : EW_OK;
}

/* Stores the content once: DIR/ab/abcdef... */
static int
store_content(struct ew_store *s, const void *data, size_t len, const char *hex)
{
    char dir[4096], sub[4200], path[4200];
    struct stat st;
    int rc;

    if ((rc = ew_store_ledger_dir(s, dir, sizeof(dir))) != EW_OK)
        return rc;
    snprintf(sub, sizeof(sub), "%s/%.2s", dir, hex);
    if ((rc = ew_ledger_file_path(s, hex, path, sizeof(path))) != EW_OK)
        return rc;
    if (stat(path, &st) == 0 && (size_t)st.st_size == len)
        return EW_OK;
    if (mkdir_one(dir) != 0 || mkdir_one(sub) != 0)
        return EW_EIO;
    return write_atomic(path, data, len);
}

int
ew_ledger_attach(struct ew_store *s, int64_t id, const struct ew_ledger_actor *who,
                 const char *name, const void *data, size_t len, int64_t now_unix_s,
                 const struct ew_ledger_rules *rules, struct ew_ledger_file *out, char *why,
                 size_t wlen)
{
    struct ew_ledger_file f = { .item_id = id, .size = (int64_t)len, .at_ms = now_unix_s * 1000 };
    struct ew_ledger_item it;
    struct ew_ledger_event ev;
    const char *mime;
    int rc;

    if (s == NULL || who == NULL || who->name == NULL || who->name[0] == '\0' ||
        !ew_ledger_role_valid(who->role))
        return ew__ledger_say(why, wlen, EW_EINVAL, "an actor with a name and role is needed");
    if (strcmp(who->role, "public") == 0 || strcmp(who->role, "system") == 0)
        return ew__ledger_say(why, wlen, EW_EDENIED, "the role '%s' may not attach evidence",
                              who->role);
    if (name == NULL || name[0] == '\0' || strlen(name) >= sizeof(f.name) ||
        strchr(name, '/') != NULL)
        return ew__ledger_say(why, wlen, EW_EINVAL, "a file name of 1-127 bytes without '/'");
    if (len > ew__ledger_rules(rules)->file_max_bytes)
        return ew__ledger_say(why, wlen, EW_ETOOBIG, "the file is larger than %zu bytes",
                              ew__ledger_rules(rules)->file_max_bytes);
    if ((rc = ew_ledger_file_type(data, len, name, &mime)) != EW_OK)
        return ew__ledger_say(why, wlen, EW_EFORMAT, "'%s' is not a PDF, JPEG, PNG, Word, "
                              "Excel or UTF-8 text file", name);
    if ((rc = ew_store_ledger_item_get(s, id, &it)) != EW_OK)
        return ew__ledger_say(why, wlen, rc, "no ledger item %lld", (long long)id);
    sha256_hex(data, len, f.sha256);
    ew__ledger_copy(f.name, sizeof(f.name), name);
    ew__ledger_copy(f.mime, sizeof(f.mime), mime);
    ew__ledger_copy(f.actor, sizeof(f.actor), who->name);
    if ((rc = store_content(s, data, len, f.sha256)) != EW_OK)
        return ew__ledger_say(why, wlen, rc, "cannot write the evidence file: %s",
                              strerror(errno));
    if ((rc = ew_store_ledger_file_add(s, &f)) != EW_OK)
        return ew__ledger_say(why, wlen, rc, "%s", ew_store_errmsg(s));
    ew__ledger_event_init(&ev, who, "attach", now_unix_s);
    ev.item_id = id;
    ev.from_state = ev.to_state = it.state;
    snprintf(ev.note, sizeof(ev.note), "%s (%s, %zu bytes, sha256 %s)", f.name, mime, len,
             f.sha256);
    if ((rc = ew_store_ledger_event_add(s, &ev)) != EW_OK)
        return ew__ledger_say(why, wlen, rc, "%s", ew_store_errmsg(s));
    if (out != NULL)
        *out = f;
    return EW_OK;
}
