/* test_cli_fit.c — fit, eval and compare through the real binary. */
#include "testutil.h"

#include <jansson.h>
#include <math.h>

#define BIN tu_bin()
#define SAMPLE "sample-data/sample.csv"

static json_t *parse(const char *text)
{
    json_error_t e;
    json_t *j = json_loads(text, 0, &e);
    if (!j)
        fail_msg("not JSON (%s): %.200s", e.text, text);
    return j;
}

static double num(const json_t *o, const char *path)
{
    /* "a.b.c" */
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    const json_t *cur = o;
    for (char *save = NULL, *t = strtok_r(buf, ".", &save); t; t = strtok_r(NULL, ".", &save))
        cur = json_object_get(cur, t);
    if (!json_is_number(cur))
        fail_msg("%s is not a number", path);
    return json_number_value(cur);
}

/* fit -o writes a file that eval scores to the same test MRE the fit
 * reported, and that predict reads. */
static void test_fit_eval_roundtrip(void **state)
{
    (void)state;
    char fit[256];
    snprintf(fit, sizeof fit, "%s/fit.json", tu_tmpdir());
    tu_run_result r;
    assert_int_equal(tu_run(&r, "%s fit %s --train 'N<=200M' --starts 4 --quiet -o %s --json",
                            BIN, SAMPLE, fit), 0);
    json_t *printed = parse(r.out), *saved;
    tu_slurp(fit, r.out, sizeof r.out);
    saved = parse(r.out);
    assert_true(json_equal(printed, saved));
    assert_string_equal(json_string_value(json_object_get(saved, "law")), "capnoise");
    assert_int_equal(json_array_size(json_object_get(json_object_get(saved, "params"), "b")), 6);
    assert_non_null(json_object_get(saved, "stderr"));
    assert_string_equal(json_string_value(json_object_get(json_object_get(saved, "data"),
                                                          "fingerprint")),
                        "fnv1a64:db6114282c866677");
    double fit_test = num(saved, "metrics.test.mre");
    assert_int_equal(tu_run(&r, "%s eval -p %s %s --where 'N>200M' --json", BIN, fit, SAMPLE), 0);
    json_t *ev = parse(r.out);
    assert_true(fabs(num(ev, "mre") - fit_test) < 1e-12);
    assert_true(num(ev, "unmasked.mre") > 0);
    assert_int_equal(json_array_size(json_object_get(ev, "domains")), 6);
    assert_true(json_array_size(json_object_get(ev, "scales")) == 10); /* 400M, 800M x 5 D */
    assert_int_equal(tu_run(&r, "%s predict -p %s -m uniform --N 100M --D 4B", BIN, fit), 0);
    json_decref(printed), json_decref(saved), json_decref(ev);
}

static void test_fit_errors(void **state)
{
    (void)state;
    static const struct {
        const char *args;
        int status;
        const char *err;
    } cases[] = {
        {"fit " SAMPLE " --law nope", 2, "mixscope fit: unknown law \"nope\"\nTry 'mixscope fit --help'.\n"},
        {"fit " SAMPLE " --train 'Q<1'", 2,
         "mixscope fit: --train: expected a condition like N<=310M or D>5B, got \"Q<1\"\n"
         "Try 'mixscope fit --help'.\n"},
        {"fit " SAMPLE " --test 'N>1B'", 2, "mixscope fit: --test needs --train\nTry 'mixscope fit --help'.\n"},
        {"fit " SAMPLE " --val 0.2 --train 'N<1B'", 2,
         "mixscope fit: --val cannot be combined with --train/--test\nTry 'mixscope fit --help'.\n"},
        {"fit " SAMPLE " --checkpoints some", 2,
         "mixscope fit: --checkpoints: expected all, final or weighted, got \"some\"\nTry 'mixscope fit --help'.\n"},
        {"fit " SAMPLE " --train 'N<=1T' --quiet", 1,
         "mixscope: " SAMPLE ": the split leaves no rows to test on\n"},
        {"fit " SAMPLE " --at 50M,1B --val 0.9 --quiet", 1,
         "mixscope: cannot fit capnoise: 15 observed losses to fit for 31 parameters (need at "
         "least as many observations as parameters)\n"},
        {"eval " SAMPLE, 2, "mixscope eval: --params is required\nTry 'mixscope eval --help'.\n"},
        {"compare " SAMPLE " --laws capnoise,nope", 2,
         "mixscope compare: --laws: unknown law \"nope\"\nTry 'mixscope compare --help'.\n"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        tu_run_result r;
        int st = tu_run(&r, "%s %s", BIN, cases[k].args);
        if (st != cases[k].status || strcmp(r.err, cases[k].err) != 0)
            fail_msg("case %zu (%s): status %d\nstderr: %s", k, cases[k].args, st, r.err);
        assert_string_equal(r.out, "");
    }
}

/* A fit's domains must all be in the sweep being scored. */
static void test_eval_domain_mismatch(void **state)
{
    (void)state;
    const char *fit = tu_write_file("two.json",
        "{\"law\":\"separable\",\"domains\":[\"web\",\"nope\"],\"params\":{"
        "\"c\":[1,1],\"beta\":[0.3,0.3],\"A\":[1,1],\"a\":[0.3,0.3],\"E\":[1,1]}}", 0);
    tu_run_result r;
    assert_int_equal(tu_run(&r, "%s eval -p %s %s", BIN, fit, SAMPLE), 1);
    assert_string_equal(r.err, "mixscope: " SAMPLE ": domain \"nope\" of the fit is not a "
                               "training domain of this sweep\n");
}

static void test_compare_table(void **state)
{
    (void)state;
    tu_run_result r;
    assert_int_equal(tu_run(&r, "%s compare %s --train 'N<=400M' --starts 3 --quiet --laws "
                                "capnoise,separable,exp", BIN, SAMPLE), 0);
    assert_non_null(strstr(r.out, "law         params    train   train*     test    test*"));
    assert_non_null(strstr(r.out, "\ncapnoise        31 "));
    assert_non_null(strstr(r.out, "\nseparable       30 "));
    assert_non_null(strstr(r.out, "(ignores N and D)"));
    /* Simulated from capnoise: capnoise extrapolates best, and says so. */
    assert_non_null(strstr(r.out, "lowest test MRE: capnoise"));
    assert_int_equal(tu_run(&r, "%s compare %s --at 100M,4B --val 0.25 --starts 2 --json --laws "
                                "capnoise,exp", BIN, SAMPLE), 0);
    json_t *j = parse(r.out);
    json_t *laws = json_object_get(j, "laws");
    assert_int_equal(json_array_size(laws), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(laws, 1), "law")), "exp");
    json_decref(j);
}

static void test_bootstrap_intervals(void **state)
{
    (void)state;
    char fit[256];
    snprintf(fit, sizeof fit, "%s/boot.json", tu_tmpdir());
    tu_run_result r;
    assert_int_equal(tu_run(&r, "%s fit %s --train 'N<=400M' --starts 3 --bootstrap 12 --quiet -o %s",
                            BIN, SAMPLE, fit), 0);
    assert_non_null(strstr(r.out, "95% bootstrap interval"));
    assert_int_equal(tu_run(&r, "%s predict -p %s -m uniform --N 800M --D 16B --json", BIN, fit), 0);
    json_t *j = parse(r.out);
    json_t *iv = json_object_get(j, "mean_loss_interval");
    double mean = num(j, "mean_loss");
    assert_int_equal(json_array_size(iv), 2);
    double lo = json_number_value(json_array_get(iv, 0)), hi = json_number_value(json_array_get(iv, 1));
    assert_true(lo < hi && lo <= mean * 1.001 && mean <= hi * 1.001);
    assert_true(hi - lo < 0.05 * mean);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fit_eval_roundtrip),
        cmocka_unit_test(test_fit_errors),
        cmocka_unit_test(test_eval_domain_mismatch),
        cmocka_unit_test(test_compare_table),
        cmocka_unit_test(test_bootstrap_intervals),
    };
    return cmocka_run_group_tests_name("cli_fit", tests, NULL, NULL);
}
