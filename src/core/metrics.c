#include "mixscope/metrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mixscope/units.h"

typedef struct {
    double sre, sae, sse; /* sums of relative, absolute, squared errors */
    size_t n, n_rel;
} acc;

static void acc_add(acc *a, double pred, double obs)
{
    double e = pred - obs;
    a->sae += fabs(e);
    a->sse += e * e;
    a->n++;
    if (obs > 0) {
        a->sre += fabs(e) / obs;
        a->n_rel++;
    }
}

static ms_metric acc_metric(const acc *a)
{
    ms_metric m = {NAN, NAN, NAN, a->n};
    if (a->n) {
        m.mae = a->sae / (double)a->n;
        m.rmse = sqrt(a->sse / (double)a->n);
    }
    if (a->n_rel)
        m.mre = a->sre / (double)a->n_rel;
    return m;
}

ms_status ms_problem_predict(const ms_problem *p, const ms_law *law,
                             const double *theta, double *pred, ms_diag *d)
{
    double *work = malloc(ms_law_work_size(law) * sizeof *work);
    if (!work)
        return ms_diag_set(d, MS_ENOMEM, NULL, 0, 0, "out of memory");
    ms_status st = MS_OK;
    for (size_t u = 0; st == MS_OK && u < p->n_runs; u++) {
        size_t f = p->run_first[u];
        st = ms_law_eval_run(law, theta, p->run_h + u * p->K, p->run_N[u], p->D + f,
                             p->run_count[u], pred + f * p->K, NULL, work, d);
    }
    free(work);
    return st;
}

static int row_set(const ms_problem *p, size_t k)
{
    return p->role[k] == MS_ROLE_TRAIN ? MS_SET_TRAIN
           : p->role[k] == MS_ROLE_TEST ? MS_SET_TEST : -1;
}

/* Adds row k's cells to `masked` (h_i >= mask) and `all`. */
static void add_row(const ms_problem *p, const double *h, size_t k, const double *pred,
                    double mask, acc *masked, acc *all, acc *dom)
{
    const size_t K = p->K;
    for (size_t i = 0; i < K; i++) {
        double obs = p->obs[k * K + i];
        if (isnan(obs))
            continue;
        if (all)
            acc_add(all, pred[k * K + i], obs);
        if (h[i] >= mask) {
            acc_add(masked, pred[k * K + i], obs);
            if (dom)
                acc_add(&dom[i], pred[k * K + i], obs);
        }
    }
}

/* Per-scale metrics: scales repeat across runs, so sort the rows by
 * (set, N, D) and accumulate equal keys. */
typedef struct {
    int set;
    double N, D;
    size_t row, run;
} scale_key;

static int cmp_key(const void *pa, const void *pb)
{
    const scale_key *a = pa, *b = pb;
    if (a->set != b->set)
        return a->set - b->set;
    double d = a->N != b->N ? a->N - b->N : a->D - b->D;
    return (d > 0) - (d < 0);
}

static ms_status score_scales(const ms_problem *p, double mask, ms_metrics *m)
{
    size_t n = 0, cap = p->n_rows ? p->n_rows : 1;
    scale_key *keys = malloc(cap * sizeof *keys);
    m->scales = malloc(cap * sizeof *m->scales);
    if (!keys || !m->scales) {
        free(keys);
        return MS_ENOMEM;
    }
    for (size_t u = 0; u < p->n_runs; u++)
        for (size_t k = p->run_first[u]; k < p->run_first[u] + p->run_count[u]; k++)
            if (row_set(p, k) >= 0)
                keys[n++] = (scale_key){row_set(p, k), p->run_N[u], p->D[k], k, u};
    qsort(keys, n, sizeof *keys, cmp_key);
    m->n_scales = 0;
    for (size_t a = 0, b; a < n; a = b) {
        acc ac = {0};
        for (b = a; b < n && cmp_key(&keys[a], &keys[b]) == 0; b++)
            add_row(p, p->run_h + keys[b].run * p->K, keys[b].row, m->pred, mask, &ac,
                    NULL, NULL);
        m->scales[m->n_scales++] = (ms_scale_metric){keys[a].N * MS_N_UNIT,
                                                     keys[a].D * MS_D_UNIT, keys[a].set,
                                                     acc_metric(&ac)};
    }
    free(keys);
    return MS_OK;
}

ms_status ms_metrics_compute(const ms_problem *p, const ms_law *law,
                             const double *theta, double mask, ms_metrics *m,
                             ms_diag *d)
{
    const size_t K = p->K;
    memset(m, 0, sizeof *m);
    m->K = K;
    m->pred = malloc((p->n_rows ? p->n_rows : 1) * K * sizeof *m->pred);
    m->domain = calloc(MS_N_SETS * K, sizeof *m->domain);
    acc *dom = calloc(MS_N_SETS * K, sizeof *dom);
    ms_status st = m->pred && m->domain && dom ? MS_OK : MS_ENOMEM;
    if (st == MS_OK)
        st = ms_problem_predict(p, law, theta, m->pred, d);
    acc sets[MS_N_SETS][2];
    memset(sets, 0, sizeof sets);
    for (size_t u = 0; st == MS_OK && u < p->n_runs; u++)
        for (size_t k = p->run_first[u]; k < p->run_first[u] + p->run_count[u]; k++) {
            int set = row_set(p, k);
            if (set >= 0)
                add_row(p, p->run_h + u * K, k, m->pred, mask, &sets[set][0],
                        &sets[set][1], dom + (size_t)set * K);
        }
    if (st == MS_OK) {
        for (int s = 0; s < MS_N_SETS; s++) {
            m->overall[s][0] = acc_metric(&sets[s][0]);
            m->overall[s][1] = acc_metric(&sets[s][1]);
            for (size_t i = 0; i < K; i++)
                m->domain[s * K + i] = acc_metric(&dom[s * K + i]);
        }
        st = score_scales(p, mask, m);
    }
    free(dom);
    if (st == MS_ENOMEM)
        ms_diag_set(d, st, NULL, 0, 0, "out of memory");
    if (st != MS_OK)
        ms_metrics_done(m);
    return st;
}

void ms_metrics_done(ms_metrics *m)
{
    free(m->domain);
    free(m->scales);
    free(m->pred);
    memset(m, 0, sizeof *m);
}
