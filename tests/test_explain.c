/* test_explain.c — mechanism diagnostics: the exact decomposition, the
 * competition test in the law and in the data (simulated, hand-made and
 * real sweeps), and `mixscope explain` through the real binary. */
#include "testutil.h"

#include <jansson.h>
#include <math.h>

#include "mixscope/explain.h"
#include "mixscope/fit.h"
#include "mixscope/fitfile.h"
#include "mixscope/problem.h"
#include "mixscope/simulate.h"
#include "mixscope/sweep.h"
#include "mixscope/units.h"

#define TRUTH "sample-data/truth.json"
#define SAMPLE "sample-data/sample.csv"
#define BIN tu_bin()

static const char *const six[6] = {"web", "code", "books", "papers", "wiki", "math"};

/* ---- helpers ---------------------------------------------------------- */

static double urand(uint64_t *s)
{
    *s ^= *s << 13, *s ^= *s >> 7, *s ^= *s << 17;
    return (double)(*s >> 11) / 9007199254740992.0;
}

/* Parameters drawn from each group's starting range (irreducible terms as
 * absolute values in [0, 0.5]). */
static void random_theta(const ms_law *law, double *theta, uint64_t *s)
{
    for (size_t g = 0; g < law->def->n_groups; g++) {
        const ms_param_group *pg = &law->def->groups[g];
        double lo = pg->init_scale == MS_INIT_MINLOSS ? 0 : pg->init_lo;
        double hi = pg->init_scale == MS_INIT_MINLOSS ? 0.5 : pg->init_hi;
        double *t = theta + ms_law_group_offset(law, g);
        for (size_t k = 0; k < ms_law_group_size(pg, law->K); k++)
            t[k] = lo + (hi - lo) * urand(s);
    }
}

static void random_mix(size_t K, double *h, uint64_t *s)
{
    double sum = 0;
    for (size_t i = 0; i < K; i++)
        sum += h[i] = pow(urand(s), 3) + (urand(s) < 0.1 ? 0 : 1e-3);
    for (size_t i = 0; i < K; i++)
        h[i] /= sum;
}

static double random_scale(double lo, double hi, uint64_t *s)
{
    return exp(log(lo) + (log(hi) - log(lo)) * urand(s));
}

static ms_fit *read_fit(const char *path)
{
    ms_fit *f = NULL;
    ms_diag d;
    if (ms_fit_read(path, &f, &d) != MS_OK)
        fail_msg("%s", d.msg);
    return f;
}

/* A separable truth for the six sample domains, losses like the sample's. */
static ms_fit *separable_truth(void)
{
    static const double theta[30] = {
        4.0, 6.0, 3.0, 4.5, 3.5, 8.0,       /* c */
        0.3, 0.35, 0.25, 0.3, 0.3, 0.4,     /* beta */
        0.7, 0.5, 0.45, 0.6, 0.4, 0.8,      /* A */
        0.3, 0.45, 0.2, 0.35, 0.4, 0.25,    /* a */
        1.8, 0.55, 1.75, 1.05, 1.3, 0.65};  /* E */
    ms_fit *f = ms_fit_new(ms_law_find("separable"), 6, six);
    assert_non_null(f);
    memcpy(f->theta, theta, sizeof theta);
    return f;
}

static ms_problem *problem_of(const char *path, const ms_fit *f)
{
    ms_sweep *s = NULL;
    ms_problem *p = NULL;
    ms_diag d;
    if (ms_sweep_load(path, NULL, &s, &d) != MS_OK ||
        ms_problem_build(s, f ? (const char *const *)f->domains : NULL, f ? f->law.K : 0, NULL,
                         MS_CKPT_ALL, &p, &d) != MS_OK)
        fail_msg("%s", d.msg);
    ms_sweep_free(s);
    return p;
}

/* ---- 1. decomposition ------------------------------------------------- */

/* Parts sum to the total, reversing the points negates every part (the
 * symmetric split; a one-order split fails this), and the end losses are
 * the law's. */
static void test_decomp_exact(void **state)
{
    (void)state;
    static const char *const laws[] = {"capnoise", "capnoise-g", "separable", "additive", "exp"};
    uint64_t seed = 0x9e3779b97f4a7c15u;
    for (size_t l = 0; l < sizeof laws / sizeof laws[0]; l++) {
        ms_law law = ms_law_make(ms_law_find(laws[l]), 5);
        double *theta = malloc(law.n_params * sizeof *theta), ha[5], hb[5];
        ms_pred pa;
        assert_int_equal(ms_pred_alloc(&pa, 5), MS_OK);
        for (int trial = 0; trial < 300; trial++) {
            random_theta(&law, theta, &seed);
            random_mix(5, ha, &seed);
            random_mix(5, hb, &seed);
            ms_explain_point a = {ha, random_scale(10, 1e4, &seed), random_scale(0.5, 500, &seed)};
            ms_explain_point b = {hb, random_scale(10, 1e4, &seed), random_scale(0.5, 500, &seed)};
            ms_explain_decomp x, r;
            ms_diag d;
            if (ms_explain_decompose(&law, theta, &a, &b, &x, &d) != MS_OK ||
                ms_explain_decompose(&law, theta, &b, &a, &r, &d) != MS_OK)
                fail_msg("%s trial %d: %s", laws[l], trial, d.msg);
            assert_int_equal(ms_law_predict(&law, theta, ha, a.N, a.D, &pa, &d), MS_OK);
            double msum = 0;
            for (size_t i = 0; i < 5; i++) {
                double sum = 0;
                for (int k = 0; k < MS_N_PARTS; k++) {
                    sum += x.part[i * MS_N_PARTS + k];
                    if (fabs(x.part[i * MS_N_PARTS + k] + r.part[i * MS_N_PARTS + k]) >
                        1e-12 * fmax(1, fabs(x.loss_a[i]) + fabs(x.loss_b[i])))
                        fail_msg("%s trial %d domain %zu part %d: not antisymmetric", laws[l],
                                 trial, i, k);
                }
                /* 1e-12 relative to the losses (a weight near h_min can make
                 * the noise term 1e4: then rounding alone is 2e-12). */
                double scale = fmax(1, fabs(x.loss_a[i]) + fabs(x.loss_b[i]));
                if (fabs(sum - x.total[i]) > 1e-12 * scale)
                    fail_msg("%s trial %d domain %zu: parts sum to %.17g, total %.17g", laws[l],
                             trial, i, sum, x.total[i]);
                assert_true(x.loss_a[i] == pa.loss[i]);
            }
            for (int k = 0; k < MS_N_PARTS; k++)
                msum += x.mean_part[k];
            assert_true(fabs(msum - x.mean_total) < 1e-12 * fmax(1, fabs(x.mean_total)) * 10);
            ms_explain_decomp_done(&x);
            ms_explain_decomp_done(&r);
        }
        ms_pred_free(&pa);
        free(theta);
    }
}

/* A change of N alone is all model size (no competition, no noise); a
 * change of mixture alone has no model-size part. */
