/* rng.h — a tiny seeded generator (splitmix64) for splits and starting
 * points. Each consumer derives its own stream from (seed, stream id), so
 * results do not depend on the order threads run in. Private to the core. */
#ifndef MIXSCOPE_RNG_H
#define MIXSCOPE_RNG_H

#include <stdint.h>

typedef struct {
    uint64_t s;
} ms_rng;

static inline uint64_t ms_rng_next(ms_rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* A stream for (seed, id): ids give independent-looking sequences. */
static inline ms_rng ms_rng_stream(uint64_t seed, uint64_t id)
{
    ms_rng r = {seed * 0xd1342543de82ef95ull + 0x2545f4914f6cdd1dull};
    r.s ^= ms_rng_next(&r) + id * 0x9e3779b97f4a7c15ull;
    ms_rng_next(&r);
    return r;
}

/* Uniform in [0, 1). */
static inline double ms_rng_uniform(ms_rng *r)
{
    return (double)(ms_rng_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform integer in [0, n) (n > 0), without modulo bias worth noting for
 * the sizes used here (n << 2^32). */
static inline uint64_t ms_rng_below(ms_rng *r, uint64_t n)
{
    return (uint64_t)(ms_rng_uniform(r) * (double)n);
}

#endif
