build-mine/src/core/diag.o: src/core/diag.c include/mixscope/diag.h
include/mixscope/diag.h:
