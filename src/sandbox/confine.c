/*
 * confine.c: the sandbox of one child, prepared in the parent and
 * applied in the child between fork and exec (confine.h gives the order).
 *
 * Everything that allocates, opens or can fail with words happens in
 * confine_prepare(): the Landlock ruleset is built (landlock.c), the
 * seccomp program compiled (seccomp.c), the mask file made.  The child
 * runs confine_apply(): system calls only, no allocation, no stdio, so it
 * is safe after fork() in a process that had other threads' locks.  Any
 * step that fails stops the child before exec (fail closed): the error
 * travels back to process/start.
 */
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <linux/capability.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/lim.h"
#include "sandbox/confine.h"
#include "sandbox/landlock.h"
#include "sandbox/seccomp.h"

#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT			47
#define PR_CAP_AMBIENT_CLEAR_ALL	4
#endif

/* The highest capability this kernel knows. */
static int
last_cap(void)
{
	char	 b[16];
	ssize_t	 n;
	int	 fd, v;

	if ((fd = open("/proc/sys/kernel/cap_last_cap", O_RDONLY |
	    O_CLOEXEC)) == -1)
		return CAP_LAST_CAP;
	n = read(fd, b, sizeof(b) - 1);
	close(fd);
	if (n <= 0)
		return CAP_LAST_CAP;
	b[n] = '\0';
	v = atoi(b);
	return v > 0 && v < 64 ? v : CAP_LAST_CAP;
}

int
confine_prepare(struct confine *c, const struct landlock_rule *rules,
    size_t nrules, struct confine_mount *mounts, size_t nmounts,
    int net_restricted, int meta, struct buf *why)
{
	int	 abi;

	memset(c, 0, sizeof(*c));
	c->landlock = -1;
	c->mounts = mounts;
	c->nmounts = nmounts;
	c->on = 1;
	c->last_cap = last_cap();
	(void)snprintf(c->uidmap, sizeof(c->uidmap), "%lu %lu 1\n",
	    (unsigned long)geteuid(), (unsigned long)geteuid());
	(void)snprintf(c->gidmap, sizeof(c->gidmap), "%lu %lu 1\n",
	    (unsigned long)getegid(), (unsigned long)getegid());
	/* Fail closed: without scopes a child could signal the server. */
	if ((abi = landlock_abi()) < CONFINE_LANDLOCK_ABI) {
		buf_addf(why, "Landlock ABI %d is needed (signals and abstract "
		    "sockets kept inside the sandbox); this kernel has %d",
		    CONFINE_LANDLOCK_ABI, abi);
		return -1;
	}
	if ((c->landlock = landlock_prepare(rules, nrules, net_restricted,
	    why)) == -1)
		return -1;
	if (seccomp_build(&c->seccomp, (net_restricted ?
	    SECCOMP_NET_RESTRICTED : 0) | (meta ? 0 : SECCOMP_NO_METADATA)) ==
	    -1) {
		buf_addf(why, "cannot build the seccomp filter: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

void
confine_free(struct confine *c)
{
	size_t	 i;

	for (i = 0; i < c->nmounts; i++)
		free(c->mounts[i].path);
	free(c->mounts);
	c->mounts = NULL;
	c->nmounts = 0;
	if (c->landlock != -1)
		close(c->landlock);
	c->landlock = -1;
	seccomp_free(&c->seccomp);
	c->on = 0;
}

/* mount_setattr(2), Linux 5.12: not in every libc's headers. */
#ifndef SYS_mount_setattr
#define SYS_mount_setattr	442
#endif
/* In the child's own /dev/shm: what a denied file shows. */
#define MASK_FILE		"/dev/shm/.exec-server-mask"
#define STR_(x)			#x
#define STR(x)			STR_(x)
#define ATTR_RDONLY		0x1
#define ATTR_NOSUID		0x2
#define ATTR_NODEV		0x4
#define ATTR_NOEXEC		0x8
#define AT_RECURSIVE_		0x8000

struct attr {
	uint64_t	 set, clr, propagation, userns_fd;
};

int
confine_userns_ok(void)
{
	static int	 ok = -1;
	pid_t		 pid;
	int		 st;

	if (ok != -1)
		return ok;
	if ((pid = fork()) == -1)
		return 0;
	if (pid == 0)
		_exit(unshare(CLONE_NEWUSER | CLONE_NEWNS) == 0 ? 0 : 1);
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return 0;
	ok = WIFEXITED(st) && WEXITSTATUS(st) == 0;
	return ok;
}

/*
 * Set (and clear) attributes of the mount at path, recursively or not;
 * the others stay as they are, so that what a user namespace locked
 * (nodev, noexec of the host's mount) is never asked to change.
 */
static int
attr(const char *path, uint64_t set, uint64_t clr, unsigned flags)
{
	struct attr	 a;

	memset(&a, 0, sizeof(a));
	a.set = set;
	a.clr = clr;
	if (syscall(SYS_mount_setattr, -1, path, flags, &a, sizeof(a)) == -1)
		return errno;
	return 0;
}

/* Write s to the file at path (a /proc/self map). */
static int
put(const char *path, const char *s)
{
	size_t	 len = strlen(s);
	ssize_t	 n;
	int	 fd, e = 0;

	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) == -1)
		return errno;
	if ((n = write(fd, s, len)) != (ssize_t)len)
		e = n == -1 ? errno : EIO;
	close(fd);
	return e;
}

/*
 * Step 1a: not root, a user namespace of its own, where it may mount;
 * its uid and gid are mapped to themselves (no other is), so files keep
 * their owners and the program sees the ids it would see outside.
 */
static int
enter_userns(const struct confine *c)
{
	int	 e;

	if (unshare(CLONE_NEWUSER) == -1)
		return errno;
	if ((e = put("/proc/self/setgroups", "deny")) != 0 ||
	    (e = put("/proc/self/uid_map", c->uidmap)) != 0 ||
	    (e = put("/proc/self/gid_map", c->gidmap)) != 0)
		return e;
	return 0;
}

/*
 * Step 1: this child's own view of the tree.  With a read-only root, the
 * whole tree (every mount, recursively) becomes read-only and nosuid
 * but for a fresh /dev/shm of its own, and each writable root is bound
 * over itself and made writable again, the
 * shallowest first; then the protected paths are bound read-only and the
 * denied ones masked: a directory by an empty 000 tmpfs, a file by an
 * empty 000 file made in that /dev/shm (without one, /dev/null on a
 * nodev mount), which nothing without capabilities opens (EACCES).
 */
static int
apply_mounts(const struct confine *c, int *step)
{
	const struct confine_mount	*m;
	size_t				 i;
	const uint64_t			 ro = ATTR_RDONLY | ATTR_NOSUID |
					    ATTR_NODEV;
	const char			*mask = "/dev/null";
	int				 fd, e;

	if (c->nmounts == 0 && !c->rdonly_root && !c->pidns)
		return 0;
	*step = CONFINE_STEP_USERNS;
	if (c->userns && (e = enter_userns(c)) != 0)
		return e;
	*step = CONFINE_STEP_MOUNTNS;
	if (unshare(CLONE_NEWNS) == -1 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1)
		return errno;
	if (c->rdonly_root) {
		*step = CONFINE_STEP_RDONLY;
		if ((e = attr("/", ATTR_RDONLY | ATTR_NOSUID, 0,
		    AT_RECURSIVE_)) != 0)
			return e;
		*step = CONFINE_STEP_SHM;
		/*
		 * Its own /dev/shm: writable, shared with nobody outside
		 * (Landlock's rule added here: it is a new mount).
		 */
		if (mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV |
		    MS_NOEXEC, "mode=1777,size=" STR(LIM_SANDBOX_SHM_MB) "m") ==
		    0) {
			if ((fd = open("/dev/shm", O_PATH | O_CLOEXEC)) == -1)
				return errno;
			e = landlock_grant(c->landlock, fd,
			    LANDLOCK_GRANT_WRITE);
			close(fd);
			if (e != 0)
				return e;
			/* The mask of denied files: empty, mode 000. */
			if ((fd = open(MASK_FILE, O_WRONLY | O_CREAT | O_EXCL |
			    O_CLOEXEC, 0)) == -1)
				return errno;
			close(fd);
			mask = MASK_FILE;
		} else if (errno != ENOENT)
			return errno;
	}
	*step = CONFINE_STEP_MOUNTS;
	for (i = 0; i < c->nmounts; i++) {
		m = &c->mounts[i];
		e = 0;
		switch (m->how) {
		case CONFINE_WRITE:
			if (mount(m->path, m->path, NULL, MS_BIND | MS_REC,
			    NULL) == -1)
				return errno;
			e = attr(m->path, ATTR_NOSUID, ATTR_RDONLY, 0);
			break;
		case CONFINE_MASK:
			if (m->dir) {
				if (mount("tmpfs", m->path, "tmpfs",
				    MS_RDONLY | MS_NOSUID | MS_NODEV |
				    MS_NOEXEC, "mode=000,size=4k,"
				    "nr_inodes=1") == -1)
					return errno;
				break;
			}
			if (mount(mask, m->path, NULL, MS_BIND, NULL) == -1)
				return errno;
			e = attr(m->path, ro | ATTR_NOEXEC, 0, 0);
			break;
		default:	/* CONFINE_RDONLY */
			if (mount(m->path, m->path, NULL, MS_BIND, NULL) == -1)
				return errno;
			e = attr(m->path, ro, 0, 0);
		}
		if (e != 0)
			return e;
	}
	return 0;
}

/* Step 2: keep no capability, now or after exec (root included). */
static int
drop_caps(const struct confine *c)
{
	struct __user_cap_header_struct	 h;
	struct __user_cap_data_struct	 d[2];
	int				 cap;

	for (cap = 0; cap <= c->last_cap; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == -1 &&
		    errno != EINVAL && geteuid() == 0)
			return errno;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) == -1 &&
	    errno != EINVAL)
		return errno;
	memset(&h, 0, sizeof(h));
	memset(d, 0, sizeof(d));
	h.version = _LINUX_CAPABILITY_VERSION_3;
	if (syscall(SYS_capset, &h, d) == -1)
		return errno;
	return 0;
}

