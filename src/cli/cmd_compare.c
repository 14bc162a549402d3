/* mixscope compare — every law fitted and scored on the same split. */
#include "cli/cli.h"
#include "cli/fitopts.h"
#include "cli/report.h"
#include "cli/select_report.h"
#include "mixscope/health.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char compare_usage[] =
    "Usage: mixscope compare [OPTIONS] SWEEP.csv\n"
    "Fit every law (or those listed) on the same split with the same objective\n"
    "and search, and print one table: parameters, train and test MRE (masked\n"
    "and unmasked), how many starts agreed, and the fit time.\n"
    "\n"
    "      --laws LIST        comma-separated laws (default: all)\n"
    "      --json             print JSON: one object per law\n"
    FITOPTS_SPLIT_HELP
    FITOPTS_FIT_HELP
    CLI_SWEEP_HELP
    "  -h, --help             show this help\n"
    "  -V, --version          show the version\n";

typedef laws_args compare_args;

typedef struct {
    const ms_law_def *def;
    ms_status st;
    char error[sizeof(ms_diag)];
    ms_fit_result *r;
    ms_metrics m;
} law_row;

static void put_pct(const ms_metric *x)
{
    if (x->n && isfinite(x->mre))
        printf(" %7.2f%%", 100 * x->mre);
    else
        printf(" %8s", "-");
}

static void print_table(const law_row *rows, size_t n, int has_test)
{
    printf("%-11s %6s %8s %8s", "law", "params", "train", "train*");
    if (has_test)
        printf(" %8s %8s", "test", "test*");
    printf(" %7s %8s\n", "agree", "seconds");
    for (size_t k = 0; k < n; k++) {
        const law_row *w = &rows[k];
        printf("%-11s", w->def->name);
        if (w->st != MS_OK) {
            printf("  %s\n", w->error);
            continue;
        }
        printf(" %6zu", w->r->law.n_params);
        put_pct(&w->m.overall[MS_SET_TRAIN][0]);
        put_pct(&w->m.overall[MS_SET_TRAIN][1]);
        if (has_test) {
            put_pct(&w->m.overall[MS_SET_TEST][0]);
            put_pct(&w->m.overall[MS_SET_TEST][1]);
        }
        printf(" %3zu/%-3zu %8.2f%s\n", w->r->starts_agree, w->r->starts_ok, w->r->seconds,
               w->def->single_scale ? "  (ignores N and D)" : "");
    }
    printf("MRE over masked cells (h_i >= mask); * = every cell. agree = starts that "
           "reached the best cost.\n");
}

/* The law with the lowest masked test MRE (train MRE without a test set). */
static void print_verdict(const law_row *rows, size_t n, int has_test)
{
    int set = has_test ? MS_SET_TEST : MS_SET_TRAIN;
    size_t best = SIZE_MAX;
    for (size_t k = 0; k < n; k++)
        if (rows[k].st == MS_OK && isfinite(rows[k].m.overall[set][0].mre) &&
            (best == SIZE_MAX ||
             rows[k].m.overall[set][0].mre < rows[best].m.overall[set][0].mre))
            best = k;
    if (best != SIZE_MAX)
        printf("lowest %s MRE: %s (%.2f%%)%s\n", has_test ? "test" : "training",
               rows[best].def->name, 100 * rows[best].m.overall[set][0].mre,
               has_test ? "" : " -- training error says little about extrapolation; "
                               "hold out the largest sizes with --train/--test");
}

/* Each law's health warnings, the first of them in full. */
static void print_health(const law_row *rows, size_t n, const ms_problem *p)
{
    for (size_t k = 0; k < n; k++) {
        if (rows[k].st != MS_OK)
            continue;
        ms_health h;
        ms_health_check(p, &rows[k].r->law, rows[k].r->theta, rows[k].r, &rows[k].m,
                        (const char *const *)p->domains, &h);
        if (h.n)
            printf("%s: %zu warning%s, e.g. %s\n", rows[k].def->name, h.n, h.n > 1 ? "s" : "",
                   h.text[0]);
    }
}

static json_t *rows_json(const law_row *rows, size_t n, const ms_problem *p)
{
    json_t *arr = json_array();
    for (size_t k = 0; k < n; k++) {
        json_t *o = json_object();
        json_object_set_new(o, "law", json_string(rows[k].def->name));
        if (rows[k].st != MS_OK) {
            json_object_set_new(o, "error", json_string(rows[k].error));
        } else {
            json_object_set_new(o, "params", json_integer((json_int_t)rows[k].r->law.n_params));
            json_object_set_new(o, "seconds", json_real(rows[k].r->seconds));
            json_object_set_new(o, "starts_agree",
                                json_integer((json_int_t)rows[k].r->starts_agree));
            json_object_set_new(o, "metrics", report_metrics_json(&rows[k].m, p));
        }
        json_array_append_new(arr, o);
    }
    return arr;
}

static int compare_run(compare_args *a, const ms_sweep *s)
{
    ms_diag d;
    ms_problem *p;
    ms_status st = ms_problem_build(s, NULL, 0, &a->fo.split, a->fo.ckpt, &p, &d);
    if (st != MS_OK)
        return cli_fail(st, &d);
    law_row rows[SELECT_MAX_LAWS];
    memset(rows, 0, sizeof rows);
    for (size_t k = 0; k < a->laws.n; k++) {
        law_row *w = &rows[k];
        w->def = a->laws.defs[k];
        if (!a->fo.quiet && !a->json)
            fprintf(stderr, "fitting %s...\n", w->def->name);
        w->st = ms_fit_run(p, w->def, &a->fo.fit, &w->r, &d);
        if (w->st == MS_OK)
            w->st = ms_metrics_compute(p, &w->r->law, w->r->theta, a->fo.fit.mask, &w->m, &d);
        if (w->st != MS_OK)
            snprintf(w->error, sizeof w->error, "%s", d.msg);
    }
    int has_test = ms_problem_count(p, MS_ROLE_TEST) > 0;
    char desc[512];
    if (a->json) {
        json_t *root = json_object();
        json_object_set_new(root, "split",
                            json_string(ms_split_describe(&a->fo.split, desc, sizeof desc)));
        json_object_set_new(root, "laws", rows_json(rows, a->laws.n, p));
        json_dumpf(root, stdout, JSON_INDENT(1) | JSON_REAL_PRECISION(8));
        putchar('\n');
        json_decref(root);
    } else {
        printf("%s: %zu rows; split: %s; checkpoints %s; %zu starts (seed %lu)\n\n", s->path,
               s->n, ms_split_describe(&a->fo.split, desc, sizeof desc),
               fitopts_ckpt_name(a->fo.ckpt), a->fo.fit.starts, a->fo.fit.seed);
        print_table(rows, a->laws.n, has_test);
        print_verdict(rows, a->laws.n, has_test);
        print_health(rows, a->laws.n, p);
    }
    for (size_t k = 0; k < a->laws.n; k++) {
        ms_fit_result_free(rows[k].r);
        ms_metrics_done(&rows[k].m);
    }
    ms_problem_free(p);
    return CLI_OK;
}

static int compare_check(void *ctx)
{
    return fitopts_finish(&((compare_args *)ctx)->fo, "compare");
}

static int compare_run_cb(void *ctx, const ms_sweep *s)
{
    return compare_run(ctx, s);
}

int cli_compare(int argc, char **argv)
{
    static const struct option longopts[] = {
        LAWS_LONGOPTS,
        FITOPTS_SPLIT_LONGOPTS,
        FITOPTS_FIT_LONGOPTS,
        CLI_STD_LONGOPTS,
        CLI_SWEEP_LONGOPTS,
        {0, 0, 0, 0},
    };
    static const cli_sweep_command cmd = {"compare", compare_usage, longopts, laws_option,
                                          compare_check, compare_run_cb};
    compare_args a;
    laws_args_init(&a, "compare");
    return cli_run_sweep_command(&cmd, argc, argv, &a);
}
