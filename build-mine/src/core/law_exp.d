build-mine/src/core/law_exp.o: src/core/law_exp.c include/mixscope/law.h \
 include/mixscope/diag.h src/core/law_impl.h
include/mixscope/law.h:
include/mixscope/diag.h:
src/core/law_impl.h:
