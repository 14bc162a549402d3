build-mine/src/tui/model.o: src/tui/model.c src/tui/model.h \
 src/tui/state.h include/mixscope/fit.h include/mixscope/law.h \
 include/mixscope/diag.h include/mixscope/problem.h \
 include/mixscope/sweep.h include/mixscope/fitfile.h \
 include/mixscope/metrics.h include/mixscope/optimize.h \
 include/mixscope/units.h
src/tui/model.h:
src/tui/state.h:
include/mixscope/fit.h:
include/mixscope/law.h:
include/mixscope/diag.h:
include/mixscope/problem.h:
include/mixscope/sweep.h:
include/mixscope/fitfile.h:
include/mixscope/metrics.h:
include/mixscope/optimize.h:
include/mixscope/units.h:
