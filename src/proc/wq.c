/*
 * wq.c: queued, non-blocking writes through the loop.
 *
 * The descriptor is in the loop (POLLOUT) only while bytes wait.  A write
 * error (EPIPE: the reader is gone; EIO: a terminal without a slave)
 * drops what waits and, unless the queue keeps its descriptor, closes it:
 * later writes are then silently dropped, as the reference's are.
 */
#include <errno.h>
#include <poll.h>
#include <unistd.h>

#include "base/loop.h"
#include "proc/wq.h"

static void	on_writable(int, short, void *);

void
wq_init(struct wq *q, int fd, int keep)
{
	q->fd = fd;
	q->keep = keep;
	q->b = (struct buf){ 0 };
}

size_t
wq_pending(const struct wq *q)
{
	return buf_used(&q->b);
}

void
wq_close(struct wq *q)
{
	if (q->fd >= 0) {
		loop_fd_del(q->fd);
		close(q->fd);
		q->fd = -1;
	}
	buf_free(&q->b);
}

static void
flush(struct wq *q)
{
	ssize_t	 n;

	while (q->fd >= 0 && buf_used(&q->b) > 0) {
		n = write(q->fd, buf_data(&q->b), buf_used(&q->b));
		if (n > 0) {
			buf_consume(&q->b, (size_t)n);
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return;
		buf_free(&q->b);
		if (!q->keep)
			wq_close(q);
		break;
	}
	if (q->fd >= 0)
		loop_fd_del(q->fd);
}

static void
on_writable(int fd, short revents, void *arg)
{
	(void)fd;
	(void)revents;
	flush(arg);
}

int
wq_write(struct wq *q, const void *p, size_t len)
{
	int	 idle = buf_used(&q->b) == 0;

	if (q->fd < 0 || len == 0)
		return 0;
	buf_add(&q->b, p, len);
	if (q->b.oom) {
		buf_free(&q->b);
		return -1;
	}
	if (idle) {
		flush(q);
		if (q->fd >= 0 && buf_used(&q->b) > 0 &&
		    loop_fd_add(q->fd, POLLOUT, on_writable, q) == -1)
			return -1;
	}
	return 0;
}
