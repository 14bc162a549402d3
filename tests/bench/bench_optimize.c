/* bench_optimize — the optimal mixture with 20 restarts (targets: K = 7
 * under 20 ms, K = 64 under 2 s), for random capnoise parameters in
 * plausible ranges at N = 1.3B, D = 30B; then the flatness ranges. Prints
 * the median and the worst of several runs, each with other parameters.
 * A program that prints figures, not a test. */
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/rng.h"
#include "mixscope/optimize.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* b in [0.2, 1], c in [2, 20] (log), A in [0.3, 2.3], a in [0.1, 0.6],
 * E in [0.5, 2], H in [1, 11] (millions): the ranges fits land in. */
static void random_params(size_t K, uint64_t seed, double *th)
{
    ms_rng r = ms_rng_stream(seed, 7);
    for (size_t i = 0; i < K; i++) {
        th[i] = 0.2 + 0.8 * ms_rng_uniform(&r);
        th[K + i] = 2 * pow(10, ms_rng_uniform(&r));
        th[2 * K + i] = 0.3 + 2 * ms_rng_uniform(&r);
        th[3 * K + i] = 0.1 + 0.5 * ms_rng_uniform(&r);
        th[4 * K + i] = 0.5 + 1.5 * ms_rng_uniform(&r);
    }
    th[5 * K] = 1 + 10 * ms_rng_uniform(&r);
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct {
    double t_opt, t_flat;
    size_t evals, agree, ok;
} run;

static int one(size_t K, uint64_t seed, int flat, run *out)
{
    ms_law law = ms_law_make(ms_law_find("capnoise"), K);
    double *th = malloc(law.n_params * sizeof *th), *h = malloc(K * sizeof *h);
    ms_opt_range *rg = malloc(2 * K * sizeof *rg);
    static const double within[2] = {0.001, 0.005};
    ms_optimizer *o = NULL;
    ms_opt_result r;
    ms_diag d;
    int rc = 0;
    random_params(K, seed, th);
    double t0 = now();
    if (ms_optimize_new(&law, th, 1.3e9, 30e9, NULL, NULL, &o, &d) != MS_OK ||
        ms_optimize_run(o, NULL, h, &r, &d) != MS_OK) {
        fprintf(stderr, "bench_optimize: %s\n", d.msg);
        rc = -1;
    }
    out->t_opt = now() - t0;
    out->t_flat = NAN;
    if (rc == 0) {
        out->evals = r.evaluations, out->agree = r.agree, out->ok = (size_t)r.check.ok;
        t0 = now();
        if (flat && ms_optimize_flatness(o, h, within, 2, rg, &d) != MS_OK) {
            fprintf(stderr, "bench_optimize: flatness: %s\n", d.msg);
            rc = -1;
        }
        if (flat)
            out->t_flat = now() - t0;
    }
    ms_optimize_free(o);
    free(th), free(h), free(rg);
    return rc;
}

static int bench(size_t K, size_t runs, size_t flat_runs, double target)
{
    double *t = malloc(runs * sizeof *t), *tf = malloc(runs * sizeof *tf);
    size_t evals = 0, agree = 0, ok = 0, nf = 0;
    for (size_t k = 0; k < runs; k++) {
        run r;
        if (one(K, 1000 + k, k < flat_runs, &r) != 0)
            return 1;
        t[k] = r.t_opt;
        evals += r.evals, agree += r.agree, ok += r.ok;
        if (k < flat_runs)
            tf[nf++] = r.t_flat;
    }
    qsort(t, runs, sizeof *t, cmp);
    qsort(tf, nf, sizeof *tf, cmp);
    printf("K = %2zu, 20 restarts: median %8.2f ms, worst %8.2f ms (target < %g ms) over %zu "
           "parameter sets; %.0f law evaluations per solve; %.1f of 20 restarts agree; "
           "check passed %zu/%zu\n", K, 1e3 * t[runs / 2], 1e3 * t[runs - 1], target, runs,
           (double)evals / (double)runs, (double)agree / (double)runs, ok, runs);
    if (nf)
        printf("K = %2zu, flatness (+0.1%%, +0.5%%, every domain): median %8.1f ms, worst "
               "%8.1f ms over %zu sets\n", K, 1e3 * tf[nf / 2], 1e3 * tf[nf - 1], nf);
    free(t), free(tf);
    return 0;
}

int main(void)
{
    gsl_set_error_handler_off();
    if (bench(7, 21, 21, 20) || bench(64, 7, 1, 2000))
        return 1;
    return 0;
}
