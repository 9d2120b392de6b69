/*
 * landlock.h: Landlock rulesets through the raw system calls
 * (landlock.c).  The parent builds the ruleset (it opens paths and may
 * fail with words); the child only enforces it, in one system call.
 */
#ifndef LANDLOCK_H
#define LANDLOCK_H

#include <stddef.h>

#include "base/buf.h"

/* What a rule grants beneath its path. */
#define LANDLOCK_GRANT_READ	0x1	/* read files, list dirs, execute */
#define LANDLOCK_GRANT_WRITE	0x2	/* everything: write, make, remove */
#define LANDLOCK_GRANT_DEV	0x4	/* a device: read, write, ioctl */

struct landlock_rule {
	const char	*path;		/* absolute */
	int		 grant;		/* LANDLOCK_GRANT_* */
};

/*
 * The Landlock ABI of this kernel (1..7 and up), 0 when Landlock is
 * missing or disabled.
 */
int	 landlock_abi(void);

/*
 * A ruleset (a close-on-exec descriptor) that handles every filesystem
 * right this kernel knows, TCP bind and connect when net_restricted (ABI
 * 4), and the abstract UNIX socket and signal scopes (ABI 6), with one
 * rule per entry of rules.  A path that does not exist is skipped.
 * Returns the descriptor, or -1 with the reason in why (and errno).
 */
int	 landlock_prepare(const struct landlock_rule *rules, size_t n,
	    int net_restricted, struct buf *why);
/*
 * In the child, after no_new_privs: enforce the ruleset.  One system
 * call, async-signal-safe.  0, or an errno.
 */
int	 landlock_apply(int fd);
/*
 * In the child, before landlock_apply(): add a rule for what the child
 * mounted itself (a rule on the host's mount point would not cover it).
 * dirfd: an O_PATH descriptor.  System calls only.  0, or an errno.
 */
int	 landlock_grant(int fd, int dirfd, int grant);

#endif
