/* additive — the additive law of Shukor et al. 2025, "Scaling Laws for
 * Optimal Data Mixtures", fitted per target domain i:
 *
 *   L_i = E_i + 1 / sum_j C_ij m_j^(g_ij) + A_i / N^(al_i) + B_i / D^(be_i),
 *   m_j = max(h_j, h_min).
 *
 * The paper fits one law per target, with its own E, A, alpha, B, beta and
 * one (C_j, gamma_j) per training domain: 2K + 5 parameters a target, nothing
 * shared across targets. Here the K targets are the K training domains, so
 * theta = [E(K), C(K x K), g(K x K), A(K), al(K), B(K), be(K)], row i of C
 * and g belonging to target i. The floor m_j keeps d/dg_ij (which carries
 * log m_j) finite when a domain is absent from the mixture. */
#include "mixscope/law.h"
#include "core/law_impl.h"

#include <math.h>
#include <string.h>

/* Starting ranges for LM losses of 1-5 nats at N = 50-1000 (millions) and
 * D = 1-50 (billions): each reducible term can start anywhere from ~0.02 to
 * ~2. The mixture term at uniform h is about 1 / (C K^(1-g)); A N^-al and
 * B D^-be span Chinchilla's fit (exponents ~0.3, A ~ 4, B ~ 1 in these
 * units). */
static const ms_param_group groups[] = {
    {"E", MS_SHAPE_DOMAIN, MS_KIND_NONNEG, 0.0, 0.9, "irreducible loss", MS_INIT_MINLOSS},
    {"C", MS_SHAPE_MATRIX, MS_KIND_POSITIVE, 0.5, 10.0,
     "mixture scale [target, training domain]", MS_INIT_ABS},
    {"g", MS_SHAPE_MATRIX, MS_KIND_POSITIVE, 0.1, 1.0,
     "mixture exponent [target, training domain]", MS_INIT_ABS},
    {"A", MS_SHAPE_DOMAIN, MS_KIND_POSITIVE, 0.3, 10.0, "model-size scale", MS_INIT_ABS},
    {"al", MS_SHAPE_DOMAIN, MS_KIND_POSITIVE, 0.1, 0.8, "model-size exponent",
     MS_INIT_ABS},
    {"B", MS_SHAPE_DOMAIN, MS_KIND_POSITIVE, 0.1, 5.0, "token-budget scale", MS_INIT_ABS},
    {"be", MS_SHAPE_DOMAIN, MS_KIND_POSITIVE, 0.1, 0.8, "token-budget exponent",
     MS_INIT_ABS},
};

/* Offsets of the groups in theta (the matrices make them non-uniform). */
typedef struct {
    size_t E, C, g, A, al, B, be;
} layout;

static layout layout_of(size_t K)
{
    const size_t KK = K * K;
    return (layout){0, K, K + KK, K + 2 * KK, 2 * K + 2 * KK, 3 * K + 2 * KK,
                    4 * K + 2 * KK};
}

/* What depends on (h, N) only, computed once per run. */
typedef struct {
    layout o;
    double *p;    /* K x K: m_j^g_ij */
    double *logm; /* K: log m_j */
    double *M;    /* K: mixture term 1 / sum_j C_ij p_ij */
    double *SN;   /* K: A_i N^-al_i */
    double logN;
} run_cache;

/* work layout: p (K^2), then logm, M, SN (K each). */
static size_t additive_work_size(size_t K) { return K * K + 3 * K; }

static run_cache run_part(const ms_law *law, const double *theta,
                          const double *h, double N, double *work)
{
    const size_t K = law->K;
    run_cache rc = {layout_of(K), work, work + K * K, work + K * K + K,
                    work + K * K + 2 * K, log(N)};
    const double *Cm = theta + rc.o.C, *g = theta + rc.o.g;
    for (size_t j = 0; j < K; j++)
        rc.logm[j] = log(h[j] > law->h_min ? h[j] : law->h_min);
    for (size_t i = 0; i < K; i++) {
        double s = 0;
        for (size_t j = 0; j < K; j++) {
            rc.p[i * K + j] = exp(g[i * K + j] * rc.logm[j]);
            s += Cm[i * K + j] * rc.p[i * K + j];
        }
        rc.M[i] = 1 / s;
        rc.SN[i] = theta[rc.o.A + i] * exp(-theta[rc.o.al + i] * rc.logN);
    }
    return rc;
}

/* Target i at budget D: the three terms in t, the Jacobian row in `row` if
 * not NULL (dM/dC_ij = -M^2 p_ij, dM/dg_ij = -M^2 C_ij p_ij log m_j).
 * Returns the loss. */
static double domain_eval(const ms_law *law, const double *theta,
                          const run_cache *rc, size_t i, double D,
                          double t[MS_N_TERMS], double *row)
{
    const size_t K = law->K;
    const layout *o = &rc->o;
    const double logD = log(D), M = rc->M[i];
    const double SD = theta[o->B + i] * exp(-theta[o->be + i] * logD);
    t[0] = M;
    t[1] = rc->SN[i] + SD;
    t[2] = theta[o->E + i];
    if (row) {
        const double *p = rc->p + i * K, *Ci = theta + o->C + i * K;
        memset(row, 0, law->n_params * sizeof *row);
        row[o->E + i] = 1;
        for (size_t j = 0; j < K; j++) {
            row[o->C + i * K + j] = -M * M * p[j];
            row[o->g + i * K + j] = -M * M * Ci[j] * p[j] * rc->logm[j];
        }
        row[o->A + i] = rc->SN[i] / theta[o->A + i];
        row[o->al + i] = -rc->SN[i] * rc->logN;
        row[o->B + i] = SD / theta[o->B + i];
        row[o->be + i] = -SD * logD;
    }
    return t[0] + t[1] + t[2];
}

static ms_status not_finite(size_t i, ms_diag *d)
{
    return ms_diag_set(d, MS_ENUMERIC, NULL, 0, 0,
                       "additive: loss of domain %zu is not finite", i + 1);
}

static ms_status additive_eval(const ms_law *law, const double *theta,
                               const double *h, double N, double D,
                               ms_pred *out, double *jac, double *work,
                               ms_diag *d)
{
    const size_t K = law->K, P = law->n_params;
    run_cache rc = run_part(law, theta, h, N, work);
    for (size_t i = 0; i < K; i++) {
        double t[MS_N_TERMS];
        out->loss[i] = domain_eval(law, theta, &rc, i, D, t, jac ? jac + i * P : NULL);
        for (size_t k = 0; k < MS_N_TERMS; k++)
            out->term[k][i] = t[k];
        out->x[i] = 0;
        if (!isfinite(out->loss[i]))
            return not_finite(i, d);
    }
    out->capacity = 0;
    return MS_OK;
}

static ms_status additive_eval_run(const ms_law *law, const double *theta,
                                   const double *h, double N, const double *D,
                                   size_t nD, double *loss, double *jac,
                                   double *work, ms_diag *d)
{
    const size_t K = law->K, P = law->n_params;
    run_cache rc = run_part(law, theta, h, N, work);
    for (size_t k = 0; k < nD; k++) {
        for (size_t i = 0; i < K; i++) {
            double t[MS_N_TERMS];
            double L = domain_eval(law, theta, &rc, i, D[k], t,
                                   jac ? jac + (k * K + i) * P : NULL);
            if (!isfinite(L))
                return not_finite(i, d);
            loss[k * K + i] = L;
        }
    }
    return MS_OK;
}

const ms_law_def ms_law_additive = {
    .name = "additive",
    .title = "additive mixture + model-size + token-budget law (Shukor et al. 2025)",
    .term_names = {"mixture", "scale", "irreducible"},
    .groups = groups,
    .n_groups = sizeof groups / sizeof groups[0],
    .has_allocation = 0,
    .single_scale = 0,
    .work_size = additive_work_size,
    .eval = additive_eval,
    .eval_run = additive_eval_run,
};
