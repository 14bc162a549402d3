build-mine-san/src/core/optimize.o: src/core/optimize.c \
 include/mixscope/optimize.h include/mixscope/diag.h \
 include/mixscope/law.h include/mixscope/problem.h \
 include/mixscope/sweep.h src/core/optimize_impl.h \
 include/mixscope/units.h
include/mixscope/optimize.h:
include/mixscope/diag.h:
include/mixscope/law.h:
include/mixscope/problem.h:
include/mixscope/sweep.h:
src/core/optimize_impl.h:
include/mixscope/units.h:
