#include "cli/select_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mixscope/units.h"

void select_laws_all(select_laws *l)
{
    l->n = 0;
    for (const ms_law_def *const *d = ms_law_defs(); *d && l->n < SELECT_MAX_LAWS; d++)
        l->defs[l->n++] = *d;
}

int select_laws_parse(select_laws *l, const char *cmd, const char *arg)
{
    char *copy = strdup(arg), *save = NULL;
    int rc = copy ? CLI_OK : cli_usage_error(cmd, "out of memory");
    l->n = 0;
    for (char *t = copy ? strtok_r(copy, ",", &save) : NULL; t && rc == CLI_OK;
         t = strtok_r(NULL, ",", &save)) {
        const ms_law_def *def = ms_law_find(t);
        if (!def)
            rc = cli_usage_error(cmd, "--laws: unknown law \"%s\"", t);
        else if (l->n == SELECT_MAX_LAWS)
            rc = cli_usage_error(cmd, "--laws: too many laws");
        else
            l->defs[l->n++] = def;
    }
    if (rc == CLI_OK && !l->n)
        rc = cli_usage_error(cmd, "--laws: expected a comma-separated list of laws");
    free(copy);
    return rc;
}

void laws_args_init(laws_args *a, const char *cmd)
{
    memset(a, 0, sizeof *a);
    a->cmd = cmd;
    fitopts_init(&a->fo);
    select_laws_all(&a->laws);
}

int laws_option(void *ctx, int opt, const char *arg)
{
    laws_args *a = ctx;
    int r = fitopts_option(&a->fo, a->cmd, opt, arg);
    if (r)
        return r > 0 ? CLI_OK : CLI_EUSAGE;
    if (opt == LAWS_OPT_LAWS)
        return select_laws_parse(&a->laws, a->cmd, arg);
    if (opt == LAWS_OPT_JSON) {
        a->json = 1;
        return CLI_OK;
    }
    return cli_usage_error(a->cmd, "unknown option");
}

static void pct(FILE *f, double v, int w)
{
    if (isfinite(v))
        fprintf(f, " %*.2f%%", w - 1, 100 * v);
    else
        fprintf(f, " %*s", w, "-");
}

void select_print(FILE *f, const ms_sweep *s, const ms_selection *sel, const fitopts *fo)
{
    const ms_select_law *l0 = &sel->laws[0];
    fprintf(f, "%s: %zu model sizes; every law fitted on the same splits (%zu starts, seed %lu, "
               "checkpoints %s)\n\n", s->path, sel->n_sizes, fo->fit.starts, fo->fit.seed,
            fitopts_ckpt_name(fo->ckpt));
    fprintf(f, "%-11s %6s", "", "");
    for (size_t k = 0; k < l0->n_splits; k++)
        fprintf(f, " | %-*s", (int)(9 * (1 + (l0->split[k].extrapolation ? l0->split[k].n_held_out : 1)) - 1),
                l0->split[k].name);
    fprintf(f, " |\n%-11s %6s", "law", "params");
    for (size_t k = 0; k < l0->n_splits; k++) {
        char a[32];
        fprintf(f, " | %8s", "train");
        if (l0->split[k].extrapolation)
            for (size_t j = 0; j < l0->split[k].n_held_out; j++)
                fprintf(f, " %8s", ms_size_format(l0->split[k].held_out[j], a, sizeof a));
        else
            fprintf(f, " %8s", "test");
    }
    fprintf(f, " | %8s %6s %6s\n", "score", "agree", "bounds");
    for (size_t l = 0; l < sel->n_laws; l++) {
        const ms_select_law *x = &sel->laws[l];
        fprintf(f, "%-11s %6zu", x->def->name, x->n_params);
        size_t agree = 0, ok = 0, bounds = 0;
        for (size_t k = 0; k < x->n_splits; k++) {
            const ms_select_split *sp = &x->split[k];
            fprintf(f, " |");
            pct(f, sp->train_mre, 8);
            if (sp->extrapolation)
                for (size_t j = 0; j < sp->n_held_out; j++)
                    pct(f, sp->size_mre[j], 8);
            else
                pct(f, sp->test_mre, 8);
            agree += sp->starts_agree, ok += sp->starts_ok, bounds += sp->on_bounds;
        }
        fprintf(f, " |");
        pct(f, x->score, 8);
        fprintf(f, " %3zu/%-3zu %5zu%s\n", agree, ok, bounds,
                l == sel->best ? "  <- best" : "");
    }
    fprintf(f, "\nMasked MRE. score = mean test MRE over the leave-out splits. agree = starts that "
               "reached each fit's best cost, over every split. bounds = parameters at a bound.\n");
    for (size_t l = 0; l < sel->n_laws; l++) {
        const ms_select_law *x = &sel->laws[l];
        for (size_t k = 0; k < x->n_splits; k++)
            if (x->split[k].status != MS_OK)
                fprintf(f, "%s, %s: %s\n", x->def->name, x->split[k].name, x->split[k].error);
    }
    if (sel->best == SIZE_MAX) {
        fprintf(f, "no law could be scored\n");
        return;
    }
    const ms_select_law *b = &sel->laws[sel->best];
    fprintf(f, "extrapolates best: %s (score %.2f%%)", b->def->name, 100 * b->score);
    for (size_t l = 0; l < sel->n_laws; l++)
        if (l != sel->best && !strcmp(sel->laws[l].def->name, "capnoise")) {
            fprintf(f, "; capnoise, the paper's law: %.2f%% (%s)", 100 * sel->laws[l].score,
                    ms_select_clearly_better(b, &sel->laws[l]) ? "clearly worse on this sweep"
                                                               : "close");
        }
    fputc('\n', f);
}

json_t *select_json(const ms_selection *sel)
{
    json_t *root = json_object(), *laws = json_array();
    for (size_t l = 0; l < sel->n_laws; l++) {
        const ms_select_law *x = &sel->laws[l];
        json_t *o = json_object(), *splits = json_array();
        json_object_set_new(o, "law", json_string(x->def->name));
        json_object_set_new(o, "params", json_integer((json_int_t)x->n_params));
        json_object_set_new(o, "score", isfinite(x->score) ? json_real(x->score) : json_null());
        for (size_t k = 0; k < x->n_splits; k++) {
            const ms_select_split *sp = &x->split[k];
            json_t *so = json_object();
            json_object_set_new(so, "split", json_string(sp->name));
            json_object_set_new(so, "extrapolation", json_boolean(sp->extrapolation));
            if (sp->status != MS_OK) {
                json_object_set_new(so, "error", json_string(sp->error));
            } else {
                json_object_set_new(so, "train_mre", json_real(sp->train_mre));
                json_object_set_new(so, "test_mre", json_real(sp->test_mre));
                json_object_set_new(so, "starts_agree", json_integer((json_int_t)sp->starts_agree));
                json_object_set_new(so, "on_bounds", json_integer((json_int_t)sp->on_bounds));
            }
            json_array_append_new(splits, so);
        }
        json_object_set_new(o, "splits", splits);
        json_array_append_new(laws, o);
    }
    json_object_set_new(root, "laws", laws);
    json_object_set_new(root, "best", sel->best == SIZE_MAX ? json_null()
                                                            : json_string(sel->laws[sel->best].def->name));
    json_object_set_new(root, "rule", json_string("lowest mean masked test MRE over the "
                                                  "leave-largest-size-out splits"));
    return root;
}
