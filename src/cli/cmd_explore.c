/* mixscope [OPTIONS] [SWEEP.csv] — the interactive explorer. */
#include "cli/cli.h"
#include "cli/fitopts.h"

#include <signal.h>
#include <string.h>

#include "mixscope/units.h"
#include "tui/app.h"
#include "tui/term.h"

static const char explore_usage[] =
    "Usage: mixscope [OPTIONS] [SWEEP.csv]\n"
    "Open the interactive explorer on a sweep (default: the bundled sample):\n"
    "mixture sliders, model size and token budget, the predicted loss of every\n"
    "domain split into capacity, noise and irreducible terms, loss curves and\n"
    "live fit residuals. Press ? inside for the keys. Without a split, the\n"
    "residuals hold out the largest model size (with 3+ sizes; else 20% of\n"
    "the runs), so they show how the law extrapolates.\n"
    "\n"
    "  -p, --params FIT.json  show this fit first (otherwise fit at start)\n"
    "  -l, --law NAME         the law to fit (default capnoise)\n"
    "  -m, --mix MIX          starting mixture, e.g. web=0.5 (the rest share)\n"
    "      --N SIZE           starting model size (default: the sweep's largest)\n"
    "      --D SIZE           starting token budget\n"
    "      --no-color         no colours (also when NO_COLOR is set)\n"
    "      --ascii            ASCII only: no box drawing, blocks or braille\n"
    "      --no-mouse         do not turn on mouse reporting\n"
    "      --tour             start with the guided tour of the two mechanisms\n"
    "      --no-select        do not check in the background which law extrapolates\n"
    "                         best (mixscope select) and say so when it is not this one\n"
    FITOPTS_SPLIT_HELP
    FITOPTS_FIT_HELP
    CLI_SWEEP_HELP
    "  -h, --help             show this help\n"
    "  -V, --version          show the version\n";

enum { OPT_N = CLI_OPT_FIRST_FREE, OPT_D, OPT_NO_COLOR, OPT_ASCII, OPT_NO_MOUSE, OPT_TOUR,
       OPT_NO_SELECT };

typedef struct {
    fitopts fo;
    tui_opts t;
} explore_args;

static int explore_option(void *ctx, int opt, const char *arg)
{
    explore_args *a = ctx;
    int r = fitopts_option(&a->fo, "", opt, arg);
    ms_diag d;
    if (r)
        return r > 0 ? CLI_OK : CLI_EUSAGE;
    switch (opt) {
    case 'p': a->t.params = arg; return CLI_OK;
    case 'l': a->t.law = arg; return CLI_OK;
    case 'm': a->t.mix = arg; return CLI_OK;
    case OPT_N:
    case OPT_D:
        if (ms_size_parse(arg, opt == OPT_N ? "--N" : "--D", opt == OPT_N ? &a->t.N : &a->t.D,
                          &d) != MS_OK)
            return cli_usage_error("", "%s", d.msg);
        return CLI_OK;
    case OPT_NO_COLOR: a->t.color = 0; return CLI_OK;
    case OPT_ASCII: a->t.ascii = 1; return CLI_OK;
    case OPT_NO_MOUSE: a->t.mouse = 0; return CLI_OK;
    case OPT_TOUR: a->t.tour = 1; return CLI_OK;
    case OPT_NO_SELECT: a->t.no_select = 1; return CLI_OK;
    }
    return cli_usage_error("", "unknown option");
}

void cli_explore_usage(FILE *f)
{
    fputs(explore_usage, f);
}

int cli_explore(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"params", required_argument, 0, 'p'},
        {"law", required_argument, 0, 'l'},
        {"mix", required_argument, 0, 'm'},
        {"N", required_argument, 0, OPT_N},
        {"D", required_argument, 0, OPT_D},
        {"no-color", no_argument, 0, OPT_NO_COLOR},
        {"ascii", no_argument, 0, OPT_ASCII},
        {"no-mouse", no_argument, 0, OPT_NO_MOUSE},
        {"tour", no_argument, 0, OPT_TOUR},
        {"no-select", no_argument, 0, OPT_NO_SELECT},
        FITOPTS_SPLIT_LONGOPTS,
        FITOPTS_FIT_LONGOPTS,
        CLI_STD_LONGOPTS,
        CLI_SWEEP_LONGOPTS,
        {0, 0, 0, 0},
    };
    explore_args a;
    memset(&a, 0, sizeof a);
    fitopts_init(&a.fo);
    a.t.color = a.t.mouse = 1;
    cli_sweep_flags sf;
    cli_sweep_flags_init(&sf);
    int first = 0, done = 0;
    int rc = cli_parse_args("", explore_usage, argc, argv, longopts, &sf, explore_option, &a,
                            &first, &done);
    if (rc == CLI_OK && !done)
        rc = fitopts_finish(&a.fo, "");
    if (rc == CLI_OK && !done && first < argc - 1)
        rc = cli_usage_error("", "expected at most one SWEEP.csv argument");
    if (rc == CLI_OK && a.t.law && !ms_law_find(a.t.law))
        rc = cli_usage_error("", "unknown law \"%s\"", a.t.law);
    char sample[4096];
    const char *path = first < argc ? argv[first] : NULL;
    if (rc == CLI_OK && !done && !path) {
        if (cli_sample_path(sample, sizeof sample) != 0) {
            cli_error("cannot find the bundled sample (sample.csv); set MIXSCOPE_DATA to its "
                      "folder or give a SWEEP.csv");
            rc = CLI_EFAIL;
        }
        path = sample;
    }
    ms_sweep *s = NULL;
    if (rc == CLI_OK && !done)
        rc = cli_load_sweep(path, &sf, &s);
    if (s) {
        a.t.sweep = s;
        a.t.split = a.fo.split_given ? &a.fo.split : NULL;
        a.t.ckpt = a.fo.ckpt;
        a.t.fit = a.fo.fit;
        ms_diag d;
        ms_status st = tui_run(&a.t, &d);
        rc = st == MS_OK ? CLI_OK : cli_fail(st, &d);
        int sig = tui_term_signal();
        if (sig) { /* the terminal is restored: die of the signal we got */
            ms_sweep_free(s);
            cli_sweep_flags_done(&sf);
            signal(sig, SIG_DFL);
            raise(sig);
        }
    }
    ms_sweep_free(s);
    cli_sweep_flags_done(&sf);
    return rc;
}
