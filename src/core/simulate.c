#include "mixscope/simulate.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mixscope/units.h"

void ms_sim_opts_init(ms_sim_opts *o)
{
    memset(o, 0, sizeof *o);
    o->n_mixtures = 40;
    o->concentration = 1;
    o->noise = 0.005;
    o->seed = 1;
}

/* A CSV header cell, quoted when the name needs it. */
static void put_name(FILE *out, const char *prefix, const char *name,
                     const char *suffix)
{
    if (!strpbrk(name, ",\"\r\n")) {
        fprintf(out, "%s%s%s", prefix, name, suffix);
        return;
    }
    fprintf(out, "\"%s", prefix);
    for (const char *p = name; *p; p++)
        fprintf(out, *p == '"' ? "\"\"" : "%c", *p);
    fprintf(out, "%s\"", suffix);
}

static void put_header(FILE *out, const ms_fit *t, const ms_sim_opts *o)
{
    size_t K = t->law.K;
    for (size_t i = 0; i < K; i++) {
        put_name(out, "weight_", t->domains[i], "");
        fputc(',', out);
    }
    fputs("model_size,n_tokens", out);
    for (size_t i = 0; i < K; i++) {
        fputc(',', out);
        put_name(out, "", t->domains[i], "_loss");
    }
    if (o->eval_domain) {
        fputc(',', out);
        put_name(out, "", o->eval_domain, "_loss");
    }
    fputc('\n', out);
}

static ms_status check_opts(const ms_fit *t, const ms_sim_opts *o, ms_diag *d)
{
    size_t K = t->law.K;
    if (!o->n_mixtures || !o->n_sizes || !o->n_tokens)
        return ms_diag_set(d, MS_EINPUT, NULL, 0, 0,
                           "simulate needs at least one mixture, model size and token budget");
    if (!(o->concentration > 0 && isfinite(o->concentration)))
        return ms_diag_set(d, MS_EINPUT, NULL, 0, 0, "concentration must be > 0");
    if (!(o->min_weight >= 0 && o->min_weight * (double)K < 1))
        return ms_diag_set(d, MS_EINPUT, NULL, 0, 0,
                           "minimum weight %g is impossible for %zu domains (needs K x min < 1)",
                           o->min_weight, K);
    if (!(o->noise >= 0 && o->noise < 0.5))
        return ms_diag_set(d, MS_EINPUT, NULL, 0, 0, "noise must be in [0, 0.5)");
    for (size_t k = 0; k < o->n_sizes; k++)
        if (!(o->sizes[k] > 0 && isfinite(o->sizes[k])))
            return ms_diag_set(d, MS_EINPUT, NULL, 0, 0, "model sizes must be > 0");
    for (size_t k = 0; k < o->n_tokens; k++)
        if (!(o->tokens[k] > 0 && isfinite(o->tokens[k])))
            return ms_diag_set(d, MS_EINPUT, NULL, 0, 0, "token budgets must be > 0");
    return MS_OK;
}

static void draw_mixture(gsl_rng *r, size_t m, const ms_sim_opts *o, size_t K,
                         double *alpha, double *g, double *h)
{
    if (o->mixes) {
        memcpy(h, o->mixes + m * K, K * sizeof *h);
        return;
    }
    if (m == 0) {
        for (size_t i = 0; i < K; i++)
            g[i] = 1.0 / (double)K;
    } else {
        for (size_t i = 0; i < K; i++)
            alpha[i] = o->concentration;
        gsl_ran_dirichlet(r, K, alpha, g);
    }
    for (size_t i = 0; i < K; i++)
        h[i] = o->min_weight + (1 - (double)K * o->min_weight) * g[i];
}

static ms_status put_rows(FILE *out, const ms_fit *t, const ms_sim_opts *o,
                          gsl_rng *r, double *buf, ms_pred *p, ms_diag *d)
{
    size_t K = t->law.K;
    double *alpha = buf, *g = buf + K, *h = buf + 2 * K, *work = buf + 3 * K;
    for (size_t m = 0; m < o->n_mixtures; m++) {
        draw_mixture(r, m, o, K, alpha, g, h);
        for (size_t s = 0; s < o->n_sizes; s++) {
            for (size_t k = 0; k < o->n_tokens; k++) {
                ms_status st = ms_law_eval(&t->law, t->theta, h, ms_units_N(o->sizes[s]),
                                           ms_units_D(o->tokens[k]), p, NULL, work, d);
                if (st != MS_OK)
                    return st;
                for (size_t i = 0; i < K; i++)
                    fprintf(out, "%.10g,", h[i]);
                fprintf(out, "%.10g,%.10g", o->sizes[s], o->tokens[k]);
                double mean = 0;
                for (size_t i = 0; i < K; i++) {
                    double z = gsl_ran_gaussian(r, 1);
                    fprintf(out, ",%.8g", p->loss[i] * (1 + o->noise * z));
                    mean += p->loss[i] / (double)K;
                }
                if (o->eval_domain)
                    fprintf(out, ",%.8g", mean * (1 + o->noise * gsl_ran_gaussian(r, 1)));
                fputc('\n', out);
            }
        }
    }
    return ferror(out) ? ms_diag_set(d, MS_EIO, NULL, 0, 0, "write error") : MS_OK;
}

ms_status ms_simulate_write(FILE *out, const ms_fit *t, const ms_sim_opts *o,
                            ms_diag *d)
{
    ms_status st = check_opts(t, o, d);
    if (st != MS_OK)
        return st;
    size_t K = t->law.K;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    double *buf = malloc((3 * K + ms_law_work_size(&t->law)) * sizeof *buf);
    ms_pred p = {0};
    if (!r || !buf || ms_pred_alloc(&p, K) != MS_OK) {
        st = ms_diag_set(d, MS_ENOMEM, NULL, 0, 0, "out of memory");
    } else {
        gsl_rng_set(r, o->seed);
        put_header(out, t, o);
        st = put_rows(out, t, o, r, buf, &p, d);
    }
    ms_pred_free(&p);
    free(buf);
    if (r)
        gsl_rng_free(r);
    return st;
}

double *ms_sim_grid(size_t K, unsigned steps, size_t *n, ms_diag *d)
{
    *n = 0;
    if (K < 1 || K > 3 || steps < 1 || steps > 1000) {
        ms_diag_set(d, MS_EINPUT, NULL, 0, 0,
                    "a mixture grid needs 1 to 3 domains and 1 to 1000 steps (have %zu domains)",
                    K);
        return NULL;
    }
    size_t cap = (size_t)(steps + 1) * (steps + 2) / 2;
    double *v = malloc(cap * K * sizeof *v);
    if (!v) {
        ms_diag_set(d, MS_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    for (unsigned a = 0; a <= steps; a++)
        for (unsigned b = 0; a + b <= steps; b++) {
            if (K == 1 && (a != steps || b))
                continue;
            if (K == 2 && a + b != steps)
                continue;
            double w[3] = {(double)a / steps, (double)b / steps,
                           (double)(steps - a - b) / steps};
            memcpy(v + *n * K, w, K * sizeof *v);
            (*n)++;
        }
    return v;
}
