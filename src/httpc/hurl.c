/*
 * hurl.c: http(s) URLs as the WHATWG URL standard reads them, enough for
 * a request: the scheme, the host (the WHATWG host parser that file: URIs
 * use too, uri_host() in compat/uri.c: IPv6 in brackets; an IPv4 address
 * in any of its WHATWG forms; a name lower-cased, through IDNA), the
 * port, and the path and query percent-encoded with dot segments
 * resolved.  The fragment is not sent and is dropped.  Refusals carry the
 * url crate's words, which the reference prints.
 */
#include <stdlib.h>
#include <string.h>

#include "compat/uri.h"
#include "httpc/hurl.h"

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Append (p, n) percent-encoding what set names, and bytes >= 0x7f. */
static void
encode(struct buf *b, const char *p, size_t n, const char *set)
{
	static const char	 hex[] = "0123456789ABCDEF";
	unsigned char		 c;
	size_t			 i;

	for (i = 0; i < n; i++) {
		c = (unsigned char)p[i];
		if (c < 0x20 || c >= 0x7f || strchr(set, c) != NULL) {
			buf_addc(b, '%');
			buf_addc(b, hex[c >> 4]);
			buf_addc(b, hex[c & 15]);
		} else
			buf_addc(b, (char)c);
	}
}

/* The path (p, n) with '\' read as '/', dot segments resolved, into b. */
static void
path(struct buf *b, const char *p, size_t n)
{
	const char	*seg, *e = p + n;
	size_t		 sl, start = buf_used(b), k;

	buf_addc(b, '/');
	if (n > 0 && (*p == '/' || *p == '\\')) {
		p++;
	}
	while (p <= e) {
		seg = p;
		while (p < e && *p != '/' && *p != '\\')
			p++;
		sl = (size_t)(p - seg);
		if ((sl == 1 && seg[0] == '.') || (sl == 3 &&
		    strncasecmp(seg, "%2e", 3) == 0)) {
			/* "." : nothing; at the end, a trailing slash stays. */
		} else if ((sl == 2 && seg[0] == '.' && seg[1] == '.') ||
		    (sl == 4 && (strncasecmp(seg, ".%2e", 4) == 0 ||
		    strncasecmp(seg, "%2e.", 4) == 0)) || (sl == 6 &&
		    strncasecmp(seg, "%2e%2e", 6) == 0)) {
			/* "..": drop the last segment, keep the slash. */
			k = buf_used(b) - 1;
			if (k > start) {
				while (k > start && b->p[b->off + k - 1] != '/')
					k--;
				b->len = b->off + k;
			}
		} else {
			encode(b, seg, sl, " \"#<>?`{}");
			if (p < e)
				buf_addc(b, '/');
		}
		if (p >= e)
			break;
		p++;
	}
}

/* Trim C0 and space at both ends, drop tab, LF, CR inside: a copy. */
static char *
clean(const char *p, size_t n, size_t *outlen)
{
	char	*s;
	size_t	 i, k = 0;

	while (n > 0 && (unsigned char)*p <= 0x20) {
		p++;
		n--;
	}
	while (n > 0 && (unsigned char)p[n - 1] <= 0x20)
		n--;
	if ((s = malloc(n + 1)) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (p[i] != '\t' && p[i] != '\n' && p[i] != '\r')
			s[k++] = p[i];
	s[k] = '\0';
	*outlen = k;
	return s;
}

/* The host (h, n): into u->host, an IPv6 address without brackets. */
static int
host(struct hurl *u, const char *h, size_t n, struct buf *err)
{
	struct buf	 b = { 0 };
	int		 k;

	if ((k = uri_host(h, n, &b, err)) >= 0) {
		u->ipv6 = k == URI_HOST_IPV6;
		u->host = u->ipv6 ? strndup(buf_data(&b) + 1,
		    buf_used(&b) - 2) : strndup(buf_data(&b), buf_used(&b));
	}
	buf_free(&b);
	return u->host == NULL ? -1 : 0;
}

int
hurl_parse(const char *in, size_t inlen, struct hurl *u, struct buf *err)
{
	struct buf	 t = { 0 };
	const char	*p, *e, *auth, *ae, *at, *colon, *q;
	char		*s;
	size_t		 n, i;
	unsigned long	 port;
	int		 rc = -1;

	memset(u, 0, sizeof(*u));
	if ((s = clean(in, inlen, &n)) == NULL)
		return -1;
	p = s;
	e = s + n;
	/* scheme ":" */
	if ((i = uri_scheme(p, n)) == 0 || i >= sizeof(u->scheme)) {
		buf_adds(err, "relative URL without a base");
		goto out;
	}
	q = p + i;
	for (i = 0; p + i < q; i++)
		u->scheme[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] + 32 :
		    p[i]);
	u->scheme[i] = '\0';
	if (strcmp(u->scheme, "http") != 0 && strcmp(u->scheme, "https") != 0) {
		rc = 0;		/* the caller refuses it by name */
		goto out;
	}
	u->port = strcmp(u->scheme, "https") == 0 ? 443 : 80;
	for (p = q + 1; p < e && (*p == '/' || *p == '\\'); p++)
		;
	auth = p;
	while (p < e && *p != '/' && *p != '\\' && *p != '?' && *p != '#')
		p++;
	ae = p;
	/* userinfo "@" host ":" port */
	for (at = NULL, q = auth; q < ae; q++)
		if (*q == '@')
			at = q;
	if (at != NULL) {
		if ((u->userinfo = strndup(auth, (size_t)(at - auth))) == NULL)
			goto out;
		auth = at + 1;
	}
	colon = NULL;
	for (q = auth; q < ae; q++) {
		if (*q == '[')
			while (q < ae && *q != ']')
				q++;
		if (q < ae && *q == ':')
			colon = q;
	}
	if (host(u, auth, (size_t)((colon != NULL ? colon : ae) - auth),
	    err) == -1)
		goto out;
	if (colon != NULL && colon + 1 < ae) {
		port = 0;
		for (q = colon + 1; q < ae; q++) {
			if (!is_digit(*q) || (port = port * 10 +
			    (unsigned long)(*q - '0')) > 65535) {
				buf_adds(err, "invalid port number");
				goto out;
			}
		}
		if (port != u->port) {
			u->port = (unsigned)port;
			u->port_given = 1;
		}
	}
	/* path ["?" query] ["#" fragment] */
	for (q = p; q < e && *q != '?' && *q != '#'; q++)
		;
	path(&t, p, (size_t)(q - p));
	if (q < e && *q == '?') {
		for (p = q; q < e && *q != '#'; q++)
			;
		buf_addc(&t, '?');
		encode(&t, p + 1, (size_t)(q - p - 1), " \"#<>'");
	}
	buf_addc(&t, '\0');
	if (t.oom)
		goto out;
	u->target = strdup(buf_data(&t));
	rc = u->target == NULL ? -1 : 0;
out:
	if (rc == -1 && buf_used(err) == 0)
		buf_adds(err, "out of memory");
	buf_free(&t);
	free(s);
	return rc;
}

int
hurl_join(const struct hurl *base, const char *p, size_t n, struct hurl *u,
    struct buf *err)
{
	struct buf	 b = { 0 };
	const char	*q;
	size_t		 i;
	int		 rc;

	while (n > 0 && (unsigned char)*p <= 0x20) {
		p++;
		n--;
	}
	/* An absolute URL: a scheme before any of / ? #. */
	if (uri_scheme(p, n) > 0)
		return hurl_parse(p, n, u, err);
	buf_adds(&b, base->scheme);
	buf_addc(&b, ':');
	if (n >= 2 && (p[0] == '/' || p[0] == '\\') && (p[1] == '/' ||
	    p[1] == '\\')) {
		buf_add(&b, p, n);
	} else {
		buf_adds(&b, "//");
		if (base->userinfo != NULL) {
			buf_adds(&b, base->userinfo);
			buf_addc(&b, '@');
		}
		hurl_hostport(base, &b);
		if (n > 0 && (p[0] == '/' || p[0] == '\\'))
			buf_add(&b, p, n);
		else if (n > 0 && p[0] == '?') {
			q = strchr(base->target, '?');
			buf_add(&b, base->target, q != NULL ?
			    (size_t)(q - base->target) : strlen(base->target));
			buf_add(&b, p, n);
		} else {
			q = strchr(base->target, '?');
			for (i = q != NULL ? (size_t)(q - base->target) :
			    strlen(base->target); i > 0 &&
			    base->target[i - 1] != '/'; i--)
				;
			buf_add(&b, base->target, i);
			buf_add(&b, p, n);
		}
	}
	if (b.oom) {
		buf_free(&b);
		buf_adds(err, "out of memory");
		return -1;
	}
	rc = hurl_parse(buf_data(&b), buf_used(&b), u, err);
	buf_free(&b);
	return rc;
}

void
hurl_hostport(const struct hurl *u, struct buf *b)
{
	if (u->ipv6)
		buf_addc(b, '[');
	buf_adds(b, u->host);
	if (u->ipv6)
		buf_addc(b, ']');
	if (u->port_given)
		buf_addf(b, ":%u", u->port);
}

void
hurl_str(const struct hurl *u, struct buf *b)
{
	buf_adds(b, u->scheme);
	buf_adds(b, "://");
	if (u->host == NULL)
		return;
	if (u->userinfo != NULL) {
		buf_adds(b, u->userinfo);
		buf_addc(b, '@');
	}
	hurl_hostport(u, b);
	buf_adds(b, u->target);
}

int
hurl_same_origin(const struct hurl *a, const struct hurl *b)
{
	return strcmp(a->scheme, b->scheme) == 0 && a->port == b->port &&
	    a->host != NULL && b->host != NULL && strcmp(a->host, b->host) == 0;
}

void
hurl_free(struct hurl *u)
{
	free(u->host);
	free(u->target);
	free(u->userinfo);
	memset(u, 0, sizeof(*u));
}
