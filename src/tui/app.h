/* app.h — the explorer's entry point and event loop. */
#ifndef MIXSCOPE_TUI_APP_H
#define MIXSCOPE_TUI_APP_H

#include "mixscope/diag.h"
#include "mixscope/fit.h"
#include "mixscope/problem.h"
#include "mixscope/sweep.h"
#include "tui/state.h"

typedef struct {
    const ms_sweep *sweep;   /* borrowed; the explorer reads it */
    const char *params;      /* a fit file to show first, or NULL: fit at start */
    const char *law;         /* the law to fit (default capnoise) */
    const ms_split *split;   /* residual split, or NULL: the largest model size
                                held out when there are 3+ sizes, else 20% of runs */
    ms_checkpoints ckpt;
    const char *mix;         /* starting mixture (mix.h syntax), NULL: uniform */
    double N, D;             /* starting scale (raw), 0: the sweep's largest */
    int color, mouse, ascii;
    int tour;                /* start the guided tour once a fit is shown */
    int no_select;           /* do not run the law selection in the background */
    ms_fit_opts fit;         /* objective and search of background fits
                                (its progress fields are the explorer's) */
} tui_opts;

/* Builds the explorer's state from the options without a terminal (tests
 * render it): the sweep split for residuals, the fit from o->params if
 * given (no background fit is started), the mixture and the scale.
 * tui_state_done frees it. */
ms_status tui_state_open(tui_state *s, const tui_opts *o, ms_diag *d);
void tui_state_done(tui_state *s);

/* Runs the explorer until the user quits. Returns MS_OK, or an error (with
 * `d`) from loading, fitting set-up or the terminal; the terminal is
 * restored in every case. */
ms_status tui_run(const tui_opts *o, ms_diag *d);

#endif
