/*
 * http_test.c: the upgrade request parser, the router (every answer was
 * measured on the reference, codex 0.169.0 exec-server), the response
 * writer and the accept key.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/lim.h"
#include "net/http.h"
#include "tap.h"

#define KEY	"dGhlIHNhbXBsZSBub25jZQ=="
#define UP	"Connection: Upgrade\r\nUpgrade: websocket\r\n" \
		"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " KEY "\r\n"
#define V13K	"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " KEY "\r\n"

static int
span_is(const struct http_span *s, const char *want)
{
	if (want == NULL)
		return s->p == NULL;
	return s->p != NULL && s->len == strlen(want) &&
	    memcmp(s->p, want, s->len) == 0;
}

static void
accept_key(void)
{
	static const char	*v[][2] = {
		/* RFC 6455 §1.3 (the RFC's own text has this value). */
		{ KEY, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" },
		/* The reference accepts any key; measured answers. */
		{ "abc", "zwKd5BnoWxQ6GxTxxSmBSHGHX9M=" },
		{ "", "Kfh9QIsMVZcl6xEPYxPHzW8SZ8w=" },
		{ "!!!! not base64 at all ####", "s2lM07x92Mp12Nt+jh5OVaST5yk=" },
	};
	char	 out[29];
	size_t	 i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		memset(out, 'x', sizeof(out));
		http_ws_accept(v[i][0], strlen(v[i][0]), out);
		ok(strcmp(out, v[i][1]) == 0, "accept(\"%s\") = %s", v[i][0],
		    out);
	}
}

static void
parse_good(void)
{
	static const char	 req[] = "GET /?token=x HTTP/1.1\r\n"
	    "Host: 127.0.0.1:9\r\n"
	    "connection:keep-alive, Upgrade  \r\n"
	    "Connection: close\r\n"
	    "UPGRADE: \t websocket\r\n"
	    "Sec-WebSocket-Version: 13\r\n"
	    "sec-websocket-key:   " KEY "   \r\n"
	    "Sec-WebSocket-Key: second\r\n"
	    "Authorization: Bearer tok\r\n"
	    "X-Other: \x80\xff obs-text\tand tab\r\n"
	    "\r\n"
	    "\x81\x80";		/* a frame already arrived */
	struct http_req		 r;
	int			 n;

	n = http_req_parse(&r, req, sizeof(req) - 1);
	ok(n == (int)sizeof(req) - 3, "parse: head length %d", n);
	ok((size_t)n == r.head_len, "head_len == return value");
	ok(span_is(&r.method, "GET") && span_is(&r.target, "/?token=x") &&
	    span_is(&r.path, "/") && r.minor == 1, "request line");
	ok(span_is(&r.host, "127.0.0.1:9"), "host");
	ok(span_is(&r.connection, "keep-alive, Upgrade") && r.conn_upgrade,
	    "first Connection line, trimmed, contains upgrade");
	ok(span_is(&r.upgrade, "websocket") && r.upg_websocket,
	    "Upgrade trimmed of SP and HTAB");
	ok(span_is(&r.ws_key, KEY), "first key, trimmed");
	ok(span_is(&r.ws_version, "13"), "version");
	ok(span_is(&r.authorization, "Bearer tok"), "authorization");
	ok(span_is(&r.origin, NULL), "no origin");
}

static void
prefixes(void)
{
	static const char	 req[] = "\r\nGET /readyz HTTP/1.1\r\n"
	    "Host: x\r\n" UP "\r\n";
	struct http_req		 r;
	size_t			 i, n = sizeof(req) - 1, bad;
	int			 got;

	bad = 0;
	for (i = 0; i < n; i++)
		if ((got = http_req_parse(&r, req, i)) != HTTP_NEED_MORE) {
			diag("prefix %zu: %d", i, got);
			bad++;
		}
	ok(bad == 0, "every proper prefix of %zu bytes needs more", n);
	ok(http_req_parse(&r, req, n) == (int)n, "whole head parses");
	ok(http_req_parse(&r, NULL, 0) == HTTP_NEED_MORE, "empty input");
}

static void
parse_forms(void)
{
	static const struct {
		const char	*req;
		const char	*path;
		int		 minor;
	} v[] = {
		{ "GET / HTTP/1.1\n" "Host: x\n" "\n", "/", 1 },
		{ "GET /readyz HTTP/1.0\r\n\r\n", "/readyz", 0 },
		{ "GET /readyz HTTP/1.1\r\nHost: x\r\n\n", "/readyz", 1 },
		{ "GET /readyz HTTP/1.1\nHost: x\n\r\n", "/readyz", 1 },
		{ "\r\n\r\n\nGET /a?b?c HTTP/1.1\r\n\r\n", "/a", 1 },
		{ "GET /readyz#frag HTTP/1.1\r\n\r\n", "/readyz", 1 },
		{ "GET http://x/ HTTP/1.1\r\n\r\n", "/", 1 },
		{ "GET http://x HTTP/1.1\r\n\r\n", "/", 1 },
		{ "GET http://x?a HTTP/1.1\r\n\r\n", "/", 1 },
		{ "GET ws://h:1/readyz?q HTTP/1.1\r\n\r\n", "/readyz", 1 },
		{ "GET readyz HTTP/1.1\r\n\r\n", "readyz", 1 },
		{ "OPTIONS * HTTP/1.1\r\n\r\n", "*", 1 },
		{ "GET /a{}|\\^\"[]%25?` HTTP/1.1\r\n\r\n", "/a{}|\\^\"[]%25", 1 },
		{ "GET /a#<>\"` HTTP/1.1\r\n\r\n", "/a", 1 },
		{ "GET / HTTP/1.1\r\nX:\r\nY:a\r\n\r\n", "/", 1 },
		{ "GET / HTTP/1.1\r\nX-#$%&'*+.^_`|~: a\r\n\r\n", "/", 1 },
		{ "GET / HTTP/1.1\r\nContent-Length: 0\r\n"
		    "Content-Length: 0\r\n\r\n", "/", 1 },
		{ "GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello", "/", 1 },
		{ "GET / HTTP/1.1\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n",
		    "/", 1 },
	};
	struct http_req		 r;
	size_t			 i;
	int			 n;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		n = http_req_parse(&r, v[i].req, strlen(v[i].req));
		ok(n > 0 && span_is(&r.path, v[i].path) &&
		    r.minor == v[i].minor, "parses %zu: path \"%.*s\"", i,
		    n > 0 ? (int)r.path.len : 0, n > 0 ? r.path.p : "");
	}
}

static void
parse_bad(void)
{
	static const char	*v[] = {
		"HELLO\r\n\r\n",
		"HELLO\r\n",				/* refused early */
		"GET / HTTP/1.1\r\nX\x01Y: a\r\n",	/* refused early */
		"GET / HTTP/2.0\r\n\r\n",
		"GET / HTTP/1.2\r\n\r\n",
		"GET / HTTP/1.10\r\n\r\n",
		"GET / HTTP/0.9\r\n\r\n",
		"GET / HTTP/1.\r\n\r\n",
		"GET / http/1.1\r\n\r\n",
		"GET  / HTTP/1.1\r\n\r\n",
		"GET / HTTP/1.1 \r\n\r\n",
		"GET\t/ HTTP/1.1\r\n\r\n",
		" / HTTP/1.1\r\n\r\n",
		"GET  HTTP/1.1\r\n\r\n",
		"GET /\r\n\r\n",
		"GET\r\n\r\n",
		"G(T / HTTP/1.1\r\n\r\n",
		"GET /a b HTTP/1.1\r\n\r\n",
		"GET /a?\"b HTTP/1.1\r\n\r\n",
		"GET /a`b HTTP/1.1\r\n\r\n",
		"GET /a?b<c HTTP/1.1\r\n\r\n",
		"GET /a<b HTTP/1.1\r\n\r\n",
		"GET /a>b HTTP/1.1\r\n\r\n",
		"GET /a\x01 HTTP/1.1\r\n\r\n",
		"GET /a\x7f HTTP/1.1\r\n\r\n",
		"GET /\xff HTTP/1.1\r\n\r\n",
		"GET / HTTP/1.1\r\r\n\r\n",
		"GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n",	/* obs-fold */
		"GET / HTTP/1.1\r\nX: a\r\n\tb\r\n\r\n",
		"GET / HTTP/1.1\r\n Host: x\r\n\r\n",
		"GET / HTTP/1.1\r\nX: a\rb\r\n\r\n",
		"GET / HTTP/1.1\r\nX: a\x01b\r\n\r\n",
		"GET / HTTP/1.1\r\nX: a\x7f\r\n\r\n",
		"GET / HTTP/1.1\r\nXA\r\n\r\n",
		"GET / HTTP/1.1\r\nX-A : b\r\n\r\n",
		"GET / HTTP/1.1\r\nX-A\t: b\r\n\r\n",
		"GET / HTTP/1.1\r\n: b\r\n\r\n",
		"GET / HTTP/1.1\r\nX(A): b\r\n\r\n",
		"GET / HTTP/1.1\r\nX/A: b\r\n\r\n",
		"GET / HTTP/1.1\r\nX=A: b\r\n\r\n",
		"GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n",
		"GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
		"GET / HTTP/1.1\r\nContent-Length: +0\r\n\r\n",
		"GET / HTTP/1.1\r\nContent-Length: 0, 0\r\n\r\n",
		"GET / HTTP/1.1\r\nContent-Length:\r\n\r\n",
		"GET / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n",
		"GET / HTTP/1.1\r\nContent-Length: 0\r\nContent-Length: 1\r\n\r\n",
		"GET / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
		"GET / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
		"GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
	};
	struct http_req		 r;
	size_t			 i;
	int			 n;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		n = http_req_parse(&r, v[i], strlen(v[i]));
		ok(n == HTTP_BAD, "bad %zu: %d", i, n);
	}
	n = http_req_parse(&r, "GET / HTTP/1.1\r\nX: a\0b\r\n\r\n", 25);
	ok(n == HTTP_BAD, "NUL in a value");
	n = http_req_parse(&r, "GET /\0 HTTP/1.1\r\n\r\n", 19);
	ok(n == HTTP_BAD, "NUL in the target");
}

static void
limits(void)
{
	struct buf	 b = { 0 };
	struct http_req	 r;
	size_t		 i;
	int		 n;

	/* A head of exactly LIM_HTTP_HEADER bytes is fine, one more not. */
	buf_adds(&b, "GET / HTTP/1.1\r\nX: ");
	while (buf_used(&b) < LIM_HTTP_HEADER - 4)
		buf_addc(&b, 'a');
	buf_adds(&b, "\r\n\r\n");
	n = http_req_parse(&r, buf_data(&b), buf_used(&b));
	ok(n == LIM_HTTP_HEADER, "head of exactly the limit: %d", n);
	b.len -= 4;
	buf_adds(&b, "a\r\n\r\n");
	n = http_req_parse(&r, buf_data(&b), buf_used(&b));
	ok(n == HTTP_TOO_BIG, "one byte over the limit: %d", n);
	n = http_req_parse(&r, buf_data(&b), LIM_HTTP_HEADER);
	ok(n == HTTP_TOO_BIG, "limit reached without the end: %d", n);
	n = http_req_parse(&r, buf_data(&b), LIM_HTTP_HEADER - 1);
	ok(n == HTTP_NEED_MORE, "just under the limit still needs more");

	/* Endless empty lines count too. */
	buf_reset(&b);
	for (i = 0; i < LIM_HTTP_HEADER; i++)
		buf_addc(&b, '\n');
	n = http_req_parse(&r, buf_data(&b), buf_used(&b));
	ok(n == HTTP_TOO_BIG, "a flood of empty lines");

	/* LIM_HTTP_FIELDS fields are fine, one more is too many. */
	buf_reset(&b);
	buf_adds(&b, "GET / HTTP/1.1\r\n");
	for (i = 0; i < LIM_HTTP_FIELDS; i++)
		buf_addf(&b, "X-%zu: a\r\n", i);
	buf_adds(&b, "\r\n");
	n = http_req_parse(&r, buf_data(&b), buf_used(&b));
	ok(n > 0, "%d fields", LIM_HTTP_FIELDS);
	b.len -= 2;
	buf_adds(&b, "X-last: a\r\n");
	n = http_req_parse(&r, buf_data(&b), buf_used(&b));
	ok(n == HTTP_TOO_BIG, "%d fields: too big, before the end",
	    LIM_HTTP_FIELDS + 1);
	ok(!b.oom, "no allocation failure");
	buf_free(&b);
}

static void
tokens(void)
{
	static const struct {
		const char	*list;
		const char	*tok;
		int		 want;
	} v[] = {
		{ "Upgrade", "upgrade", 1 },
		{ "keep-alive, Upgrade", "upgrade", 1 },
		{ "keep-alive,Upgrade", "upgrade", 1 },
		{ "  UPGRADE  ,x", "upgrade", 1 },
		{ "a, b,\tupgrade\t", "upgrade", 1 },
		{ ",,upgrade,,", "upgrade", 1 },
		{ "notupgrade", "upgrade", 0 },
		{ "upgrade2", "upgrade", 0 },
		{ "up grade", "upgrade", 0 },
		{ "", "upgrade", 0 },
		{ "keep-alive", "upgrade", 0 },
		{ "websocket, h2c", "websocket", 1 },
	};
	size_t	 i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		ok(http_has_token(v[i].list, strlen(v[i].list), v[i].tok) ==
		    v[i].want, "has_token(\"%s\", %s) == %d", v[i].list,
		    v[i].tok, v[i].want);
}

/* Requests and the reference's answers (status, body). */
static const struct {
	const char	*req;
	int		 status;
	const char	*body;
} routes[] = {
	{ "GET / HTTP/1.1\r\nHost: x\r\n" UP "\r\n", 101, "" },
	{ "GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n", 200, "" },
	{ "HEAD /readyz HTTP/1.1\r\n\r\n", 200, "" },
	{ "GET /readyz?a=b HTTP/1.1\r\n\r\n", 200, "" },
	{ "GET /readyz HTTP/1.0\r\n\r\n", 200, "" },
	{ "GET ws://x/readyz HTTP/1.1\r\n\r\n", 200, "" },
	{ "POST /readyz HTTP/1.1\r\nContent-Length: 0\r\n\r\n", 405, "" },
	{ "DELETE /readyz HTTP/1.1\r\n\r\n", 405, "" },
	{ "get /readyz HTTP/1.1\r\n\r\n", 405, "" },
	{ "GET /other HTTP/1.1\r\n\r\n", 404, "" },
	{ "GET /other HTTP/1.1\r\n" UP "\r\n", 404, "" },
	{ "GET /readyz/ HTTP/1.1\r\n\r\n", 404, "" },
	{ "GET /READYZ HTTP/1.1\r\n\r\n", 404, "" },
	{ "GET /%72eadyz HTTP/1.1\r\n\r\n", 404, "" },
	{ "GET // HTTP/1.1\r\n" UP "\r\n", 404, "" },
	{ "GET readyz HTTP/1.1\r\n\r\n", 404, "" },
	{ "OPTIONS * HTTP/1.1\r\n\r\n", 404, "" },
	{ "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 400,
	    "Connection header did not include 'upgrade'" },
	{ "GET / HTTP/1.1\r\nUpgrade: websocket\r\n" V13K "\r\n", 400,
	    "Connection header did not include 'upgrade'" },
	{ "GET / HTTP/1.1\r\nConnection: keep-alive\r\nConnection: Upgrade\r\n"
	    "Upgrade: websocket\r\n" V13K "\r\n", 400,
	    "Connection header did not include 'upgrade'" },
	{ "GET / HTTP/1.1\r\nConnection: Upgrade\r\nConnection: keep-alive\r\n"
	    "Upgrade: websocket\r\n" V13K "\r\n", 101, "" },
	{ "GET / HTTP/1.1\r\nConnection: keep-alive, Upgrade\r\n"
	    "Upgrade: websocket\r\n" V13K "\r\n", 101, "" },
	/* axum matches a substring of the first Connection line. */
	{ "GET / HTTP/1.1\r\nConnection: notupgradeX\r\n"
	    "Upgrade: websocket\r\n" V13K "\r\n", 101, "" },
	{ "GET / HTTP/1.1\r\nConnection: UPGRADE\r\nUpgrade: WebSocket\r\n"
	    V13K "\r\n", 101, "" },
	{ "GET / HTTP/1.1\r\nConnection: Upgrade\r\n" V13K "\r\n", 400,
	    "`Upgrade` header did not include 'websocket'" },
	/* Upgrade must be exactly "websocket" on its first line. */
	{ "GET / HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket, h2c\r\n"
	    V13K "\r\n", 400, "`Upgrade` header did not include 'websocket'" },
	{ "GET / HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n"
	    "Upgrade: websocket\r\n" V13K "\r\n", 400,
	    "`Upgrade` header did not include 'websocket'" },
	{ "GET / HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
	    "Upgrade: h2c\r\n" V13K "\r\n", 101, "" },
	{ "GET / HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
	    "Sec-WebSocket-Key: " KEY "\r\n\r\n", 400,
	    "`Sec-WebSocket-Version` header did not include '13'" },
	{ "GET / HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
	    "Sec-WebSocket-Version: 8\r\nSec-WebSocket-Key: " KEY "\r\n\r\n",
	    400, "`Sec-WebSocket-Version` header did not include '13'" },
	{ "GET / HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
	    "Sec-WebSocket-Version: 13, 8\r\nSec-WebSocket-Key: " KEY
	    "\r\n\r\n", 400,
	    "`Sec-WebSocket-Version` header did not include '13'" },
	{ "GET / HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
	    "Sec-WebSocket-Version: 8\r\nSec-WebSocket-Version: 13\r\n"
	    "Sec-WebSocket-Key: " KEY "\r\n\r\n", 400,
	    "`Sec-WebSocket-Version` header did not include '13'" },
	{ "GET / HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
	    "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Version: 8\r\n"
	    "Sec-WebSocket-Key: " KEY "\r\n\r\n", 101, "" },
	{ "GET / HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
	    "Sec-WebSocket-Version:   13  \r\nSec-WebSocket-Key: " KEY
	    "\r\n\r\n", 101, "" },
	{ "GET / HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
	    "Sec-WebSocket-Version: 13\r\n\r\n", 400,
	    "`Sec-WebSocket-Key` header missing" },
	{ "GET / HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
	    400, "`Sec-WebSocket-Key` header missing" },
	{ "GET / HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
	    "Sec-WebSocket-Version: 8\r\n\r\n", 400,
	    "`Sec-WebSocket-Key` header missing" },
	{ "GET / HTTP/1.0\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
	    "Sec-WebSocket-Version: 8\r\nSec-WebSocket-Key: x\r\n\r\n", 400,
	    "`Sec-WebSocket-Version` header did not include '13'" },
	{ "GET / HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
	    "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key:\r\n\r\n", 101, "" },
	{ "POST / HTTP/1.1\r\n" UP "\r\n", 405, "Request method must be `GET`" },
	{ "POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n", 405,
	    "Request method must be `GET`" },
	{ "PUT / HTTP/1.1\r\n\r\n", 405, "Request method must be `GET`" },
	{ "HEAD / HTTP/1.1\r\n" UP "\r\n", 405,
	    "Request method must be `GET`" },
	{ "get / HTTP/1.1\r\n" UP "\r\n", 405, "Request method must be `GET`" },
	{ "GET / HTTP/1.1\r\nOrigin: http://evil\r\n" UP "\r\n", 403, "" },
	{ "GET / HTTP/1.1\r\nOrigin: http://evil\r\n\r\n", 403, "" },
	{ "GET / HTTP/1.1\r\nOrigin: \r\n" UP "\r\n", 403, "" },
	{ "GET / HTTP/1.1\r\norigin: null\r\n" UP "\r\n", 403, "" },
	{ "GET /readyz HTTP/1.1\r\nOrigin: x\r\n\r\n", 403, "" },
	{ "GET /other HTTP/1.1\r\nOrigin: x\r\n\r\n", 403, "" },
	{ "POST / HTTP/1.1\r\nOrigin: x\r\n" UP "\r\n", 403, "" },
	{ "GET / HTTP/1.0\r\nOrigin: x\r\n" UP "\r\n", 403, "" },
	{ "GET / HTTP/1.1\r\nSec-WebSocket-Origin: x\r\n" UP "\r\n", 101, "" },
	{ "GET / HTTP/1.0\r\n" UP "\r\n", 426, "WebSocket request couldn't be "
	    "upgraded since no upgrade state was present" },
	{ "GET / HTTP/1.0\r\nUpgrade: websocket\r\n\r\n", 400,
	    "Connection header did not include 'upgrade'" },
	{ "GET / HTTP/1.0\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
	    "Sec-WebSocket-Version: 13\r\n\r\n", 400,
	    "`Sec-WebSocket-Key` header missing" },
	{ "GET /?token=x HTTP/1.1\r\n" UP "\r\n", 101, "" },
	{ "GET http://x/ HTTP/1.1\r\n" UP "\r\n", 101, "" },
	{ "GET http://x HTTP/1.1\r\n" UP "\r\n", 101, "" },
	{ "GET http://x?a HTTP/1.1\r\n\r\n", 400,
	    "Connection header did not include 'upgrade'" },
	{ "GET / HTTP/1.1\n" "Connection: Upgrade\nUpgrade: websocket\n"
	    "Sec-WebSocket-Version: 13\nSec-WebSocket-Key: " KEY "\n\n",
	    101, "" },
	{ "GET / HTTP/1.1\r\nContent-Length: 5\r\n" UP "\r\nhello", 101, "" },
	{ "GET / HTTP/1.1\r\nAuthorization: Bearer x\r\n\r\n", 400,
	    "Connection header did not include 'upgrade'" },
};

/*
 * The table's requests are about other fields: an HTTP/1.1 one gets the
 * Host it must carry (RFC 7230 §5.4) right after its request line; the
 * Host rule itself has its own table below.
 */
static const char *
with_host(const char *req, char *out, size_t outlen)
{
	const char	*nl = strchr(req, '\n');

	if (nl == NULL || strstr(req, "HTTP/1.1") == NULL ||
	    strstr(req, "HTTP/1.1") > nl || strcasestr(req, "\nhost:") != NULL)
		return req;
	snprintf(out, outlen, "%.*sHost: x\r\n%s", (int)(nl + 1 - req), req,
	    nl + 1);
	return out;
}

static const struct {
	const char	*req;
	int		 status;
	const char	*body;
} hosts[] = {
	{ "GET / HTTP/1.1\r\n" UP "\r\n", 400, "missing `Host` header" },
	{ "GET /readyz HTTP/1.1\r\n\r\n", 400, "missing `Host` header" },
	{ "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n" UP "\r\n", 400,
	    "more than one `Host` header" },
	{ "GET / HTTP/1.1\r\nhost: a\r\nHOST: a\r\n" UP "\r\n", 400,
	    "more than one `Host` header" },
	{ "GET / HTTP/1.1\r\nOrigin: x\r\n" UP "\r\n", 400,
	    "missing `Host` header" },
	{ "GET / HTTP/1.1\r\nHost:\r\n" UP "\r\n", 101, "" },
	{ "GET / HTTP/1.0\r\n" UP "\r\n", 426, "WebSocket request couldn't "
	    "be upgraded since no upgrade state was present" },
	{ "GET /readyz HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", 200, "" },
};

