build-mine-san/src/tui/layout.o: src/tui/layout.c src/tui/layout.h \
 src/tui/state.h include/mixscope/fit.h include/mixscope/law.h \
 include/mixscope/diag.h include/mixscope/problem.h \
 include/mixscope/sweep.h include/mixscope/fitfile.h \
 include/mixscope/metrics.h
src/tui/layout.h:
src/tui/state.h:
include/mixscope/fit.h:
include/mixscope/law.h:
include/mixscope/diag.h:
include/mixscope/problem.h:
include/mixscope/sweep.h:
include/mixscope/fitfile.h:
include/mixscope/metrics.h:
