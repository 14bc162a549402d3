build-mine/src/cli/main.o: src/cli/main.c src/cli/cli.h \
 include/mixscope/diag.h include/mixscope/sweep.h
src/cli/cli.h:
include/mixscope/diag.h:
include/mixscope/sweep.h:
