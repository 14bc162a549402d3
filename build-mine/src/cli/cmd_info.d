build-mine/src/cli/cmd_info.o: src/cli/cmd_info.c src/cli/cli.h \
 include/mixscope/diag.h include/mixscope/sweep.h include/mixscope/grid.h \
 include/mixscope/units.h
src/cli/cli.h:
include/mixscope/diag.h:
include/mixscope/sweep.h:
include/mixscope/grid.h:
include/mixscope/units.h:
