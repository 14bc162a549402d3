/* test_baselines.c — the laws beside capnoise (DESIGN §2) against
 * independent computations: capnoise-g at gamma = 1 is capnoise, its gamma
 * derivative against finite differences and its overflow guard; exp
 * ignores the scale; separable, additive and exp against values computed
 * by hand (mpmath, 40 digits) for K = 2. */
#include "testutil.h"

#include <float.h>
#include <math.h>

#include "mixscope/law.h"

static double logu(double lo, double hi) { return lo * pow(hi / lo, tu_urand()); }

#define KMAX 9

static void check_rel(double got, double want, double tol, const char *what,
                      size_t i, int line)
{
    double err = fabs(got - want);
    if (!(err <= tol * fabs(want)))
        fail_msg("line %d: %s[%zu]: got %.17g, want %.17g (rel err %.3g > %.1g)",
                 line, what, i, got, want, err / fabs(want), tol);
}
#define CHECK_REL(got, want, tol, what, i) check_rel(got, want, tol, what, i, __LINE__)

/* A law with its scratch, prediction and Jacobian buffers. */
typedef struct {
    ms_law law;
    double *work, *jac;
    ms_pred p;
} bench;

static void bench_init(bench *b, const char *name, size_t K)
{
    const ms_law_def *def = ms_law_find(name);
    assert_non_null(def);
    b->law = ms_law_make(def, K);
    b->work = calloc(ms_law_work_size(&b->law), sizeof *b->work);
    b->jac = calloc(K * b->law.n_params, sizeof *b->jac);
    assert_non_null(b->work);
    assert_non_null(b->jac);
    assert_int_equal(ms_pred_alloc(&b->p, K), MS_OK);
}

static void bench_done(bench *b)
{
    free(b->work), free(b->jac);
    ms_pred_free(&b->p);
}

static ms_status bench_eval(bench *b, const double *th, const double *h, double N,
                            double D, ms_diag *d)
{
    return ms_law_eval(&b->law, th, h, N, D, &b->p, b->jac, b->work, d);
}

static void random_mix(size_t K, double *h, double zero_prob, double lo)
{
    double s = 0;
    for (size_t i = 0; i < K; i++)
        s += h[i] = tu_urand() < zero_prob ? 0 : lo + tu_urand();
    if (s == 0)
        s += h[0] = 1;
    for (size_t i = 0; i < K; i++)
        h[i] /= s;
}

/* capnoise parameters [b, c, A, a, E, H]; H spans every regime, from a
 * negligible floor to H >= N (every domain on the floor). */
static void random_capnoise(size_t K, double N, double *th)
{
    for (size_t i = 0; i < K; i++) {
        th[i] = logu(0.1, 2.0);
        th[K + i] = logu(0.5, 20.0);
        th[2 * K + i] = logu(0.1, 3.0);
        th[3 * K + i] = logu(0.05, 1.0);
        th[4 * K + i] = 1.8 * tu_urand();
    }
    th[5 * K] = N * logu(1e-5, 2.0);
}

static void test_registry(void **state)
{
    (void)state;
    static const char *const names[] = {"capnoise", "capnoise-g", "separable",
                                        "additive", "exp"};
    static const size_t P7[] = {36, 37, 35, 7 * (2 * 7 + 5), 7 * 9};
    const ms_law_def *const *defs = ms_law_defs();
    for (size_t i = 0; i < 5; i++) {
        assert_non_null(defs[i]);
        assert_string_equal(defs[i]->name, names[i]);
        assert_int_equal(ms_law_make(defs[i], 7).n_params, P7[i]);
    }
    assert_null(defs[5]);
    assert_true(ms_law_find("exp")->single_scale);
    assert_false(ms_law_find("additive")->single_scale);
    assert_true(ms_law_find("capnoise-g")->has_allocation);
}

/* Every output of capnoise-g at gamma = 1 against capnoise: losses, terms,
 * x*, C, and the Jacobian columns the two laws share. */
static void compare_gamma1(bench *cn, bench *cg, size_t K)
{
    const size_t P = cn->law.n_params, PG = cg->law.n_params;
    assert_int_equal(PG, P + 1);
    for (size_t i = 0; i < K; i++) {
        CHECK_REL(cg->p.loss[i], cn->p.loss[i], 1e-14, "loss", i);
        CHECK_REL(cg->p.x[i], cn->p.x[i], 1e-14, "x*", i);
        for (int t = 0; t < MS_N_TERMS; t++)
            if (fabs(cg->p.term[t][i] - cn->p.term[t][i]) >
                1e-14 * fabs(cn->p.term[t][i]))
                fail_msg("term %d[%zu]: %.17g vs %.17g", t, i, cg->p.term[t][i],
                         cn->p.term[t][i]);
        for (size_t j = 0; j < P; j++)
            if (fabs(cg->jac[i * PG + j] - cn->jac[i * P + j]) >
                1e-14 * fabs(cn->jac[i * P + j]))
                fail_msg("jac[%zu][%zu]: %.17g vs %.17g", i, j, cg->jac[i * PG + j],
                         cn->jac[i * P + j]);
    }
    CHECK_REL(cg->p.capacity, cn->p.capacity, 1e-14, "C", 0);
}

static void test_capnoise_g_gamma1(void **state)
{
    (void)state;
    tu_seed(7);
    int interior = 0, all_floor = 0;
    for (int t = 0; t < 400; t++) {
        size_t K = 1 + (size_t)(tu_urand() * KMAX);
        bench cn, cg;
        bench_init(&cn, "capnoise", K);
        bench_init(&cg, "capnoise-g", K);
        double h[KMAX], th[5 * KMAX + 2], N = logu(1, 1e5), D = logu(0.1, 1e3);
        random_mix(K, h, 0.15, 0.001);
        random_capnoise(K, N, th);
        th[5 * K + 1] = 1.0;
        assert_int_equal(bench_eval(&cn, th, h, N, D, NULL), MS_OK);
        assert_int_equal(bench_eval(&cg, th, h, N, D, NULL), MS_OK);
        compare_gamma1(&cn, &cg, K);
        int free_domains = 0;
        for (size_t i = 0; i < K; i++)
            free_domains += cn.p.x[i] > th[5 * K];
        interior += free_domains > 0;
        all_floor += free_domains == 0;
        bench_done(&cn), bench_done(&cg);
    }
    /* Both regimes of the allocation were exercised. */
    assert_true(interior > 200);
    assert_true(all_floor > 10);
}

/* d loss / d gamma against a five-point stencil, for cases whose floor set
 * does not change across the stencil (a kink would void the comparison). */
static void check_gamma_derivative(double gamma)
{
    static const double off[4] = {2, 1, -1, -2}, wt[4] = {-1, 8, -8, 1};
    size_t checked = 0, nonzero = 0;
    for (int t = 0; t < 60; t++) {
        size_t K = 1 + (size_t)(tu_urand() * KMAX);
        bench cg;
        bench_init(&cg, "capnoise-g", K);
        const size_t P = cg.law.n_params, jg = 5 * K + 1;
        double h[KMAX], th[5 * KMAX + 2], N = logu(20, 1e4), D = logu(0.5, 100);
        random_mix(K, h, 0.1, 0.01);
        random_capnoise(K, N, th);
        th[5 * K] = logu(0.01, 0.5) * pow(N, gamma) / (double)K; /* mostly interior */
        th[jg] = gamma;
        assert_int_equal(bench_eval(&cg, th, h, N, D, NULL), MS_OK);
        CHECK_REL(cg.p.capacity, pow(N, gamma) + (double)(K - 1) * th[5 * K], 1e-14, "C", 0);
        double an[KMAX], x0[KMAX], fd[KMAX] = {0}, eps = 1e-5;
        int kink = 0;
        for (size_t i = 0; i < K; i++)
            an[i] = cg.jac[i * P + jg], x0[i] = cg.p.x[i];
        for (int k = 0; k < 4; k++) {
            th[jg] = gamma + off[k] * eps;
            assert_int_equal(ms_law_eval(&cg.law, th, h, N, D, &cg.p, NULL, cg.work, NULL),
                             MS_OK);
            for (size_t i = 0; i < K; i++) {
                fd[i] += wt[k] * cg.p.loss[i] / (12 * eps);
                kink |= (x0[i] > th[5 * K]) != (cg.p.x[i] > th[5 * K]);
            }
        }
        for (size_t i = 0; !kink && i < K; i++) {
            double noise = 100 * DBL_EPSILON * fabs(cg.p.loss[i]) / eps;
            checked++;
            nonzero += fabs(an[i]) > 1e-6;
            if (fabs(an[i] - fd[i]) > 1e-6 * fmax(fabs(an[i]), fabs(fd[i])) + noise)
                fail_msg("gamma=%g K=%zu N=%g domain %zu: analytic %.12g, fd %.12g",
                         gamma, K, N, i, an[i], fd[i]);
        }
        bench_done(&cg);
    }
    print_message("gamma=%g: %zu derivatives checked, %zu nonzero\n", gamma, checked,
                  nonzero);
    assert_true(checked > 200);
    assert_true(nonzero * 2 > checked);
}

/* Every derivative in the log-space regime (N^gamma far beyond 1e308, b
 * small so the capacity term is alive): five-point differences. */
static void check_huge_gamma_jacobian(void)
{
    static const double off[4] = {2, 1, -1, -2}, wt[4] = {-1, 8, -8, 1};
    size_t checked = 0;
    for (int t = 0; t < 20; t++) {
        size_t K = 2 + (size_t)(tu_urand() * (KMAX - 2));
        bench cg;
        bench_init(&cg, "capnoise-g", K);
        const size_t P = cg.law.n_params;
        double h[KMAX], th[5 * KMAX + 2], N = logu(100, 1e4), D = logu(0.5, 100);
        random_mix(K, h, 0, 0.01);
        random_capnoise(K, N, th);
        for (size_t i = 0; i < K; i++)
            th[i] = logu(1e-3, 1e-2);
        th[5 * K + 1] = logu(800, 3000) / log(N); /* gamma log N in [800, 3000] */
        assert_int_equal(bench_eval(&cg, th, h, N, D, NULL), MS_OK);
        double *an = calloc(K * P, sizeof *an);
        memcpy(an, cg.jac, K * P * sizeof *an);
        for (size_t j = 0; j < P; j++) {
            double save = th[j], eps = 1e-4 * fabs(save), fd[KMAX] = {0};
            for (int k = 0; k < 4; k++) {
                th[j] = save + off[k] * eps;
                assert_int_equal(ms_law_eval(&cg.law, th, h, N, D, &cg.p, NULL, cg.work, NULL),
                                 MS_OK);
                for (size_t i = 0; i < K; i++)
                    fd[i] += wt[k] * cg.p.loss[i] / (12 * eps);
            }
            th[j] = save;
            for (size_t i = 0; i < K; i++, checked++) {
                double a = an[i * P + j], noise = 100 * DBL_EPSILON * fabs(cg.p.loss[i]) / eps;
                if (fabs(a - fd[i]) > 1e-5 * fmax(fmax(fabs(a), fabs(fd[i])), 1e-4) + noise)
                    fail_msg("huge gamma K=%zu: dL[%zu]/dtheta[%zu]: analytic %.12g, fd %.12g",
                             K, i, j, a, fd[i]);
            }
        }
        free(an);
        bench_done(&cg);
    }
    print_message("huge gamma: %zu derivatives checked\n", checked);
}

static void test_capnoise_g_gamma_derivative(void **state)
{
    (void)state;
    tu_seed(11);
    check_gamma_derivative(1.0);
    check_gamma_derivative(1.3);
    check_huge_gamma_jacobian();
}

static int all_finite(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return 0;
    return 1;
}

/* N^gamma beyond DBL_MAX (gamma = 200), and N^gamma finite but its
 * derivative N^gamma log N not (gamma = 77): a clear error, no NaN. */
/* Capacities beyond the double range (fits on SlimPajama drive gamma past
 * 100): losses and Jacobians stay finite, the capacity term vanishes
 * smoothly, and the log-space branch joins the direct one continuously. */
static void test_capnoise_g_huge_capacity(void **state)
{
    (void)state;
    const size_t K = 3;
    bench cg;
    bench_init(&cg, "capnoise-g", K);
    const size_t P = cg.law.n_params;
    double th[5 * 3 + 2] = {0.5, 0.3, 0.8, 4, 6, 2, 1, 0.5, 2, 0.3, 0.2, 0.4,
                            1, 1.5, 0.7, 3, 0};
    double h[3] = {0.2, 0.3, 0.5}, D[2] = {10, 20}, loss[6] = {0}, jrun[6 * 17] = {0};
    static const double gammas[] = {77, 200, 1e4};
    for (size_t g = 0; g < 3; g++) {
        th[5 * K + 1] = gammas[g];
        ms_diag d = {{0}};
        assert_int_equal(bench_eval(&cg, th, h, 1e4, 10, &d), MS_OK);
        assert_true(all_finite(cg.p.loss, K) && all_finite(cg.jac, K * P));
        for (size_t i = 0; i < K; i++) /* c x^-b with x beyond 1e300: nothing left */
            assert_true(cg.p.term[0][i] < 1e-30);
        assert_int_equal(ms_law_eval_run(&cg.law, th, h, 1e4, D, 2, loss, jrun, cg.work, &d),
                         MS_OK);
        assert_true(all_finite(loss, 6) && all_finite(jrun, 6 * P));
    }
    /* Either side of the switch to log space (gamma log N = 700). */
    double lo[3], hi[3];
    th[5 * K + 1] = 700 / log(1e4) * (1 - 1e-12);
    assert_int_equal(bench_eval(&cg, th, h, 1e4, 10, NULL), MS_OK);
    memcpy(lo, cg.p.loss, sizeof lo);
    th[5 * K + 1] = 700 / log(1e4) * (1 + 1e-12);
    assert_int_equal(bench_eval(&cg, th, h, 1e4, 10, NULL), MS_OK);
    memcpy(hi, cg.p.loss, sizeof hi);
    for (size_t i = 0; i < K; i++)
        assert_true(fabs(lo[i] - hi[i]) <= 1e-12 * fabs(lo[i]));
    /* With tiny b the capacity term survives huge C: c N^(-b gamma), the
     * separable limit. */
    for (size_t i = 0; i < K; i++)
        th[i] = 1e-3;
    th[5 * K + 1] = 300;
    assert_int_equal(bench_eval(&cg, th, h, 1e4, 10, NULL), MS_OK);
    for (size_t i = 0; i < K; i++)
        assert_true(cg.p.term[0][i] > 1e-3 && isfinite(cg.p.term[0][i]));
    bench_done(&cg);
}

/* exp at wildly different scales: every output bit-identical, scale term 0. */
static void test_exp_ignores_scale(void **state)
{
    (void)state;
    static const double N[] = {20, 1e-3, 7e4, 1e9}, D[] = {1, 1e-4, 3e2, 1e7};
    tu_seed(3);
    for (int t = 0; t < 50; t++) {
        size_t K = 1 + (size_t)(tu_urand() * KMAX);
        bench e;
        bench_init(&e, "exp", K);
        const size_t P = e.law.n_params;
        double h[KMAX], th[KMAX * (KMAX + 2)];
        /* Jacobian, loss, mixture and irreducible terms, one after another. */
        double *ref = calloc(K * (P + 3), sizeof *ref), *cur = calloc(K * (P + 3), sizeof *cur);
        random_mix(K, h, 0.1, 0.001);
        for (size_t j = 0; j < P; j++)
            th[j] = j < K ? 2 * tu_urand() : j < 2 * K ? logu(0.1, 3) : 4 * tu_urand() - 2;
        for (size_t s = 0; s < 4; s++) {
            assert_int_equal(bench_eval(&e, th, h, N[s], D[s], NULL), MS_OK);
            memcpy(cur, e.jac, K * P * sizeof *cur);
            memcpy(cur + K * P, e.p.loss, K * sizeof *cur);
            memcpy(cur + K * (P + 1), e.p.term[0], K * sizeof *cur);
            memcpy(cur + K * (P + 2), e.p.term[2], K * sizeof *cur);
            for (size_t i = 0; i < K; i++)
                assert_true(e.p.term[1][i] == 0);
            if (s == 0)
                memcpy(ref, cur, K * (P + 3) * sizeof *cur);
            else if (memcmp(ref, cur, K * (P + 3) * sizeof *cur) != 0)
                fail_msg("exp: outputs at N=%g D=%g differ from N=%g D=%g", N[s], D[s],
                         N[0], D[0]);
        }
        free(ref), free(cur);
        bench_done(&e);
    }
}

static void test_exp_by_hand(void **state)
{
    (void)state;
    bench e;
    bench_init(&e, "exp", 2);
    /* c = (1, 2), k = (0.5, 1), t = [[-1, 0.5], [0.2, -2]], h = (0.3, 0.7):
     * t.h = (0.05, -1.34); L = (1 + 0.5 e^0.05, 2 + e^-1.34). */
    const double th[8] = {1, 2, 0.5, 1, -1, 0.5, 0.2, -2}, h[2] = {0.3, 0.7};
    assert_int_equal(bench_eval(&e, th, h, 100, 10, NULL), MS_OK);
    CHECK_REL(e.p.loss[0], 1.525635548188012, 1e-14, "loss", 0);
    CHECK_REL(e.p.loss[1], 2.261845668580326, 1e-14, "loss", 1);
    CHECK_REL(e.p.term[2][1], 2, 0, "irreducible", 1);
    bench_done(&e);
}

