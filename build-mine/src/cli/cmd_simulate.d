build-mine/src/cli/cmd_simulate.o: src/cli/cmd_simulate.c src/cli/cli.h \
 include/mixscope/diag.h include/mixscope/sweep.h \
 include/mixscope/atomic.h include/mixscope/simulate.h \
 include/mixscope/fitfile.h include/mixscope/law.h \
 include/mixscope/units.h
src/cli/cli.h:
include/mixscope/diag.h:
include/mixscope/sweep.h:
include/mixscope/atomic.h:
include/mixscope/simulate.h:
include/mixscope/fitfile.h:
include/mixscope/law.h:
include/mixscope/units.h:
