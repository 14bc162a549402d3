build-mine/src/tui/app.o: src/tui/app.c src/tui/app.h \
 include/mixscope/diag.h include/mixscope/fit.h include/mixscope/law.h \
 include/mixscope/problem.h include/mixscope/sweep.h src/tui/state.h \
 include/mixscope/fitfile.h include/mixscope/metrics.h \
 include/mixscope/grid.h include/mixscope/mix.h src/tui/actions.h \
 src/tui/layout.h src/tui/fitjob.h src/tui/model.h src/tui/render.h \
 src/tui/canvas.h src/tui/term.h src/tui/selectjob.h src/tui/tour.h
src/tui/app.h:
include/mixscope/diag.h:
include/mixscope/fit.h:
include/mixscope/law.h:
include/mixscope/problem.h:
include/mixscope/sweep.h:
src/tui/state.h:
include/mixscope/fitfile.h:
include/mixscope/metrics.h:
include/mixscope/grid.h:
include/mixscope/mix.h:
src/tui/actions.h:
src/tui/layout.h:
src/tui/fitjob.h:
src/tui/model.h:
src/tui/render.h:
src/tui/canvas.h:
src/tui/term.h:
src/tui/selectjob.h:
src/tui/tour.h:
