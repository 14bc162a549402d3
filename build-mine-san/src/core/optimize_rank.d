build-mine-san/src/core/optimize_rank.o: src/core/optimize_rank.c \
 include/mixscope/optimize.h include/mixscope/diag.h \
 include/mixscope/law.h include/mixscope/problem.h \
 include/mixscope/sweep.h
include/mixscope/optimize.h:
include/mixscope/diag.h:
include/mixscope/law.h:
include/mixscope/problem.h:
include/mixscope/sweep.h:
