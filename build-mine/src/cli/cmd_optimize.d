build-mine/src/cli/cmd_optimize.o: src/cli/cmd_optimize.c \
 src/cli/optflags.h src/cli/cli.h include/mixscope/diag.h \
 include/mixscope/sweep.h include/mixscope/fitfile.h \
 include/mixscope/law.h include/mixscope/optimize.h \
 include/mixscope/problem.h include/mixscope/units.h
src/cli/optflags.h:
src/cli/cli.h:
include/mixscope/diag.h:
include/mixscope/sweep.h:
include/mixscope/fitfile.h:
include/mixscope/law.h:
include/mixscope/optimize.h:
include/mixscope/problem.h:
include/mixscope/units.h:
