build-mine-san/src/core/capalloc.o: src/core/capalloc.c \
 include/mixscope/capalloc.h include/mixscope/diag.h
include/mixscope/capalloc.h:
include/mixscope/diag.h:
