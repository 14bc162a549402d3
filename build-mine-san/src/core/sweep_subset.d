build-mine-san/src/core/sweep_subset.o: src/core/sweep_subset.c \
 include/mixscope/sweep.h include/mixscope/diag.h
include/mixscope/sweep.h:
include/mixscope/diag.h:
