/* bench_load — how fast ms_sweep_load reads a big sweep, and at what
 * memory cost. Prints figures; no pass/fail (the target is < 2 s and
 * < 400 MB for 1,000,000 rows x 7 domains on a 2-core machine).
 *
 * The CSV is generated in $TMPDIR (default /tmp) in the style of the shared
 * SlimPajama sweep: 17-significant-digit weights (0.020000000000000004),
 * losses around 2-4 with 16-17 digits, model_size/n_tokens as "122000000.0",
 * one eval-only loss column. Generation runs in a child process so its
 * memory never shows in this process's peak RSS; the peak RSS printed is
 * this process's (ru_maxrss), measured once the loads are done, next to the
 * baseline before the first load. The file is deleted at the end.
 *
 * Then, for scale, the shared SlimPajama sweep (../shared/data, skipped if
 * absent) and the number parser against strtod.
 *
 *   bench_load [rows]      (default 1000000) */
#include "mixscope/sweep.h"

#include "core/sweep_impl.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { K = 7, RUNS = 3 };

static const char *const domains[K] = {"arxiv",       "book",          "c4",
                                       "github",      "commoncrawl",   "stackexchange",
                                       "wikipedia"};

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
    return (double)ru.ru_maxrss / 1024.0; /* Linux: kilobytes */
}

/* xorshift64*: deterministic, no global state. */
static double rnd(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return (double)((*s * UINT64_C(2685821657736338717)) >> 11) * 0x1p-53;
}

static int write_sweep(const char *path, long rows)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    static char buf[1 << 20];
    setvbuf(f, buf, _IOFBF, sizeof buf);
    for (int k = 0; k < K; k++)
        fprintf(f, "weight_%s,", domains[k]);
    fprintf(f, "model_size,n_tokens");
    for (int k = 0; k < K; k++)
        fprintf(f, ",%s_loss", domains[k]);
    fprintf(f, ",openhermes_loss\n");
    static const double sizes[] = {122e6, 310e6, 680e6, 937e6};
    uint64_t s = 0x9E3779B97F4A7C15u;
    double h[K];
    for (long r = 0; r < rows; r++) {
        /* A new mixture every 36 rows (one per size x 9 token budgets),
         * every weight >= 0.02 as in the real sweep. */
        if (r % 36 == 0) {
            double sum = 0;
            for (int k = 0; k < K; k++)
                sum += h[k] = rnd(&s) * rnd(&s);
            for (int k = 0; k < K; k++)
                h[k] = 0.02 + (1 - 0.02 * K) * h[k] / sum;
        }
        for (int k = 0; k < K; k++)
            fprintf(f, "%.17g,", h[k]);
        fprintf(f, "%.1f,%.1f", sizes[r / 9 % 4], 1998e6 + 2e9 * (double)(r % 9));
        for (int k = 0; k <= K; k++)
            fprintf(f, k % 2 ? ",%.17g" : ",%.16g", 2 + 2 * rnd(&s));
        fputc('\n', f);
    }
    return fclose(f);
}

/* The real 2188-row sweep, loaded many times. */
static void bench_shared(void)
{
    const char *dir = getenv("MIXSCOPE_SHARED_DATA");
    char path[4096];
    snprintf(path, sizeof path, "%s/slimpajama-7dom-upto937M.csv", dir ? dir : "../shared/data");
    if (access(path, R_OK) != 0) {
        printf("shared sweep: skipped (%s missing)\n", path);
        return;
    }
    enum { REP = 50 };
    ms_sweep *sw;
    ms_diag d;
    double t0 = now();
    for (int i = 0; i < REP; i++) {
        if (ms_sweep_load(path, NULL, &sw, &d) != MS_OK) {
            printf("shared sweep: %s\n", d.msg);
            return;
        }
        ms_sweep_free(sw);
    }
    printf("shared sweep (2188 rows, 658 kB): %.2f ms per load\n", 1e3 * (now() - t0) / REP);
}

/* Number parser against strtod on the kind of cells the file has. */
static void bench_numbers(void)
{
    enum { N = 1 << 16, REP = 64 };
    static char cells[N][32];
    uint64_t s = 42;
    for (int i = 0; i < N; i++)
        snprintf(cells[i], sizeof cells[i], i % 2 ? "%.17g" : "%.16g",
                 i % 3 ? 2 + 2 * rnd(&s) : 0.02 + rnd(&s));
    double acc = 0, v = 0;
    double t0 = now();
    for (int r = 0; r < REP; r++)
        for (int i = 0; i < N; i++)
            if (ms_sweep_parse_number(cells[i], strlen(cells[i]), &v) == MS_NUM_OK)
                acc += v;
    double t1 = now();
    for (int r = 0; r < REP; r++)
        for (int i = 0; i < N; i++)
            acc -= strtod(cells[i], NULL);
    double t2 = now();
    printf("number parser: %.1f ns/cell, strtod %.1f ns/cell (check %g)\n",
           1e9 * (t1 - t0) / (N * (double)REP), 1e9 * (t2 - t1) / (N * (double)REP), acc);
}

int main(int argc, char **argv)
{
    long rows = argc > 1 ? atol(argv[1]) : 1000000;
    const char *tmp = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/mixscope-bench-%ld.csv", tmp && *tmp ? tmp : "/tmp",
             (long)getpid());

    double g0 = now();
    pid_t pid = fork();
    if (pid < 0)
        return perror("fork"), 1;
    if (pid == 0)
        _exit(write_sweep(path, rows) == 0 ? 0 : 1);
    int wst;
    if (waitpid(pid, &wst, 0) < 0 || !WIFEXITED(wst) || WEXITSTATUS(wst) != 0) {
        fprintf(stderr, "bench_load: cannot write %s\n", path);
        unlink(path);
        return 1;
    }
    struct stat sb;
    stat(path, &sb);
    double mb = (double)sb.st_size / 1e6;
    printf("generated %ld rows x %d domains (+1 eval-only), %.1f MB, in %.2f s: %s\n",
           rows, K, mb, now() - g0, path);

    double base = peak_rss_mb(), best = INFINITY;
    int rc = 0;
    for (int run = 0; run < RUNS && !rc; run++) {
        ms_sweep *sw;
        ms_diag d;
        double t0 = now();
        ms_status st = ms_sweep_load(path, NULL, &sw, &d);
        double dt = now() - t0;
        if (st) {
            fprintf(stderr, "bench_load: %s\n", d.msg);
            rc = 1;
            break;
        }
        printf("load %d: %.3f s, %.2f M rows/s, %.0f MB/s (n = %zu, K = %zu, n_eval = %zu)\n",
               run + 1, dt, (double)sw->n / dt / 1e6, mb / dt, sw->n, sw->K, sw->n_eval);
        if (dt < best)
            best = dt;
        ms_sweep_free(sw);
    }
    unlink(path);
    if (rc)
        return rc;
    double arrays = (double)rows * ((K + (K + 1) + 2) * sizeof(double) + sizeof(long)) / 1e6;
    printf("best load: %.3f s = %.2f M rows/s = %.0f MB/s\n", best,
           (double)rows / best / 1e6, mb / best);
    printf("peak RSS: %.1f MB (%.1f MB before loading; the result's arrays are %.1f MB)\n",
           peak_rss_mb(), base, arrays);
    bench_shared();
    bench_numbers();
    return 0;
}
