# mixscope — build, test, install.
#   make            build build/mixscope
#   make test       unit + CLI tests, then the same suite under ASan + UBSan
#   make run        open mixscope on the bundled sample
#   make bench      build and run the benchmarks (figures, not pass/fail)
#   make fuzz       libFuzzer targets, FUZZ_SECONDS each (needs clang-14)
#   make deps       install the Debian packages the build needs (as root)
#   make install    PREFIX=/usr/local DESTDIR= ; binary, man page, sample data

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/mixscope

CC      ?= cc
BUILD   ?= build
PKGS    := ncursesw gsl jansson
DEBS    := libncurses-dev libgsl-dev libcsv-dev libjansson-dev libcmocka-dev tmux pkg-config man-db

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
OPT     ?= -O2 -g
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
ifeq ($(SAN),1)
OPT     := -O1 -g $(SAN_FLAGS)
endif

# Only include paths: the feature macros are ours (ncursesw's .pc adds
# -D_XOPEN_SOURCE=600, which would clash).
PKG_CFLAGS = $(shell pkg-config --cflags-only-I $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CPPFLAGS   += -Iinclude -Isrc -I$(BUILD) -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE
CFLAGS     += -std=c11 $(WARN) $(OPT) $(PKG_CFLAGS)
LDLIBS     += $(PKG_LIBS) -lcsv -lpthread -lm
LDFLAGS    += $(if $(filter 1,$(SAN)),$(SAN_FLAGS))

CORE_SRC := $(wildcard src/core/*.c)
CLI_SRC  := $(wildcard src/cli/*.c)
TUI_SRC  := $(wildcard src/tui/*.c)
TEST_SRC := $(wildcard tests/test_*.c)
BENCH_SRC:= $(wildcard tests/bench/bench_*.c)

CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
APP_OBJ  := $(filter-out $(BUILD)/src/cli/main.o,$(CLI_SRC:%.c=$(BUILD)/%.o) $(TUI_SRC:%.c=$(BUILD)/%.o))
TESTS    := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
BENCHES  := $(BENCH_SRC:tests/bench/%.c=$(BUILD)/bench/%)
LIB      := $(BUILD)/libmixscope.a
BIN      := $(BUILD)/mixscope

.PHONY: all test check run bench fuzz deps install uninstall clean layering FORCE

all: layering $(BIN)

# The core must never see curses: the layering is part of the design.
layering:
	@if grep -rlE '#include *[<"](n?curses|ncursesw/)' src/core include; then \
	  echo "error: src/core and include/ must not include curses" >&2; exit 1; fi

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

# Where the installed sample lives; rewritten only when DATADIR changes, so
# `make install PREFIX=/usr` after a plain `make` rebuilds what uses it.
$(BUILD)/datadir.h: FORCE
	@mkdir -p $(BUILD)
	@echo '#define MS_DATADIR "$(DATADIR)"' > $@.new
	@cmp -s $@.new $@ && rm $@.new || mv $@.new $@
$(BUILD)/src/cli/common.o: $(BUILD)/datadir.h
FORCE:

$(LIB): $(CORE_OBJ)
	$(AR) rcs $@ $^

# Everything but main.c goes in an archive too, so tests can call CLI and
# TUI modules (renderers, option parsers) directly.
$(BUILD)/libmsapp.a: $(APP_OBJ)
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^ $(if $(APP_OBJ),,)

$(BIN): $(BUILD)/src/cli/main.o $(BUILD)/libmsapp.a $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(BUILD)/libmsapp.a $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(shell pkg-config --libs cmocka)

$(BUILD)/bench/%: tests/bench/%.c $(BUILD)/libmsapp.a $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Itests -o $@ $^ $(LDLIBS) -lutil

# Runs every test program against this build; tests/run prints the summary.
check: all $(TESTS)
	@MIXSCOPE_BIN=$(abspath $(BIN)) tests/run $(TESTS)

test:
	@$(MAKE) --no-print-directory check
	@$(MAKE) --no-print-directory BUILD=build-san SAN=1 check

run: all
	./$(BIN) sample-data/sample.csv

bench: all $(BENCHES)
	@for b in $(BENCHES) $(wildcard tests/bench/bench_*.sh); do echo "== $$b"; \
	  MIXSCOPE_BIN=$(abspath $(BIN)) $$b || exit 1; done

# libFuzzer targets in tests/fuzz (clang and libclang-rt-14-dev; the rest
# of the build never needs clang). The core is rebuilt in $(FUZZ_BUILD) with
# coverage, ASan and UBSan, and with 61-byte read blocks so that small inputs
# cross block boundaries; each target then runs FUZZ_SECONDS on its seeds
# (tests/fuzz/corpus/NAME), keeping what it learns in $(FUZZ_BUILD)/corpus/NAME
# and any crash in $(FUZZ_BUILD)/crash-NAME-*. Stops at the first finding.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_BUILD   ?= build-fuzz
FUZZ_TARGETS := sweep fitfile size
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_MAXLEN_sweep   := 16384
FUZZ_MAXLEN_fitfile := 16384
FUZZ_MAXLEN_size    := 256

fuzz:
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) \
	  OPT="-O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link -DMS_SWEEP_BLOCK_BYTES=61" \
	  $(FUZZ_BUILD)/libmixscope.a
	@for t in $(FUZZ_TARGETS); do \
	  echo "$(FUZZ_CC) ... -fsanitize=fuzzer tests/fuzz/fuzz_$$t.c -o $(FUZZ_BUILD)/fuzz_$$t"; \
	  $(FUZZ_CC) $(CPPFLAGS) -std=c11 $(WARN) -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer \
	    $(PKG_CFLAGS) -o $(FUZZ_BUILD)/fuzz_$$t tests/fuzz/fuzz_$$t.c \
	    $(FUZZ_BUILD)/libmixscope.a $(LDLIBS) || exit 1; \
	done
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_BUILD)/corpus/$$t; echo "== fuzz_$$t for $(FUZZ_SECONDS) s"; \
	  case $$t in sweep) n=$(FUZZ_MAXLEN_sweep);; fitfile) n=$(FUZZ_MAXLEN_fitfile);; \
	    *) n=$(FUZZ_MAXLEN_size);; esac; \
	  $(FUZZ_BUILD)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	    -rss_limit_mb=2048 -max_len=$$n -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_BUILD)/crash-$$t- \
	    $(FUZZ_BUILD)/corpus/$$t tests/fuzz/corpus/$$t || exit 1; \
	done

deps:
	@missing=$$(for p in $(DEBS); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then echo "all build dependencies are installed"; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else echo "missing packages; run as root:"; echo "  apt-get install -y" $$missing; exit 1; fi

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/mixscope
	install -m 644 man/mixscope.1 $(DESTDIR)$(MANDIR)/man1/mixscope.1
	install -m 644 sample-data/*.csv sample-data/*.json $(DESTDIR)$(DATADIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/mixscope $(DESTDIR)$(MANDIR)/man1/mixscope.1
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build build-san $(FUZZ_BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
