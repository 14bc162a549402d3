/* explain.h — mechanism diagnostics: where a law's predicted loss changes
 * come from, and whether capacity competition shows in the law and in the
 * data (issue 8, "Mechanism diagnostics").
 *
 * Three questions, one function each, for any law (law.h) and parameters:
 *
 *  1. ms_explain_decompose: each domain's predicted loss change between two
 *     points (h_a, N_a, D_a) -> (h_b, N_b, D_b), split into parts that sum
 *     to it exactly. Term 0 (capnoise: the capacity term) depends on both
 *     the scale and the mixture; its change is split between them by the
 *     two-factor Shapley rule (the average of both orders):
 *       scale part   = [T(h_a,s_b) - T(h_a,s_a) + T(h_b,s_b) - T(h_b,s_a)] / 2
 *       mixture part = [T(h_b,s_a) - T(h_a,s_a) + T(h_b,s_b) - T(h_a,s_b)] / 2
 *     with s = (N, D). Terms 1 and 2 keep their own changes. For the laws
 *     with a noise term (term 1 named "noise": capnoise, capnoise-g,
 *     separable) the parts are model size, competition, noise and
 *     irreducible; a law without a capacity allocation (separable) has no
 *     competition part (it is identically 0 and flagged not applicable).
 *     Other laws (additive, exp) get their own term names.
 *
 *  2. ms_explain_law_competition: at one mixture and scale, raise each h_j
 *     by MS_EXPLAIN_STEP (the others rescaled proportionally, as the
 *     explorer's slider does) and report the mean relative change of the
 *     OTHER domains' capacity terms and the mean change of their losses,
 *     with the law as it is and with competition switched off
 *     (MS_MECH_COMPETITION: an equal capacity split). The difference of the
 *     two loss changes is what competition does.
 *
 *  3. ms_explain_data_competition: the same question asked of the observed
 *     losses. Two runs of the same model size "differ mainly in domain j"
 *     when, oriented so h_j rises, dh_j >= min_step and
 *     dh_j >= sum_i |dh_i| / 2 - MS_MIX_TOL (since the weights sum to 1
 *     this says every other weight falls or stays: the pair looks like one
 *     slider move). At every checkpoint (token budget) both runs have, for
 *     every other domain i with h_i >= mask in both runs and both losses
 *     observed, the cell's excess is
 *         excess_i = observed dL_i - (the law's noise-term change of i),
 *     i.e. what is left of i's loss change once the law's account of i's
 *     own fewer tokens is removed. ASSUMPTION: the noise term (the
 *     fit's, or another fit's: opts.noise_law) is right; a wrong noise
 *     term shows up as excess. Mind which fit it comes from: a law with
 *     competition can trade loss between its capacity and noise terms, and
 *     a capnoise fit to a sweep simulated WITHOUT competition (a separable
 *     truth) reports competition with t = 24 through its distorted noise
 *     term; a separable fit's noise term has no such bias (t = -0.5 there)
 *     and still finds competition in a capnoise sweep (t = 11). The cells
 *     of one pair of runs (all its domains and checkpoints) are
 *     correlated, so they are averaged per pair first; the mean is taken
 *     over pairs. Pairs that share a run share that run's noise too (a run
 *     is in about ten pairs of a 200-mixture sweep), so the standard error
 *     is the dyadic-robust one (covariances of pairs that share a run
 *     included, never below the independent-pairs value). Competition is
 *     "present" when t = mean / s.e. >= 2 and the mean > 0, "not
 *     measurable" otherwise.
 *
 * Everything here is pure computation: results are filled in caller-owned
 * structs whose arrays the functions allocate (free with the _done
 * functions; _done on a zeroed struct is safe). Scales are in law units
 * (units.h: N in millions of parameters, D in billions of tokens). */
#ifndef MIXSCOPE_EXPLAIN_H
#define MIXSCOPE_EXPLAIN_H

#include <stddef.h>

#include "mixscope/diag.h"
#include "mixscope/law.h"
#include "mixscope/problem.h"

#define MS_EXPLAIN_STEP 0.05        /* weight step: law test, smallest data move */
#define MS_EXPLAIN_MAX_RUNS 2000    /* data test: runs per model size examined */
#define MS_EXPLAIN_T_PRESENT 2.0    /* data test: t needed for "present" */
#define MS_EXPLAIN_LAW_PRESENT 1e-3 /* law test: competition's effect on the
                                       others' losses, as a fraction of the
                                       mean loss, needed for "present" */

typedef enum {
    MS_VERDICT_NOT_APPLICABLE, /* the law has no capacity (or noise) term */
    MS_VERDICT_PRESENT,
    MS_VERDICT_NEGLIGIBLE,     /* law: there, but below MS_EXPLAIN_LAW_PRESENT */
    MS_VERDICT_NOT_MEASURABLE  /* data: no pairs, or t < 2, or mean <= 0 */
} ms_verdict;

/* "not applicable", "present", "negligible", "not measurable". */
const char *ms_verdict_name(ms_verdict v);

/* ---- 1. decomposition ------------------------------------------------- */

enum { MS_PART_SIZE, MS_PART_COMPETITION, MS_PART_NOISE, MS_PART_IRREDUCIBLE, MS_N_PARTS };

/* A point: K mixture weights (borrowed), N and D in law units. */
typedef struct {
    const double *h;
    double N, D;
} ms_explain_point;

typedef struct {
    size_t K;
    double *loss_a, *loss_b; /* K each: predicted losses at a and b */
    double *total;           /* K: loss_b - loss_a */
    double *part;            /* K x MS_N_PARTS: part[i * MS_N_PARTS + k] */
    double mean_total, mean_part[MS_N_PARTS]; /* over the K domains */
    /* Part k's name ("model size", "competition", "noise", "irreducible"
     * for laws with a noise term; "<term0> via scale", "<term0> via
     * mixture", "<term1>", "<term2>" otherwise) and whether it applies (0
     * for the competition part of a law without a capacity allocation:
     * the value is then exactly 0). */
    char part_name[MS_N_PARTS][40];
    int part_applies[MS_N_PARTS];
} ms_explain_decomp;

/* Decomposes the change from a to b (see the top of this file). On
 * success the parts of each domain sum to its total up to rounding (about
 * 1e-15 relative). Errors: the law's (MS_EINPUT for a bad point,
 * MS_ENUMERIC), MS_ENOMEM; *out is then empty. */
ms_status ms_explain_decompose(const ms_law *law, const double *theta,
                               const ms_explain_point *a, const ms_explain_point *b,
                               ms_explain_decomp *out, ms_diag *d);
void ms_explain_decomp_done(ms_explain_decomp *x);

/* ---- 2. competition in the law ---------------------------------------- */

typedef struct {
    size_t K;
    int applicable;  /* the law has a capacity allocation */
    /* Per raised domain j (K each). step[j] is the rise actually made
     * (MS_EXPLAIN_STEP, less when h_j > 0.95; 0 when h_j = 1 or no other
     * domain has weight, and then the other entries are NaN). Means are
     * over the other domains i != j:
     *   cap_rel: (T_i' - T_i) / T_i of term 0 (capacity; separable's
     *            model-size term; NaN for laws without a noise term);
     *   loss:    L_i' - L_i;
     * the _off variants with MS_MECH_COMPETITION switched off. */
    double *step, *cap_rel, *loss, *cap_rel_off, *loss_off;
    /* The same averaged over the raised domains j with step[j] > 0. */
    double mean_cap_rel, mean_loss, mean_cap_rel_off, mean_loss_off;
    double effect;      /* mean_loss - mean_loss_off: competition's share */
    double base_loss;   /* mean predicted loss at the starting point */
    double rel_effect;  /* effect / base_loss */
    ms_verdict verdict; /* not applicable; present when rel_effect >=
                           MS_EXPLAIN_LAW_PRESENT; else negligible */
} ms_explain_law;

/* Runs the law test at mixture h (K weights summing to 1), N and D (law
 * units). Errors as ms_explain_decompose. */
ms_status ms_explain_law_competition(const ms_law *law, const double *theta,
                                     const double *h, double N, double D,
                                     ms_explain_law *out, ms_diag *d);
void ms_explain_law_done(ms_explain_law *x);

/* Raises h[j] to min(h[j] + step, 1) and rescales the others
 * proportionally so the sum stays 1 (the explorer's slider without locks;
 * when the others are all 0 nothing can make room). Returns the rise
 * made (0: h unchanged). */
double ms_explain_raise(double *h, size_t K, size_t j, double step);

/* ---- 3. competition in the data --------------------------------------- */

typedef struct {
    double mask;     /* other domains need h_i >= mask in both runs (MS_MASK_DEFAULT) */
    double min_step; /* |dh_j| >= this (MS_EXPLAIN_STEP) */
    size_t max_runs; /* runs per model size examined, evenly spaced in the
                        problem's run order (MS_EXPLAIN_MAX_RUNS): at most
                        that many rows per grid point */
    /* The law whose noise term is subtracted, with its parameters in the
     * law's domain order (same K); NULL: the law's own noise term. */
    const ms_law *noise_law;
    const double *noise_theta;
} ms_explain_data_opts;

void ms_explain_data_opts_init(ms_explain_data_opts *o);

/* Statistics over pairs of runs (each pair first averaged over its cells). */
typedef struct {
    size_t n_pairs;       /* pairs of runs with at least one cell */
    size_t n_comparisons; /* (pair, checkpoint) with at least one cell */
    size_t n_cells;       /* (pair, checkpoint, other domain) */
    double mean_excess;   /* mean over pairs; NaN without pairs */
    double se, t;         /* standard error (robust to pairs sharing a run)
                             and mean / se; NaN below 2 pairs */
    double se_independent;/* the standard error if pairs were independent */
    double mean_obs;      /* observed loss change */
    double mean_noise;    /* the law's noise-term change */
    double mean_capacity; /* the law's term-0 (capacity) change */
} ms_explain_stat;

typedef struct {
    size_t K;
    int applicable;            /* the law has a noise term */
    int competition;           /* the law has a capacity allocation */
    size_t n_runs;             /* runs in the problem */
    size_t n_runs_used;        /* runs examined (after the per-size cap) */
    ms_explain_stat all;
    ms_explain_stat *by_domain; /* K: pairs in which domain j rose */
    ms_verdict verdict;        /* of `all`: present or not measurable */
} ms_explain_data;

/* Runs the data test over every row of `p` (whatever its role), whose
 * domains must be the law's, in the law's order (build p with the fit's
 * domains). `o` NULL means the defaults. Errors: the law's (MS_ENUMERIC),
 * MS_ENOMEM. */
ms_status ms_explain_data_competition(const ms_law *law, const double *theta,
                                      const ms_problem *p,
                                      const ms_explain_data_opts *o,
                                      ms_explain_data *out, ms_diag *d);
void ms_explain_data_done(ms_explain_data *x);

#endif
