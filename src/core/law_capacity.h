/* law_capacity.h — the capacity/noise family (capnoise, capnoise-g), private
 * to the law files.
 *
 * Both laws are
 *
 *   L_i = c_i x_i*(h, N)^(-b_i) + A_i (D max(h_i, h_min))^(-a_i) + E_i
 *
 * with x* the allocation of capalloc.h; they differ only in how the total
 * capacity C depends on N and the scalar parameters. theta is laid out as
 * [b(K), c(K), A(K), a(K), E(K), H, extra...], the extras (capnoise-g's
 * gamma) entering the law only through C. This module is the one
 * implementation of the capacity part and its derivatives; a law supplies
 * an ms_capacity_fn and wraps ms_capacity_eval / ms_capacity_eval_run. */
#ifndef MIXSCOPE_LAW_CAPACITY_H
#define MIXSCOPE_LAW_CAPACITY_H

#include <stddef.h>

#include "mixscope/law.h"

/* Most scalar parameters a family law has after E: H and gamma. */
#define MS_CAPACITY_MAX_SCALARS 2

/* A law's total capacity at one N, in log space (capnoise-g's N^gamma can
 * leave the double range while its log cannot). dlogC[m] is
 * d log C / d theta[5K + m] for each of the law's n_params - 5K scalar
 * parameters (dlogC[0] = d log C / dH). */
typedef struct {
    double logC;
    double dlogC[MS_CAPACITY_MAX_SCALARS];
} ms_capacity;

/* Fills `cap` for the law at model size N (millions of parameters).
 * Returns MS_OK, or MS_ENUMERIC with `d` when log C is not finite. */
typedef ms_status (*ms_capacity_fn)(const ms_law *law, const double *theta,
                                    double N, ms_capacity *cap, ms_diag *d);

/* Scratch doubles ms_capacity_eval and ms_capacity_eval_run need for K
 * domains and n_scalar scalar parameters. */
size_t ms_capacity_work_size(size_t K, size_t n_scalar);

/* The law's eval (law.h contract), with C from `capacity`. out->x gets x*,
 * out->capacity gets C (either may be +inf for astronomically large
 * capacities), the terms are capacity / noise / irreducible. */
ms_status ms_capacity_eval(const ms_law *law, const double *theta,
                           const double *h, double N, double D, ms_pred *out,
                           double *jac, double *work, ms_diag *d,
                           ms_capacity_fn capacity);

/* The law's eval_run (law.h contract): one allocation solve serves every
 * budget of the run, since the capacity part depends on (h, N) only. */
ms_status ms_capacity_eval_run(const ms_law *law, const double *theta,
                               const double *h, double N, const double *D,
                               size_t nD, double *loss, double *jac,
                               double *work, ms_diag *d,
                               ms_capacity_fn capacity);

#endif
