/* capnoise-g — capnoise with a capacity that grows as a power of N:
 *
 *   L_i = c_i x_i*(h, N)^(-b_i) + A_i (D max(h_i, h_min))^(-a_i) + E_i,
 *   x* allocated from a total C = N^gamma + (K-1) H.
 *
 * gamma = 1 is capnoise; gamma says how fast the capacity the domains
 * compete for grows with model size (DESIGN §2 relates gamma -> infinity to
 * `separable`). theta = [b(K), c(K), A(K), a(K), E(K), H, gamma]:
 * capnoise's layout with gamma appended, so a capnoise fit plus gamma = 1 is
 * a valid starting point. The evaluation is capnoise's (law_capacity.h);
 * gamma enters only through C. */
#include "mixscope/law.h"
#include "core/law_capacity.h"
#include "core/law_impl.h"

#include <math.h>

static const ms_param_group groups[] = {
    {"b", MS_SHAPE_DOMAIN, MS_KIND_POSITIVE, 0.1, 2.0, "capacity exponent", MS_INIT_ABS},
    {"c", MS_SHAPE_DOMAIN, MS_KIND_POSITIVE, 0.5, 20.0, "capacity scale", MS_INIT_ABS},
    {"A", MS_SHAPE_DOMAIN, MS_KIND_POSITIVE, 0.1, 3.0, "noise scale", MS_INIT_ABS},
    {"a", MS_SHAPE_DOMAIN, MS_KIND_POSITIVE, 0.05, 1.0, "noise exponent", MS_INIT_ABS},
    {"E", MS_SHAPE_DOMAIN, MS_KIND_NONNEG, 0.0, 0.9, "irreducible loss", MS_INIT_MINLOSS},
    {"H", MS_SHAPE_SCALAR, MS_KIND_POSITIVE, 0.1, 20.0,
     "shared capacity floor (millions of parameters)", MS_INIT_ABS},
    {"gamma", MS_SHAPE_SCALAR, MS_KIND_POSITIVE, 0.7, 1.5,
     "capacity growth: C = N^gamma + (K-1) H", MS_INIT_ABS},
};

/* C = N^gamma + (K-1) H, so d log C/dH = (K-1)/C and d log C/dgamma =
 * N^gamma log N / C. Fits drive gamma high (on SlimPajama it runs past 100:
 * the law then tends to `separable`), so N^gamma may leave the double
 * range; the allocation works from log C, which is computed as a
 * log-sum-exp in that case. While N^gamma is representable, pow and a plain
 * log keep capnoise-g at gamma = 1 equal to capnoise bit for bit. */
static ms_status capnoise_g_capacity(const ms_law *law, const double *theta,
                                     double N, ms_capacity *cap, ms_diag *d)
{
    const size_t K = law->K;
    const double H = theta[5 * K], gamma = theta[5 * K + 1], Km1 = (double)(K - 1);
    const double lNg = gamma * log(N);
    if (lNg < 700) {
        double Ng = pow(N, gamma), C = Ng + Km1 * H;
        cap->logC = log(C);
        cap->dlogC[0] = Km1 / C;
        cap->dlogC[1] = Ng * log(N) / C;
    } else {
        double lH = K > 1 ? log(Km1 * H) : -INFINITY, m = fmax(lNg, lH);
        cap->logC = m + log(exp(lNg - m) + (K > 1 ? exp(lH - m) : 0));
        cap->dlogC[0] = Km1 * exp(-cap->logC);
        cap->dlogC[1] = log(N) * exp(lNg - cap->logC);
    }
    if (!isfinite(cap->logC))
        return ms_diag_set(d, MS_ENUMERIC, NULL, 0, 0,
                           "capnoise-g: capacity N^gamma = %g^%g is out of range", N, gamma);
    return MS_OK;
}

static size_t capnoise_g_work_size(size_t K) { return ms_capacity_work_size(K, 2); }

static ms_status capnoise_g_eval(const ms_law *law, const double *theta,
                                 const double *h, double N, double D,
                                 ms_pred *out, double *jac, double *work,
                                 ms_diag *d)
{
    return ms_capacity_eval(law, theta, h, N, D, out, jac, work, d,
                            capnoise_g_capacity);
}

static ms_status capnoise_g_eval_run(const ms_law *law, const double *theta,
                                     const double *h, double N, const double *D,
                                     size_t nD, double *loss, double *jac,
                                     double *work, ms_diag *d)
{
    return ms_capacity_eval_run(law, theta, h, N, D, nD, loss, jac, work, d,
                                capnoise_g_capacity);
}

const ms_law_def ms_law_capnoise_g = {
    .name = "capnoise-g",
    .title = "capnoise with capacity N^gamma + (K-1) H (gamma = 1: capnoise)",
    .term_names = {"capacity", "noise", "irreducible"},
    .groups = groups,
    .n_groups = sizeof groups / sizeof groups[0],
    .has_allocation = 1,
    .single_scale = 0,
    .work_size = capnoise_g_work_size,
    .eval = capnoise_g_eval,
    .eval_run = capnoise_g_eval_run,
};
