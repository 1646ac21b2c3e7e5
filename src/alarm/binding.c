/* SPDX-License-Identifier: MIT */
/*
 * How a registered outlet is bound to the standard table: the registry keeps the binding in
 * the point's extra attributes (data/README.md: profile, tier, cond, limits, o2_ref, basis,
 * range). A point that names a profile is judged by the table, its own `limits` acting as
 * permit values that can only tighten (docs/sources.md); a point without a profile by its
 * `limits` alone, on the averaging period of its kind.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include <envwatch/err.h>

#include "alarm/internal.h"
#include "util/codelist.h"
#include "util/compliance_io.h"

static const char *const judged_kinds[] = { "flue", "wastewater", "sewage", "dust", "fume",
                                            "water" };

int
al_kind_judged(const char *kind)
{
    for (size_t i = 0; i < EW_ARRAY_LEN(judged_kinds); i++)
        if (strcmp(kind, judged_kinds[i]) == 0)
            return 1;
    return 0;
}

int
al_kind_averaging(const char *kind)
{
    /* GB 18918-2002 §4.1.4 and the wastewater standards judge daily means; stacks, dust
     * monitors and surface-water stations are judged per hourly record. */
    return strcmp(kind, "wastewater") == 0 || strcmp(kind, "sewage") == 0 ? EW_AVG_DAY
                                                                          : EW_AVG_HOUR;
}

static void
copy_str(const cJSON *o, const char *key, char *dst, size_t size)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    dst[0] = '\0';
    if (cJSON_IsString(v))
        snprintf(dst, size, "%s", v->valuestring);
}

static uint64_t
fnv(uint64_t h, const char *s)
{
    for (; *s != '\0'; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

int
al_point_from(const struct ew_point *p, struct al_point *out)
{
    struct al_point a = { .id = p->id, .o2_ref_pct = NAN };
    cJSON *x = cJSON_Parse(p->extra[0] ? p->extra : "{}");
    char buf[1024];
    double o2;

    if (!cJSON_IsObject(x)) {
        cJSON_Delete(x);
        return EW_EFORMAT;
    }
    snprintf(a.mn, sizeof(a.mn), "%s", p->mn);
    snprintf(a.kind, sizeof(a.kind), "%s", p->kind);
    a.hash = fnv(fnv(14695981039346656037ULL, p->kind), p->extra);
    a.has_rules = ew_alarm_rules_default(p->kind, &a.rules) == EW_OK;
    copy_str(x, "profile", a.profile, sizeof(a.profile));
    copy_str(x, "tier", a.tiers, sizeof(a.tiers));
    copy_str(x, "cond", a.conds, sizeof(a.conds));
    copy_str(x, "basis", a.basis, sizeof(a.basis));
    copy_str(x, "o2_ref", buf, sizeof(buf));
    /* o2_ref 0 means "judged on measured values" (data/README.md). */
    if (ew_cio_double(buf, &o2) == EW_OK && o2 > 0 && o2 < 21)
        a.o2_ref_pct = o2;
    copy_str(x, "limits", buf, sizeof(buf));
    a.n_limits = ew_codelist_parse(buf, 0, a.limits, AL_MAX_CODES);
    copy_str(x, "range", buf, sizeof(buf));
    a.n_ranges = ew_codelist_parse(buf, 1, a.ranges, AL_MAX_CODES);
    cJSON_Delete(x);
    *out = a;
    return EW_OK;
}

int
al_watched(const struct al_point *p, const char *factor)
{
    if (strncmp(factor, "a01", 3) == 0 || strcmp(factor, "w01010") == 0)
        return 0;
    return strcmp(factor, "a19001") != 0 || p->o2_used;
}

void
al_range(const struct al_point *p, const char *factor, double *lo, double *hi)
{
    const struct ew_code_value *r = ew_codelist_find(p->ranges, p->n_ranges, factor);

    *lo = r != NULL ? r->lo : NAN;
    *hi = r != NULL ? r->hi : NAN;
}

/* The limit from the table, with the registry's limits as permit values. */
static int
table_limit(const struct ew_std_table *t, const struct al_point *p, const char *factor,
            int64_t t_unix_s, struct ew_limit *lim)
{
    struct ew_permit_limit permit[AL_MAX_CODES];
    struct ew_std_binding b = { .profile = p->profile, .tiers = p->tiers,
                                .conds = p->conds[0] ? p->conds : NULL, .permit = permit,
                                .n_permit = p->n_limits };

    for (size_t i = 0; i < p->n_limits; i++)
        permit[i] = (struct ew_permit_limit){ p->limits[i].code, p->limits[i].hi };
    return ew_std_resolve(t, &b, factor, t_unix_s, lim);
}

int
al_limit(const struct ew_std_table *t, const struct al_point *p, const char *factor,
         int64_t t_unix_s, struct ew_limit *lim, char *standard, size_t standard_len)
{
    const struct ew_code_value *own = ew_codelist_find(p->limits, p->n_limits, factor);
    struct ew_limit l;

    if (t != NULL && p->profile[0] != '\0' && p->tiers[0] != '\0' &&
        table_limit(t, p, factor, t_unix_s, &l) == EW_OK) {
        if (standard != NULL && l.row != NULL)
            snprintf(standard, standard_len, "%s %s", l.row->standard, l.row->tier);
        else if (standard != NULL)
            snprintf(standard, standard_len, "%s", p->basis[0] ? p->basis : "permit");
        *lim = l;
        return EW_OK;
    }
    if (own == NULL)
        return EW_ENOTFOUND;
    *lim = (struct ew_limit){ .limit = own->hi, .limit_lo = NAN, .averaging =
                                  al_kind_averaging(p->kind), .row = NULL,
                              .ref_o2_pct = strcmp(p->kind, "flue") == 0 ? p->o2_ref_pct : NAN };
    if (standard != NULL)
        snprintf(standard, standard_len, "%s", p->basis);
    return EW_OK;
}

static int
listed(const struct ew_source_limit *out, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(out[i].factor, code) == 0)
            return 1;
    return 0;
}

static size_t
add_limit(const struct ew_std_table *t, const struct al_point *p, const char *code,
          int64_t t_unix_s, struct ew_source_limit *out, size_t n, size_t cap)
{
    struct ew_limit l;
    struct ew_source_limit *o = &out[n];

    if (n >= cap || listed(out, n, code) || strlen(code) >= sizeof(o->factor) ||
        al_limit(t, p, code, t_unix_s, &l, o->standard, sizeof(o->standard)) != EW_OK)
        return n;
    o->point_id = p->id;
    snprintf(o->factor, sizeof(o->factor), "%s", code);
    o->limit = l.limit;
    o->limit_lo = l.limit_lo;
    o->ref_o2_pct = l.ref_o2_pct;
    o->averaging = l.averaging;
    return n + 1;
}

size_t
al_limits_all(const struct ew_std_table *t, const struct al_point *p, int64_t t_unix_s,
              struct ew_source_limit *out, size_t cap)
{
    size_t n = 0, rows = t != NULL ? ew_std_table_count(t) : 0;

    for (size_t i = 0; i < rows && p->profile[0] != '\0'; i++) {
        const struct ew_std_limit *r = ew_std_table_row(t, i);
        if (strcmp(r->profile, p->profile) == 0)
            n = add_limit(t, p, r->pollutant, t_unix_s, out, n, cap);
    }
    for (size_t i = 0; i < p->n_limits; i++)
        n = add_limit(t, p, p->limits[i].code, t_unix_s, out, n, cap);
    return n;
}
