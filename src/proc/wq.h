/*
 * wq.h: a write queue in front of a non-blocking descriptor, such as a
 * child's stdin: writes never block the loop; what the descriptor does
 * not take yet waits in memory and goes out when it is writable.
 */
#ifndef WQ_H
#define WQ_H

#include <stddef.h>

#include "base/buf.h"

struct wq {
	int		 fd;		/* -1: none, or closed */
	int		 keep;		/* on a write error keep fd, drop data */
	struct buf	 b;
};

/* Take over fd (may be -1).  keep: see above (a terminal's master). */
void	 wq_init(struct wq *, int fd, int keep);
/*
 * Queue len bytes and write what the descriptor takes now.  Bytes for a
 * closed queue are dropped.  Returns 0, or -1 when out of memory.
 */
int	 wq_write(struct wq *, const void *, size_t);
/* Bytes waiting. */
size_t	 wq_pending(const struct wq *);
/* Close the descriptor and drop what waits. */
void	 wq_close(struct wq *);

#endif
