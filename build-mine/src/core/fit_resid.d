build-mine/src/core/fit_resid.o: src/core/fit_resid.c src/core/fit_impl.h \
 include/mixscope/fit.h include/mixscope/law.h include/mixscope/diag.h \
 include/mixscope/problem.h include/mixscope/sweep.h
src/core/fit_impl.h:
include/mixscope/fit.h:
include/mixscope/law.h:
include/mixscope/diag.h:
include/mixscope/problem.h:
include/mixscope/sweep.h:
