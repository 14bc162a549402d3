/* optimize_impl.h — the optimizer's state, shared by optimize*.c (private). */
#ifndef MIXSCOPE_OPTIMIZE_IMPL_H
#define MIXSCOPE_OPTIMIZE_IMPL_H

#include "mixscope/optimize.h"

struct ms_optimizer {
    ms_law law;
    size_t K;
    double *theta;        /* P, a copy */
    double N, D;          /* law units */
    double N_raw, D_raw;  /* raw counts */
    char **names;         /* K copies, for messages */
    double *w;            /* K objective weights, normalised to sum 1 */
    double *lock, *min, *max, *tokens; /* K each, NaN = none (spec copies) */
    double epochs;
    double *lo, *hi;      /* K effective bounds */
    int usable;           /* bounds are feasible */
    /* Workspace, allocated once. */
    ms_pred pred;
    double *work;         /* ms_law_work_size doubles */
    double *fd;           /* K: perturbed mixture for finite differences */
    double *bp;           /* 2K: projection breakpoints */
    double *x, *g, *xn, *gn, *y;  /* K each: SPG iterates and scratch */
    double *best;         /* K: the best point of the current solve */
    double *warm, *warm2; /* K each: restart starts; flatness continuation */
    size_t evals;         /* objective evaluations so far */
    double alpha;         /* last spectral step; 0 = none (a fresh solve estimates one) */
};

/* f and (if g is not NULL) the gradient at a point within the bounds. */
ms_status ms_opt_fg(ms_optimizer *o, const double *h, double *f, double *g, ms_diag *d);

/* The gradient at h given f = f(h). */
ms_status ms_opt_grad(ms_optimizer *o, const double *h, double f, double *g, ms_diag *d);

/* The KKT residual of (h, g) with objective f: fills residual, mu, worst
 * of c (not the feasibility fields). */
void ms_opt_kkt(const ms_optimizer *o, const double *h, const double *g, double f,
                ms_opt_check *c);

/* One projected-gradient solve from x (feasible, updated in place): at most
 * max_iter iterations, stopping when the KKT residual is below tol. Writes
 * the objective and the iterations taken. Starts with the step o->alpha
 * when it is set (a related solve's curvature) and leaves its last step
 * there. */
ms_status ms_opt_spg(ms_optimizer *o, double *x, size_t max_iter, double tol, double *f,
                     size_t *iters, ms_diag *d);

/* Name of domain i. */
static inline const char *ms_opt_name(const ms_optimizer *o, size_t i)
{
    return o->names[i];
}

#endif
