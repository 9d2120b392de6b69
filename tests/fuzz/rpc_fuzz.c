/*
 * rpc_fuzz.c: the JSON-RPC dispatcher (rpc/rpc.c) and every method
 * module behind it, driven through a fake connection: this file stands
 * in for net/conn.c.  An input is messages, one per line; each goes to
 * rpc_conn_ops.message and the loop turns once.  Invariants: what the
 * server sends is one JSON object, a response (an id and a result, or an
 * error with an integer code and a string message) or a notification (a
 * method); nothing follows a close; once the connection and its sessions
 * are gone, the descriptors open are those open before.
 *
 * Fuzzed params reach fs/writeFile and process/start, so the harness
 * first confines itself: as root it becomes nobody, and Landlock allows
 * writes only beneath a scratch directory (and $RPC_FUZZ_OUT, where
 * libFuzzer keeps its corpus: tests/fuzz/budget.sh sets it), no TCP, and
 * signals only within its own domain.  Run it with -print_funcs=0: else
 * libFuzzer starts llvm-symbolizer, whose pipes look like a leak.
 */
#include <sys/prctl.h>
#include <sys/stat.h>

#include <dirent.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/loop.h"
#include "fs/envcfg.h"
#include "fs/fsbox.h"
#include "fs/fsdir.h"
#include "fs/fsfile.h"
#include "fs/fshandle.h"
#include "fs/fsjob.h"
#include "fs/fswalk.h"
#include "fs/watch.h"
#include "fuzz.h"
#include "httpc/httpc.h"
#include "net/conn.h"
#include "proc/proc.h"
#include "rpc/envinfo.h"
#include "rpc/rpc.h"
#include "rpc/sess.h"
#include "sandbox/landlock.h"

#define SCRATCH	"/tmp/rpc_fuzz"

static const struct rpc_module *const modules[] = {
	&sess_module, &envinfo_module, &proc_module, &envcfg_module,
	&watch_module, &fshandle_module, &fsjob_module, &fsbox_module,
	&fsfile_module, &fsdir_module, &fswalk_module, &httpc_module, NULL
};

/* The fake connection: checks what is sent and forgets it. */
struct conn {
	int	 closed;
	int	 sent_after_close;
};

static int	 nfds_start;

int
conn_kind(const struct conn *c)
{
	(void)c;
	return CONN_WS;
}

const char *
conn_peer(const struct conn *c)
{
	(void)c;
	return "fuzz";
}

size_t
conn_pending(const struct conn *c)
{
	(void)c;
	return 0;
}

void
conn_close(struct conn *c, uint16_t code, const char *reason)
{
	(void)code;
	(void)reason;
	c->closed = 1;
}

void
conn_send(struct conn *c, struct buf *msg)
{
	struct json_doc	 d;
	int		 e, k;

	if (c->closed) {
		buf_free(msg);
		return;
	}
	FUZZ_ASSERT(json_parse(&d, buf_data(msg), buf_used(msg)) == 0);
	FUZZ_ASSERT(d.tok[0].type == JSON_OBJECT);
	if (json_get(&d, 0, "method") >= 0)
		FUZZ_ASSERT(d.tok[json_get(&d, 0, "method")].type ==
		    JSON_STRING);
	else {
		FUZZ_ASSERT(json_get(&d, 0, "id") >= 0);
		e = json_get(&d, 0, "error");
		FUZZ_ASSERT((e >= 0) != (json_get(&d, 0, "result") >= 0));
		if (e >= 0) {
			k = json_get(&d, e, "code");
			FUZZ_ASSERT(k >= 0 && d.tok[k].type == JSON_NUMBER);
			k = json_get(&d, e, "message");
			FUZZ_ASSERT(k >= 0 && d.tok[k].type == JSON_STRING);
		}
	}
	json_doc_free(&d);
	buf_free(msg);
}

/*
 * The fds open now, but for this listing's own and fs/watch.c's inotify
 * instance, which is made on first use and kept for the process (there
 * is at most one).
 */
static int
count_fds(void)
{
	DIR		*dir;
	struct dirent	*de;
	char		 path[300], to[64];
	ssize_t		 k;
	int		 n = 0, inotify = 0;

	if ((dir = opendir("/proc/self/fd")) == NULL)
		abort();
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%s", de->d_name);
		if ((k = readlink(path, to, sizeof(to) - 1)) > 0) {
			to[k] = '\0';
			if (strcmp(to, "anon_inode:inotify") == 0) {
				FUZZ_ASSERT(inotify++ == 0);
				continue;
			}
		}
		n++;
	}
	closedir(dir);
	return n - 1;
}

/* The children still there, on stderr. */
static void
show_children(void)
{
	DIR		*dir;
	struct dirent	*de;
	FILE		*f;
	char		 path[300], line[512], *rp;
	int		 ppid;

	if ((dir = opendir("/proc")) == NULL)
		return;
	while ((de = readdir(dir)) != NULL) {
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		if (fgets(line, sizeof(line), f) != NULL &&
		    (rp = strrchr(line, ')')) != NULL &&
		    sscanf(rp + 2, "%*c %d", &ppid) == 1 && ppid == getpid())
			fprintf(stderr, "rpc_fuzz: child %s", line);
		fclose(f);
	}
	closedir(dir);
}

/* What is open, on stderr: the evidence of a leak. */
static void
show_fds(void)
{
	DIR		*dir;
	struct dirent	*de;
	char		 path[300], to[256];
	ssize_t		 n;

	if ((dir = opendir("/proc/self/fd")) == NULL)
		return;
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%s", de->d_name);
		if ((n = readlink(path, to, sizeof(to) - 1)) < 0)
			n = 0;
		to[n] = '\0';
		fprintf(stderr, "rpc_fuzz: fd %s -> %s\n", de->d_name, to);
	}
	closedir(dir);
	show_children();
}

static void
stop(void *arg)
{
	(void)arg;
	loop_stop();
}

/* Run the loop for ms milliseconds (0: one turn). */
static void
turn(uint64_t ms)
{
	if (loop_timer_add(ms, stop, NULL) == 0)
		abort();
	loop_run();
}

static void
confine(void)
{
	struct landlock_rule rules[] = {
		{ "/", LANDLOCK_GRANT_READ },
		{ SCRATCH, LANDLOCK_GRANT_WRITE },
		{ "/dev/null", LANDLOCK_GRANT_DEV },
		{ "/dev/ptmx", LANDLOCK_GRANT_DEV },
		{ "/dev/pts", LANDLOCK_GRANT_DEV },
		{ "/dev/tty", LANDLOCK_GRANT_DEV },
		{ NULL, LANDLOCK_GRANT_WRITE },
	};
	struct buf	 why = { 0 };
	size_t		 n = sizeof(rules) / sizeof(rules[0]) - 1;
	int		 fd;

	if ((rules[n].path = getenv("RPC_FUZZ_OUT")) != NULL)
		n++;
	mkdir(SCRATCH, 0755);
	if (getuid() == 0 && (chown(SCRATCH, 65534, 65534) == -1 ||
	    setgroups(0, NULL) == -1 || setgid(65534) == -1 ||
	    setuid(65534) == -1))
		abort();
	if (setenv("TMPDIR", SCRATCH, 1) == -1 ||
	    setenv("HOME", SCRATCH, 1) == -1)
		abort();
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		abort();
	if ((fd = landlock_prepare(rules, n, 1, &why)) == -1 ||
	    landlock_apply(fd) == -1) {
		fprintf(stderr, "rpc_fuzz: cannot confine myself: %.*s\n",
		    (int)buf_used(&why), buf_data(&why));
		abort();
	}
	close(fd);
	buf_free(&why);
}

static void
setup(void)
{
	signal(SIGPIPE, SIG_IGN);	/* as main.c: EPIPE, not death */
	confine();
	if (loop_init() == -1 || rpc_init(modules) == -1)
		abort();
	sess_set_hooks(&proc_sess_hooks);
	nfds_start = count_fds();
}

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t n)
{
	static int	 ready;
	struct conn	 c = { 0, 0 };
	const char	*s = (const char *)p, *end = s + n, *nl;
	void		*st;
	int		 i;

	if (!ready) {
		setup();
		ready = 1;
	}
	if ((st = rpc_conn_ops.open(&c)) == NULL)
		abort();
	for (; s < end && !c.closed; s = nl + 1) {
		if ((nl = memchr(s, '\n', (size_t)(end - s))) == NULL)
			nl = end;
		rpc_conn_ops.message(st, s, (size_t)(nl - s));
		turn(0);
	}
	turn(1);
	rpc_conn_ops.close(st);
	sess_shutdown();
	/* Children killed by the shutdown are reaped by the loop. */
	for (i = 0; i < 200 && count_fds() != nfds_start; i++)
		turn(5);
	if (count_fds() != nfds_start)
		show_fds();
	FUZZ_ASSERT(count_fds() == nfds_start);
	return 0;
}
