build-mine-san/src/cli/cmd_fit.o: src/cli/cmd_fit.c src/cli/cli.h \
 include/mixscope/diag.h include/mixscope/sweep.h src/cli/fitopts.h \
 include/mixscope/fit.h include/mixscope/law.h include/mixscope/problem.h \
 src/cli/report.h include/mixscope/fitfile.h include/mixscope/metrics.h \
 src/cli/select_report.h include/mixscope/select.h
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
src/cli/select_report.h:
include/mixscope/select.h:
