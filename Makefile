# netvet - one GNU Makefile; Debian -dev packages through pkg-config.
#
#   make            build ./netvet
#   make check      install missing build and test dependencies, run every
#                   test
#   make demo       install missing build dependencies, run the example
#   make asan       the tests again under AddressSanitizer + UBSan
#   make fuzz       libFuzzer targets with clang (FUZZ_SECONDS each)
#   make coverage   line coverage of each parser from the tests and corpora
#   make lint       formatting and banned functions
#   make bench      the benchmarks in bench/ (slow; needs several GB)
#   make man        manual pages from the help text, in $(BUILD)/man
#   make install    the binary, policy packs, manual pages and bash
#                   completion under $(DESTDIR)$(PREFIX); make uninstall

PKGS := yajl libutf8proc icu-uc icu-i18n libcrypto libssl libarchive libsquashfs1 \
        sqlite3 expat libcurl libzstd
# Libraries without a pkg-config file: GLPK (libglpk-dev) solves the plans;
# CivetWeb (libcivetweb-dev) serves HTTP for `netvet serve`.
NOPKG_LIBS := -lglpk -lcivetweb
SHARED ?= ../shared
PREFIX ?= /usr/local
DESTDIR ?=
BUILD ?= build
NETVET ?= ./netvet
FUZZ_SECONDS ?= 60

WARN := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
        -Wmissing-prototypes -Wvla -Wwrite-strings -Wformat=2
ifneq ($(filter true 1,$(CI) $(WERROR)),)
WARN += -Werror
endif
OPT ?= -O2 -g
SAN ?=
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS = $(shell pkg-config --libs $(PKGS))
CPPFLAGS_ALL = -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -Isrc -I. -I$(BUILD)/gen
CFLAGS_ALL = $(WARN) $(OPT) $(SAN) -pthread -MMD -MP $(PKG_CFLAGS) $(CFLAGS)
LDLIBS_ALL = $(PKG_LIBS) $(NOPKG_LIBS) -lm -pthread $(LDLIBS)

LIB_DIRS := core model screen exposure policy plan integrity report store serve
LIB_SRC := $(foreach d,$(LIB_DIRS),$(wildcard src/$(d)/*.c))
CMD_SRC := src/main.c $(wildcard src/cmd/*.c)
UNIT_SRC := $(wildcard tests/unit/*.c)
FUZZ_SRC := $(wildcard fuzz/fuzz_*.c)
FUZZ_NAMES := $(patsubst fuzz/fuzz_%.c,%,$(FUZZ_SRC))

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CMD_OBJ := $(CMD_SRC:%.c=$(BUILD)/%.o)
TLIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/test/%.o)
UNIT_OBJ := $(UNIT_SRC:%.c=$(BUILD)/test/%.o)
DEPS_STAMP := $(BUILD)/.deps-ok
TEST_DEPS_STAMP := $(BUILD)/.test-deps-ok

# Keep the objects of replay and test programs between runs.
.SECONDARY:

.PHONY: all check unit cli replay serve-api cdx-schema browser demo asan fuzz coverage lint bench clean deps \
        man install uninstall install-test
all: $(NETVET)

deps: $(DEPS_STAMP)
$(DEPS_STAMP): scripts/deps
	@scripts/deps
	@mkdir -p $(@D) && touch $@
$(TEST_DEPS_STAMP): scripts/deps
	@scripts/deps --test-extras
	@mkdir -p $(@D) && touch $@

$(BUILD)/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@echo "CC $<"
	@$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -c $< -o $@

$(BUILD)/test/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@echo "CC $< (test)"
	@$(CC) $(CPPFLAGS_ALL) -DNV_TESTING -I$(BUILD)/test $(CFLAGS_ALL) -c $< -o $@

# The web page and the API description are embedded into the binary.
EMBED := $(BUILD)/gen/serve/index.inc $(BUILD)/gen/serve/openapi.inc
$(BUILD)/gen/serve/index.inc: src/serve/web/index.html scripts/embed
	@mkdir -p $(@D)
	@scripts/embed $< > $@.tmp && mv $@.tmp $@
$(BUILD)/gen/serve/openapi.inc: src/serve/openapi.json scripts/embed
	@mkdir -p $(@D)
	@scripts/embed $< > $@.tmp && mv $@.tmp $@
$(BUILD)/src/serve/api.o $(BUILD)/test/src/serve/api.o: $(EMBED)

# Archives are made afresh, so that the object of a deleted source leaves.
$(BUILD)/libnetvet.a: $(LIB_OBJ)
	@rm -f $@ && $(AR) rcs $@ $^
$(BUILD)/test/libnetvet.a: $(TLIB_OBJ)
	@rm -f $@ && $(AR) rcs $@ $^

$(NETVET): $(CMD_OBJ) $(BUILD)/libnetvet.a
	@echo "LD $@"
	@$(CC) $(CFLAGS_ALL) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

# The unit test table: one NV_T(name) line per NV_TEST(name) found.
$(BUILD)/test/tests.inc: $(UNIT_SRC)
	@mkdir -p $(@D)
	@sed -n 's/^NV_TEST(\([a-z0-9_]*\)).*/NV_T(\1)/p' $(UNIT_SRC) > $@.tmp
	@mv $@.tmp $@
$(BUILD)/test/tests/unit/main.o: $(BUILD)/test/tests.inc

$(BUILD)/test/unit: $(UNIT_OBJ) $(BUILD)/test/libnetvet.a
	@echo "LD $@"
	@$(CC) $(CFLAGS_ALL) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/test/replay_%: $(BUILD)/test/fuzz/fuzz_%.o $(BUILD)/test/fuzz/replay.o $(BUILD)/test/libnetvet.a
	@echo "LD $@"
	@$(CC) $(CFLAGS_ALL) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

check: unit cli replay serve-api cdx-schema browser install-test
unit: $(BUILD)/test/unit
	@NV_SHARED_DATA=$(SHARED)/data $(BUILD)/test/unit
cli: $(NETVET) | $(TEST_DEPS_STAMP)
	@NETVET=$(NETVET) SHARED=$(SHARED) tests/cli/run.sh tests/cli/*.t
replay: $(FUZZ_NAMES:%=$(BUILD)/test/replay_%)
	@for n in $(FUZZ_NAMES); do \
	    $(BUILD)/test/replay_$$n fuzz/corpus/$$n || exit 1; done

# `netvet serve` on a loopback port, driven by a real HTTP client, its
# answers checked against its OpenAPI document.
serve-api: $(NETVET) | $(TEST_DEPS_STAMP)
	@python3 tests/serve/api.py $(NETVET)

# The CycloneDX test documents against the official schemas (npm).
cdx-schema: tests/cdx/node_modules/.installed
	@node tests/cdx/validate.cjs tests/data/cdx/*.json
	@! node tests/cdx/validate.cjs tests/data/bad/cdx-invalid.json >/dev/null
tests/cdx/node_modules/.installed: tests/cdx/package-lock.json | $(DEPS_STAMP)
	@cd tests/cdx && npm ci --no-audit --no-fund --silent
	@touch $@

# The example's HTML report opened in headless Chromium (npm playwright-core
# drives Debian's /usr/bin/chromium), then the web page of `netvet serve`
# used against a server on a loopback port; the screenshots and the PDF
# stay in $(BUILD).
# Without Chromium the test is skipped, loudly, except in CI where it fails.
browser: $(NETVET) tests/browser/node_modules/.installed | $(TEST_DEPS_STAMP)
	@if [ ! -x /usr/bin/chromium ] && [ -z "$$CI" ]; then \
	    echo "*** browser: SKIPPED: no /usr/bin/chromium" \
	        "(scripts/deps --test-extras installs it) ***" >&2; \
	else \
	    $(NETVET) report examples/national/model.json --policy uk-2020 \
	        --wargame vendor:huawei --title "Vendor risk in the network" \
	        --organisation "Example regulator" --marking OFFICIAL-SENSITIVE \
	        -o $(BUILD)/report.html --pdf $(BUILD)/report.pdf && \
	    node tests/browser/report.cjs $(BUILD)/report.html \
	        examples/national/model.json $(BUILD)/report.png \
	        $(BUILD)/report.pdf OFFICIAL-SENSITIVE && \
	    node tests/browser/serve.cjs $(NETVET) \
	        examples/national/model.json $(BUILD)/serve.png; \
	fi
tests/browser/node_modules/.installed: tests/browser/package-lock.json | $(DEPS_STAMP)
	@cd tests/browser && npm ci --no-audit --no-fund --silent
	@touch $@

# Manual pages and completion are generated from the help text.
man: $(BUILD)/man/.stamp
$(BUILD)/man/.stamp: $(NETVET) scripts/man scripts/man.awk
	@rm -rf $(BUILD)/man
	@scripts/man $(NETVET) $(BUILD)/man
	@touch $@
$(BUILD)/netvet.bash: $(NETVET) scripts/completion
	@scripts/completion $(NETVET) > $@.tmp && mv $@.tmp $@

BINDIR = $(DESTDIR)$(PREFIX)/bin
DATADIR = $(DESTDIR)$(PREFIX)/share/netvet
MANDIR = $(DESTDIR)$(PREFIX)/share/man/man1
COMPDIR = $(DESTDIR)$(PREFIX)/share/bash-completion/completions

install: $(NETVET) man $(BUILD)/netvet.bash
	install -d $(BINDIR) $(DATADIR)/policies $(MANDIR) $(COMPDIR)
	install -m 755 $(NETVET) $(BINDIR)/netvet
	install -m 644 policies/*.nvp $(DATADIR)/policies/
	install -m 644 $(BUILD)/man/*.1 $(MANDIR)/
	install -m 644 $(BUILD)/netvet.bash $(COMPDIR)/netvet

uninstall:
	rm -f $(BINDIR)/netvet $(COMPDIR)/netvet
	rm -f $(patsubst policies/%,$(DATADIR)/policies/%,$(wildcard policies/*.nvp))
	rm -f $(MANDIR)/netvet.1 $(MANDIR)/netvet-*.1
	-rmdir $(DATADIR)/policies $(DATADIR) 2>/dev/null

# A staged install that man(1) reads and that finds its packs.
install-test: $(NETVET)
	@scripts/install-test

demo: $(NETVET)
	@scripts/demo $(NETVET)

asan:
	$(MAKE) BUILD=build/asan NETVET=build/asan/netvet OPT="-O1 -g" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	    check

fuzz: | $(DEPS_STAMP)
	@scripts/fuzz $(FUZZ_SECONDS) $(FUZZ_NAMES)

coverage: | $(DEPS_STAMP)
	@scripts/coverage $(SHARED)

lint:
	@scripts/lint

bench: $(NETVET)
	@scripts/deps --bench-extras
	@for b in bench/*.sh; do echo "== $$b"; NETVET=$(NETVET) SHARED=$(SHARED) bash $$b || exit 1; done

clean:
	rm -rf build $(NETVET)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
