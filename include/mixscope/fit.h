/* fit.h — fitting a law to a problem: nonlinear least squares, multi-start.
 *
 * Residuals are taken over the training cells (row, domain) with an
 * observed loss and a weight h_i >= mask: relative (pred-obs)/obs or
 * absolute pred-obs, times the row's fit weight, optionally through a Huber
 * function. Parameters are optimised in a transformed space: log for
 * positive and non-negative groups (so they stay positive), identity for
 * real ones. Each start is a Levenberg-Marquardt trust-region run of GSL's
 * gsl_multifit_nlinear with the law's analytic Jacobian.
 *
 * Starting points are drawn from the law's initial ranges by a generator
 * seeded with (seed, start index), starts run in parallel on `threads`
 * threads, and the best is chosen by (cost, start index): the same seed
 * gives the same parameters whatever the number of threads. */
#ifndef MIXSCOPE_FIT_H
#define MIXSCOPE_FIT_H

#include <stddef.h>

#include "mixscope/law.h"
#include "mixscope/problem.h"

typedef enum { MS_RESID_RELATIVE, MS_RESID_ABSOLUTE } ms_resid;

/* What a progress callback sees. Called from worker threads, one call at a
 * time (the fitter serialises them). Pointers are valid during the call. */
typedef struct {
    size_t start, n_starts;   /* this start (0-based) and how many */
    size_t starts_done;
    size_t iter;              /* iteration within this start */
    double cost;              /* this start's current cost */
    double best_cost;         /* best finished start so far (inf if none) */
    const double *best_theta; /* its parameters (NULL if none) */
    double best_train_mre, best_test_mre; /* masked, NaN if unknown */
} ms_fit_progress;

/* Return non-zero to cancel the fit. */
typedef int (*ms_fit_progress_fn)(const ms_fit_progress *p, void *ctx);

typedef struct {
    ms_resid resid;     /* default relative */
    double huber;       /* 0: plain least squares; else the Huber delta */
    double mask;        /* default MS_MASK_DEFAULT (0.1) */
    size_t starts;      /* default 12 */
    unsigned long seed; /* default 1 */
    size_t threads;     /* 0: the number of online processors */
    size_t max_iter;    /* per start, default 150 */
    double h_min;       /* the law's h_min, default MS_H_MIN_DEFAULT */
    const double *theta0; /* optional: start 0 begins here (natural units) */
    ms_fit_progress_fn progress;
    void *progress_ctx;
} ms_fit_opts;

void ms_fit_opts_init(ms_fit_opts *o);

typedef struct {
    ms_law law;
    double *theta;       /* best parameters, natural units (P) */
    double *stderr_theta;/* P standard errors; NaN where not identifiable */
    double cost;         /* 0.5 * sum of squared residuals at theta */
    size_t n_cells;      /* residuals */
    size_t best_start, iterations;
    size_t starts_run, starts_ok; /* started; ended with a finite cost */
    size_t starts_agree; /* finite starts within 1e-3 relative of the best cost */
    double *start_cost;  /* per start (inf if it failed) */
    size_t n_starts;
    int cancelled;       /* the callback asked to stop; theta is the best finished start */
    double seconds;      /* wall time */
} ms_fit_result;

/* Fits `def` to the training rows of `p`. On success returns MS_OK and a
 * new result (free with ms_fit_result_free) whose parameters are all
 * finite and of their kind (> 0 where positive). Fails with MS_EINPUT
 * ("cannot fit <law>: ...") when there are fewer residuals than parameters
 * (counting a duplicated row once) or a domain has no residual at all,
 * MS_ENUMERIC when no start reached a finite cost with such parameters,
 * MS_ECANCEL when cancelled before any start finished, MS_ENOMEM. */
ms_status ms_fit_run(const ms_problem *p, const ms_law_def *def, const ms_fit_opts *o,
                 ms_fit_result **out, ms_diag *d);

void ms_fit_result_free(ms_fit_result *r);

/* Indices j where theta_j sits at the edge of what the data can identify:
 * a non-negative parameter below 1e-6 of its initial range, or a
 * parameter more than 1e4 times outside its initial range. Writes up to
 * `max` indices; returns how many there are. */
size_t ms_fit_on_bounds(const ms_law *law, const double *theta, size_t *idx, size_t max);

#endif

/* Bootstrap: B refits on training runs resampled with replacement (a run
 * drawn m times weighs m; checkpoints of a run move together), each a
 * single start from `theta` (the full fit's optimum), with the objective of
 * `o` (its starts and progress are ignored; its threads spread the refits).
 * Writes B x P parameter vectors to samples (row b = refit b); a refit that
 * fails gets NaN. Deterministic for a given o->seed. Returns MS_OK,
 * MS_ENOMEM. */
ms_status ms_fit_bootstrap(const ms_problem *p, const ms_law_def *def,
                           const ms_fit_opts *o, const double *theta, size_t B,
                           double *samples, ms_diag *d);

/* Percentile q (0..1) of the finite values among v[0], v[stride], ...
 * (n values); NaN if none. */
double ms_percentile(const double *v, size_t n, size_t stride, double q);
