#include "mixscope/capalloc.h"

#include <math.h>

/* G(u) = log(sum_i x_i(e^u)) - log C, and G'(u). The sum is taken as a
 * log-sum-exp so capacities beyond the double range work. G is decreasing;
 * non-finite values only make the caller bisect. */
static double alloc_G(size_t K, const double *h, const double *b, const double *k,
                      double logH, double logC, double u, double *dG)
{
    double m = -INFINITY;
    size_t n_floor = 0;
    for (size_t i = 0; i < K; i++) {
        double lx = h[i] > 0 ? (k[i] - u) / (1 + b[i]) : -INFINITY;
        if (lx > logH)
            m = fmax(m, lx);
        else
            n_floor++;
    }
    if (n_floor)
        m = fmax(m, logH);
    double sum = n_floor ? (double)n_floor * exp(logH - m) : 0, slope = 0;
    for (size_t i = 0; i < K; i++) {
        double lx = h[i] > 0 ? (k[i] - u) / (1 + b[i]) : -INFINITY;
        if (lx > logH) {
            double e = exp(lx - m);
            sum += e;
            slope -= e / (1 + b[i]);
        }
    }
    *dG = slope / sum;
    return m + log(sum) - logC;
}

static int inputs_ok(size_t K, const double *h, const double *b,
                     const double *c, double H, double logC)
{
    int any = 0;
    if (!(H > 0 && isfinite(H) && isfinite(logC)))
        return 0;
    for (size_t i = 0; i < K; i++) {
        if (!(h[i] >= 0 && isfinite(h[i]) && b[i] > 0 && isfinite(b[i]) &&
              c[i] > 0 && isfinite(c[i])))
            return 0;
        any |= h[i] > 0;
    }
    return any;
}

/* rtsafe on G in u = log lam inside [lo, hi] with G(lo) >= 0 >= G(hi):
 * Newton steps, falling back to bisection whenever a step leaves the
 * bracket, is not finite, or fails to halve the progress. Returns u. */
/* A first guess for u: every domain free, with one exponent e = mean of
 * 1/(1+b_i), so sum_i exp(e (k_i - u)) = C solves in closed form. Usually
 * within a Newton step or two of the root; rtsafe keeps it safe anyway. */
static double guess_u(size_t K, const double *h, const double *b, const double *k,
                      double logC)
{
    double e = 0, m = -INFINITY, s = 0;
    size_t n = 0;
    for (size_t i = 0; i < K; i++)
        if (h[i] > 0) {
            e += 1 / (1 + b[i]);
            m = fmax(m, k[i]);
            n++;
        }
    e /= (double)n;
    for (size_t i = 0; i < K; i++)
        if (h[i] > 0)
            s += exp(e * (k[i] - m));
    return m + (log(s) - logC) / e;
}

static double solve_u(size_t K, const double *h, const double *b, const double *k,
                      double logH, double logC, double lo, double hi, int *iters,
                      double *G_out)
{
    double u = guess_u(K, h, b, k, logC);
    if (!(u > lo && u < hi))
        u = lo;
    double dG, G = alloc_G(K, h, b, k, logH, logC, u, &dG);
    if (G > 0)
        lo = u;
    else if (G < 0)
        hi = u;
    double step_old = hi - lo, step = step_old;
    int it;
    for (it = 1; it <= 400; it++) {
        double un = u - G / dG;
        int newton_ok = isfinite(G) && dG < 0 && un > lo && un < hi &&
                        fabs(2 * G) <= fabs(step_old * dG);
        step_old = step;
        if (newton_ok) {
            step = un - u;
            u = un;
        } else {
            step = 0.5 * (hi - lo);
            u = lo + step;
        }
        G = alloc_G(K, h, b, k, logH, logC, u, &dG);
        if (G > 0)
            lo = u;
        else
            hi = u;
        if (fabs(G) <= 1e-15 || hi - lo <= 4e-16 * fmax(1, fabs(u)))
            break;
    }
    *iters = it;
    *G_out = G;
    return u;
}

ms_status ms_alloc_solve(size_t K, const double *h, const double *b,
                         const double *c, double H, double logC, double *x,
                         double *logx, ms_alloc_info *info, ms_diag *d)
{
    ms_alloc_info inf = {0, 0, 0, 0};
    if (!inputs_ok(K, h, b, c, H, logC))
        return ms_diag_set(d, MS_ENUMERIC, NULL, 0, 0,
                           "capacity allocation: needs finite h >= 0 (not all 0), b, c, H > 0 "
                           "and a finite log capacity");
    double logH = log(H);
    if (log((double)K) + logH >= logC) {
        for (size_t i = 0; i < K; i++) {
            x[i] = H;
            logx[i] = logH;
        }
        inf.all_floor = 1;
        if (info)
            *info = inf;
        return MS_OK;
    }
    /* logx temporarily holds k_i = log(h_i b_i c_i). */
    double *k = logx, lo = INFINITY, hi = -INFINITY, G;
    for (size_t i = 0; i < K; i++) {
        if (!(h[i] > 0))
            continue;
        k[i] = log(h[i]) + log(b[i]) + log(c[i]);
        lo = fmin(lo, k[i] - (1 + b[i]) * logC);
        hi = fmax(hi, k[i] - (1 + b[i]) * logH);
    }
    double u = solve_u(K, h, b, k, logH, logC, lo, hi, &inf.iterations, &G);
    if (!isfinite(G) || fabs(G) > 1e-9)
        return ms_diag_set(d, MS_ENUMERIC, NULL, 0, 0,
                           "capacity allocation did not converge (log residual %g)", G);
    for (size_t i = 0; i < K; i++) {
        double lx = h[i] > 0 ? (k[i] - u) / (1 + b[i]) : -INFINITY;
        if (lx > logH) {
            logx[i] = lx;
            inf.n_free++;
        } else
            logx[i] = logH;
        x[i] = lx > logH ? exp(lx) : H;
    }
    inf.loglam = u;
    if (info)
        *info = inf;
    return MS_OK;
}

void ms_alloc_sens_compute(size_t K, const double *b, double H,
                           const double *logx, const ms_alloc_info *info,
                           ms_alloc_sens *s)
{
    double logH = log(H), m = -INFINITY;
    s->n_free = 0;
    for (size_t i = 0; i < K; i++)
        if (!info->all_floor && logx[i] > logH) {
            m = fmax(m, logx[i] - log1p(b[i]));
            s->n_free++;
        }
    double sum = 0;
    for (size_t i = 0; i < K; i++) {
        int free_ = !info->all_floor && logx[i] > logH;
        s->qn[i] = free_ ? exp(logx[i] - log1p(b[i]) - m) : 0;
        sum += s->qn[i];
    }
    for (size_t i = 0; i < K; i++)
        s->qn[i] = sum > 0 ? s->qn[i] / sum : 0;
    s->logS = s->n_free ? m + log(sum) : -INFINITY;
}
