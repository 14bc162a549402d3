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

/* Solves the problem for K domains. h_i >= 0 with at least one h_i > 0;
 * b_i, c_i > 0; H > 0; C > 0. Writes x[K] and log x[K] (floor domains get
 * exactly H). Returns MS_OK, or MS_ENUMERIC with `d` when an input is not
 * finite/positive or the iteration fails. */
ms_status ms_alloc_solve(size_t K, const double *h, const double *b,
                         const double *c, double H, double C, double *x,
                         double *logx, ms_alloc_info *info, ms_diag *d);

/* Sensitivities of the solution, by implicit differentiation of the active
 * constraint sum_{i in F} x_i = C - (K - |F|) H. With q_i = x_i / (1+b_i)
 * and S = sum_{i in F} q_i, for i in F:
 *   dx_i = dx_i|lam - q_i dloglam,
 *   dloglam = [sum_{j in F} dx_j|lam - dC + (K - |F|) dH] / S,
 *   dx_i|lam / db_i = q_i (1/b_i - log x_i),   dx_i|lam / dc_i = q_i / c_i.
 * For i on the floor, dx_i/dH = 1 and every other derivative is 0.
 * The caller combines these; ms_alloc_sens only prepares the pieces. */
typedef struct {
    double *q;    /* K: x_i/(1+b_i) for free domains, 0 on the floor */
    double *db;   /* K: dx_i|lam / db_i (0 on the floor) */
    double *dc;   /* K: dx_i|lam / dc_i (0 on the floor) */
    double S;     /* sum of q */
    size_t n_free;
    double dloglam_dC; /* d loglam / dC (holding H): -1/S */
    double dloglam_dH; /* d loglam / dH holding C (floor domains): (K-|F|)/S */
} ms_alloc_sens;

/* Fills s (whose arrays the caller provides, K each) from a solution. */
void ms_alloc_sens_compute(size_t K, const double *b, const double *c,
                           double H, const double *x, const double *logx,
                           const ms_alloc_info *info, ms_alloc_sens *s);

#endif
