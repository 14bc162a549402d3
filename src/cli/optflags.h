/* optflags.h — what optimize, path and rank share: domain weights and
 * constraints typed as domain=value lists, checked against a fit's
 * domains, and the restart options. */
#ifndef MIXSCOPE_CLI_OPTFLAGS_H
#define MIXSCOPE_CLI_OPTFLAGS_H

#include <jansson.h>

#include "cli/cli.h"
#include "mixscope/fitfile.h"
#include "mixscope/optimize.h"

enum {
    OF_WEIGHTS = 1200, OF_LOCK, OF_MIN, OF_MAX, OF_TOKENS, OF_EPOCHS, OF_RESTARTS, OF_SEED,
    OF_N_LISTS = 5 /* weights, lock, min, max, tokens */
};

#define OPTFLAGS_WEIGHT_LONGOPTS {"weights", required_argument, 0, OF_WEIGHTS}
#define OPTFLAGS_LONGOPTS                                                   \
    OPTFLAGS_WEIGHT_LONGOPTS,                                               \
    {"lock", required_argument, 0, OF_LOCK},                                \
    {"min", required_argument, 0, OF_MIN},                                  \
    {"max", required_argument, 0, OF_MAX},                                  \
    {"tokens", required_argument, 0, OF_TOKENS},                            \
    {"epochs", required_argument, 0, OF_EPOCHS},                            \
    {"restarts", required_argument, 0, OF_RESTARTS},                        \
    {"seed", required_argument, 0, OF_SEED}

#define OPTFLAGS_WEIGHT_HELP                                                \
    "      --weights D=W,...  weigh domains in the objective (unlisted: 1); the\n" \
    "                         objective is the weighted mean loss\n"
#define OPTFLAGS_HELP                                                       \
    "Objective and constraints (repeatable; values per domain):\n"         \
    OPTFLAGS_WEIGHT_HELP                                                    \
    "      --lock D=H,...     fix these weights (0 leaves a domain out)\n"  \
    "      --min D=H,...      lower bounds on weights\n"                    \
    "      --max D=H,...      upper bounds on weights\n"                    \
    "      --tokens D=SIZE,...  tokens available: h * D <= SIZE * epochs\n" \
    "      --epochs E         repetitions allowed of the available tokens (1)\n" \
    "      --restarts R       seeded random restarts (20)\n"                \
    "      --seed S           seed of the restarts (1)\n"

typedef struct {
    char *list[OF_N_LISTS];   /* comma-joined values of each repeatable flag */
    double epochs;
    ms_opt_opts opts;         /* restarts, seed */
} optflags;

/* Per-domain values parsed for one fit, and the spec pointing at them. */
typedef struct {
    double *vals;             /* OF_N_LISTS x K, NaN where not given */
    int given[OF_N_LISTS];
    ms_opt_spec spec;
} optspec;

void optflags_init(optflags *f);
void optflags_done(optflags *f);
/* Handles one OF_* option; 1 handled, 0 not ours, -1 usage error (printed). */
int optflags_option(optflags *f, const char *cmd, int opt, const char *arg);
/* Parses the lists against the fit's domains: CLI_OK, or CLI_EFAIL with the
 * message printed ("mixscope: --lock: unknown domain \"x\" (domains: ...)").
 * Free s with optspec_done. */
int optspec_build(const optflags *f, const ms_fit *fit, optspec *s);
void optspec_done(optspec *s);

/* {"domain": value, ...} for K values. */
json_t *optjson_by_domain(const ms_fit *fit, const double *v);

#endif
