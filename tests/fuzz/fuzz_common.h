/* fuzz_common.h — shared by the libFuzzer targets (tests/fuzz/fuzz_*.c) and
 * by their replay in tests/test_hostile.c, which includes the targets with
 * FUZZ_ENTRY renamed so that `make test` runs every corpus file without
 * clang.
 *
 * The loaders take a path, so each input is written to one scratch file per
 * process: created with mkstemp, unlinked at once, and reopened through
 * /proc/self/fd/N (the code under test opens it like any file; nothing is
 * left behind when a crash ends the process). */
#ifndef MIXSCOPE_FUZZ_COMMON_H
#define MIXSCOPE_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

/* A broken invariant: say which, then abort so libFuzzer keeps the input. */
#define FUZZ_CHECK(cond)                                                          \
    do {                                                                          \
        if (!(cond)) {                                                            \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, \
                    #cond);                                                       \
            abort();                                                              \
        }                                                                         \
    } while (0)

/* Writes data to the per-process scratch file (slot 0 or 1) and returns a
 * path that opens it. */
static inline const char *fuzz_file(int slot, const uint8_t *data, size_t size)
{
    static int fd[2] = {-1, -1};
    static char path[2][64];
    if (fd[slot] < 0) {
        const char *dir = getenv("TMPDIR");
        char tmpl[4096];
        snprintf(tmpl, sizeof tmpl, "%s/mixscope-fuzz-XXXXXX", dir && *dir ? dir : "/tmp");
        fd[slot] = mkstemp(tmpl);
        FUZZ_CHECK(fd[slot] >= 0);
        unlink(tmpl);
        snprintf(path[slot], sizeof path[slot], "/proc/self/fd/%d", fd[slot]);
        gsl_set_error_handler_off(); /* as main() does */
    }
    FUZZ_CHECK(ftruncate(fd[slot], 0) == 0);
    size_t done = 0;
    while (done < size) {
        ssize_t w = pwrite(fd[slot], data + done, size - done, (off_t)done);
        FUZZ_CHECK(w > 0);
        done += (size_t)w;
    }
    return path[slot];
}

/* 1 if the NUL-terminated s holds a C0 or C1 control character or DEL. */
static inline int fuzz_has_control(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7F || (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F))
            return 1;
    return 0;
}

/* Diagnostics are printed to a terminal: one line, no control characters
 * (an ESC from a hostile file would start a terminal escape sequence). */
static inline void fuzz_check_message(const char *msg)
{
    FUZZ_CHECK(msg[0] != 0);
    FUZZ_CHECK(!fuzz_has_control(msg));
}

/* A copy of data with a NUL at the end (for text parsers). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    FUZZ_CHECK(s != NULL);
    if (size)
        memcpy(s, data, size);
    s[size] = 0;
    return s;
}

#endif
