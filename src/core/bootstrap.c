/* Bootstrap refits (fit.h). Each refit gets its own copy of the problem's
 * weights, scaled by sqrt(times its run was drawn) since residuals are
 * squared; the resampling stream is (seed, refit index), so results do not
 * depend on which thread ran which refit. */
#include "core/rng.h"
#include "mixscope/fit.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    const ms_problem *p;
    const ms_law_def *def;
    const ms_fit_opts *o;
    const double *theta;
    size_t B, P, next;
    double *samples;
    size_t *train_runs, n_train_runs;
    pthread_mutex_t lock;
    ms_status fail;
} boot_shared;

static void one_refit(boot_shared *sh, size_t b, ms_problem *copy, size_t *count)
{
    const ms_problem *p = sh->p;
    ms_rng rng = ms_rng_stream(sh->o->seed, 0xb007 + b);
    memset(count, 0, p->n_runs * sizeof *count);
    for (size_t t = 0; t < sh->n_train_runs; t++)
        count[sh->train_runs[ms_rng_below(&rng, sh->n_train_runs)]]++;
    for (size_t u = 0; u < p->n_runs; u++)
        for (size_t k = p->run_first[u]; k < p->run_first[u] + p->run_count[u]; k++)
            copy->weight[k] = p->weight[k] * sqrt((double)count[u]);
    ms_fit_opts o = *sh->o;
    o.starts = 1;
    o.threads = 1;
    o.theta0 = sh->theta;
    o.progress = NULL;
    ms_fit_result *r = NULL;
    double *out = sh->samples + b * sh->P;
    if (ms_fit_run(copy, sh->def, &o, &r, NULL) == MS_OK)
        memcpy(out, r->theta, sh->P * sizeof *out);
    else
        for (size_t j = 0; j < sh->P; j++)
            out[j] = NAN;
    ms_fit_result_free(r);
}

static void *boot_worker(void *arg)
{
    boot_shared *sh = arg;
    ms_problem copy = *sh->p;
    copy.weight = malloc(sh->p->n_rows * sizeof *copy.weight);
    size_t *count = malloc(sh->p->n_runs * sizeof *count);
    if (!copy.weight || !count) {
        pthread_mutex_lock(&sh->lock);
        sh->fail = MS_ENOMEM;
        pthread_mutex_unlock(&sh->lock);
    }
    for (;;) {
        pthread_mutex_lock(&sh->lock);
        size_t b = !sh->fail && sh->next < sh->B ? sh->next++ : SIZE_MAX;
        pthread_mutex_unlock(&sh->lock);
        if (b == SIZE_MAX)
            break;
        one_refit(sh, b, &copy, count);
    }
    free(copy.weight);
    free(count);
    return NULL;
}

ms_status ms_fit_bootstrap(const ms_problem *p, const ms_law_def *def,
                           const ms_fit_opts *o, const double *theta, size_t B,
                           double *samples, ms_diag *d)
{
    boot_shared sh = {p, def, o, theta, B, ms_law_make(def, p->K).n_params, 0, samples,
                      NULL, 0, PTHREAD_MUTEX_INITIALIZER, MS_OK};
    sh.train_runs = malloc((p->n_runs ? p->n_runs : 1) * sizeof *sh.train_runs);
    if (!sh.train_runs)
        return ms_diag_set(d, MS_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t u = 0; u < p->n_runs; u++)
        for (size_t k = p->run_first[u]; k < p->run_first[u] + p->run_count[u]; k++)
            if (p->role[k] == MS_ROLE_TRAIN && p->weight[k] > 0) {
                sh.train_runs[sh.n_train_runs++] = u;
                break;
            }
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    size_t threads = o->threads ? o->threads : ncpu > 0 ? (size_t)ncpu : 1, started = 0;
    if (threads > B)
        threads = B ? B : 1;
    pthread_t tid[64];
    for (; started < threads && started < 64; started++)
        if (pthread_create(&tid[started], NULL, boot_worker, &sh) != 0)
            break;
    if (!started)
        boot_worker(&sh);
    for (size_t t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    free(sh.train_runs);
    if (sh.fail)
        return ms_diag_set(d, sh.fail, NULL, 0, 0, "out of memory");
    return MS_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double ms_percentile(const double *v, size_t n, size_t stride, double q)
{
    double *tmp = malloc((n ? n : 1) * sizeof *tmp);
    size_t m = 0;
    if (!tmp)
        return NAN;
    for (size_t k = 0; k < n; k++)
        if (isfinite(v[k * stride]))
            tmp[m++] = v[k * stride];
    double r = NAN;
    if (m) {
        qsort(tmp, m, sizeof *tmp, cmp_double);
        double pos = q * (double)(m - 1);
        size_t lo = (size_t)floor(pos), hi = lo + 1 < m ? lo + 1 : lo;
        r = tmp[lo] + (pos - (double)lo) * (tmp[hi] - tmp[lo]);
    }
    free(tmp);
    return r;
}
