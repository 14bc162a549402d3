#include "cli/cli.h"

#include <libgen.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "datadir.h"
#include "mixscope/version.h"

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("mixscope: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_fail(ms_status st, const ms_diag *d)
{
    cli_error("%s", d->msg);
    return st == MS_OK ? CLI_OK : CLI_EFAIL;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "mixscope %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'mixscope %s --help'.\n", cmd);
    return CLI_EUSAGE;
}

int cli_version(void)
{
    printf("mixscope %s\n", MIXSCOPE_VERSION);
    return CLI_OK;
}

void cli_sweep_flags_init(cli_sweep_flags *f)
{
    memset(f, 0, sizeof *f);
    ms_sweep_opts_init(&f->opts);
    f->opts.renames = f->renames;
}

void cli_sweep_flags_done(cli_sweep_flags *f)
{
    for (size_t i = 0; i < f->opts.n_renames; i++)
        free(f->rename_buf[i]);
    f->opts.n_renames = 0;
}

static int pattern_ok(const char *p)
{
    const char *a = strstr(p, "{}");
    return a && !strstr(a + 2, "{}") && strlen(p) > 2;
}

int cli_sweep_option(cli_sweep_flags *f, const char *cmd, int opt, const char *arg)
{
    switch (opt) {
    case CLI_OPT_WEIGHT_COL:
    case CLI_OPT_LOSS_COL:
        if (!pattern_ok(arg)) {
            cli_usage_error(cmd, "--%s-col: expected a pattern with one {} for the domain, like weight_{}, got \"%s\"",
                            opt == CLI_OPT_WEIGHT_COL ? "weight" : "loss", arg);
            return -1;
        }
        *(opt == CLI_OPT_WEIGHT_COL ? &f->opts.weight_pattern : &f->opts.loss_pattern) = arg;
        return 1;
    case CLI_OPT_SIZE_COL: f->opts.size_column = arg; return 1;
    case CLI_OPT_TOKENS_COL: f->opts.tokens_column = arg; return 1;
    case CLI_OPT_RENORMALIZE: f->opts.renormalize = 1; return 1;
    case CLI_OPT_RENAME: {
        const char *eq = strchr(arg, '=');
        if (!eq || eq == arg || !eq[1]) {
            cli_usage_error(cmd, "--rename: expected OLD=NEW, got \"%s\"", arg);
            return -1;
        }
        size_t k = f->opts.n_renames;
        if (k == CLI_MAX_RENAMES) {
            cli_usage_error(cmd, "--rename: at most %d renames", CLI_MAX_RENAMES);
            return -1;
        }
        char *buf = strdup(arg);
        if (!buf) {
            cli_error("out of memory");
            return -1;
        }
        buf[eq - arg] = 0;
        f->rename_buf[k] = buf;
        f->renames[2 * k] = buf;
        f->renames[2 * k + 1] = buf + (eq - arg) + 1;
        f->opts.n_renames++;
        return 1;
    }
    }
    return 0;
}

int cli_load_sweep(const char *path, cli_sweep_flags *f, ms_sweep **out)
{
    ms_diag d;
    ms_status st = ms_sweep_load(path, &f->opts, out, &d);
    if (st != MS_OK)
        return cli_fail(st, &d);
    if ((*out)->n_renormalized)
        fprintf(stderr, "mixscope: %s: renormalized the weights of %zu of %zu rows\n",
                path, (*out)->n_renormalized, (*out)->n);
    return CLI_OK;
}

static int readable(const char *p) { return access(p, R_OK) == 0; }

int cli_sample_path(char *buf, size_t len)
{
    const char *env = getenv("MIXSCOPE_DATA");
    if (env && *env) {
        snprintf(buf, len, "%s/sample.csv", env);
        return readable(buf) ? 0 : -1;
    }
    /* Beside the program: the source tree (build/../sample-data) or a
     * relocated install (bin/../share/mixscope). */
    static const char *const rel[] = {"../sample-data", "../share/mixscope"};
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    for (size_t k = 0; n > 0 && k < sizeof rel / sizeof rel[0]; k++) {
        exe[n] = 0;
        char dir[4096], cand[4200], *real;
        snprintf(dir, sizeof dir, "%s", exe);
        snprintf(cand, sizeof cand, "%s/%s/sample.csv", dirname(dir), rel[k]);
        if (readable(cand) && (real = realpath(cand, NULL))) {
            snprintf(buf, len, "%s", real);
            free(real);
            return 0;
        }
    }
    snprintf(buf, len, "%s/sample.csv", MS_DATADIR);
    return readable(buf) ? 0 : -1;
}

int cli_parse_args(const char *cmd, const char *usage, int argc, char **argv,
                   const struct option *longopts, cli_sweep_flags *sf,
                   cli_opt_fn fn, void *ctx, int *first, int *done)
{
    /* Short options are derived from the table so -o and --output agree. */
    char shortopts[128] = ":";
    size_t n = 1;
    for (const struct option *o = longopts; o->name && n + 3 < sizeof shortopts; o++) {
        if (o->val > 0 && o->val < 128 && !o->flag) {
            shortopts[n++] = (char)o->val;
            if (o->has_arg == required_argument)
                shortopts[n++] = ':';
        }
    }
    shortopts[n] = 0;
    *done = 0;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        if (c == 'h') {
            fputs(usage, stdout);
            *done = 1;
            return CLI_OK;
        }
        if (c == 'V') {
            *done = 1;
            return cli_version();
        }
        if (c == '?')
            return optopt ? cli_usage_error(cmd, "unknown option '-%c'", optopt)
                          : cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
        if (c == ':')
            return cli_usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
        int r = sf ? cli_sweep_option(sf, cmd, c, optarg) : 0;
        if (r < 0)
            return CLI_EUSAGE;
        if (r == 0 && fn(ctx, c, optarg) != CLI_OK)
            return CLI_EUSAGE;
    }
    *first = optind;
    return CLI_OK;
}

int cli_run_sweep_command(const cli_sweep_command *c, int argc, char **argv, void *ctx)
{
    cli_sweep_flags sf;
    cli_sweep_flags_init(&sf);
    int first = 0, done = 0;
    int rc = cli_parse_args(c->cmd, c->usage, argc, argv, c->longopts, &sf, c->option, ctx,
                            &first, &done);
    if (rc == CLI_OK && !done && c->check)
        rc = c->check(ctx);
    if (rc == CLI_OK && !done && first != argc - 1)
        rc = cli_usage_error(c->cmd, "expected one SWEEP.csv argument");
    ms_sweep *s = NULL;
    if (rc == CLI_OK && !done)
        rc = cli_load_sweep(argv[first], &sf, &s);
    if (s)
        rc = c->run(ctx, s);
    ms_sweep_free(s);
    cli_sweep_flags_done(&sf);
    return rc;
}
