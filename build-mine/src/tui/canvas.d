build-mine/src/tui/canvas.o: src/tui/canvas.c src/tui/canvas.h
src/tui/canvas.h:
