/* law.h — the interface every data-mixing law implements.
 *
 * A law predicts, for K training domains, each domain's loss at a mixture h
 * (h_i >= 0, sum 1), a model size N (millions of parameters) and a token
 * budget D (billions of tokens), together with a decomposition of that loss
 * into three named terms (for capnoise: capacity, noise, irreducible) and,
 * where the law has one, the capacity allocation x*. It also gives the
 * derivatives of every predicted loss with respect to every parameter, for
 * the fitter.
 *
 * Parameters live in one flat vector theta, laid out group after group in
 * the order of def->groups; a group is a scalar, one value per domain, or a
 * K x K matrix (row-major). Parameters are in their natural units (the
 * fitter applies its own transforms, guided by each group's kind).
 *
 * A new law is one file: a static ms_law_def and its eval function, listed
 * in the registry in law.c. */
#ifndef MIXSCOPE_LAW_H
#define MIXSCOPE_LAW_H

#include <stddef.h>

#include "mixscope/diag.h"

#define MS_H_MIN_DEFAULT 1e-4
#define MS_N_TERMS 3

typedef enum { MS_SHAPE_SCALAR, MS_SHAPE_DOMAIN, MS_SHAPE_MATRIX } ms_shape;
typedef enum {
    MS_KIND_POSITIVE, /* > 0 */
    MS_KIND_NONNEG,   /* >= 0 */
    MS_KIND_REAL      /* any finite value */
} ms_kind;

/* How a group's starting range is read: as given, or as fractions of each
 * domain's smallest observed loss (for irreducible terms, which must stay
 * below every observation). */
typedef enum { MS_INIT_ABS, MS_INIT_MINLOSS } ms_init_scale;

typedef struct {
    const char *name; /* key in fit files: "b", "H", ... */
    ms_shape shape;
    ms_kind kind;
    double init_lo, init_hi; /* range for random starting points */
    const char *doc;         /* one line, for help and reports */
    ms_init_scale init_scale;
} ms_param_group;

/* Output of one evaluation. Arrays have K entries and belong to the caller
 * (ms_pred_alloc / ms_pred_free size them for a law). */
typedef struct {
    double *loss;              /* predicted loss per domain */
    double *term[MS_N_TERMS];  /* decomposition: loss = sum of the terms */
    double *x;                 /* capacity allocation x* (law units of N);
                                  all zero when the law has none */
    double capacity;           /* total capacity C the x* share (0 if none) */
} ms_pred;

typedef struct ms_law ms_law;

typedef struct {
    const char *name;    /* "capnoise" */
    const char *title;   /* one line: what the law is, whose it is */
    const char *term_names[MS_N_TERMS];
    const ms_param_group *groups;
    size_t n_groups;
    int has_allocation;  /* whether ms_pred.x is meaningful */
    int single_scale;    /* the law ignores N and D (fit it at one scale) */
    /* Scratch doubles eval and eval_run need for K domains. */
    size_t (*work_size)(size_t K);
    /* Predicts at (h, N, D). If jac is not NULL, also fills the K x P
     * row-major matrix jac[i*P + j] = d loss_i / d theta_j. `work` has
     * work_size(K) doubles. Returns MS_OK, or MS_ENUMERIC (with `d`) when
     * the parameters leave the finite range. Never allocates. */
    ms_status (*eval)(const ms_law *law, const double *theta, const double *h,
                      double N, double D, ms_pred *out, double *jac,
                      double *work, ms_diag *d);
    /* Optional fast path for fitting: losses of one run (h, N) at nD token
     * budgets, loss[k*K + i], and if jac is not NULL the Jacobians
     * jac[(k*K + i)*P + j]. NULL: ms_law_eval_run calls eval per budget. */
    ms_status (*eval_run)(const ms_law *law, const double *theta,
                          const double *h, double N, const double *D,
                          size_t nD, double *loss, double *jac, double *work,
                          ms_diag *d);
} ms_law_def;

/* A law instantiated for K domains. Plain value; copy freely. */
/* Mechanisms a law can be asked to switch off, for teaching (the
 * explorer's toggles): with competition off, the capacity the domains share
 * is split equally (x_i = C/K) whatever the mixture; with the noise term
 * off, it is 0. Laws without the mechanism ignore the flag. Fits use 0. */
enum { MS_MECH_COMPETITION = 1, MS_MECH_NOISE = 2 };

struct ms_law {
    const ms_law_def *def;
    size_t K;
    size_t n_params; /* P */
    double h_min;    /* noise-term floor on h_i (default MS_H_MIN_DEFAULT) */
    unsigned off;    /* MS_MECH_* switched off (0: the law as it is) */
};

/* The registry: every law mixscope knows, in display order, NULL-terminated. */
const ms_law_def *const *ms_law_defs(void);

/* The law called `name`, or NULL. */
const ms_law_def *ms_law_find(const char *name);

/* Instantiates `def` for K >= 1 domains with the default h_min. */
ms_law ms_law_make(const ms_law_def *def, size_t K);

/* Number of parameters a group holds for K domains (1, K or K*K), and the
 * offset of group g in theta. */
size_t ms_law_group_size(const ms_param_group *g, size_t K);
size_t ms_law_group_offset(const ms_law *law, size_t g);

/* Writes a label for parameter j, e.g. "b[arxiv]", "H", "t[c4,book]",
 * using the K domain names. Returns buf. */
char *ms_law_param_label(const ms_law *law, size_t j, const char *const *domains,
                         char *buf, size_t len);

/* Allocates / frees the arrays of an ms_pred for K domains. alloc returns
 * MS_ENOMEM on failure; free of a zeroed ms_pred is safe. */
ms_status ms_pred_alloc(ms_pred *p, size_t K);
void ms_pred_free(ms_pred *p);

/* Evaluates law->def->eval after checking the scale: N and D must be finite
 * and > 0, h must have K finite entries >= 0 (MS_EINPUT otherwise). `work`
 * has ms_law_work_size() doubles; jac may be NULL. Use this in loops,
 * with one workspace per thread. */
ms_status ms_law_eval(const ms_law *law, const double *theta, const double *h,
                      double N, double D, ms_pred *out, double *jac,
                      double *work, ms_diag *d);

/* Scratch doubles ms_law_eval and ms_law_eval_run need for this law. */
size_t ms_law_work_size(const ms_law *law);

/* Losses (and, if jac is not NULL, Jacobians) of one run (h, N) at nD token
 * budgets D[k]: loss[k*K + i], jac[(k*K + i)*P + j]. Uses the law's
 * eval_run when it has one. `work` has ms_law_work_size() doubles. Scale
 * and mixture are checked as in ms_law_eval. */
ms_status ms_law_eval_run(const ms_law *law, const double *theta,
                          const double *h, double N, const double *D,
                          size_t nD, double *loss, double *jac, double *work,
                          ms_diag *d);

/* Convenience: ms_law_eval with a temporary workspace and no Jacobian. */
ms_status ms_law_predict(const ms_law *law, const double *theta, const double *h,
                         double N, double D, ms_pred *out, ms_diag *d);

/* Mean of the K predicted losses. */
double ms_pred_mean(const ms_pred *p, size_t K);

#endif
