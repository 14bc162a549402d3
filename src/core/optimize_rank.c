/* How well a law ranks observed mixtures (optimize.h): predicted against
 * observed objective, Spearman correlation, the law's top pick and its
 * regret. */
#include "mixscope/optimize.h"

#include <assert.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    double key;
    size_t idx;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->key != y->key)
        return (x->key > y->key) - (x->key < y->key);
    return (x->idx > y->idx) - (x->idx < y->idx);
}

void ms_optimize_rank_done(ms_rank *r)
{
    if (!r)
        return;
    free(r->row), free(r->predicted), free(r->observed), free(r->observed_rank);
    memset(r, 0, sizeof *r);
}

/* Weighted mean of the observed losses of row k, or NaN when a domain with
 * positive weight has no loss. */
static double observed_objective(const ms_problem *p, const double *w, size_t k)
{
    double s = 0;
    for (size_t i = 0; i < p->K; i++) {
        double v = p->obs[k * p->K + i];
        if (w[i] > 0 && isnan(v))
            return NAN;
        if (w[i] > 0)
            s += w[i] * v;
    }
    return s;
}

/* Predicted and observed objectives of every row with a role, in problem
 * order, into pred/obs/row; returns the status, counts in r. */
static ms_status collect(const ms_problem *p, const ms_law *law, const double *theta,
                         const double *w, double *pred, double *obs, size_t *row,
                         ms_rank *r, ms_diag *d)
{
    ms_pred pr = {0};
    double *work = malloc((ms_law_work_size(law) + 1) * sizeof *work);
    ms_status st = work && ms_pred_alloc(&pr, p->K) == MS_OK ? MS_OK : MS_ENOMEM;
    if (st == MS_ENOMEM)
        ms_diag_set(d, st, NULL, 0, 0, "out of memory");
    for (size_t u = 0; st == MS_OK && u < p->n_runs; u++) {
        const double *h = p->run_h + u * p->K;
        for (size_t k = p->run_first[u]; st == MS_OK && k < p->run_first[u] + p->run_count[u];
             k++) {
            if (p->role[k] == MS_ROLE_UNUSED)
                continue;
            double o = observed_objective(p, w, k);
            if (isnan(o)) {
                r->skipped++;
                continue;
            }
            st = ms_law_eval(law, theta, h, p->run_N[u], p->D[k], &pr, NULL, work, d);
            double s = 0;
            for (size_t i = 0; st == MS_OK && i < p->K; i++)
                s += w[i] * pr.loss[i];
            pred[r->n] = s, obs[r->n] = o, row[r->n] = k;
            r->n += st == MS_OK;
        }
    }
    ms_pred_free(&pr);
    free(work);
    return st;
}

/* Sorts by prediction and fills the ranks and figures. */
static ms_status rank_figures(ms_rank *r, const double *pred, const double *obs,
                              const size_t *row, keyed *ord, ms_diag *d)
{
    const size_t n = r->n;
    for (size_t k = 0; k < n; k++)
        ord[k] = (keyed){pred[k], k};
    qsort(ord, n, sizeof *ord, cmp_keyed);
    for (size_t k = 0; k < n; k++) {
        r->predicted[k] = pred[ord[k].idx];
        r->observed[k] = obs[ord[k].idx];
        r->row[k] = row[ord[k].idx];
    }
    for (size_t k = 0; k < n; k++)
        ord[k] = (keyed){r->observed[k], k};
    qsort(ord, n, sizeof *ord, cmp_keyed);
    for (size_t k = 0; k < n; k++)
        r->observed_rank[ord[k].idx] =
            k > 0 && ord[k].key == ord[k - 1].key ? r->observed_rank[ord[k - 1].idx] : k + 1;
    r->best = ord[0].idx;
    r->regret = r->observed[0] - r->observed[r->best];
    r->top_pick_is_best = r->regret <= 0;
    r->spearman = NAN;
    if (n >= 2) {
        double *work = malloc(2 * n * sizeof *work);
        if (!work)
            return ms_diag_set(d, MS_ENOMEM, NULL, 0, 0, "out of memory");
        r->spearman = gsl_stats_spearman(r->predicted, 1, r->observed, 1, n, work);
        free(work);
    }
    return MS_OK;
}

ms_status ms_optimize_rank(const ms_problem *p, const ms_law *law, const double *theta,
                           const double *weight, ms_rank *r, ms_diag *d)
{
    assert(law->K == p->K);
    memset(r, 0, sizeof *r);
    const size_t K = p->K, n = p->n_rows ? p->n_rows : 1;
    double *w = malloc(K * sizeof *w), wsum = 0;
    double *pred = malloc(2 * n * sizeof *pred), *obs = pred ? pred + n : NULL;
    size_t *row = malloc(n * sizeof *row);
    keyed *ord = malloc(n * sizeof *ord);
    r->row = malloc(n * sizeof *r->row);
    r->predicted = malloc(n * sizeof *r->predicted);
    r->observed = malloc(n * sizeof *r->observed);
    r->observed_rank = malloc(n * sizeof *r->observed_rank);
    ms_status st = MS_OK;
    if (!w || !pred || !row || !ord || !r->row || !r->predicted || !r->observed ||
        !r->observed_rank)
        st = ms_diag_set(d, MS_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; st == MS_OK && i < K; i++) {
        w[i] = weight ? weight[i] : 1;
        if (!(w[i] >= 0 && isfinite(w[i])))
            st = ms_diag_set(d, MS_EINPUT, NULL, 0, 0,
                             "%s: objective weight must be a number >= 0, got %g",
                             p->domains[i], w[i]);
        wsum += w[i];
    }
    if (st == MS_OK && !(wsum > 0))
        st = ms_diag_set(d, MS_EINPUT, NULL, 0, 0,
                         "every objective weight is 0: nothing to rank by");
    for (size_t i = 0; st == MS_OK && i < K; i++)
        w[i] /= wsum;
    if (st == MS_OK)
        st = collect(p, law, theta, w, pred, obs, row, r, d);
    if (st == MS_OK && r->n == 0)
        st = ms_diag_set(d, MS_EINPUT, NULL, 0, 0,
                         "no mixture to rank (%zu row%s skipped for a missing loss)",
                         r->skipped, r->skipped == 1 ? "" : "s");
    if (st == MS_OK)
        st = rank_figures(r, pred, obs, row, ord, d);
    free(w), free(pred), free(row), free(ord);
    if (st != MS_OK)
        ms_optimize_rank_done(r);
    return st;
}
