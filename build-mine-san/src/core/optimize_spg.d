build-mine-san/src/core/optimize_spg.o: src/core/optimize_spg.c \
 include/mixscope/optimize.h include/mixscope/diag.h \
 include/mixscope/law.h include/mixscope/problem.h \
 include/mixscope/sweep.h src/core/optimize_impl.h src/core/rng.h
include/mixscope/optimize.h:
include/mixscope/diag.h:
include/mixscope/law.h:
include/mixscope/problem.h:
include/mixscope/sweep.h:
src/core/optimize_impl.h:
src/core/rng.h:
