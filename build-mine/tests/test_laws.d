build-mine/tests/test_laws.o: tests/test_laws.c tests/testutil.h \
 include/mixscope/law.h include/mixscope/diag.h
tests/testutil.h:
include/mixscope/law.h:
include/mixscope/diag.h:
