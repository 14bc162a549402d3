/* fitjob.h — fits in a worker thread, so the explorer never blocks.
 *
 * The worker runs ms_fit_run and, from its progress callback, posts a
 * snapshot (start i of R, cost, the best parameters so far) under a mutex.
 * The UI polls the snapshot between key presses: live residuals come from
 * the best parameters so far, and Esc sets the cancel flag the callback
 * returns. A finished fit replaces the shown one only if it is better on
 * the training rows (or is a different law the user asked for). */
#ifndef MIXSCOPE_TUI_FITJOB_H
#define MIXSCOPE_TUI_FITJOB_H

#include "tui/state.h"

/* pthread_create with every signal blocked in the new thread, so SIGINT,
 * SIGTSTP and SIGWINCH reach the main thread (curses' and ours). */
#include <pthread.h>
int tui_thread_start(pthread_t *t, void *(*fn)(void *), void *arg);

/* Starts fitting law `law` to s->problem (a previous job is cancelled
 * first). Messages go to the status bar. */
void tui_start_fit(tui_state *s, const char *law);

/* Asks the running job to stop (it ends at its next iteration). */
void tui_cancel_fit(tui_state *s);

/* Picks up the job's progress; when it has finished, joins it and shows
 * the result. Returns 1 when something visible changed. */
int tui_poll_fit(tui_state *s);

/* Waits for and discards a running job (at exit). */
void tui_stop_fit(tui_state *s);

/* One line describing the running job for the status bar ("" if none). */
void tui_fit_status(const tui_state *s, char *buf, size_t len);

/* Writes the shown fit, with the mixture and scale on screen, to `path`
 * (atomically). */
void tui_write_fit(tui_state *s, const char *path);

#endif
