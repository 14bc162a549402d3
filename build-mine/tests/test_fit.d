build-mine/tests/test_fit.o: tests/test_fit.c tests/testutil.h \
 include/mixscope/fit.h include/mixscope/law.h include/mixscope/diag.h \
 include/mixscope/problem.h include/mixscope/sweep.h \
 include/mixscope/fitfile.h include/mixscope/metrics.h \
 include/mixscope/units.h
tests/testutil.h:
include/mixscope/fit.h:
include/mixscope/law.h:
include/mixscope/diag.h:
include/mixscope/problem.h:
include/mixscope/sweep.h:
include/mixscope/fitfile.h:
include/mixscope/metrics.h:
include/mixscope/units.h:
