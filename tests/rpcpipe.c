/*
 * rpcpipe.c: script an exec-server for the shell tests.
 *
 *   rpcpipe [-i] [-q quiet-ms] [-t timeout-ms] command [arg ...] <script
 *   rpcpipe -w ws://IP:PORT [-i] [-q quiet-ms] [-t timeout-ms] <script
 *
 * The first form starts a stdio server with pipes on its stdin and
 * stdout; the second connects to a WebSocket server (connection 1).
 * Every message received is printed on a line; those of connection N > 1
 * are prefixed with "cN ".  The script's lines are sent as they are (on
 * the current connection), except:
 *   sleep MS           keep reading for MS milliseconds
 *   wait TEXT [N]      read until N (default 1) lines so far contain TEXT
 *   eof                close the stdio server's stdin
 *   init               send initialize and initialized
 *   connect            WebSocket: open a new connection, make it current
 *   use N              WebSocket: make connection N current
 *   drop               WebSocket: close the current connection (no Close
 *                      frame, like a client that vanishes)
 *   resume             send initialize with the first sessionId received,
 *                      then initialized
 *   # ...              a comment
 * -i sends init first.  After the script, rpcpipe reads until nothing
 * came for quiet-ms (default 200; $RPCPIPE_QUIET_MIN raises it, for a
 * server under valgrind), then closes the stdio server's stdin
 * and waits for it.  Exit status: the stdio server's (128+N for a
 * signal), 0 for WebSocket, or 3 when a wait or the exit took longer than
 * timeout-ms (default 10000).
 */
#include <sys/wait.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/wsc.h"

#define MAXCONN	16

static struct wsc	*conns[MAXCONN + 1];	/* WebSocket, 1-based */
static int		 nconns, cur = 1;
static const char	*url;
static int		 to_child = -1, from_child = -1;	/* stdio */
static int		 child_eof;
static char		*hist;			/* every line received */
static size_t		 histlen, histcap;
static char		*part;			/* a stdio line being received */
static size_t		 partlen, partcap;

static void
keep(const char *p, size_t n)
{
	char	*h;

	if (histlen + n + 1 > histcap) {
		histcap = (histlen + n + 1) * 2;
		if ((h = realloc(hist, histcap)) == NULL) {
			perror("rpcpipe");
			exit(2);
		}
		hist = h;
	}
	memcpy(hist + histlen, p, n);
	histlen += n;
	hist[histlen] = '\0';
}

/*
 * Count the lines containing text from *pos on (the history only grows),
 * adding to *n; *pos moves past the complete lines seen.
 */
static void
count(const char *text, size_t *pos, int *n)
{
	const char	*p, *nl, *m;

	while (*pos < histlen) {
		p = hist + *pos;
		if ((nl = memchr(p, '\n', histlen - *pos)) == NULL)
			return;
		m = memmem(p, (size_t)(nl - p), text, strlen(text));
		if (m != NULL)
			(*n)++;
		*pos = (size_t)(nl - hist) + 1;
	}
}

static void
got_line(int c, const char *p, size_t n)
{
	char	 pre[16];

	if (c > 1) {
		snprintf(pre, sizeof(pre), "c%d ", c);
		fputs(pre, stdout);
		keep(pre, strlen(pre));
	}
	fwrite(p, 1, n, stdout);
	keep(p, n);
	if (n == 0 || p[n - 1] != '\n') {
		fputc('\n', stdout);
		keep("\n", 1);
	}
	fflush(stdout);
}

static void
read_stdio(void)
{
	char	 buf[65536];
	ssize_t	 n, i;

	if ((n = read(from_child, buf, sizeof(buf))) <= 0) {
		if (n == -1 && errno == EINTR)
			return;
		child_eof = 1;
		return;
	}
	for (i = 0; i < n; i++) {
		if (partlen == partcap) {
			partcap = partcap ? partcap * 2 : 65536;
			if ((part = realloc(part, partcap)) == NULL) {
				perror("rpcpipe");
				exit(2);
			}
		}
		part[partlen++] = buf[i];
		if (buf[i] == '\n') {
			got_line(1, part, partlen);
			partlen = 0;
		}
	}
}

static void
read_ws(int c)
{
	struct wsc_event	 ev;

	switch (wsc_recv(conns[c], &ev, wsc_now())) {
	case WSC_EV_MESSAGE:
		got_line(c, ev.data, ev.len);
		break;
	case WSC_EV_CLOSE:
	case WSC_EV_EOF:
	case WSC_EV_ERROR:
		wsc_close(conns[c], 0);
		conns[c] = NULL;
		break;
	default:
		break;
	}
}

/* Read what arrives within ms; returns 1 if something did. */
static int
pump(int ms)
{
	struct pollfd	 pfd[MAXCONN + 1];
	int		 who[MAXCONN + 1], n = 0, i, c;

	if (url == NULL && !child_eof) {
		pfd[n].fd = from_child;
		pfd[n].events = POLLIN;
		who[n++] = 0;
	}
	for (c = 1; c <= nconns; c++) {
		if (conns[c] == NULL)
			continue;
		if (wsc_pending(conns[c])) {
			read_ws(c);
			return 1;
		}
		pfd[n].fd = wsc_fd(conns[c]);
		pfd[n].events = POLLIN;
		who[n++] = c;
	}
	if (poll(pfd, (nfds_t)n, ms) <= 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (pfd[i].revents == 0)
			continue;
		if (who[i] == 0)
			read_stdio();
		else
			read_ws(who[i]);
	}
	return 1;
}

static void
write_all(const char *s, size_t n)
{
	ssize_t	 w;

	while (n > 0 && to_child != -1) {
		if ((w = write(to_child, s, n)) == -1) {
			if (errno == EINTR)
				continue;
			return;
		}
		s += w;
		n -= (size_t)w;
	}
}

static void
send_line(const char *s)
{
	if (url != NULL) {
		if (conns[cur] != NULL)
			(void)wsc_send(conns[cur], s, strlen(s), 0,
			    wsc_now() + 10000);
		return;
	}
	write_all(s, strlen(s));
	write_all("\n", 1);
}

static void
connect_ws(void)
{
	char	 err[256];

	if (nconns == MAXCONN) {
		fprintf(stderr, "rpcpipe: too many connections\n");
		exit(2);
	}
	if ((conns[++nconns] = wsc_connect(url, NULL, wsc_now() + 10000, NULL,
	    err, sizeof(err))) == NULL) {
		fprintf(stderr, "rpcpipe: %s: %s\n", url, err);
		exit(2);
	}
	cur = nconns;
}

static void
init(const char *resume)
{
	char	 line[256];

	if (resume == NULL)
		snprintf(line, sizeof(line), "{\"id\":0,\"method\":\"initialize\","
		    "\"params\":{\"clientName\":\"rpcpipe\"}}");
	else
		snprintf(line, sizeof(line), "{\"id\":0,\"method\":\"initialize\","
		    "\"params\":{\"clientName\":\"rpcpipe\",\"resumeSessionId\":"
		    "\"%.36s\"}}", resume);
	send_line(line);
	send_line("{\"method\":\"initialized\"}");
}

static void
start(char **argv)
{
	int	 in[2], out[2];
	pid_t	 pid;

	if (pipe(in) == -1 || pipe(out) == -1 || (pid = fork()) == -1) {
		perror("rpcpipe");
		exit(2);
	}
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		execvp(argv[0], argv);
		perror(argv[0]);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	to_child = in[1];
	from_child = out[0];
}

