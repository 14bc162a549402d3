build-mine-san/src/core/grid.o: src/core/grid.c include/mixscope/grid.h \
 include/mixscope/diag.h include/mixscope/sweep.h
include/mixscope/grid.h:
include/mixscope/diag.h:
include/mixscope/sweep.h:
