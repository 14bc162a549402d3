build-mine-san/src/core/sweep_num.o: src/core/sweep_num.c \
 src/core/sweep_impl.h include/mixscope/diag.h include/mixscope/sweep.h
src/core/sweep_impl.h:
include/mixscope/diag.h:
include/mixscope/sweep.h:
