#include "tui/app.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mixscope/fitfile.h"
#include "mixscope/grid.h"
#include "mixscope/mix.h"
#include "tui/actions.h"
#include "tui/fitjob.h"
#include "tui/layout.h"
#include "tui/model.h"
#include "tui/render.h"
#include "tui/term.h"
#include "tui/selectjob.h"
#include "tui/tour.h"

/* With 3+ model sizes, hold out the largest: the residuals then show how
 * the law extrapolates, which is what matters. Otherwise 20% of the runs. */
static void default_split(const ms_sweep *sw, ms_split *sp)
{
    ms_grid g;
    memset(sp, 0, sizeof *sp);
    sp->seed = 1;
    if (ms_grid_build(sw, &g, NULL) == MS_OK && g.n_sizes >= 3) {
        sp->kind = MS_SPLIT_SCALE;
        sp->n_train = 1;
        sp->train[0] = (ms_cond){'N', "<", g.sizes[g.n_sizes - 1]};
    } else {
        sp->kind = MS_SPLIT_RANDOM;
        sp->val_frac = 0.2;
    }
    ms_grid_done(&g);
}

/* The starting scale: the sweep's largest model at its largest budget. */
static void default_scale(const ms_sweep *sw, double *N, double *D)
{
    for (size_t r = 0; r < sw->n; r++)
        if (sw->model_size[r] > *N || (sw->model_size[r] == *N && sw->n_tokens[r] > *D)) {
            *N = sw->model_size[r];
            *D = sw->n_tokens[r];
        }
}

ms_status tui_state_open(tui_state *s, const tui_opts *o, ms_diag *d)
{
    memset(s, 0, sizeof *s);
    s->color = o->color;
    s->mouse = o->mouse;
    s->ascii = o->ascii;
    s->no_select = o->no_select;
    s->fit_opts = o->fit;
    s->ckpt = o->ckpt;
    if (!s->fit_opts.starts) /* options not filled in: the defaults */
        ms_fit_opts_init(&s->fit_opts);
    ms_fit *f = NULL;
    ms_status st = MS_OK;
    if (o->params && (st = ms_fit_read(o->params, &f, d)) != MS_OK)
        return st;
    ms_split sp;
    if (o->split)
        sp = *o->split;
    else
        default_split(o->sweep, &sp);
    s->sweep = (ms_sweep *)o->sweep;
    st = ms_problem_build(o->sweep, f ? (const char *const *)f->domains : NULL, f ? f->law.K : 0,
                          &sp, o->ckpt, &s->problem, d);
    if (st != MS_OK) {
        ms_fit_free(f);
        return st;
    }
    s->K = s->problem->K;
    s->domains = s->problem->domains;
    if (tui_model_init(s) != 0) {
        ms_fit_free(f);
        return ms_diag_set(d, MS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (o->mix)
        st = ms_mix_parse(o->mix, (const char *const *)s->domains, s->K, 1, "--mix", s->h, d);
    else
        for (size_t i = 0; i < s->K; i++)
            s->h[i] = 1.0 / (double)s->K;
    memcpy(s->h_start, s->h, s->K * sizeof *s->h);
    default_scale(o->sweep, &s->N, &s->D);
    if (o->N > 0)
        s->N = o->N;
    if (o->D > 0)
        s->D = o->D;
    snprintf(s->law_name, sizeof s->law_name, "%s", o->law ? o->law : "capnoise");
    s->fit_mre[0] = s->fit_mre[1] = NAN;
    if (st == MS_OK && f) {
        snprintf(s->source, sizeof s->source, "%s", o->params);
        tui_model_set_fit(s, f);
        f = NULL;
    }
    ms_fit_free(f);
    if (st == MS_OK)
        tui_model_refresh(s);
    return st;
}

void tui_state_done(tui_state *s)
{
    tui_select_stop(s);
    tui_stop_fit(s);
    tui_model_done(s);
    ms_problem_free(s->problem);
    s->problem = NULL;
}

static void handle_key(tui_state *s, const tui_layout *lay, int key)
{
    if (lay->too_small) {
        if (key == 'q' || key == TUI_KEY_ESC)
            s->quit = 1;
        return;
    }
    if (s->edit) {
        tui_edit_key(s, key);
        return;
    }
    if (s->tour && key == 'q') { /* q leaves the tour, not the explorer */
        tui_apply(s, TUI_A_CANCEL);
        return;
    }
    if (s->show_help && key != '?' && key != TUI_KEY_F1 && key != 'q') {
        s->show_help = 0; /* any other key closes the help */
        return;
    }
    tui_apply(s, tui_key_action(key));
}

static ms_status loop(tui_state *s, tui_term *t, int ascii)
{
    tui_canvas *c = NULL;
    tui_layout lay = {0};
    while (!s->quit) {
        int w, h;
        tui_term_size(t, &w, &h);
        if (!c || c->w != w || c->h != h) {
            tui_canvas_free(c);
            if (!(c = tui_canvas_new(w, h, ascii)))
                return MS_ENOMEM;
        }
        lay = tui_layout_compute(w, h, s->K);
        if (!lay.too_small && s->sel >= s->scroll + lay.rows)
            s->scroll = s->sel - lay.rows + 1;
        tui_render(s, &lay, c);
        tui_term_present(t, c);
        tui_event ev;
        tui_term_read(t, s->job || (s->select && !s->select_done) ? 100 : 1000, &ev);
        if (ev.kind == TUI_EV_SIGNAL)
            s->quit = 1;
        else if (ev.kind == TUI_EV_KEY)
            handle_key(s, &lay, ev.key);
        else if (ev.kind == TUI_EV_MOUSE)
            tui_apply_mouse(s, &lay, ev.mouse, ev.x, ev.y);
        tui_poll_fit(s);
        if (!s->select && s->fit && !s->job && !s->no_select)
            tui_select_start(s);
        if (tui_select_poll(s)) {
            char verdict[160];
            tui_select_verdict(s, verdict, sizeof verdict);
            if (verdict[0])
                tui_message(s, 1, "%s", verdict);
        }
        if (s->tour_pending && s->pred_ok && !s->job) {
            s->tour_pending = 0;
            tui_tour_start(s);
        }
        s->frame++;
    }
    tui_canvas_free(c);
    return MS_OK;
}

ms_status tui_run(const tui_opts *o, ms_diag *d)
{
    tui_state s;
    ms_status st = tui_state_open(&s, o, d);
    int unicode = 0;
    tui_term *t = NULL;
    if (st == MS_OK && !(t = tui_term_open(o->color, o->mouse, &unicode, d)))
        st = MS_EINPUT;
    if (st == MS_OK) {
        s.ascii = o->ascii || !unicode;
        s.tour_pending = o->tour;
        if (!s.fit)
            tui_start_fit(&s, s.law_name);
        else
            tui_message(&s, 0, "showing %s; t: guided tour, ?: keys", s.source);
        tui_model_refresh(&s);
        st = loop(&s, t, s.ascii);
        if (st == MS_ENOMEM)
            ms_diag_set(d, st, NULL, 0, 0, "out of memory");
    }
    tui_select_stop(&s);
    tui_stop_fit(&s);
    tui_term_close(t);
    tui_state_done(&s);
    return st;
}
