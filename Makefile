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
LIB_SRCS = src/buf.c src/json.c src/b64.c src/sha1.c src/utf8.c \
	   src/http.c src/ws.c src/net.c src/loop.c src/uri.c
SRV_SRCS = src/main.c src/conn.c src/rpc.c src/schema.c src/sess.c \
	   src/envinfo.c
LIB_OBJS = $(LIB_SRCS:.c=.o)
SRV_OBJS = $(SRV_SRCS:.c=.o)

UNIT	 = json b64 sha1 utf8 http ws
UNIT_BINS = $(UNIT:%=tests/unit/%_test)

all: exec-server

exec-server: $(SRV_OBJS) $(LIB_OBJS)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^

src/%.o: src/%.c src/*.h
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

tests/unit/%_test: tests/unit/%_test.c tests/unit/tap.h $(LIB_OBJS)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIB_OBJS)

check-build: exec-server $(UNIT_BINS)

test: check-build
	@sh tests/run.sh

run: exec-server
	./exec-server --listen ws://127.0.0.1:0

# A fully static binary: musl-gcc when installed, else glibc -static.
static:
	$(MAKE) clean
	if command -v musl-gcc >/dev/null 2>&1; then \
		$(MAKE) CC=musl-gcc LDHARDEN='-static-pie -Wl,-z,relro,-z,now' exec-server; \
	else \
		$(MAKE) LDHARDEN='-static-pie -Wl,-z,relro,-z,now' exec-server; \
	fi

install: exec-server
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 exec-server $(DESTDIR)$(BINDIR)/exec-server
	install -m 644 docs/exec-server.1 $(DESTDIR)$(MANDIR)/man1/exec-server.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/exec-server \
	    $(DESTDIR)$(MANDIR)/man1/exec-server.1

clean:
	rm -f exec-server src/*.o $(UNIT_BINS)
	rm -rf tests/trash.*

.PHONY: all check-build test run static install uninstall clean
