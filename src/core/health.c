#include "mixscope/health.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((format(printf, 2, 3))) static void add(ms_health *h, const char *fmt, ...)
{
    if (h->n >= MS_HEALTH_MAX)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(h->text[h->n++], MS_HEALTH_LEN, fmt, ap);
    va_end(ap);
}

static void bounds(const ms_law *law, const double *theta, const char *const *domains,
                   ms_health *h)
{
    size_t idx[8], n = ms_fit_on_bounds(law, theta, idx, 8);
    for (size_t k = 0; k < n && k < 6; k++) {
        char label[128];
        ms_law_param_label(law, idx[k], domains, label, sizeof label);
        add(h, "%s = %.3g sits at the edge of what the data can identify", label, theta[idx[k]]);
    }
    if (n > 6)
        add(h, "... and %zu more parameters at a bound", n - 6);
}

/* The capacity floor H of the capnoise family collapsed to nothing. */
static void floor_collapse(const ms_problem *p, const ms_law *law, const double *theta,
                           ms_health *h)
{
    const ms_param_group *g = law->def->groups;
    for (size_t k = 0, off = 0; k < law->def->n_groups; k++) {
        if (!strcmp(g[k].name, "H") && theta[off] < 1e-3 * p->N_range[0])
            add(h, "H = %.3g collapsed: the shared capacity floor plays no part (a fit "
                   "without fundamental skills)", theta[off]);
        off += ms_law_group_size(&g[k], law->K);
    }
}

/* Terms that vanish everywhere in the training data, or explode to many
 * times the largest observed loss somewhere in it. */
static void terms(const ms_problem *p, const ms_law *law, const double *theta, ms_health *h)
{
    const size_t K = p->K;
    double *top = calloc(3 * K, sizeof *top), *buf = malloc(5 * K * sizeof *buf);
    double obs_max = 0;
    ms_pred pr = {buf, {buf + K, buf + 2 * K, buf + 3 * K}, buf + 4 * K, 0};
    int ok = top && buf;
    for (size_t u = 0; ok && u < p->n_runs; u++)
        for (size_t k = p->run_first[u]; k < p->run_first[u] + p->run_count[u]; k++) {
            if (p->role[k] != MS_ROLE_TRAIN)
                continue;
            if (ms_law_predict(law, theta, p->run_h + u * K, p->run_N[u], p->D[k], &pr, NULL) !=
                MS_OK)
                continue;
            for (size_t i = 0; i < K; i++) {
                for (int t = 0; t < 2; t++)
                    top[t * K + i] = fmax(top[t * K + i], pr.term[t][i]);
                if (!isnan(p->obs[k * K + i]))
                    obs_max = fmax(obs_max, p->obs[k * K + i]);
            }
        }
    for (size_t i = 0; ok && i < K; i++)
        for (int t = 0; t < 2; t++) {
            if (top[t * K + i] == 0)
                continue; /* zero by design (exp has no scale term) */
            if (top[t * K + i] < 1e-4 * obs_max)
                add(h, "the %s term of %s vanishes: below %.2g everywhere in the training data",
                    law->def->term_names[t], p->domains[i], 1e-4 * obs_max);
            else if (top[t * K + i] > 10 * obs_max)
                add(h, "the %s term of %s explodes: up to %.3g in the training data, %.0fx the "
                       "largest observed loss", law->def->term_names[t], p->domains[i],
                    top[t * K + i], top[t * K + i] / obs_max);
        }
    free(top);
    free(buf);
}

void ms_health_check(const ms_problem *p, const ms_law *law, const double *theta,
                     const ms_fit_result *r, const ms_metrics *m,
                     const char *const *domains, ms_health *h)
{
    memset(h, 0, sizeof *h);
    bounds(law, theta, domains, h);
    floor_collapse(p, law, theta, h);
    terms(p, law, theta, h);
    if (r && r->starts_ok > 1 && r->starts_agree * 4 < r->starts_ok)
        add(h, "only %zu of %zu starts reached the best cost: the fit is not stable; try more "
               "--starts", r->starts_agree, r->starts_ok);
    if (r && r->cancelled)
        add(h, "the fit was cancelled; these are the best parameters so far");
    if (m && m->overall[MS_SET_TEST][0].n) {
        double tr = m->overall[MS_SET_TRAIN][0].mre, te = m->overall[MS_SET_TEST][0].mre;
        if (te > 2 * tr && te > 0.01)
            add(h, "test MRE %.2f%% is %.1fx the training MRE %.2f%%: the law does not carry "
                   "over to the held-out rows", 100 * te, te / tr, 100 * tr);
    }
}
