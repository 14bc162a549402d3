build-mine-san/src/core/simulate.o: src/core/simulate.c \
 include/mixscope/simulate.h include/mixscope/diag.h \
 include/mixscope/fitfile.h include/mixscope/law.h \
 include/mixscope/units.h
include/mixscope/simulate.h:
include/mixscope/diag.h:
include/mixscope/fitfile.h:
include/mixscope/law.h:
include/mixscope/units.h:
