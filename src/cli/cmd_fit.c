/* mixscope fit — fit a law to a sweep, report how well it does on held-out
 * rows, and save it. */
#include "cli/cli.h"
#include "cli/fitopts.h"
#include "cli/report.h"
#include "cli/select_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char fit_usage[] =
    "Usage: mixscope fit [OPTIONS] SWEEP.csv\n"
    "Fit a law to a sweep by nonlinear least squares from several random starts;\n"
    "print the train and test errors, the parameters with standard errors and\n"
    "any health warnings, and save the fit. Without a split, every row trains.\n"
    "\n"
    "  -l, --law NAME         capnoise (default), capnoise-g, separable, additive, exp,\n"
    "                         or auto: the law that extrapolates best (mixscope select)\n"
    "  -o, --output FIT.json  write the fit (atomically)\n"
    "      --json             print the fit file's JSON instead of the report\n"
    FITOPTS_SPLIT_HELP
    FITOPTS_FIT_HELP
    CLI_SWEEP_HELP
    "  -h, --help             show this help\n"
    "  -V, --version          show the version\n";

typedef struct {
    fitopts fo;
    const char *output;
    int json;
} fit_args;

enum { OPT_JSON = CLI_OPT_FIRST_FREE };

static int fit_option(void *ctx, int opt, const char *arg)
{
    fit_args *a = ctx;
    int r = fitopts_option(&a->fo, "fit", opt, arg);
    if (r)
        return r > 0 ? CLI_OK : CLI_EUSAGE;
    if (opt == 'l')
        a->fo.law = arg;
    else if (opt == 'o')
        a->output = arg;
    else if (opt == OPT_JSON)
        a->json = 1;
    else
        return cli_usage_error("fit", "unknown option");
    return CLI_OK;
}

/* The progress line, on a terminal only. */
static int show_progress(const ms_fit_progress *p, void *ctx)
{
    (void)ctx;
    fprintf(stderr, "\r\033[Kstart %zu/%zu  iter %3zu  cost %-10.5g", p->start + 1,
            p->n_starts, p->iter, p->cost);
    if (isfinite(p->best_cost))
        fprintf(stderr, "  best %-10.5g", p->best_cost);
    if (isfinite(p->best_train_mre))
        fprintf(stderr, "  train MRE %.2f%%", 100 * p->best_train_mre);
    if (isfinite(p->best_test_mre))
        fprintf(stderr, "  test MRE %.2f%%", 100 * p->best_test_mre);
    return 0;
}

static void print_report(const ms_fit_result *r, const ms_problem *p, const ms_metrics *m,
                         const fitopts *fo, const ms_sweep *s, const double *boot,
                         int auto_law, double auto_score)
{
    char desc[512];
    printf("%s fit of %s (%zu rows, %zu domains)\n", r->law.def->name, s->path, s->n, p->K);
    if (auto_law)
        printf("law: auto -> %s, the best extrapolation score of mixscope select (%.2f%%)\n",
               r->law.def->name, 100 * auto_score);
    printf("split: %s; %zu training rows, %zu test rows\n",
           ms_split_describe(&fo->split, desc, sizeof desc),
           ms_problem_count(p, MS_ROLE_TRAIN), ms_problem_count(p, MS_ROLE_TEST));
    if (fo->split.kind == MS_SPLIT_AT && p->at_point)
        printf("note: no rows at exactly that scale; used the nearest grid point\n");
    printf("objective: %s residuals%s, cells with h_i >= %g, checkpoints %s\n",
           fo->fit.resid == MS_RESID_RELATIVE ? "relative" : "absolute",
           fo->fit.huber > 0 ? " (Huber)" : "", fo->fit.mask, fitopts_ckpt_name(fo->ckpt));
    printf("search: %zu starts (seed %lu), best start %zu after %zu iterations, cost %.6g; "
           "%zu of %zu starts agree; %.2f s\n\n",
           r->n_starts, fo->fit.seed, r->best_start + 1, r->iterations, r->cost,
           r->starts_agree, r->starts_ok, r->seconds);
    report_overall(stdout, m, fo->fit.mask);
    report_breakdown(stdout, m, p);
    report_params(stdout, r, (const char *const *)p->domains, boot, fo->bootstrap);
    printf("\n");
    report_warnings(stdout, p, r, m, (const char *const *)p->domains);
}

/* The score the selection gave `def` (NaN if none). */
static double auto_score(const json_t *why, const ms_law_def *def)
{
    size_t i;
    json_t *l;
    json_array_foreach(json_object_get(why, "laws"), i, l)
        if (!strcmp(json_string_value(json_object_get(l, "law")), def->name))
            return json_number_value(json_object_get(l, "score"));
    return NAN;
}

/* --law auto: run the selection on the rows this fit may learn from (never
 * its test rows), fit the winner, and say why in the file. */
static int choose_law(const fit_args *a, const ms_sweep *s, const ms_problem *p,
                      const ms_law_def **def, json_t **why)
{
    select_laws laws;
    select_laws_all(&laws);
    ms_selection sel;
    ms_diag d;
    unsigned char *keep = malloc(s->n ? s->n : 1);
    if (!keep) {
        cli_error("out of memory");
        return CLI_EFAIL;
    }
    memset(keep, 1, s->n);
    for (size_t k = 0; k < p->n_rows; k++)
        if (p->role[k] == MS_ROLE_TEST)
            keep[p->sweep_row[k]] = 0;
    ms_sweep *train = ms_sweep_subset(s, keep);
    free(keep);
    if (!train) {
        cli_error("out of memory");
        return CLI_EFAIL;
    }
    if (!a->fo.quiet && isatty(STDERR_FILENO))
        fprintf(stderr, "--law auto: fitting every law on the leave-out splits...\n");
    ms_status st = ms_select_run(train, laws.defs, laws.n, &a->fo.fit, a->fo.ckpt, NULL, NULL,
                                 &sel, &d);
    ms_sweep_free(train);
    if (st != MS_OK)
        return cli_fail(st, &d);
    if (sel.best == SIZE_MAX) {
        ms_selection_done(&sel);
        cli_error("--law auto: no law could be scored on this sweep");
        return CLI_EFAIL;
    }
    *def = sel.laws[sel.best].def;
    *why = select_json(&sel);
    ms_selection_done(&sel);
    return CLI_OK;
}

static int fit_and_report(const fit_args *a, const ms_sweep *s, const ms_law_def *def)
{
    json_t *auto_why = NULL;
    ms_diag d;
    ms_problem *p;
    ms_status st = ms_problem_build(s, NULL, 0, &a->fo.split, a->fo.ckpt, &p, &d);
    if (st != MS_OK)
        return cli_fail(st, &d);
    if (!def) {
        int rc = choose_law(a, s, p, &def, &auto_why);
        if (rc != CLI_OK) {
            ms_problem_free(p);
            return rc;
        }
    }
    ms_fit_opts o = a->fo.fit;
    if (!a->fo.quiet && isatty(STDERR_FILENO))
        o.progress = show_progress;
    ms_fit_result *r = NULL;
    st = ms_fit_run(p, def, &o, &r, &d);
    if (o.progress)
        fprintf(stderr, "\r\033[K");
    ms_metrics m = {0};
    if (st == MS_OK)
        st = ms_metrics_compute(p, &r->law, r->theta, o.mask, &m, &d);
    ms_fit *f = NULL;
    double *boot = NULL;
    if (st == MS_OK && a->fo.bootstrap) {
        if (!a->fo.quiet && isatty(STDERR_FILENO))
            fprintf(stderr, "bootstrap: %zu refits...", a->fo.bootstrap);
        boot = malloc(a->fo.bootstrap * r->law.n_params * sizeof *boot);
        st = boot ? ms_fit_bootstrap(p, def, &o, r->theta, a->fo.bootstrap, boot, &d)
                  : ms_diag_set(&d, MS_ENOMEM, NULL, 0, 0, "out of memory");
        if (!a->fo.quiet && isatty(STDERR_FILENO))
            fprintf(stderr, "\r\033[K");
    }
    if (st == MS_OK && !(f = report_fit_file(r, p, &m, &a->fo, s)))
        st = ms_diag_set(&d, MS_ENOMEM, NULL, 0, 0, "out of memory");
    if (st == MS_OK && boot)
        report_add_bootstrap(f, boot, a->fo.bootstrap);
    if (st == MS_OK && auto_why)
        json_object_set(f->meta, "auto", auto_why);
    if (st == MS_OK && a->output)
        st = ms_fit_write(a->output, f, &d);
    int rc = st == MS_OK ? CLI_OK : cli_fail(st, &d);
    if (st == MS_OK && a->json) {
        json_t *root = ms_fit_to_json(f);
        json_dumpf(root, stdout, JSON_INDENT(1));
        putchar('\n');
        json_decref(root);
    } else if (st == MS_OK)
        print_report(r, p, &m, &a->fo, s, boot, auto_why != NULL, auto_score(auto_why, def));
    free(boot);
    json_decref(auto_why);
    ms_fit_free(f);
    ms_metrics_done(&m);
    ms_fit_result_free(r);
    ms_problem_free(p);
    return rc;
}

static int fit_check(void *ctx)
{
    fit_args *a = ctx;
    int rc = fitopts_finish(&a->fo, "fit");
    if (rc == CLI_OK && a->fo.law && strcmp(a->fo.law, "auto") != 0 && !ms_law_find(a->fo.law))
        rc = cli_usage_error("fit", "unknown law \"%s\"", a->fo.law);
    return rc;
}

static int fit_run_cb(void *ctx, const ms_sweep *s)
{
    fit_args *a = ctx;
    int is_auto = a->fo.law && strcmp(a->fo.law, "auto") == 0;
    return fit_and_report(a, s, is_auto ? NULL : ms_law_find(a->fo.law ? a->fo.law : "capnoise"));
}

int cli_fit(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"law", required_argument, 0, 'l'},
        {"output", required_argument, 0, 'o'},
        {"json", no_argument, 0, OPT_JSON},
        FITOPTS_SPLIT_LONGOPTS,
        FITOPTS_FIT_LONGOPTS,
        CLI_STD_LONGOPTS,
        CLI_SWEEP_LONGOPTS,
        {0, 0, 0, 0},
    };
    static const cli_sweep_command cmd = {"fit", fit_usage, longopts, fit_option, fit_check,
                                          fit_run_cb};
    fit_args a;
    memset(&a, 0, sizeof a);
    fitopts_init(&a.fo);
    return cli_run_sweep_command(&cmd, argc, argv, &a);
}
