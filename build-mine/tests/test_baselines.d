build-mine/tests/test_baselines.o: tests/test_baselines.c \
 tests/testutil.h include/mixscope/law.h include/mixscope/diag.h
tests/testutil.h:
include/mixscope/law.h:
include/mixscope/diag.h:
