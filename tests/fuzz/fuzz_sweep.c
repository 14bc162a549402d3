/* fuzz_sweep.c — libFuzzer target: the CSV sweep loader (ms_sweep_load),
 * then what every command does next with an accepted sweep (arrange it as
 * a problem, subset it, score a law on it).
 *
 * Invariants beyond "no crash, no leak, no undefined behaviour":
 *   - on failure: *out is NULL and the diagnostic is one printable line;
 *   - on success: the sweep is what sweep.h promises (K >= 1 training
 *     domains with distinct names free of control characters, finite weights >= 0 summing to 1,
 *     sizes and token counts finite and > 0, losses NaN or finite >= 0,
 *     missing counts that add up, increasing line numbers, the FNV-1a
 *     fingerprint of every byte);
 *   - an accepted sweep always builds a problem with the default split.
 * Each input is loaded with the defaults or, when the top bit of its
 * fingerprint is set, with renormalize. */
#include "fuzz_common.h"

#include <math.h>

#include "mixscope/law.h"
#include "mixscope/metrics.h"
#include "mixscope/problem.h"
#include "mixscope/sweep.h"

#ifndef FUZZ_ENTRY
#define FUZZ_ENTRY LLVMFuzzerTestOneInput
#endif

static void sweep_check(const ms_sweep *s, const ms_sweep_opts *o)
{
    FUZZ_CHECK(s->K >= 1 && s->n >= 1 && s->domains && s->path);
    size_t KE = s->K + s->n_eval, missing = 0;
    for (size_t i = 0; i < KE; i++) {
        FUZZ_CHECK(s->domains[i] && s->domains[i][0] && !fuzz_has_control(s->domains[i]));
        for (size_t j = 0; j < i; j++)
            FUZZ_CHECK(strcmp(s->domains[i], s->domains[j]) != 0);
        FUZZ_CHECK(ms_sweep_domain_index(s, s->domains[i]) == (long)i);
    }
    for (size_t r = 0; r < s->n; r++) {
        double sum = 0;
        for (size_t k = 0; k < s->K; k++) {
            double h = s->h[r * s->K + k];
            FUZZ_CHECK(isfinite(h) && h >= 0);
            sum += h;
        }
        FUZZ_CHECK(fabs(sum - 1) <= (o->renormalize ? 1e-9 : o->weight_tol));
        FUZZ_CHECK(isfinite(s->model_size[r]) && s->model_size[r] > 0);
        FUZZ_CHECK(isfinite(s->n_tokens[r]) && s->n_tokens[r] > 0);
        FUZZ_CHECK(s->line[r] >= 2 && (r == 0 || s->line[r] > s->line[r - 1]));
        for (size_t i = 0; i < KE; i++) {
            double v = s->loss[r * KE + i];
            FUZZ_CHECK(isnan(v) || (isfinite(v) && v >= 0));
            missing += isnan(v);
        }
    }
    size_t by_domain = 0;
    for (size_t i = 0; i < KE; i++)
        by_domain += s->missing_by_domain[i];
    FUZZ_CHECK(missing == s->n_missing && by_domain == missing);
}

/* A problem, a subset, and the metrics of capnoise at mid-range
 * parameters: the law meets whatever scales the file holds. */
static void sweep_downstream(const ms_sweep *s)
{
    ms_problem *p = NULL;
    ms_diag d;
    FUZZ_CHECK(ms_problem_build(s, NULL, 0, NULL, MS_CKPT_ALL, &p, &d) == MS_OK);
    size_t rows = 0;
    for (size_t u = 0; u < p->n_runs; u++)
        rows += p->run_count[u];
    FUZZ_CHECK(rows == s->n && p->n_rows == s->n);
    const ms_law_def *def = ms_law_find("capnoise");
    ms_law law = ms_law_make(def, p->K);
    double *theta = calloc(law.n_params, sizeof *theta);
    FUZZ_CHECK(theta != NULL);
    for (size_t g = 0, j = 0; g < def->n_groups; g++)
        for (size_t k = 0; k < ms_law_group_size(&def->groups[g], p->K); k++, j++)
            theta[j] = 0.5 * (def->groups[g].init_lo + def->groups[g].init_hi);
    ms_metrics m;
    if (ms_metrics_compute(p, &law, theta, MS_MASK_DEFAULT, &m, &d) == MS_OK)
        ms_metrics_done(&m);
    else
        fuzz_check_message(d.msg);
    free(theta);
    ms_problem_free(p);

    unsigned char *keep = calloc(s->n, 1);
    FUZZ_CHECK(keep != NULL);
    for (size_t r = 0; r < s->n; r += 2)
        keep[r] = 1;
    ms_sweep *sub = ms_sweep_subset(s, keep);
    FUZZ_CHECK(sub && sub->n == (s->n + 1) / 2 && sub->K == s->K);
    ms_sweep_free(sub);
    free(keep);
}

static uint64_t fnv1a64(const uint8_t *p, size_t n)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * UINT64_C(0x100000001b3);
    return h;
}

int FUZZ_ENTRY(const uint8_t *data, size_t size);
int FUZZ_ENTRY(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(0, data, size);
    uint64_t fp = fnv1a64(data, size);
    ms_sweep_opts o;
    ms_sweep_opts_init(&o);
    o.renormalize = (int)(fp >> 63); /* half the inputs: one load per input */
    ms_sweep *s = (ms_sweep *)&o;    /* must come back NULL on failure */
    ms_diag d = {{0}};
    ms_status st = ms_sweep_load(path, &o, &s, &d);
    if (st != MS_OK) {
        FUZZ_CHECK(s == NULL);
        FUZZ_CHECK(st == MS_EINPUT || st == MS_EIO);
        fuzz_check_message(d.msg);
        return 0;
    }
    sweep_check(s, &o);
    FUZZ_CHECK(s->fingerprint == fp);
    sweep_downstream(s);
    ms_sweep_free(s);
    return 0;
}
