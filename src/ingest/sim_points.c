/* SPDX-License-Identifier: MIT */
/*
 * Invented points for load tests and demos without a registry, and the registry writer that
 * lets the platform learn them (`envwatch simulate --print-registry`). The MNs follow the
 * EPC-96 layout of HJ 212-2017 (24 hex characters: header, manager, object class, serial;
 * reference/hj212.md section 3.1) with a manager code of 0FFFFFF that no real maker uses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <envwatch/err.h>

#include "ingest/sim.h"
#include "util/csv.h"

/* The mix of kinds in invented fleets: stacks dominate, as they do in a bureau's registry. */
static const struct {
    enum ew_sim_kind kind;
    enum ew_sim_industry ind;
} pattern[] = {
    { EW_SIM_AIR, EW_SIM_IND_NONE },
    { EW_SIM_FLUE, EW_SIM_IND_POWER },
    { EW_SIM_WASTEWATER, EW_SIM_IND_COKING },
    { EW_SIM_FLUE, EW_SIM_IND_COKING },
    { EW_SIM_WATER, EW_SIM_IND_NONE },
    { EW_SIM_FLUE, EW_SIM_IND_CEMENT },
    { EW_SIM_SEWAGE, EW_SIM_IND_SEWAGE },
    { EW_SIM_FLUE, EW_SIM_IND_BOILER },
    { EW_SIM_AIR, EW_SIM_IND_NONE },
    { EW_SIM_FLUE, EW_SIM_IND_ALUMINIUM },
};

int
ew_sim_points_invent(size_t n, struct ew_sim_point **out)
{
    struct ew_sim_point *v;

    if (n == 0 || n > 0xFFFFFFFFu)
        return EW_EINVAL;
    v = calloc(n, sizeof(*v));
    if (v == NULL)
        return EW_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        struct ew_sim_point *p = &v[i];
        size_t k = i % EW_ARRAY_LEN(pattern);

        ew_sim_point_defaults(p, pattern[k].kind, pattern[k].ind);
        /* header 01, manager 0FFFFFF, object class 0000 + ST, serial i + 1 (9 hex digits) */
        snprintf(p->mn, sizeof(p->mn), "010FFFFFF0000%s%09zX", p->st, i + 1);
        snprintf(p->pw, sizeof(p->pw), "%06u",
                 (unsigned)(ew_sim_hash(0x5eedULL + i) % 1000000u));
        snprintf(p->name, sizeof(p->name), "sim %s %zu", ew_sim_kind_name(p->kind), i + 1);
    }
    *out = v;
    return EW_OK;
}

static int
put_factors(struct ew_buf *b, const struct ew_sim_point *p)
{
    size_t n;
    const struct ew_sim_factor *f = ew_sim_kind_factors(p->kind, &n);
    int err = EW_OK;

    for (size_t k = 0; k < p->nfactors && err == EW_OK; k++)
        err = ew_buf_printf(b, "%s%s", k ? ";" : "", f[p->factor[k]].code);
    return err;
}

static int
put_limits(struct ew_buf *b, const struct ew_sim_point *p)
{
    size_t n;
    const struct ew_sim_factor *f = ew_sim_kind_factors(p->kind, &n);
    int err = EW_OK, first = 1;

    for (size_t i = 0; i < n && err == EW_OK; i++) {
        if (p->limit[i] <= 0)
            continue;
        err = ew_buf_printf(b, "%s%s=%g", first ? "" : ";", f[i].code, p->limit[i]);
        first = 0;
    }
    return err;
}

static int
put_row(struct ew_buf *b, const struct ew_sim_point *p)
{
    static const char *const roman[] = { "I", "II", "III", "IV", "V" };
    int err = ew_csv_field(b, p->mn);

    err = err ? err : ew_buf_addc(b, ',');
    err = err ? err : ew_csv_field(b, p->pw);
    err = err ? err : ew_buf_addc(b, ',');
    err = err ? err : ew_csv_field(b, p->name);
    err = err ? err : ew_buf_printf(b, ",%s,,,,,%s,", ew_sim_kind_name(p->kind), p->st);
    err = err ? err : put_factors(b, p);
    err = err ? err : ew_buf_addc(b, ',');
    err = err ? err : put_limits(b, p);
    err = err ? err : ew_buf_printf(b, ",%s,", ew_sim_industry_name(p->industry));
    if (err == EW_OK && p->kind == EW_SIM_FLUE)
        err = ew_buf_printf(b, "%g", p->o2_ref_pct);
    err = err ? err : ew_buf_printf(b, ",%s,%g\n",
                                    p->kind == EW_SIM_WATER ? roman[p->target_class - 1] : "",
                                    p->level);
    return err;
}

int
ew_sim_registry_write(const struct ew_sim_point *p, size_t n, struct ew_buf *out)
{
    int err = ew_buf_adds(out, "mn,pw,name,kind,site,county,lat,lon,st,factors,limits,"
                               "industry,o2_ref,target_class,level\n");

    for (size_t i = 0; i < n && err == EW_OK; i++)
        err = put_row(out, &p[i]);
    return err;
}
