#include "tui/tour.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mixscope/units.h"
#include "tui/mixmath.h"
#include "tui/model.h"

typedef void (*step_fn)(tui_state *s);

/* The domain whose value in v is largest (or smallest) among i != skip. */
static size_t pick(const tui_state *s, const double *v, int largest, size_t skip)
{
    size_t best = skip == 0 ? 1 : 0;
    for (size_t i = 0; i < s->K; i++)
        if (i != skip && (largest ? v[i] > v[best] : v[i] < v[best]))
            best = i;
    return best;
}

static void step_competition(tui_state *s)
{
    memset(s->locked, 0, s->K);
    s->mech_off = 0;
    tui_mix_uniform(s->h, s->locked, s->K);
    s->sel = 0;
    tui_model_refresh(s);
    double share0[64] = {0}, cap0[64] = {0};
    size_t K = s->K < 64 ? s->K : 64;
    for (size_t i = 0; i < K; i++) {
        share0[i] = s->x[i] / s->capacity;
        cap0[i] = s->term[0][i];
    }
    double from = s->h[0];
    tui_mix_set(s->h, s->locked, s->K, 0, fmin(0.9, from + 0.25));
    tui_model_refresh(s);
    size_t o = pick(s, share0, 1, 0);
    snprintf(s->tour_text, sizeof s->tour_text,
             "%s's weight went from %.2f to %.2f. Watch the x*/C column: every other "
             "domain's share of the model's capacity shrank (%s: %.0f%% -> %.0f%%) and its "
             "capacity bar grew (%.3f -> %.3f), though nothing about its own data changed. "
             "Finite capacity couples all the losses. Drag any slider to see it again.",
             s->domains[0], from, s->h[0], s->domains[o], 100 * share0[o],
             100 * s->x[o] / s->capacity, cap0[o], s->term[0][o]);
}

static void step_noise(tui_state *s)
{
    double D0 = s->D, noise0[64] = {0}, hopt0[64] = {0};
    size_t K = s->K < 64 ? s->K : 64;
    for (size_t i = 0; i < K; i++)
        noise0[i] = s->term[1][i], hopt0[i] = s->h_opt[i];
    s->D = fmin(D0 * 8, 1e14);
    s->tpp_lock = 0;
    tui_model_refresh(s);
    double gain[64];
    for (size_t i = 0; i < K; i++)
        gain[i] = s->h_opt[i] - hopt0[i];
    size_t up = pick(s, gain, 1, K), nz = pick(s, noise0, 1, K);
    char a[32], b[32];
    snprintf(s->tour_text, sizeof s->tour_text,
             "D went from %s to %s tokens: every noise bar fell (%s: %.3f -> %.3f), each domain "
             "now sees 8x the tokens. The optimum moved toward the domains whose noise is large "
             "and slow to decay: h* of %s %.3f -> %.3f (the mean line compares you with h*; "
             "press o to jump there).",
             ms_size_format_digits(D0, 3, a, sizeof a), ms_size_format_digits(s->D, 3, b, sizeof b),
             s->domains[nz], noise0[nz], s->term[1][nz], s->domains[up], hopt0[up], s->h_opt[up]);
}

static void step_size(tui_state *s)
{
    double N0 = s->N, cap0[64] = {0}, noise0[64] = {0};
    size_t K = s->K < 64 ? s->K : 64;
    for (size_t i = 0; i < K; i++)
        cap0[i] = s->term[0][i], noise0[i] = s->term[1][i];
    s->N = fmin(N0 * 8, 1e12);
    tui_model_refresh(s);
    size_t c = pick(s, cap0, 1, K);
    char a[32], b[32];
    snprintf(s->tour_text, sizeof s->tour_text,
             "N went from %s to %s parameters: the capacity bars fade (%s: %.3f -> %.3f) while "
             "the noise bars stay (%.3f -> %.3f). At large N, noise reduction decides the "
             "mixture.",
             ms_size_format_digits(N0, 3, a, sizeof a), ms_size_format_digits(s->N, 3, b, sizeof b),
             s->domains[c], cap0[c], s->term[0][c], noise0[c], s->term[1][c]);
}

static void step_toggles(tui_state *s)
{
    snprintf(s->tour_text, sizeof s->tour_text,
             "Now switch a mechanism off: c splits capacity equally whatever the mixture (no "
             "competition), z removes the noise term. Watch the losses, h* and the \"why\" line "
             "under the mean: it says which mechanism pulls each domain's weight up at this "
             "scale. Press c or z again to switch back.");
    (void)s;
}

static void step_end(tui_state *s)
{
    s->mech_off = 0;
    tui_model_refresh(s);
    snprintf(s->tour_text, sizeof s->tour_text,
             "That is the tour. r resets the mixture, [ ] and { } change N and D, f refits, m "
             "switches law, ? lists every key. Enter or Esc closes this box.");
}

static const struct {
    const char *title;
    step_fn enter;
} steps[] = {
    {"capacity competition", step_competition},
    {"noise reduction", step_noise},
    {"model size", step_size},
    {"switch a mechanism off", step_toggles},
    {"the end", step_end},
};

int tui_tour_steps(void) { return (int)(sizeof steps / sizeof steps[0]); }

const char *tui_tour_title(int k)
{
    return k >= 1 && k <= tui_tour_steps() ? steps[k - 1].title : "";
}

void tui_tour_start(tui_state *s)
{
    if (!s->fit || !s->pred_ok) {
        tui_message(s, 1, "the tour needs a fit: wait for the first one");
        return;
    }
    s->tour = 1;
    steps[0].enter(s);
}

void tui_tour_next(tui_state *s)
{
    if (s->tour >= tui_tour_steps()) {
        tui_tour_stop(s);
        return;
    }
    s->tour++;
    steps[s->tour - 1].enter(s);
}

void tui_tour_stop(tui_state *s)
{
    s->tour = 0;
    s->tour_text[0] = 0;
}
