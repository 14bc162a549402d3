#include "mixscope/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Messages quote what hostile files contain (column names, law names,
 * paths) and end up on a terminal: C0 and C1 control characters and DEL
 * become \xHH, so a message stays one printable line and an ESC or CSI in a
 * file cannot drive the terminal. Returns the length of the control
 * character at p (0: none; 2 for C1, U+0080..U+009F in UTF-8). */
static size_t control_len(const unsigned char *p)
{
    if (*p < 0x20 || *p == 0x7F)
        return 1;
    return p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F ? 2 : 0;
}

static void escape_controls(char *msg)
{
    enum { CAP = sizeof ((ms_diag *)0)->msg };
    const unsigned char *p = (const unsigned char *)msg;
    while (*p && !control_len(p))
        p++;
    if (!*p)
        return;
    char out[CAP];
    size_t o = 0;
    for (p = (const unsigned char *)msg; *p && o + 1 < CAP;) {
        size_t n = control_len(p);
        if (!n)
            out[o++] = (char)*p++;
        else if (o + 4 * n < CAP)
            for (; n; n--)
                o += (size_t)snprintf(out + o, CAP - o, "\\x%02X", *p++);
        else
            break;
    }
    out[o] = 0;
    memcpy(msg, out, o + 1);
}

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
    escape_controls(d->msg);
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
