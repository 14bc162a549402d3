/* test_law.c — the capacity/noise law against independent computations:
 * the published test vector, a brute-force inner solver, the KKT conditions,
 * and central finite differences of every derivative. */
#include "testutil.h"

#include <float.h>
#include <math.h>

#include "mixscope/capalloc.h"
#include "mixscope/fitfile.h"
#include "mixscope/law.h"

static double logu(double lo, double hi) { return lo * pow(hi / lo, tu_urand()); }

static void assert_rel(double got, double want, double tol, const char *what, size_t i)
{
    double err = fabs(got - want) / fmax(fabs(want), 1e-12);
    if (err > tol)
        fail_msg("%s[%zu]: got %.12g, want %.12g (rel err %.3g > %.1g)", what, i,
                 got, want, err, tol);
}

static void check_array(const json_t *c, const char *key, const double *got,
                        size_t K)
{
    const json_t *arr = json_object_get(c, key);
    if (!arr)
        return; /* the second case publishes fewer arrays */
    assert_int_equal(json_array_size(arr), K);
    for (size_t i = 0; i < K; i++)
        assert_rel(got[i], json_number_value(json_array_get(arr, i)), 1e-6, key, i);
}

static void test_vector(void **state)
{
    (void)state;
    char path[512];
    TU_SHARED_OR_SKIP(path, "test-vector-7dom.json");
    ms_fit *fit;
    ms_diag d;
    assert_int_equal(ms_fit_read(path, &fit, &d), MS_OK);
    assert_int_equal(fit->law.K, 7);
    assert_string_equal(fit->law.def->name, "capnoise");
    assert_true(fit->law.h_min == 1e-4);
    const json_t *cases = json_object_get(fit->meta, "cases");
    assert_int_equal(json_array_size(cases), 2);
    ms_pred p;
    assert_int_equal(ms_pred_alloc(&p, 7), MS_OK);
    for (size_t k = 0; k < 2; k++) {
        const json_t *c = json_array_get(cases, k);
        double h[7];
        for (size_t i = 0; i < 7; i++)
            h[i] = json_number_value(json_array_get(json_object_get(c, "h"), i));
        double N = json_number_value(json_object_get(c, "N"));
        double D = json_number_value(json_object_get(c, "D"));
        assert_int_equal(ms_law_predict(&fit->law, fit->theta, h, N, D, &p, &d), MS_OK);
        check_array(c, "x_star", p.x, 7);
        check_array(c, "loss", p.loss, 7);
        check_array(c, "capacity_term", p.term[0], 7);
        check_array(c, "noise_term", p.term[1], 7);
        assert_rel(ms_pred_mean(&p, 7),
                   json_number_value(json_object_get(c, "mean_loss")), 1e-6, "mean", k);
        const json_t *sum = json_object_get(c, "x_star_sum");
        if (sum) {
            double s = 0;
            for (size_t i = 0; i < 7; i++)
                s += p.x[i];
            assert_rel(s, json_number_value(sum), 1e-9, "x_star_sum", k);
        }
    }
    ms_pred_free(&p);
    ms_fit_free(fit);
}

/* Brute force: plain bisection on log(lambda) over a fixed huge range, with
 * no bracket derivation and no Newton steps. */
static void brute_alloc(size_t K, const double *h, const double *b,
                        const double *c, double H, double C, double *x)
{
    if ((double)K * H >= C) {
        for (size_t i = 0; i < K; i++)
            x[i] = H;
        return;
    }
    double lo = -5000, hi = 5000;
    for (int it = 0; it < 2000; it++) {
        double u = 0.5 * (lo + hi), s = 0;
        for (size_t i = 0; i < K; i++) {
            double v = h[i] > 0 ? exp((log(h[i] * b[i] * c[i]) - u) / (1 + b[i])) : 0;
            s += fmax(H, v);
        }
        if (s > C)
            lo = u;
        else
            hi = u;
    }
    for (size_t i = 0; i < K; i++) {
        double v = h[i] > 0 ? exp((log(h[i] * b[i] * c[i]) - lo) / (1 + b[i])) : 0;
        x[i] = fmax(H, v);
    }
}

static double alloc_objective(size_t K, const double *h, const double *b,
                              const double *c, const double *x)
{
    double f = 0;
    for (size_t i = 0; i < K; i++)
        f += h[i] * c[i] * pow(x[i], -b[i]);
    return f;
}

/* Random allocation problems covering K = 1, zero weights, active floors and
 * H >= N (all on the floor). */
static void random_problem(size_t *K, double *h, double *b, double *c,
                           double *H, double *N, int variant)
{
    *K = variant == 0 ? 1 : 2 + (size_t)(tu_urand() * 14);
    for (size_t i = 0; i < *K; i++) {
        h[i] = tu_urand() < 0.15 ? 0 : logu(1e-4, 1);
        b[i] = logu(0.05, 6);
        c[i] = logu(0.1, 50);
    }
    if (variant == 0)
        h[0] = 1;
    h[(size_t)(tu_urand() * (double)*K)] += 0.5; /* never all zero */
    double s = 0;
    for (size_t i = 0; i < *K; i++)
        s += h[i];
    for (size_t i = 0; i < *K; i++)
        h[i] /= s;
    *N = logu(1, 1e5);
    *H = variant == 2 ? *N * logu(1, 10) : *N * logu(1e-6, 0.5);
}

static void test_alloc_vs_brute(void **state)
{
    (void)state;
    tu_seed(42);
    double h[16], b[16], c[16], x[16], lx[16], xb[16];
    int floors_seen = 0, allfloor_seen = 0;
    for (int t = 0; t < 3000; t++) {
        size_t K;
        double H, N;
        random_problem(&K, h, b, c, &H, &N, t % 10 == 0 ? 0 : t % 10 == 1 ? 2 : 1);
        double C = N + (double)(K - 1) * H;
        ms_alloc_info info;
        ms_diag d;
        if (ms_alloc_solve(K, h, b, c, H, log(C), x, lx, &info, &d) != MS_OK)
            fail_msg("case %d: %s", t, d.msg);
        brute_alloc(K, h, b, c, H, C, xb);
        double s = 0;
        for (size_t i = 0; i < K; i++) {
            assert_rel(x[i], xb[i], 1e-9, "x vs brute force", i);
            assert_true(x[i] >= H);
            assert_rel(lx[i], log(x[i]), 1e-12, "log x", i);
            s += x[i];
        }
        if (!info.all_floor)
            assert_rel(s, C, 1e-12, "sum x", 0);
        floors_seen += !info.all_floor && info.n_free < K;
        allfloor_seen += info.all_floor;
    }
    /* The generator must really exercise the floor cases. */
    assert_true(floors_seen > 300);
    assert_true(allfloor_seen > 100);
}

/* KKT and optimality: equal marginals on free domains, floor marginals no
 * larger, and no feasible exchange of capacity lowers the objective. */
static void test_alloc_kkt(void **state)
{
    (void)state;
    tu_seed(7);
    double h[16], b[16], c[16], x[16], lx[16], y[16];
    for (int t = 0; t < 500; t++) {
        size_t K;
        double H, N;
        random_problem(&K, h, b, c, &H, &N, 1);
        double C = N + (double)(K - 1) * H;
        ms_alloc_info info;
        assert_int_equal(ms_alloc_solve(K, h, b, c, H, log(C), x, lx, &info, NULL), MS_OK);
        double lam = exp(info.loglam);
        for (size_t i = 0; i < K; i++) {
            double marg = h[i] * b[i] * c[i] * pow(x[i], -b[i] - 1);
            if (x[i] > H)
                assert_rel(marg, lam, 1e-8, "free marginal", i);
            else
                assert_true(marg <= lam * (1 + 1e-8));
        }
        double f0 = alloc_objective(K, h, b, c, x);
        for (int m = 0; m < 20; m++) {
            size_t i = (size_t)(tu_urand() * (double)K), j = (size_t)(tu_urand() * (double)K);
            double eps = (x[i] - H) * tu_urand() * 0.1;
            if (i == j || eps <= 0)
                continue;
            memcpy(y, x, K * sizeof *y);
            y[i] -= eps;
            y[j] += eps;
            assert_true(alloc_objective(K, h, b, c, y) >= f0 * (1 - 1e-12));
        }
    }
}

/* Active set of the allocation for given theta (to avoid differencing
 * across a kink). */
static size_t free_count(const ms_law *law, const double *th, const double *h,
                         double N)
{
    size_t K = law->K;
    double x[16], lx[16];
    ms_alloc_info info;
    if (ms_alloc_solve(K, h, th, th + K, th[5 * K], log(N + (double)(K - 1) * th[5 * K]),
                       x, lx, &info, NULL) != MS_OK)
        return (size_t)-1;
    return info.all_floor ? 0 : info.n_free + 1000;
}

static void test_jacobian_fd(void **state)
{
    (void)state;
    tu_seed(2026);
    const ms_law_def *def = ms_law_find("capnoise");
    assert_non_null(def);
    size_t checked = 0, skipped = 0;
    for (int t = 0; t < 300; t++) {
        size_t K;
        double h[16], th[5 * 16 + 1], N, H;
        random_problem(&K, h, th, th + 16, &H, &N, t % 10 == 0 ? 0 : t % 10 == 1 ? 2 : 1);
        ms_law law = ms_law_make(def, K);
        double *b = th, *c = th + K;
        memmove(c, th + 16, K * sizeof *c); /* pack the layout for this K */
        for (size_t i = 0; i < K; i++) {
            th[2 * K + i] = logu(0.1, 3);
            th[3 * K + i] = logu(0.05, 1.5);
            th[4 * K + i] = tu_urand() * 2;
        }
        th[5 * K] = H;
        (void)b;
        double D = logu(0.5, 500);
        size_t P = law.n_params;
        double jac[16 * 81], work[2048];
        assert_true(ms_law_work_size(&law) <= 2048);
        ms_pred p, pp;
        ms_pred_alloc(&p, K);
        ms_pred_alloc(&pp, K);
        assert_int_equal(ms_law_eval(&law, th, h, N, D, &p, jac, work, NULL), MS_OK);
        size_t act = free_count(&law, th, h, N);
        for (size_t j = 0; j < P; j++) {
            /* Five-point central differences: truncation O(eps^4), so a
             * step of 1e-4 keeps rounding error near 1e-12. */
            static const double off[4] = {2, 1, -1, -2}, wt[4] = {-1, 8, -8, 1};
            double save = th[j], eps = 1e-4 * fmax(fabs(save), 1e-3);
            double fd[16] = {0};
            int kink = 0;
            for (int k = 0; k < 4; k++) {
                th[j] = save + off[k] * eps;
                kink |= free_count(&law, th, h, N) != act;
                assert_int_equal(ms_law_eval(&law, th, h, N, D, &pp, NULL, work, NULL), MS_OK);
                for (size_t i = 0; i < K; i++)
                    fd[i] += wt[k] * pp.loss[i] / (12 * eps);
            }
            th[j] = save;
            if (kink) {
                skipped++;
                continue;
            }
            for (size_t i = 0; i < K; i++) {
                double an = jac[i * P + j];
                /* 1e-5 relative, plus what differencing can resolve at all:
                 * rounding of the loss itself, divided by the step. */
                double scale = fmax(fmax(fabs(an), fabs(fd[i])), 1e-4);
                double noise = 100 * DBL_EPSILON * fabs(p.loss[i]) / eps;
                double err = fabs(fd[i] - an) / scale;
                if (fabs(fd[i] - an) > 1e-5 * scale + noise)
                    fail_msg("case %d K=%zu N=%g H=%g theta_j=%g: dL[%zu]/dtheta[%zu]: analytic %.10g, "
                             "finite difference %.10g (rel err %.2g)",
                             t, K, N, th[5 * K], th[j], i, j, an, fd[i], err);
                checked++;
            }
        }
        ms_pred_free(&p);
        ms_pred_free(&pp);
    }
    print_message("checked %zu derivatives, skipped %zu parameters at a kink\n",
                  checked, skipped);
    assert_true(checked > 50000);
    assert_true(skipped * 50 < checked);
}

static void test_eval_rejects_bad_scale(void **state)
{
    (void)state;
    ms_law law = ms_law_make(ms_law_find("capnoise"), 2);
    double th[11] = {1, 1, 1, 1, 1, 1, 0.5, 0.5, 1, 1, 1};
    double h[2] = {0.5, 0.5}, work[64];
    ms_pred p;
    ms_diag d;
    ms_pred_alloc(&p, 2);
    assert_int_equal(ms_law_eval(&law, th, h, 0, 1, &p, NULL, work, &d), MS_EINPUT);
    assert_string_equal(d.msg, "model size N must be a positive number, got 0");
    assert_int_equal(ms_law_eval(&law, th, h, 10, NAN, &p, NULL, work, &d), MS_EINPUT);
    assert_string_equal(d.msg, "token budget D must be a positive number, got nan");
    h[1] = -0.5;
    assert_int_equal(ms_law_eval(&law, th, h, 10, 1, &p, NULL, work, &d), MS_EINPUT);
    ms_pred_free(&p);
}

static void test_param_labels(void **state)
{
    (void)state;
    ms_law law = ms_law_make(ms_law_find("capnoise"), 3);
    const char *doms[] = {"web", "code", "books"};
    char buf[64];
    assert_int_equal(law.n_params, 16);
    assert_string_equal(ms_law_param_label(&law, 0, doms, buf, sizeof buf), "b[web]");
    assert_string_equal(ms_law_param_label(&law, 4, doms, buf, sizeof buf), "c[code]");
    assert_string_equal(ms_law_param_label(&law, 14, doms, buf, sizeof buf), "E[books]");
    assert_string_equal(ms_law_param_label(&law, 15, doms, buf, sizeof buf), "H");
    assert_int_equal(ms_law_group_offset(&law, 5), 15);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vector),
        cmocka_unit_test(test_alloc_vs_brute),
        cmocka_unit_test(test_alloc_kkt),
        cmocka_unit_test(test_jacobian_fd),
        cmocka_unit_test(test_eval_rejects_bad_scale),
        cmocka_unit_test(test_param_labels),
    };
    return cmocka_run_group_tests_name("law", tests, NULL, NULL);
}
