/* bench_util.h — what the benchmarks share. */
#ifndef MIXSCOPE_BENCH_UTIL_H
#define MIXSCOPE_BENCH_UTIL_H

#include <stdlib.h>

#include "mixscope/fitfile.h"

/* Plausible random capnoise parameters for f (a capnoise fit), from seed. */
static inline void bench_random_capnoise(ms_fit *f, unsigned seed)
{
    const size_t K = f->law.K;
    srand(seed);
    for (size_t i = 0; i < K; i++) {
        f->theta[i] = 0.3 + 0.5 * rand() / (double)RAND_MAX;         /* b */
        f->theta[K + i] = 3 + 6 * rand() / (double)RAND_MAX;         /* c */
        f->theta[2 * K + i] = 0.4 + 0.5 * rand() / (double)RAND_MAX; /* A */
        f->theta[3 * K + i] = 0.2 + 0.3 * rand() / (double)RAND_MAX; /* a */
        f->theta[4 * K + i] = 0.5 + 1.5 * rand() / (double)RAND_MAX; /* E */
    }
    f->theta[5 * K] = 2; /* H */
}

#endif
