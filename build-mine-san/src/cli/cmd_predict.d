build-mine-san/src/cli/cmd_predict.o: src/cli/cmd_predict.c src/cli/cli.h \
 include/mixscope/diag.h include/mixscope/sweep.h src/cli/report.h \
 src/cli/fitopts.h include/mixscope/fit.h include/mixscope/law.h \
 include/mixscope/problem.h include/mixscope/fitfile.h \
 include/mixscope/metrics.h include/mixscope/mix.h \
 include/mixscope/units.h
src/cli/cli.h:
include/mixscope/diag.h:
include/mixscope/sweep.h:
src/cli/report.h:
src/cli/fitopts.h:
include/mixscope/fit.h:
include/mixscope/law.h:
include/mixscope/problem.h:
include/mixscope/fitfile.h:
include/mixscope/metrics.h:
include/mixscope/mix.h:
include/mixscope/units.h:
