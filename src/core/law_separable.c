/* separable — model-size and noise terms, no competition between domains:
 *
 *   L_i = c_i N^(-beta_i) + A_i (D max(h_i, h_min))^(-a_i) + E_i
 *
 * theta = [c(K), beta(K), A(K), a(K), E(K)]. Each domain's loss depends on
 * its own weight only, so comparing it with capnoise shows what capacity
 * competition buys (DESIGN §2: on SlimPajama it extrapolates better). */
#include "mixscope/law.h"
#include "core/law_impl.h"

#include <math.h>
#include <string.h>

enum { G_C, G_BETA, G_A, G_SMALLA, G_E };

static const ms_param_group groups[] = {
    {"c", MS_SHAPE_DOMAIN, MS_KIND_POSITIVE, 0.5, 20.0, "model-size scale", MS_INIT_ABS},
    {"beta", MS_SHAPE_DOMAIN, MS_KIND_POSITIVE, 0.05, 1.0, "model-size exponent",
     MS_INIT_ABS},
    {"A", MS_SHAPE_DOMAIN, MS_KIND_POSITIVE, 0.1, 3.0, "noise scale", MS_INIT_ABS},
    {"a", MS_SHAPE_DOMAIN, MS_KIND_POSITIVE, 0.05, 1.0, "noise exponent", MS_INIT_ABS},
    {"E", MS_SHAPE_DOMAIN, MS_KIND_NONNEG, 0.0, 0.9, "irreducible loss", MS_INIT_MINLOSS},
};

/* Model-size terms c_i N^-beta_i of all domains: they depend on N only, so a
 * run computes them once for all its budgets. */
static void size_terms(size_t K, const double *theta, double logN, double *S)
{
    for (size_t i = 0; i < K; i++)
        S[i] = theta[G_C * K + i] * exp(-theta[G_BETA * K + i] * logN);
}

/* Domain i at budget D given its model-size term S: the three terms in t,
 * the Jacobian row in `row` if not NULL. Returns the loss. */
static double domain_eval(const ms_law *law, const double *theta,
                          const double *h, size_t i, double S, double logN,
                          double D, double t[MS_N_TERMS], double *row)
{
    const size_t K = law->K;
    double lnd = ms_noise_logdose(h[i], D, law->h_min);
    t[0] = S;
    t[1] = law->off & MS_MECH_NOISE ? 0 : theta[G_A * K + i] * exp(-theta[G_SMALLA * K + i] * lnd);
    t[2] = theta[G_E * K + i];
    if (row) {
        memset(row, 0, law->n_params * sizeof *row);
        row[G_C * K + i] = S / theta[G_C * K + i];
        row[G_BETA * K + i] = -S * logN;
        row[G_A * K + i] = t[1] / theta[G_A * K + i];
        row[G_SMALLA * K + i] = -t[1] * lnd;
        row[G_E * K + i] = 1;
    }
    return t[0] + t[1] + t[2];
}

static ms_status not_finite(size_t i, ms_diag *d)
{
    return ms_diag_set(d, MS_ENUMERIC, NULL, 0, 0,
                       "separable: loss of domain %zu is not finite", i + 1);
}

/* work: the K model-size terms. */
static size_t separable_work_size(size_t K) { return K; }

static ms_status separable_eval(const ms_law *law, const double *theta,
                                const double *h, double N, double D,
                                ms_pred *out, double *jac, double *work,
                                ms_diag *d)
{
    const size_t K = law->K, P = law->n_params;
    const double logN = log(N);
    size_terms(K, theta, logN, work);
    for (size_t i = 0; i < K; i++) {
        double t[MS_N_TERMS];
        out->loss[i] = domain_eval(law, theta, h, i, work[i], logN, D, t,
                                   jac ? jac + i * P : NULL);
        for (size_t k = 0; k < MS_N_TERMS; k++)
            out->term[k][i] = t[k];
        out->x[i] = 0;
        if (!isfinite(out->loss[i]))
            return not_finite(i, d);
    }
    out->capacity = 0;
    return MS_OK;
}

static ms_status separable_eval_run(const ms_law *law, const double *theta,
                                    const double *h, double N, const double *D,
                                    size_t nD, double *loss, double *jac,
                                    double *work, ms_diag *d)
{
    const size_t K = law->K, P = law->n_params;
    const double logN = log(N);
    size_terms(K, theta, logN, work);
    for (size_t k = 0; k < nD; k++) {
        for (size_t i = 0; i < K; i++) {
            double t[MS_N_TERMS];
            double L = domain_eval(law, theta, h, i, work[i], logN, D[k], t,
                                   jac ? jac + (k * K + i) * P : NULL);
            if (!isfinite(L))
                return not_finite(i, d);
            loss[k * K + i] = L;
        }
    }
    return MS_OK;
}

const ms_law_def ms_law_separable = {
    .name = "separable",
    .title = "model-size + noise terms per domain, no capacity competition",
    .term_names = {"model size", "noise", "irreducible"},
    .groups = groups,
    .n_groups = sizeof groups / sizeof groups[0],
    .has_allocation = 0,
    .single_scale = 0,
    .work_size = separable_work_size,
    .eval = separable_eval,
    .eval_run = separable_eval_run,
};
