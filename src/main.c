/*
 * main.c: command line, startup and shutdown.  Glue only: the one file
 * that knows every layer, and wires them (docs/architecture.md): the
 * transport reaches rpc.c through rpc_conn_ops, rpc.c the method modules
 * through the list below, sessions the processes through
 * proc_sess_hooks.
 */
#include <errno.h>
#include <getopt.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/lim.h"
#include "base/loop.h"
#include "base/version.h"
#include "fs/envcfg.h"
#include "fs/fsbox.h"
#include "fs/fs.h"
#include "fs/fsdir.h"
#include "fs/fsfile.h"
#include "fs/fshandle.h"
#include "fs/fsjob.h"
#include "fs/fswalk.h"
#include "fs/watch.h"
#include "httpc/httpc.h"
#include "net/auth.h"
#include "net/conn.h"
#include "net/net.h"
#include "proc/guard.h"
#include "proc/proc.h"
#include "rpc/envinfo.h"
#include "rpc/rpc.h"
#include "rpc/sess.h"
#include "sandbox/sandbox.h"

/*
 * The method modules, in the order rpc.c calls their eof and drained
 * hooks (gone: the reverse, so the fs/ state goes before the session).
 */
static const struct rpc_module *const modules[] = {
	&sess_module,
	&envinfo_module,
	&proc_module,
	&envcfg_module,
	&watch_module,
	&fshandle_module,
	&fsjob_module,
	&fsbox_module,
	&fsfile_module,
	&fsdir_module,
	&fswalk_module,
	&httpc_module,
	NULL
};

/* Long options without a short letter. */
#define OPT_AUTH	1000
#define OPT_TOKEN_FILE	1001
#define OPT_TOKEN_SHA	1002
#define OPT_SECRET_FILE	1003
#define OPT_ISSUER	1004
#define OPT_AUDIENCE	1005
#define OPT_SKEW	1006
#define OPT_UNAUTH	1007

static const char usage[] =
"usage: exec-server [--listen URL] [--session-ttl SECONDS]\n"
"                   [--concurrent-requests N] [--no-local-fs]\n"
"                   [--sandbox-mode namespaces|landlock] [--verbose]\n"
"                   [--ws-auth capability-token|signed-bearer-token]\n"
"                   [--ws-token-file PATH | --ws-token-sha256 HEX]\n"
"                   [--ws-shared-secret-file PATH] [--ws-issuer ISS]\n"
"                   [--ws-audience AUD] [--ws-max-clock-skew-seconds N]\n"
"                   [--allow-unauthenticated] [--help] [--version]\n"
"\n"
"  --listen URL            ws://IP:PORT (default ws://127.0.0.1:0), or stdio\n"
"  --session-ttl SECONDS   keep a detached session this long (default 80)\n"
"  --concurrent-requests N accepted and ignored: requests never wait\n"
"  --no-local-fs           refuse every fs/ method (-32600)\n"
"  --sandbox-mode MODE     namespaces (default): mount and PID namespaces\n"
"                          (a user namespace when not root); landlock:\n"
"                          Landlock and seccomp only, weaker (the .git,\n"
"                          .agents, .codex of writable roots stay writable)\n"
"  --ws-auth MODE          who may open a WebSocket: capability-token (a\n"
"                          bearer token whose SHA-256 is known) or\n"
"                          signed-bearer-token (an HS256 JWT)\n"
"  --ws-token-file PATH    the token (trimmed); or --ws-token-sha256 HEX\n"
"  --ws-shared-secret-file PATH  the JWT secret (trimmed, >= 32 bytes);\n"
"                          --ws-issuer, --ws-audience check iss and aud,\n"
"                          --ws-max-clock-skew-seconds (default 30)\n"
"  --allow-unauthenticated listen beyond loopback without --ws-auth\n"
"  --verbose, -v           log each request to stderr\n"
"  --help                  print this help\n"
"  --version               print the version\n";

#ifdef __GLIBC__
/* The loop is idle: give the free memory back (lim.h, LIM_MALLOC_*). */
static void
idle_trim(void)
{
	malloc_trim(0);
}
#endif

/* Startup errors read like the reference's: "Error: <message>". */
__attribute__((format(printf, 1, 2), noreturn))
static void
die(const char *fmt, ...)
{
	va_list	 ap;

	fprintf(stderr, "Error: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

static int
parse_uint(const char *s, unsigned long long max, unsigned long long *v)
{
	char	*end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || *v > max)
		return -1;
	return 0;
}

static void
on_term(int signo)
{
	(void)signo;
	loop_stop();
}

int
main(int argc, char **argv)
{
	static const struct option	 opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "no-local-fs", no_argument, NULL, 'F' },
		{ "session-ttl", required_argument, NULL, 't' },
		{ "sandbox-mode", required_argument, NULL, 's' },
		{ "ws-auth", required_argument, NULL, OPT_AUTH },
		{ "ws-token-file", required_argument, NULL, OPT_TOKEN_FILE },
		{ "ws-token-sha256", required_argument, NULL, OPT_TOKEN_SHA },
		{ "ws-shared-secret-file", required_argument, NULL,
		    OPT_SECRET_FILE },
		{ "ws-issuer", required_argument, NULL, OPT_ISSUER },
		{ "ws-audience", required_argument, NULL, OPT_AUDIENCE },
		{ "ws-max-clock-skew-seconds", required_argument, NULL,
		    OPT_SKEW },
		{ "allow-unauthenticated", no_argument, NULL, OPT_UNAUTH },
		{ "concurrent-requests", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct auth_opts	 ao;
	struct buf		 err = { 0 };
	struct sockaddr_storage	 ss;
	socklen_t		 sslen = 0;
	const char		*listen_url = "ws://127.0.0.1:0";
	unsigned long long	 v;
	char			 addr[80];
	int			 ch, lfd, stdio_mode = 0, unauth = 0;

	memset(&ao, 0, sizeof(ao));

	while ((ch = getopt_long(argc, argv, "hvV", opts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			listen_url = optarg;
			break;
		case 't':
			if (parse_uint(optarg, 86400 * 365, &v) == -1)
				die("invalid --session-ttl `%s`; expected "
				    "whole seconds", optarg);
			sess_set_ttl(v * 1000);
			proc_set_retention(v * 1000);
			break;
		case 'F':
			fs_set_disabled(1);
			envinfo_set_local_fs(0);
			break;
		case 's':
			if (sandbox_set_mode(optarg) == -1)
				die("invalid --sandbox-mode `%s`; expected "
				    "`namespaces` or `landlock`", optarg);
			if (strcmp(optarg, "landlock") == 0)
				fprintf(stderr, "exec-server: sandboxes without "
				    "namespaces: Landlock and seccomp only; the "
				    ".git, .agents, .codex and .aws of writable "
				    "roots are not protected\n");
			break;
		case OPT_AUTH:
			ao.mode = optarg;
			break;
		case OPT_TOKEN_FILE:
			ao.token_file = optarg;
			break;
		case OPT_TOKEN_SHA:
			ao.token_sha256 = optarg;
			break;
		case OPT_SECRET_FILE:
			ao.secret_file = optarg;
			break;
		case OPT_ISSUER:
			ao.issuer = optarg;
			break;
		case OPT_AUDIENCE:
			ao.audience = optarg;
			break;
		case OPT_SKEW:
			ao.skew = optarg;
			break;
		case OPT_UNAUTH:
			unauth = 1;
			break;
		case 'v':
			rpc_set_verbose(1);
			break;
		case 'c':
			if (parse_uint(optarg, 1 << 20, &v) == -1 || v == 0)
				die("invalid --concurrent-requests `%s`",
				    optarg);
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		case 'V':
			printf("exec-server %s (protocol of codex %s)\n",
			    VERSION, PROTOCOL_VERSION);
			return 0;
		default:
			fputs(usage, stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "exec-server: unexpected argument `%s`\n",
		    argv[optind]);
		fputs(usage, stderr);
		return 2;
	}

	if (strcmp(listen_url, "stdio") == 0 ||
	    strcmp(listen_url, "stdio://") == 0)
		stdio_mode = 1;
	else if (strncmp(listen_url, "ws://", 5) != 0)
		die("unsupported --listen URL `%s`; expected `ws://IP:PORT` "
		    "or `stdio`", listen_url);
	else if (net_parse_ws(listen_url, &ss, &sslen) == -1)
		die("invalid websocket --listen URL `%s`; expected "
		    "`ws://IP:PORT`", listen_url);
	ao.stdio = stdio_mode;
	if ((ch = auth_setup(&ao, &err)) == -2) {
		fprintf(stderr, "exec-server: %.*s\n", (int)buf_used(&err),
		    buf_data(&err));
		fputs(usage, stderr);
		buf_free(&err);
		return 2;
	} else if (ch == -1)
		die("%.*s", (int)buf_used(&err), buf_data(&err));
	/* Who can reach a port beyond loopback could run commands here. */
	if (!stdio_mode && !auth_enabled() && !net_loopback(&ss) && !unauth)
		die("refusing to listen on `%s` without --ws-auth: anyone who "
		    "can reach it could run commands as this account; use "
		    "--ws-auth, or --allow-unauthenticated to accept that",
		    listen_url);

	if (rpc_init(modules) == -1)
		die("too many modules for RPC_MODULES_MAX");
	sess_set_hooks(&proc_sess_hooks);

	signal(SIGPIPE, SIG_IGN);
	if (guard_start() == -1)
		die("cannot start the process guard: %s", strerror(errno));
	if (loop_init() == -1 || loop_signal(SIGTERM, on_term) == -1 ||
	    loop_signal(SIGINT, on_term) == -1)
		die("cannot set up the event loop: %s", strerror(errno));
#ifdef __GLIBC__
	/* A tuning only: a replaced allocator (ASan's) refuses it. */
	(void)mallopt(M_MMAP_THRESHOLD, LIM_MALLOC_MMAP);
	(void)mallopt(M_TRIM_THRESHOLD, LIM_MALLOC_TRIM);
	loop_idle(LIM_IDLE_TRIM_MS, idle_trim);
#endif

	if (stdio_mode) {
		if (conn_stdio(STDIN_FILENO, STDOUT_FILENO, &rpc_conn_ops) == -1)
			die("cannot serve stdio: %s", strerror(errno));
	} else {
		if ((lfd = net_listen(&ss, sslen)) == -1)
			die("cannot listen on %s: %s", listen_url,
			    strerror(errno));
		if (conn_listen(lfd, &rpc_conn_ops) == -1)
			die("cannot serve %s", listen_url);
		net_addr(lfd, 1, addr, sizeof(addr));
		printf("ws://%s\n", addr);
		fflush(stdout);
	}

	loop_run();

	conn_shutdown();
	sess_shutdown();
	return 0;
}
