# exec-server: libc only, no configure step.

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man
DESTDIR	?=

CC	?= cc
CFLAGS	?= -O2 -g
WARN	 = -std=c11 -Wall -Wextra -Werror -Wshadow -Wpointer-arith \
	   -Wmissing-prototypes -Wstrict-prototypes -Wformat=2 \
	   -Wno-unused-parameter
HARDEN	 = -fstack-protector-strong -fPIE -D_FORTIFY_SOURCE=2
LDHARDEN = -pie -Wl,-z,relro,-z,now
ALL_CPPFLAGS = -D_GNU_SOURCE -Isrc $(CPPFLAGS)
ALL_CFLAGS   = $(WARN) $(HARDEN) $(CFLAGS)
ALL_LDFLAGS  = $(LDHARDEN) $(LDFLAGS)

ifeq ($(SANITIZE),1)
ALL_CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -O1
ALL_LDFLAGS += -fsanitize=address,undefined
endif

# The tree, by layer (docs/architecture.md); each folder says what it may use.
RPC_SRCS    = src/net/conn.c src/net/auth.c src/rpc/rpc.c src/rpc/schema.c src/rpc/sess.c \
	      src/rpc/envinfo.c
SANDBOX_SRCS = src/sandbox/sandbox.c src/sandbox/policy.c src/sandbox/plan.c \
	       src/sandbox/globs.c \
	       src/sandbox/confine.c src/sandbox/landlock.c src/sandbox/seccomp.c
PROC_SRCS   = src/proc/proc.c src/proc/pstart.c src/proc/spawn.c \
	      src/proc/envpol.c src/proc/outlog.c src/proc/wids.c src/proc/wq.c \
	      src/proc/guard.c
HTTPC_SRCS  = src/httpc/httpc.c src/httpc/hreq.c src/httpc/hurl.c
FS_SRCS     = src/fs/fs.c src/fs/fsbox.c src/fs/fsjob.c src/fs/fsfile.c src/fs/fsdir.c \
	      src/fs/fswalk.c src/fs/fshandle.c src/fs/watch.c src/fs/envcfg.c
HDRS	    = $(wildcard src/*/*.h)

# Modules shared by the server and the tools.
LIB_SRCS = src/base/buf.c src/base/json.c src/base/jw.c src/base/b64.c \
	   src/base/sha1.c src/base/sha256.c src/base/utf8.c src/compat/idna.c \
	   src/compat/idnadata.c src/net/http.c src/net/ws.c src/net/net.c \
	   src/base/loop.c src/compat/uri.c
SRV_SRCS = src/main.c $(RPC_SRCS) $(SANDBOX_SRCS) $(PROC_SRCS) $(FS_SRCS) \
	   $(HTTPC_SRCS) \
	   src/compat/oserr.c src/compat/toml.c src/compat/tomlout.c
LIB_OBJS = $(LIB_SRCS:.c=.o)
SRV_OBJS = $(SRV_SRCS:.c=.o)

UNIT	 = json b64 sha1 sha256 utf8 http ws uri idna envpol toml seccomp landlock \
	   globs
UNIT_BINS = $(UNIT:%=tests/unit/%_test)

all: exec-server exec-conformance exec-client

CLI_OBJS = src/base/buf.o src/base/json.o src/base/jw.o src/base/b64.o \
	   src/base/sha1.o src/base/sha256.o src/base/utf8.o src/net/http.o src/net/ws.o \
	   src/net/net.o src/compat/uri.o src/compat/idna.o \
	   src/compat/idnadata.o src/client/wsc.o
CF_SRCS	 = conformance/runner.c conformance/transcript.c \
	   conformance/match.c conformance/vars.c conformance/session.c \
	   conformance/steps.c conformance/links.c conformance/prepare.c \
	   conformance/tok.c conformance/show.c conformance/stream.c \
	   conformance/run.c conformance/record.c
CF_OBJS	 = $(CF_SRCS:.c=.o)
XC_OBJS	 = src/client/exec_client.o src/client/exec_client_fs.o \
	   src/client/xc.o

exec-conformance: $(CF_OBJS) $(CLI_OBJS)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(CF_OBJS) $(CLI_OBJS)

exec-client: $(XC_OBJS) $(CLI_OBJS)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(XC_OBJS) $(CLI_OBJS)

conformance/%.o: conformance/%.c conformance/*.h $(HDRS)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

exec-server: $(SRV_OBJS) $(LIB_OBJS)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^

src/%.o: src/%.c $(HDRS)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

tests/unit/envpol_test: tests/unit/envpol_test.c tests/unit/tap.h src/proc/envpol.o
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< src/proc/envpol.o

tests/unit/landlock_test: tests/unit/landlock_test.c tests/unit/tap.h \
	    src/sandbox/landlock.o src/compat/oserr.o src/base/buf.o
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< \
	    src/sandbox/landlock.o src/compat/oserr.o src/base/buf.o

tests/unit/globs_test: tests/unit/globs_test.c tests/unit/tap.h src/sandbox/globs.o \
	    src/base/buf.o
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< \
	    src/sandbox/globs.o src/base/buf.o

tests/unit/seccomp_test: tests/unit/seccomp_test.c tests/unit/tap.h src/sandbox/seccomp.o
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< src/sandbox/seccomp.o

tests/unit/toml_test: tests/unit/toml_test.c tests/unit/tap.h src/compat/toml.o \
	    src/compat/tomlout.o src/base/buf.o
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< \
	    src/compat/toml.o src/compat/tomlout.o src/base/buf.o

tests/unit/%_test: tests/unit/%_test.c tests/unit/tap.h $(LIB_OBJS)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIB_OBJS)

tests/rpcpipe: tests/rpcpipe.c src/client/wsc.o $(LIB_OBJS)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ tests/rpcpipe.c \
	    src/client/wsc.o $(LIB_OBJS)

tests/fsload: tests/fsload.c src/client/wsc.o $(LIB_OBJS)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ tests/fsload.c \
	    src/client/wsc.o $(LIB_OBJS)

# Fuzz targets (tests/fuzz): replayed over their corpus by make test;
# `make fuzz` builds them for libFuzzer with clang.  rpc links the whole
# server but net/conn.c (it brings its own fake connection), transcript
# exec-conformance's reader and matcher.
FUZZ	 = json ws http b64 url toml jwt transcript rpc
FUZZ_REPLAY = $(FUZZ:%=tests/fuzz/%_replay)
FUZZ_SRCS = $(LIB_SRCS) src/httpc/hurl.c src/net/auth.c src/compat/toml.c \
	    src/compat/oserr.c
FUZZ_SRCS_transcript = $(LIB_SRCS) conformance/transcript.c \
	    conformance/match.c conformance/vars.c conformance/tok.c \
	    conformance/show.c conformance/stream.c
FUZZ_SRCS_rpc = $(LIB_SRCS) $(filter-out src/main.c src/net/conn.c,$(SRV_SRCS))
FUZZ_CC	 = clang
fuzz_objs = $(patsubst %.c,%.o,$(or $(FUZZ_SRCS_$(1)),$(FUZZ_SRCS)))

define fuzz_replay_rule
tests/fuzz/$(1)_replay: tests/fuzz/$(1)_fuzz.c tests/fuzz/replay.c \
    tests/fuzz/fuzz.h $(call fuzz_objs,$(1))
	$$(CC) $$(ALL_CPPFLAGS) -Iconformance $$(ALL_CFLAGS) $$(ALL_LDFLAGS) \
	    -o $$@ $$< tests/fuzz/replay.c $(call fuzz_objs,$(1))
endef
$(foreach t,$(FUZZ),$(eval $(call fuzz_replay_rule,$(t))))

fuzz:
	@set -e; $(foreach t,$(FUZZ), \
		echo "$(FUZZ_CC) tests/fuzz/$(t)_fuzz"; \
		$(FUZZ_CC) -D_GNU_SOURCE -Isrc -Iconformance -g -O1 \
		    -fsanitize=fuzzer,address,undefined \
		    -o tests/fuzz/$(t)_fuzz tests/fuzz/$(t)_fuzz.c \
		    $(or $(FUZZ_SRCS_$(t)),$(FUZZ_SRCS));)

tests/loadgen: tests/loadgen.c src/client/wsc.o $(LIB_OBJS)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ tests/loadgen.c \
	    src/client/wsc.o $(LIB_OBJS)

tests/authprobe: tests/authprobe.c src/client/wsc.o $(LIB_OBJS)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ \
	    tests/authprobe.c src/client/wsc.o $(LIB_OBJS)

tests/httpd: tests/httpd.c
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ tests/httpd.c

tests/mockmodel: tests/mockmodel.c $(LIB_OBJS)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ tests/mockmodel.c \
	    $(LIB_OBJS)

# Never with sanitizers: it runs inside the sandbox, which denies ptrace
# (LeakSanitizer's way of looking at a process at exit).
tests/sbprobe: tests/sbprobe.c
	$(CC) $(ALL_CPPFLAGS) $(WARN) $(HARDEN) $(CFLAGS) $(LDHARDEN) $(LDFLAGS) \
	    -o $@ tests/sbprobe.c

tests/wsprobe: tests/wsprobe.c tests/unit/tap.h src/client/wsc.o $(LIB_OBJS)
	$(CC) $(ALL_CPPFLAGS) -Itests/unit $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ \
	    tests/wsprobe.c src/client/wsc.o $(LIB_OBJS)

bench/bench: bench/bench.c src/client/wsc.o $(LIB_OBJS)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ bench/bench.c \
	    src/client/wsc.o $(LIB_OBJS)

bench: bench/bench
	sh bench/run.sh

check-build: exec-server exec-conformance exec-client $(UNIT_BINS) tests/rpcpipe tests/wsprobe tests/fsload tests/mockmodel tests/sbprobe tests/authprobe tests/httpd tests/loadgen $(FUZZ_REPLAY)

test: check-build
	@sh tests/run.sh

# The load and fault tests at full size (make test runs them at a quarter).
load: check-build
	@cd tests && LOAD_SCALE=full sh ./t6001-load.sh

# The shell tests with the server under valgrind's memcheck: every server
# they start must end with no invalid access and no leak.
valgrind: check-build
	@d=$$(mktemp -d) && chmod 1777 $$d; \
	VG_LOG_DIR=$$d EXEC_SERVER=$(CURDIR)/tests/vgwrap.sh \
	    RPCPIPE_QUIET_MIN=1000 \
	    sh tests/run.sh shell; r=$$?; \
	sh tests/vgcheck.sh $$d && rm -rf $$d && exit $$r

# The conformance suite against our server, over WebSocket and stdio.
conformance: exec-server exec-conformance
	./exec-conformance --todo conformance/todo --with sandbox \
	    --spawn './exec-server --listen ws://127.0.0.1:0' \
	    conformance/transcripts/*.jsonl
	./exec-conformance --todo conformance/todo --with sandbox \
	    --stdio './exec-server --listen stdio' \
	    conformance/transcripts/*.jsonl

# The same files against the reference, installed when it can be.
REFHOME	?= /tmp/exec-conformance-ref
REFENV	 = HOME=$(REFHOME) CODEX_HOME=$(REFHOME)/codex
conformance-reference: exec-conformance
	@mkdir -p $(REFHOME)/codex
	@if ! codex=$$(HOME=$(REFHOME) bash ../shared/tools/reference-codex \
	    2>/dev/null); then \
		echo "1..0 # SKIP the reference could not be installed"; \
	else \
		./exec-conformance --with ws-auth --with sandbox \
		    --spawn "$(REFENV) $$codex exec-server --listen ws://127.0.0.1:0" \
		    conformance/transcripts/*.jsonl conformance/mutants/*.jsonl && \
		./exec-conformance --with sandbox \
		    --stdio "$(REFENV) $$codex exec-server --listen stdio" \
		    conformance/transcripts/*.jsonl conformance/mutants/*.jsonl; \
	fi

# The bound URL is the first line: the build is silent unless it fails.
run:
	@$(MAKE) --no-print-directory -s exec-server
	@exec ./exec-server --listen ws://127.0.0.1:0

# A fully static binary: musl-gcc when installed, else glibc -static.
# musl's headers have no linux/ or asm/: the kernel's UAPI headers are
# borrowed through links in .musl-include (nothing of glibc's).
MUSL_INC = $(CURDIR)/.musl-include
# The static build is made for size: -Os, link-time optimization, unused
# sections dropped, no unwind tables (nothing here unwinds), stripped.
# With musl it is a plain static executable, so its code is not PIE.  A
# sanitizer cannot be linked statically: SANITIZE is ignored here.
STATIC_CFLAGS	= -Os -flto=auto -ffunction-sections -fdata-sections \
		  -fno-asynchronous-unwind-tables -fno-unwind-tables
STATIC_LDFLAGS	= -flto=auto -Wl,--gc-sections -s

static:
	$(MAKE) clean
	if command -v musl-gcc >/dev/null 2>&1; then \
		rm -rf $(MUSL_INC) && mkdir -p $(MUSL_INC) && \
		ln -s /usr/include/linux /usr/include/asm-generic $(MUSL_INC)/ && \
		ln -s /usr/include/$$(cc -dumpmachine)/asm $(MUSL_INC)/asm && \
		$(MAKE) SANITIZE= CC=musl-gcc CPPFLAGS='-isystem $(MUSL_INC)' \
		    CFLAGS='$(STATIC_CFLAGS) -fno-PIE' \
		    LDFLAGS='$(STATIC_LDFLAGS) -no-pie' \
		    LDHARDEN='-static -Wl,-z,relro,-z,now' exec-server; \
	else \
		$(MAKE) SANITIZE= CFLAGS='$(STATIC_CFLAGS)' \
		    LDFLAGS='$(STATIC_LDFLAGS)' \
		    LDHARDEN='-static-pie -Wl,-z,relro,-z,now' exec-server; \
	fi

install: exec-server exec-conformance exec-client
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 exec-server $(DESTDIR)$(BINDIR)/exec-server
	install -m 755 exec-conformance $(DESTDIR)$(BINDIR)/exec-conformance
	install -m 755 exec-client $(DESTDIR)$(BINDIR)/exec-client
	install -m 644 docs/exec-server.1 $(DESTDIR)$(MANDIR)/man1/exec-server.1
	install -m 644 docs/exec-conformance.1 \
	    $(DESTDIR)$(MANDIR)/man1/exec-conformance.1
	install -m 644 docs/exec-client.1 $(DESTDIR)$(MANDIR)/man1/exec-client.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/exec-server \
	    $(DESTDIR)$(BINDIR)/exec-conformance \
	    $(DESTDIR)$(BINDIR)/exec-client \
	    $(DESTDIR)$(MANDIR)/man1/exec-server.1 \
	    $(DESTDIR)$(MANDIR)/man1/exec-conformance.1 \
	    $(DESTDIR)$(MANDIR)/man1/exec-client.1

clean:
	rm -rf .musl-include
	rm -f exec-server exec-conformance exec-client src/*.o src/*/*.o \
	    conformance/*.o $(UNIT_BINS) tests/rpcpipe tests/wsprobe tests/fsload tests/mockmodel tests/sbprobe tests/authprobe tests/httpd tests/loadgen $(FUZZ_REPLAY) tests/fuzz/*_fuzz bench/bench
	rm -rf tests/trash.*

.PHONY: all check-build test run static install uninstall clean bench fuzz \
	load valgrind \
	conformance conformance-reference
