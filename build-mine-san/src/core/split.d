build-mine-san/src/core/split.o: src/core/split.c \
 include/mixscope/problem.h include/mixscope/diag.h \
 include/mixscope/sweep.h include/mixscope/units.h
include/mixscope/problem.h:
include/mixscope/diag.h:
include/mixscope/sweep.h:
include/mixscope/units.h:
