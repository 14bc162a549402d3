/* test_fit.c — the fitting engine: recovery of known laws, determinism,
 * cancellation, splits, checkpoints, metrics, and the real SlimPajama
 * extrapolation figures as regressions that may only improve. */
#include "testutil.h"

#include <math.h>

#include "mixscope/fit.h"
#include "mixscope/fitfile.h"
#include "mixscope/metrics.h"
#include "mixscope/problem.h"
#include "mixscope/select.h"
#include "mixscope/units.h"

static ms_sweep *load(const char *path)
{
    ms_sweep *s;
    ms_diag d;
    if (ms_sweep_load(path, NULL, &s, &d) != MS_OK)
        fail_msg("%s", d.msg);
    return s;
}

static ms_problem *build(const ms_sweep *s, const char *train, ms_checkpoints ck)
{
    ms_split sp = {.kind = train ? MS_SPLIT_SCALE : MS_SPLIT_NONE, .seed = 1};
    ms_diag d;
    if (train)
        assert_int_equal(ms_split_parse_conds(train, "--train", sp.train, MS_MAX_CONDS,
                                              &sp.n_train, &d), MS_OK);
    ms_problem *p;
    if (ms_problem_build(s, NULL, 0, &sp, ck, &p, &d) != MS_OK)
        fail_msg("%s", d.msg);
    return p;
}

static ms_fit_result *fit(const ms_problem *p, const char *law, size_t starts,
                          size_t threads, unsigned long seed)
{
    ms_fit_opts o;
    ms_fit_opts_init(&o);
    o.starts = starts;
    o.threads = threads;
    o.seed = seed;
    ms_fit_result *r;
    ms_diag d;
    if (ms_fit_run(p, ms_law_find(law), &o, &r, &d) != MS_OK)
        fail_msg("%s", d.msg);
    return r;
}

/* The bundled sample is simulated from sample-data/truth.json with 0.5%
 * noise: a capnoise fit on <= 400M predicts the 800M rows within 1% of the
 * true law, and most parameters lie within 3 standard errors of the truth. */
static void test_recovers_sample_truth(void **state)
{
    (void)state;
    ms_sweep *s = load("sample-data/sample.csv");
    ms_problem *p = build(s, "N<=400M", MS_CKPT_ALL);
    ms_fit_result *r = fit(p, "capnoise", 8, 0, 1);
    ms_fit *truth;
    ms_diag d;
    assert_int_equal(ms_fit_read("sample-data/truth.json", &truth, &d), MS_OK);
    double *fitted = malloc(p->n_rows * p->K * sizeof *fitted);
    double *true_ = malloc(p->n_rows * p->K * sizeof *true_);
    assert_int_equal(ms_problem_predict(p, &r->law, r->theta, fitted, &d), MS_OK);
    assert_int_equal(ms_problem_predict(p, &truth->law, truth->theta, true_, &d), MS_OK);
    double worst = 0;
    for (size_t k = 0; k < p->n_rows; k++)
        if (p->role[k] == MS_ROLE_TEST)
            for (size_t i = 0; i < p->K; i++)
                worst = fmax(worst, fabs(fitted[k * p->K + i] / true_[k * p->K + i] - 1));
    print_message("worst held-out deviation from the true law: %.3f%%\n", 100 * worst);
    assert_true(worst < 0.01);
    size_t within = 0;
    for (size_t j = 0; j < r->law.n_params; j++)
        within += fabs(r->theta[j] - truth->theta[j]) <= 3 * r->stderr_theta[j];
    print_message("%zu of %zu parameters within 3 standard errors of the truth\n", within,
                  r->law.n_params);
    assert_true(within * 10 >= r->law.n_params * 8);
    free(fitted), free(true_);
    ms_fit_free(truth);
    ms_fit_result_free(r);
    ms_problem_free(p);
    ms_sweep_free(s);
}

/* Same seed, same parameters, whatever the number of threads: bit for bit. */
static void test_deterministic_across_threads(void **state)
{
    (void)state;
    ms_sweep *s = load("sample-data/sample.csv");
    ms_problem *p = build(s, "N<=200M", MS_CKPT_FINAL);
    ms_fit_result *a = fit(p, "capnoise", 6, 1, 7), *b = fit(p, "capnoise", 6, 2, 7);
    ms_fit_result *c = fit(p, "capnoise", 6, 3, 7), *e = fit(p, "capnoise", 6, 1, 8);
    assert_memory_equal(a->theta, b->theta, a->law.n_params * sizeof *a->theta);
    assert_memory_equal(a->theta, c->theta, a->law.n_params * sizeof *a->theta);
    assert_memory_equal(a->start_cost, c->start_cost, 6 * sizeof *a->start_cost);
    assert_int_equal(a->best_start, b->best_start);
    /* A different seed draws different starts. */
    assert_memory_not_equal(a->start_cost, e->start_cost, 6 * sizeof *a->start_cost);
    ms_fit_result_free(a), ms_fit_result_free(b), ms_fit_result_free(c), ms_fit_result_free(e);
    ms_problem_free(p);
    ms_sweep_free(s);
}

typedef struct {
    size_t calls, stop_after;
    size_t max_start;
} progress_log;

static int on_progress(const ms_fit_progress *pr, void *ctx)
{
    progress_log *l = ctx;
    l->calls++;
    if (pr->start > l->max_start)
        l->max_start = pr->start;
    assert_true(pr->start < pr->n_starts);
    return l->stop_after && l->calls >= l->stop_after;
}

static void test_progress_and_cancel(void **state)
{
    (void)state;
    ms_sweep *s = load("sample-data/sample.csv");
    ms_problem *p = build(s, NULL, MS_CKPT_FINAL);
    ms_fit_opts o;
    ms_fit_opts_init(&o);
    o.starts = 4;
    o.threads = 1;
    progress_log log = {0, 0, 0};
    o.progress = on_progress;
    o.progress_ctx = &log;
    ms_fit_result *r;
    ms_diag d;
    assert_int_equal(ms_fit_run(p, ms_law_find("capnoise"), &o, &r, &d), MS_OK);
    assert_true(log.calls > 4);
    assert_int_equal(log.max_start, 3);
    assert_false(r->cancelled);
    ms_fit_result_free(r);
    /* Cancelled during the first start: nothing finished, nothing returned. */
    progress_log stop = {0, 2, 0};
    o.progress_ctx = &stop;
    assert_int_equal(ms_fit_run(p, ms_law_find("capnoise"), &o, &r, &d), MS_ECANCEL);
    assert_null(r);
    assert_string_equal(d.msg, "fit cancelled");
    assert_int_equal(stop.calls, 2);
    ms_problem_free(p);
    ms_sweep_free(s);
}

static void test_cannot_fit_too_few(void **state)
{
    (void)state;
    ms_sweep *s = load("sample-data/sample.csv");
    ms_split sp = {.kind = MS_SPLIT_AT, .at_N = 50e6, .at_D = 1e9, .val_frac = 0.9, .seed = 1};
    ms_problem *p;
    ms_diag d;
    assert_int_equal(ms_problem_build(s, NULL, 0, &sp, MS_CKPT_ALL, &p, &d), MS_OK);
    ms_fit_opts o;
    ms_fit_opts_init(&o);
    ms_fit_result *r;
    assert_int_equal(ms_fit_run(p, ms_law_find("capnoise"), &o, &r, &d), MS_EINPUT);
    assert_string_equal(d.msg, "cannot fit capnoise: 15 observed losses to fit for 31 "
                               "parameters (need at least as many observations as parameters)");
    ms_problem_free(p);
    ms_sweep_free(s);
}

static void test_splits(void **state)
{
    (void)state;
    ms_sweep *s = load("sample-data/sample.csv");
    ms_diag d;
    ms_problem *p;
    /* Random: whole runs held out, about the asked fraction. */
    ms_split sp = {.kind = MS_SPLIT_RANDOM, .val_frac = 0.25, .seed = 3};
    assert_int_equal(ms_problem_build(s, NULL, 0, &sp, MS_CKPT_ALL, &p, &d), MS_OK);
    assert_int_equal(p->n_runs, 200);
    size_t test_runs = 0;
    for (size_t u = 0; u < p->n_runs; u++) {
        unsigned char r0 = p->role[p->run_first[u]];
        for (size_t k = p->run_first[u]; k < p->run_first[u] + p->run_count[u]; k++)
            assert_int_equal(p->role[k], r0);
        test_runs += r0 == MS_ROLE_TEST;
    }
    assert_int_equal(test_runs, 50);
    ms_problem_free(p);
    /* Final checkpoints: one training row per run, the largest D. */
    p = build(s, NULL, MS_CKPT_FINAL);
    assert_int_equal(ms_problem_count(p, MS_ROLE_TRAIN), 200);
    for (size_t u = 0; u < p->n_runs; u++) {
        size_t last = p->run_first[u] + p->run_count[u] - 1;
        assert_int_equal(p->role[last], MS_ROLE_TRAIN);
        assert_true(p->D[last] == 16);
    }
    ms_problem_free(p);
    /* Weighted: each run's squared weights sum to 1. */
    p = build(s, NULL, MS_CKPT_WEIGHTED);
    assert_true(fabs(p->weight[0] * p->weight[0] * 5 - 1) < 1e-12);
    ms_problem_free(p);
    /* At a scale that is not on the grid: the nearest point. */
    sp = (ms_split){.kind = MS_SPLIT_AT, .at_N = 190e6, .at_D = 3e9, .val_frac = 0.2, .seed = 1};
    assert_int_equal(ms_problem_build(s, NULL, 0, &sp, MS_CKPT_ALL, &p, &d), MS_OK);
    assert_true(p->at_point && p->at_N == 200e6 && p->at_D == 4e9);
    assert_int_equal(p->n_rows, 40);
    assert_int_equal(ms_problem_count(p, MS_ROLE_TEST), 8);
    ms_problem_free(p);
    /* A split that leaves nothing to test on. */
    sp = (ms_split){.kind = MS_SPLIT_SCALE, .seed = 1};
    ms_split_parse_conds("N>=1M", "--train", sp.train, MS_MAX_CONDS, &sp.n_train, &d);
    assert_int_equal(ms_problem_build(s, NULL, 0, &sp, MS_CKPT_ALL, &p, &d), MS_EINPUT);
    assert_string_equal(d.msg, "sample-data/sample.csv: the split leaves no rows to test on");
    ms_sweep_free(s);
}

static void test_split_parse(void **state)
{
    (void)state;
    static const struct {
        const char *text, *err;
    } bad[] = {
        {"X<3", "--train: expected a condition like N<=310M or D>5B, got \"X<3\""},
        {"N<<3", "--train: expected one of < <= > >= = after N in \"N<<3\""},
        {"N<=3Q", "--train: in \"N<=3Q\": unknown suffix \"Q\" in \"3Q\" (use K, M, B or T, or a plain number)"},
        {"N<=", "--train: in \"N<=\": expected a size like 1.3B, 200M or 7e9, got an empty value"},
    };
    ms_cond c[MS_MAX_CONDS];
    size_t n;
    ms_diag d;
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        assert_int_equal(ms_split_parse_conds(bad[k].text, "--train", c, MS_MAX_CONDS, &n, &d),
                         MS_EINPUT);
        if (strcmp(d.msg, bad[k].err) != 0)
            fail_msg("case %zu: got \"%s\"", k, d.msg);
    }
    assert_int_equal(ms_split_parse_conds("N<=310M, d>=5B", "--train", c, MS_MAX_CONDS, &n, &d),
                     MS_OK);
    assert_int_equal(n, 2);
    assert_true(c[0].var == 'N' && !strcmp(c[0].op, "<=") && c[0].value == 310e6);
    assert_true(c[1].var == 'D' && !strcmp(c[1].op, ">=") && c[1].value == 5e9);
    ms_split sp = {.kind = MS_SPLIT_SCALE, .n_train = 2};
    memcpy(sp.train, c, sizeof c);
    char buf[256];
    assert_string_equal(ms_split_describe(&sp, buf, sizeof buf),
                        "train N<=310M,D>=5B, test the rest");
}

