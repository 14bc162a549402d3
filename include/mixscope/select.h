/* select.h — which law does the data support? Judged by extrapolation.
 *
 * Each law is fitted and scored on the same splits of a sweep:
 *   - leave the largest model size out (fit on the others, test on it);
 *   - with 4+ sizes, also leave the two largest out;
 *   - one in-scale random split (20% of the runs, seed of the options).
 * A law's extrapolation score is the mean of its masked test MRE over the
 * leave-out splits (every held-out size counts once per split); the law
 * with the lowest score is the one to trust at larger scales. Training
 * error never decides. */
#ifndef MIXSCOPE_SELECT_H
#define MIXSCOPE_SELECT_H

#include "mixscope/fit.h"
#include "mixscope/metrics.h"
#include "mixscope/problem.h"
#include "mixscope/sweep.h"

#define MS_SELECT_MAX_SPLITS 3
#define MS_SELECT_MAX_SIZES 2

typedef struct {
    char name[96];          /* "leave out 937M", "leave out 680M+937M", "random 20%" */
    int extrapolation;      /* a leave-out split (counts in the score) */
    ms_status status;       /* MS_OK or why the fit failed */
    char error[sizeof(ms_diag)];
    double train_mre, test_mre;           /* masked */
    double size_mre[MS_SELECT_MAX_SIZES]; /* per held-out size (extrapolation) */
    double held_out[MS_SELECT_MAX_SIZES]; /* those sizes (raw) */
    size_t n_held_out;
    size_t starts_agree, starts_ok, on_bounds;
    double seconds;
} ms_select_split;

typedef struct {
    const ms_law_def *def;
    size_t n_params;
    ms_select_split split[MS_SELECT_MAX_SPLITS];
    size_t n_splits;
    double score;           /* mean extrapolation MRE (NaN if a split failed) */
} ms_select_law;

typedef struct {
    ms_select_law *laws;
    size_t n_laws;
    size_t best;            /* index of the lowest score (SIZE_MAX: none) */
    size_t n_sizes;         /* distinct model sizes in the sweep */
} ms_selection;

/* Called after each (law, split) fit: return non-zero to stop. */
typedef int (*ms_select_progress_fn)(const ms_select_law *law, size_t split, void *ctx);

/* Runs the procedure for n laws with the fit options `o` (its progress
 * callback, if set, is called by every fit and can cancel the whole run). Needs at least 2 model sizes (MS_EINPUT
 * otherwise). Fits that fail are recorded, not fatal. Free with
 * ms_selection_done. MS_ECANCEL if progress asked to stop. */
ms_status ms_select_run(const ms_sweep *s, const ms_law_def *const *laws, size_t n,
                        const ms_fit_opts *o, ms_checkpoints ckpt,
                        ms_select_progress_fn progress, void *ctx, ms_selection *out,
                        ms_diag *d);
void ms_selection_done(ms_selection *sel);

/* Whether law `a` extrapolates clearly better than law `b`: its score is
 * lower by at least 20% (relative) and 0.2 points of MRE. */
int ms_select_clearly_better(const ms_select_law *a, const ms_select_law *b);

#endif
