#include "mixscope/law.h"
#include "core/law_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const ms_law_def *const registry[] = {
    &ms_law_capnoise,
    &ms_law_capnoise_g,
    &ms_law_separable,
    &ms_law_additive,
    &ms_law_exp,
    NULL,
};

const ms_law_def *const *ms_law_defs(void) { return registry; }

const ms_law_def *ms_law_find(const char *name)
{
    for (size_t i = 0; registry[i]; i++)
        if (strcmp(registry[i]->name, name) == 0)
            return registry[i];
    return NULL;
}

size_t ms_law_group_size(const ms_param_group *g, size_t K)
{
    switch (g->shape) {
    case MS_SHAPE_SCALAR: return 1;
    case MS_SHAPE_DOMAIN: return K;
    case MS_SHAPE_MATRIX: return K * K;
    }
    return 0;
}

size_t ms_law_group_offset(const ms_law *law, size_t g)
{
    size_t off = 0;
    for (size_t i = 0; i < g; i++)
        off += ms_law_group_size(&law->def->groups[i], law->K);
    return off;
}

ms_law ms_law_make(const ms_law_def *def, size_t K)
{
    ms_law law = {def, K, 0, MS_H_MIN_DEFAULT, 0};
    for (size_t g = 0; g < def->n_groups; g++)
        law.n_params += ms_law_group_size(&def->groups[g], K);
    return law;
}

char *ms_law_param_label(const ms_law *law, size_t j,
                         const char *const *domains, char *buf, size_t len)
{
    size_t K = law->K;
    for (size_t g = 0; g < law->def->n_groups; g++) {
        const ms_param_group *pg = &law->def->groups[g];
        size_t n = ms_law_group_size(pg, K);
        if (j >= n) {
            j -= n;
            continue;
        }
        if (pg->shape == MS_SHAPE_SCALAR)
            snprintf(buf, len, "%s", pg->name);
        else if (pg->shape == MS_SHAPE_DOMAIN)
            snprintf(buf, len, "%s[%s]", pg->name, domains[j]);
        else
            snprintf(buf, len, "%s[%s,%s]", pg->name, domains[j / K], domains[j % K]);
        return buf;
    }
    snprintf(buf, len, "?");
    return buf;
}

ms_status ms_pred_alloc(ms_pred *p, size_t K)
{
    memset(p, 0, sizeof *p);
    double *block = calloc((2 + MS_N_TERMS) * (K ? K : 1), sizeof *block);
    if (!block)
        return MS_ENOMEM;
    p->loss = block;
    for (size_t t = 0; t < MS_N_TERMS; t++)
        p->term[t] = block + (1 + t) * K;
    p->x = block + (1 + MS_N_TERMS) * K;
    return MS_OK;
}

void ms_pred_free(ms_pred *p)
{
    if (p)
        free(p->loss); /* one block holds every array */
}

size_t ms_law_work_size(const ms_law *law)
{
    /* The generic eval_run keeps one ms_pred (5K) after the law's own. */
    return law->def->work_size(law->K) + (2 + MS_N_TERMS) * law->K + 1;
}

static ms_status check_point(const ms_law *law, const double *h, double N,
                             ms_diag *d)
{
    if (!(N > 0 && isfinite(N)))
        return ms_diag_set(d, MS_EINPUT, NULL, 0, 0,
                           "model size N must be a positive number, got %g", N);
    for (size_t i = 0; i < law->K; i++)
        if (!(h[i] >= 0 && isfinite(h[i])))
            return ms_diag_set(d, MS_EINPUT, NULL, 0, 0,
                               "mixture weight %zu must be >= 0, got %g", i + 1, h[i]);
    return MS_OK;
}

static ms_status check_D(double D, ms_diag *d)
{
    if (!(D > 0 && isfinite(D)))
        return ms_diag_set(d, MS_EINPUT, NULL, 0, 0,
                           "token budget D must be a positive number, got %g", D);
    return MS_OK;
}

ms_status ms_law_eval_run(const ms_law *law, const double *theta,
                          const double *h, double N, const double *D,
                          size_t nD, double *loss, double *jac, double *work,
                          ms_diag *d)
{
    ms_status st = check_point(law, h, N, d);
    for (size_t k = 0; st == MS_OK && k < nD; k++)
        st = check_D(D[k], d);
    if (st != MS_OK)
        return st;
    if (law->def->eval_run)
        return law->def->eval_run(law, theta, h, N, D, nD, loss, jac, work, d);
    const size_t K = law->K, P = law->n_params;
    double *block = work + law->def->work_size(K);
    ms_pred p = {block, {block + K, block + 2 * K, block + 3 * K}, block + 4 * K, 0};
    for (size_t k = 0; k < nD; k++) {
        st = law->def->eval(law, theta, h, N, D[k], &p, jac ? jac + k * K * P : NULL,
                            work, d);
        if (st != MS_OK)
            return st;
        memcpy(loss + k * K, p.loss, K * sizeof *loss);
    }
    return MS_OK;
}

ms_status ms_law_eval(const ms_law *law, const double *theta, const double *h,
                      double N, double D, ms_pred *out, double *jac,
                      double *work, ms_diag *d)
{
    ms_status st = check_point(law, h, N, d);
    if (st == MS_OK)
        st = check_D(D, d);
    if (st != MS_OK)
        return st;
    return law->def->eval(law, theta, h, N, D, out, jac, work, d);
}

ms_status ms_law_predict(const ms_law *law, const double *theta,
                         const double *h, double N, double D, ms_pred *out,
                         ms_diag *d)
{
    size_t nw = ms_law_work_size(law);
    double *work = malloc((nw ? nw : 1) * sizeof *work);
    if (!work)
        return ms_diag_set(d, MS_ENOMEM, NULL, 0, 0, "out of memory");
    ms_status st = ms_law_eval(law, theta, h, N, D, out, NULL, work, d);
    free(work);
    return st;
}

double ms_pred_mean(const ms_pred *p, size_t K)
{
    double s = 0;
    for (size_t i = 0; i < K; i++)
        s += p->loss[i];
    return K ? s / (double)K : 0;
}
