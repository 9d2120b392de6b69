/*
 * wsprobe.c: WebSocket integration tests against a running server.
 *
 *	wsprobe ws://IP:PORT
 *
 * Prints TAP.  Covers the HTTP answers of the listener, RFC 6455 rules
 * as the server applies them (close handshake, failure codes, limits,
 * fragmentation, ping), and the loop's fairness: many clients at once,
 * and clients that stall mid-handshake, mid-frame or never read.
 */
#include <sys/socket.h>
#include <sys/stat.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


#include "tap.h"
#include "client/wsc.h"

#define T	5000		/* ms for a step */

static const char	*url;
static const char init_msg[] =
    "{\"id\":1,\"method\":\"initialize\",\"params\":{\"clientName\":\"p\"}}";

static struct wsc *
open_ws(void)
{
	char	 err[256];

	return wsc_connect(url, NULL, wsc_now() + T, NULL, err, sizeof(err));
}

/* Next text message, skipping pings; NULL on anything else. */
static char *
next_msg(struct wsc *c, int64_t deadline)
{
	struct wsc_event	 ev;
	char			*s;

	for (;;) {
		switch (wsc_recv(c, &ev, deadline)) {
		case WSC_EV_PING:
		case WSC_EV_PONG:
			continue;
		case WSC_EV_MESSAGE:
			if ((s = malloc(ev.len + 1)) == NULL)
				return NULL;
			memcpy(s, ev.data, ev.len);
			s[ev.len] = '\0';
			return s;
		default:
			return NULL;
		}
	}
}

/* Send and expect an answer containing `want`. */
static int
roundtrip(struct wsc *c, const char *msg, const char *want)
{
	char	*s;
	int	 r;

	if (wsc_send(c, msg, strlen(msg), 0, wsc_now() + T) == -1)
		return 0;
	if ((s = next_msg(c, wsc_now() + T)) == NULL)
		return 0;
	r = strstr(s, want) != NULL;
	if (!r)
		diag("got %.200s", s);
	free(s);
	return r;
}

/* Expect a Close frame with `code`, then the end of the stream. */
static int
expect_close(struct wsc *c, int code)
{
	struct wsc_event	 ev;
	enum wsc_ev		 e;

	do
		e = wsc_recv(c, &ev, wsc_now() + T);
	while (e == WSC_EV_PING || e == WSC_EV_MESSAGE || e == WSC_EV_PONG);
	if (e != WSC_EV_CLOSE) {
		diag("wanted Close %d, got event %d", code, e);
		return 0;
	}
	if (ev.code != code) {
		diag("wanted Close %d, got %d (%s)", code, ev.code, ev.reason);
		return 0;
	}
	e = wsc_recv(c, &ev, wsc_now() + T);
	if (e != WSC_EV_EOF)
		diag("after Close: event %d, not EOF", e);
	return e == WSC_EV_EOF;
}

static void
http_case(const char *name, const char *path, const char *hdrs, int status,
    const char *body)
{
	struct wsc_http	 h;
	struct wsc	*c;
	char		 u[256], err[256];
	int		 good;

	memset(&h, 0, sizeof(h));
	snprintf(u, sizeof(u), "%s%s", url, path);
	c = wsc_connect(u, hdrs, wsc_now() + T, &h, err, sizeof(err));
	good = c == NULL && h.status == status;
	if (good && body != NULL)
		good = buf_used(&h.body) == strlen(body) && (*body == '\0' ||
		    memcmp(buf_data(&h.body), body, strlen(body)) == 0);
	if (!good)
		diag("status %d body %.*s", h.status,
		    (int)buf_used(&h.body), buf_data(&h.body));
	ok(good, "%s", name);
	if (c != NULL)
		wsc_close(c, 0);
	wsc_http_free(&h);
}

/* A raw request, answered with status line `want`. */
static void
raw_http(const char *name, const char *req, const char *want)
{
	struct wsc		*c;
	struct wsc_event	 ev;
	struct buf		 got = { 0 };
	char			 err[256];
	int64_t			 dl = wsc_now() + T;

	c = wsc_connect_raw(url, dl, err, sizeof(err));
	if (c == NULL || wsc_send_raw(c, req, strlen(req), dl) == -1) {
		ok(0, "%s (%s)", name, err);
		goto out;
	}
	while (wsc_recv(c, &ev, dl) == WSC_EV_DATA)
		buf_add(&got, ev.data, ev.len);
	buf_addc(&got, '\0');
	ok(strncmp(buf_data(&got), want, strlen(want)) == 0, "%s", name);
out:
	if (c != NULL)
		wsc_close(c, 0);
	buf_free(&got);
}

static void
test_http(void)
{
	http_case("GET /readyz is 200", "/readyz", NULL, 200, "");
	http_case("another path is 404, even with upgrade headers", "/x",
	    NULL, 404, "");
	http_case("an Origin header is 403", "/", "Origin: http://evil\r\n",
	    403, "");
	raw_http("POST / is 405", "POST / HTTP/1.1\r\nHost: x\r\n"
	    "Content-Length: 0\r\n\r\n", "HTTP/1.1 405");
	raw_http("GET / without upgrade headers is 400",
	    "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 400");
	raw_http("a garbage request line is 400", "HELLO\r\n\r\n",
	    "HTTP/1.1 400");
	{
		struct buf	 big = { 0 };
		int		 i;

		buf_adds(&big, "GET / HTTP/1.1\r\n");
		for (i = 0; i < 400; i++)
			buf_adds(&big, "X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n");
		buf_adds(&big, "\r\n");
		buf_addc(&big, '\0');
		raw_http("an oversized head is 431, not buffered",
		    buf_data(&big), "HTTP/1.1 431");
		buf_free(&big);
	}
	raw_http("the query string is ignored",
	    "GET /?token=x HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
	    "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
	    "Sec-WebSocket-Version: 13\r\n\r\n",
	    "HTTP/1.1 101");
}

static void
test_close(void)
{
	struct wsc	*c;

	c = open_ws();
	ok(c != NULL && wsc_send_close(c, 1000, "bye", wsc_now() + T) == 0 &&
	    expect_close(c, 1000), "a Close is answered with a Close (1000)");
	if (c) wsc_close(c, 0);

	c = open_ws();
	ok(c != NULL && wsc_send_close(c, 0, NULL, wsc_now() + T) == 0 &&
	    expect_close(c, 1000), "a Close without code is answered 1000");
	if (c) wsc_close(c, 0);

	c = open_ws();
	ok(c != NULL && wsc_send_frame(c, 1, 1, 0, 0, "{}", 2,
	    wsc_now() + T) == 0 && expect_close(c, 1002),
	    "an unmasked frame fails the connection with 1002");
	if (c) wsc_close(c, 0);

	c = open_ws();
	ok(c != NULL && wsc_send_frame(c, 1, 1, 4, 1, "{}", 2,
	    wsc_now() + T) == 0 && expect_close(c, 1002),
	    "an RSV bit fails the connection with 1002");
	if (c) wsc_close(c, 0);

	c = open_ws();
	ok(c != NULL && wsc_send_frame(c, 3, 1, 0, 1, "{}", 2,
	    wsc_now() + T) == 0 && expect_close(c, 1002),
	    "a reserved opcode fails the connection with 1002");
	if (c) wsc_close(c, 0);

	c = open_ws();
	{
		char	 p[126];

		memset(p, 'a', sizeof(p));
		ok(c != NULL && wsc_send_frame(c, 9, 1, 0, 1, p, sizeof(p),
		    wsc_now() + T) == 0 && expect_close(c, 1002),
		    "a 126-byte ping fails the connection with 1002");
	}
	if (c) wsc_close(c, 0);

	c = open_ws();
	ok(c != NULL && wsc_send_frame(c, 0, 1, 0, 1, "{}", 2,
	    wsc_now() + T) == 0 && expect_close(c, 1002),
	    "a continuation with no message fails with 1002");
	if (c) wsc_close(c, 0);

	c = open_ws();
	ok(c != NULL && wsc_send_frame(c, 1, 1, 0, 1, "\"\xff\"", 3,
	    wsc_now() + T) == 0 && expect_close(c, 1007),
	    "invalid UTF-8 in a text message fails with 1007");
	if (c) wsc_close(c, 0);

	c = open_ws();
	ok(c != NULL && wsc_send_frame(c, 1, 0, 0, 1, "\"\xe2\x82", 3,
	    wsc_now() + T) == 0 && wsc_send_frame(c, 0, 1, 0, 1, "(\"", 2,
	    wsc_now() + T) == 0 && expect_close(c, 1007),
	    "UTF-8 broken across fragments fails with 1007");
	if (c) wsc_close(c, 0);

	c = open_ws();
	ok(c != NULL && roundtrip(c, init_msg, "\"sessionId\"") &&
	    wsc_send(c, "{\"method\":\"bogus\"}", 18, 0, wsc_now() + T) == 0 &&
	    expect_close(c, 1008),
	    "an unknown notification ends the connection with 1008");
	if (c) wsc_close(c, 0);
}

static void
test_messages(void)
{
	struct wsc	*c;
	char		*s;

	c = open_ws();
	ok(c != NULL && roundtrip(c, init_msg, "\"sessionId\""),
	    "initialize over WebSocket");
	ok(c != NULL && wsc_send(c, "\xff", 1, 1, wsc_now() + T) == 0 &&
	    (s = next_msg(c, wsc_now() + T)) != NULL &&
	    strstr(s, "expected value at line 1 column 1") != NULL &&
	    strstr(s, "\"id\":-1") != NULL && (free(s), 1),
	    "a binary message that is not UTF-8 is a parse error");
	ok(c != NULL && roundtrip(c, "{\"id\":2,\"method\":\"no/such\"}",
	    "\"id\":2"), "the connection stays open after it");
	ok(c != NULL && wsc_send_frame(c, 1, 0, 0, 1, "{\"id\":3,", 8,
	    wsc_now() + T) == 0 && wsc_send_frame(c, 9, 1, 0, 1, "hi", 2,
	    wsc_now() + T) == 0 && wsc_send_frame(c, 0, 0, 0, 1,
	    "\"method\"", 8, wsc_now() + T) == 0 && wsc_send_frame(c, 0, 1,
	    0, 1, ":\"no/such\"}", 11, wsc_now() + T) == 0 &&
	    (s = next_msg(c, wsc_now() + T)) != NULL &&
	    strstr(s, "\"id\":3") != NULL && (free(s), 1),
	    "a fragmented message with a ping between fragments");
	if (c) wsc_close(c, 0);
}

/*
 * A request followed at once by a reset (SO_LINGER 0): what arrived before
 * the reset is still served.  The request creates a directory, so its
 * effect shows even though no answer can come back.
 */
static void
test_reset(void)
{
	struct linger	 lg = { 1, 0 };
	struct stat	 st;
	struct wsc	*c;
	char		 dir[64], req[256];
	int64_t		 until;
	int		 made = 0;

	snprintf(dir, sizeof(dir), "/tmp/wsprobe-reset.%ld", (long)getpid());
	snprintf(req, sizeof(req), "{\"id\":2,\"method\":\"fs/createDirectory\","
	    "\"params\":{\"path\":\"file://%s\"}}", dir);
	rmdir(dir);
	c = open_ws();
	if (c != NULL && roundtrip(c, init_msg, "\"sessionId\"") &&
	    wsc_send(c, "{\"method\":\"initialized\"}", 24, 0,
	    wsc_now() + T) == 0 && wsc_send(c, req, strlen(req), 0,
	    wsc_now() + T) == 0 && setsockopt(wsc_fd(c), SOL_SOCKET,
	    SO_LINGER, &lg, sizeof(lg)) == 0) {
		wsc_close(c, 0);
		c = NULL;
		for (until = wsc_now() + T; !made && wsc_now() < until; ) {
			made = stat(dir, &st) == 0;
			if (!made)
				usleep(10000);
		}
	}
	ok(made, "a request followed at once by a reset is still served");
	if (c) wsc_close(c, 0);
	rmdir(dir);
}

/* A message of exactly n bytes: {"id":1,"method":"x/y","params":"aaa…"} */
static char *
padded(size_t n)
{
	static const char	 head[] = "{\"id\":7,\"method\":\"no/such\",\"p\":\"";
	char			*s;

	/* One spare byte: the caller also sends n + 1 of them. */
	if ((s = calloc(1, n + 1)) == NULL)
		return NULL;
	memcpy(s, head, sizeof(head) - 1);
	memset(s + sizeof(head) - 1, 'a', n - sizeof(head) - 1);
	memcpy(s + n - 2, "\"}", 2);
	return s;
}

static void
test_limits(void)
{
	struct wsc	*c;
	char		*s, *m;
	size_t		 n = 16 * 1024 * 1024, i;
	int		 good;

	c = open_ws();
	s = padded(n);
	ok(c != NULL && s != NULL && wsc_send_frame(c, 1, 1, 0, 1, s, n,
	    wsc_now() + 4 * T) == 0 && (m = next_msg(c, wsc_now() + 4 * T)) &&
	    strstr(m, "\"id\":7") != NULL && (free(m), 1),
	    "a 16 MiB frame is accepted");
	ok(c != NULL && s != NULL && wsc_send_frame(c, 1, 1, 0, 1, s, n + 1,
	    wsc_now() + 4 * T) == 0 && expect_close(c, 1009),
	    "a frame of 16 MiB + 1 fails with 1009");
	if (c) wsc_close(c, 0);
	free(s);

	/* 64 MiB + 1 in 1 MiB fragments. */
	c = open_ws();
	n = 1024 * 1024;
	s = calloc(1, n);
	good = c != NULL && s != NULL;
	if (s)
		memset(s, ' ', n);
	for (i = 0; good && i < 64; i++)
		good = wsc_send_frame(c, i ? 0 : 1, 0, 0, 1, s, n,
		    wsc_now() + 4 * T) == 0;
	ok(good && wsc_send_frame(c, 0, 1, 0, 1, " ", 1, wsc_now() + 4 * T) == 0 &&
	    expect_close(c, 1009), "a message of 64 MiB + 1 fails with 1009");
	if (c) wsc_close(c, 0);
	free(s);
}

static void
test_fairness(void)
{
	struct wsc	*stall_http, *stall_frame, *c[100], *lazy;
	char		 err[256];
	int		 i, good, n, sent = 0;
	int64_t		 t0;
	char		*s;
	struct buf	 req = { 0 };

	stall_http = wsc_connect_raw(url, wsc_now() + T, err, sizeof(err));
	if (stall_http)
		wsc_send_raw(stall_http, "GET / HTTP/1.1\r\nHost:", 21,
		    wsc_now() + T);
	stall_frame = open_ws();
	if (stall_frame)
		/* A masked text frame of 100 bytes, of which 3 arrive. */
		wsc_send_raw(stall_frame, "\x81\xe4\x01\x02\x03\x04{\"i", 9,
		    wsc_now() + T);

	/* A client that sends requests and never reads. */
	lazy = open_ws();
	if (lazy) {
		roundtrip(lazy, init_msg, "sessionId");
		wsc_send(lazy, "{\"method\":\"initialized\"}", 24, 0,
		    wsc_now() + T);
		for (i = 0; i < 20000; i++) {
			req.off = req.len = 0;
			buf_addf(&req, "{\"id\":%d,\"method\":\"environment/info\"}",
			    i + 10);
			if (wsc_send(lazy, buf_data(&req), buf_used(&req), 0,
			    wsc_now() + 200) == -1)
				break;
		}
		sent = i;
		diag("the lazy client sent %d requests", sent);
	}

	t0 = wsc_now();
	good = 1;
	for (i = 0; i < 100; i++)
		if ((c[i] = open_ws()) == NULL)
			good = 0;
	for (i = 0; good && i < 100; i++)
		good = wsc_send(c[i], init_msg, sizeof(init_msg) - 1, 0,
		    wsc_now() + T) == 0;
	for (i = 0; good && i < 100; i++)
		if ((s = next_msg(c[i], wsc_now() + T)) == NULL ||
		    strstr(s, "sessionId") == NULL)
			good = 0;
		else
			free(s);
	ok(good, "100 clients at once, beside a stalled handshake, a stalled "
	    "frame and a client that does not read (%lld ms)",
	    (long long)(wsc_now() - t0));
	for (i = 0; i < 100; i++)
		if (c[i])
			wsc_close(c[i], 0);

	/* The lazy client now reads: every answer is there. */
	n = 0;
	if (lazy) {
		while ((s = next_msg(lazy, wsc_now() + T)) != NULL) {
			if (strstr(s, "\"executorVersion\""))
				n++;
			free(s);
			if (n == sent)
				break;
		}
	}
	ok(lazy != NULL && n == sent && sent > 0,
	    "a client that did not read loses nothing (%d of %d answers)",
	    n, sent);
	if (lazy) wsc_close(lazy, 0);
	if (stall_http) wsc_close(stall_http, 0);
	if (stall_frame) wsc_close(stall_frame, 0);
	buf_free(&req);
}

/*
 * LIM_CONNS (256) clients at once: the next is answered 503, and a place
 * that frees up serves again.  Raw connections count from their accept.
 */
static void
test_conn_limit(void)
{
	struct wsc	*raw[260], *c;
	struct wsc_http	 h;
	char		 err[256];
	int		 i, n, got503 = 0, served = 0;
	int64_t		 dl;

	for (n = 0; n < 255; n++)
		if ((raw[n] = wsc_connect_raw(url, wsc_now() + T, err,
		    sizeof(err))) == NULL)
			break;
	/* The 256th place is still free (retry while the server accepts). */
	dl = wsc_now() + T;
	while (!served && wsc_now() < dl)
		if ((c = open_ws()) != NULL) {
			served = roundtrip(c, init_msg, "sessionId");
			wsc_close(c, 0);
		}
	ok(n == 255 && served, "with 255 clients held, one more is served");
	/* Take it, then one more is refused. */
	if ((raw[n] = wsc_connect_raw(url, wsc_now() + T, err,
	    sizeof(err))) != NULL)
		n++;
	/* A round trip on another client proves the server accepted it. */
	for (i = 0; i < 20 && !got503; i++) {
		memset(&h, 0, sizeof(h));
		c = wsc_connect(url, NULL, wsc_now() + T, &h, err, sizeof(err));
		got503 = c == NULL && h.status == 503;
		if (c)
			wsc_close(c, 0);
		wsc_http_free(&h);
	}
	for (i = 0; i < n; i++)
		wsc_close(raw[i], 0);
	ok(n == 256 && got503, "the 257th client is answered 503 (%d held)", n);
	served = 0;

	dl = wsc_now() + T;
	while (!served && wsc_now() < dl) {
		if ((c = open_ws()) != NULL) {
			served = roundtrip(c, init_msg, "sessionId");
			wsc_close(c, 0);
		}
	}
	ok(served, "once they leave, new clients are served");
}

/* The server pings every 30 s (LIM_WS_PING_MS), with an empty payload. */
static void
test_keepalive(void)
{
	struct wsc		*c, *slow;
	struct wsc_event	 ev;
	enum wsc_ev		 e;
	char			 err[256];
	int64_t			 t0 = wsc_now();

	/* Meanwhile, a client that never finishes its upgrade request. */
	if ((slow = wsc_connect_raw(url, t0 + T, err, sizeof(err))) != NULL)
		wsc_send_raw(slow, "GET / HTTP/1.1\r\n", 16, t0 + T);
	c = open_ws();
	do
		e = c != NULL ? wsc_recv(c, &ev, t0 + 35000) : WSC_EV_ERROR;
	while (e == WSC_EV_MESSAGE || e == WSC_EV_PONG);
	ok(e == WSC_EV_PING && ev.len == 0 && wsc_now() - t0 >= 29000,
	    "a ping arrives after 30 s (%lld ms)", (long long)(wsc_now() - t0));
	if (c)
		wsc_close(c, 0);
	e = slow != NULL ? wsc_recv(slow, &ev, t0 + 40000) : WSC_EV_ERROR;
	ok(e == WSC_EV_EOF && wsc_now() - t0 >= 29000,
	    "an unfinished upgrade request is dropped after 30 s (%lld ms)",
	    (long long)(wsc_now() - t0));
	if (slow)
		wsc_close(slow, 0);
}

/* Last: SIGTERM to the server sends every client a Close 1001. */
static void
test_shutdown(pid_t pid)
{
	struct wsc	*c;

	c = open_ws();
	ok(c != NULL && roundtrip(c, init_msg, "sessionId") &&
	    kill(pid, SIGTERM) == 0 && expect_close(c, 1001),
	    "SIGTERM: clients get a Close 1001 (going away)");
	if (c)
		wsc_close(c, 0);
}

int
main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: wsprobe ws://IP:PORT server-pid\n");
		return 2;
	}
	url = argv[1];
	test_http();
	test_close();
	test_messages();
	test_reset();
	test_limits();
	test_fairness();
	test_conn_limit();
	test_keepalive();
	test_shutdown((pid_t)atoi(argv[2]));
	return done_testing();
}
