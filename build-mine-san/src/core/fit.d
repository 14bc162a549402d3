build-mine-san/src/core/fit.o: src/core/fit.c src/core/fit_impl.h \
 include/mixscope/fit.h include/mixscope/law.h include/mixscope/diag.h \
 include/mixscope/problem.h include/mixscope/sweep.h src/core/rng.h \
 include/mixscope/metrics.h
src/core/fit_impl.h:
include/mixscope/fit.h:
include/mixscope/law.h:
include/mixscope/diag.h:
include/mixscope/problem.h:
include/mixscope/sweep.h:
src/core/rng.h:
include/mixscope/metrics.h:
