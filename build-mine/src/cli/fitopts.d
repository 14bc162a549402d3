build-mine/src/cli/fitopts.o: src/cli/fitopts.c src/cli/fitopts.h \
 src/cli/cli.h include/mixscope/diag.h include/mixscope/sweep.h \
 include/mixscope/fit.h include/mixscope/law.h include/mixscope/problem.h \
 include/mixscope/units.h
src/cli/fitopts.h:
src/cli/cli.h:
include/mixscope/diag.h:
include/mixscope/sweep.h:
include/mixscope/fit.h:
include/mixscope/law.h:
include/mixscope/problem.h:
include/mixscope/units.h:
