/* capalloc.h — the capacity-allocation problem at the heart of capnoise.
 *
 *     minimise   sum_i h_i c_i x_i^(-b_i)
 *     subject to sum_i x_i = C,  x_i >= H
 *
 * (capnoise uses C = N + (K-1) H). KKT: x_i(lam) = max(H, (h_i b_i c_i /
 * lam)^(1/(1+b_i))), with lam > 0 such that the constraint holds. Solved for
 * u = log lam with safeguarded Newton on g(u) = sum_i x_i(e^u) - C, which is
 * convex and decreasing, inside the bracket
 *     [min_i log(h_i b_i c_i) - (1+b_i) log C, max_i log(h_i b_i c_i) - (1+b_i) log H]
 * so multipliers from 1e-300 to 1e300 are resolved to machine precision
 * (a linear bisection over [1e-30, 1e30] cannot resolve lam < ~0.8).
 * If K*H >= C every x_i = H. A domain with h_i = 0 sits on the floor. */
#ifndef MIXSCOPE_CAPALLOC_H
#define MIXSCOPE_CAPALLOC_H

#include <stddef.h>

#include "mixscope/diag.h"

typedef struct {
    double loglam;  /* log of the multiplier (meaningless if all_floor) */
    size_t n_free;  /* domains strictly above the floor (x_i > H) */
    int all_floor;  /* K*H >= C: every x_i = H */
    int iterations; /* Newton + bisection steps taken */
} ms_alloc_info;

/* Solves the problem for K domains, given log C (so capacities far beyond
 * the double range, as capnoise-g's N^gamma can reach, still work: every
 * sum is taken in log space). h_i >= 0 with at least one h_i > 0; b_i, c_i
 * > 0; H > 0. Writes log x[K] (floor domains get exactly log H) and x[K] =
 * exp(log x) (which may be +inf when log x > 709: use logx for arithmetic).
 * Returns MS_OK, or MS_ENUMERIC with `d` when an input is not finite or
 * positive or the iteration fails. */
ms_status ms_alloc_solve(size_t K, const double *h, const double *b,
                         const double *c, double H, double logC, double *x,
                         double *logx, ms_alloc_info *info, ms_diag *d);

/* Sensitivities of the solution, by implicit differentiation of the active
 * constraint sum_{i in F} x_i = C - (K - |F|) H over the free domains F.
 * With q_i = x_i / (1+b_i) and S = sum_{i in F} q_i:
 *   d log lam = [sum_{j in F} (q_j (1/b_j - log x_j) db_j + (q_j/c_j) dc_j)
 *                + (K - |F|) dH - dC] / S
 *   d x_i     = dx_i|lam - q_i d log lam           (i in F)
 *   d x_i     = dH                                 (i on the floor)
 * Everything is returned normalised by S so nothing overflows. */
typedef struct {
    double *qn;   /* K: q_i / S on free domains, 0 on the floor (sums to 1) */
    double logS;  /* log S (-inf if no domain is free) */
    size_t n_free;
} ms_alloc_sens;

/* Fills s (whose qn array the caller provides, K doubles) from a solution. */
void ms_alloc_sens_compute(size_t K, const double *b, double H,
                           const double *logx, const ms_alloc_info *info,
                           ms_alloc_sens *s);

#endif
