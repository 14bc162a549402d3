build-mine/src/core/law_capacity.o: src/core/law_capacity.c \
 src/core/law_capacity.h include/mixscope/law.h include/mixscope/diag.h \
 include/mixscope/capalloc.h src/core/law_impl.h
src/core/law_capacity.h:
include/mixscope/law.h:
include/mixscope/diag.h:
include/mixscope/capalloc.h:
src/core/law_impl.h:
