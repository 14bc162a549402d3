#include "mixscope/explain.h"

#include <assert.h>
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

/* The laws whose term 1 is a noise term A_i (D h_i)^-a_i: for them term 0
 * is the capacity (or model-size) term and the mechanisms have names. */
static int has_noise(const ms_law *law)
{
    return strcmp(law->def->term_names[1], "noise") == 0;
}

static ms_status oom(ms_diag *d)
{
    return ms_diag_set(d, MS_ENOMEM, NULL, 0, 0, "out of memory");
}

/* Four predictions and one workspace for `law`, freed by preds_free. */
typedef struct {
    ms_pred p[4];
    double *work;
} preds;

static ms_status preds_alloc(preds *q, const ms_law *law, ms_diag *d)
{
    memset(q, 0, sizeof *q);
    int ok = (q->work = malloc((ms_law_work_size(law) + 1) * sizeof *q->work)) != NULL;
    for (int k = 0; k < 4; k++)
        ok = ok && ms_pred_alloc(&q->p[k], law->K) == MS_OK;
    return ok ? MS_OK : oom(d);
}

static void preds_free(preds *q)
{
    for (int k = 0; k < 4; k++)
        ms_pred_free(&q->p[k]);
    free(q->work);
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

/* ---- 3. competition in the data --------------------------------------- */

void ms_explain_data_opts_init(ms_explain_data_opts *o)
{
    o->mask = MS_MASK_DEFAULT;
    o->min_step = MS_EXPLAIN_STEP;
    o->max_runs = MS_EXPLAIN_MAX_RUNS;
    o->noise_law = NULL;
    o->noise_theta = NULL;
}

/* Running statistics over pairs: Welford for the excess, sums for the
 * rest, and the per-run sums the standard error needs (below). */
typedef struct {
    size_t n, comparisons, cells;
    double mean, m2, obs, noise, cap;
    double ss, ns, nn; /* over runs r: sum S_r^2, n_r S_r, n_r^2 */
} acc;

static void acc_add(acc *s, const acc *pair, double e)
{
    const double c = (double)pair->cells;
    s->n++;
    s->comparisons += pair->comparisons;
    s->cells += pair->cells;
    double delta = e - s->mean;
    s->mean += delta / (double)s->n;
    s->m2 += delta * (e - s->mean);
    s->obs += pair->obs / c, s->noise += pair->noise / c, s->cap += pair->cap / c;
}

/* Standard error of the mean over pairs. Two pairs that share a run share
 * that run's noise, and a run takes part in many pairs (about 10 in a
 * 200-mixture sweep), so pairs are not independent: with u_p = e_p - mean,
 * Var = sum over pairs p, q sharing a run of u_p u_q / n^2 (the
 * dyadic-robust variance; U_r = sum of u_p over the pairs of run r, and
 * sum_r U_r^2 counts each pair twice with itself). It is never taken below
 * the variance for independent pairs. */
static double acc_se(const acc *s)
{
    const double n = (double)s->n, m = s->mean;
    double shared = s->ss - 2 * m * s->ns + m * m * s->nn - s->m2;
    double v = fmax(shared / (n * n), s->m2 / (n - 1) / n);
    return sqrt(v);
}

static ms_explain_stat acc_stat(const acc *s)
{
    double n = (double)s->n;
    ms_explain_stat r = {s->n, s->comparisons, s->cells, NAN, NAN, NAN, NAN, NAN, NAN, NAN};
    if (!s->n)
        return r;
    r.mean_excess = s->mean;
    r.mean_obs = s->obs / n, r.mean_noise = s->noise / n, r.mean_capacity = s->cap / n;
    if (s->n >= 2) {
        r.se = acc_se(s);
        r.se_independent = sqrt(s->m2 / (n - 1) / n);
        r.t = r.mean_excess / r.se;
    }
    return r;
}

/* The domain a move from ha to hb is mainly about, or -1: the weight that
 * moved most (first on ties), by at least min_step and by half the total
 * movement (within the weights' own tolerance). *flip: it fell, so the
 * pair is to be read from hb to ha. */
static long mainly_one(const double *ha, const double *hb, size_t K, double min_step,
                       int *flip)
{
    size_t j = 0;
    double l1 = 0, best = -1;
    for (size_t i = 0; i < K; i++) {
        double m = fabs(hb[i] - ha[i]);
        l1 += m;
        if (m > best)
            best = m, j = i;
    }
    if (!(best >= min_step) || best < 0.5 * l1 - MS_MIX_TOL)
        return -1;
    *flip = hb[j] < ha[j];
    return (long)j;
}

/* The examined runs of one model size, the law's term 0 and term 1 for
 * each of their rows, and per-run sums of pair excesses for the standard
 * error (node_s/node_n[t * cap + k], t = 0 for all pairs, 1 + j for the
 * pairs in which domain j rose). */
typedef struct {
    const ms_problem *p;
    size_t *runs, *off; /* cap each: problem run and first prediction row */
    size_t m, cap;
    double *T, *Z;      /* rows x K: term 0, term 1 */
    double *node_s, *node_n;
} group;

/* One model's terms at every row of the group: term `t` into out. */
typedef struct {
    const ms_law *law;
    const double *theta;
    preds q;
} model;

static ms_status model_terms(const group *g, model *mo, int t, double *out, ms_diag *d)
{
    const ms_problem *p = g->p;
    const size_t K = p->K;
    for (size_t k = 0; k < g->m; k++) {
        size_t r = g->runs[k];
        for (size_t c = 0; c < p->run_count[r]; c++) {
            size_t row = p->run_first[r] + c, at = (g->off[k] + c) * K;
            ms_status st = ms_law_eval(mo->law, mo->theta, p->run_h + r * K, p->run_N[r],
                                       p->D[row], &mo->q.p[0], NULL, mo->q.work, d);
            if (st != MS_OK)
                return st;
            memcpy(out + at, mo->q.p[0].term[t], K * sizeof *out);
        }
    }
    return MS_OK;
}

/* Term 0 of the law and the noise term of the noise model for every row
 * of the examined runs. */
static ms_status group_predict(group *g, model *law, model *noise, ms_diag *d)
{
    const size_t K = g->p->K;
    size_t rows = 0;
    for (size_t k = 0; k < g->m; k++)
        g->off[k] = rows, rows += g->p->run_count[g->runs[k]];
    g->T = malloc((rows ? rows : 1) * 2 * K * sizeof *g->T);
    if (!g->T)
        return oom(d);
    g->Z = g->T + rows * K;
    ms_status st = model_terms(g, law, 0, g->T, d);
    return st == MS_OK ? model_terms(g, noise, 1, g->Z, d) : st;
}

/* Sums the cells of the pair lo -> hi (h_j rises) over their common
 * checkpoints into `pair`; pair->mean holds the sum of the excesses. */
static void pair_cells(const group *g, size_t lo, size_t hi, size_t j, double mask, acc *pair)
{
    const ms_problem *p = g->p;
    const size_t K = p->K, rl = g->runs[lo], rh = g->runs[hi];
    const double *hl = p->run_h + rl * K, *hh = p->run_h + rh * K;
    size_t x = p->run_first[rl], xe = x + p->run_count[rl];
    size_t y = p->run_first[rh], ye = y + p->run_count[rh];
    memset(pair, 0, sizeof *pair);
    while (x < xe && y < ye) { /* rows of a run are sorted by D */
        if (p->D[x] != p->D[y]) {
            *(p->D[x] < p->D[y] ? &x : &y) += 1;
            continue;
        }
        size_t px = g->off[lo] + x - p->run_first[rl], py = g->off[hi] + y - p->run_first[rh];
        size_t before = pair->cells;
        for (size_t i = 0; i < K; i++) {
            double ol = p->obs[x * K + i], oh = p->obs[y * K + i];
            if (i == j || !(hl[i] >= mask && hh[i] >= mask) || isnan(ol) || isnan(oh))
                continue;
            double noise = g->Z[py * K + i] - g->Z[px * K + i];
            pair->mean += (oh - ol) - noise;
            pair->obs += oh - ol;
            pair->noise += noise;
            pair->cap += g->T[py * K + i] - g->T[px * K + i];
            pair->cells++;
        }
        pair->comparisons += pair->cells > before;
        x++, y++;
    }
}

/* Every qualifying pair of the group into acc[0] (all) and acc[1 + j]. */
static void group_pairs(group *g, const ms_explain_data_opts *o, acc *a)
{
    const size_t K = g->p->K;
    for (size_t u = 0; u < g->m; u++)
        for (size_t v = u + 1; v < g->m; v++) {
            int flip = 0;
            long j = mainly_one(g->p->run_h + g->runs[u] * K, g->p->run_h + g->runs[v] * K, K,
                                o->min_step, &flip);
            acc pair;
            if (j < 0)
                continue;
            pair_cells(g, flip ? v : u, flip ? u : v, (size_t)j, o->mask, &pair);
            if (!pair.cells)
                continue;
            double e = pair.mean / (double)pair.cells;
            const size_t slot[2] = {0, 1 + (size_t)j};
            for (int k = 0; k < 2; k++) {
                size_t t = slot[k];
                acc_add(&a[t], &pair, e);
                g->node_s[t * g->cap + u] += e, g->node_n[t * g->cap + u] += 1;
                g->node_s[t * g->cap + v] += e, g->node_n[t * g->cap + v] += 1;
            }
        }
    for (size_t t = 0; t <= K; t++)
        for (size_t k = 0; k < g->m; k++) {
            double *s = &g->node_s[t * g->cap + k], *n = &g->node_n[t * g->cap + k];
            a[t].ss += *s * *s, a[t].ns += *n * *s, a[t].nn += *n * *n;
            *s = *n = 0;
        }
}

/* Runs come sorted by model size: one group per size, at most o->max_runs
 * of its runs, evenly spaced (deterministic). */
static ms_status all_groups(model *law, model *noise, const ms_problem *p,
                            const ms_explain_data_opts *o, group *g, acc *a, size_t *used,
                            ms_diag *d)
{
    ms_status st = MS_OK;
    for (size_t r0 = 0, r1; st == MS_OK && r0 < p->n_runs; r0 = r1) {
        for (r1 = r0 + 1; r1 < p->n_runs && p->run_N[r1] == p->run_N[r0]; r1++)
            ;
        size_t n = r1 - r0;
        g->m = n < g->cap ? n : g->cap;
        for (size_t k = 0; k < g->m; k++)
            g->runs[k] = r0 + k * n / g->m;
        *used += g->m;
        st = group_predict(g, law, noise, d);
        if (st == MS_OK)
            group_pairs(g, o, a);
        free(g->T);
        g->T = g->Z = NULL;
    }
    return st;
}

ms_status ms_explain_data_competition(const ms_law *law, const double *theta,
                                      const ms_problem *p,
                                      const ms_explain_data_opts *o,
                                      ms_explain_data *out, ms_diag *d)
{
    const size_t K = law->K;
    assert(p->K == K);
    ms_explain_data_opts defaults;
    ms_explain_data_opts_init(&defaults);
    if (!o)
        o = &defaults;
    model lm = {law, theta, {{{0}}, NULL}}, nm = lm;
    if (o->noise_law) {
        assert(o->noise_law->K == K && o->noise_theta);
        nm.law = o->noise_law, nm.theta = o->noise_theta;
    }
    memset(out, 0, sizeof *out);
    out->K = K;
    out->n_runs = p->n_runs;
    out->applicable = has_noise(nm.law);
    out->competition = law->def->has_allocation;
    ms_status st = preds_alloc(&lm.q, law, d);
    if (st == MS_OK)
        st = preds_alloc(&nm.q, nm.law, d);
    group g = {p, NULL, NULL, 0, o->max_runs ? o->max_runs : 1, NULL, NULL, NULL, NULL};
    acc *a = calloc(K + 1, sizeof *a);
    g.runs = malloc(2 * g.cap * sizeof *g.runs);
    g.off = g.runs ? g.runs + g.cap : NULL;
    g.node_s = calloc(2 * (K + 1) * g.cap, sizeof *g.node_s);
    g.node_n = g.node_s ? g.node_s + (K + 1) * g.cap : NULL;
    out->by_domain = calloc(K, sizeof *out->by_domain);
    if (st == MS_OK && (!a || !g.runs || !g.node_s || !out->by_domain))
        st = oom(d);
    if (st == MS_OK && out->applicable)
        st = all_groups(&lm, &nm, p, o, &g, a, &out->n_runs_used, d);
    if (st == MS_OK) {
        out->all = acc_stat(&a[0]);
        for (size_t j = 0; j < K; j++)
            out->by_domain[j] = acc_stat(&a[1 + j]);
        if (!has_noise(law)) /* term 0 is no capacity term */
            for (size_t j = 0; j <= K; j++)
                (j < K ? &out->by_domain[j] : &out->all)->mean_capacity = NAN;
        out->verdict = !out->applicable ? MS_VERDICT_NOT_APPLICABLE
                       : out->all.t >= MS_EXPLAIN_T_PRESENT && out->all.mean_excess > 0
                           ? MS_VERDICT_PRESENT
                           : MS_VERDICT_NOT_MEASURABLE;
    } else
        ms_explain_data_done(out);
    free(a);
    free(g.runs);
    free(g.node_s);
    preds_free(&lm.q);
    preds_free(&nm.q);
    return st;
}

void ms_explain_data_done(ms_explain_data *x)
{
    if (!x)
        return;
    free(x->by_domain);
    x->by_domain = NULL;
}
