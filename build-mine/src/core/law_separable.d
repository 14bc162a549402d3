build-mine/src/core/law_separable.o: src/core/law_separable.c \
 include/mixscope/law.h include/mixscope/diag.h src/core/law_impl.h
include/mixscope/law.h:
include/mixscope/diag.h:
src/core/law_impl.h:
