#include "mixscope/problem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "mixscope/grid.h"
#include "mixscope/units.h"

typedef struct {
    size_t row;
    const ms_sweep *s;
} row_ref;

/* Runs first (model size, then mixture), checkpoints in token order. */
static int cmp_rows(const void *pa, const void *pb)
{
    const row_ref *a = pa, *b = pb;
    const ms_sweep *s = a->s;
    double d = s->model_size[a->row] - s->model_size[b->row];
    for (size_t i = 0; d == 0 && i < s->K; i++)
        d = s->h[a->row * s->K + i] - s->h[b->row * s->K + i];
    if (d == 0)
        d = s->n_tokens[a->row] - s->n_tokens[b->row];
    if (d == 0)
        return (a->row > b->row) - (a->row < b->row);
    return (d > 0) - (d < 0);
}

static int same_run(const ms_sweep *s, size_t a, size_t b)
{
    if (s->model_size[a] != s->model_size[b])
        return 0;
    return memcmp(s->h + a * s->K, s->h + b * s->K, s->K * sizeof *s->h) == 0;
}

/* map[k] = sweep column of the law's domain k. */
static ms_status map_domains(const ms_sweep *s, const char *const *domains, size_t K,
                             size_t *map, ms_diag *d)
{
    for (size_t k = 0; k < K; k++) {
        const char *name = domains ? domains[k] : s->domains[k];
        long idx = -1;
        for (size_t i = 0; i < s->K; i++)
            if (strcmp(s->domains[i], name) == 0)
                idx = (long)i;
        if (idx < 0)
            return ms_diag_set(d, MS_EINPUT, s->path, 0, 0,
                               "domain \"%s\" of the fit is not a training domain of this sweep",
                               name);
        map[k] = (size_t)idx;
    }
    for (size_t i = 0; i < s->K; i++) {
        int found = 0;
        for (size_t k = 0; k < K; k++)
            found |= map[k] == i;
        if (!found)
            return ms_diag_set(d, MS_EINPUT, s->path, 0, 0,
                               "training domain \"%s\" of this sweep is not one of the fit's domains",
                               s->domains[i]);
    }
    return MS_OK;
}

static int cond_holds(const ms_cond *c, double N, double D)
{
    double v = c->var == 'N' ? N : D, t = c->value;
    if (strcmp(c->op, "<") == 0) return v < t;
    if (strcmp(c->op, "<=") == 0) return v <= t;
    if (strcmp(c->op, ">") == 0) return v > t;
    if (strcmp(c->op, ">=") == 0) return v >= t;
    return v == t;
}

static int conds_hold(const ms_cond *c, size_t n, double N, double D)
{
    for (size_t k = 0; k < n; k++)
        if (!cond_holds(&c[k], N, D))
            return 0;
    return 1;
}

/* Rows the problem keeps: all, or those at the "at" grid point. */
static size_t select_rows(const ms_sweep *s, const ms_split *sp, ms_problem *p,
                          row_ref *refs, ms_diag *d, ms_status *st)
{
    size_t n = 0;
    double N = 0, D = 0;
    *st = MS_OK;
    if (sp->kind == MS_SPLIT_AT) {
        ms_grid g;
        if ((*st = ms_grid_build(s, &g, d)) != MS_OK)
            return 0;
        const ms_grid_point *gp = &g.points[ms_grid_nearest(&g, sp->at_N, sp->at_D)];
        N = gp->model_size;
        D = gp->n_tokens;
        p->at_point = N != sp->at_N || D != sp->at_D;
        p->at_N = N;
        p->at_D = D;
        ms_grid_done(&g);
    }
    for (size_t r = 0; r < s->n; r++)
        if (sp->kind != MS_SPLIT_AT || (s->model_size[r] == N && s->n_tokens[r] == D))
            refs[n++] = (row_ref){r, s};
    qsort(refs, n, sizeof *refs, cmp_rows);
    return n;
}

static ms_status problem_alloc(ms_problem *p, size_t n, size_t K)
{
    p->K = K;
    p->domains = calloc(K, sizeof *p->domains);
    p->run_h = malloc((n ? n : 1) * K * sizeof *p->run_h);
    p->run_N = malloc((n ? n : 1) * sizeof *p->run_N);
    p->run_first = malloc((n ? n : 1) * sizeof *p->run_first);
    p->run_count = malloc((n ? n : 1) * sizeof *p->run_count);
    p->D = malloc((n ? n : 1) * sizeof *p->D);
    p->obs = malloc((n ? n : 1) * K * sizeof *p->obs);
    p->sweep_row = malloc((n ? n : 1) * sizeof *p->sweep_row);
    p->role = calloc(n ? n : 1, 1);
    p->weight = calloc(n ? n : 1, sizeof *p->weight);
    p->min_loss = malloc(K * sizeof *p->min_loss);
    if (!p->domains || !p->run_h || !p->run_N || !p->run_first || !p->run_count || !p->D ||
        !p->obs || !p->sweep_row || !p->role || !p->weight || !p->min_loss)
        return MS_ENOMEM;
    return MS_OK;
}

/* Copies the selected rows, grouped into runs, in the law's domain order. */
static void fill_rows(ms_problem *p, const ms_sweep *s, const row_ref *refs, size_t n,
                      const size_t *map)
{
    const size_t K = p->K, L = s->K + s->n_eval;
    p->n_rows = n;
    p->n_runs = 0;
    for (size_t k = 0; k < n; k++) {
        size_t r = refs[k].row;
        if (k == 0 || !same_run(s, refs[k - 1].row, r)) {
            size_t u = p->n_runs++;
            p->run_first[u] = k;
            p->run_count[u] = 0;
            p->run_N[u] = ms_units_N(s->model_size[r]);
            for (size_t i = 0; i < K; i++)
                p->run_h[u * K + i] = s->h[r * s->K + map[i]];
        }
        p->run_count[p->n_runs - 1]++;
        p->D[k] = ms_units_D(s->n_tokens[r]);
        p->sweep_row[k] = r;
        for (size_t i = 0; i < K; i++)
            p->obs[k * K + i] = s->loss[r * L + map[i]];
    }
}

static void assign_roles(ms_problem *p, const ms_split *sp)
{
    for (size_t u = 0; u < p->n_runs; u++)
        for (size_t k = p->run_first[u]; k < p->run_first[u] + p->run_count[u]; k++) {
            if (sp->kind != MS_SPLIT_SCALE)
                p->role[k] = MS_ROLE_TRAIN;
            else {
                double N = p->run_N[u] * MS_N_UNIT, D = p->D[k] * MS_D_UNIT;
                int tr = conds_hold(sp->train, sp->n_train, N, D);
                int te = !tr && (sp->n_test ? conds_hold(sp->test, sp->n_test, N, D) : 1);
                p->role[k] = tr ? MS_ROLE_TRAIN : te ? MS_ROLE_TEST : MS_ROLE_UNUSED;
            }
        }
    if (!(sp->kind == MS_SPLIT_RANDOM || sp->kind == MS_SPLIT_AT) || sp->val_frac <= 0)
        return;
    /* Hold out whole runs: a partial Fisher-Yates shuffle of run indices. */
    size_t *idx = malloc(p->n_runs * sizeof *idx);
    if (!idx)
        return; /* caller sees no test rows and reports it */
    for (size_t u = 0; u < p->n_runs; u++)
        idx[u] = u;
    ms_rng rng = ms_rng_stream(sp->seed, 0x5b17);
    size_t n_test = (size_t)floor(sp->val_frac * (double)p->n_runs + 0.5);
    for (size_t t = 0; t < n_test && t < p->n_runs; t++) {
        size_t j = t + (size_t)ms_rng_below(&rng, p->n_runs - t), u = idx[j];
        idx[j] = idx[t];
        idx[t] = u;
        for (size_t k = p->run_first[u]; k < p->run_first[u] + p->run_count[u]; k++)
            p->role[k] = MS_ROLE_TEST;
    }
    free(idx);
}

/* Fit weights by checkpoint treatment, then the training extent. */
static void weigh_rows(ms_problem *p, ms_checkpoints ckpt)
{
    const size_t K = p->K;
    p->N_range[0] = p->D_range[0] = INFINITY;
    p->N_range[1] = p->D_range[1] = -INFINITY;
    for (size_t i = 0; i < K; i++)
        p->min_loss[i] = INFINITY;
    for (size_t u = 0; u < p->n_runs; u++) {
        size_t first = p->run_first[u], end = first + p->run_count[u], n_tr = 0, last = 0;
        for (size_t k = first; k < end; k++)
            if (p->role[k] == MS_ROLE_TRAIN)
                n_tr++, last = k;
        for (size_t k = first; k < end; k++) {
            if (p->role[k] != MS_ROLE_TRAIN)
                continue;
            if (ckpt == MS_CKPT_FINAL && k != last) {
                p->role[k] = MS_ROLE_UNUSED;
                continue;
            }
            /* Residuals are squared: 1/sqrt(n) makes each run weigh 1. */
            p->weight[k] = ckpt == MS_CKPT_WEIGHTED ? 1 / sqrt((double)n_tr) : 1;
            p->N_range[0] = fmin(p->N_range[0], p->run_N[u]);
            p->N_range[1] = fmax(p->N_range[1], p->run_N[u]);
            p->D_range[0] = fmin(p->D_range[0], p->D[k]);
            p->D_range[1] = fmax(p->D_range[1], p->D[k]);
            for (size_t i = 0; i < K; i++)
                if (p->obs[k * K + i] < p->min_loss[i])
                    p->min_loss[i] = p->obs[k * K + i];
        }
    }
}

void ms_problem_score_where(ms_problem *p, const ms_cond *conds, size_t n)
{
    for (size_t u = 0; u < p->n_runs; u++)
        for (size_t k = p->run_first[u]; k < p->run_first[u] + p->run_count[u]; k++)
            p->role[k] = conds_hold(conds, n, p->run_N[u] * MS_N_UNIT, p->D[k] * MS_D_UNIT)
                             ? MS_ROLE_TEST : MS_ROLE_UNUSED;
}

size_t ms_problem_count(const ms_problem *p, ms_role role)
{
    size_t n = 0;
    for (size_t k = 0; k < p->n_rows; k++)
        n += p->role[k] == role;
    return n;
}

ms_status ms_problem_build(const ms_sweep *s, const char *const *domains, size_t K,
                           const ms_split *split, ms_checkpoints ckpt,
                           ms_problem **out, ms_diag *d)
{
    *out = NULL;
    static const ms_split none = {.kind = MS_SPLIT_NONE};
    const ms_split *sp = split ? split : &none;
    if (!domains)
        K = s->K;
    ms_problem *p = calloc(1, sizeof *p);
    size_t *map = malloc(K * sizeof *map);
    row_ref *refs = malloc((s->n ? s->n : 1) * sizeof *refs);
    ms_status st = p && map && refs ? MS_OK : MS_ENOMEM;
    if (st == MS_OK)
        st = map_domains(s, domains, K, map, d);
    size_t n = 0;
    if (st == MS_OK)
        n = select_rows(s, sp, p, refs, d, &st);
    if (st == MS_OK && problem_alloc(p, n, K) != MS_OK)
        st = MS_ENOMEM;
    for (size_t i = 0; st == MS_OK && i < K; i++)
        if (!(p->domains[i] = strdup(s->domains[map[i]])))
            st = MS_ENOMEM;
    if (st == MS_OK) {
        fill_rows(p, s, refs, n, map);
        assign_roles(p, sp);
        weigh_rows(p, ckpt);
        if (!ms_problem_count(p, MS_ROLE_TRAIN))
            st = ms_diag_set(d, MS_EINPUT, s->path, 0, 0, "the split leaves no rows to fit on");
        else if (sp->kind != MS_SPLIT_NONE && !ms_problem_count(p, MS_ROLE_TEST) &&
                 !(sp->kind == MS_SPLIT_AT && sp->val_frac <= 0))
            st = ms_diag_set(d, MS_EINPUT, s->path, 0, 0, "the split leaves no rows to test on");
    }
    if (st == MS_ENOMEM)
        ms_diag_set(d, st, s->path, 0, 0, "out of memory");
    free(map);
    free(refs);
    if (st != MS_OK) {
        ms_problem_free(p);
        return st;
    }
    *out = p;
    return MS_OK;
}

void ms_problem_free(ms_problem *p)
{
    if (!p)
        return;
    if (p->domains)
        for (size_t i = 0; i < p->K; i++)
            free(p->domains[i]);
    free(p->domains), free(p->run_h), free(p->run_N), free(p->run_first);
    free(p->run_count), free(p->D), free(p->obs), free(p->sweep_row);
    free(p->role), free(p->weight), free(p->min_loss);
    free(p);
}
