build-mine-san/src/core/bootstrap.o: src/core/bootstrap.c src/core/rng.h \
 include/mixscope/fit.h include/mixscope/law.h include/mixscope/diag.h \
 include/mixscope/problem.h include/mixscope/sweep.h
src/core/rng.h:
include/mixscope/fit.h:
include/mixscope/law.h:
include/mixscope/diag.h:
include/mixscope/problem.h:
include/mixscope/sweep.h:
