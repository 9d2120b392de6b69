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
 * Anything else is 404; a request it cannot read (no Content-Length,
 * chunked, oversized) is 400 and the connection closed.  It serves
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

static void
add(char **b, size_t *len, size_t *cap, const char *s)
{
	size_t	 n = strlen(s);

	if (*len + n + 1 > *cap) {
		*cap = (*len + n + 1) * 2;
		if ((*b = realloc(*b, *cap)) == NULL)
			die("realloc");
	}
	memcpy(*b + *len, s, n + 1);
	*len += n;
}

static int
answer_responses(int fd, const char *body, size_t blen)
{
	char	 path[4096], num[64];
	char	*item, *ev = NULL;
	size_t	 len = 0, cap = 0;
	FILE	*f;
	int	 rc;

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
	snprintf(num, sizeof(num), "%u", nreq);
	add(&ev, &len, &cap, "event: response.created\ndata: "
	    "{\"type\":\"response.created\",\"response\":{\"id\":\"resp_");
	add(&ev, &len, &cap, num);
	add(&ev, &len, &cap, "\"}}\n\nevent: response.output_item.done\ndata: "
	    "{\"type\":\"response.output_item.done\",\"item\":");
	add(&ev, &len, &cap, item);
	add(&ev, &len, &cap, "}\n\nevent: response.completed\ndata: "
	    "{\"type\":\"response.completed\",\"response\":{\"id\":\"resp_");
	add(&ev, &len, &cap, num);
	add(&ev, &len, &cap, "\",\"usage\":{\"input_tokens\":1,"
	    "\"output_tokens\":1,\"total_tokens\":2}}}\n\n");
	rc = reply(fd, "200 OK", "text/event-stream", ev, len);
	free(item);
	free(ev);
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

/* Handle every complete request in c->in; -1 to close the connection. */
static int
serve(struct mconn *c)
{
	const char	*end, *cl;
	size_t		 hlen, blen = 0, vlen;
	char		 num[32];

	for (;;) {
		if (c->len < 4)
			return 0;
		end = NULL;
		for (size_t i = 0; i + 4 <= c->len; i++)
			if (memcmp(c->in + i, "\r\n\r\n", 4) == 0) {
				end = c->in + i;
				break;
			}
		if (end == NULL)
			return c->len > 65536 ? -1 : 0;
		hlen = (size_t)(end - c->in) + 4;
		if (header(c->in, hlen, "transfer-encoding", &vlen) != NULL) {
			reply(c->fd, "400 Bad Request", "text/plain", "chunked\n", 8);
			return -1;
		}
		if ((cl = header(c->in, hlen, "content-length", &vlen)) != NULL) {
			if (vlen == 0 || vlen >= sizeof(num))
				return -1;
			memcpy(num, cl, vlen);
			num[vlen] = '\0';
			blen = strtoul(num, NULL, 10);
			if (blen > MAXREQ)
				return -1;
		}
		if (c->len - hlen < blen)
			return 0;
		if (strncmp(c->in, "POST ", 5) == 0 &&
		    strstr(c->in, "/responses ") != NULL &&
		    strstr(c->in, "/responses ") < end) {
			if (answer_responses(c->fd, c->in + hlen, blen) == -1)
				return -1;
		} else if (strncmp(c->in, "GET ", 4) == 0 &&
		    strstr(c->in, "/models") != NULL &&
		    strstr(c->in, "/models") < end) {
			if (reply(c->fd, "200 OK", "application/json",
			    "{\"models\":[]}", 13) == -1)
				return -1;
		} else if (reply(c->fd, "404 Not Found", "text/plain",
		    "not here\n", 9) == -1)
			return -1;
		memmove(c->in, c->in + hlen + blen, c->len - hlen - blen);
		c->len -= hlen + blen;
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
				if ((c->in = realloc(c->in, c->cap + 1)) == NULL)
					die("realloc");
			}
			r = read(c->fd, c->in + c->len, c->cap - c->len);
			if (r == -1 && errno == EINTR)
				continue;
			if (r > 0) {
				c->len += (size_t)r;
				c->in[c->len] = '\0';
				if (serve(c) == 0)
					continue;
			}
			close(c->fd);
			free(c->in);
			*c = (struct mconn){ .fd = -1 };
		}
	}
}
