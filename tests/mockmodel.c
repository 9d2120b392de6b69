/*
 * mockmodel.c: a scripted stand-in for the model, so that a real Codex
 * client can be driven through the server without a network.
 *
 *	mockmodel SCRIPT OUTDIR
 *
 * Listens on 127.0.0.1 (a free port, printed as the first line of
 * stdout) and speaks just enough of the Responses API over HTTP/1.1:
 *
 *	GET  .../models		{"models":[]}
 *	POST .../responses	the body is saved as OUTDIR/reqN.json (N from
 *				1) and answered with a server-sent event
 *				stream holding one output item: line N of
 *				SCRIPT (a JSON object, written verbatim), or
 *				past the script's end an assistant message
 *				"done", which ends the client's turn.
 *
 * The head is read with the server's own parser (http.c).  Anything else
 * is 404; a chunked body is 400, a head http.c refuses or a body over
 * 64 MiB closes the connection.  It serves
 * until killed.  A test helper: blocking writes, no limits worth naming.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/buf.h"
#include "net/http.h"

#define MAXCONN		32
#define MAXREQ		(64 * 1024 * 1024)

struct mconn {
	int	 fd;
	char	*in;
	size_t	 len, cap;
};

static const char	*script, *outdir;
static unsigned		 nreq;

static void
die(const char *what)
{
	fprintf(stderr, "mockmodel: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t	 w;

	while (n > 0) {
		if ((w = write(fd, p, n)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Line n (from 1) of the script, malloc'd without its newline, or NULL. */
static char *
script_line(unsigned n)
{
	FILE	*f;
	char	*line = NULL;
	size_t	 cap = 0;
	ssize_t	 len;
	unsigned i = 0;

	if ((f = fopen(script, "re")) == NULL)
		return NULL;
	while ((len = getline(&line, &cap, f)) != -1) {
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0)
			continue;
		if (++i == n) {
			fclose(f);
			return line;
		}
	}
	free(line);
	fclose(f);
	return NULL;
}

static int
reply(int fd, const char *status, const char *type, const char *body,
    size_t blen)
{
	char	 head[256];
	int	 n;

	n = snprintf(head, sizeof(head), "HTTP/1.1 %s\r\nContent-Type: %s\r\n"
	    "Content-Length: %zu\r\nConnection: keep-alive\r\n\r\n",
	    status, type, blen);
	if (n < 0 || (size_t)n >= sizeof(head))
		return -1;
	if (write_all(fd, head, (size_t)n) == -1)
		return -1;
	return write_all(fd, body, blen);
}

static int
answer_responses(int fd, const char *body, size_t blen)
{
	char		 path[4096];
	char		*item;
	struct buf	 ev = { 0 };
	FILE		*f;
	int		 rc;

	nreq++;
	snprintf(path, sizeof(path), "%s/req%u.json", outdir, nreq);
	if ((f = fopen(path, "we")) == NULL ||
	    fwrite(body, 1, blen, f) != blen || fclose(f) != 0)
		die(path);
	if ((item = script_line(nreq)) == NULL &&
	    (item = strdup("{\"type\":\"message\",\"role\":\"assistant\","
	    "\"content\":[{\"type\":\"output_text\",\"text\":\"done\"}]}")) ==
	    NULL)
		die("strdup");
	buf_addf(&ev, "event: response.created\ndata: "
	    "{\"type\":\"response.created\",\"response\":{\"id\":\"resp_%u\"}}"
	    "\n\nevent: response.output_item.done\ndata: "
	    "{\"type\":\"response.output_item.done\",\"item\":", nreq);
	buf_adds(&ev, item);
	buf_addf(&ev, "}\n\nevent: response.completed\ndata: "
	    "{\"type\":\"response.completed\",\"response\":{\"id\":\"resp_%u\","
	    "\"usage\":{\"input_tokens\":1,\"output_tokens\":1,"
	    "\"total_tokens\":2}}}\n\n", nreq);
	if (ev.oom)
		die("out of memory");
	rc = reply(fd, "200 OK", "text/event-stream", buf_data(&ev),
	    buf_used(&ev));
	free(item);
	buf_free(&ev);
	return rc;
}

/* Value of header `name` in head[0..n), or NULL. */
static const char *
header(const char *head, size_t n, const char *name, size_t *vlen)
{
	const char	*p = head, *end = head + n, *eol, *v;
	size_t		 k = strlen(name);

	while (p < end && (eol = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		if ((size_t)(eol - p) > k && p[k] == ':' &&
		    strncasecmp(p, name, k) == 0) {
			for (v = p + k + 1; v < eol && *v == ' '; v++)
				;
			*vlen = (size_t)(eol - v);
			if (*vlen > 0 && v[*vlen - 1] == '\r')
				(*vlen)--;
			return v;
		}
		p = eol + 1;
	}
	return NULL;
}

/* Does span sp end with the NUL-terminated suffix? */
static int
ends_with(const struct http_span *sp, const char *suffix)
{
	size_t	 n = strlen(suffix);

	return sp->len >= n && memcmp(sp->p + sp->len - n, suffix, n) == 0;
}

/* Handle every complete request in c->in; -1 to close the connection. */
static int
serve(struct mconn *c)
{
	struct http_req	 req;
	const char	*cl;
	size_t		 blen, vlen;
	char		 num[32];
	int		 r;

	for (;;) {
		if ((r = http_req_parse(&req, c->in, c->len)) == HTTP_NEED_MORE)
			return 0;
		if (r < 0)
			return -1;
		if (header(c->in, req.head_len, "transfer-encoding", &vlen)) {
			reply(c->fd, "400 Bad Request", "text/plain", "chunked\n", 8);
			return -1;
		}
		blen = 0;
		if ((cl = header(c->in, req.head_len, "content-length",
		    &vlen)) != NULL) {
			if (vlen == 0 || vlen >= sizeof(num))
				return -1;
			memcpy(num, cl, vlen);
			num[vlen] = '\0';
			if ((blen = strtoul(num, NULL, 10)) > MAXREQ)
				return -1;
		}
		if (c->len - req.head_len < blen)
			return 0;
		if (req.method.len == 4 && memcmp(req.method.p, "POST", 4) == 0 &&
		    ends_with(&req.path, "/responses"))
			r = answer_responses(c->fd, c->in + req.head_len, blen);
		else if (req.method.len == 3 &&
		    memcmp(req.method.p, "GET", 3) == 0 &&
		    ends_with(&req.path, "/models"))
			r = reply(c->fd, "200 OK", "application/json",
			    "{\"models\":[]}", 13);
		else
			r = reply(c->fd, "404 Not Found", "text/plain",
			    "not here\n", 9);
		if (r == -1)
			return -1;
		memmove(c->in, c->in + req.head_len + blen,
		    c->len - req.head_len - blen);
		c->len -= req.head_len + blen;
	}
}

int
main(int argc, char **argv)
{
	struct mconn		 conns[MAXCONN];
	struct pollfd		 pfd[MAXCONN + 1];
	struct sockaddr_in	 sa;
	socklen_t		 slen = sizeof(sa);
	int			 lfd, one = 1, n, i;
	ssize_t			 r;

	if (argc != 3) {
		fprintf(stderr, "usage: mockmodel SCRIPT OUTDIR\n");
		return 2;
	}
	script = argv[1];
	outdir = argv[2];
	signal(SIGPIPE, SIG_IGN);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1 ||
	    bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
	    listen(lfd, 16) == -1 ||
	    getsockname(lfd, (struct sockaddr *)&sa, &slen) == -1)
		die("listen");
	printf("%u\n", ntohs(sa.sin_port));
	fflush(stdout);
	for (i = 0; i < MAXCONN; i++)
		conns[i].fd = -1;
	for (;;) {
		pfd[0].fd = lfd;
		pfd[0].events = POLLIN;
		for (i = 0; i < MAXCONN; i++) {
			pfd[i + 1].fd = conns[i].fd;
			pfd[i + 1].events = POLLIN;
		}
		if ((n = poll(pfd, MAXCONN + 1, -1)) == -1) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		if (pfd[0].revents & POLLIN) {
			int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

			for (i = 0; fd != -1 && i < MAXCONN; i++)
				if (conns[i].fd == -1) {
					conns[i] = (struct mconn){ .fd = fd };
					break;
				}
			if (fd != -1 && i == MAXCONN)
				close(fd);
		}
		for (i = 0; i < MAXCONN; i++) {
			struct mconn *c = &conns[i];

			if (c->fd == -1 || pfd[i + 1].revents == 0)
				continue;
			if (c->cap - c->len < 65536) {
				c->cap = c->cap * 2 + 65536;
				if ((c->in = realloc(c->in, c->cap)) == NULL)
					die("realloc");
			}
			r = read(c->fd, c->in + c->len, c->cap - c->len);
			if (r == -1 && errno == EINTR)
				continue;
			if (r > 0) {
				c->len += (size_t)r;
				if (serve(c) == 0)
					continue;
			}
			close(c->fd);
			free(c->in);
			*c = (struct mconn){ .fd = -1 };
		}
	}
}
