/*
 * wsc.c: a blocking client for the WebSocket and stdio transports.
 *
 * Everything waits in poll() with the caller's deadline; while a long
 * send waits for room, whatever the server sends meanwhile is read into
 * the input buffer, so neither side can wedge the other.  Frames are
 * parsed by ws.c in the client role; pings are answered as they are
 * read.  A Close frame from the server is echoed once, as RFC 6455 asks.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/b64.h"
#include "base/buf.h"
#include "client/wsc.h"
#include "net/http.h"
#include "net/net.h"
#include "net/ws.h"

#define HEAD_MAX	(64 * 1024)
#define READ_CHUNK	(64 * 1024)

struct wsc {
	int		 kind;
	int		 rfd;		/* socket, or the child's stdout */
	int		 wfd;		/* socket, or the child's stdin */
	pid_t		 pid;
	int		 reaped;
	int		 status;
	int		 eof;		/* nothing more to read */
	int		 close_sent;
	int		 close_rcvd;
	struct buf	 in;
	struct buf	 msg;		/* the last stdio line or raw data */
	struct ws	 ws;
	char		 err[256];
};

int64_t
wsc_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
left(int64_t deadline)
{
	int64_t	 d;

	if (deadline < 0)
		return -1;
	d = deadline - wsc_now();
	if (d < 0)
		return 0;
	return d > 60000 ? 60000 : (int)d;
}

static void
setinfo(char *err, size_t errlen, const char *what, int e)
{
	if (err == NULL || errlen == 0)
		return;
	if (e != 0)
		snprintf(err, errlen, "%s: %s", what, strerror(e));
	else
		snprintf(err, errlen, "%s", what);
}

static void
fill_random(void *p, size_t n)
{
	uint8_t	*b = p;
	ssize_t	 r;
	size_t	 i;

	while (n > 0) {
		r = getrandom(b, n, 0);
		if (r <= 0) {
			/* Not for secrets: masks and upgrade keys. */
			for (i = 0; i < n; i++)
				b[i] = (uint8_t)(rand() >> 7);
			return;
		}
		b += r;
		n -= (size_t)r;
	}
}

static struct wsc *
wsc_new(int kind)
{
	struct wsc	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->kind = kind;
	c->rfd = c->wfd = -1;
	c->pid = -1;
	ws_init(&c->ws, WS_ROLE_CLIENT);
	/* A client takes whatever the server sends (56 MB responses). */
	c->ws.max_frame = (size_t)1 << 31;
	c->ws.max_msg = (size_t)1 << 31;
	return c;
}

/* Read what is there into c->in.  1 read something, 0 EOF, -1 error. */
static int
fill(struct wsc *c)
{
	ssize_t	 n;

	if (buf_reserve(&c->in, READ_CHUNK) == -1) {
		setinfo(c->err, sizeof(c->err), "out of memory", 0);
		return -1;
	}
	n = read(c->rfd, c->in.p + c->in.len, READ_CHUNK);
	if (n > 0) {
		c->in.len += (size_t)n;
		return 1;
	}
	if (n == 0) {
		c->eof = 1;
		return 0;
	}
	if (errno == EAGAIN || errno == EINTR)
		return 1;
	if (errno == ECONNRESET) {
		c->eof = 1;
		return 0;
	}
	setinfo(c->err, sizeof(c->err), "read", errno);
	return -1;
}

/* Wait for input until the deadline: 1 readable, 0 timeout, -1 error. */
static int
wait_in(struct wsc *c, int64_t deadline)
{
	struct pollfd	 pfd;
	int		 r;

	pfd.fd = c->rfd;
	pfd.events = POLLIN;
	for (;;) {
		r = poll(&pfd, 1, left(deadline));
		if (r > 0)
			return 1;
		if (r == 0) {
			if (deadline >= 0 && wsc_now() >= deadline)
				return 0;
			continue;
		}
		if (errno != EINTR) {
			setinfo(c->err, sizeof(c->err), "poll", errno);
			return -1;
		}
	}
}

/* Write all of (p, n), reading input meanwhile.  0 or -1. */
static int
write_all(struct wsc *c, const void *p, size_t n, int64_t deadline)
{
	const char	*s = p;
	struct pollfd	 pfd[2];
	ssize_t		 w;
	int		 r, np;

	if (c->wfd == -1) {
		setinfo(c->err, sizeof(c->err), "connection is closed for "
		    "sending", 0);
		return -1;
	}
	while (n > 0) {
		if (c->kind == WSC_STDIO)
			w = write(c->wfd, s, n);
		else
			w = send(c->wfd, s, n, MSG_NOSIGNAL);
		if (w > 0) {
			s += w;
			n -= (size_t)w;
			continue;
		}
		if (w == -1 && errno != EAGAIN && errno != EINTR) {
			setinfo(c->err, sizeof(c->err), "write", errno);
			return -1;
		}
		pfd[0].fd = c->wfd;
		pfd[0].events = POLLOUT;
		np = 1;
		if (!c->eof && c->rfd != -1) {
			pfd[1].fd = c->rfd;
			pfd[1].events = POLLIN;
			np = 2;
		}
		r = poll(pfd, (nfds_t)np, left(deadline));
		if (r == -1 && errno != EINTR) {
			setinfo(c->err, sizeof(c->err), "poll", errno);
			return -1;
		}
		if (r == 0 && deadline >= 0 && wsc_now() >= deadline) {
			setinfo(c->err, sizeof(c->err), "write timed out", 0);
			return -1;
		}
		if (np == 2 && (pfd[1].revents & (POLLIN | POLLHUP)) &&
		    fill(c) == -1)
			return -1;
	}
	return 0;
}

static int
nonblock(int fd)
{
	int	 fl;

	if ((fl = fcntl(fd, F_GETFL)) == -1)
		return -1;
	return fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/*
 * Split "ws://HOST:PORT[/path]" into the address part net_parse_ws()
 * takes ("ws://HOST:PORT") and the path.
 */
static int
split_url(const char *url, char *addr, size_t addrlen, const char **path)
{
	const char	*h, *slash;
	size_t		 n;

	if (strncmp(url, "ws://", 5) != 0)
		return -1;
	h = url + 5;
	slash = strchr(h, '/');
	n = slash != NULL ? (size_t)(slash - url) : strlen(url);
	if (n >= addrlen)
		return -1;
	memcpy(addr, url, n);
	addr[n] = '\0';
	*path = slash != NULL ? slash : "/";
	return 0;
}

static int
tcp_connect(struct wsc *c, const char *addr, int64_t deadline)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sslen;
	struct pollfd		 pfd;
	int			 fd, e = 0, one = 1, r;
	socklen_t		 elen = sizeof(e);

	if (net_parse_ws(addr, &ss, &sslen) == -1) {
		setinfo(c->err, sizeof(c->err), "not a ws://IP:PORT URL", 0);
		return -1;
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (fd == -1) {
		setinfo(c->err, sizeof(c->err), "socket", errno);
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&ss, sslen) == -1) {
		if (errno != EINPROGRESS) {
			setinfo(c->err, sizeof(c->err), "connect", errno);
			close(fd);
			return -1;
		}
		pfd.fd = fd;
		pfd.events = POLLOUT;
		do
			r = poll(&pfd, 1, left(deadline));
		while (r == -1 && errno == EINTR);
		if (r <= 0) {
			setinfo(c->err, sizeof(c->err), "connect timed out", 0);
			close(fd);
			return -1;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &elen) == -1 ||
		    e != 0) {
			setinfo(c->err, sizeof(c->err), "connect", e);
			close(fd);
			return -1;
		}
	}
	c->rfd = c->wfd = fd;
	return 0;
}

struct wsc *
wsc_connect_raw(const char *url, int64_t deadline, char *err, size_t errlen)
{
	struct wsc	*c;
	char		 addr[128];
	const char	*path;

	if ((c = wsc_new(WSC_RAW)) == NULL) {
		setinfo(err, errlen, "out of memory", 0);
		return NULL;
	}
	if (split_url(url, addr, sizeof(addr), &path) == -1 ||
	    tcp_connect(c, addr, deadline) == -1) {
		if (c->err[0] == '\0')
			setinfo(c->err, sizeof(c->err), "bad URL", 0);
		setinfo(err, errlen, c->err, 0);
		wsc_close(c, 0);
		return NULL;
	}
	return c;
}

/* Case-insensitive prefix match of a header line's name. */
static const char *
header_value(const char *head, size_t len, const char *name, size_t *vlen)
{
	const char	*p = head, *end = head + len, *eol, *v;
	size_t		 n = strlen(name);

	while (p < end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			eol = end;
		if ((size_t)(eol - p) > n && p[n] == ':' &&
		    strncasecmp(p, name, n) == 0) {
			v = p + n + 1;
			while (v < eol && (*v == ' ' || *v == '\t'))
				v++;
			*vlen = (size_t)(eol - v);
			while (*vlen > 0 && (v[*vlen - 1] == '\r' ||
			    v[*vlen - 1] == ' ' || v[*vlen - 1] == '\t'))
				(*vlen)--;
			return v;
		}
		p = eol + 1;
	}
	return NULL;
}

/* Read the rest of a refused upgrade's body into http->body. */
static void
read_body(struct wsc *c, struct wsc_http *http, int64_t deadline)
{
	const char	*v;
	size_t		 vlen, want = SIZE_MAX;
	char		 num[32];

	v = header_value(buf_data(&http->head), buf_used(&http->head),
	    "content-length", &vlen);
	if (v != NULL && vlen < sizeof(num)) {
		memcpy(num, v, vlen);
		num[vlen] = '\0';
		want = (size_t)strtoull(num, NULL, 10);
	}
	while (buf_used(&c->in) < want && !c->eof) {
		if (wait_in(c, deadline) <= 0 || fill(c) == -1)
			break;
	}
	vlen = buf_used(&c->in) < want ? buf_used(&c->in) : want;
	buf_add(&http->body, buf_data(&c->in), vlen);
	buf_consume(&c->in, vlen);
}

struct wsc *
wsc_connect(const char *url, const char *headers, int64_t deadline,
    struct wsc_http *http, char *err, size_t errlen)
{
	struct wsc	*c;
	struct buf	 req = { 0 };
	uint8_t		 raw[16];
	char		 key[25], accept[29], addr[128];
	const char	*path, *p, *end, *v;
	size_t		 headlen, vlen;
	int		 status;

	if (http != NULL)
		memset(http, 0, sizeof(*http));
	if ((c = wsc_new(WSC_WS)) == NULL) {
		setinfo(err, errlen, "out of memory", 0);
		return NULL;
	}
	if (split_url(url, addr, sizeof(addr), &path) == -1) {
		setinfo(c->err, sizeof(c->err), "not a ws://IP:PORT[/path] URL",
		    0);
		goto fail;
	}
	if (tcp_connect(c, addr, deadline) == -1)
		goto fail;
	fill_random(raw, sizeof(raw));
	b64_encode(key, raw, sizeof(raw));
	key[24] = '\0';
	buf_addf(&req, "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\n"
	    "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
	    "Sec-WebSocket-Version: 13\r\n%s\r\n", path, addr + 5, key,
	    headers != NULL ? headers : "");
	if (req.oom || write_all(c, buf_data(&req), buf_used(&req),
	    deadline) == -1)
		goto fail;
	/* The response head. */
	for (;;) {
		p = buf_data(&c->in);
		end = buf_used(&c->in) == 0 ? NULL :
		    memmem(p, buf_used(&c->in), "\r\n\r\n", 4);
		if (end != NULL)
			break;
		if (buf_used(&c->in) > HEAD_MAX) {
			setinfo(c->err, sizeof(c->err), "response head too "
			    "long", 0);
			goto fail;
		}
		if (c->eof) {
			setinfo(c->err, sizeof(c->err), "connection closed "
			    "during the upgrade", 0);
			goto fail;
		}
		if (wait_in(c, deadline) <= 0) {
			setinfo(c->err, sizeof(c->err), "no upgrade response",
			    0);
			goto fail;
		}
		if (fill(c) == -1)
			goto fail;
	}
	headlen = (size_t)(end - p) + 4;
	if (headlen < 12 || strncmp(p, "HTTP/1.", 7) != 0) {
		setinfo(c->err, sizeof(c->err), "not an HTTP response", 0);
		goto fail;
	}
	status = atoi(p + 9);
	if (status != 101) {
		snprintf(c->err, sizeof(c->err), "upgrade refused: HTTP %d",
		    status);
		if (http != NULL) {
			http->status = status;
			buf_add(&http->head, p, headlen);
			buf_consume(&c->in, headlen);
			read_body(c, http, deadline);
		}
		goto fail;
	}
	http_ws_accept(key, 24, accept);
	v = header_value(p, headlen, "sec-websocket-accept", &vlen);
	if (v == NULL || vlen != 28 || memcmp(v, accept, 28) != 0) {
		setinfo(c->err, sizeof(c->err), "bad Sec-WebSocket-Accept", 0);
		goto fail;
	}
	buf_consume(&c->in, headlen);
	buf_free(&req);
	return c;
fail:
	buf_free(&req);
	setinfo(err, errlen, c->err, 0);
	wsc_close(c, 0);
	return NULL;
}

void
wsc_http_free(struct wsc_http *h)
{
	buf_free(&h->head);
	buf_free(&h->body);
}

struct wsc *
wsc_spawn(const char *cmd, int errfd, char *err, size_t errlen)
{
	struct wsc	*c;
	int		 in[2], out[2];
	pid_t		 pid;

	/* A child that dies must not kill us with SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	if ((c = wsc_new(WSC_STDIO)) == NULL) {
		setinfo(err, errlen, "out of memory", 0);
		return NULL;
	}
	in[0] = in[1] = out[0] = out[1] = -1;
	if (pipe2(in, O_CLOEXEC) == -1 || pipe2(out, O_CLOEXEC) == -1 ||
	    (pid = fork()) == -1) {
		setinfo(err, errlen, "cannot start the server", errno);
		for (pid = 0; pid < 2; pid++) {
			if (in[pid] != -1)
				close(in[pid]);
			if (out[pid] != -1)
				close(out[pid]);
		}
		wsc_close(c, 0);
		return NULL;
	}
	if (pid == 0) {
		setpgid(0, 0);
		if (dup2(in[0], 0) == -1 || dup2(out[1], 1) == -1 ||
		    (errfd >= 0 && dup2(errfd, 2) == -1))
			_exit(127);
		signal(SIGPIPE, SIG_DFL);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	setpgid(pid, pid);
	close(in[0]);
	close(out[1]);
	c->pid = pid;
	c->wfd = in[1];
	c->rfd = out[0];
	nonblock(c->wfd);
	nonblock(c->rfd);
	return c;
}

int
wsc_kind(const struct wsc *c)
{
	return c->kind;
}

int
wsc_fd(const struct wsc *c)
{
	return c->rfd;
}

int
wsc_pending(const struct wsc *c)
{
	return buf_used(&c->in) > 0 || c->eof;
}

const char *
wsc_error(const struct wsc *c)
{
	return c->err;
}

pid_t
wsc_pid(const struct wsc *c)
{
	return c->pid;
}

/*
 * Append a frame of any shape.  The header is built here rather than by
 * ws_frame_write() so that RSV bits and reserved opcodes can be sent.
 */
static void
frame(struct buf *out, int opcode, int fin, int rsv, int masked,
    const void *p, size_t n)
{
	uint64_t	 k, w;
	uint8_t		 h[14], mask[4], k8[8];
	size_t		 hl = 2, i, start;
	int		 j;

	h[0] = (uint8_t)((fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0xf));
	if (n < 126)
		h[1] = (uint8_t)n;
	else if (n <= 0xffff) {
		h[1] = 126;
		h[2] = (uint8_t)(n >> 8);
		h[3] = (uint8_t)n;
		hl = 4;
	} else {
		h[1] = 127;
		for (j = 0; j < 8; j++)
			h[2 + j] = (uint8_t)((uint64_t)n >> (56 - 8 * j));
		hl = 10;
	}
	if (masked) {
		h[1] |= 0x80;
		fill_random(mask, sizeof(mask));
		memcpy(h + hl, mask, 4);
		hl += 4;
	}
	buf_add(out, h, hl);
	if (n == 0 || buf_reserve(out, n) == -1)
		return;
	start = out->len;
	memcpy(out->p + start, p, n);
	if (masked) {
		/* Eight bytes at a time, then the rest. */
		memcpy(k8, mask, 4);
		memcpy(k8 + 4, mask, 4);
		memcpy(&k, k8, 8);
		for (i = 0; i + 8 <= n; i += 8) {
			memcpy(&w, out->p + start + i, 8);
			w ^= k;
			memcpy(out->p + start + i, &w, 8);
		}
		for (; i < n; i++)
			out->p[start + i] ^= (char)mask[i & 3];
	}
	out->len += n;
}

int
wsc_send_frame(struct wsc *c, int opcode, int fin, int rsv, int masked,
    const void *p, size_t n, int64_t deadline)
{
	struct buf	 b = { 0 };
	int		 r;

	frame(&b, opcode, fin, rsv, masked, p, n);
	if (b.oom) {
		setinfo(c->err, sizeof(c->err), "out of memory", 0);
		buf_free(&b);
		return -1;
	}
	r = write_all(c, buf_data(&b), buf_used(&b), deadline);
	buf_free(&b);
	if (r == 0 && opcode == WS_OP_CLOSE)
		c->close_sent = 1;
	return r;
}

int
wsc_send(struct wsc *c, const void *p, size_t n, int binary,
    int64_t deadline)
{
	const char	*s = p;
	size_t		 k;
	int		 op = binary ? WS_OP_BINARY : WS_OP_TEXT;

	if (c->kind == WSC_WS) {
		/* Big messages go in fragments: servers cap one frame. */
		while (n > WSC_FRAGMENT) {
			k = WSC_FRAGMENT;
			if (wsc_send_frame(c, op, 0, 0, 1, s, k,
			    deadline) == -1)
				return -1;
			op = WS_OP_CONT;
			s += k;
			n -= k;
		}
		return wsc_send_frame(c, op, 1, 0, 1, s, n, deadline);
	}
	if (write_all(c, p, n, deadline) == -1)
		return -1;
	if (c->kind == WSC_STDIO)
		return write_all(c, "\n", 1, deadline);
	return 0;
}

int
wsc_send_close(struct wsc *c, int code, const char *reason, int64_t deadline)
{
	uint8_t	 p[125];
	size_t	 n = 0, rl;

	if (code > 0) {
		p[0] = (uint8_t)(code >> 8);
		p[1] = (uint8_t)code;
		rl = reason != NULL ? strlen(reason) : 0;
		if (rl > 123)
			rl = 123;
		memcpy(p + 2, reason, rl);
		n = 2 + rl;
	}
	return wsc_send_frame(c, WS_OP_CLOSE, 1, 0, 1, p, n, deadline);
}

int
wsc_send_raw(struct wsc *c, const void *p, size_t n, int64_t deadline)
{
	return write_all(c, p, n, deadline);
}

void
wsc_shutdown_write(struct wsc *c)
{
	if (c->wfd == -1)
		return;
	if (c->kind == WSC_STDIO) {
		close(c->wfd);
		c->wfd = -1;
	} else
		shutdown(c->wfd, SHUT_WR);
}

/* Read more input: 0, or the event that ends the wait instead. */
static enum wsc_ev
more(struct wsc *c, int64_t deadline)
{
	int	 r;

	if (c->eof)
		return WSC_EV_EOF;
	if ((r = wait_in(c, deadline)) == 0)
		return WSC_EV_TIMEOUT;
	if (r == -1 || fill(c) == -1)
		return WSC_EV_ERROR;
	return 0;
}

static enum wsc_ev
recv_ws(struct wsc *c, struct wsc_event *ev, int64_t deadline)
{
	enum ws_event	 e;
	enum wsc_ev	 r;
	size_t		 n;

	for (;;) {
		if (c->close_rcvd) {
			/* After a Close only the end of the stream is left. */
			buf_reset(&c->in);
			if (c->eof)
				return ev->type = WSC_EV_EOF;
		} else {
			e = ws_feed(&c->ws, &c->in);
			switch (e) {
			case WS_EV_MESSAGE:
				ev->binary = c->ws.op == WS_OP_BINARY;
				ev->data = (const char *)c->ws.data;
				ev->len = c->ws.len;
				return ev->type = WSC_EV_MESSAGE;
			case WS_EV_PING:
				ev->data = (const char *)c->ws.data;
				ev->len = c->ws.len;
				if (!c->close_sent)
					wsc_send_frame(c, WS_OP_PONG, 1, 0, 1,
					    c->ws.data, c->ws.len, deadline);
				return ev->type = WSC_EV_PING;
			case WS_EV_PONG:
				return ev->type = WSC_EV_PONG;
			case WS_EV_CLOSE:
				c->close_rcvd = 1;
				ev->code = c->ws.code;
				n = c->ws.len < sizeof(ev->reason) ?
				    c->ws.len : sizeof(ev->reason) - 1;
				memcpy(ev->reason, c->ws.data, n);
				ev->reason[n] = '\0';
				if (!c->close_sent)
					wsc_send_close(c, ev->code ==
					    WS_CLOSE_NO_STATUS ? 0 : ev->code,
					    "", deadline);
				return ev->type = WSC_EV_CLOSE;
			case WS_EV_ERROR:
				snprintf(c->err, sizeof(c->err), "bad frame "
				    "from the server: %s (close code %u)",
				    c->ws.why != NULL ? c->ws.why : "?",
				    (unsigned)c->ws.code);
				return ev->type = WSC_EV_ERROR;
			case WS_EV_NONE:
				break;
			}
		}
		if ((r = more(c, deadline)) != 0)
			return ev->type = r;
	}
}

static enum wsc_ev
recv_lines(struct wsc *c, struct wsc_event *ev, int64_t deadline)
{
	const char	*p, *nl;
	size_t		 n, len;
	enum wsc_ev	 r;

	for (;;) {
		p = buf_data(&c->in);
		n = buf_used(&c->in);
		nl = n > 0 ? memchr(p, '\n', n) : NULL;
		if (nl != NULL || (c->eof && n > 0)) {
			len = nl != NULL ? (size_t)(nl - p) : n;
			buf_reset(&c->msg);
			if (c->kind == WSC_STDIO && len > 0 &&
			    p[len - 1] == '\r')
				buf_add(&c->msg, p, len - 1);
			else
				buf_add(&c->msg, p, len);
			buf_consume(&c->in, nl != NULL ? len + 1 : len);
			ev->data = buf_data(&c->msg);
			ev->len = buf_used(&c->msg);
			ev->binary = 0;
			return ev->type = WSC_EV_MESSAGE;
		}
		if ((r = more(c, deadline)) != 0)
			return ev->type = r;
	}
}

static enum wsc_ev
recv_raw(struct wsc *c, struct wsc_event *ev, int64_t deadline)
{
	enum wsc_ev	 r;

	for (;;) {
		if (buf_used(&c->in) > 0) {
			buf_reset(&c->msg);
			buf_add(&c->msg, buf_data(&c->in), buf_used(&c->in));
			buf_reset(&c->in);
			ev->data = buf_data(&c->msg);
			ev->len = buf_used(&c->msg);
			return ev->type = WSC_EV_DATA;
		}
		if ((r = more(c, deadline)) != 0)
			return ev->type = r;
	}
}

enum wsc_ev
wsc_recv(struct wsc *c, struct wsc_event *ev, int64_t deadline)
{
	memset(ev, 0, sizeof(*ev));
	if (c->rfd == -1)
		return ev->type = WSC_EV_EOF;
	switch (c->kind) {
	case WSC_WS:
		return recv_ws(c, ev, deadline);
	case WSC_STDIO:
		return recv_lines(c, ev, deadline);
	default:
		return recv_raw(c, ev, deadline);
	}
}

int
wsc_wait(struct wsc *c, int *status, int64_t deadline)
{
	pid_t	 r;

	if (c->pid == -1)
		return 0;
	for (;;) {
		if (c->reaped) {
			if (status != NULL)
				*status = c->status;
			return 1;
		}
		r = waitpid(c->pid, &c->status, WNOHANG);
		if (r == c->pid || (r == -1 && errno == ECHILD)) {
			c->reaped = 1;
			continue;
		}
		if (deadline >= 0 && wsc_now() >= deadline)
			return 0;
		usleep(5000);
	}
}

void
wsc_close(struct wsc *c, int grace_ms)
{
	if (c == NULL)
		return;
	if (c->wfd != -1 && c->wfd != c->rfd)
		close(c->wfd);
	if (c->rfd != -1)
		close(c->rfd);
	c->rfd = c->wfd = -1;
	if (c->pid != -1 && !wsc_wait(c, NULL, wsc_now() + 50)) {
		kill(-c->pid, SIGTERM);
		if (!wsc_wait(c, NULL, wsc_now() + grace_ms)) {
			kill(-c->pid, SIGKILL);
			wsc_wait(c, NULL, -1);
		}
	}
	ws_free(&c->ws);
	buf_free(&c->in);
	buf_free(&c->msg);
	free(c);
}

/* A token holds visible ASCII only: no way to add a header with it. */
static int
token_ok(const char *p, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if ((unsigned char)p[i] <= ' ' || (unsigned char)p[i] >= 0x7f)
			return 0;
	return n > 0;
}

int
wsc_token(const char *path, struct buf *hdr, char *err, size_t errlen)
{
	struct buf	 b = { 0 };
	const char	*p;
	char		 chunk[4096];
	size_t		 s, e;
	ssize_t		 n;
	int		 fd, rc = -1;

	if (path == NULL) {
		if ((p = getenv("EXEC_SERVER_TOKEN")) == NULL || *p == '\0')
			return 0;
		buf_adds(&b, p);
	} else {
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			return -1;
		}
		while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
			if (n == -1 && errno == EINTR)
				continue;
			if (n == -1 || buf_used(&b) > 65536) {
				snprintf(err, errlen, "%s: %s", path, n == -1 ?
				    strerror(errno) : "too large for a token");
				close(fd);
				goto out;
			}
			buf_add(&b, chunk, (size_t)n);
		}
		close(fd);
	}
	p = buf_data(&b);
	for (s = 0; s < buf_used(&b) && strchr(" \t\r\n\v\f", p[s]) != NULL;
	    s++)
		;
	for (e = buf_used(&b); e > s && strchr(" \t\r\n\v\f", p[e - 1]) !=
	    NULL; e--)
		;
	if (b.oom || !token_ok(p + s, e - s)) {
		snprintf(err, errlen, "%s: %s", path != NULL ? path :
		    "EXEC_SERVER_TOKEN", b.oom ? "out of memory" :
		    "not a token (empty, or not printable ASCII)");
		goto out;
	}
	buf_adds(hdr, "Authorization: Bearer ");
	buf_add(hdr, p + s, e - s);
	buf_adds(hdr, "\r\n");
	rc = 0;
out:
	buf_free(&b);
	return rc;
}
