build-mine/src/cli/select_report.o: src/cli/select_report.c \
 src/cli/select_report.h src/cli/fitopts.h src/cli/cli.h \
 include/mixscope/diag.h include/mixscope/sweep.h include/mixscope/fit.h \
 include/mixscope/law.h include/mixscope/problem.h \
 include/mixscope/select.h include/mixscope/metrics.h \
 include/mixscope/units.h
src/cli/select_report.h:
src/cli/fitopts.h:
src/cli/cli.h:
include/mixscope/diag.h:
include/mixscope/sweep.h:
include/mixscope/fit.h:
include/mixscope/law.h:
include/mixscope/problem.h:
include/mixscope/select.h:
include/mixscope/metrics.h:
include/mixscope/units.h:
