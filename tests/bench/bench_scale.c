/* bench_scale.c — big sweeps: does mixscope load them, fit them and open
 * the explorer on them without running out of memory, and does the
 * explorer stay responsive?
 *
 * Two sweeps simulated from random capnoise parameters (ms_simulate_write):
 *   1,000,000 runs x 7 domains   (250,000 mixtures x 4 model sizes, one
 *                                 checkpoint each: 1,000,000 rows)
 *   1,000 runs x 64 domains      (250 mixtures x 4 sizes, one checkpoint)
 * Each stage runs in its own child process, so its peak RSS (getrusage
 * ru_maxrss) is its own:
 *   load       ms_sweep_load
 *   fit        load + problem + capnoise fit (BENCH_STARTS starts, default
 *              2, on all cores; mask 0: with 64 domains no weight reaches
 *              the default mask 0.1 often enough)
 *   explorer   load + tui_state_open with the true parameters as the fit
 *              (predictions, optimum, residual metrics of every row), one
 *              render at 80x24, then slider steps (action + model refresh
 *              + render), as the event loop does them
 * Times are wall-clock seconds (render and steps in ms). BENCH_ROWS
 * overrides the first sweep's size (runs), for quick looks. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mixscope/fit.h"
#include "bench_util.h"
#include "mixscope/fitfile.h"
#include "mixscope/metrics.h"
#include "mixscope/problem.h"
#include "mixscope/simulate.h"
#include "mixscope/sweep.h"
#include "tui/actions.h"
#include "tui/app.h"
#include "tui/layout.h"
#include "tui/render.h"

#include <gsl/gsl_errno.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static double peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

static void die(const char *what, const ms_diag *d)
{
    fprintf(stderr, "bench_scale: %s: %s\n", what, d->msg);
    exit(1);
}

typedef struct {
    const char *name;
    size_t K, mixtures;
    char csv[512], fit[512];
} bench_sweep;

/* Random plausible capnoise parameters for K domains, written as the
 * truth file; the sweep simulated from them. */
static void make_sweep(bench_sweep *b)
{
    char **dom = malloc(b->K * sizeof *dom);
    for (size_t i = 0; i < b->K; i++) {
        dom[i] = malloc(24);
        snprintf(dom[i], 24, "d%zu", i);
    }
    const ms_law_def *def = ms_law_find("capnoise");
    ms_fit *f = ms_fit_new(def, b->K, (const char *const *)dom);
    bench_random_capnoise(f, 11);
    size_t K = b->K;
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(b->csv, sizeof b->csv, "%s/bench-scale-%zu-%d.csv", tmp, K, (int)getpid());
    snprintf(b->fit, sizeof b->fit, "%s/bench-scale-%zu-%d.json", tmp, K, (int)getpid());
    ms_diag d;
    if (ms_fit_write(b->fit, f, &d) != MS_OK)
        die("truth", &d);
    ms_sim_opts o;
    ms_sim_opts_init(&o);
    static const double sizes[] = {50e6, 100e6, 200e6, 400e6}, tokens[] = {8e9};
    o.sizes = sizes;
    o.n_sizes = 4;
    o.tokens = tokens;
    o.n_tokens = 1;
    o.n_mixtures = b->mixtures;
    o.seed = 3;
    double t0 = now();
    FILE *fp = fopen(b->csv, "w");
    if (!fp || ms_simulate_write(fp, f, &o, &d) != MS_OK || fclose(fp) != 0)
        die("simulate", &d);
    long bytes = 0;
    if ((fp = fopen(b->csv, "rb"))) {
        fseek(fp, 0, SEEK_END);
        bytes = ftell(fp);
        fclose(fp);
    }
    printf("%s: %zu runs x %zu domains, %.1f MB of CSV (simulated in %.1f s)\n", b->name,
           b->mixtures * 4, K, (double)bytes / 1e6, now() - t0);
    ms_fit_free(f);
    for (size_t i = 0; i < K; i++)
        free(dom[i]);
    free(dom);
}

static ms_sweep *load(const bench_sweep *b, double *secs)
{
    ms_sweep *s;
    ms_diag d;
    double t0 = now();
    if (ms_sweep_load(b->csv, NULL, &s, &d) != MS_OK)
        die("load", &d);
    *secs = now() - t0;
    return s;
}

static void stage_load(const bench_sweep *b)
{
    double t;
    ms_sweep *s = load(b, &t);
    printf("  load       %8.2f s   peak RSS %7.0f MB   (%zu rows)\n", t, peak_rss_mb(), s->n);
    ms_sweep_free(s);
}

static void stage_fit(const bench_sweep *b)
{
    double t;
    ms_sweep *s = load(b, &t);
    ms_problem *p;
    ms_diag d;
    if (ms_problem_build(s, NULL, 0, NULL, MS_CKPT_ALL, &p, &d) != MS_OK)
        die("problem", &d);
    ms_fit_opts o;
    ms_fit_opts_init(&o);
    o.starts = getenv("BENCH_STARTS") ? strtoul(getenv("BENCH_STARTS"), NULL, 10) : 2;
    o.mask = 0;
    ms_fit_result *r;
    double t0 = now();
    if (ms_fit_run(p, ms_law_find("capnoise"), &o, &r, &d) != MS_OK)
        die("fit", &d);
    double tf = now() - t0;
    ms_metrics m;
    ms_metrics_compute(p, &r->law, r->theta, 0, &m, NULL);
    printf("  fit        %8.2f s   peak RSS %7.0f MB   (%zu starts, %zu cells, %zu iterations "
           "in the best, train MRE %.2f%%)\n",
           tf, peak_rss_mb(), r->n_starts, r->n_cells, r->iterations,
           100 * m.overall[MS_SET_TRAIN][0].mre);
    ms_metrics_done(&m);
    ms_fit_result_free(r);
    ms_problem_free(p);
    ms_sweep_free(s);
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void stage_explorer(const bench_sweep *b)
{
    double t;
    ms_sweep *s = load(b, &t);
    tui_opts o;
    memset(&o, 0, sizeof o);
    o.sweep = s;
    o.params = b->fit;
    o.color = 1;
    ms_fit_opts_init(&o.fit);
    tui_state st;
    ms_diag d;
    double t0 = now();
    if (tui_state_open(&st, &o, &d) != MS_OK)
        die("explorer", &d);
    double t_open = now() - t0;
    tui_canvas *c = tui_canvas_new(80, 24, 0);
    tui_layout lay = tui_layout_compute(80, 24, st.K);
    t0 = now();
    tui_render(&st, &lay, c);
    double t_render = now() - t0;
    enum { STEPS = 50 };
    double dt[STEPS];
    for (int k = 0; k < STEPS; k++) {
        t0 = now();
        tui_apply(&st, k % 2 ? TUI_A_DEC : TUI_A_INC);
        tui_render(&st, &lay, c);
        dt[k] = now() - t0;
    }
    qsort(dt, STEPS, sizeof *dt, cmp);
    printf("  explorer   %8.2f s   peak RSS %7.0f MB   (state open; first render at 80x24 "
           "%.1f ms; slider step median %.2f ms, max %.2f ms)\n",
           t_open, peak_rss_mb(), 1e3 * t_render, 1e3 * dt[STEPS / 2], 1e3 * dt[STEPS - 1]);
    tui_canvas_free(c);
    tui_state_done(&st);
    ms_sweep_free(s);
}

/* Runs a stage in a child: its RSS is its own. */
static void in_child(void (*stage)(const bench_sweep *), const bench_sweep *b)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(1);
    }
    if (pid == 0) {
        stage(b);
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        printf("  (stage failed, status %d)\n", status);
}

int main(void)
{
    gsl_set_error_handler_off();
    size_t runs = getenv("BENCH_ROWS") ? strtoul(getenv("BENCH_ROWS"), NULL, 10) : 1000000;
    bench_sweep sweeps[] = {
        {"tall", 7, runs / 4 ? runs / 4 : 1, "", ""},
        {"wide", 64, 250, "", ""},
    };
    printf("big sweeps: load, fit (capnoise), explorer; each stage in its own process\n");
    for (size_t k = 0; k < sizeof sweeps / sizeof sweeps[0]; k++) {
        bench_sweep *b = &sweeps[k];
        make_sweep(b);
        in_child(stage_load, b);
        in_child(stage_fit, b);
        in_child(stage_explorer, b);
        unlink(b->csv);
        unlink(b->fit);
    }
    return 0;
}