/*
 * Under a PID namespace the child becomes three processes:
 *   the server's child   waits for the namespace's first process;
 *   its first process    (PID 1) reaps every orphan, waits for the
 *                        program; when it ends, the kernel kills all
 *                        that is left in the namespace;
 *   the program          (PID 2), which execs.
 * The two waiters hold no descriptor, ignore the signals a terminal or
 * process/signal sends the process group (the program gets them too, and
 * PID 1 would not take them from outside anyway), and end as the program
 * ended, so the server sees one process whose end is the program's.  A
 * parent-death SIGKILL ties each to the one above.  Without namespaces
 * the server's child is the waiter (a subreaper, confined like the
 * program) and the program its child: two processes.
 */
static void __attribute__((noreturn))
wait_for(pid_t pid, int init)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT,
	    SIGUSR1, SIGUSR2, SIGPIPE, SIGTSTP, SIGTTIN, SIGTTOU };
	struct sigaction	 sa;
	size_t			 i;
	pid_t			 r;
	int			 st;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		(void)sigaction(sigs[i], &sa, NULL);
	if (syscall(SYS_close_range, 0U, ~0U, 0) == -1)
		for (i = 0; i < 1024; i++)
			(void)close((int)i);
	for (;;) {
		r = waitpid(init ? -1 : pid, &st, 0);
		if (r == pid)
			break;
		if (r == -1 && errno != EINTR)
			_exit(127);
	}
	/*
	 * What the program left behind: in a PID namespace the kernel
	 * kills it when its first process ends; a subreaper kills its
	 * Landlock domain (the signal scope keeps kill(-1) to the
	 * processes confined with it, its own descendants).
	 */
	if (init)
		(void)kill(-1, SIGKILL);
	if (WIFEXITED(st))
		_exit(WEXITSTATUS(st));
	sa.sa_handler = SIG_DFL;
	(void)sigaction(WTERMSIG(st), &sa, NULL);
	(void)kill(getpid(), WTERMSIG(st));
	_exit(128 + WTERMSIG(st));
}

static const char *const step_names[] = {
	[CONFINE_STEP_USERNS] = "user namespace",
	[CONFINE_STEP_MOUNTNS] = "private mount namespace: / must be a "
	    "mount point",
	[CONFINE_STEP_RDONLY] = "read-only root",
	[CONFINE_STEP_SHM] = "private /dev/shm",
	[CONFINE_STEP_MOUNTS] = "policy mounts",
	[CONFINE_STEP_PIDNS] = "PID namespace and /proc",
	[CONFINE_STEP_CAPS] = "capabilities",
	[CONFINE_STEP_NNP] = "no_new_privs",
	[CONFINE_STEP_LANDLOCK] = "Landlock",
	[CONFINE_STEP_SECCOMP] = "seccomp",
	[CONFINE_STEP_REAPER] = "reaper",
};

const char *
confine_step_name(int step)
{
	if (step <= 0 || step >= (int)(sizeof(step_names) /
	    sizeof(step_names[0])) || step_names[step] == NULL)
		return "confinement";
	return step_names[step];
}

int
confine_apply(const struct confine *c, int *step)
{
	pid_t	 pid;
	int	 e;

	*step = 0;
	if (!c->on)
		return 0;
	if ((e = apply_mounts(c, step)) != 0)
		return e;
	/*
	 * Its own PID namespace: nothing it starts outlives it.  Its first
	 * process mounts the namespace's own /proc (read-only) over the
	 * host's, while it still may: the host's processes are not there.
	 */
	if (c->pidns) {
		*step = CONFINE_STEP_PIDNS;
		if (unshare(CLONE_NEWPID) == -1 || (pid = fork()) == -1)
			return errno;
		if (pid > 0) {
			(void)drop_caps(c);
			wait_for(pid, 0);
		}
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 ||
		    mount("proc", "/proc", "proc", MS_RDONLY | MS_NOSUID |
		    MS_NODEV | MS_NOEXEC, NULL) == -1)
			return errno;
	}
	*step = CONFINE_STEP_CAPS;
	if ((e = drop_caps(c)) != 0)
		return e;
	*step = CONFINE_STEP_NNP;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		return errno;
	*step = CONFINE_STEP_LANDLOCK;
	if ((e = landlock_apply(c->landlock)) != 0)
		return e;
	*step = CONFINE_STEP_SECCOMP;
	if ((e = seccomp_apply(&c->seccomp)) != 0)
		return e;
	*step = 0;
	if (!c->pidns && !c->reaper)
		return 0;
	*step = CONFINE_STEP_REAPER;
	if (c->reaper && prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == -1)
		return errno;
	if ((pid = fork()) == -1)
		return errno;
	if (pid > 0)
		wait_for(pid, 1);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1)
		return errno;
	*step = 0;
	return 0;
}
