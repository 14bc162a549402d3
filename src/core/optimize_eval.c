/* The objective, its finite-difference gradient, the projection onto the
 * feasible polytope and the first-order check (optimize.h). */
#include "mixscope/optimize.h"
#include "core/optimize_impl.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static ms_status eval_f(ms_optimizer *o, const double *h, double *f, ms_diag *d)
{
    ms_status st = ms_law_eval(&o->law, o->theta, h, o->N, o->D, &o->pred, NULL, o->work, d);
    o->evals++;
    if (st != MS_OK)
        return st;
    double s = 0;
    for (size_t i = 0; i < o->K; i++)
        s += o->w[i] * o->pred.loss[i];
    if (!isfinite(s))
        return ms_diag_set(d, MS_ENUMERIC, NULL, 0, 0, "the objective is not finite");
    *f = s;
    return MS_OK;
}

ms_status ms_optimize_objective(ms_optimizer *o, const double *h, double *f, ms_diag *d)
{
    return eval_f(o, h, f, d);
}

/* Relative step: about the cube root of the rounding error of f over its
 * third derivative, on the scale h_i that the noise term varies on
 * (measured against the analytic capnoise gradient: ~1e-9 relative). */
#define FD_REL 1e-5

/* d f / d h_i at h (f0 = f(h)). Central differences, except where the
 * step would cross the law's floor h_min (the noise term's kink): there a
 * second-order one-sided formula from the right. */
static ms_status partial(ms_optimizer *o, const double *h, size_t i, double f0, double *gi,
                         ms_diag *d)
{
    double *x = o->fd, fp, fm;
    const double kink = o->law.h_min;
    volatile double up = h[i] + FD_REL * fmax(h[i], kink);
    const double step = up - h[i];
    ms_status st;
    x[i] = up;
    st = eval_f(o, x, &fp, d);
    if (st == MS_OK && h[i] - step >= kink) {
        x[i] = h[i] - step;
        st = eval_f(o, x, &fm, d);
        *gi = (fp - fm) / (2 * step);
    } else if (st == MS_OK) {
        x[i] = h[i] + 2 * step;
        st = eval_f(o, x, &fm, d);
        *gi = (4 * fp - 3 * f0 - fm) / (2 * step);
    }
    x[i] = h[i];
    return st;
}

ms_status ms_opt_grad(ms_optimizer *o, const double *h, double f, double *g, ms_diag *d)
{
    ms_status st = MS_OK;
    memcpy(o->fd, h, o->K * sizeof *h);
    for (size_t i = 0; i < o->K && st == MS_OK; i++) {
        g[i] = 0;
        if (o->lo[i] < o->hi[i])
            st = partial(o, h, i, f, &g[i], d);
    }
    return st;
}

ms_status ms_opt_fg(ms_optimizer *o, const double *h, double *f, double *g, ms_diag *d)
{
    ms_status st = eval_f(o, h, f, d);
    return st != MS_OK || !g ? st : ms_opt_grad(o, h, *f, g, d);
}

ms_status ms_optimize_gradient(ms_optimizer *o, const double *h, double *f, double *g,
                               ms_diag *d)
{
    return ms_opt_fg(o, h, f, g, d);
}

static double clampd(double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; }

static double sum_at(const ms_optimizer *o, const double *y, double tau)
{
    double s = 0;
    for (size_t i = 0; i < o->K; i++)
        s += clampd(y[i] - tau, o->lo[i], o->hi[i]);
    return s;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* After the clamp the sum is 1 to rounding; the remainder goes to the
 * interior domain with the most room so the sum is as exact as doubles
 * allow and no bound moves. */
static void fix_sum(const ms_optimizer *o, double *x)
{
    double s = 0, room = 0;
    long best = -1;
    for (size_t i = 0; i < o->K; i++)
        s += x[i];
    const double r = 1 - s;
    for (size_t i = 0; i < o->K && r != 0; i++) {
        double rm = r > 0 ? o->hi[i] - x[i] : x[i] - o->lo[i];
        if (rm > room)
            room = rm, best = (long)i;
    }
    if (best >= 0 && room >= fabs(r))
        x[best] += r;
}

/* x_i(tau) = clamp(y_i - tau, lo_i, hi_i); sum_i x_i(tau) is piecewise
 * linear and non-increasing in tau with breakpoints y_i - hi_i, y_i - lo_i:
 * a binary search finds the piece that crosses 1, where it is solved
 * exactly. O(K log K). */
void ms_optimize_project(ms_optimizer *o, const double *y, double *x)
{
    const size_t K = o->K, n = 2 * K;
    double *bp = o->bp;
    assert(o->usable);
    for (size_t i = 0; i < K; i++) {
        bp[2 * i] = y[i] - o->hi[i];
        bp[2 * i + 1] = y[i] - o->lo[i];
    }
    qsort(bp, n, sizeof *bp, cmp_double);
    size_t a = 0, b = n - 1; /* sum_at(bp[a]) >= 1 >= sum_at(bp[b]) */
    while (b - a > 1) {
        size_t m = a + (b - a) / 2;
        if (sum_at(o, y, bp[m]) >= 1)
            a = m;
        else
            b = m;
    }
    const double sa = sum_at(o, y, bp[a]), sb = sum_at(o, y, bp[b]);
    const double tau = sa > sb ? bp[a] + (sa - 1) * (bp[b] - bp[a]) / (sa - sb) : bp[a];
    for (size_t i = 0; i < K; i++)
        x[i] = clampd(y[i] - tau, o->lo[i], o->hi[i]);
    fix_sum(o, x);
}

void ms_opt_kkt(const ms_optimizer *o, const double *h, const double *g, double f,
                ms_opt_check *c)
{
    /* m1: smallest gradient among domains that may gain weight (free or on
     * a lower bound); M2: largest among those that may lose it. */
    double m1 = INFINITY, M2 = -INFINITY;
    long i1 = -1, i2 = -1;
    for (size_t i = 0; i < o->K; i++) {
        if (!(o->lo[i] < o->hi[i]))
            continue;
        int at_lo = h[i] - o->lo[i] <= MS_OPT_BOUND_TOL;
        int at_hi = o->hi[i] - h[i] <= MS_OPT_BOUND_TOL;
        if (!at_hi && g[i] < m1)
            m1 = g[i], i1 = (long)i;
        if (!at_lo && g[i] > M2)
            M2 = g[i], i2 = (long)i;
    }
    c->objective = f;
    c->worst = -1;
    c->residual = 0;
    c->mu = i1 >= 0 && i2 >= 0 ? (m1 + M2) / 2 : i1 >= 0 ? m1 : i2 >= 0 ? M2 : 0;
    if (i1 >= 0 && i2 >= 0 && M2 > m1) {
        c->residual = (M2 - m1) / 2 / fmax(fabs(f), 1e-300);
        c->worst = i2;
    }
}

/* One-sided slope of f along e_i - e_j (weight moved from j to i) at h,
 * f0 = f(h), with step rel x the smaller weight: a second-order forward
 * difference. Steps stay inside the bounds (so never cross the noise
 * floor h_min). */
static ms_status exchange_slope(ms_optimizer *o, const double *h, size_t i, size_t j,
                                double f0, double rel, double *slope, ms_diag *d)
{
    const double room = fmin(o->hi[i] - h[i], h[j] - o->lo[j]) / 2;
    const double s = fmin(rel * fmax(fmin(h[i], h[j]), o->law.h_min), room);
    double *x = o->fd, f1 = NAN, f2 = NAN; /* NaN slope if a step fails */
    memcpy(x, h, o->K * sizeof *x);
    x[i] = h[i] + s, x[j] = h[j] - s;
    ms_status st = eval_f(o, x, &f1, d);
    x[i] = h[i] + 2 * s, x[j] = h[j] - 2 * s;
    if (st == MS_OK)
        st = eval_f(o, x, &f2, d);
    *slope = (4 * f1 - 3 * f0 - f2) / (2 * s);
    return st;
}

/* Steps of the exchange test, relative to the smaller weight. A kink of
 * the capacity floor between s and 2s fakes a descent in a second-order
 * difference (it extrapolates the curvature it sees), and a point found at
 * a kink can lie up to ~1e-5 of it; a true descent shows at every scale,
 * so the test keeps, for each exchange, the largest slope of the three. */
static const double exchange_steps[] = {1e-6, 1e-5, 1e-4};

/* The residual over every exchange the bounds allow: i may gain weight, j
 * may lose it. For a smooth f, min slope = min g_i - max g_j, so this is
 * the KKT residual; at a kink it is the directional test. */
static ms_status exchange_residual(ms_optimizer *o, const double *h, double f0,
                                   ms_opt_check *c, ms_diag *d)
{
    const size_t n_steps = sizeof exchange_steps / sizeof exchange_steps[0];
    double worst = 0;
    c->worst = -1;
    for (size_t i = 0; i < o->K; i++) {
        if (o->hi[i] - h[i] <= MS_OPT_BOUND_TOL)
            continue;
        for (size_t j = 0; j < o->K; j++) {
            if (j == i || h[j] - o->lo[j] <= MS_OPT_BOUND_TOL)
                continue;
            double slope = -INFINITY, s;
            /* stop once this exchange cannot be the worst */
            for (size_t k = 0; k < n_steps && -slope > worst; k++) {
                ms_status st = exchange_slope(o, h, i, j, f0, exchange_steps[k], &s, d);
                if (st != MS_OK)
                    return st;
                slope = fmax(slope, s);
            }
            if (-slope > worst)
                worst = -slope, c->worst = (long)j;
        }
    }
    c->residual = worst / 2 / fmax(fabs(f0), 1e-300);
    return MS_OK;
}

ms_status ms_optimize_check(ms_optimizer *o, const double *h, ms_opt_check *c, ms_diag *d)
{
    memset(c, 0, sizeof *c);
    double s = 0, worst_v = 0;
    long worst_i = -1;
    for (size_t i = 0; i < o->K; i++) {
        double v = fmax(0, fmax(o->lo[i] - h[i], h[i] - o->hi[i]));
        if (!(v <= worst_v)) /* NaN counts as a violation */
            worst_v = isnan(v) ? INFINITY : v, worst_i = (long)i;
        s += h[i];
        o->y[i] = clampd(h[i], o->lo[i], o->hi[i]);
    }
    c->violation = fmax(worst_v, fabs(s - 1));
    c->feasible = worst_v <= MS_OPT_BOUND_TOL && fabs(s - 1) <= MS_OPT_SUM_TOL;
    /* Derivatives are taken at the clamped point, so a point slightly
     * outside a bound still gets a residual. The multiplier comes from the
     * central-difference gradient. */
    double f;
    ms_status st = ms_opt_fg(o, o->y, &f, o->gn, d);
    if (st == MS_OK)
        ms_opt_kkt(o, o->y, o->gn, f, c);
    if (st == MS_OK)
        st = exchange_residual(o, o->y, f, c, d);
    if (st != MS_OK)
        return st;
    if (!c->feasible)
        c->worst = worst_i;
    c->ok = c->feasible && c->residual <= MS_OPT_TOL;
    return MS_OK;
}
