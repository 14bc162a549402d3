#include "tui/fitjob.h"

#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "mixscope/fit.h"
#include "mixscope/units.h"
#include "tui/model.h"

typedef struct tui_fitjob {
    pthread_t tid;
    const ms_problem *p;
    const ms_law_def *def;
    ms_fit_opts opts;
    pthread_mutex_t lock;
    /* Under lock: */
    int cancel, done;
    ms_fit_progress last;
    double *best_theta; /* copy of the best parameters so far */
    int best_new;       /* a new best since the last poll */
    double best_seen;   /* its cost */
    int live;           /* the shown fit is this job's best so far (first fit, new law) */
    ms_status status;
    ms_diag diag;
    ms_fit_result *result;
} tui_fitjob;

int tui_thread_start(pthread_t *t, void *(*fn)(void *), void *arg)
{
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = pthread_create(t, NULL, fn, arg);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

static int on_progress(const ms_fit_progress *pr, void *ctx)
{
    tui_fitjob *j = ctx;
    pthread_mutex_lock(&j->lock);
    j->last = *pr;
    if (pr->best_theta && pr->best_cost < j->best_seen) {
        memcpy(j->best_theta, pr->best_theta,
               ms_law_make(j->def, j->p->K).n_params * sizeof(double));
        j->best_seen = pr->best_cost;
        j->best_new = 1;
    }
    j->last.best_theta = NULL; /* only valid during the call */
    int stop = j->cancel;
    pthread_mutex_unlock(&j->lock);
    return stop;
}

static void *job_main(void *arg)
{
    tui_fitjob *j = arg;
    ms_fit_result *r = NULL;
    ms_diag d = {{0}};
    ms_status st = ms_fit_run(j->p, j->def, &j->opts, &r, &d);
    pthread_mutex_lock(&j->lock);
    j->status = st;
    j->diag = d;
    j->result = r;
    j->done = 1;
    pthread_mutex_unlock(&j->lock);
    return NULL;
}

static void job_free(tui_fitjob *j)
{
    if (!j)
        return;
    ms_fit_result_free(j->result);
    free(j->best_theta);
    pthread_mutex_destroy(&j->lock);
    free(j);
}

void tui_start_fit(tui_state *s, const char *law)
{
    const ms_law_def *def = ms_law_find(law);
    if (!def || !s->problem) {
        tui_message(s, 1, "cannot fit %s here", law);
        return;
    }
    tui_stop_fit(s);
    tui_fitjob *j = calloc(1, sizeof *j);
    size_t P = ms_law_make(def, s->K).n_params;
    if (j)
        j->best_theta = calloc(P, sizeof *j->best_theta);
    if (!j || !j->best_theta) {
        job_free(j);
        tui_message(s, 1, "out of memory");
        return;
    }
    pthread_mutex_init(&j->lock, NULL);
    j->p = s->problem;
    j->def = def;
    j->opts = s->fit_opts;
    j->opts.progress = on_progress;
    j->opts.progress_ctx = j;
    j->last.best_cost = j->best_seen = INFINITY;
    j->last.n_starts = j->opts.starts;
    j->live = !s->fit || s->fit->law.def != def;
    if (tui_thread_start(&j->tid, job_main, j) != 0) {
        job_free(j);
        tui_message(s, 1, "cannot start a thread for the fit");
        return;
    }
    snprintf(s->law_name, sizeof s->law_name, "%s", def->name);
    s->job = j;
    tui_message(s, 0, "fitting %s in the background (Esc cancels)", def->name);
}

void tui_cancel_fit(tui_state *s)
{
    if (!s->job)
        return;
    pthread_mutex_lock(&s->job->lock);
    s->job->cancel = 1;
    pthread_mutex_unlock(&s->job->lock);
}

void tui_stop_fit(tui_state *s)
{
    if (!s->job)
        return;
    tui_cancel_fit(s);
    pthread_join(s->job->tid, NULL);
    job_free(s->job);
    s->job = NULL;
}

/* The shown fit's masked training MRE (inf if none). */
static double shown_train_mre(const tui_state *s)
{
    return s->fit && s->metrics_ok ? s->metrics.overall[MS_SET_TRAIN][0].mre : INFINITY;
}

static void take_result(tui_state *s, tui_fitjob *j)
{
    ms_fit_result *r = j->result;
    if (j->status != MS_OK || !r) {
        tui_message(s, j->status != MS_ECANCEL, "%s", j->status == MS_ECANCEL
                                                         ? "fit cancelled; the shown fit stays"
                                                         : j->diag.msg);
        if (s->fit)
            snprintf(s->law_name, sizeof s->law_name, "%s", s->fit->law.def->name);
        return;
    }
    ms_fit *f = ms_fit_new(j->def, s->K, (const char *const *)s->domains);
    if (!f) {
        tui_message(s, 1, "out of memory");
        return;
    }
    memcpy(f->theta, r->theta, r->law.n_params * sizeof *f->theta);
    ms_metrics m;
    double new_mre = INFINITY, old = shown_train_mre(s);
    if (ms_metrics_compute(s->problem, &f->law, f->theta, s->fit_opts.mask, &m, NULL) == MS_OK) {
        new_mre = m.overall[MS_SET_TRAIN][0].mre;
        ms_metrics_done(&m);
    }
    int same_law = s->fit && s->fit->law.def == j->def && !j->live;
    if (same_law && !(new_mre < old)) {
        tui_message(s, 0, "refit reached train MRE %.2f%%, not better than %.2f%%: kept the "
                          "shown fit", 100 * new_mre, 100 * old);
        ms_fit_free(f);
        return;
    }
    snprintf(s->source, sizeof s->source, "fitted, %zu/%zu starts agree%s", r->starts_agree,
             r->starts_ok, r->cancelled ? ", cancelled early" : "");
    tui_model_set_fit(s, f);
    tui_message(s, 0, "%s fitted in %.1f s; t: guided tour, ?: keys", j->def->name, r->seconds);
}

int tui_poll_fit(tui_state *s)
{
    tui_fitjob *j = s->job;
    if (!j)
        return 0;
    pthread_mutex_lock(&j->lock);
    int done = j->done, fresh = j->best_new;
    j->best_new = 0;
    pthread_mutex_unlock(&j->lock);
    if (done) {
        pthread_join(j->tid, NULL);
        s->job = NULL;
        take_result(s, j);
        job_free(j);
        return 1;
    }
    /* A first fit, or a new law, shows its best parameters live. */
    if (fresh && j->live) {
        ms_fit *f = ms_fit_new(j->def, s->K, (const char *const *)s->domains);
        if (f) {
            pthread_mutex_lock(&j->lock);
            memcpy(f->theta, j->best_theta, f->law.n_params * sizeof *f->theta);
            pthread_mutex_unlock(&j->lock);
            snprintf(s->source, sizeof s->source, "fitting: best start so far");
            tui_model_set_fit(s, f);
        }
    }
    return 1; /* the status line moves while a job runs */
}

void tui_fit_status(const tui_state *s, char *buf, size_t len)
{
    buf[0] = 0;
    if (!s->job)
        return;
    tui_fitjob *j = s->job;
    pthread_mutex_lock(&j->lock);
    ms_fit_progress pr = j->last;
    pthread_mutex_unlock(&j->lock);
    int w = snprintf(buf, len, "fitting %s: start %zu/%zu", j->def->name,
                     pr.start + 1, pr.n_starts ? pr.n_starts : j->opts.starts);
    if (w > 0 && (size_t)w < len && isfinite(pr.cost))
        w += snprintf(buf + w, len - (size_t)w, " cost %.4g", pr.cost);
    if (w > 0 && (size_t)w < len && isfinite(pr.best_train_mre))
        snprintf(buf + w, len - (size_t)w, ", best train MRE %.2f%%", 100 * pr.best_train_mre);
}

void tui_write_fit(tui_state *s, const char *path)
{
    if (!s->fit) {
        tui_message(s, 1, "no fit to write yet");
        return;
    }
    json_t *ex = json_object(), *h = json_object();
    for (size_t i = 0; i < s->K; i++)
        json_object_set_new(h, s->domains[i], json_real(s->h[i]));
    json_object_set_new(ex, "h", h);
    json_object_set_new(ex, "model_size", json_real(s->N));
    json_object_set_new(ex, "n_tokens", json_real(s->D));
    if (s->pred_ok)
        json_object_set_new(ex, "mean_loss", json_real(s->mean));
    json_object_set_new(s->fit->meta, "explorer", ex);
    ms_diag d;
    if (ms_fit_write(path, s->fit, &d) != MS_OK)
        tui_message(s, 1, "%s", d.msg);
    else
        tui_message(s, 0, "wrote %s", path);
}
