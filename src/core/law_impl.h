/* law_impl.h — private helpers shared by the law files (not public API). */
#ifndef MIXSCOPE_LAW_IMPL_H
#define MIXSCOPE_LAW_IMPL_H

#include <math.h>

#include "mixscope/law.h"

/* log(D * max(h, h_min)): the log of the tokens a domain sees (billions). */
static inline double ms_noise_logdose(double h, double D, double h_min)
{
    return log(D) + log(h > h_min ? h : h_min);
}

/* The registered laws (registry order, law.c). */
extern const ms_law_def ms_law_capnoise;
extern const ms_law_def ms_law_capnoise_g;
extern const ms_law_def ms_law_separable;
extern const ms_law_def ms_law_additive;
extern const ms_law_def ms_law_exp;

#endif
