/* fitopts.h — command-line options shared by fit, compare, eval and select:
 * splits, checkpoint treatment, the objective, the multi-start. */
#ifndef MIXSCOPE_CLI_FITOPTS_H
#define MIXSCOPE_CLI_FITOPTS_H

#include "cli/cli.h"
#include "mixscope/fit.h"
#include "mixscope/problem.h"

enum {
    FO_VAL = 1100, FO_SEED, FO_TRAIN, FO_TEST, FO_AT, FO_CKPT, FO_MASK, FO_RESID,
    FO_HUBER, FO_STARTS, FO_THREADS, FO_MAXITER, FO_LAW, FO_QUIET, FO_BOOT
};

#define FITOPTS_SPLIT_LONGOPTS                                              \
    {"val", required_argument, 0, FO_VAL},                                  \
    {"seed", required_argument, 0, FO_SEED},                                \
    {"train", required_argument, 0, FO_TRAIN},                              \
    {"test", required_argument, 0, FO_TEST},                                \
    {"at", required_argument, 0, FO_AT},                                    \
    {"checkpoints", required_argument, 0, FO_CKPT},                         \
    {"mask", required_argument, 0, FO_MASK}
#define FITOPTS_FIT_LONGOPTS                                                \
    {"residuals", required_argument, 0, FO_RESID},                          \
    {"huber", required_argument, 0, FO_HUBER},                              \
    {"starts", required_argument, 0, FO_STARTS},                            \
    {"threads", required_argument, 0, FO_THREADS},                          \
    {"max-iter", required_argument, 0, FO_MAXITER},                         \
    {"quiet", no_argument, 0, FO_QUIET},                                    \
    {"bootstrap", required_argument, 0, FO_BOOT}

#define FITOPTS_SPLIT_HELP                                                  \
    "Split:\n"                                                               \
    "      --train COND       rows to fit on, e.g. 'N<=310M' or 'N<1B,D>=5B'\n" \
    "      --test COND        rows to test on (default: the rest)\n"        \
    "      --val FRACTION     hold out this fraction of the runs at random\n" \
    "      --at N,D           only the rows at one scale (or the nearest grid point)\n" \
    "      --seed S           seed of the random split and of the starts (1)\n" \
    "      --checkpoints all|final|weighted\n"                             \
    "                         train on every checkpoint, each run's last, or all\n" \
    "                         weighted so each run counts once (default: all)\n" \
    "      --mask H           leave out cells whose domain weight is below H (0.1)\n"
#define FITOPTS_FIT_HELP                                                    \
    "Objective and search:\n"                                               \
    "      --residuals relative|absolute   (default relative)\n"           \
    "      --huber DELTA      Huber loss with this threshold (default: least squares)\n" \
    "      --starts R         random starting points (12)\n"                \
    "      --threads T        threads for the starts (default: all cores)\n" \
    "      --max-iter M       iterations per start (150)\n"                 \
    "      --bootstrap B      B refits on resampled runs: 95% intervals of the\n" \
    "                         parameters (and, in predict, of the losses)\n" \
    "      --quiet            no progress line\n"

typedef struct {
    ms_split split;
    ms_checkpoints ckpt;
    ms_fit_opts fit;
    const char *law; /* --law, NULL if not given */
    int quiet;
    size_t bootstrap; /* refits, 0 = none */
    int split_given; /* any split flag seen */
} fitopts;

void fitopts_init(fitopts *f);
/* Handles one option code; returns 1 if handled, 0 if not ours, -1 on a
 * usage error (printed). */
int fitopts_option(fitopts *f, const char *cmd, int opt, const char *arg);
/* Checks the combination (e.g. --val with --train); prints and returns
 * CLI_EUSAGE, or CLI_OK. */
int fitopts_finish(fitopts *f, const char *cmd);

const char *fitopts_ckpt_name(ms_checkpoints c);

#endif
