build-mine-san/tests/test_optimize.o: tests/test_optimize.c \
 tests/testutil.h include/mixscope/fit.h include/mixscope/law.h \
 include/mixscope/diag.h include/mixscope/problem.h \
 include/mixscope/sweep.h include/mixscope/fitfile.h \
 include/mixscope/optimize.h include/mixscope/units.h
tests/testutil.h:
include/mixscope/fit.h:
include/mixscope/law.h:
include/mixscope/diag.h:
include/mixscope/problem.h:
include/mixscope/sweep.h:
include/mixscope/fitfile.h:
include/mixscope/optimize.h:
include/mixscope/units.h:
