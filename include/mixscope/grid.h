/* grid.h — the scales of a sweep: its distinct (model size, tokens) points
 * and its distinct mixtures. */
#ifndef MIXSCOPE_GRID_H
#define MIXSCOPE_GRID_H

#include <stddef.h>

#include "mixscope/diag.h"
#include "mixscope/sweep.h"

typedef struct {
    double model_size; /* raw parameters */
    double n_tokens;   /* raw tokens */
    size_t runs;       /* rows at exactly this point */
} ms_grid_point;

typedef struct {
    ms_grid_point *points; /* sorted by model size, then tokens */
    size_t n_points;
    double *sizes; /* distinct model sizes, ascending */
    size_t n_sizes;
    size_t n_mixtures; /* distinct weight vectors (exact comparison) */
} ms_grid;

/* Builds the grid of `s` (O(n log n)). Returns MS_OK or MS_ENOMEM. */
ms_status ms_grid_build(const ms_sweep *s, ms_grid *g, ms_diag *d);
void ms_grid_done(ms_grid *g);

/* Index of the grid point nearest to (model_size, n_tokens) in log-log
 * distance. The grid must have at least one point. */
size_t ms_grid_nearest(const ms_grid *g, double model_size, double n_tokens);

#endif
