/* fuzz_size.c — libFuzzer target: sizes as people type them
 * (ms_size_parse: "1.3B", "7e9", "200M") and split conditions
 * (ms_split_parse_conds: "N<=310M,D>5B").
 *
 * Invariants beyond "no crash, no undefined behaviour":
 *   - an accepted size is finite and > 0, and its compact spelling
 *     (ms_size_format_digits, 17 digits) reads back to within rounding;
 *   - an accepted condition list has 1..MS_MAX_CONDS entries of N or D
 *     with a known operator and a positive value, and describes itself
 *     without overflowing;
 *   - every rejection is one printable line. */
#include "fuzz_common.h"

#include <math.h>

#include "mixscope/problem.h"
#include "mixscope/units.h"

#ifndef FUZZ_ENTRY
#define FUZZ_ENTRY LLVMFuzzerTestOneInput
#endif

static void size_check(const char *text)
{
    double v = -1;
    ms_diag d = {{0}};
    if (ms_size_parse(text, "--N", &v, &d) != MS_OK) {
        fuzz_check_message(d.msg);
        return;
    }
    FUZZ_CHECK(isfinite(v) && v > 0);
    char buf[64];
    ms_size_format_digits(v, 17, buf, sizeof buf);
    double w = -1;
    if (ms_size_parse(buf, "--N", &w, &d) != MS_OK) {
        /* Only at the ends of the double range may the compact spelling
         * not read back: a subnormal (strtod flags it) or a count near
         * DBL_MAX ("1.7976931348623157e296T" rounds up past it). */
        FUZZ_CHECK(v < 1e-300 || v > 1e300);
        return;
    }
    FUZZ_CHECK(fabs(w - v) <= 1e-15 * v);
    ms_size_format(v, buf, sizeof buf);
}

static void conds_check(const char *text)
{
    ms_cond c[MS_MAX_CONDS];
    size_t n = 99;
    ms_diag d = {{0}};
    if (ms_split_parse_conds(text, "--train", c, MS_MAX_CONDS, &n, &d) != MS_OK) {
        fuzz_check_message(d.msg);
        return;
    }
    FUZZ_CHECK(n >= 1 && n <= MS_MAX_CONDS);
    static const char *const ops[] = {"<", "<=", ">", ">=", "="};
    for (size_t k = 0; k < n; k++) {
        int known = 0;
        for (size_t o = 0; o < sizeof ops / sizeof ops[0]; o++)
            known |= strcmp(c[k].op, ops[o]) == 0;
        FUZZ_CHECK(known && (c[k].var == 'N' || c[k].var == 'D'));
        FUZZ_CHECK(isfinite(c[k].value) && c[k].value > 0);
    }
    ms_split sp = {.kind = MS_SPLIT_SCALE, .n_train = n, .n_test = n};
    memcpy(sp.train, c, n * sizeof *c);
    memcpy(sp.test, c, n * sizeof *c);
    char small[24], big[1024];
    ms_split_describe(&sp, small, sizeof small);
    ms_split_describe(&sp, big, sizeof big);
    FUZZ_CHECK(strlen(small) < sizeof small && strlen(big) < sizeof big);
}

int FUZZ_ENTRY(const uint8_t *data, size_t size);
int FUZZ_ENTRY(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstr(data, size);
    size_check(text);
    conds_check(text);
    free(text);
    return 0;
}