static void test_decomp_pure_moves(void **state)
{
    (void)state;
    ms_fit *fits[2] = {read_fit(TRUTH), separable_truth()};
    uint64_t seed = 42;
    for (int f = 0; f < 2; f++) {
        const ms_law *law = &fits[f]->law;
        int capacity = law->def->has_allocation;
        assert_string_equal(fits[f]->law.def->name, capacity ? "capnoise" : "separable");
        for (int trial = 0; trial < 50; trial++) {
            double h[6], g[6], D = random_scale(1, 100, &seed);
            random_mix(6, h, &seed);
            random_mix(6, g, &seed);
            ms_explain_point a = {h, random_scale(20, 200, &seed), D};
            ms_explain_point b = {h, random_scale(300, 3000, &seed), D};
            ms_explain_decomp x;
            ms_diag d;
            assert_int_equal(ms_explain_decompose(law, fits[f]->theta, &a, &b, &x, &d), MS_OK);
            assert_string_equal(x.part_name[MS_PART_COMPETITION], "competition");
            assert_int_equal(x.part_applies[MS_PART_COMPETITION], capacity);
            for (size_t i = 0; i < 6; i++) {
                const double *pp = x.part + i * MS_N_PARTS;
                assert_true(pp[MS_PART_COMPETITION] == 0 && pp[MS_PART_NOISE] == 0 &&
                            pp[MS_PART_IRREDUCIBLE] == 0);
                assert_true(pp[MS_PART_SIZE] <= 0); /* a larger model: lower loss */
                assert_true(fabs(pp[MS_PART_SIZE] - x.total[i]) < 1e-12);
            }
            assert_true(x.mean_part[MS_PART_SIZE] < 0);
            ms_explain_decomp_done(&x);
            b = (ms_explain_point){g, a.N, D};
            assert_int_equal(ms_explain_decompose(law, fits[f]->theta, &a, &b, &x, &d), MS_OK);
            double comp = 0;
            for (size_t i = 0; i < 6; i++) {
                assert_true(x.part[i * MS_N_PARTS + MS_PART_SIZE] == 0);
                comp += fabs(x.part[i * MS_N_PARTS + MS_PART_COMPETITION]);
            }
            assert_true(capacity ? comp > 1e-6 : comp == 0);
            ms_explain_decomp_done(&x);
        }
    }
    ms_fit_free(fits[0]);
    ms_fit_free(fits[1]);
}

/* ---- 2. competition in the law ---------------------------------------- */

static void test_raise(void **state)
{
    (void)state;
    double h[4] = {0.25, 0.25, 0.3, 0.2};
    assert_true(fabs(ms_explain_raise(h, 4, 2, 0.05) - 0.05) < 1e-15);
    assert_true(fabs(h[2] - 0.35) < 1e-15);
    assert_true(fabs(h[0] / h[3] - 1.25) < 1e-12); /* proportional */
    assert_true(fabs(h[0] + h[1] + h[2] + h[3] - 1) < 1e-15);
    double g[3] = {0.98, 0.01, 0.01}, one[3] = {1, 0, 0};
    assert_true(fabs(ms_explain_raise(g, 3, 0, 0.05) - 0.02) < 1e-15);
    assert_true(g[0] == 1 && g[1] == 0 && g[2] == 0);
    assert_true(ms_explain_raise(one, 3, 0, 0.05) == 0);
}

static void test_law_competition(void **state)
{
    (void)state;
    ms_fit *cap = read_fit(TRUTH), *sep = separable_truth();
    double h[6] = {1.0 / 6, 1.0 / 6, 1.0 / 6, 1.0 / 6, 1.0 / 6, 1.0 / 6};
    const double N = 800, D = 16, *th = cap->theta;
    ms_explain_law x;
    ms_diag d;
    assert_int_equal(ms_explain_law_competition(&cap->law, th, h, N, D, &x, &d), MS_OK);
    for (size_t j = 0; j < 6; j++) {
        assert_true(fabs(x.step[j] - 0.05) < 1e-12);
        assert_true(x.cap_rel[j] > 1e-3);        /* the others' capacity terms rise */
        assert_true(x.cap_rel_off[j] == 0);      /* equal split: nothing moves */
        assert_true(x.loss[j] > x.loss_off[j]);  /* competition adds to the rise */
        /* With competition off only the noise terms move: check by hand. */
        double want = 0, g[6];
        memcpy(g, h, sizeof g);
        ms_explain_raise(g, 6, j, 0.05);
        for (size_t i = 0; i < 6; i++)
            if (i != j)
                want += th[12 + i] * (pow(D * g[i], -th[18 + i]) - pow(D * h[i], -th[18 + i])) / 5;
        assert_true(fabs(x.loss_off[j] - want) < 1e-12);
    }
    assert_true(x.applicable && x.effect > 0 && x.rel_effect > MS_EXPLAIN_LAW_PRESENT);
    assert_int_equal(x.verdict, MS_VERDICT_PRESENT);
    ms_explain_law_done(&x);
    assert_int_equal(ms_explain_law_competition(&sep->law, sep->theta, h, N, D, &x, &d), MS_OK);
    for (size_t j = 0; j < 6; j++) {
        assert_true(x.cap_rel[j] == 0 && x.cap_rel_off[j] == 0);
        assert_true(x.loss[j] == x.loss_off[j] && x.loss[j] > 0);
    }
    assert_true(x.effect == 0 && !x.applicable);
    assert_int_equal(x.verdict, MS_VERDICT_NOT_APPLICABLE);
    ms_explain_law_done(&x);
    ms_fit_free(cap);
    ms_fit_free(sep);
}

/* ---- 3. competition in the data --------------------------------------- */

/* Five runs of four domains at two checkpoints, designed so exactly seven
 * pairs qualify (listed below; three must be read backwards), one cell
 * masked, one loss missing and one checkpoint absent. The excess and its
 * dyadic-robust standard error are recomputed here by brute force. */
static void test_data_by_hand(void **state)
{
    (void)state;
    static const double H[5][4] = {
        {0.4, 0.2, 0.2, 0.2},    /* r0 */
        {0.5, 0.15, 0.2, 0.15},  /* r1: r0->r1 raises a, the others fall: yes */
        {0.4, 0.36, 0.06, 0.18}, /* r2: r0->r2 raises b (c masked); r1-r2 mixed: no */
        {0.38, 0.21, 0.2, 0.21}, /* r3: r3->r1 raises a: yes; r0-r3 too small; r2-r3 mixed */
        {0.32, 0.2, 0.3, 0.18},  /* r4: raises c from r0, r2, r3; r4->r1 raises a */
    };
    static const char *const names[4] = {"a", "b", "c", "d"};
    char csv[4096];
    size_t n = (size_t)snprintf(csv, sizeof csv, "weight_a,weight_b,weight_c,weight_d,"
                                "model_size,n_tokens,a_loss,b_loss,c_loss,d_loss\n");
    double obs[5][2][4];
    for (int r = 0; r < 5; r++)
        for (int k = 0; k < 2 - (r == 3); k++) { /* r3 has no 2B checkpoint */
            for (int i = 0; i < 4; i++)
                obs[r][k][i] = 3 - 0.3 * k + 0.37 * sin(1 + r * 4 + i + 7 * k) +
                               (r == 1) * 2.0 - (r == 3) * 2.0;
            n += (size_t)snprintf(csv + n, sizeof csv - n, "%g,%g,%g,%g,1e8,%de9,%.17g,%.17g,"
                                  "%.17g,%s\n", H[r][0], H[r][1], H[r][2], H[r][3], k + 1,
                                  obs[r][k][0], obs[r][k][1], obs[r][k][2],
                                  r == 1 && k == 1 ? "" : r == 1 ? "3" : "2.5");
            obs[r][k][3] = r == 1 && k == 1 ? NAN : r == 1 ? 3 : 2.5;
        }
    const char *path = tu_write_file("hand.csv", csv, 0);
    ms_fit *f = ms_fit_new(ms_law_find("separable"), 4, names);
    for (size_t k = 0; k < 20; k++) /* c, beta, A, a, E */
        f->theta[k] = (double[]){1, 0.3, 0.5, 0.4, 1}[k / 4];
    ms_problem *p = problem_of(path, f);
    ms_explain_data x;
    ms_diag d;
    assert_int_equal(ms_explain_data_competition(&f->law, f->theta, p, NULL, &x, &d), MS_OK);
    /* Pairs (lo -> hi, raised j). */
    enum { NP = 7 };
    static const int pr[NP][3] = {{0, 1, 0}, {0, 2, 1}, {3, 1, 0}, {0, 4, 2},
                                  {4, 1, 0}, {2, 4, 2}, {3, 4, 2}};
    double e[NP], mean = 0, u[NP], V = 0, naive = 0;
    size_t cells = 0;
    for (int q = 0; q < NP; q++) {
        int lo = pr[q][0], hi = pr[q][1], j = pr[q][2], c = 0;
        e[q] = 0;
        for (int k = 0; k < 2; k++)
            for (int i = 0; i < 4; i++) {
                double ol = k == 1 && lo == 3 ? NAN : obs[lo][k][i];
                double oh = k == 1 && hi == 3 ? NAN : obs[hi][k][i];
                if (i == j || H[lo][i] < 0.1 || H[hi][i] < 0.1 || isnan(ol) || isnan(oh))
                    continue;
                double D = k + 1;
                e[q] += (oh - ol) - 0.5 * (pow(D * H[hi][i], -0.4) - pow(D * H[lo][i], -0.4));
                c++;
            }
        e[q] /= c;
        mean += e[q] / NP;
        cells += (size_t)c;
    }
    for (int q = 0; q < NP; q++)
        u[q] = e[q] - mean, naive += u[q] * u[q] / (NP - 1) / NP;
    for (int q = 0; q < NP; q++) /* pairs sharing a run, with themselves */
        for (int w = 0; w < NP; w++)
            if (pr[q][0] == pr[w][0] || pr[q][0] == pr[w][1] || pr[q][1] == pr[w][0] ||
                pr[q][1] == pr[w][1])
                V += u[q] * u[w] / (NP * NP);
    /* r1 is high and r3 low in every pair they are in: pairs sharing them
     * co-vary, and the robust standard error exceeds the independent one. */
    assert_true(V > 1.3 * naive);
    assert_int_equal(x.all.n_pairs, NP);
    assert_int_equal(x.all.n_comparisons, 12);
    assert_int_equal(x.all.n_cells, cells);
    assert_int_equal(cells, 32);
    assert_int_equal(x.by_domain[0].n_pairs, 3);
    assert_int_equal(x.by_domain[1].n_pairs, 1);
    assert_int_equal(x.by_domain[2].n_pairs, 3);
    assert_int_equal(x.by_domain[3].n_pairs, 0);
    assert_true(fabs(x.all.mean_excess - mean) < 1e-12);
    assert_true(fabs(x.all.se - sqrt(fmax(V, naive))) < 1e-12);
    assert_true(fabs(x.all.se_independent - sqrt(naive)) < 1e-12);
    assert_true(fabs(x.all.t - mean / sqrt(V)) < 1e-9);
    assert_true(x.all.mean_capacity == 0); /* separable: no capacity change */
    ms_explain_data_done(&x);
    ms_problem_free(p);
    ms_fit_free(f);
}

