/* The explorer's text panels, status bar, help and the too-small screen. */
#include "tui/render.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mixscope/units.h"
#include "tui/actions.h"
#include "tui/fitjob.h"
#include "tui/selectjob.h"
#include "tui/tour.h"

/* Per-term bar glyphs: distinct shapes as well as colours. */
static const uint32_t term_glyph[3] = {0x2593, 0x2592, 0x2588};
static const char term_ascii[3] = {'#', '~', '.'};
static const int term_color[3] = {TUI_C_CAPACITY, TUI_C_NOISE, TUI_C_IRREDUCIBLE};

static uint32_t term_char(const tui_canvas *c, int t)
{
    return c->ascii ? (uint32_t)term_ascii[t] : term_glyph[t];
}

void tui_render_mixture(const tui_state *s, const tui_layout *l, tui_canvas *c)
{
    const tui_rect *r = &l->panel[TUI_P_MIX];
    int focus = s->focus == TUI_P_MIX;
    tui_box(c, r->x, r->y, r->w, r->h, "Mixture: weight, capacity x*/C", focus);
    for (int row = 0; row < l->rows; row++) {
        size_t i = (size_t)(s->scroll + row);
        int y = r->y + 1 + row, sel = (int)i == s->sel;
        if (i >= s->K)
            break;
        if (sel)
            tui_put(c, r->x + 1, y, tui_glyph_get(c, TUI_G_ARROW), TUI_C_ACCENT, TUI_A_BOLD);
        tui_text(c, r->x + 2, y, l->name_w, sel ? TUI_C_ACCENT : TUI_C_DEFAULT,
                 sel && focus ? TUI_A_BOLD : 0, s->domains[i]);
        int knob = (int)lround(s->h[i] * (l->slider_w - 1));
        for (int k = 0; k < l->slider_w; k++) {
            uint32_t g = k == knob ? tui_glyph_get(c, TUI_G_KNOB)
                         : k < knob ? tui_glyph_get(c, TUI_G_FULL)
                                    : tui_glyph_get(c, TUI_G_TRACK);
            tui_put(c, l->slider_x + k, y, g, k <= knob ? TUI_C_ACCENT : TUI_C_DIM,
                    k == knob ? TUI_A_BOLD : 0);
        }
        int x = l->slider_x + l->slider_w + 1;
        tui_printf(c, x, y, 5, TUI_C_DEFAULT, sel ? TUI_A_BOLD : 0, "%5.3f", s->h[i]);
        if (s->locked[i])
            tui_put(c, x + 6, y, 'L', TUI_C_BAD, TUI_A_BOLD);
        if (s->pred_ok && s->fit->law.def->has_allocation && s->capacity > 0)
            tui_printf(c, x + 8, y, 4, TUI_C_CAPACITY, 0, "%3.0f%%",
                       100 * s->x[i] / s->capacity);
    }
    if ((size_t)l->rows < s->K)
        tui_printf(c, r->x + r->w - 9, r->y + r->h - 1, 7, TUI_C_DIM, 0, "%d-%d/%zu",
                   s->scroll + 1, s->scroll + l->rows, s->K);
}

/* A log-scale slider for N or D. */
static void scale_bar(const tui_layout *l, tui_canvas *c, int y, double v, double lo,
                      double hi, int sel)
{
    int w = l->scale_bar_w, x0 = l->scale_bar_x;
    int knob = (int)lround(log(v / lo) / log(hi / lo) * (w - 1));
    for (int k = 0; k < w; k++)
        tui_put(c, x0 + k, y, k == knob ? tui_glyph_get(c, TUI_G_KNOB) : tui_glyph_get(c, TUI_G_TRACK),
                k == knob ? TUI_C_ACCENT : TUI_C_DIM, k == knob && sel ? TUI_A_BOLD : 0);
}

void tui_render_scale(const tui_state *s, const tui_layout *l, tui_canvas *c)
{
    const tui_rect *r = &l->panel[TUI_P_SCALE];
    int focus = s->focus == TUI_P_SCALE;
    char a[32];
    tui_box(c, r->x, r->y, r->w, r->h, "Scale: model size N, tokens D", focus);
    static const char *const names[3] = {"N", "D", "D/N"};
    for (int row = 0; row < 3; row++) {
        int y = r->y + 1 + row, sel = focus && (int)s->scale_row == row;
        if (sel)
            tui_put(c, r->x + 1, y, tui_glyph_get(c, TUI_G_ARROW), TUI_C_ACCENT, TUI_A_BOLD);
        tui_text(c, r->x + 2, y, 3, TUI_C_DEFAULT, sel ? TUI_A_BOLD : 0, names[row]);
        if (row == 0) {
            tui_text(c, r->x + 6, y, 7, TUI_C_DEFAULT, TUI_A_BOLD, ms_size_format_digits(s->N, 3, a, sizeof a));
            scale_bar(l, c, y, s->N, TUI_N_MIN, TUI_N_MAX, sel);
        } else if (row == 1) {
            tui_text(c, r->x + 6, y, 7, TUI_C_DEFAULT, TUI_A_BOLD, ms_size_format_digits(s->D, 3, a, sizeof a));
            scale_bar(l, c, y, s->D, TUI_D_MIN, TUI_D_MAX, sel);
        } else {
            tui_printf(c, r->x + 6, y, r->w - 8, TUI_C_DEFAULT, 0, "%.3g tokens/param %s",
                       s->D / s->N, s->tpp_lock ? "(locked: D follows N)" : "(p locks)");
        }
    }
}

/* Loss bars share one scale, rounded up so dragging rarely rescales. */
static double bar_scale(const tui_state *s)
{
    double m = 0;
    for (size_t i = 0; i < s->K; i++)
        m = fmax(m, s->loss[i]);
    return ceil(m * 2) / 2;
}

static void loss_row(const tui_state *s, const tui_layout *l, tui_canvas *c, size_t i, int y,
                     double scale)
{
    int x = l->loss_bar_x, w = l->loss_bar_w, pos = 0;
    double acc = 0;
    for (int t = 0; t < 3; t++) {
        acc += s->term[t][i];
        int end = (int)lround(fmin(acc / scale, 1) * w);
        for (; pos < end; pos++)
            tui_put(c, x + pos, y, term_char(c, t), term_color[t], 0);
    }
    tui_printf(c, x + w + 1, y, 7, TUI_C_DEFAULT, (int)i == s->sel ? TUI_A_BOLD : 0, "%7.4f",
               s->loss[i]);
}

/* "why h*: noise pulls up math code; capacity pulls up web": for each
 * mechanism, the domains whose weight it pulls up at the optimum, strongest
 * first. */
static void why_line(const tui_state *s, tui_canvas *c, int x, int y, int w)
{
    if (!s->why_ok)
        return;
    char buf[512];
    int n = snprintf(buf, sizeof buf, "why h*:");
    static const char *const mech[2] = {"noise", "capacity"};
    for (int m = 0; m < 2; m++) {
        const double *v = m ? s->why_cap : s->why_noise;
        n += snprintf(buf + n, sizeof buf - (size_t)n, "%s %s pulls up", m ? ";" : "", mech[m]);
        int any = 0;
        unsigned char used[256] = {0};
        for (size_t k = 0; k < s->K && k < 4; k++) { /* the four strongest */
            size_t best = SIZE_MAX;
            for (size_t i = 0; i < s->K && i < 256; i++)
                if (!used[i] && v[i] < -1e-9 && (best == SIZE_MAX || v[i] < v[best]))
                    best = i;
            if (best == SIZE_MAX)
                break;
            used[best] = 1;
            any = 1;
            n += snprintf(buf + n, sizeof buf - (size_t)n, " %s", s->domains[best]);
        }
        if (!any)
            n += snprintf(buf + n, sizeof buf - (size_t)n, " nothing");
        if (n >= (int)sizeof buf)
            break;
    }
    tui_wrap(c, x, y, w, 2, TUI_C_DIM, 0, buf);
}

void tui_render_loss(const tui_state *s, const tui_layout *l, tui_canvas *c)
{
    const tui_rect *r = &l->panel[TUI_P_LOSS];
    char a[32], b[32], title[96];
    snprintf(title, sizeof title, "Predicted loss at N=%s, D=%s%s%s",
             ms_size_format_digits(s->N, 3, a, sizeof a), ms_size_format_digits(s->D, 3, b, sizeof b),
             s->mech_off & MS_MECH_COMPETITION ? ", NO COMPETITION" : "",
             s->mech_off & MS_MECH_NOISE ? ", NO NOISE" : "");
    tui_box(c, r->x, r->y, r->w, r->h, title, s->focus == TUI_P_LOSS);
    if (!s->pred_ok) {
        tui_text(c, r->x + 2, r->y + 2, r->w - 4, TUI_C_DIM, 0,
                 s->fit ? "the law cannot be evaluated here" : "waiting for the first fit...");
        return;
    }
    double scale = bar_scale(s);
    for (int row = 0; row < l->rows; row++) {
        size_t i = (size_t)(s->scroll + row);
        if (i >= s->K)
            break;
        int y = r->y + 1 + row;
        tui_text(c, r->x + 1, y, l->name_w, (int)i == s->sel ? TUI_C_ACCENT : TUI_C_DEFAULT,
                 (int)i == s->sel ? TUI_A_BOLD : 0, s->domains[i]);
        loss_row(s, l, c, i, y, scale);
    }
    int y = r->y + 1 + l->rows + 1;
    tui_printf(c, r->x + 1, y, r->w - 2, TUI_C_DEFAULT, TUI_A_BOLD, "mean %.4f", s->mean);
    if (s->opt_ok) {
        double rel = s->mean / s->mean_opt - 1;
        tui_printf(c, r->x + 15, y, r->w - 16, rel > 1e-4 ? TUI_C_BAD : TUI_C_GOOD, 0,
                   r->w > 52 ? "optimum h* here: %.4f (%+.2f%%)" : "h*: %.4f (%+.2f%%)",
                   s->mean_opt, 100 * rel);
    }
    y++;
    int x = r->x + 1;
    for (int t = 0; t < 3; t++) {
        tui_put(c, x, y, term_char(c, t), term_color[t], 0);
        x += 2 + tui_text(c, x + 1, y, r->w - (x - r->x) - 2, TUI_C_DIM, 0,
                          s->fit->law.def->term_names[t]);
    }
    if (r->x + r->w - x > 14)
        tui_printf(c, x + 1, y, r->w - (x - r->x) - 2, TUI_C_DIM, 0, "(bar %.1f)", bar_scale(s));
    why_line(s, c, r->x + 1, y + 1, r->w - 2);
}

void tui_render_status(const tui_state *s, const tui_layout *l, tui_canvas *c)
{
    int y = l->status.y, w = l->status.w;
    tui_fill(c, 0, y, w, 1, ' ', TUI_C_DEFAULT, TUI_A_REVERSE);
    if (s->edit) {
        static const char *const what[] = {"", "weight of ", "model size N", "tokens D",
                                           "write the fit to"};
        tui_printf(c, 0, y, w, TUI_C_DEFAULT, TUI_A_REVERSE, " %s%s: %s_  (Enter: set, Esc: cancel)",
                   what[s->edit], s->edit == TUI_EDIT_WEIGHT ? s->domains[s->sel] : "",
                   s->edit_buf);
        return;
    }
    char job[160], left[256] = "", verdict[160];
    tui_fit_status(s, job, sizeof job);
    tui_select_verdict(s, verdict, sizeof verdict);
    if (!job[0] && !s->message[0] && verdict[0])
        snprintf(job, sizeof job, "%s", verdict);
    const char *file = s->sweep ? strrchr(s->sweep->path, '/') : NULL;
    file = file ? file + 1 : s->sweep ? s->sweep->path : "";
    size_t P = s->fit ? s->fit->law.n_params : 0;
    if (isfinite(s->fit_mre[0]) && isfinite(s->fit_mre[1]))
        snprintf(left, sizeof left, " %s | %s %zup | train %.2f%% test %.2f%%", file,
                 s->law_name, P, 100 * s->fit_mre[0], 100 * s->fit_mre[1]);
    else if (isfinite(s->fit_mre[0]))
        snprintf(left, sizeof left, " %s | %s %zup | MRE %.2f%%", file, s->law_name, P,
                 100 * s->fit_mre[0]);
    else
        snprintf(left, sizeof left, " %s | %s", file, s->law_name);
    const char *msg = job[0] ? job : s->message;
    /* A message that does not fit beside the numbers outranks them: the
     * residuals panel shows the numbers anyway. */
    if (msg[0] && (int)(strlen(left) + strlen(msg)) + 3 + 11 > w)
        snprintf(left, sizeof left, " %s | %s", file, s->law_name);
    int n = tui_text(c, 0, y, w, TUI_C_DEFAULT, TUI_A_REVERSE, left);
    if (msg[0] && w - n - 12 >= 16)
        tui_printf(c, n + 1, y, w - n - 12, s->message_is_error && !job[0] ? TUI_C_BAD : TUI_C_DEFAULT,
                   TUI_A_REVERSE | (s->message_is_error ? TUI_A_BOLD : 0), "| %s", msg);
    tui_text(c, w - 11, y, 11, TUI_C_DEFAULT, TUI_A_REVERSE, " ? help q  ");
}

/* A box over the plots (the tour, the mechanism evidence), so the sliders
 * and bars it talks about stay in view. */
static void render_note(const tui_layout *l, tui_canvas *c, const char *title, const char *text,
                        const char *footer)
{
    const tui_rect *a = &l->panel[TUI_P_CURVES];
    int w = l->w, rows = tui_wrap(NULL, 0, 0, w - 4, a->h - 3, 0, 0, text);
    int h = rows + 3 < a->h ? rows + 3 : a->h, y = l->h - 1 - h;
    tui_fill(c, 0, y, w, h, ' ', TUI_C_DEFAULT, 0);
    tui_box(c, 0, y, w, h, title, 1);
    tui_wrap(c, 2, y + 1, w - 4, h - 3, TUI_C_DEFAULT, TUI_A_BOLD, text);
    tui_text(c, 2, y + h - 2, w - 4, TUI_C_DIM, 0, footer);
}

static void render_tour(const tui_state *s, const tui_layout *l, tui_canvas *c)
{
    char title[96];
    snprintf(title, sizeof title, "Tour %d/%d: %s", s->tour, tui_tour_steps(),
             tui_tour_title(s->tour));
    render_note(l, c, title, s->tour_text,
                "Enter: next step   Esc: leave the tour   (every other key works as usual)");
}

void tui_render_help(const tui_state *s, const tui_layout *l, tui_canvas *c)
{
    (void)s;
    int n = 0;
    for (const tui_binding *b = tui_bindings; b->name; b++)
        n += b->help != NULL;
    int rows = (n + 1) / 2, w = l->w - 4, h = rows + 4, x = 2, y = (l->h - 1 - h) / 2;
    if (y < 0)
        y = 0;
    tui_fill(c, x, y, w, h, ' ', TUI_C_DEFAULT, 0);
    tui_box(c, x, y, w, h, "Keys (Esc or ? closes)", 1);
    int k = 0, colw = (w - 2) / 2;
    for (const tui_binding *b = tui_bindings; b->name; b++) {
        if (!b->help)
            continue;
        int cx = x + 1 + (k / rows) * colw, cy = y + 1 + k % rows;
        tui_text(c, cx + 1, cy, 12, TUI_C_ACCENT, TUI_A_BOLD, b->name);
        tui_text(c, cx + 14, cy, colw - 15, TUI_C_DEFAULT, 0, b->help);
        k++;
    }
    tui_text(c, x + 2, y + h - 2, w - 4, TUI_C_DIM, 0,
             "Mouse: click a slider to set it, drag to move it, wheel to step; click a panel to focus it.");
}

static void render_too_small(const tui_layout *l, tui_canvas *c)
{
    char line[96];
    snprintf(line, sizeof line, "terminal too small (need %dx%d, have %dx%d)", TUI_MIN_W,
             TUI_MIN_H, l->w, l->h);
    int y = l->h / 2 - 1;
    tui_text(c, (l->w - (int)strlen(line)) / 2, y, l->w, TUI_C_BAD, TUI_A_BOLD, line);
    tui_text(c, (l->w - 11) / 2, y + 1, l->w, TUI_C_DEFAULT, 0, "q to quit");
}

void tui_render(const tui_state *s, const tui_layout *l, tui_canvas *c)
{
    tui_canvas_clear(c);
    if (l->too_small) {
        render_too_small(l, c);
        return;
    }
    tui_render_mixture(s, l, c);
    tui_render_scale(s, l, c);
    tui_render_loss(s, l, c);
    tui_render_curves(s, l, c);
    tui_render_residuals(s, l, c);
    tui_render_status(s, l, c);
    if (s->tour)
        render_tour(s, l, c);
    else if (s->show_evidence)
        render_note(l, c, "Mechanism evidence: is capacity competition real here?", s->evidence,
                    "x or Esc closes; move the sliders or the scale and press x again");
    if (s->show_help)
        tui_render_help(s, l, c);
}
