#include "cli/cli.h"
int cli_simulate(int argc, char **argv)
{
    (void)argc; (void)argv;
    cli_error("simulate: not yet");
    return CLI_EFAIL;
}
