/* diag.h — status codes and diagnostics shared by every core module.
 *
 * Every core function that can fail returns an ms_status and, on failure,
 * fills an ms_diag with one human-readable line of the form
 *     path:line:col: what was expected, what was found
 * (line and column 1-based; either may be omitted when meaningless).
 * The core never prints; the CLI and TUI show diag.msg. */
#ifndef MIXSCOPE_DIAG_H
#define MIXSCOPE_DIAG_H

#include <stddef.h>

typedef enum {
    MS_OK = 0,
    MS_EINPUT,   /* the user's input is wrong (file, flag, value) */
    MS_ENOMEM,   /* an allocation failed */
    MS_EIO,      /* a file could not be read or written */
    MS_ENUMERIC, /* a computation did not converge or left the finite range */
    MS_ECANCEL   /* a long computation was cancelled by its caller */
} ms_status;

typedef struct {
    char msg[1024];
} ms_diag;

/* Formats "path:line:col: message" into d->msg (d may be NULL: ignored).
 * path NULL or "" drops the location; line 0 drops line and column;
 * col 0 drops the column. Returns `st` so callers can write
 * `return ms_diag_set(d, MS_EINPUT, path, 3, 4, "...")`. */
ms_status ms_diag_set(ms_diag *d, ms_status st, const char *path, long line,
                      long col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* A short name for a status ("bad input", "out of memory", ...). */
const char *ms_status_name(ms_status st);

#endif
