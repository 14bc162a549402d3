build-mine/tests/test_cli.o: tests/test_cli.c tests/testutil.h
tests/testutil.h:
