build-mine/src/core/law_capnoise_g.o: src/core/law_capnoise_g.c \
 include/mixscope/law.h include/mixscope/diag.h src/core/law_capacity.h \
 src/core/law_impl.h
include/mixscope/law.h:
include/mixscope/diag.h:
src/core/law_capacity.h:
src/core/law_impl.h:
