/*
 * landlock.c: Landlock rulesets through the raw system calls, as the
 * kernel documents them (Documentation/userspace-api/landlock.rst); no
 * header of the kernel is needed, so an old libc builds the new ABIs.
 *
 * Landlock is an allow list: a ruleset "handles" access rights, and once
 * it is enforced a handled right is granted only beneath a path a rule
 * names.  Rights add up along the path (a rule cannot take back what a
 * rule on a parent gave): carving a read-only .git out of a writable
 * root is the mount namespace's job (ns.c), not Landlock's.
 *
 * What a ruleset handles grows with the ABI, negotiated here:
 *   1  the filesystem rights 0-12      4  TCP bind and connect
 *   2  REFER (rename, link across      5  IOCTL_DEV
 *      directories)                    6  scopes: abstract UNIX sockets,
 *   3  TRUNCATE                           signals
 * Everything this kernel knows is handled, so what no rule grants is
 * denied: a newer kernel never leaves a right open by omission.
 */
#include <sys/stat.h>
#include <sys/syscall.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "compat/oserr.h"
#include "sandbox/landlock.h"

#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset	444
#define __NR_landlock_add_rule		445
#define __NR_landlock_restrict_self	446
#endif

#define CREATE_RULESET_VERSION	(1U << 0)
#define RULE_PATH_BENEATH	1
#define RULE_NET_PORT		2

/* Filesystem rights (bit numbers fixed by the ABI). */
#define FS_EXECUTE	(1ULL << 0)
#define FS_WRITE_FILE	(1ULL << 1)
#define FS_READ_FILE	(1ULL << 2)
#define FS_READ_DIR	(1ULL << 3)
#define FS_REMOVE_DIR	(1ULL << 4)
#define FS_REMOVE_FILE	(1ULL << 5)
#define FS_MAKE_CHAR	(1ULL << 6)
#define FS_MAKE_DIR	(1ULL << 7)
#define FS_MAKE_REG	(1ULL << 8)
#define FS_MAKE_SOCK	(1ULL << 9)
#define FS_MAKE_FIFO	(1ULL << 10)
#define FS_MAKE_BLOCK	(1ULL << 11)
#define FS_MAKE_SYM	(1ULL << 12)
#define FS_REFER	(1ULL << 13)	/* ABI 2 */
#define FS_TRUNCATE	(1ULL << 14)	/* ABI 3 */
#define FS_IOCTL_DEV	(1ULL << 15)	/* ABI 5 */

#define FS_ABI1		((1ULL << 13) - 1)
/* The rights that make sense on a file (the others are EINVAL there). */
#define FS_FILE		(FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | \
			 FS_TRUNCATE | FS_IOCTL_DEV)

#define NET_BIND_TCP	(1ULL << 0)	/* ABI 4 */
#define NET_CONNECT_TCP	(1ULL << 1)
#define SCOPE_ABSTRACT_UNIX_SOCKET	(1ULL << 0)	/* ABI 6 */
#define SCOPE_SIGNAL	(1ULL << 1)

struct ruleset_attr {
	uint64_t	 handled_access_fs;
	uint64_t	 handled_access_net;	/* ABI 4 */
	uint64_t	 scoped;		/* ABI 6 */
};

struct path_beneath_attr {
	uint64_t	 allowed_access;
	int32_t		 parent_fd;
} __attribute__((packed));

int
landlock_abi(void)
{
	long	 abi;

	abi = syscall(__NR_landlock_create_ruleset, NULL, 0,
	    CREATE_RULESET_VERSION);
	return abi < 0 ? 0 : (int)abi;
}

/* The filesystem rights ABI abi knows. */
static uint64_t
fs_rights(int abi)
{
	uint64_t	 r = FS_ABI1;

	if (abi >= 2)
		r |= FS_REFER;
	if (abi >= 3)
		r |= FS_TRUNCATE;
	if (abi >= 5)
		r |= FS_IOCTL_DEV;
	return r;
}

/* What a grant means, within the handled rights. */
static uint64_t
grant_rights(int grant, uint64_t handled)
{
	uint64_t	 r = 0;

	if (grant & LANDLOCK_GRANT_READ)
		r |= FS_EXECUTE | FS_READ_FILE | FS_READ_DIR;
	if (grant & LANDLOCK_GRANT_WRITE)
		r |= handled;
	if (grant & LANDLOCK_GRANT_DEV)
		r |= FS_READ_FILE | FS_WRITE_FILE | FS_TRUNCATE | FS_IOCTL_DEV;
	return r & handled;
}

static int
fail(struct buf *why, const char *what, const char *path, int e)
{
	buf_addf(why, "cannot %s", what);
	if (path != NULL)
		buf_addf(why, " `%s`", path);
	buf_adds(why, ": ");
	oserr_fmt(why, e);
	errno = e;
	return -1;
}

int
landlock_prepare(const struct landlock_rule *rules, size_t n,
    int net_restricted, struct buf *why)
{
	struct ruleset_attr	 ra;
	struct path_beneath_attr pb;
	struct stat		 st;
	size_t			 i, size;
	int			 abi, fd, pfd, e;

	if ((abi = landlock_abi()) < 1)
		return fail(why, "use Landlock", NULL, EOPNOTSUPP);
	memset(&ra, 0, sizeof(ra));
	ra.handled_access_fs = fs_rights(abi);
	size = sizeof(ra.handled_access_fs);
	if (abi >= 4) {
		if (net_restricted)
			ra.handled_access_net = NET_BIND_TCP | NET_CONNECT_TCP;
		size = offsetof(struct ruleset_attr, scoped);
	}
	if (abi >= 6) {
		ra.scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL;
		size = sizeof(ra);
	}
	fd = (int)syscall(__NR_landlock_create_ruleset, &ra, size, 0);
	if (fd == -1)
		return fail(why, "create a Landlock ruleset", NULL, errno);
	for (i = 0; i < n; i++) {
		pfd = open(rules[i].path, O_PATH | O_CLOEXEC);
		if (pfd == -1 && errno == ENOENT)
			continue;
		if (pfd == -1 || fstat(pfd, &st) == -1) {
			e = errno;
			goto bad;
		}
		pb.parent_fd = pfd;
		pb.allowed_access = grant_rights(rules[i].grant,
		    ra.handled_access_fs);
		if (!S_ISDIR(st.st_mode))
			pb.allowed_access &= FS_FILE;
		if (pb.allowed_access != 0 &&
		    syscall(__NR_landlock_add_rule, fd, RULE_PATH_BENEATH, &pb,
		    0) == -1) {
			e = errno;
			close(pfd);
			goto bad;
		}
		close(pfd);
	}
	return fd;
bad:
	close(fd);
	return fail(why, "add a Landlock rule for", rules[i].path, e);
}

int
landlock_apply(int fd)
{
	if (syscall(__NR_landlock_restrict_self, fd, 0) == -1)
		return errno;
	return 0;
}

int
landlock_grant(int fd, int dirfd, int grant)
{
	struct path_beneath_attr pb;

	pb.parent_fd = dirfd;
	pb.allowed_access = grant_rights(grant, fs_rights(landlock_abi()));
	if (syscall(__NR_landlock_add_rule, fd, RULE_PATH_BENEATH, &pb,
	    0) == -1)
		return errno;
	return 0;
}
