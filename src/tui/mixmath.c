#include "tui/mixmath.h"

#include <math.h>

double tui_mix_locked_sum(const double *h, const unsigned char *locked, size_t K, size_t i)
{
    double s = 0;
    for (size_t j = 0; j < K; j++)
        if (j != i && locked[j])
            s += h[j];
    return s;
}

int tui_mix_set(double *h, const unsigned char *locked, size_t K, size_t i, double v)
{
    if (i >= K || locked[i])
        return 0;
    size_t free_others = 0;
    double others = 0;
    for (size_t j = 0; j < K; j++)
        if (j != i && !locked[j]) {
            free_others++;
            others += h[j];
        }
    if (!free_others)
        return 0;
    double room = 1 - tui_mix_locked_sum(h, locked, K, i);
    if (room < 0)
        room = 0;
    v = v < 0 ? 0 : v > room ? room : v;
    if (fabs(v - h[i]) < 1e-15)
        return 0;
    double rest = room - v; /* what the other unlocked weights share */
    for (size_t j = 0; j < K; j++) {
        if (j == i || locked[j])
            continue;
        h[j] = others > 1e-300 ? h[j] * rest / others : rest / (double)free_others;
    }
    h[i] = v;
    return 1;
}

void tui_mix_uniform(double *h, const unsigned char *locked, size_t K)
{
    size_t n = 0;
    for (size_t j = 0; j < K; j++)
        n += !locked[j];
    if (!n)
        return;
    double share = (1 - tui_mix_locked_sum(h, locked, K, K)) / (double)n;
    for (size_t j = 0; j < K; j++)
        if (!locked[j])
            h[j] = share > 0 ? share : 0;
}
