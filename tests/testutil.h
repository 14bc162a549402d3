/* testutil.h — helpers shared by the cmocka test programs.
 * Tests run from the repository root (make check does). */
#ifndef MIXSCOPE_TESTUTIL_H
#define MIXSCOPE_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* splitmix64: a small seeded generator so every run sees the same random
 * cases. tu_seed(s) then tu_urand() for uniforms in [0, 1). */
static inline uint64_t *tu_rng(void)
{
    static uint64_t state;
    return &state;
}
static inline void tu_seed(uint64_t s) { *tu_rng() = s; }
static inline double tu_urand(void)
{
    uint64_t z = (*tu_rng() += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    return (double)(z >> 11) * 0x1.0p-53;
}

/* Folder with the shared real sweeps, or NULL (tests then skip). */
static inline const char *tu_shared_data(void)
{
    const char *dir = getenv("MIXSCOPE_SHARED_DATA");
    if (!dir)
        dir = "../shared/data";
    return access(dir, R_OK) == 0 ? dir : NULL;
}

/* Path of a shared file, or skips the calling test with a message. */
#define TU_SHARED_OR_SKIP(buf, name)                                          \
    do {                                                                      \
        const char *d_ = tu_shared_data();                                    \
        if (!d_) {                                                            \
            print_message("skipped: ../shared/data is missing "              \
                          "(set MIXSCOPE_SHARED_DATA)\n");                    \
            skip();                                                           \
        }                                                                     \
        snprintf(buf, sizeof buf, "%s/%s", d_, name);                         \
    } while (0)

/* A scratch directory for the test program, made once and removed when the
 * program exits. */
static char tu_tmpdir_path[64];

static inline void tu_tmpdir_remove(void)
{
    char cmd[128];
    if (!tu_tmpdir_path[0])
        return;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tu_tmpdir_path);
    if (system(cmd) != 0)
        fprintf(stderr, "warning: could not remove %s\n", tu_tmpdir_path);
}

static inline const char *tu_tmpdir(void)
{
    if (!tu_tmpdir_path[0]) {
        snprintf(tu_tmpdir_path, sizeof tu_tmpdir_path, "/tmp/mixscope-test-XXXXXX");
        if (!mkdtemp(tu_tmpdir_path))
            abort();
        atexit(tu_tmpdir_remove);
    }
    return tu_tmpdir_path;
}

/* Writes `text` (len bytes; len 0 = strlen) to a new file in the scratch
 * directory and returns its path (static buffer per call site is the
 * caller's: copy it if you need two). */
static inline const char *tu_write_file(const char *name, const char *text,
                                        size_t len)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", tu_tmpdir(), name);
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    fwrite(text, 1, len ? len : strlen(text), f);
    fclose(f);
    return path;
}

/* Runs a shell command, captures stdout and stderr (truncated to cap) and
 * returns the exit status (or -1). */
typedef struct {
    char out[65536];
    char err[16384];
    int status;
} tu_run_result;

static inline void tu_slurp(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    size_t n = 0;
    if (f) {
        n = fread(buf, 1, cap - 1, f);
        fclose(f);
    }
    buf[n] = 0;
}

static inline int tu_run(tu_run_result *r, const char *fmt, ...)
{
    char cmd[8192], full[9000];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    char o[128], e[128];
    snprintf(o, sizeof o, "%s/run.out", tu_tmpdir());
    snprintf(e, sizeof e, "%s/run.err", tu_tmpdir());
    snprintf(full, sizeof full, "(%s) >%s 2>%s", cmd, o, e);
    int st = system(full);
    r->status = st == -1 ? -1 : (WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
    tu_slurp(o, r->out, sizeof r->out);
    tu_slurp(e, r->err, sizeof r->err);
    return r->status;
}

/* The mixscope binary under test (make check sets MIXSCOPE_BIN). */
static inline const char *tu_bin(void)
{
    const char *b = getenv("MIXSCOPE_BIN");
    return b ? b : "build/mixscope";
}

#endif
