/* fuzz_fitfile.c — libFuzzer target: the fit-file reader (ms_fit_read).
 *
 * Invariants beyond "no crash, no leak, no undefined behaviour":
 *   - on failure: *out is NULL and the diagnostic is one printable line;
 *   - on success: every parameter passes ms_fit_check_params, domain
 *     names are free of control characters, and the fit
 *     survives a round trip (to JSON, read back) bit for bit;
 *   - the law predicts at a plain scale without crashing, and when it says
 *     MS_OK every loss and term is finite. */
#include "fuzz_common.h"

#include <math.h>

#include <jansson.h>

#include "mixscope/fitfile.h"
#include "mixscope/law.h"

#ifndef FUZZ_ENTRY
#define FUZZ_ENTRY LLVMFuzzerTestOneInput
#endif

static void fitfile_roundtrip(const ms_fit *f)
{
    json_t *j = ms_fit_to_json(f);
    FUZZ_CHECK(j != NULL);
    char *text = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    FUZZ_CHECK(text != NULL);
    const char *path = fuzz_file(1, (const uint8_t *)text, strlen(text));
    free(text);
    ms_fit *g = NULL;
    ms_diag d;
    ms_status st = ms_fit_read(path, &g, &d);
    if (st != MS_OK)
        fprintf(stderr, "round trip: %s\n", d.msg);
    FUZZ_CHECK(st == MS_OK);
    FUZZ_CHECK(g->law.def == f->law.def && g->law.K == f->law.K);
    FUZZ_CHECK(g->law.h_min == f->law.h_min);
    for (size_t i = 0; i < f->law.K; i++)
        FUZZ_CHECK(strcmp(g->domains[i], f->domains[i]) == 0);
    FUZZ_CHECK(memcmp(g->theta, f->theta, f->law.n_params * sizeof *f->theta) == 0);
    ms_fit_free(g);
}

static void fitfile_predict(const ms_fit *f)
{
    size_t K = f->law.K;
    double *h = malloc(K * sizeof *h);
    ms_pred pr = {0};
    FUZZ_CHECK(h != NULL && ms_pred_alloc(&pr, K) == MS_OK);
    for (size_t i = 0; i < K; i++)
        h[i] = 1.0 / (double)K;
    static const double scales[][2] = {{800, 16}, {1e-3, 1e-3}, {1e6, 1e5}};
    for (size_t s = 0; s < sizeof scales / sizeof scales[0]; s++) {
        ms_diag d;
        if (ms_law_predict(&f->law, f->theta, h, scales[s][0], scales[s][1], &pr, &d) !=
            MS_OK) {
            fuzz_check_message(d.msg);
            continue;
        }
        for (size_t i = 0; i < K; i++) {
            FUZZ_CHECK(isfinite(pr.loss[i]));
            for (int t = 0; t < MS_N_TERMS; t++)
                FUZZ_CHECK(isfinite(pr.term[t][i]));
        }
    }
    ms_pred_free(&pr);
    free(h);
}

int FUZZ_ENTRY(const uint8_t *data, size_t size);
int FUZZ_ENTRY(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(0, data, size);
    ms_fit *f = (ms_fit *)&size; /* must come back NULL on failure */
    ms_diag d = {{0}};
    ms_status st = ms_fit_read(path, &f, &d);
    if (st != MS_OK) {
        FUZZ_CHECK(f == NULL);
        FUZZ_CHECK(st == MS_EINPUT || st == MS_EIO || st == MS_ENOMEM);
        fuzz_check_message(d.msg);
        return 0;
    }
    FUZZ_CHECK(ms_fit_check_params(f, NULL, &d) == MS_OK);
    for (size_t i = 0; i < f->law.K; i++)
        FUZZ_CHECK(f->domains[i][0] && !fuzz_has_control(f->domains[i]));
    fitfile_roundtrip(f);
    fitfile_predict(f);
    ms_fit_free(f);
    return 0;
}