/* Writes a sweep simulated from `truth`: 200 mixtures (Dirichlet 0.5, so
 * many pairs differ mainly in one weight), 3 sizes x 3 budgets, 0.2% noise. */
static const char *simulate(const ms_fit *truth, const char *name)
{
    static char path[2][256];
    char *out = path[strcmp(name, "cap.csv") == 0];
    snprintf(out, 256, "%s/%s", tu_tmpdir(), name);
    static const double sizes[3] = {50e6, 200e6, 800e6}, tokens[3] = {1e9, 4e9, 16e9};
    ms_sim_opts o;
    ms_sim_opts_init(&o);
    o.n_mixtures = 200, o.concentration = 0.5, o.noise = 0.002, o.seed = 7;
    o.sizes = sizes, o.n_sizes = 3, o.tokens = tokens, o.n_tokens = 3;
    FILE *f = fopen(out, "w");
    ms_diag d;
    assert_non_null(f);
    if (ms_simulate_write(f, truth, &o, &d) != MS_OK)
        fail_msg("%s", d.msg);
    fclose(f);
    return out;
}

static void data_verdict(const ms_fit *fit, const ms_problem *p, const ms_fit *noise,
                         ms_verdict want, const char *what)
{
    ms_explain_data_opts o;
    ms_explain_data_opts_init(&o);
    if (noise)
        o.noise_law = &noise->law, o.noise_theta = noise->theta;
    ms_explain_data x;
    ms_diag d;
    assert_int_equal(ms_explain_data_competition(&fit->law, fit->theta, p, &o, &x, &d), MS_OK);
    print_message("%s: %zu pairs, %zu cells, excess %+.5f +- %.5f (t = %.2f), law %+.5f: %s\n",
                  what, x.all.n_pairs, x.all.n_cells, x.all.mean_excess, x.all.se, x.all.t,
                  x.all.mean_capacity, ms_verdict_name(x.verdict));
    assert_true(x.all.n_pairs > 1000); /* the design yields plenty of pairs */
    if (x.verdict != want)
        fail_msg("%s: verdict %s", what, ms_verdict_name(x.verdict));
    if (want == MS_VERDICT_PRESENT && !noise) /* the excess measures the capacity change */
        assert_true(fabs(x.all.mean_excess - x.all.mean_capacity) < 3 * x.all.se);
    ms_explain_data_done(&x);
}

static ms_fit *fit_separable(const ms_problem *p)
{
    ms_fit_opts o;
    ms_fit_opts_init(&o);
    o.starts = 4;
    ms_fit_result *r = NULL;
    ms_diag d;
    if (ms_fit_run(p, ms_law_find("separable"), &o, &r, &d) != MS_OK)
        fail_msg("%s", d.msg);
    ms_fit *f = ms_fit_new(r->law.def, p->K, (const char *const *)p->domains);
    memcpy(f->theta, r->theta, r->law.n_params * sizeof *f->theta);
    ms_fit_result_free(r);
    return f;
}

/* Simulated with competition: present; without: not measurable. With the
 * truth's own noise term, and with a separable fit's. */
static void test_data_simulated(void **state)
{
    (void)state;
    ms_fit *cap = read_fit(TRUTH), *sep = separable_truth();
    ms_problem *pc = problem_of(simulate(cap, "cap.csv"), cap);
    ms_problem *ps = problem_of(simulate(sep, "sep.csv"), sep);
    data_verdict(cap, pc, NULL, MS_VERDICT_PRESENT, "capnoise truth");
    data_verdict(sep, ps, NULL, MS_VERDICT_NOT_MEASURABLE, "separable truth");
    ms_fit *fc = fit_separable(pc), *fs = fit_separable(ps);
    data_verdict(cap, pc, fc, MS_VERDICT_PRESENT, "capnoise sweep, separable fit's noise term");
    data_verdict(sep, ps, fs, MS_VERDICT_NOT_MEASURABLE,
                 "separable sweep, separable fit's noise term");
    /* The cap on runs per size: evenly spaced, deterministic. */
    ms_explain_data_opts o;
    ms_explain_data_opts_init(&o);
    o.max_runs = 50;
    ms_explain_data x, y;
    ms_diag d;
    assert_int_equal(ms_explain_data_competition(&cap->law, cap->theta, pc, &o, &x, &d), MS_OK);
    assert_int_equal(ms_explain_data_competition(&cap->law, cap->theta, pc, &o, &y, &d), MS_OK);
    assert_int_equal(x.n_runs, 600);
    assert_int_equal(x.n_runs_used, 150);
    assert_true(x.all.n_pairs > 0 && x.all.n_pairs < 1000);
    assert_true(x.all.mean_excess == y.all.mean_excess && x.all.se == y.all.se);
    ms_explain_data_done(&x);
    ms_explain_data_done(&y);
    ms_fit_free(fc), ms_fit_free(fs);
    ms_problem_free(pc), ms_problem_free(ps);
    ms_fit_free(cap), ms_fit_free(sep);
}

