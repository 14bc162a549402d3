/* model.h — what the explorer derives from its state: predictions at the
 * current mixture and scale, the optimum at this scale, the residuals of
 * the shown fit. Called after actions, never while drawing. */
#ifndef MIXSCOPE_TUI_MODEL_H
#define MIXSCOPE_TUI_MODEL_H

#include "tui/state.h"

/* Allocates the per-domain arrays of s (K from s->K). 0 or -1 (memory). */
int tui_model_init(tui_state *s);
void tui_model_done(tui_state *s);

/* Recomputes the predictions at (h, N, D); recomputes the optimum when the
 * scale or the fit changed since it was computed. */
void tui_model_refresh(tui_state *s);

/* The fit changed: recompute metrics (residuals) and invalidate the optimum. */
void tui_model_fit_changed(tui_state *s);

/* Replaces the shown fit (takes ownership of f). */
void tui_model_set_fit(tui_state *s, ms_fit *f);

/* The shown law with the teaching toggles applied (valid while s->fit is). */
ms_law tui_model_law(const tui_state *s);

/* Sets s->message (printf-style); is_error colours it. */
void tui_message(tui_state *s, int is_error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
