/* mixscope explain — where a fit's predicted loss changes come from, and
 * whether capacity competition shows in the law and in the sweep. */
#include "cli/cli.h"
#include "cli/fitopts.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mixscope/explain.h"
#include "mixscope/fitfile.h"
#include "mixscope/grid.h"
#include "mixscope/metrics.h"
#include "mixscope/mix.h"
#include "mixscope/units.h"

static const char explain_usage[] =
    "Usage: mixscope explain --params FIT.json [OPTIONS] SWEEP.csv\n"
    "Explain a fit's mechanisms: (1) each domain's predicted loss change between\n"
    "two scales split into model size, capacity competition, noise and\n"
    "irreducible parts; (2) whether raising one weight by 0.05 raises the other\n"
    "domains' losses through competition in the law (and with competition off);\n"
    "(3) the same in the data: pairs of runs at the same scale whose mixtures\n"
    "differ mainly in one weight, the other domains' observed loss change minus\n"
    "the fit's noise-term change (the fit's noise term is assumed right). Ends\n"
    "with a one-line verdict for the law and for the data.\n"
    "\n"
    "  -p, --params FIT.json  the fit (domains must match the sweep's, by name)\n"
    "      --from N,D         start of the decomposition (default: the sweep's\n"
    "                         smallest grid point), e.g. 122M,2B\n"
    "      --to N,D           end of the decomposition (default: the largest)\n"
    "  -m, --mix MIX          mixture: domain=weight,... or uniform (default)\n"
    "      --to-mix MIX       mixture at --to (default: --mix), to see competition\n"
    "                         in the decomposition\n"
    "      --rest             unlisted domains share what the listed ones leave\n"
    "      --at N,D           scale of the law's competition test (default: the\n"
    "                         largest grid point); at --mix\n"
    "      --mask H           data test: other domains need weight >= H (0.1)\n"
    "      --noise-params FIT.json\n"
    "                         data test: subtract this fit's noise term instead\n"
    "                         (a separable fit: unbiased when there is no\n"
    "                         competition; a capnoise fit's noise term is not)\n"
    "      --json             print JSON: decomposition, law_competition,\n"
    "                         data_competition (each with its figures and verdict)\n"
    CLI_SWEEP_HELP
    "  -h, --help             show this help\n"
    "  -V, --version          show the version\n";

enum { OPT_FROM = CLI_OPT_FIRST_FREE, OPT_TO, OPT_TO_MIX, OPT_REST, OPT_AT, OPT_NOISE, OPT_JSON };

typedef struct {
    double N, D; /* raw counts */
    int given;
} scale_arg;

typedef struct {
    const char *params, *noise_params, *mix, *to_mix;
    scale_arg from, to, at;
    double mask;
    int rest, json;
} explain_args;

static int parse_scale(const char *flag, const char *arg, scale_arg *s)
{
    char buf[128];
    const char *comma = strchr(arg, ',');
    ms_diag d;
    if (!comma || (size_t)(comma - arg) >= sizeof buf)
        return cli_usage_error("explain", "%s: expected N,D like 122M,10B, got \"%s\"", flag, arg);
    memcpy(buf, arg, (size_t)(comma - arg));
    buf[comma - arg] = 0;
    if (ms_size_parse(buf, flag, &s->N, &d) != MS_OK ||
        ms_size_parse(comma + 1, flag, &s->D, &d) != MS_OK)
        return cli_usage_error("explain", "%s", d.msg);
    s->given = 1;
    return CLI_OK;
}

static int explain_option(void *ctx, int opt, const char *arg)
{
    explain_args *a = ctx;
    switch (opt) {
    case 'p': a->params = arg; return CLI_OK;
    case 'm': a->mix = arg; return CLI_OK;
    case OPT_TO_MIX: a->to_mix = arg; return CLI_OK;
    case OPT_REST: a->rest = 1; return CLI_OK;
    case OPT_NOISE: a->noise_params = arg; return CLI_OK;
    case OPT_FROM: return parse_scale("--from", arg, &a->from);
    case OPT_TO: return parse_scale("--to", arg, &a->to);
    case OPT_AT: return parse_scale("--at", arg, &a->at);
    case OPT_JSON: a->json = 1; return CLI_OK;
    case FO_MASK: {
        fitopts fo;
        fitopts_init(&fo);
        if (fitopts_option(&fo, "explain", opt, arg) < 0)
            return CLI_EUSAGE;
        a->mask = fo.fit.mask;
        return CLI_OK;
    }
    }
    return cli_usage_error("explain", "unknown option");
}

/* Everything one run of the command computes. */
typedef struct {
    const ms_fit *f;
    const ms_sweep *s;
    ms_fit *noise;       /* --noise-params, or NULL */
    double *noise_theta; /* its parameters in f's domain order */
    double *h_from, *h_to;
    scale_arg from, to, at;
    double mask;
    ms_explain_decomp dec;
    ms_explain_law law;
    ms_explain_data data;
} explain_out;

/* " %+W.Pf" (sign if `sign`), or n/a in the same width when v is not
 * finite (a part or a figure that does not apply). */
static void put(double v, int w, int prec, int sign)
{
    if (isfinite(v))
        printf(sign ? " %+*.*f" : " %*.*f", w, prec, v);
    else
        printf(" %*s", w, "n/a");
}

static const char *fmt_scale(const scale_arg *s, char *buf, size_t len)
{
    char a[32], b[32];
    snprintf(buf, len, "N = %s, D = %s", ms_size_format(s->N, a, sizeof a),
             ms_size_format(s->D, b, sizeof b));
    return buf;
}

static void print_decomp(const explain_out *o)
{
    const ms_explain_decomp *x = &o->dec;
    char a[64], b[64];
    printf("Where the predicted loss change comes from: %s -> %s", fmt_scale(&o->from, a, sizeof a),
           fmt_scale(&o->to, b, sizeof b));
    printf(memcmp(o->h_from, o->h_to, x->K * sizeof *o->h_to) ? ", mixture --mix -> --to-mix\n"
                                                               : ", fixed mixture\n");
    printf("%-16s %8s %8s %9s |", "domain", "from", "to", "change");
    for (int k = 0; k < MS_N_PARTS; k++)
        printf(" %12s", x->part_name[k]);
    putchar('\n');
    for (size_t i = 0; i <= x->K; i++) {
        int mean = i == x->K;
        const double *pp = mean ? x->mean_part : x->part + i * MS_N_PARTS;
        if (mean)
            printf("%-16s %8s %8s %+9.5f |", "mean", "", "", x->mean_total);
        else
            printf("%-16s %8.5f %8.5f %+9.5f |", o->f->domains[i], x->loss_a[i], x->loss_b[i],
                   x->total[i]);
        for (int k = 0; k < MS_N_PARTS; k++)
            put(x->part_applies[k] ? pp[k] : NAN, 12, 5, 1);
        putchar('\n');
    }
}

static void print_law(const explain_out *o)
{
    const ms_explain_law *x = &o->law;
    char a[64];
    printf("\nCompetition in the law at %s: raise one weight by %.2f, the others rescaled\n",
           fmt_scale(&o->at, a, sizeof a), MS_EXPLAIN_STEP);
    if (!x->applicable)
        printf("(%s has no capacity allocation: the other domains' losses change only "
               "through their own data)\n", o->f->law.def->name);
    printf("%-16s %6s | %22s | %22s\n", "", "", "the other domains", "competition off");
    const char *t0 = o->f->law.def->term_names[0];
    printf("%-16s %6s | %11.11s %10s | %11.11s %10s\n", "raised", "step", t0, "loss", t0, "loss");
    for (size_t j = 0; j <= x->K; j++) {
        int mean = j == x->K;
        printf("%-16s", mean ? "mean" : o->f->domains[j]);
        if (mean)
            printf(" %6s", "");
        else
            put(x->step[j], 6, 3, 0);
        printf(" |");
        put(100 * (mean ? x->mean_cap_rel : x->cap_rel[j]), 10, 3, 1);
        printf("%%");
        put(mean ? x->mean_loss : x->loss[j], 10, 5, 1);
        printf(" |");
        put(100 * (mean ? x->mean_cap_rel_off : x->cap_rel_off[j]), 10, 3, 1);
        printf("%%");
        put(mean ? x->mean_loss_off : x->loss_off[j], 10, 5, 1);
        putchar('\n');
    }
    printf("competition's part of the other domains' loss change: %+.5f (%+.3f%% of the mean "
           "loss %.4f)\n", x->effect, 100 * x->rel_effect, x->base_loss);
}

static void print_stat_row(const char *name, const ms_explain_stat *st)
{
    printf("%-16s %8zu %9zu", name, st->n_pairs, st->n_cells);
    put(st->mean_excess, 10, 5, 1);
    put(st->se, 9, 5, 0);
    put(st->t, 7, 2, 0);
    put(st->mean_capacity, 12, 5, 1);
    putchar('\n');
}

static void print_data(const explain_out *o)
{
    const ms_explain_data *x = &o->data;
    const ms_law_def *nl = o->noise ? o->noise->law.def : o->f->law.def;
    printf("\nCompetition in the data: pairs of runs at the same scale whose mixtures differ "
           "mainly in one weight (by >= %.2f);\n", MS_EXPLAIN_STEP);
    if (!x->applicable) {
        printf("not applicable: %s has no noise term to tell a domain's own fewer tokens from "
               "competition (try --noise-params)\n", nl->name);
        return;
    }
    printf("the other domains with weight >= %g in both runs; excess = observed loss change - "
           "the %s fit's noise-term change\n", o->mask, nl->name);
    printf("%-16s %8s %9s %10s %9s %7s %12s\n", "raised", "pairs", "cells", "excess", "s.e.",
           "t", "law capacity");
    for (size_t j = 0; j < x->K; j++)
        print_stat_row(o->f->domains[j], &x->by_domain[j]);
    print_stat_row("all", &x->all);
    printf("%zu of %zu runs examined; the test assumes that noise term is right (a wrong one "
           "shows up as excess)\n", x->n_runs_used, x->n_runs);
    if (nl->has_allocation)
        printf("Caution: a law with competition can move loss between its capacity and noise "
               "terms; fitted to a sweep\nsimulated without competition, its noise term makes "
               "this test find competition anyway. For a\ntest without that bias, pass "
               "--noise-params with a separable fit of this sweep.\n");
}

static void print_verdict(const explain_out *o)
{
    const ms_explain_law *l = &o->law;
    const ms_explain_data *x = &o->data;
    printf("\nDoes this sweep show capacity competition? The law: %s", ms_verdict_name(l->verdict));
    if (l->applicable)
        printf(" (%+.3f%% of the loss per %.2f step)", 100 * l->rel_effect, MS_EXPLAIN_STEP);
    printf("; the data: %s", ms_verdict_name(x->verdict));
    if (x->applicable)
        printf(" (excess %+.5f +- %.5f, t = %.2f over %zu pairs)", x->all.mean_excess, x->all.se,
               x->all.t, x->all.n_pairs);
    printf(".\n");
    if (x->applicable && x->all.t <= -MS_EXPLAIN_T_PRESENT)
        printf("Note: the other domains' losses rose clearly less than that noise term "
               "says they should: transfer between domains, or a noise term that is too "
               "steep; either way, no sign of competition.\n");
}

static json_t *jnum(double v) { return isfinite(v) ? json_real(v) : json_null(); }

static json_t *point_json(const explain_out *o, const scale_arg *s, const double *h)
{
    json_t *mix = json_object();
    for (size_t i = 0; i < o->f->law.K; i++)
        json_object_set_new(mix, o->f->domains[i], json_real(h[i]));
    return json_pack("{s:f,s:f,s:o}", "model_size", s->N, "n_tokens", s->D, "mix", mix);
}

/* JSON key of a part name: "model size" -> "model_size". */
static json_t *parts_json(const ms_explain_decomp *x, const double *pp, json_t *o)
{
    for (int k = 0; k < MS_N_PARTS; k++) {
        char key[40];
        snprintf(key, sizeof key, "%s", x->part_name[k]);
        for (char *c = key; *c; c++)
            *c = *c == ' ' ? '_' : *c;
        json_object_set_new(o, key, x->part_applies[k] ? jnum(pp[k]) : json_null());
    }
    return o;
}

static json_t *decomp_json(const explain_out *o)
{
    const ms_explain_decomp *x = &o->dec;
    json_t *doms = json_array();
    for (size_t i = 0; i < x->K; i++)
        json_array_append_new(doms, parts_json(x, x->part + i * MS_N_PARTS,
                                               json_pack("{s:s,s:o,s:o,s:o}", "name",
                                                         o->f->domains[i], "loss_from",
                                                         jnum(x->loss_a[i]), "loss_to",
                                                         jnum(x->loss_b[i]), "change",
                                                         jnum(x->total[i]))));
    return json_pack("{s:o,s:o,s:o,s:o}", "from", point_json(o, &o->from, o->h_from), "to",
                     point_json(o, &o->to, o->h_to), "domains", doms, "mean",
                     parts_json(x, x->mean_part, json_pack("{s:o}", "change",
                                                           jnum(x->mean_total))));
}

static json_t *law_json(const explain_out *o)
{
    const ms_explain_law *x = &o->law;
    json_t *doms = json_array();
    for (size_t j = 0; j < x->K; j++)
        json_array_append_new(doms, json_pack("{s:s,s:o,s:o,s:o,s:o,s:o}", "raised",
                                               o->f->domains[j], "step", jnum(x->step[j]),
                                               "capacity_change", jnum(x->cap_rel[j]),
                                               "loss_change", jnum(x->loss[j]),
                                               "capacity_change_off", jnum(x->cap_rel_off[j]),
                                               "loss_change_off", jnum(x->loss_off[j])));
    return json_pack("{s:b,s:o,s:f,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:s}", "applicable",
                     x->applicable, "at", point_json(o, &o->at, o->h_from), "step",
                     MS_EXPLAIN_STEP, "domains", doms, "capacity_change", jnum(x->mean_cap_rel),
                     "loss_change", jnum(x->mean_loss), "capacity_change_off",
                     jnum(x->mean_cap_rel_off), "loss_change_off", jnum(x->mean_loss_off),
                     "effect", jnum(x->effect), "relative_effect", jnum(x->rel_effect),
                     "base_loss", jnum(x->base_loss), "verdict", ms_verdict_name(x->verdict));
}

static json_t *stat_json(const ms_explain_stat *s, json_t *o)
{
    json_t *v = json_pack("{s:I,s:I,s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "pairs",
                          (json_int_t)s->n_pairs, "comparisons", (json_int_t)s->n_comparisons,
                          "cells", (json_int_t)s->n_cells, "mean_excess", jnum(s->mean_excess),
                          "se", jnum(s->se), "se_independent_pairs", jnum(s->se_independent),
                          "t", jnum(s->t), "mean_observed_change",
                          jnum(s->mean_obs), "mean_noise_change", jnum(s->mean_noise),
                          "law_capacity_change", jnum(s->mean_capacity));
    json_object_update(o, v);
    json_decref(v);
    return o;
}

static json_t *data_json(const explain_out *o)
{
    const ms_explain_data *x = &o->data;
    json_t *doms = json_array();
    for (size_t j = 0; j < x->K; j++)
        json_array_append_new(doms, stat_json(&x->by_domain[j],
                                              json_pack("{s:s}", "raised", o->f->domains[j])));
    return stat_json(&x->all,
                     json_pack("{s:b,s:s,s:f,s:f,s:I,s:I,s:o,s:s}", "applicable",
                               x->applicable, "noise_law",
                               (o->noise ? o->noise : o->f)->law.def->name, "mask", o->mask, "min_step", MS_EXPLAIN_STEP, "runs",
                               (json_int_t)x->n_runs, "runs_examined",
                               (json_int_t)x->n_runs_used, "domains", doms, "verdict",
                               ms_verdict_name(x->verdict)));
}

static void print_json(const explain_out *o)
{
    json_t *root = json_pack("{s:s,s:o,s:o,s:o,s:{s:s,s:s}}", "law", o->f->law.def->name,
                             "decomposition", decomp_json(o), "law_competition", law_json(o),
                             "data_competition", data_json(o), "verdict", "law",
                             ms_verdict_name(o->law.verdict), "data",
                             ms_verdict_name(o->data.verdict));
    json_dumpf(root, stdout, JSON_INDENT(1));
    putchar('\n');
    json_decref(root);
}

/* Defaults from the sweep's grid, the mixtures from the fit's domains. */
static ms_status setup(explain_out *o, const explain_args *a, ms_diag *d)
{
    const size_t K = o->f->law.K;
    ms_grid g;
    ms_status st = ms_grid_build(o->s, &g, d);
    if (st != MS_OK)
        return st;
    const ms_grid_point *lo = &g.points[0], *hi = &g.points[g.n_points - 1];
    o->from = a->from.given ? a->from : (scale_arg){lo->model_size, lo->n_tokens, 0};
    o->to = a->to.given ? a->to : (scale_arg){hi->model_size, hi->n_tokens, 0};
    o->at = a->at.given ? a->at : (scale_arg){hi->model_size, hi->n_tokens, 0};
    ms_grid_done(&g);
    const char *const *names = (const char *const *)o->f->domains;
    st = ms_mix_parse(a->mix ? a->mix : "uniform", names, K, a->rest, "--mix", o->h_from, d);
    if (st == MS_OK)
        st = ms_mix_parse(a->to_mix ? a->to_mix : a->mix ? a->mix : "uniform", names, K, a->rest,
                          a->to_mix ? "--to-mix" : "--mix", o->h_to, d);
    return st;
}

/* The parameters of fit `src` in the domain order of `f` (domains are
 * matched by name), a new array; NULL with `d` when they differ. */
static double *theta_in_order(const ms_fit *src, const ms_fit *f, const char *path, ms_diag *d)
{
    const size_t K = f->law.K;
    size_t *map = malloc(K * sizeof *map);
    double *th = malloc(src->law.n_params * sizeof *th);
    if (!map || !th) {
        ms_diag_set(d, MS_ENOMEM, NULL, 0, 0, "out of memory");
        free(map), free(th);
        return NULL;
    }
    for (size_t k = 0; th && k < K; k++) {
        long m = src->law.K == K ? ms_fit_domain_index(src, f->domains[k]) : -1;
        if (m < 0) {
            ms_diag_set(d, MS_EINPUT, path, 0, 0, "domain \"%s\" of %s is not a domain of this fit",
                        f->domains[k], "--params");
            free(th), th = NULL;
        } else
            map[k] = (size_t)m;
    }
    for (size_t g = 0; th && g < src->law.def->n_groups; g++) {
        const ms_param_group *pg = &src->law.def->groups[g];
        double *dst = th + ms_law_group_offset(&src->law, g);
        const double *from = src->theta + ms_law_group_offset(&src->law, g);
        for (size_t k = 0; k < ms_law_group_size(pg, K); k++)
            dst[k] = pg->shape == MS_SHAPE_SCALAR   ? from[k]
                     : pg->shape == MS_SHAPE_DOMAIN ? from[map[k]]
                                                    : from[map[k / K] * K + map[k % K]];
    }
    free(map);
    return th;
}

/* --noise-params: read it and put its parameters in the fit's order. */
static ms_status noise_model(explain_out *o, const char *path, ms_explain_data_opts *dopts,
                             ms_diag *d)
{
    ms_status st = ms_fit_read(path, &o->noise, d);
    if (st != MS_OK)
        return st;
    if (!(o->noise_theta = theta_in_order(o->noise, o->f, path, d)))
        return strstr(d->msg, "out of memory") ? MS_ENOMEM : MS_EINPUT;
    dopts->noise_law = &o->noise->law;
    dopts->noise_theta = o->noise_theta;
    return MS_OK;
}

static ms_status compute(explain_out *o, const explain_args *a, ms_diag *d)
{
    const ms_law *law = &o->f->law;
    const double *th = o->f->theta;
    ms_problem *p = NULL;
    ms_status st = ms_problem_build(o->s, (const char *const *)o->f->domains, law->K, NULL,
                                    MS_CKPT_ALL, &p, d);
    if (st == MS_OK)
        st = setup(o, a, d);
    ms_explain_point pa = {o->h_from, ms_units_N(o->from.N), ms_units_D(o->from.D)};
    ms_explain_point pb = {o->h_to, ms_units_N(o->to.N), ms_units_D(o->to.D)};
    if (st == MS_OK)
        st = ms_explain_decompose(law, th, &pa, &pb, &o->dec, d);
    if (st == MS_OK)
        st = ms_explain_law_competition(law, th, o->h_from, ms_units_N(o->at.N),
                                        ms_units_D(o->at.D), &o->law, d);
    ms_explain_data_opts dopts;
    ms_explain_data_opts_init(&dopts);
    dopts.mask = o->mask = a->mask;
    if (st == MS_OK && a->noise_params)
        st = noise_model(o, a->noise_params, &dopts, d);
    if (st == MS_OK)
        st = ms_explain_data_competition(law, th, p, &dopts, &o->data, d);
    ms_problem_free(p);
    return st;
}

static int explain_run(const explain_args *a, const ms_sweep *s)
{
    ms_diag d;
    ms_fit *f;
    ms_status st = ms_fit_read(a->params, &f, &d);
    if (st != MS_OK)
        return cli_fail(st, &d);
    explain_out o;
    memset(&o, 0, sizeof o);
    o.f = f, o.s = s;
    o.h_from = calloc(2 * f->law.K, sizeof *o.h_from);
    o.h_to = o.h_from ? o.h_from + f->law.K : NULL;
    st = o.h_from ? compute(&o, a, &d) : ms_diag_set(&d, MS_ENOMEM, NULL, 0, 0, "out of memory");
    int rc = st == MS_OK ? CLI_OK : cli_fail(st, &d);
    if (st == MS_OK && a->json)
        print_json(&o);
    else if (st == MS_OK) {
        printf("%s fit %s explained on %s (%zu rows)\n\n", f->law.def->name, a->params, s->path,
               s->n);
        print_decomp(&o);
        print_law(&o);
        print_data(&o);
        print_verdict(&o);
    }
    ms_explain_decomp_done(&o.dec);
    ms_explain_law_done(&o.law);
    ms_explain_data_done(&o.data);
    free(o.h_from);
    free(o.noise_theta);
    ms_fit_free(o.noise);
    ms_fit_free(f);
    return rc;
}

int cli_explain(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"params", required_argument, 0, 'p'},
        {"mix", required_argument, 0, 'm'},
        {"to-mix", required_argument, 0, OPT_TO_MIX},
        {"rest", no_argument, 0, OPT_REST},
        {"noise-params", required_argument, 0, OPT_NOISE},
        {"from", required_argument, 0, OPT_FROM},
        {"to", required_argument, 0, OPT_TO},
        {"at", required_argument, 0, OPT_AT},
        {"mask", required_argument, 0, FO_MASK},
        {"json", no_argument, 0, OPT_JSON},
        CLI_STD_LONGOPTS,
        CLI_SWEEP_LONGOPTS,
        {0, 0, 0, 0},
    };
    explain_args a;
    memset(&a, 0, sizeof a);
    a.mask = MS_MASK_DEFAULT;
    cli_sweep_flags sf;
    cli_sweep_flags_init(&sf);
    int first = 0, done = 0;
    int rc = cli_parse_args("explain", explain_usage, argc, argv, longopts, &sf, explain_option,
                            &a, &first, &done);
    if (rc == CLI_OK && !done && !a.params)
        rc = cli_usage_error("explain", "--params is required");
    if (rc == CLI_OK && !done && first != argc - 1)
        rc = cli_usage_error("explain", "expected one SWEEP.csv argument");
    ms_sweep *s = NULL;
    if (rc == CLI_OK && !done)
        rc = cli_load_sweep(argv[first], &sf, &s);
    if (s)
        rc = explain_run(&a, s);
    ms_sweep_free(s);
    cli_sweep_flags_done(&sf);
    return rc;
}
