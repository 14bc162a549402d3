/* render.h — the explorer drawn into a canvas. Pure functions of the state
 * and the layout: no curses, no changes to the state. */
#ifndef MIXSCOPE_TUI_RENDER_H
#define MIXSCOPE_TUI_RENDER_H

#include "tui/canvas.h"
#include "tui/layout.h"
#include "tui/state.h"

/* The whole screen (or the "too small" screen). */
void tui_render(const tui_state *s, const tui_layout *l, tui_canvas *c);

/* Panels (render.c and render_plots.c). */
void tui_render_mixture(const tui_state *s, const tui_layout *l, tui_canvas *c);
void tui_render_scale(const tui_state *s, const tui_layout *l, tui_canvas *c);
void tui_render_loss(const tui_state *s, const tui_layout *l, tui_canvas *c);
void tui_render_curves(const tui_state *s, const tui_layout *l, tui_canvas *c);
void tui_render_residuals(const tui_state *s, const tui_layout *l, tui_canvas *c);
void tui_render_status(const tui_state *s, const tui_layout *l, tui_canvas *c);
void tui_render_help(const tui_state *s, const tui_layout *l, tui_canvas *c);

#endif