/* Metrics by hand on a two-row sweep. */
static void test_metrics_by_hand(void **state)
{
    (void)state;
    const char *path = tu_write_file("m.csv",
        "weight_a,weight_b,model_size,n_tokens,a_loss,b_loss\n"
        "0.5,0.5,1e8,1e9,2.0,4.0\n"
        "0.95,0.05,1e8,2e9,1.0,\n", 0);
    ms_sweep *s = load(path);
    ms_problem *p = build(s, NULL, MS_CKPT_ALL);
    /* exp law with t = 0: every prediction is c + k, here 1 + 1 = 2. */
    ms_law law = ms_law_make(ms_law_find("exp"), 2);
    double th[8] = {1, 1, 1, 1, 0, 0, 0, 0};
    ms_metrics m;
    ms_diag d;
    assert_int_equal(ms_metrics_compute(p, &law, th, 0.1, &m, &d), MS_OK);
    /* masked cells: (2 vs 2), (2 vs 4), (2 vs 1): b at 0.05 is masked, missing anyway */
    ms_metric x = m.overall[MS_SET_TRAIN][0];
    assert_int_equal(x.n, 3);
    assert_true(fabs(x.mre - (0 + 0.5 + 1.0) / 3) < 1e-15);
    assert_true(fabs(x.mae - (0 + 2 + 1) / 3.0) < 1e-15);
    assert_true(fabs(x.rmse - sqrt((0 + 4 + 1) / 3.0)) < 1e-15);
    assert_int_equal(m.domain[1].n, 1);
    assert_int_equal(m.n_scales, 2);
    ms_metrics_done(&m);
    ms_problem_free(p);
    ms_sweep_free(s);
}

/* Fits `law` on the shared sweep's smaller models and asserts each split's
 * masked test MRE stays below its bound (the figure reached plus a small
 * margin: it may only improve). */
typedef struct {
    const char *train;
    double bound;
} split_bound;

static void assert_extrapolation(const char *law, const split_bound *splits, size_t n)
{
    char path[512];
    TU_SHARED_OR_SKIP(path, "slimpajama-7dom-upto937M.csv");
    ms_sweep *s = load(path);
    for (size_t k = 0; k < n; k++) {
        ms_problem *p = build(s, splits[k].train, MS_CKPT_ALL);
        ms_fit_result *r = fit(p, law, 12, 0, 1);
        ms_metrics m;
        ms_diag d;
        assert_int_equal(ms_metrics_compute(p, &r->law, r->theta, 0.1, &m, &d), MS_OK);
        double mre = m.overall[MS_SET_TEST][0].mre;
        print_message("%s, train %s: test MRE %.2f%% (bound %.2f%%), %.2f s\n", law,
                      splits[k].train, 100 * mre, 100 * splits[k].bound, r->seconds);
        assert_true(mre < splits[k].bound);
        ms_metrics_done(&m);
        ms_fit_result_free(r);
        ms_problem_free(p);
    }
    ms_sweep_free(s);
}

/* The real sweep: capnoise fitted on the smaller models, tested on the
 * larger ones. Reached: 4.53% and 3.22% (12 starts, seed 1); the scipy
 * reference reaches 6.0% and 3.5%. */
