build-mine/src/tui/term.o: src/tui/term.c src/tui/term.h \
 include/mixscope/diag.h src/tui/actions.h src/tui/layout.h \
 src/tui/state.h include/mixscope/fit.h include/mixscope/law.h \
 include/mixscope/problem.h include/mixscope/sweep.h \
 include/mixscope/fitfile.h include/mixscope/metrics.h src/tui/canvas.h
src/tui/term.h:
include/mixscope/diag.h:
src/tui/actions.h:
src/tui/layout.h:
src/tui/state.h:
include/mixscope/fit.h:
include/mixscope/law.h:
include/mixscope/problem.h:
include/mixscope/sweep.h:
include/mixscope/fitfile.h:
include/mixscope/metrics.h:
src/tui/canvas.h:
