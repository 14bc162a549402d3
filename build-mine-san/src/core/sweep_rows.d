build-mine-san/src/core/sweep_rows.o: src/core/sweep_rows.c \
 src/core/sweep_impl.h include/mixscope/diag.h include/mixscope/sweep.h
src/core/sweep_impl.h:
include/mixscope/diag.h:
include/mixscope/sweep.h:
