/* term.h — the only module that talks to curses.
 *
 * Terminal protocol used (all through ncursesw, except two raw sequences):
 *   - initscr/cbreak/noecho/keypad, nonl; set_escdelay(25) so Esc is quick;
 *   - colours via start_color/use_default_colors, skipped for NO_COLOR;
 *   - mouse via mousemask (press, release, wheel, position) and, because
 *     ncurses only asks for clicks, xterm's button-event mode 1002 for drags:
 *     "\033[?1002h" on open, "\033[?1002l" on close; not at all with
 *     --no-mouse or when the terminal has no kmous entry;
 *   - frames: changed cells only, then wnoutrefresh + one doupdate;
 *   - Ctrl-Z is ncurses' (it restores the terminal, stops, and redraws on
 *     fg); SIGCONT makes the next frame send 1002 again;
 *   - SIGINT, SIGTERM, SIGHUP end the loop and restore the terminal; a crash
 *     signal restores what it safely can (mouse modes, cursor, termios) and
 *     re-raises. */
#ifndef MIXSCOPE_TUI_TERM_H
#define MIXSCOPE_TUI_TERM_H

#include "mixscope/diag.h"
#include "tui/actions.h"
#include "tui/canvas.h"

typedef struct tui_term tui_term;

typedef enum { TUI_EV_NONE, TUI_EV_KEY, TUI_EV_MOUSE, TUI_EV_RESIZE, TUI_EV_SIGNAL } tui_event_kind;

typedef struct {
    tui_event_kind kind;
    int key;              /* TUI_EV_KEY: a character or TUI_KEY_* */
    tui_mouse_kind mouse; /* TUI_EV_MOUSE */
    int x, y;
} tui_event;

/* Opens the terminal. color/mouse: wanted (color is also off under
 * NO_COLOR); *unicode is set when the locale can show UTF-8. NULL with a
 * diagnostic when there is no usable terminal. */
tui_term *tui_term_open(int color, int mouse, int *unicode, ms_diag *d);

/* The same on another terminal (benchmarks drive a pseudo-terminal). */
tui_term *tui_term_open_fds(int in_fd, int out_fd, int color, int mouse, int *unicode,
                            ms_diag *d);

/* Restores the terminal; NULL is a no-op. Safe to call twice. */
void tui_term_close(tui_term *t);

void tui_term_size(const tui_term *t, int *w, int *h);

/* Shows the canvas, writing only the cells that changed since the last
 * frame (a size change repaints everything). Returns bytes the frame asked
 * curses to change (cells), for benchmarks. */
long tui_term_present(tui_term *t, const tui_canvas *c);

/* The signal (SIGINT, SIGTERM, SIGHUP) that ended the loop, or 0. The
 * caller re-raises it after the terminal is restored, so the exit status
 * says what happened. */
int tui_term_signal(void);

/* Waits up to timeout_ms (-1: forever) for one event. Queued mouse motion
 * is coalesced into its latest position. */
void tui_term_read(tui_term *t, int timeout_ms, tui_event *ev);

#endif
