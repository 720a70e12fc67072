# hotline — plain Makefile + pkg-config.
#   make          build build/rel/hotline
#   make test     install dependencies, build with sanitizers, run every test
#   make run      install dependencies, build (the web app too), create a demo database, serve
#   make e2e      the browser tests alone (tests/e2e)
#   make bench    build with -O2 and run the benchmarks
#   make clean

CC      ?= gcc
PKGS    := sqlite3 jansson xlsxwriter libmicrohttpd libsodium libutf8proc
PKGS    += libzip cairo pangocairo
CSTD    := -std=c17 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
LDLIBS  := -pthread -lm
WARN    := -Wall -Wextra -Werror -Wshadow -Wformat=2
DEFS    := -DHL_DATA_DIR='"$(CURDIR)/data"'
PKG_CF   = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS = $(shell pkg-config --libs $(PKGS))
CHECK_CF   = $(shell pkg-config --cflags check libcurl)
CHECK_LIBS = $(shell pkg-config --libs check libcurl)

REL_FLAGS := -O2 -g
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

LIB_SRC  := $(wildcard src/core/*.c src/text/*.c src/store/*.c src/report/*.c src/http/*.c) $(filter-out src/cli/main.c,$(wildcard src/cli/*.c))
TEST_SRC := $(wildcard tests/*.c tests/core/*.c tests/text/*.c tests/store/*.c tests/cli/*.c tests/report/*.c tests/api/*.c)
BENCH    := import assess http search
BENCH    += text

SHARED   ?= $(abspath $(CURDIR)/../shared)
DB       ?= hotline.db

.PHONY: all test run bench clean deps test-run run-demo bench-run web e2e e2e-run
all: build/rel/hotline

deps:
	@bash scripts/deps.sh

# --- objects: one tree per flavour -------------------------------------------
build/rel/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) $(REL_FLAGS) $(DEFS) $(PKG_CF) -MMD -MP -c $< -o $@

build/san/%.o build/san/t/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) $(SAN_FLAGS) $(DEFS) $(PKG_CF) $(CHECK_CF) \
	  -DHL_SHARED_DIR='"$(SHARED)"' -DHL_TEST_BIN='"$(CURDIR)/build/san/hotline"' \
	  -MMD -MP -c $< -o $@

build/rel/libhotline.a: $(LIB_SRC:%.c=build/rel/%.o)
	ar rcs $@ $^
build/san/libhotline.a: $(LIB_SRC:%.c=build/san/%.o)
	ar rcs $@ $^

build/rel/hotline: build/rel/src/cli/main.o build/rel/libhotline.a
	$(CC) $(REL_FLAGS) $^ $(PKG_LIBS) $(LDLIBS) -o $@
build/san/hotline: build/san/src/cli/main.o build/san/libhotline.a
	$(CC) $(SAN_FLAGS) $^ $(PKG_LIBS) $(LDLIBS) -o $@
build/san/tests: $(TEST_SRC:%.c=build/san/t/%.o) build/san/libhotline.a
	$(CC) $(SAN_FLAGS) $^ $(PKG_LIBS) $(CHECK_LIBS) $(LDLIBS) -o $@
build/rel/bench_%: build/rel/bench/%.o build/rel/libhotline.a
	$(CC) $(REL_FLAGS) $^ $(PKG_LIBS) $(LDLIBS) -o $@

# --- the web application (web/, Vue 3 + Element Plus, built by Vite) --------
# node_modules follows package-lock.json (npm ci); web/dist follows the sources.
WEB_SRC := $(shell find web/src -type f 2>/dev/null) web/index.html web/vite.config.js
web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@
web/dist/index.html: web/node_modules/.package-lock.json $(WEB_SRC)
	cd web && npx vite build --logLevel warn
	@touch $@
web: web/dist/index.html

# --- the two commands of the README ------------------------------------------
test: deps
	@$(MAKE) --no-print-directory test-run
test-run: build/san/hotline build/san/tests web/dist/index.html
	@cd build && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ./san/tests
	@$(MAKE) --no-print-directory e2e-run

# the browser tests alone (tests/e2e: the sanitized server, the built app, Chromium)
e2e: deps
	@$(MAKE) --no-print-directory e2e-run
e2e-run: build/san/hotline web/dist/index.html
	@node tests/e2e/run.mjs

# render times in the browser with a `demo --scale 30` month (docs/performance.md); the
# first run generates build/perf/s30.db (10-15 min), so it is not part of `make test`
perf-web: build/rel/hotline web/dist/index.html
	@node tests/e2e/perf.mjs

run: deps
	@$(MAKE) --no-print-directory run-demo
run-demo: build/rel/hotline web/dist/index.html
	@bash scripts/run.sh build/rel/hotline $(DB)

bench: deps
	@$(MAKE) --no-print-directory bench-run
bench-run: build/rel/hotline $(BENCH:%=build/rel/bench_%)
	@for b in $(BENCH); do ./build/rel/bench_$$b || exit 1; done

clean:
	rm -rf build web/dist

-include $(shell find build -name '*.d' 2>/dev/null)
