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

#include <linux/capability.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
    int net_restricted, struct buf *why)
{
	size_t	 i;
	int	 abi;

	memset(c, 0, sizeof(*c));
	c->maskfd = -1;
	c->landlock = -1;
	c->mounts = mounts;
	c->nmounts = nmounts;
	c->on = 1;
	c->last_cap = last_cap();
	for (i = 0; i < nmounts; i++)
		if (mounts[i].how == CONFINE_MASK && !mounts[i].dir &&
		    c->maskfd == -1) {
			/* An empty file nobody without capabilities opens. */
			if ((c->maskfd = memfd_create("exec-server-mask",
			    MFD_CLOEXEC)) == -1 ||
			    fchmod(c->maskfd, 0) == -1) {
				buf_addf(why, "cannot make a mask file: %s",
				    strerror(errno));
				return -1;
			}
			snprintf(c->maskpath, sizeof(c->maskpath),
			    "/proc/self/fd/%d", c->maskfd);
		}
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
	if (seccomp_build(&c->seccomp, net_restricted ?
	    SECCOMP_NET_RESTRICTED : 0) == -1) {
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
	if (c->maskfd != -1)
		close(c->maskfd);
	c->maskfd = -1;
	if (c->landlock != -1)
		close(c->landlock);
	c->landlock = -1;
	seccomp_free(&c->seccomp);
	c->on = 0;
}

/* Step 1: this child's own view of the tree. */
static int
apply_mounts(const struct confine *c)
{
	const struct confine_mount	*m;
	size_t				 i;
	unsigned long			 ro = MS_RDONLY | MS_NOSUID | MS_NODEV;

	if (c->nmounts == 0)
		return 0;
	if (unshare(CLONE_NEWNS) == -1 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1)
		return errno;
	for (i = 0; i < c->nmounts; i++) {
		m = &c->mounts[i];
		if (m->how == CONFINE_MASK && m->dir) {
			if (mount("tmpfs", m->path, "tmpfs", ro | MS_NOEXEC,
			    "mode=000,size=4k,nr_inodes=1") == -1)
				return errno;
			continue;
		}
		if (mount(m->how == CONFINE_MASK ? c->maskpath : m->path,
		    m->path, NULL, MS_BIND, NULL) == -1 ||
		    mount(NULL, m->path, NULL, MS_BIND | MS_REMOUNT | ro,
		    NULL) == -1)
			return errno;
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

int
confine_apply(const struct confine *c)
{
	int	 e;

	if (!c->on)
		return 0;
	if ((e = apply_mounts(c)) != 0 || (e = drop_caps(c)) != 0)
		return e;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		return errno;
	if ((e = landlock_apply(c->landlock)) != 0)
		return e;
	return seccomp_apply(&c->seccomp);
}
