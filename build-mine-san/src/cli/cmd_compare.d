build-mine-san/src/cli/cmd_compare.o: src/cli/cmd_compare.c src/cli/cli.h \
 include/mixscope/diag.h include/mixscope/sweep.h src/cli/fitopts.h \
 include/mixscope/fit.h include/mixscope/law.h include/mixscope/problem.h \
 src/cli/report.h include/mixscope/fitfile.h include/mixscope/metrics.h
src/cli/cli.h:
include/mixscope/diag.h:
include/mixscope/sweep.h:
src/cli/fitopts.h:
include/mixscope/fit.h:
include/mixscope/law.h:
include/mixscope/problem.h:
src/cli/report.h:
include/mixscope/fitfile.h:
include/mixscope/metrics.h:
