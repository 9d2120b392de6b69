/*
 * seccomp.h: the seccomp BPF filter of a sandboxed child (seccomp.c):
 * built in the server before fork, installed in the child after fork.
 */
#ifndef SANDBOX_SECCOMP_H
#define SANDBOX_SECCOMP_H

#include <linux/filter.h>

/* seccomp_build() flags */
#define SECCOMP_NET_RESTRICTED	0x1	/* the sandbox's network is "restricted" */
#define SECCOMP_NO_METADATA	0x2	/* no mode, owner, xattr, time change */

/*
 * Build the filter for a sandboxed child (before fork: it allocates).
 * 0, or -1 with errno (ENOMEM; EINVAL for an unknown flag or a program
 * over BPF_MAXINSNS; ENOSYS on an architecture without a table: the
 * caller then refuses the sandbox, fail closed).  On error the program
 * is empty, and seccomp_free() on it is harmless.
 */
int	 seccomp_build(struct sock_fprog *, unsigned flags);
/* Free a built filter; safe on an empty or already freed one. */
void	 seccomp_free(struct sock_fprog *);
/*
 * In the child, after fork, with no_new_privs already set: install it
 * (SECCOMP_SET_MODE_FILTER via syscall()).  Async-signal-safe: one
 * system call, no allocation.  0, or an errno.
 */
int	 seccomp_apply(const struct sock_fprog *);

#endif
