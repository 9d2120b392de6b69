/*
 * uri.h: file:// URIs, the protocol's only way of naming paths (§6).
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

#endif
