/*
 * uri.c: file:// URIs, from paths and to paths.
 *
 * Encoding follows the WHATWG path percent-encode set plus '%' (what
 * Rust's url crate does for Url::from_file_path): C0 controls, space,
 * '"', '#', '<', '>', '?', '`', '{', '}', '%', '\\', DEL and every
 * non-ASCII byte become %XX ('\\' too: the url crate's special-scheme
 * segment set; the reference sends "back%5Cslash"); '/' separates
 * segments.  Decoding parses the file scheme as a WHATWG URL parser does
 * (the host through its host parser, uri_host(): IPv6, IDNA in idna.c,
 * IPv4), then applies the reference's checks (no query, no fragment, no
 * other host, no NUL byte).  uri_scheme() and uri_host() also parse the
 * http:// URLs of http/request (httpc/hurl.c).
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "compat/idna.h"
#include "compat/uri.h"

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

void
uri_put(struct jw *w, const char *path)
{
	struct buf	 b = { 0 };

	uri_from_path(&b, path, strlen(path));
	jw_str(w, buf_data(&b), buf_used(&b));
	if (b.oom)
		w->b->oom = 1;
	buf_free(&b);
}

/* --- file:// URI to path ------------------------------------------------- */

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
 * WHATWG's IPv4 number parser: "0x" hex, "0" octal, else decimal; "" and
 * "0x" are 0.  Returns 0, 1 when the digits are good but the value does
 * not fit 32 bits, -1 when it is not a number.
 */
static int
v4_number(const char *s, size_t n, uint32_t *v)
{
	uint64_t	 x = 0;
	unsigned	 base = 10;
	size_t		 i;
	int		 d, over = 0;

	if (n == 0)
		return -1;
	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		n -= 2;
	} else if (n >= 2 && s[0] == '0') {
		base = 8;
		s++;
		n--;
	}
	for (i = 0; i < n; i++) {
		if ((d = hexval(s[i])) < 0 || (unsigned)d >= base)
			return -1;
		x = x * base + (unsigned)d;
		if (x > UINT32_MAX) {
			over = 1;
			x = (uint64_t)UINT32_MAX + 1;
		}
	}
	*v = (uint32_t)x;
	return over;
}

/* "Ends in a number": the last label (one trailing dot aside) is one. */
static int
ends_in_number(const char *h, size_t n)
{
	uint32_t	 v;
	size_t		 b, i;

	if (n > 0 && h[n - 1] == '.')
		n--;
	for (b = n; b > 0 && h[b - 1] != '.'; b--)
		;
	for (i = b; i < n && h[i] >= '0' && h[i] <= '9'; i++)
		;
	if (b < n && i == n)
		return 1;
	return v4_number(h + b, n - b, &v) >= 0;
}

/* WHATWG's IPv4 parser (1 to 4 numbers, the last filling the rest). */
static int
parse_v4(const char *h, size_t n, uint32_t *addr)
{
	uint32_t	 num[4];
	size_t		 b, e, k = 0;

	if (n > 0 && h[n - 1] == '.')
		n--;
	for (b = 0; b <= n; b = e + 1) {
		for (e = b; e < n && h[e] != '.'; e++)
			;
		if (k == 4 || v4_number(h + b, e - b, &num[k]) != 0)
			return -1;
		k++;
	}
	if (k > 1 && num[k - 1] > UINT32_MAX >> (8 * (k - 1)))
		return -1;
	*addr = num[k - 1];
	for (b = 0; b + 1 < k; b++) {
		if (num[b] > 255)
			return -1;
		*addr += num[b] << (8 * (3 - b));
	}
	return 0;
}

/* WHATWG's IPv6 parser, s[0..n) between the brackets. */
static int
parse_v6(const char *s, size_t n, uint16_t pc[8])
{
	size_t		 i = 0, start, piece = 0, comp = 8, seen, k;
	unsigned	 v;
	int		 d, part;
	uint16_t	 t;

	memset(pc, 0, 8 * sizeof(*pc));
	if (n < 2)
		return -1;
	if (s[0] == ':') {
		if (s[1] != ':')
			return -1;
		i = 2;
		piece = comp = 1;
	}
	while (i < n) {
		if (piece == 8)
			return -1;
		if (s[i] == ':') {
			if (comp != 8)
				return -1;
			i++;
			comp = ++piece;
			continue;
		}
		for (start = i, v = 0; i < n && i - start < 4 &&
		    (d = hexval(s[i])) >= 0; i++)
			v = v * 16 + (unsigned)d;
		if (i < n && s[i] == '.') {
			/* An IPv4 address in the last 32 bits. */
			if (i == start || piece > 6)
				return -1;
			for (i = start, seen = 0; i < n; seen++) {
				if (seen > 0 && (seen == 4 || s[i++] != '.'))
					return -1;
				for (part = -1; i < n && s[i] >= '0' &&
				    s[i] <= '9'; i++) {
					if (part == 0)
						return -1;
					part = (part < 0 ? 0 : part * 10) +
					    (s[i] - '0');
					if (part > 255)
						return -1;
				}
				if (part < 0)
					return -1;
				pc[piece] = (uint16_t)(pc[piece] * 0x100 + part);
				if (seen == 1 || seen == 3)
					piece++;
			}
			if (seen != 4)
				return -1;
			break;
		}
		if (i < n && (s[i] != ':' || ++i == n))
			return -1;
		pc[piece++] = (uint16_t)v;
	}
	if (comp == 8)
		return piece == 8 ? 0 : -1;
	for (k = piece - comp, piece = 7; k > 0; k--, piece--) {
		t = pc[piece];
		pc[piece] = pc[comp + k - 1];
		pc[comp + k - 1] = t;
	}
	return 0;
}

/* "[...]" with the longest run of two or more zero pieces as "::". */
static void
add_v6(struct buf *b, const uint16_t pc[8])
{
	int	 i, run, best = -1, bestlen = 1;

	for (i = 0, run = 0; i < 8; i++) {
		run = pc[i] == 0 ? run + 1 : 0;
		if (run > bestlen) {
			bestlen = run;
			best = i - run + 1;
		}
	}
	buf_addc(b, '[');
	for (i = 0; i < 8; i++) {
		if (i == best) {
			buf_adds(b, i == 0 ? "::" : ":");
			if ((i += bestlen) == 8)
				break;
		}
		buf_addf(b, "%x", pc[i]);
		if (i < 7)
			buf_addc(b, ':');
	}
	buf_addc(b, ']');
}

/* Forbidden in a domain (WHATWG "forbidden domain code point"). */
static int
forbidden(unsigned char c)
{
	return c <= 0x20 || c == 0x7f || strchr("#%/:<>?@[\\]^|", c) != NULL;
}

int
uri_host(const char *p, size_t len, struct buf *out, struct buf *err)
{
	struct buf	 d = { 0 }, a = { 0 };
	const char	*why = NULL;
	uint16_t	 v6[8];
	uint32_t	 v4;
	size_t		 i;
	int		 rc = URI_HOST_DOMAIN;

	if (len > 0 && p[0] == '[') {
		if (len < 2 || p[len - 1] != ']' ||
		    parse_v6(p + 1, len - 2, v6) == -1) {
			buf_adds(err, "invalid IPv6 address");
			return URI_HOST_BAD;
		}
		add_v6(out, v6);
		return out->oom ? URI_HOST_OOM : URI_HOST_IPV6;
	}
	pct_decode(&d, p, len);
	switch (d.oom ? -2 : idna_to_ascii(buf_data(&d), buf_used(&d), &a)) {
	case 0:
		break;
	case -1:
		why = "invalid international domain name";
		goto out;
	default:
		rc = URI_HOST_OOM;
		goto out;
	}
	/* Nothing left: none written, or all ignored by IDNA (U+034F...). */
	if (buf_used(&a) == 0) {
		why = "empty host";
		goto out;
	}
	for (i = 0; i < buf_used(&a); i++)
		if (forbidden((unsigned char)buf_data(&a)[i])) {
			why = "invalid international domain name";
			goto out;
		}
	if (ends_in_number(buf_data(&a), buf_used(&a))) {
		if (parse_v4(buf_data(&a), buf_used(&a), &v4) == -1) {
			why = "invalid IPv4 address";
			goto out;
		}
		buf_addf(out, "%u.%u.%u.%u", v4 >> 24, v4 >> 16 & 255,
		    v4 >> 8 & 255, v4 & 255);
		rc = URI_HOST_IPV4;
	} else
		buf_add(out, buf_data(&a), buf_used(&a));
	if (out->oom)
		rc = URI_HOST_OOM;
out:
	if (why != NULL) {
		buf_adds(err, why);
		rc = URI_HOST_BAD;
	}
	buf_free(&d);
	buf_free(&a);
	return rc;
}

size_t
uri_scheme(const char *p, size_t len)
{
	size_t	 i;

	for (i = 0; i < len && (is_alpha(p[i]) || (i > 0 &&
	    ((p[i] >= '0' && p[i] <= '9') || p[i] == '+' || p[i] == '-' ||
	    p[i] == '.'))); i++)
		;
	return i > 0 && i < len && p[i] == ':' ? i : 0;
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
	struct buf	 herr = { 0 };
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
	if ((i = uri_scheme(p, n)) == 0) {
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
			/* file:/// has no host. */
			switch (he > 2 ? uri_host(r + 2, he - 2, &host, &herr) :
			    URI_HOST_DOMAIN) {
			case URI_HOST_BAD:
				buf_addf(msg, "invalid URI: %.*s",
				    (int)buf_used(&herr), buf_data(&herr));
				goto out;
			case URI_HOST_OOM:
				*code = -32603;
				buf_adds(msg, "out of memory");
				goto out;
			}
			/* Nor has file://localhost/, in any spelling. */
			if (buf_used(&host) == 9 &&
			    memcmp(buf_data(&host), "localhost", 9) == 0)
				buf_reset(&host);
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
	buf_free(&herr);
	return rc;
}

/*
 * The reference turns the URI into an AbsolutePathBuf, which is
 * normalised lexically: "//", "." and a trailing "/" go, ".." removes a
 * component (never above "/").  It matters: "link/" would follow link.
 */
void
uri_normalise(struct buf *out, const char *p, size_t n)
{
	size_t	 i, k;

	for (i = 0; i < n; i = k + 1) {
		for (k = i; k < n && p[k] != '/'; k++)
			;
		if (k == i || (k - i == 1 && p[i] == '.'))
			continue;
		if (k - i == 2 && p[i] == '.' && p[i + 1] == '.') {
			while (buf_used(out) > 0 &&
			    buf_data(out)[buf_used(out) - 1] != '/')
				out->len--;
			if (buf_used(out) > 0)
				out->len--;
			continue;
		}
		buf_addc(out, '/');
		buf_add(out, p + i, k - i);
	}
	if (buf_used(out) == 0)
		buf_addc(out, '/');
	buf_addc(out, '\0');
	out->len--;
}

int
uri_abspath(const char *uri, size_t len, struct buf *path, int *code,
    struct buf *msg)
{
	struct buf	 raw = { 0 };
	int		 rc;

	if ((rc = uri_to_path(uri, len, &raw, code, msg)) == 0)
		uri_normalise(path, buf_data(&raw), buf_used(&raw));
	buf_free(&raw);
	return rc;
}
