/* The optimizer's set-up: the spec, the effective bounds, and messages that
 * say why a set of constraints leaves no mixture (optimize.h). */
#include "mixscope/optimize.h"
#include "core/optimize_impl.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mixscope/units.h"

void ms_opt_spec_init(ms_opt_spec *s)
{
    memset(s, 0, sizeof *s);
    s->epochs = 1;
}

void ms_opt_opts_init(ms_opt_opts *o)
{
    memset(o, 0, sizeof *o);
    o->restarts = 20;
    o->seed = 1;
    o->max_iter = 1000;
    o->tol = 1e-9;
}

void ms_optimize_free(ms_optimizer *o)
{
    if (!o)
        return;
    if (o->names)
        for (size_t i = 0; i < o->K; i++)
            free(o->names[i]);
    free(o->names);
    free(o->theta);
    free(o->w);
    free(o->lock);
    free(o->work);
    ms_pred_free(&o->pred);
    free(o);
}

/* One block holds every K-array after w: lock, min, max, tokens, lo, hi, fd,
 * x, g, xn, gn, y, best, warm, warm2 (15K) and the 2K breakpoints. */
static ms_status alloc_all(ms_optimizer *o, const ms_law *law, const double *theta,
                           const char *const *domains)
{
    const size_t K = law->K;
    o->law = *law;
    o->K = K;
    o->theta = malloc(law->n_params * sizeof *o->theta);
    o->names = calloc(K, sizeof *o->names);
    o->w = malloc(K * sizeof *o->w);
    o->lock = malloc(17 * K * sizeof *o->lock);
    o->work = malloc((ms_law_work_size(law) + 1) * sizeof *o->work);
    if (!o->theta || !o->names || !o->w || !o->lock || !o->work ||
        ms_pred_alloc(&o->pred, K) != MS_OK)
        return MS_ENOMEM;
    memcpy(o->theta, theta, law->n_params * sizeof *theta);
    double **arr[] = {&o->lock, &o->min, &o->max, &o->tokens, &o->lo, &o->hi, &o->fd,
                      &o->x, &o->g, &o->xn, &o->gn, &o->y, &o->best, &o->warm, &o->warm2};
    for (size_t k = 1; k < sizeof arr / sizeof arr[0]; k++)
        *arr[k] = o->lock + k * K;
    o->bp = o->lock + 15 * K;
    for (size_t i = 0; i < K; i++) {
        char buf[32];
        if (!domains)
            snprintf(buf, sizeof buf, "domain %zu", i + 1);
        if (!(o->names[i] = strdup(domains ? domains[i] : buf)))
            return MS_ENOMEM;
    }
    return MS_OK;
}

static double at(const double *v, size_t i) { return v ? v[i] : NAN; }

/* Copies the spec, checking each value's range. */
static ms_status take_spec(ms_optimizer *o, const ms_opt_spec *s, ms_diag *d)
{
    double wsum = 0;
    for (size_t i = 0; i < o->K; i++) {
        o->w[i] = s->weight ? s->weight[i] : 1;
        if (!(o->w[i] >= 0 && isfinite(o->w[i])))
            return ms_diag_set(d, MS_EINPUT, NULL, 0, 0,
                               "%s: objective weight must be a number >= 0, got %g",
                               o->names[i], o->w[i]);
        wsum += o->w[i];
        o->lock[i] = at(s->lock, i), o->min[i] = at(s->min, i), o->max[i] = at(s->max, i);
        o->tokens[i] = at(s->tokens, i);
        const double v[3] = {o->lock[i], o->min[i], o->max[i]};
        static const char *const what[3] = {"lock", "minimum", "maximum"};
        for (int k = 0; k < 3; k++)
            if (!isnan(v[k]) && !(v[k] >= 0 && v[k] <= 1))
                return ms_diag_set(d, MS_EINPUT, NULL, 0, 0,
                                   "%s: %s must be in [0, 1], got %g", o->names[i], what[k],
                                   v[k]);
        if (!isnan(o->tokens[i]) && !(o->tokens[i] > 0))
            return ms_diag_set(d, MS_EINPUT, NULL, 0, 0,
                               "%s: tokens available must be > 0, got %g", o->names[i],
                               o->tokens[i]);
    }
    if (!(wsum > 0 && isfinite(wsum)))
        return ms_diag_set(d, MS_EINPUT, NULL, 0, 0,
                           "every objective weight is 0: nothing to optimise");
    for (size_t i = 0; i < o->K; i++)
        o->w[i] /= wsum;
    o->epochs = s->epochs;
    if (!(o->epochs > 0 && isfinite(o->epochs)))
        return ms_diag_set(d, MS_EINPUT, NULL, 0, 0, "epochs must be a number > 0, got %g",
                           o->epochs);
    return MS_OK;
}

ms_status ms_optimize_new(const ms_law *law, const double *theta, double N, double D,
                          const ms_opt_spec *spec, const char *const *domains,
                          ms_optimizer **out, ms_diag *d)
{
    *out = NULL;
    ms_optimizer *o = calloc(1, sizeof *o);
    ms_opt_spec none;
    ms_opt_spec_init(&none);
    ms_status st = o ? alloc_all(o, law, theta, domains) : MS_ENOMEM;
    if (st == MS_ENOMEM)
        ms_diag_set(d, st, NULL, 0, 0, "out of memory");
    if (st == MS_OK)
        st = take_spec(o, spec ? spec : &none, d);
    if (st == MS_OK)
        st = ms_optimize_rescale(o, N, D, d);
    if (st != MS_OK) {
        ms_optimize_free(o);
        return st;
    }
    *out = o;
    return MS_OK;
}

/* The share of D that domain i's available tokens cover (inf if unlimited). */
static double token_cap(const ms_optimizer *o, size_t i)
{
    return isnan(o->tokens[i]) ? INFINITY : o->tokens[i] * o->epochs / o->D_raw;
}

/* "30B tokens x 4 epochs cover at most 0.004 of D = 30T" */
static void cap_text(const ms_optimizer *o, size_t i, char *buf, size_t len)
{
    char t[32], dd[32];
    snprintf(buf, len, "%s tokens x %g epoch%s cover at most %.3g of D = %s",
             ms_size_format(o->tokens[i], t, sizeof t), o->epochs, o->epochs == 1 ? "" : "s",
             token_cap(o, i), ms_size_format(o->D_raw, dd, sizeof dd));
}

