/*
 * uri.c: file:// URIs, from paths and to paths.
 *
 * Encoding follows the WHATWG path percent-encode set plus '%' (what
 * Rust's url crate does for Url::from_file_path): C0 controls, space,
 * '"', '#', '<', '>', '?', '`', '{', '}', '%', '\\', DEL and every
 * non-ASCII byte become %XX ('\\' too: the url crate's special-scheme
 * segment set; the reference sends "back%5Cslash"); '/' separates segments.  Decoding parses the file
 * scheme as a WHATWG URL parser does, then applies the reference's checks
 * (no query, no fragment, no other host, no NUL byte).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <string.h>
#include <strings.h>

#include "uri.h"

static int
must_escape(unsigned char c)
{
	if (c <= 0x20 || c >= 0x7f)
		return 1;
	switch (c) {
	case '"': case '#': case '<': case '>': case '?':
	case '`': case '{': case '}': case '%': case '\\':
		return 1;
	}
	return 0;
}

void
uri_from_path(struct buf *b, const char *path, size_t len)
{
	static const char	 hex[] = "0123456789ABCDEF";
	size_t			 i;
	unsigned char		 c;

	buf_adds(b, "file://");
	for (i = 0; i < len; i++) {
		c = (unsigned char)path[i];
		if (must_escape(c)) {
			buf_addc(b, '%');
			buf_addc(b, hex[c >> 4]);
			buf_addc(b, hex[c & 15]);
		} else
			buf_addc(b, (char)c);
	}
}

/* --- file:// URI to path ------------------------------------------------- */

#define URI_BAD_REQUEST	(-32600)
#define URI_BAD_PARAMS	(-32602)

static int
is_slash(char c)
{
	return c == '/' || c == '\\';
}

static int
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Append s[0..n) with %XX sequences decoded (invalid ones kept as is). */
static void
pct_decode(struct buf *b, const char *s, size_t n)
{
	size_t	 i;
	int	 h, l;

	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && (h = hexval(s[i + 1])) >= 0 &&
		    (l = hexval(s[i + 2])) >= 0) {
			buf_addc(b, (char)(h << 4 | l));
			i += 2;
		} else
			buf_addc(b, s[i]);
	}
}

/* Length of a "." spelling ("." or "%2e") at the start of s, or 0. */
static size_t
dot_len(const char *s, size_t n)
{
	if (n >= 1 && s[0] == '.')
		return 1;
	if (n >= 3 && s[0] == '%' && s[1] == '2' && (s[2] == 'e' || s[2] == 'E'))
		return 3;
	return 0;
}

static int
is_dot(const char *s, size_t n)
{
	return n > 0 && dot_len(s, n) == n;
}

static int
is_dotdot(const char *s, size_t n)
{
	size_t	 k = dot_len(s, n);

	return k > 0 && k < n && dot_len(s + k, n - k) == n - k;
}

#define HOST_BAD	(-1)	/* not a domain */
#define HOST_BAD_V4	(-2)	/* ends in a number, but not an IPv4 address */
#define HOST_BAD_V6	(-3)	/* [...] that is not an IPv6 address */

/*
 * A special scheme (WHATWG URL) whose authority is empty: "http:",
 * "https:///x".  The URL parser fails there with "empty host" before the
 * scheme is ever looked at.
 */
static int
special_empty_host(const char *p, size_t i, size_t n)
{
	static const char *const special[] = {
		"http", "https", "ws", "wss", "ftp", NULL
	};
	size_t	 k, j;

	for (k = 0; special[k] != NULL; k++)
		if (strlen(special[k]) == i &&
		    strncasecmp(p, special[k], i) == 0)
			break;
	if (special[k] == NULL)
		return 0;
	for (j = i + 1; j < n && is_slash(p[j]); j++)
		;
	return j == n || p[j] == '?' || p[j] == '#';
}

/*
 * WHATWG's "ends in a number": the last label (a trailing dot ignored)
 * is all digits, or 0x and hex digits.  Such a host must be an IPv4
 * address in inet_aton's forms (1 to 4 parts, decimal, octal or hex).
 */
static int
ends_in_number(const char *h, size_t n)
{
	size_t	 b, i;

	if (n > 0 && h[n - 1] == '.')
		n--;
	for (b = n; b > 0 && h[b - 1] != '.'; b--)
		;
	if (b == n)
		return 0;
	if (n - b >= 2 && h[b] == '0' && (h[b + 1] == 'x' || h[b + 1] == 'X')) {
		for (i = b + 2; i < n; i++)
			if (!isxdigit((unsigned char)h[i]))
				return 0;
		return 1;
	}
	for (i = b; i < n; i++)
		if (h[i] < '0' || h[i] > '9')
			return 0;
	return 1;
}

/*
 * The host of file://HOST/...: "" for none or localhost, else lowercase.
 * Returns 0, or HOST_BAD, HOST_BAD_V4, HOST_BAD_V6.
 */
static int
parse_host(const char *s, size_t n, struct buf *host)
{
	struct buf	 d = { 0 };
	struct in_addr	 a4;
	struct in6_addr	 a6;
	char		 tmp[64];
	const char	*p;
	size_t		 i;
	unsigned char	 c;
	int		 rc = 0;

	if (n > 0 && s[0] == '[') {
		if (n < 2 || s[n - 1] != ']' || n - 2 >= sizeof(tmp))
			return HOST_BAD_V6;
		memcpy(tmp, s + 1, n - 2);
		tmp[n - 2] = '\0';
		if (inet_pton(AF_INET6, tmp, &a6) != 1)
			return HOST_BAD_V6;
		for (i = 0; i < n; i++)
			buf_addc(host, s[i] >= 'A' && s[i] <= 'Z' ?
			    s[i] - 'A' + 'a' : s[i]);
		return 0;
	}
	pct_decode(&d, s, n);
	p = buf_data(&d);
	for (i = 0; i < buf_used(&d); i++) {
		c = (unsigned char)p[i];
		if (c >= 'A' && c <= 'Z')
			c = c - 'A' + 'a';
		/* Forbidden domain code points, and IDNA we do not do. */
		if (c <= 0x20 || c >= 0x7f || strchr("#%/:<>?@[\\]^|", c)) {
			rc = HOST_BAD;
			break;
		}
		buf_addc(host, (char)c);
	}
	buf_free(&d);
	if (rc == 0 && ends_in_number(buf_data(host), buf_used(host))) {
		if (buf_used(host) >= sizeof(tmp))
			return HOST_BAD_V4;
		memcpy(tmp, buf_data(host), buf_used(host));
		tmp[buf_used(host)] = '\0';
		if (inet_aton(tmp, &a4) == 0)
			return HOST_BAD_V4;
	}
	if (rc == 0 && buf_used(host) == 9 &&
	    memcmp(buf_data(host), "localhost", 9) == 0)
		buf_reset(host);
	return rc;
}

/* Append one path segment, percent-encoded like the URL serialiser. */
static void
add_segment(struct buf *b, const char *s, size_t n)
{
	static const char	 hex[] = "0123456789ABCDEF";
	size_t			 i;
	unsigned char		 c;

	buf_addc(b, '/');
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c < 0x20 || c >= 0x7f || strchr(" \"<>`{}", c)) {
			buf_addc(b, '%');
			buf_addc(b, hex[c >> 4]);
			buf_addc(b, hex[c & 15]);
		} else
			buf_addc(b, (char)c);
	}
}

/* Drop the last segment of a serialised path ("/a/b" -> "/a"). */
static void
pop_segment(struct buf *b, size_t base)
{
	size_t	 n = buf_used(b);

	if (n <= base)
		return;
	while (n > base && buf_data(b)[n - 1] != '/')
		n--;
	if (n > base)
		n--;
	b->len = b->off + n;
}

int
uri_to_path(const char *uri, size_t len, struct buf *path, int *code,
    struct buf *msg)
{
	struct buf	 s = { 0 }, ser = { 0 }, host = { 0 }, dec = { 0 };
	const char	*p, *r, *seg;
	size_t		 b, e, i, n, rn, hb, he, base, segn;
	int		 rc = -1, at_end;

	*code = URI_BAD_PARAMS;
	/* Leading and trailing C0/space go; tab and newlines go anywhere. */
	for (b = 0; b < len && (unsigned char)uri[b] <= 0x20; b++)
		;
	for (e = len; e > b && (unsigned char)uri[e - 1] <= 0x20; e--)
		;
	for (i = b; i < e; i++)
		if (uri[i] != '\t' && uri[i] != '\n' && uri[i] != '\r')
			buf_addc(&s, uri[i]);
	p = buf_data(&s);
	n = buf_used(&s);

