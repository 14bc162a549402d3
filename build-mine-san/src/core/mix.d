build-mine-san/src/core/mix.o: src/core/mix.c include/mixscope/mix.h \
 include/mixscope/diag.h
include/mixscope/mix.h:
include/mixscope/diag.h:
