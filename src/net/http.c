/*
 * http.c: read the one HTTP/1.x request a WebSocket listener gets, decide
 * the answer as the reference (axum + hyper) does, and write it.
 *
 * The parser takes the head from a byte range without copying; each call
 * rescans from the start, which is bounded by LIM_HTTP_HEADER.  Complete
 * lines are checked as they arrive so garbage is refused before the head
 * is finished.  Like hyper (httparse) it skips empty lines before the
 * request line, accepts bare LF line ends, and refuses obs-fold, control
 * characters (HTAB aside) and DEL in values, non-token field names,
 * whitespace before the colon, non-ASCII and a few more characters in the
 * target, any version but HTTP/1.0 and HTTP/1.1, a non-numeric or
 * conflicting Content-Length and a Transfer-Encoding not ending in
 * chunked (or any on HTTP/1.0).  A body is never read: the caller answers and closes (the
 * reference would 101 with a body too; the body bytes would then be
 * taken for WebSocket frames).
 *
 * The interesting fields keep their first occurrence, because axum's
 * HeaderMap::get() returns the first line: measured on the reference,
 * "Connection: keep-alive" then "Connection: Upgrade" is a 400 and
 * "Sec-WebSocket-Key: abc" then a second key answers for "abc".
 */
#include <stdint.h>
#include <string.h>

#include "base/b64.h"
#include "base/buf.h"
#include "base/lim.h"
#include "base/sha1.h"
#include "net/http.h"

#define WS_GUID	"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

