/* optimize.h — the optimal mixture of a fitted law at a target scale, how
 * flat the optimum is, and how well the law ranks observed mixtures.
 *
 * The problem (DESIGN.md §1, issue 4):
 *
 *   h* = argmin_h  f(h) = sum_i w_i L_i(h, N, D) / sum_i w_i
 *        subject to sum_i h_i = 1,  lo_i <= h_i <= hi_i
 *
 * for any law of the registry. f is the weighted mean loss (the plain mean
 * with the default weights). The bounds combine:
 *   - the law's floor h_min (law->h_min) for every free domain;
 *   - per-domain --min / --max;
 *   - data availability: h_i * D <= tokens_i * epochs;
 *   - locks: lo_i = hi_i = the locked value (any value in [0, 1], so a
 *     domain can be locked out at 0 even though free domains keep h_min).
 *
 * Method: spectral projected gradient (Birgin, Martinez & Raydan 2000) with
 * a non-monotone line search and an exact projection onto the feasible
 * polytope {lo <= h <= hi, sum h = 1}, so bounds are met exactly rather
 * than approached (as a softmax reparametrisation would). Gradients in h are
 * central finite differences (the law interface gives derivatives in theta
 * only; measured against capnoise's analytic gradient: ~1e-9 relative),
 * one-sided where the noise term's floor h_min makes a kink. A solve stops
 * when its gradient residual (below) is under opts.tol, or when 100
 * iterations in a row gain nothing (1e-15 relative): that is how it ends at
 * a kink of the capacity floor (a domain's x_i* exactly at H), where
 * optima do occur and the gradient does not exist. Restarts begin at random
 * points of the polytope drawn from seeded streams (rng.h: restart r uses
 * stream (seed, r)), so the same seed gives the same answer; restart 0
 * begins at h0 when given, else at the projection of the uniform mixture.
 * The objective is not convex in general (capnoise with many domains has
 * distinct local optima): the best restart wins and the others are counted.
 *
 * Optimality (first-order KKT on the polytope): with g = grad f and mu the
 * multiplier of sum h = 1, free domains need g_i = mu, domains on a lower
 * bound g_i >= mu, on an upper bound g_i <= mu. The residual is the smallest
 * achievable largest violation over mu, relative to the objective:
 *     r = max(0, max_{free or upper} g_i - min_{free or lower} g_i) / 2 / |f|
 * i.e. moving a share delta of the mixture between the two worst domains
 * changes f by at most 2 r delta |f| to first order. ms_optimize_check
 * measures it without assuming a gradient: over every exchange the bounds
 * allow (weight from j to i), the one-sided slope s_ij of f along
 * e_i - e_j (second-order forward differences, step 1e-4 of the smaller
 * weight), r = max(0, -min s_ij) / 2 / |f|. For a smooth f this is the
 * formula above; at a kink it is the right directional test. A domain
 * within MS_OPT_BOUND_TOL of a bound counts as on it. The check passes
 * when the point is feasible and r <= MS_OPT_TOL. It costs 2 K (K - 1)
 * evaluations.
 *
 * All sizes in this module are raw counts (parameters, tokens), like the
 * command line and the sweep; the law gets law units (units.h). */
#ifndef MIXSCOPE_OPTIMIZE_H
#define MIXSCOPE_OPTIMIZE_H

#include <stddef.h>

#include "mixscope/diag.h"
#include "mixscope/law.h"
#include "mixscope/problem.h"

#define MS_OPT_TOL 1e-6        /* KKT residual the check accepts */
#define MS_OPT_BOUND_TOL 1e-9  /* a weight this close to a bound is on it */
#define MS_OPT_SUM_TOL 1e-9    /* |sum h - 1| the check accepts */
#define MS_OPT_AGREE 1e-3      /* restarts agree: every weight within this */

/* What to optimise for and under which constraints. Arrays have K entries
 * and are borrowed (read by ms_optimize_new only); NULL means "none". */
