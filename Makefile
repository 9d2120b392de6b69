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

# Modules shared by the server and the tools.
LIB_SRCS = src/buf.c src/json.c src/b64.c src/sha1.c src/utf8.c src/idna.c src/idnadata.c \
	   src/http.c src/ws.c src/net.c src/loop.c src/uri.c
SRV_SRCS = src/main.c src/conn.c src/rpc.c src/schema.c src/sess.c \
	   src/envinfo.c src/proc.c src/pstart.c src/spawn.c src/envpol.c \
	   src/outlog.c src/wids.c src/wq.c src/oserr.c src/fs.c src/fsjob.c \
	   src/fsfile.c src/fsdir.c src/fswalk.c src/fshandle.c src/watch.c \
	   src/envcfg.c src/toml.c src/tomlout.c
LIB_OBJS = $(LIB_SRCS:.c=.o)
SRV_OBJS = $(SRV_SRCS:.c=.o)

UNIT	 = json b64 sha1 utf8 http ws uri idna envpol toml
UNIT_BINS = $(UNIT:%=tests/unit/%_test)

all: exec-server exec-conformance exec-client

CLI_OBJS = src/buf.o src/json.o src/b64.o src/sha1.o src/utf8.o \
	   src/http.o src/ws.o src/net.o src/uri.o src/idna.o src/idnadata.o src/wsclient.o
CF_SRCS	 = conformance/runner.c conformance/transcript.c \
	   conformance/match.c conformance/vars.c conformance/session.c \
	   conformance/steps.c conformance/links.c conformance/prepare.c
CF_OBJS	 = $(CF_SRCS:.c=.o)
XC_OBJS	 = src/exec_client.o src/exec_client_fs.o

exec-conformance: $(CF_OBJS) $(CLI_OBJS)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(CF_OBJS) $(CLI_OBJS)

exec-client: $(XC_OBJS) $(CLI_OBJS)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(XC_OBJS) $(CLI_OBJS)

conformance/%.o: conformance/%.c conformance/cf.h src/*.h
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

exec-server: $(SRV_OBJS) $(LIB_OBJS)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^

src/%.o: src/%.c src/*.h
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

tests/unit/envpol_test: tests/unit/envpol_test.c tests/unit/tap.h src/envpol.o
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< src/envpol.o

tests/unit/toml_test: tests/unit/toml_test.c tests/unit/tap.h src/toml.o \
	    src/tomlout.o src/buf.o
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< src/toml.o \
	    src/tomlout.o src/buf.o

tests/unit/%_test: tests/unit/%_test.c tests/unit/tap.h $(LIB_OBJS)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIB_OBJS)

tests/rpcpipe: tests/rpcpipe.c src/wsclient.o $(LIB_OBJS)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ tests/rpcpipe.c \
	    src/wsclient.o $(LIB_OBJS)

tests/fsload: tests/fsload.c src/wsclient.o $(LIB_OBJS)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ tests/fsload.c \
	    src/wsclient.o $(LIB_OBJS)

tests/mockmodel: tests/mockmodel.c $(LIB_OBJS)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ tests/mockmodel.c \
	    $(LIB_OBJS)

tests/wsprobe: tests/wsprobe.c tests/unit/tap.h src/wsclient.o $(LIB_OBJS)
	$(CC) $(ALL_CPPFLAGS) -Itests/unit $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ \
	    tests/wsprobe.c src/wsclient.o $(LIB_OBJS)

bench/bench: bench/bench.c src/wsclient.o $(LIB_OBJS)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ bench/bench.c \
	    src/wsclient.o $(LIB_OBJS)

bench: bench/bench
	sh bench/run.sh

check-build: exec-server exec-conformance exec-client $(UNIT_BINS) tests/rpcpipe tests/wsprobe tests/fsload tests/mockmodel

test: check-build
	@sh tests/run.sh

# The conformance suite against our server, over WebSocket and stdio.
conformance: exec-server exec-conformance
	./exec-conformance --todo conformance/todo \
	    --spawn './exec-server --listen ws://127.0.0.1:0' \
	    conformance/transcripts/*.jsonl
	./exec-conformance --todo conformance/todo \
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
		./exec-conformance --with ws-auth \
		    --spawn "$(REFENV) $$codex exec-server --listen ws://127.0.0.1:0" \
		    conformance/transcripts/*.jsonl conformance/mutants/*.jsonl && \
		./exec-conformance \
		    --stdio "$(REFENV) $$codex exec-server --listen stdio" \
		    conformance/transcripts/*.jsonl conformance/mutants/*.jsonl; \
	fi

run: exec-server
	./exec-server --listen ws://127.0.0.1:0

# A fully static binary: musl-gcc when installed, else glibc -static.
static:
	$(MAKE) clean
	if command -v musl-gcc >/dev/null 2>&1; then \
		$(MAKE) CC=musl-gcc LDHARDEN='-static -Wl,-z,relro,-z,now' exec-server; \
	else \
		$(MAKE) LDHARDEN='-static-pie -Wl,-z,relro,-z,now' exec-server; \
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
	rm -f exec-server exec-conformance exec-client src/*.o \
	    conformance/*.o $(UNIT_BINS) tests/rpcpipe tests/wsprobe tests/fsload tests/mockmodel bench/bench
	rm -rf tests/trash.*

.PHONY: all check-build test run static install uninstall clean bench \
	conformance conformance-reference
