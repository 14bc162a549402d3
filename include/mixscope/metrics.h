/* metrics.h — how well a law with given parameters predicts a problem.
 *
 * Over (row, domain) cells with an observed loss: MRE = mean |pred-obs|/obs
 * (a fraction, over cells with obs > 0), MAE = mean |pred-obs|, RMSE. The
 * masked metrics keep cells whose domain weight h_i >= mask (the paper's
 * convention, default 0.1); the unmasked ones keep every cell. Reported for
 * the training and the test rows, overall, per domain and per (N, D)
 * scale. */
#ifndef MIXSCOPE_METRICS_H
#define MIXSCOPE_METRICS_H

#include "mixscope/law.h"
#include "mixscope/problem.h"

#define MS_MASK_DEFAULT 0.1

enum { MS_SET_TRAIN, MS_SET_TEST, MS_N_SETS };

typedef struct {
    double mre, mae, rmse; /* NaN when n == 0 */
    size_t n;              /* cells */
} ms_metric;

typedef struct {
    double model_size, n_tokens; /* raw counts */
    int set;                     /* MS_SET_* */
    ms_metric m;                 /* masked */
} ms_scale_metric;

typedef struct {
    size_t K;
    ms_metric overall[MS_N_SETS][2]; /* [set][0 masked, 1 unmasked] */
    ms_metric *domain;               /* [set * K + i], masked */
    ms_scale_metric *scales;         /* sorted by set, N, D */
    size_t n_scales;
    double *pred;                    /* n_rows x K predictions, every row */
} ms_metrics;

/* Predicts every row of `p` and scores it. Returns MS_OK, MS_ENOMEM, or the
 * law's error (MS_ENUMERIC) with `d`. Free with ms_metrics_done. */
ms_status ms_metrics_compute(const ms_problem *p, const ms_law *law,
                             const double *theta, double mask, ms_metrics *m,
                             ms_diag *d);
void ms_metrics_done(ms_metrics *m);

/* Predictions of every row (n_rows x K) into pred. */
ms_status ms_problem_predict(const ms_problem *p, const ms_law *law,
                             const double *theta, double *pred, ms_diag *d);

#endif
