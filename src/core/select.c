#include "mixscope/select.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mixscope/grid.h"
#include "mixscope/units.h"

/* The splits for a sweep with the given distinct sizes (ascending). */
static size_t make_splits(const double *sizes, size_t n_sizes, unsigned long seed,
                          ms_split *sp, ms_select_split *info)
{
    size_t n = 0;
    for (size_t out = 1; out <= 2 && out < n_sizes; out++) {
        if (out == 2 && n_sizes < 4)
            break;
        double cut = sizes[n_sizes - out];
        sp[n] = (ms_split){.kind = MS_SPLIT_SCALE, .seed = seed, .n_train = 1};
        sp[n].train[0] = (ms_cond){'N', "<", cut};
        memset(&info[n], 0, sizeof info[n]);
        info[n].extrapolation = 1;
        info[n].n_held_out = out;
        int w = snprintf(info[n].name, sizeof info[n].name, "leave out");
        for (size_t k = 0; k < out; k++) {
            char a[32];
            info[n].held_out[k] = sizes[n_sizes - out + k];
            w += snprintf(info[n].name + w, sizeof info[n].name - (size_t)w, "%s%s",
                          k ? "+" : " ", ms_size_format(info[n].held_out[k], a, sizeof a));
        }
        n++;
    }
    sp[n] = (ms_split){.kind = MS_SPLIT_RANDOM, .seed = seed, .val_frac = 0.2};
    memset(&info[n], 0, sizeof info[n]);
    snprintf(info[n].name, sizeof info[n].name, "random 20%% of runs");
    return n + 1;
}

/* Masked test MRE of the rows at model size N (raw). */
static double size_mre(const ms_metrics *m, double N)
{
    double sre = 0;
    size_t n = 0;
    for (size_t k = 0; k < m->n_scales; k++) {
        const ms_scale_metric *x = &m->scales[k];
        if (x->set == MS_SET_TEST && x->model_size == N && x->m.n && isfinite(x->m.mre)) {
            sre += x->m.mre * (double)x->m.n;
            n += x->m.n;
        }
    }
    return n ? sre / (double)n : NAN;
}

static void fit_split(const ms_sweep *s, const ms_law_def *def, const ms_split *sp,
                      const ms_fit_opts *o, ms_checkpoints ckpt, ms_select_split *out)
{
    ms_problem *p = NULL;
    ms_fit_result *r = NULL;
    ms_metrics m = {0};
    ms_diag d = {{0}};
    ms_fit_opts oo = *o; /* its progress callback, if any, sees every fit (and can stop it) */
    out->status = ms_problem_build(s, NULL, 0, sp, ckpt, &p, &d);
    if (out->status == MS_OK)
        out->status = ms_fit_run(p, def, &oo, &r, &d);
    if (out->status == MS_ECANCEL) {
        ms_problem_free(p);
        return;
    }
    if (out->status == MS_OK)
        out->status = ms_metrics_compute(p, &r->law, r->theta, o->mask, &m, &d);
    if (out->status != MS_OK) {
        snprintf(out->error, sizeof out->error, "%s", d.msg);
        out->train_mre = out->test_mre = NAN;
    } else {
        out->train_mre = m.overall[MS_SET_TRAIN][0].mre;
        out->test_mre = m.overall[MS_SET_TEST][0].mre;
        for (size_t k = 0; k < out->n_held_out; k++)
            out->size_mre[k] = size_mre(&m, out->held_out[k]);
        out->starts_agree = r->starts_agree;
        out->starts_ok = r->starts_ok;
        out->on_bounds = ms_fit_on_bounds(&r->law, r->theta, NULL, 0);
        out->seconds = r->seconds;
    }
    ms_metrics_done(&m);
    ms_fit_result_free(r);
    ms_problem_free(p);
}

static void score(ms_select_law *l)
{
    double sum = 0;
    size_t n = 0;
    for (size_t k = 0; k < l->n_splits; k++) {
        const ms_select_split *x = &l->split[k];
        if (!x->extrapolation)
            continue;
        if (x->status != MS_OK || !isfinite(x->test_mre)) {
            l->score = NAN;
            return;
        }
        sum += x->test_mre;
        n++;
    }
    l->score = n ? sum / (double)n : NAN;
}

ms_status ms_select_run(const ms_sweep *s, const ms_law_def *const *laws, size_t n,
                        const ms_fit_opts *o, ms_checkpoints ckpt,
                        ms_select_progress_fn progress, void *ctx, ms_selection *out,
                        ms_diag *d)
{
    memset(out, 0, sizeof *out);
    out->best = SIZE_MAX;
    ms_grid g;
    ms_status st = ms_grid_build(s, &g, d);
    if (st != MS_OK)
        return st;
    out->n_sizes = g.n_sizes;
    if (g.n_sizes < 2) {
        ms_grid_done(&g);
        return ms_diag_set(d, MS_EINPUT, s->path, 0, 0,
                           "selection by extrapolation needs at least 2 model sizes; this sweep "
                           "has %zu", out->n_sizes);
    }
    ms_split sp[MS_SELECT_MAX_SPLITS];
    ms_select_split info[MS_SELECT_MAX_SPLITS];
    size_t n_splits = make_splits(g.sizes, g.n_sizes, o->seed, sp, info);
    ms_grid_done(&g);
    out->laws = calloc(n ? n : 1, sizeof *out->laws);
    if (!out->laws)
        return ms_diag_set(d, MS_ENOMEM, NULL, 0, 0, "out of memory");
    out->n_laws = n;
    for (size_t l = 0; l < n; l++) {
        ms_select_law *x = &out->laws[l];
        x->def = laws[l];
        x->n_params = ms_law_make(laws[l], s->K).n_params;
        x->n_splits = n_splits;
        for (size_t k = 0; k < n_splits; k++) {
            x->split[k] = info[k];
            fit_split(s, laws[l], &sp[k], o, ckpt, &x->split[k]);
            if (x->split[k].status == MS_ECANCEL || (progress && progress(x, k, ctx))) {
                ms_selection_done(out);
                return ms_diag_set(d, MS_ECANCEL, NULL, 0, 0, "selection cancelled");
            }
        }
        score(x);
        if (isfinite(x->score) && (out->best == SIZE_MAX || x->score < out->laws[out->best].score))
            out->best = l;
    }
    return MS_OK;
}

void ms_selection_done(ms_selection *sel)
{
    free(sel->laws);
    memset(sel, 0, sizeof *sel);
    sel->best = SIZE_MAX;
}

int ms_select_clearly_better(const ms_select_law *a, const ms_select_law *b)
{
    return isfinite(a->score) && isfinite(b->score) && a->score < 0.8 * b->score &&
           b->score - a->score >= 0.002;
}
