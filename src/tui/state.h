/* state.h — everything the explorer shows, in one struct.
 *
 * The loop is: input -> action (actions.c) -> new state -> model refresh
 * (model.c: predictions, optimum, metrics; never during drawing) -> render
 * into a canvas (render*.c, pure) -> present (term.c, the only curses). */
#ifndef MIXSCOPE_TUI_STATE_H
#define MIXSCOPE_TUI_STATE_H

#include <stddef.h>

#include "mixscope/fit.h"
#include "mixscope/fitfile.h"
#include "mixscope/metrics.h"
#include "mixscope/problem.h"
#include "mixscope/sweep.h"

typedef enum { TUI_P_MIX, TUI_P_SCALE, TUI_P_LOSS, TUI_P_CURVES, TUI_P_RESID, TUI_P_COUNT } tui_panel;
typedef enum { TUI_EDIT_NONE, TUI_EDIT_WEIGHT, TUI_EDIT_N, TUI_EDIT_D, TUI_EDIT_PATH } tui_edit;
typedef enum { TUI_SCALE_N, TUI_SCALE_D, TUI_SCALE_TPP } tui_scale_row;

struct tui_fitjob;    /* fitjob.h */
struct tui_selectjob; /* selectjob.h */
#define TUI_MAX_LAWS 16
#define TUI_RESID_POINTS 4000

typedef struct {
    /* Data (owned). */
    ms_sweep *sweep;
    ms_problem *problem;  /* the sweep as split for residuals */
    ms_fit *fit;          /* the current law and parameters; NULL until the first fit */
    char law_name[32];    /* the law being shown or fitted */
    size_t K;             /* training domains */
    char **domains;       /* borrowed from problem */
    char source[256];     /* where the fit came from: "fitted", "FIT.json" */

    /* The view. */
    double *h, *h_start;  /* current and starting mixture (sum 1) */
    unsigned char *locked;
    int sel;              /* selected domain */
    int scroll;           /* first domain row shown when K does not fit */
    double N, D;          /* raw counts */
    int tpp_lock;         /* keep D / N fixed while N moves */
    tui_scale_row scale_row;
    tui_panel focus;
    int show_help;
    tui_edit edit;
    char edit_buf[64];
    char message[256];    /* one line for the status bar (errors, hints) */
    int message_is_error;
    int dragging;         /* a slider drag in progress: its domain + 1 */
    unsigned mech_off;    /* MS_MECH_* switched off (teaching toggles) */
    int tour;             /* guided tour step (1-based), 0 = not touring */
    int tour_pending;     /* start the tour when the first fit lands */
    char tour_text[640];  /* what the current step says, with its numbers */
    int show_evidence;    /* the mechanism-evidence overlay (x) */
    char evidence[1600];  /* its text, for evidence_fit */
    const void *evidence_fit;

    /* Derived (model.c). */
    int pred_ok;
    double *loss, *term[3], *x, capacity;
    double mean;
    int opt_ok;           /* h_opt is the optimum at opt_N, opt_D for this fit */
    double *h_opt, opt_N, opt_D, mean_opt;
    double opt_key;       /* what the optimum was last computed for */
    int opt_key_set;
    int metrics_ok;
    ms_metrics metrics;
    size_t nearest_mix_row; /* a run with the mixture nearest to h */
    int why_ok;           /* why_cap/why_noise describe h_opt */
    double *why_cap, *why_noise; /* d(mean term)/d(move weight to i) at h*:
                                    negative = that mechanism pulls i up */

    /* The background fit. */
    struct tui_fitjob *job;
    ms_fit_opts fit_opts; /* objective and search for background fits */
    ms_checkpoints ckpt;

    /* The background law selection (selectjob.h). */
    struct tui_selectjob *select;
    int select_done, no_select;
    size_t n_scores;
    char score_law[TUI_MAX_LAWS][32];
    double score[TUI_MAX_LAWS]; /* extrapolation scores (masked MRE) */
    double fit_mre[2];    /* train, test masked MRE of the shown fit */
    /* The residual plot's data, computed when the fit changes (a frame
     * must not scan a million-row sweep): a thinned sample of the masked
     * cells, their range, and the three worst cells. */
    double *rv_x, *rv_y;  /* TUI_RESID_POINTS predicted, observed */
    unsigned char *rv_test;
    size_t rv_n;
    double rv_lo, rv_hi;
    struct { size_t row, dom, run; double err; } rv_worst[3];
    size_t n_warnings;    /* health warnings of the shown fit (health.h) */
    char warning[200];    /* the first one */

    /* Options. */
    int ascii, color, mouse;
    int quit;
    unsigned long frame;
} tui_state;

/* Sizes below this get the "terminal too small" screen. */
#define TUI_MIN_W 80
#define TUI_MIN_H 24

#endif
