/* test_laws.c — contracts every law in the registry must keep: the
 * decomposition sums to the loss, eval_run agrees with eval, and every
 * derivative agrees with five-point finite differences. A new law is
 * covered by being registered. */
#include "testutil.h"

#include <float.h>
#include <math.h>

#include "mixscope/law.h"


/* Random parameters inside the law's starting ranges (min loss taken as 2). */
static void random_theta(const ms_law *law, double *th)
{
    for (size_t g = 0, j = 0; g < law->def->n_groups; g++) {
        const ms_param_group *pg = &law->def->groups[g];
        double lo = pg->init_lo, hi = pg->init_hi;
        if (pg->init_scale == MS_INIT_MINLOSS)
            lo *= 2, hi *= 2;
        for (size_t k = 0; k < ms_law_group_size(pg, law->K); k++, j++) {
            if (pg->kind == MS_KIND_POSITIVE && lo > 0)
                th[j] = lo * pow(hi / lo, tu_urand());
            else
                th[j] = lo + (hi - lo) * tu_urand();
            if (pg->kind != MS_KIND_REAL && th[j] <= 0)
                th[j] = 1e-3 * hi;
        }
    }
}

static void random_mix(size_t K, double *h)
{
    double s = 0;
    for (size_t i = 0; i < K; i++)
        s += h[i] = tu_urand() < 0.1 ? 0.001 * tu_urand() : tu_urand();
    for (size_t i = 0; i < K; i++)
        h[i] /= s;
}

typedef struct {
    ms_law law;
    double *th, *h, *jac, *jrun, *loss, *work, D[3];
    double N;
    ms_pred p;
} law_case;

static void case_init(law_case *c, const ms_law_def *def, size_t K)
{
    c->law = ms_law_make(def, K);
    size_t P = c->law.n_params;
    c->th = calloc(P, sizeof *c->th);
    c->h = calloc(K, sizeof *c->h);
    c->jac = calloc(K * P, sizeof *c->jac);
    c->jrun = calloc(3 * K * P, sizeof *c->jrun);
    c->loss = calloc(3 * K, sizeof *c->loss);
    c->work = calloc(ms_law_work_size(&c->law), sizeof *c->work);
    assert_int_equal(ms_pred_alloc(&c->p, K), MS_OK);
    random_theta(&c->law, c->th);
    random_mix(K, c->h);
    c->N = 20 * pow(500, tu_urand());
    for (int k = 0; k < 3; k++)
        c->D[k] = 0.5 * pow(200, tu_urand());
}

static void case_done(law_case *c)
{
    free(c->th), free(c->h), free(c->jac), free(c->jrun), free(c->loss), free(c->work);
    ms_pred_free(&c->p);
}

static void test_decomposition_and_run(void **state)
{
    (void)state;
    tu_seed(99);
    for (const ms_law_def *const *def = ms_law_defs(); *def; def++) {
        for (int t = 0; t < 100; t++) {
            size_t K = 1 + (size_t)(tu_urand() * 9);
            law_case c;
            case_init(&c, *def, K);
            size_t P = c.law.n_params;
            assert_int_equal(ms_law_eval_run(&c.law, c.th, c.h, c.N, c.D, 3, c.loss, c.jrun,
                                             c.work, NULL), MS_OK);
            for (int k = 0; k < 3; k++) {
                assert_int_equal(ms_law_eval(&c.law, c.th, c.h, c.N, c.D[k], &c.p, c.jac,
                                             c.work, NULL), MS_OK);
                for (size_t i = 0; i < K; i++) {
                    double sum = c.p.term[0][i] + c.p.term[1][i] + c.p.term[2][i];
                    if (fabs(sum - c.p.loss[i]) > 1e-12 * fabs(c.p.loss[i]))
                        fail_msg("%s: terms sum to %.17g, loss %.17g", (*def)->name, sum,
                                 c.p.loss[i]);
                    if (c.loss[k * K + i] != c.p.loss[i])
                        fail_msg("%s: eval_run loss %.17g, eval %.17g", (*def)->name,
                                 c.loss[k * K + i], c.p.loss[i]);
                    for (size_t j = 0; j < P; j++)
                        if (fabs(c.jrun[(k * K + i) * P + j] - c.jac[i * P + j]) >
                            1e-12 * fmax(1, fabs(c.jac[i * P + j])))
                            fail_msg("%s: eval_run jac[%zu][%zu] %.17g, eval %.17g",
                                     (*def)->name, i, j, c.jrun[(k * K + i) * P + j],
                                     c.jac[i * P + j]);
                }
            }
            case_done(&c);
        }
    }
}

