/* mixscope eval — the metrics of a saved fit on any sweep. */
#include "cli/cli.h"
#include "cli/fitopts.h"
#include "cli/report.h"

#include <string.h>

static const char eval_usage[] =
    "Usage: mixscope eval --params FIT.json [OPTIONS] SWEEP.csv\n"
    "Score a saved fit on a sweep: MRE, MAE and RMSE over the masked cells and\n"
    "over every cell, per domain and per (model size, tokens) scale. Domains\n"
    "are matched by name.\n"
    "\n"
    "  -p, --params FIT.json  the fit to score\n"
    "      --where COND       only rows where COND holds, e.g. 'N>310M'\n"
    "      --mask H           leave out cells whose domain weight is below H (0.1)\n"
    "      --json             print JSON: mre, mae, rmse (fractions), unmasked,\n"
    "                         domains and scales\n"
    CLI_SWEEP_HELP
    "  -h, --help             show this help\n"
    "  -V, --version          show the version\n";

enum { OPT_JSON = CLI_OPT_FIRST_FREE, OPT_WHERE };

typedef struct {
    const char *params;
    int json;
    double mask;
    ms_cond where[MS_MAX_CONDS];
    size_t n_where;
} eval_args;

static int eval_option(void *ctx, int opt, const char *arg)
{
    eval_args *a = ctx;
    ms_diag d;
    switch (opt) {
    case 'p': a->params = arg; return CLI_OK;
    case OPT_JSON: a->json = 1; return CLI_OK;
    case FO_MASK: {
        fitopts fo;
        fitopts_init(&fo);
        if (fitopts_option(&fo, "eval", opt, arg) < 0)
            return CLI_EUSAGE;
        a->mask = fo.fit.mask;
        return CLI_OK;
    }
    case OPT_WHERE:
        if (ms_split_parse_conds(arg, "--where", a->where, MS_MAX_CONDS, &a->n_where, &d) !=
            MS_OK)
            return cli_usage_error("eval", "%s", d.msg);
        return CLI_OK;
    }
    return cli_usage_error("eval", "unknown option");
}

/* The JSON of eval: the masked metrics at the top, then the rest. */
static json_t *eval_json(const ms_fit *f, const ms_metrics *m, const ms_problem *p)
{
    json_t *root = report_metric_json(&m->overall[MS_SET_TEST][0]);
    json_t *metrics = report_metrics_json(m, p), *test = json_object_get(metrics, "test");
    json_object_set_new(root, "law", json_string(f->law.def->name));
    json_object_set_new(root, "unmasked", report_metric_json(&m->overall[MS_SET_TEST][1]));
    json_object_set(root, "domains", test ? json_object_get(test, "domains") : json_array());
    json_object_set(root, "scales", json_object_get(metrics, "scales"));
    json_decref(metrics);
    return root;
}

static void eval_text(const ms_fit *f, const ms_metrics *m, const ms_problem *p,
                      const ms_sweep *s, const eval_args *a)
{
    printf("%s fit scored on %s: %zu of %zu rows\n\n", f->law.def->name, s->path,
           ms_problem_count(p, MS_ROLE_TEST), p->n_rows);
    report_overall(stdout, m, a->mask);
    report_breakdown(stdout, m, p);
}

static int eval_run(const eval_args *a, const ms_sweep *s)
{
    ms_diag d;
    ms_fit *f;
    ms_status st = ms_fit_read(a->params, &f, &d);
    if (st != MS_OK)
        return cli_fail(st, &d);
    ms_problem *p = NULL;
    ms_metrics m = {0};
    st = ms_problem_build(s, (const char *const *)f->domains, f->law.K, NULL, MS_CKPT_ALL,
                          &p, &d);
    if (st == MS_OK) {
        ms_problem_score_where(p, a->where, a->n_where);
        if (!ms_problem_count(p, MS_ROLE_TEST))
            st = ms_diag_set(&d, MS_EINPUT, s->path, 0, 0, "no rows match --where");
    }
    if (st == MS_OK)
        st = ms_metrics_compute(p, &f->law, f->theta, a->mask, &m, &d);
    int rc = st == MS_OK ? CLI_OK : cli_fail(st, &d);
    if (st == MS_OK && a->json) {
        json_t *root = eval_json(f, &m, p);
        json_dumpf(root, stdout, JSON_INDENT(1));
        putchar('\n');
        json_decref(root);
    } else if (st == MS_OK)
        eval_text(f, &m, p, s, a);
    ms_metrics_done(&m);
    ms_problem_free(p);
    ms_fit_free(f);
    return rc;
}

static int eval_check(void *ctx)
{
    return ((eval_args *)ctx)->params ? CLI_OK : cli_usage_error("eval", "--params is required");
}

static int eval_run_cb(void *ctx, const ms_sweep *s)
{
    return eval_run(ctx, s);
}

int cli_eval(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"params", required_argument, 0, 'p'},
        {"json", no_argument, 0, OPT_JSON},
        {"where", required_argument, 0, OPT_WHERE},
        {"mask", required_argument, 0, FO_MASK},
        CLI_STD_LONGOPTS,
        CLI_SWEEP_LONGOPTS,
        {0, 0, 0, 0},
    };
    static const cli_sweep_command cmd = {"eval", eval_usage, longopts, eval_option, eval_check,
                                          eval_run_cb};
    eval_args a;
    memset(&a, 0, sizeof a);
    a.mask = MS_MASK_DEFAULT;
    return cli_run_sweep_command(&cmd, argc, argv, &a);
}
