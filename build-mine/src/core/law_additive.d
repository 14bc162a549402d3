build-mine/src/core/law_additive.o: src/core/law_additive.c \
 include/mixscope/law.h include/mixscope/diag.h src/core/law_impl.h
include/mixscope/law.h:
include/mixscope/diag.h:
src/core/law_impl.h:
