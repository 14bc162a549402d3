/* The domain=value options optimize, path and rank share (optflags.h). */
#include "cli/optflags.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mixscope/units.h"

static const char *const list_flag[OF_N_LISTS] = {"--weights", "--lock", "--min", "--max",
                                                  "--tokens"};

void optflags_init(optflags *f)
{
    memset(f, 0, sizeof *f);
    f->epochs = 1;
    ms_opt_opts_init(&f->opts);
}

void optflags_done(optflags *f)
{
    for (int k = 0; k < OF_N_LISTS; k++)
        free(f->list[k]);
    memset(f->list, 0, sizeof f->list);
}

static int whole(const char *cmd, const char *opt, const char *arg, double lo, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(arg, &end);
    if (end == arg || *end || errno || !(v >= lo && v <= 1e9) || v != floor(v))
        return cli_usage_error(cmd, "%s: expected a whole number >= %g, got \"%s\"", opt, lo,
                               arg), -1;
    *out = v;
    return 1;
}

int optflags_option(optflags *f, const char *cmd, int opt, const char *arg)
{
    double v;
    if (opt >= OF_WEIGHTS && opt < OF_WEIGHTS + OF_N_LISTS) {
        char **dst = &f->list[opt - OF_WEIGHTS];
        size_t n = *dst ? strlen(*dst) : 0;
        char *p = realloc(*dst, n + strlen(arg) + 2);
        if (!p)
            return cli_error("out of memory"), -1;
        if (n)
            p[n++] = ',';
        strcpy(p + n, arg);
        *dst = p;
        return 1;
    }
    switch (opt) {
    case OF_EPOCHS: {
        char *end;
        errno = 0;
        v = strtod(arg, &end);
        if (end == arg || *end || errno || !(v > 0 && isfinite(v)))
            return cli_usage_error(cmd, "--epochs: expected a number > 0, got \"%s\"", arg), -1;
        f->epochs = v;
        return 1;
    }
    case OF_RESTARTS:
        if (whole(cmd, "--restarts", arg, 1, &v) < 0)
            return -1;
        f->opts.restarts = (size_t)v;
        return 1;
    case OF_SEED:
        if (whole(cmd, "--seed", arg, 0, &v) < 0)
            return -1;
        f->opts.seed = (unsigned long)v;
        return 1;
    }
    return 0;
}

/* One value of list k for domain `dom`. */
static ms_status parse_value(int k, const char *dom, const char *text, double *out, ms_diag *d)
{
    const char *flag = list_flag[k];
    if (k == OF_TOKENS - OF_WEIGHTS) {
        char what[300];
        snprintf(what, sizeof what, "%s: %s", flag, dom);
        return ms_size_parse(text, what, out, d);
    }
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (k != 0 && end != text && *end == '%')
        v /= 100, end++;
    int ok = end != text && !*end && !errno && isfinite(v) && v >= 0 && (k == 0 || v <= 1);
    if (!ok)
        return ms_diag_set(d, MS_EINPUT, flag, 0, 0, "%s: expected %s, got \"%s\"", dom,
                           k == 0 ? "a number >= 0" : "a weight in [0, 1]", text);
    *out = v;
    return MS_OK;
}

static ms_status unknown_domain(const ms_fit *fit, const char *flag, const char *name,
                                size_t len, ms_diag *d)
{
    char known[600] = "";
    for (size_t i = 0, n = 0; i < fit->law.K && n + 40 < sizeof known; i++)
        n += (size_t)snprintf(known + n, sizeof known - n, "%s%s", i ? ", " : "",
                              fit->domains[i]);
    return ms_diag_set(d, MS_EINPUT, flag, 0, 0, "unknown domain \"%.*s\" (domains: %s)",
                       (int)len, name, known);
}

/* Parses "name=value,..." of list k into vals[K]. */
static ms_status parse_list(int k, const char *text, const ms_fit *fit, double *vals,
                            ms_diag *d)
{
    const char *flag = list_flag[k];
    for (const char *p = text;; p++) {
        size_t len = strcspn(p, ",");
        const char *eq = memchr(p, '=', len);
        if (!eq || eq == p)
            return ms_diag_set(d, MS_EINPUT, flag, 0, 0, "expected domain=value, got \"%.*s\"",
                               (int)len, p);
        char name[256], val[128];
        size_t nl = (size_t)(eq - p), vl = len - nl - 1;
        snprintf(name, sizeof name, "%.*s", (int)nl, p);
        snprintf(val, sizeof val, "%.*s", (int)vl, eq + 1);
        long i = ms_fit_domain_index(fit, name);
        if (i < 0)
            return unknown_domain(fit, flag, p, nl, d);
        if (!isnan(vals[i]))
            return ms_diag_set(d, MS_EINPUT, flag, 0, 0, "domain \"%s\" is given twice", name);
        ms_status st = parse_value(k, name, val, &vals[i], d);
        if (st != MS_OK)
            return st;
        p += len;
        if (!*p)
            return MS_OK;
    }
}

int optspec_build(const optflags *f, const ms_fit *fit, optspec *s)
{
    const size_t K = fit->law.K;
    memset(s, 0, sizeof *s);
    ms_opt_spec_init(&s->spec);
    s->vals = malloc(OF_N_LISTS * K * sizeof *s->vals);
    if (!s->vals)
        return cli_error("out of memory"), CLI_EFAIL;
    for (size_t j = 0; j < OF_N_LISTS * K; j++)
        s->vals[j] = NAN;
    ms_diag d;
    for (int k = 0; k < OF_N_LISTS; k++) {
        if (!f->list[k])
            continue;
        if (parse_list(k, f->list[k], fit, s->vals + k * K, &d) != MS_OK)
            return cli_fail(MS_EINPUT, &d);
        s->given[k] = 1;
    }
    double *w = s->vals;
    for (size_t i = 0; s->given[0] && i < K; i++)
        if (isnan(w[i]))
            w[i] = 1; /* unlisted domains keep the default weight */
    const double **dst[OF_N_LISTS] = {&s->spec.weight, &s->spec.lock, &s->spec.min,
                                      &s->spec.max, &s->spec.tokens};
    for (int k = 0; k < OF_N_LISTS; k++)
        *dst[k] = s->given[k] ? s->vals + k * K : NULL;
    s->spec.epochs = f->epochs;
    return CLI_OK;
}

void optspec_done(optspec *s)
{
    free(s->vals);
    s->vals = NULL;
}

json_t *optjson_by_domain(const ms_fit *fit, const double *v)
{
    json_t *o = json_object();
    for (size_t i = 0; i < fit->law.K; i++)
        json_object_set_new(o, fit->domains[i], json_real(v[i]));
    return o;
}
