/*
 * loadgen.c: load and fault clients for tests/t6001-load.sh.  Each
 * client is a forked process with one blocking WebSocket connection.
 *
 *   loadgen URL procs CONNS NPROC LINES [INFLIGHT]
 *	CONNS connections at once, each starting NPROC processes
 *	(`seq -f 'cCpP %g' 1 LINES`), INFLIGHT at a time (default 10),
 *	and checking that every process's stdout, put together from its
 *	process/output events in seq order, is byte for byte what seq
 *	prints, then that it closed.  A start refused with "too many
 *	processes" (the server's retained total) is retried after 20 ms
 *	and counted.  Prints "ok conns=C procs=N bytes=B retries=R ms=T".
 *   loadgen URL vanish N [WORKERS]
 *	N clients (WORKERS at once, default 4) that vanish without a
 *	goodbye, in turn: mid-handshake (half an upgrade request), mid-frame
 *	(a frame header and part of its payload), mid-stream (a process
 *	pouring output, a few events read, then a reset), and with a process
 *	waiting on stdin.  Prints "ok vanished=N".
 *   loadgen URL sessions N [WORKERS]
 *	N sessions opened (initialize, initialized, environment/status)
 *	and closed with a Close frame.  Prints "ok sessions=N ms=T".
 *   loadgen URL hold N MS
 *	In this process: opens connections one after another (initialize
 *	each) until N are open or one is not answered within a second (a
 *	server out of descriptors); then for MS milliseconds calls
 *	environment/status on the first every 100 ms; then closes them all
 *	and connects once more.  Prints "ok opened=K stalled=0|1
 *	statuses=S reconnected=1".
 *
 * Exit status 0 when every client did what was expected, 1 otherwise
 * (each failure said on stderr), 2 on misuse.
 */
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/b64.h"
#include "base/buf.h"
#include "base/json.h"
#include "client/wsc.h"

#define TIMEOUT_MS	120000

struct out {
	struct buf	 data;		/* stdout so far */
	uint64_t	 seq;		/* the last event's */
	int		 started, closed;
};

static const char	*url;
static int		 me;		/* the client's number */
static long		 g_nproc, g_lines, g_inflight;	/* procs */

static void
fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void
fail(const char *fmt, ...)
{
	va_list	 ap;

	fprintf(stderr, "loadgen: client %d: ", me);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	_exit(1);
}

static struct wsc *
connect_ws(void)
{
	struct wsc	*c;
	char		 err[256];

	if ((c = wsc_connect(url, NULL, wsc_now() + TIMEOUT_MS, NULL, err,
	    sizeof(err))) == NULL)
		fail("connect: %s", err);
	return c;
}

static void
sendf(struct wsc *c, const char *fmt, ...)
{
	char	 msg[1024];
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(msg))
		fail("message too long");
	if (wsc_send(c, msg, (size_t)n, 0, wsc_now() + TIMEOUT_MS) == -1)
		fail("send: %s", wsc_error(c));
}

/* The next message, parsed into d. */
static void
next(struct wsc *c, struct json_doc *d)
{
	struct wsc_event	 ev;

	for (;;) {
		switch (wsc_recv(c, &ev, wsc_now() + TIMEOUT_MS)) {
		case WSC_EV_MESSAGE:
			if (json_parse(d, ev.data, ev.len) == -1)
				fail("bad JSON from the server: %s", d->err_msg);
			return;
		case WSC_EV_PING:
		case WSC_EV_PONG:
			continue;
		default:
			fail("connection ended: %s", wsc_error(c));
		}
	}
}

static void
hello(struct wsc *c)
{
	struct json_doc	 d;

	sendf(c, "{\"id\":1,\"method\":\"initialize\",\"params\":"
	    "{\"clientName\":\"loadgen\"}}");
	next(c, &d);
	if (json_get(&d, 0, "result") < 0)
		fail("initialize failed");
	json_doc_free(&d);
	sendf(c, "{\"method\":\"initialized\",\"params\":{}}");
}

/* The process number of "p<N>" in token t, or -1. */
static long
proc_of(const struct json_doc *d, int t, long n)
{
	char	*s, *end;
	long	 v;

	if ((s = json_str_dup(d, t, NULL)) == NULL || s[0] != 'p') {
		free(s);
		return -1;
	}
	v = strtol(s + 1, &end, 10);
	if (*end != '\0' || v < 0 || v >= n)
		v = -1;
	free(s);
	return v;
}

static void
start(struct wsc *c, long i, long lines)
{
	sendf(c, "{\"id\":%ld,\"method\":\"process/start\",\"params\":"
	    "{\"processId\":\"p%ld\",\"argv\":[\"seq\",\"-f\",\"c%dp%ld %%g\","
	    "\"1\",\"%ld\"],\"cwd\":\"file:///\",\"env\":{\"PATH\":"
	    "\"/usr/bin:/bin\"},\"tty\":false}}", 100 + i, i, me, i, lines);
}

static void
check(struct out *o, long i, long lines)
{
	struct buf	 want = { 0 };
	long		 k;

	for (k = 1; k <= lines; k++)
		buf_addf(&want, "c%dp%ld %ld\n", me, i, k);
	if (buf_used(&want) != buf_used(&o->data) ||
	    memcmp(buf_data(&want), buf_data(&o->data), buf_used(&want)) != 0)
		fail("process p%ld: %zu bytes of output, %zu expected, or "
		    "not the same bytes", i, buf_used(&o->data),
		    buf_used(&want));
	buf_free(&want);
}

/* One client of `procs`: prints "BYTES RETRIES" on success. */
static void
procs_client(void)
{
	long		 nproc = g_nproc, lines = g_lines, inflight = g_inflight;
	struct wsc	*c = connect_ws();
	struct json_doc	 d;
	struct out	*o;
	struct b64_err	 be;
	char		*chunk, *bin;
	size_t		 clen;
	long long	 n;
	long		 i, running = 0, next_start = 0, done = 0, retries = 0;
	long		*retry, nretry = 0;
	uint64_t	 seq, bytes = 0;
	int64_t		 id;
	int		 t, m;

	if ((o = calloc((size_t)nproc, sizeof(*o))) == NULL ||
	    (retry = calloc((size_t)nproc, sizeof(*retry))) == NULL)
		fail("out of memory");
	hello(c);
	while (done < nproc) {
		while (running < inflight && (nretry > 0 ||
		    next_start < nproc)) {
			if (nretry > 0) {
				usleep(20000);
				start(c, retry[--nretry], lines);
			} else
				start(c, next_start++, lines);
			running++;
		}
		next(c, &d);
		if ((t = json_get(&d, 0, "id")) >= 0) {
			if (json_i64(&d, t, &id) == -1 || id < 100 ||
			    id >= 100 + nproc)
				fail("a response to no request");
			i = (long)(id - 100);
			if ((t = json_get(&d, 0, "error")) >= 0) {
				t = json_get(&d, t, "message");
				chunk = json_str_dup(&d, t, NULL);
				if (chunk == NULL ||
				    strstr(chunk, "too many processes") == NULL)
					fail("process/start p%ld: %s", i,
					    chunk ? chunk : "?");
				free(chunk);
				retry[nretry++] = i;
				retries++;
				running--;
			} else
				o[i].started = 1;
			json_doc_free(&d);
			continue;
		}
		if ((m = json_get(&d, 0, "method")) < 0 ||
		    (t = json_get(&d, 0, "params")) < 0)
			fail("neither a response nor a notification");
		if ((i = proc_of(&d, json_get(&d, t, "processId"), nproc)) < 0)
			fail("an event of no process of ours");
		if (json_u64(&d, json_get(&d, t, "seq"), &seq) == -1 ||
		    seq <= o[i].seq)
			fail("p%ld: seq %" PRIu64 " after %" PRIu64, i, seq,
			    o[i].seq);
		o[i].seq = seq;
		if (json_str_eq(&d, m, "process/output")) {
			if (!json_str_eq(&d, json_get(&d, t, "stream"),
			    "stdout"))
				fail("p%ld: output on stderr", i);
			if ((chunk = json_str_dup(&d, json_get(&d, t, "chunk"),
			    &clen)) == NULL ||
			    (bin = malloc(b64_dec_max(clen) + 1)) == NULL)
				fail("out of memory");
			if ((n = b64_decode(bin, chunk, clen, &be)) < 0)
				fail("p%ld: bad base64", i);
			buf_add(&o[i].data, bin, (size_t)n);
			bytes += (uint64_t)n;
			free(bin);
			free(chunk);
		} else if (json_str_eq(&d, m, "process/closed")) {
			if (!o[i].started || o[i].closed)
				fail("p%ld: closed twice or before its start",
				    i);
			check(&o[i], i, lines);
			buf_free(&o[i].data);
			o[i].closed = 1;
			running--;
			done++;
		}
		json_doc_free(&d);
	}
	wsc_send_close(c, 1000, "", wsc_now() + TIMEOUT_MS);
	wsc_close(c, 0);
	printf("%" PRIu64 " %ld\n", bytes, retries);
	free(o);
	free(retry);
	_exit(0);
}

/* Drop the connection with a reset, not a FIN. */
static void
vanish(struct wsc *c)
{
	struct linger	 l = { 1, 0 };

	(void)setsockopt(wsc_fd(c), SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	wsc_close(c, 0);
}

/* One client of `vanish`: the way it vanishes is its number modulo 4. */
static void
vanish_client(void)
{
	static const char	 half[] = "GET / HTTP/1.1\r\nHost: x\r\n"
	    "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-";
	/* A masked text frame announcing 1000 bytes; 4 follow. */
	static const unsigned char frame[] = { 0x81, 0xfe, 0x03, 0xe8,
	    1, 2, 3, 4, 'a', 'b', 'c', 'd' };
	struct json_doc	 d;
	struct wsc	*c;
	char		 err[256];
	int		 k;

	switch (me % 4) {
	case 0:
		if ((c = wsc_connect_raw(url, wsc_now() + TIMEOUT_MS, err,
		    sizeof(err))) == NULL)
			fail("connect: %s", err);
		if (wsc_send_raw(c, half, sizeof(half) - 1,
		    wsc_now() + TIMEOUT_MS) == -1)
			fail("send: %s", wsc_error(c));
		break;
	case 1:
		c = connect_ws();
		hello(c);
		if (wsc_send_raw(c, frame, sizeof(frame),
		    wsc_now() + TIMEOUT_MS) == -1)
			fail("send: %s", wsc_error(c));
		break;
	case 2:
		c = connect_ws();
		hello(c);
		sendf(c, "{\"id\":2,\"method\":\"process/start\",\"params\":"
		    "{\"processId\":\"flood\",\"argv\":[\"seq\",\"1\","
		    "\"100000000\"],\"cwd\":\"file:///\",\"env\":{},"
		    "\"tty\":false}}");
		for (k = 0; k < 5; k++) {
			next(c, &d);
			json_doc_free(&d);
		}
		break;
	default:
		c = connect_ws();
		hello(c);
		sendf(c, "{\"id\":2,\"method\":\"process/start\",\"params\":"
		    "{\"processId\":\"cat\",\"argv\":[\"cat\"],\"cwd\":"
		    "\"file:///\",\"env\":{},\"tty\":%s,\"pipeStdin\":true}}",
		    me % 8 == 3 ? "true" : "false");
		next(c, &d);
		json_doc_free(&d);
		break;
	}
	vanish(c);
	_exit(0);
}

static void
sessions_client(void)
{
	struct json_doc	 d;
	struct wsc	*c = connect_ws();

	hello(c);
	sendf(c, "{\"id\":2,\"method\":\"environment/status\",\"params\":{}}");
	next(c, &d);
	if (json_get(&d, 0, "result") < 0)
		fail("environment/status failed");
	json_doc_free(&d);
	wsc_send_close(c, 1000, "", wsc_now() + TIMEOUT_MS);
	wsc_close(c, 0);
	_exit(0);
}

static int
hold(long n, long ms)
{
	struct wsc	**cs;
	struct json_doc	 d;
	char		 err[256];
	long		 k, opened = 0, statuses = 0;
	int64_t		 end;
	int		 stalled = 0;

	if ((cs = calloc((size_t)n, sizeof(*cs))) == NULL)
		fail("out of memory");
	for (k = 0; k < n; k++) {
		cs[k] = wsc_connect(url, NULL, wsc_now() + 1000, NULL, err,
		    sizeof(err));
		if (cs[k] == NULL) {
			stalled = 1;
			break;
		}
		hello(cs[k]);
		opened++;
	}
	if (opened == 0)
		fail("no connection at all: %s", err);
	for (end = wsc_now() + ms; wsc_now() < end; statuses++) {
		sendf(cs[0], "{\"id\":%ld,\"method\":\"environment/status\","
		    "\"params\":{}}", 2 + statuses);
		next(cs[0], &d);
		if (json_get(&d, 0, "result") < 0)
			fail("environment/status failed");
		json_doc_free(&d);
		usleep(100000);
	}
	for (k = 0; k < opened; k++)
		wsc_close(cs[k], 0);
	free(cs);
	if ((cs = malloc(sizeof(*cs))) == NULL)
		fail("out of memory");
	if ((cs[0] = wsc_connect(url, NULL, wsc_now() + 5000, NULL, err,
	    sizeof(err))) == NULL)
		fail("no connection after the others closed: %s", err);
	hello(cs[0]);
	wsc_close(cs[0], 0);
	free(cs);
	printf("ok opened=%ld stalled=%d statuses=%ld reconnected=1\n", opened,
	    stalled, statuses);
	return 0;
}

static long
num(const char *s, long min)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min) {
		fprintf(stderr, "loadgen: bad number `%s`\n", s);
		exit(2);
	}
	return v;
}

/*
 * Run n clients, `workers` at once; in each, `me` is its number and fn()
 * the client (it _exits).  With sum != NULL each client's stdout, two
 * numbers, is added there (read once all are done: a line each, far
 * below a pipe's capacity for the numbers of clients used here).
 */
static int
run(long n, long workers, void (*fn)(void), uint64_t sum[2])
{
	pid_t	 pid;
	long	 i, live = 0, bad = 0;
	int	 st, fds[2] = { -1, -1 };
	FILE	*f = NULL;
	uint64_t a, b;

	if (sum != NULL && (pipe(fds) == -1 ||
	    (f = fdopen(fds[0], "r")) == NULL)) {
		perror("loadgen: pipe");
		exit(2);
	}
	for (i = 0; i < n || live > 0; ) {
		if (i < n && live < workers) {
			if ((pid = fork()) == -1) {
				perror("loadgen: fork");
				exit(2);
			}
			if (pid == 0) {
				me = (int)i;
				if (fds[1] != -1) {
					dup2(fds[1], 1);
					close(fds[0]);
				}
				fn();
				_exit(1);
			}
			i++;
			live++;
			continue;
		}
		if (wait(&st) == -1)
			break;
		live--;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			bad++;
	}
	if (f != NULL) {
		close(fds[1]);
		sum[0] = sum[1] = 0;
		while (fscanf(f, "%" SCNu64 " %" SCNu64, &a, &b) == 2) {
			sum[0] += a;
			sum[1] += b;
		}
		fclose(f);
	}
	return bad == 0 ? 0 : -1;
}

int
main(int argc, char **argv)
{
	uint64_t	 sum[2];
	int64_t		 t0 = wsc_now();
	long		 n, conns;

	if (argc < 4)
		goto usage;
	url = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(argv[2], "procs") == 0 && (argc == 6 || argc == 7)) {
		conns = num(argv[3], 1);
		g_nproc = num(argv[4], 1);
		g_lines = num(argv[5], 1);
		g_inflight = argc == 7 ? num(argv[6], 1) : 10;
		if (run(conns, conns, procs_client, sum) == -1)
			return 1;
		printf("ok conns=%ld procs=%ld bytes=%" PRIu64 " retries=%"
		    PRIu64 " ms=%" PRId64 "\n", conns, conns * g_nproc,
		    sum[0], sum[1], wsc_now() - t0);
		return 0;
	}
	if (strcmp(argv[2], "vanish") == 0 && (argc == 4 || argc == 5)) {
		n = num(argv[3], 1);
		if (run(n, argc == 5 ? num(argv[4], 1) : 4, vanish_client,
		    NULL) == -1)
			return 1;
		printf("ok vanished=%ld\n", n);
		return 0;
	}
	if (strcmp(argv[2], "sessions") == 0 && (argc == 4 || argc == 5)) {
		n = num(argv[3], 1);
		if (run(n, argc == 5 ? num(argv[4], 1) : 4, sessions_client,
		    NULL) == -1)
			return 1;
		printf("ok sessions=%ld ms=%" PRId64 "\n", n, wsc_now() - t0);
		return 0;
	}
	if (strcmp(argv[2], "hold") == 0 && argc == 5)
		return hold(num(argv[3], 1), num(argv[4], 0));
usage:
	fprintf(stderr, "usage: loadgen URL procs CONNS NPROC LINES "
	    "[INFLIGHT]\n       loadgen URL vanish N [WORKERS]\n"
	    "       loadgen URL sessions N [WORKERS]\n"
	    "       loadgen URL hold N MS\n");
	return 2;
}
