build-mine/src/tui/render.o: src/tui/render.c src/tui/render.h \
 src/tui/canvas.h src/tui/layout.h src/tui/state.h include/mixscope/fit.h \
 include/mixscope/law.h include/mixscope/diag.h \
 include/mixscope/problem.h include/mixscope/sweep.h \
 include/mixscope/fitfile.h include/mixscope/metrics.h \
 include/mixscope/units.h src/tui/actions.h src/tui/fitjob.h \
 src/tui/selectjob.h src/tui/tour.h
src/tui/render.h:
src/tui/canvas.h:
src/tui/layout.h:
src/tui/state.h:
include/mixscope/fit.h:
include/mixscope/law.h:
include/mixscope/diag.h:
include/mixscope/problem.h:
include/mixscope/sweep.h:
include/mixscope/fitfile.h:
include/mixscope/metrics.h:
include/mixscope/units.h:
src/tui/actions.h:
src/tui/fitjob.h:
src/tui/selectjob.h:
src/tui/tour.h:
