/* mixscope path — how the optimal mixture moves with scale: h* at points
 * spaced evenly in log scale along a compute path (D = R x N) or along D
 * at a fixed N. Each point's restarts include one from the previous
 * point's optimum, so the path is followed continuously. */
#include "cli/optflags.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mixscope/units.h"

static const char path_usage[] =
    "Usage: mixscope path -p FIT.json --from N --to N --tokens-per-param R [OPTIONS]\n"
    "       mixscope path -p FIT.json --N N --D-from D --D-to D [OPTIONS]\n"
    "The optimal mixture h* along a compute path: model sizes from --from to --to\n"
    "with D = R x N tokens, or a fixed model size with D from --D-from to --D-to.\n"
    "One row per scale, one column per domain, and the mean loss at h*.\n"
    "\n"
    "  -p, --params FIT.json  fitted law\n"
    "      --from SIZE        first model size (parameters)\n"
    "      --to SIZE          last model size\n"
    "      --tokens-per-param R  training tokens per parameter (20 is Chinchilla's)\n"
    "      --N SIZE           a fixed model size ...\n"
    "      --D-from SIZE      ... with token budgets from this\n"
    "      --D-to SIZE        ... to this\n"
    "      --steps S          points, evenly spaced in log scale (12)\n"
    "      --json             print JSON (top-level points array)\n"
    OPTFLAGS_HELP
    "  -h, --help             show this help\n"
    "  -V, --version          show the version\n";

enum { P_FROM, P_TO, P_N, P_DFROM, P_DTO, P_N_SIZES };
static const char *const size_flag[P_N_SIZES] = {"--from", "--to", "--N", "--D-from", "--D-to"};

typedef struct {
    const char *params, *size_text[P_N_SIZES];
    double tpp; /* tokens per parameter, 0 = not given */
    size_t steps;
    int json;
    optflags of;
} path_args;

enum { OPT_JSON = CLI_OPT_FIRST_FREE, OPT_TPP, OPT_STEPS, OPT_SIZE0 };

static int path_option(void *ctx, int opt, const char *arg)
{
    path_args *a = ctx;
    int r = optflags_option(&a->of, "path", opt, arg);
    char *end;
    if (r)
        return r < 0 ? CLI_EUSAGE : CLI_OK;
    if (opt >= OPT_SIZE0 && opt < OPT_SIZE0 + P_N_SIZES) {
        a->size_text[opt - OPT_SIZE0] = arg;
        return CLI_OK;
    }
    errno = 0;
    switch (opt) {
    case 'p': a->params = arg; return CLI_OK;
    case OPT_JSON: a->json = 1; return CLI_OK;
    case OPT_TPP:
        a->tpp = strtod(arg, &end);
        if (end == arg || *end || errno || !(a->tpp > 0 && isfinite(a->tpp)))
            return cli_usage_error("path", "--tokens-per-param: expected a number > 0, got \"%s\"",
                                   arg);
        return CLI_OK;
    case OPT_STEPS: {
        double v = strtod(arg, &end);
        if (end == arg || *end || errno || !(v >= 2 && v <= 10000) || v != floor(v))
            return cli_usage_error("path", "--steps: expected a whole number >= 2, got \"%s\"",
                                   arg);
        a->steps = (size_t)v;
        return CLI_OK;
    }
    }
    return cli_usage_error("path", "unknown option");
}

typedef struct {
    double N, D;
    int ok;           /* solved */
    ms_diag err;      /* why not */
    ms_opt_result res;
    double mean;      /* mean loss at h* */
} point;

/* Solves every point; h is steps x K. */
static void solve_path(ms_optimizer *o, const ms_fit *f, const optflags *of, point *pts,
                       size_t n, double *h)
{
    const size_t K = f->law.K;
    ms_pred pr = {0};
    const double *prev = NULL;
    int have_pred = ms_pred_alloc(&pr, K) == MS_OK;
    for (size_t k = 0; k < n; k++) {
        ms_diag d;
        ms_opt_opts op = of->opts;
        point *p = &pts[k];
        op.h0 = prev;
        ms_status st = ms_optimize_rescale(o, p->N, p->D, &d);
        if (st == MS_OK)
            st = ms_optimize_run(o, &op, h + k * K, &p->res, &d);
        if (st == MS_OK && have_pred &&
            ms_law_predict(&f->law, f->theta, h + k * K, ms_units_N(p->N), ms_units_D(p->D),
                           &pr, &d) == MS_OK)
            p->mean = ms_pred_mean(&pr, K);
        p->ok = st == MS_OK;
        prev = p->ok ? h + k * K : prev;
        if (!p->ok)
            p->err = d;
    }
    ms_pred_free(&pr);
}

static void path_text(const ms_fit *f, const path_args *a, const point *pts, size_t n,
                      const double *h, const optspec *sp)
{
    const size_t K = f->law.K;
    char b1[32], b2[32], b3[32];
    printf("%s: the optimal mixture h* ", f->law.def->name);
    if (a->tpp > 0)
        printf("along N = %s .. %s with D = %g x N", ms_size_format(pts[0].N, b1, sizeof b1),
               ms_size_format(pts[n - 1].N, b2, sizeof b2), a->tpp);
    else
        printf("at N = %s along D = %s .. %s", ms_size_format(pts[0].N, b1, sizeof b1),
               ms_size_format(pts[0].D, b2, sizeof b2),
               ms_size_format(pts[n - 1].D, b3, sizeof b3));
    printf(" (%zu steps)\nobjective: the %s loss; %zu restarts per point\n\n", n,
           sp->given[0] ? "weighted mean" : "mean", a->of.opts.restarts);
    printf("%7s %7s", "N", "D");
    for (size_t i = 0; i < K; i++)
        printf(" %*s", (int)(strlen(f->domains[i]) > 6 ? strlen(f->domains[i]) : 6),
               f->domains[i]);
    printf(" %8s%s  agree\n", "mean", sp->given[0] ? " objective" : "");
    for (size_t k = 0; k < n; k++) {
        const point *p = &pts[k];
        printf("%7s %7s", ms_size_format(p->N, b1, sizeof b1), ms_size_format(p->D, b2, sizeof b2));
        if (!p->ok) {
            printf("  %s\n", p->err.msg);
            continue;
        }
        for (size_t i = 0; i < K; i++)
            printf(" %*.4f", (int)(strlen(f->domains[i]) > 6 ? strlen(f->domains[i]) : 6),
                   h[k * K + i]);
        printf(" %8.5f", p->mean);
        if (sp->given[0])
            printf(" %9.5f", p->res.objective);
        printf("  %zu/%zu%s\n", p->res.agree, p->res.restarts,
               p->res.check.ok ? "" : "  (optimality check failed)");
    }
}

static json_t *path_json(const ms_fit *f, const path_args *a, const point *pts, size_t n,
                         const double *h)
{
    json_t *root = json_pack("{s:s, s:s}", "law", f->law.def->name, "mode",
                             a->tpp > 0 ? "tokens-per-param" : "fixed-N");
    if (a->tpp > 0)
        json_object_set_new(root, "tokens_per_param", json_real(a->tpp));
    json_t *arr = json_array();
    for (size_t k = 0; k < n; k++) {
        const point *p = &pts[k];
        json_t *o = json_pack("{s:f, s:f}", "model_size", p->N, "n_tokens", p->D);
        if (!p->ok)
            json_object_set_new(o, "error", json_string(p->err.msg));
        else {
            json_object_set_new(o, "h", optjson_by_domain(f, h + k * f->law.K));
            json_object_set_new(o, "objective", json_real(p->res.objective));
            json_object_set_new(o, "mean_loss", json_real(p->mean));
            json_object_set_new(o, "agree", json_integer((json_int_t)p->res.agree));
            json_object_set_new(o, "restarts", json_integer((json_int_t)p->res.restarts));
            json_object_set_new(o, "check_ok", json_boolean(p->res.check.ok));
        }
        json_array_append_new(arr, o);
    }
    json_object_set_new(root, "points", arr);
    return root;
}

/* Scales of the path (raw counts) from the parsed sizes. */
static void place_points(const path_args *a, const double *sz, point *pts, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        double t = (double)k / (double)(n - 1);
        if (a->tpp > 0) {
            pts[k].N = sz[P_FROM] * pow(sz[P_TO] / sz[P_FROM], t);
            pts[k].D = a->tpp * pts[k].N;
        } else {
            pts[k].N = sz[P_N];
            pts[k].D = sz[P_DFROM] * pow(sz[P_DTO] / sz[P_DFROM], t);
        }
    }
}

static int path_run(const path_args *a)
{
    ms_diag d;
    double sz[P_N_SIZES] = {0};
    ms_status st;
    for (int k = 0; k < P_N_SIZES; k++)
        if (a->size_text[k] && (st = ms_size_parse(a->size_text[k], size_flag[k], &sz[k], &d)))
            return cli_fail(st, &d);
    ms_fit *f;
    if ((st = ms_fit_read(a->params, &f, &d)) != MS_OK)
        return cli_fail(st, &d);
    optspec sp;
    const size_t n = a->steps, K = f->law.K;
    point *pts = calloc(n, sizeof *pts);
    double *h = calloc(n * K, sizeof *h);
    ms_optimizer *o = NULL;
    int rc = optspec_build(&a->of, f, &sp);
    if (rc == CLI_OK && (!pts || !h))
        rc = cli_fail(ms_diag_set(&d, MS_ENOMEM, NULL, 0, 0, "out of memory"), &d);
    if (rc == CLI_OK)
        place_points(a, sz, pts, n);
    /* The spec is checked at the first point; later points can still turn
     * infeasible as D grows past a token cap, and say so in their row. */
    if (rc == CLI_OK && (st = ms_optimize_new(&f->law, f->theta, pts[0].N, pts[0].D, &sp.spec,
                                              (const char *const *)f->domains, &o, &d)))
        rc = cli_fail(st, &d);
    if (rc == CLI_OK)
        solve_path(o, f, &a->of, pts, n, h);
    if (rc == CLI_OK && a->json) {
        json_t *root = path_json(f, a, pts, n, h);
        json_dumpf(root, stdout, JSON_INDENT(1));
        putchar('\n');
        json_decref(root);
    } else if (rc == CLI_OK)
        path_text(f, a, pts, n, h, &sp);
    ms_optimize_free(o);
    free(pts), free(h);
    optspec_done(&sp);
    ms_fit_free(f);
    return rc;
}

/* Exactly one of the two ways to give the path. */
static int check_mode(const path_args *a)
{
    const char *const *s = a->size_text;
    int fromto = s[P_FROM] || s[P_TO] || a->tpp > 0, fixed = s[P_N] || s[P_DFROM] || s[P_DTO];
    if (fromto && fixed)
        return cli_usage_error("path", "give either --from/--to/--tokens-per-param or "
                                       "--N/--D-from/--D-to, not both");
    const char *missing = fixed ? (!s[P_N] ? "--N" : !s[P_DFROM] ? "--D-from"
                                   : !s[P_DTO] ? "--D-to" : NULL)
                                : (!s[P_FROM] ? "--from" : !s[P_TO] ? "--to"
                                   : !(a->tpp > 0) ? "--tokens-per-param" : NULL);
    return missing ? cli_usage_error("path", "%s is required", missing) : CLI_OK;
}

int cli_path(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"params", required_argument, 0, 'p'},
        {"from", required_argument, 0, OPT_SIZE0 + P_FROM},
        {"to", required_argument, 0, OPT_SIZE0 + P_TO},
        {"N", required_argument, 0, OPT_SIZE0 + P_N},
        {"D-from", required_argument, 0, OPT_SIZE0 + P_DFROM},
        {"D-to", required_argument, 0, OPT_SIZE0 + P_DTO},
        {"tokens-per-param", required_argument, 0, OPT_TPP},
        {"steps", required_argument, 0, OPT_STEPS},
        {"json", no_argument, 0, OPT_JSON},
        OPTFLAGS_LONGOPTS,
        CLI_STD_LONGOPTS,
        {0, 0, 0, 0},
    };
    path_args a;
    memset(&a, 0, sizeof a);
    a.steps = 12;
    optflags_init(&a.of);
    int first = 0, done = 0;
    int rc = cli_parse_args("path", path_usage, argc, argv, longopts, NULL, path_option, &a,
                            &first, &done);
    if (rc == CLI_OK && !done && first != argc)
        rc = cli_usage_error("path", "unexpected argument \"%s\"", argv[first]);
    else if (rc == CLI_OK && !done && !a.params)
        rc = cli_usage_error("path", "--params is required");
    else if (rc == CLI_OK && !done)
        rc = check_mode(&a);
    if (rc == CLI_OK && !done)
        rc = path_run(&a);
    optflags_done(&a.of);
    return rc;
}
