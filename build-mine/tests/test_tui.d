build-mine/tests/test_tui.o: tests/test_tui.c tests/testutil.h \
 src/tui/actions.h src/tui/layout.h src/tui/state.h \
 include/mixscope/fit.h include/mixscope/law.h include/mixscope/diag.h \
 include/mixscope/problem.h include/mixscope/sweep.h \
 include/mixscope/fitfile.h include/mixscope/metrics.h src/tui/app.h \
 src/tui/mixmath.h src/tui/model.h src/tui/render.h src/tui/canvas.h
tests/testutil.h:
src/tui/actions.h:
src/tui/layout.h:
src/tui/state.h:
include/mixscope/fit.h:
include/mixscope/law.h:
include/mixscope/diag.h:
include/mixscope/problem.h:
include/mixscope/sweep.h:
include/mixscope/fitfile.h:
include/mixscope/metrics.h:
src/tui/app.h:
src/tui/mixmath.h:
src/tui/model.h:
src/tui/render.h:
src/tui/canvas.h:
