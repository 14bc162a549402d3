build-mine-san/src/core/sweep_read.o: src/core/sweep_read.c \
 src/core/sweep_impl.h include/mixscope/diag.h include/mixscope/sweep.h
src/core/sweep_impl.h:
include/mixscope/diag.h:
include/mixscope/sweep.h:
