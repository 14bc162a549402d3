build-mine-san/src/tui/actions.o: src/tui/actions.c src/tui/actions.h \
 src/tui/layout.h src/tui/state.h include/mixscope/fit.h \
 include/mixscope/law.h include/mixscope/diag.h \
 include/mixscope/problem.h include/mixscope/sweep.h \
 include/mixscope/fitfile.h include/mixscope/metrics.h \
 include/mixscope/units.h src/tui/fitjob.h src/tui/mixmath.h \
 src/tui/model.h src/tui/tour.h
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
include/mixscope/units.h:
src/tui/fitjob.h:
src/tui/mixmath.h:
src/tui/model.h:
src/tui/tour.h:
