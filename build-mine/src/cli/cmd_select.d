build-mine/src/cli/cmd_select.o: src/cli/cmd_select.c src/cli/cli.h \
 include/mixscope/diag.h include/mixscope/sweep.h src/cli/fitopts.h \
 include/mixscope/fit.h include/mixscope/law.h include/mixscope/problem.h \
 src/cli/select_report.h include/mixscope/select.h \
 include/mixscope/metrics.h
src/cli/cli.h:
include/mixscope/diag.h:
include/mixscope/sweep.h:
src/cli/fitopts.h:
include/mixscope/fit.h:
include/mixscope/law.h:
include/mixscope/problem.h:
src/cli/select_report.h:
include/mixscope/select.h:
include/mixscope/metrics.h:
