#include "tui/model.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mixscope/health.h"
#include "mixscope/optimize.h"
#include "mixscope/units.h"

int tui_model_init(tui_state *s)
{
    size_t K = s->K;
    double *block = calloc(10 * K, sizeof *block);
    s->locked = calloc(K, 1);
    if (!block || !s->locked) {
        free(block);
        return -1;
    }
    s->h = block;
    s->h_start = block + K;
    s->h_opt = block + 2 * K;
    s->loss = block + 3 * K;
    s->term[0] = block + 4 * K;
    s->term[1] = block + 5 * K;
    s->term[2] = block + 6 * K;
    s->x = block + 7 * K;
    s->why_cap = block + 8 * K;
    s->why_noise = block + 9 * K;
    s->rv_x = malloc(2 * TUI_RESID_POINTS * sizeof *s->rv_x);
    s->rv_test = malloc(TUI_RESID_POINTS);
    if (!s->rv_x || !s->rv_test)
        return -1;
    s->rv_y = s->rv_x + TUI_RESID_POINTS;
    return 0;
}

void tui_model_done(tui_state *s)
{
    free(s->h); /* one block holds every per-domain array */
    free(s->locked);
    free(s->rv_x);
    free(s->rv_test);
    s->rv_x = s->rv_y = NULL;
    s->rv_test = NULL;
    if (s->metrics_ok)
        ms_metrics_done(&s->metrics);
    ms_fit_free(s->fit);
    s->h = NULL;
    s->locked = NULL;
    s->fit = NULL;
    s->metrics_ok = 0;
}

void tui_message(tui_state *s, int is_error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->message, sizeof s->message, fmt, ap);
    va_end(ap);
    s->message_is_error = is_error;
}

ms_law tui_model_law(const tui_state *s)
{
    ms_law law = s->fit->law;
    law.off = s->mech_off;
    return law;
}

static void predict(tui_state *s)
{
    ms_pred p = {s->loss, {s->term[0], s->term[1], s->term[2]}, s->x, 0};
    ms_diag d;
    ms_law law = s->fit ? tui_model_law(s) : (ms_law){0};
    s->pred_ok = s->fit && ms_law_predict(&law, s->fit->theta, s->h, ms_units_N(s->N),
                                          ms_units_D(s->D), &p, &d) == MS_OK;
    s->capacity = p.capacity;
    s->mean = s->pred_ok ? ms_pred_mean(&p, s->K) : NAN;
}

/* Mean capacity and noise terms at h (NaN on failure). */
static void mean_terms(const tui_state *s, const ms_law *law, const double *h, double *cap,
                       double *noise, ms_pred *p)
{
    *cap = *noise = NAN;
    if (ms_law_predict(law, s->fit->theta, h, ms_units_N(s->N), ms_units_D(s->D), p, NULL) !=
        MS_OK)
        return;
    *cap = *noise = 0;
    for (size_t i = 0; i < s->K; i++) {
        *cap += p->term[0][i] / (double)s->K;
        *noise += p->term[1][i] / (double)s->K;
    }
}

/* Why h* is where it is: for each domain, the rate at which each
 * mechanism's mean term changes when weight moves to that domain from all
 * the others in proportion (h + e (e_i - h)). At an interior optimum the two
 * rates cancel; the one that is negative pulls the domain's weight up. */
static void why(tui_state *s)
{
    s->why_ok = 0;
    if (!s->opt_ok)
        return;
    const size_t K = s->K;
    double *hb = malloc(K * sizeof *hb), *buf = malloc(5 * K * sizeof *buf);
    if (!hb || !buf) {
        free(hb), free(buf);
        return;
    }
    ms_pred p = {buf, {buf + K, buf + 2 * K, buf + 3 * K}, buf + 4 * K, 0};
    ms_law law = tui_model_law(s);
    const double e = 1e-5;
    int ok = 1;
    for (size_t i = 0; i < K; i++) {
        double c[2], n[2];
        for (int sgn = 0; sgn < 2; sgn++) {
            double t = sgn ? e : -e;
            for (size_t j = 0; j < K; j++)
                hb[j] = fmax(0, s->h_opt[j] + t * ((j == i) - s->h_opt[j]));
            mean_terms(s, &law, hb, &c[sgn], &n[sgn], &p);
        }
        s->why_cap[i] = (c[1] - c[0]) / (2 * e);
        s->why_noise[i] = (n[1] - n[0]) / (2 * e);
        ok &= isfinite(s->why_cap[i]) && isfinite(s->why_noise[i]);
    }
    s->why_ok = ok;
    free(hb), free(buf);
}

/* The optimum at this scale under the current locks: recomputed when the
 * scale, the fit or the locks changed (20 restarts take ~ms for K = 7). */
static void optimum(tui_state *s)
{
    s->opt_ok = 0;
    if (!s->fit)
        return;
    double *lock = malloc(s->K * sizeof *lock);
    if (!lock)
        return;
    for (size_t i = 0; i < s->K; i++)
        lock[i] = s->locked[i] ? s->h[i] : NAN;
    ms_opt_spec spec;
    ms_opt_spec_init(&spec);
    spec.lock = lock;
    ms_optimizer *o = NULL;
    ms_opt_result r;
    ms_diag d;
    ms_law law = tui_model_law(s);
    if (ms_optimize_new(&law, s->fit->theta, s->N, s->D, &spec,
                        (const char *const *)s->domains, &o, &d) == MS_OK &&
        ms_optimize_run(o, NULL, s->h_opt, &r, &d) == MS_OK) {
        s->opt_ok = 1;
        s->mean_opt = r.objective;
        s->opt_N = s->N;
        s->opt_D = s->D;
    }
    ms_optimize_free(o);
    free(lock);
    why(s);
}

/* A cheap fingerprint of what the optimum depends on besides the fit. */
static double opt_key(const tui_state *s)
{
    double k = s->N * 1.000001 + s->D + 0.5 * s->mech_off;
    for (size_t i = 0; i < s->K; i++)
        k += s->locked[i] ? (double)(i + 1) * (1 + s->h[i]) * 1e-3 : 0;
    return k;
}

void tui_model_refresh(tui_state *s)
{
    predict(s);
    double key = opt_key(s);
    if (!s->opt_key_set || s->opt_key != key) {
        optimum(s);
        s->opt_key = key;
        s->opt_key_set = 1;
    }
    /* The sweep mixture nearest to h, for the observed points on the curves. */
    double best = INFINITY;
    for (size_t r = 0; s->problem && r < s->problem->n_runs; r++) {
        double dist = 0;
        for (size_t i = 0; i < s->K; i++) {
            double e = s->problem->run_h[r * s->K + i] - s->h[i];
            dist += e * e;
        }
        if (dist < best) {
            best = dist;
            s->nearest_mix_row = r;
        }
    }
}

/* One pass over the masked cells: their range, a thinned sample to plot,
 * and the three worst by relative error. */
static void residual_view(tui_state *s)
{
    const ms_problem *p = s->problem;
    const double *pred = s->metrics.pred;
    const size_t K = s->K, stride = p->n_rows * K / TUI_RESID_POINTS + 1;
    s->rv_n = 0;
    s->rv_lo = INFINITY;
    s->rv_hi = -INFINITY;
    for (int w = 0; w < 3; w++)
        s->rv_worst[w].err = -1;
    for (size_t u = 0; u < p->n_runs; u++)
        for (size_t k = p->run_first[u]; k < p->run_first[u] + p->run_count[u]; k++) {
            if (p->role[k] == MS_ROLE_UNUSED)
                continue;
            for (size_t i = 0; i < K; i++) {
                double y = p->obs[k * K + i], x = pred[k * K + i];
                if (isnan(y))
                    continue;
                s->rv_lo = fmin(s->rv_lo, fmin(x, y));
                s->rv_hi = fmax(s->rv_hi, fmax(x, y));
                if (p->run_h[u * K + i] < s->fit_opts.mask)
                    continue;
                double e = fabs(x - y) / y;
                for (int w = 0; w < 3; w++)
                    if (e > s->rv_worst[w].err) {
                        memmove(&s->rv_worst[w + 1], &s->rv_worst[w],
                                (size_t)(2 - w) * sizeof s->rv_worst[0]);
                        s->rv_worst[w].row = k, s->rv_worst[w].dom = i;
                        s->rv_worst[w].run = u, s->rv_worst[w].err = e;
                        break;
                    }
                if ((k * K + i) % stride || s->rv_n == TUI_RESID_POINTS)
                    continue;
                s->rv_x[s->rv_n] = x;
                s->rv_y[s->rv_n] = y;
                s->rv_test[s->rv_n++] = p->role[k] == MS_ROLE_TEST;
            }
        }
}

void tui_model_fit_changed(tui_state *s)
{
    if (s->metrics_ok)
        ms_metrics_done(&s->metrics);
    s->metrics_ok = 0;
    s->fit_mre[0] = s->fit_mre[1] = NAN;
    if (s->fit && s->problem &&
        ms_metrics_compute(s->problem, &s->fit->law, s->fit->theta, s->fit_opts.mask,
                           &s->metrics, NULL) == MS_OK) {
        s->metrics_ok = 1;
        s->fit_mre[0] = s->metrics.overall[MS_SET_TRAIN][0].mre;
        s->fit_mre[1] = s->metrics.overall[MS_SET_TEST][0].mre;
        residual_view(s);
    }
    s->n_warnings = 0;
    if (s->fit && s->problem && s->metrics_ok) {
        ms_health h;
        ms_health_check(s->problem, &s->fit->law, s->fit->theta, NULL, &s->metrics,
                        (const char *const *)s->domains, &h);
        s->n_warnings = h.n;
        if (h.n)
            snprintf(s->warning, sizeof s->warning, "%s", h.text[0]);
    }
    s->opt_ok = 0;
    s->opt_key_set = 0;
    tui_model_refresh(s);
}

void tui_model_set_fit(tui_state *s, ms_fit *f)
{
    ms_fit_free(s->fit);
    s->fit = f;
    snprintf(s->law_name, sizeof s->law_name, "%s", f->law.def->name);
    tui_model_fit_changed(s);
}
