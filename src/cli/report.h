/* report.h — printing fits and metrics, and the JSON a fit file records. */
#ifndef MIXSCOPE_CLI_REPORT_H
#define MIXSCOPE_CLI_REPORT_H

#include <jansson.h>
#include <stdio.h>

#include "cli/fitopts.h"
#include "mixscope/fit.h"
#include "mixscope/fitfile.h"
#include "mixscope/metrics.h"
#include "mixscope/sweep.h"

/* Overall table: train and test, masked and unmasked, MRE/MAE/RMSE. */
void report_overall(FILE *f, const ms_metrics *m, double mask);
/* Masked MRE per domain (train, test) and per model size. */
void report_breakdown(FILE *f, const ms_metrics *m, const ms_problem *p);
/* Parameters with standard errors and, when `boot` (B x P samples) is not
 * NULL, 95% bootstrap intervals; flags those on bounds. */
void report_params(FILE *f, const ms_fit_result *r, const char *const *domains,
                   const double *boot, size_t B);
/* Health warnings (health.h), one "warning: ..." line each. Returns how
 * many were printed. */
size_t report_warnings(FILE *f, const ms_problem *p, const ms_fit_result *r,
                       const ms_metrics *m, const char *const *domains);

/* {"mre","mae","rmse","n"} (fractions). */
json_t *report_metric_json(const ms_metric *x);
/* {"train": {..., "unmasked": {...}, "domains": [...]}, "test": ...,
 *  "scales": [...]} */
json_t *report_metrics_json(const ms_metrics *m, const ms_problem *p);

/* A fit file for the result: law, domains, parameters, and meta with the
 * sweep fingerprint, split, objective, search, metrics, standard errors and
 * the training range. NULL when out of memory. */
ms_fit *report_fit_file(const ms_fit_result *r, const ms_problem *p, const ms_metrics *m,
                        const fitopts *fo, const ms_sweep *s);

/* Stores B x P bootstrap samples in the fit's meta ("bootstrap"). */
void report_add_bootstrap(ms_fit *f, const double *boot, size_t B);
/* Reads them back: a new B x P array (free it) and B, or NULL. */
double *report_get_bootstrap(const ms_fit *f, size_t *B);

#endif
