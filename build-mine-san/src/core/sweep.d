build-mine-san/src/core/sweep.o: src/core/sweep.c \
 include/mixscope/sweep.h include/mixscope/diag.h src/core/sweep_impl.h
include/mixscope/sweep.h:
include/mixscope/diag.h:
src/core/sweep_impl.h:
