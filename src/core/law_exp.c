/* exp — the data mixing law of Ye et al. 2024, "Data Mixing Laws":
 *
 *   L_i = c_i + k_i exp(sum_j t_ij h_j)
 *
 * at one model size and token budget: the law ignores N and D, so its
 * "scale" term is identically 0 and it should be fitted on one scale.
 * theta = [c(K), k(K), t(K x K)], row i of t belonging to target i.
 *
 * Identifiability: since sum_j h_j = 1, adding s to every t_ij of row i and
 * dividing k_i by e^s leaves every prediction unchanged, so log k_i is not
 * identifiable separately from a constant shift of row t_i. The Jacobian
 * is rank-deficient by K on the simplex (k_i dL_i/dk_i = sum_j dL_i/dt_ij):
 * the fitter must cope (damping / a pseudo-inverse), and the standard
 * errors of k and t will show it. Losses, and so h*, are unaffected. */
#include "mixscope/law.h"
#include "core/law_impl.h"

#include <math.h>
#include <string.h>

enum { G_C, G_K, G_T };

/* c below the smallest observed loss; k exp(t.h) then covers the rest. With
 * t in [-1, 1] the exponential moves by at most e^2 across the simplex,
 * enough to start from and small enough not to start in overflow. */
static const ms_param_group groups[] = {
    {"c", MS_SHAPE_DOMAIN, MS_KIND_NONNEG, 0.0, 0.9, "irreducible loss", MS_INIT_MINLOSS},
    {"k", MS_SHAPE_DOMAIN, MS_KIND_POSITIVE, 0.1, 3.0, "mixture scale", MS_INIT_ABS},
    {"t", MS_SHAPE_MATRIX, MS_KIND_REAL, -1.0, 1.0,
     "mixture coefficient [target, training domain]", MS_INIT_ABS},
};

/* Losses and (if jac is not NULL) Jacobian rows at h; terms if t3 is not
 * NULL (t3[k] has K entries). */
static ms_status exp_point(const ms_law *law, const double *theta,
                           const double *h, double *loss, double *const *t3,
                           double *jac, ms_diag *d)
{
    const size_t K = law->K, P = law->n_params;
    const double *c = theta + G_C * K, *k = theta + G_K * K, *t = theta + G_T * K;
    for (size_t i = 0; i < K; i++) {
        double s = 0;
        for (size_t j = 0; j < K; j++)
            s += t[i * K + j] * h[j];
        const double e = exp(s), mix = k[i] * e;
        loss[i] = mix + c[i];
        if (!isfinite(loss[i]))
            return ms_diag_set(d, MS_ENUMERIC, NULL, 0, 0,
                               "exp: loss of domain %zu is not finite "
                               "(exponent %g)", i + 1, s);
        if (t3) {
            t3[0][i] = mix;
            t3[1][i] = 0;
            t3[2][i] = c[i];
        }
        if (!jac)
            continue;
        double *row = jac + i * P;
        memset(row, 0, P * sizeof *row);
        row[G_C * K + i] = 1;
        row[G_K * K + i] = e;
        for (size_t j = 0; j < K; j++)
            row[G_T * K + i * K + j] = mix * h[j];
    }
    return MS_OK;
}

static size_t exp_work_size(size_t K)
{
    (void)K;
    return 0;
}

static ms_status exp_eval(const ms_law *law, const double *theta,
                          const double *h, double N, double D, ms_pred *out,
                          double *jac, double *work, ms_diag *d)
{
    (void)N, (void)D, (void)work;
    memset(out->x, 0, law->K * sizeof *out->x);
    out->capacity = 0;
    return exp_point(law, theta, h, out->loss, out->term, jac, d);
}

/* One evaluation serves every budget of the run: the law ignores D. */
static ms_status exp_eval_run(const ms_law *law, const double *theta,
                              const double *h, double N, const double *D,
                              size_t nD, double *loss, double *jac,
                              double *work, ms_diag *d)
{
    (void)N, (void)D, (void)work;
    const size_t K = law->K, P = law->n_params;
    if (nD == 0)
        return MS_OK;
    ms_status st = exp_point(law, theta, h, loss, NULL, jac, d);
    for (size_t k = 1; st == MS_OK && k < nD; k++) {
        memcpy(loss + k * K, loss, K * sizeof *loss);
        if (jac)
            memcpy(jac + k * K * P, jac, K * P * sizeof *jac);
    }
    return st;
}

const ms_law_def ms_law_exp = {
    .name = "exp",
    .title = "exponential data mixing law, one scale (Ye et al. 2024)",
    .term_names = {"mixture", "scale", "irreducible"},
    .groups = groups,
    .n_groups = sizeof groups / sizeof groups[0],
    .has_allocation = 0,
    .single_scale = 1,
    .work_size = exp_work_size,
    .eval = exp_eval,
    .eval_run = exp_eval_run,
};
