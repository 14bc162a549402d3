/* plot.h — line and scatter plots in a canvas: braille dots (2x4 per cell)
 * when Unicode is available, one character per cell in ASCII. Axes carry
 * tick labels; x and y may be logarithmic. Pure. */
#ifndef MIXSCOPE_TUI_PLOT_H
#define MIXSCOPE_TUI_PLOT_H

#include "tui/canvas.h"

typedef struct {
    tui_canvas *c;
    int x, y, w, h;          /* the whole plot area, axes included */
    int px, py, pw, ph;      /* the data area, in cells */
    double x0, x1, y0, y1;   /* data range (natural units) */
    int logx, logy;
    uint8_t *dots;           /* pw*ph braille bit masks */
    uint8_t *dot_color;      /* colour of each cell's dots */
} tui_plot;

/* Lays out a plot in (x, y, w, h) of c with tick labels for the ranges;
 * format labels with `xfmt`/`yfmt` (NULL: "%g"; sizes use ms_size_format
 * when xfmt is "size"). Returns 0, or -1 if the area is too small or out
 * of memory (then nothing is drawn and tui_plot_done is still safe). */
int tui_plot_begin(tui_plot *p, tui_canvas *c, int x, int y, int w, int h, double x0,
                   double x1, double y0, double y1, int logx, int logy, const char *xfmt);
/* A polyline through n points (NaN points break it). */
void tui_plot_line(tui_plot *p, const double *xs, const double *ys, size_t n, int color);
/* A marker at a data point, drawn over the dots (ASCII: the given char). */
void tui_plot_mark(tui_plot *p, double x, double y, uint32_t uni, char ascii, int color);
/* Writes the dots into the canvas and frees the plot's buffers. */
void tui_plot_end(tui_plot *p);

/* Nice round range around [lo, hi] for a linear axis. */
void tui_nice_range(double *lo, double *hi);

#endif
