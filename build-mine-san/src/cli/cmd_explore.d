build-mine-san/src/cli/cmd_explore.o: src/cli/cmd_explore.c src/cli/cli.h \
 include/mixscope/diag.h include/mixscope/sweep.h src/cli/fitopts.h \
 include/mixscope/fit.h include/mixscope/law.h include/mixscope/problem.h \
 include/mixscope/units.h src/tui/app.h src/tui/state.h \
 include/mixscope/fitfile.h include/mixscope/metrics.h src/tui/term.h \
 src/tui/actions.h src/tui/layout.h src/tui/canvas.h
src/cli/cli.h:
include/mixscope/diag.h:
include/mixscope/sweep.h:
src/cli/fitopts.h:
include/mixscope/fit.h:
include/mixscope/law.h:
include/mixscope/problem.h:
include/mixscope/units.h:
src/tui/app.h:
src/tui/state.h:
include/mixscope/fitfile.h:
include/mixscope/metrics.h:
src/tui/term.h:
src/tui/actions.h:
src/tui/layout.h:
src/tui/canvas.h:
