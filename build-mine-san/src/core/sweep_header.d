build-mine-san/src/core/sweep_header.o: src/core/sweep_header.c \
 src/core/sweep_impl.h include/mixscope/diag.h include/mixscope/sweep.h
src/core/sweep_impl.h:
include/mixscope/diag.h:
include/mixscope/sweep.h:
