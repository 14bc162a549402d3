/* mixscope info — what is in a sweep: domains, runs, scales, gaps. */
#include "cli/cli.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mixscope/grid.h"
#include "mixscope/units.h"

static const char info_usage[] =
    "Usage: mixscope info [OPTIONS] SWEEP.csv\n"
    "Describe a sweep: its training and eval-only domains, the number of runs,\n"
    "the grid of (model size, tokens) with run counts, missing values and the\n"
    "range of each mixture weight.\n"
    "\n"
    "      --json                print a JSON object instead of text\n"
    CLI_SWEEP_HELP
    "  -h, --help                show this help\n"
    "  -V, --version             show the version\n";

typedef struct {
    double wmin, wmax, wmean; /* training domains only */
    double lmin, lmax;        /* observed losses */
} domain_stats;

static void compute_stats(const ms_sweep *s, domain_stats *st)
{
    size_t L = s->K + s->n_eval;
    for (size_t i = 0; i < L; i++)
        st[i] = (domain_stats){INFINITY, -INFINITY, 0, INFINITY, -INFINITY};
    for (size_t r = 0; r < s->n; r++) {
        for (size_t i = 0; i < s->K; i++) {
            double w = s->h[r * s->K + i];
            st[i].wmin = fmin(st[i].wmin, w);
            st[i].wmax = fmax(st[i].wmax, w);
            st[i].wmean += w / (double)s->n;
        }
        for (size_t i = 0; i < L; i++) {
            double l = s->loss[r * L + i];
            if (!isnan(l)) {
                st[i].lmin = fmin(st[i].lmin, l);
                st[i].lmax = fmax(st[i].lmax, l);
            }
        }
    }
}

static void print_text(const ms_sweep *s, const ms_grid *g, const domain_stats *st)
{
    char a[32], b[32];
    printf("%s: %zu runs, %zu training domain%s, %zu eval-only, %zu distinct mixtures\n",
           s->path, s->n, s->K, s->K == 1 ? "" : "s", s->n_eval, g->n_mixtures);
    printf("fingerprint fnv1a64:%016llx\n\n", (unsigned long long)s->fingerprint);
    printf("%-20s %8s %8s %8s %9s %9s %8s\n", "training domain", "min h", "max h",
           "mean h", "min loss", "max loss", "missing");
    for (size_t i = 0; i < s->K; i++)
        printf("%-20s %8.4f %8.4f %8.4f %9.4f %9.4f %8zu\n", s->domains[i], st[i].wmin,
               st[i].wmax, st[i].wmean, st[i].lmin, st[i].lmax, s->missing_by_domain[i]);
    if (s->n_eval) {
        printf("\n%-20s %36s %9s %8s\n", "eval-only domain", "min loss", "max loss", "missing");
        for (size_t i = s->K; i < s->K + s->n_eval; i++)
            printf("%-20s %36.4f %9.4f %8zu\n", s->domains[i], st[i].lmin, st[i].lmax,
                   s->missing_by_domain[i]);
    }
    printf("\nmissing loss values: %zu\n", s->n_missing);
    printf("\ngrid: %zu model sizes, %zu (size, tokens) points; runs per token budget\n",
           g->n_sizes, g->n_points);
    for (size_t k = 0, p = 0; k < g->n_sizes; k++) {
        size_t runs = 0, col = 0;
        printf("  %-6s", ms_size_format(g->sizes[k], a, sizeof a));
        for (; p < g->n_points && g->points[p].model_size == g->sizes[k]; p++) {
            if (col >= 6) { /* wrap long checkpoint lists */
                printf("\n  %-6s", "");
                col = 0;
            }
            int w = printf(" %7s x%zu", ms_size_format(g->points[p].n_tokens, b, sizeof b),
                           g->points[p].runs);
            if (col < 5 && p + 1 < g->n_points && g->points[p + 1].model_size == g->sizes[k])
                printf("%*s", w < 13 ? 13 - w : 0, "");
            runs += g->points[p].runs;
            col++;
        }
        printf("\n  %-6s %zu runs\n", "", runs);
    }
}

static json_t *info_json(const ms_sweep *s, const ms_grid *g, const domain_stats *st)
{
    json_t *root = json_object(), *doms = json_array(), *grid = json_array();
    char fp[32];
    snprintf(fp, sizeof fp, "fnv1a64:%016llx", (unsigned long long)s->fingerprint);
    json_object_set_new(root, "path", json_string(s->path));
    json_object_set_new(root, "fingerprint", json_string(fp));
    json_object_set_new(root, "runs", json_integer((json_int_t)s->n));
    json_object_set_new(root, "mixtures", json_integer((json_int_t)g->n_mixtures));
    json_object_set_new(root, "missing", json_integer((json_int_t)s->n_missing));
    for (size_t i = 0; i < s->K + s->n_eval; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(s->domains[i]));
        json_object_set_new(o, "role", json_string(i < s->K ? "train" : "eval"));
        if (i < s->K) {
            json_object_set_new(o, "weight_min", json_real(st[i].wmin));
            json_object_set_new(o, "weight_max", json_real(st[i].wmax));
            json_object_set_new(o, "weight_mean", json_real(st[i].wmean));
        }
        if (isfinite(st[i].lmin)) {
            json_object_set_new(o, "loss_min", json_real(st[i].lmin));
            json_object_set_new(o, "loss_max", json_real(st[i].lmax));
        }
        json_object_set_new(o, "missing", json_integer((json_int_t)s->missing_by_domain[i]));
        json_array_append_new(doms, o);
    }
    for (size_t p = 0; p < g->n_points; p++) {
        json_t *o = json_object();
        json_object_set_new(o, "model_size", json_real(g->points[p].model_size));
        json_object_set_new(o, "n_tokens", json_real(g->points[p].n_tokens));
        json_object_set_new(o, "runs", json_integer((json_int_t)g->points[p].runs));
        json_array_append_new(grid, o);
    }
    json_object_set_new(root, "domains", doms);
    json_object_set_new(root, "grid", grid);
    return root;
}

static int info_report(const ms_sweep *s, int json)
{
    ms_grid g;
    ms_diag d;
    ms_status st = ms_grid_build(s, &g, &d);
    if (st != MS_OK)
        return cli_fail(st, &d);
    domain_stats *ds = calloc(s->K + s->n_eval, sizeof *ds);
    if (!ds) {
        ms_grid_done(&g);
        cli_error("out of memory");
        return CLI_EFAIL;
    }
    compute_stats(s, ds);
    if (json) {
        json_t *root = info_json(s, &g, ds);
        json_dumpf(root, stdout, JSON_INDENT(1) | JSON_REAL_PRECISION(10));
        putchar('\n');
        json_decref(root);
    } else
        print_text(s, &g, ds);
    free(ds);
    ms_grid_done(&g);
    return CLI_OK;
}

static int info_option(void *ctx, int opt, const char *arg)
{
    (void)arg;
    if (opt == CLI_OPT_FIRST_FREE) {
        *(int *)ctx = 1;
        return CLI_OK;
    }
    return cli_usage_error("info", "unknown option");
}

static int info_run(void *ctx, const ms_sweep *s)
{
    return info_report(s, *(int *)ctx);
}

int cli_info(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"json", no_argument, 0, CLI_OPT_FIRST_FREE},
        CLI_STD_LONGOPTS,
        CLI_SWEEP_LONGOPTS,
        {0, 0, 0, 0},
    };
    static const cli_sweep_command cmd = {"info", info_usage, longopts, info_option, NULL,
                                          info_run};
    int json = 0;
    return cli_run_sweep_command(&cmd, argc, argv, &json);
}
