/*
 * buf.h: a growable byte buffer with a consumed prefix.
 *
 * Appends never fail loudly: the first allocation failure sets `oom` and
 * every later append is a no-op, so a writer checks once at the end.
 */
#ifndef BUF_H
#define BUF_H

#include <stddef.h>

struct buf {
	char	*p;
	size_t	 off;		/* consumed prefix: data is p[off..len) */
	size_t	 len;
	size_t	 cap;
	int	 oom;
};

int	 buf_reserve(struct buf *, size_t);
void	 buf_add(struct buf *, const void *, size_t);
void	 buf_addc(struct buf *, char);
void	 buf_adds(struct buf *, const char *);
void	 buf_addf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Insert bytes before the data (in the consumed prefix when it fits). */
void	 buf_prepend(struct buf *, const void *, size_t);
void	 buf_consume(struct buf *, size_t);
void	 buf_reset(struct buf *);
void	 buf_free(struct buf *);

static inline const char *
buf_data(const struct buf *b)
{
	return b->p != NULL ? b->p + b->off : NULL;	/* no NULL + 0 */
}

static inline size_t
buf_used(const struct buf *b)
{
	return b->len - b->off;
}

#endif
