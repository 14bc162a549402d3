/* problem.h — a sweep arranged for fitting and scoring a law.
 *
 * Rows of the sweep that share a mixture and a model size are one training
 * run (their token counts are its checkpoints). The problem keeps runs
 * together, in law units (N in millions of parameters, D in billions of
 * tokens), with each row's role in a split: train, test or unused.
 *
 * Splits (DESIGN.md §2, issue "fitting engine"):
 *   none    every row trains;
 *   random  a fraction of the runs (not rows: checkpoints of a run never
 *           straddle the split) is held out, chosen by a seed;
 *   scale   rows are train or test by conditions on N and D
 *           ("N<=310M", "N>310M,D>=5B");
 *   at      only the rows at one (N, D) grid point (exact, else the
 *           nearest in log-log distance), optionally with a random split
 *           inside it.
 * Checkpoint treatment applies to training rows: all of them; only each
 * run's final (largest-D) one; or all, weighted so each run counts once.
 * Test rows are always every checkpoint of the held-out runs. */
#ifndef MIXSCOPE_PROBLEM_H
#define MIXSCOPE_PROBLEM_H

#include <stddef.h>

#include "mixscope/diag.h"
#include "mixscope/sweep.h"

typedef enum { MS_ROLE_UNUSED = 0, MS_ROLE_TRAIN = 1, MS_ROLE_TEST = 2 } ms_role;
typedef enum { MS_CKPT_ALL, MS_CKPT_FINAL, MS_CKPT_WEIGHTED } ms_checkpoints;
typedef enum { MS_SPLIT_NONE, MS_SPLIT_RANDOM, MS_SPLIT_SCALE, MS_SPLIT_AT } ms_split_kind;

/* One condition on a row's scale: var 'N' (parameters) or 'D' (tokens),
 * op one of "<", "<=", ">", ">=", "=", value a raw count. */
typedef struct {
    char var;
    char op[3];
    double value;
} ms_cond;

#define MS_MAX_CONDS 8

typedef struct {
    ms_split_kind kind;
    double val_frac;      /* random (and inside "at"): fraction of runs held out */
    unsigned long seed;   /* random split seed */
    ms_cond train[MS_MAX_CONDS], test[MS_MAX_CONDS]; /* scale: all must hold */
    size_t n_train, n_test; /* scale: n_test 0 = test is "not train" */
    double at_N, at_D;    /* at: raw counts */
} ms_split;

/* Parses "N<=310M", "N>310M,D>=5B" into conds (at most max). Sizes take the
 * suffixes of ms_size_parse. Errors name `what` (the flag). */
ms_status ms_split_parse_conds(const char *text, const char *what, ms_cond *conds,
                               size_t max, size_t *n, ms_diag *d);

/* Writes a one-line description of the split ("train N<=310M, test N>310M")
 * into buf; returns buf. */
char *ms_split_describe(const ms_split *s, char *buf, size_t len);

typedef struct {
    size_t K;            /* training domains, in `domains` order */
    char **domains;      /* K names (copies) */
    size_t n_runs, n_rows;
    double *run_h;       /* n_runs x K */
    double *run_N;       /* n_runs, law units */
    size_t *run_first;   /* first row of each run; a run's rows are contiguous,
                            sorted by D */
    size_t *run_count;
    double *D;           /* n_rows, law units */
    double *obs;         /* n_rows x K observed losses, NaN = missing */
    size_t *sweep_row;   /* n_rows: index of the row in the sweep */
    unsigned char *role; /* n_rows: ms_role */
    double *weight;      /* n_rows: fit weight (0 for rows not trained on) */
    double *min_loss;    /* K: smallest observed training loss per domain */
    double N_range[2], D_range[2]; /* training rows' extent, law units */
    size_t at_point;     /* at: nonzero when the nearest grid point was used */
    double at_N, at_D;   /* at: the grid point used (raw counts) */
} ms_problem;

/* Builds a problem from a sweep. `domains` (K names) fixes the order of the
 * law's domains and must equal the sweep's training domains as a set
 * (matched by name; a missing or extra domain is an MS_EINPUT error naming
 * it); NULL takes the sweep's own order. Returns MS_EINPUT when the split
 * leaves no training row (or, for random/scale splits, no test row). */
ms_status ms_problem_build(const ms_sweep *s, const char *const *domains, size_t K,
                           const ms_split *split, ms_checkpoints ckpt,
                           ms_problem **out, ms_diag *d);

void ms_problem_free(ms_problem *p);

/* For scoring a saved fit: rows at whose scale every condition holds
 * become MS_ROLE_TEST, the others MS_ROLE_UNUSED (n = 0: every row). */
void ms_problem_score_where(ms_problem *p, const ms_cond *conds, size_t n);

/* Number of rows with a role. */
size_t ms_problem_count(const ms_problem *p, ms_role role);

#endif
