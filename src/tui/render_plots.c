/* The explorer's plots: loss curves against D, and residuals. */
#include "tui/render.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mixscope/units.h"
#include "tui/model.h"
#include "tui/plot.h"
#include "tui/selectjob.h"

#define CURVE_PTS 48
#define MAX_CURVES 5

static const int curve_color[MAX_CURVES] = {TUI_C_NOISE, TUI_C_CAPACITY, TUI_C_IRREDUCIBLE,
                                            TUI_C_GOOD, TUI_C_ACCENT};

/* Model sizes to draw: up to 4 of the sweep's, evenly spaced, then the
 * current N. Returns how many. */
static int curve_sizes(const tui_state *s, double *sizes)
{
    int n = 0;
    const ms_problem *p = s->problem;
    double distinct[64];
    int nd = 0;
    for (size_t u = 0; p && u < p->n_runs && nd < 64; u++) {
        double N = p->run_N[u] * MS_N_UNIT;
        int seen = 0;
        for (int k = 0; k < nd; k++)
            seen |= distinct[k] == N;
        if (!seen)
            distinct[nd++] = N;
    }
    for (int k = 0; k < nd; k++) /* insertion sort: a handful of sizes */
        for (int j = k; j > 0 && distinct[j - 1] > distinct[j]; j--) {
            double t = distinct[j];
            distinct[j] = distinct[j - 1];
            distinct[j - 1] = t;
        }
    int take = nd < MAX_CURVES - 1 ? nd : MAX_CURVES - 1;
    for (int k = 0; k < take; k++) {
        double N = distinct[take > 1 ? k * (nd - 1) / (take - 1) : 0];
        if (N != s->N) /* the current size is drawn last, once */
            sizes[n++] = N;
    }
    sizes[n++] = s->N;
    return n;
}

/* The law's loss of domain `i` at mixture h for N, D (raw): NaN on error. */
static double law_loss(const tui_state *s, size_t i, double N, double D, ms_pred *p)
{
    ms_law law = tui_model_law(s);
    if (ms_law_predict(&law, s->fit->theta, s->h, ms_units_N(N), ms_units_D(D), p,
                       NULL) != MS_OK)
        return NAN;
    return p->loss[i];
}

static void d_range(const tui_state *s, double *lo, double *hi)
{
    *lo = s->D;
    *hi = s->D;
    const ms_problem *p = s->problem;
    for (size_t k = 0; p && k < p->n_rows; k++) {
        *lo = fmin(*lo, p->D[k] * MS_D_UNIT);
        *hi = fmax(*hi, p->D[k] * MS_D_UNIT);
    }
    /* Round outwards to 1, 2, 5 x 10^k so the axis labels read well. */
    static const double steps[3] = {1, 2, 5};
    double l = pow(10, floor(log10(*lo / 1.2))), h = pow(10, floor(log10(*hi * 1.2)));
    for (int k = 2; k >= 0; k--)
        if (l * steps[k] <= *lo / 1.2) {
            l *= steps[k];
            break;
        }
    for (int k = 0; k < 3; k++)
        if (h * steps[k] >= *hi * 1.2) {
            h *= steps[k];
            break;
        }
    if (h < *hi * 1.2)
        h *= 10;
    *lo = l;
    *hi = h;
}

/* Observed points of the runs with the mixture nearest to h. */
static void observed_points(const tui_state *s, tui_plot *pl, size_t i)
{
    const ms_problem *p = s->problem;
    if (!p || !p->n_runs)
        return;
    const double *hn = p->run_h + s->nearest_mix_row * s->K;
    for (size_t u = 0; u < p->n_runs; u++) {
        if (memcmp(p->run_h + u * s->K, hn, s->K * sizeof *hn) != 0)
            continue;
        for (size_t k = p->run_first[u]; k < p->run_first[u] + p->run_count[u]; k++) {
            double y = p->obs[k * s->K + i];
            if (isnan(y))
                continue;
            int test = p->role[k] == MS_ROLE_TEST;
            tui_plot_mark(pl, p->D[k] * MS_D_UNIT, y, test ? 0x00D7 : 0x2022, test ? 'x' : '*',
                          test ? TUI_C_BAD : TUI_C_GOOD);
        }
    }
}

void tui_render_curves(const tui_state *s, const tui_layout *l, tui_canvas *c)
{
    const tui_rect *r = &l->panel[TUI_P_CURVES];
    char title[96];
    size_t i = (size_t)s->sel;
    snprintf(title, sizeof title, "Loss of %s vs D", s->domains[i]);
    tui_box(c, r->x, r->y, r->w, r->h, title, s->focus == TUI_P_CURVES);
    if (!s->fit || !s->pred_ok)
        return;
    double sizes[MAX_CURVES], D0, D1, xs[CURVE_PTS], ys[MAX_CURVES][CURVE_PTS];
    double y0 = INFINITY, y1 = -INFINITY;
    int n = curve_sizes(s, sizes);
    d_range(s, &D0, &D1);
    double buf[5 * 64];
    ms_pred p = {buf, {buf + 64, buf + 128, buf + 192}, buf + 256, 0};
    if (s->K > 64)
        return;
    for (int k = 0; k < CURVE_PTS; k++)
        xs[k] = D0 * pow(D1 / D0, (double)k / (CURVE_PTS - 1));
    for (int v = 0; v < n; v++)
        for (int k = 0; k < CURVE_PTS; k++) {
            ys[v][k] = law_loss(s, i, sizes[v], xs[k], &p);
            if (isfinite(ys[v][k]))
                y0 = fmin(y0, ys[v][k]), y1 = fmax(y1, ys[v][k]);
        }
    if (!(y1 > y0))
        return;
    tui_nice_range(&y0, &y1);
    tui_plot pl;
    /* The last inner row holds the legend. */
    if (tui_plot_begin(&pl, c, r->x + 1, r->y + 1, r->w - 2, r->h - 3, D0, D1, y0, y1, 1, 0,
                       "size") != 0)
        return;
    for (int v = 0; v < n; v++)
        tui_plot_line(&pl, xs, ys[v], CURVE_PTS, curve_color[v]);
    observed_points(s, &pl, i);
    tui_plot_mark(&pl, s->D, s->loss[i], 0x25C6, 'O', TUI_C_ACCENT);
    tui_plot_end(&pl);
    int x = r->x + 1, y = r->y + r->h - 2;
    char a[32];
    for (int v = 0; v < n && x < r->x + r->w - 6; v++) {
        tui_put(c, x, y, c->ascii ? '-' : 0x2500, curve_color[v], TUI_A_BOLD);
        x += 1 + tui_printf(c, x + 1, y, r->x + r->w - 2 - x, curve_color[v], v == n - 1 ? TUI_A_BOLD : 0,
                            "%s%s ", ms_size_format_digits(sizes[v], 3, a, sizeof a), v == n - 1 ? " now" : "");
    }
}

static void mre_bars(const tui_state *s, tui_canvas *c, int x, int y, int w, int h)
{
    tui_text(c, x, y, w, TUI_C_DIM, 0, "MRE % per domain: * train x test");
    double top = 0;
    for (size_t i = 0; i < 2 * s->K; i++)
        if (isfinite(s->metrics.domain[i].mre))
            top = fmax(top, s->metrics.domain[i].mre);
    for (size_t i = 0; i < s->K && (int)i < h - 1; i++) {
        const ms_metric *tr = &s->metrics.domain[i], *te = &s->metrics.domain[s->K + i];
        int yy = y + 1 + (int)i, bw = w - 22;
        tui_text(c, x, yy, 10, TUI_C_DEFAULT, 0, s->domains[i]);
        int a = isfinite(tr->mre) && top > 0 ? (int)lround(tr->mre / top * bw) : 0;
        int b = isfinite(te->mre) && top > 0 ? (int)lround(te->mre / top * bw) : 0;
        for (int k = 0; k < bw; k++)
            if (k < a || k < b)
                tui_put(c, x + 11 + k, yy, k < a && k < b ? '#' : k < a ? '*' : 'x',
                        k < b && k >= a ? TUI_C_BAD : TUI_C_GOOD, 0);
        tui_printf(c, x + 11 + bw, yy, 11, TUI_C_DEFAULT, 0, "%5.2f %5.2f", 100 * tr->mre,
                   isfinite(te->mre) ? 100 * te->mre : 0.0);
    }
}

