build-mine-san/src/core/select.o: src/core/select.c \
 include/mixscope/select.h include/mixscope/fit.h include/mixscope/law.h \
 include/mixscope/diag.h include/mixscope/problem.h \
 include/mixscope/sweep.h include/mixscope/metrics.h \
 include/mixscope/grid.h include/mixscope/units.h
include/mixscope/select.h:
include/mixscope/fit.h:
include/mixscope/law.h:
include/mixscope/diag.h:
include/mixscope/problem.h:
include/mixscope/sweep.h:
include/mixscope/metrics.h:
include/mixscope/grid.h:
include/mixscope/units.h:
