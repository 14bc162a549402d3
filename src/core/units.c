#include "mixscope/units.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double suffix_scale(int c)
{
    switch (tolower(c)) {
    case 'k': return 1e3;
    case 'm': return 1e6;
    case 'b': case 'g': return 1e9;
    case 't': return 1e12;
    }
    return 0;
}

ms_status ms_size_parse(const char *text, const char *what, double *out,
                        ms_diag *d)
{
    const char *p = text;
    while (isspace((unsigned char)*p))
        p++;
    if (!*p)
        return ms_diag_set(d, MS_EINPUT, what, 0, 0,
                           "expected a size like 1.3B, 200M or 7e9, got an empty value");
    /* strtod would accept "nan", "inf" and hex floats; a size is none of those. */
    if (!(isdigit((unsigned char)*p) || *p == '.' || *p == '+' || *p == '-'))
        return ms_diag_set(d, MS_EINPUT, what, 0, 0,
                           "expected a size like 1.3B, 200M or 7e9, got \"%s\"", text);
    char *end;
    errno = 0;
    double v = strtod(p, &end);
    if (end == p || (end - p > 1 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')))
        return ms_diag_set(d, MS_EINPUT, what, 0, 0,
                           "expected a size like 1.3B, 200M or 7e9, got \"%s\"", text);
    double scale = 1;
    if (*end && !isspace((unsigned char)*end)) {
        scale = suffix_scale((unsigned char)*end);
        if (scale == 0)
            return ms_diag_set(d, MS_EINPUT, what, 0, 0,
                               "unknown suffix \"%s\" in \"%s\" (use K, M, B or T, or a plain number)",
                               end, text);
        end++;
    }
    while (isspace((unsigned char)*end))
        end++;
    if (*end)
        return ms_diag_set(d, MS_EINPUT, what, 0, 0,
                           "unexpected \"%s\" after the size in \"%s\"", end, text);
    v *= scale;
    if (!isfinite(v) || errno == ERANGE)
        return ms_diag_set(d, MS_EINPUT, what, 0, 0, "size \"%s\" is out of range", text);
    if (v <= 0)
        return ms_diag_set(d, MS_EINPUT, what, 0, 0,
                           "expected a positive size, got \"%s\"", text);
    *out = v;
    return MS_OK;
}

char *ms_size_format(double count, char *buf, size_t len)
{
    return ms_size_format_digits(count, 5, buf, len);
}

char *ms_size_format_digits(double count, int digits, char *buf, size_t len)
{
    static const struct { double scale; char suffix; } units[] = {
        {1e12, 'T'}, {1e9, 'B'}, {1e6, 'M'}, {1e3, 'K'},
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (fabs(count) >= units[i].scale) {
            snprintf(buf, len, "%.*g%c", digits, count / units[i].scale, units[i].suffix);
            return buf;
        }
    }
    snprintf(buf, len, "%.*g", digits, count);
    return buf;
}
