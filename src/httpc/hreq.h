/*
 * hreq.h: one HTTP/1.1 exchange on the poll loop (hreq.c): resolve the
 * host (a literal needs nothing; a name is looked up in a short-lived
 * child, so the loop never waits on DNS), connect without blocking, send
 * the request, read the answer's head, then its body as it is framed
 * (Content-Length, chunked, or until the server closes).
 */
#ifndef HREQ_H
#define HREQ_H

#include <stddef.h>

#include "base/buf.h"
#include "httpc/hurl.h"

struct hreq_field {
	const char	*name;		/* lower case */
	size_t		 nlen;
	const char	*value;		/* trimmed */
	size_t		 vlen;
};

/* What the exchange tells its owner; arg is hreq_start()'s. */
struct hreq_ops {
	/*
	 * The answer's head (fields valid during the call).  Return 0 to
	 * read the body, 1 to stop here (done() is not called then).
	 */
	int	(*head)(void *arg, int status, const struct hreq_field *,
		    size_t nfields);
	/* Body bytes, in order, as they come. */
	void	(*data)(void *arg, const char *p, size_t n);
	/* The end: why NULL when the body is whole, else what went wrong. */
	void	(*done)(void *arg, const char *why);
};

/*
 * Start: url names where to connect; req holds the whole request (head
 * and body), sent as it is; head_only: a HEAD request (the answer has no
 * body).  NULL with the reason in err.  The ops may call hreq_free().
 */
struct hreq	*hreq_start(const struct hurl *url, const struct buf *req,
		    int head_only, const struct hreq_ops *, void *arg,
		    struct buf *err);
/* Stop (1) or resume (0) reading the body: the owner's flow control. */
void		 hreq_pause(struct hreq *, int pause);
/* Stop and free, at any time (a resolver child is killed). */
void		 hreq_free(struct hreq *);

#endif
