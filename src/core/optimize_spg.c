/* The solver: spectral projected gradient with a non-monotone line search
 * (Birgin, Martinez & Raydan, SIAM J. Optim. 10, 2000), and seeded
 * restarts (optimize.h). */
#include "mixscope/optimize.h"
#include "core/optimize_impl.h"
#include "core/rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SPG_MEMORY 10     /* the line search compares with the worst of the last 10 */
#define SPG_ALPHA_MIN 1e-12
#define SPG_ALPHA_MAX 1e12
#define SPG_ARMIJO 1e-4
#define AGREE_OBJECTIVE 1e-7
/* At a kink of the capacity floor the gradient residual cannot vanish: the
 * solve ends when SPG_STALL iterations in a row gain less than
 * SPG_PROGRESS (relative), and the exchange test of ms_optimize_check
 * judges the point. */
#define SPG_STALL 100
#define SPG_PROGRESS 1e-15

static double clampd(double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; }

/* Backtracks along x + lam d from lam = 1 until the objective falls below
 * the non-monotone reference; xn gets the accepted point. Returns 0 when
 * the step shrinks to nothing (converged to rounding), 1 on success, -1 on
 * an error other than a non-finite objective. */
static int line_search(ms_optimizer *o, const double *x, const double *dir, double f,
                       double fref, double gd, double *xn, double *fn, ms_status *st,
                       ms_diag *d)
{
    double lam = 1;
    for (;;) {
        for (size_t i = 0; i < o->K; i++)
            xn[i] = clampd(x[i] + lam * dir[i], o->lo[i], o->hi[i]);
        ms_diag dd;
        *st = ms_optimize_objective(o, xn, fn, &dd);
        if (*st == MS_ENOMEM) {
            *d = dd;
            return -1;
        }
        if (*st != MS_OK)
            *fn = INFINITY; /* outside the law's finite range: step back */
        *st = MS_OK;
        if (*fn <= fref + SPG_ARMIJO * lam * gd)
            return 1;
        if (lam < 1e-14)
            return 0;
        double q = isfinite(*fn) ? -0.5 * lam * lam * gd / (*fn - f - lam * gd) : 0;
        lam = q >= 0.1 * lam && q <= 0.5 * lam ? q : lam / 2;
    }
}

/* The projected-gradient step from x with step alpha: dir = P(x - alpha g)
 * - x, and the directional derivative g.dir. */
static double spg_direction(ms_optimizer *o, const double *x, const double *g, double alpha,
                            double *dir)
{
    double gd = 0;
    for (size_t i = 0; i < o->K; i++)
        dir[i] = x[i] - alpha * g[i];
    ms_optimize_project(o, dir, o->xn);
    for (size_t i = 0; i < o->K; i++) {
        dir[i] = o->xn[i] - x[i];
        gd += g[i] * dir[i];
    }
    return gd;
}

/* First step: the last solve's, or a unit move of the largest
 * projected-gradient entry. */
static double first_alpha(ms_optimizer *o, const double *x, const double *g)
{
    double pg = 0;
    if (o->alpha > 0)
        return o->alpha;
    spg_direction(o, x, g, 1, o->y);
    for (size_t i = 0; i < o->K; i++)
        pg = fmax(pg, fabs(o->y[i]));
    return pg > 0 ? clampd(1 / pg, SPG_ALPHA_MIN, SPG_ALPHA_MAX) : 1;
}

/* The Barzilai-Borwein step s.s / s.y for the move x -> xn. Without
 * positive curvature along it (a kink was crossed) the spectral step means
 * nothing: the last one is kept. */
static double spectral_step(size_t K, const double *x, const double *xn, const double *g,
                            const double *gn, double alpha)
{
    double sy = 0, ss = 0;
    for (size_t i = 0; i < K; i++) {
        double s = xn[i] - x[i];
        ss += s * s;
        sy += s * (gn[i] - g[i]);
    }
    return sy > 0 ? clampd(ss / sy, SPG_ALPHA_MIN, SPG_ALPHA_MAX) : alpha;
}

ms_status ms_opt_spg(ms_optimizer *o, double *x, size_t max_iter, double tol, double *fout,
                     size_t *iters, ms_diag *d)
{
    const size_t K = o->K;
    double *g = o->g, *xn = o->xn, *gn = o->gn, *dir = o->y, f, fn, hist[SPG_MEMORY];
    ms_status st = ms_opt_fg(o, x, &f, g, d);
    if (st != MS_OK)
        return st;
    for (size_t k = 0; k < SPG_MEMORY; k++)
        hist[k] = f;
    double alpha = first_alpha(o, x, g), best = f;
    size_t it = 0, stalled = 0, memory = SPG_MEMORY;
    memcpy(o->best, x, K * sizeof *x);
    for (; it < max_iter; it++) {
        ms_opt_check c;
        ms_opt_kkt(o, x, g, f, &c);
        if (c.residual <= tol)
            break;
        if (stalled >= SPG_STALL) {
            /* Bouncing across a kink: go on monotone from the best point,
             * which must then creep along the kink; stop if that stalls. */
            if (memory == 1)
                break;
            memory = 1, stalled = 0;
            memcpy(x, o->best, K * sizeof *x);
            if ((st = ms_opt_fg(o, x, &f, g, d)) != MS_OK)
                return st;
            hist[0] = f;
        }
        double gd = spg_direction(o, x, g, alpha, dir), fref = hist[0];
        for (size_t k = 1; k < memory; k++)
            fref = fmax(fref, hist[k]);
        if (!(gd < 0))
            break; /* no descent left at this precision */
        int ls = line_search(o, x, dir, f, fref, gd, xn, &fn, &st, d);
        if (ls < 0)
            return st;
        if (ls == 0)
            break;
        if ((st = ms_opt_grad(o, xn, fn, gn, d)) != MS_OK)
            return st;
        alpha = spectral_step(K, x, xn, g, gn, alpha);
        memcpy(x, xn, K * sizeof *x);
        memcpy(g, gn, K * sizeof *g);
        f = fn;
        hist[(it + 1) % memory] = f;
        stalled = f < best - SPG_PROGRESS * fabs(best) ? 0 : stalled + 1;
        if (f < best)
            best = f, memcpy(o->best, x, K * sizeof *x);
    }
    /* The search is non-monotone: hand back the best point it saw. */
    memcpy(x, o->best, K * sizeof *x);
    *fout = best;
    *iters = it;
    o->alpha = alpha;
    return MS_OK;
}

/* Start of restart r: h0 or the uniform mixture for r = 0, else a uniform
 * draw from the free mass (Dirichlet(1) shares above the lower bounds);
 * projected onto the polytope either way. */
static void start_point(ms_optimizer *o, const ms_opt_opts *op, size_t r, double *x)
{
    const size_t K = o->K;
    double *y = o->warm, free_mass = 1, sum = 0;
    if (r == 0) {
        for (size_t i = 0; i < K; i++)
            y[i] = op->h0 ? op->h0[i] : 1.0 / (double)K;
        ms_optimize_project(o, y, x);
        return;
    }
    ms_rng rng = ms_rng_stream(op->seed, r);
    for (size_t i = 0; i < K; i++) {
        free_mass -= o->lo[i];
        y[i] = o->lo[i] < o->hi[i] ? -log(1 - ms_rng_uniform(&rng)) : 0;
        sum += y[i];
    }
    for (size_t i = 0; i < K; i++)
        y[i] = o->lo[i] + (sum > 0 ? y[i] / sum * free_mass : 0);
    ms_optimize_project(o, y, x);
}

static void count_agreement(const ms_optimizer *o, const double *ends, const double *fs,
                            size_t R, size_t best, ms_opt_result *r)
{
    const double *hb = ends + best * o->K;
    r->agree = r->agree_objective = 0;
    for (size_t k = 0; k < R; k++) {
        if (!isfinite(fs[k]))
            continue;
        double dev = 0;
        for (size_t i = 0; i < o->K; i++)
            dev = fmax(dev, fabs(ends[k * o->K + i] - hb[i]));
        r->agree += dev <= MS_OPT_AGREE;
        r->agree_objective += fabs(fs[k] - fs[best]) <= AGREE_OBJECTIVE * fabs(fs[best]);
    }
}

ms_status ms_optimize_run(ms_optimizer *o, const ms_opt_opts *opts, double *h,
                          ms_opt_result *r, ms_diag *d)
{
    ms_opt_opts def;
    ms_opt_opts_init(&def);
    const ms_opt_opts *op = opts ? opts : &def;
    const size_t K = o->K, R = op->restarts ? op->restarts : 1;
    memset(r, 0, sizeof *r);
    if (!o->usable)
        return ms_diag_set(d, MS_EINPUT, NULL, 0, 0,
                           "no feasible mixture at this scale (the last rescale failed)");
    double *ends = malloc(R * K * sizeof *ends), *fs = malloc(R * sizeof *fs);
    if (!ends || !fs) {
        free(ends), free(fs);
        return ms_diag_set(d, MS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    const size_t evals0 = o->evals;
    long best = -1;
    ms_status st = MS_OK, last = MS_ENUMERIC;
    ms_diag dd = {"every restart failed"};
    for (size_t k = 0; k < R; k++) {
        size_t it = 0;
        start_point(o, op, k, o->x);
        o->alpha = 0; /* each restart estimates its own step: restarts stay independent */
        fs[k] = INFINITY;
        st = ms_opt_spg(o, o->x, op->max_iter, op->tol, &fs[k], &it, &dd);
        if (st == MS_ENOMEM)
            break;
        if (st != MS_OK) {
            last = st, fs[k] = INFINITY;
            continue;
        }
        memcpy(ends + k * K, o->x, K * sizeof *ends);
        if (best < 0 || fs[k] < fs[best])
            best = (long)k, r->iterations = it;
    }
    if (st != MS_ENOMEM && best >= 0) {
        memcpy(h, ends + best * K, K * sizeof *h);
        r->objective = fs[best];
        r->restarts = R;
        r->best_restart = (size_t)best;
        count_agreement(o, ends, fs, R, (size_t)best, r);
        r->evaluations = o->evals - evals0;
        st = ms_optimize_check(o, h, &r->check, d);
    } else if (st != MS_ENOMEM) {
        *d = dd;
        st = last;
    } else
        ms_diag_set(d, st, NULL, 0, 0, "out of memory");
    free(ends), free(fs);
    return st;
}
