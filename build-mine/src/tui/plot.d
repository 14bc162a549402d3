build-mine/src/tui/plot.o: src/tui/plot.c src/tui/plot.h src/tui/canvas.h \
 include/mixscope/units.h include/mixscope/diag.h
src/tui/plot.h:
src/tui/canvas.h:
include/mixscope/units.h:
include/mixscope/diag.h:
