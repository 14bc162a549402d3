build-mine/src/tui/fitjob.o: src/tui/fitjob.c src/tui/fitjob.h \
 src/tui/state.h include/mixscope/fit.h include/mixscope/law.h \
 include/mixscope/diag.h include/mixscope/problem.h \
 include/mixscope/sweep.h include/mixscope/fitfile.h \
 include/mixscope/metrics.h include/mixscope/units.h src/tui/model.h
src/tui/fitjob.h:
src/tui/state.h:
include/mixscope/fit.h:
include/mixscope/law.h:
include/mixscope/diag.h:
include/mixscope/problem.h:
include/mixscope/sweep.h:
include/mixscope/fitfile.h:
include/mixscope/metrics.h:
include/mixscope/units.h:
src/tui/model.h:
