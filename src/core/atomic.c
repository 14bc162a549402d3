#include "mixscope/atomic.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static ms_status write_in_place(const char *path,
                                int (*write)(FILE *f, void *ctx), void *ctx,
                                ms_diag *d)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return ms_diag_set(d, MS_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
    errno = 0;
    int err = 0;
    if (write(f, ctx) != 0 || ferror(f))
        err = errno ? errno : EIO;
    if (fclose(f) != 0 && !err)
        err = errno;
    if (err)
        return ms_diag_set(d, MS_EIO, path, 0, 0, "cannot write: %s", strerror(err));
    return MS_OK;
}

/* Writes a temporary beside `path` and renames it over `path`; messages
 * name `shown` (what the user typed). */
static ms_status replace_file(const char *path, const char *shown,
                              int (*write)(FILE *f, void *ctx), void *ctx,
                              ms_diag *d)
{
    size_t n = strlen(path);
    char *tmp = malloc(n + 16);
    if (!tmp)
        return ms_diag_set(d, MS_ENOMEM, shown, 0, 0, "out of memory");
    memcpy(tmp, path, n);
    memcpy(tmp + n, ".tmp-XXXXXX", 12);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return ms_diag_set(d, MS_EIO, shown, 0, 0, "cannot write: %s", strerror(e));
    }
    FILE *f = fdopen(fd, "w");
    int err = 0;
    if (!f) {
        err = errno;
        close(fd);
    } else {
        errno = 0;
        int rc = write(f, ctx);
        if (rc != 0 || ferror(f))
            err = errno ? errno : EIO;
        if (!err && fflush(f) != 0)
            err = errno;
        if (!err && fchmod(fd, 0644) != 0)
            err = errno;
        if (!err && fsync(fd) != 0)
            err = errno;
        if (fclose(f) != 0 && !err)
            err = errno;
    }
    if (!err && rename(tmp, path) != 0)
        err = errno;
    if (err)
        unlink(tmp);
    free(tmp);
    if (err)
        return ms_diag_set(d, MS_EIO, shown, 0, 0, "cannot write: %s", strerror(err));
    return MS_OK;
}

ms_status ms_atomic_write(const char *path, int (*write)(FILE *f, void *ctx),
                          void *ctx, ms_diag *d)
{
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
        return write_in_place(path, write, ctx, d);
    /* A link to an existing file: replace the file it points to. */
    char *real = lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode) ? realpath(path, NULL) : NULL;
    ms_status st = replace_file(real ? real : path, path, write, ctx, d);
    free(real);
    return st;
}
