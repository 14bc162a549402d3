build-mine-san/src/core/units.o: src/core/units.c \
 include/mixscope/units.h include/mixscope/diag.h
include/mixscope/units.h:
include/mixscope/diag.h:
