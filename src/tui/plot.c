#include "tui/plot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mixscope/units.h"

static double tx(const tui_plot *p, double v) { return p->logx ? log10(v) : v; }
static double ty(const tui_plot *p, double v) { return p->logy ? log10(v) : v; }

/* Data -> dot coordinates (0..2pw-1, 0..4ph-1, y downwards). */
static int to_dot(const tui_plot *p, double x, double y, double *dx, double *dy)
{
    double a = tx(p, x), b = ty(p, y), a0 = tx(p, p->x0), a1 = tx(p, p->x1);
    double b0 = ty(p, p->y0), b1 = ty(p, p->y1);
    if (!isfinite(a) || !isfinite(b) || a1 == a0 || b1 == b0)
        return 0;
    *dx = (a - a0) / (a1 - a0) * (2 * p->pw - 1);
    *dy = (b1 - b) / (b1 - b0) * (4 * p->ph - 1);
    return 1;
}

static void set_dot(tui_plot *p, int dx, int dy, int color)
{
    if (dx < 0 || dy < 0 || dx >= 2 * p->pw || dy >= 4 * p->ph)
        return;
    /* Braille bit layout: left column dots 1,2,3,7; right 4,5,6,8. */
    static const uint8_t bit[2][4] = {{0x01, 0x02, 0x04, 0x40}, {0x08, 0x10, 0x20, 0x80}};
    size_t cell = (size_t)(dy / 4) * (size_t)p->pw + (size_t)(dx / 2);
    p->dots[cell] |= bit[dx % 2][dy % 4];
    p->dot_color[cell] = (uint8_t)color;
}

void tui_nice_range(double *lo, double *hi)
{
    double span = *hi - *lo;
    if (!(span > 0))
        span = fabs(*hi) > 0 ? fabs(*hi) * 0.1 : 1;
    double step = pow(10, floor(log10(span))) / 2;
    *lo = floor(*lo / step) * step;
    *hi = ceil(*hi / step) * step;
    if (*hi <= *lo)
        *hi = *lo + step;
}

static void label(char *buf, size_t len, double v, const char *fmt)
{
    if (fmt && strcmp(fmt, "size") == 0)
        ms_size_format_digits(v, 3, buf, len);
    else
        snprintf(buf, len, fmt ? fmt : "%.3g", v);
}

int tui_plot_begin(tui_plot *p, tui_canvas *c, int x, int y, int w, int h, double x0,
                   double x1, double y0, double y1, int logx, int logy, const char *xfmt)
{
    memset(p, 0, sizeof *p);
    char lo[32], hi[32], mid[32];
    snprintf(lo, sizeof lo, "%.3g", y0);
    snprintf(hi, sizeof hi, "%.3g", y1);
    int lw = (int)(strlen(lo) > strlen(hi) ? strlen(lo) : strlen(hi));
    *p = (tui_plot){c, x, y, w, h, x + lw + 1, y, w - lw - 1, h - 1, x0, x1, y0, y1,
                    logx, logy, NULL, NULL};
    if (p->pw < 4 || p->ph < 2 || !(x1 > x0) || !(y1 > y0))
        return -1;
    p->dots = calloc((size_t)p->pw * (size_t)p->ph, 1);
    p->dot_color = calloc((size_t)p->pw * (size_t)p->ph, 1);
    if (!p->dots || !p->dot_color) {
        tui_plot_end(p);
        return -1;
    }
    /* y axis: top, bottom and middle labels; x axis: ends and middle. */
    tui_text(c, x + lw - (int)strlen(hi), y, lw, TUI_C_DIM, 0, hi);
    tui_text(c, x + lw - (int)strlen(lo), y + p->ph - 1, lw, TUI_C_DIM, 0, lo);
    for (int j = 0; j < p->ph; j++)
        tui_put(c, p->px - 1, y + j, tui_glyph_get(c, TUI_G_VLINE), TUI_C_DIM, 0);
    label(lo, sizeof lo, x0, xfmt);
    label(hi, sizeof hi, x1, xfmt);
    label(mid, sizeof mid, logx ? sqrt(x0 * x1) : (x0 + x1) / 2, xfmt);
    tui_text(c, p->px, y + h - 1, p->pw, TUI_C_DIM, 0, lo);
    tui_text(c, p->px + (p->pw - (int)strlen(mid)) / 2, y + h - 1, (int)strlen(mid), TUI_C_DIM,
             0, mid);
    tui_text(c, p->px + p->pw - (int)strlen(hi), y + h - 1, (int)strlen(hi), TUI_C_DIM, 0, hi);
    return 0;
}

void tui_plot_line(tui_plot *p, const double *xs, const double *ys, size_t n, int color)
{
    if (!p->dots)
        return;
    double px = NAN, py = NAN;
    for (size_t k = 0; k < n; k++) {
        double dx, dy;
        if (!to_dot(p, xs[k], ys[k], &dx, &dy)) {
            px = py = NAN;
            continue;
        }
        if (isnan(px)) {
            set_dot(p, (int)lround(dx), (int)lround(dy), color);
        } else { /* a straight segment, one dot per step of the longer axis */
            int steps = (int)fmax(fabs(dx - px), fabs(dy - py)) + 1;
            for (int s = 0; s <= steps && steps < 100000; s++) {
                double t = (double)s / steps;
                set_dot(p, (int)lround(px + t * (dx - px)), (int)lround(py + t * (dy - py)),
                        color);
            }
        }
        px = dx;
        py = dy;
    }
}

void tui_plot_mark(tui_plot *p, double x, double y, uint32_t uni, char ascii, int color)
{
    double dx, dy;
    if (!p->dots || !to_dot(p, x, y, &dx, &dy))
        return;
    int cx = (int)lround(dx) / 2, cy = (int)lround(dy) / 4;
    if (cx < 0 || cy < 0 || cx >= p->pw || cy >= p->ph)
        return;
    p->dots[(size_t)cy * (size_t)p->pw + (size_t)cx] = 0xFF; /* the marker wins the cell */
    tui_put(p->c, p->px + cx, p->py + cy, p->c->ascii ? (uint32_t)ascii : uni, color,
            TUI_A_BOLD);
}

void tui_plot_end(tui_plot *p)
{
    if (p->dots) {
        for (int j = 0; j < p->ph; j++)
            for (int i = 0; i < p->pw; i++) {
                uint8_t m = p->dots[(size_t)j * (size_t)p->pw + (size_t)i];
                if (!m || m == 0xFF)
                    continue;
                uint32_t ch = p->c->ascii ? '.' : 0x2800u + m;
                tui_put(p->c, p->px + i, p->py + j, ch,
                        p->dot_color[(size_t)j * (size_t)p->pw + (size_t)i], 0);
            }
    }
    free(p->dots);
    free(p->dot_color);
    p->dots = p->dot_color = NULL;
}
