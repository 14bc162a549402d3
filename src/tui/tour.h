/* tour.h — a guided tour of the two mechanisms, for a class. Each step
 * changes the live state (so everything on screen is real) and says what to
 * watch, with the numbers that moved. Enter goes on, Esc leaves; every
 * other key keeps working in between. */
#ifndef MIXSCOPE_TUI_TOUR_H
#define MIXSCOPE_TUI_TOUR_H

#include "tui/state.h"

/* Starts the tour at step 1. */
void tui_tour_start(tui_state *s);
/* The next step (past the last: the tour ends). */
void tui_tour_next(tui_state *s);
void tui_tour_stop(tui_state *s);
/* Number of steps, and the title of step k (1-based). */
int tui_tour_steps(void);
const char *tui_tour_title(int k);

#endif
