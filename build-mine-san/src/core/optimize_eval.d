build-mine-san/src/core/optimize_eval.o: src/core/optimize_eval.c \
 include/mixscope/optimize.h include/mixscope/diag.h \
 include/mixscope/law.h include/mixscope/problem.h \
 include/mixscope/sweep.h src/core/optimize_impl.h
include/mixscope/optimize.h:
include/mixscope/diag.h:
include/mixscope/law.h:
include/mixscope/problem.h:
include/mixscope/sweep.h:
src/core/optimize_impl.h:
