build-mine/tests/test_e2e.o: tests/test_e2e.c tests/testutil.h
tests/testutil.h:
