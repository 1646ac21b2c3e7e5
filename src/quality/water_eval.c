/* SPDX-License-Identifier: MIT */
/*
 * Evaluation of surface water over time and space under 地表水环境质量评价办法(试行)
 * (环办〔2011〕22号): period means of a section, rivers and basins (mean method below five
 * sections, class-share method from five), trends between periods and the trophic-level index
 * of lakes. Single-sample classes come from water.c.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <envwatch/err.h>
#include <envwatch/water.h>

int
ew_wq_mean(const struct ew_wq_sample *s, size_t n, size_t min_samples,
           struct ew_wq_sample *out)
{
    struct ew_wq_sample m;

    if ((s == NULL && n > 0) || out == NULL)
        return EW_EINVAL;
    if (n == 0 || n < min_samples)
        return EW_ENODATA;
    for (int i = 0; i < EW_WQ_NITEMS; i++) {
        double sum = 0;
        size_t k = 0;

        for (size_t j = 0; j < n; j++) {
            if (!isnan(s[j].v[i])) {
                sum += s[j].v[i];
                k++;
            }
        }
        m.v[i] = k > 0 ? sum / (double)k : NAN;
    }
    *out = m;
    return EW_OK;
}

/*
 * Grade of a river by the class-share method: I-III >= 90 % 优, 75-90 % 良好; below 75 % the
 * 劣V share decides: < 20 % 轻度, 20-40 % 中度, >= 40 % 重度. Compared on counts so that 9 of
 * 10 sections is exactly 90 %.
 */
static int
share_grade(size_t good, size_t worse_v, size_t n)
{
    if (good * 100 >= 90 * n)
        return EW_WQ_EXCELLENT;
    if (good * 100 >= 75 * n)
        return EW_WQ_GOOD;
    if (worse_v * 100 < 20 * n)
        return EW_WQ_LIGHT;
    if (worse_v * 100 < 40 * n)
        return EW_WQ_MODERATE;
    return EW_WQ_HEAVY;
}

static int
cmp_river_item(const void *pa, const void *pb)
{
    const struct ew_wq_river_item *a = pa, *b = pb;

    if (a->rate_pct != b->rate_pct)
        return a->rate_pct < b->rate_pct ? 1 : -1;
    return a->item - b->item;
}

/* Main pollutants of a river by the share method: the items with the highest share of
 * sections worse than III, at most three [M: the method's wording was not confirmed]. */
static void
share_main(const size_t over[EW_WQ_NITEMS], size_t n, struct ew_wq_river *r)
{
    struct ew_wq_river_item cand[EW_WQ_NITEMS];
    size_t k = 0;

    for (int i = 0; i < EW_WQ_NITEMS; i++)
        if (over[i] > 0)
            cand[k++] = (struct ew_wq_river_item){ i, 100.0 * (double)over[i] / (double)n, NAN };
    qsort(cand, k, sizeof(cand[0]), cmp_river_item);
    for (size_t i = 0; i < k && i < EW_WQ_MAIN_MAX; i++)
        r->main[r->n_main++] = cand[i];
}

/* Below five sections: the single-factor rule applied to the mean of every item. */
static int
mean_method(const struct ew_wq_sample *sections, size_t n, int body, struct ew_wq_river *r)
{
    struct ew_wq_sample mean;
    struct ew_wq_result res;
    int rc;

    if ((rc = ew_wq_mean(sections, n, 1, &mean)) != EW_OK)
        return rc;
    if ((rc = ew_wq_evaluate(&mean, body, &res)) != EW_OK)
        return rc;
    r->method = EW_WQ_BY_MEAN;
    r->cls = res.cls;
    r->grade = res.grade;
    for (size_t i = 0; i < res.n_main; i++) {
        r->main[i] = (struct ew_wq_river_item){ res.main[i].item, NAN, res.main[i].multiple };
    }
    r->n_main = res.n_main;
    return EW_OK;
}

int
ew_wq_river_evaluate(const struct ew_wq_sample *sections, size_t n, int body,
                     struct ew_wq_river *out)
{
    struct ew_wq_river r;
    struct ew_wq_result res;
    struct ew_wq_sample kept[EW_WQ_RIVER_SHARE_MIN - 1];   /* for the mean method */
    size_t count[7] = { 0 }, over[EW_WQ_NITEMS] = { 0 }, used = 0;
    int rc;

    if ((sections == NULL && n > 0) || out == NULL)
        return EW_EINVAL;
    memset(&r, 0, sizeof(r));
    for (size_t j = 0; j < n; j++) {
        rc = ew_wq_evaluate(&sections[j], body, &res);
        if (rc == EW_ENODATA)
            continue;
        if (rc != EW_OK)
            return rc;
        if (used < EW_ARRAY_LEN(kept))
            kept[used] = sections[j];
        used++;
        count[res.cls]++;
        for (int i = 0; i < EW_WQ_NITEMS; i++)
            over[i] += ew_wq_item_evaluated(i) && res.item_cls[i] > EW_WQ_III;
    }
    if (used == 0)
        return EW_ENODATA;
    r.n_sections = used;
    for (int c = EW_WQ_I; c <= EW_WQ_WORSE_V; c++)
        r.share_pct[c] = 100.0 * (double)count[c] / (double)used;
    r.good_pct = 100.0 * (double)(count[1] + count[2] + count[3]) / (double)used;
    r.worse_v_pct = r.share_pct[EW_WQ_WORSE_V];
    if (used < EW_WQ_RIVER_SHARE_MIN) {
        /* Sections without data were left out of kept: only those that count are averaged. */
        if ((rc = mean_method(kept, used, body, &r)) != EW_OK)
            return rc;
    } else {
        r.method = EW_WQ_BY_SHARE;
        r.cls = EW_WQ_NONE;
        r.grade = share_grade(count[1] + count[2] + count[3], count[EW_WQ_WORSE_V], used);
        if (r.grade >= EW_WQ_LIGHT)
            share_main(over, used, &r);
    }
    *out = r;
    return EW_OK;
}

int
ew_wq_trend_shares(double good_now_pct, double worse_v_now_pct, double good_prev_pct,
                   double worse_v_prev_pct)
{
    /* 2011 method: with ΔG the change of the I-III share and ΔD of the 劣V share (points),
     * |ΔG - ΔD| <= 10 no clear change, 10-20 some, > 20 clear [S for > 20; the rest M]. */
    double d = (good_now_pct - good_prev_pct) - (worse_v_now_pct - worse_v_prev_pct);
    double a = fabs(d);

    if (!(a > 10.0))
        return EW_WQ_STABLE;
    if (a <= 20.0)
        return d > 0 ? EW_WQ_BETTER : EW_WQ_WORSE;
    return d > 0 ? EW_WQ_MUCH_BETTER : EW_WQ_MUCH_WORSE;
}

int
ew_wq_trend_class(int cls_now, int cls_prev)
{
    /* One class of change is "some", two or more "clear" [M]. */
    int d = cls_prev - cls_now;

    if (cls_now < EW_WQ_I || cls_prev < EW_WQ_I || d == 0)
        return EW_WQ_STABLE;
    if (d == 1 || d == -1)
        return d > 0 ? EW_WQ_BETTER : EW_WQ_WORSE;
    return d > 0 ? EW_WQ_MUCH_BETTER : EW_WQ_MUCH_WORSE;
}

const char *
ew_wq_trend_label(int trend)
{
    switch (trend) {
    case EW_WQ_MUCH_WORSE: return "明显变差";
    case EW_WQ_WORSE: return "有所变差";
    case EW_WQ_BETTER: return "有所好转";
    case EW_WQ_MUCH_BETTER: return "明显好转";
    default: return "无明显变化";
    }
}

int
ew_wq_tli(double chla_mgm3, double tp_mgl, double tn_mgl, double sd_m, double codmn_mgl,
          double *tli)
{
    /*
     * TLI(Σ) = Σ Wj·TLI(j), Wj = rj² / Σ r² with the correlation of each parameter to chl-a
     * (1, 0.84, 0.82, -0.83, 0.83). The constants are quoted from memory in the reference [M].
     */
    const double v[5] = { chla_mgm3, tp_mgl, tn_mgl, sd_m, codmn_mgl };
    static const double a[5] = { 2.5, 9.436, 5.453, 5.118, 0.109 };
    static const double b[5] = { 1.086, 1.624, 1.694, -1.94, 2.661 };
    static const double r[5] = { 1, 0.84, 0.82, -0.83, 0.83 };
    double sum_r2 = 0, t = 0;

    if (tli == NULL)
        return EW_EINVAL;
    for (int j = 0; j < 5; j++) {
        if (!isfinite(v[j]) || v[j] <= 0)
            return EW_EINVAL;
        sum_r2 += r[j] * r[j];
    }
    for (int j = 0; j < 5; j++)
        t += r[j] * r[j] / sum_r2 * 10.0 * (a[j] + b[j] * log(v[j]));
    *tli = t;
    return EW_OK;
}

const char *
ew_wq_tli_label(double tli)
{
    if (tli < 30)
        return "贫营养";
    if (tli <= 50)
        return "中营养";
    if (tli <= 60)
        return "轻度富营养";
    if (tli <= 70)
        return "中度富营养";
    return "重度富营养";
}
