/* fit_impl.h — the residual machinery the fitter shares between threads.
 * Private to src/core. */
#ifndef MIXSCOPE_FIT_IMPL_H
#define MIXSCOPE_FIT_IMPL_H

#include <gsl/gsl_blas.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include "mixscope/fit.h"

/* Read-only after fit_setup_build; shared by every worker. Residuals are
 * ordered by fitted run, then row, then domain. */
typedef struct {
    const ms_problem *p;
    ms_law law;
    ms_resid resid;
    double huber;
    size_t P, n_cells;
    unsigned char *is_log; /* P: parameter optimised as log(theta) */
    size_t n_fruns;        /* runs with at least one fitted row */
    size_t *frun;          /* their run indices */
    size_t *frow_start;    /* n_fruns + 1: their rows in frow[] */
    size_t *frow;          /* fitted rows */
    size_t *cell_start;    /* n_frows + 1: each fitted row's cells in cell_dom[] */
    unsigned *cell_dom;    /* the domain of each residual */
    size_t max_rows;       /* most fitted rows in one run */
} fit_setup;

/* Per-thread scratch for evaluating residuals. The Jacobian (n_cells x P)
 * is cached for the last point it was computed at, when it fits in
 * FIT_JCACHE_BYTES; otherwise each product recomputes it row by row. */
#define FIT_JCACHE_BYTES ((size_t)256 << 20)
typedef struct {
    const fit_setup *fs;
    double *theta, *D, *loss, *jac, *work;
    double *J;        /* cached Jacobian (u-space), or NULL */
    double *J_at;     /* P: the point J was computed at */
    int J_valid;
    size_t *nz;       /* P: nonzero columns of one row */
    double *jrow;     /* P: one Jacobian row when there is no cache */
    ms_diag d;
} fit_worker;

ms_status fit_setup_build(fit_setup *fs, const ms_problem *p, const ms_law *law,
                          const ms_fit_opts *o);
void fit_setup_done(fit_setup *fs);

/* Data that cannot determine the parameters get "cannot fit <law>: ...",
 * not arbitrary numbers: fewer residuals (or distinct ones: a duplicated
 * row adds none) than parameters, or a domain without any residual (its
 * parameters would stay where the start put them). MS_OK or MS_EINPUT. */
ms_status fit_setup_check(const fit_setup *fs, const ms_fit_opts *o, ms_diag *d);

ms_status fit_worker_init(fit_worker *w, const fit_setup *fs);
void fit_worker_done(fit_worker *w);

/* u (transformed) -> theta (natural units). */
void fit_theta_from_u(const fit_setup *fs, const double *u, double *theta);
void fit_u_from_theta(const fit_setup *fs, const double *theta, double *u);

/* gsl_multilarge_nlinear callbacks; params is a fit_worker. fit_df
 * computes v = J u (NoTrans) or v = J^T u (Trans), and J^T J's lower
 * triangle when JTJ is not NULL, from the law's analytic derivatives. */
int fit_f(const gsl_vector *u, void *params, gsl_vector *f);
int fit_df(CBLAS_TRANSPOSE_t TransJ, const gsl_vector *x, const gsl_vector *u,
           void *params, gsl_vector *v, gsl_matrix *JTJ);

#endif
