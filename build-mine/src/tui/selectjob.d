build-mine/src/tui/selectjob.o: src/tui/selectjob.c src/tui/selectjob.h \
 src/tui/state.h include/mixscope/fit.h include/mixscope/law.h \
 include/mixscope/diag.h include/mixscope/problem.h \
 include/mixscope/sweep.h include/mixscope/fitfile.h \
 include/mixscope/metrics.h include/mixscope/select.h
src/tui/selectjob.h:
src/tui/state.h:
include/mixscope/fit.h:
include/mixscope/law.h:
include/mixscope/diag.h:
include/mixscope/problem.h:
include/mixscope/sweep.h:
include/mixscope/fitfile.h:
include/mixscope/metrics.h:
include/mixscope/select.h:
