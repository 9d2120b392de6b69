/*
 * hurl.h: http:// and https:// URLs for http/request (hurl.c): parsed as
 * the WHATWG URL standard parses the two special schemes, as far as a
 * request needs, with the url crate's words for what it refuses.
 */
#ifndef HURL_H
#define HURL_H

#include <stddef.h>

#include "base/buf.h"

struct hurl {
	char		 scheme[16];	/* lower case: "http", "https", other */
	char		*host;		/* lower case; IPv6 without brackets */
	int		 ipv6;
	unsigned	 port;		/* the default when none is given */
	int		 port_given;	/* a non-default port was written */
	char		*target;	/* path and query, percent-encoded */
	char		*userinfo;	/* "user:pass" before '@', or NULL */
};

/*
 * Parse (p, n).  0, or -1 with the reason in err: "relative URL without
 * a base", "empty host", "invalid port number", "invalid international
 * domain name", "invalid IPv4 address", "invalid IPv6 address"; a scheme
 * other than http or https parses (u->scheme says which).  u is always
 * safe to hurl_free().
 */
int	 hurl_parse(const char *p, size_t n, struct hurl *u, struct buf *err);
/*
 * A redirect's Location (p, n) against base: an absolute URL, a
 * scheme-relative //host..., an absolute path or a relative reference.
 */
int	 hurl_join(const struct hurl *base, const char *p, size_t n,
	    struct hurl *u, struct buf *err);
/* The URL as the url crate serialises it: scheme://host[:port]target. */
void	 hurl_str(const struct hurl *, struct buf *);
/* The Host field's value: host, [host] for IPv6, :port if not default. */
void	 hurl_hostport(const struct hurl *, struct buf *);
/* Same scheme, host and port? */
int	 hurl_same_origin(const struct hurl *, const struct hurl *);
void	 hurl_free(struct hurl *);

#endif
