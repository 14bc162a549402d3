/* bench_tui.c — what one interaction costs in the explorer.
 *
 * Drives the real presentation code (curses) on a pseudo-terminal whose
 * other end a thread drains and counts. For 80x24 and 200x60 and K = 7 and
 * K = 32 domains (sweeps simulated from random capnoise parameters), each
 * step is a slider move: action -> model refresh -> render into the canvas
 * -> present. Prints the median and p99 of the step time (target p99 under
 * 2 ms) and the bytes written to the terminal per slider step at 100x30
 * (target under 2 KB). */
#include <math.h>
#include <pthread.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"
#include "mixscope/fitfile.h"
#include "mixscope/simulate.h"
#include "tui/actions.h"
#include "tui/app.h"
#include "tui/layout.h"
#include "tui/render.h"
#include "tui/term.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

typedef struct {
    int fd;
    volatile long bytes;
    volatile int stop;
} drain_t;

static void *drain(void *arg)
{
    drain_t *dr = arg;
    char buf[65536];
    while (!dr->stop) {
        ssize_t n = read(dr->fd, buf, sizeof buf);
        if (n <= 0)
            break;
        dr->bytes += n;
    }
    return NULL;
}

/* A sweep and a fit file for K domains in a temp folder. */
static void make_data(size_t K, char *csv, char *fit)
{
    const char *names[] = {"web", "code", "books", "papers", "wiki", "math", "news"};
    char **dom = malloc(K * sizeof *dom);
    for (size_t i = 0; i < K; i++) {
        dom[i] = malloc(32);
        snprintf(dom[i], 32, "%s%zu", names[i % 7], i / 7);
    }
    ms_fit *f = ms_fit_new(ms_law_find("capnoise"), K, (const char *const *)dom);
    bench_random_capnoise(f, 7);
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(csv, 256, "%s/bench-tui-%zu.csv", tmp, K);
    snprintf(fit, 256, "%s/bench-tui-%zu.json", tmp, K);
    ms_diag d;
    ms_fit_write(fit, f, &d);
    ms_sim_opts o;
    ms_sim_opts_init(&o);
    double sizes[] = {50e6, 200e6, 800e6}, tokens[] = {1e9, 4e9, 16e9};
    o.sizes = sizes;
    o.n_sizes = 3;
    o.tokens = tokens;
    o.n_tokens = 3;
    o.n_mixtures = 30;
    FILE *fp = fopen(csv, "w");
    ms_simulate_write(fp, f, &o, &d);
    fclose(fp);
    ms_fit_free(f);
    for (size_t i = 0; i < K; i++)
        free(dom[i]);
    free(dom);
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Runs `steps` slider moves at w x h; returns bytes written per step. */
static double run(size_t K, int w, int h, int steps, double *median, double *p99)
{
    char csv[256], fit[256];
    make_data(K, csv, fit);
    ms_sweep *sw;
    ms_diag d;
    if (ms_sweep_load(csv, NULL, &sw, &d) != MS_OK) {
        fprintf(stderr, "%s\n", d.msg);
        exit(1);
    }
    tui_opts o = {0};
    o.sweep = sw;
    o.params = fit;
    tui_state s;
    if (tui_state_open(&s, &o, &d) != MS_OK) {
        fprintf(stderr, "%s\n", d.msg);
        exit(1);
    }
    int master, slave;
    struct winsize ws = {(unsigned short)h, (unsigned short)w, 0, 0};
    if (openpty(&master, &slave, NULL, NULL, &ws) != 0) {
        perror("openpty");
        exit(1);
    }
    drain_t dr = {master, 0, 0};
    pthread_t tid;
    pthread_create(&tid, NULL, drain, &dr);
    setenv("TERM", "xterm-256color", 1);
    int unicode;
    tui_term *t = tui_term_open_fds(slave, slave, 1, 1, &unicode, &d);
    if (!t) {
        fprintf(stderr, "%s\n", d.msg);
        exit(1);
    }
    tui_canvas *c = tui_canvas_new(w, h, 0);
    tui_layout lay = tui_layout_compute(w, h, s.K);
    tui_render(&s, &lay, c);
    tui_term_present(t, c);
    usleep(100000);
    long before = dr.bytes;
    double *dt = malloc((size_t)steps * sizeof *dt);
    for (int k = 0; k < steps; k++) {
        double t0 = now();
        tui_apply(&s, k % 2 ? TUI_A_DEC : TUI_A_INC);
        tui_render(&s, &lay, c);
        tui_term_present(t, c);
        dt[k] = now() - t0;
    }
    usleep(200000); /* let the drain catch up */
    double per_step = (double)(dr.bytes - before) / steps;
    qsort(dt, (size_t)steps, sizeof *dt, cmp);
    *median = dt[steps / 2];
    *p99 = dt[(int)(0.99 * (steps - 1))];
    free(dt);
    tui_canvas_free(c);
    tui_term_close(t);
    dr.stop = 1;
    close(slave);
    close(master);
    pthread_join(tid, NULL);
    tui_state_done(&s);
    ms_sweep_free(sw);
    unlink(csv);
    unlink(fit);
    return per_step;
}

int main(void)
{
    static const int sizes[2][2] = {{80, 24}, {200, 60}};
    static const size_t Ks[2] = {7, 32};
    printf("explorer frame cost: slider step -> model -> canvas -> presented (pty)\n");
    printf("%-8s %4s %12s %12s %14s\n", "size", "K", "median ms", "p99 ms", "bytes/step");
    for (int a = 0; a < 2; a++)
        for (int b = 0; b < 2; b++) {
            double med, p99;
            double bytes = run(Ks[b], sizes[a][0], sizes[a][1], 400, &med, &p99);
            printf("%3dx%-4d %4zu %12.3f %12.3f %14.0f\n", sizes[a][0], sizes[a][1], Ks[b],
                   1e3 * med, 1e3 * p99, bytes);
        }
    double med, p99;
    double bytes = run(7, 100, 30, 400, &med, &p99);
    printf("bytes written per slider step at 100x30, K=7: %.0f (target < 2048); "
           "median %.3f ms, p99 %.3f ms\n", bytes, 1e3 * med, 1e3 * p99);
    return 0;
}