static void
route(void)
{
	struct http_req		 r;
	struct http_answer	 a;
	char			 b[1024];
	const char		*req;
	size_t			 i;
	int			 n;

	for (i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
		n = http_req_parse(&r, hosts[i].req, strlen(hosts[i].req));
		memset(&a, 0, sizeof(a));
		if (n > 0)
			http_route(&r, &a);
		ok(n > 0 && a.status == hosts[i].status && a.body != NULL &&
		    strcmp(a.body, hosts[i].body) == 0,
		    "Host %zu: %d \"%s\"", i, a.status,
		    a.body ? a.body : "(null)");
	}
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		req = with_host(routes[i].req, b, sizeof(b));
		n = http_req_parse(&r, req, strlen(req));
		if (n <= 0) {
			ok(0, "route %zu parses (%d)", i, n);
			continue;
		}
		memset(&a, 0, sizeof(a));
		http_route(&r, &a);
		ok(a.status == routes[i].status && a.body != NULL &&
		    strcmp(a.body, routes[i].body) == 0,
		    "route %zu: %d \"%s\"", i, a.status,
		    a.body ? a.body : "(null)");
	}
}

static int
answer_is(const char *req, const char *want)
{
	struct buf		 b = { 0 };
	struct http_req		 r;
	struct http_answer	 a;
	char			 hb[1024];
	int			 n, same;

	req = with_host(req, hb, sizeof(hb));
	if ((n = http_req_parse(&r, req, strlen(req))) <= 0)
		return 0;
	http_route(&r, &a);
	http_answer_write(&b, &r, &a);
	same = !b.oom && buf_used(&b) == strlen(want) &&
	    memcmp(buf_data(&b), want, buf_used(&b)) == 0;
	if (!same)
		diag("got \"%.*s\"", (int)buf_used(&b), buf_data(&b));
	buf_free(&b);
	return same;
}

static void
answers(void)
{
	struct buf		 b = { 0 };
	struct http_answer	 a;

	ok(answer_is("GET / HTTP/1.1\r\n" UP "\r\n",
	    "HTTP/1.1 101 Switching Protocols\r\n"
	    "connection: upgrade\r\nupgrade: websocket\r\n"
	    "sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"),
	    "101 answer");
	ok(answer_is("GET / HTTP/1.1\r\nConnection: Upgrade\r\n"
	    "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
	    "Sec-WebSocket-Key: abc\r\nSec-WebSocket-Key: " KEY "\r\n\r\n",
	    "HTTP/1.1 101 Switching Protocols\r\n"
	    "connection: upgrade\r\nupgrade: websocket\r\n"
	    "sec-websocket-accept: zwKd5BnoWxQ6GxTxxSmBSHGHX9M=\r\n\r\n"),
	    "101 answers the first key");
	ok(answer_is("GET /readyz HTTP/1.1\r\n\r\n",
	    "HTTP/1.1 200 OK\r\nconnection: close\r\n"
	    "content-length: 0\r\n\r\n"), "200 readyz");
	ok(answer_is("GET /readyz HTTP/1.0\r\n\r\n",
	    "HTTP/1.0 200 OK\r\nconnection: close\r\n"
	    "content-length: 0\r\n\r\n"), "HTTP/1.0 answered as 1.0");
	ok(answer_is("POST /readyz HTTP/1.1\r\n\r\n",
	    "HTTP/1.1 405 Method Not Allowed\r\nconnection: close\r\n"
	    "allow: GET,HEAD\r\ncontent-length: 0\r\n\r\n"), "405 readyz");
	ok(answer_is("GET /x HTTP/1.1\r\n\r\n",
	    "HTTP/1.1 404 Not Found\r\nconnection: close\r\n"
	    "content-length: 0\r\n\r\n"), "404");
	ok(answer_is("GET / HTTP/1.1\r\nOrigin: o\r\n\r\n",
	    "HTTP/1.1 403 Forbidden\r\nconnection: close\r\n"
	    "content-length: 0\r\n\r\n"), "403");
	ok(answer_is("GET / HTTP/1.1\r\n\r\n",
	    "HTTP/1.1 400 Bad Request\r\nconnection: close\r\n"
	    "content-type: text/plain; charset=utf-8\r\n"
	    "content-length: 43\r\n\r\n"
	    "Connection header did not include 'upgrade'"), "400 with body");
	ok(answer_is("POST / HTTP/1.1\r\n\r\n",
	    "HTTP/1.1 405 Method Not Allowed\r\nconnection: close\r\n"
	    "content-type: text/plain; charset=utf-8\r\n"
	    "content-length: 28\r\n\r\nRequest method must be `GET`"),
	    "405 on /");
	ok(answer_is("HEAD / HTTP/1.1\r\n\r\n",
	    "HTTP/1.1 405 Method Not Allowed\r\nconnection: close\r\n"
	    "content-type: text/plain; charset=utf-8\r\n"
	    "content-length: 28\r\n\r\n"), "HEAD: no body");
	ok(answer_is("GET / HTTP/1.0\r\n" UP "\r\n",
	    "HTTP/1.0 426 Upgrade Required\r\nconnection: close\r\n"
	    "content-type: text/plain; charset=utf-8\r\n"
	    "content-length: 73\r\n\r\nWebSocket request couldn't be "
	    "upgraded since no upgrade state was present"), "426");
	ok(answer_is("GET / HTTP/1.1\r\nConnection: Upgrade\r\n"
	    "Upgrade: websocket\r\nSec-WebSocket-Version: 8\r\n"
	    "Sec-WebSocket-Key: " KEY "\r\n\r\n",
	    "HTTP/1.1 400 Bad Request\r\nconnection: close\r\n"
	    "sec-websocket-version: 13\r\n"
	    "content-type: text/plain; charset=utf-8\r\n"
	    "content-length: 51\r\n\r\n"
	    "`Sec-WebSocket-Version` header did not include '13'"),
	    "400 for a version names 13 (RFC 6455 4.4)");
	ok(answer_is("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
	    "HTTP/1.1 400 Bad Request\r\nconnection: close\r\n"
	    "content-type: text/plain; charset=utf-8\r\n"
	    "content-length: 27\r\n\r\nmore than one `Host` header"),
	    "400 for two Host fields");

	/* Unparsable requests: no request, hyper's answers. */
	a.status = 400;
	a.body = "";
	http_answer_write(&b, NULL, &a);
	a.status = 431;
	http_answer_write(&b, NULL, &a);
	a.status = 401;
	a.body = "missing websocket bearer token";
	http_answer_write(&b, NULL, &a);
	ok(!b.oom && buf_used(&b) == strlen(
	    "HTTP/1.1 400 Bad Request\r\nconnection: close\r\n"
	    "content-length: 0\r\n\r\n"
	    "HTTP/1.1 431 Request Header Fields Too Large\r\n"
	    "connection: close\r\ncontent-length: 0\r\n\r\n"
	    "HTTP/1.1 401 Unauthorized\r\nconnection: close\r\n"
	    "www-authenticate: Bearer\r\n"
	    "content-type: text/plain; charset=utf-8\r\n"
	    "content-length: 30\r\n\r\nmissing websocket bearer token") &&
	    memcmp(buf_data(&b),
	    "HTTP/1.1 400 Bad Request\r\nconnection: close\r\n"
	    "content-length: 0\r\n\r\n"
	    "HTTP/1.1 431 Request Header Fields Too Large\r\n"
	    "connection: close\r\ncontent-length: 0\r\n\r\n"
	    "HTTP/1.1 401 Unauthorized\r\nconnection: close\r\n"
	    "www-authenticate: Bearer\r\n"
	    "content-type: text/plain; charset=utf-8\r\n"
	    "content-length: 30\r\n\r\nmissing websocket bearer token",
	    buf_used(&b)) == 0, "400, 431 and 401 without a request");
	buf_free(&b);
}

/* Random bytes never crash the parser and never claim more than given. */
static void
garbage(void)
{
	static const char	 alpha[] = "GET /\r\n: HTTP/1.1aZ\t\x01\x80";
	char			 s[256];
	struct http_req		 r;
	unsigned int		 seed = 1;
	size_t			 i, j, n, bad;
	int			 got;

	bad = 0;
	for (i = 0; i < 20000; i++) {
		seed = seed * 1103515245 + 12345;
		n = (seed >> 16) % sizeof(s);
		for (j = 0; j < n; j++) {
			seed = seed * 1103515245 + 12345;
			s[j] = alpha[(seed >> 16) % (sizeof(alpha) - 1)];
		}
		got = http_req_parse(&r, s, n);
		if (got > (int)n || got < HTTP_TOO_BIG)
			bad++;
	}
	ok(bad == 0, "20000 random inputs");
}

int
main(void)
{
	accept_key();
	parse_good();
	prefixes();
	parse_forms();
	parse_bad();
	limits();
	tokens();
	route();
	answers();
	garbage();
	return done_testing();
}
