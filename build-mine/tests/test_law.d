build-mine/tests/test_law.o: tests/test_law.c tests/testutil.h \
 include/mixscope/capalloc.h include/mixscope/diag.h \
 include/mixscope/fitfile.h include/mixscope/law.h
tests/testutil.h:
include/mixscope/capalloc.h:
include/mixscope/diag.h:
include/mixscope/fitfile.h:
include/mixscope/law.h:
