/* mixscope simulate — a synthetic sweep from a law with known parameters. */
#include "cli/cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mixscope/atomic.h"
#include "mixscope/mix.h"
#include "mixscope/simulate.h"
#include "mixscope/units.h"

static const char simulate_usage[] =
    "Usage: mixscope simulate --params TRUTH.json --sizes LIST --tokens LIST [OPTIONS]\n"
    "Write a sweep CSV whose true law is known: every mixture at every model size,\n"
    "with a checkpoint at every token budget, losses from the law times\n"
    "(1 + noise x a standard normal draw). The same options give the same file.\n"
    "\n"
    "  -p, --params TRUTH.json  the law and its parameters (a fit file)\n"
    "      --sizes LIST         model sizes, e.g. 50M,100M,200M\n"
    "      --tokens LIST        token budgets (checkpoints), e.g. 1B,2B,4B\n"
    "      --mixtures R         number of mixtures: uniform + R-1 Dirichlet draws (40)\n"
    "      --mix-list FILE      the mixtures to train instead: one per line, as\n"
    "                           domain=weight,... (the syntax of predict --mix)\n"
    "      --grid STEPS         every mixture on the simplex grid of spacing 1/STEPS\n"
    "                           (up to 3 domains)\n"
    "      --concentration A    Dirichlet concentration per domain (1)\n"
    "      --min-weight M       every weight at least M (0)\n"
    "      --noise S            relative noise standard deviation (0.005)\n"
    "      --seed S             random seed (1)\n"
    "      --eval-domain NAME   add an eval-only NAME_loss column (mean loss, noised)\n"
    "  -o, --output FILE        write FILE atomically (default: standard output)\n"
    "  -h, --help               show this help\n"
    "  -V, --version            show the version\n";

#define MAX_LIST 64
typedef struct {
    const char *params, *output, *mix_list;
    double grid;
    ms_sim_opts o;
    double sizes[MAX_LIST], tokens[MAX_LIST];
} sim_args;

enum {
    OPT_SIZES = CLI_OPT_FIRST_FREE, OPT_TOKENS, OPT_MIXTURES, OPT_CONC,
    OPT_MINW, OPT_NOISE, OPT_SEED, OPT_EVAL, OPT_MIXLIST, OPT_GRID
};

static int parse_list(const char *opt, const char *arg, double *out, size_t *n)
{
    char *copy = strdup(arg), *save = NULL;
    if (!copy)
        return cli_usage_error("simulate", "out of memory");
    *n = 0;
    int rc = CLI_OK;
    for (char *t = strtok_r(copy, ",", &save); t && rc == CLI_OK;
         t = strtok_r(NULL, ",", &save)) {
        ms_diag d;
        if (*n == MAX_LIST)
            rc = cli_usage_error("simulate", "%s: at most %d values", opt, MAX_LIST);
        else if (ms_size_parse(t, opt, &out[*n], &d) != MS_OK)
            rc = cli_usage_error("simulate", "%s", d.msg);
        else
            (*n)++;
    }
    free(copy);
    if (rc == CLI_OK && *n == 0)
        rc = cli_usage_error("simulate", "%s: expected a comma-separated list", opt);
    return rc;
}

static int parse_number(const char *opt, const char *arg, double lo, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(arg, &end);
    if (end == arg || *end || errno || !isfinite(v) || v < lo)
        return cli_usage_error("simulate", "%s: expected a number >= %g, got \"%s\"", opt, lo, arg);
    *out = v;
    return CLI_OK;
}

static int sim_option(void *ctx, int opt, const char *arg)
{
    sim_args *a = ctx;
    double v;
    int rc;
    switch (opt) {
    case 'p': a->params = arg; return CLI_OK;
    case 'o': a->output = arg; return CLI_OK;
    case OPT_EVAL: a->o.eval_domain = arg; return CLI_OK;
    case OPT_MIXLIST: a->mix_list = arg; return CLI_OK;
    case OPT_GRID:
        rc = parse_number("--grid", arg, 1, &a->grid);
        if (rc == CLI_OK && (a->grid != floor(a->grid) || a->grid > 1000))
            rc = cli_usage_error("simulate", "--grid: expected a whole number of steps "
                                             "(1 to 1000), got \"%s\"", arg);
        return rc;
    case OPT_SIZES: return parse_list("--sizes", arg, a->sizes, &a->o.n_sizes);
    case OPT_TOKENS: return parse_list("--tokens", arg, a->tokens, &a->o.n_tokens);
    case OPT_CONC: return parse_number("--concentration", arg, 0, &a->o.concentration);
    case OPT_MINW: return parse_number("--min-weight", arg, 0, &a->o.min_weight);
    case OPT_NOISE: return parse_number("--noise", arg, 0, &a->o.noise);
    case OPT_MIXTURES:
    case OPT_SEED:
        rc = parse_number(opt == OPT_SEED ? "--seed" : "--mixtures", arg, 0, &v);
        if (rc == CLI_OK && (v != floor(v) || v > 4294967295.0 || (opt == OPT_MIXTURES && v < 1)))
            rc = cli_usage_error("simulate", "%s: expected a whole number, got \"%s\"",
                                 opt == OPT_SEED ? "--seed" : "--mixtures", arg);
        if (rc == CLI_OK && opt == OPT_SEED)
            a->o.seed = (unsigned long)v;
        else if (rc == CLI_OK)
            a->o.n_mixtures = (size_t)v;
        return rc;
    }
    return cli_usage_error("simulate", "unknown option");
}

/* One mixture per line in the syntax of predict --mix; errors name the
 * file and line. */
static int read_mix_list(const char *path, const ms_fit *truth, double **out, size_t *n)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        cli_error("%s: cannot open: %s", path, strerror(errno));
        return CLI_EFAIL;
    }
    size_t K = truth->law.K, cap = 0, line_no = 0;
    double *v = NULL;
    char *line = NULL;
    size_t len = 0;
    int rc = CLI_OK;
    *n = 0;
    while (rc == CLI_OK && getline(&line, &len, f) > 0) {
        line_no++;
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0] || line[0] == '#')
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 64;
            double *nv = realloc(v, cap * K * sizeof *nv);
            if (!nv) {
                rc = CLI_EFAIL;
                cli_error("out of memory");
                break;
            }
            v = nv;
        }
        char what[300];
        ms_diag d;
        snprintf(what, sizeof what, "%s:%zu", path, line_no);
        if (ms_mix_parse(line, (const char *const *)truth->domains, K, 0, what, v + *n * K, &d) !=
            MS_OK) {
            cli_error("%s", d.msg);
            rc = CLI_EFAIL;
        } else
            (*n)++;
    }
    free(line);
    fclose(f);
    if (rc == CLI_OK && !*n) {
        cli_error("%s: no mixtures in the file", path);
        rc = CLI_EFAIL;
    }
    if (rc != CLI_OK)
        free(v);
    else
        *out = v;
    return rc;
}

typedef struct {
    const ms_fit *truth;
    const ms_sim_opts *o;
    ms_diag *d;
} sim_job;

static int write_sweep(FILE *f, void *ctx)
{
    sim_job *j = ctx;
    return ms_simulate_write(f, j->truth, j->o, j->d) == MS_OK ? 0 : -1;
}

int cli_simulate(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"params", required_argument, 0, 'p'},
        {"output", required_argument, 0, 'o'},
        {"sizes", required_argument, 0, OPT_SIZES},
        {"tokens", required_argument, 0, OPT_TOKENS},
        {"mixtures", required_argument, 0, OPT_MIXTURES},
        {"concentration", required_argument, 0, OPT_CONC},
        {"min-weight", required_argument, 0, OPT_MINW},
        {"noise", required_argument, 0, OPT_NOISE},
        {"seed", required_argument, 0, OPT_SEED},
        {"eval-domain", required_argument, 0, OPT_EVAL},
        {"mix-list", required_argument, 0, OPT_MIXLIST},
        {"grid", required_argument, 0, OPT_GRID},
        CLI_STD_LONGOPTS,
        {0, 0, 0, 0},
    };
    sim_args a;
    memset(&a, 0, sizeof a);
    ms_sim_opts_init(&a.o);
    a.o.sizes = a.sizes;
    a.o.tokens = a.tokens;
    int first = 0, done = 0;
    int rc = cli_parse_args("simulate", simulate_usage, argc, argv, longopts, NULL,
                            sim_option, &a, &first, &done);
    if (rc != CLI_OK || done)
        return rc;
    if (first != argc)
        return cli_usage_error("simulate", "unexpected argument \"%s\"", argv[first]);
    const char *missing = !a.params ? "--params" : !a.o.n_sizes ? "--sizes"
                          : !a.o.n_tokens ? "--tokens" : NULL;
    if (missing)
        return cli_usage_error("simulate", "%s is required", missing);
    ms_diag d;
    ms_fit *truth;
    ms_status st = ms_fit_read(a.params, &truth, &d);
    if (st != MS_OK)
        return cli_fail(st, &d);
    double *mixes = NULL;
    if (a.mix_list && a.grid > 0) {
        ms_fit_free(truth);
        return cli_usage_error("simulate", "--mix-list and --grid cannot be combined");
    }
    if (a.grid > 0) {
        mixes = ms_sim_grid(truth->law.K, (unsigned)a.grid, &a.o.n_mixtures, &d);
        if (!mixes) {
            ms_fit_free(truth);
            return cli_fail(MS_EINPUT, &d);
        }
    } else if (a.mix_list && read_mix_list(a.mix_list, truth, &mixes, &a.o.n_mixtures) != CLI_OK) {
        ms_fit_free(truth);
        return CLI_EFAIL;
    }
    a.o.mixes = mixes;
    sim_job job = {truth, &a.o, &d};
    d.msg[0] = 0;
    if (!a.output || strcmp(a.output, "-") == 0) {
        st = ms_simulate_write(stdout, truth, &a.o, &d);
        if (st == MS_OK && fflush(stdout) != 0)
            st = ms_diag_set(&d, MS_EIO, "standard output", 0, 0, "write error");
    } else {
        ms_diag wd;
        st = ms_atomic_write(a.output, write_sweep, &job, &wd);
        /* The simulation's own diagnostic explains a failed write best. */
        if (st != MS_OK && !d.msg[0])
            d = wd;
        else if (st != MS_OK)
            st = MS_EINPUT;
    }
    ms_fit_free(truth);
    free(mixes);
    return st == MS_OK ? CLI_OK : cli_fail(st, &d);
}
