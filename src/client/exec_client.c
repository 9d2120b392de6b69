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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/jw.h"
#include "client/exec_client_fs.h"
#include "client/wsc.h"
#include "client/xc.h"

#define MAX_WRITES	4		/* process/write requests in flight */

extern char	**environ;

static struct termios	 saved_tio;
static int		 tio_saved;
static volatile sig_atomic_t got_sig;

static void
usage(int code)
{
	fprintf(code ? stderr : stdout,
	    "usage: exec-client [--url ws://IP:PORT | --stdio CMD] "
	    "[--token-file PATH]\n"
	    "                   [--tty] [-n] [--cwd DIR]\n"
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
	    "  --token-file PATH  the bearer token of a server with --ws-auth "
	    "(default:\n"
	    "                $EXEC_SERVER_TOKEN)\n"
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

static void
restore_tty(void)
{
	if (tio_saved)
		tcsetattr(0, TCSAFLUSH, &saved_tio);
	tio_saved = 0;
}

static void
on_signal(int sig)
{
	got_sig = sig;
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
	jw_quote(&b, c->pid, strlen(c->pid));
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
			xc_pump(c, 0);
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
			xc_pump(c, 0);
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
	const char	*token_file = NULL;
	struct buf	 hdr = { 0 };
	char		 err[512];
	int		 i, rc, dashdash = 0;

	memset(&c, 0, sizeof(c));
	memset(&o, 0, sizeof(o));
	c.next_id = 1;
	xc_atdie(restore_tty);
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
		else if (strcmp(a, "--token-file") == 0)
			token_file = argv[++i];
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
	else {
		if (wsc_token(token_file, &hdr, err, sizeof(err)) == -1)
			xc_die("%s", err);
		buf_addc(&hdr, '\0');
		c.w = wsc_connect(url, buf_data(&hdr), wsc_now() + 30000, NULL,
		    err, sizeof(err));
		buf_free(&hdr);
	}
	if (c.w == NULL)
		xc_die("%s: %s", cmd != NULL ? cmd : url, err);
	handshake(&c);
	/* After "--" every word is the command, even "ls". */
	if (!dashdash && strcmp(argv[i], "get") == 0 &&
	    (argc - i == 2 || argc - i == 3))
		rc = exec_client_fs_get(&c, argv[i + 1], argv[i + 2]);
	else if (!dashdash && strcmp(argv[i], "put") == 0 && argc - i == 3)
		rc = exec_client_fs_put(&c, argv[i + 1], argv[i + 2]);
	else if (!dashdash && strcmp(argv[i], "ls") == 0 && argc - i == 2)
		rc = exec_client_fs_ls(&c, argv[i + 1]);
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
