/* Parsing and describing splits (problem.h). */
#include "mixscope/problem.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "mixscope/units.h"

/* One "N<=310M" term of length len. */
static ms_status parse_cond(const char *s, size_t len, const char *what, ms_cond *c,
                            ms_diag *d)
{
    char buf[96];
    if (len >= sizeof buf)
        return ms_diag_set(d, MS_EINPUT, what, 0, 0, "condition too long: \"%.*s\"", (int)len, s);
    memcpy(buf, s, len);
    buf[len] = 0;
    const char *p = buf;
    while (isspace((unsigned char)*p))
        p++;
    char var = (char)toupper((unsigned char)*p);
    if (var != 'N' && var != 'D')
        return ms_diag_set(d, MS_EINPUT, what, 0, 0,
                           "expected a condition like N<=310M or D>5B, got \"%s\"", buf);
    p++;
    while (isspace((unsigned char)*p))
        p++;
    size_t ol = strspn(p, "<>=");
    static const char *const ops[] = {"<", "<=", ">", ">=", "=", "=="};
    int ok = 0;
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++)
        ok |= ol == strlen(ops[k]) && strncmp(p, ops[k], ol) == 0;
    if (!ok)
        return ms_diag_set(d, MS_EINPUT, what, 0, 0,
                           "expected one of < <= > >= = after %c in \"%s\"", var, buf);
    c->var = var;
    memcpy(c->op, p, ol == 2 && p[0] == '=' ? 1 : ol);
    c->op[ol == 2 && p[0] == '=' ? 1 : ol] = 0;
    ms_diag sd;
    if (ms_size_parse(p + ol, what, &c->value, &sd) != MS_OK)
        return ms_diag_set(d, MS_EINPUT, what, 0, 0, "in \"%s\": %s", buf,
                           strchr(sd.msg, ':') ? strchr(sd.msg, ':') + 2 : sd.msg);
    return MS_OK;
}

ms_status ms_split_parse_conds(const char *text, const char *what, ms_cond *conds,
                               size_t max, size_t *n, ms_diag *d)
{
    *n = 0;
    for (const char *p = text; ; ) {
        size_t len = strcspn(p, ",");
        if (*n == max)
            return ms_diag_set(d, MS_EINPUT, what, 0, 0, "at most %zu conditions", max);
        ms_status st = parse_cond(p, len, what, &conds[*n], d);
        if (st != MS_OK)
            return st;
        (*n)++;
        if (!p[len])
            return MS_OK;
        p += len + 1;
    }
}

static size_t put_conds(char *buf, size_t len, const ms_cond *c, size_t n)
{
    size_t w = 0;
    for (size_t k = 0; k < n && w < len; k++) {
        char v[32];
        w += (size_t)snprintf(buf + w, len - w, "%s%c%s%s", k ? "," : "", c[k].var,
                              c[k].op, ms_size_format(c[k].value, v, sizeof v));
    }
    return w;
}

char *ms_split_describe(const ms_split *s, char *buf, size_t len)
{
    char a[32], b[32];
    size_t w;
    switch (s->kind) {
    case MS_SPLIT_NONE:
        snprintf(buf, len, "all rows");
        break;
    case MS_SPLIT_RANDOM:
        snprintf(buf, len, "random: %g of the runs held out (seed %lu)", s->val_frac, s->seed);
        break;
    case MS_SPLIT_SCALE:
        w = (size_t)snprintf(buf, len, "train ");
        w += put_conds(buf + w, len > w ? len - w : 0, s->train, s->n_train);
        if (w < len) {
            w += (size_t)snprintf(buf + w, len - w, ", test ");
            if (s->n_test)
                put_conds(buf + w, len > w ? len - w : 0, s->test, s->n_test);
            else
                snprintf(buf + w, len - w, "the rest");
        }
        break;
    case MS_SPLIT_AT:
        snprintf(buf, len, "at N=%s, D=%s; %g of the runs held out (seed %lu)",
                 ms_size_format(s->at_N, a, sizeof a), ms_size_format(s->at_D, b, sizeof b),
                 s->val_frac, s->seed);
        break;
    }
    return buf;
}
