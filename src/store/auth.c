/* SPDX-License-Identifier: MIT */
/*
 * The store's front for accounts, sessions, tokens, the audit log and the caller's scope
 * (include/envwatch/auth.h): argument checks once for every backend, secrets and personal
 * data scrubbed out of audit entries before any backend sees them, and the audit chain's
 * hash. No SQL here (sqlite_auth.c has it).
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include <envwatch/auth.h>
#include <envwatch/err.h>

#include "store/auth_internal.h"
#include "store/backend.h"
#include "util/buf.h"
#include "util/privacy.h"

#define BE(s, ctx) ew__store_backend((s), &(ctx))

static int
hash_ok(const char *h)
{
    if (h == NULL || strlen(h) != EW_TOKEN_HASH_LEN)
        return 0;
    for (const char *p = h; *p != '\0'; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return 0;
    return 1;
}

static int
check_user(struct ew_store *s, const struct ew_user *u)
{
    char why[200];

    if (ew_user_check(u, why, sizeof(why)) != EW_OK)
        return ew__store_refuse(s, EW_EINVAL, why);
    return EW_OK;
}

int
ew_store_user_add(struct ew_store *s, struct ew_user *u)
{
    void *ctx;
    int rc;

    if (s == NULL || u == NULL)
        return EW_EINVAL;
    if ((rc = check_user(s, u)) != EW_OK)
        return rc;
    return BE(s, ctx)->user_add(ctx, u);
}

int
ew_store_user_update(struct ew_store *s, const struct ew_user *u)
{
    void *ctx;
    int rc;

    if (s == NULL || u == NULL || u->id <= 0)
        return EW_EINVAL;
    if ((rc = check_user(s, u)) != EW_OK)
        return rc;
    return BE(s, ctx)->user_update(ctx, u);
}

int
ew_store_user_get(struct ew_store *s, const char *name, struct ew_user *out)
{
    void *ctx;

    if (s == NULL || name == NULL || out == NULL)
        return EW_EINVAL;
    return BE(s, ctx)->user_get(ctx, name, 0, out);
}

int
ew_store_user_get_id(struct ew_store *s, int64_t id, struct ew_user *out)
{
    void *ctx;

    if (s == NULL || id <= 0 || out == NULL)
        return EW_EINVAL;
    return BE(s, ctx)->user_get(ctx, NULL, id, out);
}

int
ew_store_user_each(struct ew_store *s, int (*fn)(void *ctx, const struct ew_user *u), void *ctx)
{
    void *bctx;

    if (s == NULL || fn == NULL)
        return EW_EINVAL;
    return BE(s, bctx)->user_each(bctx, fn, ctx);
}

int
ew_store_user_login_failed(struct ew_store *s, int64_t id, int max_failures, int64_t lock_ms,
                           int64_t now_ms, int *locked)
{
    void *ctx;
    int l = 0, rc;

    if (s == NULL || id <= 0 || max_failures < 1 || lock_ms < 0)
        return EW_EINVAL;
    rc = BE(s, ctx)->user_login_failed(ctx, id, max_failures, lock_ms, now_ms, &l);
    if (rc == EW_OK && locked != NULL)
        *locked = l;
    return rc;
}

int
ew_store_user_login_ok(struct ew_store *s, int64_t id)
{
    void *ctx;

    if (s == NULL || id <= 0)
        return EW_EINVAL;
    return BE(s, ctx)->user_login_ok(ctx, id);
}

/* ---- sessions and tokens ------------------------------------------------------------------ */

int
ew_store_session_put(struct ew_store *s, const struct ew_session *ss)
{
    void *ctx;

    if (s == NULL || ss == NULL)
        return EW_EINVAL;
    if (!hash_ok(ss->hash) || ss->user_id <= 0 || ss->expires_ms <= ss->created_ms ||
        strnlen(ss->peer, sizeof(ss->peer)) == sizeof(ss->peer))
        return ew__store_refuse(s, EW_EINVAL, "session: hash, account and expiry required");
    return BE(s, ctx)->session_put(ctx, ss);
}

int
ew_store_session_find(struct ew_store *s, const char *hash, int64_t now_ms,
                      struct ew_session *ss, struct ew_user *u)
{
    void *ctx;

    if (s == NULL || ss == NULL || u == NULL || !hash_ok(hash))
        return EW_EINVAL;
    return BE(s, ctx)->session_find(ctx, hash, now_ms, ss, u);
}

int
ew_store_session_remove(struct ew_store *s, const char *hash)
{
    void *ctx;

    if (s == NULL || !hash_ok(hash))
        return EW_EINVAL;
    return BE(s, ctx)->session_remove(ctx, hash);
}

int
ew_store_session_remove_user(struct ew_store *s, int64_t user_id, int64_t *n)
{
    void *ctx;
    int64_t k = 0;
    int rc;

    if (s == NULL || user_id <= 0)
        return EW_EINVAL;
    rc = BE(s, ctx)->session_remove_user(ctx, user_id, &k);
    if (rc == EW_OK && n != NULL)
        *n = k;
    return rc;
}

int
ew_store_session_prune(struct ew_store *s, int64_t now_ms)
{
    void *ctx;

    if (s == NULL)
        return EW_EINVAL;
    return BE(s, ctx)->session_prune(ctx, now_ms);
}

static int
label_ok(const char *s)
{
    size_t n = strnlen(s, EW_TOKEN_LABEL_MAX + 1);

    if (n > EW_TOKEN_LABEL_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
            return 0;
    return 1;
}

int
ew_store_token_put(struct ew_store *s, struct ew_api_token *t)
{
    void *ctx;

    if (s == NULL || t == NULL)
        return EW_EINVAL;
    if (!hash_ok(t->hash) || t->user_id <= 0 || t->expires_ms <= t->created_ms ||
        !label_ok(t->label) || t->revoked_ms != 0)
        return ew__store_refuse(s, EW_EINVAL, "token: hash, account, a label without control "
                                              "characters and an expiry are required");
    return BE(s, ctx)->token_put(ctx, t);
}

int
ew_store_token_find(struct ew_store *s, const char *hash, int64_t now_ms,
                    struct ew_api_token *t, struct ew_user *u)
{
    void *ctx;

    if (s == NULL || t == NULL || u == NULL || !hash_ok(hash))
        return EW_EINVAL;
    return BE(s, ctx)->token_find(ctx, hash, now_ms, t, u);
}

int
ew_store_token_get(struct ew_store *s, int64_t id, struct ew_api_token *out)
{
    void *ctx;

    if (s == NULL || out == NULL)
        return EW_EINVAL;
    return BE(s, ctx)->token_get(ctx, id, out);
}

int
ew_store_token_each(struct ew_store *s, int64_t user_id,
                    int (*fn)(void *ctx, const struct ew_api_token *t), void *ctx)
{
    void *bctx;

    if (s == NULL || fn == NULL || user_id < 0)
        return EW_EINVAL;
    return BE(s, bctx)->token_each(bctx, user_id, fn, ctx);
}

int
ew_store_token_revoke(struct ew_store *s, int64_t id, int64_t now_ms)
{
    void *ctx;

    if (s == NULL || id <= 0 || now_ms <= 0)
        return EW_EINVAL;
    return BE(s, ctx)->token_revoke(ctx, id, now_ms);
}

/* ---- the audit log -------------------------------------------------------------------------- */

static void
chain_add(crypto_generichash_state *st, const char *s)
{
    unsigned char len[8];
    uint64_t n = s != NULL ? strlen(s) : UINT64_MAX;

    /* Length-prefixed, with NULL distinct from "": no two entries serialise alike. */
    for (int i = 0; i < 8; i++)
        len[i] = (unsigned char)(n >> (8 * i));
    crypto_generichash_update(st, len, sizeof(len));
    if (s != NULL)
        crypto_generichash_update(st, (const unsigned char *)s, strlen(s));
}

void
ew__audit_chain(const char *prev, int64_t id, const struct ew_audit *a, char out[65])
{
    static const char digits[] = "0123456789abcdef";
    crypto_generichash_state st;
    unsigned char h[32];
    char num[48];

    if (sodium_init() < 0) {
        out[0] = '\0';
        return;
    }
    crypto_generichash_init(&st, NULL, 0, sizeof(h));
    snprintf(num, sizeof(num), "%lld:%lld", (long long)id, (long long)a->at_ms);
    chain_add(&st, prev);
    chain_add(&st, num);
    chain_add(&st, a->actor);
    chain_add(&st, a->role);
    chain_add(&st, a->via);
    chain_add(&st, a->peer);
    chain_add(&st, a->action);
    chain_add(&st, a->target);
    chain_add(&st, a->result);
    chain_add(&st, a->before);
    chain_add(&st, a->after);
    chain_add(&st, a->detail);
    crypto_generichash_final(&st, h, sizeof(h));
    for (size_t i = 0; i < sizeof(h); i++) {
        out[2 * i] = digits[h[i] >> 4];
        out[2 * i + 1] = digits[h[i] & 15];
    }
    out[64] = '\0';
}

/* A short text field of an entry: required ones non-empty, every one bounded. */
static int
audit_text_ok(const char *s, int required)
{
    if (s == NULL)
        return !required;
    return (!required || s[0] != '\0') && strnlen(s, EW_AUDIT_TEXT_MAX + 1) <= EW_AUDIT_TEXT_MAX;
}

/* Scrubs one JSON or text field into b (cut at EW_AUDIT_JSON_MAX); NULL stays NULL. */
static const char *
scrub(const char *in, struct ew_buf *b)
{
    size_t n;

    if (in == NULL)
        return NULL;
    n = strnlen(in, EW_AUDIT_JSON_MAX);
    ew_buf_init(b, 4 * EW_AUDIT_JSON_MAX);
    if (ew_privacy_scrub(in, n, 1, b) != EW_OK) {
        ew_buf_reset(b);
        ew_buf_adds(b, "\"(not recorded: could not be scrubbed)\"");
    }
    if (b->ptr == NULL)
        return "";
    if (b->len > EW_AUDIT_JSON_MAX) {
        b->len = EW_AUDIT_JSON_MAX;
        while (b->len > 0 && ((unsigned char)b->ptr[b->len] & 0xC0) == 0x80)
            b->len--;           /* cut on a UTF-8 boundary */
        b->ptr[b->len] = '\0';
    }
    return b->ptr;
}

int
ew_store_audit_put(struct ew_store *s, const struct ew_audit *a, int64_t *id)
{
    struct ew_audit c;
    struct ew_buf before, after, detail;
    char target[EW_AUDIT_TEXT_MAX + 1];
    int64_t got = 0;
    void *ctx;
    int rc;

    if (s == NULL || a == NULL)
        return EW_EINVAL;
    if (!audit_text_ok(a->actor, 1) || !audit_text_ok(a->via, 1) ||
        !audit_text_ok(a->action, 1) || !audit_text_ok(a->result, 1) ||
        !audit_text_ok(a->role, 0) || !audit_text_ok(a->peer, 0) || !audit_text_ok(a->target, 0))
        return ew__store_refuse(s, EW_EINVAL, "audit: actor, via, action and result are "
                                              "required, short texts");
    c = *a;
    c.role = a->role != NULL ? a->role : "";
    c.peer = a->peer != NULL ? a->peer : "";
    snprintf(target, sizeof(target), "%s", a->target != NULL ? a->target : "");
    ew_privacy_mask_secrets_text(target);
    c.target = target;
    c.before = scrub(a->before, &before);
    c.after = scrub(a->after, &after);
    c.detail = scrub(a->detail, &detail);
    rc = BE(s, ctx)->audit_put(ctx, &c, &got);
    if (a->before != NULL)
        ew_buf_fini(&before);
    if (a->after != NULL)
        ew_buf_fini(&after);
    if (a->detail != NULL)
        ew_buf_fini(&detail);
    if (rc == EW_OK && id != NULL)
        *id = got;
    return rc;
}

int
ew_store_audit_each(struct ew_store *s, const struct ew_audit_query *q,
                    int (*fn)(void *ctx, const struct ew_audit *a), void *ctx)
{
    void *bctx;

    if (s == NULL || q == NULL || fn == NULL)
        return EW_EINVAL;
    return BE(s, bctx)->audit_each(bctx, q, fn, ctx);
}

int
ew_store_audit_verify(struct ew_store *s, int64_t *rows, int64_t *bad_id)
{
    void *ctx;
    int64_t n = 0, bad = 0;
    int rc;

    if (s == NULL)
        return EW_EINVAL;
    rc = BE(s, ctx)->audit_verify(ctx, &n, &bad);
    if (rows != NULL && rc == EW_OK)
        *rows = n;
    if (bad_id != NULL && rc == EW_EFORMAT)
        *bad_id = bad;
    return rc;
}

/* ---- the caller's scope ------------------------------------------------------------------------- */

int
ew_store_scope_set(struct ew_store *s, const struct ew_store_scope *sc)
{
    struct ew__scope **slot, *n = NULL;
    int rc;

    if (s == NULL)
        return EW_EINVAL;
    if (sc != NULL && (rc = ew__scope_create(sc, &n)) != EW_OK)
        return rc;
    slot = ew__store_scope_slot(s);
    ew__scope_free(*slot);
    *slot = n;
    return EW_OK;
}

/* An evidence file is named by its content only: whether the caller may have it is whether
 * an item in its scope holds that content (docs/security.md, "the authorisation table"). */
int
ew_store_ledger_file_find(struct ew_store *s, const char *sha256, struct ew_ledger_file *out)
{
    const struct ew_store_backend *be;
    void *ctx;

    if (s == NULL || out == NULL || sha256 == NULL || strlen(sha256) != 64 ||
        strspn(sha256, "0123456789abcdef") != 64)
        return EW_EINVAL;
    be = BE(s, ctx);
    return ew__scope_ledger_file_find(*ew__store_scope_slot(s), be, ctx, sha256, out);
}
