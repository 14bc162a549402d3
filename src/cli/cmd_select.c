/* mixscope select — which law extrapolates best on this sweep. */
#include "cli/cli.h"
#include "cli/fitopts.h"
#include "cli/select_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char select_usage[] =
    "Usage: mixscope select [OPTIONS] SWEEP.csv\n"
    "Decide which law to trust at larger scales by extrapolation, not training\n"
    "error: fit every law on all model sizes but the largest and test on the\n"
    "largest; with 4+ sizes also leave out the two largest; and one in-scale\n"
    "random split (20% of the runs). The score is the mean masked test MRE over\n"
    "the leave-out splits; the lowest wins.\n"
    "\n"
    "      --laws LIST        comma-separated laws (default: all)\n"
    "      --json             print JSON\n"
    FITOPTS_FIT_HELP
    "      --seed S           seed of the random split and of the starts (1)\n"
    "      --checkpoints all|final|weighted   (default all)\n"
    "      --mask H           leave out cells whose domain weight is below H (0.1)\n"
    CLI_SWEEP_HELP
    "  -h, --help             show this help\n"
    "  -V, --version          show the version\n";

typedef laws_args select_args;

static int show_progress(const ms_select_law *law, size_t split, void *ctx)
{
    (void)ctx;
    fprintf(stderr, "\r\033[K%s: %s done", law->def->name, law->split[split].name);
    return 0;
}

static int select_run_cb(void *ctx, const ms_sweep *s)
{
    select_args *a = ctx;
    ms_selection sel;
    ms_diag d;
    int tty = !a->fo.quiet && !a->json && isatty(STDERR_FILENO);
    ms_status st = ms_select_run(s, a->laws.defs, a->laws.n, &a->fo.fit, a->fo.ckpt,
                                 tty ? show_progress : NULL, NULL, &sel, &d);
    if (tty)
        fprintf(stderr, "\r\033[K");
    if (st != MS_OK)
        return cli_fail(st, &d);
    if (a->json) {
        json_t *j = select_json(&sel);
        json_dumpf(j, stdout, JSON_INDENT(1) | JSON_REAL_PRECISION(8));
        putchar('\n');
        json_decref(j);
    } else
        select_print(stdout, s, &sel, &a->fo);
    ms_selection_done(&sel);
    return CLI_OK;
}

int cli_select(int argc, char **argv)
{
    static const struct option longopts[] = {
        LAWS_LONGOPTS,
        {"seed", required_argument, 0, FO_SEED},
        {"checkpoints", required_argument, 0, FO_CKPT},
        {"mask", required_argument, 0, FO_MASK},
        FITOPTS_FIT_LONGOPTS,
        CLI_STD_LONGOPTS,
        CLI_SWEEP_LONGOPTS,
        {0, 0, 0, 0},
    };
    static const cli_sweep_command cmd = {"select", select_usage, longopts, laws_option, NULL,
                                          select_run_cb};
    select_args a;
    laws_args_init(&a, "select");
    return cli_run_sweep_command(&cmd, argc, argv, &a);
}