static void jacobians_fd(unsigned mech_off)
{
    tu_seed(1234);
    static const double off[4] = {2, 1, -1, -2}, wt[4] = {-1, 8, -8, 1};
    for (const ms_law_def *const *def = ms_law_defs(); *def; def++) {
        size_t checked = 0, bad = 0;
        for (int t = 0; t < 60; t++) {
            size_t K = 1 + (size_t)(tu_urand() * 8);
            law_case c;
            case_init(&c, *def, K);
            c.law.off = mech_off;
            size_t P = c.law.n_params;
            assert_int_equal(ms_law_eval(&c.law, c.th, c.h, c.N, c.D[0], &c.p, c.jac,
                                         c.work, NULL), MS_OK);
            double *base = calloc(K, sizeof *base);
            memcpy(base, c.p.loss, K * sizeof *base);
            for (size_t j = 0; j < P; j++) {
                double save = c.th[j], eps = 1e-4 * fmax(fabs(save), 1e-3), fd[16] = {0};
                for (int k = 0; k < 4; k++) {
                    c.th[j] = save + off[k] * eps;
                    assert_int_equal(ms_law_eval(&c.law, c.th, c.h, c.N, c.D[0], &c.p, NULL,
                                                 c.work, NULL), MS_OK);
                    for (size_t i = 0; i < K; i++)
                        fd[i] += wt[k] * c.p.loss[i] / (12 * eps);
                }
                c.th[j] = save;
                for (size_t i = 0; i < K; i++) {
                    double an = c.jac[i * P + j];
                    double scale = fmax(fmax(fabs(an), fabs(fd[i])), 1e-4);
                    double noise = 100 * DBL_EPSILON * fabs(base[i]) / eps;
                    checked++;
                    /* A kink of the capacity floor can sit between the
                     * stencil's points; those are counted, not failed. */
                    if (fabs(fd[i] - an) > 1e-5 * scale + noise)
                        bad++;
                }
            }
            free(base);
            case_done(&c);
        }
        print_message("%s%s: %zu derivatives checked, %zu off (kinks)\n", (*def)->name,
                      mech_off ? " (mechanisms off)" : "", checked, bad);
        assert_true(checked > 1000);
        assert_true(bad * 1000 < checked);
    }
}

static void test_jacobians_fd(void **state)
{
    (void)state;
    jacobians_fd(0);
}

/* The teaching toggles: equal capacity split, no noise term. */
static void test_mechanisms_off(void **state)
{
    (void)state;
    jacobians_fd(MS_MECH_COMPETITION | MS_MECH_NOISE);
    jacobians_fd(MS_MECH_COMPETITION);
    law_case c;
    tu_seed(77);
    case_init(&c, ms_law_find("capnoise"), 4);
    c.law.off = MS_MECH_COMPETITION | MS_MECH_NOISE;
    assert_int_equal(ms_law_predict(&c.law, c.th, c.h, c.N, c.D[0], &c.p, NULL), MS_OK);
    double C = c.N + 3 * c.th[20];
    for (size_t i = 0; i < 4; i++) {
        assert_true(fabs(c.p.x[i] - C / 4) < 1e-9 * C);
        assert_true(c.p.term[1][i] == 0);
    }
    /* With competition off, a domain's capacity term ignores the mixture. */
    double T0 = c.p.term[0][0];
    c.h[0] = 0.9, c.h[1] = 0.05, c.h[2] = 0.03, c.h[3] = 0.02;
    assert_int_equal(ms_law_predict(&c.law, c.th, c.h, c.N, c.D[0], &c.p, NULL), MS_OK);
    assert_true(c.p.term[0][0] == T0);
    case_done(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decomposition_and_run),
        cmocka_unit_test(test_jacobians_fd),
        cmocka_unit_test(test_mechanisms_off),
    };
    return cmocka_run_group_tests_name("laws", tests, NULL, NULL);
}
