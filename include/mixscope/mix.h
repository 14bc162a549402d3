/* mix.h — mixtures typed by people: "arxiv=0.2,book=0.1,...", "uniform". */
#ifndef MIXSCOPE_MIX_H
#define MIXSCOPE_MIX_H

#include <stddef.h>

#include "mixscope/diag.h"

#define MS_MIX_TOL 1e-3 /* how far from 1 a typed mixture may sum */

/* Parses `spec` for the K domains `names` into h[K] (summing exactly to 1
 * on success). Forms: "uniform"; "name=w,name=w,..." where every domain is
 * listed, or, with `rest` set, the unlisted domains share 1 - sum(listed)
 * equally. Weights are numbers >= 0 (a trailing '%' divides by 100). The
 * listed weights must sum to 1 within MS_MIX_TOL (or <= 1 + tol with rest);
 * they are then rescaled to sum exactly 1. Errors (MS_EINPUT) name `what`
 * (e.g. "--mix") and the offending entry: unknown domain (with the known
 * ones), duplicate, bad number, missing domain, bad sum. */
ms_status ms_mix_parse(const char *spec, const char *const *names, size_t K,
                       int rest, const char *what, double *h, ms_diag *d);

/* Rescales h so it sums to 1. Returns the sum before rescaling. */
double ms_mix_normalize(double *h, size_t K);

#endif
