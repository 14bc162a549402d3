/* mixscope predict — a fitted law's per-domain losses at one mixture and
 * scale, with their decomposition. */
#include "cli/cli.h"
#include "cli/report.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mixscope/fitfile.h"
#include "mixscope/mix.h"
#include "mixscope/units.h"

static const char predict_usage[] =
    "Usage: mixscope predict --params FIT.json --mix MIX --N SIZE --D SIZE [OPTIONS]\n"
    "Predict each domain's loss for a mixture at model size N and token budget D,\n"
    "split into the law's three terms (capnoise: capacity, noise, irreducible),\n"
    "with the capacity allocation x* and the mean loss.\n"
    "\n"
    "  -p, --params FIT.json  fitted law (mixscope fit, or published parameters)\n"
    "  -m, --mix MIX          mixture: domain=weight,... (every domain), or uniform\n"
    "      --rest             unlisted domains share what the listed ones leave\n"
    "      --N SIZE           model size in parameters: 1.3B, 200M, 7e9\n"
    "      --D SIZE           training tokens: 30B, 1.5T, 3e10\n"
    "      --json             print JSON (top-level mean_loss and domains array)\n"
    "  -h, --help             show this help\n"
    "  -V, --version          show the version\n";

typedef struct {
    const char *params, *mix;
    const char *N_text, *D_text;
    int rest, json;
} predict_args;

enum { OPT_N = CLI_OPT_FIRST_FREE, OPT_D, OPT_REST, OPT_JSON };

static int predict_option(void *ctx, int opt, const char *arg)
{
    predict_args *a = ctx;
    switch (opt) {
    case 'p': a->params = arg; break;
    case 'm': a->mix = arg; break;
    case OPT_N: a->N_text = arg; break;
    case OPT_D: a->D_text = arg; break;
    case OPT_REST: a->rest = 1; break;
    case OPT_JSON: a->json = 1; break;
    default: return cli_usage_error("predict", "unknown option");
    }
    return CLI_OK;
}

/* Bootstrap intervals of each domain's loss and of the mean: lo[K+1],
 * hi[K+1] (the mean last). Returns 0 when the fit has no samples. */
static int intervals(const ms_fit *f, const double *h, double N, double D, double *lo,
                     double *hi)
{
    const size_t K = f->law.K, P = f->law.n_params;
    size_t B;
    double *boot = report_get_bootstrap(f, &B);
    double *val = boot ? malloc(B * (K + 1) * sizeof *val) : NULL;
    ms_pred p = {0};
    int ok = val && ms_pred_alloc(&p, K) == MS_OK;
    for (size_t b = 0; ok && b < B; b++) {
        int good = ms_law_predict(&f->law, boot + b * P, h, ms_units_N(N), ms_units_D(D), &p,
                                  NULL) == MS_OK;
        for (size_t i = 0; i < K; i++)
            val[b * (K + 1) + i] = good ? p.loss[i] : NAN;
        val[b * (K + 1) + K] = good ? ms_pred_mean(&p, K) : NAN;
    }
    for (size_t i = 0; ok && i <= K; i++) {
        lo[i] = ms_percentile(val + i, B, K + 1, 0.025);
        hi[i] = ms_percentile(val + i, B, K + 1, 0.975);
    }
    ms_pred_free(&p);
    free(val);
    free(boot);
    return ok;
}

static void print_text(const ms_fit *f, const double *h, double N, double D,
                       const ms_pred *p, const double *lo, const double *hi)
{
    const ms_law *law = &f->law;
    char a[32], b[32];
    printf("%s at N = %s parameters, D = %s tokens\n", law->def->name,
           ms_size_format(N, a, sizeof a), ms_size_format(D, b, sizeof b));
    printf("%-16s %7s %9s", "domain", "h", "loss");
    for (int t = 0; t < MS_N_TERMS; t++)
        printf(" %11s", law->def->term_names[t]);
    if (law->def->has_allocation)
        printf(" %10s %6s", "x* (M)", "x*/C");
    if (lo)
        printf("  95%% bootstrap interval");
    putchar('\n');
    for (size_t i = 0; i < law->K; i++) {
        printf("%-16s %7.4f %9.5f", f->domains[i], h[i], p->loss[i]);
        for (int t = 0; t < MS_N_TERMS; t++)
            printf(" %11.5f", p->term[t][i]);
        if (law->def->has_allocation)
            printf(" %10.3f %5.1f%%", p->x[i], 100 * p->x[i] / p->capacity);
        if (lo)
            printf("  [%.5f, %.5f]", lo[i], hi[i]);
        putchar('\n');
    }
    printf("%-16s %7s %9.5f", "mean", "", ms_pred_mean(p, law->K));
    if (lo)
        printf("%*s[%.5f, %.5f]", 12 * MS_N_TERMS + (law->def->has_allocation ? 20 : 0), "",
               lo[law->K], hi[law->K]);
    putchar('\n');
    if (law->def->has_allocation)
        printf("total capacity C = N + (K-1)H = %.3f M\n", p->capacity);
}

static json_t *interval_json(const double *lo, const double *hi, size_t i)
{
    return json_pack("[ff]", lo[i], hi[i]);
}

static json_t *predict_json(const ms_fit *f, const double *h, double N,
                            double D, const ms_pred *p, const double *lo, const double *hi)
{
    const ms_law *law = &f->law;
    json_t *root = json_object(), *doms = json_array();
    json_object_set_new(root, "law", json_string(law->def->name));
    json_object_set_new(root, "model_size", json_real(N));
    json_object_set_new(root, "n_tokens", json_real(D));
    json_object_set_new(root, "mean_loss", json_real(ms_pred_mean(p, law->K)));
    if (lo)
        json_object_set_new(root, "mean_loss_interval", interval_json(lo, hi, law->K));
    if (law->def->has_allocation)
        json_object_set_new(root, "capacity", json_real(p->capacity));
    for (size_t i = 0; i < law->K; i++) {
        json_t *o = json_object(), *terms = json_object();
        json_object_set_new(o, "name", json_string(f->domains[i]));
        json_object_set_new(o, "h", json_real(h[i]));
        json_object_set_new(o, "loss", json_real(p->loss[i]));
        if (lo)
            json_object_set_new(o, "loss_interval", interval_json(lo, hi, i));
        for (int t = 0; t < MS_N_TERMS; t++)
            json_object_set_new(terms, law->def->term_names[t], json_real(p->term[t][i]));
        json_object_set_new(o, "terms", terms);
        if (law->def->has_allocation)
            json_object_set_new(o, "x", json_real(p->x[i]));
        json_array_append_new(doms, o);
    }
    json_object_set_new(root, "domains", doms);
    return root;
}

/* A fit records the (N, D) range it was fitted on; say so when a
 * prediction leaves it by more than a factor of two. */
static void warn_range(const ms_fit *f, double N, double D)
{
    const json_t *range = json_object_get(json_object_get(f->meta, "fit"), "range");
    static const char *const keys[2] = {"model_size", "n_tokens"};
    static const char *const what[2] = {"model size N", "token budget D"};
    double v[2] = {N, D};
    for (int k = 0; k < 2; k++) {
        const json_t *r = json_object_get(range, keys[k]);
        double lo = json_number_value(json_array_get(r, 0));
        double hi = json_number_value(json_array_get(r, 1));
        char a[32], b[32], c[32];
        if (!json_is_array(r) || !(lo > 0 && hi > 0))
            continue;
        if (v[k] > 2 * hi || v[k] < lo / 2)
            fprintf(stderr, "mixscope: warning: %s = %s is outside the fitted range %s..%s "
                            "(%.1fx); this is an extrapolation\n",
                    what[k], ms_size_format(v[k], a, sizeof a), ms_size_format(lo, b, sizeof b),
                    ms_size_format(hi, c, sizeof c), v[k] > hi ? v[k] / hi : lo / v[k]);
    }
}

static int predict_run(const predict_args *a)
{
    ms_diag d;
    double N, D;
    ms_status st;
    if ((st = ms_size_parse(a->N_text, "--N", &N, &d)) != MS_OK ||
        (st = ms_size_parse(a->D_text, "--D", &D, &d)) != MS_OK)
        return cli_fail(st, &d);
    ms_fit *f;
    if ((st = ms_fit_read(a->params, &f, &d)) != MS_OK)
        return cli_fail(st, &d);
    const ms_law *law = &f->law;
    double *h = calloc(law->K, sizeof *h);
    ms_pred p = {0};
    int rc = CLI_OK;
    if (!h || ms_pred_alloc(&p, law->K) != MS_OK)
        st = ms_diag_set(&d, MS_ENOMEM, NULL, 0, 0, "out of memory");
    else
        st = ms_mix_parse(a->mix, (const char *const *)f->domains, law->K, a->rest,
                          "--mix", h, &d);
    if (st == MS_OK)
        st = ms_law_predict(law, f->theta, h, ms_units_N(N), ms_units_D(D), &p, &d);
    if (st == MS_OK)
        warn_range(f, N, D);
    double *lo = calloc(2 * (law->K + 1), sizeof *lo), *hi = lo ? lo + law->K + 1 : NULL;
    if (st == MS_OK && !(lo && intervals(f, h, N, D, lo, hi))) {
        free(lo);
        lo = hi = NULL;
    }
    if (st != MS_OK)
        rc = cli_fail(st, &d);
    else if (a->json) {
        json_t *root = predict_json(f, h, N, D, &p, lo, hi);
        json_dumpf(root, stdout, JSON_INDENT(1));
        putchar('\n');
        json_decref(root);
    } else
        print_text(f, h, N, D, &p, lo, hi);
    free(lo);
    ms_pred_free(&p);
    free(h);
    ms_fit_free(f);
    return rc;
}

int cli_predict(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"params", required_argument, 0, 'p'},
        {"mix", required_argument, 0, 'm'},
        {"N", required_argument, 0, OPT_N},
        {"D", required_argument, 0, OPT_D},
        {"rest", no_argument, 0, OPT_REST},
        {"json", no_argument, 0, OPT_JSON},
        CLI_STD_LONGOPTS,
        {0, 0, 0, 0},
    };
    predict_args a = {0};
    int first = 0, done = 0;
    int rc = cli_parse_args("predict", predict_usage, argc, argv, longopts, NULL,
                            predict_option, &a, &first, &done);
    if (rc != CLI_OK || done)
        return rc;
    if (first != argc)
        return cli_usage_error("predict", "unexpected argument \"%s\"", argv[first]);
    const char *missing = !a.params ? "--params" : !a.mix ? "--mix"
                          : !a.N_text ? "--N" : !a.D_text ? "--D" : NULL;
    if (missing)
        return cli_usage_error("predict", "%s is required", missing);
    return predict_run(&a);
}
