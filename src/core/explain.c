#include "mixscope/explain.h"
#include "core/explain_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mixscope/metrics.h"
#include "mixscope/mix.h"

const char *ms_verdict_name(ms_verdict v)
{
    switch (v) {
    case MS_VERDICT_PRESENT: return "present";
    case MS_VERDICT_NEGLIGIBLE: return "negligible";
    case MS_VERDICT_NOT_MEASURABLE: return "not measurable";
    case MS_VERDICT_NOT_APPLICABLE: break;
    }
    return "not applicable";
}

/* ---- 1. decomposition ------------------------------------------------- */

static void name_parts(const ms_law *law, ms_explain_decomp *x)
{
    static const char *const mech[MS_N_PARTS] = {"model size", "competition", "noise",
                                                 "irreducible"};
    const char *const *t = law->def->term_names;
    for (int k = 0; k < MS_N_PARTS; k++)
        x->part_applies[k] = 1;
    if (has_noise(law)) {
        for (int k = 0; k < MS_N_PARTS; k++)
            snprintf(x->part_name[k], sizeof x->part_name[k], "%s", mech[k]);
        x->part_applies[MS_PART_COMPETITION] = law->def->has_allocation;
        return;
    }
    snprintf(x->part_name[0], sizeof x->part_name[0], "%s via scale", t[0]);
    snprintf(x->part_name[1], sizeof x->part_name[1], "%s via mixture", t[0]);
    snprintf(x->part_name[2], sizeof x->part_name[2], "%s", t[1]);
    snprintf(x->part_name[3], sizeof x->part_name[3], "%s", t[2]);
}

ms_status ms_explain_decompose(const ms_law *law, const double *theta,
                               const ms_explain_point *a, const ms_explain_point *b,
                               ms_explain_decomp *out, ms_diag *d)
{
    const size_t K = law->K;
    memset(out, 0, sizeof *out);
    preds q;
    ms_status st = preds_alloc(&q, law, d);
    double *block = st == MS_OK ? calloc(K * (3 + MS_N_PARTS), sizeof *block) : NULL;
    if (st == MS_OK && !block)
        st = oom(d);
    /* p0 = (h_a, s_a), p1 = (h_b, s_a), p2 = (h_a, s_b), p3 = (h_b, s_b). */
    const ms_explain_point *pt[2] = {a, b};
    for (int k = 0; st == MS_OK && k < 4; k++)
        st = ms_law_eval(law, theta, pt[k & 1]->h, pt[k >> 1]->N, pt[k >> 1]->D, &q.p[k],
                         NULL, q.work, d);
    if (st == MS_OK) {
        out->K = K;
        out->loss_a = block, out->loss_b = block + K, out->total = block + 2 * K;
        out->part = block + 3 * K;
        name_parts(law, out);
        const double *T0 = q.p[0].term[0], *T1 = q.p[1].term[0], *T2 = q.p[2].term[0],
                     *T3 = q.p[3].term[0];
        for (size_t i = 0; i < K; i++) {
            double *pp = out->part + i * MS_N_PARTS;
            /* Shapley: each factor's effect averaged over both orders. */
            pp[MS_PART_SIZE] = 0.5 * ((T2[i] - T0[i]) + (T3[i] - T1[i]));
            pp[MS_PART_COMPETITION] = 0.5 * ((T1[i] - T0[i]) + (T3[i] - T2[i]));
            pp[MS_PART_NOISE] = q.p[3].term[1][i] - q.p[0].term[1][i];
            pp[MS_PART_IRREDUCIBLE] = q.p[3].term[2][i] - q.p[0].term[2][i];
            out->loss_a[i] = q.p[0].loss[i];
            out->loss_b[i] = q.p[3].loss[i];
            out->total[i] = out->loss_b[i] - out->loss_a[i];
            out->mean_total += out->total[i] / (double)K;
            for (int k = 0; k < MS_N_PARTS; k++)
                out->mean_part[k] += pp[k] / (double)K;
        }
    } else
        free(block);
    preds_free(&q);
    return st;
}

void ms_explain_decomp_done(ms_explain_decomp *x)
{
    if (x)
        free(x->loss_a); /* one block holds every array */
}

/* ---- 2. competition in the law ---------------------------------------- */

double ms_explain_raise(double *h, size_t K, size_t j, double step)
{
    double others = 0, v = fmin(h[j] + step, 1);
    for (size_t i = 0; i < K; i++)
        others += i == j ? 0 : h[i];
    if (!(others > 1e-300) || !(v > h[j]))
        return 0;
    double scale = (1 - v) / others, rise = v - h[j];
    for (size_t i = 0; i < K; i++)
        h[i] = i == j ? v : h[i] * scale;
    return rise;
}

/* Means over i != j of the relative change of term 0 and the change of the
 * loss from `base` to `moved`. */
static void others_change(size_t K, size_t j, const ms_pred *base, const ms_pred *moved,
                          int cap, double *cap_rel, double *loss)
{
    double sc = 0, sl = 0;
    for (size_t i = 0; i < K; i++) {
        if (i == j)
            continue;
        sc += (moved->term[0][i] - base->term[0][i]) / base->term[0][i];
        sl += moved->loss[i] - base->loss[i];
    }
    *cap_rel = cap && K > 1 ? sc / (double)(K - 1) : NAN;
    *loss = K > 1 ? sl / (double)(K - 1) : NAN;
}

/* One pass of the law test with `l` (the law, or it with competition off). */
static ms_status law_pass(const ms_law *l, const double *theta, const double *h, double N,
                          double D, preds *q, double *hj, ms_explain_law *x, int off,
                          ms_diag *d)
{
    const size_t K = l->K;
    double *cap = off ? x->cap_rel_off : x->cap_rel, *loss = off ? x->loss_off : x->loss;
    double *mc = off ? &x->mean_cap_rel_off : &x->mean_cap_rel;
    double *ml = off ? &x->mean_loss_off : &x->mean_loss;
    ms_status st = ms_law_eval(l, theta, h, N, D, &q->p[0], NULL, q->work, d);
    size_t n = 0;
    *mc = *ml = 0;
    if (st == MS_OK && !off)
        x->base_loss = ms_pred_mean(&q->p[0], K);
    for (size_t j = 0; st == MS_OK && j < K; j++) {
        memcpy(hj, h, K * sizeof *hj);
        x->step[j] = ms_explain_raise(hj, K, j, MS_EXPLAIN_STEP);
        cap[j] = loss[j] = NAN;
        if (x->step[j] <= 0)
            continue;
        st = ms_law_eval(l, theta, hj, N, D, &q->p[1], NULL, q->work, d);
        if (st != MS_OK)
            break;
        others_change(K, j, &q->p[0], &q->p[1], has_noise(l), &cap[j], &loss[j]);
        *mc += cap[j], *ml += loss[j], n++;
    }
    *mc = n ? *mc / (double)n : NAN;
    *ml = n ? *ml / (double)n : NAN;
    return st;
}

ms_status ms_explain_law_competition(const ms_law *law, const double *theta,
                                     const double *h, double N, double D,
                                     ms_explain_law *out, ms_diag *d)
{
    const size_t K = law->K;
    memset(out, 0, sizeof *out);
    preds q;
    ms_status st = preds_alloc(&q, law, d);
    double *block = st == MS_OK ? calloc(6 * K, sizeof *block) : NULL;
    if (st == MS_OK && !block)
        st = oom(d);
    if (st == MS_OK) {
        out->K = K;
        out->step = block, out->cap_rel = block + K, out->loss = block + 2 * K;
        out->cap_rel_off = block + 3 * K, out->loss_off = block + 4 * K;
        ms_law off = *law;
        off.off |= MS_MECH_COMPETITION;
        st = law_pass(law, theta, h, N, D, &q, block + 5 * K, out, 0, d);
        if (st == MS_OK)
            st = law_pass(&off, theta, h, N, D, &q, block + 5 * K, out, 1, d);
    }
    if (st != MS_OK) {
        free(block);
        memset(out, 0, sizeof *out);
    } else {
        out->applicable = law->def->has_allocation;
        out->effect = out->mean_loss - out->mean_loss_off;
        out->rel_effect = out->effect / out->base_loss;
        out->verdict = !out->applicable ? MS_VERDICT_NOT_APPLICABLE
                       : out->rel_effect >= MS_EXPLAIN_LAW_PRESENT ? MS_VERDICT_PRESENT
                                                                   : MS_VERDICT_NEGLIGIBLE;
    }
    preds_free(&q);
    return st;
}

void ms_explain_law_done(ms_explain_law *x)
{
    if (x)
        free(x->step);
}
