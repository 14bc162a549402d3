/* mixscope optimize — the optimal mixture of a fitted law at one scale, its
 * losses beside the uniform mixture's, how flat the optimum is, and whether
 * it passes its own optimality check. */
#include "cli/optflags.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mixscope/units.h"

static const char optimize_usage[] =
    "Usage: mixscope optimize --params FIT.json --N SIZE --D SIZE [OPTIONS]\n"
    "Find the mixture h* that minimises the mean predicted loss (or a weighted\n"
    "mean) at model size N and token budget D, under locks, bounds and data\n"
    "limits; show its per-domain losses and their terms beside the uniform\n"
    "mixture's, how flat the optimum is, and its optimality check.\n"
    "\n"
    "  -p, --params FIT.json  fitted law (mixscope fit, or published parameters)\n"
    "      --N SIZE           model size in parameters: 1.3B, 200M, 7e9\n"
    "      --D SIZE           training tokens: 30B, 1.5T, 3e10\n"
    "      --no-flatness      skip the flatness ranges (slow for many domains)\n"
    "      --json             print JSON (top-level h by domain and objective)\n"
    OPTFLAGS_HELP
    "  -h, --help             show this help\n"
    "  -V, --version          show the version\n";

#define N_WITHIN 2
static const double within[N_WITHIN] = {0.001, 0.005};
static const char *const within_name[N_WITHIN] = {"0.1%", "0.5%"};

typedef struct {
    const char *params, *N_text, *D_text;
    int json, no_flat;
    optflags of;
} optimize_args;

enum { OPT_N = CLI_OPT_FIRST_FREE, OPT_D, OPT_JSON, OPT_NO_FLAT };

static int optimize_option(void *ctx, int opt, const char *arg)
{
    optimize_args *a = ctx;
    int r = optflags_option(&a->of, "optimize", opt, arg);
    if (r)
        return r < 0 ? CLI_EUSAGE : CLI_OK;
    switch (opt) {
    case 'p': a->params = arg; break;
    case OPT_N: a->N_text = arg; break;
    case OPT_D: a->D_text = arg; break;
    case OPT_JSON: a->json = 1; break;
    case OPT_NO_FLAT: a->no_flat = 1; break;
    default: return cli_usage_error("optimize", "unknown option");
    }
    return CLI_OK;
}

/* Everything the outputs need. */
typedef struct {
    const ms_fit *fit;
    const optspec *spec;
    ms_optimizer *o;
    double N, D, *h, *u;       /* h* and the uniform mixture */
    ms_pred at_h, at_u;
    double f_u;                /* objective at the uniform mixture */
    ms_opt_result res;
    ms_opt_range *flat;        /* N_WITHIN x K, NULL when skipped */
} result;

static double objective_of(const result *r, const ms_pred *p)
{
    const size_t K = r->fit->law.K;
    const double *w = r->spec->spec.weight;
    double s = 0, ws = 0;
    for (size_t i = 0; i < K; i++)
        s += (w ? w[i] : 1) * p->loss[i], ws += w ? w[i] : 1;
    return s / ws;
}

/* Why h*_i sits where it does, when a constraint holds it. */
static const char *bound_note(const result *r, size_t i)
{
    const size_t K = r->fit->law.K;
    const double *lo = ms_optimize_lower(r->o), *hi = ms_optimize_upper(r->o);
    const double *v = r->spec->vals, h = r->h[i];
    if (ms_optimize_locked(r->o, i))
        return "locked";
    if (h - lo[i] <= MS_OPT_BOUND_TOL)
        return !isnan(v[2 * K + i]) && lo[i] == v[2 * K + i] ? "at its minimum" : "at the floor h_min";
    if (hi[i] - h <= MS_OPT_BOUND_TOL && hi[i] < 1)
        return !isnan(v[3 * K + i]) && hi[i] == v[3 * K + i] ? "at its maximum" : "at its token cap";
    return "";
}

static void print_table(const result *r, const double *h, const ms_pred *p, int notes,
                        const ms_pred *ref)
{
    const ms_law *law = &r->fit->law;
    printf("%-16s %7s %9s", "domain", notes ? "h*" : "h", "loss");
    for (int t = 0; t < MS_N_TERMS; t++)
        printf(" %11s", law->def->term_names[t]);
    printf("%s\n", ref ? "    vs h*" : "");
    for (size_t i = 0; i < law->K; i++) {
        printf("%-16s %7.4f %9.5f", r->fit->domains[i], h[i], p->loss[i]);
        for (int t = 0; t < MS_N_TERMS; t++)
            printf(" %11.5f", p->term[t][i]);
        if (ref)
            printf(" %+8.5f", p->loss[i] - ref->loss[i]);
        if (notes && *bound_note(r, i))
            printf("  %s", bound_note(r, i));
        putchar('\n');
    }
    printf("%-16s %7s %9.5f\n", "mean", "", ms_pred_mean(p, law->K));
}

static void print_objective_line(const result *r)
{
    const ms_fit *f = r->fit;
    const optspec *s = r->spec;
    if (!s->given[0]) {
        printf("objective: the mean loss over the %zu domains\n", f->law.K);
        return;
    }
    printf("objective: the weighted mean loss, weights");
    size_t shown = 0;
    for (size_t i = 0; i < f->law.K; i++)
        if (s->vals[i] != 1)
            printf("%s %s=%g", shown++ ? "," : "", f->domains[i], s->vals[i]);
    printf("%s\n", shown == 0 ? " all 1" : shown < f->law.K ? " (others 1)" : "");
}

static void print_constraints(const result *r)
{
    const size_t K = r->fit->law.K;
    static const char *const label[4] = {"locked", "minimum", "maximum", "tokens"};
    for (int k = 1; k < OF_N_LISTS; k++) {
        if (!r->spec->given[k])
            continue;
        printf("%-10s", label[k - 1]);
        for (size_t i = 0, first = 1; i < K; i++) {
            double v = r->spec->vals[k * K + i];
            char b[32];
            if (isnan(v))
                continue;
            if (k == OF_N_LISTS - 1)
                printf("%s %s=%s (h <= %.4g)", first ? "" : ",", r->fit->domains[i],
                       ms_size_format(v, b, sizeof b), ms_optimize_upper(r->o)[i]);
            else
                printf("%s %s=%g", first ? "" : ",", r->fit->domains[i], v);
            first = 0;
        }
        if (k == OF_N_LISTS - 1)
            printf(" x %g epoch%s", r->spec->spec.epochs, r->spec->spec.epochs == 1 ? "" : "s");
        putchar('\n');
    }
}

static void print_range(const ms_opt_range *g, int last)
{
    char buf[48];
    snprintf(buf, sizeof buf, "[%.4f%s, %.4f%s]", g->lo, g->lo_bound ? "*" : "", g->hi,
             g->hi_bound ? "*" : "");
    printf(last ? "  %s" : "  %-19s", buf);
}

static void print_flatness(const result *r)
{
    const size_t K = r->fit->law.K;
    printf("\nFlatness: the range of each weight over which the objective stays within\n"
           "+0.1%% / +0.5%% of the optimum, the other weights re-optimised\n"
           "(* the range reaches a constraint's limit with the objective still inside):\n");
    printf("%-16s %7s  %-19s  %s\n", "domain", "h*", "within +0.1%", "within +0.5%");
    for (size_t i = 0; i < K; i++) {
        printf("%-16s %7.4f", r->fit->domains[i], r->h[i]);
        for (int k = 0; k < N_WITHIN; k++)
            print_range(&r->flat[k * K + i], k == N_WITHIN - 1);
        putchar('\n');
    }
}

static void print_summary(const result *r, unsigned long seed)
{
    const ms_opt_check *c = &r->res.check;
    printf("\nobjective at h* %.5f; at the uniform mixture %.5f (%+.2f%%)\n", r->res.objective,
           r->f_u, 100 * (r->f_u / r->res.objective - 1));
    if (c->ok)
        printf("optimality: verified: every constraint holds and the first-order (KKT) "
               "residual\n  %.1e is below the tolerance %.0e\n", c->residual, MS_OPT_TOL);
    else
        printf("optimality: NOT verified: %s (KKT residual %.1e, tolerance %.0e)\n",
               c->feasible ? "the first-order conditions fail" : "a constraint is violated",
               c->residual, MS_OPT_TOL);
    printf("restarts: %zu of %zu reached the same mixture (every weight within %g); seed %lu\n",
           r->res.agree, r->res.restarts, MS_OPT_AGREE, seed);
    if (r->res.agree_objective != r->res.agree)
        printf("  %zu of %zu reached the same objective (within 1e-7, relative)\n",
               r->res.agree_objective, r->res.restarts);
}

static void print_text(const result *r, unsigned long seed)
{
    char a[32], b[32];
    printf("%s at N = %s parameters, D = %s tokens: optimal mixture h*\n",
           r->fit->law.def->name, ms_size_format(r->N, a, sizeof a),
           ms_size_format(r->D, b, sizeof b));
    print_objective_line(r);
    print_constraints(r);
    putchar('\n');
    print_table(r, r->h, &r->at_h, 1, NULL);
    printf("\nThe uniform mixture (for comparison%s):\n",
           r->spec->given[1] || r->spec->given[2] || r->spec->given[3] || r->spec->given[4]
               ? "; it ignores the constraints" : "");
    print_table(r, r->u, &r->at_u, 0, &r->at_h);
    if (r->flat)
        print_flatness(r);
    print_summary(r, seed);
}

static json_t *terms_json(const ms_law *law, const ms_pred *p, size_t i)
{
    json_t *t = json_object();
    for (int k = 0; k < MS_N_TERMS; k++)
        json_object_set_new(t, law->def->term_names[k], json_real(p->term[k][i]));
    return t;
}

static json_t *domain_json(const result *r, size_t i)
{
    const ms_law *law = &r->fit->law;
    const size_t K = law->K;
    json_t *o = json_pack("{s:s, s:f, s:f, s:f, s:b, s:f}", "name", r->fit->domains[i], "h",
                          r->h[i], "lower", ms_optimize_lower(r->o)[i], "upper",
                          ms_optimize_upper(r->o)[i], "locked", ms_optimize_locked(r->o, i),
                          "loss", r->at_h.loss[i]);
    json_object_set_new(o, "terms", terms_json(law, &r->at_h, i));
    if (*bound_note(r, i))
        json_object_set_new(o, "constraint", json_string(bound_note(r, i)));
    json_object_set_new(o, "uniform_loss", json_real(r->at_u.loss[i]));
    json_object_set_new(o, "uniform_terms", terms_json(law, &r->at_u, i));
    if (r->flat) {
        json_t *fl = json_object();
        for (int k = 0; k < N_WITHIN; k++) {
            const ms_opt_range *g = &r->flat[k * K + i];
            json_object_set_new(fl, within_name[k],
                                json_pack("{s:[ff], s:[bb]}", "range", g->lo, g->hi,
                                          "at_limit", g->lo_bound, g->hi_bound));
        }
        json_object_set_new(o, "flatness", fl);
    }
    return o;
}

static json_t *result_json(const result *r, unsigned long seed)
{
    const size_t K = r->fit->law.K;
    const ms_opt_check *c = &r->res.check;
    json_t *root = json_pack("{s:s, s:f, s:f}", "law", r->fit->law.def->name, "model_size",
                             r->N, "n_tokens", r->D);
    json_object_set_new(root, "h", optjson_by_domain(r->fit, r->h));
    json_object_set_new(root, "objective", json_real(r->res.objective));
    json_object_set_new(root, "mean_loss", json_real(ms_pred_mean(&r->at_h, K)));
    if (r->spec->given[0])
        json_object_set_new(root, "weights", optjson_by_domain(r->fit, r->spec->vals));
    json_object_set_new(root, "uniform",
                        json_pack("{s:f, s:f}", "objective", r->f_u, "mean_loss",
                                  ms_pred_mean(&r->at_u, K)));
    json_t *doms = json_array();
    for (size_t i = 0; i < K; i++)
        json_array_append_new(doms, domain_json(r, i));
    json_object_set_new(root, "domains", doms);
    if (r->flat)
        json_object_set_new(root, "flatness_others", json_string("re-optimised"));
    json_object_set_new(root, "check",
                        json_pack("{s:b, s:b, s:f, s:f, s:f, s:f}", "ok", c->ok, "feasible",
                                  c->feasible, "kkt_residual", c->residual, "tolerance",
                                  MS_OPT_TOL, "multiplier", c->mu, "violation", c->violation));
    json_object_set_new(root, "restarts",
                        json_pack("{s:I, s:I, s:I, s:I, s:I}", "run", (json_int_t)r->res.restarts,
                                  "agree", (json_int_t)r->res.agree, "agree_objective",
                                  (json_int_t)r->res.agree_objective, "seed", (json_int_t)seed,
                                  "evaluations", (json_int_t)r->res.evaluations));
    return root;
}

/* Solves, predicts at h* and at the uniform mixture, and measures flatness. */
static ms_status compute(result *r, const optimize_args *a, ms_diag *d)
{
    const ms_fit *f = r->fit;
    const size_t K = f->law.K;
    ms_status st = ms_optimize_new(&f->law, f->theta, r->N, r->D, &r->spec->spec,
                                   (const char *const *)f->domains, &r->o, d);
    if (st == MS_OK)
        st = ms_optimize_run(r->o, &a->of.opts, r->h, &r->res, d);
    for (size_t i = 0; i < K; i++)
        r->u[i] = 1.0 / (double)K;
    if (st == MS_OK)
        st = ms_law_predict(&f->law, f->theta, r->h, ms_units_N(r->N), ms_units_D(r->D),
                            &r->at_h, d);
    if (st == MS_OK)
        st = ms_law_predict(&f->law, f->theta, r->u, ms_units_N(r->N), ms_units_D(r->D),
                            &r->at_u, d);
    if (st == MS_OK)
        r->f_u = objective_of(r, &r->at_u);
    if (st == MS_OK && !a->no_flat) {
        r->flat = malloc(N_WITHIN * K * sizeof *r->flat);
        st = r->flat ? ms_optimize_flatness(r->o, r->h, within, N_WITHIN, r->flat, d)
                     : ms_diag_set(d, MS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    return st;
}

static int optimize_run(const optimize_args *a)
{
    ms_diag d;
    result r;
    memset(&r, 0, sizeof r);
    ms_status st;
    if ((st = ms_size_parse(a->N_text, "--N", &r.N, &d)) != MS_OK ||
        (st = ms_size_parse(a->D_text, "--D", &r.D, &d)) != MS_OK)
        return cli_fail(st, &d);
    ms_fit *f;
    if ((st = ms_fit_read(a->params, &f, &d)) != MS_OK)
        return cli_fail(st, &d);
    optspec spec;
    int rc = optspec_build(&a->of, f, &spec);
    r.fit = f, r.spec = &spec;
    const size_t K = f->law.K;
    r.h = calloc(2 * K, sizeof *r.h);
    r.u = r.h ? r.h + K : NULL;
    if (rc == CLI_OK && (!r.h || ms_pred_alloc(&r.at_h, K) != MS_OK ||
                         ms_pred_alloc(&r.at_u, K) != MS_OK))
        rc = cli_fail(ms_diag_set(&d, MS_ENOMEM, NULL, 0, 0, "out of memory"), &d);
    if (rc == CLI_OK && (st = compute(&r, a, &d)) != MS_OK)
        rc = cli_fail(st, &d);
    if (rc == CLI_OK && !r.res.check.ok)
        cli_error("warning: the optimum did not pass its optimality check (see below)");
    if (rc == CLI_OK && a->json) {
        json_t *root = result_json(&r, a->of.opts.seed);
        json_dumpf(root, stdout, JSON_INDENT(1));
        putchar('\n');
        json_decref(root);
    } else if (rc == CLI_OK)
        print_text(&r, a->of.opts.seed);
    free(r.flat);
    ms_pred_free(&r.at_h), ms_pred_free(&r.at_u);
    free(r.h);
    ms_optimize_free(r.o);
    optspec_done(&spec);
    ms_fit_free(f);
    return rc;
}

int cli_optimize(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"params", required_argument, 0, 'p'},
        {"N", required_argument, 0, OPT_N},
        {"D", required_argument, 0, OPT_D},
        {"json", no_argument, 0, OPT_JSON},
        {"no-flatness", no_argument, 0, OPT_NO_FLAT},
        OPTFLAGS_LONGOPTS,
        CLI_STD_LONGOPTS,
        {0, 0, 0, 0},
    };
    optimize_args a;
    memset(&a, 0, sizeof a);
    optflags_init(&a.of);
    int first = 0, done = 0;
    int rc = cli_parse_args("optimize", optimize_usage, argc, argv, longopts, NULL,
                            optimize_option, &a, &first, &done);
    const char *missing = !a.params ? "--params" : !a.N_text ? "--N" : !a.D_text ? "--D" : NULL;
    if (rc == CLI_OK && !done && first != argc)
        rc = cli_usage_error("optimize", "unexpected argument \"%s\"", argv[first]);
    else if (rc == CLI_OK && !done && missing)
        rc = cli_usage_error("optimize", "%s is required", missing);
    else if (rc == CLI_OK && !done)
        rc = optimize_run(&a);
    optflags_done(&a.of);
    return rc;
}
