/*
 * http.h: the one HTTP request a WebSocket listener reads (RFC 7230 subset).
 *
 * http_req_parse() reads a request head from (p, len) without copying or
 * needing a NUL; it is bounded by LIM_HTTP_HEADER and LIM_HTTP_FIELDS.
 * http_route() decides the answer as the reference does (protocol.md §2).
 */
#ifndef HTTP_H
#define HTTP_H

#include <stddef.h>

#include "base/buf.h"

struct http_span {
	const char	*p;
	size_t		 len;
};

struct http_req {
	struct http_span	 method;
	struct http_span	 target;	/* as sent, query included */
	struct http_span	 path;		/* target's path, no '?' query */
	int			 minor;		/* HTTP/1.<minor> */
	/*
	 * Interesting fields, trimmed; .p is NULL when absent.  The first
	 * line of each counts, as in the reference (axum HeaderMap::get).
	 */
	struct http_span	 host;
	struct http_span	 connection;
	struct http_span	 upgrade;
	struct http_span	 ws_key;
	struct http_span	 ws_version;
	struct http_span	 origin;
	struct http_span	 authorization;
	int			 nhost;		/* Host fields seen */
	int			 nauthorization; /* Authorization fields */
	int			 conn_upgrade;	/* Connection contains "upgrade" */
	int			 upg_websocket;	/* Upgrade is "websocket" */
	size_t			 head_len;	/* bytes of the head, CRLFCRLF included */
};

/* Return values of http_req_parse(). */
#define HTTP_NEED_MORE	0
#define HTTP_BAD	(-1)		/* malformed: answer 400 */
#define HTTP_TOO_BIG	(-2)		/* head over the limit: answer 431 */

/* Returns head length (> 0), HTTP_NEED_MORE, HTTP_BAD or HTTP_TOO_BIG. */
int	 http_req_parse(struct http_req *, const char *p, size_t len);

/* What to do with a parsed request. */
struct http_answer {
	int		 status;	/* 101, or the error status */
	const char	*body;		/* text/plain body, may be "" */
};
/*
 * Decide as the reference does, and as RFC 6455 and RFC 7230 ask where it
 * does not (a missing or repeated Host, 400; a bad version names the one
 * spoken).  A 101 still has authentication ahead of it (net/auth.c).
 */
void	 http_route(const struct http_req *, struct http_answer *);

/* Append the full response for `a` (101 with the accept key, else a
 * status line, headers and body; non-101 answers say Connection: close;
 * a 401 names the Bearer scheme, RFC 7235 §3.1). */
void	 http_answer_write(struct buf *, const struct http_req *,
	    const struct http_answer *);

/* Sec-WebSocket-Accept for a key: 28 base64 chars and a NUL. */
void	 http_ws_accept(const char *key, size_t keylen, char out[29]);

/*
 * Is c an RFC 7230 tchar, a byte of a token (a method, a field name)?
 * Letters, digits and !#$%&'*+-.^_`|~: visible ASCII but the delimiters.
 */
int	 http_is_tchar(int c);

/* Case-insensitive: does comma-separated list (p, len) hold token tok? */
int	 http_has_token(const char *p, size_t len, const char *tok);

#endif