/* stdio: close the server's stdin and collect its exit status. */
static int
finish(int64_t timeout)
{
	int64_t	 deadline, t;
	pid_t	 w;
	int	 st;

	if (to_child != -1)
		close(to_child);
	deadline = wsc_now() + timeout;
	while (!child_eof && (t = deadline - wsc_now()) > 0)
		pump((int)t);
	for (;;) {
		if ((w = waitpid(-1, &st, WNOHANG)) > 0)
			break;
		if (wsc_now() > deadline) {
			fprintf(stderr, "rpcpipe: the command did not exit\n");
			return 3;
		}
		poll(NULL, 0, 5);
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int
main(int argc, char *argv[])
{
	static char	*line;
	char		*arg, *sp, *sid;
	size_t		 cap = 0, pos;
	ssize_t		 len;
	int64_t		 deadline, quiet = 200, timeout = 10000, t;
	const char	*env;
	int		 ch, doinit = 0, want, seen, c, rc = 0;

	while ((ch = getopt(argc, argv, "+iq:t:w:")) != -1) {
		switch (ch) {
		case 'i':
			doinit = 1;
			break;
		case 'q':
			quiet = atoll(optarg);
			break;
		case 't':
			timeout = atoll(optarg);
			break;
		case 'w':
			url = optarg;
			break;
		default:
			fprintf(stderr, "usage: rpcpipe [-i] [-q ms] [-t ms] "
			    "[-w url | command [arg ...]]\n");
			return 2;
		}
	}
	if (url == NULL && optind >= argc)
		return 2;
	/* A slow server (make valgrind) gets a longer quiet time, no less. */
	if ((env = getenv("RPCPIPE_QUIET_MIN")) != NULL && atoll(env) > quiet)
		quiet = atoll(env);
	signal(SIGPIPE, SIG_IGN);
	if (url != NULL)
		connect_ws();
	else
		start(argv + optind);
	if (doinit)
		init(NULL);

	while ((len = getline(&line, &cap, stdin)) != -1) {
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (strncmp(line, "sleep ", 6) == 0) {
			deadline = wsc_now() + atoll(line + 6);
			while ((t = deadline - wsc_now()) > 0)
				if (!pump((int)t) && url == NULL && child_eof)
					poll(NULL, 0, (int)t);
		} else if (strncmp(line, "wait ", 5) == 0) {
			arg = line + 5;
			want = 1;
			if ((sp = strrchr(arg, ' ')) != NULL && sp[1] != '\0' &&
			    strspn(sp + 1, "0123456789") == strlen(sp + 1)) {
				want = atoi(sp + 1);
				*sp = '\0';
			}
			deadline = wsc_now() + timeout;
			pos = 0;
			seen = 0;
			for (;;) {
				count(arg, &pos, &seen);
				if (seen >= want)
					break;
				if ((t = deadline - wsc_now()) <= 0 ||
				    (url == NULL && child_eof)) {
					fprintf(stderr, "rpcpipe: gave up waiting "
					    "for %d of `%s`\n", want, arg);
					return 3;
				}
				pump((int)t);
			}
		} else if (strcmp(line, "eof") == 0) {
			if (to_child != -1)
				close(to_child);
			to_child = -1;
		} else if (strcmp(line, "init") == 0)
			init(NULL);
		else if (strcmp(line, "resume") == 0) {
			if ((sid = strstr(hist != NULL ? hist : "",
			    "\"sessionId\":\"")) == NULL) {
				fprintf(stderr, "rpcpipe: no sessionId yet\n");
				return 3;
			}
			init(sid + 13);
		} else if (strcmp(line, "connect") == 0 && url != NULL)
			connect_ws();
		else if (strncmp(line, "use ", 4) == 0 && url != NULL) {
			cur = atoi(line + 4);
			if (cur < 1 || cur > nconns)
				cur = 1;
		} else if (strcmp(line, "drop") == 0 && url != NULL) {
			wsc_close(conns[cur], 0);
			conns[cur] = NULL;
		} else if (line[0] != '#' && line[0] != '\0')
			send_line(line);
	}
	while (pump((int)quiet))
		;
	if (url == NULL)
		rc = finish(timeout);
	for (c = 1; c <= nconns; c++)
		wsc_close(conns[c], 0);
	free(line);
	free(hist);
	free(part);
	return rc;
}
