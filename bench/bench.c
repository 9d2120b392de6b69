/*
 * bench.c: one workload against a running exec-server (ours or the
 * reference), measured from the client's side.
 *
 *	bench [-p PID] URL WORKLOAD ARG
 *
 * Workloads (ARG in parentheses):
 *	rtt (N)		N environment/status round trips, one at a time
 *	spawn (N)	N process/start of /bin/true, each until process/closed
 *	spawns (N)	N of the same, BENCH_WINDOW (64) in flight
 *	pipe (MIB)	a child writes MIB MiB to a pipe; every byte checked
 *	tty (MIB)	the same through a pseudo-terminal
 *	read (BYTES)	fs/readFile of a BYTES-byte file; every byte checked
 *	write (BYTES)	fs/writeFile of BYTES bytes; the file checked after
 *	small (N)	N fs/getMetadata, BENCH_WINDOW in flight
 *	conns (N)	N connections at once: each upgrades, initializes and
 *			makes one call while all the others are open
 *	sbread, sbwrite, sbspawn (N)
 *			N sequential fs/readFile, fs/writeFile, process/start
 *			under the reference's workspace-write profile
 *
 * Floors, no server (URL is "-"):
 *	fork, forkns (N)	fork, a byte through a pipe, waitpid (with a
 *				private mount namespace)
 *	exec (N)		fork, exec /bin/true, waitpid (the floor of
 *				spawn)
 *	pipe, tty (MIB)		the child of pipe or tty, read by a plain
 *				loop (the kernel's own limit)
 *	gen (BYTES)		write the pattern to stdout (the child of pipe)
 *	gentty (BYTES)		the same without newlines (the child of tty)
 *
 * Prints one line, tab-separated: workload, ARG, milliseconds of wall
 * time, milliseconds of the server's CPU (user + system of PID, all its
 * threads; "-" without -p), the amount of work and its unit.  Timing is
 * a measurement, never an assertion; a wrong byte is an error (exit 1).
 */
#include <sys/mount.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/b64.h"
#include "base/buf.h"
#include "client/wsc.h"

#define T		120000
#define BENCH_WINDOW	64
#define BENCH_CONNS	1024

static struct wsc	*c;
static int		 next_id = 10;
static char		 self[PATH_MAX];

static void
die(const char *what)
{
	fprintf(stderr, "bench: %s: %s\n", what, c ? wsc_error(c) : "");
	exit(1);
}

static void
send_on(struct wsc *w, const char *s)
{
	if (wsc_send(w, s, strlen(s), 0, wsc_now() + T) == -1) {
		c = w;
		die("send");
	}
}

/* The next text message on w; pings and pongs are skipped. */
static void
next_msg(struct wsc *w, struct wsc_event *ev)
{
	for (;;) {
		switch (wsc_recv(w, ev, wsc_now() + T)) {
		case WSC_EV_MESSAGE:
			return;
		case WSC_EV_PING:
		case WSC_EV_PONG:
			break;
		default:
			c = w;
			die("recv");
		}
	}
}

static int
has(const struct wsc_event *ev, const char *s)
{
	return memmem(ev->data, ev->len, s, strlen(s)) != NULL;
}

/* Read messages on w until one contains want. */
static void
wait_for(struct wsc *w, const char *want)
{
	struct wsc_event	 ev;

	do
		next_msg(w, &ev);
	while (!has(&ev, want));
}

static void
init(struct wsc *w)
{
	send_on(w, "{\"id\":1,\"method\":\"initialize\",\"params\":"
	    "{\"clientName\":\"bench\"}}");
	wait_for(w, "\"id\":1,");
	send_on(w, "{\"method\":\"initialized\"}");
}

/*
 * The value of a string field, "name":"...", in a message (no escapes
 * expected: ids and base64).  Returns its length, or -1.
 */
static long
field(const struct wsc_event *ev, const char *name, const char **v)
{
	char		 key[64];
	const char	*p, *q, *end = ev->data + ev->len;
	int		 n;

	n = snprintf(key, sizeof(key), "\"%s\":\"", name);
	if ((p = memmem(ev->data, ev->len, key, (size_t)n)) == NULL)
		return -1;
	p += n;
	if ((q = memchr(p, '"', (size_t)(end - p))) == NULL)
		return -1;
	*v = p;
	return q - p;
}

/* Byte i of the pattern: every value in pipe mode, no '\n' for a tty. */
static unsigned char
pat(uint64_t i, int tty)
{
	if (tty)
		return (unsigned char)('a' + i % 26);
	return (unsigned char)(i ^ (i >> 8) ^ (i >> 16) ^ 0x5a);
}

static void
fill(unsigned char *b, size_t n, uint64_t off, int tty)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		b[i] = pat(off + i, tty);
}

static int
gen(uint64_t n, int tty)
{
	static unsigned char	 b[65536];
	uint64_t		 off = 0;
	size_t			 k, done;
	ssize_t			 w;

	while (off < n) {
		k = n - off < sizeof(b) ? (size_t)(n - off) : sizeof(b);
		fill(b, k, off, tty);
		for (done = 0; done < k; done += (size_t)w)
			if ((w = write(1, b + done, k - done)) == -1) {
				if (errno == EINTR) {
					w = 0;
					continue;
				}
				return 1;
			}
		off += k;
	}
	return 0;
}

/*
 * The machine's own floor for a child per call, no server: fork, the
 * child (after a private mount namespace of its own, with ns) writes a
 * byte to a pipe and exits, the parent reads it and reaps the child.
 */
static int
floor_fork(long n, int ns)
{
	long	 i;
	pid_t	 pid;
	char	 ch;
	int	 p[2];

	for (i = 0; i < n; i++) {
		if (pipe(p) == -1 || (pid = fork()) == -1)
			return 1;
		if (pid == 0) {
			if (ns && (unshare(CLONE_NEWNS) == -1 || mount(NULL,
			    "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1))
				_exit(1);
			_exit(write(p[1], "x", 1) == 1 ? 0 : 1);
		}
		close(p[1]);
		if (read(p[0], &ch, 1) != 1)
			return 1;
		close(p[0]);
		(void)waitpid(pid, NULL, 0);
	}
	return 0;
}

/* The floor of a spawn: fork, exec /bin/true, waitpid; n times. */
static int
floor_exec(long n)
{
	long	 i;
	pid_t	 pid;
	int	 st;

	for (i = 0; i < n; i++) {
		if ((pid = fork()) == -1)
			return 1;
		if (pid == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		if (waitpid(pid, &st, 0) == -1 || st != 0)
			return 1;
	}
	return 0;
}

/*
 * The machine's own limit for streaming, no server: the same child as
 * pipe and tty (this program's gen) writes n bytes to a pipe or to a
 * pseudo-terminal, and a plain read loop takes them in 8 KiB reads.
 */
static int
floor_stream(uint64_t n, int tty)
{
	char		 b[8192], arg[32];
	uint64_t	 got = 0;
	ssize_t		 k;
	pid_t		 pid;
	int		 p[2], fd, sfd = -1;

	if (tty) {
		if ((fd = posix_openpt(O_RDWR | O_NOCTTY)) == -1 ||
		    grantpt(fd) == -1 || unlockpt(fd) == -1 ||
		    (sfd = open(ptsname(fd), O_RDWR | O_NOCTTY)) == -1)
			return 1;
	} else {
		if (pipe(p) == -1)
			return 1;
		fd = p[0];
		sfd = p[1];
	}
	snprintf(arg, sizeof(arg), "%llu", (unsigned long long)n);
	if ((pid = fork()) == -1)
		return 1;
	if (pid == 0) {
		if (dup2(sfd, 1) == -1)
			_exit(127);
		execl(self, self, "-", tty ? "gentty" : "gen", arg, (char *)NULL);
		_exit(127);
	}
	close(sfd);
	while ((k = read(fd, b, sizeof(b))) > 0 || (k == -1 && errno == EINTR))
		if (k > 0)
			got += (uint64_t)k;
	close(fd);
	(void)waitpid(pid, NULL, 0);
	return got == n ? 0 : 1;
}

/* The server's CPU time so far in ms (utime + stime), or -1. */
static long
cpu_ms(pid_t pid)
{
	char		 path[64], b[1024], *p;
	unsigned long	 ut, st;
	ssize_t		 n;
	int		 fd, i;

	if (pid <= 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, b, sizeof(b) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	b[n] = '\0';
	/* Fields after the command's ")": state is field 3, utime 14. */
	if ((p = strrchr(b, ')')) == NULL)
		return -1;
	for (i = 2; i < 14 && p != NULL; i++)
		p = strchr(p + 1, ' ');
	if (p == NULL || sscanf(p, "%lu %lu", &ut, &st) != 2)
		return -1;
	return (long)((ut + st) * 1000 / (unsigned long)sysconf(_SC_CLK_TCK));
}

static void
start_proc(struct wsc *w, const char *id, const char *argv, int tty,
    const char *extra)
{
	struct buf	 m = { 0 };

	buf_addf(&m, "{\"id\":%d,\"method\":\"process/start\",\"params\":"
	    "{\"processId\":\"%s\",\"argv\":%s,\"cwd\":\"file:///tmp\","
	    "\"env\":{\"PATH\":\"/usr/bin:/bin\"},\"tty\":%s%s}}%c", next_id++,
	    id, argv, tty ? "true" : "false", extra, 0);
	send_on(w, buf_data(&m));
	buf_free(&m);
}

/* The process id a process/closed is about, or -1 for another message. */
static long
closed_id(const struct wsc_event *ev)
{
	const char	*v;
	long		 n;

	if (!has(ev, "\"method\":\"process/closed\"") ||
	    (n = field(ev, "processId", &v)) < 2 || v[0] != 'p')
		return -1;
	return strtol(v + 1, NULL, 10);
}

/* n processes of /bin/true, window at a time, each until closed. */
static void
spawn(long n, long window, const char *extra)
{
	struct wsc_event	 ev;
	char			 id[32];
	long			 started = 0, closed = 0;

	while (closed < n) {
		while (started < n && started - closed < window) {
			snprintf(id, sizeof(id), "p%ld", started++);
			start_proc(c, id, "[\"/bin/true\"]", 0, extra);
		}
		next_msg(c, &ev);
		if (closed_id(&ev) >= 0)
			closed++;
	}
}

/* Stream mib MiB of the pattern from a child; every byte checked. */
static void
stream(long mib, int tty)
{
	struct wsc_event	 ev;
	struct b64_err		 e;
	struct buf		 argv = { 0 };
	unsigned char		*d = NULL, *want = NULL;
	const char		*v;
	uint64_t		 total = (uint64_t)mib << 20, got = 0;
	size_t			 cap = 0;
	long			 k;
	long long		 dn;

	buf_addf(&argv, "[\"%s\",\"-\",\"%s\",\"%llu\"]%c", self,
	    tty ? "gentty" : "gen", (unsigned long long)total, 0);
	start_proc(c, "p0", buf_data(&argv), tty, "");
	buf_free(&argv);
	for (;;) {
		next_msg(c, &ev);
		if (closed_id(&ev) == 0)
			break;
		if (!has(&ev, "\"method\":\"process/output\"") ||
		    (k = field(&ev, "chunk", &v)) < 0)
			continue;
		if (b64_dec_max((size_t)k) > cap) {
			cap = b64_dec_max((size_t)k) * 2;
			if ((d = realloc(d, cap)) == NULL ||
			    (want = realloc(want, cap)) == NULL)
				die("realloc");
		}
		if ((dn = b64_decode(d, v, (size_t)k, &e)) < 0)
			die("bad base64 in process/output");
		fill(want, (size_t)dn, got, tty);
		if (memcmp(d, want, (size_t)dn) != 0)
			die("a byte of the output is wrong");
		got += (uint64_t)dn;
	}
	free(d);
	free(want);
	if (got != total) {
		fprintf(stderr, "bench: %llu bytes of output, not %llu\n",
		    (unsigned long long)got, (unsigned long long)total);
		exit(1);
	}
}

/* Calls of fs/readFile or fs/writeFile with size bytes; each checked. */
static long
file_io(size_t size, int wr)
{
	struct wsc_event	 ev;
	struct b64_err		 e;
	struct buf		 m = { 0 };
	char			 path[64], want[32];
	unsigned char		*data, *back;
	const char		*v;
	long			 calls, i, k;
	int			 fd;

	snprintf(path, sizeof(path), "/tmp/exec-server-bench.%d",
	    (int)getpid());
	if ((data = malloc(size + 1)) == NULL ||
	    (back = malloc(b64_dec_max(b64_enc_len(size)) + 1)) == NULL)
		die("malloc");
	fill(data, size, 0, 0);
	if (!wr) {
		if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		    0600)) == -1 || write(fd, data, size) != (ssize_t)size ||
		    close(fd) == -1)
			die("cannot write the file to read");
	}
	/* Enough calls for a measurable time: 64 MiB of data, 1 to 500. */
	calls = (long)(((size_t)64 << 20) / (size ? size : 1));
	calls = calls < 1 ? 1 : calls > 500 ? 500 : calls;
	/*
	 * The message is made once, its id padded with JSON white space
	 * ("id":      12) and rewritten in place: the client's own work
	 * per call is then the masking and the send.
	 */
	if (wr) {
		buf_addf(&m, "{\"id\":%10d,\"method\":\"fs/writeFile\","
		    "\"params\":{\"path\":\"file://%s\",\"dataBase64\":\"",
		    0, path);
		if (buf_reserve(&m, b64_enc_len(size) + 8) == -1)
			die("malloc");
		b64_encode(m.p + m.len, data, size);
		m.len += b64_enc_len(size);
		buf_add(&m, "\"}}", 3);
	} else
		buf_addf(&m, "{\"id\":%10d,\"method\":\"fs/readFile\","
		    "\"params\":{\"path\":\"file://%s\"}}", 0, path);
	for (i = 0; i < calls; i++) {
		snprintf(want, sizeof(want), "%10d", next_id);
		memcpy(m.p + 6, want, 10);
		snprintf(want, sizeof(want), "\"id\":%d,", next_id++);
		if (wsc_send(c, m.p, m.len, 0, wsc_now() + T) == -1)
			die("send");
		do
			next_msg(c, &ev);
		while (!has(&ev, want));
		if (has(&ev, "\"error\""))
			die("the call failed");
		if (!wr) {
			if ((k = field(&ev, "dataBase64", &v)) < 0 ||
			    b64_decode(back, v, (size_t)k, &e) != (long long)size
			    || memcmp(back, data, size) != 0)
				die("fs/readFile: wrong content");
		}
	}
	if (wr) {
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
		    read(fd, back, size + 1) != (ssize_t)size ||
		    memcmp(back, data, size) != 0)
			die("fs/writeFile: wrong content");
		close(fd);
	}
	unlink(path);
	buf_free(&m);
	free(data);
	free(back);
	return calls;
}

/* n fs/getMetadata calls, window in flight. */
static void
small(long n, long window)
{
	struct wsc_event	 ev;
	char			 msg[160];
	long			 sent = 0, done = 0;

	while (done < n) {
		while (sent < n && sent - done < window) {
			snprintf(msg, sizeof(msg), "{\"id\":%ld,\"method\":"
			    "\"fs/getMetadata\",\"params\":{\"path\":"
			    "\"file:///tmp\"}}", 100 + sent++);
			send_on(c, msg);
		}
		next_msg(c, &ev);
		if (has(&ev, "\"result\""))
			done++;
		else if (has(&ev, "\"error\""))
			die("fs/getMetadata failed");
	}
}

/* n connections open at once, each initialized and answering a call. */
static void
conns(const char *url, long n)
{
	static struct wsc	*w[BENCH_CONNS];
	char			 err[256];
	long			 i;

	if (n > BENCH_CONNS)
		n = BENCH_CONNS;
	for (i = 0; i < n; i++) {
		if ((w[i] = wsc_connect(url, NULL, wsc_now() + T, NULL, err,
		    sizeof(err))) == NULL) {
			fprintf(stderr, "bench: connection %ld: %s\n", i, err);
			exit(1);
		}
		send_on(w[i], "{\"id\":1,\"method\":\"initialize\",\"params\":"
		    "{\"clientName\":\"bench\"}}");
	}
	for (i = 0; i < n; i++) {
		wait_for(w[i], "\"id\":1,");
		send_on(w[i], "{\"method\":\"initialized\"}");
		send_on(w[i], "{\"id\":2,\"method\":\"environment/status\"}");
	}
	for (i = 0; i < n; i++) {
		wait_for(w[i], "\"id\":2,");
		wsc_close(w[i], 0);
	}
}

static const char sandbox[] = ",\"sandbox\":{\"permissions\":"
    "{\"type\":\"managed\",\"network\":\"restricted\","
    "\"file_system\":{\"type\":\"restricted\",\"entries\":"
    "[{\"path\":{\"type\":\"special\",\"value\":{\"kind\":"
    "\"root\"}},\"access\":\"read\"},{\"path\":{\"type\":"
    "\"path\",\"path\":\"file:///tmp\"},\"access\":"
    "\"write\"}]}},\"windowsSandboxLevel\":\"disabled\","
    "\"cwd\":\"file:///tmp\"}";

/* n sequential fs calls under the workspace-write profile. */
static void
sbfs(long n, int wr)
{
	char	 msg[1024], want[32];
	long	 i;

	for (i = 0; i < n; i++) {
		if (wr)
			snprintf(msg, sizeof(msg), "{\"id\":%d,\"method\":"
			    "\"fs/writeFile\",\"params\":{\"path\":"
			    "\"file:///tmp/exec-server-bench\","
			    "\"dataBase64\":\"eA==\"%s}}", next_id, sandbox);
		else
			snprintf(msg, sizeof(msg), "{\"id\":%d,\"method\":"
			    "\"fs/readFile\",\"params\":{\"path\":"
			    "\"file:///etc/hostname\"%s}}", next_id, sandbox);
		snprintf(want, sizeof(want), "\"id\":%d,", next_id++);
		send_on(c, msg);
		wait_for(c, want);
	}
	if (wr)
		unlink("/tmp/exec-server-bench");
}

static void
usage(void)
{
	fprintf(stderr, "usage: bench [-p PID] URL rtt|spawn|spawns|pipe|"
	    "tty|read|write|small|conns|sbread|sbwrite|sbspawn ARG\n"
	    "       bench - fork|forkns|exec|pipe|tty|gen|gentty ARG\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	char		 err[256], msg[128], want[32];
	const char	*url, *what, *unit = "calls";
	int64_t		 t0, t;
	long		 i, n, cpu0, cpu1;
	double		 work;
	pid_t		 pid = 0;
	int		 ch;

	while ((ch = getopt(argc, argv, "p:")) != -1) {
		if (ch != 'p')
			usage();
		pid = (pid_t)atol(optarg);
	}
	argc -= optind;
	argv += optind;
	if (argc != 3)
		usage();
	url = argv[0];
	what = argv[1];
	n = atol(argv[2]);
	work = (double)n;
	if ((i = readlink("/proc/self/exe", self, sizeof(self) - 1)) <= 0)
		die("readlink /proc/self/exe");
	self[i] = '\0';
	if (strcmp(url, "-") == 0) {
		if (strcmp(what, "gen") == 0 || strcmp(what, "gentty") == 0)
			return gen(strtoull(argv[2], NULL, 10),
			    strcmp(what, "gentty") == 0);
		t0 = wsc_now();
		if (strcmp(what, "fork") == 0 || strcmp(what, "forkns") == 0) {
			if (floor_fork(n, strcmp(what, "forkns") == 0) != 0)
				die("fork");
		} else if (strcmp(what, "exec") == 0) {
			if (floor_exec(n) != 0)
				die("fork and exec of /bin/true");
		} else if (strcmp(what, "pipe") == 0 ||
		    strcmp(what, "tty") == 0) {
			if (floor_stream((uint64_t)n << 20,
			    strcmp(what, "tty") == 0) != 0)
				die("the stream ended short");
			unit = "MiB";
		} else
			usage();
		t = wsc_now() - t0;
		printf("%s\t%ld\t%lld\t-\t%ld\t%s\n", what, n, (long long)t,
		    n, unit);
		return 0;
	}
	/* conns makes its own connections; the clock includes them. */
	t0 = wsc_now();
	cpu0 = cpu_ms(pid);
	if (strcmp(what, "conns") == 0)
		conns(url, n);
	else {
		if ((c = wsc_connect(url, NULL, wsc_now() + T, NULL, err,
		    sizeof(err))) == NULL) {
			fprintf(stderr, "bench: %s\n", err);
			return 1;
		}
		init(c);
		t0 = wsc_now();
		cpu0 = cpu_ms(pid);
		if (strcmp(what, "rtt") == 0) {
			for (i = 0; i < n; i++) {
				snprintf(msg, sizeof(msg), "{\"id\":%d,"
				    "\"method\":\"environment/status\"}",
				    next_id);
				snprintf(want, sizeof(want), "\"id\":%d,",
				    next_id++);
				send_on(c, msg);
				wait_for(c, want);
			}
		} else if (strcmp(what, "spawn") == 0)
			spawn(n, 1, "");
		else if (strcmp(what, "spawns") == 0)
			spawn(n, BENCH_WINDOW, "");
		else if (strcmp(what, "sbspawn") == 0)
			spawn(n, 1, sandbox);
		else if (strcmp(what, "pipe") == 0 ||
		    strcmp(what, "tty") == 0) {
			stream(n, strcmp(what, "tty") == 0);
			unit = "MiB";
		} else if (strcmp(what, "read") == 0 ||
		    strcmp(what, "write") == 0) {
			work = (double)file_io((size_t)n,
			    strcmp(what, "write") == 0);
		} else if (strcmp(what, "small") == 0)
			small(n, BENCH_WINDOW);
		else if (strcmp(what, "sbread") == 0 ||
		    strcmp(what, "sbwrite") == 0)
			sbfs(n, strcmp(what, "sbwrite") == 0);
		else
			usage();
	}
	t = wsc_now() - t0;
	cpu1 = cpu_ms(pid);
	if (c != NULL)
		wsc_close(c, 0);
	printf("%s\t%ld\t%lld\t", what, n, (long long)t);
	if (cpu0 >= 0 && cpu1 >= 0)
		printf("%ld", cpu1 - cpu0);
	else
		printf("-");
	printf("\t%.0f\t%s\n", work, unit);
	return 0;
}