/* The shared SlimPajama sweep: figures printed, structure asserted. */
static void test_data_real(void **state)
{
    (void)state;
    char path[512];
    TU_SHARED_OR_SKIP(path, "slimpajama-7dom-upto937M.csv");
    ms_problem *p = problem_of(path, NULL);
    ms_fit *fits[2] = {NULL, NULL};
    static const char *const laws[2] = {"capnoise", "separable"};
    for (int l = 0; l < 2; l++) {
        ms_fit_opts o;
        ms_fit_opts_init(&o);
        ms_fit_result *r = NULL;
        ms_diag d;
        if (ms_fit_run(p, ms_law_find(laws[l]), &o, &r, &d) != MS_OK)
            fail_msg("%s", d.msg);
        fits[l] = ms_fit_new(r->law.def, p->K, (const char *const *)p->domains);
        memcpy(fits[l]->theta, r->theta, r->law.n_params * sizeof(double));
        ms_fit_result_free(r);
    }
    for (int l = 0; l < 2; l++) {
        ms_explain_data_opts o;
        ms_explain_data_opts_init(&o);
        o.noise_law = &fits[l]->law, o.noise_theta = fits[l]->theta;
        ms_explain_data x;
        ms_diag d;
        assert_int_equal(ms_explain_data_competition(&fits[0]->law, fits[0]->theta, p, &o, &x,
                                                     &d), MS_OK);
        print_message("slimpajama, capnoise fit, %s noise term: %zu pairs, %zu comparisons, "
                      "%zu cells; excess %+.5f +- %.5f (independent pairs: %.5f), t = %.2f; "
                      "observed %+.5f, noise %+.5f, law capacity %+.5f: %s\n", laws[l],
                      x.all.n_pairs, x.all.n_comparisons, x.all.n_cells, x.all.mean_excess,
                      x.all.se, x.all.se_independent, x.all.t, x.all.mean_obs, x.all.mean_noise,
                      x.all.mean_capacity, ms_verdict_name(x.verdict));
        assert_true(x.all.n_pairs > 0 && x.all.n_cells >= x.all.n_pairs);
        assert_int_equal(x.n_runs_used, x.n_runs);
        assert_true(isfinite(x.all.mean_excess) && isfinite(x.all.se) && isfinite(x.all.t));
        assert_true(x.verdict == MS_VERDICT_PRESENT || x.verdict == MS_VERDICT_NOT_MEASURABLE);
        ms_explain_data_done(&x);
    }
    ms_fit_free(fits[0]);
    ms_fit_free(fits[1]);
    ms_problem_free(p);
}

/* ---- the command ------------------------------------------------------ */

static json_t *parse(const char *text)
{
    json_error_t e;
    json_t *j = json_loads(text, 0, &e);
    if (!j)
        fail_msg("not JSON (%s): %.200s", e.text, text);
    return j;
}

static void test_cli_json(void **state)
{
    (void)state;
    tu_run_result r;
    assert_int_equal(tu_run(&r, "%s explain -p %s %s --json --to-mix 'web=0.5' --rest", BIN,
                            TRUTH, SAMPLE), 0);
    json_t *j = parse(r.out);
    json_t *dec = json_object_get(j, "decomposition"), *law = json_object_get(j, "law_competition");
    json_t *data = json_object_get(j, "data_competition");
    assert_non_null(dec), assert_non_null(law), assert_non_null(data);
    json_t *doms = json_object_get(dec, "domains");
    assert_int_equal(json_array_size(doms), 6);
    /* Defaults: the smallest and the largest grid point of the sample. */
    assert_true(json_number_value(json_object_get(json_object_get(dec, "from"), "model_size")) == 50e6);
    assert_true(json_number_value(json_object_get(json_object_get(dec, "to"), "n_tokens")) == 16e9);
    static const char *const parts[] = {"model_size", "competition", "noise", "irreducible"};
    for (size_t i = 0; i < 6; i++) {
        json_t *o = json_array_get(doms, i);
        double sum = 0;
        for (int k = 0; k < 4; k++)
            sum += json_number_value(json_object_get(o, parts[k]));
        assert_true(fabs(sum - json_number_value(json_object_get(o, "change"))) < 1e-9);
        assert_true(json_number_value(json_object_get(o, "competition")) != 0);
    }
    assert_string_equal(json_string_value(json_object_get(law, "verdict")), "present");
    assert_int_equal(json_array_size(json_object_get(law, "domains")), 6);
    assert_string_equal(json_string_value(json_object_get(data, "verdict")), "present");
    assert_true(json_integer_value(json_object_get(data, "pairs")) > 0);
    assert_true(json_is_number(json_object_get(data, "t")));
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "verdict"), "data")),
                        "present");
    json_decref(j);
    /* A separable fit: competition is null, not zero. */
    const char *sep = tu_write_file("sep.json",
        "{\"law\":\"separable\",\"domains\":[\"web\",\"code\",\"books\",\"papers\",\"wiki\","
        "\"math\"],\"params\":{\"c\":[4,6,3,4.5,3.5,8],\"beta\":[0.3,0.35,0.25,0.3,0.3,0.4],"
        "\"A\":[0.7,0.5,0.45,0.6,0.4,0.8],\"a\":[0.3,0.45,0.2,0.35,0.4,0.25],"
        "\"E\":[1.8,0.55,1.75,1.05,1.3,0.65]}}", 0);
    assert_int_equal(tu_run(&r, "%s explain -p %s %s --json --at 100M,4B", BIN, sep, SAMPLE), 0);
    j = parse(r.out);
    assert_true(json_is_null(json_object_get(json_object_get(json_object_get(j, "decomposition"),
                                                             "mean"), "competition")));
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "law_competition"),
                                                          "verdict")), "not applicable");
    json_decref(j);
    /* Its noise term for the data test of the capnoise truth. */
    assert_int_equal(tu_run(&r, "%s explain -p %s --noise-params %s %s", BIN, TRUTH, sep,
                            SAMPLE), 0);
    assert_non_null(strstr(r.out, "the separable fit's noise-term change"));
    assert_non_null(strstr(r.out, "Does this sweep show capacity competition? The law: present"));
    assert_null(strstr(r.out, "Caution:"));
    assert_int_equal(tu_run(&r, "%s explain -p %s %s", BIN, TRUTH, SAMPLE), 0);
    assert_non_null(strstr(r.out, "Caution:"));
}

