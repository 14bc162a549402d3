#include "tui/layout.h"

tui_layout tui_layout_compute(int w, int h, size_t K)
{
    tui_layout l = {0};
    l.w = w;
    l.h = h;
    l.too_small = w < TUI_MIN_W || h < TUI_MIN_H;
    if (l.too_small)
        return l;
    int left = w * 2 / 5 > 38 ? w * 2 / 5 : 38;
    /* Top: as many domain rows as fit while the plots keep 8 rows. */
    int max_rows = h - 1 - 10 - 6;
    l.rows = (int)K < max_rows ? (int)K : max_rows;
    int mix_h = l.rows + 2, scale_h = 5, top_h = mix_h + scale_h;
    l.panel[TUI_P_MIX] = (tui_rect){0, 0, left, mix_h};
    l.panel[TUI_P_SCALE] = (tui_rect){0, mix_h, left, scale_h};
    l.panel[TUI_P_LOSS] = (tui_rect){left, 0, w - left, top_h};
    int bottom_h = h - 1 - top_h, half = w / 2;
    l.panel[TUI_P_CURVES] = (tui_rect){0, top_h, half, bottom_h};
    l.panel[TUI_P_RESID] = (tui_rect){half, top_h, w - half, bottom_h};
    l.status = (tui_rect){0, h - 1, w, 1};
    /* Mixture row: marker, name, track, value, lock, capacity share. */
    l.name_w = left >= 48 ? 14 : 10;
    l.slider_x = 1 + 1 + l.name_w + 1;
    l.slider_w = left - 2 - (1 + l.name_w + 1) - 7 - 2 - 5;
    /* Loss row: name, bar, value. */
    l.loss_bar_x = left + 1 + l.name_w + 1;
    l.loss_bar_w = (w - left) - 2 - (l.name_w + 1) - 8;
    /* Scale rows: "N  1.3B   " then the bar. */
    l.scale_bar_x = 1 + 12;
    l.scale_bar_w = left - 2 - 12 - 1;
    return l;
}
