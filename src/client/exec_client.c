/*
 * exec_client.c: exec-client, run a command or move a file through an
 * exec-server.
 *
 *	exec-client [--url URL | --stdio CMD] [--tty] [-n] [--cwd DIR]
 *	    [--clean-env] [-e NAME=VALUE]... [--] PROGRAM [ARG...]
 *	exec-client [--url URL | --stdio CMD] get REMOTE [LOCAL]
 *	exec-client [--url URL | --stdio CMD] put LOCAL REMOTE
 *	exec-client [--url URL | --stdio CMD] ls REMOTE_DIR
 *
 * A command's output is copied to our stdout and stderr as it comes, our
 * stdin is forwarded with process/write, and we exit with the command's
 * exit code once the server says process/closed.  The protocol cannot
 * close a remote pipe, so in pipe mode the command never sees the end of
 * our stdin (use -n for commands that read it to the end); in tty mode
 * the end of our stdin is sent as ^D.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "base/b64.h"
#include "base/buf.h"
#include "base/json.h"
#include "client/exec_client.h"
#include "client/wsclient.h"
#include "compat/uri.h"

#define MAX_WRITES	4		/* process/write requests in flight */

extern char	**environ;

static struct termios	 saved_tio;
static int		 tio_saved;
static volatile sig_atomic_t got_sig;

static void
usage(int code)
{
	fprintf(code ? stderr : stdout,
	    "usage: exec-client [--url ws://IP:PORT | --stdio CMD] [--tty] "
	    "[-n] [--cwd DIR]\n"
	    "                   [--clean-env] [-e NAME=VALUE]... [--] "
	    "PROGRAM [ARG...]\n"
	    "       exec-client [--url URL | --stdio CMD] get REMOTE_PATH "
	    "[LOCAL_PATH]\n"
	    "       exec-client [--url URL | --stdio CMD] put LOCAL_PATH "
	    "REMOTE_PATH\n"
	    "       exec-client [--url URL | --stdio CMD] ls REMOTE_DIR\n"
	    "\n"
	    "  (after --, get, put and ls are program names)\n"
	    "\n"
	    "  --url URL     the server's WebSocket URL (default: "
	    "$EXEC_SERVER_URL)\n"
	    "  --stdio CMD   start CMD with /bin/sh and speak JSON lines on "
	    "its stdin\n"
	    "                and stdout, e.g. 'ssh host exec-server --listen "
	    "stdio'\n"
	    "  --tty         run PROGRAM on a pseudo-terminal (24x80)\n"
	    "  -n            do not forward stdin (the command's stdin is "
	    "empty)\n"
	    "  --cwd DIR     working directory on the server (default: ours)\n"
	    "  --clean-env   pass only the -e variables, not our "
	    "environment\n"
	    "  -e NAME=VALUE set a variable for PROGRAM\n"
	    "\n"
	    "Exit status: PROGRAM's exit code, or %d when exec-client "
	    "itself fails.\n", EXIT_TOOL);
	exit(code);
}

void
xc_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void
restore_tty(void)
{
	if (tio_saved)
		tcsetattr(0, TCSAFLUSH, &saved_tio);
	tio_saved = 0;
}

void
xc_die(const char *fmt, ...)
{
	va_list	 ap;

	restore_tty();
	fputs("exec-client: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_TOOL);
}

static void
on_signal(int sig)
{
	got_sig = sig;
}

/* ----------------------------------------------------------- messages */

void
xc_send(struct client *c, struct buf *b)
{
	if (b->oom)
		xc_die("out of memory");
	if (wsc_send(c->w, buf_data(b), buf_used(b), 0, wsc_now() + CALL_MS)
	    == -1)
		xc_die("send: %s", wsc_error(c->w));
}

/* Start a request: {"id":N,"method":M,"params":...}.  Returns N. */
int64_t
xc_begin(struct client *c, struct jw *j, struct buf *b, const char *method,
    int64_t id)
{
	buf_reset(b);
	jw_init(j, b);
	jw_obj(j);
	jw_key(j, "id");
	jw_i64(j, id);
	jw_key(j, "method");
	jw_cstr(j, method);
	jw_key(j, "params");
	(void)c;
	return id;
}

void
xc_write_out(struct client *c, int fd, const char *p, size_t n)
{
	ssize_t	 w;

	while (n > 0 && !c->sigpipe) {
		w = write(fd, p, n);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
		} else if (w == -1 && errno == EPIPE)
			c->sigpipe = 1;
		else if (w == -1 && errno != EINTR && errno != EAGAIN)
			xc_die("write: %s", strerror(errno));
	}
}

static void
on_output(struct client *c, const struct json_doc *d, int params)
{
	int		 t = json_get(d, params, "chunk");
	char		*s, *dec;
	size_t		 n;
	long long	 dn;
	struct b64_err	 be;

	if ((s = json_str_dup(d, t, &n)) == NULL)
		return;
	dec = malloc(b64_dec_max(n) + 1);
	dn = dec != NULL ? b64_decode(dec, s, n, &be) : -1;
	if (dn > 0)
		xc_write_out(c, json_str_eq(d, json_get(d, params, "stream"),
		    "stderr") ? 2 : 1, dec, (size_t)dn);
	free(dec);
	free(s);
}

/* One message from the server. */
static void
dispatch(struct client *c, const char *text, size_t len)
{
	struct json_doc	 d;
	struct reply	*r;
	int		 id, m, params, st;
	int64_t		 v;

	memset(&d, 0, sizeof(d));
	if (json_parse(&d, text, len) == -1 || d.tok[0].type != JSON_OBJECT)
		goto out;
	id = json_get(&d, 0, "id");
	m = json_get(&d, 0, "method");
	params = json_get(&d, 0, "params");
	if (id < 0 && m >= 0) {
		if (!json_str_eq(&d, json_get(&d, params, "processId"), c->pid))
			goto out;
		if (json_str_eq(&d, m, "process/output"))
			on_output(c, &d, params);
		else if (json_str_eq(&d, m, "process/exited")) {
			c->exited = 1;
			if (json_i64(&d, json_get(&d, params, "exitCode"),
			    &c->exit_code) == -1)
				c->exit_code = 1;
		} else if (json_str_eq(&d, m, "process/closed"))
			c->closed = 1;
		goto out;
	}
	if (id < 0 || json_i64(&d, id, &v) == -1)
		goto out;
	if (v == WRITE_BASE - 1)	/* process/signal, process/terminate */
		goto out;
	if (v >= WRITE_BASE) {
		c->writes--;
		st = json_get(&d, json_get(&d, 0, "result"), "status");
		if (st < 0 || !json_str_eq(&d, st, "accepted"))
			/* stdinClosed, unknownProcess: stop sending. */
			c->stdin_open = 0;
		goto out;
	}
	r = reallocarray(c->replies, c->nreplies + 1, sizeof(*r));
	if (r == NULL)
		xc_die("out of memory");
	c->replies = r;
	r = &c->replies[c->nreplies++];
	r->id = v;
	r->len = len;
	if ((r->text = malloc(len + 1)) == NULL)
		xc_die("out of memory");
	memcpy(r->text, text, len);
	r->text[len] = '\0';
out:
	json_doc_free(&d);
}

/* Take whatever is ready (deadline 0) or wait until the deadline. */
static void
pump(struct client *c, int64_t deadline)
{
	struct wsc_event	 ev;

	for (;;) {
		switch (wsc_recv(c->w, &ev, deadline)) {
		case WSC_EV_MESSAGE:
			dispatch(c, ev.data, ev.len);
			deadline = 0;
			break;
		case WSC_EV_PING:
		case WSC_EV_PONG:
			break;
		case WSC_EV_TIMEOUT:
			return;
		case WSC_EV_CLOSE:
			xc_die("the server closed the connection (code %d%s%s)",
			    ev.code, ev.reason[0] ? ": " : "", ev.reason);
		case WSC_EV_EOF:
			xc_die("the server closed the connection");
		default:
			xc_die("connection: %s", wsc_error(c->w));
		}
	}
}

/*
 * Wait for the answer to request id: returns its text (the caller frees
 * it) with *doc parsed and *res the "result" token; an error answer
 * ends the program with its message.
 */
char *
xc_await(struct client *c, int64_t id, const char *what, struct json_doc *doc,
    int *res)
{
	int64_t		 deadline = wsc_now() + CALL_MS, code = 0;
	size_t		 i;
	char		*text, *msg;
	int		 e;

	for (;;) {
		for (i = 0; i < c->nreplies; i++)
			if (c->replies[i].id == id)
				break;
		if (i < c->nreplies)
			break;
		if (wsc_now() >= deadline)
			xc_die("%s: no answer from the server", what);
		pump(c, deadline);
	}
	text = c->replies[i].text;
	c->replies[i] = c->replies[--c->nreplies];
	memset(doc, 0, sizeof(*doc));
	if (json_parse(doc, text, strlen(text)) == -1)
		xc_die("%s: bad answer", what);
	if ((e = json_get(doc, 0, "error")) >= 0) {
		json_i64(doc, json_get(doc, e, "code"), &code);
		msg = json_str_dup(doc, json_get(doc, e, "message"), NULL);
		xc_die("%s: %s (error %lld)", what, msg != NULL ? msg : "?",
		    (long long)code);
	}
	*res = json_get(doc, 0, "result");
	return text;
}

static void
handshake(struct client *c)
{
	struct buf	 b = { 0 };
	struct jw	 j;
	struct json_doc	 d;
	char		*t;
	int		 res;
	int64_t		 id;

	id = xc_begin(c, &j, &b, "initialize", c->next_id++);
	jw_obj(&j);
	jw_key(&j, "clientName");
	jw_cstr(&j, "exec-client");
	jw_obj_end(&j);
	jw_obj_end(&j);
	xc_send(c, &b);
	t = xc_await(c, id, "initialize", &d, &res);
	json_doc_free(&d);
	free(t);
	buf_reset(&b);
	buf_adds(&b, "{\"method\":\"initialized\",\"params\":{}}");
	xc_send(c, &b);
	buf_free(&b);
}

/* An absolute remote path as a file:// URI. */
void
xc_remote_uri(struct jw *j, const char *path)
{
	struct buf	 u = { 0 };

	if (path[0] != '/')
		xc_die("%s: remote paths must be absolute", path);
	uri_from_path(&u, path, strlen(path));
	jw_str(j, buf_data(&u), buf_used(&u));
	buf_free(&u);
}

/* ----------------------------------------------------------- commands */

struct runopts {
	int		 tty;
	int		 no_stdin;
	int		 clean_env;
	const char	*cwd;
	char		**setenv;
	size_t		 nsetenv;
	char		**argv;
};

/* Our environment plus -e, later entries replacing earlier ones. */
static void
write_env(struct jw *j, struct runopts *o)
{
	char		**all = NULL, **e;
	size_t		 n = 0, i, k, len;
	const char	*eq;
	char		*name;

	if (!o->clean_env)
		for (e = environ; *e != NULL; e++)
			n++;
	if ((all = calloc(n + o->nsetenv + 1, sizeof(*all))) == NULL)
		xc_die("out of memory");
	for (i = 0; i < n; i++)
		all[i] = environ[i];
	for (k = 0; k < o->nsetenv; k++) {
		len = strcspn(o->setenv[k], "=");
		for (i = 0; i < n; i++)
			if (strncmp(all[i], o->setenv[k], len) == 0 &&
			    all[i][len] == '=')
				break;
		all[i] = o->setenv[k];
		if (i == n)
			n++;
	}
	jw_obj(j);
	for (i = 0; i < n; i++) {
		if ((eq = strchr(all[i], '=')) == NULL ||
		    (name = strndup(all[i], (size_t)(eq - all[i]))) == NULL)
			continue;
		jw_key(j, name);
		jw_cstr(j, eq + 1);
		free(name);
	}
	jw_obj_end(j);
	free(all);
}

static int
stdin_is_null(void)
{
	struct stat	 a, b;

	return fstat(0, &a) == 0 && stat("/dev/null", &b) == 0 &&
	    S_ISCHR(a.st_mode) && a.st_rdev == b.st_rdev;
}