void tui_render_residuals(const tui_state *s, const tui_layout *l, tui_canvas *c)
{
    const tui_rect *r = &l->panel[TUI_P_RESID];
    char title[128];
    if (s->metrics_ok && isfinite(s->fit_mre[1]))
        snprintf(title, sizeof title, "Residuals: train %.2f%% test %.2f%%",
                 100 * s->fit_mre[0], 100 * s->fit_mre[1]);
    else
        snprintf(title, sizeof title, "Residuals: observed vs predicted");
    tui_box(c, r->x, r->y, r->w, r->h, title, s->focus == TUI_P_RESID);
    if (!s->metrics_ok)
        return;
    char verdict[160];
    tui_select_verdict(s, verdict, sizeof verdict);
    if (verdict[0]) /* the bottom border carries it, so the plot keeps its rows */
        tui_printf(c, r->x + 2, r->y + r->h - 1, r->w - 4, TUI_C_BAD, TUI_A_BOLD, " %s ", verdict);
    else if (s->n_warnings)
        tui_printf(c, r->x + 2, r->y + r->h - 1, r->w - 4, TUI_C_BAD, TUI_A_BOLD, " %zu warning%s: %s ",
                   s->n_warnings, s->n_warnings > 1 ? "s" : "", s->warning);
    int wide = r->w >= 76, pw = wide ? r->w / 2 : r->w - 2;
    double lo = s->rv_lo, hi = s->rv_hi;
    const ms_problem *p = s->problem;
    if (!(hi > lo))
        return;
    tui_nice_range(&lo, &hi);
    tui_plot pl;
    if (tui_plot_begin(&pl, c, r->x + 1, r->y + 1, pw, r->h - 2, lo, hi, lo, hi, 0, 0, "%.2g") != 0)
        return;
    double diag[2] = {lo, hi};
    tui_plot_line(&pl, diag, diag, 2, TUI_C_DIM);
    for (size_t k = 0; k < s->rv_n; k++) /* a thinned sample of big sweeps */
        tui_plot_mark(&pl, s->rv_x[k], s->rv_y[k], s->rv_test[k] ? 0x00D7 : 0x2022,
                      s->rv_test[k] ? 'x' : '*', s->rv_test[k] ? TUI_C_BAD : TUI_C_GOOD);
    tui_plot_end(&pl);
    if (!wide)
        return;
    int x = r->x + pw + 2, w = r->w - pw - 3;
    mre_bars(s, c, x, r->y + 1, w, r->h - 6);
    int y = r->y + r->h - 5;
    tui_text(c, x, y, w, TUI_C_DIM, 0, "worst: domain N D observed predicted");
    for (int k = 0; k < 3 && s->rv_worst[k].err >= 0; k++) {
        char a[32], b[32];
        size_t row = s->rv_worst[k].row, dom = s->rv_worst[k].dom, u = s->rv_worst[k].run;
        tui_printf(c, x, y + 1 + k, w, TUI_C_BAD, 0, "%-8.8s %s %s %.3f %.3f l.%ld",
                   s->domains[dom], ms_size_format_digits(p->run_N[u] * MS_N_UNIT, 3, a, sizeof a),
                   ms_size_format_digits(p->D[row] * MS_D_UNIT, 3, b, sizeof b),
                   p->obs[row * s->K + dom], s->metrics.pred[row * s->K + dom],
                   s->sweep ? s->sweep->line[p->sweep_row[row]] : 0L);
    }
}
