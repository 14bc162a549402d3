/* layout.h — where each panel goes for a terminal size. Pure; shared by
 * rendering and mouse hit-testing so the two always agree. */
#ifndef MIXSCOPE_TUI_LAYOUT_H
#define MIXSCOPE_TUI_LAYOUT_H

#include <stddef.h>

#include "tui/state.h"

typedef struct {
    int x, y, w, h;
} tui_rect;

typedef struct {
    int w, h, too_small;
    tui_rect panel[TUI_P_COUNT];
    tui_rect status;
    int rows;                  /* domain rows visible in the mixture and loss panels */
    int name_w;                /* domain name column */
    int slider_x, slider_w;    /* slider track, screen columns */
    int loss_bar_x, loss_bar_w;
    int scale_bar_x, scale_bar_w;
} tui_layout;

tui_layout tui_layout_compute(int w, int h, size_t K);

/* Ranges of the scale sliders (raw counts, log scale). */
#define TUI_N_MIN 1e7
#define TUI_N_MAX 1e12
#define TUI_D_MIN 1e8
#define TUI_D_MAX 1e14

#endif