static ms_status infeasible(ms_diag *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static ms_status infeasible(ms_diag *d, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ms_diag_set(d, MS_EINPUT, NULL, 0, 0, "infeasible constraints: %s", msg);
}

/* Domain i's own bounds, or a message when they contradict each other. */
static ms_status domain_bounds(ms_optimizer *o, size_t i, ms_diag *d)
{
    const char *n = o->names[i];
    const double cap = token_cap(o, i), hmin = o->law.h_min;
    char ct[160];
    if (isfinite(cap))
        cap_text(o, i, ct, sizeof ct);
    if (!isnan(o->lock[i])) {
        const double v = o->lock[i];
        if (!isnan(o->min[i]) && o->min[i] > v)
            return infeasible(d, "%s: locked at %g, below its minimum %g", n, v, o->min[i]);
        if (!isnan(o->max[i]) && o->max[i] < v)
            return infeasible(d, "%s: locked at %g, above its maximum %g", n, v, o->max[i]);
        if (v > cap)
            return infeasible(d, "%s: locked at %g, but %s", n, v, ct);
        o->lo[i] = o->hi[i] = v;
        return MS_OK;
    }
    double lo = fmax(hmin, isnan(o->min[i]) ? 0 : o->min[i]);
    double hi = fmin(1, fmin(isnan(o->max[i]) ? 1 : o->max[i], cap));
    if (lo > hi) {
        int by_min = !isnan(o->min[i]) && o->min[i] >= hmin;
        int by_max = !isnan(o->max[i]) && o->max[i] <= cap;
        if (by_min && by_max)
            return infeasible(d, "%s: minimum %g is above maximum %g", n, o->min[i], o->max[i]);
        if (by_min)
            return infeasible(d, "%s: minimum %g, but %s", n, o->min[i], ct);
        if (by_max)
            return infeasible(d, "%s: maximum %g is below the law's floor h_min = %g "
                                 "(lock the domain at 0 to leave it out)", n, o->max[i], hmin);
        return infeasible(d, "%s: %s, below the law's floor h_min = %g "
                             "(lock the domain at 0 to leave it out)", n, ct, hmin);
    }
    o->lo[i] = lo;
    o->hi[i] = hi;
    return MS_OK;
}

/* Appends "name=value" entries of the domains `pick` selects to buf. */
static void list_by(const ms_optimizer *o, int (*pick)(const ms_optimizer *, size_t),
                    const double *v, const char *label, char *buf, size_t len)
{
    size_t n = strlen(buf), first = 1;
    for (size_t i = 0; i < o->K && n + 8 < len; i++) {
        if (!pick(o, i))
            continue;
        n += (size_t)snprintf(buf + n, len - n, "%s%s%s=%.3g", first && n ? "; " : "",
                              first ? label : ", ", o->names[i], v[i]);
        first = 0;
        n = strlen(buf);
    }
}

static int is_locked(const ms_optimizer *o, size_t i) { return !isnan(o->lock[i]); }
static int by_min(const ms_optimizer *o, size_t i)
{
    return !is_locked(o, i) && !isnan(o->min[i]) && o->lo[i] == o->min[i];
}
static int by_max(const ms_optimizer *o, size_t i)
{
    return !is_locked(o, i) && !isnan(o->max[i]) && o->hi[i] == o->max[i];
}
static int by_cap(const ms_optimizer *o, size_t i)
{
    return !is_locked(o, i) && !by_max(o, i) && o->hi[i] < 1 && isfinite(token_cap(o, i));
}
static int by_floor(const ms_optimizer *o, size_t i)
{
    return !is_locked(o, i) && !by_min(o, i);
}

/* The sums of the bounds must straddle 1. */
static ms_status sum_bounds(ms_optimizer *o, ms_diag *d)
{
    double slo = 0, shi = 0;
    for (size_t i = 0; i < o->K; i++)
        slo += o->lo[i], shi += o->hi[i];
    char why[700] = "";
    if (slo > 1 + 1e-12) {
        list_by(o, is_locked, o->lock, "locked: ", why, sizeof why);
        list_by(o, by_min, o->min, "minimum: ", why, sizeof why);
        size_t nf = 0;
        for (size_t i = 0; i < o->K; i++)
            nf += by_floor(o, i);
        if (nf)
            snprintf(why + strlen(why), sizeof why - strlen(why), "%sh_min %g for %zu other%s",
                     why[0] ? "; " : "", o->law.h_min, nf, nf == 1 ? "" : "s");
        return infeasible(d, "the lower bounds sum to %.6g, more than 1 (%s)", slo, why);
    }
    if (shi < 1 - 1e-12) {
        list_by(o, is_locked, o->lock, "locked: ", why, sizeof why);
        list_by(o, by_max, o->max, "maximum: ", why, sizeof why);
        list_by(o, by_cap, o->hi, "token caps: ", why, sizeof why);
        return infeasible(d, "the upper bounds sum to %.6g, less than 1 (%s)", shi, why);
    }
    return MS_OK;
}

ms_status ms_optimize_rescale(ms_optimizer *o, double N, double D, ms_diag *d)
{
    o->usable = 0;
    if (!(N > 0 && isfinite(N) && D > 0 && isfinite(D)))
        return ms_diag_set(d, MS_EINPUT, NULL, 0, 0,
                           "model size and token budget must be positive, got %g and %g", N, D);
    o->N_raw = N, o->D_raw = D;
    o->N = ms_units_N(N), o->D = ms_units_D(D);
    for (size_t i = 0; i < o->K; i++) {
        ms_status st = domain_bounds(o, i, d);
        if (st != MS_OK)
            return st;
    }
    ms_status st = sum_bounds(o, d);
    o->usable = st == MS_OK;
    return st;
}

const double *ms_optimize_lower(const ms_optimizer *o) { return o->lo; }
const double *ms_optimize_upper(const ms_optimizer *o) { return o->hi; }
int ms_optimize_locked(const ms_optimizer *o, size_t i) { return is_locked(o, i); }
