/*
 * landlock_test.c: rulesets from landlock_prepare(), enforced in a child
 * by landlock_apply(): what a rule grants works, anything else fails with
 * the exact errno.  Skips when this kernel has no Landlock.
 */
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <sys/un.h>

#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sandbox/landlock.h"
#include "tap.h"

static char	 dir[64], outside[64];

/* What a child tries after it is confined: 0 or an errno. */
enum try {
	T_WRITE_IN, T_WRITE_OUT, T_READ_OUT, T_MKDIR_IN, T_MKDIR_OUT,
	T_RENAME_OUT, T_LINK_OUT, T_DEVNULL, T_TCP_CONNECT, T_TCP_BIND,
	T_KILL_PARENT, T_ABSTRACT
};

static int
attempt(enum try t)
{
	struct sockaddr_in	 sin;
	struct sockaddr_un	 sun;
	char			 p[128], q[128];
	int			 fd, r;

	switch (t) {
	case T_WRITE_IN:
	case T_WRITE_OUT:
		snprintf(p, sizeof(p), "%s/f", t == T_WRITE_IN ? dir : outside);
		if ((fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1)
			return errno;
		r = write(fd, "x", 1) == 1 ? 0 : errno;
		close(fd);
		return r;
	case T_READ_OUT:
		snprintf(p, sizeof(p), "%s/secret", outside);
		if ((fd = open(p, O_RDONLY)) == -1)
			return errno;
		close(fd);
		return 0;
	case T_MKDIR_IN:
	case T_MKDIR_OUT:
		snprintf(p, sizeof(p), "%s/d", t == T_MKDIR_IN ? dir : outside);
		return mkdir(p, 0755) == -1 ? errno : 0;
	case T_RENAME_OUT:
	case T_LINK_OUT:
		snprintf(p, sizeof(p), "%s/mine", dir);
		snprintf(q, sizeof(q), "%s/moved", outside);
		if ((fd = open(p, O_WRONLY | O_CREAT, 0644)) == -1)
			return 1000 + errno;
		close(fd);
		if (t == T_RENAME_OUT)
			return rename(p, q) == -1 ? errno : 0;
		return link(p, q) == -1 ? errno : 0;
	case T_DEVNULL:
		if ((fd = open("/dev/null", O_WRONLY | O_TRUNC)) == -1)
			return errno;
		close(fd);
		return 0;
	case T_TCP_CONNECT:
	case T_TCP_BIND:
		if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
			return 1000 + errno;
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sin.sin_port = htons(t == T_TCP_BIND ? 0 : 9);
		r = (t == T_TCP_BIND ? bind(fd, (struct sockaddr *)&sin,
		    sizeof(sin)) : connect(fd, (struct sockaddr *)&sin,
		    sizeof(sin))) == -1 ? errno : 0;
		close(fd);
		return r;
	case T_KILL_PARENT:
		return kill(getppid(), 0) == -1 ? errno : 0;
	case T_ABSTRACT:
		if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
			return 1000 + errno;
		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		memcpy(sun.sun_path, "\0landlock-test", 14);
		r = connect(fd, (struct sockaddr *)&sun,
		    sizeof(sun.sun_family) + 14) == -1 ? errno : 0;
		close(fd);
		return r;
	}
	return -1;
}

/* Run t in a child confined by rules; its result (0 or an errno). */
static int
confined(const struct landlock_rule *rules, size_t n, int net, enum try t)
{
	struct buf	 why = { 0 };
	pid_t		 pid;
	int		 fd, st, e;

	if ((fd = landlock_prepare(rules, n, net, &why)) == -1) {
		diag("prepare: %.*s", (int)buf_used(&why), buf_data(&why));
		buf_free(&why);
		return -2;
	}
	if ((pid = fork()) == 0) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
			_exit(250);
		if ((e = landlock_apply(fd)) != 0)
			_exit(251);
		_exit(attempt(t) & 0xff);
	}
	close(fd);
	if (pid == -1 || waitpid(pid, &st, 0) == -1 || !WIFEXITED(st))
		return -3;
	return WEXITSTATUS(st);
}

int
main(void)
{
	struct landlock_rule	 rules[3];
	struct buf		 why = { 0 };
	char			 p[256];
	int			 abi, fd, lfd, e;

	if ((abi = landlock_abi()) < 1) {
		printf("1..0 # SKIP Landlock is not available on this kernel\n");
		return 0;
	}
	diag("Landlock ABI %d", abi);
	snprintf(dir, sizeof(dir), "/tmp/landlock_test.in.XXXXXX");
	snprintf(outside, sizeof(outside), "/tmp/landlock_test.out.XXXXXX");
	if (mkdtemp(dir) == NULL || mkdtemp(outside) == NULL)
		return 1;
	snprintf(p, sizeof(p), "%s/secret", outside);
	if ((fd = open(p, O_WRONLY | O_CREAT, 0644)) == -1)
		return 1;
	close(fd);

	rules[0].path = "/";
	rules[0].grant = LANDLOCK_GRANT_READ;
	rules[1].path = dir;
	rules[1].grant = LANDLOCK_GRANT_WRITE;
	rules[2].path = "/dev/null";
	rules[2].grant = LANDLOCK_GRANT_DEV;

	ok(confined(rules, 3, 0, T_WRITE_IN) == 0, "write inside the root");
	ok(confined(rules, 3, 0, T_MKDIR_IN) == 0, "mkdir inside the root");
	ok(confined(rules, 3, 0, T_DEVNULL) == 0, "> /dev/null (O_TRUNC)");
	ok(confined(rules, 3, 0, T_READ_OUT) == 0, "read outside (read rule)");
	ok(confined(rules, 3, 0, T_WRITE_OUT) == EACCES,
	    "write outside: EACCES");
	ok(confined(rules, 3, 0, T_MKDIR_OUT) == EACCES,
	    "mkdir outside: EACCES");
	e = confined(rules, 3, 0, T_RENAME_OUT);
	ok(e == EACCES, "rename out of the root: EACCES (got %d)", e);
	e = confined(rules, 3, 0, T_LINK_OUT);
	ok(e == EACCES, "hard link out of the root: EACCES (got %d)", e);
	ok(confined(rules, 1, 0, T_DEVNULL) == EACCES,
	    "/dev/null without its rule: EACCES");
	ok(confined(rules, 3, 0, T_TCP_BIND) == 0,
	    "TCP bind with the network enabled");
	if (abi >= 4) {
		ok(confined(rules, 3, 1, T_TCP_CONNECT) == EACCES,
		    "TCP connect, network restricted: EACCES");
		ok(confined(rules, 3, 1, T_TCP_BIND) == EACCES,
		    "TCP bind, network restricted: EACCES");
	}
	if (abi >= 6) {
		ok(confined(rules, 3, 0, T_KILL_PARENT) == EPERM,
		    "kill() of a process outside the domain: EPERM");
		lfd = socket(AF_UNIX, SOCK_STREAM, 0);
		{
			struct sockaddr_un	 sun;

			memset(&sun, 0, sizeof(sun));
			sun.sun_family = AF_UNIX;
			memcpy(sun.sun_path, "\0landlock-test", 14);
			if (bind(lfd, (struct sockaddr *)&sun,
			    sizeof(sun.sun_family) + 14) == -1 ||
			    listen(lfd, 1) == -1)
				diag("abstract listener: %s", strerror(errno));
		}
		ok(confined(rules, 3, 0, T_ABSTRACT) == EPERM,
		    "connect to an abstract socket outside: EPERM");
		close(lfd);
	}

	rules[0].path = "/nonexistent/landlock_test";
	fd = landlock_prepare(rules, 1, 0, &why);
	ok(fd >= 0, "a rule for a missing path is skipped");
	if (fd >= 0)
		close(fd);
	buf_free(&why);

	snprintf(p, sizeof(p), "rm -rf %s %s", dir, outside);
	if (system(p) != 0)
		diag("cleanup failed");
	return done_testing();
}
