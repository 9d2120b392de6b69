/*
 * hreq.c: one HTTP/1.1 exchange, driven by the loop (hreq.h).
 *
 *   RESOLVE  a name is looked up by getaddrinfo() in a child, which
 *            writes the addresses to a pipe; a literal skips this;
 *   CONNECT  each address in turn, non-blocking, until one answers;
 *   SEND     the request, as the owner built it;
 *   HEAD     the answer's head, at most LIM_HTTPC_HEAD bytes and
 *            LIM_HTTPC_FIELDS fields (1xx interim answers skipped);
 *   BODY     framed by Transfer-Encoding: chunked, Content-Length, or
 *            the server's close; none for HEAD, 1xx, 204 and 304.
 *
 * The owner's callbacks may free the exchange: every call out is made
 * through out_*(), which tell the caller to stop touching it.
 */
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/lim.h"
#include "base/loop.h"
#include "httpc/hreq.h"
#include "net/http.h"

enum { S_RESOLVE, S_CONNECT, S_SEND, S_HEAD, S_BODY, S_DONE };
enum { F_NONE, F_LENGTH, F_CHUNKED, F_CLOSE };
enum { C_SIZE, C_DATA, C_DATA_END, C_TRAILER };

struct hreq {
	int			 state;
	const struct hreq_ops	*ops;
	void			*arg;
	int			 head_only;
	struct buf		 out;		/* the request */
	size_t			 sent;
	int			 fd;
	/* Resolution. */
	char			*name;
	char			 port[8];
	pid_t			 rpid;
	int			 rfd;
	struct buf		 rbuf;
	struct sockaddr_storage	 addr[LIM_HTTPC_ADDRS];
	socklen_t		 alen[LIM_HTTPC_ADDRS];
	size_t			 naddr, next;
	int			 lasterr;
	/* The answer. */
	struct buf		 in;
	int			 framing;
	uint64_t		 left;
	int			 cstate;
	int			 paused;
	uint64_t		 resume;	/* timer */
	/* Callbacks under way, and a free asked for meanwhile. */
	int			 incb;
	int			 dead;
};

static void	 io(int, short, void *);
static void	 next_addr(struct hreq *);
static int	 body(struct hreq *);

static void
release(struct hreq *h)
{
	if (h->fd != -1) {
		loop_fd_del(h->fd);
		close(h->fd);
		h->fd = -1;
	}
	if (h->rfd != -1) {
		loop_fd_del(h->rfd);
		close(h->rfd);
		h->rfd = -1;
	}
	if (h->rpid > 0) {
		(void)kill(h->rpid, SIGKILL);	/* reaped by the loop */
		h->rpid = 0;
	}
	if (h->resume != 0) {
		loop_timer_del(h->resume);
		h->resume = 0;
	}
}

static void
destroy(struct hreq *h)
{
	release(h);
	buf_free(&h->out);
	buf_free(&h->in);
	buf_free(&h->rbuf);
	free(h->name);
	free(h);
}

void
hreq_free(struct hreq *h)
{
	if (h == NULL)
		return;
	if (h->incb > 0) {
		h->dead = 1;
		release(h);
		return;
	}
	destroy(h);
}

/* After a call out: -1 when the exchange is gone (freed or finished). */
static int
back(struct hreq *h)
{
	if (--h->incb == 0 && h->dead) {
		destroy(h);
		return -1;
	}
	return h->dead || h->state == S_DONE ? -1 : 0;
}

/* The end: done(why) once, the socket closed.  -1: stop touching h. */
static int
finish(struct hreq *h, const char *why)
{
	release(h);
	h->state = S_DONE;
	h->incb++;
	h->ops->done(h->arg, why);
	(void)back(h);
	return -1;
}

static int
out_data(struct hreq *h, const char *p, size_t n)
{
	if (n == 0)
		return 0;
	h->incb++;
	h->ops->data(h->arg, p, n);
	return back(h);
}

/* --- resolution and connection --------------------------------------- */

static void
resolved(pid_t pid, int status, void *arg)
{
	(void)pid;
	(void)status;
	(void)arg;
}

/* The child: look the name up, write [len][sockaddr]... to fd, exit. */
static void __attribute__((noreturn))
lookup(const char *name, const char *port, int fd)
{
	struct addrinfo	 hints, *res, *ai;
	unsigned char	 len;
	int		 n = 0;

	(void)syscall(SYS_close_range, 0U, (unsigned)fd - 1, 0);
	(void)syscall(SYS_close_range, (unsigned)fd + 1, ~0U, 0);
	/* A lookup can last the resolver's timeouts: not past the server. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1)
		_exit(1);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_ADDRCONFIG;
	if (getaddrinfo(name, port, &hints, &res) != 0)
		_exit(1);
	for (ai = res; ai != NULL && n < LIM_HTTPC_ADDRS; ai = ai->ai_next) {
		if (ai->ai_addrlen > sizeof(struct sockaddr_storage))
			continue;
		len = (unsigned char)ai->ai_addrlen;
		if (write(fd, &len, 1) != 1 ||
		    write(fd, ai->ai_addr, len) != (ssize_t)len)
			_exit(1);
		n++;
	}
	_exit(0);
}

static void
resolve_io(int fd, short revents, void *arg)
{
	struct hreq	*h = arg;
	const unsigned char *p;
	char		 chunk[512];
	size_t		 i, n;
	ssize_t		 r;

	(void)revents;
	for (;;) {
		r = read(fd, chunk, sizeof(chunk));
		if (r > 0) {
			buf_add(&h->rbuf, chunk, (size_t)r);
			continue;
		}
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1 && errno == EAGAIN)
			return;
		break;
	}
	loop_fd_del(h->rfd);
	close(h->rfd);
	h->rfd = -1;
	h->rpid = 0;		/* it has written all: the loop reaps it */
	p = (const unsigned char *)buf_data(&h->rbuf);
	n = buf_used(&h->rbuf);
	for (i = 0; i < n && h->naddr < LIM_HTTPC_ADDRS; ) {
		if (p[i] == 0 || i + 1 + p[i] > n ||
		    p[i] > sizeof(struct sockaddr_storage))
			break;
		memcpy(&h->addr[h->naddr], p + i + 1, p[i]);
		h->alen[h->naddr++] = p[i];
		i += 1 + (size_t)p[i];
	}
	if (h->naddr == 0) {
		(void)finish(h, "dns error: failed to lookup address "
		    "information");
		return;
	}
	h->state = S_CONNECT;
	next_addr(h);
}

static int
start_lookup(struct hreq *h, struct buf *err)
{
	int	 p[2];
	pid_t	 pid;

	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) == -1)
		goto fail;
	if ((pid = fork()) == -1) {
		close(p[0]);
		close(p[1]);
		goto fail;
	}
	if (pid == 0)
		lookup(h->name, h->port, p[1]);
	close(p[1]);
	h->rfd = p[0];
	h->rpid = pid;
	if (loop_child_add(pid, resolved, NULL) == -1 ||
	    loop_fd_add(h->rfd, POLLIN, resolve_io, h) == -1)
		goto fail;
	return 0;
fail:
	buf_addf(err, "cannot look up %s: %s", h->name, strerror(errno));
	return -1;
}

/* Connect to the next address; done() when none is left. */
static void
next_addr(struct hreq *h)
{
	const struct sockaddr	*sa;

	while (h->next < h->naddr) {
		sa = (const struct sockaddr *)&h->addr[h->next];
		if ((h->fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, 0)) == -1) {
			h->lasterr = errno;
			h->next++;
			continue;
		}
		if (connect(h->fd, sa, h->alen[h->next]) == -1 &&
		    errno != EINPROGRESS) {
			h->lasterr = errno;
			close(h->fd);
			h->fd = -1;
			h->next++;
			continue;
		}
		if (loop_fd_add(h->fd, POLLOUT, io, h) == -1) {
			close(h->fd);
			h->fd = -1;
			(void)finish(h, "out of memory");
			return;
		}
		return;
	}
	(void)finish(h, strerror(h->lasterr != 0 ? h->lasterr :
	    EHOSTUNREACH));
}

/* --- the answer --------------------------------------------------------- */

/* Does the comma-separated list end in token t (case-insensitive)? */
static int
ends_with(const char *v, size_t n, const char *t)
{
	size_t	 tl = strlen(t);

	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == ','))
		n--;
	return n >= tl && strncasecmp(v + n - tl, t, tl) == 0 &&
	    (n == tl || v[n - tl - 1] == ',' || v[n - tl - 1] == ' ' ||
	    v[n - tl - 1] == '\t');
}

/* Parse the head at the start of h->in; 1 done, 0 need more, -1 bad. */
static int
head(struct hreq *h, const char **why)
{
	struct hreq_field	 f[LIM_HTTPC_FIELDS];
	char			*p = h->in.p + h->in.off, *e, *line, *nl, *c;
	size_t			 n = buf_used(&h->in), nf = 0, hl, k;
	uint64_t		 cl = 0;
	int			 status, have_cl = 0, te = 0, chunked = 0, r;

	*why = "invalid HTTP response";
	for (e = NULL, k = 0; k + 1 < n; k++)
		if (p[k] == '\n' && (p[k + 1] == '\n' || (k + 2 < n &&
		    p[k + 1] == '\r' && p[k + 2] == '\n'))) {
			e = p + k + 1;
			break;
		}
	if (e == NULL) {
		if (n > LIM_HTTPC_HEAD) {
			*why = "response head over 64 KiB";
			return -1;
		}
		return 0;
	}
	hl = (size_t)(e - p) + (*e == '\r' ? 2 : 1);
	if (hl > LIM_HTTPC_HEAD) {
		*why = "response head over 64 KiB";
		return -1;
	}
	/* "HTTP/1.x NNN reason" */
	if (e - p < 12 || memcmp(p, "HTTP/1.", 7) != 0 ||
	    (p[7] != '0' && p[7] != '1') || p[8] != ' ' ||
	    p[9] < '1' || p[9] > '5' || p[10] < '0' || p[10] > '9' ||
	    p[11] < '0' || p[11] > '9' || (p[12] != ' ' && p[12] != '\r' &&
	    p[12] != '\n'))
		return -1;
	status = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
	line = (char *)memchr(p, '\n', n) + 1;
	while (line < e) {
		nl = memchr(line, '\n', (size_t)(e - line + 1));
		k = (size_t)(nl - line);
		if (k > 0 && line[k - 1] == '\r')
			k--;
		if (line[0] == ' ' || line[0] == '\t')
			return -1;		/* obs-fold */
		if (nf == LIM_HTTPC_FIELDS) {
			*why = "too many header fields in the response";
			return -1;
		}
		for (c = line; c < line + k && http_is_tchar((unsigned char)*c);
		    c++)
			*c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
		if (c == line || c == line + k || *c != ':')
			return -1;
		f[nf].name = line;
		f[nf].nlen = (size_t)(c - line);
		for (c++; c < line + k && (*c == ' ' || *c == '\t'); c++)
			;
		f[nf].value = c;
		f[nf].vlen = (size_t)(line + k - c);
		while (f[nf].vlen > 0 && (c[f[nf].vlen - 1] == ' ' ||
		    c[f[nf].vlen - 1] == '\t'))
			f[nf].vlen--;
		if (f[nf].nlen == 14 && memcmp(line, "content-length", 14) ==
		    0) {
			uint64_t v = 0;

			for (k = 0; k < f[nf].vlen; k++) {
				if (c[k] < '0' || c[k] > '9' ||
				    v > (UINT64_MAX - 9) / 10)
					return -1;
				v = v * 10 + (uint64_t)(c[k] - '0');
			}
			if (f[nf].vlen == 0 || (have_cl && v != cl))
				return -1;
			have_cl = 1;
			cl = v;
		} else if (f[nf].nlen == 17 && memcmp(line,
		    "transfer-encoding", 17) == 0) {
			te = 1;
			chunked = ends_with(c, f[nf].vlen, "chunked");
		}
		nf++;
		line = nl + 1;
	}
	/* 1xx (but 101) is interim: the real answer follows. */
	if (status >= 100 && status < 200 && status != 101) {
		buf_consume(&h->in, hl);
		return 2;
	}
	if (h->head_only || status < 200 || status == 204 || status == 304)
		h->framing = F_NONE;
	else if (te)
		h->framing = chunked ? F_CHUNKED : F_CLOSE;
	else if (have_cl) {
		h->framing = F_LENGTH;
		h->left = cl;
	} else
		h->framing = F_CLOSE;
	h->cstate = C_SIZE;
	h->state = S_BODY;
	h->incb++;
	r = h->ops->head(h->arg, status, f, nf);
	if (back(h) == -1)
		return 3;
	if (r != 0) {
		release(h);
		h->state = S_DONE;
		return 3;
	}
	buf_consume(&h->in, hl);
	return 1;
}

/* Chunked framing: deliver what is whole in h->in; -1: stop. */
static int
chunks(struct hreq *h)
{
	char		*p, *nl;
	size_t		 n, k;
	uint64_t	 v;
	int		 d;

	while (!h->paused && h->state == S_BODY) {
		p = h->in.p + h->in.off;
		n = buf_used(&h->in);
		if (h->cstate == C_DATA) {
			k = n < h->left ? n : (size_t)h->left;
			if (k == 0)
				return 0;
			h->left -= k;
			if (h->left == 0)
				h->cstate = C_DATA_END;
			if (out_data(h, p, k) == -1)
				return -1;
			buf_consume(&h->in, k);
			continue;
		}
		if ((nl = memchr(p, '\n', n)) == NULL)
			return n > 4096 ? finish(h, "invalid chunk size line") : 0;
		k = (size_t)(nl - p);
		if (k > 0 && p[k - 1] == '\r')
			k--;
		if (h->cstate == C_DATA_END) {
			if (k != 0)
				return finish(h, "invalid chunk end");
			h->cstate = C_SIZE;
		} else if (h->cstate == C_TRAILER) {
			if (k == 0) {
				buf_consume(&h->in, (size_t)(nl - p) + 1);
				return finish(h, NULL);
			}
		} else {
			for (v = 0, d = 0; (size_t)d < k &&
			    (p[d] >= '0' && p[d] <= '9' ? 1 : (p[d] | 32) >= 'a' &&
			    (p[d] | 32) <= 'f'); d++) {
				if (v > (UINT64_MAX >> 4))
					return finish(h, "invalid chunk size");
				v = v << 4 | (uint64_t)(p[d] <= '9' ? p[d] - '0' :
				    (p[d] | 32) - 'a' + 10);
			}
			if (d == 0 || ((size_t)d < k && p[d] != ';' &&
			    p[d] != ' ' && p[d] != '\t'))
				return finish(h, "invalid chunk size");
			h->left = v;
			h->cstate = v == 0 ? C_TRAILER : C_DATA;
		}
		buf_consume(&h->in, (size_t)(nl - p) + 1);
	}
	return h->state == S_BODY ? 0 : -1;
}

/* Deliver the body bytes in h->in as the framing allows; -1: stop. */
static int
body(struct hreq *h)
{
	size_t	 n, k;

	if (h->framing == F_NONE)
		return finish(h, NULL);
	if (h->framing == F_CHUNKED)
		return chunks(h);
	if (h->paused)
		return 0;
	n = buf_used(&h->in);
	k = h->framing == F_LENGTH && n > h->left ? (size_t)h->left : n;
	if (h->framing == F_LENGTH)
		h->left -= k;
	if (out_data(h, h->in.p + h->in.off, k) == -1)
		return -1;
	buf_consume(&h->in, n);
	if (h->framing == F_LENGTH && h->left == 0)
		return finish(h, NULL);
	return 0;
}

static void
resume_body(void *arg)
{
	struct hreq	*h = arg;

	h->resume = 0;
	if (h->state == S_BODY && body(h) == 0 && !h->paused)
		loop_fd_events(h->fd, POLLIN);
}

void
hreq_pause(struct hreq *h, int pause)
{
	if (h->state != S_BODY || h->paused == pause)
		return;
	h->paused = pause;
	loop_fd_events(h->fd, pause ? 0 : POLLIN);
	if (!pause && buf_used(&h->in) > 0 && h->resume == 0)
		h->resume = loop_timer_add(0, resume_body, h);
}

static void
io(int fd, short revents, void *arg)
{
	struct hreq	*h = arg;
	const char	*why;
	char		 chunk[65536];
	ssize_t		 r;
	int		 e;
	socklen_t	 el = sizeof(e);

	if (h->state == S_CONNECT) {
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el) == -1)
			e = errno;
		if (e != 0) {
			h->lasterr = e;
			loop_fd_del(fd);
			close(fd);
			h->fd = -1;
			h->next++;
			next_addr(h);
			return;
		}
		h->state = S_SEND;
	}
	if (h->state == S_SEND) {
		while (h->sent < buf_used(&h->out)) {
			r = write(fd, buf_data(&h->out) + h->sent,
			    buf_used(&h->out) - h->sent);
			if (r == -1 && errno == EINTR)
				continue;
			if (r == -1 && errno == EAGAIN)
				return;
			if (r == -1) {
				(void)finish(h, strerror(errno));
				return;
			}
			h->sent += (size_t)r;
		}
		h->state = S_HEAD;
		loop_fd_events(fd, POLLIN);
		return;
	}
	(void)revents;
	for (;;) {
		if (h->paused)
			return;
		r = read(fd, chunk, sizeof(chunk));
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1 && errno == EAGAIN)
			return;
		if (r == -1) {
			(void)finish(h, strerror(errno));
			return;
		}
		if (r == 0) {
			if (h->state == S_HEAD)
				(void)finish(h, "connection closed before the "
				    "answer");
			else if (h->framing == F_CLOSE)
				(void)finish(h, NULL);
			else
				(void)finish(h, "connection closed before the "
				    "body was complete");
			return;
		}
		buf_add(&h->in, chunk, (size_t)r);
		if (h->in.oom) {
			(void)finish(h, "out of memory");
			return;
		}
		while (h->state == S_HEAD) {
			switch (head(h, &why)) {
			case 0:
				goto more;
			case -1:
				(void)finish(h, why);
				return;
			case 3:
				return;		/* stopped, or freed */
			case 2:
				continue;	/* an interim answer */
			}
		}
		if (body(h) == -1)
			return;
more:
		;
	}
}

static void
first_addr(void *arg)
{
	struct hreq	*h = arg;

	h->resume = 0;
	next_addr(h);
}

struct hreq *
hreq_start(const struct hurl *url, const struct buf *req, int head_only,
    const struct hreq_ops *ops, void *arg, struct buf *err)
{
	struct sockaddr_in	*s4;
	struct sockaddr_in6	*s6;
	struct hreq		*h;

	if ((h = calloc(1, sizeof(*h))) == NULL) {
		buf_adds(err, "out of memory");
		return NULL;
	}
	h->fd = h->rfd = -1;
	h->ops = ops;
	h->arg = arg;
	h->head_only = head_only;
	buf_add(&h->out, buf_data(req), buf_used(req));
	s4 = (struct sockaddr_in *)(void *)&h->addr[0];
	s6 = (struct sockaddr_in6 *)(void *)&h->addr[0];
	if (!url->ipv6 && inet_pton(AF_INET, url->host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)url->port);
		h->alen[0] = sizeof(*s4);
		h->naddr = 1;
	} else if (inet_pton(AF_INET6, url->host, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)url->port);
		h->alen[0] = sizeof(*s6);
		h->naddr = 1;
	}
	if (h->out.oom)
		goto oom;
	if (h->naddr > 0) {
		/* From the loop: no callback before the owner has h. */
		h->state = S_CONNECT;
		if ((h->resume = loop_timer_add(0, first_addr, h)) == 0)
			goto oom;
		return h;
	}
	h->state = S_RESOLVE;
	snprintf(h->port, sizeof(h->port), "%u", url->port);
	if ((h->name = strdup(url->host)) == NULL)
		goto oom;
	if (start_lookup(h, err) == -1) {
		destroy(h);
		return NULL;
	}
	return h;
oom:
	buf_adds(err, "out of memory");
	destroy(h);
	return NULL;
}
