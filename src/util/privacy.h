/* SPDX-License-Identifier: MIT */
/*
 * Masking of secrets and personal data, for everything that leaves the store as a log, an
 * export or an audit entry (docs/security.md "Privacy"). Secrets (passwords, tokens, HJ 212
 * PW, password hashes) become "***"; personal data is shortened to what identifies nobody: a
 * complainant's name keeps its first character ("张**"), a mobile number its first three and
 * last four digits ("138****5678"), an identity-card number its first six and last four.
 * Pure functions; thread-safe.
 */
#ifndef EW_UTIL_PRIVACY_H
#define EW_UTIL_PRIVACY_H

#include <stddef.h>

#include "util/buf.h"

/* 1 when a JSON key or option name (without leading dashes) names a secret: password, pw,
 * newpw, passwd, pwhash, token, secret, cookie, authorization, csrf, api_key (any case, also
 * as a suffix such as "new_password" or "x-csrf-token"). */
int ew_privacy_secret_key(const char *key, size_t len);
/* 1 when a key names personal data of a complainant ("complainant", "complainant_phone" ...,
 * any case). */
int ew_privacy_personal_key(const char *key, size_t len);

/* Masks in place, in s[0..strlen): mainland mobile numbers (11 digits, 1[3-9]...), identity-
 * card numbers (17 digits and a digit or X), e-mail local parts, envwatch tokens (ews_/ewt_)
 * and Argon2 hashes. Other text is unchanged; the length never grows. */
void ew_privacy_mask_text(char *s);
/* Masks a person's name in place: the first character stays, the others become '*'. */
void ew_privacy_mask_name(char *s);
/* Masks in place the values that follow a secret's name in free text: "PW=123456;",
 * "--password abc", "token: ..." (up to the next ; & , space or quote). */
void ew_privacy_mask_secrets_text(char *s);

/*
 * Appends a scrubbed copy of text[0..len) to out: when it is JSON, values under secret keys
 * become "***", values under personal keys are masked (when mask_personal), and every string
 * is masked with ew_privacy_mask_text; when it is not JSON, the text is masked with
 * ew_privacy_mask_secrets_text and ew_privacy_mask_text. EW_OK, EW_ENOMEM, EW_ETOOBIG (out's
 * limit).
 */
int ew_privacy_scrub(const char *text, size_t len, int mask_personal, struct ew_buf *out);

#endif
