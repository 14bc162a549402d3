/* fitfile.h — a law with its parameters for named domains, and its JSON file.
 *
 * File layout (the one ../shared/data/test-vector-7dom.json uses):
 *   { "law": "capnoise",
 *     "units": {"N": "millions of parameters", "D": "billions of tokens"},
 *     "domains": ["arxiv", ...],
 *     "params": {"b": [..K..], ..., "H": 4.87},   one key per parameter group:
 *               a number (scalar), K numbers (per domain), K arrays of K (matrix)
 *     "h_min": 1e-4,                              optional
 *     ... anything else: fingerprint, split, seed, metrics, version }
 * Unknown keys are kept in `meta` and written back; they are never required. */
#ifndef MIXSCOPE_FITFILE_H
#define MIXSCOPE_FITFILE_H

#include <jansson.h>

#include "mixscope/diag.h"
#include "mixscope/law.h"

#define MS_UNITS_N "millions of parameters"
#define MS_UNITS_D "billions of tokens"

typedef struct {
    ms_law law;      /* law.K domains */
    char **domains;  /* law.K names */
    double *theta;   /* law.n_params values, natural units */
    json_t *meta;    /* owned object: every other top-level key */
} ms_fit;

/* A fit for `def` over K named domains, parameters zero, empty meta.
 * Returns NULL when out of memory. */
ms_fit *ms_fit_new(const ms_law_def *def, size_t K, const char *const *domains);

/* Frees a fit; NULL is a no-op. */
void ms_fit_free(ms_fit *f);

/* Reads a fit file. On failure returns MS_EIO (cannot open), MS_EINPUT (bad
 * JSON: "path:line:col: <jansson's text>"; or a message naming the missing
 * key, the wrong value or the unknown law) and leaves *out NULL. */
ms_status ms_fit_read(const char *path, ms_fit **out, ms_diag *d);

/* Writes the fit atomically (temporary file in the same folder, fsync,
 * rename): on failure the old file, if any, is untouched and no temporary
 * is left. Adds "version" (this program's) and "units". A fit whose
 * parameters fail ms_fit_check_params (NaN, infinite, out of their kind) or
 * whose h_min is outside (0, 1) is not written: MS_ENUMERIC, "path: not
 * writing the fit: parameter b[web]: expected a number > 0, got nan". */
ms_status ms_fit_write(const char *path, const ms_fit *f, ms_diag *d);

/* The fit as a new JSON object (the same content ms_fit_write writes), or
 * NULL when out of memory. */
json_t *ms_fit_to_json(const ms_fit *f);

/* Index of domain `name` in the fit, or -1. */
long ms_fit_domain_index(const ms_fit *f, const char *name);

/* Checks that every parameter is finite and of its group's kind (> 0 or
 * >= 0). `what` prefixes the message (a path, or NULL). */
ms_status ms_fit_check_params(const ms_fit *f, const char *what, ms_diag *d);

#endif