static void
forward_stdin(struct client *c)
{
	struct buf	 b = { 0 };
	struct jw	 j;
	char		 data[65536], w[32];
	ssize_t		 n;
	static int64_t	 wid;

	n = read(0, data, sizeof(data));
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		c->stdin_open = 0;
		if (!c->tty)
			return;
		data[0] = 0x04;		/* ^D: end of input on a terminal */
		n = 1;
	}
	snprintf(w, sizeof(w), "w%lld", (long long)wid);
	xc_begin(c, &j, &b, "process/write", WRITE_BASE + wid);
	jw_obj(&j);
	jw_key(&j, "processId");
	jw_cstr(&j, c->pid);
	jw_key(&j, "chunk");
	jw_b64(&j, data, (size_t)n);
	jw_key(&j, "writeId");
	jw_cstr(&j, w);
	jw_obj_end(&j);
	jw_obj_end(&j);
	wid++;
	xc_send(c, &b);
	c->writes++;
	buf_free(&b);
}

static void
simple_request(struct client *c, const char *method, const char *extra)
{
	struct buf	 b = { 0 };

	buf_addf(&b, "{\"id\":%lld,\"method\":\"%s\",\"params\":"
	    "{\"processId\":", (long long)(WRITE_BASE - 1), method);
	json_quote(&b, c->pid, strlen(c->pid));
	buf_addf(&b, "%s}}", extra);
	xc_send(c, &b);
	buf_free(&b);
}

static int
cmd_run(struct client *c, struct runopts *o)
{
	struct buf	 b = { 0 }, cwd = { 0 };
	struct jw	 j;
	struct json_doc	 d;
	struct pollfd	 pfd[2];
	struct termios	 raw;
	char		 here[PATH_MAX], *t;
	int64_t		 id;
	int		 res, i, n, pipe_stdin, interrupted = 0;
	nfds_t		 np;

	c->tty = o->tty;
	snprintf(c->pid, sizeof(c->pid), "exec-client-%ld", (long)getpid());
	if (getcwd(here, sizeof(here)) == NULL)
		xc_die("getcwd: %s", strerror(errno));
	if (o->cwd != NULL && o->cwd[0] == '/')
		buf_adds(&cwd, o->cwd);
	else if (o->cwd != NULL)
		buf_addf(&cwd, "%s/%s", here, o->cwd);
	else
		buf_adds(&cwd, here);
	buf_addc(&cwd, '\0');
	pipe_stdin = !o->tty && !o->no_stdin && !stdin_is_null();
	c->stdin_open = o->tty ? !o->no_stdin : pipe_stdin;

	id = xc_begin(c, &j, &b, "process/start", c->next_id++);
	jw_obj(&j);
	jw_key(&j, "processId");
	jw_cstr(&j, c->pid);
	jw_key(&j, "argv");
	jw_arr(&j);
	for (i = 0; o->argv[i] != NULL; i++)
		jw_cstr(&j, o->argv[i]);
	jw_arr_end(&j);
	jw_key(&j, "cwd");
	xc_remote_uri(&j, buf_data(&cwd));
	jw_key(&j, "env");
	write_env(&j, o);
	jw_key(&j, "tty");
	jw_bool(&j, o->tty);
	jw_key(&j, "pipeStdin");
	jw_bool(&j, pipe_stdin);
	jw_obj_end(&j);
	jw_obj_end(&j);
	xc_send(c, &b);
	t = xc_await(c, id, o->argv[0], &d, &res);
	json_doc_free(&d);
	free(t);
	buf_free(&b);
	buf_free(&cwd);

	if (o->tty && c->stdin_open && isatty(0) &&
	    tcgetattr(0, &saved_tio) == 0) {
		tio_saved = 1;
		atexit(restore_tty);
		raw = saved_tio;
		cfmakeraw(&raw);
		tcsetattr(0, TCSAFLUSH, &raw);
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	while (!c->closed) {
		if (got_sig != 0) {
			if (got_sig == SIGINT && !interrupted++)
				simple_request(c, "process/signal",
				    ",\"signal\":\"interrupt\"");
			else
				simple_request(c, "process/terminate", "");
			got_sig = 0;
		}
		if (c->sigpipe && c->stdin_open >= 0) {
			simple_request(c, "process/terminate", "");
			c->stdin_open = -1;
		}
		if (wsc_pending(c->w)) {
			pump(c, 0);
			continue;
		}
		np = 0;
		pfd[np].fd = wsc_fd(c->w);
		pfd[np++].events = POLLIN;
		if (c->stdin_open > 0 && c->writes < MAX_WRITES) {
			pfd[np].fd = 0;
			pfd[np++].events = POLLIN;
		}
		n = poll(pfd, np, 1000);
		if (n == -1 && errno != EINTR)
			xc_die("poll: %s", strerror(errno));
		if (n <= 0)
			continue;
		if (np == 2 && (pfd[1].revents & (POLLIN | POLLHUP | POLLERR)))
			forward_stdin(c);
		if (pfd[0].revents)
			pump(c, 0);
	}
	restore_tty();
	if (c->sigpipe)
		return 141;
	return c->exited ? (int)(c->exit_code & 0xff) : 1;
}

int
main(int argc, char *argv[])
{
	struct client	 c;
	struct runopts	 o;
	const char	*url = getenv("EXEC_SERVER_URL"), *cmd = NULL;
	char		 err[512];
	int		 i, rc, dashdash = 0;

	memset(&c, 0, sizeof(c));
	memset(&o, 0, sizeof(o));
	c.next_id = 1;
	signal(SIGPIPE, SIG_IGN);
	if ((o.setenv = calloc((size_t)argc + 1, sizeof(char *))) == NULL)
		xc_die("out of memory");
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char	*a = argv[i];

		if (strcmp(a, "--") == 0) {
			dashdash = 1;
			i++;
			break;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			usage(0);
		else if (strcmp(a, "--tty") == 0 || strcmp(a, "-t") == 0)
			o.tty = 1;
		else if (strcmp(a, "-n") == 0)
			o.no_stdin = 1;
		else if (strcmp(a, "--clean-env") == 0)
			o.clean_env = 1;
		else if (i + 1 >= argc)
			usage(2);
		else if (strcmp(a, "--url") == 0)
			url = argv[++i];
		else if (strcmp(a, "--stdio") == 0)
			cmd = argv[++i];
		else if (strcmp(a, "--cwd") == 0)
			o.cwd = argv[++i];
		else if (strcmp(a, "-e") == 0) {
			if (strchr(argv[i + 1], '=') == NULL)
				xc_die("-e %s: expected NAME=VALUE",
				    argv[i + 1]);
			o.setenv[o.nsetenv++] = argv[++i];
		} else
			usage(2);
	}
	if (i >= argc)
		usage(2);
	if (cmd == NULL && url == NULL)
		xc_die("no server: give --url ws://IP:PORT, --stdio CMD or set "
		    "EXEC_SERVER_URL");
	if (cmd != NULL)
		c.w = wsc_spawn(cmd, -1, err, sizeof(err));
	else
		c.w = wsc_connect(url, NULL, wsc_now() + 30000, NULL, err,
		    sizeof(err));
	if (c.w == NULL)
		xc_die("%s: %s", cmd != NULL ? cmd : url, err);
	handshake(&c);
	/* After "--" every word is the command, even "ls". */
	if (!dashdash && strcmp(argv[i], "get") == 0 &&
	    (argc - i == 2 || argc - i == 3))
		rc = cmd_get(&c, argv[i + 1], argv[i + 2]);
	else if (!dashdash && strcmp(argv[i], "put") == 0 && argc - i == 3)
		rc = cmd_put(&c, argv[i + 1], argv[i + 2]);
	else if (!dashdash && strcmp(argv[i], "ls") == 0 && argc - i == 2)
		rc = cmd_ls(&c, argv[i + 1]);
	else {
		o.argv = argv + i;
		rc = cmd_run(&c, &o);
	}
	wsc_close(c.w, 2000);
	while (c.nreplies > 0)
		free(c.replies[--c.nreplies].text);
	free(c.replies);
	free(o.setenv);
	return rc;
}
