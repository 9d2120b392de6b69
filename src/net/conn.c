/*
 * conn.c: connections, from bytes to messages and back.
 *
 * WebSocket: the HTTP upgrade (http.c), then RFC 6455 frames (ws.c).
 * stdio: JSON lines.  Each complete message goes up to the layer that
 * conn_listen() or conn_stdio() was given (struct conn_ops: rpc.c, wired
 * by main.c); each outgoing message is framed and queued.  This file
 * knows no method and no JSON.  Reading stops while a client's
 * queue is over LIM_OUTQ_HIGH, so a client that does not read cannot make
 * the server grow without bound by sending requests.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "base/lim.h"
#include "base/loop.h"
#include "net/auth.h"
#include "net/conn.h"
#include "net/http.h"
#include "net/net.h"
#include "net/ws.h"

enum state {
	ST_HTTP,		/* reading the upgrade request */
	ST_OPEN,		/* exchanging messages */
	ST_CLOSING,		/* flushing, then closing */
	ST_DEAD			/* torn down at the end of this round */
};

struct msg {
	struct msg	*next;
	uint8_t		 hdr[14];	/* WebSocket frame header */
	size_t		 hdrlen;
	struct buf	 body;
	size_t		 sent;		/* of hdr + body */
};

struct conn {
	struct conn	*next;
	int		 kind;
	int		 in, out;	/* the same socket for WebSocket */
	enum state	 state;
	int		 http_only;	/* answered a plain HTTP request */
	int		 eof;		/* peer finished sending */
	int		 throttled;	/* reading paused by the queue */
	uint64_t	 resume;	/* timer: handle input read before a pause */
	int		 skipline;	/* stdio: discarding an oversized line */
	struct buf	 ibuf;
	struct msg	*head, *tail;
	size_t		 pending;
	struct ws	 ws;
	void		*up;		/* the upper layer's state */
	uint64_t	 timer;		/* handshake timeout, ping, or linger */
	char		 peer[64];
};

static struct conn	*conns;
static int		 nconns;
static int		 listen_fd = -1;
static uint64_t		 accept_timer;	/* backing off accept() */
static const struct conn_ops *ops;	/* the layer above */
static uint64_t		 reap_timer;

static void	conn_io(int, short, void *);
static void	flush(struct conn *);
static void	resume_input(void *);

int
conn_kind(const struct conn *c)
{
	return c->kind;
}

const char *
conn_peer(const struct conn *c)
{
	return c->peer;
}

size_t
conn_pending(const struct conn *c)
{
	return c->pending;
}

/*
 * Bodies over this size are given back to the kernel a slice per loop
 * round: unmapping a 1 GiB fs/readFile answer at once stalls every other
 * client for ~100 ms.
 */
#define RELEASE_SLICE	(64 * 1024 * 1024)

static char	*release_p;
static size_t	 release_len;
static uint64_t	 release_timer;

static void
release_tick(void *arg)
{
	char	*p;

	(void)arg;
	release_timer = 0;
	if (release_len <= RELEASE_SLICE) {
		free(release_p);
		release_p = NULL;
		release_len = 0;
		return;
	}
	release_len -= RELEASE_SLICE;
	/* Shrinking a mapped chunk unmaps its tail; on failure keep it. */
	if ((p = realloc(release_p, release_len)) != NULL)
		release_p = p;
	release_timer = loop_timer_add(0, release_tick, NULL);
}

static void
msg_free(struct msg *m)
{
	if (m->body.cap > RELEASE_SLICE && release_p == NULL &&
	    (release_timer = loop_timer_add(0, release_tick, NULL)) != 0) {
		release_p = m->body.p;
		release_len = m->body.cap;
	} else
		buf_free(&m->body);
	free(m);
}

static void
conn_free(struct conn *c)
{
	struct msg	*m;

	if (c->up != NULL)
		ops->close(c->up);
	if (c->timer)
		loop_timer_del(c->timer);
	if (c->resume)
		loop_timer_del(c->resume);
	loop_fd_del(c->in);
	close(c->in);
	if (c->out != c->in) {
		loop_fd_del(c->out);
		close(c->out);
	}
	while ((m = c->head) != NULL) {
		c->head = m->next;
		msg_free(m);
	}
	buf_free(&c->ibuf);
	ws_free(&c->ws);
	free(c);
}

/* Free the dead connections; runs from a timer, outside any callback. */
static void
reap(void *arg)
{
	struct conn	**cp, *c;
	int		 stdio_gone = 0;

	(void)arg;
	reap_timer = 0;
	for (cp = &conns; (c = *cp) != NULL; ) {
		if (c->state != ST_DEAD) {
			cp = &c->next;
			continue;
		}
		*cp = c->next;
		if (c->kind == CONN_STDIO)
			stdio_gone = 1;
		else
			nconns--;
		conn_free(c);
	}
	if (stdio_gone)
		loop_stop();
}

static void
kill_conn(struct conn *c)
{
	if (c->state == ST_DEAD)
		return;
	c->state = ST_DEAD;
	loop_fd_del(c->in);
	if (c->out != c->in)
		loop_fd_del(c->out);
	if (reap_timer == 0)
		reap_timer = loop_timer_add(0, reap, NULL);
}

/* Poll for what the connection needs now. */
static void
arm(struct conn *c)
{
	short	 ev = 0;

	if (c->state == ST_DEAD)
		return;
	if (c->throttled && c->pending < LIM_OUTQ_LOW) {
		c->throttled = 0;
		/*
		 * Messages already read may wait in ibuf, and poll() will not
		 * report them: handle them from the loop, not from here.
		 */
		if (buf_used(&c->ibuf) > 0 && c->resume == 0)
			c->resume = loop_timer_add(0, resume_input, c);
		if (c->up != NULL)
			ops->drained(c->up);
	} else if (!c->throttled && c->pending > LIM_OUTQ_HIGH)
		c->throttled = 1;
	if (!c->eof && !c->throttled)
		ev |= POLLIN;
	if (c->in == c->out) {
		if (c->head != NULL)
			ev |= POLLOUT;
		loop_fd_events(c->in, ev);
	} else {
		loop_fd_events(c->in, ev);
		loop_fd_events(c->out, c->head != NULL ? POLLOUT : 0);
	}
}

static void
enqueue(struct conn *c, struct msg *m)
{
	m->next = NULL;
	if (c->tail != NULL)
		c->tail->next = m;
	else
		c->head = m;
	c->tail = m;
	c->pending += m->hdrlen + buf_used(&m->body);
}

/* Queue bytes as they are (an HTTP answer). */
static void
queue_raw(struct conn *c, struct buf *body)
{
	struct msg	*m;

	if ((m = calloc(1, sizeof(*m))) == NULL || body->oom) {
		free(m);
		buf_free(body);
		kill_conn(c);
		return;
	}
	m->body = *body;
	memset(body, 0, sizeof(*body));
	enqueue(c, m);
}

/* Queue a WebSocket frame (or a stdio line) whose payload is *body. */
static void
queue(struct conn *c, int opcode, struct buf *body)
{
	struct msg	*m;
	size_t		 n = buf_used(body);
	int		 i;

	if ((m = calloc(1, sizeof(*m))) == NULL) {
		buf_free(body);
		kill_conn(c);
		return;
	}
	m->body = *body;
	memset(body, 0, sizeof(*body));
	if (c->kind == CONN_WS) {
		m->hdr[0] = 0x80 | opcode;
		if (n < 126) {
			m->hdr[1] = n;
			m->hdrlen = 2;
		} else if (n <= 0xffff) {
			m->hdr[1] = 126;
			m->hdr[2] = n >> 8;
			m->hdr[3] = n & 0xff;
			m->hdrlen = 4;
		} else {
			m->hdr[1] = 127;
			for (i = 0; i < 8; i++)
				m->hdr[2 + i] = (uint64_t)n >> (56 - 8 * i);
			m->hdrlen = 10;
		}
	} else
		buf_addc(&m->body, '\n');
	if (m->body.oom) {
		msg_free(m);
		kill_conn(c);
		return;
	}
	enqueue(c, m);
	/*
	 * Small messages wait for this loop round to end (POLLOUT is ready
	 * at once), so that the notifications of one round of reads leave
	 * in one writev; past LIM_OUTQ_LOW they go now.
	 */
	if (c->pending > LIM_OUTQ_LOW || c->state != ST_OPEN)
		flush(c);
	else
		arm(c);
}

void
conn_send(struct conn *c, struct buf *msg)
{
	int	 oom = msg->oom;

	if (c->state != ST_OPEN || oom) {
		buf_free(msg);
		if (oom)
			conn_close(c, WS_CLOSE_GOING_AWAY, "out of memory");
		return;
	}
	queue(c, WS_OP_TEXT, msg);
}

static void
send_control(struct conn *c, int opcode, const void *p, size_t n)
{
	struct buf	 b = { 0 };

	buf_add(&b, p, n);
	queue(c, opcode, &b);
}

static void
linger_done(void *arg)
{
	struct conn	*c = arg;

	c->timer = 0;
	kill_conn(c);
}

/* Everything is written: finish a closing connection. */
static void
drained_closing(struct conn *c)
{
	if (c->kind != CONN_WS) {
		kill_conn(c);
		return;
	}
	/*
	 * Half-close and wait briefly for the peer's FIN, so the kernel does
	 * not reset the connection under unread data (RFC 6455 §7.1.1).
	 */
	shutdown(c->out, SHUT_WR);
	if (c->eof) {
		kill_conn(c);
		return;
	}
	if (c->timer)
		loop_timer_del(c->timer);
	c->timer = loop_timer_add(2000, linger_done, c);
}

static void
flush(struct conn *c)
{
	struct iovec	 iov[64];
	struct msg	*m;
	size_t		 done, k;
	ssize_t		 n;
	int		 i;

	while (c->head != NULL && c->state != ST_DEAD) {
		i = 0;
		for (m = c->head; m != NULL && i < 62; m = m->next) {
			k = m->sent;
			if (k < m->hdrlen) {
				iov[i].iov_base = m->hdr + k;
				iov[i++].iov_len = m->hdrlen - k;
				k = m->hdrlen;
			}
			iov[i].iov_base = (char *)buf_data(&m->body) +
			    (k - m->hdrlen);
			iov[i++].iov_len = buf_used(&m->body) - (k - m->hdrlen);
		}
		n = writev(c->out, iov, i);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				kill_conn(c);
			break;
		}
		c->pending -= (size_t)n;
		done = (size_t)n;
		while ((m = c->head) != NULL && done > 0) {
			k = m->hdrlen + buf_used(&m->body) - m->sent;
			if (done < k) {
				m->sent += done;
				break;
			}
			done -= k;
			c->head = m->next;
			if (c->head == NULL)
				c->tail = NULL;
			msg_free(m);
		}
	}
	if (c->head == NULL && c->state == ST_CLOSING)
		drained_closing(c);
	arm(c);
}

void
conn_close(struct conn *c, uint16_t code, const char *reason)
{
	struct buf	 b = { 0 };
	size_t		 n;

	if (c->state == ST_CLOSING || c->state == ST_DEAD)
		return;
	if (c->kind == CONN_WS && c->state == ST_OPEN) {
		/* Payload: the code, then a reason cut to fit 125 bytes. */
		buf_addc(&b, (char)(code >> 8));
		buf_addc(&b, (char)(code & 0xff));
		n = reason != NULL ? strlen(reason) : 0;
		buf_add(&b, reason, n > 123 ? 123 : n);
		c->state = ST_CLOSING;
		queue(c, WS_OP_CLOSE, &b);
		return;
	}
	c->state = ST_CLOSING;
	flush(c);
}

/*
 * WebSocket keepalive: a ping every LIM_WS_PING_MS, as the reference
 * sends.
 */
static void
ping(void *arg)
{
	struct conn	*c = arg;

	c->timer = loop_timer_add(LIM_WS_PING_MS, ping, c);
	if (c->state == ST_OPEN)
		send_control(c, WS_OP_PING, "", 0);
}

static void
handshake_timeout(void *arg)
{
	struct conn	*c = arg;

	c->timer = 0;
	kill_conn(c);
}

/* Read the upgrade request and answer it. */
static void
do_http(struct conn *c)
{
	struct http_req		 req;
	struct http_answer	 a;
	struct buf		 out = { 0 };
	int			 r;

	r = http_req_parse(&req, buf_data(&c->ibuf), buf_used(&c->ibuf));
	if (r == HTTP_NEED_MORE) {
		if (c->eof)
			kill_conn(c);
		return;
	}
	if (r == HTTP_BAD) {
		a.status = 400;
		a.body = "";
	} else if (r == HTTP_TOO_BIG) {
		a.status = 431;
		a.body = "";
	} else {
		http_route(&req, &a);
		if (a.status == 101 &&
		    (a.body = auth_check(&req, (int64_t)time(NULL))) != NULL)
			a.status = 401;
	}
	http_answer_write(&out, r > 0 ? &req : NULL, &a);
	if (r > 0)
		buf_consume(&c->ibuf, req.head_len);
	queue_raw(c, &out);
	if (c->state == ST_DEAD)
		return;
	loop_timer_del(c->timer);
	c->timer = 0;
	if (a.status != 101) {
		c->http_only = 1;
		c->state = ST_CLOSING;
		flush(c);
		return;
	}
	if ((c->up = ops->open(c)) == NULL) {
		c->state = ST_CLOSING;
		flush(c);
		return;
	}
	c->state = ST_OPEN;
	c->timer = loop_timer_add(LIM_WS_PING_MS, ping, c);
	flush(c);
}

static void
do_ws(struct conn *c)
{
	enum ws_event	 ev;

	while (c->state == ST_OPEN && !c->throttled) {
		ev = ws_feed(&c->ws, &c->ibuf);
		switch (ev) {
		case WS_EV_NONE:
			if (c->eof)
				kill_conn(c);
			return;
		case WS_EV_MESSAGE:
			ops->message(c->up, (const char *)c->ws.data,
			    c->ws.len);
			break;
		case WS_EV_PING:
			send_control(c, WS_OP_PONG, c->ws.data, c->ws.len);
			break;
		case WS_EV_PONG:
			break;
		case WS_EV_CLOSE:
			/* Echo the code, as RFC 6455 §5.5.1 asks. */
			conn_close(c, c->ws.code == WS_CLOSE_NO_STATUS ?
			    WS_CLOSE_NORMAL : c->ws.code, "");
			return;
		case WS_EV_ERROR:
			conn_close(c, c->ws.code, c->ws.why);
			return;
		}
	}
}

/* stdio: one JSON message per line; blank lines are skipped. */
static void
do_lines(struct conn *c)
{
	const char	*p, *nl;
	size_t		 n, len, i;

	while (c->state == ST_OPEN && !c->throttled) {
		p = buf_data(&c->ibuf);
		n = buf_used(&c->ibuf);
		if ((nl = memchr(p, '\n', n)) == NULL) {
			if (n > LIM_STDIO_LINE) {
				ops->oversized(c->up);
				buf_reset(&c->ibuf);
				c->skipline = 1;
			}
			if (c->eof) {
				/* A last line without its newline still counts. */
				if (n > 0 && !c->skipline) {
					ops->message(c->up, p, n);
					buf_consume(&c->ibuf, n);
				}
				ops->eof(c->up);
				conn_close(c, 0, NULL);
			}
			return;
		}
		len = (size_t)(nl - p);
		if (len > LIM_STDIO_LINE && !c->skipline) {
			/* Whole, but too long: the same answer as a partial one. */
			ops->oversized(c->up);
			buf_consume(&c->ibuf, len + 1);
			continue;
		}
		if (c->skipline) {
			/* The tail of an oversized line. */
			c->skipline = 0;
			buf_consume(&c->ibuf, len + 1);
			continue;
		}
		if (len > 0 && p[len - 1] == '\r')
			len--;
		for (i = 0; i < len; i++)
			if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
				break;
		if (i < len)
			ops->message(c->up, p, len);
		buf_consume(&c->ibuf, (size_t)(nl - p) + 1);
	}
}

static void
do_read(struct conn *c)
{
	ssize_t	 n;
	int	 rounds;

	for (rounds = 0; rounds < 16 && !c->eof; rounds++) {
		if (buf_reserve(&c->ibuf, 65536) == -1) {
			conn_close(c, WS_CLOSE_TOO_BIG, "out of memory");
			return;
		}
		n = read(c->in, c->ibuf.p + c->ibuf.len, 65536);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				kill_conn(c);
			break;
		}
		if (n == 0) {
			c->eof = 1;
			break;
		}
		c->ibuf.len += (size_t)n;
		if ((size_t)n < 65536)
			break;
	}
	switch (c->state) {
	case ST_HTTP:
		do_http(c);
		/* Bytes after the head may already be frames. */
		if (c->state == ST_OPEN && buf_used(&c->ibuf) > 0)
			do_ws(c);
		break;
	case ST_OPEN:
		if (c->kind == CONN_WS)
			do_ws(c);
		else
			do_lines(c);
		break;
	case ST_CLOSING:
		/* Discard; we only wait for the peer's FIN. */
		buf_reset(&c->ibuf);
		if (c->eof && c->head == NULL)
			kill_conn(c);
		break;
	case ST_DEAD:
		break;
	}
}

static void
resume_input(void *arg)
{
	struct conn	*c = arg;

	c->resume = 0;
	if (c->state != ST_OPEN || c->throttled)
		return;
	if (c->kind == CONN_WS)
		do_ws(c);
	else
		do_lines(c);
	arm(c);
}

static void
conn_io(int fd, short revents, void *arg)
{
	struct conn	*c = arg;

	if (c->state == ST_DEAD)
		return;
	if (revents & POLLNVAL) {
		kill_conn(c);
		return;
	}
	/*
	 * POLLERR (a reset, say): what the peer sent before it is still
	 * read and served; the read then fails and ends the connection.
	 */
	if (revents & POLLERR) {
		if (fd == c->in)
			do_read(c);
		kill_conn(c);
		return;
	}
	if (fd == c->out && (revents & (POLLOUT | POLLHUP)) && c->head != NULL)
		flush(c);
	if (c->state == ST_DEAD)
		return;
	if (fd == c->in && (revents & (POLLIN | POLLHUP)))
		do_read(c);
	arm(c);
}

static struct conn *
conn_new(int kind, int in, int out)
{
	struct conn	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->kind = kind;
	c->in = in;
	c->out = out;
	ws_init(&c->ws, WS_ROLE_SERVER);
	if (loop_fd_add(in, POLLIN, conn_io, c) == -1 ||
	    (out != in && loop_fd_add(out, 0, conn_io, c) == -1)) {
		loop_fd_del(in);
		ws_free(&c->ws);
		free(c);
		return NULL;
	}
	c->next = conns;
	conns = c;
	return c;
}

static void	accept_cb(int, short, void *);

static void
accept_resume(void *arg)
{
	(void)arg;
	accept_timer = 0;
	if (listen_fd != -1 &&
	    loop_fd_add(listen_fd, POLLIN, accept_cb, NULL) == -1)
		accept_timer = loop_timer_add(LIM_ACCEPT_BACKOFF_MS,
		    accept_resume, NULL);
}

static void
accept_cb(int fd, short revents, void *arg)
{
	static const char	 busy[] = "HTTP/1.1 503 Service Unavailable\r\n"
	    "content-length: 0\r\nconnection: close\r\n\r\n";
	struct conn	*c;
	int		 s, i;

	(void)revents;
	(void)arg;
	for (i = 0; i < 64; i++) {
		if ((s = net_accept(fd)) == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == ECONNABORTED)
				return;
			/*
			 * Out of descriptors or memory (EMFILE, ENFILE,
			 * ENOBUFS, ENOMEM): the connection stays queued and
			 * the socket stays readable, so stop watching it for
			 * a while rather than spin; the clients we have
			 * keep being served, and may free some.
			 */
			loop_fd_del(fd);
			if ((accept_timer = loop_timer_add(
			    LIM_ACCEPT_BACKOFF_MS, accept_resume, NULL)) == 0)
				(void)loop_fd_add(fd, POLLIN, accept_cb, NULL);
			return;
		}
		if (nconns >= LIM_CONNS) {
			/* Full: refuse at once rather than queue. */
			(void)!write(s, busy, sizeof(busy) - 1);
			close(s);
			continue;
		}
		if ((c = conn_new(CONN_WS, s, s)) == NULL) {
			close(s);
			continue;
		}
		nconns++;
		net_addr(s, 0, c->peer, sizeof(c->peer));
		c->timer = loop_timer_add(LIM_HTTP_TIMEOUT_MS,
		    handshake_timeout, c);
	}
}

int
conn_listen(int lfd, const struct conn_ops *o)
{
	ops = o;
	listen_fd = lfd;
	return loop_fd_add(lfd, POLLIN, accept_cb, NULL);
}

int
conn_stdio(int in, int out, const struct conn_ops *o)
{
	struct conn	*c;
	int		 fl;

	if ((fl = fcntl(in, F_GETFL)) == -1 ||
	    fcntl(in, F_SETFL, fl | O_NONBLOCK) == -1 ||
	    (fl = fcntl(out, F_GETFL)) == -1 ||
	    fcntl(out, F_SETFL, fl | O_NONBLOCK) == -1)
		return -1;
	ops = o;
	if ((c = conn_new(CONN_STDIO, in, out)) == NULL)
		return -1;
	snprintf(c->peer, sizeof(c->peer), "stdio");
	if ((c->up = ops->open(c)) == NULL)
		return -1;
	c->state = ST_OPEN;
	return 0;
}

/*
 * Shutdown: tell every WebSocket client we are going away, give the
 * queues a moment to drain, then free everything.
 */
void
conn_shutdown(void)
{
	struct conn	*c, *next;
	uint64_t	 deadline;
	struct pollfd	 pfd;

	if (accept_timer != 0) {
		loop_timer_del(accept_timer);
		accept_timer = 0;
	}
	if (listen_fd != -1) {
		loop_fd_del(listen_fd);
		close(listen_fd);
		listen_fd = -1;
	}
	for (c = conns; c != NULL; c = c->next)
		if (c->state == ST_OPEN)
			conn_close(c, WS_CLOSE_GOING_AWAY, "server shutting down");
	deadline = loop_now() + 500;
	for (c = conns; c != NULL; c = c->next) {
		while (c->head != NULL && c->state != ST_DEAD &&
		    loop_now() < deadline) {
			pfd.fd = c->out;
			pfd.events = POLLOUT;
			if (poll(&pfd, 1, (int)(deadline - loop_now())) <= 0)
				break;
			flush(c);
		}
	}
	for (c = conns; c != NULL; c = next) {
		next = c->next;
		conn_free(c);
	}
	conns = NULL;
	nconns = 0;
}
