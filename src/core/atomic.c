#include "mixscope/atomic.h"

#include <errno.h>
#include <signal.h>
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

/* The temporary being written: a signal whose default action would end
 * the process mid-write (Ctrl-C during a long simulate -o) removes it
 * first, so no partial file is left. Signals the caller handles itself
 * (the explorer's) are left alone. One write at a time: writes happen on
 * the main thread. */
static char *volatile pending_tmp;
static const int kill_signals[] = {SIGINT, SIGTERM, SIGHUP};
enum { N_KILL = sizeof kill_signals / sizeof kill_signals[0] };

static void on_kill_signal(int sig)
{
    char *tmp = pending_tmp;
    if (tmp)
        unlink(tmp);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Sets the guard; installed[k] says whether kill_signals[k] was taken. */
static void guard_tmp(char *tmp, struct sigaction *old, int *installed)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_kill_signal;
    sigemptyset(&sa.sa_mask);
    pending_tmp = tmp;
    for (size_t k = 0; k < N_KILL; k++)
        installed[k] = sigaction(kill_signals[k], NULL, &old[k]) == 0 &&
                       old[k].sa_handler == SIG_DFL &&
                       sigaction(kill_signals[k], &sa, NULL) == 0;
}

static void unguard_tmp(const struct sigaction *old, const int *installed)
{
    for (size_t k = 0; k < N_KILL; k++)
        if (installed[k])
            sigaction(kill_signals[k], &old[k], NULL);
    pending_tmp = NULL;
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
    struct sigaction old[N_KILL];
    int installed[N_KILL];
    guard_tmp(tmp, old, installed);
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
    unguard_tmp(old, installed);
    free(tmp);
    if (err)
        return ms_diag_set(d, MS_EIO, shown, 0, 0, "cannot write: %s", strerror(err));
    return MS_OK;
}

ms_status ms_atomic_write(const char *path, int (*write)(FILE *f, void *ctx),
                          void *ctx, ms_diag *d)
{
    /* Past a file size limit (ulimit -f, common on cluster login nodes)
     * the kernel sends SIGXFSZ, which kills the process and leaves the
     * temporary behind; ignored, the write fails with EFBIG instead and
     * the temporary is removed. */
    struct sigaction ign, old_xfsz;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    int restore = sigaction(SIGXFSZ, &ign, &old_xfsz) == 0;
    struct stat sb;
    ms_status st;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        st = write_in_place(path, write, ctx, d);
    } else {
        /* A link to an existing file: replace the file it points to. */
        char *real = lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode) ? realpath(path, NULL) : NULL;
        st = replace_file(real ? real : path, path, write, ctx, d);
        free(real);
    }
    if (restore)
        sigaction(SIGXFSZ, &old_xfsz, NULL);
    return st;
}
