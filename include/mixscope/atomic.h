/* atomic.h — write a file so that readers see the old or the new content,
 * never a part. */
#ifndef MIXSCOPE_ATOMIC_H
#define MIXSCOPE_ATOMIC_H

#include <stdio.h>

#include "mixscope/diag.h"

/* Calls write(f, ctx) on a temporary file beside `path` ("path.tmp-XXXXXX"),
 * then flushes, fsyncs and renames it over `path` (mode 0644). `write`
 * returns 0 on success. On any failure (including a non-zero return from
 * write, ENOSPC, EACCES, a read-only folder) the temporary file is removed,
 * `path` is untouched, and MS_EIO is returned with "path: cannot write: ...".
 * A file size limit (ulimit -f) is one of those failures: SIGXFSZ is
 * ignored while writing, so it cannot kill the process half-way. SIGINT,
 * SIGTERM or SIGHUP still kill it when their action is the default, but
 * the temporary is removed first (handlers the caller installed are left
 * in place).
 * A symbolic link is followed (its target is replaced, not the link). If
 * `path` exists and is not a regular file (/dev/stdout, a FIFO, /dev/null),
 * it is written in place: replacing a device would be wrong. */
ms_status ms_atomic_write(const char *path, int (*write)(FILE *f, void *ctx),
                          void *ctx, ms_diag *d);

#endif
