build-mine/src/core/atomic.o: src/core/atomic.c include/mixscope/atomic.h \
 include/mixscope/diag.h
include/mixscope/atomic.h:
include/mixscope/diag.h:
