/*
 * httpd.c: an HTTP/1.1 server for the tests of the HTTP client.
 *
 *	httpd [-p PORT] PORTFILE
 *
 * Listens on 127.0.0.1 (PORT, or a free port), writes the port and a
 * newline to PORTFILE (by rename: it is whole or absent) and serves until
 * SIGTERM or SIGINT.  One child per connection, one request per child;
 * every answer says "Connection: close" but the raw ones and /keepalive.
 * HEAD gets the head GET would.  The first six routes give the bodies of
 * the Python http.server the conformance transcripts were recorded with:
 *
 *	/hello.txt		200 "hello from http"
 *	/echo			200, the request as Python's json.dumps
 *				prints {"method", "path" (the target),
 *				"headers" (names lower-cased; a repeated one
 *				at its first place with its last value),
 *				"body" (UTF-8, each bad sequence U+FFFD)}
 *	/redirect		302 to /hello.txt
 *	anything else		404, http.server's error page
 *	/slow			200 "slow" after 2 s
 *	/big.txt		200, 3000000 bytes of 'z'
 *	/chunked?n=K&size=S	K chunks of S 'c's (3, 5), the first with
 *				";ext=1", then the trailer X-Trailer: t
 *	/close			200, the body ended by the close
 *	/redirect-n/N		302 to /redirect-n/N-1; at 0 to /hello.txt
 *	/redirect-loop		302 to itself
 *	/redirect-301, -303, -307	that status to /echo
 *	/redirect-abs		302 to http://127.0.0.1:PORT/hello.txt
 *	/redirect-abs-echo	307 to http://127.0.0.1:PORT/echo
 *	/redirect-https		302 to https://127.0.0.1:1/x
 *	/hugehead		200, 2000 X-Filler-I fields (150 KB), "ok"
 *	/broken			Content-Length: 100, 5 bytes, the close
 *	/badchunk		chunked, "zz\r\nxx\r\n", the close
 *	/garbage		"hello there\r\n\r\n": not HTTP
 *	/never			no answer; waits for the peer's close
 *	/headers		Set-Cookie: a=1, X-Mixed-Case: Value One,
 *				Set-Cookie: b=2; "hi"
 *	/stream?n=N&ms=M&size=S	N chunks of S 's's (5, 100, 1000), each
 *				after M ms
 *	/bigbody?mb=N		N MiB (1) of 'b'
 *	/status/NNN		that status, "status" (204, 304: no body)
 *	/keepalive		"ka" without Connection: close; closes 5 s on
 *	/count			the connections accepted so far, this one too
 *
 * A request is a head (64 KiB at most, lines ending in CRLF or LF) and
 * Content-Length bytes of body (64 MiB at most); chunked bodies are not
 * read.  A child lives 30 s at most and dies with its parent.  libc only.
 */
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define HEADMAX		(64 * 1024)
#define BODYMAX		(64ULL * 1024 * 1024)
#define CHILDSECS	30
#define J_UTF8		1	/* jstr: UTF-8, not Latin-1 */
#define J_LOWER		2	/* jstr: ASCII letters lower-cased */

struct field {
	char	*name, *value;
};

struct req {
	int		 fd;
	int		 head;		/* HEAD: the head only */
	char		*method, *target, *path, *query;
	struct field	*fields;
	size_t		 nfields;
	char		*body;
	size_t		 bodylen;
};

struct out {
	char	*p;
	size_t	 len, cap;
};

/* The answers that never change; code 0: the body is all there is. */
static const struct fixed {
	const char	*path;
	int		 code;
	const char	*reason, *extra, *body;
} fixed[] = {
	{ "/hello.txt", 200, "OK", "Content-Type: text/plain\r\n",
	    "hello from http" },
	{ "/redirect", 302, "Found", "Location: /hello.txt\r\n", "" },
	{ "/redirect-loop", 302, "Found", "Location: /redirect-loop\r\n", "" },
	{ "/redirect-301", 301, "Moved Permanently", "Location: /echo\r\n",
	    "" },
	{ "/redirect-303", 303, "See Other", "Location: /echo\r\n", "" },
	{ "/redirect-307", 307, "Temporary Redirect", "Location: /echo\r\n",
	    "" },
	{ "/redirect-https", 302, "Found",
	    "Location: https://127.0.0.1:1/x\r\n", "" },
	{ "/headers", 200, "OK", "Set-Cookie: a=1\r\n"
	    "X-Mixed-Case: Value One\r\nSet-Cookie: b=2\r\n", "hi" },
	{ "/broken", 0, NULL, NULL,
	    "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort" },
	{ "/badchunk", 0, NULL, NULL, "HTTP/1.1 200 OK\r\n"
	    "Transfer-Encoding: chunked\r\n\r\nzz\r\nxx\r\n" },
	{ "/garbage", 0, NULL, NULL, "hello there\r\n\r\n" },
};

static const char notfound[] =
    "<!DOCTYPE HTML>\n"
    "<html lang=\"en\">\n"
    "    <head>\n"
    "        <meta charset=\"utf-8\">\n"
    "        <title>Error response</title>\n"
    "    </head>\n"
    "    <body>\n"
    "        <h1>Error response</h1>\n"
    "        <p>Error code: 404</p>\n"
    "        <p>Message: File not found.</p>\n"
    "        <p>Error code explanation: 404 - Nothing matches the given "
    "URI.</p>\n"
    "    </body>\n"
    "</html>\n";

static int	 port;

static void	 oprintf(struct out *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static void __attribute__((noreturn))
die(const char *what)
{
	fprintf(stderr, "httpd: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void
oadd(struct out *o, const void *p, size_t n)
{
	size_t	 cap;

	if (n == 0)
		return;
	if (o->len + n > o->cap) {
		for (cap = o->cap ? o->cap : 256; cap < o->len + n; cap *= 2)
			;
		if ((o->p = realloc(o->p, cap)) == NULL)
			die("realloc");
		o->cap = cap;
	}
	memcpy(o->p + o->len, p, n);
	o->len += n;
}

static void
ostr(struct out *o, const char *s)
{
	oadd(o, s, strlen(s));
}

/* For short things only. */
static void
oprintf(struct out *o, const char *fmt, ...)
{
	char	 tmp[256];
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		abort();
	oadd(o, tmp, (size_t)n);
}

/* Write it all, or end the child: the peer has gone. */
static void
put(int fd, const void *p, size_t n)
{
	const char	*s = p;
	ssize_t		 w;

	while (n > 0) {
		if ((w = write(fd, s, n)) == -1) {
			if (errno == EINTR)
				continue;
			_exit(0);
		}
		s += w;
		n -= (size_t)w;
	}
}

static void
putstr(int fd, const char *s)
{
	put(fd, s, strlen(s));
}

static void
fill(int fd, int c, unsigned long long n)
{
	static char	 b[64 * 1024];
	size_t		 k;

	memset(b, c, sizeof(b));
	for (; n > 0; n -= k) {
		k = n < sizeof(b) ? (size_t)n : sizeof(b);
		put(fd, b, k);
	}
}

/* Read and drop what the peer sends until it closes or SECS have passed. */
static void __attribute__((noreturn))
drain(int fd, unsigned secs)
{
	struct pollfd	 pfd = { .fd = fd, .events = POLLIN };
	char		 b[4096];

	alarm(secs);		/* SIGALRM ends the child */
	while (poll(&pfd, 1, -1) == -1 || read(fd, b, sizeof(b)) > 0)
		;
	_exit(0);
}

/* The status line, EXTRA (whole lines), Content-Length unless LEN < 0. */
static void
head(struct req *r, int code, const char *reason, const char *extra,
    long long len, int keep)
{
	struct out	 o = { 0 };

	oprintf(&o, "HTTP/1.1 %03d %s\r\n", code, reason);
	if (extra != NULL)
		ostr(&o, extra);
	if (len >= 0)
		oprintf(&o, "Content-Length: %lld\r\n", len);
	if (!keep)
		ostr(&o, "Connection: close\r\n");
	ostr(&o, "\r\n");
	put(r->fd, o.p, o.len);
	free(o.p);
}

static void
reply(struct req *r, int code, const char *reason, const char *extra,
    const char *body, size_t len)
{
	head(r, code, reason, extra, (long long)len, 0);
	if (!r->head)
		put(r->fd, body, len);
}

static void __attribute__((noreturn))
fail(struct req *r, int code, const char *reason)
{
	reply(r, code, reason, NULL, "", 0);
	shutdown(r->fd, SHUT_WR);
	drain(r->fd, 2);
}

/*
 * N chunks of SIZE bytes C, each after MS ms, the first with EXT, then
 * LAST: the last chunk and the trailer.
 */
static void
chunked(struct req *r, int c, long n, long size, long ms, const char *ext,
    const char *last)
{
	char	 line[64];
	long	 i;

	head(r, 200, "OK", "Transfer-Encoding: chunked\r\n", -1, 0);
	if (r->head)
		return;
	for (i = 0; i < n; i++) {
		poll(NULL, 0, (int)ms);
		snprintf(line, sizeof(line), "%lX%s\r\n", size,
		    i == 0 ? ext : "");
		putstr(r->fd, line);
		fill(r->fd, c, (unsigned long long)size);
		putstr(r->fd, "\r\n");
	}
	putstr(r->fd, last);
}

/* The number after NAME= in the query, DEF if none, clamped to LO..HI. */
static long
qnum(const char *q, const char *name, long def, long lo, long hi)
{
	size_t	 n = strlen(name);
	long	 v = def;
	char	*e;

	while (q != NULL) {
		if (strncmp(q, name, n) == 0 && q[n] == '=') {
			v = strtol(q + n + 1, &e, 10);
			if (e == q + n + 1 || (*e != '\0' && *e != '&'))
				v = def;
			break;
		}
		if ((q = strchr(q, '&')) != NULL)
			q++;
	}
	return v < lo ? lo : v > hi ? hi : v;
}

/* S is 1 to MAX decimal digits. */
static int
digits(const char *s, size_t max)
{
	size_t	 n = strspn(s, "0123456789");

	return n > 0 && n <= max && s[n] == '\0';
}

/*
 * The character at S in UTF-8: its length and *CP.  A bad sequence's
 * longest valid start (at least a byte) is U+FFFD, as Python's "replace".
 */
static size_t
utf8(const unsigned char *s, size_t n, unsigned long *cp)
{
	unsigned char	 lo = 0x80, hi = 0xbf;
	unsigned long	 v;
	size_t		 len, i;

	*cp = 0xfffd;
	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 1;
	len = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	v = s[0] & (0x7f >> len);
	for (i = 1; i < len; i++, lo = 0x80, hi = 0xbf) {
		if (i >= n || s[i] < lo || s[i] > hi)
			return i;
		v = v << 6 | (s[i] & 0x3f);
	}
	*cp = v;
	return len;
}

/* A JSON string as json.dumps (ensure_ascii) writes it. */
static void
jstr(struct out *o, const char *p, size_t n, int how)
{
	static const char	 esc[] = "\"\\\n\r\t\b\f", sub[] = "\"\\nrtbf";
	const unsigned char	*s = (const unsigned char *)p;
	const char		*q;
	unsigned long		 cp;
	size_t			 i, k;
	char			 c;

	ostr(o, "\"");
	for (i = 0; i < n; i += k) {
		k = 1;
		cp = (how & J_LOWER) ? (unsigned long)tolower(s[i]) : s[i];
		if (cp >= 0x80 && (how & J_UTF8))
			k = utf8(s + i, n - i, &cp);
		if (cp != 0 && cp < 0x80 && (q = strchr(esc, (int)cp)) != NULL)
			oprintf(o, "\\%c", sub[q - esc]);
		else if (cp >= 0x20 && cp < 0x7f) {
			c = (char)cp;
			oadd(o, &c, 1);
		} else if (cp >= 0x10000)
			oprintf(o, "\\u%04lx\\u%04lx",
			    0xd800 + ((cp - 0x10000) >> 10),
			    0xdc00 + ((cp - 0x10000) & 0x3ff));
		else
			oprintf(o, "\\u%04lx", cp);
	}
	ostr(o, "\"");
}

/* The head is Latin-1 to http.server, the body UTF-8 to the recorder. */
static void
echo(struct req *r)
{
	struct field	*f = r->fields;
	struct out	 o = { 0 };
	size_t		 i, j, last;

	ostr(&o, "{\"method\": ");
	jstr(&o, r->method, strlen(r->method), 0);
	ostr(&o, ", \"path\": ");
	jstr(&o, r->target, strlen(r->target), 0);
	ostr(&o, ", \"headers\": {");
	for (i = 0; i < r->nfields; i++) {
		for (j = 0; j < i && strcasecmp(f[j].name, f[i].name); j++)
			;
		if (j < i)
			continue;	/* shown at its first place */
		for (last = i, j = i + 1; j < r->nfields; j++)
			if (strcasecmp(f[j].name, f[i].name) == 0)
				last = j;
		ostr(&o, i > 0 ? ", " : "");
		jstr(&o, f[i].name, strlen(f[i].name), J_LOWER);
		ostr(&o, ": ");
		jstr(&o, f[last].value, strlen(f[last].value), 0);
	}
	ostr(&o, "}, \"body\": ");
	jstr(&o, r->body, r->bodylen, J_UTF8);
	ostr(&o, "}");
	reply(r, 200, "OK", "Content-Type: application/json\r\n", o.p, o.len);
	free(o.p);
}

/* Where the head in BUF ends (past its empty line), or 0. */
static size_t
headend(const char *b, size_t len)
{
	size_t	 i;

	for (i = 0; i + 1 < len; i++) {
		if (b[i] == '\n' && b[i + 1] == '\n')
			return i + 2;
		if (b[i] == '\n' && b[i + 1] == '\r' && i + 2 < len &&
		    b[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

/* The line at *P without its CRLF or LF, *P past it; NULL at the end. */
static char *
cutline(char **p)
{
	char	*line = *p, *eol;

	if ((eol = strchr(line, '\n')) == NULL)
		return NULL;
	*p = eol + 1;
	if (eol > line && eol[-1] == '\r')
		eol--;
	*eol = '\0';
	return line;
}

/* Read and split the request; answer and end the child if it is bad. */
static void
readreq(struct req *r)
{
	char			*buf, *rest, *line, *c, *e;
	size_t			 len = 0, end, got;
	unsigned long long	 cl = 0;
	ssize_t			 n;
	int			 havecl = 0;

	if ((buf = malloc(HEADMAX)) == NULL)
		die("malloc");
	while ((end = headend(buf, len)) == 0) {
		if (len == HEADMAX)
			fail(r, 431, "Request Header Fields Too Large");
		if ((n = read(r->fd, buf + len, HEADMAX - len)) <= 0)
			_exit(0);
		len += (size_t)n;
	}
	if ((rest = strndup(buf, end)) == NULL)
		die("strndup");

	if ((line = cutline(&rest)) == NULL ||
	    (c = strchr(line, ' ')) == NULL || c == line)
		fail(r, 400, "Bad Request");
	r->method = line;
	*c++ = '\0';
	r->target = c;
	if ((c = strchr(c, ' ')) == NULL || strncmp(c + 1, "HTTP/1.", 7) != 0)
		fail(r, 400, "Bad Request");
	*c = '\0';
	r->head = strcmp(r->method, "HEAD") == 0;
	if ((r->path = strdup(r->target)) == NULL)
		die("strdup");
	if ((r->query = strchr(r->path, '?')) != NULL)
		*r->query++ = '\0';

	/* Values lose their leading blanks only, as in http.server. */
	while ((line = cutline(&rest)) != NULL && *line != '\0') {
		if ((c = strchr(line, ':')) == NULL)
			continue;
		*c++ = '\0';
		c += strspn(c, " \t");
		if ((r->fields = reallocarray(r->fields, r->nfields + 1,
		    sizeof(*r->fields))) == NULL)
			die("reallocarray");
		r->fields[r->nfields++] = (struct field){ line, c };
		if (strcasecmp(line, "Content-Length") != 0 || havecl++)
			continue;
		cl = strtoull(c, &e, 10);
		if (!isdigit((unsigned char)*c) || e[strspn(e, " \t")] != '\0')
			fail(r, 400, "Bad Request");
		if (cl > BODYMAX)
			fail(r, 413, "Content Too Large");
	}

	if ((r->body = malloc((size_t)cl + 1)) == NULL)
		die("malloc");
	r->bodylen = (size_t)cl;
	got = len - end < r->bodylen ? len - end : r->bodylen;
	memcpy(r->body, buf + end, got);
	for (; got < r->bodylen; got += (size_t)n)
		if ((n = read(r->fd, r->body + got, r->bodylen - got)) <= 0)
			_exit(0);
	free(buf);
}

static void
route(struct req *r, unsigned long count)
{
	const struct fixed	*f;
	const char		*p = r->path;
	struct out		 o = { 0 };
	char			 buf[128];
	long			 n, i;

	for (f = fixed; f < fixed + sizeof(fixed) / sizeof(fixed[0]); f++)
		if (strcmp(p, f->path) == 0) {
			if (f->code == 0)
				putstr(r->fd, f->body);
			else
				reply(r, f->code, f->reason, f->extra,
				    f->body, strlen(f->body));
			return;
		}
	if (strcmp(p, "/echo") == 0)
		echo(r);
	else if (strcmp(p, "/slow") == 0) {
		sleep(2);
		reply(r, 200, "OK", NULL, "slow", 4);
	} else if (strcmp(p, "/big.txt") == 0) {
		head(r, 200, "OK", "Content-Type: text/plain\r\n", 3000000, 0);
		if (!r->head)
			fill(r->fd, 'z', 3000000);
	} else if (strcmp(p, "/chunked") == 0)
		chunked(r, 'c', qnum(r->query, "n", 3, 0, 1000000),
		    qnum(r->query, "size", 5, 1, 1 << 24), 0, ";ext=1",
		    "0\r\nX-Trailer: t\r\n\r\n");
	else if (strcmp(p, "/stream") == 0)
		chunked(r, 's', qnum(r->query, "n", 5, 0, 1000000),
		    qnum(r->query, "size", 1000, 1, 1 << 24),
		    qnum(r->query, "ms", 100, 0, 10000), "", "0\r\n\r\n");
	else if (strcmp(p, "/close") == 0) {
		head(r, 200, "OK", NULL, -1, 0);
		if (!r->head)
			putstr(r->fd, "close-delimited body");
	} else if (strcmp(p, "/redirect-abs-echo") == 0) {
		snprintf(buf, sizeof(buf), "Location: "
		    "http://127.0.0.1:%d/echo\r\n", port);
		reply(r, 307, "Temporary Redirect", buf, "", 0);
	} else if (strcmp(p, "/redirect-abs") == 0) {
		snprintf(buf, sizeof(buf), "Location: "
		    "http://127.0.0.1:%d/hello.txt\r\n", port);
		reply(r, 302, "Found", buf, "", 0);
	} else if (strncmp(p, "/redirect-n/", 12) == 0 &&
	    digits(p + 12, 9)) {
		if ((n = strtol(p + 12, NULL, 10)) == 0)
			snprintf(buf, sizeof(buf), "Location: /hello.txt\r\n");
		else
			snprintf(buf, sizeof(buf),
			    "Location: /redirect-n/%ld\r\n", n - 1);
		reply(r, 302, "Found", buf, "", 0);
	} else if (strcmp(p, "/hugehead") == 0) {
		memset(buf, 'a', 60);
		buf[60] = '\0';
		for (i = 1; i <= 2000; i++)
			oprintf(&o, "X-Filler-%ld: %s\r\n", i, buf);
		reply(r, 200, "OK", o.p, "ok", 2);
		free(o.p);
	} else if (strcmp(p, "/never") == 0)
		drain(r->fd, CHILDSECS);
	else if (strcmp(p, "/bigbody") == 0) {
		n = qnum(r->query, "mb", 1, 0, 4096);
		head(r, 200, "OK", NULL, n * 1048576LL, 0);
		if (!r->head)
			fill(r->fd, 'b', (unsigned long long)n * 1048576);
	} else if (strncmp(p, "/status/", 8) == 0 && strlen(p) == 11 &&
	    digits(p + 8, 3)) {
		if ((n = strtol(p + 8, NULL, 10)) == 204 || n == 304)
			head(r, (int)n, "Status", NULL, -1, 0);
		else
			reply(r, (int)n, "Status", NULL, "status", 6);
	} else if (strcmp(p, "/keepalive") == 0) {
		head(r, 200, "OK", NULL, 2, 1);
		if (!r->head)
			putstr(r->fd, "ka");
		drain(r->fd, 5);
	} else if (strcmp(p, "/count") == 0) {
		snprintf(buf, sizeof(buf), "%lu", count);
		reply(r, 200, "OK", NULL, buf, strlen(buf));
	} else
		reply(r, 404, "File not found",
		    "Content-Type: text/html;charset=utf-8\r\n", notfound,
		    sizeof(notfound) - 1);
}

static void __attribute__((noreturn))
child(int fd, pid_t parent, unsigned long count)
{
	struct req	 r = { .fd = fd };
	int		 one = 1;

	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != parent)
		_exit(1);
	alarm(CHILDSECS);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	readreq(&r);
	route(&r, count);
	/* As http.server: our FIN now, then whatever the peer still sends. */
	shutdown(fd, SHUT_WR);
	drain(fd, 2);
}

static void
onterm(int sig)
{
	_exit(0);
}

static void
onchld(int sig)
{
	int	 saved = errno;

	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	errno = saved;
}

static void
writeport(const char *file)
{
	char	 tmp[4096], line[16];
	int	 fd, n;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.%ld", file,
	    (long)getpid()) >= sizeof(tmp)) {
		fprintf(stderr, "httpd: %s: name too long\n", file);
		exit(1);
	}
	n = snprintf(line, sizeof(line), "%d\n", port);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644)) == -1)
		die(tmp);
	if (write(fd, line, (size_t)n) != n || close(fd) == -1)
		die(tmp);
	if (rename(tmp, file) == -1)
		die(file);
}

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: httpd [-p port] portfile\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct sockaddr_in	 sin;
	struct sigaction	 sa;
	socklen_t		 slen = sizeof(sin);
	unsigned long		 count = 0;
	pid_t			 parent = getpid();
	long			 want = 0;
	char			*e;
	int			 ch, lfd, fd, one = 1;

	while ((ch = getopt(argc, argv, "p:")) != -1) {
		if (ch != 'p')
			usage();
		want = strtol(optarg, &e, 10);
		if (*optarg == '\0' || *e != '\0' || want < 1 || want > 65535)
			usage();
	}
	if (argc - optind != 1)
		usage();

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = onterm;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = onchld;
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);

	if ((lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		die("socket");
	if (setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1)
		die("SO_REUSEADDR");
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)want);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		die("bind");
	if (listen(lfd, 128) == -1)
		die("listen");
	if (getsockname(lfd, (struct sockaddr *)&sin, &slen) == -1)
		die("getsockname");
	port = ntohs(sin.sin_port);
	writeport(argv[optind]);

	for (;;) {
		if ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) == -1) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			die("accept");
		}
		count++;
		switch (fork()) {
		case -1:
			die("fork");
		case 0:
			close(lfd);
			child(fd, parent, count);
		}
		close(fd);
	}
}
