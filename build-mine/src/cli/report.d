build-mine/src/cli/report.o: src/cli/report.c src/cli/report.h \
 src/cli/fitopts.h src/cli/cli.h include/mixscope/diag.h \
 include/mixscope/sweep.h include/mixscope/fit.h include/mixscope/law.h \
 include/mixscope/problem.h include/mixscope/fitfile.h \
 include/mixscope/metrics.h include/mixscope/health.h \
 include/mixscope/units.h
src/cli/report.h:
src/cli/fitopts.h:
src/cli/cli.h:
include/mixscope/diag.h:
include/mixscope/sweep.h:
include/mixscope/fit.h:
include/mixscope/law.h:
include/mixscope/problem.h:
include/mixscope/fitfile.h:
include/mixscope/metrics.h:
include/mixscope/health.h:
include/mixscope/units.h:
