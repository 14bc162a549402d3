/* mixmath.h — slider arithmetic on a mixture: the weights always sum to 1,
 * locked weights never move. Pure. */
#ifndef MIXSCOPE_TUI_MIXMATH_H
#define MIXSCOPE_TUI_MIXMATH_H

#include <stddef.h>

/* Sets h[i] to v, clamped to what the locked weights leave, and rescales
 * the other unlocked weights proportionally (equally if they are all 0) so
 * the sum stays 1. A locked i, or no other unlocked weight to absorb the
 * change, leaves h as it is. Returns 1 if h changed. */
int tui_mix_set(double *h, const unsigned char *locked, size_t K, size_t i, double v);

/* Unlocked weights share equally what the locked ones leave. */
void tui_mix_uniform(double *h, const unsigned char *locked, size_t K);

/* Sum of the locked weights other than i (i = K: all of them). */
double tui_mix_locked_sum(const double *h, const unsigned char *locked, size_t K, size_t i);

#endif
