/* capnoise — the capacity/noise law of Dai & Zheng (ICML 2026), DESIGN.md §1:
 *
 *   L_i = c_i x_i*(h, N)^(-b_i) + A_i (D max(h_i, h_min))^(-a_i) + E_i
 *
 * with x* the capacity allocation of capalloc.h, total C = N + (K-1) H.
 * theta = [b(K), c(K), A(K), a(K), E(K), H]. */
#include "mixscope/capalloc.h"
#include "mixscope/law.h"
#include "core/law_impl.h"

#include <math.h>

enum { G_B, G_C, G_A, G_SMALLA, G_E, G_H };

static const ms_param_group groups[] = {
    {"b", MS_SHAPE_DOMAIN, MS_KIND_POSITIVE, 0.1, 2.0, "capacity exponent"},
    {"c", MS_SHAPE_DOMAIN, MS_KIND_POSITIVE, 0.5, 20.0, "capacity scale"},
    {"A", MS_SHAPE_DOMAIN, MS_KIND_POSITIVE, 0.1, 3.0, "noise scale"},
    {"a", MS_SHAPE_DOMAIN, MS_KIND_POSITIVE, 0.05, 1.0, "noise exponent"},
    {"E", MS_SHAPE_DOMAIN, MS_KIND_NONNEG, 0.0, 2.0, "irreducible loss"},
    {"H", MS_SHAPE_SCALAR, MS_KIND_POSITIVE, 0.1, 20.0,
     "shared capacity floor (millions of parameters)"},
};

/* work layout: x is in out->x; logx, q, db, dc: K each. */
static size_t capnoise_work_size(size_t K) { return 4 * K; }

static ms_status capnoise_eval(const ms_law *law, const double *theta,
                               const double *h, double N, double D,
                               ms_pred *out, double *jac, double *work,
                               ms_diag *d)
{
    const size_t K = law->K, P = law->n_params;
    const double *b = theta, *c = theta + K, *A = theta + 2 * K,
                 *a = theta + 3 * K, *E = theta + 4 * K, H = theta[5 * K];
    double *logx = work;
    ms_alloc_info info;
    double C = N + (double)(K - 1) * H;
    ms_status st = ms_alloc_solve(K, h, b, c, H, C, out->x, logx, &info, d);
    if (st != MS_OK)
        return st;
    out->capacity = C;
    for (size_t i = 0; i < K; i++) {
        double cap = c[i] * exp(-b[i] * logx[i]);
        double lnd = ms_noise_logdose(h[i], D, law->h_min);
        double noise = A[i] * exp(-a[i] * lnd);
        out->term[0][i] = cap;
        out->term[1][i] = noise;
        out->term[2][i] = E[i];
        out->loss[i] = cap + noise + E[i];
        if (!isfinite(out->loss[i]))
            return ms_diag_set(d, MS_ENUMERIC, NULL, 0, 0,
                               "capnoise: loss of domain %zu is not finite", i + 1);
        if (jac) {
            double *row = jac + i * P;
            for (size_t j = 0; j < P; j++)
                row[j] = 0;
            row[G_A * K + i] = noise / A[i];
            row[G_SMALLA * K + i] = -noise * lnd;
            row[G_E * K + i] = 1;
        }
    }
    if (!jac)
        return MS_OK;

    ms_alloc_sens s = {work + K, work + 2 * K, work + 3 * K, 0, 0, 0, 0};
    ms_alloc_sens_compute(K, b, c, H, out->x, logx, &info, &s);
    /* Total dloglam/dH: C itself grows by K-1 per unit of H. */
    double dll_dH = s.dloglam_dH + s.dloglam_dC * (double)(K - 1);
    for (size_t i = 0; i < K; i++) {
        double *row = jac + i * P;
        double T = out->term[0][i];
        double dTdx = -b[i] * T / out->x[i];
        row[G_B * K + i] += -T * logx[i];
        row[G_C * K + i] += T / c[i];
        if (s.q[i] == 0) { /* on the floor: x_i = H */
            row[G_H * K] += dTdx;
            continue;
        }
        /* dx_i/dtheta_j = [i==j] direct_j - q_i dloglam/dtheta_j,
         * dloglam/db_j = db_j / S (likewise c); see capalloc.h. */
        double w = -dTdx * s.q[i] / s.S;
        for (size_t j = 0; j < K; j++) {
            row[G_B * K + j] += w * s.db[j];
            row[G_C * K + j] += w * s.dc[j];
        }
        row[G_B * K + i] += dTdx * s.db[i];
        row[G_C * K + i] += dTdx * s.dc[i];
        row[G_H * K] += -dTdx * s.q[i] * dll_dH;
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
    .work_size = capnoise_work_size,
    .eval = capnoise_eval,
};
