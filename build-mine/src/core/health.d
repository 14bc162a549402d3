build-mine/src/core/health.o: src/core/health.c include/mixscope/health.h \
 include/mixscope/fit.h include/mixscope/law.h include/mixscope/diag.h \
 include/mixscope/problem.h include/mixscope/sweep.h \
 include/mixscope/metrics.h
include/mixscope/health.h:
include/mixscope/fit.h:
include/mixscope/law.h:
include/mixscope/diag.h:
include/mixscope/problem.h:
include/mixscope/sweep.h:
include/mixscope/metrics.h:
