build-mine-san/src/core/metrics.o: src/core/metrics.c \
 include/mixscope/metrics.h include/mixscope/law.h \
 include/mixscope/diag.h include/mixscope/problem.h \
 include/mixscope/sweep.h include/mixscope/units.h
include/mixscope/metrics.h:
include/mixscope/law.h:
include/mixscope/diag.h:
include/mixscope/problem.h:
include/mixscope/sweep.h:
include/mixscope/units.h:
