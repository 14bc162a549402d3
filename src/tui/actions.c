#include "tui/actions.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mixscope/units.h"
#include "tui/fitjob.h"
#include "tui/mixmath.h"
#include "tui/model.h"
#include "tui/evidence.h"
#include "tui/tour.h"

const tui_binding tui_bindings[] = {
    {'q', "q", TUI_A_QUIT, "quit"},
    {'?', "?", TUI_A_HELP, "show or hide this help"},
    {TUI_KEY_F1, "F1", TUI_A_HELP, NULL},
    {TUI_KEY_TAB, "Tab", TUI_A_NEXT_PANEL, "next panel (Shift-Tab: previous)"},
    {TUI_KEY_BTAB, "Shift-Tab", TUI_A_PREV_PANEL, NULL},
    {TUI_KEY_UP, "Up/k", TUI_A_UP, "previous domain (scale panel: previous row)"},
    {'k', "k", TUI_A_UP, NULL},
    {TUI_KEY_DOWN, "Down/j", TUI_A_DOWN, "next domain (scale panel: next row)"},
    {'j', "j", TUI_A_DOWN, NULL},
    {TUI_KEY_LEFT, "Left/h", TUI_A_DEC, "lower the weight by 0.01 (scale: step down)"},
    {'h', "h", TUI_A_DEC, NULL},
    {TUI_KEY_RIGHT, "Right/l", TUI_A_INC, "raise the weight by 0.01 (scale: step up)"},
    {'l', "l", TUI_A_INC, NULL},
    {'H', "H/Shift-Left", TUI_A_DEC_BIG, "lower by 0.05 (scale: halve)"},
    {TUI_KEY_SLEFT, "Shift-Left", TUI_A_DEC_BIG, NULL},
    {TUI_KEY_PGDN, "PgDn", TUI_A_DEC_BIG, NULL},
    {'L', "L/Shift-Right", TUI_A_INC_BIG, "raise by 0.05 (scale: double)"},
    {TUI_KEY_SRIGHT, "Shift-Right", TUI_A_INC_BIG, NULL},
    {TUI_KEY_PGUP, "PgUp", TUI_A_INC_BIG, NULL},
    {' ', "Space", TUI_A_LOCK, "lock or unlock the selected weight"},
    {'o', "o", TUI_A_OPTIMUM, "jump to the optimal mixture h* at this scale"},
    {'u', "u", TUI_A_UNIFORM, "uniform mixture (locked weights stay)"},
    {'r', "r", TUI_A_RESET, "reset to the starting mixture"},
    {'e', "e", TUI_A_EDIT_WEIGHT, "type the selected weight"},
    {'[', "[", TUI_A_N_DOWN, "smaller model (N / 2^(1/4))"},
    {']', "]", TUI_A_N_UP, "larger model (N x 2^(1/4))"},
    {'{', "{", TUI_A_D_DOWN, "fewer tokens (D / 2^(1/4))"},
    {'}', "}", TUI_A_D_UP, "more tokens (D x 2^(1/4))"},
    {'n', "n", TUI_A_EDIT_N, "type the model size (7B, 1.3e9, 200M)"},
    {'d', "d", TUI_A_EDIT_D, "type the token budget"},
    {'p', "p", TUI_A_TPP_LOCK, "lock tokens per parameter: D follows N"},
    {'f', "f", TUI_A_REFIT, "refit in the background (Esc cancels)"},
    {'m', "m", TUI_A_LAW, "switch law (capnoise, capnoise-g, separable, ...)"},
    {'w', "w", TUI_A_WRITE, "write the fit and the mixture as JSON"},
    {'c', "c", TUI_A_TOGGLE_COMPETITION, "capacity competition off/on (equal split)"},
    {'z', "z", TUI_A_TOGGLE_NOISE, "noise term off/on"},
    {'t', "t", TUI_A_TOUR, "guided tour of the two mechanisms"},
    {'x', "x", TUI_A_EVIDENCE, "mechanism evidence: competition in the law and the data"},
    {TUI_KEY_ENTER, "Enter", TUI_A_NEXT, "next step of the tour"},
    {TUI_KEY_ESC, "Esc", TUI_A_CANCEL, "cancel: close help, stop typing or the fit"},
    {0, NULL, TUI_A_NONE, NULL},
};

tui_action tui_key_action(int key)
{
    for (const tui_binding *b = tui_bindings; b->name; b++)
        if (b->key == key)
            return b->action;
    return TUI_A_NONE;
}

static int domain_panel(const tui_state *s)
{
    return s->focus != TUI_P_SCALE;
}

static void select_domain(tui_state *s, int i, int rows)
{
    if (i < 0 || (size_t)i >= s->K)
        return;
    s->sel = i;
    if (rows > 0 && s->sel < s->scroll)
        s->scroll = s->sel;
    if (rows > 0 && s->sel >= s->scroll + rows)
        s->scroll = s->sel - rows + 1;
}

static void set_weight(tui_state *s, double v)
{
    if (s->locked[s->sel])
        tui_message(s, 1, "%s is locked (Space unlocks it)", s->domains[s->sel]);
    else if (!tui_mix_set(s->h, s->locked, s->K, (size_t)s->sel, v))
        tui_message(s, 0, "no other unlocked weight can make room");
}

static void clamp_scale(tui_state *s)
{
    s->N = fmin(fmax(s->N, TUI_N_MIN), TUI_N_MAX);
    s->D = fmin(fmax(s->D, TUI_D_MIN), TUI_D_MAX);
}

/* Steps N or D by factor^k; with the tokens-per-parameter lock, D follows N. */
static void step_scale(tui_state *s, tui_scale_row row, int k)
{
    double f = pow(TUI_SCALE_STEP, k), tpp = s->D / s->N;
    if (row == TUI_SCALE_N || row == TUI_SCALE_TPP) {
        s->N *= f;
        if (s->tpp_lock)
            s->D = s->N * tpp;
    } else {
        s->D *= f;
        s->tpp_lock = 0;
    }
    clamp_scale(s);
}

static void adjust(tui_state *s, int dir, int big)
{
    if (domain_panel(s))
        set_weight(s, s->h[s->sel] + dir * (big ? 0.05 : 0.01));
    else
        step_scale(s, s->scale_row, dir * (big ? 4 : 1));
}

static void start_edit(tui_state *s, tui_edit e)
{
    char a[32];
    s->edit = e;
    if (e == TUI_EDIT_WEIGHT)
        snprintf(s->edit_buf, sizeof s->edit_buf, "%.4g", s->h[s->sel]);
    else if (e == TUI_EDIT_N || e == TUI_EDIT_D)
        snprintf(s->edit_buf, sizeof s->edit_buf, "%s",
                 ms_size_format(e == TUI_EDIT_N ? s->N : s->D, a, sizeof a));
    else
        snprintf(s->edit_buf, sizeof s->edit_buf, "mixscope-fit.json");
}

static void cycle_law(tui_state *s)
{
    const ms_law_def *const *defs = ms_law_defs();
    size_t n = 0, cur = 0;
    for (; defs[n]; n++)
        if (strcmp(defs[n]->name, s->law_name) == 0)
            cur = n;
    tui_start_fit(s, defs[(cur + 1) % n]->name);
}

static void apply_cancel(tui_state *s)
{
    if (s->show_help)
        s->show_help = 0;
    else if (s->show_evidence)
        s->show_evidence = 0;
    else if (s->edit)
        s->edit = TUI_EDIT_NONE;
    else if (s->tour)
        tui_tour_stop(s);
    else if (s->job)
        tui_cancel_fit(s);
}

void tui_apply(tui_state *s, tui_action a)
{
    switch (a) {
    case TUI_A_NONE: return;
    case TUI_A_QUIT: s->quit = 1; return;
    case TUI_A_HELP: s->show_help = !s->show_help; return;
    case TUI_A_CANCEL: apply_cancel(s); return;
    case TUI_A_NEXT_PANEL: s->focus = (tui_panel)((s->focus + 1) % TUI_P_COUNT); return;
    case TUI_A_PREV_PANEL:
        s->focus = (tui_panel)((s->focus + TUI_P_COUNT - 1) % TUI_P_COUNT);
        return;
    case TUI_A_UP:
    case TUI_A_DOWN:
        if (domain_panel(s))
            select_domain(s, s->sel + (a == TUI_A_UP ? -1 : 1), -1);
        else
            s->scale_row = (tui_scale_row)((s->scale_row + (a == TUI_A_UP ? 2 : 1)) % 3);
        return;
    case TUI_A_DEC: adjust(s, -1, 0); break;
    case TUI_A_INC: adjust(s, 1, 0); break;
    case TUI_A_DEC_BIG: adjust(s, -1, 1); break;
    case TUI_A_INC_BIG: adjust(s, 1, 1); break;
    case TUI_A_LOCK: s->locked[s->sel] = !s->locked[s->sel]; break;
    case TUI_A_UNIFORM: tui_mix_uniform(s->h, s->locked, s->K); break;
    case TUI_A_RESET: memcpy(s->h, s->h_start, s->K * sizeof *s->h); break;
    case TUI_A_OPTIMUM:
        if (s->opt_ok)
            memcpy(s->h, s->h_opt, s->K * sizeof *s->h);
        else
            tui_message(s, 1, "no optimum yet (is a fit shown?)");
        break;
    case TUI_A_EDIT_WEIGHT: start_edit(s, TUI_EDIT_WEIGHT); return;
    case TUI_A_EDIT_N: start_edit(s, TUI_EDIT_N); return;
    case TUI_A_EDIT_D: start_edit(s, TUI_EDIT_D); return;
    case TUI_A_WRITE: start_edit(s, TUI_EDIT_PATH); return;
    case TUI_A_N_DOWN: step_scale(s, TUI_SCALE_N, -1); break;
    case TUI_A_N_UP: step_scale(s, TUI_SCALE_N, 1); break;
    case TUI_A_D_DOWN: step_scale(s, TUI_SCALE_D, -1); break;
    case TUI_A_D_UP: step_scale(s, TUI_SCALE_D, 1); break;
    case TUI_A_TPP_LOCK:
        s->tpp_lock = !s->tpp_lock;
        if (s->tpp_lock)
            tui_message(s, 0, "tokens per parameter locked at %.1f: D follows N", s->D / s->N);
        else
            tui_message(s, 0, "tokens per parameter unlocked");
        return;
    case TUI_A_REFIT: tui_start_fit(s, s->law_name); return;
    case TUI_A_TOUR: tui_tour_start(s); return;
    case TUI_A_EVIDENCE:
        s->show_evidence = !s->show_evidence;
        if (s->show_evidence)
            tui_evidence_update(s);
        return;
    case TUI_A_NEXT:
        if (s->tour)
            tui_tour_next(s);
        return;
    case TUI_A_TOGGLE_COMPETITION:
    case TUI_A_TOGGLE_NOISE: {
        unsigned bit = a == TUI_A_TOGGLE_NOISE ? MS_MECH_NOISE : MS_MECH_COMPETITION;
        s->mech_off ^= bit;
        tui_message(s, 0, "%s %s", bit == MS_MECH_NOISE ? "noise term" : "capacity competition",
                    s->mech_off & bit ? "switched off (teaching: the fit is unchanged)"
                                      : "back on");
        break;
    }
    case TUI_A_LAW: cycle_law(s); return;
    case TUI_A_COUNT: return;
    }
    tui_model_refresh(s);
}

static void commit_edit(tui_state *s)
{
    ms_diag d;
    double v;
    char *end;
    switch (s->edit) {
    case TUI_EDIT_WEIGHT:
        v = strtod(s->edit_buf, &end);
        if (end != s->edit_buf && *end == '%')
            v /= 100, end++;
        if (end == s->edit_buf || *end || !(v >= 0 && v <= 1))
            tui_message(s, 1, "a weight is a number between 0 and 1 (or a percentage)");
        else
            set_weight(s, v);
        break;
    case TUI_EDIT_N:
    case TUI_EDIT_D:
        if (ms_size_parse(s->edit_buf, s->edit == TUI_EDIT_N ? "N" : "D", &v, &d) != MS_OK) {
            tui_message(s, 1, "%s", d.msg);
            break;
        }
        if (s->edit == TUI_EDIT_N) {
            double tpp = s->D / s->N;
            s->N = v;
            if (s->tpp_lock)
                s->D = v * tpp;
        } else {
            s->D = v;
            s->tpp_lock = 0;
        }
        clamp_scale(s);
        break;
    case TUI_EDIT_PATH: tui_write_fit(s, s->edit_buf); break;
    case TUI_EDIT_NONE: break;
    }
    s->edit = TUI_EDIT_NONE;
    tui_model_refresh(s);
}

void tui_edit_key(tui_state *s, int key)
{
    size_t n = strlen(s->edit_buf);
    if (key == TUI_KEY_ESC)
        s->edit = TUI_EDIT_NONE;
    else if (key == TUI_KEY_ENTER || key == '\n' || key == '\r')
        commit_edit(s);
    else if (key == TUI_KEY_BACKSPACE || key == 127 || key == 8) {
        if (n)
            s->edit_buf[n - 1] = 0;
    } else if (key >= 32 && key < 127 && n + 1 < sizeof s->edit_buf) {
        s->edit_buf[n] = (char)key;
        s->edit_buf[n + 1] = 0;
    }
}

/* Mouse: a press selects (and on a track sets) a weight or a scale; a drag
 * keeps setting the weight under the pointer; the wheel steps. */
static int in(const tui_rect *r, int x, int y)
{
    return x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h;
}

static void mouse_scale(tui_state *s, const tui_layout *lay, int x, int row)
{
    double t = (double)(x - lay->scale_bar_x) / (lay->scale_bar_w - 1);
    if (t < 0 || t > 1)
        return;
    if (row == TUI_SCALE_N) {
        double tpp = s->D / s->N;
        s->N = TUI_N_MIN * pow(TUI_N_MAX / TUI_N_MIN, t);
        if (s->tpp_lock)
            s->D = s->N * tpp;
    } else if (row == TUI_SCALE_D) {
        s->D = TUI_D_MIN * pow(TUI_D_MAX / TUI_D_MIN, t);
        s->tpp_lock = 0;
    }
    clamp_scale(s);
}

void tui_apply_mouse(tui_state *s, const tui_layout *lay, tui_mouse_kind kind, int x, int y)
{
    if (lay->too_small || s->show_help || s->edit)
        return;
    if (kind == TUI_M_RELEASE) {
        s->dragging = 0;
        return;
    }
    if (kind == TUI_M_WHEEL_UP || kind == TUI_M_WHEEL_DOWN) {
        tui_apply(s, kind == TUI_M_WHEEL_UP ? TUI_A_INC : TUI_A_DEC);
        return;
    }
    const tui_rect *mix = &lay->panel[TUI_P_MIX], *sc = &lay->panel[TUI_P_SCALE];
    int track = x >= lay->slider_x && x < lay->slider_x + lay->slider_w;
    if (kind == TUI_M_DRAG && s->dragging) {
        double t = (double)(x - lay->slider_x) / (lay->slider_w - 1);
        set_weight(s, fmin(fmax(t, 0), 1));
    } else if (kind == TUI_M_PRESS && in(mix, x, y) && y > mix->y && y < mix->y + mix->h - 1) {
        s->focus = TUI_P_MIX;
        select_domain(s, s->scroll + (y - mix->y - 1), lay->rows);
        if (track) {
            s->dragging = s->sel + 1;
            set_weight(s, (double)(x - lay->slider_x) / (lay->slider_w - 1));
        }
    } else if (kind == TUI_M_PRESS && in(sc, x, y) && y > sc->y && y < sc->y + 4) {
        s->focus = TUI_P_SCALE;
        s->scale_row = (tui_scale_row)(y - sc->y - 1);
        mouse_scale(s, lay, x, s->scale_row);
    } else if (kind == TUI_M_PRESS) {
        for (int p = 0; p < TUI_P_COUNT; p++)
            if (in(&lay->panel[p], x, y))
                s->focus = (tui_panel)p;
        return;
    } else
        return;
    tui_model_refresh(s);
}