typedef struct {
    const double *weight; /* objective weights >= 0, not all 0; NULL: all 1 */
    const double *lock;   /* locked weight in [0, 1], NaN = free */
    const double *min;    /* lower bound in [0, 1], NaN = none */
    const double *max;    /* upper bound in [0, 1], NaN = none */
    const double *tokens; /* tokens available (raw count > 0), NaN = unlimited */
    double epochs;        /* repetitions allowed of those tokens (> 0; default 1) */
} ms_opt_spec;

void ms_opt_spec_init(ms_opt_spec *s);

typedef struct {
    size_t restarts;      /* default 20 (at least 1) */
    unsigned long seed;   /* default 1 */
    size_t max_iter;      /* per restart, default 1000 */
    double tol;           /* stop when the gradient residual is below this (1e-9) */
    const double *h0;     /* optional start of restart 0 (projected first) */
} ms_opt_opts;

void ms_opt_opts_init(ms_opt_opts *o);

/* The first-order check of a mixture. */
typedef struct {
    int feasible;      /* bounds within MS_OPT_BOUND_TOL, sum within MS_OPT_SUM_TOL */
    double violation;  /* largest bound or sum violation (0 if feasible exactly) */
    double residual;   /* KKT residual r from the exchange slopes (above) */
    double mu;         /* multiplier of sum h = 1 from the central-difference
                          gradient (objective per unit weight) */
    double objective;  /* f(h) */
    long worst;        /* the violated bound's domain, else the domain that should
                          lose weight in the worst exchange; -1 none */
    int ok;            /* feasible && residual <= MS_OPT_TOL */
} ms_opt_check;

typedef struct {
    double objective;        /* f(h*) */
    size_t restarts;         /* restarts run */
    size_t agree;            /* restarts ending within MS_OPT_AGREE of h* (incl. the best) */
    size_t agree_objective;  /* restarts ending within 1e-7 (relative) of f(h*) */
    size_t best_restart;
    size_t iterations;       /* of the best restart */
    size_t evaluations;      /* law evaluations, every restart */
    ms_opt_check check;      /* ms_optimize_check at h* */
} ms_opt_result;

/* Flatness of domain i: the range of h_i over which the constrained optimum
 * with h_i pinned (every other weight re-optimised) stays within
 * (1 + within) f(h*). A side flagged `*_bound` reaches the feasible limit of
 * h_i (a constraint) with the objective still inside the threshold. */
typedef struct {
    double lo, hi;
    int lo_bound, hi_bound;
} ms_opt_range;

typedef struct ms_optimizer ms_optimizer;

/* Prepares the problem for `law` with parameters theta (natural units,
 * copied) at model size N (parameters) and token budget D (tokens), for K
 * named domains (`domains` names them in messages; NULL: "domain 3").
 * Returns MS_OK and a new optimizer, MS_ENOMEM, or MS_EINPUT with a message
 * that names the reason when the spec is invalid (a weight, bound or lock
 * outside [0, 1], all weights zero, epochs <= 0) or the constraints leave
 * no feasible mixture:
 *   "infeasible: web: --min 0.5 is above --max 0.3"
 *   "infeasible: github: locked at 0.1, but 30B tokens x 4 epochs cover at
 *    most 0.004 of D = 30T"
 *   "infeasible: the lower bounds sum to 1.2 (locks github=0.5; --min ...)"
 *   "infeasible: the upper bounds sum to 0.62 (...), less than 1" */
ms_status ms_optimize_new(const ms_law *law, const double *theta, double N, double D,
                          const ms_opt_spec *spec, const char *const *domains,
                          ms_optimizer **out, ms_diag *d);

/* Frees; NULL is a no-op. */
void ms_optimize_free(ms_optimizer *o);

/* Moves the problem to another scale (raw counts), keeping the spec. The
 * token caps change with D, so this can fail like ms_optimize_new
 * (MS_EINPUT, infeasible); until a rescale succeeds, ms_optimize_run and
 * ms_optimize_flatness then fail with MS_EINPUT. */
ms_status ms_optimize_rescale(ms_optimizer *o, double N, double D, ms_diag *d);

/* The effective bounds (K entries each, valid until the next rescale), and
 * whether domain i is locked. */
const double *ms_optimize_lower(const ms_optimizer *o);
const double *ms_optimize_upper(const ms_optimizer *o);
int ms_optimize_locked(const ms_optimizer *o, size_t i);

/* f(h) for any h >= 0 (not necessarily feasible). Returns MS_OK or the
 * law's error (MS_EINPUT, MS_ENUMERIC). */
ms_status ms_optimize_objective(ms_optimizer *o, const double *h, double *f, ms_diag *d);

/* f(h) and its partial derivatives g[K] by finite differences (0 for
 * locked domains, which never move). h must lie within the bounds. */
ms_status ms_optimize_gradient(ms_optimizer *o, const double *h, double *f, double *g,
                               ms_diag *d);

/* Projects y onto the feasible polytope (Euclidean): x[K] feasible, with
 * every bound met exactly and the sum 1 to rounding. y may equal x. The
 * optimizer must be at a feasible scale (asserted). */
void ms_optimize_project(ms_optimizer *o, const double *y, double *x);

/* The first-order optimality check of any mixture h (see the top of this
 * file); callable on a deliberately wrong answer. */
ms_status ms_optimize_check(ms_optimizer *o, const double *h, ms_opt_check *c, ms_diag *d);

/* Runs the restarts (opts NULL = defaults) and writes the best mixture to
 * h[K] and the summary to *r. Returns MS_OK (even if the check fails: read
 * r->check.ok), MS_ENUMERIC when every restart failed to evaluate, or
 * MS_ENOMEM. */
ms_status ms_optimize_run(ms_optimizer *o, const ms_opt_opts *opts, double *h,
                          ms_opt_result *r, ms_diag *d);

/* Flatness around the optimum h_star (from ms_optimize_run) for the n
 * thresholds within[0] < within[1] < ... (e.g. 0.001, 0.005): ranges[k*K+i]
 * for threshold k and domain i. Each side is found by Brent's method on
 * t -> min{f(h) : h feasible, h_i = t} - (1 + within[k]) f(h_star), each
 * evaluation a warm-started projected-gradient solve (no restarts). Locked
 * domains get [lock, lock], both sides flagged. Returns MS_OK, MS_ENOMEM or
 * the law's error. */
ms_status ms_optimize_flatness(ms_optimizer *o, const double *h_star, const double *within,
                               size_t n, ms_opt_range *ranges, ms_diag *d);

/* How a law ranks observed mixtures: every row of `p` with a role (train or
 * test; e.g. a problem built with an "at" split holds the rows of one grid
 * point), its predicted objective at the row's own (N, D) beside the
 * observed one, both the weighted mean over domains with the given weights
 * (NULL: all 1). Rows missing the loss of a domain with positive weight
 * are skipped and counted. */
typedef struct {
    size_t n;               /* mixtures ranked */
    size_t skipped;         /* rows left out for a missing loss */
    size_t *row;            /* n problem rows, best predicted first */
    double *predicted;      /* n, in that order */
    double *observed;       /* n */
    size_t *observed_rank;  /* n: 1-based rank by observed objective (ties share the lowest) */
    double spearman;        /* rank correlation (average ranks for ties); NaN if n < 2 */
    size_t best;            /* index into the arrays of the best observed mixture */
    int top_pick_is_best;   /* observed[0] equals the best observed objective */
    double regret;          /* observed[0] - observed[best] (>= 0) */
} ms_rank;

/* Fills *r (free with ms_optimize_rank_done). Returns MS_OK, MS_ENOMEM, the
 * law's error, or MS_EINPUT when no row is left to rank. */
ms_status ms_optimize_rank(const ms_problem *p, const ms_law *law, const double *theta,
                           const double *weight, ms_rank *r, ms_diag *d);
void ms_optimize_rank_done(ms_rank *r);

#endif
