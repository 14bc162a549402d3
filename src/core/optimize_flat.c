/* Flatness of the optimum: for each domain, how far its weight can move
 * while the re-optimised objective stays within a threshold (optimize.h). */
#include "mixscope/optimize.h"
#include "core/optimize_impl.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <string.h>

#define FLAT_TOL 1e-5        /* KKT residual of each pinned solve: its suboptimality,
                                about (r f)^2 / curvature, is far below any threshold */
#define FLAT_MAX_ITER 400
#define FLAT_EPSABS 1e-5     /* Brent stops when the edge is known to this (in h_i) */
#define FLAT_EPSREL 1e-3
#define FLAT_MAX_BRENT 60
#define FLAT_CACHE 64        /* pinned optima remembered per side */
#define FLAT_SECANT 4        /* continuation extrapolates at most this far */
#define FLAT_FIRST 0.1       /* first trial step: this share of h_i* ... */
#define FLAT_FIRST_MIN 1e-3  /* ... or at least this */
#define FLAT_OVERSHOOT 1.2   /* trials land this far beyond the predicted edge */

typedef struct {
    ms_optimizer *o;
    size_t i;
    double f_star, target;
    double t[FLAT_CACHE], f[FLAT_CACHE]; /* pinned optima already solved */
    size_t n;
    double t_warm, t_warm2; /* where o->warm and o->warm2 were solved */
    size_t n_warm;          /* how many of the two are set */
    ms_status st;
    ms_diag d;
} phi_ctx;

/* min f(h) over the feasible h with h_i = t (t within domain i's feasible
 * range). The start continues the path of pinned optima: the last solution
 * moved along the secant through the last two, which the solve then only
 * corrects. */
static ms_status pinned_min(phi_ctx *c, double t, double *f, ms_diag *d)
{
    ms_optimizer *o = c->o;
    const size_t K = o->K, i = c->i;
    const double lo = o->lo[i], hi = o->hi[i];
    double s = 0;
    size_t it;
    if (c->n_warm >= 2 && c->t_warm != c->t_warm2)
        s = fmin(fmax((t - c->t_warm) / (c->t_warm - c->t_warm2), -FLAT_SECANT), FLAT_SECANT);
    for (size_t j = 0; j < K; j++)
        o->x[j] = o->warm[j] + s * (o->warm[j] - o->warm2[j]);
    o->lo[i] = o->hi[i] = t;
    ms_optimize_project(o, o->x, o->x);
    ms_status st = ms_opt_spg(o, o->x, FLAT_MAX_ITER, FLAT_TOL, f, &it, d);
    o->lo[i] = lo, o->hi[i] = hi;
    if (st == MS_OK) {
        memcpy(o->warm2, o->warm, K * sizeof *o->x);
        memcpy(o->warm, o->x, K * sizeof *o->x);
        c->t_warm2 = c->t_warm, c->t_warm = t, c->n_warm++;
    }
    return st;
}

/* The pinned optimum at t, from the cache when Brent asks again for a
 * bracket end. */
static ms_status phi_value(phi_ctx *c, double t, double *f, ms_diag *d)
{
    for (size_t k = 0; k < c->n; k++)
        if (c->t[k] == t) {
            *f = c->f[k];
            return MS_OK;
        }
    ms_status st = pinned_min(c, t, f, d);
    if (st == MS_OK && c->n < FLAT_CACHE)
        c->t[c->n] = t, c->f[c->n++] = *f;
    return st;
}

/* Near the optimum phi grows like (t - t*)^2, so its square root is nearly
 * linear in t and Brent's interpolation lands on the edge in a few steps.
 * GSL cannot carry our status: the first failure is kept and every later
 * call returns NaN, which stops the solver. */
static double phi(double t, void *p)
{
    phi_ctx *c = p;
    double f;
    if (c->st != MS_OK)
        return NAN;
    c->st = phi_value(c, t, &f, &c->d);
    return c->st == MS_OK ? sqrt(fmax(f - c->f_star, 0)) - sqrt(c->target - c->f_star) : NAN;
}

/* Steps outward from t_in (inside the threshold) toward the feasible limit
 * `lim` until a pinned optimum lies outside: each trial a little beyond
 * where the parabola through (t*, f*) and the last inside point puts the
 * edge, so the far, slow end of the range is rarely solved. On return,
 * either *bound (lim itself is inside) or the edge lies between *t_in and
 * *t_out. */
static ms_status bracket(phi_ctx *c, double t_star, double *t_in, double lim, double *t_out,
                         int *bound, ms_diag *d)
{
    const double r_lim = fabs(lim - t_star), sgn = lim > t_star ? 1 : -1;
    double r_in = fabs(*t_in - t_star), f_in, f;
    ms_status st = phi_value(c, *t_in, &f_in, d);
    while (st == MS_OK) {
        if (r_in >= r_lim) {
            *bound = 1;
            return MS_OK;
        }
        double r = r_in > 0 ? 4 * r_in : fmax(FLAT_FIRST * t_star, FLAT_FIRST_MIN);
        if (r_in > 0 && f_in > c->f_star)
            r = fmax(1.25 * r_in, FLAT_OVERSHOOT * r_in *
                                      sqrt((c->target - c->f_star) / (f_in - c->f_star)));
        const double t = r >= r_lim ? lim : t_star + sgn * r;
        if ((st = phi_value(c, t, &f, d)) == MS_OK && f > c->target) {
            *t_out = t, *bound = 0;
            return MS_OK;
        }
        r_in = fabs(t - t_star), *t_in = t, f_in = f;
    }
    return st;
}

/* The edge on one side for the current threshold, from t_in (inside) toward
 * lim; t_in becomes the edge, for the next threshold to start from. */
static ms_status edge(phi_ctx *c, gsl_root_fsolver *s, double t_star, double *t_in, double lim,
                      double *t_edge, int *bound, ms_diag *d)
{
    double t_out;
    ms_status st = bracket(c, t_star, t_in, lim, &t_out, bound, d);
    if (st != MS_OK || *bound) {
        *t_edge = lim;
        return st;
    }
    gsl_function fn = {phi, c};
    double a = fmin(*t_in, t_out), b = fmax(*t_in, t_out);
    c->st = MS_OK;
    int gs = gsl_root_fsolver_set(s, &fn, a, b);
    for (int k = 0; gs == GSL_SUCCESS && k < FLAT_MAX_BRENT; k++) {
        gs = gsl_root_fsolver_iterate(s);
        a = gsl_root_fsolver_x_lower(s), b = gsl_root_fsolver_x_upper(s);
        if (gs == GSL_SUCCESS && gsl_root_test_interval(a, b, FLAT_EPSABS, FLAT_EPSREL) ==
                                     GSL_SUCCESS)
            break;
    }
    if (c->st != MS_OK) {
        *d = c->d;
        return c->st;
    }
    if (gs != GSL_SUCCESS)
        return ms_diag_set(d, MS_ENUMERIC, NULL, 0, 0, "flatness of %s: %s",
                           ms_opt_name(c->o, c->i), gsl_strerror(gs));
    /* Report the side of the final bracket inside the threshold. */
    *t_edge = *t_in = t_out > *t_in ? a : b;
    return MS_OK;
}

/* Both sides of domain i for every threshold. */
static ms_status domain_flat(phi_ctx *c, gsl_root_fsolver *s, const double *h_star,
                             const double *within, size_t n, ms_opt_range *ranges,
                             ms_diag *d)
{
    ms_optimizer *o = c->o;
    const size_t K = o->K, i = c->i;
    double others_lo = 0, others_hi = 0;
    for (size_t j = 0; j < K; j++)
        if (j != i)
            others_lo += o->lo[j], others_hi += o->hi[j];
    const double lim[2] = {fmax(o->lo[i], 1 - others_hi), fmin(o->hi[i], 1 - others_lo)};
    const double t_star = fmin(fmax(h_star[i], lim[0]), lim[1]);
    for (int side = 0; side < 2; side++) {
        double t_in = t_star;
        memcpy(o->warm, h_star, K * sizeof *o->warm);
        c->t_warm = t_star, c->n_warm = 1;
        c->n = 1;
        c->t[0] = t_star, c->f[0] = c->f_star;
        for (size_t k = 0; k < n; k++) {
            ms_opt_range *r = &ranges[k * K + i];
            c->target = c->f_star + within[k] * fabs(c->f_star);
            ms_status st = edge(c, s, t_star, &t_in, lim[side], side ? &r->hi : &r->lo,
                                side ? &r->hi_bound : &r->lo_bound, d);
            if (st != MS_OK)
                return st;
        }
    }
    return MS_OK;
}

ms_status ms_optimize_flatness(ms_optimizer *o, const double *h_star, const double *within,
                               size_t n, ms_opt_range *ranges, ms_diag *d)
{
    double f_star;
    if (!o->usable)
        return ms_diag_set(d, MS_EINPUT, NULL, 0, 0,
                           "no feasible mixture at this scale (the last rescale failed)");
    ms_status st = ms_optimize_objective(o, h_star, &f_star, d);
    if (st != MS_OK)
        return st;
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s)
        return ms_diag_set(d, MS_ENOMEM, NULL, 0, 0, "out of memory");
    phi_ctx c;
    memset(&c, 0, sizeof c);
    o->alpha = 0;
    c.o = o;
    c.f_star = f_star;
    for (size_t i = 0; i < o->K && st == MS_OK; i++) {
        if (!(o->lo[i] < o->hi[i])) {
            for (size_t k = 0; k < n; k++)
                ranges[k * o->K + i] = (ms_opt_range){o->lo[i], o->lo[i], 1, 1};
            continue;
        }
        c.i = i;
        st = domain_flat(&c, s, h_star, within, n, ranges, d);
    }
    gsl_root_fsolver_free(s);
    return st;
}
