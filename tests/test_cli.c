/* test_cli.c — the real binary, as a user runs it: outputs, exit statuses,
 * messages, atomic files, the man page. */
#include "testutil.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <sys/stat.h>

#define BIN tu_bin()

static const char *vector_or_skip(char *buf, size_t len)
{
    const char *dir = tu_shared_data();
    if (!dir)
        return NULL;
    snprintf(buf, len, "%s/test-vector-7dom.json", dir);
    return buf;
}

static void test_predict_test_vector(void **state)
{
    (void)state;
    char vec[512];
    if (!vector_or_skip(vec, sizeof vec)) {
        print_message("skipped: ../shared/data is missing\n");
        skip();
    }
    tu_run_result r;
    assert_int_equal(tu_run(&r, "%s predict --params %s --mix uniform --N 1300M --D 30B",
                            BIN, vec), 0);
    assert_non_null(strstr(r.out, "mean                       1.58485"));
    assert_int_equal(tu_run(&r, "%s predict -p %s -m uniform --N 1.3B --D 3e10 --json",
                            BIN, vec), 0);
    json_error_t e;
    json_t *root = json_loads(r.out, 0, &e);
    assert_non_null(root);
    double mean = json_number_value(json_object_get(root, "mean_loss"));
    assert_true(fabs(mean - 1.584854254415179) < 1e-9);
    json_t *doms = json_object_get(root, "domains");
    assert_int_equal(json_array_size(doms), 7);
    json_t *github = json_array_get(doms, 3);
    assert_string_equal(json_string_value(json_object_get(github, "name")), "github");
    assert_true(fabs(json_number_value(json_object_get(github, "x")) - 9.325557446488402) < 1e-6);
    json_t *terms = json_object_get(github, "terms");
    assert_true(fabs(json_number_value(json_object_get(terms, "noise")) - 1.1408872649185366) < 1e-9);
    json_decref(root);
}

static void test_predict_mix_errors(void **state)
{
    (void)state;
    char vec[512];
    if (!vector_or_skip(vec, sizeof vec)) {
        print_message("skipped: ../shared/data is missing\n");
        skip();
    }
    static const struct {
        const char *args;
        int status;
        const char *err;
    } cases[] = {
        {"--mix arxiv=0.5,book=0.5", 1,
         "mixscope: --mix: no weight for domain \"c4\" (list every domain, or let the rest share what is left)\n"},
        {"--mix arxiv=0.5,nope=0.5", 1,
         "mixscope: --mix: unknown domain \"nope\" (domains: arxiv, book, c4, github, commoncrawl, stackexchange, wikipedia)\n"},
        {"--mix arxiv=0.5,arxiv=0.5 --rest", 1, "mixscope: --mix: domain \"arxiv\" is given twice\n"},
        {"--mix arxiv=-0.5 --rest", 1, "mixscope: --mix: arxiv: expected a weight >= 0, got \"-0.5\"\n"},
        {"--mix arxiv=abc --rest", 1, "mixscope: --mix: arxiv: expected a weight, got \"abc\"\n"},
        {"--mix arxiv=0.7,book=0.7 --rest", 1,
         "mixscope: --mix: listed weights sum to 1.4, nothing is left for the other domains\n"},
        {"--mix arxiv=0.3,book=0.1,c4=0.1,github=0.1,commoncrawl=0.1,stackexchange=0.1,wikipedia=0.1", 1,
         "mixscope: --mix: weights sum to 0.9, expected 1 within 0.001\n"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        tu_run_result r;
        int st = tu_run(&r, "%s predict -p %s --N 1B --D 20B %s", BIN, vec, cases[k].args);
        if (st != cases[k].status || strcmp(r.err, cases[k].err) != 0)
            fail_msg("case %zu (%s): status %d, stderr:\n%s\nwanted status %d:\n%s",
                     k, cases[k].args, st, r.err, cases[k].status, cases[k].err);
        assert_string_equal(r.out, "");
    }
    tu_run_result r;
    assert_int_equal(tu_run(&r, "%s predict -p %s --N 1B --D 20B -m arxiv=20%% --rest --json",
                            BIN, vec), 0);
    json_t *root = json_loads(r.out, 0, NULL);
    json_t *d0 = json_array_get(json_object_get(root, "domains"), 0);
    json_t *d1 = json_array_get(json_object_get(root, "domains"), 1);
    assert_true(fabs(json_number_value(json_object_get(d0, "h")) - 0.2) < 1e-12);
    assert_true(fabs(json_number_value(json_object_get(d1, "h")) - 0.8 / 6) < 1e-12);
    json_decref(root);
}

static void test_usage_and_sizes(void **state)
{
    (void)state;
    /* The fit is the file "F" in the scratch folder, where the cases run. */
    const char *fit = tu_write_file("F",
        "{\"law\":\"capnoise\",\"domains\":[\"web\",\"code\"],\"params\":{"
        "\"b\":[0.5,0.7],\"c\":[9,14],\"A\":[0.9,0.7],\"a\":[0.3,0.45],"
        "\"E\":[1.8,0.6],\"H\":4}}", 0);
    char fitp[256];
    snprintf(fitp, sizeof fitp, "%s", fit);
    static const struct {
        const char *args;
        int status;
        const char *err;
    } cases[] = {
        {"predict -m uniform --N 1B --D 2B", 2,
         "mixscope predict: --params is required\nTry 'mixscope predict --help'.\n"},
        {"predict -p F -m uniform --N 1B --D 2B --bogus", 2,
         "mixscope predict: unknown option '--bogus'\nTry 'mixscope predict --help'.\n"},
        {"predict -p F -m uniform --N 1B --D", 2,
         "mixscope predict: option '--D' needs a value\nTry 'mixscope predict --help'.\n"},
        {"predict -p F -m uniform --N 1.3X --D 2B", 1,
         "mixscope: --N: unknown suffix \"X\" in \"1.3X\" (use K, M, B or T, or a plain number)\n"},
        {"predict -p F -m uniform --N -5 --D 2B", 1,
         "mixscope: --N: expected a positive size, got \"-5\"\n"},
        {"predict -p F -m uniform --N nan --D 2B", 1,
         "mixscope: --N: expected a size like 1.3B, 200M or 7e9, got \"nan\"\n"},
        {"predict -p F -m uniform --N 1B --D 2BB", 1,
         "mixscope: --D: unexpected \"B\" after the size in \"2BB\"\n"},
        {"frobnicate x y", 2, NULL},
        {"predict -p F -m uniform --N 1B --D 2B extra", 2,
         "mixscope predict: unexpected argument \"extra\"\nTry 'mixscope predict --help'.\n"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        tu_run_result r;
        int st = tu_run(&r, "cd %s && %s %s", tu_tmpdir(), BIN, cases[k].args);
        if (st != cases[k].status || (cases[k].err && strcmp(r.err, cases[k].err) != 0))
            fail_msg("case %zu (%s): status %d, stderr:\n%s", k, cases[k].args, st, r.err);
    }
    tu_run_result r;
    assert_int_equal(tu_run(&r, "%s predict -p %s -m web=0.25,code=0.75 --N 200M --D 4B", BIN, fitp), 0);
    assert_non_null(strstr(r.out, "capnoise at N = 200M parameters, D = 4B tokens"));
}

static void test_fit_file_errors(void **state)
{
    (void)state;
    static const struct {
        const char *json, *err;
    } cases[] = {
        {"{\"law\": \"capnoise\",\n \"domains\": [\"a\"],\n \"params\": {\"b\": [1,]}}",
         ":3:21: unexpected token near ']'"},
        {"[1, 2]", ": expected a JSON object at the top level"},
        {"{\"domains\":[\"a\"]}", ": missing key \"law\" (a law name such as \"capnoise\")"},
        {"{\"law\":\"nope\"}", ": unknown law \"nope\""},
        {"{\"law\":\"capnoise\",\"domains\":[\"a\",\"b\"],\"params\":{\"b\":[1,1],\"c\":[1,1],"
         "\"A\":[1,1],\"a\":[1,1],\"E\":[1,1]}}", ": missing key \"params.H\""},
        {"{\"law\":\"capnoise\",\"domains\":[\"a\",\"b\"],\"params\":{\"b\":[1],\"c\":[1,1],"
         "\"A\":[1,1],\"a\":[1,1],\"E\":[1,1],\"H\":1}}",
         ": params.b: expected an array of 2 numbers (one per domain), got an array of another length"},
        {"{\"law\":\"capnoise\",\"domains\":[\"a\",\"b\"],\"params\":{\"b\":[1,1],\"c\":[1,-1],"
         "\"A\":[1,1],\"a\":[1,1],\"E\":[1,1],\"H\":1}}",
         ": parameter c[b]: expected a number > 0, got -1"},
        {"{\"law\":\"capnoise\",\"domains\":[\"a\",\"a\"],\"params\":{}}", ": domains: \"a\" appears twice"},
        {"{\"law\":\"capnoise\",\"units\":{\"N\":\"parameters\"},\"domains\":[\"a\"]}",
         ": units.N is \"parameters\"; mixscope's laws use \"millions of parameters\""},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char path[256], want[1024];
        snprintf(path, sizeof path, "%s", tu_write_file("bad.json", cases[k].json, 0));
        snprintf(want, sizeof want, "mixscope: %s%s\n", path, cases[k].err);
        tu_run_result r;
        int st = tu_run(&r, "%s predict -p %s -m uniform --N 1B --D 1B", BIN, path);
        if (st != 1 || strcmp(r.err, want) != 0)
            fail_msg("case %zu: status %d\n got: %s want: %s", k, st, r.err, want);
    }
    tu_run_result r;
    assert_int_equal(tu_run(&r, "%s predict -p /nonexistent/fit.json -m uniform --N 1B --D 1B", BIN), 1);
    assert_string_equal(r.err, "mixscope: /nonexistent/fit.json: cannot open: No such file or directory\n");
}

static const char truth2[] =
    "{\"law\":\"capnoise\",\"domains\":[\"web\",\"code\",\"books\"],\"params\":{"
    "\"b\":[0.5,0.7,0.4],\"c\":[9,14,8],\"A\":[0.9,0.7,0.6],\"a\":[0.3,0.45,0.2],"
    "\"E\":[1.8,0.6,1.7],\"H\":4}}";

static void test_simulate_deterministic(void **state)
{
    (void)state;
    char truth[256], a[256], b[256], c[256];
    snprintf(truth, sizeof truth, "%s", tu_write_file("truth.json", truth2, 0));
    snprintf(a, sizeof a, "%s/a.csv", tu_tmpdir());
    snprintf(b, sizeof b, "%s/b.csv", tu_tmpdir());
    snprintf(c, sizeof c, "%s/c.csv", tu_tmpdir());
    const char *common = "--sizes 50M,100M --tokens 1B,2B,4B --mixtures 5 --eval-domain chat";
    tu_run_result r;
    assert_int_equal(tu_run(&r, "%s simulate -p %s %s --seed 3 -o %s", BIN, truth, common, a), 0);
    assert_int_equal(tu_run(&r, "%s simulate -p %s %s --seed 3 -o %s", BIN, truth, common, b), 0);
    assert_int_equal(tu_run(&r, "%s simulate -p %s %s --seed 4 -o %s", BIN, truth, common, c), 0);
    assert_int_equal(tu_run(&r, "cmp -s %s %s", a, b), 0);
    assert_int_not_equal(tu_run(&r, "cmp -s %s %s", a, c), 0);
    /* What simulate writes, info reads: 5 mixtures x 2 sizes x 3 tokens. */
    assert_int_equal(tu_run(&r, "%s info --json %s", BIN, a), 0);
    json_t *root = json_loads(r.out, 0, NULL);
    assert_non_null(root);
    assert_int_equal(json_integer_value(json_object_get(root, "runs")), 30);
    assert_int_equal(json_integer_value(json_object_get(root, "mixtures")), 5);
    json_t *doms = json_object_get(root, "domains");
    assert_int_equal(json_array_size(doms), 4);
    assert_string_equal(json_string_value(json_object_get(json_array_get(doms, 3), "role")), "eval");
    json_decref(root);
    /* Noise 0: the first row is the uniform mixture, exactly the law. */
    assert_int_equal(tu_run(&r, "%s simulate -p %s --sizes 100M --tokens 2B --mixtures 1 --noise 0 | sed -n 2p",
                            BIN, truth), 0);
    tu_run_result p;
    assert_int_equal(tu_run(&p, "%s predict -p %s -m uniform --N 100M --D 2B --json", BIN, truth), 0);
    json_t *pj = json_loads(p.out, 0, NULL);
    double web = json_number_value(json_object_get(json_array_get(json_object_get(pj, "domains"), 0), "loss"));
    char want[64];
    snprintf(want, sizeof want, ",%.8g,", web);
    assert_non_null(strstr(r.out, want));
    json_decref(pj);
}

/* Given mixtures, or a grid over the simplex for K <= 3. */
static void test_simulate_mixtures(void **state)
{
    (void)state;
    char truth[256], list[256];
    snprintf(truth, sizeof truth, "%s", tu_write_file("truth.json", truth2, 0));
    snprintf(list, sizeof list, "%s",
             tu_write_file("mixes.txt", "web=0.5,code=0.25,books=0.25\n# comment\n\nweb=1,code=0,books=0\n", 0));
    tu_run_result r;
    assert_int_equal(tu_run(&r, "%s simulate -p %s --sizes 1M --tokens 1B --mix-list %s --noise 0 | cut -d, -f1-3",
                            BIN, truth, list), 0);
    assert_string_equal(r.out, "weight_web,weight_code,weight_books\n0.5,0.25,0.25\n1,0,0\n");
    /* Spacing 1/4 over 3 domains: 15 mixtures. */
    assert_int_equal(tu_run(&r, "%s simulate -p %s --sizes 1M --tokens 1B --grid 4 | tail -n +2 | wc -l",
                            BIN, truth), 0);
    assert_string_equal(r.out, "15\n");
    snprintf(list, sizeof list, "%s", tu_write_file("bad.txt", "web=0.5,cod=0.5\n", 0));
    assert_int_equal(tu_run(&r, "%s simulate -p %s --sizes 1M --tokens 1B --mix-list %s", BIN, truth,
                            list), 1);
    char want[512];
    snprintf(want, sizeof want,
             "mixscope: %s:1: unknown domain \"cod\" (domains: web, code, books)\n", list);
    assert_string_equal(r.err, want);
}

static void test_atomic_output(void **state)
{
    (void)state;
    char truth[256], dir[256], out[300];
    snprintf(truth, sizeof truth, "%s", tu_write_file("truth.json", truth2, 0));
    snprintf(dir, sizeof dir, "%s/ro", tu_tmpdir());
    mkdir(dir, 0755);
    snprintf(out, sizeof out, "%s/out.csv", dir);
    tu_run_result r;
    /* An existing file survives a failed run untouched. */
    assert_int_equal(tu_run(&r, "echo keep > %s && chmod 555 %s", out, dir), 0);
    if (geteuid() != 0) {
        assert_int_equal(tu_run(&r, "%s simulate -p %s --sizes 1M --tokens 1B -o %s", BIN, truth, out), 1);
        assert_non_null(strstr(r.err, "cannot write: Permission denied"));
    }
    /* A simulation that fails midway leaves no file behind. */
    assert_int_equal(tu_run(&r, "chmod 755 %s && rm -f %s", dir, out), 0);
    assert_int_equal(tu_run(&r, "%s simulate -p %s --sizes 1M --tokens 1B --min-weight 0.5 -o %s",
                            BIN, truth, out), 1);
    assert_string_equal(r.err,
        "mixscope: minimum weight 0.5 is impossible for 3 domains (needs K x min < 1)\n");
    assert_int_equal(tu_run(&r, "ls -A %s | wc -l", dir), 0);
    assert_string_equal(r.out, "0\n");
    /* A device is written in place, never replaced; a full one reports it. */
    assert_int_equal(tu_run(&r, "%s simulate -p %s --sizes 1M --tokens 1B -o /dev/full", BIN, truth), 1);
    assert_string_equal(r.err, "mixscope: /dev/full: cannot write: No space left on device\n");
    struct stat sb;
    assert_int_equal(stat("/dev/full", &sb), 0);
    assert_true(S_ISCHR(sb.st_mode));
    /* A symbolic link keeps pointing at the (new) file. */
    assert_int_equal(tu_run(&r, "cd %s && echo old > target.csv && ln -sf target.csv link.csv", tu_tmpdir()), 0);
    assert_int_equal(tu_run(&r, "cd %s && %s simulate -p truth.json --sizes 1M --tokens 1B -o link.csv && "
                                "test -L link.csv && head -c 7 target.csv", tu_tmpdir(), BIN), 0);
    assert_string_equal(r.out, "weight_");
}

/* Every --option that a command's --help lists is documented in the man page. */
static void test_man_page(void **state)
{
    (void)state;
    tu_run_result r;
    if (tu_run(&r, "command -v man") != 0) {
        print_message("skipped: man is not installed\n");
        skip();
    }
    assert_int_equal(tu_run(&r, "man --warnings -l man/mixscope.1 2>&1 >/dev/null"), 0);
    assert_string_equal(r.out, "");
    char man[65536];
    tu_slurp("man/mixscope.1", man, sizeof man);
    for (char *p = man; (p = strstr(p, "\\-")); ) /* roff's \- is a hyphen */
        memmove(p, p + 1, strlen(p));
    /* Every command mixscope --help lists, and the top level itself. */
    char cmds[32][32] = {""};
    size_t n_cmds = 1;
    assert_int_equal(tu_run(&r, "%s --help", BIN), 0);
    for (char *p = strstr(r.out, "\nCommands"); p && (p = strchr(p + 1, '\n')) && p[1] == ' ';) {
        p += 3;
        size_t n = strcspn(p, " ");
        if (n_cmds < 32 && n < 32) {
            memcpy(cmds[n_cmds], p, n);
            cmds[n_cmds++][n] = 0;
        }
    }
    assert_true(n_cmds >= 7);
    for (size_t k = 0; k < n_cmds; k++) {
        if (!strstr(man, cmds[k]))
            fail_msg("the man page does not mention the command %s", cmds[k]);
        assert_int_equal(tu_run(&r, "%s %s --help", BIN, cmds[k]), 0);
        for (char *p = r.out; (p = strstr(p, "--")); ) {
            char opt[64];
            size_t n = 0;
            while (n + 1 < sizeof opt && (isalnum((unsigned char)p[n]) || p[n] == '-'))
                opt[n] = p[n], n++;
            opt[n] = 0;
            if (n > 2 && !strstr(man, opt))
                fail_msg("mixscope %s --help lists %s, the man page does not", cmds[k], opt);
            p += n > 2 ? n : 2;
        }
    }
}

static void test_sample_regenerates(void **state)
{
    (void)state;
    char out[256];
    snprintf(out, sizeof out, "%s/sample.csv", tu_tmpdir());
    tu_run_result r;
    assert_int_equal(tu_run(&r, "%s simulate --params sample-data/truth.json "
                                "--sizes 50M,100M,200M,400M,800M --tokens 1B,2B,4B,8B,16B "
                                "--mixtures 40 --min-weight 0.02 --noise 0.005 --seed 2026 "
                                "--eval-domain chat -o %s", BIN, out), 0);
    if (tu_run(&r, "cmp %s sample-data/sample.csv", out) != 0)
        fail_msg("sample-data/sample.csv differs from its documented command: %s", r.out);
    /* And the README states that command. */
    assert_int_equal(tu_run(&r, "grep -c -- '--seed 2026' sample-data/README.md"), 0);
}

static void test_version(void **state)
{
    (void)state;
    tu_run_result r;
    assert_int_equal(tu_run(&r, "%s --version", BIN), 0);
    assert_int_equal(strncmp(r.out, "mixscope ", 9), 0);
    assert_int_equal(tu_run(&r, "%s info --version", BIN), 0);
    assert_int_equal(strncmp(r.out, "mixscope ", 9), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_predict_test_vector),
        cmocka_unit_test(test_predict_mix_errors),
        cmocka_unit_test(test_usage_and_sizes),
        cmocka_unit_test(test_fit_file_errors),
        cmocka_unit_test(test_simulate_deterministic),
        cmocka_unit_test(test_simulate_mixtures),
        cmocka_unit_test(test_atomic_output),
        cmocka_unit_test(test_man_page),
        cmocka_unit_test(test_sample_regenerates),
        cmocka_unit_test(test_version),
    };
    return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
