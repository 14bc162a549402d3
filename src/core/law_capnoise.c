/* capnoise — the capacity/noise law of Dai & Zheng (ICML 2026), DESIGN.md §1:
 *
 *   L_i = c_i x_i*(h, N)^(-b_i) + A_i (D max(h_i, h_min))^(-a_i) + E_i
 *
 * with x* the capacity allocation of capalloc.h, total C = N + (K-1) H.
 * theta = [b(K), c(K), A(K), a(K), E(K), H]. The evaluation is shared with
 * capnoise-g (law_capacity.h); this file only says how C depends on N. */
#include "mixscope/law.h"
#include "core/law_capacity.h"
#include "core/law_impl.h"

static const ms_param_group groups[] = {
    {"b", MS_SHAPE_DOMAIN, MS_KIND_POSITIVE, 0.1, 2.0, "capacity exponent", MS_INIT_ABS},
    {"c", MS_SHAPE_DOMAIN, MS_KIND_POSITIVE, 0.5, 20.0, "capacity scale", MS_INIT_ABS},
    {"A", MS_SHAPE_DOMAIN, MS_KIND_POSITIVE, 0.1, 3.0, "noise scale", MS_INIT_ABS},
    {"a", MS_SHAPE_DOMAIN, MS_KIND_POSITIVE, 0.05, 1.0, "noise exponent", MS_INIT_ABS},
    {"E", MS_SHAPE_DOMAIN, MS_KIND_NONNEG, 0.0, 0.9, "irreducible loss", MS_INIT_MINLOSS},
    {"H", MS_SHAPE_SCALAR, MS_KIND_POSITIVE, 0.1, 20.0,
     "shared capacity floor (millions of parameters)", MS_INIT_ABS},
};

/* C = N + (K-1) H: finite whenever N and H are, so this cannot fail. */
static ms_status capnoise_capacity(const ms_law *law, const double *theta,
                                   double N, ms_capacity *cap, ms_diag *d)
{
    (void)d;
    const double Km1 = (double)(law->K - 1);
    double C = N + Km1 * theta[5 * law->K];
    cap->logC = log(C);
    cap->dlogC[0] = Km1 / C;
    return MS_OK;
}

static size_t capnoise_work_size(size_t K) { return ms_capacity_work_size(K, 1); }

static ms_status capnoise_eval(const ms_law *law, const double *theta,
                               const double *h, double N, double D,
                               ms_pred *out, double *jac, double *work,
                               ms_diag *d)
{
    return ms_capacity_eval(law, theta, h, N, D, out, jac, work, d, capnoise_capacity);
}

static ms_status capnoise_eval_run(const ms_law *law, const double *theta,
                                   const double *h, double N, const double *D,
                                   size_t nD, double *loss, double *jac,
                                   double *work, ms_diag *d)
{
    return ms_capacity_eval_run(law, theta, h, N, D, nD, loss, jac, work, d,
                                capnoise_capacity);
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
