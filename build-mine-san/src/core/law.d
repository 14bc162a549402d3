build-mine-san/src/core/law.o: src/core/law.c include/mixscope/law.h \
 include/mixscope/diag.h src/core/law_impl.h
include/mixscope/law.h:
include/mixscope/diag.h:
src/core/law_impl.h:
