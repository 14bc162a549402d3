/* capnoise — the capacity/noise law of Dai & Zheng (ICML 2026), DESIGN.md §1:
 *
 *   L_i = c_i x_i*(h, N)^(-b_i) + A_i (D max(h_i, h_min))^(-a_i) + E_i
 *
 * with x* the capacity allocation of capalloc.h, total C = N + (K-1) H.
 * theta = [b(K), c(K), A(K), a(K), E(K), H]. The capacity part depends on
 * (h, N) only, so a run's checkpoints share one allocation solve. */
#include "mixscope/capalloc.h"
#include "mixscope/law.h"
#include "core/law_impl.h"

#include <math.h>
#include <string.h>

enum { G_B, G_C, G_A, G_SMALLA, G_E, G_H };

static const ms_param_group groups[] = {
    {"b", MS_SHAPE_DOMAIN, MS_KIND_POSITIVE, 0.1, 2.0, "capacity exponent", MS_INIT_ABS},
    {"c", MS_SHAPE_DOMAIN, MS_KIND_POSITIVE, 0.5, 20.0, "capacity scale", MS_INIT_ABS},
    {"A", MS_SHAPE_DOMAIN, MS_KIND_POSITIVE, 0.1, 3.0, "noise scale", MS_INIT_ABS},
    {"a", MS_SHAPE_DOMAIN, MS_KIND_POSITIVE, 0.05, 1.0, "noise exponent", MS_INIT_ABS},
    {"E", MS_SHAPE_DOMAIN, MS_KIND_NONNEG, 0.0, 0.9, "irreducible loss", MS_INIT_MINLOSS},
    {"H", MS_SHAPE_SCALAR, MS_KIND_POSITIVE, 0.1, 20.0,
     "shared capacity floor (millions of parameters)", MS_INIT_ABS},
};

/* Capacity part: x (K), logx (K), T (K) = c_i x_i^-b_i, and if cj is not
 * NULL the derivatives of T_i with respect to (b_1..b_K, c_1..c_K, H):
 * cj[i*(2K+1) + j]. Needs 3K scratch in `work`. */
static ms_status capacity_part(const ms_law *law, const double *theta,
                               const double *h, double N, double *x,
                               double *logx, double *T, double *cj,
                               double *work, double *C_out, ms_diag *d)
{
    const size_t K = law->K, W = 2 * K + 1;
    const double *b = theta, *c = theta + K, H = theta[5 * K];
    ms_alloc_info info;
    double C = N + (double)(K - 1) * H;
    ms_status st = ms_alloc_solve(K, h, b, c, H, C, x, logx, &info, d);
    if (st != MS_OK)
        return st;
    *C_out = C;
    for (size_t i = 0; i < K; i++)
        T[i] = c[i] * exp(-b[i] * logx[i]);
    if (!cj)
        return MS_OK;
    ms_alloc_sens s = {work, work + K, work + 2 * K, 0, 0, 0, 0};
    ms_alloc_sens_compute(K, b, c, H, x, logx, &info, &s);
    /* Total dloglam/dH: C itself grows by K-1 per unit of H. */
    double dll_dH = s.dloglam_dH + s.dloglam_dC * (double)(K - 1);
    memset(cj, 0, K * W * sizeof *cj);
    for (size_t i = 0; i < K; i++) {
        double *row = cj + i * W;
        double dTdx = -b[i] * T[i] / x[i];
        row[i] = -T[i] * logx[i];
        row[K + i] = T[i] / c[i];
        if (s.q[i] == 0) { /* on the floor: x_i = H */
            row[2 * K] = dTdx;
            continue;
        }
        /* dx_i/dtheta_j = [i==j] direct_j - q_i dloglam/dtheta_j, with
         * dloglam/db_j = db_j / S (likewise c); see capalloc.h. */
        double w = -dTdx * s.q[i] / s.S;
        for (size_t j = 0; j < K; j++) {
            row[j] += w * s.db[j];
            row[K + j] += w * s.dc[j];
        }
        row[i] += dTdx * s.db[i];
        row[K + i] += dTdx * s.dc[i];
        row[2 * K] = -dTdx * s.q[i] * dll_dH;
    }
    return MS_OK;
}

/* Noise term of domain i at D, and its log dose (for d/da). */
static double noise_term(const ms_law *law, const double *theta, const double *h,
                         size_t i, double D, double *lnd)
{
    const size_t K = law->K;
    *lnd = ms_noise_logdose(h[i], D, law->h_min);
    return theta[2 * K + i] * exp(-theta[3 * K + i] * *lnd);
}

/* One Jacobian row: capacity derivatives placed, noise and E added. */
static void jac_row(const ms_law *law, const double *cjrow, double noise,
                    double lnd, size_t i, const double *theta, double *row)
{
    const size_t K = law->K, P = law->n_params;
    memset(row, 0, P * sizeof *row);
    memcpy(row + G_B * K, cjrow, 2 * K * sizeof *row); /* b then c */
    row[G_H * K] = cjrow[2 * K];
    row[G_A * K + i] = noise / theta[2 * K + i];
    row[G_SMALLA * K + i] = -noise * lnd;
    row[G_E * K + i] = 1;
}

/* work layout: x, logx, T (K each), scratch (3K), then the capacity
 * Jacobian K(2K+1). eval writes x into its ms_pred and leaves the first K
 * unused. */
#define CJ_OFFSET(K) (6 * (K))
static size_t capnoise_work_size(size_t K) { return 6 * K + K * (2 * K + 1); }

static ms_status capnoise_eval(const ms_law *law, const double *theta,
                               const double *h, double N, double D,
                               ms_pred *out, double *jac, double *work,
                               ms_diag *d)
{
    const size_t K = law->K, P = law->n_params;
    double *logx = work + K, *T = work + 2 * K, *cj = jac ? work + CJ_OFFSET(K) : NULL;
    ms_status st = capacity_part(law, theta, h, N, out->x, logx, T, cj,
                                 work + 3 * K, &out->capacity, d);
    if (st != MS_OK)
        return st;
    for (size_t i = 0; i < K; i++) {
        double lnd, noise = noise_term(law, theta, h, i, D, &lnd);
        out->term[0][i] = T[i];
        out->term[1][i] = noise;
        out->term[2][i] = theta[4 * K + i];
        out->loss[i] = T[i] + noise + theta[4 * K + i];
        if (!isfinite(out->loss[i]))
            return ms_diag_set(d, MS_ENUMERIC, NULL, 0, 0,
                               "capnoise: loss of domain %zu is not finite", i + 1);
        if (jac)
            jac_row(law, cj + i * (2 * K + 1), noise, lnd, i, theta, jac + i * P);
    }
    return MS_OK;
}

static ms_status capnoise_eval_run(const ms_law *law, const double *theta,
                                   const double *h, double N, const double *D,
                                   size_t nD, double *loss, double *jac,
                                   double *work, ms_diag *d)
{
    const size_t K = law->K, P = law->n_params;
    double *x = work, *logx = work + K, *T = work + 2 * K, C;
    double *cj = jac ? work + CJ_OFFSET(K) : NULL;
    ms_status st = capacity_part(law, theta, h, N, x, logx, T, cj, work + 3 * K, &C, d);
    if (st != MS_OK)
        return st;
    for (size_t k = 0; k < nD; k++) {
        for (size_t i = 0; i < K; i++) {
            double lnd, noise = noise_term(law, theta, h, i, D[k], &lnd);
            double L = T[i] + noise + theta[4 * K + i];
            if (!isfinite(L))
                return ms_diag_set(d, MS_ENUMERIC, NULL, 0, 0,
                                   "capnoise: loss of domain %zu is not finite", i + 1);
            loss[k * K + i] = L;
            if (jac)
                jac_row(law, cj + i * (2 * K + 1), noise, lnd, i, theta,
                        jac + (k * K + i) * P);
        }
    }
    return MS_OK;
}

const ms_law_def ms_law_capnoise = {
    .name = "capnoise",
    .title = "capacity competition + noise reduction (Dai & Zheng, ICML 2026)",
    .term_names = {"capacity", "noise", "irreducible"},
    .groups = groups,
    .n_groups = sizeof groups / sizeof groups[0],
    .has_allocation = 1,
    .single_scale = 0,
    .work_size = capnoise_work_size,
    .eval = capnoise_eval,
    .eval_run = capnoise_eval_run,
};
