#include "mixscope/grid.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* qsort has no context argument in C11; the row comparators take it from
 * this struct, which each sort builds on its own (no globals). */
typedef struct {
    size_t row;
    const ms_sweep *s;
} row_ref;

static int cmp_scale(const void *pa, const void *pb)
{
    const row_ref *a = pa, *b = pb;
    const ms_sweep *s = a->s;
    double d = s->model_size[a->row] - s->model_size[b->row];
    if (d == 0)
        d = s->n_tokens[a->row] - s->n_tokens[b->row];
    return (d > 0) - (d < 0);
}

static int cmp_mix(const void *pa, const void *pb)
{
    const row_ref *a = pa, *b = pb;
    const ms_sweep *s = a->s;
    for (size_t i = 0; i < s->K; i++) {
        double d = s->h[a->row * s->K + i] - s->h[b->row * s->K + i];
        if (d != 0)
            return (d > 0) - (d < 0);
    }
    return 0;
}

ms_status ms_grid_build(const ms_sweep *s, ms_grid *g, ms_diag *d)
{
    memset(g, 0, sizeof *g);
    row_ref *r = malloc((s->n ? s->n : 1) * sizeof *r);
    g->points = malloc((s->n ? s->n : 1) * sizeof *g->points);
    g->sizes = malloc((s->n ? s->n : 1) * sizeof *g->sizes);
    if (!r || !g->points || !g->sizes) {
        free(r);
        ms_grid_done(g);
        return ms_diag_set(d, MS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < s->n; i++)
        r[i] = (row_ref){i, s};
    qsort(r, s->n, sizeof *r, cmp_scale);
    for (size_t i = 0; i < s->n; i++) {
        double N = s->model_size[r[i].row], D = s->n_tokens[r[i].row];
        if (g->n_points && g->points[g->n_points - 1].model_size == N &&
            g->points[g->n_points - 1].n_tokens == D) {
            g->points[g->n_points - 1].runs++;
            continue;
        }
        g->points[g->n_points++] = (ms_grid_point){N, D, 1};
        if (!g->n_sizes || g->sizes[g->n_sizes - 1] != N)
            g->sizes[g->n_sizes++] = N;
    }
    qsort(r, s->n, sizeof *r, cmp_mix);
    for (size_t i = 0; i < s->n; i++)
        g->n_mixtures += i == 0 || cmp_mix(&r[i - 1], &r[i]) != 0;
    free(r);
    return MS_OK;
}

void ms_grid_done(ms_grid *g)
{
    free(g->points);
    free(g->sizes);
    memset(g, 0, sizeof *g);
}

size_t ms_grid_nearest(const ms_grid *g, double model_size, double n_tokens)
{
    size_t best = 0;
    double bd = INFINITY;
    for (size_t i = 0; i < g->n_points; i++) {
        double dn = log(g->points[i].model_size / model_size);
        double dd = log(g->points[i].n_tokens / n_tokens);
        double dist = dn * dn + dd * dd;
        if (dist < bd) {
            bd = dist;
            best = i;
        }
    }
    return best;
}
