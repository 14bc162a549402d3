build-mine-san/src/core/law_capnoise.o: src/core/law_capnoise.c \
 include/mixscope/law.h include/mixscope/diag.h src/core/law_capacity.h \
 src/core/law_impl.h
include/mixscope/law.h:
include/mixscope/diag.h:
src/core/law_capacity.h:
src/core/law_impl.h:
