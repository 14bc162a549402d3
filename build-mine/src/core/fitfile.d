build-mine/src/core/fitfile.o: src/core/fitfile.c \
 include/mixscope/fitfile.h include/mixscope/diag.h \
 include/mixscope/law.h include/mixscope/atomic.h \
 include/mixscope/version.h
include/mixscope/fitfile.h:
include/mixscope/diag.h:
include/mixscope/law.h:
include/mixscope/atomic.h:
include/mixscope/version.h:
