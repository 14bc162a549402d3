build-mine/src/cli/common.o: src/cli/common.c src/cli/cli.h \
 include/mixscope/diag.h include/mixscope/sweep.h build-mine/datadir.h \
 include/mixscope/version.h
src/cli/cli.h:
include/mixscope/diag.h:
include/mixscope/sweep.h:
build-mine/datadir.h:
include/mixscope/version.h:
