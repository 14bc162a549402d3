#include "core/law_capacity.h"

#include "mixscope/capalloc.h"
#include "core/law_impl.h"

#include <assert.h>
#include <math.h>
#include <string.h>

enum { G_B, G_C, G_A, G_SMALLA, G_E, G_SCALARS };

static size_t n_scalars(const ms_law *law)
{
    assert(law->n_params > 5 * law->K &&
           law->n_params - 5 * law->K <= MS_CAPACITY_MAX_SCALARS);
    return law->n_params - 5 * law->K;
}

/* Capacity part: x (K), logx (K), T (K) = c_i x_i^-b_i, and if cj is not
 * NULL the derivatives of T_i with respect to (b_1..b_K, c_1..c_K, then the
 * S scalars H, ...): cj[i*(2K+S) + j]. Needs K scratch in `work`.
 *
 * Through the multiplier, dT_i = F_i d log lam for a free domain, with
 * F_i = b_i T_i / (1+b_i) (capalloc.h gives d log lam); every ratio to S is
 * taken from normalised or log quantities so huge capacities stay finite. */
/* Competition switched off: every domain gets C/K, whatever the mixture, so
 * the capacity term depends on the parameters and N only. */
static void equal_split(size_t K, size_t S, const double *b, const double *c,
                        const ms_capacity *cap, double *x, double *logx, double *T,
                        double *cj)
{
    const size_t W = 2 * K + S;
    for (size_t i = 0; i < K; i++) {
        logx[i] = cap->logC - log((double)K);
        x[i] = exp(logx[i]);
        T[i] = c[i] * exp(-b[i] * logx[i]);
        if (!cj)
            continue;
        double *row = cj + i * W;
        memset(row, 0, W * sizeof *row);
        row[i] = -T[i] * logx[i];
        row[K + i] = T[i] / c[i];
        for (size_t m = 0; m < S; m++) /* dx_i = x_i d log C */
            row[2 * K + m] = -b[i] * T[i] * cap->dlogC[m];
    }
}

static ms_status capacity_part(size_t K, size_t S, const double *b,
                               const double *c, double H,
                               const ms_capacity *cap, const double *h,
                               double *x, double *logx, double *T, double *cj,
                               double *work, int competition, ms_diag *d)
{
    const size_t W = 2 * K + S;
    if (!competition) {
        equal_split(K, S, b, c, cap, x, logx, T, cj);
        return MS_OK;
    }
    ms_alloc_info info;
    ms_status st = ms_alloc_solve(K, h, b, c, H, cap->logC, x, logx, &info, d);
    if (st != MS_OK)
        return st;
    for (size_t i = 0; i < K; i++)
        T[i] = c[i] * exp(-b[i] * logx[i]);
    if (!cj)
        return MS_OK;
    ms_alloc_sens s = {work, 0, 0};
    ms_alloc_sens_compute(K, b, H, logx, &info, &s);
    /* d log lam / d scalar m: [(K - |F|) [m is H] - dC/dm] / S. */
    double dll[MS_CAPACITY_MAX_SCALARS], inv_S = exp(-s.logS), C_S = exp(cap->logC - s.logS);
    for (size_t m = 0; m < S; m++)
        dll[m] = -cap->dlogC[m] * C_S;
    dll[0] += (double)(K - s.n_free) * inv_S;
    memset(cj, 0, K * W * sizeof *cj);
    for (size_t i = 0; i < K; i++) {
        double *row = cj + i * W;
        row[i] = -T[i] * logx[i];
        row[K + i] = T[i] / c[i];
        if (s.qn[i] == 0) { /* on the floor: x_i = H, whatever C is */
            row[2 * K] = -b[i] * T[i] / H;
            continue;
        }
        double F = b[i] * T[i] / (1 + b[i]);
        for (size_t j = 0; j < K; j++) {
            row[j] += F * s.qn[j] * (1 / b[j] - logx[j]);
            row[K + j] += F * s.qn[j] / c[j];
        }
        /* x_i's own direct dependence on b_i and c_i at fixed lam. */
        row[i] -= F * (1 / b[i] - logx[i]);
        row[K + i] -= F / c[i];
        for (size_t m = 0; m < S; m++)
            row[2 * K + m] = F * dll[m];
    }
    return MS_OK;
}

/* Computes C with the law's `capacity` and solves the capacity part. */
static ms_status solve(const ms_law *law, const double *theta, const double *h,
                       double N, ms_capacity_fn capacity, double *x,
                       double *logx, double *T, double *cj, double *work,
                       double *C_out, ms_diag *d)
{
    const size_t K = law->K;
    ms_capacity cap = {0, {0}};
    ms_status st = capacity(law, theta, N, &cap, d);
    if (st != MS_OK)
        return st;
    *C_out = exp(cap.logC);
    return capacity_part(K, n_scalars(law), theta + G_B * K, theta + G_C * K,
                         theta[G_SCALARS * K], &cap, h, x, logx, T, cj, work,
                         !(law->off & MS_MECH_COMPETITION), d);
}

/* Noise term of domain i at D, and its log dose (for d/da). */
static double noise_term(const ms_law *law, const double *theta, const double *h,
                         size_t i, double D, double *lnd)
{
    const size_t K = law->K;
    *lnd = ms_noise_logdose(h[i], D, law->h_min);
    if (law->off & MS_MECH_NOISE)
        return 0;
    return theta[G_A * K + i] * exp(-theta[G_SMALLA * K + i] * *lnd);
}

/* One Jacobian row: capacity derivatives placed, noise and E added. */
static void jac_row(const ms_law *law, const double *cjrow, double noise,
                    double lnd, size_t i, const double *theta, double *row)
{
    const size_t K = law->K, P = law->n_params, S = n_scalars(law);
    memset(row, 0, P * sizeof *row);
    memcpy(row + G_B * K, cjrow, 2 * K * sizeof *row); /* b then c */
    memcpy(row + G_SCALARS * K, cjrow + 2 * K, S * sizeof *row);
    row[G_A * K + i] = noise / theta[G_A * K + i];
    row[G_SMALLA * K + i] = -noise * lnd;
    row[G_E * K + i] = 1;
}

/* work layout: x, logx, T (K each), scratch (3K), then the capacity
 * Jacobian K(2K+S). eval writes x into its ms_pred and leaves the first K
 * unused. */
#define CJ_OFFSET(K) (6 * (K))
size_t ms_capacity_work_size(size_t K, size_t n_scalar)
{
    return 6 * K + K * (2 * K + n_scalar);
}

static ms_status not_finite(const ms_law *law, size_t i, ms_diag *d)
{
    return ms_diag_set(d, MS_ENUMERIC, NULL, 0, 0,
                       "%s: loss of domain %zu is not finite", law->def->name, i + 1);
}

ms_status ms_capacity_eval(const ms_law *law, const double *theta,
                           const double *h, double N, double D, ms_pred *out,
                           double *jac, double *work, ms_diag *d,
                           ms_capacity_fn capacity)
{
    const size_t K = law->K, P = law->n_params, W = 2 * K + n_scalars(law);
    double *logx = work + K, *T = work + 2 * K, *cj = jac ? work + CJ_OFFSET(K) : NULL;
    ms_status st = solve(law, theta, h, N, capacity, out->x, logx, T, cj,
                         work + 3 * K, &out->capacity, d);
    if (st != MS_OK)
        return st;
    for (size_t i = 0; i < K; i++) {
        double lnd, noise = noise_term(law, theta, h, i, D, &lnd);
        out->term[0][i] = T[i];
        out->term[1][i] = noise;
        out->term[2][i] = theta[G_E * K + i];
        out->loss[i] = T[i] + noise + theta[G_E * K + i];
        if (!isfinite(out->loss[i]))
            return not_finite(law, i, d);
        if (jac)
            jac_row(law, cj + i * W, noise, lnd, i, theta, jac + i * P);
    }
    return MS_OK;
}

ms_status ms_capacity_eval_run(const ms_law *law, const double *theta,
                               const double *h, double N, const double *D,
                               size_t nD, double *loss, double *jac,
                               double *work, ms_diag *d,
                               ms_capacity_fn capacity)
{
    const size_t K = law->K, P = law->n_params, W = 2 * K + n_scalars(law);
    double *x = work, *logx = work + K, *T = work + 2 * K, C;
    double *cj = jac ? work + CJ_OFFSET(K) : NULL;
    ms_status st = solve(law, theta, h, N, capacity, x, logx, T, cj,
                         work + 3 * K, &C, d);
    if (st != MS_OK)
        return st;
    /* The noise term's logs, once per run and once per budget rather than
     * per cell (the same sums as ms_noise_logdose, so the same bits). The
     * solve's scratch at work + 3K is free again. */
    double *logh = work + 3 * K;
    for (size_t i = 0; i < K; i++)
        logh[i] = log(h[i] > law->h_min ? h[i] : law->h_min);
    for (size_t k = 0; k < nD; k++) {
        double logD = log(D[k]);
        for (size_t i = 0; i < K; i++) {
            double lnd = logD + logh[i];
            double noise = law->off & MS_MECH_NOISE
                               ? 0 : theta[G_A * K + i] * exp(-theta[G_SMALLA * K + i] * lnd);
            double L = T[i] + noise + theta[G_E * K + i];
            if (!isfinite(L))
                return not_finite(law, i, d);
            loss[k * K + i] = L;
            if (jac)
                jac_row(law, cj + i * W, noise, lnd, i, theta, jac + (k * K + i) * P);
        }
    }
    return MS_OK;
}
