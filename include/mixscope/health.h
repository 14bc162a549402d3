/* health.h — warnings about a fit that a user should see before trusting
 * it: parameters at a bound, a collapsed capacity floor, terms that vanish
 * or explode inside the data, starts that disagree, test error far above
 * training error. Pure: the callers print or show them. */
#ifndef MIXSCOPE_HEALTH_H
#define MIXSCOPE_HEALTH_H

#include <stddef.h>

#include "mixscope/fit.h"
#include "mixscope/metrics.h"
#include "mixscope/problem.h"

#define MS_HEALTH_MAX 16
#define MS_HEALTH_LEN 200

typedef struct {
    size_t n;
    char text[MS_HEALTH_MAX][MS_HEALTH_LEN];
} ms_health;

/* Checks a fit of `law` with parameters theta on problem p (its training
 * rows and range); r (may be NULL) adds the search's own signs, m (may be
 * NULL) the train/test comparison. domains name the parameters. */
void ms_health_check(const ms_problem *p, const ms_law *law, const double *theta,
                     const ms_fit_result *r, const ms_metrics *m,
                     const char *const *domains, ms_health *h);

#endif
