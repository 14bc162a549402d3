/* selectjob.h — "which law does this sweep support?" in the background.
 *
 * After the first fit lands, the explorer runs mixscope select's procedure
 * on one thread (so a core stays free for the UI and refits). When it is
 * done, the status bar and the residuals panel say when another law
 * extrapolates clearly better than the one shown. Quitting cancels it at
 * the next iteration of whatever fit it is in. */
#ifndef MIXSCOPE_TUI_SELECTJOB_H
#define MIXSCOPE_TUI_SELECTJOB_H

#include <stddef.h>

#include "tui/state.h"

void tui_select_start(tui_state *s);
/* Picks up a finished selection; returns 1 when something visible changed. */
int tui_select_poll(tui_state *s);
void tui_select_stop(tui_state *s);

/* One line for the status bar and the residuals panel ("" if nothing to
 * say): "separable extrapolates better here (1.70% vs capnoise 3.88%)". */
void tui_select_verdict(const tui_state *s, char *buf, size_t len);

#endif
