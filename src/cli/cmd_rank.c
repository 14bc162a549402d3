/* mixscope rank — the track record of a law on observed mixtures: a sweep's
 * mixtures at one scale ranked by predicted objective beside the observed
 * one, with the Spearman correlation, whether the law's top pick is the
 * best observed mixture, and the regret of following the law. */
#include "cli/optflags.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mixscope/problem.h"
#include "mixscope/units.h"

static const char rank_usage[] =
    "Usage: mixscope rank --params FIT.json --at N,D [OPTIONS] SWEEP.csv\n"
    "Rank the sweep's mixtures at one scale (the grid point nearest N,D in log-log\n"
    "distance) by the law's predicted objective, beside the observed one (the mean\n"
    "of the observed losses, with the same domain weights). Reports the Spearman\n"
    "correlation, whether the best observed mixture is the law's top pick, and the\n"
    "regret: the observed objective of the law's pick minus the best observed.\n"
    "Rows missing a loss are skipped and counted.\n"
    "\n"
    "  -p, --params FIT.json  the fitted law; domains are matched by name\n"
    "      --at N,D           the scale, e.g. 937M,35B\n"
    OPTFLAGS_WEIGHT_HELP
    "      --json             print JSON (top-level spearman, top_pick_is_best and\n"
    "                         regret)\n"
    CLI_SWEEP_HELP
    "  -h, --help             show this help\n"
    "  -V, --version          show the version\n";

typedef struct {
    const char *params;
    double at_N, at_D;
    int at_given, json;
    optflags of;
} rank_args;

enum { OPT_AT = CLI_OPT_FIRST_FREE, OPT_JSON };

static int parse_at(rank_args *a, const char *arg)
{
    char buf[128];
    const char *comma = strchr(arg, ',');
    ms_diag d;
    if (!comma || (size_t)(comma - arg) >= sizeof buf)
        return cli_usage_error("rank", "--at: expected N,D like 937M,35B, got \"%s\"", arg);
    snprintf(buf, sizeof buf, "%.*s", (int)(comma - arg), arg);
    if (ms_size_parse(buf, "--at", &a->at_N, &d) != MS_OK ||
        ms_size_parse(comma + 1, "--at", &a->at_D, &d) != MS_OK)
        return cli_usage_error("rank", "%s", d.msg);
    a->at_given = 1;
    return CLI_OK;
}

static int rank_option(void *ctx, int opt, const char *arg)
{
    rank_args *a = ctx;
    int r = optflags_option(&a->of, "rank", opt, arg);
    if (r)
        return r < 0 ? CLI_EUSAGE : CLI_OK;
    switch (opt) {
    case 'p': a->params = arg; return CLI_OK;
    case OPT_AT: return parse_at(a, arg);
    case OPT_JSON: a->json = 1; return CLI_OK;
    }
    return cli_usage_error("rank", "unknown option");
}

static json_t *number_or_null(double v) { return isfinite(v) ? json_real(v) : json_null(); }

/* One ranked mixture k. */
static json_t *entry_json(const ms_fit *f, const ms_sweep *s, const ms_problem *p,
                          const ms_rank *r, size_t k)
{
    const size_t row = r->row[k];
    size_t u = 0;
    while (u + 1 < p->n_runs && p->run_first[u + 1] <= row)
        u++;
    json_t *o = json_pack("{s:I}", "line", (json_int_t)s->line[p->sweep_row[row]]);
    json_object_set_new(o, "h", optjson_by_domain(f, p->run_h + u * p->K));
    json_object_set_new(o, "predicted", json_real(r->predicted[k]));
    json_object_set_new(o, "observed", json_real(r->observed[k]));
    json_object_set_new(o, "observed_rank", json_integer((json_int_t)r->observed_rank[k]));
    return o;
}

static json_t *rank_json(const ms_fit *f, const ms_sweep *s, const ms_problem *p,
                         const ms_rank *r, const rank_args *a)
{
    json_t *root = json_pack("{s:s, s:s, s:f, s:f, s:b}", "law", f->law.def->name, "sweep",
                             s->path, "model_size", p->at_N, "n_tokens", p->at_D, "nearest",
                             p->at_point != 0);
    json_object_set_new(root, "requested",
                        json_pack("{s:f, s:f}", "model_size", a->at_N, "n_tokens", a->at_D));
    json_object_set_new(root, "mixtures", json_integer((json_int_t)r->n));
    json_object_set_new(root, "skipped", json_integer((json_int_t)r->skipped));
    json_object_set_new(root, "spearman", number_or_null(r->spearman));
    json_object_set_new(root, "top_pick_is_best", json_boolean(r->top_pick_is_best));
    json_object_set_new(root, "regret", json_real(r->regret));
    json_object_set_new(root, "regret_relative",
                        number_or_null(r->regret / r->observed[r->best]));
    json_object_set_new(root, "pick", entry_json(f, s, p, r, 0));
    json_object_set_new(root, "best", entry_json(f, s, p, r, r->best));
    json_t *all = json_array();
    for (size_t k = 0; k < r->n; k++)
        json_array_append_new(all, entry_json(f, s, p, r, k));
    json_object_set_new(root, "ranked", all);
    return root;
}

static void rank_text(const ms_fit *f, const ms_sweep *s, const ms_problem *p,
                      const ms_rank *r, const rank_args *a, const optspec *sp)
{
    char n1[32], d1[32], n2[32], d2[32];
    const size_t K = p->K, show_h = K <= 8;
    printf("%s fit ranked on %s\nat N = %s parameters, D = %s tokens", f->law.def->name,
           s->path, ms_size_format(p->at_N, n1, sizeof n1), ms_size_format(p->at_D, d1, sizeof d1));
    if (p->at_point)
        printf("\n(the grid point nearest to %s, %s)", ms_size_format(a->at_N, n2, sizeof n2),
               ms_size_format(a->at_D, d2, sizeof d2));
    printf("\n%zu mixtures ranked by the law's predicted objective (the %s);\n"
           "%zu row%s skipped for a missing loss\n\n", r->n,
           sp->given[0] ? "weighted mean loss" : "mean loss", r->skipped,
           r->skipped == 1 ? "" : "s");
    printf("%4s %10s %10s %8s %7s", "rank", "predicted", "observed", "obs.rank", "line");
    for (size_t i = 0; show_h && i < K; i++)
        printf(" %7.7s", p->domains[i]);
    putchar('\n');
    for (size_t k = 0; k < r->n; k++) {
        const size_t row = r->row[k];
        size_t u = 0;
        while (u + 1 < p->n_runs && p->run_first[u + 1] <= row)
            u++;
        printf("%4zu %10.5f %10.5f %8zu %7ld", k + 1, r->predicted[k], r->observed[k],
               r->observed_rank[k], s->line[p->sweep_row[row]]);
        for (size_t i = 0; show_h && i < K; i++)
            printf(" %7.4f", p->run_h[u * K + i]);
        putchar('\n');
    }
    printf("\nSpearman correlation, predicted vs observed: %.4f\n", r->spearman);
    printf("the law's top pick (line %ld) observed %.5f; the best observed (line %ld) %.5f\n",
           s->line[p->sweep_row[r->row[0]]], r->observed[0],
           s->line[p->sweep_row[r->row[r->best]]], r->observed[r->best]);
    printf("top pick is the best observed mixture: %s; regret %.5f (%.2f%%)\n",
           r->top_pick_is_best ? "yes" : "no", r->regret,
           100 * r->regret / r->observed[r->best]);
}

static int rank_run(const rank_args *a, const ms_sweep *s)
{
    ms_diag d;
    ms_fit *f;
    ms_status st = ms_fit_read(a->params, &f, &d);
    if (st != MS_OK)
        return cli_fail(st, &d);
    optspec sp;
    int rc = optspec_build(&a->of, f, &sp);
    ms_split split = {.kind = MS_SPLIT_AT, .at_N = a->at_N, .at_D = a->at_D};
    ms_problem *p = NULL;
    ms_rank r = {0};
    if (rc == CLI_OK)
        st = ms_problem_build(s, (const char *const *)f->domains, f->law.K, &split,
                              MS_CKPT_ALL, &p, &d);
    if (rc == CLI_OK && st == MS_OK)
        st = ms_optimize_rank(p, &f->law, f->theta, sp.spec.weight, &r, &d);
    if (rc == CLI_OK && st != MS_OK)
        rc = cli_fail(st, &d);
    if (rc == CLI_OK && a->json) {
        json_t *root = rank_json(f, s, p, &r, a);
        json_dumpf(root, stdout, JSON_INDENT(1));
        putchar('\n');
        json_decref(root);
    } else if (rc == CLI_OK)
        rank_text(f, s, p, &r, a, &sp);
    ms_optimize_rank_done(&r);
    ms_problem_free(p);
    optspec_done(&sp);
    ms_fit_free(f);
    return rc;
}

int cli_rank(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"params", required_argument, 0, 'p'},
        {"at", required_argument, 0, OPT_AT},
        {"json", no_argument, 0, OPT_JSON},
        OPTFLAGS_WEIGHT_LONGOPTS,
        CLI_STD_LONGOPTS,
        CLI_SWEEP_LONGOPTS,
        {0, 0, 0, 0},
    };
    rank_args a;
    memset(&a, 0, sizeof a);
    optflags_init(&a.of);
    cli_sweep_flags sf;
    cli_sweep_flags_init(&sf);
    int first = 0, done = 0;
    int rc = cli_parse_args("rank", rank_usage, argc, argv, longopts, &sf, rank_option, &a,
                            &first, &done);
    if (rc == CLI_OK && !done && !a.params)
        rc = cli_usage_error("rank", "--params is required");
    else if (rc == CLI_OK && !done && !a.at_given)
        rc = cli_usage_error("rank", "--at is required");
    else if (rc == CLI_OK && !done && first != argc - 1)
        rc = cli_usage_error("rank", "expected one SWEEP.csv argument");
    ms_sweep *s = NULL;
    if (rc == CLI_OK && !done)
        rc = cli_load_sweep(argv[first], &sf, &s);
    if (s)
        rc = rank_run(&a, s);
    ms_sweep_free(s);
    cli_sweep_flags_done(&sf);
    optflags_done(&a.of);
    return rc;
}
