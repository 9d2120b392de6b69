/*
 * guard.c: the process groups the server started die with it, even when
 * it is killed with SIGKILL and can clean up nothing.
 *
 * At startup the server forks a guard (twice, so that it is nobody's
 * child here: the server's children are the processes it runs).  The
 * guard holds the read end of a pipe; the server writes a record on it
 * each time a process group starts (+pgid) and ends (-pgid).  When the
 * pipe ends, the server is gone, however it went: the guard sends
 * SIGKILL to every group still on its list and exits.  A child's own
 * parent-death signal kills the child; the guard reaches the rest of its
 * group (a pipeline, `cmd &`).  What leaves its group (setsid) is out of
 * its reach, as it is of process/terminate; a sandboxed process runs in
 * a PID namespace, which the kernel empties when its first process dies.
 *
 * A group is taken off the list once its leader is reaped and its
 * output has ended (proc.c), before its number can be reused: a pgid is
 * not given to a new process while the group has a member.
 */
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc/guard.h"

static int	 guard_fd = -1;		/* the write end, in the server */

/* The guard: keep the list until the pipe ends, then kill what is on it. */
static void
guard_run(int fd)
{
	pid_t	*set = NULL, *nset;
	size_t	 n = 0, cap = 0, i;
	int32_t	 rec;
	ssize_t	 r;

	for (;;) {
		r = read(fd, &rec, sizeof(rec));
		if (r == -1 && errno == EINTR)
			continue;
		if (r != (ssize_t)sizeof(rec))
			break;		/* EOF: the server is gone */
		if (rec > 0) {
			if (n == cap) {
				cap = cap ? cap * 2 : 256;
				if ((nset = realloc(set, cap *
				    sizeof(*set))) == NULL)
					break;	/* kill what we know */
				set = nset;
			}
			set[n++] = rec;
		} else if (rec < 0) {
			for (i = 0; i < n; i++)
				if (set[i] == -rec) {
					set[i] = set[--n];
					break;
				}
		}
	}
	for (i = 0; i < n; i++)
		(void)kill(-set[i], SIGKILL);
	free(set);
	_exit(0);
}

int
guard_start(void)
{
	struct sigaction sa;
	pid_t		 pid;
	int		 p[2], st, fd;

	if (pipe2(p, O_CLOEXEC) == -1)
		return -1;
	if ((pid = fork()) == -1) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		/* The first child: fork the guard and go. */
		if (fork() != 0)
			_exit(0);
		close(p[1]);
		/*
		 * Hold nothing of the server's: a stdio client waits for EOF
		 * on its stdout.  stderr stays, for the kernel's messages.
		 */
		if ((fd = open("/dev/null", O_RDWR | O_CLOEXEC)) != -1) {
			(void)dup2(fd, 0);
			(void)dup2(fd, 1);
		}
		if (p[0] != 3 && (dup2(p[0], 3) == -1 || close(p[0]) == -1))
			_exit(1);
		(void)syscall(SYS_close_range, 4U, ~0U, 0);
		/* ^C in a terminal goes to the server, which cleans up. */
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = SIG_IGN;
		(void)sigaction(SIGINT, &sa, NULL);
		(void)sigaction(SIGTERM, &sa, NULL);
		(void)sigaction(SIGHUP, &sa, NULL);
		(void)sigaction(SIGQUIT, &sa, NULL);
		guard_run(3);
	}
	close(p[0]);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	guard_fd = p[1];
	return 0;
}

static void
record(int32_t rec)
{
	static int	 said;
	ssize_t		 r;

	if (guard_fd == -1)
		return;
	/* Four bytes to a pipe: atomic, and the guard only reads. */
	do
		r = write(guard_fd, &rec, sizeof(rec));
	while (r == -1 && errno == EINTR);
	if (r != (ssize_t)sizeof(rec) && !said) {
		said = 1;
		fprintf(stderr, "exec-server: the process guard is gone (%s): "
		    "a SIGKILL of the server would leave process groups "
		    "behind\n", r == -1 ? strerror(errno) : "short write");
	}
}

void
guard_add(pid_t pgid)
{
	if (pgid > 0)
		record((int32_t)pgid);
}

void
guard_del(pid_t pgid)
{
	if (pgid > 0)
		record(-(int32_t)pgid);
}
