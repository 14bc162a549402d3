/* simulate.h — synthetic sweeps from a law with known parameters.
 *
 * Every mixture is trained at every model size, with a checkpoint at every
 * token budget: rows = mixtures x sizes x tokens, in that nesting order.
 * Each observed loss is the law's prediction times (1 + noise * z),
 * z ~ N(0, 1), drawn from a seeded generator (GSL mt19937): the same
 * options give the same bytes. */
#ifndef MIXSCOPE_SIMULATE_H
#define MIXSCOPE_SIMULATE_H

#include <stdio.h>

#include "mixscope/diag.h"
#include "mixscope/fitfile.h"

typedef struct {
    size_t n_mixtures;     /* the uniform mixture, then n-1 Dirichlet draws */
    double concentration;  /* Dirichlet alpha for every domain (> 0) */
    double min_weight;     /* every weight >= this (h = m + (1-Km) g) */
    const double *sizes;   /* model sizes, raw parameters */
    size_t n_sizes;
    const double *tokens;  /* token budgets (checkpoints), raw tokens */
    size_t n_tokens;
    double noise;          /* relative noise sd, >= 0 */
    unsigned long seed;
    const char *eval_domain; /* if set, an eval-only <name>_loss column:
                                the mean of the training losses, noised */
    const double *mixes;   /* if set: these n_mixtures x K mixtures instead of
                              Dirichlet draws (each summing to 1) */
} ms_sim_opts;

/* Every mixture on the simplex grid with spacing 1/steps for K domains
 * (K <= 3 keeps it small: 1/steps = 0.1 gives 66 mixtures for K = 3).
 * Returns a new n x K array (free it) and n, or NULL when out of memory or
 * K > 3 (MS_EINPUT, with `d`). */
double *ms_sim_grid(size_t K, unsigned steps, size_t *n, ms_diag *d);

/* Defaults: 40 mixtures, concentration 1, min_weight 0, noise 0.005,
 * seed 1, no sizes or tokens (the caller must set them). */
void ms_sim_opts_init(ms_sim_opts *o);

/* Writes the sweep as CSV (the loader's default column names) to `out`.
 * Returns MS_EINPUT for bad options (e.g. K * min_weight >= 1), MS_ENUMERIC
 * if the law cannot be evaluated, MS_EIO on a write error. */
ms_status ms_simulate_write(FILE *out, const ms_fit *truth,
                            const ms_sim_opts *o, ms_diag *d);

#endif