	/* scheme ":" */
	for (i = 0; i < n && (is_alpha(p[i]) || (i > 0 &&
	    ((p[i] >= '0' && p[i] <= '9') || p[i] == '+' || p[i] == '-' ||
	    p[i] == '.'))); i++)
		;
	if (i == 0 || i == n || p[i] != ':') {
		buf_adds(msg, "invalid URI: relative URL without a base");
		goto out;
	}
	if (i != 4 || strncasecmp(p, "file", 4) != 0) {
		if (special_empty_host(p, i, n)) {
			buf_adds(msg, "invalid URI: empty host");
			goto out;
		}
		buf_adds(msg, "unsupported path URI scheme `");
		for (e = 0; e < i; e++)
			buf_addc(msg, p[e] >= 'A' && p[e] <= 'Z' ?
			    p[e] - 'A' + 'a' : p[e]);
		buf_addc(msg, '`');
		goto out;
	}
	r = p + i + 1;
	rn = n - i - 1;

	/* "//" host */
	hb = 0;
	if (rn >= 2 && is_slash(r[0]) && is_slash(r[1])) {
		for (he = 2; he < rn && !is_slash(r[he]) && r[he] != '?' &&
		    r[he] != '#'; he++)
			;
		if (he - 2 == 2 && is_alpha(r[2]) &&
		    (r[3] == ':' || r[3] == '|'))
			hb = 2;		/* file://C:/x: a drive, not a host */
		else {
			switch (parse_host(r + 2, he - 2, &host)) {
			case HOST_BAD:
				buf_adds(msg, "invalid URI: invalid "
				    "international domain name");
				goto out;
			case HOST_BAD_V4:
				buf_adds(msg, "invalid URI: invalid IPv4 address");
				goto out;
			case HOST_BAD_V6:
				buf_adds(msg, "invalid URI: invalid IPv6 address");
				goto out;
			}
			hb = he;
		}
	}

	/* The path, segment by segment, resolving dot segments. */
	buf_adds(&ser, "file://");
	buf_add(&ser, buf_data(&host), buf_used(&host));
	base = buf_used(&ser);
	i = hb;
	if (i < rn && is_slash(r[i]))
		i++;
	for (;;) {
		seg = r + i;
		while (i < rn && !is_slash(r[i]) && r[i] != '?' && r[i] != '#')
			i++;
		segn = (size_t)(r + i - seg);
		at_end = i == rn || r[i] == '?' || r[i] == '#';
		if (is_dotdot(seg, segn)) {
			pop_segment(&ser, base);
			if (at_end)
				add_segment(&ser, "", 0);
		} else if (is_dot(seg, segn)) {
			if (at_end)
				add_segment(&ser, "", 0);
		} else
			add_segment(&ser, seg, segn);
		if (at_end)
			break;
		i++;
	}
	if (i < rn) {
		buf_adds(msg, r[i] == '?' ? "query parameters are not allowed "
		    "in path URIs" : "fragments are not allowed in path URIs");
		goto out;
	}

	pct_decode(&dec, buf_data(&ser) + base, buf_used(&ser) - base);
	if (ser.oom || dec.oom || s.oom || host.oom) {
		*code = -32603;
		buf_adds(msg, "out of memory");
		goto out;
	}
	if (memchr(buf_data(&dec), '\0', buf_used(&dec)) != NULL) {
		buf_addf(msg, "'%.*s' is invalid on 'linux'",
		    (int)buf_used(&ser), buf_data(&ser));
		goto out;
	}
	/* Another host, or a Windows drive ("/C:" first). */
	if (buf_used(&host) > 0 || (buf_used(&ser) - base >= 3 &&
	    is_alpha(buf_data(&ser)[base + 1]) &&
	    buf_data(&ser)[base + 2] == ':' &&
	    (buf_used(&ser) - base == 3 || buf_data(&ser)[base + 3] == '/'))) {
		*code = URI_BAD_REQUEST;
		buf_addf(msg, "'%.*s' is invalid on 'linux'",
		    (int)buf_used(&ser), buf_data(&ser));
		goto out;
	}
	buf_add(path, buf_data(&dec), buf_used(&dec));
	buf_addc(path, '\0');
	path->len--;
	rc = 0;
out:
	buf_free(&s);
	buf_free(&ser);
	buf_free(&host);
	buf_free(&dec);
	return rc;
}
