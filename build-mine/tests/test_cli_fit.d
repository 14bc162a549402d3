build-mine/tests/test_cli_fit.o: tests/test_cli_fit.c tests/testutil.h
tests/testutil.h:
