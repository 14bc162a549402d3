#include "tui/evidence.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mixscope/explain.h"
#include "mixscope/units.h"
#include "tui/selectjob.h"

/* The data test depends on the fit only; cache its sentence. */
static void data_sentence(tui_state *s, char *buf, size_t len)
{
    ms_explain_data x;
    ms_diag d;
    memset(&x, 0, sizeof x);
    if (ms_explain_data_competition(&s->fit->law, s->fit->theta, s->problem, NULL, &x, &d) !=
        MS_OK) {
        snprintf(buf, len, "In the data: %.300s.", d.msg);
        return;
    }
    if (!x.applicable)
        snprintf(buf, len, "In the data: not applicable (this law has no noise term to "
                           "separate the mixture's own effect).");
    else if (x.all.n_pairs < 2)
        snprintf(buf, len, "In the data: too few pairs of runs that differ mainly in one "
                           "weight (%zu) to test.", x.all.n_pairs);
    else
        snprintf(buf, len,
                 "In the data: %zu pairs of runs differing mainly in one weight. When a weight "
                 "rises, the other domains' losses rose %+.4f on average, the noise term says "
                 "%+.4f: excess %+.4f +- %.4f (t = %.1f): competition %s.%s",
                 x.all.n_pairs, x.all.mean_obs, x.all.mean_noise, x.all.mean_excess, x.all.se,
                 x.all.t, ms_verdict_name(x.verdict),
                 x.all.t <= -2 ? " A negative excess means transfer between domains, or a noise "
                                 "term too steep." : "");
    ms_explain_data_done(&x);
}

void tui_evidence_update(tui_state *s)
{
    static char data_text[640];
    if (!s->fit) {
        snprintf(s->evidence, sizeof s->evidence, "No fit yet: wait for the first one.");
        return;
    }
    if (s->evidence_fit != s->fit) {
        data_sentence(s, data_text, sizeof data_text);
        s->evidence_fit = s->fit;
    }
    ms_explain_law x;
    ms_diag d;
    memset(&x, 0, sizeof x);
    char law_text[400];
    if (ms_explain_law_competition(&s->fit->law, s->fit->theta, s->h, ms_units_N(s->N),
                                   ms_units_D(s->D), &x, &d) != MS_OK)
        snprintf(law_text, sizeof law_text, "In the law: %.300s.", d.msg);
    else if (!x.applicable)
        snprintf(law_text, sizeof law_text, "In the law: %s has no capacity competition.",
                 s->law_name);
    else
        snprintf(law_text, sizeof law_text,
                 "In the law, here: raising any weight by 0.05 changes the other domains' "
                 "capacity terms by %+.1f%% on average; competition accounts for %+.5f of their "
                 "loss (%.2f%% of the mean): %s.",
                 100 * x.mean_cap_rel, x.effect, 100 * x.rel_effect, ms_verdict_name(x.verdict));
    ms_explain_law_done(&x);
    char verdict[160];
    tui_select_verdict(s, verdict, sizeof verdict);
    snprintf(s->evidence, sizeof s->evidence, "%s  %s  %s%s(The data test subtracts this fit's "
             "own noise term; mixscope explain --noise-params uses another's.)",
             law_text, data_text, verdict, verdict[0] ? ". " : "");
}
