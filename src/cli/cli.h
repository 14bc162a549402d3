/* cli.h — the subcommands and what they share. Only src/cli prints. */
#ifndef MIXSCOPE_CLI_H
#define MIXSCOPE_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "mixscope/diag.h"
#include "mixscope/sweep.h"

/* Exit statuses (STYLE.md): 0 ok, 1 bad input or failed computation,
 * 2 usage. */
enum { CLI_OK = 0, CLI_EFAIL = 1, CLI_EUSAGE = 2 };

/* A subcommand: name, one-line summary, usage text and entry point.
 * run() gets argv with argv[0] = the subcommand name. */
typedef struct {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
} cli_command;

extern const cli_command cli_commands[]; /* NULL-name terminated */

int cli_info(int argc, char **argv);
int cli_predict(int argc, char **argv);
int cli_simulate(int argc, char **argv);
int cli_fit(int argc, char **argv);
int cli_eval(int argc, char **argv);
int cli_compare(int argc, char **argv);
int cli_optimize(int argc, char **argv);
int cli_rank(int argc, char **argv);
int cli_path(int argc, char **argv);
int cli_explore(int argc, char **argv);
int cli_select(int argc, char **argv);
int cli_explain(int argc, char **argv);
void cli_explore_usage(FILE *f);

/* "mixscope: <msg>" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints a diagnostic and returns the exit status for `st`. */
int cli_fail(ms_status st, const ms_diag *d);
/* Prints "mixscope CMD: <msg>\nTry 'mixscope CMD --help'." and returns 2. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Prints the version line and returns 0. */
int cli_version(void);

/* Options shared by every command that reads a sweep. Each long option's
 * `val` is one of the CLI_OPT_* codes below; cli_sweep_option() handles
 * them. Append CLI_SWEEP_LONGOPTS to a command's option table. */
enum {
    CLI_OPT_WEIGHT_COL = 1000,
    CLI_OPT_LOSS_COL,
    CLI_OPT_SIZE_COL,
    CLI_OPT_TOKENS_COL,
    CLI_OPT_RENAME,
    CLI_OPT_RENORMALIZE,
    CLI_OPT_FIRST_FREE /* commands number their own options from here */
};
#define CLI_SWEEP_LONGOPTS                                                  \
    {"weight-col", required_argument, 0, CLI_OPT_WEIGHT_COL},               \
    {"loss-col", required_argument, 0, CLI_OPT_LOSS_COL},                   \
    {"size-col", required_argument, 0, CLI_OPT_SIZE_COL},                   \
    {"tokens-col", required_argument, 0, CLI_OPT_TOKENS_COL},               \
    {"rename", required_argument, 0, CLI_OPT_RENAME},                       \
    {"renormalize", no_argument, 0, CLI_OPT_RENORMALIZE}
#define CLI_SWEEP_HELP                                                      \
    "Sweep columns:\n"                                                      \
    "      --weight-col PATTERN  mixture weight columns (default weight_{})\n" \
    "      --loss-col PATTERN    loss columns (default {}_loss)\n"          \
    "      --size-col NAME       model size column (default model_size)\n"  \
    "      --tokens-col NAME     token count column (default n_tokens)\n"   \
    "      --rename OLD=NEW      rename a column before reading (repeatable)\n" \
    "      --renormalize         rescale rows whose weights do not sum to 1\n"

#define CLI_MAX_RENAMES 64
typedef struct {
    ms_sweep_opts opts;
    const char *renames[2 * CLI_MAX_RENAMES];
    char *rename_buf[CLI_MAX_RENAMES];
} cli_sweep_flags;

void cli_sweep_flags_init(cli_sweep_flags *f);
void cli_sweep_flags_done(cli_sweep_flags *f);
/* Handles one of the CLI_OPT_* sweep codes. Returns 1 if handled, 0 if
 * `opt` is not a sweep option, -1 on a usage error (already printed). */
int cli_sweep_option(cli_sweep_flags *f, const char *cmd, int opt, const char *arg);
/* Loads the sweep, printing the diagnostic on failure. Returns the exit
 * status (0 on success). */
int cli_load_sweep(const char *path, cli_sweep_flags *f, ms_sweep **out);

/* Runs getopt_long over argv for command `cmd`. -h/--help prints `usage`
 * and -V/--version the version (both set *done and return CLI_OK); sweep
 * options go to `sf` (may be NULL); every other option goes to
 * fn(ctx, opt, optarg), which returns CLI_OK or prints and returns
 * CLI_EUSAGE. On return *first is the index of the first operand. The
 * option table must contain help and version with values 'h' and 'V'. */
typedef int (*cli_opt_fn)(void *ctx, int opt, const char *arg);
int cli_parse_args(const char *cmd, const char *usage, int argc, char **argv,
                   const struct option *longopts, cli_sweep_flags *sf,
                   cli_opt_fn fn, void *ctx, int *first, int *done);
#define CLI_STD_LONGOPTS                                                    \
    {"help", no_argument, 0, 'h'}, {"version", no_argument, 0, 'V'}

/* The shape of every command that reads one sweep: parse the options
 * (sweep options included), call check(ctx) for the command's own
 * requirements (may be NULL; returns CLI_OK or a printed usage error),
 * require exactly one SWEEP.csv operand, load it and call run(ctx, sweep).
 * Returns the exit status. */
typedef struct {
    const char *cmd, *usage;
    const struct option *longopts;
    cli_opt_fn option;
    int (*check)(void *ctx);
    int (*run)(void *ctx, const ms_sweep *s);
} cli_sweep_command;
int cli_run_sweep_command(const cli_sweep_command *c, int argc, char **argv, void *ctx);

/* The bundled sample sweep: $MIXSCOPE_DATA/sample.csv, else
 * <binary>/../sample-data/sample.csv, else MS_DATADIR/sample.csv. Writes the
 * first readable path into buf; returns 0, or -1 if none exists. */
int cli_sample_path(char *buf, size_t len);

#endif
