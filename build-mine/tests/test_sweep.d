build-mine/tests/test_sweep.o: tests/test_sweep.c tests/testutil.h \
 include/mixscope/sweep.h include/mixscope/diag.h src/core/sweep_impl.h
tests/testutil.h:
include/mixscope/sweep.h:
include/mixscope/diag.h:
src/core/sweep_impl.h:
