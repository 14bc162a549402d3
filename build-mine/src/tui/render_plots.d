build-mine/src/tui/render_plots.o: src/tui/render_plots.c \
 src/tui/render.h src/tui/canvas.h src/tui/layout.h src/tui/state.h \
 include/mixscope/fit.h include/mixscope/law.h include/mixscope/diag.h \
 include/mixscope/problem.h include/mixscope/sweep.h \
 include/mixscope/fitfile.h include/mixscope/metrics.h \
 include/mixscope/units.h src/tui/model.h src/tui/plot.h \
 src/tui/selectjob.h
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
src/tui/model.h:
src/tui/plot.h:
src/tui/selectjob.h:
