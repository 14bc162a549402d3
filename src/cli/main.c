/* mixscope — entry point: dispatch to a subcommand, or open the explorer. */
#include "cli/cli.h"

#include <gsl/gsl_errno.h>
#include <locale.h>
#include <string.h>

const cli_command cli_commands[] = {
    {"info", "describe a sweep: domains, runs, scales, missing values", cli_info},
    {"fit", "fit a law to a sweep and test it on held-out rows", cli_fit},
    {"compare", "fit every law on the same split and compare them", cli_compare},
    {"eval", "score a saved fit on a sweep", cli_eval},
    {"predict", "per-domain losses of a fitted law at a mixture and scale", cli_predict},
    {"simulate", "generate a sweep from a law's parameters", cli_simulate},
    {NULL, NULL, NULL},
};

static void usage(FILE *f)
{
    fputs("Usage: mixscope [SWEEP.csv]\n"
          "       mixscope COMMAND [OPTIONS] [ARGS]\n"
          "Explore data-mixing scaling laws: fit the capacity/noise law (Dai & Zheng,\n"
          "ICML 2026) to a sweep and see how per-domain losses depend on the mixture,\n"
          "the model size N and the token budget D.\n\n"
          "With no command, describes SWEEP.csv (default: the bundled sample).\n\n"
          "Commands:\n", f);
    for (const cli_command *c = cli_commands; c->name; c++)
        fprintf(f, "  %-10s %s\n", c->name, c->summary);
    fputs("\nRun 'mixscope COMMAND --help' for a command's options; see mixscope(1).\n"
          "  -h, --help     show this help\n"
          "  -V, --version  show the version\n", f);
}

/* Until the explorer lands, the default session describes the sweep. */
static int open_default(const char *path)
{
    char sample[4096];
    if (!path) {
        if (cli_sample_path(sample, sizeof sample) != 0) {
            cli_error("cannot find the bundled sample (sample.csv); set MIXSCOPE_DATA "
                      "to its folder or give a SWEEP.csv");
            return CLI_EFAIL;
        }
        path = sample;
    }
    char *argv[] = {"info", (char *)path, NULL};
    return cli_info(2, argv);
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    /* The core checks every GSL status; GSL must never abort the process. */
    gsl_set_error_handler_off();
    if (argc < 2)
        return open_default(NULL);
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return CLI_OK;
    }
    if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0)
        return cli_version();
    for (const cli_command *c = cli_commands; c->name; c++)
        if (strcmp(c->name, cmd) == 0)
            return c->run(argc - 1, argv + 1);
    if (cmd[0] == '-') {
        fprintf(stderr, "mixscope: unknown option '%s'\n", cmd);
        usage(stderr);
        return CLI_EUSAGE;
    }
    if (argc > 2) {
        fprintf(stderr, "mixscope: unknown command '%s'\n", cmd);
        usage(stderr);
        return CLI_EUSAGE;
    }
    return open_default(cmd);
}
