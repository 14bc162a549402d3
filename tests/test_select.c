/* test_select.c — selection by extrapolation picks the law that generated
 * the data: capnoise for the bundled sample, separable for a sweep
 * simulated from a separable truth (both with noise). */
#include "testutil.h"

#include <math.h>

#include "mixscope/fitfile.h"
#include "mixscope/select.h"
#include "mixscope/simulate.h"

static const ms_law_def *laws[4];

static ms_selection run(const char *csv)
{
    ms_sweep *s;
    ms_diag d;
    if (ms_sweep_load(csv, NULL, &s, &d) != MS_OK)
        fail_msg("%s", d.msg);
    ms_fit_opts o;
    ms_fit_opts_init(&o);
    o.starts = 4;
    ms_selection sel;
    if (ms_select_run(s, laws, 4, &o, MS_CKPT_ALL, NULL, NULL, &sel, &d) != MS_OK)
        fail_msg("%s", d.msg);
    for (size_t l = 0; l < sel.n_laws; l++)
        print_message("  %-10s score %.3f%%\n", sel.laws[l].def->name, 100 * sel.laws[l].score);
    ms_sweep_free(s);
    return sel;
}

static void test_picks_capnoise(void **state)
{
    (void)state;
    ms_selection sel = run("sample-data/sample.csv");
    assert_int_equal(sel.n_sizes, 5);
    assert_int_equal(sel.laws[0].n_splits, 3); /* 800M; 400M+800M; random */
    assert_string_equal(sel.laws[sel.best].def->name, "capnoise");
    assert_true(ms_select_clearly_better(&sel.laws[sel.best], &sel.laws[1])); /* vs separable */
    ms_selection_done(&sel);
}

static void test_picks_separable(void **state)
{
    (void)state;
    const char *truth_path = tu_write_file("sep.json",
        "{\"law\":\"separable\",\"domains\":[\"web\",\"code\",\"books\",\"math\"],\"params\":{"
        "\"c\":[6,9,5,12],\"beta\":[0.3,0.45,0.25,0.5],\"A\":[0.7,0.5,0.45,0.8],"
        "\"a\":[0.3,0.45,0.2,0.25],\"E\":[1.8,0.6,1.7,0.7]}}", 0);
    ms_fit *truth;
    ms_diag d;
    assert_int_equal(ms_fit_read(truth_path, &truth, &d), MS_OK);
    char csv[256];
    snprintf(csv, sizeof csv, "%s/sep.csv", tu_tmpdir());
    FILE *f = fopen(csv, "w");
    ms_sim_opts o;
    ms_sim_opts_init(&o);
    double sizes[] = {50e6, 100e6, 200e6, 400e6, 800e6}, tokens[] = {1e9, 2e9, 4e9, 8e9, 16e9};
    o.sizes = sizes, o.n_sizes = 5, o.tokens = tokens, o.n_tokens = 5;
    o.n_mixtures = 30;
    o.min_weight = 0.02;
    o.seed = 3;
    assert_int_equal(ms_simulate_write(f, truth, &o, &d), MS_OK);
    fclose(f);
    ms_fit_free(truth);
    ms_selection sel = run(csv);
    assert_string_equal(sel.laws[sel.best].def->name, "separable");
    ms_selection_done(&sel);
}

static void test_needs_two_sizes(void **state)
{
    (void)state;
    const char *csv = tu_write_file("one.csv",
        "weight_a,weight_b,model_size,n_tokens,a_loss,b_loss\n"
        "0.5,0.5,1e8,1e9,2,3\n0.4,0.6,1e8,2e9,2,3\n", 0);
    ms_sweep *s;
    ms_diag d;
    assert_int_equal(ms_sweep_load(csv, NULL, &s, &d), MS_OK);
    ms_fit_opts o;
    ms_fit_opts_init(&o);
    ms_selection sel;
    assert_int_equal(ms_select_run(s, laws, 4, &o, MS_CKPT_ALL, NULL, NULL, &sel, &d), MS_EINPUT);
    if (!strstr(d.msg, "needs at least 2 model sizes; this sweep has 1"))
        fail_msg("message: %s", d.msg);
    ms_sweep_free(s);
}

int main(void)
{
    laws[0] = ms_law_find("capnoise");
    laws[1] = ms_law_find("separable");
    laws[2] = ms_law_find("additive");
    laws[3] = ms_law_find("exp");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_picks_capnoise),
        cmocka_unit_test(test_picks_separable),
        cmocka_unit_test(test_needs_two_sizes),
    };
    return cmocka_run_group_tests_name("select", tests, NULL, NULL);
}
