/*
 * uri.h: file:// URIs, the protocol's only way of naming paths (§6); and
 * the parts of WHATWG URL parsing that http:// URLs (httpc/hurl.c) share:
 * the scheme and the host.
 */
#ifndef URI_H
#define URI_H

#include <stddef.h>

#include "base/buf.h"
#include "base/jw.h"

/* Append "file://" + path, percent-encoded as the reference does. */
void	 uri_from_path(struct buf *, const char *path, size_t len);
/* Write the same as a JSON string (path NUL-terminated). */
void	 uri_put(struct jw *, const char *path);

/*
 * Turn a `file://` URI into a host path, as the reference does: WHATWG
 * parsing of the file scheme (scheme case, surrounding blanks, `\` for
 * `/`, dot segments, `%XX`; the host through the WHATWG host parser:
 * IPv6, IDNA, IPv4, `localhost` in any spelling being no host), then the
 * reference's checks.  Returns 0 with the NUL-terminated path appended to
 * *path, or -1 with *code and the reference's message in *msg:
 *   -32602  "invalid URI: relative URL without a base", "unsupported path
 *           URI scheme `http`", "query parameters are not allowed in path
 *           URIs", "fragments are not allowed in path URIs", a NUL byte
 *           ("'file:///a%00' is invalid on 'linux'"), a bad host
 *           ("invalid URI: invalid international domain name", "... invalid
 *           IPv4 address", "... invalid IPv6 address", "... empty host");
 *   -32600  another host or a Windows drive: "'file://h/x' is invalid on
 *           'linux'", the URI as the URL parser serialises it (the host
 *           lowercased, %-decoded, Punycode, IPv4 dotted, IPv6 compressed);
 *   -32603  "out of memory".
 * (The same codes as JSON-RPC's, which this layer does not know.)
 */
#define URI_BAD_REQUEST	(-32600)
#define URI_BAD_PARAMS	(-32602)
int	 uri_to_path(const char *uri, size_t len, struct buf *path, int *code,
	    struct buf *msg);
/*
 * The same, then normalised lexically as the reference's AbsolutePathBuf
 * is: "//", "." and a trailing "/" go, ".." removes a component (never
 * above "/").  NUL-terminated; check path->oom.
 */
int	 uri_abspath(const char *uri, size_t len, struct buf *path, int *code,
	    struct buf *msg);
/* The normalisation alone, of an absolute path p (appended to out). */
void	 uri_normalise(struct buf *out, const char *p, size_t n);

/*
 * The length of the scheme that starts (p, len) when a ':' ends it (a
 * letter, then letters, digits, '+', '-', '.'); 0 when there is none.
 */
size_t	 uri_scheme(const char *p, size_t len);

/*
 * The WHATWG host parser of a special scheme (file:, http:...), as the
 * url crate runs it, on the host (p, len) as written: "[...]" an IPv6
 * address; anything else %-decoded, then IDNA "domain to ASCII" (idna.c),
 * the forbidden domain code points refused, and if it ends in a number
 * an IPv4 address (1 to 4 parts, decimal, "0" octal, "0x" hex).  Appends
 * the host as the URL serialiser writes it: the domain lower-cased and in
 * Punycode, IPv4 dotted, IPv6 in brackets (lower-case hex, the longest
 * run of two or more zero pieces as "::", an embedded IPv4 part in hex),
 * and returns URI_HOST_DOMAIN, URI_HOST_IPV4 or URI_HOST_IPV6.  Else
 * URI_HOST_BAD with the url crate's words appended to *err: "empty host"
 * (len 0, or nothing left after IDNA), "invalid international domain
 * name", "invalid IPv4 address", "invalid IPv6 address"; or URI_HOST_OOM.
 * "localhost" is a domain here: that it names no host is the file
 * scheme's rule (uri_to_path).
 */
#define URI_HOST_DOMAIN	0
#define URI_HOST_IPV4	1
#define URI_HOST_IPV6	2
#define URI_HOST_BAD	(-1)
#define URI_HOST_OOM	(-2)
int	 uri_host(const char *p, size_t len, struct buf *out, struct buf *err);

#endif
