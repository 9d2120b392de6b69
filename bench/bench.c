/*
 * bench.c: measure a running exec-server (ours or the reference).
 *
 *	bench URL rtt N		N environment/status round trips
 *	bench URL spawn N	N x (process/start /bin/true ... process/closed)
 *	bench URL output MIB	stream MIB MiB of process output
 *	bench URL readfile PATH	fs/readFile of PATH
 *
 * Prints one line: the name, the count and the timing.  Timing is a
 * measurement, never an assertion: nothing here fails on a slow result.
 */
#include <sys/mount.h>
#include <sys/wait.h>

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "client/wsc.h"

#define T	60000

static struct wsc	*c;
static int		 next_id = 10;

static void
die(const char *what)
{
	fprintf(stderr, "bench: %s: %s\n", what, c ? wsc_error(c) : "");
	exit(1);
}

static void
send_s(const char *s)
{
	if (wsc_send(c, s, strlen(s), 0, wsc_now() + T) == -1)
		die("send");
}

/* Read messages until one contains `want`; returns the bytes seen. */
static size_t
wait_for(const char *want)
{
	struct wsc_event	 ev;
	size_t			 n = 0;

	for (;;) {
		switch (wsc_recv(c, &ev, wsc_now() + T)) {
		case WSC_EV_MESSAGE:
			n += ev.len;
			if (memmem(ev.data, ev.len, want, strlen(want)))
				return n;
			break;
		case WSC_EV_PING:
		case WSC_EV_PONG:
			break;
		default:
			die("recv");
		}
	}
}

/* Until the process/closed of the process want names: its last event. */
static void
wait_closed(const char *want)
{
	struct wsc_event	 ev;

	for (;;) {
		if (wsc_recv(c, &ev, wsc_now() + T) != WSC_EV_MESSAGE)
			continue;
		if (memmem(ev.data, ev.len, "process/closed", 14) &&
		    memmem(ev.data, ev.len, want, strlen(want)))
			return;
	}
}

static void
init(void)
{
	send_s("{\"id\":1,\"method\":\"initialize\",\"params\":"
	    "{\"clientName\":\"bench\"}}");
	wait_for("\"id\":1,");
	send_s("{\"method\":\"initialized\"}");
}

/*
 * The machine's own floor for a child per call, no server: fork, the
 * child (after a private mount namespace of its own, with ns) writes a
 * byte to a pipe and exits, the parent reads it and reaps the child.
 */
static int
floor_fork(long n, int ns)
{
	int64_t	 t0 = wsc_now();
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
	printf("%s\t%ld\t%.3f ms each\n", ns ? "fork+mountns" : "fork", n,
	    (double)(wsc_now() - t0) / n);
	return 0;
}

int
main(int argc, char **argv)
{
	struct buf	 m = { 0 };
	char		 err[256], want[64];
	int64_t		 t0, t;
	long		 i, n;
	size_t		 bytes;

	if (argc != 4) {
		fprintf(stderr, "usage: bench URL rtt|spawn|sbread|sbwrite|"
		    "sbspawn|output|readfile ARG\n"
		    "       bench - fork|forkns N\n");
		return 2;
	}
	/* The floors: no server. */
	if (strcmp(argv[1], "-") == 0 && (strcmp(argv[2], "fork") == 0 ||
	    strcmp(argv[2], "forkns") == 0))
		return floor_fork(atol(argv[3]), strcmp(argv[2], "forkns") == 0);
	if ((c = wsc_connect(argv[1], NULL, wsc_now() + T, NULL, err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "bench: %s\n", err);
		return 1;
	}
	init();
	n = atol(argv[3]);
	t0 = wsc_now();
	if (strcmp(argv[2], "rtt") == 0) {
		for (i = 0; i < n; i++) {
			buf_reset(&m);
			buf_addf(&m, "{\"id\":%d,\"method\":\"environment/status\"}%c",
			    next_id, 0);
			send_s(buf_data(&m));
			snprintf(want, sizeof(want), "\"id\":%d,", next_id++);
			wait_for(want);
		}
		t = wsc_now() - t0;
		printf("rtt\t%ld\t%.3f ms each\n", n, (double)t / n);
	} else if (strcmp(argv[2], "sbread") == 0 ||
	    strcmp(argv[2], "sbwrite") == 0 ||
	    strcmp(argv[2], "sbspawn") == 0) {
		/* Under the workspace-write profile of the reference, in /tmp. */
		static const char sb[] = "\"sandbox\":{\"permissions\":"
		    "{\"type\":\"managed\",\"network\":\"restricted\","
		    "\"file_system\":{\"type\":\"restricted\",\"entries\":"
		    "[{\"path\":{\"type\":\"special\",\"value\":{\"kind\":"
		    "\"root\"}},\"access\":\"read\"},{\"path\":{\"type\":"
		    "\"path\",\"path\":\"file:///tmp\"},\"access\":"
		    "\"write\"}]}},\"windowsSandboxLevel\":\"disabled\","
		    "\"cwd\":\"file:///tmp\"}";
		int	 fs = strcmp(argv[2], "sbspawn") != 0;
		int	 wr = strcmp(argv[2], "sbwrite") == 0;

		for (i = 0; i < n; i++) {
			buf_reset(&m);
			if (wr)
				buf_addf(&m, "{\"id\":%d,\"method\":"
				    "\"fs/writeFile\",\"params\":{\"path\":"
				    "\"file:///tmp/exec-server-bench\","
				    "\"dataBase64\":\"eA==\",%s}}%c", next_id,
				    sb, 0);
			else if (fs)
				buf_addf(&m, "{\"id\":%d,\"method\":"
				    "\"fs/readFile\",\"params\":{\"path\":"
				    "\"file:///etc/hostname\",%s}}%c", next_id,
				    sb, 0);
			else
				buf_addf(&m, "{\"id\":%d,\"method\":"
				    "\"process/start\",\"params\":{"
				    "\"processId\":\"s%ld\",\"argv\":"
				    "[\"/bin/true\"],\"cwd\":\"file:///tmp\","
				    "\"env\":{},\"tty\":false,%s}}%c", next_id,
				    i, sb, 0);
			send_s(buf_data(&m));
			if (fs)
				snprintf(want, sizeof(want), "\"id\":%d,",
				    next_id);
			else
				snprintf(want, sizeof(want), "\"processId\":"
				    "\"s%ld\",\"seq\":", i);
			next_id++;
			if (fs)
				wait_for(want);
			else
				wait_closed(want);
		}
		t = wsc_now() - t0;
		printf("%s\t%ld\t%.3f ms each\n", argv[2], n, (double)t / n);
	} else if (strcmp(argv[2], "spawn") == 0) {
		for (i = 0; i < n; i++) {
			buf_reset(&m);
			buf_addf(&m, "{\"id\":%d,\"method\":\"process/start\","
			    "\"params\":{\"processId\":\"b%ld\",\"argv\":"
			    "[\"/bin/true\"],\"cwd\":\"file:///\",\"env\":{},"
			    "\"tty\":false}}%c", next_id++, i, 0);
			send_s(buf_data(&m));
			snprintf(want, sizeof(want), "\"processId\":\"b%ld\","
			    "\"seq\":", i);
			wait_closed(want);
		}
		t = wsc_now() - t0;
		printf("spawn\t%ld\t%.3f ms each (start to closed)\n", n,
		    (double)t / n);
	} else if (strcmp(argv[2], "output") == 0) {
		buf_addf(&m, "{\"id\":2,\"method\":\"process/start\",\"params\":"
		    "{\"processId\":\"out\",\"argv\":[\"/bin/sh\",\"-c\","
		    "\"head -c %ld /dev/zero\"],\"cwd\":\"file:///\","
		    "\"env\":{},\"tty\":false}}%c", n * 1024 * 1024, 0);
		send_s(buf_data(&m));
		bytes = wait_for("process/closed");
		t = wsc_now() - t0;
		printf("output\t%ld MiB\t%lld ms, %.1f MiB/s (%zu bytes of JSON)\n",
		    n, (long long)t, t ? n * 1000.0 / t : 0.0, bytes);
	} else if (strcmp(argv[2], "readfile") == 0) {
		buf_addf(&m, "{\"id\":2,\"method\":\"fs/readFile\",\"params\":"
		    "{\"path\":\"file://%s\"}}%c", argv[3], 0);
		send_s(buf_data(&m));
		bytes = wait_for("\"id\":2,");
		t = wsc_now() - t0;
		printf("readfile\t%zu bytes\t%lld ms\n", bytes, (long long)t);
	} else {
		fprintf(stderr, "bench: unknown test %s\n", argv[2]);
		return 2;
	}
	buf_free(&m);
	wsc_close(c, 0);
	return 0;
}