int
http_is_tchar(int c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'))
		return 1;
	return c > 0 && c < 0x80 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static int
is_target(unsigned char c)
{
	return c > 0x20 && c < 0x7f;
}

/*
 * What hyper's URI parser refuses, measured: '<' '>' '`' before the
 * query, '"' '<' '>' in the query, nothing in a fragment.
 */
static int
target_ok(const char *p, size_t n)
{
	const char	*bad = "<>`";
	size_t		 i;

	for (i = 0; i < n && p[i] != '#'; i++) {
		if (p[i] == '?')
			bad = "\"<>";
		else if (strchr(bad, p[i]) != NULL)
			return 0;
	}
	return 1;
}

/* Field value bytes: HTAB, SP, VCHAR, obs-text. */
static int
is_vchar(unsigned char c)
{
	return c == '\t' || (c >= 0x20 && c != 0x7f);
}

static int
ows(char c)
{
	return c == ' ' || c == '\t';
}

/* Case-insensitive equality of a span and a C string. */
static int
span_eq(const char *p, size_t len, const char *s)
{
	size_t	 i;

	if (strlen(s) != len)
		return 0;
	for (i = 0; i < len; i++)
		if (lower((unsigned char)p[i]) != lower((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Case-insensitive: does (p, len) contain s anywhere? */
static int
span_contains(const char *p, size_t len, const char *s)
{
	size_t	 n = strlen(s), i;

	for (i = 0; n <= len && i <= len - n; i++)
		if (span_eq(p + i, n, s))
			return 1;
	return 0;
}

int
http_has_token(const char *p, size_t len, const char *tok)
{
	size_t	 i, s, e;

	for (i = 0; i <= len; i = e + 1) {
		for (e = i; e < len && p[e] != ','; e++)
			;
		for (s = i; s < e && ows(p[s]); s++)
			;
		while (e > s && ows(p[e - 1]))
			e--;
		if (span_eq(p + s, e - s, tok))
			return 1;
		while (e < len && p[e] != ',')
			e++;
	}
	return 0;
}

/* Request target → path: origin-form up to '?' or '#'; absolute-form
 * "scheme://authority/path" → its path ("/" when empty), as hyper does. */
static void
set_path(struct http_req *r)
{
	const char	*t = r->target.p, *end = t + r->target.len, *q;

	q = t;
	if (*t != '/') {
		while (q < end && (lower((unsigned char)*q) >= 'a' &&
		    lower((unsigned char)*q) <= 'z'))
			q++;
		if (q > t && end - q >= 3 && memcmp(q, "://", 3) == 0) {
			for (q += 3; q < end && *q != '/' && *q != '?' &&
			    *q != '#'; q++)
				;
			if (q == end || *q != '/') {
				r->path.p = "/";
				r->path.len = 1;
				return;
			}
		} else
			q = t;
	}
	r->path.p = q;
	while (q < end && *q != '?' && *q != '#')
		q++;
	r->path.len = (size_t)(q - r->path.p);
}

static int
parse_reqline(struct http_req *r, const char *p, size_t n)
{
	size_t	 i, j;

	for (i = 0; i < n && http_is_tchar((unsigned char)p[i]); i++)
		;
	if (i == 0 || i == n || p[i] != ' ')
		return -1;
	r->method.p = p;
	r->method.len = i;
	for (j = ++i; j < n && is_target((unsigned char)p[j]); j++)
		;
	if (j == i || j == n || p[j] != ' ' || !target_ok(p + i, j - i))
		return -1;
	r->target.p = p + i;
	r->target.len = j - i;
	j++;
	if (n - j != 8 || memcmp(p + j, "HTTP/1.", 7) != 0 ||
	    (p[j + 7] != '0' && p[j + 7] != '1'))
		return -1;
	r->minor = p[j + 7] - '0';
	set_path(r);
	return 0;
}

struct body_hdrs {
	int		 have_cl;
	uint64_t	 cl;
	struct http_span te;		/* last Transfer-Encoding line */
};

static int
parse_cl(const char *p, size_t n, uint64_t *v)
{
	size_t	 i;

	if (n == 0)
		return -1;
	*v = 0;
	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		if (*v > (UINT64_MAX - 9) / 10)
			return -1;
		*v = *v * 10 + (uint64_t)(p[i] - '0');
	}
	return 0;
}

static void
keep_first(struct http_span *s, const char *p, size_t n)
{
	if (s->p == NULL) {
		s->p = p;
		s->len = n;
	}
}

static int
parse_field(struct http_req *r, struct body_hdrs *b, const char *p,
    size_t n)
{
	const char	*v;
	size_t		 i, nl, vl;
	uint64_t	 cl;

	for (i = 0; i < n && http_is_tchar((unsigned char)p[i]); i++)
		;
	if (i == 0 || i == n || p[i] != ':')
		return -1;
	nl = i;
	for (i++; i < n && ows(p[i]); i++)
		;
	v = p + i;
	vl = n - i;
	while (vl > 0 && ows(v[vl - 1]))
		vl--;
	for (i = 0; i < vl; i++)
		if (!is_vchar((unsigned char)v[i]))
			return -1;

	if (span_eq(p, nl, "host")) {
		keep_first(&r->host, v, vl);
		r->nhost++;
	}
	else if (span_eq(p, nl, "connection"))
		keep_first(&r->connection, v, vl);
	else if (span_eq(p, nl, "upgrade"))
		keep_first(&r->upgrade, v, vl);
	else if (span_eq(p, nl, "sec-websocket-key"))
		keep_first(&r->ws_key, v, vl);
	else if (span_eq(p, nl, "sec-websocket-version"))
		keep_first(&r->ws_version, v, vl);
	else if (span_eq(p, nl, "origin"))
		keep_first(&r->origin, v, vl);
	else if (span_eq(p, nl, "authorization")) {
		keep_first(&r->authorization, v, vl);
		r->nauthorization++;
	}
	else if (span_eq(p, nl, "content-length")) {
		if (parse_cl(v, vl, &cl) == -1 || (b->have_cl && cl != b->cl))
			return -1;
		b->have_cl = 1;
		b->cl = cl;
	} else if (span_eq(p, nl, "transfer-encoding")) {
		b->te.p = v;
		b->te.len = vl;
	}
	return 0;
}

/* The last coding of a Transfer-Encoding list must be chunked. */
static int
te_ok(const struct http_req *r, const struct http_span *te)
{
	size_t	 s;

	if (te->p == NULL)
		return 1;
	if (r->minor == 0)
		return 0;
	for (s = te->len; s > 0 && te->p[s - 1] != ','; s--)
		;
	while (s < te->len && ows(te->p[s]))
		s++;
	return span_eq(te->p + s, te->len - s, "chunked");
}

int
http_req_parse(struct http_req *r, const char *p, size_t len)
{
	struct body_hdrs	 b;
	const char		*nl;
	size_t			 pos, lim, n, fields;
	int			 first;

	memset(r, 0, sizeof(*r));
	memset(&b, 0, sizeof(b));
	lim = len < LIM_HTTP_HEADER ? len : LIM_HTTP_HEADER;
	pos = 0;
	fields = 0;
	first = 1;
	for (;;) {
		nl = pos < lim ? memchr(p + pos, '\n', lim - pos) : NULL;
		if (nl == NULL)
			return len >= LIM_HTTP_HEADER ? HTTP_TOO_BIG :
			    HTTP_NEED_MORE;
		n = (size_t)(nl - (p + pos));
		if (n > 0 && p[pos + n - 1] == '\r')
			n--;
		if (first && n == 0) {
			/* Empty lines before the request line are skipped. */
			pos = (size_t)(nl - p) + 1;
			continue;
		}
		if (first) {
			if (parse_reqline(r, p + pos, n) == -1)
				return HTTP_BAD;
			first = 0;
		} else if (n == 0) {
			break;
		} else if (ows(p[pos])) {
			return HTTP_BAD;		/* obs-fold */
		} else {
			if (++fields > LIM_HTTP_FIELDS)
				return HTTP_TOO_BIG;
			if (parse_field(r, &b, p + pos, n) == -1)
				return HTTP_BAD;
		}
		pos = (size_t)(nl - p) + 1;
	}
	if (!te_ok(r, &b.te))
		return HTTP_BAD;
	/* axum: Connection contains "upgrade", Upgrade is "websocket". */
	r->conn_upgrade = r->connection.p != NULL &&
	    span_contains(r->connection.p, r->connection.len, "upgrade");
	r->upg_websocket = r->upgrade.p != NULL &&
	    span_eq(r->upgrade.p, r->upgrade.len, "websocket");
	r->head_len = (size_t)(nl - p) + 1;
	return (int)r->head_len;
}

static int
method_is(const struct http_req *r, const char *m)
{
	return r->method.len == strlen(m) &&
	    memcmp(r->method.p, m, r->method.len) == 0;
}

static int
path_is(const struct http_req *r, const char *s)
{
	return r->path.len == strlen(s) &&
	    memcmp(r->path.p, s, r->path.len) == 0;
}

/* The version answer names the one spoken (RFC 6455 §4.4). */
static const char bad_version[] =
    "`Sec-WebSocket-Version` header did not include '13'";

/*
 * The reference's order, measured: an Origin header (any value, any path)
 * is refused first; then /readyz, the router's 404, and axum's
 * WebSocketUpgrade checks in its order (method, Connection, Upgrade, key
 * present, version); HTTP/1.0 cannot upgrade in hyper (426).  The key's
 * form is not checked: any value, even empty, gets its accept hash.
 * Methods are case-sensitive.  Authentication comes after a 101 here and
 * is the caller's business (the reference checks it last as well).
 * Before all that, what the reference lets through: an HTTP/1.1 request
 * must carry exactly one Host (RFC 7230 §5.4).
 */
void
http_route(const struct http_req *r, struct http_answer *a)
{
	a->status = 400;
	a->body = "";
	if (r->minor == 1 && r->nhost != 1) {
		a->body = r->nhost == 0 ? "missing `Host` header" :
		    "more than one `Host` header";
	} else if (r->origin.p != NULL) {
		a->status = 403;
	} else if (path_is(r, "/readyz")) {
		a->status = method_is(r, "GET") || method_is(r, "HEAD") ?
		    200 : 405;
	} else if (!path_is(r, "/")) {
		a->status = 404;
	} else if (!method_is(r, "GET")) {
		a->status = 405;
		a->body = "Request method must be `GET`";
	} else if (!r->conn_upgrade) {
		a->body = "Connection header did not include 'upgrade'";
	} else if (!r->upg_websocket) {
		a->body = "`Upgrade` header did not include 'websocket'";
	} else if (r->ws_key.p == NULL) {
		a->body = "`Sec-WebSocket-Key` header missing";
	} else if (r->ws_version.p == NULL ||
	    r->ws_version.len != 2 || memcmp(r->ws_version.p, "13", 2) != 0) {
		a->body = bad_version;
	} else if (r->minor == 0) {
		a->status = 426;
		a->body = "WebSocket request couldn't be upgraded since no "
		    "upgrade state was present";
	} else
		a->status = 101;
}

static const char *
reason(int status)
{
	switch (status) {
	case 101:
		return "Switching Protocols";
	case 200:
		return "OK";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 408:
		return "Request Timeout";
	case 426:
		return "Upgrade Required";
	case 431:
		return "Request Header Fields Too Large";
	case 500:
		return "Internal Server Error";
	case 503:
		return "Service Unavailable";
	default:
		return "Unknown";
	}
}

/*
 * The reference's headers, lower-case as hyper writes them, without its
 * date header.  `r` may be NULL for an unparsable request (answered as
 * HTTP/1.1).  A 405 without a body is the /readyz one, which carries
 * "allow: GET,HEAD"; a HEAD request gets the headers without the body.
 */
void
http_answer_write(struct buf *out, const struct http_req *r,
    const struct http_answer *a)
{
	char		 acc[29];
	const char	*body = a->body != NULL ? a->body : "";
	size_t		 blen = strlen(body);

	if (a->status == 101) {
		http_ws_accept(r->ws_key.p, r->ws_key.len, acc);
		buf_adds(out, "HTTP/1.1 101 Switching Protocols\r\n"
		    "connection: upgrade\r\nupgrade: websocket\r\n"
		    "sec-websocket-accept: ");
		buf_adds(out, acc);
		buf_adds(out, "\r\n\r\n");
		return;
	}
	buf_addf(out, "HTTP/1.%d %d %s\r\nconnection: close\r\n",
	    r != NULL && r->minor == 0 ? 0 : 1, a->status, reason(a->status));
	if (a->status == 405 && blen == 0)
		buf_adds(out, "allow: GET,HEAD\r\n");
	if (a->body == bad_version)
		buf_adds(out, "sec-websocket-version: 13\r\n");
	if (a->status == 401)
		buf_adds(out, "www-authenticate: Bearer\r\n");
	if (blen > 0)
		buf_adds(out, "content-type: text/plain; charset=utf-8\r\n");
	buf_addf(out, "content-length: %zu\r\n\r\n", blen);
	if (r == NULL || r->method.p == NULL || !method_is(r, "HEAD"))
		buf_add(out, body, blen);
}

void
http_ws_accept(const char *key, size_t keylen, char out[29])
{
	struct sha1	 s;
	uint8_t		 d[SHA1_LEN];

	sha1_init(&s);
	sha1_update(&s, key, keylen);
	sha1_update(&s, WS_GUID, sizeof(WS_GUID) - 1);
	sha1_final(&s, d);
	b64_encode(out, d, SHA1_LEN);
	out[28] = '\0';
}
