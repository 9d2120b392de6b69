/*
 * confine.h: everything a sandboxed child applies between fork and exec,
 * prepared by the parent (confine.c).
 *
 * The parent opens, allocates and checks; the child only makes system
 * calls, in this fixed order (docs/security.md):
 *   1. namespaces (unless the server runs with --sandbox-mode landlock):
 *      a user namespace first when the server is not root (its own uid
 *      and gid mapped to themselves); a mount namespace: private
 *      propagation, the whole tree read-only but the writable roots,
 *      read-only binds over protected paths, masks over denied ones;
 *      and (for a process) unshare of the PID namespace, for step 6;
 *   2. every capability dropped (bounding set, ambient, then capset);
 *   3. no_new_privs;
 *   4. Landlock;
 *   5. seccomp;
 *   6. (a process) the PID namespace: its first process mounts its own
 *      /proc, is confined by 2-5, reaps; the program is the second
 *      (confine.c says why); without namespaces, a waiter confined by
 *      2-5 that reaps as a subreaper and, when the program ends, kills
 *      what is left of its Landlock domain;
 * then the caller execs.
 */
#ifndef CONFINE_H
#define CONFINE_H

#include <stddef.h>

#include <linux/filter.h>

#include "base/buf.h"
#include "sandbox/landlock.h"

/* The least Landlock ABI a sandbox runs with (6: scopes). */
#define CONFINE_LANDLOCK_ABI	6

/* A mount in the child's namespace, in the order given. */
#define CONFINE_RDONLY	1	/* bind the path over itself, read-only */
#define CONFINE_MASK	2	/* hide it: empty, mode 000, read-only */
#define CONFINE_WRITE	3	/* bind it over itself, writable */

struct confine_mount {
	char	*path;
	int	 how;		/* CONFINE_RDONLY, CONFINE_MASK */
	int	 dir;		/* a directory (else a file) */
};

struct confine {
	int			 on;		/* confine at all */
	int			 userns;	/* a user namespace first */
	char			 uidmap[32];	/* "uid uid 1" */
	char			 gidmap[32];
	int			 pidns;		/* a PID namespace */
	int			 reaper;	/* no PID namespace: a waiter */
	struct confine_mount	*mounts;
	size_t			 nmounts;
	int			 rdonly_root;	/* all read-only but WRITE mounts */
	int			 landlock;	/* ruleset, -1: none */
	struct sock_fprog	 seccomp;
	int			 last_cap;	/* highest capability number */
};

/*
 * In the parent: the Landlock rules, the mounts (consumed: the paths are
 * the confine's now) and the network rule, made ready for the child;
 * meta: may it change files' metadata (else seccomp stops it: without the
 * read-only tree of a mount namespace, nothing else would).
 * 0, or -1 with the reason in why.  c is always safe to confine_free().
 */
int	 confine_prepare(struct confine *c, const struct landlock_rule *rules,
	    size_t nrules, struct confine_mount *mounts, size_t nmounts,
	    int net_restricted, int meta, struct buf *why);
void	 confine_free(struct confine *);
/*
 * May this process make a user namespace with a mount namespace in it?
 * (Asked once, by a child that tries; the answer is kept.)
 */
int	 confine_userns_ok(void);
/*
 * In the child: apply it all.  0, or the errno of the step that failed,
 * with that step in *step (one of CONFINE_STEP_*; 0 when none).
 */
enum {
	CONFINE_STEP_USERNS = 1,
	CONFINE_STEP_MOUNTNS,
	CONFINE_STEP_RDONLY,
	CONFINE_STEP_SHM,
	CONFINE_STEP_MOUNTS,
	CONFINE_STEP_PIDNS,
	CONFINE_STEP_CAPS,
	CONFINE_STEP_NNP,
	CONFINE_STEP_LANDLOCK,
	CONFINE_STEP_SECCOMP,
	CONFINE_STEP_REAPER
};
int	 confine_apply(const struct confine *, int *step);
/* The words for a step, for the error that reports it. */
const char *confine_step_name(int step);

#endif
