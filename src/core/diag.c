#include "mixscope/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

ms_status ms_diag_set(ms_diag *d, ms_status st, const char *path, long line,
                      long col, const char *fmt, ...)
{
    if (!d)
        return st;
    size_t n = 0, cap = sizeof d->msg;
    int w = 0;
    if (path && *path) {
        if (line > 0 && col > 0)
            w = snprintf(d->msg, cap, "%s:%ld:%ld: ", path, line, col);
        else if (line > 0)
            w = snprintf(d->msg, cap, "%s:%ld: ", path, line);
        else
            w = snprintf(d->msg, cap, "%s: ", path);
    }
    if (w > 0)
        n = (size_t)w < cap ? (size_t)w : cap - 1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->msg + n, cap - n, fmt, ap);
    va_end(ap);
    return st;
}

const char *ms_status_name(ms_status st)
{
    switch (st) {
    case MS_OK: return "ok";
    case MS_EINPUT: return "bad input";
    case MS_ENOMEM: return "out of memory";
    case MS_EIO: return "input/output error";
    case MS_ENUMERIC: return "numerical failure";
    case MS_ECANCEL: return "cancelled";
    }
    return "unknown status";
}
