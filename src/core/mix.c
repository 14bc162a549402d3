#include "mixscope/mix.h"

#include <ctype.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

double ms_mix_normalize(double *h, size_t K)
{
    double s = 0;
    for (size_t i = 0; i < K; i++)
        s += h[i];
    if (s > 0)
        for (size_t i = 0; i < K; i++)
            h[i] /= s;
    return s;
}

static void list_names(const char *const *names, size_t K, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = 0;
    for (size_t i = 0; i < K && n + 1 < len; i++) {
        size_t w = strlen(names[i]) + 2;
        if (n + w + 4 >= len) {
            strcpy(buf + n, "...");
            return;
        }
        n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? ", " : "", names[i]);
    }
}

/* One "name=value" entry of length len at s. */
static ms_status parse_entry(const char *s, size_t len, const char *const *names,
                             size_t K, const char *what, double *h, char *seen,
                             ms_diag *d)
{
    const char *eq = memchr(s, '=', len);
    if (!eq)
        return ms_diag_set(d, MS_EINPUT, what, 0, 0,
                           "expected domain=weight, got \"%.*s\"", (int)len, s);
    size_t nl = (size_t)(eq - s);
    long idx = -1;
    for (size_t i = 0; i < K; i++)
        if (strlen(names[i]) == nl && memcmp(names[i], s, nl) == 0)
            idx = (long)i;
    if (idx < 0) {
        char known[512];
        list_names(names, K, known, sizeof known);
        return ms_diag_set(d, MS_EINPUT, what, 0, 0,
                           "unknown domain \"%.*s\" (domains: %s)", (int)nl, s, known);
    }
    if (seen[idx])
        return ms_diag_set(d, MS_EINPUT, what, 0, 0, "domain \"%s\" is given twice", names[idx]);
    char num[64];
    size_t vl = len - nl - 1;
    if (vl == 0 || vl >= sizeof num)
        return ms_diag_set(d, MS_EINPUT, what, 0, 0,
                           "%s: expected a weight, got \"%.*s\"", names[idx], (int)vl, eq + 1);
    memcpy(num, eq + 1, vl);
    num[vl] = 0;
    char *end;
    double v = strtod(num, &end);
    if (end != num && *end == '%') {
        v /= 100;
        end++;
    }
    if (end == num || *end || !isfinite(v) || !isdigit((unsigned char)num[strspn(num, "+-.")]))
        return ms_diag_set(d, MS_EINPUT, what, 0, 0,
                           "%s: expected a weight, got \"%s\"", names[idx], num);
    if (v < 0)
        return ms_diag_set(d, MS_EINPUT, what, 0, 0,
                           "%s: expected a weight >= 0, got \"%s\"", names[idx], num);
    h[idx] = v;
    seen[idx] = 1;
    return MS_OK;
}

static ms_status fill_rest(const char *const *names, size_t K, int rest,
                           const char *what, double *h, const char *seen,
                           ms_diag *d)
{
    double sum = 0;
    size_t unlisted = 0;
    for (size_t i = 0; i < K; i++) {
        sum += h[i];
        unlisted += !seen[i];
    }
    if (unlisted && !rest) {
        for (size_t i = 0; i < K; i++)
            if (!seen[i])
                return ms_diag_set(d, MS_EINPUT, what, 0, 0,
                                   "no weight for domain \"%s\" (list every domain, or let the rest share what is left)",
                                   names[i]);
    }
    if (unlisted) {
        if (sum > 1 + MS_MIX_TOL)
            return ms_diag_set(d, MS_EINPUT, what, 0, 0,
                               "listed weights sum to %.6g, nothing is left for the other domains", sum);
        double share = fmax(0, 1 - sum) / (double)unlisted;
        for (size_t i = 0; i < K; i++)
            if (!seen[i])
                h[i] = share;
        sum += share * (double)unlisted;
    }
    if (fabs(sum - 1) > MS_MIX_TOL)
        return ms_diag_set(d, MS_EINPUT, what, 0, 0,
                           "weights sum to %.6g, expected 1 within %g", sum, MS_MIX_TOL);
    ms_mix_normalize(h, K);
    return MS_OK;
}

ms_status ms_mix_parse(const char *spec, const char *const *names, size_t K,
                       int rest, const char *what, double *h, ms_diag *d)
{
    if (strcmp(spec, "uniform") == 0) {
        for (size_t i = 0; i < K; i++)
            h[i] = 1.0 / (double)K;
        return MS_OK;
    }
    char *seen = calloc(K ? K : 1, 1);
    if (!seen)
        return ms_diag_set(d, MS_ENOMEM, what, 0, 0, "out of memory");
    for (size_t i = 0; i < K; i++)
        h[i] = 0;
    ms_status st = MS_OK;
    const char *p = spec;
    while (st == MS_OK && *p) {
        size_t len = strcspn(p, ",");
        st = parse_entry(p, len, names, K, what, h, seen, d);
        p += len;
        if (*p == ',')
            p++;
    }
    if (st == MS_OK)
        st = fill_rest(names, K, rest, what, h, seen, d);
    free(seen);
    return st;
}
