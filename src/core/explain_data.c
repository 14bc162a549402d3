/* explain_data.c — is capacity competition visible in the data? (the
 * third test of explain.h) */
#include "mixscope/explain.h"
#include "core/explain_impl.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mixscope/metrics.h"
#include "mixscope/mix.h"

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
