#include "mixscope/capalloc.h"

#include <math.h>

/* g(u) = sum_i x_i(u) - C and its derivative g'(u) = -sum_{free} x_i/(1+b_i).
 * Non-finite values are allowed to come out: the caller bisects on them. */
static double alloc_g(size_t K, const double *h, const double *b,
                      const double *k, double logH, double H, double C,
                      double u, double *dg)
{
    double sum = 0, slope = 0;
    for (size_t i = 0; i < K; i++) {
        double lx = h[i] > 0 ? (k[i] - u) / (1 + b[i]) : -INFINITY;
        if (lx > logH) {
            double xi = exp(lx);
            sum += xi;
            slope -= xi / (1 + b[i]);
        } else {
            sum += H;
        }
    }
    *dg = slope;
    return sum - C;
}

static int inputs_ok(size_t K, const double *h, const double *b,
                     const double *c, double H, double C)
{
    int any = 0;
    if (!(H > 0 && isfinite(H) && C > 0 && isfinite(C)))
        return 0;
    for (size_t i = 0; i < K; i++) {
        if (!(h[i] >= 0 && isfinite(h[i]) && b[i] > 0 && isfinite(b[i]) &&
              c[i] > 0 && isfinite(c[i])))
            return 0;
        any |= h[i] > 0;
    }
    return any;
}

ms_status ms_alloc_solve(size_t K, const double *h, const double *b,
                         const double *c, double H, double C, double *x,
                         double *logx, ms_alloc_info *info, ms_diag *d)
{
    ms_alloc_info inf = {0, 0, 0, 0};
    if (!inputs_ok(K, h, b, c, H, C))
        return ms_diag_set(d, MS_ENUMERIC, NULL, 0, 0,
                           "capacity allocation: needs finite h >= 0 (not all 0), b, c, H, C > 0");
    double logH = log(H), logC = log(C);
    if ((double)K * H >= C) {
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
    double *k = logx;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < K; i++) {
        if (!(h[i] > 0))
            continue;
        k[i] = log(h[i]) + log(b[i]) + log(c[i]);
        lo = fmin(lo, k[i] - (1 + b[i]) * logC);
        hi = fmax(hi, k[i] - (1 + b[i]) * logH);
    }
    /* g(lo) >= 0 >= g(hi). rtsafe: Newton from the left end (g convex and
     * decreasing, so Newton from the left never overshoots), falling back to
     * bisection whenever a step leaves the bracket, is not finite, or fails
     * to halve the bracket's progress. */
    double u = lo, dg, g = alloc_g(K, h, b, k, logH, H, C, u, &dg);
    double step_old = hi - lo, step = step_old;
    int it;
    for (it = 1; it <= 400; it++) {
        double un = u - g / dg;
        int newton_ok = isfinite(g) && dg < 0 && un > lo && un < hi &&
                        fabs(2 * g) <= fabs(step_old * dg);
        step_old = step;
        if (newton_ok) {
            step = un - u;
            u = un;
        } else {
            step = 0.5 * (hi - lo);
            u = lo + step;
        }
        g = alloc_g(K, h, b, k, logH, H, C, u, &dg);
        if (g > 0)
            lo = u;
        else
            hi = u;
        if (fabs(g) <= 1e-14 * C || hi - lo <= 4e-16 * fmax(1, fabs(u)))
            break;
    }
    if (!isfinite(g) || fabs(g) > 1e-9 * C)
        return ms_diag_set(d, MS_ENUMERIC, NULL, 0, 0,
                           "capacity allocation did not converge (residual %g of %g)", g, C);
    for (size_t i = 0; i < K; i++) {
        double lx = h[i] > 0 ? (k[i] - u) / (1 + b[i]) : -INFINITY;
        if (lx > logH) {
            x[i] = exp(lx);
            logx[i] = lx;
            inf.n_free++;
        } else {
            x[i] = H;
            logx[i] = logH;
        }
    }
    inf.loglam = u;
    inf.iterations = it;
    if (info)
        *info = inf;
    return MS_OK;
}

void ms_alloc_sens_compute(size_t K, const double *b, const double *c,
                           double H, const double *x, const double *logx,
                           const ms_alloc_info *info, ms_alloc_sens *s)
{
    s->S = 0;
    s->n_free = 0;
    for (size_t i = 0; i < K; i++) {
        if (!info->all_floor && x[i] > H) {
            s->q[i] = x[i] / (1 + b[i]);
            s->db[i] = s->q[i] * (1 / b[i] - logx[i]);
            s->dc[i] = s->q[i] / c[i];
            s->S += s->q[i];
            s->n_free++;
        } else {
            s->q[i] = s->db[i] = s->dc[i] = 0;
        }
    }
    s->dloglam_dC = s->S > 0 ? -1 / s->S : 0;
    s->dloglam_dH = s->S > 0 ? (double)(K - s->n_free) / s->S : 0;
}
