/* explain_impl.h — helpers explain.c and explain_data.c share. Private. */
#ifndef MIXSCOPE_EXPLAIN_IMPL_H
#define MIXSCOPE_EXPLAIN_IMPL_H

#include <stdlib.h>
#include <string.h>

#include "mixscope/explain.h"

/* The laws whose term 1 is a noise term A_i (D h_i)^-a_i: for them term 0
 * is the capacity (or model-size) term and the mechanisms have names. */
static inline int has_noise(const ms_law *law)
{
    return strcmp(law->def->term_names[1], "noise") == 0;
}

static inline ms_status oom(ms_diag *d)
{
    return ms_diag_set(d, MS_ENOMEM, NULL, 0, 0, "out of memory");
}

/* Four predictions and one workspace for `law`, freed by preds_free. */
typedef struct {
    ms_pred p[4];
    double *work;
} preds;

static inline ms_status preds_alloc(preds *q, const ms_law *law, ms_diag *d)
{
    memset(q, 0, sizeof *q);
    int ok = (q->work = malloc((ms_law_work_size(law) + 1) * sizeof *q->work)) != NULL;
    for (int k = 0; k < 4; k++)
        ok = ok && ms_pred_alloc(&q->p[k], law->K) == MS_OK;
    return ok ? MS_OK : oom(d);
}

static inline void preds_free(preds *q)
{
    for (int k = 0; k < 4; k++)
        ms_pred_free(&q->p[k]);
    free(q->work);
}

#endif