static void test_slimpajama_extrapolation(void **state)
{
    (void)state;
    static const split_bound splits[] = {{"N<=310M", 0.0470}, {"N<=680M", 0.0340}};
    assert_extrapolation("capnoise", splits, 2);
}

/* The separable law (no competition) extrapolates better than capnoise on
 * this sweep (reached: 1.96%, 1.44%); its figures may only improve too. */
static void test_slimpajama_separable(void **state)
{
    (void)state;
    static const split_bound splits[] = {{"N<=310M", 0.0205}, {"N<=680M", 0.0152}};
    assert_extrapolation("separable", splits, 2);
}

/* --law auto (select on the training rows, fit the winner) extrapolates
 * at least as well as the best single law on both leave-out splits of the
 * shared sweep. Slow (~1 min), so it runs in the plain build only. */
static void auto_vs_best(const ms_sweep *s, const char *train)
{
    ms_problem *p = build(s, train, MS_CKPT_ALL);
    unsigned char *keep = calloc(s->n, 1);
    for (size_t k = 0; k < p->n_rows; k++)
        keep[p->sweep_row[k]] = p->role[k] != MS_ROLE_TEST;
    ms_sweep *train_rows = ms_sweep_subset(s, keep);
    const ms_law_def *laws[8];
    size_t n = 0;
    for (const ms_law_def *const *d = ms_law_defs(); *d; d++)
        laws[n++] = *d;
    ms_fit_opts o;
    ms_fit_opts_init(&o);
    ms_selection sel;
    ms_diag d;
    assert_int_equal(ms_select_run(train_rows, laws, n, &o, MS_CKPT_ALL, NULL, NULL, &sel, &d),
                     MS_OK);
    const ms_law_def *chosen = sel.laws[sel.best].def;
    double best_single = INFINITY, auto_mre = NAN;
    for (size_t l = 0; l < n; l++) {
        ms_fit_result *r = fit(p, laws[l]->name, 12, 0, 1);
        ms_metrics m;
        assert_int_equal(ms_metrics_compute(p, &r->law, r->theta, 0.1, &m, &d), MS_OK);
        double mre = m.overall[MS_SET_TEST][0].mre;
        best_single = fmin(best_single, mre);
        if (laws[l] == chosen)
            auto_mre = mre;
        ms_metrics_done(&m);
        ms_fit_result_free(r);
    }
    print_message("train %s: auto chose %s: test MRE %.2f%%, best single law %.2f%%\n", train,
                  chosen->name, 100 * auto_mre, 100 * best_single);
    assert_true(auto_mre <= best_single);
    ms_selection_done(&sel);
    ms_sweep_free(train_rows);
    free(keep);
    ms_problem_free(p);
}

static void test_slimpajama_auto(void **state)
{
    (void)state;
#if defined(__SANITIZE_ADDRESS__)
    print_message("skipped under AddressSanitizer (it runs in the plain build)\n");
    skip();
#endif
    char path[512];
    TU_SHARED_OR_SKIP(path, "slimpajama-7dom-upto937M.csv");
    ms_sweep *s = load(path);
    auto_vs_best(s, "N<=310M");
    auto_vs_best(s, "N<=680M");
    ms_sweep_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_recovers_sample_truth),
        cmocka_unit_test(test_deterministic_across_threads),
        cmocka_unit_test(test_progress_and_cancel),
        cmocka_unit_test(test_cannot_fit_too_few),
        cmocka_unit_test(test_splits),
        cmocka_unit_test(test_split_parse),
        cmocka_unit_test(test_metrics_by_hand),
        cmocka_unit_test(test_slimpajama_extrapolation),
        cmocka_unit_test(test_slimpajama_separable),
        cmocka_unit_test(test_slimpajama_auto),
    };
    return cmocka_run_group_tests_name("fit", tests, NULL, NULL);
}
