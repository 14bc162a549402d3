/* mixscope — entry point: dispatch to a subcommand, or open the explorer. */
#include "cli/cli.h"

#include <gsl/gsl_errno.h>
#include <locale.h>
#include <string.h>

const cli_command cli_commands[] = {
    {"info", "describe a sweep: domains, runs, scales, missing values", cli_info},
    {"fit", "fit a law to a sweep and test it on held-out rows", cli_fit},
    {"select", "which law extrapolates best on this sweep", cli_select},
    {"explain", "which mechanisms drive a fit; is competition in the data", cli_explain},
    {"compare", "fit every law on the same split and compare them", cli_compare},
    {"eval", "score a saved fit on a sweep", cli_eval},
    {"predict", "per-domain losses of a fitted law at a mixture and scale", cli_predict},
    {"optimize", "the optimal mixture at a scale, its flatness and optimality check", cli_optimize},
    {"rank", "how well a law ranks a sweep's mixtures at one scale", cli_rank},
    {"path", "how the optimal mixture moves with scale", cli_path},
    {"simulate", "generate a sweep from a law's parameters", cli_simulate},
    {NULL, NULL, NULL},
};

static void usage(FILE *f)
{
    cli_explore_usage(f);
    fputs("\nCommands (mixscope COMMAND --help for each):\n", f);
    for (const cli_command *c = cli_commands; c->name; c++)
        fprintf(f, "  %-10s %s\n", c->name, c->summary);
    fputs("\nSee mixscope(1).\n", f);
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    /* The core checks every GSL status; GSL must never abort the process. */
    gsl_set_error_handler_off();
    const char *cmd = argc > 1 ? argv[1] : "";
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return CLI_OK;
    }
    for (const cli_command *c = cli_commands; c->name; c++)
        if (strcmp(c->name, cmd) == 0)
            return c->run(argc - 1, argv + 1);
    /* No command: the explorer, with its options and an optional sweep. */
    return cli_explore(argc, argv);
}
