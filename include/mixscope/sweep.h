/* sweep.h — a data-mixing sweep: one row per trained model (or checkpoint).
 *
 * File format (DESIGN.md §3): a CSV with a header row.
 *   weight_<domain>   the mixture weight of a training domain (sums to 1)
 *   model_size        parameters, a raw count (e.g. 122000000)
 *   n_tokens          training tokens, a raw count
 *   <domain>_loss     validation loss on <domain>
 * A <name>_loss column with no matching weight column is an eval-only
 * domain. Other columns are ignored. Domains are matched by name, never by
 * position. An empty loss cell is a missing value (stored as NaN, counted).
 * Column names can be remapped (ms_sweep_opts) for sweeps exported by other
 * tools.
 *
 * Values are stored as given: model_size and n_tokens in raw counts. The
 * laws take N in millions of parameters and D in billions of tokens; use
 * ms_units_N / ms_units_D (units.h) to convert. */
#ifndef MIXSCOPE_SWEEP_H
#define MIXSCOPE_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "mixscope/diag.h"

typedef struct {
    /* Column-name patterns; "{}" stands for the domain name. */
    const char *weight_pattern; /* default "weight_{}" */
    const char *loss_pattern;   /* default "{}_loss" */
    const char *size_column;    /* default "model_size" */
    const char *tokens_column;  /* default "n_tokens" */
    /* Header renames applied before the columns are classified:
     * renames[2k] is an existing header name, renames[2k+1] its new name. */
    const char *const *renames;
    size_t n_renames;
    /* Rows whose weights do not sum to 1 within weight_tol are an error,
     * unless renormalize is set: then they are rescaled (and counted). */
    int renormalize;
    double weight_tol; /* default 1e-3 */
} ms_sweep_opts;

/* Fills *o with the defaults above. */
void ms_sweep_opts_init(ms_sweep_opts *o);

typedef struct {
    char *path;          /* as given to ms_sweep_load */
    size_t K;            /* training domains (with a weight column) */
    size_t n_eval;       /* eval-only domains (loss column only) */
    char **domains;      /* K + n_eval names: training first, in header order */
    size_t n;            /* rows */
    double *h;           /* n x K mixture weights, row-major */
    double *model_size;  /* n, parameters (raw count, > 0) */
    double *n_tokens;    /* n, tokens (raw count, > 0) */
    double *loss;        /* n x (K + n_eval), row-major; NaN = missing */
    long *line;          /* n, 1-based file line where each row starts */
    size_t n_missing;    /* empty loss cells */
    size_t *missing_by_domain; /* K + n_eval */
    size_t n_renormalized;     /* rows rescaled by opts.renormalize */
    uint64_t fingerprint;      /* FNV-1a 64 of the file's bytes */
} ms_sweep;

/* Loads a sweep from `path` (opts NULL = defaults). On success returns MS_OK
 * and stores a new sweep in *out (free with ms_sweep_free). On failure
 * returns MS_EINPUT (bad content), MS_EIO (cannot open/read) or MS_ENOMEM,
 * fills `d` with one diagnostic "path:line:col: ..." pointing at the
 * offending cell (column = 1-based field index), and leaves *out NULL. */
ms_status ms_sweep_load(const char *path, const ms_sweep_opts *opts,
                        ms_sweep **out, ms_diag *d);

/* Frees a sweep; NULL is a no-op. */
void ms_sweep_free(ms_sweep *s);

/* Index of domain `name` in s->domains, or -1. Exact match. */
long ms_sweep_domain_index(const ms_sweep *s, const char *name);

/* A new sweep holding the rows r of s with keep[r] set (same domains and
 * columns; fingerprint and path kept, missing counts recomputed). NULL when
 * out of memory. Free with ms_sweep_free. */
ms_sweep *ms_sweep_subset(const ms_sweep *s, const unsigned char *keep);

#endif
