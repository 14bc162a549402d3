#include "tui/selectjob.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mixscope/select.h"
#include "tui/fitjob.h"

typedef struct tui_selectjob {
    pthread_t tid;
    const ms_sweep *sweep;
    ms_fit_opts opts;
    ms_checkpoints ckpt;
    pthread_mutex_t lock;
    int cancel, done; /* under lock */
    ms_status status;
    ms_selection sel;
} tui_selectjob;

static int fit_progress(const ms_fit_progress *p, void *ctx)
{
    (void)p;
    tui_selectjob *j = ctx;
    pthread_mutex_lock(&j->lock);
    int stop = j->cancel;
    pthread_mutex_unlock(&j->lock);
    return stop;
}

static void *job_main(void *arg)
{
    tui_selectjob *j = arg;
    const ms_law_def *laws[16];
    size_t n = 0;
    for (const ms_law_def *const *d = ms_law_defs(); *d && n < 16; d++)
        laws[n++] = *d;
    ms_diag d;
    ms_status st = ms_select_run(j->sweep, laws, n, &j->opts, j->ckpt, NULL, NULL, &j->sel, &d);
    pthread_mutex_lock(&j->lock);
    j->status = st;
    j->done = 1;
    pthread_mutex_unlock(&j->lock);
    return NULL;
}

void tui_select_start(tui_state *s)
{
    if (s->select || !s->sweep)
        return;
    tui_selectjob *j = calloc(1, sizeof *j);
    if (!j)
        return;
    pthread_mutex_init(&j->lock, NULL);
    j->sweep = s->sweep;
    j->opts = s->fit_opts;
    j->opts.threads = 1; /* leave a core for the explorer */
    j->opts.progress = fit_progress;
    j->opts.progress_ctx = j;
    j->ckpt = s->ckpt;
    if (tui_thread_start(&j->tid, job_main, j) != 0) {
        pthread_mutex_destroy(&j->lock);
        free(j);
        return;
    }
    s->select = j;
}

static void job_free(tui_selectjob *j)
{
    if (j->status == MS_OK)
        ms_selection_done(&j->sel);
    pthread_mutex_destroy(&j->lock);
    free(j);
}

int tui_select_poll(tui_state *s)
{
    tui_selectjob *j = s->select;
    if (!j || s->select_done)
        return 0;
    pthread_mutex_lock(&j->lock);
    int done = j->done;
    pthread_mutex_unlock(&j->lock);
    if (!done)
        return 0;
    pthread_join(j->tid, NULL);
    s->select_done = 1;
    s->n_scores = 0;
    if (j->status == MS_OK)
        for (size_t l = 0; l < j->sel.n_laws && l < TUI_MAX_LAWS; l++) {
            snprintf(s->score_law[l], sizeof s->score_law[l], "%s", j->sel.laws[l].def->name);
            s->score[l] = j->sel.laws[l].score;
            s->n_scores++;
        }
    return 1;
}

void tui_select_stop(tui_state *s)
{
    tui_selectjob *j = s->select;
    if (!j)
        return;
    pthread_mutex_lock(&j->lock);
    j->cancel = 1;
    pthread_mutex_unlock(&j->lock);
    if (!s->select_done)
        pthread_join(j->tid, NULL);
    job_free(j);
    s->select = NULL;
}

void tui_select_verdict(const tui_state *s, char *buf, size_t len)
{
    buf[0] = 0;
    if (!s->select_done || !s->n_scores)
        return;
    size_t best = 0, shown = SIZE_MAX;
    for (size_t l = 0; l < s->n_scores; l++) {
        if (isfinite(s->score[l]) && (!isfinite(s->score[best]) || s->score[l] < s->score[best]))
            best = l;
        if (!strcmp(s->score_law[l], s->law_name))
            shown = l;
    }
    if (shown == SIZE_MAX || best == shown || !isfinite(s->score[best]))
        return;
    double a = s->score[best], b = s->score[shown];
    if (!(isfinite(b) && a < 0.8 * b && b - a >= 0.002))
        return;
    snprintf(buf, len, "%s extrapolates better: %.2f%% vs %.2f%% (m)", s->score_law[best],
             100 * a, 100 * b);
}
