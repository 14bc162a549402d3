/* actions.h — what keys and the mouse do. The key table is the single
 * source of the bindings: the help overlay and the man page's INTERACTIVE
 * COMMANDS are generated from / checked against it. No curses here: term.c
 * translates curses key codes into the TUI_KEY_* values. */
#ifndef MIXSCOPE_TUI_ACTIONS_H
#define MIXSCOPE_TUI_ACTIONS_H

#include "tui/layout.h"
#include "tui/state.h"

/* Special keys, above the Unicode range. */
enum {
    TUI_KEY_UP = 0x110001, TUI_KEY_DOWN, TUI_KEY_LEFT, TUI_KEY_RIGHT,
    TUI_KEY_SLEFT, TUI_KEY_SRIGHT, TUI_KEY_PGUP, TUI_KEY_PGDN, TUI_KEY_HOME, TUI_KEY_END,
    TUI_KEY_TAB, TUI_KEY_BTAB, TUI_KEY_ENTER, TUI_KEY_ESC, TUI_KEY_BACKSPACE,
    TUI_KEY_RESIZE, TUI_KEY_F1
};

typedef enum {
    TUI_A_NONE, TUI_A_QUIT, TUI_A_HELP, TUI_A_NEXT_PANEL, TUI_A_PREV_PANEL,
    TUI_A_UP, TUI_A_DOWN, TUI_A_DEC, TUI_A_INC, TUI_A_DEC_BIG, TUI_A_INC_BIG,
    TUI_A_LOCK, TUI_A_OPTIMUM, TUI_A_UNIFORM, TUI_A_RESET, TUI_A_EDIT_WEIGHT,
    TUI_A_N_DOWN, TUI_A_N_UP, TUI_A_D_DOWN, TUI_A_D_UP, TUI_A_EDIT_N, TUI_A_EDIT_D,
    TUI_A_TPP_LOCK, TUI_A_REFIT, TUI_A_CANCEL, TUI_A_LAW, TUI_A_WRITE,
    TUI_A_TOUR, TUI_A_NEXT, TUI_A_TOGGLE_COMPETITION, TUI_A_TOGGLE_NOISE, TUI_A_EVIDENCE,
    TUI_A_COUNT
} tui_action;

typedef struct {
    int key;           /* a character or a TUI_KEY_* value */
    const char *name;  /* as shown in help: "Left/h" */
    tui_action action;
    const char *help;  /* NULL: an alias listed under the first binding */
} tui_binding;

/* The table, terminated by {0}. */
extern const tui_binding tui_bindings[];

/* The action a key maps to (TUI_A_NONE if none). */
tui_action tui_key_action(int key);

/* Applies an action to the state (and refreshes what it changes). */
void tui_apply(tui_state *s, tui_action a);

/* Feeds a key to the line editor when s->edit is active. */
void tui_edit_key(tui_state *s, int key);

typedef enum { TUI_M_PRESS, TUI_M_DRAG, TUI_M_RELEASE, TUI_M_WHEEL_UP, TUI_M_WHEEL_DOWN } tui_mouse_kind;

/* A mouse event at cell (x, y) of the screen laid out as `lay`. */
void tui_apply_mouse(tui_state *s, const tui_layout *lay, tui_mouse_kind kind, int x, int y);

/* Steps on a log scale. */
#define TUI_SCALE_STEP 1.189207115002721 /* 2^(1/4) */

#endif
