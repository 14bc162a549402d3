#include "cli/report.h"
#include "mixscope/health.h"

#include <math.h>
#include <string.h>

#include "mixscope/units.h"

/* An error in loss units, in 8 columns whatever its size (losses near
 * 1e300 must not print 300 digits). */
static void put_err(FILE *f, double v)
{
    if (fabs(v) < 1e4)
        fprintf(f, " %8.4f", v);
    else
        fprintf(f, " %8.2g", v);
}

static void put_metric(FILE *f, const ms_metric *x)
{
    if (!x->n) {
        fprintf(f, " %7s %7s %8s %8s", "0", "-", "-", "-");
        return;
    }
    fprintf(f, " %7zu", x->n);
    if (fabs(x->mre) < 1e4)
        fprintf(f, " %6.2f%%", 100 * x->mre);
    else
        fprintf(f, " %6.1e%%", 100 * x->mre);
    put_err(f, x->mae);
    put_err(f, x->rmse);
}

void report_overall(FILE *f, const ms_metrics *m, double mask)
{
    static const char *const set_names[MS_N_SETS] = {"train", "test"};
    fprintf(f, "%-8s %7s %7s %8s %8s  |%7s %7s %8s %8s\n", "", "cells", "MRE", "MAE", "RMSE",
            "cells", "MRE", "MAE", "RMSE");
    fprintf(f, "%-8s %-33s |  %s\n", "", mask > 0 ? "masked (h_i >= mask)" : "all cells",
            "unmasked (every cell)");
    for (int s = 0; s < MS_N_SETS; s++) {
        if (!m->overall[s][1].n)
            continue;
        fprintf(f, "%-8s", set_names[s]);
        put_metric(f, &m->overall[s][0]);
        fprintf(f, "  |");
        put_metric(f, &m->overall[s][1]);
        fputc('\n', f);
    }
}

static void put_pct(FILE *f, const ms_metric *x)
{
    if (x->n && isfinite(x->mre))
        fprintf(f, " %7.2f%%", 100 * x->mre);
    else
        fprintf(f, " %8s", "-");
}

/* Aggregates the per-scale metrics of one set by model size. */
static void per_size(FILE *f, const ms_metrics *m, int set)
{
    char a[32];
    for (size_t k = 0; k < m->n_scales;) {
        if (m->scales[k].set != set) {
            k++;
            continue;
        }
        double N = m->scales[k].model_size, sre = 0;
        size_t n = 0, npts = 0;
        for (; k < m->n_scales && m->scales[k].set == set && m->scales[k].model_size == N; k++) {
            if (m->scales[k].m.n && isfinite(m->scales[k].m.mre)) {
                sre += m->scales[k].m.mre * (double)m->scales[k].m.n;
                n += m->scales[k].m.n;
            }
            npts++;
        }
        fprintf(f, "  %-5s N=%-7s %3zu token budgets %7zu cells", set ? "test" : "train",
                ms_size_format(N, a, sizeof a), npts, n);
        if (n)
            fprintf(f, "  MRE %6.2f%%\n", 100 * sre / (double)n);
        else
            fprintf(f, "  MRE      -\n");
    }
}

void report_breakdown(FILE *f, const ms_metrics *m, const ms_problem *p)
{
    int has_test = m->overall[MS_SET_TEST][1].n > 0;
    fprintf(f, "\n%-20s %8s%s\n", "masked MRE", "train", has_test ? "     test" : "");
    for (size_t i = 0; i < p->K; i++) {
        fprintf(f, "  %-18s", p->domains[i]);
        put_pct(f, &m->domain[MS_SET_TRAIN * p->K + i]);
        if (has_test)
            put_pct(f, &m->domain[MS_SET_TEST * p->K + i]);
        fputc('\n', f);
    }
    fprintf(f, "\nby model size (masked):\n");
    per_size(f, m, MS_SET_TRAIN);
    per_size(f, m, MS_SET_TEST);
}

static int is_on_bound(const ms_fit_result *r, size_t j)
{
    size_t idx[256], n = ms_fit_on_bounds(&r->law, r->theta, idx, 256);
    for (size_t k = 0; k < n && k < 256; k++)
        if (idx[k] == j)
            return 1;
    return 0;
}

void report_params(FILE *f, const ms_fit_result *r, const char *const *domains,
                   const double *boot, size_t B)
{
    const size_t P = r->law.n_params;
    fprintf(f, "\n%-24s %14s %14s", "parameter", "value", "std. error");
    if (boot)
        fprintf(f, "   %-27s", "95% bootstrap interval");
    fputc('\n', f);
    for (size_t j = 0; j < r->law.n_params; j++) {
        char label[128];
        ms_law_param_label(&r->law, j, domains, label, sizeof label);
        fprintf(f, "  %-22s %14.6g", label, r->theta[j]);
        if (isfinite(r->stderr_theta[j]))
            fprintf(f, " %14.3g", r->stderr_theta[j]);
        else
            fprintf(f, " %14s", "n/a");
        if (boot)
            fprintf(f, "   [%11.4g, %11.4g]", ms_percentile(boot + j, B, P, 0.025),
                    ms_percentile(boot + j, B, P, 0.975));
        fprintf(f, "%s\n", is_on_bound(r, j) ? "  (at a bound)" : "");
    }
}

size_t report_warnings(FILE *f, const ms_problem *p, const ms_fit_result *r,
                       const ms_metrics *m, const char *const *domains)
{
    ms_health h;
    ms_health_check(p, &r->law, r->theta, r, m, domains, &h);
    for (size_t k = 0; k < h.n; k++)
        fprintf(f, "warning: %s\n", h.text[k]);
    return h.n;
}

json_t *report_metric_json(const ms_metric *x)
{
    json_t *o = json_object();
    json_object_set_new(o, "mre", x->n && isfinite(x->mre) ? json_real(x->mre) : json_null());
    json_object_set_new(o, "mae", x->n ? json_real(x->mae) : json_null());
    json_object_set_new(o, "rmse", x->n ? json_real(x->rmse) : json_null());
    json_object_set_new(o, "n", json_integer((json_int_t)x->n));
    return o;
}

json_t *report_metrics_json(const ms_metrics *m, const ms_problem *p)
{
    static const char *const set_names[MS_N_SETS] = {"train", "test"};
    json_t *root = json_object(), *scales = json_array();
    for (int s = 0; s < MS_N_SETS; s++) {
        if (!m->overall[s][1].n)
            continue;
        json_t *o = report_metric_json(&m->overall[s][0]), *doms = json_array();
        json_object_set_new(o, "unmasked", report_metric_json(&m->overall[s][1]));
        for (size_t i = 0; i < p->K; i++) {
            json_t *dj = report_metric_json(&m->domain[s * p->K + i]);
            json_object_set_new(dj, "name", json_string(p->domains[i]));
            json_array_append_new(doms, dj);
        }
        json_object_set_new(o, "domains", doms);
        json_object_set_new(root, set_names[s], o);
    }
    for (size_t k = 0; k < m->n_scales; k++) {
        json_t *o = report_metric_json(&m->scales[k].m);
        json_object_set_new(o, "set", json_string(set_names[m->scales[k].set]));
        json_object_set_new(o, "model_size", json_real(m->scales[k].model_size));
        json_object_set_new(o, "n_tokens", json_real(m->scales[k].n_tokens));
        json_array_append_new(scales, o);
    }
    json_object_set_new(root, "scales", scales);
    return root;
}

static json_t *split_json(const fitopts *fo, const ms_problem *p)
{
    char desc[512];
    static const char *const kinds[] = {"none", "random", "scale", "at"};
    json_t *o = json_object();
    json_object_set_new(o, "kind", json_string(kinds[fo->split.kind]));
    json_object_set_new(o, "description",
                        json_string(ms_split_describe(&fo->split, desc, sizeof desc)));
    json_object_set_new(o, "seed", json_integer((json_int_t)fo->split.seed));
    if (fo->split.val_frac > 0)
        json_object_set_new(o, "val", json_real(fo->split.val_frac));
    if (fo->split.kind == MS_SPLIT_AT) {
        json_object_set_new(o, "model_size", json_real(p->at_N));
        json_object_set_new(o, "n_tokens", json_real(p->at_D));
    }
    json_object_set_new(o, "train_rows",
                        json_integer((json_int_t)ms_problem_count(p, MS_ROLE_TRAIN)));
    json_object_set_new(o, "test_rows",
                        json_integer((json_int_t)ms_problem_count(p, MS_ROLE_TEST)));
    return o;
}

static json_t *fit_info_json(const ms_fit_result *r, const fitopts *fo, const ms_problem *p)
{
    json_t *o = json_object(), *obj = json_object(), *range = json_object();
    json_object_set_new(obj, "residuals",
                        json_string(fo->fit.resid == MS_RESID_RELATIVE ? "relative" : "absolute"));
    json_object_set_new(obj, "huber", json_real(fo->fit.huber));
    json_object_set_new(obj, "mask", json_real(fo->fit.mask));
    json_object_set_new(obj, "checkpoints", json_string(fitopts_ckpt_name(fo->ckpt)));
    json_object_set_new(o, "objective", obj);
    json_object_set_new(o, "starts", json_integer((json_int_t)r->n_starts));
    json_object_set_new(o, "starts_agree", json_integer((json_int_t)r->starts_agree));
    json_object_set_new(o, "best_start", json_integer((json_int_t)r->best_start));
    json_object_set_new(o, "seed", json_integer((json_int_t)fo->fit.seed));
    json_object_set_new(o, "cost", json_real(r->cost));
    json_object_set_new(o, "cells", json_integer((json_int_t)r->n_cells));
    json_object_set_new(o, "iterations", json_integer((json_int_t)r->iterations));
    json_object_set_new(o, "seconds", json_real(r->seconds));
    json_object_set_new(range, "model_size", json_pack("[ff]", p->N_range[0] * MS_N_UNIT,
                                                       p->N_range[1] * MS_N_UNIT));
    json_object_set_new(range, "n_tokens", json_pack("[ff]", p->D_range[0] * MS_D_UNIT,
                                                     p->D_range[1] * MS_D_UNIT));
    json_object_set_new(o, "range", range);
    return o;
}

/* Standard errors laid out like "params". */
static json_t *stderr_json(const ms_fit_result *r)
{
    json_t *o = json_object();
    const ms_law *law = &r->law;
    for (size_t g = 0, off = 0; g < law->def->n_groups; g++) {
        const ms_param_group *pg = &law->def->groups[g];
        size_t n = ms_law_group_size(pg, law->K);
        json_t *v = pg->shape == MS_SHAPE_SCALAR ? NULL : json_array();
        for (size_t k = 0; k < n; k++) {
            double x = r->stderr_theta[off + k];
            json_t *e = isfinite(x) ? json_real(x) : json_null();
            if (v)
                json_array_append_new(v, e);
            else
                v = e;
        }
        json_object_set_new(o, pg->name, v);
        off += n;
    }
    return o;
}

ms_fit *report_fit_file(const ms_fit_result *r, const ms_problem *p, const ms_metrics *m,
                        const fitopts *fo, const ms_sweep *s)
{
    ms_fit *f = ms_fit_new(r->law.def, r->law.K, (const char *const *)p->domains);
    if (!f)
        return NULL;
    f->law.h_min = r->law.h_min;
    memcpy(f->theta, r->theta, r->law.n_params * sizeof *f->theta);
    char fp[40];
    snprintf(fp, sizeof fp, "fnv1a64:%016llx", (unsigned long long)s->fingerprint);
    json_t *data = json_object();
    json_object_set_new(data, "path", json_string(s->path));
    json_object_set_new(data, "fingerprint", json_string(fp));
    json_object_set_new(data, "rows", json_integer((json_int_t)s->n));
    json_object_set_new(f->meta, "data", data);
    json_object_set_new(f->meta, "split", split_json(fo, p));
    json_object_set_new(f->meta, "fit", fit_info_json(r, fo, p));
    json_object_set_new(f->meta, "stderr", stderr_json(r));
    json_object_set_new(f->meta, "metrics", report_metrics_json(m, p));
    return f;
}

void report_add_bootstrap(ms_fit *f, const double *boot, size_t B)
{
    const size_t P = f->law.n_params;
    json_t *o = json_object(), *samples = json_array();
    for (size_t b = 0; b < B; b++) {
        json_t *row = json_array();
        for (size_t j = 0; j < P; j++)
            json_array_append_new(row, isfinite(boot[b * P + j]) ? json_real(boot[b * P + j])
                                                                  : json_null());
        json_array_append_new(samples, row);
    }
    json_object_set_new(o, "B", json_integer((json_int_t)B));
    json_object_set_new(o, "samples", samples);
    json_object_set_new(f->meta, "bootstrap", o);
}

double *report_get_bootstrap(const ms_fit *f, size_t *B)
{
    const size_t P = f->law.n_params;
    const json_t *samples = json_object_get(json_object_get(f->meta, "bootstrap"), "samples");
    *B = json_array_size(samples);
    if (!*B)
        return NULL;
    double *v = malloc(*B * P * sizeof *v);
    for (size_t b = 0; v && b < *B; b++) {
        const json_t *row = json_array_get(samples, b);
        for (size_t j = 0; j < P; j++) {
            const json_t *x = json_array_get(row, j);
            v[b * P + j] = json_is_number(x) && json_array_size(row) == P ? json_number_value(x)
                                                                          : NAN;
        }
    }
    return v;
}