/* c = (3, 5), beta = (0.3, 0.5), A = (0.8, 1.2), a = (0.25, 0.4),
 * E = (1.5, 0.9); N = 200, D = 10, h = (0.99995, 0.00005): domain 2 is
 * below h_min = 1e-4, so its dose is 10 * 1e-4 (without the floor its
 * noise term would be 25.1, not 19.02). */
static void test_separable_by_hand(void **state)
{
    (void)state;
    bench s;
    bench_init(&s, "separable", 2);
    const double th[10] = {3, 5, 0.3, 0.5, 0.8, 1.2, 0.25, 0.4, 1.5, 0.9};
    const double h[2] = {0.99995, 0.00005};
    static const double size[2] = {0.61208573201051086, 0.35355339059327376};
    static const double noise[2] = {0.44987868374126942, 19.018718309533362};
    static const double loss[2] = {2.5619644157517803, 20.272271700126636};
    assert_int_equal(bench_eval(&s, th, h, 200, 10, NULL), MS_OK);
    for (size_t i = 0; i < 2; i++) {
        CHECK_REL(s.p.term[0][i], size[i], 1e-14, "model size", i);
        CHECK_REL(s.p.term[1][i], noise[i], 1e-14, "noise", i);
        CHECK_REL(s.p.term[2][i], th[8 + i], 0, "irreducible", i);
        CHECK_REL(s.p.loss[i], loss[i], 1e-14, "loss", i);
        assert_true(s.p.x[i] == 0);
    }
    /* The run path shares the model-size term across budgets. */
    double D[2] = {10, 10}, L[4];
    assert_int_equal(ms_law_eval_run(&s.law, th, h, 200, D, 2, L, NULL, s.work, NULL), MS_OK);
    for (size_t i = 0; i < 4; i++)
        CHECK_REL(L[i], loss[i % 2], 1e-14, "run loss", i);
    bench_done(&s);
}

/* E = (1.2, 0.8), C = [[2, 1], [0.5, 3]], g = [[0.5, 0.3], [0.2, 0.7]],
 * A = (4, 2), al = (0.3, 0.25), B = (1, 0.5), be = (0.3, 0.2); N = 300,
 * D = 20. At h = (1, 0) the absent domain counts as h_min = 1e-4:
 * mixture_1 = 1 / (2 + 1e-4^0.3), mixture_2 = 1 / (0.5 + 3 * 1e-4^0.7). */
static void test_additive_by_hand(void **state)
{
    (void)state;
    bench a;
    bench_init(&a, "additive", 2);
    const double th[18] = {1.2, 0.8, 2, 1, 0.5, 3, 0.5, 0.3, 0.2, 0.7,
                           4, 2, 0.3, 0.25, 1, 0.5, 0.3, 0.2};
    static const double hs[2][2] = {{1, 0}, {0.25, 0.75}};
    static const double mix[2][2] = {{0.48470848119297271, 1.9811604338909179},
                                     {0.5215627729243183, 0.35313971001704517}};
    static const double scale[2] = {1.1297332232773345, 0.75520241865348029};
    static const double loss[2][2] = {{2.8144417044703072, 3.5363628525443982},
                                      {2.8512959962016528, 1.9083421286705255}};
    for (size_t m = 0; m < 2; m++) {
        assert_int_equal(bench_eval(&a, th, hs[m], 300, 20, NULL), MS_OK);
        for (size_t i = 0; i < 2; i++) {
            CHECK_REL(a.p.term[0][i], mix[m][i], 1e-14, "mixture", i);
            CHECK_REL(a.p.term[1][i], scale[i], 1e-14, "scale", i);
            CHECK_REL(a.p.term[2][i], th[i], 0, "irreducible", i);
            CHECK_REL(a.p.loss[i], loss[m][i], 1e-14, "loss", i);
            for (size_t j = 0; j < a.law.n_params; j++)
                assert_true(isfinite(a.jac[i * a.law.n_params + j]));
        }
    }
    bench_done(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry),
        cmocka_unit_test(test_capnoise_g_gamma1),
        cmocka_unit_test(test_capnoise_g_gamma_derivative),
        cmocka_unit_test(test_capnoise_g_huge_capacity),
        cmocka_unit_test(test_exp_ignores_scale),
        cmocka_unit_test(test_exp_by_hand),
        cmocka_unit_test(test_separable_by_hand),
        cmocka_unit_test(test_additive_by_hand),
    };
    return cmocka_run_group_tests_name("baselines", tests, NULL, NULL);
}
