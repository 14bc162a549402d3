build-mine-san/src/core/problem.o: src/core/problem.c \
 include/mixscope/problem.h include/mixscope/diag.h \
 include/mixscope/sweep.h src/core/rng.h include/mixscope/grid.h \
 include/mixscope/units.h
include/mixscope/problem.h:
include/mixscope/diag.h:
include/mixscope/sweep.h:
src/core/rng.h:
include/mixscope/grid.h:
include/mixscope/units.h:
