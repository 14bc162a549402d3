#include "cli/fitopts.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mixscope/units.h"

void fitopts_init(fitopts *f)
{
    memset(f, 0, sizeof *f);
    f->split.kind = MS_SPLIT_NONE;
    f->split.seed = 1;
    f->ckpt = MS_CKPT_ALL;
    ms_fit_opts_init(&f->fit);
}

const char *fitopts_ckpt_name(ms_checkpoints c)
{
    return c == MS_CKPT_FINAL ? "final" : c == MS_CKPT_WEIGHTED ? "weighted" : "all";
}

static int number(const char *cmd, const char *opt, const char *arg, double lo,
                  double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(arg, &end);
    if (end == arg || *end || errno || !isfinite(v) || v < lo || v > hi) {
        cli_usage_error(cmd, "%s: expected a number in [%g, %g], got \"%s\"", opt, lo, hi, arg);
        return -1;
    }
    *out = v;
    return 1;
}

static int count(const char *cmd, const char *opt, const char *arg, double lo, size_t *out)
{
    double v;
    if (number(cmd, opt, arg, lo, 1e9, &v) < 0)
        return -1;
    if (v != floor(v)) {
        cli_usage_error(cmd, "%s: expected a whole number, got \"%s\"", opt, arg);
        return -1;
    }
    *out = (size_t)v;
    return 1;
}

static int parse_at(fitopts *f, const char *cmd, const char *arg)
{
    char buf[128];
    const char *comma = strchr(arg, ',');
    ms_diag d;
    if (!comma || (size_t)(comma - arg) >= sizeof buf) {
        cli_usage_error(cmd, "--at: expected N,D like 122M,10B, got \"%s\"", arg);
        return -1;
    }
    memcpy(buf, arg, (size_t)(comma - arg));
    buf[comma - arg] = 0;
    if (ms_size_parse(buf, "--at", &f->split.at_N, &d) != MS_OK ||
        ms_size_parse(comma + 1, "--at", &f->split.at_D, &d) != MS_OK) {
        cli_usage_error(cmd, "%s", d.msg);
        return -1;
    }
    f->split.kind = MS_SPLIT_AT;
    return 1;
}

static int split_option(fitopts *f, const char *cmd, int opt, const char *arg)
{
    ms_diag d;
    size_t n;
    switch (opt) {
    case FO_VAL:
        f->split_given = 1;
        return number(cmd, "--val", arg, 0, 0.95, &f->split.val_frac);
    case FO_TRAIN:
    case FO_TEST:
        f->split_given = 1;
        if (ms_split_parse_conds(arg, opt == FO_TRAIN ? "--train" : "--test",
                                 opt == FO_TRAIN ? f->split.train : f->split.test,
                                 MS_MAX_CONDS, &n, &d) != MS_OK) {
            cli_usage_error(cmd, "%s", d.msg);
            return -1;
        }
        *(opt == FO_TRAIN ? &f->split.n_train : &f->split.n_test) = n;
        return 1;
    case FO_AT:
        f->split_given = 1;
        return parse_at(f, cmd, arg);
    case FO_SEED: {
        double v;
        if (number(cmd, "--seed", arg, 0, 4294967295.0, &v) < 0)
            return -1;
        f->split.seed = f->fit.seed = (unsigned long)v;
        return 1;
    }
    case FO_CKPT:
        for (int c = MS_CKPT_ALL; c <= MS_CKPT_WEIGHTED; c++)
            if (strcmp(arg, fitopts_ckpt_name((ms_checkpoints)c)) == 0) {
                f->ckpt = (ms_checkpoints)c;
                return 1;
            }
        cli_usage_error(cmd, "--checkpoints: expected all, final or weighted, got \"%s\"", arg);
        return -1;
    case FO_MASK:
        return number(cmd, "--mask", arg, 0, 1, &f->fit.mask);
    }
    return 0;
}

int fitopts_option(fitopts *f, const char *cmd, int opt, const char *arg)
{
    int r = split_option(f, cmd, opt, arg);
    if (r)
        return r;
    switch (opt) {
    case FO_RESID:
        if (strcmp(arg, "relative") == 0 || strcmp(arg, "absolute") == 0) {
            f->fit.resid = arg[0] == 'r' ? MS_RESID_RELATIVE : MS_RESID_ABSOLUTE;
            return 1;
        }
        cli_usage_error(cmd, "--residuals: expected relative or absolute, got \"%s\"", arg);
        return -1;
    case FO_HUBER: return number(cmd, "--huber", arg, 0, 1e6, &f->fit.huber);
    case FO_STARTS: return count(cmd, "--starts", arg, 1, &f->fit.starts);
    case FO_THREADS: return count(cmd, "--threads", arg, 1, &f->fit.threads);
    case FO_MAXITER: return count(cmd, "--max-iter", arg, 1, &f->fit.max_iter);
    case FO_LAW: f->law = arg; return 1;
    case FO_QUIET: f->quiet = 1; return 1;
    case FO_BOOT: return count(cmd, "--bootstrap", arg, 0, &f->bootstrap);
    }
    return 0;
}

int fitopts_finish(fitopts *f, const char *cmd)
{
    ms_split *s = &f->split;
    int scale = s->n_train || s->n_test;
    if (s->n_test && !s->n_train)
        return cli_usage_error(cmd, "--test needs --train");
    if (scale && s->kind == MS_SPLIT_AT)
        return cli_usage_error(cmd, "--at cannot be combined with --train/--test");
    if (scale && s->val_frac > 0)
        return cli_usage_error(cmd, "--val cannot be combined with --train/--test");
    if (scale)
        s->kind = MS_SPLIT_SCALE;
    else if (s->kind != MS_SPLIT_AT && s->val_frac > 0)
        s->kind = MS_SPLIT_RANDOM;
    return CLI_OK;
}
