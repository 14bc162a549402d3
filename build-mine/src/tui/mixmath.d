build-mine/src/tui/mixmath.o: src/tui/mixmath.c src/tui/mixmath.h
src/tui/mixmath.h:
