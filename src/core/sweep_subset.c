/* ms_sweep_subset: a sweep restricted to some of its rows (for choosing a
 * law on training rows only). */
#include "mixscope/sweep.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static char *dup_str(const char *s)
{
    char *d = malloc(strlen(s) + 1);
    if (d)
        strcpy(d, s);
    return d;
}

ms_sweep *ms_sweep_subset(const ms_sweep *s, const unsigned char *keep)
{
    const size_t K = s->K, L = s->K + s->n_eval;
    size_t n = 0;
    for (size_t r = 0; r < s->n; r++)
        n += keep[r] != 0;
    ms_sweep *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->K = K;
    t->n_eval = s->n_eval;
    t->n = n;
    t->fingerprint = s->fingerprint;
    t->path = dup_str(s->path);
    t->domains = calloc(L, sizeof *t->domains);
    t->h = malloc((n ? n : 1) * K * sizeof *t->h);
    t->model_size = malloc((n ? n : 1) * sizeof *t->model_size);
    t->n_tokens = malloc((n ? n : 1) * sizeof *t->n_tokens);
    t->loss = malloc((n ? n : 1) * L * sizeof *t->loss);
    t->line = malloc((n ? n : 1) * sizeof *t->line);
    t->missing_by_domain = calloc(L, sizeof *t->missing_by_domain);
    int ok = t->path && t->domains && t->h && t->model_size && t->n_tokens && t->loss &&
             t->line && t->missing_by_domain;
    for (size_t i = 0; ok && i < L; i++)
        ok = (t->domains[i] = dup_str(s->domains[i])) != NULL;
    if (!ok) {
        ms_sweep_free(t);
        return NULL;
    }
    for (size_t r = 0, k = 0; r < s->n; r++) {
        if (!keep[r])
            continue;
        memcpy(t->h + k * K, s->h + r * K, K * sizeof *t->h);
        memcpy(t->loss + k * L, s->loss + r * L, L * sizeof *t->loss);
        t->model_size[k] = s->model_size[r];
        t->n_tokens[k] = s->n_tokens[r];
        t->line[k] = s->line[r];
        for (size_t i = 0; i < L; i++)
            if (isnan(t->loss[k * L + i])) {
                t->missing_by_domain[i]++;
                t->n_missing++;
            }
        k++;
    }
    return t;
}