static void test_cli_errors(void **state)
{
    (void)state;
    const char *two = tu_write_file("two.json",
        "{\"law\":\"separable\",\"domains\":[\"web\",\"nope\"],\"params\":{"
        "\"c\":[1,1],\"beta\":[0.3,0.3],\"A\":[1,1],\"a\":[0.3,0.3],\"E\":[1,1]}}", 0);
    char mismatch[512], noise[512];
    snprintf(mismatch, sizeof mismatch, "-p %s " SAMPLE, two);
    snprintf(noise, sizeof noise, "-p " TRUTH " --noise-params %s " SAMPLE, two);
    const struct {
        const char *args;
        int status;
        const char *err;
    } cases[] = {
        {SAMPLE, 2, "mixscope explain: --params is required\nTry 'mixscope explain --help'.\n"},
        {"-p " TRUTH, 2,
         "mixscope explain: expected one SWEEP.csv argument\nTry 'mixscope explain --help'.\n"},
        {"-p " TRUTH " " SAMPLE " --from 122M", 2,
         "mixscope explain: --from: expected N,D like 122M,10B, got \"122M\"\n"
         "Try 'mixscope explain --help'.\n"},
        {"-p " TRUTH " " SAMPLE " --bogus", 2,
         "mixscope explain: unknown option '--bogus'\nTry 'mixscope explain --help'.\n"},
        {mismatch, 1, "mixscope: " SAMPLE ": domain \"nope\" of the fit is not a training "
                      "domain of this sweep\n"},
        {noise, 1, NULL},
        {"-p " TRUTH " " SAMPLE " --mix web=2", 1, NULL},
        {"-p " TRUTH " nonexistent.csv", 1, NULL},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        tu_run_result r;
        int st = tu_run(&r, "%s explain %s", BIN, cases[k].args);
        if (st != cases[k].status || (cases[k].err && strcmp(r.err, cases[k].err) != 0) ||
            strncmp(r.err, "mixscope", 8) != 0)
            fail_msg("case %zu (%s): status %d\nstderr: %s", k, cases[k].args, st, r.err);
        assert_string_equal(r.out, "");
    }
    tu_run_result r;
    assert_int_equal(tu_run(&r, "%s explain --help", BIN), 0);
    assert_non_null(strstr(r.out, "Usage: mixscope explain"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decomp_exact),
        cmocka_unit_test(test_decomp_pure_moves),
        cmocka_unit_test(test_raise),
        cmocka_unit_test(test_law_competition),
        cmocka_unit_test(test_data_by_hand),
        cmocka_unit_test(test_data_simulated),
        cmocka_unit_test(test_data_real),
        cmocka_unit_test(test_cli_json),
        cmocka_unit_test(test_cli_errors),
    };
    return cmocka_run_group_tests_name("explain", tests, NULL, NULL);
}
